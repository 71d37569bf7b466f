"""Documents are read in worker processes, shared by requests and jobs.

One :class:`WorkPool` per server: the batch runner's process pool
(:class:`~gaiextract.batch.executors.LocalExecutor` — its time limit, its hard
deadline that kills a worker stuck in C code, its isolation of a file that kills
its worker) driven by one dispatcher thread. Requests and jobs hand it
:class:`Task` objects and get a :class:`concurrent.futures.Future` back, which the
event loop awaits without blocking: a slow PDF occupies one worker, never the
server. This module is imported by the workers too, so it does not import the
web framework.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..batch.executors import LocalExecutor
from ..batch.settings import BATCH
from ..batch.worker import convert, error_record, guarded

#: how long the dispatcher waits for a result before it looks for new tasks (seconds)
POLL_S = 0.02
#: how long it sleeps when nothing is in flight (seconds)
IDLE_S = 0.5

EXTRACT = "extract"
INSPECT = "inspect"


@dataclass(eq=False)
class Task:
    """One document to read: the shape of a batch ``Item`` plus what to do with it."""

    label: str
    data: bytes
    sha256: str = ""
    #: reading options for :func:`gaiextract.extract` (``ocr``, ``grammar``)
    options: dict[str, Any] = field(default_factory=dict)
    kind: str = EXTRACT

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.data).hexdigest()


def canonical_json(record: dict[str, Any]) -> str:
    """What ``gaiextract extract FILE`` prints for one report: the record of
    :func:`~gaiextract.batch.worker.convert` is ``Report.to_dict()``, written as
    ``Report.to_json()`` writes it (indent 1), plus the newline the CLI adds."""
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def inspect_page(label: str, data: bytes, timeout: float | None = None, plugins: tuple[str, ...] = (),
                 options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The inspect page of one document as ``{"html": ...}``, or its error record
    (the worker-side twin of :func:`~gaiextract.batch.worker.convert`, under the same
    time limit and error handling: :func:`~gaiextract.batch.worker.guarded`)."""
    from ..inspect_view import inspect
    from ..source import Source, ocr_mode

    opts = dict(options or {})

    def work() -> dict[str, Any]:
        src = Source(data=data, name=label, format_hint=opts.get("format"), ocr=ocr_mode(opts.get("ocr")))
        return {"html": inspect(src)}

    return guarded(label, hashlib.sha256(data).hexdigest(), timeout, work)


class _Executor(LocalExecutor):
    """The batch pool, with each task's own reading options and kind (extract or inspect),
    through the executor's public hook :meth:`LocalExecutor.job`."""

    def job(self, item: Any) -> tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]:
        task_options = getattr(item, "options", None) or {}
        fn = inspect_page if getattr(item, "kind", EXTRACT) == INSPECT else convert
        return fn, (item.label, item.data, self.timeout, self.plugins, {**self.options, **task_options})


class WorkPool:
    """Worker processes behind a dispatcher thread; :meth:`submit` is thread-safe."""

    def __init__(self, workers: int, timeout: float | None, options: dict[str, Any] | None = None,
                 max_tasks_per_child: int | None = 100):
        self.workers = workers
        self.executor = _Executor(workers=workers, timeout=timeout, max_tasks_per_child=max_tasks_per_child,
                                  options=options)
        self._incoming: queue.SimpleQueue[tuple[Task, cf.Future[dict[str, Any]]]] = queue.SimpleQueue()
        self._futures: dict[int, tuple[Task, cf.Future[dict[str, Any]]]] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True, name="gaiextract-serve-pool")
        self._thread.start()

    def submit(self, task: Task) -> cf.Future[dict[str, Any]]:
        fut: cf.Future[dict[str, Any]] = cf.Future()
        if self._stop.is_set():
            fut.set_result(error_record(task.label, task.sha256, "internal_error", "the server is shutting down"))
            return fut
        self._incoming.put((task, fut))
        return fut

    def in_flight(self) -> int:
        """Tasks handed over and not answered yet."""
        return len(self._futures) + self._incoming.qsize()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Take no more tasks (jobs see :attr:`stopping` and stop where they are)."""
        self._stop.set()

    def close(self) -> None:
        """Stop the dispatcher and kill the workers; unanswered tasks get an error record."""
        self._stop.set()
        self._thread.join(timeout=10)
        self.executor.close(kill=True)
        leftover = list(self._futures.values())
        while True:
            try:
                leftover.append(self._incoming.get_nowait())
            except queue.Empty:
                break
        for task, fut in leftover:
            _resolve(fut, error_record(task.label, task.sha256, "internal_error", "the server is shutting down"))
        self._futures.clear()

    # -- the dispatcher thread -------------------------------------------------
    def _run(self) -> None:
        ex = self.executor
        while not self._stop.is_set():
            try:
                if ex.pending():
                    self._take(block=False)
                    done = ex.poll(POLL_S)
                else:
                    self._take(block=True)
                    done = []
            except Exception as exc:  # never leave a request waiting for ever
                self._fail_all(f"{type(exc).__name__}: {exc}")
                continue
            for item, record in done:
                task, fut = self._futures.pop(id(item), (None, None))
                if fut is not None:
                    _resolve(fut, record)

    def _take(self, block: bool) -> None:
        try:
            got = [self._incoming.get(timeout=IDLE_S) if block else self._incoming.get_nowait()]
        except queue.Empty:
            return
        while True:
            try:
                got.append(self._incoming.get_nowait())
            except queue.Empty:
                break
        for task, fut in got:
            if fut.cancelled():  # the client went away before it started
                continue
            self._futures[id(task)] = (task, fut)
            self.executor.submit(task)

    def _fail_all(self, why: str) -> None:
        for task, fut in list(self._futures.values()):
            _resolve(fut, error_record(task.label, task.sha256, "internal_error", why))
        self._futures.clear()
        try:
            self.executor.close(kill=True)
        except Exception:
            pass
        self.executor.pool = None  # the next submit builds a new pool
        self.executor.inflight.clear()
        self.executor.retry.clear()
        self.executor.suspects.clear()


def _resolve(fut: cf.Future[dict[str, Any]], record: dict[str, Any]) -> None:
    try:
        fut.set_result(record)
    except cf.InvalidStateError:  # cancelled meanwhile: nobody is waiting
        pass


class JobExecutor:
    """The executor interface ``run_batch`` drives, backed by the shared pool: a job's
    documents queue with the requests' and at most ``capacity`` of them at a time."""

    def __init__(self, pool: WorkPool, options: dict[str, Any] | None = None, capacity: int | None = None):
        self.pool = pool
        self.options = dict(options or {})
        self._capacity = capacity or pool.workers
        self._futures: dict[cf.Future[dict[str, Any]], Any] = {}

    @property
    def capacity(self) -> int:
        return self._capacity

    def pending(self) -> int:
        return len(self._futures)

    def submit(self, item) -> None:
        task = Task(item.label, item.data, item.sha256, self.options)
        self._futures[self.pool.submit(task)] = item

    def poll(self, wait_s: float = BATCH.poll_wait_s) -> list[tuple[Any, dict[str, Any]]]:
        if not self._futures:
            return []
        done, _ = cf.wait(list(self._futures), timeout=wait_s, return_when=cf.FIRST_COMPLETED)
        if self.pool.stopping:  # run_batch stops cleanly on this; nothing half-done is recorded
            raise KeyboardInterrupt
        return [(self._futures.pop(f), f.result()) for f in done]

    def close(self, kill: bool = False) -> None:
        for f in self._futures:
            f.cancel()
        self._futures.clear()
