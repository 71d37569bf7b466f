"""What pdfium is handed, checked first: the PDF's structure read with pdfminer.

pdfium has no limits we can set: it interprets a page's content streams whole
(two million drawing operations became two million path objects, 560 MB) and
inflates a stream whole. So before pdfium loads a page, the page's structure is
read with pdfminer — only dictionaries and streams, never the content operators
(that is what costs pdfminer its time) — under :mod:`.pdf_guard`'s wrappers
(reference cycles, inflated sizes):

* the page's content streams and the Form XObjects it draws are inflated
  (measured first, ``max_stream_bytes``) and their operations estimated from
  their separators (white space and the delimiters ``[ ( / <``) — an upper
  bound of the operators and operands pdfium will parse; a Form XObject counts
  once for each ``Do`` of the page (``max_page_operations``), and all pages
  together are bound by ``max_document_operations``;
* the page's fonts give what pdfminer's geometry needs and pdfium does not
  say: the descriptor's font name and its ``Descent`` (pdfium falls back to the
  font program's metrics when a descriptor says 0), keyed by base font name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..limits import DEFAULT_LIMITS, Limits
from .pdf_guard import DocumentLimit, PdfLimit

#: Form XObjects nested deeper than this are not counted again (pdfium's own limit is lower)
_MAX_FORM_DEPTH = 8
#: a subset font's name starts with a tag of six capital letters and "+" (PDF 32000 9.6.4)
_SUBSET_TAG = 6
#: glyph space is a thousandth of text space (the FontMatrix of all but Type 3 fonts)
_GLYPH_SPACE = 0.001
_SEPARATORS = (b" ", b"\n", b"\r", b"\t", b"[", b"(", b"/", b"<")


@dataclass(frozen=True)
class FontFacts:
    fontname: str
    #: descent below the baseline per unit of font size (negative), as pdfminer has it
    descent: float


@dataclass
class PageFacts:
    #: fonts by base font name without its subset prefix (``ABCDEF+``); a name two
    #: different fonts share is left out (pdfium's own values are used for it)
    fonts: dict[str, FontFacts] = field(default_factory=dict)
    operations: int = 0


def base_name(name: str) -> str:
    """A base font name without its subset tag (``BAAAAA+Name`` → ``Name``)."""
    if (len(name) > _SUBSET_TAG + 1 and name[_SUBSET_TAG] == "+" and name[:_SUBSET_TAG].isalpha()
            and name[:_SUBSET_TAG].isupper()):
        return name[_SUBSET_TAG + 1:]
    return name


def estimate_operations(data: bytes) -> int:
    """An upper bound of the tokens in a content stream (counted in C, no list built)."""
    return sum(data.count(s) for s in _SEPARATORS) + 1


class Structure:
    """The document's pages as pdfminer sees their dictionaries, one at a time."""

    def __init__(self, stream, limits: Limits = DEFAULT_LIMITS):
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        self.limits = limits
        self.doc = PDFDocument(PDFParser(stream), password="")
        self._pages = PDFPage.create_pages(self.doc)
        self._fonts: dict[Any, tuple[tuple[str, FontFacts], ...]] = {}
        self._forms: dict[Any, int] = {}
        #: (operations, ``Do`` count) of each content stream, by object number (pages may share one)
        self._streams: dict[Any, tuple[int, int]] = {}
        self.total = 0

    def pages(self) -> Iterator[Any]:
        return self._pages

    def facts(self, page: Any, number: int) -> PageFacts:
        """Fonts and estimated operations of one pdfminer ``PDFPage``; raises
        PdfLimit (DocumentLimit for the whole-document bound) past the limits."""
        out = PageFacts()
        ops = 0
        for strm in page.contents or ():
            key = getattr(strm, "objid", None)
            counted = self._streams.get(key) if key is not None else None
            if counted is None:
                data = _data(strm)
                counted = (estimate_operations(data), data.count(b"Do"))
                if key is not None:
                    self._streams[key] = counted
            ops += counted[0] + (counted[1] * self._max_form(page.resources, 0, set()) if counted[1] else 0)
        out.operations = ops
        lim = self.limits
        self.total += ops  # a page refused below counts too: 2,000 such pages are no document
        if self.total > lim.max_document_operations:
            raise DocumentLimit("too_large", f"more than {lim.max_document_operations} content-stream "
                                             f"operations in the document (page {number})")
        if ops > lim.max_page_operations:
            raise PdfLimit("too_large", f"more than {lim.max_page_operations} content-stream operations "
                                        f"on page {number}")
        seen: dict[str, Optional[FontFacts]] = {}
        self._collect_fonts(page.resources, seen, 0, set())
        out.fonts = {k: v for k, v in seen.items() if v is not None}
        return out

    # ------------------------------------------------------------------ forms
    def _max_form(self, resources: Any, depth: int, path: set[int]) -> int:
        """The largest operation count of a Form XObject these resources offer."""
        from pdfminer.pdftypes import PDFStream, resolve1

        res = resolve1(resources)
        if not isinstance(res, dict) or depth >= _MAX_FORM_DEPTH:
            return 0
        xobjs = resolve1(res.get("XObject"))
        if not isinstance(xobjs, dict):
            return 0
        best = 0
        for ref in xobjs.values():
            key = getattr(ref, "objid", None)
            if key is not None and key in self._forms:
                best = max(best, self._forms[key])
                continue
            x = resolve1(ref)
            if not isinstance(x, PDFStream) or _name(x.get("Subtype")) != "Form":
                continue
            if key is not None and key in path:
                # pdfminer refuses a form that draws itself (a cycle); so does this engine
                raise PdfLimit("corrupt", f"Form XObject {key} draws itself")
            data = _data(x)
            inner = path | ({key} if key is not None else set())
            dos = data.count(b"Do")
            n = estimate_operations(data) + (dos * self._max_form(x.get("Resources"), depth + 1, inner) if dos else 0)
            n = min(n, self.limits.max_document_operations + 1)
            if key is not None:
                self._forms[key] = n
            best = max(best, n)
        return best

    # ------------------------------------------------------------------ fonts
    def _collect_fonts(self, resources: Any, seen: dict[str, Optional[FontFacts]], depth: int,
                       path: set[int]) -> None:
        from pdfminer.pdftypes import PDFStream, resolve1

        res = resolve1(resources)
        if not isinstance(res, dict) or depth >= _MAX_FORM_DEPTH:
            return
        fonts = resolve1(res.get("Font"))
        if isinstance(fonts, dict):
            for ref in fonts.values():
                key = getattr(ref, "objid", None)
                facts = self._fonts.get(key) if key is not None else None
                if facts is None:
                    try:
                        facts = _font_facts(resolve1(ref))
                    except PdfLimit:
                        raise
                    except Exception:  # a damaged font dictionary: pdfium's own values serve
                        facts = ()
                    if key is not None:
                        self._fonts[key] = facts
                for name, f in facts:
                    if name in seen and seen[name] != f:
                        seen[name] = None  # two fonts, one name: ambiguous
                    else:
                        seen.setdefault(name, f)
        xobjs = resolve1(res.get("XObject"))
        if isinstance(xobjs, dict):
            for ref in xobjs.values():
                key = getattr(ref, "objid", None)
                if key is not None and key in path:
                    continue
                x = resolve1(ref)
                if isinstance(x, PDFStream) and _name(x.get("Subtype")) == "Form":
                    self._collect_fonts(x.get("Resources"), seen, depth + 1,
                                        path | ({key} if key is not None else set()))


def _name(v: Any) -> str:
    from pdfminer.psparser import PSLiteral

    if isinstance(v, PSLiteral):
        v = v.name
    if isinstance(v, bytes):
        v = v.decode("latin-1")
    return v if isinstance(v, str) else ""


def _data(strm: Any) -> bytes:
    from pdfminer.pdftypes import PDFStream, resolve1

    strm = resolve1(strm)
    if not isinstance(strm, PDFStream):
        return b""
    try:
        return strm.get_data() or b""
    except PdfLimit:
        raise
    except Exception:
        return b""


def _font_facts(spec: Any) -> tuple[tuple[str, FontFacts], ...]:
    """(base name, facts) pairs of one font dictionary, as pdfminer builds its font
    (pdfminer.pdfinterp.PDFResourceManager.get_font and the PDFFont classes)."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import resolve1

    if not isinstance(spec, dict):
        return ()
    subtype = _name(resolve1(spec.get("Subtype"))) or "Type1"
    names = [_name(resolve1(spec.get("BaseFont")))]
    vscale = _GLYPH_SPACE
    if subtype == "Type0":
        dfonts = resolve1(spec.get("DescendantFonts"))
        sub = resolve1(dfonts[0]) if isinstance(dfonts, list) and dfonts else None
        if not isinstance(sub, dict):
            return ()
        names.append(_name(resolve1(sub.get("BaseFont"))))
        descriptor = resolve1(sub.get("FontDescriptor")) or {}
        descent_key = "Descent"
    elif subtype == "Type3":
        descriptor = resolve1(spec.get("FontDescriptor"))
        if not isinstance(descriptor, dict):
            descriptor = {"Ascent": 0, "Descent": 0, "FontBBox": resolve1(spec.get("FontBBox"))}
        matrix = [resolve1(v) for v in resolve1(spec.get("FontMatrix")) or []]
        if len(matrix) == 6 and all(isinstance(v, (int, float)) for v in matrix):
            a, b, c, d = matrix[:4]
            vscale = b + d  # pdfminer: apply_matrix_norm(matrix, (1, 1))
        descent_key = "FontBBox"  # pdfminer's Type3 font takes its descent from the box
    elif names[0] in FONT_METRICS:
        descriptor = FONT_METRICS[names[0]][0]
        descent_key = "Descent"
    else:
        descriptor = resolve1(spec.get("FontDescriptor")) or {}
        descent_key = "Descent"
    if not isinstance(descriptor, dict):
        descriptor = {}
    fontname = _name(resolve1(descriptor.get("FontName", "unknown"))) or "unknown"
    if descent_key == "FontBBox":
        bbox = resolve1(descriptor.get("FontBBox"))
        try:
            descent = float(resolve1(bbox[1])) * vscale
        except Exception:
            descent = 0.0
    else:
        d = resolve1(descriptor.get("Descent", 0))
        descent = -abs(float(d)) * vscale if isinstance(d, (int, float)) else 0.0
    facts = FontFacts(fontname=fontname, descent=descent)
    return tuple((base_name(n), facts) for n in dict.fromkeys(names) if n)
