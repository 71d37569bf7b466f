"""Markdown from PDF/OCR converters (MinerU, Docling, markitdown, LLM pipelines) → Document.

Recognised by its syntax, whatever the file is called: ATX headings (``## 一、总体情况``)
and pipe-table delimiter rows (``|---|---|``). What converters leave is read as follows:

- a heading becomes a Paragraph without its ``#`` marks (level in ``hints["md_heading"]``);
  converters also make headings of bold paragraphs (``### 三是提高解读效能。``), so the
  level is a hint only — the layout decides what is a section head;
- each pipe table becomes a :class:`Table` (``rectangular=False`` when its rows differ
  in length); the delimiter row is dropped. We split rows ourselves instead of using
  a CommonMark/GFM parser because GFM cuts every row to the header's cell count,
  and converters write ragged rows under generic or wrong headers;
- HTML left inside the Markdown (``<table>…</table>``, ``<br>``) is read by the HTML
  reader's own block walker (:mod:`.html_blocks`);
- page footers (``— 1 —``, ``- 2 -``, ``第 3 页``) are dropped, and a paragraph a page
  break cut mid-sentence is joined again;
- ``**bold**`` marks are removed from text (the paragraph gets ``hints["bold"]``).

An archiver's header and page chrome are handled as in the text reader (:mod:`.page_meta`).
The Document's format is ``txt`` (the canonical JSON's format); ``meta["syntax"]`` says
``markdown``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..document import Document, Paragraph, Table
from ..encoding import decode_text, looks_binary, replaced_warning
from ..errors import ExtractError, warning
from ..limits import DEFAULT_LIMITS as LIMITS
from ..source import Source
from ..textnorm import NUMBERED
from . import Reader
from .page_meta import split_page

if TYPE_CHECKING:
    from ..document import Block

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_DELIM_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")
_HTML_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_HTML_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^<>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_THEMATIC = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
#: a paragraph ending in one of these is complete; otherwise a page break may have cut it
_COMPLETE = "。！？!?；;：:”’」』）)】》…"
#: a cut paragraph is at least this long (a short line without a stop is a heading)
JOIN_MIN_CHARS = 30
#: the sniffer needs this many ATX heading lines when the head has no pipe table
SNIFF_MIN_HEADINGS = 2


def looks_like_markdown(text: str) -> bool:
    """ATX headings or a pipe-table delimiter row, in text that is not an HTML page."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<"):
        return False
    headings = 0
    for line in stripped.splitlines():
        if _ATX.match(line) and not line.lstrip().startswith("#!"):
            headings += 1
        elif _delimiter_row(line):
            return True
    return headings >= SNIFF_MIN_HEADINGS


class MarkdownReader(Reader):
    format = "md"
    priority = 25  # before HTML: converter Markdown may hold <table> fragments
    extensions = ("md", "markdown")

    def accepts(self, source: Source) -> bool:
        head = source.head
        if not head or looks_binary(head):
            return False
        from .html_decode import is_mhtml

        if is_mhtml(head):  # a saved web page archive, whatever its body holds
            return False
        try:
            text = head.decode("utf-8", errors="ignore")
        except LookupError:  # pragma: no cover
            return False
        return looks_like_markdown(text)

    def read(self, source: Source) -> Document:
        if looks_binary(source.head):
            raise ExtractError("unsupported_format", "binary data, not text", source.name)
        decoded = decode_text(source.data, name=source.name)
        doc = read_markdown(decoded.text, source.name, {"encoding": decoded.encoding})
        doc.warnings[:0] = [w for w in (replaced_warning(decoded),) if w]
        return doc


def read_markdown(text: str, name: str | None = None, meta: dict[str, Any] | None = None) -> Document:
    """The Document of Markdown text (also used by the text reader when it sniffs Markdown)."""
    if not text.strip():
        raise ExtractError("empty", "the file holds no text", name)
    page = split_page(text)
    parser = _Parser()
    blocks = parser.parse(page.lines)
    if not blocks:
        raise ExtractError("empty", "the file holds no report text", name)
    meta = {**(meta or {}), "syntax": "markdown", **page.meta}
    return Document(blocks=blocks, format="md", warnings=parser.warnings, meta=meta)


def _delimiter_row(line: str) -> bool:
    s = line.strip()
    if "|" not in s or "-" not in s:
        return False
    cells = _split_row(s)
    return len(cells) >= 1 and all(_DELIM_CELL.match(c) for c in cells)


def _split_row(line: str) -> list[str]:
    """Cells of a pipe-table row: outer pipes optional, ``\\|`` is a literal pipe."""
    s = line.strip()
    s = s.removeprefix("|")
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [c.replace("\\|", "|").strip() for c in cells]


def _is_table_line(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2


def inline_text(text: str) -> tuple[str, bool]:
    """Text without Markdown emphasis and HTML tags (``<br>`` is a line break);
    also says whether the whole text was bold."""
    s = text.strip()
    bold = bool(re.fullmatch(r"(\*\*|__).+\1", s))
    s = _EMPHASIS.sub(r"\2", s)
    s = _BR.sub("\n", s)
    s = _HTML_TAG.sub("", s)
    s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return s.strip(), bold


class _Parser:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.warnings: list[dict[str, Any]] = []
        self._open: Paragraph | None = None  # a paragraph a page break may continue

    def parse(self, lines: list[str]) -> list[Block]:
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            if _HTML_TABLE_OPEN.search(line):
                i = self._html_table(lines, i)
                continue
            if _is_table_line(line):
                i = self._pipe_table(lines, i)
                continue
            self._line(line, i)
            i += 1
        return self.blocks

    # -- text lines -----------------------------------------------------------
    def _line(self, line: str, i: int) -> None:
        if not line.strip():
            return  # a blank line ends nothing by itself: a page break may follow
        if _THEMATIC.match(line):
            self._open = None
            return
        m = _ATX.match(line)
        if m:
            text, _ = inline_text(m.group(2))
            if text:
                level = len(m.group(1))
                self._add(Paragraph(text=text, hints={"md_heading": level, "line": i + 1}), joinable=False)
            return
        s = line.strip()
        while s.startswith(">"):  # block quote
            s = s[1:].lstrip()
        s = re.sub(r"^[-*+]\s+(?=\S)", "", s)  # list bullets (numbering such as 1) stays)
        text, bold = inline_text(s)
        for k, part in enumerate(text.split("\n")):
            part = part.strip()
            if not part:
                continue
            if k == 0 and self._open is not None and self._continues(part):
                self._open.text += part
                continue
            hints: dict[str, Any] = {"line": i + 1}
            if bold:
                hints["bold"] = True
            self._add(Paragraph(text=part, hints=hints), joinable=True)

    def _continues(self, part: str) -> bool:
        prev = self._open.text if self._open else ""
        return len(prev) >= JOIN_MIN_CHARS and prev[-1] not in _COMPLETE and not _ATX.match(part) \
            and not NUMBERED.match(part)

    def _add(self, block, joinable: bool) -> None:
        self.blocks.append(block)
        self._open = block if joinable else None

    # -- tables ---------------------------------------------------------------
    def _pipe_table(self, lines: list[str], i: int) -> int:
        rows: list[list[str]] = []
        cells, cut = 0, False
        while i < len(lines) and (_is_table_line(lines[i]) or _delimiter_row(lines[i])):
            if not cut and not _delimiter_row(lines[i]):
                row = _split_row(lines[i])
                cells += len(row)
                if cells > LIMITS.max_table_cells:  # the rest of the table is read past, not kept
                    cut = True
                    self.warnings.append(warning(
                        "truncated", detail=f"a table of more than {LIMITS.max_table_cells} cells: "
                                            f"only the first {len(rows)} rows read"))
                else:
                    rows.append([inline_text(c)[0] for c in row])
            i += 1
        if rows:
            rectangular = len({len(r) for r in rows}) == 1
            self._add(Table.from_rows(rows, rectangular=rectangular), joinable=False)
        return i

    def _html_table(self, lines: list[str], i: int) -> int:
        """Lines from ``<table`` to ``</table>`` (or the end), read by the HTML reader's walker;
        text before the table on its first line is an ordinary line."""
        start = i
        first = lines[i]
        m = _HTML_TABLE_OPEN.search(first)
        before = first[:m.start()]
        if before.strip():
            self._line(before, i)
        chunk = [first[m.start():]]
        while not _HTML_TABLE_CLOSE.search(chunk[-1]) and i + 1 < len(lines):
            i += 1
            chunk.append(lines[i])
        html = "\n".join(chunk)
        close = _HTML_TABLE_CLOSE.search(html)
        after = html[close.end():] if close else ""
        if close:
            html = html[:close.end()]
        for block in html_fragment_blocks(html, self.warnings):
            self._add(block, joinable=False)
        if after.strip():
            self._line(after, i)
        return max(i + 1, start + 1)


def html_fragment_blocks(html: str, warnings: list[dict[str, Any]]) -> list[Block]:
    """Blocks of an HTML fragment, walked as the HTML reader walks a page (every table
    in a fragment is data: a converter does not write layout tables)."""
    from .html_blocks import BlockWriter
    from .html_tree import parse

    root, more = parse(f"<html><body>{html}</body></html>")
    warnings.extend(more)
    body = root.find("body")
    writer = BlockWriter(lambda el: True)
    writer.walk(body if body is not None else root)
    warnings.extend(writer.warnings)
    return writer.blocks
