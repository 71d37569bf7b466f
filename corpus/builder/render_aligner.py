"""Corpus documents the per-table mappers could not read (the one-aligner issue).

- ``txt_runtogether``: a scraped page whose tables lost every cell border — each
  table is one line of its labels and values run together (``规章000行政规范性文件
  77132470…``), some labels broken by a space or a line break. Which cells the
  printed text leaves open is worked out by the builder's own enumerator
  (``splits.py``) and written as ``ambiguous_in_text``.
- ``html_grouppath`` / ``docx_grouppath``: tables whose row label carries its whole
  group path in one cell (「三、本年度办理结果（三）不予公开 1.属于国家秘密」).
- ``html_blank`` / ``docx_blank``: every table printed with its value cells blank;
  the tables are there, every cell is null.

The variants are made from the same specs as the rest of the corpus; expected
values come from the spec's content, never from gaiextract.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from . import render_docx, render_html
from .expected import failing_checks
from .model import GridCell, ReportSpec, Subsection, TableSpec
from .splits import ambiguous_cells

#: how many specs of each edition each variant is made from
PER_EDITION = {"txt_runtogether": 3, "html_grouppath": 2, "docx_grouppath": 1, "html_blank": 1, "docx_blank": 1}


# ------------------------------------------------------------------ choosing specs

def _plain_numbers(spec: ReportSpec) -> bool:
    """Values printed as bare numbers (no placeholders, separators, sign words or notes): a
    run of them can be read back; deliberate arithmetic breaks are left to other documents."""
    st = spec.style
    return (st["zero_style"] == "zero" and not st["thousands"] and not st["sign_words"]
            and not st["annotate"] and not st["units"] and not spec.expected["notes"]["breaks"]
            and all(c.text.strip() for t in spec.tables() for row in t.rows for c in row if c.key))


def chosen(specs: list, variant: str) -> list:
    out = []
    for edition in ("2021", "2019"):
        pool = [s for s in specs if s.edition == edition]
        if variant == "txt_runtogether":
            pool = [s for s in pool if _plain_numbers(s)]
        else:
            pool = [s for s in pool if s.style.get("table_style", "merged") == "merged"]
        offset = {"html_grouppath": 0, "docx_grouppath": 2, "html_blank": 3, "docx_blank": 4}.get(variant, 0)
        out += pool[offset:offset + PER_EDITION[variant]]
    return out


# ------------------------------------------------------------------ table variants

def group_path_table(table: TableSpec) -> TableSpec:
    """Each data row's label cells merged into one cell holding the labels of every cell
    that covers the row (its group path), spanning the label columns."""
    if table.name != "requests":
        return table
    grid = table.expanded()
    rows = [list(r) for r in table.rows[:table.header_rows]]
    for r in range(table.header_rows, len(grid)):
        labels, values, seen = [], [], set()
        for cell, origin in grid[r]:
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            if cell.key is None:
                labels.append(cell.text)
            elif origin:
                values.append(cell)
        n_label_cols = sum(1 for cell, _ in grid[r] if cell.key is None)
        text = "".join(labels[:-1]) + (" " if len(labels) > 1 else "") + labels[-1]
        if r % 4 == 1 and len(labels[-1]) >= 8:  # a label the page breaks over two lines
            cut = len(text) - len(labels[-1]) // 2
            text = text[:cut] + "\n" + text[cut:]
        rows.append([GridCell(text, colspan=n_label_cols, header=True)] + values)
    return TableSpec(table.name, rows, table.header_rows)


def blank_table(table: TableSpec) -> TableSpec:
    rows = [[GridCell("", c.rowspan, c.colspan, c.header, c.key) if c.key else c for c in row]
            for row in table.rows]
    return TableSpec(table.name, rows, table.header_rows)


def with_tables(spec: ReportSpec, change) -> ReportSpec:
    sections = [dataclasses.replace(s, body=[change(b) if isinstance(b, TableSpec) else b for b in s.body])
                for s in spec.sections]
    return dataclasses.replace(spec, sections=sections)


def blank_spec(spec: ReportSpec) -> ReportSpec:
    out = with_tables(spec, blank_table)
    expected = json.loads(json.dumps(spec.expected))
    expected["tables"] = {name: dict.fromkeys(cells) for name, cells in expected["tables"].items()}
    expected["failing_checks"] = failing_checks(expected["tables"])
    return dataclasses.replace(out, expected=expected)


# ------------------------------------------------------------------ run-together text

def _broken(text: str, i: int) -> str:
    """Some labels as a scraper breaks them: a space (三、本年度办 理结果) or a line break."""
    if len(text) < 8 or i % 4 == 3:
        return text
    mid = len(text) // 2 + 1
    return text[:mid] + ("\n" if i % 4 == 1 else " ") + text[mid:]


def run_together_lines(table: TableSpec) -> list:
    """The table as one run of its cells' text, no separators (a break may add a line)."""
    parts = []
    n_label = 0
    for row in table.rows:
        for cell in row:
            text = "".join(cell.text.split())
            if cell.key is None and text:
                text = _broken(text, n_label) if n_label % 3 == 0 else text
                n_label += 1
            parts.append(text)
    return "".join(parts).split("\n")


def table_runs(table: TableSpec) -> list:
    """(keys, printed run) of each row's value cells, as the builder printed them."""
    runs = []
    for row in table.rows:
        vals = [c for c in row if c.key]
        if vals:
            runs.append(([c.key for c in vals], "".join("".join(c.text.split()) for c in vals)))
    # 四 prints its fifteen values as one row already; 二's rows are separate runs
    return runs


def render_runtogether(spec: ReportSpec, out_dir: Path) -> Path:
    style = "txt_runtogether"
    lines = list(spec.meta_lines) + list(spec.title_lines) + list(spec.preamble)
    ambiguous = []
    for section in spec.sections:
        for block in section.printed_blocks():
            if isinstance(block, TableSpec):
                lines += run_together_lines(block)
                truth = spec.expected["tables"][block.name]
                ambiguous += [f"tables.{block.name}.{k}" for k in
                              ambiguous_cells(block.name, table_runs(block), truth)]
            elif isinstance(block, Subsection):
                lines += block.printed_paragraphs()
            else:
                lines.append(block)
    path = Path(out_dir) / f"{spec.doc_id}_{style}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from .content import write_expected

    exp_path = write_expected(spec, path, "txt", style)
    rec = json.loads(exp_path.read_text(encoding="utf-8"))
    rec["ambiguous_in_text"] = ambiguous
    exp_path.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ grids

def _render_html(spec: ReportSpec, out_dir: Path, style: str) -> Path:
    n = int(spec.doc_id[1:])
    data = render_html.render_gov(spec, render_html.report_blocks(spec), "merged", n)
    path = Path(out_dir) / f"{spec.doc_id}_{style}.html"
    path.write_bytes(data)
    from .content import write_expected

    write_expected(spec, path, "html", style)
    return path


def _render_docx(spec: ReportSpec, out_dir: Path, style: str) -> Path:
    path = Path(out_dir) / f"{spec.doc_id}_{style}.docx"
    render_docx.render_docx(spec, path, "docx_official")
    from .content import write_expected

    write_expected(spec, path, "docx", style)
    return path


def render_all_txt(specs: list, out_dir: Path) -> list:
    return [render_runtogether(s, out_dir) for s in chosen(specs, "txt_runtogether")]


def render_all_html(specs: list, out_dir: Path) -> list:
    paths = [_render_html(with_tables(s, group_path_table), out_dir, "html_grouppath")
             for s in chosen(specs, "html_grouppath")]
    paths += [_render_html(blank_spec(s), out_dir, "html_blank") for s in chosen(specs, "html_blank")]
    return paths


def render_all_docx(specs: list, out_dir: Path) -> list:
    paths = [_render_docx(with_tables(s, group_path_table), out_dir, "docx_grouppath")
             for s in chosen(specs, "docx_grouppath")]
    paths += [_render_docx(blank_spec(s), out_dir, "docx_blank") for s in chosen(specs, "docx_blank")]
    return paths
