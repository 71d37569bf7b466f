"""Reports whose overview sub-heads run straight into their paragraph, with no stop or
space between (``（二）组织保障和监督考核召开专题会议…``), in the formats where a
paragraph keeps them together: web pages and Word files (issue 20; flattened pages
are in ``flat/``, ``*_inline``).

The specs' subsections are printed inline with an empty separator; everything else,
and the expected JSON, is the spec's.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .content import write_expected
from .model import Subsection

#: doc id -> format; both editions in each format
RUNIN_DOCS = {"g03": "html", "g24": "html", "g36": "html", "g07": "docx", "g13": "docx", "g40": "docx"}


def run_in(spec):
    """The spec with every subsection heading run into its first paragraph."""
    sections = [dataclasses.replace(s, body=[dataclasses.replace(b, inline=True, inline_sep="")
                                             if isinstance(b, Subsection) else b for b in s.body])
                for s in spec.sections]
    return dataclasses.replace(spec, sections=sections)


def render(spec, out_dir: Path, fmt: str) -> Path:
    new = run_in(spec)
    if fmt == "html":
        from .render_html import render_gov, report_blocks

        path = Path(out_dir) / f"{spec.doc_id}_html_runin.html"
        path.write_bytes(render_gov(new, report_blocks(new), new.style.get("table_style", "merged"),
                                    int(spec.doc_id[1:])))
    else:
        from .render_docx import render_docx, style_for

        path = Path(out_dir) / f"{spec.doc_id}_docx_runin.docx"
        render_docx(new, path, style_for(new))
    write_expected(new, path, fmt, f"{fmt}_runin")
    return path


def render_all(specs, out_dir: Path) -> list:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*"):
        old.unlink()
    return [render(s, out_dir, RUNIN_DOCS[s.doc_id]) for s in specs if s.doc_id in RUNIN_DOCS]
