"""Cell text → value, per the contract: numbers, null for blanks and placeholders,
and an explicit "unparsed" outcome instead of a guess.

Shared by the readers (telling a row's values from its labels) and the layout
stages (the values themselves), so both agree on what a value looks like."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

from .limits import DEFAULT_LIMITS
from .textnorm import nfkc

Number = Union[int, float]

NUMBER, PLACEHOLDER, BLANK, TEXT = "number", "placeholder", "blank", "text"

_PLACEHOLDERS = {"—", "——", "-", "--", "---", "–", "―", "─", "一", "/", "\\", "无", "空", "/ /",
                 "—-", "-—", "...", "…", "……", "·", "×", "x", "X", "N/A", "n/a", "NA", "不适用"}
#: placeholder marks that may stand for a zero/empty cell one mark per cell: a run of
#: them printed together (``198————27``, ``／／／``) is several null cells, as many as the
#: template's column count leaves room for. A dash may also be printed doubled for one
#: cell (``——``), so a run of k dashes is between ceil(k/2) and k cells; a slash is one.
DASH_MARKS = "—–―－─-"
SLASH_MARKS = "/／"
PLACEHOLDER_MARKS = DASH_MARKS + SLASH_MARKS


def mark_cells(token: str) -> tuple[int, int] | None:
    """(fewest, most) null cells a run of placeholder marks stands for; None when the
    token is not a run of marks."""
    if not token or any(ch not in PLACEHOLDER_MARKS for ch in token):
        return None
    dashes = sum(1 for ch in token if ch in DASH_MARKS)
    return len(token) - dashes + (dashes + 1) // 2, len(token)


#: words printed for a sign before a number (``减少328`` is -328 where the column is signed)
SIGN_WORDS = ("增加", "减少", "新增", "增", "减")
_SIGN_WORDS = "|".join(SIGN_WORDS)
NEGATIVE_WORDS = ("减少", "减")


#: units printed after a value (件, 万元 …); other modules build on this one pattern
UNITS = r"(?:件|条|个|项|万元|元|次|人|份|家|篇|起|宗|例|户|本|张|批)"
#: the units that may follow a value inside running text (flattened tables), where the
#: wider set would eat the next label's first character (``1.本机关不掌握…``)
RUNNING_UNITS = r"(?:万元|元|件|个|条|项|次)"
_UNITS = UNITS
_NUM = re.compile(
    r"^(?P<sign>[+\-±]|" + _SIGN_WORDS + r")?\s*(?P<num>\d+(?:\.\d+)?)\s*" + _UNITS + r"?\s*"
    r"(?P<note>[(\[【].*[)\]】])?\s*$"
)
_ZERO_WORDS = {"〇": 0, "零": 0, "0": 0}
_UNCHANGED = {"持平", "不变", "无变化"}


@dataclass(frozen=True)
class CellValue:
    value: Optional[Number]
    kind: str  # number | placeholder | blank | text

    @property
    def is_value(self) -> bool:
        """Anything that may stand in a value column (not a label)."""
        return self.kind != TEXT


def parse_cell(text: Optional[str]) -> CellValue:
    """Parse one table cell.

    >>> parse_cell("1,234").value, parse_cell("２２（其中修订16件）").value, parse_cell("—").kind
    (1234, 22, 'placeholder')
    """
    if text is None:
        return CellValue(None, BLANK)
    s = nfkc(text)
    s = re.sub(r"\s+", "", s)
    if not s:
        return CellValue(None, BLANK)
    if s in _PLACEHOLDERS or re.fullmatch(r"[—\-–―/\\一_.·]+", s):
        return CellValue(None, PLACEHOLDER)
    if s in _ZERO_WORDS:
        return CellValue(0, NUMBER)
    if s in _UNCHANGED:
        return CellValue(0, NUMBER)
    s = s.replace("〇", "0")
    # thousands separators: 1,234 / 1,234,567 (after NFKC full-width commas are ASCII)
    s = re.sub(r"(?<=\d),(?=\d{3}(?:\D|$))", "", s)
    m = _NUM.match(s)
    if not m:
        return CellValue(None, TEXT)
    num = m.group("num")
    if len(num) - ("." in num) > DEFAULT_LIMITS.max_number_digits:
        # more digits than any printed figure: no value (never an infinite float, nor
        # Python's 4,300-digit int limit); the value columns make it cell_unparsed
        return CellValue(None, TEXT)
    value: Number = float(num) if "." in num else int(num)
    sign = m.group("sign") or ""
    if sign == "-" or sign in NEGATIVE_WORDS:
        value = -value
    return CellValue(value, NUMBER)
