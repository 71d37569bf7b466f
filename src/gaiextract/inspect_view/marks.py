"""What the page says about each mapped cell: how it was placed and whether it is suspect.

A cell is *bad* (drawn red) when it takes part in a failing check or a warning names
it. The checks in the output carry only their id and sums; which cells a check binds
is recomputed here from the same grammar rules the checks stage evaluated, so the
page can point at the cells behind a failing equation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import grammar as grammar_mod
from .settings import DEFAULT_HOW


@dataclass
class CellMark:
    table: str
    key: str
    value: Any
    how: str
    prov: dict[str, Any]
    reasons: list[str] = field(default_factory=list)  # failing check ids, warning codes

    @property
    def full_key(self) -> str:
        return f"{self.table}.{self.key}"

    @property
    def bad(self) -> bool:
        return bool(self.reasons)


@dataclass
class CheckView:
    """A check with the keys on each side of its equation (table-qualified)."""

    id: str
    ok: bool | None
    expected: Any
    actual: Any
    rule: str
    table: str
    left: list[str]
    right: list[str]


def how_of(prov: dict[str, Any]) -> str:
    how = prov.get("how") if isinstance(prov, dict) else None
    return how if isinstance(how, str) and how else DEFAULT_HOW


def check_views(tables: dict[str, dict[str, Any]], checks: list[dict[str, Any]]) -> list[CheckView]:
    """Every check of the report with the keys it binds, in the report's order.

    ``tables`` maps a table name to its cells. Keys are recomputed from the grammar's
    rules; a check whose id no rule produces keeps empty key lists.
    """
    from ..layout import checks as checks_mod  # the checks stage's own key rules

    g = grammar_mod.load()
    sides: dict[str, tuple[str, list[str], list[str]]] = {}
    try:
        for cdef in g.checks:
            cells = tables.get(cdef.table, {})
            for cid, left, right in checks_mod.rule_instances(cdef, cells, g.dimensions):
                sides[cid] = (cdef.table, checks_mod.match_keys(left, cells),
                              checks_mod.match_keys(right, cells))
    except (AttributeError, TypeError, ValueError, KeyError):  # the checks stage changed shape
        sides = {}
    out = []
    for c in checks:
        cid = str(c.get("id", ""))
        table, left, right = sides.get(cid, (cid.split(".", 1)[0], [], []))
        out.append(CheckView(id=cid, ok=c.get("ok"), expected=c.get("expected"), actual=c.get("actual"),
                             rule=str(c.get("rule") or c.get("detail") or ""), table=table,
                             left=[f"{table}.{k}" for k in left], right=[f"{table}.{k}" for k in right]))
    return out


def cell_marks(tables: dict[str, dict[str, Any]], checks: list[CheckView], warnings: list[dict[str, Any]]) -> dict[str, CellMark]:
    """One mark per mapped cell, keyed ``<table>.<key>``, in table and key order.

    ``tables`` maps a table name to its canonical dict (``cells``, ``provenance``).
    """
    marks: dict[str, CellMark] = {}
    for name, t in tables.items():
        cells, prov = t.get("cells", {}), t.get("provenance", {})
        for key in list(dict.fromkeys(list(cells) + list(prov))):
            p = prov.get(key) or {}
            m = CellMark(table=name, key=key, value=cells.get(key), how=how_of(p), prov=p)
            marks[m.full_key] = m
    for c in checks:
        if c.ok is False:
            for k in c.left + c.right:
                if k in marks and c.id not in marks[k].reasons:
                    marks[k].reasons.append(c.id)
    for w in warnings:
        if w.get("table") and w.get("key"):
            m = marks.get(f"{w['table']}.{w['key']}")
            if m is not None:
                m.reasons.append(str(w.get("code", "warning")))
    return marks
