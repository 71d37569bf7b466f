"""Write the inspection page: one self-contained HTML document.

Everything the page shows from the report is untrusted text (a report can hold
``<script>``): every piece goes through :func:`html.escape`, and the page's Content
Security Policy only lets the one script whose hash it names run, loads nothing from the
network and takes images only from ``data:`` URIs.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import Any

from ..document import Document, Paragraph, Table
from .images import PageImage
from .locate import HeadingMark
from .marks import CellMark, CheckView
from .settings import (
    BAD_COLOUR,
    HEADING_COLOUR,
    HEADING_PAD_PT,
    HOW_COLOURS,
    InspectSettings,
)
from .template import TABLE_NAMES, CanonLayout, layout


@dataclass
class View:
    """Everything the page shows, gathered by :func:`gaiextract.inspect_view.inspect`."""

    report: dict
    marks: dict[str, CellMark]
    checks: list[CheckView]
    document: Document | None = None
    headings: list[HeadingMark] = field(default_factory=list)
    cell_keys: dict[int, list[str]] = field(default_factory=dict)   # id(Cell) -> keys (non-PDF)
    images: dict[int, PageImage] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)                  # PDF pages to show
    notes: list[str] = field(default_factory=list)                  # said at the top of the page


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _fmt(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _attr_title(m: CellMark) -> str:
    p = m.prov
    parts = [f"{m.full_key} = {_fmt(m.value)}", f"how: {m.how}", f"raw: {p.get('raw', '')!s}"]
    if p.get("page") is not None:
        parts.append(f"page {p.get('page')}")
    if p.get("label"):
        parts.append(f"label: {p.get('label')}")
    if m.reasons:
        parts.append("problems: " + ", ".join(m.reasons))
    return escape("\n".join(parts))


def _classes(m: CellMark, base: str) -> str:
    return f"{base} how-{escape(m.how)}" + (" bad" if m.bad else "")


def _data(m: CellMark) -> str:
    return f'data-key="{escape(m.full_key)}" data-how="{escape(m.how)}"'


# --------------------------------------------------------------------------- document pane

def _pct(x: float, total: float) -> str:
    return f"{100.0 * x / total:.3f}%" if total else "0%"


def _page(v: View, n: int) -> str:
    img = v.images.get(n)
    w, h = (img.width_pt, img.height_pt) if img else (595.0, 842.0)
    out = [f'<section class="page" id="page-{n}"><h3>page {n}</h3>',
           f'<div class="sheet" style="aspect-ratio:{w:.2f}/{h:.2f}">']
    if img:
        out.append(f'<img src="{img.data_uri}" alt="page {n}">')
    else:
        out.append('<p class="note">(this page could not be drawn)</p>')
    unplaced = []
    for m in v.marks.values():
        if m.prov.get("page") != n:
            continue
        bbox = m.prov.get("bbox")
        if not (isinstance(bbox, (list, tuple)) and len(bbox) == 4):
            unplaced.append(m)
            continue
        x0, top, x1, bottom = (float(b) for b in bbox)
        style = (f"left:{_pct(x0, w)};top:{_pct(top, h)};width:{_pct(x1 - x0, w)};"
                 f"height:{_pct(bottom - top, h)}")
        out.append(f'<div class="{_classes(m, "box")}" {_data(m)} style="{style}" title="{_attr_title(m)}">'
                   f'<span class="lbl">{escape(m.full_key)} = {escape(_fmt(m.value))}</span></div>')
    if v.document is not None:
        for hm in v.headings:
            b = v.document.blocks[hm.block]
            if b.page != n or not b.bbox:
                continue
            x0, top, x1, bottom = (float(x) for x in b.bbox)
            x0, top, x1, bottom = x0 - HEADING_PAD_PT, top - HEADING_PAD_PT, x1 + HEADING_PAD_PT, bottom + HEADING_PAD_PT
            style = f"left:{_pct(x0, w)};top:{_pct(top, h)};width:{_pct(x1 - x0, w)};height:{_pct(bottom - top, h)}"
            out.append(f'<div class="hbox heading-mark" data-ref="{escape(_ref(hm))}" style="{style}" '
                       f'title="{escape(hm.kind + ": " + hm.heading)}"><span class="lbl">{escape(hm.kind)} '
                       f'{escape(hm.id)}</span></div>')
    out.append("</div>")
    if unplaced:
        out.append('<p class="unplaced">values on this page without a box: '
                   + " ".join(_chip(m) for m in unplaced) + "</p>")
    out.append("</section>")
    return "".join(out)


def _ref(hm: HeadingMark) -> str:
    return f"{hm.kind}:{hm.id}:{hm.heading}"


def _chip(m: CellMark) -> str:
    return (f'<span class="chip{" bad" if m.bad else ""}" data-key="{escape(m.full_key)}" '
            f'title="{_attr_title(m)}">{escape(m.full_key)}</span>')


def _doc_table(v: View, t: Table) -> str:
    rows = []
    for r in range(t.n_rows):
        tds = []
        for cell in t.row_cells(r):
            span = ""
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            keys = v.cell_keys.get(id(cell), [])
            if not keys:
                tds.append(f"<td{span}>{escape(cell.text)}</td>")
                continue
            inner = []
            for k in keys:
                m = v.marks[k]
                text = cell.text if len(keys) == 1 else _fmt(m.value)
                inner.append(f'<span class="{_classes(m, "box")}" {_data(m)} title="{_attr_title(m)}">'
                             f'{escape(text)}<span class="lbl">{escape(m.full_key)} = {escape(_fmt(m.value))}'
                             f"</span></span>")
            tds.append(f"<td{span}>{''.join(inner)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return '<table class="doctable">' + "".join(rows) + "</table>"


def _doc_blocks(v: View, s: InspectSettings) -> str:
    doc = v.document
    assert doc is not None
    heads = {hm.block: hm for hm in v.headings}
    shown: set[int] = set()
    for i in heads:
        shown.update(range(i - s.context_before, i + s.context_after + 1))
    out, hidden = [], 0
    for i, b in enumerate(doc.blocks):
        if isinstance(b, Paragraph) and i not in shown:
            hidden += 1
            continue
        if hidden:
            out.append(f'<p class="elided">… {hidden} paragraph{"s" if hidden > 1 else ""} …</p>')
            hidden = 0
        if isinstance(b, Table):
            out.append(_doc_table(v, b))
        elif i in heads:
            hm = heads[i]
            cls = "docp heading heading-mark" + (" sub" if hm.kind == "subsection" else "")
            out.append(f'<p class="{cls}" data-ref="{escape(_ref(hm))}">{escape(b.text)}</p>')
        else:
            text = b.text if len(b.text) <= s.snippet_chars else b.text[: s.snippet_chars] + "…"
            out.append(f'<p class="docp">{escape(text)}</p>')
    if hidden:
        out.append(f'<p class="elided">… {hidden} paragraph{"s" if hidden > 1 else ""} …</p>')
    return "".join(out)


def _doc_pane(v: View, s: InspectSettings) -> str:
    fmt = v.report.get("source", {}).get("format")
    if v.document is None:
        return '<p class="note">The source document is not available: only the extracted values are shown.</p>'
    if fmt == "pdf":
        body = "".join(_page(v, n) for n in v.pages[: s.max_pages])
        more = v.pages[s.max_pages:]
        if more:
            body += f'<p class="note">pages not drawn (over {s.max_pages}): {escape(", ".join(map(str, more)))}</p>'
        return body or '<p class="note">No page holds a table or a section heading.</p>'
    placed = {k for keys in v.cell_keys.values() for k in keys}
    rest = [m for k, m in v.marks.items() if k not in placed]
    body = _doc_blocks(v, s)
    if rest:
        body += ('<p class="unplaced">values not found in the rebuilt tables: '
                 + " ".join(_chip(m) for m in rest) + "</p>")
    return body


# --------------------------------------------------------------------------- canonical pane

def _canon_table(v: View, lay: CanonLayout, table: dict) -> str:
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
                    cls = _classes(m, "val") + (" null" if m.value is None else "")
                    tds.append(f'<td class="{cls}" {_data(m)} title="{_attr_title(m)}">{escape(_fmt(m.value))}</td>')
            body.append(f'<tr><th class="row" title="{escape(label)}">{escape(label)}</th>{"".join(tds)}</tr>')
        out.append(f'<table class="canon"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>')
    out.append("</section>")
    return "".join(out)


def _side(v: View, keys: list[str], total: Any) -> str:
    chips = []
    for k in keys:
        m = v.marks.get(k)
        val = _fmt(m.value) if m else "?"
        chips.append(f'<span class="chip{" bad" if m and m.bad else ""}" data-key="{escape(k)}">'
                     f"{escape(k.split('.', 1)[1])}={escape(val)}</span>")
    return " + ".join(chips) + f" = <b>{escape(_fmt(total))}</b>"


def _checks(v: View) -> str:
    failing = [c for c in v.checks if c.ok is False]
    out = [f"<h2>Checks: {len(failing)} failing of {len(v.checks)}</h2>"]
    for c in failing:
        out.append(f'<div class="check"><code>{escape(c.id)}</code> <span class="note">{escape(c.rule)}</span>'
                   f'<div class="eq">printed: {_side(v, c.left, c.expected)}</div>'
                   f'<div class="eq">computed: {_side(v, c.right, c.actual)}</div>'
                   f'<div class="eq">{escape(_fmt(c.expected))} ≠ {escape(_fmt(c.actual))}</div></div>')
    ok = [c for c in v.checks if c.ok is not False]
    if ok:
        out.append(f"<details><summary>{len(ok)} checks hold</summary>")
        out += [f'<div class="check ok"><code>{escape(c.id)}</code> '
                f'{escape(_fmt(c.expected))} = {escape(_fmt(c.actual))}</div>' for c in ok]
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
                key = f'<span class="chip bad" data-key="{escape(str(w["table"]))}.{escape(str(w["key"]))}">' \
                      f'{escape(str(w["key"]))}</span>'
            rows.append(f"<tr><td><code>{escape(str(w.get('code', '')))}</code></td><td>{escape(', '.join(where))}"
                        f" {key}</td><td>{escape(str(w.get('detail', '')))}</td></tr>")
        out.append("<table><tr><th>code</th><th>where</th><th>detail</th></tr>" + "".join(rows) + "</table>")
    return "".join(out)


def _sections(v: View) -> str:
    secs = v.report.get("sections") or []
    out = [f"<h2>Sections: {len(secs)} found</h2><table><tr><th>id</th><th>heading</th><th>page</th></tr>"]
    refs = {(hm.kind, hm.id, hm.heading): _ref(hm) for hm in v.headings}
    for s in secs:
        ref = refs.get(("section", s.get("id", ""), s.get("heading", "")))
        attr = f' data-ref="{escape(ref)}"' if ref else ""
        page = (s.get("location") or {}).get("page")
        out.append(f'<tr><td><code>{escape(str(s.get("id", "")))}</code></td><td class="heading-mark"{attr}>'
                   f'{escape(str(s.get("heading", "")))}</td><td>{escape(_fmt(page) if page else "")}</td></tr>')
        for sub in s.get("subsections") or []:
            ref = refs.get(("subsection", s.get("id", ""), sub.get("heading", "")))
            attr = f' data-ref="{escape(ref)}"' if ref else ""
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
        out.append("<h3>Fees (section 六)</h3><table>" + "".join(
            f"<tr><th>{escape(str(k))}</th><td>{escape(_fmt(val))}</td></tr>" for k, val in fees.items()) + "</table>")
    return "".join(out)


def _canon_pane(v: View) -> str:
    tables = v.report.get("tables") or {}
    edition = (v.report.get("report") or {}).get("edition") or "unknown"
    out = [_checks(v), _warnings(v), "<h2>Canonical tables</h2>"]
    names = list(TABLE_NAMES) + [n for n in tables if n not in TABLE_NAMES]
    for name in names:
        t = tables.get(name) or {}
        keys = list(dict.fromkeys(list(t.get("cells", {})) + list(t.get("provenance", {}))))
        out.append(_canon_table(v, layout(name, keys, edition), t))
    out.append(_sections(v))
    return "".join(out)


# --------------------------------------------------------------------------- page

def _header(v: View) -> str:
    rep = v.report.get("report") or {}
    src = v.report.get("source") or {}
    title = rep.get("title") or src.get("path") or "report"
    failing = sum(1 for c in v.checks if c.ok is False)
    bad = sum(1 for m in v.marks.values() if m.bad)
    legend = "".join(f'<span><span class="sw" style="border-color:{c}"></span>{escape(h)}</span>'
                     for h, c in HOW_COLOURS.items())
    legend += (f'<span><span class="sw" style="border-color:{BAD_COLOUR}"></span>failing check / warning</span>'
               f'<span><span class="sw" style="border-color:{HEADING_COLOUR};border-style:dashed"></span>heading</span>'
               '<label><input type="checkbox" id="show-labels"> show all labels</label>')
    meta = (f"{escape(str(rep.get('agency') or ''))} · year {escape(_fmt(rep.get('year')))} · "
            f"edition {escape(str(rep.get('edition')))} · {escape(str(src.get('format')))} "
            f"<code>{escape(str(src.get('path')))}</code> <code>{escape(str(src.get('sha256', ''))[:12])}</code>")
    stats = (f"{len(v.marks)} values · <span class=\"{'stat-bad' if failing else ''}\">{failing} failing checks</span>"
             f" · {bad} cells marked · {len(v.report.get('warnings') or [])} warnings")
    notes = "".join(f' · <span class="note">{escape(n)}</span>' for n in v.notes)
    return (f"<header><h1>{escape(str(title))}</h1><div class=\"meta\">{meta}</div>"
            f"<div class=\"meta\">{stats}{notes}</div><div class=\"legend\">{legend}</div></header>")


def page(v: View, settings: InspectSettings) -> str:
    """The whole HTML page as a string."""
    script = _static("inspect.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
           "base-uri 'none'; form-action 'none'")
    colours = ";".join(f"--{h}:{c}" for h, c in HOW_COLOURS.items())
    colours += f";--bad:{BAD_COLOUR};--heading:{HEADING_COLOUR}"
    title = (v.report.get("report") or {}).get("title") or (v.report.get("source") or {}).get("path") or "report"
    return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            '<meta name="generator" content="gaiextract inspect">'
            f"<title>inspect: {escape(str(title))}</title>"
            f"<style>:root{{{colours}}}\n{_static('inspect.css')}</style></head><body>"
            f"{_header(v)}<main><section id=\"doc\">{_doc_pane(v, settings)}</section>"
            f"<aside id=\"canon\">{_canon_pane(v)}</aside></main>"
            f"<script>{script}</script></body></html>\n")
