"""Small HTML pieces shared by both panes of the inspection page.

Every text that comes from a report is untrusted: it only reaches the page through
:func:`html.escape` here and in the pane writers.
"""
from __future__ import annotations

from html import escape
from typing import Any

from .locate import HeadingMark
from .marks import CellMark


def fmt(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def attr_title(m: CellMark) -> str:
    p = m.prov
    parts = [f"{m.full_key} = {fmt(m.value)}", f"how: {m.how}", f"raw: {p.get('raw', '')!s}"]
    if p.get("page") is not None:
        parts.append(f"page {p.get('page')}")
    if p.get("label"):
        parts.append(f"label: {p.get('label')}")
    if m.reasons:
        parts.append("problems: " + ", ".join(m.reasons))
    return escape("\n".join(parts))


def classes(m: CellMark, base: str) -> str:
    return f"{base} how-{escape(m.how)}" + (" bad" if m.bad else "")


def data(m: CellMark) -> str:
    return f'data-key="{escape(m.full_key)}" data-how="{escape(m.how)}"'


def ref(hm: HeadingMark) -> str:
    return f"{hm.kind}:{hm.id}:{hm.heading}"


def chip(key: str, m: CellMark | None, text: str | None = None) -> str:
    """A reference to a cell (in a check, a warning, a list of unplaced values): linked
    to the cell's marks by ``data-key``, red like them."""
    if m is None:
        return f'<span class="chip" data-key="{escape(key)}">{escape(key if text is None else text)}</span>'
    return (f'<span class="chip{" bad" if m.bad else ""}" {data(m)} title="{attr_title(m)}">'
            f'{escape(key if text is None else text)}</span>')
