"""Elementwise ops: values against numpy, gradients with gradcheck (float64, broadcast and
non-contiguous inputs), dtypes and memory layouts, and torch's errors (printed by PyTorch 2.13)."""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
from minitorch.autograd import gradcheck, gradgradcheck


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def np_erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x)


# name -> (numpy reference, lowest, highest input) for the one-input math functions
UNARY = {
    "neg": (np.negative, -5, 5), "exp": (np.exp, -5, 5), "exp2": (np.exp2, -5, 5), "log": (np.log, 0.1, 5),
    "log2": (np.log2, 0.1, 5), "log10": (np.log10, 0.1, 5), "log1p": (np.log1p, -0.9, 5),
    "expm1": (np.expm1, -5, 5), "sqrt": (np.sqrt, 0.1, 5), "rsqrt": (lambda x: 1 / np.sqrt(x), 0.1, 5),
    "sin": (np.sin, -5, 5), "cos": (np.cos, -5, 5), "tan": (np.tan, -1.2, 1.2), "asin": (np.arcsin, -0.9, 0.9),
    "acos": (np.arccos, -0.9, 0.9), "atan": (np.arctan, -5, 5), "sinh": (np.sinh, -3, 3), "cosh": (np.cosh, -3, 3),
    "tanh": (np.tanh, -5, 5), "asinh": (np.arcsinh, -5, 5), "acosh": (np.arccosh, 1.1, 5),
    "atanh": (np.arctanh, -0.9, 0.9), "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), -5, 5),
    "relu": (lambda x: np.maximum(x, 0), -5, 5), "erf": (np_erf, -3, 3), "reciprocal": (np.reciprocal, 0.1, 5),
    "abs": (np.abs, -5, 5), "sign": (np.sign, -5, 5), "floor": (np.floor, -5, 5), "ceil": (np.ceil, -5, 5),
    "trunc": (np.trunc, -5, 5), "frac": (lambda x: x - np.trunc(x), -5, 5), "round": (np.round, -5, 5),
    "square": (np.square, -5, 5),
}
# name -> (numpy reference, allowed range of both inputs)
BINARY = {
    "add": (np.add, (-5, 5)), "sub": (np.subtract, (-5, 5)), "mul": (np.multiply, (-5, 5)),
    "div": (np.true_divide, (0.5, 5)), "pow": (np.power, (0.5, 3)), "remainder": (np.remainder, (0.5, 5)),
    "fmod": (np.fmod, (0.5, 5)), "maximum": (np.maximum, (-5, 5)), "minimum": (np.minimum, (-5, 5)),
    "atan2": (np.arctan2, (-5, 5)), "hypot": (np.hypot, (-5, 5)), "logaddexp": (np.logaddexp, (-5, 5)),
    "xlogy": (lambda a, b: a * np.log(b), (0.5, 5)), "floor_divide": (np.floor_divide, (0.5, 5)),
}


def arrays(low, high, shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high, allow_nan=False, width=64))


shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)


# ---- values against numpy ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", UNARY)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_unary_against_numpy(name, data):
    ref, low, high = UNARY[name]
    values = data.draw(arrays(low, high, data.draw(shapes)))
    x = torch.from_numpy(values.copy())
    if data.draw(st.booleans()) and x.dim() >= 2:  # the same values through a transposed layout
        x = torch.from_numpy(values.T.copy()).T
    out = getattr(torch, name)(x)
    assert out.dtype is torch.float64 and out.shape == values.shape
    np.testing.assert_allclose(out.numpy(), ref(values), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(getattr(x, name)().numpy(), ref(values), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", BINARY)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_binary_against_numpy_with_broadcasting(name, data):
    ref, (low, high) = BINARY[name]
    shape_a, shape_b = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4)).input_shapes
    a, b = data.draw(arrays(low, high, shape_a)), data.draw(arrays(low, high, shape_b))
    out = getattr(torch, name)(torch.from_numpy(a), torch.from_numpy(b))
    np.testing.assert_allclose(out.numpy(), ref(a, b), rtol=1e-13, atol=1e-15)
    if name not in ("maximum", "minimum", "atan2", "hypot", "logaddexp"):  # these take tensors only
        number = data.draw(st.floats(low, high, allow_nan=False))
        np.testing.assert_allclose(getattr(torch, name)(torch.from_numpy(a), number).numpy(), ref(a, number),
                                   rtol=1e-13, atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.int64, shapes, elements=st.integers(-20, 20)),
       hnp.arrays(np.int64, shapes, elements=st.integers(1, 7)))
def test_integer_arithmetic_against_numpy(a, b):
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        return
    x, y = torch.from_numpy(a), torch.from_numpy(b)
    assert (x + y).tolist() == (a + b).tolist() and (x * y).tolist() == (a * b).tolist()
    assert (x // y).tolist() == (a // b).tolist() and (x % y).tolist() == (a % b).tolist()
    assert (x - y).tolist() == (a - b).tolist() and (x ** y).dtype is torch.int64
    assert torch.div(x, y, rounding_mode="trunc").tolist() == np.trunc(a / b).astype(np.int64).tolist()
    assert torch.fmod(x, y).tolist() == np.fmod(a, b).tolist()
    assert (x / y).dtype is torch.float32
    np.testing.assert_allclose((x / y).numpy(), (a / b).astype(np.float32))
    for op in ("eq", "ne", "lt", "le", "gt", "ge"):
        assert getattr(torch, op)(x, y).tolist() == getattr(np, {"eq": "equal", "ne": "not_equal", "lt": "less",
                                                                  "le": "less_equal", "gt": "greater",
                                                                  "ge": "greater_equal"}[op])(a, b).tolist()
    assert (x & y).tolist() == (a & b).tolist() and (x | y).tolist() == (a | b).tolist()
    assert (x ^ y).tolist() == (a ^ b).tolist() and (~x).tolist() == (~a).tolist()


def test_erf_is_accurate_in_double():
    xs = np.concatenate([np.linspace(-6, 6, 20001), np.logspace(-300, 1, 2001), [0.0, -0.0, 0.46875, 4.0, 27.0, 1e300]])
    got = torch.erf(torch.from_numpy(xs)).numpy()
    expected = np_erf(xs)
    assert np.all(np.abs(got - expected) <= 5e-16 * np.abs(expected))
    assert torch.erf(torch.tensor([float("nan"), float("inf"), -float("inf")])).tolist()[1:] == [1.0, -1.0]
    assert math.isnan(torch.erf(torch.tensor(float("nan"))).item())
    assert torch.erf(torch.tensor([0.5], dtype=torch.float16)).dtype is torch.float16


def test_special_values_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch never warns about inf / nan results
        assert torch.tensor([100.0]).exp().tolist() == [float("inf")]
        assert math.isnan(torch.tensor([-1.0]).log().item()) and torch.tensor([0.0]).log().item() == -float("inf")
        assert (torch.tensor([1.0, 0.0, -1.0]) / 0).tolist()[::2] == [float("inf"), -float("inf")]
        assert torch.sigmoid(torch.tensor([-1000.0, 1000.0, 0.0])).tolist() == [0.0, 1.0, 0.5]
        assert torch.tensor([-1000.0, 1000.0], dtype=torch.float16).sigmoid().tolist() == [0.0, 1.0]
        assert torch.tensor([1.0], dtype=torch.float16).mul(1e6).tolist() == [float("inf")]
        assert torch.tensor([1e10]).int().dtype is torch.int32
    assert torch.tensor([float("nan"), -0.0]).sign().tolist() == [0.0, 0.0]  # torch's sign of nan is 0
    assert torch.log10(torch.tensor([100.0])).item() == 2.0 and torch.log2(torch.tensor([8])).item() == 3.0


def test_rounding():
    assert torch.tensor([-0.5, 0.5, 1.5, 2.5, -2.5]).round().tolist() == [-0.0, 0.0, 2.0, 2.0, -2.0]  # half to even
    assert torch.tensor([1234.5678]).round(decimals=-2).tolist() == [1200.0]
    assert torch.round(torch.tensor([1.25]), decimals=1).tolist() == [1.2000000476837158]
    assert torch.tensor([-2, 0, 3]).round().tolist() == [-2, 0, 3] and torch.tensor([7]).floor().dtype is torch.int64
    assert torch.tensor([1.5, -1.5]).frac().tolist() == [0.5, -0.5]


def test_integer_and_bool_specifics():
    assert torch.tensor([2, 3, 0, -1, 1]).pow(torch.tensor([-1, -2, -1, -3, -5])).tolist() == [0, 0, 0, -1, 1]
    assert (2 ** torch.tensor([1, 2])).tolist() == [2, 4] and (torch.tensor([True]) ** 2).dtype is torch.int64
    assert torch.tensor([-128], dtype=torch.int8).abs().tolist() == [-128]
    assert torch.tensor([3], dtype=torch.uint8).neg().tolist() == [253]
    assert torch.tensor([True, False]).sign().tolist() == [True, False]
    assert torch.tensor([True]).exp().dtype is torch.float32
    with pytest.raises(NotImplementedError, match="\"trunc_vml_cpu\" not implemented for 'Bool'"):
        torch.tensor([True]).trunc()
    assert (torch.tensor([True]) + torch.tensor([True])).tolist() == [True]
    assert torch.tensor([True]).add(torch.tensor([True]), alpha=2).tolist() == [True]
    assert (torch.tensor([True]) * torch.tensor([True])).tolist() == [True]
    assert torch.tensor([-2, 0, 2]).relu().tolist() == [0, 0, 2] and torch.tensor([-2, 2]).relu().dtype is torch.int64
    assert torch.tensor([5, -5]).remainder(torch.tensor([3, 3])).tolist() == [2, 1]
    assert (7 % torch.tensor([3, -3])).tolist() == [1, -2] and (7 // torch.tensor([2, -2])).tolist() == [3, -4]
    assert torch.square(torch.tensor([True])).tolist() == [1]


def test_clamp_where_and_friends():
    assert torch.clamp(torch.tensor([-2.0, 0.0, 2.0]), min=-1).tolist() == [-1.0, 0.0, 2.0]
    assert torch.tensor([-2, 0, 2]).clamp(-1, 1).tolist() == [-1, 0, 1]
    assert torch.tensor([-2, 0, 2]).clamp(min=0.5).tolist() == [0.5, 0.5, 2.0]
    assert torch.tensor([1, 5]).clamp(3, 2).tolist() == [2, 2]  # min > max: everything is max
    assert torch.tensor([float("nan"), 1.0]).clamp(0, 0.5).tolist()[1] == 0.5
    assert torch.tensor([1.0, 5.0]).clamp(min=torch.tensor([2.0, 2.0]), max=4.5).tolist() == [2.0, 4.5]
    assert torch.tensor([1.0, 5.0]).clamp_min(2).tolist() == [2.0, 5.0] and torch.clamp_max(torch.tensor([1, 5]), 2).tolist() == [1, 2]
    assert torch.clip(torch.tensor([3.0]), 0, 1).tolist() == [1.0]
    assert torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), 0).tolist() == [1, 0]
    assert torch.where(torch.tensor([True, False]), 1.5, 0).dtype is torch.float32
    assert torch.where(torch.tensor([True, False]), 1, 0).dtype is torch.int64
    assert torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([1.0, 2.0])).dtype is torch.float32
    assert torch.tensor([1, 2]).where(torch.tensor([True, False]), torch.tensor(0.5)).tolist() == [1.0, 0.5]
    assert torch.lerp(torch.tensor([0.0, 1.0]), torch.tensor([10.0, 3.0]), 0.5).tolist() == [5.0, 2.0]
    assert torch.float_power(torch.tensor([3, 4]), 2).dtype is torch.float64
    assert torch.nan_to_num(torch.tensor([float("nan"), float("inf"), 1.0]), posinf=9.0).tolist() == [0.0, 9.0, 1.0]
    assert torch.rsub(torch.tensor([1.0]), 3).tolist() == [2.0] and torch.positive(torch.tensor([1])).tolist() == [1]
    assert torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.001])).tolist() == [True, False]
    assert torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.00001]))
    assert torch.equal(torch.tensor([1]), torch.tensor([1.0])) and not torch.equal(torch.tensor([1, 2]), torch.tensor([1]))
    assert torch.isnan(torch.tensor([1.0, float("nan")])).tolist() == [False, True]
    assert torch.isinf(torch.tensor([float("inf"), 1])).tolist() == [True, False]
    assert torch.isfinite(torch.tensor([-float("inf"), 2.0])).tolist() == [False, True]
    assert torch.logical_xor(torch.tensor([True]), torch.tensor([True])).tolist() == [False]
    assert torch.logical_or(torch.tensor([0.0, 0.0]), torch.tensor([0, 2])).tolist() == [False, True]
    assert torch.tensor([1, 0]).logical_not().tolist() == [False, True]


def test_numpy_operands():
    assert (torch.tensor([1.0, 2.0]) + np.array([1.0, 2.0])).dtype is torch.float64
    assert (torch.tensor([1.0, 2.0]) * np.float32(2)).tolist() == [2.0, 4.0]


# ---- memory layout of results (torch's TensorIterator rules) -------------------------------------------

def test_result_layouts():
    t = torch.zeros(2, 3).t()
    assert (t + 1).stride() == (1, 3) and t.exp().stride() == (1, 3) and t.clone().stride() == (1, 3)
    assert (t * torch.zeros(3, 2)).stride() == (1, 3) and (torch.zeros(3, 2) * t).stride() == (2, 1)
    assert (torch.zeros(2, 3, 4).permute(2, 0, 1) + 1).stride() == (1, 12, 4)
    assert torch.zeros(2, 3)[:, ::2].clone().stride() == (2, 1) and t.to(torch.float64).stride() == (1, 3)
    assert t.contiguous().stride() == (2, 1) and (t > 0).stride() == (1, 3)
    assert torch.where(t > 0, t, 0.0).stride() == (1, 3)


F = torch.nn.functional
PERMUTED = torch.arange(24.).reshape(2, 3, 4).permute(1, 2, 0)  # shape (3, 4, 2), strides (4, 1, 12)
EXPANDED = torch.zeros(4, 2, 2).expand(2, 4, 2, 2)  # overlapping: a stride-0 dim in front
LAYOUTS = [  # (result, its strides in torch 2.13): reductions and some kernels allocate row-major
    (lambda: PERMUTED.sum(1), (2, 1)), (lambda: PERMUTED.sum(1, keepdim=True), (2, 2, 1)),
    (lambda: PERMUTED.amax(1), (2, 1)), (lambda: PERMUTED.prod(1), (2, 1)), (lambda: PERMUTED.std(1), (2, 1)),
    (lambda: PERMUTED.logsumexp(1), (2, 1)), (lambda: PERMUTED.norm(dim=1), (2, 1)),
    (lambda: (PERMUTED > 3).any(1), (2, 1)), (lambda: (PERMUTED > 3).all(1, keepdim=True), (2, 2, 1)),
    (lambda: torch.count_nonzero(PERMUTED, 1), (2, 1)), (lambda: F.logsigmoid(PERMUTED), (8, 2, 1)),
    (lambda: F.sigmoid(PERMUTED), (4, 1, 12)), (lambda: F.pad(torch.zeros(2, 3).t(), (1, 0)), (3, 1)),
    (lambda: F.pad(torch.zeros(2, 3, dtype=torch.bool).t(), (1, 1, 1, 1)), (4, 1)),
    (lambda: EXPANDED.long(), (16, 4, 2, 1)), (lambda: EXPANDED.clone(), (16, 4, 2, 1)),
    (lambda: EXPANDED.to(torch.float64), (16, 4, 2, 1)), (lambda: PERMUTED.double(), (4, 1, 12)),
    (lambda: F.layer_norm(PERMUTED, (2,)), (8, 2, 1)), (lambda: F.batch_norm(PERMUTED, None, None, training=True), (8, 2, 1)),
    (lambda: F.one_hot(torch.tensor([[0, 1, 2], [2, 1, 0]]).t(), 3), (6, 3, 1)),
]


@pytest.mark.parametrize("result, strides", LAYOUTS)
def test_layouts_of_reductions_casts_and_padding(result, strides):
    assert result().stride() == strides


# ---- gradients ------------------------------------------------------------------------------------------

def leaf(values, transposed=False):
    """A float64 leaf with these values, stored transposed (non-contiguous) if asked."""
    if transposed:
        return torch.from_numpy(np.ascontiguousarray(values.T)).t().requires_grad_()
    return torch.from_numpy(values.copy()).requires_grad_()


def check_grad(fn, *inputs):
    """gradcheck plus: every input gets a gradient of its own shape."""
    assert gradcheck(fn, inputs)
    out = fn(*inputs)
    (out * torch.ones_like(out)).sum().backward()
    for x in inputs:
        if isinstance(x, torch.Tensor) and x.requires_grad:
            assert x.grad is not None and x.grad.shape == x.shape


def sample(low, high, shape, seed=0):
    values = np.random.default_rng(seed).uniform(low, high, shape)
    if low < 0 < high:  # stay away from kinks (abs, relu...) and jumps (floor, round...)
        values = np.where(np.abs(values - np.round(values)) < 0.1, values + 0.25, values)
    return values


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("transposed", [False, True])
def test_unary_gradients(name, transposed):
    _, low, high = UNARY[name]
    x = leaf(sample(low, high, (3, 4)), transposed)
    check_grad(getattr(torch, name), x)


@pytest.mark.parametrize("name", [n for n in BINARY if n != "floor_divide"])
def test_binary_gradients_with_broadcasting_and_numbers(name):
    _, (low, high) = BINARY[name]
    fn = getattr(torch, name)
    a = leaf(sample(low, high, (3, 4), 1), transposed=True)
    b = leaf(sample(low, high, (4,), 2))
    check_grad(fn, a, b)  # b is broadcast over a's rows
    check_grad(fn, leaf(sample(low, high, (3, 1), 3)), leaf(sample(low, high, (1, 4), 4)))
    if name not in ("maximum", "minimum", "atan2", "hypot", "logaddexp"):
        check_grad(lambda x: fn(x, 1.7), a)


def test_more_gradients():
    a, b = leaf(sample(0.5, 2, (2, 3), 5)), leaf(sample(0.5, 2, (2, 3), 6), transposed=True)
    cond = torch.tensor([[True, False, True], [False, True, False]])
    check_grad(lambda x, y: torch.where(cond, x, y), a, b)
    check_grad(lambda x: torch.where(cond, x, 0.0), a)
    low, high = (b - 0.2).detach().requires_grad_(), (b + 0.3).detach().requires_grad_()
    check_grad(lambda x, y, z: x.clamp(min=y, max=z), a, low, high)  # every bound gets its share
    check_grad(lambda x: x.clamp(0.8, 1.5), a)
    check_grad(lambda x: x.clamp_min(1.0) + x.clamp_max(1.0), a)
    check_grad(lambda x, y: torch.lerp(x, y, 0.3), a, b)
    weight = (b / 3).detach().requires_grad_()
    check_grad(lambda x, y, w: torch.lerp(x, y, w), a, b, weight)  # the weight's gradient reads x and y
    check_grad(lambda x, y: torch.lerp(x, y, weight.detach()), a, b)
    check_grad(lambda x: 2.0 ** x, a)
    check_grad(lambda x: 1 - x, a)
    check_grad(lambda x: 2 / x, a)
    check_grad(lambda x: x ** a.detach(), b)
    check_grad(lambda x: torch.rsub(x, 2.0, alpha=3), a)
    check_grad(lambda x: x.add(b.detach(), alpha=2.5) - x.sub(1.0, alpha=0.5), a)
    check_grad(lambda x: torch.float_power(x, 2), a)
    check_grad(lambda x: torch.nan_to_num(x), a)
    check_grad(lambda x: torch.xlogy(2.0, x), a)
    check_grad(lambda x: x.div(2, rounding_mode="floor") + x, a)


def test_casts_pass_the_gradient_back_in_the_input_dtype():
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (x.float() * torch.tensor([3.0, 4.0])).sum().backward()
    assert x.grad.dtype is torch.float64 and x.grad.tolist() == [3.0, 4.0]
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    y.clone().half().sum().backward()
    assert y.grad.dtype is torch.float32 and y.grad.tolist() == [1.0, 1.0]


def test_ties_split_the_gradient():
    a, b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True), torch.tensor([1.0, 1.0, 4.0], requires_grad=True)
    torch.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 1.0, 0.0] and b.grad.tolist() == [0.5, 0.0, 1.0]


def test_second_derivatives():
    a, b = leaf(sample(0.5, 2, (2, 3), 7)), leaf(sample(0.5, 2, (3,), 8))
    assert gradgradcheck(lambda x, y: (x * y).exp() / (y * y + 1) - x.sin() ** 2, (a, b))
    assert gradgradcheck(lambda x, y: x ** y + torch.atan2(x, y) + x.sigmoid() * y.tanh(), (a, b))
    assert gradgradcheck(lambda x: x.erf() + x.sqrt().log() + x.reciprocal(), (a,))


def test_floor_divide_has_no_derivative():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x // 2
    assert y.grad_fn.name() == "torch::autograd::NotImplemented" and repr(y).endswith("grad_fn=<NotImplemented>)")
    with raises(RuntimeError, "derivative for aten::floor_divide is not implemented"):
        y.sum().backward()


@pytest.mark.parametrize("fn", [torch.sign, torch.floor, torch.ceil, torch.trunc, torch.round,
                                lambda x: x.round(decimals=1), lambda x: x.div(2, rounding_mode="floor"),
                                lambda x: x.div(2, rounding_mode="trunc")])
def test_piecewise_constant_ops_have_zero_gradients(fn):
    x = torch.tensor([-1.0, math.inf, math.nan, 2.5], requires_grad=True)
    fn(x).backward(torch.tensor([math.nan, -1.0, math.inf, 1.0]))  # zeros, not grad * 0 (nan, -0.)
    assert x.grad.tolist() == [0.0] * 4 and not any(math.copysign(1, g) < 0 for g in x.grad.tolist())
    y = x * 1
    z = fn(y)
    y.add_(1)  # nothing was saved: changing y afterwards is fine
    z.sum().backward()


def test_heaviside():
    x = torch.tensor([math.nan, -0.0, 0.0, math.inf, -math.inf, -2.0, 3.0])
    assert torch.heaviside(x, torch.tensor(0.5)).tolist() == [0.0, 0.5, 0.5, 1.0, 0.0, 0.0, 1.0]
    assert torch.heaviside(torch.tensor([[0.0], [1.0]]), torch.tensor([7.0, 2.0])).tolist() == [[7.0, 2.0], [1.0, 1.0]]
    assert torch.heaviside(torch.tensor([-1, 0, 2]), torch.tensor([7])).tolist() == [0, 7, 1]
    assert torch.heaviside(torch.tensor([True, False]), torch.tensor(True)).tolist() == [True, True]
    assert torch.ones(2, 3).t().heaviside(torch.tensor(1.0)).stride() == (1, 3)
    y = torch.tensor([-1.0, 0.0])
    assert y.heaviside_(torch.tensor(2.0)) is y and y.tolist() == [0.0, 2.0]
    with raises(RuntimeError, "heaviside is not yet implemented for tensors with different dtypes."):
        torch.heaviside(torch.tensor([0.0]), torch.tensor([1]))
    with raises(TypeError, "heaviside(): argument 'values' (position 2) must be Tensor, not float"):
        torch.heaviside(torch.tensor([0.0]), 0.5)
    with raises(TypeError, "heaviside(): argument 'input' (position 1) must be Tensor, not float"):
        torch.heaviside(1.0, torch.tensor([0.0]))
    with raises(RuntimeError, "output with shape [1] doesn't match the broadcast shape [2]"):
        torch.tensor([1.0]).heaviside_(torch.tensor([1.0, 2.0]))
    x = torch.tensor([-1.0, 0.0], requires_grad=True)
    y = torch.heaviside(x, torch.tensor(0.5))
    assert y.requires_grad and repr(y.grad_fn).startswith("<NotImplemented object")
    with raises(RuntimeError, "derivative for aten::heaviside is not implemented"):
        y.sum().backward()


def test_node_names_and_edges_match_torch():
    x = torch.tensor([1.0, 2.0], requires_grad=True)

    def edges(t):
        return [(type(n).__name__ if n is not None else None, i) for n, i in t.grad_fn.next_functions]

    names = {
        "x*2": (x * 2, "MulBackward0", [("AccumulateGrad", 0), (None, 0)]),
        "2*x": (2 * x, "MulBackward0", [("AccumulateGrad", 0), (None, 0)]),
        "x+1": (x + 1, "AddBackward0", [("AccumulateGrad", 0), (None, 0)]),
        "1-x": (1 - x, "RsubBackward1", [("AccumulateGrad", 0)]),
        "2/x": (2 / x, "MulBackward0", [("ReciprocalBackward0", 0), (None, 0)]),
        "x/2": (x / 2, "DivBackward0", [("AccumulateGrad", 0), (None, 0)]),
        "x**2": (x ** 2, "PowBackward0", [("AccumulateGrad", 0)]),
        "2**x": (2 ** x, "PowBackward2", [("AccumulateGrad", 0)]),
        "x**x": (x ** x, "PowBackward1", [("AccumulateGrad", 0), ("AccumulateGrad", 0)]),
        "x%2": (x % 2, "RemainderBackward0", [("AccumulateGrad", 0)]),
        "3%x": (3 % x, "torch::autograd::NotImplemented", [("AccumulateGrad", 0)]),
        "x%x": (x % x, "RemainderBackward1", None), "fmod": (x.fmod(x), "FmodBackward1", None),
        "clamp_min tensor": (x.clamp_min(x), "ClampMinBackward1", None), "lerp": (x.lerp(x, x), "LerpBackward1", None),
        "div floor": (x.div(2, rounding_mode="floor"), "DivBackward2", [("AccumulateGrad", 0), (None, 0)]),
        "clamp": (x.clamp(0, 1), "ClampBackward1", [("AccumulateGrad", 0)]),
        "clamp tensor": (x.clamp(min=x), "ClampBackward0", None),
        "clamp_min": (x.clamp_min(1), "ClampMinBackward0", None),
        "square": (x.square(), "PowBackward0", None), "log1p": (x.log1p(), "Log1PBackward0", None),
        "neg": (-x, "NegBackward0", None), "where": (torch.where(x > 1, x, x), "WhereBackward0", None),
        "maximum": (x.maximum(x), "MaximumBackward0", None), "to": (x.double(), "ToCopyBackward0", None),
        "clone": (x.clone(), "CloneBackward0", None), "relu": (x.relu(), "ReluBackward0", None),
    }
    for key, (y, name, expected_edges) in names.items():
        assert y.grad_fn.name() == name, key
        if expected_edges is not None:
            assert edges(y) == expected_edges, key
    assert x.float() is x


# ---- errors ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make,kind,message", [
    (lambda: torch.tensor([True]) - torch.tensor([True]), RuntimeError,
     "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead."),
    (lambda: -torch.tensor([True]), RuntimeError,
     "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` "
     "or `logical_not()` operator instead."),
    (lambda: torch.tensor([True]).abs(), NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"),
    (lambda: torch.tensor([True]).floor(), NotImplementedError, "\"floor_vml_cpu\" not implemented for 'Bool'"),
    (lambda: torch.tensor([True]).ceil(), NotImplementedError, "\"ceil_vml_cpu\" not implemented for 'Bool'"),
    (lambda: torch.tensor([True]).round(), NotImplementedError, "\"round_vml_cpu\" not implemented for 'Bool'"),
    (lambda: torch.tensor([2, 7]).round(decimals=1), NotImplementedError, "\"round_cpu\" not implemented for 'Long'"),
    (lambda: torch.tensor([2, 7]).frac(), NotImplementedError, "\"frac_cpu\" not implemented for 'Long'"),
    (lambda: torch.tensor([1, 0]) // 0, RuntimeError, "ZeroDivisionError"),
    (lambda: torch.tensor([1, 0]) % 0, RuntimeError, "ZeroDivisionError"),
    (lambda: torch.tensor([1, 2]) // torch.tensor([0, 1]), RuntimeError, "ZeroDivisionError"),
    (lambda: torch.tensor([1, 2]) ** -1, RuntimeError, "Integers to negative integer powers are not allowed."),
    (lambda: torch.tensor([1.5]) & 1, NotImplementedError, "\"bitwise_and_cpu\" not implemented for 'Float'"),
    (lambda: ~torch.tensor([1.5]), TypeError, "~ (operator.invert) is only implemented on integer and Boolean-type tensors"),
    (lambda: torch.tensor([1, 2]).add(torch.tensor([1, 2]), alpha=0.5), RuntimeError,
     "For integral input tensors, argument alpha must not be a floating point number."),
    (lambda: torch.maximum(torch.tensor([1, 5]), 3), TypeError, "maximum(): argument 'other' (position 2) must be Tensor, not int"),
    (lambda: torch.logical_and(torch.tensor([1, 0]), 1), TypeError,
     "logical_and(): argument 'other' (position 2) must be Tensor, not int"),
    (lambda: torch.where(torch.tensor([1, 0]), torch.tensor([1, 2]), 0), RuntimeError,
     "where expected condition to be a boolean tensor, but got a tensor with dtype Long"),
    (lambda: torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([1, 2, 3])), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (lambda: torch.tensor([1.0]).clamp(), RuntimeError, "torch.clamp: At least one of 'min' or 'max' must not be None"),
    (lambda: torch.tensor([1.0, 5.0]).clamp(min=torch.tensor([1.0, 2.0, 3.0])), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (lambda: torch.tensor([1, 2], dtype=torch.int8).clamp(min=-200), RuntimeError,
     "value cannot be converted to type int8_t without overflow"),
    (lambda: torch.ones(2, 3) + torch.ones(3, 2), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"),
    (lambda: torch.tensor([1, 2]) == torch.tensor([1, 2, 3]), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (lambda: torch.tensor([1]).div(2, rounding_mode="x"), RuntimeError,
     "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'x'"),
])
def test_errors(make, kind, message):
    with raises(kind, message):
        make()


def test_bad_operands_are_type_errors():
    with pytest.raises(TypeError):
        torch.add(torch.ones(2), "a")
    with pytest.raises(TypeError):
        torch.mul(torch.ones(2), None)
    with pytest.raises(TypeError):
        torch.ones(2) * [1, 2]


def test_operators_leave_other_operands_to_python():
    # torch's operators return NotImplemented for anything but tensors, numbers and numpy values
    x = torch.ones(2)
    assert (x == None) is False and (x != None) is True and (x == [1.0, 1.0]) is False  # noqa: E711
    assert x.__add__("a") is NotImplemented and x.__radd__(None) is NotImplemented
    for op, symbol in [(lambda a, b: a + b, "+"), (lambda a, b: a - b, "-"), (lambda a, b: a // b, "//"),
                       (lambda a, b: a ** b, "** or pow()"), (lambda a, b: a & b, "&"), (lambda a, b: a @ b, "@")]:
        with raises(TypeError, f"unsupported operand type(s) for {symbol}: 'Tensor' and 'str'"):
            op(x, "a")
        with raises(TypeError, f"unsupported operand type(s) for {symbol}: 'NoneType' and 'Tensor'"):
            op(None, x)
    with raises(TypeError, "unsupported operand type(s) for +: 'Tensor' and 'tuple'"):
        x + (1, 2)
    with raises(TypeError, "unsupported operand type(s) for @: 'Tensor' and 'int'"):
        x @ 2
    with raises(TypeError, "'<' not supported between instances of 'Tensor' and 'NoneType'"):
        x < None  # noqa: B015
    y = x.clone()
    with raises(TypeError, "unsupported operand type(s) for +=: 'Tensor' and 'str'"):
        y += "a"
    assert (x + np.float32(1)).tolist() == [2.0, 2.0] and (x > np.int64(0)).tolist() == [True, True]
    assert (x + np.array([1.0, 2.0])).dtype is torch.float64 and (x + True).tolist() == [2.0, 2.0]


@pytest.mark.cuda
@pytest.mark.parametrize("name", list(UNARY) + list(BINARY))
def test_cuda_matches_cpu(name):
    """Every elementwise op gives the CPU's values (and dtype, layout, gradient) on the GPU."""
    rng = np.random.default_rng(0)
    low, high = UNARY[name][1:] if name in UNARY else BINARY[name][1]
    a = torch.from_numpy(rng.uniform(low, high, (4, 3))).t()  # transposed on purpose
    b = torch.from_numpy(rng.uniform(low, high, (4,)))
    args = (a,) if name in UNARY else (a, b)
    fn = getattr(torch, name)
    cpu = fn(*args)
    gpu_args = [x.cuda().requires_grad_() for x in args]
    gpu = fn(*gpu_args)
    assert gpu.is_cuda and gpu.dtype is cpu.dtype and gpu.stride() == cpu.stride()
    np.testing.assert_allclose(gpu.cpu().detach().numpy(), cpu.numpy(), rtol=1e-12, atol=1e-14)
    if name not in ("floor_divide",):
        gpu.sum().backward()
        assert all(x.grad.is_cuda and x.grad.shape == x.shape for x in gpu_args)


@pytest.mark.cuda
def test_cuda_integer_and_mixed_ops():
    x = torch.tensor([[1, -2], [3, 4]], device="cuda")
    assert (x // 2).tolist() == [[0, -1], [1, 2]] and (x % 3).tolist() == [[1, 1], [0, 1]]
    assert (x / 2).dtype is torch.float32 and (x * 2.5).tolist() == [[2.5, -5.0], [7.5, 10.0]]
    assert (x > 1).dtype is torch.bool and torch.where(x > 1, x, 0).tolist() == [[0, 0], [3, 4]]
    assert (x + torch.tensor(1)).is_cuda and x.clamp(0, 3).tolist() == [[1, 0], [3, 3]]
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        x // 0
    assert (torch.tensor([1, 2], dtype=torch.uint8, device="cuda") + 300).tolist() == [45, 46]


def test_lerp_saves_input_and_end_only_for_the_weights_gradient():
    """As torch: ``x.lerp_(x, 0.25)`` after ``x.sin_()`` backpropagates (nothing it reads changed)."""
    leaf = torch.tensor([[0.5], [-1.0]], requires_grad=True)
    x = leaf * 1
    x.sin_().lerp_(x, 0.25).sum().backward()
    assert torch.allclose(leaf.grad, leaf.detach().cos())
    w = torch.tensor(0.25, requires_grad=True)
    x = leaf * 1
    y = x.lerp(torch.ones(2, 1), w)
    x.add_(1)  # read by the weight's gradient: torch's error
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_float16_math_is_computed_in_float32_and_rounded_once():
    """torch's CPU kernels compute float16 in float32 ("opmath"); numpy would round after every
    step of a formula. Expected values printed by torch 2.13. (Not rsqrt: torch's scalar loop, which
    short tensors take, rounds its sqrt to float16 first; its vectorized loop agrees with this.)"""
    x = torch.tensor([-2.83, -2.94, -1.42, 0.5, 3.3], dtype=torch.float16, requires_grad=True)
    assert x.sigmoid().tolist() == [0.05572509765625, 0.05023193359375, 0.1947021484375, 0.62255859375, 0.96435546875]
    assert F.silu(x).tolist() == [-0.15771484375, -0.147705078125, -0.2763671875, 0.311279296875, 3.18359375]
    assert F.logsigmoid(x).tolist() == [-2.88671875, -2.990234375, -1.63671875, -0.47412109375, -0.03619384765625]
    assert F.hardswish(x).tolist() == [-0.08013916015625, -0.0296630859375, -0.3740234375, 0.291748046875,
                                       3.30078125]
    x.sigmoid().sum().backward()
    assert x.grad.tolist() == [0.0526123046875, 0.047698974609375, 0.15673828125, 0.2349853515625, 0.03436279296875]
    (create_graph,) = torch.autograd.grad(x.sigmoid().sum(), x, create_graph=True)
    assert create_graph.tolist() == x.grad.tolist()  # the tensor-op path computes in float32 too


def test_mixed_precision_addcmul_addcdiv_and_float16_softmax_compute_like_torch():
    """In the promoted dtype from the start (float16 factors of a float32 input are not rounded to
    float16 first); float16 softmax in float32. Values printed by torch 2.13."""
    a = torch.tensor([0.23, 1.36])
    h, h2 = torch.tensor([-2.62, 0.8]).half(), torch.tensor([0.3, 1.7]).half()
    assert a.clone().addcmul_(h, h, value=0.5).tolist() == [3.6599488258361816, 1.679843783378601]
    assert torch.addcdiv(a, h, h2, value=0.5).tolist() == [-4.134523868560791, 1.5952095985412598]
    assert torch.tensor([[1.5, -2.25, 0.75]]).half().softmax(1).tolist() == [[0.66845703125, 0.015716552734375,
                                                                           0.315673828125]]


def test_remainder_gradient_uses_floor_division_as_torch():
    """d(a % b)/db = -(a // b) by floor division's own rule: 3 / -0.02 rounds to -150 in float32,
    but 3 // -0.02f is -151 (torch 2.13 gives 151 below; floor(a / b) gave 150)."""
    b = torch.tensor([-0.02, -2.2, 0.06], requires_grad=True)
    (torch.tensor([3, 1, -2]) % b).sum().backward()
    assert b.grad.tolist() == [151.0, 1.0, 34.0]


def test_ops_with_a_constant_derivative_save_nothing():
    """neg and frac: the gradient needs neither x nor y, so an in-place change of x before backward
    is fine (torch saves nothing), and float16 takes the same path (it crashed for neg)."""
    x = torch.tensor([1.0, 2.0], dtype=torch.float16, requires_grad=True)
    (-x).sum().backward()
    assert x.grad.tolist() == [-1.0, -1.0] and x.grad.dtype == torch.float16
    v = torch.tensor([0.99, 0.46, -2.33], requires_grad=True)
    w = v * 1
    y = w.frac()
    w.clamp_(-1, 1)  # frac saved nothing: no "modified by an inplace operation" error
    y.sum().backward()
    assert v.grad.tolist() == [1.0, 1.0, 1.0]


def test_addcmul_rounds_as_torchs_kernel():
    """float32: one rounding after the last multiply-add (torch's FMA); float16: computed in float32
    and rounded once. Bit-equal to torch 2.13 on these values (plain float32 arithmetic was not)."""
    a = torch.tensor([-1.0594, 2.9137, 0.4873], dtype=torch.float32)
    b = torch.tensor([1.2207, -0.3333, 2.7183], dtype=torch.float32)
    c = torch.tensor([0.7071, 1.4142, -3.1416], dtype=torch.float32)
    exact = a.double() + (b * 0.3).double() * c.double()
    assert torch.equal(torch.addcmul(a, b, c, value=0.3), exact.float())
    half = [t.half() for t in (a, b, c)]
    expected = (half[0].float() + 0.3 * half[1].float() * half[2].float()).half()
    assert torch.equal(torch.addcmul(*half, value=0.3), expected)
    assert torch.equal(half[0].clone().addcmul_(half[1], half[2], value=0.3), expected)


def test_number_to_a_tensor_power_is_row_major_as_torch():
    """torch's pow(Scalar, Tensor) kernel allocates its result row-major; tensor ** number keeps the layout."""
    y = torch.ones(3, 4).t()
    assert (3 ** y).stride() == (3, 1) and torch.pow(2.5, y).stride() == (3, 1)
    assert (y ** 3).stride() == (1, 4)
