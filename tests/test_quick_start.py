"""A quick start (issue 22): ``--help``, ``--version`` and extracting a text file
import nothing heavy — no PDF library, no pandas, no SQLAlchemy, no OCR runtime."""
import json
import subprocess
import sys

from batch_support import subprocess_env
from conftest import CORPUS

HEAVY = ("pdfplumber", "pdfminer", "pypdfium2", "pandas", "sqlalchemy", "onnxruntime", "rapidocr_onnxruntime",
         "rapidocr", "cv2", "PIL", "numpy", "docx", "dask")


def imported(args: list[str]) -> set[str]:
    """Top-level modules ``python -X importtime ARGS`` imported."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True,
                          env=subprocess_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "gaiextract" in names
    return names


def test_help_and_version_import_nothing_heavy():
    for args in (["-m", "gaiextract", "--help"], ["-m", "gaiextract", "--version"],
                 ["-m", "gaiextract", "extract", "--help"]):
        heavy = imported(args) & set(HEAVY)
        assert not heavy, (args, heavy)


def test_extracting_a_text_file_imports_nothing_heavy():
    path = sorted(CORPUS.glob("txt/*.txt"))[0]
    code = ("import json, sys, gaiextract\n"
            f"gaiextract.extract({str(path)!r})\n"
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(),
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == []


def test_extracting_a_pdf_does_load_the_pdf_engine():
    """The check above can fail: a PDF does bring its engine in."""
    path = sorted(CORPUS.glob("pdf/*.pdf"))[0]
    code = ("import sys, gaiextract\n"
            f"gaiextract.extract({str(path)!r}, ocr='never')\n"
            "print('pypdfium2' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(),
                          timeout=120)
    assert proc.stdout.strip() == "True", proc.stderr[-2000:]


def test_jieba_dictionary_is_built_once_per_process_and_cached_on_disk():
    """One tokenizer per process; jieba keeps the parsed dictionary in its cache file
    (named after the dictionary's path), so the next process loads it, not rebuilds it."""
    import hashlib
    import os
    import tempfile

    from gaiextract.layout import tokens
    first = tokens.tokenizer()
    assert tokens.tokenizer() is first
    path = os.path.abspath(first.dictionary)
    name = first.cache_file or "jieba.u%s.cache" % hashlib.md5(path.encode("utf-8", "replace")).hexdigest()
    assert os.path.exists(os.path.join(first.tmp_dir or tempfile.gettempdir(), name))
