"""One JSON file per report: safe names inside DIR, atomic, resumable."""
import json

from gaiextract.batch.worker import error_record
from gaiextract.sinks.files import DirSink, file_stem


def report_record(path, sha):
    return {"schema": "gaiextract.report/1", "source": {"path": path, "format": "txt", "sha256": sha},
            "report": {}, "sections": [], "tables": {}, "checks": [], "warnings": []}


def test_names_stay_inside_the_folder():
    assert file_stem("a.zip!/../../etc/passwd") == "passwd"
    assert file_stem("/x/y/报告 2024.pdf") == "报告_2024.pdf"
    assert file_stem("a.zip!/dir/") == "dir"
    assert file_stem("..") == "report"


def test_report_replaces_an_earlier_error_for_the_same_file(tmp_path):
    sha = "ef" * 32
    sink = DirSink(tmp_path)
    sink.open(resume=False)
    sink.write(error_record("in/a.txt", sha, "timeout", "slow"))
    sink.close()
    assert [p.name for p in (tmp_path / "_errors").iterdir()] == [f"a.txt.{sha}.json"]
    again = DirSink(tmp_path)
    again.open(resume=False)
    again.write(report_record("in/a.txt", sha))
    again.close()
    assert list((tmp_path / "_errors").iterdir()) == []
    written = tmp_path / f"a.txt.{sha}.json"
    assert json.loads(written.read_text())["source"]["sha256"] == sha


def test_resume_lists_done_files_and_removes_temporaries(tmp_path):
    sha = "01" * 32
    sink = DirSink(tmp_path)
    sink.open(resume=False)
    sink.write(report_record("a.txt", sha))
    sink.write(error_record("gone.pdf", None, "not_found", "missing"))
    sink.close()
    (tmp_path / f"b.txt.{'02' * 32}.json.tmp").write_text("{")   # a killed write
    again = DirSink(tmp_path)
    again.open(resume=True)
    assert again.has(sha) and again.has("path:gone.pdf") and not again.has("02" * 32)
    assert not list(tmp_path.glob("*.tmp"))
