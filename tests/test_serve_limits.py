"""The bounds of `gaiextract serve` on a real uvicorn: a small server (one worker, two
documents in flight, 1 s per document, 4 KB uploads, 6 s of silence per upload) so each bound is reached at once."""
from __future__ import annotations

import threading
import time

import pytest
from conftest import CORPUS
from hostile_pdf import op_bomb
from serve_support import TOKEN, Served, complete, leftovers, need_extra, raw_request

httpx = need_extra()

MAX_UPLOAD = 4096
#: drawing operations of the slow PDF (under max_page_objects; about 4 s with pdfminer)
SLOW_OPS = 40_000
#: seconds a stalled upload keeps its place (long enough for the 503 test to fill the bound)
IDLE_S = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("serve-limits")
    srv = Served(["--workers", "1", "--max-in-flight", "2", "--timeout", "1", "--max-upload", str(MAX_UPLOAD),
                  "--upload-idle-timeout", str(IDLE_S)],
                 base / "tmp",
                 # the pdfminer engine interprets a content stream in Python: SLOW_OPS drawing
                 # operations take seconds on any machine (pdfium: about 1 s on a quiet one)
                 extra_env={"GAIEXTRACT_PDF_ENGINE": "pdfminer"})
    try:
        yield srv
    finally:
        left = srv.stop()
        assert not left, f"worker processes left behind: {left}"
        assert leftovers(base / "tmp") == []


def _load(server) -> int:
    health = httpx.get(server.url + "/health", timeout=5)
    assert health.status_code == 200
    return health.json()["in_flight"]


def _until(pred, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_a_slow_pdf_times_out_and_never_blocks_health(server):
    """A PDF of SLOW_OPS drawing operations takes seconds to interpret: past the 1 s limit
    it is a `timeout` (504), and /health answers all the while."""
    answer = {}

    def slow():
        with server.client() as c:
            answer["r"] = c.post("/v1/extract", params={"filename": "slow.pdf"}, content=op_bomb(SLOW_OPS))

    assert len(op_bomb(SLOW_OPS)) <= MAX_UPLOAD
    t = threading.Thread(target=slow)
    t.start()
    assert _until(lambda: _load(server) >= 1)  # health answered while the worker is busy
    t.join(120)
    resp = answer["r"]
    assert resp.status_code == 504, resp.text
    assert resp.json()["code"] == "timeout"
    server.note_children()
    assert _until(lambda: _load(server) == 0)


def test_work_beyond_the_bound_is_503_busy(server):
    head = (f"POST /v1/extract?filename=a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Length: 1000\r\n\r\n").encode()
    stalled = [raw_request(server.port, head, b"x" * 10, read=False)[0] for _ in range(2)]
    try:
        assert _until(lambda: _load(server) == 2)
        with server.client() as c:
            resp = c.post("/v1/extract", params={"filename": "a.txt"}, content=(CORPUS / "txt" / "g01_txt_cells.txt").read_bytes()[:100])
        assert resp.status_code == 503
        assert resp.json()["code"] == "busy" and int(resp.headers["retry-after"]) > 0
    finally:
        for s in stalled:
            s.close()
    assert _until(lambda: _load(server) == 0)  # a client that goes away frees its place


def test_an_upload_past_the_limit_is_413_as_it_streams(server):
    def body():  # chunked: no Content-Length to refuse it by
        for _ in range(8):
            yield b"x" * 1024

    with server.client() as c:
        for resp in (c.post("/v1/extract", content=body()),
                     c.post("/v1/extract", files={"file": ("big.txt", b"y" * (MAX_UPLOAD + 1))})):
            assert resp.status_code == 413
            assert resp.json()["code"] == "too_large"


def test_a_stalled_upload_is_cut_off_and_frees_its_place(server):
    head = (f"POST /v1/extract?filename=a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Length: 1000\r\n\r\n").encode()
    sock, _ = raw_request(server.port, head, b"x" * 10, read=False)
    try:
        assert _until(lambda: _load(server) == 1)
        sock.settimeout(IDLE_S * 5)
        answer = b""
        while not complete(answer):  # the server speaks first: it gave up on the upload
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    finally:
        sock.close()
    assert b" 400 " in answer.split(b"\r\n", 1)[0] and b"stalled" in answer, answer[:300]
    assert _until(lambda: _load(server) == 0)
