"""``gaiextract serve``: the library over HTTP, for tools that are not Python.

    pip install 'gaiextract[serve]'
    gaiextract serve --port 8000            # http://127.0.0.1:8000/
    curl --data-binary @report.pdf 'http://127.0.0.1:8000/v1/extract?filename=report.pdf'

:func:`create_app` builds the ASGI app (Starlette) for any ASGI server;
:class:`ServeSettings` holds every size, count and time. See docs/serve.md.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .settings import DEFAULT_SETTINGS, ServeSettings

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["DEFAULT_SETTINGS", "ServeSettings", "create_app"]


def create_app(settings: ServeSettings | None = None) -> Starlette:
    """The ASGI app (imports the web framework: needs the ``serve`` extra)."""
    from .app import create_app as make

    return make(settings)
