"""Batch jobs over HTTP: uploaded files or archives → ``run_batch`` → JSONL (and ``--db``).

A job is a folder: ``inputs/`` (the uploads, under their cleaned names), ``job.json``
(its state) and ``results.jsonl`` (one record per document, the JSONL sink's
format). The batch runner does the work — archives, hostile members, resume —
with the server's shared worker pool as its executor, so a job and the extract
requests share the workers. With a database (or a ``--jobs-dir``) the folders
outlive the server: a job that was queued or running when the server stopped is
resumed at the next start, as ``gaiextract batch --resume`` would, and its
results so far are kept. Inputs are deleted when the job is finished.
"""
from __future__ import annotations

import json
import os
import queue
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..batch import BatchOptions, run_batch
from ..batch.inputs import count_documents
from ..sinks import Sink, is_error
from ..sinks.jsonl import JsonlSink
from .work import JobExecutor, WorkPool

JOB_ID = re.compile(r"^[0-9a-f]{32}$")
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
OPEN_STATES = (QUEUED, RUNNING)
#: seconds between looks at a running job's results file while it is streamed
FOLLOW_S = 0.2


@dataclass
class Job:
    id: str
    folder: str
    state: str = QUEUED
    created: float = field(default_factory=time.time)
    files: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    total: int | None = None
    ok: int = 0
    with_warnings: int = 0
    errors: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    error: str | None = None
    resumed: bool = False

    @property
    def inputs(self) -> str:
        return os.path.join(self.folder, "inputs")

    @property
    def results(self) -> str:
        return os.path.join(self.folder, "results.jsonl")

    @property
    def done(self) -> int:
        return self.ok + self.with_warnings + self.errors

    def count(self, record: dict[str, Any]) -> None:
        if is_error(record):
            self.errors += 1
            code = record["error"]["code"]
            self.error_codes[code] = self.error_codes.get(code, 0) + 1
        elif record.get("warnings"):
            self.with_warnings += 1
        else:
            self.ok += 1

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "created": self.created, "files": len(self.files),
                "total": self.total, "done": self.done, "ok": self.ok, "with_warnings": self.with_warnings,
                "errors": self.errors, "error_codes": dict(self.error_codes), "summary": self.summary,
                "error": self.error, "results": f"/v1/jobs/{self.id}/results"}

    def save(self) -> None:
        state = {"id": self.id, "state": self.state, "created": self.created, "files": self.files,
                 "options": self.options, "total": self.total, "summary": self.summary, "error": self.error}
        tmp = os.path.join(self.folder, "job.json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False)
        os.replace(tmp, os.path.join(self.folder, "job.json"))

    @classmethod
    def load(cls, folder: str) -> Job:
        with open(os.path.join(folder, "job.json"), encoding="utf-8") as fh:
            d = json.load(fh)
        job = cls(id=d["id"], folder=folder, state=d["state"], created=d["created"], files=d["files"],
                  options=d.get("options") or {}, total=d.get("total"), summary=d.get("summary"),
                  error=d.get("error"))
        job.recount()
        return job

    def recount(self) -> None:
        """Counts from the results file (after a restart)."""
        self.ok = self.with_warnings = self.errors = 0
        self.error_codes = {}
        if not os.path.exists(self.results):
            return
        with open(self.results, "rb") as fh:
            for line in fh:
                if line.endswith(b"\n"):
                    try:
                        self.count(json.loads(line))
                    except ValueError:
                        continue


class _Relabelled(Sink):
    """A sink seen through a job: labels relative to the job's inputs (``a.zip!/x.pdf``
    rather than the server's folder), and every record counted for the job's progress."""

    def __init__(self, inner: Sink, prefix: str, job: Job | None = None):
        super().__init__()
        self.inner = inner
        self.prefix = prefix
        self.job = job
        self.name = inner.name

    def _key(self, key: str) -> str:
        if key.startswith("path:" + self.prefix):
            return "path:" + key[len("path:" + self.prefix):]
        return key

    def open(self, resume: bool) -> None:
        self.inner.open(resume)

    def write(self, record: dict[str, Any]) -> None:
        src = record.get("source") or {}
        path = src.get("path")
        if isinstance(path, str) and path.startswith(self.prefix):
            record = {**record, "source": {**src, "path": path[len(self.prefix):]}}
        self.inner.write(record)
        if self.job is not None:
            self.job.count(record)

    def has(self, key: str) -> bool:
        return self.inner.has(self._key(key))

    def has_error(self, key: str) -> bool:
        return self.inner.has_error(self._key(key))

    def flush(self) -> None:
        self.inner.flush()

    def close(self) -> None:
        self.inner.close()


def _place(folder: str, name: str | None, index: int) -> str:
    """A path in ``folder`` for an uploaded file: its own name, or a numbered
    sub-folder when the name is taken (labels stay readable, nothing is replaced)."""
    name = name or f"upload-{index + 1}"
    path = os.path.join(folder, name)
    if os.path.exists(path):
        sub = os.path.join(folder, str(index + 1))
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, name)
    return path


class JobManager:
    """Jobs in a folder, run one after another (``runners`` at a time) on the shared pool."""

    def __init__(self, root: str, pool: WorkPool, db: str | None = None, runners: int = 1,
                 read_options: dict[str, Any] | None = None, persistent: bool = False):
        self.root = root
        self.pool = pool
        self.db = db
        self.read_options = dict(read_options or {})
        self.persistent = persistent
        self.jobs: dict[str, Job] = {}
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        os.makedirs(root, mode=0o700, exist_ok=True)
        if persistent:
            self._reload()
        self._threads = [threading.Thread(target=self._run, daemon=True, name=f"gaiextract-serve-job-{i}")
                         for i in range(runners)]
        for t in self._threads:
            t.start()

    def _reload(self) -> None:
        for name in sorted(os.listdir(self.root)):
            folder = os.path.join(self.root, name)
            if not JOB_ID.match(name) or not os.path.exists(os.path.join(folder, "job.json")):
                continue
            try:
                job = Job.load(folder)
            except (OSError, ValueError, KeyError):
                continue
            self.jobs[job.id] = job
            if job.state in OPEN_STATES:
                job.state = QUEUED
                job.resumed = True
                self._queue.put(job.id)

    def open_jobs(self) -> int:
        return sum(1 for j in self.jobs.values() if j.state in OPEN_STATES)

    def new_folder(self) -> tuple[str, str]:
        job_id = uuid.uuid4().hex
        folder = os.path.join(self.root, job_id)
        os.makedirs(os.path.join(folder, "incoming"), mode=0o700)
        return job_id, folder

    def add(self, job_id: str, folder: str, uploads: list[tuple[str, str | None]],
            options: dict[str, Any]) -> Job:
        """Register a job whose uploads (``(temporary path, client's name)``) are in its folder."""
        job = Job(id=job_id, folder=folder, options={**self.read_options, **options})
        os.makedirs(job.inputs, mode=0o700)
        for i, (path, name) in enumerate(uploads):
            target = _place(job.inputs, name, i)
            os.replace(path, target)
            job.files.append(os.path.relpath(target, job.inputs))
        shutil.rmtree(os.path.join(folder, "incoming"), ignore_errors=True)
        job.save()
        with self._lock:
            self.jobs[job.id] = job
        self._queue.put(job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id) if JOB_ID.match(job_id) else None

    def delete(self, job_id: str) -> bool:
        job = self.get(job_id)
        if job is None or job.state in OPEN_STATES:
            return False
        with self._lock:
            del self.jobs[job_id]
        shutil.rmtree(job.folder, ignore_errors=True)
        return True

    def follow(self, job: Job) -> Iterator[bytes]:
        """The results file's complete lines, following it until the job is finished."""
        pos = 0
        while True:
            finished = job.state not in OPEN_STATES  # read before the file: no line is missed
            chunk = b""
            if os.path.exists(job.results):
                with open(job.results, "rb") as fh:
                    fh.seek(pos)
                    data = fh.read()
                end = data.rfind(b"\n") + 1
                chunk = data[:end]
                pos += end
            if chunk:
                yield chunk
            elif finished:
                return
            else:
                time.sleep(FOLLOW_S)

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        # a running job notices through its executor (the pool answers "shutting down")
        for t in self._threads:
            t.join(timeout=5)

    # -- the runner threads -------------------------------------------------
    def _run(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            job = self.jobs.get(job_id)
            if job is None:
                continue
            self._execute(job)

    def _execute(self, job: Job) -> None:
        job.state = RUNNING
        job.save()
        inputs = [os.path.join(job.inputs, f) for f in job.files]
        prefix = job.inputs.rstrip(os.sep) + os.sep
        try:
            job.total = count_documents(inputs)
            sinks: list[Sink] = [_Relabelled(JsonlSink(job.results), prefix, job)]
            if self.db:
                from ..sinks.sql import SqlSink
                # identities by the agency rules of the grammar the job's reports are read with
                sinks.append(_Relabelled(SqlSink(self.db, grammar=job.options.get("grammar")), prefix))
            opts = BatchOptions(inputs=inputs, workers=self.pool.workers, resume=job.resumed, progress=False,
                                verbosity=-1, read_options=dict(job.options))
            summary = run_batch(opts, sinks, executor=JobExecutor(self.pool, job.options))
            if summary.interrupted:  # the server is stopping: resumed at the next start
                job.state = QUEUED
            else:
                job.summary = summary.to_dict()
                job.recount()  # the file is the truth (a resumed job counts its earlier records too)
                job.state = DONE
        except Exception as exc:
            job.error = f"{type(exc).__name__}: {exc}"
            job.state = FAILED
        if job.state in (DONE, FAILED):
            shutil.rmtree(job.inputs, ignore_errors=True)
        try:
            job.save()
        except OSError:
            pass
