"""Bounds on what pdfminer may spend on one PDF: references, streams, operations.

pdfminer has no limits of its own: a reference that refers to itself
(``5 0 obj 5 0 R``) makes ``resolve1`` loop forever, a 1 MB flate stream that
inflates to 1 GB is inflated whole, and a content stream of millions of
operations is interpreted to the end, building an object for each. pdfplumber
offers no hook either. So, while (and only while) gaiextract reads a PDF, a few
pdfminer methods are wrapped to check the limits in :mod:`gaiextract.limits`
as pdfminer goes:

* ``PDFObjRef.resolve`` follows a chain of references itself and stops at a
  cycle or past ``max_reference_depth``;
* ``PDFStream.decode`` measures a flate stream's inflated size in bounded
  chunks before pdfminer inflates it, and refuses one past ``max_stream_bytes``
  (also Flate under ASCII85 or ASCIIHex, once the text filter is undone);
* ``PDFContentParser.nextobject`` counts the operations and operands of the
  page's content streams (``max_page_operations``) and checks the page's
  wall-clock deadline (``page_seconds``) every few thousand;
* ``PDFLayoutAnalyzer.render_char``/``paint_path``/``render_image`` count the
  objects a page produces (``max_page_objects``);
* ``pdffont.get_widths``/``get_widths2`` see width ranges clamped to
  ``max_font_codes`` codes (a range ``1 1e31 500`` would fill a dict for ever);
* ``CMapParser.do_keyword`` sees ``bfrange``/``cidrange`` entries cut so that one
  embedded CMap maps at most ``max_cmap_codes`` codes (a range over 16.7M codes
  built a dict entry per code, 2.4 GB);
* the content-stream tokens of all pages are counted against
  ``max_document_operations`` (:class:`DocumentLimit`: the reader keeps the pages
  read so far and warns ``truncated``).

One wrapper is for speed alone: ``ascii85decode`` (reportlab writes its streams
ASCII85 over Flate) decodes five digits at a time instead of the standard
library's byte-by-byte loop, with the same bytes out; input it does not expect
(``z`` groups, stray characters, overflow) goes to the library as before.

A limit that is hit raises :class:`PdfLimit` (an ExtractError ``too_large`` or
``timeout``). Outside a :func:`guarded` block (another user of pdfminer in the
same process) every wrapper passes straight through.
"""
from __future__ import annotations

import base64
import contextlib
import contextvars
import struct
import time
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..errors import ExtractError
from ..limits import DEFAULT_LIMITS, Limits

#: inflate in chunks of this size when measuring a stream
_CHUNK = 1024 * 1024
#: check the wall clock every this many content-stream tokens
_CLOCK_EVERY = 4096


class PdfLimit(ExtractError):
    """A limit of :class:`~gaiextract.limits.Limits` was hit while pdfminer worked."""


class DocumentLimit(PdfLimit):
    """A limit on the whole document was hit: no later page is read."""


@dataclass
class Budget:
    limits: Limits
    name: str
    tokens: int = 0
    #: tokens of all pages so far
    total_tokens: int = 0
    objects: int = 0
    deadline: Optional[float] = None
    page: Optional[int] = None
    counts: dict[str, int] = field(default_factory=dict)

    def where(self) -> str:
        return f" on page {self.page}" if self.page else ""


_active: contextvars.ContextVar[Optional[Budget]] = contextvars.ContextVar("gaiextract_pdf_budget",
                                                                            default=None)
_installed = False


@contextlib.contextmanager
def guarded(name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Budget]:
    """Apply ``limits`` to everything pdfminer does inside the block."""
    _install()
    budget = Budget(limits=limits, name=name)
    token = _active.set(budget)
    try:
        yield budget
    finally:
        _active.reset(token)


def start_page(budget: Budget, number: int) -> None:
    """Reset the per-page counters and start the page's clock."""
    budget.page = number
    budget.tokens = budget.objects = 0
    budget.deadline = time.monotonic() + budget.limits.page_seconds


def _too_large(b: Budget, what: str) -> PdfLimit:
    return PdfLimit("too_large", f"{what}{b.where()}", b.name)


_A85_BASE = 85  # ASCII85: five base-85 digits per four bytes
_A85_DIGITS = bytes(range(33, 33 + _A85_BASE))
_A85_VALUES = bytes.maketrans(_A85_DIGITS, bytes(range(_A85_BASE)))
_A85_SPACE = b" \t\n\r\v"  # what base64.a85decode ignores


def fast_a85decode(data: bytes) -> bytes:
    """``base64.a85decode(data)`` for plain digit groups, five digits at a time."""
    clean = data.translate(None, _A85_SPACE)
    if clean.translate(None, _A85_DIGITS):  # z groups, stray bytes: the library decides (and raises)
        return base64.a85decode(data)
    pad = -len(clean) % 5
    it = iter((clean + b"u" * pad).translate(_A85_VALUES))
    n = _A85_BASE
    groups = [(((a * n + b) * n + c) * n + d) * n + e for a, b, c, d, e in zip(it, it, it, it, it)]
    try:
        out = struct.pack(f">{len(groups)}I", *groups)
    except struct.error:  # a group past 2**32: the library's own error
        return base64.a85decode(data)
    return out[:len(out) - pad] if pad else out


def _install() -> None:
    global _installed
    if _installed:
        return
    from pdfminer import pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdfinterp import PDFContentParser

    orig_resolve = pdftypes.PDFObjRef.resolve
    orig_decode = pdftypes.PDFStream.decode
    orig_a85 = pdftypes.ascii85decode
    orig_next = PDFContentParser.nextobject

    def resolve(self, default=None):
        b = _active.get()
        obj = orig_resolve(self, default)
        if b is None:
            return obj
        seen = {self.objid}
        while isinstance(obj, pdftypes.PDFObjRef):
            if obj.objid in seen:
                raise PdfLimit("corrupt", f"circular reference through object {obj.objid}", b.name)
            if len(seen) >= b.limits.max_reference_depth:
                raise _too_large(b, f"a chain of more than {b.limits.max_reference_depth} references")
            seen.add(obj.objid)
            obj = orig_resolve(obj, default)
        return obj

    def decode(self):
        b = _active.get()
        if b is not None and self.rawdata is not None and not self.decipher:
            _check_chain([f for f, _ in self.get_filters()], self.rawdata, b)
        return orig_decode(self)

    from pdfminer import ascii85

    def a85(data):
        if _active.get() is None or not isinstance(data, bytes):
            return orig_a85(data)
        data = ascii85.start_re.sub(b"", data)  # pdfminer's own trimming of <~ and ~>
        data = ascii85.end_re.sub(b"", data)
        return fast_a85decode(data)

    a85.__wrapped__ = orig_a85

    def nextobject(self):
        b = _active.get()
        if b is not None:
            b.tokens += 1
            b.total_tokens += 1
            if b.total_tokens > b.limits.max_document_operations:
                raise DocumentLimit("too_large", f"more than {b.limits.max_document_operations} content-stream "
                                                 f"operations in the document{b.where()}", b.name)
            if b.tokens > b.limits.max_page_operations:
                raise _too_large(b, f"more than {b.limits.max_page_operations} content-stream operations")
            if b.tokens % _CLOCK_EVERY == 0 and b.deadline and time.monotonic() > b.deadline:
                raise PdfLimit("timeout", f"interpreting the page took more than "
                                          f"{b.limits.page_seconds:g} s{b.where()}", b.name)
        return orig_next(self)

    def counting(method):
        def wrapper(self, *args, **kwargs):
            b = _active.get()
            if b is not None:
                b.objects += 1
                if b.objects > b.limits.max_page_objects:
                    raise _too_large(b, f"more than {b.limits.max_page_objects} characters, "
                                        "paths and images")
            return method(self, *args, **kwargs)
        wrapper.__wrapped__ = method
        return wrapper

    from pdfminer import pdffont

    def clamped(func, group: int):
        def wrapper(seq):
            b = _active.get()
            if b is not None:
                seq = _clamp_ranges(seq, group, b.limits.max_font_codes, pdftypes.resolve1)
            return func(seq)
        wrapper.__wrapped__ = func
        return wrapper

    from pdfminer.cmapdb import CMapParser

    orig_keyword = CMapParser.do_keyword

    def do_keyword(self, pos, token):
        b = _active.get()
        if b is not None and token in (self.KEYWORD_ENDBFRANGE, self.KEYWORD_ENDCIDRANGE):
            left = b.limits.max_cmap_codes - getattr(self, "_gaiextract_codes", 0)
            self.curstack[:], used = _clamp_cmap_ranges(self.curstack, max(0, left))
            self._gaiextract_codes = getattr(self, "_gaiextract_codes", 0) + used
        return orig_keyword(self, pos, token)

    do_keyword.__wrapped__ = orig_keyword
    CMapParser.do_keyword = do_keyword
    pdffont.get_widths = clamped(pdffont.get_widths, 3)
    pdffont.get_widths2 = clamped(pdffont.get_widths2, 5)
    pdftypes.PDFObjRef.resolve = resolve
    pdftypes.PDFStream.decode = decode
    pdftypes.ascii85decode = a85
    PDFContentParser.nextobject = nextobject
    for name in ("render_char", "paint_path", "render_image"):
        setattr(PDFLayoutAnalyzer, name, counting(getattr(PDFLayoutAnalyzer, name)))
    _installed = True


#: deflate's largest expansion (a stream of one repeated byte): a compressed stream
#: shorter than max_stream_bytes / this cannot inflate past it
_DEFLATE_MAX_RATIO = 1032


def _check_chain(names: list[Any], raw: bytes, b: Budget) -> None:
    """Measure each Flate stage of a stream's filter chain before pdfminer runs it:
    the first stage's input is the raw data; a later stage's is what the stages
    before it give (ASCII85/ASCIIHex undone, Flate inflated — after its own check),
    so Flate under a text encoding (reportlab writes ASCII85 over Flate) or Flate
    twice is measured too. A chain whose raw data is too short to inflate past the
    limit through all its Flate stages is not decoded here; a chain with another
    filter, or damaged data, is left to pdfminer from there on."""
    from pdfminer import pdftypes

    flate = pdftypes.LITERALS_FLATE_DECODE
    stages = sum(1 for n in names if n in flate)
    limit = b.limits.max_stream_bytes
    if not stages or len(raw) * _DEFLATE_MAX_RATIO ** stages <= limit:
        return
    last = max(k for k, n in enumerate(names) if n in flate)
    data: Optional[bytes] = raw
    for k, name in enumerate(names[:last + 1]):
        if data is None:
            return
        if name in flate:
            _check_inflated(data, b)
            if k == last:
                return
            try:
                data = zlib.decompress(data)
            except zlib.error:
                return  # damaged: pdfminer's own recovery decides
        else:
            data = _text_decoded(name, data)


def _text_decoded(name: Any, raw: bytes) -> Optional[bytes]:
    """``raw`` with an ASCII85 or ASCIIHex filter undone (None: another filter, or damaged)."""
    from pdfminer import pdftypes

    try:
        if name in pdftypes.LITERALS_ASCII85_DECODE:
            return pdftypes.ascii85decode(raw)
        if name in pdftypes.LITERALS_ASCIIHEX_DECODE:
            return pdftypes.asciihexdecode(raw)
    except Exception:  # damaged: pdfminer's own decoding decides
        return None
    return None


def _check_inflated(raw: bytes, b: Budget) -> None:
    """Inflate ``raw`` in bounded chunks, only to measure it (constant memory)."""
    limit = b.limits.max_stream_bytes
    d = zlib.decompressobj()
    total = 0
    data = raw
    try:
        while data:
            out = d.decompress(data, _CHUNK)
            total += len(out)
            if total > limit:
                raise _too_large(b, f"a stream inflates past {limit} bytes")
            data = d.unconsumed_tail
            if not out and not data:
                break
    except zlib.error:
        return  # damaged: pdfminer's own recovery decides what is left


def _clamp_cmap_ranges(stack: list[Any], left: int) -> tuple[list[Any], int]:
    """The ``(pos, obj)`` operand stack of a ``bfrange``/``cidrange`` block with every
    ``<start> <end> dst`` range cut so that all of them map at most ``left`` codes
    (a range left with none is dropped); returns it and the codes it maps."""
    out: list[Any] = []
    used = 0
    whole = len(stack) - len(stack) % 3
    for i in range(0, whole, 3):
        (p0, start), (p1, end), dst = stack[i], stack[i + 1], stack[i + 2]
        if not (isinstance(start, bytes) and isinstance(end, bytes) and len(start) == len(end) and start):
            out += stack[i:i + 3]
            continue
        lo, hi = int.from_bytes(start, "big"), int.from_bytes(end, "big")
        n = max(0, hi - lo + 1)
        if n > left - used:
            n = left - used
            if n <= 0:
                continue
            end = (lo + n - 1).to_bytes(len(start), "big")
        used += n
        out += [(p0, start), (p1, end), dst]
    return out + stack[whole:], used


def _clamp_ranges(seq, group: int, max_codes: int, resolve) -> list[Any]:
    """A /W or /W2 array with every ``first last …`` range cut to ``max_codes`` codes.

    The arrays mix ``first [w w …]`` and ``first last w`` (``first last w vx vy``
    for /W2) entries; numbers are collected as pdfminer does, and a complete range
    entry whose ``last`` is too far from ``first`` gets a nearer ``last``."""
    out: list[Any] = []
    pending: list[Any] = []
    for v in seq:
        v = resolve(v)
        if isinstance(v, list):
            out.extend(pending)
            pending = []
            out.append(v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            pending.append(v)
            if len(pending) == group:
                first, last = pending[0], pending[1]
                if isinstance(first, int) and isinstance(last, int) and last - first >= max_codes:
                    pending[1] = first + max_codes - 1
                out.extend(pending)
                pending = []
        else:
            out.append(v)
    return out + pending
