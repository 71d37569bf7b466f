from gaiextract.document import Paragraph, Table
from gaiextract.readers.text import TextReader, parse_flattened
from gaiextract.source import as_source

from conftest import SEED


def test_seed_blocks():
    doc = TextReader().read(as_source(SEED))
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 3
    assert not tables[0].rectangular
    req = tables[1]
    assert [c.text for c in req.row_cells(2)] == ["商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"]
    # every data row of the requests table: label(s) + 7 values
    assert all(len(req.row_cells(r)) in (8, 9) for r in range(3, req.n_rows))
    heads = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith(("一、", "六、"))]
    assert heads == ["一、总体情况", "六、其他需要报告的事项"]


def test_paragraph_after_table_is_not_a_cell():
    blocks = parse_flattened("|\n规章 |\n0 |\n三、收到和处理政府信息公开申请情况\n|\n自然人 |\n")
    kinds = [b.kind for b in blocks]
    assert kinds == ["table", "paragraph", "table"]
    assert blocks[1].text == "三、收到和处理政府信息公开申请情况"


def test_plain_text_without_tables():
    blocks = parse_flattened("一、总体情况\r\n正文。\r\n\r\n二、主动公开政府信息情况\r\n")
    assert [b.text for b in blocks] == ["一、总体情况", "正文。", "二、主动公开政府信息情况"]


def test_blank_cells_are_kept():
    t = parse_flattened("|\n行政许可 |\n |\n3 |\n")[0]
    assert [c.text for c in t.row_cells(0)] == ["行政许可", "", "3"]


def test_gbk_text_file_decodes():
    data = "一、总体情况\n鄠邑区东风街道办事处\n".encode("gbk")
    doc = TextReader().read(as_source(data, name="x.txt"))
    assert doc.meta["encoding"] == "gb18030"
    assert doc.blocks[1].text == "鄠邑区东风街道办事处"


def test_run_on_paragraphs_are_split_back():
    line = ("依据《条例》第五十条规定，编制本报告。 1.总体情况 2022年，某镇人民政府认真贯彻落实条例，" + "扎实推进各项工作。" * 40 +
            " （一）信息管理 开展历史公开信息排查。存在的主要问题： （一）栏目设置不够科学。")
    blocks = parse_flattened(line + "\n")
    texts = [b.text for b in blocks]
    assert texts[:3] == ["依据《条例》第五十条规定，编制本报告。", "1.总体情况", texts[2]]
    assert texts[2].startswith("2022年") and "（一）信息管理" in texts
    assert texts[-2:] == ["开展历史公开信息排查。存在的主要问题：", "（一）栏目设置不够科学。"]
    assert "".join(texts).replace(" ", "") == line.replace(" ", "")  # nothing but the breaks is lost


def test_cells_run_together_become_a_table():
    text = ("第二部分 主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n"
            "规章 1 1 14\n行政规范性文件 12 4 77\n第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 １,４２４\n"
            "第三部分 收到和处理政府信息公开申请情况\n（二）部分公开（区分处理的，只计这一情形，不计其他情形） 2 0 / / / / 2\n"
            "（三）不予公开 1.属于国家秘密 0 0 / / / / 0\n全年共受理申请 12 件，均按时答复。\n")
    blocks = parse_flattened(text)
    assert [b.kind for b in blocks] == ["paragraph", "paragraph", "table", "paragraph", "table", "paragraph"]
    assert blocks[0].text == "第二部分 主动公开政府信息情况"        # a heading is never a header row
    assert blocks[3].text == "第三部分 收到和处理政府信息公开申请情况"
    first = blocks[2]
    assert [c.text for c in first.grid[-1]] == ["行政许可", "１,４２４"]
    assert [c.text for c in blocks[4].grid[0]][:2] == ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "2"]
    assert blocks[5].text.startswith("全年共受理申请")


def test_structured_data_is_not_accepted_as_a_report():
    r = TextReader()
    assert not r.accepts(as_source('{"title": "某局2020年政府信息公开工作年度报告"}'.encode(), name="x.json"))
    assert not r.accepts(as_source("<?xml version='1.0'?><a>政府信息公开</a>".encode(), name="x.xml"))
    assert r.accepts(as_source("一、总体情况\n".encode(), name="x.txt"))
