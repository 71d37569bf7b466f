"""Label normalisation and tolerant matching of printed labels to grammar labels.

Real tables renumber (1. / 1、 / （1）), truncate ("（二）部分公开"), split a label
over two cells, retype quotes and make typos; matching therefore works on a
normalised key and falls back from exact to prefix to fuzzy similarity.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, Optional

from ..textnorm import LABEL_NUMBERING, label_key

_NUMBERING = LABEL_NUMBERING


@dataclass(frozen=True)
class LabelSettings:
    """The one label-matching policy of grid and stream alike, in one place."""

    prefix_score: float = 0.92        # one label a clean prefix of the other (truncated, annotated)
    substitution_min_len: int = 4     # labels this long may match with one misread character
    substitution_score: float = 0.8   # a one-character substitution (under a clean prefix's 0.92)
    confusion_score: float = 0.88     # a substitution the grammar lists ([label_confusions])


SETTINGS = LabelSettings()


@functools.lru_cache(maxsize=1)
def confusions() -> frozenset[tuple[str, str]]:
    """The grammar's pairs of characters misread for one another, both ways."""
    from ..grammar import _read

    pairs = _read("tables.toml").get("label_confusions", {}).get("pairs", [])
    return frozenset((p[0], p[1]) for p in pairs if len(p) == 2) | frozenset((p[1], p[0]) for p in pairs if len(p) == 2)


def substitution(printed: str, label: str, settings: LabelSettings = SETTINGS) -> float:
    """The score of ``printed`` as ``label`` with exactly one character misread (0 when
    they differ otherwise, or the label is shorter than the setting allows)."""
    if len(printed) != len(label) or len(label) < settings.substitution_min_len:
        return 0.0
    diff = [(a, b) for a, b in zip(printed, label) if a != b]
    if len(diff) != 1:
        return 0.0
    return settings.confusion_score if diff[0] in confusions() else settings.substitution_score


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


def match_score(label: str, candidates: Iterable[str], fuzzy: bool = True) -> float:
    """Best similarity of a normalised ``label`` to normalised ``candidates`` (0..1).

    1.0 exact; 0.92 when one is a prefix of the other (truncated or annotated
    label); 0.85 when a candidate is contained in the label; otherwise (with
    ``fuzzy``) a similarity ratio scaled below those, so typos still match but
    never beat a clean match. Results are cached: the same labels recur in every
    report.
    """
    if not label:
        return 0.0
    if not isinstance(candidates, tuple):
        candidates = tuple(candidates)
    return _match_score(label, candidates, fuzzy)


@functools.lru_cache(maxsize=1 << 16)
def _match_score(label: str, candidates: tuple[str, ...], fuzzy: bool) -> float:
    best = 0.0
    for cand in candidates:
        if label == cand:
            return 1.0
        if len(label) >= 2 and len(cand) >= 2 and (label.startswith(cand) or cand.startswith(label)):
            short, long_ = sorted((label, cand), key=len)
            # a short prefix of a long label is weak evidence ("其他" vs "其他法律…")
            score = SETTINGS.prefix_score if len(short) >= 4 or len(short) / len(long_) >= 0.5 else 0.6
        elif len(cand) >= 3 and cand in label:
            score = 0.85
        elif fuzzy and substitution(label, cand):
            score = substitution(label, cand)
        elif fuzzy:
            sm = SequenceMatcher(None, label, cand, autojunk=False)
            # cheap upper bounds first: most pairs are nowhere near each other
            if sm.real_quick_ratio() * 0.84 <= best or sm.quick_ratio() * 0.84 <= best:
                continue
            score = sm.ratio() * 0.84
        else:
            continue
        best = max(best, score)
    return best


def best_match(label: str, options: dict[str, tuple[str, ...]], threshold: float = 0.7) -> Optional[tuple[str, float]]:
    """``options`` maps an id to its candidate labels; return (id, score) or None."""
    scored = [(match_score(label, cands), oid) for oid, cands in options.items()]
    scored.sort(key=lambda t: -t[0])
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0] < SETTINGS.prefix_score:
        return None  # a misread label that fits two options equally: not unique
    return scored[0][1], scored[0][0]
