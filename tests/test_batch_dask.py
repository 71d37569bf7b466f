"""`--executor dask`: the same per-file function, sinks and resume on a Dask cluster
(a LocalCluster on loopback: one worker process, two threads)."""
import json
import subprocess
import sys

import pytest

distributed = pytest.importorskip("dask.distributed")

from batch_support import build_tree, subprocess_env  # noqa: E402

CMD = [sys.executable, "-m", "gaiextract", "batch"]


@pytest.fixture(scope="module")
def scheduler():
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def run(args):
    return subprocess.run(CMD + args, env=subprocess_env(), capture_output=True, text=True, timeout=120)


def test_dask_batch_writes_every_file_once_and_resumes(scheduler, tmp_path):
    tree = build_tree(tmp_path / "in", n_good=8, in_zip=3)
    jsonl, db = tmp_path / "o.jsonl", tmp_path / "o.db"
    args = [*tree.inputs, "--executor", "dask", "--scheduler", scheduler, "--jsonl", str(jsonl),
            "--db", str(db), "--summary-json", str(tmp_path / "s.json")]
    res = run(args)
    assert res.returncode == 0, res.stderr
    recs = [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["source"]["path"] for r in recs) == sorted([*tree.good, *tree.bad])
    for r in recs:
        expect_error = r["source"]["path"] in tree.bad
        assert (r["schema"] == "gaiextract.error/1") == expect_error, r["source"]["path"]
    import sqlite3
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == len(tree.good)
        assert conn.execute("SELECT count(*) FROM errors").fetchone()[0] == len(tree.bad)
    again = run(args + ["--resume"])
    assert again.returncode == 0, again.stderr
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["converted"] == 0 and s["resumed"] == tree.total


def test_dask_time_limit(scheduler, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    from batch_support import CORPUS
    (folder / "good.txt").write_bytes((CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt").read_bytes())
    (folder / "slow.txt").write_bytes(b"%TEST-SLEEP\n")
    jsonl = tmp_path / "o.jsonl"
    res = run([str(folder), "--executor", "dask", "--scheduler", scheduler, "--jsonl", str(jsonl),
               "--timeout", "1", "--plugin", "batch_support.misbehaving_readers"])
    assert res.returncode == 0, res.stderr
    recs = {json.loads(x)["source"]["path"]: json.loads(x) for x in jsonl.read_text().splitlines()}
    assert recs[str(folder / "slow.txt")]["error"]["code"] == "timeout"
    assert recs[str(folder / "good.txt")]["schema"] == "gaiextract.report/1"
