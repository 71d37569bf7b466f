"""The loaded grammar's types: sections, table layouts (rows, groups, column trees),
checks, category profiles and the compiled wording of facts, problems and run-in headings."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Optional

#: section roles: what build_report does with a section beyond its text
ROLE_SUBSECTIONS, ROLE_PROBLEMS, ROLE_FEES = "subsections", "problems", "fees"
SECTION_ROLES = (ROLE_SUBSECTIONS, ROLE_PROBLEMS, ROLE_FEES)


class GrammarError(ValueError):
    """A grammar file is malformed (the message names the file, line and key)."""


@dataclass(frozen=True)
class SectionDef:
    id: str
    heading: str
    variants: tuple[str, ...]
    all_of: tuple[tuple[str, ...], ...]  # tuple of tuples of words
    none_of: tuple[str, ...]
    role: str | None = None  # subsections | problems | fees (what else is read from it)


@dataclass(frozen=True)
class RowDef:
    key: str
    labels: tuple[str, ...]
    group: Optional[str] = None
    strict_group: bool = False  # only matches inside its group (e.g. "3.其他")
    #: editions whose template has this row (empty: every edition); a found row of a
    #: single edition is evidence for it (（六）'s three sub-rows exist only in 2021)
    editions: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupDef:
    id: str
    labels: tuple[str, ...]
    row_key: Optional[str] = None  # the group printed as one row (（六）其他处理)


@dataclass(frozen=True)
class ColumnDef:
    """A node of a column-header tree; ``key`` is None for pure grouping nodes."""

    id: str
    labels: tuple[str, ...]
    key: Optional[str] = None
    parent: Optional[str] = None
    #: a column whose values may be negative (本年增/减); elsewhere a minus is a placeholder mark
    signed: bool = False
    #: the largest value the column's printed unit allows (amounts in 万元); None: no bound
    max_value: float | None = None


#: the layout variants a table grammar may declare (``variants = [...]``)
TABLE_VARIANTS = frozenset({
    "split",          # printed as several tables (page breaks, one table per block or group)
    "transposed",     # a row per column group (行政复议 / 未经复议直接起诉 / 复议后起诉)
    "colspan",        # one value spanning two grid columns (2019's 本年增/减, 采购总金额)
    "group_as_row",   # a group printed as one row (（六）其他处理 without sub-rows)
})


@dataclass(frozen=True)
class LabelConfusions:
    """Pairs of characters OCR and converters print for one another in table labels
    (``tables.toml`` [label_confusions]), held both ways: a one-character substitution
    of a listed pair scores above an unlisted one (``layout.labels.substitution``)."""

    pairs: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> LabelConfusions:
        """The confusions of ``pairs`` (each ``(a, b)``), in both directions."""
        listed = list(pairs)
        both = {(a, b) for a, b in listed} | {(b, a) for a, b in listed}
        return cls(frozenset(both))

    def __contains__(self, pair: object) -> bool:
        return pair in self.pairs

    def __hash__(self) -> int:
        return hash(self.pairs)  # a frozenset caches its hash: cheap in every cached match's key


#: no confusions (a layout built outside a grammar)
NO_CONFUSIONS = LabelConfusions()


@dataclass
class TableGrammar:
    """One layout of a table: its rows, groups and column tree, for one edition or all.

    A cell's key is ``<row key>.<leaf column key>`` (or the leaf column key alone
    in a table without rows, as 四); ``keys`` restricts the cells that exist.
    """

    name: str
    rows: list[RowDef] = field(default_factory=list)
    groups: list[GroupDef] = field(default_factory=list)
    columns: list[ColumnDef] = field(default_factory=list)  # a tree via parent
    keys: Optional[tuple[str, ...]] = None                   # allowed keys (proactive)
    identify: tuple[str, ...] = ()                           # edition-identifying labels
    edition: str | None = None                     # None: the layout of every edition
    #: the grammar's label confusions, which its labels are matched with
    confusions: LabelConfusions = NO_CONFUSIONS
    #: the column tree indexed once, when the layout is built (it never changes after)
    _kids: dict[str | None, tuple[ColumnDef, ...]] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, ColumnDef] = field(init=False, repr=False, compare=False)
    _leaves: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kids: dict[str | None, list[ColumnDef]] = {}
        for c in self.columns:
            kids.setdefault(c.parent, []).append(c)
        self._kids = {k: tuple(v) for k, v in kids.items()}
        self._by_id = {c.id: c for c in self.columns}
        out: list[str] = []

        def walk(pid: str | None) -> None:
            for c in self.children(pid):
                if self.children(c.id):
                    walk(c.id)
                else:
                    key = self.column_path_key(c)
                    if key is not None:
                        out.append(key)
        walk(None)
        self._leaves = tuple(out)

    def children(self, parent_id: Optional[str]) -> list[ColumnDef]:
        return list(self._kids.get(parent_id, ()))

    def column_path_key(self, node: ColumnDef) -> Optional[str]:
        """The dotted key of a leaf column: keys of the node and its ancestors."""
        parts: list[str] = []
        n: ColumnDef | None = node
        while n is not None:
            if n.key:
                parts.append(n.key)
            n = self._by_id.get(n.parent) if n.parent else None
        return ".".join(reversed(parts)) or None

    def leaf_keys(self) -> list[str]:
        """Leaf column keys in template order (depth first)."""
        return list(self._leaves)

    def cell_key(self, row: str | None, column: str) -> str:
        return f"{row}.{column}" if row else column

    def row_cells(self, row: str | None) -> list[str]:
        """The cell keys of one row (None: a table without rows) in printed column order."""
        keys = [self.cell_key(row, c) for c in self.leaf_keys()]
        if self.keys is not None:
            allowed = set(self.keys)
            keys = [k for k in keys if k in allowed]
        return keys

    def row_sequence(self, group_rows: bool = False) -> list[str]:
        """Row keys in printed order; with ``group_rows`` a group that may be printed as one
        row stands in place of its sub-rows."""
        out: list[str] = []
        done: set[str] = set()
        by_group = {g.id: g for g in self.groups}
        for r in self.rows:
            g = by_group.get(r.group) if r.group else None
            if group_rows and g is not None and g.row_key:
                if g.id not in done:
                    out.append(g.row_key)
                    done.add(g.id)
                continue
            out.append(r.key)
        return out

    def value_bounds(self) -> dict[str, float]:
        """Cell key -> the largest value its column allows (columns with ``max_value``)."""
        bounded = {key: chain[-1].max_value for key, chain in self.leaf_chains()
                   if chain[-1].max_value is not None}
        if not bounded:
            return {}
        rows: list[str | None] = list(self.row_sequence()) + [g.row_key for g in self.groups if g.row_key]
        out: dict[str, float] = {}
        for row in rows or [None]:
            for key in self.row_cells(row):
                col = key[len(row) + 1:] if row else key
                if col in bounded:
                    out[key] = bounded[col]
        return out

    def leaf_chains(self) -> list[tuple[str, list[ColumnDef]]]:
        """``(dotted leaf key, its columns root→leaf)`` for every leaf column, in printed order."""
        by_id = self._by_id
        out: list[tuple[str, list[ColumnDef]]] = []

        def walk(pid: str | None) -> None:
            for c in self.children(pid):
                if self.children(c.id):
                    walk(c.id)
                    continue
                chain: list[ColumnDef] = []
                n: ColumnDef | None = c
                while n is not None:
                    chain.append(n)
                    n = by_id.get(n.parent) if n.parent else None
                out.append((self.column_path_key(c), list(reversed(chain))))
        walk(None)
        return out

    def row_labels(self) -> list[tuple[str, str]]:
        """``(row key, label as printed)`` in printed order, the template's first wording;
        a group that may print as one row comes before its sub-rows, and a sub-row's label
        carries its group's (``不予公开 · 属于国家秘密``)."""
        by_group = {g.id: g for g in self.groups}
        out: list[tuple[str, str]] = []
        done: set[str] = set()
        for r in self.rows:
            g = by_group.get(r.group) if r.group else None
            label = r.labels[0] if r.labels else r.key
            if g is not None and g.row_key and g.id not in done:
                done.add(g.id)
                out.append((g.row_key, g.labels[0]))
            if g is not None and r.key.startswith(g.id + "."):
                label = f"{g.labels[0]} · {label}"
            out.append((r.key, label))
        return out

    def key_labels(self) -> dict[str, tuple[str, str]]:
        """Every cell key → ``(row label, column label)`` as the template prints them; in a
        table without rows (四) the column's ancestors stand as the row label."""
        out: dict[str, tuple[str, str]] = {}
        chains = self.leaf_chains()
        if not self.rows:
            for key, chain in chains:
                out[key] = (" · ".join(c.labels[0] for c in chain[:-1]), chain[-1].labels[0])
            return out
        allowed = set(self.keys) if self.keys is not None else None
        for row, rlabel in self.row_labels():
            for ck, chain in chains:
                key = self.cell_key(row, ck)
                if allowed is None or key in allowed:
                    out[key] = (rlabel, "/".join(c.labels[0] for c in chain))
        return out


@dataclass
class TableSpec:
    """Everything the template fixes about one statistical table: its layouts (one per
    edition, or one for all), the variants it may be printed in, the labels that identify
    it and the checks (勾稽关系) that bind its cells. The aligner reads nothing else."""

    name: str
    layouts: list[TableGrammar]    # one per edition or one for all
    variants: frozenset[str] = frozenset()
    checks: list[CheckDef] = field(default_factory=list)  # with table == name
    #: labels of at least three characters that tell this table from the others
    identify: tuple[str, ...] = ()

    def value_bounds(self) -> dict[str, float]:
        """Cell key -> the largest value its column allows, over every layout."""
        out: dict[str, float] = {}
        for lay in self.layouts:
            out.update(lay.value_bounds())
        return out

    def layout(self, edition: str | None = None) -> TableGrammar:
        for lay in self.layouts:
            if lay.edition == edition:
                return lay
        return self.layouts[0]


@dataclass
class CheckDef:
    id: str
    table: str
    for_each: str | None
    left: tuple[str, ...]
    right: tuple[str, ...]
    rule: str  # the equation, as printed in every check result (holds or fails)


@dataclass
class CategoryProfile:
    id: str
    keywords: dict[str, float]  # word -> weight


@dataclass(frozen=True)
class FeeGrammar:
    """Compiled fee phrases of section 六 (``facts.toml`` [fees])."""

    notices: tuple[re.Pattern[str], ...]  # patterns: group 1 the number of notices
    amount_notified: tuple[re.Pattern[str], ...]  # patterns: group 1 the amount, group 2 the unit
    amount_collected: tuple[re.Pattern[str], ...]
    no_notices: tuple[re.Pattern[str], ...]  # statements that no notice was issued
    no_collection: tuple[re.Pattern[str], ...]  # statements that no fee was collected
    units: dict[str, float]  # unit as printed -> factor to 元


@dataclass(frozen=True)
class FactsGrammar:
    """Compiled title, agency and year wording (``facts.toml``)."""

    title_core: re.Pattern
    title_max: int
    title_meta_keys: tuple[str, ...]
    meta_line: re.Pattern
    title_agency_line_max: int
    title_max_lines: int  # heading lines a broken title is read back from
    title_strip_prefixes: tuple[str, ...]
    title_strip: re.Pattern
    title_chrome: re.Pattern | None
    year: re.Pattern
    title_year: re.Pattern
    year_cut: re.Pattern  # the rest of a year a line break cut off (fullmatch)
    body_year: re.Pattern
    body_lines: int
    agency_suffixes: tuple[str, ...]
    agency_followers: re.Pattern
    agency_not_starts: tuple[str, ...]
    agency_not_names: tuple[str, ...]
    agency_run: re.Pattern
    agency_min_len: int
    markers: tuple[str, ...]
    fees: FeeGrammar


@dataclass(frozen=True)
class ProblemsGrammar:
    """Compiled wording of section 五 (``problems.toml``)."""

    turn: re.Pattern
    turn_window: int
    turn_min_offset: int
    part_head: re.Pattern
    item_shi: re.Pattern
    item_strip: str


@dataclass(frozen=True)
class RunInGrammar:
    """Headings inside running text (sections.toml ``[run_in]``, ``[[implicit]]``; layout/runin.py)."""

    head_ends: tuple[str, ...] = ()  # words that end an overview sub-head (方面)
    openers: tuple[str, ...] = ()  # words that open a sentence of body text after a sub-head
    opener_patterns: tuple[re.Pattern[str], ...] = ()  # compiled patterns that open one too ("2023年")
    not_after: str = ""       # a numbering right after one of these is a citation (第（一）项)
    implicit: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (section id, start wordings as label keys) of sections without a heading
    section_ends: tuple[str, ...] = ()  # words a section heading that is no variant may end with (情况, 事项)


@dataclass(frozen=True)
class Tie:
    """One tie between an agency's report N and its report N-1 (``series.toml`` [[tie]])."""

    id: str
    table: str
    for_each: str | None
    this: str
    previous: str
    relation: str  # eq | ge
    detail: str
    when_text: tuple[str, ...]


@dataclass(frozen=True)
class AgencyRules:
    """How agency names are normalised and grouped (``agencies.toml``)."""

    replace: tuple[tuple[str, str], ...]  # longest first
    division_prefix: re.Pattern[str]
    short_form: re.Pattern[str]


@dataclass(frozen=True)
class ExportColumn:
    """A fixed export column's name (``export.toml`` [columns.X])."""

    label: str
    meaning: str
    unit: str | None = None


@dataclass(frozen=True)
class ExportWording:
    """What the exports call their columns and sheets (``export.toml``): what the table
    grammars do not say (the tables' short names, units, fixed columns, sheet names)."""

    joiner: str                          # between a label's parts (表·行·列)
    with_unit: str                       # "{label}（{unit}）"
    tables: dict[str, str]               # table name -> short name
    count_unit: str                      # the unit of every cell but the amounts
    amount_units: dict[str, str]         # "<table>.<key>" -> unit of an amount
    sheet_edition: str                   # "{edition}年版"
    sheet_unknown_edition: str
    sheet_dictionary: str
    sheet_cells: str
    dictionary_header: tuple[str, ...]
    all_editions: str
    columns: dict[str, ExportColumn]     # fixed columns by key


@dataclass
class Grammar:
    sections: list[SectionDef]
    tables: dict[str, TableSpec]  # in printed order
    checks: list[CheckDef]
    dimensions: dict[str, list[str]]
    categories: list[CategoryProfile]
    category_settings: dict[str, Any]
    #: what ties an agency's report to its previous year's (series.toml)
    ties: tuple[Tie, ...]
    #: how agency names are normalised and grouped (agencies.toml)
    agencies: AgencyRules
    #: characters misread for one another in table labels (tables.toml [label_confusions])
    label_confusions: LabelConfusions
    #: what the exports call their columns and sheets (export.toml)
    export: ExportWording
    facts: FactsGrammar
    problems: ProblemsGrammar
    run_in: RunInGrammar = field(default_factory=RunInGrammar)
    #: the user grammar directory merged over the shipped one (None: shipped only)
    user_dir: str | None = None
    _roles: dict[str, str | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._roles = {s.id: s.role for s in self.sections}

    @property
    def editions(self) -> list[str]:
        """Template editions named by any table layout, in grammar order."""
        out: list[str] = []
        for spec in self.tables.values():
            out += [lay.edition for lay in spec.layouts if lay.edition and lay.edition not in out]
        return out

    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]

    def role(self, section_id: str) -> str | None:
        """What else is read from a section (subsections | problems | fees), or None."""
        return self._roles.get(section_id)

    def table_names(self) -> list[str]:
        """The three tables, in template order (they are also sections of that id)."""
        return [s.id for s in self.sections if s.id in self.tables]

    def check_ids(self) -> list[str]:
        """Every check id the grammar can produce: each rule over its dimension (a row
        rule over the row keys of its table)."""
        out = []
        for c in self.checks:
            if c.for_each is None:
                out.append(c.id)
                continue
            values = self.dimensions.get(c.for_each)
            if values is None and c.for_each == "row":
                spec = self.tables.get(c.table)
                values = [] if spec is None else [
                    key for lay in spec.layouts
                    for key in [r.key for r in lay.rows] + [g.row_key for g in lay.groups if g.row_key]]
            out += [c.id.format(**{c.for_each: v}) for v in dict.fromkeys(values or [])]
        return out

