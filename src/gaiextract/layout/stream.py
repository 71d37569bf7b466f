"""Stream sources: a table read from labels and numbers in reading order.

Where no grid of a table survived — a scraper's flattened page with every cell
run together, converter Markdown whose table fell apart — the table is still
there as text: its row labels in template order, each followed by its numbers.
This module finds the row labels as *anchors*, in template order, tolerant of
labels broken by spaces, numbering glued to the previous row's digits, label
tails the grammar does not spell out and single misread characters; the numbers
after an anchor (up to the next) belong to its row, and the template says how
many there are. Nothing here knows a table's name: rows, groups and columns come
from the grammar's layout.
"""
from __future__ import annotations

import bisect
import heapq
import re
from collections import deque
from dataclasses import dataclass, field

from ..grammar import LabelConfusions, TableGrammar
from ..limits import require_positive
from ..textnorm import matching_view, nfkc
from .labels import SETTINGS as LABELS
from .labels import norm_label, substitution
from ..values import RUNNING_UNITS, SIGN_WORDS, mark_cells
from .splits import UNIT

_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'"})
_SPACE = " \t\r\n\u3000\u00a0\u2002\u2003\u200b\ufeff"
_SEP = _SPACE + "|"
#: a value token: signed/decimal digits with an optional unit, or a placeholder
_SIGNS = "|".join(re.escape(w) for w in SIGN_WORDS)
_TOKEN = re.compile(rf"(?:[+\-]|{_SIGNS})?\d[\d.,]*(?:{RUNNING_UNITS}|%)?|[—–―－─]+|-{{2,}}|-(?![\d-])|[/／]+")
_NUMBERING_AFTER = "、.．"


@dataclass(frozen=True)
class StreamSettings:
    """Tolerances of anchor finding, in one place."""

    label_tail: int = 160       # characters (label tail, a broken table's header) skipped to reach a row's numbers
    min_rows_fraction: float = 0.4  # of a layout's rows found as anchors before a table is believed
    min_rows: int = 2
    min_header_labels: int = 3  # column labels in a row for a table without row labels
    header_gap: int = 3         # characters allowed between two header labels
    gap_penalty: float = 0.002  # per character between consecutive anchors (prefers tight chains)
    max_row_gap: int = 1500     # characters from one row's numbers to the next row's label at most
    tail_min_label: int = 4     # labels this long may reach numbers past a label tail
    identify_before: int = 400  # characters before the first row where a header's labels count
    misread_penalty: float = 1.5  # a label found with one misread character scores its length less this

    def __post_init__(self) -> None:
        require_positive(self)


SETTINGS = StreamSettings()
#: added before int() to round a share of rows up, while float noise (0.4 * 15 =
#: 6.000000000000001) does not
_ROUND_UP = 0.999


@dataclass
class Stream:
    """The text of a document's paragraphs in reading order, in two aligned views."""

    raw: str
    norm: str                 # per-character comparable form (NFKC, simplified, quotes), same length as raw
    compact: str              # norm without whitespace, for label search
    compact_pos: list[int]    # compact index -> norm/raw index
    para_starts: list[int] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)

    def page_at(self, pos: int) -> int | None:
        page = None
        for start, pg in zip(self.para_starts, self.pages):
            if start > pos:
                break
            page = pg
        return page


def build_stream(paragraphs: list[tuple[str, int | None]]) -> Stream:
    """``paragraphs``: (text, page) pairs in reading order."""
    parts, starts, pages = [], [], []
    at = 0
    for text, page in paragraphs:
        starts.append(at)
        pages.append(page)
        parts.append(text)
        at += len(text) + 1
    raw = "\n".join(parts)
    view = matching_view(raw)
    norm_chars = []
    for ch in view:
        n = nfkc(ch).translate(_QUOTES)
        norm_chars.append(n if len(n) == 1 else ch)
    norm = "".join(norm_chars)
    compact_pos = [i for i, ch in enumerate(norm) if ch not in _SPACE]
    compact = "".join(norm[i] for i in compact_pos)
    return Stream(raw=raw, norm=norm, compact=compact, compact_pos=compact_pos, para_starts=starts, pages=pages)


# --------------------------------------------------------------------------- label search

@dataclass
class Hit:
    start: int        # raw/norm index of the label's first character
    end: int          # raw/norm index just after its last character
    target: int       # index into the anchor targets
    score: float
    run: Run | None = None


def find_label(stream: Stream, label: str, settings: StreamSettings = SETTINGS,
               others: frozenset[str] = frozenset(), fuzzy: bool = True, *,
               confusions: LabelConfusions) -> list[tuple[int, int, float]]:
    """(start, end, score) of each occurrence of ``label`` (normalised, no whitespace):
    exact, or with one misread character (the one label policy, ``labels.substitution``
    with the grammar's ``confusions``) where the printed text is no other label of ``others`` and within one character of
    no other one (the match is unique)."""
    out = []
    text = stream.compact
    seen = set()
    i = text.find(label)
    while i >= 0:
        seen.add(i)
        out.append((i, i + len(label), float(len(label))))
        i = text.find(label, i + 1)
    if fuzzy and len(label) >= LABELS.substitution_min_len:
        half = len(label) // 2
        rivals = [o for o in others if len(o) == len(label) and o != label]
        for piece, offset in ((label[:half], 0), (label[half:], half)):
            j = text.find(piece)
            while j >= 0:
                s = j - offset
                if s >= 0 and s not in seen and s + len(label) <= len(text):
                    window = text[s:s + len(label)]
                    seen.add(s)
                    if substitution(window, label, confusions=confusions) and not any(
                            window == o or substitution(window, o, confusions=confusions) for o in rivals):
                        out.append((s, s + len(label), len(label) - settings.misread_penalty))
                j = text.find(piece, j + 1)
    return [(stream.compact_pos[s], stream.compact_pos[e - 1] + 1, sc) for s, e, sc in out]


# --------------------------------------------------------------------------- numbers

@dataclass
class Run:
    """The value tokens printed after an anchor: text as printed, with positions."""

    tokens: list[str | None]  # printed token texts (units removed), None for a placeholder
    raw: list[str]    # the tokens as printed
    start: int
    end: int


def read_run(stream: Stream, pos: int, limit: int) -> Run | None:
    """The value tokens starting at ``pos`` (after separators), up to ``limit``."""
    s = stream.norm
    i = _skip(s, pos, limit, _SEP + ":：")
    tokens: list[str | None] = []
    raw: list[str] = []
    start = end = i
    while i < limit:
        m = _TOKEN.match(s, i)
        if not m or m.end() > limit:
            break
        tok = m.group(0)
        nxt = s[m.end()] if m.end() < len(s) else ""
        if tok[-1].isdigit() and nxt and nxt in _NUMBERING_AFTER or (tok.endswith(".") and len(tok) > 1):
            end = _before_numbering(stream, m, tokens, raw) or end
            break
        if nxt and nxt not in _SEP and not _TOKEN.match(s, m.end()) and not _is_label_char(nxt):
            break
        tokens.append(_run_token(tok))
        raw.append(stream.raw[m.start():m.end()])
        end = m.end()
        i = _skip(s, m.end(), limit, _SEP)
        if i < limit and not _TOKEN.match(s, i):
            break
    if not tokens:
        return None
    return Run(tokens=tokens, raw=raw, start=start, end=end)


def _skip(s: str, i: int, limit: int, chars: str) -> int:
    """The first position from ``i`` (before ``limit``) whose character is not in ``chars``."""
    while i < limit and s[i] in chars:
        i += 1
    return i


def _before_numbering(stream: Stream, m: re.Match[str], tokens: list[str | None], raw: list[str]) -> int | None:
    """A token whose last digit numbers the next label (``…00000002.其他法律…``): its
    digits before that one are the run's last token (added to ``tokens`` and ``raw``);
    the run's end, or None when no digit is left."""
    body = m.group(0).rstrip(".")
    if len(body) > 1 and body[-2].isdigit():
        tokens.append(UNIT.sub("", body[:-1]))
        raw.append(stream.raw[m.start():m.start() + len(body) - 1])
        return m.start() + len(body) - 1
    return None


def _run_token(tok: str) -> str | None:
    """A printed token as a run holds it: placeholder marks are one null cell (None), or
    a run of them (kept); a number without its unit."""
    if not any(c.isdigit() for c in tok):
        return None if mark_cells(tok) in (None, (1, 1)) else tok
    return UNIT.sub("", tok).rstrip(".")


def _is_label_char(ch: str) -> bool:
    return not ch.isascii() or ch in "()（）"


def run_after(stream: Stream, hit_end: int, limit: int, settings: StreamSettings = SETTINGS) -> Run | None:
    """The numbers of the row whose label ends at ``hit_end``: right after it, or after a
    label tail the grammar does not spell (the longest run within ``label_tail``)."""
    run = read_run(stream, hit_end, limit)
    if run is not None:
        return run
    best = None
    stop = min(limit, hit_end + settings.label_tail)
    i = hit_end
    s = stream.norm
    while i < stop:
        if s[i].isdigit() or (s[i] in "-—－/" and i > 0 and s[i - 1] in _SEP):
            r = read_run(stream, i, limit)
            if r is not None and any(t is not None for t in r.tokens):
                digits = sum(len(t) for t in r.tokens if t)
                if best is None or digits > best[0]:
                    best = (digits, r)
                i = max(i + 1, r.end)
                continue
        i += 1
    return best[1] if best else None


# --------------------------------------------------------------------------- anchors

@dataclass(frozen=True)
class Target:
    """One row the stream may hold: its key, its labels, and the cells it carries."""

    row: str | None
    labels: tuple[str, ...]
    keys: tuple[str, ...]
    group: str | None = None      # a group printed as one row excludes its sub-rows
    exclusive_of: str | None = None
    header: bool = False          # the anchor is a column header, not a row label


def row_targets(layout: TableGrammar) -> list[Target]:
    """The layout's rows in printed order, a group that may be printed as one row placed
    before its sub-rows."""
    groups = {g.id: g for g in layout.groups}
    out: list[Target] = []
    done: set[str] = set()
    for r in layout.rows:
        g = groups.get(r.group) if r.group else None
        if g is not None and g.row_key and g.id not in done:
            done.add(g.id)
            keys = tuple(layout.row_cells(g.row_key))
            if keys:
                out.append(Target(g.row_key, g.labels, keys, group=g.id))
        keys = tuple(layout.row_cells(r.key))
        if keys:
            out.append(Target(r.key, r.labels, keys, exclusive_of=r.group if g is not None and g.row_key else None))
    return out


def group_targets(layout: TableGrammar) -> list[Target]:
    """A table without rows printed transposed: a row per column group."""
    out = []
    for c in layout.columns:
        kids = layout.children(c.id)
        if kids and not any(layout.children(k.id) for k in kids):
            prefix = layout.column_path_key(c)
            keys = tuple(k for k in layout.leaf_keys() if k.startswith(prefix + "."))
            out.append(Target(None, c.labels, keys))
    return out


@dataclass
class Anchored:
    target: Target
    hit: Hit


def align_rows(stream: Stream, targets: list[Target], settings: StreamSettings = SETTINGS, *,
               confusions: LabelConfusions) -> list[Anchored]:
    """The best chain of anchors: targets in template order, positions increasing, each
    followed by numbers; the chain with the most (and longest) labels, tightest first
    (labels matched with the grammar's ``confusions``)."""
    hits = _label_hits(stream, targets, settings, confusions)
    if not hits:
        return []
    _attach_runs(stream, hits, settings)
    # a row's numbers must be able to fill its cells (one character each at least), and a
    # sentence is not a row (``……行政规范性文件243件，``)
    hits = [h for h in hits if h.run is not None and _chars(h.run) >= len(targets[h.target].keys)
            and not _in_sentence(stream, h.run, len(targets[h.target].keys))]
    best, prev = _best_chain(hits, targets, settings)
    if not hits:
        return []
    i = max(range(len(hits)), key=lambda k: best[k])
    chain = []
    while i >= 0:
        chain.append(Anchored(targets[hits[i].target], hits[i]))
        i = prev[i]
    chain.reverse()
    return chain


def _label_hits(stream: Stream, targets: list[Target], settings: StreamSettings,
                confusions: LabelConfusions) -> list[Hit]:
    """Every place a target's label is printed, in stream order (the better score first)."""
    hits: list[Hit] = []
    every = frozenset(norm_label(lab) or lab for t in targets for lab in t.labels)
    for ti, t in enumerate(targets):
        for label in t.labels:
            for s, e, sc in find_label(stream, norm_label(label) or label, settings, every,
                                       confusions=confusions):
                hits.append(Hit(s, e, ti, sc))
    hits.sort(key=lambda h: (h.start, -h.score))
    return hits


def _attach_runs(stream: Stream, hits: list[Hit], settings: StreamSettings) -> None:
    """Each hit's run of numbers: right after its label, or (a long enough label) after a
    label tail, up to the next hit that carries numbers of its own."""
    for h in hits:
        h.run = read_run(stream, h.end, len(stream.norm))
    with_run = sorted(h.start for h in hits if h.run is not None)
    for h in hits:
        if h.run is None and h.end - h.start >= settings.tail_min_label:
            k = bisect.bisect_left(with_run, h.end)
            nxt = with_run[k] if k < len(with_run) else len(stream.norm)
            h.run = run_after(stream, h.end, nxt, settings)


#: punctuation that ends a clause of prose: a row's numbers are never followed by it
_CLAUSE_END = "，。；;,"


def _in_sentence(stream: Stream, run: Run, n_keys: int) -> bool:
    """A run of fewer tokens than its row has cells that a clause of prose continues
    (its number followed by a comma or full stop): a sentence quoting a figure."""
    if len(run.tokens) >= n_keys:
        return False
    i = run.end
    s = stream.norm
    while i < len(s) and s[i] in _SPACE:
        i += 1
    return i < len(s) and s[i] in _CLAUSE_END


def _chars(run: Run) -> int:
    return sum(len(t) if t else 1 for t in run.tokens)


def _best_chain(hits: list[Hit], targets: list[Target], settings: StreamSettings) -> tuple[list[float], list[int]]:
    """Weighted longest chain over hits sorted by position: each hit extends the best chain
    ending, within ``max_row_gap``, at an earlier target whose numbers end before it.

    ``best[j] - gap_penalty * (start - run_end_j)`` splits into a part of j and a part of
    the current hit, so each target keeps a sliding-window maximum of
    ``best[j] + gap_penalty * run_end_j`` (a deque per target): linear in the hits."""
    lam = settings.gap_penalty
    best: list[float] = [0.0] * len(hits)
    prev: list[int] = [-1] * len(hits)
    windows: list[deque[tuple[int, float, int]]] = [deque() for _ in targets]  # (run_end, value, j), values decreasing
    pending: list[tuple[int, int]] = []  # (run_end, j) not yet usable: their numbers end after the current start
    for i, h in enumerate(hits):
        while pending and pending[0][0] <= h.start:
            end, j = heapq.heappop(pending)
            win = windows[hits[j].target]
            value = best[j] + lam * end
            while win and win[-1][1] <= value:
                win.pop()
            win.append((end, value, j))
        best[i] = h.score
        excl = targets[h.target].exclusive_of
        for t in range(h.target):
            win = windows[t]
            while win and h.start - win[0][0] > settings.max_row_gap:
                win.popleft()  # rows of one table follow each other closely: no chain across narrative
            if not win or (excl and targets[t].group == excl):
                continue
            cand = win[0][1] + h.score - lam * h.start
            if cand > best[i]:
                best[i], prev[i] = cand, win[0][2]
        heapq.heappush(pending, (h.run.end, i))
    return best, prev


def align_header(stream: Stream, layout: TableGrammar, settings: StreamSettings = SETTINGS) -> list[Anchored]:
    """A table without row labels (四): the numbers after its column header, a run of
    column labels; one anchor holding every leaf cell."""
    labels = frozenset(norm_label(lab) or lab for c in layout.columns for lab in c.labels)
    spots = sorted({(s, e) for lab in labels for s, e, _ in find_label(stream, lab, settings, labels, confusions=layout.confusions)})
    best = None
    i = 0
    while i < len(spots):
        n, end, j = 1, spots[i][1], i + 1
        while j < len(spots):
            s, e = spots[j]
            if s < end:
                j += 1
                continue
            if len(stream.norm[end:s].strip(_SEP)) > settings.header_gap:
                break
            n, end, j = n + 1, max(end, e), j + 1
        if n >= settings.min_header_labels:
            run = read_run(stream, end, len(stream.norm))
            if run is not None and (best is None or n > best[0]):
                best = (n, spots[i][0], end, run)
        i = max(i + 1, j)
    if best is None:
        return []
    _, start, end, run = best
    target = Target(None, (stream.raw[start:end],), tuple(layout.leaf_keys()), header=True)
    return [Anchored(target, Hit(start, end, 0, float(best[0]), run))]


def enough(chain: list[Anchored], targets: list[Target], settings: StreamSettings = SETTINGS, found: int = 0) -> bool:
    """Enough of a layout's rows anchored (``found``: more rows found printed blank) to
    believe the table is there."""
    need = max(settings.min_rows, int(settings.min_rows_fraction * len({t.row for t in targets}) + _ROUND_UP))
    return len(chain) >= settings.min_rows and len(chain) + found >= min(need, len(targets)) \
        if found else len(chain) >= min(need, len(targets))
