import pytest

from dataclasses import replace

from gaiextract.grammar import NO_CONFUSIONS, GrammarError, LabelConfusions, load
from gaiextract.layout.labels import SETTINGS, LabelSettings, best_match, match_score, norm_label, strip_numbering

#: the shipped grammar's label confusions (what every call site passes down)
C = load().label_confusions


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
    exact = match_score("部分公开", ["部分公开"], confusions=C)
    prefix = match_score("部分公开(区分处理的)", ["部分公开"], confusions=C)
    typo = match_score("保护第三方合法权利", ["保护第三方合法权益"], confusions=C)
    assert exact == 1.0 > prefix > typo >= 0.7


def test_short_prefix_is_weak():
    assert match_score("其他", ["其他法律行政法规禁止公开"], confusions=C) < 0.7


def test_best_match_threshold():
    opts = {"a": ["行政许可"], "b": ["行政处罚"]}
    assert best_match("行政处罚", opts, confusions=C)[0] == "b"
    assert best_match("政府集中采购", opts, confusions=C) is None


def test_every_tolerance_is_a_named_setting():
    """The scores come from LabelSettings: changing a field changes the score."""
    assert match_score("部分公开(区分处理的)", ["部分公开"], confusions=C) == SETTINGS.prefix_score
    assert match_score("其他", ["其他法律行政法规禁止公开"], confusions=C) == SETTINGS.weak_prefix_score
    assert match_score("申请人撤回申请数量", ["撤回申请"], confusions=C) == SETTINGS.contained_score
    looser = replace(SETTINGS, weak_prefix_score=0.65, contained_score=0.86, fuzzy_scale=0.5)
    assert match_score("其他", ["其他法律行政法规禁止公开"], settings=looser, confusions=C) == 0.65
    assert match_score("申请人撤回申请数量", ["撤回申请"], settings=looser, confusions=C) == 0.86
    assert match_score("保护第三方权益", ["保护第三方合法权益"], confusions=C) == pytest.approx(14 / 16 * SETTINGS.fuzzy_scale)
    assert match_score("保护第三方权益", ["保护第三方合法权益"], settings=looser, confusions=C) == pytest.approx(14 / 16 * 0.5)
    assert best_match("行政处", {"a": ["行政处罚"]}, confusions=C) == ("a", SETTINGS.prefix_score)
    assert best_match("行政处", {"a": ["行政处罚"]}, settings=replace(SETTINGS, match_threshold=0.95), confusions=C) is None


@pytest.mark.parametrize("field,value", [("prefix_score", 1.5), ("fuzzy_scale", 0), ("clean_prefix_len", 0),
                                         ("substitution_min_len", 2.5), ("match_threshold", True)])
def test_label_settings_are_validated(field, value):
    with pytest.raises(ValueError, match=field):
        LabelSettings(**{field: value})


def test_the_grammar_is_a_keyword_no_positional_call_binds_it_by_mistake():
    """A call written for the signatures before confusions (a threshold third) fails
    loudly instead of taking the threshold for the confusion set."""
    with pytest.raises(TypeError, match="confusions"):
        best_match("行政处罚", {"a": ["行政处罚"]}, 0.7)
    with pytest.raises(TypeError, match="confusions"):
        match_score("行政处罚", ["行政处罚"])


def test_a_substitution_the_grammar_lists_scores_higher():
    opts = {"a": ("甲乙丙丁",), "b": ("甲乙丙戊",)}
    assert best_match("甲乙丙X", opts, confusions=NO_CONFUSIONS) is None  # equally near both: neither
    mine = LabelConfusions.of([("X", "丁")])
    assert best_match("甲乙丙X", opts, confusions=mine) == ("a", SETTINGS.confusion_score)
    assert best_match("甲乙丙X", {"a": ("甲乙丙丁",)}, confusions=NO_CONFUSIONS) == ("a", SETTINGS.substitution_score)
    assert ("雏", "维") in C and ("维", "雏") in C


def _grammar(tmp_path, text):
    d = tmp_path / "g"
    d.mkdir(exist_ok=True)
    (d / "tables.toml").write_text(text, encoding="utf-8")
    return d


def test_a_user_grammar_adds_a_confusion_pair_that_changes_a_match(tmp_path):
    d = _grammar(tmp_path, '[label_confusions]\npairs = ["X丁"]\n')
    user = load(d)
    assert ("X", "丁") in user.label_confusions and ("丁", "X") in user.label_confusions
    assert ("X", "丁") not in C
    assert ("雏", "维") in user.label_confusions  # the shipped pairs stay (lists extend)
    # the layouts the aligners match labels with carry the same set
    assert all(lay.confusions is user.label_confusions for spec in user.tables.values() for lay in spec.layouts)
    assert all(lay.confusions is C for spec in load().tables.values() for lay in spec.layouts)
    opts = {"a": ("甲乙丙丁",), "b": ("甲乙丙戊",)}
    assert best_match("甲乙丙X", opts, confusions=C) is None
    assert best_match("甲乙丙X", opts, confusions=user.label_confusions) == ("a", SETTINGS.confusion_score)


@pytest.mark.parametrize("text,needle", [
    ('[label_confusions]\npairs = ["XYZ"]\n', "key label_confusions.pairs[0]"),
    ('[label_confusions]\npairs = "XY"\n', "key label_confusions.pairs"),
    ('[label_confusions]\npairs = ["XX"]\n', "key label_confusions.pairs: 'XX' is not two different"),
    ('[label_confusions]\npair = ["XY"]\n', "label_confusions"),
])
def test_a_malformed_label_confusions_is_a_grammar_error(tmp_path, text, needle):
    d = _grammar(tmp_path, text)
    with pytest.raises(GrammarError) as e:
        load(d)
    msg = str(e.value)
    assert msg.startswith(str(d.resolve() / "tables.toml")) and needle in msg, msg


def test_an_option_index_answers_as_best_match_per_grammar_and_stays_bounded(monkeypatch):
    from gaiextract.layout import labels
    from gaiextract.layout.labels import OptionIndex

    opts = {"a": ("甲乙丙丁",), "b": ("甲乙丙戊",)}
    index = OptionIndex(opts)
    mine = LabelConfusions.of([("X", "丁")])
    # remembered per grammar: the shipped answer is not the user grammar's, nor the reverse
    assert index.best("甲乙丙X", 0.5, confusions=NO_CONFUSIONS) is None
    assert index.best("甲乙丙X", 0.5, confusions=mine) == ("a", SETTINGS.confusion_score)
    assert index.best("甲乙丙X", 0.5, confusions=NO_CONFUSIONS) is None
    for text in ("甲乙丙丁", "甲乙丙戊", "甲乙", "无关文字"):
        for t in (0.5, 0.9):
            assert index.best(text, t, confusions=C) == best_match(text, opts, t, confusions=C)
    monkeypatch.setattr(labels, "INDEX_MEMO_ENTRIES", 8)
    for i in range(50):
        index.best(f"标签{i}", 0.5, confusions=C)
    assert len(index._memo) <= 8
