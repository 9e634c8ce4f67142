"""``F.conv2d`` and ``F.pad``.

The arithmetic lives in the backend kernels (``minitorch/backends/conv.py``: im2col + one matrix
product); here are the ``Function``s that make it differentiable and the argument checks.

A convolution ``y = conv(x, w)`` is linear in ``x`` and in ``w``, so its two gradients are again
convolution-like maps of the same family, each a ``Function`` whose backward uses the other two:

* ``Conv2d``:            ``y  = conv(x, w)``
* ``Conv2dInputGrad``:   ``gx = conv^T(gy, w)``  (d loss / d x)
* ``Conv2dWeightGrad``:  ``gw = corr(x, gy)``    (d loss / d w)

That closes the family under differentiation, so gradients of gradients work too.
"""

from __future__ import annotations

from ...autograd.function import Function
from ...backends.conv import out_size
from ...ops._util import wrap


def _pair(value, name="value"):
    """``3 -> (3, 3)``; a 2-sequence stays as a tuple."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of 2 values to match the "
                               f"convolution dimensions, but got {name}={list(value)}")
        return tuple(int(v) for v in value)
    return (int(value), int(value))


def _unless_empty(batch, shape, like, kernel_call):
    """``kernel_call()``, or zeros of ``shape`` when the ``batch`` size is 0: torch returns an empty
    output (and zero weight gradients) for an empty batch, and the im2col kernels cannot reshape
    0 elements with an inferred (-1) size."""
    if batch == 0:
        return like._backend.xp.zeros(shape, dtype=like._array.dtype)
    return kernel_call()


def _conv_output_shape(x_shape, w_shape, stride, padding, dilation):
    return (x_shape[0], w_shape[0]) + tuple(out_size(x_shape[2 + a], w_shape[2 + a], stride[a], padding[a], dilation[a])
                                            for a in (0, 1))


class Conv2d(Function):
    """2-D convolution (cross-correlation, as in every deep learning library) of NCHW ``x`` with
    ``w`` of shape ``(out_channels, in_channels / groups, kh, kw)``, plus a per-channel ``bias``."""

    backward_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, bias, stride, padding, dilation, groups):
        ctx.save_for_backward(x, w)
        ctx.conv = (stride, padding, dilation, groups)
        y = _unless_empty(x.shape[0], _conv_output_shape(x.shape, w.shape, stride, padding, dilation), x,
                          lambda: x._backend.kernels.conv2d_forward(x._array, w._array, *ctx.conv))
        if bias is not None:
            y += bias._array.reshape(1, -1, 1, 1)
        return wrap(y, x.device)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        gx = Conv2dInputGrad.apply(grad, w, x.shape, *ctx.conv) if ctx.needs_input_grad[0] else None
        gw = Conv2dWeightGrad.apply(x, grad, w.shape, *ctx.conv) if ctx.needs_input_grad[1] else None
        gb = grad.sum((0, 2, 3)) if ctx.needs_input_grad[2] else None
        return gx, gw, gb, None, None, None, None


class Conv2dInputGrad(Function):
    """d loss / d x of a convolution: every output gradient spreads back over its window (col2im)."""

    @staticmethod
    def forward(ctx, gy, w, x_shape, stride, padding, dilation, groups):
        ctx.save_for_backward(gy, w)
        ctx.conv = (stride, padding, dilation, groups)
        gx = _unless_empty(gy.shape[0], tuple(x_shape), gy,
                           lambda: gy._backend.kernels.conv2d_backward_input(gy._array, w._array, x_shape, *ctx.conv))
        return wrap(gx, gy.device)

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
        gw = _unless_empty(x.shape[0], tuple(w_shape), x,
                           lambda: x._backend.kernels.conv2d_backward_weight(x._array, gy._array, w_shape, *ctx.conv))
        return wrap(gw, x.device)

    @staticmethod
    def backward(ctx, ggw):
        x, gy = ctx.saved_tensors
        gx = Conv2dInputGrad.apply(gy, ggw, x.shape, *ctx.conv) if ctx.needs_input_grad[0] else None
        ggy = Conv2d.apply(x, ggw, None, *ctx.conv) if ctx.needs_input_grad[1] else None
        return gx, ggy, None, None, None, None, None


def _same_padding(weight, dilation):
    """'same' padding: total ``dilation * (k - 1)`` per axis, the odd one out at the bottom/right."""
    total = [dilation[a] * (weight.shape[2 + a] - 1) for a in (0, 1)]
    return [t // 2 for t in total], [t - t // 2 for t in total]


def _check_conv_args(input, weight, bias, stride, padding, dilation, groups):
    if input.dim() != 4:
        raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                           f"{list(input.shape)}")
    if bias is not None and bias.dtype is not input.dtype:  # torch looks at the bias first
        raise RuntimeError(f"Input type ({input.dtype.legacy_name.lower()}) and bias type "
                           f"({bias.dtype.legacy_name.lower()}) should be the same")
    if weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.legacy_name} but found {weight.dtype.legacy_name}")
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
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
    padded = [input.shape[2 + a] + 2 * padding[a] for a in (0, 1)]
    effective = [dilation[a] * (weight.shape[2 + a] - 1) + 1 for a in (0, 1)]
    if padded[0] < effective[0] or padded[1] < effective[1]:
        raise RuntimeError(f"Calculated padded input size per channel: ({padded[0]} x {padded[1]}). Kernel size: "
                           f"({effective[0]} x {effective[1]}). Kernel size can't be greater than actual input size")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution over an ``(N, C, H, W)`` (or unbatched ``(C, H, W)``) input.

    ``padding`` is an int, a pair, ``'valid'`` (no padding) or ``'same'`` (output as large as the
    input; stride 1 only).

    >>> import minitorch as torch
    >>> x = torch.ones(1, 1, 4, 4)
    >>> torch.nn.functional.conv2d(x, torch.ones(2, 1, 3, 3)).shape
    torch.Size([1, 2, 2, 2])
    """
    stride, dilation = _pair(stride, "stride"), _pair(dilation, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0, 0)
        elif padding == "same":
            if stride != (1, 1):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            before, after = _same_padding(weight, dilation)
            if before != after:  # even kernel: one extra row/column at the bottom/right first
                input = pad(input, (0, after[1] - before[1], 0, after[0] - before[0]))
            padding = tuple(before)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    padding = _pair(padding, "padding")
    if input.dim() == 3:  # unbatched (C, H, W)
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    _check_conv_args(input, weight, bias, stride, padding, dilation, groups)
    return Conv2d.apply(input, weight, bias, stride, padding, dilation, groups)


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
        return wrap(out, x.device)

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
    for i, (before, after) in enumerate(pairs):
        dim = input.dim() - 1 - i
        size = input.shape[dim]
        if mode == "reflect" and (before >= size or after >= size) or mode == "circular" and (before > size or after > size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, but "
                               f"got: padding ({before}, {after}) at dimension {dim} of input {list(input.shape)}")
        index = _pad_index(size, before, after, mode, input._backend.xp)
        input = input.index_select(dim, wrap(index, input.device))  # a gather: its backward scatter-adds
    return input


__all__ = ["conv2d", "pad"]
