"""Cleaned HTML → the common blocks: paragraphs with formatting hints, and
statistical tables expanded into rectangular grids.

The walk is iterative (``etree.iterwalk``), so deeply nested markup — Word's
unclosed ``<font>`` tags, thousands of nested ``<div>`` — cannot exhaust the stack.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any, Optional

from lxml import etree

from ..document import Cell, Paragraph, Table
from ..errors import warning
from ..textnorm import WIDE
from .html_tree import BLOCK_TAGS, SETTINGS, HtmlSettings, may_contain, own_cells, own_rows, tag_of, text_content
from ..limits import DEFAULT_LIMITS as LIMITS

if TYPE_CHECKING:
    from ..document import Block

#: HTML's own whitespace (not NBSP, not the ideographic space) collapses to one space
_HTML_WS = re.compile(r"[ \t\n\r\f]+")
#: a source line break between two East Asian wide characters is removed, not made a
#: space (CSS Text 3 segment-break rule): Word wraps its HTML source inside sentences
_WIDE = WIDE
_WIDE_BREAK = re.compile(f"(?<=[{_WIDE}])[ \\t]*[\\r\\n]+[ \\t]*(?=[{_WIDE}])")
#: a real line break (<br>, block boundary) while collecting cell text
_BREAK = "\x00"


def collapse(text: str) -> str:
    """Displayed text of an HTML text run: segment breaks between wide characters
    dropped, other whitespace runs one space, NBSP a space."""
    if "\n" in text or "\r" in text:  # a segment break needs a line end
        text = _WIDE_BREAK.sub("", text)
    return _HTML_WS.sub(" ", text).replace("\u00a0", " ")
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(pt|px|em|rem)?", re.I)
_WEIGHT = re.compile(r"font-weight\s*:\s*(bold|bolder|normal|lighter|\d+)", re.I)
_ALIGN = re.compile(r"text-align\s*:\s*(center|left|right|justify)", re.I)
_FONT_TAG_PT = {1: 7.5, 2: 10.0, 3: 12.0, 4: 13.5, 5: 18.0, 6: 24.0, 7: 36.0}
#: CSS: 96 px and 72 pt to the inch
_PT_PER_PX = 0.75

#: HTML allows colspan ≤ 1000; a span never reaches past the table's real extent
MAX_COLSPAN = LIMITS.max_span


_LEADING_INT = re.compile(r"\s*(\d+)")
#: a span or size attribute of more digits than this is 10 ** _SPAN_DIGITS (larger than any
#: span; clamped later)
_SPAN_DIGITS = 9


def _span(value: Optional[str], default: int = 1) -> int:
    """A span or size attribute's leading digits (more than 9 are 10**9: as large as
    any span, clamped later; ``int()`` of 5,000 digits would be refused)."""
    if not value:
        return default
    m = _LEADING_INT.match(value)
    if not m:
        return default
    digits = m.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= _SPAN_DIGITS else 10**_SPAN_DIGITS


#: tags that change the formatting by themselves (besides h1, h2 … and style/align attributes)
_FORMAT_TAGS = frozenset(("b", "strong", "th", "font", "center", "pre", "textarea", "listing", "xmp"))


class _Fmt:
    """Formatting in force at a point of the walk (inherited down the tree)."""

    __slots__ = ("bold", "size", "align", "level", "pre")

    def __init__(self, bold=False, size=None, align=None, level=None, pre=False):
        self.bold, self.size, self.align, self.level, self.pre = bold, size, align, level, pre

    def child(self, el, tag: str, st: HtmlSettings = SETTINGS) -> "_Fmt":
        style = el.get("style") or ""
        if not style and tag not in _FORMAT_TAGS and not (tag[:1] == "h" and tag[1:].isdigit()) \
                and (tag not in BLOCK_TAGS or not el.get("align")):
            return self  # nothing here changes the formatting (most elements)
        bold, size, align, level = self.bold, self.size, self.align, self.level
        if tag in ("b", "strong", "th") or (tag[:1] == "h" and tag[1:].isdigit()):
            bold = True
        if style:  # the style regexes only where their property is named (Word styles are long)
            low = style.lower()
            weight = may_contain(style, low, ("font-weight",))
            font_size = may_contain(style, low, ("font-size",))
            text_align = may_contain(style, low, ("text-align",))
        else:
            weight = font_size = text_align = False
        m = _WEIGHT.search(style) if weight else None
        if m:
            w = m.group(1).lower()
            bold = w in ("bold", "bolder") or (w.isdigit() and int(w) >= st.bold_weight)
        m = _FONT_SIZE.search(style) if font_size else None
        if m:
            num, unit = float(m.group(1)), (m.group(2) or "px").lower()
            if unit == "pt":
                size = num
            elif unit == "px":
                size = round(num * _PT_PER_PX, 2)
            elif size:
                size = round(size * num, 2)
        elif tag == "font" and el.get("size"):
            n = _span(el.get("size"), 3)
            size = _FONT_TAG_PT.get(max(1, min(7, n)), size)
        if tag in BLOCK_TAGS or tag == "center":
            a = (el.get("align") or "").lower()
            m = _ALIGN.search(style) if text_align else None
            if m:
                a = m.group(1).lower()
            if tag == "center":
                a = "center"
            if a:
                align = a
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            level = int(tag[1]) - 1
        return _Fmt(bold, size, align, level, self.pre or tag in ("pre", "textarea", "listing", "xmp"))


class BlockWriter:
    """Collects the blocks of one walk: runs of text become paragraphs at block
    boundaries and ``<br>``; statistical tables become :class:`Table` blocks."""

    def __init__(self, is_data_table, st: HtmlSettings = SETTINGS):
        self.st = st
        self.blocks: list[Block] = []
        self.warnings: list[dict[str, Any]] = []
        self._runs: list[tuple[str, _Fmt]] = []  # (text, fmt)
        self._block_fmt: Optional[_Fmt] = None
        self._is_data_table = is_data_table

    # -- paragraphs ---------------------------------------------------------
    def _text(self, text: Optional[str], fmt: _Fmt) -> None:
        if text and fmt.pre and "\n" in text:  # preformatted: a newline is a line break
            first, *rest = text.replace("\r\n", "\n").split("\n")
            self._text(first, _Fmt(fmt.bold, fmt.size, fmt.align, fmt.level))
            for line in rest:
                self.flush()
                self._text(line, _Fmt(fmt.bold, fmt.size, fmt.align, fmt.level))
            return
        if text:
            if not self._runs:
                self._block_fmt = fmt
            self._runs.append((text, fmt))

    def flush(self) -> None:
        runs, self._runs = self._runs, []
        if not runs:
            return
        text = collapse("".join(t for t, _ in runs)).strip()
        if not text:
            return
        hints: dict[str, Any] = {}
        visible = [(len(t.strip()), f) for t, f in runs if t.strip()]
        if visible and all(f.bold for _, f in visible):
            hints["bold"] = True
        sizes = Counter()
        for n, f in visible:
            if f.size:
                sizes[f.size] += n
        if sizes:
            hints["font_size"] = sizes.most_common(1)[0][0]
        fmt = self._block_fmt
        if fmt.align and fmt.align != "justify":
            hints["align"] = fmt.align
        if fmt.level is not None:
            hints["outline_level"] = fmt.level
            hints["style"] = f"Heading {fmt.level + 1}"
        self.blocks.append(Paragraph(text=text, hints=hints))

    # -- the walk -------------------------------------------------------------
    def walk(self, top, base: Optional[_Fmt] = None) -> None:
        stack = [base or _Fmt()]
        walker = etree.iterwalk(top, events=("start", "end"))
        for event, el in walker:
            tag = tag_of(el)
            if event == "start":
                fmt = stack[-1].child(el, tag, self.st) if tag else stack[-1]
                stack.append(fmt)
                if tag in BLOCK_TAGS or tag == "br":
                    self.flush()
                if tag == "table" and self._is_data_table(el):
                    self.blocks.extend(table_blocks(el, self.warnings, self.st))
                    walker.skip_subtree()
                    continue
                if tag:
                    self._text(el.text, fmt)
            else:
                stack.pop()
                if tag in BLOCK_TAGS:
                    self.flush()
                if el is not top:
                    self._text(el.tail, stack[-1])
        self.flush()


# -- tables -------------------------------------------------------------------

#: elements that break a cell's text into lines (or, a table, leave it)
_CELL_BREAKS = BLOCK_TAGS | {"br"}


def cell_text(cell, nested: list[etree._Element]) -> str:
    """A cell's text with line breaks from ``<br>`` and block elements; tables
    nested in the cell are collected into ``nested`` instead."""
    if not len(cell):  # text only (most cells): no walk
        return collapse(cell.text).strip() if cell.text else ""
    # (filtered here: lxml's several-tag filter costs more to set up than a small cell's walk)
    breaks = [el for el in cell.iterdescendants() if el.tag in _CELL_BREAKS]
    if not breaks or len(breaks) == 1 and breaks[0].tag not in ("br", "table"):
        # no line break inside, or one block (Word's <td><p>…</p></td>) with nothing
        # but whitespace around it: one line, the text of the whole cell
        text = text_content(cell).strip()
        if not breaks or len(text) == len(text_content(breaks[0]).strip()):
            return collapse(text).strip()
    parts: list[str] = []
    walker = etree.iterwalk(cell, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if el is not cell and tag == "table":
                nested.append(el)
                walker.skip_subtree()
                parts.append(_BREAK)
                continue
            if tag == "br" or (tag in BLOCK_TAGS and el is not cell):
                parts.append(_BREAK)
            if el.text:
                parts.append(el.text)
        else:
            if tag in BLOCK_TAGS and el is not cell:
                parts.append(_BREAK)
            if el is not cell and el.tail:
                parts.append(el.tail)
    lines = (collapse(line).strip() for line in "".join(parts).split(_BREAK))
    return "\n".join(line for line in lines if line)


def table_blocks(table_el, warnings: list[dict[str, Any]], st: HtmlSettings = SETTINGS) -> list[Block]:
    """The table as a :class:`Table`, followed by any tables nested in its cells
    (each its own block, in document order)."""
    nested: list[etree._Element] = []
    rows = []
    cells = 0
    for tr in own_rows(table_el):
        row = [(cell_text(td, nested), _span(td.get("rowspan")), _span(td.get("colspan")))
               for td in own_cells(tr)]
        cells += len(row)
        if cells > LIMITS.max_table_cells:
            warnings.append(warning("truncated", detail=f"a table of more than {LIMITS.max_table_cells} "
                                                        f"cells: only the first {len(rows)} rows read"))
            break
        rows.append(row)
    blocks = []
    caption = table_el.find("caption")
    if caption is not None:
        text = cell_text(caption, nested).replace("\n", " ")
        if text:
            blocks.append(Paragraph(text=text, hints={"style": "caption"}))
    table = build_table(rows, warnings, st)
    if table is not None:
        blocks.append(table)
    for inner in nested:
        warnings.append(warning("nested_table", detail="a table inside a table cell is read as a table of its own"))
        blocks.extend(table_blocks(inner, warnings, st))
    return blocks


def build_table(rows: list[list[tuple[str, int, int]]],
                warnings: Optional[list[dict[str, Any]]] = None, st: HtmlSettings = SETTINGS) -> Optional[Table]:
    """Rows of ``(text, rowspan, colspan)`` → a rectangular grid, HTML style:
    occupied slots are skipped; ``rowspan=0`` or a span past the last row stops
    at the last row; columns beyond the last column any cell starts in are cut
    (a title cell with ``colspan=20`` over a 9-column table); rows with no text
    and no span (Word's ``<tr height=0>`` spacer) are dropped. A grid that would
    hold more than ``Limits.max_table_cells`` positions (rows x columns, spans
    counted) ends at the row that reaches it, with a ``truncated`` warning."""
    n = len(rows)
    # a span can only be as wide as the table: when the widest row claims a grid far
    # larger than its cells need (colspan=1000 on a title), cap spans at the widest row
    max_cells = max((len(row) for row in rows), default=0)
    max_cs = MAX_COLSPAN
    # (spans as printed first: when even those fit, the capped ones do)
    if n * max((sum(cs for _, _, cs in row) for row in rows), default=0) > st.span_grid_max and \
            n * max((sum(min(cs, MAX_COLSPAN) for _, _, cs in row) for row in rows), default=0) > st.span_grid_max:
        max_cs = max(max_cells, 1)
    # the item [text, r, c, rs, cs] at each occupied position: one dict per row
    occ: list[dict[int, list[Any]]] = [{} for _ in range(n)]
    taken = 0  # occupied positions
    placed = []
    limit = LIMITS.max_table_cells
    width = 0
    for r, row in enumerate(rows):
        c = 0
        here = occ[r]
        for text, rs, cs in row:
            while c in here:
                c += 1
            if rs <= 0 or rs > n - r:
                rs = n - r
            if cs > max_cs:
                cs = max_cs
            elif cs < 1:
                cs = 1
            if c + cs > width:
                width = c + cs
            if taken + rs * cs > limit or (r + 1) * width > limit:
                break
            item = [text, r, c, rs, cs]
            placed.append(item)
            if rs == 1 and cs == 1:
                here[c] = item
                taken += 1
            else:
                for dr in range(rs):
                    line = occ[r + dr]
                    for cc in range(c, c + cs):
                        if cc not in line:
                            line[cc] = item
                            taken += 1
            c += cs
        else:
            continue
        if warnings is not None:  # rows (and spans) from row r on are not read
            warnings.append(warning("truncated", detail=f"a table grid of more than {limit} positions "
                                                        f"(spans counted): only its first {r} rows read"))
        n = r
        placed = [it for it in placed if it[1] < r]
        break
    if not placed:
        return None
    width = max(item[2] for item in placed) + 1
    keep_rows = [r for r in range(n)
                 if any(cc < width and (it[1] != r or it[3] > 1 or it[0]) for cc, it in occ[r].items())]
    if not keep_rows:
        return None
    new_row = {r: i for i, r in enumerate(keep_rows)}
    cells: dict[int, Cell] = {}
    grid = []
    for r in keep_rows:
        here = occ[r]
        line = []
        for c in range(width):
            it = here.get(c)
            if it is None:
                line.append(Cell(text="", row=new_row[r], col=c))
                continue
            cell = cells.get(id(it))
            if cell is None:
                text, r0, c0, rs, cs = it
                if rs > 1:
                    rs = sum(1 for rr in range(r0, r0 + rs) if rr in new_row)
                cell = Cell(text=text, row=new_row[r0], col=c0, rowspan=rs,
                            colspan=min(cs, width - c0))
                cells[id(it)] = cell
            line.append(cell)
        grid.append(line)
    return Table(grid=grid)


def join_split_tables(blocks: list[Block]) -> list[Block]:
    """Join a table with the table right after it (no text between) when both
    have the same number of columns: pages split one statistical table into a
    header ``<table>`` and a body ``<table>``, and the layout stage maps a table
    by its labels, so it needs them together."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Table) and isinstance(prev, Table) and b.n_cols == prev.n_cols \
                and b.rectangular and prev.rectangular:
            out[-1] = _stack(prev, b)
        else:
            out.append(b)
    return out


def _stack(top: Table, bottom: Table) -> Table:
    off = top.n_rows
    grid = [list(line) for line in top.grid]
    moved: dict[int, Cell] = {}
    for line in bottom.grid:
        new = []
        for cell in line:
            m = moved.get(id(cell))
            if m is None:
                m = Cell(text=cell.text, row=cell.row + off, col=cell.col, rowspan=cell.rowspan,
                         colspan=cell.colspan, page=cell.page, bbox=cell.bbox)
                moved[id(cell)] = m
            new.append(m)
        grid.append(new)
    return Table(grid=grid, page=top.page, bbox=top.bbox)
