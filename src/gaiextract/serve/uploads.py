"""Request bodies to files in a private folder, never more than the size limit.

A raw body is one document; a ``multipart/form-data`` body carries files (parts
with a file name) and small fields (``format``, ``ocr``). Both are streamed to
disk as they arrive and counted: the first byte past the limit ends the upload
with ``too_large`` (413), whatever ``Content-Length`` claimed. File names are
only labels: a file is stored under a name of our own.
"""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from starlette.requests import Request

#: a form field (not a file) larger than this is refused: fields are option values
MAX_FIELD_BYTES = 1024


class UploadError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Upload:
    path: str
    filename: str | None
    size: int = 0


@dataclass
class Received:
    files: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def clean_name(name: str | None) -> str | None:
    """A client's file name as a label: its last path component, printable."""
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name if name not in ("", ".", "..") else None


def _too_large(limit: int) -> UploadError:
    return UploadError("too_large", f"the upload exceeds the limit of {limit} bytes")


def _declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)


async def _chunks(request: Request, idle_s: float) -> AsyncIterator[bytes]:
    """The body's chunks; a client that sends nothing for ``idle_s`` seconds is cut off
    (an upload that stalls would hold its place among the work in flight for ever)."""
    stream = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), idle_s)
        except StopAsyncIteration:
            return
        except asyncio.TimeoutError:
            raise UploadError("bad_request", f"the upload stalled: no byte for {idle_s:g} s") from None
        yield chunk


async def receive(request: Request, folder: str, limit: int, max_files: int, idle_s: float) -> Received:
    """The body of ``request`` as files in ``folder`` (created by the caller, private)."""
    _declared_length(request, limit)
    ctype = request.headers.get("content-type", "")
    if ctype.lower().startswith("multipart/form-data"):
        return await _multipart(request, ctype, folder, limit, max_files, idle_s)
    path = os.path.join(folder, "body")
    size = 0
    with open(path, "xb") as fh:
        async for chunk in _chunks(request, idle_s):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            fh.write(chunk)
    name = clean_name(request.query_params.get("filename")) or _disposition_name(request.headers.get("content-disposition"))
    return Received(files=[Upload(path, name, size)], fields={})  # empty: the library says `empty`


def _disposition_name(value: str | None) -> str | None:
    if not value:
        return None
    from python_multipart.multipart import parse_options_header

    _kind, params = parse_options_header(value)
    raw = params.get(b"filename*") or params.get(b"filename")
    if raw is None:
        return None
    text = raw.decode("utf-8", "replace")
    if text.lower().startswith("utf-8''"):
        from urllib.parse import unquote
        text = unquote(text[7:])
    return clean_name(text)


class _Parts:
    """Callbacks of python-multipart's streaming parser: each part to a file or a field."""

    def __init__(self, folder: str, max_files: int):
        self.folder = folder
        self.max_files = max_files
        self.out = Received()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._fh: BinaryIO | None = None
        self._field: str | None = None
        self._value = bytearray()
        self._upload: Upload | None = None

    def callbacks(self) -> dict[str, Any]:
        return {"on_part_begin": self.part_begin, "on_part_data": self.part_data, "on_part_end": self.part_end,
                "on_header_field": self.header_field, "on_header_value": self.header_value,
                "on_header_end": self.header_end, "on_headers_finished": self.headers_finished}

    def part_begin(self) -> None:
        self._headers = {}
        self._field = None
        self._upload = None
        self._value = bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = b""
        self._header_value = b""

    def headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _kind, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in params or b"filename*" in params:
            if len(self.out.files) >= self.max_files:
                raise UploadError("bad_request", f"more than {self.max_files} files in one upload")
            raw = (params.get(b"filename*") or params.get(b"filename") or b"").decode("utf-8", "replace")
            if raw.lower().startswith("utf-8''"):
                from urllib.parse import unquote
                raw = unquote(raw[7:])
            path = os.path.join(self.folder, f"part{len(self.out.files):05d}")
            self._fh = open(path, "xb")
            self._upload = Upload(path, clean_name(raw))
            self.out.files.append(self._upload)
        else:
            self._field = name

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._fh is not None:
            self._fh.write(data[start:end])
            self._upload.size += end - start
        else:
            self._value += data[start:end]
            if len(self._value) > MAX_FIELD_BYTES:
                raise UploadError("bad_request", f"form field {self._field!r} is longer than {MAX_FIELD_BYTES} bytes")

    def part_end(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        elif self._field:
            self.out.fields[self._field] = self._value.decode("utf-8", "replace")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


async def _multipart(request: Request, ctype: str, folder: str, limit: int, max_files: int,
                     idle_s: float) -> Received:
    from python_multipart.multipart import MultipartParser, parse_options_header

    _kind, params = parse_options_header(ctype)
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadError("bad_request", "multipart/form-data without a boundary")
    parts = _Parts(folder, max_files)
    parser = MultipartParser(boundary, parts.callbacks())
    size = 0
    try:
        async for chunk in _chunks(request, idle_s):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        raise
    except Exception as exc:  # python-multipart's MultipartParseError and kin
        raise UploadError("bad_request", f"malformed multipart body: {exc}") from None
    finally:
        parts.close()
    return parts.out
