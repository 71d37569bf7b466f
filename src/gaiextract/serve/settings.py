"""Every size, count and time of ``gaiextract serve`` in one place.

The defaults suit one person's laptop or a small office server: a few workers,
a queue of a few requests per worker (beyond it ``503 busy``, so a burst is
refused at once instead of piling up memory), each document held to a time limit
(60 s, half of ``batch``'s: here a caller is waiting), uploads to the library's input limit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..batch.settings import BATCH
from ..limits import DEFAULT_LIMITS, require_positive
from ..source import OCR_MODES

#: the largest TCP port number (ports are 16-bit, 0 is none)
MAX_PORT = 65535


@dataclass(frozen=True)
class ServeSettings:
    #: address to bind; the loopback address unless told otherwise
    host: str = "127.0.0.1"
    port: int = 8000
    #: extraction worker processes (0: one per CPU)
    workers: int = 0
    #: documents (requests and jobs' documents) accepted at once, running or waiting,
    #: per worker; one more is answered ``503 busy``
    in_flight_per_worker: int = 4
    #: ... or this many in all (0: per worker)
    max_in_flight: int = 0
    #: seconds one document may take in a worker (``timeout`` error beyond)
    timeout: float = 60.0
    #: largest upload (one request body), bytes: the library's input limit
    max_upload_bytes: int = DEFAULT_LIMITS.max_input_bytes
    #: largest job upload (an archive or several files together), bytes
    max_job_bytes: int = 2 * 1024 ** 3
    #: files one job upload may carry (parts of a multipart body)
    max_job_files: int = 1000
    #: jobs accepted and not finished (queued or running); one more is ``503 busy``
    max_open_jobs: int = 16
    #: jobs that run at the same time (they share the workers with the requests)
    job_runners: int = 1
    #: seconds an upload may send nothing before it is cut off (``bad_request``): a stalled
    #: upload holds a place among the documents in flight
    upload_idle_s: float = 30.0
    #: a bearer token every /v1/ request must carry (None: no token asked)
    token: str | None = None
    #: origins allowed to call the API from a browser (CORS); none unless asked for
    cors_origins: tuple[str, ...] = ()
    #: a batch database (SQLAlchemy URL or SQLite path) jobs also write to;
    #: with it, jobs survive a restart
    db: str | None = None
    #: where jobs keep their inputs and results; default: ``<db>.jobs`` beside a SQLite
    #: database, else a private temporary folder removed at shutdown
    jobs_dir: str | None = None
    #: a grammar directory every request is read with (docs/grammar.md)
    grammar: str | None = None
    #: a worker process is replaced after this many documents (memory stays flat)
    max_tasks_per_child: int = BATCH.max_tasks_per_child
    #: reading options a request may set, and their allowed values
    ocr_modes: tuple[str, ...] = OCR_MODES

    def __post_init__(self) -> None:
        for name in ("workers", "max_in_flight"):  # 0: as many as there are cores / no bound
            if getattr(self, name) < 0:
                raise ValueError(f"ServeSettings.{name} must not be negative")
        require_positive(self, skip=("workers", "max_in_flight"), numbers_only=False)
        if not 0 < self.port <= MAX_PORT:
            raise ValueError(f"ServeSettings.port must be 1-{MAX_PORT}")

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1

    @property
    def max_pending(self) -> int:
        return self.max_in_flight or self.worker_count * self.in_flight_per_worker


DEFAULT_SETTINGS = ServeSettings()
