"""Grid sources: a table a reader rebuilt, mapped by its labels, never by positions.

Each block is read row by row as the cells that start in that row
(``Table.row_cells``): a merged parent label (（三）不予公开) appears once and is
carried as context to the rows below, the same whether the source had real
merges (HTML/DOCX/PDF) or none (flattened text). Consecutive blocks of one table
(page-split, one block per row group, 复议 | 诉讼 printed apart) share that context.

A row label may carry its whole group path in one cell, be split over cells,
cut short or misspelt; columns are matched by their header path, or by count
and order where the header is lost (``数据1 … 数据6``). A row labelled with a
column group is a transposed table's row; a table without rows (四) takes its
values by column. Nothing here names a table: everything comes from the spec.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..document import Cell, Table
from ..errors import warning
from ..grammar import TableGrammar, TableSpec
from ..textnorm import has_han, numbered_parts
from ..values import BLANK, NUMBER, PLACEHOLDER, TEXT
from . import splits
from .grid_header import (
    SETTINGS,
    caption_node,
    child_order,
    column_groups,
    header_colmap,
    header_order,
)
from .labels import OptionIndex, best_match, match_score, norm_label
from .anchor import AnchoredRow, Placer, choose_layout
from .mapped import MappedTable, parse_cell
from .per_object import PerObject
from .stream import row_targets

#: each layout's row and group labels as remembered matchers (see OptionIndex)
_OPTIONS: PerObject[tuple[OptionIndex, OptionIndex]] = PerObject()


def map_grid(spec: TableSpec, blocks: list[Table], captions: list[str | None] | None = None,
             dimensions: dict[str, list[str]] | None = None) -> MappedTable:
    """Map the blocks with each layout of the spec; keep the layout ``anchor.choose_layout``
    prefers (its identifying labels in the header, then most values)."""
    return choose_layout([_GridMapper(spec, lay, dimensions).map(blocks, captions or [None] * len(blocks))
                          for lay in spec.layouts], spec.name, "grid")


@dataclass
class _State:
    """What carries over from row to row and block to block of one table."""

    colmap: dict[int, str] = field(default_factory=dict)  # grid column → leaf key (rectangular blocks)
    order: list[str] | None = None               # leaf keys in printed order (any block)
    children: list[str] | None = None            # a transposed header's child keys in order
    group: str | None = None                     # the row group of the rows above


class _GridMapper:
    def __init__(self, spec: TableSpec, lay: TableGrammar, dimensions: dict[str, list[str]] | None = None):
        self.spec, self.lay = spec, lay
        self.out = MappedTable(spec.name, edition=lay.edition)
        self.st = _State()
        #: the one engine: grid rows are anchored rows of the template
        self.placer = Placer(spec, self.out, dimensions)
        #: the row targets the stream anchors against, in printed order
        self.targets = row_targets(lay) if lay.rows else []
        self.target_at: dict[str | None, int] = {}
        for i, t in enumerate(self.targets):
            self.target_at.setdefault(t.row, i)
        self.last_anchor: int | None = None
        self.orphans: list[list[Cell]] = []  # label-less value rows since the last anchored row
        self.row_opts, self.group_opts = _OPTIONS.get(lay, lambda: (
            OptionIndex({r.key: r.labels for r in lay.rows}), OptionIndex({g.id: g.labels for g in lay.groups})))
        self.groups = {g.id: g for g in lay.groups}
        self.rows_by_key = {r.key: r for r in lay.rows}
        self.col_groups = column_groups(lay) if "transposed" in spec.variants else {}
        self.allowed = set(lay.keys) if lay.keys is not None else None
        # a table without rows needs a group's worth of values in a data row
        sizes = [len(lay.children(g.id)) for g in column_groups(lay).values()]
        self.min_values = 1 if lay.rows else (min(sizes) if sizes else 1)

    # ------------------------------------------------------------------ blocks

    def map(self, blocks: list[Table], captions: list[str | None]) -> MappedTable:
        for table, caption in zip(blocks, captions):
            start = caption_node(caption, self.lay)
            if caption and self.lay.groups:
                self._label_key([caption], probe=False)  # a caption may name the row group
            header: list[int] = []
            self.st.colmap = {}  # grid columns are per block; a continuation maps by order
            for r in range(table.n_rows):
                cells = table.row_cells(r)
                if not cells or self.lay.rows and not any(c.text.strip() for c in cells):
                    continue  # an all-blank row of a table with row labels is nobody's header
                if not self._is_data_row(cells):
                    header.append(r)
                    continue
                if header:
                    self._read_header(table, header, start)
                    header = []
                self._map_row(table, cells)
            if header:
                self._read_header(table, header, start)
                self._blank_below_header(table)
        if self.orphans:
            self._fill_gap(self.last_anchor, None)
        self.placer.settle()
        self._drop_empty_group_rows()
        return self.out

    def _drop_empty_group_rows(self) -> None:
        """A group label printed alone on its row (（六）其他处理 above its sub-rows) read as the
        group's one-row form: its null cells go when the sub-rows are there."""
        for g in self.lay.groups:
            if not g.row_key:
                continue
            own = [k for k in self.lay.row_cells(g.row_key) if k in self.out.cells]
            subs = {r.key for r in self.lay.rows if r.group == g.id}
            if own and all(self.out.cells[k] is None for k in own) and \
                    any(k.rsplit(".", 1)[0] in subs for k in self.out.cells if k not in own):
                for k in own:
                    del self.out.cells[k]
                    self.out.provenance.pop(k, None)

    def _blank_below_header(self, table: Table) -> None:
        """A table without row labels printed blank: a reader may drop its empty value row,
        leaving a header that names every cell; the cells are there, and null."""
        if self.lay.rows or self.out.cells:
            return
        leaves = self.lay.leaf_keys()
        named = set(self.st.colmap.values()) | set(self.st.order or ())
        if set(leaves) <= named:
            for key in leaves:
                self.out.put_value(key, None, "", "grid", table.page)

    def _read_header(self, table: Table, rows: list[int], start: str | None) -> None:
        texts = [[norm_label(c.text) for c in table.row_cells(h)] for h in rows]
        self.st.colmap = header_colmap(table, rows, self.lay, start)
        self.st.order = header_order(texts, self.lay, start)
        if self.col_groups:
            self.st.children = child_order([c.text for c in table.row_cells(rows[-1])], self.lay) \
                or self.st.children
        for t in (t for row in texts for t in row if t):
            if self.lay.identify and match_score(t, self.lay.identify, confusions=self.lay.confusions) >= SETTINGS.identify_threshold:
                self.out.edition_hits[t] = True

    # ------------------------------------------------------------------ rows

    def _is_data_row(self, cells: list[Cell]) -> bool:
        kinds = [parse_cell(c.text).kind for c in cells]
        n_values = sum(1 for k in kinds if k in (NUMBER, PLACEHOLDER))
        if n_values >= self.min_values and n_values:
            return True
        if self._misread_split(cells) is not None:
            return True
        if not self.lay.rows and n_values and len(cells) >= self.min_values and TEXT not in kinds:
            return True  # a value row printed with blanks for zeros (1 | | | | 1): no label, no header text
        if self.lay.rows and not n_values and all(k in (TEXT, BLANK) for k in kinds) and self._is_label_row(cells):
            return True
        return self._is_blank_row(cells, kinds)

    def _is_label_row(self, cells: list[Cell]) -> bool:
        """A row whose label is a template row's is data however few numbers it prints
        (a converter dropped its blank cells): its cells are there, and null."""
        key = self._label_key([c for c in cells if c.text.strip()], probe=True)
        return key is not None and self._names_a_row_only(cells)

    def _is_blank_row(self, cells: list[Cell], kinds: list[str]) -> bool:
        """A table printed blank: its row label (after blank label cells), then nothing
        but empty cells."""
        if not any(k == BLANK for k in kinds):
            return False
        if self.lay.rows:
            filled = [i for i, k in enumerate(kinds) if k != BLANK]
            if not filled or filled[-1] == len(kinds) - 1:
                return False
            lead = [cells[i] for i in filled]
            return self._label_key(lead, probe=True) is not None
        return all(k == BLANK for k in kinds) and len(cells) >= self.min_values

    def _names_a_row_only(self, cells: list[Cell]) -> bool:
        """Every text cell is a row or group label (a header row holds column labels)."""
        for c in cells:
            text = norm_label(c.text)
            if text and self.row_opts.best(text, SETTINGS.row_threshold, confusions=self.lay.confusions) is None \
                    and self.group_opts.best(text, SETTINGS.group_threshold, confusions=self.lay.confusions) is None:
                return False
        return True

    def _misread_split(self, cells: list[Cell]) -> tuple[list[Cell], list[Cell]] | None:
        """(label cells, value cells) of a row holding a value OCR misread (5176O5, 1O, 12l).

        Such a cell is neither a number nor a label, so neither the count of numbers nor
        the trailing run of values finds it. The template decides instead: the row is
        split where its label cells (each with Han text, or blank) match a template row
        and the cells after them are as many as that row's columns (or the header's),
        none with Han text. The misread cell is then that key's value: null with
        ``cell_unparsed``. A header or annotation cell (Han text) never qualifies.
        """
        if not self.lay.rows:
            return None
        kinds = [parse_cell(c.text).kind for c in cells]
        if not any(k == TEXT and not has_han(c.text) for c, k in zip(cells, kinds)):
            return None
        counts = {len(self.lay.row_cells(r.key)) for r in self.lay.rows}
        if self.st.order:
            counts.add(len(self.st.order))
        for n in sorted(counts, reverse=True):
            if not 0 < n < len(cells):
                continue
            labels, vals = cells[:-n], cells[-n:]
            if any(has_han(c.text) for c in vals) or not any(has_han(c.text) for c in labels):
                continue
            if any(k != BLANK and not has_han(c.text) for c, k in zip(labels, kinds)):
                continue
            key = self._label_key(labels, probe=True)
            if key is not None and n in (len(self.lay.row_cells(key)), len(self.st.order or ())):
                return labels, vals
        return None

    def _map_row(self, table: Table, cells: list[Cell]) -> None:
        n_expected = len(self.st.order) if self.st.order else len(self.lay.leaf_keys())
        run_labels, run_vals = split_row(cells, None, n_expected)
        if len(run_vals) < n_expected:
            run_labels, run_vals = self._misread_split(cells) or (run_labels, run_vals)
        if self.col_groups and self._map_transposed(run_labels, run_vals):
            return
        labels, vals, trusted = self._by_header(table, cells, run_labels, run_vals)
        label = " ".join(c.text.strip() for c in labels if c.text.strip()) or None
        row = self._label_key(labels, probe=False)
        if row is not None:
            self._anchor(row)
            self._place(row, vals, trusted, label)
        elif not self.lay.rows:
            self._place(None, vals, trusted, label)
        elif labels and label:
            self.out.warnings.append(warning("row_unmatched", table=self.spec.name, detail=label[:120]))
        elif any(parse_cell(c.text).kind == NUMBER for c in vals):
            self.orphans.append(vals)  # values whose label was printed elsewhere: placed by order

    def _map_transposed(self, run_labels: list[Cell], run_vals: list[Cell]) -> bool:
        """A transposed table's row, labelled with a column group: its values are that
        group's children in order. False when the row is not one."""
        group = self._column_group(run_labels)
        if group is None:
            return False
        kids = [k.key for k in self.lay.children(group.id)]
        nums = [c for c in run_vals if parse_cell(c.text).is_value]
        if len(nums) != len(kids):
            return False
        label = " ".join(c.text.strip() for c in run_labels if c.text.strip()) or None
        prefix = self.lay.column_path_key(group)
        order = self.st.children if self.st.children and len(self.st.children) == len(kids) else kids
        for key, c in zip(order, nums):
            self._put(f"{prefix}.{key}", c, label)
        return True

    def _by_header(self, table: Table, cells: list[Cell], run_labels: list[Cell],
                   run_vals: list[Cell]) -> tuple[list[Cell], list[Cell], bool]:
        """(labels, values, trusted): the header's column hint is trusted when every value
        printed lies under a column it names (a blank cell left of the first named column
        is label padding; one among them is a value cell the header did not name);
        otherwise the row's trailing run of values."""
        first = min(self.st.colmap, default=0)
        stray = [c for c in run_vals if c.col not in self.st.colmap and (c.text.strip() or c.col > first)]
        if table.rectangular and self.st.colmap and not stray:
            labels, vals = split_row(cells, self.st.colmap, None)
            return labels, vals, all(c.col in self.st.colmap for c in vals)
        return run_labels, run_vals, False

    # ------------------------------------------------------------------ rows without labels

    def _anchor(self, row: str) -> None:
        """A row found by its label: label-less value rows since the previous anchored row
        fill the template rows between the two, in order, when their count is the gap's."""
        idx = self.target_at.get(row)
        if idx is None:
            return
        if self.orphans:
            self._fill_gap(self.last_anchor, idx)
        self.last_anchor = idx

    def _fill_gap(self, a: int | None, b: int | None) -> None:
        orphans, self.orphans = self.orphans, []
        if a is not None and b is not None and b > a + 1:
            span = self.targets[a + 1:b]
            for gap in ([t for t in span if not t.group], [t for t in span if not t.exclusive_of]):
                if len(gap) == len(orphans):
                    for t, vals in zip(gap, orphans):
                        self._place(t.row, vals, False, None)
                    return
            for t in span:  # the rows between are there, but which values are whose is not known
                for key in t.keys:
                    self.out.put_value(key, None, "", "grid")
        self.out.warnings.append(warning(
            "row_unmatched", table=self.spec.name,
            detail=f"{len(orphans)} value rows without a label, not placed: the template rows between "
                   f"their anchored neighbours are {'none' if a is None or b is None else b - a - 1}"))

    def _place(self, row: str | None, vals: list[Cell], trusted: bool, label: str | None) -> None:
        if trusted:
            self._place_by_column(row, vals, label)
            return
        keys = self._row_keys(row, len(vals))
        page = vals[0].page if vals else None
        if len(vals) == len(keys):
            pairs = [(k, c) for k, c in zip(keys, vals) if self.allowed is None or k in self.allowed]
            self.placer.place(AnchoredRow(keys=[k for k, _ in pairs], tokens=[c.text for _, c in pairs],
                                          raw=[c.text for _, c in pairs], page=page, label=label, how="grid",
                                          cells=[c for _, c in pairs]))
            return
        # another count of value cells: the cells' printed tokens, divided by the template
        keys = [k for k in keys if self.allowed is None or k in self.allowed]
        tokens, raws, whole = _printed_tokens(vals)
        run_text = " ".join(c.text.strip() for c in vals)
        self.placer.place(AnchoredRow(keys=keys, tokens=tokens, raw=raws, page=page, label=label, how="grid",
                                      run_text=run_text, whole=whole))

    def _place_by_column(self, row: str | None, vals: list[Cell], label: str | None) -> None:
        """Each value under the column the header names for its grid column."""
        by_key: dict[str, list[Cell]] = {}
        for c in vals:  # a header spanning grid columns may cover several value cells
            by_key.setdefault(self.lay.cell_key(row, self.st.colmap[c.col]), []).append(c)
        for key, cs in by_key.items():
            filled = [c for c in cs if c.text.strip()]
            if len(filled) > 1:  # two values under one column: which is it? null, not a guess
                self.out.warnings.append(warning("row_shape", table=self.spec.name, key=key,
                                                  detail=f"{len(filled)} value cells under one column"))
                if self.allowed is None or key in self.allowed:
                    self.out.put_value(key, None, " ".join(c.text.strip() for c in filled), "grid",
                                       filled[0].page, label)
                continue
            self._put(key, (filled or cs)[0], label)

    def _row_keys(self, row: str | None, n_vals: int) -> list[str]:
        """The cell keys of ``row`` in printed order: the header's order when it has as
        many columns as there are values, else the template's (only keys allowed)."""
        own = self.lay.row_cells(row)
        cols = [k[len(row) + 1:] if row else k for k in own]
        order = self.st.order if self.st.order and len(self.st.order) == n_vals else cols
        if self.allowed is not None:
            order = [k for k in order if self.lay.cell_key(row, k) in self.allowed] or cols
        return [self.lay.cell_key(row, col) for col in order]

    def _put(self, key: str, cell: Cell, label: str | None) -> None:
        if self.allowed is None or key in self.allowed:
            self.out.put(key, cell, label=label)
            self.placer.sign_check(key)

    # ------------------------------------------------------------------ labels

    def _label_key(self, labels: Sequence[Cell | str], probe: bool) -> str | None:
        """The row key of a data row from its label cells (or texts), each cut at its
        numbering so that a label carrying its group path reads as the path it is;
        updates the group context unless probing."""
        key = None
        group = self.st.group
        texts = [item.text if isinstance(item, Cell) else item for item in labels]
        key, group = self._read_labels(texts, group)
        if key is None and len(texts) > 1:  # one label split over cells
            key, group = self._read_labels(["".join(t.strip() for t in texts)], group)
        if not probe:
            self.st.group = group
        return key

    def _read_labels(self, texts: list[str], group: str | None) -> tuple[str | None, str | None]:
        key = None
        for raw in texts:
            for part in numbered_parts(raw):
                text = norm_label(part)
                if not text:
                    continue
                conf = self.lay.confusions
                gm = self.group_opts.best(text, SETTINGS.group_threshold, confusions=conf) if self.group_opts else None
                rm = self.row_opts.best(text, SETTINGS.row_threshold, confusions=conf) if self.row_opts else None
                if gm and (not rm or gm[1] >= rm[1]):
                    group = gm[0]
                    if self.groups[gm[0]].row_key:
                        key = self.groups[gm[0]].row_key
                    continue
                if rm:
                    cand = self._disambiguate(text, group)
                    if cand:
                        key = cand
                        group = self.rows_by_key[cand].group
        return key, group

    def _disambiguate(self, text: str, group: str | None) -> str | None:
        """Prefer the row of the current group when a label fits several (3.其他)."""
        scored = []
        for r in self.lay.rows:
            s = match_score(text, r.labels, confusions=self.lay.confusions)
            if s < SETTINGS.row_threshold or (r.strict_group and r.group != group):
                continue
            scored.append((s + (SETTINGS.same_group_bonus if group and r.group == group else 0.0), r.key))
        if not scored:
            return None
        scored.sort(key=lambda t: -t[0])
        return scored[0][1]

    def _column_group(self, labels: list[Cell]):
        """The column group a transposed row is labelled with, if any."""
        best = None
        for cell in labels:
            m = best_match(norm_label(cell.text), {g.id: g.labels for g in self.col_groups.values()},
                           SETTINGS.col_threshold, confusions=self.lay.confusions)
            if m and (best is None or m[1] >= best[1]):
                best = m
        return self.col_groups[best[0]] if best else None


def _printed_tokens(vals: list[Cell]) -> tuple[list[str | None], list[str], bool]:
    """(tokens, raw texts, whole) of value cells for the split search: their printed
    tokens (none at all when words are among them: no reading places those), and
    whether each cell is one value (not a run of several)."""
    tokens: list[str | None] = []
    raws: list[str] = []
    whole = True
    for c in vals:
        toks = splits.cell_tokens(c.text)
        if toks is None:
            return [], raws, whole
        whole = whole and len(toks) <= 1
        tokens += toks or [None]
        raws += [t or c.text.strip() for t in toks] or [c.text.strip()]
    return tokens, raws, whole


def split_row(cells: list[Cell], colmap: dict[int, str] | None,
              n_values: int | None) -> tuple[list[Cell], list[Cell]]:
    """Split a row's cells into (label cells, value cells).

    With a column map (a rectangular table whose header we understood) value cells
    are those in mapped columns. Otherwise the values are the trailing run of
    cells that read as numbers, placeholders or blanks; when the layout says how
    many values a row has, a non-numeric cell inside that run is still a value
    (it becomes null with a ``cell_unparsed`` warning, never a shifted column).
    """
    if colmap:
        mapped = _split_by_colmap(cells, colmap)
        if mapped is not None:
            return mapped
    i = len(cells)
    while i > 0 and parse_cell(cells[i - 1].text).is_value:
        i -= 1
    labels, vals = cells[:i], cells[i:]
    if n_values and len(vals) > n_values:
        vals = _without_padding(vals, n_values)
    if n_values and len(vals) < n_values < len(cells) and any(parse_cell(c.text).kind == NUMBER for c in vals):
        labels, vals = cells[:-n_values], cells[-n_values:]
    if labels and all(not c.text.strip() for c in labels):
        labels = []
    return labels, vals


def _split_by_colmap(cells: list[Cell], colmap: dict[int, str]) -> tuple[list[Cell], list[Cell]] | None:
    """(labels, values) by the header's columns: values in mapped columns, labels left
    of the first; None when no cell is in a mapped column."""
    vals = [c for c in cells if c.col in colmap]
    if not vals:
        return None
    first = min(c.col for c in vals)
    return [c for c in cells if c.col < first and c.col not in colmap], vals


def _without_padding(vals: list[Cell], n_values: int) -> list[Cell]:
    """Padding cells of a ragged grid dropped: blanks past the row's end, then before its
    values, while there are more than ``n_values``."""
    while len(vals) > n_values and not vals[-1].text.strip():
        vals = vals[:-1]
    while len(vals) > n_values and not vals[0].text.strip():
        vals = vals[1:]
    return vals
