"""docs/grammar.md's worked example, run as written.

The four user grammar files are read from the page itself (the ```toml blocks whose
first line names ``my-grammar/<file>``), written to a temporary directory, and used on
a corpus report edited to print the four local wordings. Expected values come from
the edit (the corpus report's own numbers, the fee sentence we wrote), never from
gaiextract's output.
"""
import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS

import gaiextract
from gaiextract.grammar import GrammarError, load

DOC = Path(__file__).resolve().parent.parent / "docs" / "grammar.md"
REPORT = CORPUS / "txt" / "g02_txt.txt"  # a 2019-edition report whose 六 states no fees
FEE_SENTENCE = "本年度共开出缴费单2张，缴费单金额合计60元，到账60元。"


def user_files() -> dict:
    """file name -> TOML text, from the page's ```toml blocks headed '# my-grammar/<file>'."""
    blocks = re.findall(r"```toml\n# my-grammar/(\S+)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    return {name: body for name, body in blocks}


def local_report() -> bytes:
    text = REPORT.read_text(encoding="utf-8")
    edits = [("五、存在的主要问题及改进情况", "五、短板弱项及提升举措"),
             ("4.保护第三方合法权益", "4.涉及第三方正当权益"),
             ("其他对外管理服务事项", "便民服务事项"),
             ("本局本年度无其他需要报告的事项。", FEE_SENTENCE)]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def grammar_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("my-grammar")
    files = user_files()
    assert set(files) == {"sections.toml", "requests.toml", "proactive.toml", "facts.toml"}
    for name, body in files.items():
        (d / name).write_text(body, encoding="utf-8")
    return d


def test_the_shipped_grammar_misses_the_local_wordings():
    r = gaiextract.extract(local_report(), format="txt").to_dict()
    # 五's local heading is not known (the section may still open at its sub-head
    # （一）存在的主要问题, as a report without a heading of 五 does: docs/scraped.md)
    assert "五、短板弱项及提升举措" not in [s["heading"] for s in r["sections"]]
    assert not any(k.startswith("withheld.third_party.") for k in r["tables"]["requests"]["cells"])
    assert not any(k.startswith("other_services.") for k in r["tables"]["proactive"]["cells"])
    assert r["fees"] == {"notices": None, "amount_notified": None, "amount_collected": None}


def test_the_worked_example_reads_them_with_the_user_grammar(grammar_dir):
    expected = json.loads(REPORT.with_suffix(".expected.json").read_text(encoding="utf-8"))
    r = gaiextract.extract(local_report(), format="txt", grammar=grammar_dir).to_dict()
    assert [s["id"] for s in r["sections"]] == expected["section_ids"]
    req, pro = r["tables"]["requests"]["cells"], r["tables"]["proactive"]["cells"]
    for key, want in expected["tables"]["requests"].items():
        if key.startswith("withheld.third_party."):
            assert req[key] == want, key
    for key, want in expected["tables"]["proactive"].items():
        if key.startswith("other_services."):
            assert pro[key] == want, key
    assert r["fees"] == {"notices": 2, "amount_notified": 60, "amount_collected": 60}
    assert not [w for w in r["warnings"] if w["code"] in ("row_unmatched", "section_not_found")]


def test_the_user_grammar_extends_without_copying(grammar_dir):
    shipped, user = load(), load(grammar_dir)
    assert load(grammar_dir) is user  # loaded once per directory
    problems = next(s for s in user.sections if s.id == "problems")
    assert problems.heading == next(s for s in shipped.sections if s.id == "problems").heading
    assert len(problems.variants) == len(next(s for s in shipped.sections if s.id == "problems").variants) + 1
    assert len(user.facts.fees.notices) == len(shipped.facts.fees.notices) + 1
    assert [s.id for s in user.sections] == [s.id for s in shipped.sections]


def test_the_error_shown_on_the_page_is_what_a_bad_pattern_gives(tmp_path):
    (tmp_path / "facts.toml").write_text("# a fee wording\n[fees]\nnotices_patterns = ['(']\n", encoding="utf-8")
    with pytest.raises(GrammarError) as e:
        load(tmp_path)
    msg = str(e.value)
    assert msg.startswith(f"{tmp_path.resolve() / 'facts.toml'}: line 3: key fees.notices_patterns[0]:")
    assert "not a valid pattern" in msg
    shown = re.search(r"gaiextract: grammar: \S+facts.toml: (line 3: key fees\.notices_patterns\[0\]: [^\n]+)",
                      DOC.read_text(encoding="utf-8"))
    assert shown and shown.group(1) == msg.split("facts.toml: ", 1)[1]
