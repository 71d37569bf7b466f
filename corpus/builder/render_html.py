"""HTML renderings of the report specs, in the layouts government sites publish.

Styles, cycled over the specs (``style_for``) so each is used about ten times:

* ``html_gov`` — UTF-8 CMS page: top bar, navigation, breadcrumb (当前位置), a 索引号
  metadata table (above the article or at its top), the title in an ``<h1>`` above the article, an info bar with the
  spec's meta lines, tool/share bars, related links, footer with 主办单位/ICP备;
  merged tables with rowspan/colspan and ``<th>`` header cells.
* ``html_nocharset`` — an old hand-made page with no charset declaration at all
  (GBK bytes for odd-numbered specs, UTF-8 for even), text in ``<font>`` split by
  ``<br>``, navigation in a link table.
* ``html_split`` — the page laid out in a table (navigation cell + article cell +
  footer row); each statistical table with header rows split into a header
  ``<table>`` and a body ``<table>``.
* ``html_word`` — "Save as Web Page" from Word: GBK bytes labelled gb2312,
  MsoNormal paragraphs, ``<o:p>``, conditional comments, mso- styles, Word's spacer
  row; saved as ``.htm``.

Every style prints tables as the spec's ``table_style`` says: merged (official
spans), ``flat`` (every span split, labels repeated) or ``flat_blank``. The seed's
content is rendered as well (``seed_000_….html``), with its tables given the official
template's spans. Expected JSON comes from the spec (``write_expected``), never
from gaiextract.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from .content import write_expected
from .model import GridCell, Subsection, TableSpec

ROOT = Path(__file__).resolve().parent.parent
SEED_TXT = ROOT / "txt" / "seed_000_5312fda51cfcd75e.txt"
SEED_NAME = "seed_000_5312fda51cfcd75e"

STYLES = ("html_gov", "html_nocharset", "html_split", "html_word")
EXTENSION = {"html_gov": ".html", "html_nocharset": ".shtml", "html_split": ".html", "html_word": ".htm"}


def style_for(spec) -> str:
    return STYLES[(int(spec.doc_id[1:]) - 1) % len(STYLES)]


# ------------------------------------------------------------------ the report as blocks

def report_blocks(spec) -> list:
    """The spec in print order: ("para", text, kind, bold_prefix) and ("table", TableSpec).
    kind: section | sub | body; bold_prefix is the heading run into an inline paragraph."""
    out = [("para", p, "body", "") for p in spec.preamble]
    for section in spec.sections:
        blocks = section.printed_blocks()
        head = blocks[0]
        prefix = section.heading + section.inline_sep if section.inline else ""
        out.append(("para", head, "body" if section.inline else "section", prefix))
        for b in blocks[1:]:
            if isinstance(b, TableSpec):
                out.append(("table", b))
            elif isinstance(b, Subsection):
                paras = b.printed_paragraphs()
                if b.inline:
                    out.append(("para", paras[0], "body", b.heading + b.inline_sep))
                else:
                    out.append(("para", paras[0], "sub", ""))
                out += [("para", p, "body", "") for p in paras[1:]]
            else:
                out.append(("para", b, "body", ""))
    return out


def printed_table(table: TableSpec, table_style: str) -> TableSpec:
    if table_style == "flat":
        return table.flattened(repeat_labels=True)
    if table_style == "flat_blank":
        return table.flattened(repeat_labels=False)
    return table


def _cell_html(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _span_attrs(cell: GridCell, quote: str = '"') -> str:
    out = ""
    if cell.rowspan > 1:
        out += f" rowspan={quote}{cell.rowspan}{quote}"
    if cell.colspan > 1:
        out += f" colspan={quote}{cell.colspan}{quote}"
    return out


def _para_html(text: str, prefix: str, bold_open: str, bold_close: str) -> str:
    if prefix and text.startswith(prefix):
        return f"{bold_open}{escape(prefix)}{bold_close}{escape(text[len(prefix):])}"
    return escape(text)


# ------------------------------------------------------------------ html_gov

GOV_TOP = """<div class="topbar"><div class="w1200"><span class="welcome">欢迎访问政府门户网站！</span>
<span class="links"><a href="javascript:;">无障碍浏览</a> | <a href="javascript:;">长者模式</a> | <a href="/english/">English</a></span></div></div>
<div class="header"><div class="w1200"><a class="logo" href="/"><img src="/images/logo.png" alt="政府门户网站"></a>
<div class="search"><input type="text" name="q" placeholder="请输入关键字"><button type="button">搜索</button></div></div></div>
<div class="nav"><ul class="w1200">
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zj/">走进本地</a></li></ul></div>
<div class="w1200 breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; <a href="/zwgk/zfxxgk/ndbg/">政府信息公开年报</a></div>
"""

GOV_BOTTOM = """<div class="article-tools"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a>
<span class="fontsize">【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</span></div>
<div class="bdshare">分享到：<a class="wx">微信</a><a class="wb">微博</a><a class="qq">QQ空间</a></div>
<div class="related"><div class="related-title">相关链接</div><ul>
<li><a href="/zwgk/ndbg/1.html">政府信息公开工作年度报告（上一年度）</a></li>
<li><a href="/zwgk/ndbg/2.html">政府信息公开指南</a></li>
<li><a href="/zwgk/ndbg/3.html">政府信息公开制度</a></li></ul></div>
"""

GOV_FOOTER = """<div class="footer"><div class="w1200">
<p>主办单位：人民政府办公室&nbsp;&nbsp;承办单位：政务服务和数据管理局</p>
<p>网站标识码：{code}&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/" target="_blank">京ICP备{icp}号-1</a>&nbsp;&nbsp;<img src="/images/ga.png" alt="">京公网安备 110{icp}号</p>
<p>联系电话：010-6{icp}&nbsp;&nbsp;建议使用1920×1080分辨率浏览本网站&nbsp;版权所有</p>
</div></div>
<script type="text/javascript">$(function(){{ $("#hits").load("/hits?id={icp}"); }});</script>
"""


def gov_table(table: TableSpec) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            tag = "th" if cell.header else "td"
            cells.append(f'<{tag}{_span_attrs(cell)} style="border:1px solid #000;text-align:center">'
                         f'<p style="text-align:center"><span style="font-size:14px">{_cell_html(cell.text)}'
                         f'</span></p></{tag}>')
        rows.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
    return ('<div class="table-wrap" style="overflow-x:auto"><table class="table" border="1" cellspacing="0" '
            'cellpadding="0" style="border-collapse:collapse;width:100%">\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody></table></div>")


def render_gov(spec, blocks: list, table_style: str, n: int) -> bytes:
    body = []
    for b in blocks:
        if b[0] == "table":
            body.append(gov_table(printed_table(b[1], table_style)))
            continue
        _, text, kind, prefix = b
        if kind == "section":
            body.append(f'<p style="text-indent:2em;line-height:2em;"><span style="font-family:黑体">{escape(text)}</span></p>')
        elif kind == "sub":
            body.append(f'<p style="text-indent:2em;line-height:2em;"><strong>{escape(text)}</strong></p>')
        else:
            body.append(f'<p style="text-indent:2em;line-height:2em;">{_para_html(text, prefix, "<strong>", "</strong>")}</p>')
    title = "<br>".join(escape(t) for t in spec.title_lines)
    title_html = f'<h1 class="article-title">{title}</h1>\n' if title else ""
    info = "".join(f"<span>{escape(m)}</span>" for m in spec.meta_lines) or "<span>发布时间：2024-01-15</span>"
    meta_table = ""
    if (n // 4) % 2 == 0:  # every other gov page; n // 4 counts the gov pages
        meta_table = ('<table class="xxgk-table"><tr><td>索引号：</td><td>11A00000/{0}-00012</td><td>主题分类：</td>'
                      '<td>政务公开</td></tr><tr><td>发布机构：</td><td>人民政府办公室</td><td>成文日期：</td>'
                      '<td>{0}-01-20</td></tr></table>\n').format((spec.year or 2020) + 1)
    code = 1100000000 + n * 7919
    icp = f"{5060000 + n * 37:08d}"
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="ColumnName" content="政府信息公开年报">
<title>政府信息公开工作年度报告_政府门户网站</title>
<link rel="stylesheet" type="text/css" href="/images/common.css">
<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>
</head>
<body>
{GOV_TOP}<div class="w1200 main">
<div class="article">
{meta_table if (n // 4) % 4 else ""}{title_html}<div class="article-info">{info}<span>浏览次数：<em id="hits">0</em></span></div>
<div class="article-content TRS_Editor" id="zoom">
{meta_table if (n // 4) % 4 == 0 else ""}{chr(10).join(body)}
</div>
{GOV_BOTTOM}</div>
</div>
{GOV_FOOTER.format(code=code, icp=icp)}</body>
</html>
"""
    return page.encode("utf-8")


# ------------------------------------------------------------------ html_nocharset

def nocharset_table(table: TableSpec) -> str:
    rows = []
    for row in table.rows:
        cells = "".join(f"<td{_span_attrs(c, '')} align=center><font size=2>{_cell_html(c.text)}</font></td>"
                        for c in row)
        rows.append(f"<tr>{cells}</tr>")
    return "<table border=1 cellspacing=0 cellpadding=2 width=100% bordercolor=#000000>\n" + "\n".join(rows) + "\n</table>"


def render_nocharset(spec, blocks: list, table_style: str, n: int) -> bytes:
    parts = []
    for t in spec.title_lines:
        parts.append(f"<center><b><font size=5>{escape(t)}</font></b></center>")
    for b in blocks:
        if b[0] == "table":
            parts.append(nocharset_table(printed_table(b[1], table_style)))
            continue
        _, text, kind, prefix = b
        if kind in ("section", "sub"):
            parts.append(f"&nbsp;&nbsp;&nbsp;&nbsp;<b>{escape(text)}</b><br>")
        else:
            parts.append(f"\u3000\u3000{_para_html(text, prefix, '<b>', '</b>')}<br>")
    page = f"""<html>
<head>
<title>政府信息公开</title>
</head>
<body bgcolor=#FFFFFF topmargin=0>
<table width=100% border=0><tr><td class=nav><a href=/>网站首页</a> | <a href=/xxgk/>信息公开</a> | <a href=/bsfw/>办事服务</a> | <a href=/gzhd/>公众互动</a></td></tr></table>
<div id=content>
<font face=仿宋_GB2312 style="font-size:16pt">
{chr(10).join(parts)}
</font>
</div>
<div align=center class=bottom>版权所有：人民政府 &nbsp; ICP备{n:05d}号</div>
</body>
</html>
"""
    return page.encode("gb18030" if n % 2 else "utf-8")


# ------------------------------------------------------------------ html_split

def split_tables(table: TableSpec, header_rows: int) -> str:
    """A header <table> then a body <table> (when the table has header rows)."""
    parts = [table.rows[:header_rows], table.rows[header_rows:]] if header_rows else [table.rows]
    out = []
    for k, rows in enumerate(p for p in parts if p):
        trs = "\n".join("<tr>" + "".join(
            f"<td{_span_attrs(c)}>{'<b>' if c.header else ''}{_cell_html(c.text)}{'</b>' if c.header else ''}</td>"
            for c in row) + "</tr>" for row in rows)
        cls = "head" if (header_rows and k == 0) else "body"
        out.append(f'<table class="tb-{cls}" width="100%" border="1" cellspacing="0">\n{trs}\n</table>')
    return "\n".join(out)


def render_split(spec, blocks: list, table_style: str, n: int) -> bytes:
    parts = []
    if spec.title_lines:
        parts.append('<h2 align="center">' + "<br/>".join(escape(t) for t in spec.title_lines) + "</h2>")
    for b in blocks:
        if b[0] == "table":
            table = printed_table(b[1], table_style)
            parts.append(split_tables(table, b[1].header_rows))
            continue
        _, text, kind, prefix = b
        if kind == "section":
            parts.append(f"<h3>{escape(text)}</h3>")
        elif kind == "sub":
            parts.append(f"<h4>{escape(text)}</h4>")
        else:
            parts.append(f"<p>{_para_html(text, prefix, '<b>', '</b>')}</p>")
    page = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>信息公开</title>
<style type="text/css">td {{ font-size: 12px }}</style>
</head>
<body>
<table width="1000" align="center" cellpadding="0" cellspacing="0">
<tr><td colspan="2" class="banner"><img src="/img/banner.jpg"><a href="/">网站首页</a> <a href="/xxgk/">信息公开</a></td></tr>
<tr>
<td width="220" valign="top" class="left"><ul><li><a href="/xxgk/zn/">信息公开指南</a></li><li><a href="/xxgk/zd/">信息公开制度</a></li>
<li><a href="/xxgk/nb/">信息公开年报</a></li><li><a href="/xxgk/ml/">信息公开目录</a></li></ul></td>
<td width="780" valign="top">
{chr(10).join(parts)}
</td>
</tr>
<tr><td colspan="2" align="center">主办单位：人民政府办公室　技术支持：信息中心　ICP备{n:06d}号</td></tr>
</table>
</body>
</html>
"""
    return page.encode("utf-8")


# ------------------------------------------------------------------ html_word

WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List href="report.files/filelist.xml">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>微软用户</o:Author>
  <o:Pages>8</o:Pages>
  <o:Company>Microsoft</o:Company>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{mso-style-unhide:no;
	margin:0cm;
	text-align:justify;
	font-size:10.5pt;
	font-family:"Times New Roman",serif;
	mso-fareast-font-family:宋体;}}
div.WordSection1
	{{page:WordSection1;}}
-->
</style>
<!--[if gte mso 10]>
<style>
 table.MsoNormalTable
	{{mso-style-name:普通表格;
	font-size:10.0pt;}}
</style>
<![endif]-->
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>
"""

_WORD_RUN = ("<span style='font-size:{size}pt;{weight}font-family:{font};mso-hansi-font-family:"
             "\"Times New Roman\"'>{text}</span>")


def _word_p(text: str, font: str = "仿宋_GB2312", bold: bool = False, center: bool = False,
            size: float = 16.0, prefix: str = "") -> str:
    style = ("align=center style='text-align:center;line-height:36.0pt;mso-line-height-rule:exactly'" if center
             else "style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;mso-line-height-rule:exactly'")
    runs = ""
    if prefix and text.startswith(prefix):
        runs += _WORD_RUN.format(size=size, weight="font-weight:bold;", font="楷体_GB2312", text=escape(prefix))
        text = text[len(prefix):]
    runs += _WORD_RUN.format(size=size, weight="font-weight:bold;" if bold else "", font=font, text=escape(text))
    return f"<p class=MsoNormal {style}>{runs}<span lang=EN-US style='font-size:{size}pt'><o:p></o:p></span></p>"


def word_table(table: TableSpec) -> str:
    width = table.width()
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c in row:
            lines = c.text.split("\n")
            paras = "\n  ".join(
                "<p class=MsoNormal align=center style='text-align:center;mso-pagination:widow-orphan'>"
                f"<span style='font-size:9.0pt;font-family:宋体'>{escape(line)}</span><span lang=EN-US "
                "style='font-size:9.0pt'><o:p>&nbsp;</o:p></span></p>" for line in lines)
            cells.append(f"<td{_span_attrs(c, '')} valign=middle style='border:solid windowtext 1.0pt;"
                         "mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>\n  "
                         f"{paras}\n  </td>")
        rows.append(f" <tr style='mso-yfti-irow:{r}'>\n  " + "\n  ".join(cells) + "\n </tr>")
    spacer = (" <![if !supportMisalignedColumns]>\n <tr height=0>\n"
              + "".join("  <td width=39 style='border:none'></td>\n" for _ in range(width))
              + " </tr>\n <![endif]>")
    return ("<div align=center>\n<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
            "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
            "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>\n"
            + "\n".join(rows) + "\n" + spacer + "\n</table>\n</div>\n"
            "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")


def render_word(spec, blocks: list, table_style: str, n: int) -> bytes:
    parts = [_word_p(t, font="方正小标宋简体", center=True, size=22.0) for t in spec.title_lines]
    if spec.title_lines:
        parts.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    for b in blocks:
        if b[0] == "table":
            parts.append(word_table(printed_table(b[1], table_style)))
            continue
        _, text, kind, prefix = b
        if kind == "section":
            parts.append(_word_p(text, font="黑体"))
        elif kind == "sub":
            parts.append(_word_p(text, font="楷体_GB2312", bold=True))
        else:
            parts.append(_word_p(text, prefix=prefix))
    title = escape("".join(spec.title_lines) or "政府信息公开工作年度报告")
    page = WORD_HEAD.format(title=title) + "\n".join(parts) + "\n\n</div>\n\n</body>\n\n</html>\n"
    return page.encode("gb18030")


RENDERERS = {"html_gov": render_gov, "html_nocharset": render_nocharset,
             "html_split": render_split, "html_word": render_word}


def render(spec, out_dir: Path) -> Path:
    style = style_for(spec)
    n = int(spec.doc_id[1:])
    data = RENDERERS[style](spec, report_blocks(spec), spec.style.get("table_style", "merged"), n)
    path = Path(out_dir) / f"{spec.doc_id}_{style}{EXTENSION[style]}"
    path.write_bytes(data)
    write_expected(spec, path, "html", style)
    return path


# ------------------------------------------------------------------ the seed as a web page

class _SeedSpec:
    """The seed's paragraphs and tables dressed as a spec for :func:`render_gov`."""

    def __init__(self, year):
        self.title_lines, self.meta_lines, self.year = [], [], year


def seed_blocks(specs) -> list:
    """The seed text's paragraphs and tables; each table gets the spans of the official
    template (taken from a merged spec of the same edition whose rows start the same
    number of cells), else is printed as it stands."""
    import sys
    src = ROOT.parent / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    from gaiextract.document import Table
    from gaiextract.readers.text import parse_flattened

    templates = [t for s in specs if s.edition == "2021" and s.style.get("table_style") == "merged"
                 for t in s.tables()]
    out = []
    for block in parse_flattened(SEED_TXT.read_text(encoding="utf-8")):
        if not isinstance(block, Table):
            out.append(("para", block.text, "body", ""))
            continue
        shape = [len(r) for r in block.grid]
        tmpl = next((t for t in templates if [len(r) for r in t.rows] == shape), None)
        rows = []
        for r, line in enumerate(block.grid):
            rows.append([GridCell(cell.text, tmpl.rows[r][c].rowspan, tmpl.rows[r][c].colspan,
                                  tmpl.rows[r][c].header) if tmpl else GridCell(cell.text)
                         for c, cell in enumerate(line)])
        out.append(("table", TableSpec(tmpl.name if tmpl else "unknown", rows)))
    return out


def render_seed(specs, out_dir: Path) -> Path:
    expected = json.loads((SEED_TXT.with_suffix(".expected.json")).read_text(encoding="utf-8"))
    data = render_gov(_SeedSpec(expected["report"].get("year")), seed_blocks(specs), "merged", 0)
    path = Path(out_dir) / f"{SEED_NAME}.html"
    path.write_bytes(data)
    expected.update(document=path.name, format="html", style="html_seed")
    path.with_suffix(".expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def render_all(specs, out_dir: Path) -> list:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [render(spec, out_dir) for spec in specs]
    if SEED_TXT.exists():
        paths.append(render_seed(specs, out_dir))
    from .render_aligner import render_all_html  # the one-aligner documents (issue 11)

    paths += render_all_html(specs, out_dir)
    return paths
