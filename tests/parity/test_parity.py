"""The differential tester as a test: random programs agree under minitorch and PyTorch.

Needs PyTorch (``pip install "minitorch-kit[parity]"``); not part of the default run:
``python -m pytest -m parity tests/parity``. The rate here is measured over a few hundred programs
without ``torch.nn.functional`` steps (the library's core); ``fuzz.py`` reports the full rates.
"""

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.parity
pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parent))
import fuzz  # noqa: E402


def test_random_programs_agree_with_torch():
    counts, kinds, by_op, found = fuzz.agreement(300, seed=7, nn=False, repros=5)
    rate = counts["agree"] / counts["programs"]
    report = "\n\n".join(f"# {kind}: {m.detail}\n" + "\n".join(lines) for (kind, _), (_, lines, m) in found.items())
    assert rate >= 0.95, f"{rate:.1%} of programs agree; first disagreements: {dict(kinds)}\n{report}"


def test_the_shrinker_keeps_only_what_the_disagreement_needs():
    import torch

    import minitorch

    lines = ["v0 = torch.tensor([1.0, 2.0])", "v1 = v0 * 3", "v2 = v0.exp()", "v3 = v0.nonexistent_op()"]
    libs = (torch, minitorch)
    first = fuzz.execute(lines, libs)
    assert first is None  # both raise AttributeError: an agreement
    lines[3] = "v3 = torch.tensor(torch.__name__ == 'torch')"  # True under torch, False under minitorch
    first = fuzz.execute(lines, libs)
    assert first.kind == "values"
    assert fuzz.shrink(lines, libs, first) == ["v3 = torch.tensor(torch.__name__ == 'torch')"]
