"""The one anchoring engine: template rows filled from the tokens printed for them.

A grid row whose label matched a template row, and a stream anchor (a row label
found in the text, with the numbers after it), are the same thing here: an
:class:`AnchoredRow` — the template keys the row carries and the value tokens
printed for it, in order. :class:`Placer` places them all, one way:

- as many tokens as keys: each token is its cell (a grid cell keeps its
  provenance); text that is not a number is null with ``cell_unparsed``;
- another count: the tokens are divided by the template's arithmetic
  (``splits.split_run``: runs of digits, placeholder marks). A row is never
  filled left to right into named columns: a division that no rule settles is
  null with ``cell_ambiguous`` or ``row_shape``;
- the runs left open are settled once per table, by the rules across rows
  (``splits.choose_jointly``), whatever their source.

:func:`choose_layout` is the one choice between a table's layouts (editions).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from ..errors import warning
from ..grammar import TableSpec
from ..values import mark_cells
from .mapped import parse_cell
from . import splits
from .mapped import MappedTable, unsettled

if TYPE_CHECKING:
    from ..document import Cell


@dataclass
class AnchoredRow:
    """One template row as printed: its keys and the value tokens found for it."""

    keys: list[str]
    tokens: list[str | None]        # printed value texts (units dropped), None for a placeholder mark
    raw: list[str]                  # each token as printed
    page: int | None = None
    label: str | None = None        # the row label as printed
    how: str = "stream"             # "grid" | "stream"
    cells: list[Cell] | None = None  # grid cells, one per token, when the row came from a grid
    run_text: str = ""              # the whole run as printed (provenance of a divided run)
    #: each token is one whole cell as printed (a grid cell), never a run of several
    whole: bool = False


@dataclass
class _Pending:
    res: splits.SplitResult
    raw: str
    label: str | None
    page: int | None


@dataclass
class Placer:
    """Places the anchored rows of one table into ``out`` and settles divided runs once."""

    spec: TableSpec
    out: MappedTable
    dimensions: dict[str, list[str]] | None = None
    pending: list[_Pending] = field(default_factory=list)
    #: the key sets of rows placed, so cross-row rules exclude a row's own
    row_sets: list[set[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        cols = {c.key for lay in self.spec.layouts for c in lay.columns if c.signed and c.key}
        self._signed_cols = frozenset(cols)

    def signed(self, key: str) -> bool:
        """Whether the template lets this cell be negative (本年增/减)."""
        return key.rsplit(".", 1)[-1] in self._signed_cols

    def place(self, row: AnchoredRow) -> None:
        keys = row.keys
        if not keys:
            return
        if row.cells is None and not any(self.signed(k) for k in keys):
            row = _unsigned(row)  # a minus where no column may be negative is a placeholder mark
        toks = row.tokens
        self.row_sets.append(set(keys))
        if len(toks) == len(keys) and not any(t and (mark_cells(t) or (1, 1))[0] > 1 for t in toks):
            for i, k in enumerate(keys):
                if row.cells is not None:
                    self.out.put(k, row.cells[i], label=row.label)
                else:
                    self.out.put_raw(k, row.raw[i], row.how, row.page, row.label)
                self.sign_check(k)
            return
        raw_run = row.run_text or " ".join(r.strip() for r in row.raw)
        if not toks:
            self._shape(keys, raw_run, row, "no readable value printed for the row")
            return
        res = self._split(toks, keys)
        if row.whole and len(toks) < len(keys):
            # whole cells, fewer than the columns: blank cells a reader dropped, or values that
            # ran together — every reading of either kind is a candidate
            res = _union(res, self._gaps(row, keys))
        for k in keys:  # the cells' places in the output, settled below
            self.out.put_value(k, None, raw_run, "split", row.page, row.label)
        self.pending.append(_Pending(res, raw_run, row.label, row.page))

    def sign_check(self, key: str) -> None:
        """A negative value printed where the template allows none: null, said."""
        v = self.out.cells.get(key)
        if v is not None and v < 0 and not self.signed(key):
            raw = self.out.provenance.get(key, {}).get("raw", "")
            self.out.cells[key] = None
            self.out.warnings.append(warning("cell_unparsed", table=self.spec.name, key=key,
                                             detail=f"{raw!r} is negative where the column cannot be"))

    def _split(self, toks: list[str | None], keys: list[str]) -> splits.SplitResult:
        eqs = splits.row_equations(self.spec, keys) if self.spec.checks else []
        signed = frozenset(k for k in keys if self.signed(k))
        res = splits.split_run(toks, keys, eqs, signed=signed)
        if res.found == 0 and not res.exhausted and eqs:
            # the report's own row arithmetic may be wrong: read the run without it
            res = splits.split_run(toks, keys, [], signed=signed)
        return res

    def _gaps(self, row: AnchoredRow, keys: list[str]) -> splits.SplitResult:
        """A grid row with fewer value cells than columns (blank cells a reader dropped):
        the placements of its values that every rule binding the row allows."""
        values = [parse_cell(r).value for r in row.raw]
        eqs = splits.row_equations(self.spec, keys) if self.spec.checks else []
        return splits.place_with_gaps(values, keys, eqs, signed=frozenset(k for k in keys if self.signed(k)))

    def _shape(self, keys: list[str], raw: str, row: AnchoredRow, detail: str) -> None:
        for k in keys:
            self.out.put_value(k, None, raw, row.how, row.page, row.label)
        self.out.warnings.append(warning("row_shape", table=self.spec.name, key=_row_of(keys),
                                         detail=f"{detail}: {len(row.tokens)} values for {len(keys)} columns"))

    def settle(self) -> MappedTable:
        """Runs divided in several ways: the rules across rows choose where they can."""
        if not self.pending:
            return self.out
        runs = [p.res for p in self.pending]
        open_keys = {k for r in runs for k in r.keys}
        fixed = {k: v for k, v in self.out.cells.items() if k not in open_keys}
        cross = [e for e in splits.table_equations(self.spec, list(self.out.cells), self.dimensions)
                 if not any(set(e.keys) <= rs for rs in self.row_sets)] if self.spec.checks else []
        choice = splits.choose_jointly(runs, fixed, cross)
        for p in self.pending:
            for k in p.res.keys:
                if k in choice.values:
                    self.out.put_value(k, choice.values[k], p.raw, "split", p.page, p.label)
                else:
                    unsettled(self.out, k, p.res, choice.ambiguous.get(k, []), p.raw, p.page, p.label)
        self.pending = []
        return self.out


def _union(a: splits.SplitResult, b: splits.SplitResult) -> splits.SplitResult:
    """The readings of two searches over the same keys, each once."""
    out = splits.SplitResult(keys=a.keys, nodes=a.nodes + b.nodes, exhausted=a.exhausted or b.exhausted)
    seen: set[tuple[object, ...]] = set()
    for cand in a.candidates + b.candidates:
        if cand not in seen:
            seen.add(cand)
            out.candidates.append(cand)
    out.found = len(seen) + max(0, a.found - len(a.candidates)) + max(0, b.found - len(b.candidates))
    return out


def _unsigned(row: AnchoredRow) -> AnchoredRow:
    """``20-80`` in a row no column of which may be negative: ``20 | - | 80``."""
    toks: list[str | None] = []
    raws: list[str] = []
    changed = False
    for tok, raw in zip(row.tokens, row.raw):
        if tok and tok[0] == "-" and len(tok) > 1 and tok[1].isdigit():
            toks += [None, tok[1:]]
            raws += [raw[:1], raw[1:]]
            changed = True
        else:
            toks.append(tok)
            raws.append(raw)
    if not changed:
        return row
    return AnchoredRow(keys=row.keys, tokens=toks, raw=raws, page=row.page, label=row.label, how=row.how,
                       run_text=row.run_text or " ".join(row.raw))


def _row_of(keys: Sequence[str]) -> str:
    return keys[0].rsplit(".", 1)[0] if "." in keys[0] else keys[0]


def layout_score(mt: MappedTable) -> tuple[int, int, int]:
    """How well a layout read a table: its identifying labels found, then values placed,
    then cells placed."""
    return (len(mt.edition_hits), sum(1 for v in mt.cells.values() if v is not None), len(mt.cells))


def choose_layout(candidates: Sequence[MappedTable], name: str, source: str) -> MappedTable:
    """The one layout (edition) choice of grid and stream alike: the first best by
    :func:`layout_score`; an empty table when no layout read anything."""
    best: MappedTable | None = None
    for mt in candidates:
        if best is None or layout_score(mt) > layout_score(best):
            best = mt
    return best if best is not None else MappedTable(name, source=source)
