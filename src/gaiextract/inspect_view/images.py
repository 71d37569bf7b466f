"""Page images for the inspection page: rendered by PDFium, shrunk and compressed.

pypdfium2 ships with pdfplumber, so this adds no dependency. A page is drawn at a
fixed pixel width (see :class:`InspectSettings`), so born-digital and scanned pages
(a page that is only an image, read by OCR) come out the same way; the boxes are
placed in percent of the page, so they need no pixel arithmetic here.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from ..limits import DEFAULT_LIMITS, Limits
from .settings import InspectSettings


@dataclass
class PageImage:
    number: int          # 1-based
    width_pt: float
    height_pt: float
    data_uri: str
    bytes: int


def render_pages(data: bytes, numbers: list[int], settings: InspectSettings) -> dict[int, PageImage]:
    """Render the 1-based pages ``numbers`` of the PDF in ``data``; pages that fail
    to render are left out (the page then says so instead of showing an image)."""
    import pypdfium2 as pdfium

    out: dict[int, PageImage] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for n in numbers[: settings.max_pages]:
            if not 1 <= n <= len(pdf):
                continue
            try:
                out[n] = _render(pdf[n - 1], n, settings)
            except (pdfium.PdfiumError, OSError, ValueError, MemoryError):
                continue  # the page says it has no image
    finally:
        pdf.close()
    return out


#: the widest and tallest image JPEG can hold
_JPEG_SIDE = 65_000


def render_scale(width_pt: float, height_pt: float, settings: InspectSettings,
                 limits: Limits = DEFAULT_LIMITS) -> float:
    """Pixels per point: the page at ``settings.page_width_px`` wide, lowered so that the
    image holds at most ``Limits.max_inspect_pixels`` pixels and neither side is longer
    than JPEG allows (a 1 x 14,400 pt page would otherwise be 1100 x 15.8M pixels)."""
    w, h = max(width_pt, 1.0), max(height_pt, 1.0)
    scale = settings.page_width_px / w
    scale = min(scale, (limits.max_inspect_pixels / (w * h)) ** 0.5, _JPEG_SIDE / w, _JPEG_SIDE / h)
    return max(scale, settings.min_scale)


def _render(page, number: int, settings: InspectSettings) -> PageImage:
    width_pt, height_pt = page.get_size()
    scale = render_scale(width_pt, height_pt, settings)
    bitmap = page.render(scale=scale, grayscale=settings.grayscale)
    img = bitmap.to_pil()
    if settings.grayscale and img.mode != "L":
        img = img.convert("L")
    elif img.mode not in ("L", "RGB"):
        img = img.convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=settings.jpeg_quality, optimize=True)
    raw = buf.getvalue()
    page.close()
    return PageImage(number=number, width_pt=float(width_pt), height_pt=float(height_pt),
                     data_uri="data:image/jpeg;base64," + base64.b64encode(raw).decode("ascii"),
                     bytes=len(raw))
