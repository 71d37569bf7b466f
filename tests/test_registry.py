"""Reader choice: content first, the extension only breaks ties."""
import pytest

from gaiextract.errors import ExtractError
from gaiextract.readers import choose_reader, reader_for_format, readers
from gaiextract.source import as_source

from conftest import CORPUS


def _first(fmt, ext):
    return next(p for p in sorted((CORPUS / fmt).glob(f"*.{ext}")))


@pytest.mark.parametrize("fmt,ext", [("pdf", "pdf"), ("docx", "docx"), ("html", "html"), ("txt", "txt")])
def test_content_decides_even_under_a_wrong_name(fmt, ext):
    data = _first(fmt, ext).read_bytes()
    assert choose_reader(as_source(data, name="report.bin")).format == fmt
    wrong = {"pdf": "report.docx", "docx": "report.pdf", "html": "report.txt", "txt": "report.html"}[fmt]
    assert choose_reader(as_source(data, name=wrong)).format == fmt


def test_every_builtin_reader_is_registered_in_priority_order():
    got = [r.format for r in readers()]
    assert set(got) >= {"pdf", "docx", "html", "txt"}
    assert got[-1] == "txt"  # the catch-all is tried last


def test_format_hint_skips_sniffing():
    assert choose_reader(as_source(b"plain words", format="txt")).format == "txt"
    with pytest.raises(ExtractError) as e:
        reader_for_format("xlsx")
    assert e.value.code == "unsupported_format"


def test_unknown_binary_names_the_supported_extensions():
    with pytest.raises(ExtractError) as e:
        choose_reader(as_source(b"\x89PNG\r\n\x1a\n" + bytes(200), name="scan.png"))
    assert e.value.code == "unsupported_format" and "pdf" in e.value.message
