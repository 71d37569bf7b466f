"""The page of `gaiextract serve` in headless Chromium (Debian's, driven by Playwright, as
tests/test_inspect_browser.py): a report chosen in the page shows its tables, checks and
warnings, and opens its inspect page — with no request to any other host, no script
error and no CSP violation. Skips without Chromium or playwright; FAILS under CI=true."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import CORPUS
from serve_support import TOKEN, Served, leftovers, need_extra

need_extra()

CHROMIUM = os.environ.get("GAIEXTRACT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCX = CORPUS / "docx" / "g01_docx_official.docx"


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI: .ci/services.sh installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("serve-page")
    srv = Served(["--workers", "1"], base / "tmp")
    try:
        yield srv
    finally:
        assert not srv.stop()
        assert leftovers(base / "tmp") == []


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="gaiextract-chromium-") as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
                                                    viewport={"width": 1400, "height": 1000})
        try:
            yield ctx
        finally:
            ctx.close()


def _watch(page, problems: list, requests: list) -> None:
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))


def test_drop_a_report_see_its_tables_and_open_the_inspect_view(browser, server):
    expected = json.loads(DOCX.with_suffix(".expected.json").read_text(encoding="utf-8"))
    page = browser.new_page()
    problems, requests = [], []
    _watch(page, problems, requests)
    page.goto(server.url + "/")
    page.fill("#token", TOKEN)
    page.set_input_files("#file", str(DOCX))
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    # the cells the corpus builder wrote into the document, shown in the page
    shown = dict(page.evaluate("""() => [...document.querySelectorAll('#tables tr[data-key]')]
        .map(tr => [tr.dataset.key, tr.children[1].textContent])"""))
    for table, cells in expected["tables"].items():
        for key, value in cells.items():
            assert shown.get(f"{table}.{key}") == ("—" if value is None else str(value)), (table, key)
    assert page.locator("#tables details").count() == len(expected["tables"])
    assert "failing" in page.inner_text("#checks")
    assert page.get_attribute("#json-link", "href").startswith("blob:")
    # the inspect view: the server's page, opened from a blob: URL
    page.click("#inspect")
    page.wait_for_selector("#inspect-link:not([hidden])", timeout=120_000)
    with page.expect_popup() as popup_info:
        page.click("#inspect-link")
    inspect = popup_info.value
    inspect_problems, inspect_requests = [], []
    _watch(inspect, inspect_problems, inspect_requests)
    inspect.wait_for_load_state("load")
    assert inspect.locator("#canon td[data-key]").count() > 0
    # its script ran (the CSP it inherits allows it): clicking a value selects it
    cell = inspect.locator("#canon td[data-key]").first
    cell.click()
    assert "sel" in (cell.get_attribute("class") or "").split()
    assert not problems and not inspect_problems, problems + inspect_problems
    assert all(u.startswith((server.url + "/", "blob:", "data:")) for u in requests + inspect_requests), requests


def test_an_error_is_shown_and_report_text_never_runs(browser, server, tmp_path):
    page = browser.new_page()
    problems, requests = [], []
    _watch(page, problems, requests)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.url + "/")
    page.set_input_files("#file", files=[{"name": "x.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)}])
    page.wait_for_selector("#status.error")
    assert "unauthorized" in page.inner_text("#status")  # no token typed in
    page.fill("#token", TOKEN)
    page.set_input_files("#file", files=[{"name": "x.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)}])
    from playwright.sync_api import expect
    expect(page.locator("#status")).to_contain_text("unsupported_format")
    text = (CORPUS / "txt" / "g01_txt_cells.txt").read_text(encoding="utf-8")
    evil = tmp_path / '"><img src=x onerror=alert(1)>.txt'
    evil.write_text("<script>alert(2)</script><img src=x onerror=alert(3)>\n" + text, encoding="utf-8")
    page.set_input_files("#file", str(evil))
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    assert not dialogs
    problems = [p for p in problems if "401" not in p and "415" not in p]  # the two refused uploads
    assert not problems, problems
