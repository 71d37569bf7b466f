"""Chinese text normalisation shared by readers and layout stages.

Readers keep text as found (line breaks included); these helpers make the
comparable forms. Nothing here drops a character other than whitespace
between Han characters, where Chinese typesetting has none.
"""
from __future__ import annotations

import re
import unicodedata

from .limits import DEFAULT_LIMITS

#: Han ideographs (CJK Extension A, the unified block, compatibility ideographs): a
#: character class body, for patterns elsewhere (``f"[{HAN}]"``)
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = HAN
_HAN_CH = f"[{_HAN}]"
#: Han ideographs, CJK punctuation, kana and full-width forms: no gaps between these
CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
#: East Asian wide characters (CSS Text 3 segment-break rule: no space between two)
WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK = CJK
#: spaces between two of them (line breaks kept)
_HAN_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
_WS = re.compile(r"[ \t\r\n\u3000\u00a0\u2002\u2003\u200b\ufeff]+")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                         "‘": "'", "’": "'", "〝": '"', "〞": '"'})


def nfkc(text: str) -> str:
    """NFKC: full-width digits/letters/punctuation become ASCII, ideographic space a space."""
    return unicodedata.normalize("NFKC", text)


def strip_han_spaces(text: str) -> str:
    """Remove spaces between Han characters/CJK punctuation (typeset gaps, not words);
    line breaks stay."""
    return _HAN_SPACE.sub("", text)


def label_key(text: str) -> str:
    """A comparable form of a label: NFKC, simplified characters, no whitespace,
    unified quotes. For matching only: output keeps the text as printed."""
    text = to_simplified(nfkc(text)).translate(_QUOTES)
    return _WS.sub("", text)


_t2s = None


def matching_view(text: str) -> str:
    """``text`` in simplified characters *with the same length*, so that positions
    found by a pattern on the view slice the original (as printed) text; when the
    conversion would change the length, the text itself."""
    view = to_simplified(text)
    return view if len(view) == len(text) else text


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (OpenCC t2s), so 總體情況 matches 总体情况."""
    global _t2s
    if text.isascii():
        return text
    if _t2s is None:
        import opencc

        _t2s = opencc.OpenCC("t2s")
    return _t2s.convert(text)


def has_han(text: str) -> bool:
    return re.search(_HAN_CH, text) is not None


#: the Chinese numerals of numbering (一、 （二） 第三部分 四是)
CN_DIGITS = "一二三四五六七八九十"
_CN_NUM = CN_DIGITS
_CN_VAL = {c: i + 1 for i, c in enumerate(CN_DIGITS)}
#: the value of 十, the base of the numerals
_TEN = 10
#: what OCR reads for the numeral 一 in numbering ("—、总体情况", "(—)"); numeral() reads it as 一
OCR_ONE = "—－"
_OCR_ONE_FOLD = str.maketrans({c: "一" for c in OCR_ONE})
#: numbering that opens a paragraph or item: 第一部分 一、 （一） (1) 1. ①
_MARKER = (rf"(?:第[{_CN_NUM}百零〇]+(?:部分|章)|[{_CN_NUM}]{{1,3}}[、.．]|[（(][{_CN_NUM}\d]{{1,3}}[)）]"
           r"|\d{1,2}[.．、](?!\d)|[①-⑳])")
#: the numbering of a top-level heading: 一、 or 第一部分
_TOP_MARKER = rf"(?:[{_CN_NUM}]{{1,2}}[、.．]|第[{_CN_NUM}]+部分)"
#: numbering families of headings: name -> pattern with one group for the number
NUMBERING_FAMILIES = {
    "dun": re.compile(rf"^\s*([{CN_DIGITS}]{{1,3}}|[{OCR_ONE}])\s*[、.．，,]\s*"),
    "part": re.compile(rf"^\s*第([{CN_DIGITS}\d]{{1,3}})部分\s*[、.．:：，,]?\s*"),
    "arabic": re.compile(r"^\s*(\d{1,2})\s*[.．、](?!\d)\s*"),
    "paren": re.compile(rf"^\s*[(（]([{CN_DIGITS}]{{1,3}}|[{OCR_ONE}])[)）]\s*[、.．]?\s*"),
    "paren_arabic": re.compile(r"^\s*[(（](\d{1,2})[)）]\s*[、.．]?\s*"),
}
#: numbering at the start of a label: 一、 (一) 1. 1、 (1) ① 第一部分 …
LABEL_NUMBERING = re.compile(
    rf"^(?:第[{CN_DIGITS}\d]+(?:部分|项|条|章|节)[、.:]?"
    rf"|[(\[（【][{CN_DIGITS}\d]+[)\]）】][、.]?"
    rf"|[{CN_DIGITS}]+[、.．,，]"
    r"|\d+(?:\.\d+)*[、.．,，)）](?!\d)"
    r"|[①②③④⑤⑥⑦⑧⑨⑩])"
)
NUMBERED = re.compile(rf"^\s*({_MARKER})")
TOP_NUMBERED = re.compile(rf"^\s*{_TOP_MARKER}")
#: a paragraph break a scraper turned into a space: sentence end, space, numbering
_RUN_ON_BREAK = re.compile(rf"(?<=[。；！？!?”）)：:])[ \u3000\u00a0]+(?={_MARKER})")
_HEAD_THEN_SPACE = re.compile(rf"^({_MARKER}[^。，,；;：:\s]{{1,40}})[ \u3000\u00a0]+(?=\S)")


def split_run_on(line: str) -> list[str]:
    """Undo a scraper that ran paragraphs together with spaces.

    '…编制本报告。 1.总体情况 2022年，…' → ['…编制本报告。', '1.总体情况', '2022年，…'].
    Only breaks where a sentence ends, whitespace follows and numbering starts, and
    splits a numbered heading from the text after its space; nothing is dropped
    but the whitespace at those breaks.
    """
    out = []
    for part in _RUN_ON_BREAK.split(line):
        m = _HEAD_THEN_SPACE.match(part)
        if m:
            out.append(m.group(1))
            part = part[m.end():]
        if part.strip():
            out.append(part.strip())
    return out


def numeral(s: str) -> int:
    """A numbering numeral as an int: '3' → 3, '十二' → 12, '二十' → 20, OCR's '—' → 1 (0 if unknown)."""
    s = s.translate(_OCR_ONE_FOLD)
    if s.isdigit():
        return int(s)
    if s == "十":
        return _TEN
    if s.startswith("十"):
        return _TEN + _CN_VAL.get(s[1:], 0)
    if s.endswith("十"):
        return _CN_VAL.get(s[0], 0) * _TEN
    if "十" in s:
        a, b = s.split("十", 1)
        return _CN_VAL.get(a, 0) * _TEN + _CN_VAL.get(b, 0)
    return _CN_VAL.get(s, 0)


# --------------------------------------------------------------- numbers in prose

#: digits of counting numbers written in words (〇/零 and 两 as in 两件)
_WORD_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                "七": 7, "八": 8, "九": 9}
_WORD_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
#: a number in running text: digits (with a decimal part and thousands separators) or
#: Chinese numerals (三, 十二, 一百五十, 两千零五十); one group
PROSE_NUMBER = (r"(\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)")


def prose_number(text: str) -> int | float | None:
    """A number matched by :data:`PROSE_NUMBER` as a value: '1,200' → 1200, '0.00' → 0.0,
    '三' → 3, '一百五十' → 150, '两千零五十' → 2050, '一点五' → 1.5; None if unreadable."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    if text[0].isdigit():
        if sum(ch.isdigit() for ch in text) > DEFAULT_LIMITS.max_number_digits:
            return None  # no printed figure is that long (and a float of it may be inf)
        try:
            return float(text) if "." in text else int(text)
        except ValueError:
            return None
    whole, _, frac = text.partition("点")
    total, digit = 0, None
    for ch in whole:
        if ch in _WORD_DIGITS:
            digit = _WORD_DIGITS[ch]
        elif ch in _WORD_UNITS:
            total += (1 if digit is None else digit) * _WORD_UNITS[ch]
            digit = None
        else:
            return None
    total += digit or 0
    if frac:
        if any(ch not in _WORD_DIGITS for ch in frac):
            return None
        return float(f"{total}.{''.join(str(_WORD_DIGITS[ch]) for ch in frac)}")
    return total


# --------------------------------------------------------------- numbering inside running text
#: a section's numbering anywhere in a line (a body saved as one line): 一、 / 第一部分 / 1.
INLINE_SECTION_MARKER = re.compile(rf"(?:第([{CN_DIGITS}]{{1,2}})部分|([{CN_DIGITS}{OCR_ONE}]{{1,2}})[ \t]*[、.．]"
                                   rf"|(?<![\d.])(\d{{1,2}})[ \t]*[、.．](?!\d))[ \t]*")
#: a sub-head's numbering anywhere in a line: （一） (一) with OCR's (—)
INLINE_PAREN_MARKER = re.compile(rf"[（(][ \t]*([{CN_DIGITS}{OCR_ONE}]{{1,2}})[ \t]*[)）][ \t]*[、.．]?[ \t]*")
#: the other sub-head numberings, tried when a section has no （一）: 1、 1. and (1)
INLINE_SUB_MARKERS = (
    INLINE_PAREN_MARKER,
    re.compile(r"(?<![\d.])(\d{1,2})[ \t]*[、.．](?!\d)[ \t]*"),
    re.compile(r"[（(][ \t]*(\d{1,2})[ \t]*[)）][ \t]*[、.．]?[ \t]*"),
)


def ocr_numeral(s: str) -> int:
    """:func:`numeral` of a numbering numeral as OCR may print it ('—' for 一)."""
    return numeral(s)


#: the start of each numbered item inside one label: 三、…（三）…1.…
_NUMBERED_PART = re.compile(rf"(?={_MARKER})")


def numbered_parts(text: str) -> list[str]:
    """A label that carries its group path in one cell, cut at each numbering:
    '三、本年度办理结果（三）不予公开 1.属于国家秘密' → ['三、本年度办理结果', '（三）不予公开',
    '1.属于国家秘密']. A label with one numbering (or none) is returned whole."""
    parts = [p.strip() for p in _NUMBERED_PART.split(text) if p.strip()]
    return parts or [text]
