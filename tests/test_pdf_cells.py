"""readers/pdf_cells.py finds the same cells and tables as pdfplumber's TableFinder
(explicit strategy), whose four steps it re-expresses: on the rules of ruled
corpus pages (as find_tables hands them over, synthetic frame rules included) and
on generated grids with jitter, broken and missing rules."""
import random
from pathlib import Path

import pytest

from gaiextract.readers import pdf_cells, pdf_tables
from gaiextract.readers.pdf_tables import DEFAULT_SETTINGS

from conftest import CORPUS

REAL = Path(__file__).resolve().parent / "fixtures" / "real" / "022_hongze_district_2023.pdf"


class _Frame:
    bbox = (0.0, 0.0, 600.0, 850.0)


def plumber(v, h, settings=DEFAULT_SETTINGS):
    from pdfplumber.table import TableFinder

    finder = TableFinder(_Frame(), {
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v, "explicit_horizontal_lines": h,
        "snap_tolerance": settings.snap_tolerance, "join_tolerance": settings.join_tolerance,
        "intersection_tolerance": settings.intersection_tolerance, "edge_min_length": settings.edge_min_length})
    return [t.cells for t in finder.tables]


def ours(v, h, settings=DEFAULT_SETTINGS):
    return pdf_cells.find_cell_tables(v, h, settings.snap_tolerance, settings.join_tolerance,
                                      settings.intersection_tolerance, settings.edge_min_length)


def _edge(orientation, x0, top, x1, bottom, kind="line"):
    return {"object_type": kind, "orientation": orientation, "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def _grid(rng: random.Random):
    """A ruled grid with jittered, split, missing and stray rules."""
    cols = sorted(rng.sample(range(40, 560, 7), rng.randint(2, 9)))
    rows = sorted(rng.sample(range(40, 800, 5), rng.randint(2, 14)))
    jit = lambda: rng.choice([0.0, 0.0, rng.uniform(-3.5, 3.5), rng.uniform(-0.01, 0.01)])  # noqa: E731
    v, h = [], []
    for x in cols:
        if rng.random() < 0.1:
            continue  # a missing column rule
        for a, b in zip(rows, rows[1:]) if rng.random() < 0.5 else [(rows[0], rows[-1])]:
            if rng.random() < 0.05:
                continue  # a gap
            xx = x + jit()
            v.append(_edge("v", xx, a + jit(), xx, b + jit(), rng.choice(["line", "rect_edge", "curve_edge"])))
    for y in rows:
        if rng.random() < 0.1:
            continue
        for a, b in zip(cols, cols[1:]) if rng.random() < 0.5 else [(cols[0], cols[-1])]:
            yy = y + jit()
            h.append(_edge("h", a + jit(), yy, b + jit(), yy, rng.choice(["line", "rect_edge"])))
    for _ in range(rng.randint(0, 4)):  # strays: short ticks and rules off the grid
        x, y = rng.uniform(0, 600), rng.uniform(0, 850)
        if rng.random() < 0.5:
            v.append(_edge("v", x, y, x, y + rng.uniform(0.5, 200)))
        else:
            h.append(_edge("h", x, y, x + rng.uniform(0.5, 200), y))
    rng.shuffle(v)
    rng.shuffle(h)
    return v, h


@pytest.mark.parametrize("seed", range(150))
def test_generated_grids(seed):
    v, h = _grid(random.Random(seed))
    if len(v) < 2 or len(h) < 2:  # pdfplumber refuses fewer than two rules a way; no cell can close
        assert ours(v, h) == []
        return
    assert ours(v, h) == plumber(v, h)


def test_other_tolerances():
    from dataclasses import replace

    rng = random.Random(7)
    for settings in (replace(DEFAULT_SETTINGS, snap_tolerance=0.0), replace(DEFAULT_SETTINGS, join_tolerance=0.5),
                     replace(DEFAULT_SETTINGS, intersection_tolerance=1.0, edge_min_length=10.0)):
        for _ in range(20):
            v, h = _grid(rng)
            if len(v) >= 2 and len(h) >= 2:
                assert ours(v, h, settings) == plumber(v, h, settings)


def _pdfs():
    picks = ["g01_", "g08_", "g09_", "g16_", "g21_", "g28_", "g02_"]
    out = [p for p in sorted(CORPUS.glob("pdf/*.pdf")) if any(p.name.startswith(k) for k in picks)]
    return out + sorted(CORPUS.glob("framed/*.pdf"))[:2] + ([REAL] if REAL.exists() else [])


@pytest.mark.parametrize("path", _pdfs(), ids=lambda p: p.stem)
def test_corpus_rules(path, monkeypatch):
    import gaiextract

    seen = []
    real = pdf_tables.find_cell_tables

    def both(v, h, *args):
        got = real(v, h, *args)
        assert got == plumber(v, h), f"cells differ on {path.name}"
        seen.append(len(got))
        return got

    monkeypatch.setattr(pdf_tables, "find_cell_tables", both)
    gaiextract.extract(path, ocr="never", pdf_engine="pdfium")
    assert seen, "no ruled page was compared"
