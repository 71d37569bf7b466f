"""``gaiextract export DB OUT``: a batch database as CSV, Excel or Parquet.

Why a module of its own: analysts open spreadsheets and data frames, not SQL. The
format follows OUT's extension (``-`` is CSV on standard output); ``wide`` is one
row per report identity (the best-read copy unless ``all_copies``), ``long`` one
row per cell with the template's Chinese labels. Excel and Parquet need the
``xlsx`` / ``parquet`` extras. The file is written under a temporary name and
renamed, so a failed export leaves nothing behind, and an existing OUT is refused
unless ``overwrite`` (user data is never truncated by accident).
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..clikit import temp_beside
from .labels import labels_for
from .sql import SqlSink, cell_columns, cells, make_engine, normalize_url, reports, sqlite_path

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
EXTRAS = {"xlsx": ("openpyxl", "xlsx"), "parquet": ("pyarrow", "parquet")}
SHAPES = ("wide", "long")

WIDE_COLUMNS = ("identity", "title", "agency", "year", "edition",
                "fees.notices", "fees.amount_notified", "fees.amount_collected",
                "id", "source_path", "sha256", "format", "status", "warnings_count",
                "checks_failed", "cells_count", "duplicate_of")
LONG_COLUMNS = ("identity", "id", "sha256", "agency", "year", "table", "key", "value", "raw",
                "row_label", "column_label", "page", "how")
#: columns that hold whole numbers / any numbers (typed as such in Parquet); cell
#: columns (``<table>.<key>``) and amounts are floats, since amounts may be decimal
INTEGER = {"year", "id", "warnings_count", "checks_failed", "cells_count", "duplicate_of",
           "fees.notices", "page"}
NUMERIC = INTEGER | {"fees.amount_notified", "fees.amount_collected", "value"}
#: Parquet rows per row group (bounded memory on large databases)
PARQUET_BATCH_ROWS = 5000
#: rows an Excel sheet holds below its header row
XLSX_MAX_ROWS = 1_048_575


class ExportError(Exception):
    """An export that cannot be made (one line; ``code`` says which kind)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Table:
    columns: list[str]
    rows: Iterator[list[Any]]


def format_of(out: str) -> str:
    if out == "-":
        return "csv"
    ext = os.path.splitext(out)[1].lower()
    if ext not in FORMATS:
        raise ExportError("usage", f"{out}: unknown extension {ext or '(none)'!r}; use .csv, .xlsx or .parquet")
    return FORMATS[ext]


def check_database(url: str) -> None:
    """Refuse a SQLite file that does not exist (SQLite would create an empty one)."""
    path = sqlite_path(url)
    if path is not None and not os.path.isfile(path):
        raise ExportError("not_found", f"{path}: no such database")


def input_kind(source: str) -> str:
    """What ``export``/``series`` were given: ``database`` (a URL or a SQLite file),
    ``records`` (the JSON of ``extract`` or the JSON Lines of ``batch --jsonl``),
    ``missing``, or ``other`` (a file that is neither)."""
    from ..records import SQLITE_MAGIC, is_records_file
    if "://" in source:
        return "database"
    if not os.path.exists(source):
        return "missing"
    if not os.path.isfile(source):
        return "other"
    with open(source, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC or not head:  # an empty file is an empty SQLite database
        return "database"
    return "records" if is_records_file(source) else "other"


@contextlib.contextmanager
def database_of(source: str) -> Iterator[str]:
    """A database URL for ``source``: itself, or for a records file a temporary SQLite
    database the records are loaded into (through the batch's own SQL sink, so the
    export is the same as from ``batch --db``). Raises :class:`ExportError` naming the
    input: ``not_found``, ``unsupported_format`` (neither kind), and the code of a
    records file that cannot be read (``corrupt`` with its line number, …)."""
    from ..errors import ExtractError
    from ..records import read_records
    kind = input_kind(source)
    if kind == "missing":
        raise ExportError("not_found", f"{source}: no such database or records file")
    if kind == "other":
        raise ExportError("unsupported_format", f"{source}: neither a batch database (SQLite) nor the JSON/JSON Lines "
                                                "that `gaiextract extract` / `batch --jsonl` write")
    if kind == "database":
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="gaiextract-records-") as tmp:
        url = os.path.join(tmp, "records.db")
        sink = SqlSink(url, batch_size=500)
        sink.open(resume=False)
        try:
            for record in read_records(source):
                sink.write(record)
        except ExtractError as exc:
            raise ExportError(exc.code, f"{source}: {exc.message}") from None
        finally:
            sink.close()
        yield url


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _wide(conn, all_copies: bool) -> Table:
    keys = cell_columns(conn)
    index = {c: i for i, c in enumerate(keys)}
    head = [c for c in WIDE_COLUMNS if not c.startswith("fees.")]
    cols = [reports.c[c] for c in head]
    q = (select(*cols, reports.c.json["fees"], cells.c.table_name, cells.c.key, cells.c.value)
         .select_from(reports.outerjoin(cells, cells.c.report_id == reports.c.id))
         .order_by(reports.c.identity, reports.c.id))
    if not all_copies:
        q = q.where(reports.c.duplicate_of.is_(None))

    def rows() -> Iterator[list[Any]]:
        cur_id, base, values = None, None, None
        for row in conn.execution_options(stream_results=True).execute(q):
            rec = dict(zip(head, row[:len(head)]))
            if rec["id"] != cur_id:
                if cur_id is not None:
                    yield base + values
                fees = _json(row[len(head)]) or {}
                rec.update({f"fees.{k}": fees.get(k) for k in ("notices", "amount_notified", "amount_collected")})
                cur_id, base, values = rec["id"], [rec[c] for c in WIDE_COLUMNS], [None] * len(keys)
            t, k, v = row[len(head) + 1:]
            if t is not None:
                values[index[(t, k)]] = v
        if cur_id is not None:
            yield base + values
    return Table(list(WIDE_COLUMNS) + [f"{t}.{k}" for t, k in keys], rows())


def _long(conn, all_copies: bool) -> Table:
    q = (select(reports.c.identity, reports.c.id, reports.c.sha256, reports.c.agency, reports.c.year,
                cells.c.table_name, cells.c.key, cells.c.value, cells.c.raw, cells.c.page, cells.c.how)
         .select_from(reports.join(cells, cells.c.report_id == reports.c.id))
         .order_by(reports.c.identity, reports.c.id, cells.c.id))
    if not all_copies:
        q = q.where(reports.c.duplicate_of.is_(None))

    def rows() -> Iterator[list[Any]]:
        for r in conn.execution_options(stream_results=True).execute(q):
            row_label, col_label = labels_for(r.table_name, r.key)
            yield [r.identity, r.id, r.sha256, r.agency, r.year, r.table_name, r.key, r.value, r.raw,
                   row_label, col_label, r.page, r.how]
    return Table(list(LONG_COLUMNS), rows())


def _plain(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _csv_cell(v: Any) -> str:
    v = _plain(v)
    return "" if v is None else str(v)


def _write_csv(table: Table, fh) -> int:
    writer = csv.writer(fh)
    writer.writerow(table.columns)
    n = 0
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
        n += 1
    return n


def _write_xlsx(table: Table, path: str) -> int:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("reports")
    ws.append(table.columns)
    n = 0
    for row in table.rows:
        n += 1
        if n > XLSX_MAX_ROWS:
            raise ExportError("too_many_rows", f"more than {XLSX_MAX_ROWS} rows do not fit an Excel sheet; "
                                               "export to .parquet or .csv instead")
        ws.append([_plain(v) for v in row])
    wb.save(path)
    return n


def _write_parquet(table: Table, path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq
    fixed = set(WIDE_COLUMNS) | set(LONG_COLUMNS)  # every other column is a cell: a number
    numeric_cols = {c for c in table.columns if c in NUMERIC or c not in fixed}

    def arrow_type(c: str):
        if c in INTEGER:
            return pa.int64()
        return pa.float64() if c in numeric_cols else pa.string()

    def convert(c: str, v: Any) -> Any:
        if v is None:
            return None
        if c in INTEGER:
            return int(v)
        return float(v) if c in numeric_cols else str(v)

    schema = pa.schema([(c, arrow_type(c)) for c in table.columns])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[list[Any]] = []

        def put() -> None:
            cols = list(zip(*batch)) if batch else [[] for _ in table.columns]
            arrays = [pa.array([convert(c, v) for v in col], type=schema.field(c).type)
                      for c, col in zip(table.columns, cols)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))

        for row in table.rows:
            batch.append(row)
            n += 1
            if len(batch) >= PARQUET_BATCH_ROWS:
                put()
                batch = []
        if batch or n == 0:
            put()
    return n


def _need_extra(fmt: str) -> None:
    if fmt not in EXTRAS:
        return
    module, extra = EXTRAS[fmt]
    try:
        __import__(module)
    except ImportError:
        raise ExportError("missing_extra", f".{fmt} export needs {module}: pip install 'gaiextract[{extra}]'") from None


@contextlib.contextmanager
def _target(out: str, overwrite: bool) -> Iterator[str]:
    """A temporary file beside OUT, renamed over it only when the export succeeded."""
    if os.path.exists(out) and not overwrite:
        raise ExportError("exists", f"{out} exists; remove it or pass --overwrite")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise ExportError("output", f"{out}: no such directory {folder}")
    try:
        fd, tmp = temp_beside(out, prefix=".gaiextract-export-", suffix=os.path.splitext(out)[1])
    except OSError as exc:
        raise ExportError("output", f"{out}: cannot write there: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def export(db: str, out: str, shape: str = "wide", all_copies: bool = False,
           overwrite: bool = False, stdout: io.TextIOBase | None = None) -> int:
    """Export ``db`` to ``out`` (format by extension, ``-`` = CSV on stdout); returns the
    number of rows written. ``db`` is a batch database (URL or SQLite file) or a records
    file (``batch --jsonl`` output, ``extract`` JSON). Raises :class:`ExportError`."""
    if shape not in SHAPES:
        raise ExportError("usage", f"--shape must be one of {', '.join(SHAPES)}")
    fmt = format_of(out)
    _need_extra(fmt)
    with database_of(db) as url:
        return _export_database(url, out, shape, all_copies, overwrite, stdout, fmt)


def _export_database(db: str, out: str, shape: str, all_copies: bool, overwrite: bool,
                     stdout: io.TextIOBase | None, fmt: str) -> int:
    check_database(db)
    engine = make_engine(normalize_url(db))
    try:
        from .sql import create_tables
        create_tables(engine)  # an older database gains the identity columns
        with engine.connect() as conn:
            table = (_wide if shape == "wide" else _long)(conn, all_copies)
            if out == "-":
                return _write_csv(table, stdout or sys.stdout)
            writer: Callable[[Table, str], int] = {"xlsx": _write_xlsx, "parquet": _write_parquet}.get(
                fmt, _write_csv_file)
            with _target(out, overwrite) as tmp:
                return writer(table, tmp)
    finally:
        engine.dispose()


def _write_csv_file(table: Table, path: str) -> int:
    # utf-8-sig: spreadsheet programs recognise the Chinese text
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        return _write_csv(table, fh)
