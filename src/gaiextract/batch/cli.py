"""``gaiextract batch`` (added to the main CLI group with ``export`` and ``series``).

Exit codes (docs/batch.md, the same for every command — :mod:`gaiextract.clikit`):
0 the batch ran, even if some files failed (their error records say why); 1 the
batch could not run or finish because of its outputs (database unreachable, disk
full: one line with a code of ``OUTPUT_ERROR_CODES``); 2 usage error; 130
interrupted (Ctrl-C / SIGTERM) after writing everything finished so far.
"""
from __future__ import annotations

import json
import os
import signal
import sys
from typing import TYPE_CHECKING

import click

from ..clikit import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    display_url,
    end_on_broken_pipe,
    is_broken_pipe,
    level,
    mask_secrets,
    output_error,
    read_kwargs,
    read_options,
    verbosity_options,
    write_text,
)
from ..limits import MB
from .inputs import ArchiveLimits
from .settings import BATCH

if TYPE_CHECKING:
    from ..grammar import GrammarLike
    from ..sinks import Sink
    from .runner import BatchOptions, Summary

EXIT_FAILED = EXIT_OUTPUT  # the former name
#: the smallest --max-file-mb taken (about 1 KB)
MIN_FILE_MB = 0.001
__all__ = ["EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "commands"]


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False, allow_dash=True),
              help="Append records to this JSON Lines file ('-' = standard output).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write one JSON file per report here.")
@click.option("--db", "db_url", help="Database URL (postgresql://…) or a SQLite file path.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parallel workers (default: one per CPU).")
@click.option("--resume", is_flag=True, help="Skip files the outputs already hold (by content sha256).")
@click.option("--retry-errors", is_flag=True,
              help="With --resume: convert again the files whose earlier try gave an error record.")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symbolic links that point outside the input folders (skipped otherwise).")
@click.option("--timeout", type=click.FloatRange(min=0), default=BATCH.timeout_s, show_default=True,
              help="Seconds allowed per file; 0 for no limit.")
@click.option("--max-tasks-per-child", type=click.IntRange(min=1), default=BATCH.max_tasks_per_child, show_default=True,
              help="Recycle a worker process after this many files (bounds memory growth).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (with --executor dask; without it a local "
                                   "cluster of --workers processes is started).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal).")
@click.option("--summary-json", type=click.Path(dir_okay=False, allow_dash=True),
              help="Also write the summary here as JSON ('-' = standard output).")
@click.option("--plugin", "plugins", multiple=True, metavar="MODULE",
              help="Import MODULE in every worker first (e.g. to register an extra reader).")
@click.option("--db-batch-size", type=click.IntRange(min=1), default=BATCH.db_batch_size, show_default=True,
              help="Reports per database transaction.")
@click.option("--max-file-mb", type=click.FloatRange(min=MIN_FILE_MB),
              default=ArchiveLimits.max_member_bytes / MB, show_default=True,
              help="Largest document (file or archive member) read, uncompressed.")
@click.option("--max-ratio", type=click.FloatRange(min=1), default=ArchiveLimits.max_ratio, show_default=True,
              help="Largest compression ratio of an archive member (zip bomb guard).")
@verbosity_options
@read_options
def batch_command(inputs, jsonl, out_dir, db_url, workers, resume, retry_errors, follow_symlinks, timeout,
                  max_tasks_per_child, executor, scheduler, progress, summary_json, plugins, db_batch_size,
                  max_file_mb, max_ratio, quiet, verbose, **options):
    """Convert files, folders and zip/tar archives (INPUT...) into JSONL, JSON files
    and/or a database. Bad files become error records; the batch goes on."""
    # the worker processes inherit this: one ONNX thread per worker, so OCR stays
    # within the --workers budget (the model loads once per worker)
    os.environ.setdefault("GAIEXTRACT_OCR_THREADS", "1")
    from .runner import BatchOptions

    verbosity = level(quiet, verbose)
    _check_usage(jsonl, out_dir, db_url, resume, retry_errors, summary_json, executor, scheduler)
    _load_plugins(plugins)
    read_options = read_kwargs(options)
    sinks = _sinks(jsonl, out_dir, db_url, db_batch_size, read_options.get("grammar"))
    limits = ArchiveLimits(max_member_bytes=int(max_file_mb * MB), max_ratio=max_ratio)
    opts = BatchOptions(inputs=list(inputs), workers=workers or 0, timeout=timeout or None,
                        max_tasks_per_child=max_tasks_per_child, resume=resume, executor=executor,
                        scheduler=scheduler, progress=progress, plugins=tuple(plugins), limits=limits,
                        retry_errors=retry_errors, follow_symlinks=follow_symlinks, verbosity=verbosity,
                        read_options=read_options, stop_signals=(signal.SIGINT, signal.SIGTERM))
    summary = _run(opts, sinks, jsonl, out_dir, db_url, summary_json)
    if verbosity >= 0:
        _say_summary(summary, inputs, opts.read_options.get("ocr"))
    if summary_json:
        _write_summary(summary, summary_json)
    sys.exit(EXIT_INTERRUPTED if summary.interrupted else EXIT_OK)


def _check_usage(jsonl: str | None, out_dir: str | None, db_url: str | None, resume: bool, retry_errors: bool,
                 summary_json: str | None, executor: str, scheduler: str | None) -> None:
    """Options that do not go together: a usage error (exit 2) naming them."""
    if retry_errors and not resume:
        raise click.UsageError("--retry-errors goes with --resume")
    if out_dir == "-":
        raise click.UsageError("--out takes a folder; for standard output use --jsonl -")
    if jsonl == "-" and summary_json == "-":
        raise click.UsageError("--jsonl - and --summary-json - cannot both be standard output")
    if jsonl == "-" and resume:
        raise click.UsageError("--resume cannot read back standard output (--jsonl -)")
    if jsonl and out_dir:
        raise click.UsageError("give --jsonl or --out, not both")
    if not (jsonl or out_dir or db_url):
        raise click.UsageError("give at least one output: --jsonl FILE, --out DIR or --db URL")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")


def _load_plugins(plugins: tuple[str, ...]) -> None:
    """Import the --plugin modules here first, so a wrong name is a usage error."""
    if not plugins:
        return
    from .worker import load_plugins
    try:
        load_plugins(plugins)
    except ImportError as exc:
        raise click.UsageError(f"--plugin: {exc}")


def _sinks(jsonl: str | None, out_dir: str | None, db_url: str | None, db_batch_size: int,
           grammar: GrammarLike = None) -> list[Sink]:
    """The outputs asked for; a database URL that cannot be used is a usage error."""
    sinks: list[Sink] = []
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
            raise click.UsageError(mask_secrets(f"--db {display_url(db_url)}: {exc}"))
        # identities by the agency rules of the grammar the reports are read with
        sinks.append(SqlSink(db_url, batch_size=db_batch_size, grammar=grammar))
    return sinks


def _run(opts: BatchOptions, sinks: list[Sink], jsonl: str | None, out_dir: str | None, db_url: str | None,
         summary_json: str | None) -> Summary:
    """The batch (Ctrl-C and SIGTERM stop it cleanly: ``BatchOptions.stop_signals``); an
    interruption during set-up or an output that fails ends the command (exit 130, or 1
    with one line naming the output)."""
    from .runner import run_batch

    try:
        return run_batch(opts, sinks)
    except KeyboardInterrupt:  # during set-up, before anything ran
        click.echo("gaiextract batch: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - an output failed: one line with its code
        if is_broken_pipe(exc) and "-" in (jsonl, summary_json):
            end_on_broken_pipe()  # `batch … --jsonl - | head`: end quietly
        target = db_url if db_url and not isinstance(exc, OSError) else (jsonl or out_dir or db_url)
        code, message = output_error(exc, str(target))
        click.echo(mask_secrets(f"gaiextract batch: {code}: the batch could not finish: {message}"), err=True)
        sys.exit(EXIT_OUTPUT)


def _say_summary(summary: Summary, inputs: tuple[str, ...], ocr: str | None) -> None:
    """The summary on stderr, with a word when scans went unread or nothing was found."""
    click.echo(summary.text(), err=True)
    _say_if_ocr_missing(summary.no_text_layer, ocr)
    if not (summary.converted or summary.skipped or summary.resumed or summary.duplicates or summary.interrupted):
        click.echo(f"gaiextract batch: no documents found in {', '.join(inputs)} (looked for PDF, Word, "
                   "HTML, text and Markdown files, also inside zip/tar archives)", err=True)


def _write_summary(summary: Summary, summary_json: str) -> None:
    """The summary as JSON (``--summary-json``); a write that fails is exit 1."""
    text = json.dumps(summary.to_dict(), ensure_ascii=False, indent=1) + "\n"
    try:
        write_text(summary_json, text, overwrite=True)  # the summary is ours to replace
    except OSError as exc:
        code, message = output_error(exc, summary_json)
        click.echo(f"gaiextract batch: {code}: {message}", err=True)
        sys.exit(EXIT_OUTPUT)


def _say_if_ocr_missing(n: int, ocr: str | None) -> None:
    from ..source import ocr_available, ocr_install_hint, ocr_mode
    if n and ocr_mode(ocr) != "never" and not ocr_available():
        click.echo(f"gaiextract batch: no_text_layer: {n} scanned PDF(s) were not read (their values are null); "
                   f"{ocr_install_hint()}, then rerun them", err=True)


def commands() -> list[click.Command]:
    """The subcommands the main CLI group adds."""
    from .data_cli import export_command, series_command
    return [batch_command, export_command, series_command]
