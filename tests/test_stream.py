"""Stream mode: a table read from its row labels and numbers in reading order.

The texts are written here by hand in the forms scrapers and converters leave
(cells separated by spaces, run together, labels broken by spaces and line
breaks, a misread character); expected values are the numbers written into them.
"""
from templates import COLS, REQUEST_ROWS_2021

from gaiextract import grammar
from gaiextract.layout.align import StreamSource, map_table
from gaiextract.layout.stream import build_stream
from gaiextract.layout.tables import find_tables

G = grammar.load()


def row_values(r):
    """Values that satisfy the row rule (total = sum of the six applicant columns)."""
    vals = [r + 1, r % 2, 0, 0, (r // 3) % 2, 0]
    return vals + [sum(vals)]


def requests_text(sep=" ", rows=REQUEST_ROWS_2021, label=lambda key, text: text, values=row_values):
    parts = ["三、收到和处理政府信息公开申请情况", "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"]
    for r, (key, group, text) in enumerate(rows):
        if group and (r == 0 or rows[r - 1][1] != group):
            parts.append(group)
        parts.append(label(key, text) + sep.join(str(v) for v in values(r)))
    return "".join(parts)


def expected(rows=REQUEST_ROWS_2021, values=row_values):
    return {f"{key}.{c}": v for r, (key, _, _) in enumerate(rows) for c, v in zip(COLS, values(r))}


def stream_map(text, name="requests"):
    return map_table(G.tables[name], StreamSource(build_stream([(text, 1)])), G.dimensions)


def test_cells_separated_by_spaces_read_as_printed():
    mt = stream_map("前言。" + requests_text(" ") + "五、存在的主要问题")
    assert mt.cells == expected()
    prov = mt.provenance["withheld.third_party.total"]
    assert prov["how"] == "stream" and prov["label"] == "保护第三方合法权益" and prov["page"] == 1


def test_cells_run_together_are_split_by_the_row_rule():
    mt = stream_map(requests_text(""))
    want = expected()
    ambiguous = {w["key"]: w for w in mt.warnings if w["code"] == "cell_ambiguous"}
    for key, v in want.items():
        if key in ambiguous:
            assert mt.cells[key] is None and v in ambiguous[key]["candidates"]
        else:
            assert mt.cells[key] == v, key
    assert mt.provenance["new.total"]["how"] == "split"
    assert len(ambiguous) < len(want) // 2


def test_a_run_with_two_fits_is_null_with_its_candidates():
    # 予以公开 220000022: 2|20|…|22 and 22|0|…|22 both fit its row; the report's column
    # sums do not hold for either, so nothing across rows decides
    text = requests_text(" ").replace("（一）予以公开3 0 0 0 0 0 3", "（一）予以公开220000022")
    mt = stream_map(text)
    assert mt.cells["new.total"] == 1 and mt.cells["partial.natural_person"] == 4
    assert mt.cells["disclosed.natural_person"] is None and mt.cells["disclosed.total"] == 22
    assert mt.provenance["disclosed.total"]["how"] == "split"
    w = next(w for w in mt.warnings if w["code"] == "cell_ambiguous" and w["key"] == "disclosed.enterprise")
    assert w["table"] == "requests" and sorted(w["candidates"]) == [0, 20]


def test_labels_broken_by_spaces_and_line_breaks_and_one_misread_character():
    broken = {"new": "一、本年新收政府信息 公开申请数量", "withheld.state_secret": "1.属于国家\n秘密",
              "unavailable.not_held": "1.本机关不掌捤相关政府信息",  # one character misread
              "carried_out": "四、结转下年度\n继续办理"}
    mt = stream_map(requests_text(" ", label=lambda key, text: broken.get(key, text)))
    assert mt.cells == expected()


def test_a_lost_row_label_gives_its_numbers_to_the_row_it_belongs_to():
    text = requests_text(" ", label=lambda key, text: " " if key == "carried_in" else text)
    assert stream_map(text).cells == expected()
    # the same with the two rows' digits touching: the split search divides them jointly
    text = requests_text(" ", label=lambda key, text: "" if key == "carried_in" else text)
    assert stream_map(text).cells == expected()


def test_narrative_mentions_are_not_a_table():
    text = "全年共收到政府信息公开申请81件，其中予以公开22件，部分公开20件，行政许可2629件。"
    f = find_tables([], G, [(text, 1)])
    assert set(f.tables) == set()
    assert {w["table"] for w in f.warnings if w["code"] == "table_not_found"} == set(G.tables)


def test_review_row_of_fifteen_run_together():
    text = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
            "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
            "110024001510102五、存在的主要问题")
    mt = stream_map(text, "review_litigation")
    assert [mt.cells[f"{g}.{c}"] for g in ("review", "suit_direct", "suit_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")] == \
        [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]
    assert mt.provenance["review.total"]["how"] == "split"


def test_proactive_2019_negative_change_and_edition():
    text = ("二、主动公开政府信息情况 第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量"
            "行政许可 12 3 40 其他对外管理服务事项 1 0 5 第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量"
            "行政处罚 26 -18 538 行政强制 2 0 9 第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费35-15")
    f = find_tables([], G, [(text, 1)])
    assert f.edition == "2019"
    cells = f.tables["proactive"].cells
    assert cells["penalty.change"] == -18 and cells["penalty.decisions"] == 538
    assert cells["fees.last_year"] == 35 and cells["fees.change"] == -15


def test_prose_naming_the_rows_is_not_the_proactive_table():
    """Row labels with numbers, but none of the column labels that identify the table."""
    text = ("二、主动公开政府信息情况 本年度，我区制定规章0件，行政规范性文件12件，行政许可2629件，"
            "行政处罚1330件，行政强制54件，行政事业性收费0万元。")
    assert "proactive" not in find_tables([], G, [(text, 1)]).tables


def test_numbers_that_fit_no_division_are_null_with_row_shape():
    # nine printed numbers for the seven cells of 予以公开: no reading, no guess
    text = requests_text(" ").replace("（一）予以公开3 0 0 0 0 0 3", "（一）予以公开3 0 0 0 0 0 3 5 5")
    mt = stream_map(text)
    assert all(mt.cells[f"disclosed.{c}"] is None for c in COLS)
    assert any(w["code"] == "row_shape" and w["key"] == "disclosed" for w in mt.warnings)
    assert mt.cells["partial.natural_person"] == 4


def test_review_transposed_in_a_stream():
    """A row per group (行政复议 / 未经复议直接起诉 / 复议后起诉), the outcomes as columns;
    the last group's digits run together (1+0+1+0 = 2 is the only fit)."""
    text = ("四、政府信息公开行政复议、行政诉讼情况 类别结果维持结果纠正其他结果尚未审结总计 行政复议 1 1 0 0 2 "
            "行政诉讼未经复议直接起诉 4 0 0 1 5 复议后起诉10102 五、存在的主要问题")
    mt = stream_map(text, "review_litigation")
    assert [mt.cells[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 1, 0, 0, 2]
    assert mt.cells["suit_direct.pending"] == 1 and mt.cells["suit_after_review.other"] == 1
    assert mt.provenance["suit_after_review.total"]["how"] == "split"
    assert mt.provenance["review.total"]["label"] == "行政复议"


def test_a_scrap_of_grid_gives_way_to_the_stream_that_holds_the_table():
    from gaiextract.document import Table

    scrap = Table.from_rows([["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
                             ["一、本年新收政府信息公开申请数量"] + [str(v) for v in row_values(0)]])
    f = find_tables([scrap], G, [(requests_text(" "), 1)])
    assert f.tables["requests"].cells == expected()
    # the text fills what the grid did not place; the row the grid mapped stays the grid's
    prov = f.tables["requests"].provenance
    assert prov["new.total"]["how"] == "grid" and prov["carried_in.total"]["how"] == "stream"
