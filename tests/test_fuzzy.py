import pytest

from gaiextract import grammar
from gaiextract.layout.fuzzy import profiles
from gaiextract.layout.sections import find_sections
from gaiextract.pipeline import read

from conftest import FIXTURES

G = grammar.load()


@pytest.mark.parametrize("heading,want", [
    ("工作概况", "overview"),
    ("依法受理和答复政府信息公开申请情况", "requests"),
    ("行政复议和行政诉讼情况", "review_litigation"),
    ("问题与不足及改进措施", "problems"),
    ("主动公开工作", "proactive"),
])
def test_profiles_pick_the_section(heading, want):
    assert profiles(G).best(heading)[0] == want


def test_unrelated_heading_matches_nothing():
    assert profiles(G).best("年度大事记") is None


def test_document_with_reworded_headings():
    doc = read(FIXTURES / "txt" / "fuzzy_headings.txt")
    assert [s.id for s in find_sections(doc.blocks, G)] == [
        "overview", "proactive", "requests", "review_litigation", "problems", "other"]


def test_a_grammar_object_is_freed_with_its_section_profiles():
    """The profiles are kept per grammar object and dropped when it is freed: they must not
    hold the grammar themselves (they did: every grammar a long-running service read with
    stayed in memory, with its jieba tokenizer)."""
    import gc

    from gaiextract import grammar as grammar_mod
    from gaiextract.layout import fuzzy, tokens

    before = (len(fuzzy._profiles), len(tokens._tokenizers))
    g = grammar_mod.build()
    fuzzy.profiles(g)
    assert len(fuzzy._profiles) == before[0] + 1
    del g
    gc.collect()
    assert (len(fuzzy._profiles), len(tokens._tokenizers)) == before
