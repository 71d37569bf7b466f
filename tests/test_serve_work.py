"""The HTTP service's pool is the batch executor with one public hook overridden
(``LocalExecutor.job``): what a worker runs per item. No web framework needed."""
from __future__ import annotations

import time
from types import SimpleNamespace

from conftest import CORPUS

from gaiextract.batch.executors import LocalExecutor
from gaiextract.batch.worker import convert
from gaiextract.serve import work

DOC = CORPUS / "txt" / "g01_txt_cells.txt"


def test_the_service_overrides_only_the_public_hook():
    own = {name for name in vars(work._Executor) if not name.startswith("__")}
    assert own == {"job"}, own  # no private method of LocalExecutor is overridden
    assert LocalExecutor.job.__doc__ and "Override this" in LocalExecutor.job.__doc__


def test_the_hook_picks_the_function_and_merges_the_options():
    ex = SimpleNamespace(timeout=7.0, plugins=("p",), options={"ocr": "never", "grammar": "g"})
    item = SimpleNamespace(label="a.txt", data=b"x")
    assert LocalExecutor.job(ex, item) == (convert, ("a.txt", b"x", 7.0, (), ex.options))
    task = work.Task(label="b.txt", data=b"y", options={"ocr": "auto"}, kind=work.INSPECT)
    fn, args = work._Executor.job(ex, task)
    assert fn is work.inspect_page
    assert args == ("b.txt", b"y", 7.0, ("p",), {"ocr": "auto", "grammar": "g"})
    fn, _ = work._Executor.job(ex, work.Task(label="c.txt", data=b"z"))
    assert fn is convert


def test_a_worker_runs_what_the_hook_names():
    ex = work._Executor(workers=1, timeout=60, options={"ocr": "never"})
    try:
        ex.submit(work.Task(label=DOC.name, data=DOC.read_bytes(), kind=work.INSPECT))
        ex.submit(work.Task(label=DOC.name, data=DOC.read_bytes()))
        out, start = [], time.monotonic()
        while len(out) < 2 and time.monotonic() - start < 120:
            out += ex.poll(0.2)
    finally:
        ex.close(kill=True)
    by_kind = {item.kind: record for item, record in out}
    assert "<html" in by_kind[work.INSPECT]["html"].lower()
    assert by_kind[work.EXTRACT]["source"]["path"] == DOC.name
