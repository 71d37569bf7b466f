"""Degraded layouts (issue 20): the template's positions must settle what the layout lost.

Each variant is made from the same specs as the rest of the corpus, in the formats
where its damage occurs; the expected JSON is the spec's own content (a cell printed as
a mark or a blank is null), never gaiextract's output.

- ``txt_marks`` — a scraper's text, each table on one line: numbers separated by a
  space, zeros printed as placeholder marks run together with nothing between them
  (``198————27``, ``3／／／／／3``); a run of dashes may be read as fewer cells (a
  doubled dash is one mark), so the builder enumerates the readings of every row itself
  and lists the cells the template's arithmetic cannot settle in ``ambiguous_in_text``.
  Table 二 of 2019 prints 本年增/减 with sign words (``减少3`` / ``增加5``) or a minus,
  some long labels are broken by a space, in some documents a row whose cells are all zero
  leaves nothing but its label, and the overview quotes a figure with a row label in a sentence
  (``制发行政规范性文件243件，``) that is not the table's row.
- ``misread`` — one character of some short row labels and column headers misread
  (子以公开, 国家袐密, 尚未宙结, 结果雏持, 重复审请) in HTML, Markdown, text, DOCX and PDF.
- ``blankzero`` — every zero printed as an empty cell (a row ``1 | | | | 1`` in table 四)
  in HTML, Markdown, DOCX and PDF (ruled tables broken over pages); in Markdown and split HTML the table 三 breaks over a page
  with the rows after the break starting all blank.
- ``md_dropped`` — converter Markdown under generic headers (``类别 | 数据1 … 数据6 | 总计``)
  with blanks for zeros, the empty cells of a row dropped: a row of another count than
  the template is placed only where exactly one placement fits every rule.
- ``md_torn`` — a PDF-to-Markdown converter: some rows of table 三 printed as a pipe row
  of values with no label, the label landing as a loose line between the tables.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

from . import render_docx, render_html, render_md, render_pdf, render_txt
from .expected import failing_checks, write_expected
from .model import GridCell, ReportSpec, Subsection, TableSpec
from .render_aligner import _plain_numbers
from .splits import _holds, cross_rules, row_rules
from .splits import splits as builder_splits

#: specs of each edition each variant is made from (offsets into the edition's specs)
CHOICE = {"txt_marks": (0, 4), "misread": (4, 3), "blankzero": (7, 3), "md_torn": (10, 2), "md_dropped": (0, 3)}
#: placeholder marks, cycled over documents; dashes may be doubled for one cell
MARKS = ["／", "—", "/", "―"]
#: (template text, misread text) in labels
MISREADS = [("予以公开", "子以公开"), ("国家秘密", "国家袐密"), ("尚未审结", "尚未宙结"),
            ("结果维持", "结果雏持"), ("重复申请", "重复审请")]
#: the overview sentence quoting a row label with a figure (not a table row)
PROSE = "全年制发{label}243件，清理规范性文件12件。"
DASHES = "—―－"
#: joint readings across rows enumerated at most (beyond: each open cell listed as open)
MAX_JOINT = 20_000


def _chosen(specs: list[ReportSpec], variant: str) -> list[ReportSpec]:
    start, n = CHOICE[variant]
    out = []
    for edition in ("2021", "2019"):
        pool = [s for s in specs if s.edition == edition and not s.expected["notes"].get("breaks")]
        if variant == "md_dropped":  # values that read back as printed, and a table 三 with some
            pool = [s for s in pool if _plain_numbers(s)
                    and sum(1 for v in s.expected["tables"]["requests"].values() if v) >= 12]
        out += pool[start:start + n]
    return out


def _with_expected(spec: ReportSpec, tables: dict) -> ReportSpec:
    expected = json.loads(json.dumps(spec.expected))
    expected["tables"] = tables
    expected["failing_checks"] = failing_checks(tables)
    return dataclasses.replace(spec, expected=expected)


def _map_tables(spec: ReportSpec, change) -> ReportSpec:
    sections = [dataclasses.replace(s, body=[change(b) if isinstance(b, TableSpec) else b for b in s.body])
                for s in spec.sections]
    return dataclasses.replace(spec, sections=sections)


# --------------------------------------------------------------------------- marks run together

def _printed_value(v, key: str, mark: str, k: int):
    """(text, is_mark) of one value as the scraper prints it."""
    if v is None or v == 0:
        return mark, True
    if key.endswith(".change"):  # 本年增/减: sign words or a minus
        if v < 0:
            return (f"减少{-v}" if k % 2 else str(v)), False
        return (f"增加{v}" if k % 2 else str(v)), False
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip("."), False
    return str(v), False


def _row_text(keys: list[str], values: dict, mark: str, k: int) -> tuple[str, list]:
    """The printed values of one row, and its tokens for the builder's own enumeration:
    ("n", value) or ("m", fewest, most)."""
    out, tokens = "", []
    for key in keys:
        text, is_mark = _printed_value(values[key], key, mark, k)
        if is_mark:
            out += mark
            if tokens and tokens[-1][0] == "m":
                tokens[-1] = ("m", tokens[-1][1] + len(mark), tokens[-1][2] + len(mark))
            else:
                tokens.append(("m", len(mark), len(mark)))
        else:
            out += (" " if out and out[-1] not in MARKS else "") + text
            tokens.append(("n", values[key]))
    # a run of k dashes stands for between ceil(k/2) and k cells
    fixed = []
    for t in tokens:
        if t[0] == "m" and mark in DASHES:
            fixed.append(("m", (t[2] + 1) // 2, t[2]))
        else:
            fixed.append(t)
    return out, fixed


def _readings(tokens: list, n: int) -> list[tuple]:
    """Every placement of a row's tokens into n cells (marks: null cells)."""
    runs = [i for i, t in enumerate(tokens) if t[0] == "m"]
    out = []
    for counts in itertools.product(*(range(tokens[i][1], tokens[i][2] + 1) for i in runs)):
        cells: list = []
        it = iter(counts)
        for t in tokens:
            cells += [None] * next(it) if t[0] == "m" else [t[1]]
        if len(cells) == n:
            out.append(tuple(cells))
    return out


def _ambiguous(table: str, rows: list, truth: dict) -> list[str]:
    """Keys the printed rows leave open, by the template's rules (as splits.ambiguous_cells)."""
    return _open_keys(table, [(keys, _readings(tokens, len(keys))) for keys, tokens in rows], truth)


def _open_keys(table: str, readings: list, truth: dict) -> list[str]:
    """Keys left open by rows read several ways: [(keys, every reading)], rules within a
    row first, then across rows (a cross-row rule no choice satisfies is ignored)."""
    cands = []
    for keys, all_fits in readings:
        fits = list(dict.fromkeys(f for f in all_fits
                                  if all(_holds(r, dict(zip(keys, f))) for r in row_rules(table, keys))))
        want = tuple(truth[k] for k in keys)
        if want not in fits:
            raise ValueError(f"{table} {keys[0]}: cannot be read back as {want}")
        cands.append((keys, fits))
    fixed = {k: v for keys, fits in cands if len(fits) == 1 for k, v in zip(keys, fits[0])}
    open_rows = [(keys, fits) for keys, fits in cands if len(fits) > 1]
    if not open_rows:
        return []
    size = 1
    for _, fits in open_rows:
        size *= len(fits)
    if size > MAX_JOINT:  # too many joint readings to settle: every open cell may stay open
        return [k for keys, fits in open_rows for i, k in enumerate(keys) if len({f[i] for f in fits}) > 1]
    combos = [dict(itertools.chain.from_iterable(zip(keys, f) for (keys, _), f in zip(open_rows, pick)))
              for pick in itertools.product(*(fits for _, fits in open_rows))]
    names = list(dict.fromkeys(k.rsplit(".", 1)[0] for keys, _ in readings for k in keys))
    open_keys = {k for keys, _ in open_rows for k in keys}
    for rule in cross_rules(table, names):
        if open_keys & set(rule[0] + rule[1]):
            kept = [c for c in combos if _holds(rule, {**fixed, **c})]
            combos = kept or combos
    return [k for keys, _ in open_rows for k in keys if len({c[k] for c in combos}) > 1]


def _broken_label(text: str, k: int, n: int) -> str:
    """A long label a scraper broke with a space (odd documents, every third label)."""
    if k % 2 == 0 or n % 3 or len(text) < 8:
        return text
    mid = len(text) // 2 + 1
    return text[:mid] + " " + text[mid:]


def _marks_table_line(table: TableSpec, values: dict, mark: str, k: int) -> tuple[str, list]:
    parts, rows = [], []
    for n, row in enumerate(table.rows):
        labels = " ".join(_broken_label("".join(c.text.split()), k, n)
                          for c in row if c.key is None and c.text.strip())
        keys = [c.key for c in row if c.key is not None]
        text = labels
        if keys and k % 3 == 1 and labels and all(not values[key] for key in keys):
            rows.append((keys, [("m", len(keys), len(keys))]))  # a blank row leaves only its label
        elif keys:
            printed, tokens = _row_text(keys, values, mark, k)
            text = (labels + " " if labels else "") + printed
            rows.append((keys, tokens))
        if text:
            parts.append(text)
    return " ".join(parts), rows


def render_marks(spec: ReportSpec, out_dir: Path, k: int) -> Path:
    mark = MARKS[k % len(MARKS)]
    if spec.edition == "2019" and mark in DASHES:
        mark = "／"  # a minus printed for 本年增/减 must stay a sign: no dash marks in that table
    truth = json.loads(json.dumps(spec.expected["tables"]))
    for cells in truth.values():
        for key, v in cells.items():
            if v == 0:
                cells[key] = None
    label = "行政规范性文件" if spec.edition == "2021" else "规范性文件"
    lines = list(spec.meta_lines) + list(spec.title_lines) + list(spec.preamble)
    ambiguous: list[str] = []
    for section in spec.sections:
        blocks = section.printed_blocks()
        lines.append(blocks[0])
        if section.id == "overview":
            lines.append(PROSE.format(label=label))
        for block in blocks[1:]:
            if isinstance(block, TableSpec):
                text, rows = _marks_table_line(block, truth[block.name], mark, k)
                lines.append(text)
                ambiguous += [f"tables.{block.name}.{key}" for key in _ambiguous(block.name, rows, truth[block.name])]
            elif isinstance(block, Subsection):
                lines += block.printed_paragraphs()
            else:
                lines.append(block)
    out = _with_expected(spec, truth)
    path = Path(out_dir) / f"{spec.doc_id}_txt_marks.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    exp_path = write_expected(out, path, "txt", "txt_marks")
    rec = json.loads(exp_path.read_text(encoding="utf-8"))
    rec["ambiguous_in_text"] = ambiguous
    rec["notes"]["degraded"] = {"mark": mark, "prose_sentence": PROSE.format(label=label)}
    exp_path.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- misread labels

def misread_table(table: TableSpec) -> TableSpec:
    def cell(c: GridCell) -> GridCell:
        if c.key is not None:
            return c
        text = c.text
        for good, bad in MISREADS:
            text = text.replace(good, bad)
        return dataclasses.replace(c, text=text)

    return TableSpec(table.name, [[cell(c) for c in row] for row in table.rows], table.header_rows)


# --------------------------------------------------------------------------- blank for zero

def blankzero_spec(spec: ReportSpec) -> ReportSpec:
    """Zeros printed as empty cells; the first review group forced to ``1 | | | | 1``."""
    truth = json.loads(json.dumps(spec.expected["tables"]))
    review = truth.get("review_litigation")
    if review is not None:
        for part, v in (("upheld", 1), ("corrected", 0), ("other", 0), ("pending", 0), ("total", 1)):
            review[f"review.{part}"] = v
    for cells in truth.values():
        for key, v in cells.items():
            if v == 0:
                cells[key] = None

    def change(table: TableSpec) -> TableSpec:
        values = truth[table.name]
        rows = []
        for row in table.rows:
            out = []
            for c in row:
                if c.key is None:
                    out.append(c)
                elif values[c.key] is None:
                    out.append(dataclasses.replace(c, text=""))
                elif table.name == "review_litigation" and c.key.startswith("review."):
                    out.append(dataclasses.replace(c, text=str(values[c.key])))
                else:
                    out.append(c)
            rows.append(out)
        return TableSpec(table.name, rows, table.header_rows)

    return _with_expected(_map_tables(spec, change), truth)


def _blank_break_md(spec: ReportSpec) -> list[str]:
    """Markdown of the grid, table 三 broken over a page before its first all-blank row."""
    lines = render_md.render_lines(spec, "md_grid")
    out, in_requests = [], False
    for i, line in enumerate(lines):
        if line.startswith("|") and ("申请人情况" in line or "自然人" in line):
            in_requests = True
        if in_requests and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            label_cells = [c for c in cells if c and not c.isdigit()]
            if i > 0 and lines[i - 1].startswith("|") and not lines[i - 1].startswith("|---") \
                    and label_cells and all(not c for c in cells[-7:]) and "自然人" not in line:
                out += ["", "— 2 —", ""]
                out.append(line)
                out.append("|" + "---|" * len(cells))
                in_requests = False
                continue
        out.append(line)
    return out


# --------------------------------------------------------------------------- torn labels

def _torn_md(spec: ReportSpec) -> list[str]:
    """Markdown grid; rows 3 and 4 of table 三's data (部分公开, 国家秘密) printed as label-less
    value rows, their labels as loose lines before them."""
    lines = render_md.render_lines(spec, "md_grid")
    out, data_row, in_requests = [], 0, False
    torn = (3, 4)
    for line in lines:
        if line.startswith("|") and "申请人情况" in line:
            in_requests, data_row = True, 0
        if in_requests and not line.startswith("|"):
            in_requests = False
        if in_requests and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if any(c.startswith(("一、", "二、", "三、", "四、", "（")) for c in cells):
                data_row += 1
                if data_row in torn:
                    labels = [c for c in cells[:-7] if c]
                    values = cells[-7:]
                    out += ["", labels[-1] if labels else "", "",
                            "| " + " | ".join(values) + " |", "|" + "---|" * 7, ""]
                    if data_row == torn[-1]:
                        out.append("| " + " | ".join(["", "", ""] + [""] * 7) + " |")
                        out.append("|" + "---|" * 10)
                    continue
        out.append(line)
    return out


# --------------------------------------------------------------------------- blank cells dropped

def _gap_readings(values: list, n: int) -> list[tuple]:
    """Every placement of the printed values, in order, into n cells (the rest null)."""
    out = []
    for pos in itertools.combinations(range(n), len(values)):
        cells: list = [None] * n
        for p, v in zip(pos, values):
            cells[p] = v
        out.append(tuple(cells))
    return out


def render_dropped(spec: ReportSpec, out_dir: Path) -> Path:
    """md_broken (table 三 one small table per row block under 数据1…数据6 | 总计 headers)
    printed with blanks for zeros, the converter dropping the empty cells of a row: a row
    with fewer cells than its columns. The builder reads each such row every way (blank
    cells anywhere, or values run together) and lists what the rules leave open."""
    b = blankzero_spec(spec)
    truth = b.expected["tables"]["requests"]
    table = next(t for t in b.tables() if t.name == "requests")
    value_rows = [[c for c in row if c.key] for row in table.rows if any(c.key for c in row)]
    lines = render_md.render_lines(b, "md_broken")
    heads = {render_md._pipe(render_md.GENERIC), render_md._pipe(render_md.WRONG_HEADER)}
    out, under, k = [], False, 0
    readings = []
    for line in lines:
        if line in heads:
            under = True
            out.append(line)
            continue
        if under and not line.startswith("|"):
            under = False
        if under and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            vals = cells[1:]
            row = value_rows[k]
            keys = [c.key for c in row]
            k += 1
            printed = [v for v in vals if v]
            if len(printed) < len(vals):
                line = "| " + " | ".join([cells[0]] + printed) + " |"
                values = [truth[c.key] for c in row if c.text.strip()]
                fits = _gap_readings(values, len(keys)) + [
                    f for f in builder_splits(" ".join(printed), len(keys))]
                readings.append((keys, fits))
            else:
                readings.append((keys, [tuple(truth[key] for key in keys)]))
        out.append(line)
    if k != len(value_rows):
        raise ValueError(f"{spec.doc_id}: {k} of {len(value_rows)} rows of table 三 found in the Markdown")
    path = Path(out_dir) / f"{spec.doc_id}_md_dropped.md"
    path.write_text("\n".join(render_md._ocr(ln) for ln in out).rstrip() + "\n", encoding="utf-8")
    exp_path = write_expected(b, path, "txt", "md_dropped", render_md._ocr)
    rec = json.loads(exp_path.read_text(encoding="utf-8"))
    rec["ambiguous_in_text"] = [f"tables.requests.{key}" for key in _open_keys("requests", readings, truth)]
    exp_path.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- writing

def _write(spec: ReportSpec, out_dir: Path, style: str, fmt: str, ext: str, lines: list[str] | None = None,
           data: bytes | None = None) -> Path:
    path = Path(out_dir) / f"{spec.doc_id}_{style}.{ext}"
    if data is not None:
        path.write_bytes(data)
    elif lines is not None:
        path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    write_expected(spec, path, fmt, style)
    return path


def render_all(specs: list[ReportSpec], out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [render_marks(s, out_dir, k) for k, s in enumerate(_chosen(specs, "txt_marks"))]
    for k, s in enumerate(_chosen(specs, "misread")):
        m = _map_tables(s, misread_table)
        n = int(s.doc_id[1:])
        paths.append(_write(m, out_dir, "misread", "html", "html",
                            data=render_html.render_gov(m, render_html.report_blocks(m), "merged", n)))
        paths.append(_write(m, out_dir, "misread", "txt", "md", lines=render_md.render_lines(m, "md_grid")))
        if k % 2 == 0:
            paths.append(_write(m, out_dir, "misread_txt", "txt", "txt",
                                lines=render_txt.render_lines(m, render_txt.style_for(m))))
        else:
            path = Path(out_dir) / f"{m.doc_id}_misread.docx"
            render_docx.render_docx(m, path, "docx_official")
            write_expected(m, path, "docx", "misread")
            paths.append(path)
    for k, s in enumerate(_chosen(specs, "blankzero")):
        b = blankzero_spec(s)
        n = int(s.doc_id[1:])
        blocks = render_html.report_blocks(b)
        paths.append(_write(b, out_dir, "blankzero", "html", "html",
                            data=(render_html.render_split if k % 2 else render_html.render_gov)(b, blocks, "merged", n)))
        paths.append(_write(b, out_dir, "blankzero", "txt", "md", lines=_blank_break_md(b)))
        if k % 2 == 0:
            path = Path(out_dir) / f"{b.doc_id}_blankzero.docx"
            render_docx.render_docx(b, path, "docx_official")
            write_expected(b, path, "docx", "blankzero")
            paths.append(path)
    paths += [render_dropped(s, out_dir) for s in _chosen(specs, "md_dropped")]
    # PDF: drawn with reportlab, tables ruled and broken over pages (blank rows continue them)
    for k, s in enumerate(_chosen(specs, "misread")[:1] + _chosen(specs, "blankzero")[:2]):
        spec = _map_tables(s, misread_table) if k == 0 else blankzero_spec(s)
        style = "misread" if k == 0 else "blankzero"
        path = Path(out_dir) / f"{s.doc_id}_{style}_pdf.pdf"
        render_pdf.draw_spec(spec, path, render_pdf.drawn_style(spec, k + 1))
        path.write_bytes(render_pdf.pin_metadata(path.read_bytes()))
        write_expected(spec, path, "pdf", f"{style}_pdf")
        paths.append(path)
    for s in _chosen(specs, "md_torn"):
        paths.append(_write(s, out_dir, "md_torn", "txt", "md", lines=_torn_md(s)))
    return paths

