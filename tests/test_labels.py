import pytest

from gaiextract.layout.labels import best_match, match_score, norm_label, strip_numbering


@pytest.mark.parametrize("raw,want", [
    ("三、本年度办理结果", "本年度办理结果"), ("（三）不予公开", "不予公开"), ("1.属于国家秘密", "属于国家秘密"),
    ("1．属于国家秘密", "属于国家秘密"), ("1、属于国家秘密", "属于国家秘密"), ("(1)自然人", "自然人"),
    ("第一部分 概述", "概述"), ("商业\n企业", "商业企业"), ("危及“三安全一稳定”", '危及"三安全一稳定"'),
    ("三、（一）予以公开", "予以公开"),
])
def test_norm_label(raw, want):
    assert norm_label(raw) == want


def test_numbers_inside_labels_survive():
    assert strip_numbering("2.重复申请") == "重复申请"
    assert norm_label("1,526") == "1,526"


def test_exact_beats_prefix_beats_fuzzy():
    exact = match_score("部分公开", ["部分公开"])
    prefix = match_score("部分公开(区分处理的)", ["部分公开"])
    typo = match_score("保护第三方合法权利", ["保护第三方合法权益"])
    assert exact == 1.0 > prefix > typo >= 0.7


def test_short_prefix_is_weak():
    assert match_score("其他", ["其他法律行政法规禁止公开"]) < 0.7


def test_best_match_threshold():
    opts = {"a": ["行政许可"], "b": ["行政处罚"]}
    assert best_match("行政处罚", opts)[0] == "b"
    assert best_match("政府集中采购", opts) is None
