"""The two PDF engines give the same reports (issue 22).

pdfium (the default) and pdfminer (under pdfplumber) read each corpus PDF and the
real sample; their reports must be identical — cells, provenance, sections,
subsections, facts, warnings. A difference is listed path by path. The suite runs
one document of each corpus style; ``GAIEXTRACT_PDF_ENGINES_ALL=1`` runs them all.
"""
import os
from pathlib import Path

import pytest

import gaiextract
from gaiextract.readers import pdf_pdfium

from conftest import CORPUS

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "real-sample" / "022_hongze_district_2023.pdf"
ALL = os.environ.get("GAIEXTRACT_PDF_ENGINES_ALL") == "1"

EVERY = sorted(CORPUS.glob("pdf/*.pdf")) + sorted(CORPUS.glob("framed/*.pdf"))


def _one_per_style(paths):
    seen, out = set(), []
    for p in paths:
        style = p.stem.split("_", 1)[1].replace("_fakebold", "")
        if style not in seen:
            seen.add(style)
            out.append(p)
    return out


CASES = EVERY if ALL else _one_per_style(EVERY) + [p for p in EVERY if "fakebold" in p.stem][:1]


def differences(a, b, path=""):
    """Paths where two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += differences(a.get(k), b.get(k), f"{path}/{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: pdfium {a!r} != pdfminer {b!r}"[:300]]


def both(path: Path, monkeypatch):
    pages = []
    orig = pdf_pdfium.PdfiumDocument.page_objects

    def counted(self, *a, **kw):
        pages.append(a[0])
        return orig(self, *a, **kw)

    monkeypatch.setattr(pdf_pdfium.PdfiumDocument, "page_objects", counted)
    a = gaiextract.extract(path, ocr="never", pdf_engine="pdfium").to_dict()
    assert pages, "pdfium did not read the pages (fell back to pdfminer)"
    b = gaiextract.extract(path, ocr="never", pdf_engine="pdfminer").to_dict()
    return a, b


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_engines_give_identical_reports(path, monkeypatch):
    a, b = both(path, monkeypatch)
    diff = differences(a, b)
    assert not diff, "\n".join(diff[:40])


@pytest.mark.skipif(not REAL.exists(), reason="../shared/real-sample is not here")
def test_engines_give_identical_reports_on_the_real_sample(monkeypatch):
    a, b = both(REAL, monkeypatch)
    diff = differences(a, b)
    assert not diff, "\n".join(diff[:40])


def test_a_file_pdfium_refuses_is_read_by_pdfminer(monkeypatch):
    """The fallback: when pdfium cannot open the file, pdfminer reads it."""
    def refuse(self, data):
        raise pdf_pdfium.PdfiumRefused("refused")

    monkeypatch.setattr(pdf_pdfium.PdfiumDocument, "__init__", refuse)
    path = CASES[0]
    got = gaiextract.extract(path, ocr="never").to_dict()
    assert got["tables"]
    monkeypatch.undo()
    assert got == gaiextract.extract(path, ocr="never", pdf_engine="pdfminer").to_dict()


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError):
        gaiextract.extract(CASES[0], pdf_engine="mupdf")
