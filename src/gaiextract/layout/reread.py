"""OCR numbers that break a rule of the template are read again.

A step after table mapping, before the checks are reported. The OCR reader
attaches a re-read capability to its Document (``Document.reread``: read a box of
a page again at another resolution, see :class:`gaiextract.readers.ocr.Rereader`);
it knows nothing of the template. Here, for every rule instance of
``grammars/checks.toml`` that fails on a table, the cells it involves that OCR
placed (provenance ``how`` = ``ocr``, with page and bbox) are re-read at
``RereadSettings.dpi``. Each such cell then has one or two readings; the
combination of readings under which **every** rule of the table holds is kept
when there is exactly one. Otherwise nothing changes, and every re-read cell of a
failing rule carries an ``ocr_suspect`` warning (``table``, ``key``) so that a
consumer can filter them: the value stays the one printed as OCR read it, never a
number made to fit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from typing import Any

from ..errors import warning
from ..grammar import Grammar
from ..values import NUMBER, PLACEHOLDER, Number, parse_cell
from .checks import balanced, match_keys, rule_instances

#: ``reread(page, bbox, dpi) -> text`` (``Document.reread``)
Reread = Callable[[int, tuple[float, float, float, float], int], str]


@dataclass(frozen=True)
class RereadSettings:
    """How hard a broken rule is re-read."""

    #: resolution of the second reading (the first is OcrSettings.dpi)
    dpi: int = 300
    #: cells re-read per table at most (a table whose every rule fails was
    #: mapped wrong, not misread)
    max_cells: int = 40
    #: combinations of readings tried at most; more: the cells are only flagged
    max_combinations: int = 4096
    # the cells a printed unit binds (amounts in 万元) are the grammar's: a column's
    # ``max_value`` (TableSpec.value_bounds); an OCR amount above it lost its decimal
    # point (18923471 for 1892.3471) and breaks that bound like a sum


DEFAULT_REREAD = RereadSettings()


@dataclass(frozen=True)
class Rule:
    """One rule instance on a table's cells: ``left`` sums to ``right`` (a check of
    grammars/checks.toml), or, with ``bound``, the one key of ``left`` is at most
    that (an amount bound by its printed unit: its column's ``max_value``)."""

    left: tuple[str, ...]
    right: tuple[str, ...] = ()
    bound: float | None = None

    def keys(self) -> tuple[str, ...]:
        return self.left + self.right

    def holds(self, cells: dict[str, Any]) -> bool:
        if self.bound is not None:
            v = cells.get(self.left[0])
            return not isinstance(v, (int, float)) or abs(v) <= self.bound
        return balanced((cells.get(k) for k in self.left), (cells.get(k) for k in self.right))


def _rules(name: str, cells: dict[str, Any], grammar: Grammar) -> list[Rule]:
    """Every rule instance of table ``name`` that has cells on both sides (as
    :func:`checks.run_checks` compares them), and the bounds of its columns."""
    out = []
    for check in grammar.checks:
        if check.table != name:
            continue
        for _cid, left, right in rule_instances(check, cells, grammar.dimensions):
            lk, rk = match_keys(left, cells), match_keys(right, cells)
            if lk and rk:
                out.append(Rule(tuple(lk), tuple(rk)))
    spec = grammar.tables.get(name)
    bounds = spec.value_bounds() if spec is not None else {}
    out += [Rule((k,), bound=b) for k, b in bounds.items() if k in cells]
    return out


def _reading(text: str) -> tuple[bool, Number | None]:
    """A re-read text as a cell value: (usable, value)."""
    v = parse_cell(text)
    if v.kind == NUMBER:
        return True, v.value
    if v.kind == PLACEHOLDER:
        return True, None
    return False, None


def reread_broken_rules(tables: dict[str, Any], reread: Reread, grammar: Grammar,
                        settings: RereadSettings = DEFAULT_REREAD) -> list[dict[str, Any]]:
    """Re-read the OCR cells of failing rules in ``tables`` (``{name: TableResult}``,
    changed in place); returns the ``ocr_suspect`` warnings of cells that stay
    unresolved."""
    warnings: list[dict[str, Any]] = []
    for name, table in tables.items():
        cells: dict[str, Any] = table.cells
        prov: dict[str, dict[str, Any]] = table.provenance
        rules = _rules(name, cells, grammar)
        failing = [rule for rule in rules if not rule.holds(cells)]
        involved = list(dict.fromkeys(k for rule in failing for k in rule.keys() if _ocr_placed(prov.get(k))))
        if not involved:
            continue
        if len(involved) > settings.max_cells:
            warnings += [_suspect(name, k, prov[k], "breaks a rule of the template (not re-read: "
                                  f"{len(involved)} cells of the table do)") for k in involved]
            continue
        texts: dict[str, str] = {}
        choices: dict[str, list[Number | None]] = {}
        for k in involved:
            p = prov[k]
            text = reread(int(p["page"]), tuple(float(x) for x in p["bbox"]), settings.dpi)
            texts[k] = text
            ok, value = _reading(text)
            if ok and value != cells.get(k):
                choices[k] = [cells.get(k), value]
        fits = _fitting(cells, choices, rules, settings)
        mended = len(fits) == 1 and any(v != cells.get(k) for k, v in fits[0].items())
        if mended:
            for k, v in fits[0].items():
                if v != cells.get(k):
                    cells[k] = v
                    prov[k] = {**prov[k], "raw": texts[k], "reread_dpi": settings.dpi}
        why = "several readings of its cells fit the rules" if len(fits) > 1 else \
            f"breaks a rule of the template even after a re-read at {settings.dpi} dpi"
        still = list(dict.fromkeys(k for rule in rules if not rule.holds(cells) for k in rule.keys()
                                   if _ocr_placed(prov.get(k))))
        for k in (still if mended or len(fits) <= 1 else involved):
            extra = f" (re-read as {texts[k]!r})" if texts.get(k) and k in choices and cells.get(k) != \
                choices[k][1] else ""
            warnings.append(_suspect(name, k, prov[k], why + extra))
    return warnings


def _ocr_placed(p: dict[str, Any] | None) -> bool:
    return bool(p) and p.get("how") == "ocr" and p.get("page") is not None and bool(p.get("bbox"))


def _suspect(table: str, key: str, p: dict[str, Any], detail: str) -> dict[str, Any]:
    return warning("ocr_suspect", table=table, key=key, page=p.get("page"),
                   detail=f"OCR read {p.get('raw')!r}: {detail}")


def _fitting(cells: dict[str, Any], choices: dict[str, list[Number | None]], rules: list[Rule],
             settings: RereadSettings) -> list[dict[str, Number | None]]:
    """Every assignment of the readings in ``choices`` under which every rule that
    some assignment satisfies holds (a rule no reading satisfies is the report's
    own error — printed totals that do not add up — and decides nothing); an empty
    list when the search would pass its bound."""
    keys = list(choices)
    if not keys or 2 ** len(keys) > settings.max_combinations:
        return []
    relevant = [rule for rule in rules if set(rule.keys()) & set(keys)]
    trial = dict(cells)
    held: list[tuple[dict[str, Number | None], list[bool]]] = []
    for values in product(*(choices[k] for k in keys)):
        trial.update(zip(keys, values))
        held.append((dict(zip(keys, values)), [rule.holds(trial) for rule in relevant]))
    satisfiable = [any(h[i] for _, h in held) for i in range(len(relevant))]
    return [assign for assign, h in held if all(ok or not sat for ok, sat in zip(h, satisfiable))]
