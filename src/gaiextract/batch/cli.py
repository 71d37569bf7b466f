"""``gaiextract batch`` and ``gaiextract export`` (added to the main CLI group).

Exit codes (docs/batch.md): 0 the batch ran, even if some files failed (their
error records say why); 1 the batch could not run or finish because of its
outputs (e.g. the database is unreachable); 2 usage error; 130 interrupted
(Ctrl-C / SIGTERM) after writing everything finished so far.
"""
from __future__ import annotations

import json
import os
import signal
import sys

import click

from .inputs import Limits

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _sigterm(signum, frame):
    raise KeyboardInterrupt()


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False), help="Append records to this JSON Lines file.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write one JSON file per report here.")
@click.option("--db", "db_url", help="Database URL (postgresql://…) or a SQLite file path.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parallel workers (default: one per CPU).")
@click.option("--resume", is_flag=True, help="Skip files the outputs already hold (by content sha256).")
@click.option("--timeout", type=click.FloatRange(min=0), default=120.0, show_default=True,
              help="Seconds allowed per file; 0 for no limit.")
@click.option("--max-tasks-per-child", type=click.IntRange(min=1), default=100, show_default=True,
              help="Recycle a worker process after this many files (bounds memory growth).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (with --executor dask).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal).")
@click.option("--summary-json", type=click.Path(dir_okay=False), help="Also write the summary here as JSON.")
@click.option("--plugin", "plugins", multiple=True, metavar="MODULE",
              help="Import MODULE in every worker first (e.g. to register an extra reader).")
@click.option("--db-batch-size", type=click.IntRange(min=1), default=100, show_default=True,
              help="Reports per database transaction.")
@click.option("--max-file-mb", type=click.FloatRange(min=0.001), default=200.0, show_default=True,
              help="Largest document (file or archive member) read, uncompressed.")
@click.option("--max-ratio", type=click.FloatRange(min=1), default=Limits.max_ratio, show_default=True,
              help="Largest compression ratio of an archive member (zip bomb guard).")
@click.option("--grammar", "grammar_dir", type=click.Path(file_okay=False),
              help="A grammar directory whose *.toml files extend the shipped grammar (docs/grammar.md).")
def batch_command(inputs, jsonl, out_dir, db_url, workers, resume, timeout, max_tasks_per_child,
                  executor, scheduler, progress, summary_json, plugins, db_batch_size, max_file_mb,
                  max_ratio, grammar_dir=None):
    """Convert files, folders and zip/tar archives (INPUT...) into JSONL, JSON files
    and/or a database. Bad files become error records; the batch goes on."""
    from .runner import BatchOptions, run_batch

    if grammar_dir is not None:
        # validated here, then named to every worker process by the environment
        from ..cli import load_grammar_option
        from ..grammar import GRAMMAR_ENV
        os.environ[GRAMMAR_ENV] = load_grammar_option(grammar_dir).user_dir
    if jsonl and out_dir:
        raise click.UsageError("give --jsonl or --out, not both")
    if not (jsonl or out_dir or db_url):
        raise click.UsageError("give at least one output: --jsonl FILE, --out DIR or --db URL")
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    if plugins:
        from .worker import load_plugins
        try:
            load_plugins(plugins)
        except ImportError as exc:
            raise click.UsageError(f"--plugin: {exc}")
    sinks = []
    if jsonl:
        from ..sinks.jsonl import JsonlSink
        sinks.append(JsonlSink(jsonl))
    if out_dir:
        from ..sinks.files import DirSink
        sinks.append(DirSink(out_dir))
    if db_url:
        from sqlalchemy.exc import ArgumentError
        from ..sinks.sql import SqlSink, make_engine
        try:
            make_engine(db_url).dispose()
        except (ArgumentError, ImportError) as exc:
            raise click.UsageError(f"--db {db_url}: {exc}")
        sinks.append(SqlSink(db_url, batch_size=db_batch_size))
    limits = Limits(max_member_bytes=int(max_file_mb * 1024 * 1024), max_ratio=max_ratio)
    opts = BatchOptions(inputs=list(inputs), workers=workers or 0, timeout=timeout or None,
                        max_tasks_per_child=max_tasks_per_child, resume=resume, executor=executor,
                        scheduler=scheduler, progress=progress, plugins=tuple(plugins), limits=limits)
    old = signal.signal(signal.SIGTERM, _sigterm)
    try:
        summary = run_batch(opts, sinks)
    except KeyboardInterrupt:  # during set-up, before anything ran
        click.echo("gaiextract batch: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        click.echo(f"gaiextract batch: the batch could not finish: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        signal.signal(signal.SIGTERM, old)
    click.echo(summary.text(), err=True)
    if summary_json:
        with open(summary_json, "w", encoding="utf-8") as fh:
            json.dump(summary.to_dict(), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    sys.exit(EXIT_INTERRUPTED if summary.interrupted else EXIT_OK)


@click.command("export")
@click.option("--db", "db_url", required=True, help="Database written by 'gaiextract batch'.")
@click.option("--wide", "wide", required=True, type=click.Path(dir_okay=False),
              help="CSV file: one row per report, one column per cell key (e.g. requests.new.total).")
def export_command(db_url, wide):
    """Export a batch database for spreadsheets."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError
    from ..sinks.sql import export_wide
    try:
        n = export_wide(db_url, wide)
    except ArgumentError as exc:
        raise click.UsageError(f"--db {db_url}: {exc}")
    except SQLAlchemyError as exc:
        click.echo(f"gaiextract export: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"{n} reports written to {wide}", err=True)


def commands() -> list:
    """The subcommands the main CLI group adds."""
    return [batch_command, export_command]
