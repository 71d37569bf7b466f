"""gaiextract inspect: the page for one corpus report of each format, escaping, size, CLI.

Expected keys, values and failing checks come from the corpus builder's expected JSON,
never from gaiextract's output. Browser behaviour is in test_inspect_browser.py.
"""
import io
import json
import re
import subprocess
import sys

import lxml.html
import pytest
from conftest import CORPUS, load_json

import gaiextract

# one corpus report of each format, each with a deliberate break that fails checks
DOCS = {
    "pdf": CORPUS / "pdf" / "g20_pdf_drawn_rep_norule.pdf",
    "docx": CORPUS / "docx" / "g20_docx_official.docx",
    "html": CORPUS / "html" / "g20_html_word.htm",
    "txt": CORPUS / "txt" / "g20_txt.txt",
}


def expected_of(path):
    return load_json(str(path).rsplit(".", 1)[0] + ".expected.json")


def expected_keys(exp):
    return {f"{t}.{k}": v for t, cells in exp["tables"].items() for k, v in cells.items()}


@pytest.fixture(scope="module")
def pages():
    return {fmt: gaiextract.inspect(str(path)) for fmt, path in DOCS.items()}


def tree(page):
    return lxml.html.fromstring(page.encode("utf-8"))


def fmt_value(v):
    return "null" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


@pytest.mark.parametrize("fmt", list(DOCS))
def test_every_expected_cell_has_a_box_and_a_canonical_cell(pages, fmt):
    exp = expected_of(DOCS[fmt])
    doc = tree(pages[fmt])
    keys = expected_keys(exp)
    assert len(keys) > 150
    boxes = {el.get("data-key"): el for el in doc.xpath('//*[@id="doc"]//*[contains(@class, "box")][@data-key]')}
    canon = {el.get("data-key"): el for el in doc.xpath('//*[@id="canon"]//td[@data-key]')}
    missing_box = sorted(set(keys) - set(boxes))
    missing_canon = sorted(set(keys) - set(canon))
    assert not missing_box, missing_box[:10]
    assert not missing_canon, missing_canon[:10]
    for k, v in keys.items():
        assert canon[k].text_content() == fmt_value(v), k
        assert boxes[k].get("data-how") in ("grid", "stream", "split", "ocr")


@pytest.mark.parametrize("fmt", list(DOCS))
def test_cells_of_failing_checks_are_red(pages, fmt):
    exp = expected_of(DOCS[fmt])
    assert exp["failing_checks"]
    doc = tree(pages[fmt])
    text = doc.xpath('//*[@id="canon"]')[0].text_content()
    for cid in exp["failing_checks"]:
        assert cid in text
    # g20 breaks new.total: it is in both failing checks, so red in both panes
    for pane in ("doc", "canon"):
        els = doc.xpath(f'//*[@id="{pane}"]//*[@data-key="requests.new.total"][not(contains(@class, "chip"))]')
        assert els and all("bad" in el.get("class").split() for el in els), pane
    # a cell in no failing check is not red
    ok = doc.xpath('//*[@id="canon"]//td[@data-key="review_litigation.review.upheld"]')[0]
    assert "bad" not in ok.get("class").split()


def test_pdf_boxes_sit_where_the_values_are_printed(pages):
    """Each PDF box lies inside the page and over the text the report prints there."""
    import pdfplumber

    exp = expected_of(DOCS["pdf"])
    doc = tree(pages["pdf"])
    keys = expected_keys(exp)
    with pdfplumber.open(DOCS["pdf"]) as pdf:
        checked = 0
        for el in doc.xpath('//*[@id="doc"]//div[contains(@class, "box")][@data-key]'):
            k = el.get("data-key")
            page_no = int(el.xpath("ancestor::section[@class='page']")[0].get("id").split("-")[1])
            page = pdf.pages[page_no - 1]
            style = dict(p.split(":") for p in el.get("style").split(";"))
            x0 = float(style["left"].rstrip("%")) / 100 * float(page.width)
            top = float(style["top"].rstrip("%")) / 100 * float(page.height)
            w = float(style["width"].rstrip("%")) / 100 * float(page.width)
            h = float(style["height"].rstrip("%")) / 100 * float(page.height)
            assert 0 <= x0 and x0 + w <= float(page.width) + 1 and 0 <= top and top + h <= float(page.height) + 1
            words = page.crop((x0, top, x0 + w, top + h)).extract_text().replace(" ", "")
            v = keys[k]
            if isinstance(v, int) and v >= 0:
                assert str(v) in words, (k, words)
                checked += 1
        assert checked > 150


def test_pdf_shows_table_and_heading_pages_as_embedded_images(pages):
    doc = tree(pages["pdf"])
    imgs = doc.xpath('//*[@id="doc"]//img')
    assert len(imgs) == 4  # the builder's 4 pages each hold a table or a section heading
    assert all(i.get("src").startswith("data:image/jpeg;base64,") for i in imgs)
    exp = expected_of(DOCS["pdf"])
    heads = doc.xpath('//*[@id="doc"]//div[contains(@class, "hbox")]')
    titles = " ".join(h.get("title") for h in heads)
    for heading in exp["section_headings"].values():
        assert heading in titles


@pytest.mark.parametrize("fmt", ["docx", "html", "txt"])
def test_text_formats_show_rebuilt_tables_and_heading_context(pages, fmt):
    exp = expected_of(DOCS[fmt])
    doc = tree(pages[fmt])
    assert len(doc.xpath('//*[@id="doc"]//table[@class="doctable"]')) >= 3
    heads = [p.text_content() for p in doc.xpath('//*[@id="doc"]//p[contains(@class, "heading")]')]
    for heading in exp["section_headings"].values():
        assert any(h.replace(" ", "").startswith(heading.replace(" ", "")) for h in heads), heading
    # a box in a rebuilt table shows the cell as printed
    box = doc.xpath('//*[@id="doc"]//span[contains(@class, "box")][@data-key="requests.new.total"]')[0]
    assert box.text == str(expected_keys(exp)["requests.new.total"])


@pytest.mark.parametrize("fmt", list(DOCS))
def test_page_is_self_contained(pages, fmt):
    page = pages[fmt]
    doc = tree(page)
    assert not doc.xpath("//link | //iframe | //object | //embed")
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and scripts[0].get("src") is None
    assert all(i.get("src", "").startswith("data:") for i in doc.xpath("//img"))
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:|//)", page)
    assert "url(" not in page
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_document_text_is_escaped(tmp_path):
    """A report is untrusted: markup in its text never becomes markup on the page."""
    text = DOCS["txt"].read_text(encoding="utf-8")
    evil_lines = '"><b onmouseover=alert(2)>x</b>\n<script>alert("t")</script><img src=x onerror=alert(1)>\n'
    lines = text.replace("二、主动公开", evil_lines + "二、主动公开", 1).splitlines()
    evil = tmp_path / "evil.txt"
    evil.write_text("\n".join(lines), encoding="utf-8")
    html_src = DOCS["html"].read_bytes().decode("gb18030")  # the builder writes this one in GBK
    evil_html = tmp_path / "evil.html"
    evil_html.write_text(html_src.replace("一、总体情况", "一、总体情况&lt;script&gt;alert(3)&lt;/script&gt;", 1),
                         encoding="gb18030")
    for path, fmt in ((evil, "txt"), (evil_html, "html")):
        page = gaiextract.inspect(str(path), format=fmt)
        doc = tree(page)
        assert len(doc.xpath("//script")) == 1
        assert not doc.xpath("//*[@onerror] | //*[@onmouseover]")
        assert "&lt;script&gt;alert(" in page


def test_ten_page_pdf_stays_under_five_megabytes():
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for name in ("g01_pdf_drawn_rep_rule", "g02_pdf_lo_docx_official", "g20_pdf_drawn_rep_norule"):
        merged.import_pages(pdfium.PdfDocument(str(CORPUS / "pdf" / f"{name}.pdf")))
    while len(merged) > 10:
        merged.del_page(len(merged) - 1)
    buf = io.BytesIO()
    merged.save(buf)
    assert len(merged) == 10
    page = gaiextract.inspect(buf.getvalue(), format="pdf")
    assert len(tree(page).xpath("//img")) >= 7  # pages with only prose are not drawn
    assert len(page.encode("utf-8")) < 5 * 1024 * 1024
    # even with every page drawn, the images leave room for the rest of the page
    from gaiextract.inspect_view.images import render_pages
    from gaiextract.inspect_view.settings import DEFAULT_SETTINGS

    images = render_pages(buf.getvalue(), list(range(1, 11)), DEFAULT_SETTINGS)
    assert len(images) == 10
    assert sum(len(i.data_uri) for i in images.values()) < 4 * 1024 * 1024


def test_report_object_and_json_file_reread_their_source(tmp_path):
    report = gaiextract.extract(str(DOCS["txt"]))
    keys = expected_keys(expected_of(DOCS["txt"]))
    for obj in (report, report.to_dict()):
        doc = tree(gaiextract.inspect(obj))
        assert len(doc.xpath('//*[@id="doc"]//*[contains(@class, "box")][@data-key]')) == len(keys)
    out = tmp_path / "r.json"
    out.write_text(report.to_json(), encoding="utf-8")
    doc = tree(gaiextract.inspect(str(out)))
    assert len(doc.xpath('//*[@id="canon"]//td[@data-key]')) == len(keys)
    # the source is gone: values only, and the page says so
    moved = report.to_dict()
    moved["source"]["path"] = str(tmp_path / "gone.txt")
    page = gaiextract.inspect(moved)
    assert "source document not found" in page
    assert len(tree(page).xpath('//*[@id="canon"]//td[@data-key]')) == len(keys)


def run_cli(*args, cwd=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "gaiextract", "inspect", *args], capture_output=True,
                          cwd=cwd, input=stdin, check=False)


def test_cli_writes_refuses_to_overwrite_and_forces(tmp_path):
    out = tmp_path / "page.html"
    r = run_cli(str(DOCS["docx"]), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out.write_text("user data", encoding="utf-8")
    r = run_cli(str(DOCS["docx"]), "-o", str(out))
    assert r.returncode == 1
    assert out.read_text(encoding="utf-8") == "user data"
    assert r.stderr.decode().count("\n") == 1 and "--overwrite" in r.stderr.decode()
    r = run_cli(str(DOCS["docx"]), "-o", str(out), "--force")
    assert r.returncode == 0
    assert 'data-key="requests.new.total"' in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left


def test_cli_stdout_stdin_default_name_and_errors(tmp_path):
    r = run_cli("-", "-o", "-", stdin=DOCS["html"].read_bytes())
    assert r.returncode == 0 and b'data-key="requests.new.total"' in r.stdout
    r = run_cli(str(DOCS["txt"]), cwd=tmp_path)
    assert r.returncode == 0
    assert (tmp_path / "g20_txt.txt.inspect.html").exists()
    r = run_cli(str(tmp_path / "missing.pdf"), "-o", "-")
    assert r.returncode == 3  # unreadable input, as for extract (docs/cli.md)
    assert r.stderr.decode().strip().endswith("not_found: No such file or directory")
    assert b"Traceback" not in r.stderr
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    r = run_cli(str(bad), "-o", str(tmp_path / "x.html"))
    assert r.returncode == 3 and b"Traceback" not in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_failing_check_shows_its_equation(pages):
    doc = tree(pages["pdf"])
    check = next(c for c in doc.xpath('//div[@class="check"]') if "requests.balance.total" in c.text_content())
    chips = {c.get("data-key") for c in check.xpath('.//span[contains(@class, "chip")]')}
    assert chips == {"requests.new.total", "requests.carried_in.total", "requests.total.total",
                     "requests.carried_out.total"}
    exp = expected_keys(expected_of(DOCS["pdf"]))
    eq = check.text_content()
    assert f"= {exp['requests.new.total'] + exp['requests.carried_in.total']}" in eq
    assert f"= {exp['requests.total.total'] + exp['requests.carried_out.total']}" in eq


def test_json_of_page_counts():
    """The header's count of values matches the expected JSON."""
    page = gaiextract.inspect(str(DOCS["txt"]))
    n = len(expected_keys(expected_of(DOCS["txt"])))
    assert f"{n} values" in page
    json.dumps(n)


def test_pdf_path_draws_any_page_image(tmp_path, monkeypatch):
    """A scanned PDF (pages that are only images) is drawn the same way: a report whose
    provenance says ``how: ocr`` with boxes in PDF points gets its boxes over the scans."""
    import hashlib

    import pypdfium2 as pdfium

    monkeypatch.setenv("GAIEXTRACT_OCR", "never")  # the page images are what is tested, not OCR
    src = DOCS["pdf"]
    pdf = pdfium.PdfDocument(str(src))
    scans = [pdf[i].render(scale=150 / 72).to_pil().convert("L") for i in range(len(pdf))]
    scanned = tmp_path / "scanned.pdf"
    scans[0].save(scanned, save_all=True, append_images=scans[1:], resolution=150.0)
    assert not list(gaiextract.read(str(scanned)).tables())  # no text layer: nothing to read
    report = gaiextract.extract(str(src)).to_dict()
    for t in report["tables"].values():
        for p in t["provenance"].values():
            p["how"] = "ocr"
    report["source"].update(path=str(scanned), sha256=hashlib.sha256(scanned.read_bytes()).hexdigest())
    page = gaiextract.inspect(report)
    doc = tree(page)
    keys = expected_keys(expected_of(src))
    boxes = doc.xpath('//*[@id="doc"]//div[contains(@class, "box")][@data-key]')
    assert {b.get("data-key") for b in boxes} == set(keys)
    assert {b.get("data-how") for b in boxes} == {"ocr"}
    imgs = doc.xpath('//*[@id="doc"]//img')
    assert imgs and all(i.get("src").startswith("data:image/jpeg;base64,") for i in imgs)
    # same places as over the born-digital pages
    born = {b.get("data-key"): b.get("style") for b in tree(gaiextract.inspect(str(src))).xpath(
        '//*[@id="doc"]//div[contains(@class, "box")][@data-key]')}
    def pct(style):
        return [float(part.split(":")[1].rstrip("%")) for part in style.split(";")]

    for b in boxes:  # the scan's page size differs by the rounding of its pixels
        assert pct(b.get("style")) == pytest.approx(pct(born[b.get("data-key")]), abs=0.2)


def test_blank_word_cells_are_placed_at_their_row_and_column():
    """A Word report whose blank cells are null (shared corpus sample): a blank has no text
    to align by, so it is placed where its row and column cross, in the row it belongs to."""
    from conftest import shared

    sample = shared("corpus-sample", "docx_b_2021")
    exp = load_json(sample / "expected.json")
    doc = tree(gaiextract.inspect(str(sample / "report.docx")))
    keys = expected_keys(exp)
    boxes = {el.get("data-key"): el for el in doc.xpath('//*[@id="doc"]//span[contains(@class, "box")][@data-key]')}
    assert set(boxes) == set(keys)
    blanks = [k for k, v in keys.items() if v is None and k.startswith("requests.")]
    assert len(blanks) > 50
    for k in blanks:
        row = k.rsplit(".", 1)[0]
        total = boxes[f"{row}.total"]
        assert boxes[k].xpath("ancestor::tr")[0] is total.xpath("ancestor::tr")[0], k
        assert boxes[k].text is None  # the printed cell is blank


PLACEMENT_DOCS = ["docx/g04_docx_flat.docx", "html/g04_html_word.htm", "txt/g04_txt_flatblank.txt",
                  "txt/g09_txt_flat.txt", "html/g03_html_split.html", "txt/g19_txt_seedlike.txt",
                  "docx/g20_docx_official.docx"]


@pytest.mark.parametrize("name", PLACEMENT_DOCS)
def test_rebuilt_table_marks_sit_in_the_printed_row_of_their_key(name):
    """Every mark in a rebuilt table is in the document row that prints its row label;
    only blank keys whose whole row is blank may stay unplaced (nothing to anchor them)."""
    from gaiextract import grammar
    from gaiextract.document import Table
    from gaiextract.inspect_view import DEFAULT_SETTINGS, _load, _view
    from gaiextract.textnorm import label_key

    g = grammar.load()
    labels = {}
    for tg in (lay for spec in g.tables.values() for lay in spec.layouts if lay.rows):
        for r in tg.rows:
            labels.setdefault((tg.name, r.key), set()).update(r.labels)
        for gr in tg.groups:
            if gr.row_key:
                labels.setdefault((tg.name, gr.row_key), set()).update(gr.labels)
    path = CORPUS / name
    keys = expected_keys(expected_of(path))
    report, document, data, notes = _load(str(path), None)
    view = _view(report, document, data, notes, DEFAULT_SETTINGS)
    placed = set()
    for t in (b for b in document.blocks if isinstance(b, Table)):
        for r in range(t.n_rows):
            row_text = label_key("".join(c.text for c in t.grid[r] if c is not None))
            for cell in t.row_cells(r):
                for k in view.cell_keys.get(id(cell), []):
                    placed.add(k)
                    table, rest = k.split(".", 1)
                    want = labels.get((table, rest.rpartition(".")[0]))
                    if want:
                        assert any(w in row_text for w in want), (k, row_text)
    for k in set(keys) - placed:
        row = k.rpartition(".")[0]
        assert all(v is None for kk, v in keys.items() if kk.rpartition(".")[0] == row), k


def test_scanned_pdf_without_ocr_shows_its_pages(tmp_path, monkeypatch):
    """A scanned report nobody has read yet: the page shows the scans and says why
    nothing was found (no_text_layer), rather than an empty page."""
    import pypdfium2 as pdfium

    monkeypatch.setenv("GAIEXTRACT_OCR", "never")

    pdf = pdfium.PdfDocument(str(DOCS["pdf"]))
    scans = [pdf[i].render(scale=100 / 72).to_pil().convert("L") for i in range(len(pdf))]
    scanned = tmp_path / "scanned.pdf"
    scans[0].save(scanned, save_all=True, append_images=scans[1:], resolution=100.0)
    doc = tree(gaiextract.inspect(str(scanned)))
    assert len(doc.xpath('//*[@id="doc"]//img')) == len(scans)
    assert "no_text_layer" in doc.xpath('//*[@id="canon"]')[0].text_content()
    assert not doc.xpath("//*[@data-key]")


def test_a_cell_with_a_warning_is_red_and_linked(tmp_path):
    """A value cell that holds text (cell_unparsed) is null, red in both panes, and its
    warning links to it."""
    text = DOCS["txt"].read_text(encoding="utf-8")
    assert "\n24 |\n11 |\n" in text  # 一、本年新收: natural_person 24, enterprise 11
    path = tmp_path / "unparsed.txt"
    path.write_text(text.replace("\n24 |\n11 |\n", "\n24 |\n见附表 |\n", 1), encoding="utf-8")
    doc = tree(gaiextract.inspect(str(path)))
    key = "requests.new.enterprise"
    marks = doc.xpath(f'//*[@data-key="{key}"]')
    kinds = {m.xpath("ancestor::*[@id='doc' or @id='canon']")[0].get("id") for m in marks}
    assert kinds == {"doc", "canon"}
    assert all("bad" in m.get("class").split() for m in marks)
    canon = doc.xpath(f'//*[@id="canon"]//td[@data-key="{key}"]')[0]
    assert canon.text_content() == "null"
    box = doc.xpath(f'//*[@id="doc"]//span[contains(@class, "box")][@data-key="{key}"]')[0]
    assert box.text == "见附表"
    warning_row = next(tr for tr in doc.xpath('//*[@id="canon"]//tr') if "cell_unparsed" in tr.text_content())
    assert warning_row.xpath(f'.//span[contains(@class, "chip")][@data-key="{key}"]')
    # a cell in no failing check and no warning is not red
    assert "bad" not in doc.xpath('//*[@id="canon"]//td[@data-key="requests.carried_in.research"]')[0].get("class")


def box_positions(page):
    """data-key -> (table, row, cell) of its box in the rebuilt tables of the page."""
    out = {}
    for ti, table in enumerate(tree(page).xpath('//*[@id="doc"]//table[@class="doctable"]')):
        for ri, tr in enumerate(table.xpath("./tr")):
            for ci, td in enumerate(tr.xpath("./td")):
                for box in td.xpath('./span[contains(@class, "box")]'):
                    out[box.get("data-key")] = (ti, ri, ci)
    return out


@pytest.mark.parametrize("mode", ["grid", "cells"])
def test_provenance_row_and_col_place_cells_directly(mode):
    """Where provenance gives row/col (the aligner records them) the cell is looked up
    there, whatever order the keys come in; col may count grid columns or a row's cells."""
    from gaiextract.document import Table
    from gaiextract.inspect_view import DEFAULT_SETTINGS, _load, _view

    path = DOCS["docx"]
    report, document, data, notes = _load(str(path), None)
    view = _view(report, document, data, notes, DEFAULT_SETTINGS)
    where = {}
    for t in (b for b in document.blocks if isinstance(b, Table)):
        for r in range(t.n_rows):
            cells = t.row_cells(r)
            for cell in cells:
                for k in view.cell_keys.get(id(cell), []):
                    where[k] = (r, cell.col if mode == "grid" else cells.index(cell))
    before = box_positions(gaiextract.inspect(str(path)))
    for name, t in report["tables"].items():
        for key, prov in t["provenance"].items():
            prov["row"], prov["col"] = where[f"{name}.{key}"]
        t["provenance"] = dict(reversed(list(t["provenance"].items())))  # reading order lost
        t["cells"] = dict(reversed(list(t["cells"].items())))
    after = box_positions(gaiextract.inspect(report))
    assert after == before
    assert len(after) == len(expected_keys(expected_of(path)))


def test_a_huge_table_outside_the_template_is_cut(tmp_path):
    """A page that also holds a 5,000-row table: the inspection page shows its first rows
    and says how many more there are, and still marks every value of the report."""
    rows = "".join(f"<tr><td>项目{i}</td><td>{i}</td></tr>" for i in range(5000))
    html_src = DOCS["html"].read_bytes().decode("gb18030")
    big = html_src.replace("</body>", f"<table>{rows}</table></body>", 1)
    path = tmp_path / "big.html"
    path.write_text(big, encoding="gb18030")
    page = gaiextract.inspect(str(path), format="html")
    assert "4960 more rows" in page
    assert len(page) < 400_000
    keys = expected_keys(expected_of(DOCS["html"]))
    boxes = tree(page).xpath('//*[@id="doc"]//span[contains(@class, "box")][@data-key]')
    assert {b.get("data-key") for b in boxes} == set(keys)


def test_keys_split_from_one_printed_cell_get_a_slice_each():
    """A run of digits divided among several keys (how: split) has one printed box: each
    key gets its own slice of it, left to right, so every key still has its box."""
    report = gaiextract.extract(str(DOCS["pdf"])).to_dict()
    prov = report["tables"]["review_litigation"]["provenance"]
    keys = ["review.upheld", "review.corrected", "review.other"]
    x0, top, _x1, bottom = prov[keys[0]]["bbox"]
    x1 = prov[keys[-1]]["bbox"][2]
    for k in keys:
        prov[k].update(bbox=[x0, top, x1, bottom], how="split")
    doc = tree(gaiextract.inspect(report))
    lefts = []
    for k in keys:
        (box,) = doc.xpath(f'//*[@id="doc"]//div[contains(@class, "box")][@data-key="review_litigation.{k}"]')
        assert box.get("data-how") == "split"
        style = dict(p.split(":") for p in box.get("style").split(";"))
        lefts.append(float(style["left"].rstrip("%")))
        assert float(style["width"].rstrip("%")) == pytest.approx((x1 - x0) / 3 / 595.2756 * 100, abs=0.01)
    assert lefts == sorted(lefts) and len(set(lefts)) == 3
