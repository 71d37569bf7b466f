"""Users' own grammar directories: the generic merge, validation errors that name the
file, line and key, and --grammar on the command line (extract and batch)."""
import json
import subprocess
import sys

import pytest
from batch_support import subprocess_env
from conftest import CORPUS

from gaiextract.grammar import GRAMMAR_ENV, GrammarError, load, merge

#: a 2019-edition corpus report whose 六 says only 本局本年度无其他需要报告的事项。
REPORT = CORPUS / "txt" / "g02_txt.txt"
FEES_TOML = "[fees]\nnotices_patterns = ['开出缴费单{number}张']\n"


def _report_with(sentence: str, tmp_path):
    text = REPORT.read_text(encoding="utf-8").replace("本局本年度无其他需要报告的事项。", sentence)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _grammar(tmp_path, **files):
    d = tmp_path / "g"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / f"{name}.toml").write_text(text, encoding="utf-8")
    return d


def test_merge_extends_lists_by_identity_and_replaces_scalars():
    base = {"rows": [{"key": "a", "labels": ["x"]}, {"key": "b", "labels": ["y"]}],
            "settings": {"w": 1, "keep": 2}, "words": ["p"]}
    extra = {"rows": [{"key": "b", "labels": ["y2"]}, {"key": "c", "labels": ["z"]}],
             "settings": {"w": 5}, "words": ["q", "p"]}
    assert merge(base, extra) == {
        "rows": [{"key": "a", "labels": ["x"]}, {"key": "b", "labels": ["y", "y2"]},
                 {"key": "c", "labels": ["z"]}],
        "settings": {"w": 5, "keep": 2}, "words": ["p", "q"]}
    assert base["rows"][1]["labels"] == ["y"]  # the shipped data is not changed


def test_a_user_file_extends_the_shipped_one(tmp_path):
    d = _grammar(tmp_path, sections='[[section]]\nid = "other"\nvariants = ["需要说明的其他事项"]\n',
                 categories="[settings]\nthreshold = 2.5\n")
    shipped, user = load(), load(d)
    other = next(s for s in user.sections if s.id == "other")
    assert other.variants[-1] == "需要说明的其他事项" and other.role == "fees"
    assert len(user.sections) == len(shipped.sections) and user.checks == shipped.checks
    assert user.category_settings["threshold"] == 2.5
    assert user.category_settings["heading_boost"] == shipped.category_settings["heading_boost"]
    assert load(str(d)) is user and load(user) is user


@pytest.mark.parametrize("name,text,line,key,needle", [
    ("sections", '# roles\n[[section]]\nid = "other"\nrole = "fee"\n', 4, "section[0].role", "is not one of"),
    ("sections", '[[section]]\nid = "other"\nvarients = ["x"]\n', 1, "section[0]", "varients"),
    ("facts", "[fees]\n\nno_collection_patterns = ['未收取(']\n", 3, "fees.no_collection_patterns[0]",
     "not a valid pattern"),
    ("checks", '[[check]]\nid = "x.{column}"\ntable = "requests"\nleft = ["total"]\nright = ["new"]\n',
     1, "check[4]", "'rule' is a required property"),
    ("facts", "[fees\nunits = 1\n", 1, "", "Expected ']'"),
    ("facts", "[fees]\namount_collected_patterns = ['到账\\d+元']\n", 2,
     "fees.amount_collected_patterns[0]", "needs a capture group"),
])
def test_an_invalid_user_grammar_names_file_line_and_key(tmp_path, name, text, line, key, needle):
    d = _grammar(tmp_path, **{name: text})
    with pytest.raises(GrammarError) as e:
        load(d)
    msg = str(e.value)
    assert msg.startswith(str(d.resolve() / f"{name}.toml")), msg
    assert f"line {line}" in msg and needle in msg, msg
    if key:
        assert f"key {key}:" in msg, msg


def test_an_unknown_file_or_a_missing_directory_is_an_error(tmp_path):
    d = _grammar(tmp_path, fact="[fees]\n")
    with pytest.raises(GrammarError, match=r"fact\.toml: line 1: no shipped grammar file"):
        load(d)
    with pytest.raises(GrammarError, match="not a grammar directory"):
        load(tmp_path / "nope")


def test_extract_option_reads_a_fee_wording_only_with_the_user_grammar(tmp_path):
    doc = _report_with("本年度共开出缴费单7张。", tmp_path)
    d = _grammar(tmp_path, facts=FEES_TOML)
    cmd = [sys.executable, "-m", "gaiextract", "extract", str(doc)]
    plain = subprocess.run(cmd, capture_output=True, text=True, env=subprocess_env(), timeout=120, check=False)
    mine = subprocess.run(cmd + ["--grammar", str(d)], capture_output=True, text=True, env=subprocess_env(), check=False,
                          timeout=120)
    assert plain.returncode == 0 and mine.returncode == 0, mine.stderr
    assert json.loads(plain.stdout)["fees"]["notices"] is None
    assert json.loads(mine.stdout)["fees"]["notices"] == 7


def test_a_bad_grammar_on_the_command_line_is_one_line_and_status_2(tmp_path):
    d = _grammar(tmp_path, facts="[fees]\nnotices_patterns = 3\n")
    res = subprocess.run([sys.executable, "-m", "gaiextract", "extract", str(REPORT), "--grammar", str(d)],
                         capture_output=True, text=True, env=subprocess_env(), timeout=120, check=False)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert res.stderr.startswith(f"gaiextract: grammar: {d.resolve() / 'facts.toml'}: line 2: key fees.notices_patterns:")


def test_batch_option_hands_the_grammar_to_the_workers(tmp_path):
    doc = _report_with("本年度共开出缴费单4张。", tmp_path)
    d = _grammar(tmp_path, facts=FEES_TOML)
    out = tmp_path / "out.jsonl"
    env = subprocess_env()
    env.pop(GRAMMAR_ENV, None)
    res = subprocess.run([sys.executable, "-m", "gaiextract", "batch", str(doc), "--jsonl", str(out),
                          "--workers", "1", "--grammar", str(d), "--no-progress"],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    assert res.returncode == 0, res.stderr
    (rec,) = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
    assert rec["fees"]["notices"] == 4
    bad = _grammar(tmp_path, facts="[fees]\nnotices_patterns = ['(']\n")
    res = subprocess.run([sys.executable, "-m", "gaiextract", "batch", str(doc), "--jsonl", str(tmp_path / "b.jsonl"),
                          "--grammar", str(bad)], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert res.returncode == 2 and "facts.toml: line 2: key fees.notices_patterns[0]" in res.stderr
    assert not (tmp_path / "b.jsonl").exists()


# ------------------------------------------------------------------ agencies.toml and series.toml

#: a tie of the user's own: 本年新收申请 may not fall (the shipped series.toml has no such tie)
USER_TIE = ('[[tie]]\nid = "requests.new_grows"\ntable = "requests"\nthis = "new.total"\n'
            'previous = "new.total"\nrelation = "ge"\n')


def _year_record(year: int, new_total: int) -> dict:
    return {"report": {"agency": "某市某局", "year": year}, "sections": [],
            "tables": {"requests": {"cells": {"new.total": new_total}}}}


def test_a_user_series_toml_is_used(tmp_path):
    from gaiextract.yearly import series_of, ties

    d = _grammar(tmp_path, series=USER_TIE)
    records = [_year_record(2021, 5), _year_record(2022, 3)]
    assert "requests.new_grows" not in {t.id for t in ties()}
    assert not [c for c in series_of(records).checks if c.check == "requests.new_grows"]
    mine = [c for c in series_of(records, grammar=d).checks if c.check == "requests.new_grows"]
    assert [(c.previous_value, c.value, c.ok) for c in mine] == [(5, 3, False)]
    # the shipped ties are still there, extended, not replaced
    assert {t.id for t in ties()} < {t.id for t in ties(d)}


def test_a_user_agencies_toml_is_used(tmp_path, monkeypatch):
    from gaiextract.agencies import group_names, identity, normalise

    d = _grammar(tmp_path, agencies='[normalise]\nreplace = [["委员会", "委"]]\n')
    name = "某市发展和改革委员会"
    assert normalise(name) == name
    assert normalise(name, d) == "某市发展和改革委"
    assert normalise("某市人民政府", d) == "某市政府"  # the shipped pair still applies
    assert identity(name, 2022, grammar=d) == "某市发展和改革委/2022"
    assert group_names([name, "某市发展和改革委"], d)[name].key == "某市发展和改革委"
    monkeypatch.setenv(GRAMMAR_ENV, str(d))  # the default grammar named by the environment
    assert normalise(name) == "某市发展和改革委"


@pytest.mark.parametrize("name,text,needle", [
    ("agencies", '"[[["', "Expected '='"),
    ("series", '"[[["', "Expected '='"),
    ("series", "[[[", "Invalid"),
    ("series", '[[tie]]\nid = "x"\ntable = "requests"\nthis = "a"\nprevious = "b"\nrelation = "gt"\n',
     "line 6: key tie[0].relation"),
    ("series", '[[tie]]\nid = "x"\ntable = "no_such_table"\nthis = "a"\nprevious = "b"\nrelation = "eq"\n',
     "unknown table 'no_such_table'"),
    ("agencies", "[group]\nshort_form = '(区'\n", "missing )"),
])
def test_a_broken_agencies_or_series_toml_is_an_error_naming_the_file(tmp_path, name, text, needle):
    d = _grammar(tmp_path, **{name: text})
    with pytest.raises(GrammarError) as e:
        load(d)
    msg = str(e.value)
    assert msg.startswith(str(d.resolve() / f"{name}.toml")), msg
    assert needle in msg, msg


def test_report_section_knows_the_ids_of_the_grammar_it_was_extracted_with(tmp_path):
    import gaiextract
    from gaiextract.report import Report

    d = _grammar(tmp_path, sections='[[section]]\nid = "appendix"\nheading = "附件"\nvariants = ["附件"]\n')
    report = gaiextract.extract(REPORT, grammar=d)
    assert report.grammar is load(d)
    assert report.get_section("appendix") is None  # a section of this grammar the report lacks
    with pytest.raises(KeyError, match="appendix"):
        gaiextract.extract(REPORT).section("appendix")  # no such id in the shipped grammar
    with pytest.raises(KeyError):
        Report(source={}, grammar=load(d)).section("appendx")


# ------------------------------------------------------------------ column bounds (max_value)

#: the 2021 fees.amount column bound raised a hundredfold (万元 → a user's own unit)
USER_BOUND = '[[edition.2021.columns]]\nkey = "amount"\nmax_value = 100000000\n'


def test_a_column_bound_comes_from_the_table_grammar(tmp_path):
    shipped = load().tables["proactive"].value_bounds()
    assert shipped == {"fees.amount": 1_000_000.0, "procurement.amount": 1_000_000.0}
    assert load().tables["requests"].value_bounds() == {}
    user = load(_grammar(tmp_path, proactive=USER_BOUND)).tables["proactive"].value_bounds()
    assert user == {"fees.amount": 100_000_000.0, "procurement.amount": 1_000_000.0}


def test_the_ocr_reread_uses_the_bound_of_the_grammar_it_reads_with(tmp_path):
    """18923471 (万元) read by OCR breaks the shipped bound (re-read, then flagged); under a
    user grammar whose bound allows it, it breaks nothing and is left alone."""
    import gaiextract
    from gaiextract.pipeline import build_report
    from gaiextract.source import as_source
    from test_ocr_reread import AMOUNT, _amount_cell, _as_if_ocr

    d = _grammar(tmp_path, proactive=USER_BOUND)
    flagged = {}
    for name, grammar in (("shipped", None), ("user", d)):
        doc = gaiextract.read(AMOUNT)
        _as_if_ocr(doc)
        cell = _amount_cell(doc)
        cell.text = "18923471"
        asked = []
        doc.reread = lambda page, bbox, dpi, asked=asked: asked.append(bbox) or "?"
        out = build_report(doc, as_source(AMOUNT), grammar).to_dict()
        assert out["tables"]["proactive"]["cells"]["fees.amount"] == 18923471
        flagged[name] = ([(w["table"], w["key"]) for w in out["warnings"] if w["code"] == "ocr_suspect"], len(asked))
    assert flagged == {"shipped": ([("proactive", "fees.amount")], 1), "user": ([], 0)}


@pytest.mark.parametrize("text,needle", [
    ('[[edition.2021.columns]]\nkey = "amount"\nmax_value = -1\n', "max_value"),
    ('[[edition.2021.columns]]\nkey = "amount"\nmax_value = "1万"\n', "max_value"),
])
def test_a_bad_column_bound_is_a_grammar_error(tmp_path, text, needle):
    d = _grammar(tmp_path, proactive=text)
    with pytest.raises(GrammarError) as e:
        load(d)
    msg = str(e.value)
    assert msg.startswith(str(d.resolve() / "proactive.toml")) and needle in msg, msg


# ------------------------------------------------------------------ cells.toml (read once, not per grammar)

def test_the_cell_vocabulary_is_read_from_cells_toml():
    from gaiextract import values
    from gaiextract.grammar import shipped_file

    data = shipped_file("cells.toml")
    assert values.WORDS.placeholders == frozenset(data["placeholders"])
    assert values.SIGN_WORDS == tuple(data["sign_words"]) and values.DASH_MARKS == data["dash_marks"]
    assert values.parse_cell(data["placeholders"][-1]).kind == values.PLACEHOLDER
    assert values.parse_cell(data["unchanged_words"][0]).value == 0
    assert values.parse_cell(f"{data['negative_words'][0]}3").value == -3


def test_a_user_cells_toml_is_an_error_not_ignored(tmp_path):
    d = _grammar(tmp_path, cells='placeholders = ["n.a."]\n')
    with pytest.raises(GrammarError, match="cells.toml: line 1: cells.toml is read when gaiextract is imported"):
        load(d)


@pytest.mark.parametrize("data,needle", [
    ({"placeholders": "—"}, "key placeholders"),
    ({"dash_marks": ""}, "key dash_marks"),
    ({"negative_words": ["负"]}, "key negative_words"),
])
def test_a_broken_cells_toml_names_the_key(data, needle):
    from gaiextract.grammar import shipped_file
    from gaiextract.values import CellWords

    with pytest.raises(GrammarError, match=needle):
        CellWords.of({**shipped_file("cells.toml"), **data})


# ------------------------------------------------------------------ chrome.toml: the facts' page chrome

def test_the_facts_read_their_page_chrome_from_chrome_toml(tmp_path):
    import re

    shipped = load().facts
    assert {"标题", "题目", "名称"} == set(shipped.title_meta_keys)  # the header keys mapped to title
    assert shipped.meta_line.match("索引号：11430000/2021-00001") and shipped.meta_line.match("字号：大 中 小")
    d = _grammar(tmp_path, chrome='[facts]\nnot_agency_names = ["某某门户"]\n'
                                  '[lines.header_keys]\n"报告名" = "title"\n')
    user = load(d).facts
    assert "某某门户" in user.agency_not_names and "某某门户" not in shipped.agency_not_names
    assert "当前位置" in user.agency_not_names  # the shipped phrases stay
    assert "报告名" in user.title_meta_keys and user.meta_line.match("报告名：某局2021年报告")
    assert not shipped.meta_line.match("报告名：某局2021年报告")
    assert re.search("当前位置", shipped.title_chrome.pattern)


def test_a_facts_toml_of_the_old_shape_is_an_error_naming_the_key(tmp_path):
    d = _grammar(tmp_path, facts='[meta]\nother_keys = ["来源"]\n')
    with pytest.raises(GrammarError, match=r"facts.toml: line 1: key <top>: Additional properties"):
        load(d)
