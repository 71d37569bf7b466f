"""Find the three statistical tables, decide the edition, map every value to its key.

Values are placed by matching row and column *labels* against the grammar, never
by fixed grid positions. Each table block is read row by row as the cells that
start in that row (``Table.row_cells``): a merged parent label (（三）不予公开)
therefore appears once and is carried as context to the rows below, which is the
same whether the source had real merges (HTML/DOCX/PDF) or none (flattened text).
Consecutive blocks of one table (a page-split or header/body-split table) share
that context.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Optional

from ..document import Cell, Table
from ..grammar import Grammar, TableGrammar
from .labels import best_match, match_score, norm_label
from ..values import NUMBER, TEXT, parse_cell

TABLE_NAMES = ("proactive", "requests", "review_litigation")

ROW_THRESHOLD = 0.72
COL_THRESHOLD = 0.72


@dataclass
class MappedTable:
    """One canonical table: values by key, with provenance."""

    name: str
    cells: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    page: Optional[int] = None
    warnings: list = field(default_factory=list)
    #: labels that decided the edition (proactive only)
    edition_hits: dict = field(default_factory=dict)

    def put(self, key: str, cell: Cell, text: Optional[str] = None) -> None:
        raw = cell.text if text is None else text
        val = parse_cell(raw)
        if key in self.cells and self.cells[key] is not None and val.value is None:
            return  # a repeated header/continuation never erases a value
        if val.kind == TEXT:
            self.warnings.append({"code": "cell_unparsed", "table": self.name, "key": key,
                                  "detail": f"cannot read {raw!r} as a number"})
        self.cells[key] = val.value
        prov = {"page": cell.page, "raw": raw}
        if cell.bbox is not None:
            prov["bbox"] = [round(float(x), 2) for x in cell.bbox]
        if cell.confidence is not None:  # read from a page image (readers/ocr.py)
            prov["how"] = "ocr"
            if cell.uncertain and val.kind == NUMBER:
                self.warnings.append({"code": "ocr_low_confidence", "table": self.name, "key": key,
                                      "page": cell.page,
                                      "detail": f"OCR read {raw!r} with confidence {cell.confidence}"})
        self.provenance[key] = prov
        if self.page is None:
            self.page = cell.page


# --------------------------------------------------------------------------- classify

def _row_texts(table: Table) -> list:
    return [[norm_label(c.text) for c in table.row_cells(r)] for r in range(table.n_rows)]


def classify_table(table: Table, grammar: Grammar) -> tuple:
    """Score a table block against the three layouts; return (name or None, scores)."""
    texts = [t for row in _row_texts(table) for t in row if t and parse_cell(t).kind == TEXT]
    scores = {}
    for name in TABLE_NAMES:
        labels = _distinct_labels(name, grammar)
        scores[name] = sum(1 for t in texts if match_score(t, labels, fuzzy=False) >= 0.9)
    # labels shared by tables (总计, 其他) were excluded by length; require real evidence
    best = max(scores, key=lambda k: scores[k])
    return (best if scores[best] >= 2 else None), scores


_label_sets: dict = {}


def _distinct_labels(name: str, grammar: Grammar) -> tuple:
    """Labels of at least three characters that identify a table (cached per grammar)."""
    key = (id(grammar), name)
    if key not in _label_sets:
        labels = set()
        for tg in _grammars_for(name, grammar):
            for r in tg.rows:
                labels.update(l for l in r.labels if len(l) >= 3)
            for c in tg.columns:
                labels.update(l for l in c.labels if len(l) >= 3)
            for gr in tg.groups:
                labels.update(gr.labels)
        _label_sets[key] = tuple(sorted(labels))
    return _label_sets[key]


def _grammars_for(name: str, grammar: Grammar) -> list:
    if name == "proactive":
        return list(grammar.proactive.values())
    return [getattr(grammar, name)]


# --------------------------------------------------------------------------- rows

def _split_row(cells: list, colmap: Optional[dict], n_values: Optional[int]) -> tuple:
    """Split a row's cells into (label cells, value cells).

    With a column map (a rectangular table whose header we understood) value cells
    are those in mapped columns. Otherwise the values are the trailing run of
    cells that read as numbers, placeholders or blanks; when the layout says how
    many values a row has, a non-numeric cell inside that run is still a value
    (it becomes null with a ``cell_unparsed`` warning, never a shifted column).
    """
    if colmap:
        vals = [c for c in cells if c.col in colmap]
        if vals:
            first = min(c.col for c in vals)
            labels = [c for c in cells if c.col < first and c.col not in colmap]
            return labels, vals
    i = len(cells)
    while i > 0 and parse_cell(cells[i - 1].text).is_value:
        i -= 1
    labels, vals = cells[:i], cells[i:]
    if n_values and len(vals) > n_values:
        # padding cells of a ragged grid: blanks past the row's end, then before its values
        while len(vals) > n_values and not vals[-1].text.strip():
            vals = vals[:-1]
        while len(vals) > n_values and not vals[0].text.strip():
            vals = vals[1:]
    if n_values and len(vals) < n_values < len(cells):
        has_number = any(parse_cell(c.text).kind == NUMBER for c in vals)
        if has_number:
            labels, vals = cells[:-n_values], cells[-n_values:]
    if labels and all(not c.text.strip() for c in labels):
        labels = []
    return labels, vals


def _row_has_values(vals: list) -> bool:
    return any(parse_cell(c.text).kind in (NUMBER, "placeholder") for c in vals)


# --------------------------------------------------------------------------- columns

def _header_colmap(table: Table, header_rows: list, tg: TableGrammar) -> dict:
    """For a rectangular table: grid column → leaf column key, from the header path."""
    if not table.rectangular or not header_rows:
        return {}
    by_id = {c.id: c for c in tg.columns}
    colmap = {}
    for col in range(table.n_cols):
        path, seen = [], set()
        for r in header_rows:
            cell = table.grid[r][col]
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            t = norm_label(cell.text)
            if t:
                path.append(t)
        key = _resolve_path(path, tg, by_id)
        if key:
            colmap[col] = key
    # a key claimed by two grid columns means the header was misread; keep the first
    seen_keys, clean = set(), {}
    for col in sorted(colmap):
        if colmap[col] not in seen_keys:
            clean[col] = colmap[col]
            seen_keys.add(colmap[col])
    return clean


def _resolve_path(path: list, tg: TableGrammar, by_id: dict) -> Optional[str]:
    """Walk a header path top-down through the column tree."""
    node_id = None
    for text in path:
        kids = tg.children(node_id)
        m = best_match(text, {k.id: k.labels for k in kids}, COL_THRESHOLD)
        if m:
            node_id = m[0]
        else:
            # a label that skips a level (no 行政诉讼 cell above 未经复议直接起诉)
            for k in kids:
                gm = best_match(text, {g.id: g.labels for g in tg.children(k.id)}, COL_THRESHOLD)
                if gm:
                    node_id = gm[0]
                    break
    if node_id is None or tg.children(node_id):
        return None
    return tg.column_path_key(by_id[node_id])


def _header_order(header_texts: list, tg: TableGrammar) -> Optional[list]:
    """For ragged (flattened) headers: rebuild the leaf order from the label rows.

    Each header row's labels are children of the previous rows' open group
    columns, in order (法人或其他组织 is followed, one row down, by its five
    children). Returns leaf keys in printed order, or None when unsure.
    """
    open_nodes: deque = deque()
    top: list = []
    children: dict = {}
    by_id = {c.id: c for c in tg.columns}
    for row in header_texts:
        next_open: deque = deque()
        for text in row:
            parent = open_nodes[0] if open_nodes else None
            options = tg.children(parent.id if parent else None)
            m = best_match(text, {k.id: k.labels for k in options}, COL_THRESHOLD)
            if not m:
                continue
            node = by_id[m[0]]
            if parent:
                children.setdefault(parent.id, []).append(node)
                if len(children[parent.id]) >= len(tg.children(parent.id)):
                    open_nodes.popleft()
            else:
                top.append(node)
            if tg.children(node.id):
                next_open.append(node)
        open_nodes = deque(list(open_nodes) + list(next_open))
    out: list = []

    def walk(nodes):
        for n in nodes:
            if tg.children(n.id):
                if n.id not in children:
                    return False
                if walk(children[n.id]) is False:
                    return False
            else:
                out.append(tg.column_path_key(n))
        return True

    if not top or walk(top) is False:
        return None
    return out


# --------------------------------------------------------------------------- mapping

class _TableState:
    """What carries over from row to row and block to block of one table."""

    def __init__(self, tg: TableGrammar):
        self.tg = tg
        self.colmap: dict = {}           # grid column → leaf key (rectangular blocks)
        self.order: Optional[list] = None  # leaf keys in printed order (any block)
        self.group: Optional[str] = None

    def read_header(self, table: Table, rows: list) -> None:
        """Column keys from the header rows just passed."""
        self.colmap = _header_colmap(table, rows, self.tg)
        self.order = _header_order([[norm_label(c.text) for c in table.row_cells(h)] for h in rows], self.tg)


def map_requests(blocks: list, tg: TableGrammar) -> MappedTable:
    out = MappedTable("requests")
    st = _TableState(tg)
    leaf_default = tg.leaf_keys()
    row_opts = {r.key: r.labels for r in tg.rows}
    group_opts = {g.id: g.labels for g in tg.groups}
    groups = {g.id: g for g in tg.groups}
    rows_by_key = {r.key: r for r in tg.rows}
    for table in blocks:
        header: list = []
        st.colmap = {}  # grid columns are per block; a continuation maps by column order
        for r in range(table.n_rows):
            cells = table.row_cells(r)
            if not cells:
                continue
            labels, vals = _split_row(cells, st.colmap if table.rectangular else None,
                                      len(st.order or leaf_default))
            if not vals or not _row_has_values(vals) and not _row_key(labels, tg, st, row_opts, group_opts,
                                                                        groups, rows_by_key, probe=True):
                header.append(r)
                continue
            if header:
                st.read_header(table, header)
                header = []
                if st.colmap:
                    labels, vals = _split_row(cells, st.colmap, None)
            key = _row_key(labels, tg, st, row_opts, group_opts, groups, rows_by_key)
            if key is None:
                if labels:
                    out.warnings.append({"code": "row_unmatched", "table": "requests",
                                         "detail": " / ".join(c.text for c in labels)[:120]})
                continue
            _put_values(out, key, vals, st, leaf_default, table.rectangular)
    return out


def _row_key(labels, tg, st, row_opts, group_opts, groups, rows_by_key, probe=False):
    """The row key of a data row from its label cells, updating the group context."""
    key = None
    group = st.group
    for cell in labels:
        text = norm_label(cell.text)
        if not text:
            continue
        gm = best_match(text, group_opts, 0.9)
        rm = best_match(text, row_opts, ROW_THRESHOLD)
        if gm and (not rm or gm[1] >= rm[1]):
            group = gm[0]
            if groups[gm[0]].row_key:
                key = groups[gm[0]].row_key
            continue
        if rm:
            cand = _disambiguate(text, rm, group, tg)
            if cand:
                key = cand
                row = rows_by_key[cand]
                group = row.group
    if not probe:
        st.group = group
    return key


def _disambiguate(text, rm, group, tg) -> Optional[str]:
    """Prefer the row of the current group when a label fits several (3.其他)."""
    scored = []
    for r in tg.rows:
        s = match_score(text, r.labels)
        if s < ROW_THRESHOLD:
            continue
        if r.strict_group and r.group != group:
            continue
        bonus = 0.05 if (group and r.group == group) else 0.0
        scored.append((s + bonus, r.key))
    if not scored:
        return None
    scored.sort(key=lambda t: -t[0])
    return scored[0][1]


def _put_values(out: MappedTable, row_key: str, vals: list, st: _TableState, leaf_default: list,
                rectangular: bool) -> None:
    if rectangular and st.colmap and all(c.col in st.colmap for c in vals):
        for c in vals:
            out.put(f"{row_key}.{st.colmap[c.col]}", c)
        return
    order = st.order if st.order and len(st.order) == len(vals) else leaf_default
    if len(vals) != len(order):
        out.warnings.append({"code": "row_shape", "table": out.name, "key": row_key,
                             "detail": f"{len(vals)} values for {len(order)} columns"})
        if len(vals) > len(order):
            vals = vals[-len(order):]
    for key, c in zip(order, vals):
        out.put(f"{row_key}.{key}", c)


def map_review(blocks: list, tg: TableGrammar) -> MappedTable:
    """The official layout (one row of fifteen values under a three-level header), or
    the transposed one some reports print (a row per group: 行政复议 / 未经复议直接起诉 /
    复议后起诉, the five outcomes as columns)."""
    out = MappedTable("review_litigation")
    leaf_default = tg.leaf_keys()
    groups = {c.id: c for c in tg.columns
              if tg.children(c.id) and not any(tg.children(k.id) for k in tg.children(c.id))}
    outcome_nodes = tg.children(next(iter(groups))) if groups else []
    st = _TableState(tg)
    outcomes: Optional[list] = None
    for table in blocks:
        header: list = []
        st.colmap = {}
        for r in range(table.n_rows):
            cells = table.row_cells(r)
            labels, vals = _split_row(cells, None, None)
            nums = [c for c in vals if parse_cell(c.text).is_value]
            if len(nums) < 5 or not _row_has_values(nums):
                header.append(r)
                continue
            if header:
                st.read_header(table, header)
                outcomes = _outcome_order(table.row_cells(header[-1]), outcome_nodes)
                header = []
            group = _row_group(labels, groups)
            if group is not None and len(nums) == len(outcome_nodes):
                keys = outcomes or [n.key for n in outcome_nodes]
                for key, c in zip(keys, nums):
                    out.put(f"{tg.column_path_key(groups[group])}.{key}", c)
                continue
            if table.rectangular and st.colmap and all(c.col in st.colmap for c in nums):
                for c in nums:
                    out.put(st.colmap[c.col], c)
                continue
            order = st.order if st.order and len(st.order) == len(nums) else leaf_default
            if len(nums) != len(order):
                out.warnings.append({"code": "row_shape", "table": out.name,
                                     "detail": f"{len(nums)} values for {len(order)} columns"})
            for key, c in zip(order, nums[-len(order):]):
                out.put(key, c)
    return out


def _row_group(labels: list, groups: dict) -> Optional[str]:
    """The review/litigation group a transposed row is labelled with, if any."""
    best = None
    for cell in labels:
        m = best_match(norm_label(cell.text), {g.id: g.labels for g in groups.values()}, COL_THRESHOLD)
        if m and (best is None or m[1] >= best[1]):
            best = m
    return best[0] if best else None


def _outcome_order(header_cells: list, outcome_nodes: list) -> Optional[list]:
    """Outcome keys in the order a transposed header prints them (None when unsure)."""
    keys = []
    for cell in header_cells:
        m = best_match(norm_label(cell.text), {n.key: n.labels for n in outcome_nodes}, COL_THRESHOLD)
        if m and m[0] not in keys:
            keys.append(m[0])
    return keys if len(keys) == len(outcome_nodes) else None


def map_proactive(blocks: list, tg: TableGrammar) -> MappedTable:
    """Blocks of 信息内容 | column labels… headers, each followed by data rows."""
    out = MappedTable("proactive")
    row_opts = {r.key: r.labels for r in tg.rows}
    col_opts = {c.key: c.labels for c in tg.columns}
    allowed = set(tg.keys or ())
    for table in blocks:
        cols_by_grid: dict = {}
        cols_in_order: list = []
        for r in range(table.n_rows):
            cells = table.row_cells(r)
            if not cells:
                continue
            texts = [norm_label(c.text) for c in cells]
            col_hits = [best_match(t, col_opts, COL_THRESHOLD) if parse_cell(t).kind == TEXT else None
                        for t in texts]
            if sum(1 for h in col_hits if h) >= 1 and not any(parse_cell(c.text).kind == NUMBER for c in cells):
                cols_by_grid = {c.col: h[0] for c, h in zip(cells, col_hits) if h}
                cols_in_order = [h[0] for h in col_hits if h]
                for t, h in zip(texts, col_hits):
                    if h and any(match_score(t, [x]) >= 0.9 for x in tg.identify):
                        out.edition_hits[t] = True
                continue
            labels, vals = _split_row(cells, None, len(cols_in_order) or None)
            if not vals or not labels:
                continue
            rm = None
            for c in labels:
                m = best_match(norm_label(c.text), row_opts, ROW_THRESHOLD)
                if m and (rm is None or m[1] > rm[1]):
                    rm = m
            if not rm:
                continue
            row_key = rm[0]
            if table.rectangular and cols_by_grid and all(c.col in cols_by_grid for c in vals):
                pairs = [(cols_by_grid[c.col], c) for c in vals]
            else:
                # ragged rows: values in header order (a value spanning two columns, as
                # 2019's 本年增/减, is one cell under one label in both)
                pairs = list(zip(cols_in_order, vals))
            for col_key, c in pairs:
                key = f"{row_key}.{col_key}"
                if not allowed or key in allowed:
                    out.put(key, c)
    return out


# --------------------------------------------------------------------------- entry

@dataclass
class TableFinding:
    tables: dict          # name -> MappedTable
    edition: str          # "2021" | "2019" | "unknown"
    warnings: list


def find_tables(document_tables: list, grammar: Grammar) -> TableFinding:
    """Classify the document's table blocks and map the three tables."""
    groups: dict = {name: [] for name in TABLE_NAMES}
    last = None
    for t in document_tables:
        name, _ = classify_table(t, grammar)
        if name is None and last is not None and t.n_rows > 0:
            name = last  # a continuation with too few labels to judge on its own
        if name:
            groups[name].append(t)
            last = name
    warnings: list = []
    tables: dict = {}
    edition = "unknown"
    if groups["proactive"]:
        best = None
        for ed, tg in grammar.proactive.items():
            mt = map_proactive(groups["proactive"], tg)
            score = (len(mt.edition_hits), len(mt.cells))
            if best is None or score > best[0]:
                best = (score, ed, mt)
        if best and best[0][0] > 0:
            edition = best[1]
        tables["proactive"] = best[2]
    if groups["requests"]:
        tables["requests"] = map_requests(groups["requests"], grammar.requests)
    if groups["review_litigation"]:
        tables["review_litigation"] = map_review(groups["review_litigation"], grammar.review_litigation)
    if edition == "unknown" and "requests" in tables:
        cells = tables["requests"].cells
        if any(k.startswith("other_handling.") for k in cells):
            edition = "2021"
    for name in TABLE_NAMES:
        if name not in tables or not tables[name].cells:
            tables.pop(name, None)
            warnings.append({"code": "table_not_found", "table": name,
                             "detail": "no table with this table's labels was found"})
        else:
            warnings.extend(tables[name].warnings)
    if edition == "unknown":
        warnings.append({"code": "edition_unknown",
                         "detail": "the proactive table's column labels match neither template edition"})
    return TableFinding(tables=tables, edition=edition, warnings=warnings)
