"""What every gaiextract command shares: exit codes, option decorators, outputs.

Why one module: the conventions users expect from command-line tools (``-`` is
standard output for every output option, ``-q``/``-v``, ``--compact``/``--indent``,
one documented exit code per kind of failure, one line per error) must not drift
between commands, and a feature that adds an option to both ``extract`` and
``batch`` (``--ocr``, ``--grammar``) adds one line to :data:`READ_OPTIONS`.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import click

#: exit codes (docs/cli.md): the same meaning for every command
EXIT_OK = 0
EXIT_OUTPUT = 1        # an output could not be written (full disk, read-only, database gone)
EXIT_USAGE = 2         # bad options or arguments (click's own code for usage errors)
EXIT_INPUT = 3         # an input could not be read as a report (extract)
EXIT_INTERRUPTED = 130

#: one-line codes of output failures (besides gaiextract.errors.ERROR_CODES for inputs)
OUTPUT_ERROR_CODES = {
    "disk_full": "no space left on the device (or quota) where an output is written",
    "output_unwritable": "the output's directory is missing, read-only or not permitted",
    "output_exists": "the output file exists and would be overwritten (pass --overwrite)",
    "output_failed": "an output (file or database) failed for another reason",
}

#: free bytes below which an I/O error on an output is taken for a full disk
FULL_DISK_BYTES = 1024 * 1024


def _options(*decorators: Callable) -> Callable:
    def apply(f: Callable) -> Callable:
        for d in reversed(decorators):
            f = d(f)
        return f
    return apply


verbosity_options = _options(
    click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (no progress, no summary)."),
    click.option("-v", "--verbose", is_flag=True, help="Also print one line per file on stderr."),
)

json_options = _options(
    click.option("--indent", type=click.IntRange(min=0), default=None,
                 help="JSON indentation (default 1 for one report; 0 = one line)."),
    click.option("--compact", is_flag=True, help="One line per report (same as --indent 0)."),
)

#: options that change how a document is read, shared by ``extract`` and ``batch``;
#: each is passed to ``gaiextract.extract(**options)`` under its parameter name.
#: Add a reading option here with one line.
READ_OPTIONS: list[Callable] = []


def _checked_grammar(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Load --grammar once, before any input is read or output opened: a bad grammar is
    one line, ``gaiextract: grammar: FILE: line N: key K: …``, and status 2. Workers
    receive the directory and load it themselves (cached per process)."""
    if value is None:
        return None
    from .grammar import GrammarError, load
    try:
        load(value)
    except GrammarError as exc:
        click.echo(f"gaiextract: grammar: {exc}", err=True)
        ctx.exit(2)
    return value


READ_OPTIONS.append(click.option(
    "--ocr", type=click.Choice(["auto", "always", "never"]), default=None,
    help="Read PDF pages from their image (needs gaiextract[ocr]): pages without usable text "
         "(auto, the default), all, or none."))
READ_OPTIONS.append(click.option(
    "--pdf-engine", type=click.Choice(["pdfium", "pdfminer"]), default=None,
    help="Library that reads PDF pages: pdfium (fast, the default) or pdfminer (under pdfplumber)."))
READ_OPTIONS.append(click.option(
    "--grammar", type=click.Path(file_okay=False), callback=_checked_grammar,
    help="A grammar directory whose *.toml files extend the shipped grammar (docs/grammar.md)."))


def read_options(f: Callable) -> Callable:
    for d in reversed(READ_OPTIONS):
        f = d(f)
    return f


def read_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The reading options among a command's parameters (those not at their default None/False)."""
    names = {p.name for d in READ_OPTIONS for p in _params_of(d)}
    return {k: v for k, v in params.items() if k in names and v not in (None, False, ())}


def _params_of(decorator: Callable) -> list[click.Parameter]:
    def probe() -> None:
        pass
    decorator(probe)
    return getattr(probe, "__click_params__", [])


def level(quiet: bool, verbose: bool) -> int:
    if quiet and verbose:
        raise click.UsageError("give -q or -v, not both")
    return -1 if quiet else (1 if verbose else 0)


def indent_of(indent: int | None, compact: bool, default: int | None = 1) -> int | None:
    if compact and indent:
        raise click.UsageError("give --compact or --indent, not both")
    if compact:
        return None
    if indent is None:
        return default
    return indent or None


def fail(prog: str, where: str, code: str, message: str, exit_code: int) -> None:
    """One line on stderr, then exit."""
    click.echo(f"{prog}: {where}: {code}: {message}", err=True)
    sys.exit(exit_code)


def is_stdout(path: str | None) -> bool:
    return path == "-"


def _free_bytes(path: str) -> int | None:
    folder = os.path.abspath(path)
    while folder and not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    try:
        return shutil.disk_usage(folder or ".").free
    except OSError:
        return None


def output_error(exc: BaseException, target: str) -> tuple[str, str]:
    """``(code, message)`` for an exception raised while writing ``target``."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:  # SQLAlchemy wraps the driver's error
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return "disk_full", f"no space left on device writing {target}; free space, then rerun with --resume"
        if isinstance(e, OSError) and e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "output_unwritable", f"{target}: {e.strerror or e}"
        if isinstance(e, OSError) and e.errno in (errno.ENOENT, errno.ENOTDIR):
            return "output_unwritable", f"{target}: {e.strerror or e} (does the directory exist?)"
        text = str(e).lower()
        if "database or disk is full" in text or "no space left" in text:
            return "disk_full", f"no space left on device writing {target}; free space, then rerun with --resume"
        if "disk i/o error" in text:
            free = _free_bytes(target)
            if free is not None and free < FULL_DISK_BYTES:
                return "disk_full", (f"no space left on device writing {target} ({free} bytes free); "
                                     "free space, then rerun with --resume")
        if "readonly database" in text or "read-only" in text:
            return "output_unwritable", f"{target}: read-only"
        e = e.__cause__ or e.__context__ or getattr(e, "orig", None)
    return "output_failed", f"{target}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


@contextlib.contextmanager
def open_output(path: str, overwrite: bool = False) -> Iterator[TextIO]:
    """A text stream for ``path`` (``-`` = stdout) that never truncates an existing file
    unless ``overwrite``: a temporary file beside it, renamed into place when the block
    ends without an exception (removed otherwise). Raises OSError / FileExistsError
    before anything is written."""
    if is_stdout(path):
        out = sys.stdout  # JSON of Chinese text: UTF-8 whatever the locale says
        if hasattr(out, "reconfigure") and (out.encoding or "").lower().replace("-", "") != "utf8":
            out.reconfigure(encoding="utf-8")
        yield out
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, "no such directory", folder)
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(errno.EEXIST, "exists", path)
    fd, tmp = tempfile.mkstemp(prefix=".gaiextract-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path: str, text: str, overwrite: bool = False) -> None:
    """Write ``text`` through :func:`open_output`."""
    with open_output(path, overwrite) as fh:
        fh.write(text)
