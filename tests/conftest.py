import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt"


def load_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture
def seed_path():
    return SEED


def require(available: bool, reason: str, ci_hint: str = ".ci/services.sh should have installed it") -> None:
    """Skip a test whose external tool or service is missing — but FAIL under CI=true,
    where .ci/services.sh installs everything and a skip would hide a broken set-up."""
    import os

    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: {ci_hint})")
    pytest.skip(reason)


def shared(*parts: str) -> Path:
    """A path under ../shared (the samples beside the repository, not in it): skip the test
    with the reason when it is missing (a clone of the repository alone), fail under CI=true."""
    path = SHARED.joinpath(*parts)
    require(path.exists(), f"{path} is missing: ../shared (samples kept beside the repository) is not here",
            "CI must check out ../shared beside the repository")
    return path


def shared_params(paths: list, ids: list[str] | None = None) -> list:
    """Parameters for a test over files under ../shared: when there are none, one parameter
    that makes the test skip (or fail under CI=true) with the reason, instead of an empty set."""
    if paths:
        return [pytest.param(p, id=i) for p, i in zip(paths, ids or [str(p) for p in paths])]
    return [pytest.param(None, id="shared-missing")]


def has_soffice() -> bool:
    from gaiextract.readers.legacy import find_soffice

    return find_soffice() is not None


@pytest.fixture
def soffice():
    """LibreOffice for .doc/.wps conversion: skip without it locally, fail in CI."""
    require(has_soffice(), "LibreOffice (soffice) not installed")
