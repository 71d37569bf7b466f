#!/usr/bin/env python3
"""DOCX speed against python-docx (issue 22): python3 benchmarks/bench_docx.py [--repeat 3] [--docs 10]

Over the corpus Word documents (corpus/docx/*.docx, the first ``--docs``; 0: all), measured in
one run and interleaved file by file against the baseline of ``bench_speed.py`` (python-docx
opening the file and reading every paragraph and every cell's text):

* **extract** — ``gaiextract.extract(path)``, the ratio ``bench_speed.py`` reports (goal <= 0.5);
* **extract, no style cache** — the same with ``DocxSettings(style_cache_entries=0)``: every
  styles.xml parsed again (what a batch of documents from different templates costs);
* **reader** — the DOCX reader alone (``gaiextract.read``), and **layout** — the stages after it
  (``pipeline.build_report`` on the read document), to show which side the time is on.

Each file is timed ``--repeat`` times per method; the per-file medians are summed. Prints a
table and writes benchmarks/out/bench_docx.json. Not a timed test: nothing here asserts.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

GOAL = 0.5


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(files: list[Path], repeat: int) -> dict[str, Any]:
    import gaiextract
    from bench_speed import docx_plain
    from gaiextract import grammar as grammar_mod
    from gaiextract import pipeline
    from gaiextract.readers import docx as docx_reader
    from gaiextract.source import as_source

    grammar = grammar_mod.load(None)
    cached, uncached = docx_reader.SETTINGS, docx_reader.DocxSettings(style_cache_entries=0)

    def extract(path: Path) -> None:
        gaiextract.extract(path)

    def extract_cold(path: Path) -> None:
        docx_reader.SETTINGS = uncached
        try:
            gaiextract.extract(path)
        finally:
            docx_reader.SETTINGS = cached

    def reader(path: Path) -> None:
        gaiextract.read(path)

    read_docs = {}

    def layout(path: Path) -> None:
        src, doc = read_docs[path]
        pipeline.build_report(doc, src, grammar)

    methods = {"extract": extract, "extract_no_style_cache": extract_cold, "reader": reader,
               "layout": layout}
    totals = dict.fromkeys(methods, 0.0)
    base = 0.0
    for f in files:
        src = as_source(f)
        read_docs[f] = (src, gaiextract.read(f))
        for fn in methods.values():  # warm: imports, grammar, caches
            fn(f)
        docx_plain(f)
        for key, fn in methods.items():
            totals[key] += _median(lambda fn=fn, f=f: fn(f), repeat)
            base += _median(lambda f=f: docx_plain(f), repeat) / len(methods)
    out: dict[str, Any] = {"files": len(files), "python_docx_s": round(base, 3)}
    for key, t in totals.items():
        out[key] = {"s": round(t, 3), "ratio": round(t / base, 2) if base else None}
    out["goal"] = GOAL
    out["met"] = base > 0 and totals["extract"] / base <= GOAL
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timings per file and method (median)")
    ap.add_argument("--docs", type=int, default=10, help="documents (0: all)")
    args = ap.parse_args()
    files = sorted((ROOT / "corpus").glob("docx/*.docx"))
    files = files[: args.docs] if args.docs else files
    res = measure(files, args.repeat)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_docx.json").write_text(json.dumps(res, indent=1) + "\n")
    print(f"{len(files)} documents; python-docx (baseline) {res['python_docx_s']:.3f} s")
    print(f"{'what':<26}{'s':>8}{'ratio':>8}")
    for key in ("extract", "extract_no_style_cache", "reader", "layout"):
        print(f"{key:<26}{res[key]['s']:>8.3f}{res[key]['ratio']:>8}")
    print(f"goal extract <= {GOAL}: {'met' if res['met'] else 'not met'}")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
