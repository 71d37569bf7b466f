"""The JSON Schema of the canonical report, and a validator for it."""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    return json.loads(resources.files(__name__).joinpath("report.schema.json").read_text(encoding="utf-8"))


def validate(report_dict: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``report_dict`` breaks the contract."""
    import jsonschema

    jsonschema.Draft202012Validator(report_schema()).validate(report_dict)


def errors(report_dict: dict[str, Any]) -> list[str]:
    """All contract violations, as readable strings (empty when valid)."""
    import jsonschema

    v = jsonschema.Draft202012Validator(report_schema())
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in v.iter_errors(report_dict)]
