"""The PDF reader on real PDF files (tests/fixtures/make_pdf_fixtures.py draws them).

Expected values come from what the fixture script drew (its sidecar JSON or the
constants it printed), never from the reader's output.
"""
import json
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from gaiextract.document import Paragraph, Table
from gaiextract.errors import ExtractError
from gaiextract.readers import choose_reader, read_document
from gaiextract.readers.pdf import PdfReader
from gaiextract.source import Source, as_source

FIX = Path(__file__).parent / "fixtures" / "pdf"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(FIX.parent))

import make_pdf_fixtures as fx  # noqa: E402


def read(name: str, ocr: str = "never"):
    """The text-layer reading (OCR is tested in test_ocr.py)."""
    src = as_source(FIX / name)
    src.ocr = ocr
    return PdfReader().read(src)


def sidecar(name: str) -> dict:
    return json.loads((FIX / f"{name}.json").read_text(encoding="utf-8"))


def texts(doc) -> list:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def tables(doc) -> list:
    return [b for b in doc.blocks if isinstance(b, Table)]


# ---------------------------------------------------------------- sniffing

def test_accepts_pdf_by_content_not_name():
    reader = PdfReader()
    assert reader.accepts(Source((FIX / "table_spans.pdf").read_bytes(), "report.bin"))
    assert not reader.accepts(Source((FIX / "not_a_pdf.pdf").read_bytes(), "report.pdf"))
    assert choose_reader(as_source(FIX / "table_spans.pdf")).format == "pdf"


def test_document_facts():
    doc = read("running_heads_dash.pdf")
    assert doc.format == "pdf"
    assert doc.pages == sidecar("running_heads_dash")["pages"] == 3
    for b in doc.blocks:
        assert b.page and b.bbox and len(b.bbox) == 4


# ---------------------------------------------------------------- text

@pytest.mark.parametrize("footer", ["dash", "di", "slash"])
def test_running_header_and_page_numbers_dropped(footer):
    meta = sidecar(f"running_heads_{footer}")
    doc = read(f"running_heads_{footer}.pdf")
    paras = texts(doc)
    assert not any(meta["header"] == t for t in paras)
    for n in range(1, meta["pages"] + 1):
        for label in (f"- {n} -", f"第 {n} 页", f"第{n}页", f"{n}/{meta['pages']}"):
            assert label not in paras
    # the title (which contains the header's words) stays
    assert paras[0] == "示例市审计局2024年政府信息公开工作年度报告"


def test_paragraph_rejoined_across_lines_and_page_break():
    meta = sidecar("running_heads_dash")
    assert meta["long_pages"][1] == meta["long_pages"][0] + 1  # drawn across a page break
    doc = read("running_heads_dash.pdf")
    hits = [b for b in doc.blocks if isinstance(b, Paragraph) and b.text == meta["long"]]
    assert len(hits) == 1
    assert hits[0].page == meta["long_pages"][0]
    # every filler paragraph (two lines each) comes back whole
    assert all(t == meta["filler"] for t in texts(doc) if t.startswith("严格落实"))


def test_spaces_between_han_characters_removed():
    meta = sidecar("running_heads_dash")
    assert meta["spaced"] in texts(read("running_heads_dash.pdf"))


def test_fake_bold_deduplicated_and_hinted():
    meta = sidecar("running_heads_dash")
    doc = read("running_heads_dash.pdf")
    heading = [b for b in doc.blocks if isinstance(b, Paragraph) and b.text == meta["bold_heading"]]
    assert len(heading) == 1
    assert heading[0].hints["bold"] is True
    body = [b for b in doc.blocks if isinstance(b, Paragraph) and b.text == meta["filler"]]
    assert body and not any(b.hints["bold"] for b in body)


def test_rotated_and_landscape_pages():
    doc = read("rotated.pdf")
    assert doc.pages == 3
    by_page = {}
    for b in doc.blocks:
        by_page.setdefault(b.page, []).append(b)
    assert texts(doc)[0] == "第一页为纵向页面。"
    rotated = "".join(b.text for b in by_page[2])
    assert rotated == "旋转页面第一行文字旋转页面第二行文字"
    (wide,) = tables(doc)
    assert wide.page == 3
    assert [c.text for c in wide.row_cells(0)] == [f"列{i}" for i in range(1, 13)]
    assert [c.text for c in wide.row_cells(1)] == [str(i * 11) for i in range(1, 13)]


# ---------------------------------------------------------------- tables

@pytest.mark.parametrize("name", ["table_spans.pdf", "table_spans_rects.pdf"])
def test_ruled_table_with_spans(name):
    doc = read(name)
    (t,) = tables(doc)
    assert (t.n_rows, t.n_cols) == (5, 6)
    corner = t.grid[0][0]
    assert corner.text == "项目" and (corner.rowspan, corner.colspan) == (2, 2)
    assert t.grid[1][1] is corner  # spanned positions share one Cell
    applicants = t.grid[0][2]
    assert applicants.text == "申请人情况" and applicants.colspan == 3
    assert t.grid[0][4] is applicants
    total = t.grid[0][5]
    assert total.text == "总计" and total.rowspan == 2 and t.grid[1][5] is total
    assert [c.text for c in t.row_cells(1)] == ["自然人", "商业\n企业", "科研机构"]
    result = t.grid[3][0]
    assert result.text == "三、办理结果" and result.rowspan == 2 and t.grid[4][0] is result
    assert [c.text for c in t.row_cells(2)] == ["一、本年新收申请数量", "5", "3", "0", "8"]
    assert [c.text for c in t.row_cells(4)] == ["（二）部分公开", "1", "0", "0", "1"]
    for row in t.grid:
        for c in row:
            assert c.page == 1 and c.bbox is not None
    # the text after the table is outside it
    assert texts(doc)[-1] == "以上为本年度申请情况。"


def test_partial_rule_table_columns_from_text():
    doc = read("partial_rules.pdf")
    (t,) = tables(doc)
    assert t.n_cols == 4
    rows = [[c.text for c in t.row_cells(r)] for r in range(t.n_rows)]
    assert ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"] in rows
    assert ["规章", "1", "0", "12"] in rows
    assert ["行政规范性文件", "4", "2", "30"] in rows
    assert any(r[:2] == ["行政许可", "156"] for r in rows)
    assert "二、主动公开政府信息情况" in texts(doc)  # the heading above stays text


@pytest.mark.parametrize("name", ["cross_page_repeat_rule", "cross_page_norepeat_norule",
                                  "cross_page_repeat_norule", "cross_page_hrules_norule"])
def test_cross_page_table_stitched(name):
    meta = sidecar(name)
    assert len(meta["pages"]) >= 2  # the drawing really crossed a page
    doc = read(f"{name}.pdf")
    (t,) = tables(doc)
    labels = [t.grid[r][0].text for r in range(t.n_rows)]
    data = [lab for lab in labels if lab.startswith("第") and lab.endswith("项事项")]
    assert data == [f"第{i}项事项" for i in range(1, meta["data_rows"] + 1)]  # all rows, once, in order
    assert t.n_rows == meta["header_rows"] + meta["data_rows"]  # header not repeated
    for r in range(meta["header_rows"], t.n_rows):
        cells = t.row_cells(r)
        i = int(cells[0].text[1:-3])
        assert [c.text for c in cells] == [f"第{i}项事项", str(i), str(i * 2), "无"]
        want = meta["row_page"][cells[0].text]
        assert all(c.page == want for c in cells), (cells[0].text, want, [c.page for c in cells])
    assert texts(doc)[-1] == "四、结转下年度继续办理的申请0件。"


# ---------------------------------------------------------------- fonts and scans

def test_garbled_cid_text_warned_and_never_numbers():
    doc = read("garbled.pdf")
    codes = [w for w in doc.warnings if w["code"] == "garbled_text"]
    assert [w["page"] for w in codes] == [1]
    (t,) = tables(doc)
    assert (t.n_rows, t.n_cols) == (3, 3)
    for row in t.grid:
        for c in row:
            assert not any(ch.isdigit() for ch in c.text)
            assert "cid" not in c.text
    assert "Annual report" in texts(doc)
    assert all("(cid:" not in t for t in texts(doc))


def test_scanned_pdf_has_no_text_layer():
    doc = read("scanned.pdf")
    assert doc.blocks == []
    assert doc.pages == 2
    assert [w["code"] for w in doc.warnings] == ["no_text_layer"]
    assert "OCR" in doc.warnings[0]["detail"]


# ---------------------------------------------------------------- bad input

def _code(name: str) -> str:
    with pytest.raises(ExtractError) as err:
        read(name)
    return err.value.code


def test_encrypted_with_user_password():
    assert _code("encrypted_user.pdf") == "encrypted"


def test_encrypted_with_empty_user_password_reads():
    doc = read("encrypted_owner.pdf")
    assert texts(doc) == [fx.ENCRYPTED_TEXT]


def test_truncated():
    assert _code("truncated.pdf") == "truncated"


def test_truncated_cut_anywhere_is_an_extract_error():
    data = (FIX / "cross_page_repeat_rule.pdf").read_bytes()
    for frac in (0.1, 0.5, 0.9, 0.99):
        with pytest.raises(ExtractError) as err:
            PdfReader().read(Source(data[: int(len(data) * frac)], "cut.pdf"))
        assert err.value.code in ("truncated", "corrupt")


def test_not_a_pdf():
    assert _code("not_a_pdf.pdf") == "unsupported_format"
    with pytest.raises(ExtractError) as err:
        read_document(as_source(FIX / "not_a_pdf.pdf"))
    assert err.value.code == "unsupported_format"


def test_zero_pages():
    assert _code("zero_pages.pdf") == "empty"


def test_garbage_after_header_is_corrupt():
    with pytest.raises(ExtractError) as err:
        PdfReader().read(Source(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "x.pdf"))
    assert err.value.code == "corrupt"


# ---------------------------------------------------------------- size

def _many_pages(path: Path, n_pages: int) -> None:
    from corpus.builder.render_pdf import Flow, PageStyle, save

    flow = Flow(PageStyle(header=fx.HEADER, footer="slash"))
    while len(flow.pages) < n_pages or flow.y < 300:
        flow.paragraph(fx.FILLER)
    while len(flow.pages) > n_pages:
        flow.pages.pop()
        flow.sizes.pop()
    save(flow, path)


@pytest.fixture(scope="module")
def many_pages(tmp_path_factory):
    base = tmp_path_factory.mktemp("many")
    out = {}
    for n in (5, 25, 200):
        out[n] = base / f"pages_{n}.pdf"
        _many_pages(out[n], n)
    return out


def test_many_pages(many_pages):
    """200 pages read in seconds (the 500-page run is in benchmarks/bench_pdf.py)."""
    t0 = time.perf_counter()
    doc = PdfReader().read(as_source(many_pages[200]))
    elapsed = time.perf_counter() - t0
    assert doc.pages == 200
    assert all(t == fx.FILLER for t in texts(doc))  # heads and page numbers gone everywhere
    assert len(texts(doc)) > 10 * 200
    assert elapsed < 60


def test_memory_does_not_grow_with_pages(many_pages):
    """Pages are closed after use: memory grows by far less than a page's objects per page."""
    PdfReader().read(as_source(many_pages[5]))  # warm up: CMaps and imports load once
    peaks = {}
    for n in (5, 25):
        tracemalloc.start()
        doc = PdfReader().read(as_source(many_pages[n]))
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert doc.pages == n
    # per extra page: the page's own objects are freed (unclosed pages cost ~1.6 MB
    # each here); what grows is the document model and pdfminer's object cache
    per_page = (peaks[25] - peaks[5]) / 20
    assert per_page < 400_000, peaks


# ---------------------------------------------------------------- provenance

CORPUS_PDFS = sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("path", CORPUS_PDFS[::4], ids=lambda p: p.name)
def test_provenance_points_at_the_printed_cell(path):
    """Every table value's provenance page and bbox hold its raw text on the page
    (checked against pdfplumber's own characters, not the reader's)."""
    import gaiextract
    import pdfplumber

    out = gaiextract.extract(path).to_dict()
    by_page: dict = {}
    for table in out["tables"].values():
        for key, prov in table.get("provenance", {}).items():
            if prov.get("raw", "").strip():
                by_page.setdefault(prov["page"], []).append((key, prov))
    assert by_page
    with pdfplumber.open(path) as pdf:
        for page_no, provs in by_page.items():
            chars = pdf.pages[page_no - 1].chars
            for key, prov in provs:
                x0, top, x1, bottom = prov["bbox"]
                inside = "".join(c["text"] for c in chars
                                 if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom)
                want = "".join(prov["raw"].split())
                assert want in "".join(inside.split()), (key, page_no, prov, inside)
