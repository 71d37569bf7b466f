"""Headings inside running text (a body saved as one line), OCR-misread numbering, headings
worded like no variant, a section without its heading, and numbering that starts again."""
from conftest import FIXTURES

import gaiextract
from gaiextract import grammar
from gaiextract.document import Paragraph
from gaiextract.layout.runin import sub_head_end, tolerant_prefix
from gaiextract.layout.sections import (
    find_sections,
    find_subsections,
    split_running_text,
)

G = grammar.load()
REAL = FIXTURES / "real"
SIX = ["overview", "proactive", "requests", "review_litigation", "problems", "other"]


def _spans(text: str):
    blocks = split_running_text([Paragraph(text=text)], G)
    return blocks, find_sections(blocks, G)


def _ids_and_heads(spans):
    return [(s.id, s.heading) for s in spans]


BODY = ("某某县2022年政府信息公开工作年度报告 根据《条例》编制本报告。如有疑问请联系。"
        "一、总体情况2022年，我县坚持以公开为常态。（一）主动公开方面我县切实落实有关要求，全年公开信息500条。"
        "（二）强化组织协调，着力规范公开工作积极贯彻国家有关要求，召开会议3次。"
        "（三）平台建设。网站运行平稳，全年发布信息200条。"
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
        "行政规范性文件77132470三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：…）"
        "一、本年新收政府信息公开申请数量801000081四、结转下年度继续办理0000000四、政府信息公开行政复议、"
        "行政诉讼情况行政复议行政诉讼结果维持总计110024001510102五、存在的主要问题及改进情况存在的问题主要有："
        "一是公开不够及时。六、其他需要报告的事项2022年，无收取信息处理费情况。")


def test_six_headings_and_sub_heads_are_found_inside_one_line():
    blocks, spans = _spans(BODY)
    assert _ids_and_heads(spans) == [
        ("overview", "一、总体情况"), ("proactive", "二、主动公开政府信息情况"),
        ("requests", "三、收到和处理政府信息公开申请情况"),
        ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"), ("other", "六、其他需要报告的事项")]
    subs = find_subsections(blocks, spans[0])
    # ends: after 方面; before an opener (积极); at a stop
    assert [s.heading for s in subs] == ["（一）主动公开方面", "（二）强化组织协调，着力规范公开工作", "（三）平台建设"]
    assert subs[1].text(blocks).startswith("积极贯彻国家有关要求")
    # nothing is lost but the stop after a run-in heading
    joined = "".join(b.text for b in blocks)
    assert joined == BODY.replace("（三）平台建设。", "（三）平台建设")


def test_ordinary_documents_are_left_alone():
    blocks = [Paragraph(text="一、总体情况"), Paragraph(text="2022年，我县坚持以公开为常态。"),
              Paragraph(text="（一）主动公开"), Paragraph(text="全年公开信息500条。")]
    assert split_running_text(blocks, G) == blocks


def test_ocr_numbering_spaces_and_a_misread_character_in_a_heading():
    text = ("本报告根据《条例》编制。" * 10 + "—、总体情况2022年，我县坚持公开。二、主动公开政府 信息倩况 第二十条规章000"
            "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量801000081")
    _, spans = _spans(text)
    assert _ids_and_heads(spans)[:3] == [("overview", "—、总体情况"), ("proactive", "二、主动公开政府 信息倩况"),
                                         ("requests", "三、收到和处理政府信息公开申请情况")]
    assert tolerant_prefix("主动公开政府信息倩况第二十条", tuple(G.sections[1].variants))[1] < 1.0


def test_heading_worded_like_no_variant_ends_at_its_keyword():
    text = "本报告根据《条例》编制。" * 12 + "五、政府信息公开工作中存在的不足和下一步改进措施一是公开不够及时。六、其他需要报告的事项无。"
    _, spans = _spans(text)
    assert ("problems", "五、政府信息公开工作中存在的不足和下一步改进措施") in _ids_and_heads(spans)


def test_missing_problems_heading_opens_at_its_first_sub_head():
    text = ("一、总体情况2022年，我县坚持以公开为常态，全年公开信息500条，办理申请12件，开展培训3次，网站运行平稳。"
            "二、主动公开政府信息情况第二十条规章000三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量"
            "801000081四、政府信息公开行政复议、行政诉讼情况000000000000000（一）存在的主要问题：公开不够及时。"
            "（二）改进措施：加强审核。六、其他需要报告的事项无。")
    blocks, spans = _spans(text)
    assert [s.id for s in spans] == SIX
    problems = spans[4]
    assert problems.heading == "（一）存在的主要问题" and problems.family == "paren"
    assert "改进措施：加强审核。" in problems.text(blocks)


RENUMBERED = (
        "某某县人民政府办公室2022年政府信息公开工作年度报告", "一、总体情况", "2022年，某某县认真贯彻落实《条例》。",
        "二、主动公开情况", "全年主动公开政府信息1200条。", "三、依申请公开情况", "全年收到申请12件。",
        "四、政府信息管理情况", "清理文件30件。", "五、平台建设情况", "网站运行平稳。", "六、监督保障情况", "开展培训3次。",
        "一、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数", "规章 0 0 0",
        "二、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量 10 2 0 0 0 0 12",
        "三、政府信息公开行政复议、行政诉讼情况", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "四、存在的主要问题及改进情况", "一是公开不够及时。", "五、其他需要报告的事项", "无。")


def test_narrative_numbered_one_to_six_then_the_tables_numbered_again():
    text = "\n".join(RENUMBERED)
    report = gaiextract.extract(text.encode(), format="txt")
    assert [(s.id, s.heading) for s in report.sections] == [
        ("overview", "一、总体情况"), ("proactive", "一、主动公开政府信息情况"),
        ("requests", "二、收到和处理政府信息公开申请情况"), ("review_litigation", "三、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "四、存在的主要问题及改进情况"), ("other", "五、其他需要报告的事项")]
    assert "六、监督保障情况" in report.section("overview").text


def test_sub_head_end_needs_evidence():
    assert sub_head_end("主动公开方面平潭综合实验区切实落实", G) == 6
    assert sub_head_end("其他方面工作。全年开展自查", G) == 6     # 方面 then a stop: the stop ends it
    assert sub_head_end("强化组织协调着力推动各项任务落地见效确保取得实效", G) is None


def test_sub_head_ends_after_its_last_heading_word():
    # flattened pages: the sub-head runs straight into its text (issue 20)
    assert sub_head_end("组织保障和监督考核召开专题会议研究部署政府信息公开工作", G) == 9
    assert sub_head_end("主动公开和依申请公开情况持续做好权责清单", G) == 12
    assert sub_head_end("政府信息公开平台建设依托微信公众号等政务新媒体", G) == 10
    assert sub_head_end("其他方面工作本街道高度重视政府信息公开", G) == 6  # not at 方面: 工作 goes on
    assert sub_head_end("强化组织领导，健全工作机制制定印发年度工作要点", G) == 13  # a second clause
    assert sub_head_end("政策解讀堅持政策文件與解讀材料同步組織", G) == 4  # traditional characters
    assert sub_head_end("公开平台建设见效。全年开展自查", G) == 8  # a stop close by ends it, not 建设
    assert sub_head_end("围绕工作重点，扎实推进主动公开根据国家要求", G) == 15  # no clause of two characters


def test_real_flat_pages_find_six_sections_and_the_overview_sub_heads():
    want = {"011_pingtan_2020_flat.txt": ["（一）强化组织协调，着力规范公开工作", "（二）围绕工作重点，扎实推进主动公开"],
            "014_pingtan_2023_flat.txt": ["（一）主动公开方面", "（二）依申请公开方面", "（三）政府信息管理方面",
                                          "（四）信息公开平台建设方面", "（五）监督保障方面"]}
    for name, subs in want.items():
        report = gaiextract.extract(REAL / name)
        assert [s.id for s in report.sections] == SIX, name
        assert [s.heading for s in report.section("overview").subsections] == subs
        # no heading carries the text or the table run into it
        assert all(len(s.heading) <= 30 for s in report.sections)


def test_a_year_after_a_heading_is_not_read_as_part_of_it():
    # a variant matched fuzzily never takes in the digits of the year that opens the text
    hit = tolerant_prefix("存在的问题和改进措施2025年，本镇政府信息公开工作还存在以下问题", ("存在的问题和改进措施",
                                                                     "存在的主要问题和改进措施"))
    assert hit == (10, 1.0)


def test_a_short_paragraph_opening_with_a_heading_that_runs_on_into_a_clause_is_cut():
    blocks = split_running_text([Paragraph(text=t) for t in BODY.split("六、")[:1]]
                                + [Paragraph(text="第六部分 其他需要报告事项本年度本镇未收取信息处理费，未发出收费通知。")], G)
    assert any(b.text == "第六部分 其他需要报告事项" for b in blocks)
    assert any(b.text.startswith("本年度本镇未收取信息处理费") for b in blocks)


def test_the_sentence_that_opens_a_list_of_measures_is_its_own_paragraph():
    from gaiextract.layout.runin import split_items

    text = ("存在的主要问题：（一）栏目更新不及时。（二）解读形式单一。针对上述问题，下一步改进措施："
            "（一）加强业务培训。（二）规范信息发布。")
    out = [b.text for b in split_items([Paragraph(text=text)], 0, 1)]
    assert "针对上述问题，下一步改进措施：" in out
    assert "（二）解读形式单一。" in out


def test_runin_and_sections_share_their_heading_rules_from_one_module():
    import ast
    import pathlib

    import pytest

    from gaiextract.layout import headings, runin, sections

    src = pathlib.Path(runin.__file__).read_text(encoding="utf-8")
    imported = {n.module for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)}
    assert "sections" not in imported  # no cycle: sections imports runin, both import headings
    assert runin._STOPS is headings.STOPS and runin._ITEM_AFTER is headings.STOPS
    assert sections.RUN_IN_STOPS is headings.STOPS
    with pytest.raises(ValueError):
        headings.HeadingSettings(clean_limit=1.5)
