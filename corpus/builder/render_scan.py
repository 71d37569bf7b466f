"""Scanned versions of corpus PDFs: image-only PDFs for the OCR reader.

Archived reports are often paper scans. This renderer turns a few of the corpus
PDFs (both editions, tables crossing pages) into what a scanner makes: each page
rendered to a grey image at 150–200 dpi, turned by a fraction of a degree, with
noise, JPEG-compressed and wrapped into a PDF that has no text layer at all. One
document also has a page fed sideways (turned by 90°).

Only PDFs whose fonts are embedded are used (the LibreOffice-made ones): the
drawn ones name a CID font without embedding it, and the renderer would draw
their Chinese with whatever font the machine has, or none.

Deterministic: every random choice comes from a generator seeded with the
document's name, and the PDF carries no date. The expected JSON is the source
document's, written from the same spec (``write_expected``).
"""
from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

#: source documents (in corpus/pdf) and how each is scanned
SCANS = {
    "g02": {"dpi": 150},
    "g03": {"dpi": 170, "sideways": 2},   # its second page fed sideways
    "g11": {"dpi": 200},
    "g18": {"dpi": 160},
}

#: specs drawn in a WPS-made layout first (render_wps.py), then scanned: real
#: reports' tables (shaded 第二十条 blocks, table 四's 15-column header), not the
#: corpus' own PDFs; both editions, merged and one flat-blank table style
WPS_SCANS = {
    "g13": {"dpi": 150},
    "g20": {"dpi": 160},
    "g25": {"dpi": 150, "max_angle": 0.5},
}


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 150
    max_angle: float = 0.8      # degrees, either way
    noise: float = 7.0          # standard deviation of grey-level noise
    jpeg_quality: int = 60
    sideways: int = 0           # 1-based page turned by 90° (0: none)


def scan_pdf(src: Path, out: Path, style: ScanStyle, seed: str) -> Path:
    """Render ``src`` page by page into an image-only PDF at ``out``."""
    import img2pdf
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(zlib.crc32(seed.encode()))
    nrng = np.random.default_rng(zlib.crc32(seed.encode()))
    doc = pdfium.PdfDocument(str(src))
    jpegs: list[bytes] = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            img = page.render(scale=style.dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            angle = rng.uniform(-style.max_angle, style.max_angle)
            img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
            if style.sideways == i + 1:
                img = img.transpose(Image.Transpose.ROTATE_90)
            arr = np.asarray(img, dtype=np.float32)
            arr = arr * rng.uniform(0.85, 0.95) + rng.uniform(8, 20)  # paper tone, contrast
            arr += nrng.normal(0.0, style.noise, arr.shape)
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=style.jpeg_quality, dpi=(style.dpi, style.dpi))
            jpegs.append(buf.getvalue())
    finally:
        doc.close()
    layout = img2pdf.get_fixed_dpi_layout_fun((style.dpi, style.dpi))
    out.write_bytes(img2pdf.convert(jpegs, layout_fun=layout, nodate=True,
                                engine=img2pdf.Engine.internal))  # pikepdf adds a random /ID
    return out


def render_wps_scans(specs, out_dir: Path) -> list:
    """Draw the WPS_SCANS specs in the WPS layout and scan them into ``out_dir``."""
    import tempfile

    from .content import write_expected
    from .render_wps import draw_spec, font_available

    if not font_available():
        print("scan: the WenQuanYi font for the WPS layout is missing; WPS scans kept as they are")
        return []
    by_id = {s.doc_id: s for s in specs}
    paths = []
    for doc_id, opts in WPS_SCANS.items():
        style = ScanStyle(**opts)
        name = f"{doc_id}_scan_wps"
        with tempfile.TemporaryDirectory(prefix="wps-") as tmp:
            src = draw_spec(by_id[doc_id], Path(tmp) / f"{name}.pdf")
            path = scan_pdf(src, out_dir / f"{name}.pdf", style, seed=name)
        write_expected(by_id[doc_id], path, "pdf", f"scan_wps_{style.dpi}dpi")
        paths.append(path)
    return paths


def render_all(specs, out_dir: Path) -> list:
    """Scan the chosen corpus PDFs (built first by render_pdf) into ``out_dir``,
    and the WPS-layout documents (:func:`render_wps_scans`)."""
    from .content import write_expected

    out_dir = Path(out_dir)
    src_dir = out_dir.parent / "pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    by_id = {s.doc_id: s for s in specs}
    paths = []
    for doc_id, opts in SCANS.items():
        found = sorted(src_dir.glob(f"{doc_id}_pdf_lo_*.pdf"))
        if not found:  # the scan already made (if any) is kept
            print(f"scan: no LibreOffice-made {doc_id} in {src_dir}, skipped")
            continue
        for old in out_dir.glob(f"{doc_id}_scan_lo_*"):
            old.unlink()
        src = found[0]
        style = ScanStyle(**opts)
        name = src.stem.replace("_pdf_", "_scan_", 1)
        path = scan_pdf(src, out_dir / f"{name}.pdf", style, seed=name)
        write_expected(by_id[doc_id], path, "pdf", f"scan_{style.dpi}dpi")
        paths.append(path)
    return paths + render_wps_scans(specs, out_dir)
