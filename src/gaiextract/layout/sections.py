"""Find the six section headings and the overview's subsections in the block stream.

Real reports renumber (一、 / 第一部分 / 1.) and reword headings, and scraped pages
run a heading into the paragraph after it. We collect every paragraph that *could*
open a section (numbering family + heading text matched to the grammar), then pick
the best strictly ordered chain of one numbering family, so a stray "二、" inside
the body cannot split a section.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from ..document import Paragraph
from ..grammar import ROLE_PROBLEMS, ROLE_SUBSECTIONS, Grammar
from ..limits import DEFAULT_LIMITS as LIMITS
from ..limits import require_positive
from ..textnorm import numeral
from . import runin
from .headings import FAMILIES, SETTINGS, HeadingCandidate, score_section, split_heading
from .headings import STOPS as RUN_IN_STOPS

if TYPE_CHECKING:
    from ..document import Block

__all__ = ["FAMILIES", "RUN_IN_STOPS", "HeadingCandidate", "find_sections", "find_subsections",
           "numeral", "score_section", "split_and_find", "split_heading", "split_running_text"]


@dataclass(frozen=True)
class SectionSettings:
    """The scores of choosing section headings (the heading tolerances themselves are
    :class:`~.headings.HeadingSettings`)."""

    #: a numbered heading that matched only by token similarity ``s`` scores
    #: ``fuzzy_base + fuzzy_scale * s`` (below a clean match unless its number fits)
    fuzzy_base: float = 0.55
    fuzzy_scale: float = 0.3
    #: a number that fits the section's place adds this to a heading's score …
    number_bonus: float = 0.15
    #: … and one that does not takes this off
    number_penalty: float = 0.1
    #: an earlier run of headings loses this much where a restarted run of the same
    #: numbering names the same sections (see :func:`_restarts`)
    restart_penalty: float = 0.3
    #: numbering restarts only after a heading numbered at least this …
    restart_after: int = 3
    #: … and when at least this many headings from the restart on fit its offset
    restart_min_fit: int = 3

    def __post_init__(self) -> None:
        require_positive(self)


SECTIONS = SectionSettings()


@dataclass
class SectionSpan:
    id: str
    heading: str
    block: int                     # index of the heading paragraph
    end: int = 0                   # index after the last block of the section
    rest: str = ""                 # run-in text after the heading
    page: Optional[int] = None
    number: Optional[int] = None
    family: str = "none"
    subsections: list[SubsectionSpan] = field(default_factory=list)

    def paragraphs(self, blocks: list[Block]) -> list[str]:
        out = [self.rest] if self.rest else []
        out += [b.text for b in blocks[self.block + 1:self.end] if isinstance(b, Paragraph) and b.text.strip()]
        return out

    def text(self, blocks: list[Block]) -> str:
        return "\n".join(self.paragraphs(blocks))


@dataclass
class SubsectionSpan:
    heading: str
    block: int
    end: int
    rest: str = ""

    def text(self, blocks: list[Block]) -> str:
        parts = [self.rest] if self.rest else []
        parts += [b.text for b in blocks[self.block + 1:self.end] if isinstance(b, Paragraph) and b.text.strip()]
        return "\n".join(parts)


def _scored_headings(blocks: list[Block], grammar: Grammar) -> list[list[Any]]:
    """[candidate, head text, scores per section] for every paragraph that could be a
    heading in some numbering family, scored once by the grammar's variants and rules."""
    out = []
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph):
            continue
        text = b.text.strip()
        if not text or len(text) > SETTINGS.max_paragraph_chars:
            continue
        for fam in list(FAMILIES) + ["none"]:
            cand = split_heading(text, fam)
            if cand is None or (fam == "none" and (cand.rest or len(text) > SETTINGS.bare_max_chars)):
                continue
            if len(out) >= LIMITS.max_heading_candidates:
                return out  # a real report has a few hundred; each costs a fuzzy match
            cand.block = i
            head_text = FAMILIES[fam].sub("", cand.heading, count=1) if fam != "none" else cand.heading
            out.append([cand, head_text, [score_section(head_text, sdef, confusions=grammar.label_confusions)
                                         for sdef in grammar.sections]])
    return out


def _with_fuzzy(scored: list[list[Any]], grammar: Grammar, fuzzy) -> list[list[Any]]:
    """A copy where numbered headings that matched nothing are scored by jieba-token
    similarity instead; such a match ranks below a clean one and needs the right
    number unless the similarity is high."""
    ids = [sd.id for sd in grammar.sections]
    out = []
    for cand, head_text, scores in scored:
        if cand.family != "none" and max(scores) < SETTINGS.clean_limit:
            hit = fuzzy.best(head_text)
            if hit:
                scores = list(scores)
                k = ids.index(hit[0])
                scores[k] = max(scores[k], SECTIONS.fuzzy_base + SECTIONS.fuzzy_scale * hit[1])
        out.append([cand, head_text, scores])
    return out


def _candidates(scored: list[list[Any]]) -> list[tuple[HeadingCandidate, int, float]]:
    """(candidate, section index, score) for every heading that could open a section;
    a number that fits the section's place counts for it, one that does not against."""
    offsets, penalised = _restarts(scored)
    out = []
    for cand, _, scores in scored:
        numbered = cand.family != "none"
        limit = SETTINGS.clean_limit if numbered else SETTINGS.bare_limit
        offset = offsets.get(id(cand), 0)
        for idx, s in enumerate(scores):
            if numbered and cand.number is not None and cand.number + offset == idx + 1:
                s += SECTIONS.number_bonus
            elif numbered and cand.number is not None:
                s -= SECTIONS.number_penalty
            if (id(cand), idx) in penalised:
                s -= SECTIONS.restart_penalty
            if s >= limit:
                out.append((cand, idx, s))
    return out


def _restarts(scored: list[list[Any]]) -> tuple[dict[int, int], set[tuple[int, int]]]:
    """Numbering that starts again: a narrative numbered 一…六 in its own words, then the
    template's parts numbered again from 一 (一、主动公开政府信息情况 …). The restart is
    the later 一 after which most headings of its family name the section their number
    says when counted from the section that 一 names (an offset); those headings get the
    offset, and earlier headings of the family naming the same sections are penalised.
    Returns (offset per candidate id, penalised (candidate id, section index) pairs)."""
    offsets: dict[int, int] = {}
    penalised: set[tuple[int, int]] = set()

    def best(sc: list[float]) -> int:
        return max(range(len(sc)), key=sc.__getitem__)

    for fam in FAMILIES:
        seq = sorted(((c, sc) for c, _, sc in scored if c.family == fam and c.number is not None
                      and max(sc) >= SETTINGS.clean_limit), key=lambda t: t[0].block)
        chosen, chosen_fit = None, []
        for k, (c, sc) in enumerate(seq):
            if c.number != 1 or not any(p.number >= SECTIONS.restart_after for p, _ in seq[:k]):
                continue
            offset = best(sc) + 1 - c.number
            fit = [(p, psc) for p, psc in seq[k:] if p.number + offset == best(psc) + 1]
            if offset > 0 and len(fit) >= SECTIONS.restart_min_fit and len(fit) > len(chosen_fit):
                chosen, chosen_fit = (k, offset), fit
        if chosen is None:
            continue
        k, offset = chosen
        named = {best(psc) for _, psc in chosen_fit}
        for p, _ in chosen_fit:
            offsets[id(p)] = offset
        for p, _ in seq[:k]:
            penalised.update((id(p), idx) for idx in named)
    return offsets, penalised


def _best_chain(cands: list[tuple[HeadingCandidate, int, float]]) -> list[tuple[HeadingCandidate, int, float]]:
    """Highest-scoring chain with strictly increasing section index and block.

    Dynamic programming over the candidates in (block, index) order, keeping per
    section index the best chain ending there among earlier blocks: O(candidates ×
    sections) instead of comparing every pair (a text of thousands of numbered lines
    made the pairwise version take minutes). Ties go to the earliest candidate."""
    cands = sorted(cands, key=lambda t: (t[0].block, t[1]))
    # section index -> (score, position, chain) of earlier blocks
    top: dict[int, tuple[float, int, list[tuple[HeadingCandidate, int, float]]]] = {}
    best_all = None
    k = 0
    while k < len(cands):
        block = cands[k][0].block
        group = []
        while k < len(cands) and cands[k][0].block == block:
            cj = cands[k]
            prev = None
            for idx, entry in top.items():
                if idx < cj[1] and (prev is None or entry[0] > prev[0]
                                    or (entry[0] == prev[0] and entry[1] < prev[1])):
                    prev = entry
            entry = (prev[0] + cj[2], k, prev[2] + [cj]) if prev is not None else (cj[2], k, [cj])
            group.append((cj[1], entry))
            if best_all is None or entry[0] > best_all[0]:
                best_all = entry
            k += 1
        for idx, entry in group:
            if idx not in top or entry[0] > top[idx][0]:
                top[idx] = entry
    return best_all[2] if best_all else []


def find_sections(blocks: list[Block], grammar: Grammar) -> list[SectionSpan]:
    """Return the sections found, as :class:`SectionSpan` in document order.

    Exact and keyword matching first; only when that leaves a section missing are
    headings matched by jieba tokens (so most documents never load jieba).
    """
    scored = _scored_headings(blocks, grammar)
    spans = _chain_sections(blocks, grammar, _candidates(scored))
    if len(spans) < len(grammar.sections):
        from .fuzzy import profiles

        again = _chain_sections(blocks, grammar, _candidates(_with_fuzzy(scored, grammar, profiles(grammar))))
        if len(again) > len(spans):
            spans = again
    return spans


def _chain_sections(blocks: list[Block], grammar: Grammar, cands: list[tuple[HeadingCandidate, int, float]]) -> list[SectionSpan]:
    if not cands:
        return []
    chains = {}
    for fam in FAMILIES:
        pool = [c for c in cands if c[0].family in (fam, "none")]
        chain = _best_chain(pool)
        chains[fam] = (sum(1 for c in chain if c[0].family == fam), sum(c[2] for c in chain), chain)
    fam = max(chains, key=lambda f: (chains[f][0], chains[f][1]))
    chain = chains[fam][2]
    if not chain:
        chain = _best_chain([c for c in cands if c[0].family == "none"])
    spans = []
    for cand, idx, _ in chain:
        b = blocks[cand.block]
        spans.append(SectionSpan(id=grammar.sections[idx].id, heading=cand.heading, block=cand.block,
                                 rest=cand.rest, page=b.page, number=cand.number, family=cand.family))
    spans = _fill_implicit(blocks, grammar, spans)
    for k, sp in enumerate(spans):
        sp.end = spans[k + 1].block if k + 1 < len(spans) else len(blocks)
    return spans


def _fill_implicit(blocks: list[Block], grammar: Grammar, spans: list[SectionSpan]) -> list[SectionSpan]:
    """A section with no heading of its own that starts at a sub-head (``[[implicit]]`` in
    sections.toml: 「（一）存在的主要问题」 after the tables of 四) opens at that sub-head,
    when it lies between the sections found before and after it."""
    ids = [sd.id for sd in grammar.sections]
    found = {sp.id for sp in spans}
    for sid, starts in grammar.run_in.implicit:
        if sid in found or sid not in ids:
            continue
        idx = ids.index(sid)
        before = [sp for sp in spans if ids.index(sp.id) < idx]
        after = [sp for sp in spans if ids.index(sp.id) > idx]
        if not before:
            continue
        lo, hi = before[-1].block + 1, (after[0].block if after else len(blocks))
        span = next((sp for i in range(lo, hi) if (sp := _implicit_opening(blocks[i], i, sid, starts))), None)
        if span is not None:
            spans.append(span)
        spans.sort(key=lambda sp: sp.block)
    return spans


#: the numbering families a sub-head that opens an implicit section may have, tried in order
_IMPLICIT_FAMILIES = ("paren", "dun", "paren_arabic", "arabic")


def _implicit_opening(b: Block, i: int, sid: str, starts: tuple[str, ...]) -> SectionSpan | None:
    """Section ``sid`` opening at block ``i`` when it is a numbered sub-head starting
    with one of ``starts`` exactly."""
    if not isinstance(b, Paragraph):
        return None
    for fam in _IMPLICIT_FAMILIES:
        m = FAMILIES[fam].match(b.text)
        hit = runin.tolerant_prefix(b.text[m.end():], starts) if m else None
        if m and hit and hit[1] == 1.0:
            cand = split_heading(b.text, fam)
            heading = cand.heading if cand else b.text[:m.end() + hit[0]].strip()
            rest = cand.rest if cand else b.text[m.end() + hit[0]:].strip()
            return SectionSpan(id=sid, heading=heading, block=i, rest=rest, page=b.page,
                               number=numeral(m.group(1)), family=fam)
    return None


def split_running_text(blocks: list[Block], grammar: Grammar) -> list[Block]:
    """The blocks with headings that run inside long paragraphs cut out (see
    :mod:`.runin`): the six section headings anywhere, the overview's sub-heads in it."""
    return split_and_find(blocks, grammar)[0]


def split_and_find(blocks: list[Block], grammar: Grammar) -> tuple[list[Block], list[SectionSpan]]:
    """:func:`split_running_text` and the section spans of its result, found once more
    only when cutting sub-heads or items changed the blocks."""
    blocks = runin.split_sections(blocks, grammar)
    spans = find_sections(blocks, grammar)
    before = blocks
    # later sections first, so that the block indices of earlier ones stay valid
    for sp in reversed(spans):
        role = grammar.role(sp.id)
        lo, hi = sp.block + 1, sp.end
        if role == ROLE_SUBSECTIONS:
            blocks = blocks[:lo] + runin.split_sub_heads(blocks, lo, hi, grammar) + blocks[hi:]
        elif role == ROLE_PROBLEMS:
            blocks = blocks[:lo] + runin.split_items(blocks, lo, hi) + blocks[hi:]
    unchanged = len(blocks) == len(before) and all(a is b for a, b in zip(blocks, before))
    return blocks, (spans if unchanged else find_sections(blocks, grammar))


def find_subsections(blocks: list[Block], span: SectionSpan) -> list[SubsectionSpan]:
    """Numbered subsections inside a section: the longest run 1, 2, 3… of one family."""
    families = [f for f in FAMILIES if f != span.family]
    best: list[tuple[int, HeadingCandidate]] = []
    for fam in families:
        run: list[tuple[int, HeadingCandidate]] = []
        for i in range(span.block + 1, span.end):
            b = blocks[i]
            if not isinstance(b, Paragraph):
                continue
            cand = split_heading(b.text, fam)
            if cand is None or len(cand.heading) < SETTINGS.sub_heading_min:
                continue
            expected = (run[-1][1].number + 1) if run else 1
            if cand.number == expected:
                cand.block = i
                run.append((i, cand))
        # subsection headings come before the items nested in them: the earliest run wins
        if run and (not best or run[0][0] < best[0][0] or (run[0][0] == best[0][0] and len(run) > len(best))):
            best = run
    subs = []
    for k, (i, cand) in enumerate(best):
        end = best[k + 1][0] if k + 1 < len(best) else span.end
        subs.append(SubsectionSpan(heading=cand.heading, block=i, end=end, rest=cand.rest))
    return subs
