"""The canonical report record (the contract in docs/canonical-json.md).

Library conventions users know from other extraction tools: a short ``repr``,
``to_dict()`` / ``to_json()``, ``to_frame()`` when pandas is installed (the
``pandas`` extra), and ``section(id)`` that tells a typo (an id the grammar does not
have: ``KeyError``) from a section the report lacks (``None``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas

SCHEMA_ID = "gaiextract.report/1"
#: columns of ``to_frame()``: one row per cell
FRAME_COLUMNS = ("table", "key", "value", "raw", "page", "how")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError("to_frame() needs pandas: pip install 'gaiextract[pandas]'") from None
    return pandas


@dataclass(repr=False)
class TableResult:
    cells: dict[str, Any] = field(default_factory=dict)
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
    fees: dict[str, Any] = field(default_factory=lambda: {"notices": None, "amount_notified": None,
                                                 "amount_collected": None})
    checks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def section(self, sid: str) -> Section | None:
        """The section with this id, or None when the report lacks it.

        Raises ``KeyError`` for an id that is not a section id of the grammar (a typo
        would otherwise look like a missing section)."""
        found = next((s for s in self.sections if s.id == sid), None)
        if found is None:
            from .grammar import load
            known = [d.id for d in load().sections]
            if sid not in known:
                raise KeyError(f"{sid!r} is not a section id; the section ids are {', '.join(known)}")
        return found

    def to_frame(self) -> pandas.DataFrame:
        """Every cell of the three tables as a pandas DataFrame (long form):
        table, key, value, raw, page, how."""
        pd = _pandas()
        rows = [r for name, t in self.tables.items() for r in t.rows(name)]
        return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))

    def __repr__(self) -> str:
        cells = sum(len(t.cells) for t in self.tables.values())
        return (f"<Report {self.agency or '?'} {self.year or '?'} edition {self.edition}: "
                f"{len(self.sections)} sections, {cells} cells, {len(self.warnings)} warnings, "
                f"{len(self.failing_checks)} failing checks; {self.source.get('path')}>")

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
