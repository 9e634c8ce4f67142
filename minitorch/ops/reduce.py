"""Reductions and ops along a dim: sums, extremes, spreads, norms, scans, sorting, softmax.

Sections: dims and helpers | sum, mean, prod | max, min, amax, argmax | var, std |
norm, logsumexp, softmax | cumsum, cumprod | picking along a dim (max(dim), sort, topk,
kthvalue, median) and ``return_types`` | all, any, unique.

Every differentiable op is a ``Function``: forward on backend arrays, backward in tensor ops.
Reductions that pick elements (max, sort...) send the gradient back to the picked positions.
"""

from __future__ import annotations

import builtins
import collections
import functools
import math
import types
import warnings

from .. import _dtypes, _strides
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.function import Function
from ._kernels import accepts
from ._util import float_array, number_arg, python_scalar, require_tensors, scalar_as_vector, type_name, wrap, wrap_row_major
from .pointwise import maximum, minimum, opmath, where

# ---- dims and helpers ----------------------------------------------------------------------------


def _accepts_axis(fn):
    """torch takes numpy's names ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=``
    (``x.sum(axis=0, keepdims=True)``)."""

    @functools.wraps(fn)
    def with_axis(*args, axis=None, keepdims=None, **kwargs):
        if axis is not None:
            kwargs["dim"] = axis
        if keepdims is not None:
            kwargs["keepdim"] = keepdims
        return fn(*args, **kwargs)

    return with_axis


def _dims(input, dim):
    """``dim`` (None, an int or a sequence; empty = all) as a sorted tuple of dims to reduce.

    A 0-d tensor accepts dim 0 / -1 but has no axis to reduce: it gets ``()``.
    """
    ndim = input.dim()
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    dims = [_strides.normalize_dim(d, ndim) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))]
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(dims)) if ndim else ()


def _one_dim(name, input, dim):
    """A single dim (for scans, softmax, sort...), normalised; 0 for a 0-d tensor."""
    if not isinstance(dim, int) or isinstance(dim, builtins.bool):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    return _strides.normalize_dim(dim, input.dim())


def _lifted(x):
    """``x``'s array, a 0-d tensor seen as one element along dim 0 (torch lets dim 0 address it)."""
    return x._array.reshape(x._shape or (1,))


def _count(shape, dims):
    return math.prod(shape[d] for d in dims)


def _expand_back(grad, in_shape, dims, keepdim):
    """Undo a reduction's shape: re-insert reduced dims (if dropped) and broadcast to ``in_shape``."""
    if not keepdim:
        for d in dims:
            grad = grad.unsqueeze(d)
    return grad.expand(in_shape)


def _div_or_zero(a, b):
    """``a / b``, but 0 where ``b == 0`` - without dividing by zero anywhere, so that higher
    derivatives stay finite too (torch's gradient of ``norm`` and ``std`` at 0 is 0)."""
    zero = b == 0
    return where(zero, 0.0, a / where(zero, 1.0, b))


def _int64_unless_float(x, dtype):
    """Sums and products of integers (and bools) accumulate in int64 unless ``dtype`` says otherwise."""
    if dtype is not None:
        return _dtypes.to_dtype(dtype)
    return x.dtype if x.dtype.is_floating_point else _dtypes.int64


def _check_nonempty(name, input, dim):
    """max/min/amax... of no elements have no value: torch's errors."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        if input.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        return
    for d in _dims(input, dim):
        if input._shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


# ---- sum, mean, prod -------------------------------------------------------------------------------


class Sum(Function):
    """Sum over ``dims``; every input element gets the output's gradient."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.in_shape, ctx.dims, ctx.keepdim = x._shape, dims, keepdim
        xp = x._backend.xp
        return wrap_row_major(xp.asarray(x._array.sum(axis=dims, keepdims=keepdim, dtype=dtype.np)), x.device)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad, ctx.in_shape, ctx.dims, ctx.keepdim), None, None, None


class SumDim(Sum):
    backward_name = "SumBackward1"  # torch's name for the overload with ``dim``


class Nansum(Sum):
    """Sum that treats NaN as 0 (and gives NaN elements no gradient)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.save_for_backward(x)
        clean = wrap(x._backend.xp.where(x._array != x._array, 0, x._array), x.device)
        return Sum.forward(ctx, clean, dims, keepdim, dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return Sum.backward(ctx, grad)[0] * (x == x), None, None, None


class Mean(Function):
    """Mean over ``dims``; every input element gets ``grad / count``."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        if dtype is None and not x.dtype.is_floating_point:
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point "
                f"or complex dtype. Got: {x.dtype.legacy_name}")
        ctx.in_shape, ctx.dims, ctx.keepdim = x._shape, dims, keepdim
        ctx.count = _count(x._shape, dims)
        arr = x._array if dtype is None else x._array.astype(dtype.np)
        xp = x._backend.xp
        if ctx.count == 0:  # torch gives nan (0 / 0) silently; numpy's mean would warn "Mean of empty slice"
            return wrap(xp.full(arr.sum(axis=dims, keepdims=keepdim).shape, xp.nan, dtype=arr.dtype), x.device)
        return wrap_row_major(xp.asarray(arr.mean(axis=dims, keepdims=keepdim), dtype=arr.dtype), x.device)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad / ctx.count, ctx.in_shape, ctx.dims, ctx.keepdim), None, None, None


class MeanDim(Mean):
    backward_name = "MeanBackward1"


class Prod(Function):
    """Product over ``dims``. d prod / d x_i = the product of the *other* elements: the result
    divided by x_i where no element is zero (as torch, which saves the result too); with zeros,
    computed without dividing, so they get their correct gradient."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.dims, ctx.keepdim = dims, keepdim
        xp = x._backend.xp
        out = wrap_row_major(xp.asarray(x._array.prod(axis=dims, keepdims=keepdim, dtype=dtype.np)), x.device)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        zero = x == 0
        grad = _expand_back(grad, x.shape, ctx.dims, ctx.keepdim)
        if x.dim() and grad_mode._state["enabled"] and zero.any():  # create_graph: see _products_of_the_others
            return grad * _products_of_the_others(x, ctx.dims), None, None, None
        nonzero_product = Prod.apply(where(zero, 1.0, x), ctx.dims, True, x.dtype)
        zeros = zero.sum(ctx.dims, keepdim=True)
        # No zero: others = prod / x_i. One zero: the zero gets the product of the rest, the
        # others 0. Two zeros or more: every "product of the others" contains a zero.
        product = where(zeros == 0, _expand_back(out, x.shape, ctx.dims, ctx.keepdim), 0.0)
        others = where(zero, nonzero_product * (zeros == 1), product / where(zero, 1.0, x))
        return grad * others, None, None, None


class ProdDim(Prod):
    backward_name = "ProdBackward1"


def _products_of_the_others(x, dims):
    """For each element, the product of the other elements of its slice over ``dims``: the running
    product of those before it times that of those after it. No division, no constant for a slice
    with zeros, so it is right to differentiate again (double backward), as torch's
    ``prod_safe_zeros_backward``; ``Prod.backward`` uses it with ``create_graph`` when x has a zero."""
    from .join import cat

    ends = tuple(range(x.dim() - len(dims), x.dim()))
    moved = x.movedim(dims, ends)
    rows = moved.reshape(*moved.shape[:len(moved.shape) - len(dims)], -1)
    ones = rows.new_ones((*rows.shape[:-1], 1))
    before = cat([ones, rows[..., :-1]], -1).cumprod(-1)
    after = cat([ones, rows.flip(-1)[..., :-1]], -1).cumprod(-1).flip(-1)
    return (before * after).reshape(moved.shape).movedim(ends, dims)


@_accepts_axis
def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum of all elements, or along ``dim`` (an int or a tuple). Integers sum to int64.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]).sum(0)
    tensor([4, 6])
    """
    op = Sum if dim is None else SumDim
    return op.apply(input, _dims(input, dim), keepdim, _int64_unless_float(input, dtype))


@_accepts_axis
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum that skips NaN: ``torch.tensor([1., float('nan')]).nansum()`` is ``tensor(1.)``."""
    return Nansum.apply(input, _dims(input, dim), keepdim, _int64_unless_float(input, dtype))


@_accepts_axis
def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Arithmetic mean of all elements, or along ``dim`` (floating point inputs, or give ``dtype``).

    >>> import minitorch as torch
    >>> torch.tensor([[1., 2.], [3., 4.]]).mean(1)
    tensor([1.5000, 3.5000])
    """
    dtype = _dtypes.to_dtype(dtype) if dtype else None
    if dtype is not None and not dtype.is_floating_point:
        raise RuntimeError("mean(): could not infer output dtype. Optional dtype must be either a floating point or "
                           f"complex dtype. Got: {dtype.legacy_name}")
    op = Mean if dim is None else MeanDim
    return op.apply(input, _dims(input, dim), keepdim, dtype)


@_accepts_axis
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of all elements, or along one ``dim``. Integers multiply in int64.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]).prod(1)
    tensor([ 2, 12])
    """
    if dim is None:
        return Prod.apply(input, _dims(input, None), False, _int64_unless_float(input, dtype))
    return ProdDim.apply(input, (_one_dim("prod", input, dim),) if input.dim() else (), keepdim,
                         _int64_unless_float(input, dtype))


# ---- max, min, amax, amin, argmax, argmin -------------------------------------------------------------


class ValueReduction(Function):
    """A reduction whose result is one of the input values (amax, amin, max(), median()).

    A subclass gives ``compute(xp, array, dims, keepdim)``. The gradient goes to the elements
    equal to the result, shared evenly among ties (as torch does: each of two maxima gets 1/2).
    """

    # amax/amin (torch's scale_grad_by_count) compare with == only, so a nan result gives its whole
    # slice a nan gradient (0 hits: grad / 0 * 0); max(), min() and median() of all elements
    # (torch's evenly_distribute_backward) set ``nan_hits``: a nan result's gradient goes to the nans.
    nan_hits = False

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        out = wrap_row_major(x._backend.xp.asarray(ctx._forward_cls.compute(x._backend.xp, x._array, dims, keepdim)),
                             x.device)
        ctx.save_for_backward(x, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        out = _expand_back(out, x.shape, ctx.dims, ctx.keepdim)
        hit = x == out
        if ctx._forward_cls.nan_hits:
            hit = hit | (x.isnan() & out.isnan())
        share = _expand_back(grad, x.shape, ctx.dims, ctx.keepdim) / hit.sum(ctx.dims, keepdim=True, dtype=grad.dtype)
        # torch's two formulas: the others get exactly 0 / the share times the 0-or-1 mask
        return (where(hit, share, 0.0) if ctx._forward_cls.nan_hits else share * hit), None, None


class Amax(ValueReduction):
    def compute(xp, a, dims, keepdim): return a.max(axis=dims, keepdims=keepdim)


class Amin(ValueReduction):
    def compute(xp, a, dims, keepdim): return a.min(axis=dims, keepdims=keepdim)


class MaxAll(Amax):
    backward_name = "MaxBackward1"  # x.max() (no dim) is torch's second overload of max
    nan_hits = True


class MinAll(Amin):
    backward_name = "MinBackward1"
    nan_hits = True


class MedianAll(ValueReduction):
    """The lower median of all elements (NaN if there is a NaN), as torch.median(x)."""

    backward_name = "MedianBackward0"
    nan_hits = True

    def compute(xp, a, dims, keepdim):
        ordered = xp.sort(a.reshape(-1))  # NaN sorts last
        if ordered.size == 0 or ordered[-1] != ordered[-1]:
            return xp.asarray(xp.nan).astype(a.dtype)  # integers: what C's cast of NaN gives, as torch
        return ordered[(ordered.size - 1) // 2]


@_accepts_axis
def amax(input, dim=(), keepdim=False):
    """Largest value over ``dim`` (an int or a tuple; all dims by default). Ties share the gradient.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 5], [3, 4]]).amax(0)
    tensor([3, 5])
    """
    _check_nonempty("amax", input, dim)
    return Amax.apply(input, _dims(input, dim), keepdim)


@_accepts_axis
def amin(input, dim=(), keepdim=False):
    """Smallest value over ``dim`` (an int or a tuple; all dims by default). Ties share the gradient."""
    _check_nonempty("amin", input, dim)
    return Amin.apply(input, _dims(input, dim), keepdim)


def _extreme(name, input, dim, keepdim, other):
    """The three forms of ``max``/``min``: of all elements, along a dim (values and indices), of two tensors."""
    if other is not None or isinstance(dim, Tensor):
        return (maximum if name == "max" else minimum)(input, dim if other is None else other)
    if dim is None:
        _check_nonempty(name, input, None)
        return (MaxAll if name == "max" else MinAll).apply(input, _dims(input, None), False)
    return _pick_along((MaxDim if name == "max" else MinDim), input, dim, keepdim)


@_accepts_axis
def max(input, dim=None, keepdim=False, *, other=None):
    """``max(x)``: the largest element. ``max(x, dim)``: ``(values, indices)`` along ``dim``.
    ``max(x, y)``: elementwise, like ``maximum``.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]).max(dim=1)
    torch.return_types.max(
    values=tensor([2, 4]),
    indices=tensor([1, 1]))
    """
    return _extreme("max", input, dim, keepdim, other)


@_accepts_axis
def min(input, dim=None, keepdim=False, *, other=None):
    """``min(x)``, ``min(x, dim)`` -> ``(values, indices)``, or elementwise ``min(x, y)``."""
    return _extreme("min", input, dim, keepdim, other)


def _arg_extreme(name, input, dim, keepdim):
    """Index of the first largest/smallest element: of the flattened tensor, or along ``dim``."""
    xp = input._backend.xp
    find = xp.argmax if name == "argmax" else xp.argmin
    if dim is None:
        if input.numel() == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        index, shape = find(input._array.reshape(-1)), (1,) * input.dim() if keepdim else ()
    else:
        dim = _one_dim(name, input, dim)
        _check_nonempty(name, input, dim)
        index = find(_lifted(input), axis=dim, keepdims=keepdim)
        shape = index.shape if input.dim() else ()
    return wrap(xp.asarray(index, dtype=xp.int64).reshape(shape), input.device)


@accepts("argmax")
@_accepts_axis
def argmax(input, dim=None, keepdim=False):
    """Index of the largest element (the first one on ties; NaN counts as largest).

    >>> import minitorch as torch
    >>> torch.tensor([[1, 5], [3, 4]]).argmax(), torch.tensor([[1, 5], [3, 4]]).argmax(0)
    (tensor(1), tensor([1, 0]))
    """
    return _arg_extreme("argmax", input, dim, keepdim)


@accepts("argmin")
@_accepts_axis
def argmin(input, dim=None, keepdim=False):
    """Index of the smallest element (the first one on ties)."""
    return _arg_extreme("argmin", input, dim, keepdim)


# ---- var, std (and with the mean) ---------------------------------------------------------------------


class Var(Function):
    """Variance ``sum((x - mean)**2) / (N - correction)`` over ``dims``.

    Subclasses: ``Std`` takes the square root; ``VarMean`` / ``StdMean`` also return the mean.
    d var / d x_i = 2 (x_i - mean) / (N - correction); d std = d var / (2 std) (0 where std = 0).
    """

    name, root, with_mean = "var", False, False

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim):
        op = ctx._forward_cls
        if not x.dtype.is_floating_point:
            what = "std and var" if op.name in ("std", "var") else op.name
            raise RuntimeError(f"{what} only support floating point and complex dtypes")
        xp, arr = x._backend.xp, x._array
        count = _count(x._shape, dims)
        ctx.dims, ctx.keepdim, ctx.count, ctx.dof = dims, keepdim, count, builtins.max(0, count - correction)
        if ctx.dof == 0:
            warnings.warn(f"{op.name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
                          "reduction factor (input numel divided by output numel).", UserWarning, stacklevel=6)
        mean = arr.mean(axis=dims, keepdims=True)
        spread = xp.asarray(((arr - mean) ** 2).sum(axis=dims, keepdims=keepdim) / ctx.dof, dtype=arr.dtype)
        spread = wrap_row_major(xp.sqrt(spread) if op.root else spread, x.device)
        ctx.save_for_backward(x, spread if op.root else None)  # as torch: var's backward needs only x
        if op.with_mean:
            return spread, wrap_row_major(xp.asarray(mean if keepdim else mean.reshape(spread._shape)), x.device)
        return spread

    @staticmethod
    def backward(ctx, grad, grad_mean=None):
        x, spread = ctx.saved_tensors
        shape, dims, keepdim = x.shape, ctx.dims, ctx.keepdim
        if ctx._forward_cls.root:
            grad = _div_or_zero(grad, 2 * spread)  # d sqrt(v) = dv / (2 sqrt(v))
        centered = x - x.mean(dims, keepdim=True)
        grad_x = _expand_back(grad, shape, dims, keepdim) * centered * 2 / ctx.dof
        if grad_mean is not None:
            grad_x = grad_x + _expand_back(grad_mean / ctx.count, shape, dims, keepdim)
        return grad_x, None, None, None


class Std(Var):
    name, root = "std", True


class VarMean(Var):
    name, with_mean = "var_mean", True


class StdMean(Var):
    name, root, with_mean = "std_mean", True, True


def _spread(op, input, dim, unbiased, keepdim, correction):
    """torch's three call forms: ``var(x, unbiased)``, ``var(x, dim, unbiased, keepdim)`` and
    ``var(x, dim, correction=c, keepdim=k)``. ``unbiased=True`` is ``correction=1``."""
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{op.name}() received an invalid combination of arguments - got both "
                        "'unbiased' and 'correction'")
    if correction is None:
        correction = 0 if unbiased is False else 1
    return op.apply(input, _dims(input, dim), correction, keepdim)


@_accepts_axis
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance (divisor ``N - correction``; ``correction=1`` by default, ``unbiased=False`` is 0).

    >>> import minitorch as torch
    >>> torch.tensor([1., 2., 3., 4.]).var(), torch.tensor([1., 2., 3., 4.]).var(unbiased=False)
    (tensor(1.6667), tensor(1.2500))
    """
    return _spread(Var, input, dim, unbiased, keepdim, correction)


@_accepts_axis
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: the square root of ``var`` (same arguments)."""
    return _spread(Std, input, dim, unbiased, keepdim, correction)


@_accepts_axis
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(var, mean)`` in one pass (a plain tuple).

    >>> import minitorch as torch
    >>> torch.var_mean(torch.tensor([1., 2., 3.]))
    (tensor(1.), tensor(2.))
    """
    return _spread(VarMean, input, dim, unbiased, keepdim, correction)


@_accepts_axis
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(std, mean)`` in one pass (a plain tuple)."""
    return _spread(StdMean, input, dim, unbiased, keepdim, correction)


# ---- norm, logsumexp, softmax, log_softmax ------------------------------------------------------------------


def _accumulating(array):
    """``array``, in float32 when it is float16: torch sums half-precision values in float32 (so
    the 2-norm of four 200s is 400, not inf) and rounds only the result."""
    return array.astype("float32") if array.dtype == "float16" else array


class Norm(Function):
    """Vector p-norm over ``dims``: ``sum(|x|**p) ** (1/p)``; ``inf``/``-inf``: max/min of ``|x|``;
    ``p=0``: the number of nonzeros. Gradient: ``sign(x) |x|**(p-1) / norm**(p-1)``, 0 where the
    norm is 0 (torch's convention, so the 2-norm of zeros has gradient 0, not NaN)."""

    backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        size = _vector_norm(x._backend.xp, x._array, p, dims, keepdim)
        out = wrap_row_major(x._backend.xp.asarray(size, dtype=x._array.dtype), x.device)
        ctx.save_for_backward(x, out)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, norm = ctx.saved_tensors
        p, dims, keepdim = ctx.p, ctx.dims, ctx.keepdim
        if p == 0:  # a count of nonzeros: torch gives no gradient at all (the input's .grad stays None)
            return None, None, None, None
        grad, norm = _expand_back(grad, x.shape, dims, keepdim), _expand_back(norm, x.shape, dims, keepdim)
        return _norm_grad(x, norm, grad, p, dims), None, None, None


def _vector_norm(xp, array, p, dims, keepdim):
    """The p-norm of a backend array over ``dims``, accumulated in float32 for float16 (the
    result is in that accumulating dtype: the caller rounds it)."""
    abs_ = _accumulating(xp.abs(array))
    if math.isinf(p):
        return (abs_.max if p > 0 else abs_.min)(axis=dims, keepdims=keepdim)
    if p == 0:
        return (abs_ != 0).sum(axis=dims, keepdims=keepdim).astype(abs_.dtype)
    return (abs_ ** p).sum(axis=dims, keepdims=keepdim) ** (1 / p)


def _norm_grad(x, norm, grad, p, dims):
    """``grad * d norm / d x`` (p != 0) in tensor ops, ``norm`` and ``grad`` broadcast to ``x``'s
    shape: ``sign(x) |x|**(p-1) / norm**(p-1)``, 0 where the norm is 0; for ``inf``/``-inf`` the
    elements at the extreme share the gradient. Used by ``Norm``, ``Dist`` and ``Renorm``."""
    if math.isinf(p):  # like amax of |x|: ties share the gradient, and a nan takes it (torch's order)
        size = x.abs()
        hit = ((size == norm) | size.isnan()).to(grad.dtype)
        return x.sign() * (grad / hit.sum(dims, keepdim=True) * hit)
    if p == 2:  # x itself: differentiable again at x = 0, where sign(x) would be a constant 0
        direction = x
    else:  # sign(x) |x|**(p-1), never raising 0 to a negative power (sign(0) = 0 anyway)
        direction = x.sign() * where(x == 0, 1.0, x.abs()) ** (p - 1)
    return grad * _div_or_zero(direction, norm ** (p - 1))


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """The p-norm (default: 2-norm, also called ``'fro'``) of all elements or over ``dim``.

    >>> import minitorch as torch
    >>> torch.tensor([3., 4.]).norm(), torch.tensor([3., -4.]).norm(1)
    (tensor(5.), tensor(7.))
    """
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {input.dtype.legacy_name}")
    if p is None or p == "fro":
        if isinstance(dim, (tuple, list)) and len(dim) > 2:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
        p = 2
    elif isinstance(p, str):  # 'nuc' needs singular values: not in minitorch
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    dims = _dims(input, dim)  # torch's errors for a bad dim come first
    _check_norm_identity(input._shape, p, dim)
    return Norm.apply(input if dtype is None else input.to(dtype), float(p), dims, keepdim)


def _check_norm_identity(shape, p, dim):
    """A max (``inf``), min (``-inf``) or negative-power norm of no elements has no value: torch's
    errors, for all of an empty tensor (``dim`` None or empty) or for an empty dim among ``dim``
    (named as the caller gave it: -1 stays -1)."""
    if not (p < 0 or math.isinf(p)) or 0 not in shape:
        return
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on an empty tensor because the "
                           "operation does not have an identity")
    for d in dim if isinstance(dim, (tuple, list)) else (dim,):
        if shape[d] == 0:  # (torch's message has no space after the dim)
            raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on the dimension {d}because this "
                               "dimension is empty and the operation does not have an identity")


class Dist(Function):
    """The p-norm of ``a - b`` (broadcast), a 0-d tensor. Gradient: the norm's slope at ``a - b``
    for ``a``, its negative for ``b``; 0 where ``a == b`` (the norm's convention at 0)."""

    @staticmethod
    def forward(ctx, a, b, p):
        diff = a - b  # sub's broadcasting, promotion and bool errors
        if not diff.dtype.is_floating_point:
            raise RuntimeError("norm(): input dtype should be either floating point or complex. "
                               f"Got {diff.dtype.legacy_name} instead.")
        _check_norm_identity(diff._shape, p, None)
        xp = diff._backend.xp
        out = wrap_row_major(xp.asarray(_vector_norm(xp, diff._array, p, None, False), dtype=diff.dtype.np),
                             diff.device)
        ctx.save_for_backward(a, b, out)
        ctx.p = p
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        if ctx.p == 0:  # no gradient; torch's DistBackward0 then negates that missing gradient for b
            if ctx.needs_input_grad[1]:
                raise RuntimeError("Expected a proper Tensor but got None (or an undefined Tensor in C++) for "
                                   "argument #0 'self'")
            return None, None, None
        diff = a - b  # recomputed in tensor ops, so that create_graph differentiates through it
        dims = tuple(range(diff.dim()))
        grad_diff = _norm_grad(diff, out.expand(diff.shape), grad.expand(diff.shape), ctx.p, dims)
        return grad_diff, -grad_diff, None


def dist(input, other, p=2):
    """The p-norm of ``input - other`` (broadcast): ``p=2`` is the Euclidean distance, ``p=1`` the
    sum of absolute differences, ``inf`` the largest one, ``0`` the number of elements that differ.

    >>> import minitorch as torch
    >>> torch.dist(torch.tensor([1., 2.]), torch.tensor([4., -2.])), torch.tensor([1., 2.]).dist(torch.zeros(2), 1)
    (tensor(5.), tensor(3.))
    """
    require_tensors("dist", input, other)
    p = number_arg("dist", "p", p, 3)
    if type(p) is int and not -2 ** 63 <= p < 2 ** 63:
        raise OverflowError("int too big to convert")
    return Dist.apply(input, other, float(p))


class Renorm(Function):
    """Each slice ``x[..., i, ...]`` along ``dim`` whose p-norm exceeds ``maxnorm`` is multiplied by
    ``maxnorm / (norm + 1e-7)`` (torch's epsilon); the others are left as they are."""

    @staticmethod
    def forward(ctx, x, p, dim, maxnorm):
        xp = x._backend.xp
        dims = tuple(d for d in range(x.dim()) if d != dim)
        norm = _vector_norm(xp, x._array, p, dims, True)  # float16 in float32, as torch
        # torch's kernel works in the norm's dtype: maxnorm and the epsilon are rounded to it first
        maxnorm_, eps = norm.dtype.type(maxnorm), norm.dtype.type(1e-7)
        factor = xp.where(norm > maxnorm_, maxnorm_ / (norm + eps), norm.dtype.type(1)).astype(x.dtype.np)
        ctx.save_for_backward(x)
        ctx.p, ctx.dims, ctx.maxnorm = p, dims, maxnorm
        return wrap_row_major(x._array * factor, x.device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        p, dims, maxnorm = ctx.p, ctx.dims, ctx.maxnorm
        # out = maxnorm * x / (norm + eps): d out = maxnorm / (norm + eps) * (grad - d norm * sum(x * grad)
        # / (norm + eps)), sums over the slice; slices within maxnorm pass grad through. As torch,
        # this is computed in the device's accumulating dtype (on the CPU float32 in float64) and
        # the norm is recomputed in tensor ops, so that create_graph differentiates through it.
        wide = _dtypes.from_numpy_dtype(x._backend.ACCUMULATE.get(x.dtype.np, x.dtype.np))
        norm = x.norm(p, dims, keepdim=True, dtype=wide)
        along = _norm_grad(x, norm.expand(x.shape), (x * grad).sum(dims, keepdim=True, dtype=wide).expand(x.shape),
                           p, dims)
        inverse = (norm + 1e-7).reciprocal()
        scaled = maxnorm * inverse * (grad - inverse * along)
        return where(norm > maxnorm, scaled.to(grad.dtype), grad), None, None, None


def renorm(input, p, dim, maxnorm):
    """``input`` with each slice along ``dim`` scaled down, where needed, to p-norm ``maxnorm``
    (slices within the limit are unchanged): caps the norm of each row of a weight, say.

    >>> import minitorch as torch
    >>> torch.renorm(torch.tensor([[3., 4.], [0.3, 0.4]]), p=2, dim=0, maxnorm=1)
    tensor([[0.6000, 0.8000],
            [0.3000, 0.4000]])
    """
    p, maxnorm, dim = number_arg("renorm", "p", p, 2), number_arg("renorm", "maxnorm", maxnorm, 4), python_scalar(dim)
    if not isinstance(dim, int) or isinstance(dim, builtins.bool):
        raise TypeError(f"renorm(): argument 'dim' (position 3) must be int, not {type_name(dim)}")
    if not p > 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if not maxnorm >= 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}")
    if input.dim() < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.dim()} dimensions")
    dim = _strides.normalize_dim(dim, input.dim())
    if not input.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {input.dtype.legacy_name}")
    _check_norm_identity(input._shape, p, [d for d in range(input.dim()) if d != dim])
    return Renorm.apply(input, float(p), dim, float(maxnorm))


class Logsumexp(Function):
    """``log(sum(exp(x)))`` over ``dims``, computed as ``m + log(sum(exp(x - m)))`` with ``m`` the
    max, so that ``exp`` never overflows (stable for x = 1000). Gradient: ``exp(x - out)``."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        xp, arr = x._backend.xp, float_array(x)
        shift = arr.max(axis=dims, keepdims=True) if arr.size else xp.zeros((), dtype=arr.dtype)
        shift = xp.where(xp.isfinite(shift), shift, 0)  # all -inf (or an inf): shifting would give NaN
        total = xp.exp(arr - shift).sum(axis=dims, keepdims=True)
        out = xp.log(total) + shift
        out = out if keepdim else out.reshape([n for d, n in enumerate(out.shape) if d not in dims])
        out = wrap_row_major(out, x.device)
        ctx.save_for_backward(x, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        shape, dims, keepdim = x.shape, ctx.dims, ctx.keepdim
        softmax = (x - _expand_back(out, shape, dims, keepdim)).exp()
        return _expand_back(grad, shape, dims, keepdim) * softmax, None, None


@_accepts_axis
def logsumexp(input, dim, keepdim=False):
    """``log(sum(exp(input), dim))`` without overflow.

    >>> import minitorch as torch
    >>> torch.tensor([1000., 1000.]).logsumexp(0)
    tensor(1000.6932)
    """
    return Logsumexp.apply(input, _dims(input, dim), keepdim)


class Softmax(Function):
    """``exp(x) / sum(exp(x))`` along ``dim`` (shifted by the max: no overflow).
    Gradient: ``y * (grad - sum(grad * y))``."""

    @staticmethod
    def forward(ctx, x, dim):
        out = wrap_row_major(opmath(_softmax, x._backend, _lifted(x), dim).reshape(x._shape), x.device)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (grad - (grad * y).sum(ctx.dim, keepdim=True)), None


def _softmax(be, arr, dim):
    """Softmax of an array along ``dim``, shifted by the max (no overflow)."""
    e = be.xp.exp(arr - arr.max(axis=dim, keepdims=True)) if arr.size else arr
    return e / e.sum(axis=dim, keepdims=True)


class LogSoftmax(Function):
    """``x - logsumexp(x)`` along ``dim``. Gradient: ``grad - softmax(x) * sum(grad)``."""

    @staticmethod
    def forward(ctx, x, dim):
        xp, arr = x._backend.xp, _lifted(x)
        shifted = arr - arr.max(axis=dim, keepdims=True) if arr.size else arr
        out = wrap_row_major((shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))).reshape(x._shape), x.device)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        if (not grad_mode._state["enabled"] and grad.dtype is y.dtype and grad.device is y.device
                and grad._shape and grad._array.flags.c_contiguous):
            # Speed (cross-entropy's backward): without create_graph, the same four numpy calls
            # as the tensor ops below, on arrays, the last two written into exp's result; both
            # operands row-major, so is every result.
            xp, g = grad._backend.xp, grad._array
            total = g.sum(axis=(ctx.dim,), keepdims=True, dtype=g.dtype)
            e = xp.exp(y._array)
            xp.multiply(e, total, out=e)
            return wrap(xp.subtract(g, e, out=e), grad.device), None
        return grad - y.exp() * grad.sum(ctx.dim, keepdim=True), None


def _softmax_like(op, name, input, dim, dtype):
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{name}_kernel_impl\" not implemented for '{input.dtype.legacy_name}'")
    return op.apply(input, _one_dim(name, input, dim))


@_accepts_axis
def softmax(input, dim, dtype=None):
    """Probabilities along ``dim``: ``exp(x) / exp(x).sum(dim)``, stable for large inputs.

    >>> import minitorch as torch
    >>> torch.tensor([1000., 1000.]).softmax(0)
    tensor([0.5000, 0.5000])
    """
    return _softmax_like(Softmax, "softmax", input, dim, dtype)


@_accepts_axis
def log_softmax(input, dim, dtype=None):
    """``log(softmax(x))`` along ``dim``, computed directly (no log of a rounded 0)."""
    return _softmax_like(LogSoftmax, "log_softmax", input, dim, dtype)


# ---- cumsum, cumprod ----------------------------------------------------------------------------------------


def _reverse_cumsum(t, dim):
    """``out_i = sum of t_k for k >= i``: what a scan's backward needs. Summed from the end, as
    torch does (``total - cumsum + t`` would cancel digits, and give NaN for an infinite ``t``)."""
    return t.flip(dim).cumsum(dim).flip(dim)


class Cumsum(Function):
    """Running sums along ``dim``. ``x_i`` is in every ``out_k`` with ``k >= i``, so its gradient
    is the sum of those ``grad_k``: a cumulative sum from the other end."""

    @staticmethod
    def forward(ctx, x, dim, dtype):
        ctx.dim = dim
        running = x._backend.xp.cumsum(_accumulating(_lifted(x)), axis=dim)
        return wrap_row_major(running.astype(dtype.np).reshape(x._shape), x.device)

    @staticmethod
    def backward(ctx, grad):
        return _reverse_cumsum(grad, ctx.dim), None, None


class Cumprod(Function):
    """Running products along ``dim``. d out_k / d x_i (k >= i) is the product of x_0..x_k
    except x_i, computed without dividing by a zero (see ``backward``)."""

    @staticmethod
    def forward(ctx, x, dim, dtype):
        out = wrap_row_major(x._backend.xp.cumprod(_lifted(x), axis=dim, dtype=dtype.np).reshape(x._shape), x.device)
        ctx.save_for_backward(x, out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        d = ctx.dim
        if x.dim() == 0 or x._shape[d] == 1:  # each product is the element itself (x = inf: 1, not inf / inf)
            return grad, None, None
        if grad_mode._state["enabled"]:  # create_graph: a formula that stays right when differentiated
            return _cumprod_grad_by_products(x, grad, d), None, None
        zeros_so_far = (x == 0).cumsum(d)
        before = zeros_so_far == 0  # positions before the first zero of their slice
        first_zero = (x == 0) & (zeros_so_far == 1)
        safe_x = where(before, x, 1.0)
        # Before the first zero, x_i != 0: the product without x_i is out_k / x_i.
        grad_before = _reverse_cumsum(grad * out, d) / safe_x
        # At the first zero z: out_k without x_z = (x_0..x_{z-1}) * (x_{z+1}..x_k), for k >= z.
        head = safe_x.prod(d, keepdim=True)
        tail = where(before | first_zero, 1.0, x).cumprod(d)
        grad_zero = head * (grad * tail * ~before).sum(d, keepdim=True)
        # After the first zero every out_k that contains x_i also contains that zero: no gradient.
        return where(before, grad_before, where(first_zero, grad_zero, 0.0)), None, None


def _cumprod_grad_by_products(x, grad, dim):
    """Cumprod's gradient written out, for double backward: ``grad_i = sum over k >= i of
    grad_k * (x_0 ... x_k without x_i)``, with one row of products per ``i`` (n x n numbers per
    slice). The fast formula in ``Cumprod.backward`` gives constants after a zero, whose own
    derivatives (with respect to that zero) would be lost."""
    xs, gs = x.movedim(dim, -1), grad.movedim(dim, -1)
    n = xs.shape[-1]
    rows = xs.unsqueeze(-2).expand(*xs.shape[:-1], n, n)  # rows[..., i, :] = the slice ...
    later = x.new_ones((n, n), dtype=_dtypes.bool_).triu()  # later[i, k]: k >= i
    eye = later.tril()
    products = where(eye, 1.0, rows).cumprod(-1)  # ... with x_i replaced by 1, then its running products
    return (products * gs.unsqueeze(-2) * later).sum(-1).movedim(-1, dim)


def _scan(op, name, input, dim, dtype):
    dtype = _int64_unless_float(input, dtype)
    if dtype is _dtypes.bool_:
        raise NotImplementedError(f"\"{name}_out_cpu\" not implemented for 'Bool'")
    return op.apply(input, _one_dim(name, input, dim), dtype)


@_accepts_axis
def cumsum(input, dim, *, dtype=None):
    """Running sums along ``dim`` (integers accumulate in int64).

    >>> import minitorch as torch
    >>> torch.tensor([1, 2, 3]).cumsum(0)
    tensor([1, 3, 6])
    """
    return _scan(Cumsum, "cumsum", input, dim, dtype)


@_accepts_axis
def cumprod(input, dim, *, dtype=None):
    """Running products along ``dim`` (integers multiply in int64).

    >>> import minitorch as torch
    >>> torch.tensor([1, 2, 3]).cumprod(0)
    tensor([1, 2, 6])
    """
    return _scan(Cumprod, "cumprod", input, dim, dtype)


class Logcumsumexp(Function):
    """Running ``log(sum(exp(x)))`` along ``dim``. Each step is ``logaddexp(total, x_k)`` (the
    backend's ``logcumsumexp``), which never exponentiates a large number: no overflow at x = 1000,
    and -inf (exp = 0) adds nothing. Totals accumulate in a wider dtype as torch's kernels do, each
    rounded to the input's dtype."""

    @staticmethod
    def forward(ctx, x, dim):
        running = x._backend.logcumsumexp(_lifted(x), dim)
        out = wrap_row_major(running.reshape(x._shape), x.device)
        ctx.save_for_backward(x, out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        if grad.dim() == 0 or grad.numel() == 0:  # 0-d (out = x) or empty: nothing to scan
            return grad, None
        # d out_k / d x_i = exp(x_i - out_k) for k >= i, so grad_i = sum over k >= i of
        # grad_k exp(x_i - out_k): torch sums that in log space (a reversed logcumsumexp), the
        # positive and the negative grad_k apart, a zero grad_k as the lowest finite number. Its
        # NaN where x_i = -inf meets out_k = -inf (-inf - -inf) is kept, as torch gives it.
        d, lowest = ctx.dim, _dtypes.finfo(grad.dtype).min
        log_grad = grad.abs().log()

        def summed(chosen):
            terms = where(chosen, log_grad, lowest) - out
            return (terms.flip(d).logcumsumexp(d).flip(d) + x).exp()

        return summed(grad > 0) - summed(grad < 0), None


@accepts("logcumsumexp")
def logcumsumexp(input, dim):
    """``log(cumsum(exp(input), dim))``, computed without overflow.

    >>> import minitorch as torch
    >>> torch.tensor([1000., 1000., 1000.]).logcumsumexp(0)
    tensor([1000.0000, 1000.6932, 1001.0986])
    """
    return Logcumsumexp.apply(input, _one_dim("logcumsumexp", input, dim))


# ---- picking along a dim: max(dim), min(dim), sort, topk, kthvalue, median(dim) ----------------------------


def _return_type(name, fields=("values", "indices")):
    """A named tuple ``(values, indices)`` that prints like torch's ``torch.return_types.<name>``."""
    cls = collections.namedtuple(name, fields)
    cls.__module__, cls.__qualname__ = "minitorch", f"return_types.{name}"  # pickles by that path
    cls.__repr__ = lambda self: f"torch.return_types.{name}(\n" + ",\n".join(
        f"{field}={value!r}" for field, value in zip(fields, self)) + ")"
    return cls


return_types = types.SimpleNamespace(**{name: _return_type(name) for name in
                                        ("max", "min", "sort", "topk", "kthvalue", "median", "cummax", "cummin")})
return_types.aminmax = _return_type("aminmax", ("min", "max"))
return_types.histogram = _return_type("histogram", ("hist", "bin_edges"))


def _argsort(xp, a, dim, descending):
    """Stable argsort along ``dim`` (NaN counts as the largest, as in torch). Descending keeps equal
    elements in their original order too: sort the reversed array ascending, then reverse back."""
    if not descending:
        return xp.argsort(a, axis=dim, kind="stable")
    flipped = xp.argsort(xp.flip(a, axis=dim), axis=dim, kind="stable")
    return a.shape[dim] - 1 - xp.flip(flipped, axis=dim)


class PickAlongDim(Function):
    """Base of the ops that pick elements along ``dim``: ``pick(xp, array, dim, *args)`` returns
    the picked positions (an index array with ``dim`` kept). Forward returns ``(values, indices)``
    (``_pick_along`` makes it the op's named tuple); the values' gradient flows back to the
    picked positions."""

    reduces = True  # max/min/kthvalue/median leave one element per slice; sort/topk keep the dim
    keeps_layout = False  # sort's results are laid out like its input; the others are row-major

    @staticmethod
    def forward(ctx, x, dim, keepdim, *args):
        op, xp, arr = ctx._forward_cls, x._backend.xp, _lifted(x)
        if op.reduces and arr.shape[dim] == 0:
            raise IndexError(f"{op.result.__name__}(): Expected reduction dim {dim} to have non-zero size.")
        index = xp.asarray(op.pick(xp, arr, dim, *args), dtype=xp.int64)
        values = xp.take_along_axis(arr, index, axis=dim)
        shape = index.shape if keepdim or not op.reduces else index.shape[:dim] + index.shape[dim + 1:]
        shape = shape if x._shape else ()
        ctx.index, ctx.dim, ctx.n_args = wrap(index, x.device), dim, len(args)
        ctx.lifted_shape, ctx.in_shape = arr.shape, x._shape
        like = (x,) if op.keeps_layout else ()
        indices = (wrap if like else wrap_row_major)(index.reshape(shape), x.device, *like)
        ctx.mark_non_differentiable(indices)
        return (wrap if like else wrap_row_major)(values.reshape(shape), x.device, *like), indices

    @staticmethod
    def backward(ctx, grad, grad_indices=None):
        # each position is picked at most once per slice: writing the gradients there is enough
        grad = grad.new_zeros(ctx.lifted_shape).scatter(ctx.dim, ctx.index, grad.reshape(ctx.index.shape))
        return (grad.reshape(ctx.in_shape), None, None) + (None,) * ctx.n_args


class MaxDim(PickAlongDim):
    backward_name, result = "MaxBackward0", return_types.max
    def pick(xp, a, dim): return xp.argmax(a, axis=dim, keepdims=True)  # first of equal maxima


class MinDim(PickAlongDim):
    backward_name, result = "MinBackward0", return_types.min
    def pick(xp, a, dim): return xp.argmin(a, axis=dim, keepdims=True)


class Sort(PickAlongDim):
    result, reduces, keeps_layout = return_types.sort, False, True
    def pick(xp, a, dim, descending): return _argsort(xp, a, dim, descending)


class Topk(PickAlongDim):
    result, reduces = return_types.topk, False

    def pick(xp, a, dim, k, largest):
        if not 0 <= k <= a.shape[dim]:
            raise RuntimeError("selected index k out of range")
        return xp.take(_argsort(xp, a, dim, descending=largest), xp.arange(k), axis=dim)


class Kthvalue(PickAlongDim):
    result = return_types.kthvalue

    def pick(xp, a, dim, k):
        if not 1 <= k <= a.shape[dim]:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}")
        return xp.take(_argsort(xp, a, dim, descending=False), xp.arange(k - 1, k), axis=dim)


class MedianDim(PickAlongDim):
    """The lower median along ``dim``; a slice with NaN gives its first NaN (as torch)."""

    backward_name, result = "MedianBackward1", return_types.median

    def pick(xp, a, dim):
        order, n = _argsort(xp, a, dim, descending=False), a.shape[dim]
        nans = (a != a).sum(axis=dim, keepdims=True)  # sorted last, in their original order
        return xp.take_along_axis(order, xp.where(nans > 0, n - nans, (n - 1) // 2), axis=dim)


def _pick_along(op, input, dim, keepdim, *args):
    return op.result(*op.apply(input, _one_dim(op.result.__name__, input, dim), keepdim, *args))


@_accepts_axis
def sort(input, dim=-1, descending=False, stable=False):
    """``(values, indices)`` sorted along ``dim``. Always stable here (equal elements keep their order).

    >>> import minitorch as torch
    >>> torch.tensor([3, 1, 2]).sort()
    torch.return_types.sort(
    values=tensor([1, 2, 3]),
    indices=tensor([1, 2, 0]))
    """
    return _pick_along(Sort, input, dim, True, descending)


@_accepts_axis
def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim`` (``sort(...).indices``)."""
    return sort(input.detach(), dim, descending).indices


@accepts("topk")
@scalar_as_vector
@_accepts_axis
def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) elements along ``dim``, as ``(values, indices)``, always in order.

    >>> import minitorch as torch
    >>> torch.tensor([2, 1, 2, 3, 0, 4, 3]).topk(2)
    torch.return_types.topk(
    values=tensor([4, 3]),
    indices=tensor([5, 3]))
    """
    return _pick_along(Topk, input, dim, True, k, largest)


@accepts("kthvalue")
@_accepts_axis
def kthvalue(input, k, dim=-1, keepdim=False):
    """The ``k``-th smallest element along ``dim`` (k counts from 1), as ``(values, indices)``."""
    return _pick_along(Kthvalue, input, dim, keepdim, k)


@accepts("median")
@_accepts_axis
def median(input, dim=None, keepdim=False):
    """``median(x)``: the lower median of all elements (of 4 values, the 2nd smallest).
    ``median(x, dim)``: ``(values, indices)`` along ``dim``.

    >>> import minitorch as torch
    >>> torch.tensor([1., 2., 3., 4.]).median()
    tensor(2.)
    """
    if dim is None:
        return MedianAll.apply(input, _dims(input, None), False)
    return _pick_along(MedianDim, input, dim, keepdim)


# ---- all, any, unique ------------------------------------------------------------------------------------------


def _logical(name, input, dim, keepdim):
    arr = getattr(input._array, name)(axis=_dims(input, dim), keepdims=keepdim)
    if input.dtype is _dtypes.uint8:  # torch keeps uint8 for uint8 inputs
        arr = arr.astype(input.dtype.np)
    return wrap_row_major(input._backend.xp.asarray(arr), input.device)


@_accepts_axis
def all(input, dim=None, keepdim=False):
    """True where every element (along ``dim``) is nonzero."""
    return _logical("all", input, dim, keepdim)


@_accepts_axis
def any(input, dim=None, keepdim=False):
    """True where some element (along ``dim``) is nonzero."""
    return _logical("any", input, dim, keepdim)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements (or distinct slices along ``dim``), sorted; optionally the index of
    each input element in that list (``return_inverse``) and how often each occurs.

    >>> import minitorch as torch
    >>> torch.tensor([3, 1, 2, 1, 3]).unique(return_counts=True)
    (tensor([1, 2, 3]), tensor([2, 1, 2]))
    """
    xp = input._backend.xp
    if dim is None:
        arr, inverse_shape = input._array.reshape(-1), input._shape
    else:
        dim = _one_dim("unique", input, dim)
        arr, inverse_shape = _lifted(input), (_lifted(input).shape[dim],)
    values, inverse, counts = xp.unique(arr, return_inverse=True, return_counts=True, axis=dim)
    out = [wrap(values, input.device)]
    if return_inverse:
        out.append(wrap(xp.asarray(inverse, dtype=xp.int64).reshape(inverse_shape), input.device))
    if return_counts:
        out.append(wrap(xp.asarray(counts, dtype=xp.int64), input.device))
    return out[0] if len(out) == 1 else tuple(out)



# ---- more reductions: counting, running extremes, histograms -------------------------------------

@_accepts_axis
def count_nonzero(input, dim=None):
    """How many elements are not zero, in all of ``input`` or along ``dim`` (an int or a tuple)."""
    return (input != 0).sum(dim if dim is not None else ())


@_accepts_axis
def aminmax(input, *, dim=None, keepdim=False):
    """``(min, max)`` of all elements, or along ``dim``, as ``torch.return_types.aminmax``."""
    dims = () if dim is None else dim
    return return_types.aminmax(amin(input, dims, keepdim), amax(input, dims, keepdim))


class Cummax(Function):
    """Running maximum along ``dim`` and where it was attained (the latest position on ties).
    Each output's gradient goes to the element it copied."""

    backward_name, result, accumulate = "CummaxBackward0", return_types.cummax, "maximum"

    @staticmethod
    def forward(ctx, x, dim):
        op, xp, arr = ctx._forward_cls, x._backend.xp, x._array.reshape(x._shape or (1,))
        values = getattr(xp, op.accumulate).accumulate(arr, axis=dim)
        positions = xp.arange(arr.shape[dim]).reshape((-1,) + (1,) * (arr.ndim - dim - 1))
        indices = xp.maximum.accumulate(xp.where(arr == values, positions, 0), axis=dim)
        ctx.dim, ctx.shape = dim, x._shape
        ctx.mark_non_differentiable(indices := wrap_row_major(indices.reshape(x._shape), x.device))
        ctx.save_for_backward(indices)
        return wrap_row_major(values.reshape(x._shape), x.device), indices

    @staticmethod
    def backward(ctx, grad, grad_indices=None):
        (indices,) = ctx.saved_tensors
        if not ctx.shape:
            return grad, None
        return grad.new_zeros(ctx.shape).scatter_add(ctx.dim, indices, grad), None


class Cummin(Cummax):
    backward_name, result, accumulate = "CumminBackward0", return_types.cummin, "minimum"


@_accepts_axis
def cummax(input, dim):
    """Running maximum along ``dim``: ``(values, indices)``.

    >>> import minitorch as torch
    >>> torch.tensor([3., 1., 5.]).cummax(0).values
    tensor([3., 3., 5.])
    """
    return Cummax.result(*Cummax.apply(input, _one_dim("cummax", input, dim)))


@_accepts_axis
def cummin(input, dim):
    """Running minimum along ``dim``: ``(values, indices)``."""
    return Cummin.result(*Cummin.apply(input, _one_dim("cummin", input, dim)))


@accepts("bincount")
def bincount(input, weights=None, minlength=0):
    """How often each value ``0, 1, ...`` occurs in a 1-D tensor of non-negative integers (or the
    sum of their ``weights``).

    >>> import minitorch as torch
    >>> torch.bincount(torch.tensor([0, 2, 2]))
    tensor([1, 0, 2])
    """
    xp = input._backend.xp
    if input.dim() != 1 or (input.numel() and bool((input < 0).any())):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None if weights is None else weights._array
    counts = xp.bincount(input._array, weights=w, minlength=minlength)
    dtype = _dtypes.int64 if weights is None else weights.dtype if weights.dtype is _dtypes.float32 else _dtypes.float64
    return wrap(counts.astype(dtype.np), input.device)


def _bin_edges(input, bins, low, high):
    """``bins`` equal bins between ``low`` and ``high`` (the data's range when they are equal)."""
    if low == high and input.numel():
        low, high = input.min().item(), input.max().item()
    if low == high:
        low, high = low - 1, high + 1
    return low, high


@accepts("histc")
def histc(input, bins=100, min=0, max=0):
    """Counts in ``bins`` equal bins between ``min`` and ``max`` (default: the data's range);
    values outside are ignored. The counts have ``input``'s dtype.

    >>> import minitorch as torch
    >>> torch.histc(torch.tensor([1., 2., 5., 7.]), bins=4, min=2, max=6)
    tensor([1., 0., 0., 1.])
    """
    low, high = _bin_edges(input, bins, min, max)
    xp = input._backend.xp
    counts, _ = xp.histogram(input._array.reshape(-1), bins=bins, range=(low, high))
    return wrap(counts.astype(input.dtype.np), input.device)


@accepts("histc")
def histogram(input, bins, *, range=None, weight=None, density=False):
    """``(hist, bin_edges)``: counts (or summed ``weight``, or a density) in ``bins`` bins (a number
    of equal bins over ``range`` or the data's range, or a tensor of edges)."""
    xp = input._backend.xp
    edges = bins._array if isinstance(bins, Tensor) else bins
    limits = None if isinstance(bins, Tensor) else _bin_edges(input, bins, *(range or (0, 0)))
    hist, bin_edges = xp.histogram(input._array.reshape(-1), bins=edges, range=limits,
                                   weights=None if weight is None else weight._array.reshape(-1), density=density)
    return return_types.histogram(wrap(hist.astype(input.dtype.np), input.device),
                                  wrap(bin_edges.astype(input.dtype.np), input.device))

__all__ = """sum nansum mean prod amax amin max min argmax argmin var std var_mean std_mean norm logsumexp
    softmax log_softmax cumsum cumprod logcumsumexp dist renorm sort argsort topk kthvalue median all any unique return_types count_nonzero
    aminmax cummax cummin bincount histc histogram""".split()
METHODS = [n for n in __all__ if n not in ("var_mean", "std_mean", "return_types", "histogram")]
INPLACE = ["cumsum", "cumprod", "renorm"]
