"""Table mapping time per report, and the worst case of the digit-run split search.

usage: python3 benchmarks/bench_tables.py [--runs N] [--limit N] [--src DIR]

Every corpus document is read once (the reader is not what is measured); then the
table stage (``layout.tables.find_tables``, grid and stream) is timed on each
document's blocks, best of N runs. Prints the median and maximum per report and the
total. Then the split search on a 30-digit run for the seven columns of table 三 and
the fifteen cells of table 四 (where the module exists), best of N.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--src" in sys.argv:  # measure another checkout's code (e.g. the version before a change)
    sys.path.insert(0, sys.argv[sys.argv.index("--src") + 1])
else:
    sys.path.insert(0, str(ROOT / "src"))

import gaiextract
from gaiextract import grammar
from gaiextract.layout import tables


def _docs(limit: int) -> list[Path]:
    docs = []
    for exp in sorted((ROOT / "corpus").glob("*/*.expected.json")):
        stem = exp.name[: -len(".expected.json")]
        docs += [p for p in exp.parent.glob(stem + ".*")
                 if not p.name.endswith(".expected.json") and p.suffix not in (".doc",)]
    return docs[:limit] if limit else docs


def _map(document, g) -> None:
    if hasattr(tables, "find_tables_in"):
        tables.find_tables_in(document, g)
    else:
        tables.find_tables(list(document.tables()), g)


def bench_mapping(runs: int, limit: int) -> None:
    g = grammar.load()
    per_doc = []
    for path in _docs(limit):
        try:
            document = gaiextract.read(path)
        except gaiextract.ExtractError as exc:  # a format whose converter is absent here
            print(f"skipped {path.name}: {exc.code}")
            continue
        best = min(_timed(lambda d=document: _map(d, g)) for _ in range(runs))
        per_doc.append((best, path.name))
    times = [t for t, _ in per_doc]
    worst = max(per_doc)
    print(f"table mapping: {len(times)} reports, median {statistics.median(times) * 1e3:.2f} ms, "
          f"max {worst[0] * 1e3:.2f} ms ({worst[1]}), total {sum(times):.2f} s")


def bench_split(runs: int) -> None:
    try:
        from gaiextract.layout import splits
    except ImportError:
        print("split search: not in this version")
        return
    g = grammar.load()
    spec = g.tables["requests"]
    run7 = "123456789012345678901234567890"
    keys7 = [f"new.{c}" for c in spec.layouts[0].leaf_keys()]
    eqs = splits.row_equations(spec, keys7)
    t = min(_timed(lambda: splits.split_run([run7], keys7, eqs)) for _ in range(runs))
    res = splits.split_run([run7], keys7, eqs)
    print(f"split search, 30 digits into 7 cells (row sum): {t * 1e3:.1f} ms, "
          f"{len(res.candidates)} fits, {res.nodes} nodes, bounded={res.exhausted}")
    rev = g.tables["review_litigation"]
    keys15 = rev.layouts[0].leaf_keys()
    eqs = splits.row_equations(rev, keys15)
    t = min(_timed(lambda: splits.split_run([run7], keys15, eqs)) for _ in range(runs))
    res = splits.split_run([run7], keys15, eqs)
    print(f"split search, 30 digits into 15 cells (3 group sums): {t * 1e3:.1f} ms, "
          f"{len(res.candidates)} fits, {res.nodes} nodes, bounded={res.exhausted}")
    t = min(_timed(lambda: splits.split_run([run7], keys15, [])) for _ in range(runs))
    res = splits.split_run([run7], keys15, [])
    print(f"split search, 30 digits into 15 cells (no rule): {t * 1e3:.1f} ms, "
          f"{len(res.candidates)} fits kept, {res.nodes} nodes, bounded={res.exhausted}")


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--src", help="the src/ directory of the gaiextract to measure (default: this checkout)")
    args = ap.parse_args(argv)
    bench_mapping(args.runs, args.limit)
    bench_split(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
