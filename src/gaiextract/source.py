"""Input handling: whatever the caller passes becomes a :class:`Source`.

Readers get bytes plus a name, never a path they must open themselves, so the
same reader serves files, archive members and uploads alike.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from typing import BinaryIO, Optional, Union

from .errors import ExtractError
from .limits import DEFAULT_LIMITS

#: Refuse inputs above this size unless the caller raises it (bytes; gaiextract.limits).
DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_input_bytes


#: the environment variable that sets the OCR mode where no caller does (how
#: `gaiextract batch --ocr` reaches its workers, and a user's default)
OCR_ENV = "GAIEXTRACT_OCR"
OCR_MODES = ("auto", "always", "never")


def ocr_mode(ocr: Optional[str] = None) -> str:
    """``ocr`` as given, else ``$GAIEXTRACT_OCR``, else ``auto``."""
    mode = ocr or os.environ.get(OCR_ENV) or "auto"
    if mode not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {mode!r}")
    return mode


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
            raise ExtractError("not_found", "is a directory, not a file", path) from None
        except OSError as exc:
            raise ExtractError("not_found", exc.strerror or str(exc), path) from None
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
