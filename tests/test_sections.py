from gaiextract import grammar
from gaiextract.layout.sections import find_sections, find_subsections, numeral, split_heading
from gaiextract.pipeline import read

from conftest import FIXTURES

G = grammar.load()


def _sections(name):
    doc = read(FIXTURES / "txt" / name)
    return doc, find_sections(doc.blocks, G)


def test_numerals():
    assert [numeral(x) for x in ("一", "九", "十", "十一", "二十", "二十三", "7")] == [1, 9, 10, 11, 20, 23, 7]


def test_run_in_heading_is_split_from_its_text():
    c = split_heading("六、其他需要报告的事项。本年度未收取费用。", "dun")
    assert c.heading == "六、其他需要报告的事项" and c.rest == "本年度未收取费用。"
    assert split_heading("一、总体情况", "dun").rest == ""
    # a long sentence with no early stop is no heading
    assert split_heading("二、" + "很长的正文" * 20, "dun") is None


def test_part_numbering_and_run_in_overview():
    doc, spans = _sections("part_numbered_runin.txt")
    assert [s.id for s in spans] == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    ov = spans[0]
    assert ov.heading == "第一部分 概述" and ov.rest.startswith("2022年")
    subs = find_subsections(doc.blocks, ov)
    assert [s.heading for s in subs] == ["1.组织领导", "2.平台建设"]
    assert subs[0].text(doc.blocks) == "成立领导小组。"


def test_reworded_headings_and_stray_numbering():
    doc, spans = _sections("reworded_headings.txt")
    assert [s.id for s in spans] == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    subs = find_subsections(doc.blocks, spans[0])
    # "1、第一项不是小标题" is an item of another family, not a third subsection
    assert [s.heading for s in subs] == ["（一）组织保障", "（二）强化业务培训"]
    assert spans[-1].heading == "六、其他需要报告的事项"
