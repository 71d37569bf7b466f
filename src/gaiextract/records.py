"""Reading back what gaiextract writes: the JSON of ``extract`` and the JSON Lines of
``batch`` (and of ``extract`` with several files).

Why: a user's next step after ``batch --jsonl`` is loading the records in Python or
exporting them to a spreadsheet; both should take the file as it is, without a
database. :func:`load_jsonl` gives :class:`~gaiextract.report.Report` objects (and
:class:`~gaiextract.errors.ExtractError` for error records), :func:`read_records`
the plain dicts. A file that is neither raises :class:`ExtractError` naming it.

When a JSON Lines file holds several records for one file (a run killed before it
could compact the file, see docs/batch.md), the last one is the current one:
``latest=True`` keeps only that one, in the order of first appearance.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from .errors import ERROR_CODES, ExtractError
from .report import SCHEMA_ID, Report

ERROR_SCHEMA = "gaiextract.error/1"
#: the record schemas a records file may hold
RECORD_SCHEMAS = (SCHEMA_ID, ERROR_SCHEMA)
#: the first bytes of every SQLite database file
SQLITE_MAGIC = b"SQLite format 3\x00"


def is_records_file(path: str | os.PathLike[str]) -> bool:
    """Does ``path`` look like gaiextract JSON or JSON Lines (its first non-blank byte
    is ``{``)? A SQLite database or any other file does not."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return not head.startswith(SQLITE_MAGIC) and head.lstrip()[:1] == b"{"


def _key(record: dict[str, Any]) -> str:
    src = record.get("source") or {}
    return src.get("sha256") or "path:" + str(src.get("path"))


def _checked(record: Any, name: str, line: int | None) -> dict[str, Any]:
    where = f"line {line}: " if line else ""
    if not isinstance(record, dict) or record.get("schema") not in RECORD_SCHEMAS:
        got = record.get("schema") if isinstance(record, dict) else type(record).__name__
        raise ExtractError("unsupported_format", f"{where}not a gaiextract record (schema {got!r}; "
                           f"expected {' or '.join(RECORD_SCHEMAS)})", name)
    return record


def read_records(path: str | os.PathLike[str], latest: bool = True) -> Iterator[dict[str, Any]]:
    """The records (canonical report dicts and error records) of a JSON file written by
    ``extract`` or a JSON Lines file written by ``batch --jsonl`` / ``extract`` with
    several files. Raises :class:`ExtractError` (``not_found``, ``unsupported_format``,
    ``corrupt`` with the line number), its message and ``path`` naming the file."""
    name = os.fspath(path)
    if not os.path.isfile(name):
        raise ExtractError("not_found", "no such file", name)
    if not is_records_file(name):
        raise ExtractError("unsupported_format", "neither the JSON of `gaiextract extract` nor the "
                           "JSON Lines of `gaiextract batch --jsonl`", name)
    with open(name, encoding="utf-8", errors="strict") as fh:
        first = fh.readline()
        try:
            whole = json.loads(first) if first.strip() else None
        except ValueError:
            whole = None
        if whole is None:  # an indented JSON document (extract's default output)
            fh.seek(0)
            try:
                yield _checked(json.load(fh), name, None)
            except (ValueError, UnicodeDecodeError) as exc:
                raise ExtractError("corrupt", f"not valid JSON: {exc}", name) from None
            return
        records = _lines(fh, first, name)
        if not latest:
            yield from records
            return
        kept: dict[str, dict[str, Any]] = {}
        for record in records:
            kept.pop(_key(record), None)  # the later record replaces, at the later place
            kept[_key(record)] = record
        yield from kept.values()


def _lines(fh: Any, first: str, name: str) -> Iterator[dict[str, Any]]:
    number = 1
    line = first
    while line:
        if line.strip():
            try:
                record = json.loads(line)
            except ValueError as exc:
                if not line.endswith("\n"):  # a last line cut short by a killed run: not a record
                    return
                raise ExtractError("corrupt", f"line {number}: not valid JSON: {exc}", name) from None
            yield _checked(record, name, number)
        number += 1
        try:
            line = fh.readline()
        except UnicodeDecodeError as exc:
            raise ExtractError("decode_failed", f"line {number}: not UTF-8: {exc}", name) from None


def load_jsonl(path: str | os.PathLike[str], latest: bool = True) -> Iterator[Report | ExtractError]:
    """One :class:`Report` per report record of a ``batch --jsonl`` file (or the JSON of
    ``extract``), and one :class:`ExtractError` per error record, in file order::

        for r in gaiextract.load_jsonl("out.jsonl"):
            if isinstance(r, gaiextract.ExtractError): print(r.path, r.code)
            else: print(r.agency, r.year, r.tables["requests"].cells["new.total"])

    ``latest`` keeps only the last record per file (see the module docs)."""
    for record in read_records(path, latest=latest):
        if record.get("schema") == ERROR_SCHEMA:
            err = record.get("error") or {}
            src = record.get("source") or {}
            code = str(err.get("code"))
            yield ExtractError(code if code in ERROR_CODES else "internal_error", str(err.get("message")), src.get("path"))
        else:
            yield Report.from_dict(record)
