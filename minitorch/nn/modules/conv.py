"""``Conv1d`` and ``Conv2d``: one ``_ConvNd`` for any number of spatial dims (1 or 2)."""

from __future__ import annotations

import math

from ... import ops
from .. import functional as F, init
from .._functional.conv import _same_padding
from ..parameter import Parameter
from .module import Module


class _ConvNd(Module):
    """A convolution with ``out_channels`` filters of shape ``(in_channels / groups, *kernel_size)``
    slid over the input's ``_dims`` spatial dims. ``padding`` may be an int, a tuple, ``'same'`` or
    ``'valid'``; ``padding_mode`` is ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``."""

    _dims = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and self._tuple(stride) != (1,) * self._dims:
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got "
                             f"padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = self._tuple(kernel_size), self._tuple(stride)
        self.dilation = self._tuple(dilation)
        self.padding = padding if isinstance(padding, str) else self._tuple(padding)
        self.groups, self.padding_mode = groups, padding_mode
        self.transposed, self.output_padding = False, (0,) * self._dims
        self.weight = Parameter(ops.empty(out_channels, in_channels // groups, *self.kernel_size, device=device,
                                          dtype=dtype))
        self.bias = Parameter(ops.empty(out_channels, device=device, dtype=dtype)) if bias else None
        self.reset_parameters()

    def _tuple(self, value):
        return tuple(value) if isinstance(value, (tuple, list)) else (value,) * self._dims

    def reset_parameters(self):
        # torch's default: kaiming_uniform_(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        conv = F.conv1d if self._dims == 1 else F.conv2d
        if self.padding_mode == "zeros":
            return conv(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        if self.padding == "same":
            before, after = _same_padding(self.weight, self.dilation)
        elif self.padding == "valid":
            before = after = (0,) * self._dims
        else:
            before = after = self.padding
        pads = [amount for b, a in zip(reversed(before), reversed(after)) for amount in (b, a)]  # last dim first
        padded = F.pad(input, pads, mode=self.padding_mode)
        return conv(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self):
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self._dims:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd):
    """1-D convolution over ``(N, C, L)`` inputs: ``out_channels`` filters of length ``kernel_size``.

    >>> from minitorch import nn
    >>> nn.Conv1d(3, 4, 5, stride=2, padding=1, bias=False)
    Conv1d(3, 4, kernel_size=(5,), stride=(2,), padding=(1,), bias=False)
    """

    _dims = 1


class Conv2d(_ConvNd):
    """2-D convolution: ``out_channels`` filters of shape ``(in_channels / groups, kh, kw)`` slid over
    the input.

    >>> from minitorch import nn
    >>> nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
    Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)
    """
