"""``LayerNorm``, ``GroupNorm`` and ``RMSNorm``."""

from __future__ import annotations

from ... import ops
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module


def _reset_affine(self):
    """The norm layers' ``reset_parameters``: weight 1, bias 0 (the identity transform)."""
    if self.weight is not None:
        init.ones_(self.weight)
    if self.bias is not None:
        init.zeros_(self.bias)


class LayerNorm(Module):
    """Normalise each sample over its last dims (``normalized_shape``), then scale and shift
    elementwise (``elementwise_affine``)."""

    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        factory = {"device": device, "dtype": dtype}
        self.weight = Parameter(ops.empty(self.normalized_shape, **factory)) if elementwise_affine else None
        self.bias = Parameter(ops.empty(self.normalized_shape, **factory)) if elementwise_affine and bias else None
        self.reset_parameters()

    reset_parameters = _reset_affine

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class GroupNorm(Module):
    """Normalise each sample's ``num_channels`` channels in ``num_groups`` groups, then scale and
    shift each channel (``affine``).

    >>> from minitorch import nn
    >>> nn.GroupNorm(2, 4)
    GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)
    """

    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        factory = {"device": device, "dtype": dtype}
        self.weight = Parameter(ops.empty(num_channels, **factory)) if affine else None
        self.bias = Parameter(ops.empty(num_channels, **factory)) if affine and bias else None
        self.reset_parameters()

    reset_parameters = _reset_affine

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, bias={self.bias is not None}"


class RMSNorm(Module):
    """Divide each sample by its root mean square over its last dims (``normalized_shape``), then
    scale elementwise (``elementwise_affine``). ``eps=None``: the machine epsilon (see ``F.rms_norm``).

    >>> from minitorch import nn
    >>> nn.RMSNorm([2, 3])
    RMSNorm((2, 3), eps=None, elementwise_affine=True)
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        factory = {"device": device, "dtype": dtype}
        self.weight = Parameter(ops.empty(self.normalized_shape, **factory)) if elementwise_affine else None
        self.reset_parameters()

    def reset_parameters(self):
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, input):
        return F.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
