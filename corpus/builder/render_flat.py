"""A report page as a site archiver saves it (cf. ../shared/real-sample/011_pingtan_2020_flat.txt).

The archiver writes ``key: value`` header lines (标题 / 发布时间 / 文号 / 发布机构 / 栏目 /
原文链接 / 本地目录), a ``==== 正文 ====`` separator, then the page text with the whole
body on ONE line: headings run into the text before and after them, sub-heads into
their paragraphs, and tables flattened in reading order. Page chrome the crawler kept
(当前位置, 全真版 文字版, 附件下载, 相关链接) sits on lines of its own around the body.

Two table styles, chosen per document:

- ``run``: every cell run together, no separator at all (``一、本年新收政府信息公开申请
  数量801000081``); a row's digits can often be split more than one way, and the cells
  whose split the template's arithmetic does not settle are listed in the expected
  JSON's ``ambiguous_in_text`` (computed by :mod:`.splits` from the printed runs);
- ``spaced``: cells separated by single spaces, header words broken by spaces
  (``商业 企业 科研 机构``) and a few long labels broken inside (``三、本年度办 理结果``).

A third set (``FLAT_INLINE``, files ``*_flat_<style>_inline.txt``) runs every overview
sub-head straight into its text with no separator at all (``（二）组织保障和监督考核召开专题
会议…``), as pages flattened from HTML often do (issue 20).

Values are printed in their plain form (``-18``, ``24252.31``), so only specs whose
tables print every value (no blank or placeholder cells) are rendered this way: a blank
cell leaves no trace in run-together text.
"""
from __future__ import annotations

import json
from pathlib import Path

from .content import write_expected
from .model import Subsection, TableSpec

#: spec -> table style; both editions, with and without the title at the top of the body
FLAT_DOCS = {"g01": "run", "g06": "run", "g11": "spaced", "g16": "run", "g20": "spaced", "g25": "run",
             "g26": "run", "g35": "spaced", "g36": "run"}
#: specs whose sub-heads run straight into their text (no stop, no space), and their table style
FLAT_INLINE = {"g05": "spaced", "g10": "run", "g21": "spaced", "g30": "run", "g31": "spaced", "g40": "run"}
#: specs printed without the heading of 五: its text starts at （一）存在的主要问题
NO_PROBLEMS_HEADING = ("g16",)
#: specs whose body does not start with the title (it is only in the 标题: line)
NO_BODY_TITLE = ("g06", "g25", "g35")
SEPARATOR = "==================== 正文 ===================="
CHROME_TOP = ["当前位置：首页 > 政务公开 > 政府信息公开 > 政府信息公开年报", "全真版 文字版"]
CHROME_BOTTOM = ["附件下载：", "相关链接："]
#: a long label is broken by a space every this many labels (spaced style)
BREAK_EVERY = 4


def value_text(value) -> str:
    """A value as a flattened page prints it: integers plainly, decimals without trailing zeros."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _label(text: str, style: str, n: int) -> str:
    if style == "run":
        return "".join(text.split())
    text = " ".join(text.split())  # 商业\n企业 -> 商业 企业
    if n % BREAK_EVERY == 2 and len(text) >= 8 and " " not in text:
        mid = len(text) // 2 + 1
        text = text[:mid] + " " + text[mid:]
    return text


def table_text(table: TableSpec, values: dict, style: str) -> str:
    """The table in reading order: each cell once, at its origin."""
    parts, n = [], 0
    for row in table.rows:
        for cell in row:
            if cell.key is not None:
                parts.append(value_text(values[cell.key]))
            elif cell.text.strip():
                parts.append(_label(cell.text, style, n))
                n += 1
    return ("" if style == "run" else " ").join(parts)


def _sub_join(sub: Subsection, k: int, inline: bool = False) -> str:
    """A sub-head run into its first paragraph: with no separator when the paragraph opens
    with a year (as real pages do) or ``inline``, else a stop or a space."""
    first = sub.paragraphs[0] if sub.paragraphs else ""
    if inline or (first[:4].isdigit() and first[4:5] == "年"):
        return ""
    return "。" if k % 2 == 0 else " "


def body_line(spec, style: str, inline: bool = False) -> str:
    tables = spec.expected["tables"]
    out = []
    if spec.doc_id not in NO_BODY_TITLE and spec.title_lines:
        out.append("".join(spec.title_lines) + " ")
    out.append("".join(spec.preamble))
    for n, section in enumerate(spec.sections):
        if not (section.id == "problems" and spec.doc_id in NO_PROBLEMS_HEADING):
            out.append(("" if n % 2 == 0 else " ") + section.heading + ("" if n % 3 else " "))
        for k, block in enumerate(section.body):
            if isinstance(block, TableSpec):
                out.append(table_text(block, tables[block.name], style) + " ")
            elif isinstance(block, Subsection):
                paras = list(block.paragraphs)
                head = block.heading + _sub_join(block, k, inline) + (paras[0] if paras else "")
                out.append("".join([head] + paras[1:]))
            else:
                out.append(block)
    return "".join(out).strip()


def render_lines(spec, style: str, inline: bool = False) -> list[str]:
    title = "".join(spec.title_lines)
    year = spec.year or 2020
    page = f"{year + 1}03/t{year + 1}0305_{int(spec.doc_id[1:]) + 80000}"
    header = [f"标题: {title}", f"发布时间: {year + 1}-03-05 08:58", "文号: ",
              f"发布机构: {spec.agency or ''}", "栏目: 政府信息公开年报",
              f"原文链接: https://www.example.gov.cn/zwgk/zfxxgknb/{page}.htm",
              f"本地目录: zwgk/zfxxgknb/{page}_{title}", "页面链接与图片详见 links.tsv(同目录)", SEPARATOR]
    return header + CHROME_TOP + [body_line(spec, style, inline)] + CHROME_BOTTOM


def row_runs(table: TableSpec, values: dict) -> list:
    """(keys, printed run) of each row's value cells, as :func:`table_text` prints them."""
    runs = []
    for row in table.rows:
        keys = [c.key for c in row if c.key is not None]
        if keys:
            runs.append((keys, "".join(value_text(values[k]) for k in keys)))
    return runs


def ambiguous_keys(spec, style: str) -> list[str]:
    """Cells of run-together rows whose digits split more than one way under the template's
    rules, by the corpus's own enumerator (none in the spaced style: a space is a boundary)."""
    if style != "run":
        return []
    from .splits import ambiguous_cells

    out = []
    for table in spec.tables():
        values = spec.expected["tables"][table.name]
        out += [f"tables.{table.name}.{k}" for k in ambiguous_cells(table.name, row_runs(table, values), values)]
    return out


def render(spec, out_dir: Path, style: str, inline: bool = False) -> Path:
    name = f"flat_{style}_inline" if inline else f"flat_{style}"
    path = Path(out_dir) / f"{spec.doc_id}_{name}.txt"
    path.write_text("\n".join(render_lines(spec, style, inline)) + "\n", encoding="utf-8")
    exp_path = write_expected(spec, path, "txt", name)
    rec = json.loads(exp_path.read_text(encoding="utf-8"))
    rec["ambiguous_in_text"] = ambiguous_keys(spec, style)
    if spec.doc_id in NO_PROBLEMS_HEADING:  # 五 opens at its first sub-head
        problems = next(s for s in spec.sections if s.id == "problems")
        rec["section_headings"]["problems"] = problems.body[0]
    rec["notes"]["flat"] = {"table_style": style, "title_in_body": spec.doc_id not in NO_BODY_TITLE,
                            "problems_heading": spec.doc_id not in NO_PROBLEMS_HEADING}
    if inline:
        rec["notes"]["flat"]["sub_heads"] = "run straight into their text"
    exp_path.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _prints_every_value(spec) -> bool:
    return all(v is not None for t in spec.expected["tables"].values() for v in t.values())


def render_all(specs, out_dir: Path) -> list:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = [s for s in specs if s.doc_id in FLAT_DOCS]
    inline = [s for s in specs if s.doc_id in FLAT_INLINE]
    assert all(_prints_every_value(s) for s in chosen + inline), "a flat document needs every value printed"
    return ([render(s, out_dir, FLAT_DOCS[s.doc_id]) for s in chosen]
            + [render(s, out_dir, FLAT_INLINE[s.doc_id], inline=True) for s in inline])
