"""The one documented exception type for unreadable input, and the warning registry.

Every reader raises :class:`ExtractError` with a stable ``code`` so that the batch
runner can turn it into an error record and callers can branch on it without
parsing messages. Findings that are not fatal are warnings: plain dicts in the
output, typed here as :class:`ReportWarning`, each ``code`` one of :data:`WARNING_CODES`
(a test scans the source so that no emitted code is missing from the registry, and
the README tables and the JSON Schema's enums are checked against both registries).
"""
from __future__ import annotations

from typing import Any, TypedDict

#: Stable error codes (documented in README). New codes may be added.
ERROR_CODES = {
    "empty": "the input has no bytes or no content",
    "unsupported_format": "the input is not a PDF, DOCX, HTML or text report",
    "encrypted": "the document is password-protected",
    "truncated": "the file ends early or its structure is damaged",
    "corrupt": "the file is of a known format but cannot be parsed",
    "decode_failed": "the text could not be decoded in any Chinese encoding",
    "too_large": "the input exceeds a configured size limit",
    "converter_missing": "a legacy format needs an external converter that is not installed",
    "timeout": "processing took longer than allowed",
    "not_found": "the path does not exist or cannot be read",
    "not_a_report": "the file is readable but holds no part of a report (no section heading, no template table)",
    "ocr_unavailable": "OCR was asked for (ocr='always', --ocr always) but the gaiextract[ocr] extra is not installed",
    "internal_error": "a bug: the batch records it for the file and goes on (never raised as ExtractError)",
}


#: Stable warning codes (documented in README), each with its one-line meaning.
WARNING_CODES = {
    "section_not_found": "one of the template's sections is not in the report",
    "table_not_found": "one of the three tables is not in the report",
    "edition_unknown": "neither template edition's table layout was recognised",
    "cell_unparsed": "a value cell holds text that is not a number (the value is null)",
    "cell_ambiguous": "a run of digits splits into the cells in more than one way that fits every rule (null)",
    "row_unmatched": "a table row whose label fits no row of the template",
    "row_shape": "a table row whose value count fits no header",
    "no_text_layer": "a scanned PDF (or scanned pages) and OCR off or not installed (the detail says how to install it)",
    "ocr_used": "pages read from images by OCR (listed)",
    "ocr_low_confidence": "a number OCR read with low confidence (table, key): check it against the page",
    "ocr_suspect": "a number OCR read that breaks a rule of the template even after a re-read (table, key): it keeps its value",
    "garbled_text": "a PDF page whose font has no Unicode map; its table cells never become numbers",
    "page_unreadable": "a PDF page that could not be parsed",
    "truncated": "a file that ends early (read as far as it goes)",
    "truncated_input": "an HTML page cut short (read as far as it goes)",
    "markup_simplified": "markup nested too deep for the parser, simplified",
    "nested_table": "a table inside a Word table cell, read separately",
    "text_box": "a Word text box, read as blocks after its paragraph",
    "embedded_object": "an object embedded in a Word file, not read",
    "unsupported_content": "content of a Word file of a kind that is not read",
    "part_unreadable": "a part of a Word file that could not be read",
    "agency_uncertain": "the report's agency is null: the opening sentence names one agency, a title-like heading line another",
    "bytes_replaced": "text or HTML that decodes except for a few bytes: those were replaced by U+FFFD (count in detail)",
}


class ReportWarning(TypedDict, total=False):
    """One warning as it appears in the output (a plain dict in JSON).

    ``code`` and ``detail`` are always there; the other keys say what it concerns
    (tests/test_registries.py checks that every ``warning(...)`` call uses only these).
    """

    code: str
    detail: str
    table: str                      # the table (requests, …)
    key: str                        # a cell key of that table
    section: str                    # a section id
    page: int | None                # one page (1-based); None: a format without pages
    pages: list[int]                # several pages (OCR'd pages, pages without text)
    candidates: list[int | float]   # the values a run of digits may split into (cell_ambiguous)


#: the keys a warning may carry besides ``code``
WARNING_KEYS = frozenset(ReportWarning.__annotations__) - {"code"}

#: a warning's ``detail`` is a line to read, not a copy of the input: longer text
#: (a whole paragraph caught in a value cell) is cut here, saying how long it was
MAX_DETAIL_CHARS = 200


def warning(code: str, **where: Any) -> ReportWarning:
    """A warning dict with a registered ``code`` (ValueError for an unknown one);
    ``where`` holds keys of :class:`ReportWarning` (``detail``, ``table``, ``page`` …)."""
    if code not in WARNING_CODES:
        raise ValueError(f"unknown warning code {code!r}")
    out: ReportWarning = {"code": code}  # type: ignore[typeddict-item]
    out.update(where)  # type: ignore[typeddict-item]
    detail = out.get("detail")
    if isinstance(detail, str) and len(detail) > MAX_DETAIL_CHARS:
        out["detail"] = f"{detail[:MAX_DETAIL_CHARS]}… ({len(detail)} characters)"
    return out


class ErrorInfo(TypedDict):
    """The ``error`` object of an error record: a registered code and a one-line message."""

    code: str
    message: str


def error_info(code: str, message: str) -> ErrorInfo:
    """The ``error`` object of an error record (ValueError for an unregistered code)."""
    if code not in ERROR_CODES:
        raise ValueError(f"unknown error code {code!r}")
    return {"code": code, "message": message}


class ExtractError(Exception):
    """Raised when an input cannot be read as a report at all.

    ``code`` is one of :data:`ERROR_CODES`; ``message`` is a one-line, human
    readable explanation; ``path`` is the source name when known.
    """

    def __init__(self, code: str, message: str, path: str | None = None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.message = message
        self.path = path
        super().__init__(f"{code}: {message}")

    def __str__(self) -> str:  # with the path when known: "FILE: code: message"
        return f"{self.path}: {self.code}: {self.message}" if self.path else f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "path": self.path}
