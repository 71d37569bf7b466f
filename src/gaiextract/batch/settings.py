"""The batch's defaults and pacing, in one place (validated when built).

The command line's defaults (``gaiextract batch --timeout`` …) and
:class:`~gaiextract.batch.runner.BatchOptions` both come from ``BATCH``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..limits import require_positive


@dataclass(frozen=True)
class BatchSettings:
    #: seconds allowed per file (``--timeout``)
    timeout_s: float = 120.0
    #: a worker process is recycled after this many files, bounding memory growth
    #: (``--max-tasks-per-child``)
    max_tasks_per_child: int = 100
    #: reports per database transaction (``--db-batch-size``)
    db_batch_size: int = 100
    #: the sinks are flushed at least this often (seconds)
    flush_interval_s: float = 2.0
    #: how long the loop waits for a finished document while the executor is full (seconds);
    #: also the executors' ``poll`` default
    poll_wait_s: float = 0.5
    #: beyond the worker's own alarm (the per-file timeout), the parent waits the larger of
    #: this many seconds and ``hard_deadline_share`` of the timeout before it kills a worker
    #: that does not answer (a C call that ignores signals)
    hard_deadline_min_s: float = 3.0
    hard_deadline_share: float = 0.5
    #: the progress bar's rate smoothing (tqdm: near 0 averages the whole run, 1 is the last step)
    progress_smoothing: float = 0.05

    def __post_init__(self) -> None:
        require_positive(self)


BATCH = BatchSettings()
