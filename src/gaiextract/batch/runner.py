"""The batch loop: inputs → executor → sinks, with resume, progress and a summary.

The parent reads and hashes every input (that is what makes resume work by
content: a renamed or moved file is still recognised), skips what every sink
already holds (``resume``) and what this run has already seen (duplicates), and
hands the rest to the executor a few at a time. Each finished record goes to
every sink at once; sinks are flushed every few seconds and on the way out,
including on Ctrl-C.
"""
from __future__ import annotations

import collections
import dataclasses
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..sinks import is_error, item_key
from .inputs import ArchiveLimits, InputWalker, Item, Problem, Skip
from .settings import BATCH, BatchSettings
from .worker import error_record, load_plugins

if TYPE_CHECKING:
    import os

    from ..sinks import Sink


@dataclass
class BatchOptions:
    inputs: list[str | os.PathLike[str]]
    workers: int = 0                    # 0: one per CPU
    timeout: float | None = BATCH.timeout_s    # seconds per file; None or 0: no limit
    max_tasks_per_child: int | None = BATCH.max_tasks_per_child
    resume: bool = False
    executor: str = "local"             # local | dask
    scheduler: str | None = None
    progress: bool | None = None     # None: only when stderr is a terminal
    plugins: tuple[str, ...] = ()
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)
    flush_interval: float = BATCH.flush_interval_s
    retry_errors: bool = False          # with resume: convert again what failed last time
    follow_symlinks: bool = False       # follow links that leave the input roots
    verbosity: int = 0                  # -1 quiet, 0 normal, 1 one line per file
    read_options: dict[str, Any] = field(default_factory=dict)  # passed to extract()
    settings: BatchSettings = BATCH     # pacing (poll wait, progress smoothing)
    #: signals that ask the run to stop cleanly (in the main thread; the command line adds SIGTERM)
    stop_signals: tuple[int, ...] = (signal.SIGINT,)


@dataclass
class Summary:
    ok: int = 0
    with_warnings: int = 0
    errors: int = 0
    skipped: int = 0
    resumed: int = 0
    duplicates: int = 0
    #: reports with a ``no_text_layer`` warning (scanned pages left unread)
    no_text_layer: int = 0
    elapsed_s: float = 0.0
    files_per_s: float = 0.0
    interrupted: bool = False
    error_codes: dict[str, int] = field(default_factory=dict)

    @property
    def converted(self) -> int:
        return self.ok + self.with_warnings + self.errors

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["converted"] = self.converted
        return d

    def text(self) -> str:
        codes = ", ".join(f"{k} {v}" for k, v in sorted(self.error_codes.items()))
        lines = [
            f"{self.converted} file{'' if self.converted == 1 else 's'} in {self.elapsed_s:.1f} s "
            f"({self.files_per_s:.1f} files/s)"
            + (" — interrupted" if self.interrupted else ""),
            f"  ok {self.ok}, with warnings {self.with_warnings}, errors {self.errors}"
            + (f" ({codes})" if codes else ""),
            f"  skipped {self.skipped} (not reports), already done {self.resumed}, "
            f"duplicates {self.duplicates}",
        ]
        return "\n".join(lines)


def make_executor(opts: BatchOptions):
    from .executors import DaskExecutor, LocalExecutor
    if opts.executor == "dask":  # no scheduler: a local cluster of opts.workers processes
        return DaskExecutor(opts.scheduler, timeout=opts.timeout, plugins=opts.plugins,
                            workers=opts.workers, options=opts.read_options)
    if opts.executor != "local":
        raise ValueError(f"unknown executor {opts.executor!r}")
    return LocalExecutor(workers=opts.workers, timeout=opts.timeout,
                         max_tasks_per_child=opts.max_tasks_per_child, plugins=opts.plugins,
                         options=opts.read_options)


class _Progress:
    """tqdm on stderr: one step per document (converted, skipped, resumed or duplicate).

    The inputs are counted in a background thread (names only), so the bar starts at
    once and gains its total — and with it rate and ETA — when the count is in.
    """

    def __init__(self, enabled: bool | None, stream, opts: BatchOptions | None = None):
        if enabled is None:
            enabled = hasattr(stream, "isatty") and stream.isatty()
        self.bar = None
        self.total: int | None = None
        if enabled:
            from tqdm import tqdm
            settings = opts.settings if opts is not None else BATCH
            self.bar = tqdm(file=stream, unit="file", dynamic_ncols=True, smoothing=settings.progress_smoothing)
            if opts is not None:
                self._counter = threading.Thread(target=self._count, args=(opts,), daemon=True,
                                                 name="gaiextract-count")
                self._counter.start()

    def _count(self, opts: BatchOptions) -> None:
        from .inputs import count_documents
        try:
            self.total = count_documents(opts.inputs, opts.follow_symlinks)
        except Exception:  # the bar just goes on without a total
            self.total = None

    def update(self, summary: Summary, n: int = 1) -> None:
        if self.bar is not None:
            if self.total is not None and self.bar.total != self.total:
                self.bar.total = max(self.total, self.bar.n + n)
            extra = {"done": summary.resumed} if summary.resumed else {}
            self.bar.set_postfix(ok=summary.ok, warn=summary.with_warnings, err=summary.errors,
                                 **extra, refresh=n == 0)
            self.bar.update(n)

    def write(self, line: str, stream) -> None:
        if self.bar is not None:
            self.bar.write(line, file=stream)
        else:
            print(line, file=stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            if self.total is not None and self.bar.total != self.total:
                self.bar.total = max(self.total, self.bar.n)
                self.bar.refresh()
            self.bar.close()


def run_batch(opts: BatchOptions, sinks: list[Sink], executor=None, stream=None) -> Summary:
    """Convert every input into every sink; return the summary.

    Never raises for a bad input. ``KeyboardInterrupt`` stops the run cleanly:
    files finished so far are written and the summary says ``interrupted``.
    A sink failure (e.g. the database went away) is raised after the other
    sinks were flushed.
    """
    load_plugins(opts.plugins)  # the parent sniffs with the plug-in readers too
    stop = StopRequest(opts.stop_signals)
    ex = None
    finished = False
    try:
        run = _Run(opts, sinks, stream or sys.stderr, stop)
        try:
            ex = executor or make_executor(opts)
            run.ex = ex
            for got in InputWalker(opts.inputs, opts.limits, follow_symlinks=opts.follow_symlinks):
                stop.check()
                run.take(got)
            while ex.pending():
                run.drain(opts.settings.poll_wait_s)
            stop.check()
            finished = True
        except KeyboardInterrupt:
            run.summary.interrupted = True
        finally:
            if ex is not None:
                ex.close(kill=not finished)  # on Ctrl-C or a sink failure, do not wait for workers
            failure = run.close()
    finally:
        stop.restore()
    if failure is not None:
        raise failure
    return run.summary


class StopRequest:
    """A stop signal (Ctrl-C; SIGTERM from the command line) asks the run to stop at its
    next safe point: between two inputs, or between two polls of the executor (each at
    most ``poll_wait_s``).

    The handler only sets a flag. A ``KeyboardInterrupt`` raised wherever the signal
    lands can leave a lock of the process pool held — inside ``concurrent.futures.wait``
    — and the process then hangs at exit (seen in a test run). A second signal stops at
    once. A signal ignored when the run starts (``nohup``, a background job) stays
    ignored; off the main thread (the HTTP service) nothing is installed."""

    def __init__(self, signals: tuple[int, ...]) -> None:
        self.requested = False
        self._old: dict[int, Any] = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for sig in signals:
            if signal.getsignal(sig) is signal.SIG_IGN:
                continue
            self._old[sig] = signal.signal(sig, self._handle)

    def _handle(self, _signum: int, _frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` here, a safe point, if a stop was asked for."""
        if self.requested:
            raise KeyboardInterrupt

    def restore(self) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old.clear()


class _Run:
    """One batch run's state: the sinks and progress every record goes to, what this
    run has seen, and its summary (see :func:`run_batch`)."""

    def __init__(self, opts: BatchOptions, sinks: list[Sink], stream, stop: StopRequest | None = None) -> None:
        self.opts, self.sinks, self.stream = opts, sinks, stream
        self.stop = stop or StopRequest(())
        self.summary = Summary()
        self.started = time.monotonic()
        for s in sinks:
            s.open(opts.resume)
        self.progress = _Progress(False if opts.verbosity < 0 else opts.progress, stream, opts)
        self.seen: set[str] = set()
        self.codes: collections.Counter[str] = collections.Counter()
        self.last_flush = time.monotonic()
        self.ex = None

    def take(self, got: Item | Problem | Skip) -> None:
        """One input: counted (skipped, already done, duplicate), recorded as an error, or
        submitted to the executor once it has room."""
        summary, opts = self.summary, self.opts
        if isinstance(got, Skip):
            summary.skipped += 1
            if opts.verbosity > 0:
                self.progress.write(f"{got.label}: skipped, {got.reason}", self.stream)
            self.progress.update(summary)
            return
        key = item_key(got.sha256, got.label)
        if self.done_everywhere(key):
            summary.resumed += 1
            self.progress.update(summary)
            return
        if key in self.seen:
            summary.duplicates += 1
            self.progress.update(summary)
            return
        self.seen.add(key)
        if isinstance(got, Problem):
            self.record(error_record(got.label, got.sha256, got.code, got.message))
            return
        assert isinstance(got, Item)
        while self.ex.pending() >= self.ex.capacity:
            self.drain(opts.settings.poll_wait_s)
        self.ex.submit(got)
        self.drain(0)

    def done_everywhere(self, key: str) -> bool:
        opts, sinks = self.opts, self.sinks
        if not opts.resume or not all(s.has(key) for s in sinks):
            return False
        return not (opts.retry_errors and any(s.has_error(key) for s in sinks))

    def record(self, rec: dict[str, Any]) -> None:
        """A finished record to every sink, counted in the summary."""
        for s in self.sinks:
            s.write(rec)
        self._count(rec)
        if self.opts.verbosity > 0:
            src = rec.get("source") or {}
            what = (f"error {rec['error']['code']}: {rec['error'].get('message')}" if is_error(rec)
                    else f"ok, {len(rec.get('warnings') or [])} warnings")
            self.progress.write(f"{src.get('path')}: {what}", self.stream)
        self.progress.update(self.summary)

    def _count(self, rec: dict[str, Any]) -> None:
        summary = self.summary
        if is_error(rec):
            summary.errors += 1
            self.codes[rec["error"]["code"]] += 1
        elif rec.get("warnings"):
            summary.with_warnings += 1
            if any(w.get("code") == "no_text_layer" for w in rec["warnings"]):
                summary.no_text_layer += 1
        else:
            summary.ok += 1

    def drain(self, wait_s: float) -> None:
        """Records the executor has finished (waiting up to ``wait_s``); the sinks flushed
        every ``flush_interval`` seconds."""
        self.stop.check()
        for _item, rec in self.ex.poll(wait_s):
            self.record(rec)
        if time.monotonic() - self.last_flush > self.opts.flush_interval:
            for s in self.sinks:
                s.flush()
            self.last_flush = time.monotonic()

    def close(self) -> BaseException | None:
        """Progress and every sink closed (each tried), the summary completed; the first
        sink failure, if any."""
        failure = None
        self.progress.close()
        for s in self.sinks:
            try:
                s.close()
            except Exception as exc:  # keep closing the others, then report
                failure = failure or exc
        summary = self.summary
        summary.elapsed_s = round(time.monotonic() - self.started, 3)
        summary.files_per_s = round(summary.converted / summary.elapsed_s, 2) if summary.elapsed_s else 0.0
        summary.error_codes = dict(self.codes)
        return failure
