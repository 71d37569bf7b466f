"""The OCR fallback (gaiextract[ocr]) on the scanned corpus (corpus/scan).

The scanned documents are image-only PDFs made by corpus/builder/render_scan.py
from corpus PDFs; their expected JSON is the source document's, written from the
builder's spec. Each document is read once per session (OCR is the slow part).

Without the extra these tests skip with the reason — and fail when CI=true.
"""
from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS

import gaiextract
from gaiextract.readers import ocr

SCANS = sorted((CORPUS / "scan").glob("*.pdf"))
#: the document read whole in the default run (2019 edition, 160 dpi; pages of the
#: WPS-layout scans g13 (2021) and g20 are read by test_a_page_of_a_scanned_wps_layout); all with
#: GAIEXTRACT_OCR_ALL=1 (g11 2021 edition at 200 dpi, g02 150 dpi, g03 flat tables and a
#: sideways page, the three scans of WPS-made layouts *_scan_wps) — a whole scan costs
#: about 25 s of the CI budget
QUICK = ("g18_",)
MIN_RIGHT = 0.97


def _need_extra():
    if ocr.available():
        return
    why = f"the OCR extra is not installed ({ocr.INSTALL_HINT})"
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


def _docs() -> list[Path]:
    every = os.environ.get("GAIEXTRACT_OCR_ALL") == "1"
    return [p for p in SCANS if every or p.name.startswith(QUICK)]


@cache
def _extract(path: Path) -> dict:
    return gaiextract.extract(path).to_dict()


def _cells(out: dict, exp: dict):
    """(table, key, want, got, flagged) for every expected cell."""
    flagged = {(w.get("table"), w.get("key")) for w in out["warnings"]
               if w["code"] in ("ocr_low_confidence", "ocr_suspect")}
    for table, cells in exp["tables"].items():
        got = (out["tables"].get(table) or {}).get("cells") or {}
        for key, want in cells.items():
            yield table, key, want, got.get(key, "<missing>"), (table, key) in flagged


@pytest.mark.parametrize("path", _docs(), ids=lambda p: p.name)
def test_scanned_document_matches_except_flagged_cells(path):
    _need_extra()
    out = _extract(path)
    exp = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    wrong = [f"{t}.{k}: want {w!r} got {g!r}" for t, k, w, g, f in _cells(out, exp)
             if g != w and not f]
    assert not wrong, "\n".join(wrong[:40])
    codes = [w["code"] for w in out["warnings"]]
    assert "ocr_used" in codes and "no_text_layer" not in codes
    assert [s["id"] for s in out["sections"]] == exp["section_ids"]


def _one_page(path: Path, index: int, tmp_path: Path) -> Path:
    import pypdfium2 as pdfium

    one = pdfium.PdfDocument.new()
    one.import_pages(pdfium.PdfDocument(str(path)), [index])
    out = tmp_path / f"{path.stem}_p{index + 1}.pdf"
    one.save(str(out))
    return out


@pytest.mark.parametrize("name, index, table, prefixes", [
    # 2019 edition: table 二 runs on over the page break; its shaded 第二十条 block rows
    # (（六）（八）（九）) lost the rules along them, and the blocks after the first were lost
    ("g20_scan_wps", 2, "proactive", ("penalty.", "coercion.", "fees.", "procurement.")),
    # table 四's 15-column header in three rows, labels in two lines, one row of values
    ("g13_scan_wps", 3, "review_litigation", ("review.", "suit_direct.", "suit_after_review.")),
])
def test_a_page_of_a_scanned_wps_layout(name, index, table, prefixes, tmp_path):
    """One page of a scan of a WPS-made layout (corpus/builder/render_wps.py), exact."""
    _need_extra()
    path = CORPUS / "scan" / f"{name}.pdf"
    exp = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["tables"][table]
    want = {k: v for k, v in exp.items() if k.startswith(prefixes)}
    from gaiextract.pipeline import build_report
    from gaiextract.source import as_source

    one = _one_page(path, index, tmp_path)
    doc = gaiextract.read(one)
    doc.reread = None  # the page holds part of table 三, whose rules then fail: no re-reads here
    out = build_report(doc, as_source(one)).to_dict()
    got = (out["tables"].get(table) or {}).get("cells") or {}
    assert {k: got.get(k, "<missing>") for k in want} == want


def test_at_least_97_percent_of_scanned_cells_are_right():
    _need_extra()
    right = total = 0
    docs = _docs()
    for path in docs:
        out = _extract(path)
        exp = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        for _t, _k, want, got, _f in _cells(out, exp):
            total += 1
            right += got == want
    assert docs and total > 150 * len(docs)  # a report's three tables hold about 200 cells
    assert right / total >= MIN_RIGHT, f"{right}/{total} cells right"


def test_ocr_cells_keep_page_bbox_and_say_how():
    _need_extra()
    out = _extract(next(p for p in _docs() if p.name.startswith("g18_")))
    prov = out["tables"]["requests"]["provenance"]
    some = next(iter(prov.values()))
    assert some["page"] >= 1 and len(some["bbox"]) == 4 and some.get("how") == "ocr"
    used = next(w for w in out["warnings"] if w["code"] == "ocr_used")
    assert used["pages"] == list(range(1, out["source"]["pages"] + 1))


def test_sideways_page_is_turned():
    _need_extra()
    path = next(p for p in SCANS if p.name.startswith("g03_"))  # render_scan.SCANS: page 2 sideways
    pages = ocr.read_pages(path.read_bytes(), [2])
    assert pages[2].sideways
    page = pages[2].scan
    assert page.height > page.width  # turned back upright
    text = "".join(ln.text for ln in page.lines) + "".join(c.text for t in page.tables for c in t.cells)
    assert "政府信息" in text


def test_ocr_never_leaves_a_scan_unread_and_says_why():
    out = gaiextract.extract(SCANS[0], ocr="never").to_dict()
    w = next(w for w in out["warnings"] if w["code"] == "no_text_layer")
    assert "ocr='never'" in w["detail"]
    assert all(not t["cells"] for t in out["tables"].values()) or not out["tables"]


def test_without_the_extra_the_warning_says_how_to_install(monkeypatch):
    from gaiextract import source
    monkeypatch.setattr(source, "ocr_available", lambda: False)
    out = gaiextract.extract(SCANS[0]).to_dict()
    w = next(w for w in out["warnings"] if w["code"] == "no_text_layer")
    assert "pip install 'gaiextract[ocr]'" in w["detail"]


def test_bad_ocr_mode_is_refused():
    with pytest.raises(ValueError):
        gaiextract.extract(SCANS[0], ocr="sometimes")


def test_text_pages_are_not_read_by_ocr_in_auto_mode(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("OCR ran on a page with text")
    monkeypatch.setattr(ocr, "read_pages", boom)
    pdf = next((CORPUS / "pdf").glob("*.pdf"))
    out = gaiextract.extract(pdf).to_dict()
    assert "ocr_used" not in [w["code"] for w in out["warnings"]]


def test_models_come_with_the_package():
    _need_extra()
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    assert {p.suffix for p in models.iterdir()} >= {".onnx"}
    assert any("rec" in p.name for p in models.iterdir())


def test_engine_is_loaded_once_per_process():
    _need_extra()
    assert ocr.engine() is ocr.engine()


def test_cli_ocr_option():
    from click.testing import CliRunner

    from gaiextract.cli import main

    res = CliRunner().invoke(main, ["extract", "--ocr", "never", str(SCANS[0])])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert any(w["code"] == "no_text_layer" and "ocr='never'" in w["detail"] for w in out["warnings"])
    res = CliRunner().invoke(main, ["batch", "--help"])
    assert "--ocr" in res.output


def test_garbled_page_is_read_by_ocr_and_keeps_its_warning():
    _need_extra()
    doc = gaiextract.read(Path(__file__).parent / "fixtures" / "pdf" / "garbled.pdf")
    codes = {w["code"]: w for w in doc.warnings}
    assert codes["ocr_used"]["pages"] == [1]
    assert codes["garbled_text"]["page"] == 1 and "read by OCR" in codes["garbled_text"]["detail"]
    assert any(getattr(b, "origin", None) == "ocr" for b in doc.blocks)


def test_auto_reads_only_the_pages_without_text(tmp_path):
    _need_extra()
    import pypdfium2 as pdfium

    text_pdf = next((CORPUS / "pdf").glob("g18_*.pdf"))
    scan_pdf = next(p for p in SCANS if p.name.startswith("g18_"))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(text_pdf)), [0])
    mixed.import_pages(pdfium.PdfDocument(str(scan_pdf)), [3])  # the scanned last page
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    out = gaiextract.extract(path).to_dict()
    used = next(w for w in out["warnings"] if w["code"] == "ocr_used")
    assert used["pages"] == [2]
    assert "no_text_layer" not in [w["code"] for w in out["warnings"]]


@pytest.mark.skipif(os.environ.get("GAIEXTRACT_OCR_ALL") != "1",
                    reason="reads a scan twice (about a minute): runs with GAIEXTRACT_OCR_ALL=1")
def test_inspect_draws_a_scanned_report_read_by_ocr():
    """gaiextract inspect on a scanned report: its page images, with a box (how=ocr) for
    every cell OCR placed."""
    import lxml.html

    _need_extra()
    path = next(p for p in SCANS if p.name.startswith("g11_"))
    out = _extract(path)
    doc = lxml.html.fromstring(gaiextract.inspect(out).encode("utf-8"))
    assert doc.xpath('//*[@id="doc"]//img')
    want = {f"{t}.{k}" for t, tab in out["tables"].items() for k, prov in tab["provenance"].items()
            if prov.get("how") == "ocr" and prov.get("bbox")}
    boxes = {m.get("data-key") for m in doc.xpath('//*[@id="doc"]//*[@data-how="ocr"]')}
    assert want and want <= boxes


def test_text_lines_are_read_alone_on_single_threaded_calls(monkeypatch):
    """OcrSettings.rec_each_line: every line of a page is read as RapidOCR reads a
    lone line (same text, same score), on a recogniser session of one thread; the
    texts are those RapidOCR's own batches of lines read."""
    _need_extra()
    import numpy as np
    import pypdfium2 as pdfium

    eng = ocr.engine()
    assert eng.text_rec.session.session.get_session_options().intra_op_num_threads == 1
    path = next(p for p in SCANS if p.name.startswith("g18_"))
    pdf = pdfium.PdfDocument(path.read_bytes())
    pil, _ = ocr.render_page(pdf, 3, ocr.DEFAULT_OCR.dpi)  # the last page: a dozen lines
    seen: list = []
    real = ocr._read_lines

    def spy(eng, crops, settings=ocr.DEFAULT_OCR):
        seen.extend(crops)
        return real(eng, crops, settings)

    monkeypatch.setattr(ocr, "_read_lines", spy)
    ocr._recognise(eng, np.asarray(pil))
    assert len(seen) >= 8
    ours = real(eng, seen, ocr.OcrSettings(threads=2))
    assert ours == [tuple(eng.text_rec([c])[0][0][:2]) for c in seen]
    batched, _ = eng.text_rec(seen)
    assert [t for t, _ in ours] == [r[0] for r in batched]
    assert all(abs(s - float(r[1])) < 0.01 for (_, s), r in zip(ours, batched))


def test_detector_input_is_rapidocrs_from_one_channel():
    """The detector's input made once on one channel equals RapidOCR's own
    preprocessing of the three-channel page (resize, float64 normalisation)."""
    _need_extra()
    import numpy as np
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    det = ocr.engine().text_det
    rng = np.random.default_rng(5)
    grey = rng.integers(0, 256, size=(1755, 1241), dtype=np.uint8)
    grey[400:420, 100:1100] = 0
    img = np.stack([grey] * 3, axis=-1)
    for limit in (1280, 960, 2000):
        pre = DetPreProcess(limit, "max", det.mean, det.std)
        want = pre(img)
        got = ocr._det_input(pre, img)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want)
