"""Word renderings of the corpus specs, with python-docx, in two layouts seen in real reports.

``docx_official`` — the official template as agencies fill it in Word: title centred in
方正小标宋简体, headings as plain paragraphs with bold 黑体/楷体 runs (no Heading styles),
body in 仿宋_GB2312, tables with REAL vertical and horizontal merges (``cell.merge``).

``docx_flat`` — a document whose tables never merge: every span split into 1×1 cells
(``TableSpec.flattened``: labels repeated, or blank for ``flat_blank`` specs), Word
Heading 1/2 styles for section and subsection headings, full-width digits in value
cells, and the big requests table in a landscape section of its own.

Both vary per document: some split numbers over several runs ("1","2","3"), some put a
two-line label in one paragraph with a soft line break, others in two paragraphs.
Expected values come from the spec (``write_expected``); the renderer only prints.

``render_docx(spec, path, style)`` is public: the PDF renderer converts these files.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from .content import write_expected
from .model import Subsection, TableSpec

STYLES = ("docx_official", "docx_flat")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)

FONTS = {
    "docx_official": {"title": "方正小标宋简体", "h1": "黑体", "h2": "楷体_GB2312", "body": "仿宋_GB2312",
                      "cell": "仿宋_GB2312"},
    "docx_flat": {"title": "宋体", "h1": "黑体", "h2": "黑体", "body": "宋体", "cell": "宋体"},
}


def style_for(spec) -> str:
    """Merged-table specs in the official layout, flat-table specs in the flat one."""
    return "docx_flat" if spec.style.get("table_style", "merged").startswith("flat") else "docx_official"


def _habits(spec) -> dict:
    """Per-document variations, deterministic from the spec's number."""
    i = int(spec.doc_id[1:])
    return {
        "split_digits": i % 3 == 1,         # "123" written as runs "1","2","3"
        "soft_breaks": i % 2 == 0,          # "商业\n企业": one paragraph with <w:br/> (else two)
        "bold_title": i % 4 == 0,
        "fullwidth_cells": i % 2 == 1,      # flat style: all value digits full-width (else some)
    }


# ---------------------------------------------------------------- low-level helpers

def _font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _add_text(par, text: str, font: str, size: float, bold: bool = False,
              split_digits: bool = False, soft_breaks: bool = True) -> None:
    """Write text into a paragraph; "\\n" becomes a soft line break; digits may be split."""
    for k, line in enumerate(text.split("\n")):
        if k:
            par.runs[-1].add_break() if par.runs else par.add_run().add_break()
        pieces = re.findall(r"\d|\D+", line) if split_digits else [line]
        for piece in pieces:
            if piece:
                _font(par.add_run(piece), font, size, bold)


def _paragraph(doc, text: str, font: str, size: float, bold: bool = False, align=None,
               indent: bool = True, style: str | None = None, split_digits: bool = False):
    par = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    if align is not None:
        par.alignment = align
    if indent and align is None:
        par.paragraph_format.first_line_indent = Pt(size * 2)
    _add_text(par, text, font, size, bold, split_digits)
    return par


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trpr.append(el)


# ---------------------------------------------------------------- tables

def _column_weights(table: TableSpec) -> list:
    """Relative column widths from the longest unspanned text in each column."""
    grid = table.expanded()
    ncols = len(grid[0])
    weights = [2.0] * ncols
    for row in grid:
        for c, (cell, origin) in enumerate(row):
            if origin and cell.colspan == 1:
                longest = max((len(s) for s in cell.text.split("\n")), default=0)
                weights[c] = max(weights[c], min(longest, 14) * 0.6)
    return weights


def _render_table(doc, table: TableSpec, style: str, habits: dict, width_cm: float) -> None:
    fonts = FONTS[style]
    flat = style == "docx_flat"
    if flat:
        table = table.flattened(repeat_labels=habits.get("repeat_labels", True))
    grid = table.expanded()
    nrows, ncols = len(grid), len(grid[0])
    t = doc.add_table(rows=nrows, cols=ncols)
    t.style = "Table Grid"
    weights = _column_weights(table)
    total = sum(weights)
    widths = [Cm(width_cm * w / total) for w in weights]
    # fill every cell through its own w:tc first (python-docx's table.cell() rescans the
    # whole table on each call), then merge: empty merged-away cells add no content
    trs = t._tbl.tr_lst
    for gc, w in zip(t._tbl.tblGrid.gridCol_lst, widths):
        gc.w = w
    for r in range(min(table.header_rows, nrows)):
        _repeat_header(t.rows[r])
    size = 9 if ncols > 10 else 10.5
    spans = []
    for r, row in enumerate(grid):
        tcs = trs[r].tc_lst
        for c, (spec_cell, origin) in enumerate(row):
            cell = _Cell(tcs[c], t)
            cell.width = widths[c]
            if not origin:
                continue
            if spec_cell.rowspan > 1 or spec_cell.colspan > 1:
                spans.append((r, c, r + spec_cell.rowspan - 1, c + spec_cell.colspan - 1))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            text = spec_cell.text
            if flat and spec_cell.key is not None:
                if habits["fullwidth_cells"] or (r + c) % 3 == 0:
                    text = text.translate(FULLWIDTH)
            lines = text.split("\n")
            par = cell.paragraphs[0]
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if len(lines) > 1 and not habits["soft_breaks"]:
                # a two-line label as two paragraphs of one cell
                _add_text(par, lines[0], fonts["cell"], size, spec_cell.header)
                for line in lines[1:]:
                    extra = cell.add_paragraph()
                    extra.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _add_text(extra, line, fonts["cell"], size, spec_cell.header)
            else:
                _add_text(par, text, fonts["cell"], size, spec_cell.header and not flat,
                          split_digits=habits["split_digits"] and spec_cell.key is not None)
    for r0, c0, r1, c1 in spans:
        t.cell(r0, c0).merge(t.cell(r1, c1))


# ---------------------------------------------------------------- document

def _page(section, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    section.left_margin = section.right_margin = Cm(2.6 if not landscape else 2.0)
    section.top_margin, section.bottom_margin = Cm(3.7 if not landscape else 2.5), Cm(3.5 if not landscape else 2.0)


def _text_width(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def render_docx(spec, path, style: str | None = None) -> Path:
    """Write one spec as a .docx in ``style`` (docx_official | docx_flat)."""
    style = style or style_for(spec)
    if style not in STYLES:
        raise ValueError(f"unknown DOCX style {style!r}")
    fonts = FONTS[style]
    habits = _habits(spec)
    habits["repeat_labels"] = spec.style.get("table_style") != "flat_blank"
    official = style == "docx_official"
    body_size = 16 if official else 12

    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = _FIXED_TIME
    doc.core_properties.title = "".join(spec.title_lines)
    normal = doc.styles["Normal"]
    normal.font.name = fonts["body"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), fonts["body"])
    normal.font.size = Pt(body_size)
    if not official:
        for name in ("Heading 1", "Heading 2"):
            st = doc.styles[name]
            st.font.name = fonts["h1"]
            st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), fonts["h1"])
    _page(doc.sections[0])

    for line in spec.title_lines:
        _paragraph(doc, line, fonts["title"], 22 if official else 18, bold=habits["bold_title"] or not official,
                   align=WD_ALIGN_PARAGRAPH.CENTER)
    for text in spec.preamble:
        _paragraph(doc, text, fonts["body"], body_size)

    def heading(text, level):
        if official:
            _paragraph(doc, text, fonts["h1" if level == 1 else "h2"], body_size, bold=True)
        else:
            par = doc.add_paragraph(style=f"Heading {level}")
            _add_text(par, text, fonts["h1"], 16 if level == 1 else 14, bold=True)

    def inline_heading(head, sep, text, level):
        """A heading run into its paragraph: the heading in bold, the rest plain."""
        par = doc.add_paragraph()
        par.paragraph_format.first_line_indent = Pt(body_size * 2)
        _add_text(par, head + sep, fonts["h1" if level == 1 else "h2"], body_size, bold=True)
        _add_text(par, text, fonts["body"], body_size)

    for section in spec.sections:
        body = list(section.body)
        if section.inline and body and isinstance(body[0], str):
            inline_heading(section.heading, section.inline_sep, body.pop(0), 1)
        else:
            heading(section.heading, 1)
        for block in body:
            if isinstance(block, TableSpec):
                landscape = not official and block.name == "requests"
                if landscape:
                    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
                _render_table(doc, block, style, habits, _text_width(doc.sections[-1]))
                if landscape:
                    _page(doc.add_section(WD_SECTION.NEW_PAGE))
            elif isinstance(block, Subsection):
                paras = list(block.paragraphs)
                if block.inline and paras:
                    inline_heading(block.heading, block.inline_sep, paras.pop(0), 2)
                else:
                    heading(block.heading, 2)
                for text in paras:
                    _paragraph(doc, text, fonts["body"], body_size)
            else:
                closing = (spec.agency and block == spec.agency) or _DATE.match(block)
                _paragraph(doc, block, fonts["body"], body_size,
                           align=WD_ALIGN_PARAGRAPH.RIGHT if closing else None)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))
    return path


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps: rebuilding gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0)), src.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def render(spec, out_dir: Path) -> Path:
    style = style_for(spec)
    path = Path(out_dir) / f"{spec.doc_id}_{style}.docx"
    render_docx(spec, path, style)
    write_expected(spec, path, "docx", style)
    return path


#: specs also saved as legacy Word 97-2003 .doc (one per style), when LibreOffice is installed
LEGACY_DOC_SPECS = ("g02", "g03")


def render_legacy_doc(docx_path: Path, spec, style: str) -> Path | None:
    """Convert a rendered .docx to .doc with LibreOffice; None if soffice is absent."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    target = docx_path.with_name(docx_path.stem + "_legacy.doc")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "doc", "--outdir", tmp, str(docx_path)],
                       check=True, timeout=300, capture_output=True)
        shutil.copy(Path(tmp) / (docx_path.stem + ".doc"), target)
    write_expected(spec, target, "docx", style + "_doc")
    return target


def render_all(specs, out_dir: Path) -> list:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in specs:
        path = render(spec, out_dir)
        paths.append(path)
        if spec.doc_id in LEGACY_DOC_SPECS:
            legacy = render_legacy_doc(path, spec, style_for(spec))
            if legacy is not None:
                paths.append(legacy)
            else:
                print(f"soffice not found: {spec.doc_id} .doc not made")
    from .render_aligner import render_all_docx  # the one-aligner documents (issue 11)

    paths += render_all_docx(specs, out_dir)
    return paths
