"""Plain text, including the flattened form of scraped web pages.

An archiver's header lines (标题: / 发布时间: / 原文链接: / ==== 正文 ====) go to
``Document.meta`` and page chrome lines are dropped (:mod:`.page_meta`); the body is
read as below. In the flattened form a line holding only ``|`` starts a table row and each cell
is text ending in `` |``, possibly over several lines (``商业\\n企业 |``). Any
other line is a paragraph. Text with no table markup still yields paragraphs,
so sections can be found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..document import Cell, Document, Paragraph, Table
from ..encoding import decode_text, looks_binary, replaced_warning
from ..errors import ExtractError, warning
from ..limits import DEFAULT_LIMITS, Limits, require_positive
from ..source import Source
from ..textnorm import TOP_NUMBERED, split_run_on
from ..values import TEXT, parse_cell
from . import Reader
from .markdown import looks_like_markdown, read_markdown
from .page_meta import split_page

if TYPE_CHECKING:
    from ..document import Block


@dataclass(frozen=True)
class PlainTextSettings:
    """The tolerances of reading plain text, in one place (validated when built)."""

    #: a cell's text may run over at most this many lines before we decide the
    #: table has ended and the lines are ordinary paragraphs
    cell_max_lines: int = 8
    #: lines longer than this may be several paragraphs a scraper ran together
    run_on_min_chars: int = 300
    #: a table row written with spaces (no ``|`` markup) is at most this long ...
    row_max_chars: int = 400
    #: ... a row of bare values (no label) holds at least this many (the review
    #: table's one row of fifteen numbers)
    bare_values_min: int = 5
    #: ... a label with one value is a row when its line is at most this long
    one_value_row_max_chars: int = 40
    #: a header row is at most this many label words, its line at most this long
    header_max_words: int = 20
    header_max_chars: int = 120
    #: a lone label line between rows (continuing a table) is at most this long
    lone_label_max_chars: int = 30

    def __post_init__(self) -> None:
        require_positive(self)


#: the settings the reader uses (replace with another PlainTextSettings to change them)
SETTINGS = PlainTextSettings()


class TextReader(Reader):
    format = "txt"
    priority = 90  # the catch-all: anything that decodes as text
    extensions = ("txt", "text")

    def accepts(self, source: Source) -> bool:
        if not source.data or looks_binary(source.head):
            return False
        # structured data is not a report, even when its strings are Chinese
        # (our own expected-values files, exported JSON, XML feeds)
        head = source.head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return not head.startswith((b"{", b"[", b"<?xml"))

    def read(self, source: Source) -> Document:
        if looks_binary(source.head):
            raise ExtractError("unsupported_format", "binary data, not text", source.name)
        decoded = decode_text(source.data, name=source.name)
        text = decoded.text
        if not text.strip():
            raise ExtractError("empty", "the text file holds no text", source.name)
        warnings = [w for w in (replaced_warning(decoded),) if w]
        meta = {"encoding": decoded.encoding}
        if looks_like_markdown(text[:8192]):  # a format hint "txt" on converter Markdown
            doc = read_markdown(text, source.name, meta)
            doc.warnings[:0] = warnings
            return doc
        page = split_page(text)
        blocks = parse_lines(page.lines, warnings)
        if not blocks:
            raise ExtractError("empty", "the text file holds no report text", source.name)
        return Document(blocks=blocks, format="txt", warnings=warnings, meta={**meta, **page.meta})


def _is_row_start(line: str) -> bool:
    # exactly "|": a blank cell is " |" and must not start a row
    return line.rstrip() == "|"


def _ends_cell(line: str) -> bool:
    s = line.rstrip()
    return s.endswith((" |", "\u3000|"))


def parse_flattened(text: str, warnings: list[dict[str, Any]] | None = None, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """Split text into paragraphs and tables of the flattened form."""
    return parse_lines(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), warnings, limits)


def parse_lines(lines: list[str], warnings: list[dict[str, Any]] | None = None, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """Paragraphs and tables of the flattened form, from the text's lines (at most
    ``limits.max_lines`` lines; a ``truncated`` warning says when more were dropped)."""
    if len(lines) > limits.max_lines:
        if warnings is not None:
            warnings.append(warning("truncated", detail=f"{len(lines)} lines: only the first "
                                                        f"{limits.max_lines} read"))
        lines = lines[:limits.max_lines]
    blocks: list[Block] = []
    i, n = 0, len(lines)
    # lines before this index start no spaced table: a failed attempt from line i
    # that scanned to line j fails from every line in between too (its counts of
    # value and header rows are a subset), so trying again from each would be quadratic
    no_spaced_table_before = 0
    while i < n:
        if _is_row_start(lines[i]):
            table, i = _read_table(lines, i)  # past the lone "|" when no row followed
            if table is not None:
                blocks.append(_bounded(table, warnings, limits))
            continue
        if i >= no_spaced_table_before and (_value_row(lines[i]) or _header_row(lines[i])):
            table, j = _read_spaced_table(lines, i)
            if table is not None:
                blocks.append(_bounded(table, warnings, limits))
                i = j
                continue
            no_spaced_table_before = j
        line = lines[i].strip()
        if len(line) > SETTINGS.run_on_min_chars:
            for part in split_run_on(line):
                blocks.append(Paragraph(text=part, hints={"line": i + 1}))
        elif line:
            blocks.append(Paragraph(text=line, hints={"line": i + 1}))
        i += 1
    return blocks


def _bounded(table: Table, warnings: list[dict[str, Any]] | None, limits: Limits) -> Table:
    """The table's first rows holding at most ``limits.max_table_cells`` cells (``truncated``)."""
    total, keep = 0, len(table.grid)
    for r, row in enumerate(table.grid):
        total += len(row)
        if total > limits.max_table_cells:
            keep = r
            break
    if keep == len(table.grid):
        return table
    if warnings is not None:
        warnings.append(warning("truncated", detail=f"a table of more than {limits.max_table_cells} cells: "
                                                    f"only the first {keep} rows read"))
    return Table(grid=table.grid[:keep], rectangular=False)


def _read_cell(lines: list[str], i: int):
    """Read one cell starting at line ``i``; return (text, next_index) or None."""
    parts = []
    j = i
    while j < len(lines) and j - i < SETTINGS.cell_max_lines:
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


def _read_table(lines: list[str], i: int):
    rows: list[list[str]] = []
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


# --------------------------------------------------------------------------- spaced rows
# A scraper that ran a row's cells together leaves "行政许可 1526" or
# "三、本年度办理结果 （一）予以公开 2 1 0 0 0 0 3": label words, then values, split
# by whitespace. Runs of such lines (with their label-only header lines) become a
# ragged table; the layout maps it by labels like any other.

_SPACE = re.compile(r"[ \t\u3000\u00a0]+")
_SENTENCE = re.compile(r"[。；;！？!?]|[，,].*[，,]")
_PARENS = re.compile(r"[（(][^（()）]*[）)]")


def _tokens(line: str) -> list[str]:
    return [t for t in _SPACE.split(line.strip()) if t]


def _sentence_like(line: str) -> bool:
    """Prose, not a row: sentence punctuation outside parenthesised label notes."""
    return bool(_SENTENCE.search(_PARENS.sub("", line)))


def _value_row(line: str) -> bool:
    """Label words followed by values (or a long run of bare values), nothing sentence-like."""
    st = SETTINGS
    toks = _tokens(line)
    if len(toks) < 2 or len(line) > st.row_max_chars or _sentence_like(line):
        return False
    k = len(toks)
    while k > 0 and parse_cell(toks[k - 1]).is_value:
        k -= 1
    values = len(toks) - k
    if k == 0:
        return values >= st.bare_values_min
    return values >= 2 or (values == 1 and len(line.strip()) <= st.one_value_row_max_chars)


def _header_row(line: str) -> bool:
    """Two or more short label words (信息内容 本年制发件数 本年废止件数 …)."""
    toks = _tokens(line)
    return (2 <= len(toks) <= SETTINGS.header_max_words and len(line.strip()) <= SETTINGS.header_max_chars
            and not _sentence_like(line)
            and not TOP_NUMBERED.match(line.strip()) and all(parse_cell(t).kind == TEXT for t in toks))


def _read_spaced_table(lines: list[str], i: int):
    """A run of value rows, allowing header rows and lone short labels between them."""
    rows, j, values, headers = [], i, 0, 0
    while j < len(lines):
        line = lines[j].strip()
        if not line:
            j += 1
            continue
        if _value_row(line):
            values += 1
        elif _header_row(line):
            headers += 1
        elif TOP_NUMBERED.match(line) or not (len(line) <= SETTINGS.lone_label_max_chars and not _sentence_like(line)
                                          and _next_is_row(lines, j)):
            break
        rows.append((_tokens(line), j))
        j += 1
    if values < 2 and not (values and headers):
        return None, j  # where the scan stopped: no start before it can succeed either
    while rows and not any(parse_cell(t).is_value for t in rows[-1][0]):
        j = rows.pop()[1]  # a trailing label line belongs to the text after the table
    rows = [toks for toks, _ in rows]
    grid = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(grid=grid, rectangular=False), j


def _next_is_row(lines: list[str], j: int) -> bool:
    for k in range(j + 1, min(j + 3, len(lines))):
        if lines[k].strip():
            return _value_row(lines[k]) or _header_row(lines[k])
    return False
