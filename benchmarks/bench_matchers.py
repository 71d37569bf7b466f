"""Hand-written matching and pooling against maintained libraries (issue 21).

usage: python3 benchmarks/bench_matchers.py [--docs N] [--runs N] [--pool-files N] [--pool-runs N] [--no-pool]

1. Label matching (layout/labels._match_default, difflib.SequenceMatcher behind quick
   upper bounds) against rapidfuzz.fuzz.ratio with a score cutoff, on the calls the
   pipeline really makes while reading N corpus documents (recorded, then replayed
   uncached). Prints both times, their ratio and how many scores differ (a differing
   score can change which row a label is given to: output would change).
2. Run-in heading prefixes (layout/runin.tolerant_prefix, difflib) likewise, replayed
   on the recorded calls.
3. Section profiles (layout/fuzzy, hand TF-IDF over jieba tokens) against rapidfuzz's
   process.extractOne over the same variants (WRatio and token_set_ratio on the
   jieba tokens): accuracy on the hand-labelled headings of tests/test_fuzzy.py, and
   time per heading.
4. The batch pool (batch/executors.LocalExecutor: concurrent.futures plus our own
   recycling and hard deadline) against pebble.ProcessPool (max_tasks, per-task
   timeout): wall time for the same files, 2 workers, recycling every 5 files.

Ratios are measured in the same run; nothing here is a test. rapidfuzz and pebble
are needed only for this script (pip install rapidfuzz pebble).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import gaiextract  # noqa: E402  (after the path set-up)
from gaiextract import grammar  # noqa: E402
from gaiextract.layout import fuzzy, labels, runin, tokens  # noqa: E402
from gaiextract.textnorm import label_key  # noqa: E402


def corpus_documents(limit: int) -> list[Path]:
    docs = []
    for exp in sorted((ROOT / "corpus").glob("*/*.expected.json")):
        stem = exp.name[: -len(".expected.json")]
        docs += [p for p in sorted(exp.parent.glob(stem + ".*"))
                 if not p.name.endswith(".json") and p.suffix.lower() not in (".doc", ".wps")]
    # every format, evenly: take documents round-robin over the folders
    by_dir: dict[str, list[Path]] = {}
    for p in docs:
        by_dir.setdefault(p.parent.name, []).append(p)
    out: list[Path] = []
    while len(out) < limit and any(by_dir.values()):
        for lst in by_dir.values():
            if lst and len(out) < limit:
                out.append(lst.pop(0))
    return out


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


# ------------------------------------------------------------------ 1 and 2: record the real calls

def record_calls(docs: list[Path]) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, tuple[str, ...]]]]:
    match_calls: dict[tuple[str, tuple[str, ...]], None] = {}
    prefix_calls: dict[tuple[str, tuple[str, ...]], None] = {}
    real_match, real_prefix = labels._match_default, runin.tolerant_prefix

    def rec_match(label, candidates, fuzzy_, pairs):
        if fuzzy_:
            match_calls[(label, candidates)] = None
        return real_match(label, candidates, fuzzy_, pairs)

    def rec_prefix(text, variants, settings=runin.SETTINGS):
        prefix_calls[(text[:settings.window], tuple(variants))] = None
        return real_prefix(text, variants, settings)

    labels._match_default, runin.tolerant_prefix = rec_match, rec_prefix
    try:
        for p in docs:
            try:
                gaiextract.extract(p, ocr="never")
            except gaiextract.ExtractError:
                pass
    finally:
        labels._match_default, runin.tolerant_prefix = real_match, real_prefix
    return list(match_calls), list(prefix_calls)


def ours_match(calls):
    f = labels._match_default.__wrapped__
    pairs = grammar.load().label_confusions.pairs
    return [f(label, cands, True, pairs) for label, cands in calls]


def rapidfuzz_match(calls):
    """labels._match_score with the fuzzy branch on rapidfuzz (the other branches unchanged)."""
    from rapidfuzz.fuzz import ratio

    out = []
    for label, candidates in calls:
        best = 0.0
        for cand in candidates:
            if label == cand:
                best = 1.0
                break
            if len(label) >= 2 and len(cand) >= 2 and (label.startswith(cand) or cand.startswith(label)):
                short, long_ = sorted((label, cand), key=len)
                score = 0.92 if len(short) >= 4 or len(short) / len(long_) >= 0.5 else 0.6
            elif len(cand) >= 3 and cand in label:
                score = 0.85
            else:
                r = ratio(label, cand, score_cutoff=best / 0.84 * 100) if best else ratio(label, cand)
                if not r:
                    continue
                score = r / 100 * 0.84
            best = max(best, score)
        out.append(best)
    return out


def ours_prefix(calls):
    return [runin.tolerant_prefix(text, variants) for text, variants in calls]


def rapidfuzz_prefix(calls):
    """runin.tolerant_prefix with rapidfuzz.fuzz.ratio in place of SequenceMatcher."""
    from rapidfuzz.fuzz import ratio

    st = runin.SETTINGS
    out = []
    for text, variants in calls:
        key, pos = runin._key(text[:st.window])
        exact = max((len(v) for v in variants if key.startswith(v)), default=0)
        best = (exact, 1.0) if exact else None
        for v in variants:
            if len(v) < st.fuzzy_min_len or len(v) <= exact + 1:
                continue
            if len(key) < 2 or (key[0] != v[0] and key[1] != v[1]):
                continue
            for n in (len(v) - 1, len(v), len(v) + 1):
                if n > len(key):
                    continue
                r = ratio(key[:n], v, score_cutoff=st.fuzzy_ratio * 100) / 100
                if r >= st.fuzzy_ratio and (best is None or best[1] == 1.0 or (r, n) > (best[1], best[0])):
                    best = (n, r)
        out.append(None if best is None else (pos[best[0] - 1] + 1, best[1]))
    return out


# ------------------------------------------------------------------ 3: section profiles

#: hand-labelled headings (tests/test_fuzzy.py): heading -> section id (None: no section)
HEADINGS = {"工作概况": "overview", "依法受理和答复政府信息公开申请情况": "requests",
            "行政复议和行政诉讼情况": "review_litigation", "问题与不足及改进措施": "problems",
            "主动公开工作": "proactive", "年度大事记": None}


def rapidfuzz_profiles(g, scorer_name: str):
    from rapidfuzz import fuzz, process

    scorer = getattr(fuzz, scorer_name)
    choices, owners = [], []
    for s in g.sections:
        for text in (label_key(labels.strip_numbering(s.heading)),) + s.variants:
            choices.append(" ".join(tokens.cut(text)))
            owners.append(s.id)

    def best(heading: str):
        q = " ".join(tokens.cut(label_key(labels.strip_numbering(heading))))
        hit = process.extractOne(q, choices, scorer=scorer, score_cutoff=60)
        return None if hit is None else owners[hit[2]]
    return best


# ------------------------------------------------------------------ 4: pools

def pool_files(n: int) -> list[tuple[str, bytes]]:
    docs = [p for p in corpus_documents(10_000) if p.suffix in (".txt", ".html", ".md")]
    return [(f"{i}_{docs[i % len(docs)].name}", docs[i % len(docs)].read_bytes()) for i in range(n)]


def run_local(files, recycle: int) -> float:
    from gaiextract.batch.executors import LocalExecutor
    from gaiextract.batch.inputs import Item

    t = time.perf_counter()
    ex = LocalExecutor(workers=2, timeout=30, max_tasks_per_child=recycle)
    for label, data in files:
        while ex.pending() >= ex.capacity:
            ex.poll(0.05)
        ex.submit(Item.of(label, data))
    while ex.pending():
        ex.poll(0.05)
    ex.close()
    return time.perf_counter() - t


def run_pebble(files, recycle: int) -> float:
    import multiprocessing
    import os

    from pebble import ProcessPool

    from gaiextract.batch.executors import _start_forkserver
    from gaiextract.batch.worker import convert, init_worker

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["gaiextract.batch.worker", "gaiextract.batch.preload"])
    _start_forkserver()
    t = time.perf_counter()
    with ProcessPool(max_workers=2, max_tasks=recycle, context=ctx, initializer=init_worker,
                     initargs=((), os.getpid())) as pool:
        futures = [pool.schedule(convert, args=(label, data, 30, (), {}), timeout=45) for label, data in files]
        for f in futures:
            f.result()
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=24, help="corpus documents whose calls are recorded")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pool-files", type=int, default=60)
    ap.add_argument("--pool-runs", type=int, default=3)
    ap.add_argument("--no-pool", action="store_true")
    args = ap.parse_args(argv)
    g = grammar.load()

    docs = corpus_documents(args.docs)
    match_calls, prefix_calls = record_calls(docs)
    print(f"recorded on {len(docs)} documents: {len(match_calls)} distinct fuzzy label matches, "
          f"{len(prefix_calls)} distinct run-in prefix checks")

    a, b = ours_match(match_calls), rapidfuzz_match(match_calls)
    diff = sum(1 for x, y in zip(a, b) if abs(x - y) > 1e-9)
    t_ours = best_of(args.runs, lambda: ours_match(match_calls))
    t_rf = best_of(args.runs, lambda: rapidfuzz_match(match_calls))
    print(f"1. label match   difflib {t_ours * 1e3:8.2f} ms   rapidfuzz {t_rf * 1e3:8.2f} ms   "
          f"ratio {t_rf / t_ours:5.2f}   scores differing: {diff}/{len(a)}")

    a, b = ours_prefix(prefix_calls), rapidfuzz_prefix(prefix_calls)
    diff = sum(1 for x, y in zip(a, b) if x != y)
    t_ours = best_of(args.runs, lambda: ours_prefix(prefix_calls))
    t_rf = best_of(args.runs, lambda: rapidfuzz_prefix(prefix_calls))
    print(f"2. run-in prefix difflib {t_ours * 1e3:8.2f} ms   rapidfuzz {t_rf * 1e3:8.2f} ms   "
          f"ratio {t_rf / t_ours:5.2f}   results differing: {diff}/{len(a)}")

    prof = fuzzy.profiles(g)

    def ours(h):
        hit = prof.best(h)
        return hit[0] if hit else None
    methods = {"ours (TF-IDF)": ours, "rapidfuzz WRatio": rapidfuzz_profiles(g, "WRatio"),
               "rapidfuzz token_set_ratio": rapidfuzz_profiles(g, "token_set_ratio")}
    base = None
    for name, fn in methods.items():
        right = sum(1 for h, want in HEADINGS.items() if fn(h) == want)
        t = best_of(args.runs, lambda fn=fn: [fn(h) for h in HEADINGS]) / len(HEADINGS)
        base = base or t
        print(f"3. section fuzzy {name:<26} {right}/{len(HEADINGS)} right   {t * 1e6:8.1f} us/heading   "
              f"ratio {t / base:5.2f}")

    if not args.no_pool:
        files = pool_files(args.pool_files)
        run_local(files[:4], 5)  # start the fork server and warm the page cache
        times: dict[str, list[float]] = {"local": [], "pebble": []}
        for _ in range(args.pool_runs):  # alternated, so that load on the machine hits both alike
            times["local"].append(run_local(files, 5))
            times["pebble"].append(run_pebble(files, 5))
        local, peb = statistics.median(times["local"]), statistics.median(times["pebble"])
        print(f"4. pool, {len(files)} files, 2 workers, recycled every 5: LocalExecutor {local:6.2f} s   "
              f"pebble {peb:6.2f} s   ratio {peb / local:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
