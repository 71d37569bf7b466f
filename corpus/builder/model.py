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


@dataclass
class TableSpec:
    name: str  # "proactive" | "requests" | "review_litigation"
    rows: list  # list[list[GridCell]]: each row holds the cells whose span starts in it
    #: rows that repeat as a header when the table crosses a page (PDF/DOCX renderers)
    header_rows: int = 0


@dataclass
class Subsection:
    heading: str  # as printed, e.g. "（一）组织领导"
    paragraphs: list  # list[str]
    inline: bool = False  # heading run into the first paragraph: "（一）组织领导。为深入…"


@dataclass
class SectionSpec:
    id: str  # overview | proactive | requests | review_litigation | problems | other
    heading: str  # as printed, e.g. "一、总体情况" or "第一部分 概述"
    #: body in order: a str is a paragraph, a Subsection or a TableSpec a block
    body: list = field(default_factory=list)
    inline: bool = False  # heading run into the first paragraph of body


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
