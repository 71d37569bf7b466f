"""``gaiextract inspect``: see where every number came from, in a browser.

:func:`inspect` turns a report into one self-contained HTML page: the document as
the reader saw it (PDF pages as images with a box over every mapped cell and heading;
Word, HTML and text as the rebuilt tables and the text around each heading) next to
the three canonical tables in the template's layout, the failing checks with their
equations, the warnings and the sections. The page needs no network: images are
embedded, the only script is inline and pinned by the page's Content Security Policy.
"""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from ..document import Document, Table
from ..errors import ExtractError
from ..report import SCHEMA_ID, Report
from .settings import DEFAULT_SETTINGS, InspectSettings

if TYPE_CHECKING:
    from .view import View

__all__ = ["InspectSettings", "inspect"]

ReportLike = Report | dict | str | os.PathLike | bytes


def inspect(report_or_path: ReportLike, settings: InspectSettings | None = None,
            format: str | None = None) -> str:
    """The inspection page of a report, as an HTML string.

    ``report_or_path`` is a document (path or bytes: it is extracted here), a
    :class:`~gaiextract.Report`, a canonical JSON dict, or the path of a canonical
    JSON file. For a report or JSON, the source document is re-read from
    ``source.path`` when that file is still there with the same SHA-256; otherwise
    the page shows the extracted values only, and says so.
    Raises :class:`gaiextract.ExtractError` for an unreadable document.
    """
    from . import render

    settings = settings or DEFAULT_SETTINGS
    report, document, data, notes = _load(report_or_path, format)
    return render.page(_view(report, document, data, notes, settings), settings)


def _load(obj: Any, format: str | None) -> tuple[dict[str, Any], Document | None, bytes | None, list[str]]:
    from ..pipeline import build_report
    from ..readers import read_document
    from ..source import as_source

    if isinstance(obj, Report):
        return _with_source(obj.to_dict())
    if isinstance(obj, dict):
        return _with_source(_valid(obj, None))
    if isinstance(obj, (str, os.PathLike)):
        loaded = _canonical_json(os.fspath(obj))
        if loaded is not None:
            return _with_source(_valid(loaded, os.fspath(obj)))
    src = as_source(obj, format=format)
    document = read_document(src)
    report = build_report(document, src).to_dict()
    return report, document, src.data, []


def _canonical_json(path: str) -> dict[str, Any] | None:
    """The canonical report in ``path`` if it is one (a JSON file written by extract)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512).lstrip()
            if not head.startswith(b"{") or b'"schema"' not in head:
                return None
            d = json.loads(head + fh.read(), parse_constant=_no_constant)
    except (OSError, ValueError, RecursionError):
        return None
    return d if isinstance(d, dict) and d.get("schema") == SCHEMA_ID else None


#: a schema problem quoted in a ``corrupt`` error is cut to this many characters
_PROBLEM_CHARS = 200


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _valid(report: dict[str, Any], path: str | None) -> dict[str, Any]:
    """``report`` if it keeps the package's JSON Schema (the contract every view of the
    page relies on); else ``corrupt``, saying in one line what is wrong."""
    from ..schema import errors

    try:
        problems = errors(report)
    except RecursionError:
        problems = ["<root>: nested too deep"]
    if not problems:
        return report
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    first = " ".join(problems[0].split())
    if len(first) > _PROBLEM_CHARS:
        first = first[:_PROBLEM_CHARS - 1] + "…"
    raise ExtractError("corrupt", f"not a canonical report (JSON Schema): {first}{more}", path)


def _with_source(report: dict[str, Any]) -> tuple[dict[str, Any], Document | None, bytes | None, list[str]]:
    from ..readers import read_document
    from ..source import as_source

    src_info = report.get("source") or {}
    path = src_info.get("path")
    if not isinstance(path, str) or not os.path.isfile(path):
        return report, None, None, ["source document not found: values only"]
    try:
        src = as_source(path, format=src_info.get("format"))
    except ExtractError:
        return report, None, None, ["source document unreadable: values only"]
    if src_info.get("sha256") and src.sha256 != src_info["sha256"]:
        return report, None, None, ["source document changed since extraction (SHA-256 differs): values only"]
    try:
        document = read_document(src)
    except ExtractError as exc:
        return report, None, None, [f"source document unreadable ({exc.code}): values only"]
    return report, document, src.data, []


def _view(report: dict[str, Any], document: Document | None, data: bytes | None, notes: list[str],
          settings: InspectSettings) -> View:
    from .images import render_pages
    from .locate import find_headings, match_cells
    from .marks import cell_marks, check_views
    from .view import View

    tables = report.get("tables") or {}
    checks = check_views({n: t.get("cells", {}) for n, t in tables.items()}, report.get("checks") or [])
    marks = cell_marks(tables, checks, report.get("warnings") or [])
    v = View(report=report, marks=marks, checks=checks, document=document, notes=list(notes))
    if document is None:
        return v
    v.headings = find_headings(document, report.get("sections") or [])
    if (report.get("source") or {}).get("format") == "pdf" and data is not None:
        v.pages = _pdf_pages(report, document, v)
        v.images = render_pages(data, v.pages, settings)
    else:
        v.cell_keys = match_cells(document, marks)
    return v


def _pdf_pages(report: dict[str, Any], document: Document, v: View) -> list[int]:
    """The pages that hold a mapped cell, a table or a section heading, and the pages a
    warning names (a garbled or unreadable page); when that is none (a scanned report not
    yet read by OCR), every page, so the reader sees what the PDF holds."""
    pages: set[Any] = {m.prov.get("page") for m in v.marks.values()}
    pages |= {(s.get("location") or {}).get("page") for s in report.get("sections") or []}
    pages |= {document.blocks[h.block].page for h in v.headings}
    pages |= {b.page for b in document.blocks if isinstance(b, Table)}
    for w in report.get("warnings") or []:
        pages.add(w.get("page"))
        if isinstance(w.get("pages"), list):
            pages.update(w["pages"])
    found = sorted(p for p in pages if isinstance(p, int))
    if not found and isinstance(document.pages, int):
        found = list(range(1, document.pages + 1))
    return found
