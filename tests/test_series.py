"""Year-over-year series checks (issue 16): an agency's consecutive reports.

The reports are made here from one corpus document (corpus/txt/g01_txt_cells.txt,
北京市通州区人民政府办公室 2022) by rewriting its years, its agency and the printed
rows that the template ties across years; every expected value below is the text
this test wrote, never gaiextract's output.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from batch_support import CORPUS, subprocess_env
from sqlalchemy import create_engine, text

import gaiextract
from gaiextract.agencies import group_names, normalise
from gaiextract.sinks.sql import SqlSink, normalize_url

BASE = CORPUS / "txt" / "g01_txt_cells.txt"
AGENCY = "北京市通州区人民政府办公室"
CARRIED_OUT = "四、结转下年度继续办理 0 0 0 0 0 0 0"
CARRIED_IN = "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0"
REVIEW = "\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
REVIEW_HEADING = "四、政府信息公开行政复议、行政诉讼情况\n"
SAYS_CARRIED = "行政复议、行政诉讼数据含上年结转案件。\n"
COLUMNS = ["natural_person", "enterprise", "research", "nonprofit", "legal_service", "other_org", "total"]


def make_report(year: int, agency: str = AGENCY, carried_out=None, review=None,
                says_carried: bool = False) -> bytes:
    """The base report rewritten to ``year`` and ``agency`` with the given rows."""
    doc = BASE.read_text(encoding="utf-8")
    for line in (CARRIED_OUT, CARRIED_IN, REVIEW.strip(), REVIEW_HEADING.strip()):
        assert line in doc, line  # the base document still prints what we rewrite
    doc = doc.replace("2023", "@NEXT@").replace("2022", str(year)).replace("@NEXT@", str(year + 1))
    doc = doc.replace(AGENCY, agency)
    if carried_out is not None:
        doc = doc.replace(CARRIED_OUT, "四、结转下年度继续办理 " + " ".join(map(str, carried_out)))
    if review is not None:
        doc = doc.replace(REVIEW, "\n" + " ".join(map(str, review)) + "\n")
    if says_carried:
        doc = doc.replace(REVIEW_HEADING, REVIEW_HEADING + SAYS_CARRIED)
    return doc.encode("utf-8")


SHUNYI = "北京市顺义区人民政府办公室"
BROKEN_OUT = [2, 1, 0, 0, 0, 0, 3]                     # 顺义 2021 carries these into 2022 ...
BROKEN_REVIEW = [0, 0, 0, 2, 2] + [0] * 10             # ... and 2 pending reviews
# ... but 顺义 2022 prints 上年结转 0 in every column and a review total of 0 that "含上年结转"


@pytest.fixture(scope="module")
def records():
    docs = {
        "tongzhou-2020.txt": make_report(2020, agency="通州区政府办公室"),  # the short form (简称)
        "tongzhou-2021.txt": make_report(2021),
        "tongzhou-2022.txt": make_report(2022, says_carried=True),
        "tongzhou-2024.txt": make_report(2024),                          # 2023 is missing
        "shunyi-2021.txt": make_report(2021, agency=SHUNYI, carried_out=BROKEN_OUT, review=BROKEN_REVIEW),
        "shunyi-2022.txt": make_report(2022, agency=SHUNYI, says_carried=True),
    }
    out = {}
    for name, data in docs.items():
        rec = gaiextract.extract(data, name=name).to_dict()
        out[name] = rec
    return out


def test_reports_read_as_written(records):
    """Guard: the rewritten documents are read with the agency, year and rows we wrote."""
    r = records["shunyi-2021.txt"]
    assert (r["report"]["agency"], r["report"]["year"]) == (SHUNYI, 2021)
    assert [r["tables"]["requests"]["cells"][f"carried_out.{c}"] for c in COLUMNS] == BROKEN_OUT
    assert records["tongzhou-2020.txt"]["report"]["agency"] == "通州区政府办公室"


def test_broken_pair_found_consistent_pairs_pass(records):
    result = gaiextract.series_of(records.values())
    failed = {(c.agency, c.year, c.check, c.previous_value, c.value) for c in result.failed}
    shunyi = normalise(SHUNYI)
    assert failed == {
        (shunyi, 2022, "requests.carried.natural_person", 2, 0),
        (shunyi, 2022, "requests.carried.enterprise", 1, 0),
        (shunyi, 2022, "requests.carried.total", 3, 0),
        (shunyi, 2022, "review_litigation.pending.review", 2, 0),
    }
    tongzhou = [c for c in result.checks if c.agency != shunyi]
    # 2020→2021 and 2021→2022: seven applicant columns each; 2022 also says its
    # review/litigation totals include carried-over cases: three more ties
    assert len(tongzhou) == 7 + 7 + 3 and all(c.ok for c in tongzhou)
    assert {(c.previous_year, c.year) for c in tongzhou} == {(2020, 2021), (2021, 2022)}
    # the review tie applies only where the report says so
    assert not any(c.check.startswith("review_litigation") and c.year == 2021 for c in result.checks)


def test_name_forms_grouped_and_gaps_reported(records):
    result = gaiextract.series_of(records.values())
    tongzhou = next(a for a in result.agencies if AGENCY in a.names)
    assert sorted(tongzhou.names) == sorted([AGENCY, "通州区政府办公室"])
    assert tongzhou.years == [2020, 2021, 2022, 2024] and tongzhou.gaps == [2023]
    assert result.gaps == {tongzhou.agency: [2023]}
    shunyi = next(a for a in result.agencies if SHUNYI in a.names)
    assert shunyi.names == [SHUNYI] and shunyi.gaps == []


def test_grouping_rules():
    groups = group_names(["北京市朝阳区民政局", "长春市朝阳区民政局", "朝阳区民政局",
                          "广州市天河区人民政府", "天河区政府", "政府办公室", "北京市政府办公室",
                          "鄠邑區東風街道辦事處", "鄠邑区东风街道办事处"])
    # an ambiguous short form (two cities have a 朝阳区) stays on its own
    assert groups["朝阳区民政局"].key == "朝阳区民政局"
    assert groups["北京市朝阳区民政局"] is not groups["长春市朝阳区民政局"]
    assert groups["天河区政府"] is groups["广州市天河区人民政府"]           # 人民政府 = 政府, city left out
    assert groups["政府办公室"] is not groups["北京市政府办公室"]             # too generic to be a short form
    assert groups["鄠邑區東風街道辦事處"] is groups["鄠邑区东风街道办事处"]     # traditional = simplified


def _store(url, records):
    sink = SqlSink(url)
    sink.open(False)
    for rec in records.values():
        sink.write(rec)
    sink.close()


def test_series_command_table_json_and_rows(tmp_path, records):
    db = tmp_path / "r.db"
    _store(str(db), records)
    env = subprocess_env()
    cmd = [sys.executable, "-m", "gaiextract", "series", str(db)]
    table = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert table.returncode == 0, table.stderr
    assert "FAILED" in table.stdout and "gap: 2023" in table.stdout
    assert "通州区政府办公室" in table.stdout  # the grouping is shown
    js = subprocess.run(cmd + ["--json", "-"], env=env, capture_output=True, text=True, timeout=120)
    assert js.returncode == 0, js.stderr
    d = json.loads(js.stdout)
    assert d["summary"]["failed"] == 4 and d["summary"]["agencies_with_gaps"] == 1
    engine = create_engine(normalize_url(str(db)))
    with engine.connect() as conn:
        failed = conn.execute(text("SELECT count(*) FROM series_checks WHERE NOT ok")).scalar()
        gaps = [tuple(r) for r in conn.execute(text("SELECT year FROM series_gaps"))]
        names = conn.execute(text("SELECT count(DISTINCT agency) FROM series_agencies")).scalar()
    engine.dispose()
    assert failed == 4 and gaps == [(2023,)] and names == 2


def test_series_of_a_missing_database_is_one_line(tmp_path):
    missing = tmp_path / "none.db"
    proc = subprocess.run([sys.executable, "-m", "gaiextract", "series", str(missing)],
                          env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "not_found" in proc.stderr and not missing.exists()


@pytest.mark.parametrize("name", ["agencies", "series"])
def test_grammar_files_valid_against_their_schemas(name):
    import jsonschema

    from gaiextract.grammar import _read
    schema_path = Path(gaiextract.__file__).parent / "grammars" / "schema" / f"{name}.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(_read(f"{name}.toml"), schema)
    with pytest.raises(jsonschema.ValidationError):  # strict enough to catch a typo
        jsonschema.validate({**_read(f"{name}.toml"), "typo": 1}, schema)
