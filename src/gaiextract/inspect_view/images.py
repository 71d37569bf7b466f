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
            except pdfium.PdfiumError:
                continue
    finally:
        pdf.close()
    return out


def _render(page, number: int, settings: InspectSettings) -> PageImage:
    width_pt, height_pt = page.get_size()
    scale = settings.page_width_px / max(width_pt, 1.0)
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
