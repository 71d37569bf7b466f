"""The corpus builder: deterministic content, expected values that agree with the printed
tables and with the spec's check rules, flattening that never prints a value twice."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.builder import render_txt  # noqa: E402
from corpus.builder.content import generate_specs  # noqa: E402
from corpus.builder.expected import failing_checks  # noqa: E402
from corpus.builder.labels import (PROACTIVE_KEYS_2019, PROACTIVE_KEYS_2021, REVIEW_KEYS,  # noqa: E402
                                   request_keys)
from corpus.builder.model import TableSpec  # noqa: E402

SPECS = generate_specs()
PLACEHOLDERS = {"", "—", "——", "/", "／", "无", "－", "-"}


def _other_single(spec):
    return "requests" in spec.expected["tables"] and \
        "other_handling.total" in spec.expected["tables"]["requests"]


def _read_number(text):
    """Read a printed value cell independently of the generator's Printer."""
    s = unicodedata.normalize("NFKC", text).strip()
    if s in PLACEHOLDERS:
        return None
    s = re.sub(r"[(（].*$", "", s)  # annotation: 22（其中修订16件）
    s = re.sub(r"(件|万元)$", "", s)
    s = s.replace(",", "").replace("增加", "+")
    return float(s) if "." in s else int(s)


def test_generation_is_deterministic():
    again = generate_specs()
    assert [json.dumps(s.expected, ensure_ascii=False, sort_keys=True) for s in SPECS] == \
           [json.dumps(s.expected, ensure_ascii=False, sort_keys=True) for s in again]
    assert [render_txt.render_lines(s, render_txt.style_for(s)) for s in SPECS] == \
           [render_txt.render_lines(s, render_txt.style_for(s)) for s in again]


def test_enough_specs_of_both_editions():
    editions = [s.edition for s in SPECS]
    assert len(SPECS) >= 30
    assert 12 <= editions.count("2019") and 12 <= editions.count("2021")
    assert {s.expected["report"]["year"] for s in SPECS if s.edition == "2019"} <= {2019, 2020}
    assert {s.expected["report"]["year"] for s in SPECS if s.edition == "2021"} <= set(range(2021, 2026))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.doc_id)
def test_key_sets_follow_the_spec(spec):
    tables = spec.expected["tables"]
    if spec.edition == "2021":
        assert list(tables["proactive"]) == PROACTIVE_KEYS_2021
    else:
        assert list(tables["proactive"]) == PROACTIVE_KEYS_2019
    single = _other_single(spec)
    assert single or spec.edition == "2021"
    assert list(tables["requests"]) == request_keys(single)
    assert len(tables["requests"]) == (161 if single else 175)
    assert list(tables["review_litigation"]) == REVIEW_KEYS


def test_key_counts():
    assert len(request_keys(False)) == 175 and len(request_keys(True)) == 161
    assert len(PROACTIVE_KEYS_2021) == 10 and len(PROACTIVE_KEYS_2019) == 22 and len(REVIEW_KEYS) == 15
    # a few 2021 reports print （六）其他处理 as one row
    assert any(s.edition == "2021" and _other_single(s) for s in SPECS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.doc_id)
def test_failing_checks_are_exactly_the_deliberate_breaks(spec):
    exp = spec.expected
    declared = exp["notes"]["break_checks"]  # what each break must fail, stated by hand
    assert sorted(failing_checks(exp["tables"])) == sorted(declared)
    assert sorted(exp["failing_checks"]) == sorted(declared)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.doc_id)
def test_each_topic_heads_one_subsection_at_most(spec):
    cats = [c for sub in spec.expected["subsections"] for c in sub["categories"]]
    assert len(cats) == len(set(cats))


def test_some_reports_break_their_arithmetic():
    broken = [s for s in SPECS if s.expected["failing_checks"]]
    assert 5 <= len(broken) <= 10
    kinds = {c.split(".")[1] if c.startswith("requests") else "review" for s in broken
             for c in s.expected["failing_checks"]}
    assert {"balance", "outcomes", "applicants", "review"} <= kinds


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.doc_id)
def test_printed_cells_read_back_as_the_expected_values(spec):
    for table in spec.tables():
        expected = spec.expected["tables"][table.name]
        seen = {}
        for row in table.rows:
            for cell in row:
                if cell.key:
                    seen[cell.key] = _read_number(cell.text)
        assert seen == expected


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.doc_id)
def test_flattening_never_doubles_a_value(spec):
    for table in spec.tables():
        width = table.width()
        for repeat in (True, False):
            flat = table.flattened(repeat_labels=repeat)
            assert all(len(r) == width for r in flat.rows)
            assert all(c.rowspan == 1 and c.colspan == 1 for r in flat.rows for c in r)
            keys = [c.key for r in flat.rows for c in r if c.key]
            assert len(keys) == len(set(keys)) == len(spec.expected["tables"][table.name])
            values = {c.key: c.text for r in flat.rows for c in r if c.key}
            originals = {c.key: c.text for r in table.rows for c in r if c.key}
            assert values == originals


def test_flattening_repeats_labels_and_blanks_value_spans():
    from corpus.builder.model import GridCell
    t = TableSpec("proactive", [[GridCell("第二十条第（五）项", colspan=4)],
                                [GridCell("行政许可"), GridCell("12", colspan=3, key="licensing.decisions")]])
    assert [[c.text for c in r] for r in t.flattened().rows] == \
        [["第二十条第（五）项"] * 4, ["行政许可", "12", "", ""]]
    assert [[c.text for c in r] for r in t.flattened(repeat_labels=False).rows][0] == \
        ["第二十条第（五）项", "", "", ""]


def test_checker_counts_null_as_zero_and_skips_missing():
    req = {f"{r}.{c}": 0 for r in ("new", "carried_in", "disclosed", "total", "carried_out")
           for c in ("natural_person", "total")}
    req.update({"new.natural_person": 3, "new.total": 3, "disclosed.natural_person": 3,
                "disclosed.total": 3, "total.natural_person": 3, "total.total": 3,
                "carried_in.natural_person": None})
    assert failing_checks({"requests": req}) == []
    req["carried_out.total"] = 1
    assert failing_checks({"requests": req}) == ["requests.balance.total", "requests.applicants.carried_out"]
    rev = {"review.upheld": 1, "review.total": 1, "suit_direct.total": 2}
    assert failing_checks({"review_litigation": rev}) == ["review_litigation.suit_direct"]
    assert failing_checks({"review_litigation": {}}) == []


def test_variation_is_covered():
    exp = [s.expected for s in SPECS]
    titles = {s.style["title_style"] for s in SPECS}
    assert {"one_line", "two_lines", "paren", "year_first", "none_body", "none_anon"} <= titles
    assert any(e["report"]["agency"] is None and e["report"]["title"] is None for e in exp)
    assert any(e["report"]["agency"] and e["report"]["title"] is None for e in exp)
    assert any(s.meta_lines for s in SPECS)
    headings = {h for e in exp for h in e["section_headings"].values()}
    assert any(h.startswith("第一部分") for h in headings) and any(h.startswith("1.") for h in headings)
    assert any(len(e["section_ids"]) == 5 for e in exp)
    assert any(sec.inline for s in SPECS for sec in s.sections)
    values = [v for e in exp for t in e["tables"].values() for v in t.values()]
    assert None in values and any(isinstance(v, float) for v in values) and any(v and v < 0 for v in values)
    assert any(v and v >= 1000 for v in values)
    cells = [c.text for s in SPECS for t in s.tables() for r in t.rows for c in r if c.key]
    assert any(re.search("[０-９]", c) for c in cells) and any("," in c for c in cells)
    assert any("（其中" in c or "（含" in c for c in cells) and any(c.startswith("+") for c in cells)
    assert any(c.endswith("件") for c in cells) and any(c.endswith("万元") for c in cells)
    fees = [tuple(e["fees"].values()) for e in exp]
    assert (None, None, None) in fees and (0, 0, 0) in fees and any(f[0] and f[0] > 0 for f in fees)
    cats = [c for e in exp for sub in e["subsections"] for c in sub["categories"]]
    assert set(cats) >= {"proactive_disclosure", "request_disclosure", "information_management", "platform",
                         "supervision", "organization", "training", "policy_interpretation"}
    assert any(len(sub["categories"]) == 2 for e in exp for sub in e["subsections"])
    assert all(3 <= len(e["subsections"]) <= 6 for e in exp)


def test_txt_rendering_reads_back_with_the_text_reader():
    from gaiextract.document import Table
    from gaiextract.readers.text import parse_flattened
    for spec in SPECS:
        style = render_txt.style_for(spec)
        blocks = parse_flattened("\n".join(render_txt.render_lines(spec, style)) + "\n")
        tables = [b for b in blocks if isinstance(b, Table)]
        assert len(tables) == 3, spec.doc_id
        for got, want in zip(tables, spec.tables()):
            flat = style in ("txt_flat", "txt_flatblank")
            want_rows = want.flattened().rows if flat else want.rows
            assert len(got.grid) == len(want_rows), spec.doc_id
            for grow, wrow in zip(got.grid, want_rows):
                assert len(grow) == len(wrow)


def test_committed_txt_corpus_is_what_the_builder_makes(tmp_path):
    """Running the build script from another directory reproduces corpus/txt byte for byte."""
    subprocess.run([sys.executable, str(ROOT / "corpus" / "build.py"), "--formats", "txt",
                    "--out", str(tmp_path)], check=True, cwd=tmp_path, capture_output=True)
    made = sorted(p.name for p in (tmp_path / "txt").iterdir())
    committed = sorted(p.name for p in (ROOT / "corpus" / "txt").iterdir() if not p.name.startswith("seed_"))
    assert made == committed and len(made) >= 40
    for name in made:
        assert (tmp_path / "txt" / name).read_bytes() == (ROOT / "corpus" / "txt" / name).read_bytes(), name


def test_expected_files_have_the_sample_shape():
    for path in sorted((ROOT / "corpus" / "txt").glob("g*.expected.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        assert set(rec) >= {"document", "format", "style", "report", "section_ids", "section_headings",
                            "subsections", "tables", "fees", "problems_count", "measures_count",
                            "failing_checks", "notes"}
        assert (path.parent / rec["document"]).exists()
        assert set(rec["report"]) == {"title", "agency", "year", "edition"}
        assert list(rec["section_headings"]) == rec["section_ids"]


def test_fee_sentences_come_in_at_least_twelve_wordings():
    from corpus.builder.fee_wordings import WORDINGS, fee_specs
    derived = fee_specs(SPECS)
    assert len(derived) == len(WORDINGS) >= 12
    assert len({w[0] for w in WORDINGS}) == len({w[1] for w in WORDINGS}) == len(WORDINGS)
    committed = sorted(p.name for p in (ROOT / "corpus" / "txt").glob("*_txt_fees.txt"))
    assert committed == sorted(f"{s.doc_id}_txt_fees.txt" for s in derived)
    for spec, (wid, _, values) in zip(derived, WORDINGS):
        (other,) = [s for s in spec.sections if s.id == "other"]
        assert len(other.body) == 1 and spec.expected["notes"]["fee_style"] == f"wording:{wid}"
        assert tuple(spec.expected["fees"].values()) == values
    texts = "".join(w[1] for w in WORDINGS)
    for wording in ("万元", "涉及金额", "收费总金额", "实收", "收费通知书", "一百五十", "两件",
                    "无收取信息处理费情况", "未发出收费通知", "０", "1,200"):
        assert wording in texts, wording
    # the originals keep their text: only derived documents carry the new wordings
    assert all(s.expected["notes"]["fee_style"] != "wording" for s in SPECS)
