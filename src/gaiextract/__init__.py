"""gaiextract — Chinese government information disclosure annual reports as canonical JSON.

    >>> import gaiextract
    >>> report = gaiextract.extract("report.pdf")
    >>> report.tables["requests"].cells["new.total"]
"""
from .errors import ExtractError

__version__ = "0.1.0"

__all__ = ["extract", "read", "Report", "ExtractError", "__version__"]


def __getattr__(name):  # lazy: importing gaiextract stays cheap
    if name in ("extract", "read"):
        from . import pipeline
        return getattr(pipeline, name)
    if name == "grammar":
        import importlib
        return importlib.import_module(f"{__name__}.grammar")
    if name == "Report":
        from .report import Report
        return Report
    raise AttributeError(name)
