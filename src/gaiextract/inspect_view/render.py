"""Write the inspection page: one self-contained HTML document.

Everything the page shows from the report is untrusted text (a report can hold
``<script>``): every piece goes through :func:`html.escape`, and the page's Content
Security Policy only lets the one script whose hash it names run, loads nothing from the
network and takes images only from ``data:`` URIs.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape
from importlib import resources

from .doc_pane import doc_pane
from .fragments import fmt
from .settings import BAD_COLOUR, HEADING_COLOUR, HOW_COLOURS, InspectSettings
from .values_pane import values_pane
from .view import View

__all__ = ["View", "page"]


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


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
    meta = (f"{escape(str(rep.get('agency') or ''))} · year {escape(fmt(rep.get('year')))} · "
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
            f"{_header(v)}<main><section id=\"doc\">{doc_pane(v, settings)}</section>"
            f"<aside id=\"canon\">{values_pane(v)}</aside></main>"
            f"<script>{script}</script></body></html>\n")
