import pytest

from gaiextract import grammar
from gaiextract.layout.classify import classify_subsection

G = grammar.load()


@pytest.mark.parametrize("heading,body,want", [
    ("（一）组织领导", "成立领导小组，明确分工。", "organization"),
    ("（四）教育培训", "组织开展条例专题培训2次。", "training"),
    ("（三）平台建设", "优化政府网站栏目，整合政务新媒体。", "platform"),
    ("（五）监督保障", "将政务公开纳入绩效考核。", "supervision"),
    ("（二）依申请公开", "全年受理申请12件，均按时答复。", "request_disclosure"),
    ("（六）政策解读", "围绕重点政策开展图解解读。", "policy_interpretation"),
    ("（四）信息管理", "开展规范性文件清理，严格保密审查。", "information_management"),
    ("（五）其他情况", "持续优化政府网站专栏，完成集约化平台迁移。", "platform"),
])
def test_top_category(heading, body, want):
    cats, scores = classify_subsection(heading, body, G)
    assert cats[0] == want
    assert all(0 <= s <= 1 for s in scores.values())


def test_two_topics_in_one_heading():
    cats, _ = classify_subsection("（二）主动公开和依申请公开情况", "主动公开信息276条。全年未受理申请。", G)
    assert set(cats[:2]) == {"proactive_disclosure", "request_disclosure"}


def test_nothing_recognisable_is_other():
    assert classify_subsection("（七）其他", "略。", G)[0] == ["other"]


def test_a_generic_heading_over_a_body_of_several_topics_is_other():
    g = grammar.load()
    cats, _ = classify_subsection("（二）主要做法", "一是加强组织领导。二是强化平台建设，及时发布政策解读。", g)
    assert cats == ["other"]
    cats, _ = classify_subsection("（二）主要做法", "坚持政策文件与解读方案同步部署，全年发布政策解读12篇，回应关切3次。", g)
    assert cats[0] == "policy_interpretation"  # the one topic its paragraph is about


def test_category_settings_are_checked():
    import dataclasses

    from gaiextract.grammar import GrammarError
    from gaiextract.layout.classify import CategorySettings

    g = grammar.load()
    assert CategorySettings.from_grammar(g).generic_min_share == 0.5
    for bad in ({"keep_ratio": 2}, {"fallback": "nothing"}, {"threshold": "1"}, {"body_char": 600},
                {"max_repeats": 0}):
        broken = dataclasses.replace(g, category_settings={**g.category_settings, **bad})
        with pytest.raises(GrammarError):
            classify_subsection("（一）组织领导", "", broken)
