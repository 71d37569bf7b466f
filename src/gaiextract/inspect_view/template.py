"""The three canonical tables laid out as the template prints them.

Row and column labels come from the grammar (``grammars/*.toml``), never from
Python: the page shows a value under the label a reader of the report expects.
Each table is a list of blocks, one per header the template prints (table 二 has a
header per 第二十条 item; tables 三 and 四 have one). A key the grammar does not place
— a grammar change, a new variant — still gets a cell, in a last block of its own, so
every mapped value is on the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import grammar as grammar_mod

if TYPE_CHECKING:
    from ..grammar import ColumnDef

@dataclass
class Block:
    """One printed header and its rows: ``cells[i][j]`` is the key at row i, column j."""

    columns: list[str]                               # leaf column labels
    rows: list[str]                                  # row labels
    cells: list[list[str | None]]                 # canonical keys (None: no such cell)
    parents: list[tuple[str, int]] = field(default_factory=list)  # header row above columns


@dataclass
class CanonLayout:
    name: str
    title: str
    blocks: list[Block]


def _first(labels: tuple[str, ...]) -> str:
    return labels[0] if labels else ""


def _titles(g) -> dict[str, str]:
    return {s.id: s.heading for s in g.sections}


def _blocks_by_rows(tg, keys: list[str]) -> list[Block]:
    """A table with rows: one block per set of columns its rows print (table 二 has a
    header per 第二十条 item, table 三 one for all), rows the report lacks left out."""
    chains = tg.leaf_chains()
    present = set(keys)
    allowed = set(tg.keys) if tg.keys is not None else None
    blocks: list[Block] = []
    by_cols: dict[tuple[str, ...], Block] = {}
    for row, label in tg.row_labels():
        cols = tuple((ck, chain) for ck, chain in chains
                     if allowed is None or tg.cell_key(row, ck) in allowed)
        cells = [tg.cell_key(row, ck) for ck, _chain in cols]
        if not cols or (present and not present.intersection(cells)):
            continue
        sig = tuple(ck for ck, _chain in cols)
        blk = by_cols.get(sig)
        if blk is None:
            blk = by_cols[sig] = Block(columns=[_first(chain[-1].labels) for _ck, chain in cols],
                                       rows=[], cells=[], parents=_parents([chain for _ck, chain in cols]))
            blocks.append(blk)
        blk.rows.append(label)
        blk.cells.append(cells)
    return blocks


def _parents(chains: list[list[ColumnDef]]) -> list[tuple[str, int]]:
    """The header row above the leaf columns: each top column label and how many leaves
    it spans (empty when no column has a parent)."""
    parents: list[tuple[str, int]] = []
    for chain in chains:
        top = _first(chain[0].labels) if len(chain) > 1 else ""
        if parents and top and parents[-1][0] == top:
            parents[-1] = (top, parents[-1][1] + 1)
        else:
            parents.append((top, 1))
    return parents if any(p for p, _n in parents) else []


def _blocks_by_columns(tg) -> list[Block]:
    """A table without rows (四): a row per column group, its leaves as columns."""
    rows: dict[str, tuple[str, list[str]]] = {}
    columns: list[str] = []
    col_keys: list[str] = []
    for key, chain in tg.leaf_chains():
        group, _, leaf = key.rpartition(".")
        if group not in rows:
            rows[group] = (" · ".join(_first(n.labels) for n in chain[:-1]), [])
        rows[group][1].append(key)
        if leaf not in col_keys:
            col_keys.append(leaf)
            columns.append(_first(chain[-1].labels))
    return [Block(columns=columns, rows=[label for label, _k in rows.values()],
                  cells=[[next((k for k in ks if k.rpartition(".")[2] == c), None) for c in col_keys]
                         for _label, ks in rows.values()])]


def _generic(keys: list[str]) -> Block:
    """Keys the template layout does not place: one row per key."""
    return Block(columns=["value"], rows=list(keys), cells=[[k] for k in keys])


def layout(name: str, keys: list[str], edition: str = "unknown") -> CanonLayout:
    """The template layout of canonical table ``name`` for a report whose mapped keys
    are ``keys``; keys the grammar does not place end up in a last block."""
    g = grammar_mod.load()
    title = _titles(g).get(name, name)
    spec = g.tables.get(name)
    blocks: list[Block] = []
    if spec is not None:
        tg = spec.layout(edition)
        blocks = _blocks_by_rows(tg, keys) if tg.rows else _blocks_by_columns(tg)
    placed = {k for b in blocks for row in b.cells for k in row if k}
    rest = [k for k in keys if k not in placed]
    if rest:
        blocks.append(_generic(rest))
    return CanonLayout(name=name, title=title, blocks=blocks)
