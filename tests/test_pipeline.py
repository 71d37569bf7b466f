"""The public API: gaiextract.extract() on paths, bytes and file objects."""

import pytest

import gaiextract
from gaiextract import ExtractError
from gaiextract.schema import errors as schema_errors

from conftest import SEED


def test_extract_path_bytes_and_file_object_agree():
    a = gaiextract.extract(SEED).to_dict()
    b = gaiextract.extract(SEED.read_bytes(), format="txt").to_dict()
    with open(SEED, "rb") as fh:
        c = gaiextract.extract(fh).to_dict()
    assert a["tables"] == b["tables"] == c["tables"]
    assert a["source"]["sha256"] == b["source"]["sha256"]
    assert b["source"]["path"] == "<bytes>"
    assert schema_errors(a) == []


def test_report_object():
    r = gaiextract.extract(SEED)
    assert r.tables["requests"].cells["new.total"] == 0
    assert r.tables["proactive"].cells["normative_documents.in_force"] == 16
    assert r.section("problems").problems and len(r.section("problems").measures) == 3
    assert r.failing_checks == []
    assert '"密云区融媒体中心"' in r.to_json()  # UTF-8, not \\u escapes


def test_plain_text_without_tables_yields_sections_and_warnings():
    text = "一、总体情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    d = gaiextract.extract(text.encode("utf-8")).to_dict()
    assert [s["id"] for s in d["sections"]] == ["overview", "proactive", "requests"]
    codes = [(w["code"], w.get("table") or w.get("section")) for w in d["warnings"]]
    assert ("table_not_found", "requests") in codes and ("section_not_found", "other") in codes
    assert ("edition_unknown", None) in codes
    assert d["report"]["edition"] == "unknown"
    assert schema_errors(d) == []


@pytest.mark.parametrize("data,code", [
    (b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01\x02binary\x00" * 50, "unsupported_format"),
])
def test_bad_input_raises_documented_error(data, code):
    with pytest.raises(ExtractError) as e:
        gaiextract.extract(data)
    assert e.value.code == code


def test_missing_file(tmp_path):
    with pytest.raises(ExtractError) as e:
        gaiextract.extract(tmp_path / "nope.pdf")
    assert e.value.code == "not_found"


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 2000)
    with pytest.raises(ExtractError) as e:
        gaiextract.extract(p, max_bytes=1000)
    assert e.value.code == "too_large"
