"""Reader registry: choose a reader by sniffing content first, extension second.

Each reader is a small class with ``format`` (pdf|docx|html|md|txt), ``priority``,
``accepts(source) -> bool`` (cheap: looks at the first bytes and the name) and
``read(source) -> Document``. Readers are imported lazily so that reading a text
file never imports pdfplumber.
"""
from __future__ import annotations

import importlib
from typing import Optional

from ..document import Document
from ..errors import ExtractError
from ..source import Source


class Reader:
    """Base class for format readers."""

    format: str = ""
    #: lower runs first; content sniffers before the catch-all text reader
    priority: int = 50
    extensions: tuple[str, ...] = ()

    def accepts(self, source: Source) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def read(self, source: Source) -> Document:  # pragma: no cover - interface
        raise NotImplementedError


#: "module:Class" of every built-in reader, imported on first use.
BUILTIN_READERS = (
    "gaiextract.readers.pdf:PdfReader",
    "gaiextract.readers.docx:DocxReader",
    "gaiextract.readers.markdown:MarkdownReader",
    "gaiextract.readers.html:HtmlReader",
    "gaiextract.readers.text:TextReader",
)

_registry: Optional[list[Reader]] = None
_extra: list[Reader] = []


def register(reader: Reader) -> None:
    """Add a reader (e.g. a plug-in for a new format)."""
    _extra.append(reader)
    global _registry
    _registry = None


def _load(spec: str) -> Optional[Reader]:
    mod, _, cls = spec.partition(":")
    try:
        module = importlib.import_module(mod)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("gaiextract"):
            return None  # reader not built into this version
        raise
    return getattr(module, cls)()


def readers() -> list[Reader]:
    """All readers, in the order they are tried."""
    global _registry
    if _registry is None:
        found = [r for r in (_load(s) for s in BUILTIN_READERS) if r is not None]
        _registry = sorted(found + _extra, key=lambda r: r.priority)
    return _registry


def reader_for_format(fmt: str) -> Reader:
    for r in readers():
        if r.format == fmt:
            return r
    raise ExtractError("unsupported_format", f"no reader for format {fmt!r}")


def choose_reader(source: Source) -> Reader:
    """Pick the reader for ``source``: format hint, then sniffing, then extension."""
    if source.format_hint:
        return reader_for_format(source.format_hint)
    if not source.data or not source.data.strip():
        raise ExtractError("empty", "the input is empty", source.name)
    for r in readers():
        if r.accepts(source):
            _check_extension(source, r)
            return r
    ext = source.extension
    known = sorted({e for r in readers() for e in r.extensions})
    raise ExtractError(
        "unsupported_format",
        f"not a PDF, DOCX, HTML or text report (extension .{ext or '?'}; "
        f"supported: {', '.join(known)})",
        source.name,
    )


#: names that promise a binary document; text or HTML under such a name is a
#: wrong file (a saved error page, a renamed note), not a report (spec: Errors)
BINARY_EXTENSIONS = ("pdf", "docx", "docm", "dotx", "dotm", "doc", "dot", "wps", "wpt")
_WHAT = {"txt": "plain text", "html": "an HTML page"}


def _check_extension(source: Source, reader: Reader) -> None:
    ext = source.extension
    if ext in BINARY_EXTENSIONS and reader.format in _WHAT:
        raise ExtractError("unsupported_format", f"named .{ext} but the bytes are "
                           f"{_WHAT[reader.format]}, not a {ext.upper()} file", source.name)


def read_document(source: Source) -> Document:
    reader = choose_reader(source)
    return reader.read(source)
