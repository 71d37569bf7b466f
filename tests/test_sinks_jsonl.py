"""JSONL sink: one line per file, resume by key, repair after a kill."""
import json

import pytest

from gaiextract.batch.worker import error_record
from gaiextract.sinks.jsonl import JsonlSink, line_key
from batch_support import CORPUS

SEED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt"


@pytest.fixture(scope="module")
def report():
    import gaiextract
    return gaiextract.extract(SEED).to_dict()


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_records_are_one_compact_line_each_and_keys_read_back(tmp_path, report):
    path = tmp_path / "o.jsonl"
    sink = JsonlSink(path)
    sink.open(resume=False)
    err = error_record("x/bad.pdf", "ab" * 32, "corrupt", "damaged")
    nosha = error_record("x/gone.pdf", None, "not_found", "missing")
    for rec in (report, err, nosha, report):            # the repeat is ignored
        sink.write(rec)
    sink.close()
    got = lines(path)
    assert got == [report, err, nosha]
    raw = path.read_bytes().splitlines()
    assert [line_key(x) for x in raw] == [report["source"]["sha256"], "ab" * 32, "path:x/gone.pdf"]
    assert "密云区" in path.read_text(encoding="utf-8")   # not \u-escaped


def test_resume_keeps_and_reads_keys_without_resume_replaces(tmp_path, report):
    path = tmp_path / "o.jsonl"
    sink = JsonlSink(path)
    sink.open(resume=False)
    sink.write(report)
    sink.close()
    again = JsonlSink(path)
    again.open(resume=True)
    assert again.has(report["source"]["sha256"])
    again.write(report)
    again.close()
    assert len(lines(path)) == 1
    before = path.read_bytes()
    fresh = JsonlSink(path)
    fresh.open(resume=False)
    fresh.close()
    assert path.read_bytes() == before  # never truncated (issue 10: --help says "Append")
    fresh = JsonlSink(path)
    fresh.open(resume=False)
    newer = {**report, "report": {**report["report"], "title": "newer"}}
    fresh.write(newer)
    assert path.read_bytes().count(b"\n") == 2  # appended at once (a kill loses nothing) ...
    fresh.close()
    assert [x["report"]["title"] for x in lines(path)] == ["newer"]  # ... one line per file at the end
    assert fresh.replaced_lines == 1


def test_partial_last_line_from_a_killed_run_is_repaired(tmp_path, report):
    path = tmp_path / "o.jsonl"
    whole = json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"
    second = error_record("b.pdf", "cd" * 32, "corrupt", "x")
    cut = json.dumps(second, separators=(",", ":"))[:40]     # SIGKILL mid-write
    path.write_text(whole + cut, encoding="utf-8")
    sink = JsonlSink(path)
    sink.open(resume=True)
    assert sink.repaired_bytes == len(cut.encode())
    assert sink.done == {report["source"]["sha256"]}
    sink.write(second)
    sink.close()
    assert lines(path) == [report, second]
