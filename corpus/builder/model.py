"""What a synthetic report *is*, independent of any file format.

Renderers read these objects and nothing else; the expected JSON is written from
them by the content generator, never from gaiextract's output.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass
class GridCell:
    """One table cell at its origin, HTML style: rows list only the cells that start in them."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a label cell in a header row (renderers may bold it / use <th>)
    #: canonical key of a value cell ("new.total"); None for label cells. Renderers ignore it;
    #: tests use it to prove every expected value is printed exactly once.
    key: Optional[str] = None


@dataclass
class TableSpec:
    name: str  # "proactive" | "requests" | "review_litigation"
    rows: list  # list[list[GridCell]]: each row holds the cells whose span starts in it
    #: rows that repeat as a header when the table crosses a page (PDF/DOCX renderers)
    header_rows: int = 0

    def width(self) -> int:
        return len(self.expanded()[0]) if self.rows else 0

    def expanded(self) -> list:
        """The rectangular grid after span expansion: grid[r][c] -> (GridCell, is_origin)."""
        grid: dict = {}
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in grid:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        grid[(r + dr, c + dc)] = (cell, dr == 0 and dc == 0)
                c += cell.colspan
        nrows = max(r for r, _ in grid) + 1
        ncols = max(c for _, c in grid) + 1
        return [[grid.get((r, c), (GridCell(""), True)) for c in range(ncols)] for r in range(nrows)]

    def flattened(self, repeat_labels: bool = True) -> "TableSpec":
        """The same table as Word tables that never merge: every span split into 1×1 cells.

        A label cell is repeated in every position it covered (or left blank there when
        ``repeat_labels`` is false); a value cell keeps its value at its origin only and its
        other positions become empty cells — a value is never printed twice.
        """
        rows = []
        for grid_row in self.expanded():
            out = []
            for cell, origin in grid_row:
                if origin:
                    out.append(GridCell(cell.text, header=cell.header, key=cell.key))
                elif cell.key is None and repeat_labels:
                    out.append(GridCell(cell.text, header=cell.header))
                else:
                    out.append(GridCell("", header=cell.header))
            rows.append(out)
        return TableSpec(self.name, rows, self.header_rows)


@dataclass
class Subsection:
    heading: str  # as printed, e.g. "（一）组织领导"
    paragraphs: list  # list[str]
    inline: bool = False  # heading run into the first paragraph: "（一）组织领导。为深入…"
    inline_sep: str = "。"  # what joins an inline heading to its paragraph

    def printed_paragraphs(self) -> list:
        """The paragraphs as printed: heading on its own line, or run into the first one."""
        if self.inline and self.paragraphs:
            return [self.heading + self.inline_sep + self.paragraphs[0]] + list(self.paragraphs[1:])
        return [self.heading] + list(self.paragraphs)


@dataclass
class SectionSpec:
    id: str  # overview | proactive | requests | review_litigation | problems | other
    heading: str  # as printed, e.g. "一、总体情况" or "第一部分 概述"
    #: body in order: a str is a paragraph, a Subsection or a TableSpec a block
    body: list = field(default_factory=list)
    inline: bool = False  # heading run into the first paragraph of body
    inline_sep: str = "。"  # what joins an inline heading to its paragraph

    def printed_blocks(self) -> list:
        """Heading and body as printed, in order: str paragraphs (the heading one of them,
        or run into the first paragraph when ``inline``), Subsection and TableSpec blocks."""
        body = list(self.body)
        if self.inline and body and isinstance(body[0], str):
            return [self.heading + self.inline_sep + body[0]] + body[1:]
        return [self.heading] + body


Block = Union[str, Subsection, TableSpec]


@dataclass
class ReportSpec:
    doc_id: str
    edition: str  # "2021" | "2019"
    title_lines: list  # how the title is printed: [] (no title), one line, or two lines
    meta_lines: list  # scraped page metadata printed before the title (标题:…, 发布时间:…)
    preamble: list  # paragraphs before the first section
    sections: list  # list[SectionSpec] in printed order
    expected: dict  # compare_expected shape (report, section_ids, tables, fees, …)
    #: free-form rendering choices made by the generator (e.g. {"table_style": "merged"});
    #: renderers may read them, e.g. to pick a page size or font
    style: dict = field(default_factory=dict)
    agency: Optional[str] = None
    year: Optional[int] = None

    def tables(self):
        for s in self.sections:
            for b in s.body:
                if isinstance(b, TableSpec):
                    yield b
