"""The one documented exception type for unreadable input.

Every reader raises :class:`ExtractError` with a stable ``code`` so that the batch
runner can turn it into an error record and callers can branch on it without
parsing messages.
"""
from __future__ import annotations

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
}


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

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "path": self.path}
