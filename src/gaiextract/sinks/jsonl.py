"""JSON Lines: one record (report or error) per line, always appended.

An existing file is never truncated: a run without ``--resume`` appends its
records after what is there (a file converted again then has a newer line; the
last line per sha256 is the current one). Resume reads the keys back without
parsing whole reports (the content hash is found by pattern in each compact
line) and skips them; a last line cut short by a killed run is removed first, so
a crash never leaves a broken file or a duplicate behind. ``-`` is standard
output (nothing to resume from).
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
        """Drop a partial last line (killed mid-write); with ``resume`` collect the keys."""
        with open(self.path, "r+b") as fh:
            data = fh.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                self.repaired_bytes = len(data) - end
                fh.truncate(end)
        if not resume:
            return
        for line in data[:end].splitlines():
            key = line_key(line)
            if key:
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
