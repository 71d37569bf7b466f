"""Overview subsections → the contract's categories, multi-label, with scores.

Scores come from weighted keyword profiles in ``grammars/categories.toml``: the
heading counts ``heading_boost`` times, the body once (first ``body_chars``
characters, where the topic is stated). A generic heading such as （五）其他情况
is thereby classified by its body.
"""
from __future__ import annotations

from ..grammar import Grammar
from ..textnorm import label_key
from .labels import strip_numbering


def _profile_score(text: str, keywords: dict[str, float]) -> float:
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
            score += keywords[kw] * (1 + 0.25 * (min(n, 5) - 1))
    return score


def classify_subsection(heading: str, body: str, grammar: Grammar) -> tuple[list[str], dict[str, float]]:
    """Return (categories best first, scores) for one subsection."""
    st = grammar.category_settings
    boost = float(st.get("heading_boost", 4.0))
    threshold = float(st.get("threshold", 1.0))
    keep = float(st.get("keep_ratio", 0.6))
    head = label_key(strip_numbering(heading))
    text = label_key(body[: int(st.get("body_chars", 600))])
    head_scores = {prof.id: _profile_score(head, prof.keywords) for prof in grammar.categories}
    raw = {prof.id: boost * head_scores[prof.id] + _profile_score(text, prof.keywords)
           for prof in grammar.categories}
    total = sum(raw.values())
    if not total or max(raw.values()) < threshold:
        fallback = str(st["fallback"])
        return [fallback], {fallback: 1.0}
    best = max(raw.values())
    # a heading that names categories decides among them; the body only breaks ties
    head_hits = {c for c, v in head_scores.items() if v > 0}
    ranked = sorted(raw, key=lambda c: (c in head_hits, raw[c]), reverse=True)
    if head_hits:
        top_head = max(raw[c] for c in head_hits)
        cats = [c for c in ranked if c in head_hits and raw[c] >= keep * top_head]
    else:
        cats = [c for c in ranked if raw[c] >= keep * best and raw[c] >= threshold]
    scores = {c: round(raw[c] / total, 3) for c in ranked if raw[c] > 0}
    return cats, scores
