"""Split runs of digits into cells by the template's arithmetic (勾稽关系).

A scraper that drops a table's cell borders leaves ``220000022`` for seven cells.
The template fixes how many cells a row has and which sums bind them, so the run
is divided in every way that gives the right count — a printed space is a
boundary, a number has no leading zero, a sign starts a number (``2648-18538``),
a decimal point sits inside one (``5949.088667``) — and only the divisions that
satisfy every rule binding those cells are kept. Exactly one left: it is the
reading. Several: the cells are ambiguous, never guessed.

Rules within a row come first (``split_run``); rules across rows only choose
among the splits each row allows (``choose_jointly``). A cross-row rule that no
choice satisfies is the report's own arithmetic failing — a finding for the
checks, so it is dropped from the choice rather than dropping the table.

The search is bounded (``SplitSettings.max_nodes``): rules are checked as soon
as their cells are placed, a total whose parts are all placed is computed
rather than enumerated, and no part may be longer than the room left for its
total. A search that reaches the bound reports it instead of answering.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from ..grammar import TableSpec
from ..textnorm import nfkc
from ..values import NEGATIVE_WORDS, RUNNING_UNITS, SIGN_WORDS, Number, mark_cells
from .checks import balanced, match_keys, rule_instances


@dataclass(frozen=True)
class SplitSettings:
    """The bounds of the search, in one place."""

    max_nodes: int = 200_000        # search steps for one run before giving up
    max_candidates: int = 64        # fits kept per run (the count goes on)
    max_combinations: int = 1 << 14  # joint choices across rows tried at most
    max_listed: int = 12            # candidates named in a cell_ambiguous warning
    max_digits: int = 15            # no cell of the template holds a longer number


SETTINGS = SplitSettings()


@dataclass(frozen=True)
class Equation:
    """sum(left) == sum(right); a null cell counts as 0 (as in the checks)."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    rule: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass
class SplitResult:
    keys: list[str]
    candidates: list[tuple[Number | None, ...]] = field(default_factory=list)  # one value per key
    found: int = 0          # fits found (may exceed the candidates kept)
    nodes: int = 0          # search steps taken
    exhausted: bool = False  # the bound was reached: the candidates are incomplete

    @property
    def unique(self) -> tuple[Number | None, ...] | None:
        return self.candidates[0] if self.found == 1 and not self.exhausted else None


# --------------------------------------------------------------------------- equations

def table_equations(spec: TableSpec, keys: list[str],
                    dimensions: dict[str, list[str]] | None = None) -> list[Equation]:
    """The table's checks instantiated over the cells ``keys`` (every rule instance whose
    two sides both name at least one of them)."""
    cells = dict.fromkeys(keys)
    dims = dimensions if dimensions is not None else _default_dims(spec)
    out = []
    for check in spec.checks:
        for cid, left, right in rule_instances(check, cells, dims):
            lk, rk = match_keys(left, cells), match_keys(right, cells)
            if lk and rk:
                out.append(Equation(tuple(lk), tuple(rk), cid))
    return out


def row_equations(spec: TableSpec, keys: list[str]) -> list[Equation]:
    """The rules that bind only the cells ``keys`` (one row's, or one run's)."""
    inside = set(keys)
    return [e for e in table_equations(spec, keys) if set(e.keys) <= inside]


def _default_dims(spec: TableSpec) -> dict[str, list[str]]:
    """Check dimensions from the layout itself: columns are the leaf keys, groups the
    column groups (the grammar's ``[dimensions]`` says the same for the real tables)."""
    lay = spec.layouts[0]
    leaves = lay.leaf_keys()
    groups = list(dict.fromkeys(k.rsplit(".", 1)[0] for k in leaves if "." in k))
    return {"column": [k.rsplit(".", 1)[-1] for k in leaves], "group": groups}


def holds(eq: Equation, values: dict[str, Number | None]) -> bool | None:
    """Whether ``eq`` holds on ``values`` (None when a side has no value at all)."""
    lk = [k for k in eq.left if k in values]
    rk = [k for k in eq.right if k in values]
    if not lk or not rk:
        return None
    return balanced((values[k] for k in lk), (values[k] for k in rk))


# --------------------------------------------------------------------------- tokens

_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_NUMBER_START = re.compile(r"[+\-]?\d")


#: a unit printed after a value (件, 万元 …): a boundary, not part of the number
UNIT = re.compile(rf"(?:{RUNNING_UNITS}|%)$")


def cell_tokens(text: str) -> list[str | None] | None:
    """A grid cell's printed tokens for the split search (spaces are boundaries; None for a
    placeholder); None when the cell holds words, not values."""
    out: list[str | None] = []
    for tok in nfkc(text).split():
        tok = UNIT.sub("", tok)
        if re.fullmatch(r"[+\-]?\d[\d.,]*", tok):
            out.append(tok.rstrip("."))
        elif mark_cells(tok) is not None:
            out.append(None if mark_cells(tok) == (1, 1) else tok)  # a run of marks: one or more null cells
        else:
            return None
    return out


def run_digits(token: str) -> str:
    """A printed token as the split search reads it: thousands separators dropped, a sign
    word (减少/增加 …) read as the sign it is."""
    for word in SIGN_WORDS:
        if token.startswith(word):
            token = ("-" if word in NEGATIVE_WORDS else "+") + token[len(word):]
            break
    return _COMMA.sub("", token)


@functools.lru_cache(maxsize=1 << 14)
def _numbers_at(s: str, p: int) -> tuple[tuple[int, Number], ...]:
    """(end, value) of every valid number starting at ``s[p]``: an optional sign, no
    leading zero, a decimal point only between digits; the next number must be able
    to start where this one ends."""
    out = []
    i = p
    sign = 1
    if i < len(s) and s[i] in "+-":
        sign = -1 if s[i] == "-" else 1
        i += 1
    if i >= len(s) or not s[i].isdigit():
        return out
    j = i
    while j < len(s) and s[j].isdigit():
        j += 1
        if s[i] == "0" and j - i > 1:
            break  # no leading zero: "0" alone, or "0.5"
        if j < len(s) and s[j] == ".":
            continue  # cannot end right before a decimal point
        out.append((j, sign * int(s[i:j])))
    # a decimal part: integer digits s[i:k], then '.', then fraction digits
    dot = s.find(".", i)
    if dot > i and s[i:dot].isdigit() and not (s[i] == "0" and dot - i > 1):
        f = dot + 1
        while f < len(s) and s[f].isdigit():
            f += 1
            out.append((f, sign * float(s[i:f])))
    return tuple((e, v) for e, v in out if e == len(s) or _NUMBER_START.match(s, e))


# --------------------------------------------------------------------------- search

def split_run(tokens: list[str | None], keys: list[str], equations: list[Equation], settings: SplitSettings = SETTINGS,
              signed: frozenset[str] = frozenset()) -> SplitResult:
    """Every division of ``tokens`` (printed tokens in order; ``None`` is a placeholder,
    one null cell) into ``len(keys)`` values that satisfies ``equations``; a negative value
    only in a key of ``signed`` (a column the template lets be negative).

    Each token gives at least one value and a token's values are read left to right;
    an equation is checked as soon as its last cell is placed. A total printed last
    (a row's 总计) is read first, for each length it may have, so that its parts are
    searched against a known sum: a partial sum above it, or too small to reach it
    with the digits left, ends that branch.
    """
    n = len(keys)
    res = SplitResult(keys=list(keys))
    toks = [None if t is None else t if mark_cells(t) else run_digits(t) for t in tokens]
    chars = sum(len(t) if t else 1 for t in toks)
    if n < len(toks) or n == 0 or chars < n or chars > n * (settings.max_digits + 2):
        return res  # too few characters for the cells, or more than they can hold
    index = {k: i for i, k in enumerate(keys)}
    eqs = [e for e in equations if all(k in index for k in e.keys)]
    plain = not any(t and not mark_cells(t) and any(ch in t for ch in "+-.") for t in toks)  # non-negative integers
    last_total = _end_total(eqs, index, n) if plain and toks[-1] is not None and not mark_cells(toks[-1]) else None
    if last_total is None:
        _search(toks, keys, eqs, {}, None, res, settings, signed)
        return res
    tail = toks[-1]
    for t in range(1, min(len(tail), settings.max_digits) + 1):
        text = tail[len(tail) - t:]
        if text.startswith("0") and t > 1:
            continue  # no leading zero
        head = toks[:-1] + ([tail[:-t]] if t < len(tail) else [])
        _search(head, keys[:-1], eqs, {keys[-1]: int(text)}, last_total, res, settings, signed)
        if res.exhausted:
            break
    return res


def _end_total(eqs: list[Equation], index: dict[str, int], n: int) -> Equation | None:
    """The rule whose total is the run's last cell and whose parts all come before it."""
    for e in eqs:
        for side, other in ((e.left, e.right), (e.right, e.left)):
            if len(side) == 1 and index[side[0]] == n - 1 and all(index[k] < n - 1 for k in other):
                return e
    return None


def _search(toks: list[str | None], keys: list[str], eqs: list[Equation], fixed: dict[str, Number | None], target_eq: Equation | None,
            res: SplitResult, settings: SplitSettings, signed: frozenset[str] = frozenset()) -> None:
    """Backtracking over ``keys`` placed left to right in ``toks``; ``fixed`` holds cells
    already read (the end total), which complete every fit found."""
    n = len(keys)
    all_keys = res.keys
    index = {k: i for i, k in enumerate(all_keys)}
    values: list[Number | None] = [None] * len(all_keys)
    for k, v in fixed.items():
        values[index[k]] = v
    plain = not any(t and not mark_cells(t) and any(ch in t for ch in "+-.") for t in toks)
    marks = {i: mark_cells(t) for i, t in enumerate(toks) if t is not None and mark_cells(t)}
    # each rule as index lists, checked when its last cell among keys[:n] is placed
    last_of: dict[int, list[tuple[list[int], list[int]]]] = {}
    forced: dict[int, list[int]] = {}
    for e in eqs:
        li, ri = [index[k] for k in e.left], [index[k] for k in e.right]
        unplaced = [i for i in li + ri if i < n]
        if not unplaced:
            continue
        last_of.setdefault(max(unplaced), []).append((li, ri))
        for side, other in ((li, ri), (ri, li)):
            if plain and len(side) == 1 and side[0] < n and all(i < side[0] for i in other):
                forced.setdefault(side[0], other)
    target = None
    parts: list[int] = []
    if target_eq is not None:
        li, ri = [index[k] for k in target_eq.left], [index[k] for k in target_eq.right]
        side, other = (li, ri) if len(li) == 1 and li[0] >= n else (ri, li)
        target = values[side[0]]
        parts = other
    part_set = set(parts)
    target_len = len(str(target)) if target is not None else 0
    tail_parts = bool(parts) and part_set == set(range(min(parts), n))
    rest_chars = [sum(len(t) if t else 1 for t in toks[i:]) for i in range(len(toks) + 1)]
    max_len = settings.max_digits + 2  # digits, a sign and a decimal point
    if n == 0:
        if not toks:
            _found(res, tuple(values), settings)
        return

    def remaining_chars(ti: int, pos: int) -> int:
        if ti >= len(toks):
            return 0
        cur = toks[ti]
        return (len(cur) - pos if cur is not None else 1) + rest_chars[ti + 1]

    def ok_after(j: int) -> bool:
        for li, ri in last_of.get(j, ()):
            a = sum(values[i] or 0 for i in li)
            b = sum(values[i] or 0 for i in ri)
            if abs(a - b) > 1e-6:
                return False
        return True

    def within_target(j: int, ti: int, pos: int, s: Number) -> bool:
        """``s``: the sum of the total's parts placed so far, cell ``j`` included."""
        if s > target:
            return False
        if tail_parts and j < n - 1:
            left = n - 1 - j  # parts still to place: all the run's remaining cells
            chars = remaining_chars(ti, pos)
            if chars > left * target_len:
                return False  # no part is longer than the total
            room = chars - (left - 1)
            if room <= 0 or (room < target_len and s + (10 ** room - 1) + 9 * (left - 1) < target):
                return False
            widest = -(-chars // left)  # some part has at least this many digits
            if widest > 1 and s + 10 ** (widest - 1) > target:
                return False
        return True

    def options(tok: str, pos: int, j: int) -> list[tuple[int, Number]]:
        other = forced.get(j)
        if other is None:
            return [o for o in _numbers_at(tok, pos) if o[0] - pos <= max_len and (o[1] >= 0 or keys[j] in signed)]
        want = sum(values[i] or 0 for i in other)
        text = str(want)
        end = pos + len(text)
        if not tok.startswith(text, pos) or (end < len(tok) and not tok[end].isdigit()):
            return []
        return [(end, want)]

    def step(ti: int, pos: int, j: int, psum: Number) -> None:
        if res.exhausted:
            return
        res.nodes += 1
        if res.nodes > settings.max_nodes:
            res.exhausted = True
            return
        if j == n:
            if ti == len(toks) and (target is None or psum == target):
                _found(res, tuple(values), settings)
            return
        if ti >= len(toks) or n - j < len(toks) - ti or n - j > remaining_chars(ti, pos):
            return
        tok = toks[ti]
        if tok is None:  # a placeholder is one null cell
            values[j] = None
            if ok_after(j):
                step(ti + 1, 0, j + 1, psum)
            return
        if ti in marks:  # a run of marks: as many null cells as the count leaves room for
            lo, hi = marks[ti]
            for m in range(lo, hi + 1):
                if j + m > n:
                    break
                values[j + m - 1] = None
                if all(ok_after(x) for x in range(j, j + m)):
                    step(ti + 1, 0, j + m, psum)
            return
        is_part = target is not None and j in part_set
        for end, v in options(tok, pos, j):
            if is_part and end - pos > target_len:
                break  # longer numbers only grow past the total
            values[j] = v
            nti, npos = (ti + 1, 0) if end == len(tok) else (ti, end)
            s = psum + v if is_part else psum
            if (not is_part or within_target(j, nti, npos, s)) and (j not in last_of or ok_after(j)):
                step(nti, npos, j + 1, s)
        values[j] = None

    step(0, 0, 0, 0)


def place_with_gaps(values: list[Number | None], keys: list[str], equations: list[Equation],
                    settings: SplitSettings = SETTINGS, signed: frozenset[str] = frozenset()) -> SplitResult:
    """Every placement of ``values`` (whole cells, in printed order) into ``keys`` with the
    cells a reader dropped (blank ones) null, that satisfies ``equations`` — a row printed
    with fewer cells than its columns. Without a rule binding the row nothing fits: an
    unbound placement is a guess."""
    n, m = len(keys), len(values)
    res = SplitResult(keys=list(keys))
    index = {k: i for i, k in enumerate(keys)}
    eqs = [e for e in equations if all(k in index for k in e.keys)]
    if not eqs or m > n or m == 0:
        return res
    for pos in itertools.combinations(range(n), m):
        res.nodes += 1
        if res.nodes > settings.max_nodes:
            res.exhausted = True
            return res
        cand: list[Number | None] = [None] * n
        for p, v in zip(pos, values):
            cand[p] = v
        if any(v is not None and v < 0 and keys[i] not in signed for i, v in enumerate(cand)):
            continue
        placed = dict(zip(keys, cand))
        if all(holds(e, placed) is not False for e in eqs):
            _found(res, tuple(cand), settings)
    return res


def _found(res: SplitResult, cand: tuple[Number | None, ...], settings: SplitSettings) -> None:
    res.found += 1
    if len(res.candidates) < settings.max_candidates:
        res.candidates.append(cand)


# --------------------------------------------------------------------------- across rows

@dataclass
class Choice:
    """The outcome for the cells of several runs: values settled, and cells left open."""

    values: dict[str, Number | None] = field(default_factory=dict)  # key -> value (settled)
    ambiguous: dict[str, list[Number | None]] = field(default_factory=dict)  # key -> candidates (null in output)
    unsatisfied: list[str] = field(default_factory=list)  # cross-row rules no choice satisfies


def choose_jointly(runs: list[SplitResult], fixed: dict[str, Number | None], equations: list[Equation],
                   settings: SplitSettings = SETTINGS) -> Choice:
    """Settle runs (SplitResults) with several fits by the rules across rows.

    ``fixed`` holds the cells already known (grid cells, unique splits). Only choices
    that each fit their own row are considered; each cross-row rule that some choice
    satisfies narrows them; one no choice satisfies is reported and ignored.
    """
    out = Choice()
    open_runs = []
    for r in runs:
        if r.unique is not None:
            out.values.update(zip(r.keys, r.unique))
        elif r.found and not r.exhausted:
            open_runs.append(r)
        else:  # no fit at all, or search bound reached: nothing to choose from
            for k in r.keys:
                out.ambiguous[k] = []
    known = dict(fixed)
    known.update(out.values)
    if not open_runs:
        return out
    open_keys = {k for r in open_runs for k in r.keys}
    relevant = [e for e in equations if open_keys & set(e.keys)]
    size = 1
    for r in open_runs:
        size *= len(r.candidates)
    if size > settings.max_combinations or any(r.found > len(r.candidates) for r in open_runs):
        combos = None
    else:
        combos = [dict(itertools.chain.from_iterable(zip(r.keys, c) for r, c in zip(open_runs, pick)))
                  for pick in itertools.product(*(r.candidates for r in open_runs))]
    if combos is not None:
        for e in relevant:
            kept = [c for c in combos if holds(e, {**known, **c}) is not False]
            if kept:
                combos = kept
            else:
                out.unsatisfied.append(e.rule)
    for r in open_runs:
        complete = r.found == len(r.candidates)
        for i, k in enumerate(r.keys):
            vals = ([c[k] for c in combos] if combos is not None else [cand[i] for cand in r.candidates])
            distinct = list(dict.fromkeys(vals))
            # one value in every reading left (or, too many to combine, in every reading of
            # its own row, all of them listed): settled whatever the other rows are
            if len(distinct) == 1 and (combos is not None or complete):
                out.values[k] = distinct[0]
            else:
                out.ambiguous[k] = distinct
    return out
