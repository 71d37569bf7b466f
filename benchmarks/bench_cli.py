"""CLI wall time for one text report, against the interpreter's own start-up.

usage: python3 benchmarks/bench_cli.py [FILE] [--runs N]

Prints the median wall time of `gaiextract extract FILE` (target < 0.5 s), the
median of a bare `python3 -c pass` measured in the same run, their ratio, and
whether jieba had to be loaded for that document.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "corpus" / "txt" / "seed_000_5312fda51cfcd75e.txt"


def _time(cmd: list, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    baseline = _time([sys.executable, "-c", "pass"], args.runs)
    cli = _time([sys.executable, "-m", "gaiextract", "extract", args.file], args.runs)
    probe = subprocess.run([sys.executable, "-c", (
        "import sys, gaiextract; gaiextract.extract(sys.argv[1]); print('jieba' in sys.modules)"), args.file],
        capture_output=True, text=True, check=True).stdout.strip()
    result = {"file": args.file, "runs": args.runs, "cli_median_s": round(cli, 3),
              "python_startup_median_s": round(baseline, 3), "ratio_to_python_startup": round(cli / baseline, 2),
              "jieba_loaded": probe == "True", "target_s": 0.5, "meets_target": cli < 0.5}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_cli.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
