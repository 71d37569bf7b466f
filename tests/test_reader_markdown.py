"""Converter Markdown: sniffed by syntax, headings without their marks, pipe tables
(ragged, broken, with <br>), HTML fragments, page footers and cut paragraphs."""
from conftest import FIXTURES

from gaiextract import grammar
from gaiextract.document import Paragraph, Table
from gaiextract.layout.tables import find_tables
from gaiextract.readers import choose_reader
from gaiextract.readers.markdown import looks_like_markdown, read_markdown
from gaiextract.source import as_source

REAL_MD = FIXTURES / "real" / "030_shuyang_county_2025_ocr_md.txt"

MD = """# 某县人民政府 2025 年 政府信息公开工作年度报告

## 一、总体情况

### 三是提高解读效能。
聚焦政策解读效能提升，全年累计发布解读类信息 21 条，其中图文及视频类产品共 17 篇，努力让政务信息“看

— 1 —

得懂、用得上、易监督”。

**（二）规范化办理依申请公开。**

## 二、主动公开政府信息情况

| 信息内容 | 本年处理决定数量 |
|---|---|
| 行政处罚 | 693957 |
| 行政强制 | 2154 | 多余 |

<table><tr><td rowspan="2">结果<br>维持</td><td>1</td></tr><tr><td>2</td></tr></table>

- 2 -
"""


def _paras(doc):
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_markdown_is_sniffed_whatever_the_file_is_called():
    for name in ("report.txt", "report.bin", "report.md", "report.html"):
        assert choose_reader(as_source(MD.encode(), name=name)).format == "md"
    assert choose_reader(as_source(REAL_MD.read_bytes(), name="x.txt")).format == "md"
    # plain text, the flattened form and a real HTML page are not Markdown
    assert not looks_like_markdown("一、总体情况\n|\n规章 |\n0 |\n")
    assert choose_reader(as_source(b"<html><body><table><tr><td>1</td></tr></table></body></html>",
                                   name="a.md")).format == "html"
    mhtml = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n" + MD.encode()
    assert choose_reader(as_source(mhtml, name="a.mht")).format == "html"


def test_headings_lose_their_marks_and_keep_their_level():
    doc = read_markdown(MD)
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert paras[0].text == "某县人民政府 2025 年 政府信息公开工作年度报告"
    assert paras[0].hints["md_heading"] == 1
    assert paras[1].text == "一、总体情况" and paras[1].hints["md_heading"] == 2
    assert paras[2].text == "三是提高解读效能。" and paras[2].hints["md_heading"] == 3
    assert not any("#" in t or "**" in t for t in _paras(doc))
    bold = next(p for p in paras if p.text.startswith("（二）"))
    assert bold.text == "（二）规范化办理依申请公开。" and bold.hints.get("bold")
    assert doc.format == "md" and doc.meta["syntax"] == "markdown"  # the CLI takes -f md too


def test_page_footers_are_dropped_and_a_cut_paragraph_joined():
    doc = read_markdown(MD)
    texts = _paras(doc)
    assert not any(t in ("— 1 —", "- 2 -") for t in texts)
    assert any(t.endswith("努力让政务信息“看得懂、用得上、易监督”。") for t in texts)
    assert doc.meta["page_marks"] == 2


def test_pipe_tables_keep_ragged_rows_and_html_tables_use_the_html_reader():
    doc = read_markdown(MD)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 2
    pipe, html = tables
    assert [[c.text for c in row] for row in pipe.grid] == [
        ["信息内容", "本年处理决定数量"], ["行政处罚", "693957"], ["行政强制", "2154", "多余"]]
    assert pipe.rectangular is False
    # the HTML fragment: spans and <br> as the HTML reader reads them
    assert html.grid[0][0] is html.grid[1][0] and html.grid[0][0].rowspan == 2
    assert html.grid[0][0].text == "结果\n维持" and html.grid[1][1].text == "2"


def test_escaped_pipes_and_br_in_cells():
    doc = read_markdown("| a \\| b | 商业<br>企业 |\n|---|---|\n| 1 | 2 |\n")
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [c.text for c in table.grid[0]] == ["a | b", "商业\n企业"]
    assert table.rectangular is True


def test_archiver_header_before_markdown_goes_to_meta():
    text = "标题: 某县2025年政府信息公开工作年度报告\n原文链接: https://x.gov.cn/a.htm\n" \
           "==================== 正文 ====================\n" + MD
    doc = read_markdown(text)
    assert doc.meta["title"] == "某县2025年政府信息公开工作年度报告"
    assert doc.meta["url"] == "https://x.gov.cn/a.htm"
    assert not any(t.startswith(("标题", "原文链接", "====")) for t in _paras(doc))


def test_real_ocr_markdown_reads_as_blocks():
    import gaiextract

    doc = gaiextract.read(REAL_MD)
    texts = _paras(doc)
    assert texts[0] == "沐阳县人民政府 2025 年 政府信息公开工作年度报告"
    assert "三是提高解读效能。" in texts and "二、主动公开政府信息情况" in texts
    assert not any(t.startswith("#") for t in texts)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    # 二: four tables; 三: header fragments, row blocks and the wrong-header tail; 四: three
    assert len(tables) == 4 + 3 + 8 + 1 + 3
    tail = next(t for t in tables if t.grid[0][0].text == "项目")
    assert [c.text for c in tail.grid[-1]] == ["四、结转下年度继续办理", "31", "0", "0", "0", "0", "0", "31"]


def test_a_misread_pipe_cell_is_null_with_a_warning():
    """OCR Markdown: | 行政许可 | 5176O5 | has no number, yet it is the 行政许可 row's value."""
    md = ("## 二、主动公开政府信息情况\n\n"
          "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
          "| 规章 | 1 | 2 | 3 |\n| 行政规范性文件 | 4 | 5 | 6 |\n\n"
          "| 信息内容 | 本年处理决定数量 |\n|---|---|\n| 行政许可 | 5176O5 |\n\n"
          "| 信息内容 | 本年处理决定数量 |\n|---|---|\n| 行政处罚 | 84 |\n| 行政强制 | 0 |\n")
    tables = [b for b in read_markdown(md).blocks if isinstance(b, Table)]
    p = find_tables(tables, grammar.load()).tables["proactive"]
    assert p.cells["licensing.decisions"] is None and p.cells["penalty.decisions"] == 84
    assert [w["key"] for w in p.warnings if w["code"] == "cell_unparsed"] == ["licensing.decisions"]
