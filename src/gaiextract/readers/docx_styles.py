"""WordprocessingML names and style resolution for the DOCX reader.

Elements are matched by *local name* within the WordprocessingML namespaces
(transitional and ISO strict), so documents written by Word, WPS, LibreOffice
and python-docx all read the same way.

Heading hints depend on formatting that may sit on the run, on the run's
character style, on the paragraph style (and the styles it is based on) or on
the document defaults; :class:`Styles` resolves that chain once per property.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional

from ..errors import ReportWarning, warning
from ..limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from lxml import etree

W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/package/2006/relationships",
)

_FALSE = {"0", "false", "off", "none"}
#: ``w:outlineLvl`` 0-8 are heading levels; 9 is body text
_BODY_TEXT_LEVEL = 9


#: Clark-notation prefixes: ``W + "p"`` is the tag of a transitional ``w:p``
W = "{%s}" % W_NAMESPACES[0]
W_STRICT = "{%s}" % W_NAMESPACES[1]
MC = "{%s}" % MC_NS
MATH = "{%s}" % MATH_NS
W_VAL = W + "val"
W_RSTYLE = W + "rStyle"
W_PSTYLE = W + "pStyle"
W_NUMPR = W + "numPr"
W_STYLEID = W + "styleId"
W_DEFAULT = W + "default"

#: tag -> the name wtag() gives it (a cache: a document uses a few dozen distinct tags)
_LOCAL_NAMES: dict[Any, Optional[str]] = {}
_LOCAL_NAMES_MAX = 4096


def _local_name(tag: Any) -> Optional[str]:
    if not isinstance(tag, str) or tag[0] != "{":
        return None
    ns, _, local = tag[1:].partition("}")
    if ns in W_NAMESPACES:
        return local
    if ns == MC_NS:
        return "mc:" + local
    if ns == MATH_NS:
        return "m:" + local
    return None


def wtag(el) -> Optional[str]:
    """The local name of a WordprocessingML element, ``mc:…``/``m:…`` for
    markup-compatibility and math elements, else None (comments, other XML)."""
    tag = el.tag
    try:
        return _LOCAL_NAMES[tag]
    except KeyError:
        name = _local_name(tag)
        if len(_LOCAL_NAMES) < _LOCAL_NAMES_MAX:
            _LOCAL_NAMES[tag] = name
        return name


#: attribute name -> its keys in both namespaces
_ATTR_KEYS: dict[str, tuple[str, str]] = {}


def wattr(el, name: str) -> Optional[str]:
    """A ``w:``-namespaced attribute (either namespace), or a bare one."""
    if el is None:
        return None
    keys = _ATTR_KEYS.get(name)
    if keys is None:
        keys = _ATTR_KEYS[name] = (W + name, W_STRICT + name)
    v = el.get(keys[0])
    if v is None:
        v = el.get(keys[1])
        if v is None:
            return el.get(name)
    return v


def val(el) -> Optional[str]:
    """``wattr(el, "val")`` for a tree already in the transitional namespace
    (see :func:`to_transitional`)."""
    if el is None:
        return None
    v = el.get(W_VAL)
    return el.get("val") if v is None else v


def _attr(el, key: str, bare: str) -> Optional[str]:
    """``wattr(el, bare)`` for a tree in the transitional namespace, ``key`` = W + bare."""
    v = el.get(key)
    return el.get(bare) if v is None else v


def wchild(el, name: str):
    """First direct child with the given WordprocessingML local name."""
    if el is None:
        return None
    for ch in el:
        if wtag(ch) == name:
            return ch
    return None


def child(el, tag: str):
    """First direct child with the given Clark tag (``W + "pPr"``), or None."""
    if el is None:
        return None
    for ch in el:
        if ch.tag == tag:
            return ch
    return None


def to_transitional(root) -> None:
    """Rename ISO-strict WordprocessingML elements and attributes to the transitional
    namespace in place, so the readers compare tags with one constant each (an
    attribute given in both namespaces keeps its transitional value, as wattr reads it)."""
    n = len(W_STRICT)
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag.startswith(W_STRICT):
            el.tag = W + tag[n:]
        attrib = el.attrib
        strict = [k for k in attrib.keys() if k.startswith(W_STRICT)]
        for k in strict:
            v = attrib.pop(k)
            if W + k[n:] not in attrib:
                attrib[W + k[n:]] = v


def on_off(el) -> Optional[bool]:
    """An ST_OnOff property element: present means on unless w:val says off."""
    if el is None:
        return None
    val = wattr(el, "val")
    return val is None or val.strip().lower() not in _FALSE


#: ST_DecimalNumber is a 32-bit signed integer: larger values are clamped to it
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def int_text(v: Optional[str]) -> Optional[int]:
    """An ST_DecimalNumber attribute as an int clamped to 32 bits (``1e400``, ``inf``
    and 5,000 digits are the largest int, never an OverflowError); None when it
    is no number (``x``, ``nan``)."""
    if v is None:
        return None
    try:
        f = float(v.strip())  # float() reads any length of digits; int() stops at 4,300
    except ValueError:
        return None
    if f != f:  # nan
        return None
    return int(max(INT32_MIN, min(INT32_MAX, f)))


def int_val(el) -> Optional[int]:
    """The ``w:val`` of a property element as an int (see :func:`int_text`)."""
    return int_text(wattr(el, "val"))


_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def display_style_name(name: str) -> str:
    """Word stores built-in names in lower case ("heading 1"); show them as
    Word and python-docx do ("Heading 1")."""
    if name.lower().startswith("heading ") or name.lower() in ("title", "subtitle", "normal"):
        return name[:1].upper() + name[1:]
    return name


class Styles:
    """Paragraph/character styles of one document, with inheritance resolved."""

    def __init__(self, root=None, limits: Limits = DEFAULT_LIMITS):
        self._styles: dict[str, etree._Element] = {}  # styleId -> style element
        self._max_depth = limits.max_style_depth
        self._chains: dict[Optional[str], tuple[etree._Element, ...]] = {}
        #: (styleId, "pPr"/"rPr", property) -> the element found up its chain, or None
        self._props: dict[tuple[Optional[str], str, str], Any] = {}
        #: what a paragraph inherits (style chain, then document defaults):
        #: (styleId, property) -> element or None
        self._para_inherited: dict[tuple[Optional[str], str], Any] = {}
        #: what a run inherits: (character styleId, paragraph styleId, property) -> element or None
        self._run_inherited: dict[tuple[Optional[str], Optional[str], str], Any] = {}
        #: styleId -> the outline level its name ("heading 2" or its Chinese name) or a base style's gives
        self._name_levels: dict[Optional[str], Optional[int]] = {}
        self.warnings: list[ReportWarning] = []
        self.default_para: Optional[str] = None
        self._default_head: Optional[tuple[Optional[str], Any]] = None
        self.default_char: Optional[str] = None
        self._doc_rpr = None
        self._doc_ppr = None
        if root is None:
            return
        for el in root:
            t = wtag(el)
            if t == "style":  # most children: read without the namespace loop of wattr
                sid = _attr(el, W_STYLEID, "styleId")
                if sid is None:
                    continue
                self._styles[sid] = el
                if on_off_attr(_attr(el, W_DEFAULT, "default")):
                    stype = wattr(el, "type") or "paragraph"
                    if stype == "paragraph" and self.default_para is None:
                        self.default_para = sid
                    elif stype == "character" and self.default_char is None:
                        self.default_char = sid
            elif t == "docDefaults":
                rd = wchild(el, "rPrDefault")
                self._doc_rpr = wchild(rd, "rPr")
                pd = wchild(el, "pPrDefault")
                self._doc_ppr = wchild(pd, "pPr")

    # -- style chains -----------------------------------------------------
    def chain(self, style_id: Optional[str]) -> tuple[etree._Element, ...]:
        """The style and those it is based on, nearest first (loops cut; at most
        ``Limits.max_style_depth`` styles). Built once per style."""
        got = self._chains.get(style_id)
        if got is not None:
            return got
        out: list[etree._Element] = []
        seen: set[str] = set()
        sid = style_id
        while sid and sid in self._styles and sid not in seen:
            if len(out) == self._max_depth:
                self.warnings.append(warning(
                    "markup_simplified", page=None,
                    detail=f"style {style_id!r} is based on a chain of more than {self._max_depth} styles; "
                           "the styles beyond them are ignored"))
                break
            seen.add(sid)
            el = self._styles[sid]
            out.append(el)
            sid = wattr(wchild(el, "basedOn"), "val")
        self._chains[style_id] = chain = tuple(out)
        return chain

    def _style_prop(self, style_id: Optional[str], container: str, prop: str):
        """The first ``container``/``prop`` element up the chain of ``style_id`` (memoised:
        a document asks the same few questions of the same few styles for every run)."""
        key = (style_id, container, prop)
        if key in self._props:
            return self._props[key]
        found = None
        for st in self.chain(style_id):
            found = wchild(wchild(st, container), prop)
            if found is not None:
                break
        self._props[key] = found
        return found

    def para_style(self, ppr) -> Optional[str]:
        sid = val(child(ppr, W_PSTYLE))
        if sid and sid in self._styles:
            return sid
        return self.default_para

    def para_head(self, ppr) -> tuple[Optional[str], Any]:
        """``para_style(ppr)`` and ``para_prop(ppr, style, "numPr")`` in one scan of the pPr."""
        if ppr is None:
            if self._default_head is None:
                sid = self.default_para
                self._default_head = (sid, self.para_prop(None, sid, "numPr"))
            return self._default_head
        ps = num = None
        for ch in ppr:
            t = ch.tag
            if t == W_PSTYLE:
                if ps is None:
                    ps = ch
            elif t == W_NUMPR and num is None:
                num = ch
        sid = val(ps)
        if not (sid and sid in self._styles):
            sid = self.default_para
        if num is None:
            num = self.para_prop(None, sid, "numPr")
        return sid, num

    def name(self, style_id: Optional[str]) -> Optional[str]:
        if not style_id or style_id not in self._styles:
            return None
        n = wattr(wchild(self._styles[style_id], "name"), "val")
        return display_style_name(n) if n else style_id

    # -- property lookups ---------------------------------------------------
    # (the trees are in the transitional namespace: see to_transitional)
    def para_prop(self, ppr, style_id: Optional[str], prop: str):
        """The first pPr child ``prop`` found on the paragraph, its style chain
        or the document defaults."""
        if ppr is not None:
            tag = W + prop
            for ch in ppr:
                if ch.tag == tag:
                    return ch
        key = (style_id, prop)
        try:
            return self._para_inherited[key]
        except KeyError:
            pass
        el = self._style_prop(style_id, "pPr", prop)
        if el is None:
            el = wchild(self._doc_ppr, prop)
        self._para_inherited[key] = el
        return el

    def run_prop(self, rpr, para_style: Optional[str], prop: str):
        """The first rPr child ``prop`` on the run, its character style, the
        paragraph style chain, or the document defaults."""
        char_style = None
        if rpr is not None:
            tag = W + prop
            for ch in rpr:
                if ch.tag == tag:
                    return ch
            char_style = val(child(rpr, W_RSTYLE))
        key = (char_style, para_style, prop)
        try:
            return self._run_inherited[key]
        except KeyError:
            pass
        el = None
        for sid in (char_style, para_style):
            el = self._style_prop(sid, "rPr", prop)
            if el is not None:
                break
        if el is None:
            el = wchild(self._doc_rpr, prop)
        self._run_inherited[key] = el
        return el

    def outline_level(self, ppr, style_id: Optional[str]) -> Optional[int]:
        lvl = int_val(self.para_prop(ppr, style_id, "outlineLvl"))
        if lvl is not None:
            return lvl if 0 <= lvl < _BODY_TEXT_LEVEL else None
        if style_id in self._name_levels:
            return self._name_levels[style_id]
        found = None
        for st in self.chain(style_id):
            m = _HEADING_NAME.match((wattr(wchild(st, "name"), "val") or "").strip())
            if m:
                found = int(m.group(1)) - 1
                break
        self._name_levels[style_id] = found
        return found


def on_off_attr(v: Optional[str]) -> bool:
    return v is not None and v.strip().lower() not in _FALSE
