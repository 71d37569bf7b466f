"""Overview subsections → the contract's categories, multi-label, with scores.

Scores come from weighted keyword profiles in ``grammars/categories.toml``: the
heading counts ``heading_boost`` times, the body once (first ``body_chars``
characters, where the topic is stated). A generic heading such as （五）其他情况
or （二）主要做法 names no category: its body decides, but only when one topic
carries at least ``generic_min_share`` of the body's score — a body that goes
through several topics gets the fallback (``other``), never a category none of
the heading's words support picked by a small margin.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from ..grammar import Grammar, GrammarError
from ..textnorm import label_key
from .labels import strip_numbering
from .per_object import PerObject


@dataclass(frozen=True)
class CategorySettings:
    """The tolerances of :func:`classify_subsection`; categories.toml ``[settings]``
    (checked by the grammar's schema) names the fallback and may override the numbers
    its schema lists (not ``repeat_bonus`` / ``max_repeats``, fixed here)."""

    #: the category of a subsection that scores above ``threshold`` in none (a category id)
    fallback: str
    #: a heading's keywords count this many times its body's
    heading_boost: float = 4.0
    #: the best category must score at least this, or the fallback is given
    threshold: float = 1.0
    #: further categories are kept when they score this share of the best
    keep_ratio: float = 0.6
    #: the body is read this far (where the topic is stated)
    body_chars: int = 600
    #: a heading that names no category: its body's best topic needs this share of the
    #: body's whole score, else the fallback
    generic_min_share: float = 0.5
    #: each further occurrence of a keyword adds this share of its weight …
    repeat_bonus: float = 0.25
    #: … up to this many occurrences in all
    max_repeats: int = 5

    @classmethod
    def from_grammar(cls, grammar: Grammar) -> CategorySettings:
        """The grammar's settings, checked once per grammar object (kept while it lives)."""
        return _SETTINGS.get(grammar, lambda: _validated(grammar.category_settings,
                                                         {p.id for p in grammar.categories}))


#: each grammar object's checked settings (they hold no reference to the grammar)
_SETTINGS: PerObject[CategorySettings] = PerObject()


def _validated(raw: Mapping[str, Any], ids: set[str]) -> CategorySettings:
    known = {f.name: f for f in fields(CategorySettings)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise GrammarError(f"categories.toml: [settings] unknown key {key!r}")
        kind = known[key].type if key == "fallback" else type(getattr(CategorySettings, key))
        kind = str if kind in ("str", str) else kind
        if kind is str:
            if not isinstance(value, str):
                raise GrammarError(f"categories.toml: [settings] {key} must be a string")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise GrammarError(f"categories.toml: [settings] {key} must be a number >= 0")
        values[key] = kind(value)
    if "fallback" not in values:
        raise GrammarError("categories.toml: [settings] fallback is required")
    st = CategorySettings(**values)
    if st.fallback not in ids:
        raise GrammarError(f"categories.toml: [settings] fallback {st.fallback!r} is no category")
    if not 0 < st.keep_ratio <= 1 or not 0 < st.generic_min_share <= 1:
        raise GrammarError("categories.toml: [settings] keep_ratio and generic_min_share must be in (0, 1]")
    if st.max_repeats < 1:
        raise GrammarError("categories.toml: [settings] max_repeats must be at least 1")
    return st


def _profile_score(text: str, keywords: dict[str, float], st: CategorySettings) -> float:
    score = 0.0
    covered: list[tuple[int, int]] = []
    # longest keywords first, so "依申请公开" is not also counted as "申请"
    for kw in sorted(keywords, key=len, reverse=True):
        n, start = 0, 0
        while True:
            i = text.find(kw, start)
            if i < 0:
                break
            if not any(a <= i < b for a, b in covered):
                n += 1
                covered.append((i, i + len(kw)))
            start = i + len(kw)
        if n:
            score += keywords[kw] * (1 + st.repeat_bonus * (min(n, st.max_repeats) - 1))
    return score


def classify_subsection(heading: str, body: str, grammar: Grammar) -> tuple[list[str], dict[str, float]]:
    """Return (categories best first, scores) for one subsection."""
    st = CategorySettings.from_grammar(grammar)
    head = label_key(strip_numbering(heading))
    text = label_key(body[:st.body_chars])
    head_scores = {prof.id: _profile_score(head, prof.keywords, st) for prof in grammar.categories}
    raw = {prof.id: st.heading_boost * head_scores[prof.id] + _profile_score(text, prof.keywords, st)
           for prof in grammar.categories}
    total = sum(raw.values())
    if not total or max(raw.values()) < st.threshold:
        return [st.fallback], {st.fallback: 1.0}
    best = max(raw.values())
    # a heading that names categories decides among them; the body only breaks ties
    head_hits = {c for c, v in head_scores.items() if v > 0}
    ranked = sorted(raw, key=lambda c: (c in head_hits, raw[c]), reverse=True)
    scores = {c: round(raw[c] / total, 3) for c in ranked if raw[c] > 0}
    if head_hits:
        top_head = max(raw[c] for c in head_hits)
        cats = [c for c in ranked if c in head_hits and raw[c] >= st.keep_ratio * top_head]
    elif best < st.generic_min_share * total:
        return [st.fallback], scores  # a generic heading over a body of several topics
    else:
        cats = [c for c in ranked if raw[c] >= st.keep_ratio * best and raw[c] >= st.threshold]
    return cats, scores
