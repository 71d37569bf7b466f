"""The page at ``GET /``: drop a report, see its tables, checks and warnings.

Self-contained like the inspect page: one HTML file with its style and script
inline, no request to any other host. The Content Security Policy (sent as a
header and repeated in the page) pins the one script by its hash and lets the
page talk to its own server only (``connect-src 'self'``).
"""
from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@functools.lru_cache(maxsize=1)
def index() -> tuple[str, str]:
    """``(html, csp)`` of the page.

    The inspect page the page opens is a ``blob:`` document, which inherits this
    policy on top of its own: so the inspect page's script hash is allowed here too."""
    script = _static("page.js")
    inspect_js = resources.files("gaiextract.inspect_view").joinpath("static", "inspect.js").read_text(encoding="utf-8")
    csp = (f"default-src 'none'; connect-src 'self'; img-src data: blob:; style-src 'unsafe-inline'; "
           f"script-src {_digest(script)} {_digest(inspect_js)}; base-uri 'none'; form-action 'none'")
    html = (_static("index.html")
            .replace("{{csp}}", csp)
            .replace("{{style}}", _static("page.css"))
            .replace("{{script}}", script))
    return html, csp + "; frame-ancestors 'none'"  # the header only: a <meta> policy cannot say it
