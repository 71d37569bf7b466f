"""The canonical report record (the contract in docs/canonical-json.md).

Library conventions users know from other extraction tools: a short ``repr``,
``to_dict()`` / ``to_json()`` and ``Report.from_dict()`` back, ``to_frame()`` when
pandas is installed (the ``pandas`` extra), ``section(id)`` like a mapping's ``[]``
(``KeyError`` for a typo or a section the report lacks, the message says which) and
``get_section(id)`` like ``.get`` (``None`` when the report lacks it).
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .errors import ReportWarning
    from .grammar import Grammar, GrammarLike

SCHEMA_ID = "gaiextract.report/1"
#: columns of ``TableResult.rows()``: one row per cell
FRAME_COLUMNS = ("table", "key", "value", "raw", "page", "how")
#: a table cell: the number printed in it, or None (blank, placeholder, unreadable)
CellValue = Union[int, float, None]


@dataclass(frozen=True)
class IdentitySettings:
    """What :func:`content_id` reads of the text (the cells and year are read whole)."""

    #: Han characters of the sections' text, from the start, that enter the id: the
    #: opening of a report reads the same from PDF, Word, HTML and text, while the end
    #: varies with what each reader keeps (fees sentences, footers)
    text_chars: int = 200


DEFAULT_IDENTITY = IdentitySettings()
CONTENT_ID_PREFIX = "content:"


def _han_only(text: str) -> str:
    import re

    from .textnorm import HAN
    return "".join(re.findall(f"[{HAN}]+", text))


def content_id(record: Mapping[str, Any], settings: IdentitySettings = DEFAULT_IDENTITY) -> str:
    """A report's identity by its content, the same for its PDF, Word, HTML and text
    copies: ``content:`` + the sha256 of the year, the normalised agency (if found),
    every non-null table cell (table, key, value) and the first
    ``settings.text_chars`` Han characters of its sections' text (NFKC; spaces,
    punctuation and digits dropped). Not the file's hash: two files of one report
    share it. See docs/data.md, *Report identity*."""
    from .agencies import normalise
    rep = record.get("report") or {}
    cells = sorted([t, k, v] for t, table in (record.get("tables") or {}).items() if isinstance(table, Mapping)
                   for k, v in (table.get("cells") or {}).items() if v is not None)
    text = "".join(_han_only(unicodedata.normalize("NFKC", s.get("text") or ""))
                   for s in record.get("sections") or [])[: settings.text_chars]
    year = rep.get("year") if isinstance(rep.get("year"), int) else None
    key = json.dumps({"year": year, "agency": normalise(rep.get("agency")), "cells": cells, "text": text},
                     ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return CONTENT_ID_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


def report_identity(record: Mapping[str, Any], grammar: GrammarLike = None) -> str:
    """The identity batch databases and exports give a report: ``<normalised agency>/<year>``
    when both are known (the agency normalised by ``grammar``'s ``agencies.toml``: the
    grammar the report was read with), else its :func:`content_id`."""
    from .agencies import identity, normalise
    rep = record.get("report") or {}
    year = rep.get("year") if isinstance(rep.get("year"), int) else None
    if normalise(rep.get("agency"), grammar) and year is not None:
        return identity(rep.get("agency"), year, grammar=grammar)
    return content_id(record)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError("to_frame() needs pandas: pip install 'gaiextract[pandas]'") from None
    return pandas


@dataclass(repr=False)
class TableResult:
    cells: dict[str, CellValue] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    location: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"cells": dict(self.cells), "provenance": dict(self.provenance), "location": dict(self.location)}

    def rows(self, table: str | None = None) -> list[tuple[Any, ...]]:
        """One tuple per cell in ``FRAME_COLUMNS`` order (``table`` may be None)."""
        out = []
        for key, value in self.cells.items():
            p = self.provenance.get(key) or {}
            out.append((table, key, value, p.get("raw"), p.get("page"), p.get("how")))
        return out

    def to_frame(self) -> pandas.DataFrame:
        """The cells as a pandas DataFrame indexed by key: value, raw, page, how."""
        pd = _pandas()
        frame = pd.DataFrame([r[1:] for r in self.rows()], columns=list(FRAME_COLUMNS[1:]))
        return frame.set_index("key")

    def __repr__(self) -> str:
        filled = sum(1 for v in self.cells.values() if v is not None)
        page = self.location.get("page")
        return f"<TableResult {len(self.cells)} cells ({filled} filled){f' page {page}' if page else ''}>"


@dataclass(repr=False)
class Subsection:
    heading: str
    text: str
    categories: list[str]
    scores: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "text": self.text, "categories": list(self.categories),
                "scores": dict(self.scores)}

    def __repr__(self) -> str:
        return f"<Subsection {_short(self.heading)!r} {','.join(self.categories) or '-'}>"


def _short(text: str | None, width: int = 24) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(repr=False)
class Section:
    id: str
    heading: str
    text: str
    location: dict[str, Any] = field(default_factory=dict)
    subsections: list[Subsection] = field(default_factory=list)
    problems: list[str] | None = None
    measures: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "heading": self.heading, "text": self.text, "location": dict(self.location),
             "subsections": [s.to_dict() for s in self.subsections]}
        if self.problems is not None:
            d["problems"] = list(self.problems)
            d["measures"] = list(self.measures or [])
        return d

    def __repr__(self) -> str:
        return f"<Section {self.id} {_short(self.heading)!r} {len(self.text)} chars>"


@dataclass(repr=False)
class Report:
    """One extracted report. ``to_dict()`` is the canonical JSON object."""

    source: dict[str, Any]
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    edition: str = "unknown"
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, TableResult] = field(default_factory=dict)
    fees: dict[str, CellValue] = field(default_factory=lambda: {"notices": None, "amount_notified": None,
                                                       "amount_collected": None})
    checks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[ReportWarning] = field(default_factory=list)
    #: the grammar the report was extracted with (not part of the JSON; None: the shipped one)
    grammar: Grammar | None = field(default=None, compare=False)

    def section(self, sid: str) -> Section:
        """The section with this id. Raises ``KeyError`` when the report lacks it (it has
        a ``section_not_found`` warning) and, with the known ids, for an id that is not a
        section id of the grammar (a typo). :meth:`get_section` returns None instead."""
        found = self.get_section(sid)
        if found is None:
            raise KeyError(f"{sid!r}: this report has no such section (see its section_not_found warning)")
        return found

    def get_section(self, sid: str) -> Section | None:
        """The section with this id, or None when the report lacks it; ``KeyError`` for
        an id that is not a section id of the grammar (a typo would look like a gap)."""
        found = next((s for s in self.sections if s.id == sid), None)
        if found is None:
            from .grammar import load
            known = load(self.grammar).section_ids()
            if sid not in known:
                raise KeyError(f"{sid!r} is not a section id; the section ids are {', '.join(known)}")
        return found

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Report:
        """The report of a canonical JSON object (``to_dict()``, a line of
        ``batch --jsonl``, ``extract``'s output): ``Report.from_dict(r.to_dict()) == r``.
        ValueError for anything else (an error record, another schema)."""
        if not isinstance(d, Mapping) or d.get("schema") != SCHEMA_ID:
            got = d.get("schema") if isinstance(d, Mapping) else type(d).__name__
            raise ValueError(f"not a canonical report (schema {got!r}, expected {SCHEMA_ID!r})")
        rep = d.get("report") or {}
        sections = [Section(id=s["id"], heading=s.get("heading") or "", text=s.get("text") or "",
                            location=dict(s.get("location") or {}),
                            subsections=[Subsection(heading=u.get("heading") or "", text=u.get("text") or "",
                                                    categories=list(u.get("categories") or []),
                                                    scores=dict(u.get("scores") or {}))
                                         for u in s.get("subsections") or []],
                            problems=list(s["problems"]) if s.get("problems") is not None else None,
                            measures=list(s.get("measures") or []) if s.get("problems") is not None else None)
                    for s in d.get("sections") or []]
        tables = {name: TableResult(cells=dict(t.get("cells") or {}), provenance=dict(t.get("provenance") or {}),
                                    location=dict(t.get("location") or {}))
                  for name, t in (d.get("tables") or {}).items()}
        return cls(source=dict(d.get("source") or {}), title=rep.get("title"), agency=rep.get("agency"),
                   year=rep.get("year"), edition=rep.get("edition") or "unknown", sections=sections,
                   tables=tables, fees=dict(d.get("fees") or {}), checks=[dict(c) for c in d.get("checks") or []],
                   warnings=[dict(w) for w in d.get("warnings") or []])

    def to_frame(self) -> pandas.DataFrame:
        """Every cell of the three tables as a pandas DataFrame, one row per cell, with
        the columns of ``gaiextract export --shape long`` (identity, …, the template's
        row/column labels, ``label`` with the unit, ``unit``, page, how); ``id`` (a
        database row) is null. ``value`` is ``Float64`` (counts and amounts share it),
        ``year``/``page`` are ``Int64``. Labels, units and the identity come from the
        grammar the report was extracted with."""
        pd = _pandas()
        from .sinks.labels import LONG_COLUMNS, LONG_DTYPES, labels_of
        lab = labels_of(self.grammar)  # the grammar the report was extracted with
        ident = report_identity(self.to_dict(), self.grammar)
        rows = [lab.long_row(ident, None, self.source.get("sha256"), self.agency, self.year, self.edition, name, *r[1:3],
                         r[3], r[4], r[5])
                for name, t in self.tables.items() for r in t.rows(name)]
        return pd.DataFrame(rows, columns=list(LONG_COLUMNS)).astype(LONG_DTYPES)

    def __repr__(self) -> str:
        cells = sum(len(t.cells) for t in self.tables.values())
        return (f"<Report {self.agency or '?'} {self.year or '?'} edition {self.edition}: "
                f"{len(self.sections)} sections, {cells} cells, {len(self.warnings)} warnings, "
                f"{len(self.failing_checks)} failing checks; {self.source.get('path')}>")

    @property
    def content_id(self) -> str:
        """This report's identity by content (:func:`content_id`): one id for the PDF,
        Word and text copies of one report, whatever their bytes."""
        return content_id(self.to_dict())

    @property
    def failing_checks(self) -> list[str]:
        return [c["id"] for c in self.checks if c.get("ok") is False]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "source": dict(self.source),
            "report": {"title": self.title, "agency": self.agency, "year": self.year, "edition": self.edition},
            "sections": [s.to_dict() for s in self.sections],
            "tables": {name: t.to_dict() for name, t in self.tables.items()},
            "fees": dict(self.fees),
            "checks": [dict(c) for c in self.checks],
            "warnings": [dict(w) for w in self.warnings],
        }

    def to_json(self, indent: int | None = 1) -> str:
        # allow_nan=False: a non-finite number is a bug, never "Infinity" on stdout
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)
