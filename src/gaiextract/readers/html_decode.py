"""Bytes → text for web pages: sniffing, charset discovery, MHTML unwrapping.

We decode before parsing so that the encoding decision is ours (and recorded),
never libxml2's guess. Order: BOM → valid UTF-8 (a stale ``gb2312`` meta on a
UTF-8 page is common, and GBK text essentially never validates as UTF-8) →
the page's own ``<meta charset>`` / ``http-equiv`` declaration → detection
(:func:`gaiextract.encoding.decode`). A page cut off mid-character keeps what
precedes the cut, with a warning, rather than failing or guessing another codec.
"""
from __future__ import annotations

import codecs
import email
import email.policy
import re
from typing import Any, Optional

from ..encoding import declared_encoding, decode_text, replaced_warning
from ..errors import ExtractError, warning
from ..limits import DEFAULT_LIMITS

#: how much of the page is scanned for a charset declaration
CHARSET_SCAN_BYTES = 8192
#: a page that does not start with a tag is HTML when its head holds this many known
#: tags, one of them strong (html, body, table) ...
SNIFF_TAGS = 3
#: ... or, with an HTML extension, this many of any kind
SNIFF_TAGS_WITH_EXTENSION = 2
#: the longest character of the page encodings is 4 bytes (UTF-8, GB18030): a page cut
#: off inside one leaves at most 3 of them
_MAX_CUT_CHAR_BYTES = 3

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

#: tags that make a document HTML when the page starts with them
_START_TAG = re.compile(
    r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|"
    r"table|p|div|span|font|center|h[1-6]|br|style|script|link)\b", re.I | re.S)
#: any known tag, for pages that start with stray text
_ANY_TAG = re.compile(r"<(?:html|head|body|meta|title|table|tr|td|p|div|span|font|br|h[1-6])\b[^>]*>", re.I)
_STRONG_TAG = re.compile(r"<(?:!doctype\s+html|html|body|table)\b", re.I)
_MHTML = re.compile(r"^(?:[\w-]+:[^\n]*\n|[ \t][^\n]*\n)*?(?:mime-version:|content-type:\s*multipart/related)", re.I)

#: single-byte Western codecs (Python names) that cannot hold a Chinese page
_WESTERN = re.compile(r"^(?:ascii|latin-1|iso8859-\d+|cp125\d|cp437|cp850|mac-roman)$")

#: a multipart content type (each one a container the email parser nests into)
_MULTIPART = re.compile(rb"content-type:\s*multipart/", re.I)

HTML_EXTENSIONS = ("html", "htm", "shtml", "xhtml", "mht", "mhtml")


def _head_text(head: bytes) -> str:
    """An ASCII-compatible view of the first bytes (enough to see tags)."""
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):len(bom) + 4096].decode(enc, "ignore")
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    return head.decode("latin-1")


def is_mhtml(head: bytes) -> bool:
    return bool(_MHTML.match(_head_text(head).lstrip().replace("\r\n", "\n")))


def looks_like_html(head: bytes, extension: str = "") -> bool:
    """Content sniffing: a page that starts with a tag, or a head with several
    tags of which one is strong; the extension only breaks ties (two known tags)."""
    text = _head_text(head).lstrip()
    if _START_TAG.match(text) or is_mhtml(head):
        return True
    tags = len(_ANY_TAG.findall(text))
    if _STRONG_TAG.search(text) and tags >= SNIFF_TAGS:
        return True
    return extension in HTML_EXTENSIONS and tags >= SNIFF_TAGS_WITH_EXTENSION


def declared_charset(data: bytes) -> Optional[str]:
    """The charset the page declares in its first bytes, as written (or None)."""
    head = data[:CHARSET_SCAN_BYTES]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def _incomplete_tail(data: bytes, enc: str):
    """None if ``data`` decodes fully; the number of bytes of an incomplete last
    character (1–3) if only the tail fails; False if it fails elsewhere."""
    try:
        data.decode(enc)
        return None
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and 0 < len(data) - exc.start <= _MAX_CUT_CHAR_BYTES:
            try:
                data[:exc.start].decode(enc)
            except UnicodeDecodeError:
                return False
            return len(data) - exc.start
        return False
    except LookupError:
        return False


def decode_page(data: bytes, name: str, declared: Optional[str] = None) -> tuple[str, str, list[dict[str, Any]], Optional[str]]:
    """Return ``(text, encoding, warnings, declared_label)`` for a page's bytes."""
    warnings: list[dict[str, Any]] = []
    declared = declared or declared_charset(data)
    enc_declared = declared_encoding(declared) if declared else None
    if declared and enc_declared is None:
        declared = None  # a label that names no text encoding (undefined, palmos): ignored
    if enc_declared and _WESTERN.match(enc_declared) and not data.isascii():
        # a Chinese report is never Latin-1/cp1252: a CMS default, not a fact
        declared = enc_declared = None
    if not any(data.startswith(b) for b in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # a page cut mid-character: keep everything before the cut
        for enc in dict.fromkeys(e for e in (enc_declared, "utf-8", "gb18030") if e):
            cut = _incomplete_tail(data, enc)
            if cut is None:
                break
            if cut:
                data = data[:-cut]
                warnings.append(warning("truncated_input", detail=f"the page ends inside a {enc} character; "
                                                                  f"{cut} trailing byte(s) dropped"))
                break
        try:  # valid UTF-8 with non-ASCII text wins over any declaration
            text = data.decode("utf-8")
            if not text.isascii():
                return text, "utf-8", warnings, declared
        except UnicodeDecodeError:
            pass
    decoded = decode_text(data, declared=declared, name=name)
    replaced = replaced_warning(decoded)
    if replaced:
        warnings.append(replaced)
    return decoded.text, decoded.encoding, warnings, declared


def mhtml_html_part(data: bytes, name: str) -> tuple[bytes, Optional[str]]:
    """The first text/html part of an MHTML archive: ``(bytes, charset or None)``."""
    multiparts = len(_MULTIPART.findall(data))
    if multiparts > DEFAULT_LIMITS.max_mime_multiparts:
        raise ExtractError("too_large", f"MHTML archive with {multiparts} multipart containers (more than "
                                        f"{DEFAULT_LIMITS.max_mime_multiparts})", name)
    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in msg.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if payload:
                    return payload, part.get_content_charset()
    except RecursionError:  # nesting the count above did not see (folded headers)
        raise ExtractError("too_large", "MHTML archive nested too deep", name) from None
    raise ExtractError("unsupported_format", "MHTML archive without a text/html part", name)
