"""Activation functions (``F.relu``, ``F.gelu``, ``F.softmax``, ...).

Each elementwise activation is one ``Activation`` subclass: ``compute`` gives ``f(x)`` on backend
arrays (fast, and written to be numerically stable: no ``exp`` of a large positive number), and
``derivative`` gives ``f'(x)`` in tensor ops, so the backward pass ``grad * f'(x)`` can itself be
differentiated (gradients of gradients).
"""

from __future__ import annotations

import math
import warnings

from ... import ops
from ...autograd.function import Function
from ...ops._util import wrap, wrap_row_major
from ...ops.inplace import inplace
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
        dtype = x.dtype
        if not (dtype.is_floating_point or (op.takes_integers and dtype.name != "bool")):
            raise NotImplementedError(f'"{op.kernel}" not implemented for \'{dtype.legacy_name}\'')
        ctx.save_for_backward(x)
        ctx.params = params
        y = opmath(op.compute, x._backend, x._array, *params)
        return (wrap_row_major if op.row_major else wrap)(y.astype(x._array.dtype, copy=False), x.device)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return (gradient(ctx._forward_cls, grad, x, *ctx.params),) + (None,) * len(ctx.params)


class LeakyRelu(Activation):
    """``x`` for positive ``x``, ``negative_slope * x`` otherwise."""
    kernel = "leaky_relu_cpu"
    def compute(be, x, slope): return be.xp.where(x > 0, x, x * slope)
    def derivative(x, slope): return where(x > 0, 1.0, x.new_full((), slope))  # in x's dtype (float64 stays exact)


class Elu(Activation):
    """``scale * x`` for positive ``x``, ``scale * alpha * (exp(x * input_scale) - 1)`` otherwise
    (ELU, and with other constants SELU and CELU)."""
    kernel = "elu_cpu"
    def compute(be, x, alpha, scale, input_scale):
        negative = be.xp.minimum(x, 0)  # exp only of non-positive numbers: no overflow
        return be.xp.where(x > 0, scale * x, alpha * scale * be.xp.expm1(negative * input_scale))

    def derivative(x, alpha, scale, input_scale):
        negative_part = alpha * scale * input_scale * (x.clamp(max=0) * input_scale).exp()
        return where(x <= 0, negative_part, scale)  # NaN takes the linear side, as in torch


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
    def compute(be, x, lo, hi): return be.xp.clip(x, lo, hi)
    def derivative(x, lo, hi): return ~((x <= lo) | (x >= hi))  # written as torch's test: NaN passes the gradient


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


__all__ = """relu relu_ leaky_relu leaky_relu_ elu elu_ selu selu_ celu celu_ gelu silu mish hardtanh hardtanh_
    relu6 hardswish hardsigmoid hardshrink softshrink tanhshrink threshold threshold_ softplus logsigmoid softsign sigmoid tanh softmax softmin log_softmax""".split()
