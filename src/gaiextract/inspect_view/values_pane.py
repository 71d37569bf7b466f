"""The right pane: failing checks, warnings, the canonical tables in the template's
layout, sections and fees."""
from __future__ import annotations

from html import escape
from typing import Any

from .fragments import attr_title, chip, classes, data, fmt, ref
from .. import grammar as grammar_mod
from .template import CanonLayout, layout
from .view import View


def _canon_table(v: View, lay: CanonLayout, table: dict[str, Any]) -> str:
    loc = table.get("location") or {}
    where = f" <span class=\"note\">page {escape(str(loc['page']))}</span>" if loc.get("page") else ""
    out = [(f'<section id="t-{escape(lay.name)}"><h3>{escape(lay.title)} '
            f'<code>{escape(lay.name)}</code>{where}</h3>')]
    if not table.get("cells"):
        out.append('<p class="note">not found in this report</p></section>')
        return "".join(out)
    for b in lay.blocks:
        head = ""
        if b.parents:
            head += "<tr><th></th>" + "".join(f'<th colspan="{n}">{escape(p)}</th>' for p, n in b.parents) + "</tr>"
        head += "<tr><th></th>" + "".join(f"<th>{escape(c)}</th>" for c in b.columns) + "</tr>"
        body = []
        for label, keys in zip(b.rows, b.cells):
            tds = []
            for k in keys:
                m = v.marks.get(f"{lay.name}.{k}") if k else None
                if m is None:
                    tds.append('<td class="absent">·</td>')
                else:
                    cls = classes(m, "val") + (" null" if m.value is None else "")
                    tds.append(f'<td class="{cls}" {data(m)} title="{attr_title(m)}">{escape(fmt(m.value))}</td>')
            body.append(f'<tr><th class="row" title="{escape(label)}">{escape(label)}</th>{"".join(tds)}</tr>')
        out.append(f'<table class="canon"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>')
    out.append("</section>")
    return "".join(out)


def _side(v: View, keys: list[str], total: Any) -> str:
    chips = []
    for k in keys:
        m = v.marks.get(k)
        chips.append(chip(k, m, f"{k.split('.', 1)[1]}={fmt(m.value) if m else '?'}"))
    return " + ".join(chips) + f" = <b>{escape(fmt(total))}</b>"


def _checks(v: View) -> str:
    failing = [c for c in v.checks if c.ok is False]
    out = [f"<h2>Checks: {len(failing)} failing of {len(v.checks)}</h2>"]
    for c in failing:
        out.append(f'<div class="check"><code>{escape(c.id)}</code> <span class="note">{escape(c.rule)}</span>'
                   f'<div class="eq">printed: {_side(v, c.left, c.expected)}</div>'
                   f'<div class="eq">computed: {_side(v, c.right, c.actual)}</div>'
                   f'<div class="eq">{escape(fmt(c.expected))} ≠ {escape(fmt(c.actual))}</div></div>')
    ok = [c for c in v.checks if c.ok is not False]
    if ok:
        out.append(f"<details><summary>{len(ok)} checks hold</summary>")
        out += [f'<div class="check ok"><code>{escape(c.id)}</code> '
                f'{escape(fmt(c.expected))} = {escape(fmt(c.actual))}</div>' for c in ok]
        out.append("</details>")
    return "".join(out)


def _warnings(v: View) -> str:
    ws = v.report.get("warnings") or []
    out = [f"<h2>Warnings: {len(ws)}</h2>"]
    if ws:
        rows = []
        for w in ws:
            where = [f"{k} {w[k]}" for k in ("table", "section", "page") if w.get(k) is not None]
            key = ""
            if w.get("table") and w.get("key"):
                full = f"{w['table']}.{w['key']}"
                key = chip(full, v.marks.get(full), str(w["key"]))
            rows.append(f"<tr><td><code>{escape(str(w.get('code', '')))}</code></td><td>{escape(', '.join(where))}"
                        f" {key}</td><td>{escape(str(w.get('detail', '')))}</td></tr>")
        out.append("<table><tr><th>code</th><th>where</th><th>detail</th></tr>" + "".join(rows) + "</table>")
    return "".join(out)


def _sections(v: View) -> str:
    secs = v.report.get("sections") or []
    out = [f"<h2>Sections: {len(secs)} found</h2><table><tr><th>id</th><th>heading</th><th>page</th></tr>"]
    refs = {(hm.kind, hm.id, hm.heading): ref(hm) for hm in v.headings}
    for s in secs:
        link = refs.get(("section", s.get("id", ""), s.get("heading", "")))
        attr = f' data-ref="{escape(link)}"' if link else ""
        page = (s.get("location") or {}).get("page")
        out.append(f'<tr><td><code>{escape(str(s.get("id", "")))}</code></td><td class="heading-mark"{attr}>'
                   f'{escape(str(s.get("heading", "")))}</td><td>{escape(fmt(page) if page else "")}</td></tr>')
        for sub in s.get("subsections") or []:
            link = refs.get(("subsection", s.get("id", ""), sub.get("heading", "")))
            attr = f' data-ref="{escape(link)}"' if link else ""
            scores = sub.get("scores") or {}
            cats = ", ".join(f"{c} {scores[c]:.2f}" if isinstance(scores.get(c), (int, float)) else str(c)
                             for c in sub.get("categories") or [])
            out.append(f'<tr><td></td><td{attr}>{escape(str(sub.get("heading", "")))}'
                       f'<div class="cats">{escape(cats)}</div></td><td></td></tr>')
        if s.get("problems") is not None:
            out.append(f'<tr><td></td><td class="cats">{len(s.get("problems") or [])} problems, '
                       f'{len(s.get("measures") or [])} measures</td><td></td></tr>')
    out.append("</table>")
    fees = v.report.get("fees") or {}
    if fees:
        out.append("<h3>Fees</h3><table>" + "".join(
            f"<tr><th>{escape(str(k))}</th><td>{escape(fmt(val))}</td></tr>" for k, val in fees.items()) + "</table>")
    return "".join(out)


def values_pane(v: View) -> str:
    tables = v.report.get("tables") or {}
    edition = (v.report.get("report") or {}).get("edition") or "unknown"
    out = [_checks(v), _warnings(v), "<h2>Canonical tables</h2>"]
    template = list(grammar_mod.load().tables)
    names = template + [n for n in tables if n not in template]
    for name in names:
        t = tables.get(name) or {}
        keys = list(dict.fromkeys(list(t.get("cells", {})) + list(t.get("provenance", {}))))
        out.append(_canon_table(v, layout(name, keys, edition), t))
    out.append(_sections(v))
    return "".join(out)
