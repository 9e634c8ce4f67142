"""Ops and arguments ordinary course code uses: copysign, signbit, erfinv, addcmul/addcdiv, count_nonzero,
aminmax, cummax/cummin, bincount, histc/histogram, diff, block_diag, kron, baddbmm, linalg.vector_norm,
``size=``, numpy scalars, ``keepdims=``, ``out=``, default device, mps, multinomial and exponential_.
Expected values were printed by PyTorch 2.13 (torch is not a test dependency)."""

import math
import re

import numpy as np
import pytest

import minitorch as torch
from minitorch.autograd import gradcheck


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message))


def f64(*shape, positive=False):
    t = torch.rand(*shape, dtype=torch.float64) + 0.5 if positive else torch.randn(*shape, dtype=torch.float64)
    return t.requires_grad_()


def test_copysign_signbit_erfinv_values():
    assert torch.copysign(torch.tensor([1, -2]), -1).tolist() == [-1.0, -2.0]
    assert torch.copysign(torch.tensor([1.0, -2.0]), torch.tensor([-0.0, 3.0])).tolist() == [-1.0, 2.0]
    assert torch.signbit(torch.tensor([-0.0, 1.0, -2.0])).tolist() == [True, False, True]
    got = torch.erfinv(torch.tensor([0.5, -0.3, 0.999], dtype=torch.float64)).tolist()
    assert got == pytest.approx([0.4769362762044699, -0.2724627147267543, 2.3267537655135246], rel=1e-13)
    edges = torch.erfinv(torch.tensor([1.0, -1.0, 2.0])).tolist()
    assert edges[:2] == [math.inf, -math.inf] and math.isnan(edges[2])


def test_copysign_and_erfinv_gradients():
    a, b = f64(4), f64(4)
    assert gradcheck(torch.copysign, (a, b)) and gradcheck(lambda t: torch.copysign(t, -1.0), (a,))
    assert torch.copysign(a, -1.0).grad_fn.name() == "CopysignBackward1"
    assert gradcheck(lambda t: torch.erfinv(t.tanh() * 0.9), (a,))


def test_addcmul_addcdiv_and_in_place_forms():
    x = torch.tensor([1.0, 2.0])
    assert torch.addcmul(x, torch.tensor([1.0, 2.0]), torch.tensor([3, 4]), value=2).tolist() == [7.0, 18.0]
    x.addcdiv_(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), value=2)
    assert x.tolist() == pytest.approx([1.6666666, 3.0])
    with raises(RuntimeError, "Integer division with addcdiv is no longer supported"):
        torch.tensor([1, 2]).addcdiv(torch.tensor([1, 2]), torch.tensor([3, 4]))
    a, b, c = f64(3), f64(2, 3), f64(3, positive=True)
    assert gradcheck(lambda a, b, c: torch.addcmul(a, b, c, value=0.3), (a, b, c))
    assert gradcheck(lambda a, b, c: torch.addcdiv(a, b, c, value=-2), (a, b, c))
    torch.addcmul(a, b, c).sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape and c.grad.shape == c.shape


def test_counting_and_running_extremes():
    assert torch.count_nonzero(torch.tensor([[0, 1], [2, 0]]), dim=(0, 1)).item() == 2
    assert torch.tensor([[0.0, 1.0], [2.0, 0.0]]).count_nonzero(0).tolist() == [1, 1]
    low, high = torch.aminmax(torch.tensor([1.0, 3.0]))
    assert (low.item(), high.item()) == (1.0, 3.0)
    values, indices = torch.cummax(torch.tensor([3.0, 1.0, 3.0, 5.0, 5.0]), 0)
    assert values.tolist() == [3.0, 3.0, 3.0, 5.0, 5.0] and indices.tolist() == [0, 0, 2, 3, 4]
    assert torch.cummin(torch.tensor([3, 1, 2]), 0).values.tolist() == [3, 1, 1]
    x = f64(3, 4)
    assert gradcheck(lambda t: t.cummax(1).values, (x,)) and gradcheck(lambda t: t.cummin(0).values, (x,))
    assert x.cummax(1).values.grad_fn.name() == "CummaxBackward0"


def test_bincount_and_histograms():
    assert torch.bincount(torch.tensor([0, 2, 2])).tolist() == [1, 0, 2]
    assert torch.bincount(torch.tensor([1, 2]), weights=torch.tensor([1.0, 2.0])).dtype is torch.float32
    assert torch.bincount(torch.tensor([1, 2]), weights=torch.tensor([1, 2])).dtype is torch.float64
    with raises(RuntimeError, "bincount only supports 1-d non-negative integral inputs."):
        torch.bincount(torch.tensor([-1]))
    with raises(NotImplementedError, "\"bincount_cpu\" not implemented for 'Float'"):
        torch.bincount(torch.tensor([1.0]))
    assert torch.histc(torch.tensor([1.0, 2, 5, 7]), bins=4, min=2, max=6).tolist() == [1.0, 0.0, 0.0, 1.0]
    with raises(NotImplementedError, "\"histogram_cpu\" not implemented for 'Long'"):
        torch.histc(torch.tensor([1, 2]), 3)
    hist, edges = torch.histogram(torch.tensor([1.0, 2.0, 2.5]), 3)
    assert hist.tolist() == [1.0, 0.0, 2.0] and edges.tolist() == [1.0, 1.5, 2.0, 2.5]


def test_diff_block_diag_kron_baddbmm():
    assert torch.diff(torch.tensor([1, 3, 7]), n=2, prepend=torch.tensor([0])).tolist() == [1, 2]
    assert torch.tensor([True, False, False]).diff().tolist() == [True, False]
    assert torch.block_diag(torch.tensor([[1, 2]]), torch.tensor(3)).tolist() == [[1, 2, 0], [0, 0, 3]]
    assert torch.kron(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[0, 1], [1, 0]])).tolist() == [
        [0, 1, 0, 2], [1, 0, 2, 0], [0, 3, 0, 4], [3, 0, 4, 0]]
    m, v = f64(2, 3), f64(3)
    assert torch.kron(m, v).grad_fn.name() == "UnsafeViewBackward0"
    assert gradcheck(torch.kron, (m, v)) and gradcheck(lambda a, b: torch.block_diag(a, b), (m, v))
    assert gradcheck(lambda t: t.diff(n=2, dim=1, append=t[:, :1]), (m,))
    b1, b2 = f64(2, 3, 4), f64(2, 4, 3)
    assert torch.baddbmm(torch.ones(3), torch.ones(2, 3, 4), torch.ones(2, 4, 3)).shape == (2, 3, 3)
    assert gradcheck(lambda c, a, b: torch.baddbmm(c, a, b, beta=0.5, alpha=2), (v, b1, b2))


def test_linalg_namespace():
    x = torch.tensor([3.0, -4.0], requires_grad=True)
    y = torch.linalg.vector_norm(x)
    assert y.item() == 5.0 and y.grad_fn.name() == "LinalgVectorNormBackward0"
    assert torch.linalg.vector_norm(x, 1).item() == 7.0 and torch.linalg.vector_norm(x, math.inf).item() == 4.0
    assert torch.linalg.norm(torch.ones(2, 2)).item() == 2.0
    with raises(RuntimeError, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"):
        torch.linalg.vector_norm(torch.tensor([1, 2]))


def test_size_keyword_numpy_scalars_and_keepdims():
    assert torch.rand(size=(2, 3)).shape == (2, 3) and torch.randn(size=[2, 2], dtype=torch.float64).dtype is torch.float64
    assert torch.zeros(size=(2,)).shape == (2,) and torch.ones(size=(1, 2)).shape == (1, 2)
    assert torch.zeros(np.int64(3)).shape == (3,) and torch.zeros((np.int64(3), 2)).shape == (3, 2)
    assert torch.arange(np.float32(0), 3).tolist() == [0.0, 1.0, 2.0] and torch.arange(np.int64(3)).dtype is torch.int64
    assert torch.linspace(np.float64(0), 1, np.int64(3)).tolist() == [0.0, 0.5, 1.0]
    assert torch.randint(np.int64(5), (2,)).shape == (2,)
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.view(np.int64(4)).shape == (4,) and x.sum(1, keepdims=True).shape == (2, 1)
    assert x.mean(axis=0, keepdims=True).shape == (1, 2) and x.max(1, keepdims=True).values.shape == (2, 1)


def test_out_argument():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = torch.empty(2, 2)
    assert torch.add(x, x, out=out) is out and out.tolist() == [[2.0, 4.0], [6.0, 8.0]]
    assert torch.matmul(x, x, out=out).tolist() == [[7.0, 10.0], [15.0, 22.0]]
    assert torch.cat([x, x], out=torch.empty(4, 2)).shape == (4, 2)
    resized = torch.empty(3)
    with pytest.warns(UserWarning, match=re.escape("An output with one or more elements was resized since it had "
                                                   "shape [3], which does not match the required output shape [2]")):
        torch.sum(x, 0, out=resized)
    assert resized.tolist() == [4.0, 6.0]
    with raises(RuntimeError, "add(): functions with out=... arguments don't support automatic differentiation, "
                              "but one of the arguments requires grad."):
        torch.add(x.requires_grad_(), 1, out=out)
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        torch.exp(torch.ones(2), out=torch.empty(2, dtype=torch.int64))


def test_default_device_and_mps():
    assert torch.backends.mps.is_available() is False and str(torch.get_default_device()) == "cpu"
    torch.set_default_device("cpu")
    assert torch.zeros(1).device == torch.get_default_device()


def test_multinomial_draws_torchs_stream():
    torch.manual_seed(0)
    assert torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 1).tolist() == [2]
    torch.manual_seed(0)
    assert torch.multinomial(torch.tensor([0.1, 0.2, 0.3, 0.4]), 3).tolist() == [2, 1, 3]
    torch.manual_seed(3)
    assert torch.multinomial(torch.tensor([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]]), 2).tolist() == [[0, 1], [0, 1]]
    torch.manual_seed(0)
    e = torch.empty(3, dtype=torch.float64).exponential_()
    assert e.tolist() == pytest.approx([3.5083, 1.2304, 0.6150], abs=1e-4)


def test_a_random_fill_that_fails_draws_nothing():
    torch.manual_seed(0)
    for fill in (lambda: torch.tensor([1, 2]).normal_(), lambda: torch.ones(3, requires_grad=True).uniform_(),
                 lambda: torch.ones(3).normal_(std=-1), lambda: torch.ones(3, requires_grad=True).exponential_()):
        with pytest.raises((RuntimeError, NotImplementedError)):
            fill()
    assert torch.rand(2).tolist() == pytest.approx([0.49625658988952637, 0.7682217955589294])
