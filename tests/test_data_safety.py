"""Data safety (issue 10): no output is ever lost or refused for a name, a second
run, a link or a full disk.

Every case here was a failure in the issue's fuzzing campaign: `--jsonl` truncated
an existing file, a second concurrent run aborted on the first run's rows, a name
that is not UTF-8 (or long in bytes) aborted the batch, a link out of the input
folder was followed, a full disk was a traceback, `extract -o` into a missing or
read-only folder was a traceback, and GBK zip member names came out as mojibake.
"""
import contextlib
import errno
import json
import os
import subprocess
import sys
import zipfile

import pytest
from batch_support import CORPUS, subprocess_env
from batch_support.pg import pg_url  # noqa: F401 - fixture
from click.testing import CliRunner

from gaiextract.batch.inputs import InputWalker, Item, Skip
from gaiextract.cli import main
from gaiextract.sinks.jsonl import JsonlSink
from gaiextract.sinks.sql import SqlSink, normalize_url

SEED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt"
OTHER = CORPUS / "txt" / "g01_txt_cells.txt"


def jsonl_paths(path):
    return [json.loads(line)["source"]["path"] for line in path.read_text(encoding="utf-8").splitlines()]


def batch(*args):
    res = CliRunner().invoke(main, ["batch", "--workers", "1", "--no-progress", *map(str, args)])
    return res


# -- --jsonl appends, --resume reads what is there ----------------------------

def test_jsonl_appends_to_an_existing_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "o.jsonl"
    mine = '{"note": "a line the user wrote"}\n'
    out.write_text(mine, encoding="utf-8")
    assert batch(folder, "--jsonl", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(mine) and len(text.splitlines()) == 2
    (folder / "b.txt").write_bytes(OTHER.read_bytes())
    res = batch(folder, "--jsonl", out, "--resume", "--summary-json", tmp_path / "s.json")
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "s.json").read_text())["resumed"] == 1   # a.txt read back
    assert out.read_text(encoding="utf-8").startswith(mine) and len(out.read_text().splitlines()) == 3


# -- concurrent runs on one database ------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "out.db")
    return request.getfixturevalue("pg_url")


def _record(sha, path="a.txt"):
    import gaiextract
    rec = gaiextract.extract(SEED).to_dict()
    rec["source"]["sha256"], rec["source"]["path"] = sha, path
    return rec


def test_a_second_run_replaces_rows_the_first_stored_meanwhile(db_url):
    """The issue's IntegrityError: run A opened the database before run B stored a file
    that A then stores too."""
    from sqlalchemy import create_engine, text
    first, second = SqlSink(db_url), SqlSink(db_url)
    first.open(False)
    second.open(False)
    second.write(_record("ab" * 32, "b/a.txt"))
    second.close()
    first.write(_record("ab" * 32, "a/a.txt"))
    first.close()                                   # no UNIQUE constraint failure
    engine = create_engine(normalize_url(db_url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT source_path FROM reports")).all()
    engine.dispose()
    assert [r[0] for r in rows] == ["a/a.txt"]


def test_two_batch_processes_on_one_sqlite_database(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    docs = sorted(p for p in (CORPUS / "txt").glob("*.txt"))[:12]
    for p in docs:
        (folder / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "r.db"
    cmd = [sys.executable, "-m", "gaiextract", "batch", str(folder), "--db", str(db), "--workers", "1",
           "--db-batch-size", "1", "--no-progress"]
    procs = [subprocess.Popen(cmd, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "IntegrityError" not in err and "locked" not in err
    import sqlite3
    with sqlite3.connect(db) as conn:
        n, distinct = conn.execute("SELECT count(*), count(DISTINCT sha256) FROM reports").fetchone()
    assert n == distinct == len(docs)


def test_a_run_opening_a_database_another_run_is_creating_waits_for_it(tmp_path):
    """Two runs creating one SQLite file: one switches it to WAL while the other writes.

    SQLite refuses that journal-mode change at once, busy timeout or not (CI saw
    "database is locked" from two `batch` runs started together); the sink waits instead."""
    import sqlite3
    import threading
    import time

    db = tmp_path / "r.db"
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)  # rollback journal
    other.execute("CREATE TABLE t (a)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    done = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    done.start()
    started = time.monotonic()
    sink = SqlSink(f"sqlite:///{db}")
    sink.open(False)                                # waited for the other write, no error
    sink.close()
    done.join()
    other.close()
    assert time.monotonic() - started >= 0.4
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT a FROM t").fetchall() == [(1,)]


# -- names the file system allows ----------------------------------------------

NON_UTF8 = b"caf\xe9-\xb1\xa8\xb8\xe6.txt"            # Latin-1 é and GBK 报告: not UTF-8
LONG_CJK = "政府信息公开工作年度报告" * 5                # 60 characters, 180 bytes
LONG_NAME = LONG_CJK + ".txt"


@pytest.fixture
def odd_names(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), NON_UTF8), "wb") as fh:
            fh.write(SEED.read_bytes())
    except OSError as exc:  # pragma: no cover - a file system that refuses such names
        pytest.skip(f"this file system refuses non-UTF-8 names: {exc}")
    (folder / LONG_NAME).write_bytes(OTHER.read_bytes())
    assert len(LONG_NAME.encode("utf-8")) == 184
    return folder


def test_non_utf8_and_long_names_in_every_sink(tmp_path, odd_names):
    out_dir, jsonl, db = tmp_path / "out", tmp_path / "o.jsonl", tmp_path / "o.db"
    for args in (["--jsonl", jsonl, "--db", db], ["--out", out_dir]):
        res = batch(odd_names, *args, "--summary-json", tmp_path / "s.json")
        assert res.exit_code == 0, res.output
        s = json.loads((tmp_path / "s.json").read_text())
        assert s["ok"] + s["with_warnings"] == 2 and s["errors"] == 0
    paths = jsonl_paths(jsonl)
    escaped = [p for p in paths if p.endswith("caf\\xe9-\\xb1\\xa8\\xb8\\xe6.txt")]
    assert len(escaped) == 1                        # the bytes shown, nothing lost
    assert any(p.endswith(LONG_NAME) for p in paths)
    import sqlite3
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT source_path FROM reports")}
    assert set(paths) == stored
    names = [n for n in os.listdir(out_dir) if n.endswith(".json")]
    assert len(names) == 2 and all(len(n.encode("utf-8")) <= 255 for n in names)
    assert any(n.startswith("caf_xe9-_xb1_xa8_xb8_xe6.txt.") for n in names)  # readable, not a stray piece
    long = next(n for n in names if "政府" in n)
    assert long.startswith(LONG_CJK[:40])           # cut by bytes, on a character boundary


def test_a_newline_in_a_name_stays_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nb.txt").write_bytes(SEED.read_bytes())
    jsonl = tmp_path / "o.jsonl"
    res = batch(folder, "--jsonl", jsonl, "-v")
    assert res.exit_code == 0, res.output
    assert jsonl_paths(jsonl) == [f"{folder}/a\\x0ab.txt"]
    assert any(line.startswith(f"{folder}/a\\x0ab.txt: ok") for line in res.stderr.splitlines())


# -- symbolic links --------------------------------------------------------------

@pytest.fixture
def linked(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(OTHER.read_bytes())
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_bytes(SEED.read_bytes())
    try:
        (folder / "out-link.txt").symlink_to(outside / "secret.txt")
        (folder / "in-link.txt").symlink_to(folder / "sub" / "a.txt")
        (folder / "dir-link").symlink_to(outside, target_is_directory=True)
    except OSError as exc:  # pragma: no cover - no symlinks here
        pytest.skip(f"symlinks not supported: {exc}")
    return folder


def _walk(folder, follow=False):
    return list(InputWalker([str(folder)], follow_symlinks=follow))


def test_symlinks_out_of_the_inputs_are_not_followed(linked):
    got = _walk(linked)
    items = {os.path.basename(g.label) for g in got if isinstance(g, Item)}
    skipped = {os.path.basename(g.label): g.reason for g in got if isinstance(g, Skip)}
    assert items == {"a.txt", "in-link.txt"}       # a link inside the inputs is fine
    assert "outside the inputs" in skipped["out-link.txt"]
    assert not any("secret" in g.label for g in got)
    followed = {os.path.basename(g.label) for g in _walk(linked, follow=True) if isinstance(g, Item)}
    assert followed == {"a.txt", "in-link.txt", "out-link.txt", "secret.txt"}


def test_symlink_loop_is_walked_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    got = [g for g in _walk(folder, follow=True) if isinstance(g, Item)]
    assert len(got) == 1


# -- a full disk -----------------------------------------------------------------

@contextlib.contextmanager
def tmpfs(path, size, options=""):
    """A small real file system (root only: mount); skips elsewhere."""
    path.mkdir(exist_ok=True)
    opts = f"size={size}" + (f",{options}" if options else "")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {res.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def many_reports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    docs = sorted((CORPUS / "txt").glob("*.txt"))[:10]
    for p in docs:
        (folder / p.name).write_bytes(p.read_bytes())
    return folder, len(docs)


@pytest.mark.parametrize("sink", ["--db", "--jsonl"])
def test_full_disk_is_one_line_and_resume_is_clean(tmp_path, many_reports, sink):
    folder, n = many_reports
    with tmpfs(tmp_path / "small", "160k") as small:
        target = small / ("r.db" if sink == "--db" else "o.jsonl")
        proc = subprocess.run([sys.executable, "-m", "gaiextract", "batch", str(folder), sink, str(target),
                               "--workers", "1", "--db-batch-size", "1", "--no-progress"],
                              env=subprocess_env(), capture_output=True, text=True, timeout=300)
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "disk_full" in lines[0] and "Traceback" not in proc.stderr
        subprocess.run(["mount", "-o", "remount,size=32m", str(small)], check=True)
        proc = subprocess.run([sys.executable, "-m", "gaiextract", "batch", str(folder), sink, str(target),
                               "--resume", "--workers", "1", "--no-progress"],
                              env=subprocess_env(), capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        if sink == "--db":
            import sqlite3
            with sqlite3.connect(target) as conn:
                count, distinct = conn.execute("SELECT count(*), count(DISTINCT sha256) FROM reports").fetchone()
        else:
            paths = jsonl_paths(target)
            count, distinct = len(paths), len(set(paths))
        assert count == distinct == n


def test_full_disk_reported_when_the_write_fails(tmp_path, monkeypatch, many_reports):
    """The same without root: the JSONL write path raises ENOSPC."""
    folder, _ = many_reports

    def full(self, record):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(JsonlSink, "write", full)
    res = batch(folder, "--jsonl", tmp_path / "o.jsonl")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "disk_full" in res.stderr


# -- extract -o ------------------------------------------------------------------

def test_extract_output_into_a_missing_folder_is_one_line(tmp_path):
    res = subprocess.run([sys.executable, "-m", "gaiextract", "extract", str(SEED), "-o",
                          str(tmp_path / "no" / "such" / "o.json")], env=subprocess_env(),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1
    assert "output_unwritable" in res.stderr and "Traceback" not in res.stderr


def test_extract_output_into_a_read_only_folder_is_one_line(tmp_path):
    ro = tmp_path / "ro"
    if os.geteuid() == 0:
        ctx = tmpfs(ro, "1m", "ro")            # root writes through permission bits
    else:
        ro.mkdir()
        ro.chmod(0o555)
        ctx = contextlib.nullcontext(ro)
    with ctx:
        res = subprocess.run([sys.executable, "-m", "gaiextract", "extract", str(SEED), "-o", str(ro / "o.json")],
                             env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "output_unwritable" in res.stderr and "Traceback" not in res.stderr


def test_extract_output_never_truncates_an_existing_file(tmp_path):
    out = tmp_path / "o.json"
    out.write_text("mine")
    res = CliRunner().invoke(main, ["extract", str(SEED), "-o", str(out)])
    assert res.exit_code == 1 and "output_exists" in res.stderr and out.read_text() == "mine"
    assert CliRunner().invoke(main, ["extract", str(SEED), "-o", str(out), "--overwrite"]).exit_code == 0
    assert json.loads(out.read_text())["report"]["year"] == 2025


# -- GBK member names in zip archives ----------------------------------------------

def test_gbk_zip_member_names_are_decoded(tmp_path):
    name = "通州区2022年政府信息公开工作年度报告.txt"
    archive = tmp_path / "gbk.zip"

    class GbkName(zipfile.ZipInfo):  # what Windows archivers write: GBK bytes, no UTF-8 flag
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(GbkName(name), SEED.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        assert zf.infolist()[0].flag_bits & 0x800 == 0
        assert zf.infolist()[0].filename != name            # Python reads it as cp437 mojibake
    got = [g for g in InputWalker([str(archive)]) if isinstance(g, Item)]
    assert [g.label for g in got] == [f"{archive}!/{name}"]


def test_extract_of_an_unreadable_file_creates_no_output(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = CliRunner().invoke(main, ["extract", str(bad), "-o", str(tmp_path / "o.json")])
    assert res.exit_code == 3 and not (tmp_path / "o.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt"]   # no temporary file left either
