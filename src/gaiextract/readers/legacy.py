"""Legacy Word formats (.doc, .wps, RTF) and OLE2 containers.

Binary Word and WPS files are converted to DOCX by LibreOffice, then read by
the DOCX reader. OLE2 is also how a password-protected DOCX looks (an
``EncryptedPackage`` stream), so the small directory reader here lets the DOCX
reader say "encrypted" instead of "corrupt" without any extra dependency.
"""
from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from typing import Optional

from ..errors import ExtractError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"

#: seconds LibreOffice may take for one conversion (overridable per call and
#: with GAIEXTRACT_SOFFICE_TIMEOUT)
DEFAULT_TIMEOUT = 120

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE

# Facts of the Compound File Binary format ([MS-CFB]) and the Word binary FIB ([MS-DOC]).
#: the header is the file's first 512 bytes (sector -1)
_HEADER_BYTES = 512
#: a sector id (FAT entry, DIFAT entry) is a 4-byte little-endian integer
_SECTOR_ID_BYTES = 4
#: a directory entry is 128 bytes; its name (UTF-16, with its terminator) at most 64
_DIR_ENTRY_BYTES = 128
_DIR_NAME_BYTES = 64
#: streams shorter than this live in the mini stream, not in sectors of the main FAT
_MINI_STREAM_CUTOFF = 4096
#: the FIB's flags word (fEncrypted …) is at 0x0A; a FIB shorter than its end is no FIB
_FIB_FLAGS_AT = 0x0A
_FIB_FLAGS_END = _FIB_FLAGS_AT + 2
#: DIFAT sectors followed at most: a damaged file's chain may loop; 1000 of them address
#: more sectors than any input within the size limit holds
_MAX_DIFAT_SECTORS = 1000


class OleFile:
    """Just enough of the Compound File Binary format to list stream names
    and read the first sector of a stream. Damaged input yields no streams."""

    def __init__(self, data: bytes):
        self.data = data
        self.streams: dict[str, tuple[int, int]] = {}  # name -> (start sector, size)
        self.sector_size = 512
        try:
            self._parse()
        except (struct.error, IndexError, ValueError):
            self.streams = {}

    def _parse(self) -> None:
        d = self.data
        if d[:len(OLE_MAGIC)] != OLE_MAGIC or len(d) < _HEADER_BYTES:
            return
        shift = struct.unpack_from("<H", d, 0x1E)[0]
        if shift not in (9, 12):
            return
        self.sector_size = ss = 1 << shift
        n_fat = struct.unpack_from("<I", d, 0x2C)[0]
        dir_start = struct.unpack_from("<I", d, 0x30)[0]
        difat = list(struct.unpack_from("<109I", d, 0x4C))
        next_difat = struct.unpack_from("<I", d, 0x44)[0]
        guard = 0
        while next_difat not in (_FREE, _END) and guard < _MAX_DIFAT_SECTORS:
            guard += 1
            off = (next_difat + 1) * ss
            vals = struct.unpack_from(f"<{ss // _SECTOR_ID_BYTES}I", d, off)
            difat.extend(vals[:-1])
            next_difat = vals[-1]
        fat: list[int] = []
        for sid in difat[:max(n_fat, 0) or len(difat)]:
            if sid in (_FREE, _END):
                continue
            off = (sid + 1) * ss
            if off + ss > len(d):
                break
            fat.extend(struct.unpack_from(f"<{ss // _SECTOR_ID_BYTES}I", d, off))
        sid, seen = dir_start, set()
        while sid not in (_FREE, _END) and sid not in seen and (sid + 1) * ss < len(d):
            seen.add(sid)
            off = (sid + 1) * ss
            for e in range(ss // _DIR_ENTRY_BYTES):
                entry = d[off + e * _DIR_ENTRY_BYTES: off + (e + 1) * _DIR_ENTRY_BYTES]
                if len(entry) < _DIR_ENTRY_BYTES:
                    break
                name_len = struct.unpack_from("<H", entry, 64)[0]
                kind = entry[66]
                if kind not in (1, 2, 5) or not 2 <= name_len <= _DIR_NAME_BYTES:
                    continue
                name = entry[:name_len - 2].decode("utf-16-le", "replace")
                start = struct.unpack_from("<I", entry, 116)[0]
                size = struct.unpack_from("<I", entry, 120)[0]
                self.streams[name] = (start, size)
            sid = fat[sid] if sid < len(fat) else _END

    def has(self, name: str) -> bool:
        return name in self.streams

    def first_sector(self, name: str) -> Optional[bytes]:
        """The first sector of a stream stored in the main FAT (≥ 4096 bytes)."""
        start, size = self.streams.get(name, (None, 0))
        if start is None or size < _MINI_STREAM_CUTOFF:
            return None
        off = (start + 1) * self.sector_size
        return self.data[off: off + self.sector_size] or None


def is_encrypted_ooxml(ole: OleFile) -> bool:
    """A password-protected DOCX/XLSX is an OLE2 file with these streams."""
    return ole.has("EncryptedPackage") or ole.has("EncryptionInfo")


def is_encrypted_doc(ole: OleFile) -> bool:
    """Binary Word: the FIB's fEncrypted flag (bit 8 of the word at 0x0A)."""
    fib = ole.first_sector("WordDocument")
    if not fib or len(fib) < _FIB_FLAGS_END or struct.unpack_from("<H", fib, 0)[0] != 0xA5EC:
        return False
    return bool(struct.unpack_from("<H", fib, _FIB_FLAGS_AT)[0] & 0x0100)


def find_soffice() -> Optional[str]:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def convert_to_docx(data: bytes, extension: str, name: str = "<bytes>",
                    timeout: Optional[float] = None) -> bytes:
    """Convert a legacy document to DOCX bytes with LibreOffice.

    Runs in a temporary directory with a private LibreOffice profile, so that
    parallel workers never share (and lock) one user installation.
    """
    soffice = find_soffice()
    if soffice is None:
        raise ExtractError(
            "converter_missing",
            f"reading .{extension or 'doc'} files needs LibreOffice to convert them to DOCX; "
            "install LibreOffice (apt-get install libreoffice-writer-nogui) so that "
            "'soffice' is on PATH",
            name,
        )
    if timeout is None:
        timeout = float(os.environ.get("GAIEXTRACT_SOFFICE_TIMEOUT", DEFAULT_TIMEOUT))
    ext = extension if extension in ("doc", "wps", "rtf", "dot", "wpt") else "doc"
    with tempfile.TemporaryDirectory(prefix="gaiextract-lo-") as tmp:
        src = os.path.join(tmp, f"input.{ext}")
        out_dir = os.path.join(tmp, "out")
        os.mkdir(out_dir)
        with open(src, "wb") as fh:
            fh.write(data)
        cmd = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir", out_dir, src]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, cwd=tmp)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ExtractError("timeout", f"LibreOffice did not convert the file within "
                                          f"{timeout:g} s", name) from None
        out = os.path.join(out_dir, "input.docx")
        if proc.returncode != 0 or not os.path.exists(out) or os.path.getsize(out) == 0:
            detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
            raise ExtractError(
                "corrupt",
                f"LibreOffice could not convert this .{ext} file to DOCX"
                + (f" ({detail[-1][:200]})" if detail else ""),
                name,
            )
        with open(out, "rb") as fh:
            return fh.read()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()
