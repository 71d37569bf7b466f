"""The template's own Chinese row and column labels for every cell key, with units.

Why: an export is read by people who know the printed form (上年结转政府信息公开申请数量
× 自然人), not our English keys. A cell's labels are the first (official) wording of
its row and column in the table grammars (``TableGrammar.key_labels``); what the
tables do not say — the tables' short names, the units (件, amounts in 万元, fees in 元),
the fixed columns' names and meanings, the sheet names — is in
``grammars/export.toml`` (a typed part of the loaded grammar, so a user's grammar
directory changes them as it changes the rest). A new table or template is a grammar
edit here too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..grammar import Grammar, GrammarLike, load


@dataclass(frozen=True)
class ColumnInfo:
    """What an export column holds: its key, Chinese label (unit included), unit,
    the template editions it exists in (empty: every report), its meaning."""

    key: str
    label: str
    unit: str | None = None
    editions: tuple[str, ...] = ()
    meaning: str = ""
    #: a whole number (a count: nullable integer) rather than an amount
    integer: bool = False


#: fixed columns that hold whole numbers
INTEGER_COLUMNS = frozenset({"year", "id", "warnings_count", "checks_failed", "cells_count", "duplicate_of",
                             "fees.notices", "page"})
#: columns of the long shape (``export --shape long`` and ``Report.to_frame()``)
LONG_COLUMNS = ("identity", "id", "sha256", "agency", "year", "edition", "table", "key", "value", "raw",
                "row_label", "column_label", "label", "unit", "page", "how")
#: pandas dtypes of the long shape
LONG_DTYPES = {"id": "Int64", "year": "Int64", "page": "Int64", "value": "Float64"}

_BRACKETED = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def _unit_dropped(label: str | None, unit: str) -> str | None:
    """A template label without a bracketed unit it prints itself (…金额(单位:万元)):
    the unit is added once, the same way for every column."""
    if label:
        m = _BRACKETED.search(label)
        if m and unit in m.group(0):
            return label[:m.start()]
    return label


class ExportLabels:
    """The labels, units and sheet names of one grammar's exports: the table grammars'
    own wording for the cells, ``export.toml`` (:class:`~gaiextract.grammar.ExportWording`)
    for the rest. Built from the grammar the reports were read with (:func:`labels_of`)."""

    def __init__(self, grammar: Grammar):
        self.grammar = grammar
        self.words = grammar.export
        #: ``(table, key) -> (row label, column label)`` for every key of every edition
        self.template: dict[tuple[str, str], tuple[str, str]] = {}
        #: ``(table, key) -> editions whose template has that cell`` (grammar order)
        self.editions: dict[tuple[str, str], tuple[str, ...]] = {}
        every = tuple(grammar.editions)
        for name, spec in grammar.tables.items():
            for layout in spec.layouts:
                add = every if layout.edition is None else (layout.edition,)
                for key, labels in layout.key_labels().items():
                    self.template.setdefault((name, key), labels)
                    have = self.editions.get((name, key), ())
                    self.editions[(name, key)] = tuple(e for e in every if e in have or e in add)

    def labels_for(self, table: str, key: str) -> tuple[str | None, str | None]:
        return self.template.get((table, key), (None, None))

    def unit_of(self, table: str, key: str) -> str:
        return self.words.amount_units.get(f"{table}.{key}", self.words.count_unit)

    def with_unit(self, label: str, unit: str | None) -> str:
        return self.words.with_unit.format(label=label, unit=unit) if unit else label

    def cell_info(self, table: str, key: str) -> ColumnInfo:
        """The column of one table cell: 表·行·列（单位）."""
        w = self.words
        row, col = self.labels_for(table, key)
        unit = self.unit_of(table, key)
        col = _unit_dropped(col, unit)
        parts = [w.tables.get(table, table), row or key, col or ""]
        amount = f"{table}.{key}" in w.amount_units
        return ColumnInfo(key=f"{table}.{key}", label=self.with_unit(w.joiner.join(p for p in parts if p), unit),
                          unit=unit, editions=self.editions.get((table, key), ()),
                          meaning=" × ".join(p for p in (row, col) if p), integer=not amount)

    def column_info(self, name: str) -> ColumnInfo:
        """A fixed column (``export.toml`` [columns]) or a cell column ``table.key``."""
        fixed = self.words.columns.get(name)
        if fixed is not None:
            return ColumnInfo(key=name, label=self.with_unit(fixed.label, fixed.unit), unit=fixed.unit,
                              meaning=fixed.meaning, integer=name in INTEGER_COLUMNS)
        table, _, key = name.partition(".")
        return self.cell_info(table, key)

    def edition_sheet(self, edition: str | None) -> str:
        """The xlsx sheet of one template edition (or of reports whose edition is unknown)."""
        if edition in self.grammar.editions:
            return self.words.sheet_edition.format(edition=edition)
        return self.words.sheet_unknown_edition

    def long_row(self, identity: Any, rid: Any, sha256: Any, agency: Any, year: Any, edition: Any, table: str,
                 key: str, value: Any, raw: Any, page: Any, how: Any) -> list[Any]:
        """One row of the long shape (``export --shape long`` and ``Report.to_frame()``)."""
        row_label, col_label = self.labels_for(table, key)
        info = self.column_info(f"{table}.{key}")
        return [identity, rid, sha256, agency, year, edition, table, key, value, raw, row_label, col_label,
                info.label, self.unit_of(table, key), page, how]


def labels_of(grammar: GrammarLike = None) -> ExportLabels:
    """The export labels of a grammar (a directory, a loaded grammar, or None for the
    default one); a broken grammar raises :class:`~gaiextract.grammar.GrammarError`."""
    return ExportLabels(load(grammar))
