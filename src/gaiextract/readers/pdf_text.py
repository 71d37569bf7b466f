"""Text lines and paragraphs from PDF characters.

pdfminer hands us positioned characters, not text. This module turns them into
lines (characters sharing a baseline band, left to right), drops running
headers, footers and page numbers, and joins lines back into paragraphs the way
a Chinese report is typeset: a paragraph ends on a line that stops short of the
right margin, and starts on an indented line or a heading marker (一、 （一） 1.).

Everything works on plain char dicts as pdfplumber gives them (``text``, ``x0``,
``x1``, ``top``, ``bottom``, ``size``, ``fontname``), so it is testable without
opening a PDF.
"""
from __future__ import annotations

import functools
import math
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Iterable, Optional

from ..limits import require_positive
from ..textnorm import NUMBERED, strip_han_spaces

#: Han ideographs, CJK punctuation and full-width forms: no spaces between these.
_CJK_RANGES = ((0x2E80, 0x2FFF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3400, 0x4DBF),
               (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
_CJK_QUOTES = set("“”‘’")
GARBLED = "\ufffd"
_CID = re.compile(r"^\(cid:\d+\)$")

#: fonts whose name says bold (incl. the usual Chinese bold faces)
_BOLD_FONT = re.compile(r"bold|heavy|black|demi|黑体|simhei|hei\b|heiti|xbs|fzhei|小标宋", re.I)

#: a line starting like this begins a new paragraph (heading or list item)
HEADING_MARKER = NUMBERED

#: what a page number looks like once digits are normalised
_PAGE_NO = re.compile(
    r"^(?:[-—–－]\s*)?(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+|\d+|page\s*\d+(?:\s*of\s*\d+)?)(?:\s*[-—–－])?$",
    re.I,
)


@dataclass(frozen=True)
class TextSettings:
    """The tolerances of lines and paragraphs, in units of the text's height or size."""

    #: chars whose vertical centres differ by at most this share of the taller one's
    #: height sit on one row
    row_band: float = 0.45
    #: a gap wider than this many font sizes between CJK characters is a space
    cjk_gap: float = 1.5
    #: ... and between Latin letters or digits
    latin_gap: float = 0.25
    #: a running head or foot stands apart from the body by at least this many line heights
    running_gap: float = 0.8
    #: a line starting this many font sizes right of the margin is indented (a new paragraph)
    indent: float = 0.8
    #: a line reaching within this many font sizes of the right margin is full
    full_slack: float = 2.5
    #: lines further apart than this many line heights are separate paragraphs
    paragraph_gap: float = 1.2
    #: sizes differing by more than this (points) are not one paragraph
    size_step: float = 1.0
    #: the same char drawn again within this many points across and down is one char
    #: (fake bold, shadow text)
    dedupe_distance: float = 1.0
    #: running heads and feet sit in this share of the page's height at its top or bottom
    running_band: float = 0.12
    #: left edges are counted in bins this many points wide (the shared left margin) …
    margin_left_bin: float = 3.0
    #: … right edges in bins this wide (the right margin full lines reach)
    margin_right_bin: float = 4.0
    #: a left edge is shared when one line in this many (and at least two) starts there
    margin_left_lines: int = 20
    #: a right edge is common when one line in this many (and at least two) ends there
    margin_right_lines: int = 10
    #: a centred line leaves more than this many font sizes open on each side …
    center_margin: float = 2.5
    #: … and the two sides differ by less than this many font sizes
    center_balance: float = 1.5
    #: a line wider than this share of the text column is wide (a title that wraps)
    wide_line: float = 0.6
    #: a centred line more than this many points larger than the body text is a title
    title_size_step: float = 0.5

    def __post_init__(self) -> None:
        require_positive(self)


DEFAULT_TEXT = TextSettings()


def is_cjk(ch: str) -> bool:
    if not ch:
        return False
    o = ord(ch[0])
    if 0x4E00 <= o <= 0x9FFF:  # the common case first: a Han ideograph
        return True
    if o < _CJK_RANGES[0][0]:  # Latin, digits, general punctuation: only the curly quotes count
        return ch in _CJK_QUOTES
    if ch in _CJK_QUOTES:
        return True
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def is_garbled_char(text: str) -> bool:
    """A glyph with no Unicode mapping: ``(cid:N)``, U+FFFD or a private-use code point."""
    if len(text) == 1:  # the common case: one code point
        o = ord(text)
        return o == 0xFFFD or 0xE000 <= o <= 0xF8FF or 0xF0000 <= o
    if not text:
        return False
    if _CID.match(text):
        return True
    o = ord(text[0])
    return 0xE000 <= o <= 0xF8FF or 0xF0000 <= o


def char_text(ch: dict[str, Any]) -> str:
    """The char's text with unmapped glyphs made visible as U+FFFD (never digits)."""
    t = ch["text"]
    if len(t) > 1 and _CID.match(t):
        return GARBLED
    if t and (0xE000 <= ord(t[0]) <= 0xF8FF):
        return GARBLED
    return t


# --------------------------------------------------------------------------- dedupe

_TOP_X0 = operator.itemgetter("top", "x0")
_X0 = operator.itemgetter("x0")

def dedupe_chars(chars: list[dict[str, Any]], tolerance: float = DEFAULT_TEXT.dedupe_distance
                 ) -> tuple[list[dict[str, Any]], set[int]]:
    """Drop a char drawn again at nearly the same place (fake bold, shadow text).

    Returns ``(kept, doubled)`` where ``doubled`` holds ids of kept chars that had
    a duplicate — the fake-bold signal.
    """
    by_text: dict[str, list[dict[str, Any]]] = defaultdict(list)
    kept, doubled = [], set()
    for ch in sorted(chars, key=_TOP_X0):
        twins = by_text[ch["text"]]
        dup = None
        if twins:
            x0, top = ch["x0"], ch["top"]
            for other in reversed(twins[-4:]):
                if abs(other["x0"] - x0) <= tolerance and abs(other["top"] - top) <= tolerance:
                    dup = other
                    break
        if dup is not None:
            doubled.add(id(dup))
            continue
        twins.append(ch)
        kept.append(ch)
    return kept, doubled


# --------------------------------------------------------------------------- lines

@dataclass
class Line:
    """One text line on one page."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    garbled: int = 0  # unmapped glyphs on the line

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))


def group_rows(chars: Iterable[dict[str, Any]], settings: TextSettings = DEFAULT_TEXT) -> list[list[dict[str, Any]]]:
    """Cluster chars into rows by vertical centre; each row sorted left to right."""
    rows: list[list[dict[str, Any]]] = []
    cur: list[dict[str, Any]] = []
    mid0 = h0 = 0.0
    for ch in sorted(chars, key=lambda c: c["top"] + c["bottom"]):
        mid = (ch["top"] + ch["bottom"]) / 2
        h = ch["bottom"] - ch["top"]
        if cur and abs(mid - mid0) <= max(h, h0) * settings.row_band:
            cur.append(ch)
            continue
        if cur:
            rows.append(sorted(cur, key=_X0))
        cur, mid0, h0 = [ch], mid, h
    if cur:
        rows.append(sorted(cur, key=_X0))
    return rows


def join_chars(row: list[dict[str, Any]], settings: TextSettings = DEFAULT_TEXT) -> str:
    """Text of one row of chars: no space between CJK characters, a space where a
    visible gap separates Latin text or digits."""
    out: list[str] = []
    prev_t = ""
    prev_x1 = None
    for ch in row:
        t = char_text(ch)
        if t.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            prev_x1 = ch["x1"]
            continue
        if prev_x1 is not None and out and out[-1] != " ":
            gap = ch["x0"] - prev_x1
            size = ch.get("size") or (ch["bottom"] - ch["top"])
            cjk = is_cjk(prev_t[-1:]) or is_cjk(t[:1])
            if gap > (settings.cjk_gap * size if cjk else settings.latin_gap * size):
                out.append(" ")
        out.append(t)
        prev_t, prev_x1 = t, ch["x1"]
    text = "".join(out).strip()
    return strip_han_spaces(text)


@functools.lru_cache(maxsize=1024)
def is_bold_font(fontname: str) -> bool:
    """Does the font's name say bold? (A page has a handful of fonts: cached.)"""
    return bool(_BOLD_FONT.search(fontname or ""))


def build_lines(chars: list[dict[str, Any]], page: int, doubled: AbstractSet[int] = frozenset()) -> list[Line]:
    """Lines of a page (or of the text outside its tables), top to bottom."""
    lines = []
    for row in group_rows(chars):
        text = join_chars(row)
        if not text:
            continue
        sizes = sorted(c.get("size") or (c["bottom"] - c["top"]) for c in row)
        visible = [c for c in row if not c["text"].isspace()]
        n_bold = sum(1 for c in visible if is_bold_font(c.get("fontname", "")) or id(c) in doubled)
        lines.append(Line(
            text=text, page=page,
            x0=min(c["x0"] for c in row), top=min(c["top"] for c in row),
            x1=max(c["x1"] for c in row), bottom=max(c["bottom"] for c in row),
            size=round(sizes[len(sizes) // 2], 1),
            bold=bool(visible) and n_bold * 2 > len(visible),
            garbled=sum(1 for c in visible if is_garbled_char(c["text"])),
        ))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


# --------------------------------------------------------------------------- running heads

def _repeat_key(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\d+", "#", t)
    return re.sub(r"\s+", "", t)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NO.match(unicodedata.normalize("NFKC", text).strip()))


def running_lines(pages: list[list[Line]], heights: list[float], band: float = DEFAULT_TEXT.running_band,
                  numbers: Optional[list[int]] = None) -> set[int]:
    """ids of lines that are running headers, footers or page numbers.

    ``pages[i]`` holds the body lines of page i (tables excluded), ``heights[i]`` its
    height, ``numbers[i]`` its page number (default i + 1). A line counts when it
    sits in the top or bottom band of its page and either looks like a page number
    (among the first/last two lines of the page) or recurs in that band on most
    pages: the same text, or the same text but for the page's own number in it
    ("第 3 页 共 7 页", "报告·3").
    """
    n = len(pages)
    numbers = numbers or list(range(1, n + 1))
    counts: Counter = Counter()
    candidates = []
    for lines, h, page_no in zip(pages, heights, numbers):
        seen = set()
        for i, ln in enumerate(lines):
            if ln.bottom <= h * band:
                where = "top"
            elif ln.top >= h * (1 - band):
                where = "bottom"
            else:
                continue
            edge = i < 2 or i >= len(lines) - 2
            text = unicodedata.normalize("NFKC", ln.text)
            keys = {(where, "=", re.sub(r"\s+", "", text))}
            if str(page_no) in re.findall(r"\d+", text):
                keys.add((where, "#", _repeat_key(text)))
            j = i + 1 if where == "top" else i - 1
            inner = lines[j] if 0 <= j < len(lines) else None
            candidates.append((ln, keys, edge, inner, where))
            for key in keys - seen:
                seen.add(key)
                counts[key] += 1
    need = max(2, (n + 1) // 2)
    repeated = {id(ln) for ln, keys, *_ in candidates if any(counts[k] >= need for k in keys)}
    drop = set()
    for ln, _keys, _edge, inner, where in candidates:
        if id(ln) in repeated and (_apart(ln, inner, where) or id(inner) in repeated):
            drop.add(id(ln))
        elif edge and is_page_number(ln.text):
            drop.add(id(ln))
    return drop


def _apart(ln: Line, inner: Optional[Line], where: str, settings: TextSettings = DEFAULT_TEXT) -> bool:
    """Is the running line set apart from the body by more than line spacing?
    (Body text repeated near a page edge is not a running head.)"""
    if inner is None:
        return True
    gap = inner.top - ln.bottom if where == "top" else ln.top - inner.bottom
    return gap >= settings.running_gap * max(ln.bottom - ln.top, inner.bottom - inner.top)


# --------------------------------------------------------------------------- paragraphs

@dataclass
class Margins:
    """The text column of pages of one width: left edge and right edge."""

    left: float
    right: float


def text_margins(lines: list[Line], settings: TextSettings = DEFAULT_TEXT) -> Margins:
    """The most common left edge and the right edge full lines reach."""
    lines = [ln for ln in lines if math.isfinite(ln.x0) and math.isfinite(ln.x1)]
    if not lines:
        return Margins(0, 0)
    # the leftmost edge several lines share (not the most common one: in a list of
    # one-line paragraphs most lines are first lines, indented)
    lbin, rbin = settings.margin_left_bin, settings.margin_right_bin
    lefts = Counter(round(ln.x0 / lbin) for ln in lines)
    need_left = max(2, len(lines) // settings.margin_left_lines)
    shared = [k for k, v in lefts.items() if v >= need_left]
    left = (min(shared) if shared else max(lefts, key=lefts.get)) * lbin
    rights = Counter(round(ln.x1 / rbin) for ln in lines)
    need = max(2, len(lines) // settings.margin_right_lines)
    common = [k for k, v in rights.items() if v >= need]
    right = (max(common) * rbin) if common else max(ln.x1 for ln in lines)
    return Margins(float(left), float(right))


@dataclass
class ParagraphDraft:
    lines: list[Line] = field(default_factory=list)
    center: bool = False

    def add(self, ln: Line) -> None:
        self.lines.append(ln)


def _is_full(ln: Line, m: Margins, settings: TextSettings = DEFAULT_TEXT) -> bool:
    """Reaches the right margin, give or take two characters pushed over by
    line-breaking rules (no closing punctuation at a line start, etc.)."""
    return ln.x1 >= m.right - settings.full_slack * ln.size


def _is_centered(ln: Line, m: Margins, settings: TextSettings = DEFAULT_TEXT) -> bool:
    """Both margins clearly open and about equal (a first-line indent is not centring)."""
    left, right = ln.x0 - m.left, m.right - ln.x1
    open_ = settings.center_margin * ln.size
    return left > open_ and right > open_ and abs(left - right) < settings.center_balance * ln.size


def continues(prev: Line, ln: Line, m_prev: Margins, m: Margins, same_page: bool,
              body_size: float = 0.0, settings: TextSettings = DEFAULT_TEXT) -> bool:
    """Does ``ln`` continue the paragraph whose last line is ``prev``?"""
    if abs(prev.size - ln.size) > settings.size_step or prev.bold != ln.bold:
        return False
    if HEADING_MARKER.match(ln.text):
        return False
    if same_page and ln.top - prev.bottom > settings.paragraph_gap * max(prev.bottom - prev.top, ln.size):
        return False
    wide = (prev.x1 - prev.x0) > settings.wide_line * (m_prev.right - m_prev.left)
    if _is_centered(ln, m, settings) and (_is_centered(prev, m_prev, settings)
                                          or prev.size > body_size + settings.title_size_step):
        # a title: a wide line wraps to a centred one
        return same_page and wide
    if _is_centered(prev, m_prev, settings):
        return False
    if not _is_full(prev, m_prev, settings):
        return False
    if ln.x0 > m.left + settings.indent * ln.size:  # first-line indent or a centred line
        return False
    return True


def paragraphs_from_lines(lines: list[Line], margins_for, body_size: float = 0.0) -> list[ParagraphDraft]:
    """Group a run of lines (possibly over several pages) into paragraph drafts.

    ``margins_for(line)`` gives the text column of the line's page; ``body_size``
    is the usual text size (larger centred lines are titles that may wrap).
    """
    drafts: list[ParagraphDraft] = []
    cur: Optional[ParagraphDraft] = None
    for ln in lines:
        m = margins_for(ln)
        if cur is not None:
            prev = cur.lines[-1]
            if continues(prev, ln, margins_for(prev), m, prev.page == ln.page, body_size):
                cur.add(ln)
                continue
            drafts.append(cur)
        cur = ParagraphDraft(lines=[ln], center=_is_centered(ln, m))
    if cur is not None:
        drafts.append(cur)
    return drafts


def _latin(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalpha()


def draft_text(draft: ParagraphDraft) -> str:
    """Join a paragraph's lines: nothing between CJK characters, a space between words."""
    out = ""
    for ln in draft.lines:
        # Chinese wraps anywhere, even inside a number: only Latin words get a space
        if out and _latin(out[-1]) and _latin(ln.text[:1]):
            out += " "
        out += ln.text
    return out


def body_size(lines: list[Line]) -> float:
    """The most common text size (weighted by line length)."""
    sizes: Counter = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0
