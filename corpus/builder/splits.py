"""The corpus's own split enumerator: which cells of a run-together table text are ambiguous.

A page that lost its cell borders prints a row's values as one run (``220000022``).
For the expected JSON the builder must know, from the printed text alone, which
cells the template's arithmetic settles and which it cannot — those go into
``ambiguous_in_text`` (right value, or null with ``cell_ambiguous``, is accepted).
This is written independently of gaiextract, by plain enumeration, following the
contract (../shared/spec/canonical-json.md, Tables): a printed space is a boundary,
a number has no leading zero, a sign starts a number and a decimal point sits
inside one; rules within a row first, rules across rows only choose among the
splits each row allows, and a cross-row rule no choice satisfies is ignored.
"""
from __future__ import annotations

import itertools
import unicodedata

from .labels import APPLICANT_COLUMNS, REQUEST_COLUMNS, REVIEW_GROUPS

OUTCOME_PREFIXES = ("disclosed", "partial", "withheld", "unavailable", "not_processed", "other_handling")
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")


def numbers(token: str) -> list:
    """Every way to read ``token`` (no spaces) as a sequence of numbers."""
    if not token:
        return [()]
    out = []
    sign = 1
    i = 0
    if token[0] in "+-":
        sign, i = (-1 if token[0] == "-" else 1), 1
    for end in range(i + 1, len(token) + 1):
        text = token[i:end]
        if not _valid(text) or (end < len(token) and token[end] == "."):
            continue
        if end < len(token) and not (token[end].isdigit() or token[end] in "+-"):
            continue
        value = float(text) if "." in text else int(text)
        for rest in numbers(token[end:]):
            out.append((sign * value,) + rest)
    return out


def _valid(text: str) -> bool:
    if not text or text.startswith(".") or text.endswith("."):
        return False
    if not all(c.isdigit() or c == "." for c in text) or text.count(".") > 1:
        return False
    whole = text.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def splits(run: str, n: int) -> list:
    """Every reading of the printed ``run`` as exactly ``n`` numbers (spaces are boundaries)."""
    tokens = unicodedata.normalize("NFKC", run).replace(",", "").split()
    per_token = [numbers(t) for t in tokens]
    return [sum(pick, ()) for pick in itertools.product(*per_token) if len(sum(pick, ())) == n]


def row_rules(table: str, keys: list) -> list:
    """(left keys, right keys) of the rules binding only these cells (one row)."""
    if table == "requests":
        row = keys[0].rsplit(".", 1)[0]
        return [([f"{row}.total"], [f"{row}.{c}" for c in APPLICANT_COLUMNS])]
    if table == "review_litigation":
        return [([f"{g}.total"], [f"{g}.{p}" for p in REVIEW_PARTS]) for g in REVIEW_GROUPS
                if f"{g}.total" in keys]
    return []


def cross_rules(table: str, rows: list) -> list:
    """The requests table's column rules over the rows printed (balance, then outcomes)."""
    if table != "requests":
        return []
    outcome_rows = [r for r in rows if r.split(".")[0] in OUTCOME_PREFIXES]
    rules = [([f"new.{c}", f"carried_in.{c}"], [f"total.{c}", f"carried_out.{c}"]) for c in REQUEST_COLUMNS]
    rules += [([f"total.{c}"], [f"{r}.{c}" for r in outcome_rows]) for c in REQUEST_COLUMNS]
    return rules


def _holds(rule, values: dict) -> bool:
    left, right = rule
    return sum(values.get(k) or 0 for k in left) == sum(values.get(k) or 0 for k in right)


def ambiguous_cells(table: str, runs: list, truth: dict) -> list:
    """Keys the printed ``runs`` ([(keys, printed run)] in order) leave open.

    Raises when the truth is not among the readings (the builder printed something
    its own enumerator cannot read back)."""
    cands = []
    for keys, run in runs:
        fits = [s for s in splits(run, len(keys))
                if all(_holds(r, dict(zip(keys, s))) for r in row_rules(table, keys))]
        want = tuple(truth[k] for k in keys)
        if want not in fits:
            raise ValueError(f"{table} {keys[0]}: {run!r} cannot be read back as {want}")
        cands.append((keys, fits))
    fixed = {k: v for keys, fits in cands if len(fits) == 1 for k, v in zip(keys, fits[0])}
    open_rows = [(keys, fits) for keys, fits in cands if len(fits) > 1]
    if not open_rows:
        return []
    size = 1
    for _, fits in open_rows:
        size *= len(fits)
    if size > 200_000:
        raise ValueError(f"{table}: {size} joint readings, too many to enumerate")
    combos = [dict(itertools.chain.from_iterable(zip(keys, f) for (keys, _), f in zip(open_rows, pick)))
              for pick in itertools.product(*(fits for _, fits in open_rows))]
    rows = list(dict.fromkeys(k.rsplit(".", 1)[0] for keys, _ in runs for k in keys))
    open_keys = {k for keys, _ in open_rows for k in keys}
    for rule in cross_rules(table, rows):
        if not open_keys & set(rule[0] + rule[1]):
            continue
        kept = [c for c in combos if _holds(rule, {**fixed, **c})]
        if kept:
            combos = kept
    return [k for keys, _ in open_rows for k in keys if len({c[k] for c in combos}) > 1]
