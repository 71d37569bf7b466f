"""`gaiextract batch` as a user runs it: exit codes, SIGKILL + --resume, Ctrl-C."""
import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from gaiextract.sinks.sql import normalize_url
from batch_support import build_tree, subprocess_env
from batch_support.pg import pg_url  # noqa: F401 - fixture

CMD = [sys.executable, "-m", "gaiextract", "batch"]


def run(args, **kw):
    return subprocess.run(CMD + args, env=subprocess_env(), capture_output=True, text=True,
                          timeout=120, **kw)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return build_tree(tmp_path_factory.mktemp("tree"), n_good=24, in_zip=6)


@pytest.mark.parametrize("args,needle", [
    ([], "Missing argument"),
    (["{in}"], "at least one output"),
    (["{in}", "--jsonl", "a.jsonl", "--out", "d"], "not both"),
    (["{in}", "--jsonl", "a.jsonl", "--scheduler", "tcp://x:1"], "--executor dask"),  # dask alone: a local cluster
    (["/no/such/folder", "--jsonl", "a.jsonl"], "does not exist"),
    (["{in}", "--jsonl", "a.jsonl", "--workers", "0"], "--workers"),
    (["{in}", "--db", "nosuchdialect://x"], "--db"),
])
def test_usage_errors_exit_2(tmp_path, args, needle):
    args = [a.replace("{in}", str(tmp_path)) for a in args]
    res = run(args, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr


def jsonl_records(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def db_rows(url):
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            reps = [tuple(r) for r in conn.execute(text("SELECT source_path, sha256 FROM reports"))]
            errs = [tuple(r) for r in conn.execute(text("SELECT source_path, code FROM errors"))]
    finally:
        engine.dispose()
    return reps, errs


def wait_for(pred, proc, limit=60):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if pred():
            return
        assert proc.poll() is None, "the batch finished before it could be interrupted"
        time.sleep(0.05)
    raise AssertionError("nothing was written in time")


def check_exactly_one_row_per_file(tree, jsonl, db_url):
    recs = jsonl_records(jsonl)
    paths = [r["source"]["path"] for r in recs]
    assert sorted(paths) == sorted(list(tree.good) + list(tree.bad))      # no duplicates, none lost
    reps, errs = db_rows(db_url)
    assert sorted(p for p, _ in reps) == sorted(tree.good)
    assert sorted(p for p, _ in errs) == sorted(tree.bad)
    assert {sha for _, sha in reps} == set(tree.good.values())


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_sigkill_mid_run_then_resume_gives_exactly_one_row_per_file(tree, tmp_path, db, request):
    if db == "sqlite":
        db_url = str(tmp_path / "out.db")
    else:
        db_url = request.getfixturevalue("pg_url")
    jsonl = tmp_path / "out.jsonl"
    args = [*tree.inputs, "--jsonl", str(jsonl), "--db", db_url, "--workers", "2",
            "--db-batch-size", "2", "--no-progress"]
    proc = subprocess.Popen(CMD + args, env=subprocess_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        wait_for(lambda: jsonl.exists() and jsonl.read_bytes().count(b"\n") >= 4
                 and len(db_rows(db_url)[0]) >= 2, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    n_before = len(jsonl.read_bytes().splitlines())
    assert n_before < tree.total                       # it really was cut short
    res = run(args + ["--resume", "--summary-json", str(tmp_path / "s.json")])
    assert res.returncode == 0, res.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["resumed"] >= 2 and summary["resumed"] + summary["converted"] == tree.total
    check_exactly_one_row_per_file(tree, jsonl, db_url)
    # and once more: nothing left to do, still one row each
    again = run(args + ["--resume", "--summary-json", str(tmp_path / "s2.json")])
    assert again.returncode == 0
    assert json.loads((tmp_path / "s2.json").read_text())["converted"] == 0
    check_exactly_one_row_per_file(tree, jsonl, db_url)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly_with_finished_work_written(tree, tmp_path, sig):
    # A last input that takes 60 s keeps the batch running until the signal lands.
    # Without it the batch could finish between the test seeing three lines and
    # sending the signal (a starved test process under load); a SIGINT that then
    # reaches the interpreter while it exits — after Python restored the default
    # handler — killed it with -2 instead of the 130 this test checks.
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "slow.txt").write_bytes(b"%TEST-SLEEP")
    jsonl = tmp_path / "out.jsonl"
    db = tmp_path / "out.db"
    summary_path = tmp_path / "s.json"
    args = [*tree.inputs, str(slow), "--jsonl", str(jsonl), "--db", str(db), "--workers", "1",
            "--summary-json", str(summary_path), "--no-progress",
            "--plugin", "batch_support.misbehaving_readers"]
    # Python turns SIGINT into KeyboardInterrupt only if SIGINT is not ignored when it
    # starts; a test run launched in the background (``pytest &``, nohup) passes SIG_IGN
    # on to its children, and the batch would then rightly ignore Ctrl-C. Give the
    # child the default disposition an interactive shell gives it.
    proc = subprocess.Popen(CMD + args, env=subprocess_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wait_for(lambda: jsonl.exists() and jsonl.read_bytes().count(b"\n") >= 3, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    summary = json.loads(summary_path.read_text())
    assert summary["interrupted"] is True
    recs = jsonl_records(jsonl)                          # every line whole
    assert summary["converted"] == len(recs) < tree.total + 1          # the slow file never finished
    with sqlite3.connect(db) as conn:                    # committed: the same files in the DB
        n = conn.execute("SELECT (SELECT count(*) FROM reports) + (SELECT count(*) FROM errors)").fetchone()[0]
    assert n == len(recs)


def test_exit_0_even_when_files_fail_and_summary_counts(tmp_path, tree):
    out = tmp_path / "o.jsonl"
    res = run([*tree.inputs, "--jsonl", str(out), "--summary-json", str(tmp_path / "s.json"),
               "--workers", "2"])
    assert res.returncode == 0, res.stderr
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["errors"] == len(tree.bad) and s["ok"] + s["with_warnings"] == len(tree.good)
    assert s["skipped"] == 1 and s["files_per_s"] > 0
    assert f"errors {len(tree.bad)}" in res.stderr


def test_export_wide_from_the_cli(tmp_path, tree):
    db = tmp_path / "o.db"
    assert run([tree.inputs[1], "--db", str(db)]).returncode == 0
    res = subprocess.run([sys.executable, "-m", "gaiextract", "export", "--db", str(db), "--wide",
                          str(tmp_path / "w.csv")], env=subprocess_env(), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    lines = (tmp_path / "w.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + sum(1 for k in tree.good if k.startswith(tree.inputs[1] + "!/"))
    assert "requests.new.total" in lines[0].split(",")


def test_exit_1_when_an_output_cannot_be_written(tmp_path, tree):
    (tmp_path / "file").write_text("x")
    res = run([tree.inputs[1], "--jsonl", str(tmp_path / "file" / "o.jsonl")])
    assert res.returncode == 1
    assert "could not finish" in res.stderr
