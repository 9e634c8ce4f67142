"""Activation modules: each wraps the ``F.<name>`` function of the same name with its arguments."""

from __future__ import annotations

from ... import ops
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module


class _InplaceActivation(Module):
    """An activation with only the ``inplace`` flag."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return self._function(input, inplace=self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class ReLU(_InplaceActivation):
    """``max(x, 0)``.

    >>> import minitorch as torch
    >>> torch.nn.ReLU()(torch.tensor([-1., 2.]))
    tensor([0., 2.])
    """
    _function = staticmethod(F.relu)


class ReLU6(_InplaceActivation):
    """``min(max(x, 0), 6)``."""
    _function = staticmethod(F.relu6)


class SELU(_InplaceActivation):
    """Scaled ELU with the self-normalising constants."""
    _function = staticmethod(F.selu)


class SiLU(_InplaceActivation):
    """``x * sigmoid(x)`` (swish)."""
    _function = staticmethod(F.silu)


class Mish(_InplaceActivation):
    """``x * tanh(softplus(x))``."""
    _function = staticmethod(F.mish)


class _UnlabelledInplace(_InplaceActivation):
    """An activation whose repr torch prints without ``inplace``, whatever its value."""

    def extra_repr(self):
        return ""


class Hardswish(_UnlabelledInplace):
    """``x * relu6(x + 3) / 6``."""
    _function = staticmethod(F.hardswish)


class Hardsigmoid(_UnlabelledInplace):
    """``relu6(x + 3) / 6``."""
    _function = staticmethod(F.hardsigmoid)


class _Shrink(Module):
    """``Hardshrink`` / ``Softshrink``: a function of ``x`` and the threshold ``lambd``."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return self._function(input, self.lambd)

    def extra_repr(self):
        return f"{self.lambd}"


class Hardshrink(_Shrink):
    """``x`` where ``|x| > lambd``, else 0."""
    _function = staticmethod(F.hardshrink)


class Softshrink(_Shrink):
    """``x`` moved ``lambd`` towards 0 (0 where ``|x| <= lambd``)."""
    _function = staticmethod(F.softshrink)


class LeakyReLU(Module):
    """``x`` for positive ``x``, ``negative_slope * x`` otherwise."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class PReLU(Module):
    """``x`` where positive, ``weight * x`` elsewhere, the slopes learned: one shared by all channels
    (``num_parameters=1``) or one per channel (dim 1 of the input), each starting at ``init``.

    >>> from minitorch import nn
    >>> nn.PReLU(3)
    PReLU(num_parameters=3)
    """

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(ops.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.constant_(self.weight, self.init)  # the nn.init module (self.init is the starting slope)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """Randomized leaky ReLU: in training a random slope from ``[lower, upper]`` for each negative
    element, in evaluation (``.eval()``) their mean."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")


class GLU(Module):
    """Gated linear unit: ``a * sigmoid(b)`` of the two halves ``a``, ``b`` of the input along ``dim``."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class ELU(Module):
    """``x`` for positive ``x``, ``alpha * (exp(x) - 1)`` otherwise."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class CELU(ELU):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""

    def forward(self, input):
        return F.celu(input, self.alpha, self.inplace)


class GELU(Module):
    """``x * Phi(x)`` (``approximate='none'``, with ``erf``) or its tanh approximation."""

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """``log(1 + exp(beta * x)) / beta``."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class Hardtanh(Module):
    """``x`` clipped to ``[min_val, max_val]``."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
        super().__init__()
        self.min_val = min_value if min_value is not None else min_val
        self.max_val = max_value if max_value is not None else max_val
        self.inplace = inplace
        if self.max_val <= self.min_val:
            raise AssertionError("max_val must be greater than min_val")

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}" + (", inplace=True" if self.inplace else "")


class Threshold(Module):
    """``x`` where ``x > threshold``, else ``value``."""

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}" + (", inplace=True" if self.inplace else "")


class _Elementwise(Module):
    """An activation without arguments."""

    def forward(self, input):
        return self._function(input)


class Sigmoid(_Elementwise):
    """``1 / (1 + exp(-x))``."""
    _function = staticmethod(F.sigmoid)


class Tanh(_Elementwise):
    _function = staticmethod(F.tanh)


class Softsign(_Elementwise):
    """``x / (1 + |x|)``."""
    _function = staticmethod(F.softsign)


class Tanhshrink(_Elementwise):
    """``x - tanh(x)``."""
    _function = staticmethod(F.tanhshrink)


class LogSigmoid(_Elementwise):
    """``log(sigmoid(x))``, computed stably."""
    _function = staticmethod(F.logsigmoid)


class _AlongDim(Module):
    """``Softmax``-like modules: a function along ``dim``."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return self._function(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """Probabilities along ``dim``: ``exp(x) / sum(exp(x))``."""
    _function = staticmethod(F.softmax)


class Softmin(_AlongDim):
    _function = staticmethod(F.softmin)


class LogSoftmax(_AlongDim):
    """``log(softmax(x))`` along ``dim``, computed stably."""
    _function = staticmethod(F.log_softmax)


class Softmax2d(Module):
    """Softmax over the channels (dim -3) of each pixel of ``(N, C, H, W)`` or ``(C, H, W)`` inputs."""

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead")
        return F.softmax(input, -3, _stacklevel=5)
