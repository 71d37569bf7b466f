"""Cell text → value, per the contract: numbers, null for blanks and placeholders,
and an explicit "unparsed" outcome instead of a guess.

Shared by the readers (telling a row's values from its labels) and the layout
stages (the values themselves), so both agree on what a value looks like."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from .grammar import GrammarError, shipped_file
from .limits import DEFAULT_LIMITS
from .textnorm import nfkc

Number = Union[int, float]

NUMBER, PLACEHOLDER, BLANK, TEXT = "number", "placeholder", "blank", "text"


@dataclass(frozen=True)
class CellWords:
    """What a cell may hold besides digits (``grammars/cells.toml``, its one home)."""

    placeholders: frozenset[str]
    placeholder_chars: str
    dash_marks: str
    slash_marks: str
    sign_words: tuple[str, ...]
    negative_words: tuple[str, ...]
    zero_words: tuple[str, ...]
    unchanged_words: tuple[str, ...]
    units: tuple[str, ...]
    running_units: tuple[str, ...]

    @classmethod
    def of(cls, data: dict[str, Any]) -> CellWords:
        """From the parsed file; GrammarError naming the key of a missing or mistyped entry."""
        def chars(key: str) -> str:
            v = data.get(key)
            if not isinstance(v, str) or not v:
                raise GrammarError(f"grammars/cells.toml: key {key}: must be a non-empty string")
            return v

        def words(key: str) -> tuple[str, ...]:
            v = data.get(key)
            if not isinstance(v, list) or not v or not all(isinstance(w, str) and w for w in v):
                raise GrammarError(f"grammars/cells.toml: key {key}: must be a list of non-empty strings")
            return tuple(v)

        out = cls(placeholders=frozenset(words("placeholders")), placeholder_chars=chars("placeholder_chars"),
                  dash_marks=chars("dash_marks"), slash_marks=chars("slash_marks"), sign_words=words("sign_words"),
                  negative_words=words("negative_words"), zero_words=words("zero_words"),
                  unchanged_words=words("unchanged_words"), units=words("units"),
                  running_units=words("running_units"))
        if not set(out.negative_words) <= set(out.sign_words):
            raise GrammarError("grammars/cells.toml: key negative_words: each must be one of sign_words")
        return out


#: the cell vocabulary, read once (the readers use it before a grammar is chosen)
WORDS = CellWords.of(shipped_file("cells.toml"))


def _alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


_PLACEHOLDERS = WORDS.placeholders
#: a cell made only of placeholder characters (a run of dashes, slashes, dots)
_PLACEHOLDER_RUN = re.compile("[" + re.escape(WORDS.placeholder_chars) + "]+")
#: placeholder marks that may stand for a zero/empty cell one mark per cell: a run of
#: them printed together is several null cells, as many as the template's column count
#: leaves room for; a run of k dashes is between ceil(k/2) and k cells, a slash is one
DASH_MARKS = WORDS.dash_marks
SLASH_MARKS = WORDS.slash_marks
PLACEHOLDER_MARKS = DASH_MARKS + SLASH_MARKS


def mark_cells(token: str) -> tuple[int, int] | None:
    """(fewest, most) null cells a run of placeholder marks stands for; None when the
    token is not a run of marks."""
    if not token or any(ch not in PLACEHOLDER_MARKS for ch in token):
        return None
    dashes = sum(1 for ch in token if ch in DASH_MARKS)
    return len(token) - dashes + (dashes + 1) // 2, len(token)


#: words printed for a sign before a number (a negative one makes it negative where the
#: column is signed)
SIGN_WORDS = WORDS.sign_words
_SIGN_WORDS = "|".join(re.escape(w) for w in SIGN_WORDS)
NEGATIVE_WORDS = WORDS.negative_words


#: units printed after a value; other modules build on this one pattern
UNITS = _alternation(WORDS.units)
#: the units that may follow a value inside running text (flattened tables), where the
#: wider set would eat the next label's first character
RUNNING_UNITS = _alternation(WORDS.running_units)
_UNITS = UNITS
_NUM = re.compile(
    r"^(?P<sign>[+\-±]|" + _SIGN_WORDS + r")?\s*(?P<num>\d+(?:\.\d+)?)\s*" + _UNITS + r"?\s*"
    r"(?P<note>[(\[【].*[)\]】])?\s*$"
)
_ZERO_WORDS = dict.fromkeys(WORDS.zero_words, 0)
_UNCHANGED = frozenset(WORDS.unchanged_words)


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
    if s in _PLACEHOLDERS or _PLACEHOLDER_RUN.fullmatch(s):
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
