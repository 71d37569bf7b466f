"""The flattened text form of a scraped page, as in ../shared/seeds/000_5312fda51cfcd75e.txt.

One paragraph per line; a table row is a line holding a lone ``|`` followed by each
cell's text ending in `` |`` (a cell may run over several lines: ``商业\\n企业 |``).
Merged tables print each span once, at its origin; flat tables print every position.
The ``seedlike`` style also turns full-width punctuation into ASCII as that scraper did.
"""
from __future__ import annotations

from pathlib import Path

from .content import write_expected
from .fee_wordings import fee_specs
from .model import Subsection, TableSpec

#: the punctuation the seed's scraper turned into ASCII (digits and 、。“” stay as printed)
_SEEDLIKE = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})


def style_for(spec) -> str:
    """txt | txt_seedlike | txt_flat | txt_flatblank — picked from the spec, deterministically
    (txt_runon is rendered in addition for RUNON_DOCS)."""
    table_style = spec.style.get("table_style", "merged")
    if table_style == "flat":
        return "txt_flat"
    if table_style == "flat_blank":
        return "txt_flatblank"
    return "txt_seedlike" if int(spec.doc_id[1:]) % 3 == 1 else "txt"


def table_lines(table: TableSpec, style: str) -> list:
    if style == "txt_flat":
        table = table.flattened(repeat_labels=True)
    elif style == "txt_flatblank":
        table = table.flattened(repeat_labels=False)
    lines = []
    if style == "txt_cells":
        # the scraper ran each row's cells together: one line, cells split by a space
        for row in table.rows:
            lines.append(" ".join("".join(cell.text.split()) for cell in row))
        return lines
    for row in table.rows:
        lines.append("|")
        for cell in row:
            lines.append(f"{cell.text} |")
    return lines


def _no_blank_cells(spec) -> bool:
    """A run-together row loses blank cells, so only specs without them are rendered so."""
    return all(cell.text.strip() for t in spec.tables() for row in t.rows for cell in row)


#: how many specs of each edition are also rendered with run-together table rows
CELLS_PER_EDITION = 3


#: specs also rendered in the run-together form of scrapers that join a page's paragraphs
#: with spaces (get_text(" ")): only the meta/title lines and the tables keep their own lines
RUNON_DOCS = ("g05", "g12", "g30")


def render_lines(spec, style: str) -> list:
    lines = list(spec.meta_lines) + list(spec.title_lines)
    run = list(spec.preamble)

    def flush():
        if run:
            if style == "txt_runon":
                lines.append(" ".join(run))
            else:
                lines.extend(run)
            run.clear()

    for section in spec.sections:
        for block in section.printed_blocks():
            if isinstance(block, TableSpec):
                flush()
                lines += table_lines(block, style)
            elif isinstance(block, Subsection):
                run.extend(block.printed_paragraphs())
            else:
                run.append(block)
    flush()
    if style == "txt_seedlike":
        lines = [ln.translate(_SEEDLIKE) for ln in lines]
    elif style == "txt_traditional":
        lines = [_traditional(ln) for ln in lines]
    return lines


def _traditional(text: str) -> str:
    """The page as a Hong Kong/Taiwan-facing or Big5-era site prints it (OpenCC s2t)."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


#: specs also rendered entirely in traditional characters
TRADITIONAL_DOCS = ("g04", "g11", "g27")


def render(spec, out_dir: Path, style=None) -> Path:
    style = style or style_for(spec)
    path = Path(out_dir) / f"{spec.doc_id}_{style}.txt"
    path.write_text("\n".join(render_lines(spec, style)) + "\n", encoding="utf-8")
    printed = {"txt_seedlike": lambda s: s.translate(_SEEDLIKE), "txt_traditional": _traditional}.get(style)
    write_expected(spec, path, "txt", style, printed)
    return path


def render_all(specs, out_dir: Path) -> list:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [render(spec, out_dir) for spec in specs]
    paths += [render(spec, out_dir, "txt_runon") for spec in specs if spec.doc_id in RUNON_DOCS]
    paths += [render(spec, out_dir, "txt_traditional") for spec in specs if spec.doc_id in TRADITIONAL_DOCS]
    for edition in ("2021", "2019"):
        chosen = [s for s in specs if s.edition == edition and _no_blank_cells(s)][:CELLS_PER_EDITION]
        paths += [render(spec, out_dir, "txt_cells") for spec in chosen]
    # section 六 in each of the fee wordings of fee_wordings.WORDINGS
    paths += [render(spec, out_dir, "txt_fees") for spec in fee_specs(specs)]
    from .render_aligner import render_all_txt  # the one-aligner documents (issue 11)

    paths += render_all_txt(specs, out_dir)
    return paths
