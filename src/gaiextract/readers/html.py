"""Web pages (.html/.htm/.shtml/.xhtml) and MHTML archives (.mht) → Document.

Steps: decode the bytes ourselves (:mod:`.html_decode`), parse with lxml's
libxml2 HTML parser (no network, no external entities, comments and scripts
dropped), cut the page down to the report (:mod:`.html_tree`: the content
container plus chrome rules), then walk it into paragraphs and tables
(:mod:`.html_blocks`), joining a statistical table the page split in two.

We use lxml directly rather than through BeautifulSoup: bs4 builds the same
libxml2 parse into Python objects, which on a 20 MB page costs ~6 s and ~380 MB
against ~0.5 s and ~160 MB, and hides the parser's security options.

Errors: no bytes / no text → ``empty``; binary data (NUL/control bytes) →
``unsupported_format``; bytes no Chinese encoding decodes → ``decode_failed``;
an MHTML archive without an HTML part → ``unsupported_format``. A page cut off
mid-character or mid-table is read as far as it goes, with a ``truncated_input``
warning.
"""
from __future__ import annotations

import codecs
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..encoding import looks_binary
from ..errors import ExtractError
from ..limits import bounded_blocks
from ..source import Source
from . import Reader
from .html_blocks import BlockWriter, join_split_tables
from .html_decode import HTML_EXTENSIONS, decode_page, is_mhtml, looks_like_html, mhtml_html_part
from .html_tree import SETTINGS, HtmlSettings, PageStats, find_container, find_title, parse, remove_chrome, strip_non_content
from .page_meta import head_title

if TYPE_CHECKING:
    from ..document import Block


class HtmlReader(Reader):
    format = "html"
    priority = 30
    extensions = HTML_EXTENSIONS

    def accepts(self, source: Source) -> bool:
        head = source.head
        if not head or _binary(head):
            return False
        return looks_like_html(head, source.extension)

    def read(self, source: Source) -> Document:
        data, name = source.data, source.name
        if not data or not data.strip():
            raise ExtractError("empty", "the page is empty", name)
        meta: dict[str, Any] = {}
        charset = None
        if is_mhtml(data[:SETTINGS.sniff_bytes]):
            data, charset = mhtml_html_part(data, name)
            meta["container"] = "mhtml"
            if not data.strip():
                raise ExtractError("empty", "the MHTML archive's page is empty", name)
        if _binary(data[:SETTINGS.sniff_bytes]):
            raise ExtractError("unsupported_format", "binary data, not an HTML page", name)
        text, encoding, warnings, declared = decode_page(data, name, charset)
        meta["encoding"] = encoding
        if declared:
            meta["declared_encoding"] = declared
        root, more = parse(text, name)
        warnings.extend(more)
        page_title = head_title(root)  # before page_blocks drops <head>
        if page_title:
            meta["page_title"] = page_title
        blocks, more = page_blocks(root)
        warnings.extend(more)
        if not blocks:
            raise ExtractError("empty", "the page has no text", name)
        return Document(blocks=blocks, format="html", warnings=warnings, meta=meta)


def _binary(head: bytes) -> bool:
    """NUL/control bytes, except in UTF-16 text (which is half NUL bytes)."""
    return not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and looks_binary(head)


def page_blocks(root, st: HtmlSettings = SETTINGS) -> tuple[list[Block], list[dict[str, Any]]]:
    """The report's blocks from a parsed page: ``(blocks, warnings)``."""
    strip_non_content(root)
    body = root.find("body")
    if body is None:
        body = root
    stats = PageStats(body, st)
    remove_chrome(body, stats, st)
    container = find_container(body, stats, st)
    remove_chrome(container, stats, st)
    writer = BlockWriter(stats.is_data_table, st)
    title = find_title(container, body, stats, st) if container is not body else None
    if title is not None:
        writer.walk(title)
    writer.walk(container)
    return bounded_blocks(join_split_tables(writer.blocks), writer.warnings), writer.warnings
