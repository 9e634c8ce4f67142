"""Convolution and pooling kernels on NCHW arrays, written once against an array module ``xp``.

The CPU backend uses ``Kernels(numpy)``; the cuda backend subclasses it to call cuDNN and falls
back to these same im2col kernels on CuPy arrays where cuDNN cannot help.
"""

from __future__ import annotations


class Kernels:
    """Conv/pool kernels bound to one array module (``xp``)."""

    def __init__(self, xp):
        self.xp = xp
