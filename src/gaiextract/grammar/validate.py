"""Validation of grammar files: JSON Schemas (``grammars/schema/``), compiled patterns,
and errors that name the file, line and key."""
from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from ..textnorm import CN_DIGITS, HAN, PROSE_NUMBER
from .model import GrammarError

#: pattern lists whose patterns capture a value (group 1: a number, a year, a numeral)
CAPTURING_PATTERNS = ("notices_patterns", "amount_notified_patterns", "amount_collected_patterns",
                      "item_patterns", "patterns")


@functools.cache
def file_schema(name: str) -> dict[str, Any] | None:
    """The JSON Schema of grammar file ``name`` (``grammars/schema/<stem>.schema.json``)."""
    path = resources.files("gaiextract").joinpath("grammars", "schema", name.replace(".toml", ".schema.json"))
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _without_required(schema: Any) -> Any:
    """The schema of a user's partial file: nothing is required, everything else holds."""
    if isinstance(schema, dict):
        return {k: _without_required(v) for k, v in schema.items() if k not in ("required", "minItems")}
    if isinstance(schema, list):
        return [_without_required(v) for v in schema]
    return schema


def _validate(data: dict[str, Any], name: str, where: str, text: str, partial: bool) -> None:
    schema = file_schema(name)
    if schema is None:
        return
    import jsonschema

    if partial:
        schema = _without_required(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        e = errors[0]
        path = list(e.absolute_path)
        raise GrammarError(f"{where}: line {locate(text, path)}: key {dotted(path) or '<top>'}: {e.message}")
    _check_patterns(data, name, where, text)


def _check_patterns(data: Any, name: str, where: str, text: str, path: tuple[str | int, ...] = ()) -> None:
    """Every regular expression of the grammar compiles (keys named ``*patterns``/``pattern``)."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k.endswith("patterns") or k == "pattern":
                for i, pat in enumerate(v if isinstance(v, list) else [v]):
                    p = [*path, k] + ([i] if isinstance(v, list) else [])
                    try:
                        groups = re.compile(expand(pat)).groups
                    except (re.error, KeyError, IndexError, ValueError, TypeError) as exc:
                        raise GrammarError(f"{where}: line {locate(text, p)}: key {dotted(p)}: "
                                           f"not a valid pattern: {exc}") from None
                    if k in CAPTURING_PATTERNS and groups < 1:
                        raise GrammarError(f"{where}: line {locate(text, p)}: key {dotted(p)}: "
                                           f"needs a capture group for the value ({{number}} is one)")
            else:
                _check_patterns(v, name, where, text, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _check_patterns(v, name, where, text, (*path, i))


def expand(pattern: str) -> str:
    """A grammar pattern with its placeholders filled from textnorm: ``{number}`` a
    number as prose writes it (digits or Chinese numerals, one group), ``{han}`` the
    Han character range (inside ``[...]``), ``{numeral}`` one numbering numeral."""
    return (pattern.replace("{number}", PROSE_NUMBER).replace("{han}", HAN)
            .replace("{numeral}", f"[{CN_DIGITS}]"))


def dotted(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def locate(text: str, path: list[str | int]) -> int:
    """The line (1-based) of ``path`` in a TOML file's text, found from its headers and
    keys (``[[section]]`` counted for list items; best effort, never fails)."""
    lines = text.splitlines()
    pos, i = 0, 0
    prefix: list[str] = []
    while i < len(path):
        key = path[i]
        if not isinstance(key, str):
            i += 1
            continue
        nxt = path[i + 1] if i + 1 < len(path) else None
        idx = nxt if isinstance(nxt, int) else None
        header = ".".join([*prefix, key])
        if idx is not None:
            heads = [n for n, ln in enumerate(lines) if re.match(rf"\s*\[\[\s*{re.escape(header)}\s*\]\]", ln)]
            if idx < len(heads):
                pos, prefix = heads[idx], [*prefix, key]
                i += 2
                continue
        found = None
        for n in range(pos, len(lines)):
            ln = lines[n]
            if re.match(rf"\s*\[\s*{re.escape(header)}\s*\]", ln):
                found, prefix = n, [*prefix, key]
                break
            if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", ln):
                found = n
                break
        if found is None:
            break
        pos = found
        i += 2 if idx is not None else 1
    return pos + 1

