"""The split search: runs of digits divided among cells by the template's arithmetic.

Expected splits are worked out by hand from the rules (row total = sum of the six
applicant columns; review/suit total = sum of the four outcomes), never from the
search's own output.
"""
import time

import pytest

from gaiextract import grammar
from gaiextract.layout import splits
from gaiextract.layout.splits import Equation, SplitSettings, choose_jointly, split_run

G = grammar.load()
REQ = G.tables["requests"]
COLS = ["natural_person", "enterprise", "research", "nonprofit", "legal_service", "other_org", "total"]


def row(name):
    keys = [f"{name}.{c}" for c in COLS]
    return keys, splits.row_equations(REQ, keys)


def test_row_equations_come_from_the_checks():
    keys, eqs = row("new")
    assert eqs == [Equation(("new.total",), tuple(keys[:6]), "requests.applicants.new")]


def test_a_run_with_one_split():
    keys, eqs = row("new")
    res = split_run(["801000081"], keys, eqs)
    assert res.found == 1 and res.unique == (80, 1, 0, 0, 0, 0, 81)


def test_a_run_with_two_splits():
    # 2+20 = 22 and 22+0 = 22: both fit the row's own rule
    keys, eqs = row("disclosed")
    res = split_run(["220000022"], keys, eqs)
    assert res.found == 2 and res.unique is None
    assert sorted(res.candidates) == [(2, 20, 0, 0, 0, 0, 22), (22, 0, 0, 0, 0, 0, 22)]


def test_a_printed_space_is_a_boundary_and_no_number_has_a_leading_zero():
    keys, eqs = row("total")
    # "00" can only be two zeros; "121" must give 1 and 21 for 20+1 = 21
    assert split_run(["20", "0", "00", "0", "121"], keys, eqs).unique == (20, 0, 0, 0, 0, 1, 21)
    assert split_run(["200", "000121"], keys, eqs).unique == (20, 0, 0, 0, 0, 1, 21)
    # a token gives at least one cell: seven tokens for six cells fit nothing
    assert split_run(["1"] * 7, keys[:6], []).found == 0


def test_no_split_without_a_rule_is_unique_when_several_fit():
    res = split_run(["7777166"], ["a", "b", "c"], [])
    assert res.found > 1 and res.unique is None
    assert (77, 77, 166) in res.candidates


def test_negative_and_decimal_values():
    res = split_run(["35-15"], ["last_year", "change"], [], signed=frozenset({"change"}))
    assert res.unique == (35, -15)
    res = split_run(["2648-18538"], ["a", "b", "c"], [], signed=frozenset({"b", "c"}))
    assert (2648, -18, 538) in res.candidates and (2648, -185, 38) in res.candidates
    # a sign only where the template allows one: no negative candidate elsewhere
    assert split_run(["35-15"], ["last_year", "change"], []).found == 0
    assert all(v is None or v >= 0 for c in split_run(["2648-18538"], ["a", "b", "c"], [], signed=frozenset({"c"})).candidates
               for v in c[:2])
    res = split_run(["5949.088667"], ["amount"], [])
    assert res.unique == (5949.088667,)
    res = split_run(["39573802895.90"], ["items", "amount"], [])
    assert (395, 73802895.9) in res.candidates and res.found > 1


def test_placeholders_are_one_null_cell():
    keys, eqs = row("new")
    assert split_run([None, "3", None, None, None, None, "3"], keys, eqs).unique == (None, 3, None, None,
                                                                                     None, None, 3)


def test_review_row_of_fifteen():
    rev = G.tables["review_litigation"]
    keys = rev.layout().leaf_keys()
    eqs = splits.row_equations(rev, keys)
    assert len(eqs) == 3
    res = split_run(["110024001510102"], keys, eqs)
    assert res.unique == (1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2)


@pytest.mark.parametrize("run", ["123456789012345678901234567890", "111111111111111111111111111111",
                                 "999999999999999999999999999999"])
def test_thirty_digits_stay_bounded(run):
    keys, eqs = row("new")
    t = time.perf_counter()
    res = split_run([run], keys, eqs)
    assert time.perf_counter() - t < 2.0
    assert res.nodes <= splits.SETTINGS.max_nodes + 1
    rev = G.tables["review_litigation"]
    k15 = rev.layout().leaf_keys()
    t = time.perf_counter()
    res = split_run([run], k15, splits.row_equations(rev, k15))
    assert time.perf_counter() - t < 2.0


def test_the_bound_is_reported_not_guessed():
    res = split_run(["123456789012345678901234567890"], [f"k{i}" for i in range(15)], [],
                    SplitSettings(max_nodes=500))
    assert res.exhausted and res.unique is None


def test_cross_row_rules_choose_among_row_valid_splits():
    # disclosed 220000022 has two row-valid splits; the column sums (total = disclosed)
    # pick (22, 0, …) because total is 22 / 0 / … per column
    d_keys, d_eqs = row("disclosed")
    runs = [split_run(["220000022"], d_keys, d_eqs)]
    fixed = {f"total.{c}": v for c, v in zip(COLS, (22, 0, 0, 0, 0, 0, 22))}
    eqs = [Equation((f"total.{c}",), (f"disclosed.{c}",), f"outcomes.{c}") for c in COLS]
    choice = choose_jointly(runs, fixed, eqs)
    assert [choice.values[k] for k in d_keys] == [22, 0, 0, 0, 0, 0, 22]
    assert not choice.ambiguous


def test_a_cross_row_rule_nobody_satisfies_is_dropped_not_the_table():
    d_keys, d_eqs = row("disclosed")
    runs = [split_run(["220000022"], d_keys, d_eqs)]
    fixed = {f"total.{c}": 99 for c in COLS}  # the report's own sums are wrong
    eqs = [Equation((f"total.{c}",), (f"disclosed.{c}",), f"outcomes.{c}") for c in COLS]
    choice = choose_jointly(runs, fixed, eqs)
    assert set(choice.ambiguous) == {"disclosed.natural_person", "disclosed.enterprise"}
    assert choice.ambiguous["disclosed.natural_person"] == [2, 22]
    assert choice.values["disclosed.total"] == 22
    assert "outcomes.natural_person" in choice.unsatisfied
