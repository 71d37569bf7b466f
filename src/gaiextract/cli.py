"""The command line: a thin layer over the library.

``gaiextract extract FILE...`` prints canonical JSON (one report) or JSON Lines
(several); ``gaiextract batch`` converts whole archives (:mod:`gaiextract.batch`);
``export`` and ``series`` read a batch database. Conventions shared by every
command (exit codes, ``-`` for stdout, ``-q``/``-v``) live in :mod:`gaiextract.clikit`;
a new subcommand registers itself with one line in :func:`_add_optional_commands`.
"""
from __future__ import annotations

import json
import sys
from typing import Any

import click

from . import __version__
from .clikit import (
    EXIT_INPUT,
    EXIT_OUTPUT,
    INPUT_FORMATS,
    Group,
    end_on_broken_pipe,
    fail,
    is_broken_pipe,
    indent_of,
    json_options,
    level,
    open_output,
    output_error,
    read_kwargs,
    read_options,
    verbosity_options,
)
from .errors import ExtractError

PROG = "gaiextract"


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gaiextract")
def main():
    """Extract 政府信息公开工作年度报告 into canonical JSON."""


def _archive_kind(path: str) -> str | None:
    from .batch.inputs import archive_kind_of_file
    return archive_kind_of_file(path)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the JSON here ('-' = standard output, the default).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --output file (refused otherwise).")
@click.option("-f", "--format", "fmt", type=click.Choice(INPUT_FORMATS),
              help="Skip format sniffing (needed for '-' as FILE only if sniffing fails).")
@json_options
@verbosity_options
@read_options
def extract(files, output, overwrite, fmt, indent, compact, quiet, verbose, **options):
    """Read FILE ('-' for standard input) and print its canonical JSON.

    Several FILEs give JSON Lines: one line per file, in order (an unreadable file is
    an error record line). For folders and zip/tar archives use `gaiextract batch`.
    Exit status: 0 all read, 3 some input unreadable, 2 usage error, 1 output failed.
    """
    import os

    from .pipeline import extract as run

    folders = [f for f in files if f != "-" and os.path.isdir(f)]
    if folders:
        raise click.UsageError(f"{folders[0]} is a folder: for folders and archives use "
                               f"`gaiextract batch {folders[0]} --jsonl out.jsonl` (or --db reports.db)")
    verbosity = level(quiet, verbose)
    many = len(files) > 1
    ind = indent_of(indent, compact, default=None if many else 1)
    if many and ind:
        raise click.UsageError("several files give JSON Lines (one line each): --indent does not apply")
    kw = read_kwargs(options)
    target = output or "-"
    failed = 0
    first = None
    if not many:  # one unreadable file: no output file at all
        first = _extract_one(run, files[0], fmt, kw, many, ind, verbosity)
        if first is None:
            sys.exit(EXIT_INPUT)
    try:
        with open_output(target, overwrite=overwrite) as out:
            for file in files:  # one line (or one document) at a time: memory stays flat
                line = first if first is not None else _extract_one(run, file, fmt, kw, many, ind, verbosity)
                out.write(line + "\n")
                if line.startswith('{"schema":"gaiextract.error/1"'):
                    failed += 1
    except FileExistsError:
        fail(PROG, target, "output_exists", "exists; pass --overwrite to replace it", EXIT_OUTPUT)
    except OSError as exc:
        if is_broken_pipe(exc) and target == "-":
            end_on_broken_pipe()
        code, message = output_error(exc, target)
        fail(PROG, target, code, message, EXIT_OUTPUT)
    if failed:
        sys.exit(EXIT_INPUT)


def _extract_one(run, file: str, fmt, kw: dict[str, Any], many: bool, indent, verbosity: int):
    """The output line(s) for one file; an unreadable file is its error record line
    (several files) or None (one file), after its line on stderr."""
    from .batch.worker import error_record
    try:
        if file == "-":
            report = run(sys.stdin.buffer.read(), format=fmt, name="<stdin>", **kw)
        else:
            if _archive_kind(file):
                raise ExtractError("unsupported_format",
                                   "an archive: use `gaiextract batch` to convert the reports inside")
            report = run(file, format=fmt, **kw)
    except ExtractError as exc:
        click.echo(f"{PROG}: {file}: {exc.code}: {exc.message}", err=True)  # even with -q: an error
        if not many:
            return None
        return json.dumps(error_record(file, None, exc.code, exc.message), ensure_ascii=False,
                          separators=(",", ":"))
    if verbosity > 0:
        click.echo(f"{file}: ok, {len(report.warnings)} warnings, "
                   f"{len(report.failing_checks)} failing checks", err=True)
    if verbosity >= 0:
        _say_if_ocr_missing(file, report.warnings, kw.get("ocr"))
    return report.to_json(indent=indent)


def _say_if_ocr_missing(file: str, warnings: list[dict[str, Any]], ocr: str | None) -> None:
    """A scanned PDF read without the OCR extra has no values: one line on stderr says
    so and how to install it (the output's ``no_text_layer`` warning says it too)."""
    from .source import needs_ocr_hint, ocr_install_hint, ocr_mode
    if needs_ocr_hint(warnings, ocr_mode(ocr)):
        click.echo(f"{PROG}: {file}: no_text_layer: scanned pages were not read (their values are null); "
                   f"{ocr_install_hint()}", err=True)


def _add_optional_commands():
    """Subcommands that live with their feature (batch, export, series)."""
    try:
        from .batch.cli import commands
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("gaiextract"):
            raise
        return
    for cmd in commands():
        main.add_command(cmd)


_add_optional_commands()

from .inspect_view.cli import inspect_command  # noqa: E402  (registered after the core commands)

main.add_command(inspect_command)

from .serve.cli import serve_command  # noqa: E402  (imports the web framework only when run)

main.add_command(serve_command)

if __name__ == "__main__":  # pragma: no cover
    main()
