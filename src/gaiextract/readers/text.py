"""Plain text, including the flattened form of scraped web pages.

In the flattened form a line holding only ``|`` starts a table row and each cell
is text ending in `` |``, possibly over several lines (``商业\\n企业 |``). Any
other line is a paragraph. Text with no table markup still yields paragraphs,
so sections can be found.
"""
from __future__ import annotations

from ..document import Cell, Document, Paragraph, Table
from ..encoding import decode, looks_binary
from ..errors import ExtractError
from ..source import Source
from ..textnorm import split_run_on
from . import Reader

#: a cell's text may run over at most this many lines before we decide the
#: table has ended and the lines are ordinary paragraphs
_MAX_CELL_LINES = 8
#: lines longer than this may be several paragraphs a scraper ran together
RUN_ON_MIN = 300


class TextReader(Reader):
    format = "txt"
    priority = 90  # the catch-all: anything that decodes as text
    extensions = ("txt", "text")

    def accepts(self, source: Source) -> bool:
        return bool(source.data) and not looks_binary(source.head)

    def read(self, source: Source) -> Document:
        if looks_binary(source.head):
            raise ExtractError("unsupported_format", "binary data, not text", source.name)
        text, encoding = decode(source.data, name=source.name)
        if not text.strip():
            raise ExtractError("empty", "the text file holds no text", source.name)
        blocks = parse_flattened(text)
        return Document(blocks=blocks, format="txt", meta={"encoding": encoding})


def _is_row_start(line: str) -> bool:
    # exactly "|": a blank cell is " |" and must not start a row
    return line.rstrip() == "|"


def _ends_cell(line: str) -> bool:
    s = line.rstrip()
    return s.endswith(" |") or s.endswith("\u3000|")


def parse_flattened(text: str) -> list:
    """Split text into paragraphs and tables of the flattened form."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list = []
    i, n = 0, len(lines)
    while i < n:
        if _is_row_start(lines[i]):
            table, i = _read_table(lines, i)
            if table is not None:
                blocks.append(table)
                continue
        line = lines[i].strip()
        if len(line) > RUN_ON_MIN:
            for part in split_run_on(line):
                blocks.append(Paragraph(text=part, hints={"line": i + 1}))
        elif line:
            blocks.append(Paragraph(text=line, hints={"line": i + 1}))
        i += 1
    return blocks


def _read_cell(lines: list, i: int):
    """Read one cell starting at line ``i``; return (text, next_index) or None."""
    parts = []
    j = i
    while j < len(lines) and j - i < _MAX_CELL_LINES:
        line = lines[j]
        if _is_row_start(line):
            return None
        if _ends_cell(line):
            parts.append(line.rstrip()[:-1].rstrip())
            return "\n".join(parts), j + 1
        if not line.strip() and not parts:
            return None
        parts.append(line.strip())
        j += 1
    return None


def _read_table(lines: list, i: int):
    rows: list = []
    first_line = i
    while i < len(lines) and _is_row_start(lines[i]):
        i += 1
        row = []
        while i < len(lines):
            got = _read_cell(lines, i)
            if got is None:
                break
            text, i = got
            row.append(text)
        rows.append(row)
    rows = [r for r in rows if r]
    if not rows:
        return None, first_line + 1
    grid = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(grid=grid, rectangular=False), i
