"""The series result as database rows (``gaiextract series DB`` stores it there).

Three tables, replaced as a whole on every run (one transaction): which names were
grouped as one agency, each tie checked between consecutive years, and the years
missing inside each agency's range. Documented in docs/data.md.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Integer, String, Text, delete, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from .sql import NUM, PK, Base, begin_write

if TYPE_CHECKING:  # the series module uses this store, never the other way round
    from ..yearly import SeriesResult


class SeriesAgencyRow(Base):
    __tablename__ = "series_agencies"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    agency: Mapped[str] = mapped_column(Text, index=True)   # the group's key
    name: Mapped[str] = mapped_column(Text)                 # a name as printed in a report


class SeriesCheckRow(Base):
    __tablename__ = "series_checks"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    agency: Mapped[str] = mapped_column(Text, index=True)
    year: Mapped[int] = mapped_column(Integer)
    previous_year: Mapped[int] = mapped_column(Integer)
    check_id: Mapped[str] = mapped_column(String(128))
    value: Mapped[float | None] = mapped_column(NUM)
    previous_value: Mapped[float | None] = mapped_column(NUM)
    ok: Mapped[bool | None] = mapped_column(Boolean)     # null: a cell missing or null
    report_id: Mapped[int | None] = mapped_column(PK)
    previous_report_id: Mapped[int | None] = mapped_column(PK)
    detail: Mapped[str | None] = mapped_column(Text)


class SeriesGapRow(Base):
    __tablename__ = "series_gaps"
    id: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    agency: Mapped[str] = mapped_column(Text, index=True)
    year: Mapped[int] = mapped_column(Integer)              # a year with no report


TABLES = [m.__table__ for m in (SeriesAgencyRow, SeriesCheckRow, SeriesGapRow)]


def store_series(engine: Engine, result: SeriesResult) -> None:
    with begin_write(engine) as conn:
        Base.metadata.create_all(conn, tables=TABLES)
        for t in TABLES:
            conn.execute(delete(t))
        names = [{"agency": a.agency, "name": n} for a in result.agencies for n in a.names]
        gaps = [{"agency": a.agency, "year": y} for a in result.agencies for y in a.gaps]
        checks = [{"agency": c.agency, "year": c.year, "previous_year": c.previous_year, "check_id": c.check,
                   "value": c.value, "previous_value": c.previous_value, "ok": c.ok,
                   "report_id": c.report_id, "previous_report_id": c.previous_report_id,
                   "detail": c.detail} for c in result.checks]
        for table, rows in zip(TABLES, (names, checks, gaps)):
            if rows:
                conn.execute(insert(table), rows)
