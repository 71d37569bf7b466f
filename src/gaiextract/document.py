"""The common document model every reader produces.

A :class:`Document` is an ordered stream of blocks — :class:`Paragraph` and
:class:`Table` — in reading order. Nothing here knows the file format or the
report template: readers fill it, the layout stages read it.

Tables are rectangular grids after span expansion: ``table.grid[r][c]`` is the
:class:`Cell` covering that position, so a cell spanning two rows appears at both
positions (the *same object*); ``cell.row``/``cell.col`` give its span origin.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, Sequence, Union

from .errors import ReportWarning

BBox = tuple[float, float, float, float]  # (x0, top, x1, bottom) in PDF points, origin top-left


@dataclass
class Paragraph:
    """A paragraph of text. ``hints`` carries formatting clues readers know:
    ``bold`` (bool), ``font_size`` (float), ``outline_level`` (int, 0 = top),
    ``style`` (str, e.g. "Heading 1"), ``align`` ("center"…)."""

    text: str
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    hints: dict[str, Any] = field(default_factory=dict)

    kind = "paragraph"


@dataclass(eq=False)
class Cell:
    """One table cell at its span origin (``row``, ``col``)."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    #: OCR only: the recogniser's lowest score (0–1) for the text in the cell, and
    #: whether a number in it scored too low to be sure of (see readers/ocr.py)
    confidence: Optional[float] = None
    uncertain: bool = False

    def is_origin(self, r: int, c: int) -> bool:
        return r == self.row and c == self.col


@dataclass
class Table:
    """A rectangular grid of cells; spanned positions share one Cell object."""

    grid: list[list[Cell]]
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    #: False when the source gives no column geometry (flattened text): rows
    #: then hold only their own cells, left to right, and may differ in length.
    rectangular: bool = True
    #: "ocr" when the table was read from a page image
    origin: Optional[str] = None

    kind = "table"

    @property
    def n_rows(self) -> int:
        return len(self.grid)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.grid), default=0)

    def row_cells(self, r: int) -> list[Cell]:
        """The distinct cells that *start* in row ``r``, left to right."""
        # by id, in order of first sight: a spanned cell fills several positions of a row
        return list({id(cell): cell for cell in self.grid[r] if cell is not None and cell.row == r}.values())

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], page: Optional[int] = None, **kw) -> "Table":
        """Build a grid from rows of ``(text, rowspan, colspan)`` or plain strings,
        expanding spans the way HTML tables do (occupied slots are skipped)."""
        grid: list[list[Any]] = []
        for r, row in enumerate(rows):
            while len(grid) <= r:
                grid.append([])
            c = 0
            for item in row:
                text, rs, cs, extra = _cell_spec(item)
                while c < len(grid[r]) and grid[r][c] is not None:
                    c += 1
                cell = Cell(text=text, row=r, col=c, rowspan=rs, colspan=cs,
                            page=extra.get("page", page), bbox=extra.get("bbox"))
                for dr in range(rs):
                    while len(grid) <= r + dr:
                        grid.append([])
                    line = grid[r + dr]
                    while len(line) < c + cs:
                        line.append(None)
                    for dc in range(cs):
                        line[c + dc] = cell
                c += cs
        if not kw.get("rectangular", True):  # ragged rows stay as they are
            for line in grid:
                line[:] = [c for c in line if c is not None]
            return cls(grid=grid, page=page, **kw)
        width = max((len(r) for r in grid), default=0)
        for r, line in enumerate(grid):
            for c in range(width):
                if c >= len(line):
                    line.append(None)
                if line[c] is None:  # a hole: fill with an empty cell of its own
                    line[c] = Cell(text="", row=r, col=c, page=page)
        return cls(grid=grid, page=page, **kw)


def _cell_spec(item):
    if isinstance(item, Cell):
        return item.text, item.rowspan, item.colspan, {"page": item.page, "bbox": item.bbox}
    if isinstance(item, str):
        return item, 1, 1, {}
    if isinstance(item, dict):
        return item["text"], item.get("rowspan", 1), item.get("colspan", 1), item
    text, rs, cs = (tuple(item) + (1, 1))[:3]
    return text, rs or 1, cs or 1, {}


Block = Union[Paragraph, Table]


@dataclass
class Document:
    """What a reader returns: blocks in reading order plus source facts."""

    blocks: list[Block] = field(default_factory=list)
    format: str = "txt"          # pdf | docx | html | txt
    pages: Optional[int] = None  # page count where the format has pages
    #: reader findings that are not fatal (report warnings, built by errors.warning),
    #: e.g. warning("garbled_text", page=3, detail="…")
    warnings: list[ReportWarning] = field(default_factory=list)
    #: format facts worth keeping, e.g. {"encoding": "gb18030"}
    meta: dict[str, Any] = field(default_factory=dict)
    #: OCR pages only: ``reread(page, bbox, dpi) -> text`` reads a box of a page
    #: again at another resolution (readers/ocr.py ``Rereader``; not serialised)
    reread: Optional[Callable[[int, BBox, int], str]] = field(default=None, repr=False, compare=False)

    def paragraphs(self) -> Iterator[Paragraph]:
        return (b for b in self.blocks if isinstance(b, Paragraph))

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))
