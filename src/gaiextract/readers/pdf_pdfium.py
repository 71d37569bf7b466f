"""PDF pages read through pdfium (pypdfium2): the default engine of the PDF reader.

pdfium parses content streams in C++, some 10-30 times faster than pdfminer in
pure Python. This module builds the same page model as :mod:`.pdf_page` does
from pdfminer — char dicts (``text``, ``x0``, ``x1``, ``top``, ``bottom``,
``size``, ``fontname``, ``upright``) and rule edges in pdfplumber's coordinates
— so everything after it (lines, running heads, the table finder, stitching,
the OCR page scan) works unchanged. The geometry follows pdfminer's on purpose:

* a char's box is its advance width across and the font size high, standing on
  the font's descent below the baseline (pdfminer's ``LTChar``), not the glyph's
  ink box;
* a path is split at each ``m`` into subpaths; ``m l`` (``m l h``) is a line,
  ``m l l l h`` / ``m l l l l`` with axis-parallel sides a rectangle (four
  edges), anything else a curve whose axis-parallel straight pieces are rules
  (pdfminer's ``paint_path``), inside Form XObjects too;
* the page's rotation and media box map user space as pdfminer's page matrix
  does.

Limits (:mod:`gaiextract.limits`): what pdfium is handed is checked first by
:mod:`.pdf_precheck` (content sizes and operations, per page and for the whole
document); here the objects a page yields and its wall clock are counted as we go.
"""
from __future__ import annotations

import ctypes
import functools
import math
import re
import struct
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..limits import DEFAULT_LIMITS, Limits, require_positive
from .pdf_guard import PdfLimit
from .pdf_page import MAX_COORDINATE, PageObjects, edge, finite_edges
from .pdf_precheck import FontFacts, base_name

#: Form XObjects nested deeper than this are not walked (pdfium stops far earlier)
_MAX_FORM_DEPTH = 16
_SUBPATH = re.compile(r"m[^m]+")
_F32 = struct.Struct("f")
#: what pdfium may insert between words and lines (FPDFText_IsGenerated tells)
_GENERATED = frozenset((0x20, 0x0A, 0x0D, 0x02, 0xFFFE))
#: code points that are no text (pdfium's "no Unicode" answers)
_NO_TEXT = frozenset((0, 0xFFFE, 0xFFFF))
#: chars read between two looks at the page's clock
_CLOCK_EVERY = 512
# pdfium's page object types and path segment types (fpdf_edit.h)
_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
#: FPDFPage_GetRotation answers in quarter turns (0-3)
_DEGREES_PER_QUARTER_TURN = 90
#: a box is four floats (left, bottom, right, top)
_BOX_FLOATS = 4
#: pdfminer's ``paint_path`` drops a closing ``l`` back to the start before ``h`` only in
#: a shape of more than this many operations; the same here, so both engines draw alike
_LH_MIN_OPS = 3

Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class PdfiumSettings:
    """The tolerances of the pdfium page model (PDF points, or text-space units)."""

    #: a text object pdfium's text page left out is a copy of one it kept when their
    #: boxes' widths and heights agree within this (fake bold; see ``_twins``)
    twin_box: float = 0.01
    #: a text-matrix term smaller than this is zero: the baseline runs along an axis
    #: (a char's advance from its loose box, ``_advance``)
    axis_zero: float = 1e-9
    #: a path of more segments than this counts one more page object (``Limits.max_page_objects``)
    #: for each this many segments
    segments_per_object: int = 8

    def __post_init__(self) -> None:
        require_positive(self)


DEFAULT_PDFIUM = PdfiumSettings()


class PdfiumRefused(Exception):
    """pdfium cannot open the file (the reader falls back to pdfminer)."""


@functools.lru_cache(maxsize=65_536)
def decimal_of(v: float) -> float:
    """The shortest decimal that pdfium's 32-bit float ``v`` stands for (``102.085``
    for 102.08499908…): pdfium keeps numbers in 32 bits, pdfminer parses the same
    decimals into 64, and a cell's box rounded to 0.01 must not differ between them."""
    for digits in (6, 7, 8):
        d = float(f"{v:.{digits}g}")
        if _F32.unpack(_F32.pack(d))[0] == v:
            return d
    return v


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention, as pdfminer's mult_matrix)."""
    a1, b1, c1, d1, e1, f1 = m
    a0, b0, c0, d0, e0, f0 = n
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _pt(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _fast(fn, restype, *argtypes):
    """The same pdfium function with plain argument types (an address for a handle):
    ctypes converts ints far faster than its typed pointers (4 µs → 1 µs a call)."""
    addr = ctypes.cast(fn, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(addr)


class _Api:
    """The pdfium functions the page walk calls per object or segment, each taking
    and giving handles and out-pointers as plain addresses (see :func:`_fast`)."""

    def __init__(self) -> None:
        import pypdfium2.raw as R

        vp, i, u = ctypes.c_void_p, ctypes.c_int, ctypes.c_ulong
        self.page_count = _fast(R.FPDFPage_CountObjects, i, vp)
        self.page_object = _fast(R.FPDFPage_GetObject, vp, vp, i)
        self.form_count = _fast(R.FPDFFormObj_CountObjects, i, vp)
        self.form_object = _fast(R.FPDFFormObj_GetObject, vp, vp, u)
        self.obj_type = _fast(R.FPDFPageObj_GetType, i, vp)
        self.obj_matrix = _fast(R.FPDFPageObj_GetMatrix, i, vp, vp)
        self.obj_bounds = _fast(R.FPDFPageObj_GetBounds, i, vp, vp, vp, vp, vp)
        self.count_segments = _fast(R.FPDFPath_CountSegments, i, vp)
        self.segment = _fast(R.FPDFPath_GetPathSegment, vp, vp, i)
        self.segment_point = _fast(R.FPDFPathSegment_GetPoint, i, vp, vp, vp)
        self.segment_type = _fast(R.FPDFPathSegment_GetType, i, vp)
        self.segment_close = _fast(R.FPDFPathSegment_GetClose, i, vp)
        self.draw_mode = _fast(R.FPDFPath_GetDrawMode, i, vp, vp, vp)
        self.text_font = _fast(R.FPDFTextObj_GetFont, vp, vp)
        self.glyph_width = _fast(R.FPDFFont_GetGlyphWidth, i, vp, ctypes.c_uint, ctypes.c_float, vp)
        self.char_matrix = _fast(R.FPDFText_GetMatrix, i, vp, i, vp)
        self.font_size = _fast(R.FPDFText_GetFontSize, ctypes.c_double, vp, i)


@functools.lru_cache(maxsize=1)
def _api() -> _Api:
    return _Api()


class _Font:
    """One font of a page: its name and descent as pdfminer has them, and the
    advance of each code point met (per unit of font size)."""

    __slots__ = ("handle", "name", "descent", "advances")

    def __init__(self, handle: int, name: str, descent: float):
        self.handle, self.name, self.descent = handle, name, descent
        self.advances: dict[int, float] = {}


class _TextObject:
    """One text object of a page: its font, size, matrix and the chars read from it."""

    __slots__ = ("font", "size", "a", "b", "c", "d", "origin", "chars")

    def __init__(self, font: _Font, size: float, a: float, b: float, c: float, d: float,
                 origin: tuple[float, float]):
        self.font, self.size, self.a, self.b, self.c, self.d, self.origin = font, size, a, b, c, d, origin
        self.chars: list[dict[str, Any]] = []


class PdfiumDocument:
    """An open pdfium document; pages are loaded one at a time and closed."""

    def __init__(self, data: bytes):
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self._raw = raw
        self._data = data  # pdfium reads from this buffer for the document's lifetime
        try:
            self._pdf = pdfium.PdfDocument(data, password="")
        except pdfium.PdfiumError as exc:
            raise PdfiumRefused(str(exc)) from None
        self._buf = ctypes.create_string_buffer(256)
        vp, i = ctypes.c_void_p, ctypes.c_int
        self._unicode = _fast(raw.FPDFText_GetUnicode, ctypes.c_uint, vp, i)
        self._object = _fast(raw.FPDFText_GetTextObject, vp, vp, i)
        self._origin = _fast(raw.FPDFText_GetCharOrigin, ctypes.c_int, vp, i, vp, vp)
        self._generated = _fast(raw.FPDFText_IsGenerated, ctypes.c_int, vp, i)
        self._map_error = _fast(raw.FPDFText_HasUnicodeMapError, ctypes.c_int, vp, i)

    def __len__(self) -> int:
        return len(self._pdf)

    def close(self) -> None:
        self._pdf.close()

    def page_size(self, index: int) -> tuple[float, float]:
        w, h = self._pdf.get_page_size(index)
        return float(w), float(h)

    def page_objects(self, index: int, limits: Limits = DEFAULT_LIMITS, deadline: Optional[float] = None,
                     fonts: Optional[dict[str, FontFacts]] = None) -> tuple[PageObjects, float, float]:
        """(objects, width, height) of page ``index`` in pdfplumber's coordinates.

        ``fonts`` (from :mod:`.pdf_precheck`) gives each font's descriptor name and
        descent by base name, as pdfminer sees them."""
        R = self._raw
        page = self._pdf[index]
        try:
            raw_page = page.raw
            rot = R.FPDFPage_GetRotation(raw_page) * _DEGREES_PER_QUARTER_TURN % 360
            box = [ctypes.c_float() for _ in range(_BOX_FLOATS)]
            if R.FPDFPage_GetMediaBox(raw_page, *(ctypes.byref(v) for v in box)):
                left, b, r, t = (decimal_of(v.value) for v in box)
            else:  # pdfium's default: US Letter
                left, b, r, t = 0.0, 0.0, float(R.FPDF_GetPageWidthF(raw_page)), float(R.FPDF_GetPageHeightF(raw_page))
            x0, x1 = sorted((left, r))
            y0, y1 = sorted((b, t))
            ctm, width, height, mb_x0, mb_top = _page_frame(rot, x0, y0, x1, y1)
            out = PageObjects()
            counter = _Counter(limits, deadline, index + 1)
            counter.clock()
            texts: list[tuple[int, Matrix]] = []
            self._paths(raw_page, ctm, height, mb_x0, mb_top, out, counter, texts)
            self._chars(page, ctm, height, mb_x0, mb_top, out, counter, fonts or {}, texts)
            out.edges = finite_edges(out.edges)
            return out, width, height
        finally:
            page.close()

    # ------------------------------------------------------------------ text
    def _chars(self, page, ctm: Matrix, height: float, mb_x0: float, mb_top: float, out: PageObjects,
               counter: _Counter, known: dict[str, FontFacts], texts: list[tuple[int, Matrix]]) -> None:
        """The text page's chars: its code points read in one call, then per char
        only its text object, origin and mapping flag; font, size and matrix once
        per text object, advances once per font and code point."""
        R = self._raw
        textpage = page.get_textpage()
        try:
            tp = textpage.raw
            n = R.FPDFText_CountChars(tp)
            counter.add(n, "characters")
            ox, oy = ctypes.c_double(), ctypes.c_double()
            ox_at, oy_at = ctypes.addressof(ox), ctypes.addressof(oy)
            objects: dict[int, _TextObject] = {}
            fonts: dict[int, _Font] = {}
            first_kept: list[int] = []  # text objects in the order their first char was kept
            get_unicode, get_object = self._unicode, self._object
            get_origin, map_error, generated = self._origin, self._map_error, self._generated
            tpv = ctypes.cast(tp, ctypes.c_void_p).value
            chars = out.chars
            ca, cb, cc, cd, ce, cf = ctm
            plain = cb == 0 and cc == 0
            lo, hi = -MAX_COORDINATE, MAX_COORDINATE
            # all code points in one call when each char is one UTF-16 unit (no
            # surrogate pairs); otherwise one call per char
            units = (ctypes.c_ushort * (n + 1))()
            got = R.FPDFText_GetText(tp, 0, n, units) if n else 0
            bulk = got == n + 1 and not any(0xD800 <= v <= 0xDFFF for v in units[:n])
            codes = units[:n] if bulk else None
            last = -1  # the text object of the previous char: its values stay in locals
            for start in range(0, n, _CLOCK_EVERY):
                counter.clock()
                for i in range(start, min(n, start + _CLOCK_EVERY)):
                    u = codes[i] if codes is not None else get_unicode(tpv, i)
                    # pdfium adds spaces and line breaks of its own between words and lines
                    if u in _GENERATED and generated(tpv, i) == 1:
                        continue
                    if map_error(tpv, i) == 1 or u in _NO_TEXT or 0xD800 <= u <= 0xDFFF or u > 0x10FFFF:
                        text = "\ufffd"
                    else:
                        text = chr(u)
                    okey = get_object(tpv, i) or 0
                    if okey != last:
                        obj = objects.get(okey)
                        if obj is None:
                            obj = objects[okey] = self._text_object(tp, tpv, i, okey, fonts, known)
                        last = okey
                        font, size, a, b, c, d, held = obj.font, obj.size, obj.a, obj.b, obj.c, obj.d, obj.chars
                        advances, fontname = font.advances, font.name
                        lo_y = font.descent * size
                        hi_y = lo_y + size
                        simple = plain and b == 0 and c == 0  # upright text on an unrotated page
                        fa, fd = a * ca, d * cd
                    adv = advances.get(u)
                    if adv is None:
                        adv = advances[u] = self._advance(tp, i, font.handle, u, a, b)
                    get_origin(tpv, i, ox_at, oy_at)
                    adv *= size
                    if simple:  # two corners do
                        x = ox.value * ca + ce
                        y = oy.value * cd + cf
                        xa, xb = x, x + adv * fa
                        ya, yb = y + lo_y * fd, y + hi_y * fd
                        cx0, cx1 = (xa, xb) if xa <= xb else (xb, xa)
                        cy0, cy1 = (ya, yb) if ya <= yb else (yb, ya)
                        upright = fa * fd > 0
                    else:
                        cx0, cy0, cx1, cy1, upright = _turned_box((a, b, c, d, ox.value, oy.value), ctm, adv,
                                                                  lo_y, hi_y)
                    x0, x1 = cx0 + mb_x0, cx1 + mb_x0
                    top, bottom = height - cy1 + mb_top, height - cy0 + mb_top
                    box_size = cy1 - cy0
                    # keep_char's test, inline: a usable place and size (NaN fails it)
                    if lo <= x0 <= hi and lo <= x1 <= hi and lo <= top <= hi and lo <= bottom <= hi \
                            and lo <= box_size <= hi:
                        ch = {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": box_size,
                              "fontname": fontname, "upright": upright}
                        chars.append(ch)
                        if not held:
                            first_kept.append(okey)
                        held.append(ch)
            by_object = {k: objects[k].chars for k in first_kept}
            where = {k: o.origin for k, o in objects.items()}
            self._twins(tp, texts, by_object, where, ctm, chars, counter)
        finally:
            textpage.close()

    def _text_object(self, tp, tpv: int, i: int, okey: int, fonts: dict[int, _Font],
                     known: dict[str, FontFacts]) -> _TextObject:
        """Font, size and matrix of the text object char ``i`` belongs to (``tpv``:
        the text page's address)."""
        R = self._raw
        F = _api()
        fkey = (F.text_font(okey) or 0) if okey else 0
        font = fonts.get(fkey)
        if font is None:
            name, desc = "", 0.0
            handle = R.FPDFTextObj_GetFont(R.FPDFText_GetTextObject(tp, i)) if fkey else None
            if handle:
                if R.FPDFFont_GetBaseFontName(handle, self._buf, 256):
                    name = self._buf.value.decode("latin-1")
                facts = known.get(base_name(name))
                descent = ctypes.c_float()
                if facts is not None:
                    name, desc = facts.fontname, facts.descent
                elif R.FPDFFont_GetDescent(handle, ctypes.c_float(1.0), ctypes.byref(descent)):
                    desc = -abs(float(descent.value))
            font = fonts[fkey] = _Font(fkey, name, desc)
        m = R.FS_MATRIX()
        F.char_matrix(tpv, i, ctypes.addressof(m))
        return _TextObject(font, F.font_size(tpv, i), m.a, m.b, m.c, m.d, (m.e, m.f))

    def _twins(self, tp, texts: list[tuple[int, Matrix]], by_object: dict[int, list[dict[str, Any]]],
               where: dict[int, tuple[float, float]], ctm: Matrix, chars: list[dict[str, Any]],
               counter: _Counter) -> None:
        """Put back the text objects pdfium's text page leaves out as duplicates.

        Fake bold draws a line twice, a hair apart; pdfium keeps one copy, pdfminer
        both (and our dedupe_chars takes the second copy as the bold signal). A text
        object none of whose chars reached the text page, with the same text as one
        that did within one em, gets that object's chars again, moved by the offset."""
        missing = [(obj, outer) for obj, outer in texts if obj not in by_object]
        if not missing or not by_object:
            return
        F = _api()
        m = self._raw.FS_MATRIX()
        box = (ctypes.c_float * _BOX_FLOATS)()
        at = [ctypes.addressof(box) + k * ctypes.sizeof(ctypes.c_float) for k in range(_BOX_FLOATS)]

        def bounds(obj: int) -> Optional[tuple[float, float]]:
            if not F.obj_bounds(obj, *at):
                return None
            return box[2] - box[0], box[3] - box[1]

        kept: list[tuple[int, tuple[float, float], tuple[float, float], float]] = []
        handles = {obj for obj, _ in texts}
        for okey, cs in by_object.items():
            wh = bounds(okey) if okey in handles else None
            if wh is not None and okey in where:
                kept.append((okey, where[okey], wh, max(c["size"] for c in cs)))
        ca, cb, cc, cd = ctm[:4]
        for obj, outer in missing:
            wh = bounds(obj)
            if wh is None or not F.obj_matrix(obj, ctypes.addressof(m)):
                continue
            e, f = _pt(outer, m.e, m.f)
            for okey, (ex, fy), kwh, size in kept:
                dx, dy = e - ex, f - fy
                # the same drawing (same box) within one em: a copy pdfium dropped
                twin = DEFAULT_PDFIUM.twin_box
                if abs(dx) <= size and abs(dy) <= size and abs(kwh[0] - wh[0]) <= twin \
                        and abs(kwh[1] - wh[1]) <= twin:
                    sx, sy = dx * ca + dy * cc, dx * cb + dy * cd
                    copies = [{**c, "x0": c["x0"] + sx, "x1": c["x1"] + sx, "top": c["top"] - sy,
                               "bottom": c["bottom"] - sy} for c in by_object[okey]]
                    counter.add(len(copies), "characters")
                    chars.extend(copies)
                    break

    def _advance(self, tp, i: int, font: int, u: int, a: float, b: float) -> float:
        """The char's advance in text space per unit of font size: its width in the
        font's /Widths or /W (pdfium maps the Unicode back to the char code), else
        the loose box's extent along the baseline (``font``: the font's address, 0
        for none)."""
        R = self._raw
        w = ctypes.c_float()
        if font and u and _api().glyph_width(font, u, 1.0, ctypes.addressof(w)):
            return float(w.value)
        loose = R.FS_RECTF()
        R.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(loose))
        span = abs(loose.right - loose.left)
        zero = DEFAULT_PDFIUM.axis_zero
        if abs(a) > zero and abs(b) <= zero:
            return span / abs(a)
        if abs(b) > zero and abs(a) <= zero:
            return abs(loose.top - loose.bottom) / abs(b)
        return span / math.hypot(a, b) if (a or b) else 0.0

    # ------------------------------------------------------------------ paths
    def _paths(self, raw_page, ctm: Matrix, height: float, mb_x0: float, mb_top: float, out: PageObjects,
               counter: _Counter, texts: list[tuple[int, Matrix]]) -> None:
        """Rules of the page's paths (inside Form XObjects too); its text objects go to
        ``texts`` (by address) with the matrix of the forms around them."""
        F = _api()
        m = self._raw.FS_MATRIX()
        m_at = ctypes.addressof(m)
        x, y = ctypes.c_float(), ctypes.c_float()
        x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
        fillmode, stroke = ctypes.c_int(), ctypes.c_int()
        fill_at, stroke_at = ctypes.addressof(fillmode), ctypes.addressof(stroke)
        get_matrix, get_type = F.obj_matrix, F.obj_type
        count_segs, get_seg, seg_point, seg_type, seg_close = (F.count_segments, F.segment, F.segment_point,
                                                               F.segment_type, F.segment_close)
        draw_mode = F.draw_mode

        def matrix(obj: int) -> Matrix:
            if not get_matrix(obj, m_at):
                return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            return (decimal_of(m.a), decimal_of(m.b), decimal_of(m.c), decimal_of(m.d), decimal_of(m.e),
                    decimal_of(m.f))

        def walk(get: Callable[[int, int], Optional[int]], parent: int, count: int, outer: Matrix,
                 depth: int) -> None:
            for j in range(count):
                obj = get(parent, j)
                if not obj:
                    continue
                kind = get_type(obj)
                if kind == _TEXT:  # its chars are counted from the text page
                    texts.append((obj, outer))
                    continue
                counter.add(1, "objects")
                if kind == _PATH:
                    out.n_paths += 1
                    full = _mult(matrix(obj), outer)
                    segs = []
                    for k in range(count_segs(obj)):
                        seg = get_seg(obj, k)
                        seg_point(seg, x_at, y_at)
                        segs.append((seg_type(seg), decimal_of(x.value), decimal_of(y.value), seg_close(seg) != 0))
                    if len(segs) > DEFAULT_PDFIUM.segments_per_object:
                        counter.add(len(segs) // DEFAULT_PDFIUM.segments_per_object, "path segments")
                    # a filled, unstroked shape (shading, or a rule drawn as a fill):
                    # pdfminer's ``fill and not stroke``
                    fill_only = (bool(draw_mode(obj, fill_at, stroke_at))
                                 and fillmode.value != 0 and not stroke.value)
                    if len(segs) == 2 and segs[0][0] == _MOVETO and segs[1][0] == _LINETO \
                            and not segs[0][3] and not segs[1][3]:
                        _line(segs, full, height, mb_x0, mb_top, out.edges, fill_only)
                    else:
                        _paint(segs, full, height, mb_x0, mb_top, out.edges, fill_only)
                elif kind == _IMAGE:
                    out.n_images += 1
                elif kind == _FORM and depth < _MAX_FORM_DEPTH:
                    walk(F.form_object, obj, F.form_count(obj), _mult(matrix(obj), outer), depth + 1)

        page = ctypes.cast(raw_page, ctypes.c_void_p).value or 0
        walk(F.page_object, page, F.page_count(page), ctm, 0)


def _turned_box(m: Matrix, ctm: Matrix, adv: float, lo_y: float, hi_y: float
                ) -> tuple[float, float, float, float, bool]:
    """(x0, y0, x1, y1, upright) of a char whose text matrix ``m`` (origin in its
    last two terms) turns or skews it, or on a rotated page."""
    full = _mult(m, ctm)
    corners = (_pt(full, 0.0, lo_y), _pt(full, adv, lo_y), _pt(full, adv, hi_y), _pt(full, 0.0, hi_y))
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    fa, fb, fc, fd = full[:4]
    return min(xs), min(ys), max(xs), max(ys), fa * fd > 0 and fb * fc <= 0


def _page_frame(rot: int, x0: float, y0: float, x1: float, y1: float
                ) -> tuple[Matrix, float, float, float, float]:
    """pdfminer's page matrix for this rotation and media box, and pdfplumber's page
    height and media-box offsets (``Page.mediabox`` after _normalize_box/_invert_box)."""
    if rot == 90:
        ctm: Matrix = (0, -1, 1, 0, -y0, x1)
    elif rot == 180:
        ctm = (-1, 0, 0, -1, x1, y1)
    elif rot == 270:
        ctm = (0, 1, -1, 0, y1, -x0)
    else:
        ctm = (1, 0, 0, 1, -x0, -y0)
    if rot in (90, 270):
        bx0, by0, bx1, by1 = y0, x0, y1, x1
    else:
        bx0, by0, bx1, by1 = x0, y0, x1, y1
    mb_height = by1 - by0
    return ctm, bx1 - bx0, mb_height, bx0, mb_height - by1


class _Counter:
    """Objects a page yields and its wall clock, against the limits."""

    def __init__(self, limits: Limits, deadline: Optional[float], page: int):
        self.limits, self.deadline, self.page = limits, deadline, page
        self.n = 0

    def add(self, k: int, what: str) -> None:
        self.n += k
        if self.n > self.limits.max_page_objects:
            raise PdfLimit("too_large", f"more than {self.limits.max_page_objects} characters, "
                                        f"paths and images on page {self.page}")

    def clock(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise PdfLimit("timeout", f"reading the page took more than {self.limits.page_seconds:g} s "
                                      f"on page {self.page}")


def _line(segs: list[tuple[int, float, float, bool]], full: Matrix, height: float, mb_x0: float,
          mb_top: float, edges: list[dict[str, Any]], fill_only: bool) -> None:
    """A path that is one straight segment (``m l``, most rules): what :func:`_paint`
    makes of it, without its general bookkeeping."""
    a, b, c, d, e, f = full
    x, y, x1, y1 = segs[0][1], segs[0][2], segs[1][1], segs[1][2]
    px0, py0, px1, py1 = a * x + c * y + e, b * x + d * y + f, a * x1 + c * y1 + e, b * x1 + d * y1 + f
    thick = min(abs(px1 - px0), abs(py1 - py0))
    _segments([(px0 + mb_x0, height - py0 + mb_top), (px1 + mb_x0, height - py1 + mb_top)], "line", edges,
              fill_only, thick)


def _paint(segs: list[tuple[int, float, float, bool]], full: Matrix, height: float, mb_x0: float,
           mb_top: float, edges: list[dict[str, Any]], fill_only: bool = False) -> None:
    """pdfminer's ``paint_path`` and our ``_rules`` over pdfium's segments."""
    ops: list[tuple[str, float, float]] = []
    bez = 0
    for kind, x, y, close in segs:
        px, py = _pt(full, x, y)
        if kind == _MOVETO:
            ops.append(("m", px, py))
            bez = 0
        elif kind == _LINETO:
            ops.append(("l", px, py))
            bez = 0
        elif kind == _BEZIERTO:
            bez += 1
            if bez == 3:  # pdfium gives a curve as its two control points and its end
                ops.append(("c", px, py))
                bez = 0
        else:
            continue
        if close:
            ops.append(("h", px, py))
    shape = "".join(o[0] for o in ops)
    if shape[:1] != "m":
        return
    for sub in _SUBPATH.finditer(shape):
        _paint_subpath(ops[sub.start():sub.end()], height, mb_x0, mb_top, edges, fill_only)


def _paint_subpath(path: list[tuple[str, float, float]], height: float, mb_x0: float, mb_top: float,
                   edges: list[dict[str, Any]], fill_only: bool = False) -> None:
    shape = "".join(o[0] for o in path)
    pts = [(o[1], o[2]) if o[0] != "h" else (path[0][1], path[0][2]) for o in path]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    thick = min(max(xs) - min(xs), max(ys) - min(ys))  # pdfminer's min(width, height) of the shape
    if len(shape) > _LH_MIN_OPS and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()

    def tl(p: tuple[float, float]) -> tuple[float, float]:
        return p[0] + mb_x0, height - p[1] + mb_top

    if shape in ("mlh", "ml"):
        _segments([tl(pts[0]), tl(pts[1])], "line", edges, fill_only, thick)
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            ax0, ax1 = sorted((pts[0][0], pts[2][0]))
            ay0, ay1 = sorted((pts[0][1], pts[2][1]))
            left, right = ax0 + mb_x0, ax1 + mb_x0
            top, bottom = height - ay1 + mb_top, height - ay0 + mb_top
            for e in (("h", left, top, right, top), ("h", left, bottom, right, bottom),
                      ("v", left, top, left, bottom), ("v", right, top, right, bottom)):
                edges.append(edge("rect_edge", *e, fill_only=fill_only, thickness=thick))
            return
    _segments([tl(p) for p in pts], "curve_edge", edges, fill_only, thick)


def _segments(pts: list[tuple[float, float]], kind: str, edges: list[dict[str, Any]], fill_only: bool = False,
              thick: float = 0.0) -> None:
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        if ay == by and ax != bx:
            edges.append(edge(kind, "h", min(ax, bx), ay, max(ax, bx), ay, fill_only, thick))
        elif ax == bx and ay != by:
            edges.append(edge(kind, "v", ax, min(ay, by), ax, max(ay, by), fill_only, thick))
