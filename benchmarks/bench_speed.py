#!/usr/bin/env python3
"""Every speed ratio of issue 22, each against its baseline measured in the same run:

    python3 benchmarks/bench_speed.py [--repeat 3] [--docs 10] [--no-ocr] [--json-only]

| ratio | ours | baseline | goal |
|---|---|---|---|
| pdf | ``gaiextract.extract`` (pdfium engine, ``ocr="never"``) | pypdfium2 plain text of the same pages | <= 4 |
| pdf_pdfminer | the same with ``pdf_engine="pdfminer"`` | pypdfium2 plain text | (the old engine) |
| html | ``gaiextract.extract`` | lxml parse + ``text_content()`` | <= 4 |
| docx | ``gaiextract.extract`` | python-docx reading every paragraph and cell | <= 0.5 |
| cold_start | ``python -m gaiextract --version`` | ``python -c pass`` | <= 6 |
| ocr | benchmarks/bench_ocr.py (seconds per page, peak RSS) | — | <= 1.5 s/page, <= 600 MB |

Work is interleaved file by file (ours, then its baseline, ``--repeat`` times);
per-file medians are summed, so a busy machine slows both sides alike. Prints a
table and the JSON (also written to benchmarks/out/bench_speed.json). Not a test:
nothing here asserts.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOALS = {"pdf": ("<=", 4.0), "html": ("<=", 4.0), "docx": ("<=", 0.5), "cold_start": ("<=", 6.0)}


def _median_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def pdf_plain(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
    finally:
        pdf.close()


def html_plain(path: Path) -> None:
    import lxml.html

    lxml.html.fromstring(path.read_bytes()).text_content()


def docx_plain(path: Path) -> None:
    import docx

    d = docx.Document(str(path))
    for p in d.paragraphs:
        p.text  # noqa: B018
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                cell.text  # noqa: B018


def ours(**kw: Any) -> Callable[[Path], None]:
    import gaiextract

    def run(path: Path) -> None:
        try:
            gaiextract.extract(path, **kw)
        except gaiextract.ExtractError:
            pass
    return run


def ratio(files: list[Path], mine: Callable[[Path], None], base: Callable[[Path], None],
          repeat: int) -> dict[str, Any]:
    t_ours = t_base = 0.0
    for f in files:
        mine(f)  # warm: imports, grammar, caches
        base(f)
        t_ours += _median_time(lambda f=f: mine(f), repeat)
        t_base += _median_time(lambda f=f: base(f), repeat)
    return {"files": len(files), "ours_s": round(t_ours, 3), "baseline_s": round(t_base, 3),
            "ratio": round(t_ours / t_base, 2) if t_base else None}


def cold_start(repeat: int) -> dict[str, Any]:
    env_src = str(ROOT / "src")
    import os

    env = dict(os.environ, PYTHONPATH=env_src + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def run(args: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True, env=env)
        return time.perf_counter() - t0

    ours_t, base_t = [], []
    for _ in range(max(repeat, 5)):
        ours_t.append(run(["-m", "gaiextract", "--version"]))
        base_t.append(run(["-c", "pass"]))
    o, b = statistics.median(ours_t), statistics.median(base_t)
    return {"ours_s": round(o, 3), "baseline_s": round(b, 3), "ratio": round(o / b, 2)}


def ocr(docs: int) -> dict[str, Any]:
    script = ROOT / "benchmarks" / "bench_ocr.py"
    if not script.exists():
        return {"skipped": "benchmarks/bench_ocr.py is missing"}
    proc = subprocess.run([sys.executable, str(script), "--docs", str(docs)], capture_output=True, text=True,
                          cwd=str(ROOT))
    if proc.returncode != 0:
        return {"skipped": (proc.stderr.strip().splitlines() or ["bench_ocr.py failed"])[-1][:200]}
    try:
        return {"results": json.loads((ROOT / "benchmarks" / "out" / "bench_ocr.json").read_text())}
    except (OSError, ValueError):
        return {"output": proc.stdout[-500:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timings per file and method (median)")
    ap.add_argument("--docs", type=int, default=10, help="documents per format (0: all)")
    ap.add_argument("--no-ocr", action="store_true", help="skip the OCR measurement (slow)")
    ap.add_argument("--ocr-docs", type=int, default=1)
    ap.add_argument("--json-only", action="store_true")
    args = ap.parse_args()

    def pick(pattern: str) -> list[Path]:
        files = sorted((ROOT / "corpus").glob(pattern))
        return files[: args.docs] if args.docs else files

    results: dict[str, Any] = {}
    results["pdf"] = ratio(pick("pdf/*.pdf"), ours(ocr="never", pdf_engine="pdfium"), pdf_plain, args.repeat)
    results["pdf_pdfminer"] = ratio(pick("pdf/*.pdf"), ours(ocr="never", pdf_engine="pdfminer"), pdf_plain,
                                    args.repeat)
    results["html"] = ratio(pick("html/*.html"), ours(), html_plain, args.repeat)
    results["docx"] = ratio(pick("docx/*.docx"), ours(), docx_plain, args.repeat)
    results["cold_start"] = cold_start(args.repeat)
    results["ocr"] = {"skipped": "--no-ocr"} if args.no_ocr else ocr(args.ocr_docs)
    for key, (_, goal) in GOALS.items():
        r = results[key].get("ratio")
        results[key]["goal"] = goal
        results[key]["met"] = r is not None and r <= goal

    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_speed.json").write_text(json.dumps(results, indent=1) + "\n")
    if not args.json_only:
        print(f"{'what':<14}{'ours s':>10}{'base s':>10}{'ratio':>8}{'goal':>8}  met")
        for key, r in results.items():
            if "ratio" in r:
                goal = r.get("goal")
                print(f"{key:<14}{r['ours_s']:>10.3f}{r['baseline_s']:>10.3f}{r['ratio']:>8}"
                      f"{'' if goal is None else '<= ' + str(goal):>8}  {r.get('met', '')}")
            else:
                print(f"{key:<14}{json.dumps(r)[:120]}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
