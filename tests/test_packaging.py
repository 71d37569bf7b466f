"""A plain wheel (not an editable install) carries the grammars and the schema."""
import os
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import ROOT, SEED


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, cwd=out)
    if proc.returncode != 0:
        pytest.fail(proc.stderr[-2000:])
    return next(out.glob("gaiextract-*.whl"))


def test_wheel_contains_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for part in ("sections.toml", "proactive.toml", "requests.toml", "review_litigation.toml", "checks.toml",
                 "categories.toml", "facts.toml", "problems.toml"):
        assert f"gaiextract/grammars/{part}" in names
        assert f"gaiextract/grammars/schema/{part.replace('.toml', '.schema.json')}" in names
    assert "gaiextract/schema/report.schema.json" in names
    assert "gaiextract/inspect_view/static/inspect.js" in names  # the inspect page's script and style
    assert "gaiextract/inspect_view/static/inspect.css" in names
    assert {f"gaiextract/serve/static/{n}" for n in ("index.html", "page.js", "page.css")} <= set(names)  # serve's page
    assert {"gaiextract/py.typed", "gaiextract/grammars/agencies.toml", "gaiextract/grammars/series.toml"} <= set(names)


def test_wheel_runs_from_another_directory(wheel, tmp_path):
    """The wheel in a venv that sees nothing of this interpreter: no system
    site-packages, no PYTHONPATH. pip (the same pip, so the same index and
    find-links the README's install would use) installs the wheel with its
    declared dependencies, so a dependency missing from pyproject.toml fails here."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q",
                           str(wheel)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    outside = subprocess.run([str(py), "-c", "import sys; print([p for p in sys.path if 'site-packages' in p "
                              "and not p.startswith(sys.prefix)])"],
                             capture_output=True, text=True, env=env, cwd=tmp_path).stdout
    assert outside.strip() == "[]"  # nothing of the base interpreter's packages
    proc = subprocess.run([str(env_dir / "bin" / "gaiextract"), "extract", str(SEED)], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert '"edition": "2021"' in proc.stdout
    loc = subprocess.run([str(py), "-c", "import gaiextract; print(gaiextract.__file__)"], cwd=tmp_path,
                         capture_output=True, text=True, env=env).stdout
    assert str(env_dir) in loc  # the wheel, not the source tree
