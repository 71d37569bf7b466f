"""What a heading is, shared by the section finder (:mod:`.sections`) and the cutting
of headings out of running text (:mod:`.runin`), which both import it — neither
imports the other's internals.

A heading is a numbering marker of one family (一、 / 第一部分 / （一） / 1.) and a short
text; text after a stop on the same line is run-in body. How well a heading names a
section is scored against the grammar's variants and keyword rules. The tolerances
are the fields of :class:`HeadingSettings`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from ..grammar import LabelConfusions, SectionDef
from ..textnorm import NUMBERING_FAMILIES, label_key, numeral
from .labels import match_score

FAMILIES = NUMBERING_FAMILIES
#: the stops that end a heading run into its text, and after which an item or a
#: sub-head glued to the sentence before it starts (one set for both)
STOPS = "。：:；;"


_STOP = re.compile(f"[{re.escape(STOPS)}]")


@dataclass(frozen=True)
class HeadingSettings:
    """The tolerances of heading finding (section finder and run-in cutting)."""

    #: a heading longer than this is a paragraph
    heading_max: int = 40
    #: a numbered heading must score this (after the number bonus)
    clean_limit: float = 0.72
    #: an unnumbered line must match a variant almost exactly
    bare_limit: float = 0.9
    #: an unnumbered line longer than this is never a heading
    bare_max_chars: int = 24
    #: a paragraph longer than this is not looked at as a heading
    max_paragraph_chars: int = 4000
    #: a heading that names a section by its keyword rules (all_of) scores at least this
    all_of_score: float = 0.82
    #: a heading holding a none_of word scores at most this (unless it is a variant)
    none_of_cap: float = 0.5
    #: a subsection heading has at least this many characters (numbering included)
    sub_heading_min: int = 3

    def __post_init__(self) -> None:
        for name in ("clean_limit", "bare_limit", "all_of_score", "none_of_cap"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"HeadingSettings.{name} must be in [0, 1]")
        for name in ("heading_max", "bare_max_chars", "max_paragraph_chars", "sub_heading_min"):
            if getattr(self, name) < 1:
                raise ValueError(f"HeadingSettings.{name} must be at least 1")


SETTINGS = HeadingSettings()


@dataclass
class HeadingCandidate:
    block: int            # index into document blocks
    family: str           # numbering family or "none"
    number: Optional[int]
    heading: str          # as printed, numbering included
    rest: str             # run-in text after the heading ("" when on its own line)


def split_heading(text: str, family: str, settings: HeadingSettings = SETTINGS) -> Optional[HeadingCandidate]:
    """Split a paragraph into (numbered) heading and run-in rest, or None."""
    stripped = text.strip()
    if family == "none":
        number, body, marker = None, stripped, ""
    else:
        m = FAMILIES[family].match(stripped)
        if not m:
            return None
        number, body, marker = numeral(m.group(1)), stripped[m.end():], stripped[:m.end()].lstrip()
    if not body:
        return None
    if len(body) <= settings.heading_max and _STOP.search(body, 0, len(body) - 1) is None:
        head, rest = body.rstrip("。：:"), ""
    else:
        cut = min((body.find(ch) for ch in STOPS if body.find(ch) > 0), default=-1)
        if cut <= 0 or cut > settings.heading_max:
            return None
        head, rest = body[:cut], body[cut + 1:].strip()
    return HeadingCandidate(block=-1, family=family, number=number,
                            heading=marker + head.strip(), rest=rest)


#: a heading is scored against every section: its comparable form is made once
_heading_key = functools.lru_cache(maxsize=1 << 12)(label_key)


def score_section(heading_text: str, sdef: SectionDef, settings: HeadingSettings = SETTINGS, *,
                  confusions: LabelConfusions) -> float:
    """How well a heading (numbering removed) names a section, 0..1 (``confusions``: the
    grammar's, :func:`.labels.match_score`)."""
    key = _heading_key(heading_text)
    score = match_score(key, sdef.variants, confusions=confusions)
    if any(w in key for w in sdef.none_of):
        return min(score, settings.none_of_cap) if score < 1.0 else score
    if sdef.all_of and all(any(w in key for w in group) for group in sdef.all_of):
        score = max(score, settings.all_of_score)
    return score
