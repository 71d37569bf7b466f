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

import functools
import os
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Optional, Union

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ..textnorm import label_key
from .model import (
    SECTION_ROLES,
    AgencyRules,
    TABLE_VARIANTS,
    CategoryProfile,
    CheckDef,
    ColumnDef,
    ExportColumn,
    ExportWording,
    FactsGrammar,
    FeeGrammar,
    Grammar,
    GrammarError,
    GroupDef,
    LabelConfusions,
    ProblemsGrammar,
    RowDef,
    RunInGrammar,
    SectionDef,
    TableGrammar,
    TableSpec,
    Tie,
)
from .validate import _validate, expand

#: environment variable naming a user grammar directory used when none is passed
GRAMMAR_ENV = "GAIEXTRACT_GRAMMAR"
#: shipped grammar files read once when a module is imported (below the choice of a
#: grammar: the readers use them), which a user grammar directory cannot override
SHIPPED_ONLY = ("cells.toml",)
#: keys that identify an item of a list of tables, so that a user's item extends the
#: shipped item with the same identity instead of being appended
ITEM_IDS = ("id", "key")


def _shipped_text(name: str) -> str:
    return resources.files("gaiextract").joinpath("grammars", name).read_text(encoding="utf-8")


def shipped_file(name: str) -> dict[str, Any]:
    """A shipped grammar file of :data:`SHIPPED_ONLY`, parsed (not per grammar: read by
    the module that imports it; validated against its schema by the test suite)."""
    if name not in SHIPPED_ONLY:
        raise ValueError(f"{name} is read per grammar: use load()")
    return _parse(_shipped_text(name), f"grammars/{name}")


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
        items = list(base)
        if ident:
            index = {item.get(ident): i for i, item in enumerate(items) if isinstance(item, dict)}
            for item in extra:
                key = item.get(ident) if isinstance(item, dict) else None
                if key is not None and key in index:
                    items[index[key]] = merge(items[index[key]], item)
                else:
                    items.append(item)
            return items
        for item in extra:
            if item not in items:
                items.append(item)
        return items
    return extra


def _item_id_key(items: list[Any]) -> str | None:
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for k in ITEM_IDS:
        if any(k in i for i in items):
            return k
    return None


def _user_file(name: str, user_dir: Path | None) -> Path | None:
    user_file = user_dir / name if user_dir is not None else None
    return user_file if user_file is not None and user_file.is_file() else None


def _read(name: str, user_dir: Path | None = None) -> dict[str, Any]:
    """One grammar file as a validated dict: the shipped file, with the file of the same
    name in the user grammar directory ``user_dir`` (if any) merged over it."""
    data = _parse(_shipped_text(name), f"grammars/{name}")
    user_file = _user_file(name, user_dir)
    if user_file is not None:
        try:
            text = user_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GrammarError(f"{user_file}: line 1: not a readable UTF-8 file: {exc}") from None
        extra = _parse(text, str(user_file))
        _validate(extra, name, str(user_file), text, partial=True)
        data = merge(data, extra)
        _validate(data, name, str(user_file), text, partial=False)
    # the shipped files are validated against their schemas by the test suite
    # (tests/test_grammar.py), so a plain run does not pay for importing jsonschema
    return data


class GrammarFiles:
    """The grammar files one grammar is built from: each shipped file with the user
    directory's file of the same name merged over it (:func:`_read`), each read once."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir
        self._data: dict[str, dict[str, Any]] = {}

    def read(self, name: str) -> dict[str, Any]:
        if name not in self._data:
            self._data[name] = _read(name, self.user_dir)
        return self._data[name]

    def where(self, name: str) -> str:
        """The file to name in an error about ``name``: the user's file when there is one."""
        user_file = _user_file(name, self.user_dir)
        return str(user_file) if user_file is not None else f"grammars/{name}"


def _need(d: dict[str, Any], key: str, where: str):
    if key not in d:
        raise GrammarError(f"{where}: missing {key!r}")
    return d[key]


def _labels(d: dict[str, Any], where: str) -> tuple[str, ...]:
    labels = _need(d, "labels", where)
    if not labels or not all(isinstance(x, str) and x for x in labels):
        raise GrammarError(f"{where}: labels must be non-empty strings")
    return tuple(label_key(x) for x in labels)



def _load_sections(files: GrammarFiles) -> list[SectionDef]:
    data = files.read("sections.toml")
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


def _load_run_in(files: GrammarFiles) -> RunInGrammar:
    data = files.read("sections.toml")
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
                              signed=bool(c.get("signed", False)), max_value=_max_value(c, w)))
        if c.get("children_of"):
            kids = (child_sets or {}).get(c["children_of"])
            if kids is None:
                raise GrammarError(f"{w}: unknown children_of {c['children_of']!r}")
            for k in kids:
                cols.append(ColumnDef(id=f"{cid}.{k['key']}", labels=_labels(k, w), key=k["key"], parent=cid))
    ids = {col.id for col in cols}
    for col in cols:
        if col.parent and col.parent not in ids:
            raise GrammarError(f"{where}: column {col.id!r} has unknown parent {col.parent!r}")
    return cols


def _max_value(c: dict[str, Any], where: str) -> float | None:
    """A column's ``max_value``: the largest value its printed unit allows (None: no bound)."""
    v = c.get("max_value")
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0:
        raise GrammarError(f"{where}: max_value must be a positive number, not {v!r}")
    return float(v)


def _layout(name: str, d: dict[str, Any], data: dict[str, Any], where: str, edition: str | None,
            confusions: LabelConfusions) -> TableGrammar:
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
    child_sets: dict[str, list[dict[str, Any]]] = {
        c["children_of"]: data[c["children_of"]] for c in _need(d, "columns", where)
        if c.get("children_of") and data.get(c["children_of"]) is not None}
    cols = _columns(d["columns"], where, child_sets)
    keys = tuple(d["keys"]) if "keys" in d else None
    lay = TableGrammar(name=name, rows=rows, groups=groups, columns=cols, keys=keys,
                       identify=tuple(label_key(x) for x in d.get("identify", [])), edition=edition,
                       confusions=confusions)
    if keys is not None:
        row_keys = {r.key for r in rows} | {g.row_key for g in groups if g.row_key}
        leaves = set(lay.leaf_keys())
        for k in keys:
            r, _, c = k.partition(".")
            if (rows and r not in row_keys) or (c if rows else k) not in leaves:
                raise GrammarError(f"{where}: key {k!r} names an unknown row or column")
    return lay


def _load_table(files: GrammarFiles, name: str, checks: list[CheckDef], confusions: LabelConfusions) -> TableSpec:
    """grammars/<name>.toml: one shape for every table. Top-level rows/groups/columns are the
    layout of every edition; ``[edition.X]`` parts (each complete) are per-edition layouts."""
    fname = f"{name}.toml"
    data = files.read(fname)
    variants = frozenset(data.get("variants", ()))
    unknown = variants - TABLE_VARIANTS
    if unknown:
        raise GrammarError(f"{fname}: unknown variants {sorted(unknown)} (known: {sorted(TABLE_VARIANTS)})")
    if "edition" in data:
        layouts = [_layout(name, d, data, f"{fname} edition {ed}", ed, confusions)
                   for ed, d in data["edition"].items()]
    else:
        layouts = [_layout(name, data, data, fname, None, confusions)]
    return TableSpec(name=name, layouts=layouts, variants=variants,
                     checks=[c for c in checks if c.table == name],
                     identify=tuple(label_key(x) for x in data.get("identify", [])))


def _load_confusions(files: GrammarFiles) -> LabelConfusions:
    """tables.toml [label_confusions]: pairs of characters misread for one another, each
    a string of two different characters."""
    where = files.where("tables.toml")
    section = files.read("tables.toml").get("label_confusions", {})
    pairs = section.get("pairs", []) if isinstance(section, dict) else None
    if not isinstance(pairs, list):
        raise GrammarError(f"{where}: [label_confusions] pairs must be a list of two-character strings")
    for p in pairs:
        if not isinstance(p, str) or len(p) != 2 or p[0] == p[1]:
            raise GrammarError(f"{where}: key label_confusions.pairs: {p!r} is not two different characters")
    return LabelConfusions.of((p[0], p[1]) for p in pairs)


def _load_tables(files: GrammarFiles, checks: list[CheckDef], confusions: LabelConfusions) -> dict[str, TableSpec]:
    index = files.read("tables.toml")
    names = _need(index, "tables", "tables.toml")
    if not names or not all(isinstance(n, str) and n for n in names):
        raise GrammarError("tables.toml: tables must be a list of table names")
    out = {n: _load_table(files, n, checks, confusions) for n in names}
    for c in checks:
        if c.table not in out:
            raise GrammarError(f"checks.toml: check {c.id!r} names an unknown table {c.table!r}")
    return out


def _load_checks(files: GrammarFiles) -> tuple[list[CheckDef], dict[str, list[str]]]:
    data = files.read("checks.toml")
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


def _load_categories(files: GrammarFiles) -> tuple[list[CategoryProfile], dict[str, Any]]:
    data = files.read("categories.toml")
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


def _load_facts(files: GrammarFiles) -> FactsGrammar:
    """facts.toml, with the page chrome the facts look past from chrome.toml (its one
    home): the archiver's header keys ([lines.header_keys], a key mapped to ``title``
    holding the title) and [facts]."""
    d = files.read("facts.toml")
    t, a, y, f = d["title"], d["agency"], d["year"], d["fees"]
    chrome = files.read("chrome.toml")
    header_keys: dict[str, str] = chrome["lines"]["header_keys"]
    cf = chrome.get("facts", {})
    title_keys = [k for k, v in header_keys.items() if v == "title"]
    meta = list(dict.fromkeys([*header_keys, *cf.get("extra_meta_keys", [])]))
    if not title_keys:
        raise GrammarError(f"{files.where('chrome.toml')}: [lines.header_keys] maps no key to title")
    fees = FeeGrammar(notices=_compiled(f["notices_patterns"]),
                      amount_notified=_compiled(f["amount_notified_patterns"]),
                      amount_collected=_compiled(f["amount_collected_patterns"]),
                      no_notices=_compiled(f["no_notices_patterns"]),
                      no_collection=_compiled(f["no_collection_patterns"]),
                      units={k: float(v) for k, v in f["units"].items()})
    return FactsGrammar(
        title_core=_patterns(t["core_patterns"]), title_max=int(t["max_length"]),
        title_meta_keys=tuple(title_keys),
        meta_line=re.compile(rf"^\s*({_words(meta)})\s*[:：]\s*(.*)$"),
        title_agency_line_max=int(t["agency_line_max"]), title_max_lines=int(t["max_lines"]),
        title_strip_prefixes=tuple(t.get("strip_prefixes", [])),
        title_strip=re.compile(f"[{re.escape(t['strip_chars'])}]+"),
        title_chrome=_patterns(cf["title_patterns"]) if cf.get("title_patterns") else None,
        year=_patterns(y["patterns"]), title_year=_patterns(y["title_patterns"]),
        year_cut=_patterns(y["cut_patterns"]),
        body_year=_patterns(y["body_opening_patterns"]), body_lines=int(y["body_lines"]),
        agency_suffixes=tuple(sorted(a["suffixes"], key=len, reverse=True)),
        agency_followers=re.compile(f"^(?:{_words(a['followers'])}|[{re.escape(a['follower_marks'])}])"),
        agency_not_starts=tuple(a["not_starts"]), agency_not_names=tuple(cf.get("not_agency_names", [])),
        agency_run=_patterns(a["run_patterns"]), agency_min_len=int(a["min_length"]),
        markers=tuple(d["report"]["markers"]), fees=fees)


def _load_problems(files: GrammarFiles) -> ProblemsGrammar:
    d = files.read("problems.toml")
    return ProblemsGrammar(turn=_patterns(d["turn_patterns"]), turn_window=int(d["turn_window"]),
                           turn_min_offset=int(d["turn_min_offset"]),
                           part_head=_patterns(d["part_head_patterns"]),
                           item_shi=_patterns(d["item_patterns"]), item_strip=d["item_strip"])


def _load_series(files: GrammarFiles, tables: dict[str, TableSpec],
                 dims: dict[str, list[str]]) -> tuple[Tie, ...]:
    """series.toml: the ties between consecutive years (each names a table of the grammar
    and, when repeated, a dimension of checks.toml)."""
    data, where = files.read("series.toml"), files.where("series.toml")
    out = []
    for i, t in enumerate(_need(data, "tie", where)):
        w = f"{where}: tie {i}"
        tie = Tie(id=_need(t, "id", w), table=_need(t, "table", w), for_each=t.get("for_each"),
                  this=_need(t, "this", w), previous=_need(t, "previous", w),
                  relation=t.get("relation", "eq"), detail=t.get("detail", ""),
                  when_text=tuple(t.get("when_text", ())))
        if tie.relation not in ("eq", "ge"):
            raise GrammarError(f"{w}: relation must be eq or ge")
        if tie.table not in tables:
            raise GrammarError(f"{w}: unknown table {tie.table!r}")
        if tie.for_each and tie.for_each not in dims:
            raise GrammarError(f"{w}: for_each {tie.for_each!r} is not a dimension of checks.toml")
        out.append(tie)
    return tuple(out)


def _load_agencies(files: GrammarFiles) -> AgencyRules:
    """agencies.toml: the replacements that normalise a name and the patterns that group
    a short form with the full names it ends."""
    data, where = files.read("agencies.toml"), files.where("agencies.toml")
    try:
        pairs = tuple((str(a), str(b)) for a, b in data["normalise"]["replace"])
        prefix = re.compile(data["group"]["division_prefix"])
        short = re.compile(data["group"]["short_form"])
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise GrammarError(f"{where}: {exc}") from None
    pairs = tuple(sorted(pairs, key=lambda p: -len(p[0])))
    return AgencyRules(replace=pairs, division_prefix=prefix, short_form=short)


def _load_export(files: GrammarFiles, tables: dict[str, TableSpec]) -> ExportWording:
    """export.toml: what the exports call their columns; each amount names a cell of a
    table of the grammar, and the templates fill."""
    data, where = files.read("export.toml"), files.where("export.toml")
    try:
        units, sheets = data["units"], data["sheets"]
        wording = ExportWording(
            joiner=str(data["joiner"]), with_unit=str(data["with_unit"]),
            tables={str(k): str(v) for k, v in data["tables"].items()},
            count_unit=str(units["count"]), amount_units={str(k): str(v) for k, v in units["amounts"].items()},
            sheet_edition=str(sheets["edition"]), sheet_unknown_edition=str(sheets["unknown_edition"]),
            sheet_dictionary=str(sheets["dictionary"]), sheet_cells=str(sheets["cells"]),
            dictionary_header=tuple(str(h) for h in sheets["dictionary_header"]),
            all_editions=str(sheets["all_editions"]),
            columns={str(k): ExportColumn(label=str(c["label"]), meaning=str(c["meaning"]),
                                          unit=str(c["unit"]) if c.get("unit") is not None else None)
                     for k, c in data["columns"].items()})
        wording.with_unit.format(label="", unit="")
        wording.sheet_edition.format(edition="")
    except KeyError as exc:
        raise GrammarError(f"{where}: missing or unknown key {exc}") from None
    except (TypeError, AttributeError, ValueError, IndexError) as exc:
        raise GrammarError(f"{where}: {exc}") from None
    for key in wording.amount_units:
        table, _, cell = key.partition(".")
        spec = tables.get(table)
        if spec is None or not any(cell in lay.key_labels() for lay in spec.layouts):
            raise GrammarError(f"{where}: key units.amounts: {key!r} is no cell of a table of the grammar")
    if len(wording.dictionary_header) != 5:
        raise GrammarError(f"{where}: key sheets.dictionary_header: needs 5 names (key, label, unit, "
                           f"editions, meaning), not {len(wording.dictionary_header)}")
    return wording


def _build(files: GrammarFiles) -> Grammar:
    checks, dims = _load_checks(files)
    cats, settings = _load_categories(files)
    sections = _load_sections(files)
    for s in sections:
        if s.role is not None and s.role not in SECTION_ROLES:
            raise GrammarError(f"sections.toml: section {s.id!r}: role must be one of {', '.join(SECTION_ROLES)}")
    confusions = _load_confusions(files)
    tables = _load_tables(files, checks, confusions)
    user = files.user_dir
    return Grammar(sections=sections, tables=tables, checks=checks, dimensions=dims, label_confusions=confusions,
                   categories=cats, category_settings=settings, facts=_load_facts(files),
                   problems=_load_problems(files), run_in=_load_run_in(files),
                   ties=_load_series(files, tables, dims), agencies=_load_agencies(files),
                   export=_load_export(files, tables),
                   user_dir=str(user) if user else None)


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
            if p.name in SHIPPED_ONLY:
                raise GrammarError(f"{p}: line 1: {p.name} is read when gaiextract is imported, before a grammar "
                                   "is chosen: a grammar directory cannot change it")
    return _build(GrammarFiles(Path(user_dir) if user_dir else None))


def report_markers(grammar: GrammarLike = None) -> tuple[str, ...]:
    """Words one of which every report has near its start (for sniffing text files)."""
    return load(grammar).facts.markers


def build(files: GrammarFiles | None = None) -> Grammar:
    """Load and validate the shipped grammar now, or the one of ``files`` (uncached;
    ``load`` caches it)."""
    return _build(files or GrammarFiles())
