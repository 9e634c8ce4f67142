"""Elementwise ops: arithmetic, math functions, comparisons, ``where``, ``clamp`` and casts.

Each op is one ``Function``: forward on backend arrays (``xp`` is numpy or cupy), backward in
tensor ops so that gradients of gradients work. Broadcasting in backward is undone by the
engine (``sum_to_shape``), so a backward may return a gradient of the broadcast shape.
"""

from __future__ import annotations

import math

from .. import _dtypes
from .._tensor import Tensor
from ..autograd.function import Function
from .._device import as_device
from ._util import check_devices, float_array, operands, wrap

# ---- arithmetic -----------------------------------------------------------------------------


class Add(Function):
    """``a + alpha * b``."""

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        xa, xb, xp, device, _ = operands(a, b)
        ctx.alpha = alpha
        return wrap(xp.add(xa, xb if alpha == 1 else alpha * xb), device)

    @staticmethod
    def backward(ctx, grad):
        return grad, (grad if ctx.alpha == 1 else grad * ctx.alpha), None


class Sub(Function):
    """``a - alpha * b``."""

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        if (getattr(a, "dtype", None) is _dtypes.bool_) and (getattr(b, "dtype", None) is _dtypes.bool_):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        xa, xb, xp, device, _ = operands(a, b)
        ctx.alpha = alpha
        return wrap(xp.subtract(xa, xb if alpha == 1 else alpha * xb), device)

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.alpha == 1 else grad * -ctx.alpha, None


class Mul(Function):
    """``a * b``: d/da = b, d/db = a."""

    @staticmethod
    def forward(ctx, a, b):
        xa, xb, xp, device, _ = operands(a, b)
        ctx.save_for_backward(a if isinstance(a, Tensor) else None, b if isinstance(b, Tensor) else None)
        ctx.scalars = (a, b)
        return wrap(xp.multiply(xa, xb), device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a = ctx.scalars[0] if a is None else a
        b = ctx.scalars[1] if b is None else b
        return (grad * b if ctx.needs_input_grad[0] else None,
                grad * a if ctx.needs_input_grad[1] else None)


class Div(Function):
    """``a / b`` (true division, so int / int gives a float): d/da = 1/b, d/db = -a/b**2."""

    @staticmethod
    def forward(ctx, a, b, rounding_mode=None):
        dtype = _dtypes.result_type(a, b)
        if rounding_mode is None and not dtype.is_floating_point:
            dtype = _dtypes.get_default_dtype()
        xa, xb, xp, device, _ = operands(a, b, dtype)
        ctx.save_for_backward(a if isinstance(a, Tensor) else None, b if isinstance(b, Tensor) else None)
        ctx.scalars, ctx.rounding_mode = (a, b), rounding_mode
        if rounding_mode is None:
            out = xp.true_divide(xa, xb)
        elif rounding_mode == "floor":
            out = xp.floor_divide(xa, xb)
        elif rounding_mode == "trunc":
            out = xp.trunc(xp.true_divide(xa, xb)).astype(dtype.np)
        else:
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")
        return wrap(out, device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a = ctx.scalars[0] if a is None else a
        b = ctx.scalars[1] if b is None else b
        if ctx.rounding_mode is not None:  # piecewise constant: zero gradient, as in torch
            return grad * 0, grad * 0, None
        return (grad / b if ctx.needs_input_grad[0] else None,
                -grad * a / (b * b) if ctx.needs_input_grad[1] else None, None)


class Pow(Function):
    """``a ** b``: d/da = b * a**(b-1), d/db = a**b * log(a)."""

    @staticmethod
    def forward(ctx, a, b):
        xa, xb, xp, device, dtype = operands(a, b)
        if not dtype.is_floating_point and (xp.asarray(xb) < 0).any():
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        out = wrap(xp.power(xa, xb), device)
        ctx.save_for_backward(a if isinstance(a, Tensor) else None, b if isinstance(b, Tensor) else None, out)
        ctx.scalars = (a, b)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        a = ctx.scalars[0] if a is None else a
        b = ctx.scalars[1] if b is None else b
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = grad * b * a ** (b - 1) if not isinstance(b, (int, float)) or b != 0 else grad * 0
        if ctx.needs_input_grad[1]:
            log_a = a.log() if isinstance(a, Tensor) else math.log(a)
            grad_b = grad * out * log_a
        return grad_a, grad_b


def _split_ties(grad, mask_a, mask_b):
    """Gradient routing of maximum/minimum: the winner gets it, a tie splits it in half."""
    tie = (~mask_a) & (~mask_b)
    return grad * (mask_a + tie * 0.5), grad * (mask_b + tie * 0.5)


class Maximum(Function):
    """Elementwise max of two tensors (ties share the gradient)."""

    @staticmethod
    def forward(ctx, a, b):
        xa, xb, xp, device, _ = operands(a, b)
        ctx.save_for_backward(a, b)
        return wrap(xp.maximum(xa, xb), device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return _split_ties(grad, a > b, b > a)


class Minimum(Function):
    """Elementwise min of two tensors (ties share the gradient)."""

    @staticmethod
    def forward(ctx, a, b):
        xa, xb, xp, device, _ = operands(a, b)
        ctx.save_for_backward(a, b)
        return wrap(xp.minimum(xa, xb), device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return _split_ties(grad, a < b, b < a)


class Remainder(Function):
    """``a % b`` with the sign of ``b`` (Python's and torch's rule): d/da = 1, d/db = -floor(a/b)."""

    @staticmethod
    def forward(ctx, a, b):
        xa, xb, xp, device, _ = operands(a, b)
        ctx.save_for_backward(a if isinstance(a, Tensor) else None, b if isinstance(b, Tensor) else None)
        ctx.scalars = (a, b)
        return wrap(xp.remainder(xa, xb), device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a = ctx.scalars[0] if a is None else a
        b = ctx.scalars[1] if b is None else b
        return grad, -grad * (a / b).floor() if ctx.needs_input_grad[1] else None


# ---- one-input math functions ------------------------------------------------------------


class UnaryOp(Function):
    """``y = f(x)`` elementwise. A subclass gives ``compute(backend, x_array)`` and
    ``derivative(v)`` = dy/dx written in tensor ops, where ``v`` is the output ``y`` when
    ``uses_output`` is set (cheaper, e.g. exp) and the input ``x`` otherwise."""

    uses_output = False
    to_float = True  # integer inputs are computed in the default float dtype (torch.exp(int) -> float)

    @staticmethod
    def forward(ctx, x):
        op = ctx._forward_cls
        arr = float_array(x) if op.to_float else x._array
        y = wrap(op.compute(x._backend, arr), x.device)
        ctx.save_for_backward(y if op.uses_output else x)
        return y

    @staticmethod
    def backward(ctx, grad):
        (v,) = ctx.saved_tensors
        return grad * ctx._forward_cls.derivative(v)


class Neg(UnaryOp):
    to_float = False
    def compute(be, x): return be.xp.negative(x)
    def derivative(x): return -1


class Exp(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.exp(x)
    def derivative(y): return y


class Log(UnaryOp):
    def compute(be, x): return be.xp.log(x)
    def derivative(x): return x.reciprocal()


class Log2(UnaryOp):
    def compute(be, x): return be.xp.log2(x)
    def derivative(x): return (x * math.log(2)).reciprocal()


class Log10(UnaryOp):
    def compute(be, x): return be.xp.log10(x)
    def derivative(x): return (x * math.log(10)).reciprocal()


class Log1p(UnaryOp):
    def compute(be, x): return be.xp.log1p(x)
    def derivative(x): return (x + 1).reciprocal()


class Expm1(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.expm1(x)
    def derivative(y): return y + 1


class Sqrt(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.sqrt(x)
    def derivative(y): return 0.5 / y


class Rsqrt(UnaryOp):
    uses_output = True
    def compute(be, x): return 1 / be.xp.sqrt(x)
    def derivative(y): return -0.5 * y ** 3


class Sin(UnaryOp):
    def compute(be, x): return be.xp.sin(x)
    def derivative(x): return x.cos()


class Cos(UnaryOp):
    def compute(be, x): return be.xp.cos(x)
    def derivative(x): return -x.sin()


class Tan(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.tan(x)
    def derivative(y): return 1 + y * y


class Tanh(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.tanh(x)
    def derivative(y): return 1 - y * y


class Sigmoid(UnaryOp):
    uses_output = True
    def compute(be, x):
        # exp of a negative argument only: no overflow for x = -1000.
        e = be.xp.exp(-be.xp.abs(x))
        return be.xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)
    def derivative(y): return y * (1 - y)


class Erf(UnaryOp):
    def compute(be, x): return be.erf(x)
    def derivative(x): return (2 / math.sqrt(math.pi)) * (-x * x).exp()


class Reciprocal(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.reciprocal(x)
    def derivative(y): return -y * y


class Abs(UnaryOp):
    to_float = False
    def compute(be, x): return be.xp.abs(x)
    def derivative(x): return x.sign()


class Sign(UnaryOp):
    to_float = False
    def compute(be, x): return be.xp.sign(x).astype(x.dtype)
    def derivative(x): return x * 0


class Floor(UnaryOp):
    to_float = False
    def compute(be, x): return be.xp.floor(x) if x.dtype.kind == "f" else x.copy()
    def derivative(x): return x * 0


class Ceil(UnaryOp):
    to_float = False
    def compute(be, x): return be.xp.ceil(x) if x.dtype.kind == "f" else x.copy()
    def derivative(x): return x * 0


class Trunc(UnaryOp):
    to_float = False
    def compute(be, x): return be.xp.trunc(x) if x.dtype.kind == "f" else x.copy()
    def derivative(x): return x * 0


class Round(UnaryOp):
    """Round half to even, as torch (and numpy) do; ``decimals`` shifts the rounding point."""

    to_float = False

    @staticmethod
    def forward(ctx, x, decimals=0):
        xp = x._backend.xp
        return wrap(xp.round(x._array, decimals) if x.dtype.is_floating_point else x._array.copy(), x.device)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


UNARY = (Neg, Exp, Log, Log2, Log10, Log1p, Expm1, Sqrt, Rsqrt, Sin, Cos, Tan, Tanh, Sigmoid, Erf,
         Reciprocal, Abs, Sign, Floor, Ceil, Trunc)


# ---- comparisons and logic (no gradient) ---------------------------------------------------

def _compare(ufunc_name):
    def compare(input, other):
        xa, xb, xp, device, _ = operands(input, other)
        return wrap(getattr(xp, ufunc_name)(xa, xb), device)

    compare.__name__ = ufunc_name
    return compare


eq, ne, lt, le, gt, ge = (_compare(n) for n in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal"))
logical_and, logical_or, logical_xor = (_compare(n) for n in ("logical_and", "logical_or", "logical_xor"))


def _bitwise(ufunc_name):
    def op(input, other):
        xa, xb, xp, device, dtype = operands(input, other)
        if dtype.is_floating_point:
            raise RuntimeError(f'"{ufunc_name}_cpu" not implemented for \'{str(dtype.name).capitalize()}\'')
        return wrap(getattr(xp, ufunc_name)(xa, xb), device)

    op.__name__ = ufunc_name
    return op


bitwise_and, bitwise_or, bitwise_xor = (_bitwise(n) for n in ("bitwise_and", "bitwise_or", "bitwise_xor"))


def logical_not(input):
    """``True`` where ``input`` is zero/False."""
    return wrap(input._backend.xp.logical_not(input._array), input.device)


def bitwise_not(input):
    """``~x``: logical not for bool tensors, bit flip for integers."""
    if input.dtype.is_floating_point:
        raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
    return wrap(input._backend.xp.invert(input._array), input.device)


def isnan(input):
    return wrap(input._backend.xp.isnan(input._array), input.device)


def isinf(input):
    return wrap(input._backend.xp.isinf(input._array), input.device)


def isfinite(input):
    return wrap(input._backend.xp.isfinite(input._array), input.device)


def equal(input, other):
    """True when both tensors have the same shape and elements."""
    return input.shape == other.shape and bool((input == other).all())


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True when ``|input - other| <= atol + rtol * |other|`` everywhere."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    xa, xb, xp, device, _ = operands(input, other)
    return wrap(xp.isclose(xa, xb, rtol=rtol, atol=atol, equal_nan=equal_nan), device)


# ---- selection by condition -------------------------------------------------------------------


class Where(Function):
    """``where(cond, a, b)``: ``a`` where ``cond`` else ``b``; each gradient goes to its side."""

    @staticmethod
    def forward(ctx, condition, a, b):
        if condition.dtype is not _dtypes.bool_:
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.dtype.name.capitalize()}")
        check_devices(condition, a, b)
        xa, xb, xp, device, _ = operands(a, b)
        ctx.save_for_backward(condition)
        return wrap(xp.where(condition._array, xa, xb), device)

    @staticmethod
    def backward(ctx, grad):
        (condition,) = ctx.saved_tensors
        zero = grad.new_zeros(())
        return None, where(condition, grad, zero), where(condition, zero, grad)


def where(condition, input=None, other=None):
    """Pick from ``input`` where ``condition`` holds, else from ``other``.

    >>> import minitorch as torch
    >>> torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), 0)
    tensor([1, 0])
    """
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    return Where.apply(condition, input, other)


class Clamp(Function):
    """Limit values to ``[min, max]``; the gradient passes only where no limit was applied."""

    @staticmethod
    def forward(ctx, x, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        xp = x._backend.xp
        dtype = _dtypes.result_type(x, *(bound for bound in (min, max) if bound is not None))
        arr = x._array.astype(dtype.np, copy=False)
        lo = min._array if isinstance(min, Tensor) else min
        hi = max._array if isinstance(max, Tensor) else max
        out = xp.clip(arr, lo, hi)
        ctx.save_for_backward(x)
        ctx.bounds = (min, max)
        return wrap(out.astype(dtype.np, copy=False), x.device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = [x >= lo] if lo is not None else []
        inside += [x <= hi] if hi is not None else []
        keep = inside[0] if len(inside) == 1 else inside[0] & inside[1]
        return grad * keep, None, None


# ---- copies and casts --------------------------------------------------------------------------


class Clone(Function):
    """A copy with its own storage; gradients pass straight through."""

    @staticmethod
    def forward(ctx, x):
        return wrap(x._array.copy(), x.device)

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Function):
    """Copy to another dtype and/or device; the gradient is cast/moved back by the engine."""

    @staticmethod
    def forward(ctx, x, dtype, device):
        arr = x._array
        if device != x.device:
            from ..backends import backend_for

            arr = backend_for(device).asarray(x._backend.to_numpy(arr), device=device)
        return wrap(arr.astype(dtype.np, copy=device == x.device), device)

    @staticmethod
    def backward(ctx, grad):
        src_device = ctx._input_meta[0][2]  # the engine casts the dtype back; the device is ours
        return (grad.to(src_device) if grad.device != src_device else grad), None, None


# ---- the user-facing functions -----------------------------------------------------------------

def _unary_function(cls):
    def fn(input):
        return cls.apply(input)

    fn.__name__ = fn.__qualname__ = cls.__name__.lower()
    fn.__doc__ = f"Elementwise ``{fn.__name__}`` (see :class:`{cls.__module__}.{cls.__name__}`)."
    return fn


for _cls in UNARY:
    globals()[_cls.__name__.lower()] = _unary_function(_cls)
negative = neg  # noqa: F821
absolute = abs  # noqa: F821


def add(input, other, *, alpha=1):
    """``input + alpha * other``."""
    return Add.apply(input, other, alpha)


def sub(input, other, *, alpha=1):
    """``input - alpha * other``."""
    return Sub.apply(input, other, alpha)


subtract = sub


def mul(input, other):
    """Elementwise product."""
    return Mul.apply(input, other)


multiply = mul


def div(input, other, *, rounding_mode=None):
    """True division (``rounding_mode=None``), or rounded with ``'trunc'`` / ``'floor'``."""
    return Div.apply(input, other, rounding_mode)


divide = true_divide = div


def floor_divide(input, other):
    return div(input, other, rounding_mode="floor")


def pow(input, exponent):
    """``input ** exponent`` (either may be a number)."""
    return Pow.apply(input, exponent)


def remainder(input, other):
    return Remainder.apply(input, other)


def maximum(input, other):
    return Maximum.apply(input, other)


def minimum(input, other):
    return Minimum.apply(input, other)


def round(input, *, decimals=0):
    return Round.apply(input, decimals)


def clamp(input, min=None, max=None):
    """Limit values to ``[min, max]`` (either bound may be None or a tensor)."""
    return Clamp.apply(input, min, max)


clip = clamp


def square(input):
    return input * input


def clone(input, *, memory_format=None):
    """A copy with its own storage; stays in the graph (gradients flow back to ``input``)."""
    return Clone.apply(input)


def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False, memory_format=None):
    """Convert dtype and/or device: ``x.to(torch.float64)``, ``x.to("cuda")``, ``x.to("cpu", torch.double)``,
    ``x.to(other)``. Returns ``self`` when nothing changes (unless ``copy=True``)."""
    for arg in args:
        if isinstance(arg, Tensor):
            dtype, device = arg.dtype, arg.device
        elif isinstance(arg, _dtypes.dtype):
            dtype = arg
        elif arg is not None:
            device = arg
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else self.dtype
    device = as_device(device) if device is not None else self.device
    if dtype is self.dtype and device == self.device and not copy:
        return self
    return ToCopy.apply(self, dtype, device)


def type_as(self, other):
    return self.to(other.dtype)


def _caster(dtype):
    def cast(self, memory_format=None):
        return self.to(dtype)

    cast.__name__ = dtype.legacy_name.lower()
    return cast


def nonzero(input, *, as_tuple=False):
    from .indexing import nonzero as _nonzero

    return _nonzero(input, as_tuple=as_tuple)



__all__ = [c.__name__.lower() for c in UNARY] + """negative absolute add sub subtract mul multiply div divide
    true_divide floor_divide pow remainder maximum minimum round clamp clip square clone eq ne lt le gt ge
    logical_and logical_or logical_xor logical_not bitwise_and bitwise_or bitwise_xor bitwise_not isnan
    isinf isfinite allclose isclose equal where nonzero""".split()
METHODS = [n for n in __all__ if n not in ("where",)] + ["to", "type_as"]
INPLACE = [c.__name__.lower() for c in UNARY] + """add sub mul div pow remainder clamp square maximum
    minimum round""".split()
