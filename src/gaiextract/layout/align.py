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
from ..grammar import NO_CONFUSIONS, TableGrammar, TableSpec
from .anchor import AnchoredRow, Placer, choose_layout
from .labels import norm_label
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
    read_run,
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
        chain = align_rows(stream, targets, confusions=lay.confusions)
        # rows printed blank count as found (a table of mostly zeros left blank)
        if enough(chain, targets) or chain and enough(chain, targets, found=len(_blank_rows(chain, targets, stream))):
            out.append((chain, targets))
        return out
    header = align_header(stream, lay)
    if header:
        out.append((header, [header[0].target]))
    if spec.variants & {"transposed", "split"}:
        targets = group_targets(lay)
        chain = align_rows(stream, targets, confusions=lay.confusions)
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
    return {lab: True for lab in lay.identify if any(lo <= s < hi for s, _, _ in find_label(stream, lab, confusions=lay.confusions))}


def _fill(spec: TableSpec, chain: list[Anchored], targets: list[Target], stream: Stream,
          dimensions: dict[str, list[str]] | None) -> MappedTable:
    """Each anchor is an anchored row of the one engine (``anchor.Placer``)."""
    placer = Placer(spec, MappedTable(spec.name, source="stream"), dimensions)
    placed: set[str] = set()
    for i, a in enumerate(chain):
        nxt = chain[i + 1] if i + 1 < len(chain) else None
        keys = _row_keys(a, nxt, targets)
        run = a.hit.run
        placer.place(AnchoredRow(
            keys=keys, tokens=list(run.tokens), raw=list(run.raw), page=stream.page_at(a.hit.start),
            label=None if a.target.header else stream.raw[a.hit.start:a.hit.end], how="stream",
            run_text=stream.raw[run.start:run.end]))
        placed |= set(keys)
    for ti, (label, pos) in _blank_rows(chain, targets, stream).items():
        if not set(targets[ti].keys) & placed:  # cells the numbers of a row before already filled
            for k in targets[ti].keys:
                placer.out.put_value(k, None, "", "stream", stream.page_at(pos), label)
    return placer.settle()


def _blank_rows(chain: list[Anchored], targets: list[Target], stream: Stream) -> dict[int, tuple[str, int]]:
    """Template rows printed blank around and between a chain's anchors: their label is
    printed (before the first anchor, between two, or after the last, within a row gap)
    with no number after it. Target index -> (label as printed, position)."""
    if not chain or chain[0].target.header:
        return {}
    # (first target, stop target, lo, hi, hi/lo for a short label): between two anchors any
    # label; before the first and after the last a short one only next to them
    spans: list[tuple[int, int, int, int, int]] = []
    first, last = chain[0].hit, chain[-1].hit
    end = len(stream.norm)
    spans.append((0, first.target, max(0, first.start - STREAM.max_row_gap), first.start,
                  max(0, first.start - STREAM.label_tail)))
    for a, b in zip(chain, chain[1:]):
        spans.append((a.hit.target + 1, b.hit.target, a.hit.run.end, b.hit.start, a.hit.run.end))
    spans.append((last.target + 1, len(targets), last.run.end, min(end, last.run.end + STREAM.max_row_gap),
                  -min(end, last.run.end + STREAM.label_tail)))
    out: dict[int, tuple[str, int]] = {}
    for t0, t1, lo, hi, short in spans:
        for ti in range(t0, t1):
            t = targets[ti]
            if t.group:
                continue  # a group's one-row form: its sub-rows say more
            for lab in t.labels:
                text = norm_label(lab) or lab
                a_lo, a_hi = lo, hi
                if len(text) < STREAM.tail_min_label:
                    a_lo, a_hi = (short, hi) if short >= 0 else (lo, -short)
                found = [(s_, e_) for s_, e_, _ in find_label(stream, text, fuzzy=False, confusions=NO_CONFUSIONS) if a_lo <= s_
                         and e_ <= a_hi and read_run(stream, e_, hi) is None]
                if found:
                    out[ti] = (stream.raw[found[0][0]:found[0][1]], found[0][0])
                    break
    return out
