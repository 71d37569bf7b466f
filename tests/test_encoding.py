import codecs

import pytest

from gaiextract.encoding import canonical_encoding, decode, looks_binary
from gaiextract.errors import ExtractError

TEXT = "政府信息公开工作年度报告，鄠邑区，镕基。" * 20


@pytest.mark.parametrize("label,want", [("gb2312", "gb18030"), ("GBK", "gb18030"), ("utf8", "utf-8"),
                                        ("UTF-8", "utf-8"), ("x-unknown", None)])
def test_labels(label, want):
    assert canonical_encoding(label) == want


def test_declared_gb2312_with_gbk_only_characters():
    data = TEXT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    assert decode(data, declared="gb2312") == (TEXT, "gb18030")


def test_undeclared_gbk_is_detected():
    assert decode(TEXT.encode("gbk"))[0] == TEXT


def test_bom_wins():
    assert decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), declared="gbk") == (TEXT, "utf-8")


def test_lying_declaration_falls_back():
    assert decode(TEXT.encode("utf-8"), declared="gb2312")[0] == TEXT


def test_undecodable_raises_documented_error():
    with pytest.raises(ExtractError) as e:
        decode(bytes(range(0x80, 0x100)) * 4 + b"\xff\xff\xff")
    assert e.value.code == "decode_failed"


def test_binary_sniff():
    assert looks_binary(b"PK\x03\x04\x00\x00")
    assert not looks_binary("一、总体情况\n".encode("utf-8"))


def test_utf16_with_bom_is_text():
    data = codecs.BOM_UTF16_LE + "一、总体情况\n".encode("utf-16-le")
    assert not looks_binary(data)
    assert decode(data)[0] == "一、总体情况\n"


def test_hz_is_not_widened_to_gb18030():
    assert canonical_encoding("hz-gb-2312") == "hz"
