"""Load and validate the template grammars in ``grammars/``, and users' own grammars.

The grammars are data: the six sections and their heading variants, the table
layouts of the 2019 and 2021 editions, the consistency checks, the category
keyword profiles and the wording of the report's facts (title, agency, fees) and
of section 五's turn to measures. They are read once per grammar directory and
validated on load (JSON Schema files in ``grammars/schema/``, then the
cross-references), so a typo in a grammar fails loudly with its file, line and key
instead of silently matching nothing.

A user's grammar directory holds only what it changes: each of its ``*.toml`` files
is merged into the shipped file of the same name at the raw TOML level (see
:func:`merge`) before anything reads it, so every loader below benefits unchanged.
"""
from __future__ import annotations

import contextvars
import functools
import json
import os
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Optional, Union

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .textnorm import CN_DIGITS, HAN, PROSE_NUMBER, label_key

#: environment variable naming a user grammar directory used when none is passed
GRAMMAR_ENV = "GAIEXTRACT_GRAMMAR"
#: keys that identify an item of a list of tables, so that a user's item extends the
#: shipped item with the same identity instead of being appended
ITEM_IDS = ("id", "key")
#: pattern lists whose patterns capture a value (group 1: a number, a year, a numeral)
CAPTURING_PATTERNS = ("notices_patterns", "amount_notified_patterns", "amount_collected_patterns",
                      "item_patterns", "patterns")
#: section roles: what build_report does with a section beyond its text
ROLE_SUBSECTIONS, ROLE_PROBLEMS, ROLE_FEES = "subsections", "problems", "fees"
SECTION_ROLES = (ROLE_SUBSECTIONS, ROLE_PROBLEMS, ROLE_FEES)


class GrammarError(ValueError):
    """A grammar file is malformed (the message names the file, line and key)."""


#: the user grammar directory being loaded (read by :func:`_read`)
_USER_DIR: contextvars.ContextVar[Path | None] = contextvars.ContextVar("gaiextract_user_grammar",
                                                                         default=None)


def _shipped_text(name: str) -> str:
    return resources.files("gaiextract").joinpath("grammars", name).read_text(encoding="utf-8")


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GrammarError(f"{where}: {exc}") from None


def merge(base: Any, extra: Any) -> Any:
    """``extra`` (a user's file) laid over ``base`` (the shipped one), generically:

    * tables merge key by key, recursively;
    * a list of tables whose items carry an ``id`` or ``key`` is merged item by item:
      a user item with a known identity extends that item, a new one is appended;
    * any other list (labels, variants, keywords, phrases) is extended, keeping order
      and dropping repeats;
    * a scalar (a heading, a weight, a setting) is replaced.
    """
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        ident = _item_id_key(base) or _item_id_key(extra)
        if ident:
            out = list(base)
            index = {item.get(ident): i for i, item in enumerate(out) if isinstance(item, dict)}
            for item in extra:
                key = item.get(ident) if isinstance(item, dict) else None
                if key is not None and key in index:
                    out[index[key]] = merge(out[index[key]], item)
                else:
                    out.append(item)
            return out
        out = list(base)
        for item in extra:
            if item not in out:
                out.append(item)
        return out
    return extra


def _item_id_key(items: list[Any]) -> str | None:
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for k in ITEM_IDS:
        if any(k in i for i in items):
            return k
    return None


def _read(name: str) -> dict[str, Any]:
    """One grammar file as a validated dict: the shipped file, with the current user
    grammar's file of the same name merged over it."""
    data = _parse(_shipped_text(name), f"grammars/{name}")
    user_dir = _USER_DIR.get()
    user_file = user_dir / name if user_dir is not None else None
    if user_file is not None and user_file.is_file():
        text = user_file.read_text(encoding="utf-8")
        extra = _parse(text, str(user_file))
        _validate(extra, name, str(user_file), text, partial=True)
        data = merge(data, extra)
        _validate(data, name, str(user_file), text, partial=False)
    # the shipped files are validated against their schemas by the test suite
    # (tests/test_grammar.py), so a plain run does not pay for importing jsonschema
    return data


# ------------------------------------------------------------------ validation

@functools.cache
def file_schema(name: str) -> dict[str, Any] | None:
    """The JSON Schema of grammar file ``name`` (``grammars/schema/<stem>.schema.json``)."""
    path = resources.files("gaiextract").joinpath("grammars", "schema", name.replace(".toml", ".schema.json"))
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _without_required(schema: Any) -> Any:
    """The schema of a user's partial file: nothing is required, everything else holds."""
    if isinstance(schema, dict):
        return {k: _without_required(v) for k, v in schema.items() if k not in ("required", "minItems")}
    if isinstance(schema, list):
        return [_without_required(v) for v in schema]
    return schema


def _validate(data: dict[str, Any], name: str, where: str, text: str, partial: bool) -> None:
    schema = file_schema(name)
    if schema is None:
        return
    import jsonschema

    if partial:
        schema = _without_required(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        e = errors[0]
        path = list(e.absolute_path)
        raise GrammarError(f"{where}: line {locate(text, path)}: key {dotted(path) or '<top>'}: {e.message}")
    _check_patterns(data, name, where, text)


def _check_patterns(data: Any, name: str, where: str, text: str, path: tuple[str | int, ...] = ()) -> None:
    """Every regular expression of the grammar compiles (keys named ``*patterns``/``pattern``)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k.endswith("patterns") or k == "pattern":
                for i, pat in enumerate(v if isinstance(v, list) else [v]):
                    p = [*path, k] + ([i] if isinstance(v, list) else [])
                    try:
                        groups = re.compile(expand(pat)).groups
                    except (re.error, KeyError, IndexError, ValueError, TypeError) as exc:
                        raise GrammarError(f"{where}: line {locate(text, p)}: key {dotted(p)}: "
                                           f"not a valid pattern: {exc}") from None
                    if k in CAPTURING_PATTERNS and groups < 1:
                        raise GrammarError(f"{where}: line {locate(text, p)}: key {dotted(p)}: "
                                           f"needs a capture group for the value ({{number}} is one)")
            else:
                _check_patterns(v, name, where, text, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _check_patterns(v, name, where, text, (*path, i))


def expand(pattern: str) -> str:
    """A grammar pattern with its placeholders filled from textnorm: ``{number}`` a
    number as prose writes it (digits or Chinese numerals, one group), ``{han}`` the
    Han character range (inside ``[...]``), ``{numeral}`` one numbering numeral."""
    return (pattern.replace("{number}", PROSE_NUMBER).replace("{han}", HAN)
            .replace("{numeral}", f"[{CN_DIGITS}]"))


def dotted(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def locate(text: str, path: list[str | int]) -> int:
    """The line (1-based) of ``path`` in a TOML file's text, found from its headers and
    keys (``[[section]]`` counted for list items; best effort, never fails)."""
    lines = text.splitlines()
    pos, prefix = 0, []
    i = 0
    while i < len(path):
        key = path[i]
        if not isinstance(key, str):
            i += 1
            continue
        idx = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else None
        header = ".".join([*prefix, key])
        if idx is not None:
            heads = [n for n, ln in enumerate(lines) if re.match(rf"\s*\[\[\s*{re.escape(header)}\s*\]\]", ln)]
            if idx < len(heads):
                pos, prefix = heads[idx], [*prefix, key]
                i += 2
                continue
        found = None
        for n in range(pos, len(lines)):
            ln = lines[n]
            if re.match(rf"\s*\[\s*{re.escape(header)}\s*\]", ln):
                found, prefix = n, [*prefix, key]
                break
            if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", ln):
                found = n
                break
        if found is None:
            break
        pos = found
        i += 2 if idx is not None else 1
    return pos + 1


def _need(d: dict[str, Any], key: str, where: str):
    if key not in d:
        raise GrammarError(f"{where}: missing {key!r}")
    return d[key]


def _labels(d: dict[str, Any], where: str) -> tuple[str, ...]:
    labels = _need(d, "labels", where)
    if not labels or not all(isinstance(x, str) and x for x in labels):
        raise GrammarError(f"{where}: labels must be non-empty strings")
    return tuple(label_key(x) for x in labels)


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
    rows: list[RowDef] = field(default_factory=list)
    groups: list[GroupDef] = field(default_factory=list)
    columns: list[ColumnDef] = field(default_factory=list)  # a tree via parent
    keys: Optional[tuple[str, ...]] = None                   # allowed keys (proactive)
    identify: tuple[str, ...] = ()                           # edition-identifying labels
    edition: str | None = None                     # None: the layout of every edition

    def children(self, parent_id: Optional[str]) -> list[ColumnDef]:
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

    def leaf_keys(self) -> list[str]:
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


    def leaf_chains(self) -> list[tuple[str, list[ColumnDef]]]:
        """``(dotted leaf key, its columns root→leaf)`` for every leaf column, in printed order."""
        by_id = {c.id: c for c in self.columns}
        out: list[tuple[str, list[ColumnDef]]] = []

        def walk(pid: str | None) -> None:
            for c in self.children(pid):
                if self.children(c.id):
                    walk(c.id)
                    continue
                chain, n = [], c
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
    title_strip_prefixes: tuple[str, ...]
    title_strip: re.Pattern
    title_chrome: re.Pattern | None
    year: re.Pattern
    title_year: re.Pattern
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


@dataclass
class Grammar:
    sections: list[SectionDef]
    tables: dict[str, TableSpec]  # in printed order
    checks: list[CheckDef]
    dimensions: dict[str, list[str]]
    categories: list[CategoryProfile]
    category_settings: dict[str, Any]
    facts: FactsGrammar | None = None
    problems: ProblemsGrammar | None = None
    run_in: RunInGrammar = field(default_factory=RunInGrammar)
    #: the user grammar directory merged over the shipped one (None: shipped only)
    user_dir: str | None = None

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
        roles = self.__dict__.get("_roles")
        if roles is None:
            roles = self.__dict__["_roles"] = {s.id: s.role for s in self.sections}
        return roles.get(section_id)

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


def _load_sections() -> list[SectionDef]:
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
            role=s.get("role"),
        ))
    ids = [s.id for s in out]
    if len(set(ids)) != len(ids):
        raise GrammarError("sections.toml: duplicate section ids")
    return out


def _compiled_run_in(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise GrammarError(f"sections.toml: [run_in] opener_patterns: {exc}") from None


def _load_run_in() -> RunInGrammar:
    data = _read("sections.toml")
    r = data.get("run_in", {})
    implicit = tuple((item["id"], tuple(label_key(w) for w in item["starts"])) for item in data.get("implicit", []))
    return RunInGrammar(head_ends=tuple(r.get("head_ends", ())), openers=tuple(r.get("openers", ())),
                        opener_patterns=_compiled_run_in(r.get("opener_patterns", ())),
                        not_after="".join(r.get("not_after", ())), implicit=implicit,
                        section_ends=tuple(r.get("section_ends", ())))


def _columns(items: list[dict[str, Any]], where: str,
             child_sets: Optional[dict[str, list[dict[str, Any]]]] = None) -> list[ColumnDef]:
    cols = []
    for i, c in enumerate(items):
        w = f"{where} column {i}"
        cid = c.get("id") or c.get("key")
        if not cid:
            raise GrammarError(f"{w}: needs an id or key")
        cols.append(ColumnDef(id=cid, labels=_labels(c, w), key=c.get("key"), parent=c.get("parent"),
                              signed=bool(c.get("signed", False))))
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


def _layout(name: str, d: dict[str, Any], data: dict[str, Any], where: str, edition: str | None) -> TableGrammar:
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


def _load_table(name: str, checks: list[CheckDef]) -> TableSpec:
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


def _load_tables(checks: list[CheckDef]) -> dict[str, TableSpec]:
    index = _read("tables.toml")
    names = _need(index, "tables", "tables.toml")
    if not names or not all(isinstance(n, str) and n for n in names):
        raise GrammarError("tables.toml: tables must be a list of table names")
    out = {n: _load_table(n, checks) for n in names}
    for c in checks:
        if c.table not in out:
            raise GrammarError(f"checks.toml: check {c.id!r} names an unknown table {c.table!r}")
    return out


def _load_checks() -> tuple[list[CheckDef], dict[str, list[str]]]:
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
                               rule=_need(c, "rule", w)))
    return checks, dims


def _load_categories() -> tuple[list[CategoryProfile], dict[str, Any]]:
    data = _read("categories.toml")
    profiles = []
    for cid, d in _need(data, "category", "categories.toml").items():
        kw = {label_key(k): float(v) for k, v in _need(d, "keywords", f"categories.toml {cid}").items()}
        profiles.append(CategoryProfile(id=cid, keywords=kw))
    settings = data.get("settings", {})
    if settings.get("fallback") not in {p.id for p in profiles}:
        raise GrammarError(f"categories.toml: settings.fallback {settings.get('fallback')!r} is not a category")
    return profiles, settings


def _patterns(items: list[str]) -> re.Pattern:
    """One alternation of grammar patterns (placeholders expanded)."""
    return re.compile("|".join(f"(?:{expand(p)})" for p in items))


def _compiled(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(expand(p)) for p in items)


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _load_facts() -> FactsGrammar:
    d = _read("facts.toml")
    t, a, y, f = d["title"], d["agency"], d["year"], d["fees"]
    fees = FeeGrammar(notices=_compiled(f["notices_patterns"]),
                      amount_notified=_compiled(f["amount_notified_patterns"]),
                      amount_collected=_compiled(f["amount_collected_patterns"]),
                      no_notices=_compiled(f["no_notices_patterns"]),
                      no_collection=_compiled(f["no_collection_patterns"]),
                      units={k: float(v) for k, v in f["units"].items()})
    meta = t["meta_keys"] + d["meta"]["other_keys"]
    return FactsGrammar(
        title_core=_patterns(t["core_patterns"]), title_max=int(t["max_length"]),
        title_meta_keys=tuple(t["meta_keys"]),
        meta_line=re.compile(rf"^\s*({_words(meta)})\s*[:：]\s*(.*)$"),
        title_agency_line_max=int(t["agency_line_max"]),
        title_strip_prefixes=tuple(t.get("strip_prefixes", [])),
        title_strip=re.compile(f"[{re.escape(t['strip_chars'])}]+"),
        title_chrome=_patterns(t["chrome_patterns"]) if t.get("chrome_patterns") else None,
        year=_patterns(y["patterns"]), title_year=_patterns(y["title_patterns"]),
        body_year=_patterns(y["body_opening_patterns"]), body_lines=int(y["body_lines"]),
        agency_suffixes=tuple(sorted(a["suffixes"], key=len, reverse=True)),
        agency_followers=re.compile(f"^(?:{_words(a['followers'])}|[{re.escape(a['follower_marks'])}])"),
        agency_not_starts=tuple(a["not_starts"]), agency_not_names=tuple(a.get("not_names", [])),
        agency_run=_patterns(a["run_patterns"]), agency_min_len=int(a["min_length"]),
        markers=tuple(d["report"]["markers"]), fees=fees)


def _load_problems() -> ProblemsGrammar:
    d = _read("problems.toml")
    return ProblemsGrammar(turn=_patterns(d["turn_patterns"]), turn_window=int(d["turn_window"]),
                           turn_min_offset=int(d["turn_min_offset"]),
                           part_head=_patterns(d["part_head_patterns"]),
                           item_shi=_patterns(d["item_patterns"]), item_strip=d["item_strip"])


def _build() -> Grammar:
    checks, dims = _load_checks()
    cats, settings = _load_categories()
    sections = _load_sections()
    for s in sections:
        if s.role is not None and s.role not in SECTION_ROLES:
            raise GrammarError(f"sections.toml: section {s.id!r}: role must be one of {', '.join(SECTION_ROLES)}")
    user = _USER_DIR.get()
    return Grammar(sections=sections, tables=_load_tables(checks), checks=checks, dimensions=dims,
                   categories=cats, category_settings=settings, facts=_load_facts(),
                   problems=_load_problems(), run_in=_load_run_in(), user_dir=str(user) if user else None)


GrammarLike = Union[None, str, "os.PathLike[str]", Grammar]


def load(grammar: GrammarLike = None) -> Grammar:
    """The grammar, loaded and validated once per directory.

    ``grammar`` is None (the shipped grammar, or the directory named by the
    ``GAIEXTRACT_GRAMMAR`` environment variable), a directory of user ``*.toml``
    files merged over the shipped ones, or an already loaded :class:`Grammar`.
    Raises :class:`GrammarError` naming the file, line and key of a bad grammar.
    """
    if isinstance(grammar, Grammar):
        return grammar
    if grammar is None:
        grammar = os.environ.get(GRAMMAR_ENV) or None
    if grammar is None:
        return _load_dir(None)
    path = Path(grammar).expanduser()
    if not path.is_dir():
        raise GrammarError(f"{path}: not a grammar directory")
    return _load_dir(str(path.resolve()))


@functools.lru_cache(maxsize=8)
def _load_dir(user_dir: str | None) -> Grammar:
    if user_dir is not None:
        known = {p.name for p in resources.files("gaiextract").joinpath("grammars").iterdir()}
        for p in sorted(Path(user_dir).glob("*.toml")):
            if p.name not in known:
                raise GrammarError(f"{p}: line 1: no shipped grammar file of this name "
                                   f"(known: {', '.join(sorted(k for k in known if k.endswith('.toml')))})")
    token = _USER_DIR.set(Path(user_dir) if user_dir else None)
    try:
        return _build()
    finally:
        _USER_DIR.reset(token)


def report_markers(grammar: GrammarLike = None) -> tuple[str, ...]:
    """Words one of which every report has near its start (for sniffing text files)."""
    return load(grammar).facts.markers


def build() -> Grammar:
    """Load and validate the shipped grammar now (uncached; ``load`` caches it)."""
    return _build()
