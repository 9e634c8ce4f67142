"""``F.conv2d``, ``F.conv1d`` and ``F.pad``.

The arithmetic lives in the backend kernels (``minitorch/backends/conv.py``: im2col + one matrix
product); here are the ``Function``s that make it differentiable and the argument checks.

A convolution ``y = conv(x, w)`` is linear in ``x`` and in ``w``, so its two gradients are again
convolution-like maps of the same family, each a ``Function`` whose backward uses the other two:

* ``Conv2d``:            ``y  = conv(x, w)``
* ``Conv2dInputGrad``:   ``gx = conv^T(gy, w)``  (d loss / d x)
* ``Conv2dWeightGrad``:  ``gw = corr(x, gy)``    (d loss / d w)

That closes the family under differentiation, so gradients of gradients work too. A 1-D
convolution is the 2-D one on inputs of height 1: the same three Functions take ``(N, C, L)``
arrays too (torch records both as ``ConvolutionBackward0``).
"""

from __future__ import annotations

from ...autograd.function import Function
from ...backends.conv import out_size
from ...ops._util import wrap, wrap_row_major


def _ntuple(value, n, name="value"):
    """``3 -> (3,) * n``; an n-sequence stays as a tuple."""
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values to match the "
                               f"convolution dimensions, but got {name}={list(value)}")
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _pair(value, name="value"):
    """``3 -> (3, 3)``; a 2-sequence stays as a tuple."""
    return _ntuple(value, 2, name)


def _as_2d(shape):
    """The 2-D shape a 1-D convolution's ``(N, C, L)`` shape runs as: ``(N, C, 1, L)``."""
    return tuple(shape[:2]) + (1,) * (4 - len(shape)) + tuple(shape[2:])


def _run_kernel(kernel, out_shape, first, second, *args):
    """``kernel(first, second, *args)`` on the tensors' arrays, giving an array of ``out_shape``.

    1-D arrays run as 2-D ones of height 1 (reshapes of contiguous arrays: views). An empty batch
    gives zeros without a call: torch returns an empty output and zero weight gradients there, and
    the im2col kernels cannot reshape 0 elements with an inferred (-1) size."""
    if first.shape[0] == 0:
        return first._backend.xp.zeros(out_shape, dtype=first._array.dtype)
    a, b = first._array, second._array
    return kernel(a.reshape(_as_2d(a.shape)), b.reshape(_as_2d(b.shape)), *args).reshape(out_shape)


def _conv_output_shape(x_shape, w_shape, stride, padding, dilation):
    x4, w4 = _as_2d(x_shape), _as_2d(w_shape)
    out = [out_size(x4[2 + a], w4[2 + a], stride[a], padding[a], dilation[a]) for a in (0, 1)]
    return (x_shape[0], w_shape[0]) + tuple(out[2 - (len(x_shape) - 2):])


class Conv2d(Function):
    """2-D convolution (cross-correlation, as in every deep learning library) of NCHW ``x`` with
    ``w`` of shape ``(out_channels, in_channels / groups, kh, kw)``, plus a per-channel ``bias``."""

    backward_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, bias, stride, padding, dilation, groups):
        ctx.save_for_backward(x, w)
        ctx.conv = (stride, padding, dilation, groups)
        y = _run_kernel(x._backend.kernels.conv2d_forward, _conv_output_shape(x.shape, w.shape, stride, padding, dilation),
                        x, w, *ctx.conv)
        if bias is not None:
            y += bias._array.reshape((1, -1) + (1,) * (y.ndim - 2))
        return wrap(y, x.device)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        gx = Conv2dInputGrad.apply(grad, w, x.shape, *ctx.conv) if ctx.needs_input_grad[0] else None
        gw = Conv2dWeightGrad.apply(x, grad, w.shape, *ctx.conv) if ctx.needs_input_grad[1] else None
        gb = grad.sum((0,) + tuple(range(2, grad.dim()))) if ctx.needs_input_grad[2] else None
        return gx, gw, gb, None, None, None, None


class Conv2dInputGrad(Function):
    """d loss / d x of a convolution: every output gradient spreads back over its window (col2im)."""

    @staticmethod
    def forward(ctx, gy, w, x_shape, stride, padding, dilation, groups):
        ctx.save_for_backward(gy, w)
        ctx.conv = (stride, padding, dilation, groups)
        return wrap(_run_kernel(gy._backend.kernels.conv2d_backward_input, tuple(x_shape), gy, w, _as_2d(x_shape),
                                *ctx.conv), gy.device)

    @staticmethod
    def backward(ctx, ggx):
        gy, w = ctx.saved_tensors
        ggy = Conv2d.apply(ggx, w, None, *ctx.conv) if ctx.needs_input_grad[0] else None
        gw = Conv2dWeightGrad.apply(ggx, gy, w.shape, *ctx.conv) if ctx.needs_input_grad[1] else None
        return ggy, gw, None, None, None, None, None


class Conv2dWeightGrad(Function):
    """d loss / d w of a convolution: output gradients correlated with the input windows."""

    @staticmethod
    def forward(ctx, x, gy, w_shape, stride, padding, dilation, groups):
        ctx.save_for_backward(x, gy)
        ctx.conv = (stride, padding, dilation, groups)
        return wrap(_run_kernel(x._backend.kernels.conv2d_backward_weight, tuple(w_shape), x, gy, _as_2d(w_shape),
                                *ctx.conv), x.device)

    @staticmethod
    def backward(ctx, ggw):
        x, gy = ctx.saved_tensors
        gx = Conv2dInputGrad.apply(gy, ggw, x.shape, *ctx.conv) if ctx.needs_input_grad[0] else None
        ggy = Conv2d.apply(x, ggw, None, *ctx.conv) if ctx.needs_input_grad[1] else None
        return gx, ggy, None, None, None, None, None


def _same_padding(weight, dilation):
    """'same' padding: total ``dilation * (k - 1)`` per spatial axis, the odd one out at the end."""
    total = [d * (k - 1) for d, k in zip(dilation, weight.shape[2:])]
    return [t // 2 for t in total], [t - t // 2 for t in total]


def _check_conv_args(input, weight, bias, stride, padding, dilation, groups):
    """torch's checks, for ``n = len(stride)`` spatial dims (1 or 2)."""
    n = len(stride)
    if input.dim() != n + 2:
        raise RuntimeError(f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to conv{n}d, but got input of "
                           f"size: {list(input.shape)}")
    if weight.dim() != n + 2:
        raise RuntimeError(f"Expected {weight.dim()}-dimensional input for {weight.dim()}-dimensional weight "
                           f"{list(weight.shape)}, but got {input.dim()}-dimensional input of size {list(input.shape)} "
                           "instead")
    if bias is not None and bias.dtype is not input.dtype:  # torch looks at the bias first
        raise RuntimeError(f"Input type ({input.dtype.legacy_name.lower()}) and bias type "
                           f"({bias.dtype.legacy_name.lower()}) should be the same")
    if weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.legacy_name} but found {weight.dtype.legacy_name}")
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(padding) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(dilation) <= 0:
        raise RuntimeError("dilation should be greater than zero")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{list(weight.shape)}] instead")
    if input.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
                           f"{list(input.shape)} to have {weight.shape[1] * groups} channels, but got "
                           f"{input.shape[1]} channels instead")
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with "
                           f"{weight.shape[0]} elements, but got bias of size {list(bias.shape)} instead")
    padded = [input.shape[2 + a] + 2 * padding[a] for a in range(n)]
    effective = [dilation[a] * (weight.shape[2 + a] - 1) + 1 for a in range(n)]
    if any(p < e for p, e in zip(padded, effective)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, effective))}). Kernel size can't be greater than actual input size")


def _convolution(input, weight, bias, stride, padding, dilation, groups, n):
    """The shared body of ``conv1d`` / ``conv2d`` (``n`` spatial dims): arguments to n-tuples,
    'same'/'valid' padding, unbatched input, checks, then the ``Conv2d`` Function."""
    stride, dilation = _ntuple(stride, n, "stride"), _ntuple(dilation, n, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * n
        elif padding == "same":
            if stride != (1,) * n:
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            before, after = _same_padding(weight, dilation)
            if before != after:  # even kernel: one extra row/column at the end first
                extra = [e - b for b, e in zip(before, after)]
                input = pad(input, [amount for e in reversed(extra) for amount in (0, e)])
            padding = tuple(before)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    padding = _ntuple(padding, n, "padding")
    if input.dim() == n + 1:  # unbatched (C, ...)
        return _convolution(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups, n).squeeze(0)
    _check_conv_args(input, weight, bias, stride, padding, dilation, groups)
    if n == 1:  # the 2-D Function with a height of 1: no padding, stride or dilation along it
        stride, padding, dilation = (1,) + stride, (0,) + padding, (1,) + dilation
    return Conv2d.apply(input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution over an ``(N, C, H, W)`` (or unbatched ``(C, H, W)``) input.

    ``padding`` is an int, a pair, ``'valid'`` (no padding) or ``'same'`` (output as large as the
    input; stride 1 only).

    >>> import minitorch as torch
    >>> x = torch.ones(1, 1, 4, 4)
    >>> torch.nn.functional.conv2d(x, torch.ones(2, 1, 3, 3)).shape
    torch.Size([1, 2, 2, 2])
    """
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 2)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution over an ``(N, C, L)`` (or unbatched ``(C, L)``) input with ``weight`` of
    shape ``(out_channels, in_channels / groups, k)``; ``padding`` as in ``conv2d``.

    >>> import minitorch as torch
    >>> torch.nn.functional.conv1d(torch.tensor([[[1., 2., 3., 4.]]]), torch.tensor([[[1., -1.]]]))
    tensor([[[-1., -1., -1.]]])
    """
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 1)


# ---- padding ------------------------------------------------------------------------------------------

class ConstantPadNd(Function):
    """Pad the last dims with ``value`` (negative amounts crop). Backward: the inverse crop/pad of
    the gradient, which is this same op with negated amounts and value 0."""

    @staticmethod
    def forward(ctx, x, pads, value):
        ctx.pads = pads
        xp = x._backend.xp
        arr = x._array
        # pads holds (before, after) per dim, starting from the first dim
        crop = tuple(slice(max(-b, 0), arr.shape[d] - max(-a, 0)) for d, (b, a) in enumerate(pads))
        out = xp.pad(arr[crop], [(max(b, 0), max(a, 0)) for b, a in pads], constant_values=value)
        return wrap_row_major(out, x.device)  # numpy.pad keeps a column-major input's order; torch never does

    @staticmethod
    def backward(ctx, grad):
        return ConstantPadNd.apply(grad, tuple((-b, -a) for b, a in ctx.pads), 0), None, None


def _pad_index(size, before, after, mode, xp):
    """Which input position each output position copies along one dim, for the non-constant modes.

    >>> import numpy as np
    >>> _pad_index(3, 2, 1, "reflect", np).tolist()
    [2, 1, 0, 1, 2, 1]
    """
    pos = xp.arange(-before, size + after)
    if mode == "replicate":
        return xp.clip(pos, 0, size - 1)
    if mode == "circular":
        return pos % size
    period = 2 * (size - 1)  # reflect: bounce off both ends without repeating the edge
    pos = xp.abs(pos) % period if period else pos * 0
    return xp.where(pos < size, pos, period - pos)


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dims: ``pad = (left, right, top, bottom, ...)`` starts at the
    LAST dim. ``mode``: ``'constant'`` (with ``value``, default 0), ``'reflect'``, ``'replicate'``
    or ``'circular'``.

    >>> import minitorch as torch
    >>> torch.nn.functional.pad(torch.tensor([[1., 2.]]), (1, 2))
    tensor([[0., 1., 2., 0., 0.]])
    """
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.dim()}")
    pairs = [(int(pad[2 * i]), int(pad[2 * i + 1])) for i in range(len(pad) // 2)]  # last dim first
    if mode == "constant":
        pads = ((0, 0),) * (input.dim() - len(pairs)) + tuple(reversed(pairs))
        return ConstantPadNd.apply(input, pads, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if len(pad) > 6 or input.dim() not in (len(pairs) + 1, len(pairs) + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    gathers = []  # (dim, which input position each output position copies)
    for i, (before, after) in enumerate(pairs):
        dim = input.dim() - 1 - i
        size = input.shape[dim]
        if mode == "reflect" and (before >= size or after >= size) or mode == "circular" and (before > size or after > size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, but "
                               f"got: padding ({before}, {after}) at dimension {dim} of input {list(input.shape)}")
        gathers.append((dim, _pad_index(size, before, after, mode, input._backend.xp)))
    if mode == "circular":  # torch builds this one from slices and copies; a gather per dim does the same
        for dim, index in gathers:
            input = input.index_select(dim, wrap(index, input.device))
        return input
    return _INDEX_PADS[mode, len(pairs)].apply(input, tuple(gathers))


class _IndexPad(Function):
    """Reflect / replicate padding: each output position copies one input position (a gather per
    padded dim), so the backward sums each gradient back onto the position it came from
    (``index_add``, whose own gradient is the gather again)."""

    @staticmethod
    def forward(ctx, x, gathers):
        ctx.x_shape, ctx.gathers = x.shape, gathers
        out = x._array
        for dim, index in gathers:
            out = out.take(index, axis=dim)
        return wrap(out, x.device)

    @staticmethod
    def backward(ctx, grad):
        for dim, index in reversed(ctx.gathers):
            shape = list(grad.shape)
            shape[dim] = ctx.x_shape[dim]
            grad = grad.new_zeros(shape).index_add(dim, wrap(index, grad.device), grad)
        return grad, None


# One Function per mode and number of padded dims, so that the node has torch's name
# (ReflectionPad2DBackward0, ReplicationPad1DBackward0, ...).
_INDEX_PADS = {(mode, n): type(f"{name}Pad{n}d", (_IndexPad,), {"backward_name": f"{name}Pad{n}DBackward0",
                                                                "__module__": __name__})
               for mode, name in (("reflect", "Reflection"), ("replicate", "Replication")) for n in (1, 2, 3)}


__all__ = ["conv1d", "conv2d", "pad"]
