"""Hostile *structure* (issue 24): DOCX, HTML, MHTML and text inputs that are valid
files built to extremes. Each builder returns the bytes of one input, small enough to
build in a test (the worst, at the default sizes, a few MB); ``tests/fuzz/fuzz_structure.py``
calls the same builders with random parameters.

Every builder is written from the file formats (WordprocessingML, HTML, RFC 2046
multipart, the pipe tables of Markdown), not from our readers, so the expected
outcome (a report or a documented error) comes from the contract, not our code.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
    'Target="numbering.xml"/></Relationships>')

TITLE = "\u67d0\u5e02\u4eba\u6c11\u653f\u5e9c2023\u5e74\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u5de5\u4f5c\u5e74\u5ea6\u62a5\u544a"


def docx(body: str, styles: str = "", numbering: str = "") -> bytes:
    """A minimal WordprocessingML package with this body, styles and numbering XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
                                        f"<w:body>{body}</w:body></w:document>")
        z.writestr("word/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">{styles}</w:styles>')
        z.writestr("word/numbering.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">{numbering}</w:numbering>')
    return buf.getvalue()


def para(text: str, ppr: str = "", rpr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t>{text}</w:t></w:r></w:p>"


def docx_number_value(val: str) -> bytes:
    """#3: integer properties (outline level, size, indent, list level) whose value
    is ``inf``, ``1e400``, ``nan`` …"""
    body = para(TITLE, f'<w:outlineLvl w:val="{val}"/><w:ind w:left="{val}"/>',
                f'<w:sz w:val="{val}"/><w:b w:val="{val}"/>')
    body += para("1", f'<w:numPr><w:ilvl w:val="{val}"/><w:numId w:val="1"/></w:numPr>')
    return docx(body, numbering=_numbering("decimal", "1"))


def docx_symbol(code: str) -> bytes:
    """#4: a ``w:sym`` whose character code is beyond U+10FFFF (or not hex at all)."""
    body = para(TITLE) + f'<w:p><w:r><w:sym w:font="Wingdings" w:char="{code}"/></w:r></w:p>'
    return docx(body)


def _numbering(fmt: str, start: str, ilvl: str = "0", override_ilvl: str = "0", override: str = "") -> str:
    ov = f'<w:lvlOverride w:ilvl="{override_ilvl}"><w:startOverride w:val="{override}"/></w:lvlOverride>' if override else ""
    return (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
            f'<w:num w:numId="1"><w:abstractNumId w:val="0"/>{ov}</w:num>')


def docx_list_level(ilvl: str) -> bytes:
    """#5: a list level (``w:lvl``) and a level override whose ``w:ilvl`` is not a number."""
    body = para(TITLE) + "".join(para(f"item {i}", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
                                 for i in range(3))
    return docx(body, numbering=_numbering("decimal", "1", ilvl=ilvl, override_ilvl=ilvl, override="2"))


def docx_list_start(fmt: str, start: int, paragraphs: int = 20) -> bytes:
    """#16: a list starting at a huge number in a format whose label grows with it
    (``lowerLetter`` repeats the letter n/26 times, ``upperRoman`` writes n/1000 Ms)."""
    body = para(TITLE) + "".join(para(f"item {i}", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
                                 for i in range(paragraphs))
    return docx(body, numbering=_numbering(fmt, str(start)))


def docx_style_chain(depth: int, runs: int) -> bytes:
    """#12: styles each based on the previous one, ``depth`` deep, and ``runs``
    paragraphs in the deepest style with a character style of the same depth."""
    styles = []
    for kind, prefix in (("paragraph", "P"), ("character", "C")):
        for i in range(depth):
            based = f'<w:basedOn w:val="{prefix}{i - 1}"/>' if i else ""
            styles.append(f'<w:style w:type="{kind}" w:styleId="{prefix}{i}"><w:name w:val="{prefix}{i}"/>{based}</w:style>')
    body = para(TITLE) + "".join(
        f'<w:p><w:pPr><w:pStyle w:val="P{depth - 1}"/></w:pPr><w:r><w:rPr><w:rStyle w:val="C{depth - 1}"/></w:rPr>'
        f"<w:t>run {i}</w:t></w:r></w:p>" for i in range(runs))
    return docx(body, styles="".join(styles))


def docx_heading_paragraphs(n: int) -> bytes:
    """#18 in Word: ``n`` paragraphs that look like numbered headings (``一、…``)."""
    heads = "一二三四五六"
    return docx(para(TITLE) + "".join(para(f"{heads[i % 6]}、总体情况{i}") for i in range(n)))


# -- HTML ---------------------------------------------------------------------------
def html_page(body: str, head: str = "") -> str:
    """The corpus web report with ``body`` added before ``</body>`` (and ``head`` in
    place of its charset declaration, when given)."""
    page = (CORPUS / "html" / "g01_html_gov.html").read_text("utf-8")
    if head:
        page = page.replace('<meta charset="utf-8">', head, 1)
    return page.replace("</body>", body + "</body>", 1)


def bare_page(body: str) -> str:
    """A page with nothing but ``body`` (no article container to pick: all of it is read)."""
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>{body}</body></html>'


def html_charset(label: str) -> bytes:
    """#6: a GBK page whose ``<meta charset>`` names no text encoding (``undefined``)
    or a Python codec that is not one (``palmos``, ``unicode_escape``, ``rot13``)."""
    page = html_page("", head=f"<meta charset='{label}'>")
    assert label in page
    return page.encode("gbk")


def mhtml_nested(depth: int) -> bytes:
    """#7: an MHTML archive whose html part sits under ``depth`` nested multiparts."""
    head = "MIME-Version: 1.0\r\n"
    opening, closing = [], []
    for i in range(depth):
        opening.append(f'Content-Type: multipart/related; boundary="b{i}"\r\n\r\n--b{i}\r\n')
        closing.append(f"\r\n--b{i}--\r\n")
    html = 'Content-Type: text/html; charset="utf-8"\r\n\r\n' + html_page("<p>x</p>") + "\r\n"
    return (head + "".join(opening) + html + "".join(reversed(closing))).encode("utf-8")


def html_heading_paragraphs(n: int) -> bytes:
    """#18 on the web: ``n`` paragraphs that look like numbered headings (``一、…``)."""
    heads = "一二三四五六"
    return bare_page("".join(f"<p>{heads[i % 6]}、总体情况{i}</p>" for i in range(n))).encode("utf-8")


def html_tiny_tables(n: int) -> bytes:
    """#13: ``n`` one-cell tables."""
    return bare_page("".join(f"<table><tr><td>{i}</td></tr></table>" for i in range(n))).encode("utf-8")


def html_spans(rows: int, span: int) -> bytes:
    """#17: ``rows`` rows of two cells, the first with rowspan = colspan = ``span``."""
    trs = "".join(f'<tr><td rowspan="{span}" colspan="{span}">{i}</td><td>{i}</td></tr>' for i in range(rows))
    return bare_page(f"<table>{trs}</table>").encode("utf-8")


# -- text -------------------------------------------------------------------------------
def corpus_text(name: str = "g01_txt_cells.txt") -> str:
    return (CORPUS / "txt" / name).read_text("utf-8")


def giant_number_text(digits: int, decimal: bool = False) -> bytes:
    """#8, #10: the corpus text report with one value cell and the fee sentence's
    amount replaced by a number of ``digits`` digits (``decimal``: with a fraction)."""
    text = corpus_text("g01_txt_fees.txt")
    number = "9" * digits + (".5" if decimal else "")
    lines = text.split("\n")
    # the value cell under the first "行政处罚" label (a line "74 |")
    i = lines.index("74 |")
    lines[i] = number + " |"
    text = "\n".join(lines)
    fee = "\u6536\u8d39\u603b\u91d1\u989d0.00\u5143"
    assert fee in text
    return text.replace(fee, fee.replace("0.00", number), 1).encode("utf-8")


def pipe_table_text(rows: int) -> bytes:
    """#18: a Markdown pipe table of ``rows`` rows."""
    lines = ["", "| a | b | c |", "|---|---|---|"]
    lines += [f"| row {i} | {i} | {i * 2} |" for i in range(rows)]
    return (corpus_text() + "\n".join(lines)).encode("utf-8")


def heading_lines_text(lines: int, report: bool = True) -> bytes:
    """#18: ``lines`` lines that look like numbered headings (``一、…``), after the
    corpus text report (``report``) or alone."""
    heads = "\u4e00\u4e8c\u4e09\u56db\u4e94\u516d"
    out = [f"{heads[i % 6]}\u3001\u603b\u4f53\u60c5\u51b5{i}" for i in range(lines)]
    return ((corpus_text() if report else "") + "\n".join(out)).encode("utf-8")
