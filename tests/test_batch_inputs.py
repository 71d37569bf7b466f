"""Input enumeration: folders, sniffing, zip/tar members, hostile archives."""
import hashlib
import io
import os
import tarfile

import pytest

from gaiextract.batch.inputs import ArchiveLimits, InputWalker, Item, Problem, Skip, safe_member_label
from batch_support import CORPUS, zip_bytes

SEED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt"


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


def walk(inputs, limits=ArchiveLimits()):
    items, problems, skips = [], [], []
    for got in InputWalker(inputs, limits):
        {Item: items, Problem: problems, Skip: skips}[type(got)].append(got)
    return items, problems, skips


def test_folder_is_walked_recursively_and_sniffed_by_content(tmp_path, seed_bytes):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "report.txt").write_bytes(seed_bytes)
    (tmp_path / "a" / "b" / "no_extension").write_bytes(seed_bytes + b"\n")
    gb = seed_bytes.decode("utf-8").encode("gb18030")
    (tmp_path / "a" / "b" / "legacy.dat").write_bytes(gb)          # GB18030, odd extension
    (tmp_path / "a" / "README").write_text("just some notes\n")       # text, but not a report
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    items, problems, skips = walk([tmp_path])
    labels = sorted(os.path.relpath(i.label, tmp_path) for i in items)
    assert labels == ["a/b/legacy.dat", "a/b/no_extension", "a/report.txt"]
    assert sorted(os.path.basename(s.label) for s in skips) == ["README", "image.png"]
    assert not problems
    item = next(i for i in items if i.label.endswith("report.txt"))
    assert item.sha256 == hashlib.sha256(seed_bytes).hexdigest()


def test_report_extension_is_always_attempted(tmp_path):
    (tmp_path / "damaged.pdf").write_bytes(b"\x00\x01garbage")
    (tmp_path / "empty.txt").write_bytes(b"")
    items, _, skips = walk([tmp_path])
    assert sorted(os.path.basename(i.label) for i in items) == ["damaged.pdf", "empty.txt"]
    assert not skips


def test_explicit_file_is_attempted_even_if_unrecognised(tmp_path):
    path = tmp_path / "blob"
    path.write_bytes(b"\x00\x01\x02")
    items, _, _ = walk([path])
    assert [i.label for i in items] == [str(path)]


def test_missing_and_oversized_files_are_problems(tmp_path, seed_bytes):
    big = tmp_path / "big.txt"
    big.write_bytes(seed_bytes)
    _, problems, _ = walk([tmp_path / "gone.pdf", big], ArchiveLimits(max_member_bytes=1000))
    assert [(os.path.basename(p.label), p.code) for p in problems] == [("gone.pdf", "not_found"),
                                                                      ("big.txt", "too_large")]


def test_zip_members_are_read_in_memory_with_archive_labels(tmp_path, seed_bytes):
    archive = tmp_path / "reports.zip"
    archive.write_bytes(zip_bytes([("2024/a.txt", seed_bytes), ("2024/", b""), ("b.bin", b"\x00" * 10)]))
    items, problems, skips = walk([tmp_path])
    assert [i.label for i in items] == [f"{archive}!/2024/a.txt"]
    assert items[0].data == seed_bytes
    assert [s.label for s in skips] == [f"{archive}!/b.bin"]
    assert not problems


def test_docx_is_a_document_not_an_archive(tmp_path):
    docx = tmp_path / "r.docx"
    docx.write_bytes(zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]))
    items, _, _ = walk([tmp_path])
    assert [i.label for i in items] == [str(docx)]


def test_real_docx_without_extension_is_found_by_content(tmp_path):
    docx = sorted(CORPUS.glob("docx/*.docx"))
    if not docx:
        pytest.skip("no DOCX in the corpus")
    (tmp_path / "report_without_extension").write_bytes(docx[0].read_bytes())
    archive = tmp_path / "in.zip"
    archive.write_bytes(zip_bytes([("member_without_extension", docx[0].read_bytes())]))
    items, problems, skips = walk([tmp_path])
    assert sorted(i.label for i in items) == [f"{archive}!/member_without_extension",
                                              str(tmp_path / "report_without_extension")]
    assert not problems and not skips


def test_path_traversal_member_names_are_only_labels(tmp_path, seed_bytes):
    before = set(os.listdir(tmp_path.parent))
    archive = tmp_path / "evil.zip"
    names = ["../../escape.txt", "/etc/passwd.txt", "..\\..\\win.txt", "ok/../../up.txt"]
    archive.write_bytes(zip_bytes([(n, seed_bytes + b"\n" * i) for i, n in enumerate(names)]))
    items, problems, _ = walk([archive])
    assert not problems
    assert [i.label for i in items] == [f"{archive}!/{safe_member_label(n)}" for n in names]
    assert all(i.label.startswith(f"{archive}!/") for i in items)
    assert set(os.listdir(tmp_path.parent)) == before        # nothing written anywhere
    assert sorted(os.listdir(tmp_path)) == ["evil.zip"]


def test_zip_bomb_member_is_refused(tmp_path, seed_bytes):
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zip_bytes([("bomb.txt", b"0" * (40 * 1024 * 1024)), ("fine.txt", seed_bytes)]))
    items, problems, _ = walk([archive])
    assert [(p.label, p.code) for p in problems] == [(f"{archive}!/bomb.txt", "too_large")]
    assert "zip bomb" in problems[0].message
    assert [i.label for i in items] == [f"{archive}!/fine.txt"]   # the rest is still read


def test_member_size_limit_even_when_the_header_lies(tmp_path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(zip_bytes([("big.txt", os.urandom(300_000))]))
    _, problems, _ = walk([archive], ArchiveLimits(max_member_bytes=100_000))
    assert [p.code for p in problems] == ["too_large"]


def test_member_count_limit(tmp_path):
    archive = tmp_path / "many.zip"
    archive.write_bytes(zip_bytes([(f"{i}.txt", b"x") for i in range(30)]))
    items, problems, _ = walk([archive], ArchiveLimits(max_members=10))
    assert not items and [p.code for p in problems] == ["too_large"]


def test_corrupt_zip_is_a_problem_not_a_crash(tmp_path, seed_bytes):
    archive = tmp_path / "cut.zip"
    archive.write_bytes(zip_bytes([("a.txt", seed_bytes)])[:200])
    _, problems, _ = walk([archive])
    assert [p.code for p in problems] == ["corrupt"]


@pytest.mark.parametrize("mode,ext", [("w:gz", "tar.gz"), ("w:bz2", "tar.bz2"), ("w:xz", "tar.xz"), ("w", "tar")])
def test_tar_members_streamed_links_never_followed(tmp_path, seed_bytes, mode, ext):
    archive = tmp_path / f"reports.{ext}"
    with tarfile.open(archive, mode) as tf:
        for name, data in [("x/a.txt", seed_bytes), ("../up.txt", seed_bytes + b"\n")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("x/link.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    items, problems, _ = walk([tmp_path])
    assert not problems
    assert [i.label for i in items] == [f"{archive}!/x/a.txt", f"{archive}!/../up.txt"]
    assert items[0].data == seed_bytes


def test_tar_bomb_is_refused(tmp_path):
    archive = tmp_path / "bomb.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        data = b"\x00" * (30 * 1024 * 1024)
        info = tarfile.TarInfo("zeros.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    _, problems, _ = walk([archive])
    assert [p.code for p in problems] == ["too_large"]


def test_truncated_tar_gz_is_a_problem(tmp_path, seed_bytes):
    archive = tmp_path / "cut.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        info = tarfile.TarInfo("a.txt")
        info.size = len(seed_bytes)
        tf.addfile(info, io.BytesIO(seed_bytes))
    archive.write_bytes(archive.read_bytes()[:300])
    items, problems, _ = walk([archive])
    assert not items and problems and problems[0].code in ("truncated", "corrupt")


@pytest.mark.parametrize("raw,label", [
    ("报告.txt".encode("gbk"), "报告.txt"),          # Windows archivers: GBK without the UTF-8 flag
    ("報告.txt".encode("utf-8"), "報告.txt"),
    (b"caf\xe9.txt", "caf\\xe9.txt"),                 # no encoding reads it: the byte escaped
])
def test_member_names_zip_and_tar_decode_alike(raw, label):
    """One decoding for archive member names (encoding.decode_member_name), zip or tar."""
    import zipfile

    from gaiextract.batch.inputs import tar_member_name, zip_member_name

    info = zipfile.ZipInfo(raw.decode("cp437"))
    info.flag_bits &= ~0x800
    assert zip_member_name(info) == label
    assert tar_member_name(raw.decode("utf-8", "surrogateescape")) == label
