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
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--src" in sys.argv:  # measure another checkout's code (e.g. the version before a change)
    sys.path.insert(0, sys.argv[sys.argv.index("--src") + 1])
else:
    sys.path.insert(0, str(ROOT / "src"))

import gaiextract  # noqa: E402  (after the path set-up)
from gaiextract import grammar  # noqa: E402
from gaiextract.layout import tables  # noqa: E402


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
    """Worst case over 30-digit runs: fixed patterns and random ones (seeded), for the seven
    cells of a table 三 row (row sum) and the fifteen of table 四 (three group sums)."""
    try:
        from gaiextract.layout import splits
    except ImportError:
        print("split search: not in this version")
        return
    g = grammar.load()
    rng = random.Random(30)
    runs30 = ["123456789012345678901234567890", "1" * 30, "9" * 30, "10" * 15]
    runs30 += ["".join(rng.choice("0123456789") for _ in range(30)) for _ in range(100)]
    for name, row in (("requests", "new"), ("review_litigation", None)):
        spec = g.tables[name]
        keys = spec.layouts[0].row_cells(row)
        eqs = splits.row_equations(spec, keys)
        worst = (0.0, 0, "", False)
        for run in runs30:
            t = min(_timed(lambda r=run, k=keys, e=eqs: splits.split_run([r], k, e)) for _ in range(runs))
            res = splits.split_run([run], keys, eqs)
            worst = max(worst, (t, res.nodes, run, res.exhausted))
        print(f"split search, 30 digits into {len(keys)} cells ({len(eqs)} rules), worst of {len(runs30)} runs: "
              f"{worst[0] * 1e3:.1f} ms, {worst[1]} nodes, bound reached={worst[3]} ({worst[2]})")


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
