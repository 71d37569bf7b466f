"""OCR numbers that break a rule are re-read (layout/reread.py, readers/ocr.py
``Rereader``), and OCR page images are bounded in pixels (``Limits.max_ocr_pixels``).

Fast: the seam is exercised on a corpus HTML report whose table cells are made to
look OCR-placed (a stub stands in for the re-read), the re-read itself on a tiny
generated PDF page, the pixel bound on a generated 14,400-point page.
"""
from __future__ import annotations

import io
import json

import pytest
from conftest import CORPUS

import gaiextract
from gaiextract.document import Table
from gaiextract.errors import WARNING_CODES
from gaiextract.limits import Limits
from gaiextract.pipeline import build_report
from gaiextract.source import as_source

HTML = CORPUS / "html" / "g02_html_grouppath.html"  # review.upheld 3, review.total 8, no failing rule


def _as_if_ocr(doc) -> dict:
    """Every table cell of ``doc`` as OCR would leave it (a score, a page, a box);
    returns {bbox: cell} to find cells again."""
    where = {}
    for t in doc.tables():
        assert isinstance(t, Table)
        for row in t.grid:
            for cell in row:
                if cell is None or cell.bbox is not None:
                    continue
                n = len(where)
                cell.confidence, cell.page = 0.99, 1
                cell.bbox = (float(n), 0.0, float(n) + 1, 1.0)  # one box per cell
                where[cell.bbox] = cell
    return where


def _misread(doc, want: str, wrong: str):
    """The cell of table four printing ``want`` first (review.upheld) now says ``wrong``."""
    t4 = [t for t in doc.tables() if t.n_cols == 15][0]
    cell = next(c for c in t4.grid[-1] if c.text.strip() == want)
    cell.text = wrong
    return cell


def _report(doc):
    return build_report(doc, as_source(HTML)).to_dict()


def test_a_misread_number_that_breaks_a_rule_is_read_again_and_mended():
    doc = gaiextract.read(HTML)
    _as_if_ocr(doc)
    cell = _misread(doc, "3", "8")  # OCR read 3 as 8: review.total 8 != 8+...
    asked = []

    def reread(page, bbox, dpi):
        asked.append((page, tuple(bbox), dpi))
        return "3" if tuple(bbox) == cell.bbox else "?"

    doc.reread = reread
    out = _report(doc)
    cells = out["tables"]["review_litigation"]["cells"]
    assert cells["review.upheld"] == 3 and cells["review.total"] == 8
    assert not [w for w in out["warnings"] if w["code"] == "ocr_suspect"]
    assert all(c["ok"] for c in out["checks"] if c["id"].startswith("review_litigation"))
    assert asked and all(dpi == 300 for _, _, dpi in asked)
    prov = out["tables"]["review_litigation"]["provenance"]["review.upheld"]
    assert prov["how"] == "ocr" and prov["raw"] == "3" and prov["reread_dpi"] == 300
    exp = json.loads(HTML.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert cells == exp["tables"]["review_litigation"]


def test_a_number_no_reading_mends_keeps_its_value_and_is_flagged():
    doc = gaiextract.read(HTML)
    _as_if_ocr(doc)
    _misread(doc, "3", "8")
    doc.reread = lambda page, bbox, dpi: "8" if bbox else ""  # the same misreading again
    out = _report(doc)
    cells = out["tables"]["review_litigation"]["cells"]
    assert cells["review.upheld"] == 8  # kept as read, never made to fit
    suspects = [w for w in out["warnings"] if w["code"] == "ocr_suspect"]
    keys = {(w["table"], w["key"]) for w in suspects}
    assert ("review_litigation", "review.upheld") in keys and ("review_litigation", "review.total") in keys
    assert all(k[1].startswith("review.") for k in keys)  # only the cells of the broken rule
    assert "ocr_suspect" in WARNING_CODES


def test_two_readings_that_both_fit_are_not_chosen_between():
    doc = gaiextract.read(HTML)
    _as_if_ocr(doc)
    _misread(doc, "3", "9")
    t4 = [t for t in doc.tables() if t.n_cols == 15][0]
    total = next(c for c in reversed(t4.grid[-1][:5]) if c.text.strip() == "8")
    # upheld 9, total 8 break the rule; re-read, upheld 3 (total 8) or total 14
    # (upheld 9) would each mend it
    answers = {total.bbox: "14"}
    doc.reread = lambda page, bbox, dpi: answers.get(tuple(bbox), "3")
    out = _report(doc)
    cells = out["tables"]["review_litigation"]["cells"]
    assert (cells["review.upheld"], cells["review.total"]) == (9, 8)
    assert {"review.upheld", "review.total"} <= {w["key"] for w in out["warnings"] if w["code"] == "ocr_suspect"}


def test_cells_not_read_by_ocr_are_never_reread():
    doc = gaiextract.read(HTML)
    _misread(doc, "3", "8")
    doc.reread = lambda *a: pytest.fail("re-read a cell that OCR did not place")
    out = _report(doc)
    assert out["tables"]["review_litigation"]["cells"]["review.upheld"] == 8
    assert "ocr_suspect" not in [w["code"] for w in out["warnings"]]


def _pdf(width: float, height: float, draw) -> bytes:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_rereader_reads_a_box_at_a_higher_resolution():
    from gaiextract.readers import ocr

    if not ocr.available():
        pytest.skip(ocr.INSTALL_HINT)

    def draw(c):
        c.rect(20, 40, 60, 30)
        c.setFont("Helvetica", 14)
        c.drawString(33, 50, "4071")

    data = _pdf(200, 100, draw)
    from gaiextract.readers.pdf import PageScan

    page = ocr.OcrPage(scan=PageScan(number=1, width=200, height=100), dpi=150.0)
    reread = ocr.Rereader(data, {1: page})
    # the cell's box in the page's top-left points: x 20-80, top 100-70=30 to 60
    assert reread(1, (20.0, 30.0, 80.0, 60.0), 300) == "4071"
    assert reread(2, (20.0, 30.0, 80.0, 60.0), 300) == ""  # not an OCR page


def test_page_images_are_bounded_in_pixels():
    """Issue 24 #20: a 14,400-point page rendered at 150 dpi was 1.9 GB."""
    pdfium = pytest.importorskip("pypdfium2")
    from gaiextract.readers import ocr

    data = _pdf(595, 14400, lambda c: c.drawString(72, 14300, "1"))
    pdf = pdfium.PdfDocument(data)
    try:
        img, dpi = ocr.render_page(pdf, 0, 150)
        assert img.width * img.height <= Limits().max_ocr_pixels
        assert dpi < 150 and img.height > 10 * img.width  # the same page, at a lower dpi
        small = Limits(max_ocr_pixels=100_000)
        img, dpi = ocr.render_page(pdf, 0, 150, small)
        assert img.width * img.height <= 100_000
    finally:
        pdf.close()
    assert ocr.render_dpi(595, 842, 150) == 150  # an ordinary page keeps its resolution
    with pytest.raises(ValueError):
        Limits(max_ocr_pixels=0)


def test_a_huge_page_is_read_within_the_bound_and_says_so():
    from gaiextract.readers import ocr
    from gaiextract.readers.pdf import PageScan

    if not ocr.available():
        pytest.skip(ocr.INSTALL_HINT)
    data = _pdf(595, 14400, lambda c: None)
    scans = [PageScan(number=1, width=595, height=14400)]
    warnings: list = []
    small = Limits(max_ocr_pixels=400_000)
    pages = ocr.apply(data, scans, warnings, "auto", set(), limits=small)
    assert pages[1].dpi < 20
    assert abs(pages[1].scan.height - 14400) < 20  # points stay points
    assert "max_ocr_pixels" in warnings[0]["detail"]


AMOUNT = CORPUS / "html" / "g05_html_gov.html"  # 2021 edition: fees.amount 3.26 (万元)


def _amount_cell(doc):
    from unicodedata import normalize

    return next(c for t in doc.tables() for row in t.grid for c in row
                if normalize("NFKC", c.text).strip() == "3.26")  # printed full-width


@pytest.mark.parametrize("second, want, flagged", [("1892.3471", 1892.3471, False),
                                                    ("18923471", 18923471, True)])
def test_an_amount_that_lost_its_decimal_point_is_caught_by_its_unit(second, want, flagged):
    doc = gaiextract.read(AMOUNT)
    _as_if_ocr(doc)
    cell = _amount_cell(doc)
    cell.text = "18923471"  # 1892.3471 (万元) as OCR read it: 1,892 亿元
    doc.reread = lambda page, bbox, dpi: second if tuple(bbox) == cell.bbox else "?"
    out = build_report(doc, as_source(AMOUNT)).to_dict()
    assert out["tables"]["proactive"]["cells"]["fees.amount"] == want
    suspects = [(w["table"], w["key"]) for w in out["warnings"] if w["code"] == "ocr_suspect"]
    assert suspects == ([("proactive", "fees.amount")] if flagged else [])


def test_a_rule_the_report_itself_breaks_does_not_stop_a_mend():
    """The report's own new.total is wrong (68 printed as 75: no reading can make
    the row add up) and OCR misread new.natural_person 56 as 58: the re-read 56
    mends the column's balance; the row's rule stays failing and its cells are flagged."""
    doc = gaiextract.read(HTML)
    _as_if_ocr(doc)
    t3 = next(t for t in doc.tables() if t.n_cols == 10)
    new = t3.grid[3]
    assert [new[3].text, new[9].text] == ["56", "68"]
    new[9].text = "75"   # printed so
    new[3].text = "58"   # read so
    doc.reread = lambda page, bbox, dpi: {new[3].bbox: "56", new[9].bbox: "75"}.get(tuple(bbox), "?")
    out = _report(doc)
    cells = out["tables"]["requests"]["cells"]
    assert (cells["new.natural_person"], cells["new.total"]) == (56, 75)
    failing = {c["id"] for c in out["checks"] if not c["ok"]}
    assert "requests.applicants.new" in failing and "requests.balance.natural_person" not in failing
    flagged = {w["key"] for w in out["warnings"] if w["code"] == "ocr_suspect"}
    assert {"new.natural_person", "new.total"} <= flagged


def test_pages_read_in_parallel_come_back_in_order():
    from gaiextract.readers import ocr

    if not ocr.available():
        pytest.skip(ocr.INSTALL_HINT)
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(200, 100))
    for n in ("31", "74", "58"):
        c.setFont("Helvetica", 18)
        c.drawString(60, 40, n)
        c.showPage()
    c.save()
    def texts(settings):
        pages = ocr.read_pages(buf.getvalue(), [1, 2, 3], settings)
        assert list(pages) == [1, 2, 3] and [p.scan.number for p in pages.values()] == [1, 2, 3]
        return ["".join(ln.text for ln in p.scan.lines) for p in pages.values()]

    parallel = texts(ocr.OcrSettings(parallel_pages=True, threads=2))
    assert parallel == texts(ocr.OcrSettings(parallel_pages=False))
    assert parallel[1:] == ["74", "58"]
