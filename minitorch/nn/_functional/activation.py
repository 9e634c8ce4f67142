"""Activation functions (``F.relu``, ``F.gelu``, ``F.softmax``, ...).

Each elementwise activation is one ``Activation`` subclass: ``compute`` gives ``f(x)`` on backend
arrays (fast, and written to be numerically stable: no ``exp`` of a large positive number), and
``derivative`` gives ``f'(x)`` in tensor ops, so the backward pass ``grad * f'(x)`` can itself be
differentiated (gradients of gradients). ``prelu`` (a learned slope), ``glu`` (a gate) and
``rrelu`` (random slopes) are ``Function``s of their own.
"""

from __future__ import annotations

import math
import warnings

from ... import _strides, ops
from ..._dtypes import float16, float64
from ..._tensor import Tensor
from ...autograd.function import Function
from ...ops._util import check_devices, require_tensors, wrap, wrap_row_major
from ...ops.inplace import check_not_a_leaf, inplace
from ...ops.pointwise import Sigmoid, gradient, opmath, where


class Activation(Function):
    """``y = f(x; params)`` elementwise: d loss / d x = grad * f'(x).

    ``kernel`` and ``takes_integers`` say which dtypes torch's CPU kernel for it exists for (most
    only for floating dtypes) and name it in the error for the others, as torch's error does:
    ``F.gelu(torch.tensor([1]))`` raises ``"GeluKernelImpl" not implemented for 'Long'``.
    """

    kernel = None
    takes_integers = False  # True: integer dtypes too (never bool)
    fused_backward = None  # grad * f'(x) on arrays, one expression (see ``ops.pointwise.gradient``)
    mask_derivative = False
    row_major = False  # True: torch's kernel gives a row-major result whatever the input's layout

    @staticmethod
    def forward(ctx, x, *params):
        op = ctx._forward_cls
        _check_dtype(op.kernel, x.dtype, op.takes_integers)
        ctx.save_for_backward(x)
        ctx.params = params
        y = opmath(op.compute, x._backend, x._array, *params).astype(x._array.dtype, copy=False)
        # torch's layout: row-major for some kernels, else the input's (as every elementwise op)
        return wrap_row_major(y, x.device) if op.row_major else wrap(y, x.device, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return (gradient(ctx._forward_cls, grad, x, *ctx.params),) + (None,) * len(ctx.params)


def _check_dtype(kernel, dtype, takes_integers=False):
    """torch's error for a dtype that its CPU kernel ``kernel`` has no version for."""
    if not (dtype.is_floating_point or (takes_integers and dtype.name != "bool")):
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dtype.legacy_name}\'')


class LeakyRelu(Activation):
    """``x`` for positive ``x``, ``negative_slope * x`` otherwise."""
    kernel = "leaky_relu_cpu"
    def compute(be, x, slope): return be.select(x > 0, x, x * slope)
    def derivative(x, slope): return where(x > 0, 1.0, x.new_full((), slope))  # in x's dtype (float64 stays exact)
    def fused_backward(be, grad, x, slope): return be.select(x > 0, grad, grad * slope)


class Elu(Activation):
    """``scale * x`` for positive ``x``, ``scale * alpha * (exp(x * input_scale) - 1)`` otherwise
    (ELU, and with other constants SELU and CELU)."""
    kernel = "elu_cpu"
    def compute(be, x, alpha, scale, input_scale):
        negative = be.xp.minimum(x, 0)  # exp only of non-positive numbers: no overflow
        return be.select(x > 0, scale * x, alpha * scale * be.xp.expm1(negative * input_scale))

    def derivative(x, alpha, scale, input_scale):
        negative_part = alpha * scale * input_scale * (x.clamp(max=0) * input_scale).exp()
        return where(x <= 0, negative_part, scale)  # NaN takes the linear side, as in torch

    def fused_backward(be, grad, x, alpha, scale, input_scale):  # derivative's arithmetic, times grad
        negative_part = alpha * scale * input_scale * be.xp.exp(be.xp.minimum(x, 0) * input_scale)
        return be.select(x <= 0, grad * negative_part, grad * scale)


class Celu(Elu):
    """ELU with ``input_scale = 1 / alpha`` (continuously differentiable at 0)."""


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


class Gelu(Activation):
    """``x * Phi(x)`` with ``Phi`` the standard normal CDF (``approximate='none'``), or the tanh
    approximation ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""
    kernel = "GeluKernelImpl"
    def compute(be, x, approximate):
        if approximate == "tanh":
            return 0.5 * x * (1 + be.xp.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))
        return 0.5 * x * (1 + be.erf(x / math.sqrt(2)))

    def derivative(x, approximate):
        if approximate == "tanh":
            t = (_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)).tanh()
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
        cdf = 0.5 * (1 + (x / math.sqrt(2)).erf())
        pdf = (-0.5 * x * x).exp() / math.sqrt(2 * math.pi)
        return cdf + x * pdf

    def fused_backward(be, grad, x, approximate):  # derivative's arithmetic on arrays, times grad
        xp = be.xp
        if approximate == "tanh":
            t = xp.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * xp.power(x, 3)))
            return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x))
        cdf = 0.5 * (1 + be.erf(x / math.sqrt(2)))
        pdf = xp.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return grad * (cdf + x * pdf)


class Silu(Activation):
    """``x * sigmoid(x)`` (swish)."""
    kernel = "silu_cpu"
    def compute(be, x): return x * Sigmoid.compute(be, x)
    def derivative(x):
        s = x.sigmoid()
        return s * (1 + x * (1 - s))

    def fused_backward(be, grad, x):  # derivative's arithmetic on arrays, times grad
        s = Sigmoid.compute(be, x)
        return grad * (s * (1 + x * (1 - s)))


class Softplus(Activation):
    """``log(1 + exp(beta * x)) / beta``, and ``x`` itself where ``beta * x > threshold``."""
    kernel = "softplus_cpu"
    def compute(be, x, beta, threshold):
        return be.xp.where(x * beta > threshold, x, be.xp.logaddexp(0, x * beta) / beta)

    def derivative(x, beta, threshold):
        return where(x * beta > threshold, 1.0, (x * beta).sigmoid())


class Mish(Activation):
    """``x * tanh(softplus(x))``."""
    kernel = "mish_cpu"
    def compute(be, x): return x * be.xp.tanh(be.xp.logaddexp(0, x))
    def derivative(x):
        t = Softplus.apply(x, 1.0, 20.0).tanh()
        return t + x * x.sigmoid() * (1 - t * t)


class Hardtanh(Activation):
    """``x`` clipped to ``[min_val, max_val]``."""
    kernel = "hardtanh"
    takes_integers = True
    mask_derivative = True
    def compute(be, x, lo, hi): return be.xp.clip(x, lo, hi)
    def derivative(x, lo, hi): return ~((x <= lo) | (x >= hi))  # written as torch's test: NaN passes the gradient
    def fused_backward(be, grad, x, lo, hi): return be.zero_where((x <= lo) | (x >= hi), grad)


class Hardswish(Activation):
    """``x * relu6(x + 3) / 6``: 0 up to -3, ``x`` from 3 on, a parabola between (MobileNetV3)."""
    kernel = "hardswish_cpu"
    def compute(be, x): return x * be.xp.clip(x + 3, 0, 6) / 6
    def derivative(x): return where(x <= -3, 0.0, where(x < 3, x / 3 + 0.5, 1.0))  # torch's one-sided ends


class Hardsigmoid(Activation):
    """``relu6(x + 3) / 6``: 0 up to -3, 1 from 3 on, a line between."""
    kernel = "hardsigmoid_cpu"
    def compute(be, x): return be.xp.clip(x + 3, 0, 6) / 6
    def derivative(x): return where((x > -3) & (x < 3), 1 / 6, 0.0)


class Hardshrink(Activation):
    """``x`` where ``|x| > lambd``, else 0."""
    kernel = "hardshrink_cpu"
    def compute(be, x, lambd): return be.xp.where((x >= -lambd) & (x <= lambd), 0, x)
    def derivative(x, lambd): return ~((x >= -lambd) & (x <= lambd))  # NaN passes the gradient, as in torch


class Softshrink(Activation):
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, 0 between (``x * 0``, so -0.0
    for negative ``x``, as torch prints)."""
    kernel = "softshrink_check"
    def compute(be, x, lambd): return be.xp.where(x > lambd, x - lambd, be.xp.where(x < -lambd, x + lambd, x * 0))
    def derivative(x, lambd): return ~((x >= -lambd) & (x <= lambd))  # NaN passes the gradient, as in torch


class Threshold(Activation):
    """``x`` where ``x > threshold``, else ``value``."""
    kernel = "threshold_cpu"
    takes_integers = True
    # written as torch's test, ``x <= threshold``: a NaN stays NaN and passes its gradient
    def compute(be, x, threshold, value): return be.xp.where(x <= threshold, value, x)
    def derivative(x, threshold, value): return ~(x <= threshold)


class LogSigmoid(Activation):
    """``log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|))``: finite for ``x = -1000``."""
    kernel, row_major = "log_sigmoid_cpu", True  # torch's log_sigmoid_forward allocates its output
    def compute(be, x): return be.xp.minimum(x, 0) - be.xp.log1p(be.xp.exp(-be.xp.abs(x)))
    def derivative(x): return (-x).sigmoid()


# ---- activations with a learned slope, a gate, random slopes -----------------------------------------

class PreluKernel(Function):
    """``x`` where positive, ``weight * x`` elsewhere; ``weight`` (one slope per channel, reshaped by
    ``prelu`` to broadcast along dim 1) is learned, so it gets a gradient too."""

    @staticmethod
    def forward(ctx, x, weight):
        check_devices(x, weight)
        _check_dtype("prelu_cpu", x.dtype)
        ctx.save_for_backward(x, weight)
        y = opmath(lambda be, x, w: be.select(x > 0, x, w * x), x._backend, x._array, weight._array)
        return wrap(y, x.device, x, weight)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        positive = x > 0
        # d/dx: 1 or weight; d/dweight: 0 or x. The weight's gradient has x's shape here: the engine
        # sums it over the broadcast dims (every dim but the channel one)
        return where(positive, grad, weight * grad), where(positive, 0.0, x * grad)


class Glu(Function):
    """Gated linear unit: ``a * sigmoid(b)``, ``a`` and ``b`` the two halves of ``x`` along ``dim``."""

    @staticmethod
    def forward(ctx, x, dim):
        _check_dtype("glu_cpu", x.dtype)
        ctx.save_for_backward(x)
        ctx.dim = dim
        be = x._backend
        a, b = be.xp.split(x._array, 2, axis=dim)  # views: no copy
        return wrap(opmath(lambda be, a, b: a * Sigmoid.compute(be, b), be, a, b), x.device, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        half = x.shape[ctx.dim] // 2
        a, b = x.narrow(ctx.dim, 0, half), x.narrow(ctx.dim, half, half)
        s = b.sigmoid()
        if x.dtype is float16:  # torch's kernel: sigmoid rounded to float16, the rest in float32
            s, a, grad = s.float(), a.float(), grad.float()
        # d/da = sigmoid(b); d/db = a * sigmoid'(b) = (1 - s) * s * a (torch's order of products)
        return ops.cat([s * grad, (1 - s) * s * a * grad], ctx.dim).to(x.dtype), None


class RreluWithNoise(Function):
    """Randomized leaky ReLU: ``x`` where positive, ``slope * x`` elsewhere. Training: each element
    ``x <= 0`` gets its own slope drawn from ``U(lower, upper)`` (the "noise", 1 elsewhere, kept for
    backward: d/dx = noise); evaluation: the mean slope ``(lower + upper) / 2``, leaky ReLU's.

    The slopes are torch's: its CPU kernel walks ``x`` in row-major order and, for each ``x <= 0``
    (not NaN), turns one float64 uniform of the generator into ``lower + u * (upper - lower)``,
    the bounds first rounded to the dtype it computes in (float32 for float32). So the same
    ``manual_seed`` gives the same slopes and leaves the generator in the same state."""

    in_place = False  # torch's in-place rrelu_ differentiates through its result (see the subclass)

    @staticmethod
    def forward(ctx, x, lower, upper, training, generator):
        if lower > upper:
            raise RuntimeError("Lower bound should be less than or equal to the upper bound")
        ctx.training, ctx.slope = training, (lower + upper) / 2
        be = x._backend
        if not training:
            _check_dtype("leaky_relu_cpu", x.dtype)
            ctx.save_for_backward(x)
            y = opmath(LeakyRelu.compute, be, x._array, ctx.slope)
            return wrap_row_major(y.astype(x._array.dtype, copy=False), x.device)  # torch allocates it row-major
        if not x.dtype.is_floating_point or (x.dtype is float16 and x.device.type == "cpu"):  # no CPU float16 kernel
            raise NotImplementedError(f'"rrelu_with_noise_out_cpu" not implemented for \'{x.dtype.legacy_name}\'')
        negative = x._array <= 0
        u = ops.rand(int(negative.sum()), generator=generator, dtype=float64, device=x.device)._array
        dtype = x._array.dtype
        lo, hi = (float(dtype.type(bound)) for bound in (lower, upper))
        noise = be.xp.ones(x.shape, dtype=dtype)
        be.xp.place(noise, negative, (u * (hi - lo) + lo).astype(dtype))  # in row-major order, as torch draws them
        noise = wrap_row_major(noise, x.device)
        ctx.save_for_backward(noise)
        return wrap_row_major(x._array * noise._array, x.device)

    @staticmethod
    def backward(ctx, grad):
        (saved,) = ctx.saved_tensors
        if ctx.training:
            return saved * grad, None, None, None, None
        if ctx._forward_cls.in_place and ctx.slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. "
                "This is caused by calling in-place forward function with a negative slope, please call out-of-place "
                "version instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting "
                "in-place leakRelu backward calculation with negative slope")
        return gradient(LeakyRelu, grad, saved, ctx.slope), None, None, None, None


class RreluWithNoiseInPlace(RreluWithNoise):
    """``rrelu_``: the same values. torch's backward reads the result instead of the input, which
    cannot tell the input's sign back with a negative slope: it refuses that case."""
    backward_name = "RreluWithNoiseBackward1"
    in_place = True


# ---- the functions ------------------------------------------------------------------------------------

def _inplace(op, input, *params):
    """Compute ``op`` and write the result into ``input`` (``inplace=True``, the ``relu_`` forms)."""
    return inplace(op.apply)(input, *params)


def relu(input, inplace=False):
    """``max(input, 0)`` elementwise (``minitorch.relu``, an op of the tensor library)."""
    if input.dtype.name == "bool":  # integers are fine, bool is not (torch's own check)
        raise RuntimeError("Boolean inputs not supported for relu")
    return input.relu_() if inplace else ops.relu(input)


def relu_(input):
    return relu(input, inplace=True)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """``input`` where positive, ``negative_slope * input`` elsewhere."""
    return _inplace(LeakyRelu, input, negative_slope) if inplace else LeakyRelu.apply(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return _inplace(LeakyRelu, input, negative_slope)


def prelu(input, weight):
    """``input`` where positive, ``weight * input`` elsewhere, with a learned ``weight``: one slope
    for all elements, or one per channel (dim 1 of ``input``), as ``nn.PReLU`` keeps it.

    >>> import minitorch as torch
    >>> torch.nn.functional.prelu(torch.tensor([[-2., 1.], [-4., 3.]]), torch.tensor([0.5, 0.25]))
    tensor([[-1.,  1.],
            [-2.,  3.]])
    """
    require_tensors("prelu", input, weight, names=("input", "weight"))
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {input.dtype.legacy_name} and "
                           f"{weight.dtype.legacy_name}")
    if weight.numel() != 1:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() > 1 else 1
        if weight.numel() != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{weight.numel()} and channel size = {channels}.")
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.dim()}")
    if weight.dim() != input.dim():  # (C,) -> (1, C, 1, ..., 1): one slope per channel, broadcast over the rest
        shape = [1] * input.dim()
        if input.dim() > 1:
            shape[1] = weight.numel()
        weight = weight.reshape(shape)
    return PreluKernel.apply(input, weight)


def glu(input, dim=-1):
    """Gated linear unit: ``a * sigmoid(b)``, where ``a`` and ``b`` are the first and second halves
    of ``input`` along ``dim`` (so ``b`` decides how much of ``a`` passes).

    >>> import minitorch as torch
    >>> torch.nn.functional.glu(torch.tensor([3., 5., 0., 100.]))
    tensor([1.5000, 5.0000])
    """
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = _strides.normalize_dim(dim, input.dim())
    if input.shape[dim] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {input.shape[dim]}")
    return Glu.apply(input, dim)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: ``input`` where positive, ``slope * input`` elsewhere. In training
    every element gets its own slope, drawn uniformly from ``[lower, upper]`` (a regulariser, like
    dropout); otherwise the slope is their mean, ``(lower + upper) / 2``.

    >>> import minitorch as torch
    >>> torch.nn.functional.rrelu(torch.tensor([-3., 2.]), lower=0.1, upper=0.3)
    tensor([-0.6000,  2.0000])
    """
    return rrelu_(input, lower, upper, training) if inplace else RreluWithNoise.apply(input, lower, upper, training, None)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    """``rrelu`` written into ``input`` (also ``torch.rrelu_``); the slopes come from ``generator``
    (default: the global one, which ``manual_seed`` seeds)."""
    check_not_a_leaf(input)  # before any slope is drawn: a refused call leaves the generator as it was, as in torch
    return _inplace(RreluWithNoiseInPlace, input, lower, upper, training, generator)


def elu(input, alpha=1.0, inplace=False):
    """``input`` where positive, ``alpha * (exp(input) - 1)`` elsewhere."""
    return _inplace(Elu, input, alpha, 1.0, 1.0) if inplace else Elu.apply(input, alpha, 1.0, 1.0)


def elu_(input, alpha=1.0):
    return _inplace(Elu, input, alpha, 1.0, 1.0)


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def selu(input, inplace=False):
    """``scale * elu(input, alpha)`` with the self-normalising constants."""
    params = (_SELU_ALPHA, _SELU_SCALE, 1.0)
    return _inplace(Elu, input, *params) if inplace else Elu.apply(input, *params)


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    params = (alpha, 1.0, 1.0 / alpha)
    return _inplace(Celu, input, *params) if inplace else Celu.apply(input, *params)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def silu(input, inplace=False):
    """``input * sigmoid(input)`` (swish)."""
    return _inplace(Silu, input) if inplace else Silu.apply(input)


def mish(input, inplace=False):
    """``input * tanh(softplus(input))``."""
    return _inplace(Mish, input) if inplace else Mish.apply(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """``input`` clipped to ``[min_val, max_val]``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input.dtype.name == "bool":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if input.dtype.name == "uint8" and min_val < 0:
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    return _inplace(Hardtanh, input, min_val, max_val) if inplace else Hardtanh.apply(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """``min(max(input, 0), 6)``."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardswish(input, inplace=False):
    """``x * relu6(x + 3) / 6``.

    >>> import minitorch as torch
    >>> torch.nn.functional.hardswish(torch.tensor([-4., 0., 1., 4.]))
    tensor([-0.0000, 0.0000, 0.6667, 4.0000])
    """
    return _inplace(Hardswish, input) if inplace else Hardswish.apply(input)


def hardsigmoid(input, inplace=False):
    """``relu6(input + 3) / 6``: a piecewise-linear sigmoid (MobileNetV3).

    >>> import minitorch as torch
    >>> torch.nn.functional.hardsigmoid(torch.tensor([-4., 0., 1.5, 4.]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return _inplace(Hardsigmoid, input) if inplace else Hardsigmoid.apply(input)


def hardshrink(input, lambd=0.5):
    """``input`` where ``|input| > lambd``, else 0."""
    return Hardshrink.apply(input, lambd)


def softshrink(input, lambd=0.5):
    """``input`` moved ``lambd`` towards 0, and 0 where ``|input| <= lambd`` (soft thresholding)."""
    if input.dtype.is_floating_point and lambd < 0:  # torch names the largest lambda the dtype can hold
        largest = float(input._backend.xp.finfo(input.dtype.np).max)
        raise RuntimeError(f"lambda must be in range [0, {largest:g}] for input dtype {input.dtype.legacy_name}, "
                           f"but found {lambd:g}")
    return Softshrink.apply(input, lambd)


def tanhshrink(input):
    """``input - tanh(input)``."""
    return input - input.tanh()


def threshold(input, threshold, value, inplace=False):
    """``input`` where ``input > threshold``, else ``value``."""
    return _inplace(Threshold, input, threshold, value) if inplace else Threshold.apply(input, threshold, value)


def threshold_(input, threshold, value):
    return _inplace(Threshold, input, threshold, value)


def gelu(input, approximate="none"):
    """``input * Phi(input)`` (``Phi``: the standard normal CDF), or its tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate)


def softplus(input, beta=1.0, threshold=20.0):
    """``log(1 + exp(beta * input)) / beta`` (linear above ``threshold`` for stability)."""
    return Softplus.apply(input, beta, threshold)


def logsigmoid(input):
    """``log(sigmoid(input))``, computed stably."""
    return LogSigmoid.apply(input)


def softsign(input):
    """``input / (1 + |input|)``."""
    return input / (input.abs() + 1)


def sigmoid(input):
    """``1 / (1 + exp(-input))``."""
    return input.sigmoid()


def tanh(input):
    return input.tanh()


def _softmax_dim(name, ndim, stacklevel):
    """The dim old code meant when it left ``dim`` out (deprecated, as torch warns)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``exp(x) / sum(exp(x))`` along ``dim``: probabilities that sum to 1."""
    dim = _softmax_dim("softmax", input.dim(), _stacklevel) if dim is None else dim
    return ops.softmax(input, dim, dtype=dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """``softmax(-input)``."""
    dim = _softmax_dim("softmin", input.dim(), _stacklevel) if dim is None else dim
    return ops.softmax(-input, dim, dtype=dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``log(softmax(x))`` computed stably as ``x - logsumexp(x)``."""
    dim = _softmax_dim("log_softmax", input.dim(), _stacklevel) if dim is None else dim
    return ops.log_softmax(input, dim, dtype=dtype)


__all__ = """relu relu_ leaky_relu leaky_relu_ prelu glu rrelu rrelu_ elu elu_ selu selu_ celu celu_ gelu silu mish hardtanh hardtanh_
    relu6 hardswish hardsigmoid hardshrink softshrink tanhshrink threshold threshold_ softplus logsigmoid softsign sigmoid tanh softmax softmin log_softmax""".split()

# torch's Tensor has these two as methods too (the ops package, which attaches the others, cannot
# import nn)
Tensor.prelu, Tensor.hardshrink = prelu, hardshrink
