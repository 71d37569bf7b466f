"""Walk a WordprocessingML body into Paragraph and Table blocks, in order.

python-docx's ``document.paragraphs``/``document.tables`` lose the interleaving
of text and tables, and ``row.cells`` repeats a merged cell once per grid
column it covers; both would double labels and values. So the walk here reads
the XML itself:

* body children ``w:p``, ``w:tbl`` and content controls (``w:sdt``) in order;
* table rows cell by cell with ``w:gridBefore``/``w:gridAfter``, ``w:gridSpan``,
  ``w:vMerge`` (restart/continue) and legacy ``w:hMerge``, so each merged cell
  appears once, at its span origin, with its rowspan/colspan;
* tables nested in cells and content of text boxes become their own blocks
  right after the block that holds them (never dropped), with a warning;
* run text with tracked changes resolved as accepted (insertions kept,
  deletions dropped), field results kept and field instructions dropped.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Optional

from ..document import Cell, Paragraph, Table
from ..errors import warning
from ..limits import DEFAULT_LIMITS as LIMITS
from .docx_numbering import Numbering
from .docx_styles import MATH, MC, W, Styles, child, int_val, on_off, val, wattr, wchild, wtag

if TYPE_CHECKING:
    from lxml import etree

    from ..document import Block

#: marks the computed list label among a paragraph's pieces (not a run: no formatting)
_LABEL = object()

#: inline wrappers whose content is read as if it were the paragraph's own
_INLINE_CONTAINERS = {
    "ins", "moveTo", "hyperlink", "smartTag", "customXml", "sdt", "sdtContent",
    "fldSimple", "dir", "bdo", "m:oMathPara", "m:oMath", "m:r", "m:e", "m:num",
    "m:den", "m:sub", "m:sup", "m:d", "m:f", "m:sSub", "m:sSup", "m:rad", "m:deg",
}
#: inline content that is not shown in the accepted version of the document
_INLINE_DROPPED = {"del", "moveFrom"}
#: block wrappers whose children are blocks of the enclosing container
_BLOCK_CONTAINERS = {"sdt", "sdtContent", "customXml", "ins", "moveTo"}


def _clark(name: str) -> str:
    """``"p"`` → ``"{w-namespace}p"``, ``"m:r"`` → ``"{math-namespace}r"`` (the trees are
    in the transitional namespace: read_docx_bytes calls to_transitional)."""
    if name.startswith("m:"):
        return MATH + name[2:]
    if name.startswith("mc:"):
        return MC + name[3:]
    return W + name


# Clark tags compared in the walk (one string comparison instead of a name lookup)
_INLINE_TAGS = frozenset(_clark(n) for n in _INLINE_CONTAINERS)
_BLOCK_TAGS = frozenset(_clark(n) for n in _BLOCK_CONTAINERS)
_ROW_WRAPPER_TAGS = frozenset(_clark(n) for n in ("sdt", "sdtContent", "customXml"))
_P, _TBL, _SDT, _R, _T, _ALTCHUNK = (W + n for n in ("p", "tbl", "sdt", "r", "t", "altChunk"))
_PPR, _RPR, _VANISH, _NUMID, _PSTYLE, _NUMPR = (
    W + n for n in ("pPr", "rPr", "vanish", "numId", "pStyle", "numPr"))
_TR, _TC, _TRPR, _TCPR, _DEL = (W + n for n in ("tr", "tc", "trPr", "tcPr", "del"))
_GRID_BEFORE, _GRID_AFTER, _GRID_SPAN, _VMERGE, _HMERGE = (
    W + n for n in ("gridBefore", "gridAfter", "gridSpan", "vMerge", "hMerge"))
_FLDCHAR, _INSTRTEXT, _RUBY, _OBJECT = (W + n for n in ("fldChar", "instrText", "ruby", "object"))
_TAB_TAGS = frozenset(W + n for n in ("tab", "ptab"))
_BREAK_TAGS = frozenset(W + n for n in ("br", "cr"))
_NB_HYPHEN, _SYM = W + "noBreakHyphen", W + "sym"
_BOX_TAGS = frozenset((W + "drawing", W + "pict", W + "object", MC + "AlternateContent"))
_MATH_T, _MC_ALT = MATH + "t", MC + "AlternateContent"
#: every tag the inline walk reads other than w:r and w:t (and the elements it skips)
_NOT_PLAIN_TAGS = tuple(sorted(
    _INLINE_TAGS | _TAB_TAGS | _BREAK_TAGS | _BOX_TAGS
    | {_SDT, _MATH_T, _MC_ALT, _FLDCHAR, _INSTRTEXT, _RUBY, _OBJECT, _NB_HYPHEN, _SYM, _VANISH}))
_NOT_PLAIN_SET = frozenset(_NOT_PLAIN_TAGS)
#: what _Index looks for
_INDEX_TAGS = tuple(sorted(_NOT_PLAIN_SET | {_PSTYLE, _NUMPR, _DEL, _GRID_BEFORE, _GRID_AFTER,
                                             _GRID_SPAN, _VMERGE, _HMERGE}))

_ALIGN = {"both": "justify", "distribute": "distribute", "start": "left", "end": "right",
          "center": "center", "left": "left", "right": "right"}

#: private-use code points of the Wingdings/Symbol fonts used for check boxes
_SYMBOLS = {0xF0A8: "□", 0xF06F: "□", 0xF0FE: "☑", 0xF078: "☒", 0xF0FD: "☒", 0xF0A1: "○",
            0xF09F: "●", 0xF06C: "●"}


class BodyWalker:
    """Turns the children of ``w:body`` into blocks; collects warnings.

    The tree must be in the transitional namespace (``to_transitional`` renames
    ISO-strict documents; read_docx_bytes does it): tags are compared as strings."""

    def __init__(self, styles: Optional[Styles] = None, numbering: Optional[Numbering] = None):
        self.styles = styles or Styles()
        self.numbering = numbering or Numbering()
        self.warnings: list[dict[str, Any]] = []
        self._fields: list[_Field] = []  # open complex fields, innermost last
        self._in_toc = False  # text was read inside a TOC field's result
        self._index: Optional[_Index] = None  # of the container being walked

    # -- blocks ---------------------------------------------------------------
    def blocks(self, container) -> list[Block]:
        if self._index is not None:  # a text box inside the walked container
            return self._blocks(container)
        self._index = _Index(container)
        # cell paragraphs without a style of their own have no list number to compute
        self._index.plain_cells = self.styles.para_head(None)[1] is None
        try:
            return self._blocks(container)
        finally:
            self._index = None

    def _blocks(self, container) -> list[Block]:
        out: list[Block] = []
        for ch in container:
            t = ch.tag
            if t == _P:
                out.extend(self.paragraph(ch))
            elif t == _TBL:
                out.extend(self.table(ch))
            elif t == _SDT and _is_placeholder(ch):
                continue
            elif t in _BLOCK_TAGS:
                out.extend(self._blocks(ch))
            elif t == _ALTCHUNK:
                self._warn("unsupported_content",
                           "an imported chunk (w:altChunk) is not read")
        return out

    # -- paragraphs -----------------------------------------------------------
    def paragraph(self, p) -> list[Block]:
        """The paragraph (if it has text) followed by blocks of its text boxes."""
        ppr = child(p, _PPR)
        style_id, num_pr = self.styles.para_head(ppr)
        self._new_paragraph()
        pieces: list[tuple[str, Any]] = []  # (text, rpr)
        extras: list[Block] = []
        label = None if num_pr is None else self._list_label(num_pr)
        if label:
            pieces.append((label, _LABEL))
        self._inline(p, pieces, extras, style_id)
        text = "".join([t for t, _ in pieces])
        out: list[Block] = []
        if text.strip() and text.strip() != (label or "").strip():
            hints = self._hints(ppr, style_id, pieces)
            if label:
                hints["numbering"] = label.strip()
            if self._in_toc or (hints.get("style") or "").lower().startswith("toc"):
                hints["toc"] = True  # a table-of-contents line, not a heading
            out.append(Paragraph(text=text, hints=hints))
        out.extend(extras)
        return out

    def text_of(self, p) -> tuple[str, list[Block]]:
        """Plain text of a paragraph (for table cells) plus its extra blocks."""
        self._new_paragraph()
        pieces: list[tuple[str, Any]] = []
        extras: list[Block] = []
        idx = self._index
        if idx is not None and p not in idx.styled_paragraphs:
            num_pr = self.styles.para_head(None)[1]  # the default paragraph style's
        else:
            num_pr = self.styles.para_head(child(p, _PPR))[1]
        label = None if num_pr is None else self._list_label(num_pr)
        if label:
            pieces.append((label, _LABEL))
        self._inline(p, pieces, extras, None, False)
        return "".join([t for t, _ in pieces]), extras

    def _new_paragraph(self) -> None:
        # a field instruction never spans paragraphs in practice: an unclosed one
        # must not hide the rest of the document (results, e.g. a TOC, do span)
        if not self._fields:
            self._in_toc = False
            return
        self._fields = [f for f in self._fields if f.state == "result"]
        self._in_toc = any(f.is_toc for f in self._fields)

    def _list_label(self, num_pr) -> Optional[str]:
        """The automatic number Word prints before a paragraph with this numPr, if any."""
        num_id = val(child(num_pr, _NUMID))
        return self.numbering.label(num_id, int_val(wchild(num_pr, "ilvl")) or 0)

    def _inline(self, el, pieces: list[tuple[str, Any]], extras: list[Block], style_id,
                rich: bool = True) -> None:
        """Text pieces of ``el``'s content; with ``rich`` False (a cell's text) the pieces
        carry no run properties (only the hidden-text check reads them)."""
        for ch in el:
            t = ch.tag
            if t == _R:
                idx = self._index
                if rich or idx is None or ch in idx.maybe_hidden_runs:
                    self._run(ch, pieces, extras, rich)
                else:  # no child of the run holds w:vanish
                    self._run_content(ch, None, pieces, extras, rich)
            elif t == _SDT and _is_placeholder(ch):
                continue
            elif t in _INLINE_TAGS:
                self._inline(ch, pieces, extras, style_id, rich)
            elif t == _MATH_T:
                if not self._in_instruction():
                    pieces.append((ch.text or "", None))
            elif t == _MC_ALT:
                alt = _alternate(ch)
                if alt is not None:
                    self._inline(alt, pieces, extras, style_id, rich)
            # pPr, bookmarks, comments, proofErr, _INLINE_DROPPED: nothing shown

    def _in_instruction(self) -> bool:
        return bool(self._fields) and any(f.state == "instr" for f in self._fields)

    def _run(self, r, pieces: list[tuple[str, Any]], extras: list[Block], rich: bool = True) -> None:
        rpr = child(r, _RPR)
        if rpr is not None and on_off(child(rpr, _VANISH)):  # hidden text is not part of the page
            return
        self._run_content(r, rpr if rich else None, pieces, extras, rich)

    def _run_content(self, r, rpr, pieces: list[tuple[str, Any]], extras: list[Block], rich: bool) -> None:
        for ch in r:
            t = ch.tag
            if t == _T:  # the common case first (no tag below is w:t)
                if self._fields:
                    if self._in_instruction():
                        continue
                    pieces.append((ch.text or "", rpr))
                    if any(f.is_toc for f in self._fields):
                        self._in_toc = True
                else:
                    pieces.append((ch.text or "", rpr))
                continue
            if t == _RPR:
                continue
            if t == _FLDCHAR:
                kind = wattr(ch, "fldCharType")
                if kind == "begin":
                    self._fields.append(_Field())
                elif kind == "separate" and self._fields:
                    self._fields[-1].state = "result"
                elif kind == "end" and self._fields:
                    self._fields.pop()
                continue
            if t == _INSTRTEXT:
                if self._fields and self._fields[-1].state == "instr":
                    self._fields[-1].code += ch.text or ""
                continue
            if t == _RUBY:  # phonetic guide: keep the base text, drop the reading
                base = wchild(ch, "rubyBase")
                if base is not None:
                    self._inline(base, pieces, extras, None, rich)
                continue
            if t == _OBJECT:
                self._embedded_object(ch)
            if t in _BOX_TAGS:
                self._text_boxes(ch, extras)
                continue
            if self._in_instruction():
                continue
            if t in _TAB_TAGS:
                pieces.append((" ", None))
            elif t in _BREAK_TAGS:
                pieces.append(("\n", None))
            elif t == _NB_HYPHEN:
                pieces.append(("-", rpr))
            elif t == _SYM:
                pieces.append((_symbol(ch), rpr))
            # delText, instrText, softHyphen, footnote/endnote/comment refs: not body text

    def _embedded_object(self, obj) -> None:
        """Tables pasted as embedded Excel/Word objects hold data we cannot read: say so."""
        for node in obj.iter():
            prog = node.get("ProgID") if isinstance(node.tag, str) else None
            if prog:
                self._warn("embedded_object", f"an embedded {prog} object is not read "
                           "(its content may hold a table)")
                return

    def _text_boxes(self, el, extras: list[Block]) -> None:
        """Read text boxes inside a drawing once (mc:Fallback repeats them)."""
        for node in el.iter():
            if wtag(node) == "txbxContent" and not _under_fallback(node, el):
                if _inside_other_txbx(node, el):
                    continue
                blocks = self.blocks(node)
                if blocks:
                    self._warn("text_box", "text box content read as blocks after its paragraph")
                extras.extend(blocks)

    def _hints(self, ppr, style_id, pieces) -> dict[str, Any]:
        st = self.styles
        hints: dict[str, Any] = {}
        name = st.name(style_id) if child(ppr, _PSTYLE) is not None else None
        if name:
            hints["style"] = name
        lvl = st.outline_level(ppr, style_id)
        if lvl is not None:
            hints["outline_level"] = lvl
        jc = wattr(st.para_prop(ppr, style_id, "jc"), "val")
        if jc:
            hints["align"] = _ALIGN.get(jc, jc)
        bold_all, sizes = True, Counter()
        saw_text = False
        for text, rpr in pieces:
            n = len(text.strip())
            if not n or rpr is _LABEL:
                continue
            saw_text = True
            if not on_off(st.run_prop(rpr, style_id, "b")):
                bold_all = False
            sz = int_val(st.run_prop(rpr, style_id, "sz"))
            if sz:
                sizes[sz / 2] += n
        if saw_text:
            hints["bold"] = bold_all
        if sizes:
            hints["font_size"] = sizes.most_common(1)[0][0]
        if st.para_prop(ppr, style_id, "numPr") is not None:
            hints["numbered"] = True
        return hints

    # -- tables -----------------------------------------------------------------
    def table(self, tbl) -> list[Block]:
        """The table followed by any tables nested in its cells."""
        nested: list[Block] = []
        placed: list[list[tuple[int, int, Optional[str], Optional[str], str]]] = []  # rows of (col, colspan, vmerge, hmerge, text)
        ends: list[int] = []  # grid width each row claims, gridAfter included
        max_cols = LIMITS.max_table_columns
        idx = self._index
        for tr in _rows(tbl):
            plain_row = idx is not None and tr not in idx.row_properties
            trpr = None if plain_row else child(tr, _TRPR)
            if trpr is not None and child(trpr, _DEL) is not None:  # deleted row (tracked change)
                continue
            col = _clamp(int_val(child(trpr, _GRID_BEFORE)) or 0, 0) if trpr is not None else 0
            row = []
            for tc in _cells(tr):
                if col >= max_cols:
                    break  # a row wider than any table: the rest of it cannot be placed
                span, vmerge, hmerge = 1, None, None
                tcpr = None if idx is not None and tc not in idx.merged_cells else child(tc, _TCPR)
                if tcpr is not None:
                    gs = vm = hm = None  # the first of each, as Word reads them
                    for ch in tcpr:
                        t = ch.tag
                        if t == _GRID_SPAN:
                            gs = ch if gs is None else gs
                        elif t == _VMERGE:
                            vm = ch if vm is None else vm
                        elif t == _HMERGE:
                            hm = ch if hm is None else hm
                    span = _clamp(int_val(gs) or 1, 1)
                    vmerge = None if vm is None else (val(vm) or "continue")
                    hmerge = None if hm is None else (val(hm) or "continue")
                row.append((col, span, vmerge, hmerge, self._cell_text(tc, nested)))
                col += span
            placed.append(row)
            ends.append(col + _clamp(int_val(child(trpr, _GRID_AFTER)) or 0, 0) if trpr is not None else col)
        if not any(placed):
            return nested
        width = min(max([len(_grid_cols(tbl))] + ends), LIMITS.max_table_columns)
        max_rows = max(1, LIMITS.max_table_cells // max(width, 1))
        if len(placed) > max_rows:
            self._warn("truncated", f"a table of {len(placed)} rows x {width} columns: only the first "
                                    f"{max_rows} rows read (limit {LIMITS.max_table_cells} cells)")
            placed = placed[:max_rows]
        grid = _build_grid(placed, width)
        if nested:
            self._warn("nested_table",
                       f"{len(nested)} table(s) nested in table cells read as separate tables")
        return [Table(grid=grid)] + nested

    def _cell_text(self, tc, nested: list[Block]) -> str:
        texts = []
        idx = self._index
        plain = idx is not None and idx.plain_cells
        for ch in tc:
            t = ch.tag
            if t == _P:
                if plain and not self._fields and ch not in idx.plain_excluded:
                    # only runs of w:t (see _Index.plain_excluded): what text_of reads, in one line
                    self._in_toc = False
                    texts.append("".join([x.text or "" for r in ch if r.tag == _R for x in r if x.tag == _T]))
                    continue
                text, extras = self.text_of(ch)
                texts.append(text)
                if extras:
                    nested.extend(extras)
            elif t == _TBL:
                nested.extend(self.table(ch))
            elif t in _BLOCK_TAGS:
                self._cell_wrapped(ch, texts, nested)
        return "\n".join(texts).strip()

    def _cell_wrapped(self, wrapper, texts: list[str], nested: list[Block]) -> None:
        """Paragraphs and tables inside a content control or tracked insertion in a cell."""
        for ch in _cell_blocks(wrapper):
            if ch.tag == _P:
                text, extras = self.text_of(ch)
                texts.append(text)
                if extras:
                    nested.extend(extras)
            else:
                nested.extend(self.table(ch))

    def _warn(self, code: str, detail: str) -> None:
        w = warning(code, page=None, detail=detail)
        if w not in self.warnings:
            self.warnings.append(w)


class _Index:
    """What the walk may skip, found in one C-level lxml iteration over the walked
    container: the runs, paragraphs, rows and cells that hold none of the properties
    read below need no look at their property elements. (A set of elements holds their
    proxies, so the walk meets the same objects again: membership is identity.)"""

    __slots__ = ("maybe_hidden_runs", "styled_paragraphs", "row_properties", "merged_cells",
                 "plain_excluded", "plain_cells")

    def __init__(self, container):
        #: runs with a w:vanish in a child (their rPr)
        self.maybe_hidden_runs: set[Any] = set()
        #: paragraphs with a w:pStyle or w:numPr in a child (their pPr)
        self.styled_paragraphs: set[Any] = set()
        #: rows with a deletion mark or grid offsets in a child (their trPr)
        self.row_properties: set[Any] = set()
        #: cells with a span or merge in a child (their tcPr)
        self.merged_cells: set[Any] = set()
        #: paragraphs whose text is more than the w:t of their runs: styled or numbered,
        #: or holding (nearest) any element the inline walk treats otherwise (fields,
        #: breaks, wrappers, drawings, hidden text …; tab stops in pPr too, harmlessly)
        self.plain_excluded: set[Any] = set()
        #: the default paragraph style numbers no list: a cell paragraph outside
        #: plain_excluded is read as its runs' w:t (set by the walker)
        self.plain_cells = False
        by_grandparent = {_VANISH: self.maybe_hidden_runs, _PSTYLE: self.styled_paragraphs,
                          _NUMPR: self.styled_paragraphs, _DEL: self.row_properties,
                          _GRID_BEFORE: self.row_properties, _GRID_AFTER: self.row_properties,
                          _GRID_SPAN: self.merged_cells, _VMERGE: self.merged_cells,
                          _HMERGE: self.merged_cells}
        for el in container.iter(*_INDEX_TAGS):
            t = el.tag
            if t in _NOT_PLAIN_SET:
                for p in el.iterancestors(_P):
                    self.plain_excluded.add(p)
                    break
            into = by_grandparent.get(t)
            if into is not None:
                parent = el.getparent()
                grand = None if parent is None else parent.getparent()
                if grand is not None:
                    into.add(grand)
        self.plain_excluded |= self.styled_paragraphs


class _Field:
    """One open complex field: instruction text until w:fldChar separate, then result."""

    __slots__ = ("state", "code")

    def __init__(self):
        self.state = "instr"
        self.code = ""

    @property
    def is_toc(self) -> bool:
        return self.code.strip().upper().startswith("TOC")


def _clamp(value: int, least: int) -> int:
    """A span or grid offset as the file states it, but never beyond the widest table
    (a gridSpan of 1e20 would otherwise overflow when the grid is built)."""
    return min(max(value, least), LIMITS.max_span)


def _build_grid(placed: list[list[tuple[int, int, Optional[str], Optional[str], str]]], width: int) -> list[list[Cell]]:
    """Place cells on the table grid, extending vertical merges downwards."""
    grid = [[None] * width for _ in placed]
    for r, row in enumerate(placed):
        prev: Optional[Cell] = None
        for col, span, vmerge, hmerge, text in row:
            span = min(span, width - col)
            if span <= 0:
                continue
            if hmerge == "continue" and prev is not None and prev.row == r:
                prev.colspan += span  # legacy horizontal merge: widen the cell on the left
                for c in range(col, col + span):
                    grid[r][c] = prev
                prev.text = _joined(prev.text, text)
                continue
            above = grid[r - 1][col] if r > 0 else None
            if vmerge == "continue" and above is not None and above.col == col:
                above.rowspan = r - above.row + 1
                for c in range(col, col + min(span, above.colspan)):
                    grid[r][c] = above
                above.text = _joined(above.text, text)
                prev = above
                continue
            cell = Cell(text=text, row=r, col=col, colspan=span)
            for c in range(col, col + span):
                grid[r][c] = cell
            prev = cell
    for r, line in enumerate(grid):
        for c in range(width):
            if line[c] is None:  # gridBefore/gridAfter or a short row: an empty cell
                line[c] = Cell(text="", row=r, col=c)
    return grid


def _joined(a: str, b: str) -> str:
    """Text found in a merged continuation cell is kept, once."""
    if not b:
        return a
    return f"{a}\n{b}" if a else b


def _rows(tbl):
    for ch in tbl:
        t = ch.tag
        if t == _TR:
            yield ch
        elif t in _ROW_WRAPPER_TAGS:
            yield from _rows(ch)


def _cells(tr):
    for ch in tr:
        t = ch.tag
        if t == _TC:
            yield ch
        elif t in _ROW_WRAPPER_TAGS:
            yield from _cells(ch)


def _cell_blocks(tc):
    for ch in tc:
        t = ch.tag
        if t == _P or t == _TBL:
            yield ch
        elif t in _BLOCK_TAGS:
            yield from _cell_blocks(ch)


def _grid_cols(tbl) -> list[etree._Element]:
    grid = wchild(tbl, "tblGrid")
    return [] if grid is None else [g for g in grid if wtag(g) == "gridCol"]


def _is_placeholder(sdt) -> bool:
    """A content control still showing its prompt ("单击或点击此处输入文字。"): not content."""
    return wchild(wchild(sdt, "sdtPr"), "showingPlcHdr") is not None


def _alternate(ac):
    """mc:AlternateContent: the first Choice (what Word shows), else Fallback."""
    choice = fallback = None
    for ch in ac:
        t = wtag(ch)
        if t == "mc:Choice" and choice is None:
            choice = ch
        elif t == "mc:Fallback":
            fallback = ch
    return choice if choice is not None else fallback


def _under_fallback(node, stop) -> bool:
    p = node.getparent()
    while p is not None and p is not stop:
        if wtag(p) == "mc:Fallback":
            # a Fallback is read only when its AlternateContent has no Choice
            ac = p.getparent()
            return ac is not None and any(wtag(c) == "mc:Choice" for c in ac)
        p = p.getparent()
    return False


def _inside_other_txbx(node, stop) -> bool:
    p = node.getparent()
    while p is not None and p is not stop:
        if wtag(p) == "txbxContent":
            return True  # read by the outer text box's walk
        p = p.getparent()
    return False


def _symbol(el) -> str:
    code = wattr(el, "char")
    try:
        n = int(code, 16)
    except (TypeError, ValueError):
        return ""
    if not 0 <= n <= 0x10FFFF or 0xD800 <= n <= 0xDFFF:
        return ""  # no Unicode character (w:char is a 2-byte hex code; Word shows nothing)
    if n in _SYMBOLS:
        return _SYMBOLS[n]
    if 0xF020 <= n <= 0xF0FF and (wattr(el, "font") or "").lower() == "symbol":
        n -= 0xF000
    return chr(n)
