"""Elementwise ops: arithmetic, math functions, comparisons, ``where``, ``clamp`` and casts.

Each op is one ``Function``: forward on backend arrays (``xp`` is numpy or cupy), backward in
tensor ops so that gradients of gradients work. Broadcasting in backward is undone by the
engine (``sum_to_shape``), so a backward may return a gradient of the broadcast shape.
"""

from __future__ import annotations

import math

from .. import _dtypes, _strides
from .._device import as_device
from .._tensor import _C_TYPE_NAMES, Tensor
from ..autograd import grad_mode
from ..autograd.function import Function
from ._kernels import accepts, check as check_kernel
from ._util import PYTHON_NUMBERS, as_operand, check_devices, float_array, operands, require_tensors, type_name, wrap, wrap_row_major


def _not_implemented(kernel, dtype):
    """torch's error for an op that has no kernel for a dtype (e.g. ``abs`` of a bool tensor)."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{dtype.legacy_name}'")


def _check_int_division(xb, dtype, xp):
    """Integer division by zero is an error in torch (numpy would quietly give 0)."""
    if not dtype.is_floating_point and (xp.asarray(xb) == 0).any():
        raise RuntimeError("ZeroDivisionError")


# ---- arithmetic -----------------------------------------------------------------------------


def scaled(xb, alpha, dtype):
    """``alpha * b`` on the prepared operand (an array or a python number) of ``add``/``sub``."""
    if isinstance(alpha, float) and not dtype.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    return (alpha * xb).astype(dtype.np, copy=False) if hasattr(xb, "astype") else alpha * xb


class Add(Function):
    """``a + alpha * b``."""

    wrapped_number_args = (0, 1)  # torch turns a number operand into a tensor: a (None, 0) edge

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        xa, xb, xp, device, dtype = operands(a, b)
        ctx.alpha = alpha
        if alpha != 1:
            xb = scaled(xb, alpha, dtype)
        return wrap(xp.add(xa, xb), device, a, b)

    @staticmethod
    def backward(ctx, grad):
        return grad, (grad if ctx.alpha == 1 else grad * ctx.alpha), None


class Sub(Function):
    """``a - alpha * b``."""

    wrapped_number_args = (0, 1)

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        bools = [getattr(v, "dtype", None) is _dtypes.bool_ or type(v) is bool for v in (a, b)]
        if all(bools):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        if any(bools):
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
                               "to invert a mask, use the `~` or `logical_not()` operator instead.")
        xa, xb, xp, device, dtype = operands(a, b)
        ctx.alpha = alpha
        if alpha != 1:
            xb = scaled(xb, alpha, dtype)
        return wrap(xp.subtract(xa, xb), device, a, b)

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.alpha == 1 else grad * -ctx.alpha, None


class Rsub(Sub):
    """``number - alpha * x`` (``torch.rsub(x, number)``): torch names this node RsubBackward1."""

    backward_name = "RsubBackward1"
    wrapped_number_args = ()


class BinaryOp(Function):
    """``out = f(a, b)`` elementwise, either side possibly a python number. A subclass gives
    ``compute(xp, xa, xb, dtype)`` on arrays and the two partial derivatives ``grad_a`` /
    ``grad_b(a, b, out, grad)`` in tensor ops (``a``/``b`` are numbers where the user passed
    numbers). ``uses`` says what each of the two derivatives reads ("a", "b", "o" for the output):
    only that is saved, so ``y * 3`` saves nothing and later in-place changes of ``y`` are fine.
    ``result_dtype`` may override the promoted dtype (``true_divide`` of ints is float)."""

    uses = ("ab", "ab")
    row_major = False  # True: torch's kernel gives a row-major result whatever the operands' layout

    @classmethod
    def result_dtype(cls, a, b):
        return a.dtype if getattr(a, "dtype", None) is getattr(b, "dtype", 0) else _dtypes.result_type(a, b)

    @staticmethod
    def forward(ctx, a, b):
        op = ctx._forward_cls
        if not (isinstance(a, Tensor) and (isinstance(b, Tensor) or type(b) in PYTHON_NUMBERS)):
            a, b = as_operand(a), as_operand(b)
        xa, xb, xp, device, dtype = operands(a, b, op.result_dtype(a, b))
        out = op.compute(xp, xa, xb, dtype)
        out = wrap_row_major(out, device) if op.row_major else wrap(out, device, a, b)
        needs_a, needs_b = ctx.needs_input_grad
        if needs_a or needs_b:
            a_is_tensor, b_is_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
            ctx.numbers = (None if a_is_tensor else a, None if b_is_tensor else b)
            needed = (op.uses[0] if needs_a else "") + (op.uses[1] if needs_b else "")
            ctx.save_for_backward(a if a_is_tensor and "a" in needed else None,
                                  b if b_is_tensor and "b" in needed else None, out if "o" in needed else None)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        a = ctx.numbers[0] if a is None else a
        b = ctx.numbers[1] if b is None else b
        op = ctx._forward_cls
        return (op.grad_a(a, b, out, grad) if ctx.needs_input_grad[0] else None,
                op.grad_b(a, b, out, grad) if ctx.needs_input_grad[1] else None)


class Mul(BinaryOp):
    """``a * b``: d/da = b, d/db = a."""

    wrapped_number_args = (0, 1)
    uses = ("b", "a")

    def compute(xp, xa, xb, dtype): return xp.multiply(xa, xb)
    def grad_a(a, b, out, grad): return grad * b
    def grad_b(a, b, out, grad): return grad * a


class Div(BinaryOp):
    """``a / b``, true division (so int / int gives a float): d/da = 1/b, d/db = -a/b**2."""

    wrapped_number_args = (0, 1)
    uses = ("b", "ab")

    @classmethod
    def result_dtype(cls, a, b):
        dtype = _dtypes.result_type(a, b)
        return dtype if dtype.is_floating_point else _dtypes.get_default_dtype()

    def compute(xp, xa, xb, dtype): return xp.true_divide(xa, xb)
    def grad_a(a, b, out, grad): return grad / b
    def grad_b(a, b, out, grad): return -grad * a / (b * b)


class DivRounded(BinaryOp):
    """``a / b`` rounded down (``rounding_mode='floor'``, Python's ``//``) or towards zero
    (``'trunc'``), in the promoted dtype. Piecewise constant: the gradient is zero."""

    backward_name = "DivBackward2"
    wrapped_number_args = (0, 1)
    uses = ("", "")

    def compute(xp, xa, xb, dtype):
        _check_int_division(xb, dtype, xp)
        return xp.floor_divide(xa, xb)

    def grad_a(a, b, out, grad): return grad.new_zeros(grad.shape)  # not grad * 0: nan where grad is inf
    grad_b = grad_a


class DivTrunc(DivRounded):
    backward_name = "DivBackward2"

    def compute(xp, xa, xb, dtype):
        _check_int_division(xb, dtype, xp)
        if not dtype.is_floating_point:  # C's integer division rounds towards zero
            q = xp.floor_divide(xa, xb)
            return q + ((q < 0) & (q * xb != xa))
        return xp.trunc(xp.true_divide(xa, xb))


class FloorDivide(DivRounded):
    """``a // b``. torch has no derivative for it: backward raises (its node is named so)."""

    backward_name, cpp_name = "NotImplemented", "torch::autograd::NotImplemented"

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Heaviside(BinaryOp):
    """The step function: 0 where ``a < 0``, ``b`` where ``a == 0``, 1 where ``a > 0`` (nan gives 0,
    as in torch). torch has no derivative for it: backward raises (its node is named so)."""

    backward_name, cpp_name = "NotImplemented", "torch::autograd::NotImplemented"
    uses = ("", "")

    def compute(xp, xa, xb, dtype): return xp.where(xa == 0, xb, xa > 0).astype(dtype.np, copy=False)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::heaviside is not implemented")


class Pow(BinaryOp):
    """``a ** b`` for a tensor and a number: d/da = b * a**(b-1) (zero where b == 0)."""

    uses = ("ab", "abo")

    def compute(xp, xa, xb, dtype):
        if dtype.is_floating_point or not (xp.asarray(xb) < 0).any():
            return xp.power(xa, xb).astype(dtype.np, copy=False)  # bool ** True stays bool
        if not hasattr(xb, "shape"):
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        # torch's integer rule for negative exponents: 1 ** -n = 1, (-1) ** -n = +-1, else 0
        xb = xp.broadcast_to(xb, xp.broadcast_shapes(xp.shape(xa), xb.shape))
        odd = (xb % 2) != 0
        negative = xp.where(xa == 1, 1, xp.where(xa == -1, xp.where(odd, -1, 1), 0)).astype(dtype.np)
        return xp.where(xb < 0, negative, xp.power(xa, xp.maximum(xb, 0)))

    def grad_a(a, b, out, grad):
        if not isinstance(b, Tensor):
            return grad * 0 if b == 0 else grad * b * a ** (b - 1)
        return grad * where(b == 0, 0.0, b * a ** (b - 1))

    def grad_b(a, b, out, grad):
        # d/db = a**b * log(a); torch makes it 0 where a == 0 and b >= 0 (instead of 0 * -inf)
        if not isinstance(a, Tensor):
            return grad * out * math.log(a) if a != 0 else grad * where(b >= 0, 0.0, -math.inf)
        return grad * where((a == 0) & (b >= 0), 0.0, out * a.log())


class PowTensor(Pow):
    """``a ** b`` with two tensors (torch's PowBackward1; like torch it keeps its result even
    when only ``a`` needs a gradient, so a later in-place change of the result is caught)."""

    backward_name = "PowBackward1"
    uses = ("abo", "abo")


class PowScalarBase(Pow):
    """``number ** tensor`` (torch's PowBackward2)."""

    backward_name = "PowBackward2"
    row_major = True


def _split_ties(grad, a_lost, b_lost, tie):
    """Gradient routing of maximum/minimum: the loser gets 0, a tie splits it in half (as torch:
    a nan input is neither, so both get it). ``where``, not a product: a nan gradient stays out
    of the loser's."""
    shared = where(tie, grad / 2, grad)
    return where(a_lost, 0.0, shared), where(b_lost, 0.0, shared)


class Maximum(BinaryOp):
    """Elementwise max of two tensors (nan wins; ties share the gradient)."""

    def compute(xp, xa, xb, dtype): return xp.maximum(xa, xb)
    def grad_a(a, b, out, grad): return _split_ties(grad, a < b, b < a, a == b)[0]
    def grad_b(a, b, out, grad): return _split_ties(grad, a < b, b < a, a == b)[1]


class Minimum(BinaryOp):
    """Elementwise min of two tensors (nan wins; ties share the gradient)."""

    def compute(xp, xa, xb, dtype): return xp.minimum(xa, xb)
    def grad_a(a, b, out, grad): return _split_ties(grad, a > b, b > a, a == b)[0]
    def grad_b(a, b, out, grad): return _split_ties(grad, a > b, b > a, a == b)[1]


class Remainder(BinaryOp):
    """``a % b`` with the sign of ``b`` (Python's and torch's rule): d/da = 1, d/db = -floor(a/b)."""

    uses = ("", "ab")

    def compute(xp, xa, xb, dtype):
        _check_int_division(xb, dtype, xp)
        return xp.remainder(xa, xb)

    def grad_a(a, b, out, grad): return grad
    # torch's formula: floor division's own algorithm, not floor(a / b): 3 / -0.02 rounds to -150
    # in float32, while the floor division of 3 by -0.02f is -151
    def grad_b(a, b, out, grad): return -grad * a.div(b, rounding_mode="floor")


class RemainderTensor(Remainder):
    """``a % b`` with a tensor ``b`` (torch's node for the Tensor overload)."""

    backward_name = "RemainderBackward1"


class RemainderScalarBase(Remainder):
    """``number % tensor``: torch has no derivative for it (its node is named so)."""

    backward_name, cpp_name = "NotImplemented", "torch::autograd::NotImplemented"

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::remainder is not implemented")


class Fmod(BinaryOp):
    """C's ``fmod``: the remainder with the sign of ``a``. d/da = 1, d/db = -trunc(a/b)."""

    uses = ("", "ab")

    def compute(xp, xa, xb, dtype):
        _check_int_division(xb, dtype, xp)
        return xp.fmod(xa, xb)

    def grad_a(a, b, out, grad): return grad
    def grad_b(a, b, out, grad): return -grad * (a / b).trunc()


class FmodTensor(Fmod):
    backward_name = "FmodBackward1"


class Atan2(BinaryOp):
    """The angle of the point ``(b, a)``: d/da = b / (a² + b²), d/db = -a / (a² + b²)."""

    result_dtype = Div.result_dtype

    def compute(xp, xa, xb, dtype): return xp.arctan2(xa, xb)
    def grad_a(a, b, out, grad): return grad * b / (a * a + b * b)
    def grad_b(a, b, out, grad): return -grad * a / (a * a + b * b)


class Hypot(BinaryOp):
    """``sqrt(a² + b²)`` without overflow: d/da = a / out, d/db = b / out."""

    uses = ("ao", "bo")

    def compute(xp, xa, xb, dtype): return xp.hypot(xa, xb)
    def grad_a(a, b, out, grad): return grad * a / out
    def grad_b(a, b, out, grad): return grad * b / out


class Logaddexp(BinaryOp):
    """``log(exp(a) + exp(b))`` without overflow: d/da = exp(a - out), d/db = exp(b - out)."""

    uses = ("ao", "bo")

    result_dtype = Div.result_dtype

    def compute(xp, xa, xb, dtype): return xp.logaddexp(xa, xb)
    def grad_a(a, b, out, grad): return grad * (a - out).exp()
    def grad_b(a, b, out, grad): return grad * (b - out).exp()


class Xlogy(BinaryOp):
    """``a * log(b)``, defined as 0 where ``a == 0`` (even for b == 0): d/da = log(b), d/db = a / b."""

    result_dtype = Div.result_dtype

    def compute(xp, xa, xb, dtype):
        return xp.where(xp.asarray(xa) == 0, 0, xa * xp.log(xb)).astype(dtype.np)

    def grad_a(a, b, out, grad):
        log_b = b.log() if isinstance(b, Tensor) else math.log(b)
        return grad * where(a == 0, 0.0, log_b) if isinstance(a, Tensor) else grad * log_b

    def grad_b(a, b, out, grad): return grad * a / b


# ---- one-input math functions ------------------------------------------------------------


class UnaryOp(Function):
    """``y = f(x)`` elementwise. A subclass gives ``compute(backend, x_array)`` and
    ``derivative(v)`` = dy/dx written in tensor ops, where ``v`` is the output ``y`` when
    ``uses_output`` is set (cheaper, e.g. exp) and the input ``x`` otherwise. Piecewise-constant
    ops (sign, floor...) set ``zero_derivative``: they save nothing and their gradient is zeros.
    The common activations also give ``fused_backward(be, grad, v)``: see ``gradient``."""

    uses_output = False
    zero_derivative = False
    constant_derivative = False  # the derivative needs neither x nor y (neg): nothing is saved
    to_float = True  # integer inputs are computed in the default float dtype (torch.exp(int) -> float)
    bool_kernel = None  # torch's kernel name where it has none for bool tensors (abs -> "abs_cpu")
    fused_backward = None
    mask_derivative = False  # the derivative is a bool mask (relu)

    @staticmethod
    def forward(ctx, x):
        op = ctx._forward_cls
        if op.bool_kernel and x.dtype is _dtypes.bool_:
            raise _not_implemented(op.bool_kernel, x.dtype)
        if op.to_float:  # math: float16 computed in float32 (see opmath)
            y = wrap(opmath(op.compute, x._backend, float_array(x)), x.device, x)
        else:  # relu, abs, floor...: exact in any dtype, and relu keeps -0.0 in float16 as torch does
            y = wrap(op.compute(x._backend, x._array), x.device, x)
        if not (op.zero_derivative or op.constant_derivative):
            ctx.save_for_backward(y if op.uses_output else x)
        return y

    @staticmethod
    def backward(ctx, grad):
        if ctx._forward_cls.zero_derivative:
            return grad.new_zeros(grad.shape)  # not grad * 0: that is nan where grad is inf or nan
        (v,) = ctx.saved_tensors or (None,)
        return gradient(ctx._forward_cls, grad, v)


def opmath(fn, be, array, *args):
    """``fn(be, array, *args)`` as torch computes float16 math: in float32 (``array`` and any
    float16 array among ``args``), rounded to float16 once at the end. numpy would round after
    every step of a formula (sigmoid, gelu...): a third of the results would differ in the last bit."""
    if array.dtype.char != "e":  # "e": float16's type code (a string test: the cheapest, on every op)
        return fn(be, array, *args)
    single = be.xp.float32
    args = [a.astype(single) if getattr(a, "dtype", None) == array.dtype else a for a in args]
    return fn(be, array.astype(single), *args).astype(array.dtype)


def gradient(op, grad, v, *params):
    """``grad * op.derivative(v, *params)``: the backward of an elementwise op (``UnaryOp`` and
    ``nn.functional``'s ``Activation``).

    Speed: without ``create_graph`` (grad mode off in backward) nothing will differentiate this
    gradient again, so an op that gives ``fused_backward(be, grad, v, *params)`` (``be``: the
    backend) gets it as one numpy expression on arrays, in the order of torch's backward kernel,
    so the same bits. For tanh that is one result tensor instead of three tensor ops (``y * y``,
    ``1 - ...``, ``grad * ...``), each with its own node, checks and result tensor."""
    if (op.fused_backward is not None and not grad_mode._state["enabled"] and grad.dtype is v.dtype
            and grad.device is v.device):
        layout = (v, grad) if op.mask_derivative else (grad, v)  # the operands' order in the tensor ops below
        fused = opmath(op.fused_backward, grad._backend, grad._array, v._array, *params)
        return wrap(fused, grad.device, *layout)
    if v is not None and grad.dtype is _dtypes.float16 and v.dtype is _dtypes.float16:  # torch's kernels: float32 inside
        return gradient(op, grad.float(), v.float(), *params).half()
    d = op.derivative(v, *params)
    if isinstance(d, Tensor) and d.dtype is _dtypes.bool_:  # a mask (relu): select, as torch does,
        return where(d, grad, 0.0)  # so an inf gradient gives 0 where the mask is off, not nan
    return grad * d


class Neg(UnaryOp):
    to_float, constant_derivative = False, True

    def compute(be, x):
        if x.dtype == bool:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
                               "to invert a mask, use the `~` or `logical_not()` operator instead.")
        return be.xp.negative(x)

    def derivative(x): return -1


class Exp(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.exp(x)
    def derivative(y): return y


class Exp2(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.exp2(x)
    def derivative(y): return y * math.log(2)


class Log(UnaryOp):
    def compute(be, x): return be.xp.log(x)
    def derivative(x): return x.reciprocal()


def _in_double(fn, x):
    """``fn`` computed in float64 and rounded back: numpy's float32 log2/log10 can be a few ulp
    off (log10(100) != 2), torch's are correctly rounded there."""
    return fn(x.astype("float64")).astype(x.dtype) if x.dtype.itemsize < 8 else fn(x)


class Log2(UnaryOp):
    def compute(be, x): return _in_double(be.xp.log2, x)
    def derivative(x): return (x * math.log(2)).reciprocal()


class Log10(UnaryOp):
    def compute(be, x): return _in_double(be.xp.log10, x)
    def derivative(x): return (x * math.log(10)).reciprocal()


class Log1p(UnaryOp):
    backward_name = "Log1PBackward0"

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


class Asin(UnaryOp):
    def compute(be, x): return be.xp.arcsin(x)
    def derivative(x): return (1 - x * x).rsqrt()


class Acos(UnaryOp):
    def compute(be, x): return be.xp.arccos(x)
    def derivative(x): return -(1 - x * x).rsqrt()


class Atan(UnaryOp):
    def compute(be, x): return be.xp.arctan(x)
    def derivative(x): return (1 + x * x).reciprocal()


class Sinh(UnaryOp):
    def compute(be, x): return be.xp.sinh(x)
    def derivative(x): return x.cosh()


class Cosh(UnaryOp):
    def compute(be, x): return be.xp.cosh(x)
    def derivative(x): return x.sinh()


class Tanh(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.tanh(x)
    def derivative(y): return 1 - y * y
    def fused_backward(be, grad, y): return grad * (1 - y * y)


class Asinh(UnaryOp):
    def compute(be, x): return be.xp.arcsinh(x)
    def derivative(x): return (x * x + 1).rsqrt()


class Acosh(UnaryOp):
    def compute(be, x): return be.xp.arccosh(x)
    def derivative(x): return (x * x - 1).rsqrt()


class Atanh(UnaryOp):
    def compute(be, x): return be.xp.arctanh(x)
    def derivative(x): return (1 - x * x).reciprocal()


class Sigmoid(UnaryOp):
    """``1 / (1 + exp(-x))``; dy/dx = y * (1 - y), written out in ``backward`` in the order of
    torch's kernel rather than as ``derivative``."""

    uses_output = True

    def compute(be, x):
        # torch's formula, 1 / (1 + exp(-x)), written into one temporary (~7 µs less than four new
        # arrays for 64x100). exp(-x) overflowing to inf for x < -88 is fine: 1 / inf = 0, as torch
        # gives (numpy's overflow warnings are off, see backends/cpu.py).
        xp = be.xp
        r = xp.negative(x, out=xp.empty_like(x))  # out=: a 0-d x still gives an array to write into
        xp.exp(r, out=r)
        r += 1
        return xp.reciprocal(r, out=r)

    @staticmethod
    def backward(ctx, grad):
        # torch's sigmoid_backward kernel: (grad * (1 - y)) * y in this order, rounded after each
        # step even in float16 (unlike tanh's), so the same bits as torch's gradient
        (y,) = ctx.saved_tensors
        if not grad_mode._state["enabled"] and grad.dtype is y.dtype and grad.device is y.device:
            # no create_graph: each step written into one temporary (~1.4 µs less for 64x100)
            xp = grad._backend.xp
            d = xp.subtract(1, y._array, out=xp.empty_like(y._array))  # out=: a 0-d y still gives an array
            xp.multiply(grad._array, d, out=d)
            return wrap(xp.multiply(d, y._array, out=d), grad.device, grad, y)
        return grad * (1 - y) * y


class Relu(UnaryOp):
    """``max(x, 0)``; integer tensors stay integer."""

    to_float = False
    uses_output = True
    mask_derivative = True
    # the gradient passes unless y <= 0, as in torch: a NaN output (relu of NaN) passes it on
    def compute(be, x): return be.xp.maximum(x, 0).astype(x.dtype, copy=False)
    def derivative(y): return ~(y <= 0)
    def fused_backward(be, grad, y): return be.zero_where(y <= 0, grad)


class Erf(UnaryOp):
    def compute(be, x): return be.erf(x)
    def derivative(x): return (2 / math.sqrt(math.pi)) * (-x * x).exp()


class Reciprocal(UnaryOp):
    uses_output = True
    def compute(be, x): return be.xp.reciprocal(x)
    def derivative(y): return -y * y


class Abs(UnaryOp):
    to_float = False
    bool_kernel = "abs_cpu"
    def compute(be, x): return be.xp.abs(x)
    def derivative(x): return x.sign()


class Sign(UnaryOp):
    """-1, 0 or 1 (0 for nan, as in torch); bool tensors are their own sign."""

    to_float = False
    zero_derivative = True

    def compute(be, x):
        if x.dtype == bool:
            return x.copy()
        return be.xp.nan_to_num(be.xp.sign(x), nan=0.0).astype(x.dtype, copy=False)


class _RoundingOp(UnaryOp):
    """floor / ceil / trunc: integers are already whole (a copy); the gradient is zero."""

    to_float = False
    zero_derivative = True
    numpy_name = None

    @classmethod
    def compute(cls, be, x):
        return getattr(be.xp, cls.numpy_name)(x) if x.dtype.kind == "f" else x.copy()


class Floor(_RoundingOp):
    numpy_name, bool_kernel = "floor", "floor_vml_cpu"


class Ceil(_RoundingOp):
    numpy_name, bool_kernel = "ceil", "ceil_vml_cpu"


class Trunc(_RoundingOp):
    numpy_name = "trunc"


class Frac(UnaryOp):
    """``x - trunc(x)`` (the fractional part keeps x's sign); floating tensors only."""

    to_float, constant_derivative = False, True  # nothing saved: x may change in place before backward

    def compute(be, x):
        if x.dtype.kind != "f":
            raise _not_implemented("frac_cpu", _dtypes.from_numpy_dtype(x.dtype))
        return x - be.xp.trunc(x)

    def derivative(x): return 1


class Round(Function):
    """Round half to even, as torch (and numpy) do; ``decimals`` shifts the rounding point."""

    @staticmethod
    def forward(ctx, x, decimals=0):
        if x.dtype is _dtypes.bool_ or (decimals and not x.dtype.is_floating_point):
            raise _not_implemented("round_vml_cpu" if not decimals else "round_cpu", x.dtype)
        xp = x._backend.xp
        return wrap(xp.round(x._array, decimals) if x.dtype.is_floating_point else x._array.copy(), x.device, x)

    @staticmethod
    def backward(ctx, grad):
        return grad.new_zeros(grad.shape), None


class NanToNum(Function):
    """Replace nan / +inf / -inf by numbers (defaults: 0 and the dtype's largest values);
    the gradient passes where the input was finite."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.save_for_backward(x)
        xp = x._backend.xp
        return wrap(xp.nan_to_num(x._array, nan=nan, posinf=posinf, neginf=neginf), x.device, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.isfinite(), None, None, None


UNARY = (Neg, Exp, Exp2, Log, Log2, Log10, Log1p, Expm1, Sqrt, Rsqrt, Sin, Cos, Tan, Asin, Acos, Atan, Sinh,
         Cosh, Tanh, Asinh, Acosh, Atanh, Sigmoid, Relu, Erf, Reciprocal, Abs, Sign, Floor, Ceil, Trunc, Frac)


# ---- comparisons and logic (no gradient) ---------------------------------------------------

def _compare(ufunc_name):
    def compare(input, other):
        xa, xb, xp, device, _ = operands(input, other)
        return wrap(getattr(xp, ufunc_name)(xa, xb), device, input, other)

    compare.__name__ = ufunc_name
    compare.__doc__ = f"Elementwise ``{ufunc_name}`` of two tensors (or a tensor and a number): a bool tensor."
    return compare


eq, ne, lt, le, gt, ge = (_compare(n) for n in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal"))
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _logical(ufunc_name):
    def logical(input, other):
        require_tensors(ufunc_name, input, other)
        xa, xb, xp, device, _ = operands(input, other)
        return wrap(getattr(xp, ufunc_name)(xa, xb), device, input, other)

    logical.__name__ = ufunc_name
    logical.__doc__ = f"Elementwise ``{ufunc_name}`` (nonzero counts as True): a bool tensor."
    return logical


logical_and, logical_or, logical_xor = (_logical(n) for n in ("logical_and", "logical_or", "logical_xor"))


def _check_integer_operands(name, input, other):
    """torch's TypeError for the bitwise ops' arguments: a tensor and a tensor or a number, in either order."""
    if not (isinstance(input, Tensor) or isinstance(other, Tensor)) or not all(
            isinstance(v, Tensor) or type(v) in PYTHON_NUMBERS or hasattr(v, "dtype") for v in (input, other)):
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({type_name(input)}, "
                        f"{type_name(other)}), but expected one of:\n * (Tensor input, Tensor other, *, Tensor out = "
                        "None)\n * (Number self, Tensor other)\n * (Tensor input, Number other, *, Tensor out = None)\n")


def _bitwise(ufunc_name):
    def op(input, other):
        _check_integer_operands(ufunc_name, input, other)
        xa, xb, xp, device, dtype = operands(input, other)
        if dtype.is_floating_point:
            raise _not_implemented(f"{ufunc_name}_cpu", dtype)
        return wrap(getattr(xp, ufunc_name)(xa, xb), device, input, other)

    op.__name__ = ufunc_name
    op.__doc__ = f"Elementwise ``{ufunc_name}`` of integer/bool tensors (``&``, ``|``, ``^``)."
    return op


bitwise_and, bitwise_or, bitwise_xor = (_bitwise(n) for n in ("bitwise_and", "bitwise_or", "bitwise_xor"))


def _shift(name, input, other):
    """``input << other`` (``name`` is ``bitwise_left_shift``) or ``input >> other`` of integers.

    C leaves a shift by a negative amount, or by the type's width or more, undefined; torch's CPU
    kernel defines it, and so does this: shifting left gives 0, shifting right gives copies of the
    sign bit (-1 for negative values, else 0). A python int is first wrapped to the dtype, as C
    converts it (``int8_tensor << 256`` shifts by 0)."""
    _check_integer_operands(name, input, other)
    left = name == "bitwise_left_shift"
    xa, xb, xp, device, dtype = operands(input, other)
    if dtype.is_floating_point or dtype is _dtypes.bool_:
        raise _not_implemented("lshift_cpu" if left else "rshift_cpu", dtype)
    xa, xb = xp.asarray(xa, dtype=dtype.np), xp.asarray(xb, dtype=dtype.np)
    if xp.__name__ == "numpy":  # numpy's kernels define these shifts as torch's: one pass, not five
        out = (xp.left_shift if left else xp.right_shift)(xa, xb)  # (64x64 int64 x >> y: 17 -> 5 us)
    else:  # CuPy's follow C
        out = shift_past_width(xp, left, xa, xb, 8 * dtype.itemsize)
    return wrap(xp.asarray(out, dtype=dtype.np), device, input, other)


def shift_past_width(xp, left, a, b, bits):
    """``a << b`` (``left``) or ``a >> b`` on arrays of one integer dtype ``bits`` wide, with torch's
    results where ``b < 0`` or ``b >= bits``: 0, or copies of the sign bit when shifting right."""
    too_far = (b < 0) | (b >= bits)
    shifted = (xp.left_shift if left else xp.right_shift)(a, xp.where(too_far, 0, b))  # a shift C defines
    past_width = 0 if left or a.dtype.kind == "u" else xp.right_shift(a, bits - 1)
    return xp.where(too_far, past_width, shifted)


def bitwise_left_shift(input, other):
    """``input << other``: the bits of integer ``input`` moved left by ``other`` (0 once past the width).

    >>> import minitorch as torch
    >>> torch.tensor([-16, 3], dtype=torch.int8) << torch.tensor([2, 9], dtype=torch.int8)
    tensor([-64,   0], dtype=torch.int8)
    """
    return _shift("bitwise_left_shift", input, other)


def bitwise_right_shift(input, other):
    """``input >> other``: the bits moved right, the sign bit copied in (-1 or 0 once past the width).

    >>> import minitorch as torch
    >>> torch.tensor([-16, 32]) >> 2
    tensor([-4,  8])
    """
    return _shift("bitwise_right_shift", input, other)


def logical_not(input):
    """``True`` where ``input`` is zero/False."""
    return wrap(input._backend.xp.logical_not(input._array), input.device, input)


def bitwise_not(input):
    """Logical not for bool tensors, bit flip for integers (``~x``)."""
    if input.dtype.is_floating_point:
        raise _not_implemented("bitwise_not_cpu", input.dtype)
    return wrap(input._backend.xp.invert(input._array), input.device, input)


def invert(input):
    """``~x``: ``bitwise_not``, with the operator's own error for floating-point tensors."""
    if input.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return bitwise_not(input)


def isnan(input):
    return wrap(input._backend.xp.isnan(input._array), input.device, input)


def isinf(input):
    return wrap(input._backend.xp.isinf(input._array), input.device, input)


def isfinite(input):
    return wrap(input._backend.xp.isfinite(input._array), input.device, input)


def equal(input, other):
    """True when both tensors have the same shape and elements."""
    return input.shape == other.shape and bool((input == other).all())


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True when ``|input - other| <= atol + rtol * |other|`` everywhere."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Where ``|input - other| <= atol + rtol * |other|`` (a bool tensor)."""
    xa, xb, xp, device, _ = operands(input, other)
    return wrap(xp.isclose(xa, xb, rtol=rtol, atol=atol, equal_nan=equal_nan), device, input, other)


# ---- selection by condition -------------------------------------------------------------------


class Where(Function):
    """``where(cond, a, b)``: ``a`` where ``cond`` else ``b``; each gradient goes to its side."""

    @staticmethod
    def forward(ctx, condition, a, b):
        if condition.dtype is not _dtypes.bool_:
            raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                               f"{condition.dtype.legacy_name}")
        a, b = as_operand(a), as_operand(b)
        check_devices(condition, a, b)
        _strides.broadcast_shapes(condition._shape, *(v._shape for v in (a, b) if isinstance(v, Tensor)))
        xa, xb, xp, device, dtype = operands(a, b, like=condition)
        ctx.save_for_backward(condition)
        out = xp.where(condition._array, xa, xb).astype(dtype.np, copy=False)
        return wrap(out, device, condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        (condition,) = ctx.saved_tensors
        zero = grad.new_zeros(())
        return None, where(condition, grad, zero), where(condition, zero, grad)


def where(condition, input=None, other=None):
    """Pick from ``input`` where ``condition`` holds, else from ``other`` (either may be a number).

    >>> import minitorch as torch
    >>> torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), 0)
    tensor([1, 0])

    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.
    """
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    return Where.apply(condition, input, other)


class Clamp(Function):
    """Limit values to ``[min, max]``; the gradient passes only where no limit was applied.

    Numbers as bounds: torch's ClampBackward1; tensors as bounds: ClampBackward0."""

    backward_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, min=None, max=None):
        dtype, lo, hi = clamp_operands(x, min, max)
        out = x._backend.xp.clip(x._array.astype(dtype.np, copy=False), lo, hi)
        ctx.save_for_backward(x, *(b if isinstance(b, Tensor) else None for b in (min, max)))  # checked versions
        ctx.bounds = (min, max)
        return wrap(out.astype(dtype.np, copy=False), x.device, x, *(b for b in (min, max) if b is not None))

    @staticmethod
    def backward(ctx, grad):
        x, lo, hi = _clamp_saved(ctx)
        inside = [x >= lo] if lo is not None else []
        inside += [x <= hi] if hi is not None else []
        keep = inside[0] if len(inside) == 1 else inside[0] & inside[1]
        return where(keep, grad, 0.0), None, None  # not grad * keep: an inf gradient would give nan


def clamp_operands(x, min, max):
    """Check ``clamp``'s bounds; return the result dtype and the bounds as ``clip`` takes them."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [bound for bound in (min, max) if bound is not None]
    dtype = _dtypes.result_type(x, *bounds)
    if tensors := [b._shape for b in bounds if isinstance(b, Tensor)]:
        _strides.broadcast_shapes(x._shape, *tensors)
    for bound in bounds:
        if not isinstance(bound, Tensor) and dtype is x.dtype:
            _dtypes.check_fits(bound, dtype)
    lo, hi = (b._array.astype(dtype.np, copy=False) if isinstance(b, Tensor) else b for b in (min, max))
    return dtype, lo, hi


def _clamp_saved(ctx):
    """``x`` and the two bounds (saved tensors, or the numbers given)."""
    x, lo, hi = ctx.saved_tensors
    return x, ctx.bounds[0] if lo is None else lo, ctx.bounds[1] if hi is None else hi


class ClampTensor(Clamp):
    """Clamp with tensor bounds: a bound gets the gradient where it was the result
    (``min`` where x < min < max, ``max`` where x > max or max < min)."""

    backward_name = "ClampBackward0"

    @staticmethod
    def backward(ctx, grad):
        (grad_x, _, _) = Clamp.backward(ctx, grad)
        x, lo, hi = _clamp_saved(ctx)
        grad_lo = grad_hi = None
        if isinstance(lo, Tensor) and ctx.needs_input_grad[1]:
            took_lo = (x < lo) & (lo < hi) if hi is not None else x < lo
            grad_lo = grad * took_lo
        if isinstance(hi, Tensor) and ctx.needs_input_grad[2]:
            took_hi = (x > hi) | (hi < lo) if lo is not None else x > hi
            grad_hi = grad * took_hi
        return grad_x, grad_lo, grad_hi


class ClampMin(Clamp):
    backward_name = "ClampMinBackward0"


class ClampMax(Clamp):
    backward_name = "ClampMaxBackward0"


class ClampMinTensor(ClampTensor):
    backward_name = "ClampMinBackward1"


class ClampMaxTensor(ClampTensor):
    backward_name = "ClampMaxBackward1"


# ---- copies and casts --------------------------------------------------------------------------


class Clone(Function):
    """A copy with its own storage (laid out like ``x`` unless ``contiguous``); gradients pass
    straight through."""

    @staticmethod
    def forward(ctx, x, contiguous=False):
        if contiguous:
            return wrap(x._array.copy(order="C"), x.device)
        # x as wrap's input: torch's "preserve format" layout (an expanded x's copy is row-major;
        # numpy's order="K" would put its stride-0 dims innermost)
        return wrap(x._array.copy(order="K"), x.device, x)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class ToCopy(Function):
    """Copy to another dtype and/or device; the gradient is cast/moved back by the engine."""

    @staticmethod
    def forward(ctx, x, dtype, device):
        arr = x._array
        if device != x.device:
            from ..backends import backend_for

            arr = backend_for(device).asarray(x._backend.to_numpy(arr), device=device)
        return wrap(arr.astype(dtype.np, copy=device == x.device), device, x)  # x's layout, as Clone

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
relu, trunc = accepts("relu")(relu), accepts("trunc")(trunc)  # noqa: F821
negative = neg  # noqa: F821
absolute = abs  # noqa: F821
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh  # noqa: F821
sgn = sign  # noqa: F821  (real tensors only: the sign)


def positive(input):
    """``+x``: the tensor itself."""
    return input


def add(input, other, *, alpha=1):
    """``input + alpha * other``."""
    if alpha == 1 and not isinstance(input, Tensor) and isinstance(other, Tensor):
        input, other = other, input  # ``1 + x``: torch computes x + 1 (the tensor's edge first)
    return Add.apply(input, other, alpha)


def sub(input, other, *, alpha=1):
    """``input - alpha * other`` (``number - tensor`` is ``rsub``, as torch computes ``1 - x``)."""
    if not isinstance(input, Tensor) and isinstance(other, Tensor):
        return rsub(other, input, alpha=alpha)
    return Sub.apply(input, other, alpha)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input`` (``1 - x``)."""
    return (Rsub if not isinstance(other, Tensor) else Sub).apply(other, input, alpha)


def mul(input, other):
    """Elementwise product."""
    if not isinstance(input, Tensor) and isinstance(other, Tensor):
        input, other = other, input  # ``2 * x``: torch computes x * 2 (the tensor's edge first)
    return Mul.apply(input, other)


multiply = mul


def div(input, other, *, rounding_mode=None):
    """True division (``rounding_mode=None``), or rounded with ``'trunc'`` / ``'floor'``."""
    ops = {None: Div, "floor": DivRounded, "trunc": DivTrunc}
    if rounding_mode not in ops:
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")
    if rounding_mode is None and not isinstance(input, Tensor) and isinstance(other, Tensor):
        return reciprocal(other) * input  # ``2 / x``: how torch computes it (MulBackward0)  # noqa: F821
    if rounding_mode is not None:
        check_kernel("div_" + rounding_mode, input, other)
    return ops[rounding_mode].apply(input, other)


divide = true_divide = div


def floor_divide(input, other):
    """``input // other``: division rounded down (integers stay integers)."""
    check_kernel("div_floor", input, other)
    return FloorDivide.apply(input, other)


def pow(input, exponent):
    """``input ** exponent`` (either may be a number)."""
    if not isinstance(input, Tensor):
        return PowScalarBase.apply(input, exponent)
    if isinstance(exponent, Tensor):
        check_kernel("pow", input, exponent)
    return (PowTensor if isinstance(exponent, Tensor) else Pow).apply(input, exponent)


def float_power(input, exponent):
    """``input ** exponent`` computed in float64."""
    as_double = [v.double() if isinstance(v, Tensor) else float(v) for v in (input, exponent)]
    return pow(*as_double)


def square(input):
    """``input ** 2``."""
    return pow(input, 2)


@accepts("remainder", operands=2)
def remainder(input, other):
    """``input % other`` with the sign of ``other`` (Python's ``%``)."""
    if not isinstance(input, Tensor):
        return RemainderScalarBase.apply(input, other)
    return (RemainderTensor if isinstance(other, Tensor) else Remainder).apply(input, other)


@accepts("fmod", operands=2)
def fmod(input, other):
    """C's remainder: the sign of ``input``."""
    return (FmodTensor if isinstance(other, Tensor) else Fmod).apply(input, other)


def maximum(input, other):
    require_tensors("maximum", input, other)
    return Maximum.apply(input, other)


def minimum(input, other):
    require_tensors("minimum", input, other)
    return Minimum.apply(input, other)


def atan2(input, other):
    require_tensors("atan2", input, other)
    return Atan2.apply(input, other)


arctan2 = atan2


@accepts("hypot", operands=2)
def hypot(input, other):
    require_tensors("hypot", input, other)
    return Hypot.apply(input, other)


@accepts("logaddexp", operands=2)
def logaddexp(input, other):
    require_tensors("logaddexp", input, other)
    return Logaddexp.apply(input, other)


def xlogy(input, other):
    return Xlogy.apply(input, other)


def heaviside(input, values):
    """The step function of ``input`` with ``values`` where ``input == 0`` (same dtype, broadcast).

    >>> import minitorch as torch
    >>> torch.heaviside(torch.tensor([-1.5, 0.0, 2.0]), torch.tensor(0.5))
    tensor([0.0000, 0.5000, 1.0000])
    """
    require_tensors("heaviside", input, values, names=("input", "values"))
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    return Heaviside.apply(input, values)


class Lerp(Function):
    """``input + weight * (end - input)``: d/dinput = 1 - weight, d/dend = weight,
    d/dweight = end - input. A number as weight: torch's LerpBackward0; a tensor: LerpBackward1."""

    @staticmethod
    def forward(ctx, input, end, weight):
        # as torch: input and end are read only by the weight's gradient (``x.lerp_(x, 0.5)`` is fine)
        weight_grad = ctx.needs_input_grad[2]
        ctx.save_for_backward(input if weight_grad else None, end if weight_grad else None,
                              weight if isinstance(weight, Tensor) else None)
        ctx.weight = weight
        return input + weight * (end - input)

    @staticmethod
    def backward(ctx, grad):
        input, end, weight = ctx.saved_tensors
        weight = ctx.weight if weight is None else weight
        grad_weight = grad * (end - input) if ctx.needs_input_grad[2] else None
        return grad * (1 - weight), grad * weight, grad_weight


class LerpTensor(Lerp):
    backward_name = "LerpBackward1"


def lerp(input, end, weight):
    """``input + weight * (end - input)`` (``weight`` a number or a tensor)."""
    if end.dtype is not input.dtype:
        raise RuntimeError(f"expected dtype {_C_TYPE_NAMES[input.dtype.name]} for `end` but got dtype "
                           f"{_C_TYPE_NAMES[end.dtype.name]}")
    check_kernel("lerp", input, end)
    return (LerpTensor if isinstance(weight, Tensor) else Lerp).apply(input, end, weight)


def round(input, *, decimals=0):
    return Round.apply(input, decimals)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    return NanToNum.apply(input, nan, posinf, neginf)


def clamp(input, min=None, max=None):
    """Limit values to ``[min, max]`` (either bound may be None or a tensor)."""
    tensor_bounds = isinstance(min, Tensor) or isinstance(max, Tensor)
    return (ClampTensor if tensor_bounds else Clamp).apply(input, min, max)


clip = clamp


def clamp_min(input, min):
    return (ClampMinTensor if isinstance(min, Tensor) else ClampMin).apply(input, min, None)


def clamp_max(input, max):
    return (ClampMaxTensor if isinstance(max, Tensor) else ClampMax).apply(input, None, max)


def clone(input, *, memory_format=None):
    """A copy with its own storage; stays in the graph (gradients flow back to ``input``).
    The copy keeps ``input``'s memory layout unless ``memory_format=torch.contiguous_format``."""
    from .creation import contiguous_format

    return Clone.apply(input, memory_format is contiguous_format)


def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False, memory_format=None):
    """Convert dtype and/or device: ``x.to(torch.float64)``, ``x.to("cuda")``, ``x.to("cpu", torch.double)``,
    ``x.to(other)``. Returns ``self`` when nothing changes (unless ``copy=True``)."""
    for arg in args:
        if isinstance(arg, Tensor):
            dtype, device = arg.dtype, arg.device
        elif isinstance(arg, _dtypes.dtype) or arg in (float, int, bool):
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


def nonzero(input, *, as_tuple=False):
    from .indexing import nonzero as _nonzero

    return _nonzero(input, as_tuple=as_tuple)



class Copysign(BinaryOp):
    """``|a|`` with the sign of ``b`` (integer inputs give floats). d/da = out / a (0 where a = 0),
    d/db = 0. A tensor ``b``: torch's CopysignBackward0; a number: CopysignBackward1."""

    uses = ("ao", "")

    @classmethod
    def result_dtype(cls, a, b):
        dtype = _dtypes.result_type(a, b)
        return dtype if dtype.is_floating_point else _dtypes.get_default_dtype()

    def compute(xp, xa, xb, dtype): return xp.copysign(xa, xb).astype(dtype.np, copy=False)
    def grad_a(a, b, out, grad): return grad * where(a == 0, 0.0, out / where(a == 0, 1.0, a))
    def grad_b(a, b, out, grad): return grad.new_zeros(grad.shape)


class CopysignScalar(Copysign):
    backward_name = "CopysignBackward1"


def copysign(input, other):
    """``|input|`` with the sign of ``other`` (a tensor or a number), elementwise.

    >>> import minitorch as torch
    >>> torch.copysign(torch.tensor([1., -2.]), -1)
    tensor([-1., -2.])
    """
    return (Copysign if isinstance(other, Tensor) else CopysignScalar).apply(input, other)


def signbit(input):
    """True where the sign bit is set (negative numbers and ``-0.``).

    >>> import minitorch as torch
    >>> torch.signbit(torch.tensor([-0., 1., -2.]))
    tensor([ True, False,  True])
    """
    xp, arr = input._backend.xp, input._array
    out = xp.signbit(arr) if arr.dtype.kind in "fi" else xp.zeros(arr.shape, dtype=bool)
    return wrap(out, input.device)


class Erfinv(UnaryOp):
    """The inverse of ``erf`` on (-1, 1) (+-inf at +-1, nan outside). numpy has none: a closed-form
    first guess (Winitzki's approximation) refined by Newton steps on ``erf(y) = x``, in float64.
    d/dx = sqrt(pi)/2 * exp(y**2)."""

    uses_output = True

    def compute(be, x):
        xp = be.xp
        inside = xp.abs(x) < 1
        v = xp.where(inside, x, 0).astype("float64")
        a = 0.147
        log_term = xp.log1p(-v * v)
        t = 2 / (math.pi * a) + log_term / 2
        y = xp.sign(v) * xp.sqrt(xp.sqrt(t * t - log_term / a) - t)
        for _ in range(3):
            y = y - (be.erf(y) - v) / (2 / math.sqrt(math.pi) * xp.exp(-y * y))
        edge = xp.where(xp.abs(x) == 1, xp.sign(x) * math.inf, math.nan)
        return xp.where(inside, y, edge).astype(x.dtype)

    def derivative(y): return (math.sqrt(math.pi) / 2) * (y * y).exp()


def erfinv(input):
    """Inverse error function: ``erf(erfinv(x)) == x`` for ``-1 < x < 1``."""
    return Erfinv.apply(input)


def _opmath_dtype(dtype):
    """The dtype torch's kernels compute ``dtype`` in: float32 for float16 (rounded once at the
    end, see ``opmath``), the dtype itself otherwise."""
    return _dtypes.float32 if dtype is _dtypes.float16 else dtype


class Addcmul(Function):
    """``input + value * tensor1 * tensor2`` (an optimizer's update step in one op)."""

    @staticmethod
    def forward(ctx, input, tensor1, tensor2, value):
        ctx.save_for_backward(tensor1, tensor2)
        dtype = _dtypes.result_type(input, tensor1, tensor2)
        if not dtype.is_floating_point:
            value = int(value)  # torch casts the value to the integer type (0.5 -> 0)
        ctx.value = value
        # in the promoted dtype from the start, as torch: float16 factors of a float32 input are
        # multiplied in float32, not rounded to float16 first
        if dtype is _dtypes.float32:
            # torch's kernel fuses the last multiply and the add (one rounding, an FMA): a product of
            # two float32 numbers is exact in float64, so the sum is taken there and rounded once
            scaled = value * tensor1.to(dtype)
            return (input.double() + scaled.double() * tensor2.double()).to(dtype)
        wide = _opmath_dtype(dtype)
        return (input.to(wide) + value * tensor1.to(wide) * tensor2.to(wide)).to(dtype)

    @staticmethod
    def backward(ctx, grad):
        t1, t2 = ctx.saved_tensors
        scaled = grad * ctx.value
        return grad, scaled * t2, scaled * t1, None


class Addcdiv(Function):
    """``input + value * tensor1 / tensor2`` (Adam's update step in one op)."""

    @staticmethod
    def forward(ctx, input, tensor1, tensor2, value):
        if not (tensor1.dtype.is_floating_point or tensor2.dtype.is_floating_point):
            raise RuntimeError(
                "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform "
                "a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + "
                "value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * "
                "tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: "
                "(input + value * tensor1 / tensor2), for all dtypes.")
        ctx.save_for_backward(tensor1, tensor2)
        ctx.value = value
        dtype = _dtypes.result_type(input, tensor1, tensor2)
        wide = _opmath_dtype(dtype)  # in the promoted dtype, as Addcmul
        return (input.to(wide) + value * tensor1.to(wide) / tensor2.to(wide)).to(dtype)

    @staticmethod
    def backward(ctx, grad):
        t1, t2 = ctx.saved_tensors
        scaled = grad * ctx.value / t2
        return grad, scaled, -scaled * t1 / t2, None


@accepts("addcmul", operands=3)
def addcmul(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 * tensor2``, elementwise (broadcast)."""
    return Addcmul.apply(input, tensor1, tensor2, value)


def addcdiv(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 / tensor2``, elementwise (broadcast)."""
    return Addcdiv.apply(input, tensor1, tensor2, value)

__all__ = [c.__name__.lower() for c in UNARY] + """negative absolute arcsin arccos arctan arcsinh arccosh arctanh
    sgn positive add sub subtract rsub mul multiply div divide true_divide floor_divide pow float_power square
    remainder fmod maximum minimum atan2 arctan2 hypot logaddexp xlogy heaviside lerp round nan_to_num clamp clip
    clamp_min clamp_max clone eq ne lt le gt ge greater greater_equal less less_equal not_equal logical_and
    logical_or logical_xor logical_not bitwise_and bitwise_or bitwise_xor bitwise_not
    bitwise_left_shift bitwise_right_shift isnan isinf isfinite
    allclose isclose equal where nonzero copysign signbit erfinv addcmul addcdiv""".split()
METHODS = [n for n in __all__ if n not in ("where",)] + ["to", "type_as"]
INPLACE = [c.__name__.lower() for c in UNARY] + """add sub mul div pow remainder fmod clamp clamp_min clamp_max
    square maximum minimum round nan_to_num atan2 hypot lerp xlogy float_power heaviside copysign erfinv addcmul
    addcdiv bitwise_left_shift bitwise_right_shift bitwise_and bitwise_or bitwise_xor bitwise_not logical_and
    logical_or logical_xor logical_not""".split()
