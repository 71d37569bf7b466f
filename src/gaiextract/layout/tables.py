"""Find the template's tables in a document, map each one, decide the edition.

A table block is classified by the labels it carries (the grammar's rows, groups
and columns); consecutive blocks of one table are mapped together by the one
aligner (``align.map_table``) from their grid, and a table of which no grid
survived is looked for in the stream of the document's paragraphs. Which tables
exist, and what identifies them, is grammar (``grammars/tables.toml``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import warning
from ..document import Document, Paragraph, Table
from ..grammar import Grammar
from ..textnorm import numbered_parts
from ..values import TEXT
from .mapped import parse_cell
from .align import GridSource, StreamSource, map_table
from .labels import match_score, norm_label
from .stream import build_stream

if TYPE_CHECKING:
    from .mapped import MappedTable
    from .sections import SectionSpan

#: a block is a table's when this many of its labels are that table's own
MIN_LABEL_HITS = 2
#: a block this small with one label this long of a table's own is that table's
SMALL_BLOCK_ROWS = 3
LONG_LABEL = 6
#: labels this long or longer (of a table's rows and columns) identify the table; shorter
#: ones (总计, 其他) are shared by tables
DISTINCT_LABEL_CHARS = 3
#: a grid that gives fewer values than this share of a table's cells is compared with the stream
STREAM_WHEN_GRID_BELOW = 0.5
#: how well a label must match to count (exact or a clean prefix; no fuzzy guesses)
LABEL_HIT = 0.9


# --------------------------------------------------------------------------- classify

def _block_texts(table: Table) -> list[str]:
    return [t for r in range(table.n_rows) for c in table.row_cells(r) for t in _label_texts(c.text)]


@functools.lru_cache(maxsize=1 << 14)
def _label_texts(text: str) -> tuple[str, ...]:
    """The comparable label texts of one cell (none for a value), each numbered part apart."""
    out = []
    for part in numbered_parts(text):
        t = norm_label(part)
        if t and parse_cell(t).kind == TEXT:
            out.append(t)
    return tuple(out)


def classify_table(table: Table, grammar: Grammar) -> tuple[str | None, dict[str, int]]:
    """Score a table block against every table's labels; return (name or None, scores)."""
    texts = _block_texts(table)
    scores = {}
    longest = {}
    for name in grammar.tables:
        labels = _distinct_labels(name, grammar)
        hits = [t for t in texts if match_score(t, labels, fuzzy=False, confusions=grammar.label_confusions) >= LABEL_HIT]
        scores[name] = len(hits)
        longest[name] = max((len(t) for t in hits), default=0)
    # labels shared by tables (总计, 其他) were excluded by length; require real evidence:
    # two labels, or in a block of a row or two (a table broken into one block per row)
    # one long label of its own
    best = max(scores, key=lambda k: scores[k])
    small = table.n_rows <= SMALL_BLOCK_ROWS and longest[best] >= LONG_LABEL
    return (best if scores[best] >= MIN_LABEL_HITS or scores[best] == 1 and small else None), scores


def _distinct_labels(name: str, grammar: Grammar) -> tuple[str, ...]:
    """Labels of at least ``DISTINCT_LABEL_CHARS`` characters that identify a table (kept on its TableSpec,
    which is built once per grammar)."""
    spec = grammar.tables[name]
    cached = spec.__dict__.get("_distinct_labels")
    if cached is None:
        labels = set(spec.identify)
        for lay in spec.layouts:
            for r in lay.rows:
                labels.update(lab for lab in r.labels if len(lab) >= DISTINCT_LABEL_CHARS)
            for c in lay.columns:
                labels.update(lab for lab in c.labels if len(lab) >= DISTINCT_LABEL_CHARS)
            for gr in lay.groups:
                labels.update(gr.labels)
        cached = spec.__dict__["_distinct_labels"] = tuple(sorted(labels))
    return cached


# --------------------------------------------------------------------------- entry

@dataclass
class TableFinding:
    tables: dict[str, MappedTable]
    edition: str          # "2021" | "2019" | "unknown"
    warnings: list[dict[str, Any]]


def find_tables_in(document: Document, grammar: Grammar, spans: Sequence[SectionSpan] | None = None) -> TableFinding:
    """Every table of the template in a document: from the grids its reader rebuilt, and
    for a table with no grid, from the stream of its paragraphs — those of the table's own
    section (the section span whose id is the table's name, from its heading to the next
    section's) where ``spans`` finds it."""
    paragraphs = [(p.text, p.page) for p in document.paragraphs()]
    own: dict[str, list[tuple[str, int | None]]] = {}
    for sp in spans or ():
        if sp.id in grammar.tables and sp.id not in own:
            own[sp.id] = [(b.text, b.page) for b in document.blocks[sp.block:sp.end] if isinstance(b, Paragraph)]
    captions: list[str | None] = []
    last: str | None = None
    for b in document.blocks:
        if isinstance(b, Paragraph):
            last = b.text
        elif isinstance(b, Table):
            captions.append(last)
            last = None
    return find_tables(list(document.tables()), grammar, paragraphs, captions, own)


def find_tables(document_tables: list[Table], grammar: Grammar,
                paragraphs: list[tuple[str, int | None]] | None = None,
                captions: list[str | None] | None = None,
                section_paragraphs: dict[str, list[tuple[str, int | None]]] | None = None) -> TableFinding:
    """Classify the table blocks, map each table from its blocks (or, where none survived,
    from ``paragraphs``: (text, page) in reading order), and decide the edition.
    ``captions``: the paragraph printed just above each block (None where none)."""
    names = list(grammar.tables)
    groups: dict[str, list[Table]] = {name: [] for name in names}
    caps: dict[str, list[str | None]] = {name: [] for name in names}
    last = None
    for i, t in enumerate(document_tables):
        name, _ = classify_table(t, grammar)
        if name is None and last is not None and t.n_rows > 0:
            name = last  # a continuation with too few labels to judge on its own
        if name:
            groups[name].append(t)
            caps[name].append(captions[i] if captions and i < len(captions) else None)
            last = name
    tables: dict[str, MappedTable] = {}
    whole = None
    for name in names:
        spec = grammar.tables[name]
        mt = map_table(spec, GridSource(groups[name], caps[name]), grammar.dimensions) if groups[name] else None
        if paragraphs and _values(mt) < STREAM_WHEN_GRID_BELOW * _cell_count(spec):
            # no grid survived, or only a scrap of one: the text in reading order may hold more,
            # read in the table's own section where it was found
            own = (section_paragraphs or {}).get(name)
            if own:
                stream = build_stream(own)
            else:
                whole = whole or build_stream(paragraphs)
                stream = whole
            alt = map_table(spec, StreamSource(stream), grammar.dimensions)
            mt = alt if mt is None else _merge(mt, alt)
        if mt is not None and mt.cells:
            tables[name] = mt
    edition = _edition(tables, grammar)
    warnings: list[dict[str, Any]] = []
    for name in names:
        if name not in tables:
            warnings.append(warning("table_not_found", table=name,
                                    detail="no table with this table's labels was found"))
        else:
            warnings.extend(tables[name].warnings)
    if edition == "unknown":
        warnings.append(warning("edition_unknown",
                                detail="the proactive table's column labels match neither template edition"))
    return TableFinding(tables=tables, edition=edition, warnings=warnings)


def _merge(grid: MappedTable, text: MappedTable) -> MappedTable:
    """A grid that gave a scrap of its table, and the table read from the text: the text
    fills only the cells the grid did not place — it never replaces a grid-mapped row.
    Read with different layouts (editions), the one with more values is kept whole."""
    if grid.edition != text.edition and grid.edition is not None and text.edition is not None:
        return text if _values(text) > _values(grid) else grid
    added = [k for k in text.cells if k not in grid.cells]
    if not added:
        return grid
    rows = {k.rsplit(".", 1)[0] for k in grid.cells}
    added = [k for k in added if k.rsplit(".", 1)[0] not in rows]
    for k in added:
        grid.cells[k] = text.cells[k]
        grid.provenance[k] = text.provenance[k]
    keep = set(added)
    grid.warnings += [w for w in text.warnings if w.get("key") is None or w.get("key") in keep
                      or any(k.startswith(str(w.get("key")) + ".") for k in keep)]
    if not grid.edition_hits and text.edition_hits:
        grid.edition_hits = text.edition_hits
    return grid


def _values(mt) -> int:
    return 0 if mt is None else sum(1 for v in mt.cells.values() if v is not None)


def _cell_count(spec) -> int:
    """The fewest cells any layout of the table has."""
    counts = []
    for lay in spec.layouts:
        rows = lay.row_sequence(group_rows=True) or [None]
        counts.append(sum(len(lay.row_cells(r)) for r in rows))
    return min(counts)


def _edition(tables: dict[str, MappedTable], grammar: Grammar) -> str:
    """The edition whose identifying labels a table's chosen layout carries; else the one
    evidenced by rows that only one edition's template has."""
    for mt in tables.values():
        if mt.edition_hits and mt.edition:
            return mt.edition
    for name, mt in tables.items():
        for lay in grammar.tables[name].layouts:
            rows = {r.key: r.editions for r in lay.rows if len(r.editions) == 1}
            for key in mt.cells:
                for rk, eds in rows.items():
                    if key.startswith(rk + "."):
                        return eds[0]
    return "unknown"
