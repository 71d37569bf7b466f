"""Load test of ``gaiextract serve``: N requests, C at a time, mixed formats and hostile files.

    python3 benchmarks/bench_serve.py [--requests 200] [--concurrency 16] [--workers 2]

Starts a real server (uvicorn, a private TMPDIR, a token) on a free loopback port and
sends it a bounded number of requests — talking to 127.0.0.1 only — over a mix of
corpus reports (txt, html, docx, pdf) and hostile files (a PNG, a Word file cut in
half, an empty file, text that is no report, PDFs with a reference loop, a flate
bomb and a text bomb). Every answer is checked against the library run in this
process: a report must be byte for byte ``Report.to_json()`` + newline, a hostile
file must give the same error code with its documented status. Then the server is
stopped (SIGTERM) and nothing may be left: no process, no temporary file.

Latency is given as a ratio to one in-process extraction of the same document
(``gaiextract.extract`` here, measured in the same run, median of 3), so the figure
says what HTTP, the upload, the queue and the worker hand-over cost, whatever the
machine. Writes benchmarks/out/bench_serve.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's server launcher and hostile PDFs

import hostile_pdf  # noqa: E402
from serve_support import TOKEN, Served, leftovers  # noqa: E402

import gaiextract  # noqa: E402
from gaiextract.errors import ExtractError  # noqa: E402
from gaiextract.serve.errors import STATUS  # noqa: E402

CORPUS = ROOT / "corpus"
GOOD = ["txt/g01_txt_cells.txt", "txt/g02_txt.txt", "html/g01_html_gov.html", "html/g01_html_grouppath.html",
        "docx/g01_docx_official.docx", "docx/g02_docx_official.docx", "pdf/g01_pdf_drawn_rep_rule.pdf",
        "pdf/g02_pdf_lo_docx_official.pdf"]


def documents() -> list[tuple[str, bytes]]:
    docs = [(Path(p).name, (CORPUS / p).read_bytes()) for p in GOOD if (CORPUS / p).exists()]
    docx = (CORPUS / GOOD[4]).read_bytes()
    docs += [
        ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(4096)),
        ("half.docx", docx[: len(docx) // 2]),
        ("empty.txt", b""),
        ("minutes.txt", b"Minutes of the weekly meeting.\nNothing was decided.\n"),
        ("loop.pdf", hostile_pdf.circular("pages")),
        ("flate-bomb.pdf", hostile_pdf.flate_bomb(100_000_000)),
        ("text-bomb.pdf", hostile_pdf.text_bomb(200_000)),
    ]
    return docs


def in_process(name: str, data: bytes) -> tuple[float, int, bytes | str]:
    """(median seconds of 3, expected status, expected body or error code)."""
    times = []
    for _ in range(3):
        t = time.perf_counter()
        try:
            out: bytes | str = (gaiextract.extract(data, name=name).to_json(indent=1) + "\n").encode("utf-8")
            status = 200
        except ExtractError as exc:
            out, status = exc.code, STATUS[exc.code]
        times.append(time.perf_counter() - t)
    return statistics.median(times), status, out


async def load(url: str, plan: list[tuple[str, bytes]], concurrency: int) -> list[tuple[str, int, bytes, float]]:
    import httpx

    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300,
                                 limits=limits) as client:
        async def one(name: str, data: bytes):
            async with sem:
                t = time.perf_counter()
                r = await client.post("/v1/extract", params={"filename": name}, content=data)
                return name, r.status_code, r.content, time.perf_counter() - t

        return await asyncio.gather(*(one(n, d) for n, d in plan))


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    docs = documents()
    print(f"baseline: each of {len(docs)} documents extracted 3 times in this process …", flush=True)
    base = {name: in_process(name, data) for name, data in docs}
    plan = [docs[i % len(docs)] for i in range(args.requests)]

    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    srv = Served(["--workers", str(args.workers), "--max-in-flight", str(args.concurrency)], tmp / "tmp")
    try:
        # one request per document first: workers started, caches warm (not counted)
        asyncio.run(load(srv.url, docs, args.concurrency))
        # unloaded: one request at a time, each document once — what HTTP and the hand-over cost
        alone = asyncio.run(load(srv.url, docs, 1))
        srv.note_children()
        t = time.perf_counter()
        results = asyncio.run(load(srv.url, plan, args.concurrency))
        wall = time.perf_counter() - t
        srv.note_children()
    finally:
        left_processes = srv.stop()
    left_files = leftovers(tmp / "tmp")

    failures = []
    for name, status, body, _seconds in alone + results:
        _secs, want_status, want = base[name]
        if status != want_status:
            failures.append(f"{name}: status {status}, expected {want_status}: {body[:200]!r}")
        elif status == 200 and body != want:
            failures.append(f"{name}: the JSON differs from the in-process extraction")
        elif status != 200 and json.loads(body).get("code") != want:
            failures.append(f"{name}: {body[:200]!r}, expected code {want}")
    latencies = [seconds for *_x, seconds in results]
    #: one in-process extraction: the mean over the requests' documents
    one = statistics.mean(base[n][0] for n, _ in plan)
    serial = sum(base[n][0] for n, _ in plan)
    summary = {
        "requests": len(results), "concurrency": args.concurrency, "workers": args.workers,
        "failures": len(failures), "left_processes": left_processes, "left_temp_files": left_files,
        "wall_s": round(wall, 2), "requests_per_s": round(len(results) / wall, 2),
        "one_in_process_extraction_s": round(one, 4),
        "in_process_serial_s": round(serial, 2), "throughput_vs_serial_in_process": round(serial / wall, 2),
        "latency_s": {"p50": round(pct(latencies, 0.5), 3), "p95": round(pct(latencies, 0.95), 3),
                      "max": round(max(latencies), 3)},
        "latency_ratio_to_one_in_process": {"p50": round(pct(latencies, 0.5) / one, 2),
                                            "p95": round(pct(latencies, 0.95) / one, 2)},
        "unloaded": {n: {"status": base[n][1], "in_process_s": round(base[n][0], 4), "served_s": round(secs, 4),
                         "overhead_s": round(secs - base[n][0], 4),
                         "ratio": round(secs / base[n][0], 2) if base[n][0] >= 0.05 else None}
                     for n, _st, _b, secs in alone},
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_serve.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"{len(results)} requests, {args.concurrency} at a time, {args.workers} workers: "
          f"{summary['requests_per_s']} req/s, wall {summary['wall_s']} s "
          f"(in-process one after another: {summary['in_process_serial_s']} s, x{summary['throughput_vs_serial_in_process']})")
    print(f"latency under load p50 {summary['latency_s']['p50']} s, p95 {summary['latency_s']['p95']} s; as a ratio "
          f"to one in-process extraction ({one * 1000:.0f} ms, the mix's mean): "
          f"p50 x{summary['latency_ratio_to_one_in_process']['p50']}, p95 x{summary['latency_ratio_to_one_in_process']['p95']}")
    print("unloaded, one request at a time (ratio only where in-process takes >= 50 ms):")
    for n, d in summary["unloaded"].items():
        ratio = f"x{d['ratio']}" if d["ratio"] is not None else "-"
        print(f"  {n:30} {d['status']}  in-process {d['in_process_s'] * 1000:7.1f} ms  served {d['served_s'] * 1000:7.1f} ms"
              f"  overhead {d['overhead_s'] * 1000:6.1f} ms  {ratio}")
    print(f"failures: {len(failures)}; processes left: {left_processes}; temporary files left: {left_files}")
    for f in failures[:10]:
        print("  " + f)
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures or left_processes or left_files else 0


if __name__ == "__main__":
    sys.exit(main())
