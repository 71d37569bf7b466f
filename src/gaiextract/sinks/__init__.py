"""Where batch results go: JSONL, one JSON file per report, or a SQL database.

Every sink takes the same two kinds of record (see :mod:`gaiextract.batch.worker`):
the canonical report dict and the error record. Every sink is idempotent: it
keeps at most one record per file (keyed by the content's sha256, or by the
path when the bytes could not even be read), so re-running never duplicates.
"""
from __future__ import annotations

from typing import Any

ERROR_SCHEMA = "gaiextract.error/1"


def is_error(record: dict[str, Any]) -> bool:
    return record.get("schema") == ERROR_SCHEMA


def record_key(record: dict[str, Any]) -> str:
    """The identity of a record: its content hash, else ``path:<label>``."""
    src = record.get("source") or {}
    sha = src.get("sha256")
    return sha if sha else "path:" + str(src.get("path"))


def item_key(sha256: str | None, label: str) -> str:
    return sha256 if sha256 else "path:" + label


class Sink:
    """Interface of a sink.

    ``open(resume)`` prepares the target; with ``resume`` it keeps what is there
    and fills :attr:`done` with the keys already written. ``write`` may buffer;
    ``flush`` makes everything written so far durable; ``close`` flushes.
    """

    name = "sink"

    def __init__(self):
        self.done: set[str] = set()
        #: keys whose stored record is an error record (``--retry-errors`` converts them again)
        self.errored: set[str] = set()

    def open(self, resume: bool) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def write(self, record: dict[str, Any]) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def has(self, key: str) -> bool:
        """Was a record with this key written (now or by an earlier run)?"""
        return key in self.done

    def has_error(self, key: str) -> bool:
        """Is the record an earlier run stored for this key an error record?"""
        return key in self.errored

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.flush()
