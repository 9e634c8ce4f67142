"""Pooling: ``F.max_pool2d``, ``F.avg_pool2d``, ``F.adaptive_avg_pool2d``.

Max and average pooling run in the backend kernels (a strided window view, then a max or a mean
over each window). Their backward passes are ``Function``s too, and differentiable: the gradient
of "send each gradient to the window's max" is "read the gradient at the window's max".
"""

from __future__ import annotations

from ...autograd.function import Function
from ...backends.conv import out_size
from ...ops._util import wrap
from .conv import _pair


class MaxPool2d(Function):
    """Max over each window; returns ``(values, indices)``, the indices into each ``H * W`` plane."""

    backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, ceil_mode):
        y, indices = x._backend.kernels.max_pool2d_forward(x._array, kernel, stride, padding, dilation, ceil_mode)
        y, indices = wrap(y, x.device), wrap(indices, x.device)
        ctx.save_for_backward(indices)
        ctx.x_shape = x.shape
        ctx.mark_non_differentiable(indices)
        return y, indices

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        (indices,) = ctx.saved_tensors
        return MaxPool2dGrad.apply(grad, indices, ctx.x_shape), None, None, None, None, None


class MaxPool2dGrad(Function):
    """Each window's gradient goes to the input pixel that was its max (summed where windows overlap)."""

    @staticmethod
    def forward(ctx, gy, indices, x_shape):
        ctx.save_for_backward(indices)
        return wrap(gy._backend.kernels.max_pool2d_backward(gy._array, indices._array, tuple(x_shape)), gy.device)

    @staticmethod
    def backward(ctx, ggx):
        (indices,) = ctx.saved_tensors
        return ggx.flatten(2).gather(2, indices.flatten(2)).view(indices.shape), None, None


class AvgPool2d(Function):
    """Mean over each window (see the kernel for which cells count)."""

    backward_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        ctx.args = (kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
        ctx.x_shape = x.shape
        return wrap(x._backend.kernels.avg_pool2d_forward(x._array, *ctx.args), x.device)

    @staticmethod
    def backward(ctx, grad):
        return (AvgPool2dGrad.apply(grad, ctx.x_shape, *ctx.args),) + (None,) * 6


class AvgPool2dGrad(Function):
    """Each pixel gets ``grad / count`` from every window that averaged it. Linear in ``grad``:
    its own gradient is the average pool again."""

    @staticmethod
    def forward(ctx, gy, x_shape, *args):
        ctx.args = args
        return wrap(gy._backend.kernels.avg_pool2d_backward(gy._array, tuple(x_shape), *args), gy.device)

    @staticmethod
    def backward(ctx, ggx):
        return (AvgPool2d.apply(ggx, *ctx.args), None) + (None,) * len(ctx.args)


def _pool_args(input, kernel_size, stride, padding, dilation, ceil_mode):
    """Normalise to pairs and check like torch: 3-D/4-D input, padding at most half the window,
    at least one output."""
    if input.dim() not in (3, 4):
        raise RuntimeError(f"non-empty 3D or 4D (batch mode) tensor expected for input, but got: {list(input.shape)}")
    kernel = _pair(kernel_size, "kernel_size")
    stride = kernel if stride is None or (isinstance(stride, (tuple, list)) and not stride) else _pair(stride, "stride")
    padding, dilation = _pair(padding, "padding"), _pair(dilation, "dilation")
    if min(stride) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {stride[0]} dW: {stride[1]}")
    for a in (0, 1):
        if padding[a] > (dilation[a] * (kernel[a] - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={padding[a]}, "
                               f"kernel_size={kernel[a]} and dilation={dilation[a]}")
    out_hw = [out_size(input.shape[-2 + a], kernel[a], stride[a], padding[a], dilation[a], ceil_mode) for a in (0, 1)]
    if min(out_hw) < 1:
        c, h, w = input.shape[-3:]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{out_hw[0]}x{out_hw[1]}). "
                           "Output size is too small")
    return kernel, stride, padding, dilation


def _batched(fn, input, *args):
    """Run a 4-D op on an unbatched ``(C, H, W)`` input too (torch accepts both)."""
    if input.dim() == 3:
        out = fn(input.unsqueeze(0), *args)
        return tuple(o.squeeze(0) for o in out) if isinstance(out, tuple) else out.squeeze(0)
    return fn(input, *args)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over ``kernel_size`` windows moved by ``stride`` (default: the kernel size).

    >>> import minitorch as torch
    >>> torch.nn.functional.max_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    kernel, stride, padding, dilation = _pool_args(input, kernel_size, stride, padding, dilation, ceil_mode)
    values, indices = _batched(MaxPool2d.apply, input, kernel, stride, padding, dilation, ceil_mode)
    return (values, indices) if return_indices else values


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """Mean over ``kernel_size`` windows moved by ``stride`` (default: the kernel size); zero
    padding counts in the mean when ``count_include_pad``."""
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    kernel, stride, padding, _ = _pool_args(input, kernel_size, stride, padding, 1, ceil_mode)
    return _batched(AvgPool2d.apply, input, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)


def _adaptive_matrix(in_size, out_size, like):
    """The ``(out_size, in_size)`` averaging matrix: row ``i`` averages the inputs from
    ``floor(i * in / out)`` to ``ceil((i + 1) * in / out)`` (torch's adaptive windows)."""
    xp = like._backend.xp
    i = xp.arange(out_size)[:, None]
    start, end = (i * in_size) // out_size, -(-((i + 1) * in_size) // out_size)
    cols = xp.arange(in_size)[None, :]
    inside = (cols >= start) & (cols < end)
    return wrap((inside / (end - start)).astype(like._array.dtype), like.device)


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed ``output_size`` whatever the input size (``None`` keeps a dim).

    Each output row averages a band of input rows, so the pool is two matrix products:
    ``P_h @ x @ P_w^T``.
    """
    if input.dim() not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    out_h, out_w = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    h, w = input.shape[-2:]
    out_h, out_w = h if out_h is None else out_h, w if out_w is None else out_w
    return _adaptive_matrix(h, out_h, input) @ input @ _adaptive_matrix(w, out_w, input).t()


__all__ = ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d"]
