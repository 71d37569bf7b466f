"""The ASGI application of ``gaiextract serve`` (Starlette).

Why Starlette rather than FastAPI: every request body here is a file and every
answer is either the canonical JSON (already specified by the package's JSON
Schema), a JSONL stream or an HTML page. FastAPI's strength — request and
response models in pydantic, an OpenAPI document derived from them — would add
pydantic and produce a second description of the report competing with
``gaiextract/schema/report.schema.json``. Starlette gives the routing, streaming
and lifespan we need; the OpenAPI document (:mod:`.openapi`) embeds the package
schema as it is.
"""
from __future__ import annotations

import asyncio
import hmac
import os
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..batch.inputs import archive_kind_of_file
from ..errors import ERROR_CODES
from ..sinks import is_error
from . import page
from .errors import SERVE_ERROR_CODES, STATUS
from .jobs import JobManager
from .settings import ServeSettings
from .uploads import UploadError, clean_name, receive
from .work import EXTRACT, INSPECT, Task, WorkPool, canonical_json

#: the formats a request may name (those of ``gaiextract extract --format``)
FORMATS = ("pdf", "docx", "html", "txt")
#: parameters a document request may carry (query string or form fields)
DOCUMENT_PARAMS = ("format", "ocr", "filename")
JOB_PARAMS = ("ocr", "filename")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: seconds a client is told to wait after ``503 busy``
RETRY_AFTER_S = 2


def error_response(code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    assert code in ERROR_CODES or code in SERVE_ERROR_CODES, code
    return JSONResponse({"code": code, "message": message}, status_code=STATUS[code], headers=headers)


def busy(message: str) -> JSONResponse:
    return error_response("busy", message, {"Retry-After": str(RETRY_AFTER_S)})


class Guard:
    """Pure ASGI middleware: the Host header (a loopback server answers only to loopback
    names, against DNS rebinding) and the bearer token on every ``/v1/`` request."""

    def __init__(self, app: ASGIApp, token: str | None, loopback: bool):
        self.app = app
        self.token = token.encode() if token else None
        self.loopback = loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            if self.loopback and not _loopback_host(headers.get(b"host", b"").decode("latin-1")):
                await error_response("bad_request", "this server answers to loopback host names only")(scope, receive, send)
                return
            if self.token and scope["path"].startswith("/v1/") and scope["method"] != "OPTIONS":
                given = headers.get(b"authorization", b"")
                if not hmac.compare_digest(given, b"Bearer " + self.token):
                    await error_response("unauthorized", "send the header 'Authorization: Bearer TOKEN'",
                                         {"WWW-Authenticate": "Bearer"})(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _loopback_host(host: str) -> bool:
    if host.startswith("["):
        name = host[1:].split("]", 1)[0]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name.lower() in LOOPBACK_HOSTS or name.startswith("127.")


class Server:
    """The state behind the routes: the worker pool, the jobs, the private folders."""

    def __init__(self, settings: ServeSettings):
        self.settings = settings
        self.pool: WorkPool | None = None
        self.jobs: JobManager | None = None
        self.tmp_root: str | None = None
        self.uploading = 0  # document requests accepted and not yet handed to the pool
        self.read_options: dict[str, Any] = {"grammar": settings.grammar} if settings.grammar else {}

    # -- life -------------------------------------------------------------------
    def start(self) -> None:
        s = self.settings
        self.tmp_root = tempfile.mkdtemp(prefix="gaiextract-serve-")  # mode 0700
        self.pool = WorkPool(s.worker_count, s.timeout, self.read_options, s.max_tasks_per_child)
        jobs_dir, persistent = jobs_folder(s)
        root = jobs_dir or os.path.join(self.tmp_root, "jobs")
        self.jobs = JobManager(root, self.pool, db=s.db, runners=s.job_runners, read_options=self.read_options,
                               persistent=persistent)

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.stop()
        if self.jobs is not None:
            self.jobs.close()
        if self.pool is not None:
            self.pool.close()
        if self.tmp_root:
            shutil.rmtree(self.tmp_root, ignore_errors=True)

    # -- helpers ----------------------------------------------------------------
    def load(self) -> int:
        return self.uploading + (self.pool.in_flight() if self.pool else 0)

    def _params(self, request: Request, fields: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
        params = dict(request.query_params)
        params.update(fields)
        unknown = sorted(set(params) - set(allowed))
        if unknown:
            raise UploadError("bad_request", f"unknown parameter {unknown[0]!r} (known: {', '.join(allowed)})")
        options: dict[str, str] = {}
        if params.get("format"):
            if params["format"] not in FORMATS:
                raise UploadError("bad_request", f"format must be one of {', '.join(FORMATS)}")
            options["format"] = params["format"]
        if params.get("ocr"):
            if params["ocr"] not in self.settings.ocr_modes:
                raise UploadError("bad_request", f"ocr must be one of {', '.join(self.settings.ocr_modes)}")
            options["ocr"] = params["ocr"]
        return options

    # -- routes -----------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        html, csp = page.index()
        return HTMLResponse(html, headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                                           "Referrer-Policy": "no-referrer"})

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "workers": self.settings.worker_count,
                             "in_flight": self.load(), "max_in_flight": self.settings.max_pending,
                             "open_jobs": self.jobs.open_jobs() if self.jobs else 0})

    async def openapi(self, request: Request) -> Response:
        from .openapi import spec
        return JSONResponse(spec())

    async def extract(self, request: Request) -> Response:
        return await self._document(request, EXTRACT)

    async def inspect(self, request: Request) -> Response:
        return await self._document(request, INSPECT)

    async def _document(self, request: Request, kind: str) -> Response:
        s = self.settings
        if self.load() >= s.max_pending:
            return busy(f"{s.max_pending} documents in flight; retry later")
        self.uploading += 1
        handed_over = False
        folder = tempfile.mkdtemp(dir=self.tmp_root)
        try:
            got = await receive(request, folder, s.max_upload_bytes, 1, s.upload_idle_s)
            options = self._params(request, got.fields, DOCUMENT_PARAMS)
            if not got.files:
                raise UploadError("bad_request", "no document: send it as the body or as a multipart file part")
            upload = got.files[0]
            label = upload.filename or "<upload>"
            # sniffed as `gaiextract extract NAME` sniffs: the name's extension counts
            ext = os.path.splitext(label)[1] if upload.filename else ""
            path = os.path.join(folder, "document" + ext)
            os.replace(upload.path, path)
            if archive_kind_of_file(path):
                return error_response("unsupported_format", "an archive: POST it to /v1/jobs to convert the reports inside")
            with open(path, "rb") as fh:
                data = fh.read()
            shutil.rmtree(folder, ignore_errors=True)  # the bytes are in memory: the file goes at once
            fut = self.pool.submit(Task(label, data, options=options, kind=kind))
            self.uploading -= 1
            handed_over = True
            record = await asyncio.wrap_future(fut)
        except UploadError as exc:
            return error_response(exc.code, exc.message)
        except ClientDisconnect:  # gone while uploading: nobody to answer, nothing to log
            return Response(status_code=400)
        finally:
            if not handed_over:
                self.uploading -= 1
            shutil.rmtree(folder, ignore_errors=True)
        if is_error(record):
            err = record["error"]
            return error_response(err["code"], err.get("message") or err["code"])
        if kind == INSPECT:
            return HTMLResponse(record["html"], headers={"X-Content-Type-Options": "nosniff"})
        return Response(canonical_json(record).encode("utf-8"), media_type="application/json")

    async def create_job(self, request: Request) -> Response:
        s = self.settings
        if self.jobs.open_jobs() >= s.max_open_jobs:
            return busy(f"{s.max_open_jobs} jobs open; retry later")
        job_id, folder = self.jobs.new_folder()
        try:
            got = await receive(request, os.path.join(folder, "incoming"), s.max_job_bytes, s.max_job_files,
                                s.upload_idle_s)
            options = self._params(request, got.fields, JOB_PARAMS)
            if not any(u.size for u in got.files):
                raise UploadError("bad_request", "no files: send an archive as the body or files as multipart parts")
            name = clean_name(request.query_params.get("filename"))  # a label, never a path
            uploads = [(u.path, u.filename or (name if len(got.files) == 1 else None)) for u in got.files]
            job = self.jobs.add(job_id, folder, uploads, options)
        except UploadError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return error_response(exc.code, exc.message)
        except ClientDisconnect:
            shutil.rmtree(folder, ignore_errors=True)
            return Response(status_code=400)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})

    def _job(self, request: Request):
        job = self.jobs.get(request.path_params["job_id"])
        if job is None:
            raise HTTPException(404, "no such job")
        return job

    async def job_status(self, request: Request) -> Response:
        return JSONResponse(self._job(request).to_dict())

    async def job_results(self, request: Request) -> Response:
        job = self._job(request)
        return StreamingResponse(self.jobs.follow(job), media_type="application/x-ndjson")

    async def delete_job(self, request: Request) -> Response:
        job = self._job(request)
        if not self.jobs.delete(job.id):
            return error_response("bad_request", "the job is not finished")
        return Response(status_code=204)


def jobs_folder(s: ServeSettings) -> tuple[str | None, bool]:
    """Where jobs live, and whether they survive a restart (``--jobs-dir``, or beside a
    SQLite ``--db``); ``(None, False)``: a temporary folder."""
    if s.jobs_dir:
        return s.jobs_dir, True
    if s.db:
        from ..sinks.sql import normalize_url, sqlite_path
        path = sqlite_path(normalize_url(s.db))
        if path:
            return path + ".jobs", True
        raise ValueError("a --db that is not a SQLite file needs --jobs-dir (where jobs keep their files)")
    return None, False


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    if status == 405:
        return error_response("method_not_allowed", f"{request.method} is not allowed on {request.url.path}")
    if status == 404:
        detail = getattr(exc, "detail", None)
        return error_response("not_found", detail if detail and detail != "Not Found" else f"no {request.url.path}")
    return error_response("bad_request", str(getattr(exc, "detail", exc)))


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response("internal_error", f"{type(exc).__name__}: {exc}")


def create_app(settings: ServeSettings | None = None) -> Starlette:
    """The ASGI app; the worker pool starts and stops with the app's lifespan."""
    settings = settings or ServeSettings()
    jobs_folder(settings)  # a --db without a place for jobs fails here, before serving
    server = Server(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        server.start()
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, server.stop)

    routes = [
        Route("/", server.index, methods=["GET"]),
        Route("/health", server.health, methods=["GET"]),
        Route("/openapi.json", server.openapi, methods=["GET"]),
        Route("/v1/extract", server.extract, methods=["POST"]),
        Route("/v1/inspect", server.inspect, methods=["POST"]),
        Route("/v1/jobs", server.create_job, methods=["POST"]),
        Route("/v1/jobs/{job_id}", server.job_status, methods=["GET"]),
        Route("/v1/jobs/{job_id}", server.delete_job, methods=["DELETE"]),
        Route("/v1/jobs/{job_id}/results", server.job_results, methods=["GET"]),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: _http_error, Exception: _server_error}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.server = server
    app.add_middleware(Guard, token=settings.token, loopback=_loopback_host(settings.host))
    if settings.cors_origins:  # outside the guard: its refusals carry the CORS headers too (readable)
        from starlette.middleware.cors import CORSMiddleware
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["Authorization", "Content-Type"])
    return app

