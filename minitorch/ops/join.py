"""Joining and rearranging tensors: cat/stack, tril/triu, diag, repeat/tile, flip, roll, meshgrid.

Every result is a new tensor (no views). Backwards undo the rearrangement on the gradient:
cat splits it, stack unbinds it, repeat sums the copies, flip flips it back, roll rolls it back.
"""

from __future__ import annotations

import functools
import warnings

from .. import _dtypes, _strides
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import check_devices, size_args, wrap


def _arrays(tensors):
    """The tensors' arrays in their common dtype (cat/stack promote mixed dtypes, as torch does)."""
    check_devices(*tensors)
    dtype = functools.reduce(_dtypes.promote_types, (t.dtype for t in tensors))
    return [t._array.astype(dtype.np, copy=False) for t in tensors]


def _check_list(tensors, name):
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not {type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")


# ---- cat / stack --------------------------------------------------------------------------------


class Cat(Function):
    """Join tensors end to end along an existing ``dim``; backward splits the gradient back.

    Legacy rule: 1-D empty tensors (``torch.tensor([])``) join any shape - they only take part
    in the dtype promotion (and get an empty gradient)."""

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.sizes = dim, [None if t.shape == (0,) else t.shape[dim] for t in tensors]
        arrays = [a for a, n in zip(_arrays(tensors), ctx.sizes) if n is not None] or _arrays(tensors)
        xp = tensors[0]._backend.xp
        return wrap(xp.asarray(xp.concatenate(arrays, axis=dim), order="C"), tensors[0].device)

    @staticmethod
    def backward(ctx, grad):
        pieces = iter(grad.split([n for n in ctx.sizes if n is not None], ctx.dim))
        return (None,) + tuple(grad.new_zeros(0) if n is None else next(pieces) for n in ctx.sizes)


def cat(tensors, dim=0, *, axis=None):
    """Concatenate tensors along ``dim`` (all other sizes must match; dtypes are promoted).

    >>> import minitorch as torch
    >>> torch.cat([torch.tensor([[1, 2]]), torch.tensor([[3, 4]])], dim=1)
    tensor([[1, 2, 3, 4]])
    """
    _check_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    dim = dim if axis is None else axis
    for i, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    first = next((t for t in tensors if t.shape != (0,)), tensors[0])  # (1-D empty tensors: see Cat)
    dim = _strides.normalize_dim(dim, first.dim())
    for i, t in enumerate(tensors):
        if t.shape == (0,):
            continue
        if t.dim() != first.dim():
            raise RuntimeError(f"Tensors must have same number of dimensions: got {first.dim()} and {t.dim()}")
        wrong = [d for d in range(t.dim()) if d != dim and t.shape[d] != first.shape[d]]
        if wrong:
            raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected size "
                               f"{first.shape[wrong[0]]} but got size {t.shape[wrong[0]]} for tensor number {i} in the list.")
    return Cat.apply(dim, *tensors)


concat = concatenate = cat


class Stack(Function):
    """Join equal-shaped tensors along a new ``dim``; backward unbinds the gradient."""

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        xp = tensors[0]._backend.xp
        return wrap(xp.asarray(xp.stack(_arrays(tensors), axis=dim), order="C"), tensors[0].device)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + grad.unbind(ctx.dim)


def stack(tensors, dim=0):
    """Stack equal-shaped tensors along a new dim ``dim``.

    >>> import minitorch as torch
    >>> torch.stack((torch.tensor([1, 2]), torch.tensor([3, 4]))).shape
    torch.Size([2, 2])
    """
    _check_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                               f"entry 0 and {list(t.shape)} at entry {i}")
    return Stack.apply(_strides.normalize_dim(dim, tensors[0].dim() + 1), *tensors)


def atleast_1d(*tensors):
    """The tensor(s) with at least 1 dim (a 0-d tensor becomes shape ``(1,)``)."""
    out = tuple(t.reshape(1) if t.dim() == 0 else t for t in _flat(tensors))
    return out[0] if len(out) == 1 else out


def atleast_2d(*tensors):
    """The tensor(s) with at least 2 dims: a vector becomes a row ``(1, n)``."""
    out = tuple(t.reshape(1, 1) if t.dim() == 0 else t.unsqueeze(0) if t.dim() == 1 else t for t in _flat(tensors))
    return out[0] if len(out) == 1 else out


def atleast_3d(*tensors):
    """The tensor(s) with at least 3 dims: ``(n,)`` -> ``(1, n, 1)``, ``(m, n)`` -> ``(m, n, 1)``."""
    out = tuple(t.reshape(1, -1, 1) if t.dim() < 2 else t.unsqueeze(-1) if t.dim() == 2 else t for t in _flat(tensors))
    return out[0] if len(out) == 1 else out


def _flat(tensors):
    return tuple(tensors[0]) if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors


def hstack(tensors):
    """Concatenate column-wise: along dim 1, or dim 0 for vectors."""
    tensors = [atleast_1d(t) for t in tensors]
    return cat(tensors, 0 if tensors and tensors[0].dim() == 1 else 1)


def vstack(tensors):
    """Concatenate row-wise (vectors become rows first)."""
    return cat([atleast_2d(t) for t in tensors], 0)


row_stack = vstack


def dstack(tensors):
    """Concatenate depth-wise, along dim 2 (after making every tensor 3-D)."""
    return cat([atleast_3d(t) for t in tensors], 2)


def column_stack(tensors):
    """Vectors become columns, then concatenate along dim 1."""
    return cat([t.reshape(-1, 1) if t.dim() < 2 else t for t in tensors], 1)


# ---- triangles and diagonals ------------------------------------------------------------------


class Tril(Function):
    """The lower triangle of the last two dims (on and below diagonal ``diagonal``); zeros elsewhere.
    The gradient keeps the same triangle."""

    part = "tril"

    @staticmethod
    def forward(ctx, x, diagonal):
        if x.dim() < 2:
            raise RuntimeError(f"{ctx._forward_cls.part}: input tensor must have at least 2 dimensions")
        ctx.diagonal = diagonal
        xp = x._backend.xp
        return wrap(xp.asarray(getattr(xp, ctx._forward_cls.part)(x._array, diagonal), order="C"), x.device)

    @staticmethod
    def backward(ctx, grad):
        return getattr(grad, ctx._forward_cls.part)(ctx.diagonal), None


class Triu(Tril):
    """The upper triangle (on and above diagonal ``diagonal``); zeros elsewhere."""

    part = "triu"


def tril(input, diagonal=0):
    """Zero the elements above diagonal ``diagonal`` (0: main, >0: above it, <0: below it).

    >>> import minitorch as torch
    >>> torch.ones(2, 2).tril()
    tensor([[1., 0.],
            [1., 1.]])
    """
    return Tril.apply(input, diagonal)


def triu(input, diagonal=0):
    """Zero the elements below diagonal ``diagonal``."""
    return Triu.apply(input, diagonal)


class DiagEmbed(Function):
    """Each vector along the last dim placed on diagonal ``offset`` of a new square matrix in
    dims ``(dim1, dim2)`` of the result. Backward reads that diagonal of the gradient."""

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.args = (offset, dim1, dim2)
        xp, n = x._backend.xp, x.shape[-1]
        out = xp.zeros(x.shape[:-1] + (n + abs(offset),) * 2, dtype=x.dtype.np)
        rows, cols = xp.arange(n) + max(-offset, 0), xp.arange(n) + max(offset, 0)
        out[..., rows, cols] = x._array
        return wrap(xp.asarray(xp.moveaxis(out, (-2, -1), (dim1, dim2)), order="C"), x.device)

    @staticmethod
    def backward(ctx, grad):
        return grad.diagonal(*ctx.args), None, None, None


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Matrices whose diagonal ``offset`` (in dims ``dim1``, ``dim2``) holds the last dim of ``input``."""
    dim1, dim2 = _strides.normalize_dim(dim1, input.dim() + 1), _strides.normalize_dim(dim2, input.dim() + 1)
    if dim1 == dim2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagEmbed.apply(input, offset, dim1, dim2)


def diag(input, diagonal=0):
    """A vector -> the square matrix with it on diagonal ``diagonal``; a matrix -> that diagonal (a copy).

    >>> import minitorch as torch
    >>> torch.diag(torch.tensor([1, 2]))
    tensor([[1, 0],
            [0, 2]])
    """
    if input.dim() == 1:
        return diag_embed(input, diagonal)
    if input.dim() == 2:
        return input.diagonal(diagonal).clone()
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.dim()}D")


def diagflat(input, offset=0):
    """``diag`` of the flattened input."""
    return diag_embed(input.reshape(-1), offset)


# ---- repeating ------------------------------------------------------------------------------------


class Repeat(Function):
    """``x`` tiled ``sizes[d]`` times along each dim (extra leading sizes add dims).
    Backward: every cell of ``x`` gets the sum of the gradients of its copies."""

    @staticmethod
    def forward(ctx, x, sizes):
        ctx.in_shape, ctx.sizes = x._shape, sizes
        xp = x._backend.xp
        return wrap(xp.asarray(xp.tile(x._array, sizes), order="C"), x.device)

    @staticmethod
    def backward(ctx, grad):
        shape = (1,) * (len(ctx.sizes) - len(ctx.in_shape)) + ctx.in_shape
        # see each output dim as (copy, position): summing over the copy dims adds the copies up
        split = grad.reshape(tuple(n for copies, size in zip(ctx.sizes, shape) for n in (copies, size)))
        return split.sum(tuple(range(0, 2 * len(shape), 2))).reshape(ctx.in_shape), None


def repeat(input, *sizes):
    """Tile the whole tensor: ``x.repeat(2, 1)`` stacks two copies of ``x`` along dim 0.

    >>> import minitorch as torch
    >>> torch.tensor([1, 2]).repeat(2, 2)
    tensor([[1, 2, 1, 2],
            [1, 2, 1, 2]])
    """
    sizes = size_args(sizes)
    if len(sizes) < input.dim():
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    shape = (1,) * (len(sizes) - input.dim()) + input.shape
    out_shape = [r * n for r, n in zip(sizes, shape)]
    if any(n < 0 for n in out_shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out_shape)}: {out_shape}")
    return Repeat.apply(input, sizes)


def tile(input, *dims_args, dims=None):
    """``repeat`` that also accepts fewer sizes than dims (missing leading sizes count as 1)."""
    dims = size_args(dims_args if dims is None else (dims,))
    return repeat(input, (1,) * (input.dim() - len(dims)) + dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element (or each slice along ``dim``) ``repeats`` times, in place order.

    >>> import minitorch as torch
    >>> torch.tensor([1, 2]).repeat_interleave(2)
    tensor([1, 1, 2, 2])
    """
    if repeats is None:  # repeat_interleave(counts): the positions 0, 0, 1, ... themselves
        counts = input
        xp = counts._backend.xp
        return wrap(xp.repeat(xp.arange(counts.numel()), counts._array.reshape(-1)), counts.device)
    if dim is None:
        input, dim = input.reshape(-1), 0
    dim = _strides.normalize_dim(dim, input.dim())
    if isinstance(repeats, Tensor) and repeats.dim() == 0:
        repeats = repeats.item()
    if isinstance(repeats, int):  # a copy of every slice next to it: a new dim, expanded, merged
        shape = list(input.shape)
        shape.insert(dim + 1, repeats)
        from .creation import contiguous_format

        # a copy, as in torch (never memory shared with the input, even for repeats=1)
        return input.unsqueeze(dim + 1).expand(shape).clone(memory_format=contiguous_format).flatten(dim, dim + 1)
    if repeats.shape[0] != input.shape[dim]:
        raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                           f"{repeats.shape[0]} and input.size({dim}) = {input.shape[dim]}")
    positions = repeat_interleave(repeats)
    return input.index_select(dim, positions)


# ---- reordering -----------------------------------------------------------------------------


class Flip(Function):
    """Reverse the order of elements along ``dims``; the gradient is flipped back."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        # torch's "preserve format" layout, as clone: the input's (row-major for an expanded input)
        return wrap(x._backend.xp.flip(x._array, dims).copy(order="K"), x.device, x)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dims), None


def flip(input, *dims_args, dims=None):
    """Reverse along the given dims: ``x.flip(0)``, ``torch.flip(x, dims=(0, 1))``.

    >>> import minitorch as torch
    >>> torch.tensor([1, 2, 3]).flip(0)
    tensor([3, 2, 1])
    """
    dims = dims if dims is not None else dims_args[0] if len(dims_args) == 1 else dims_args
    dims = [_strides.normalize_dim(d, input.dim()) for d in ((dims,) if isinstance(dims, int) else dims)]
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return Flip.apply(input, tuple(dims) if input._shape else ())  # a 0-d tensor is its own flip


def fliplr(input):
    """Reverse the columns (dim 1)."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input):
    """Reverse the rows (dim 0)."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


class Roll(Function):
    """Shift elements along ``dims`` by ``shifts``, wrapping around; the gradient is rolled back."""

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        xp = x._backend.xp
        return wrap(xp.asarray(xp.roll(x._array, shifts, dims), order="C"), x.device)

    @staticmethod
    def backward(ctx, grad):
        back = -ctx.shifts if ctx.dims is None else tuple(-s for s in ctx.shifts)
        return grad.roll(back, ctx.dims), None, None


class Rot90(Function):
    """``k`` quarter turns (0..3) in the plane of ``dims``, from the first dim towards the second.
    As in torch, one turn is a flipped copy seen through a transposed view (so ``x.rot90()`` of a
    row-major matrix has strides ``(1, n)``), two turns are a flip, none is a row-major copy.
    The gradient is turned back."""

    @staticmethod
    def forward(ctx, x, k, dims):
        ctx.k, ctx.dims = k, dims
        xp, arr, (d0, d1) = x._backend.xp, x._array, dims
        if k == 0:
            out = arr.copy()
        elif k == 2:
            out = xp.flip(arr, dims).copy(order="K")
        else:  # one turn flips the second dim, three turns the first, then the two swap
            out = xp.flip(arr, d1 if k == 1 else d0).copy(order="K").swapaxes(d0, d1)
        return wrap(out, x.device)

    @staticmethod
    def backward(ctx, grad):
        return grad.rot90(-ctx.k, ctx.dims), None, None


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by ``k`` quarter turns (negative: the other way) in the plane of the two ``dims``.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]).rot90()
    tensor([[2, 4],
            [1, 3]])
    """
    if not isinstance(k, int) or isinstance(k, bool):
        raise TypeError(f"rot90(): argument 'k' (position 1) must be int, not {type(k).__name__}")
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.dim() < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.dim()}")
    d0, d1 = (_strides.normalize_dim(d, input.dim()) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    return Rot90.apply(input, k % 4, (d0, d1))


def roll(input, shifts, dims=None):
    """Shift elements along ``dims`` (of the flattened tensor when ``dims`` is None), wrapping around.

    >>> import minitorch as torch
    >>> torch.tensor([1, 2, 3]).roll(1)
    tensor([3, 1, 2])
    """
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return Roll.apply(input, shifts[0], None)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if not input._shape:  # roll checks its dims like size(dim) does
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    return Roll.apply(input, shifts, tuple(_strides.normalize_dim(d, input.dim()) for d in dims))


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors: with ``indexing='ij'`` output ``i`` varies along dim ``i``
    (``'xy'`` swaps the first two dims, like numpy). The grids are expanded views.

    >>> import minitorch as torch
    >>> ys, xs = torch.meshgrid(torch.arange(2), torch.arange(3), indexing="ij")
    >>> xs
    tensor([[0, 1, 2],
            [0, 1, 2]])
    """
    tensors = _flat(tensors)
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        tensors = (tensors[1], tensors[0]) + tuple(tensors[2:])
    shape = tuple(t.numel() for t in tensors)
    grids = [t.reshape(tuple(-1 if d == i else 1 for d in range(len(shape)))).expand(shape)
             for i, t in enumerate(tensors)]
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)



def diff(input, n=1, dim=-1, prepend=None, append=None):
    """Differences of neighbours along ``dim`` (``n`` times), after putting ``prepend`` before and
    ``append`` after. Bool tensors give ``!=`` of neighbours (torch's logical_xor).

    >>> import minitorch as torch
    >>> torch.tensor([1, 3, 7]).diff()
    tensor([2, 4])
    """
    if not input._shape:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    dim = _strides.normalize_dim(dim, input.dim())
    parts = [t if t.dim() else t.expand(input.shape[:dim] + (1,) + input.shape[dim + 1:])
             for t in (prepend, input, append) if t is not None]
    x = cat(parts, dim) if len(parts) > 1 else input
    for _ in range(n):
        length = x.shape[dim]
        if length == 0:
            break
        later, earlier = x.narrow(dim, 1, max(length - 1, 0)), x.narrow(dim, 0, max(length - 1, 0))
        x = later != earlier if x.dtype is _dtypes.bool_ else later - earlier
    return x


class BlockDiag(Function):
    """Matrices along the diagonal of a larger zero matrix; each gets its block of the gradient."""

    @staticmethod
    def forward(ctx, *blocks):
        dtype = _dtypes.result_type(*blocks)
        rows, cols = sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)
        xp = blocks[0]._backend.xp
        out = xp.zeros((rows, cols), dtype=dtype.np)
        ctx.corners, r, c = [], 0, 0
        for b in blocks:
            out[r:r + b.shape[0], c:c + b.shape[1]] = b._array
            ctx.corners.append((r, c, b.shape))
            r, c = r + b.shape[0], c + b.shape[1]
        return wrap(out, blocks[0].device)

    @staticmethod
    def backward(ctx, grad):
        return tuple(grad[r:r + shape[0], c:c + shape[1]] for r, c, shape in ctx.corners)


def block_diag(*tensors):
    """A block-diagonal matrix from the given tensors (0-d: 1x1, 1-D: one row).

    >>> import minitorch as torch
    >>> torch.block_diag(torch.tensor([[1, 2]]), torch.tensor(3))
    tensor([[1, 2, 0],
            [0, 0, 3]])
    """
    blocks = []
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.dim()} dimensions")
        blocks.append(t.reshape(1, 1) if t.dim() == 0 else t.reshape(1, -1) if t.dim() == 1 else t)
    return BlockDiag.apply(*blocks)

__all__ = """cat concat concatenate stack hstack vstack row_stack dstack column_stack atleast_1d atleast_2d
    atleast_3d tril triu diag diag_embed diagflat repeat_interleave tile flip fliplr flipud rot90 roll
    meshgrid diff block_diag""".split()
METHODS = """tril triu diag diag_embed diagflat repeat repeat_interleave tile flip fliplr flipud rot90 roll
    diff""".split()
INPLACE = ["tril", "triu"]
