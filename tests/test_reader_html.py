"""HTML reader on real page files (tests/fixtures/html, made by
tests/fixtures/make_html_fixtures.py): encodings, chrome, spans, split and nested
tables, Word export, MHTML, bad inputs and a ~20 MB page."""
from __future__ import annotations

import resource
import sys
from pathlib import Path

import pytest

from gaiextract.document import Table
from gaiextract.errors import ExtractError
from gaiextract.readers import choose_reader, read_document
from gaiextract.readers.html import HtmlReader
from gaiextract.readers.html_blocks import build_table
from gaiextract.source import Source, as_source

FIX = Path(__file__).parent / "fixtures" / "html"
SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus-sample"  # ../shared beside the repository
sys.path.insert(0, str(FIX.parent))
import make_html_fixtures  # noqa: E402


def read(name: str):
    return read_document(as_source(FIX / name))


def texts(doc) -> list:
    return [b.text for b in doc.paragraphs()]


def table_with(doc, label: str) -> Table:
    for t in doc.tables():
        if any(c.text == label for row in t.grid for c in row):
            return t
    raise AssertionError(f"no table with a cell {label!r}")


def find_cell(table: Table, text: str):
    for r, row in enumerate(table.grid):
        for c, cell in enumerate(row):
            if cell.text == text and cell.is_origin(r, c):
                return cell
    raise AssertionError(f"no cell {text!r}")


def test_fixtures_are_current():
    """The committed fixtures are what the generator makes (regenerate if not)."""
    for name, make in make_html_fixtures.FIXTURES.items():
        assert (FIX / name).read_bytes() == make(), name


# -- sniffing -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["utf8_chrome.html", "word_gbk.htm", "undeclared_gbk.html",
                                  "bom_utf8.shtml", "layout_table.html", "word_report.mht"])
def test_pages_choose_the_html_reader(name):
    assert choose_reader(as_source(FIX / name)).format == "html"


def test_html_named_as_txt_is_still_html_and_text_with_angle_brackets_is_not():
    page = (FIX / "utf8_chrome.html").read_bytes()
    assert HtmlReader().accepts(Source(page, "report.txt"))
    prose = "一、总体情况\n收到申请数量 < 10 件，答复率 > 95%。\n<注>见附表\n".encode("utf-8")
    assert not HtmlReader().accepts(Source(prose, "report.txt"))
    assert choose_reader(Source(prose, "report.txt")).format == "txt"


# -- encodings ----------------------------------------------------------------

def test_utf8_page():
    doc = read("utf8_chrome.html")
    assert doc.format == "html" and doc.meta["encoding"] == "utf-8"


def test_gb2312_label_read_as_gb18030_keeps_gbk_only_characters():
    doc = read("word_gbk.htm")
    assert doc.meta["encoding"] == "gb18030" and doc.meta["declared_encoding"] == "gb2312"
    body = "\n".join(texts(doc))
    assert "鄠邑区人民政府2020年政府信息公开工作年度报告" in body  # 鄠 is not in GB2312
    assert "朱镕基" in body  # nor is 镕


def test_undeclared_gbk_is_detected():
    doc = read("undeclared_gbk.html")
    assert doc.meta["encoding"] == "gb18030" and "declared_encoding" not in doc.meta
    assert texts(doc)[0] == "鄠邑区草堂街道2019年政府信息公开工作年度报告"


def test_bom_wins_over_a_wrong_declaration():
    doc = read("bom_utf8.shtml")
    assert doc.meta["encoding"] == "utf-8"
    assert "本年度共收到申请7件，均已按时答复。" in texts(doc)


def test_stale_gb2312_meta_on_a_utf8_page_is_read_as_utf8():
    page = (FIX / "utf8_chrome.html").read_bytes().replace(b'<meta charset="utf-8">',
                                                           b'<meta charset="gb2312">')
    doc = HtmlReader().read(Source(page, "x.html"))
    assert doc.meta["encoding"] == "utf-8"
    assert "一、总体情况" in texts(doc)


# -- chrome and body ----------------------------------------------------------

CHROME = ("ICP备", "打印本页", "关闭窗口", "当前位置", "网站标识码", "主办单位", "版权所有", "分享到",
          "相关链接", "浏览次数", "首页", "脚本里的文字", "索引号", "建议使用", "字体", "欢迎访问")


@pytest.mark.parametrize("name", ["utf8_chrome.html", "layout_table.html"])
def test_chrome_is_not_report_text(name):
    doc = read(name)
    for text in texts(doc):
        for word in CHROME:
            assert word not in text, (word, text)
    for t in doc.tables():
        assert not any("索引号" in c.text for row in t.grid for c in row)


def test_body_paragraphs_in_order_with_title_and_br_breaks():
    doc = read("utf8_chrome.html")
    got = texts(doc)
    assert got[0] == "某某区人民政府2021年政府信息公开工作年度报告"  # the h1 above the article
    assert got[1] == "依据《中华人民共和国政府信息公开条例》第五十条规定，编制本报告。"
    i = got.index("2021年，我区坚持以人民为中心的发展思想，成立政务公开工作领导小组。")
    assert got[i + 1] == "全年召开专题会议3次。"  # <br> breaks the paragraph
    assert "全年主动公开政府信息1520条，其中规范性文件16件。  依申请公开渠道畅通。" in got  # &nbsp; kept
    headings = [t for t in got if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert got[-1] == "本年度发出收费通知0件，总金额0元，实际收取总金额0元。"


def test_formatting_hints():
    doc = read("utf8_chrome.html")
    by_text = {p.text: p for p in doc.paragraphs()}
    assert by_text["一、总体情况"].hints["outline_level"] == 2  # <h3>
    assert by_text["（一）组织领导"].hints.get("bold") is True  # <strong>
    assert by_text["（二）主动公开和依申请公开情况"].hints.get("bold") is True  # font-weight:bold
    assert "bold" not in by_text["全年召开专题会议3次。"].hints
    word = {p.text: p for p in read("word_gbk.htm").paragraphs()}
    title = word["鄠邑区人民政府2020年政府信息公开工作年度报告"]
    assert title.hints["align"] == "center" and title.hints["font_size"] == 22.0


# -- tables -------------------------------------------------------------------

def test_rowspan_label_is_one_origin_covering_its_rows():
    t = table_with(read("utf8_chrome.html"), "（三）不予公开")
    cell = find_cell(t, "（三）不予公开")
    assert cell.rowspan == 8
    covered = [r for r in range(t.n_rows) if t.grid[r][cell.col] is cell]
    assert covered == list(range(cell.row, cell.row + 8))
    assert [t.grid[r][2].text for r in covered][0] == "1.属于国家秘密"
    assert t.grid[covered[-1]][2].text == "8.属于行政查询事项"
    outer = find_cell(t, "三、本年度办理结果")
    assert outer.rowspan == 22 and outer.col == 0


def test_colspan_header_and_br_in_cells():
    t = table_with(read("utf8_chrome.html"), "申请人情况")
    assert t.n_cols == 10 and t.n_rows == 28
    head = find_cell(t, "申请人情况")
    assert (head.row, head.col, head.colspan) == (0, 3, 7)
    corner = t.grid[2][0]
    assert corner.rowspan == 3 and corner.colspan == 3 and corner.is_origin(0, 0)
    assert t.grid[2][4].text == "商业\n企业" and t.grid[2][5].text == "科研\n机构"
    assert [c.text for c in t.row_cells(3)][-1] == "12"  # 一、本年新收 … 总计


def test_split_table_is_joined():
    doc = read("utf8_chrome.html")
    t = table_with(doc, "行政复议")
    assert t.n_rows == 4 and t.n_cols == 15
    assert [c.text for c in t.row_cells(3)] == ["1", "0", "0", "1", "2", "0", "1", "0", "0", "1",
                                                "0", "0", "0", "0", "0"]
    assert all(c.row == 3 for c in t.row_cells(3))
    assert len(list(doc.tables())) == 3


def test_word_cells_with_o_p_and_spacer_row():
    t = table_with(read("word_gbk.htm"), "行政许可")
    assert t.n_rows == 7 and t.n_cols == 4  # the <tr height=0> spacer row is gone
    assert [c.text for c in t.row_cells(6)] == ["行政许可", "12", "+3", "40"]
    assert find_cell(t, "第二十条第（一）项").colspan == 4
    assert "1.   健全领导机制。" in texts(read("word_gbk.htm"))  # list number kept


def test_layout_table_is_a_container_and_nested_table_is_kept():
    doc = read("layout_table.html")
    assert texts(doc)[0] == "某某县水务局2021年政府信息公开工作年度报告"
    tables = list(doc.tables())
    assert len(tables) == 2
    report, inner = tables
    assert report.n_cols == 4 and [c.text for c in report.row_cells(2)] == ["行政规范性文件", "3", "", "11"]
    assert [c.text for c in inner.row_cells(0)] == ["其中修订", "1"]
    assert any(w["code"] == "nested_table" for w in doc.warnings)
    assert sum("第" in t and "段：" in t for t in texts(doc)) == 5


def test_absurd_spans_are_clamped():
    t = build_table([[("标题", 1, 20)], [("规章", 1000, 1), ("0", 1, 1)], [("1", 1, 1)]])
    assert t.n_cols == 2 and t.n_rows == 3
    assert t.grid[0][0].colspan == 2
    label = t.grid[1][0]
    assert label.rowspan == 2 and t.grid[2][0] is label
    assert t.grid[2][1].text == "1"


# -- MHTML and bad inputs -------------------------------------------------------

def test_mhtml_archive_is_read():
    doc = read("word_report.mht")
    assert doc.meta["container"] == "mhtml" and doc.meta["encoding"] == "gb18030"
    assert "2020年，鄠邑区在朱镕基同志题词的档案馆设置政府信息查阅点，全年接待查阅群众56人次。" in texts(doc)
    assert [c.text for c in table_with(doc, "行政许可").row_cells(6)] == ["行政许可", "12", "+3", "40"]


def test_mhtml_without_html_part():
    data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n"
            b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n")
    with pytest.raises(ExtractError) as exc:
        HtmlReader().read(Source(data, "x.mht"))
    assert exc.value.code == "unsupported_format" and "MHTML" in exc.value.message


def test_binary_garbage_named_html():
    with pytest.raises(ExtractError) as exc:
        read("garbage.html")
    assert exc.value.code == "unsupported_format"
    with pytest.raises(ExtractError) as exc:  # also when the caller forces the format
        HtmlReader().read(as_source(FIX / "garbage.html"))
    assert exc.value.code == "unsupported_format"


@pytest.mark.parametrize("data", [b"", b"  \r\n ", b"<html><body><p>&nbsp;</p><script>x()</script></body></html>"])
def test_empty_page(data):
    with pytest.raises(ExtractError) as exc:
        HtmlReader().read(Source(data, "empty.html"))
    assert exc.value.code == "empty"
    if not data:
        with pytest.raises(ExtractError) as exc:
            read("empty.html")
        assert exc.value.code == "empty"


def test_truncated_gbk_page_is_read_as_far_as_it_goes():
    doc = read("truncated_gbk.html")
    assert doc.meta["encoding"] == "gb18030"
    assert [w["code"] for w in doc.warnings] == ["truncated_input"]
    assert "2020年，鄠邑区在朱镕基同志题词的档案馆设置政府信息查阅点，全年接待查阅群众56人次。" in texts(doc)
    t = table_with(doc, "规范性文件")
    assert [c.text for c in t.row_cells(3)] == ["规范性文件", "2", "2", "9"]
    assert t.grid[-1][0].text == "行政"  # cut inside 行政许可: what precedes the cut, no mojibake
    for row in t.grid:
        for c in row:
            assert "\ufffd" not in c.text


def test_undecodable_bytes():
    data = b"<html><body><p>" + bytes([0x81, 0x20, 0xff, 0x30]) * 50 + "一、总体情况".encode("utf-8") + b"</p></body></html>"
    with pytest.raises(ExtractError) as exc:
        HtmlReader().read(Source(data, "bad.html"))
    assert exc.value.code == "decode_failed"


def test_no_entity_expansion_or_network(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<html><body><p>一、总体情况&x;</p><img src="http://127.0.0.1:9/x.png"></body></html>')
    doc = HtmlReader().read(Source(page.encode("utf-8"), "x.xhtml"))
    assert not any("SECRET" in t for t in texts(doc))
    assert any(t.startswith("一、总体情况") for t in texts(doc))


# -- the shared samples and a big page ---------------------------------------------

def test_shared_samples_read():
    from conftest import shared

    shared("corpus-sample")  # skips (fails under CI=true) on a clone without ../shared
    a = read_document(as_source(SAMPLES / "html_a_2019" / "report.html"))
    assert texts(a)[0].startswith("依据《中华人民共和国政府信息公开条例》")
    assert not any("ICP" in t or "打印本页" in t for t in texts(a))
    assert [t.n_cols for t in a.tables()] == [4, 10, 15]
    b = read_document(as_source(SAMPLES / "html_b_2019" / "report.html"))
    assert b.meta["encoding"] == "gb18030" and texts(b)[0].startswith("鄠邑区")


def test_big_page(tmp_path):
    path = make_html_fixtures.big_page(tmp_path / "big.html")
    assert path.stat().st_size >= 20 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    doc = read_document(as_source(path))
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    got = texts(doc)
    assert got[0] == "一、总体情况" and got[-1] == "二、主动公开政府信息情况"
    assert len(got) > 100_000
    assert [c.text for c in next(doc.tables()).row_cells(1)] == ["规章", "7"]
    assert not any("当前位置" in t for t in got[:5])
    assert grew_mb < 2000  # bounded: a few times the page size, not a blow-up


def test_unclosed_inline_tags_past_the_depth_limit_keep_all_text():
    page = "<html><body>" + "<font size=3>段落文字<br>\n" * 5000 + "<p>六、其他需要报告的事项</p></body></html>"
    doc = HtmlReader().read(Source(page.encode("utf-8"), "deep.html"))
    assert texts(doc)[-1] == "六、其他需要报告的事项" and len(texts(doc)) == 5001
    assert [w["code"] for w in doc.warnings] == ["markup_simplified"]


def test_block_nesting_past_the_depth_limit_is_corrupt():
    page = "<html><body>" + "<div>" * 3000 + "<p>一、总体情况</p>" + "</div>" * 3000 + "</body></html>"
    with pytest.raises(ExtractError) as exc:
        HtmlReader().read(Source(page.encode("utf-8"), "deep.html"))
    assert exc.value.code == "corrupt"


def test_latin1_declaration_on_a_chinese_page_is_ignored():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>一、总体情况</p></body></html>'
    doc = HtmlReader().read(Source(page.encode("gbk"), "x.html"))
    assert texts(doc) == ["一、总体情况"] and doc.meta["encoding"] == "gb18030"


def test_xhtml_with_xml_declaration():
    page = ('<?xml version="1.0" encoding="gbk"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
            'Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>一、总体情况（鄠邑区）</p>'
            '<table><tr><td>规章</td><td>1</td></tr></table></body></html>')
    doc = read_document(Source(page.encode("gbk"), "a.xhtml"))
    assert doc.format == "html" and texts(doc) == ["一、总体情况（鄠邑区）"]
    assert [c.text for c in next(doc.tables()).row_cells(0)] == ["规章", "1"]


CORPUS_HTML = Path(__file__).parent.parent / "corpus" / "html"


@pytest.mark.skipif(not (CORPUS_HTML / "seed_000_5312fda51cfcd75e.html").exists(), reason="corpus not built")
def test_seed_as_html_reads_like_the_seed_text():
    """Same paragraphs, and every table row starts the same cells, as the text reader's."""
    html = read_document(as_source(CORPUS_HTML / "seed_000_5312fda51cfcd75e.html"))
    txt = read_document(as_source(CORPUS_HTML.parent / "txt" / "seed_000_5312fda51cfcd75e.txt"))
    assert texts(html) == texts(txt)
    h_tables, t_tables = list(html.tables()), list(txt.tables())
    assert len(h_tables) == len(t_tables) == 3
    for h, t in zip(h_tables, t_tables):
        assert [[c.text for c in h.row_cells(r)] for r in range(h.n_rows)] == \
               [[c.text for c in row] for row in t.grid]


def test_preformatted_text_keeps_its_lines():
    page = "<html><body><pre>一、总体情况\n2021年，我局收到申请3件。\r\n二、主动公开政府信息情况</pre></body></html>"
    doc = HtmlReader().read(Source(page.encode("utf-8"), "pre.html"))
    assert texts(doc) == ["一、总体情况", "2021年，我局收到申请3件。", "二、主动公开政府信息情况"]


def test_chrome_named_wrapper_with_report_text_is_kept():
    """A class name like 'border-bottom' on a heading is not enough to call it chrome."""
    page = ('<html><body><div id="zoom"><div class="title border-bottom">一、总体情况</div>'
            '<p>2021年，本单位认真贯彻落实政府信息公开条例，全面推进政务公开工作。</p>'
            '<div class="print">【打印本页】</div></div><div class="footer">主办单位：某局</div></body></html>')
    doc = HtmlReader().read(Source(page.encode("utf-8"), "x.html"))
    assert texts(doc) == ["一、总体情况", "2021年，本单位认真贯彻落实政府信息公开条例，全面推进政务公开工作。"]


def test_mhtml_saved_by_a_browser_with_folded_headers():
    head = ("From: <Saved by Blink>\r\nSubject: =?utf-8?Q?=E5=B9=B4=E5=BA=A6?=\r\n =?utf-8?Q?=E6=8A=A5=E5=91=8A?=\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"B\"\r\n\r\n"
            "--B\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode("ascii")
    page = "<html><body><p>一、总体情况</p></body></html>".encode("utf-8")
    src = Source(head + page + b"\r\n--B--\r\n", "saved.mhtml")
    assert choose_reader(src).format == "html"
    doc = HtmlReader().read(src)
    assert texts(doc) == ["一、总体情况"] and doc.meta["encoding"] == "utf-8"


CHROME_WORDS = ("ICP备", "打印本页", "关闭窗口", "当前位置", "网站标识码", "主办单位", "分享到", "相关链接",
                "浏览次数", "索引号", "网站首页", "欢迎访问")


@pytest.mark.skipif(not CORPUS_HTML.exists(), reason="corpus not built")
@pytest.mark.parametrize("path", sorted(p for p in CORPUS_HTML.glob("*") if not p.name.endswith(".json")),
                         ids=lambda p: p.name)
def test_corpus_page_reads_per_its_style(path):
    """Reader-level facts of every corpus page, from how its style was rendered:
    encoding, no chrome, and exactly the three statistical tables (split ones joined)."""
    doc = read_document(as_source(path))
    style = path.stem.split("_", 1)[1]
    n = int(path.stem[1:3]) if path.stem.startswith("g") else 0
    enc, declared = doc.meta["encoding"], doc.meta.get("declared_encoding")
    if style == "html_word":
        assert (enc, declared) == ("gb18030", "gb2312")
    elif style == "html_nocharset":
        assert declared is None and enc == ("gb18030" if n % 2 else "utf-8")
    else:
        assert enc == "utf-8"
    for text in texts(doc):
        assert not any(w in text for w in CHROME_WORDS), text
    tables = list(doc.tables())
    assert len(tables) == 3
    assert tables[1].n_cols == 10 and tables[2].n_cols == 15  # requests, review_litigation


@pytest.mark.skipif(not (CORPUS_HTML / "g04_html_word.htm").exists(), reason="corpus not built")
def test_corpus_word_page_keeps_gbk_only_character():
    assert any("鄠邑区" in t for t in texts(read_document(as_source(CORPUS_HTML / "g04_html_word.htm"))))


def test_source_line_wraps_are_not_text():
    """Word wraps its HTML source inside sentences; a browser shows no gap between
    two Chinese characters there, and a wrap in a cell is not a line break."""
    page = ("<html><body><p class=MsoNormal><span>（一）组织\n领导</span></p><p>本街道编制了\r\n"
            "2020年度报告，共 3\n件。</p><table><tr><td>商业\n  企业</td><td>法律服务<br>机构</td></tr>"
            "<tr><td>1</td><td>2</td></tr></table></body></html>")
    doc = HtmlReader().read(Source(page.encode("utf-8"), "w.htm"))
    assert texts(doc) == ["（一）组织领导", "本街道编制了 2020年度报告，共 3 件。"]
    assert [c.text for c in next(doc.tables()).row_cells(0)] == ["商业企业", "法律服务\n机构"]


def test_utf16_page_with_bom():
    page = ('<html><head><meta charset="utf-16"></head><body><p>一、总体情况</p>'
            '<table><tr><td>规章</td><td>1</td></tr></table></body></html>')
    doc = read_document(Source(page.encode("utf-16"), "u.html"))
    assert doc.format == "html" and doc.meta["encoding"] == "utf-16"
    assert texts(doc) == ["一、总体情况"]


def test_mhtml_base64_part_and_utf8_label_on_gbk_bytes():
    """A base64 HTML part whose MIME label says utf-8 while the bytes are GBK:
    the label is tried, fails, and detection reads the GBK."""
    import base64
    page = "<html><body><p>一、总体情况</p><p>鄠邑区本年度收到申请5件。</p></body></html>".encode("gbk")
    data = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"X\"\r\n\r\n--X\r\n"
            "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(page).decode("ascii") + "\r\n--X--\r\n").encode("ascii")
    doc = HtmlReader().read(Source(data, "r.mht"))
    assert texts(doc) == ["一、总体情况", "鄠邑区本年度收到申请5件。"]
    assert doc.meta["encoding"] == "gb18030"


def test_page_metadata_box_inside_the_article_is_not_a_report_table():
    page = ('<html><body><div id="zoom"><table><tr><td>索引号：</td><td>11A0000/2022-00012</td>'
            '<td>发布机构：</td><td>区政府办</td></tr><tr><td>主题分类：</td><td>政务公开</td><td>成文日期：</td>'
            '<td>2022-01-20</td></tr></table><p>一、总体情况</p><p>本年度共收到申请7件。</p>'
            '<table><tr><td>自然人</td><td>总计</td></tr><tr><td>7</td><td>7</td></tr></table></div></body></html>')
    doc = HtmlReader().read(Source(page.encode("utf-8"), "x.html"))
    assert len(list(doc.tables())) == 1 and texts(doc) == ["一、总体情况", "本年度共收到申请7件。"]


def test_hostile_spans_stay_bounded():
    rows = [[("标题", 65534, 1000)] + [(str(i), 1, 1) for i in range(5)]] + [[("1", 1, 1)] * 5 for _ in range(999)]
    t = build_table(rows)
    title = t.grid[0][0]
    assert (title.rowspan, title.colspan) == (1000, 6)  # rows: the table's; columns: the widest row
    assert t.n_rows == 1000 and t.n_cols == 11  # later rows start right of the title, HTML style
    assert [c.text for c in t.row_cells(999)] == ["1"] * 5


def test_page_without_chinese_text_is_read_whole():
    page = "<html><body><table></table><table><tr></tr></table><p>Annual report 2021</p></body></html>"
    assert texts(HtmlReader().read(Source(page.encode(), "en.html"))) == ["Annual report 2021"]


@pytest.mark.parametrize("page", ["<!-- only a comment -->", "<html></html>", "<p></p>", "<td>" * 50])
def test_pages_without_text_are_empty(page):
    with pytest.raises(ExtractError) as exc:
        HtmlReader().read(Source(page.encode(), "x.html"))
    assert exc.value.code == "empty"


def test_style_word_prefilter_agrees_with_the_case_insensitive_patterns():
    """The cheap word test before a style regex never hides a match the regex finds:
    upper case, and the characters re.I matches to ASCII letters that lower() keeps."""
    import re

    from gaiextract.readers.html_tree import _HIDDEN_STYLE, may_contain

    styles = ["display:none", "DISPLAY : NONE", "visibility:hidden", "VISIBILITY:HIDDEN", "mso-hide:all",
              "vıſıbılıty:hıdden", "visibility:h\u0130dden", "font-size:12pt", "FONT-\u017fIZE:12pt",
              "text-align:center", "font-weight:bold", "color:red;font-family:宋体"]
    for pattern, words in ((_HIDDEN_STYLE, ("none", "hid")), (re.compile(r"font-size\s*:", re.I), ("font-size",)),
                           (re.compile(r"text-align\s*:", re.I), ("text-align",)),
                           (re.compile(r"font-weight\s*:", re.I), ("font-weight",))):
        for s in styles:
            if pattern.search(s):
                assert may_contain(s, s.lower(), words), (pattern.pattern, s)
    assert not may_contain("color:red;font-family:宋体", "color:red;font-family:宋体", ("none", "hid"))
