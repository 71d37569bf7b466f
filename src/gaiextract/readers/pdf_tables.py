"""Ruled tables on a PDF page, and their stitching across pages.

Tables are found from the page's rules (lines and rectangle sides) with
pdfplumber's table finder, fed *explicit* edges that we prepare first, so we can
repair what PDF exports typically get wrong:

* a table continued on a new page often has no top rule: its vertical rules start
  at the top of the first row with nothing across them, and a plain "lines"
  strategy silently loses that row. We add the missing outer rule wherever two or
  more vertical rules start (or end) at the same height with no horizontal rule
  there — and likewise a missing left/right frame for horizontal rules.
* tables drawn with horizontal rules only (no column rules) come out as one
  column; their columns are then rebuilt from the gaps between text runs, and a
  run crossing a column gap becomes a spanning cell.

Spans are rebuilt from cell boxes: the distinct x and y edges of all cells form
the grid, and a cell covering several grid intervals gets rowspan/colspan. A
:class:`PageTable` keeps raw cells with page numbers, so parts on successive pages
can be stitched into one :class:`~gaiextract.document.Table` before any mapping.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Optional

from ..document import Cell, Table
from ..limits import require_positive
from ..values import NUMBER, PLACEHOLDER, parse_cell
from .pdf_cells import WINDOW_SLACK, find_cell_tables, table_bbox
from .pdf_text import GARBLED, HEADING_MARKER, group_rows, is_garbled_char, join_chars

#: a coordinate beyond any page (PDF points): the open ends of a page's extent
_FAR = 1e9
#: the grid lines of two rows: a continuation gives its first row back to a split row
#: only when a row of its own follows
_TWO_ROWS_LINES = 3


#: the fields of TableSettings handed to the cell finder as pdfplumber's tolerances
_FINDER_TOLERANCES = ("snap_tolerance", "join_tolerance", "intersection_tolerance", "edge_min_length")


@dataclass(frozen=True)
class TableSettings:
    """Every knob of table finding in one place (PDF points)."""

    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    intersection_tolerance: float = 3.0
    edge_min_length: float = 3.0
    #: cell edges closer than this are one grid line (span rebuilding, stitching)
    grid_tolerance: float = 2.5
    #: add outer rules that are missing (top rule of a continued table, open frames)
    close_frame: bool = True
    #: rules of a table ruled only across are at most this far apart (one row)
    frame_max_row: float = 80.0
    #: ... and a stack of at least this many of them, no vertical rule touching, is one
    frame_min_rules: int = 3
    #: such a stack lost a rule-less first row when text sits within this many row
    #: pitches above its first rule (and nothing else above it on the page)
    lost_row_pitches: float = 1.5
    #: rebuild columns from text gaps when a ruled table has no column rules
    text_columns: bool = True
    #: the narrowest empty strip that separates two text columns
    column_gap: float = 6.0
    #: text runs start at one column when their left ends agree within this
    column_start_tolerance: float = 2.0
    #: ... in at least this share of the rows that have runs after a gap (and in two)
    column_start_share: float = 0.3
    #: running header/footer bands (fraction of page height): their rules are not table rules
    head_band: float = 0.08
    #: outer x edges of two parts of one table agree within this
    stitch_tolerance: float = 4.0
    #: a table ending below this fraction of the page height may continue overleaf
    stitch_bottom: float = 0.55
    #: a continuation must start above this fraction of the next page's height
    stitch_top: float = 0.35
    #: two parts with different numbers of column edges are one table when this share
    #: of one part's edges lie among the other's (within ``stitch_tolerance``)
    stitch_edge_share: float = 0.8
    #: a filled, unstroked shape thinner than this is a rule drawn as a fill; the
    #: sides of a thicker one are shading (WPS shades every line of running text
    #: with white boxes that tile the page): not rules, unless the page has no others
    rule_max_thickness: float = 2.0
    #: framed prose: cells of running text are at least this long on average …
    prose_cell_chars: float = 12.0
    #: … or at least this share of them have sentence punctuation
    prose_punct_share: float = 0.5

    def __post_init__(self) -> None:
        # pdfplumber's four finder tolerances may be 0 (no snapping, exact joins); every
        # other number is positive; the switches (bool) are left alone
        require_positive(self, skip=_FINDER_TOLERANCES, numbers_only=False)
        for name in _FINDER_TOLERANCES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ValueError(f"TableSettings.{name} must be a number >= 0, not {value!r}")



DEFAULT_SETTINGS = TableSettings()


@dataclass
class RawCell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    page: int
    #: where the text really is, when it came from another page (a split row)
    shown: Optional[tuple[int, tuple[float, float, float, float]]] = None  # (page, bbox)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))


@dataclass
class PageTable:
    """A table as found on one page: raw cells with their boxes."""

    page: int
    bbox: tuple[float, float, float, float]
    cells: list[RawCell] = field(default_factory=list)
    page_height: float = 0.0
    garbled: bool = False
    #: columns found from text gaps (no column rules): their x edges are estimates
    text_columns: bool = False
    #: for text columns: the rows' text runs and the column separators used
    text_rows: Optional[list[TextRow]] = None
    seps: Optional[list[float]] = None
    #: the same table with a rule-less first row recovered (see close_frame)
    extended: Optional["PageTable"] = None

    def xs(self, tol: float) -> list[float]:
        return cluster([v for c in self.cells for v in (c.x0, c.x1)], tol)

    def ys(self, tol: float) -> list[float]:
        return cluster([v for c in self.cells for v in (c.top, c.bottom)], tol)


def cluster(values: list[float], tol: float) -> list[float]:
    """Distinct values, merging those closer than ``tol`` (each group's mean)."""
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def _nearest(edges: list[float], v: float) -> int:
    i = bisect_right(edges, v)
    if i == 0:
        return 0
    if i >= len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


# --------------------------------------------------------------------------- edges

def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {"object_type": "synthetic_edge", "orientation": orientation,
            "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top}


def _covered(segments: list[tuple[float, float]], lo: float, hi: float, tol: float) -> bool:
    """Do the (lo, hi) intervals in ``segments`` cover [lo, hi] (up to ``tol``)?"""
    reach = lo
    for a, b in sorted(segments):
        if a > reach + tol:
            return False
        reach = max(reach, b)
    return reach >= hi - tol


class _VerticalRules:
    """The vertical rules of a page sorted by x, for the few near a given x: a
    bisection finds the candidates (widened by ``WINDOW_SLACK``), the caller's
    exact test decides, as a scan over all of them would."""

    def __init__(self, v: list[dict[str, Any]]):
        self.rules = sorted(v, key=lambda e: e["x0"])
        self.xs = [e["x0"] for e in self.rules]

    def between(self, lo: float, hi: float) -> list[dict[str, Any]]:
        return self.rules[bisect_left(self.xs, lo - WINDOW_SLACK):bisect_right(self.xs, hi + WINDOW_SLACK)]


def close_frame(h: list[dict[str, Any]], v: list[dict[str, Any]], tol: float,
                max_row: float = DEFAULT_SETTINGS.frame_max_row,
                chars: Optional[list[dict[str, Any]]] = None, page_top: float = 0.0, page_bottom: float = _FAR,
                lost: Optional[list[list[dict[str, Any]]]] = None,
                settings: TableSettings = DEFAULT_SETTINGS) -> list[dict[str, Any]]:
    """Synthetic rules for missing outer edges.

    * Vertical rules that start (end) together at a height where no horizontal
      rule runs get one across them (a continued table without its top rule).
    * Between two consecutive horizontal rules of the same extent that column
      rules cross (a table band), a missing left/right side gets a rule.
    * A stack of ``settings.frame_min_rules`` or more horizontal rules that no vertical rule touches,
      each within ``max_row`` of the next (a table ruled only across), gets both
      sides, so it is found as a one-column table whose columns come from text.
      If text sits just above such a stack at the top of the page, the stack may
      be a continued table whose first row lost its rule; the rules that would
      recover that row are appended to ``lost`` (used only if the table turns out
      to continue one from the previous page).
    """
    extra = _open_ends(h, v, tol)
    verticals = _VerticalRules(v)
    for rules in _rules_by_extent(h, tol, page_top, page_bottom):
        x0 = min(e["x0"] for e in rules)
        x1 = max(e["x1"] for e in rules)
        extra += _open_sides(rules, verticals, x0, x1, tol)
        bare = [e for e in rules if not _touched(e, verticals, tol)]
        extra += _bare_stacks(bare, x0, x1, max_row, chars, page_top, lost, settings)
    return extra


def _open_ends(h: list[dict[str, Any]], v: list[dict[str, Any]], tol: float) -> list[dict[str, Any]]:
    """A horizontal rule across vertical rules that start (end) together where none runs."""
    extra = []
    by_top = sorted(h, key=lambda c: c["top"])
    tops = [c["top"] for c in by_top]
    for key in ("top", "bottom"):
        groups: dict[int, list[dict[str, Any]]] = {}
        for e in v:
            groups.setdefault(round(e[key] / tol), []).append(e)
        for group in groups.values():
            if len(group) < 2:
                continue
            at = sum(e[key] for e in group) / len(group)
            lo, hi = min(e["x0"] for e in group), max(e["x0"] for e in group)
            near = by_top[bisect_left(tops, at - tol - WINDOW_SLACK):bisect_right(tops, at + tol + WINDOW_SLACK)]
            segs = [(c["x0"], c["x1"]) for c in near if abs(c["top"] - at) <= tol]
            if hi - lo > tol and not _covered(segs, lo, hi, tol):
                extra.append(_edge("h", lo, at, hi, at))
    return extra


def _rules_by_extent(h: list[dict[str, Any]], tol: float, page_top: float, page_bottom: float
                     ) -> list[list[dict[str, Any]]]:
    """Whole horizontal rules between the running header and footer, grouped by
    their left and right ends, each group top to bottom."""
    by_extent: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for e in _merge_collinear(h, tol):
        if not page_top < e["top"] < page_bottom:
            continue  # a rule under the running header or over the footer
        by_extent.setdefault((round(e["x0"] / tol), round(e["x1"] / tol)), []).append(e)
    for rules in by_extent.values():
        rules.sort(key=lambda e: e["top"])
    return list(by_extent.values())


def _touched(e: dict[str, Any], verticals: _VerticalRules, tol: float) -> bool:
    """Does a vertical rule meet horizontal rule ``e``?"""
    return any(e["x0"] - tol <= c["x0"] <= e["x1"] + tol and c["top"] - tol <= e["top"] <= c["bottom"] + tol
               for c in verticals.between(e["x0"] - tol, e["x1"] + tol))


def _open_sides(rules: list[dict[str, Any]], verticals: _VerticalRules, x0: float, x1: float,
                tol: float) -> list[dict[str, Any]]:
    """Left/right sides missing from the bands of a ruled table (consecutive rules
    of one extent that column rules cross)."""
    extra = []
    columns = [c for c in verticals.between(x0 + tol, x1 - tol) if x0 + tol < c["x0"] < x1 - tol]
    sides = {x: [(c["top"], c["bottom"]) for c in verticals.between(x - tol, x + tol) if abs(c["x0"] - x) <= tol]
             for x in (x0, x1)}
    for a, b in zip(rules, rules[1:]):
        if not any(c["top"] <= a["top"] + tol and c["bottom"] >= b["top"] - tol for c in columns):
            continue
        for x in (x0, x1):
            if not _covered(sides[x], a["top"], b["top"], tol):
                extra.append(_edge("v", x, a["top"], x, b["top"]))
    return extra


def _bare_stacks(bare: list[dict[str, Any]], x0: float, x1: float, max_row: float,
                 chars: Optional[list[dict[str, Any]]], page_top: float,
                 lost: Optional[list[list[dict[str, Any]]]], settings: TableSettings) -> list[dict[str, Any]]:
    """Both sides for each stack of ``frame_min_rules`` or more rules no vertical rule touches,
    each within ``max_row`` of the next; the rules of a lost first row go to ``lost``."""
    extra = []
    chain: list[dict[str, Any]] = []
    for e in bare + [None]:
        if e is not None and (not chain or e["top"] - chain[-1]["top"] <= max_row):
            chain.append(e)
            continue
        if len(chain) >= settings.frame_min_rules:
            top = chain[0]["top"]
            for x in (x0, x1):
                extra.append(_edge("v", x, top, x, chain[-1]["top"]))
            if chars is not None and lost is not None:
                new_top = _lost_first_row(chain, chars, page_top, settings.lost_row_pitches)
                if new_top is not None:
                    lost.append([_edge("h", x0, new_top, x1, new_top)]
                                + [_edge("v", x, new_top, x, top) for x in (x0, x1)])
        chain = [e] if e is not None else []
    return extra


def _merge_collinear(h: list[dict[str, Any]], tol: float) -> list[dict[str, Any]]:
    """Horizontal rules drawn cell by cell, joined into whole rules."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for e in h:
        rows.setdefault(round(e["top"] / tol), []).append(e)
    out = []
    for segs in rows.values():
        segs = sorted(segs, key=lambda e: e["x0"])
        cur = dict(segs[0])
        for e in segs[1:]:
            if e["x0"] <= cur["x1"] + tol:
                cur["x1"] = max(cur["x1"], e["x1"])
            else:
                out.append(cur)
                cur = dict(e)
        out.append(cur)
    for e in out:
        e["width"] = e["x1"] - e["x0"]
    return sorted(out, key=lambda e: e["top"])


def _lost_first_row(chain: list[dict[str, Any]], chars: list[dict[str, Any]], page_top: float,
                    pitches_above: float) -> Optional[float]:
    """Where a rule-less first row of a stack begins, if the stack is a table
    continued at the top of a page without its top rule: text sits just above the
    first rule, within ``pitches_above`` row pitches, with nothing above it on the page
    but the running header. Returns the y for the missing rule, or None."""
    first = chain[0]
    pitches = sorted(b["top"] - a["top"] for a, b in zip(chain, chain[1:]))
    pitch = pitches[len(pitches) // 2]
    x0, x1 = first["x0"], first["x1"]
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and c["top"] > page_top]
    row = [c for c in inside if first["top"] - pitches_above * pitch <= c["top"] and c["bottom"] <= first["top"] + 1]
    if not row:
        return None
    row_top = min(c["top"] for c in row)
    if any(c["bottom"] < row_top - 1 for c in inside if c["top"] < row_top):
        return None  # other text above: the table does not start the page
    pad = first["top"] - max(c["bottom"] for c in row)
    return max(page_top, row_top - max(pad, 1.0))


# --------------------------------------------------------------------------- finding

def find_tables(page, chars: list[dict[str, Any]], page_no: int, settings: TableSettings = DEFAULT_SETTINGS,
                edges: Optional[list[dict[str, Any]]] = None):
    """Tables on ``page`` (a pdfplumber page) built from ``chars`` (already deduped)
    and ``edges`` (the page's rules; default ``page.edges``).

    Returns ``(tables, chars_outside_tables)``. A table that may have lost a
    rule-less first row carries the recovered version in ``extended``.
    """
    if edges is None:
        edges = page.edges
    edges = ruled_edges(edges, settings)
    h = [e for e in edges if e["orientation"] == "h" and e["width"] >= settings.edge_min_length]
    v = [e for e in edges if e["orientation"] == "v" and e["height"] >= settings.edge_min_length]
    if len(h) < 2:
        return [], chars
    lost: list[list[dict[str, Any]]] = []
    if settings.close_frame:
        height = float(page.height)
        extra = close_frame(h, v, settings.snap_tolerance, settings.frame_max_row, chars=chars,
                            page_top=height * settings.head_band,
                            page_bottom=height * (1 - settings.head_band), lost=lost, settings=settings)
        h += [e for e in extra if e["orientation"] == "h"]
        v += [e for e in extra if e["orientation"] == "v"]
    tables = _build(page, chars, page_no, settings, h, v)
    for rules in lost:
        old_top = rules[1]["bottom"]
        base = next((t for t in tables if abs(t.bbox[1] - old_top) <= settings.snap_tolerance), None)
        if base is None:
            continue
        h2 = h + [e for e in rules if e["orientation"] == "h"]
        v2 = v + [e for e in rules if e["orientation"] == "v"]
        for t in _build(page, chars, page_no, settings, h2, v2):
            if t.bbox[1] < base.bbox[1] - 1 and abs(t.bbox[3] - base.bbox[3]) <= settings.snap_tolerance:
                base.extended = t
    if not tables:
        return [], chars
    return tables, _outside(chars, [t.bbox for t in tables])


def is_shading(edge: dict[str, Any], settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """A side of a filled, unstroked area wider than a rule (a background), not a rule."""
    return bool(edge.get("fill_only")) and edge.get("thickness", 0.0) > settings.rule_max_thickness


def ruled_edges(edges: list[dict[str, Any]], settings: TableSettings = DEFAULT_SETTINGS) -> list[dict[str, Any]]:
    """The page's rules: stroked lines and thin fills. Shading sides are left out
    when the page has rules across and down (a real ruled grid); a page drawn
    with backgrounds only keeps them (zebra rows are then its only grid)."""
    rules = [e for e in edges if not is_shading(e, settings)]
    if len(rules) == len(edges):
        return edges
    orients = {e["orientation"] for e in rules}
    return rules if orients == {"h", "v"} else edges


def _build(page, chars: list[dict[str, Any]], page_no: int, settings: TableSettings,
           h: list[dict[str, Any]], v: list[dict[str, Any]]) -> list[PageTable]:
    if len(v) < 2 or len(h) < 2:
        return []
    tables = []
    for found in find_cell_tables(v, h, settings.snap_tolerance, settings.join_tolerance,
                                  settings.intersection_tolerance, settings.edge_min_length):
        boxes = [c for c in found if c[2] - c[0] > 1 and c[3] - c[1] > 1]
        if len(boxes) < 2:  # a frame around text, not a table
            continue
        x0, top, x1, bottom = table_bbox(found)
        inside = _inside(chars, (x0, top, x1, bottom))
        whole = _fill(boxes, inside, page_no, settings)
        parts = split_prose_bands(whole, settings)
        for pt in parts:
            if pt is not whole:
                x0, top, x1, bottom = pt.bbox
                inside = _inside(chars, pt.bbox)
            if settings.text_columns and len(pt.xs(settings.grid_tolerance)) == 2 and len(pt.cells) >= 2:
                pt = split_text_columns(pt, inside, settings) or pt
            if len(pt.cells) < 2 or is_framed_prose(pt, settings):
                continue  # its text stays with the page's lines
            pt.bbox = (x0, top, x1, bottom)
            pt.page_height = float(page.height)
            tables.append(pt)
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return tables


_SENTENCE_PUNCT = re.compile(r"[，。；：、！？,;]")
#: a number standing apart in a cell's text: columns whose rules are missing
_APART_NUMBER = re.compile(r"(?:^|\s)[+\-]?\d[\d,]*(?:\.\d+)?(?=\s|$)")


def is_framed_prose(pt: PageTable, settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """A frame drawn around text, not a table: no cell holds a number, and the
    cells are lines of running text — the grid has one column, or its cells are
    long or read as sentences. (A one-column list with counts keeps its numbers
    and stays a table; the template's tables have value columns.)"""
    if any(_APART_NUMBER.search(c.text) for c in pt.cells):
        return False  # values in columns without rules: a table
    texts = ["".join(c.text.split()) for c in pt.cells]
    texts = [t for t in texts if t]
    if not texts or pt.garbled:
        return False
    if any(parse_cell(t).kind == NUMBER for t in texts):
        return False
    if len(pt.xs(settings.grid_tolerance)) == 2:
        return True
    mean = sum(len(t) for t in texts) / len(texts)
    punct = sum(1 for t in texts if _SENTENCE_PUNCT.search(t)) / len(texts)
    return mean >= settings.prose_cell_chars or punct >= settings.prose_punct_share


def is_prose_band(text: str) -> bool:
    """Text of a cell spanning a whole table that reads as the page's prose: several
    lines, a heading or sub-head, or a sentence (a table's own full-width rows are
    short captions such as a block name)."""
    t = text.strip()
    if not t or t == GARBLED:
        return False
    return "\n" in t or bool(HEADING_MARKER.match(t) or _SENTENCE_PUNCT.search(t))


def split_prose_bands(pt: PageTable, settings: TableSettings = DEFAULT_SETTINGS) -> list[PageTable]:
    """The ruled grids of ``pt`` without the bands of prose between or around them.

    A page-wide frame (or shading that meets a table's rules) joins prose, headings
    and one or more tables into one grid for the table finder. The table's own cell
    grid has rows of several columns; a row that is one cell across the whole
    width and holds prose (:func:`is_prose_band`) is the page's text. ``pt`` is cut
    at such rows; each run of other rows is a part (``[pt]`` when there is none).
    Only grids with several columns are cut: a one-column frame is judged whole
    (:func:`is_framed_prose`)."""
    tol = settings.grid_tolerance
    xs = pt.xs(tol)
    if len(xs) <= 2:
        return [pt]
    left, right = xs[0], xs[-1]

    def band(c: RawCell) -> bool:
        return abs(c.x0 - left) <= tol and abs(c.x1 - right) <= tol and is_prose_band(c.text)

    bands = sorted((c for c in pt.cells if band(c)), key=lambda c: c.top)
    if not bands:
        return [pt]
    cuts = [(-_FAR, -_FAR)] + [(c.top, c.bottom) for c in bands] + [(_FAR, _FAR)]
    parts = []
    for (_, lo), (hi, _) in zip(cuts, cuts[1:]):
        cells = [c for c in pt.cells if c.top >= lo - tol and c.bottom <= hi + tol and not band(c)]
        if not cells:
            continue
        bbox = (min(c.x0 for c in cells), min(c.top for c in cells),
                max(c.x1 for c in cells), max(c.bottom for c in cells))
        parts.append(PageTable(page=pt.page, bbox=bbox, cells=cells,
                               garbled=any(c.text == GARBLED for c in cells)))
    return parts


def _outside(chars: list[dict[str, Any]], boxes: list[tuple[float, float, float, float]]) -> list[dict[str, Any]]:
    """The chars whose centre is in none of ``boxes``."""
    out = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        if not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes):
            out.append(ch)
    return out


def _inside(chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    """The chars whose centre is in ``bbox`` (edges included)."""
    x0, top, x1, bottom = bbox
    return [ch for ch in chars if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom]


def cell_text(chars: list[dict[str, Any]]) -> str:
    """A cell's text: rows joined by newlines, no spaces inside Han words. A cell
    holding unmapped glyphs becomes U+FFFD alone, so it can never read as a number."""
    if any(is_garbled_char(c["text"]) for c in chars):
        return GARBLED
    return "\n".join(t for t in (join_chars(r) for r in group_rows(chars)) if t)


def _fill(boxes: list[tuple[float, float, float, float]], chars: list[dict[str, Any]], page_no: int, settings: TableSettings) -> PageTable:
    """Raw cells for cell boxes, each with the chars whose centre falls inside."""
    tol = settings.grid_tolerance
    xs = cluster([v for b in boxes for v in (b[0], b[2])], tol)
    ys = cluster([v for b in boxes for v in (b[1], b[3])], tol)
    owner: dict[tuple[int, int], int] = {}
    for i, b in enumerate(boxes):
        c0, c1 = _nearest(xs, b[0]), _nearest(xs, b[2])
        r0, r1 = _nearest(ys, b[1]), _nearest(ys, b[3])
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner.setdefault((r, c), i)
    held: list[list[dict[str, Any]]] = [[] for _ in boxes]
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        i = owner.get((bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1))
        if i is not None:
            held[i].append(ch)
    cells = [RawCell(b[0], b[1], b[2], b[3], cell_text(held[i]), page_no) for i, b in enumerate(boxes)]
    pt = PageTable(page=page_no, bbox=(xs[0], ys[0], xs[-1], ys[-1]), cells=cells)
    pt.garbled = any(c.text == GARBLED for c in cells)
    return pt


def _column_starts(later: list[list[list[dict[str, Any]]]], settings: TableSettings) -> list[float]:
    """Separators just before x positions where, in several rows, a run of text
    starts after a gap on its line (text left-aligned in its cells). ``later``
    holds, per row, those runs; a run opening its line (an indented label, a
    wrapped line) is no evidence."""
    n = len(later)
    tol = settings.column_start_tolerance
    starts = cluster([r[0]["x0"] for runs in later for r in runs], tol)
    seps = []
    for x in starts:
        support = sum(1 for runs in later if any(abs(r[0]["x0"] - x) <= tol for r in runs))
        if support >= max(2, settings.column_start_share * n):
            seps.append(x - 1.0)
    return seps


def _column_gaps(multi: list[list[list[dict[str, Any]]]], gap: float) -> list[float]:
    """Separators in the middle of strips no row has text in (centred text)."""
    spans = [(r[0]["x0"], r[-1]["x1"]) for runs in multi for r in runs]
    lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
    steps = int(hi - lo) + 1
    cover = [False] * steps
    for a, b in spans:
        for x in range(int(a - lo), min(steps, int(b - lo) + 1)):
            cover[x] = True
    seps, start = [], None
    for x in range(steps + 1):
        free = x < steps and not cover[x]
        if free and start is None:
            start = x
        elif not free and start is not None:
            if x - start >= gap:
                seps.append(lo + (start + x) / 2)
            start = None
    return seps


@dataclass
class TextRow:
    """A ruled row of a table without column rules: its runs of text (lists of
    chars separated by gaps), kept so a continued part can be re-cut by the
    first part's columns."""

    top: float
    bottom: float
    page: int
    runs: list[list[dict[str, Any]]]


def split_text_columns(pt: PageTable, chars: list[dict[str, Any]], settings: TableSettings) -> Optional[PageTable]:
    """Columns for a table ruled only horizontally, from where text runs start
    (or, for centred text, from gaps empty in every row); a run crossing a column
    boundary in some row makes that row's cell span those columns."""
    gap = settings.column_gap
    rows, later = [], []
    for cell in sorted(pt.cells, key=lambda c: c.top):
        inside = [c for c in chars if cell.top <= (c["top"] + c["bottom"]) / 2 <= cell.bottom]
        runs, row_later = [], []
        for line in group_rows(inside):
            line_runs = [[line[0]]]
            for ch in line[1:]:
                if ch["x0"] - line_runs[-1][-1]["x1"] >= gap:
                    line_runs.append([])
                line_runs[-1].append(ch)
            runs += line_runs
            row_later += line_runs[1:]  # runs after a gap on their own line
        rows.append(TextRow(cell.top, cell.bottom, cell.page, runs))
        later.append(row_later)
    # only lines with text in two or more places show where columns are; a
    # single run (a heading row spanning the table) says nothing about them
    multi = [lt for lt in later if lt]
    if not multi:
        return None
    seps = _column_starts(multi, settings) or _column_gaps([r.runs for r in rows if len(r.runs) >= 2], gap)
    if not seps:
        return None
    return assign_columns(rows, seps, pt)


def assign_columns(rows: list[TextRow], seps: list[float], pt: PageTable) -> PageTable:
    """Cells of text rows cut at ``seps``."""
    x0, x1 = pt.bbox[0], pt.bbox[2]
    edges = [x0] + [x for x in seps if x0 < x < x1] + [x1]
    cells = []
    for row in rows:
        parent = list(range(len(edges) - 1))

        def find(i, parent=parent):
            while parent[i] != i:
                i = parent[i]
            return i

        held: dict[int, list[dict[str, Any]]] = {}
        for r in row.runs:
            a = bisect_right(edges, r[0]["x0"] + 1) - 1
            b = bisect_right(edges, r[-1]["x1"] - 1) - 1
            a, b = max(0, min(a, len(parent) - 1)), max(0, min(b, len(parent) - 1))
            for k in range(a, b):
                parent[find(k + 1)] = find(a)
            held.setdefault(a, []).extend(r)
        groups: dict[int, list[int]] = {}
        for k in range(len(parent)):
            groups.setdefault(find(k), []).append(k)
        for cols in groups.values():
            text_chars = [ch for k in cols for ch in held.get(k, [])]
            cells.append(RawCell(edges[cols[0]], row.top, edges[cols[-1] + 1], row.bottom,
                                 cell_text(text_chars), row.page))
    return PageTable(page=pt.page, bbox=pt.bbox, cells=cells, page_height=pt.page_height,
                     garbled=pt.garbled, text_columns=True, text_rows=rows, seps=list(seps))


# --------------------------------------------------------------------------- stitching

def _row_texts(pt: PageTable, tol: float) -> list[list[str]]:
    ys = pt.ys(tol)
    rows: list[list[str]] = [[] for _ in range(max(0, len(ys) - 1))]
    for c in sorted(pt.cells, key=lambda c: c.x0):
        r = _nearest(ys, c.top)
        if r < len(rows):
            rows[r].append("".join(c.text.split()))
    return rows


def compatible(a: PageTable, b: PageTable, settings: TableSettings) -> bool:
    """Can ``b`` (top of the next page) continue ``a`` (bottom of this page)?"""
    tol = settings.stitch_tolerance
    if b.page != a.page + 1:
        return False
    if abs(a.bbox[0] - b.bbox[0]) > tol or abs(a.bbox[2] - b.bbox[2]) > tol:
        return False
    if a.page_height and a.bbox[3] < a.page_height * settings.stitch_bottom:
        return False
    if b.page_height and b.bbox[1] > b.page_height * settings.stitch_top:
        return False
    xa, xb = a.xs(settings.grid_tolerance), b.xs(settings.grid_tolerance)
    if len(xa) == len(xb):
        return True
    if a.text_columns and b.text_columns:
        return True  # estimated edges: the continuation is re-cut by the first part's columns
    if a.text_columns or b.text_columns:
        return False
    # one part may lack some column edges (a part holding only header rows, or
    # rows with merged cells): enough that the edges of one lie among the other's
    in_a = sum(1 for x in xb if any(abs(x - y) <= tol for y in xa))
    in_b = sum(1 for x in xa if any(abs(x - y) <= tol for y in xb))
    share = settings.stitch_edge_share
    return in_a >= share * len(xb) or in_b >= share * len(xa)


def continue_with(first: PageTable, cont: PageTable, settings: TableSettings = DEFAULT_SETTINGS,
                  prev: Optional[PageTable] = None) -> PageTable:
    """Prepare a continuation part: cut it by the first part's text columns if
    neither has column rules, drop a repeated header, and join a row split by
    the page break back onto ``prev`` (the part before, default ``first``)."""
    if first.text_columns and cont.text_rows is not None and first.seps is not None:
        cont = assign_columns(cont.text_rows, first.seps, cont)
    cont = drop_repeated_header(first, cont, settings)
    return join_split_row(prev or first, cont, settings)




def _value_like(text: str) -> bool:
    """A number or placeholder rather than a label (labels are words)."""
    return parse_cell(text).kind in (NUMBER, PLACEHOLDER)


def join_split_row(prev: PageTable, cont: PageTable, settings: TableSettings) -> PageTable:
    """Word and LibreOffice let a row break across pages: the label's last words
    then open the next page as a row of its own, with no values. Join them back
    when the continuation's first row only continues labels of ``prev``'s last row
    (no list marker, no value printed in both halves)."""
    tol = settings.grid_tolerance
    ya, yb = prev.ys(tol), cont.ys(tol)
    if len(ya) < 2 or len(yb) < _TWO_ROWS_LINES:
        return cont
    a_cells = [c for c in prev.cells if abs(c.bottom - ya[-1]) <= tol and abs(c.top - ya[-2]) <= tol]
    b_cells = [c for c in cont.cells if abs(c.top - yb[0]) <= tol and abs(c.bottom - yb[1]) <= tol]
    pairs = _split_row_pairs(a_cells, b_cells, settings.stitch_tolerance)
    if not pairs or not _continues_labels(pairs):
        return cont
    for a, b in pairs:
        if not b.text.strip():
            continue
        if a.text.strip():
            a.text = a.text + "\n" + b.text
        else:
            a.text, a.shown = b.text, (b.page, b.bbox)
    return _without_first_row(cont, b_cells, yb[1], tol)


def _split_row_pairs(a_cells: list[RawCell], b_cells: list[RawCell], tol: float) -> list[tuple[RawCell, RawCell]]:
    """Each cell of the continuation's first row with the cell of the last row
    above it (same sides within ``tol``); none when one has no partner."""
    pairs = []
    for b in b_cells:
        a = next((a for a in a_cells if abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol), None)
        if a is None:
            return []
        pairs.append((a, b))
    return pairs


def _continues_labels(pairs: list[tuple[RawCell, RawCell]]) -> bool:
    """Do the second halves only go on with labels of a tall row (text and no list
    marker; values on one side only; some cell running over several lines)?"""
    texts = [b.text for _, b in pairs if b.text.strip()]
    if not texts or any(HEADING_MARKER.match(t) for t in texts):
        return False
    # a cell holds text on both sides only where a label goes on; values sit on one side
    both = [(a, b) for a, b in pairs if a.text.strip() and b.text.strip()]
    if any(_value_like(a.text) or _value_like(b.text) for a, b in both):
        return False
    if any(_value_like(a.text) for a, _ in pairs) == any(_value_like(b.text) for _, b in pairs):
        return False
    # only a tall row breaks: the label goes on over several lines
    return any("\n" in a.text or "\n" in b.text for a, b in both)


def _without_first_row(cont: PageTable, b_cells: list[RawCell], cut: float, tol: float) -> PageTable:
    """``cont`` without its first row's cells (``b_cells``), starting at ``cut``."""
    gone = {id(c) for c in b_cells}
    kept = [c for c in cont.cells if id(c) not in gone]
    for i, c in enumerate(kept):
        if c.top < cut - tol:  # a cell spanning from the split row down: starts below it now
            kept[i] = RawCell(c.x0, cut, c.x1, c.bottom, c.text, c.page, c.shown)
    return PageTable(page=cont.page, bbox=(cont.bbox[0], cut, cont.bbox[2], cont.bbox[3]), cells=kept,
                     page_height=cont.page_height, garbled=cont.garbled,
                     text_columns=cont.text_columns, text_rows=cont.text_rows, seps=cont.seps)


def drop_repeated_header(first: PageTable, cont: PageTable, settings: TableSettings) -> PageTable:
    """Remove header rows of ``cont`` that repeat the first rows of ``first``."""
    tol = settings.grid_tolerance
    ra, rb = _row_texts(first, tol), _row_texts(cont, tol)
    k = 0
    for i in range(min(4, len(ra), len(rb) - 1)):
        if ra[i] == rb[i] and any(ra[i]):
            k = i + 1
        else:
            break
    if not k:
        return cont
    ys = cont.ys(tol)
    cut = ys[k]
    kept = []
    for c in cont.cells:
        if c.bottom <= cut + tol:
            continue
        if c.top < cut - tol:  # a header cell spanning into the body: keep the body part
            c = RawCell(c.x0, cut, c.x1, c.bottom, c.text, c.page)
        kept.append(c)
    return PageTable(page=cont.page, bbox=(cont.bbox[0], cut, cont.bbox[2], cont.bbox[3]),
                     cells=kept, page_height=cont.page_height, garbled=cont.garbled)


def to_table(parts: list[PageTable], settings: TableSettings = DEFAULT_SETTINGS) -> Table:
    """One document Table from one or more page parts (already header-deduplicated).

    Columns come from the x edges of all parts together; rows from each part's own
    y edges, parts one after another. Spanned positions share one Cell object.
    """
    tol = settings.grid_tolerance
    # parts on different pages may disagree by a few points (pdfplumber snaps
    # edges page-wide, so another table's rules can pull one part's edges)
    x_tol = settings.stitch_tolerance if len(parts) > 1 else tol
    xs = cluster([v for p in parts for c in p.cells for v in (c.x0, c.x1)], x_tol)
    n_cols = max(1, len(xs) - 1)
    grid: list[list[Optional[Cell]]] = []
    bounds: list[int] = []  # first row index of each continuation part
    for part in parts:
        ys = part.ys(tol)
        base = len(grid)
        if base:
            bounds.append(base)
        n = max(0, len(ys) - 1)
        grid.extend([None] * n_cols for _ in range(n))
        for rc in sorted(part.cells, key=lambda c: (c.top, c.x0)):
            c0, c1 = _nearest(xs, rc.x0), _nearest(xs, rc.x1)
            r0, r1 = _nearest(ys, rc.top), _nearest(ys, rc.bottom)
            if c1 <= c0 or r1 <= r0:
                continue
            page, bbox = rc.shown or (rc.page, rc.bbox)
            cell = Cell(text=rc.text, row=base + r0, col=c0, rowspan=r1 - r0, colspan=c1 - c0,
                        page=page, bbox=bbox)
            for r in range(base + r0, base + r1):
                for c in range(c0, c1):
                    if grid[r][c] is None:
                        grid[r][c] = cell
        for r in range(base, base + n):
            for c in range(n_cols):
                if grid[r][c] is None:
                    grid[r][c] = Cell(text="", row=r, col=c, page=part.page)
    _join_split_cells(grid, bounds)
    first = parts[0]
    return Table(grid=grid, page=first.page,
                 bbox=tuple(round(v, 2) for v in first.bbox))


def _join_split_cells(grid: list[list[Cell]], bounds: list[int]) -> None:
    """Re-join a row-spanning cell cut by a page break.

    At a part boundary, the cell ending the upper part and the cell starting the
    lower one in the same columns are one cell when at least one spans rows and
    their texts do not disagree (one is blank — the label printed on one side
    only — or both print the same label).
    """
    for b in bounds:
        for c in range(len(grid[b])):
            up, low = grid[b - 1][c], grid[b][c]
            if up is low or up.col != low.col or up.colspan != low.colspan or low.row != b:
                continue
            if up.row + up.rowspan != b or (up.rowspan == 1 and low.rowspan == 1):
                continue
            if up.text.strip() and low.text.strip() and "".join(up.text.split()) != "".join(low.text.split()):
                continue
            if not up.text.strip():
                up.text, up.page, up.bbox = low.text, low.page, low.bbox
            up.rowspan += low.rowspan
            for r in range(low.row, low.row + low.rowspan):
                for cc in range(low.col, low.col + low.colspan):
                    if grid[r][cc] is low:
                        grid[r][cc] = up
