"""``gaiextract export`` and ``gaiextract series``: reading a batch database back out.

Both fail with one line and a documented exit code (:mod:`gaiextract.clikit`):
a database that does not exist is a usage error (2) and nothing is created; an
output that cannot be written is 1.
"""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from ..clikit import (
    EXIT_INPUT,
    EXIT_OUTPUT,
    EXIT_USAGE,
    checked_grammar,
    display_url,
    end_on_broken_pipe,
    fail,
    is_broken_pipe,
    is_stdout,
    output_error,
    verbosity,
    write_text,
)

if TYPE_CHECKING:
    from ..sinks.export import ExportError

PROG = "gaiextract"


@click.command("export")
@click.argument("db", required=False, metavar="DB")
@click.argument("out", required=False, metavar="OUT")
@click.option("--shape", type=click.Choice(["wide", "long"]), default="wide", show_default=True,
              help="wide: one row per report identity, one column per cell; long: one row per cell.")
@click.option("--all-copies", is_flag=True,
              help="Keep every copy of a report (by default only the best-read copy per identity).")
@click.option("--header", type=click.Choice(["keys", "labels", "both"]), default=None,
              help="Header of .csv/.xlsx: column keys (CSV default), the template's Chinese labels with units "
                   "(xlsx default), or both rows (keys first).")
@click.option("--edition", metavar="EDITION", default=None,
              help="Only reports of this template edition, with only its columns (an .xlsx has one sheet "
                   "per edition anyway).")
@click.option("--overwrite", is_flag=True, help="Replace an existing OUT (refused otherwise).")
@click.option("--grammar", type=click.Path(file_okay=False), callback=checked_grammar, default=None,
              help="The grammar directory the reports were read with (as for extract/batch): its tables and "
                   "export.toml name the columns (docs/grammar.md).")
@click.option("--db", "db_opt", hidden=True, help="Deprecated: give DB as the first argument.")
@click.option("--wide", "wide_opt", hidden=True, type=click.Path(dir_okay=False),
              help="Deprecated: gaiextract export DB OUT.csv")
@verbosity("Print nothing but errors (not the row count).",
           "Also say what DB is (database or records file) and what was written.")
def export_command(db, out, shape, header, edition, all_copies, overwrite, grammar, db_opt, wide_opt, quiet,
                   verbose):
    """Export DB to OUT: .csv, .xlsx or .parquet by extension; '-' writes CSV to
    standard output. DB is a batch database (SQLite file or URL) or the JSON Lines of
    `batch --jsonl` (or the JSON of `extract`); anything else is status 3.

    .xlsx needs `pip install 'gaiextract[xlsx]'`, .parquet `gaiextract[parquet]`.
    """
    from ..sinks.export import ExportError, export
    if db_opt or wide_opt:  # the first release's form: export --db URL --wide FILE.csv
        db, out, all_copies, overwrite = _deprecated_form(db, out, db_opt, wide_opt)
    if not db or not out:
        raise click.UsageError("usage: gaiextract export DB OUT (OUT: .csv, .xlsx, .parquet or -)")
    try:
        n = export(db, out, shape=shape, all_copies=all_copies, overwrite=overwrite, header=header, edition=edition,
                   grammar=grammar)
    except ExportError as exc:
        _export_refused(exc, db, out)
    except Exception as exc:  # noqa: BLE001 - the database unreachable, the disk full …: one line
        if is_broken_pipe(exc) and is_stdout(out):
            end_on_broken_pipe()  # `export DB - | head`: end quietly
        _database_failed("export", db, out, exc)
    if verbose:
        from ..sinks.export import input_kind
        click.echo(f"{display_url(db)}: read as {'a records file' if input_kind(db) == 'records' else 'a database'}; "
                   f"shape {shape}, {'every copy' if all_copies else 'the best copy per report'}"
                   + (f", edition {edition}" if edition else ""), err=True)
    if not quiet and not is_stdout(out):
        click.echo(f"{n} row{'' if n == 1 else 's'} written to {out}", err=True)


def _deprecated_form(db: str | None, out: str | None, db_opt: str | None,
                     wide_opt: str | None) -> tuple[str, str, bool, bool]:
    """(db, out, all_copies, overwrite) of the first release's ``export --db URL --wide
    FILE.csv``, which kept every copy and replaced the file; said to be deprecated."""
    if db or out or not (db_opt and wide_opt):
        raise click.UsageError("give DB and OUT as arguments (the --db/--wide form is deprecated)")
    click.echo("gaiextract export: --db/--wide is deprecated; use: gaiextract export DB OUT.csv", err=True)
    return db_opt, wide_opt, True, True


def _export_refused(exc: ExportError, db: str, out: str) -> None:
    """One line and the exit status for an export that refused: the input is not
    something export reads (3), a usage problem (2), or the output (1)."""
    if exc.code in INPUT_CODES:  # the input is neither a database nor records: named, status 3
        fail(f"{PROG} export", display_url(db), exc.code, _without(exc.message, db), EXIT_INPUT)
    if exc.code in ("usage", "not_found", "missing_extra", "too_many_rows", "grammar"):
        fail(f"{PROG} export", display_url(db) if exc.code == "not_found" else out, exc.code,
             _without(exc.message, db), EXIT_USAGE)
    fail(f"{PROG} export", out, "output_exists" if exc.code == "exists" else "output_unwritable",
         exc.message, EXIT_OUTPUT)


#: ExportError codes that say the input is not something export/series read (exit 3)
INPUT_CODES = ("unsupported_format", "corrupt", "decode_failed", "empty")


def _without(message: str, name: str) -> str:
    """``message`` without a leading ``name: `` (the line names it already)."""
    return message[len(name) + 2:] if message.startswith(name + ": ") else message


def _database_failed(command: str, db: str, out: str | None, exc: BaseException) -> None:
    """One line for a failure of the database or of the output, blaming the right one:
    a database error names DB (a file that is not a database is status 3), an OS error
    on the output names OUT."""
    from sqlalchemy.exc import DatabaseError, SQLAlchemyError
    if isinstance(exc, DatabaseError) and "not a database" in str(exc):
        fail(f"{PROG} {command}", display_url(db), "unsupported_format",
             "not a batch database, nor JSON/JSON Lines written by gaiextract", EXIT_INPUT)
    if isinstance(exc, SQLAlchemyError) or out is None:
        code, message = output_error(exc, display_url(db))
        if code == "output_failed":  # the driver's own first line, not SQLAlchemy's wrapping
            cause = getattr(exc, "orig", None) or exc
            first = str(cause).strip().splitlines()
            message = f"{type(cause).__name__}: {first[0] if first else ''}"
        fail(f"{PROG} {command}", display_url(db), code, _without(message, display_url(db)), EXIT_OUTPUT)
    code, message = output_error(exc, out)
    fail(f"{PROG} {command}", out, code, _without(message, out), EXIT_OUTPUT)


@click.command("series")
@click.argument("db")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the result as JSON here ('-' = standard output) instead of the table.")
@click.option("--no-store", is_flag=True,
              help="Do not write the result into the database (series_* tables).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --json file.")
@verbosity("Print nothing but errors (not the table).", "Also say what DB was read as and how many agencies.")
def series_command(db, json_out, no_store, overwrite, quiet, verbose):
    """Line up each agency's reports in DB (a batch database, or `batch --jsonl` /
    `extract` JSON) by year and check what the template ties
    across years (上年结转 = last year's 结转下年度继续办理, …); list gaps in the years.

    Exit status 0 even when ties fail (the output lists them); 2 no such database.
    """
    from ..errors import ExtractError
    from ..records import read_records
    from ..yearly import series, series_of
    from ..sinks.export import input_kind
    kind = input_kind(db)
    try:
        if kind == "records":  # batch --jsonl / extract output: checked in memory, nothing stored
            result = series_of(read_records(db))
        elif kind == "neither":
            raise ExtractError("unsupported_format", "neither a batch database (SQLite) nor the JSON/JSON Lines "
                               "that `gaiextract extract` / `batch --jsonl` write", db)
        else:
            result = series(db, store=not no_store)
    except ExtractError as exc:
        fail(f"{PROG} series", db, exc.code, exc.message, EXIT_INPUT)
    except FileNotFoundError as exc:
        fail(f"{PROG} series", display_url(db), "not_found", _without(str(exc), db), EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - a database or disk failure: one line, not a traceback
        _database_failed("series", db, None, exc)
    if json_out:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n"
        try:
            write_text(json_out, text, overwrite=overwrite)
        except FileExistsError:
            fail(f"{PROG} series", json_out, "output_exists", "exists; pass --overwrite", EXIT_OUTPUT)
        except OSError as exc:
            code, message = output_error(exc, json_out)
            fail(f"{PROG} series", json_out, code, message, EXIT_OUTPUT)
    elif not quiet:
        click.echo(result.text())
    if verbose:
        click.echo(f"{display_url(db)}: read as {'a records file' if kind == 'records' else 'a database'}, "
                   f"{len(result.agencies)} agencies with a known agency and year", err=True)
    sys.exit(0)
