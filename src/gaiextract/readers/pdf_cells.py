"""Cells and tables from explicit rules: pdfplumber's table finder, re-expressed.

pdfplumber's ``TableFinder`` with the ``explicit`` strategy on both axes does four
steps over the rules it is given; this module does the same four, step by step
with the same arithmetic (so the same floats come out), on plain tuples and with
indexes where pdfplumber compares every pair:

1. **merge** — rules within ``snap_tolerance`` of one another across their
   direction are moved to their group's mean (``snap_objects``); rules on one line
   whose ends are within ``join_tolerance`` are joined (``join_edge_group``); rules
   shorter than ``edge_min_length`` are dropped;
2. **intersections** — every vertical rule meets every horizontal one it comes
   within ``intersection_tolerance`` of (candidates found by bisection on the
   horizontal rules' heights, then pdfplumber's own test);
3. **cells** — from each crossing, the smallest rectangle whose four sides run
   along shared rules (``intersections_to_cells``), with each point's rules held
   as sets and the rightward neighbours tested once per point;
4. **tables** — cells sharing a corner, grouped in pdfplumber's order
   (``cells_to_tables``).

The tolerances are :class:`~gaiextract.readers.pdf_tables.TableSettings` fields.
tests/test_pdf_cells.py checks this against pdfplumber's finder on every ruled
corpus page and on generated grids.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any, Optional

#: an edge as (x0, top, x1, bottom, length): length is pdfplumber's ``width`` of a
#: horizontal rule or ``height`` of a vertical one, carried as it updates them
Rule = tuple[float, float, float, float, float]
Box = tuple[float, float, float, float]
Point = tuple[float, float]

#: widening of the bisection window around the exact intersection test, so that
#: rounding in ``top - tol`` against ``top + tol`` can never drop a candidate
WINDOW_SLACK = 1e-6


def find_cell_tables(v_edges: list[dict[str, Any]], h_edges: list[dict[str, Any]], snap: float, join: float,
                     intersection: float, min_length: float) -> list[list[Box]]:
    """The cell boxes of each table, as ``TableFinder(...).tables[k].cells``."""
    v = [(e["x0"], e["top"], e["x1"], e["bottom"], e["height"]) for e in v_edges]
    h = [(e["x0"], e["top"], e["x1"], e["bottom"], e["width"]) for e in h_edges]
    if snap > 0:
        v = _snap(v, 0, snap)
        h = _snap(h, 1, snap)
    h = [e for e in _join_all(h, 1, join) if e[4] >= min_length]
    v = [e for e in _join_all(v, 0, join) if e[4] >= min_length]
    return _tables(_cells(_intersections(v, h, intersection)))


def table_bbox(cells: list[Box]) -> Box:
    """pdfplumber's ``Table.bbox``."""
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))


# --------------------------------------------------------------------------- 1. merge

def _snap(rules: list[Rule], axis: int, tol: float) -> list[Rule]:
    """pdfplumber's ``snap_objects``: vertical rules (``axis`` 0) by x0, horizontal
    ones (1) by top; each moved by (group mean - own value)."""
    key = 0 if axis == 0 else 1
    values = sorted({r[key] for r in rules})
    group_of: dict[float, int] = {}
    g, last = 0, None
    for x in values:
        if last is not None and not x <= last + tol:
            g += 1
        group_of[x] = g
        last = x
    groups: dict[int, list[Rule]] = {}
    for r in sorted(rules, key=lambda r: group_of[r[key]]):
        groups.setdefault(group_of[r[key]], []).append(r)
    out: list[Rule] = []
    for members in groups.values():
        avg = sum(r[key] for r in members) / len(members)
        for x0, top, x1, bottom, length in members:
            if axis == 0:
                d = avg - x0
                out.append((x0 + d, top, x1 + d, bottom, length))
            else:
                d = avg - top
                out.append((x0, top + d, x1, bottom + d, length))
    return out


def _join_all(rules: list[Rule], axis: int, tol: float) -> list[Rule]:
    """pdfplumber's ``join_edge_group`` over each line (same x0 for vertical rules,
    same top for horizontal ones), lines in ascending order."""
    key = 0 if axis == 0 else 1
    lines: dict[float, list[Rule]] = {}
    for r in sorted(rules, key=lambda r: r[key]):
        lines.setdefault(r[key], []).append(r)
    lo, hi = (1, 3) if axis == 0 else (0, 2)
    out: list[Rule] = []
    for group in lines.values():
        group.sort(key=lambda r: r[lo])
        joined = [group[0]]
        for r in group[1:]:
            last = joined[-1]
            if r[lo] <= last[hi] + tol:
                if r[hi] > last[hi]:
                    joined[-1] = _extend(last, axis, r[hi])
            else:
                joined.append(r)
        out.extend(joined)
    return out


def _extend(r: Rule, axis: int, value: float) -> Rule:
    """pdfplumber's ``resize_object`` of the far end (``bottom`` / ``x1``)."""
    x0, top, x1, bottom, length = r
    if axis == 0:
        return (x0, top, x1, value, length + (value - bottom))
    return (x0, top, value, bottom, value - x0)


# --------------------------------------------------------------------------- 2. intersections

def _intersections(v: list[Rule], h: list[Rule], tol: float
                   ) -> dict[Point, tuple[set[Box], set[Box]]]:
    """Each crossing point with the boxes of the vertical and horizontal rules through it."""
    out: dict[Point, tuple[set[Box], set[Box]]] = {}
    hs = sorted(h, key=lambda r: r[1])
    tops = [r[1] for r in hs]
    for vr in v:
        vx0, vtop, vbottom = vr[0], vr[1], vr[3]
        lo = bisect_left(tops, vtop - tol - WINDOW_SLACK)
        hi = bisect_right(tops, vbottom + tol + WINDOW_SLACK)
        for hr in hs[lo:hi]:
            htop = hr[1]
            if vtop <= htop + tol and vbottom >= htop - tol and vx0 >= hr[0] - tol and vx0 <= hr[2] + tol:
                sets = out.get((vx0, htop))
                if sets is None:
                    sets = out[(vx0, htop)] = (set(), set())
                sets[0].add(vr[:4])
                sets[1].add(hr[:4])
    return out


# --------------------------------------------------------------------------- 3. cells

def _cells(inter: dict[Point, tuple[set[Box], set[Box]]]) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``: from each point (in sorted order),
    the first point below and the first to the right joined to it by a rule whose
    opposite corner exists and is joined to both."""
    points = sorted(inter)
    row: dict[float, list[Point]] = {}
    for p in points:
        row.setdefault(p[1], []).append(p)  # ascending x: points are sorted by x first
    cells: list[Box] = []
    for i, pt in enumerate(points[:-1]):
        v_here, h_here = inter[pt]
        below = []
        for q in points[i + 1:]:
            if q[0] != pt[0]:
                break
            below.append(q)
        same_y = row[pt[1]]
        right = [q for q in same_y[bisect_right(same_y, pt):] if not h_here.isdisjoint(inter[q][1])]
        cell = _smallest(pt, below, right, v_here, inter)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest(pt: Point, below: list[Point], right: list[Point], v_here: set[Box],
              inter: dict[Point, tuple[set[Box], set[Box]]]) -> Optional[Box]:
    for b in below:
        if v_here.isdisjoint(inter[b][0]):
            continue
        for r in right:
            corner = (r[0], b[1])
            sets = inter.get(corner)
            if sets is not None and not sets[0].isdisjoint(inter[r][0]) and not sets[1].isdisjoint(inter[b][1]):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


# --------------------------------------------------------------------------- 4. tables

def _tables(cells: list[Box]) -> list[list[Box]]:
    """pdfplumber's ``cells_to_tables``: passes over the cells left, each taking
    those that share a corner with the table being grown; a pass that takes
    none closes the table. Tables of one cell are dropped."""
    remaining = list(cells)
    corners: set[Point] = set()
    current: list[Box] = []
    tables: list[list[Box]] = []
    while remaining:
        before = len(current)
        left: list[Box] = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            mine = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in mine):
                corners.update(mine)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            tables.append(current)
            corners = set()
            current = []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
