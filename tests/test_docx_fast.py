"""The DOCX reader's fast walk compares tags with the transitional namespace: an
ISO-strict package (or one mixing both namespaces) must read exactly as the same
package written in the transitional namespace."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from gaiextract.document import Paragraph
from gaiextract.readers.docx import read_docx_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
sys.path.insert(0, str(FIXTURES.parent))
import make_docx_fixtures as fx  # noqa: E402

TRANSITIONAL = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


def _package(tmp_path: Path) -> bytes:
    path = tmp_path / "features.docx"
    fx.write_package(path, fx.features_document_xml())
    return path.read_bytes()


def _rewritten(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            part = src.read(name)
            out.writestr(name, change(name, part) if name.startswith("word/") else part)
    return buf.getvalue()


def _dump(data: bytes) -> list:
    doc = read_docx_bytes(data, "x.docx")
    out = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append(("p", b.text, sorted(b.hints.items())))
        else:
            out.append(("t", [[(c.text, c.row, c.col, c.rowspan, c.colspan) for c in row] for row in b.grid]))
    return out


def test_strict_namespace_reads_like_transitional(tmp_path):
    data = _package(tmp_path)
    plain = _dump(data)
    assert any(kind == "t" for kind, *_ in plain) and len(plain) > 5
    strict = _dump(_rewritten(data, lambda name, part: part.replace(TRANSITIONAL, STRICT)))
    assert strict == plain


def test_mixed_namespaces_read_like_transitional(tmp_path):
    """Only the body in the strict namespace; styles and numbering stay transitional,
    and a strict prefix declared next to the transitional one on the root."""
    data = _package(tmp_path)
    plain = _dump(data)

    def body_strict(name: str, part: bytes) -> bytes:
        if name != "word/document.xml":
            return part
        return part.replace(b'xmlns:w="' + TRANSITIONAL + b'"', b'xmlns:w="' + STRICT + b'"', 1)

    assert _dump(_rewritten(data, body_strict)) == plain


def test_style_cache_gives_the_same_document_as_a_fresh_parse(tmp_path, monkeypatch):
    from gaiextract.readers import docx as docx_reader

    data = _package(tmp_path)
    docx_reader._STYLE_CACHE.clear()
    monkeypatch.setattr(docx_reader, "SETTINGS", docx_reader.DocxSettings(style_cache_entries=0))
    fresh = _dump(data)
    assert len(docx_reader._STYLE_CACHE._items) == 0
    assert any(item[2] for item in fresh if item[0] == "p")  # hints read from the styles
    monkeypatch.setattr(docx_reader, "SETTINGS", docx_reader.DocxSettings(style_cache_entries=2))
    assert _dump(data) == fresh  # parsed, then kept
    assert len(docx_reader._STYLE_CACHE._items) == 1
    assert _dump(data) == fresh  # from the cache
    # another document's styles (changed bytes) do not come from the cache ...
    other = _rewritten(data, lambda name, part: part.replace(b'w:styleId="Heading1"', b'w:styleId="HeadingX"')
                       if name == "word/styles.xml" else part)
    assert _dump(other) != fresh
    assert len(docx_reader._STYLE_CACHE._items) == 2
    # ... and the cache keeps at most style_cache_entries trees
    third = _rewritten(data, lambda name, part: part + b" " if name == "word/styles.xml" else part)
    _dump(third)
    assert len(docx_reader._STYLE_CACHE._items) == 2


def test_docx_settings_are_validated():
    import pytest

    from gaiextract.readers.docx import DocxSettings

    for bad in ({"style_cache_entries": -1}, {"style_cache_entries": 1.5}, {"style_cache_max_bytes": 0}):
        with pytest.raises(ValueError):
            DocxSettings(**bad)


def _with_bad_crc(data: bytes, member: bytes) -> bytes:
    """The package with ``member``'s CRC-32 in the central directory changed (its stored
    bytes untouched)."""
    b = bytearray(data)
    at = b.find(b"PK\x01\x02")
    while at >= 0:
        name_len = int.from_bytes(b[at + 28:at + 30], "little")
        if bytes(b[at + 46:at + 46 + name_len]) == member:
            b[at + 16] ^= 0xFF
            return bytes(b)
        at = b.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{member!r} not in the central directory")


def test_style_cache_does_not_hide_a_damaged_member(tmp_path):
    """The same stored styles bytes under a wrong CRC are still a damaged part (warned, read
    without styles), though a tree parsed from those bytes is in the cache."""
    from gaiextract.readers import docx as docx_reader

    data = _package(tmp_path)
    docx_reader._STYLE_CACHE.clear()
    good = read_docx_bytes(data, "x.docx")
    assert len(docx_reader._STYLE_CACHE._items) == 1
    assert not [w for w in good.warnings if w["code"] == "part_unreadable"]
    bad = read_docx_bytes(_with_bad_crc(data, b"word/styles.xml"), "x.docx")
    assert [w for w in bad.warnings if w["code"] == "part_unreadable" and "styles.xml" in w["detail"]]
    assert _dump(_with_bad_crc(data, b"word/styles.xml")) != _dump(data)  # no style hints


def _dump_all(data: bytes, name: str) -> list:
    doc = read_docx_bytes(data, name)
    return [_dump(data), doc.warnings, doc.meta]


def test_fast_paths_read_what_the_full_walk_reads(monkeypatch):
    """The walk's shortcuts (plain cell paragraphs, rows/cells/runs without the properties
    it reads, found by _Index) give the same document as visiting every element."""
    from gaiextract.readers import docx as docx_reader
    from gaiextract.readers.docx_body import BodyWalker

    root = Path(__file__).resolve().parents[1]
    main = sorted(root.glob("corpus/docx/*.docx"))
    files = main[::4] + sorted(p for p in root.glob("corpus/*/*.docx") if p.parent.name != "docx")
    files += sorted(FIXTURES.glob("*.docx"))
    assert len(files) > 15
    docx_reader._STYLE_CACHE.clear()
    fast = {}
    for f in files:
        try:
            fast[f] = _dump_all(f.read_bytes(), f.name)
        except Exception as exc:  # a damaged fixture: the same error both ways
            fast[f] = repr(exc)
    monkeypatch.setattr(BodyWalker, "blocks", BodyWalker._blocks)  # no _Index: every element visited
    docx_reader._STYLE_CACHE.clear()
    for f in files:
        try:
            full = _dump_all(f.read_bytes(), f.name)
        except Exception as exc:
            full = repr(exc)
        assert full == fast[f], f.name
