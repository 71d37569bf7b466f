"""One JSON file per report in a folder (``--out DIR``).

Names are ``<stem>.<sha256>.json`` — the stem is the source's base name with
unsafe characters replaced, so an archive member called ``../../x`` still lands
inside DIR — and error records go to ``DIR/_errors/``. Files are written to a
temporary name and renamed, so a killed run never leaves half a file; resume
lists the names.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any

from . import Sink, is_error, record_key

_NAME = re.compile(r"\.([0-9a-f]{64}|path-[0-9a-f]{16})\.json$")
_UNSAFE = re.compile(r"[^\w.\-]+")
ERRORS_DIR = "_errors"


#: bytes a file name may have on common file systems (ext4, XFS, APFS, NTFS ≈ 255)
NAME_MAX_BYTES = 255
#: what follows the stem: "." + sha256 (64) + ".json" + ".tmp" while being written
SUFFIX_BYTES = 1 + 64 + len(".json") + len(".tmp")


def file_stem(path: str) -> str:
    """A safe stem from a source label, cut by UTF-8 *bytes* (a CJK character is 3) so
    that stem, hash and suffix fit in one file name."""
    # labels use "/" (archive members' backslashes are normalised when read); a backslash
    # left in a label is part of a name (e.g. an escaped byte of a non-UTF-8 name)
    base = os.path.basename(str(path).replace("!", "/").rstrip("/")) or "report"
    stem = _UNSAFE.sub("_", base).strip("._") or "report"
    budget = NAME_MAX_BYTES - SUFFIX_BYTES
    raw = stem.encode("utf-8", "replace")
    if len(raw) > budget:
        stem = raw[:budget].decode("utf-8", "ignore").rstrip("._") or "report"
    return stem


def _key_part(key: str) -> str:
    if key.startswith("path:"):
        return "path-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return key


class DirSink(Sink):
    name = "dir"

    def __init__(self, directory, indent: int = 1):
        super().__init__()
        self.dir = os.fspath(directory)
        self.indent = indent
        self._where: dict[str, list[str]] = {}  # key part -> existing file path

    def open(self, resume: bool) -> None:
        os.makedirs(os.path.join(self.dir, ERRORS_DIR), exist_ok=True)
        for sub in (self.dir, os.path.join(self.dir, ERRORS_DIR)):
            for name in os.listdir(sub):
                m = _NAME.search(name)
                if m:
                    self._where.setdefault(m.group(1), []).append(os.path.join(sub, name))
                elif name.endswith(".tmp"):
                    os.unlink(os.path.join(sub, name))  # left by a killed run
        errored = set()
        for name in os.listdir(os.path.join(self.dir, ERRORS_DIR)):
            m = _NAME.search(name)
            if m and not m.group(1).startswith("path-"):
                errored.add(m.group(1))
        if resume:
            self.errored = errored - {k for k, paths in self._where.items()
                                      if any(os.path.dirname(p) == self.dir for p in paths)}
            self.done = {k for k in self._where if not k.startswith("path-")}
            # path-keyed errors: the key is hashed in the name, so keep the hashed form
            self._path_done = {k for k in self._where if k.startswith("path-")}
        else:
            self._path_done = set()

    def has(self, key: str) -> bool:
        return key in self.done or _key_part(key) in self._path_done

    def has_error(self, key: str) -> bool:
        if key.startswith("path:"):  # only error records are keyed by path
            return _key_part(key) in self._path_done
        return key in self.errored

    def write(self, record: dict[str, Any]) -> None:
        key = record_key(record)
        part = _key_part(key)
        sub = os.path.join(self.dir, ERRORS_DIR) if is_error(record) else self.dir
        target = os.path.join(sub, f"{file_stem(record.get('source', {}).get('path'))}.{part}.json")
        tmp = target + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False, indent=self.indent or None)
            fh.write("\n")
        os.replace(tmp, target)
        for old in self._where.get(part, []):  # a previous result for the same file
            if old != target and os.path.exists(old):
                os.unlink(old)
        self._where[part] = [target]
        if key.startswith("path:"):
            self._path_done.add(part)
        else:
            self.done.add(key)
