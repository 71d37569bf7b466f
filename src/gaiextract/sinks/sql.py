"""SQL databases through SQLAlchemy 2.0: SQLite by default, PostgreSQL by URL.

The tables (documented in docs/batch.md) hold one row per file: ``reports`` for
readable reports (with the full canonical JSON) and ``errors`` for the rest,
both unique on the content's sha256. The statistical tables go into ``cells`` in
long form (one row per report, table and key) so that any cross-report query is a
plain WHERE on ``(table_name, key)``; ``export_wide`` pivots them for
spreadsheets.

Writes are batched: one transaction per ``batch_size`` records, and all rows of
one report always in the same transaction, so a killed run leaves whole reports
or nothing. A record for a file that is already stored replaces the old rows in
that same transaction (re-running never duplicates). Two runs writing into one
database at once take turns per transaction (SQLite ``BEGIN IMMEDIATE`` with a
busy timeout; a PostgreSQL advisory lock), and each replaces the other's rows of
the same file instead of failing on them.

Each report also stores its *identity* (normalised agency + year, see
:mod:`gaiextract.agencies`; the agency normalised by the grammar the sink is given,
the one the reports were read with): copies of one report in several formats share it, and
all but the best-read copy (fewest warnings, most cells, then first stored) point
at that copy through ``duplicate_of``.
"""
from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import sqlite3
import time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .. import agencies
from ..grammar import GrammarLike, load
from ..report import report_identity
from . import Sink, is_error, record_key

#: seconds a writer waits for another run's transaction on the same SQLite file
SQLITE_BUSY_TIMEOUT_S = 300.0
#: switching a new SQLite file to WAL while another run writes it is retried after this
#: pause (seconds), doubled each time up to the largest, within SQLITE_BUSY_TIMEOUT_S
WAL_RETRY_FIRST_PAUSE_S = 0.005
WAL_RETRY_MAX_PAUSE_S = 0.25
_MS_PER_S = 1000
#: PostgreSQL advisory lock key that serialises batch transactions across runs
PG_WRITE_LOCK = 0x6761_6965  # "gaie"

#: integer primary keys: BIGINT on PostgreSQL, INTEGER (rowid alias) on SQLite
PK = BigInteger().with_variant(Integer(), "sqlite")
_JSON = JSON().with_variant(JSONB(), "postgresql")
#: numbers of the tables' cells: floats both ways (no Decimal)
NUM = Numeric(asdecimal=False)


class Base(DeclarativeBase):
    pass


def _now():
    return _dt.datetime.now(_dt.timezone.utc)


class ReportRow(Base):
    """One readable report per file."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    source_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    edition: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # ok | warnings
    warnings_count: Mapped[int] = mapped_column(Integer, default=0)
    checks_failed: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int | None] = mapped_column(Integer)
    json: Mapped[dict[str, Any]] = mapped_column(_JSON)
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    agency_key: Mapped[str | None] = mapped_column(Text)      # normalised agency
    identity: Mapped[str | None] = mapped_column(Text)        # "<agency_key>/<year>" or "sha256:<sha>"
    cells_count: Mapped[int | None] = mapped_column(Integer)  # non-null cells
    duplicate_of: Mapped[int | None] = mapped_column(PK)     # best copy's id; null for the best
    __table_args__ = (Index("ix_reports_agency_year", "agency", "year"),
                      Index("ix_reports_identity", "identity"))


class CellRow(Base):
    """One statistical cell: ``tables.<table_name>.cells.<key>`` of a report."""

    __tablename__ = "cells"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    table_name: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    value: Mapped[float | None] = mapped_column(NUM)  # null: blank or placeholder cell
    raw: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    how: Mapped[str | None] = mapped_column(String(16))  # provenance.how: grid, stream, split…
    __table_args__ = (Index("ix_cells_table_key", "table_name", "key"),
                      Index("ix_cells_report", "report_id"))


class SectionRow(Base):
    """Sections (level 1) and their subsections (level 2), in document order."""

    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    ord: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    section_id: Mapped[str | None] = mapped_column(String(32))
    heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[str | None] = mapped_column(Text)  # comma-separated, subsections only


class CheckRow(Base):
    __tablename__ = "checks"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    check_id: Mapped[str] = mapped_column(String(128))
    ok: Mapped[bool] = mapped_column(Boolean)
    expected: Mapped[float | None] = mapped_column(NUM)
    actual: Mapped[float | None] = mapped_column(NUM)
    detail: Mapped[str | None] = mapped_column(Text)


class WarningRow(Base):
    __tablename__ = "warnings"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)


class ErrorRow(Base):
    """One file that could not be read as a report."""

    __tablename__ = "errors"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    source_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)  # null: bytes unreadable
    code: Mapped[str] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


reports, cells, sections, checks, warnings_t, errors = (
    m.__table__ for m in (ReportRow, CellRow, SectionRow, CheckRow, WarningRow, ErrorRow))
CHILD_TABLES = (cells, sections, checks, warnings_t)


def normalize_url(url: str) -> str:
    """A plain path means a SQLite file; ``postgresql://`` means psycopg 3."""
    if "://" not in url:
        return "sqlite:///" + os.path.abspath(url)
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL (None for in-memory or other databases)."""
    u = make_url(normalize_url(url))
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    if u.database.startswith("file:"):  # a SQLite URI (…?mode=ro&uri=true)
        path = u.database[len("file:"):].split("?", 1)[0]
        return None if path in ("", ":memory:") or "mode=memory" in u.database else path
    return u.database


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    sqlite = make_url(url).get_backend_name() == "sqlite"
    kw = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S}} if sqlite else {}
    engine = create_engine(url, json_serializer=lambda o: json.dumps(o, ensure_ascii=False), **kw)
    if sqlite:
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * _MS_PER_S)}")
            _switch_to_wal(cur)
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover - trivial
            # take the write lock at the start: two runs queue instead of one failing
            # with "database is locked" when a read transaction tries to become a write
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")
    return engine


def _switch_to_wal(cur) -> None:
    """``PRAGMA journal_mode=WAL``, waiting for another run's write as a busy timeout would.

    SQLite refuses a journal-mode change that meets another connection's write at once,
    without calling the busy handler (waiting could deadlock) — which is what happens when
    two runs create one database file together. So wait here, up to the same timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    pause = WAL_RETRY_FIRST_PAUSE_S
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, WAL_RETRY_MAX_PAUSE_S)


def begin_write(engine: Engine):
    """A write transaction that other runs on the same database wait for."""
    conn = engine.connect()
    conn.info["write"] = True
    tx = conn.begin()
    if engine.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
    return _WriteTx(conn, tx)


class _WriteTx:
    def __init__(self, conn, tx):
        self.conn, self.tx = conn, tx

    def __enter__(self):
        return self.conn

    def __exit__(self, etype, exc, tb):
        try:
            if etype is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.close()
        return False


#: columns added after the first release: (table, name, SQL type) for ALTER TABLE
_ADDED_COLUMNS = (("reports", "agency_key", "TEXT"), ("reports", "identity", "TEXT"),
                  ("reports", "cells_count", "INTEGER"), ("reports", "duplicate_of", "BIGINT"),
                  ("cells", "how", "VARCHAR(16)"))


def _schema_changes(conn) -> tuple[bool, list[tuple[str, str, str]]]:
    """(tables missing?, columns missing) of this database."""
    from sqlalchemy import inspect
    insp = inspect(conn)
    tables = set(insp.get_table_names())
    if not all(t.name in tables for t in (reports, cells, sections, checks, warnings_t, errors)):
        return True, list(_ADDED_COLUMNS)
    have = {t: {c["name"] for c in insp.get_columns(t)} for t in {a[0] for a in _ADDED_COLUMNS}}
    return False, [(t, n, ty) for t, n, ty in _ADDED_COLUMNS if n not in have[t]]


def create_tables(engine: Engine, grammar: GrammarLike = None) -> None:
    """Create the tables, and add the newer columns to a database of an older version
    (their identities computed with ``grammar``'s agency rules).

    Writes nothing when the schema is complete (an export may read a read-only file)."""
    with engine.connect() as conn:
        tables_missing, columns_missing = _schema_changes(conn)
    if not tables_missing and not columns_missing:
        return
    with begin_write(engine) as conn:
        Base.metadata.create_all(conn, tables=[reports, cells, sections, checks, warnings_t, errors])
        _, missing = _schema_changes(conn)
        for table, name, sqltype in missing:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {sqltype}")
        if any(t == "reports" for t, _, _ in missing):
            for index in reports.indexes:  # the identity index (the table existed without it)
                if index.name == "ix_reports_identity":
                    index.create(conn, checkfirst=True)
            _backfill_identity(conn, grammar)


def _backfill_identity(conn, grammar: GrammarLike) -> None:
    rows = conn.execute(select(reports.c.id, reports.c.json)).all()
    touched = set()
    for rid, record in rows:
        if isinstance(record, str):
            record = json.loads(record)
        vals = _identity_values(record, grammar)
        conn.execute(reports.update().where(reports.c.id == rid).values(**vals))
        touched.add(vals["identity"])
    mark_duplicates(conn, touched)


# -- record -> rows ---------------------------------------------------------

def _number(value):
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _identity_values(record: dict[str, Any], grammar: GrammarLike = None) -> dict[str, Any]:
    rep = record.get("report") or {}
    n_cells = sum(1 for t in (record.get("tables") or {}).values() if isinstance(t, dict)
                  for v in (t.get("cells") or {}).values() if v is not None)
    # agency + year when both are known; else the content (not the file's hash: the PDF,
    # Word and text copies of a report without a readable agency are still one report)
    return {"agency_key": agencies.normalise(rep.get("agency"), grammar),
            "identity": report_identity(record, grammar),
            "cells_count": n_cells}


def report_row(record: dict[str, Any], grammar: GrammarLike = None) -> dict[str, Any]:
    """The ``reports`` row of a record (its identity by ``grammar``'s agency rules)."""
    src = record.get("source") or {}
    rep = record.get("report") or {}
    warns = record.get("warnings") or []
    year = rep.get("year")
    return {**_identity_values(record, grammar), "duplicate_of": None,
        "source_path": str(src.get("path")),
        "sha256": src.get("sha256"),
        "format": src.get("format"),
        "title": rep.get("title"),
        "agency": rep.get("agency"),
        "year": year if isinstance(year, int) else None,
        "edition": rep.get("edition"),
        "status": "warnings" if warns else "ok",
        "warnings_count": len(warns),
        "checks_failed": sum(1 for c in record.get("checks") or [] if not c.get("ok")),
        "pages": src.get("pages") if isinstance(src.get("pages"), int) else None,
        "json": record,
        "created_at": _now(),
    }


def child_rows(record: dict[str, Any], report_id: int):
    """Rows for cells, sections, checks and warnings of one report."""
    out = {cells: [], sections: [], checks: [], warnings_t: []}
    for tname, table in (record.get("tables") or {}).items():
        if not isinstance(table, dict):
            continue
        prov = table.get("provenance") or {}
        for key, value in (table.get("cells") or {}).items():
            p = prov.get(key) or {}
            out[cells].append({"report_id": report_id, "table_name": tname, "key": key,
                               "value": _number(value), "raw": p.get("raw"), "page": p.get("page"),
                               "how": p.get("how") if isinstance(p.get("how"), str) else None})
    ord_ = 0
    for sec in record.get("sections") or []:
        out[sections].append({"report_id": report_id, "ord": ord_, "level": 1,
                              "section_id": sec.get("id"), "heading": sec.get("heading"),
                              "text": sec.get("text"), "categories": None})
        ord_ += 1
        for sub in sec.get("subsections") or []:
            cats = sub.get("categories") or []
            out[sections].append({"report_id": report_id, "ord": ord_, "level": 2,
                                  "section_id": sec.get("id"), "heading": sub.get("heading"),
                                  "text": sub.get("text"), "categories": ",".join(cats) or None})
            ord_ += 1
    for chk in record.get("checks") or []:
        out[checks].append({"report_id": report_id, "check_id": chk.get("id"), "ok": bool(chk.get("ok")),
                            "expected": _number(chk.get("expected")), "actual": _number(chk.get("actual")),
                            "detail": chk.get("rule", chk.get("detail"))})
    for w in record.get("warnings") or []:
        detail = w.get("detail")
        out[warnings_t].append({"report_id": report_id, "code": str(w.get("code")),
                                "table_name": w.get("table"),
                                "detail": detail if detail is None or isinstance(detail, str)
                                else json.dumps(detail, ensure_ascii=False)})
    return out


class SqlSink(Sink):
    name = "db"

    def __init__(self, url: str, batch_size: int = 100, grammar: GrammarLike = None):
        """``grammar``: the grammar the records were read with (a directory, a loaded
        :class:`~gaiextract.grammar.Grammar`, or None for the default one); its agency
        rules give each report its identity."""
        super().__init__()
        self.url = normalize_url(url)
        self.batch_size = batch_size
        self.grammar = grammar
        self.engine: Engine | None = None
        self._buffer: list[dict[str, Any]] = []
        self._existing: set[str] = set()  # keys stored before this run (need replacing)

    def open(self, resume: bool) -> None:
        self.grammar = load(self.grammar)  # loaded once, not per record
        self.engine = make_engine(self.url)
        create_tables(self.engine, self.grammar)
        with self.engine.connect() as conn:
            for (sha,) in conn.execute(select(reports.c.sha256)):
                self._existing.add(sha)
            for sha, path in conn.execute(select(errors.c.sha256, errors.c.source_path)):
                key = sha if sha else "path:" + path
                self._existing.add(key)
                self.errored.add(key)
        if resume:
            self.done = set(self._existing)

    def write(self, record: dict[str, Any]) -> None:
        self._buffer.append(record)
        self.done.add(record_key(record))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._buffer or self.engine is None:
            return
        batch = self._buffer
        with begin_write(self.engine) as conn:  # one transaction; other runs wait for it
            replaced = self._replace_existing(conn, batch)
            good = [r for r in batch if not is_error(r)]
            bad = [r for r in batch if is_error(r)]
            if good:
                res = conn.execute(
                    insert(reports).returning(reports.c.id, reports.c.sha256, sort_by_parameter_order=True),
                    [report_row(r, self.grammar) for r in good])
                ids = {sha: rid for rid, sha in res}
                rows = {t: [] for t in CHILD_TABLES}
                for r in good:
                    for t, rs in child_rows(r, ids[r["source"]["sha256"]]).items():
                        rows[t].extend(rs)
                for t in CHILD_TABLES:
                    if rows[t]:
                        conn.execute(insert(t), rows[t])
                replaced |= {_identity_values(r, self.grammar)["identity"] for r in good}
            mark_duplicates(conn, replaced)
            if bad:
                conn.execute(insert(errors), [
                    {"source_path": str(r["source"].get("path")), "sha256": r["source"].get("sha256"),
                     "code": r["error"]["code"], "message": r["error"].get("message"), "created_at": _now()}
                    for r in bad])
        self._buffer = []
        for r in batch:
            self._existing.add(record_key(r))

    def _replace_existing(self, conn, batch) -> set[str | None]:
        """Delete earlier rows of files in this batch (same transaction as the insert).

        Always by key, not only for keys this run saw at start: another run may have
        stored the same file since. Returns the identities of the reports removed
        (their remaining copies need their best copy chosen again).
        """
        keys = [record_key(r) for r in batch]
        shas = [k for k in keys if not k.startswith("path:")]
        paths = [k[5:] for k in keys if k.startswith("path:")]
        gone: set[str | None] = set()
        if shas:
            gone = {i for (i,) in conn.execute(select(reports.c.identity).where(reports.c.sha256.in_(shas)))}
            ids = select(reports.c.id).where(reports.c.sha256.in_(shas)).scalar_subquery()
            for t in CHILD_TABLES:
                conn.execute(delete(t).where(t.c.report_id.in_(ids)))
            conn.execute(delete(reports).where(reports.c.sha256.in_(shas)))
            conn.execute(delete(errors).where(errors.c.sha256.in_(shas)))
        if paths:
            conn.execute(delete(errors).where(errors.c.sha256.is_(None), errors.c.source_path.in_(paths)))
        return gone

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self.engine is not None:
                self.engine.dispose()
                self.engine = None


def mark_duplicates(conn, identities) -> None:
    """Point every copy of these identities but the best-read one at the best one."""
    idents = [i for i in identities if i]
    for start in range(0, len(idents), 500):
        chunk = idents[start:start + 500]
        rows = conn.execute(select(reports.c.id, reports.c.identity, reports.c.warnings_count,
                                   reports.c.cells_count, reports.c.duplicate_of)
                            .where(reports.c.identity.in_(chunk))).all()
        by_ident: dict[str | None, list[Any]] = {}
        for r in rows:
            by_ident.setdefault(r.identity, []).append(r)
        for copies in by_ident.values():
            copies.sort(key=lambda r: (r.warnings_count or 0, -(r.cells_count or 0), r.id))
            best = copies[0].id
            for r in copies:
                want = None if r.id == best else best
                if r.duplicate_of != want:
                    conn.execute(reports.update().where(reports.c.id == r.id).values(duplicate_of=want))


# -- wide export ------------------------------------------------------------

REPORT_COLUMNS = ("id", "source_path", "sha256", "format", "agency", "year", "edition",
                  "status", "warnings_count", "checks_failed")


def cell_columns(conn, grammar: GrammarLike = None) -> list[tuple[str, str]]:
    """Every (table_name, key) present, in template order (``grammar``'s tables, then
    first appearance)."""
    rows = conn.execute(select(cells.c.table_name, cells.c.key, func.min(cells.c.id))
                        .group_by(cells.c.table_name, cells.c.key)).all()
    from ..grammar import load as load_grammar

    rank = {t: i for i, t in enumerate(load_grammar(grammar).table_names())}
    rows.sort(key=lambda r: (rank.get(r[0], len(rank)), r[0], r[2]))
    return [(t, k) for t, k, _ in rows]


def _fmt(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_wide(url: str, out_path, encoding: str = "utf-8-sig", grammar: GrammarLike = None) -> int:
    """Write one CSV row per report, one column per cell key; return the row count.

    Blank cells (null) stay empty; a key the report does not have is empty too.
    ``utf-8-sig`` lets spreadsheet programs recognise the Chinese text.
    """
    engine = make_engine(url)
    n = 0
    try:
        with engine.connect() as conn, open(out_path, "w", newline="", encoding=encoding) as fh:
            cols = cell_columns(conn, grammar)
            index = {c: i for i, c in enumerate(cols)}
            writer = csv.writer(fh)
            writer.writerow(list(REPORT_COLUMNS) + [f"{t}.{k}" for t, k in cols])
            report_cols = [reports.c[c] for c in REPORT_COLUMNS]
            cur_id, cur_row, values = None, None, None

            def emit():
                writer.writerow([_fmt(v) for v in cur_row] + [_fmt(v) for v in values])

            q = (select(*report_cols, cells.c.table_name, cells.c.key, cells.c.value)
                 .select_from(reports.outerjoin(cells, cells.c.report_id == reports.c.id))
                 .order_by(reports.c.id))
            for row in conn.execution_options(stream_results=True).execute(q):
                rid = row[0]
                if rid != cur_id:
                    if cur_id is not None:
                        emit()
                        n += 1
                    cur_id, cur_row, values = rid, row[:len(REPORT_COLUMNS)], [None] * len(cols)
                t, k, v = row[len(REPORT_COLUMNS):]
                if t is not None:
                    values[index[(t, k)]] = v
            if cur_id is not None:
                emit()
                n += 1
    finally:
        engine.dispose()
    return n
