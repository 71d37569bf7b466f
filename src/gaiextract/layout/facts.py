"""Report facts: title, agency, year (title first, body second) and the fees of 六.

One algorithm over the wordings of ``grammars/facts.toml``: which lines are metadata,
what makes a line the title, how an agency's name ends and what follows it, how the
fee sentences are worded. A new wording is a grammar edit, never a change here.
Numbers in fee sentences are read by :func:`gaiextract.textnorm.prose_number`
(digits or Chinese numerals).
"""
from __future__ import annotations

import re
from typing import Iterator

from ..agencies import group_names, normalise
from ..errors import ReportWarning, warning
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
               meta_title: str | None = None, page_title: str | None = None) -> tuple[str | None, list[str]]:
    """(title, lines used): the report's title from every candidate.

    Candidates, in this order: a scraped page's 标题 line (``meta_title``, as the
    reader found it, or a 标题: line in the preamble), the page's own title
    (``page_title``: an HTML ``<title>``, its site name cut off), then each line of
    the preamble holding the title's core wording — joined with the line before it
    when that line is the agency's name or ends with the year, or with the next
    line when the core wording is broken between the two. The first candidate that
    names an agency wins; a generic one (政府信息公开工作年度报告 alone) only when
    no candidate names one. Last come titles broken anywhere over up to
    ``[title] max_lines`` heading lines (OCR lines, a narrow cover): the shortest run
    of lines that together have the title's whole form (see :func:`_titled_agency`).
    """
    cands = list(_title_candidates(preamble, grammar, meta_title, page_title))
    for title, used in cands:
        if agency_from_title(title, grammar):
            return title, used
    return cands[0] if cands else (None, [])


def _title_candidates(preamble: list[str], grammar: GrammarLike, meta_title: str | None,
                      page_title: str | None) -> Iterator[tuple[str, list[str]]]:
    f = _facts(grammar)
    if meta_title and f.title_core.search(matching_view(nfkc(meta_title))):
        yield _tidy(meta_title, f), []
    if page_title:  # page metadata: a candidate only when it names the agency
        part = _titled_part(page_title, f)
        if part and agency_from_title(_tidy(part, f), grammar):
            yield _tidy(part, f), []
    lines = _lines(preamble)
    views = [matching_view(ln) for ln in lines]
    for ln, view in zip(lines, views):
        m = f.meta_line.match(view)
        if m and m.group(1) in f.title_meta_keys and f.title_core.search(m.group(2)):
            yield _tidy(ln[m.start(2):], f), [ln]
    usable = _usable(lines, views, f)
    for i, (ln, view) in enumerate(zip(lines, views)):
        if len(ln) > f.title_max and not f.meta_line.match(view) and not _chrome(view, f):
            # a page flattened onto one line opens with its title ("某局2022年…报告 依据…")
            m = f.title_core.search(view, 0, f.title_max)
            if m and m.start() and not _CLAUSE_MARKS.search(view[:m.start()]):
                end = m.end()
                year = f.title_year.match(view, end)
                end = year.end() if year else end
                yield _tidy(ln[:end], f), [ln]
            continue
        if not usable[i]:
            continue
        if f.title_core.search(view):
            title, used = _tidy(ln, f), [ln]
            prev = _strip_ends(views[i - 1], f) if i > 0 and usable[i - 1] else ""
            if prev and len(prev) <= f.title_agency_line_max and not f.title_core.search(prev) \
                    and (prev.endswith(f.agency_suffixes) or _ends_with_year(prev, f)):
                yield _tidy(lines[i - 1], f) + title, [lines[i - 1], ln]
            yield title, used
        elif i + 1 < len(lines) and usable[i + 1] and not f.title_core.search(views[i + 1]) \
                and len(ln) + len(lines[i + 1]) <= f.title_max \
                and f.title_core.search(_tidy(view, f) + _tidy(views[i + 1], f)):
            # the core wording broken between two lines ("…2022年政府信息公开" / "工作年度报告")
            yield _tidy(ln, f) + _tidy(lines[i + 1], f), [ln, lines[i + 1]]
    yield from _broken_titles(lines, usable, grammar)


def _usable(lines: list[str], views: list[str], f: FactsGrammar) -> list[bool]:
    """Which lines may hold (part of) the title: no metadata line, no chrome, short."""
    return [not f.meta_line.match(v) and len(ln) <= f.title_max and not _chrome(v, f)
            for ln, v in zip(lines, views)]


def _broken_titles(lines: list[str], usable: list[bool], grammar: GrammarLike) -> Iterator[tuple[str, list[str]]]:
    """Titles broken anywhere over 2 to ``max_lines`` consecutive heading lines
    ("福州市鼓楼区人民政府办公室" / "2020年政府信息公开" / "工作年度报告"): for each line
    that completes the core wording, the shortest run ending there whose joined text
    has the title's form. A run stops at a line that is no heading line, or once the
    lines before the last already complete the core (the last is then no part of it)."""
    f = _facts(grammar)
    tidy = [_tidy(ln, f) for ln in lines]
    for end in range(1, len(lines)):
        if not usable[end]:
            continue
        for start in range(end - 1, max(end - f.title_max_lines, -1), -1):
            before = "".join(tidy[start:end])
            if not usable[start] or len(before) + len(tidy[end]) > f.title_max \
                    or f.title_core.search(matching_view(before)):
                break
            if _titled_agency(before + tidy[end], grammar):
                yield before + tidy[end], lines[start:end + 1]
                break


def _titled_agency(text: str, grammar: GrammarLike) -> str | None:
    """The agency of ``text`` when the whole of it has the title's form: an agency's name
    (Han characters ending like one, no sentence marks), a year before or after the
    core wording, nothing else after it but the year; else None."""
    f = _facts(grammar)
    view = matching_view(nfkc(text))
    m = f.title_core.search(view)
    if not m or _CLAUSE_MARKS.search(view[:m.start()]):
        return None
    tail = view[m.end():]
    if _strip_ends(f.title_year.sub("", tail), f):
        return None  # more than a year follows the core wording
    if not (f.title_year.search(view[:m.start()]) or f.title_year.search(tail)):
        return None
    agency = agency_from_title(text, grammar)
    if not agency:
        return None
    name = matching_view(agency)
    return agency if f.agency_run.fullmatch(name) and name.endswith(f.agency_suffixes) else None


def _ends_with_year(text: str, f: FactsGrammar) -> bool:
    t = nfkc(text)
    return any(m.end() == len(t) for m in f.title_year.finditer(t))


def _titled_part(page_title: str, f: FactsGrammar) -> str | None:
    """The part of a page title holding the core wording: sites add their own name
    after a separator ("某局2022年政府信息公开工作年度报告_某市人民政府")."""
    for part in _TITLE_SEPARATORS.split(page_title):
        if f.title_core.search(matching_view(nfkc(part))):
            return part
    return None


#: punctuation of a sentence: text before the title wording holding one is no title
_CLAUSE_MARKS = re.compile(r"[，。；：、《》,;:]")
#: what sites put between a page's own title and their name
_TITLE_SEPARATORS = re.compile(r"\s+[-—–|｜]\s+|[_|｜]|\s[-—–]|[-—–]\s")


def agency_from_title(title: str, grammar: GrammarLike = None) -> str | None:
    """The agency: what a title prints before its core wording, years and padding removed."""
    f = _facts(grammar)
    t = nfkc(title)
    m = f.title_core.search(matching_view(t))
    if not m:
        return None
    if f.year_cut.fullmatch(_strip_ends(t[:m.start()], f)):
        return None  # "年政府信息公开…": a line whose year was cut off by a line break
    before = f.title_year.sub("", t[:m.start()])
    before = re.sub(r"\s+", "", _strip_ends(before, f))
    for prefix in f.title_strip_prefixes:
        before = before.removeprefix(prefix)
    if not before or any(w in before for w in f.agency_not_names):
        return None
    return before


def find_agency(title: str | None, preamble: list[str], body: list[str],
                grammar: GrammarLike = None) -> tuple[str | None, list[ReportWarning]]:
    """(agency, warnings): the title's agency when the title names one; else the one the
    opening sentence names (:func:`agency_from_body`), checked against the heading lines.

    Reports often call themselves by a short form in the body ("2020年，区政府办公室…"),
    so the body's name is only kept when no heading line of the preamble names another
    agency the way a title does — a name directly followed by the year, the part of a
    title that a misread or cut-off core wording leaves ("福州市鼓楼区人民政府办公室2020年
    政府信息"). A heading naming the same agency (one normal form, or a short form of it:
    grammars/agencies.toml) gives its name; one naming another leaves the agency null
    with an ``agency_uncertain`` warning: a wrong agency is worse than none.
    """
    if title:
        named = agency_from_title(title, grammar)
        if named:
            return named, []
    named = agency_from_body(body, grammar)
    heads = list(dict.fromkeys(_heading_agencies(preamble, grammar)))
    if named is None or not heads:
        return named, []
    if all(_same_agency(named, h, grammar) for h in heads):
        return heads[0], []
    return None, [warning("agency_uncertain",
                          detail=f"the opening sentence names {named}, a heading line {heads[0]} "
                                 "(no title was read whole): the agency is null")]


def _heading_agencies(preamble: list[str], grammar: GrammarLike) -> Iterator[str]:
    """Agencies named by heading lines as a title names them: a name (ending like an
    agency's, no sentence marks) directly followed by a year."""
    f = _facts(grammar)
    lines = _lines(preamble)
    views = [matching_view(nfkc(ln)) for ln in lines]
    for ln, view, usable in zip(lines, views, _usable(lines, views, f)):
        year = f.title_year.search(view)
        if not usable or not year or _CLAUSE_MARKS.search(view):
            continue
        head = _strip_ends(view[:year.start()], f)
        start = view.index(head) if head else 0
        for prefix in f.title_strip_prefixes:
            if head.startswith(prefix):
                head, start = head[len(prefix):], start + len(prefix)
        if head and f.agency_run.fullmatch(head) and head.endswith(f.agency_suffixes) \
                and not any(w in head for w in f.agency_not_names):
            yield nfkc(ln)[start:start + len(head)]  # as printed


def _same_agency(a: str, b: str, grammar: GrammarLike) -> bool:
    """One agency by grammars/agencies.toml: one normal form, or a short form of the other."""
    if normalise(a, grammar) == normalise(b, grammar):
        return True
    groups = group_names([a, b], grammar)
    return a in groups and b in groups and groups[a] is groups[b]


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
