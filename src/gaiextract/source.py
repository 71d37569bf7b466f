"""Input handling: whatever the caller passes becomes a :class:`Source`.

Readers get bytes plus a name, never a path they must open themselves, so the
same reader serves files, archive members and uploads alike.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Optional, Union

from .errors import ExtractError
from .limits import DEFAULT_LIMITS

#: Refuse inputs above this size unless the caller raises it (bytes; gaiextract.limits).
DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_input_bytes


#: the environment variable that sets the OCR mode where no caller does (how
#: `gaiextract batch --ocr` reaches its workers, and a user's default)
OCR_ENV = "GAIEXTRACT_OCR"
OCR_MODES = ("auto", "always", "never")


def ocr_mode(ocr: Optional[str] = None) -> str:
    """``ocr`` as given, else ``$GAIEXTRACT_OCR``, else ``auto`` (ValueError naming
    where a bad value came from)."""
    mode = ocr or os.environ.get(OCR_ENV) or "auto"
    if mode not in OCR_MODES:
        where = "ocr" if ocr else OCR_ENV
        raise ValueError(f"{where} must be one of {', '.join(OCR_MODES)}, not {mode!r}")
    return mode


#: how to get OCR, for messages (readers/ocr.py and the commands say it)
OCR_INSTALL_HINT = "install the OCR extra: pip install 'gaiextract[ocr]'"
#: the packages of the OCR extra
OCR_PACKAGES = ("pypdfium2", "rapidocr_onnxruntime")


def ocr_available() -> bool:
    """Is the OCR extra (``gaiextract[ocr]``) installed? (Looks the packages up without
    importing them.) Kept here, below the readers, so that checking a request for OCR
    does not import the OCR reader."""
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in OCR_PACKAGES)


def ocr_install_hint() -> str:
    return OCR_INSTALL_HINT


def require_ocr(mode: str, name: Optional[str] = None) -> None:
    """``ocr='always'`` is a request the reader cannot honour without the extra:
    :class:`ExtractError` ``ocr_unavailable`` instead of values silently left null.
    (``auto`` goes on: a scanned PDF then has its ``no_text_layer`` warning.)"""
    if mode == "always" and not ocr_available():
        raise ExtractError("ocr_unavailable", f"ocr='always' (--ocr always) needs OCR: {ocr_install_hint()}", name)


def needs_ocr_hint(warnings: list[dict[str, Any]], mode: str) -> bool:
    """Did a document go unread for want of the OCR extra (a ``no_text_layer`` warning
    while OCR was not switched off and is not installed)? Callers then tell the user
    how to install it."""
    return mode != "never" and any(w.get("code") == "no_text_layer" for w in warnings) and not ocr_available()


#: the environment variable that sets the PDF engine where no caller does
PDF_ENGINE_ENV = "GAIEXTRACT_PDF_ENGINE"
PDF_ENGINES = ("pdfium", "pdfminer")


def pdf_engine(engine: Optional[str] = None) -> str:
    """``engine`` as given, else ``$GAIEXTRACT_PDF_ENGINE``, else ``pdfium``."""
    name = engine or os.environ.get(PDF_ENGINE_ENV) or "pdfium"
    if name not in PDF_ENGINES:
        raise ValueError(f"pdf_engine must be one of {', '.join(PDF_ENGINES)}, not {name!r}")
    return name


@dataclass
class Source:
    data: bytes
    name: str = "<bytes>"          # path or member name, for messages and extension hints
    format_hint: Optional[str] = None
    #: when the PDF reader reads pages from their image: auto | always | never
    ocr: str = field(default_factory=ocr_mode)
    #: which library reads PDF pages: pdfium (default) or pdfminer (under pdfplumber)
    pdf_engine: str = field(default_factory=pdf_engine)
    _sha256: Optional[str] = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            self._sha256 = hashlib.sha256(self.data).hexdigest()
        return self._sha256

    @property
    def extension(self) -> str:
        base = os.path.basename(self.name).lower()
        return base.rsplit(".", 1)[-1] if "." in base else ""

    @property
    def head(self) -> bytes:
        return self.data[:8192]

    def stream(self) -> BinaryIO:
        return io.BytesIO(self.data)


#: characters of a str argument shown in a not-found message (a str may be text passed by mistake)
SHOWN_NAME_CHARS = 80


def _shown(path: str) -> str:
    one_line = path.replace("\n", " ")
    return one_line if len(one_line) <= SHOWN_NAME_CHARS else one_line[:SHOWN_NAME_CHARS - 1] + "…"


def _not_found(path: str, exc: OSError) -> str:
    """Why a str could not be opened, said for a user: a str is always a path."""
    import errno

    if exc.errno == errno.ENAMETOOLONG or "\n" in path:
        return ("no such file (a str is read as a path; pass a report's text as bytes, "
                "e.g. extract(text.encode(), format='txt'))")
    return exc.strerror or str(exc)


InputLike = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO, Source]


def as_source(obj: InputLike, format: Optional[str] = None, name: Optional[str] = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Turn a path, bytes or binary file object into a :class:`Source`."""
    if isinstance(obj, Source):
        if format and not obj.format_hint:
            obj.format_hint = format
        return obj
    if isinstance(obj, (str, os.PathLike)):
        path = os.fspath(obj)
        try:
            size = os.path.getsize(path)
            if size > max_bytes:
                raise ExtractError("too_large", f"{size} bytes exceeds the limit of {max_bytes}", path)
            with open(path, "rb") as fh:
                data = fh.read()
        except ExtractError:
            raise
        except IsADirectoryError:
            raise ExtractError("not_found", "is a directory, not a file (for folders: gaiextract batch)",
                               _shown(path)) from None
        except OSError as exc:
            raise ExtractError("not_found", _not_found(path, exc), _shown(path)) from None
        return Source(data=data, name=name or path, format_hint=format)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        data = bytes(obj)
    elif hasattr(obj, "read"):
        data = obj.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = name or getattr(obj, "name", None)
        if not isinstance(name, str):
            name = None
    else:
        raise TypeError(f"cannot read a report from {type(obj).__name__}")
    if len(data) > max_bytes:
        raise ExtractError("too_large", f"more than {max_bytes} bytes", name)
    return Source(data=data, name=name or "<bytes>", format_hint=format)
