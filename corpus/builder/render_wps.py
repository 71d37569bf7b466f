"""Reports laid out the way WPS Office prints them, for scanning (render_scan.py).

Scans of the corpus' own PDFs are not what archives hold: real reports are made
with WPS or Word from the provincial template, and their scans fare worse. This
renderer draws a spec the way ``shared/real-sample/022_hongze_district_2023.pdf``
(a WPS-made PDF) looks on paper:

* body text large (15 pt), a 2-character first-line indent, wide line spacing;
  section headings in bold, sub-heads run into their paragraph in bold;
* table 二 one table of 第二十条 blocks: each block heading a full-width row
  shaded light blue, then its column-header row in bold, then its rows; in the
  2021 edition a block of one value column (（五）（六）（八）) spans the three value
  columns, as WPS merges them;
* table 三 with its corner note, narrow applicant columns whose headers wrap
  (商业 / 企业), large digits, small labels;
* table 四 with its 15-column header in three rows, labels wrapped in two lines
  (结果 / 维持) in narrow columns, and one row of values;
* tables run on over a page break without repeating their header.

The font is embedded (WenQuanYi Zen Hei, a TrueType collection), so the page
renders the same anywhere. Only the rendering differs from the other formats: the
expected JSON is written from the spec (``write_expected``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .model import GridCell, Subsection, TableSpec
from .render_pdf import _expand, wrap

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WPSZenHei"
A4 = (595.0, 842.0)
SHADE = (0.78, 0.85, 0.93)  # the light blue of WPS's template block rows


def font_available() -> bool:
    return FONT_FILE.exists()


def _register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


@dataclass(frozen=True)
class WpsStyle:
    margin_x: float = 85.0
    margin_top: float = 80.0
    margin_bottom: float = 80.0
    body: float = 15.0
    lead: float = 1.85        # line spacing, times the size
    label: float = 10.0       # table labels
    digits: float = 13.0      # table values
    small: float = 8.5        # labels of the narrow columns (tables 三 and 四)


class Page:
    def __init__(self) -> None:
        self.ops: list[Callable] = []


class WpsFlow:
    """Paragraphs and ruled tables flowed onto A4 pages, top-down coordinates."""

    def __init__(self, st: WpsStyle = WpsStyle()):
        self.st = st
        self.pages: list[Page] = []
        self.new_page()

    @property
    def width(self) -> float:
        return A4[0] - 2 * self.st.margin_x

    @property
    def bottom(self) -> float:
        return A4[1] - self.st.margin_bottom

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.st.margin_top

    def op(self, fn: Callable) -> None:
        self.pages[-1].ops.append(fn)

    def text(self, x: float, top: float, text: str, size: float, bold: bool = False) -> None:
        def fn(c, H, x=x, top=top, text=text, size=size, bold=bold):
            c.saveState()  # the text render mode is graphics state: bold never leaks
            t = c.beginText()
            t.setFont(FONT, size)
            # WPS's bold of a font without a bold face: filled and stroked (the text
            # render mode is graphics state: set it for every run)
            t.setTextRenderMode(2 if bold else 0)
            c.setLineWidth(size * 0.035 if bold else 0.6)
            t.setTextOrigin(x, H - top - size * 0.88)
            t.textOut(text)
            c.drawText(t)
            c.restoreState()
        self.op(fn)

    def paragraph(self, text: str, size: Optional[float] = None, indent: float = 2.0, bold_head: str = "",
                  center: bool = False, bold: bool = False) -> None:
        size = size or self.st.body
        lead = size * self.st.lead
        first = 0.0 if center else indent * size
        for i, line in enumerate(wrap(text, self.width, size, first, font=FONT)):
            if self.y + lead > self.bottom:
                self.new_page()
            x = self.st.margin_x + (first if i == 0 else 0.0)
            if center:
                x = self.st.margin_x + (self.width - _width(line, size)) / 2
            head = bold_head[: len(line)] if i == 0 else ""
            if head:
                self.text(x, self.y, head, size, bold=True)
                x += _width(head, size)
                line = line[len(head):]
                bold_head = bold_head[len(head):]
            if line:
                self.text(x, self.y, line, size, bold=bold)
            self.y += lead

    # ------------------------------------------------------------------ tables
    def table(self, rows: list, widths: list[float], heights: list[float], sizes: Callable,
              shaded: Callable, left: Callable) -> None:
        """Rows of GridCells; ``sizes(cell) -> (font size, bold)``, ``shaded(r)``,
        ``left(cell)`` (label aligned left). Rows go on over a page break."""
        grid, origins = _expand(rows)
        x0 = self.st.margin_x - (sum(widths) - self.width) / 2
        xs = [x0]
        for w in widths:
            xs.append(xs[-1] + w)
        tops: dict[int, tuple[int, float]] = {}
        self.y += 4
        for r in range(len(grid)):
            if self.y + heights[r] > self.bottom:
                self.new_page()
            tops[r] = (len(self.pages) - 1, self.y)
            self.y += heights[r]
        self.y += 10
        for (r, c, rs, cs, cell) in origins.values():
            page, top = tops[r]
            last = r + rs - 1
            while last > r and tops[last][0] != page:
                last -= 1  # a merged cell cut by a page break: its part on the first page
            bottom = tops[last][1] + heights[last]
            size, bold = sizes(cell)
            lines = wrap(cell.text, xs[c + cs] - xs[c] - 4, size, font=FONT) if cell.text else []
            self.pages[page].ops.append(_cell(xs[c], xs[c + cs], top, bottom, lines, size, bold,
                                              shaded(r), left(cell)))


def _cell(x0, x1, top, bottom, lines, size, bold, shade, left):
    def fn(c, H):
        if shade:
            c.setFillColorRGB(*SHADE)
            c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
        c.setLineWidth(0.6)
        c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
        lead = size * 1.25
        y = top + (bottom - top - len(lines) * lead) / 2 + (lead - size) / 2
        for ln in lines:
            w = _width(ln, size)
            x = x0 + 3 if left else x0 + (x1 - x0 - w) / 2
            c.saveState()
            t = c.beginText()
            t.setFont(FONT, size)
            t.setTextRenderMode(2 if bold else 0)
            c.setLineWidth(size * 0.035 if bold else 0.6)
            t.setTextOrigin(x, H - y - size * 0.88)
            t.textOut(ln)
            c.drawText(t)
            c.restoreState()
            y += lead
    return fn


def _fits(text: str, width: float, size: float) -> int:
    return max(1, len(wrap(text, width - 4, size, font=FONT))) if text else 1


def _proactive(flow: WpsFlow, t: TableSpec) -> None:
    st = flow.st
    n = t.width()
    widths = [flow.width * 0.42] + [flow.width * 0.58 / (n - 1)] * (n - 1)
    block = [len(row) == 1 and row[0].colspan == n for row in t.rows]
    header = [r > 0 and block[r - 1] for r in range(len(t.rows))]
    heights = []
    for r, row in enumerate(t.rows):
        lines = max(_fits(c.text, widths[0] if i == 0 else widths[1] * c.colspan, st.label)
                    for i, c in enumerate(row))
        heights.append(max(34.0 if block[r] or header[r] else 28.0, lines * st.label * 1.25 + 10))
    flow.table(t.rows, widths, heights,
               sizes=lambda cell: (st.label, cell.key is None and not cell.text.startswith("第")
                                   and cell.colspan < n and _is_header(cell, t)),
               shaded=lambda r: block[r], left=lambda cell: cell.key is None and not _is_header(cell, t)
               and cell.colspan < n)


def _is_header(cell: GridCell, t: TableSpec) -> bool:
    """A column-header cell of a 第二十条 block (the row after the block heading)."""
    for r, row in enumerate(t.rows):
        if any(c is cell for c in row):
            return r > 0 and len(t.rows[r - 1]) == 1
    return False


def _requests(flow: WpsFlow, t: TableSpec) -> None:
    st = flow.st
    n = t.width()
    value_w = 27.0
    labels = n - 7
    rest = flow.width + 20 - 7 * value_w
    widths = ([rest * 0.1, rest * 0.3, rest * 0.6] if labels == 3 else [rest * 0.2, rest * 0.8])[:labels]
    widths += [value_w] * 7
    grid, origins = _expand(t.rows)
    heights = [34.0 if r else 26.0 for r in range(t.header_rows)] + [21.0] * (len(t.rows) - t.header_rows)
    for (r, c, rs, cs, cell) in origins.values():
        if r >= t.header_rows and rs == 1 and cell.key is None:
            lines = _fits(cell.text, sum(widths[c:c + cs]), st.small)
            heights[r] = max(heights[r], lines * st.small * 1.25 + 6)
    heights[t.header_rows - 1] = max(heights[t.header_rows - 1], 4 * st.small * 1.25 + 6)

    def sizes(cell):
        if cell.key is not None:
            return st.digits, False
        top_level = cell.text[:1] in "一二三四" and cell.colspan >= 2
        return st.small, top_level

    flow.table(t.rows, widths, heights, sizes=sizes, shaded=lambda r: False,
               left=lambda cell: cell.key is None and cell.rowspan == 1 and cell.colspan < 7
               and len(cell.text) > 4)


def _review(flow: WpsFlow, t: TableSpec) -> None:
    st = flow.st
    n = t.width()
    widths = [(flow.width + 20) / n] * n
    heights = [24.0, 22.0, 38.0] + [30.0] * (len(t.rows) - 3)
    flow.table(t.rows, widths, heights,
               sizes=lambda cell: (st.digits if cell.key else st.small, False),
               shaded=lambda r: False, left=lambda cell: False)


def draw_spec(spec, path: Path) -> Path:
    _register()
    flow = WpsFlow()
    st = flow.st
    for ln in spec.title_lines:
        flow.paragraph(ln, size=20, indent=0, center=True, bold=True)
    flow.y += 10
    for p in spec.preamble:
        flow.paragraph(p)
    for section in spec.sections:
        for k, block in enumerate(section.printed_blocks()):
            if isinstance(block, TableSpec):
                {"proactive": _proactive, "requests": _requests}.get(block.name, _review)(flow, block)
            elif isinstance(block, Subsection):
                for j, p in enumerate(block.printed_paragraphs()):
                    head = block.heading + (block.inline_sep if block.inline else "") if j == 0 else ""
                    flow.paragraph(p, bold_head=head)
            elif k == 0 and not section.inline:
                flow.paragraph(block, size=16, indent=1.0, bold=True)
            else:
                flow.paragraph(block)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("")
    for i, page in enumerate(flow.pages, start=1):
        c.setFont(FONT, 12)
        c.drawString(st.margin_x + (i % 2 == 0) * (flow.width - 30), 50, f"- {i} -")
        for fn in page.ops:
            fn(c, A4[1])
        c.showPage()
    c.save()
    return path
