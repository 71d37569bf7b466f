"""Compare a canonical report with an expected-values file (corpus/*.expected.json).

Same rules as ../shared/tools/compare_expected.py, plus the problems/measures
counts; returns the list of differences so a test can print them all.
"""
from __future__ import annotations

import unicodedata


def norm_heading(s):
    return "".join(unicodedata.normalize("NFKC", s or "").split()).rstrip("。.:：")


def differences(out: dict, exp: dict) -> list:
    diffs = []
    skip = set(exp.get("uncertain", []))
    # cells whose printed digits ran together with more than one valid split: right when
    # the output has the true value, or null with a cell_ambiguous warning naming the key
    ambiguous = set(exp.get("ambiguous_in_text", []))
    flagged = {(w.get("table"), w.get("key")) for w in out.get("warnings") or []
               if isinstance(w, dict) and w.get("code") == "cell_ambiguous"}
    left_open = set()  # (table, key) of ambiguous cells the output left null
    for table, cells in exp.get("tables", {}).items():
        got = ((out.get("tables") or {}).get(table) or {}).get("cells") or {}
        for key, want in cells.items():
            if f"tables.{table}.{key}" in skip:
                continue
            have = got.get(key, "<missing>")
            if f"tables.{table}.{key}" in ambiguous and have is None and (table, key) in flagged:
                left_open.add((table, key))
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
        got_fail = {c.get("id") for c in out.get("checks") or [] if c.get("ok") is False}
        want_fail = set(exp["failing_checks"])
        # a check over a cell left null as ambiguous may differ: that cell is not read
        differ = sorted(c for c in got_fail ^ want_fail if not _touches(c, left_open))
        if differ:
            diffs.append(f"failing checks: want {sorted(want_fail)} got {sorted(got_fail)}")
    problems = next((s for s in out.get("sections") or [] if s.get("id") == "problems"), None)
    for field, key in (("problems_count", "problems"), ("measures_count", "measures")):
        if field in exp and "problems" in want_ids:
            have = len((problems or {}).get(key) or [])
            if have != exp[field]:
                diffs.append(f"{field}: want {exp[field]} got {have}")
    return diffs


def _touches(check_id: str, cells: set) -> bool:
    """Whether a check instance (``requests.balance.total``, ``requests.applicants.new``,
    ``review_litigation.review``) covers one of the (table, key) cells."""
    table = next((t for t, _ in cells if check_id.startswith(t + ".")), None)
    if table is None:
        return False
    instance = check_id.rsplit(".", 1)[-1]
    return any(t == table and instance in k.split(".") for t, k in cells)
