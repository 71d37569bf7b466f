"""Word documents: DOCX/DOCM/DOTX/DOTM directly, .doc/.wps/RTF via LibreOffice.

The package is opened with :mod:`zipfile` and the parts are parsed with lxml
(no entity resolution, no huge trees) *after* their declared sizes and
compression ratios are checked, so a zip bomb costs bounded memory. The body is
walked by :mod:`.docx_body` (document order, merged cells, tracked changes).
python-docx is not used here: it loads every part before we could check sizes
and its ``row.cells`` repeats merged cells.

Sniffing: a ZIP whose members include ``word/document.xml`` (or whose
``[Content_Types].xml`` declares a WordprocessingML main part) is a DOCX; any
other ZIP — an XLSX, an EPUB, a random archive — is *not accepted*, so it ends
as ``unsupported_format`` (and forcing ``format="docx"`` on it raises that code
too). A ZIP too damaged to list is accepted only when its name or first bytes
say Word, and then reads as ``truncated``. OLE2 files are accepted when they
hold a ``WordDocument`` stream, an encrypted package (a password-protected
DOCX) or carry a .doc/.wps name.
"""
from __future__ import annotations

import hashlib
import io
import posixpath
import struct
import threading
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Optional

from lxml import etree

from ..document import Document
from ..errors import ExtractError, warning
from ..limits import DEFAULT_LIMITS, bounded_blocks, require_positive
from ..source import Source
from . import Reader
from .docx_body import BodyWalker
from .docx_numbering import Numbering
from .docx_styles import REL_NAMESPACES, W_NAMESPACES, Styles, to_transitional, wchild, wtag
from .legacy import (OLE_MAGIC, RTF_MAGIC, OleFile, convert_to_docx, is_encrypted_doc,
                     is_encrypted_ooxml)

ZIP_MAGIC = b"PK\x03\x04"
LEGACY_EXTENSIONS = ("doc", "wps", "dot", "wpt", "rtf")
OOXML_EXTENSIONS = ("docx", "docm", "dotx", "dotm")

#: part sizes and the zip-bomb ratio: see gaiextract.limits
MAX_PART_BYTES = DEFAULT_LIMITS.max_part_bytes
RATIO_CHECK_BYTES = DEFAULT_LIMITS.ratio_check_bytes
MAX_RATIO = DEFAULT_LIMITS.max_ratio
#: everything zipfile/zlib raise for a damaged member (a wrong local-header
#: offset gives ValueError "negative seek value"; a short one EOFError)
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError)

_WORD_CONTENT_TYPES = (b"wordprocessingml.document.main", b"wordprocessingml.template.main",
                       b"ms-word.document.macroEnabled.main", b"ms-word.template.macroEnabledTemplate.main")
_OFFICE_DOC_REL = "/officeDocument"


@dataclass(frozen=True)
class DocxSettings:
    """The DOCX reader's tunables, in one place (validated when built)."""

    #: parsed style parts kept per process, keyed by the SHA-256 of the member's stored bytes
    #: (with its method, CRC and size): reports made from one template share a styles.xml
    #: (Word's is ~350 KB, three times the body) whose parse is the reader's largest single
    #: cost. 0: no cache. The kept trees are only read, never changed.
    style_cache_entries: int = 4
    #: a style part larger than this many bytes is parsed every time, never kept
    style_cache_max_bytes: int = 1 << 20
    #: the package parts read to find the main document ([Content_Types].xml and the
    #: relationship parts, a few KB in real files) are ignored when larger than this
    package_part_max_bytes: int = 1 << 20

    def __post_init__(self) -> None:
        require_positive(self, skip=("style_cache_entries",))
        n = self.style_cache_entries
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"DocxSettings.style_cache_entries must be a whole number >= 0, not {n!r}")


#: the settings the reader uses (replace with another DocxSettings to change them)
SETTINGS = DocxSettings()


class _PartCache:
    """A small least-recently-used map from a part's digest to its parsed tree."""

    def __init__(self) -> None:
        self._items: OrderedDict[bytes, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> Any:
        with self._lock:
            root = self._items.get(key)
            if root is not None:
                self._items.move_to_end(key)
            return root

    def put(self, key: bytes, root: Any, entries: int) -> None:
        with self._lock:
            self._items[key] = root
            self._items.move_to_end(key)
            while len(self._items) > entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_STYLE_CACHE = _PartCache()


def _parser() -> etree.XMLParser:
    # collect_ids=False: xml:id values are never looked up (saves a hash table per part)
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, remove_comments=True, remove_pis=True,
                           collect_ids=False)


_STRICT_URI = W_NAMESPACES[1].encode()
_STRICT_ANY = "{%s}*" % W_NAMESPACES[1]


def _normalise_namespace(root, data: bytes) -> None:
    """An ISO-strict part (elements or attributes in the strict namespace) is renamed
    to the transitional namespace, which the walk compares tags with."""
    if _STRICT_URI in data or next(root.iter(_STRICT_ANY), None) is not None:
        to_transitional(root)


class DocxReader(Reader):
    format = "docx"
    priority = 20
    extensions = OOXML_EXTENSIONS + ("doc", "wps")

    def __init__(self, convert_timeout: Optional[float] = None):
        self.convert_timeout = convert_timeout

    # -- sniffing -------------------------------------------------------------
    def accepts(self, source: Source) -> bool:
        head = source.head
        ext = source.extension
        if head.startswith(ZIP_MAGIC):
            try:
                with zipfile.ZipFile(source.stream()) as zf:
                    return _main_part_name(zf) is not None
            except (zipfile.BadZipFile, ExtractError, OSError, ValueError, EOFError):
                return ext in OOXML_EXTENSIONS or b"word/" in head
        if head.startswith(OLE_MAGIC):
            ole = OleFile(source.data)
            return (ole.has("WordDocument") or is_encrypted_ooxml(ole)
                    or ext in LEGACY_EXTENSIONS + OOXML_EXTENSIONS)
        if head.startswith(RTF_MAGIC):
            return True
        return False

    # -- reading --------------------------------------------------------------
    def read(self, source: Source) -> Document:
        data = source.data
        if not data:
            raise ExtractError("empty", "the input is empty", source.name)
        if data.startswith(OLE_MAGIC):
            return self._read_ole(source)
        if data.startswith(RTF_MAGIC):
            return self._read_converted(source, "rtf")
        if data.startswith(ZIP_MAGIC):
            return read_docx_bytes(data, source.name)
        if data.startswith(b"PK"):
            raise ExtractError("unsupported_format", "an empty or spanned ZIP archive, "
                               "not a Word document", source.name)
        raise ExtractError("unsupported_format", "not a Word document (no ZIP or OLE2 "
                           "signature)", source.name)

    def _read_ole(self, source: Source) -> Document:
        ole = OleFile(source.data)
        if is_encrypted_ooxml(ole):
            raise ExtractError("encrypted", "the Word document is password-protected "
                               "(encrypted OOXML package)", source.name)
        if is_encrypted_doc(ole):
            raise ExtractError("encrypted", "the Word document is password-protected",
                               source.name)
        ext = source.extension
        if not (ole.has("WordDocument") or ext in LEGACY_EXTENSIONS):
            raise ExtractError("unsupported_format", "an OLE2 file (.xls/.ppt/…) but not "
                               "a Word document", source.name)
        return self._read_converted(source, ext if ext in LEGACY_EXTENSIONS else "doc")

    def _read_converted(self, source: Source, ext: str) -> Document:
        docx = convert_to_docx(source.data, ext, source.name, timeout=self.convert_timeout)
        doc = read_docx_bytes(docx, source.name)
        doc.meta["converted_from"] = ext
        return doc


def read_docx_bytes(data: bytes, name: str = "<bytes>") -> Document:
    """Read DOCX package bytes into a Document (all failures as ExtractError)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExtractError("truncated", f"the ZIP structure is damaged or cut short ({exc})",
                           name) from None
    except (OSError, ValueError, EOFError) as exc:
        raise ExtractError("corrupt", f"the ZIP archive cannot be opened ({exc})", name) from None
    with zf:
        main = _main_part_name(zf)
        if main is None:
            raise ExtractError("unsupported_format", "a ZIP archive but not a Word document "
                               "(no word/document.xml)", name)
        root = _parse_part(zf, main, name)
        if wtag(root) != "document":
            raise ExtractError("corrupt", f"{main} is not a WordprocessingML document", name)
        body = wchild(root, "body")
        if body is None:
            raise ExtractError("corrupt", f"{main} has no w:body", name)
        warnings: list[dict[str, Any]] = []
        styles = Styles(_related_root(zf, main, name, "/styles", "styles.xml", warnings, package=data))
        numbering = Numbering(_related_root(zf, main, name, "/numbering", "numbering.xml",
                                            warnings))
    walker = BodyWalker(styles, numbering)
    walker.warnings.extend(warnings)
    blocks = bounded_blocks(walker.blocks(body), walker.warnings)
    walker.warnings.extend(styles.warnings + numbering.warnings)
    return Document(blocks=blocks, format="docx", pages=None, warnings=walker.warnings,
                    meta={"main_part": main})


def _main_part_name(zf: zipfile.ZipFile) -> Optional[str]:
    """The main document part, from the package relationships; None if the
    package is not a Word document."""
    names = set(zf.namelist())
    rels = _small_part(zf, "_rels/.rels", names)
    if rels is not None:
        for rel in rels:
            if rel.get("Type", "").endswith(_OFFICE_DOC_REL):
                target = rel.get("Target", "").lstrip("/")
                if target in names and _is_word_package(zf, names):
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    return None


def _is_word_package(zf: zipfile.ZipFile, names: set[str]) -> bool:
    if "[Content_Types].xml" not in names:
        return False
    info = zf.getinfo("[Content_Types].xml")
    if info.file_size > SETTINGS.package_part_max_bytes:
        return False
    try:
        ct = zf.read(info)
    except ZIP_READ_ERRORS + (RuntimeError, NotImplementedError):
        return False
    return any(t in ct for t in _WORD_CONTENT_TYPES)


def _small_part(zf: zipfile.ZipFile, part: str, names: set[str]):
    """Parse a small relationship part; None if absent, too big or broken."""
    if part not in names:
        return None
    info = zf.getinfo(part)
    if info.file_size > SETTINGS.package_part_max_bytes:
        return None
    try:
        root = etree.fromstring(zf.read(info), _parser())
    except ZIP_READ_ERRORS + (etree.XMLSyntaxError, RuntimeError, NotImplementedError):
        return None
    return [el for el in root if isinstance(el.tag, str)
            and el.tag.partition("}")[0].lstrip("{") in REL_NAMESPACES]


def _related_root(zf: zipfile.ZipFile, main: str, name: str, rel_type: str, default: str,
                  warnings: list[dict[str, Any]], package: Optional[bytes] = None):
    """A part the main document refers to (styles, numbering), parsed; None if absent
    or broken (losing hints or list labels is better than losing the document)."""
    names = set(zf.namelist())
    folder, base = posixpath.split(main)
    rels = _small_part(zf, posixpath.join(folder, "_rels", base + ".rels"), names) or []
    target = None
    for rel in rels:
        if rel.get("Type", "").endswith(rel_type) and rel.get("TargetMode") != "External":
            t = rel.get("Target", "")
            target = t.lstrip("/") if t.startswith("/") else posixpath.normpath(
                posixpath.join(folder, t))
            break
    if target is None:
        target = posixpath.join(folder, default)
    if target not in names:
        return None
    try:
        return _parse_part(zf, target, name, package)
    except ExtractError as exc:
        if exc.code == "too_large":
            raise
        warnings.append(warning("part_unreadable", page=None,
                                detail=f"{target} could not be read ({exc.code}); "
                                       "formatting hints or list numbers may be missing"))
        return None


def _parse_part(zf: zipfile.ZipFile, part: str, name: str, package: Optional[bytes] = None):
    """Decompress one part with size and ratio checks first, then parse it. Given the
    ``package`` bytes (style parts), a tree parsed before from the same stored member is
    reused (see DocxSettings.style_cache_entries); it must not be changed."""
    info = zf.getinfo(part)
    if info.flag_bits & 0x1:
        raise ExtractError("encrypted", f"{part} is encrypted inside the ZIP", name)
    if info.file_size > MAX_PART_BYTES:
        raise ExtractError("too_large", f"{part} decompresses to {info.file_size} bytes "
                           f"(limit {MAX_PART_BYTES})", name)
    if (info.file_size > RATIO_CHECK_BYTES
            and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
        raise ExtractError("too_large", f"{part} expands {info.file_size // max(info.compress_size, 1)}"
                           f"x when decompressed (a zip bomb?)", name)
    settings = SETTINGS
    key = None
    if (package is not None and settings.style_cache_entries
            and info.file_size <= settings.style_cache_max_bytes):
        key = _member_key(package, info)
        root = None if key is None else _STYLE_CACHE.get(key)
        if root is not None:
            return root
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
    except EOFError as exc:
        raise ExtractError("truncated", f"{part} ends early ({exc or 'unexpected end of data'})",
                           name) from None
    except ZIP_READ_ERRORS as exc:
        raise ExtractError("corrupt", f"{part} cannot be decompressed ({exc})", name) from None
    except NotImplementedError as exc:
        raise ExtractError("corrupt", f"{part} uses an unsupported compression ({exc})",
                           name) from None
    except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
        raise ExtractError("encrypted", f"{part}: {exc}", name) from None
    if len(data) > MAX_PART_BYTES:
        raise ExtractError("too_large", f"{part} decompresses past {MAX_PART_BYTES} bytes", name)
    try:
        root = etree.fromstring(data, _parser())
        _normalise_namespace(root, data)
        if key is not None and len(data) <= settings.style_cache_max_bytes:
            _STYLE_CACHE.put(key, root, settings.style_cache_entries)
        return root
    except etree.XMLSyntaxError as exc:
        raise ExtractError("corrupt", f"{part} is not well-formed XML ({exc})", name) from None
    except ValueError as exc:
        raise ExtractError("corrupt", f"{part} cannot be parsed ({exc})", name) from None


#: a ZIP local file header (zipfile's structFileHeader): signature, versions, flags,
#: method, time, date, CRC, sizes, name length, extra length
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def _member_key(package: bytes, info: zipfile.ZipInfo) -> Optional[bytes]:
    """The cache key of a stored member: SHA-256 of its compressed bytes as stored, with
    its method, CRC and size (the same stored bytes decompress, and pass or fail the CRC
    check, the same way). None when its local header does not agree with the directory
    (zipfile then says what is wrong when the member is read)."""
    off = info.header_offset
    head = package[off:off + _LOCAL_HEADER.size]
    if len(head) != _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        return None
    fields = _LOCAL_HEADER.unpack(head)
    flags, name_len, extra_len = fields[3], fields[10], fields[11]
    if flags & 0x61 or info.flag_bits & 0x61:  # encrypted, patched or strongly encrypted
        return None
    start = off + _LOCAL_HEADER.size
    try:
        stored_name = package[start:start + name_len].decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    if stored_name != info.orig_filename:
        return None
    start += name_len + extra_len
    end = start + info.compress_size
    limit = getattr(info, "_end_offset", None)  # newer zipfile refuses overlapping members
    if end > len(package) or (limit is not None and end > limit):
        return None
    return (hashlib.sha256(package[start:end]).digest()
            + struct.pack("<HLQ", info.compress_type, info.CRC, info.file_size))
