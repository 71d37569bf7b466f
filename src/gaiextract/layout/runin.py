"""Headings inside running text: split a body a scraper saved as one line.

Site archivers often keep a report's whole body on one line, with no break or stop
around a heading: ``…电子邮箱：x@163.com。一、总体情况2020年，我区…`` or
``…采购39573802895.90元三、收到和处理政府信息公开申请情况（本列数据…``. The section
finder works on paragraphs, so this stage cuts such paragraphs where a heading starts:

- a **section heading** is a numbering marker (一、 / 第一部分) followed by one of the
  section's heading variants of ``sections.toml`` — the variant fixes where the heading
  ends, since nothing else does. Matching is tolerant of what OCR and scrapers do to
  labels: spaces inside, full/half width, traditional characters, a misread character
  or two (``tolerant_prefix``);
- a section that has no heading of its own but starts at a sub-head such as
  ``（一）存在的主要问题`` (``[[implicit]]`` in sections.toml) is cut there as well;
- the overview's **sub-heads** （一）（二）… in sequence: such a head ends at a stop
  (。：；), after a word sub-heads end with (方面, 情况, 建设, 培训 …) where the text
  does not go on with another such word (主动公开和依申请公开情况), or before a word that
  opens a sentence of body text (``[run_in]`` in sections.toml), whichever comes first.
  A number in sequence right after a stop whose end cannot be told still counts, so
  the sub-heads after it are found.

Only paragraphs of at least ``RunInSettings.min_chars`` are cut, so an ordinary report
(one heading per line) passes through unchanged. Nothing is dropped but the stop
that ended a heading; the pieces keep the paragraph's page and hints.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from ..document import Paragraph
from ..grammar import Grammar
from ..textnorm import (
    INLINE_PAREN_MARKER,
    INLINE_SECTION_MARKER,
    INLINE_SUB_MARKERS,
    matching_view,
    nfkc,
    ocr_numeral,
)
from .headings import FAMILIES, STOPS, score_section, split_heading
from .headings import SETTINGS as HEADINGS
from .per_object import PerObject

if TYPE_CHECKING:
    from ..document import Block

_STOPS = STOPS
_COMMAS = "，,"
_SPACES = " \t\u3000\u00a0"
_LEAD_PUNCT = "。：:；;，,、 \t\u3000"
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class RunInSettings:
    #: shorter paragraphs are left alone (one heading per line is the normal case)
    min_chars: int = 120
    #: characters after a numbering marker compared with the heading variants
    window: int = 48
    #: a fuzzy prefix match of a heading variant must reach this similarity …
    fuzzy_ratio: float = 0.86
    #: … and the variant must be at least this long to be matched fuzzily
    fuzzy_min_len: int = 5
    #: an overview sub-head is at least / at most this long (numbering excluded)
    sub_min: int = 4
    sub_max: int = 24
    #: after a comma inside a sub-head, its second clause has at least this many characters
    clause_min: int = 4
    #: a sub-head does not end at a word such as 方面 when a stop follows within this many
    #: characters ("（五）其他方面工作。")
    head_end_slack: int = 4


SETTINGS = RunInSettings()


#: each character's contribution to a comparable key (NFKC, unified quotes, no
#: whitespace), filled as characters are met; bounded by ``_CHAR_KEYS_MAX``
_CHAR_KEYS: dict[str, str] = {}
_CHAR_KEYS_MAX = 1 << 16


def _char_key(ch: str) -> str:
    out = _CHAR_KEYS.get(ch)
    if out is None:
        out = "" if ch.isspace() else "".join(c for c in nfkc(ch).translate(_QUOTES) if not c.isspace())
        if len(_CHAR_KEYS) >= _CHAR_KEYS_MAX:
            _CHAR_KEYS.clear()
        _CHAR_KEYS[ch] = out
    return out


def _key(text: str) -> tuple[str, list[int]]:
    """The comparable form of ``text`` (as label_key: NFKC, simplified, no whitespace,
    unified quotes) and, for each of its characters, its index in ``text``."""
    view = matching_view(text)
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(view):
        k = _CHAR_KEYS.get(ch)
        if k is None:
            k = _char_key(ch)
        if not k:
            continue
        out.append(k)
        if len(k) == 1:
            pos.append(i)
        else:
            pos.extend([i] * len(k))
    return "".join(out), pos


@functools.lru_cache(maxsize=64)
def _variant_index(variants: tuple[str, ...]) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Positions of the variants by their first and by their second character."""
    first: dict[str, list[int]] = {}
    second: dict[str, list[int]] = {}
    for i, v in enumerate(variants):
        if v:
            first.setdefault(v[0], []).append(i)
        if len(v) > 1:
            second.setdefault(v[1], []).append(i)
    return ({c: tuple(ix) for c, ix in first.items()}, {c: tuple(ix) for c, ix in second.items()})


def tolerant_prefix(text: str, variants: tuple[str, ...], settings: RunInSettings = SETTINGS) -> tuple[int, float] | None:
    """``(end, score)`` when ``text`` starts with one of the ``variants`` (comparable keys):
    ``end`` is where the variant ends in ``text``. The longest exact match scores 1.0; a
    longer variant matched with a misread or missing character (主动公开政府信息倩况 for
    主动公开政府信息情况) beats a shorter exact one and scores its similarity."""
    key, pos = _key(text[:settings.window])
    by_first, by_second = _variant_index(variants)
    exact = max((len(variants[i]) for i in by_first.get(key[:1], ()) if key.startswith(variants[i])), default=0)
    digit = next((i for i, ch in enumerate(key) if ch.isdigit()), None)
    if digit is not None:  # a heading holds no digits: a year after it opens the text
        key = key[:max(digit, exact)]
    best: tuple[int, float] | None = (exact, 1.0) if exact else None
    # one misread character, not two at the start: a cheap filter before difflib (the
    # variants sharing the first or the second character, in their order)
    near = sorted({*by_first.get(key[0], ()), *by_second.get(key[1], ())}) if len(key) >= 2 else ()
    for i in near:
        v = variants[i]
        if len(v) < settings.fuzzy_min_len or len(v) <= exact + 1:
            continue
        for n in (len(v) - 1, len(v), len(v) + 1):
            if n > len(key):
                continue
            sm = SequenceMatcher(None, key[:n], v, autojunk=False)
            if sm.real_quick_ratio() < settings.fuzzy_ratio or sm.quick_ratio() < settings.fuzzy_ratio:
                continue
            r = sm.ratio()
            if r >= settings.fuzzy_ratio and (best is None or best[1] == 1.0 or (r, n) > (best[1], best[0])):
                best = (n, r)
    if best is None:
        return None
    n, score = best
    return pos[n - 1] + 1, score


#: per grammar object: (its heading variants, its implicit sub-head starts)
_WORDS: PerObject[tuple[tuple[str, ...], tuple[str, ...]]] = PerObject()


def _heading_words(grammar: Grammar) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every section heading variant, and the sub-heads that open a section without a
    heading of its own, of this grammar (gathered once per grammar object)."""
    return _WORDS.get(grammar, lambda: (tuple(v for sdef in grammar.sections for v in sdef.variants),
                                        tuple(w for _, ws in grammar.run_in.implicit for w in ws)))


def _section_cuts(text: str, grammar: Grammar) -> list[tuple[int, int]]:
    """(start, end of heading) of every section heading inside ``text``."""
    cuts = []
    variants, starts = _heading_words(grammar)
    for m in INLINE_SECTION_MARKER.finditer(text):
        hit = tolerant_prefix(text[m.end():], variants)
        end = m.end() + hit[0] if hit else _keyword_heading_end(text, m.end(), grammar)
        if end is not None:
            cuts.append((m.start(), end))
    for m in INLINE_PAREN_MARKER.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in grammar.run_in.not_after:
            continue
        hit = tolerant_prefix(text[m.end():], starts)
        if hit and hit[1] == 1.0:
            cuts.append((m.start(), m.end() + hit[0]))
    return sorted(set(cuts))


def _keyword_heading_end(text: str, start: int, grammar: Grammar) -> int | None:
    """End of a section heading at ``start`` worded like no variant: the first
    ``section_ends`` word after which the heading names one section by its keywords."""
    window = text[start:start + HEADINGS.heading_max]
    ends = sorted({m.end() for w in grammar.run_in.section_ends for m in re.finditer(re.escape(w), window)})
    for end in ends:
        head = window[:end]
        if any(ch in head for ch in _STOPS) or re.search(r"\d", head) or INLINE_SECTION_MARKER.search(head):
            return None
        if max(score_section(head, sdef, confusions=grammar.label_confusions) for sdef in grammar.sections) >= HEADINGS.clean_limit:
            return start + end
    return None


def _pieces(para: Paragraph, cuts: list[tuple[int, int]]) -> list[Paragraph]:
    """The paragraph cut into text before, heading, rest … at non-overlapping ``cuts``."""
    text, out, at = para.text, [], 0
    for start, end in cuts:
        if start < at:
            continue
        before = text[at:start].strip()
        if before:
            out.append(replace(para, text=before, hints=dict(para.hints)))
        out.append(replace(para, text=text[start:end].strip(), hints={**para.hints, "run_in_heading": True}))
        at = end
        while at < len(text) and text[at] in _LEAD_PUNCT:
            at += 1
    rest = text[at:].strip()
    if rest:
        out.append(replace(para, text=rest, hints=dict(para.hints)))
    return out


def split_sections(blocks: list[Block], grammar: Grammar) -> list[Block]:
    """Blocks with long paragraphs cut where a section heading starts inside them."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            cuts = []
            if len(b.text) >= SETTINGS.min_chars:
                cuts = _section_cuts(b.text, grammar)
            else:
                # a shorter paragraph is cut only at a heading that opens it and that the
                # section finder cannot tell from its text ("六、其他需要报告事项本年度…"):
                # no numbered heading, or one that runs on into a clause after the heading
                opening = [c for c in _section_cuts(b.text, grammar) if c[0] == 0]
                cands = [c for c in (split_heading(b.text, fam) for fam in FAMILIES) if c is not None] \
                    if opening else []
                if opening and (not cands or any(
                        len(c.heading) > len(b.text[:opening[0][1]].strip())
                        and any(ch in c.heading[len(b.text[:opening[0][1]].strip()):] for ch in _COMMAS)
                        for c in cands)):
                    cuts = opening
            if cuts:
                out.extend(_pieces(b, cuts))
                continue
        out.append(b)
    return out


# --------------------------------------------------------------------------- sub-heads

def sub_head_end(body: str, grammar: Grammar, settings: RunInSettings = SETTINGS) -> int | None:
    """Where a sub-head that runs into its text ends (index into ``body``, the text after
    the numbering), or None when nothing says so."""
    r = grammar.run_in
    body = matching_view(body[:settings.sub_max + settings.head_end_slack + 8])
    limit = min(len(body), settings.sub_max + 1)
    comma = next((i for i in range(limit) if body[i] in _COMMAS), None)
    for k in range(settings.sub_min, limit + 1):
        if comma is not None and comma < k < comma + 1 + settings.clause_min:
            continue
        if k < len(body) and (body[k] in _STOPS or body[k] in _SPACES):
            return k
        head, tail = body[:k], body[k:]
        if any(head.endswith(w) for w in r.head_ends if len(w) > 1) \
                and not any(head.endswith(w) for w in r.head_ends if len(w) == 1) \
                and not tail.startswith(r.head_ends) \
                and not any(ch in _COMMAS for ch in tail[:settings.clause_min]) \
                and not any(ch in _STOPS or ch in _SPACES for ch in tail[:settings.head_end_slack]):
            return k
        if tail.startswith(r.openers) or any(p.match(tail) for p in r.opener_patterns):
            return k
    return None


def split_sub_heads(blocks: list[Block], start: int, end: int, grammar: Grammar) -> list[Block]:
    """Blocks ``start:end`` (one section) with the sub-heads that run inside their
    paragraphs cut out, in sequence 1, 2, 3…; returns the replacement for that slice.
    The numbering tried first is （一）; 1、 and (1) only when it finds no run."""
    for marker, family in zip(INLINE_SUB_MARKERS, ("paren", "arabic", "paren_arabic")):
        found, out = _sub_cuts(blocks[start:end], marker, family, grammar)
        if found >= 2:
            return out
    return blocks[start:end]


def _sub_cuts(blocks: list[Block], marker: re.Pattern, family: str, grammar: Grammar) -> tuple[int, list[Block]]:
    """(sub-heads found, blocks with the run-in ones cut out) for one numbering."""
    out: list[Block] = []
    expected = 1
    for b in blocks:
        if not isinstance(b, Paragraph):
            out.append(b)
            continue
        text = b.text
        cuts = []
        for m in marker.finditer(text):
            if ocr_numeral(m.group(1)) != expected or (m.start() > 0 and text[m.start() - 1] in grammar.run_in.not_after):
                continue
            if m.start() == 0:
                cand = split_heading(text, family)
                if cand is not None and len(cand.heading) - m.end() <= SETTINGS.sub_max:
                    expected += 1
                    continue
            k = sub_head_end(text[m.end():], grammar)
            if k is None:
                # the next number in sequence after a stop is the next sub-head even when
                # its end cannot be told: the numbers after it are still looked for
                if m.start() > 0 and text[m.start() - 1] in _ITEM_AFTER:
                    expected += 1
                continue
            cuts.append((m.start(), m.end() + k))
            expected += 1
        out.extend(_pieces(b, cuts) if cuts else [b])
    return expected - 1, out


# --------------------------------------------------------------------------- items

#: an enumerated item glued to the sentence before it starts after one of these
_ITEM_AFTER = STOPS
#: … and a list opens after one of these; the sentence before it ends at one of _SENTENCE_END
_LIST_INTRO = "：:"
_SENTENCE_END = "。；;！？!?"


def split_items(blocks: list[Block], start: int, end: int) -> list[Block]:
    """Blocks ``start:end`` (one section) with enumerated items that run on after a stop
    (``…不足：（一）…。（二）…``) made paragraphs of their own; the replacement slice."""
    out: list[Block] = []
    for b in blocks[start:end]:
        if not isinstance(b, Paragraph):
            out.append(b)
            continue
        text, at = b.text, 0
        starts = {m.start() for marker in INLINE_SUB_MARKERS for m in marker.finditer(text)
                  if m.start() > 0 and text[m.start() - 1] in _ITEM_AFTER}
        # a sentence that introduces a list ("…。针对上述问题，下一步改进措施：（一）…")
        # is a paragraph of its own, not the tail of the item before it
        for pos in sorted(starts):
            if text[pos - 1] in _LIST_INTRO:
                stop = max(text.rfind(ch, 0, pos - 1) for ch in _SENTENCE_END)
                if stop > 0:
                    starts.add(stop + 1)
        starts = sorted(starts)
        for pos in starts:
            out.append(replace(b, text=text[at:pos].strip(), hints=dict(b.hints)))
            at = pos
        out.append(replace(b, text=text[at:].strip(), hints=dict(b.hints)) if at else b)
    return [b for b in out if not isinstance(b, Paragraph) or b.text]
