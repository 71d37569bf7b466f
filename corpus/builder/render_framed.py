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
          "g13": "heading"}
PAD = 5.0  # frame to text, points


class FramedFlow(Flow):
    """A Flow that records where each text line went, so frames can be drawn."""

    def framed_lines(self, text: str, size: float = 0.0, indent: float = 2.0,
                     bold: bool = False) -> list:
        """Draw a left-aligned paragraph; return its lines as (page_index, top, bottom)."""
        size = size or self.ps.body_size
        lead = size * 1.55
        first = indent * size
        out = []
        for i, line in enumerate(wrap(text, self.width, size, first)):
            self.ensure(lead)
            x = self.ps.margin_x + (first if i == 0 else 0.0)
            self.draw_text(x, self.y, line, size, bold)
            out.append((len(self.pages) - 1, self.y - 3.0, self.y + lead - 3.0))
            self.y += lead
        return out

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
    flow = FramedFlow(PageStyle(header=header, footer="dash"))
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
                flow.table(t.rows, widths, header_rows=t.header_rows, style=style)
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
                pending.extend(lines)
                if frames == "paras":
                    close()
        close()
    return save(flow, path)


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
