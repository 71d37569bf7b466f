"""The left pane: the document as the reader saw it, with a mark on every mapped cell.

PDF pages are images with boxes placed in percent of the page (from provenance ``bbox``
in PDF points); Word, HTML and text show the rebuilt tables and the text around each
section heading.
"""
from __future__ import annotations

from collections import Counter
from html import escape

from ..document import Paragraph, Table
from .fragments import attr_title, chip, classes, data, fmt, ref
from .marks import CellMark
from .settings import FALLBACK_PAGE_PT, HEADING_PAD_PT, PERCENT, InspectSettings
from .view import View


def _place(bbox: object, w: float, h: float, pad: float = 0.0, part: tuple[int, int] = (0, 1)) -> str | None:
    """CSS position of a box given in PDF points (x0, top, x1, bottom), in percent of the
    page; None for anything that is not four numbers. ``part`` = (i, n) draws the i-th of
    n equal slices of the box, left to right."""
    if not (isinstance(bbox, (list, tuple)) and len(bbox) == 4):
        return None
    try:
        x0, top, x1, bottom = (float(b) for b in bbox)
    except (TypeError, ValueError):
        return None
    x0, top, x1, bottom = x0 - pad, top - pad, x1 + pad, bottom + pad
    i, n = part
    x0, x1 = x0 + (x1 - x0) * i / n, x0 + (x1 - x0) * (i + 1) / n

    def pct(x: float, total: float) -> str:
        return f"{PERCENT * x / total:.3f}%" if total else "0%"

    return f"left:{pct(x0, w)};top:{pct(top, h)};width:{pct(x1 - x0, w)};height:{pct(bottom - top, h)}"


def _bbox_key(m: CellMark) -> tuple[float, ...] | None:
    bbox = m.prov.get("bbox")
    return tuple(bbox) if isinstance(bbox, (list, tuple)) else None


def _page(v: View, n: int) -> str:
    img = v.images.get(n)
    w, h = (img.width_pt, img.height_pt) if img else FALLBACK_PAGE_PT
    out = [f'<section class="page" id="page-{n}"><h3>page {n}</h3>',
           f'<div class="sheet" style="aspect-ratio:{w:.2f}/{h:.2f}">']
    if img:
        out.append(f'<img src="{img.data_uri}" alt="page {n}">')
    else:
        out.append('<p class="note">(this page could not be drawn)</p>')
    unplaced = []
    on_page = [m for m in v.marks.values() if m.prov.get("page") == n]
    # several keys from one printed cell (a run of digits split by the template's sums):
    # each gets its slice of the cell, in key order
    sharing = Counter(_bbox_key(m) for m in on_page)
    seen: Counter[tuple[float, ...] | None] = Counter()
    for m in on_page:
        bk = _bbox_key(m)
        part = (seen[bk], sharing[bk]) if bk is not None else (0, 1)
        seen[bk] += 1
        style = _place(m.prov.get("bbox"), w, h, part=part)
        if style is None:
            unplaced.append(m)
            continue
        out.append(f'<div class="{classes(m, "box")}" {data(m)} style="{style}" title="{attr_title(m)}">'
                   f'<span class="lbl">{escape(m.full_key)} = {escape(fmt(m.value))}</span></div>')
    if v.document is not None:
        for hm in v.headings:
            b = v.document.blocks[hm.block]
            style = _place(b.bbox, w, h, HEADING_PAD_PT) if b.page == n else None
            if style is None:
                continue
            out.append(f'<div class="hbox heading-mark" data-ref="{escape(ref(hm))}" style="{style}" '
                       f'title="{escape(hm.kind + ": " + hm.heading)}"><span class="lbl">{escape(hm.kind)} '
                       f'{escape(hm.id)}</span></div>')
    out.append("</div>")
    if unplaced:
        out.append('<p class="unplaced">values on this page without a box: '
                   + " ".join(chip(m.full_key, m) for m in unplaced) + "</p>")
    out.append("</section>")
    return "".join(out)


def _doc_table(v: View, t: Table, s: InspectSettings) -> str:
    """The table as rebuilt; rows past the last mapped one are cut after a few, so a huge
    table that is not part of the template cannot blow up the page."""
    mapped = [r for r in range(t.n_rows) if any(id(c) in v.cell_keys for c in t.row_cells(r))]
    shown = min(t.n_rows, (mapped[-1] + 1 if mapped else 0) + s.extra_table_rows)
    rows = []
    for r in range(shown):
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
                text = cell.text if len(keys) == 1 else fmt(m.value)
                inner.append(f'<span class="{classes(m, "box")}" {data(m)} title="{attr_title(m)}">'
                             f'{escape(text)}<span class="lbl">{escape(m.full_key)} = {escape(fmt(m.value))}'
                             f"</span></span>")
            tds.append(f"<td{span}>{''.join(inner)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    more = f'<p class="elided">… {t.n_rows - shown} more rows …</p>' if shown < t.n_rows else ""
    return '<table class="doctable">' + "".join(rows) + "</table>" + more


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
            out.append(_doc_table(v, b, s))
        elif i in heads:
            hm = heads[i]
            cls = "docp heading heading-mark" + (" sub" if hm.kind == "subsection" else "")
            out.append(f'<p class="{cls}" data-ref="{escape(ref(hm))}">{escape(b.text)}</p>')
        else:
            text = b.text if len(b.text) <= s.snippet_chars else b.text[: s.snippet_chars] + "…"
            out.append(f'<p class="docp">{escape(text)}</p>')
    if hidden:
        out.append(f'<p class="elided">… {hidden} paragraph{"s" if hidden > 1 else ""} …</p>')
    return "".join(out)


def doc_pane(v: View, s: InspectSettings) -> str:
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
                 + " ".join(chip(m.full_key, m) for m in rest) + "</p>")
    return body
