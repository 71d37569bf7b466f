"""The page model of the PDF reader: the objects of one page, read once and kept
light, and what one page yields (:class:`PageScan`).

Two engines fill :class:`PageObjects`: pdfium (:mod:`.pdf_pdfium`, the default)
and pdfminer under pdfplumber (:func:`page_objects` here). Both give the same
char dicts and rule edges; a char or rule at a non-finite or absurd coordinate (a
310-digit number in ``Tm``/``cm``/``Tf``) is dropped here, so nothing after the
page model does arithmetic on infinity.


pdfplumber's ``page.chars``/``page.edges`` turn every pdfminer object into a
dict of some thirty attributes (colours, graphic state, matrices), which costs
about a fifth of the reading time. The reader needs a handful: for characters
text, box, size, font and uprightness; for rules their box. This module walks
pdfplumber's own pdfminer layout of the page (same interpretation, rotation
included) and keeps just those, in pdfplumber's coordinates (top-left origin,
media box offset), so the rest of the reader and pdfplumber's table finder work
on them unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

#: PDF user space: 72 points to the inch (a page image at ``dpi`` has dpi / 72 pixels a point)
POINTS_PER_INCH = 72.0

if TYPE_CHECKING:
    from .pdf_tables import PageTable
    from .pdf_text import Line

#: coordinates beyond this many points from the origin are no page's (the PDF spec's
#: own implementation limit for real numbers is about 32,767)
MAX_COORDINATE = 1e6


@dataclass
class PageObjects:
    chars: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)  # horizontal ("h") and vertical ("v") rules
    n_images: int = 0
    n_paths: int = 0


@dataclass
class PageScan:
    """What one page yields before cross-page work (also made by OCR, readers/ocr.py)."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    n_chars: int = 0
    n_garbled: int = 0
    n_images: int = 0
    #: the page could not be read (damaged, or stopped at a limit): no text, but not a
    #: scan either, so OCR in ``auto`` mode leaves it alone
    failed: bool = False


def keep_char(ch: dict[str, Any], _lo: float = -MAX_COORDINATE, _hi: float = MAX_COORDINATE) -> bool:
    """A char at a usable place and size (not at infinity, not NaN: a comparison
    with NaN is false)."""
    return (_lo <= ch["x0"] <= _hi and _lo <= ch["x1"] <= _hi and _lo <= ch["top"] <= _hi
            and _lo <= ch["bottom"] <= _hi and _lo <= ch["size"] <= _hi)


def finite_edges(edges: list[dict[str, Any]], _lo: float = -MAX_COORDINATE,
                 _hi: float = MAX_COORDINATE) -> list[dict[str, Any]]:
    """The rules at usable places (see :func:`keep_char`)."""
    return [e for e in edges if _lo <= e["x0"] <= _hi and _lo <= e["x1"] <= _hi and _lo <= e["top"] <= _hi
            and _lo <= e["bottom"] <= _hi]


def edge(kind: str, orientation: str, x0: float, top: float, x1: float, bottom: float,
         fill_only: bool = False, thickness: float = 0.0) -> dict[str, Any]:
    """An edge; ``fill_only`` marks a side of a filled, unstroked shape whose
    smaller dimension is ``thickness`` (a thin one is a rule drawn as a fill, a
    thick one shading: readers/pdf_tables.py decides)."""
    return {"object_type": kind, "orientation": orientation, "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "fill_only": fill_only, "thickness": thickness}


def page_objects(page) -> PageObjects:
    """Chars, rules and image count of a pdfplumber ``page`` (parsed once)."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    out = PageObjects()
    chars, edges = out.chars, out.edges

    def walk(objs):
        for obj in objs:
            if isinstance(obj, LTChar):
                ch = {
                    "text": obj.get_text(),
                    "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                    "top": height - obj.y1 + mb_top, "bottom": height - obj.y0 + mb_top,
                    "size": obj.size, "fontname": obj.fontname, "upright": obj.upright,
                }
                if keep_char(ch):
                    chars.append(ch)
            elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
                out.n_paths += 1
                _rules(obj, height, mb_x0, mb_top, edges)
            elif isinstance(obj, LTImage):
                out.n_images += 1
            elif isinstance(obj, LTContainer):  # figures (form XObjects) hold more objects
                walk(obj._objs)

    walk(page.layout._objs)
    out.edges = finite_edges(edges)
    return out


def _rules(obj, height: float, mb_x0: float, mb_top: float, edges: list[dict[str, Any]]) -> None:
    """Horizontal and vertical edges of a line, rectangle or path (as pdfplumber's
    ``page.edges``: a rectangle gives its four sides, a path its straight axis-
    parallel segments)."""
    from pdfminer.layout import LTLine, LTRect

    fill_only = bool(obj.fill) and not obj.stroke
    thick = min(obj.width, obj.height)
    if isinstance(obj, LTRect):
        x0, x1 = obj.x0 + mb_x0, obj.x1 + mb_x0
        top, bottom = height - obj.y1 + mb_top, height - obj.y0 + mb_top
        for e in (("h", x0, top, x1, top), ("h", x0, bottom, x1, bottom),
                  ("v", x0, top, x0, bottom), ("v", x1, top, x1, bottom)):
            edges.append(edge("rect_edge", *e, fill_only=fill_only, thickness=thick))
        return
    pts = [(x + mb_x0, height - y + mb_top) for x, y in obj.pts]
    kind = "line" if isinstance(obj, LTLine) else "curve_edge"
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        if ay == by and ax != bx:
            edges.append(edge(kind, "h", min(ax, bx), ay, max(ax, bx), ay, fill_only, thick))
        elif ax == bx and ay != by:
            edges.append(edge(kind, "v", ax, min(ay, by), ax, max(ay, by), fill_only, thick))
