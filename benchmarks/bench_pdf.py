#!/usr/bin/env python3
"""PDF throughput: python3 benchmarks/bench_pdf.py [--repeat 5] [--pages 500]

Over corpus/pdf/*.pdf, measured in one run and interleaved file by file:

* **ours** — the full extraction, ``gaiextract.extract(path)`` (reader + layout +
  checks), or the PDF reader alone with ``--reader-only``;
* **plain** — pdfplumber opening the same file and calling ``page.extract_text()``
  on every page (closing each page), the cheapest useful pass over the same pages.

Each file is timed ``--repeat`` times per method; the per-file medians are summed.
Reports reports/s, pages/s, the ratio ours/plain (target <= 1.5), the peak RSS of
this process, and — in a fresh subprocess — the peak RSS of reading one generated
``--pages``-page PDF with the reader (bounded memory: pages are closed after use).
Writes benchmarks/out/bench_pdf.json (bench_pdf_reader.json with --reader-only).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def plain_pass(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        n = 0
        for page in pdf.pages:
            page.extract_text()
            page.close()
            n += 1
    return n


def ours_fn(reader_only: bool):
    if not reader_only:
        import gaiextract

        if hasattr(gaiextract, "extract"):
            return "gaiextract.extract", lambda p: gaiextract.extract(p)
    from gaiextract.readers.pdf import PdfReader
    from gaiextract.source import as_source

    return "PdfReader.read", lambda p: PdfReader().read(as_source(p))


def big_pdf_rss(n_pages: int) -> dict:
    """Peak RSS of a fresh interpreter reading an n-page PDF with the reader."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"pages_{n_pages}.pdf"
        make = f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
from corpus.builder.render_pdf import Flow, PageStyle, TableStyle, save
from corpus.builder.model import GridCell
flow = Flow(PageStyle(header="示例市审计局政府信息公开工作年度报告", footer="slash"))
text = "严格落实政府信息公开保密审查制度，坚持先审查、后公开和一事一审原则，防止泄露国家秘密。" * 3
rows = [[GridCell("事项"), GridCell("数量")]] + [[GridCell(f"第{{i}}项"), GridCell(str(i))] for i in range(12)]
while len(flow.pages) < {n_pages}:
    flow.paragraph(text)
    if len(flow.pages) % 10 == 0 and flow.y < 300:
        flow.table(rows, [300, 151])
while len(flow.pages) > {n_pages}:
    flow.pages.pop(); flow.sizes.pop()
save(flow, {str(path)!r})
"""
        subprocess.run([sys.executable, "-c", make], check=True)
        probe = f"""
import json, resource, sys, time
sys.path.insert(0, {str(ROOT / 'src')!r})
from gaiextract.readers.pdf import PdfReader
from gaiextract.source import as_source
def hwm():  # VmHWM: this process's own peak (ru_maxrss would include the parent's at fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
base = hwm()
t = time.perf_counter()
doc = PdfReader().read(as_source({str(path)!r}))
el = time.perf_counter() - t
print(json.dumps({{"pages": doc.pages, "seconds": el, "blocks": len(doc.blocks),
                  "rss_before_kb": base, "peak_rss_kb": hwm()}}))
"""
        out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
        res = json.loads(out.stdout)
        res["file_mb"] = round(path.stat().st_size / 1e6, 2)
        return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pages", type=int, default=500, help="size of the generated big PDF (0: skip)")
    ap.add_argument("--reader-only", action="store_true", help="time the PDF reader, not extract()")
    ap.add_argument("--corpus", default=str(ROOT / "corpus" / "pdf"))
    args = ap.parse_args(argv)

    files = sorted(Path(args.corpus).glob("*.pdf"))
    if not files:
        print(f"no PDFs in {args.corpus}")
        return 1
    label, ours = ours_fn(args.reader_only)
    for f in files[:2]:  # warm up imports, CMaps, grammars, jieba
        ours(f)
        plain_pass(f)
    times = {f: {"ours": [], "plain": []} for f in files}
    pages = {}
    for _ in range(args.repeat):
        for f in files:
            t = time.perf_counter()
            ours(f)
            times[f]["ours"].append(time.perf_counter() - t)
            t = time.perf_counter()
            pages[f] = plain_pass(f)
            times[f]["plain"].append(time.perf_counter() - t)
    med = {f: {k: statistics.median(v) for k, v in d.items()} for f, d in times.items()}
    t_ours = sum(m["ours"] for m in med.values())
    t_plain = sum(m["plain"] for m in med.values())
    n_pages = sum(pages.values())
    result = {
        "ours": label,
        "files": len(files),
        "pages": n_pages,
        "repeat": args.repeat,
        "seconds_ours": round(t_ours, 3),
        "seconds_plain_extract_text": round(t_plain, 3),
        "reports_per_s": round(len(files) / t_ours, 2),
        "pages_per_s": round(n_pages / t_ours, 1),
        "plain_pages_per_s": round(n_pages / t_plain, 1),
        "ratio_ours_to_plain": round(t_ours / t_plain, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "per_file": {f.name: {"pages": pages[f], "ours_s": round(m["ours"], 4),
                              "plain_s": round(m["plain"], 4)} for f, m in med.items()},
    }
    if args.pages:
        result["big_pdf"] = big_pdf_rss(args.pages)
        result["small_pdf"] = big_pdf_rss(max(1, args.pages // 10))
    print(f"{'measure':34} {'value':>12}")
    for key in ("ours", "files", "pages", "reports_per_s", "pages_per_s", "plain_pages_per_s",
                "ratio_ours_to_plain", "peak_rss_mb"):
        print(f"{key:34} {result[key]!s:>12}")
    if args.pages:
        b = result["big_pdf"]
        print(f"{'big PDF pages (reader)':34} {b['pages']:>12}")
        print(f"{'big PDF seconds':34} {b['seconds']:>12.1f}")
        print(f"{'big PDF peak RSS MB (fresh proc)':34} {b['peak_rss_kb'] / 1024:>12.1f}")
        print(f"{'  peak RSS before reading MB':34} {b['rss_before_kb'] / 1024:>12.1f}")
        sm = result["small_pdf"]
        print(f"{'peak RSS MB, ' + str(sm['pages']) + '-page PDF (same)':34} {sm['peak_rss_kb'] / 1024:>12.1f}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    name = "bench_pdf_reader.json" if args.reader_only else "bench_pdf.json"
    (out / name).write_text(json.dumps(result, indent=1) + "\n")
    print(f"written {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
