"""``gaiextract inspect FILE [-o OUT.html]``: write the inspection page.

An existing output file is never truncated: ``-o`` refuses it unless ``--overwrite``
(``--force`` is the older name), and with it the page is written to a temporary file beside it and moved over it
only when complete, so a failure leaves the old file as it was.
"""
from __future__ import annotations

import os
import sys

import click

from ..clikit import EXIT_INPUT, EXIT_OUTPUT, INPUT_FORMATS, read_options, temp_beside
from ..errors import ExtractError

#: exit statuses as for every command (docs/cli.md): an output refused, unreadable input
EXIT_OUTPUT_EXISTS = EXIT_OUTPUT
EXIT_UNREADABLE = EXIT_INPUT


@click.command("inspect")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the page here ('-' for standard output; the default is FILE's name + .inspect.html).")
@click.option("--overwrite", "--force", "force", is_flag=True,
              help="Replace OUTPUT if it exists (--force: the older name).")
@click.option("-f", "--format", "fmt", type=click.Choice(INPUT_FORMATS),
              help="Skip format sniffing.")
@click.option("--plugin", "plugins", multiple=True, metavar="MODULE",
              help="Import MODULE first (e.g. to register an extra reader), as batch does.")
@read_options
def inspect_command(file: str, output: str | None, force: bool, fmt: str | None, plugins: tuple[str, ...],
                    **options: str | None) -> None:
    """Write a self-contained HTML page that shows where every value of FILE came from.

    FILE is a report ('-' for standard input) or a canonical JSON file written by
    'gaiextract extract' (its source document is re-read when still in place).
    """
    from ..grammar import GRAMMAR_ENV
    from ..source import OCR_ENV
    from . import inspect

    if plugins:
        from ..batch.worker import load_plugins
        try:
            load_plugins(plugins)
        except ImportError as exc:
            raise click.UsageError(f"--plugin: {exc}") from None
    # --ocr / --grammar as for extract: the page's extraction reads them where no caller sets them
    saved = {env: os.environ.get(env) for env in (OCR_ENV, GRAMMAR_ENV)}
    for env, value in ((OCR_ENV, options.get("ocr")), (GRAMMAR_ENV, options.get("grammar"))):
        if value:
            os.environ[env] = value
    try:
        _inspect(inspect, file, output, force, fmt)
    finally:
        for env, value in saved.items():
            if value is None:
                os.environ.pop(env, None)
            else:
                os.environ[env] = value


def _inspect(inspect, file: str, output: str | None, force: bool, fmt: str | None) -> None:
    if output is None:
        output = "-" if file == "-" else os.path.basename(file) + ".inspect.html"
    if output != "-" and os.path.exists(output) and not force:
        click.echo(f"gaiextract: {output}: output_exists: not replaced (pass --overwrite to replace it)", err=True)
        sys.exit(EXIT_OUTPUT_EXISTS)
    try:
        if file == "-":
            page = inspect(sys.stdin.buffer.read(), format=fmt)
        else:
            page = inspect(file, format=fmt)
    except ExtractError as exc:
        click.echo(f"gaiextract: {file}: {exc.code}: {exc.message}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if output == "-":
        click.echo(page, nl=False)
        return
    _write(output, page, force)
    click.echo(f"gaiextract: wrote {output}", err=True)


def _write(path: str, text: str, force: bool) -> None:
    data = text.encode("utf-8")
    if not force:
        try:
            with open(path, "xb") as fh:  # exclusive: never truncates a file that appeared meanwhile
                fh.write(data)
        except FileExistsError:
            click.echo(f"gaiextract: {path}: output_exists: not replaced (pass --overwrite to replace it)", err=True)
            sys.exit(EXIT_OUTPUT_EXISTS)
        return
    fd, tmp = temp_beside(path, prefix=".inspect-", suffix=".html")  # a file's usual permissions
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
