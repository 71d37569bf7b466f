import pytest

from gaiextract.values import BLANK, NUMBER, PLACEHOLDER, TEXT, parse_cell


@pytest.mark.parametrize("text,value", [
    ("0", 0), ("16", 16), ("1,526", 1526), ("1，526", 1526), ("１２３", 123), ("12 件", 12),
    ("22（其中修订16件）", 22), ("55(含自然失效29件)", 55), ("176.7", 176.7), ("12.5万元", 12.5),
    ("+3", 3), ("-2", -2), ("－2", -2), ("增加2", 2), ("减少2", -2), ("〇", 0), ("零", 0), (" 7 ", 7),
    ("1\n234", 1234),
])
def test_numbers(text, value):
    v = parse_cell(text)
    assert v.kind == NUMBER
    assert v.value == value
    assert type(v.value) is type(value)


@pytest.mark.parametrize("text", ["—", "——", "－", "/", "／", "无", "空", "-", "一"])
def test_placeholders_are_null_not_zero(text):
    v = parse_cell(text)
    assert v.kind == PLACEHOLDER and v.value is None


@pytest.mark.parametrize("text", ["", "   ", "\u3000", None])
def test_blank(text):
    assert parse_cell(text).kind == BLANK


@pytest.mark.parametrize("text", ["1.属于国家秘密", "本年增/减", "(cid:12)", "十二", "O", "12a", "\ufffd\ufffd"])
def test_text_is_never_a_guess(text):
    v = parse_cell(text)
    assert v.kind == TEXT and v.value is None
