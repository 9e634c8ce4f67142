"""Stride arithmetic: the pure-python heart of "a tensor is a view onto a storage".

A tensor stores its elements in a flat *storage*. ``shape``, ``strides`` (in elements, not
bytes) and ``offset`` say where element ``[i0, i1, ...]`` lives::

    position = offset + i0 * strides[0] + i1 * strides[1] + ...

Everything here works on plain tuples of ints, so it can be read, tested and taught without
any tensor library at all.
"""

from __future__ import annotations

import functools
import math
import operator


@functools.lru_cache(maxsize=1024)  # asked for every new tensor: the same few shapes again and again
def contiguous_strides(shape):
    """Strides of a row-major (C-order) tensor: the last index moves fastest.

    >>> contiguous_strides((2, 3, 4))
    (12, 4, 1)
    """
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)  # a size-0 dim must not zero out the outer strides
    return tuple(reversed(strides))


def storage_position(index, strides, offset=0):
    """Where ``tensor[index]`` lives in the storage.

    >>> storage_position((1, 2), (3, 1), offset=1)
    6
    """
    return offset + sum(i * s for i, s in zip(index, strides))


def is_contiguous(shape, strides):
    """True when the layout equals the row-major one (dims of size 1 may have any stride).

    >>> is_contiguous((2, 3), (3, 1)), is_contiguous((3, 2), (1, 3))
    (True, False)
    """
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size == 0:
            return True
        if size != 1 and stride != expected:
            return False
        expected *= size
    return True


def infer_size(shape, numel):
    """Replace a single ``-1`` in ``shape`` so that the product equals ``numel``.

    >>> infer_size((2, -1), 6)
    (2, 3)
    """
    shape = tuple(shape)
    if shape.count(-1) == 1 and min(shape) == -1:  # the common case (view(-1), view(n, -1)): fast path
        known = -math.prod(shape)  # the product of the other sizes
        if known and numel % known == 0:
            i = shape.index(-1)
            return shape[:i] + (numel // known,) + shape[i + 1:]
    elif min(shape, default=0) >= 0 and math.prod(shape) == numel:  # nothing to infer
        return shape
    # Not a valid shape for numel elements: torch's error, checked in torch's order.
    for i, size in enumerate(shape):
        if size < -1:
            raise RuntimeError(f"invalid shape dimension {size} at index {i} of shape {list(shape)}")
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if -1 in shape and 0 in shape:  # 0 * anything == 0: the -1 could be any size
        raise RuntimeError(
            f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
            "unspecified dimension size -1 can be any value and is ambiguous")
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def view_strides(shape, strides, new_shape):
    """Strides that let ``new_shape`` reuse the same storage, or None if a copy is needed.

    Dims are grouped into "chunks" that are contiguous with one another; a view may only
    split or merge dims inside a chunk. This is the rule behind ``.view()``'s error.

    >>> view_strides((4, 10, 2), (20, 2, 1), (80,))
    (1,)
    >>> view_strides((2, 4, 10), (1, 20, 2), (80,)) is None   # a permuted tensor
    True
    """
    if strides == contiguous_strides(shape):  # row-major: any shape of the same size fits
        return contiguous_strides(new_shape)
    numel = math.prod(shape)
    if not shape:  # a single element fits any shape of ones
        return contiguous_strides(new_shape)
    if numel == 0:
        return contiguous_strides(new_shape) if math.prod(new_shape) == 0 else None
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = strides[-1] if strides else 1
    tensor_numel, view_numel = 1, 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        # A chunk ends where the next-outer dim is not laid out right after this one.
        chunk_ends = d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk_base_stride)
        if chunk_ends:
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base_stride = strides[d - 1]
                tensor_numel, view_numel = 1, 1
    if view_d != -1:
        return None
    return tuple(new_strides)


def broadcast_shapes(*shapes):
    """The shape that all ``shapes`` broadcast to (numpy/torch rules), or RuntimeError.

    Dims are matched from the right; each pair must be equal or contain a 1. Like torch, the
    error names the first operand as tensor ``a`` and the dim counted in the result.

    >>> broadcast_shapes((2, 1), (1, 3)), broadcast_shapes((4, 2, 3), (3,))
    ((2, 3), (4, 2, 3))
    """
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for i in range(ndim - 1, -1, -1):  # the last dim first, as torch checks them
        for shape in shapes:
            j = i - ndim + len(shape)
            if j < 0 or shape[j] == result[i] or shape[j] == 1:
                continue
            if result[i] != 1:
                raise RuntimeError(
                    f"The size of tensor a ({result[i]}) must match the size of tensor b ({shape[j]}) "
                    f"at non-singleton dimension {i}")
            result[i] = shape[j]
    return tuple(result)


def expand_strides(shape, strides, new_shape):
    """Strides that show a tensor of ``shape`` as ``new_shape`` without copying.

    New leading dims and expanded size-1 dims get stride 0: every index reads the same cell.
    ``-1`` in ``new_shape`` keeps that dim's size.

    >>> expand_strides((3, 1), (1, 1), (2, 3, 4))
    (0, 1, 0)
    """
    extra = len(new_shape) - len(shape)
    if extra < 0:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(new_shape)}) must be greater or equal "
            f"to the number of dimensions in the tensor ({len(shape)})")
    result = []
    for i, size in enumerate(new_shape):
        if i < extra:
            if size < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({size}) isn't allowed in a leading, non-existing dimension {i}")
            result.append(0)
            continue
        old = shape[i - extra]
        if size == -1 or size == old:
            result.append(strides[i - extra])
        elif old == 1 and size >= 0:
            result.append(0)
        else:
            raise RuntimeError(
                f"The expanded size of the tensor ({size}) must match the existing size ({old}) at "
                f"non-singleton dimension {i}.  Target sizes: {list(new_shape)}.  "
                f"Tensor sizes: {list(shape)}")
    return tuple(result)


def normalize_dim(dim, ndim):
    """Turn a possibly negative ``dim`` into an index in ``range(ndim)`` (0-d tensors accept 0 and -1).

    >>> normalize_dim(-1, 3)
    2
    """
    if not isinstance(dim, int):
        try:  # numpy integers and 0-d integer tensors count as ints
            dim = operator.index(dim)
        except TypeError:
            raise TypeError(f"argument 'dim' must be int, not {type(dim).__name__}") from None
    bound = max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {dim})"
        )
    return dim % bound


def is_non_overlapping(shape, strides):
    """True when no two indices of the view reach the same storage cell.

    >>> is_non_overlapping((3, 2), (1, 3)), is_non_overlapping((3, 2), (1, 1))
    (True, False)
    """
    extent = 1  # storage cells spanned by the dims with smaller strides
    for stride, size in sorted((st, sz) for sz, st in zip(shape, strides) if sz > 1):
        if stride < extent:
            return False
        extent += stride * (size - 1)
    return True


def is_non_overlapping_and_dense(shape, strides):
    """True when the view covers a block of storage exactly once, in some order of its dims.

    >>> is_non_overlapping_and_dense((3, 2), (1, 3)), is_non_overlapping_and_dense((2, 2), (3, 1))
    (True, False)
    """
    expected = 1
    for stride, size in sorted((st, sz) for sz, st in zip(shape, strides) if sz > 1):
        if stride != expected:
            return False
        expected *= size
    return True


def layout_order(shape, strides_list):
    """Dims from fastest- to slowest-moving, as torch's TensorIterator orders them.

    Starting from row-major order, an insertion sort moves a dim before another when the first
    operand that can tell (stride 0 = broadcast, cannot tell) has the smaller stride there.
    """
    def should_swap(d0, d1):  # 1: d0 must move after d1, -1: keep, 0: this operand can't tell
        for strides in strides_list:
            s0, s1 = strides[d0], strides[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if shape[d0] > shape[d1]:  # equal strides: the smaller dim goes first
                return 1
        return 0

    perm = list(range(len(shape) - 1, -1, -1))
    for i in range(1, len(perm)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[d0], perm[d1])
            if comparison > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif comparison < 0:
                break
    return perm


def _strides_for_order(shape, perm, skip_ones):
    strides, step = [0] * len(shape), 1
    for d in perm:
        strides[d] = step
        if not skip_ones or shape[d] > 1:
            step *= shape[d]
    return tuple(strides)


def like_strides(shape, strides):
    """Strides of ``empty_like`` / ``clone`` (torch's ``preserve_format``): the same strides when
    the input is dense, else a dense layout with the input's order of dims.

    >>> like_strides((3, 2), (1, 3)), like_strides((2, 2), (3, 2))
    ((1, 3), (2, 1))
    """
    if is_non_overlapping_and_dense(shape, strides):
        return tuple(strides)
    return _strides_for_order(shape, layout_order(shape, [strides]), skip_ones=True)


def elementwise_strides(shape, strides_list):
    """Strides torch gives the result of an elementwise op over operands with these strides
    (each already broadcast to ``shape``, 0 where broadcast): row-major when every operand is,
    the operands' common strides when they agree, else the layout the first operand suggests.

    >>> elementwise_strides((3, 2), [(1, 3), (2, 1)])
    (1, 3)
    """
    if all(is_contiguous(shape, s) for s in strides_list):
        return contiguous_strides(shape)
    first = strides_list[0]
    if all(s == first for s in strides_list) and is_non_overlapping_and_dense(shape, first):
        return tuple(first)
    return _strides_for_order(shape, layout_order(shape, strides_list), skip_ones=False)
