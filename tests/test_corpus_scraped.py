"""The archiver-page and converter-Markdown corpus (corpus/flat, corpus/md): rebuilt byte for
byte by the builder, and carrying the features it claims to (so the corpus documents'
matching in test_corpus.py means something)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("flat", "md")


def _files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(ROOT / "corpus" / "build.py"), "--formats", ",".join(FORMATS),
                    "--out", str(out)], check=True, cwd=out, capture_output=True)
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_committed_corpus_is_what_the_builder_makes(rebuilt, fmt):
    made, committed = rebuilt / fmt, ROOT / "corpus" / fmt
    assert _files(made) == _files(committed) and len(_files(made)) >= 16
    for name in _files(made):
        assert (made / name).read_bytes() == (committed / name).read_bytes(), name


def _docs(fmt: str) -> list[tuple[Path, dict]]:
    out = []
    for exp in sorted((ROOT / "corpus" / fmt).glob("*.expected.json")):
        rec = json.loads(exp.read_text(encoding="utf-8"))
        out.append((exp.parent / rec["document"], rec))
    return out


def test_flat_pages_have_a_header_chrome_and_the_body_on_one_line():
    docs = _docs("flat")
    assert {r["report"]["edition"] for _, r in docs} == {"2019", "2021"}
    assert {r["style"] for _, r in docs} == {"flat_run", "flat_spaced", "flat_run_inline", "flat_spaced_inline"}
    for path, rec in docs:
        lines = path.read_text(encoding="utf-8").splitlines()
        sep = lines.index("==================== 正文 ====================")
        assert lines[0].startswith("标题: ") and sep >= 5
        body = [ln for ln in lines[sep + 1:] if len(ln) > 200]
        assert len(body) == 1  # everything of the report on one line
        assert "当前位置：" in "\n".join(lines[sep + 1:sep + 3])
        for sid, heading in rec["section_headings"].items():
            assert heading in body[0], (path.name, sid)
    # some pages run every overview sub-head straight into its text, with no separator
    for path, rec in docs:
        if rec["style"].endswith("_inline"):
            body = max(path.read_text(encoding="utf-8").splitlines(), key=len)
            for sub in rec["subsections"]:
                at = body.index(sub["heading"]) + len(sub["heading"])
                assert body[at] not in "。 ：；", (path.name, sub["heading"])
    # one page lacks the heading of 五: its text starts at a sub-head
    assert any(r["section_headings"].get("problems") == "（一）存在的主要问题" for _, r in docs)


def test_run_together_tables_list_their_ambiguous_cells():
    runs = [(p, r) for p, r in _docs("flat") if r["style"] == "flat_run"]
    assert runs and all(r["ambiguous_in_text"] for _, r in runs)
    for _, rec in runs:
        for name in rec["ambiguous_in_text"]:
            _, table, key = name.split(".", 2)
            assert key in rec["tables"][table]
    assert not any(r["ambiguous_in_text"] for p, r in _docs("flat") if r["style"] == "flat_spaced")


def test_markdown_documents_carry_the_converter_quirks():
    docs = _docs("md")
    assert {r["report"]["edition"] for _, r in docs} == {"2019", "2021"}
    text = {r["style"]: "" for _, r in docs}
    for path, rec in docs:
        text[rec["style"]] += path.read_text(encoding="utf-8")
    broken, grid = text["md_broken"], text["md_grid"]
    for quirk in ("| 类别 | 数据1 |", "| 项目 | 本年新收件数 |", "### 行政诉讼（复议后起诉）", "— 2 —", "—、本年新收",
                  "### 一是", "沐阳县", " 次，"):
        assert quirk in broken, quirk
    for quirk in ("<br>", "<table>", "rowspan="):
        assert quirk in grid, quirk
    assert any(p.suffix == ".txt" for p, _ in docs)  # Markdown recognised whatever it is called
    # 沭 read as 沐: the expected agency is the text as written
    assert any(r["report"]["agency"] == "沐阳县退役军人服务中心" for _, r in docs)
