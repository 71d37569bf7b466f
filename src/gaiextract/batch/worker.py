"""The per-file function every executor runs: bytes in, one record out.

It never raises. A readable report becomes a *report record* (the canonical JSON
dict); anything else becomes an *error record* ``{path, sha256, code, message}``:
an :class:`~gaiextract.errors.ExtractError` keeps its code, running past the
time limit gives ``timeout``, and any other exception (a bug) ``internal_error``.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from ..errors import ExtractError, error_info
from ..sinks import ERROR_SCHEMA, is_error  # noqa: F401 - re-exported


class _TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that a broad ``except Exception``
    inside a reader cannot swallow it and turn it into a wrong code."""


def error_record(path: str, sha256: str | None, code: str, message: str) -> dict[str, Any]:
    """The error record, as written to every sink."""
    return {"schema": ERROR_SCHEMA,
            "source": {"path": path, "sha256": sha256},
            "error": error_info(code, message)}


def init_worker(plugins: tuple[str, ...] = (), batch_pid: int | None = None) -> None:
    """Pool initializer: Ctrl-C is the parent's business; load reader plug-ins;
    exit when the batch process is gone (see :func:`_watch_parent`)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread (e.g. a Dask worker thread)
        pass
    if batch_pid:
        threading.Thread(target=_watch_parent, args=(batch_pid,), daemon=True,
                         name="gaiextract-parent-watch").start()
    load_plugins(plugins)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc: trust kill(0)


def _watch_parent(pid: int, every: float = 1.0) -> None:
    """A worker whose batch process was killed (SIGKILL) would wait for work
    forever, and keep the fork server alive; leave instead."""
    while True:
        time.sleep(every)
        if not _alive(pid):
            os._exit(0)


def load_plugins(plugins) -> None:
    """Import modules that register extra readers (``--plugin``)."""
    for name in plugins or ():
        importlib.import_module(name)


def _alarm(_signum: int, _frame: object) -> None:
    raise _TimeLimit()


def guarded(label: str, sha256: str, timeout: float | None,
            work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``work()`` under a wall-clock limit (SIGALRM, where this is the main thread): its
    result, or this document's error record — ``timeout``, the ``ExtractError``'s code,
    or ``internal_error`` for a bug or memory exhaustion (the worker goes on). Shared by
    the batch worker (:func:`convert`) and the HTTP service's inspect worker."""
    use_alarm = bool(timeout) and threading.current_thread() is threading.main_thread()
    old = None
    try:
        if use_alarm:
            old = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, float(timeout))
        try:
            return work()
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeLimit:
        return error_record(label, sha256, "timeout", f"gave up after {timeout:g} s")
    except ExtractError as exc:
        return error_record(label, sha256, exc.code, exc.message)
    except MemoryError:
        return error_record(label, sha256, "internal_error", "out of memory")
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        return error_record(label, sha256, "internal_error", f"{type(exc).__name__}: {exc}{where}")
    finally:
        if use_alarm and old is not None:
            signal.signal(signal.SIGALRM, old)


def convert(label: str, data: bytes, timeout: float | None = None, plugins: tuple[str, ...] = (),
            options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Convert one document; always returns a record (see module docstring).

    ``options`` are reading options passed on to :func:`gaiextract.extract`."""
    sha256 = hashlib.sha256(data).hexdigest()
    if plugins:
        load_plugins(plugins)  # a no-op after the first time (import cache)

    def work() -> dict[str, Any]:
        from ..pipeline import extract

        report = extract(data, name=label, **(options or {}))
        record = report.to_dict()
        # a record every sink can store, or this file's error (never a sink failure later)
        json.dumps(record, ensure_ascii=False, allow_nan=False)
        return record

    record = guarded(label, sha256, timeout, work)
    if is_error(record):
        return record
    src = record.setdefault("source", {})
    src["path"] = label
    src.setdefault("sha256", sha256)
    return record
