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
from .checks import TOLERANCE, balanced, match_keys, rule_instances


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

#: the largest digit: each part still to place adds at least 1 and, one digit long, at most this
_MAX_DIGIT = 9
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
    i, sign = p, 1
    if i < len(s) and s[i] in "+-":
        sign = -1 if s[i] == "-" else 1
        i += 1
    if i >= len(s) or not s[i].isdigit():
        return ()
    out = _integers_at(s, i, sign) + _decimals_at(s, i, sign)
    return tuple((e, v) for e, v in out if e == len(s) or _NUMBER_START.match(s, e))


def _integers_at(s: str, i: int, sign: int) -> list[tuple[int, Number]]:
    """(end, value) of each integer whose digits start at ``s[i]`` (no leading zero, not
    ending right before a decimal point)."""
    out: list[tuple[int, Number]] = []
    j = i
    while j < len(s) and s[j].isdigit():
        j += 1
        if s[i] == "0" and j - i > 1:
            break  # no leading zero: "0" alone, or "0.5"
        if j < len(s) and s[j] == ".":
            continue  # cannot end right before a decimal point
        out.append((j, sign * int(s[i:j])))
    return out


def _decimals_at(s: str, i: int, sign: int) -> list[tuple[int, Number]]:
    """(end, value) of each decimal number at ``s[i]``: integer digits, '.', then one or
    more fraction digits."""
    out: list[tuple[int, Number]] = []
    dot = s.find(".", i)
    if dot > i and s[i:dot].isdigit() and not (s[i] == "0" and dot - i > 1):
        f = dot + 1
        while f < len(s) and s[f].isdigit():
            f += 1
            out.append((f, sign * float(s[i:f])))
    return out


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
    if not _may_fill(toks, n, settings):
        return res
    index = {k: i for i, k in enumerate(keys)}
    eqs = [e for e in equations if all(k in index for k in e.keys)]
    last_total = _end_total(eqs, index, n) if _plain_total_last(toks) else None
    if last_total is None:
        _search(toks, keys, eqs, {}, None, res, settings, signed)
    else:
        _search_by_total(toks, keys, eqs, last_total, res, settings, signed)
    return res


def _may_fill(toks: list[str | None], n: int, settings: SplitSettings) -> bool:
    """Whether ``toks`` can fill ``n`` cells at all: no more tokens than cells, enough
    characters for one each, not more than the cells can hold."""
    chars = sum(len(t) if t else 1 for t in toks)
    return not (n < len(toks) or n == 0 or chars < n or chars > n * (settings.max_digits + 2))


def _plain_total_last(toks: list[str | None]) -> bool:
    """Non-negative integers only, the last token a number (a total read first)."""
    plain = not any(t and not mark_cells(t) and any(ch in t for ch in "+-.") for t in toks)
    return plain and toks[-1] is not None and not mark_cells(toks[-1])


def _search_by_total(toks: list[str | None], keys: list[str], eqs: list[Equation], last_total: Equation,
                     res: SplitResult, settings: SplitSettings, signed: frozenset[str]) -> None:
    """The search once for each length the total printed last may have, its parts
    searched against its value."""
    tail = toks[-1]
    assert tail is not None
    for t in range(1, min(len(tail), settings.max_digits) + 1):
        text = tail[len(tail) - t:]
        if text.startswith("0") and t > 1:
            continue  # no leading zero
        head = toks[:-1] + ([tail[:-t]] if t < len(tail) else [])
        _search(head, keys[:-1], eqs, {keys[-1]: int(text)}, last_total, res, settings, signed)
        if res.exhausted:
            break


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
    search = _Search(toks, keys, eqs, fixed, res, settings, signed)
    if target_eq is not None:
        search.aim_at(target_eq)
    if not keys:
        if not toks:
            _found(res, tuple(search.values), settings)
        return
    search.step(0, 0, 0, 0)


class _Search:
    """The state of one backtracking search (see :func:`_search`): ``values`` holds the
    cells placed so far, indexed like ``res.keys``; cells are placed one at a time by
    :meth:`step`, which reads the token at ``ti`` from character ``pos`` into cell ``j``
    (``psum``: the sum of the total's parts placed so far)."""

    __slots__ = ("toks", "keys", "n", "res", "settings", "signed", "index", "values", "plain", "marks",
                 "last_of", "forced", "target", "parts", "target_len", "tail_parts", "rest_chars", "max_len")

    def __init__(self, toks: list[str | None], keys: list[str], eqs: list[Equation], fixed: dict[str, Number | None],
                 res: SplitResult, settings: SplitSettings, signed: frozenset[str]) -> None:
        self.toks, self.keys, self.n = toks, keys, len(keys)
        self.res, self.settings, self.signed = res, settings, signed
        self.index = {k: i for i, k in enumerate(res.keys)}
        self.values: list[Number | None] = [None] * len(res.keys)
        for k, v in fixed.items():
            self.values[self.index[k]] = v
        self.plain = not any(t and not mark_cells(t) and any(ch in t for ch in "+-.") for t in toks)
        self.marks = {i: mark_cells(t) for i, t in enumerate(toks) if t is not None and mark_cells(t)}
        self.last_of, self.forced = self._rules(eqs)
        self.target: Number | None = None
        self.parts: set[int] = set()
        self.target_len = 0
        self.tail_parts = False
        self.rest_chars = [sum(len(t) if t else 1 for t in toks[i:]) for i in range(len(toks) + 1)]
        self.max_len = settings.max_digits + 2  # digits, a sign and a decimal point

    def _rules(self, eqs: list[Equation]) -> tuple[dict[int, list[tuple[list[int], list[int]]]], dict[int, list[int]]]:
        """Each rule as index lists, checked when its last cell among the keys is placed;
        and the cells a rule forces (a total printed after all its parts: their sum)."""
        last_of: dict[int, list[tuple[list[int], list[int]]]] = {}
        forced: dict[int, list[int]] = {}
        n = self.n
        for e in eqs:
            li, ri = [self.index[k] for k in e.left], [self.index[k] for k in e.right]
            unplaced = [i for i in li + ri if i < n]
            if not unplaced:
                continue
            last_of.setdefault(max(unplaced), []).append((li, ri))
            for side, other in ((li, ri), (ri, li)):
                if self.plain and len(side) == 1 and side[0] < n and all(i < side[0] for i in other):
                    forced.setdefault(side[0], other)
        return last_of, forced

    def aim_at(self, target_eq: Equation) -> None:
        """The total read first (a fixed cell) whose parts are searched against it."""
        li, ri = [self.index[k] for k in target_eq.left], [self.index[k] for k in target_eq.right]
        side, other = (li, ri) if len(li) == 1 and li[0] >= self.n else (ri, li)
        self.target = self.values[side[0]]
        self.parts = set(other)
        self.target_len = len(str(self.target)) if self.target is not None else 0
        self.tail_parts = bool(other) and self.parts == set(range(min(other), self.n))

    def remaining_chars(self, ti: int, pos: int) -> int:
        if ti >= len(self.toks):
            return 0
        cur = self.toks[ti]
        return (len(cur) - pos if cur is not None else 1) + self.rest_chars[ti + 1]

    def ok_after(self, j: int) -> bool:
        values = self.values
        for li, ri in self.last_of.get(j, ()):
            a = sum(values[i] or 0 for i in li)
            b = sum(values[i] or 0 for i in ri)
            if abs(a - b) > TOLERANCE:
                return False
        return True

    def within_target(self, j: int, ti: int, pos: int, s: Number) -> bool:
        """``s``: the sum of the total's parts placed so far, cell ``j`` included."""
        target = self.target
        if s > target:
            return False
        if self.tail_parts and j < self.n - 1:
            left = self.n - 1 - j  # parts still to place: all the run's remaining cells
            chars = self.remaining_chars(ti, pos)
            if chars > left * self.target_len:
                return False  # no part is longer than the total
            room = chars - (left - 1)
            if room <= 0 or (room < self.target_len and s + (10 ** room - 1) + _MAX_DIGIT * (left - 1) < target):
                return False
            widest = -(-chars // left)  # some part has at least this many digits
            if widest > 1 and s + 10 ** (widest - 1) > target:
                return False
        return True

    def options(self, tok: str, pos: int, j: int) -> list[tuple[int, Number]]:
        """(end, value) of each number cell ``j`` may read from ``tok`` at ``pos``."""
        other = self.forced.get(j)
        if other is None:
            signed = self.keys[j] in self.signed
            return [o for o in _numbers_at(tok, pos) if o[0] - pos <= self.max_len and (o[1] >= 0 or signed)]
        want = sum(self.values[i] or 0 for i in other)
        text = str(want)
        end = pos + len(text)
        if not tok.startswith(text, pos) or (end < len(tok) and not tok[end].isdigit()):
            return []
        return [(end, want)]

    def step(self, ti: int, pos: int, j: int, psum: Number) -> None:
        res = self.res
        if res.exhausted:
            return
        res.nodes += 1
        if res.nodes > self.settings.max_nodes:
            res.exhausted = True
            return
        toks, n = self.toks, self.n
        if j == n:
            if ti == len(toks) and (self.target is None or psum == self.target):
                _found(res, tuple(self.values), self.settings)
            return
        if ti >= len(toks) or n - j < len(toks) - ti or n - j > self.remaining_chars(ti, pos):
            return
        if toks[ti] is None:
            self._null(ti, j, psum)
        elif ti in self.marks:
            self._marks(ti, j, psum)
        else:
            self._number(ti, pos, j, psum)

    def _null(self, ti: int, j: int, psum: Number) -> None:
        """A placeholder is one null cell."""
        self.values[j] = None
        if self.ok_after(j):
            self.step(ti + 1, 0, j + 1, psum)

    def _marks(self, ti: int, j: int, psum: Number) -> None:
        """A run of marks: as many null cells as the count leaves room for."""
        lo, hi = self.marks[ti]
        for m in range(lo, hi + 1):
            if j + m > self.n:
                break
            self.values[j + m - 1] = None
            if all(self.ok_after(x) for x in range(j, j + m)):
                self.step(ti + 1, 0, j + m, psum)

    def _number(self, ti: int, pos: int, j: int, psum: Number) -> None:
        """Each number cell ``j`` may read at ``pos``, the search going on after each."""
        tok = self.toks[ti]
        is_part = self.target is not None and j in self.parts
        checked = j in self.last_of
        for end, v in self.options(tok, pos, j):
            if is_part and end - pos > self.target_len:
                break  # longer numbers only grow past the total
            self.values[j] = v
            nti, npos = (ti + 1, 0) if end == len(tok) else (ti, end)
            s = psum + v if is_part else psum
            if (not is_part or self.within_target(j, nti, npos, s)) and (not checked or self.ok_after(j)):
                self.step(nti, npos, j + 1, s)
        self.values[j] = None


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
    open_runs = _open_runs(runs, out)
    if not open_runs:
        return out
    known = {**fixed, **out.values}
    open_keys = {k for r in open_runs for k in r.keys}
    combos = _combinations(open_runs, settings)
    if combos is not None:
        combos = _narrowed(combos, [e for e in equations if open_keys & set(e.keys)], known, out)
    _settle(open_runs, combos, out)
    return out


def _open_runs(runs: list[SplitResult], out: Choice) -> list[SplitResult]:
    """The runs with several fits to choose from; a unique run's values go to ``out``,
    and so (ambiguous, no candidate) do the cells of a run without a fit or whose search
    reached its bound."""
    open_runs = []
    for r in runs:
        if r.unique is not None:
            out.values.update(zip(r.keys, r.unique))
        elif r.found and not r.exhausted:
            open_runs.append(r)
        else:  # no fit at all, or search bound reached: nothing to choose from
            for k in r.keys:
                out.ambiguous[k] = []
    return open_runs


def _combinations(open_runs: list[SplitResult], settings: SplitSettings) -> list[dict[str, Number | None]] | None:
    """Every joint choice of one candidate per run (key -> value); None when there are
    more than ``settings.max_combinations`` or a run kept fewer candidates than it found."""
    size = 1
    for r in open_runs:
        size *= len(r.candidates)
    if size > settings.max_combinations or any(r.found > len(r.candidates) for r in open_runs):
        return None
    return [dict(itertools.chain.from_iterable(zip(r.keys, c) for r, c in zip(open_runs, pick)))
            for pick in itertools.product(*(r.candidates for r in open_runs))]


def _narrowed(combos: list[dict[str, Number | None]], relevant: list[Equation], known: dict[str, Number | None],
              out: Choice) -> list[dict[str, Number | None]]:
    """The choices each rule keeps, in turn; a rule no choice satisfies is listed in
    ``out.unsatisfied`` and ignored."""
    for e in relevant:
        kept = [c for c in combos if holds(e, {**known, **c}) is not False]
        if kept:
            combos = kept
        else:
            out.unsatisfied.append(e.rule)
    return combos


def _settle(open_runs: list[SplitResult], combos: list[dict[str, Number | None]] | None, out: Choice) -> None:
    """A cell with one value in every choice left (or, too many to combine, in every
    reading of its own row, all of them listed) is settled whatever the other rows are;
    the others are ambiguous."""
    for r in open_runs:
        complete = r.found == len(r.candidates)
        for i, k in enumerate(r.keys):
            vals = ([c[k] for c in combos] if combos is not None else [cand[i] for cand in r.candidates])
            distinct = list(dict.fromkeys(vals))
            if len(distinct) == 1 and (combos is not None or complete):
                out.values[k] = distinct[0]
            else:
                out.ambiguous[k] = distinct
