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
import re
import shutil
import stat
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
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what `cmd | head` gives any tool the reader stopped early


def is_broken_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)


def end_on_broken_pipe() -> None:
    """The reader of standard output went away (``… | head``): stop quietly, as other
    command-line tools do — no message, no traceback at exit — with status 141."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail again
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_BROKEN_PIPE)


class Group(click.Group):
    """The command group: a broken pipe on standard output ends any command quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if is_broken_pipe(exc):
                end_on_broken_pipe()
            raise

#: one-line codes of output failures (besides gaiextract.errors.ERROR_CODES for inputs)
OUTPUT_ERROR_CODES = {
    "disk_full": "no space left on the device (or quota) where an output is written",
    "output_unwritable": "the output's directory is missing, read-only or not permitted",
    "output_exists": "the output file exists and would be overwritten (pass --overwrite)",
    "output_failed": "an output (file or database) failed for another reason",
}

#: the input formats ``-f`` names (a reader's ``format``; the extension and sniffing decide otherwise)
INPUT_FORMATS = ("pdf", "docx", "html", "txt", "md")

#: free bytes below which an I/O error on an output is taken for a full disk
FULL_DISK_BYTES = 1024 * 1024


def _options(*decorators: Callable) -> Callable:
    def apply(f: Callable) -> Callable:
        for d in reversed(decorators):
            f = d(f)
        return f
    return apply


def verbosity(quiet_help: str, verbose_help: str) -> Callable:
    """``-q``/``-v`` with what they mean for this command."""
    return _options(click.option("-q", "--quiet", is_flag=True, help=quiet_help),
                    click.option("-v", "--verbose", is_flag=True, help=verbose_help))


verbosity_options = verbosity("Print nothing but errors (no progress, no summary).",
                              "Also print one line per file on stderr.")

json_options = _options(
    click.option("--indent", type=click.IntRange(min=0), default=None,
                 help="JSON indentation (default 1 for one report; 0 = one line)."),
    click.option("--compact", is_flag=True, help="One line per report (same as --indent 0)."),
)

#: options that change how a document is read, shared by ``extract`` and ``batch``;
#: each is passed to ``gaiextract.extract(**options)`` under its parameter name.
#: Add a reading option here with one line.
READ_OPTIONS: list[Callable] = []


def checked_grammar(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
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


def _checked_ocr(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--ocr always`` (or ``GAIEXTRACT_OCR=always``) without the OCR extra: one line with
    the code ``ocr_unavailable`` and status 2, before any input is read."""
    if value == "always":
        from .source import ocr_available, ocr_install_hint
        if not ocr_available():
            click.echo(f"gaiextract: ocr_unavailable: --ocr always needs OCR: {ocr_install_hint()}", err=True)
            ctx.exit(EXIT_USAGE)
    return value


READ_OPTIONS.append(click.option(
    "--ocr", type=click.Choice(["auto", "always", "never"]), default=None, envvar="GAIEXTRACT_OCR",
    callback=_checked_ocr, show_envvar=True,
    help="Read PDF pages from their image (needs gaiextract[ocr]): pages without usable text "
         "(auto, the default), all, or none."))
READ_OPTIONS.append(click.option(
    "--pdf-engine", type=click.Choice(["pdfium", "pdfminer"]), default=None,
    help="Library that reads PDF pages: pdfium (fast, the default) or pdfminer (under pdfplumber)."))
READ_OPTIONS.append(click.option(
    "--grammar", type=click.Path(file_okay=False), callback=checked_grammar,
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


#: the password part of a URL written ``scheme://user:password@host``
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*:)([^\s@/]+)@")


def display_url(url: str) -> str:
    """A database URL as it may be shown: the password replaced by ``***``
    (SQLAlchemy's ``URL.render_as_string(hide_password=True)``); a path is unchanged."""
    if "://" not in url:
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return mask_secrets(url)
    return parsed.render_as_string(hide_password=True) if parsed.password is not None else url


def mask_secrets(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***`` (messages,
    exceptions from drivers, anything printed or stored)."""
    return _URL_PASSWORD.sub(r"\1***@", text) if "://" in text else text


def fail(prog: str, where: str, code: str, message: str, exit_code: int) -> None:
    """One line on stderr (no database password in it), then exit."""
    click.echo(mask_secrets(f"{prog}: {where}: {code}: {message}"), err=True)
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
    """``(code, message)`` for an exception raised while writing ``target`` (a database
    URL's password masked)."""
    code, message = _output_error(exc, target)
    return code, mask_secrets(message)


def _output_error(exc: BaseException, target: str) -> tuple[str, str]:
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


def _umask() -> int:
    """The process umask (read without changing it where /proc says it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def output_mode(path: str) -> int:
    """The permissions a written output gets: those of the file it replaces, else what
    ``open(path, "w")`` would give (0666 less the umask), as for any other program —
    not the 0600 of a temporary file."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def temp_beside(path: str, prefix: str = ".gaiextract-", suffix: str = ".tmp") -> tuple[int, str]:
    """``(fd, name)`` of a new temporary file beside ``path`` with :func:`output_mode`,
    to be renamed over ``path`` once written (so a failed write leaves nothing behind)."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=os.path.dirname(os.path.abspath(path)))
    try:
        os.fchmod(fd, output_mode(path))
    except OSError:
        pass
    return fd, tmp


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
    fd, tmp = temp_beside(path)
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
