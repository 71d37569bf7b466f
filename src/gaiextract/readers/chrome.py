"""Page-chrome wording (grammars/chrome.toml), compiled once: what a web site, an
archiver or a crawler prints around a report. Used by the HTML reader's cleaning
(:mod:`.html_tree`) and the text/Markdown readers' header and chrome lines
(:mod:`.page_meta`)."""
from __future__ import annotations

import re
import sys
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _load() -> dict[str, Any]:
    text = resources.files("gaiextract").joinpath("grammars", "chrome.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_DATA = _load()
_HTML, _LINES = _DATA["html"], _DATA["lines"]

#: class/id words that name chrome (whole words of the attribute)
CHROME_NAME = re.compile(r"(?:^|[\s_-])(?:" + "|".join(_HTML["names"]) + r")(?:$|[\s_-])", re.I)
#: texts only chrome has
CHROME_TEXT = re.compile("|".join(_HTML["texts"]), re.I)
#: labels of a disclosure page's metadata box
META_LABELS = re.compile("|".join(_HTML["meta_labels"]))
#: an archiver's header keys -> Document.meta key
HEADER_KEYS: dict[str, str] = dict(_LINES["header_keys"])
#: whole lines of page chrome
#: the same as one pattern: a line is chrome when any of them is found in it
LINE_CHROME_ANY: re.Pattern[str] = re.compile("|".join(f"(?:{p})" for p in _LINES["chrome"]))
