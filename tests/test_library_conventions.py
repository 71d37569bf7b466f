"""Library conventions (issue 16): py.typed seen by mypy, section ids, extract_many,
to_frame, a short repr."""
import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest
from batch_support import CORPUS, SRC

import gaiextract
from gaiextract import ExtractError

SEED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt"
OTHER = CORPUS / "txt" / "g01_txt_cells.txt"
SECTION_IDS = ["overview", "proactive", "requests", "review_litigation", "problems", "other"]  # the spec's six


@pytest.fixture(scope="module")
def report():
    return gaiextract.extract(OTHER)


def test_section_unknown_id_raises_known_missing_is_none(report):
    assert report.section("overview").id == "overview"
    with pytest.raises(KeyError, match="overveiw"):
        report.section("overveiw")
    with pytest.raises(KeyError, match="overveiw"):
        report.get_section("overveiw")
    bare = gaiextract.Report(source={"path": "x"})
    assert [bare.get_section(s) for s in SECTION_IDS] == [None] * 6
    for s in SECTION_IDS:  # section() is typed Section: a missing one raises, like a mapping
        with pytest.raises(KeyError, match="no such section"):
            bare.section(s)


def test_extract_many_yields_results_and_errors_in_order(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    got = list(gaiextract.extract_many([OTHER, bad, SEED]))
    assert isinstance(got[0], gaiextract.Report) and isinstance(got[2], gaiextract.Report)
    assert isinstance(got[1], ExtractError) and got[1].code == "empty"
    assert got[0].year == 2022 and got[2].year == 2025   # corpus expected files: g01 2022, seed 2025
    with pytest.raises(ExtractError):
        list(gaiextract.extract_many([OTHER, bad, SEED], raises=True))


def test_to_frame(report):
    pd = pytest.importorskip("pandas", reason="pandas extra")
    frame = report.to_frame()
    assert list(frame.columns) == ["identity", "id", "sha256", "agency", "year", "edition", "table", "key", "value",
                                   "raw", "row_label", "column_label", "label", "unit", "page", "how"]
    assert len(frame) == sum(len(t.cells) for t in report.tables.values())
    req = report.tables["requests"].to_frame()
    assert req.loc["new.total", "value"] == report.tables["requests"].cells["new.total"]
    assert isinstance(req, pd.DataFrame)


def test_short_repr(report):
    text = repr(report)
    assert len(text) < 200 and "2022" in text and report.agency in text
    assert len(repr(report.tables["requests"])) < 60 and len(repr(report.sections[0])) < 80


def test_py_typed_is_package_data_and_seen_by_mypy(tmp_path):
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    assert (SRC / "gaiextract" / "py.typed").exists()
    pyproject = (SRC.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"py.typed"' in pyproject
    # an environment where gaiextract is an installed package (a .pth in site-packages):
    # mypy reads an installed package's types only when it ships py.typed (PEP 561)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "gaiextract_src.pth").write_text(str(SRC) + "\n")
    user = tmp_path / "use.py"
    user.write_text(textwrap.dedent("""
        import gaiextract
        report = gaiextract.extract("r.pdf")
        year: str = report.year            # wrong on purpose: year is Optional[int]
        reveal_type(gaiextract.extract_many)
    """))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    res = subprocess.run([sys.executable, "-m", "mypy", "--python-executable", str(py), "--no-incremental",
                          "--follow-imports=silent", "--ignore-missing-imports", "--cache-dir",
                          str(tmp_path / "cache"), str(user)],
                         capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    out = res.stdout + res.stderr
    assert "missing library stubs or py.typed marker" not in out, out
    assert 'Incompatible types in assignment (expression has type "int | None"' in out, out
    assert "Iterator[gaiextract.report.Report | gaiextract.errors.ExtractError]" in out, out


def test_a_paragraph_in_a_value_cell_is_not_copied_whole_into_its_warning():
    """A converter that put a section's prose into a table cell: the warning names the
    cell and quotes the start of the text, not all of it."""
    from gaiextract.errors import MAX_DETAIL_CHARS

    prose = "本机关依法依规做好政府信息公开工作，" * 300
    rows = ["| 本年新收政府信息公开申请数量 | " + prose + " | 0 | 0 | 0 | 0 | 0 | 0 |"]
    text = "\n".join(["（一）依申请公开情况", "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
                      "|---|---|---|---|---|---|---|---|", *rows])
    rep = gaiextract.extract(text.encode("utf-8"), name="r.md")
    details = [w.get("detail") or "" for w in rep.warnings]
    assert details and max(len(d) for d in details) <= MAX_DETAIL_CHARS + 40
    assert any("characters)" in d for d in details)


def test_public_names_stay_functions_after_every_submodule_is_imported():
    """Importing a submodule binds its name on the package: a module named like a public
    function (``gaiextract.series`` was one) hid the function once anything imported it."""
    import importlib
    import pkgutil

    for mod in pkgutil.walk_packages(gaiextract.__path__, "gaiextract."):
        if mod.name.endswith("__main__"):
            continue  # runs the command line
        try:
            importlib.import_module(mod.name)
        except ImportError:
            continue  # an extra that is not installed
    for name in gaiextract.__all__:
        assert not isinstance(getattr(gaiextract, name), type(gaiextract)), name
