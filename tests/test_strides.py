"""Tests for minitorch._strides: the pure-python stride arithmetic behind views.

Expected values written out below were produced by PyTorch 2.13 for the same geometry.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minitorch import _strides as S


# ---- contiguous strides, positions, contiguity -----------------------------------------------

@pytest.mark.parametrize("shape,strides", [
    ((), ()), ((5,), (1,)), ((2, 3, 4), (12, 4, 1)), ((3, 1, 2), (2, 2, 1)),
    ((2, 0, 3), (3, 3, 1)), ((0,), (1,)), ((1, 1), (1, 1)),
])
def test_contiguous_strides(shape, strides):
    assert S.contiguous_strides(shape) == strides


def test_storage_position():
    assert S.storage_position((1, 2), (3, 1), offset=1) == 6
    assert S.storage_position((), (), offset=4) == 4
    assert S.storage_position((2, 0, 1), (0, 5, 7)) == 7


@pytest.mark.parametrize("shape,strides,expected", [
    ((2, 3), (3, 1), True), ((3, 2), (1, 3), False), ((3, 1), (1, 7), True), ((1, 4), (99, 1), True),
    ((2, 0), (5, 9), True), ((), (), True), ((4,), (2,), False), ((3, 4), (4, 0), False),
])
def test_is_contiguous(shape, strides, expected):
    assert S.is_contiguous(shape, strides) is expected


# ---- infer_size ------------------------------------------------------------------------------

def test_infer_size():
    assert S.infer_size((2, -1), 6) == (2, 3)
    assert S.infer_size((-1,), 0) == (0,)
    assert S.infer_size((3, 0, 5), 0) == (3, 0, 5)
    assert S.infer_size((), 1) == ()


@pytest.mark.parametrize("shape,numel,message", [
    ((4, 2), 6, "shape '[4, 2]' is invalid for input of size 6"),
    ((4, -1), 6, "shape '[4, -1]' is invalid for input of size 6"),
    ((-1, -1), 6, "only one dimension can be inferred"),
    ((-2, 3), 6, "invalid shape dimension -2 at index 0 of shape [-2, 3]"),
    ((0, -1, 3), 0, "cannot reshape tensor of 0 elements into shape [0, -1, 3] because the unspecified "
                    "dimension size -1 can be any value and is ambiguous"),
    ((6, 0), 6, "shape '[6, 0]' is invalid for input of size 6"),
])
def test_infer_size_errors(shape, numel, message):
    with pytest.raises(RuntimeError) as info:
        S.infer_size(shape, numel)
    assert str(info.value) == message


# ---- view_strides: written out from torch's .view() ------------------------------------------

# (shape, strides, new shape, strides of torch's view or None when torch's view() refuses)
VIEW_CASES = [
    ((2, 3, 4), (12, 4, 1), (24,), (1,)),  # contig (2,3,4)
    ((2, 3, 4), (12, 4, 1), (4, 6), (6, 1)),  # contig (2,3,4)
    ((2, 3, 4), (12, 4, 1), (6, 4), (4, 1)),  # contig (2,3,4)
    ((2, 3, 4), (12, 4, 1), (2, 12), (12, 1)),  # contig (2,3,4)
    ((4, 2, 3), (1, 12, 4), (-1,), None),  # permute(2,0,1)
    ((4, 2, 3), (1, 12, 4), (24,), None),  # permute(2,0,1)
    ((4, 2, 3), (1, 12, 4), (6, 4), None),  # permute(2,0,1)
    ((4, 2, 3), (1, 12, 4), (2, 12), None),  # permute(2,0,1)
    ((4, 2, 3), (1, 12, 4), (4, 6), (1, 4)),  # permute(2,0,1)
    ((4, 2, 3), (1, 12, 4), (4, 3, 2), (1, 8, 4)),  # permute(2,0,1)
    ((4, 2, 3), (1, 12, 4), (2, 2, 6), (2, 1, 4)),  # permute(2,0,1)
    ((4, 2, 3), (1, 12, 4), (2, 2, 2, 3), (2, 1, 12, 4)),  # permute(2,0,1)
    ((3, 2, 4), (4, 12, 1), (-1,), None),  # transpose(0,1)
    ((3, 2, 4), (4, 12, 1), (24,), None),  # transpose(0,1)
    ((3, 2, 4), (4, 12, 1), (4, 6), None),  # transpose(0,1)
    ((3, 2, 4), (4, 12, 1), (6, 4), None),  # transpose(0,1)
    ((6, 4), (1, 6), (-1,), None),  # t() of (4,6)
    ((6, 4), (1, 6), (24,), None),  # t() of (4,6)
    ((6, 4), (1, 6), (4, 6), None),  # t() of (4,6)
    ((6, 4), (1, 6), (2, 12), None),  # t() of (4,6)
    ((6, 4), (1, 6), (6, 4), (1, 6)),  # t() of (4,6)
    ((6, 4), (1, 6), (2, 3, 4), (3, 1, 6)),  # t() of (4,6)
    ((4, 3), (6, 2), (12,), (2,)),  # [:, ::2] of (4,6)
    ((4, 3), (6, 2), (3, 4), (8, 2)),  # [:, ::2] of (4,6)
    ((4, 3), (6, 2), (4, 3), (6, 2)),  # [:, ::2] of (4,6)
    ((4, 3), (6, 2), (2, 6), (12, 2)),  # [:, ::2] of (4,6)
    ((2, 6), (12, 1), (-1,), None),  # [::2] of (4,6)
    ((2, 6), (12, 1), (12,), None),  # [::2] of (4,6)
    ((2, 6), (12, 1), (3, 4), None),  # [::2] of (4,6)
    ((2, 6), (12, 1), (4, 3), None),  # [::2] of (4,6)
    ((2, 6), (12, 1), (2, 6), (12, 1)),  # [::2] of (4,6)
    ((2, 6), (12, 1), (2, 2, 3), (12, 3, 1)),  # [::2] of (4,6)
    ((4, 3), (6, 1), (-1,), None),  # [:, 1:4] of (4,6)
    ((4, 3), (6, 1), (12,), None),  # [:, 1:4] of (4,6)
    ((4, 3), (6, 1), (3, 4), None),  # [:, 1:4] of (4,6)
    ((4, 3), (6, 1), (2, 6), None),  # [:, 1:4] of (4,6)
    ((4, 3), (6, 1), (4, 3), (6, 1)),  # [:, 1:4] of (4,6)
    ((4, 3), (6, 1), (2, 2, 3), (12, 6, 1)),  # [:, 1:4] of (4,6)
    ((4, 3), (6, 1), (4, 1, 3), (6, 3, 1)),  # [:, 1:4] of (4,6)
    ((3, 4), (1, 0), (-1,), None),  # expand (3,1)->(3,4)
    ((3, 4), (1, 0), (12,), None),  # expand (3,1)->(3,4)
    ((3, 4), (1, 0), (4, 3), None),  # expand (3,1)->(3,4)
    ((3, 4), (1, 0), (2, 6), None),  # expand (3,1)->(3,4)
    ((3, 4), (1, 0), (3, 4), (1, 0)),  # expand (3,1)->(3,4)
    ((3, 4), (1, 0), (3, 2, 2), (1, 0, 0)),  # expand (3,1)->(3,4)
    ((3, 4), (1, 0), (3, 1, 4), (1, 0, 0)),  # expand (3,1)->(3,4)
    ((3, 4), (1, 0), (1, 3, 4), (3, 1, 0)),  # expand (3,1)->(3,4)
    ((3, 4), (0, 1), (-1,), None),  # expand (1,4)->(3,4)
    ((3, 4), (0, 1), (12,), None),  # expand (1,4)->(3,4)
    ((3, 4), (0, 1), (4, 3), None),  # expand (1,4)->(3,4)
    ((3, 4), (0, 1), (2, 6), None),  # expand (1,4)->(3,4)
    ((3, 4), (0, 1), (3, 4), (0, 1)),  # expand (1,4)->(3,4)
    ((3, 4), (0, 1), (3, 2, 2), (0, 2, 1)),  # expand (1,4)->(3,4)
    ((3, 4), (0, 1), (3, 1, 4), (0, 4, 1)),  # expand (1,4)->(3,4)
    ((3, 4), (0, 1), (1, 3, 4), (0, 0, 1)),  # expand (1,4)->(3,4)
    ((2, 1, 3), (3, 3, 1), (6,), (1,)),  # unsqueeze (2,1,3)
    ((2, 1, 3), (3, 3, 1), (2, 3), (3, 1)),  # unsqueeze (2,1,3)
    ((2, 1, 3), (3, 3, 1), (3, 2), (2, 1)),  # unsqueeze (2,1,3)
    ((2, 1, 3), (3, 3, 1), (1, 6), (6, 1)),  # unsqueeze (2,1,3)
    ((4, 1, 2), (6, 6, 3), (8,), (3,)),  # (4,1,6)[:, :, ::3]
    ((2, 3), (12, 4), (6,), (4,)),  # (2,3,4)[:, :, 1]
    ((2, 3), (12, 4), (2, 3), (12, 4)),  # (2,3,4)[:, :, 1]
    ((2, 3), (12, 4), (3, 2), (8, 4)),  # (2,3,4)[:, :, 1]
    ((2, 3), (12, 4), (1, 6), (24, 4)),  # (2,3,4)[:, :, 1]
    ((3, 4), (4, 1), (12,), (1,)),  # (2,3,4)[1]
    ((3, 4), (4, 1), (3, 4), (4, 1)),  # (2,3,4)[1]
    ((3, 4), (4, 1), (4, 3), (3, 1)),  # (2,3,4)[1]
    ((3, 4), (4, 1), (2, 6), (6, 1)),  # (2,3,4)[1]
    ((2, 6), (2, 4), (-1,), None),  # (6,4).t()[::2]
    ((2, 6), (2, 4), (12,), None),  # (6,4).t()[::2]
    ((2, 6), (2, 4), (3, 4), None),  # (6,4).t()[::2]
    ((2, 6), (2, 4), (4, 3), None),  # (6,4).t()[::2]
    ((2, 6), (2, 4), (2, 6), (2, 4)),  # (6,4).t()[::2]
    ((2, 6), (2, 4), (2, 2, 3), (2, 12, 4)),  # (6,4).t()[::2]
    ((), (), (1, 1), (1, 1)),  # a 0-d tensor
    ((0, 3), (3, 1), (3, 0, 5), (5, 5, 1)),  # no elements: any shape of 0 elements (row-major strides)
]


@pytest.mark.parametrize("shape,strides,new_shape,expected", VIEW_CASES)
def test_view_strides_match_torch(shape, strides, new_shape, expected):
    new_shape = S.infer_size(new_shape, math.prod(shape))
    assert S.view_strides(shape, strides, new_shape) == expected


def _positions(shape, strides, offset=0):
    """Storage positions of every element, in row-major order of the indices."""
    idx = np.indices(shape).reshape(len(shape), -1) if shape else np.zeros((0, 1), dtype=int)
    return offset + (np.asarray(strides, dtype=int).reshape(-1, 1) * idx).sum(0)


@st.composite
def strided_layouts(draw):
    """A layout reachable by torch view ops on a contiguous tensor: a row-major shape, then a
    permutation, then slices with steps (like Cornell minitorch's non-contiguous strategy)."""
    ndim = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim)))
    strides = S.contiguous_strides(shape)
    perm = draw(st.permutations(range(ndim)))
    shape, strides = tuple(shape[p] for p in perm), tuple(strides[p] for p in perm)
    sizes, steps = [], []
    for n, s in zip(shape, strides):
        step = draw(st.integers(1, 2))
        size = draw(st.integers(1, (n - 1) // step + 1))
        sizes.append(size)
        steps.append(s * step)
    return tuple(sizes), tuple(steps)


def _factorizations(n, max_dims=3):
    out = [(n,)]
    for d in range(1, n + 1):
        if n % d == 0:
            out.append((d, n // d))
            for e in range(1, n // d + 1):
                if (n // d) % e == 0:
                    out.append((d, e, n // d // e))
    return out


@settings(max_examples=50, deadline=None)
@given(strided_layouts(), st.data())
def test_view_strides_address_the_same_elements(layout, data):
    shape, strides = layout
    new_shape = data.draw(st.sampled_from(_factorizations(math.prod(shape))))
    new_strides = S.view_strides(shape, strides, new_shape)
    if new_strides is not None:  # a valid view reads the very same cells in the same order
        assert np.array_equal(_positions(new_shape, new_strides), _positions(shape, strides))
    # numpy's no-copy reshape follows the same rule: it succeeds exactly when the view exists
    base = np.arange(max(_positions(shape, strides)) + 1)
    arr = np.lib.stride_tricks.as_strided(base, shape, tuple(8 * s for s in strides))
    try:
        np.reshape(arr, new_shape, copy=False)
        numpy_ok = True
    except ValueError:
        numpy_ok = False
    assert numpy_ok == (new_strides is not None)


# ---- broadcasting and expand ------------------------------------------------------------------

@pytest.mark.parametrize("shapes,expected", [
    (((2, 1), (1, 3)), (2, 3)), (((4, 2, 3), (3,)), (4, 2, 3)), (((), (5,)), (5,)),
    (((2, 3), (4, 2, 3), (5, 1, 1, 1)), (5, 4, 2, 3)), ((), ()), (((0, 1), (1, 3)), (0, 3)),
])
def test_broadcast_shapes(shapes, expected):
    assert S.broadcast_shapes(*shapes) == expected
    assert np.broadcast_shapes(*shapes) == expected


@pytest.mark.parametrize("shapes,message", [  # torch names the first operand "a" and counts dims in the result
    (((2,), (3,)), "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (((2, 3), (3, 2)), "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"),
    (((2, 3), (4, 1, 2)), "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 2"),
    (((5, 2, 3), (4, 1, 3)), "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0"),
])
def test_broadcast_errors(shapes, message):
    with pytest.raises(RuntimeError) as info:
        S.broadcast_shapes(*shapes)
    assert str(info.value) == message


@pytest.mark.parametrize("shape,strides,new_shape,expected", [
    ((3, 1), (1, 1), (2, 3, 4), (0, 1, 0)),
    ((3,), (1,), (2, 3), (0, 1)),
    ((3, 1), (1, 1), (3, -1), (1, 1)),
    ((1, 4), (4, 1), (0, 4), (0, 1)),
    ((), (), (2, 2), (0, 0)),
])
def test_expand_strides(shape, strides, new_shape, expected):
    assert S.expand_strides(shape, strides, new_shape) == expected


@pytest.mark.parametrize("shape,new_shape,message", [
    ((3, 4), (-1, -2), "The expanded size of the tensor (-2) must match the existing size (4) at non-singleton "
                       "dimension 1.  Target sizes: [-1, -2].  Tensor sizes: [3, 4]"),
    ((3, 1), (4, 4), "The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
                     "dimension 0.  Target sizes: [4, 4].  Tensor sizes: [3, 1]"),
    ((3, 1), (-1, 3, 4), "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0"),
])
def test_expand_errors(shape, new_shape, message):
    with pytest.raises(RuntimeError) as info:
        S.expand_strides(shape, S.contiguous_strides(shape), new_shape)
    assert str(info.value) == message


def test_normalize_dim():
    assert S.normalize_dim(-1, 3) == 2 and S.normalize_dim(0, 0) == 0 and S.normalize_dim(-1, 0) == 0
    with pytest.raises(IndexError) as info:
        S.normalize_dim(3, 3)
    assert str(info.value) == "Dimension out of range (expected to be in range of [-3, 2], but got 3)"
    with pytest.raises(IndexError, match=r"\[-1, 0\], but got 1"):
        S.normalize_dim(1, 0)


# ---- overlap, density and the layouts torch gives new tensors ---------------------------------

@pytest.mark.parametrize("shape,strides,non_overlapping,dense", [
    ((3, 2), (1, 3), True, True), ((3, 2), (1, 1), False, False), ((2, 2), (3, 2), True, False),
    ((3, 4), (1, 0), False, False), ((1, 5), (0, 1), True, True), ((), (), True, True),
    ((4, 3), (6, 1), True, False),
])
def test_overlap_and_density(shape, strides, non_overlapping, dense):
    assert S.is_non_overlapping(shape, strides) is non_overlapping
    assert S.is_non_overlapping_and_dense(shape, strides) is dense


@pytest.mark.parametrize("shape,strides,expected", [  # torch.empty_like(x).stride() (preserve_format)
    ((3, 2), (1, 3), (1, 3)),          # zeros(2, 3).t(): dense, kept
    ((2, 2), (3, 2), (2, 1)),          # zeros(2, 3)[:, ::2]: not dense -> row-major
    ((4, 2, 3), (1, 12, 4), (1, 12, 4)),  # permute(2, 0, 1): dense, kept
    ((3, 4), (1, 0), (4, 1)),          # expand: overlapping -> row-major
    ((3, 2), (2, 6), (1, 3)),          # zeros(2, 6)[:, ::2].t()-like: column order kept, made dense
])
def test_like_strides(shape, strides, expected):
    assert S.like_strides(shape, strides) == expected


@pytest.mark.parametrize("shape,operands,expected", [  # (x op y).stride() in torch
    ((3, 2), [(1, 3), (2, 1)], (1, 3)),    # zeros(2,3).t() * zeros(3,2): the first operand decides
    ((3, 2), [(2, 1), (1, 3)], (2, 1)),    # and the other way round
    ((3, 2), [(1, 3), (0, 0)], (1, 3)),    # t() + 1
    ((4, 2, 3), [(1, 12, 4), (1, 12, 4)], (1, 12, 4)),  # same dense layout
    ((2, 3), [(3, 1), (0, 1)], (3, 1)),    # broadcasting a row
])
def test_elementwise_strides(shape, operands, expected):
    assert S.elementwise_strides(shape, operands) == expected


def test_layout_order():
    assert S.layout_order((2, 3), [(3, 1)]) == [1, 0]
    assert S.layout_order((3, 2), [(1, 3)]) == [0, 1]
    assert S.layout_order((3, 1, 2), [(1, 3, 3)]) == [0, 1, 2]  # tie on stride: the smaller dim is inner
