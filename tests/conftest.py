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


def require(available: bool, reason: str) -> None:
    """Skip a test whose external tool or service is missing — but FAIL under CI=true,
    where .ci/services.sh installs everything and a skip would hide a broken set-up."""
    import os

    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: .ci/services.sh should have installed it)")
    pytest.skip(reason)


def has_soffice() -> bool:
    from gaiextract.readers.legacy import find_soffice

    return find_soffice() is not None


@pytest.fixture
def soffice():
    """LibreOffice for .doc/.wps conversion: skip without it locally, fail in CI."""
    require(has_soffice(), "LibreOffice (soffice) not installed")
