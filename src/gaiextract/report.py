"""The canonical report record (the contract in docs/canonical-json.md)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

SCHEMA_ID = "gaiextract.report/1"


@dataclass
class TableResult:
    cells: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    location: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"cells": dict(self.cells), "provenance": dict(self.provenance), "location": dict(self.location)}


@dataclass
class Subsection:
    heading: str
    text: str
    categories: list
    scores: dict

    def to_dict(self) -> dict:
        return {"heading": self.heading, "text": self.text, "categories": list(self.categories),
                "scores": dict(self.scores)}


@dataclass
class Section:
    id: str
    heading: str
    text: str
    location: dict = field(default_factory=dict)
    subsections: list = field(default_factory=list)
    problems: Optional[list] = None
    measures: Optional[list] = None

    def to_dict(self) -> dict:
        d = {"id": self.id, "heading": self.heading, "text": self.text, "location": dict(self.location),
             "subsections": [s.to_dict() for s in self.subsections]}
        if self.problems is not None:
            d["problems"] = list(self.problems)
            d["measures"] = list(self.measures or [])
        return d


@dataclass
class Report:
    """One extracted report. ``to_dict()`` is the canonical JSON object."""

    source: dict
    title: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    edition: str = "unknown"
    sections: list = field(default_factory=list)      # Section
    tables: dict = field(default_factory=dict)        # name -> TableResult
    fees: dict = field(default_factory=lambda: {"notices": None, "amount_notified": None,
                                                 "amount_collected": None})
    checks: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def section(self, sid: str) -> Optional[Section]:
        return next((s for s in self.sections if s.id == sid), None)

    @property
    def failing_checks(self) -> list:
        return [c["id"] for c in self.checks if c.get("ok") is False]

    def to_dict(self) -> dict:
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

    def to_json(self, indent: Optional[int] = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
