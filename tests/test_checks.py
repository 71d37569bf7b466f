from gaiextract import grammar
from gaiextract.layout.checks import run_checks

from templates import COLS

G = grammar.load()


def _requests(values):
    cells = {}
    for row, v in values.items():
        for c in COLS[:-1]:
            cells[f"{row}.{c}"] = v
        cells[f"{row}.total"] = v * 6
    return cells


def test_balanced_requests_pass():
    cells = _requests({"new": 3, "carried_in": 1, "disclosed": 2, "withheld.state_secret": 1,
                       "other_handling": 0, "total": 3, "carried_out": 1})
    res = run_checks({"requests": cells}, G)
    assert res and all(c["ok"] for c in res)
    ids = {c["id"] for c in res}
    assert "requests.balance.natural_person" in ids and "requests.applicants.withheld.state_secret" in ids


def test_broken_outcome_is_reported_with_both_sides():
    cells = _requests({"new": 3, "carried_in": 0, "disclosed": 2, "partial": 1, "total": 3, "carried_out": 0})
    cells["partial.natural_person"] = 4           # bumped without updating 总计
    cells["partial.total"] = 4 + 5
    res = {c["id"]: c for c in run_checks({"requests": cells}, G)}
    bad = sorted(i for i, c in res.items() if not c["ok"])
    assert bad == ["requests.outcomes.natural_person", "requests.outcomes.total"]
    assert res["requests.outcomes.natural_person"]["expected"] == 3
    assert res["requests.outcomes.natural_person"]["actual"] == 6


def test_null_counts_as_zero_and_missing_is_skipped():
    cells = {"upheld": 1, "corrected": None, "other": 0, "pending": 0, "total": 1}
    review = {f"review.{k}": v for k, v in cells.items()}
    res = run_checks({"review_litigation": review}, G)
    assert [(c["id"], c["ok"]) for c in res] == [("review_litigation.review", True)]


def test_a_check_states_its_rule_the_same_whether_it_holds_or_fails():
    good = _requests({"new": 3, "carried_in": 1, "disclosed": 2, "withheld.state_secret": 1,
                      "other_handling": 0, "total": 3, "carried_out": 1})
    bad = dict(good, **{"new.natural_person": 9})
    rules = {}
    for cells in (good, bad):
        for c in run_checks({"requests": cells}, G):
            assert "detail" not in c and "=" in c["rule"] and "≠" not in c["rule"]
            rules.setdefault(c["id"], set()).add((c["ok"], c["rule"]))
    flipped = rules["requests.balance.natural_person"]
    assert {ok for ok, _ in flipped} == {True, False}
    assert len({rule for _, rule in flipped}) == 1
    assert next(iter(flipped))[1] == "新收+上年结转 = 办理结果总计+结转下年度"  # checks.toml


def test_key_index_selects_what_the_scan_selects():
    """match_keys with a KeyIndex gives the keys (and order) of the plain scan, edge cases
    included: a middle wildcard matching nothing between, dotted prefixes and suffixes."""
    from gaiextract.layout.checks import KeyIndex, match_keys

    cells = dict.fromkeys(["a.b", "a.x.b", "a.x.y.b", "a.b.c", "b.c", "a", "ab.c", "a.c.b.c", "x.a.b"], 1)
    patterns = ["a.*.b", "a.*.c", "a.*.b.c", "a.b.*.c", "a.*", "a.b.*", "x.*", "*.b", "a.b", "zz", "a.*.zz",
                "ab.*", ".*.b", "a.x.*.b"]
    index = KeyIndex(cells)
    for p in patterns:
        assert match_keys([p], cells, index) == match_keys([p], cells), p
    assert match_keys(["a.*.b"], cells, index) == ["a.b", "a.x.b", "a.x.y.b"]
