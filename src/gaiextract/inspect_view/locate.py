"""Find, in the document model, the cells and headings the report was built from.

Provenance names a page and a box (PDF) and, once the aligner records them, the
``row``/``col`` of the cell in the printed grid. Where row and col are known the cell
is looked up directly; otherwise (Word, HTML and text before that) the mapped values
are aligned with the document's cells in reading order by their raw text — a key is
matched to the next unclaimed cell that prints exactly its ``raw``, starting from the
table where most of that canonical table's values line up. Blank values have no text to
align by: they go where their row and column cross, or into a run of blank cells between
two placed neighbours that agrees with them exactly. Keys that cannot be placed are
listed on the page as unplaced, never guessed onto another cell.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..document import Cell, Document, Paragraph, Table
from .marks import CellMark

if TYPE_CHECKING:
    from ..document import Block

_WS = re.compile(r"\s+")


def _norm(text: str | None) -> str:
    return _WS.sub("", text or "")


@dataclass
class HeadingMark:
    kind: str        # "section" | "subsection"
    id: str          # section id, or "overview" for its subsections
    heading: str
    block: int       # index into document.blocks


def find_headings(document: Document, sections: list[dict[str, Any]]) -> list[HeadingMark]:
    """The paragraph of each section and overview subsection heading, in order."""
    blocks = document.blocks
    out: list[HeadingMark] = []
    pos = 0
    for sec in sections:
        loc_page = (sec.get("location") or {}).get("page")
        i = _find_para(blocks, sec.get("heading", ""), pos, loc_page)
        if i is None:
            continue
        out.append(HeadingMark("section", sec.get("id", ""), sec.get("heading", ""), i))
        pos = i + 1
        sub_pos = pos
        for sub in sec.get("subsections") or []:
            j = _find_para(blocks, sub.get("heading", ""), sub_pos, None)
            if j is not None:
                out.append(HeadingMark("subsection", sec.get("id", ""), sub.get("heading", ""), j))
                sub_pos = j + 1
    return out


def _find_para(blocks: list[Block], heading: str, start: int, page: int | None) -> int | None:
    want = _norm(heading)
    if not want:
        return None
    for i in range(start, len(blocks)):
        b = blocks[i]
        if (isinstance(b, Paragraph) and (page is None or b.page in (None, page))
                and _norm(b.text).startswith(want)):
            return i
    return None


def _cells_in_order(tables: list[Table]) -> list[tuple[int, Cell]]:
    out = []
    for ti, t in enumerate(tables):
        for r in range(t.n_rows):
            for cell in t.row_cells(r):
                out.append((ti, cell))
    return out


def match_cells(document: Document, marks: dict[str, CellMark]) -> dict[int, list[str]]:
    """``id(cell)`` → the table-qualified keys mapped from that document cell."""
    tables = [b for b in document.blocks if isinstance(b, Table)]
    found: dict[int, list[str]] = {}
    claimed: set[int] = set()
    by_table: dict[str, list[CellMark]] = {}
    for m in marks.values():
        by_table.setdefault(m.table, []).append(m)
    for ms in by_table.values():
        rest = _by_position(tables, ms, found, claimed)
        _by_sequence(tables, [m for m in rest if _norm(m.prov.get("raw"))], found, claimed)
        _by_cross(tables, [m for m in rest if not _norm(m.prov.get("raw"))], ms, found, claimed)
        _by_gaps(tables, ms, found, claimed)
    return found


def _claim(found: dict[int, list[str]], claimed: set[int], cell: Cell, m: CellMark) -> None:
    found.setdefault(id(cell), []).append(m.full_key)
    claimed.add(id(cell))


def _at(t: Table, m: CellMark, mode: str) -> Cell | None:
    """The cell at provenance ``row``/``col`` of ``t`` if it prints ``raw`` (and is on its
    page). ``col`` counts grid columns (``grid``) or the row's own cells (``cells``)."""
    r, c = m.prov["row"], m.prov["col"]
    if not 0 <= r < t.n_rows:
        return None
    line = t.grid[r] if mode == "grid" else t.row_cells(r)
    cell = line[c] if 0 <= c < len(line) else None
    if cell is None or _norm(cell.text) != _norm(m.prov.get("raw")):
        return None
    page = m.prov.get("page")
    if page is not None and cell.page is not None and cell.page != page:
        return None
    return cell


def _by_position(tables: list[Table], ms: list[CellMark], found: dict[int, list[str]], claimed: set[int]) -> list[CellMark]:
    """Place keys whose provenance has row and col; return the others.

    Which table a key's row/col refer to is not recorded: each canonical row goes to the
    table where most of its keys print their raw text at their row/col. Whether ``col``
    counts grid columns or the row's cells is decided by which reading places more keys.
    """
    placed = [m for m in ms if isinstance(m.prov.get("row"), int) and isinstance(m.prov.get("col"), int)]
    if not placed:
        return ms
    mode = max(("grid", "cells"), key=lambda md: sum(
        any(_at(t, m, md) is not None for t in tables) for m in placed))
    by_row: dict[str, list[CellMark]] = {}
    for m in placed:
        by_row.setdefault(m.key.rpartition(".")[0], []).append(m)
    rest = [m for m in ms if m not in placed]
    for group in by_row.values():
        ranked = sorted(range(len(tables)), key=lambda ti: -sum(_at(tables[ti], m, mode) is not None for m in group))
        for m in group:
            for ti in ranked:
                cell = _at(tables[ti], m, mode)
                if cell is not None and (id(cell) not in claimed or m.how == "split"):
                    _claim(found, claimed, cell, m)
                    break
            else:
                rest.append(m)
    return rest


def _by_cross(tables: list[Table], blanks: list[CellMark], ms: list[CellMark], found: dict[int, list[str]],
              claimed: set[int]) -> None:
    """Place blank cells (raw text empty: nothing to align by) where the printed row of a
    placed key of the same canonical row crosses the printed column of a placed key of the
    same canonical column, in the same rectangular table, when that cell is blank too."""
    if not blanks:
        return
    where: dict[str, tuple[int, Cell]] = {}
    for ti, t in enumerate(tables):
        if not t.rectangular:
            continue
        for r in range(t.n_rows):
            for cell in t.row_cells(r):
                for k in found.get(id(cell), []):
                    where[k] = (ti, cell)
    rows: dict[str, list[tuple[int, Cell]]] = {}
    cols: dict[str, list[tuple[int, Cell]]] = {}
    for m in ms:
        if m.full_key in where:
            row, _, col = m.key.rpartition(".")
            rows.setdefault(row, []).append(where[m.full_key])
            cols.setdefault(col, []).append(where[m.full_key])
    for m in blanks:
        row, _, col = m.key.rpartition(".")
        spots = {(ti, rc.row, cc.col) for ti, rc in rows.get(row, []) for tj, cc in cols.get(col, []) if ti == tj}
        if len(spots) != 1:
            continue  # no witness, or witnesses that disagree: leave it unplaced
        ti, r, c = spots.pop()
        t = tables[ti]
        cell = t.grid[r][c] if r < t.n_rows and c < len(t.grid[r]) else None
        if cell is not None and not _norm(cell.text) and id(cell) not in claimed:
            _claim(found, claimed, cell, m)


def _groups(items: list[Any], key) -> list[int]:
    """Sizes of the runs of equal ``key`` in ``items``."""
    sizes: list[int] = []
    prev = object()
    for it in items:
        k = key(it)
        if sizes and k == prev:
            sizes[-1] += 1
        else:
            sizes.append(1)
        prev = k
    return sizes


def _by_gaps(tables: list[Table], ms: list[CellMark], found: dict[int, list[str]], claimed: set[int]) -> None:
    """Place the blank cells left between two placed keys (in mapping order) on the blank
    cells between their two document cells, only when the two agree exactly: as many
    blank cells as blank keys, in the same runs of printed rows as of canonical rows."""
    seq = _cells_in_order(tables)
    pos = {id(c): i for i, (_ti, c) in enumerate(seq)}
    first_of = {}
    last_of = {}
    for i, (ti, _c) in enumerate(seq):
        first_of.setdefault(ti, i)
        last_of[ti] = i
    placed_at: dict[str, int] = {}
    for cid, keys in found.items():
        for k in keys:
            if cid in pos:
                placed_at[k] = pos[cid]
    gap: list[CellMark] = []
    prev: int | None = None
    for m in ms + [None]:
        at = placed_at.get(m.full_key) if m is not None else None
        if m is not None and at is None:
            if not _norm(m.prov.get("raw")):
                gap.append(m)
            continue
        if gap:
            lo = prev if prev is not None else (first_of[seq[at][0]] - 1 if at is not None else None)
            hi = at if at is not None else (last_of[seq[prev][0]] + 1 if prev is not None else None)
            if lo is not None and hi is not None:
                _fill(seq, lo, hi, gap, found, claimed)
        gap = []
        prev = at if at is not None else prev


def _fill(seq: list[tuple[int, Cell]], lo: int, hi: int, gap: list[CellMark], found: dict[int, list[str]],
          claimed: set[int]) -> None:
    cells = [(ti, c) for ti, c in seq[lo + 1:hi] if not _norm(c.text) and id(c) not in claimed]
    if len(cells) != len(gap):
        return
    if _groups(cells, lambda tc: (tc[0], tc[1].row)) != _groups(gap, lambda m: m.key.rpartition(".")[0]):
        return
    for (_ti, cell), m in zip(cells, gap):
        _claim(found, claimed, cell, m)


def _by_sequence(tables: list[Table], ms: list[CellMark], found: dict[int, list[str]], claimed: set[int]) -> None:
    """Align keys in mapping order with cells in reading order by their raw text."""
    if not ms:
        return
    seq = _cells_in_order(tables)
    at_text: dict[str, list[int]] = {}  # text -> its positions in reading order
    starts: dict[int, int] = {}         # table -> position of its first cell
    for i, (ti, c) in enumerate(seq):
        at_text.setdefault(_norm(c.text), []).append(i)
        starts.setdefault(ti, i)

    def next_free(raw: str, pos: int, taken: set[int]) -> int | None:
        spots = at_text.get(raw, [])
        for j in spots[bisect_left(spots, pos):]:
            if j not in taken and id(seq[j][1]) not in claimed:
                return j
        return None

    def run(start: int, commit: bool) -> int:
        pos, hits, taken = start, 0, set()
        last: tuple[int, str] | None = None
        for m in ms:
            raw = _norm(m.prov.get("raw"))
            if not raw:
                continue
            if m.how == "split" and last is not None and last[1] == raw:  # one run, several keys
                i = last[0]
            else:
                i = next_free(raw, pos, taken)
            if i is None:
                continue
            hits += 1
            taken.add(i)
            last, pos = (i, raw), i + 1
            if commit:
                _claim(found, claimed, seq[i][1], m)
        return hits

    best = max(starts.values(), key=lambda s: (run(s, False), -s), default=None)
    if best is not None:
        run(best, True)
