from gaiextract import grammar


def test_grammar_loads_and_describes_the_contract():
    g = grammar.load()
    assert [s.id for s in g.sections] == ["overview", "proactive", "requests", "review_litigation",
                                          "problems", "other"]
    assert set(g.editions) == {"2021", "2019"}
    assert len(g.proactive["2021"].keys) == 10
    assert len(g.proactive["2019"].keys) == 22
    assert g.requests.leaf_keys() == ["natural_person", "enterprise", "research", "nonprofit",
                                      "legal_service", "other_org", "total"]
    assert len(g.review_litigation.leaf_keys()) == 15
    rows_2021 = [r.key for r in g.requests.rows]
    assert len(rows_2021) == 25 and "other_handling.other" in rows_2021
    assert {c.id for c in g.categories} >= {"organization", "training", "platform"}


def test_grammar_error_is_loud(monkeypatch):
    import pytest

    monkeypatch.setattr(grammar, "_read", lambda name: {"section": [{"heading": "x"}]})
    with pytest.raises(grammar.GrammarError, match="missing 'id'"):
        grammar._load_sections()
