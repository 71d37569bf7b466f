"""Issue 19: a user's first hour — each point through the CLI or the API as a user calls it.

Expected values come from the corpus's expected JSON files (written by the corpus
builder) and from the printed template's wording, never from gaiextract's output.
"""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from batch_support import CORPUS, ROOT, subprocess_env
from click.testing import CliRunner

import gaiextract
from gaiextract.cli import main

G01_TXT = CORPUS / "txt" / "g01_txt_cells.txt"
G01_HTML = CORPUS / "html" / "g01_html_gov.html"
G02_COPIES = [CORPUS / "docx" / "g02_docx_official.docx", CORPUS / "pdf" / "g02_pdf_lo_docx_official.pdf",
              CORPUS / "txt" / "g02_txt.txt", CORPUS / "html" / "g02_html_grouppath.html"]
SCAN = CORPUS / "scan" / "g03_scan_lo_docx_flat.pdf"
MD = CORPUS / "md" / "g03_md_grid.md"


def expected(doc: Path) -> dict:
    return json.loads(doc.with_name(doc.name.rsplit(".", 1)[0] + ".expected.json").read_text(encoding="utf-8"))


def invoke(*args: object, **kw: object):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def run(*args: object, env: dict | None = None, **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gaiextract", *map(str, args)], env=env or subprocess_env(),
                          capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def batch_jsonl(tmp_path_factory) -> Path:
    """`gaiextract batch` over two copies of one report (g01 txt + html) and another (g02)."""
    root = tmp_path_factory.mktemp("fh")
    folder = root / "in"
    folder.mkdir()
    for d in (G01_TXT, G01_HTML, G02_COPIES[2]):
        (folder / d.name).write_bytes(d.read_bytes())
    res = run("batch", folder, "--jsonl", root / "out.jsonl", "--workers", "1", "-q")
    assert res.returncode == 0, res.stderr
    return root / "out.jsonl"


# 1 -------------------------------------------------------------------------------------

def test_1_tests_reading_shared_skip_on_a_bare_clone_and_fail_under_ci(monkeypatch):
    from conftest import shared
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-sample is missing"):
        shared("no-such-sample")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-such-sample is missing"):
        shared("no-such-sample")


def test_1_no_test_reads_shared_without_the_guard():
    """Every test that names ../shared goes through conftest.shared (skip, or fail in CI)."""
    bad = []
    for p in sorted((ROOT / "tests").glob("test_*.py")):
        if p.name == Path(__file__).name:
            continue
        text = p.read_text(encoding="utf-8")
        if "/work/shared" in text or re.search(r"SHARED\s*/", text) and "shared(" not in text:
            bad.append(p.name)
    assert not bad


# 2 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_2_outputs_have_the_permissions_of_any_other_program(tmp_path, batch_jsonl, umask, mode):
    old = os.umask(umask)
    try:
        assert invoke("extract", G01_TXT, "-o", tmp_path / "r.json").exit_code == 0
        assert invoke("export", batch_jsonl, tmp_path / "w.csv", "-q").exit_code == 0
    finally:
        os.umask(old)
    for name in ("r.json", "w.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


def test_2_overwrite_keeps_the_replaced_files_mode(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("{}")
    out.chmod(0o664)
    assert invoke("extract", G01_TXT, "-o", out, "--overwrite").exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o664


# 3 -------------------------------------------------------------------------------------

def test_3_a_database_password_is_never_printed(tmp_path):
    url = "postgresql://analyst:s3cret-pw@127.0.0.1:1/reports"  # nothing listens on port 1
    for args in (("batch", G01_TXT, "--db", url, "-q"), ("export", url, tmp_path / "o.csv"), ("series", url),
                 ("batch", G01_TXT, "--db", url.replace("postgresql", "nosuchdb"), "-q")):
        res = run(*args)
        assert res.returncode in (1, 2), res.stderr
        assert "s3cret-pw" not in res.stderr + res.stdout, args
        assert "analyst:***@127.0.0.1" in res.stderr, res.stderr


def test_3_mask_secrets_masks_every_url_in_a_message():
    from gaiextract.clikit import display_url, mask_secrets
    assert display_url("postgresql://u:p%40ss@h:5432/d") == "postgresql://u:***@h:5432/d"
    assert display_url("reports.db") == "reports.db"
    assert mask_secrets("at postgresql+psycopg://u:pw@h/d: refused") == "at postgresql+psycopg://u:***@h/d: refused"


# 4 -------------------------------------------------------------------------------------

def test_4_export_and_series_read_the_jsonl_of_batch(tmp_path, batch_jsonl):
    import pandas as pd
    out = tmp_path / "w.csv"
    res = invoke("export", batch_jsonl, out)
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    assert len(frame) == 2  # g01 txt + html are one report identity
    for doc in (G01_TXT, G02_COPIES[2]):
        exp = expected(doc)
        row = frame[frame["year"] == exp["report"]["year"]].iloc[0]
        assert row["requests.new.total"] == exp["tables"]["requests"]["new.total"]
    res = invoke("series", batch_jsonl)
    assert res.exit_code == 0 and expected(G02_COPIES[2])["report"]["agency"] in res.output


def test_4_export_reads_the_json_of_extract(tmp_path):
    one = tmp_path / "one.json"
    assert invoke("extract", G01_TXT, "-o", one).exit_code == 0
    res = invoke("export", one, "-", "--shape", "long")
    assert res.exit_code == 0
    assert res.output.count("\n") - 1 == len(gaiextract.extract(G01_TXT).to_frame())


@pytest.mark.parametrize("content", [b"hello\n", b'{"not": "a record"}\n', b"\x00\x01binary"])
@pytest.mark.parametrize("command", ["export", "series"])
def test_4_an_input_that_is_neither_names_the_input_exit_3(tmp_path, content, command):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    args = [command, bad] + ([tmp_path / "o.csv"] if command == "export" else [])
    res = invoke(*args)
    assert res.exit_code == 3, res.output
    line = res.stderr.strip()
    assert line.count("\n") == 0 and f": {bad}: unsupported_format:" in line
    assert "o.csv" not in line and "Traceback" not in res.output and not (tmp_path / "o.csv").exists()


# 5 -------------------------------------------------------------------------------------

WITHOUT_OCR = ("import sys, gaiextract.source as s; s.ocr_available = lambda: False; "
               "from gaiextract.cli import main; sys.argv[0] = 'gaiextract'; main()")


def run_without_ocr(*args: object, **env: str) -> subprocess.CompletedProcess:
    """The CLI as on a machine without the OCR extra."""
    return subprocess.run([sys.executable, "-c", WITHOUT_OCR, *map(str, args)], env=subprocess_env(**env),
                          capture_output=True, text=True, timeout=120)


def test_5_a_scan_without_the_ocr_extra_says_so_on_one_stderr_line():
    res = run_without_ocr("extract", SCAN)
    assert res.returncode == 0
    out = json.loads(res.stdout)
    assert any(w["code"] == "no_text_layer" for w in out["warnings"])
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "no_text_layer" in lines[0] and "pip install 'gaiextract[ocr]'" in lines[0]
    assert run_without_ocr("extract", SCAN, "--ocr", "never").stderr == ""  # asked not to: nothing to say


def test_5_ocr_always_without_the_extra_is_an_error_with_a_documented_code(monkeypatch):
    res = run_without_ocr("extract", SCAN, "--ocr", "always")
    assert res.returncode == 2 and res.stdout == ""
    assert "ocr_unavailable" in res.stderr and "gaiextract[ocr]" in res.stderr and "Traceback" not in res.stderr
    assert run_without_ocr("extract", SCAN, GAIEXTRACT_OCR="always").returncode == 2
    from gaiextract.errors import ERROR_CODES
    from gaiextract import source
    assert "ocr_unavailable" in ERROR_CODES
    monkeypatch.setattr(source, "ocr_available", lambda: False)
    with pytest.raises(gaiextract.ExtractError) as e:
        gaiextract.extract(SCAN, ocr="always")
    assert e.value.code == "ocr_unavailable" and str(SCAN) in str(e.value)


# 6 -------------------------------------------------------------------------------------

def test_6_rerunning_batch_without_resume_keeps_jsonl_and_database_in_agreement(tmp_path):
    import sqlite3
    folder = tmp_path / "in"
    folder.mkdir()
    for d in (G01_TXT, G02_COPIES[2]):
        (folder / d.name).write_bytes(d.read_bytes())
    jsonl, db = tmp_path / "o.jsonl", tmp_path / "o.db"
    for _ in range(2):
        res = run("batch", folder, "--jsonl", jsonl, "--db", db, "--workers", "1", "-q")
        assert res.returncode == 0, res.stderr
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select sha256 from reports").fetchall()
    assert len(lines) == len(rows) == 2
    assert {json.loads(x)["source"]["sha256"] for x in lines} == {r[0] for r in rows}
    assert "replaces" in (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")


# 7 -------------------------------------------------------------------------------------

def test_7_xlsx_for_an_analyst(tmp_path, batch_jsonl):
    from openpyxl import load_workbook
    out = tmp_path / "r.xlsx"
    assert invoke("export", batch_jsonl, out).exit_code == 0
    wb = load_workbook(out)
    # a sheet per template edition (g01 is a 2021 report, g02 a 2019 one), then the dictionary
    assert wb.sheetnames == ["2021年版", "2019年版", "字段说明"] or wb.sheetnames == ["2019年版", "2021年版", "字段说明"]
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    head = [c.value for c in wb["2021年版"][1]]
    # the printed form's wording (corpus/txt/g01_txt_cells.txt) with the unit
    assert "依申请公开·本年新收政府信息公开申请数量·自然人（件）" in head
    assert "主动公开·行政事业性收费·本年收费金额（万元）" in head
    assert "收费·实际收取金额（元）" in head
    assert not any("采购" in h for h in head)  # a 2019-only row is not on the 2021 sheet
    dictionary = {r[0]: r for r in wb["字段说明"].iter_rows(min_row=2, values_only=True)}
    assert dictionary["proactive.fees.amount"][2] == "万元" and dictionary["proactive.fees.amount"][3] == "2021"
    assert dictionary["fees.amount_collected"][2] == "元"
    row = dict(zip(head, next(wb["2021年版"].iter_rows(min_row=2, values_only=True))))
    exp = expected(G01_TXT)
    assert row["依申请公开·本年新收政府信息公开申请数量·总计（件）"] == exp["tables"]["requests"]["new.total"]


def test_7_counts_are_nullable_integers_and_to_frame_matches_the_long_export(tmp_path, batch_jsonl):
    import pandas as pd
    wide = tmp_path / "w.parquet"
    assert invoke("export", batch_jsonl, wide).exit_code == 0
    frame = pd.read_parquet(wide)
    assert str(frame["requests.new.total"].dtype) == "Int64"
    assert str(frame["fees.notices"].dtype) == "Int64" and frame["proactive.fees.amount"].dtype.kind == "f"
    assert frame["proactive.procurement.amount"].dtype.kind == "f"  # amounts stay decimal
    csv_long = invoke("export", batch_jsonl, "-", "--shape", "long").output.splitlines()[0].split(",")
    assert list(gaiextract.extract(G01_TXT).to_frame().columns) == csv_long
    both = invoke("export", batch_jsonl, "-", "--header", "both", "--edition", "2019").output.splitlines()
    keys, labels = both[0].split(","), both[1].split(",")
    assert keys[:2] == ["identity", "title"] and labels[:2] == ["报告标识", "标题"]
    assert len(both) == 3 and "proactive.rules.issued" not in keys  # one 2019 report, its columns only


def test_7_export_labels_live_in_a_validated_grammar_file():
    from gaiextract import grammar
    text = grammar._shipped_text("export.toml")
    grammar._validate(grammar._parse(text, "export.toml"), "export.toml", "export.toml", text, False)


# 8 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("what", ["export", "extract"])
def test_8_a_closed_pipe_ends_quietly(batch_jsonl, what):
    args = (["export", batch_jsonl, "-", "--shape", "long"] if what == "export"
            else ["extract", "--compact", *([G01_TXT, G01_HTML] * 8)])
    proc = subprocess.Popen([sys.executable, "-m", "gaiextract", *map(str, args)], env=subprocess_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)  # `| head -c 100`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and err == ""


# 9 -------------------------------------------------------------------------------------

def test_9_markdown_on_the_command_line():
    res = invoke("extract", "-f", "md", MD)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["source"]["format"] == "md"
    assert out["tables"]["requests"]["cells"]["new.total"] == expected(MD)["tables"]["requests"]["new.total"]


# 10 ------------------------------------------------------------------------------------

def test_10_dir_shows_the_lazy_names():
    names = dir(gaiextract)
    for name in ("extract", "extract_many", "read", "Report", "load_jsonl", "series", "inspect", "grammar"):
        assert name in names


def test_10_mypy_strict_accepts_the_readme_snippet(tmp_path):
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"## Library\n\n```python\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "snippet.py").write_text(snippet, encoding="utf-8")
    # and the check can fail: an optional section used as if present (one mypy run for both)
    (tmp_path / "bad.py").write_text("import gaiextract\nr = gaiextract.extract('x')\nr.get_section('other').text\n")
    env = dict(os.environ, MYPYPATH=str(ROOT / "src"))
    res = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental",
                          "snippet.py", "bad.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    errors = [x for x in res.stdout.splitlines() if ": error:" in x]
    assert errors and all(x.startswith("bad.py:3:") for x in errors), res.stdout + res.stderr


def test_10_from_dict_and_load_jsonl(batch_jsonl):
    report = gaiextract.extract(G01_TXT)
    assert gaiextract.Report.from_dict(json.loads(report.to_json())) == report
    got = list(gaiextract.load_jsonl(batch_jsonl))
    assert len(got) == 3 and all(isinstance(r, gaiextract.Report) for r in got)
    years = sorted(r.year for r in got)
    assert years == sorted(expected(d)["report"]["year"] for d in (G01_TXT, G01_HTML, G02_COPIES[2]))
    with pytest.raises(ValueError):
        gaiextract.Report.from_dict({"schema": "gaiextract.error/1"})


def test_10_errors_name_their_path(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(gaiextract.ExtractError) as e:
        gaiextract.extract(empty)
    assert str(e.value).startswith(f"{empty}: empty:")
    with pytest.raises(gaiextract.ExtractError) as e:
        gaiextract.extract("not a path")
    assert e.value.code == "not_found" and "not a path" in str(e.value) and "too long" not in str(e.value)
    with pytest.raises(gaiextract.ExtractError) as e:
        gaiextract.extract("一、总体情况\n" * 300)  # text passed where a path goes
    assert e.value.code == "not_found" and "bytes" in e.value.message


def test_10_a_bad_ocr_environment_variable_is_a_usage_error():
    res = run("extract", G01_TXT, env=subprocess_env(GAIEXTRACT_OCR="bogus"))
    assert res.returncode == 2 and "GAIEXTRACT_OCR" in res.stderr and "Traceback" not in res.stderr


def test_10_section_is_typed_and_raises():
    report = gaiextract.extract(G01_TXT)
    assert len(report.section("problems").measures or []) == expected(G01_TXT)["measures_count"]
    bare = gaiextract.Report(source={})
    with pytest.raises(KeyError):
        bare.section("problems")
    assert bare.get_section("problems") is None


# 11 ------------------------------------------------------------------------------------

def test_11_one_report_in_pdf_word_html_and_text_has_one_content_id():
    ids = {gaiextract.extract(p).content_id for p in G02_COPIES}
    assert len(ids) == 1 and next(iter(ids)).startswith("content:")
    assert gaiextract.extract(G01_TXT).content_id not in ids


def test_11_without_an_agency_the_copies_are_still_one_report(tmp_path):
    """Records whose agency was not found (blanked here): the export counts one report."""
    import pandas as pd
    recs = []
    for p in G02_COPIES:
        d = gaiextract.extract(p).to_dict()
        d["report"]["agency"] = None
        recs.append(json.dumps(d, ensure_ascii=False))
    src = tmp_path / "noagency.jsonl"
    src.write_text("\n".join(recs) + "\n", encoding="utf-8")
    assert invoke("export", src, tmp_path / "w.csv").exit_code == 0
    assert invoke("export", src, tmp_path / "all.csv", "--all-copies").exit_code == 0
    assert len(pd.read_csv(tmp_path / "w.csv")) == 1
    every = pd.read_csv(tmp_path / "all.csv")
    assert len(every) == len(G02_COPIES) and every["identity"].nunique() == 1
    assert every["identity"].iloc[0].startswith("content:")


# 12 ------------------------------------------------------------------------------------

def test_12_extract_a_folder_points_to_batch(tmp_path):
    res = invoke("extract", tmp_path)
    assert res.exit_code == 2 and "gaiextract batch" in res.output


def test_12_an_empty_input_folder_gets_a_hint(tmp_path):
    (tmp_path / "in").mkdir()
    res = run("batch", tmp_path / "in", "--jsonl", tmp_path / "o.jsonl", "--workers", "1")
    assert res.returncode == 0 and "no documents found" in res.stderr and "0 files" in res.stderr


def test_12_help_texts_and_counts(batch_jsonl):
    inspect_help = invoke("inspect", "--help").output
    for opt in ("--ocr", "--grammar", "--plugin", "--overwrite"):
        assert opt in inspect_help
    export_help = invoke("export", "--help").output
    assert "export [OPTIONS] DB OUT" in export_help and "Also print one line per file" not in export_help
    res = invoke("series", batch_jsonl)
    assert re.search(r"\b1 agency\b|\b2 agencies\b", res.output) and "1 agencies" not in res.output


def test_12_dask_without_a_scheduler_starts_a_local_cluster(tmp_path):
    pytest.importorskip("dask.distributed", reason="dask extra")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / G01_TXT.name).write_bytes(G01_TXT.read_bytes())
    res = run("batch", folder, "--jsonl", tmp_path / "o.jsonl", "--executor", "dask", "--workers", "1", "-q")
    assert res.returncode == 0, res.stderr
    rec = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert rec["tables"]["requests"]["cells"]["new.total"] == expected(G01_TXT)["tables"]["requests"]["new.total"]
