"""Compare a canonical report with an expected-values file (corpus/*.expected.json).

Same rules as ../shared/tools/compare_expected.py (``ambiguous_in_text`` included),
plus the problems/measures counts; returns the list of differences so a test can print them all.
"""
from __future__ import annotations

import unicodedata


def norm_heading(s):
    return "".join(unicodedata.normalize("NFKC", s or "").split()).rstrip("。.:：")


def differences(out: dict, exp: dict) -> list:
    diffs = []
    skip = set(exp.get("uncertain", []))
    # cells whose digits ran together with several valid splits: the true value, or null
    # with a cell_ambiguous warning naming the key, is right
    ambiguous = set(exp.get("ambiguous_in_text", []))
    flagged = {(w.get("table"), w.get("key")) for w in out.get("warnings") or []
               if isinstance(w, dict) and w.get("code") == "cell_ambiguous"}
    for table, cells in exp.get("tables", {}).items():
        got = ((out.get("tables") or {}).get(table) or {}).get("cells") or {}
        for key, want in cells.items():
            if f"tables.{table}.{key}" in skip:
                continue
            have = got.get(key, "<missing>")
            if have is None and f"tables.{table}.{key}" in ambiguous and (table, key) in flagged:
                continue
            if have != want or type(have) is bool:
                diffs.append(f"tables.{table}.{key}: want {want!r} got {have!r}")
        extra = set(got) - set(cells)
        if extra:
            diffs.append(f"tables.{table}: unexpected keys {sorted(extra)[:8]}")
    want_ids = exp.get("section_ids", [])
    got_ids = [s.get("id") for s in out.get("sections") or []]
    if got_ids != want_ids:
        diffs.append(f"sections: want {want_ids} got {got_ids}")
    rep = out.get("report") or {}
    for k in ("year", "edition", "agency", "title"):
        if k in exp.get("report", {}) and rep.get(k) != exp["report"][k]:
            if k == "title" and norm_heading(rep.get(k)) == norm_heading(exp["report"][k]):
                continue
            diffs.append(f"report.{k}: want {exp['report'][k]!r} got {rep.get(k)!r}")
    for k, want in (exp.get("fees") or {}).items():
        if f"fees.{k}" in skip:
            continue
        have = (out.get("fees") or {}).get(k, "<missing>")
        if have != want:
            diffs.append(f"fees.{k}: want {want!r} got {have!r}")
    subs = {}
    for s in out.get("sections") or []:
        for sub in s.get("subsections") or []:
            subs[norm_heading(sub.get("heading"))] = sub.get("categories") or []
    for sub in exp.get("subsections", []):
        cats = subs.get(norm_heading(sub["heading"]))
        if cats is None:
            diffs.append(f"subsection not found: {sub['heading']} (have {list(subs)})")
        elif not cats or cats[0] not in sub["categories"]:
            diffs.append(f"subsection {sub['heading']}: want one of {sub['categories']} first, got {cats}")
    if "failing_checks" in exp:
        got_fail = sorted(c.get("id") for c in out.get("checks") or [] if c.get("ok") is False)
        if got_fail != sorted(exp["failing_checks"]):
            diffs.append(f"failing checks: want {sorted(exp['failing_checks'])} got {got_fail}")
    problems = next((s for s in out.get("sections") or [] if s.get("id") == "problems"), None)
    for field, key in (("problems_count", "problems"), ("measures_count", "measures")):
        if field in exp and "problems" in want_ids:
            have = len((problems or {}).get(key) or [])
            if have != exp[field]:
                diffs.append(f"{field}: want {exp[field]} got {have}")
    return diffs
