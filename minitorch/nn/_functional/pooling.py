"""Pooling: ``F.max_pool2d``, ``F.avg_pool2d``, ``F.adaptive_avg_pool2d``, ``F.adaptive_max_pool2d``
and their 1-D forms.

Max and average pooling run in the backend kernels (a strided window view, then a max or a mean
over each window). Their backward passes are ``Function``s too, and differentiable: the gradient
of "send each gradient to the window's max" is "read the gradient at the window's max".
"""

from __future__ import annotations

from ...autograd.function import Function
from ...backends.conv import out_size
from ...ops._util import wrap
from .conv import _ntuple, _pair


def _kernel(fn, x, *args, empty_shape=None):
    """Call a 4-D pooling kernel on ``x``'s array, also for the input shapes the kernels do not
    handle: an unbatched ``(C, H, W)`` input gets a batch dim of 1 for the call, and an empty
    batch returns ``empty_shape`` zeros without calling (the kernels' reshapes cannot infer a size
    from 0 elements). Doing this inside the Functions keeps torch's node names for 3-D input."""
    array = x._array
    if array.shape[0] == 0:
        return x._backend.xp.zeros(empty_shape, dtype=array.dtype)
    if array.ndim == 4:
        return fn(array, *args)
    out = fn(array[None], *args)
    return tuple(o[0] for o in out) if isinstance(out, tuple) else out[0]


def _pooled_shape(shape, kernel, stride, padding, dilation, ceil_mode):
    """``(..., C, OH, OW)``: the output shape of pooling an input of ``shape``."""
    return tuple(shape[:-2]) + tuple(out_size(shape[-2 + a], kernel[a], stride[a], padding[a], dilation[a], ceil_mode)
                                     for a in (0, 1))


def _check_input_unchanged(ctx):
    """torch's pooling backward kernels take the input, so torch saves it: an in-place change of the
    input before backward is its "modified by an inplace operation" error, also where (avg pools,
    max pools' indices) the gradient never reads it. Unpacking the saved input checks its version."""
    ctx.saved_tensors


class MaxPool2d(Function):
    """Max over each window; returns ``(values, indices)``, the indices into each ``H * W`` plane."""

    backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, ceil_mode):
        if x.shape[0] == 0:  # an empty batch: empty values and indices
            xp, shape = x._backend.xp, _pooled_shape(x.shape, kernel, stride, padding, dilation, ceil_mode)
            y, indices = xp.zeros(shape, dtype=x._array.dtype), xp.zeros(shape, dtype=xp.int64)
        else:
            y, indices = _kernel(x._backend.kernels.max_pool2d_forward, x, kernel, stride, padding, dilation, ceil_mode)
        y, indices = wrap(y, x.device), wrap(indices, x.device)
        ctx.save_for_backward(indices, x)  # x: see _check_input_unchanged
        ctx.x_shape = x.shape
        ctx.mark_non_differentiable(indices)
        return y, indices

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        indices, _ = ctx.saved_tensors
        return MaxPool2dGrad.apply(grad, indices, ctx.x_shape), None, None, None, None, None


class MaxPool2dGrad(Function):
    """Each window's gradient goes to the input pixel that was its max (summed where windows overlap)."""

    @staticmethod
    def forward(ctx, gy, indices, x_shape):
        ctx.save_for_backward(indices)
        x_shape4 = tuple(x_shape) if len(x_shape) == 4 else (1,) + tuple(x_shape)
        gx = _kernel(lambda g, i: gy._backend.kernels.max_pool2d_backward(g, i, x_shape4),
                     gy, indices._array if gy.dim() == 4 else indices._array[None], empty_shape=tuple(x_shape))
        return wrap(gx, gy.device)

    @staticmethod
    def backward(ctx, ggx):
        (indices,) = ctx.saved_tensors
        return ggx.flatten(-2).gather(-1, indices.flatten(-2)).view(indices.shape), None, None


class AvgPool2d(Function):
    """Mean over each window (see the kernel for which cells count)."""

    backward_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        ctx.args = (kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
        ctx.x_shape = x.shape
        ctx.save_for_backward(x)  # see _check_input_unchanged
        empty_shape = _pooled_shape(x.shape, kernel, stride, padding, (1, 1), ceil_mode)
        return wrap(_kernel(x._backend.kernels.avg_pool2d_forward, x, *ctx.args, empty_shape=empty_shape), x.device)

    @staticmethod
    def backward(ctx, grad):
        _check_input_unchanged(ctx)
        return (AvgPool2dGrad.apply(grad, ctx.x_shape, *ctx.args),) + (None,) * 6


class AvgPool2dGrad(Function):
    """Each pixel gets ``grad / count`` from every window that averaged it. Linear in ``grad``:
    its own gradient is the average pool again."""

    @staticmethod
    def forward(ctx, gy, x_shape, *args):
        ctx.args = args
        x_shape4 = tuple(x_shape) if len(x_shape) == 4 else (1,) + tuple(x_shape)
        gx = _kernel(lambda g: gy._backend.kernels.avg_pool2d_backward(g, x_shape4, *args), gy,
                     empty_shape=tuple(x_shape))
        return wrap(gx, gy.device)

    @staticmethod
    def backward(ctx, ggx):
        return (AvgPool2d.apply(ggx, *ctx.args), None) + (None,) * len(ctx.args)


def _pool_args(input, kernel_size, stride, padding, dilation, ceil_mode):
    """Normalise to pairs and check like torch: 3-D/4-D input (only the batch may be empty),
    padding at most half the window, at least one output."""
    if input.dim() not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if 0 in input.shape[-3:]:
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{list(input.shape)}")
    kernel = _pair(kernel_size, "kernel_size")
    stride = kernel if stride is None or (isinstance(stride, (tuple, list)) and not stride) else _pair(stride, "stride")
    padding, dilation = _pair(padding, "padding"), _pair(dilation, "dilation")
    if 0 in stride:
        raise RuntimeError("stride should not be zero")
    if min(kernel) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}")
    if min(stride) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {stride[0]} dW: {stride[1]}")
    for a in (0, 1):
        if padding[a] > (dilation[a] * (kernel[a] - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={padding[a]}, "
                               f"kernel_size={kernel[a]} and dilation={dilation[a]}")
    out_hw = _pooled_shape(input.shape, kernel, stride, padding, dilation, ceil_mode)[-2:]
    if min(out_hw) < 1:
        c, h, w = input.shape[-3:]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{out_hw[0]}x{out_hw[1]}). "
                           "Output size is too small")
    return kernel, stride, padding, dilation


def _check_not_bool(input, kernel):
    if input.dtype.name == "bool":
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over ``kernel_size`` windows moved by ``stride`` (default: the kernel size).

    >>> import minitorch as torch
    >>> torch.nn.functional.max_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    _check_not_bool(input, "max_pool2d")
    kernel, stride, padding, dilation = _pool_args(input, kernel_size, stride, padding, dilation, ceil_mode)
    values, indices = MaxPool2d.apply(input, kernel, stride, padding, dilation, ceil_mode)
    return (values, indices) if return_indices else values


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """Mean over ``kernel_size`` windows moved by ``stride`` (default: the kernel size); zero
    padding counts in the mean when ``count_include_pad``."""
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_not_bool(input, "avg_pool2d")
    kernel, stride, padding, _ = _pool_args(input, kernel_size, stride, padding, 1, ceil_mode)
    return AvgPool2d.apply(input, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)


def _adaptive_bands(in_size, out_size):
    """torch's adaptive windows along one axis: output ``i`` averages inputs ``floor(i * in / out)``
    up to (not including) ``ceil((i + 1) * in / out)``."""
    return [((i * in_size) // out_size, -(-((i + 1) * in_size) // out_size)) for i in range(out_size)]


def _adaptive_matrix(in_size, out_size, like):
    """The ``(out_size, in_size)`` averaging matrix of the bands: row ``i`` holds ``1 / band length``
    on its band."""
    xp = like._backend.xp
    matrix = xp.zeros((out_size, in_size), dtype=like._array.dtype)
    for i, (start, end) in enumerate(_adaptive_bands(in_size, out_size)):
        matrix[i, start:end] = 1 / (end - start)
    return wrap(matrix, like.device)


class AdaptiveAvgPool2d(Function):
    """Average over bands of rows, then over bands of columns (a band average of band averages is
    the window's average). The backward is linear: ``P_h^T @ grad @ P_w`` with the band matrices.

    The forward averages each band's slice rather than multiplying by those matrices, because
    ``0 * nan = nan``: a NaN or inf would leak into every output instead of its own window's."""

    backward_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out_h, out_w):
        xp, a = x._backend.xp, x._array
        ctx.args = x.shape[-2:] + (out_h, out_w)
        ctx.save_for_backward(x)  # see _check_input_unchanged
        if 0 in (out_h, out_w):  # an empty output (torch allows it): nothing to average
            return wrap(xp.zeros(a.shape[:-2] + (out_h, out_w), dtype=a.dtype), x.device)
        rows = xp.stack([a[..., s:e, :].mean(-2) for s, e in _adaptive_bands(a.shape[-2], out_h)], axis=-2)
        out = xp.stack([rows[..., s:e].mean(-1) for s, e in _adaptive_bands(a.shape[-1], out_w)], axis=-1)
        return wrap(out.astype(a.dtype, copy=False), x.device)

    @staticmethod
    def backward(ctx, grad):
        h, w, out_h, out_w = ctx.args
        _check_input_unchanged(ctx)
        _refuse_empty_backward("adaptive_avg_pool2d", grad, out_h, out_w)
        return _adaptive_matrix(h, out_h, grad).t() @ grad @ _adaptive_matrix(w, out_w, grad), None, None


def _refuse_empty_backward(name, grad, out_h, out_w):
    """torch computes an empty adaptive pooling, but refuses its backward."""
    if 0 in (out_h, out_w):
        empty = grad.dim() - 2 + (0 if out_h == 0 else 1)
        raise RuntimeError(f"{name}_backward(): Expected grad_output to have non-zero size for non-batch dimensions, "
                           f"but grad_output has sizes {list(grad.shape)} with dimension {empty} being empty")


def _adaptive_size(input, output_size):
    """``(out_h, out_w)`` from an int or a pair; ``None`` keeps the input's size."""
    out_h, out_w = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    h, w = input.shape[-2:]
    return h if out_h is None else out_h, w if out_w is None else out_w


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed ``output_size`` whatever the input size (``None`` keeps a dim).

    >>> import minitorch as torch
    >>> torch.nn.functional.adaptive_avg_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2)
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """
    if input.dim() not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    out_h, out_w = _adaptive_size(input, output_size)
    h, w = input.shape[-2:]
    if min(out_h, out_w) < 0:
        raise RuntimeError("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                           f"received {{{out_h}, {out_w}}}")
    if (out_h, out_w) == (1, 1):
        # One window holding everything, so a NaN belongs in the output anyway. torch takes a mean
        # here (node MeanBackward1); these two products round as the code that trained the bundled
        # DIGITS04 weights did, which scripts/train_digits.py reproduces bit for bit.
        return _adaptive_matrix(h, 1, input) @ input @ _adaptive_matrix(w, 1, input).t()
    return AdaptiveAvgPool2d.apply(input, out_h, out_w)


def _adaptive_windows(in_size, out_size, xp):
    """The ``(out_size, longest band)`` input positions of each adaptive band (``_adaptive_bands``),
    a shorter band padded by repeating its last position. A repeat never changes a window's max,
    and it comes after the position it repeats, so "first max" and "last NaN" still pick the same
    input position as in the band itself."""
    start, end = xp.asarray(_adaptive_bands(in_size, out_size)).T
    longest = int((end - start).max())
    return xp.minimum(start[:, None] + xp.arange(longest), end[:, None] - 1)


class AdaptiveMaxPool2d(Function):
    """Max over each adaptive window; returns ``(values, indices)``, the indices into each ``H * W``
    plane. torch's rule for which input wins: the first max in row-major order, except that a NaN
    always wins (the last NaN, if several)."""

    backward_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out_h, out_w):
        xp, a = x._backend.xp, x._array
        h, w = a.shape[-2:]
        ctx.x_shape = x.shape
        if 0 in (out_h, out_w):  # an empty output (torch allows it)
            shape = a.shape[:-2] + (out_h, out_w)
            values, indices = xp.zeros(shape, dtype=a.dtype), xp.zeros(shape, dtype=xp.int64)
        else:
            rows, cols = _adaptive_windows(h, out_h, xp), _adaptive_windows(w, out_w, xp)
            # every window at once: (..., out_h, out_w, band height * band width)
            windows = a[..., rows[:, None, :, None], cols[None, :, None, :]]
            windows = windows.reshape(a.shape[:-2] + (out_h, out_w, rows.shape[1] * cols.shape[1]))
            nan = xp.isnan(windows)
            last_nan = windows.shape[-1] - 1 - nan[..., ::-1].argmax(-1)
            best = xp.where(nan.any(-1), last_nan, windows.argmax(-1))  # argmax: the first max
            values = xp.take_along_axis(windows, best[..., None], -1)[..., 0]
            row, col = best // cols.shape[1], best % cols.shape[1]  # the window's own row and column
            indices = rows[xp.arange(out_h)[:, None], row] * w + cols[xp.arange(out_w), col]
        values, indices = wrap(values, x.device), wrap(indices, x.device)
        ctx.save_for_backward(indices, x)  # x: see _check_input_unchanged
        ctx.mark_non_differentiable(indices)
        return values, indices

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        indices, _ = ctx.saved_tensors
        _refuse_empty_backward("adaptive_max_pool2d", grad, *indices.shape[-2:])
        return AdaptiveMaxPool2dGrad.apply(grad, indices, ctx.x_shape), None, None


class AdaptiveMaxPool2dGrad(MaxPool2dGrad):
    """The gradient goes to each window's max: the same scatter as max pooling's."""

    backward_name = "AdaptiveMaxPool2DBackwardBackward0"


def _check_not_empty(name, input):
    """Adaptive max pooling takes an empty batch, but no other empty dim."""
    for d in range(1, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {list(input.shape)} with dimension {d} being empty")


def _adaptive_max(name, input, out_h, out_w):
    """``(values, indices)`` of 2-D adaptive max pooling of a 3-D or 4-D input, after torch's last
    checks in torch's order: no output size is negative, the dtype is floating."""
    if min(out_h, out_w) < 0:
        size = list(input.shape[:-2]) + [out_h, out_w]
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out_h, out_w)}: {size}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{name}" not implemented for \'{input.dtype.legacy_name}\'')
    return AdaptiveMaxPool2d.apply(input, out_h, out_w)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """``(values, indices)`` of :func:`adaptive_max_pool2d` (``return_indices`` is ignored, as in torch)."""
    pair = isinstance(output_size, (tuple, list))
    if pair and input.dim() <= len(output_size):  # too few input dims to fill in None entries from
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    if input.dim() not in (3, 4):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {list(input.shape)}")
    if pair and len(output_size) != 2:
        raise RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    _check_not_empty("adaptive_max_pool2d", input)
    return _adaptive_max("adaptive_max_pool2d", input, *_adaptive_size(input, output_size))


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed ``output_size`` whatever the input size (``None`` keeps a dim). Output
    ``i`` takes the max of inputs ``floor(i * in / out)`` up to ``ceil((i + 1) * in / out)``.

    >>> import minitorch as torch
    >>> torch.nn.functional.adaptive_max_pool2d(torch.arange(9.).view(1, 3, 3), 2, return_indices=True)
    (tensor([[[4., 5.],
             [7., 8.]]]), tensor([[[4, 5],
             [7, 8]]]))
    """
    out = adaptive_max_pool2d_with_indices(input, output_size)
    return out if return_indices else out[0]


# ---- one-dimensional pooling: as torch, the 2-D pooling of a height-1 view, then a squeeze ----------


def _height_one(kernel_size, stride, padding, dilation=1):
    """A 1-D pool's sizes as the 2-D pool of a height-1 view takes them: ``3 -> (1, 3)``, padding
    ``p -> (0, p)``; no stride (None or empty) stays None, which means the kernel size."""
    def one(value, name):
        return _ntuple(value, 1, name)[0]

    no_stride = stride is None or (isinstance(stride, (tuple, list)) and not stride)
    return ((1, one(kernel_size, "kernel_size")), None if no_stride else (1, one(stride, "stride")),
            (0, one(padding, "padding")), (1, one(dilation, "dilation")))


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over windows along the last dim of ``(N, C, L)`` or ``(C, L)``.

    >>> import minitorch as torch
    >>> torch.nn.functional.max_pool1d(torch.tensor([[[1., 5., 2., 0.]]]), 2)
    tensor([[[5., 2.]]])
    """
    if input.dim() not in (2, 3):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(input.shape)}")
    kernel, stride, padding, dilation = _height_one(kernel_size, stride, padding, dilation)
    out = max_pool2d(input.unsqueeze(-2), kernel, stride, padding, dilation, ceil_mode, return_indices)
    return tuple(t.squeeze(-2) for t in out) if return_indices else out.squeeze(-2)


def _check_1d(name, input):
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {name})")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over windows along the last dim of ``(N, C, L)`` or ``(C, L)``."""
    _check_1d("avg_pool1d", input)
    kernel, stride, padding, _ = _height_one(kernel_size, stride, padding)
    return avg_pool2d(input.unsqueeze(-2), kernel, stride, padding, ceil_mode, count_include_pad).squeeze(-2)


def adaptive_avg_pool1d(input, output_size):
    """Average pooling of the last dim to ``output_size`` positions, whatever its length."""
    _check_1d("adaptive_avg_pool1d", input)
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, _ntuple(output_size, 1, "output_size")[0])).squeeze(-2)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """``(values, indices)`` of :func:`adaptive_max_pool1d` (``return_indices`` is ignored, as in torch)."""
    if not isinstance(output_size, (int, tuple, list)):
        raise TypeError("adaptive_max_pool1d(): argument 'output_size' (position 2) must be tuple of ints, not "
                        f"{type(output_size).__name__}")
    _check_1d("adaptive_max_pool1d", input)
    if isinstance(output_size, (tuple, list)) and len(output_size) != 1:
        raise RuntimeError(f"adaptive_max_pool1d() argument 'output_size' should contain one int (got "
                           f"{len(output_size)})")
    _check_not_empty("adaptive_max_pool1d", input)
    out = _adaptive_max("adaptive_max_pool1d", input.unsqueeze(-2), 1, _ntuple(output_size, 1, "output_size")[0])
    return tuple(t.squeeze(-2) for t in out)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max pooling of the last dim of ``(N, C, L)`` or ``(C, L)`` to ``output_size`` positions.

    >>> import minitorch as torch
    >>> torch.nn.functional.adaptive_max_pool1d(torch.tensor([[1., 3., 3., 2., 5.]]), 2)
    tensor([[3., 5.]])
    """
    out = adaptive_max_pool1d_with_indices(input, output_size)
    return out if return_indices else out[0]


__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool1d_with_indices",
           "adaptive_max_pool2d_with_indices"]
