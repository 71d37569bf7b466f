"""What the inspection page shows, gathered in one object the page writers read."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from .images import PageImage
from .locate import HeadingMark
from .marks import CellMark, CheckView


@dataclass
class View:
    """Everything the page shows, gathered by :func:`gaiextract.inspect_view.inspect`."""

    report: dict[str, Any]
    marks: dict[str, CellMark]
    checks: list[CheckView]
    document: Document | None = None
    headings: list[HeadingMark] = field(default_factory=list)
    cell_keys: dict[int, list[str]] = field(default_factory=dict)   # id(Cell) -> keys (non-PDF)
    images: dict[int, PageImage] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)                  # PDF pages to show
    notes: list[str] = field(default_factory=list)                  # said at the top of the page
