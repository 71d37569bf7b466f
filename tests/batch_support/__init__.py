"""Helpers for the batch and sink tests: build input trees from corpus documents.

Good documents are real corpus reports (every format present under corpus/);
copies are made distinct by trailing blank lines (text formats) so that each file
has its own sha256 but the same report. Bad documents are real kinds of damage:
a truncated PDF, random bytes named .pdf/.docx, an empty .txt.
"""
from __future__ import annotations

import io
import os
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SRC = ROOT / "src"
TESTS = ROOT / "tests"


def corpus_documents() -> list:
    """(path, fmt) of every corpus document that has an expected.json beside it."""
    docs = []
    for exp in sorted(CORPUS.glob("*/*.expected.json")):
        stem = exp.name[: -len(".expected.json")]
        for cand in sorted(exp.parent.glob(stem + ".*")):
            if cand != exp and not cand.name.endswith(".json"):
                docs.append((cand, exp.parent.name))
    return docs


def text_documents() -> list:
    return [p for p, fmt in corpus_documents() if fmt in ("txt", "html")]


def variant(data: bytes, i: int, fmt_ext: str) -> bytes:
    """A copy with distinct bytes and the same report (trailing blank lines)."""
    if fmt_ext in ("txt", "html", "htm"):
        return data + b"\n" * (i + 1)
    return data


@dataclass
class BatchTree:
    """What a generated input tree holds, to check a batch against."""

    inputs: list = field(default_factory=list)     # paths to pass to `gaiextract batch`
    good: dict = field(default_factory=dict)        # label -> sha256 of every good document
    bad: dict = field(default_factory=dict)         # label -> expected error code (or None: any)
    data: dict = field(default_factory=dict)        # label -> bytes of every good document

    @property
    def total(self) -> int:
        return len(self.good) + len(self.bad)


def _sha(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def build_tree(root: Path, n_good: int = 18, in_zip: int = 6, seed: int = 7) -> BatchTree:
    """A folder and a zip of corpus documents with about 10 % corrupt files."""
    rng = random.Random(seed)
    folder = root / "reports"
    (folder / "sub").mkdir(parents=True)
    tree = BatchTree(inputs=[str(folder)])
    texts = text_documents()
    assert texts, "no text corpus documents (corpus/txt or corpus/html) to build a batch from"
    # one document of each binary format (legacy .doc needs LibreOffice: too slow here)
    others, seen_ext = [], set()
    for p, fmt in corpus_documents():
        ext = p.suffix.lower()
        if fmt not in ("txt", "html") and ext not in (".doc", ".wps") and ext not in seen_ext:
            seen_ext.add(ext)
            others.append(p)
    zip_members = []
    for i in range(n_good):
        src = texts[i % len(texts)]
        ext = src.suffix.lstrip(".")
        data = variant(src.read_bytes(), i, ext)
        name = f"r{i:03d}.{ext}"
        if i < in_zip:
            zip_members.append((f"zipped/{name}", data))
            continue
        # every third file has no extension: found by content sniffing
        path = folder / ("sub" if i % 2 else "") / (f"r{i:03d}" if i % 3 == 0 else name)
        path.write_bytes(data)
        tree.good[str(path)] = _sha(data)
        tree.data[str(path)] = data
    for src in others:  # one of each binary-format corpus document, unchanged
        path = folder / "sub" / src.name
        path.write_bytes(src.read_bytes())
        tree.good[str(path)] = _sha(src.read_bytes())
        tree.data[str(path)] = src.read_bytes()
    # ~10 % bad ones
    bad = {
        "broken.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 90 >>\nstream\n\x00\x9c\xff", None),
        "noise.pdf": (bytes(rng.randrange(256) for _ in range(4000)), None),
        "empty.txt": (b"", "empty"),
    }
    pdfs = [p for p, fmt in corpus_documents() if fmt == "pdf"]
    if pdfs:
        data = pdfs[0].read_bytes()
        bad["truncated.pdf"] = (data[: len(data) // 3], None)
    for name, (data, code) in bad.items():
        path = folder / name
        path.write_bytes(data)
        tree.bad[str(path)] = code
    # a folder file no reader accepts and without a report extension: skipped
    (folder / "notes.bin").write_bytes(bytes(range(256)) * 8)
    archive = root / "more.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in zip_members:
            zf.writestr(name, data)
            tree.good[f"{archive}!/{name}"] = _sha(data)
            tree.data[f"{archive}!/{name}"] = data
        noise = bytes(rng.randrange(256) for _ in range(3000))
        zf.writestr("zipped/garbage.docx", noise)
        tree.bad[f"{archive}!/zipped/garbage.docx"] = None
    tree.inputs.append(str(archive))
    return tree


def subprocess_env(**extra) -> dict:
    """Environment for running the CLI from this worktree's sources."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(TESTS)] +
                                        ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.update(extra)
    return env


def zip_bytes(members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()
