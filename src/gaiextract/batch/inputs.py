"""Turn the command line's INPUTs into a stream of documents to convert.

Inputs are files, folders (walked recursively) and zip / tar(.gz, .bz2, .xz)
archives. Archives are read member by member in memory: nothing is ever
unpacked to disk, and a member name is only a label (``a.zip!/dir/x.pdf``),
never a path we write to, so ``../`` or absolute member names are harmless.

File names are whatever the file system allows: a name that is not valid UTF-8
is read through its bytes and *labelled* with the undecodable bytes escaped
(``caf\\xe9.txt``), so every sink can store it; zip member names written in GBK
without the UTF-8 flag (Windows archivers) are decoded as GBK. Symbolic links in
a folder are followed only while they stay inside the input roots (unless
``follow_symlinks``), so a link cannot pull an outside file into the outputs.

Each candidate is sniffed with the reader registry (content first), so a report
saved without an extension is still found, while files that no reader accepts
are *skipped* (counted, not errors). A file whose extension names a report
format is always attempted, so a damaged ``.pdf`` becomes an error record rather
than vanishing silently.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from ..encoding import decode_member_name
from ..grammar import report_markers
from ..limits import MB, require_positive
from ..readers import readers
from ..source import DEFAULT_MAX_BYTES, Source

#: extensions that are always attempted (an unreadable one is an error record)
REPORT_EXTENSIONS = frozenset({"pdf", "docx", "doc", "html", "htm", "xhtml", "txt", "text", "wps"})
ARCHIVE_EXTENSIONS = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
#: a POSIX tar header says ``ustar`` at this byte offset
_USTAR, _USTAR_AT = b"ustar", 257


@dataclass(frozen=True)
class ArchiveLimits:
    """Guards against hostile archives (zip bombs, member floods)."""

    #: a single document (file or member), uncompressed
    max_member_bytes: int = DEFAULT_MAX_BYTES
    #: all members of one archive together, uncompressed
    max_archive_bytes: int = 20 * 1024 ** 3
    #: uncompressed / compressed size of one member (zip) or one stream (tar)
    max_ratio: float = 200.0
    #: the ratio is only judged once this many bytes are out (tiny files compress well)
    ratio_grace_bytes: int = 4 * 1024 * 1024
    #: members of one archive
    max_members: int = 200_000
    #: an archive member is read in pieces of this many bytes (the limits are checked
    #: after each)
    read_chunk_bytes: int = MB

    def __post_init__(self) -> None:
        require_positive(self)


@dataclass
class Item:
    """One document to convert, with its bytes already read and hashed."""

    label: str
    data: bytes
    sha256: str

    @classmethod
    def of(cls, label: str, data: bytes) -> Item:
        return cls(label=label, data=data, sha256=hashlib.sha256(data).hexdigest())


@dataclass
class Problem:
    """An input that could not even be read (becomes an error record)."""

    label: str
    code: str
    message: str
    sha256: str | None = None


@dataclass
class Skip:
    """An input that is not a report (no reader accepts it)."""

    label: str
    reason: str


CATCH_ALL_PRIORITY = 90


def sniff_format(label: str, data: bytes) -> str | None:
    """The format the first accepting reader claims, or None.

    A catch-all reader (the plain text one) only counts when the text looks like
    a report, since it accepts any text at all.
    """
    source = Source(data=data, name=label)
    for reader in readers():
        try:
            if not reader.accepts(source):
                continue
        except Exception:  # a reader's sniffing must never stop the walk
            continue
        if getattr(reader, "priority", 0) >= CATCH_ALL_PRIORITY and not _looks_like_report(data):
            return None
        return reader.format
    return None


def _looks_like_report(data: bytes) -> bool:
    from ..encoding import decode
    try:
        text, _ = decode(data[:65536])
    except Exception:
        return False
    # words one of which every report has near its start (grammar facts.toml [report]);
    # they only keep the catch-all text reader from claiming every README or source file
    return any(m in text for m in report_markers())


def _extension(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).lower()
    return base.rsplit(".", 1)[-1] if "." in base else ""


def is_candidate(label: str, data: bytes, explicit: bool = False) -> bool:
    """Should this document be attempted? See the module docstring."""
    if explicit or _extension(label) in REPORT_EXTENSIONS:
        return True
    return sniff_format(label, data) is not None


def _archive_kind(name: str, head: bytes) -> str | None:
    """'zip' or 'tar' when the bytes are an archive (and not a DOCX)."""
    if head[:4] == b"PK\x03\x04" or head[:4] == b"PK\x05\x06":
        if _extension(name) in ("docx", "xlsx", "pptx", "odt", "epub", "jar"):
            return None
        return "zip"
    if head[_USTAR_AT:_USTAR_AT + len(_USTAR)] == _USTAR:
        return "tar"
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00":
        lower = name.lower()
        if lower.endswith(ARCHIVE_EXTENSIONS):
            return "tar"
    return None


def _is_office_document(fh) -> bool:
    """A zip that is an OOXML or ODF document (whatever its name)."""
    try:
        fh.seek(0)
        names = set(zipfile.ZipFile(fh).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        fh.seek(0)
    return "[Content_Types].xml" in names or "mimetype" in names


def safe_member_label(name: str) -> str:
    """A display label for a member name: slashes normalised, nothing else implied.

    The label is only ever printed or stored; it is never joined to a directory.
    """
    name = name.replace("\\", "/")
    name = "".join(ch if ch.isprintable() else "?" for ch in name)
    return name


def display_path(path: str) -> str:
    """A path as a label every sink can store and print on one line: a file name that
    is not valid UTF-8 (decoded by Python with surrogate escapes) keeps its readable
    part and shows the other bytes as ``\\xNN``; control characters (a newline in a
    name) are shown the same way. Other names are returned unchanged."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        path = os.fsencode(path).decode("utf-8", "backslashreplace")
    if path.isprintable():
        return path
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in path)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


#: zip general-purpose flag bit 11: the member name is UTF-8
_ZIP_UTF8_FLAG = 0x800


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """A member's name, decoding GBK names that Windows archivers store without the
    UTF-8 flag (Python then reads them as cp437 mojibake)."""
    name = info.filename
    if info.flag_bits & _ZIP_UTF8_FLAG or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    return decode_member_name(raw)


def tar_member_name(name: str) -> str:
    """A tar member's name; tarfile decodes with surrogate escapes, so bytes that are
    not UTF-8 are tried as GB18030 and Big5 before they are escaped."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return decode_member_name(name.encode("utf-8", "surrogateescape"))


def archive_kind_of_file(path: str) -> str | None:
    """'zip' or 'tar' when the file at ``path`` is an archive of reports (not a DOCX)."""
    try:
        with open(path, "rb") as fh:
            kind = _archive_kind(path, fh.read(8192))
            if kind == "zip" and _is_office_document(fh):
                return None
            return kind
    except OSError:
        return None


class InputWalker:
    """Yields :class:`Item`, :class:`Problem` and :class:`Skip` for the given inputs."""

    def __init__(self, inputs, limits: ArchiveLimits = ArchiveLimits(), follow_symlinks: bool = False):
        self.inputs = [os.fspath(p) for p in inputs]
        self.limits = limits
        self.follow_symlinks = follow_symlinks
        self._roots = [os.path.realpath(p) for p in self.inputs]

    def __iter__(self) -> Iterator[Item | Problem | Skip]:
        for path in self.inputs:
            if os.path.isdir(path):
                yield from self._walk_dir(path)
            else:
                yield from self._file(path, explicit=True)

    # -- folders and files -------------------------------------------------
    def _inside_roots(self, path: str) -> bool:
        real = os.path.realpath(path)
        return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in self._roots)

    def _walk_dir(self, root: str):
        seen_dirs: set[tuple[int, int]] = set()  # (device, inode): a link loop is walked once
        for dirpath, dirnames, filenames in os.walk(root, followlinks=self.follow_symlinks):
            try:
                st = os.stat(dirpath)
                if (st.st_dev, st.st_ino) in seen_dirs:
                    dirnames[:] = []
                    continue
                seen_dirs.add((st.st_dev, st.st_ino))
            except OSError:
                pass
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if (os.path.islink(path) and not self.follow_symlinks
                        and not self._inside_roots(path)):
                    yield Skip(display_path(path),
                                     "a symbolic link pointing outside the inputs (--follow-symlinks to read it)")
                    continue
                yield from self._file(path, explicit=False)

    def _file(self, path: str, explicit: bool):
        label = display_path(path)
        try:
            st = os.stat(path)
        except OSError as exc:
            yield Problem(label, "not_found", exc.strerror or str(exc))
            return
        if not stat.S_ISREG(st.st_mode):
            yield Skip(label, "not a regular file")
            return
        try:
            with open(path, "rb") as fh:
                head = fh.read(8192)
                kind = _archive_kind(path, head)
                if kind == "zip" and _is_office_document(fh):
                    kind = None  # a DOCX (or other OOXML/ODF file) is a document
                if kind:
                    fh.seek(0)
                    yield from (self._zip(label, fh) if kind == "zip" else self._tar(label, fh))
                    return
                if st.st_size > self.limits.max_member_bytes:
                    yield Problem(label, "too_large",
                                  f"{st.st_size} bytes exceeds the limit of {self.limits.max_member_bytes}")
                    return
                data = head + fh.read()
        except OSError as exc:
            yield Problem(label, "not_found", exc.strerror or str(exc))
            return
        if is_candidate(label, data, explicit):
            yield Item.of(label, data)
        else:
            yield Skip(label, "no reader accepts it")

    # -- archives ----------------------------------------------------------
    def _member(self, archive: str, name: str, read, size_hint: int, packed: int | None):
        """Read one member through ``read(n)`` with the limits applied."""
        label = f"{archive}!/{safe_member_label(name)}"
        lim = self.limits
        if size_hint > lim.max_member_bytes:
            return Problem(label, "too_large",
                           f"member declares {size_hint} bytes, over the limit of {lim.max_member_bytes}")
        chunks, total = [], 0
        while True:
            chunk = read(lim.read_chunk_bytes)
            if not chunk:
                break
            total += len(chunk)
            if total > lim.max_member_bytes:
                return Problem(label, "too_large",
                               f"member expands past the limit of {lim.max_member_bytes} bytes")
            if packed is not None and total > lim.ratio_grace_bytes and total > lim.max_ratio * max(packed, 1):
                return Problem(label, "too_large",
                               f"member expands more than {lim.max_ratio:g}x its compressed size "
                               f"({packed} bytes): refused as a likely zip bomb")
            chunks.append(chunk)
        data = b"".join(chunks)
        self._archive_total += total
        if is_candidate(label, data):
            return Item.of(label, data)
        return Skip(label, "no reader accepts it")

    def _zip(self, path: str, fh):
        self._archive_total = 0
        try:
            zf = zipfile.ZipFile(fh)
            infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            yield Problem(path, "corrupt", f"unreadable zip archive: {exc}")
            return
        lim = self.limits
        if len(infos) > lim.max_members:
            yield Problem(path, "too_large", f"{len(infos)} members, over the limit of {lim.max_members}")
            return
        for info in infos:
            if info.is_dir():
                continue
            if self._archive_total > lim.max_archive_bytes:
                yield Problem(path, "too_large",
                              f"archive expands past {lim.max_archive_bytes} bytes; remaining members not read")
                return
            name = zip_member_name(info)
            label = f"{path}!/{safe_member_label(name)}"
            try:
                with zf.open(info) as member:
                    yield self._member(path, name, member.read, info.file_size, info.compress_size)
            except RuntimeError as exc:  # encrypted member
                yield Problem(label, "encrypted", str(exc))
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                yield Problem(label, "corrupt", f"unreadable zip member: {exc}")
            except Exception as exc:  # zlib.error and friends
                yield Problem(label, "corrupt", f"unreadable zip member: {type(exc).__name__}: {exc}")

    def _tar(self, path: str, fh):
        self._archive_total = 0
        lim = self.limits
        packed_size = os.fstat(fh.fileno()).st_size
        try:
            tf = tarfile.open(fileobj=fh, mode="r|*")  # streaming: one pass, no seeking
        except (tarfile.TarError, OSError, EOFError) as exc:
            yield Problem(path, "corrupt", f"unreadable tar archive: {exc}")
            return
        count = 0
        try:
            for info in tf:
                count += 1
                if count > lim.max_members:
                    yield Problem(path, "too_large", f"more than {lim.max_members} members; remaining not read")
                    return
                if not info.isreg():
                    continue  # links, devices, folders: never followed
                name = tar_member_name(info.name)
                label = f"{path}!/{safe_member_label(name)}"
                if self._archive_total + info.size > lim.max_archive_bytes:
                    yield Problem(path, "too_large",
                                  f"archive expands past {lim.max_archive_bytes} bytes; remaining members not read")
                    return
                out_so_far = self._archive_total + info.size
                if out_so_far > lim.ratio_grace_bytes and out_so_far > lim.max_ratio * max(packed_size, 1):
                    yield Problem(label, "too_large",
                                  f"archive expands more than {lim.max_ratio:g}x its size on disk: "
                                  "refused as a likely decompression bomb")
                    return
                member = tf.extractfile(info)
                if member is None:
                    continue
                yield self._member(path, name, member.read, info.size, None)
        except (tarfile.TarError, OSError, EOFError) as exc:
            yield Problem(path, "truncated", f"tar archive ends early or is damaged: {exc}")
        except Exception as exc:  # zlib/lzma/bz2 errors
            yield Problem(path, "corrupt", f"unreadable tar archive: {type(exc).__name__}: {exc}")
        finally:
            tf.close()


def count_documents(inputs, follow_symlinks: bool = False) -> int:
    """How many documents the inputs hold (files, plus archive members instead of
    the archives), for the progress bar's total. Cheap: names only, no contents
    (a compressed tar is streamed once for its member headers)."""
    total = 0
    walker = InputWalker(inputs, follow_symlinks=follow_symlinks)
    for path in walker.inputs:
        files = []
        if os.path.isdir(path):
            seen: set[str] = set()  # a folder reached again through a link is counted once
            for dirpath, dirs, names in os.walk(path, followlinks=follow_symlinks):
                real = os.path.realpath(dirpath)
                if real in seen:
                    dirs[:] = []
                    continue
                seen.add(real)
                files.extend(os.path.join(dirpath, n) for n in names)
        else:
            files.append(path)
        for f in files:
            kind = archive_kind_of_file(f)
            try:
                if kind == "zip":
                    with zipfile.ZipFile(f) as zf:
                        total += sum(1 for i in zf.infolist() if not i.is_dir())
                elif kind == "tar":
                    with tarfile.open(f, mode="r|*") as tf:
                        total += sum(1 for i in tf if i.isreg())
                else:
                    total += 1
            except Exception:  # a damaged archive or stream counts as one: the walk reports it
                total += 1
    return total
