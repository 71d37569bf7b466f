"""Regenerate the enums of ``report.schema.json`` from the grammar and the registries.

    python3 -m gaiextract.schema.generate          # rewrite the enums in place
    python3 -m gaiextract.schema.generate --check  # exit 1 if the committed file differs

The section ids, table names and categories come from the grammar, the check ids from
``checks.toml`` (each rule over its dimension; row checks over the table's row keys),
the warning and error codes from :mod:`gaiextract.errors`. Only the ``enum`` lists of
the named ``$defs`` are rewritten, in place, so the rest of the hand-written file (and
its layout) is untouched. tests/test_schema_enums.py fails when they disagree.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ..errors import ERROR_CODES, WARNING_CODES
from ..grammar import load

SCHEMA = Path(__file__).with_name("report.schema.json")
WIDTH = 100


def enums() -> dict[str, list[str]]:
    """$defs name -> the values it must enumerate."""
    g = load(None)
    return {
        "section_id": g.section_ids(),
        "table_name": g.table_names(),
        "category": [c.id for c in g.categories],
        "check_id": g.check_ids(),
        "warning_code": sorted(WARNING_CODES),
        "error_code": sorted(ERROR_CODES),
    }


def _format(values: list[str], indent: int) -> str:
    """A JSON list wrapped at WIDTH, continuation lines aligned after the bracket."""
    lines, cur = [], ""
    for v in values:
        item = json.dumps(v, ensure_ascii=False)
        if cur and indent + len(cur) + len(item) + 2 > WIDTH:
            lines.append(cur + ",")
            cur = item
        else:
            cur = f"{cur}, {item}" if cur else item
    lines.append(cur)
    return "[" + ("\n" + " " * (indent + 1)).join(lines) + "]"


def render(text: str, wanted: dict[str, list[str]]) -> str:
    """``text`` with the enum list of each named $defs entry replaced."""
    for name, values in wanted.items():
        m = re.search(rf'\n( *)"{re.escape(name)}": \{{"enum": \[', text)
        if not m:
            raise SystemExit(f"{SCHEMA.name}: no $defs entry {name!r} with an enum")
        start = m.end() - 1  # the [
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"[": 1, "]": -1}.get(text[end], 0)
            if depth == 0:
                break
        text = text[:start] + _format(values, start - text.rfind("\n", 0, start) - 1) + text[end + 1:]
    json.loads(text)  # still JSON
    return text


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    old = SCHEMA.read_text(encoding="utf-8")
    new = render(old, enums())
    if "--check" in argv:
        if new != old:
            print(f"{SCHEMA}: enums disagree with the grammar/registries; run python3 -m gaiextract.schema.generate")
            return 1
        return 0
    if new != old:
        SCHEMA.write_text(new, encoding="utf-8")
        print(f"{SCHEMA}: enums updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
