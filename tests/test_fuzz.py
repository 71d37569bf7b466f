"""The fuzz script of tests/fuzz on a small fixed budget: every mutated corpus
document ends as a Report or a documented ExtractError, quickly and in bounded memory."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

import fuzz_corpus  # noqa: E402


def test_fuzz_small_budget():
    done, failures = fuzz_corpus.run(budget_s=4.0, seed=10)
    assert done >= 5
    assert not failures, "\n".join(failures)
