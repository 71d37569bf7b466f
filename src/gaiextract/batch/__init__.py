"""Batch conversion of many reports: inputs (files, folders, archives), a
fail-soft parallel runner with resume, and the sinks it writes to.

    from gaiextract.batch import BatchOptions, run_batch
    from gaiextract.sinks.sql import SqlSink
    summary = run_batch(BatchOptions(inputs=["reports/"]), [SqlSink("out.db")])

The command line is ``gaiextract batch`` (see docs/batch.md).
"""
from .inputs import ArchiveLimits
from .runner import BatchOptions, Summary, run_batch

__all__ = ["ArchiveLimits", "BatchOptions", "Summary", "run_batch"]
