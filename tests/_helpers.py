"""Helpers shared by the op test files: tensors in several memory layouts, and gradient checks.

Not a test module (pytest collects only ``test_*.py``); the test files import it as ``_helpers``
(pytest puts ``tests/`` on ``sys.path`` because it holds ``conftest.py`` and no ``__init__.py``).
"""

import numpy as np
from hypothesis import strategies as st

import minitorch as torch
from minitorch.autograd import gradcheck, gradgradcheck

layouts = st.sampled_from(["contiguous", "permuted", "strided"])


def layout(arr, kind):
    """A tensor with ``arr``'s values: contiguous, a permuted view, or a view with a step."""
    if kind == "permuted" and arr.ndim > 1:
        return torch.tensor(np.ascontiguousarray(arr.T)).permute(*reversed(range(arr.ndim)))
    if kind == "strided" and arr.ndim > 0:
        return torch.tensor(np.repeat(arr, 2, axis=-1))[..., ::2]
    return torch.tensor(arr)


def leaf(arr, kind="contiguous"):
    """A float64 tensor (maybe a non-contiguous view) requiring grad, for gradcheck."""
    return layout(np.asarray(arr, dtype=np.float64), kind).requires_grad_()


def check_grads(fn, *inputs, second_order=True):
    """gradcheck (and gradgradcheck unless ``second_order=False``), then one backward: every
    input that requires grad gets a ``.grad`` of its own shape."""
    assert gradcheck(fn, inputs)
    if second_order:
        assert gradgradcheck(fn, inputs)
    fn(*inputs).sum().backward()
    for t in inputs:
        if t.requires_grad:
            assert t.grad.shape == t.shape
