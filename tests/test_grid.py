"""Grid mode of the one aligner: layouts the per-table mappers could not read.

Grids are written out here by hand (tests/templates.py), independent of grammars/.
"""
import pytest
from templates import (
    COLS,
    REQUEST_ROWS_2021,
    expected_requests,
    request_rows_merged,
    value,
)

from gaiextract import grammar
from gaiextract.document import Document, Paragraph, Table
from gaiextract.layout.tables import find_tables, find_tables_in

G = grammar.load()
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def group_path_rows(blank=False):
    """One label cell per row carrying its whole group path, as some Word/HTML tables print."""
    rows = [["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]]
    for r, (_key, group, label) in enumerate(REQUEST_ROWS_2021):
        path = label
        if group and group != "三、本年度办理结果":
            path = f"三、本年度办理结果{group} {label}"
        elif group:
            path = f"{group}{label}"
        rows.append([path] + ["" if blank else str(value(r, c)) for c in range(7)])
    return rows


@pytest.mark.parametrize("rect", [True, False])
def test_labels_carrying_their_group_path(rect):
    t = Table.from_rows(group_path_rows(), rectangular=rect)
    f = find_tables([t], G)
    mt = f.tables["requests"]
    assert mt.cells == expected_requests()
    assert not [w for w in mt.warnings if w["code"] == "row_unmatched"]
    prov = mt.provenance["withheld.state_secret.research"]
    assert prov["label"] == "三、本年度办理结果（三）不予公开 1.属于国家秘密"
    assert prov["how"] == "grid" and prov["col"] == 3 and prov["row"] == 5


def test_a_table_printed_blank_is_found_with_null_cells():
    f = find_tables([Table.from_rows(group_path_rows(blank=True))], G)
    assert "requests" in f.tables
    cells = f.tables["requests"].cells
    assert len(cells) == 175 and all(v is None for v in cells.values())
    assert not any(w["code"] == "table_not_found" and w["table"] == "requests" for w in f.warnings)


def test_review_printed_blank():
    rows = [[("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(lab, 2, 1) for lab in OUTCOME_LABELS] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            OUTCOME_LABELS * 2,
            [""] * 15]
    cells = find_tables([Table.from_rows(rows)], G).tables["review_litigation"].cells
    assert len(cells) == 15 and set(cells.values()) == {None}


def test_generic_headers_map_columns_by_count_and_order():
    """A converter's table: one small table per row block under 数据1…数据6 headers, some
    under a wrong header row."""
    head = ["类别", "数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "总计"]
    wrong = ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"]
    blocks = []
    for r, (_key, _group, label) in enumerate(REQUEST_ROWS_2021):
        header = wrong if r >= 21 else head
        blocks.append(Table.from_rows([header, [label] + [str(value(r, c)) for c in range(7)]]))
    cells = find_tables(blocks, G).tables["requests"].cells
    assert cells == expected_requests()


def test_review_split_in_three_under_captions():
    doc = Document(blocks=[Paragraph("四、政府信息公开行政复议、行政诉讼情况")])
    for n, caption in enumerate(["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]):
        doc.blocks += [Paragraph(caption), Table.from_rows([OUTCOME_LABELS, [str(n * 10 + i) for i in range(5)]])]
    cells = find_tables_in(doc, G).tables["review_litigation"].cells
    for n, group in enumerate(["review", "suit_direct", "suit_after_review"]):
        assert [cells[f"{group}.{o}"] for o in OUTCOMES] == [n * 10 + i for i in range(5)]


def test_label_split_over_two_cells():
    rows = [list(h) for h in request_rows_merged()[:3]]
    for r, (_key, _group, label) in enumerate(REQUEST_ROWS_2021):
        half = len(label) // 2
        rows.append([label[:half], label[half:]] + [str(value(r, c)) for c in range(7)])
    cells = find_tables([Table.from_rows(rows, rectangular=False)], G).tables["requests"].cells
    assert {k: v for k, v in cells.items() if k.split(".")[-1] in COLS} == expected_requests()


def test_a_row_whose_values_ran_into_one_cell_is_split_by_the_rules():
    """A page whose row lost its inner cell borders: the seven values in one cell. The row
    rule leaves two readings of 予以公开 220000022; the column rule (总计 = sum of outcomes)
    picks 22|0|… because 总计 prints 22 for 自然人 and 0 for 商业企业."""
    rows = [["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
            ["一、本年新收政府信息公开申请数量", "22", "0", "0", "0", "0", "0", "22"],
            ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
            ["（一）予以公开", "220000022"],
            ["（七）总计", "22", "0", "0", "0", "0", "0", "22"],
            ["四、结转下年度继续办理", "0 0 0 0 0 0 0"]]
    mt = find_tables([Table.from_rows(rows, rectangular=False)], G).tables["requests"]
    assert [mt.cells[f"disclosed.{c}"] for c in COLS] == [22, 0, 0, 0, 0, 0, 22]
    assert mt.provenance["disclosed.enterprise"]["how"] == "split"
    assert [mt.cells[f"carried_out.{c}"] for c in COLS] == [0] * 7
    # without the column that decides, the two readings stay open: null, never a guess
    rows[4] = ["（七）总计", "5", "5", "0", "0", "0", "0", "10"]
    mt = find_tables([Table.from_rows(rows, rectangular=False)], G).tables["requests"]
    assert mt.cells["disclosed.natural_person"] is None and mt.cells["disclosed.total"] == 22
    w = next(w for w in mt.warnings if w["code"] == "cell_ambiguous" and w["key"] == "disclosed.natural_person")
    assert sorted(w["candidates"]) == [2, 22]


def test_a_header_spanning_two_grid_columns_is_one_column():
    """A converter (LibreOffice from .doc) gave 行政复议's 总计 two grid columns, its value
    cell too, while 行政诉讼 above starts at the second of them: the spanned header is one
    template column, its value the cell below it, and no later column loses its value."""
    rows = [[("行政复议", 1, 5), ("行政诉讼", 1, 11)],
            [(lab, 2, 1) for lab in OUTCOME_LABELS[:4]] + [("总计", 2, 2)]
            + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            OUTCOME_LABELS * 2,
            [str(v) for v in range(1, 5)] + [("5", 1, 2)] + [str(v) for v in range(6, 16)]]
    t = Table.from_rows(rows)
    assert t.n_cols == 16 and t.grid[0][5].text == "行政诉讼" and t.grid[1][5].text == "总计"
    cells = find_tables([t], G).tables["review_litigation"].cells
    want = {f"{g}.{o}": n * 5 + i + 1
            for n, g in enumerate(["review", "suit_direct", "suit_after_review"])
            for i, o in enumerate(OUTCOMES)}
    assert cells == want


def test_two_value_cells_under_one_spanned_header_are_null_not_a_guess():
    rows = [[("行政复议", 1, 6), ("行政诉讼", 1, 10)],
            [(lab, 2, 1) for lab in OUTCOME_LABELS[:4]] + [("总计", 2, 2)]
            + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            OUTCOME_LABELS * 2,
            [str(v) for v in range(1, 17)]]
    mt = find_tables([Table.from_rows(rows)], G).tables["review_litigation"]
    assert mt.cells["review.total"] is None and mt.cells["review.pending"] == 4
    assert [mt.cells[f"suit_direct.{o}"] for o in OUTCOMES] == [7, 8, 9, 10, 11]
    assert [mt.cells[f"suit_after_review.{o}"] for o in OUTCOMES] == [12, 13, 14, 15, 16]
    assert any(w["code"] == "row_shape" and w["key"] == "review.total" for w in mt.warnings)


def _unparsed(mt, key):
    return [w for w in mt.warnings if w["code"] == "cell_unparsed" and w.get("key") == key]


@pytest.mark.parametrize("rect", [True, False])
def test_a_misread_value_is_null_with_a_warning_not_dropped(rect):
    """OCR read 517605 as 5176O5: the only value cell of 行政许可 is text. The row is still
    the template's row, the cell its value column: null with cell_unparsed, never absent."""
    blocks = [
        Table.from_rows([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                         ["规章", "1", "2", "3"], ["行政规范性文件", "4", "5", "6"]], rectangular=rect),
        Table.from_rows([["信息内容", "本年处理决定数量"], ["行政许可", "5176O5"]], rectangular=rect),
        Table.from_rows([["信息内容", "本年处理决定数量"], ["行政处罚", "84"], ["行政强制", "0"]],
                        rectangular=rect),
    ]
    p = find_tables(blocks, G).tables["proactive"]
    assert "licensing.decisions" in p.cells and p.cells["licensing.decisions"] is None
    (w,) = _unparsed(p, "licensing.decisions")
    assert w["table"] == "proactive" and "5176O5" in w["detail"]
    assert p.provenance["licensing.decisions"]["raw"] == "5176O5"
    assert p.cells["penalty.decisions"] == 84 and p.cells["rules.in_force"] == 3
    assert [w for w in p.warnings if w["code"] == "cell_unparsed"] == [w]


@pytest.mark.parametrize("rect", [True, False])
@pytest.mark.parametrize("col", [0, 3, 6])
def test_one_misread_cell_of_seven_is_null_and_the_others_stay_in_place(rect, col):
    rows = request_rows_merged()
    r = 1  # 二、上年结转政府信息公开申请数量
    rows[3 + r][1 + col] = "1O"
    t = Table.from_rows(rows, rectangular=rect)
    mt = find_tables([t], G).tables["requests"]
    want = expected_requests()
    key = f"carried_in.{COLS[col]}"
    want[key] = None
    assert mt.cells == want
    (w,) = _unparsed(mt, key)
    assert w["table"] == "requests"
