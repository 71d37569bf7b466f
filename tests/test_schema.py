import copy

from gaiextract import extract
from gaiextract.schema import errors

from conftest import SEED


def test_schema_accepts_output_and_rejects_contract_breaks():
    d = extract(SEED).to_dict()
    assert errors(d) == []
    bad = copy.deepcopy(d)
    bad["tables"]["requests"]["cells"]["new.total"] = "0"     # a string, not a number
    assert errors(bad)
    bad = copy.deepcopy(d)
    bad["report"]["edition"] = "2020"
    assert errors(bad)
    bad = copy.deepcopy(d)
    del bad["fees"]
    assert errors(bad)
