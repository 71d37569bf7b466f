"""The worst input of each kind of issue 24 (hostile structure) run through the CLI,
each in its own process: exit status, time and peak memory (the child's own
``ru_maxrss`` from ``os.wait4``), and whether stdout is valid JSON.

    python3 tests/fuzz/worst_cases.py            # every case at full size, a table
    python3 tests/fuzz/worst_cases.py -k docx    # the cases whose name contains docx

The contract for every case: exit 0 with a JSON report on stdout, or a documented
one-line error on stderr; no traceback; under 500 MB and 60 s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_structure as hs  # noqa: E402

MAX_RSS_MB = 500
MAX_SECONDS = 60.0


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    build: Callable[[], bytes]


CASES: list[Case] = [
    Case("03 docx int inf", ".docx", lambda: hs.docx_number_value("inf")),
    Case("03 docx int 1e400", ".docx", lambda: hs.docx_number_value("1e400")),
    Case("04 docx sym 110000", ".docx", lambda: hs.docx_symbol("110000")),
    Case("04 docx sym FFFFFFFFFFFF", ".docx", lambda: hs.docx_symbol("FFFFFFFFFFFF")),
    Case("05 docx ilvl x", ".docx", lambda: hs.docx_list_level("x")),
    Case("06 html charset undefined", ".html", lambda: hs.html_charset("undefined")),
    Case("06 html charset palmos", ".html", lambda: hs.html_charset("palmos")),
    Case("06 html charset unicode_escape", ".html", lambda: hs.html_charset("unicode_escape")),
    Case("07 mhtml 3000 nested", ".mht", lambda: hs.mhtml_nested(3000)),
    Case("08 text 5000-digit cell", ".txt", lambda: hs.giant_number_text(5000)),
    Case("10 text 400-digit decimal", ".txt", lambda: hs.giant_number_text(400, decimal=True)),
    Case("12 docx basedOn 10000 x 3000 runs", ".docx", lambda: hs.docx_style_chain(10_000, 3_000)),
    Case("13 html 20000 tiny tables", ".html", lambda: hs.html_tiny_tables(20_000)),
    Case("16 docx lowerLetter 1e9", ".docx", lambda: hs.docx_list_start("lowerLetter", 10**9)),
    Case("16 docx upperRoman 1e12", ".docx", lambda: hs.docx_list_start("upperRoman", 10**12)),
    Case("17 html 1000 rows span 100000", ".html", lambda: hs.html_spans(1_000, 100_000)),
    Case("18 text 199k-row pipe table", ".md", lambda: hs.pipe_table_text(199_000)),
    Case("18 text 199k heading lines", ".txt", lambda: hs.heading_lines_text(199_000)),
    Case("18 text 199k heading lines alone", ".txt", lambda: hs.heading_lines_text(199_000, report=False)),
    Case("18 docx 199k heading paragraphs", ".docx", lambda: hs.docx_heading_paragraphs(199_000)),
    Case("18 html 199k heading paragraphs", ".html", lambda: hs.html_heading_paragraphs(199_000)),
]


@dataclass
class Outcome:
    case: str
    status: int
    seconds: float
    peak_mb: float
    problem: Optional[str]


def run_cli(args: list[str], timeout: float = MAX_SECONDS * 2) -> tuple[int, float, float, bytes, bytes]:
    """(exit status, seconds, peak RSS MB, stdout, stderr) of ``python -m gaiextract ARGS``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "gaiextract", *args], stdout=out, stderr=err, env=env)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak RSS
        timer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        secs = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        peak = usage.ru_maxrss / 1024
        return code, secs, peak, out.read(), err.read()


def verdict(status: int, secs: float, peak: float, stdout: bytes, stderr: bytes) -> Optional[str]:
    """None when the outcome meets the contract, else what is wrong."""
    if b"Traceback" in stderr:
        return "traceback: " + stderr.decode("utf-8", "replace").strip().splitlines()[-1][:160]
    if status == 0:
        try:
            json.loads(stdout, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        except ValueError as exc:
            return f"stdout is not JSON ({exc})"[:200]
    elif len(stderr.decode("utf-8", "replace").strip().splitlines()) != 1:
        return "error is not one line: " + stderr.decode("utf-8", "replace")[:200]
    if secs > MAX_SECONDS:
        return f"took {secs:.0f} s"
    if peak > MAX_RSS_MB:
        return f"peak {peak:.0f} MB"
    return None


def run_case(case: Case) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("case" + case.suffix)
        path.write_bytes(case.build())
        status, secs, peak, out, err = run_cli(["extract", str(path)])
        return Outcome(case.name, status, secs, peak, verdict(status, secs, peak, out, err))


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", default="", help="only the cases whose name contains this")
    args = ap.parse_args(argv)
    bad = 0
    print(f"{'case':40} {'exit':>4} {'s':>6} {'MB':>6}  verdict")
    for case in CASES:
        if args.k not in case.name:
            continue
        o = run_case(case)
        bad += o.problem is not None
        print(f"{o.case:40} {o.status:>4} {o.seconds:6.1f} {o.peak_mb:6.0f}  {o.problem or 'ok'}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
