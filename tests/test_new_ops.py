"""dist, renorm, logcumsumexp and the bit shifts (``<<``, ``>>``), as torch 2.13 gives them.

Values are compared with numpy formulas on random shapes and layouts (hypothesis); gradients with
finite differences (gradcheck / gradgradcheck, float64, broadcast and non-contiguous inputs).
Expected messages, NaN patterns and float16 values were printed by PyTorch 2.13 (CPU) and are
written out: torch is needed only by the two tests marked ``parity`` at the end, which run the
same cases and bad inputs under torch.
"""

import math
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
from minitorch.autograd import gradgradcheck
from minitorch.ops.pointwise import shift_past_width

from _helpers import check_grads, layout, layouts, leaf

SETTINGS = settings(max_examples=25, deadline=None)
inf, nan = math.inf, math.nan


@st.composite
def float_arrays(draw, min_dims=1):
    """A float64 array of a random shape (small values, exact zeros possible) and a layout."""
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, max_side=4))
    elements = st.one_of(st.just(0.0), st.floats(-5, 5, allow_nan=False, width=64))
    return draw(hnp.arrays(np.float64, shape, elements=elements)), draw(layouts)


def values(t):
    return np.asarray(t.tolist(), dtype=np.float64)


# ---- dist ------------------------------------------------------------------------------------------


def np_dist(a, b, p):
    d = np.abs(a - b).ravel()
    if p == 0:
        return float((d != 0).sum())
    if math.isinf(p):
        return d.max() if p > 0 else d.min()
    return (d ** p).sum() ** (1 / p)


FLOATS = st.sampled_from([(np.float64, 1e-12), (np.float32, 1e-5)])  # a dtype and the tolerance its results get


@SETTINGS
@given(pair=float_arrays(min_dims=2), p=st.sampled_from([2, 1, 0, 3, 0.5, 1.5, inf, -inf]), row=st.booleans(),
       dtype=FLOATS)
def test_dist_matches_numpy(pair, p, row, dtype):
    """``other`` is a broadcast row (or the same shape), ``input`` in any layout."""
    (a, kind), (dtype, tol) = pair, dtype
    a = a.astype(dtype)
    b = (np.linspace(-2, 2, a.shape[-1]) if row else a[::-1].copy() + 0.5).astype(dtype)
    out = torch.dist(layout(a, kind), torch.tensor(b), p)
    assert out.shape == () and out.dtype is torch.tensor(a).dtype and out.grad_fn is None
    assert out.item() == pytest.approx(np_dist(a.astype(np.float64), b.astype(np.float64), p), rel=tol, abs=tol)


@pytest.mark.parametrize("p", [2, 1, 3, 1.5, inf, -inf])
@pytest.mark.parametrize("kind", ["contiguous", "permuted", "strided"])
def test_dist_gradients(p, kind):
    a = leaf(np.array([[0.3, -1.2, 2.0], [1.1, 0.4, -0.7]]), kind)
    b = leaf(np.array([0.9, 0.5, -1.6]))  # broadcast over a's rows
    check_grads(lambda x, y: torch.dist(x, y, p), a, b, second_order=p in (2, 3, 1.5))


def test_dist_gradient_where_input_equals_other_is_zero_as_torch():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = torch.tensor([1., 0., 5.], requires_grad=True)
    for p, gx in [(2, [0., 0.70710677, -0.70710677]), (1, [0., 1., -1.]), (inf, [0., .5, -.5]), (-inf, [0., 0., 0.])]:
        x.grad = y.grad = None
        out = torch.dist(x, y, p)
        out.backward()
        assert out.grad_fn.name() == "DistBackward0"
        assert x.grad.tolist() == pytest.approx(gx) and y.grad.tolist() == pytest.approx([-g for g in gx])
    a, b = torch.tensor([1., 2.], requires_grad=True), torch.tensor([1., 2.], requires_grad=True)
    for p in (2, 1):  # all equal: a zero norm, and zero gradients (not NaN)
        a.grad = b.grad = None
        torch.dist(a, b, p).backward()
        assert a.grad.tolist() == [0., 0.] and b.grad.tolist() == [0., 0.]


def test_dist_p0_counts_differences_and_has_no_gradient():
    x, y = torch.tensor([1., 2., 3.], requires_grad=True), torch.tensor([1., 0., 5.])
    out = torch.dist(x, y, 0)
    assert out.item() == 2.0
    out.backward()
    assert x.grad is None  # as torch: a count has no gradient
    y.requires_grad_()
    with pytest.raises(RuntimeError, match=r"^Expected a proper Tensor but got None \(or an undefined Tensor in C\+\+\) "
                                           r"for argument #0 'self'$"):
        torch.dist(x, y, 0).backward()  # torch's DistBackward0 negates the missing gradient for ``other``


def test_dist_dtypes_and_arguments():
    half, single = torch.tensor([300., 200.], dtype=torch.float16), torch.tensor([1., 3.])
    assert torch.dist(half, torch.zeros(1, dtype=torch.float16)).item() == 360.5  # summed in float32, as torch
    assert torch.dist(half, single).dtype is torch.float32
    assert torch.dist(torch.tensor([1, 2]), single).dtype is torch.float32
    assert torch.dist(single, torch.tensor(3.), p=torch.tensor(2.)).item() == pytest.approx(2.0)  # a 0-d p
    assert torch.dist(single, torch.tensor(3.), True).item() == 2.0  # True is p=1
    assert torch.dist(torch.tensor([1e30, 2.]), torch.tensor(3.)).item() == inf
    assert torch.dist(torch.zeros(0), torch.zeros(0)).item() == 0.0
    assert single.dist(torch.tensor([1., 1.]), 1).item() == 2.0


# ---- renorm --------------------------------------------------------------------------------------------


def np_renorm(a, p, dim, maxnorm):
    dims = tuple(d for d in range(a.ndim) if d != dim)
    if math.isinf(p):
        norm = np.abs(a).max(axis=dims, keepdims=True)
    else:
        norm = (np.abs(a) ** p).sum(axis=dims, keepdims=True) ** (1 / p)
    return a * np.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0)


@SETTINGS
@given(pair=float_arrays(min_dims=2), p=st.sampled_from([2, 1, 3, 0.5, inf]), maxnorm=st.sampled_from([0, 0.5, 2.0]),
       dtype=FLOATS, data=st.data())
def test_renorm_matches_numpy(pair, p, maxnorm, dtype, data):
    (a, kind), (dtype, tol) = pair, dtype
    dim = data.draw(st.integers(-a.ndim, a.ndim - 1))
    out = torch.renorm(layout(a.astype(dtype), kind), p, dim, maxnorm)
    assert out.shape == a.shape and out.dtype is torch.tensor(a.astype(dtype)).dtype
    assert out.is_contiguous()  # row-major whatever the input's layout, as torch
    np.testing.assert_allclose(values(out), np_renorm(a.astype(dtype).astype(np.float64), p, dim % a.ndim, maxnorm),
                               rtol=tol, atol=tol)


@pytest.mark.parametrize("p", [2, 1, 3, inf])
@pytest.mark.parametrize("kind", ["contiguous", "permuted", "strided"])
def test_renorm_gradients(p, kind):
    x = leaf(np.array([[3.0, -4.0, 0.5], [0.1, 0.2, -0.3], [-2.0, 1.5, 2.5]]), kind)
    check_grads(lambda t: torch.renorm(t, p, 0, 1.0), x, second_order=p in (2, 3))
    check_grads(lambda t: t.renorm(p, 1, 2.0), x, second_order=False)


def test_renorm_values_as_torch():
    x = torch.tensor([[3., 4.], [0.3, 0.4], [6., 8.]], dtype=torch.float64)
    assert torch.renorm(x, 2, 0, 1.0)[0].tolist() == [3 * (1 / (5 + 1e-7)), 4 * (1 / (5 + 1e-7))]  # torch's epsilon
    assert torch.renorm(x, 2, 0, 5.0)[0].tolist() == [3., 4.]  # a norm equal to maxnorm is left alone
    assert torch.renorm(x, 2, 0, 0).abs().sum().item() == 0.0
    assert torch.renorm(torch.tensor([[3., 4.]]), 2, 0, 4.9999999).tolist() == [[3., 4.]]  # maxnorm in float32: 5.0
    half = torch.renorm(torch.tensor([[3., 4.]], dtype=torch.float16), 2, 0, 2.0)  # factor rounded to float16
    assert half.dtype is torch.float16 and half.tolist() == [[1.19921875, 1.599609375]]
    out = torch.renorm(torch.tensor([[3., nan], [3., inf]]), 2, 0, 1.)
    assert str(out.tolist()) == "[[3.0, nan], [0.0, nan]]"  # a NaN norm is not > maxnorm; an inf one scales to 0
    assert torch.ones(2, 3, 4).permute(2, 0, 1).renorm(2, 1, 1.).stride() == (6, 3, 1)
    assert torch.renorm(torch.zeros(0, 3), 2, 1, 1.).shape == (0, 3)
    assert torch.renorm(x, np.float64(2), np.int64(0), np.float32(1.0)).tolist() == torch.renorm(x, 2, 0, 1.).tolist()


def test_renorm_in_place():
    x = torch.tensor([[3., 4.], [1., 0.]])
    assert x.renorm_(2, 0, 1.) is x
    np.testing.assert_allclose(values(x), [[0.6, 0.8], [1., 0.]], rtol=1e-6)
    w = torch.tensor([[3., 4.], [1., 0.]], requires_grad=True)
    y = w * 1
    y.renorm_(2, 0, 1.)
    assert y.grad_fn.name() == "RenormBackward0"
    y.sum().backward()
    np.testing.assert_allclose(values(w.grad), [[0.032, -0.024], [1., 1.]], rtol=1e-5)  # torch's values
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor refers to a single"):
        torch.tensor([[3., 4.]]).expand(3, 2).renorm_(2, 0, 1.)


# ---- logcumsumexp -----------------------------------------------------------------------------------


@SETTINGS
@given(pair=float_arrays(), dtype=FLOATS, data=st.data())
def test_logcumsumexp_matches_numpy(pair, dtype, data):
    (a, kind), (dtype, tol) = pair, dtype
    a = a.astype(dtype)
    dim = data.draw(st.integers(-a.ndim, a.ndim - 1))
    out = torch.logcumsumexp(layout(a, kind), dim)
    assert out.shape == a.shape and out.dtype is torch.tensor(a).dtype and out.is_contiguous()
    expected = np.log(np.cumsum(np.exp(a.astype(np.float64)), axis=dim))
    np.testing.assert_allclose(values(out), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("kind", ["contiguous", "permuted", "strided"])
def test_logcumsumexp_gradients(kind):
    x = leaf(np.array([[0.3, -1.2, 2.0, 0.0], [1.1, 0.4, -0.7, 3.0], [-2.0, 1.5, 2.5, -0.1]]), kind)
    check_grads(lambda t: t.logcumsumexp(1), x)
    check_grads(lambda t: torch.logcumsumexp(t, 0), x)
    s = torch.tensor(2., requires_grad=True)  # a 0-d tensor: out = x
    s.logcumsumexp(0).backward()
    assert s.grad.item() == 1.0


def test_logcumsumexp_is_stable_and_handles_infinities_as_torch():
    assert torch.tensor([1000., 1000., -1000.], dtype=torch.float64).logcumsumexp(0).tolist() == [
        1000.0, 1000.6931471805599, 1000.6931471805599]
    cases = [  # input, its logcumsumexp, the gradient for grad [1, -2, 0.5] (torch's NaNs included)
        ([-inf, -inf, 1.], [-inf, -inf, 1.], [nan, nan, 0.49999999999999994]),
        ([-inf, 0., -inf], [-inf, 0., 0.], [nan, -1.5, 0.]),
        ([inf, 1., -inf], [inf, inf, inf], [nan, 0., 0.]),
        ([1., nan, 2.], [1., nan, nan], [nan, nan, nan]),
    ]
    for given_, expected, grad in cases:
        x = torch.tensor(given_, dtype=torch.float64, requires_grad=True)
        out = x.logcumsumexp(0)
        out.backward(torch.tensor([1., -2., .5], dtype=torch.float64))
        assert str(out.tolist()) == str(expected) and str(x.grad.tolist()) == str(grad)
    x = torch.tensor([-1e308, -1e308, 3.], dtype=torch.float64, requires_grad=True)
    x.logcumsumexp(0).backward(torch.tensor([0., 1., 0.], dtype=torch.float64))
    assert x.grad.tolist() == [1., 1., 0.]  # a zero grad counts as the lowest float, not -inf


def test_logcumsumexp_dtypes_and_layouts():
    assert torch.tensor([1.1, 2.3, 0.7], dtype=torch.float16).logcumsumexp(0).tolist() == [
        1.099609375, 2.564453125, 2.70703125]  # torch's float16 values
    assert torch.tensor([60000., 60000.], dtype=torch.float16).logcumsumexp(0).tolist() == [60000., 60000.]
    assert torch.tensor(2.).logcumsumexp(-1).item() == 2.0
    assert torch.zeros(0, 3).logcumsumexp(0).shape == (0, 3)
    assert torch.ones(2, 3).t().logcumsumexp(0).stride() == (2, 1)
    assert torch.ones(2, 3, 4).permute(2, 0, 1).logcumsumexp(1).stride() == (6, 3, 1)
    assert torch.logcumsumexp(torch.ones(2, 3), 1).grad_fn is None
    x = torch.ones(2, 3, requires_grad=True)
    assert x.logcumsumexp(1).grad_fn.name() == "LogcumsumexpBackward0"


# ---- bit shifts ---------------------------------------------------------------------------------------

INTS = [np.int8, np.uint8, np.int16, np.int32, np.int64]


def shift_reference(a, b, dtype, left):
    """torch's CPU kernel, element by element in python ints."""
    bits, signed = np.iinfo(dtype).bits, np.iinfo(dtype).min < 0
    out = []
    for x, s in zip(a.ravel().tolist(), b.ravel().tolist()):
        if not 0 <= s < bits:
            out.append(0 if left or x >= 0 or not signed else -1)
        else:
            v = (x << s if left else x >> s) % 2 ** bits  # the bits that fit, as C keeps them
            out.append(v - 2 ** bits if signed and v >= 2 ** (bits - 1) else v)
    return np.array(out, dtype=dtype).reshape(a.shape)


@SETTINGS
@given(dtype=st.sampled_from(INTS), left=st.booleans(), kind=layouts, data=st.data())
def test_shifts_match_reference(dtype, left, kind, data):
    info = np.iinfo(dtype)
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
    a = data.draw(hnp.arrays(dtype, shape, elements=st.integers(int(info.min), int(info.max))))
    low = 0 if info.min == 0 else -3
    b = data.draw(hnp.arrays(dtype, shape, elements=st.integers(low, min(int(info.max), 2 * info.bits + 3))))
    op = torch.bitwise_left_shift if left else torch.bitwise_right_shift
    out = op(layout(a, kind), layout(b, "contiguous"))
    assert out.dtype is torch.tensor(a).dtype and out.grad_fn is None
    expected = shift_reference(a, b, dtype, left)
    np.testing.assert_array_equal(out.numpy(), expected)
    # the formulation for backends whose kernels leave these shifts undefined (CuPy), run on numpy
    np.testing.assert_array_equal(shift_past_width(np, left, a, b, np.iinfo(dtype).bits), expected)


def test_shift_promotion_with_python_ints_and_mixed_dtypes():
    i8 = torch.tensor([1, -5, 100], dtype=torch.int8)
    assert (i8 << 1).tolist() == [2, -10, -56] and (i8 << 1).dtype is torch.int8
    assert (i8 << 200).tolist() == [0, 0, 0]  # 200 is -56 as an int8: a negative shift
    assert (i8 << 2 ** 40).tolist() == [1, -5, 100]  # 2**40 wraps to 0
    assert (i8 >> -1).tolist() == [0, -1, 0] and (i8 >> 8).tolist() == [0, -1, 0]
    assert (1 << i8).tolist() == [2, 0, 0] and (300 << i8).tolist() == [88, 0, 0]
    u8 = torch.tensor([1, 5, 200], dtype=torch.uint8)
    assert (-1 >> u8).tolist() == [127, 7, 0] and (-1 >> u8).dtype is torch.uint8
    assert (u8 << i8).dtype is torch.int16 and (u8 << i8).tolist() == [2, 0, 0]
    assert (i8 << torch.tensor([3])).tolist() == [8, -40, 800]  # int64 wins
    assert (i8 << torch.tensor(3)).dtype is torch.int8  # a 0-d tensor does not
    assert (torch.tensor(-5) >> torch.tensor(70)).item() == -1 and (torch.tensor(5) << torch.tensor(-1)).item() == 0
    assert (torch.tensor([True, False]) << 1).tolist() == [2, 0]
    assert torch.bitwise_left_shift(2, torch.tensor([1, 2])).tolist() == [4, 8]
    assert torch.tensor([1, 2]).__rrshift__(64).tolist() == [32, 16]
    assert (torch.tensor([[1], [2]]) << torch.tensor([0, 1, 2])).tolist() == [[1, 2, 4], [2, 4, 8]]
    assert (torch.ones(2, 3, dtype=torch.int64).t() << 1).stride() == (1, 3)
    assert (torch.tensor([1, 2]) << np.int64(3)).tolist() == [8, 16]
    out = torch.empty(2, dtype=torch.int8)
    assert torch.bitwise_left_shift(torch.tensor([1, 2]), 1, out=out) is out and out.tolist() == [2, 4]


def test_shifts_in_place():
    x = torch.tensor([1, -5, 100], dtype=torch.int8)
    y = x
    y <<= torch.tensor([1, 2, 3])
    assert y is x and x.tolist() == [2, -20, 32] and x.dtype is torch.int8
    assert x.bitwise_right_shift_(10) is x and x.tolist() == [0, -1, 0]
    x.__irshift__(1)
    assert x.bitwise_left_shift_(torch.tensor(1, dtype=torch.uint8)).tolist() == [0, -2, 0]


SHIFT_ERRORS = [
    (lambda: torch.tensor([1.]) << 1, NotImplementedError, "\"lshift_cpu\" not implemented for 'Float'"),
    (lambda: torch.tensor([1.]) >> 1, NotImplementedError, "\"rshift_cpu\" not implemented for 'Float'"),
    (lambda: torch.tensor([1]) >> 0.5, NotImplementedError, "\"rshift_cpu\" not implemented for 'Float'"),
    (lambda: 2.0 << torch.tensor([1]), NotImplementedError, "\"lshift_cpu\" not implemented for 'Float'"),
    (lambda: torch.tensor([1.], dtype=torch.float16) << 1, NotImplementedError,
     "\"lshift_cpu\" not implemented for 'Half'"),
    (lambda: torch.tensor([True]) << torch.tensor([True]), NotImplementedError,
     "\"lshift_cpu\" not implemented for 'Bool'"),
    (lambda: torch.tensor([True]) >> True, NotImplementedError, "\"rshift_cpu\" not implemented for 'Bool'"),
    (lambda: torch.tensor([1, 2]) << torch.tensor([0, 1, 2]), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (lambda: torch.bitwise_left_shift(2, 3), TypeError, "bitwise_left_shift() received an invalid combination of "
     "arguments - got (int, int), but expected one of:"),
    (lambda: torch.bitwise_right_shift(torch.tensor([1]), None), TypeError,
     "bitwise_right_shift() received an invalid combination of arguments - got (Tensor, NoneType)"),
    (lambda: torch.tensor([1]) << "a", TypeError, "unsupported operand type(s) for <<: 'Tensor' and 'str'"),
    (lambda: torch.tensor([1]) << 2 ** 64, OverflowError, "int too big to convert"),
    # in place, torch checks that the promoted dtype fits before its kernel refuses it
    (lambda: torch.tensor([1], dtype=torch.int8).__irshift__(1.5), RuntimeError,
     "result type Float can't be cast to the desired output type Char"),
    (lambda: torch.tensor([True]).bitwise_left_shift_(1), RuntimeError,
     "result type Long can't be cast to the desired output type Bool"),
    (lambda: torch.tensor([1.]).__ilshift__(1), NotImplementedError, "\"lshift_cpu\" not implemented for 'Float'"),
    (lambda: torch.tensor([1]).__ilshift__(torch.tensor([1, 2])), RuntimeError,
     "output with shape [1] doesn't match the broadcast shape [2]"),
]

# ---- errors of dist, renorm and logcumsumexp (torch's types and messages) -----------------------------

X = torch.ones(2, 2)
ERRORS = SHIFT_ERRORS + [
    (lambda: torch.dist(torch.tensor([1, 2]), torch.tensor([1, 3])), RuntimeError,
     "norm(): input dtype should be either floating point or complex. Got Long instead."),
    (lambda: torch.dist(torch.tensor([True]), torch.tensor([False])), RuntimeError,
     "Subtraction, the `-` operator, with two bool tensors is not supported."),
    (lambda: torch.dist(torch.tensor([1., 2.]), torch.tensor([1., 3., 4.])), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (lambda: torch.dist(torch.tensor([1.]), 3), TypeError, "dist(): argument 'other' (position 2) must be Tensor, not int"),
    (lambda: torch.dist(1, torch.tensor([1.])), TypeError, "dist(): argument 'input' (position 1) must be Tensor, not int"),
    (lambda: torch.dist(X, X, "fro"), TypeError, "dist(): argument 'p' (position 3) must be Number, not str"),
    (lambda: torch.dist(X, X, None), TypeError, "dist(): argument 'p' (position 3) must be Number, not NoneType"),
    (lambda: torch.dist(X, X, torch.ones(2)), TypeError, "dist(): argument 'p' (position 3) must be Number, not Tensor"),
    (lambda: torch.dist(X, X, 2 ** 70), OverflowError, "int too big to convert"),
    (lambda: torch.dist(torch.zeros(0), torch.zeros(0), inf), RuntimeError, "linalg.vector_norm cannot compute the "
     "inf norm on an empty tensor because the operation does not have an identity"),
    (lambda: torch.dist(torch.zeros(0), torch.zeros(0), -1), RuntimeError,
     "linalg.vector_norm cannot compute the -1 norm on an empty tensor"),
    (lambda: torch.renorm(X, 0, 0, 1.), RuntimeError, "renorm: non-positive-norm not supported"),
    (lambda: torch.renorm(X, -1, 0, 1.), RuntimeError, "renorm: non-positive-norm not supported"),
    (lambda: torch.renorm(X, nan, 0, 1.), RuntimeError, "renorm: non-positive-norm not supported"),
    (lambda: torch.renorm(X, 2, 0, -2.0), RuntimeError, "renorm: expected maxnorm to be >= 0 but got -2"),
    (lambda: torch.renorm(X, 2, 0, -0.5), RuntimeError, "renorm: expected maxnorm to be >= 0 but got -0.5"),
    (lambda: torch.renorm(X, 2, 0, nan), RuntimeError, "renorm: expected maxnorm to be >= 0 but got nan"),
    (lambda: torch.renorm(torch.ones(3), 2, 0, 1.), RuntimeError, "renorm: input needs at least 2 dimensions, got 1 "
     "dimensions"),
    (lambda: torch.renorm(X, 2, 2, 1.), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but "
     "got 2)"),
    (lambda: torch.renorm(X, 2, 1.0, 1.), TypeError, "renorm(): argument 'dim' (position 3) must be int, not float"),
    (lambda: torch.renorm(X, "fro", 1, 1.), TypeError, "renorm(): argument 'p' (position 2) must be Number, not str"),
    (lambda: torch.renorm(torch.ones(2, 2, dtype=torch.int64), 2, 0, 1.), RuntimeError,
     "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
    (lambda: torch.renorm(torch.zeros(0, 3), inf, 1, 1.), RuntimeError, "linalg.vector_norm cannot compute the inf "
     "norm on the dimension 0because this dimension is empty and the operation does not have an identity"),
    (lambda: torch.logcumsumexp(torch.tensor([1, 2]), 0), NotImplementedError,
     "\"logcumsumexp_out_cpu\" not implemented for 'Long'"),
    (lambda: torch.tensor([True]).logcumsumexp(0), NotImplementedError,
     "\"logcumsumexp_out_cpu\" not implemented for 'Bool'"),
    (lambda: torch.logcumsumexp(torch.tensor([1., 2.]), 1), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    (lambda: torch.logcumsumexp(X, dim=(0,)), TypeError, "logcumsumexp(): argument 'dim' must be int, not tuple"),
    (lambda: X.logcumsumexp_, AttributeError, "logcumsumexp_"),  # torch has no in-place logcumsumexp
]


@pytest.mark.parametrize("fn, exc, message", ERRORS)
def test_errors(fn, exc, message):
    with pytest.raises(exc) as info:
        fn()
    assert message in str(info.value)


def test_shifts_are_not_differentiable_and_leave_the_target_on_error():
    x = torch.tensor([1, 2, 3])
    assert (x << 1).requires_grad is False and (x << 1).grad_fn is None
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        x <<= torch.tensor([1.5])
    assert x.tolist() == [1, 2, 3]


def test_second_derivatives():
    a = leaf(np.array([[0.3, -1.2], [1.1, 0.4]]), "permuted")
    assert gradgradcheck(lambda t: torch.dist(t, t.detach() * 0 + 0.5), (a,))
    assert gradgradcheck(lambda t: t.renorm(2, 1, 0.5), (a,))


# ---- parity with torch (needs the parity extra) -------------------------------------------------------

PARITY_CASES = {  # name: (function of (library, *tensors), input arrays)
    "dist_p2": (lambda L, x, y: L.dist(x, y), [np.arange(6.).reshape(2, 3) / 3, np.array([0.5, -1., 2.])]),
    "dist_p1_equal": (lambda L, x, y: L.dist(x, y, 1), [np.array([1., 2., 3.]), np.array([1., 0., 5.])]),
    "dist_p_frac": (lambda L, x, y: L.dist(x, y, 0.5), [np.array([[1., -2.], [0.5, 4.]]), np.array([0.3, 0.1])]),
    "dist_p_neg": (lambda L, x, y: L.dist(x, y, -2.5), [np.array([[1., -2.], [0.5, 4.]]), np.array([0.3, 0.1])]),
    "dist_inf": (lambda L, x, y: L.dist(x, y, math.inf), [np.array([1., -3., 3.]), np.array([0., 0., 0.])]),
    "renorm_2": (lambda L, x: L.renorm(x, 2, 0, 1.5), [np.array([[3., 4., 1.], [0.1, 0.2, 0.3], [-2., 1., 2.]])]),
    "renorm_1_t": (lambda L, x: x.t().renorm(1, 1, 2.), [np.array([[3., 4., 1.], [0.1, 0.2, 0.3]])]),
    "renorm_inf": (lambda L, x: L.renorm(x, math.inf, -1, 1.), [np.array([[3., 4.], [0.1, 0.2]])]),
    "renorm_f32": (lambda L, x: L.renorm(x.float(), 3, 1, 1.), [np.array([[3., 4., 1.], [0.1, 0.2, 0.3]])]),
    "lcse": (lambda L, x: L.logcumsumexp(x, 1), [np.array([[0.3, -1.2, 2.0], [1.1, 0.4, -0.7]])]),
    "lcse_t": (lambda L, x: x.t().logcumsumexp(0), [np.array([[0.3, -1.2, 2.0], [1.1, -inf, -0.7]])]),
    "lcse_big": (lambda L, x: L.logcumsumexp(x, 0), [np.array([1000., 1000., -inf, 1e4])]),
}


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(PARITY_CASES))
def test_agrees_with_torch(name):
    real = pytest.importorskip("torch")
    fn, arrays = PARITY_CASES[name]
    results = []
    for lib in (real, torch):
        inputs = [lib.tensor(a, requires_grad=True) for a in arrays]
        out = fn(lib, *inputs)
        out.backward(lib.ones_like(out) * 0.7)
        results.append((np.array(out.tolist()), str(out.dtype), tuple(out.shape), tuple(out.stride()),
                        out.grad_fn.name(), [np.array(t.grad.tolist()) for t in inputs]))
    (want, dtype, shape, stride, node, grads), (got, *ours, our_grads) = results
    assert ours == [dtype, shape, stride, node]
    np.testing.assert_allclose(got, want, rtol=1e-6 if dtype.endswith("32") else 1e-14, equal_nan=True)
    for g, w in zip(our_grads, grads):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-15, equal_nan=True)


@pytest.mark.parity
@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_agree_with_torch(index):
    """Each bad input above raises the same exception, with the same message, under torch."""
    real = pytest.importorskip("torch")
    fn, exc, message = ERRORS[index]
    under_torch = types.FunctionType(fn.__code__, dict(fn.__globals__, torch=real, X=real.ones(2, 2)))
    with pytest.raises(exc) as info:
        under_torch()
    assert message in str(info.value)


SHIFT_PARITY = [  # functions of the library: the same result (values, dtype, shape, strides) under both
    lambda L: L.tensor([1, -5, 100], dtype=L.int8) << L.tensor([-1, 7, 8], dtype=L.int8),
    lambda L: L.tensor([1, -5, 100], dtype=L.int8) >> L.tensor([-1, 7, 70]),
    lambda L: L.tensor([1, 5, 200], dtype=L.uint8) >> 300,
    lambda L: -1 >> L.tensor([1, 5, 200], dtype=L.uint8),
    lambda L: L.arange(-6, 6).reshape(3, 4).t() << L.tensor([[0], [1], [63], [64]]),
    lambda L: L.bitwise_right_shift(L.arange(-6, 6, dtype=L.int16).reshape(2, 6)[:, ::2], 15),
    lambda L: L.tensor([True, False]) << L.tensor([1, 2], dtype=L.uint8),
]


@pytest.mark.parity
@pytest.mark.parametrize("index", range(len(SHIFT_PARITY)))
def test_shifts_agree_with_torch(index):
    real = pytest.importorskip("torch")
    want, got = (SHIFT_PARITY[index](lib) for lib in (real, torch))
    assert (got.tolist(), str(got.dtype), tuple(got.shape), got.stride()) == (
        want.tolist(), str(want.dtype), tuple(want.shape), want.stride())


# ---- on a GPU (marked cuda: skipped without an NVIDIA GPU and CuPy) -------------------------------------------------

GPU_CASES = {
    "logcumsumexp": lambda x, dev: x.logcumsumexp(1),
    "dist": lambda x, dev: torch.dist(x, x.flip(0), 3),
    "renorm": lambda x, dev: x.renorm(2, 0, 1.5),
}


@pytest.mark.cuda
@pytest.mark.parametrize("name", list(GPU_CASES))
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_cuda_gives_the_cpu_values_and_gradients(name, dtype):
    """CuPy's ufuncs cannot accumulate logaddexp (the CUDA backend scans with a loop), and torch's
    CUDA kernels accumulate float32 in float32: values equal the CPU's to float32's rounding."""
    data = np.random.default_rng(3).standard_normal((4, 6)) * 3
    results = []
    for dev in ("cpu", "cuda"):
        x = torch.tensor(data, dtype=dtype, device=dev, requires_grad=True)
        out = GPU_CASES[name](x, dev)
        (out * out).sum().backward()
        results.append((out.detach().cpu().numpy(), x.grad.cpu().numpy()))
    tol = 1e-5 if dtype is torch.float32 else 1e-12
    for ours, cpu in zip(results[1], results[0]):
        np.testing.assert_allclose(ours, cpu, rtol=tol, atol=tol)


@pytest.mark.cuda
@pytest.mark.parametrize("dtype", [torch.int8, torch.uint8, torch.int32, torch.int64])
def test_cuda_shifts_past_the_width_equal_the_cpu(dtype):
    bits = 8 * torch.tensor([], dtype=dtype).element_size()
    a = torch.tensor([-128, -3, 0, 5, 100, 127] if dtype is not torch.uint8 else [0, 3, 5, 100, 200, 255], dtype=dtype)
    b = torch.tensor([-1, 0, 1, bits - 1, bits, bits + 3], dtype=dtype if dtype is not torch.uint8 else torch.int64)
    for op in (lambda x, y: x << y, lambda x, y: x >> y):
        assert op(a.cuda(), b.cuda()).cpu().tolist() == op(a, b).tolist()
