"""DOCX reader: document order, merged cells, text details, hints, bad input.

Fixtures are made by tests/fixtures/make_docx_fixtures.py; expected values
below are the fixtures' own content (labels and numbers the script wrote).
"""
from __future__ import annotations

import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from gaiextract.document import Paragraph, Table
from gaiextract.errors import ExtractError
from gaiextract.readers import choose_reader
from gaiextract.readers.docx import DocxReader, read_docx_bytes
from gaiextract.readers.legacy import convert_to_docx
from gaiextract.source import Source, as_source

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
sys.path.insert(0, str(FIXTURES.parent))
import make_docx_fixtures as fx  # noqa: E402  (the labels and numbers the fixtures hold)



def read(name: str):
    return DocxReader().read(as_source(FIXTURES / name))


def texts(doc) -> list:
    return [b.text if isinstance(b, Paragraph) else "<table>" for b in doc.blocks]


def all_text(doc) -> str:
    out = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            out.extend(c.text for row in b.grid for c in row)
    return "\n".join(out)


def para(doc, text: str) -> Paragraph:
    found = [b for b in doc.blocks if isinstance(b, Paragraph) and b.text == text]
    assert len(found) == 1, (text, texts(doc))
    return found[0]


# -- sniffing ----------------------------------------------------------------
@pytest.mark.parametrize("name", ["features.docx", "merged_requests.docx", "encrypted.docx",
                                  "encrypted.doc", "truncated.docx"])
def test_accepts_word_files(name):
    assert DocxReader().accepts(as_source(FIXTURES / name))


def test_does_not_accept_other_zips_or_text():
    r = DocxReader()
    assert not r.accepts(as_source(FIXTURES / "not_a_docx.docx"))
    assert not r.accepts(Source(b"PK\x03\x04" + b"\0" * 100 + b"junk", name="x.zip"))
    assert not r.accepts(Source("一、总体情况".encode("utf-8"), name="a.docx"))


def test_registry_sends_a_non_word_zip_to_unsupported_format():
    src = as_source(FIXTURES / "not_a_docx.docx")
    with pytest.raises(ExtractError) as e:
        choose_reader(src).read(src)
    assert e.value.code == "unsupported_format"


def test_registry_picks_docx_by_content_not_extension():
    data = (FIXTURES / "features.docx").read_bytes()
    assert choose_reader(Source(data, name="report.bin")).format == "docx"


# -- document order and tables -----------------------------------------------------
def test_paragraphs_and_tables_in_document_order():
    doc = read("merged_requests.docx")
    assert doc.format == "docx"
    assert texts(doc) == [
        "某某局2021年政府信息公开工作年度报告",
        "二、主动公开政府信息情况", "<table>",
        "三、收到和处理政府信息公开申请情况", "<table>",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    assert all(b.page is None for b in doc.blocks)


def _requests_table(doc) -> Table:
    tables = list(doc.tables())
    assert len(tables) == 2
    return tables[1]


def _check_requests_table(t: Table):
    """The vertical merges of the real template appear once each, at the origin."""
    n_rows = 3 + 2 + sum(max(len(s), 1) for _, s in fx.RESULT_GROUPS) + 1
    assert (t.n_rows, t.n_cols) == (n_rows, 10)
    every = [c for row in t.grid for c in row]
    distinct = {id(c): c for c in every}.values()

    withheld = [c for c in distinct if c.text == "（三）不予公开"]
    assert len(withheld) == 1
    w = withheld[0]
    assert (w.rowspan, w.colspan, w.col) == (8, 1, 1)
    subs = dict(fx.RESULT_GROUPS)["（三）不予公开"]
    for k, sub in enumerate(subs):
        # the merged label covers each of its eight rows as the same object
        assert t.grid[w.row + k][1] is w
        labels = [c for c in t.row_cells(w.row + k) if c.text == sub]
        assert len(labels) == 1 and labels[0].col == 2
    # only the first of the eight rows starts the merged label
    assert [c.text for c in t.row_cells(w.row)][:2] == ["（三）不予公开", subs[0]]
    assert "（三）不予公开" not in [c.text for c in t.row_cells(w.row + 1)]

    outer = [c for c in distinct if c.text == "三、本年度办理结果"]
    assert len(outer) == 1
    assert outer[0].rowspan == sum(max(len(s), 1) for _, s in fx.RESULT_GROUPS)
    corner = t.grid[0][0]
    assert (corner.rowspan, corner.colspan) == (3, 3) and corner.text.startswith("（本列数据")
    assert t.grid[2][2] is corner
    assert (t.grid[0][3].colspan, t.grid[0][3].text) == (7, "申请人情况")
    assert (t.grid[1][3].rowspan, t.grid[1][3].text) == (2, "自然人")
    assert (t.grid[1][4].colspan, t.grid[1][4].text) == (5, "法人或其他组织")

    # values: data row i holds _values(i); no label or value doubled
    data_rows = list(range(3, n_rows))
    for i, r in enumerate(data_rows):
        assert [t.grid[r][c].text for c in range(3, 10)] == [str(v) for v in fx._values(i)]
        assert all(t.grid[r][c].row == r for c in range(3, 10))
    label_texts = [c.text for c in distinct if c.col < 3]
    assert len(label_texts) == len(set(label_texts))


def test_vertical_merge_over_the_eight_withheld_rows_gives_one_origin_cell():
    _check_requests_table(_requests_table(read("merged_requests.docx")))


def test_grid_before_after_span_hmerge_vmerge_and_deleted_row():
    doc = read("features.docx")
    t = next(doc.tables())
    assert (t.n_rows, t.n_cols) == (6, 4)
    assert [(c.text, c.col, c.colspan) for c in t.row_cells(0)] == [
        ("甲乙", 0, 2), ("丙", 2, 1), ("丁", 3, 1)]
    assert [c.text for c in t.grid[1]] == ["", "B1", "C1", "D1"]   # gridBefore
    assert [c.text for c in t.grid[2]] == ["A2", "B2", "C2", ""]   # gridAfter
    h = t.grid[3][0]
    assert (h.text, h.colspan) == ("横向合并", 2) and t.grid[3][1] is h   # legacy hMerge
    v = t.grid[3][2]
    assert (v.text, v.rowspan) == ("纵向", 2) and t.grid[4][2] is v
    assert [c.text for c in t.row_cells(4)] == ["A4", "B4", "D4"]
    assert "删除的行" not in all_text(doc)                          # tracked row deletion
    assert [c.text for c in t.grid[5]] == ["A5", "第一段\n第二段", "", "D5"]  # row inside w:sdt


def test_nested_table_read_after_its_outer_table_with_a_warning():
    doc = read("features.docx")
    tables = list(doc.tables())
    assert len(tables) == 2
    assert [c.text for c in tables[1].grid[0]] == ["嵌套", "表格"]
    i = doc.blocks.index(tables[0])
    assert doc.blocks[i + 1] is tables[1]
    assert any(w["code"] == "nested_table" for w in doc.warnings)


def test_text_box_content_read_once_after_its_paragraph():
    doc = read("features.docx")
    t = texts(doc)
    i = t.index("正文段落")
    assert t[i + 1] == "文本框内容"
    assert t.count("文本框内容") == 1  # mc:Fallback repeats it; read once


# -- text details ---------------------------------------------------------------
def test_runs_split_inside_a_number_are_joined():
    assert para(read("features.docx"), "本年共收到申请123件")


def test_tracked_changes_read_as_accepted():
    doc = read("features.docx")
    para(doc, "原有新增新位置")
    assert "删除" not in all_text(doc) and "旧位置" not in all_text(doc)


def test_field_results_kept_and_instructions_dropped():
    doc = read("features.docx")
    para(doc, "共42件，第7页")
    assert "MERGEFORMAT" not in all_text(doc) and "PAGE" not in all_text(doc)


def test_soft_line_breaks_and_tabs():
    para(read("features.docx"), "第一行\n第二行\n第三行 后")


def test_symbols_non_breaking_hyphen_and_hidden_text():
    doc = read("features.docx")
    para(doc, "☑已公开2020-2021")
    assert "隐藏文字" not in all_text(doc)


def test_content_control_paragraph_kept():
    para(read("features.docx"), "内容控件段落")


def test_headers_footers_and_footnotes_are_not_body_text():
    doc = read("features.docx")
    body = all_text(doc)
    for text in ("页眉文字", "页脚文字", "脚注内容"):
        assert text not in body
    para(doc, "正文")  # the paragraph holding the footnote reference, without it
    other = all_text(read("merged_requests.docx"))
    assert "页眉" not in other and "页脚" not in other


# -- heading hints -----------------------------------------------------------------
def test_heading_style_gives_style_outline_bold_and_size():
    h = para(read("features.docx"), "一、总体情况").hints
    assert h["style"] == "Heading 1" and h["outline_level"] == 0
    assert h["bold"] is True and h["font_size"] == 16.0


def test_bold_run_paragraph_without_style():
    h = para(read("features.docx"), "（一）主动公开").hints
    assert h["bold"] is True and h["font_size"] == 15.0
    assert "style" not in h and "outline_level" not in h


def test_outline_level_and_centre_from_paragraph_properties():
    h = para(read("features.docx"), "二、主动公开政府信息情况").hints
    assert h["outline_level"] == 1 and h["align"] == "center"
    assert h["bold"] is False and h["font_size"] == 12.0  # from the Normal style


def test_bold_off_run_in_a_bold_style_is_not_bold():
    h = para(read("features.docx"), "加粗不加粗").hints
    assert h["style"] == "Bold Body" and h["bold"] is False


def test_chinese_heading_style_name_gives_outline_level():
    h = para(read("features.docx"), "三、收到和处理政府信息公开申请情况").hints
    assert h["style"] == "标题 1" and h["outline_level"] == 0


def test_bold_title_from_python_docx_run():
    h = para(read("merged_requests.docx"), "某某局2021年政府信息公开工作年度报告").hints
    assert h["bold"] is True and h["font_size"] == 22.0


# -- shared samples (real-world layouts) ------------------------------------------------
def test_sample_official_template_merges():
    from conftest import shared

    doc = DocxReader().read(as_source(shared("corpus-sample", "docx_a_2019") / "report.docx"))
    t = [t for t in doc.tables() if t.n_cols == 10][0]
    cells = {id(c): c for row in t.grid for c in row}.values()
    withheld = [c for c in cells if c.text == "（三）不予公开"]
    assert len(withheld) == 1 and withheld[0].rowspan == 8


# -- bad input ---------------------------------------------------------------------
@pytest.mark.parametrize("name,code", [
    ("not_a_docx.docx", "unsupported_format"),
    ("corrupt_xml.docx", "corrupt"),
    ("truncated.docx", "truncated"),
    ("encrypted.docx", "encrypted"),
    ("encrypted.doc", "encrypted"),
])
def test_bad_inputs_give_documented_codes(name, code):
    with pytest.raises(ExtractError) as e:
        read(name)
    assert e.value.code == code
    assert e.value.path and e.value.path.endswith(name)


def test_not_a_zip_forced_as_docx():
    with pytest.raises(ExtractError) as e:
        DocxReader().read(Source(b"%PDF-1.4 not word", name="x.docx"))
    assert e.value.code == "unsupported_format"


def test_damaged_member_data_is_corrupt(tmp_path):
    good = (FIXTURES / "features.docx").read_bytes()
    zf = zipfile.ZipFile(FIXTURES / "features.docx")
    info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    bad = bytearray(good)
    for k in range(start + 10, start + 60):
        bad[k] ^= 0x5A
    with pytest.raises(ExtractError) as e:
        read_docx_bytes(bytes(bad), "damaged.docx")
    assert e.value.code == "corrupt"


def _write_bomb(path: Path, size: int) -> None:
    """A DOCX whose document.xml inflates to ``size`` bytes (deflated zeros)."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", fx.CONTENT_TYPES)
        zf.writestr("_rels/.rels", fx.PKG_RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(size // len(chunk)):
                fh.write(chunk)


@pytest.mark.parametrize("size", [1 << 30, 32 << 20])
def test_zip_bomb_is_too_large_in_bounded_memory(tmp_path, size):
    path = tmp_path / "bomb.docx"
    _write_bomb(path, size)
    assert path.stat().st_size < 2 << 20  # small on disk
    src = as_source(path)
    tracemalloc.start()
    try:
        with pytest.raises(ExtractError) as e:
            DocxReader().read(src)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert e.value.code == "too_large"
    assert peak < 16 << 20


def test_entities_are_not_expanded():
    xml = fx.features_document_xml().replace(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n')
    xml = xml.replace("<w:t xml:space=\"preserve\">结束</w:t>", "<w:t>结束&c;</w:t>")
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", fx.CONTENT_TYPES)
        zf.writestr("word/document.xml", xml)
    try:
        doc = read_docx_bytes(buf.getvalue(), "entities.docx")
    except ExtractError as e:  # refusing the DTD outright is fine too
        assert e.code == "corrupt"
        return
    assert "AAAA" not in all_text(doc)


# -- legacy .doc via LibreOffice -------------------------------------------------------
@pytest.mark.usefixtures("soffice")
def test_legacy_doc_converted_with_libreoffice():
    doc = read("legacy.doc")
    assert doc.format == "docx" and doc.meta["converted_from"] == "doc"
    assert texts(doc)[:3] == ["某某局2021年政府信息公开工作年度报告",
                              "二、主动公开政府信息情况", "<table>"]
    _check_requests_table(_requests_table(doc))


def test_legacy_doc_without_libreoffice_says_how_to_install(monkeypatch):
    monkeypatch.setattr("gaiextract.readers.legacy.shutil.which", lambda name: None)
    with pytest.raises(ExtractError) as e:
        convert_to_docx(b"\xd0\xcf\x11\xe0", "doc", "old.doc")
    assert e.value.code == "converter_missing"
    assert "libreoffice" in e.value.message.lower()


@pytest.mark.usefixtures("soffice")
def test_legacy_conversion_failure_is_clear():
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ExtractError) as e:
        DocxReader().read(Source(junk, name="broken.doc"))
    assert e.value.code in ("corrupt", "truncated")


# -- automatic list numbering ----------------------------------------------------------
def test_list_numbering_labels_are_printed_like_word():
    t = texts(read("features.docx"))
    i = t.index("一、概述")
    assert t[i:i + 7] == ["一、概述", "（一）主动公开工作", "（二）依申请公开工作", "要点",
                          "二、主动公开政府信息的情况", "（一）规章制度", "三、其他事项"]


def test_list_label_is_a_hint_and_not_counted_as_formatting():
    h = para(read("features.docx"), "二、主动公开政府信息的情况").hints
    assert h["numbering"] == "二、" and h["bold"] is False


@pytest.mark.parametrize("n,text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"),
                                    (21, "二十一"), (100, "一百"), (105, "一百零五"),
                                    (110, "一百一十"), (1001, "一千零一")])
def test_chinese_counting_numbers(n, text):
    from gaiextract.readers.docx_numbering import chinese_number
    assert chinese_number(n) == text


def test_other_number_formats():
    from gaiextract.readers.docx_numbering import format_number
    assert format_number(3, "ideographTraditional") == "丙"
    assert format_number(2, "decimalEnclosedCircle") == "②"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(4, "upperRoman") == "IV" and format_number(28, "lowerLetter") == "bb"
    assert format_number(5, "bullet") is None


# -- tables of contents, ruby, embedded objects ---------------------------------------
def test_table_of_contents_lines_are_flagged():
    doc = read("features.docx")
    assert para(doc, "一、目录项甲 1").hints.get("toc") is True
    assert para(doc, "二、目录项乙 2").hints.get("toc") is True
    assert "toc" not in para(doc, "目录后正文").hints
    assert "toc" not in para(doc, "一、总体情况").hints


def test_ruby_keeps_base_text_only():
    doc = read("features.docx")
    para(doc, "注音文字")
    assert "zhù" not in all_text(doc)


def test_embedded_excel_object_is_reported():
    doc = read("features.docx")
    para(doc, "附表")
    assert any(w["code"] == "embedded_object" and "Excel" in w["detail"] for w in doc.warnings)


@pytest.mark.usefixtures("soffice")
def test_legacy_conversion_timeout_is_reported():
    data = (FIXTURES / "legacy.doc").read_bytes()
    with pytest.raises(ExtractError) as e:
        DocxReader(convert_timeout=0.05).read(Source(data, name="slow.doc"))
    assert e.value.code == "timeout"


def test_content_control_prompt_text_is_not_content():
    doc = read("features.docx")
    para(doc, "控件前控件后")
    assert "单击" not in all_text(doc)


def test_broken_styles_part_keeps_the_text_and_warns(tmp_path):
    path = tmp_path / "badstyles.docx"
    fx.write_package(path, fx.features_document_xml(), {"word/styles.xml": "<w:styles"})
    doc = DocxReader().read(as_source(path))
    assert para(doc, "一、总体情况").hints.get("style") is None
    assert any(w["code"] == "part_unreadable" and "styles.xml" in w["detail"] for w in doc.warnings)


# -- grid walk on small tables (WordprocessingML snippets) ----------------------------------
def _walk_table(rows_xml: str, grid_cols: int = 0):
    from lxml import etree

    from gaiextract.readers.docx_body import BodyWalker
    grid = "".join('<w:gridCol w:w="100"/>' for _ in range(grid_cols))
    xml = (f'<w:body {fx.NS}><w:tbl><w:tblGrid>{grid}</w:tblGrid>{rows_xml}</w:tbl></w:body>')
    blocks = BodyWalker().blocks(etree.fromstring(xml.encode()))
    assert len(blocks) == 1
    return blocks[0]


def test_grid_after_widens_a_table_without_tblgrid():
    t = _walk_table(fx._tr(fx._tc("a") + fx._tc("b"), '<w:gridAfter w:val="2"/>')
                    + fx._tr(fx._tc("c") + fx._tc("d") + fx._tc("e") + fx._tc("f")))
    assert (t.n_rows, t.n_cols) == (2, 4)
    assert [c.text for c in t.grid[0]] == ["a", "b", "", ""]
    assert len({id(c) for c in t.grid[0]}) == 4  # filler cells are separate, empty cells


def test_vertical_merge_with_column_span_covers_the_block():
    t = _walk_table(
        fx._tr(fx._tc("合并", '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>') + fx._tc("x"))
        + fx._tr(fx._tc("", '<w:gridSpan w:val="2"/><w:vMerge/>') + fx._tc("y"))
        + fx._tr(fx._tc("p") + fx._tc("q") + fx._tc("r")), 3)
    m = t.grid[0][0]
    assert (m.text, m.rowspan, m.colspan) == ("合并", 2, 2)
    assert t.grid[1][0] is m and t.grid[1][1] is m and t.grid[0][1] is m
    assert [c.text for c in t.row_cells(1)] == ["y"]
    assert [c.text for c in t.grid[2]] == ["p", "q", "r"]


def test_continue_without_a_cell_above_starts_a_cell():
    t = _walk_table(fx._tr(fx._tc("孤立", '<w:vMerge/>') + fx._tc("b")), 2)
    assert [(c.text, c.rowspan) for c in t.row_cells(0)] == [("孤立", 1), ("b", 1)]


def test_text_in_a_continuation_cell_is_kept_once():
    t = _walk_table(fx._tr(fx._tc("上", '<w:vMerge w:val="restart"/>'))
                    + fx._tr(fx._tc("下", '<w:vMerge/>')), 1)
    assert t.grid[0][0] is t.grid[1][0] and t.grid[0][0].text == "上\n下"


@pytest.mark.usefixtures("soffice")
def test_wps_named_word_binary_is_converted():
    # Kingsoft WPS writes .wps files in the Word binary format; the name must not matter
    data = (FIXTURES / "legacy.doc").read_bytes()
    src = Source(data, name="报告.wps")
    assert choose_reader(src).format == "docx"
    doc = DocxReader().read(src)
    assert doc.meta["converted_from"] == "wps"
    _check_requests_table(_requests_table(doc))


@pytest.mark.usefixtures("soffice")
def test_rtf_saved_as_doc_is_converted():
    rtf = (b"{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}"
           b"\\f0 \\u19968?\\u12289?\\u24635?\\u20307?\\u24773?\\u20917?\\par}")
    doc = DocxReader().read(Source(rtf, name="report.doc"))
    assert doc.meta["converted_from"] == "rtf"
    assert texts(doc) == ["一、总体情况"]
