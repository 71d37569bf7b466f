"""A mapped table: values by canonical key, each with the provenance of how it was placed.

Shared by the grid and stream aligners so that a value is recorded one way
whatever its source: ``raw`` as printed, ``label`` the row label as printed,
``row``/``col`` where a grid exists, and ``how`` (grid | stream | split).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from ..document import Cell
from ..errors import warning
from ..values import NUMBER, TEXT, Number
from ..values import parse_cell as _parse_cell
from .splits import SETTINGS as SPLITS
from .splits import SplitResult

#: the same cell texts recur in every table and every layout tried: each is read once
#: (``CellValue`` is frozen, so a cached one can be shared)
parse_cell = functools.lru_cache(maxsize=1 << 14)(_parse_cell)


@dataclass
class MappedTable:
    """One canonical table: values by key, with provenance and warnings."""

    name: str
    cells: dict[str, Number | None] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    page: int | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: identifying labels of the layout found (decides the edition)
    edition_hits: dict[str, bool] = field(default_factory=dict)
    #: how the table was read: "grid" or "stream"
    source: str = "grid"
    #: the edition of the layout it was read with (None: a layout of every edition)
    edition: str | None = None

    def put(self, key: str, cell: Cell, text: str | None = None, label: str | None = None) -> None:
        """A value from a grid cell."""
        raw = cell.text if text is None else text
        val = parse_cell(raw)
        if key in self.cells and self.cells[key] is not None and val.value is None:
            return  # a repeated header/continuation never erases a value
        self._unparsed(key, raw, val.kind)
        prov: dict[str, Any] = {"page": cell.page, "raw": raw, "row": cell.row, "col": cell.col, "how": "grid"}
        if label:
            prov["label"] = label
        if cell.bbox is not None:
            prov["bbox"] = [round(float(x), 2) for x in cell.bbox]
        if cell.confidence is not None:  # read from a page image (readers/ocr.py)
            prov["how"] = "ocr"
            if cell.uncertain and val.kind == NUMBER:
                self.warnings.append(warning("ocr_low_confidence", table=self.name, key=key, page=cell.page,
                                              detail=f"OCR read {raw!r} with confidence {cell.confidence}"))
        self.cells[key] = val.value
        self.provenance[key] = prov
        if self.page is None:
            self.page = cell.page

    def _unparsed(self, key: str, raw: str, kind: str) -> None:
        """The one place ``cell_unparsed`` is said: a value cell holding text."""
        if kind == TEXT:
            self.warnings.append(warning("cell_unparsed", table=self.name, key=key,
                                         detail=f"cannot read {raw!r} as a number"))

    def put_raw(self, key: str, raw: str, how: str, page: int | None = None, label: str | None = None) -> None:
        """A value printed as one token outside a grid cell (a stream, or one of several
        values in one grid cell): read as printed."""
        val = parse_cell(raw)
        if key in self.cells and self.cells[key] is not None and val.value is None:
            return
        self._unparsed(key, raw, val.kind)
        self.put_value(key, val.value, raw, how, page, label)

    def put_value(self, key: str, value: Number | None, raw: str, how: str, page: int | None = None,
                  label: str | None = None) -> None:
        """A value placed from a stream (read as printed, or split from a run of digits)."""
        if key in self.cells and self.cells[key] is not None and value is None:
            return
        prov: dict[str, Any] = {"page": page, "raw": raw, "how": how}
        if label:
            prov["label"] = label
        self.cells[key] = value
        self.provenance[key] = prov
        if self.page is None:
            self.page = page

    def ambiguous(self, key: str, candidates: list[Number | None], raw: str, page: int | None, label: str | None,
                  detail: str) -> None:
        """A cell the template's arithmetic cannot settle: null, with its candidates."""
        self.put_value(key, None, raw, "split", page, label)
        self.warnings.append(warning("cell_ambiguous", table=self.name, key=key, candidates=candidates,
                                     detail=detail))


def unsettled(mt: MappedTable, key: str, res: SplitResult, cands: list[Number | None], raw: str, page: int | None,
              label: str | None) -> None:
    """A cell of a run the split search could not settle: null, with why. Several fits:
    ``cell_ambiguous`` with the candidates; the bound reached: ``cell_ambiguous`` saying so;
    no fit at all: ``row_shape`` (once per run)."""
    if res.exhausted:
        mt.ambiguous(key, cands[:SPLITS.max_listed], raw, page, label,
                     f"the digits {raw!r} were not divided: the split search reached its bound")
    elif cands:
        mt.ambiguous(key, cands[:SPLITS.max_listed], raw, page, label,
                     f"{raw!r} divides in several ways that fit every rule of the template")
    else:
        mt.put_value(key, None, raw, "split", page, label)
        if key == res.keys[0]:
            mt.warnings.append(warning("row_shape", table=mt.name, key=key.rsplit(".", 1)[0],
                                       detail=f"{raw!r} divides into {len(res.keys)} cells in no way"))
