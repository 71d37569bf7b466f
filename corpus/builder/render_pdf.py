"""PDF renderings of the corpus specs, made two ways.

* **drawn** — laid out here and drawn with reportlab in the non-embedded CID font
  STSong-Light (what many OA systems emit): running header with a rule and a page
  number on every page, ruled tables that break across pages with or without a
  repeated header and with or without a top rule on the continuation page, and in
  a few documents a table ruled only across (no column rules) or headings in fake
  bold (the same text drawn twice, a hair apart).
* **LibreOffice** — the DOCX renderer's file converted with
  ``soffice --headless --convert-to pdf`` (isolated profile, timeout), when that
  renderer and soffice are available.

The layout engine (:class:`Flow`) is also used by tests/fixtures/make_pdf_fixtures.py.
The renderer never decides expected values: it prints the spec and calls
``write_expected``.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def text_width(text: str, size: float, font: str = FONT) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, width: float, size: float, first_indent: float = 0.0, font: str = FONT) -> list:
    """Break text into lines no wider than ``width`` — anywhere, as Chinese allows;
    explicit newlines are kept."""
    lines: list = []
    for part in text.split("\n"):
        cur, w, limit = "", 0.0, width - (first_indent if not lines else 0.0)
        for ch in part:
            cw = text_width(ch, size, font)
            if cur and w + cw > limit:
                lines.append(cur)
                cur, w, limit = "", 0.0, width
            cur += ch
            w += cw
        lines.append(cur)
    return lines


@dataclass
class TableStyle:
    """How a table is drawn."""

    repeat_header: bool = True      # header rows drawn again on a continuation page
    continuation_top_rule: bool = True  # rule above the first row on a continuation page
    rules: str = "full"             # full | horizontal (no column rules)
    #: rules drawn as stroked lines, or as thin filled rectangles (as Word/WPS exports do)
    rule_kind: str = "line"         # line | rect
    size: float = 9.0
    align: str = "center"           # value and label text alignment in cells
    padding: float = 3.0


@dataclass
class PageStyle:
    pagesize: tuple = A4
    margin_x: float = 72.0
    margin_top: float = 72.0
    margin_bottom: float = 72.0
    header: Optional[str] = None    # running header text (drawn with a rule under it)
    footer: Optional[str] = "dash"  # dash "- 3 -" | di "第 3 页" | slash "3/7" | plain "3" | None
    body_size: float = 12.0


class Flow:
    """Paragraphs and ruled tables flowed onto pages; drawn when saved (so the
    footer can say "3/7"). Coordinates are top-down, PDF points."""

    def __init__(self, page: PageStyle = PageStyle()):
        self.ps = page
        self.pages: list = []  # each a list of ops: fn(canvas, height)
        self.sizes: list = []
        self.new_page()

    # ------------------------------------------------------------ geometry
    @property
    def width(self) -> float:
        return self.sizes[-1][0] - 2 * self.ps.margin_x

    @property
    def bottom(self) -> float:
        return self.sizes[-1][1] - self.ps.margin_bottom

    def new_page(self, pagesize: Optional[tuple] = None) -> None:
        self.pages.append([])
        self.sizes.append(pagesize or self.ps.pagesize)
        self.y = self.ps.margin_top

    def op(self, fn: Callable) -> None:
        self.pages[-1].append(fn)

    def ensure(self, h: float) -> None:
        if self.y + h > self.bottom:
            self.new_page()

    # ------------------------------------------------------------ text
    def draw_text(self, x: float, top: float, text: str, size: float, bold: bool = False) -> None:
        def fn(c, H, x=x, top=top, text=text, size=size, bold=bold):
            c.setFont(FONT, size)
            base = H - top - size * 0.88
            c.drawString(x, base, text)
            if bold:  # fake bold: the same glyphs again, a hair to the right
                c.drawString(x + 0.35, base, text)
        self.op(fn)

    def paragraph(self, text: str, size: Optional[float] = None, indent: float = 2.0,
                  align: str = "left", bold: bool = False, space: float = 0.0) -> None:
        size = size or self.ps.body_size
        lead = size * 1.55
        first = indent * size if align == "left" else 0.0
        self.y += space
        for i, line in enumerate(wrap(text, self.width, size, first)):
            self.ensure(lead)
            x = self.ps.margin_x + (first if i == 0 else 0.0)
            if align == "center":
                x = self.ps.margin_x + (self.width - text_width(line, size)) / 2
            self.draw_text(x, self.y, line, size, bold)
            self.y += lead

    def space(self, h: float) -> None:
        self.y += h

    # ------------------------------------------------------------ tables
    def table(self, rows: list, widths: list, header_rows: int = 0,
              style: TableStyle = TableStyle()) -> list:
        """Draw a table given HTML-style rows of cells with ``text``, ``rowspan``,
        ``colspan`` (e.g. corpus GridCells) and column widths summing to the text width.
        Returns where rows went: ``[(page_number, [row indexes]), …]``."""
        grid, origins = _expand(rows)
        n_rows, _n_cols = len(grid), len(widths)
        xs = [self.ps.margin_x]
        for w in widths:
            xs.append(xs[-1] + w)
        lead = style.size * 1.3
        heights = [style.size + 2 * style.padding + 4] * n_rows
        wrapped = {}
        for key, (r, c, rs, cs, cell) in origins.items():
            w = xs[c + cs] - xs[c] - 2 * style.padding
            lines = wrap(cell.text, w, style.size) if cell.text else []
            wrapped[key] = lines
            need = len(lines) * lead + 2 * style.padding + 2
            if rs == 1:
                heights[r] = max(heights[r], need)
        for key, (r, _c, rs, _cs, _cell) in origins.items():
            if rs > 1:
                have = sum(heights[r:r + rs])
                if have < len(wrapped[key]) * lead + 2 * style.padding:
                    heights[r + rs - 1] += len(wrapped[key]) * lead + 2 * style.padding - have
        # place rows on pages
        parts: list = []  # list of (page_index, [(row, top)], continuation)
        placed: list = []
        cont = False
        self.y += 4
        if self.y + sum(heights[:max(2, header_rows + 1)]) > self.bottom:
            self.new_page()  # never leave the header rows (or one row) alone at a page foot
        for r in range(n_rows):
            if self.y + heights[r] > self.bottom and placed:
                parts.append((len(self.pages) - 1, placed, cont))
                self.new_page()
                placed, cont = [], True
                if style.repeat_header and header_rows and r >= header_rows:
                    for hr in range(header_rows):
                        placed.append((hr, self.y))
                        self.y += heights[hr]
            placed.append((r, self.y))
            self.y += heights[r]
        parts.append((len(self.pages) - 1, placed, cont))
        self.y += 8
        # a cell cut by a page break prints its text in the part holding most of it
        home = {}
        for key, (r, _c, rs, _cs, _cell) in origins.items():
            counts = [sum(1 for rr, _ in placed if r <= rr < r + rs) for _, placed, _ in parts]
            home[key] = {i for i, n in enumerate(counts) if n == rs} or {counts.index(max(counts))}
        for i, (page_index, placed, cont) in enumerate(parts):
            texts = {key for key in origins if i in home[key]}
            self._draw_part(page_index, placed, cont, origins, wrapped, xs, heights, style, texts)
        return [(page_index + 1, [r for r, _ in placed]) for page_index, placed, _ in parts]

    def _draw_part(self, page_index, placed, cont, origins, wrapped, xs, heights, style, texts):
        tops = {r: t for r, t in placed}
        order = [r for r, _ in placed]
        part_top = placed[0][1]
        ops = self.pages[page_index]
        for key, (r, c, rs, cs, _cell) in origins.items():
            rows_here = [rr for rr in order if r <= rr < r + rs]
            if not rows_here:
                continue
            top = tops[rows_here[0]]
            bottom = tops[rows_here[-1]] + heights[rows_here[-1]]
            x0, x1 = xs[c], xs[c + cs]
            segs = []
            if not (cont and abs(top - part_top) < 0.01 and not style.continuation_top_rule):
                segs.append((x0, top, x1, top))
            segs.append((x0, bottom, x1, bottom))
            if style.rules == "full":
                segs += [(x0, top, x0, bottom), (x1, top, x1, bottom)]
            lines = wrapped[key] if key in texts else []
            ops.append(_cell_op(segs, lines, x0, x1, top, bottom, style))


def _cell_op(segs, lines, x0, x1, top, bottom, style):
    def fn(c, H):
        c.setLineWidth(0.6)
        for a, b, cc, d in segs:
            if style.rule_kind == "rect":  # a 0.5 pt filled bar centred on the rule
                w, h = max(cc - a, 0.5), max(d - b, 0.5)
                c.rect(a - (0.25 if cc == a else 0), H - b - h + (0.25 if d == b else 0), w, h,
                       stroke=0, fill=1)
            else:
                c.line(a, H - b, cc, H - d)
        if not lines:
            return
        c.setFont(FONT, style.size)
        lead = style.size * 1.3
        y = top + (bottom - top - len(lines) * lead) / 2 + (lead - style.size) / 2
        for ln in lines:
            w = text_width(ln, style.size)
            x = x0 + style.padding if style.align == "left" else x0 + (x1 - x0 - w) / 2
            c.drawString(x, H - y - style.size * 0.88, ln)
            y += lead
    return fn


def _expand(rows: list):
    """grid[r][c] -> origin key; origins[key] = (r, c, rowspan, colspan, cell)."""
    taken: dict = {}
    origins: dict = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            key = (r, c)
            origins[key] = (r, c, cell.rowspan, cell.colspan, cell)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = key
            c += cell.colspan
    n_rows = max(r for r, _ in taken) + 1
    n_cols = max(c for _, c in taken) + 1
    grid = [[taken.get((r, c)) for c in range(n_cols)] for r in range(n_rows)]
    return grid, origins


def save(flow: Flow, path: Path, encrypt=None) -> Path:
    """Draw every page: content, running header, page number."""
    ps = flow.ps
    total = len(flow.pages)
    c = canvas.Canvas(str(path), pagesize=flow.sizes[0], encrypt=encrypt, invariant=1)
    c.setTitle("")
    for i, (ops, size) in enumerate(zip(flow.pages, flow.sizes), start=1):
        c.setPageSize(size)
        W, H = size
        if ps.header:
            c.setFont(FONT, 9)
            c.drawString(ps.margin_x, H - 46, ps.header)
            c.setLineWidth(0.5)
            c.line(ps.margin_x, H - 52, W - ps.margin_x, H - 52)
        if ps.footer:
            label = {"dash": f"- {i} -", "di": f"第 {i} 页", "slash": f"{i}/{total}",
                     "plain": str(i)}[ps.footer]
            c.setFont(FONT, 10)
            c.drawCentredString(W / 2, 40, label)
        for fn in ops:
            fn(c, H)
        c.showPage()
    c.save()
    return Path(path)


# ---------------------------------------------------------------- the corpus

def column_widths(rows: list, total: float, size: float) -> list:
    """Label columns sized to their labels, value columns equal; sums to ``total``."""
    grid, origins = _expand(rows)
    n_cols = len(grid[0])
    value_cols = {c for (r, c, rs, cs, cell) in origins.values() if getattr(cell, "key", None)}
    label_cols = [c for c in range(n_cols) if c not in value_cols]
    want = {c: 2.5 * size for c in label_cols}
    for (_r, c, rs, cs, cell) in origins.values():
        if c in want and cs == 1 and cell.text:
            cap = 4.5 if rs > 2 else 13
            longest = max(len(t) for t in cell.text.split("\n"))
            want[c] = max(want[c], min(longest, cap) * size + 8)
    n_val = max(1, len(value_cols))
    if n_cols <= 5:  # the small tables: room for a label repeated in every column
        val_w = total * (0.62 if label_cols else 1.0) / n_val
    else:
        val_w = min(46.0, max(26.0, (total * 0.5) / n_val)) if label_cols else total / n_val
    rest = total - val_w * len(value_cols)
    scale = rest / sum(want.values()) if want else 0
    return [want[c] * scale if c in want else val_w for c in range(n_cols)]


@dataclass
class DrawnStyle:
    """The drawing choices for one corpus document (its ``style`` name says them)."""

    name: str
    footer: str
    repeat_header: bool
    top_rule: bool
    horizontal_proactive: bool
    fake_bold: bool
    rect_rules: bool = False


def drawn_style(spec, i: int) -> DrawnStyle:
    """Choices for the i-th drawn document: cycles of different lengths, so all
    combinations occur over twenty documents."""
    footer = ["dash", "di", "slash", "plain"][i % 4]
    repeat = i % 3 != 1
    top_rule = i % 4 not in (1, 2)
    horizontal = i % 9 == 4
    fake_bold = i % 5 == 2
    rect_rules = i % 7 == 3
    parts = ["pdf_drawn", "rep" if repeat else "norep", "rule" if top_rule else "norule"]
    if horizontal:
        parts.append("hrules")
    if fake_bold:
        parts.append("fakebold")
    if rect_rules:
        parts.append("rectrules")
    return DrawnStyle("_".join(parts), footer, repeat, top_rule, horizontal, fake_bold, rect_rules)


def _table_rows(table, spec):
    ts = spec.style.get("table_style", "merged")
    if ts == "flat":
        return table.flattened(repeat_labels=True)
    if ts == "flat_blank":
        return table.flattened(repeat_labels=False)
    return table


def draw_spec(spec, path: Path, ds: DrawnStyle) -> Path:
    from .model import Subsection, TableSpec

    header = f"{spec.agency or ''}政府信息公开工作年度报告"
    flow = Flow(PageStyle(header=header, footer=ds.footer))
    for ln in spec.meta_lines:
        flow.paragraph(ln, size=9, indent=0)
    for n, ln in enumerate(spec.title_lines):
        flow.paragraph(ln, size=18, indent=0, align="center", space=10 if n == 0 else 0)
    flow.space(10)
    for p in spec.preamble:
        flow.paragraph(p)
    for section in spec.sections:
        for k, block in enumerate(section.printed_blocks()):
            if isinstance(block, TableSpec):
                t = _table_rows(block, spec)
                big = t.width() >= 10
                style = TableStyle(repeat_header=ds.repeat_header, continuation_top_rule=ds.top_rule,
                                   size=9 if big else 9.5, padding=4.5 if big else 3.0,
                                   rule_kind="rect" if ds.rect_rules else "line")
                if ds.horizontal_proactive and block.name == "proactive":
                    style.rules, style.align, style.padding = "horizontal", "left", 5.0
                widths = column_widths(t.rows, flow.width, style.size)
                flow.table(t.rows, widths, header_rows=t.header_rows, style=style)
            elif isinstance(block, Subsection):
                for j, p in enumerate(block.printed_paragraphs()):
                    heading = j == 0 and not block.inline
                    flow.paragraph(p, bold=heading and ds.fake_bold)
            elif k == 0 and not section.inline:
                flow.paragraph(block, size=14, indent=0, bold=ds.fake_bold, space=6)
            else:
                flow.paragraph(block)
    return save(flow, path)


# ---------------------------------------------------------------- LibreOffice

def soffice() -> Optional[str]:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(docx: Path, out_dir: Path, timeout: float = 120) -> Path:
    """DOCX → PDF with a throwaway LibreOffice profile (parallel runs do not clash)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("soffice not installed")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        cmd = [exe, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]
        subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    pdf = out_dir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice produced no PDF for {docx}")
    return pdf


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_DOC_SUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})")
_PDF_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>)")


def pin_metadata(data: bytes) -> bytes:
    """Fixed dates and a content-derived /ID, byte for byte the same length (so
    the xref stays valid): rebuilding the corpus gives the same files."""
    data = _PDF_DATE.sub(lambda m: m.group(1) + b"20240101000000", data)
    data = _XMP_DATE.sub(lambda m: m.group(1) + b"2024-01-01T00:00:00", data)
    digest = hashlib.md5(_DOC_SUM.sub(b"", _PDF_ID.sub(b"", data))).hexdigest().upper().encode()
    data = _DOC_SUM.sub(lambda m: m.group(1) + digest, data)
    return _PDF_ID.sub(lambda m: m.group(1) + digest + m.group(3) + digest + m.group(5), data)


def _render_docx_available():
    try:
        from .render_docx import render_docx, style_for as docx_style  # noqa: F401
        return render_docx, docx_style
    except ImportError:
        return None


# ---------------------------------------------------------------- entry point

def render_all(specs, out_dir: Path) -> list:
    """Half the specs via LibreOffice (i % 4 in 1, 2: both editions, as the
    editions alternate), the other half drawn (all of them when LibreOffice or the
    DOCX renderer is unavailable); every spec gets one PDF and its expected JSON."""
    from .content import write_expected

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lo = _render_docx_available() if soffice() else None
    if lo is None:
        print("pdf: LibreOffice or render_docx unavailable: every PDF drawn with reportlab")
    for old in out_dir.glob("*.pdf"):
        old.unlink()
    for old in out_dir.glob("*.expected.json"):
        old.unlink()
    paths = []
    n_drawn = 0
    for i, spec in enumerate(specs):
        if lo is not None and i % 4 in (1, 2):
            render_docx, docx_style = lo
            dstyle = docx_style(spec)
            style = f"pdf_lo_{dstyle}"
            path = out_dir / f"{spec.doc_id}_{style}.pdf"
            with tempfile.TemporaryDirectory(prefix="pdf-lo-") as tmp:
                docx = Path(tmp) / f"{path.stem}.docx"
                render_docx(spec, docx, dstyle)
                made = convert_with_libreoffice(docx, Path(tmp))
                path.write_bytes(pin_metadata(made.read_bytes()))
        else:
            ds = drawn_style(spec, n_drawn)
            n_drawn += 1
            style = ds.name
            path = out_dir / f"{spec.doc_id}_{style}.pdf"
            draw_spec(spec, path, ds)
        write_expected(spec, path, "pdf", style)
        paths.append(path)
    return paths
