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

from .. import grammar as grammar_mod

TABLE_NAMES: tuple[str, ...] = ("proactive", "requests", "review_litigation")


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


def _first(labels: tuple) -> str:
    return labels[0] if labels else ""


def _titles(g) -> dict[str, str]:
    return {s.id: s.heading for s in g.sections}


def _proactive(g, edition: str, keys: list[str]) -> list[Block]:
    tg = g.proactive.get(edition) or next(iter(g.proactive.values()))
    cols = {c.key: _first(c.labels) for c in tg.columns if c.key}
    allowed = set(tg.keys or ())
    blocks: list[Block] = []
    by_cols: dict[tuple, Block] = {}
    for row in tg.rows:
        ck = tuple(c for c in cols if f"{row.key}.{c}" in allowed)
        if not ck:
            continue
        blk = by_cols.get(ck)
        if blk is None:
            blk = by_cols[ck] = Block(columns=[cols[c] for c in ck], rows=[], cells=[])
            blocks.append(blk)
        blk.rows.append(_first(row.labels))
        blk.cells.append([f"{row.key}.{c}" for c in ck])
    return blocks


def _leaves(tg) -> list[tuple[str, list]]:
    """(dotted key, ancestor chain root→leaf) of every leaf column."""
    by_id = {c.id: c for c in tg.columns}
    out = []
    for c in tg.columns:
        if tg.children(c.id):
            continue
        chain, n = [], c
        while n is not None:
            chain.append(n)
            n = by_id.get(n.parent) if n.parent else None
        out.append((tg.column_path_key(c), list(reversed(chain))))
    return out


def _requests(g, keys: list[str]) -> list[Block]:
    tg = g.requests
    leaves = _leaves(tg)
    present_rows = {k.rsplit(".", 1)[0] for k in keys}
    groups = {gr.id: gr for gr in tg.groups}
    rows: list[tuple[str, str]] = []
    placed_groups: set[str] = set()
    for r in tg.rows:
        grp = groups.get(r.group) if r.group else None
        if grp is not None and grp.row_key and grp.id not in placed_groups:
            placed_groups.add(grp.id)
            if grp.row_key in present_rows:
                rows.append((grp.row_key, _first(grp.labels)))
        label = _first(r.labels)
        if grp is not None and r.key.startswith(grp.id + "."):
            label = f"{_first(grp.labels)} · {label}"
        rows.append((r.key, label))
    if present_rows:
        rows = [r for r in rows if r[0] in present_rows]
    parents: list[tuple[str, int]] = []
    for _key, chain in leaves:
        top = _first(chain[0].labels) if len(chain) > 1 else ""
        if parents and parents[-1][0] == top and top:
            parents[-1] = (top, parents[-1][1] + 1)
        else:
            parents.append((top, 1))
    return [Block(columns=[_first(chain[-1].labels) for _k, chain in leaves],
                  rows=[label for _k, label in rows],
                  cells=[[f"{rk}.{ck}" for ck, _c in leaves] for rk, _l in rows],
                  parents=parents if any(p for p, _n in parents) else [])]


def _review(g) -> list[Block]:
    tg = g.review_litigation
    rows: dict[str, tuple[str, list]] = {}
    columns: list[str] = []
    col_keys: list[str] = []
    for key, chain in _leaves(tg):
        group, _, outcome = key.rpartition(".")
        if group not in rows:
            rows[group] = (" · ".join(_first(n.labels) for n in chain[:-1]), [])
        rows[group][1].append(key)
        if outcome not in col_keys:
            col_keys.append(outcome)
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
    try:
        if name == "proactive":
            blocks = _proactive(g, edition, keys)
        elif name == "requests":
            blocks = _requests(g, keys)
        elif name == "review_litigation":
            blocks = _review(g)
        else:
            blocks = []
    except (AttributeError, KeyError, TypeError, ValueError, StopIteration):  # grammar shape changed
        blocks = []
    placed = {k for b in blocks for row in b.cells for k in row if k}
    rest = [k for k in keys if k not in placed]
    if rest:
        blocks.append(_generic(rest))
    return CanonLayout(name=name, title=title, blocks=blocks)
