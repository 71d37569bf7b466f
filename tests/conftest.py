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
