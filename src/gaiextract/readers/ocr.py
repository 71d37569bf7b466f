"""Pages without usable text, read from their image (the ``gaiextract[ocr]`` extra).

A scanned report, or a page whose font has no Unicode map (``garbled_text``),
gives the PDF reader nothing to read. Such a page is rendered with pypdfium2,
straightened (sideways pages turned, small skew removed, see :mod:`ocr_image`),
its rules found in the image, and its text read by RapidOCR, whose Chinese
detection/recognition models ship inside the ``rapidocr-onnxruntime`` wheel:
nothing is downloaded at run time.

The result is made to look like a born-digital page: every OCR text box becomes
characters with boxes in PDF points, the rules become edges, and the page goes
through the same table finder, line builder and cross-page assembly as any PDF
page (:func:`gaiextract.readers.pdf.scan_page`'s data, a ``PageScan``). So tables
crossing pages are stitched, running heads dropped and headings found exactly as
on text pages, and provenance keeps page + bbox.

Cells read from an image carry ``Cell.confidence`` (the recogniser's lowest score
in the cell); a number read below ``OcrSettings.low_confidence`` is marked
``Cell.uncertain``, which the table mapper reports as ``ocr_low_confidence``.

The engine is created once per process and reused (a batch worker process loads
the models once). ONNX Runtime is limited to ``OcrSettings.threads`` threads so
parallel batch workers do not oversubscribe the cores.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..document import Document, Table
from .. import source
from ..source import OCR_INSTALL_HINT as INSTALL_HINT
from .pdf_tables import DEFAULT_SETTINGS, TableSettings, find_tables
from .pdf_text import build_lines

if TYPE_CHECKING:
    from .pdf import PageScan
    from .pdf_tables import PageTable

_DIGIT = re.compile(r"\d")
_SLASH_READINGS = {"1", "l", "I", "L", "/", "|", "7", "J"}
_LONE_DASH = re.compile(r"^[一－\-–—_]+$")


@dataclass(frozen=True)
class OcrSettings:
    """Every OCR knob in one place."""

    #: rendering resolution of a page image
    dpi: int = 150
    #: a cell holding a number read with a lower score is flagged (ocr_low_confidence)
    low_confidence: float = 0.85
    #: text boxes scored below this are dropped as noise (RapidOCR's own default is 0.5)
    min_score: float = 0.3
    #: an empty table cell with at least this much ink (pixels, this far inside
    #: its rules) is recognised on its own
    cell_min_ink: int = 12
    cell_inset_px: int = 3
    #: a page whose text scores below this on average is tried upside down
    upside_down_score: float = 0.75
    #: ONNX Runtime threads per process; None: $GAIEXTRACT_OCR_THREADS, else -1
    #: (its default, all cores). `gaiextract batch` sets 1 per worker process.
    threads: int | None = None


DEFAULT_OCR = OcrSettings()


def available() -> bool:
    """Is the OCR extra installed? (:func:`gaiextract.source.ocr_available`)"""
    return source.ocr_available()


class OcrUnavailable(RuntimeError):
    """The OCR extra is not installed."""


_ENGINE = None


def engine(settings: OcrSettings = DEFAULT_OCR):
    """The process's RapidOCR engine, created on first use (models load once)."""
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable(INSTALL_HINT) from exc
        import logging

        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        n = settings.threads
        if n is None:
            n = int(os.environ.get("GAIEXTRACT_OCR_THREADS", "-1"))
        _ENGINE = RapidOCR(text_score=settings.min_score, det_use_cuda=False,
                           intra_op_num_threads=n, inter_op_num_threads=1)
    return _ENGINE


@dataclass
class OcrPage:
    """What OCR makes of one page: a PageScan plus the boxes of uncertain numbers."""

    scan: PageScan  # readers.pdf.PageScan
    uncertain: list[tuple[tuple[float, float, float, float], float]] = field(default_factory=list)  # [(bbox, score)] in points
    scores: list[tuple[tuple[float, float, float, float], float]] = field(default_factory=list)  # (bbox, score) of every text box
    angle: float = 0.0
    sideways: bool = False


class _ImagePage:
    """The little of a pdfplumber page the table finder needs."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.bbox = (0.0, 0.0, width, height)
        self.edges: list[dict[str, Any]] = []
        self.chars: list[dict[str, Any]] = []


def _text_width(ch: str) -> float:
    return 0.55 if ord(ch) < 0x2E80 else 1.0


def box_chars(text: str, x0: float, top: float, x1: float, bottom: float, score: float) -> list[dict[str, Any]]:
    """Characters of one OCR text box, each with a share of its width (a Han
    character about twice a Latin one), as char dicts like pdfplumber's."""
    units = [_text_width(c) for c in text]
    total = sum(units) or 1.0
    out, x = [], x0
    h = bottom - top
    for c, u in zip(text, units):
        w = (x1 - x0) * u / total
        out.append({"text": c, "x0": x, "x1": x + w, "top": top, "bottom": bottom,
                    "size": round(h * 0.85, 1), "fontname": "", "upright": True, "score": score})
        x += w
    return out


def _recognise(eng, grey) -> list[Any]:
    import numpy as np

    result, _ = eng(np.ascontiguousarray(grey), use_cls=False)
    return result or []


def read_page(pdf, index: int, number: int, settings: OcrSettings = DEFAULT_OCR,
              table_settings: TableSettings = DEFAULT_SETTINGS):
    """OCR page ``index`` (0-based) of an open pypdfium2 document."""
    import numpy as np
    from PIL import Image

    from . import ocr_image as oi
    from .pdf import PageScan

    page = pdf[index]
    try:
        pil = page.render(scale=settings.dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    grey = np.asarray(pil)
    mask = oi.ink_mask(grey)
    sideways = oi.is_sideways(mask)
    if sideways:  # turn clockwise first; upside-down text is caught by its scores below
        pil = pil.rotate(-90, expand=True, fillcolor=255)
        grey = np.asarray(pil)
        mask = oi.ink_mask(grey)
    angle = oi.estimate_skew(mask)
    if angle:
        pil = pil.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        grey = np.asarray(pil)
        mask = oi.ink_mask(grey)
    eng = engine(settings)
    h_rules, v_rules = oi.find_rules(oi.ink_mask(grey, lenient=True), settings.dpi)
    result = _recognise(eng, oi.erase_rules(grey, h_rules, v_rules))
    if result and _mean_score(result) < settings.upside_down_score:
        flipped = pil.rotate(180, fillcolor=255)
        g2 = np.asarray(flipped)
        h2, v2 = oi.find_rules(oi.ink_mask(g2, lenient=True), settings.dpi)
        r2 = _recognise(eng, oi.erase_rules(g2, h2, v2))
        if _mean_score(r2) > _mean_score(result):
            pil, grey, result, h_rules, v_rules = flipped, g2, r2, h2, v2

    k = 72.0 / settings.dpi
    width, height = pil.width * k, pil.height * k
    out = OcrPage(scan=PageScan(number=number, width=width, height=height), angle=angle,
                  sideways=sideways)
    ink = oi.ink_mask(oi.erase_rules(grey, h_rules, v_rules))

    def slash(box: tuple[float, float, float, float]) -> bool:
        return oi.is_slash(ink, tuple(v / k for v in box))

    chars: list[dict[str, Any]] = []
    for quad, text, score in result:
        xs = [p[0] * k for p in quad]
        ys = [p[1] * k for p in quad]
        _add_box(out, chars, text, (min(xs), min(ys), max(xs), max(ys)), float(score), settings, slash)
    edges = [_edge("h", a * k, pos * k, b * k, pos * k) for pos, a, b in h_rules]
    edges += [_edge("v", pos * k, a * k, pos * k, b * k) for pos, a, b in v_rules]
    scan = out.scan
    scan.n_images = 1
    if chars:
        fake = _ImagePage(width, height)
        tables, rest = find_tables(fake, chars, number, table_settings, edges=edges) if edges \
            else ([], chars)
        erased = oi.erase_rules(grey, h_rules, v_rules)
        if _rescue_empty_cells(eng, erased, tables, k, out, chars, settings, slash):
            tables, rest = find_tables(fake, chars, number, table_settings, edges=edges)
        scan.tables = tables
        scan.lines = build_lines(rest, number)
    scan.n_chars = len(chars)
    return out


def _add_box(out: OcrPage, chars: list[dict[str, Any]], text: str, box: tuple[float, float, float, float], score: float,
             settings: OcrSettings, slash=None) -> None:
    """One recognised text box: its characters, its score, and whether a number
    in it is uncertain (low score, or letters read where digits stand).
    ``slash(box)`` tells whether a lone upright-looking glyph is really "/"."""
    text = " ".join(text.split())  # Latin words keep their spaces
    if not text:
        return
    if text in _SLASH_READINGS and slash is not None and slash(box):
        text = "/"  # the placeholder, read as 1 or L
    if _LONE_DASH.match(text):  # a dash in a cell, read as the character 一
        text = "—"
    fixed = _digits_for_letters(text)
    if fixed != text:
        text, score = fixed, min(score, settings.low_confidence - 0.01)
    chars.extend(box_chars(text, *box, score))
    out.scores.append((box, score))
    if _DIGIT.search(text) and score < settings.low_confidence:
        out.uncertain.append((box, score))


#: letters OCR reads for digits, in a box that is otherwise a number
_LOOKALIKE = str.maketrans({"o": "0", "O": "0", "D": "0", "l": "1", "I": "1", "|": "1"})
_NUMBERISH = re.compile(r"^[+\-]?[\doODlI|]+(?:\.[\doO]+)?$")


def _digits_for_letters(text: str) -> str:
    """``o`` → ``0``, ``l`` → ``1`` … in a box that is only digits and such
    letters (a value cell); the caller marks the value uncertain."""
    if _NUMBERISH.match(text) and not text.isdigit():
        return text.translate(_LOOKALIKE)
    return text


def _rescue_empty_cells(eng, grey, tables: list[PageTable], k: float, out: OcrPage, chars: list[dict[str, Any]],
                        settings: OcrSettings, slash=None) -> bool:
    """Text detection misses some lone digits in table cells: a cell left empty
    that has ink (other than a flat dash) is cropped and recognised on its own."""
    import numpy as np

    added = False
    inset = settings.cell_inset_px
    for t in tables:
        for c in t.cells:
            if c.text.strip():
                continue
            x0, y0 = int(c.x0 / k) + inset, int(c.top / k) + inset
            x1, y1 = int(c.x1 / k) - inset, int(c.bottom / k) - inset
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            crop = grey[y0:y1, x0:x1]
            ink = np.argwhere(crop < 128)
            if len(ink) < settings.cell_min_ink:
                continue
            (iy0, ix0), (iy1, ix1) = ink.min(axis=0), ink.max(axis=0)
            if (iy1 - iy0 + 1) * 3 < (ix1 - ix0 + 1):
                continue  # a flat mark: a dash, a placeholder
            box = ((x0 + ix0) * k, (y0 + iy0) * k, (x0 + ix1 + 1) * k, (y0 + iy1 + 1) * k)
            if slash is not None and slash(box):  # the placeholder "/": no need to read it
                _add_box(out, chars, "/", box, 1.0, settings)
                added = True
                continue
            # the full detector + recogniser on the cell alone, with a white margin
            # (the recogniser alone, on a tight crop, reads 0 as 回)
            sub = np.pad(crop, ((16, 16), (16, 16)), constant_values=255)
            res, _ = eng(np.ascontiguousarray(sub), use_cls=False)
            for quad, text, score in res or []:
                xs = [(x0 - 16 + p[0]) * k for p in quad]
                ys = [(y0 - 16 + p[1]) * k for p in quad]
                _add_box(out, chars, text, (min(xs), min(ys), max(xs), max(ys)), float(score), settings,
                         slash)
            added = True
    return added


def _mean_score(result: list[Any]) -> float:
    scored = [float(r[2]) for r in result if len(r[1].strip()) >= 2]
    return sum(scored) / len(scored) if scored else 0.0


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {"object_type": "image_edge", "orientation": orientation, "x0": x0, "x1": x1,
            "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def read_pages(data: bytes, numbers: list[int], settings: OcrSettings = DEFAULT_OCR,
               table_settings: TableSettings = DEFAULT_SETTINGS) -> dict[int, OcrPage]:
    """OCR the given 1-based pages of a PDF: ``{number: OcrPage}``."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:
        raise OcrUnavailable(INSTALL_HINT) from exc
    engine(settings)
    pdf = pdfium.PdfDocument(data)
    try:
        return {n: read_page(pdf, n - 1, n, settings, table_settings) for n in numbers}
    finally:
        pdf.close()


def mark_cells(doc: Document, pages: dict[int, OcrPage]) -> None:
    """Tables on OCR pages get ``origin="ocr"``; their cells the lowest score of
    the text inside, and ``uncertain`` when a number in them scored low."""
    for table in doc.tables():
        if not isinstance(table, Table):
            continue
        seen: set[int] = set()
        for row in table.grid:
            for cell in row:
                if cell is None or id(cell) in seen or cell.page not in pages or cell.bbox is None:
                    continue
                seen.add(id(cell))
                table.origin = "ocr"
                page = pages[cell.page]
                inside = [s for box, s in page.scores if _centre_in(box, cell.bbox)]
                if inside:
                    cell.confidence = round(min(inside), 3)
                if any(_centre_in(box, cell.bbox) for box, _ in page.uncertain):
                    cell.uncertain = True


def _centre_in(box: tuple[float, float, float, float], bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def pages_to_read(mode: str, scans: list[PageScan], garbled: set[int]) -> list[int]:
    """Which pages OCR reads: ``auto`` the pages with no text or garbled text (not a
    page that could not be read at all: damaged, or stopped at a limit), ``always``
    every page, ``never`` none."""
    if mode == "never":
        return []
    if mode == "always":
        return [s.number for s in scans]
    return [s.number for s in scans
            if (s.n_chars == 0 and not getattr(s, "failed", False)) or s.number in garbled]


def apply(data: bytes, scans: list[PageScan], warnings: list[dict[str, Any]], mode: str, garbled: set[int],
          settings: OcrSettings = DEFAULT_OCR,
          table_settings: TableSettings = DEFAULT_SETTINGS) -> dict[int, OcrPage]:
    """The PDF reader's OCR hook: replace the ``PageScan`` of every page that
    needs OCR (see :func:`pages_to_read`) by what OCR reads on its image, and say
    so in an ``ocr_used`` warning. Returns ``{page: OcrPage}`` for
    :func:`mark_cells`. Without the extra, nothing is replaced (the reader's
    ``no_text_layer`` warning then says how to install it)."""
    numbers = pages_to_read(mode, scans, garbled)
    if not numbers or not source.ocr_available():
        return {}
    pages = read_pages(data, numbers, settings, table_settings)
    for n, page in pages.items():
        scans[n - 1] = page.scan
    turned = [n for n, p in pages.items() if p.sideways]
    detail = f"{len(numbers)} page(s) read from their image by OCR at {settings.dpi} dpi"
    if turned:
        detail += f"; turned sideways page(s) {turned}"
    warnings.append({"code": "ocr_used", "pages": numbers, "detail": detail})
    return pages
