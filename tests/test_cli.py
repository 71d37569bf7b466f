import json
import subprocess
import sys

from click.testing import CliRunner

from gaiextract.cli import main

from conftest import SEED


def test_extract_prints_utf8_json():
    res = CliRunner().invoke(main, ["extract", str(SEED)])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["report"]["agency"] == "密云区融媒体中心"
    assert "密云区" in res.output


def test_extract_to_file(tmp_path):
    out = tmp_path / "o.json"
    res = CliRunner().invoke(main, ["extract", str(SEED), "-o", str(out)])
    assert res.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["report"]["year"] == 2025


def test_unreadable_input_is_one_line_on_stderr(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "gaiextract", "extract", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 3  # unreadable input; 2 is a usage error (docs/cli.md)
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "empty" in lines[0] and "Traceback" not in proc.stderr


def test_stdin():
    res = CliRunner().invoke(main, ["extract", "-"], input=SEED.read_bytes())
    assert res.exit_code == 0
    assert json.loads(res.output)["source"]["path"] == "<stdin>"
