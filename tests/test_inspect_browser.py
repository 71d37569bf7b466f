"""The inspection page in a real browser: headless Chromium from Debian, driven by Playwright.

Chromium comes from the system (``apt-get install chromium``; .ci/services.sh installs it
in CI) — Playwright's own browser download is never used. Without Chromium or the
playwright package these tests skip with the reason, and FAIL when CI=true.
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import CORPUS, load_json

import gaiextract

CHROMIUM = os.environ.get("GAIEXTRACT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# a PDF corpus report whose builder broke new.total: two failing checks
PDF = CORPUS / "pdf" / "g20_pdf_drawn_rep_norule.pdf"
DOCX = CORPUS / "docx" / "g20_docx_official.docx"


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI: .ci/services.sh installs chromium)")
    pytest.skip(reason)


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
                                                    viewport={"width": 1600, "height": 1000})
        try:
            yield ctx
        finally:
            ctx.close()


def expected_keys(path):
    exp = load_json(str(path).rsplit(".", 1)[0] + ".expected.json")
    return sorted(f"{t}.{k}" for t, cells in exp["tables"].items() for k in cells)


@pytest.fixture(scope="module")
def pages_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("inspect-pages")


def open_page(browser, doc, folder):
    html = folder / (doc.name + ".html")
    if not html.exists():
        html.write_text(gaiextract.inspect(str(doc)), encoding="utf-8")
    page = browser.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    return page, problems, requests


BOX_SIZES = """keys => keys.map(k => {
  const box = [...document.querySelectorAll('#doc .box[data-key]')].find(e => e.dataset.key === k);
  const cell = [...document.querySelectorAll('#canon td[data-key]')].find(e => e.dataset.key === k);
  const r = box ? box.getBoundingClientRect() : null;
  return [k, !!cell, r ? r.width : -1, r ? r.height : -1];
})"""


@pytest.mark.parametrize("doc", [PDF, DOCX], ids=["pdf", "docx"])
def test_every_mapped_cell_has_an_element_and_a_visible_box(browser, doc, pages_dir):
    page, problems, requests = open_page(browser, doc, pages_dir)
    keys = expected_keys(doc)
    rows = page.evaluate(BOX_SIZES, keys)
    missing = [k for k, cell, w, h in rows if not cell or w <= 0 or h <= 0]
    assert not missing, missing[:10]
    if doc == PDF:  # every page image decoded
        sizes = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth)")
        assert sizes and all(w and w > 500 for w in sizes)
    assert not problems, problems  # no script error, no CSP violation
    assert all(u.startswith(("file:", "data:")) for u in requests), requests


def test_clicking_a_canonical_cell_highlights_its_box(browser, pages_dir):
    page, problems, _ = open_page(browser, PDF, pages_dir)
    key = "review_litigation.review.total"
    box = page.locator(f'#doc .box[data-key="{key}"]')
    assert "sel" not in (box.get_attribute("class") or "")
    page.locator(f'#canon td[data-key="{key}"]').click()
    assert "sel" in box.get_attribute("class").split()
    # scrolled into the page pane's view
    inside = page.evaluate("""k => {
      const box = [...document.querySelectorAll('#doc .box')].find(e => e.dataset.key === k);
      const pane = document.getElementById('doc').getBoundingClientRect(), r = box.getBoundingClientRect();
      return r.top >= pane.top && r.bottom <= pane.bottom;
    }""", key)
    assert inside
    # hovering another value lights up its box; the selection stays
    other = "requests.new.total"
    page.locator(f'#canon td[data-key="{other}"]').hover()
    assert "hl" in page.locator(f'#doc .box[data-key="{other}"]').get_attribute("class").split()
    assert "sel" in box.get_attribute("class").split()
    # and back: clicking the box selects the canonical cell
    page.locator(f'#doc .box[data-key="{other}"]').click()
    assert "sel" in page.locator(f'#canon td[data-key="{other}"]').get_attribute("class").split()
    assert "sel" not in box.get_attribute("class").split()
    # "show all labels" shows every box's label
    label = page.locator('#doc .box[data-key="review_litigation.review.upheld"] .lbl')
    assert not label.is_visible()
    page.locator("#show-labels").check()
    assert label.is_visible()
    assert not problems, problems


def test_screenshot(browser, pages_dir, tmp_path):
    page, _problems, _ = open_page(browser, PDF, pages_dir)
    page.locator('#canon td[data-key="requests.new.total"]').click()
    shot = tmp_path / "inspect.png"
    page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    # the failing cell is drawn red on the page: its box border is the bad colour
    colour = page.evaluate("""() => getComputedStyle(
        [...document.querySelectorAll('#doc .box')].find(e => e.dataset.key === 'requests.new.total')).borderTopColor""")
    assert colour == "rgb(209, 31, 31)"


def test_markup_in_a_report_never_runs(browser, tmp_path):
    """Script in a report's text is shown as text: no dialog opens, no handler fires."""
    text = (CORPUS / "txt" / "g20_txt.txt").read_text(encoding="utf-8")
    evil = ('"><img src=x onerror=alert(1)>\n<script>alert(2)</script><svg onload=alert(3)>\n')
    path = tmp_path / "evil.txt"
    path.write_text(text.replace("二、主动公开", evil + "二、主动公开", 1), encoding="utf-8")
    html = tmp_path / "evil.html"
    html.write_text(gaiextract.inspect(str(path), format="txt"), encoding="utf-8")
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    page.mouse.move(300, 300)
    assert "<script>alert(2)</script>" in page.locator("#doc").inner_text()
    assert not dialogs
