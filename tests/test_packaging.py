"""A plain wheel (not an editable install) carries the grammars and the schema."""
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


def test_wheel_runs_from_another_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
                    "--force-reinstall", str(wheel)], check=True)
    proc = subprocess.run([str(env_dir / "bin" / "gaiextract"), "extract", str(SEED)], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert '"edition": "2021"' in proc.stdout
    loc = subprocess.run([str(py), "-c", "import gaiextract; print(gaiextract.__file__)"], cwd=tmp_path,
                         capture_output=True, text=True).stdout
    assert str(env_dir) in loc  # the wheel, not the source tree
