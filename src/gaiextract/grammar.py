"""Load and validate the template grammars in ``grammars/``.

The grammars are data: the six sections and their heading variants, the table
layouts of the 2019 and 2021 editions, the consistency checks and the category
keyword profiles. They are read once per process and validated on load, so a
typo in a grammar fails loudly at start-up instead of silently matching nothing.
"""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from importlib import resources
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .textnorm import label_key


class GrammarError(ValueError):
    """A grammar file is malformed."""


def _read(name: str) -> dict:
    text = resources.files("gaiextract").joinpath("grammars", name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GrammarError(f"grammars/{name}: {exc}") from None


def _need(d: dict, key: str, where: str):
    if key not in d:
        raise GrammarError(f"{where}: missing {key!r}")
    return d[key]


def _labels(d: dict, where: str) -> tuple:
    labels = _need(d, "labels", where)
    if not labels or not all(isinstance(x, str) and x for x in labels):
        raise GrammarError(f"{where}: labels must be non-empty strings")
    return tuple(label_key(x) for x in labels)


@dataclass(frozen=True)
class SectionDef:
    id: str
    heading: str
    variants: tuple
    all_of: tuple  # tuple of tuples of words
    none_of: tuple


@dataclass(frozen=True)
class RowDef:
    key: str
    labels: tuple
    group: Optional[str] = None
    strict_group: bool = False  # only matches inside its group (e.g. "3.其他")
    #: editions whose template has this row (empty: every edition); a found row of a
    #: single edition is evidence for it (（六）'s three sub-rows exist only in 2021)
    editions: tuple = ()


@dataclass(frozen=True)
class GroupDef:
    id: str
    labels: tuple
    row_key: Optional[str] = None  # the group printed as one row (（六）其他处理)


@dataclass(frozen=True)
class ColumnDef:
    """A node of a column-header tree; ``key`` is None for pure grouping nodes."""

    id: str
    labels: tuple
    key: Optional[str] = None
    parent: Optional[str] = None


#: the layout variants a table grammar may declare (``variants = [...]``)
TABLE_VARIANTS = frozenset({
    "split",          # printed as several tables (page breaks, one table per block or group)
    "transposed",     # a row per column group (行政复议 / 未经复议直接起诉 / 复议后起诉)
    "colspan",        # one value spanning two grid columns (2019's 本年增/减, 采购总金额)
    "group_as_row",   # a group printed as one row (（六）其他处理 without sub-rows)
})


@dataclass
class TableGrammar:
    """One layout of a table: its rows, groups and column tree, for one edition or all.

    A cell's key is ``<row key>.<leaf column key>`` (or the leaf column key alone
    in a table without rows, as 四); ``keys`` restricts the cells that exist.
    """

    name: str
    rows: list = field(default_factory=list)       # RowDef
    groups: list = field(default_factory=list)     # GroupDef
    columns: list = field(default_factory=list)    # ColumnDef (tree via parent)
    keys: Optional[tuple] = None                   # allowed keys (proactive)
    identify: tuple = ()                           # edition-identifying labels
    edition: str | None = None                     # None: the layout of every edition

    def children(self, parent_id: Optional[str]) -> list:
        kids = self.__dict__.get("_kids")
        if kids is None:  # the tree is fixed once loaded: index it once
            kids = {}
            for c in self.columns:
                kids.setdefault(c.parent, []).append(c)
            self.__dict__["_kids"] = kids
        return list(kids.get(parent_id, ()))

    def column_path_key(self, node: ColumnDef) -> Optional[str]:
        """The dotted key of a leaf column: keys of the node and its ancestors."""
        parts, n = [], node
        by_id = {c.id: c for c in self.columns}
        while n is not None:
            if n.key:
                parts.append(n.key)
            n = by_id.get(n.parent) if n.parent else None
        return ".".join(reversed(parts)) or None

    def leaf_keys(self) -> list:
        """Leaf column keys in template order (depth first)."""
        cached = self.__dict__.get("_leaves")
        if cached is not None:
            return list(cached)
        out = []

        def walk(pid):
            for c in self.children(pid):
                kids = self.children(c.id)
                if kids:
                    walk(c.id)
                else:
                    out.append(self.column_path_key(c))
        walk(None)
        self.__dict__["_leaves"] = tuple(out)
        return out

    def cell_key(self, row: str | None, column: str) -> str:
        return f"{row}.{column}" if row else column

    def row_cells(self, row: str | None) -> list[str]:
        """The cell keys of one row (None: a table without rows) in printed column order."""
        keys = [self.cell_key(row, c) for c in self.leaf_keys()]
        if self.keys is not None:
            allowed = set(self.keys)
            keys = [k for k in keys if k in allowed]
        return keys

    def row_sequence(self, group_rows: bool = False) -> list:
        """Row keys in printed order; with ``group_rows`` a group that may be printed as one
        row stands in place of its sub-rows."""
        out: list = []
        done: set = set()
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


@dataclass
class TableSpec:
    """Everything the template fixes about one statistical table: its layouts (one per
    edition, or one for all), the variants it may be printed in, the labels that identify
    it and the checks (勾稽关系) that bind its cells. The aligner reads nothing else."""

    name: str
    layouts: list                  # TableGrammar, one per edition or one for all
    variants: frozenset = frozenset()
    checks: list = field(default_factory=list)  # CheckDef with table == name
    #: labels of at least three characters that tell this table from the others
    identify: tuple = ()

    def layout(self, edition: str | None = None) -> TableGrammar:
        for lay in self.layouts:
            if lay.edition == edition:
                return lay
        return self.layouts[0]


@dataclass
class CheckDef:
    id: str
    table: str
    for_each: Optional[str]
    left: tuple
    right: tuple
    detail: str


@dataclass
class CategoryProfile:
    id: str
    keywords: dict  # word -> weight


@dataclass
class Grammar:
    sections: list
    tables: dict             # name -> TableSpec, in printed order
    checks: list
    dimensions: dict
    categories: list
    category_settings: dict

    @property
    def editions(self) -> list:
        """Template editions named by any table layout, in grammar order."""
        out: list = []
        for spec in self.tables.values():
            out += [lay.edition for lay in spec.layouts if lay.edition and lay.edition not in out]
        return out


def _load_sections() -> list:
    data = _read("sections.toml")
    out = []
    for i, s in enumerate(_need(data, "section", "sections.toml")):
        where = f"sections.toml section {i}"
        out.append(SectionDef(
            id=_need(s, "id", where),
            heading=_need(s, "heading", where),
            variants=tuple(label_key(v) for v in s.get("variants", [])),
            all_of=tuple(tuple(g) for g in s.get("all_of", [])),
            none_of=tuple(s.get("none_of", [])),
        ))
    ids = [s.id for s in out]
    if len(set(ids)) != len(ids):
        raise GrammarError("sections.toml: duplicate section ids")
    return out


def _columns(items: list, where: str, child_sets: Optional[dict] = None) -> list:
    cols = []
    for i, c in enumerate(items):
        w = f"{where} column {i}"
        cid = c.get("id") or c.get("key")
        if not cid:
            raise GrammarError(f"{w}: needs an id or key")
        cols.append(ColumnDef(id=cid, labels=_labels(c, w), key=c.get("key"), parent=c.get("parent")))
        if c.get("children_of"):
            kids = (child_sets or {}).get(c["children_of"])
            if kids is None:
                raise GrammarError(f"{w}: unknown children_of {c['children_of']!r}")
            for k in kids:
                cols.append(ColumnDef(id=f"{cid}.{k['key']}", labels=_labels(k, w), key=k["key"], parent=cid))
    ids = {c.id for c in cols}
    for c in cols:
        if c.parent and c.parent not in ids:
            raise GrammarError(f"{where}: column {c.id!r} has unknown parent {c.parent!r}")
    return cols


def _layout(name: str, d: dict, data: dict, where: str, edition: str | None) -> TableGrammar:
    """One layout from a table grammar (or one of its ``[edition.X]`` parts)."""
    groups = [GroupDef(id=_need(g, "id", f"{where} group"), labels=_labels(g, f"{where} group"),
                       row_key=g.get("row_key")) for g in d.get("groups", [])]
    gids = {g.id for g in groups}
    rows = []
    for i, r in enumerate(d.get("rows", [])):
        w = f"{where} row {i}"
        if r.get("group") and r["group"] not in gids:
            raise GrammarError(f"{w}: unknown group {r['group']!r}")
        rows.append(RowDef(key=_need(r, "key", w), labels=_labels(r, w), group=r.get("group"),
                           strict_group=bool(r.get("strict_group")), editions=tuple(r.get("editions", ()))))
    child_sets = {c["children_of"]: data.get(c["children_of"]) for c in _need(d, "columns", where)
                  if c.get("children_of") and data.get(c["children_of"]) is not None}
    cols = _columns(d["columns"], where, child_sets)
    keys = tuple(d["keys"]) if "keys" in d else None
    lay = TableGrammar(name=name, rows=rows, groups=groups, columns=cols, keys=keys,
                       identify=tuple(label_key(x) for x in d.get("identify", [])), edition=edition)
    if keys is not None:
        row_keys = {r.key for r in rows} | {g.row_key for g in groups if g.row_key}
        leaves = set(lay.leaf_keys())
        for k in keys:
            r, _, c = k.partition(".")
            if (rows and r not in row_keys) or (c if rows else k) not in leaves:
                raise GrammarError(f"{where}: key {k!r} names an unknown row or column")
    return lay


def _load_table(name: str, checks: list) -> TableSpec:
    """grammars/<name>.toml: one shape for every table. Top-level rows/groups/columns are the
    layout of every edition; ``[edition.X]`` parts (each complete) are per-edition layouts."""
    fname = f"{name}.toml"
    data = _read(fname)
    variants = frozenset(data.get("variants", ()))
    unknown = variants - TABLE_VARIANTS
    if unknown:
        raise GrammarError(f"{fname}: unknown variants {sorted(unknown)} (known: {sorted(TABLE_VARIANTS)})")
    if "edition" in data:
        layouts = [_layout(name, d, data, f"{fname} edition {ed}", ed) for ed, d in data["edition"].items()]
    else:
        layouts = [_layout(name, data, data, fname, None)]
    return TableSpec(name=name, layouts=layouts, variants=variants,
                     checks=[c for c in checks if c.table == name],
                     identify=tuple(label_key(x) for x in data.get("identify", [])))


def _load_tables(checks: list) -> dict:
    index = _read("tables.toml")
    names = _need(index, "tables", "tables.toml")
    if not names or not all(isinstance(n, str) and n for n in names):
        raise GrammarError("tables.toml: tables must be a list of table names")
    out = {n: _load_table(n, checks) for n in names}
    for c in checks:
        if c.table not in out:
            raise GrammarError(f"checks.toml: check {c.id!r} names an unknown table {c.table!r}")
    return out


def _load_checks() -> tuple:
    data = _read("checks.toml")
    dims = data.get("dimensions", {})
    checks = []
    for i, c in enumerate(_need(data, "check", "checks.toml")):
        w = f"checks.toml check {i}"
        fe = c.get("for_each")
        if fe and fe not in ("row", "column", "group"):
            raise GrammarError(f"{w}: for_each must be row, column or group")
        checks.append(CheckDef(id=_need(c, "id", w), table=_need(c, "table", w), for_each=fe,
                               left=tuple(_need(c, "left", w)), right=tuple(_need(c, "right", w)),
                               detail=c.get("detail", "")))
    return checks, dims


def _load_categories() -> tuple:
    data = _read("categories.toml")
    profiles = []
    for cid, d in _need(data, "category", "categories.toml").items():
        kw = {label_key(k): float(v) for k, v in _need(d, "keywords", f"categories.toml {cid}").items()}
        profiles.append(CategoryProfile(id=cid, keywords=kw))
    return profiles, data.get("settings", {})


@functools.lru_cache(maxsize=1)
def load() -> Grammar:
    """The grammar, loaded and validated once per process."""
    return build()


def build() -> Grammar:
    """Load and validate the grammar now (uncached; ``load`` caches it)."""
    checks, dims = _load_checks()
    cats, settings = _load_categories()
    return Grammar(sections=_load_sections(), tables=_load_tables(checks), checks=checks, dimensions=dims,
                   categories=cats, category_settings=settings)
