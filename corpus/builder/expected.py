"""The template's consistency rules (勾稽关系) on expected values, and the expected JSON writer.

The checker follows the Checks section of ../shared/spec/canonical-json.md exactly:
null counts as 0; a check whose cells are all missing (absent keys) is skipped.
It is the corpus's own implementation, independent of gaiextract's.
"""
from __future__ import annotations

import json
from pathlib import Path

from .labels import APPLICANT_COLUMNS, REQUEST_COLUMNS, REVIEW_GROUPS


def _sum(cells: dict, keys: list):
    """(sum with null as 0, whether any key is present)."""
    present = [k for k in keys if k in cells]
    return sum((cells[k] or 0) for k in present), bool(present)


def failing_checks(tables: dict) -> list:
    """Ids of the checks that fail on these {table: {key: value}} values, in spec order."""
    failed = []
    req = tables.get("requests") or {}
    if req:
        rows = []
        for key in req:
            row = key.rsplit(".", 1)[0]
            if row not in rows:
                rows.append(row)
        outcome_rows = [r for r in rows if r.split(".")[0] in
                        ("disclosed", "partial", "withheld", "unavailable", "not_processed", "other_handling")]
        for col in REQUEST_COLUMNS:
            left, a = _sum(req, [f"new.{col}", f"carried_in.{col}"])
            right, b = _sum(req, [f"total.{col}", f"carried_out.{col}"])
            if (a or b) and left != right:
                failed.append(f"requests.balance.{col}")
        for col in REQUEST_COLUMNS:
            total, a = _sum(req, [f"total.{col}"])
            parts, b = _sum(req, [f"{r}.{col}" for r in outcome_rows])
            if (a or b) and total != parts:
                failed.append(f"requests.outcomes.{col}")
        for row in rows:
            total, a = _sum(req, [f"{row}.total"])
            parts, b = _sum(req, [f"{row}.{c}" for c in APPLICANT_COLUMNS])
            if (a or b) and total != parts:
                failed.append(f"requests.applicants.{row}")
    rev = tables.get("review_litigation") or {}
    for group in REVIEW_GROUPS:
        total, a = _sum(rev, [f"{group}.total"])
        parts, b = _sum(rev, [f"{group}.{c}" for c in ("upheld", "corrected", "other", "pending")])
        if (a or b) and total != parts:
            failed.append(f"review_litigation.{group}")
    return failed


def expected_record(spec, doc_name: str, fmt: str, style: str, printed=None) -> dict:
    """The expected JSON for one rendered document of ``spec``.

    ``printed`` is the text transformation the renderer applied to every line (e.g. the
    seed-like scraper's ASCII punctuation); titles and headings are recorded as printed.
    """
    exp = json.loads(json.dumps(spec.expected))  # a deep copy: specs are shared by renderers
    printed = printed or (lambda s: s)
    rec = {"document": doc_name, "format": fmt, "style": style}
    for k in ("report", "section_ids", "section_headings", "subsections", "tables", "fees",
              "problems_count", "measures_count", "failing_checks"):
        rec[k] = exp[k]
    if rec["report"]["title"]:
        rec["report"]["title"] = printed(rec["report"]["title"])
    if rec["report"].get("agency"):
        rec["report"]["agency"] = printed(rec["report"]["agency"])
    rec["section_headings"] = {k: printed(v) for k, v in rec["section_headings"].items()}
    for sub in rec["subsections"]:
        sub["heading"] = printed(sub["heading"])
    if exp.get("uncertain"):
        rec["uncertain"] = exp["uncertain"]
    rec["notes"] = dict(exp.get("notes", {}), content_id=spec.doc_id)
    return rec


def write_expected(spec, doc_path, fmt: str, style: str, printed=None) -> Path:
    """Write doc_path.with_suffix('.expected.json') beside the rendered document."""
    doc_path = Path(doc_path)
    out = doc_path.with_suffix(".expected.json")
    rec = expected_record(spec, doc_path.name, fmt, style, printed)
    out.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out
