"""Three real reports as archives hold them (fixtures/real, copied from ../shared/real-sample):
two pages saved by a site archiver with the body on one line and table cells run together,
one OCR/LLM Markdown conversion with broken tables. Compared with the values read by hand,
by the rules of ../shared/tools/compare_expected.py: every cell (an ``ambiguous_in_text``
cell may be the true value or null with ``cell_ambiguous``), the six sections in order,
year, edition, agency, fees, the overview's subsections and the failing checks."""
import unicodedata

import pytest
from conftest import FIXTURES, load_json

import gaiextract
from gaiextract.schema import errors as schema_errors

REAL = FIXTURES / "real"
NAMES = ["011_pingtan_2020_flat", "014_pingtan_2023_flat", "030_shuyang_county_2025_ocr_md"]


def _norm(s):
    return "".join(unicodedata.normalize("NFKC", s or "").split()).rstrip("。.:：")


def compare(out: dict, exp: dict) -> list[str]:
    """The differences compare_expected.py reports (same rules, as a list)."""
    diffs = []
    skip = set(exp.get("uncertain", []))
    ambiguous = set(exp.get("ambiguous_in_text", []))
    flagged = {(w.get("table"), w.get("key")) for w in out.get("warnings") or []
               if w.get("code") == "cell_ambiguous"}
    for table, cells in exp["tables"].items():
        got = ((out.get("tables") or {}).get(table) or {}).get("cells") or {}
        for key, want in cells.items():
            name = f"tables.{table}.{key}"
            have = got.get(key, "<missing>")
            if name in skip or have == want or (name in ambiguous and have is None and (table, key) in flagged):
                continue
            diffs.append(f"{name}: want {want!r} got {have!r}")
    got_ids = [s["id"] for s in out["sections"]]
    if got_ids != exp["section_ids"]:
        diffs.append(f"sections: want {exp['section_ids']} got {got_ids}")
    for k in ("year", "edition", "agency"):
        if out["report"].get(k) != exp["report"][k]:
            diffs.append(f"report.{k}: want {exp['report'][k]!r} got {out['report'].get(k)!r}")
    for k, want in exp["fees"].items():
        if f"fees.{k}" not in skip and out["fees"].get(k) != want:
            diffs.append(f"fees.{k}: want {want!r} got {out['fees'].get(k)!r}")
    subs = {_norm(sub["heading"]): sub["categories"] for s in out["sections"] for sub in s.get("subsections") or []}
    for sub in exp["subsections"]:
        cats = subs.get(_norm(sub["heading"]))
        if not cats or cats[0] not in sub["categories"]:
            diffs.append(f"subsection {sub['heading']}: want one of {sub['categories']} first, got {cats}")
    got_fail = sorted(c["id"] for c in out["checks"] if c.get("ok") is False)
    if got_fail != sorted(exp["failing_checks"]):
        diffs.append(f"failing checks: want {sorted(exp['failing_checks'])} got {got_fail}")
    return diffs


@pytest.mark.parametrize("name", NAMES)
def test_real_sample_matches_its_expected_values(name):
    out = gaiextract.extract(REAL / f"{name}.txt").to_dict()
    assert schema_errors(out) == []
    diffs = compare(out, load_json(REAL / f"{name}.expected.json"))
    assert not diffs, "\n".join(diffs[:40])


def test_the_comparison_can_fail():
    out = gaiextract.extract(REAL / "014_pingtan_2023_flat.txt").to_dict()
    exp = load_json(REAL / "014_pingtan_2023_flat.expected.json")
    out["tables"]["review_litigation"]["cells"]["review.total"] = 3
    out["sections"] = out["sections"][1:]
    # an ambiguous cell is right only as its true value or null *with* a cell_ambiguous warning
    key = exp["ambiguous_in_text"][0].split(".", 2)[2]
    out["tables"]["proactive"]["cells"][key] = None
    out["warnings"] = [w for w in out["warnings"] if w.get("code") != "cell_ambiguous"]
    diffs = compare(out, exp)
    assert any(d.startswith("tables.review_litigation.review.total") for d in diffs)
    assert any(d.startswith("sections:") for d in diffs)
    assert any(d.startswith(f"tables.proactive.{key}") for d in diffs)


def test_agency_is_never_taken_from_markdown_marks_or_chrome():
    report = gaiextract.extract(REAL / "030_shuyang_county_2025_ocr_md.txt")
    assert report.agency == "沐阳县人民政府" and not report.title.startswith("#")
    for name in NAMES[:2]:
        report = gaiextract.extract(REAL / f"{name}.txt")
        assert report.agency == "平潭综合实验区"
        assert report.title.startswith("平潭综合实验区") and "标题" not in report.title
