"""JSON Lines: one record (report or error) per line, one line per file.

The file agrees with the database (an upsert): a run without ``--resume`` converts
every file again and its record *replaces* the line an earlier run wrote for the
same file. Records are appended as they come (a killed run loses nothing finished);
when the run ends, if it wrote records for files the file already held, the file is
compacted — rewritten under a temporary name keeping only the last line per file,
then renamed over the old one (same permissions). A run
killed before it could compact leaves the older line before the newer one; readers
(:func:`gaiextract.load_jsonl`, ``export``, ``series``) take the last, and the next
run compacts. Keys are read back without parsing whole reports (the content hash is
found by pattern in each compact line); a last line cut short by a killed run is
removed first. ``-`` is standard output (nothing to resume from or compact).
"""
from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

from . import Sink, record_key

_SHA = re.compile(rb'"sha256":"([0-9a-f]{64})"')
_PATH = re.compile(rb'"path":("(?:[^"\\]|\\.)*")')
_ERROR = b'"schema":"gaiextract.error/1"'


def dumps(record: dict[str, Any]) -> str:
    """One compact line (the format resume relies on)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def line_key(line: bytes):
    """The record key of one JSONL line, or None if it is not a record."""
    m = _SHA.search(line)
    if m:
        return m.group(1).decode()
    m = _PATH.search(line)
    if m:
        try:
            return "path:" + json.loads(m.group(1))
        except ValueError:
            return None
    return None


class JsonlSink(Sink):
    name = "jsonl"

    def __init__(self, path, flush_every: int = 50):
        super().__init__()
        self.path = os.fspath(path)
        self.flush_every = flush_every
        self._fh = None
        self._pending = 0
        self.repaired_bytes = 0
        self._stdout = False
        #: keys the file held when it was opened, and whether a line now repeats one
        self._held: set[str] = set()
        self._repeated = False
        #: lines dropped by the last compaction (older records of files written again)
        self.replaced_lines = 0

    def open(self, resume: bool) -> None:
        if self.path == "-":
            self._fh = sys.stdout.buffer  # flushed, never closed
            self._stdout = True
            return
        parent = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(parent, exist_ok=True)
        if os.path.exists(self.path):
            self._repair_and_load(resume)
        self._fh = open(self.path, "ab")

    def _repair_and_load(self, resume: bool) -> None:
        """Drop a partial last line (killed mid-write); collect the keys the file holds
        (with ``resume`` they count as done)."""
        with open(self.path, "r+b") as fh:
            data = fh.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                self.repaired_bytes = len(data) - end
                fh.truncate(end)
        for line in data[:end].splitlines():
            key = line_key(line)
            if key:
                if key in self._held:
                    self._repeated = True  # an earlier run was killed before compacting
                self._held.add(key)
                if not resume:
                    continue
                self.done.add(key)
                if _ERROR in line:
                    self.errored.add(key)
                else:
                    self.errored.discard(key)  # a later report line replaces an earlier error

    def write(self, record: dict[str, Any]) -> None:
        key = record_key(record)
        if key in self.done and key not in self.errored:
            return
        self.errored.discard(key)
        if key in self._held:
            self._repeated = True  # the older line goes when the file is compacted
        self._fh.write((dumps(record) + "\n").encode("utf-8"))
        self._fh.flush()  # to the OS at once: a killed process loses no finished record
        self.done.add(key)
        self._pending += 1
        if self._pending >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        if self._fh and self._pending:
            self._fh.flush()
            if not self._stdout:
                os.fsync(self._fh.fileno())
            self._pending = 0

    def close(self) -> None:
        if self._fh:
            self.flush()
            if self._stdout:
                self._fh.flush()
            else:
                self._fh.close()
            self._fh = None
            if self._repeated and not self._stdout:
                self.compact()

    def compact(self) -> int:
        """Keep one line per file, the last one (the others are older records of a file
        written again); returns the number of lines dropped. Two streaming passes (memory
        holds keys, not records); written to a temporary file beside this one and renamed
        over it, so a failure leaves the file as it was."""
        from ..clikit import temp_beside
        last: dict[str, int] = {}
        with open(self.path, "rb") as fh:
            for i, line in enumerate(fh):
                key = line_key(line)
                if key:
                    last[key] = i
        fd, tmp = temp_beside(self.path, prefix=".gaiextract-jsonl-")
        dropped = 0
        try:
            with os.fdopen(fd, "wb") as out, open(self.path, "rb") as src:
                for i, line in enumerate(src):
                    key = line_key(line)
                    if key is None or last[key] == i:  # not a record: left as it is
                        out.write(line)
                    else:
                        dropped += 1
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.replaced_lines = dropped
        self._repeated = False
        return dropped
