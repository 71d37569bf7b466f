"""Reports whose title only a careful reader puts together (issue 20: title and agency).

Each document takes a corpus spec and prints its title one of these ways, in the
format where that happens in real reports:

* ``split_year`` — over two lines or paragraphs, the first ending with the year
  (``某局2022年度`` / ``政府信息公开工作年度报告``);
* ``split_core`` — broken inside the core wording (``某局2022年政府信息公开`` /
  ``工作年度报告``), as converters and OCR break long title lines;
* ``page_title`` — the body prints only the generic heading (政府信息公开工作年度报告)
  while the page's ``<title>`` names the agency (with the site's name after ``_``);
* ``generic_meta`` — an archiver page whose 标题: line is the generic heading while the
  body's title line names the agency.

The expected JSON is the spec's, with the title as these lines print it.
"""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

from .content import write_expected

#: doc id -> (format, title style); both editions in each style
TITLE_DOCS = {"g12": ("txt", "split_year"), "g17": ("txt", "split_core"), "g20": ("html", "page_title"),
              "g23": ("html", "split_core"), "g09": ("docx", "split_year"), "g28": ("docx", "split_core"),
              "g31": ("flat", "generic_meta"), "g06": ("pdf", "split_core"), "g39": ("pdf", "split_year")}
GENERIC = "政府信息公开工作年度报告"


def titled(spec, style: str):
    """(spec printed with the title style, the full title)."""
    agency, year = spec.agency, spec.year
    full = f"{agency}{year}年政府信息公开工作年度报告"
    if style == "split_year":
        lines, full = [f"{agency}{year}年度", GENERIC], f"{agency}{year}年度{GENERIC}"
    elif style == "split_core":
        lines = [f"{agency}{year}年政府信息公开", "工作年度报告"]
    else:  # the body prints the generic heading only
        lines = [GENERIC] if style == "page_title" else [full]
    expected = copy.deepcopy(spec.expected)
    expected["report"]["title"] = full
    return dataclasses.replace(spec, title_lines=lines, expected=expected), full


def render(spec, out_dir: Path, fmt: str, style: str) -> Path:
    new, full = titled(spec, style)
    stem = Path(out_dir) / f"{spec.doc_id}_{fmt}_title_{style}"
    if fmt == "txt":
        from .render_txt import render_lines, style_for

        path = stem.with_suffix(".txt")
        txt_style = style_for(new) if style_for(new) != "txt_seedlike" else "txt"
        path.write_text("\n".join(render_lines(new, txt_style)) + "\n", encoding="utf-8")
    elif fmt == "html":
        from .render_html import render_gov, report_blocks

        path = stem.with_suffix(".html")
        data = render_gov(new, report_blocks(new), new.style.get("table_style", "merged"), int(spec.doc_id[1:]))
        site = f"{spec.agency[:3]}人民政府"
        page_title = f"{full}_{site}" if style == "page_title" else f"{GENERIC}_{site}"
        path.write_bytes(data.replace("<title>政府信息公开工作年度报告_政府门户网站</title>".encode(),
                                      f"<title>{page_title}</title>".encode()))
    elif fmt == "docx":
        from .render_docx import render_docx, style_for

        path = stem.with_suffix(".docx")
        render_docx(new, path, style_for(new))
    elif fmt == "flat":
        from .render_flat import FLAT_DOCS, render_lines

        path = stem.with_suffix(".txt")
        lines = render_lines(new, FLAT_DOCS.get(spec.doc_id, "spaced"))
        lines = [f"标题: {GENERIC}" if ln.startswith("标题: ") else ln for ln in lines]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        from .render_pdf import draw_spec, drawn_style

        path = stem.with_suffix(".pdf")
        draw_spec(new, path, drawn_style(new, int(spec.doc_id[1:])))
    write_expected(new, path, fmt if fmt != "flat" else "txt", f"{fmt}_title_{style}")
    return path


def render_all(specs, out_dir: Path) -> list:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*"):
        old.unlink()
    return [render(s, out_dir, *TITLE_DOCS[s.doc_id]) for s in specs if s.doc_id in TITLE_DOCS]
