#!/usr/bin/env python3
"""HTML speed against lxml (issue 22): python3 benchmarks/bench_html.py [--repeat 5] [--reader-only]

Over every corpus web page (corpus/**/*.html, .htm, .shtml, .mht) and the HTML
fixtures, measured in one run and interleaved file by file:

* **ours** — the full extraction, ``gaiextract.extract(path)`` (decode, parse, clean,
  blocks, layout, checks), or the HTML reader alone with ``--reader-only``;
* **lxml** — the baseline: ``lxml.html.document_fromstring(bytes).text_content()``
  on the same bytes (an MHTML archive's HTML part is passed to it already unwrapped).

Each file is timed ``--repeat`` times per method; the per-file medians are summed.
Prints a table and the ratio ours/lxml (goal: at most 4), and writes
benchmarks/out/bench_html.json. Not a timed test: the ratio is only meaningful
measured in one run on one machine (``benchmarks/bench_speed.py`` may call
:func:`measure`).
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

SUFFIXES = (".html", ".htm", ".shtml", ".mht", ".mhtml", ".xhtml")
GOAL = 4.0


def html_files() -> list[Path]:
    files = [p for p in sorted((ROOT / "corpus").rglob("*")) if p.suffix.lower() in SUFFIXES]
    files += [p for p in sorted((ROOT / "tests" / "fixtures" / "html").glob("*")) if p.suffix.lower() in SUFFIXES]
    return files


def _page_bytes(path: Path) -> bytes:
    from gaiextract.readers.html_decode import is_mhtml, mhtml_html_part

    data = path.read_bytes()
    if is_mhtml(data[:8192]):
        data = mhtml_html_part(data, path.name)[0]
    return data


def lxml_pass(data: bytes) -> int:
    import lxml.html

    try:
        return len(lxml.html.document_fromstring(data).text_content())
    except Exception:  # an empty page: lxml refuses it; the cost is the attempt
        return 0


def ours_fn(reader_only: bool) -> Callable[[Path], Any]:
    import gaiextract
    from gaiextract.errors import ExtractError

    if reader_only:
        from gaiextract.readers.html import HtmlReader
        from gaiextract.source import as_source

        def run(p: Path) -> Any:
            try:
                return HtmlReader().read(as_source(p))
            except ExtractError:
                return None
        return run

    def run_full(p: Path) -> Any:
        try:
            return gaiextract.extract(p, ocr="never")
        except ExtractError:
            return None
    return run_full


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(repeat: int = 5, reader_only: bool = False) -> dict[str, Any]:
    """Per-file and total seconds of both methods, and the ratio ours/lxml."""
    ours = ours_fn(reader_only)
    files = html_files()
    for p in files[:3]:  # warm up: imports, grammar, jieba
        ours(p)
    rows = []
    for p in files:
        data = _page_bytes(p)
        base = _median(lambda data=data: lxml_pass(data), repeat)
        mine = _median(lambda p=p: ours(p), repeat)
        rows.append({"file": str(p.relative_to(ROOT)), "bytes": p.stat().st_size, "lxml_s": base, "ours_s": mine,
                     "ratio": mine / base if base else None})
    total_base = sum(r["lxml_s"] for r in rows)
    total_ours = sum(r["ours_s"] for r in rows)
    return {"what": "reader" if reader_only else "extract", "files": len(rows), "repeat": repeat,
            "lxml_s": total_base, "ours_s": total_ours, "ratio": total_ours / total_base, "goal": GOAL,
            "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--reader-only", action="store_true", help="time the HTML reader, not the full extraction")
    ap.add_argument("--rows", action="store_true", help="print every file")
    args = ap.parse_args(argv)
    res = measure(args.repeat, args.reader_only)
    if args.rows:
        for r in sorted(res["rows"], key=lambda r: -r["ours_s"]):
            print(f"{r['file']:60} {r['bytes']:>9} {r['lxml_s'] * 1000:8.1f} ms {r['ours_s'] * 1000:8.1f} ms "
                  f"{r['ratio']:6.1f}x")
    print(f"{res['files']} pages, {res['what']}: ours {res['ours_s']:.2f} s, lxml parse + text_content() "
          f"{res['lxml_s']:.2f} s, ratio {res['ratio']:.1f}x (goal <= {GOAL:.0f}x)")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_html.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
