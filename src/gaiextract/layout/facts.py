"""Report facts: title, agency, year (title first, body second) and the fees of 六.

One algorithm over the wordings of ``grammars/facts.toml``: which lines are metadata,
what makes a line the title, how an agency's name ends and what follows it, how the
fee sentences are worded. A new wording is a grammar edit, never a change here.
Numbers in fee sentences are read by :func:`gaiextract.textnorm.prose_number`
(digits or Chinese numerals).
"""
from __future__ import annotations

import re

from ..grammar import FactsGrammar, GrammarLike, load
from ..textnorm import matching_view, nfkc, prose_number

Number = int | float


def _facts(grammar: GrammarLike) -> FactsGrammar:
    return load(grammar).facts


def _lines(paragraphs: list[str]) -> list[str]:
    return [p.strip() for p in paragraphs if p and p.strip()]


def _strip_ends(text: str, f: FactsGrammar) -> str:
    start, end = 0, len(text)
    while start < end and f.title_strip.fullmatch(text[start]):
        start += 1
    while end > start and f.title_strip.fullmatch(text[end - 1]) and text[end - 1] not in "）)":
        end -= 1
    return text[start:end]


def _chrome(view: str, f: FactsGrammar) -> bool:
    return bool(f.title_chrome and f.title_chrome.search(view))


def _tidy(title: str, f: FactsGrammar) -> str:
    """A title without Markdown marks around it, nor the spaces a converter or OCR put
    between its words ('沭阳县人民政府 2025 年 政府信息…'): Chinese titles have none."""
    return re.sub(r"\s+", "", _strip_ends(title.strip(), f))


def find_title(preamble: list[str], grammar: GrammarLike = None,
               meta_title: str | None = None) -> tuple[str | None, list[str]]:
    """(title, lines used): the title from the lines before the first section.

    A scraped page's 标题 line wins (``meta_title``, as the text reader found it, or
    a 标题: line in the preamble); otherwise the line holding the title's core wording,
    joined with the line before it when that line is only the agency's name.
    """
    f = _facts(grammar)
    if meta_title and f.title_core.search(matching_view(nfkc(meta_title))):
        return _tidy(meta_title, f), []
    lines = _lines(preamble)
    views = [matching_view(ln) for ln in lines]
    for ln, view in zip(lines, views):
        m = f.meta_line.match(view)
        if m and m.group(1) in f.title_meta_keys and f.title_core.search(m.group(2)):
            return _tidy(ln[m.start(2):], f), [ln]
    for i, (ln, view) in enumerate(zip(lines, views)):
        if f.meta_line.match(view) or len(ln) > f.title_max or _chrome(view, f):
            continue
        if f.title_core.search(view):
            title = _tidy(ln, f)
            used = [ln]
            prev = _strip_ends(views[i - 1], f) if i > 0 else ""
            if prev and not f.meta_line.match(prev) and len(prev) <= f.title_agency_line_max \
                    and prev.endswith(f.agency_suffixes) and not f.title_core.search(prev) \
                    and not _chrome(prev, f):
                title = _tidy(lines[i - 1], f) + title
                used.insert(0, lines[i - 1])
            return title, used
    return None, []


def agency_from_title(title: str, grammar: GrammarLike = None) -> str | None:
    """The agency: what a title prints before its core wording, years and padding removed."""
    f = _facts(grammar)
    t = nfkc(title)
    m = f.title_core.search(matching_view(t))
    if not m:
        return None
    before = f.title_year.sub("", t[:m.start()])
    before = re.sub(r"\s+", "", _strip_ends(before, f))
    for prefix in f.title_strip_prefixes:
        before = before.removeprefix(prefix)
    if not before or any(w in before for w in f.agency_not_names):
        return None
    return before


def year_from_title(title: str, grammar: GrammarLike = None) -> int | None:
    m = _facts(grammar).year.search(nfkc(title))
    return int(next(g for g in m.groups() if g)) if m else None


def year_from_body(paragraphs: list[str], grammar: GrammarLike = None) -> int | None:
    """The reporting year: the most frequent 'YYYY年' in the opening text, earliest on ties."""
    f = _facts(grammar)
    counts: dict[int, int] = {}
    for p in paragraphs[:f.body_lines]:
        for m in f.year.finditer(nfkc(p)):
            y = int(next(g for g in m.groups() if g))
            counts[y] = counts.get(y, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], -y))


def agency_from_body(paragraphs: list[str], grammar: GrammarLike = None) -> str | None:
    """'2021年，昆明市人民政府办公室坚持…' → 昆明市人民政府办公室.

    The name is looked for at the start of each clause of the opening sentence that
    follows a year ('2019年，在…指导下，X认真贯彻…'): a run of Han characters ending
    in an agency suffix and followed by a verb.
    """
    f = _facts(grammar)
    for p in paragraphs[:f.body_lines]:
        t = nfkc(p)
        view = matching_view(t)
        year = f.body_year.search(t)
        if not year:
            continue
        end = t.find("。", year.end())
        stop = end if end > 0 else len(t)
        sentence, sentence_view = t[year.end():stop], view[year.end():stop]
        starts = [0] + [m.end() for m in re.finditer(r"[,，]\s*", sentence)]
        for start in starts:
            n = _agency_at(sentence_view[start:], f)
            if n:
                return sentence[start:start + n]  # as printed
    return None


def _agency_at(text: str, f: FactsGrammar) -> int | None:
    """Length of the agency name at the start of ``text`` (simplified view), or None."""
    run = f.agency_run.match(text)
    if not run:
        return None
    word = run.group(0)
    if word.startswith(f.agency_not_starts):
        return None
    for i in range(f.agency_min_len, len(word) + 1):
        head, tail = word[:i], text[i:]
        if head.endswith(f.agency_suffixes) and (not tail or f.agency_followers.match(tail)):
            # the shortest name that a verb follows, unless chrome or a slogan
            return None if any(w in head for w in f.agency_not_names) else i
    return None


# --------------------------------------------------------------------------- fees

def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match | None:
    hits = [m for m in (p.search(text) for p in patterns) if m]
    return min(hits, key=lambda m: m.start()) if hits else None


def _amount(m: re.Match | None, units: dict[str, float]) -> Number | None:
    if not m:
        return None
    raw = m.group(1)
    v = prose_number(raw)
    if v is None:
        return None
    unit = m.group(2) if m.re.groups >= 2 else None
    factor = units.get(unit or "", 1.0)
    if factor != 1:
        v = round(v * factor, 4)
        return int(v) if float(v).is_integer() else v
    return v


def find_fees(text: str, grammar: GrammarLike = None) -> dict[str, Number | None]:
    """fees.notices (件), fees.amount_notified (元), fees.amount_collected (元); null if unsaid.

    A statement that no notice was issued sets notices and amount notified to 0; one
    that no fee was collected sets amount collected to 0; a number said outright wins.
    """
    fg = _facts(grammar).fees
    t = re.sub(r"\s+", "", matching_view(nfkc(text or "")))
    m = _first(fg.notices, t)
    notices = prose_number(m.group(1)) if m else None
    fees: dict[str, Number | None] = {
        "notices": int(notices) if notices is not None else None,
        "amount_notified": _amount(_first(fg.amount_notified, t), fg.units),
        "amount_collected": _amount(_first(fg.amount_collected, t), fg.units),
    }
    if _first(fg.no_notices, t):
        for k in ("notices", "amount_notified"):
            if fees[k] is None:
                fees[k] = 0
    if fees["amount_collected"] is None and _first(fg.no_collection, t):
        fees["amount_collected"] = 0
    return fees
