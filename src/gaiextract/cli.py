"""The command line: a thin layer over the library.

``gaiextract extract FILE`` prints canonical JSON; ``gaiextract batch`` (see
:mod:`gaiextract.batch`) converts whole archives.
"""
from __future__ import annotations

import sys

import click

from . import __version__
from .errors import ExtractError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gaiextract")
def main():
    """Extract 政府信息公开工作年度报告 into canonical JSON."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the JSON here instead of standard output.")
@click.option("-f", "--format", "fmt", type=click.Choice(["pdf", "docx", "html", "txt"]),
              help="Skip format sniffing (needed for '-' as FILE only if sniffing fails).")
@click.option("--indent", type=int, default=1, show_default=True, help="JSON indentation; 0 for one line.")
@click.option("--grammar", "grammar_dir", type=click.Path(file_okay=False),
              help="A grammar directory whose *.toml files extend the shipped grammar (docs/grammar.md).")
def extract(file, output, fmt, indent, grammar_dir):
    """Read FILE ('-' for standard input) and print its canonical JSON."""
    from .pipeline import extract as run

    grammar = load_grammar_option(grammar_dir)
    try:
        if file == "-":
            report = run(sys.stdin.buffer.read(), format=fmt, name="<stdin>", grammar=grammar)
        else:
            report = run(file, format=fmt, grammar=grammar)
    except ExtractError as exc:
        click.echo(f"gaiextract: {file}: {exc.code}: {exc.message}", err=True)
        sys.exit(2)
    text = report.to_json(indent=indent or None)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        click.echo(text)


def load_grammar_option(grammar_dir):
    """The grammar a --grammar option names (None: the shipped one); a bad grammar is
    one line on stderr, ``gaiextract: grammar: FILE: line N: key K: …``, and status 2."""
    from .grammar import GrammarError, load

    if grammar_dir is None:
        return None
    try:
        return load(grammar_dir)
    except GrammarError as exc:
        click.echo(f"gaiextract: grammar: {exc}", err=True)
        sys.exit(2)


def _add_optional_commands():
    """Subcommands that live with their feature (batch, export)."""
    try:
        from .batch.cli import commands
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("gaiextract"):
            raise
        return
    for cmd in commands():
        main.add_command(cmd)


_add_optional_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
