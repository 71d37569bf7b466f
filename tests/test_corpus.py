"""Every corpus document through extract(), compared cell by cell with its expected JSON.

The expected JSON was written by the corpus builder from the content it rendered
(corpus/build.py), never from gaiextract's output. The shared sample documents
(../shared/corpus-sample) are checked the same way when present.
"""
import importlib
from pathlib import Path

import pytest

import gaiextract
from gaiextract.schema import errors as schema_errors

from conftest import CORPUS, SHARED, has_soffice, load_json, require, shared
from expected import differences

EXTS = {"txt": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf"}


def _corpus_docs():
    docs = []
    for exp in sorted(CORPUS.glob("*/*.expected.json")):
        if exp.parent.name == "scan":
            continue  # image-only PDFs: read by OCR in tests/test_ocr.py
        stem = exp.name[: -len(".expected.json")]
        matches = [p for p in exp.parent.glob(stem + ".*") if not p.name.endswith(".expected.json")]
        for doc in matches:
            docs.append(pytest.param(doc, exp, id=f"{exp.parent.name}/{doc.name}"))
    return docs


def _shared_docs():
    base = SHARED / "corpus-sample"
    if not base.is_dir():
        return [pytest.param(None, None, id="shared-missing")]
    return [pytest.param(next(p for p in d.iterdir() if p.name.startswith("report.")), d / "expected.json",
                         id=f"shared/{d.name}") for d in sorted(base.iterdir()) if (d / "expected.json").exists()]


def _reader_available(path: Path) -> bool:
    fmt = {".htm": "html", ".html": "html", ".shtml": "html", ".docx": "docx", ".doc": "docx",
           ".pdf": "pdf", ".txt": "txt", ".md": "md"}.get(path.suffix.lower())
    try:
        importlib.import_module(f"gaiextract.readers.{ {'txt': 'text', 'md': 'markdown'}.get(fmt, fmt) }")
        return True
    except ModuleNotFoundError:
        return False


#: each document's output, kept for the wrong-number count over the whole corpus
_OUTPUTS: dict[Path, dict] = {}


def _extract(doc: Path) -> dict:
    if doc not in _OUTPUTS:
        _OUTPUTS[doc] = gaiextract.extract(doc).to_dict()
    return _OUTPUTS[doc]


def _run(doc, exp):
    if not _reader_available(doc):
        pytest.skip(f"no reader for {doc.suffix} in this version")
    if doc.suffix.lower() in (".doc", ".wps"):
        require(has_soffice(), f"LibreOffice (soffice) not installed: {doc.name} is a legacy Word file")
    out = _extract(doc)
    assert schema_errors(out) == []
    diffs = differences(out, load_json(exp))
    assert not diffs, "\n".join(diffs[:40])
    return out


@pytest.mark.parametrize("doc,exp", _corpus_docs())
def test_corpus_document(doc, exp):
    _run(doc, exp)


@pytest.mark.parametrize("doc,exp", _shared_docs())
def test_shared_sample(doc, exp):
    if doc is None:
        shared("corpus-sample")  # skips (fails under CI=true): ../shared is not beside this clone
    _run(doc, exp)


def test_corpus_is_not_empty():
    formats = {p.parent.name for p in CORPUS.glob("*/*.expected.json")}
    assert "txt" in formats
    assert len(list(CORPUS.glob("txt/*.expected.json"))) >= 20


def wrong_numbers(out: dict, exp: dict) -> list[str]:
    """Numbers emitted for a key that are not the value printed there: a null is never
    wrong (it is a gap, said by a warning); a number where the expected value is null or
    under a key the table does not have is wrong. Keys the builder marks uncertain are
    not judged."""
    skip = set(exp.get("uncertain", []))
    wrong = []
    for table, t in (out.get("tables") or {}).items():
        want_cells = (exp.get("tables") or {}).get(table)
        if want_cells is None:
            continue  # a table the expected file does not describe
        for key, have in (t.get("cells") or {}).items():
            if have is None or f"tables.{table}.{key}" in skip:
                continue
            want = want_cells.get(key, "<no such key>")
            if have != want or type(have) is bool:
                wrong.append(f"tables.{table}.{key}: emitted {have!r}, printed {want!r}")
    return wrong


def test_wrong_numbers_over_the_corpus():
    """Every number the corpus output holds is the number printed in that cell: 0 wrong.
    Reuses the extractions of the tests above (run alone, it extracts what it needs)."""
    wrong: list[str] = []
    judged = 0
    for param in _corpus_docs() + _shared_docs():
        doc, exp = param.values
        if doc is None or not _reader_available(doc) or doc.suffix.lower() in (".doc", ".wps"):
            continue  # ../shared missing (its own tests say so), or a legacy file for LibreOffice
        out = _extract(doc)
        judged += 1
        wrong += [f"{param.id}: {w}" for w in wrong_numbers(out, load_json(exp))]
    assert judged > 0
    assert wrong == [], f"{len(wrong)} wrong numbers:\n" + "\n".join(wrong[:60])


def test_wrong_number_count_can_fail():
    exp = {"tables": {"t": {"a": 1, "b": None, "c": 3}}, "uncertain": ["tables.t.c"]}
    out = {"tables": {"t": {"cells": {"a": 2, "b": 5, "c": 9, "d": 1}}, "u": {"cells": {"x": 1}}}}
    assert len(wrong_numbers(out, exp)) == 3
    assert wrong_numbers({"tables": {"t": {"cells": {"a": 1, "b": None}}}}, exp) == []
