"""Each tolerance named once: no unnamed tolerance literal inside a function.

A tolerance — a threshold, a score, a margin, a factor — is a field of a validated frozen
settings object (``TableSettings``, ``HeadingSettings``, ``limits.Limits`` …, defaults in
one place) or, when it is a fixed fact rather than a tunable (points per inch, bytes per
MB, the ASCII range), a named module constant. A number written inside a function body is
neither, so this test walks the package's syntax trees and lists each one as file:line.

The rule (what counts as a tolerance literal), inside a function — its body, its argument
defaults and its decorators; module and class bodies are where names are given:

- a float literal other than 0.0 and 1.0 (anywhere: a comparison, a score, an argument
  default, a click option default), except the exponent of ``**`` (``x ** 0.5`` is a
  square root);
- an int literal of absolute value 3 or more, written in decimal, that is an operand of an
  ordering comparison (``<``, ``<=``, ``>``, ``>=``) or a factor or divisor (``*``, ``/``,
  ``//``) — a threshold or a scale, whatever it measures.

Not tolerances, so not flagged: ints 0, 1 and 2 (none, one, a pair or a half); any int
used as an index, a slice, a ``range()`` bound, a call argument or a return value (exit
codes); ints compared with ``==``/``!=``/``in`` (HTTP statuses, exit codes, kinds); hex,
octal and binary literals (code points and bit masks); ``+``/``-``/``%``/``<<``/``&``
operands of ints (offsets, bit arithmetic).

Files owned by other branches that still hold such literals are listed in ``PENDING`` with
their count: the test fails when a file gains one, and when a file holds fewer than its
entry says (lower or remove the entry — the list only shrinks).
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "gaiextract"

#: files (relative to src/gaiextract) that still hold tolerance literals, with how many;
#: owned by other branches (issue 21/22). The lead lowers an entry when the fix is merged.
PENDING: dict[str, int] = {}

_ORDER = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_SCALE = (ast.Mult, ast.Div, ast.FloorDiv)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
#: the smallest int that is a threshold or a factor rather than a count (0, 1, 2 are not)
_FIRST_TOLERANCE_INT = 3


def _inside_functions(tree: ast.AST) -> list[tuple[ast.Constant, ast.AST]]:
    """(numeric literal, the node it belongs to) for every int or float literal inside a
    function; a literal's unary sign is folded in (its node is then the sign's parent)."""
    out: list[tuple[ast.Constant, ast.AST]] = []

    def walk(node: ast.AST, parent: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Constant) and type(child.value) in (int, float):
                if in_function:
                    sign_folded = isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd))
                    out.append((child, parent if sign_folded else node))
                continue
            walk(child, node, in_function or isinstance(child, _FUNCTIONS))

    walk(tree, tree, False)
    return out


def _operand(node: ast.Constant, owner: ast.AST) -> ast.AST:
    """The literal as its owner sees it (the signed expression when a sign was folded)."""
    for child in ast.iter_child_nodes(owner):
        if child is node or (isinstance(child, ast.UnaryOp) and child.operand is node):
            return child
    return node


def is_tolerance(node: ast.Constant, owner: ast.AST, source: str) -> bool:
    """Whether ``node`` (a numeric literal inside a function, ``owner`` the node holding it)
    is a tolerance literal by the rule in this module's docstring."""
    value = node.value
    if isinstance(value, float):
        if value in (0.0, 1.0):
            return False
        return not (isinstance(owner, ast.BinOp) and isinstance(owner.op, ast.Pow)
                    and owner.right is _operand(node, owner))
    if abs(value) < _FIRST_TOLERANCE_INT:
        return False
    if source[:2].lower() in ("0x", "0o", "0b"):
        return False
    if isinstance(owner, ast.Compare):
        return all(isinstance(op, _ORDER) for op in owner.ops)
    return isinstance(owner, ast.BinOp) and isinstance(owner.op, _SCALE)


def tolerance_lines(text: str) -> list[int]:
    """Line numbers of the tolerance literals in one module's source."""
    lines = text.splitlines()
    found = []
    for node, owner in _inside_functions(ast.parse(text)):
        source = lines[node.lineno - 1][node.col_offset:node.end_col_offset or node.col_offset + 2]
        if is_tolerance(node, owner, source):
            found.append(node.lineno)
    return sorted(found)


def package_hits(src: Path = SRC) -> dict[str, list[int]]:
    """file (relative to the package) -> lines of its tolerance literals."""
    hits = {}
    for path in sorted(src.rglob("*.py")):
        lines = tolerance_lines(path.read_text(encoding="utf-8"))
        if lines:
            hits[path.relative_to(src).as_posix()] = lines
    return hits


# --------------------------------------------------------------------------- the rule

@pytest.mark.parametrize("code", [
    "def f(x):\n    return x > 0.3\n",
    "def f(x):\n    return 0.55 + 0.3 * x\n",
    "def f(x, tol=0.5):\n    return x\n",
    "def f(x):\n    return abs(x) > 1e-6\n",
    "def f(gap):\n    return gap >= 4\n",
    "def f(w):\n    return w * 1024\n",
    "def f(w):\n    return w / 72\n",
    "def f(x):\n    return x < -3\n",
    "def f(s):\n    return len(s) > 400\n",
    "def f():\n    g = lambda x: x * 0.8\n    return g\n",
    "import click\n@click.option('--t', default=120.0)\ndef f(t):\n    return t\n",
])
def test_flags_a_tolerance(code: str) -> None:
    assert tolerance_lines(code), code


@pytest.mark.parametrize("code", [
    "def f(xs):\n    return xs[0] + xs[-1] + xs[3]\n",
    "def f():\n    return [i for i in range(2)] + list(range(10))\n",
    "def f(rc):\n    return 2 if rc == 404 else 0\n",
    "def f(s):\n    return len(s) >= 2 and s[:8]\n",
    "def f(o):\n    return 0x4E00 <= o <= 0x9FFF\n",
    "def f(n):\n    return n & 0xFF, n << 14, n % 26\n",
    "def f(a, b):\n    return (a + b) / 2, a * 2\n",
    "def f(x):\n    return x ** 0.5, 1.0 - x, 0.0\n",
    "def f(x):\n    return x + 3, round(x, 3)\n",
    "TOL = 0.3\nclass S:\n    tol: float = 0.25\n    big: int = 10 * 1024\n",
    "def f(x):\n    return x in (3, 4) or x == 5\n",
])
def test_does_not_flag_a_count_or_a_fact(code: str) -> None:
    assert not tolerance_lines(code), code


# --------------------------------------------------------------------------- the package

def test_no_tolerance_literal_outside_settings() -> None:
    hits = package_hits()
    new = [f"{rel}:{line}" for rel, lines in hits.items() if rel not in PENDING for line in lines]
    assert not new, ("tolerance literals inside functions (name them as settings fields or "
                     f"module constants): {new}")
    grown = {rel: len(hits.get(rel, [])) for rel, n in PENDING.items() if len(hits.get(rel, [])) > n}
    assert not grown, f"files with more tolerance literals than PENDING allows: {grown} ({hits})"
    shrunk = {rel: len(hits.get(rel, [])) for rel, n in PENDING.items() if len(hits.get(rel, [])) < n}
    assert not shrunk, f"fewer tolerance literals than PENDING says — lower or remove these entries: {shrunk}"


# --------------------------------------------------------------------------- the settings named here

#: ocr_image (the OCR extra's page geometry) imports numpy and Pillow
_NEEDS_NUMPY = pytest.mark.skipif(importlib.util.find_spec("numpy") is None or importlib.util.find_spec("PIL") is None,
                                  reason="the ocr extra (numpy, Pillow) is not installed")

@pytest.mark.parametrize("module,name,bad", [
    ("gaiextract.layout.sections", "SectionSettings", {"number_bonus": 0}),
    ("gaiextract.layout.stream", "StreamSettings", {"misread_penalty": -1.5}),
    ("gaiextract.encoding", "DecodeSettings", {"cjk_share_margin": 0}),
    ("gaiextract.batch.settings", "BatchSettings", {"poll_wait_s": 0}),
    ("gaiextract.batch.inputs", "ArchiveLimits", {"read_chunk_bytes": 0}),
    ("gaiextract.inspect_view.settings", "InspectSettings", {"min_scale": 0.0}),
    ("gaiextract.batch.settings", "BatchSettings", {"hard_deadline_share": 0.0}),
    ("gaiextract.readers.pdf_tables", "TableSettings", {"stitch_edge_share": 0.0}),
    ("gaiextract.readers.pdf_tables", "TableSettings", {"frame_min_rules": -3}),
    ("gaiextract.readers.pdf_tables", "TableSettings", {"snap_tolerance": -1.0}),
    ("gaiextract.readers.pdf_pdfium", "PdfiumSettings", {"segments_per_object": 0}),
    ("gaiextract.readers.docx", "DocxSettings", {"package_part_max_bytes": 0}),
    ("gaiextract.readers.text", "PlainTextSettings", {"row_max_chars": 0}),
    ("gaiextract.readers.ocr", "OcrSettings", {"cell_flat_ratio": 0}),
    ("gaiextract.readers.ocr", "OcrSettings", {"lookalike_margin": -0.01}),
    ("gaiextract.readers.ocr", "OcrSettings", {"det_max_side": -1}),
    pytest.param("gaiextract.readers.ocr_image", "ImageSettings", {"slash_min_slope": 0.0}, marks=_NEEDS_NUMPY),
    pytest.param("gaiextract.readers.ocr_image", "ImageSettings", {"rule_side_px": (6, 3)}, marks=_NEEDS_NUMPY),
])
def test_settings_refuse_a_tolerance_that_is_not_positive(module: str, name: str, bad: dict[str, float]) -> None:
    settings_class = getattr(importlib.import_module(module), name)
    settings_class()  # the defaults are valid
    with pytest.raises(ValueError):
        settings_class(**bad)


def test_the_defaults_are_the_settings() -> None:
    """The command line and the options object take their defaults from one settings object."""
    from gaiextract.batch.cli import batch_command
    from gaiextract.batch.runner import BatchOptions
    from gaiextract.batch.settings import BATCH

    defaults = {p.name: p.default for p in batch_command.params}
    assert defaults["timeout"] == BATCH.timeout_s == BatchOptions.timeout
    assert defaults["max_tasks_per_child"] == BATCH.max_tasks_per_child == BatchOptions.max_tasks_per_child
    assert defaults["db_batch_size"] == BATCH.db_batch_size
    assert BatchOptions.flush_interval == BATCH.flush_interval_s


def test_the_serve_defaults_are_the_settings() -> None:
    """``gaiextract serve``'s options default to the fields of ``ServeSettings``."""
    from gaiextract.serve.cli import serve_command
    from gaiextract.serve.settings import DEFAULT_SETTINGS

    defaults = {p.name: p.default for p in serve_command.params}
    assert defaults["timeout"] == DEFAULT_SETTINGS.timeout
    assert defaults["upload_idle_timeout"] == DEFAULT_SETTINGS.upload_idle_s
    assert defaults["port"] == DEFAULT_SETTINGS.port
    assert defaults["host"] == DEFAULT_SETTINGS.host
