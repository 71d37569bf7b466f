"""gaiextract — Chinese government information disclosure annual reports as canonical JSON.

    >>> import gaiextract
    >>> report = gaiextract.extract("report.pdf")
    >>> report.tables["requests"].cells["new.total"]
    >>> for r in gaiextract.extract_many(paths): ...      # reports and errors, in order
    >>> for r in gaiextract.load_jsonl("out.jsonl"): ...  # what `batch --jsonl` wrote
    >>> gaiextract.series("reports.db").failed            # year-over-year checks
"""
from typing import TYPE_CHECKING

from .errors import ExtractError

__version__ = "0.1.0"

__all__ = [
    "ExtractError",
    "Report",
    "__version__",
    "extract",
    "extract_many",
    "inspect",
    "load_jsonl",
    "read",
    "read_records",
    "series",
    "series_of",
]

if TYPE_CHECKING:  # what type checkers see (py.typed); at run time the imports are lazy
    from .many import extract_many
    from .pipeline import extract, read
    from .inspect_view import inspect
    from .records import load_jsonl, read_records
    from .report import Report
    from .yearly import series, series_of

#: public name -> the module it lives in, imported on first use
_LAZY = {"extract": "pipeline", "read": "pipeline", "extract_many": "many", "Report": "report",
         "series": "yearly", "series_of": "yearly", "inspect": "inspect_view",
         "load_jsonl": "records", "read_records": "records"}
#: submodules reachable as attributes before they are imported (``gaiextract.grammar.load``)
_SUBMODULES = ("grammar",)


def __getattr__(name: str):  # lazy: importing gaiextract stays cheap
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:  # dir(gaiextract) and IPython completion show the lazy names too
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))
