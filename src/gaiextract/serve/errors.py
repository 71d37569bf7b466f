"""HTTP statuses of the documented error codes, and the server's own few codes.

Every error answer is JSON ``{"code", "message"}``. A document's error keeps its
code from :data:`gaiextract.errors.ERROR_CODES`; :data:`STATUS` gives each of
them a status (a test checks that none is missing). The codes that only the
server gives — a saturated server, a missing token, a malformed request — are
registered here, as ``OUTPUT_ERROR_CODES`` are for the command line.
"""
from __future__ import annotations

#: codes only the HTTP service gives (besides gaiextract.errors.ERROR_CODES)
SERVE_ERROR_CODES = {
    "busy": "the server has as much work in flight as it accepts; retry later (503, Retry-After)",
    "unauthorized": "the server wants a bearer token and the request has none or another (401)",
    "bad_request": "the request is malformed: no file, an unknown option value, a broken multipart body (400)",
    "method_not_allowed": "the path exists but not with this HTTP method (405)",
}

#: status of every error code (documents' codes first, then the server's)
STATUS: dict[str, int] = {
    "empty": 422,
    "unsupported_format": 415,
    "encrypted": 422,
    "truncated": 422,
    "corrupt": 422,
    "decode_failed": 422,
    "too_large": 413,
    "converter_missing": 415,
    "timeout": 504,
    "not_found": 404,
    "not_a_report": 422,
    # ocr=always on a server without the OCR extra: the server cannot do what was asked
    "ocr_unavailable": 501,
    "internal_error": 500,
    "busy": 503,
    "unauthorized": 401,
    "bad_request": 400,
    "method_not_allowed": 405,
}
