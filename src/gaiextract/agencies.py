"""Agency names: one normal form per agency, and short forms grouped with full ones.

Why: a report's *identity* is its agency and year (so the PDF, DOCX and HTML copy
of one report are recognised as one), and the series checks line up an agency's
reports by year. Both need names that differ only in form — 人民政府 / 政府,
traditional / simplified characters, with or without the province or city in
front — to count as one agency. The rules are data (``grammars/agencies.toml``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .grammar import AgencyRules, GrammarLike, load
from .textnorm import nfkc, to_simplified

__all__ = ["AgencyGroup", "AgencyRules", "group_names", "identity", "normalise", "rules"]


def rules(grammar: GrammarLike = None) -> AgencyRules:
    """The agency rules of a grammar (``agencies.toml``, a user's file merged over it)."""
    return load(grammar).agencies


_SPACE = re.compile(r"\s+")


def normalise(name: str | None, grammar: GrammarLike = None) -> str | None:
    """The normal form of an agency name (None for no name)."""
    if not name:
        return None
    text = _SPACE.sub("", to_simplified(nfkc(name)))
    for old, new in rules(grammar).replace:
        text = text.replace(old, new)
    return text or None


def identity(agency: str | None, year: int | None, sha256: str | None = None,
             grammar: GrammarLike = None) -> str:
    """The report identity ``<normalised agency>/<year>``; without both, the content hash
    (a report whose agency or year is unknown is only ever the same as itself)."""
    key = normalise(agency, grammar)
    if key and isinstance(year, int):
        return f"{key}/{year}"
    return f"sha256:{sha256}"


@dataclass
class AgencyGroup:
    """One agency: its key (the longest normal form) and every name seen for it."""

    key: str
    names: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)   # the normal forms merged here

    def to_dict(self) -> dict[str, object]:
        return {"agency": self.key, "names": sorted(self.names), "forms": sorted(self.forms)}


def group_names(names: Iterable[str], grammar: GrammarLike = None) -> dict[str, AgencyGroup]:
    """Group agency names; returns ``name -> group`` (names without a normal form left out)."""
    g = load(grammar)
    r = rules(g)
    by_form: dict[str, list[str]] = {}
    for name in names:
        form = normalise(name, g)
        if form:
            by_form.setdefault(form, [])
            if name not in by_form[form]:
                by_form[form].append(name)
    forms = sorted(by_form, key=lambda f: (-len(f), f))
    parent: dict[str, str] = {}
    for short in forms:
        if not r.short_form.match(short):
            continue
        longer = [f for f in forms if len(f) > len(short) and f.endswith(short)
                  and r.division_prefix.fullmatch(f[: -len(short)])]
        roots = {_root(parent, f) for f in longer}
        if len(roots) == 1:
            parent[short] = roots.pop()
    groups: dict[str, AgencyGroup] = {}
    out: dict[str, AgencyGroup] = {}
    for form in forms:
        root = _root(parent, form)
        grp = groups.setdefault(root, AgencyGroup(key=root))
        grp.forms.append(form)
        for name in by_form[form]:
            grp.names.append(name)
            out[name] = grp
    return out


def _root(parent: dict[str, str], form: str) -> str:
    while form in parent:
        form = parent[form]
    return form
