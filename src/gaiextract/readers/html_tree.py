"""The parsed page, cleaned down to the report: parsing, non-content removal,
site chrome, and the content container.

Chrome is found two ways, both kept: the *content container* — the deepest element
holding most of the page's (non-link) Chinese text and its statistical tables — and
rules for what chrome looks like (class/id names, 当前位置 / 打印本页 / ICP备 texts,
link-dense lists). Rules alone miss unnamed chrome; the container alone keeps chrome
that sits inside the article (tool bars, 发布时间 lines).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Optional

from lxml import etree

from ..errors import ExtractError, warning
from ..limits import DEFAULT_LIMITS as LIMITS
from ..limits import require_positive
from ..textnorm import CN_DIGITS, HAN
from .chrome import CHROME_NAME, CHROME_TEXT, META_LABELS

@dataclass(frozen=True)
class HtmlSettings:
    """The tolerances of page cleaning, in one place (validated when built)."""

    #: a table cell with more Chinese characters of its own is a text box: the table lays out the page
    layout_cell_han: int = 200
    #: ... or with this many ``<br>``
    layout_cell_breaks: int = 6
    #: ... or a nested table next to more Chinese text of its own than this
    layout_nested_han: int = 60
    #: a paragraph/div/list item/heading with more Chinese characters than this is a block of text
    layout_block_han: int = 20
    #: ... and a cell holding this many such blocks is a text box
    layout_blocks: int = 4
    #: an element named like chrome (nav, footer …) is dropped only when it holds less
    #: than this share of the page's non-link Chinese text
    chrome_name_share: float = 0.2
    #: an element at most this many characters long that holds a chrome phrase is dropped whole
    chrome_text_max: int = 150
    #: a list is navigation when its link text has at least this many times the
    #: Chinese characters of its other text (4: 80 % links)
    link_ratio: float = 4.0
    #: the content container holds at least this share of the page's non-link Chinese text
    container_han_share: float = 0.6
    #: ... and this share of the Chinese text of its statistical tables
    container_table_share: float = 0.8
    #: a title is looked for before the container and up to this many of its ancestors
    title_levels: int = 4
    #: a title line is this long (characters), at least and at most
    title_min_chars: int = 6
    title_max_chars: int = 80
    #: report text, never chrome: a run of at least this many Chinese characters (and
    #: commas) ending in 。 is a sentence of the report
    report_sentence_chars: int = 12
    #: a numeric ``font-weight`` of at least this is bold
    bold_weight: int = 600
    #: table grid positions (rows x columns, spans counted as printed) above which
    #: column spans are capped at the widest row's cell count (a hostile colspan)
    span_grid_max: int = 200_000
    #: bytes at the head of a file looked at for an MHTML archive or binary data
    sniff_bytes: int = 8192

    def __post_init__(self) -> None:
        require_positive(self)
        for share in ("chrome_name_share", "container_han_share", "container_table_share"):
            if getattr(self, share) > 1:
                raise ValueError(f"HtmlSettings.{share} is a share: at most 1")
        if self.title_min_chars > self.title_max_chars:
            raise ValueError("HtmlSettings.title_min_chars must not exceed title_max_chars")


SETTINGS = HtmlSettings()

#: elements whose content is never report text
SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
             "embed", "applet", "head", "title", "input", "select", "option", "button",
             "textarea", "svg", "math", "canvas", "audio", "video", "map", "xml"))

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_HAN = re.compile(f"[{HAN}]")

#: class/id words and texts that only chrome has (grammars/chrome.toml); an element at
#: most ``HtmlSettings.chrome_text_max`` chars long that contains a text is dropped whole
_CHROME_NAME, _CHROME_TEXT = CHROME_NAME, CHROME_TEXT


@functools.lru_cache(maxsize=8)
def _report_text(sentence_chars: int) -> re.Pattern[str]:
    """Report text, never chrome: a numbered heading at the start, or a full sentence."""
    return re.compile(rf"^\s*(?:[{CN_DIGITS}]+、|[（(][{CN_DIGITS}]+[）)]|第[{CN_DIGITS}]+部分)"
                      rf"|[{HAN}，]{{{sentence_chars},}}。")


#: labels of the page-metadata box government disclosure pages put above the article
_META_LABELS = META_LABELS

#: a list whose text is mostly link text is navigation or related links
_LINK_LISTS = ("ul", "ol", "dl", "div", "nav", "menu", "section", "aside")

BLOCK_TAGS = frozenset((
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "pre", "section", "article", "header", "footer", "main", "aside", "nav",
    "center", "form", "fieldset", "address", "hr", "figure", "figcaption", "caption", "body",
    "html", "details", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "menu",
    "legend", "listing", "plaintext", "xmp"))

#: inline tags old pages leave unclosed (one more level per line); dropped when the
#: nesting reaches libxml2's depth limit, which would otherwise end the parse there
_INLINE_TAGS = re.compile(r"</?(?:font|span|b|strong|i|u|em|small|big|strike|s|sup|sub)\b[^>]*>", re.I)


def _parse_once(data: bytes):
    """Parse UTF-8 page bytes: ``(root, nested too deep)``."""
    # lxml's plain elements, not lxml.html's: those look up a Python element class for
    # every node the walk touches (a third of the reader's time on a large page)
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              no_network=True, huge_tree=True, default_doctype=False)
    root = etree.fromstring(data, parser=parser)
    if root is None:
        raise etree.ParserError("Document is empty")
    too_deep = any("Excessive depth" in e.message for e in parser.error_log)
    return root, too_deep


#: the text of an element and all its descendants (lxml.html's ``text_content``)
text_content = etree.XPath("string()", smart_strings=False)


#: a start tag long enough to hold more attributes than allowed (each takes at least
#: ``x=1`` and a space); shorter tags are never looked at, so the scan stays linear
_START_TAG_RE = re.compile(r"<([A-Za-z][A-Za-z0-9:_-]*)([^<>]{%d,})>" % (4 * LIMITS.max_attributes))
_ATTR_RE = re.compile(r"[\s\"'][^\s\"'=<>/]+\s*=")


#: characters XML cannot hold: libxml2's HTML parser keeps them in text, but lxml
#: then refuses to move such text between nodes (ValueError when an element is dropped)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: the same on the page's UTF-8 bytes (a control character is one byte there, never part
#: of a longer sequence): control bytes become spaces by a table, U+FFFE/U+FFFF by a regex
_CONTROL_TO_SPACE = bytes(32 if _NOT_XML.match(chr(b)) else b for b in range(256))
_NOT_XML_UTF8 = re.compile(b"\xef\xbf[\xbe\xbf]")
#: what every start tag ``_START_TAG_RE`` rewrites begins with: where it is absent
#: (nearly every page), the attribute limit has nothing to do
_LONG_TAG = re.compile(rb"<[A-Za-z][^<>]{%d}" % (4 * LIMITS.max_attributes - 1))


def _page_bytes(text: str) -> tuple[bytes, int]:
    """The page text as the UTF-8 bytes the parser reads, characters XML cannot hold
    made spaces and the attribute limit applied: ``(bytes, tags simplified)``."""
    data = text.encode("utf-8", "surrogatepass").translate(_CONTROL_TO_SPACE)
    if b"\xef\xbf" in data:
        data = _NOT_XML_UTF8.sub(b" ", data)
    if not _LONG_TAG.search(data):
        return data, 0
    text, simplified = limit_attributes(data.decode("utf-8", "surrogatepass"))
    return text.encode("utf-8", "surrogatepass"), simplified


def limit_attributes(text: str) -> tuple[str, int]:
    """Start tags with more than ``max_attributes`` attributes lose their attributes
    (libxml2 checks each new attribute against all earlier ones: 200k attributes on
    one element take minutes). Returns ``(text, tags simplified)``."""
    n = 0

    def fix(m: "re.Match[str]") -> str:
        nonlocal n
        if len(_ATTR_RE.findall(m.group(2))) <= LIMITS.max_attributes:
            return m.group(0)
        n += 1
        return f"<{m.group(1)}>"

    return _START_TAG_RE.sub(fix, text), n


_COUNT = etree.XPath("count(//*)")


def _check_size(root, name: Optional[str]) -> None:
    if _COUNT(root) > LIMITS.max_html_elements:
        raise ExtractError("too_large", f"the page has more than {LIMITS.max_html_elements} elements", name)


def parse(text: str, name: Optional[str] = None) -> tuple[etree._Element, list[dict[str, Any]]]:
    """Parse page text with libxml2's HTML parser: no network, no entity
    resolution beyond HTML's own character references, comments (incl. Word's
    conditional comments) and processing instructions dropped. Returns
    ``(root, warnings)``; markup nested past the parser's depth limit even without
    inline tags is ``corrupt`` (the parser would silently stop there)."""
    data, simplified = _page_bytes(text)
    warnings = []
    if simplified:
        warnings.append(warning("markup_simplified",
                                detail=f"{simplified} tag(s) with more than {LIMITS.max_attributes} attributes "
                                       "read without their attributes"))
    try:
        root, too_deep = _parse_once(data)
    except etree.LxmlError as exc:  # only a page with no elements at all gets here
        if "empty" in str(exc).lower():
            raise ExtractError("empty", "the page holds no markup or text", name) from None
        raise ExtractError("corrupt", f"HTML parser failed: {exc}", name) from None
    _check_size(root, name)
    if not too_deep:
        return root, warnings
    text = _INLINE_TAGS.sub("", data.decode("utf-8", "surrogatepass"))
    root, too_deep = _parse_once(text.encode("utf-8", "surrogatepass"))
    if too_deep:
        raise ExtractError("corrupt", "markup nested deeper than the HTML parser allows (2048 levels)", name)
    return root, warnings + [warning("markup_simplified",
                                     detail="markup nested deeper than the parser allows; inline formatting "
                                            "tags were ignored to read the whole page")]


def tag_of(el) -> str:
    """The element's tag ('' for a comment or other non-element); libxml2's HTML parser
    gives lower-case names without namespaces (``o:p`` stays ``o:p``)."""
    tag = el.tag
    return tag if isinstance(tag, str) else ""


def han_count(text: Optional[str]) -> int:
    if not text or text.isascii():  # most text nodes are whitespace between tags
        return 0
    return len(_HAN.findall(text))


def drop(el) -> None:
    """Remove an element but keep its tail text (it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


#: characters a case-insensitive pattern matches to an ASCII letter that ``str.lower``
#: does not turn into it (İ ı → i, ſ → s, the Kelvin sign → k)
_ODD_CASE = ("\u0130", "\u0131", "\u017f", "\u212a")


def may_contain(text: str, low: str, words: tuple[str, ...]) -> bool:
    """False only when a case-insensitive pattern needing one of ``words`` cannot match
    ``text`` (``low`` is ``text.lower()``): a cheap test before the regex."""
    for w in words:  # (loops, not any(): this runs for nearly every element of a Word page)
        if w in low:
            return True
    if text.isascii():
        return False
    for c in _ODD_CASE:
        if c in text:
            return True
    return False


def non_content(root) -> list[etree._Element]:
    """Scripts, styles, form controls and hidden elements under ``root`` (incl. itself):
    the ``hidden`` attribute, or a style that hides it (its words looked for before the
    regex: Word pages carry a style on nearly every element)."""
    out = []
    for el in root.iter(etree.Element):
        if el.tag in SKIP_TAGS or el.get("hidden") is not None:
            out.append(el)
            continue
        style = el.get("style")
        if style and may_contain(style, style.lower(), ("none", "hid")) and _HIDDEN_STYLE.search(style):
            out.append(el)
    return out


def strip_non_content(root) -> None:
    """Remove scripts, styles, form controls and hidden elements (keeping tails)."""
    for el in non_content(root):
        drop(el)


def own_rows(table) -> list[etree._Element]:
    """The <tr> elements of this table (not of tables nested in its cells)."""
    rows = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        if child.tag == "tr":
            rows.append(child)
        else:
            rows.extend(child.iterchildren("tr"))
    return rows


def own_cells(tr) -> list[etree._Element]:
    return list(tr.iterchildren("td", "th"))


#: a cell holding ``HtmlSettings.layout_blocks`` of these with a long text of their own is a text box
_TEXT_BLOCKS = frozenset(("p", "div", "li", "h1", "h2", "h3", "h4"))


class PageStats:
    """Per-element counts, bottom up: Chinese characters outside links, total
    characters, and Chinese characters inside statistical (non-layout) tables.

    One pass over the tree (``iterwalk`` start/end events): an element's counts are
    summed while its subtree is walked and handed to its parent at its end. For table
    cells the pass also counts what :func:`is_layout_table` asks of them (``<br>``,
    long text blocks, nested tables and their text), so no cell is walked again."""

    def __init__(self, root, st: HtmlSettings = SETTINGS):
        self.han: dict[etree._Element, int] = {}
        self.chars: dict[etree._Element, int] = {}
        self.table_han: dict[etree._Element, int] = {}
        self.layout: dict[etree._Element, bool] = {}
        #: per cell with child elements: (``<br>``, long text blocks, nested tables,
        #: Chinese characters of its outermost nested tables)
        self.cells: dict[etree._Element, tuple[int, int, int, int]] = {}
        han_of, chars_of, than_of, layout, cells = self.han, self.chars, self.table_han, self.layout, self.cells
        block_han = st.layout_block_han
        find_han = _HAN.findall
        # per open element: [han, chars, table han, is a link, <br>, text blocks, tables, outer tables' han]
        stack: list[list[Any]] = []
        for event, el in etree.iterwalk(root, events=("start", "end"), tag=etree.Element):
            tag = el.tag
            if event == "start":
                text = el.text
                if not text:
                    stack.append([0, 0, 0, tag == "a", tag == "br", 0, 0, 0])
                elif tag == "a":
                    stack.append([0, len(text), 0, True, 0, 0, 0, 0])
                else:  # (han_count inlined: this runs for every element of the page)
                    han = 0 if text.isascii() else len(find_han(text))
                    stack.append([han, len(text), 0, False, tag == "br", tag in _TEXT_BLOCKS and han > block_han, 0, 0])
                continue
            han, chars, than, _, brs, blocks, tables, outer = stack.pop()
            han_of[el], chars_of[el] = han, chars
            if tag == "table":
                layout[el] = lay = is_layout_table(el, self, st)
                if not lay and han > than:
                    than = han
                tables += 1
                outer = han
            elif (tag == "td" or tag == "th") and len(el):
                cells[el] = (brs, blocks, tables, outer)
            than_of[el] = than
            if stack:
                up = stack[-1]
                tail = el.tail
                if tail:
                    chars += len(tail)
                    if not up[3] and not tail.isascii():
                        han += len(find_han(tail))
                up[1] += chars
                up[2] += than
                if not up[3]:
                    up[0] += han
                if brs or blocks or tables:
                    up[4] += brs
                    up[5] += blocks
                    up[6] += tables
                    up[7] += outer

    def forget(self, el) -> None:
        """Take a subtree about to be dropped out of its ancestors' counts."""
        han, chars, than = self.han.get(el, 0), self.chars.get(el, 0), self.table_han.get(el, 0)
        in_link = False
        for anc in el.iterancestors():
            in_link = in_link or tag_of(anc) == "a"
            if anc in self.chars:
                if not in_link:
                    self.han[anc] -= han
                self.chars[anc] -= chars
                self.table_han[anc] -= than

    def is_data_table(self, el) -> bool:
        return tag_of(el) == "table" and not self.layout.get(el, True)


def is_layout_table(table, stats: "PageStats", st: HtmlSettings = SETTINGS) -> bool:
    """A table used to lay out the page (or a single text box), not a report table:
    one column, or a cell holding a long text / many paragraphs, or a nested table
    next to text of its own or holding most of the table's text. The cells' counts
    come from ``stats`` (:class:`PageStats` calls this at the table's end)."""
    rows = [own_cells(r) for r in own_rows(table)]
    if not rows or max(len(r) for r in rows) <= 1:
        return True
    han = stats.han
    for r in rows:
        for cell in r:
            inside = stats.cells.get(cell)
            if inside is None:  # text only (most cells): its own Chinese text is all that counts
                if han.get(cell, 0) > st.layout_cell_han:
                    return True
                continue
            brs, blocks, nested, nested_han = inside
            own_han = han.get(cell, 0) - nested_han
            if own_han > st.layout_cell_han or brs >= st.layout_cell_breaks:
                return True
            if nested and (own_han > st.layout_nested_han or nested_han * 2 >= max(han.get(table, 0), 1)):
                return True
            if blocks >= st.layout_blocks:
                return True
    return False


def remove_chrome(root, stats: PageStats, st: HtmlSettings = SETTINGS) -> None:
    """Drop elements that are site chrome by name, text or link density."""
    total = max(stats.han.get(root, 0), 1)
    report_text = _report_text(st.report_sentence_chars)
    doomed = []
    walker = etree.iterwalk(root, events=("start",))
    for _, el in walker:
        tag = tag_of(el)
        if not tag or el is root:
            continue
        if stats.is_data_table(el):
            if len(set(_META_LABELS.findall(text_content(el)))) >= 2:
                doomed.append(el)  # the 索引号/发布机构 box of 政府信息公开 pages
            walker.skip_subtree()
            continue
        if stats.table_han.get(el, 0):
            continue  # holds report tables: never chrome as a whole; look inside
        if tag in ("tr", "tbody", "thead", "tfoot"):
            continue
        han = stats.han.get(el, 0)
        names = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if names and _CHROME_NAME.search(names) and han < st.chrome_name_share * total \
                and not report_text.search(text_content(el)):
            doomed.append(el)
            walker.skip_subtree()
            continue
        if stats.chars.get(el, 0) <= st.chrome_text_max:
            text = text_content(el)
            if not _CHROME_TEXT.search(text):
                walker.skip_subtree()
            elif not report_text.search(text):
                doomed.append(el)
                walker.skip_subtree()
            continue  # chrome words next to report text: look at the parts
        if tag in _LINK_LISTS and _link_dense(el, stats, st):
            doomed.append(el)
            walker.skip_subtree()
    for el in doomed:
        stats.forget(el)
        drop(el)


def _link_dense(el, stats: PageStats, st: HtmlSettings = SETTINGS) -> bool:
    links = [a for a in el.iter("a")]
    if len(links) < 2:
        return False
    link_han = sum(han_count(text_content(a)) for a in links)
    return link_han >= st.link_ratio * stats.han.get(el, 0)


#: elements that can hold an article (a <p> or heading is a part of one, never the whole)
_CONTAINER_TAGS = frozenset(("div", "section", "article", "main", "td", "th", "table", "tbody",
                             "thead", "tr", "center", "form", "blockquote", "dl", "dd", "font",
                             "span", "body"))


def find_container(body, stats: PageStats, st: HtmlSettings = SETTINGS):
    """The deepest block container with a share of the page's non-link Chinese text
    (60 %) and of the text of its statistical tables (80 %): see :class:`HtmlSettings`."""
    total, total_t = stats.han.get(body, 0), stats.table_han.get(body, 0)
    if not total:
        return body  # no Chinese text to go by: keep the whole page
    node = body
    while True:
        nxt = None
        for ch in node:
            if tag_of(ch) not in _CONTAINER_TAGS:
                continue
            if stats.han.get(ch, 0) >= st.container_han_share * total \
                    and stats.table_han.get(ch, 0) >= st.container_table_share * total_t:
                nxt = ch
                break
        if nxt is None or stats.is_data_table(nxt):
            return node
        node = nxt


def find_title(container, body, stats: PageStats, st: HtmlSettings = SETTINGS):
    """A short title line (…年…报告) just before the container, outside it: pages
    often print the title in a heading above the article body."""
    node, levels = container, 0
    while node is not None and node is not body and levels < st.title_levels:
        sib = node.getprevious()
        while sib is not None:
            if isinstance(sib.tag, str):
                found = _title_in(sib, stats, st)
                if found is not None:
                    return found
            sib = sib.getprevious()
        node, levels = node.getparent(), levels + 1
    return None


_TITLE_TEXT = re.compile(r"(?:19|20)\d\d.*报告|报告.*(?:19|20)\d\d", re.S)


def _title_in(el, stats: PageStats, st: HtmlSettings = SETTINGS):
    walker = etree.iterwalk(el, events=("start",))
    for _, cand in walker:
        tag = tag_of(cand)
        if tag in ("a", "ul", "ol", "li", "select") or stats.is_data_table(cand):
            walker.skip_subtree()
            continue
        if not tag or stats.chars.get(cand, 0) > st.title_max_chars:
            continue  # too long to be a title; look inside
        text = text_content(cand).strip()
        if st.title_min_chars <= len(text) <= st.title_max_chars and _TITLE_TEXT.search(text) and not _CHROME_TEXT.search(text) \
                and not text.startswith("标题") and cand.find(".//a") is None:
            return cand
        walker.skip_subtree()
    return None
