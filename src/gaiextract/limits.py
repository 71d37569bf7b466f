"""What one document may cost: every size, count and time limit in one place.

A hostile or broken file must end in a documented error (``too_large``) or a
``truncated`` warning — never a hang, a traceback or gigabytes of memory. The
readers check these limits *as they go* (bytes decompressed, operations
interpreted, cells placed, lines read), so the cost of any input is bounded by
the limits, not by what the file claims. Real reports sit far below every
limit: a few MB of XML, a few thousand content-stream operations per page,
tables of at most a few hundred cells.

``DEFAULT_LIMITS`` is used unless a caller passes its own ``Limits``; the
values are validated when the object is built.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")

MB = 1024 * 1024


def require_positive(settings: Any, skip: tuple[str, ...] = (), numbers_only: bool = True) -> None:
    """The check every settings object of numeric tolerances makes when built: each field
    (but ``skip``) is a positive number — ValueError naming the class and the field. With
    ``numbers_only=False`` fields that are not numbers (names, paths) are left alone."""
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.name in skip:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if numbers_only:
                raise ValueError(f"{type(settings).__name__}.{f.name} must be a positive number, not {value!r}")
            continue
        if not value > 0:
            raise ValueError(f"{type(settings).__name__}.{f.name} must be a positive number, not {value!r}")


@dataclass(frozen=True)
class Limits:
    #: largest input read at all (bytes)
    max_input_bytes: int = 200 * MB

    # -- DOCX (zip parts) -------------------------------------------------------
    #: largest decompressed part we parse; real main parts are a few MB of XML
    max_part_bytes: int = 64 * MB
    #: above this decompressed size a part must not expand more than max_ratio times
    ratio_check_bytes: int = 4 * MB
    #: zip-bomb guard: XML deflates 5-30x, runs of zeros 1000x
    max_ratio: int = 100
    #: styles followed up one ``basedOn`` chain (real documents: under 10); the rest
    #: of a longer chain is ignored with a ``markup_simplified`` warning
    max_style_depth: int = 64
    #: characters of one automatic list label (``w:lvl``); Word's lowerLetter repeats
    #: the letter n/26 times and upperRoman writes n/1000 Ms, so a list starting at
    #: 1e9 would print 38M characters: a longer label is not printed
    #: (``markup_simplified`` warning)
    max_list_label_chars: int = 32

    # -- tables (all formats) ---------------------------------------------------
    #: widest span one cell may claim (Word allows 63 grid columns, HTML colspan
    #: 1000); larger values are clamped
    max_span: int = 1000
    #: widest table grid (columns); wider rows are cut
    max_table_columns: int = 1000
    #: cells one table grid may hold; rows beyond it are dropped with a
    #: ``truncated`` warning (real report tables hold a few hundred)
    max_table_cells: int = 50_000

    # -- text and HTML ----------------------------------------------------------
    #: lines of a text file read; the rest is dropped with a ``truncated`` warning (a
    #: long report, OCR'd, is a few thousand lines; the layout's text matching costs
    #: memory in proportion to the text: 199k heading-like lines took 509 MB)
    max_lines: int = 50_000
    #: paragraphs and tables of a Word document or web page (the layout's text matching
    #: costs memory in proportion: 199k heading paragraphs took 568 MB in a DOCX, 508 MB
    #: in a page); the rest is dropped with a ``truncated`` warning. A 20 MB page of
    #: 102k paragraphs is still read whole (tests/test_reader_html.py)
    max_blocks: int = 120_000
    #: bytes of a text or HTML file that may be invalid in its encoding and are
    #: replaced (``bytes_replaced`` warning); more is ``decode_failed``
    max_replaced_bytes: int = 256
    #: ... and at most this share of the file
    max_replaced_share: float = 0.001
    #: ... but a short file may always have this many replaced
    replaced_bytes_floor: int = 8
    #: attributes one HTML/XML start tag may carry before its attributes are dropped
    #: (libxml2 checks duplicate attributes in quadratic time)
    max_attributes: int = 256
    #: multipart containers of an MHTML archive (a saved page has one; each nests the
    #: next, and Python's email parser recurses once per level): more is ``too_large``
    max_mime_multiparts: int = 64
    #: elements of a parsed HTML page (real report pages hold a few thousand);
    #: more is ``too_large`` before any of our per-element work starts
    max_html_elements: int = 200_000

    #: digits of one number read from a cell or a sentence (integer and fraction
    #: together). A report's largest figures (fees in yuan, case counts) have under
    #: ten; beyond 15 a float no longer holds every digit and beyond 308 it is
    #: infinite, so a longer number is no value: the cell is ``cell_unparsed``
    max_number_digits: int = 15

    # -- rendering -------------------------------------------------------------------
    #: pixels of one page image drawn by ``inspect`` (a page is drawn at a fixed width,
    #: so a narrow page of PDF's largest height, 14,400 pt, would be millions of pixels
    #: tall): the scale is lowered to stay within this, and neither side exceeds
    #: JPEG's 65,535 pixels
    max_inspect_pixels: int = 16_000_000

    # -- layout ---------------------------------------------------------------------
    #: numbered lines scored as possible section headings (each costs a fuzzy
    #: match against every heading variant); later ones are not candidates
    max_heading_candidates: int = 5_000

    # -- PDF --------------------------------------------------------------------
    #: references followed to reach one object (a cycle is refused at once)
    max_reference_depth: int = 32
    #: characters one font width range (/W, /W2) may cover: CIDs are 16-bit, so a
    #: wider range is clamped (``1 1e31 500`` built a dict entry per code)
    max_font_codes: int = 65_536
    #: decompressed bytes of one PDF stream (content streams, fonts, CMaps)
    max_stream_bytes: int = 64 * MB
    #: content-stream operations interpreted per page (drawing, text, state)
    max_page_operations: int = 1_000_000
    #: characters, paths and images per page
    max_page_objects: int = 50_000
    #: distinct rule positions across x distinct rule positions down one page (a
    #: bound on the grid points pdfplumber's cell finder compares pairwise, which
    #: is quadratic in them; a real table page has a few hundred to a few thousand)
    max_rule_crossings: int = 5_000
    #: pages read; the rest is dropped with a ``truncated`` warning
    max_pages: int = 2_000
    #: wall-clock guard for one PDF page (seconds), checked while it is interpreted
    page_seconds: float = 60.0
    #: content-stream operations of all pages together (2,000 pages drawing one
    #: stream of a million operations took minutes); pages after the limit are
    #: dropped with a ``truncated`` warning. A 300-page real report holds about 1M
    max_document_operations: int = 5_000_000
    #: codes one embedded CMap (ToUnicode or encoding) may map; ranges past it are
    #: cut (a ``bfrange`` over 16.7M codes took 2.4 GB; 2-byte codes hold 65,536)
    max_cmap_codes: int = 131_072

    # -- OCR --------------------------------------------------------------------
    #: pixels of one page image rendered for OCR (an A4 page at 150 dpi is 2.2 M,
    #: at 300 dpi 8.7 M); a larger page is rendered at the dpi that fits, so a
    #: 14,400-point page costs what an A4 page does, not gigabytes
    max_ocr_pixels: int = 9_000_000

    def __post_init__(self) -> None:
        require_positive(self)
        if self.ratio_check_bytes > self.max_part_bytes:
            raise ValueError("Limits.ratio_check_bytes must not exceed max_part_bytes")
        if self.max_span > self.max_table_columns:
            raise ValueError("Limits.max_span must not exceed max_table_columns")


DEFAULT_LIMITS = Limits()


def bounded_blocks(blocks: list[T], warnings: list[Any], limits: Limits | None = None) -> list[T]:
    """The first ``limits.max_blocks`` blocks of a document (default: ``DEFAULT_LIMITS``
    as it is when called), with a ``truncated`` warning when there were more."""
    limits = limits or DEFAULT_LIMITS
    if len(blocks) <= limits.max_blocks:
        return blocks
    from .errors import warning

    warnings.append(warning("truncated", page=None, detail=f"{len(blocks)} paragraphs and tables: only the first "
                                                           f"{limits.max_blocks} read"))
    return blocks[:limits.max_blocks]
