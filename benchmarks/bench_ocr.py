#!/usr/bin/env python3
"""OCR cost: python3 benchmarks/bench_ocr.py [--dpi 150] [--threads -1] [--docs 2]

Reads scanned corpus documents (corpus/scan/*.pdf, image-only) with
``gaiextract.extract(path, ocr="auto")`` in a fresh subprocess per setting, and
reports seconds per page (model loading counted separately), the share of it in
the recogniser, and the subprocess's peak RSS. Needs ``gaiextract[ocr]``.
Writes benchmarks/out/bench_ocr.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {src!r})
from gaiextract.readers import ocr
settings = ocr.OcrSettings(dpi={dpi}, threads={threads})
ocr.DEFAULT_OCR = settings
t0 = time.perf_counter(); ocr.engine(settings); load = time.perf_counter() - t0
spent = [0.0]
orig = ocr._recognise
def timed(eng, grey):
    t = time.perf_counter(); r = orig(eng, grey); spent[0] += time.perf_counter() - t; return r
ocr._recognise = timed
import gaiextract
from gaiextract.readers import pdf as pdf_reader
pages = 0
t0 = time.perf_counter()
for path in {paths!r}:
    src = gaiextract.source.as_source(path)
    scans, warnings = pdf_reader.PdfReader()._scan(src)
    got = ocr.apply(src.data, scans, warnings, "auto", set(), settings)
    pages += len(got)
total = time.perf_counter() - t0
print(json.dumps({{"dpi": {dpi}, "threads": {threads}, "pages": pages, "load_s": round(load, 2),
                  "s_per_page": round(total / max(1, pages), 2),
                  "recogniser_share": round(spent[0] / total, 2) if total else 0,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}}))
"""


def run(dpi: int, threads: int, paths: list[str]) -> dict:
    code = CHILD.format(src=str(ROOT / "src"), dpi=dpi, threads=threads, paths=paths)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dpi", type=int, nargs="+", default=[150])
    ap.add_argument("--threads", type=int, default=-1)
    ap.add_argument("--docs", type=int, default=2)
    args = ap.parse_args(argv)
    paths = [str(p) for p in sorted((ROOT / "corpus" / "scan").glob("*.pdf"))[: args.docs]]
    results = [run(dpi, args.threads, paths) for dpi in args.dpi]
    for r in results:
        print(f"{r['dpi']} dpi, {r['threads']} thread(s): {r['s_per_page']} s/page over {r['pages']} pages "
              f"(recogniser {r['recogniser_share']:.0%}), model load {r['load_s']} s, "
              f"peak RSS {r['peak_rss_mb']} MB")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_ocr.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
