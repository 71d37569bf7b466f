"""``extract_many``: many documents, results and errors in input order.

Why: a loop over ``extract()`` with a try/except around each call is what every
caller writes; here it is once, with the error kept in its place so the output
lines up with the input (``zip(paths, extract_many(paths))``).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from .errors import ExtractError
from .report import Report
from .source import InputLike


def extract_many(sources: Iterable[InputLike], raises: bool = False,
                 **options: Any) -> Iterator[Report | ExtractError]:
    """Yield one :class:`Report` — or, for an unreadable input, its
    :class:`ExtractError` — per source, in order.

    ``raises=True`` raises the first error instead of yielding it. ``options`` go
    to :func:`gaiextract.extract` (``format``, …). Runs in this process, one
    document at a time; for thousands of files use :mod:`gaiextract.batch`.
    """
    from .pipeline import extract
    for src in sources:
        try:
            yield extract(src, **options)
        except ExtractError as exc:
            if raises:
                raise
            if exc.path is None and isinstance(src, (str, os.PathLike)):
                exc.path = os.fspath(src)
            yield exc
