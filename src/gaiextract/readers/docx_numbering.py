"""Automatic list numbering (numbering.xml): the "一、" Word prints but the XML omits.

Reports typed in Word often number their headings with a list style; the text of
``一、总体情况`` is then only ``总体情况`` in ``w:t`` and the label is computed by Word
from ``w:numPr`` → ``w:num`` → ``w:abstractNum``/``w:lvl`` (start, numFmt, lvlText).
This module does that computation so the paragraph text is what the page shows.
Bullets produce no text (they are not part of any heading or label).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..errors import ReportWarning, warning
from ..limits import DEFAULT_LIMITS, Limits
from .docx_styles import int_text, int_val, wattr, wchild, wtag

if TYPE_CHECKING:
    from lxml import etree

_CN_DIGITS = "零一二三四五六七八九"
_CN_TRAD = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
#: the first number the counting style's units (十百千) cannot write (万); from it on the
#: number is printed in digits
_COUNTING_LIMIT = 10000
#: letters of the alphabet (upperLetter/lowerLetter repeat the letter after z: aa … zz)
_LETTERS = 26
#: the value of Roman M, the largest numeral: upperRoman writes n // 1000 of them
_ROMAN_M = 1000
#: list levels of WordprocessingML (``w:ilvl`` 0-8)
_LIST_LEVELS = 9


def chinese_number(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (counting style)."""
    if n <= 0:
        return digits[0]
    if n >= _COUNTING_LIMIT:
        return str(n)
    parts, zero = [], False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d:
            if zero:
                parts.append(digits[0])
                zero = False
            if not (d == 1 and unit == units[0] and not parts):
                parts.append(digits[d])
            parts.append(unit)
        elif parts:
            zero = True
    return "".join(parts)


def _level(v: Optional[str]) -> Optional[int]:
    """A ``w:ilvl`` attribute: a list level 0-8, or None when it is no number."""
    n = int_text(v or "0")
    return None if n is None else max(0, min(n, _LIST_LEVELS - 1))


def _label_length(n: int, fmt: str) -> int:
    """A lower bound of the characters of ``n`` in ``fmt``, computed without printing
    it (lowerLetter repeats a letter n/26 times, upperRoman writes n/1000 Ms)."""
    if fmt in ("upperLetter", "lowerLetter"):
        return (n - 1) // _LETTERS + 1
    if fmt in ("upperRoman", "lowerRoman"):
        return n // _ROMAN_M
    return len(str(abs(n)))


def _roman(n: int) -> str:
    vals = ((_ROMAN_M, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("A") + (n - 1) % _LETTERS) * ((n - 1) // _LETTERS + 1)


def format_number(n: int, fmt: str) -> Optional[str]:
    """One level's number in a WordprocessingML numFmt; None for bullets/none."""
    if fmt in ("bullet", "none"):
        return None
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        if fmt == "ideographDigital":
            return "".join(_CN_DIGITS[int(d)] if d != "0" else "〇" for d in str(n))
        return chinese_number(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return chinese_number(n, _CN_TRAD, "拾佰仟")
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(_FULLWIDTH)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)  # decimal and anything unknown


class Numbering:
    """Counters for the lists of one document, advanced paragraph by paragraph."""

    def __init__(self, root=None, limits: Limits = DEFAULT_LIMITS):
        self._max_label = limits.max_list_label_chars
        self.warnings: list[ReportWarning] = []
        self._too_long_said: set[str] = set()   # lists whose over-long labels were warned of
        self._abstract: dict[Optional[str], dict[int, etree._Element]] = {}  # abstractNumId -> {ilvl: lvl element}
        self._nums: dict[Optional[str], tuple[Optional[str], dict[int, int]]] = {}      # numId -> (abstractNumId, {ilvl: start override})
        self._counters: dict[Optional[str], list[int]] = {}  # abstractNumId -> [count per level]
        if root is None:
            return
        for el in root:
            t = wtag(el)
            if t == "abstractNum":
                levels = {}
                for lvl in el:
                    ilvl = _level(wattr(lvl, "ilvl")) if wtag(lvl) == "lvl" else None
                    if ilvl is not None:
                        levels[ilvl] = lvl
                self._abstract[wattr(el, "abstractNumId")] = levels
            elif t == "num":
                overrides = {}
                for ov in el:
                    if wtag(ov) == "lvlOverride":
                        start = int_val(wchild(ov, "startOverride"))
                        ilvl = _level(wattr(ov, "ilvl"))
                        if start is not None and ilvl is not None:
                            overrides[ilvl] = start
                self._nums[wattr(el, "numId")] = (wattr(wchild(el, "abstractNumId"), "val"), overrides)

    def label(self, num_id: Optional[str], ilvl: int) -> Optional[str]:
        """Advance the list ``num_id`` at level ``ilvl`` and return the printed label
        (with its separator), or None when nothing is printed."""
        if not num_id or num_id == "0" or num_id not in self._nums:
            return None
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id)
        if not levels:
            return None
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        counters = self._counters.setdefault(abstract_id, [0] * _LIST_LEVELS)
        ilvl = max(0, min(ilvl, _LIST_LEVELS - 1))
        if counters[ilvl] == 0:
            counters[ilvl] = self._start(levels, overrides, ilvl) - 1
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, _LIST_LEVELS):  # a higher level restarts the ones below
            counters[deeper] = 0
        fmt = wattr(wchild(lvl, "numFmt"), "val") or "decimal"
        text = wattr(wchild(lvl, "lvlText"), "val")
        if text is None or fmt == "bullet":
            return None
        legal = wchild(lvl, "isLgl") is not None
        for k in range(9):
            token = f"%{k + 1}"
            if token not in text:
                continue
            k_lvl = levels.get(k)
            k_fmt = "decimal" if legal and k != ilvl else (
                wattr(wchild(k_lvl, "numFmt"), "val") if k_lvl is not None else "decimal")
            count = counters[k] or self._start(levels, overrides, k)
            if _label_length(count, k_fmt or "decimal") > self._max_label:
                return self._too_long(num_id, count, k_fmt or "decimal")
            shown = format_number(count, k_fmt or "decimal")
            text = text.replace(token, shown or "")
            if len(text) > self._max_label:
                return self._too_long(num_id, count, k_fmt or "decimal")
        if len(text) > self._max_label:
            return self._too_long(num_id, counters[ilvl], fmt)
        if not text.strip():
            return None
        suff = wattr(wchild(lvl, "suff"), "val") or "tab"
        if suff == "nothing" or (suff == "tab" and text[-1] in "、.．)）:："):
            return text
        return text + " "

    def _too_long(self, num_id: str, count: int, fmt: str) -> Optional[str]:
        """A label longer than ``Limits.max_list_label_chars`` is not printed (said once per list)."""
        if num_id not in self._too_long_said:
            self._too_long_said.add(num_id)
            self.warnings.append(warning(
                "markup_simplified", page=None,
                detail=f"list {num_id} numbers its items from {count} in {fmt}: a label longer than "
                       f"{self._max_label} characters is not printed"))
        return None

    @staticmethod
    def _start(levels: dict[int, etree._Element], overrides: dict[int, int], ilvl: int) -> int:
        if ilvl in overrides:
            return overrides[ilvl]
        lvl = levels.get(ilvl)
        start = int_val(wchild(lvl, "start")) if lvl is not None else None
        return 1 if start is None else start
