"""Grid sources (temporary bridge to the per-table mappers)."""
from __future__ import annotations

from ..grammar import TableSpec
from .mapped import MappedTable


def map_grid(spec: TableSpec, blocks: list) -> MappedTable:
    from . import tables as t

    if spec.name == "proactive":
        best = None
        for lay in spec.layouts:
            mt = t.map_proactive(blocks, lay)
            mt.edition = lay.edition
            score = (len(mt.edition_hits), len(mt.cells))
            if best is None or score > best[0]:
                best = (score, mt)
        return best[1]
    if spec.name == "requests":
        return t.map_requests(blocks, spec.layouts[0])
    return t.map_review(blocks, spec.layouts[0])
