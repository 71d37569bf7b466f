#!/usr/bin/env python3
"""OCR cost: python3 benchmarks/bench_ocr.py [--docs 2] [--pages N] [--threads N] [--det 960 1280 0] [--only now ...]

Each setting runs in a fresh subprocess over the same scanned corpus documents
(corpus/scan/*.pdf, image-only) and reports seconds per page (model loading
counted apart), CPU seconds per page (user + system: the work done, which a
loaded machine disturbs less than the wall clock), peak RSS, and the ratio to a
**baseline measured in the same run**:
RapidOCR's own call (``RapidOCR()(image)``, its defaults: every core, detection
at the full page image) on the same page images at the same dpi — what reading
those pages costs anyone, before our straightening, rules, tables and re-reads.

Settings:
* ``before``: what the reader did before this benchmark's issue (detection at the
  full image, one page at a time, ONNX Runtime on every core, RapidOCR's batches
  of text lines, no heap trimming);
* ``batched``: the defaults but RapidOCR's batches of text lines (6 lines padded
  to the widest, one call on every core) instead of ``OcrSettings.rec_each_line``;
* ``now``: the defaults (detection at ``OcrSettings.det_max_side``, one page at a
  time, each text line recognised alone, lines spread over single-threaded calls
  on every core, heap trimmed after each page);
* ``parallel``: the defaults with a document's pages read in parallel threads;
* ``det=N``: the defaults with another detection size (0: the full image).

Needs ``gaiextract[ocr]``. Not a test: figures depend on the machine and its
load, ratios less so. Writes benchmarks/out/bench_ocr.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, {src!r})
from gaiextract.readers import ocr
kind, kw, paths, most = {kind!r}, {kw!r}, {paths!r}, {most!r}
settings = ocr.OcrSettings(**kw)
t0 = time.perf_counter()
if kind == "baseline":
    import numpy as np, pypdfium2 as pdfium
    from rapidocr_onnxruntime import RapidOCR
    eng = RapidOCR()
else:
    ocr.engine(settings)
load = time.perf_counter() - t0
pages = 0
cpu0 = os.times()
t0 = time.perf_counter()
for path in paths:
    data = open(path, "rb").read()
    n = len(__import__("pypdfium2").PdfDocument(data))
    n = min(n, most) if most else n
    if kind == "baseline":
        pdf = pdfium.PdfDocument(data)
        for i in range(n):
            img, _ = ocr.render_page(pdf, i, settings.dpi)
            eng(np.asarray(img.convert("RGB")))
        pdf.close()
    else:
        ocr.read_pages(data, list(range(1, n + 1)), settings)
    pages += n
total = time.perf_counter() - t0
cpu1 = os.times()
cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
print(json.dumps({{"setting": {name!r}, "pages": pages, "load_s": round(load, 2),
                  "s_per_page": round(total / max(1, pages), 2),
                  "cpu_s_per_page": round(cpu / max(1, pages), 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}}))
"""


def run(name: str, kind: str, kw: dict, paths: list[str], most: int = 0) -> dict:
    code = CHILD.format(src=str(ROOT / "src"), kind=kind, kw=kw, paths=paths, name=name, most=most)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2, help="scanned corpus documents read (sorted by name)")
    ap.add_argument("--pages", type=int, default=0, help="read at most this many pages of each (0: all)")
    ap.add_argument("--only", nargs="*", default=[], help="run only these settings (the baseline always runs)")
    ap.add_argument("--threads", type=int, default=None, help="cores OCR may use (default: all)")
    ap.add_argument("--det", type=int, nargs="*", default=[], help="extra detection sizes to try")
    args = ap.parse_args(argv)
    paths = [str(p) for p in sorted((ROOT / "corpus" / "scan").glob("*.pdf"))[: args.docs]]
    common = {"threads": args.threads}
    settings = [("baseline", "baseline", common),
                ("before", "ours", {**common, "det_max_side": 0, "trim_memory": False,
                                    "rec_each_line": False}),
                ("batched", "ours", {**common, "rec_each_line": False}),
                ("now", "ours", common),
                ("parallel", "ours", {**common, "parallel_pages": True})]
    settings += [(f"det={n}", "ours", {**common, "det_max_side": n}) for n in args.det]
    settings = [s for s in settings if not args.only or s[0] == "baseline" or s[0] in args.only]
    results = [run(name, kind, kw, paths, args.pages) for name, kind, kw in settings]
    base = results[0]["s_per_page"] or 1e-9
    for r in results:
        r["ratio_to_baseline"] = round(r["s_per_page"] / base, 2)
    print(f"{'setting':<10} {'s/page':>7} {'x baseline':>10} {'cpu s/page':>10} {'peak MB':>8} {'load s':>7}"
          f"  ({results[0]['pages']} pages)")
    for r in results:
        print(f"{r['setting']:<10} {r['s_per_page']:>7} {r['ratio_to_baseline']:>10} {r['cpu_s_per_page']:>10} "
              f"{r['peak_rss_mb']:>8} {r['load_s']:>7}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_ocr.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
