"""Reductions: sum and mean (more reductions: see the rest of this module)."""

from __future__ import annotations

from .. import _dtypes
from ..autograd.function import Function
from ._util import dims_arg, wrap


def _expand_back(grad, in_shape, dims, keepdim):
    """Undo a reduction's shape: re-insert reduced dims (if dropped) and broadcast to ``in_shape``."""
    if not keepdim:
        for d in dims:
            grad = grad.unsqueeze(d)
    return grad.expand(in_shape)


class Sum(Function):
    """Sum over ``dims``; every input element gets the output's gradient."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.in_shape, ctx.dims, ctx.keepdim = x._shape, dims, keepdim
        if dtype is None:  # integer sums accumulate (and return) int64, like torch
            dtype = x.dtype if x.dtype.is_floating_point else _dtypes.int64
        xp = x._backend.xp
        return wrap(xp.asarray(x._array.sum(axis=dims, keepdims=keepdim, dtype=dtype.np)), x.device)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad, ctx.in_shape, ctx.dims, ctx.keepdim), None, None, None


class Mean(Function):
    """Mean over ``dims``; every input element gets ``grad / count``."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        if dtype is None and not x.dtype.is_floating_point:
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point "
                f"or complex dtype. Got: {x.dtype.legacy_name}")
        ctx.in_shape, ctx.dims, ctx.keepdim = x._shape, dims, keepdim
        ctx.count = 1
        for d in dims:
            ctx.count *= x._shape[d]
        arr = x._array if dtype is None else x._array.astype(dtype.np)
        xp = x._backend.xp
        return wrap(xp.asarray(arr.mean(axis=dims, keepdims=keepdim), dtype=arr.dtype), x.device)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad / ctx.count, ctx.in_shape, ctx.dims, ctx.keepdim), None, None, None


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum of all elements, or along ``dim`` (an int or a tuple).

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]).sum(0)
    tensor([4, 6])
    """
    return Sum.apply(input, dims_arg(dim, input.dim()), keepdim, _dtypes.to_dtype(dtype) if dtype else None)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Arithmetic mean of all elements, or along ``dim``."""
    return Mean.apply(input, dims_arg(dim, input.dim()), keepdim, _dtypes.to_dtype(dtype) if dtype else None)


def all(input, dim=None, keepdim=False):
    """True where every element (along ``dim``) is nonzero."""
    arr = input._array.all(axis=dims_arg(dim, input.dim()), keepdims=keepdim)
    return wrap(input._backend.xp.asarray(arr), input.device)


def any(input, dim=None, keepdim=False):
    """True where some element (along ``dim``) is nonzero."""
    arr = input._array.any(axis=dims_arg(dim, input.dim()), keepdims=keepdim)
    return wrap(input._backend.xp.asarray(arr), input.device)


__all__ = ["sum", "mean", "all", "any"]
METHODS = __all__
