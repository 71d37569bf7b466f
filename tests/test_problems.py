from gaiextract.layout.problems import split_problems


def test_inline_yishi_items_with_turn_paragraph():
    p, m = split_problems(["存在以下不足：一是解读不足；二是时效不够；三是渠道不畅。",
                           "针对上述问题，我们将：一是深化解读；二是优化机制。"])
    assert len(p) == 3 and len(m) == 2
    assert p[0].startswith("一是解读不足")


def test_turn_inside_one_paragraph():
    p, m = split_problems(["存在的问题：一是公开不及时；二是解读不够。下一步，我们将一是加强审核；二是强化解读；三是提升能力。"])
    assert (len(p), len(m)) == (2, 3)


def test_numbered_subheadings_and_items():
    p, m = split_problems(["（一）存在的问题", "1.公开深度不够。", "2.解读形式单一。", "（二）改进措施",
                           "1.加大公开力度。", "2.丰富解读形式。", "3.加强培训。"])
    assert (len(p), len(m)) == (2, 3)


def test_single_unnumbered_problem():
    p, m = split_problems(["公开内容还不够全面。", "下一步将继续加强公开工作。"])
    assert (len(p), len(m)) == (1, 1)


def test_turn_announced_by_the_measures_sentence():
    p, m = split_problems(["2020年，本街道存在以下不足：一是栏目设置不科学；二是更新不及时。",
                           "2021年，本街道将采取以下措施加以改进：一是丰富解读；二是纳入考核；三是推进标准化。"])
    assert (len(p), len(m)) == (2, 3)


def test_a_user_grammar_adds_a_turn_phrase_and_an_item_mark(tmp_path):
    (tmp_path / "problems.toml").write_text(
        "turn_patterns = ['展望来年']\nitem_patterns = ['(?:^|[。；;：])其({numeral})[，,]']\n", encoding="utf-8")
    paras = ["其一，信息发布不够及时。其二，解读形式单一。", "展望来年：其一，完善发布机制。其二，丰富解读形式。"]
    problems, measures = split_problems(paras)
    assert measures == []  # the shipped grammar knows neither wording
    problems, measures = split_problems(paras, str(tmp_path))
    assert problems == ["一，信息发布不够及时", "二，解读形式单一"]
    assert measures == ["一，完善发布机制", "二，丰富解读形式"]
