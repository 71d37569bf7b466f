"""Table mapping on the document model: labels decide keys, never grid positions."""
import pytest

from gaiextract import grammar
from gaiextract.document import Table
from gaiextract.layout.align import GridSource, map_table
from gaiextract.layout.tables import classify_table, find_tables

from templates import REQUEST_ROWS_2021, expected_requests, request_rows_merged, value

G = grammar.load()


def requests_from(blocks):
    """The requests table from grid blocks, through the one aligner every table uses."""
    return map_table(G.tables["requests"], GridSource(blocks))


def ragged(rows):
    """What a flattened page keeps: each row's own cells, spans forgotten."""
    return Table.from_rows([[c if isinstance(c, str) else c[0] for c in row] for row in rows], rectangular=False)


def test_merged_requests_table():
    t = Table.from_rows(request_rows_merged())
    assert classify_table(t, G)[0] == "requests"
    got = requests_from([t])
    assert got.cells == expected_requests()
    assert not got.warnings


def test_ragged_requests_table():
    got = requests_from([ragged(request_rows_merged())])
    assert got.cells == expected_requests()


def test_flat_table_with_repeated_labels():
    rows = [list(h) for h in request_rows_merged()[:3]]
    for r, (_key, group, label) in enumerate(REQUEST_ROWS_2021):
        labels = [group or label, label, label] if group else [label, label, label]
        rows.append(labels + [str(value(r, c)) for c in range(7)])
    got = requests_from([Table.from_rows(rows)])
    assert got.cells == expected_requests()


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_split_inside_a_merged_group(repeat_header):
    """A page break inside the 不予公开 group: the continuation starts with 4.保护第三方合法权益
    and never shows its group label again."""
    rows = request_rows_merged()
    head, body = rows[:3], rows[3:]
    cont = (head if repeat_header else []) + body[7:]
    got = requests_from([ragged(head + body[:7]), ragged(cont)])
    assert got.cells == expected_requests()


def test_typos_and_truncated_labels():
    rows = request_rows_merged()
    text = repr(rows)
    rows = eval(text.replace("保护第三方合法权益", "保护第三方合法权利")
                .replace("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开"))
    got = requests_from([Table.from_rows(rows)])
    assert got.cells == expected_requests()


def test_2019_single_other_handling_row():
    rows = [r for r in REQUEST_ROWS_2021 if not r[0].startswith("other_handling.")]
    rows.insert(20, ("other_handling", None, "（六）其他处理"))
    grid = request_rows_merged(rows)
    got = requests_from([Table.from_rows(grid)])
    want = expected_requests(rows)
    assert got.cells == want
    assert len(got.cells) == 161


def test_placeholder_is_null_and_unreadable_cell_warns_without_shifting():
    grid = request_rows_merged()
    grid[3] = grid[3][:2] + ["—"] + grid[3][3:]          # new.enterprise → placeholder
    grid[4] = grid[4][:3] + ["x7"] + grid[4][4:]         # carried_in.research unreadable
    got = requests_from([ragged(grid)])
    assert got.cells["new.enterprise"] is None
    assert got.cells["carried_in.research"] is None
    assert got.cells["carried_in.nonprofit"] == value(1, 3)
    assert any(w["code"] == "cell_unparsed" and w["key"] == "carried_in.research" for w in got.warnings)


def test_full_width_digits_and_thousands():
    grid = request_rows_merged(fmt=lambda n: f"{n:,}".translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    got = requests_from([Table.from_rows(grid)])
    assert got.cells == expected_requests()


REVIEW = [
    [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
    [("结果维持", 2, 1), ("结果纠正", 2, 1), ("其他结果", 2, 1), ("尚未审结", 2, 1), ("总计", 2, 1),
     ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    [str(i + 1) for i in range(15)],
]
REVIEW_KEYS = [f"{g}.{c}" for g in ("review", "suit_direct", "suit_after_review")
               for c in ("upheld", "corrected", "other", "pending", "total")]


@pytest.mark.parametrize("rect", [True, False])
def test_review_table(rect):
    t = Table.from_rows(REVIEW) if rect else ragged(REVIEW)
    f = find_tables([t], G)
    assert f.tables["review_litigation"].cells == {k: i + 1 for i, k in enumerate(REVIEW_KEYS)}


def test_review_columns_follow_labels_not_positions():
    # the two suit groups printed in the other order: labels, not positions, decide
    rows = [list(r) for r in REVIEW]
    rows[1] = rows[1][:5] + [("复议后起诉", 1, 5), ("未经复议直接起诉", 1, 5)]
    f = find_tables([Table.from_rows(rows)], G)
    cells = f.tables["review_litigation"].cells
    assert cells["suit_after_review.upheld"] == 6 and cells["suit_direct.upheld"] == 11


PROACTIVE_2019 = [
    [("第二十条第（一）项", 1, 4)],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "/", "/", "/"],
    ["规范性文件", "1", "2", "3"],
    [("第二十条第（五）项", 1, 4)],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "8", "-3", "4"],
    ["其他对外管理服务事项", "5", "+1", "6"],
    [("第二十条第（六）项", 1, 4)],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政处罚", "7", "0", "9"],
    ["行政强制", "3", "增加2", "2"],
    [("第二十条第（八）项", 1, 4)],
    ["信息内容", "上一年项目数量", ("本年增/减", 1, 2)],
    ["行政事业性收费", "11", ("-1", 1, 2)],
    [("第二十条第（九）项", 1, 4)],
    ["信息内容", "采购项目数量", ("采购总金额", 1, 2)],
    ["政府集中采购", "16", ("176.7", 1, 2)],
]
PROACTIVE_2019_WANT = {
    "rules.created": None, "rules.published": None, "rules.total_published": None,
    "normative_documents.created": 1, "normative_documents.published": 2, "normative_documents.total_published": 3,
    "licensing.last_year": 8, "licensing.change": -3, "licensing.decisions": 4,
    "other_services.last_year": 5, "other_services.change": 1, "other_services.decisions": 6,
    "penalty.last_year": 7, "penalty.change": 0, "penalty.decisions": 9,
    "coercion.last_year": 3, "coercion.change": 2, "coercion.decisions": 2,
    "fees.last_year": 11, "fees.change": -1, "procurement.items": 16, "procurement.amount": 176.7,
}


@pytest.mark.parametrize("rect", [True, False])
def test_proactive_2019_and_edition(rect):
    t = Table.from_rows(PROACTIVE_2019) if rect else ragged(PROACTIVE_2019)
    f = find_tables([t], G)
    assert f.edition == "2019"
    assert f.tables["proactive"].cells == PROACTIVE_2019_WANT


def test_proactive_2021_blocks_as_separate_tables():
    blocks = [
        Table.from_rows([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                         ["规章", "1", "2", "3"], ["行政规范性文件", "4", "5", "22（其中修订16件）"]]),
        Table.from_rows([["信息内容", "本年处理决定数量"], ["行政许可", "1,526"]]),
        Table.from_rows([["信息内容", "本年处理决定数量"], ["行政处罚", "84"], ["行政强制", "0"]]),
        Table.from_rows([["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "12.5"]]),
    ]
    f = find_tables(blocks, G)
    assert f.edition == "2021"
    p = f.tables["proactive"]
    assert p.cells == {"rules.issued": 1, "rules.repealed": 2, "rules.in_force": 3,
                       "normative_documents.issued": 4, "normative_documents.repealed": 5,
                       "normative_documents.in_force": 22, "licensing.decisions": 1526,
                       "penalty.decisions": 84, "coercion.decisions": 0, "fees.amount": 12.5}
    assert p.provenance["normative_documents.in_force"]["raw"] == "22（其中修订16件）"


def test_missing_tables_warn():
    f = find_tables([], G)
    assert {w["table"] for w in f.warnings if w["code"] == "table_not_found"} == {
        "proactive", "requests", "review_litigation"}
    assert f.edition == "unknown"


def test_rectangular_continuation_without_header_maps_by_order():
    rows = request_rows_merged()
    first = Table.from_rows(rows[:3] + rows[3:10])
    second = Table.from_rows(rows[10:])  # spans of the first block run past its end
    got = requests_from([first, second])
    assert got.cells == expected_requests()


@pytest.mark.parametrize("rect", [True, False])
def test_review_table_printed_as_two_tables(rect):
    make = Table.from_rows if rect else ragged
    review = make([[("行政复议", 1, 5)], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                   ["1", "2", "3", "4", "10"]])
    suits = make([[("行政诉讼", 1, 10)], [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
                  ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
                  [str(i) for i in range(6, 16)]])
    cells = find_tables([review, suits], G).tables["review_litigation"].cells
    assert cells["review.total"] == 10 and cells["suit_direct.upheld"] == 6
    assert cells["suit_after_review.total"] == 15 and len(cells) == 15


@pytest.mark.parametrize("rect", [True, False])
def test_review_table_transposed(rect):
    """Groups as rows, outcomes as columns (printed in a different order here)."""
    rows = [["", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结"],
            [("行政复议", 1, 2), "10", "1", "2", "3", "4"],
            [("行政诉讼", 2, 1), "未经复议直接起诉", "11", "5", "6", "0", "0"],
            ["复议后起诉", "0", "—", "—", "—", "—"]]
    t = Table.from_rows(rows) if rect else ragged(rows)
    cells = find_tables([t], G).tables["review_litigation"].cells
    assert cells["review.total"] == 10 and cells["review.upheld"] == 1 and cells["review.pending"] == 4
    assert cells["suit_direct.total"] == 11 and cells["suit_direct.corrected"] == 6
    assert cells["suit_after_review.total"] == 0 and cells["suit_after_review.upheld"] is None
    assert len(cells) == 15
