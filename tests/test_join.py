"""Tests for minitorch/ops/join.py: cat/stack and friends, tril/triu, diag/diag_embed, repeat/tile/
repeat_interleave, flip, roll and meshgrid.

Values are compared with numpy on random shapes and layouts (hypothesis); gradients with finite
differences (gradcheck, float64). Expected reprs and error messages were printed by PyTorch 2.13
(CPU); torch itself is not needed to run these tests.
"""

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
from minitorch.autograd import gradcheck

from _helpers import check_grads, layout, layouts, leaf

SETTINGS = settings(max_examples=40, deadline=None)
FEW = settings(max_examples=15, deadline=None)
DTYPES = {np.bool_: torch.bool, np.int8: torch.int8, np.int32: torch.int32, np.int64: torch.int64,
          np.float32: torch.float32, np.float64: torch.float64}


def floats(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-5, 5))


# ---- the lecture examples ------------------------------------------------------------------------


def test_lecture_examples_print_like_torch(capsys):
    x = torch.tensor([[1, 2], [3, 4]])
    y = torch.tensor([[2, 2], [2, 2]])
    z = torch.stack((x, y))
    print(z.shape)
    print(torch.cat([x, y], axis=1))
    assert capsys.readouterr().out == "torch.Size([2, 2, 2])\ntensor([[1, 2, 2, 2],\n        [3, 4, 2, 2]])\n"


# ---- cat / stack ---------------------------------------------------------------------------------


@st.composite
def join_cases(draw, same_shape=False):
    """``(arrays, dim)``: 1-4 arrays of mixed dtypes equal except (unless ``same_shape``) along ``dim``."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    arrays = []
    for _ in range(draw(st.integers(1, 4))):
        part = list(shape)
        if not same_shape:
            part[dim] = draw(st.integers(0, 3))
        dtype = draw(st.sampled_from(list(DTYPES)))
        arrays.append(draw(hnp.arrays(dtype, tuple(part), elements=st.integers(0, 1) if dtype is np.bool_ else
                                      st.integers(-9, 9))))
    return arrays, dim


def _promoted(arrays):
    """torch's promotion of the arrays' dtypes (int32 with float32 is float32: not numpy's rule)."""
    dtype = functools.reduce(torch.promote_types, (DTYPES[a.dtype.type] for a in arrays))
    return next(np_type for np_type, d in DTYPES.items() if d == dtype)


@SETTINGS
@given(join_cases(), st.lists(layouts, min_size=4, max_size=4))
def test_cat_matches_numpy(case, kinds):
    arrays, dim = case
    out = torch.cat([layout(a, k) for a, k in zip(arrays, kinds)], dim)
    expected = np.concatenate(arrays, axis=dim).astype(_promoted(arrays))
    assert out.dtype == DTYPES[expected.dtype.type] and out.is_contiguous()
    np.testing.assert_array_equal(out.numpy(), expected)
    assert torch.concat(tuple(torch.tensor(a) for a in arrays), dim=dim).shape == expected.shape
    assert torch.concatenate([torch.tensor(a) for a in arrays], axis=dim).shape == expected.shape


@SETTINGS
@given(join_cases(same_shape=True), st.lists(layouts, min_size=4, max_size=4), st.data())
def test_stack_matches_numpy(case, kinds, data):
    arrays, _ = case
    dim = data.draw(st.integers(-arrays[0].ndim - 1, arrays[0].ndim))
    out = torch.stack([layout(a, k) for a, k in zip(arrays, kinds)], dim)
    expected = np.stack(arrays, axis=dim).astype(_promoted(arrays))
    assert out.dtype == DTYPES[expected.dtype.type] and out.is_contiguous()
    np.testing.assert_array_equal(out.numpy(), expected)


@SETTINGS
@given(st.lists(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), elements=st.integers(-9, 9)),
                min_size=1, max_size=3))
def test_hstack_vstack_dstack_column_stack_match_numpy(arrays):
    tensors = [torch.tensor(a) for a in arrays]
    for name in ("hstack", "vstack", "dstack", "column_stack"):
        try:
            expected = getattr(np, name)(arrays)
        except ValueError:
            with pytest.raises(RuntimeError):
                getattr(torch, name)(tensors)
            continue
        np.testing.assert_array_equal(getattr(torch, name)(tensors).numpy(), expected)


@FEW
@given(join_cases(), st.lists(layouts, min_size=4, max_size=4))
def test_cat_and_stack_gradients(case, kinds):
    arrays, dim = case
    leaves = [leaf(a, k) for a, k in zip(arrays, kinds)]
    check_grads(lambda *ts: torch.cat(ts, dim), *leaves)
    same = [leaf(np.ones_like(arrays[0]) * i, k) for i, k in enumerate(kinds[:len(arrays)])]
    check_grads(lambda *ts: torch.stack(ts, dim), *same)


def test_cat_stack_small_cases_and_names():
    w = torch.ones(2, 2, requires_grad=True)
    assert repr(torch.cat([w, w]).grad_fn).startswith("<CatBackward0")
    assert repr(torch.stack([w, w], 1).grad_fn).startswith("<StackBackward0")
    assert repr(torch.hstack([w, w]).grad_fn).startswith("<CatBackward0")
    assert torch.cat([torch.ones(2, 2), torch.tensor([])]).shape == (2, 2)  # legacy: empty 1-D skipped
    assert torch.cat([torch.tensor([True]), torch.arange(2, dtype=torch.int8)]).dtype == torch.int8
    assert torch.cat((torch.ones(2), torch.ones(2)), -1).shape == (4,)
    assert torch.stack([torch.tensor(1.), torch.tensor(2.)]).tolist() == [1., 2.]
    assert torch.vstack([torch.tensor(1.), torch.tensor(2.)]).shape == (2, 1)
    assert torch.dstack([torch.ones(2), torch.ones(2)]).shape == (1, 2, 2)
    assert torch.atleast_3d(torch.ones(2, 3)).shape == (2, 3, 1)
    assert [t.shape for t in torch.atleast_2d(torch.tensor(1.), torch.ones(3))] == [(1, 1), (1, 3)]


JOIN_ERRORS = [
    (lambda: torch.cat([torch.ones(2, 2), torch.ones(3, 3)], 1), RuntimeError,
     "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list."),
    (lambda: torch.cat([torch.ones(2, 2), torch.ones(3, 3)], 0), RuntimeError,
     "Sizes of tensors must match except in dimension 0. Expected size 2 but got size 3 for tensor number 1 in the list."),
    (lambda: torch.cat([torch.ones(2, 2), torch.ones(2)]), RuntimeError, "Tensors must have same number of dimensions: got 2 and 1"),
    (lambda: torch.cat([]), ValueError, "torch.cat(): expected a non-empty list of Tensors"),
    (lambda: torch.cat([torch.tensor(1.), torch.tensor(2.)]), RuntimeError,
     "zero-dimensional tensor (at position 0) cannot be concatenated"),
    (lambda: torch.cat([torch.ones(2), torch.ones(2)], 1), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    (lambda: torch.cat([torch.ones(2), [1., 2.]]), TypeError, "expected Tensor as element 1 in argument 0, but got list"),
    (lambda: torch.stack([torch.ones(2, 2), torch.ones(2, 3)]), RuntimeError,
     "stack expects each tensor to be equal size, but got [2, 2] at entry 0 and [2, 3] at entry 1"),
    (lambda: torch.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
    (lambda: torch.stack([torch.ones(2), torch.ones(2)], 2), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
]


@pytest.mark.parametrize("fn, error, message", JOIN_ERRORS)
def test_join_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn()
    assert str(info.value) == message


# ---- triangles and diagonals ----------------------------------------------------------------------


@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=2, max_dims=4, max_side=4), elements=st.integers(-9, 9)),
       st.integers(-4, 4), layouts)
def test_tril_triu_match_numpy(arr, k, kind):
    x = layout(arr, kind)
    np.testing.assert_array_equal(x.tril(k).numpy(), np.tril(arr, k))
    np.testing.assert_array_equal(torch.triu(x, diagonal=k).numpy(), np.triu(arr, k))
    assert x.tril(k).is_contiguous()
    y = torch.tensor(arr)
    y.triu_(k)
    np.testing.assert_array_equal(y.numpy(), np.triu(arr, k))


@FEW
@given(hnp.array_shapes(min_dims=2, max_dims=3, max_side=4), st.integers(-3, 3), layouts, st.data())
def test_tril_triu_gradients(shape, k, kind, data):
    arr = data.draw(floats(shape))
    check_grads(lambda x: x.tril(k), leaf(arr, kind))
    check_grads(lambda x: x.triu(k), leaf(arr, kind))


@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), elements=st.integers(-9, 9)),
       st.integers(-5, 5), layouts)
def test_diag_matches_numpy(arr, k, kind):
    out = torch.diag(layout(arr, kind), k)
    np.testing.assert_array_equal(out.numpy(), np.diag(arr, k))
    if arr.ndim == 1:
        np.testing.assert_array_equal(torch.diagflat(torch.tensor(arr), k).numpy(), np.diagflat(arr, k))


@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=3), elements=st.integers(-9, 9)),
       st.integers(-2, 2), st.data())
def test_diag_embed_puts_the_last_dim_on_a_diagonal(arr, offset, data):
    dim1, dim2 = data.draw(st.lists(st.integers(-arr.ndim - 1, arr.ndim), min_size=2, max_size=2)
                           .filter(lambda d: d[0] % (arr.ndim + 1) != d[1] % (arr.ndim + 1)))
    out = torch.diag_embed(torch.tensor(arr), offset, dim1, dim2)
    # the diagonal of the result (a view op, tested elsewhere) gives the input back; the rest is zero
    np.testing.assert_array_equal(out.diagonal(offset, dim1, dim2).numpy(), arr)
    assert out.abs().sum().item() == np.abs(arr).sum()


@FEW
@given(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), st.integers(-2, 2), layouts, st.data())
def test_diag_gradients(shape, k, kind, data):
    check_grads(lambda x: torch.diag(x, k), leaf(data.draw(floats(shape)), kind))
    check_grads(lambda x: torch.diag_embed(x, k, 0, -1), leaf(data.draw(floats(shape)), kind))


def test_diag_small_cases_and_names():
    assert torch.diag(torch.tensor([1, 2]), -1).tolist() == [[0, 0, 0], [1, 0, 0], [0, 2, 0]]
    assert torch.diag(torch.arange(6).reshape(2, 3), 5).shape == (0,)
    assert torch.diag_embed(torch.tensor([[1, 2], [3, 4]]), 1, 0, 2).tolist() == [
        [[0, 1, 0], [0, 3, 0]], [[0, 0, 2], [0, 0, 4]], [[0, 0, 0], [0, 0, 0]]]
    v = torch.tensor([1., 2.], requires_grad=True)
    assert repr(torch.diag(v).grad_fn).startswith("<DiagEmbedBackward0")
    assert repr(torch.ones(2, 2, requires_grad=True).tril().grad_fn).startswith("<TrilBackward0")


# ---- repeating ----------------------------------------------------------------------------------------


@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), elements=st.integers(-9, 9)),
       layouts, st.data())
def test_repeat_and_tile_match_numpy_tile(arr, kind, data):
    reps = data.draw(st.lists(st.integers(0, 3), min_size=arr.ndim, max_size=arr.ndim + 2))
    x = layout(arr, kind)
    np.testing.assert_array_equal(x.repeat(*reps).numpy(), np.tile(arr, reps))
    np.testing.assert_array_equal(x.repeat(tuple(reps)).numpy(), np.tile(arr, reps))
    few = reps[:data.draw(st.integers(0, len(reps)))]
    np.testing.assert_array_equal(x.tile(few).numpy(), np.tile(arr, few))


@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), elements=st.integers(-9, 9)),
       st.data())
def test_repeat_interleave_matches_numpy_repeat(arr, data):
    x = torch.tensor(arr)
    n = data.draw(st.integers(0, 3))
    np.testing.assert_array_equal(x.repeat_interleave(n).numpy(), np.repeat(arr, n))
    if arr.ndim:
        dim = data.draw(st.integers(-arr.ndim, arr.ndim - 1))
        counts = data.draw(hnp.arrays(np.int64, arr.shape[dim], elements=st.integers(0, 3)))
        np.testing.assert_array_equal(x.repeat_interleave(torch.tensor(counts), dim=dim).numpy(),
                                      np.repeat(arr, counts, axis=dim))
        np.testing.assert_array_equal(torch.repeat_interleave(x, n, dim).numpy(), np.repeat(arr, n, axis=dim))
        np.testing.assert_array_equal(torch.repeat_interleave(torch.tensor(counts)).numpy(),
                                      np.repeat(np.arange(len(counts)), counts))


@FEW
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3), layouts, st.data())
def test_repeat_gradients_sum_the_copies(shape, kind, data):
    arr = data.draw(floats(shape))
    reps = data.draw(st.lists(st.integers(1, 3), min_size=len(shape), max_size=len(shape) + 1))
    check_grads(lambda x: x.repeat(*reps), leaf(arr, kind))
    check_grads(lambda x: x.repeat_interleave(2, dim=-1), leaf(arr, kind))
    check_grads(lambda x: x.repeat_interleave(torch.tensor([2] + [0] * (shape[0] - 1)), dim=0), leaf(arr, kind))


def test_repeat_small_cases_and_names():
    w = torch.ones(2, 2, requires_grad=True)
    assert repr(w.repeat(2, 1, 2).grad_fn).startswith("<RepeatBackward0")
    assert repr(w.tile((2,)).grad_fn).startswith("<RepeatBackward0")
    assert torch.arange(2).repeat(0, 2).shape == (0, 4)
    x = torch.tensor([[1., 2.]], requires_grad=True)
    x.repeat(3, 2).sum().backward()
    assert x.grad.tolist() == [[6., 6.]]


REPEAT_ERRORS = [
    (lambda: torch.ones(2, 2).repeat(2), RuntimeError,
     "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"),
    (lambda: torch.arange(2).repeat(-1), RuntimeError, "Trying to create tensor with negative dimension -2: [-2]"),
    (lambda: torch.ones(2, 2).repeat_interleave(torch.tensor([1, 2, 3]), dim=0), RuntimeError,
     "repeats must have the same size as input along dim, but got repeats.size(0) = 3 and input.size(0) = 2"),
    (lambda: torch.ones(3).tril(), RuntimeError, "tril: input tensor must have at least 2 dimensions"),
    (lambda: torch.ones(3).triu(), RuntimeError, "triu: input tensor must have at least 2 dimensions"),
    (lambda: torch.diag(torch.ones(2, 2, 2)), RuntimeError, "diag(): Supports 1D or 2D tensors. Got 3D"),
    (lambda: torch.diag(torch.tensor(1.)), RuntimeError, "diag(): Supports 1D or 2D tensors. Got 0D"),
]


@pytest.mark.parametrize("fn, error, message", REPEAT_ERRORS)
def test_repeat_and_triangle_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn()
    assert str(info.value) == message


# ---- flip / roll / meshgrid -------------------------------------------------------------------------


@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=st.integers(-9, 9)),
       layouts, st.data())
def test_flip_and_roll_match_numpy(arr, kind, data):
    x = layout(arr, kind)
    dims = data.draw(st.lists(st.integers(0, arr.ndim - 1), unique=True, max_size=arr.ndim))
    out = x.flip(dims)
    np.testing.assert_array_equal(out.numpy(), np.flip(arr, dims))
    assert torch.flip(x, dims=tuple(dims)).shape == arr.shape
    shifts = data.draw(st.lists(st.integers(-5, 5), min_size=len(dims), max_size=len(dims)))
    if dims:
        np.testing.assert_array_equal(x.roll(shifts, dims).numpy(), np.roll(arr, shifts, dims))
    np.testing.assert_array_equal(torch.roll(x, shifts=3).numpy(), np.roll(arr, 3))
    if arr.ndim >= 2:
        np.testing.assert_array_equal(x.fliplr().numpy(), np.fliplr(arr))
    np.testing.assert_array_equal(x.flipud().numpy(), np.flipud(arr))


@FEW
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), layouts, st.data())
def test_flip_and_roll_gradients(shape, kind, data):
    arr = data.draw(floats(shape))
    check_grads(lambda x: x.flip(0), leaf(arr, kind))
    check_grads(lambda x: x.roll(2), leaf(arr, kind))
    check_grads(lambda x: x.roll((1, -1), (0, -1)), leaf(arr, kind))


@FEW
@given(hnp.array_shapes(min_dims=2, max_dims=4, max_side=4), st.integers(-5, 5), layouts, st.data())
def test_rot90_matches_numpy_and_has_gradients(shape, k, kind, data):
    arr = data.draw(floats(shape))
    dims = tuple(data.draw(st.permutations(range(-len(shape), 0)))[:2])
    x = layout(arr, kind)
    np.testing.assert_array_equal(torch.rot90(x, k, dims).numpy(), np.rot90(arr, k, dims))
    check_grads(lambda t: t.rot90(k, dims), leaf(arr, kind))


def test_rot90_layouts_and_names():
    x = torch.arange(6.).view(2, 3)
    assert x.rot90().tolist() == [[2., 5.], [1., 4.], [0., 3.]] and x.rot90().stride() == (1, 3)
    assert x.rot90(-1, [0, 1]).tolist() == [[3., 0.], [4., 1.], [5., 2.]] and x.rot90(3, (1, 0)).stride() == (1, 3)
    assert x.rot90(2).stride() == (3, 1) and x.rot90(5).equal(x.rot90())
    k0 = torch.rot90(x, 0)
    assert k0.stride() == (3, 1) and k0.data_ptr() != x.data_ptr()  # a copy, not x itself
    y = torch.arange(24.).view(2, 3, 4)
    assert y.rot90(1, (0, 2)).stride() == (1, 4, 12) and y.rot90(2, (2, 0)).stride() == (12, 4, 1)
    assert y.transpose(0, 2).rot90(1).stride() == (4, 1, 12) and y.transpose(0, 2).rot90(0).stride() == (6, 2, 1)
    assert torch.rot90(torch.ones(2, 2, dtype=torch.int64)).dtype is torch.int64
    w = torch.ones(2, 2, requires_grad=True)
    assert [repr(w.rot90(k).grad_fn).startswith("<Rot90Backward0") for k in range(4)] == [True] * 4


def test_flip_roll_small_cases_and_names():
    x = torch.arange(6.).reshape(2, 3)
    assert x.t().flip(0).stride() == (1, 3) and x.flip(0).stride() == (3, 1)
    # an expanded input's flip is row-major, as its clone (numpy's order="K" put stride-0 dims inside)
    assert x.expand(4, 2, 3).flip(-2).stride() == (6, 3, 1)
    assert x.unsqueeze(1).expand(2, 4, 3).flip(0).stride() == (12, 3, 1)
    assert x.flip(0, 1).tolist() == [[5., 4., 3.], [2., 1., 0.]]
    assert torch.arange(6).reshape(2, 3).roll((1, 1), (0, 1)).tolist() == [[5, 3, 4], [2, 0, 1]]
    w = torch.ones(2, 2, requires_grad=True)
    assert repr(w.flip(0).grad_fn).startswith("<FlipBackward0")
    assert repr(w.roll(1, 0).grad_fn).startswith("<RollBackward0")


@SETTINGS
@given(st.lists(hnp.arrays(np.int64, st.integers(0, 3), elements=st.integers(-9, 9)), min_size=1, max_size=3),
       st.sampled_from(["ij", "xy"]))
def test_meshgrid_matches_numpy(arrays, indexing):
    grids = torch.meshgrid(*[torch.tensor(a) for a in arrays], indexing=indexing)
    for got, want in zip(grids, np.meshgrid(*arrays, indexing=indexing)):
        np.testing.assert_array_equal(got.numpy(), want)


def test_meshgrid_views_warning_and_gradients():
    g = torch.meshgrid(torch.arange(2), torch.arange(3), indexing="ij")
    assert [t.shape for t in g] == [(2, 3), (2, 3)] and g[0].stride() == (1, 0)
    with pytest.warns(UserWarning, match="it will be required to pass the indexing argument"):
        assert len(torch.meshgrid([torch.arange(2), torch.arange(3)])) == 2
    a, b = leaf([1., 2.]), leaf([3., 4., 5.])
    assert gradcheck(lambda a, b: torch.meshgrid(a, b, indexing="xy")[0] * torch.meshgrid(a, b, indexing="xy")[1], (a, b))
    assert repr(torch.meshgrid(a, b, indexing="ij")[0].grad_fn).startswith("<ExpandBackward0")


FLIP_ERRORS = [
    (lambda: torch.arange(6).reshape(2, 3).flip([0, 0]), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda: torch.arange(6).fliplr(), RuntimeError, "Input must be >= 2-d."),
    (lambda: torch.tensor(1).flipud(), RuntimeError, "Input must be >= 1-d."),
    (lambda: torch.arange(6).reshape(2, 3).roll((1, 1), (0,)), RuntimeError, "shifts and dimensions must align. shifts: 2, dims:1"),
    (lambda: torch.meshgrid(torch.ones(2), torch.ones(2), indexing="foo"), RuntimeError,
     'torch.meshgrid: indexing must be one of "xy" or "ij", but received: foo'),
    (lambda: torch.ones(2, 3).rot90(1, (0, 1, 2)), RuntimeError, "expected total rotation dims == 2, but got dims = 3"),
    (lambda: torch.ones(2, 3).rot90(1, (0,)), RuntimeError, "expected total rotation dims == 2, but got dims = 1"),
    (lambda: torch.ones(3).rot90(), RuntimeError, "expected total dims >= 2, but got total dims = 1"),
    (lambda: torch.ones(2, 3).rot90(1, (0, 0)), RuntimeError,
     "expected rotation dims to be different, but got dim0 = 0 and dim1 = 0"),
    (lambda: torch.ones(2, 3).rot90(1, (0, -2)), RuntimeError,
     "expected rotation dims to be different, but got dim0 = 0 and dim1 = -2"),
    (lambda: torch.ones(2, 3).rot90(1, (0, 2)), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda: torch.ones(2, 3).rot90(1.5), TypeError, "rot90(): argument 'k' (position 1) must be int, not float"),
]


@pytest.mark.parametrize("fn, error, message", FLIP_ERRORS)
def test_flip_roll_meshgrid_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn()
    assert str(info.value) == message


# ---- the same ops on the GPU (skipped without one) ------------------------------------------------


@pytest.mark.cuda
def test_join_ops_on_cuda_match_cpu():
    arr = np.arange(12.).reshape(3, 4)
    ops = [
        lambda x: torch.cat([x, x.t()[:3, :3].long().float()], 1), lambda x: torch.stack([x, x * 2], 1),
        lambda x: torch.vstack([x, x]), lambda x: x.tril(-1), lambda x: x.triu(1), lambda x: torch.diag(x[0]),
        lambda x: torch.diag(x, 1), lambda x: x.repeat(2, 1, 3), lambda x: x.tile((2,)), lambda x: x.flip(0, 1),
        lambda x: x.t().flip(1), lambda x: x.roll((1, -2), (0, 1)), lambda x: x.roll(5),
        lambda x: x.repeat_interleave(torch.tensor([1, 0, 2], device=x.device), dim=0),
        lambda x: torch.meshgrid(x[0], x[1], indexing="xy")[0],
    ]
    for op in ops:
        cpu, gpu = (torch.tensor(arr, device=d, requires_grad=True) for d in ("cpu", "cuda"))
        out_cpu, out_gpu = op(cpu), op(gpu)
        assert out_gpu.device.type == "cuda" and out_gpu.shape == out_cpu.shape
        np.testing.assert_allclose(out_gpu.detach().cpu().numpy(), out_cpu.detach().numpy())
        (out_cpu * out_cpu).sum().backward()
        (out_gpu * out_gpu).sum().backward()
        np.testing.assert_allclose(gpu.grad.cpu().numpy(), cpu.grad.numpy())
