"""Reports as PDF/OCR converters write them in Markdown (cf. ../shared/real-sample/030_…_ocr_md.txt).

Two styles, each over specs of both editions:

- ``md_broken`` — an OCR/LLM pipeline: ``#`` headings at several levels, the title with
  spaces around the year, bold sub-items turned into headings (``### 1.xxx``,
  ``### 一是….``), page footers (``— 2 —``), a paragraph cut by a page break and
  spaces around numbers in prose (``信息 21 条``);
  tables broken apart: table 二 one pipe table per 第二十条 item, table 三 one small table
  per row block under generic headers (``类别 | 数据1 … 数据6 | 总计``) with the last rows
  under a wrong header row, table 四 three tables; OCR misreadings in labels (``—`` for
  一 in numbering, half-width brackets and commas) and, in a report of 沭阳, 沭 read as
  沐 throughout — the expected agency and title are then the text as written;
- ``md_grid`` — a DOCX/HTML converter (markitdown, Docling): each table one pipe table
  of its expanded grid, the header over two or three rows, ``<br>`` inside cells, and one
  table left as an HTML ``<table>`` fragment.

Values are printed as in the spec (placeholders and blanks included), so the expected
JSON is the spec's own: no cell is ambiguous. One document is named ``.txt``: Markdown is
recognised by its syntax, not its name.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from .content import write_expected
from .model import Subsection, TableSpec

MD_DOCS = {"g06": "md_broken", "g13": "md_broken", "g22": "md_broken", "g31": "md_broken",
           "g03": "md_grid", "g12": "md_grid", "g29": "md_grid", "g40": "md_grid"}
#: documents named .txt
AS_TXT = ("g22",)
#: documents whose requests table starts with the converter's junk header fragments
JUNK_HEADER = ("g13",)
#: OCR misreadings applied to the whole text of a document (the expected text follows)
OCR_TEXT = {"沭": "沐"}
#: half-width forms an OCR pipeline leaves in labels
HALF = str.maketrans({"（": "(", "）": ")", "，": ", "})
GENERIC = ["类别"] + [f"数据{i}" for i in range(1, 7)] + ["总计"]
WRONG_HEADER = ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"]
FOOTER_EVERY = 5
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def _ocr(text: str) -> str:
    for a, b in OCR_TEXT.items():
        text = text.replace(a, b)
    return text


def _pipe(row: list[str]) -> str:
    return "| " + " | ".join(c.replace("\n", "") for c in row) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_pipe(header), "|" + "---|" * len(header)] + [_pipe(r) for r in rows] + [""]


# --------------------------------------------------------------------------- broken tables

def _misread(label: str) -> str:
    """一 in numbering read as a dash; half-width brackets and commas."""
    return re.sub(r"^一、", "—、", label).translate(HALF)


def _broken_proactive(table: TableSpec) -> list[str]:
    out: list[str] = []
    header: list[str] = []
    rows: list[list[str]] = []
    width = table.width()

    def flush():
        if header or rows:
            out.extend(_table(header or [""] * len(rows[0]), rows))
        header.clear()
        rows.clear()

    for row in table.rows:
        if len(row) == 1 and row[0].colspan == width and row[0].key is None:
            flush()
            out += [f"### {row[0].text}"]
        elif all(c.key is None for c in row):
            flush()
            header[:] = [c.text for c in row]
        else:
            rows.append([c.text for c in row])
    flush()
    return out


def _broken_requests(table: TableSpec, junk: bool) -> list[str]:
    out: list[str] = []
    if junk:  # what the pipeline made of the header: fragments with dashes
        out += ["### 申请人情况 (自然人)"] + _table(["(数据项目)", "数量"], [["-", "-"]])
        out += ["### 申请人情况 (法人或其他组织)"] + _table(["商业企业", "科研机构", "社会公益", "法律服务机构", "其他"],
                                                   [["-"] * 5])
    value_rows = [r for r in table.rows if any(c.key for c in r)]
    # the last group's later rows, （七）总计 and 四、 sit under a wrong header
    last_group = max(i for i, r in enumerate(value_rows) if sum(1 for c in r if c.key is None) >= 2)
    tail_from = last_group + 1
    current: list[list[str]] = []

    def flush():
        if current:
            out.extend(_table(GENERIC, current))
            current.clear()

    for i, row in enumerate(value_rows):
        labels = [c.text for c in row if c.key is None]
        values = [c.text for c in row if c.key is not None]
        if i == tail_from:
            flush()
            tail = [[_misread(r_labels[-1])] + vals for r_labels, vals in
                    (([c.text for c in r if c.key is None], [c.text for c in r if c.key is not None])
                     for r in value_rows[tail_from:])]
            out.extend(_table(WRONG_HEADER, tail))
            break
        own = labels[-1]
        for group in labels[:-1]:
            flush()
            out.append(f"### {_misread(group)}")
        if _NUMBERED.match(own):
            flush()
            out.append(f"### {_misread(own)}")
            own = _NUMBERED.sub("", own).translate(HALF)
        current.append([_misread(own)] + values)
    flush()
    return out


def _broken_review(table: TableSpec) -> list[str]:
    top, groups, cols = table.rows[0], table.rows[1], table.rows[2]
    names = [top[0].text] + [f"{top[1].text}（{c.text}）" for c in groups if c.colspan > 1]
    values = [c.text for c in table.rows[3]]
    labels = ["".join(c.text.split()) for c in cols]
    out: list[str] = []
    for k, name in enumerate(names):
        out += [f"### {name}"] + _table(labels[:5], [values[5 * k:5 * k + 5]])
    return out


# --------------------------------------------------------------------------- grid tables

def _grid(table: TableSpec) -> list[str]:
    grid = table.expanded()
    rows = [[cell.text.replace("\n", "<br>") if origin else "" for cell, origin in row] for row in grid]
    return _table(rows[0], rows[1:])


def _html(table: TableSpec) -> list[str]:
    parts = ["<table>"]
    for row in table.rows:
        cells = []
        for c in row:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + \
                   (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            cells.append(f"<td{span}>{html.escape(c.text).replace(chr(10), '<br>')}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    return ["".join(parts), ""]


# --------------------------------------------------------------------------- prose

def _cut_page(text: str, page: int) -> list[str]:
    """A paragraph a page break cut mid-sentence, with the page footer between the halves."""
    mid = len(text) // 2
    for k in range(mid, len(text) - 1):
        if "\u4e00" <= text[k - 1] <= "\u9fff" and "\u4e00" <= text[k] <= "\u9fff":
            return [text[:k], "", f"— {page} —", "", text[k:]]
    return [text]


def _spaced_numbers(text: str) -> str:
    """OCR's spaces around a number in prose: 全年累计发布解读类信息 21 条, 2025 年."""
    return re.sub(r"(?<=[\u4e00-\u9fff，。：])(\d+(?:\.\d+)?)(?=[件条次篇元个年人])", r" \1 ", text)


def _items_as_headings(text: str) -> list[str]:
    """``…：一是A；二是B。`` → the lead, then ``### 一是A。`` ``### 二是B。`` (bold items
    a converter made headings of)."""
    parts = re.split(r"(?=[一二三四五六]是)", text)
    if len(parts) < 3:
        return [text]
    out = [parts[0]] if parts[0].strip() else []
    for p in parts[1:]:
        out.append("### " + p.rstrip("；;。") + "。")
    return out


def render_lines(spec, style: str) -> list[str]:
    broken = style == "md_broken"
    lines: list[str] = []
    year = spec.year
    title = "".join(spec.title_lines)
    if title:
        lines += [f"# {re.sub(f'{year}年', f' {year} 年 ', title).strip()}" if broken else f"# {title}", ""]
    if broken and spec.agency:
        lines += [spec.agency, f"(2O{str(year + 1)[2:]}年1月23日)", ""]
    for p in spec.preamble:
        lines += [p, ""]
    page, since = 1, 0
    for n, section in enumerate(spec.sections):
        last = n == len(spec.sections) - 1
        lines += [section.heading if (broken and last) else f"## {section.heading}", ""]
        for k, block in enumerate(section.body):
            if isinstance(block, TableSpec):
                if not broken:
                    lines += _html(block) if (block.name == "review_litigation" and year % 2 == 0) else _grid(block)
                elif block.name == "proactive":
                    lines += _broken_proactive(block)
                elif block.name == "requests":
                    lines += _broken_requests(block, spec.doc_id in JUNK_HEADER)
                else:
                    lines += _broken_review(block)
                continue
            if isinstance(block, Subsection):
                head = block.heading.translate(HALF) if broken and k % 2 else block.heading
                if block.inline and block.paragraphs:
                    paras = [head + block.inline_sep + block.paragraphs[0]] + block.paragraphs[1:]
                else:
                    lines += [f"### {head}", ""]
                    paras = list(block.paragraphs)
            else:
                paras = [block]
            for p in paras:
                if broken and re.match(r"^\d+\.", p):
                    lines += [f"### {p}", ""]
                    continue
                if broken and section.id == "problems":
                    for q in _items_as_headings(p):
                        lines += [q, ""]
                    continue
                since += 1
                if broken:
                    p = _spaced_numbers(p)
                if broken and since >= FOOTER_EVERY and len(p) >= 60:
                    page += 1
                    lines += _cut_page(p, page) + [""]
                    since = 0
                else:
                    lines += [p, ""]
    if broken:
        lines = [_ocr(ln) for ln in lines]
    return lines


def render(spec, out_dir: Path, style: str) -> Path:
    ext = "txt" if spec.doc_id in AS_TXT else "md"
    path = Path(out_dir) / f"{spec.doc_id}_{style}.{ext}"
    path.write_text("\n".join(render_lines(spec, style)).rstrip() + "\n", encoding="utf-8")
    write_expected(spec, path, "txt", style, _ocr if style == "md_broken" else None)
    return path


def render_all(specs, out_dir: Path) -> list:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [render(s, out_dir, MD_DOCS[s.doc_id]) for s in specs if s.doc_id in MD_DOCS]
