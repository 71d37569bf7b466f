"""``gaiextract export`` and ``gaiextract series``: reading a batch database back out.

Both fail with one line and a documented exit code (:mod:`gaiextract.clikit`):
a database that does not exist is a usage error (2) and nothing is created; an
output that cannot be written is 1.
"""
from __future__ import annotations

import json
import sys

import click

from ..clikit import (
    EXIT_OUTPUT,
    EXIT_USAGE,
    end_on_broken_pipe,
    fail,
    is_broken_pipe,
    is_stdout,
    output_error,
    verbosity_options,
    write_text,
)

PROG = "gaiextract"


@click.command("export")
@click.argument("db", required=False)
@click.argument("out", required=False)
@click.option("--shape", type=click.Choice(["wide", "long"]), default="wide", show_default=True,
              help="wide: one row per report identity, one column per cell; long: one row per cell.")
@click.option("--all-copies", is_flag=True,
              help="Keep every copy of a report (by default only the best-read copy per identity).")
@click.option("--overwrite", is_flag=True, help="Replace an existing OUT (refused otherwise).")
@click.option("--db", "db_opt", hidden=True, help="Deprecated: give DB as the first argument.")
@click.option("--wide", "wide_opt", hidden=True, type=click.Path(dir_okay=False),
              help="Deprecated: gaiextract export DB OUT.csv")
@verbosity_options
def export_command(db, out, shape, all_copies, overwrite, db_opt, wide_opt, quiet, verbose):
    """Export the batch database DB to OUT: .csv, .xlsx or .parquet by extension;
    '-' writes CSV to standard output.

    .xlsx needs `pip install 'gaiextract[xlsx]'`, .parquet `gaiextract[parquet]`.
    """
    from ..sinks.export import ExportError, export
    if db_opt or wide_opt:  # the first release's form: export --db URL --wide FILE.csv
        if db or out or not (db_opt and wide_opt):
            raise click.UsageError("give DB and OUT as arguments (the --db/--wide form is deprecated)")
        click.echo("gaiextract export: --db/--wide is deprecated; use: gaiextract export DB OUT.csv",
                   err=True)
        db, out, all_copies = db_opt, wide_opt, True
        overwrite = True  # what the old form did
    if not db or not out:
        raise click.UsageError("usage: gaiextract export DB OUT (OUT: .csv, .xlsx, .parquet or -)")
    try:
        n = export(db, out, shape=shape, all_copies=all_copies, overwrite=overwrite)
    except ExportError as exc:
        if exc.code in ("usage", "not_found", "missing_extra", "too_many_rows"):
            fail(f"{PROG} export", db if exc.code == "not_found" else out, exc.code, exc.message, EXIT_USAGE)
        fail(f"{PROG} export", out, "output_exists" if exc.code == "exists" else "output_unwritable",
             exc.message, EXIT_OUTPUT)
    except Exception as exc:  # noqa: BLE001 - the database unreachable, the disk full …: one line
        if is_broken_pipe(exc) and is_stdout(out):
            end_on_broken_pipe()  # `export DB - | head`: end quietly
        code, message = output_error(exc, out)
        fail(f"{PROG} export", db, code, message, EXIT_OUTPUT)
    if not quiet and not is_stdout(out):
        click.echo(f"{n} rows written to {out}", err=True)


@click.command("series")
@click.argument("db")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the result as JSON here ('-' = standard output) instead of the table.")
@click.option("--no-store", is_flag=True,
              help="Do not write the result into the database (series_* tables).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --json file.")
@verbosity_options
def series_command(db, json_out, no_store, overwrite, quiet, verbose):
    """Line up each agency's reports in DB by year and check what the template ties
    across years (上年结转 = last year's 结转下年度继续办理, …); list gaps in the years.

    Exit status 0 even when ties fail (the output lists them); 2 no such database.
    """
    from ..series import series
    try:
        result = series(db, store=not no_store)
    except FileNotFoundError as exc:
        fail(f"{PROG} series", db, "not_found", str(exc), EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - a database or disk failure: one line, not a traceback
        code, message = output_error(exc, db)
        fail(f"{PROG} series", db, code, message, EXIT_OUTPUT)
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
    sys.exit(0)
