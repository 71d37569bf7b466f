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


@dataclass(frozen=True)
class GroupDef:
    id: str
    labels: tuple
    row_key: Optional[str] = None


@dataclass(frozen=True)
class ColumnDef:
    """A node of a column-header tree; ``key`` is None for pure grouping nodes."""

    id: str
    labels: tuple
    key: Optional[str] = None
    parent: Optional[str] = None


@dataclass
class TableGrammar:
    name: str
    rows: list = field(default_factory=list)       # RowDef
    groups: list = field(default_factory=list)     # GroupDef
    columns: list = field(default_factory=list)    # ColumnDef (tree via parent)
    keys: Optional[tuple] = None                   # allowed keys (proactive)
    identify: tuple = ()                           # edition-identifying labels

    def children(self, parent_id: Optional[str]) -> list:
        return [c for c in self.columns if c.parent == parent_id]

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
        out = []

        def walk(pid):
            for c in self.children(pid):
                kids = self.children(c.id)
                if kids:
                    walk(c.id)
                else:
                    out.append(self.column_path_key(c))
        walk(None)
        return out


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
    proactive: dict          # edition -> TableGrammar
    requests: TableGrammar
    review_litigation: TableGrammar
    checks: list
    dimensions: dict
    categories: list
    category_settings: dict

    @property
    def editions(self) -> list:
        return list(self.proactive)


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


def _load_proactive() -> dict:
    data = _read("proactive.toml")
    out = {}
    for edition, d in _need(data, "edition", "proactive.toml").items():
        where = f"proactive.toml edition {edition}"
        rows = [RowDef(key=_need(r, "key", where), labels=_labels(r, where)) for r in _need(d, "rows", where)]
        cols = _columns(_need(d, "columns", where), where)
        keys = tuple(_need(d, "keys", where))
        row_keys = {r.key for r in rows}
        col_keys = {c.key for c in cols}
        for k in keys:
            r, _, c = k.partition(".")
            if r not in row_keys or c not in col_keys:
                raise GrammarError(f"{where}: key {k!r} names an unknown row or column")
        out[edition] = TableGrammar(name="proactive", rows=rows, columns=cols, keys=keys,
                                    identify=tuple(label_key(x) for x in d.get("identify", [])))
    return out


def _load_requests() -> TableGrammar:
    data = _read("requests.toml")
    groups = [GroupDef(id=_need(g, "id", "requests.toml group"), labels=_labels(g, "requests.toml group"),
                       row_key=g.get("row_key")) for g in data.get("groups", [])]
    gids = {g.id for g in groups}
    rows = []
    for i, r in enumerate(_need(data, "rows", "requests.toml")):
        w = f"requests.toml row {i}"
        if r.get("group") and r["group"] not in gids:
            raise GrammarError(f"{w}: unknown group {r['group']!r}")
        rows.append(RowDef(key=_need(r, "key", w), labels=_labels(r, w), group=r.get("group"),
                           strict_group=bool(r.get("strict_group"))))
    return TableGrammar(name="requests", rows=rows, groups=groups,
                        columns=_columns(_need(data, "columns", "requests.toml"), "requests.toml"))


def _load_review() -> TableGrammar:
    data = _read("review_litigation.toml")
    cols = _columns(_need(data, "columns", "review_litigation.toml"), "review_litigation.toml",
                    {"outcome": _need(data, "outcome", "review_litigation.toml")})
    return TableGrammar(name="review_litigation", columns=cols)


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
    checks, dims = _load_checks()
    cats, settings = _load_categories()
    return Grammar(sections=_load_sections(), proactive=_load_proactive(), requests=_load_requests(),
                   review_litigation=_load_review(), checks=checks, dimensions=dims,
                   categories=cats, category_settings=settings)
