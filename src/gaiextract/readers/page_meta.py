"""What a site archiver or crawler adds around a report's text: header lines and page chrome.

Archivers save a page as ``key: value`` lines (标题: / 发布时间: / 原文链接: …) and a
separator (``==== 正文 ====``) before the body; crawlers keep the page's navigation
and buttons (当前位置：首页 > …, 全真版 文字版, 附件下载, 相关链接). None of it is
report text: the header goes to ``Document.meta`` (``title``, ``published``, ``url``,
… and every pair under ``header``), chrome lines are dropped and counted, so that no
later stage reads a breadcrumb as the agency or a date stamp as the report year.

Shared by the plain-text and Markdown readers. Only whole lines are touched: a body
sentence that mentions 全真版 or 相关链接 stays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import chrome

#: header keys as archivers print them → Document.meta key (grammars/chrome.toml)
HEADER_KEYS = chrome.HEADER_KEYS
#: the line that separates an archiver's header from the body
_BODY_SEPARATOR = re.compile(r"^\s*[=＝\-—]{3,}\s*(?:正\s*文|内\s*容|body)\s*[=＝\-—]{3,}\s*$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^\s*([^\s:：]{1,8})\s*[:：]\s*(.*?)\s*$")
#: how many lines before a separator can still be header (a longer "header" is body)
MAX_HEADER_LINES = 40

#: whole lines of page chrome (matched on the stripped line; grammars/chrome.toml)
_CHROME = chrome.LINE_CHROME_ANY
#: a chrome line is short; a long line starting the same way is body text
CHROME_MAX_CHARS = 160
#: a page footer or header that a converter or OCR kept: — 1 —, - 2 -, 第 3 页, 3/10
_PAGE_MARK = re.compile(r"^\s*(?:[-—–－~～]+\s*\d{1,4}\s*[-—–－~～]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                        r"|\d{1,4}\s*/\s*\d{1,4})\s*$")


@dataclass
class PageText:
    """The lines of the body and what was taken out of them."""

    lines: list[str]
    meta: dict[str, Any] = field(default_factory=dict)


def is_chrome(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) <= CHROME_MAX_CHARS and _CHROME.search(s) is not None


def is_page_mark(line: str) -> bool:
    return bool(_PAGE_MARK.match(line))


def _header_pair(line: str):
    m = _HEADER_LINE.match(line)
    if not m or m.group(1) not in HEADER_KEYS:
        return None
    return m.group(1), m.group(2)


def split_page(text: str) -> PageText:
    """Split ``text`` into body lines and meta: header pairs before the body, chrome lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header: dict[str, str] = {}
    start = 0
    sep = next((i for i, ln in enumerate(lines[:MAX_HEADER_LINES + 1]) if _BODY_SEPARATOR.match(ln)), None)
    if sep is not None:
        for ln in lines[:sep]:
            pair = _header_pair(ln)
            if pair:
                header.setdefault(pair[0], pair[1])
        start = sep + 1
    else:
        # no separator: only a leading run of known "key: value" lines is header
        while start < len(lines) and start < MAX_HEADER_LINES:
            if not lines[start].strip():
                start += 1
                continue
            pair = _header_pair(lines[start])
            if pair is None:
                break
            header.setdefault(pair[0], pair[1])
            start += 1
        if not header:
            start = 0
    meta: dict[str, Any] = {}
    if header:
        meta["header"] = header
        for key, value in header.items():
            name = HEADER_KEYS[key]
            if value and name not in meta:
                meta[name] = value
    body, dropped, marks = [], 0, 0
    for ln in lines[start:]:
        if is_chrome(ln):
            dropped += 1
            body.append("")  # keep line numbers and paragraph breaks
        elif is_page_mark(ln):
            marks += 1
            body.append("")
        else:
            body.append(ln)
    if dropped:
        meta["chrome_lines"] = dropped
    if marks:
        meta["page_marks"] = marks
    return PageText(lines=[""] * start + body, meta=meta)


#: a page title longer than this is no title (a page that put its text in <title>)
PAGE_TITLE_MAX = 200


def head_title(root: Any) -> str | None:
    """The text of an HTML page's ``<title>`` (``root``: a parsed lxml tree), spaces
    collapsed, or None. Kept in ``Document.meta['page_title']``: one of the
    candidates for the report's title (layout/facts.py)."""
    el = root.find(".//title")
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    return text if 0 < len(text) <= PAGE_TITLE_MAX else None
