"""The fuzz scripts of tests/fuzz on a small fixed budget: every mutated corpus
document, and every input built with a hostile structure, ends as a Report (or an
inspection page) or a documented ExtractError, quickly and in bounded memory
(the growth of the process's peak RSS is measured, not only the outcome)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

import fuzz_corpus  # noqa: E402
import fuzz_structure  # noqa: E402


def test_fuzz_small_budget():
    done, failures = fuzz_corpus.run(budget_s=4.0, seed=10)
    assert done >= 5
    assert not failures, "\n".join(failures)


def test_fuzz_structure_small_fixed_set():
    # 15 inputs, three of each mutator (XML-level DOCX, HTML extremes, giant numbers,
    # mutated report JSON for inspect, object-level PDF); run() fails an input past its
    # time bound or when the peak RSS grew more than fuzz_structure.MAX_RSS_MB
    done, failures, worst = fuzz_structure.run(budget_s=0, seed=5, count=15, names=fuzz_structure.CI_MUTATORS)
    assert done == 15 and set(worst) == set(fuzz_structure.CI_MUTATORS)
    assert not failures, "\n".join(failures)
