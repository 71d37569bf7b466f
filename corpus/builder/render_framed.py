"""Reports whose prose sits in drawn frames, as WPS and some OA templates make them.

A frame drawn around text is a grid to a table finder: its sides and the rules
between its lines make a one-column "table" whose cells are lines of running
text. These documents test that such frames are read as paragraphs (headings
inside them found as anywhere else) while the real tables stay tables.

Three frame styles (``FRAMES``), cycled over the chosen specs:

* ``lines`` — every section's prose in one frame with a rule under every line
  (a lined text box); frames break across pages with the text.
* ``paras`` — one frame per paragraph (rules only around whole paragraphs);
  a paragraph cut by a page break has a frame part on each page.
* ``heading`` — the section heading line in a frame of its own, sharing its lower
  side with the frame of the section's text below it.

WPS-made PDFs (real sample 022, issue 20) shade prose instead of framing it:

* ``shaded`` — every line of running text (headings and sub-heads included) on a
  white, unstroked filled box; the boxes tile with no gaps, a hair wider than the
  tables, and the last one before a table ends exactly on the table's top rule.
* ``shaded_grey`` — the same with visible grey shading flush with the table's
  sides, overlapping its top rule by a point, and the first box after a table
  starting on its bottom rule.
* ``pageframe`` — one stroked frame per page around everything on it; the tables'
  outer rules are the frame's sides, so prose, headings and tables on one page
  are one grid to a table finder.

Drawn with the same :class:`render_pdf.Flow` as the drawn corpus; expected JSON
written from the spec as for every corpus document.
"""
from __future__ import annotations

from pathlib import Path

from .render_pdf import (
    FONT,
    Flow,
    PageStyle,
    TableStyle,
    _table_rows,
    column_widths,
    save,
    wrap,
)

#: doc ids rendered framed (both editions) and their frame style
FRAMED = {"g04": "lines", "g05": "paras", "g08": "heading", "g09": "lines", "g12": "paras",
          "g13": "heading", "g14": "shaded", "g15": "shaded_grey", "g16": "pageframe",
          "g17": "shaded", "g18": "pageframe", "g19": "shaded_grey"}
PAD = 5.0  # frame to text, points
#: shading styles: (fill grey level, overhang beyond the tables' sides, overlap of a table rule)
SHADES = {"shaded": (1.0, 1.4, 0.0), "shaded_grey": (0.92, 0.0, 1.0)}


class FramedFlow(Flow):
    """A Flow that records where each text line and table part went, so frames
    and shading can be drawn."""

    def __init__(self, page: PageStyle, inset: float = 0.0):
        super().__init__(page)
        self.inset = inset  # text kept this far inside the tables' sides
        #: per page index: (top, bottom) of every line and table part drawn on it
        self.extents: dict = {}

    def framed_lines(self, text: str, size: float = 0.0, indent: float = 2.0,
                     bold: bool = False) -> list:
        """Draw a left-aligned paragraph; return its lines as (page_index, top, bottom)."""
        size = size or self.ps.body_size
        lead = size * 1.55
        first = indent * size
        out = []
        for i, line in enumerate(wrap(text, self.width - 2 * self.inset, size, first)):
            self.ensure(lead)
            x = self.ps.margin_x + self.inset + (first if i == 0 else 0.0)
            self.draw_text(x, self.y, line, size, bold)
            out.append((len(self.pages) - 1, self.y - 3.0, self.y + lead - 3.0))
            self.extents.setdefault(len(self.pages) - 1, []).append(out[-1][1:])
            self.y += lead
        return out

    def _draw_part(self, page_index, placed, cont, origins, wrapped, xs, heights, style, texts):
        last = placed[-1]
        self.extents.setdefault(page_index, []).append((placed[0][1], last[1] + heights[last[0]]))
        super()._draw_part(page_index, placed, cont, origins, wrapped, xs, heights, style, texts)

    def shade(self, tiles: list, grey: float, overhang: float) -> None:
        """Unstroked filled boxes behind text, drawn before everything else on their page."""
        x0 = self.ps.margin_x - overhang
        x1 = self.ps.margin_x + self.width + overhang
        for page, top, bottom in tiles:
            def fn(c, H, top=top, bottom=bottom):
                c.setFillGray(grey)
                c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
                c.setFillGray(0)
            self.pages[page].insert(0, fn)

    def page_frames(self) -> None:
        """One stroked frame per page around its lines and tables, its sides the tables' sides."""
        x0, x1 = self.ps.margin_x, self.ps.margin_x + self.width
        for page, spans in self.extents.items():
            top, bottom = min(t for t, _ in spans), max(b for _, b in spans)

            def fn(c, H, top=top, bottom=bottom):
                c.setLineWidth(0.6)
                c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
            self.pages[page].append(fn)

    def frame(self, lines: list, every_line: bool) -> None:
        """Rules around ``lines`` (per page), and between lines if ``every_line``."""
        x0 = self.ps.margin_x - PAD
        x1 = self.ps.margin_x + self.width + PAD
        by_page: dict = {}
        for page, top, bottom in lines:
            by_page.setdefault(page, []).append((top, bottom))
        for page, spans in by_page.items():
            top, bottom = spans[0][0], spans[-1][1]
            ys = {top, bottom}
            if every_line:
                ys.update(b for _, b in spans)
            segs = [(x0, y, x1, y) for y in sorted(ys)] + [(x0, top, x0, bottom), (x1, top, x1, bottom)]

            def fn(c, H, segs=segs):
                c.setLineWidth(0.6)
                for a, b, cc, d in segs:
                    c.line(a, H - b, cc, H - d)
            self.pages[page].append(fn)


def draw_framed(spec, path: Path, frames: str) -> Path:
    from .model import Subsection, TableSpec

    header = f"{spec.agency or ''}政府信息公开工作年度报告"
    flow = FramedFlow(PageStyle(header=header, footer="dash"), inset=PAD if frames == "pageframe" else 0.0)
    tiles: list = []  # shading boxes (page_index, top, bottom), in reading order
    for ln in spec.meta_lines:
        flow.paragraph(ln, size=9, indent=0)
    for n, ln in enumerate(spec.title_lines):
        flow.paragraph(ln, size=18, indent=0, align="center", space=10 if n == 0 else 0)
    flow.space(10)
    for p in spec.preamble:
        flow.paragraph(p)
    for section in spec.sections:
        pending: list = []  # lines of the current frame

        def close(pending: list = pending) -> None:
            if pending:
                flow.frame(pending, every_line=frames == "lines")
                pending.clear()
                flow.space(6)

        for k, block in enumerate(section.printed_blocks()):
            if isinstance(block, TableSpec):
                close()
                t = _table_rows(block, spec)
                big = t.width() >= 10
                style = TableStyle(size=9 if big else 9.5, padding=4.5 if big else 3.0)
                widths = column_widths(t.rows, flow.width, style.size)
                before = (len(flow.pages) - 1, flow.y)
                placed = flow.table(t.rows, widths, header_rows=t.header_rows, style=style)
                if frames in SHADES:
                    _meet_table(tiles, before, placed, flow, SHADES[frames][2])
                continue
            if isinstance(block, Subsection):
                texts = block.printed_paragraphs()
            else:
                texts = [block]
            for p in texts:
                heading = k == 0 and not isinstance(block, Subsection) and not section.inline
                flow.space(6 if heading else 0)
                lines = flow.framed_lines(p, size=14 if heading else 0.0, indent=0 if heading else 2.0)
                if frames == "heading" and heading:
                    flow.frame(lines, every_line=False)
                    continue
                if frames in SHADES:
                    tiles.extend(lines)
                    continue
                if frames == "pageframe":
                    continue
                pending.extend(lines)
                if frames == "paras":
                    close()
        close()
    if frames in SHADES:
        grey, overhang, _ = SHADES[frames]
        flow.shade(_tile(tiles), grey, overhang)
    if frames == "pageframe":
        flow.page_frames()
    return save(flow, path)


#: gaps between shading boxes closed when narrower than this (paragraph spacing), points
TILE_GAP = 30.0


def _tile(tiles: list) -> list:
    """Boxes that tile with no gaps: each reaches down to the next on its page."""
    out = [list(t) for t in tiles]
    for a, b in zip(out, out[1:]):
        if a[0] == b[0] and 0 < b[1] - a[2] < TILE_GAP and not a[3:]:
            a[2] = b[1]
    return [tuple(t[:3]) for t in out]


def _meet_table(tiles: list, before: tuple, placed: list, flow: FramedFlow, overlap: float) -> None:
    """The last box before a table on the same page ends on its top rule (``overlap``
    points past it); with an overlap, a box also starts on the table's bottom rule
    and reaches down to the next line."""
    page, y = before
    if tiles and tiles[-1][0] == placed[0][0] - 1 == page:
        p, t, _ = tiles[-1][:3]
        tiles[-1] = (p, t, y + 4 + overlap, "table")  # Flow.table draws its top rule 4 pt down
    if overlap:
        bottom = flow.y - 8  # Flow.table leaves 8 pt under its last rule
        tiles.append((placed[-1][0] - 1, bottom - overlap, bottom + 4))


def render_all(specs, out_dir: Path) -> list:
    """The framed documents and their expected JSON."""
    from .content import write_expected

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in list(out_dir.glob("*.pdf")) + list(out_dir.glob("*.expected.json")):
        old.unlink()
    paths = []
    for spec in specs:
        frames = FRAMED.get(spec.doc_id)
        if frames is None:
            continue
        style = f"pdf_framed_{frames}"
        path = draw_framed(spec, out_dir / f"{spec.doc_id}_{style}.pdf", frames)
        write_expected(spec, path, "pdf", style)
        paths.append(path)
    return paths


__all__ = ["FONT", "draw_framed", "render_all"]
