"""Batch throughput and worker memory over the corpus replicated to >= N files.

    python3 benchmarks/bench_batch.py [--files 1000] [--workers 1,2] [--max-tasks-per-child 100]

Builds a temporary folder of N documents from corpus/<fmt>/ (every format present
except legacy .doc/.wps, which need LibreOffice, unless --include-legacy;
copies are made distinct by trailing bytes the readers ignore, so none is skipped as
a duplicate), then measures:

* baseline: a plain loop calling ``gaiextract.extract()`` on each file in this process;
* ``run_batch`` with 1 and 2 workers writing JSONL + SQLite, as ``gaiextract batch`` does;
* the resident memory (VmRSS) of every pool worker, sampled every 0.2 s: the peak per
  worker, and the first vs the last workers' peaks (flat = recycling bounds growth).

Prints a table and writes benchmarks/out/bench_batch.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gaiextract.batch import BatchOptions, run_batch  # noqa: E402
from gaiextract.batch.executors import LocalExecutor  # noqa: E402
from gaiextract.sinks.jsonl import JsonlSink  # noqa: E402
from gaiextract.sinks.sql import SqlSink  # noqa: E402


LEGACY = (".doc", ".wps")  # converted by LibreOffice: seconds per file, measured apart


def corpus_documents(include_legacy=False):
    docs = []
    for exp in sorted((ROOT / "corpus").glob("*/*.expected.json")):
        stem = exp.name[: -len(".expected.json")]
        docs += [p for p in sorted(exp.parent.glob(stem + ".*")) if not p.name.endswith(".json")
                 and (include_legacy or p.suffix.lower() not in LEGACY)]
    return docs


def distinct_copy(data: bytes, ext: str, i: int) -> bytes:
    """Same report, different bytes: padding after the end the reader looks at."""
    if ext == "pdf":
        return data + b"\n%" + str(i).encode() + b"\n"
    if ext in ("docx", "zip"):
        return data + b"\0" * (i % 64 + 1) + str(i).encode()   # after the zip directory
    return data + b"\n" * (i + 1)


def build(folder: Path, n: int, include_legacy=False) -> list:
    docs = corpus_documents(include_legacy)
    if not docs:
        sys.exit("no corpus documents under corpus/*/")
    files = []
    for i in range(n):
        src = docs[i % len(docs)]
        ext = src.suffix.lstrip(".")
        path = folder / src.parent.name / f"{i:05d}_{src.stem}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(distinct_copy(src.read_bytes(), ext, i))
        files.append(path)
    return files


TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int):
    """User + system CPU seconds of a process so far (from /proc/<pid>/stat)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return None


def rss_kib(pid: int):
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class RssSampler(threading.Thread):
    """Samples VmRSS of the executor's current pool processes."""

    def __init__(self, executor, every=0.2):
        super().__init__(daemon=True)
        self.executor, self.every = executor, every
        self.peak: dict = {}      # pid -> peak KiB
        self.first_seen: dict = {}
        self.cpu: dict = {}       # pid -> last seen CPU seconds
        self.timeline: list = []  # (t, largest worker RSS KiB at that moment)
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            pool = self.executor.pool
            procs = dict(getattr(pool, "_processes", None) or {}) if pool else {}
            now_max = 0
            for pid in procs:
                kib = rss_kib(pid)
                if kib:
                    self.first_seen.setdefault(pid, time.monotonic())
                    self.peak[pid] = max(self.peak.get(pid, 0), kib)
                    now_max = max(now_max, kib)
                cpu = cpu_s(pid)
                if cpu is not None:
                    self.cpu[pid] = cpu
            if now_max:
                self.timeline.append((time.monotonic(), now_max))
            self.stop.wait(self.every)

    def summary(self) -> dict:
        order = sorted(self.peak, key=self.first_seen.get)
        peaks = [self.peak[p] / 1024 for p in order]
        if not peaks:
            return {}
        # the largest worker RSS in each fifth of the run: flat = no growth over time
        fifths = []
        if self.timeline:
            t0, t1 = self.timeline[0][0], self.timeline[-1][0]
            span = (t1 - t0) / 5 or 1
            for i in range(5):
                window = [kib for t, kib in self.timeline if i <= (t - t0) / span < i + 1 or (i == 4 and t == t1)]
                fifths.append(round(max(window) / 1024, 1) if window else None)
        return {"workers_seen": len(peaks), "peak_mb_max": round(max(peaks), 1),
                "peak_mb_median": round(statistics.median(peaks), 1),
                "peak_mb_by_fifth_of_run": fifths}


def baseline(files) -> dict:
    import gaiextract
    from gaiextract.errors import ExtractError
    t0 = time.monotonic()
    ok = err = 0
    c0 = time.process_time()
    for path in files:
        try:
            gaiextract.extract(path.read_bytes(), name=str(path)).to_dict()
            ok += 1
        except ExtractError:
            err += 1
    el = time.monotonic() - t0
    cpu = time.process_time() - c0
    return {"files": len(files), "ok": ok, "errors": err, "elapsed_s": round(el, 2),
            "cpu_ms_per_report": round(1000 * cpu / len(files), 1),
            "reports_per_s": round(len(files) / el, 2), "rss_mb_self": round(rss_kib(os.getpid()) / 1024, 1)}


def batch(folder: Path, workers: int, mtpc: int, tmp: Path) -> dict:
    out = tmp / f"w{workers}"
    out.mkdir()
    ex = LocalExecutor(workers=workers, timeout=120, max_tasks_per_child=mtpc)
    sampler = RssSampler(ex)
    sampler.start()
    parent0 = time.process_time()
    summary = run_batch(BatchOptions(inputs=[folder], workers=workers, max_tasks_per_child=mtpc,
                                     progress=False),
                        [JsonlSink(out / "o.jsonl"), SqlSink(str(out / "o.db"))], executor=ex)
    parent_cpu = time.process_time() - parent0
    sampler.stop.set()
    sampler.join()
    n = max(summary.converted, 1)
    return {"workers": workers, "converted": summary.converted, "errors": summary.errors,
            "cpu_ms_per_report_workers": round(1000 * sum(sampler.cpu.values()) / n, 1),
            "cpu_ms_per_report_parent": round(1000 * parent_cpu / n, 1),
            "elapsed_s": summary.elapsed_s, "reports_per_s": summary.files_per_s,
            "rss": sampler.summary()}


def _burn(n: int = 2_000_000) -> float:
    t = time.monotonic()
    s = 0
    for i in range(n):
        s += i * i
    return time.monotonic() - t


def parallel_capacity(procs: int = 2) -> float:
    """How many CPUs this machine really gives us now: a pure-Python loop run in
    ``procs`` processes at once vs alone (2.0 = two full CPUs; ~1.0 on a VM whose
    second vCPU is stolen or busy). Puts the worker scaling figures in context."""
    import multiprocessing
    alone = _burn()
    with multiprocessing.get_context("forkserver").Pool(procs) as pool:
        pool.map(_burn, [10] * procs)  # started
        t = time.monotonic()
        pool.map(_burn, [2_000_000] * procs)
        together = time.monotonic() - t
    return round(procs * alone / together, 2)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--max-tasks-per-child", type=int, default=100)
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--include-legacy", action="store_true", help="also .doc/.wps (LibreOffice)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="gaiextract-bench-"))
    try:
        folder = tmp / "in"
        files = build(folder, args.files, args.include_legacy)
        formats = sorted({p.parent.name for p in files})
        result = {"files": len(files), "formats": formats, "cpus": os.cpu_count(),
                  "loadavg_before": os.getloadavg(), "parallel_capacity": parallel_capacity(),
                  "max_tasks_per_child": args.max_tasks_per_child, "runs": []}
        if not args.skip_baseline:
            result["baseline"] = baseline(files)
        for w in [int(x) for x in args.workers.split(",")]:
            result["runs"].append(batch(folder, w, args.max_tasks_per_child, tmp))
        base = result.get("baseline", {}).get("reports_per_s")
        result["loadavg_after"] = os.getloadavg()
        print(f"{len(files)} files ({', '.join(formats)}), {os.cpu_count()} CPUs, load average "
              f"{result['loadavg_before'][0]:.2f} before / {result['loadavg_after'][0]:.2f} after, "
              f"parallel capacity {result['parallel_capacity']} CPUs (2 processes vs 1)")
        if base:
            print(f"  baseline (extract() loop, 1 process): {base:8.2f} reports/s; "
                  f"CPU {result['baseline']['cpu_ms_per_report']} ms/report")
        for r in result["runs"]:
            ratio = f"  x{r['reports_per_s'] / base:.2f} vs baseline" if base else ""
            r["ratio_vs_baseline"] = round(r["reports_per_s"] / base, 2) if base else None
            rss = r["rss"]
            print(f"  batch, {r['workers']} worker(s):             {r['reports_per_s']:8.2f} reports/s{ratio}"
                  f"; errors {r['errors']}; CPU ms/report: workers {r['cpu_ms_per_report_workers']}"
                  f" + parent {r['cpu_ms_per_report_parent']}")
            if rss:
                print(f"    worker RSS: {rss['workers_seen']} workers, peak max {rss['peak_mb_max']} MB, "
                      f"median {rss['peak_mb_median']} MB; largest worker by fifth of the run "
                      f"{rss['peak_mb_by_fifth_of_run']} MB")
        out = ROOT / "benchmarks" / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "bench_batch.json").write_text(json.dumps(result, indent=1) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
