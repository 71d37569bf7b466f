"""Run :func:`~gaiextract.batch.worker.convert` in parallel, fail-soft.

Both executors share one small interface used by the runner: ``submit(item)``,
``poll(wait_s) -> [(item, record)]``, ``pending()``, ``capacity`` and
``close(kill)``. :meth:`LocalExecutor.job` is the one hook a subclass overrides to
run something other than :func:`~gaiextract.batch.worker.convert` per item (the HTTP
service's inspect tasks) under the same pool, deadlines and retries. Whatever goes wrong with one file — an exception, the time
limit, a worker that hangs in C code or dies — comes back as an error record
for that file and the other files carry on.
"""
from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .settings import BATCH
from .worker import convert, error_record, init_worker

if TYPE_CHECKING:
    from .inputs import Item


def hard_deadline(timeout: float | None) -> float | None:
    """When the parent kills a worker that does not answer: beyond the worker's own alarm
    it waits ``BATCH.hard_deadline_min_s`` or ``hard_deadline_share`` of the timeout,
    whichever is longer (a C call that ignores signals)."""
    if not timeout:
        return None
    return timeout + max(BATCH.hard_deadline_min_s, BATCH.hard_deadline_share * timeout)


def _start_forkserver() -> None:
    """Start the fork server with this process's import path.

    Python 3.11's fork server imports its preload modules before it applies the
    parent's ``sys.path``, so it could preload a *different* installed copy of
    gaiextract than the one running here; passing the path through PYTHONPATH
    makes the workers run the same code as the parent.
    """
    from multiprocessing import forkserver
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [os.path.abspath(p) for p in sys.path if p and os.path.isdir(p)] + ([old] if old else []))
    try:
        forkserver.ensure_running()
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old


class LocalExecutor:
    """A process pool whose workers are recycled after ``max_tasks_per_child`` files.

    At most ``workers`` files are in flight, so a file starts as soon as it is
    submitted and the parent can time it. A file that outlives its hard deadline
    gets a ``timeout`` record and the pool is killed and rebuilt (the other files
    in flight are simply submitted again). When a worker dies, every file that
    was in flight is retried alone, so the one that kills its worker is found
    and recorded as ``internal_error`` without blaming the others.
    """

    def __init__(self, workers: int = 0, timeout: float | None = None,
                 max_tasks_per_child: int | None = 100, plugins: tuple[str, ...] = (),
                 options: dict[str, Any] | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.timeout = timeout
        self.deadline = hard_deadline(timeout)
        self.max_tasks_per_child = max_tasks_per_child or None
        self.plugins = tuple(plugins)
        self.options = dict(options or {})  # reading options passed to extract()
        self.ctx = multiprocessing.get_context("forkserver")
        # workers fork from a server that has the library imported already
        self.ctx.set_forkserver_preload(["gaiextract.batch.worker", "gaiextract.batch.preload",
                                         *self.plugins])
        _start_forkserver()
        self.pool = None
        self.inflight: dict[cf.Future[dict[str, Any]], tuple[Item, float]] = {}   # future -> (item, submitted_at)
        self.retry = collections.deque()     # innocent bystanders of a killed pool
        self.suspects = collections.deque()  # in flight when a worker died: retried alone
        self.restarts = 0

    # -- interface ---------------------------------------------------------
    @property
    def capacity(self) -> int:
        return self.workers

    def pending(self) -> int:
        return len(self.inflight) + len(self.retry) + len(self.suspects)

    def submit(self, item) -> None:
        self.retry.append(item)
        self._fill()

    def poll(self, wait_s: float = BATCH.poll_wait_s) -> list[tuple[Item, dict[str, Any]]]:
        self._fill()
        out = []
        if not self.inflight:
            return out
        done, _ = cf.wait(list(self.inflight), timeout=wait_s, return_when=cf.FIRST_COMPLETED)
        broken = False
        for fut in done:
            item, _t = self.inflight.pop(fut)
            try:
                out.append((item, fut.result()))
                if self.suspects and self.suspects[0] is item:
                    self.suspects.popleft()  # cleared: it was not the culprit
            except cf.process.BrokenProcessPool:
                broken = True
                self._suspect(item, out)
            except Exception as exc:  # e.g. the record could not be pickled
                out.append((item, error_record(item.label, item.sha256, "internal_error",
                                               f"{type(exc).__name__}: {exc}")))
        if broken:
            for _fut, (item, _t) in list(self.inflight.items()):
                self._suspect(item, out)
            self.inflight.clear()
            self._restart()
        out.extend(self._enforce_deadlines())
        self._fill()
        return out

    def close(self, kill: bool = False) -> None:
        if self.pool is None:
            return
        if kill:
            self._kill_pool()
        else:
            self.pool.shutdown(wait=True)
        self.pool = None

    # -- the hook ----------------------------------------------------------
    def job(self, item: Item) -> tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]:
        """What a worker runs for ``item``: a picklable module-level function and its
        arguments, which returns the item's record (an error record on failure).

        The default is :func:`~gaiextract.batch.worker.convert` under the executor's
        time limit with its reading options (plugins are imported by the worker's
        initializer). Override this — and only this — to run another function per item;
        the pool, the hard deadline, the retries and the isolation of a file that kills
        its worker stay the executor's."""
        return convert, (item.label, item.data, self.timeout, (), self.options)

    # -- internals ---------------------------------------------------------
    def _new_pool(self):
        return cf.ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=init_worker,
                                      initargs=(self.plugins, os.getpid()),
                                      max_tasks_per_child=self.max_tasks_per_child)

    def _fill(self) -> None:
        if self.pool is None:
            self.pool = self._new_pool()
        if self.suspects:  # isolate: one at a time, nothing else alongside
            if not self.inflight:
                self._start(self.suspects[0])
            return
        while self.retry and len(self.inflight) < self.workers:
            if not self._start(self.retry[0]):
                return  # the pool broke: the next poll finds out whose file killed it
            self.retry.popleft()

    def _start(self, item) -> bool:
        """Submit ``item``; False when the pool broke since the last poll (a worker died).

        The files in flight then learn it at the next poll, which isolates the culprit;
        with none in flight nobody is to blame, and a new pool takes the file."""
        fn, args = self.job(item)
        try:
            fut = self.pool.submit(fn, *args)
        except cf.process.BrokenProcessPool:
            if self.inflight:
                return False
            self._restart()
            fut = self.pool.submit(fn, *args)
        self.inflight[fut] = (item, time.monotonic())
        return True

    def _suspect(self, item, out) -> None:
        if self.suspects and self.suspects[0] is item:
            self.suspects.popleft()  # it died alone: it is the culprit
            out.append((item, error_record(item.label, item.sha256, "internal_error",
                                           "the worker process died while reading this file")))
        elif item not in self.suspects:
            self.suspects.append(item)

    def _enforce_deadlines(self) -> list[tuple[Item, dict[str, Any]]]:
        if not self.deadline:
            return []
        now = time.monotonic()
        late = [(f, it) for f, (it, t) in self.inflight.items() if now - t > self.deadline]
        if not late:
            return []
        out = []
        for fut, item in late:
            del self.inflight[fut]
            out.append((item, error_record(item.label, item.sha256, "timeout",
                                           f"no answer after {self.deadline:g} s; worker killed")))
            if self.suspects and self.suspects[0] is item:
                self.suspects.popleft()
        for _fut, (item, _t) in self.inflight.items():
            if item not in self.suspects:
                self.retry.appendleft(item)
        self.inflight.clear()
        self._restart()
        return out

    def _kill_pool(self) -> None:
        procs = list((getattr(self.pool, "_processes", None) or {}).values())
        for p in procs:
            try:
                p.kill()
            except Exception:
                pass
        self.pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            p.join(timeout=5)

    def _restart(self) -> None:
        self.restarts += 1
        if self.pool is not None:
            self._kill_pool()
        self.pool = self._new_pool()


class DaskExecutor:
    """The same per-file function on a Dask cluster (``--executor dask``).

    Dask runs tasks in worker threads, where the worker-side alarm is not
    available; the time limit is enforced here, by giving up on the future
    (recorded as ``timeout``) — the worker thread itself cannot be stopped.
    """

    def __init__(self, scheduler: str | None, timeout: float | None = None, plugins: tuple[str, ...] = (),
                 workers: int = 0, options: dict[str, Any] | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise RuntimeError("--executor dask needs the 'dask' extra: "
                               "pip install 'gaiextract[dask]'") from exc
        self.cluster = None
        if scheduler is None:  # as Dask users expect: a local cluster of --workers processes
            import logging
            self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                        processes=True, dashboard_address=None, silence_logs=logging.ERROR)
            scheduler = self.cluster
        self.client = Client(scheduler)  # the default client: distributed.wait needs one
        self.timeout = timeout
        self.plugins = tuple(plugins)
        self.options = dict(options or {})
        threads = sum(self.client.nthreads().values()) or 1
        # no more files than threads, so a file starts when submitted and can be timed
        self._capacity = max(1, workers or threads)
        self.deadline = hard_deadline(timeout)
        self.inflight: dict[Any, tuple[Item, float]] = {}  # dask future -> (item, submitted_at)

    @property
    def capacity(self) -> int:
        return self._capacity

    def pending(self) -> int:
        return len(self.inflight)

    def submit(self, item) -> None:
        fut = self.client.submit(convert, item.label, item.data, self.timeout, self.plugins,
                                 self.options, pure=False)
        self.inflight[fut] = (item, time.monotonic())

    def poll(self, wait_s: float = BATCH.poll_wait_s) -> list[tuple[Item, dict[str, Any]]]:
        from dask.distributed import wait
        out = []
        if not self.inflight:
            return out
        try:
            wait(list(self.inflight), timeout=wait_s, return_when="FIRST_COMPLETED")
        except (TimeoutError, cf.TimeoutError):
            pass
        now = time.monotonic()
        for fut, (item, t) in list(self.inflight.items()):
            if fut.done():
                del self.inflight[fut]
                try:
                    out.append((item, fut.result()))
                except Exception as exc:
                    out.append((item, error_record(item.label, item.sha256, "internal_error",
                                                   f"{type(exc).__name__}: {exc}")))
            elif self.deadline and now - t > self.deadline:
                del self.inflight[fut]
                fut.cancel()
                out.append((item, error_record(item.label, item.sha256, "timeout",
                                               f"no answer after {self.deadline:g} s")))
        return out

    def close(self, kill: bool = False) -> None:
        for fut in list(self.inflight):
            fut.cancel()
        self.inflight.clear()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
