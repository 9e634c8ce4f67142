"""Tests for minitorch/ops/reduce.py: reductions, scans, sorting, softmax and return_types.

Values are compared with numpy on random shapes, dims and layouts (hypothesis); gradients
with finite differences (gradcheck, float64). Expected reprs and error messages were printed
by PyTorch 2.13 (CPU); torch itself is not needed to run these tests.
"""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
from minitorch.autograd import gradcheck, gradgradcheck

from _helpers import layout, layouts

SETTINGS = settings(max_examples=30, deadline=None)

# ---- inputs: random shapes, values and layouts ----------------------------------------------


@st.composite
def arrays(draw, dtype=np.float64, min_dims=1, max_dims=3, min_side=1, ties=False):
    """``(tensor, array)`` with equal values; ``ties`` draws small integers so values repeat."""
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=4))
    if ties or np.dtype(dtype).kind != "f":
        elements = st.integers(-3, 3) if np.dtype(dtype).kind != "b" else st.booleans()
    else:
        elements = st.floats(-10, 10, allow_nan=False, width=64)
    arr = draw(hnp.arrays(np.float64 if np.dtype(dtype).kind == "f" else np.int64, shape, elements=elements))
    arr = arr.astype(dtype)
    return layout(arr, draw(layouts)), arr


@st.composite
def with_dims(draw, **kwargs):
    """``(tensor, array, dims, keepdim)``: a random non-empty subset of dims to reduce."""
    t, arr = draw(arrays(**kwargs))
    dims = draw(st.lists(st.integers(0, arr.ndim - 1), min_size=1, max_size=arr.ndim, unique=True))
    dims = tuple(d - arr.ndim if draw(st.booleans()) else d for d in dims)  # negative dims too
    return t, arr, dims, draw(st.booleans())


@st.composite
def with_dim(draw, **kwargs):
    """``(tensor, array, dim, keepdim)`` for ops along one dim."""
    t, arr = draw(arrays(**kwargs))
    return t, arr, draw(st.integers(-arr.ndim, arr.ndim - 1)), draw(st.booleans())


def assert_close(t, expected, dtype=None):
    expected = np.asarray(expected)
    assert tuple(t.shape) == expected.shape
    if dtype is not None:
        assert t.dtype == dtype
    np.testing.assert_allclose(t.numpy(), expected, rtol=1e-10, atol=1e-10, equal_nan=True)


def rand(*shape, seed=0):
    torch.manual_seed(seed)
    return torch.randn(*shape, dtype=torch.float64)


def noncontig(*shape, seed=0):
    """A float64 leaf with distinct values and a transposed (non-contiguous) layout."""
    return rand(*reversed(shape), seed=seed).permute(*reversed(range(len(shape)))).requires_grad_()


def check_grad(fn, *inputs):
    """gradcheck, plus the gradient arriving with each input's shape."""
    assert gradcheck(fn, inputs)
    out = fn(*inputs)
    out = out if isinstance(out, torch.Tensor) else out[0]
    out.sum().backward()
    for x in inputs:
        assert x.grad.shape == x.shape
        x.grad = None


# ---- sum, mean, prod, nansum, amax, amin, logsumexp, var, std, norm: values vs numpy --------

def np_logsumexp(a, axis, keepdims):
    m = a.max(axis=axis, keepdims=True)
    out = np.log(np.exp(a - m).sum(axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


REDUCTIONS = {
    "sum": (lambda t, d, k: t.sum(d, keepdim=k), lambda a, d, k: a.sum(axis=d, keepdims=k)),
    "mean": (lambda t, d, k: t.mean(d, k), lambda a, d, k: a.mean(axis=d, keepdims=k)),
    "nansum": (lambda t, d, k: torch.nansum(t, d, k), lambda a, d, k: np.nansum(a, axis=d, keepdims=k)),
    "amax": (lambda t, d, k: t.amax(d, k), lambda a, d, k: a.max(axis=d, keepdims=k)),
    "amin": (lambda t, d, k: torch.amin(t, dim=d, keepdim=k), lambda a, d, k: a.min(axis=d, keepdims=k)),
    "logsumexp": (lambda t, d, k: t.logsumexp(d, k), np_logsumexp),
    "var": (lambda t, d, k: t.var(d, keepdim=k), lambda a, d, k: a.var(axis=d, ddof=1, keepdims=k)),
    "std_biased": (lambda t, d, k: t.std(d, False, k), lambda a, d, k: a.std(axis=d, keepdims=k)),
    "var_correction": (lambda t, d, k: torch.var(t, axis=d, correction=0, keepdim=k),
                       lambda a, d, k: a.var(axis=d, keepdims=k)),
    "norm2": (lambda t, d, k: t.norm(2, dim=d, keepdim=k),  # p="fro" (default) takes at most 2 dims
              lambda a, d, k: np.sqrt((a * a).sum(axis=d, keepdims=k))),
    "norm1": (lambda t, d, k: t.norm(1, d, k), lambda a, d, k: np.abs(a).sum(axis=d, keepdims=k)),
    "norm3": (lambda t, d, k: t.norm(3, d, k), lambda a, d, k: (np.abs(a) ** 3).sum(axis=d, keepdims=k) ** (1 / 3)),
    "norm_inf": (lambda t, d, k: t.norm(math.inf, d, k), lambda a, d, k: np.abs(a).max(axis=d, keepdims=k)),
    "norm_0": (lambda t, d, k: t.norm(0, d, k), lambda a, d, k: (a != 0).sum(axis=d, keepdims=k).astype(a.dtype)),
}


@SETTINGS
@given(case=with_dims(min_side=2), name=st.sampled_from(sorted(REDUCTIONS)))
def test_reductions_match_numpy(case, name):
    t, arr, dims, keepdim = case
    ours, theirs = REDUCTIONS[name]
    assert_close(ours(t, dims, keepdim), theirs(arr, dims, keepdim), torch.float64)


@SETTINGS
@given(pair=arrays(min_side=2), name=st.sampled_from(["sum", "mean", "amax", "amin", "var", "norm2"]))
def test_full_reductions_are_0d(pair, name):
    t, arr = pair
    assert_close(REDUCTIONS[name][0](t, None, False), REDUCTIONS[name][1](arr, None, False))


@SETTINGS
@given(case=with_dim(ties=True))
def test_prod_matches_numpy(case):
    t, arr, dim, keepdim = case
    assert_close(t.prod(dim, keepdim), arr.prod(axis=dim, keepdims=keepdim), torch.float64)
    assert_close(t.prod(), arr.prod(), torch.float64)


@SETTINGS
@given(pair=arrays(min_side=2))
def test_std_mean_and_var_mean_match_numpy(pair):
    t, arr = pair
    std, mean = torch.std_mean(t, dim=0, keepdim=True)
    assert_close(std, arr.std(axis=0, ddof=1, keepdims=True))
    assert_close(mean, arr.mean(axis=0, keepdims=True))
    var, mean = torch.var_mean(t, 0, unbiased=False)
    assert_close(var, arr.var(axis=0))
    assert_close(mean, arr.mean(axis=0))


@SETTINGS
@given(case=with_dim(min_side=1))
def test_nan_handling(case):
    t, arr, dim, _ = case
    arr = arr.copy()
    arr.reshape(-1)[0] = np.nan
    t = torch.tensor(arr)
    assert_close(t.nansum(dim), np.nansum(arr, axis=dim))
    assert_close(t.amax(dim), arr.max(axis=dim))  # NaN propagates, as in torch
    assert_close(t.sum(dim), arr.sum(axis=dim))


# ---- dtype rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [torch.bool, torch.uint8, torch.int8, torch.int32, torch.int64])
def test_integer_sums_and_products_are_int64(dtype):
    x = torch.tensor([[1, 0], [1, 1]]).to(dtype)
    for result in (x.sum(), x.sum(0), x.prod(), x.prod(1), x.cumsum(0), x.cumprod(1), x.nansum()):
        assert result.dtype == torch.int64
    assert x.sum(dtype=torch.int8).dtype == torch.int8
    assert x.cumsum(0, dtype=torch.float32).dtype == torch.float32


def test_dtype_arguments_and_float_results():
    x = torch.tensor([1.5, 2.5])
    assert x.sum(dtype=torch.int32).dtype == torch.int32
    assert x.prod(dtype=torch.float64).dtype == torch.float64
    assert x.half().sum().dtype == torch.float16
    assert torch.tensor([1, 2]).mean(dtype=torch.float64).item() == 1.5
    assert torch.tensor([1, 2]).logsumexp(0).dtype == torch.float32
    assert torch.tensor([1, 2]).softmax(0, dtype=torch.float64).dtype == torch.float64
    assert x.log_softmax(0, torch.float64).dtype == torch.float64
    assert x.norm(dtype=torch.float64).dtype == torch.float64
    i8 = torch.tensor([3, 1], dtype=torch.int8)
    assert i8.max().dtype == torch.int8 and i8.amax(0).dtype == torch.int8 and i8.sort().values.dtype == torch.int8
    assert i8.argmax().dtype == torch.int64 and i8.max(0).indices.dtype == torch.int64
    assert torch.tensor([1, 0, 2]).all().dtype == torch.bool
    u8 = torch.tensor([1, 0, 2], dtype=torch.uint8)
    assert repr(u8.all()) == "tensor(0, dtype=torch.uint8)" and repr(u8.any(0)) == "tensor(1, dtype=torch.uint8)"


# ---- max, min, argmax, argmin --------------------------------------------------------------------

@SETTINGS
@given(case=with_dim(ties=True))
def test_max_min_along_dim_match_numpy(case):
    t, arr, dim, keepdim = case
    values, indices = t.max(dim, keepdim)
    assert_close(values, arr.max(axis=dim, keepdims=keepdim))
    assert_close(indices, np.argmax(arr, axis=dim, keepdims=keepdim), torch.int64)  # first of ties
    result = torch.min(t, dim=dim, keepdim=keepdim)
    assert_close(result.values, arr.min(axis=dim, keepdims=keepdim))
    assert_close(result.indices, np.argmin(arr, axis=dim, keepdims=keepdim))
    assert_close(t.argmax(dim, keepdim), np.argmax(arr, axis=dim, keepdims=keepdim))
    assert_close(torch.argmin(t, axis=dim), np.argmin(arr, axis=dim))


@SETTINGS
@given(pair=arrays(ties=True))
def test_global_max_min_argmax(pair):
    t, arr = pair
    assert_close(t.max(), arr.max())
    assert_close(torch.min(t), arr.min())
    assert_close(t.argmax(), np.argmax(arr))
    assert_close(t.argmin(keepdim=True), np.argmin(arr).reshape((1,) * arr.ndim))


def test_max_of_two_tensors_is_maximum():
    a, b = torch.tensor([1., 5.]), torch.tensor([3., 2.])
    assert torch.max(a, b).tolist() == [3., 5.]
    assert a.min(b).tolist() == [1., 2.]
    assert torch.max(a, other=b).tolist() == [3., 5.]


def test_nan_wins_max_argmax_and_sorts_last():
    x = torch.tensor([1., math.nan, 3., math.nan])
    assert repr(x.max(0)) == "torch.return_types.max(\nvalues=tensor(nan),\nindices=tensor(1))"
    assert x.argmax().item() == 1 and x.argmin().item() == 1
    assert repr(x.topk(2)) == "torch.return_types.topk(\nvalues=tensor([nan, nan]),\nindices=tensor([1, 3]))"
    assert x.sort().indices.tolist() == [0, 2, 1, 3]
    assert x.sort(descending=True).indices.tolist() == [1, 3, 2, 0]
    assert repr(x.median(0)) == "torch.return_types.median(\nvalues=tensor(nan),\nindices=tensor(1))"
    assert math.isnan(x.median().item())


# ---- scans and softmax --------------------------------------------------------------------------

@SETTINGS
@given(case=with_dim(ties=True))
def test_cumsum_cumprod_match_numpy(case):
    t, arr, dim, _ = case
    assert_close(t.cumsum(dim), np.cumsum(arr, axis=dim), torch.float64)
    assert_close(torch.cumprod(t, dim=dim), np.cumprod(arr, axis=dim), torch.float64)


def np_softmax(a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@SETTINGS
@given(case=with_dim())
def test_softmax_log_softmax_match_numpy(case):
    t, arr, dim, _ = case
    assert_close(t.softmax(dim), np_softmax(arr, dim), torch.float64)
    assert_close(torch.log_softmax(t, dim), np.log(np_softmax(arr, dim)), torch.float64)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's log(0) warning; the result is torch's -inf
def test_stable_for_large_inputs():
    x = torch.tensor([1000., -1000.])
    assert x.logsumexp(0).item() == 1000.
    assert x.softmax(0).tolist() == [1., 0.]
    assert x.log_softmax(0).tolist() == [0., -2000.]
    assert torch.tensor([1000., 1000.]).logsumexp(0).item() == pytest.approx(1000 + math.log(2))
    assert torch.tensor([-math.inf, -math.inf]).logsumexp(0).item() == -math.inf
    assert torch.tensor([math.inf, 1.]).logsumexp(0).item() == math.inf
    assert torch.zeros(0, 3).logsumexp(0).tolist() == [-math.inf] * 3


def test_inplace_scans():
    x = torch.tensor([1., 2., 3.])
    assert x.cumsum_(0) is x and x.tolist() == [1., 3., 6.]
    assert x.cumprod_(0).tolist() == [1., 3., 18.]


# ---- sort, argsort, topk, kthvalue, median, unique ---------------------------------------------

@SETTINGS
@given(case=with_dim(ties=True), descending=st.booleans())
def test_sort_is_stable_like_numpy(case, descending):
    t, arr, dim, _ = case
    key = -arr if descending else arr  # numpy's stable sort of -x: equal elements keep their order
    order = np.argsort(key, axis=dim, kind="stable")
    values, indices = t.sort(dim, descending)
    assert_close(indices, order, torch.int64)
    assert_close(values, np.take_along_axis(arr, order, axis=dim))
    assert_close(t.argsort(dim=dim, descending=descending), order)


@SETTINGS
@given(case=with_dim(ties=True), data=st.data())
def test_topk_kthvalue_median_match_numpy(case, data):
    t, arr, dim, keepdim = case
    n = arr.shape[dim]
    k = data.draw(st.integers(1, n))
    ordered = np.sort(arr, axis=dim)
    top = t.topk(k, dim)
    assert_close(top.values, np.flip(ordered, axis=dim).take(range(k), axis=dim))
    assert_close(torch.tensor(np.take_along_axis(arr, top.indices.numpy(), axis=dim)), top.values.numpy())
    low = torch.topk(t, k, dim, largest=False)
    assert_close(low.values, ordered.take(range(k), axis=dim))
    kth = t.kthvalue(k, dim, keepdim)
    assert_close(kth.values, ordered.take([k - 1] if keepdim else k - 1, axis=dim))
    med = t.median(dim, keepdim)
    assert_close(med.values, ordered.take([(n - 1) // 2] if keepdim else (n - 1) // 2, axis=dim))
    for result in (kth, med):  # the index points at the value
        idx = result.indices.numpy() if keepdim else np.expand_dims(result.indices.numpy(), dim)
        picked = np.take_along_axis(arr, idx, axis=dim)
        assert_close(result.values, picked if keepdim else np.squeeze(picked, dim))
    assert_close(t.median(), np.sort(arr.reshape(-1))[(arr.size - 1) // 2])


def test_ties_pick_like_torch():
    x = torch.tensor([2, 1, 2, 3, 0, 4, 3])
    assert x.topk(2).indices.tolist() == [5, 3]
    assert torch.tensor([3., 1., 2., 1.]).topk(2, largest=False).indices.tolist() == [1, 3]
    assert torch.tensor([1., 1., 1., 1.]).median(0).indices.item() == 1
    assert torch.tensor([[1., 5., 3., 4.], [2, 2, 2, 2]]).median(1).indices.tolist() == [2, 1]
    assert torch.tensor([2., 2., 1.]).max(0).indices.item() == 0
    assert torch.tensor([3., 1., 2., 1.]).sort(descending=True).indices.tolist() == [0, 2, 1, 3]


@SETTINGS
@given(pair=arrays(dtype=np.int64), data=st.data())
def test_unique_matches_numpy(pair, data):
    t, arr = pair
    values, inverse, counts = torch.unique(t, return_inverse=True, return_counts=True)
    np_values, np_inverse, np_counts = np.unique(arr, return_inverse=True, return_counts=True)
    assert_close(values, np_values, torch.int64)
    assert_close(inverse, np_inverse.reshape(arr.shape), torch.int64)
    assert_close(counts, np_counts, torch.int64)
    dim = data.draw(st.integers(0, arr.ndim - 1))
    rows, rows_inverse = t.unique(dim=dim, return_inverse=True)
    np_rows, np_rows_inverse = np.unique(arr, axis=dim, return_inverse=True)
    assert_close(rows, np_rows)
    assert_close(rows_inverse, np_rows_inverse.reshape(-1))


@SETTINGS
@given(case=with_dims(dtype=np.int64))
def test_all_any_match_numpy(case):
    t, arr, dims, keepdim = case
    assert_close(t.all(dims, keepdim), arr.all(axis=dims, keepdims=keepdim), torch.bool)
    assert_close(torch.any(t, dim=dims, keepdim=keepdim), arr.any(axis=dims, keepdims=keepdim), torch.bool)
    assert_close(t.all(), arr.all())


# ---- 0-d and empty tensors, axis=, dims given as lists ---------------------------------------------

def test_zero_dim_inputs_accept_dim_0_and_minus_1():
    s = torch.tensor(5.)
    for result in (s.sum(0), s.sum(-1), s.amax(0), s.prod(0), s.norm(dim=0), s.logsumexp(0), s.cumsum(0)):
        assert result.shape == () and result.item() == 5.
    assert s.softmax(0).item() == 1. and s.log_softmax(0).item() == 0.
    for result in (s.max(0), s.sort(), s.topk(1), s.median(0), s.kthvalue(1)):
        assert (result.values.shape, result.indices.shape) == ((), ()) and result.values.item() == 5.
    assert s.argmax().item() == 0 and s.argsort().shape == () and s.unique().tolist() == [5.]
    assert torch.tensor(True).all(0).item() is True


def test_empty_inputs():
    assert torch.tensor([]).sum().item() == 0. and torch.tensor([]).prod().item() == 1.
    assert math.isnan(torch.tensor([]).median().item())
    assert torch.zeros(0).norm(1).item() == 0. and torch.zeros(0, 3).norm().item() == 0.
    r = torch.zeros(0, 3).max(1)
    assert r.values.shape == (0,) and r.indices.dtype == torch.int64
    assert torch.zeros(2, 0).sort(1).values.shape == (2, 0) and torch.zeros(2, 0).topk(0).indices.shape == (2, 0)
    assert torch.zeros(2, 0).softmax(1).shape == (2, 0)


@pytest.mark.filterwarnings("error")  # torch is silent: nan without a "Mean of empty slice" warning
def test_mean_of_nothing_is_nan():
    assert math.isnan(torch.tensor([]).mean().item())
    assert np.isnan(torch.zeros(0, 3).mean(0).numpy()).all() and torch.zeros(0, 3).mean(0).shape == (3,)
    assert torch.zeros(0, 3).mean(1, keepdim=True).shape == (0, 1)
    assert torch.zeros(0, 3, dtype=torch.float64).mean(0).dtype == torch.float64
    x = torch.zeros(0, requires_grad=True)
    x.mean().backward()
    assert x.grad.shape == (0,)


def test_axis_alias_and_dim_forms():
    x = torch.tensor([[1., 2.], [3., 4.]])
    assert x.sum(axis=0).tolist() == [4., 6.] and torch.mean(x, axis=1).tolist() == [1.5, 3.5]
    assert x.std(axis=0).tolist() == x.std(0).tolist() and x.cumsum(axis=1).tolist() == x.cumsum(1).tolist()
    assert x.sort(axis=0).indices.tolist() == [[0, 0], [1, 1]] and x.topk(1, axis=0).values.tolist() == [[3., 4.]]
    assert x.sum(dim=[]).item() == 10. and x.sum(()).item() == 10. and x.amax(dim=[]).item() == 4.
    assert x.sum([0, 1]).item() == 10. and x.all(axis=(0, 1)).item() is True
    assert x.std(False).item() == pytest.approx(math.sqrt(1.25))  # std(input, unbiased)
    assert x.var(0, True, True).tolist() == [[2., 2.]]  # var(input, dim, unbiased, keepdim)
    assert x.var(1, correction=0).tolist() == [0.25, 0.25]


# ---- return_types and printing -------------------------------------------------------------------

def test_lecture_examples_print_like_torch():
    x = torch.tensor([[1, 2], [3, 4]])
    assert repr((torch.max(x), x.max(), x.max().item(), x.max(axis=0), x.max(axis=1))) == (
        "(tensor(4), tensor(4), 4, torch.return_types.max(\n"
        "values=tensor([3, 4]),\n"
        "indices=tensor([1, 1])), torch.return_types.max(\n"
        "values=tensor([2, 4]),\n"
        "indices=tensor([1, 1])))")
    x = torch.tensor([2, 1, 2, 3, 0, 4, 3])
    assert repr((x.topk(k=2), x.kthvalue(k=2))) == (
        "(torch.return_types.topk(\nvalues=tensor([4, 3]),\nindices=tensor([5, 3])), "
        "torch.return_types.kthvalue(\nvalues=tensor(1),\nindices=tensor(1)))")
    x = torch.tensor([1., 2., 3.])
    assert repr((torch.std_mean(x), torch.var_mean(x))) == "((tensor(1.), tensor(2.)), (tensor(1.), tensor(2.)))"


def test_return_types_are_named_tuples():
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    result = x.max(0)
    assert type(result) is torch.return_types.max and isinstance(result, tuple)
    values, indices = result
    assert values is result[0] is result.values and indices is result.indices
    assert repr(result) == ("torch.return_types.max(\nvalues=tensor([3., 4.], grad_fn=<MaxBackward0>),\n"
                            "indices=tensor([1, 1]))")
    assert repr(torch.tensor([[1., 2.], [3., 4.]]).sort(0)) == (
        "torch.return_types.sort(\nvalues=tensor([[1., 2.],\n        [3., 4.]]),\n"
        "indices=tensor([[0, 0],\n        [1, 1]]))")
    for name in ("max", "min", "sort", "topk", "kthvalue", "median"):
        assert getattr(torch.return_types, name)._fields == ("values", "indices")
    copy = pickle.loads(pickle.dumps(x.detach().sort()))
    assert type(copy) is torch.return_types.sort and copy.indices.tolist() == [[0, 1], [0, 1]]
    assert torch.unique(torch.tensor([3, 1, 3]), return_inverse=True)[1].tolist() == [1, 0, 1]


def test_grad_fn_names_match_torch():
    x = rand(3, 4).requires_grad_()
    names = {
        "SumBackward0": x.sum(), "SumBackward1": x.sum(0), "MeanBackward0": x.mean(), "MeanBackward1": x.mean(1),
        "ProdBackward0": x.prod(), "ProdBackward1": x.prod(0), "NansumBackward0": x.nansum(),
        "MaxBackward1": x.max(), "MaxBackward0": x.max(0).values, "MinBackward1": x.min(),
        "MinBackward0": x.min(1).values, "AmaxBackward0": x.amax(0), "AminBackward0": x.amin(),
        "SortBackward0": x.sort().values, "TopkBackward0": x.topk(2).values,
        "KthvalueBackward0": x.kthvalue(2).values, "MedianBackward0": x.median(),
        "MedianBackward1": x.median(0).values, "StdBackward0": x.std(0), "VarBackward0": x.var(),
        "StdMeanBackward0": torch.std_mean(x)[1], "VarMeanBackward0": torch.var_mean(x, 0)[0],
        "LinalgVectorNormBackward0": x.norm(), "LogsumexpBackward0": x.logsumexp(0),
        "CumsumBackward0": x.cumsum(0), "CumprodBackward0": x.cumprod(1), "SoftmaxBackward0": x.softmax(0),
        "LogSoftmaxBackward0": x.log_softmax(1), "MaximumBackward0": torch.max(x, x),
    }
    for name, result in names.items():
        assert result.grad_fn.name() == name
    assert x.max(0).indices.requires_grad is False and x.argmax().requires_grad is False


# ---- gradients ----------------------------------------------------------------------------------------

DIFFERENTIABLE = {
    "sum": lambda x: x.sum((0, 2)),
    "sum_dtype": lambda x: x.sum(1, keepdim=True, dtype=torch.float64),
    "nansum": lambda x: torch.nansum(x, -1),
    "mean": lambda x: x.mean(axis=1),
    "prod": lambda x: x.prod(1),
    "prod_all": lambda x: x.prod(),
    "amax": lambda x: x.amax((0, 1)),
    "amin": lambda x: x.amin(-1, keepdim=True),
    "max_all": lambda x: x.max(),
    "max_dim": lambda x: x.max(1).values,
    "min_dim": lambda x: torch.min(x, 2, keepdim=True)[0],
    "var": lambda x: x.var(1),
    "std": lambda x: x.std((0, 2), keepdim=True),
    "std_unbiased_false": lambda x: x.std(unbiased=False),
    "var_mean": lambda x: torch.var_mean(x, 0),
    "std_mean": lambda x: torch.std_mean(x, dim=2, correction=0),
    "norm": lambda x: x.norm(),
    "norm_dim": lambda x: x.norm(dim=(1, 2)),
    "norm_1": lambda x: x.norm(1, 0),
    "norm_3": lambda x: torch.norm(x, 3, dim=1, keepdim=True),
    "norm_inf": lambda x: x.norm(math.inf, 2),
    "norm_minus_inf": lambda x: x.norm(-math.inf),
    "logsumexp": lambda x: x.logsumexp((0, 2)),
    "softmax": lambda x: x.softmax(1),
    "log_softmax": lambda x: torch.log_softmax(x, -1),
    "cumsum": lambda x: x.cumsum(1),
    "cumprod": lambda x: torch.cumprod(x, dim=2),
    "sort": lambda x: x.sort(1, descending=True).values,
    "topk": lambda x: x.topk(2, dim=0).values,
    "kthvalue": lambda x: x.kthvalue(2, 1, keepdim=True).values,
    "median": lambda x: x.median(),
    "median_dim": lambda x: x.median(2).values,
}


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_gradcheck_non_contiguous(name):
    check_grad(DIFFERENTIABLE[name], noncontig(3, 4, 2))


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "amax", "std", "norm_dim", "logsumexp", "softmax",
                                  "cumsum", "cumprod", "sort", "median_dim", "var_mean"])
def test_gradgradcheck(name):
    assert gradgradcheck(DIFFERENTIABLE[name], (noncontig(3, 4, 2),))


@pytest.mark.parametrize("name", ["sum", "amax", "logsumexp", "std", "cumprod", "topk"])
def test_gradcheck_through_broadcasting_and_slicing(name):
    x = rand(12, seed=1).reshape(3, 4)[:, ::2].requires_grad_()  # (3, 2), strided
    y = rand(4, 1, 1, seed=2).requires_grad_()
    check_grad(lambda a, b: DIFFERENTIABLE[name](a * b), x, y)  # (4, 3, 2) by broadcasting


def test_ties_share_the_gradient_like_torch():
    def grad(fn, values):
        x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        fn(x).sum().backward()
        return x.grad.tolist()

    assert grad(lambda x: x.max(), [1., 3., 3., 2.]) == [0., .5, .5, 0.]
    assert grad(lambda x: x.amax(0), [1., 3., 3., 2.]) == [0., .5, .5, 0.]
    assert grad(lambda x: x.max(0).values, [1., 3., 3., 2.]) == [0., 1., 0., 0.]  # the returned index only
    assert grad(lambda x: x.median(), [1., 2., 3., 2.]) == [0., .5, 0., .5]
    assert grad(lambda x: x.norm(math.inf), [1., -3., 3., 2.]) == [0., -.5, .5, 0.]
    for fn in (lambda x: x.max(), lambda x: x.amin(), lambda x: x.median(), lambda x: x.norm(math.inf)):
        assert gradcheck(fn, (torch.tensor([1., 3., 3., 1., 2.], dtype=torch.float64, requires_grad=True),))


def test_zeros_give_exact_gradients_not_nan():
    def grad(fn, values):
        x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        fn(x).sum().backward()
        return x.grad.tolist()

    assert grad(torch.prod, [0., 2., 3.]) == [6., 0., 0.]
    assert grad(torch.prod, [0., 2., 0.]) == [0., 0., 0.]
    assert grad(lambda x: x.cumprod(0), [2., 0., 3., 0., 4.]) == [1., 8., 0., 0., 0.]
    assert grad(torch.norm, [0., 0.]) == [0., 0.]
    assert grad(lambda x: x.norm(1), [0., 1.]) == [0., 1.]
    assert grad(lambda x: x.norm(0.5), [0., 1.]) == [0., 1.]
    assert grad(torch.std, [1., 1.]) == [0., 0.]
    for values in ([0., 2., 3.], [0., 2., 0.], [2., 0., 3., 0., 4.]):
        x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        assert gradcheck(torch.prod, (x,)) and gradcheck(lambda t: t.cumprod(0), (x,))
    x = torch.tensor([[0., 2.], [3., 0.], [0., 0.]], dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda t: t.prod(1), (x,)) and gradcheck(lambda t: t.cumprod(1), (x,))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's 0/0 warning; the result is torch's NaN
def test_gradient_of_a_too_small_sample_is_nan_like_torch():
    x = torch.tensor([1.], dtype=torch.float64, requires_grad=True)
    with pytest.warns(UserWarning, match=r"std\(\): degrees of freedom is <= 0"):
        y = x.std()
    y.backward()
    assert math.isnan(y.item()) and math.isnan(x.grad.item())


# ---- errors -----------------------------------------------------------------------------------------------

X = torch.tensor([[1., 2.], [3., 4.]])
XI = torch.tensor([[1, 2], [3, 4]])
ERRORS = [
    (lambda: X.max(dim=5), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    (lambda: X.sum(-3), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)"),
    (lambda: torch.tensor(5.).sum(1), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    (lambda: X.sum((0, -2)), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda: X.amax((1, 1)), RuntimeError, "dim 1 appears multiple times in the list of dims"),
    (lambda: XI.mean(), RuntimeError, "mean(): could not infer output dtype. Input dtype must be either a floating "
                                      "point or complex dtype. Got: Long"),
    (lambda: X.topk(3), RuntimeError, "selected index k out of range"),
    (lambda: X.topk(-1, 0), RuntimeError, "selected index k out of range"),
    (lambda: X.kthvalue(3), RuntimeError, "kthvalue(): selected number k out of range for dimension 1"),
    (lambda: X.kthvalue(0, 0), RuntimeError, "kthvalue(): selected number k out of range for dimension 0"),
    (lambda: torch.tensor([]).max(), RuntimeError, "max(): Expected reduction dim to be specified for "
     "input.numel() == 0. Specify the reduction dim with the 'dim' argument."),
    (lambda: torch.tensor([]).amax(), RuntimeError, "amax(): Expected reduction dim to be specified for "
     "input.numel() == 0. Specify the reduction dim with the 'dim' argument."),
    (lambda: torch.tensor([]).argmax(), IndexError,
     "argmax(): Expected reduction dim to be specified for input.numel() == 0."),
    (lambda: torch.zeros(0, 3).max(0), IndexError, "max(): Expected reduction dim 0 to have non-zero size."),
    (lambda: torch.zeros(2, 0).argmax(1), IndexError, "argmax(): Expected reduction dim 1 to have non-zero size."),
    (lambda: torch.zeros(2, 0).amin(1), IndexError, "amin(): Expected reduction dim 1 to have non-zero size."),
    (lambda: torch.zeros(2, 0).median(1), IndexError, "median(): Expected reduction dim 1 to have non-zero size."),
    (lambda: torch.zeros(2, 0).kthvalue(1), IndexError, "kthvalue(): Expected reduction dim 1 to have non-zero size."),
    (lambda: XI.std(), RuntimeError, "std and var only support floating point and complex dtypes"),
    (lambda: XI.var(0), RuntimeError, "std and var only support floating point and complex dtypes"),
    (lambda: torch.std_mean(XI), RuntimeError, "std_mean only support floating point and complex dtypes"),
    (lambda: torch.var_mean(XI), RuntimeError, "var_mean only support floating point and complex dtypes"),
    (lambda: XI.norm(), RuntimeError,
     "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
    (lambda: torch.zeros(0).norm(math.inf), RuntimeError, "linalg.vector_norm cannot compute the inf norm on an "
     "empty tensor because the operation does not have an identity"),
    (lambda: X.norm(p="fro", dim=(0, 1, 1)), RuntimeError, "linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 1"),
    (lambda: X.norm(p="abc"), RuntimeError, "linalg.matrix_norm: Order abc not supported."),
    (lambda: XI.softmax(0), NotImplementedError, "\"softmax_kernel_impl\" not implemented for 'Long'"),
    (lambda: XI.log_softmax(0), NotImplementedError, "\"log_softmax_kernel_impl\" not implemented for 'Long'"),
    (lambda: XI.cumsum(0, dtype=torch.bool), NotImplementedError, "\"cumsum_out_cpu\" not implemented for 'Bool'"),
    (lambda: X.softmax(dim=(0, 1)), TypeError, "softmax(): argument 'dim' must be int, not tuple"),
    (lambda: X.cumsum(dim=(0,)), TypeError, "cumsum(): argument 'dim' must be int, not tuple"),
    (lambda: X.sort(dim=1.5), TypeError, "sort(): argument 'dim' must be int, not float"),
    (lambda: X.prod((0, 1)), TypeError, "prod(): argument 'dim' must be int, not tuple"),
    (lambda: X.softmax(5), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    (lambda: X.sort(5), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    (lambda: X.logsumexp(), TypeError, "missing 1 required positional argument: 'dim'"),
    (lambda: X.std(0, unbiased=False, correction=0), TypeError, "std() received an invalid combination of arguments"),
]


@pytest.mark.parametrize("fn, exc, message", ERRORS)
def test_errors(fn, exc, message):
    with pytest.raises(exc) as info:
        fn()
    assert message in str(info.value)


def test_too_few_samples_warn_like_torch():
    with pytest.warns(UserWarning, match=r"var\(\): degrees of freedom is <= 0. Correction should be strictly "
                                         r"less than the reduction factor"):
        with np.errstate(all="ignore"):  # numpy's x/0 warning; the result is torch's inf
            result = torch.tensor([1., 2.]).var(correction=3)
    assert result.item() == math.inf


# ---- the GPU backend computes the same (skipped without CuPy and a GPU) -------------------------

NOT_DIFFERENTIABLE = {
    "argmax": lambda x: x.argmax(1, keepdim=True), "argmin": lambda x: x.argmin(),
    "argsort": lambda x: x.argsort(0, descending=True), "max_indices": lambda x: x.max(2).indices,
    "topk_indices": lambda x: x.topk(2, largest=False).indices, "median_indices": lambda x: x.median(1).indices,
    "unique": lambda x: torch.unique((x * 2).round(), return_inverse=True, return_counts=True)[1],
    "unique_dim": lambda x: (x > 0).long().unique(dim=1), "all": lambda x: (x > -1).all(1),
    "any": lambda x: (x > 1).any(),
}


@pytest.mark.cuda
@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE) + sorted(NOT_DIFFERENTIABLE))
def test_cuda_matches_cpu(name):
    fn = DIFFERENTIABLE.get(name) or NOT_DIFFERENTIABLE[name]
    results = []
    for device in ("cpu", "cuda"):
        x = rand(2, 4, 3).to(device).permute(2, 0, 1)  # (3, 2, 4), non-contiguous
        x.requires_grad_(name in DIFFERENTIABLE)
        out = fn(x)
        out = out[0] if isinstance(out, tuple) else out
        if out.requires_grad:
            out.sum().backward()
        assert out.device.type == device
        results.append((out.detach().cpu().numpy(), None if x.grad is None else x.grad.cpu().numpy()))
    (cpu_out, cpu_grad), (gpu_out, gpu_grad) = results
    np.testing.assert_allclose(gpu_out, cpu_out, rtol=1e-10, atol=1e-12)
    if cpu_grad is not None:
        np.testing.assert_allclose(gpu_grad, cpu_grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("values", [[0., 2., 3.], [0., 2., 0.], [2., 0., 3., 0., 4.], [[0., 2., 1.5], [3., 0., 0.]]])
def test_second_derivatives_of_products_through_zeros(values):
    """With create_graph the gradients of prod and cumprod stay differentiable at zeros (before,
    the gradients after a zero were constants: d/dx_zero of them was lost)."""
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    last = x.dim() - 1
    for fn in (torch.prod, lambda t: t.prod(last), lambda t: t.prod(0, keepdim=True), lambda t: t.cumprod(last)):
        assert gradgradcheck(fn, (x,))


def test_cumprod_second_derivative_matches_torch():
    y = torch.tensor([[1.5, 2.0, -3.0], [0.5, 0.0, 2.0]], dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(y.cumprod(1).sum(), y, create_graph=True)
    assert first.tolist() == [[-3.0, -3.0, 3.0], [1.0, 1.5, 0.0]]  # torch 2.13
    assert torch.autograd.grad(first.sum(), y)[0].tolist() == [[0.0, -0.5, 3.5], [3.0, 3.5, 0.5]]


def test_scan_gradients_sum_from_the_end_as_torch():
    """``total - cumsum`` would cancel the small gradients under a large one, and give NaN for inf."""
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    x.cumsum(0).backward(torch.tensor([1e8, 1.0, 1.0, 3.0]))
    assert x.grad.tolist() == [100000008.0, 5.0, 4.0, 3.0]  # torch 2.13 (was [1e8, 1, 1, 3])
    x = torch.tensor([float("inf")], requires_grad=True)
    x.cumprod(0).sum().backward()
    assert x.grad.tolist() == [1.0]
    x = torch.tensor([float("inf"), 2.0], requires_grad=True)
    x.cumprod(0).sum().backward()
    assert math.isnan(x.grad[0].item()) and x.grad[1].item() == math.inf


def test_two_norm_second_derivative_at_zero_elements_matches_torch():
    """sign(x) would make the 2-norm's gradient a constant 0 at x = 0, losing d/dx of it there."""
    x = torch.tensor([[0.0, 2.0, -1.5], [2.0, 0.0, 2.0]], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(x.norm(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g[0, 0], x)
    assert gg[0, 0].item() == pytest.approx(1 / x.detach().norm().item())  # (|x|^2 - x_0^2) / |x|^3 at x_0 = 0
    assert gradgradcheck(lambda t: t.norm(), (x,)) and gradgradcheck(lambda t: t.norm(dim=1), (x,))


def test_nan_results_route_gradients_as_torch():
    """max()/min()/median() give a nan result's gradient to the nans; amax/amin compare with ==,
    so a slice whose result is nan gets nan gradients everywhere (torch 2.13's two formulas)."""
    nan = float("nan")

    def grad_of(f, rows):
        x = torch.tensor(rows, requires_grad=True)
        f(x).backward()
        return x.grad.tolist()

    assert grad_of(lambda x: x.max(), [1.0, nan, 3.0]) == [0.0, 1.0, 0.0]
    assert grad_of(lambda x: x.median(), [1.0, nan, 3.0]) == [0.0, 1.0, 0.0]
    amax = grad_of(lambda x: x.amax(1).sum(), [[1.0, nan, 3.0], [1.0, 2.0, 2.0]])
    assert all(math.isnan(v) for v in amax[0]) and amax[1] == [0.0, 0.5, 0.5]
    assert all(math.isnan(v) for v in grad_of(lambda x: x.amin(), [nan, 1.0]))


def test_ties_share_the_gradient_in_torchs_rounding():
    """grad / count, then times the mask (not grad * (mask / count)): five ties of 0.1 get 0.1 / 5."""
    for reduce in (lambda x: x.amax(), lambda x: x.max()):
        x = torch.full((5,), 2.0, dtype=torch.float64, requires_grad=True)
        reduce(x).backward(torch.tensor(0.1, dtype=torch.float64))
        assert x.grad.tolist() == [0.1 / 5] * 5 != [0.1 * (1 / 5)] * 5


@pytest.mark.parametrize("p", [-1, -2.5, math.inf, -math.inf])
def test_norms_without_identity_refuse_empty_reductions_as_torch(p):
    name = f"{p:g}"
    with pytest.raises(RuntimeError, match=f"cannot compute the {name} norm on an empty tensor because"):
        torch.zeros(0).norm(p)
    with pytest.raises(RuntimeError, match=f"the {name} norm on the dimension -1because this dimension is empty"):
        torch.zeros(3, 0).norm(p, dim=-1)
    assert torch.zeros(0, 3).norm(p, dim=1).shape == (0,)  # nothing empty is reduced: an empty result
    assert torch.zeros(0).norm(2).item() == 0.0


def test_inf_norm_gradient_shares_ties_and_follows_nans_as_torch():
    nan = float("nan")
    x = torch.tensor([[1.0, -3.0, 3.0], [nan, 2.0, -2.0], [0.1, 0.1, -0.1]], requires_grad=True)
    x.norm(math.inf, dim=1).backward(torch.tensor([0.1, 0.1, 0.7]))
    third = torch.tensor(0.7) / 3  # torch's order: grad / count, times the mask, times sign(x)
    assert x.grad.tolist() == [[0.0, -0.05000000074505806, 0.05000000074505806], [0.0, 0.0, 0.0],
                               [third.item(), third.item(), -third.item()]]


def test_median_of_no_integers_is_torchs_cast_of_nan():
    """torch 2.13 returns NaN cast to the integer type (a C cast): no numpy error."""
    assert torch.tensor([], dtype=torch.int64).median().item() == -2 ** 63
    assert torch.tensor([]).median().isnan()
