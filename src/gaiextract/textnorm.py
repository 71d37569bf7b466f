"""Chinese text normalisation shared by readers and layout stages.

Readers keep text as found (line breaks included); these helpers make the
comparable forms. Nothing here drops a character other than whitespace
between Han characters, where Chinese typesetting has none.
"""
from __future__ import annotations

import re
import unicodedata

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CH = f"[{_HAN}]"
#: Han ideographs, CJK punctuation, kana and full-width forms: no gaps between these
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
#: whitespace (incl. ideographic space U+3000, NBSP, line breaks) between two of them
_HAN_GAP = re.compile(f"(?<=[{_CJK}])[ \t\r\n\u3000\u00a0]+(?=[{_CJK}])")
#: the same, spaces only (line breaks kept)
_HAN_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
_WS = re.compile(r"[ \t\r\n\u3000\u00a0\u2002\u2003\u200b\ufeff]+")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                         "‘": "'", "’": "'", "〝": '"', "〞": '"'})


def nfkc(text: str) -> str:
    """NFKC: full-width digits/letters/punctuation become ASCII, ideographic space a space."""
    return unicodedata.normalize("NFKC", text)


def join_han_lines(text: str) -> str:
    """Join lines broken inside a run of Chinese text (商业\\n企业 → 商业企业);
    other line breaks become single spaces. Collapse runs of whitespace."""
    text = _HAN_GAP.sub("", text)
    return _WS.sub(" ", text).strip()


def strip_han_spaces(text: str) -> str:
    """Remove spaces between Han characters/CJK punctuation (typeset gaps, not words);
    line breaks stay."""
    return _HAN_SPACE.sub("", text)


def clean_text(text: str) -> str:
    """Paragraph/cell text in display form: NFKC-free (keeps the document's own
    punctuation), whitespace between Han characters removed, runs collapsed."""
    return join_han_lines(text.replace("\u3000", " "))


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


_CN_NUM = "一二三四五六七八九十"
#: numbering that opens a paragraph or item: 第一部分 一、 （一） (1) 1. ①
_MARKER = (rf"(?:第[{_CN_NUM}百零〇]+(?:部分|章)|[{_CN_NUM}]{{1,3}}[、.．]|[（(][{_CN_NUM}\d]{{1,3}}[)）]"
           r"|\d{1,2}[.．、](?!\d)|[①-⑳])")
#: the numbering of a top-level heading: 一、 or 第一部分
_TOP_MARKER = rf"(?:[{_CN_NUM}]{{1,2}}[、.．]|第[{_CN_NUM}]+部分)"
NUMBERED = re.compile(rf"^\s*({_MARKER})")
TOP_NUMBERED = re.compile(rf"^\s*{_TOP_MARKER}")
#: a paragraph break a scraper turned into a space: sentence end, space, numbering
_RUN_ON_BREAK = re.compile(rf"(?<=[。；！？!?”）)：:])[ \u3000\u00a0]+(?={_MARKER})")
_HEAD_THEN_SPACE = re.compile(rf"^({_MARKER}[^。，,；;：:\s]{{1,40}})[ \u3000\u00a0]+(?=\S)")


def split_run_on(line: str) -> list:
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


#: the start of each numbered item inside one label: 三、…（三）…1.…
_NUMBERED_PART = re.compile(rf"(?={_MARKER})")


def numbered_parts(text: str) -> list[str]:
    """A label that carries its group path in one cell, cut at each numbering:
    '三、本年度办理结果（三）不予公开 1.属于国家秘密' → ['三、本年度办理结果', '（三）不予公开',
    '1.属于国家秘密']. A label with one numbering (or none) is returned whole."""
    parts = [p.strip() for p in _NUMBERED_PART.split(text) if p.strip()]
    return parts or [text]
