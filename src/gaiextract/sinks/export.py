"""``gaiextract export DB OUT``: a batch database (or batch JSONL) as CSV, Excel or Parquet.

Why a module of its own: analysts open spreadsheets and data frames, not SQL. The
format follows OUT's extension (``-`` is CSV on standard output); ``wide`` is one
row per report identity (the best-read copy unless ``all_copies``), ``long`` one
row per cell. Every column has a Chinese label with its unit (:mod:`.labels`,
``grammars/export.toml``): the long shape carries it in ``label``/``unit`` columns,
the wide shape in its header (``header``: keys, labels or both rows; an xlsx has
the labels, a frozen header row with filters, one sheet per template edition and
a 字段说明 sheet), Parquet in each field's metadata. Counts are whole numbers
(nullable integers in Parquet, ``Int64`` in pandas), amounts decimals. Excel and
Parquet need the ``xlsx`` / ``parquet`` extras. The file is written under a
temporary name and renamed, so a failed export leaves nothing behind, and an
existing OUT is refused unless ``overwrite``.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..clikit import temp_beside
from ..grammar import GrammarError, GrammarLike
from .labels import LONG_COLUMNS, ExportLabels, labels_of
from .sql import SqlSink, cell_columns, cells, make_engine, normalize_url, reports, sqlite_path

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
EXTRAS = {"xlsx": ("openpyxl", "xlsx"), "parquet": ("pyarrow", "parquet")}
SHAPES = ("wide", "long")

WIDE_COLUMNS = ("identity", "title", "agency", "year", "edition",
                "fees.notices", "fees.amount_notified", "fees.amount_collected",
                "id", "source_path", "sha256", "format", "status", "warnings_count",
                "checks_failed", "cells_count", "duplicate_of")
HEADERS = ("keys", "labels", "both")
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
    #: the labels, units and sheet names of the grammar the export is made with
    labels: ExportLabels
    #: cell columns (``table.key``) holding a value that is not a whole number
    decimal_cells: frozenset[str] = frozenset()
    shape: str = "wide"


def is_integer_column(name: str, table: Table) -> bool:
    """Counts are whole numbers; amounts (and a count column where some report printed a
    fraction) are not. The long shape's ``value`` holds both kinds: a decimal."""
    if name in table.decimal_cells:
        return False
    if name in WIDE_COLUMNS or name in LONG_COLUMNS:
        return name in INTEGER
    return table.labels.column_info(name).integer


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
    ``missing``, or ``neither`` (a file that is neither)."""
    from ..records import SQLITE_MAGIC, is_records_file
    if "://" in source:
        return "database"
    if not os.path.exists(source):
        return "missing"
    if not os.path.isfile(source):
        return "neither"
    with open(source, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC or not head:  # an empty file is an empty SQLite database
        return "database"
    return "records" if is_records_file(source) else "neither"


@contextlib.contextmanager
def database_of(source: str, grammar: GrammarLike = None) -> Iterator[str]:
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
    if kind == "neither":
        raise ExportError("unsupported_format", f"{source}: neither a batch database (SQLite) nor the JSON/JSON Lines "
                                                "that `gaiextract extract` / `batch --jsonl` write")
    if kind == "database":
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="gaiextract-records-") as tmp:
        url = os.path.join(tmp, "records.db")
        sink = SqlSink(url, batch_size=500, grammar=grammar)
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


def _decimal_cells(conn) -> frozenset[str]:
    """``table.key`` of the cells whose stored value is not a whole number."""
    from sqlalchemy import Integer, cast
    q = select(cells.c.table_name, cells.c.key).where(cells.c.value != cast(cells.c.value, Integer)).distinct()
    return frozenset(f"{t}.{k}" for t, k in conn.execute(q))


def _edition_keys(keys: list[tuple[str, str]], edition: str | None, lab: ExportLabels) -> list[tuple[str, str]]:
    if edition is None:
        return keys
    have = lab.editions
    return [(t, k) for t, k in keys if edition in have.get((t, k), (edition,))]


def _wide(conn, all_copies: bool, edition: str | None, lab: ExportLabels) -> Table:
    keys = _edition_keys(cell_columns(conn, lab.grammar), edition, lab)
    index = {c: i for i, c in enumerate(keys)}
    head = [c for c in WIDE_COLUMNS if not c.startswith("fees.")]
    cols = [reports.c[c] for c in head]
    q = (select(*cols, reports.c.json["fees"], cells.c.table_name, cells.c.key, cells.c.value)
         .select_from(reports.outerjoin(cells, cells.c.report_id == reports.c.id))
         .order_by(reports.c.identity, reports.c.id))
    if not all_copies:
        q = q.where(reports.c.duplicate_of.is_(None))
    if edition is not None:
        q = q.where(reports.c.edition == edition)

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
            if t is not None and (t, k) in index:
                values[index[(t, k)]] = v
        if cur_id is not None:
            yield base + values
    return Table(list(WIDE_COLUMNS) + [f"{t}.{k}" for t, k in keys], rows(), lab, _decimal_cells(conn))


#: pandas dtypes of the long shape's numeric columns (``Report.to_frame()``; Parquet restores them)
def _long(conn, all_copies: bool, edition: str | None, lab: ExportLabels) -> Table:
    q = (select(reports.c.identity, reports.c.id, reports.c.sha256, reports.c.agency, reports.c.year,
                reports.c.edition, cells.c.table_name, cells.c.key, cells.c.value, cells.c.raw, cells.c.page,
                cells.c.how)
         .select_from(reports.join(cells, cells.c.report_id == reports.c.id))
         .order_by(reports.c.identity, reports.c.id, cells.c.id))
    if not all_copies:
        q = q.where(reports.c.duplicate_of.is_(None))
    if edition is not None:
        q = q.where(reports.c.edition == edition)

    def rows() -> Iterator[list[Any]]:
        for r in conn.execution_options(stream_results=True).execute(q):
            yield lab.long_row(r.identity, r.id, r.sha256, r.agency, r.year, r.edition, r.table_name, r.key,
                           r.value, r.raw, r.page, r.how)
    return Table(list(LONG_COLUMNS), rows(), lab, shape="long")


def _plain(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _csv_cell(v: Any) -> str:
    v = _plain(v)
    return "" if v is None else str(v)


def header_rows(columns: list[str], header: str, lab: ExportLabels) -> list[list[str]]:
    """The header row(s): the keys, the Chinese labels (units included), or both (keys
    first, so that a program reading one header row still gets the keys)."""
    labels = [lab.column_info(c).label for c in columns]
    return {"keys": [list(columns)], "labels": [labels], "both": [list(columns), labels]}[header]


def _write_csv(table: Table, fh, header: str = "keys") -> int:
    writer = csv.writer(fh)
    for h in header_rows(table.columns, header, table.labels):
        writer.writerow(h)
    n = 0
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
        n += 1
    return n


def _write_xlsx(table: Table, path: str, header: str = "labels") -> int:
    """Excel: the wide shape has one sheet per template edition (with that edition's
    columns only) and one for reports whose edition is unknown; the long shape one
    sheet. Each sheet's header is frozen and filtered; a 字段说明 sheet lists every
    column (key, label, unit, editions, meaning)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    lab = table.labels
    w = lab.words
    wb = Workbook(write_only=True)
    heads = header_rows(table.columns, header, lab)
    sheets: dict[str, Any] = {}
    counts: dict[str, int] = {}
    picks: dict[str, list[int]] = {}
    ed_at = table.columns.index("edition")

    def sheet_for(edition: Any) -> tuple[Any, list[int], str]:
        name = w.sheet_cells if table.shape == "long" else lab.edition_sheet(str(edition) if edition else None)
        if name not in sheets:
            cols = list(range(len(table.columns)))
            if table.shape == "wide" and name != w.sheet_unknown_edition:
                keep = {f"{t}.{k}" for t, k in _edition_keys(_cells_of(table.columns), str(edition), lab)}
                cols = [i for i, c in enumerate(table.columns) if c in WIDE_COLUMNS or c in keep]
            ws = wb.create_sheet(name)
            ws.freeze_panes = f"A{len(heads) + 1}"
            for h in heads:
                ws.append([h[i] for i in cols])
            sheets[name], picks[name], counts[name] = ws, cols, 0
        return sheets[name], picks[name], name

    n = 0
    for row in table.rows:
        n += 1
        ws, cols, name = sheet_for(row[ed_at])
        counts[name] += 1
        if counts[name] > XLSX_MAX_ROWS - len(heads) + 1:
            raise ExportError("too_many_rows", f"more than {XLSX_MAX_ROWS} rows do not fit an Excel sheet; "
                                               "export to .parquet or .csv instead")
        ws.append([_plain(row[i]) for i in cols])
    if not sheets:
        sheet_for(None if table.shape == "wide" else "")
    for name, ws in sheets.items():
        last = get_column_letter(len(picks[name]))
        ws.auto_filter.ref = f"A{len(heads)}:{last}{len(heads) + counts[name]}"
    _dictionary_sheet(wb, table)
    wb.save(path)
    return n


def _cells_of(columns: list[str]) -> list[tuple[str, str]]:
    fixed = set(WIDE_COLUMNS) | set(LONG_COLUMNS)
    return [tuple(c.split(".", 1)) for c in columns if c not in fixed]  # type: ignore[misc]


def _dictionary_sheet(wb: Any, table: Table) -> None:
    """字段说明: one row per column — key, label, unit, template editions, meaning."""
    w = table.labels.words
    ws = wb.create_sheet(w.sheet_dictionary)
    ws.freeze_panes = "A2"
    ws.append(list(w.dictionary_header))
    for c in table.columns:
        info = table.labels.column_info(c)
        ws.append([c, info.label, info.unit or "", "/".join(info.editions) or w.all_editions, info.meaning])
    ws.auto_filter.ref = f"A1:E{len(table.columns) + 1}"


def _write_parquet(table: Table, path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq
    fixed = set(WIDE_COLUMNS) | set(LONG_COLUMNS)  # every other column is a cell: a number
    numeric_cols = {c for c in table.columns if c in NUMERIC or c not in fixed}
    integer_cols = {c for c in numeric_cols if is_integer_column(c, table)}

    def arrow_type(c: str):
        if c in integer_cols:
            return pa.int64()
        return pa.float64() if c in numeric_cols else pa.string()

    def convert(c: str, v: Any) -> Any:
        if v is None:
            return None
        if c in integer_cols:
            return int(v)
        return float(v) if c in numeric_cols else str(v)

    def field(c: str) -> Any:  # the Chinese label and unit travel with the column
        info = table.labels.column_info(c)
        meta = {"label": info.label, **({"unit": info.unit} if info.unit else {})}
        return pa.field(c, arrow_type(c), metadata={k: v.encode("utf-8") for k, v in meta.items()})

    schema = pa.schema([field(c) for c in table.columns])
    # pandas metadata: counts come back as nullable integers (Int64), not float64 with NaN
    schema = schema.with_metadata({b"pandas": json.dumps(_pandas_metadata(table.columns, integer_cols, numeric_cols))
                                   .encode("utf-8")})
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


def _pandas_metadata(columns: list[str], integer_cols: set[str], numeric_cols: set[str]) -> dict[str, Any]:
    """What ``pandas.read_parquet`` reads to restore dtypes: ``Int64`` for counts."""
    def col(c: str) -> dict[str, Any]:
        if c in integer_cols:
            kind, numpy = "int64", "Int64"
        elif c in numeric_cols:
            kind, numpy = "float64", "float64"
        else:
            kind, numpy = "unicode", "object"
        return {"name": c, "field_name": c, "pandas_type": kind, "numpy_type": numpy, "metadata": None}
    return {"index_columns": [], "column_indexes": [], "columns": [col(c) for c in columns],
            "creator": {"library": "gaiextract"}, "pandas_version": "2.0.0"}


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
           overwrite: bool = False, stdout: io.TextIOBase | None = None, header: str | None = None,
           edition: str | None = None, grammar: GrammarLike = None) -> int:
    """Export ``db`` to ``out`` (format by extension, ``-`` = CSV on stdout); returns the
    number of rows written. ``db`` is a batch database (URL or SQLite file) or a records
    file (``batch --jsonl`` output, ``extract`` JSON). ``grammar`` is the grammar the
    reports were read with (a directory, as ``--grammar``; None: the default one): its
    tables, editions and ``export.toml`` wording name the columns, and a records file's
    identities use its agency rules. Raises :class:`ExportError` (``grammar`` for a
    broken grammar)."""
    if shape not in SHAPES:
        raise ExportError("usage", f"--shape must be one of {', '.join(SHAPES)}")
    try:
        lab = labels_of(grammar)
    except GrammarError as exc:
        raise ExportError("grammar", str(exc)) from None
    editions = lab.grammar.editions
    if edition is not None and edition not in editions:
        raise ExportError("usage", f"--edition must be one of {', '.join(editions)}, not {edition!r}")
    if header is not None and header not in HEADERS:
        raise ExportError("usage", f"--header must be one of {', '.join(HEADERS)}")
    fmt = format_of(out)
    _need_extra(fmt)
    with database_of(db, lab.grammar) as url:
        return _export_database(url, out, shape, all_copies, overwrite, stdout, fmt, header, edition, lab)


def _export_database(db: str, out: str, shape: str, all_copies: bool, overwrite: bool,
                     stdout: io.TextIOBase | None, fmt: str, header: str | None, edition: str | None,
                     lab: ExportLabels) -> int:
    check_database(db)
    engine = make_engine(normalize_url(db))
    try:
        from .sql import create_tables
        create_tables(engine, lab.grammar)  # an older database gains the identity columns
        with engine.connect() as conn:
            table = (_wide if shape == "wide" else _long)(conn, all_copies, edition, lab)
            if out == "-":
                return _write_csv(table, stdout or sys.stdout, header or "keys")
            with _target(out, overwrite) as tmp:
                if fmt == "xlsx":
                    return _write_xlsx(table, tmp, header or "labels")
                if fmt == "parquet":
                    if header not in (None, "keys"):
                        raise ExportError("usage", "Parquet columns are named by key; the labels are in each "
                                                   "field's metadata (--header applies to .csv and .xlsx)")
                    return _write_parquet(table, tmp)
                return _write_csv_file(table, tmp, header or "keys")
    finally:
        engine.dispose()


def _write_csv_file(table: Table, path: str, header: str = "keys") -> int:
    # utf-8-sig: spreadsheet programs recognise the Chinese text
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        return _write_csv(table, fh, header)
