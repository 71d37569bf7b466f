"""One aligner for every table: ``map_table(spec, source)``.

The template fixes a table's rows in order, its columns in number and order, and
the arithmetic between its cells; layouts vary. A *grid* source is the table as
a reader rebuilt it (rows × cells; see ``grid``); a *stream* source is the
document's text in reading order, where no grid survived (see ``stream``). Both
end in one :class:`MappedTable`; neither knows a table by name — rows, columns,
variants and checks come from the grammar's :class:`TableSpec`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..document import Table
from ..grammar import TableGrammar, TableSpec
from .anchor import AnchoredRow, Placer, choose_layout
from .mapped import MappedTable
from .stream import SETTINGS as STREAM
from .stream import (
    Anchored,
    Stream,
    Target,
    align_header,
    align_rows,
    enough,
    find_label,
    group_targets,
    row_targets,
)


@dataclass
class GridSource:
    """Table blocks a reader rebuilt, in document order (one table may span several)."""

    blocks: list[Table]
    #: the paragraph printed just above each block (a broken table's lost header), if any
    captions: list[str | None] | None = None


@dataclass
class StreamSource:
    """The document's paragraphs in reading order, where no grid of the table survived."""

    stream: Stream


Source = GridSource | StreamSource


def map_table(spec: TableSpec, source: Source, dimensions: dict[str, list[str]] | None = None) -> MappedTable:
    """Map one table from a grid or a stream; with several layouts (editions), the one
    whose identifying labels the source carries, then the one that places most cells."""
    if isinstance(source, StreamSource):
        return map_stream(spec, source.stream, dimensions)
    from .grid import map_grid

    return map_grid(spec, source.blocks, source.captions, dimensions)


# --------------------------------------------------------------------------- stream

def map_stream(spec: TableSpec, stream: Stream, dimensions: dict[str, list[str]] | None = None) -> MappedTable:
    """The table from a stream: each layout's best anchor chain filled; the layout whose
    identifying labels are near its rows wins, then the one with most values."""
    candidates = []
    for lay in spec.layouts:
        for chain, targets in _chains(spec, lay, stream):
            hits = _identify_hits(lay, chain, stream)
            if lay.identify and not hits:
                continue  # rows without the column labels that identify the layout: prose, not a table
            mt = _fill(spec, chain, targets, stream, dimensions)
            mt.edition_hits = hits
            mt.edition = lay.edition
            candidates.append(mt)
    return choose_layout(candidates, spec.name, "stream")


def _chains(spec: TableSpec, lay: TableGrammar, stream: Stream) -> list[tuple[list[Anchored], list[Target]]]:
    """Candidate anchor chains for one layout, with the targets they were found among:
    its rows, or for a table without rows its header (and, transposed or split, a row
    per column group)."""
    out = []
    if lay.rows:
        targets = row_targets(lay)
        chain = align_rows(stream, targets)
        if enough(chain, targets):
            out.append((chain, targets))
        return out
    header = align_header(stream, lay)
    if header:
        out.append((header, [header[0].target]))
    if spec.variants & {"transposed", "split"}:
        targets = group_targets(lay)
        chain = align_rows(stream, targets)
        if enough(chain, targets):
            out.append((chain, targets))
    return out


def _row_keys(a: Anchored, nxt: Anchored | None, targets: list[Target]) -> list[str]:
    """The cells an anchor's numbers fill: its row's, and when the labels of the rows after
    it were lost (and the count says so) theirs too."""
    keys = list(a.target.keys)
    n = len(a.hit.run.tokens)
    if n <= len(keys) or nxt is None and a.hit.target + 1 >= len(targets):
        return keys
    stop = nxt.hit.target if nxt is not None else len(targets)
    extra: list[str] = []
    for t in targets[a.hit.target + 1:stop]:
        if t.exclusive_of or t.group:
            continue  # a group's one-row form and its sub-rows are alternatives
        extra += t.keys
        if len(keys) + len(extra) >= n:  # run-together tokens may hold several cells each
            return keys + extra
    return keys


def _identify_hits(lay: TableGrammar, chain: list[Anchored], stream: Stream) -> dict[str, bool]:
    if not chain or not lay.identify:
        return {}
    lo = max(0, chain[0].hit.start - STREAM.identify_before)
    hi = chain[-1].hit.run.end
    return {lab: True for lab in lay.identify if any(lo <= s < hi for s, _, _ in find_label(stream, lab))}


def _fill(spec: TableSpec, chain: list[Anchored], targets: list[Target], stream: Stream,
          dimensions: dict[str, list[str]] | None) -> MappedTable:
    """Each anchor is an anchored row of the one engine (``anchor.Placer``)."""
    placer = Placer(spec, MappedTable(spec.name, source="stream"), dimensions)
    for i, a in enumerate(chain):
        keys = _row_keys(a, chain[i + 1] if i + 1 < len(chain) else None, targets)
        run = a.hit.run
        placer.place(AnchoredRow(
            keys=keys, tokens=list(run.tokens), raw=list(run.raw), page=stream.page_at(a.hit.start),
            label=None if a.target.header else stream.raw[a.hit.start:a.hit.end], how="stream",
            run_text=stream.raw[run.start:run.end]))
    return placer.settle()
