from gaiextract import grammar


def test_grammar_loads_and_describes_the_contract():
    g = grammar.load()
    assert [s.id for s in g.sections] == ["overview", "proactive", "requests", "review_litigation",
                                          "problems", "other"]
    assert set(g.editions) == {"2021", "2019"}
    assert list(g.tables) == ["proactive", "requests", "review_litigation"]
    pro = {lay.edition: lay for lay in g.tables["proactive"].layouts}
    assert len(pro["2021"].keys) == 10
    assert len(pro["2019"].keys) == 22
    req = g.tables["requests"].layout()
    assert req.leaf_keys() == ["natural_person", "enterprise", "research", "nonprofit",
                               "legal_service", "other_org", "total"]
    assert len(g.tables["review_litigation"].layout().leaf_keys()) == 15
    rows_2021 = [r.key for r in req.rows]
    assert len(rows_2021) == 25 and "other_handling.other" in rows_2021
    assert [c.id for c in g.tables["review_litigation"].checks] == ["review_litigation.{group}"]
    assert g.tables["review_litigation"].variants >= {"transposed", "split"}
    assert {c.id for c in g.categories} >= {"organization", "training", "platform"}


def test_grammar_error_is_loud():
    import pytest

    class Files(grammar.GrammarFiles):
        def read(self, name):
            return {"section": [{"heading": "x"}]} if name == "sections.toml" else super().read(name)

    with pytest.raises(grammar.GrammarError, match="missing 'id'"):
        grammar.build(Files())


def test_every_shipped_grammar_file_has_a_schema_and_validates():
    from importlib import resources

    names = sorted(p.name for p in resources.files("gaiextract").joinpath("grammars").iterdir()
                   if p.name.endswith(".toml"))
    assert {"sections.toml", "facts.toml", "problems.toml", "checks.toml"} <= set(names)
    for name in names:
        assert grammar.file_schema(name) is not None, name
        text = grammar._shipped_text(name)
        grammar._validate(grammar._parse(text, name), name, name, text, partial=False)
    # and the schemas are strict enough to catch a typo
    import pytest
    bad = grammar._parse(grammar._shipped_text("sections.toml"), "sections.toml")
    bad["section"][0]["varients"] = ["x"]
    with pytest.raises(grammar.GrammarError, match=r"sections.toml: line \d+: key section\[0\]"):
        grammar._validate(bad, "sections.toml", "sections.toml", grammar._shipped_text("sections.toml"), False)
