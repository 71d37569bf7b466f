"""Unit tests of the PDF reader's pieces on hand-made geometry: table frame repair,
split rows and cells at page breaks, header de-duplication, stitching rules, and
the text helpers (page numbers, Han spacing, fake bold, heading markers)."""
import pytest

from gaiextract.readers.pdf_tables import (DEFAULT_SETTINGS as S, PageTable, RawCell, close_frame,
                                           cluster, compatible, drop_repeated_header,
                                           join_split_row, to_table)
from gaiextract.readers.pdf_text import (HEADING_MARKER, Line, dedupe_chars, is_page_number,
                                         join_chars, running_lines)


def h(x0, x1, y):
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}


def v(x, top, bottom):
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0,
            "height": bottom - top}


def grid_part(page, rows, xs, y0=100.0, row_h=20.0, height=842.0):
    """A PageTable whose rows are lists of texts over columns ``xs``."""
    cells = []
    for r, row in enumerate(rows):
        top = y0 + r * row_h
        for c, text in enumerate(row):
            cells.append(RawCell(xs[c], top, xs[c + 1], top + row_h, text, page))
    return PageTable(page=page, bbox=(xs[0], y0, xs[-1], y0 + len(rows) * row_h), cells=cells,
                     page_height=height)


# ---------------------------------------------------------------- frame repair

def test_missing_top_rule_added_where_vertical_rules_start():
    xs = [72, 200, 300, 400]
    rules_h = [h(72, 400, y) for y in (120, 140, 160)]  # no rule at 100
    rules_v = [v(x, 100, 160) for x in xs]
    extra = close_frame(rules_h, rules_v, 3.0)
    tops = [e for e in extra if e["orientation"] == "h"]
    assert len(tops) == 1 and tops[0]["top"] == 100 and (tops[0]["x0"], tops[0]["x1"]) == (72, 400)


def test_complete_frame_gets_nothing():
    xs = [72, 200, 300, 400]
    rules_h = [h(72, 400, y) for y in (100, 120, 140)]
    rules_v = [v(x, 100, 140) for x in xs]
    assert close_frame(rules_h, rules_v, 3.0) == []


def test_open_sides_closed_only_within_table_bands():
    # inner column rules only; two tables of the same width 200 pt apart
    rules_h = [h(72, 400, y) for y in (100, 120, 140, 340, 360)]
    rules_v = [v(200, 100, 140), v(200, 340, 360)]
    extra = close_frame(rules_h, rules_v, 3.0)
    sides = [(e["x0"], e["top"], e["bottom"]) for e in extra if e["orientation"] == "v"]
    assert (72, 100, 120) in sides and (400, 120, 140) in sides and (72, 340, 360) in sides
    assert not any(top < 300 < bottom for _, top, bottom in sides)  # never bridges the gap


def test_rules_only_across_become_a_stack_with_sides():
    rules_h = [h(72, 400, y) for y in (100, 125, 150, 175)]
    extra = close_frame(rules_h, [], 3.0)
    sides = sorted((e["x0"], e["top"], e["bottom"]) for e in extra if e["orientation"] == "v")
    assert sides == [(72, 100, 175), (400, 100, 175)]


def test_header_rule_is_not_part_of_a_stack():
    rules_h = [h(72, 523, 50)] + [h(72, 523, y) for y in (80, 105, 130)]
    extra = close_frame(rules_h, [], 3.0, page_top=842 * 0.08)
    assert all(e["top"] >= 80 for e in extra)


def test_cluster_merges_close_values():
    assert cluster([10, 10.5, 11, 30, 31.9, 60], 2.5) == [10.5, 30.95, 60]


# ---------------------------------------------------------------- stitching

XS = [72, 250, 330, 410]


def test_repeated_header_dropped_once():
    first = grid_part(1, [["事项", "本年", "上年"], ["甲", "1", "2"]], XS, y0=600)
    cont = grid_part(2, [["事项", "本年", "上年"], ["乙", "3", "4"]], XS, y0=80)
    cont = drop_repeated_header(first, cont, S)
    t = to_table([first, cont], S)
    assert [[c.text for c in t.row_cells(r)] for r in range(t.n_rows)] == [
        ["事项", "本年", "上年"], ["甲", "1", "2"], ["乙", "3", "4"]]
    assert [t.grid[r][1].page for r in range(3)] == [1, 1, 2]


def test_compatible_needs_bottom_then_top_and_same_columns():
    a = grid_part(1, [["a", "1", "2"]] * 3, XS, y0=700)
    b = grid_part(2, [["b", "1", "2"]] * 3, XS, y0=80)
    assert compatible(a, b, S)
    assert not compatible(grid_part(1, [["a", "1", "2"]] * 3, XS, y0=200), b, S)  # ends mid-page
    assert not compatible(a, grid_part(2, [["b", "1", "2"]] * 3, XS, y0=500), S)  # starts mid-page
    assert not compatible(a, grid_part(3, [["b", "1", "2"]] * 3, XS, y0=80), S)  # not the next page
    other = grid_part(2, [["b", "1"]] * 3, [72, 130, 410], y0=80)
    assert not compatible(a, other, S)


def test_row_split_by_page_break_joined():
    label = "2.申请人逾期未按收\n费通知要求缴纳费"
    first = grid_part(3, [["1.其他", "0", "0"], [label, "0", "5"]], XS, y0=700)
    cont = grid_part(4, [["用、行政机关不再处\n理其申请", "", ""], ["3.其他", "4", "0"]], XS, y0=80)
    cont = join_split_row(first, cont, S)
    t = to_table([first, cont], S)
    rows = [[c.text for c in t.row_cells(r)] for r in range(t.n_rows)]
    assert rows == [["1.其他", "0", "0"], [label + "\n用、行政机关不再处\n理其申请", "0", "5"],
                    ["3.其他", "4", "0"]]


@pytest.mark.parametrize("last,cont_rows", [
    ("行政处罚", [["行政强制", "", ""]]),               # blank values after a one-line label: a row
    ("行政处罚\n（含警告）", [["3.其他", "", ""]]),     # a list item starts a row
    ("行政处罚\n（含警告）", [["行政许可", "4", "0"]]),  # values on both sides
])
def test_row_not_joined_when_it_is_a_row(last, cont_rows):
    """(Known limit: a blank-valued row without a list marker right after a
    multi-line label at a page break would be taken for the label's tail.)"""
    first = grid_part(3, [["信息内容", "本年", "上年"], [last, "0", "5"]], XS, y0=700)
    cont = grid_part(4, cont_rows + [["合计", "1", "1"]], XS, y0=80)
    assert join_split_row(first, cont, S) is cont


def test_label_cell_cut_by_page_break_rejoined():
    """A label spanning rows on both pages, printed on one side only, is one cell."""
    first = PageTable(page=1, bbox=(72, 700, 330, 760), page_height=842, cells=[
        RawCell(72, 700, 150, 760, "", 1), RawCell(150, 700, 250, 730, "1.甲", 1),
        RawCell(250, 700, 330, 730, "3", 1), RawCell(150, 730, 250, 760, "2.乙", 1),
        RawCell(250, 730, 330, 760, "4", 1)])
    cont = PageTable(page=2, bbox=(72, 80, 330, 140), page_height=842, cells=[
        RawCell(72, 80, 150, 140, "（三）不予公开", 2), RawCell(150, 80, 250, 110, "3.丙", 2),
        RawCell(250, 80, 330, 110, "5", 2), RawCell(150, 110, 250, 140, "4.丁", 2),
        RawCell(250, 110, 330, 140, "6", 2)])
    t = to_table([first, cont], S)
    label = t.grid[0][0]
    assert label.text == "（三）不予公开" and label.rowspan == 4 and label.page == 2
    assert all(t.grid[r][0] is label for r in range(4))
    assert [t.grid[r][2].page for r in range(4)] == [1, 1, 2, 2]


# ---------------------------------------------------------------- text helpers

@pytest.mark.parametrize("text", ["- 3 -", "—3—", "第 3 页", "第3页 共7页", "3/7", "3", "Page 3", "－３－"])
def test_page_number_forms(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["3.其他", "2019年", "一、总体情况", "第三部分"])
def test_not_page_numbers(text):
    assert not is_page_number(text)


def ch(text, x0, top=100.0, size=12.0, font="STSong"):
    return {"text": text, "x0": x0, "x1": x0 + size * (1 if ord(text[0]) > 255 else 0.5), "top": top,
            "bottom": top + size, "size": size, "fontname": font}


def test_join_chars_spaces():
    # letter-spaced Han text: no spaces; a literal space between Han dropped
    han = [ch(c, 72 + i * 16) for i, c in enumerate("政府信息")] + [ch(" ", 140), ch("公", 146)]
    assert join_chars(han) == "政府信息公"
    # Latin words keep their gap as one space
    latin = [ch("a", 72), ch("b", 78), ch("c", 92)]
    assert join_chars(latin) == "ab c"
    # unmapped glyphs become U+FFFD, never digits
    garbled = join_chars([ch("(cid:12)", 72), ch("(cid:13)", 84), ch("\ue001", 96)])
    assert garbled.replace(" ", "") == "\ufffd" * 3


def test_fake_bold_dedupe():
    once = [ch(c, 72 + i * 12) for i, c in enumerate("一、总体情况")]
    twice = once + [dict(c, x0=c["x0"] + 0.35, x1=c["x1"] + 0.35) for c in once]
    kept, doubled = dedupe_chars(twice)
    assert "".join(c["text"] for c in sorted(kept, key=lambda c: c["x0"])) == "一、总体情况"
    assert len(doubled) == len(once)
    # the same character repeated along a line is not a duplicate
    kept, doubled = dedupe_chars([ch("一", 72), ch("一", 84)])
    assert len(kept) == 2 and not doubled


@pytest.mark.parametrize("text,marker", [("一、总体情况", True), ("（三）不予公开", True), ("1.财政信息", True),
                                         ("第一部分 概述", True), ("第五十条规定，编制本报告。", False),
                                         ("2019年，本局", False), ("1.5万元", False)])
def test_heading_markers(text, marker):
    assert bool(HEADING_MARKER.match(text)) is marker


def line(text, page, top, x0=72.0, x1=300.0, size=10.0):
    return Line(text=text, page=page, x0=x0, top=top, x1=x1, bottom=top + size, size=size)


def test_running_lines_need_repetition_and_separation():
    pages = []
    for p in (1, 2, 3):
        pages.append([line("某局年度报告", p, 40), line("正文" + "甲乙丙"[p - 1], p, 80),
                      line("正文末行" + "甲乙丙"[p - 1], p, 730),
                      line("严格落实保密审查制度", p, 746), line(f"- {p} -", p, 800)])
    drop = running_lines(pages, [842.0] * 3)
    texts = {ln.text for lines in pages for ln in lines if id(ln) in drop}
    # the header and page numbers go; a body line repeated just above the footer stays
    assert texts == {"某局年度报告", "- 1 -", "- 2 -", "- 3 -"}
