"""Split section 五 into the problems it names and the measures it announces.

Items are enumerated as 一是…二是…, （一）…, 1.… or 1、…; the turn from problems to
measures is marked by phrases such as 针对上述问题 / 下一步 / 改进措施. The phrases,
part heads and item marks are wording: they live in ``grammars/problems.toml``.
"""
from __future__ import annotations

import re

from ..grammar import GrammarLike, ProblemsGrammar, load
from ..textnorm import NUMBERED, matching_view


def _numeral_start(m: re.Match) -> int:
    """Where the item's numeral starts: the group that matched, whichever of the
    grammar's alternative item patterns it belongs to."""
    return next(m.start(i) for i in range(1, (m.re.groups or 0) + 1) if m.group(i) is not None)


def _items(paragraphs: list[str], pg: ProblemsGrammar) -> list[str]:
    """Enumerated items in a run of paragraphs."""
    text = "\n".join(paragraphs)
    shi = list(pg.item_shi.finditer(matching_view(text)))
    if len(shi) >= 2:
        out = []
        for k, m in enumerate(shi):
            end = shi[k + 1].start() + 1 if k + 1 < len(shi) else len(text)
            out.append(text[_numeral_start(m):end].strip(pg.item_strip))
        return out
    lines = [p for p in paragraphs if NUMBERED.match(p) and not pg.part_head.match(matching_view(p))]
    if len(lines) >= 2:
        return [p.strip() for p in lines]
    body = [p for p in paragraphs if p.strip() and not pg.part_head.match(matching_view(p))]
    return [" ".join(body).strip()] if body else []


def split_problems(paragraphs: list[str], grammar: GrammarLike = None) -> tuple[list[str], list[str]]:
    """Return (problems, measures) lists of item texts."""
    pg = load(grammar).problems
    paragraphs = [p for p in paragraphs if p.strip()]
    turn = None
    for i, p in enumerate(paragraphs):
        if i > 0 and pg.turn.search(matching_view(p[:pg.turn_window])):
            turn = i
            break
    if turn is None:
        # one paragraph holding both halves: split at the turn phrase inside it
        for i, p in enumerate(paragraphs):
            m = pg.turn.search(matching_view(p), pg.turn_min_offset)
            if m:
                before, after = p[:m.start()], p[m.start():]
                return _items(paragraphs[:i] + [before], pg), _items([after] + paragraphs[i + 1:], pg)
        return _items(paragraphs, pg), []
    return _items(paragraphs[:turn], pg), _items(paragraphs[turn:], pg)
