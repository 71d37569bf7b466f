"""Issue 24, hostile structure: every input built to an extreme ends in a report or
one documented error, within bounded time and memory. The inputs are built here by
tests/hostile_structure.py, small versions of the worst cases (the full-size ones are
``python3 tests/fuzz/worst_cases.py``)."""
from __future__ import annotations

import json
import time
import tracemalloc

import pytest

import gaiextract
from gaiextract.errors import ERROR_CODES, ExtractError
from gaiextract.limits import DEFAULT_LIMITS
from gaiextract.readers import read_document
from gaiextract.readers.docx_styles import INT32_MAX
from gaiextract.source import as_source

import hostile_structure as hs


def read(data: bytes, name: str):
    return read_document(as_source(data, name=name))


def outcome(data: bytes, name: str):
    """The report, or the ExtractError (whose code must be documented)."""
    try:
        return gaiextract.extract(data, name=name)
    except ExtractError as exc:
        assert exc.code in ERROR_CODES
        return exc


def texts(doc) -> list[str]:
    return [getattr(b, "text", "") for b in doc.blocks]


# -- DOCX -------------------------------------------------------------------------------
@pytest.mark.parametrize("val", ["inf", "-inf", "1e400", "nan", "9" * 5000, "x"])
def test_docx_integer_properties_out_of_any_range_are_read(val):
    doc = read(hs.docx_number_value(val), "r.docx")
    assert texts(doc)[0] == hs.TITLE


def test_docx_integer_is_clamped_to_32_bits():
    from gaiextract.readers.docx_styles import int_text

    assert int_text("1e400") == INT32_MAX and int_text("-inf") == -INT32_MAX - 1
    assert int_text("12") == 12 and int_text(" 3.0 ") == 3
    assert int_text("nan") is None and int_text("x") is None


@pytest.mark.parametrize("code", ["110000", "FFFFFFFFFFFF", "D800", "zz"])
def test_docx_symbol_beyond_unicode_is_no_character(code):
    doc = read(hs.docx_symbol(code), "r.docx")
    assert texts(doc)[0] == hs.TITLE  # and no ValueError from chr()


def test_docx_list_level_that_is_no_number_is_ignored():
    doc = read(hs.docx_list_level("x"), "r.docx")
    # the only level of the list is unreadable: the items carry no label
    assert texts(doc)[1:4] == ["item 0", "item 1", "item 2"]


def test_docx_list_override_level_that_is_a_number_still_applies():
    doc = read(hs.docx_list_level("0"), "r.docx")
    assert texts(doc)[1:4] == ["2.item 0", "3.item 1", "4.item 2"]  # startOverride 2


@pytest.mark.parametrize("fmt,start", [("lowerLetter", 10**9), ("upperRoman", 10**12), ("upperLetter", 2**31)])
def test_docx_list_label_of_a_huge_start_is_not_printed(fmt, start):
    tracemalloc.start()
    doc = read(hs.docx_list_start(fmt, start, paragraphs=5), "r.docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 2**20
    assert texts(doc)[1:3] == ["item 0", "item 1"]
    simplified = [w for w in doc.warnings if w["code"] == "markup_simplified"]
    assert len(simplified) == 1 and str(DEFAULT_LIMITS.max_list_label_chars) in simplified[0]["detail"]


def test_docx_list_labels_within_the_bound_are_as_word_prints_them():
    # Word: 27 in lowerLetter is "aa", 1994 in upperRoman "MCMXCIV"
    assert texts(read(hs.docx_list_start("lowerLetter", 27, paragraphs=2), "r.docx"))[1:3] == ["aa.item 0", "bb.item 1"]
    assert texts(read(hs.docx_list_start("upperRoman", 1994, paragraphs=1), "r.docx"))[1] == "MCMXCIV.item 0"


def test_docx_deep_based_on_chain_is_cut_and_memoised():
    depth = 2_000
    t0 = time.monotonic()
    doc = read(hs.docx_style_chain(depth, 1_000), "r.docx")
    secs = time.monotonic() - t0
    assert texts(doc)[1] == "run 0" and len(doc.blocks) == 1_001
    cut = [w for w in doc.warnings if w["code"] == "markup_simplified"]
    assert cut and f"more than {DEFAULT_LIMITS.max_style_depth} styles" in cut[0]["detail"]
    # unmemoised, 1,000 runs x a 2,000-deep chain x a dozen properties took minutes
    assert secs < 20


# -- HTML and MHTML -------------------------------------------------------------------------
@pytest.mark.parametrize("label", ["undefined", "palmos", "unicode_escape", "rot13", "x-user-defined"])
def test_html_charset_that_names_no_text_encoding_is_ignored(label):
    report = gaiextract.extract(hs.html_charset(label), name="r.html")
    # the GBK page is read as GBK: the same title and tables as the UTF-8 original
    original = gaiextract.extract(hs.CORPUS / "html" / "g01_html_gov.html")
    assert report.title == original.title
    assert report.to_dict()["tables"] == original.to_dict()["tables"]


def test_html_chinese_charset_aliases_are_still_honoured():
    from gaiextract.encoding import declared_encoding

    assert declared_encoding("GB2312") == "gb18030" and declared_encoding("cp936") == "gb18030"
    assert declared_encoding("big5") == "big5hkscs" and declared_encoding("UTF8") == "utf-8"
    assert declared_encoding("undefined") is None and declared_encoding("palmos") is None


def test_mhtml_nested_thousands_deep_is_too_large():
    err = outcome(hs.mhtml_nested(3_000), "r.mht")
    assert isinstance(err, ExtractError) and err.code == "too_large"


def test_mhtml_nested_a_few_levels_is_read():
    report = gaiextract.extract(hs.mhtml_nested(5), name="r.mht")
    assert report.title


def test_html_many_tiny_tables_read_in_linear_time():
    def secs(n):
        t0 = time.monotonic()
        read(hs.html_tiny_tables(n), "r.html")
        return time.monotonic() - t0

    small, large = secs(500), secs(4_000)
    assert large < 8 * small + 1.0  # 8x the tables; quadratic was 64x


def test_html_huge_spans_are_bounded():
    tracemalloc.start()
    doc = read(hs.html_spans(300, 100_000), "r.html")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 200 * 2**20
    tables = list(doc.tables())
    assert len(tables) == 1
    assert sum(len(row) for row in tables[0].grid) <= DEFAULT_LIMITS.max_table_cells
    assert "truncated" in [w["code"] for w in doc.warnings]


# -- numbers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("digits,decimal", [(5_000, False), (400, True), (16, False)])
def test_giant_number_is_cell_unparsed_and_the_json_is_valid(digits, decimal):
    report = gaiextract.extract(hs.giant_number_text(digits, decimal), name="r.txt")
    text = report.to_json()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-finite {c} in the JSON"))
    unparsed = [w for w in report.warnings if w["code"] == "cell_unparsed"]
    assert [w["key"] for w in unparsed] == ["penalty.decisions"]
    assert report.tables["proactive"].cells["penalty.decisions"] is None
    assert report.fees["amount_notified"] is None  # the fee sentence's giant amount


def test_number_of_fifteen_digits_is_still_a_number():
    from gaiextract.values import parse_cell

    assert parse_cell("9" * 15).value == int("9" * 15)
    assert parse_cell("1234567890123.45").value == 1234567890123.45
    assert parse_cell("9" * 16).kind == "text"


# -- inspect ------------------------------------------------------------------------------------
def _tall_pdf(box: bytes) -> bytes:
    from hostile_pdf import pdf_bytes

    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" >>"])


@pytest.mark.parametrize("box,size", [(b"[0 0 1 14400]", (1, 14400)), (b"[0 0 14400 1]", (14400, 1)),
                                      (b"[0 0 595 842]", (595, 842))])
def test_inspect_page_image_pixels_are_bounded(box, size):
    import base64
    import io

    from PIL import Image

    from gaiextract.inspect_view.images import render_pages
    from gaiextract.inspect_view.settings import DEFAULT_SETTINGS

    tracemalloc.start()
    img = render_pages(_tall_pdf(box), [1], DEFAULT_SETTINGS)[1]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    w, h = Image.open(io.BytesIO(base64.b64decode(img.data_uri.split(",", 1)[1]))).size
    assert w * h <= DEFAULT_LIMITS.max_inspect_pixels and max(w, h) <= 65_535
    assert peak < 100 * 2**20
    if size == (595, 842):  # an ordinary page keeps the configured width
        assert w == DEFAULT_SETTINGS.page_width_px


def _report_dict() -> dict:
    return gaiextract.extract(hs.CORPUS / "txt" / "g01_txt_cells.txt").to_dict()


@pytest.mark.parametrize("edit,where", [
    (lambda d: d.__setitem__("tables", "x"), "tables"),
    (lambda d: d["tables"]["proactive"].__setitem__("cells", [1]), "tables/proactive/cells"),
    (lambda d: d.__setitem__("warnings", [{"code": 5}]), "warnings/0"),
    (lambda d: d.pop("sections"), "sections"),
])
def test_inspect_refuses_a_report_json_of_the_wrong_shape_in_one_line(tmp_path, edit, where):
    from gaiextract.inspect_view import inspect

    d = _report_dict()
    edit(d)
    with pytest.raises(ExtractError) as e:
        inspect(d)
    assert e.value.code == "corrupt" and "\n" not in e.value.message and where in e.value.message
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ExtractError) as e:
        inspect(path)
    assert e.value.code == "corrupt"


def test_inspect_of_a_valid_report_json_still_works():
    from gaiextract.inspect_view import inspect

    assert "<html" in inspect(_report_dict())


def test_inspect_cli_says_what_is_wrong_in_one_line(tmp_path):
    import subprocess
    import sys

    from batch_support import subprocess_env

    d = _report_dict()
    d["tables"] = 5
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "gaiextract", "inspect", str(path), "-o", str(tmp_path / "o.html")],
                         capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert run.returncode == 3
    assert len(run.stderr.strip().splitlines()) == 1 and "corrupt" in run.stderr and "tables" in run.stderr


# -- settings ------------------------------------------------------------------------------------
def test_html_settings_are_validated():
    from gaiextract.readers.html_tree import HtmlSettings

    with pytest.raises(ValueError):
        HtmlSettings(container_han_share=1.5)
    with pytest.raises(ValueError):
        HtmlSettings(layout_cell_han=0)
    with pytest.raises(ValueError):
        HtmlSettings(title_min_chars=90)
    assert HtmlSettings().container_table_share == 0.8
    for name in ("span_grid_max", "report_sentence_chars", "bold_weight", "sniff_bytes"):
        with pytest.raises(ValueError):
            HtmlSettings(**{name: 0})


def test_new_limits_are_validated():
    from gaiextract.limits import Limits

    for name in ("max_style_depth", "max_list_label_chars", "max_mime_multiparts", "max_number_digits",
                 "max_inspect_pixels", "max_blocks"):
        with pytest.raises(ValueError):
            Limits(**{name: 0})


# -- text and Markdown at the input-size limit -----------------------------------------------------
def test_pipe_table_beyond_the_cell_limit_is_cut_while_read():
    rows = DEFAULT_LIMITS.max_table_cells // 3 + 500  # 3 cells a row
    doc = read(hs.pipe_table_text(rows), "r.md")
    big = max(doc.tables(), key=lambda t: len(t.grid))
    assert sum(len(r) for r in big.grid) <= DEFAULT_LIMITS.max_table_cells
    assert big.grid[0][0].text == "a" and big.grid[1][0].text == "row 0"
    assert any(w["code"] == "truncated" for w in doc.warnings)


def test_text_table_beyond_the_cell_limit_is_cut():
    cells = DEFAULT_LIMITS.max_table_cells + 100
    text = hs.corpus_text() + "\n|\n" + "".join(f"c{i} |\n" for i in range(cells))
    doc = read(text.encode("utf-8"), "r.txt")
    assert max(sum(len(r) for r in t.grid) for t in doc.tables()) <= DEFAULT_LIMITS.max_table_cells
    assert any(w["code"] == "truncated" for w in doc.warnings)


def test_text_beyond_the_line_limit_is_truncated():
    doc = read(hs.heading_lines_text(DEFAULT_LIMITS.max_lines + 1_000, report=False), "r.txt")
    assert sum(1 for _ in doc.blocks) <= DEFAULT_LIMITS.max_lines
    assert any(w["code"] == "truncated" and f"{DEFAULT_LIMITS.max_lines + 1_000} lines" in w["detail"]
               for w in doc.warnings)


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_document_beyond_the_block_limit_is_truncated(monkeypatch, kind):
    import gaiextract.limits

    monkeypatch.setattr(gaiextract.limits, "DEFAULT_LIMITS", gaiextract.limits.Limits(max_blocks=50))
    n = 80
    if kind == "docx":
        data = hs.docx_heading_paragraphs(n)
    else:
        data = hs.bare_page("".join(f"<p>p{i}</p>" for i in range(n))).encode("utf-8")
    doc = read(data, f"r.{kind}")
    assert len(doc.blocks) == 50
    assert any(w["code"] == "truncated" and "only the first 50 read" in w["detail"] for w in doc.warnings)
