"""Column keys from a grid's header rows, through the grammar's column tree.

A rectangular grid gives each grid column a header *path* (the labels above it,
merged cells included once), walked top-down through the tree. A ragged grid
(flattened text) has no column positions: its header rows are read as the leaf
order, each row's labels being children of the previous rows' open groups. A
caption printed just above a block (``### 行政诉讼（复议后起诉）``) may stand for
the top of the path a broken table lost.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from ..document import Table
from ..grammar import ColumnDef, TableGrammar
from .labels import best_match, norm_label
from .per_object import PerObject


@dataclass(frozen=True)
class GridSettings:
    """Label-matching tolerances of the grid aligner, in one place."""

    row_threshold: float = 0.72
    col_threshold: float = 0.72
    group_threshold: float = 0.9
    identify_threshold: float = 0.9
    #: a row label that fits rows of several groups prefers the current group's by this
    same_group_bonus: float = 0.05


SETTINGS = GridSettings()

#: per layout object, {question: answer}: header paths and label rows recur in every
#: table of every report, and their answer depends on the layout (of whichever grammar) only
_MEMO: PerObject[dict[tuple[Any, ...], Any]] = PerObject()
#: answers kept per layout before its memo starts again (a batch of odd headers)
MEMO_MAX = 1 << 12


def _memo(lay: TableGrammar) -> dict[tuple[Any, ...], Any]:
    memo = _MEMO.get(lay, dict)
    if len(memo) >= MEMO_MAX:
        memo.clear()
    return memo


def caption_node(caption: str | None, lay: TableGrammar) -> str | None:
    """The deepest column group named in a block's caption (None when none, or unclear)."""
    if not caption:
        return None
    text = norm_label(caption)
    found: list[tuple[int, str]] = []
    for c in lay.columns:
        if lay.children(c.id) and any(lab and lab in text for lab in c.labels):
            found.append((_depth(c, lay), c.id))
    if not found:
        return None
    found.sort(reverse=True)
    if len(found) > 1 and found[0][0] == found[1][0]:
        return None
    return found[0][1]


def _depth(node: ColumnDef, lay: TableGrammar) -> int:
    by_id = {c.id: c for c in lay.columns}
    d = 0
    while node.parent:
        node = by_id[node.parent]
        d += 1
    return d


def header_colmap(table: Table, header_rows: list[int], lay: TableGrammar, start: str | None = None) -> dict[int, str]:
    """For a rectangular table: grid column → leaf column key, from the header path.

    The lowest header cell above a column is its leaf label; a leaf spanning several
    grid columns (a converter's extra grid line) is ONE template column: every column
    it covers gets the key its leftmost resolvable path gives, so a value cell starting
    under any of them is its value, and the path of a later grid column (where the
    row above may already belong to the next group) never claims another key.
    """
    if not table.rectangular or not header_rows:
        return {}
    by_id = {c.id: c for c in lay.columns}
    # the leaf header cell above each grid column, and the columns under each leaf
    under: dict[int, list[int]] = {}
    keys: dict[int, str] = {}
    for col in range(table.n_cols):
        path: list[str] = []
        seen: set[int] = set()
        leaf = None
        for r in header_rows:
            cell = table.grid[r][col]
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            t = norm_label(cell.text)
            if t:
                path.append(t)
                leaf = cell
        under.setdefault(id(leaf) if leaf is not None else -1 - col, []).append(col)
        key = resolve_path(path, lay, by_id, start)
        if key:
            keys[col] = key
    # one key per leaf header cell; a key claimed by two leaf cells means the header
    # was misread: keep the first
    colmap: dict[int, str] = {}
    seen_keys: set[str] = set()
    for cols in sorted(under.values()):
        key = next((keys[c] for c in cols if c in keys), None)
        if key is None or key in seen_keys:
            continue
        seen_keys.add(key)
        for c in cols:
            colmap[c] = key
    return colmap


def resolve_path(path: list[str], lay: TableGrammar, by_id: dict[str, ColumnDef], start: str | None = None) -> str | None:
    """Walk a header path top-down through the column tree (from ``start``, a caption's node)."""
    memo = _memo(lay)
    q = ("path", tuple(path), start)
    if q not in memo:
        memo[q] = _resolve_path(path, lay, by_id, start)
    return memo[q]


def _resolve_path(path: list[str], lay: TableGrammar, by_id: dict[str, ColumnDef], start: str | None) -> str | None:
    node_id = start
    th = SETTINGS.col_threshold
    for text in path:
        kids = lay.children(node_id)
        m = best_match(text, {k.id: k.labels for k in kids}, th, confusions=lay.confusions)
        if m:
            node_id = m[0]
        else:
            # a label that skips a level (no 行政诉讼 cell above 未经复议直接起诉)
            for k in kids:
                gm = best_match(text, {g.id: g.labels for g in lay.children(k.id)}, th, confusions=lay.confusions)
                if gm:
                    node_id = gm[0]
                    break
    if node_id is None or lay.children(node_id):
        return None
    return lay.column_path_key(by_id[node_id])


def header_order(header_texts: list[list[str]], lay: TableGrammar, start: str | None = None) -> list[str] | None:
    """For ragged (flattened) headers: rebuild the leaf order from the label rows.

    Each header row's labels are children of the previous rows' open group
    columns, in order (法人或其他组织 is followed, one row down, by its five
    children). Returns leaf keys in printed order, or None when unsure.
    """
    by_id = {c.id: c for c in lay.columns}
    open_nodes: deque[ColumnDef] = deque([by_id[start]] if start else [])
    top: list[ColumnDef] = [by_id[start]] if start else []
    children: dict[str, list[ColumnDef]] = {}
    th = SETTINGS.col_threshold
    for row in header_texts:
        next_open: deque[ColumnDef] = deque()
        for text in row:
            parent = open_nodes[0] if open_nodes else None
            options = lay.children(parent.id if parent else None)
            m = best_match(text, {k.id: k.labels for k in options}, th, confusions=lay.confusions)
            if not m:
                continue
            node = by_id[m[0]]
            if parent:
                children.setdefault(parent.id, []).append(node)
                if len(children[parent.id]) >= len(lay.children(parent.id)):
                    open_nodes.popleft()
            else:
                top.append(node)
            if lay.children(node.id):
                next_open.append(node)
        open_nodes = deque(list(open_nodes) + list(next_open))
    out: list[str] = []

    def walk(nodes: list[ColumnDef]) -> bool:
        for n in nodes:
            if lay.children(n.id):
                if n.id not in children or not walk(children[n.id]):
                    return False
            else:
                out.append(lay.column_path_key(n))
        return True

    if not top or not walk(top):
        return None
    return out


def child_order(header_cells: list[str], lay: TableGrammar) -> list[str] | None:
    """For a transposed table (a row per column group): the groups' child keys in the
    order the header prints them (None when unsure)."""
    groups = column_groups(lay)
    if not groups:
        return None
    kids = lay.children(next(iter(groups.values())).id)
    keys: list[str] = []
    for text in header_cells:
        m = best_match(norm_label(text), {k.key: k.labels for k in kids}, SETTINGS.col_threshold,
                       confusions=lay.confusions)
        if m and m[0] not in keys:
            keys.append(m[0])
    return keys if len(keys) == len(kids) else None


def column_groups(lay: TableGrammar) -> dict[str, ColumnDef]:
    """Column nodes whose children are all leaves (行政复议, 未经复议直接起诉, …), by id."""
    return {c.id: c for c in lay.columns
            if lay.children(c.id) and not any(lay.children(k.id) for k in lay.children(c.id))}
