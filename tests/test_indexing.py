"""Tests for minitorch/ops/indexing.py: advanced getitem/setitem, index_put, gather/scatter,
index_select/index_add/index_fill, take, masked ops and nonzero.

Values are compared with numpy on random shapes, indices and layouts (hypothesis); gradients with
finite differences (gradcheck, float64). Expected shapes, reprs and error messages were printed by
PyTorch 2.13 (CPU); torch itself is not needed to run these tests.
"""

import functools
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
from minitorch.autograd import gradgradcheck

from _helpers import check_grads, layout, layouts, leaf

SETTINGS = settings(max_examples=40, deadline=None)
FEW = settings(max_examples=15, deadline=None)
# Indexing gradients are checked to first order; the tests that need second order say so.
check_first_order = functools.partial(check_grads, second_order=False)


# ---- random torch indices and their numpy meaning ------------------------------------------------

def torch_meaning(arr, items):
    """``arr[items]`` with torch's rule: integer items are applied first (as a select, so they never
    count as advanced indices), numpy does the rest. Returns the view and the remaining index."""
    consumed = sum(0 if it is None or it is Ellipsis or isinstance(it, bool) else
                   np.asarray(it).ndim if np.asarray(it).dtype == bool else 1 for it in items)
    dim, selects, rest = 0, [], []
    for it in items:
        if isinstance(it, int) and not isinstance(it, bool):
            selects.append((dim, it))
            dim += 1
            continue
        if it is Ellipsis:  # spelled out: numpy lets even an empty "..." separate advanced indices
            rest += [slice(None)] * (arr.ndim - consumed)
            dim += arr.ndim - consumed
            continue
        rest.append(it)
        if isinstance(it, slice):
            dim += 1
        elif it is not None and not isinstance(it, bool):
            dim += np.asarray(it).ndim if np.asarray(it).dtype == bool else 1
    view = arr
    for d, i in reversed(selects):  # from the last, so earlier dims keep their numbers
        view = view[(slice(None),) * d + (i, Ellipsis)]  # (Ellipsis: a 0-d view, not a scalar)
    return view, tuple(rest)


@st.composite
def index_cases(draw, max_dims=4):
    """``(array, torch index items, numpy index items)``: a random mix of ints, slices, None,
    Ellipsis, python bools, int lists/tensors (broadcastable, negative, repeated) and bool masks."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=1, max_side=4))
    arr = np.arange(np.prod(shape)).reshape(shape)
    has_mask = mask_left = draw(st.booleans())
    common = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=3))  # index arrays broadcast to it
    t_items, n_items, dim, ellipsis = [], [], 0, False
    while dim < arr.ndim and len(t_items) < 6:
        kind = draw(st.sampled_from(["int", "slice", "array", "array", "mask" if mask_left else "array", "none",
                                     "ellipsis", "bool", "stop"]))
        size = shape[dim]
        if kind == "stop":
            break
        if kind == "int":
            i = draw(st.integers(-size, size - 1))
            t_items.append(i), n_items.append(i)
        elif kind == "slice":
            s = slice(draw(st.none() | st.integers(-size, size)), draw(st.none() | st.integers(-size, size)),
                      draw(st.none() | st.integers(1, 3)))
            t_items.append(s), n_items.append(s)
        elif kind == "array":
            ishape = (1,) if has_mask else tuple(n if draw(st.booleans()) else 1 for n in common)
            idx = draw(hnp.arrays(np.int64, ishape, elements=st.integers(-size, size - 1)))
            as_list = draw(st.booleans())
            t_items.append(idx.tolist() if as_list else torch.tensor(idx)), n_items.append(idx)
        elif kind == "mask":
            k = min(draw(st.integers(1, 2)), arr.ndim - dim)
            mask = draw(hnp.arrays(np.bool_, shape[dim:dim + k]))
            t_items.append(torch.tensor(mask)), n_items.append(mask)
            mask_left, dim = False, dim + k - 1  # one mask, other index arrays of shape (1,): they broadcast
        elif kind == "none":
            t_items.append(None), n_items.append(None)
            continue
        elif kind == "bool":
            b = draw(st.booleans())
            t_items.append(b), n_items.append(b)
            continue
        else:  # "..." covers some dims (once); trailing slices below keep it from covering more
            if not ellipsis:
                ellipsis = True
                t_items.append(Ellipsis), n_items.append(Ellipsis)
                dim += draw(st.integers(0, arr.ndim - dim))
            continue
        dim += 1
    if ellipsis:
        t_items += [slice(None)] * (arr.ndim - dim)
        n_items += [slice(None)] * (arr.ndim - dim)
    assume(any(isinstance(it, (list, torch.Tensor, bool)) for it in t_items))  # basic-only: shape.py's job
    return arr, tuple(t_items), tuple(n_items)


def _numpy_raises(view, rest):
    """Some random indices cannot broadcast (e.g. ``False`` next to a 2-element index): torch and
    numpy both raise IndexError then."""
    try:
        view[rest]
    except IndexError:
        return True
    return False


# ---- getitem ---------------------------------------------------------------------------------


@SETTINGS
@given(index_cases(), layouts)
def test_getitem_matches_numpy(case, kind):
    arr, t_index, n_index = case
    view, rest = torch_meaning(arr, n_index)
    if _numpy_raises(view, rest):
        with pytest.raises(IndexError, match="shape mismatch: indexing tensors could not be broadcast together"):
            layout(arr, kind)[t_index]
        return
    expected = view[rest]
    out = layout(arr, kind)[t_index]
    assert out.shape == expected.shape and out.dtype == torch.int64
    np.testing.assert_array_equal(out.numpy(), expected)
    assert out.is_contiguous()  # torch's index results are always contiguous copies


@FEW
@given(index_cases(max_dims=3), layouts)
def test_getitem_gradient_scatters_back_with_duplicates(case, kind):
    arr, t_index, n_index = case
    view, rest = torch_meaning(arr, n_index)
    assume(not _numpy_raises(view, rest))
    x = leaf(arr * 0.5 + 1, kind)
    check_first_order(lambda t: t[t_index], x)


def test_getitem_repeated_index_accumulates_and_double_backward():
    x = torch.tensor([1., 2., 3.], dtype=torch.float64, requires_grad=True)
    y = x[[0, 0, 2, 0]]
    assert repr(y.grad_fn).startswith("<IndexBackward0")
    (y * torch.tensor([1., 2., 3., 4.], dtype=torch.float64)).sum().backward()
    assert x.grad.tolist() == [7., 0., 3.]
    assert gradgradcheck(lambda t: t[[0, 0, 2]] ** 2, (x,))


def test_getitem_applies_ints_before_advanced_indices_like_torch():
    x = torch.arange(24).reshape(2, 3, 4)
    assert x[1, :, [0, 1]].tolist() == [[12, 13], [16, 17], [20, 21]]  # numpy would give shape (2, 3)
    assert x[:, [0, 1], None, [0, 1]].tolist() == [[[0], [12]], [[5], [17]]]
    assert x[[0, 1], :, True].shape == (2, 3, 4)
    assert x[True, [0, 1]].shape == (2, 3, 4)
    assert x[torch.tensor(True)].shape == (1, 2, 3, 4) and x[False].shape == (0, 2, 3, 4)
    assert x[[0], ..., [0]].tolist() == [[0, 4, 8]]
    assert x[[[0]], [[0], [1]]].shape == (2, 1, 4)
    assert x[[]].shape == (0, 3, 4)
    assert x[[0.5]].tolist() == x[[0]].tolist()  # torch truncates float lists
    assert x[[0, True]].tolist() == x[[0, 1]].tolist()
    assert x[np.array([True, False])].shape == (1, 3, 4)
    assert x[torch.tensor([1], dtype=torch.int32)].tolist() == [x[1].tolist()]
    assert x[x > 20].tolist() == [21, 22, 23]
    assert x[np.int64(1)].shape == (3, 4)


def test_getitem_strides_and_copy():
    x = torch.arange(24.).reshape(2, 3, 4)
    assert x[:, [0, 1]].stride() == (8, 4, 1) and x[[0, 1], :, [0, 1]].stride() == (3, 1)
    y = x[[0]]
    y[0, 0, 0] = 100.
    assert x[0, 0, 0].item() == 0.  # a copy, not a view


def test_index_tensor_changed_after_forward_does_not_change_backward():
    i = torch.tensor([0, 0, 1])
    x = torch.arange(3., requires_grad=True)
    y = x[i]
    i[0] = 2
    y.sum().backward()
    assert x.grad.tolist() == [2., 1., 0.]


def test_uint8_index_is_a_deprecated_mask():
    x = torch.arange(6).reshape(2, 3)
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        assert x[torch.tensor([1, 0], dtype=torch.uint8)].tolist() == [[0, 1, 2]]


def test_short_list_holding_sequences_slices_or_none_is_a_deprecated_tuple():
    x = torch.arange(6).reshape(2, 3)
    cases = [([[0, 1], [1, 0]], [1, 3]), ([0, slice(None)], [0, 1, 2]), ([0, None], [[0, 1, 2]]),
             ([Ellipsis, 1], [1, 4]), ([torch.tensor([0, 1]), [1, 2]], [1, 5]), ([[1, 0]], [[3, 4, 5], [0, 1, 2]]),
             ([torch.tensor(1), 0], 3)]
    for index, expected in cases:
        with pytest.warns(UserWarning, match=r"^Using a non-tuple sequence for multidimensional indexing is deprecated"):
            assert x[index].tolist() == expected
    y = x.clone()
    with pytest.warns(UserWarning, match="non-tuple sequence"):
        y[[0, slice(None)]] = -1
    assert y.tolist() == [[-1, -1, -1], [3, 4, 5]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # plain lists of ints or bools are one index, silently
        assert x[[1, 0]].tolist() == [[3, 4, 5], [0, 1, 2]] and x[[True, False]].tolist() == [[0, 1, 2]]
        assert x[[0] * 40].shape == (40, 3)  # long lists are never tuples


GETITEM_ERRORS = [
    (lambda x: x[torch.tensor([0.])], IndexError, "tensors used as indices must be long, int, byte or bool tensors"),
    (lambda x: x[[5]], IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    (lambda x: x[[-3]], IndexError, "index -3 is out of bounds for dimension 0 with size 2"),
    (lambda x: x[:, [5]], IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (lambda x: x[1, :, [7]], IndexError, "index 7 is out of bounds for dimension 0 with size 4"),
    (lambda x: x[[0], [5]], IndexError, "index 5 is out of bounds for dimension 1 with size 3"),
    (lambda x: x[[0], :, [5]], IndexError, "index 5 is out of bounds for dimension 1 with size 4"),
    (lambda x: x[:, :, [0], [0]], IndexError, "too many indices for tensor of dimension 3"),
    (lambda x: x[[0, 1], [0, 1, 2]], IndexError,
     "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]"),
    (lambda x: x[torch.tensor([True, False, True])], IndexError,
     "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 0"),
    (lambda x: x[:, torch.tensor([True, False])], IndexError,
     "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 1"),
    (lambda x: x[:, torch.ones(3, 3, dtype=torch.bool)], IndexError,
     "The shape of the mask [3, 3] at index 1 does not match the shape of the indexed tensor [2, 3, 4] at index 2"),
    (lambda x: x[0][torch.tensor([True, False])], IndexError,
     "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0"),
]


@pytest.mark.parametrize("fn, error, message", GETITEM_ERRORS)
def test_getitem_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn(torch.arange(24).reshape(2, 3, 4))
    assert str(info.value) == message


def test_mask_error_message_of_a_vector():
    with pytest.raises(IndexError) as info:
        torch.arange(3)[torch.tensor([True, False])]
    assert str(info.value) == ("The shape of the mask [2] at index 0 does not match the shape of the indexed "
                               "tensor [3] at index 0")


# ---- setitem / index_put ------------------------------------------------------------------------


@SETTINGS
@given(index_cases(), st.booleans(), st.data())
def test_setitem_matches_numpy(case, scalar, data):
    arr, t_index, n_index = case
    expected = arr.copy()
    view, rest = torch_meaning(expected, n_index)
    assume(not _numpy_raises(view, rest))
    shape = view[rest].shape
    value = 7 if scalar else data.draw(hnp.arrays(np.int64, shape[data.draw(st.integers(0, len(shape))):],
                                                  elements=st.integers(-9, 9)))
    view[rest] = value
    x = torch.tensor(arr)
    x[t_index] = value if scalar else torch.tensor(value)
    np.testing.assert_array_equal(x.numpy(), expected)


@FEW
@given(index_cases(max_dims=3))
def test_setitem_gradients_flow_to_the_old_values_and_to_the_value(case):
    arr, t_index, n_index = case
    view, rest = torch_meaning(np.arange(arr.size).reshape(arr.shape), n_index)
    assume(not _numpy_raises(view, rest))
    written = view[rest]
    # with a repeated target the last write wins, and torch (like minitorch) still gives every
    # written value grad[index]: that is not the derivative, so gradcheck needs distinct targets
    assume(len(np.unique(written)) == written.size)

    def put(x, v):
        y = x * 1
        y[t_index] = v
        return y

    check_first_order(put, leaf(arr * 0.5), leaf(np.ones(written.shape)))


def test_setitem_grad_fn_names_and_views():
    w = torch.ones(3, requires_grad=True)
    y = w * 1
    y[[0]] = 5
    assert repr(y.grad_fn).startswith("<IndexPutBackward0")
    w2 = torch.ones(3, 2, requires_grad=True)
    y2 = w2 * 1
    y2[[0], 1] = 5
    assert repr(y2.grad_fn).startswith("<CopySlices")
    y2.sum().backward()
    assert w2.grad.tolist() == [[1., 0.], [1., 1.], [1., 1.]]


def test_setitem_semantics_from_torch():
    x = torch.zeros(3)
    x[torch.tensor([True, False, True])] = 1
    assert x.tolist() == [1., 0., 1.]
    x = torch.zeros(2, 3)
    x[:, [True, False, True]] = 7
    assert x.tolist() == [[7., 0., 7.], [7., 0., 7.]]
    x = torch.zeros(3, 2)
    x[torch.tensor([True, False, True])] = torch.tensor([[1., 2.], [3., 4.]])
    assert x.tolist() == [[1., 2.], [0., 0.], [3., 4.]]
    x = torch.zeros(3)
    x[[0, 0]] = torch.tensor([1., 2.])
    assert x.tolist() == [2., 0., 0.]  # repeated positions: the last write wins
    x = torch.zeros(3, dtype=torch.long)
    x[[0, 2]] = 2.7
    assert x.tolist() == [2, 0, 2]  # numbers are cast
    x = torch.zeros(3)
    x[[0, 1]] = torch.ones(1, 2)  # leading 1-dims of the value are dropped
    assert x.tolist() == [1., 1., 0.]
    y = torch.zeros(2, 3).t()
    y[[0]] = 1
    assert y.stride() == (1, 3) and y.tolist() == [[1., 1.], [0., 0.], [0., 0.]]


SETITEM_ERRORS = [
    (lambda: torch.zeros(3, dtype=torch.long).__setitem__([0, 2], torch.tensor([1.5, 2.5])), RuntimeError,
     "Index put requires the source and destination dtypes match, got Long for the destination and Float for the source."),
    (lambda: torch.zeros(3).__setitem__([0, 2], torch.tensor(5)), RuntimeError,
     "Index put requires the source and destination dtypes match, got Float for the destination and Long for the source."),
    (lambda: torch.zeros(3, 2).__setitem__([0, 2], torch.tensor([1., 2., 3.])), RuntimeError,
     "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 2]"),
    (lambda: torch.zeros(3).__setitem__([0, 5], 1), IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (lambda: torch.zeros(3).__setitem__(torch.tensor([True, False]), 1), IndexError,
     "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3] at index 0"),
    (lambda: torch.zeros(3).__setitem__([0, 1], [5., 6.]), TypeError, "can't assign a list to a torch.FloatTensor"),
    (lambda: torch.ones(3, requires_grad=True).__setitem__([0], 1.), RuntimeError,
     "a leaf Variable that requires grad is being used in an in-place operation."),
    (lambda: torch.zeros(3).index_put_((torch.tensor([1]),), torch.tensor([1.], dtype=torch.float64), accumulate=True),
     RuntimeError, "Index put requires the source and destination dtypes match, got Float for the destination and "
     "Double for the source."),
]


@pytest.mark.parametrize("fn, error, message", SETITEM_ERRORS)
def test_setitem_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn()
    assert str(info.value) == message


@SETTINGS
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), st.data())
def test_index_put_accumulate_matches_numpy_add_at(shape, data):
    arr = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5)))
    k = data.draw(st.integers(1, len(shape)))
    idx = [data.draw(hnp.arrays(np.int64, (4,), elements=st.integers(-n, n - 1))) for n in shape[:k]]
    values = data.draw(hnp.arrays(np.float64, (4,) + shape[k:], elements=st.floats(-5, 5)))
    expected = arr.copy()
    np.add.at(expected, tuple(idx), values)
    x = torch.tensor(arr)
    out = x.index_put(tuple(torch.tensor(i) for i in idx), torch.tensor(values), accumulate=True)
    np.testing.assert_allclose(out.numpy(), expected)
    np.testing.assert_array_equal(x.numpy(), arr)  # out of place
    x.index_put_([torch.tensor(i) for i in idx], torch.tensor(values), True)
    np.testing.assert_allclose(x.numpy(), expected)


@pytest.mark.parametrize("accumulate, rows", [(False, [0, 2, 1]), (True, [0, 2, 2])])
def test_index_put_gradients(accumulate, rows):
    index = (torch.tensor(rows), torch.tensor([1, 0, 0]))
    values = leaf([1., 2., 3.])
    check_first_order(lambda x, v: x.index_put(index, v, accumulate), leaf(np.arange(6.).reshape(3, 2), "permuted"), values)
    assert gradgradcheck(lambda x, v: x.index_put(index, v * v, accumulate) ** 2, (leaf(np.ones((3, 2))), values))


def test_index_put_grad_fn():
    x = torch.zeros(3, requires_grad=True)
    out = x.index_put((torch.tensor([1]),), torch.tensor(2.))
    assert out.tolist() == [0., 2., 0.] and repr(out.grad_fn).startswith("<IndexPutBackward0")


# ---- gather / scatter -----------------------------------------------------------------------------


@st.composite
def along_cases(draw, unique=False):
    """``(array, dim, index)`` for gather/scatter: index no larger than the array except along dim;
    ``unique`` keeps positions along dim distinct (so scatter's writes do not collide)."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    d = dim % len(shape)
    ishape = tuple(draw(st.integers(1, n)) if i != d else draw(st.integers(1, n if unique else 5))
                   for i, n in enumerate(shape))
    if unique:
        perms = np.argsort(draw(hnp.arrays(np.float64, ishape[:d] + (shape[d],) + ishape[d + 1:],
                                           elements=st.floats(0, 1), unique=True)), axis=d)
        index = np.take(perms, np.arange(ishape[d]), axis=d)
    else:
        index = draw(hnp.arrays(np.int64, ishape, elements=st.integers(0, shape[d] - 1)))
    arr = draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5)))
    return arr, dim, index


def _targets(index, dim):
    """For every element of ``index``, the position it points at (``pos`` with ``pos[dim]`` replaced)."""
    for pos in np.ndindex(index.shape):
        target = list(pos)
        target[dim] = index[pos]
        yield pos, tuple(target)


@SETTINGS
@given(along_cases(), layouts)
def test_gather_matches_definition(case, kind):
    arr, dim, index = case
    expected = np.zeros(index.shape)
    for pos, target in _targets(index, dim % arr.ndim):
        expected[pos] = arr[target]
    out = layout(arr, kind).gather(dim, torch.tensor(index))
    np.testing.assert_array_equal(out.numpy(), expected)


@SETTINGS
@given(along_cases(unique=True), st.booleans())
def test_scatter_matches_definition(case, scalar):
    arr, dim, index = case
    src = np.arange(np.prod(index.shape), dtype=np.float64).reshape(index.shape) + 100
    expected = arr.copy()
    for pos, target in _targets(index, dim % arr.ndim):
        expected[target] = 2.5 if scalar else src[pos]
    bigger = np.zeros(tuple(n + 1 for n in src.shape))  # scatter reads only src's leading index.shape block
    bigger[tuple(slice(0, n) for n in src.shape)] = src
    x = torch.tensor(arr)
    out = x.scatter(dim, torch.tensor(index), 2.5 if scalar else torch.tensor(bigger))
    np.testing.assert_array_equal(out.numpy(), expected)
    x.scatter_(dim, torch.tensor(index), 2.5 if scalar else torch.tensor(src))
    np.testing.assert_array_equal(x.numpy(), expected)


@SETTINGS
@given(along_cases())
def test_scatter_add_matches_definition(case):
    arr, dim, index = case
    src = np.arange(np.prod(index.shape), dtype=np.float64).reshape(index.shape)
    expected = arr.copy()
    for pos, target in _targets(index, dim % arr.ndim):
        expected[target] += src[pos]
    out = torch.tensor(arr).scatter_add(dim, torch.tensor(index), torch.tensor(src))
    np.testing.assert_allclose(out.numpy(), expected)
    np.testing.assert_allclose(torch.tensor(arr).scatter(dim, torch.tensor(index), torch.tensor(src), reduce="add").numpy(),
                               expected)


@FEW
@given(along_cases(), layouts)
def test_gather_and_scatter_add_gradients(case, kind):
    arr, dim, index = case
    idx = torch.tensor(index)
    check_first_order(lambda x: x.gather(dim, idx), leaf(arr, kind))
    check_first_order(lambda x, s: x.scatter_add(dim, idx, s), leaf(arr, kind), leaf(np.ones(index.shape)))


@FEW
@given(along_cases(unique=True))
def test_scatter_gradients(case):
    arr, dim, index = case
    idx = torch.tensor(index)
    check_first_order(lambda x, s: x.scatter(dim, idx, s), leaf(arr, "permuted"), leaf(np.ones(index.shape) * 2))
    check_first_order(lambda x: x.scatter(dim, idx, 1.5), leaf(arr))


def test_gather_scatter_small_cases_and_names():
    w = torch.arange(6.).reshape(2, 3).requires_grad_()
    i = torch.tensor([[0, 1], [1, 0]])
    assert w.gather(1, i).tolist() == [[0., 1.], [4., 3.]]
    assert repr(w.gather(1, i).grad_fn).startswith("<GatherBackward0")
    assert repr(w.scatter(1, i, w).grad_fn).startswith("<ScatterBackward0")
    assert repr(w.scatter(1, i, 2.5).grad_fn).startswith("<ScatterBackward1")
    assert repr(w.scatter_add(1, i, w).grad_fn).startswith("<ScatterAddBackward0")
    assert w.gather(1, torch.tensor([[0, 1, 2, 0]])).tolist() == [[0., 1., 2., 0.]]
    assert w.gather(1, i.int()).tolist() == [[0., 1.], [4., 3.]]
    assert torch.tensor(3.).gather(0, torch.tensor(0)).shape == ()
    assert torch.zeros(3).gather(0, torch.tensor(1)).shape == ()
    assert torch.tensor(1.).scatter(0, torch.tensor(0), 5.0).item() == 5.0
    assert torch.zeros(2, 3).scatter(1, i, 2).tolist() == [[2., 2., 0.], [2., 2., 0.]]
    assert torch.zeros(2, 3).scatter(1, i, 2.0, reduce="multiply").tolist() == [[0.] * 3] * 2
    assert torch.gather(torch.zeros(3), dim=0, index=torch.tensor([1])).tolist() == [0.]


GATHER_SCATTER_ERRORS = [
    (lambda w, i: w.gather(1, torch.tensor([[0], [1], [2]])), RuntimeError,
     "Size does not match at dimension 0 expected index [3, 1] to be no larger than self [2, 3] apart from dimension 1"),
    (lambda w, i: w.gather(1, torch.tensor([0, 1])), RuntimeError,
     "Index tensor must have the same number of dimensions as input tensor"),
    (lambda w, i: w.gather(1, torch.tensor([[5]])), RuntimeError, "index 5 is out of bounds for dimension 1 with size 3"),
    (lambda w, i: w.gather(1, torch.tensor([[-1]])), RuntimeError, "index -1 is out of bounds for dimension 1 with size 3"),
    (lambda w, i: w.gather(1, i.float()), RuntimeError, "gather(): Expected dtype int32/int64 for index"),
    (lambda w, i: w.gather(2, i), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda w, i: w.scatter(1, i.float(), 1.0), RuntimeError, "scatter(): Expected dtype int32/int64 for index"),
    (lambda w, i: w.scatter_add(1, i, w.long()), RuntimeError, "scatter(): Expected self.dtype to be equal to src.dtype"),
    (lambda w, i: w.scatter(1, torch.tensor([[0, 1, 2]]), torch.ones(1, 2)), RuntimeError,
     "Expected index [1, 3] to be no larger than self [2, 3] apart from dimension 1 and to be no larger size than src [1, 2]"),
    (lambda w, i: w.scatter(1, torch.tensor([0]), 1.0), RuntimeError,
     "Index tensor must have the same number of dimensions as self tensor"),
    (lambda w, i: w.scatter(1, torch.tensor([[4]]), 1.0), RuntimeError, "index 4 is out of bounds for dimension 1 with size 3"),
    (lambda w, i: w.scatter_add(1, torch.tensor([[-1]]), torch.ones(1, 1)), RuntimeError,
     "index -1 is out of bounds for dimension 1 with size 3"),
    (lambda w, i: w.scatter(1, i, 2.0, reduce="max"), RuntimeError, "reduce argument must be either add or multiply."),
]


@pytest.mark.parametrize("fn, error, message", GATHER_SCATTER_ERRORS)
def test_gather_scatter_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn(torch.arange(6.).reshape(2, 3), torch.tensor([[0, 1], [1, 0]]))
    assert str(info.value) == message


# ---- index_select / index_add / index_fill / take ----------------------------------------------------


@SETTINGS
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), layouts, st.data())
def test_index_select_add_fill_match_numpy(shape, kind, data):
    arr = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5)))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    idx = data.draw(hnp.arrays(np.int64, data.draw(st.integers(0, 5)), elements=st.integers(0, n - 1)))
    x, index = layout(arr, kind), torch.tensor(idx)
    np.testing.assert_array_equal(x.index_select(dim, index).numpy(), np.take(arr, idx, axis=dim))
    source = np.take(arr, idx, axis=dim) + 1
    expected = arr.copy()
    np.add.at(np.moveaxis(expected, dim, 0), idx, 2 * np.moveaxis(source, dim, 0))
    np.testing.assert_allclose(x.index_add(dim, index, torch.tensor(source), alpha=2).numpy(), expected)
    filled = arr.copy()
    np.moveaxis(filled, dim, 0)[idx] = -1
    np.testing.assert_array_equal(x.index_fill(dim, index, -1).numpy(), filled)


@FEW
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), layouts, st.data())
def test_index_select_add_fill_take_gradients(shape, kind, data):
    arr = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5)))
    dim = data.draw(st.integers(0, len(shape) - 1))
    idx = torch.tensor(data.draw(hnp.arrays(np.int64, 3, elements=st.integers(0, shape[dim] - 1))))
    check_first_order(lambda x: x.index_select(dim, idx), leaf(arr, kind))
    source = np.ones(shape[:dim] + (3,) + shape[dim + 1:])
    check_first_order(lambda x, s: x.index_add(dim, idx, s, alpha=3), leaf(arr, kind), leaf(source))
    check_first_order(lambda x: x.index_fill(dim, idx, 2.), leaf(arr, kind))
    check_first_order(lambda x, v: x.index_fill(dim, idx, v), leaf(arr, kind), leaf(1.5))
    flat = torch.tensor(data.draw(hnp.arrays(np.int64, (2, 2), elements=st.integers(-arr.size, arr.size - 1))))
    check_first_order(lambda x: x.take(flat), leaf(arr, kind))


def test_index_ops_small_cases_and_names():
    w = torch.arange(6.).reshape(2, 3).requires_grad_()
    assert w.index_select(1, torch.tensor(2)).tolist() == [[2.], [5.]]
    assert repr(w.index_select(1, torch.tensor([2, 0])).grad_fn).startswith("<IndexSelectBackward0")
    assert repr(w.index_add(1, torch.tensor([0, 0]), torch.ones(2, 2)).grad_fn).startswith("<IndexAddBackward0")
    assert repr(w.index_fill(1, torch.tensor([0]), -1).grad_fn).startswith("<IndexFillBackward0")
    assert repr(w.index_fill(1, torch.tensor([0]), torch.tensor(-1.)).grad_fn).startswith("<IndexFillBackward1")
    assert repr(w.take(torch.tensor([0])).grad_fn).startswith("<TakeBackward0")
    assert w.take(torch.tensor([[0, 5], [5, -1]])).tolist() == [[0., 5.], [5., 5.]]
    assert torch.zeros(3).take(torch.tensor(1)).shape == ()
    assert torch.zeros(3).index_fill(0, torch.tensor([-1]), 1.).tolist() == [0., 0., 1.]
    assert torch.zeros(3).index_add(0, torch.tensor([0, 0]), torch.tensor([1., 2.]), alpha=2).tolist() == [6., 0., 0.]
    x = torch.zeros(3)
    x.index_add_(0, torch.tensor([1, 1]), torch.tensor([1., 1.]))
    x.index_fill_(0, torch.tensor([0]), 5.)
    assert x.tolist() == [5., 2., 0.]


INDEX_ERRORS = [
    (lambda: torch.ones(2, 3).index_select(1, torch.tensor([[2]])), IndexError, "index_select(): Index is supposed to be a vector"),
    (lambda: torch.ones(2, 3).index_select(1, torch.tensor([3])), RuntimeError, "INDICES element is out of DATA bounds, id=3 axis_dim=3"),
    (lambda: torch.ones(2, 3).index_select(1, torch.tensor([-1])), RuntimeError, "INDICES element is out of DATA bounds, id=-1 axis_dim=3"),
    (lambda: torch.ones(2, 3).index_select(1, torch.tensor([1.])), RuntimeError, "index_select(): Expected dtype int32 or int64 for index"),
    (lambda: torch.zeros(3).index_add(0, torch.tensor([0, 0]), torch.ones(3)), RuntimeError,
     "index_add_(): Number of indices (2) should be equal to source.size(dim): (3), for dim: 0"),
    (lambda: torch.zeros(3, 2).index_add(0, torch.tensor([0, 0]), torch.ones(2, 3)), RuntimeError,
     "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = [3, 2] source.shape = [2, 3]"),
    (lambda: torch.zeros(3).index_add(0, torch.tensor([5]), torch.ones(1)), IndexError, "index out of range in self"),
    (lambda: torch.zeros(3).index_add(0, torch.tensor([-1]), torch.ones(1)), IndexError, "index out of range in self"),
    (lambda: torch.zeros(3).index_add(0, torch.tensor([1]), torch.ones(1, dtype=torch.long)), RuntimeError,
     "index_add_(): self (Float) and source (Long) must have the same scalar type"),
    (lambda: torch.zeros(3).index_add(0, torch.tensor([[1]]), torch.ones(1)), IndexError,
     "index_add_(): Index is supposed to be a vector, but got dim: 2 with type: Long and size: [1, 1]"),
    (lambda: torch.zeros(3).index_add(0, torch.tensor([1.]), torch.ones(1)), RuntimeError,
     "index_add_(): Expected dtype int32/int64 for index but got: Float"),
    (lambda: torch.zeros(3).index_fill(0, torch.tensor([5]), 1.), IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (lambda: torch.zeros(3).index_fill(0, torch.tensor([1.]), 1.), IndexError, "index_fill_(): Expected dtype int64 for index."),
    (lambda: torch.zeros(3).index_fill(0, torch.tensor([1]), torch.tensor([1.])), RuntimeError,
     "index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)."),
    (lambda: torch.zeros(6).take(torch.tensor([6])), IndexError, "out of range: tried to access index 6 on a tensor of 6 elements."),
    (lambda: torch.zeros(6).take(torch.tensor([-7])), IndexError, "out of range: tried to access index -7 on a tensor of 6 elements."),
    (lambda: torch.zeros(3).take(torch.tensor([0.])), RuntimeError, "take(): Expected a long tensor for index, but got Float"),
    (lambda: torch.zeros(3).take(torch.tensor([0], dtype=torch.int32)), RuntimeError, "take(): Expected a long tensor for index, but got Int"),
]


@pytest.mark.parametrize("fn, error, message", INDEX_ERRORS)
def test_index_op_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn()
    assert str(info.value) == message


# ---- masks ---------------------------------------------------------------------------------------


@st.composite
def mask_cases(draw):
    """``(array, mask)`` whose shapes broadcast (either may have fewer or size-1 dims)."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
    mshape = shape[draw(st.integers(0, len(shape) - 1)):]
    mshape = tuple(1 if draw(st.booleans()) else n for n in mshape)
    if draw(st.booleans()):
        shape, mshape = mshape, shape  # the mask may be the larger one
    return (draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5))),
            draw(hnp.arrays(np.bool_, mshape)))


@SETTINGS
@given(mask_cases(), layouts)
def test_masked_fill_and_select_match_numpy(case, kind):
    arr, mask = case
    x, m = layout(arr, kind), torch.tensor(mask)
    np.testing.assert_array_equal(x.masked_fill(m, -1.).numpy(), np.where(mask, -1., arr))
    np.testing.assert_array_equal(x.masked_fill(m, torch.tensor(2.)).numpy(), np.where(mask, 2., arr))
    big = np.broadcast_shapes(arr.shape, mask.shape)
    np.testing.assert_array_equal(x.masked_select(m).numpy(), np.broadcast_to(arr, big)[np.broadcast_to(mask, big)])


@FEW
@given(mask_cases(), layouts)
def test_masked_fill_and_select_gradients(case, kind):
    arr, mask = case
    m = torch.tensor(mask)
    check_first_order(lambda x: x.masked_fill(m, 0.), leaf(arr, kind))
    check_first_order(lambda x, v: x.masked_fill(m, v), leaf(arr, kind), leaf(3.))
    check_first_order(lambda x: x.masked_select(m), leaf(arr, kind))


def test_masked_ops_small_cases_and_names():
    w = torch.arange(6.).reshape(2, 3).requires_grad_()
    m = torch.tensor([True, False, True])
    assert w.masked_fill(m, -1).tolist() == [[-1., 1., -1.], [-1., 4., -1.]]
    assert repr(w.masked_fill(m, -1).grad_fn).startswith("<MaskedFillBackward0")
    assert repr(w.masked_fill(m, torch.tensor(1.5, requires_grad=True)).grad_fn).startswith("<MaskedFillBackward1")
    assert repr(w.masked_select(m).grad_fn).startswith("<MaskedSelectBackward0")
    assert torch.arange(3).masked_fill(m, 1.7).tolist() == [1, 1, 1]  # cast to the input's dtype
    assert torch.zeros(3).masked_fill(torch.ones(2, 3, dtype=torch.bool), 1).shape == (2, 3)
    x = torch.zeros(2, 3)
    x.masked_fill_(m, 4.)
    assert x.tolist() == [[4., 0., 4.], [4., 0., 4.]]
    v = torch.tensor(2., requires_grad=True)
    torch.zeros(2, 3).masked_fill(m, v).sum().backward()
    assert v.grad.item() == 4.


MASK_ERRORS = [
    (lambda: torch.zeros(2).masked_fill(torch.zeros(2), 1.), RuntimeError,
     "masked_fill_ only supports boolean masks, but got mask with dtype float"),
    (lambda: torch.zeros(2).masked_fill(torch.zeros(2, dtype=torch.uint8), 1.), RuntimeError,
     "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char"),
    (lambda: torch.zeros(2).masked_fill(torch.zeros(2, dtype=torch.long), 1.), RuntimeError,
     "masked_fill_ only supports boolean masks, but got mask with dtype long int"),
    (lambda: torch.zeros(2).masked_fill(torch.zeros(2, dtype=torch.bool), torch.tensor([1., 2.])), RuntimeError,
     "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)."),
    (lambda: torch.zeros(2, 3).masked_fill(torch.zeros(2, dtype=torch.bool), 1.), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1"),
    (lambda: torch.zeros(3).masked_fill_(torch.zeros(2, 3, dtype=torch.bool), 1.), RuntimeError,
     "output with shape [3] doesn't match the broadcast shape [2, 3]"),
    (lambda: torch.zeros(3).masked_select(torch.ones(2, dtype=torch.bool)), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (lambda: torch.zeros(3).masked_select(torch.ones(3)), RuntimeError, "masked_select: expected BoolTensor for mask"),
]


@pytest.mark.parametrize("fn, error, message", MASK_ERRORS)
def test_mask_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn()
    assert str(info.value) == message


# ---- nonzero ---------------------------------------------------------------------------------------


@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
                  elements=st.integers(0, 2)), layouts)
def test_nonzero_matches_numpy(arr, kind):
    x = layout(arr, kind)
    out = x.nonzero()
    assert out.dtype == torch.int64
    if arr.ndim:
        np.testing.assert_array_equal(out.numpy(), np.argwhere(arr))
        for got, want in zip(x.nonzero(as_tuple=True), np.nonzero(arr)):
            np.testing.assert_array_equal(got.numpy(), want)
        np.testing.assert_array_equal(x[x.nonzero(as_tuple=True)].numpy(), arr[arr != 0])
        np.testing.assert_array_equal(torch.argwhere(x).numpy(), np.argwhere(arr))


def test_nonzero_layout_and_zero_dim_cases():
    out = torch.tensor([[0, 1], [2, 0], [3, 3]]).nonzero()
    assert out.tolist() == [[0, 1], [1, 0], [2, 0], [2, 1]] and out.stride() == (1, 4)  # torch's column layout
    assert torch.tensor(3).nonzero().shape == (1, 0) and torch.tensor(0).nonzero().shape == (0, 0)
    assert [t.tolist() for t in torch.tensor(3).nonzero(as_tuple=True)] == [[0]]
    assert [t.tolist() for t in torch.tensor(0).nonzero(as_tuple=True)] == [[]]
    assert [t.tolist() for t in torch.where(torch.tensor([0, 1]))] == [[1]]
    assert torch.tensor([0.5, 0.]).nonzero().tolist() == [[0]]


# ---- the same ops on the GPU (skipped without one) ------------------------------------------------


@pytest.mark.cuda
def test_indexing_ops_on_cuda_match_cpu():
    arr = np.arange(24.).reshape(2, 3, 4)
    ops = [  # op(x, t): t makes an index tensor on x's device
        lambda x, t: x[1, :, [0, 1]], lambda x, t: x[:, t([True, False, True])], lambda x, t: x[[0, 0, 1], None, [2, 1, 1]],
        lambda x, t: x[:, torch.tensor([2, 0])],  # a CPU index tensor for a cuda tensor is fine in x[...]
        lambda x, t: x[0].gather(1, t([[0, 2], [1, 1]])), lambda x, t: x[0].scatter_add(1, t([[0, 2], [1, 1]]), x[0, :2, :2]),
        lambda x, t: x[0].scatter(1, t([[0, 2], [1, 0]]), x[0, :2, :2]),  # no repeated target: GPU order varies
        lambda x, t: x.index_select(2, t([3, 0, 3])), lambda x, t: x.index_add(1, t([2, 2]), x[:, :2]),
        lambda x, t: x.index_fill(1, t([0, 0]), -1.), lambda x, t: x.masked_fill(t([[True], [False], [True]]), 0.),
        lambda x, t: x.masked_select(t([[True], [False], [True]])), lambda x, t: x.take(t([[5, -1]])),
        lambda x, t: x.index_put((t([0, 0]), t([1, 1])), x[0, :2] * 2, accumulate=True),
    ]
    for op in ops:
        outs, grads = [], []
        for device in ("cpu", "cuda"):
            x = torch.tensor(arr, device=device, requires_grad=True)
            out = op(x, lambda data, device=device: torch.tensor(data, device=device))
            (out * out).sum().backward()
            outs.append(out.detach().cpu().numpy()), grads.append(x.grad.cpu().numpy())
            assert out.device.type == device
        np.testing.assert_allclose(outs[1], outs[0])
        np.testing.assert_allclose(grads[1], grads[0])
    x = torch.zeros(3, device="cuda")
    x[torch.tensor([True, False, True], device="cuda")] = 2.
    x[[1]] = torch.tensor([5.], device="cuda")
    assert x.tolist() == [2., 5., 2.] and x.nonzero().tolist() == [[0], [1], [2]]
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x.gather(0, torch.tensor([0]))
