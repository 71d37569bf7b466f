import io

import pytest

from gaiextract.errors import ERROR_CODES, ExtractError
from gaiextract.source import as_source


def test_sources_from_path_bytes_and_file(tmp_path):
    p = tmp_path / "r.TXT"
    p.write_bytes("一、总体情况".encode())
    a, b, c = as_source(p), as_source(p.read_bytes()), as_source(io.BytesIO(p.read_bytes()))
    assert a.sha256 == b.sha256 == c.sha256
    assert a.extension == "txt" and b.name == "<bytes>"


def test_directory_and_missing_path(tmp_path):
    for path in (tmp_path, tmp_path / "missing.pdf"):
        with pytest.raises(ExtractError) as e:
            as_source(path)
        assert e.value.code == "not_found" and e.value.path == str(path)


def test_file_object_over_the_limit_is_refused():
    with pytest.raises(ExtractError) as e:
        as_source(io.BytesIO(b"x" * 101), max_bytes=100)
    assert e.value.code == "too_large"


def test_error_codes_are_closed():
    with pytest.raises(ValueError):
        ExtractError("oops", "not a documented code")
    assert ExtractError("empty", "m", "p").to_dict() == {"code": "empty", "message": "m", "path": "p"}
    assert "empty" in ERROR_CODES
