"""The template's own Chinese row and column labels for every cell key.

Why: a long-form export is read by people who know the printed form (上年结转政府信息
公开申请数量 × 自然人), not our English keys. The labels are the first (official)
wording of each row and column in the grammar TOML, so a new template is a grammar
edit here too.
"""
from __future__ import annotations

import functools

from ..grammar import _read


def _first(d: dict) -> str:
    labels = d.get("labels") or [""]
    return str(labels[0])


def _column_paths(columns: list, children: dict | None = None) -> dict[str, str]:
    """Leaf key (dotted, as in cell keys) -> label path ``parent/child``."""
    nodes: dict[str, dict] = {}
    order: list[str] = []
    for c in columns:
        cid = c.get("id") or c.get("key")
        nodes[cid] = c
        order.append(cid)
        for k in (children or {}).get(c.get("children_of"), []) if c.get("children_of") else []:
            kid = f"{cid}.{k['key']}"
            nodes[kid] = {"key": k["key"], "labels": k["labels"], "parent": cid}
            order.append(kid)
    parents = {n.get("parent") for n in nodes.values() if n.get("parent")}
    out: dict[str, str] = {}
    for cid in order:
        if cid in parents:
            continue
        keys, labels, n = [], [], nodes[cid]
        while n is not None:
            if n.get("key"):
                keys.append(n["key"])
            labels.append(_first(n))
            n = nodes.get(n.get("parent")) if n.get("parent") else None
        out[".".join(reversed(keys))] = "/".join(reversed(labels))
    return out


@functools.lru_cache(maxsize=1)
def template_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """``(table, key) -> (row label, column label)`` for every key of both editions."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    req = _read("requests.toml")
    groups = {g["id"]: _first(g) for g in req.get("groups", [])}
    cols = _column_paths(req.get("columns", []))
    for r in req.get("rows", []):
        row = _first(r)
        if r.get("group") and groups.get(r["group"]) and r["key"] != r["group"]:
            row = f"{groups[r['group']]}/{row}"
        for ck, clabel in cols.items():
            out[("requests", f"{r['key']}.{ck}")] = (row, clabel)
    for g in req.get("groups", []):  # a group printed as one row (row_key)
        if g.get("row_key"):
            for ck, clabel in cols.items():
                out.setdefault(("requests", f"{g['row_key']}.{ck}"), (_first(g), clabel))
    rev = _read("review_litigation.toml")
    for ck, clabel in _column_paths(rev.get("columns", []), {"outcome": rev.get("outcome", [])}).items():
        group, _, outcome = clabel.rpartition("/")
        out[("review_litigation", ck)] = (group, outcome)
    pro = _read("proactive.toml")
    for edition in pro.get("edition", {}).values():
        rows = {r["key"]: _first(r) for r in edition.get("rows", [])}
        pcols = {c["key"]: _first(c) for c in edition.get("columns", [])}
        for key in edition.get("keys", []):
            r, _, c = key.partition(".")
            out.setdefault(("proactive", key), (rows.get(r, r), pcols.get(c, c)))
    return out


def labels_for(table: str, key: str) -> tuple[str | None, str | None]:
    return template_labels().get((table, key), (None, None))
