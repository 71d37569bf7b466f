"""The one anchoring engine (layout/anchor.py): grid rows and stream anchors placed alike.

Grids are written out here by hand (tests/templates.py), independent of grammars/.
"""
import json
import random
import subprocess
import sys

import pytest
from templates import REQUEST_ROWS_2021, value

from gaiextract import grammar
from gaiextract.document import Table
from gaiextract.layout.tables import find_tables

G = grammar.load()
HEAD = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

#: issue 24 #2: a value cell first, then only labels (no value after the row label)
LABEL_ROW_WITHOUT_VALUES = [["合计", "不予公开"],
                            ["12 3", "其他对外管理服务", "行政处罚", "上年结转政府信息公开申请", "新制作数量"]]


@pytest.mark.parametrize("rect", [True, False])
def test_a_label_row_with_no_values_is_a_report_not_an_index_error(rect):
    find_tables([Table.from_rows(LABEL_ROW_WITHOUT_VALUES, rectangular=rect)], G)


def _md(rows):
    out = ["# 某某局2023年政府信息公开工作年度报告", "", "三、收到和处理政府信息公开申请情况", ""]
    out.append("| " + " | ".join(rows[0]) + " |")
    out.append("|" + "---|" * len(rows[0]))
    for r in rows[1:]:
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out) + "\n"


def _html(rows):
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return ("<html><head><meta charset='utf-8'><title>某某局2023年政府信息公开工作年度报告</title></head><body>"
            f"<p>三、收到和处理政府信息公开申请情况</p><table>{body}</table></body></html>")


@pytest.mark.parametrize("suffix,render", [(".md", _md), (".html", _html), (".txt", _md)])
def test_a_label_row_with_no_values_through_the_cli(tmp_path, suffix, render):
    path = tmp_path / f"report{suffix}"
    path.write_text(render(LABEL_ROW_WITHOUT_VALUES), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "gaiextract", "extract", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 2), proc.stderr  # a report, or a documented refusal
    if proc.returncode == 0:
        json.loads(proc.stdout)


def test_random_label_and_value_grids_never_raise():
    """Rows drawn from the grammar's own labels, values, marks and junk: each grid ends in
    a mapping (seeded; a few hundred grids, well under a second or two)."""
    labels = sorted({lab for spec in G.tables.values() for lay in spec.layouts
                     for lab in [x for r in lay.rows for x in r.labels] + [x for c in lay.columns for x in c.labels]})
    pool = labels + ["", "", "1", "0", "/", "—", "12 3", "abc", "1O", "————", "20-80"]
    rng = random.Random(24)
    for _ in range(150):
        rows = [[rng.choice(pool) for _ in range(rng.randint(1, 9))] for _ in range(rng.randint(1, 6))]
        for rect in (True, False):
            find_tables([Table.from_rows(rows, rectangular=rect)], G)


def _request_rows():
    return [HEAD] + [[lab] + [str(value(r, c)) for c in range(7)] for r, (_k, _g, lab) in enumerate(REQUEST_ROWS_2021)]


# --------------------------------------------------------------------------- placeholder marks

def _marked_values(r):
    """A row whose zeros are printed as marks: [r+1, mark, mark, mark, x, mark, total]."""
    x = (r // 3) % 2
    return [r + 1, None, None, None, x or None, None, r + 1 + x]


def _marked_text(mark: str) -> str:
    """Flattened text: numbers separated by a space, marks run together with nothing between."""
    parts = ["三、收到和处理政府信息公开申请情况", "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"]
    for r, (_key, group, text) in enumerate(REQUEST_ROWS_2021):
        if group and (r == 0 or REQUEST_ROWS_2021[r - 1][1] != group):
            parts.append(group)
        printed = ""
        for v in _marked_values(r):
            if v is None:
                printed += mark
            else:
                printed += (" " if printed and printed[-1].isdigit() else "") + str(v)
        parts.append(text + printed)
    return "".join(parts) + "四、政府信息公开行政复议、行政诉讼情况"


@pytest.mark.parametrize("mark", ["/", "／", "—", "－"])
def test_placeholder_marks_run_together_are_one_null_cell_each(mark):
    from gaiextract.layout.align import StreamSource, map_table
    from gaiextract.layout.stream import build_stream

    mt = map_table(G.tables["requests"], StreamSource(build_stream([(_marked_text(mark), 1)])), G.dimensions)
    cols = ["natural_person", "enterprise", "research", "nonprofit", "legal_service", "other_org", "total"]
    wrong, placed = [], 0
    for r, (key, _g, _t) in enumerate(REQUEST_ROWS_2021):
        for c, want in zip(cols, _marked_values(r)):
            have = mt.cells.get(f"{key}.{c}", "<missing>")
            if have == "<missing>" or (have is not None and have != want):
                wrong.append((key, c, want, have))
            placed += have is not None
    assert wrong == []
    # a run of slashes is exact; a run of dashes may be fewer cells, settled by the count
    assert placed == sum(1 for r in range(len(REQUEST_ROWS_2021)) for v in _marked_values(r) if v is not None)


def test_marks_the_count_cannot_settle_are_null_and_said():
    """``5——5`` for three cells: one dash pair is one or two cells; two cells fit 5|—|—|5
    in no way, so the row is null with row_shape, never shifted."""
    from gaiextract.layout import splits

    assert splits.split_run(["5", "——", "5"], ["a", "b", "c"], []).candidates == [(5, None, 5)]
    assert splits.split_run(["5", "——", "5"], ["a", "b", "c", "d"], []).candidates == [(5, None, None, 5)]
    res = splits.split_run(["5", "————", "5"], ["a", "b", "c"], [])
    assert res.found == 0


# --------------------------------------------------------------------------- signs

PROACTIVE_2019 = ("二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年新制作数量 本年新公开数量 对外公开总数量 "
                  "规章 2 2 30 规范性文件 5 5 80 第二十条第（五）项 信息内容 上一年项目数量 本年增/减 处理决定数量 "
                  "行政许可 {licensing} 其他对外管理服务事项 10 增加2 50 第二十条第（六）项 信息内容 上一年项目数量 本年增/减 "
                  "处理决定数量 行政处罚 12-80 300 行政强制 4 0 1 第二十条第（八）项 信息内容 上一年项目数量 本年增/减 "
                  "行政事业性收费 3 0 第二十二条 信息内容 采购项目数量 采购总金额 政府集中采购 7 120.5 "
                  "三、收到和处理政府信息公开申请情况")


def _proactive(licensing: str):
    from gaiextract.layout.align import StreamSource, map_table
    from gaiextract.layout.stream import build_stream

    text = PROACTIVE_2019.format(licensing=licensing)
    return map_table(G.tables["proactive"], StreamSource(build_stream([(text, 1)])), G.dimensions)


def test_sign_words_are_tokens_in_a_signed_column():
    mt = _proactive("20减少3 328")
    assert mt.edition == "2019"
    assert (mt.cells["licensing.last_year"], mt.cells["licensing.change"], mt.cells["licensing.decisions"]) == (20, -3, 328)
    assert mt.cells["other_services.change"] == 2 and mt.cells["penalty.change"] == -80
    # run together, the sign word still bounds a number: never 3 | 2 | 8
    mt = _proactive("20减少3328")
    assert mt.cells["licensing.last_year"] == 20
    for key in ("licensing.change", "licensing.decisions"):
        assert mt.cells[key] is None
        assert any(w["code"] == "cell_ambiguous" and w["key"] == key for w in mt.warnings)


def test_a_minus_where_no_column_may_be_negative_is_a_placeholder_mark():
    """``20-80`` in table 三 (no negative column): 20 | - | 80, never -80."""
    from gaiextract.layout.align import StreamSource, map_table
    from gaiextract.layout.stream import build_stream

    text = _marked_text("/").replace("1/////1", "20-///1 21", 1)  # 20 | - | / | / | / | 1 | 21
    mt = map_table(G.tables["requests"], StreamSource(build_stream([(text, 1)])), G.dimensions)
    got = [mt.cells[f"new.{c}"] for c in ("natural_person", "enterprise", "research", "nonprofit",
                                          "legal_service", "other_org", "total")]
    assert got == [20, None, None, None, None, 1, 21]
    assert all(v is None or v >= 0 for v in mt.cells.values())


# --------------------------------------------------------------------------- misread labels

MISREAD = {"（一）予以公开": "（一）子以公开", "1.属于国家秘密": "1.属于国家袐密", "2.重复申请": "2.重复审请",
           "3.补正后申请内容仍不明确": "3.补正后申请内容仍不明碓"}


@pytest.mark.parametrize("rect", [True, False])
def test_row_labels_with_one_misread_character_match_their_row(rect):
    from templates import expected_requests

    rows = [HEAD] + [[MISREAD.get(lab, lab)] + [str(value(r, c)) for c in range(7)]
                     for r, (_k, _g, lab) in enumerate(REQUEST_ROWS_2021)]
    mt = find_tables([Table.from_rows(rows, rectangular=rect)], G).tables["requests"]
    assert mt.cells == expected_requests()
    assert not [w for w in mt.warnings if w["code"] == "row_unmatched"]


def test_column_headers_with_one_misread_character():
    labels = ["结果雏持", "结果纠正", "其他结果", "尚未宙结", "总计"]
    rows = [[("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(lab, 2, 1) for lab in labels] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            labels * 2,
            [str(i + 1) for i in range(15)]]
    cells = find_tables([Table.from_rows(rows)], G).tables["review_litigation"].cells
    assert cells["review.upheld"] == 1 and cells["review.pending"] == 4
    assert cells["suit_direct.upheld"] == 6 and cells["suit_after_review.pending"] == 14


def test_misread_labels_in_a_stream():
    from gaiextract.layout.align import StreamSource, map_table
    from gaiextract.layout.stream import build_stream

    text = _marked_text("/")
    for good, bad in MISREAD.items():
        text = text.replace(good.split(".")[-1].replace("（一）", ""), bad.split(".")[-1].replace("（一）", ""))
    mt = map_table(G.tables["requests"], StreamSource(build_stream([(text, 1)])), G.dimensions)
    assert mt.cells["disclosed.natural_person"] == 3 and mt.cells["withheld.state_secret.total"] == 6
    assert mt.cells["not_processed.repeated.natural_person"] == 17


def test_a_misread_label_equally_near_two_labels_matches_neither():
    from gaiextract.layout.labels import best_match

    c = G.label_confusions
    assert best_match("结果雏持", {"a": ("结果维持",), "b": ("结果纠正",)}, 0.72, confusions=c) == ("a", 0.88)
    assert best_match("甲乙丙X", {"a": ("甲乙丙丁",), "b": ("甲乙丙戊",)}, 0.72, confusions=c) is None


# --------------------------------------------------------------------------- labels torn from values

def _torn_blocks(torn: set[int], extra: int | None = None):
    """Table 三 as a converter prints it: the rows in ``torn`` as pipe tables of values
    alone (their labels went to loose prose lines), ``extra`` a row printed twice."""
    blocks, current = [], [HEAD]
    for r, (_k, _g, lab) in enumerate(REQUEST_ROWS_2021):
        vals = [str(value(r, c)) for c in range(7)]
        if r in torn:
            blocks.append(Table.from_rows(current))
            blocks.append(Table.from_rows([vals]))
            if r == extra:
                blocks.append(Table.from_rows([vals]))
            current = [HEAD]
        else:
            current.append([lab] + vals)
    blocks.append(Table.from_rows(current))
    return blocks


def test_label_less_value_rows_fill_the_template_rows_between_their_anchors():
    from templates import expected_requests

    mt = find_tables(_torn_blocks({3, 4}), G).tables["requests"]
    assert mt.cells == expected_requests()


def test_label_less_rows_of_another_count_than_the_gap_are_null_and_said():
    from templates import expected_requests

    mt = find_tables(_torn_blocks({3}, extra=3), G).tables["requests"]
    want = expected_requests()
    assert all(mt.cells[k] is None for k in want if k.startswith("partial."))
    assert all(mt.cells[k] == v for k, v in want.items() if not k.startswith("partial."))
    assert any(w["code"] == "row_unmatched" and "without a label" in w["detail"] for w in mt.warnings)


# --------------------------------------------------------------------------- headers that name too little

GENERIC = ["类别", "数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "总计"]


def test_a_row_of_another_count_under_a_generic_header_is_never_filled_left_to_right():
    """Under 数据1…数据6 | 总计 a converter dropped two blank cells of a row: which columns
    the five printed values are is unknown — null with row_shape, not 自然人 first."""
    from templates import expected_requests

    rows = [GENERIC] + [[lab] + [str(value(r, c)) for c in range(7)] for r, (_k, _g, lab) in enumerate(REQUEST_ROWS_2021)]
    rows[1] = [rows[1][0], "5", "3", "1", "1", "10"]  # new: five values for seven columns
    mt = find_tables([Table.from_rows(rows, rectangular=False)], G).tables["requests"]
    want = expected_requests()
    for key, v in mt.cells.items():
        assert v is None or v == want.get(key, v) or key.startswith("new."), key
    assert all(mt.cells.get(f"new.{c}") is None for c in ("natural_person", "enterprise", "research"))
    assert any(w["code"] in ("row_shape", "cell_ambiguous") and str(w.get("key")).startswith("new")
               for w in mt.warnings)
    assert mt.cells["carried_in.total"] == want["carried_in.total"]


def test_a_row_of_another_count_is_placed_when_exactly_one_placement_fits_every_rule():
    """new prints 5 3 1 9 (its three zeros left blank and dropped): the row sum allows
    twenty placements, the balance with the other rows (all printed) exactly one."""
    full = {"new": [5, 3, 0, 0, 1, 0, 9], "disclosed": [5, 3, 0, 0, 1, 0, 9], "total": [5, 3, 0, 0, 1, 0, 9]}
    rows = [GENERIC]
    for _r, (key, _g, lab) in enumerate(REQUEST_ROWS_2021):
        vals = full.get(key, [0] * 7)
        rows.append([lab] + ([str(v) for v in vals if v] if key == "new" else [str(v) for v in vals]))
    mt = find_tables([Table.from_rows(rows, rectangular=False)], G).tables["requests"]
    cols = ["natural_person", "enterprise", "research", "nonprofit", "legal_service", "other_org", "total"]
    assert [mt.cells[f"new.{c}"] for c in cols] == [5, 3, None, None, 1, None, 9]
    assert mt.provenance["new.total"]["how"] == "split"


# --------------------------------------------------------------------------- blank rows and parts

def test_a_blank_for_zero_value_row_of_table_four_is_data_not_a_header():
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [[("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(lab, 2, 1) for lab in labels] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            labels * 2,
            ["1", "", "", "", "1"] + [""] * 10]
    cells = find_tables([Table.from_rows(rows)], G).tables["review_litigation"].cells
    assert cells["review.upheld"] == 1 and cells["review.total"] == 1
    assert len(cells) == 15 and sum(v is not None for v in cells.values()) == 2


def test_blank_rows_after_a_page_break_are_found_with_null_cells():
    """The rows after a page break, printed blank, with blank label columns before their
    labels (merged group cells that the break cut)."""
    grid = _request_rows()
    head, body = grid[:5], grid[5:]
    second = [["", "（三）不予公开" if i == 0 else "", row[0]] + [""] * 7 for i, row in enumerate(body[:4])]
    second += [["", "", row[0]] + row[1:] for row in body[4:]]
    mt = find_tables([Table.from_rows(head), Table.from_rows(second)], G).tables["requests"]
    for r in range(4, 8):
        key = REQUEST_ROWS_2021[r][0]
        assert all(mt.cells[f"{key}.{c}"] is None for c in ("natural_person", "total")), key
    assert mt.cells["unavailable.not_held.total"] == value(12, 6)


# --------------------------------------------------------------------------- the text fallback

def test_the_text_fallback_stays_in_its_section_and_never_replaces_grid_rows():
    from gaiextract.document import Document, Paragraph
    from gaiextract.layout import sections
    from gaiextract.layout.tables import find_tables_in

    scrap = Table.from_rows([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "5"]])
    blocks = [Paragraph("一、总体情况"), Paragraph("本年度制发行政规范性文件243件，废止规范性文件12件。"),
              Paragraph("二、主动公开政府信息情况"), scrap,
              Paragraph("信息内容 本年制发件数 本年废止件数 现行有效件数 规章 2 4 3 行政规范性文件 7 2 40 "
                        "行政许可 15 行政处罚 3 行政强制 0 行政事业性收费 0"),
              Paragraph("三、收到和处理政府信息公开申请情况")]
    split, spans = sections.split_and_find(blocks, G)
    f = find_tables_in(Document(blocks=split), G, spans)
    cells = f.tables["proactive"].cells
    assert (cells["rules.issued"], cells["rules.repealed"], cells["rules.in_force"]) == (1, 0, 5)
    assert cells["normative_documents.issued"] == 7 and cells["normative_documents.in_force"] == 40
    assert 243 not in cells.values() and 2 not in [cells.get("normative_documents.issued")]


def test_a_sentence_quoting_a_row_label_is_not_the_row():
    from gaiextract.layout.align import StreamSource, map_table
    from gaiextract.layout.stream import build_stream

    text = ("二、主动公开政府信息情况 本年制发行政规范性文件243件，其他略。 信息内容 本年制发件数 本年废止件数 现行有效件数 "
            "规章 1 0 5 行政规范性文件 7 2 40 行政许可 15 行政处罚 3 行政强制 0 行政事业性收费 0")
    mt = map_table(G.tables["proactive"], StreamSource(build_stream([(text, 1)])), G.dimensions)
    assert mt.cells["normative_documents.issued"] == 7
    assert 243 not in mt.cells.values() and 4 not in mt.cells.values()


def test_a_cell_every_reading_of_its_row_agrees_on_is_settled_even_when_rows_cannot_be_combined():
    from gaiextract.layout import splits

    a = splits.split_run(["7", "123"], ["a", "b", "c"], [])  # 7|1|23 or 7|12|3
    b = splits.split_run(["4", "567"], ["d", "e", "f"], [])
    assert a.found > 1 and b.found > 1
    tight = splits.SplitSettings(max_combinations=1)
    choice = splits.choose_jointly([a, b], {}, [], tight)
    agreed = {k for i, k in enumerate(a.keys) if len({c[i] for c in a.candidates}) == 1}
    assert agreed and all(choice.values[k] == a.candidates[0][a.keys.index(k)] for k in agreed)
    assert all(k in choice.ambiguous for k in a.keys if k not in agreed)


def test_rows_printed_blank_in_a_stream_are_found_with_null_cells():
    """Flattened text: a row label followed by no number (its cells were blank) between
    two anchored rows."""
    from gaiextract.layout.align import StreamSource, map_table
    from gaiextract.layout.stream import build_stream

    text = _marked_text("/")
    start = text.index("二、上年结转政府信息公开申请数量")
    end = text.index("三、本年度办理结果")
    text = text[:start] + "二、上年结转政府信息公开申请数量 " + text[end:]
    mt = map_table(G.tables["requests"], StreamSource(build_stream([(text, 1)])), G.dimensions)
    assert all(mt.cells[f"carried_in.{c}"] is None for c in ("natural_person", "enterprise", "total"))
    assert mt.cells["new.total"] == 1 and mt.cells["disclosed.total"] == 3
