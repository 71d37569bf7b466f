"""JSON Lines: one record (report or error) per line, appended.

Resume reads the keys back without parsing whole reports (the content hash is
found by pattern in each compact line) and repairs a last line cut short by a
killed run, so a crash never leaves a broken file or a duplicate behind.
"""
from __future__ import annotations

import json
import os
import re

from . import Sink, record_key

_SHA = re.compile(rb'"sha256":"([0-9a-f]{64})"')
_PATH = re.compile(rb'"path":("(?:[^"\\]|\\.)*")')


def dumps(record: dict) -> str:
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

    def open(self, resume: bool) -> None:
        parent = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(parent, exist_ok=True)
        if resume and os.path.exists(self.path):
            self._repair_and_load()
            self._fh = open(self.path, "ab")
        else:
            self._fh = open(self.path, "wb")

    def _repair_and_load(self) -> None:
        """Drop a partial last line (killed mid-write) and collect the keys."""
        with open(self.path, "r+b") as fh:
            data = fh.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                self.repaired_bytes = len(data) - end
                fh.truncate(end)
        for line in data[:end].splitlines():
            key = line_key(line)
            if key:
                self.done.add(key)

    def write(self, record: dict) -> None:
        key = record_key(record)
        if key in self.done:
            return
        self._fh.write((dumps(record) + "\n").encode("utf-8"))
        self._fh.flush()  # to the OS at once: a killed process loses no finished record
        self.done.add(key)
        self._pending += 1
        if self._pending >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        if self._fh and self._pending:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._pending = 0

    def close(self) -> None:
        if self._fh:
            self.flush()
            self._fh.close()
            self._fh = None
