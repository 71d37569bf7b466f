"""A real ``gaiextract serve`` (uvicorn) on a free loopback port, for the serve tests.

The serve extra (starlette, uvicorn, python-multipart) and httpx are optional: the
tests skip with the reason where they are missing and FAIL under CI=true, where
``pip install -e '.[test]'`` installs them.
"""
from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").lower() == "true"
EXTRA = ("starlette", "uvicorn", "python_multipart", "httpx")
TOKEN = "test-token-7f3a"


def need_extra():
    """Import the serve extra and httpx; return httpx."""
    for name in EXTRA:
        if CI:
            importlib.import_module(name)  # CI installs .[test]: a missing module fails the run
        else:
            pytest.importorskip(name, reason=f"{name} is not installed: pip install -e '.[serve]' httpx "
                                             "(or '.[test]'); the serve tests run in CI")
    return importlib.import_module("httpx")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    out: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in out:
                    out.add(k)
                    todo.append(k)
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def leftovers(tmp: Path) -> list[str]:
    """What the server left in its TMPDIR, but for jieba's word cache (the library's, shared by
    every process that reads a report, by design)."""
    return sorted(p.name for p in tmp.iterdir() if not (p.name.startswith("jieba.") and p.name.endswith(".cache")))


class Served:
    """One server process; ``tmp`` is its TMPDIR (every temporary file it makes is there)."""

    def __init__(self, args: list[str], tmp: Path, token: str | None = TOKEN, start_timeout: float = 60.0,
                 extra_env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tmp
        self.token = token
        tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=os.pathsep.join(
            [str(ROOT / "src")] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
        env.pop("GAIEXTRACT_TOKEN", None)
        env.update(extra_env or {})
        cmd = [sys.executable, "-m", "gaiextract", "serve", "--port", str(self.port), "--log-level", "warning", *args]
        if token:
            cmd += ["--token", token]
        self.log = tmp.parent / f"serve-{self.port}.log"
        self._log = open(self.log, "wb")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=str(tmp.parent))
        self.children: set[int] = set()
        deadline = time.monotonic() + start_timeout
        import httpx
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server did not start: {self.log.read_text(errors='replace')}")
            time.sleep(0.1)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def client(self, **kw):
        import httpx
        return httpx.Client(base_url=self.url, headers=self.headers, timeout=kw.pop("timeout", 120), **kw)

    def note_children(self) -> None:
        """Remember the worker processes (call after some work: they start on demand)."""
        self.children |= descendants(self.proc.pid)

    def stop(self) -> list[int]:
        """SIGTERM (as Ctrl-C or a service manager would); the processes still alive after."""
        self.note_children()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()
        deadline = time.monotonic() + 10
        while any(alive(p) for p in self.children) and time.monotonic() < deadline:
            time.sleep(0.1)
        return [p for p in self.children if alive(p)]


def raw_request(port: int, head: bytes, body: bytes = b"", read: bool = True) -> tuple[socket.socket, bytes]:
    """Send bytes as they are (a Content-Length that lies, a body cut short); the socket
    and, with ``read``, what came back before the server closed or 10 s passed."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(head + body)
    got = b""
    if read:
        try:
            while b"\r\n\r\n" not in got or not complete(got):
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except socket.timeout:
            pass
    return s, got


def complete(got: bytes) -> bool:
    head, _, body = got.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False
