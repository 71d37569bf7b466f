"""Split section 五 into the problems it names and the measures it announces.

Items are enumerated as 一是…二是…, （一）…, 1.… or 1、…; the turn from problems to
measures is marked by phrases such as 针对上述问题 / 下一步 / 改进措施.
"""
from __future__ import annotations

import re

from ..textnorm import NUMBERED, matching_view

_CN = "一二三四五六七八九十"
TURN = re.compile(r"针对(?:上述|以上|这些|存在的)?(?:问题|不足)|下一步|改进措施|整改措施|改进情况|今后|下步|"
                  r"努力方向|工作打算|改进方向|(?:将|拟)(?:采取|从|着力|重点)|采取以下|加以改进|整改落实")
_ITEM_SHI = re.compile(rf"(?:^|[。；;，,:：\s将要])([{_CN}])是")
_PART_HEAD = re.compile(r"^\s*(?:[(（][一二12][)）]|[一二][、.．]|\d[.．、])?\s*(?:存在的?(?:主要)?问题|主要问题|存在不足|"
                        r"改进措施|整改措施|改进情况|下一步(?:工作)?(?:打算|计划|措施)?)[。：:]?\s*$")


def _items(paragraphs: list) -> list:
    """Enumerated items in a run of paragraphs."""
    text = "\n".join(paragraphs)
    shi = list(_ITEM_SHI.finditer(matching_view(text)))
    if len(shi) >= 2:
        out = []
        for k, m in enumerate(shi):
            end = shi[k + 1].start() + 1 if k + 1 < len(shi) else len(text)
            out.append(text[m.start(1):end].strip(" 。；;，,\n"))
        return out
    lines = [p for p in paragraphs if NUMBERED.match(p) and not _PART_HEAD.match(matching_view(p))]
    if len(lines) >= 2:
        return [p.strip() for p in lines]
    body = [p for p in paragraphs if p.strip() and not _PART_HEAD.match(matching_view(p))]
    return [" ".join(body).strip()] if body else []


def split_problems(paragraphs: list) -> tuple:
    """Return (problems, measures) lists of item texts."""
    paragraphs = [p for p in paragraphs if p.strip()]
    turn = None
    for i, p in enumerate(paragraphs):
        if i > 0 and TURN.search(matching_view(p[:40])):
            turn = i
            break
    if turn is None:
        # one paragraph holding both halves: split at the turn phrase inside it
        for i, p in enumerate(paragraphs):
            m = TURN.search(matching_view(p), 10)
            if m:
                before, after = p[:m.start()], p[m.start():]
                return _items(paragraphs[:i] + [before]), _items([after] + paragraphs[i + 1:])
        return _items(paragraphs), []
    return _items(paragraphs[:turn]), _items(paragraphs[turn:])
