"""The template's own Chinese row and column labels for every cell key.

Why: a long-form export is read by people who know the printed form (上年结转政府信息
公开申请数量 × 自然人), not our English keys. The labels are the first (official)
wording of each row and column in the grammar (``TableGrammar.key_labels``), so a new
table or template is a grammar edit here too.
"""
from __future__ import annotations

import functools

from ..grammar import load


@functools.lru_cache(maxsize=1)
def template_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """``(table, key) -> (row label, column label)`` for every key of every edition."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for name, spec in load().tables.items():
        for layout in spec.layouts:
            for key, labels in layout.key_labels().items():
                out.setdefault((name, key), labels)
    return out


def labels_for(table: str, key: str) -> tuple[str | None, str | None]:
    return template_labels().get((table, key), (None, None))
