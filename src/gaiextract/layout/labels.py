"""Label normalisation and tolerant matching of printed labels to grammar labels.

Real tables renumber (1. / 1、 / （1）), truncate ("（二）部分公开"), split a label
over two cells, retype quotes and make typos; matching therefore works on a
normalised key and falls back from exact to prefix to fuzzy similarity.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from difflib import SequenceMatcher
from typing import Iterable, Mapping, Optional

from ..grammar import LabelConfusions
from ..textnorm import LABEL_NUMBERING, label_key

_NUMBERING = LABEL_NUMBERING


@dataclass(frozen=True)
class LabelSettings:
    """The one label-matching policy of grid and stream alike, in one place. Scores
    are 0..1 (1 an exact match); lengths are characters of the normalised label."""

    #: one label a clean prefix of the other (truncated, annotated)
    prefix_score: float = 0.92
    #: both labels at least this long for a prefix to count at all
    prefix_min_len: int = 2
    #: a prefix is clean when the shorter label is this long …
    clean_prefix_len: int = 4
    #: … or at least this share of the longer one
    clean_prefix_share: float = 0.5
    #: a short prefix of a long label: weak evidence ("其他" vs "其他法律…")
    weak_prefix_score: float = 0.6
    #: a candidate of at least this many characters contained in the label
    contained_min_len: int = 3
    contained_score: float = 0.85
    #: a similarity ratio is scaled by this, so that a typo never beats a clean match
    fuzzy_scale: float = 0.84
    #: labels this long may match with one misread character
    substitution_min_len: int = 4
    #: a one-character substitution (under a clean prefix's score)
    substitution_score: float = 0.8
    #: a substitution the grammar lists ([label_confusions])
    confusion_score: float = 0.88
    #: best_match's default: a weaker best score matches nothing
    match_threshold: float = 0.7

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if f.type in (int, "int"):
                if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                    raise ValueError(f"LabelSettings.{f.name} must be a whole number of at least 1, not {v!r}")
            elif isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 1:
                raise ValueError(f"LabelSettings.{f.name} must be a score in (0, 1], not {v!r}")
        # hashed once: the settings are part of every cached match's key
        object.__setattr__(self, "_hash", hash(tuple(getattr(self, f.name) for f in fields(self))))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]


SETTINGS = LabelSettings()


def substitution(printed: str, label: str, settings: LabelSettings = SETTINGS, *,
                 confusions: LabelConfusions) -> float:
    """The score of ``printed`` as ``label`` with exactly one character misread (0 when
    they differ otherwise, or the label is shorter than the setting allows); a pair of
    the grammar's ``confusions`` scores higher."""
    if len(printed) != len(label) or len(label) < settings.substitution_min_len:
        return 0.0
    diff = [(a, b) for a, b in zip(printed, label) if a != b]
    if len(diff) != 1:
        return 0.0
    return settings.confusion_score if diff[0] in confusions else settings.substitution_score


def strip_numbering(text: str) -> str:
    """Remove leading numbering markers (repeatedly: 三、(一) …)."""
    prev = None
    while prev != text:
        prev = text
        text = _NUMBERING.sub("", text, count=1).lstrip()
    return text


@functools.lru_cache(maxsize=1 << 15)
def norm_label(text: str) -> str:
    """The comparable form: NFKC, no whitespace, unified quotes, no numbering.
    Cached: every cell is normalised when its table is classified and again when mapped."""
    return strip_numbering(label_key(text))


def match_score(label: str, candidates: Iterable[str], fuzzy: bool = True, settings: LabelSettings = SETTINGS, *,
                confusions: LabelConfusions) -> float:
    """Best similarity of a normalised ``label`` to normalised ``candidates`` (0..1).

    1.0 exact; ``prefix_score`` when one is a prefix of the other (truncated or
    annotated label); ``contained_score`` when a candidate is contained in the label;
    otherwise (with ``fuzzy``) a one-character substitution (``confusions``: the
    grammar's pairs, scored higher) or a similarity ratio scaled below those, so typos
    still match but never beat a clean match. Results are cached: the same labels
    recur in every report.
    """
    if not label:
        return 0.0
    if not isinstance(candidates, tuple):
        candidates = tuple(candidates)
    if settings is SETTINGS:  # the usual case: a cache keyed by values hashed in C
        return _match_default(label, candidates, fuzzy, confusions.pairs)
    return _match_score(label, candidates, fuzzy, confusions, settings)


@functools.lru_cache(maxsize=1 << 16)
def _match_default(label: str, candidates: tuple[str, ...], fuzzy: bool,
                   pairs: frozenset[tuple[str, str]]) -> float:
    return _match_score.__wrapped__(label, candidates, fuzzy, LabelConfusions(pairs), SETTINGS)


@functools.lru_cache(maxsize=1 << 12)
def _match_score(label: str, candidates: tuple[str, ...], fuzzy: bool, confusions: LabelConfusions,
                 settings: LabelSettings) -> float:
    best = 0.0
    for cand in candidates:
        if label == cand:
            return 1.0
        if len(label) >= settings.prefix_min_len and len(cand) >= settings.prefix_min_len \
                and (label.startswith(cand) or cand.startswith(label)):
            short, long_ = sorted((label, cand), key=len)
            clean = len(short) >= settings.clean_prefix_len or len(short) / len(long_) >= settings.clean_prefix_share
            score = settings.prefix_score if clean else settings.weak_prefix_score
        elif len(cand) >= settings.contained_min_len and cand in label:
            score = settings.contained_score
        elif fuzzy and (sub := substitution(label, cand, settings, confusions=confusions)):
            score = sub
        elif fuzzy:
            sm = SequenceMatcher(None, label, cand, autojunk=False)
            # cheap upper bounds first: most pairs are nowhere near each other
            scale = settings.fuzzy_scale
            if sm.real_quick_ratio() * scale <= best or sm.quick_ratio() * scale <= best:
                continue
            score = sm.ratio() * scale
        else:
            continue
        best = max(best, score)
    return best


def best_match(label: str, options: dict[str, tuple[str, ...]], threshold: float | None = None,
               settings: LabelSettings = SETTINGS, *, confusions: LabelConfusions) -> Optional[tuple[str, float]]:
    """``options`` maps an id to its candidate labels; return (id, score) or None (the
    best score under ``threshold``, default ``settings.match_threshold``, or two options
    tied below a clean prefix's score)."""
    limit = settings.match_threshold if threshold is None else threshold
    scored = [(match_score(label, cands, settings=settings, confusions=confusions), oid)
              for oid, cands in options.items()]
    scored.sort(key=lambda t: -t[0])
    if not scored or scored[0][0] < limit:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0] < settings.prefix_score:
        return None  # a misread label that fits two options equally: not unique
    return scored[0][1], scored[0][0]


#: results an :class:`OptionIndex` keeps before it starts afresh (bounds the memory of a
#: long batch, where OCR'd labels rarely repeat)
INDEX_MEMO_ENTRIES = 1 << 14


class OptionIndex:
    """:func:`best_match` over one fixed set of options, remembered.

    A layout's row and group labels are matched against the same cell texts in report
    after report (and against every cell of a table while its layout is chosen); the
    answer depends only on the text, the threshold and the grammar's confusions."""

    __slots__ = ("options", "_memo")

    def __init__(self, options: Mapping[str, tuple[str, ...]]) -> None:
        self.options: dict[str, tuple[str, ...]] = dict(options)
        self._memo: dict[tuple[str, float, frozenset[tuple[str, str]]], Optional[tuple[str, float]]] = {}

    def __bool__(self) -> bool:
        return bool(self.options)

    def best(self, label: str, threshold: float, *, confusions: LabelConfusions) -> Optional[tuple[str, float]]:
        """``best_match(label, options, threshold, confusions=confusions)``."""
        key = (label, threshold, confusions.pairs)
        try:
            return self._memo[key]
        except KeyError:
            pass
        found = best_match(label, self.options, threshold, confusions=confusions)
        if len(self._memo) >= INDEX_MEMO_ENTRIES:
            self._memo.clear()
        self._memo[key] = found
        return found
