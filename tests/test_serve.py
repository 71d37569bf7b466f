"""`gaiextract serve` against a real uvicorn on 127.0.0.1, through an HTTP client.

One server for the module (2 workers, a token, a SQLite --db); the restart test
starts its own. Expected JSON is what `gaiextract extract FILE` prints (the CLI run
as a subprocess), expected error codes what each hostile input is built to be.
"""
from __future__ import annotations

import io
import json
import os
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS
from serve_support import TOKEN, Served, leftovers, need_extra, raw_request

httpx = need_extra()

DOCS = {
    "txt": CORPUS / "txt" / "g01_txt_cells.txt",
    "html": CORPUS / "html" / "g01_html_gov.html",
    "docx": CORPUS / "docx" / "g01_docx_official.docx",
    "pdf": CORPUS / "pdf" / "g01_pdf_drawn_rep_rule.pdf",
}
DOCX_BYTES = DOCS["docx"].read_bytes()
#: a Word file cut in half: its zip directory is gone
HALF_DOCX = DOCX_BYTES[: len(DOCX_BYTES) // 2]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)
#: readable text that is no report (no heading, no template table)
NOT_A_REPORT = "Minutes of the weekly meeting.\nNothing was decided.\n".encode()


@pytest.fixture(scope="module")
def cli_outputs():
    """What `gaiextract extract NAME` prints, run in the file's folder (so source.path is NAME):
    the command itself, in this process (click's runner), to spare four interpreter starts."""
    from click.testing import CliRunner

    from gaiextract.cli import main

    out = {}
    here = os.getcwd()
    try:
        for fmt, p in DOCS.items():
            os.chdir(p.parent)
            result = CliRunner().invoke(main, ["extract", p.name], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            out[fmt] = result.stdout_bytes
    finally:
        os.chdir(here)
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("serve")
    srv = Served(["--workers", "2", "--db", str(base / "serve.db")], base / "tmp")
    srv.db = base / "serve.db"
    try:
        yield srv
    finally:
        left = srv.stop()
        assert not left, f"worker processes left behind: {left}"
        assert leftovers(base / "tmp") == [], "temporary files left behind"


@pytest.fixture(scope="module")
def client(server):
    with server.client() as c:
        yield c


# ------------------------------------------------------------------ extract

@pytest.mark.parametrize("fmt", list(DOCS))
def test_extract_is_byte_for_byte_the_cli_output(client, cli_outputs, fmt):
    path = DOCS[fmt]
    raw = client.post("/v1/extract", params={"filename": path.name}, content=path.read_bytes())
    assert raw.status_code == 200, raw.text
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.content == cli_outputs[fmt]
    multipart = client.post("/v1/extract", files={"file": (path.name, path.read_bytes())})
    assert multipart.content == cli_outputs[fmt]
    report = json.loads(raw.content)
    assert report["source"]["format"] == fmt and report["tables"]


def test_extract_format_hint_and_ocr_option(client, cli_outputs):
    """A raw body without a name: the format hint and the OCR option are accepted;
    the report is the same as the CLI's but for its name."""
    got = client.post("/v1/extract", params={"format": "txt", "ocr": "never"}, content=DOCS["txt"].read_bytes())
    assert got.status_code == 200
    want = json.loads(cli_outputs["txt"])
    want["source"]["path"] = "<upload>"
    assert got.json() == want


def test_extract_output_is_valid_against_the_schema_in_openapi(client, server):
    from gaiextract.schema import report_schema, validate

    spec = httpx.get(server.url + "/openapi.json").json()
    assert spec["components"]["schemas"]["Report"] == report_schema()  # the package's schema, not a copy
    assert {"/v1/extract", "/v1/inspect", "/v1/jobs", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/results",
            "/health"} <= set(spec["paths"])
    validate(client.post("/v1/extract", params={"filename": "a.html"}, content=DOCS["html"].read_bytes()).json())


# ------------------------------------------------------------------ errors

def _error(resp, code: str, status: int) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"code", "message"} and body["code"] == code
    assert body["message"] and "\n" not in body["message"] and "Traceback" not in body["message"]


@pytest.mark.parametrize("name, data, code, status", [
    ("picture.png", PNG, "unsupported_format", 415),
    ("reports.zip", None, "unsupported_format", 415),   # an archive: for /v1/jobs
    ("half.docx", HALF_DOCX, "truncated", 422),
    ("empty.txt", b"", "empty", 422),
    ("minutes.txt", NOT_A_REPORT, "not_a_report", 422),
], ids=["unsupported", "archive", "truncated", "empty", "not_a_report"])
def test_unreadable_input_is_a_documented_error(client, name, data, code, status):
    if data is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("a.txt", DOCS["txt"].read_bytes())
        data = buf.getvalue()
    _error(client.post("/v1/extract", params={"filename": name}, content=data), code, status)
    _error(client.post("/v1/inspect", files={"file": (name, data)}), code, status)


def test_bad_requests(client):
    _error(client.post("/v1/extract", params={"format": "xls"}, content=b"x"), "bad_request", 400)
    _error(client.post("/v1/extract", params={"ocr": "sometimes"}, content=b"x"), "bad_request", 400)
    _error(client.post("/v1/extract", params={"pages": "1"}, content=b"x"), "bad_request", 400)
    _error(client.post("/v1/extract", data={"format": "txt"}, files={}, headers={
        "Content-Type": "multipart/form-data; boundary=xyz"}), "bad_request", 400)
    _error(client.post("/v1/extract", content=b"--xyz\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\ntxt\r\n--xyz--\r\n",
                       headers={"Content-Type": "multipart/form-data; boundary=xyz"}), "bad_request", 400)
    _error(client.post("/v1/jobs", content=b""), "bad_request", 400)


def test_token_paths_and_methods(server, client):
    _error(httpx.post(server.url + "/v1/extract", content=b"x"), "unauthorized", 401)
    bad = httpx.post(server.url + "/v1/extract", content=b"x", headers={"Authorization": "Bearer " + TOKEN + "x"})
    _error(bad, "unauthorized", 401)
    assert bad.headers["www-authenticate"] == "Bearer"
    assert httpx.get(server.url + "/health").json()["status"] == "ok"  # no token needed
    _error(client.get("/v1/nothing"), "not_found", 404)
    _error(client.get("/v1/jobs/" + "0" * 32), "not_found", 404)
    _error(client.get("/v1/jobs/../../etc"), "not_found", 404)
    _error(client.put("/v1/extract", content=b"x"), "method_not_allowed", 405)
    assert "access-control-allow-origin" not in client.get(
        "/health", headers={"Origin": "http://elsewhere.example"}).headers  # no CORS unless asked for
    _error(httpx.get(server.url + "/health", headers={"Host": "attacker.example"}), "bad_request", 400)


def test_declared_size_over_the_limit_is_413_before_reading(server):
    head = (f"POST /v1/extract HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Length: {300 * 1024 * 1024}\r\n\r\n").encode()
    sock, got = raw_request(server.port, head, b"%PDF-1.4\n")
    sock.close()
    status, _, rest = got.partition(b"\r\n")
    assert b" 413 " in status, got[:300]
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["code"] == "too_large"


def test_page_is_self_contained(server):
    page = httpx.get(server.url + "/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "unsafe-eval" not in csp
    assert "http://" not in page.text and "https://" not in page.text and "//" not in page.text.replace("://", "")


# ------------------------------------------------------------------ jobs

def _archive(tmp_path: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", DOCS["txt"].read_bytes())
        zf.writestr("sub/b.docx", DOCX_BYTES)
        zf.writestr("broken.docx", HALF_DOCX)
        zf.writestr("minutes.txt", NOT_A_REPORT)
    return buf.getvalue()


def _wait(client, job_id: str, seconds: float = 240) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        st = client.get(f"/v1/jobs/{job_id}").json()
        if st["state"] in ("done", "failed") or time.monotonic() > deadline:
            return st
        time.sleep(0.2)


def test_job_over_an_archive_with_a_broken_member(server, client, cli_outputs, tmp_path):
    resp = client.post("/v1/jobs", params={"filename": "reports.zip"}, content=_archive(tmp_path))
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert resp.headers["location"] == f"/v1/jobs/{job['id']}" and job["state"] in ("queued", "running")
    # the results stream follows the job until it is finished
    with client.stream("GET", job["results"]) as stream:
        lines = [json.loads(line) for line in stream.iter_lines() if line]
    st = _wait(client, job["id"])
    assert st["state"] == "done", st
    assert (st["total"], st["done"], st["errors"]) == (4, 4, 2)
    assert st["error_codes"] == {"truncated": 1, "not_a_report": 1}
    by_path = {r["source"]["path"]: r for r in lines}
    assert set(by_path) == {"reports.zip!/a.txt", "reports.zip!/sub/b.docx", "reports.zip!/broken.docx",
                            "reports.zip!/minutes.txt"}
    assert by_path["reports.zip!/broken.docx"]["error"]["code"] == "truncated"
    assert by_path["reports.zip!/minutes.txt"]["error"]["code"] == "not_a_report"
    want = json.loads(cli_outputs["txt"])
    want["source"]["path"] = "reports.zip!/a.txt"
    assert by_path["reports.zip!/a.txt"] == want
    # the same records went to --db through the batch sinks
    with sqlite3.connect(server.db) as db:
        paths = {p for (p,) in db.execute("select source_path from reports")}
        errors = {(p, c) for p, c in db.execute("select source_path, code from errors")}
    assert {"reports.zip!/a.txt", "reports.zip!/sub/b.docx"} <= paths
    assert ("reports.zip!/broken.docx", "truncated") in errors
    # a finished job's inputs are gone; the job can be deleted
    assert client.delete(f"/v1/jobs/{job['id']}").status_code == 204
    _error(client.get(f"/v1/jobs/{job['id']}"), "not_found", 404)


def test_a_file_name_is_only_a_label(client, server):
    """`../` in a name never leaves the job's folder: the file keeps its last component."""
    resp = client.post("/v1/jobs", params={"filename": "../../../escaped.txt"}, content=DOCS["txt"].read_bytes())
    st = _wait(client, resp.json()["id"])
    records = [json.loads(line) for line in client.get(st["results"]).text.splitlines()]
    assert [r["source"]["path"] for r in records] == ["escaped.txt"]
    assert not list(server.db.parent.rglob("escaped.txt"))  # and nothing of it is left once done


def test_job_of_several_files_in_multipart(client):
    files = [("files", ("one.html", DOCS["html"].read_bytes())), ("files", ("one.html", PNG))]
    resp = client.post("/v1/jobs", files=files, data={"ocr": "never"})
    assert resp.status_code == 202, resp.text
    st = _wait(client, resp.json()["id"])
    assert (st["state"], st["files"], st["done"], st["errors"]) == ("done", 2, 2, 1)
    records = [json.loads(line) for line in client.get(st["results"]).text.splitlines()]
    # the second file of the same name is kept apart, in a numbered folder
    assert sorted(r["source"]["path"] for r in records) == ["2/one.html", "one.html"]


# ------------------------------------------------------------------ restart

def test_a_job_stopped_with_the_server_is_resumed_at_the_next_start(tmp_path):
    """SIGTERM while a job runs: the server stops cleanly (no process, no temporary file
    left), the job is left queued, and the next server with the same --db finishes it
    as `batch --resume` would — what the JSONL and the database hold is not converted
    again, and every document ends with one line and one row."""
    n = 48
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(n):  # distinct bytes: no duplicate is skipped
            zf.writestr(f"r{i:02d}.txt", DOCS["txt"].read_bytes() + b"\n" * (i + 1))
    db = tmp_path / "r.db"
    srv = Served(["--workers", "1", "--db", str(db)], tmp_path / "tmp")
    try:
        with srv.client() as c:
            job = c.post("/v1/jobs", params={"filename": "many.zip"}, content=buf.getvalue()).json()
            while c.get(f"/v1/jobs/{job['id']}").json()["done"] < 2:
                time.sleep(0.05)
            srv.note_children()
    finally:
        left = srv.stop()
    assert not left and leftovers(tmp_path / "tmp") == []
    state = json.loads((Path(str(db) + ".jobs") / job["id"] / "job.json").read_text(encoding="utf-8"))
    assert state["state"] == "queued"  # stopped where it was, inputs kept

    srv = Served(["--workers", "1", "--db", str(db)], tmp_path / "tmp")
    try:
        with srv.client() as c:
            st = _wait(c, job["id"])
            lines = [json.loads(x) for x in c.get(st["results"]).text.splitlines()]
            srv.note_children()
    finally:
        left = srv.stop()
    assert not left and leftovers(tmp_path / "tmp") == []
    assert (st["state"], st["total"], st["done"], st["ok"]) == ("done", n, n, n), st
    assert st["summary"]["resumed"] >= 2 and st["summary"]["converted"] == n - st["summary"]["resumed"]
    paths = [r["source"]["path"] for r in lines]
    assert len(paths) == n and set(paths) == {f"many.zip!/r{i:02d}.txt" for i in range(n)}
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from reports").fetchone() == (n,)


def test_every_error_code_has_a_status():
    from gaiextract.errors import ERROR_CODES
    from gaiextract.serve.errors import SERVE_ERROR_CODES, STATUS

    assert set(STATUS) == set(ERROR_CODES) | set(SERVE_ERROR_CODES)
    assert all(400 <= s < 600 for s in STATUS.values())


def test_cors_only_when_asked_for():
    """--cors-origin: a browser page from that origin may call the API (preflight without
    a token, the answer with its header); other origins get no CORS header. In process,
    through httpx's ASGI transport: only the middleware is concerned (no lifespan, no workers)."""
    import asyncio

    from gaiextract.serve import ServeSettings, create_app

    app = create_app(ServeSettings(host="0.0.0.0", token=TOKEN, cors_origins=("https://app.example",)))

    async def run():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
            pre = await c.options("/v1/extract", headers={
                "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization"})
            ours = await c.get("/health", headers={"Origin": "https://app.example"})
            other = await c.get("/health", headers={"Origin": "https://other.example"})
            no_token = await c.post("/v1/extract", content=b"x", headers={"Origin": "https://app.example"})
            return pre, ours, other, no_token

    pre, ours, other, no_token = asyncio.run(run())
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://app.example"
    assert ours.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in other.headers
    _error(no_token, "unauthorized", 401)
    assert no_token.headers["access-control-allow-origin"] == "https://app.example"  # the page can read why
