"""Year-over-year checks: an agency's reports lined up by year.

Why: the template ties consecutive reports together — this year's 上年结转 must be
last year's 结转下年度继续办理, column by column; where a report says its review and
litigation totals include carried-over cases, they cannot be smaller than last
year's 尚未审结 — and no single report can check that. The ties are data
(``grammars/series.toml``); agency names that differ only in form are grouped first
(:mod:`gaiextract.agencies`), and the grouping is part of the result.

    >>> result = gaiextract.series("reports.db")        # a batch database
    >>> result = gaiextract.series_of(records)            # canonical report dicts
    >>> result.failed, result.gaps, result.to_dict()
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from . import agencies
from .grammar import Grammar, GrammarLike, Tie
from .grammar import load as load_grammar

__all__ = ["AgencySeries", "SeriesResult", "Tie", "TieResult", "YearReport", "check_pair", "check_reports",
           "series", "series_of", "ties"]


def ties(grammar: GrammarLike = None) -> tuple[Tie, ...]:
    """The ties of a grammar (``series.toml``, a user's file merged over it)."""
    return load_grammar(grammar).ties


@dataclass
class YearReport:
    """What the series needs of one report."""

    agency: str
    year: int
    cells: dict[str, dict[str, Any]]
    text: str = ""
    report_id: int | None = None
    path: str | None = None
    warnings_count: int = 0
    cells_count: int = 0

    @classmethod
    def of(cls, record: dict[str, Any], report_id: int | None = None) -> YearReport | None:
        rep = record.get("report") or {}
        if not rep.get("agency") or not isinstance(rep.get("year"), int):
            return None
        tables = record.get("tables") or {}
        cells = {t: dict((v or {}).get("cells") or {}) for t, v in tables.items() if isinstance(v, dict)}
        text = "\n".join(str(s.get("text") or "") for s in record.get("sections") or [])
        return cls(agency=rep["agency"], year=rep["year"], cells=cells, text=text, report_id=report_id,
                   path=(record.get("source") or {}).get("path"),
                   warnings_count=len(record.get("warnings") or []),
                   cells_count=sum(1 for t in cells.values() for v in t.values() if v is not None))


@dataclass
class TieResult:
    agency: str
    year: int
    previous_year: int
    check: str
    this_key: str
    previous_key: str
    value: float | None           # report N
    previous_value: float | None  # report N-1
    ok: bool | None               # None: a cell is missing or null
    detail: str = ""
    report_id: int | None = None
    previous_report_id: int | None = None


@dataclass
class AgencySeries:
    agency: str                       # the group key (longest normal form)
    names: list[str]                  # every name seen for it
    years: list[int]
    gaps: list[int] = field(default_factory=list)


@dataclass
class SeriesResult:
    agencies: list[AgencySeries] = field(default_factory=list)
    checks: list[TieResult] = field(default_factory=list)

    @property
    def failed(self) -> list[TieResult]:
        return [c for c in self.checks if c.ok is False]

    @property
    def gaps(self) -> dict[str, list[int]]:
        return {a.agency: a.gaps for a in self.agencies if a.gaps}

    def to_dict(self) -> dict[str, Any]:
        return {"agencies": [asdict(a) for a in self.agencies],
                "checks": [asdict(c) for c in self.checks],
                "summary": {"agencies": len(self.agencies), "checks": len(self.checks),
                            "failed": len(self.failed),
                            "unknown": sum(1 for c in self.checks if c.ok is None),
                            "agencies_with_gaps": len(self.gaps)}}

    def text(self) -> str:
        """A table for the terminal: agencies, their years and gaps, then failed ties."""
        lines = []
        for a in self.agencies:
            years = " ".join(str(y) for y in a.years)
            gap = f"   gap: {' '.join(str(y) for y in a.gaps)}" if a.gaps else ""
            lines.append(f"{a.agency}   {years}{gap}")
            if len(a.names) > 1:
                lines.append(f"    names: {' = '.join(a.names)}")
            for c in self.checks:
                if c.agency == a.agency and c.ok is not True:
                    state = "FAILED" if c.ok is False else "unknown"
                    lines.append(f"    {c.previous_year}→{c.year}  {c.check:<40} "
                                 f"{_fmt(c.previous_value):>6} → {_fmt(c.value):<6} {state}")
        s = self.to_dict()["summary"]
        lines.append(f"{_count(s['agencies'], 'agency', 'agencies')}, {_count(s['checks'], 'tie', 'ties')} checked: "
                     f"{s['failed']} failed, {s['unknown']} unknown; "
                     f"{_count(s['agencies_with_gaps'], 'agency', 'agencies')} with gaps in their years")
        return "\n".join(lines)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _fmt(v: float | None) -> str:
    if v is None:
        return "null"
    return str(int(v)) if float(v).is_integer() else str(v)


def _instances(tie: Tie, grammar: Grammar) -> list[tuple[str, str, str]]:
    """(check id, this key, previous key) for each dimension entry of the tie."""
    if not tie.for_each:
        return [(tie.id, tie.this, tie.previous)]
    dims = grammar.dimensions.get(tie.for_each) or []
    ph = "{" + tie.for_each + "}"
    return [(tie.id.replace(ph, d), tie.this.replace(ph, d), tie.previous.replace(ph, d)) for d in dims]


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    return float(v) if isinstance(v, (int, float)) else None


def check_pair(prev: YearReport, cur: YearReport, agency: str, grammar: GrammarLike = None) -> list[TieResult]:
    g = load_grammar(grammar)
    out = []
    for tie in g.ties:
        if tie.when_text and not any(p in cur.text for p in tie.when_text):
            continue
        this_cells, prev_cells = cur.cells.get(tie.table), prev.cells.get(tie.table)
        if this_cells is None or prev_cells is None:
            continue
        for cid, this_key, prev_key in _instances(tie, g):
            if this_key not in this_cells and prev_key not in prev_cells:
                continue  # neither report prints this column
            v, pv = _number(this_cells.get(this_key)), _number(prev_cells.get(prev_key))
            ok = None if v is None or pv is None else (v == pv if tie.relation == "eq" else v >= pv)
            out.append(TieResult(agency=agency, year=cur.year, previous_year=prev.year, check=cid,
                                 this_key=this_key, previous_key=prev_key, value=v, previous_value=pv,
                                 ok=ok, detail=tie.detail, report_id=cur.report_id,
                                 previous_report_id=prev.report_id))
    return out


def _best(reports: list[YearReport]) -> YearReport:
    return min(reports, key=lambda r: (r.warnings_count, -r.cells_count, r.report_id or 0))


def check_reports(reports: Iterable[YearReport], grammar: GrammarLike = None) -> SeriesResult:
    """Group by agency, keep the best-read report per year, check consecutive years
    (ties and agency rules from ``grammar``: None is the shipped one or $GAIEXTRACT_GRAMMAR)."""
    g = load_grammar(grammar)
    reports = list(reports)
    groups = agencies.group_names((r.agency for r in reports), g)
    by_agency: dict[str, dict[int, list[YearReport]]] = {}
    names: dict[str, list[str]] = {}
    for r in reports:
        grp = groups.get(r.agency)
        if grp is None:
            continue
        by_agency.setdefault(grp.key, {}).setdefault(r.year, []).append(r)
        names[grp.key] = sorted(grp.names)
    result = SeriesResult()
    for key in sorted(by_agency):
        years = sorted(by_agency[key])
        gaps = [y for y in range(years[0], years[-1] + 1) if y not in by_agency[key]]
        result.agencies.append(AgencySeries(agency=key, names=names[key], years=years, gaps=gaps))
        for y in years:
            if y - 1 in by_agency[key]:
                result.checks.extend(check_pair(_best(by_agency[key][y - 1]), _best(by_agency[key][y]), key, g))
    return result


def series_of(records: Iterable[dict[str, Any]], grammar: GrammarLike = None) -> SeriesResult:
    """Series checks over canonical report dicts (error records and reports without
    an agency or year are left out)."""
    return check_reports((r for r in (YearReport.of(rec) for rec in records) if r is not None), grammar)


def _records_from_db(conn) -> Iterable[YearReport]:
    from sqlalchemy import select

    from .sinks.sql import reports
    q = (select(reports.c.id, reports.c.json).where(reports.c.agency.is_not(None), reports.c.year.is_not(None))
         .order_by(reports.c.id))
    for rid, record in conn.execution_options(stream_results=True).execute(q):
        if isinstance(record, str):
            record = json.loads(record)
        yr = YearReport.of(record, report_id=rid)
        if yr is not None:
            yield yr


def series(db: str, store: bool = False, grammar: GrammarLike = None) -> SeriesResult:
    """Series checks over a batch database (a SQLite path or a database URL).

    ``grammar`` supplies the ties and agency rules (see :func:`check_reports`).
    ``store`` writes the result into the database's ``series_agencies``,
    ``series_checks`` and ``series_gaps`` tables (replacing an earlier result).
    A SQLite file that does not exist raises :class:`FileNotFoundError`.
    """
    import os

    from .sinks.sql import create_tables, make_engine, sqlite_path
    path = sqlite_path(db)
    if path is not None and not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such database")
    engine = make_engine(db)
    try:
        if store:
            create_tables(engine, grammar)
        with engine.connect() as conn:
            result = check_reports(list(_records_from_db(conn)), grammar)
        if store:
            from .sinks.series_tables import store_series
            store_series(engine, result)
    finally:
        engine.dispose()
    return result
