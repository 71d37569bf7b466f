"""CLI conventions (issue 16): '-' is stdout, several files, --compact/--indent,
-q/-v, distinct documented exit codes, --retry-errors with --resume."""
import json
import subprocess
import sys

from batch_support import CORPUS, subprocess_env, zip_bytes
from click.testing import CliRunner

from gaiextract.cli import main
from gaiextract.clikit import EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE

SEED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt"
OTHER = CORPUS / "txt" / "g01_txt_cells.txt"
SEED_EXPECTED = json.loads((CORPUS / "txt" / "seed_000_5312fda51cfcd75e.expected.json").read_text(encoding="utf-8"))
OTHER_EXPECTED = json.loads((CORPUS / "txt" / "g01_txt_cells.expected.json").read_text(encoding="utf-8"))


def invoke(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def test_exit_codes_are_distinct_and_documented():
    assert len({0, EXIT_OUTPUT, EXIT_USAGE, EXIT_INPUT, 130}) == 5
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in (EXIT_OUTPUT, EXIT_USAGE, EXIT_INPUT, 130):
        assert f"| {code} |" in doc


def test_usage_error_vs_unreadable_input(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    env = subprocess_env()
    usage = subprocess.run([sys.executable, "-m", "gaiextract", "extract", "--no-such-option", str(SEED)],
                           env=env, capture_output=True, text=True, timeout=60)
    unreadable = subprocess.run([sys.executable, "-m", "gaiextract", "extract", str(bad)],
                                env=env, capture_output=True, text=True, timeout=60)
    assert usage.returncode == EXIT_USAGE == 2
    assert unreadable.returncode == EXIT_INPUT == 3 and "empty" in unreadable.stderr


def test_several_files_give_json_lines_in_order(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = invoke("extract", OTHER, bad, SEED)
    assert res.exit_code == EXIT_INPUT
    lines = res.stdout.splitlines()
    assert len(lines) == 3
    recs = [json.loads(x) for x in lines]
    assert recs[0]["report"]["agency"] == OTHER_EXPECTED["report"]["agency"]
    assert recs[1]["schema"] == "gaiextract.error/1" and recs[1]["error"]["code"] == "empty"
    assert recs[2]["report"]["year"] == SEED_EXPECTED["report"]["year"]
    assert res.stderr.count("\n") == 1 and "empty" in res.stderr


def test_extract_points_archives_to_batch(tmp_path):
    archive = tmp_path / "reports.zip"
    archive.write_bytes(zip_bytes([("a.txt", SEED.read_bytes())]))
    res = invoke("extract", archive)
    assert res.exit_code == EXIT_INPUT and "gaiextract batch" in res.stderr and res.stdout == ""


def test_compact_and_indent():
    compact = invoke("extract", SEED, "--compact")
    assert compact.exit_code == 0 and len(compact.stdout.splitlines()) == 1
    four = invoke("extract", SEED, "--indent", "4")
    assert four.stdout.splitlines()[1].startswith('    "schema"')
    assert json.loads(four.stdout) == json.loads(compact.stdout)
    assert invoke("extract", SEED, OTHER, "--indent", "2").exit_code == EXIT_USAGE


def test_dash_means_stdout_for_every_output(tmp_path):
    assert json.loads(invoke("extract", SEED, "-o", "-").stdout)["report"]["year"] == SEED_EXPECTED["report"]["year"]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    res = invoke("batch", folder, "--jsonl", "-", "--workers", "1", "--no-progress")
    assert res.exit_code == 0, res.output
    # the records on stdout (the fd itself, so through a process)
    proc = subprocess.run([sys.executable, "-m", "gaiextract", "batch", str(folder), "--jsonl", "-",
                           "--workers", "1", "--no-progress"], env=subprocess_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["report"]["year"] for r in recs] == [SEED_EXPECTED["report"]["year"]]
    assert "1 file in" in proc.stderr                # the summary stays on stderr
    summ = invoke("batch", folder, "--db", tmp_path / "r.db", "--summary-json", "-", "--workers", "1", "-q")
    assert summ.exit_code == 0 and json.loads(summ.stdout)["ok"] + json.loads(summ.stdout)["with_warnings"] == 1


def test_quiet_and_verbose(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.txt").write_bytes(b"")
    quiet = invoke("batch", folder, "--jsonl", tmp_path / "q.jsonl", "--workers", "1", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    loud = invoke("batch", folder, "--jsonl", tmp_path / "v.jsonl", "--workers", "1", "-v", "--no-progress")
    assert loud.exit_code == 0
    assert any(line.endswith("a.txt: ok, 0 warnings") or "a.txt: ok" in line for line in loud.stderr.splitlines())
    assert any("b.txt: error empty" in line for line in loud.stderr.splitlines())
    assert invoke("batch", folder, "--jsonl", tmp_path / "x.jsonl", "-q", "-v").exit_code == EXIT_USAGE
    one = invoke("extract", SEED, "-v")
    assert "ok," in one.stderr


def test_retry_errors_with_resume(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.txt").write_bytes(OTHER.read_bytes())
    jsonl, db = tmp_path / "o.jsonl", tmp_path / "o.db"
    outs = ["--jsonl", jsonl, "--db", db, "--workers", "1", "--no-progress"]
    first = invoke("batch", folder, *outs, "--timeout", "0.0001", "--summary-json", tmp_path / "1.json")
    assert first.exit_code == 0, first.output
    assert json.loads((tmp_path / "1.json").read_text())["error_codes"] == {"timeout": 2}
    invoke("batch", folder, *outs, "--resume", "--summary-json", tmp_path / "2.json")
    assert json.loads((tmp_path / "2.json").read_text())["resumed"] == 2       # errors count as done ...
    retry = invoke("batch", folder, *outs, "--resume", "--retry-errors", "--summary-json", tmp_path / "3.json")
    assert retry.exit_code == 0, retry.output
    s = json.loads((tmp_path / "3.json").read_text())
    assert s["resumed"] == 0 and s["errors"] == 0 and s["ok"] + s["with_warnings"] == 2   # ... unless retried
    import sqlite3
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM errors").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    last = {}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        last[rec["source"]["path"]] = rec
    assert all(r["schema"] == "gaiextract.report/1" for r in last.values()) and len(last) == 2
    invoke("batch", folder, *outs, "--resume", "--retry-errors", "--summary-json", tmp_path / "4.json")
    assert json.loads((tmp_path / "4.json").read_text())["resumed"] == 2   # nothing left to retry
    assert invoke("batch", folder, *outs, "--retry-errors").exit_code == EXIT_USAGE
