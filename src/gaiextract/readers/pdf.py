"""Born-digital PDF reports (exported from Word, WPS, LibreOffice, or drawn).

Each page is parsed once: its characters are de-duplicated (fake bold), tables are
found from its rules first, and the text outside the tables becomes lines. The
page is then closed, so memory stays bounded however long the PDF is. After the
last page, running headers/footers are dropped, lines are joined into paragraphs
(across pages too), and tables that continue overleaf are stitched into one.

Text that cannot be mapped to Unicode (``(cid:N)``, U+FFFD, private-use glyphs) is
counted per page and reported as a ``garbled_text`` warning; a PDF with no text at
all gives an empty document with a ``no_text_layer`` warning (OCR is needed).
"""
from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..document import Document, Paragraph
from ..errors import ExtractError, ReportWarning, warning
from ..limits import DEFAULT_LIMITS, Limits
from ..source import Source, pdf_engine
from . import Reader
from .pdf_guard import Budget, DocumentLimit, PdfLimit, guarded, start_page
from .pdf_page import PageObjects, PageScan, page_objects
from .pdf_tables import (DEFAULT_SETTINGS, TableSettings, compatible,
                         continue_with, find_tables, to_table)
from .pdf_text import (Line, build_lines, dedupe_chars, draft_text, is_garbled_char,
                       paragraphs_from_lines, running_lines, text_margins, body_size)

if TYPE_CHECKING:
    from ..document import Block
    from .ocr import OcrPage
    from .pdf_tables import PageTable
    from .pdf_text import Margins

#: a page whose unmapped glyphs exceed this share of its characters is garbled
GARBLED_SHARE = 0.05
GARBLED_MIN = 3


def quiet_libraries() -> None:
    """pdfplumber and pdfminer log their own complaints about damaged files
    (``[WARNING] Metadata key …``); with no logging configured Python would print
    them on stderr before our one line. A NullHandler keeps them out of stderr
    while an application that configures logging still receives them."""
    for name in ("pdfminer", "pdfplumber"):
        lg = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in lg.handlers):
            lg.addHandler(logging.NullHandler())
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


class PageFrame:
    """The page as pdfplumber's table finder sees it when its lines are explicit: a box."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.bbox = (0.0, 0.0, width, height)


class _EnginesDisagree(Exception):
    """pdfium and pdfminer's structure reader see different pages: pdfminer reads the file."""


class PdfReader(Reader):
    format = "pdf"
    priority = 10
    extensions = ("pdf",)

    def __init__(self, settings: TableSettings = DEFAULT_SETTINGS, limits: Limits = DEFAULT_LIMITS):
        self.settings = settings
        self.limits = limits

    def accepts(self, source: Source) -> bool:
        return b"%PDF-" in source.data[:1024]

    def read(self, source: Source) -> Document:
        if not source.data:
            raise ExtractError("empty", "the file is empty", source.name)
        if b"%PDF-" not in source.data[:1024]:
            raise ExtractError("unsupported_format", "not a PDF (no %PDF- header)", source.name)
        scans, warnings = self._scan(source)
        pages = _ocr_hook(source, scans, warnings, self.settings, self.limits)
        doc = assemble(scans, warnings, self.settings, ocr_mode=source.ocr)
        if pages:
            from .ocr import mark_cells

            mark_cells(doc, pages, source.data, self.limits)
        return doc

    # ------------------------------------------------------------------ parsing
    def _scan(self, source: Source) -> tuple[list[PageScan], list[ReportWarning]]:
        quiet_libraries()
        truncated = b"%%EOF" not in source.data[-2048:]
        engine = pdf_engine(getattr(source, "pdf_engine", None))
        with guarded(source.name, self.limits) as budget:
            if engine == "pdfium":
                got = self._scan_pdfium(source, budget, truncated)
                if got is not None:
                    return got
            return self._scan_pdfminer(source, budget, truncated)

    def _scan_pdfium(self, source: Source, budget: Budget, truncated: bool
                     ) -> Optional[tuple[list[PageScan], list[ReportWarning]]]:
        """Pages through pdfium (None: pdfium or pdfminer's structure reader refuses
        the file, and the pdfminer engine reads it, with its own diagnosis)."""
        from .pdf_pdfium import PdfiumDocument, PdfiumRefused
        from .pdf_precheck import Structure

        try:
            doc = PdfiumDocument(source.data)
        except PdfiumRefused:
            return None
        try:
            try:
                structure = Structure(source.stream(), self.limits)
            except Exception:  # damaged beyond pdfminer's structure reader: its engine diagnoses it
                return None
            n_pages = len(doc)
            if not n_pages:
                return None
            pages = structure.pages()

            def read(i: int) -> tuple[PageObjects, float, float]:
                try:
                    minerpage = next(pages)
                except StopIteration:
                    raise _EnginesDisagree() from None
                facts = structure.facts(minerpage, i + 1)
                return doc.page_objects(i, self.limits, budget.deadline, facts.fonts)

            return self._scan_pages(source, budget, truncated, n_pages, read, lambda i: doc.page_size(i))
        except _EnginesDisagree:
            return None
        finally:
            doc.close()

    def _scan_pdfminer(self, source: Source, budget: Budget, truncated: bool
                       ) -> tuple[list[PageScan], list[ReportWarning]]:
        import pdfplumber
        from pdfminer.pdfpage import PDFPage
        from pdfplumber.page import Page

        try:
            pdf = pdfplumber.open(source.stream(), password="")
        except Exception as exc:  # pdfminer raises many types for damaged files
            raise self._failure(source, truncated, exc) from None
        try:
            try:
                # pdfplumber's ``pdf.pages`` builds every page first (150,000 pages: 637 MB
                # before max_pages could cut); only the first max_pages + 1 are walked to
                minerpages = list(itertools.islice(PDFPage.create_pages(pdf.doc), self.limits.max_pages + 1))
            except Exception as exc:
                raise self._failure(source, truncated, exc) from None
            n_pages = len(minerpages)
            if n_pages > self.limits.max_pages:
                n_pages = max(n_pages, _declared_pages(pdf.doc))
            current: list[Any] = []

            def read(i: int) -> tuple[PageObjects, float, float]:
                for old in current:
                    old.close()
                current.clear()
                page = Page(pdf, minerpages[i], page_number=i + 1, initial_doctop=0)
                current.append(page)
                return page_objects(page), float(page.width), float(page.height)

            def size(i: int) -> tuple[float, float]:
                if current:
                    return float(current[0].width or 0), float(current[0].height or 0)
                return 0.0, 0.0

            try:
                return self._scan_pages(source, budget, truncated, n_pages, read, size)
            finally:
                for old in current:
                    old.close()
        finally:
            # not pdf.close(): it builds every page (``pdf.pages``) to close them; ours
            # are closed already and the stream is our BytesIO
            pdf.flush_cache()

    def _scan_pages(self, source: Source, budget: Budget, truncated: bool, n_pages: int,
                    read: Callable[[int], tuple[PageObjects, float, float]],
                    size: Callable[[int], tuple[float, float]]) -> tuple[list[PageScan], list[ReportWarning]]:
        """Scan the pages one at a time, whichever engine reads them."""
        warnings: list[ReportWarning] = []
        if not n_pages:
            raise ExtractError("empty", "the PDF has no pages", source.name)
        if n_pages > self.limits.max_pages:
            warnings.append(warning("truncated", detail=f"{n_pages} pages: only the first "
                                                        f"{self.limits.max_pages} read"))
            n_pages = self.limits.max_pages
        scans: list[PageScan] = []
        failed = 0
        limit_hit: Optional[ExtractError] = None
        for i in range(n_pages):
            number = i + 1
            try:
                start_page(budget, number)
                objs, width, height = read(i)
                scans.append(scan_objects(objs, width, height, number, self.settings, self.limits))
            except _EnginesDisagree:
                raise
            except Exception as exc:
                err = self._failure(source, truncated, exc)
                if err.code == "encrypted":
                    raise err from None
                if isinstance(err, DocumentLimit):
                    if not scans:
                        raise err from None
                    warnings.append(warning("truncated", detail=f"{err.message}: pages {number}-{n_pages} "
                                                                f"not read"))
                    break
                if isinstance(err, PdfLimit):
                    limit_hit = limit_hit or err
                failed += 1
                try:
                    width, height = size(i)
                except Exception:
                    width = height = 0.0
                scans.append(PageScan(number=number, width=width, height=height, failed=True))
                warnings.append(warning("page_unreadable", page=number,
                                        detail=f"{type(exc).__name__}: {exc}"[:200]))
        if failed == len(scans):
            raise limit_hit or self._damaged(source, truncated, None)
        if truncated:
            warnings.append(warning("truncated", detail="the file ends early (no %%EOF); read the pages that parse"))
        return scans, warnings

    @classmethod
    def _failure(cls, source: Source, truncated: bool, exc: Exception) -> ExtractError:
        """The ExtractError for a pdfminer/pdfplumber exception (pdfplumber wraps
        pdfminer's in PdfminerException, so look inside)."""
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        seen, inner = [], exc
        while inner is not None and inner not in seen:
            seen.append(inner)
            if isinstance(inner, ExtractError):  # a limit of pdf_guard, inside pdfplumber's wrapper
                return inner
            if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
                return ExtractError("encrypted", f"the PDF is encrypted and needs a password "
                                                 f"({type(inner).__name__})", source.name)
            nxt = inner.args[0] if inner.args and isinstance(inner.args[0], BaseException) else None
            inner = nxt or inner.__cause__ or inner.__context__
        if isinstance(exc, ExtractError):
            return exc
        return cls._damaged(source, truncated, exc)

    @staticmethod
    def _damaged(source: Source, truncated: bool, exc: Optional[Exception]) -> ExtractError:
        why = f" ({type(exc).__name__}: {exc})" if exc is not None else ""
        if truncated:
            return ExtractError("truncated", f"the PDF ends early and no page could be read{why}"[:300],
                                source.name)
        return ExtractError("corrupt", f"the PDF structure cannot be parsed{why}"[:300], source.name)


def _declared_pages(doc: Any) -> int:
    """The page count the page tree's root declares (0 when it declares none)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
    except Exception:
        return 0
    return count if isinstance(count, int) and not isinstance(count, bool) else 0


def check_rule_grid(edges: list[dict[str, Any]], number: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a page whose rules cross in more points than ``max_rule_crossings``
    before the cell finder (:mod:`.pdf_cells`) intersects them (150 x 150 crossing lines
    took 40 s; a real report table is a few dozen rows by at most 20 columns)."""
    ys = {round(e["top"]) for e in edges if e["orientation"] == "h"}
    xs = {round(e["x0"]) for e in edges if e["orientation"] == "v"}
    if len(ys) * len(xs) > limits.max_rule_crossings:
        raise PdfLimit("too_large", f"{len(ys)} x {len(xs)} table rules cross on page {number} "
                                    f"(limit {limits.max_rule_crossings} crossings)")


def scan_objects(objs: PageObjects, width: float, height: float, number: int,
                 settings: TableSettings = DEFAULT_SETTINGS, limits: Limits = DEFAULT_LIMITS) -> PageScan:
    """One page's objects (either engine): chars → (dedupe) → tables → lines outside tables."""
    chars, doubled = dedupe_chars(objs.chars)
    scan = PageScan(number=number, width=width, height=height)
    scan.n_chars = sum(1 for c in chars if not c["text"].isspace())
    scan.n_garbled = sum(1 for c in chars if is_garbled_char(c["text"]))
    scan.n_images = objs.n_images
    if not chars:
        return scan
    check_rule_grid(objs.edges, number, limits)
    tables, rest = find_tables(PageFrame(width, height), chars, number, settings, edges=objs.edges) \
        if objs.edges else ([], chars)
    scan.tables = tables
    scan.lines = build_lines(rest, number, doubled)
    return scan


def _is_garbled(s: PageScan) -> bool:
    return s.n_garbled >= GARBLED_MIN and s.n_garbled > GARBLED_SHARE * max(1, s.n_chars)


def _ocr_hook(source: Source, scans: list[PageScan], warnings: list[ReportWarning], settings: TableSettings,
              limits: Limits = DEFAULT_LIMITS) -> dict[int, OcrPage]:
    """Pages without usable text read from their image (readers/ocr.py)."""
    mode = source.ocr
    garbled = {s.number for s in scans if _is_garbled(s)}
    if mode == "never" or (mode == "auto" and not garbled and all(s.n_chars or s.failed for s in scans)):
        return {}
    from . import ocr

    before = {s.number: s for s in scans}
    pages = ocr.apply(source.data, scans, warnings, mode, garbled, table_settings=settings, limits=limits)
    for n in sorted(garbled & set(pages)):
        s = before[n]
        warnings.append(warning("garbled_text", page=n,
                                detail=f"{s.n_garbled} of {s.n_chars} characters have no Unicode "
                                       f"mapping (font without ToUnicode); the page was read by OCR"))
    return pages


def _ocr_hint(mode: str) -> str:
    if mode == "never":
        return "OCR is needed (off: ocr='never')"
    from .. import source

    return "OCR is needed" if source.ocr_available() else f"OCR is needed: {source.OCR_INSTALL_HINT}"


def assemble(scans: list[PageScan], warnings: list[ReportWarning], settings: TableSettings = DEFAULT_SETTINGS,
             ocr_mode: str = "auto") -> Document:
    """Cross-page work: running heads, paragraphs, stitched tables, warnings."""
    n_pages = len(scans)
    total = sum(s.n_chars for s in scans)
    if total == 0:
        images = sum(s.n_images for s in scans)
        warnings.append(warning("no_text_layer",
                                detail=f"no text on {n_pages} page(s) ({images} image(s)); {_ocr_hint(ocr_mode)}"))
        return Document(blocks=[], format="pdf", pages=n_pages, warnings=warnings,
                        meta={"ocr_needed": True})
    for s in scans:
        if _is_garbled(s):
            warnings.append(warning("garbled_text", page=s.number,
                                    detail=f"{s.n_garbled} of {s.n_chars} characters have no Unicode "
                                           f"mapping (font without ToUnicode)"))
    empty_pages = [s.number for s in scans if s.n_chars == 0 and s.n_images]
    if empty_pages:
        warnings.append(warning("no_text_layer", pages=empty_pages,
                                detail=f"{len(empty_pages)} page(s) are images only; {_ocr_hint(ocr_mode)}"))

    drop = running_lines([s.lines for s in scans], [s.height for s in scans])
    _recover_lost_rows(scans, drop, settings)
    margins = _margins_by_width(scans, drop)
    size = body_size([ln for s in scans for ln in s.lines if id(ln) not in drop])

    # one stream of items in reading order over all pages
    items: list[Line | PageTable] = []
    for s in scans:
        page_items = [(ln.top, 1, ln) for ln in s.lines if id(ln) not in drop]
        page_items += [(t.bbox[1], 0, t) for t in s.tables]
        items.extend(it for _, _, it in sorted(page_items, key=lambda x: (x[0], x[1])))

    blocks: list[Block] = []
    run: list[Line] = []  # consecutive lines
    parts: list[PageTable] = []  # consecutive table parts being stitched

    def flush_lines():
        if not run:
            return
        for d in paragraphs_from_lines(run, lambda ln: margins[_wkey(scans[ln.page - 1])], size):
            first = d.lines[0]
            on_page = [ln for ln in d.lines if ln.page == first.page]
            bbox = (min(ln.x0 for ln in on_page), min(ln.top for ln in on_page),
                    max(ln.x1 for ln in on_page), max(ln.bottom for ln in on_page))
            hints = {"font_size": first.size, "bold": first.bold}
            if d.center:
                hints["align"] = "center"
            blocks.append(Paragraph(text=draft_text(d), page=first.page,
                                    bbox=tuple(round(v, 2) for v in bbox), hints=hints))
        run.clear()

    def flush_table():
        if parts:
            blocks.append(to_table(parts, settings))
            parts.clear()

    for it in items:
        if isinstance(it, Line):
            flush_table()
            run.append(it)
            continue
        flush_lines()
        if parts and compatible(parts[-1], it, settings):
            parts.append(continue_with(parts[0], it, settings, prev=parts[-1]))
            continue
        flush_table()
        parts.append(it)
    flush_lines()
    flush_table()
    return Document(blocks=blocks, format="pdf", pages=n_pages, warnings=warnings)


def _recover_lost_rows(scans: list[PageScan], drop: set[int], settings: TableSettings = DEFAULT_SETTINGS) -> None:
    """Use a table's recovered first row (see pdf_tables.close_frame) when the
    table continues one ending the previous page: the lines above it that are
    really that row then leave the text."""
    for prev, s in zip(scans, scans[1:]):
        if not s.tables or s.tables[0].extended is None or not prev.tables:
            continue
        last = prev.tables[-1]
        if any(id(ln) not in drop and ln.top > last.bbox[3] for ln in prev.lines):
            continue  # the previous page does not end with its table
        t = s.tables[0]
        ext = t.extended
        above = [ln for ln in s.lines if id(ln) not in drop and ln.bottom <= t.bbox[1] + 1]
        if not above or any(ln.top < ext.bbox[1] - 1 for ln in above):
            continue
        if not compatible(last, ext, settings):
            continue
        s.tables[0] = ext
        drop.update(id(ln) for ln in above)


def _wkey(scan: PageScan) -> int:
    return round(scan.width)


def _margins_by_width(scans: list[PageScan], drop: set[int]) -> dict[int, Margins]:
    """Text margins per page width (portrait and landscape pages differ)."""
    by: dict[int, list[Line]] = {}
    for s in scans:
        by.setdefault(_wkey(s), []).extend(ln for ln in s.lines if id(ln) not in drop)
    return {k: text_margins(v) for k, v in by.items()}
