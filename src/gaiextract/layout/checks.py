"""The template's consistency rules (勾稽关系) from ``grammars/checks.toml``."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..grammar import CheckDef, Grammar


#: two sides of a rule are equal when they differ by less than this
TOLERANCE = 1e-6


def total(values: Iterable[Any]) -> int | float:
    """The sum of a side of a rule: null (and anything not a number) counts as 0; a
    decimal sum is rounded to 4 places, as amounts are printed."""
    out: int | float = 0
    for v in values:
        out += v if isinstance(v, (int, float)) else 0
    return round(out, 4) if isinstance(out, float) else out


def balanced(left: Iterable[Any], right: Iterable[Any]) -> bool:
    """Whether a rule holds on these values (the one comparison of checks and the split search)."""
    return abs(total(left) - total(right)) < TOLERANCE


def _sum(keys: list[str], cells: dict[str, Any]) -> int | float:
    return total(cells.get(k) for k in keys)


def rule_instances(check: CheckDef, cells: dict[str, Any],
                   dims: dict[str, list[str]]) -> list[tuple[str, list[str], list[str]]]:
    """(id, left keys, right keys) for each instance of a rule."""
    if check.for_each is None:
        return [(check.id, list(check.left), list(check.right))]
    if check.for_each == "row":
        values = list(dict.fromkeys(k.rsplit(".", 1)[0] for k in cells))
    else:
        values = dims.get(check.for_each, [])
    # keys are "<row>.<column>": a column is the suffix, a row or group the prefix
    def key(v, x):
        return f"{x}.{v}" if check.for_each == "column" else f"{v}.{x}"

    return [(check.id.format(**{check.for_each: v}), [key(v, x) for x in check.left],
             [key(v, x) for x in check.right]) for v in values]


def run_checks(tables: dict[str, dict[str, Any]], grammar: Grammar) -> list[dict[str, Any]]:
    """Evaluate every rule on the mapped tables' cells; skipped when all cells are missing."""
    results = []
    indexes: dict[str, KeyIndex] = {}
    for check in grammar.checks:
        cells = tables.get(check.table, {})
        if not cells:
            continue
        index = indexes.get(check.table)
        if index is None:
            index = indexes[check.table] = KeyIndex(cells)
        for cid, left, right in rule_instances(check, cells, grammar.dimensions):
            lk = match_keys(left, cells, index)
            rk = match_keys(right, cells, index)
            if not lk or not rk:
                continue  # all cells of one side missing: nothing to compare
            exp, act = _sum(lk, cells), _sum(rk, cells)
            results.append({"id": cid, "ok": abs(exp - act) < TOLERANCE, "expected": exp, "actual": act,
                            "rule": check.rule})
    return results


class KeyIndex:
    """The keys of one table's cells grouped by their first segment (``withheld`` of
    ``withheld.state_secret.total``), in the cells' order: a pattern's keys all share
    its first segment, so a rule's pattern looks at its group only, not at every cell
    (rules x instances x cells)."""

    def __init__(self, cells: dict[str, Any]):
        self.groups: dict[str, list[str]] = {}
        for k in cells:
            self.groups.setdefault(k.split(".", 1)[0], []).append(k)


def match_keys(patterns: list[str], cells: dict[str, Any], index: KeyIndex | None = None) -> list[str]:
    """Keys for patterns that may hold a '*' in the middle ('withheld.*.total'), each a
    lookup in ``index`` (:class:`KeyIndex` of these cells; built here when not given)."""
    if index is None:
        index = KeyIndex(cells)
    out = []
    for p in patterns:
        if ".*." in p:
            prefix, suffix = p.split(".*.", 1)
            group = index.groups.get(prefix.split(".", 1)[0], ())
            head, tail = prefix + ".", "." + suffix
            out += [k for k in group if k.startswith(head) and k.endswith(tail)]
        elif p.endswith(".*"):
            prefix = p[:-2]
            group = index.groups.get(prefix.split(".", 1)[0], ())
            head = prefix + "."
            out += [k for k in group if k == prefix or k.startswith(head)]
        elif p in cells:
            out.append(p)
    return out
