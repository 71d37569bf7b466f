"""The template's own Chinese row and column labels for every cell key, with units.

Why: an export is read by people who know the printed form (上年结转政府信息公开申请数量
× 自然人), not our English keys. A cell's labels are the first (official) wording of
its row and column in the table grammars (``TableGrammar.key_labels``); what the
tables do not say — the tables' short names, the units (件, amounts in 万元, fees in 元),
the fixed columns' names and meanings, the sheet names — is in
``grammars/export.toml``. A new table or template is a grammar edit here too.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ..grammar import _read, load


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


@functools.lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    """``grammars/export.toml``, validated."""
    return _read("export.toml")


@functools.lru_cache(maxsize=1)
def template_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """``(table, key) -> (row label, column label)`` for every key of every edition."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for name, spec in load().tables.items():
        for layout in spec.layouts:
            for key, labels in layout.key_labels().items():
                out.setdefault((name, key), labels)
    return out


@functools.lru_cache(maxsize=1)
def key_editions() -> dict[tuple[str, str], tuple[str, ...]]:
    """``(table, key) -> editions whose template has that cell`` (grammar order)."""
    g = load()
    every = tuple(g.editions)
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for name, spec in g.tables.items():
        for layout in spec.layouts:
            for key in layout.key_labels():
                have = out.get((name, key), ())
                add = every if layout.edition is None else (layout.edition,)
                out[(name, key)] = tuple(e for e in every if e in have or e in add)
    return out


def labels_for(table: str, key: str) -> tuple[str | None, str | None]:
    return template_labels().get((table, key), (None, None))


def unit_of(table: str, key: str) -> str:
    units = words()["units"]
    return units["amounts"].get(f"{table}.{key}", units["count"])


def with_unit(label: str, unit: str | None) -> str:
    return words()["with_unit"].format(label=label, unit=unit) if unit else label


_BRACKETED = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def _unit_dropped(label: str | None, unit: str) -> str | None:
    """A template label without a bracketed unit it prints itself (…金额(单位:万元)):
    the unit is added once, the same way for every column."""
    if label:
        m = _BRACKETED.search(label)
        if m and unit in m.group(0):
            return label[:m.start()]
    return label


def cell_info(table: str, key: str) -> ColumnInfo:
    """The column of one table cell: 表·行·列（单位）."""
    w = words()
    row, col = labels_for(table, key)
    col = _unit_dropped(col, unit_of(table, key))
    parts = [w["tables"].get(table, table), row or key, col or ""]
    unit = unit_of(table, key)
    amount = f"{table}.{key}" in w["units"]["amounts"]
    return ColumnInfo(key=f"{table}.{key}", label=with_unit(w["joiner"].join(p for p in parts if p), unit),
                      unit=unit, editions=key_editions().get((table, key), ()),
                      meaning=" × ".join(p for p in (row, col) if p), integer=not amount)


#: fixed columns that hold whole numbers
INTEGER_COLUMNS = frozenset({"year", "id", "warnings_count", "checks_failed", "cells_count", "duplicate_of",
                             "fees.notices", "page"})


def column_info(name: str) -> ColumnInfo:
    """A fixed column (``grammars/export.toml`` [columns]) or a cell column ``table.key``."""
    fixed = words()["columns"].get(name)
    if fixed is not None:
        return ColumnInfo(key=name, label=with_unit(fixed["label"], fixed.get("unit")), unit=fixed.get("unit"),
                          meaning=fixed["meaning"], integer=name in INTEGER_COLUMNS)
    table, _, key = name.partition(".")
    return cell_info(table, key)


def edition_sheet(edition: str | None) -> str:
    """The xlsx sheet of one template edition (or of reports whose edition is unknown)."""
    sheets = words()["sheets"]
    if edition in load().editions:
        return str(sheets["edition"]).format(edition=edition)
    return str(sheets["unknown_edition"])


#: columns of the long shape (``export --shape long`` and ``Report.to_frame()``)
LONG_COLUMNS = ("identity", "id", "sha256", "agency", "year", "edition", "table", "key", "value", "raw",
                "row_label", "column_label", "label", "unit", "page", "how")
#: pandas dtypes of the long shape
LONG_DTYPES = {"id": "Int64", "year": "Int64", "page": "Int64", "value": "Float64"}


def long_row(identity: Any, rid: Any, sha256: Any, agency: Any, year: Any, edition: Any, table: str, key: str,
             value: Any, raw: Any, page: Any, how: Any) -> list[Any]:
    """One row of the long shape (``export --shape long`` and ``Report.to_frame()``)."""
    row_label, col_label = labels_for(table, key)
    info = column_info(f"{table}.{key}")
    return [identity, rid, sha256, agency, year, edition, table, key, value, raw, row_label, col_label,
            info.label, unit_of(table, key), page, how]
