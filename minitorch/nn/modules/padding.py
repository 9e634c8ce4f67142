"""Padding layers (``ZeroPad2d``, ``ReflectionPad1d``, ...): ``F.pad`` with a fixed padding and mode."""

from __future__ import annotations

from .. import functional as F
from .module import Module


class _PadNd(Module):
    """``F.pad(input, self.padding, self.mode)``. ``padding`` is ``(left, right)`` per padded dim,
    last dim first; an int pads every side by that much."""

    mode = "constant"
    sides = 2  # numbers in ``padding``: 2 per padded dim

    def __init__(self, padding):
        super().__init__()
        self.padding = (padding,) * self.sides if isinstance(padding, int) else tuple(padding)

    def forward(self, input):
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    """Pads with the number ``value``."""

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``."""


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``."""
    sides = 4


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros.

    >>> import minitorch as torch
    >>> torch.nn.ZeroPad1d(1)(torch.tensor([[1., 2.]]))
    tensor([[0., 1., 2., 0.]])
    """

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(ZeroPad1d):
    """Pad the last two dims with zeros (a border of zeros around images)."""
    sides = 4


class ReflectionPad1d(_PadNd):
    """Pad the last dim with its mirror image (the edge itself not repeated)."""
    mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    sides = 4


class ReplicationPad1d(_PadNd):
    """Pad the last dim by repeating its edge values."""
    mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    sides = 4


class CircularPad1d(_PadNd):
    """Pad the last dim by wrapping around (the other end's values)."""
    mode = "circular"


class CircularPad2d(CircularPad1d):
    sides = 4
