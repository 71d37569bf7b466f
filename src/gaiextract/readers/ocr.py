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
page (:func:`gaiextract.readers.pdf.scan_objects`'s data, a ``readers.pdf_page.PageScan``). So tables
crossing pages are stitched, running heads dropped and headings found exactly as
on text pages, and provenance keeps page + bbox.

Cells read from an image carry ``Cell.confidence`` (the recogniser's lowest score
in the cell); a number read below ``OcrSettings.low_confidence`` is marked
``Cell.uncertain``, which the table mapper reports as ``ocr_low_confidence``.

The engine is created once per process and reused (a batch worker process loads
the models once). ONNX Runtime is limited to ``OcrSettings.threads`` threads so
parallel batch workers do not oversubscribe the cores: the detector runs on that
many threads, the recogniser on one thread per call, the text lines of a page
spread over that many calls at once (``OcrSettings.rec_each_line``).
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import source
from ..document import Document, Table
from ..errors import warning
from ..limits import DEFAULT_LIMITS, Limits, require_positive
from ..source import OCR_INSTALL_HINT as INSTALL_HINT
from .pdf_page import POINTS_PER_INCH
from .pdf_tables import DEFAULT_SETTINGS, TableSettings, find_tables
from .pdf_text import build_lines

if TYPE_CHECKING:
    from .pdf_page import PageScan
    from .pdf_tables import PageTable

_DIGIT = re.compile(r"\d")
_SLASH_READINGS = {"1", "l", "I", "L", "/", "|", "7", "J"}
_LONE_DASH = re.compile(r"^[一－\-–—_]+$")

#: RapidOCR's detector takes a colour image: a grey page is stacked into this many channels
_COLOUR_CHANNELS = 3
#: :func:`render_dpi` lowers the dpi by at least this factor a try (pdfium rounds a
#: page's pixels up, so the exact ratio can leave it a pixel over the limit) …
_RENDER_DPI_STEP = 0.999
#: … and stops at this dpi (a page of absurd size in points: no endless search)
_RENDER_DPI_FLOOR = 1e-3


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
    #: the cores OCR may use in this process; None: $GAIEXTRACT_OCR_THREADS, else
    #: every core. `gaiextract batch` sets 1 per worker process.
    threads: int | None = None
    #: read a document's pages in parallel threads, one per core of ``threads``: a
    #: page's rendering, straightening, rules and tables (Python and numpy) overlap
    #: another's inference, which runs one at a time on ``threads`` ONNX threads
    #: (its activations are a page's largest allocation). Off by default: with
    #: the lines of a page recognised in parallel (``rec_each_line``) the cores are
    #: busy already; measured with benchmarks/bench_ocr.py on a shared 2-core
    #: machine, the same CPU and wall time per page, but 669 against 393 MB at the
    #: peak (two pages' images, masks and activations)
    parallel_pages: bool = False
    #: give the heap ONNX Runtime freed back to the system after each page (glibc's
    #: malloc_trim; elsewhere nothing): without it a process keeps ~350 MB it no
    #: longer uses after its first page, and the next page's peak comes on top
    trim_memory: bool = True
    #: text detection runs on the page image reduced to this longer side (pixels;
    #: 0: the full image); the recogniser still reads every line at full resolution
    det_max_side: int = 1280
    #: recognise each text line on its own, padded only to the recogniser's input
    #: width (320 pixels at its 48-pixel height), the lines of a page spread over
    #: ``threads`` single-threaded inference calls; False: RapidOCR's own batches
    #: (6 lines padded to the widest of them, on one call of ``threads`` threads).
    #: Measured with benchmarks/bench_ocr.py: a batch's padding and activations
    #: cost more than they save, and single-threaded calls scale over the cores
    #: where one call's threads do not. A line's padding changes its reading a
    #: little: over the seven corpus scans every cell, flag and section is the
    #: same; six characters of prose differ (a full-width bracket read as an ASCII
    #: one or back, a quotation mark turned, a list comma gained)
    rec_each_line: bool = True
    #: resolution of a re-read (cells whose numbers break a rule of the template)
    reread_dpi: int = 300
    #: white margin around a re-read cell (pixels): the detector needs one
    reread_pad_px: int = 24
    #: a cell's crop (inside its inset) narrower or lower than this many pixels is
    #: not read again (an empty cell, a re-read)
    cell_min_px: int = 4
    #: in an empty cell, a pixel darker than this grey level is ink
    cell_ink_level: int = 128
    #: ink in an empty cell at least this many times as wide as it is high is a flat
    #: mark (a dash, a placeholder), not read
    cell_flat_ratio: int = 3
    #: a box whose letters were taken for digits (o → 0, l → 1) scores at least this
    #: much under ``low_confidence``, so its number is flagged
    lookalike_margin: float = 0.01
    #: a Latin character's share of an OCR text box's width against a Han one's (1)
    latin_char_width: float = 0.55
    #: a character's font size: this share of its text box's height
    char_size_share: float = 0.85
    #: the ``ocr_used`` warning names a page rendered more than this under ``dpi``
    #: (Limits.max_ocr_pixels) with its lower dpi
    lower_dpi_margin: float = 0.5

    def __post_init__(self) -> None:
        # the switches (bool) are left alone; threads may be None (the environment,
        # else every core) and det_max_side 0 (detection on the full image)
        require_positive(self, skip=("threads", "det_max_side"), numbers_only=False)
        if self.threads is not None and (isinstance(self.threads, bool) or not isinstance(self.threads, int)
                                         or self.threads < 0):
            raise ValueError(f"OcrSettings.threads must be None or a number >= 0, not {self.threads!r}")
        if isinstance(self.det_max_side, bool) or not isinstance(self.det_max_side, int) or self.det_max_side < 0:
            raise ValueError(f"OcrSettings.det_max_side must be a number >= 0, not {self.det_max_side!r}")


DEFAULT_OCR = OcrSettings()


def available() -> bool:
    """Is the OCR extra installed? (:func:`gaiextract.source.ocr_available`)"""
    return source.ocr_available()


class OcrUnavailable(RuntimeError):
    """The OCR extra is not installed."""


_ENGINE = None
#: one inference at a time, on every core of OcrSettings.threads: the models'
#: activations are the largest allocations of a page (hundreds of MB); pages read
#: in parallel overlap everything else (rendering, straightening, rules, tables)
_INFERRING = threading.Lock()


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
        n = cores(settings)
        eng = RapidOCR(text_score=settings.min_score, det_use_cuda=False,
                       intra_op_num_threads=n, inter_op_num_threads=1)
        if settings.rec_each_line:
            _single_threaded_recogniser(eng)
        _ENGINE = eng
    return _ENGINE


def _single_threaded_recogniser(eng) -> None:
    """Give the engine's recogniser a session of one thread (the lines of a page
    then run in parallel calls, see :func:`_read_lines`); the detector keeps its
    threads for its one large image. The session it replaces is freed."""
    try:
        from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
        from rapidocr_onnxruntime.utils import OrtInferSession, read_yaml, update_model_path
    except ImportError:  # another layout of the package: its own sessions
        return
    config = dict(update_model_path(read_yaml(DEFAULT_CFG_PATH))["Rec"])
    config.update(intra_op_num_threads=1, inter_op_num_threads=1, use_cuda=False, use_dml=False)
    eng.text_rec.session = OrtInferSession(config)
    eng.text_rec.one_thread = True


def _read_lines(eng, crops: list[Any], settings: OcrSettings = DEFAULT_OCR) -> list[tuple[str, float]]:
    """``(text, score)`` of each line image, as the recogniser reads a line alone:
    resized to its 48-pixel input height and padded to its 320-pixel input width
    when narrower (what RapidOCR does to a batch, less the padding to the batch's
    widest line). Lines are spread over ``cores(settings)`` threads, each a
    single-threaded inference call, longest first."""
    rec = eng.text_rec
    if not settings.rec_each_line or not getattr(rec, "one_thread", False):
        return rec(crops)[0]
    _, height, width = rec.rec_image_shape

    def one(img) -> tuple[str, float]:
        ratio = max(width / height, img.shape[1] / img.shape[0])
        preds = rec.session(rec.resize_norm_img(img, ratio)[None])[0]
        text, score = rec.postprocess_op(preds)[0][:2]
        return text, float(score)

    order = sorted(range(len(crops)), key=lambda i: -crops[i].shape[1] / max(1, crops[i].shape[0]))
    workers = min(cores(settings), len(crops))
    if workers <= 1:
        done = [one(crops[i]) for i in order]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers, thread_name_prefix="gaiextract-rec") as pool:
            done = list(pool.map(lambda i: one(crops[i]), order))
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    for i, got in zip(order, done):
        out[i] = got
    return out


def cores(settings: OcrSettings = DEFAULT_OCR) -> int:
    """The cores OCR may use: ``settings.threads``, else $GAIEXTRACT_OCR_THREADS,
    else all of this process's."""
    n = settings.threads
    if n is None:
        try:
            n = int(os.environ.get("GAIEXTRACT_OCR_THREADS", "0"))
        except ValueError:
            n = 0
    if n is None or n <= 0:
        n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, n)


@dataclass
class OcrPage:
    """What OCR makes of one page: a PageScan plus the boxes of uncertain numbers."""

    scan: PageScan  # readers.pdf_page.PageScan
    uncertain: list[tuple[tuple[float, float, float, float], float]] = field(default_factory=list)  # [(bbox, score)] in points
    scores: list[tuple[tuple[float, float, float, float], float]] = field(default_factory=list)  # (bbox, score) of every text box
    angle: float = 0.0
    sideways: bool = False
    #: the dpi the page was rendered at (below OcrSettings.dpi for a page over
    #: Limits.max_ocr_pixels) and how its image was straightened (for re-reads)
    dpi: float = 150.0
    turn: PageTurn = field(default_factory=lambda: PageTurn())


class _ImagePage:
    """The little of a pdfplumber page the table finder needs."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.bbox = (0.0, 0.0, width, height)
        self.edges: list[dict[str, Any]] = []
        self.chars: list[dict[str, Any]] = []


def _text_width(ch: str, settings: OcrSettings = DEFAULT_OCR) -> float:
    return settings.latin_char_width if ord(ch) < 0x2E80 else 1.0


def box_chars(text: str, x0: float, top: float, x1: float, bottom: float, score: float,
              settings: OcrSettings = DEFAULT_OCR) -> list[dict[str, Any]]:
    """Characters of one OCR text box, each with a share of its width (a Han
    character about twice a Latin one), as char dicts like pdfplumber's."""
    units = [_text_width(c, settings) for c in text]
    total = sum(units) or 1.0
    out, x = [], x0
    h = bottom - top
    for c, u in zip(text, units):
        w = (x1 - x0) * u / total
        out.append({"text": c, "x0": x, "x1": x + w, "top": top, "bottom": bottom,
                    "size": round(h * settings.char_size_share, 1), "fontname": "", "upright": True, "score": score})
        x += w
    return out


def _recognise(eng, grey, settings: OcrSettings = DEFAULT_OCR) -> list[Any]:
    """Text boxes of a grey page image: ``[(quad, text, score)]`` in its pixels.

    Detection runs on the image reduced so that its longer side is at most
    ``settings.det_max_side`` and never enlarged (RapidOCR's own call enlarges
    the shorter side to 736 pixels: a tall narrow page became a detector input
    of tens of megapixels); the recogniser reads each line from the
    full-resolution image, where the digits are sharp."""
    import numpy as np

    img = np.ascontiguousarray(grey)
    if img.ndim == 2:
        img = np.stack([img] * _COLOUR_CHANNELS, axis=-1)
    det = eng.text_det
    try:
        from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess
    except ImportError:  # another layout of the package: its own call
        with _INFERRING:
            result, _ = eng(img, use_cls=False)
        return result or []
    limit = settings.det_max_side or max(img.shape[:2])
    prepared = _det_input(DetPreProcess(limit, "max", det.mean, det.std), img)
    if prepared is None:
        return []
    with _INFERRING:
        preds = det.infer(prepared)[0]
    boxes, _ = det.postprocess_op(preds, img.shape[:2])
    del preds, prepared
    if settings.trim_memory:  # the detector's activations, before the recogniser's
        trim_heap()
    boxes = det.filter_tag_det_res(boxes, img.shape[:2])
    if boxes is None or not len(boxes):
        return []
    boxes = eng.sorted_boxes(np.asarray(boxes, dtype=np.float32))
    crops = eng.get_crop_img_list(img, boxes)
    with _INFERRING:
        rec = _read_lines(eng, crops, settings)
    return [[box.tolist(), r[0], float(r[1])] for box, r in zip(boxes, rec)
            if r[0] and float(r[1]) >= eng.text_score]


def _det_input(pre, img):
    """RapidOCR's detector input (``pre``, its ``DetPreProcess``) for a grey page
    stacked into three equal channels: resized and normalised once, on one
    channel, then copied to the three (the same values as ``pre(img)``, which
    works through three channels in float64, a third of a page's time outside
    inference)."""
    import numpy as np

    mean, std = np.asarray(pre.mean, dtype=np.float64), np.asarray(pre.std, dtype=np.float64)
    if img.ndim != 3 or mean.size != 3 or std.size != 3 or (mean != mean[0]).any() or (std != std[0]).any():
        return pre(img)
    resized = pre.resize(np.ascontiguousarray(img[:, :, 0]))
    if resized is None:
        return None
    one = ((resized.astype("float32") * pre.scale - mean[:1]) / std[:1]).astype(np.float32)
    out = np.empty((1, 3, *one.shape), dtype=np.float32)
    out[0, :] = one
    return out


def render_dpi(width_pt: float, height_pt: float, dpi: float, limits: Limits = DEFAULT_LIMITS) -> float:
    """``dpi``, or the lower one at which the page image holds at most
    ``limits.max_ocr_pixels`` pixels (counted as pdfium rounds them, up)."""
    import math

    def pixels(d: float) -> float:
        s = d / POINTS_PER_INCH
        return math.ceil(max(1.0, width_pt) * s) * math.ceil(max(1.0, height_pt) * s)

    got = float(dpi)
    while pixels(got) > limits.max_ocr_pixels and got > _RENDER_DPI_FLOOR:
        got *= min(_RENDER_DPI_STEP, (limits.max_ocr_pixels / pixels(got)) ** 0.5)
    return got


@dataclass(frozen=True)
class PageTurn:
    """How a page image was straightened: turned sideways, levelled by ``angle``
    degrees, turned upside down (applied in that order)."""

    sideways: bool = False
    angle: float = 0.0
    flipped: bool = False


def render_page(pdf, index: int, dpi: float, limits: Limits = DEFAULT_LIMITS):
    """Page ``index`` of an open pypdfium2 document as a grey PIL image, and the dpi
    it was rendered at (lower than ``dpi`` for a page over ``limits.max_ocr_pixels``)."""
    page = pdf[index]
    try:
        w, h = page.get_size()
        dpi = render_dpi(w, h, dpi, limits)
        pil = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    return pil, dpi


def turn(pil, how: PageTurn):
    """The page image straightened as ``how`` says."""
    from PIL import Image

    if how.sideways:
        pil = pil.rotate(-90, expand=True, fillcolor=255)
    if how.angle:
        pil = pil.rotate(how.angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if how.flipped:
        pil = pil.rotate(180, fillcolor=255)
    return pil


def read_page(pdf, index: int, number: int, settings: OcrSettings = DEFAULT_OCR,
              table_settings: TableSettings = DEFAULT_SETTINGS, limits: Limits = DEFAULT_LIMITS):
    """OCR page ``index`` (0-based) of an open pypdfium2 document."""
    pil, dpi = render_page(pdf, index, settings.dpi, limits)
    return read_image(pil, dpi, number, settings, table_settings)


def read_image(pil, dpi: float, number: int, settings: OcrSettings = DEFAULT_OCR,
               table_settings: TableSettings = DEFAULT_SETTINGS) -> OcrPage:
    """OCR a rendered page image (grey PIL image at ``dpi``) as page ``number``.
    Thread-safe: pdfium is not, so pages are rendered first, one at a time."""
    import numpy as np
    from PIL import Image

    from . import ocr_image as oi
    from .pdf_page import PageScan

    grey = np.asarray(pil)
    mask = oi.ink_mask(grey)
    sideways = oi.is_sideways(mask)
    if sideways:  # turn clockwise first; upside-down text is caught by its scores below
        pil = pil.rotate(-90, expand=True, fillcolor=255)
        grey = np.asarray(pil)
        mask = oi.ink_mask(grey)
    angle = oi.estimate_skew(mask)
    del mask
    if angle:
        pil = pil.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        grey = np.asarray(pil)
    eng = engine(settings)
    h_rules, v_rules = oi.find_rules(oi.ink_mask(oi.unshade(grey), lenient=True), dpi)
    erased = oi.erase_rules(grey, h_rules, v_rules)
    result = _recognise(eng, erased, settings)
    if settings.trim_memory:  # before the next inference: an upside-down try, a cell read alone
        trim_heap()
    flipped = False
    if result and _mean_score(result) < settings.upside_down_score:
        turned = pil.rotate(180, fillcolor=255)
        g2 = np.asarray(turned)
        h2, v2 = oi.find_rules(oi.ink_mask(oi.unshade(g2), lenient=True), dpi)
        e2 = oi.erase_rules(g2, h2, v2)
        r2 = _recognise(eng, e2, settings)
        if _mean_score(r2) > _mean_score(result):
            pil, grey, erased, result, h_rules, v_rules = turned, g2, e2, r2, h2, v2
            flipped = True

    k = POINTS_PER_INCH / dpi
    width, height = pil.width * k, pil.height * k
    out = OcrPage(scan=PageScan(number=number, width=width, height=height), angle=angle,
                  sideways=sideways, dpi=dpi, turn=PageTurn(sideways, angle, flipped))
    ink = oi.ink_mask(erased)

    def slash(box: tuple[float, float, float, float]) -> str | None:
        """The placeholder a lone 1-like glyph really is, from its ink: "/" for a
        slanting stroke, "—" for a flat one; None for a digit."""
        px = tuple(v / k for v in box)
        return "/" if oi.is_slash(ink, px) else "—" if oi.is_flat(ink, px) else None

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
        if _rescue_empty_cells(eng, erased, tables, k, out, chars, settings, slash):
            tables, rest = find_tables(fake, chars, number, table_settings, edges=edges)
        scan.tables = tables
        scan.lines = build_lines(rest, number)
    scan.n_chars = len(chars)
    if settings.trim_memory:
        trim_heap()
    return out


def trim_heap() -> None:
    """Return freed heap memory to the system (glibc ``malloc_trim``; a no-op
    where there is no glibc)."""
    global _LIBC
    if _LIBC is None:
        import ctypes
        import ctypes.util

        try:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _LIBC.malloc_trim  # noqa: B018  (AttributeError where it is missing)
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC: Any = None


def _add_box(out: OcrPage, chars: list[dict[str, Any]], text: str, box: tuple[float, float, float, float], score: float,
             settings: OcrSettings, slash=None) -> None:
    """One recognised text box: its characters, its score, and whether a number
    in it is uncertain (low score, or letters read where digits stand).
    ``slash(box)`` tells whether a lone upright-looking glyph is really the
    placeholder "/" or a dash (its ink slants, or lies flat)."""
    text = " ".join(text.split())  # Latin words keep their spaces
    if not text:
        return
    if text in _SLASH_READINGS and slash is not None:
        text = slash(box) or text  # the placeholder "/" or a dash, read as 1 or L
    if _LONE_DASH.match(text):  # a dash in a cell, read as the character 一
        text = "—"
    fixed = _digits_for_letters(text)
    if fixed != text:
        text, score = fixed, min(score, settings.low_confidence - settings.lookalike_margin)
    chars.extend(box_chars(text, *box, score, settings))
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
            if x1 - x0 < settings.cell_min_px or y1 - y0 < settings.cell_min_px:
                continue
            crop = grey[y0:y1, x0:x1]
            ink = np.argwhere(crop < settings.cell_ink_level)
            if len(ink) < settings.cell_min_ink:
                continue
            (iy0, ix0), (iy1, ix1) = ink.min(axis=0), ink.max(axis=0)
            if (iy1 - iy0 + 1) * settings.cell_flat_ratio < (ix1 - ix0 + 1):
                continue  # a flat mark: a dash, a placeholder
            box = ((x0 + ix0) * k, (y0 + iy0) * k, (x0 + ix1 + 1) * k, (y0 + iy1 + 1) * k)
            if slash is not None and slash(box) == "/":  # the placeholder "/": no need to read it
                _add_box(out, chars, "/", box, 1.0, settings)
                added = True
                continue
            # the full detector + recogniser on the cell alone, with a white margin
            # (the recogniser alone, on a tight crop, reads 0 as 回)
            sub = np.pad(crop, ((16, 16), (16, 16)), constant_values=255)
            with _INFERRING:
                res, _ = eng(np.ascontiguousarray(sub), use_cls=False)
            if settings.trim_memory:
                trim_heap()
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
               table_settings: TableSettings = DEFAULT_SETTINGS,
               limits: Limits = DEFAULT_LIMITS) -> dict[int, OcrPage]:
    """OCR the given 1-based pages of a PDF: ``{number: OcrPage}``."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:
        raise OcrUnavailable(INSTALL_HINT) from exc
    engine(settings)
    workers = min(cores(settings), len(numbers)) if settings.parallel_pages else 1
    pages: dict[int, OcrPage] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        if workers <= 1:
            pages = {n: read_page(pdf, n - 1, n, settings, table_settings, limits) for n in numbers}
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(workers, thread_name_prefix="gaiextract-ocr") as pool:
                for i in range(0, len(numbers), workers):  # a few page images alive at a time
                    chunk = numbers[i:i + workers]
                    images = [render_page(pdf, n - 1, settings.dpi, limits) for n in chunk]
                    done = pool.map(lambda job: read_image(job[1][0], job[1][1], job[0], settings,
                                                           table_settings), zip(chunk, images))
                    pages.update(zip(chunk, done))
    finally:
        pdf.close()
    return pages


class Rereader:
    """What the OCR reader attaches to its Document as ``Document.reread``: read a
    box of an OCR page again from a fresh rendering at another resolution.

    ``reader(page, bbox, dpi) -> text``: ``bbox`` in the page's points as the
    first reading placed it (the straightened image's frame), ``dpi`` the new
    resolution (bounded by ``Limits.max_ocr_pixels``). The page is rendered again
    and straightened the way the first reading straightened it; the box, inset
    from its rules and padded with white, goes through detection and recognition
    on its own. The last rendered page is kept, so the cells of one page cost one
    rendering. Readers know nothing of the template: what to re-read is decided
    after the table checks (:mod:`gaiextract.layout.reread`)."""

    def __init__(self, data: bytes, pages: dict[int, OcrPage], settings: OcrSettings = DEFAULT_OCR,
                 limits: Limits = DEFAULT_LIMITS):
        self._data = data
        self._turns = {n: (p.turn, p.dpi) for n, p in pages.items()}
        self.settings = settings
        self.limits = limits
        self._cached: tuple[tuple[int, float], Any, float] | None = None

    def pages(self) -> set[int]:
        return set(self._turns)

    def _image(self, number: int, dpi: float):
        import numpy as np
        import pypdfium2 as pdfium

        if self._cached is not None and self._cached[0] == (number, dpi):
            return self._cached[1], self._cached[2]
        how, first_dpi = self._turns[number]
        pdf = pdfium.PdfDocument(self._data)
        try:
            pil, got = render_page(pdf, number - 1, dpi, self.limits)
        finally:
            pdf.close()
        grey = np.asarray(turn(pil, how))
        self._cached = ((number, dpi), grey, got)
        return grey, got

    def __call__(self, page: int, bbox: tuple[float, float, float, float], dpi: int) -> str:
        import numpy as np

        if page not in self._turns:
            return ""
        grey, got = self._image(page, float(dpi))
        s = got / POINTS_PER_INCH
        inset = self.settings.cell_inset_px * got / self._turns[page][1]
        x0, y0 = max(0, int(bbox[0] * s + inset)), max(0, int(bbox[1] * s + inset))
        x1, y1 = min(grey.shape[1], int(bbox[2] * s - inset)), min(grey.shape[0], int(bbox[3] * s - inset))
        if x1 - x0 < self.settings.cell_min_px or y1 - y0 < self.settings.cell_min_px:
            return ""
        pad = self.settings.reread_pad_px
        crop = np.pad(grey[y0:y1, x0:x1], ((pad, pad), (pad, pad)), constant_values=255)
        with _INFERRING:
            res, _ = engine(self.settings)(np.ascontiguousarray(crop), use_cls=False)
        boxes = sorted(res or [], key=lambda r: min(p[0] for p in r[0]))
        return "".join(_digits_for_letters(" ".join(str(r[1]).split())) for r in boxes)


def mark_cells(doc: Document, pages: dict[int, OcrPage], data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Tables on OCR pages get ``origin="ocr"``; their cells the lowest score of
    the text inside, and ``uncertain`` when a number in them scored low. The
    document gets its re-read capability (:class:`Rereader` over ``data``, the PDF,
    within the reader's ``limits``)."""
    if data:
        doc.reread = Rereader(data, pages, limits=limits)
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
          table_settings: TableSettings = DEFAULT_SETTINGS,
          limits: Limits = DEFAULT_LIMITS) -> dict[int, OcrPage]:
    """The PDF reader's OCR hook: replace the ``PageScan`` of every page that
    needs OCR (see :func:`pages_to_read`) by what OCR reads on its image, and say
    so in an ``ocr_used`` warning. Returns ``{page: OcrPage}`` for
    :func:`mark_cells`. Without the extra, nothing is replaced (the reader's
    ``no_text_layer`` warning then says how to install it)."""
    numbers = pages_to_read(mode, scans, garbled)
    if not numbers or not source.ocr_available():
        return {}
    pages = read_pages(data, numbers, settings, table_settings, limits)
    for n, page in pages.items():
        scans[n - 1] = page.scan
    turned = [n for n, p in pages.items() if p.sideways]
    detail = f"{len(numbers)} page(s) read from their image by OCR at {settings.dpi} dpi"
    if turned:
        detail += f"; turned sideways page(s) {turned}"
    lower = {n: round(p.dpi) for n, p in pages.items() if p.dpi < settings.dpi - settings.lower_dpi_margin}
    if lower:
        detail += (f"; page(s) over Limits.max_ocr_pixels ({limits.max_ocr_pixels}) rendered at a "
                   f"lower dpi: {lower}")
    warnings.append(warning("ocr_used", pages=numbers, detail=detail))
    return pages
