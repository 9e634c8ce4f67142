"""``F.batch_norm``, ``F.instance_norm``, ``F.layer_norm``, ``F.group_norm``, ``F.rms_norm``,
``F.normalize`` and ``F.cosine_similarity``.

Batch, layer and group norm are the same computation over different dims::

    y = (x - mean) / sqrt(var + eps) * weight + bias      (mean, biased var over ``dims``)

batch norm: over the batch and spatial dims (statistics per channel); layer norm: over the last
dims (statistics per sample); group norm: over each group of channels of one sample (the input
seen as ``(N, groups, rest)``); instance norm is batch norm with every (sample, channel) pair as a
channel of its own. All are a ``Normalize`` ``Function`` with the classic backward::

    dx = invstd * (g - mean(g) - xhat * mean(g * xhat)),   g = grad * weight

written in tensor ops from the saved input, so it can be differentiated again. RMS norm, which
neither centres nor shifts, is a short composite of tensor ops, as in torch.
"""

from __future__ import annotations

import math

from ..._dtypes import finfo, float16
from ...autograd import no_grad
from ...autograd.function import Function
from ...ops.reduce import Norm, _dims
from ...ops.shape import broadcast_tensors


def _standardize(x, dims, eps):
    """``((x - mean) * invstd, invstd, mean)`` with the mean and biased variance over ``dims``."""
    mean = x.mean(dims, keepdim=True)
    centered = x - mean
    invstd = ((centered * centered).mean(dims, keepdim=True) + eps).rsqrt()
    return centered * invstd, invstd, mean


class Normalize(Function):
    """``(x - mean) / sqrt(var + eps) * weight + bias`` with statistics of ``x`` over ``dims`` (of
    ``x`` seen as ``stats_shape``, when given: group norm's ``(N, groups, rest)``)."""

    @staticmethod
    def forward(ctx, x, weight, bias, dims, eps, stats_shape=None):
        ctx.save_for_backward(x, weight)
        ctx.dims, ctx.eps, ctx.stats_shape = dims, eps, stats_shape or x.shape
        grouped = stats_shape is not None
        y, _, _ = _standardize(x.reshape(stats_shape) if grouped else x, dims, eps)
        y = y.reshape(x.shape) if grouped else y
        y = y if weight is None else y * weight
        y = (y if bias is None else y + bias).to(x.dtype)  # float16 input with float32 weights stays float16
        # a row-major tensor of its own, as torch's kernels allocate it: never a view of a temporary
        # (group norm's reshape), so an in-place op on the result records that op
        return y.clone() if y._base is not None else y.contiguous()

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        xhat, invstd, mean = _standardize(x.reshape(ctx.stats_shape), ctx.dims, ctx.eps)
        grad_x = ctx._forward_cls.input_grad(ctx, x, weight, grad, xhat, invstd, mean) if ctx.needs_input_grad[0] else None
        # weight/bias were broadcast over the other dims: the engine sums their gradients back
        grad_weight = grad * xhat.reshape(x.shape) if ctx.needs_input_grad[1] else None
        grad_bias = grad if ctx.needs_input_grad[2] else None
        return grad_x, grad_weight, grad_bias, None, None, None

    @staticmethod
    def input_grad(ctx, x, weight, grad, xhat, invstd, mean):
        """The classic ``invstd * (g - mean(g) - xhat * mean(g * xhat))``, ``g = grad * weight``."""
        g = (grad if weight is None else grad * weight).reshape(ctx.stats_shape)

        def mean(t):
            return t.mean(ctx.dims, keepdim=True)

        return (invstd * (g - mean(g) - xhat * mean(g * xhat))).reshape(x.shape)


class NativeBatchNorm(Normalize):
    pass


class NativeLayerNorm(Normalize):
    @staticmethod
    def input_grad(ctx, x, weight, grad, xhat, invstd, mean):
        """torch's layer-norm form of the same gradient, on ``x`` rather than ``xhat``:
        ``a * g + b * x + c`` with ``a = invstd``, ``b = (db * mean - ds) * a**3 / n``,
        ``c = -b * mean - db * a / n`` (``ds = sum(g * x)``, ``db = sum(g)``). Where the exact
        gradient is 0 (the sum of a 2-wide layer norm's outputs) it gives 0, as torch does."""
        g = grad if weight is None else grad * weight
        n = math.prod(x.shape[d] for d in ctx.dims)
        ds, db = (g * x).sum(ctx.dims, keepdim=True), g.sum(ctx.dims, keepdim=True)
        b = (db * mean - ds) * invstd * invstd * invstd * (1 / n)
        c = -b * mean - db * invstd * (1 / n)
        # a * g as torch's kernel multiplies it, (invstd * grad) * weight: not invstd * g (other bits)
        scaled = invstd * grad if weight is None else invstd * grad * weight
        return scaled + b * x + c


class NativeGroupNorm(Normalize):
    pass


class BatchNormWithRunningStats(Function):
    """Batch norm in eval mode, ``(x - running_mean) * invstd * weight + bias``: the statistics are
    constants here, so the map is affine in ``x`` and each gradient is one product."""

    backward_name = "NativeBatchNormBackward0"  # torch runs the same kernel in both modes

    @staticmethod
    def forward(ctx, x, mean, invstd, weight, bias):
        ctx.save_for_backward(x, invstd, weight)
        ctx.mean = mean.clone()  # a copy: the next training step updates the running mean in place
        y = (x - mean) * invstd
        y = y if weight is None else y * weight
        return (y if bias is None else y + bias).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, invstd, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_x = grad * invstd * (1 if weight is None else weight) if needs[0] else None
        grad_weight = grad * (x - ctx.mean) * invstd if needs[3] else None
        grad_bias = grad if needs[4] else None
        return grad_x, None, None, grad_weight, grad_bias


def _check_floating(input, kernel):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{input.dtype.legacy_name}\'')


def _check_parameter_dtypes(input, *params):
    """torch's rule for a norm layer's parameters (and running statistics): they have the input's
    dtype, except that float16 input may come with float32 ones (mixed precision)."""
    for param in params:
        if param is None or param.dtype is input.dtype:
            continue
        if param.dtype.name != "float32":
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        if input.dtype.name not in ("float16", "bfloat16"):
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _verify_batch_size(size):
    """Training statistics need more than one value per channel (torch checks exactly this)."""
    if math.prod(size[:1] + size[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05):
    """Normalise each channel (dim 1) of ``input`` over the batch and spatial dims.

    ``training=True``: use this batch's mean and (biased) variance, and update the running
    statistics in place: ``running = (1 - momentum) * running + momentum * batch_stat`` (the
    unbiased variance for ``running_var``). ``training=False``: use the running statistics.
    An empty batch gives an empty result and leaves the running statistics alone.
    """
    _check_floating(input, "batch_norm")
    _check_parameter_dtypes(input, weight, bias, running_mean, running_var)
    if training:
        _verify_batch_size(input.size())
    if input.numel() == 0:  # as torch: a fresh empty tensor, still connected to weight and bias
        out = input.clone()
        out = out if weight is None else out * weight[0]
        return out if bias is None else out + bias[0]
    for name, param in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if param is not None and param.numel() != input.shape[1]:
            raise RuntimeError(f"{name} should contain {input.shape[1]} elements not {param.numel()}")
    dims = (0,) + tuple(range(2, input.dim()))
    channel_shape = (1, -1) + (1,) * (input.dim() - 2)
    weight = None if weight is None else weight.view(channel_shape)
    bias = None if bias is None else bias.view(channel_shape)
    if not training and running_mean is not None and running_var is not None:
        invstd = (running_var + eps).rsqrt().view(channel_shape)
        return BatchNormWithRunningStats.apply(input, running_mean.view(channel_shape), invstd, weight, bias)
    if training:
        with no_grad():
            if running_mean is not None:
                running_mean.mul_(1 - momentum).add_(input.mean(dims) * momentum)
            if running_var is not None:
                running_var.mul_(1 - momentum).add_(input.var(dims, unbiased=True) * momentum)
    return NativeBatchNorm.apply(input, weight, bias, dims, eps)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-05):
    """Normalise each channel of each sample over its spatial dims (statistics per sample and channel).

    As torch computes it: batch norm of ``input`` seen as ``(1, N * C, *spatial)``, with ``weight``,
    ``bias`` and the running statistics repeated for every sample. The running statistics (when
    given) then become the mean over the batch of those updated per-sample copies.

    >>> import minitorch as torch
    >>> torch.nn.functional.instance_norm(torch.tensor([[[1., 3.], [10., 20.]]]))
    tensor([[[-1.0000,  1.0000],
             [-1.0000,  1.0000]]])
    """
    if momentum is None:  # batch norm's "cumulative average" has no meaning here (the module passes 0.0)
        raise TypeError("instance_norm(): argument 'momentum' (position 7) must be float, not NoneType")
    if use_input_stats:
        size = input.size()
        if math.prod(size[2:]) == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {size}")
    elif running_mean is None or running_var is None:
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    n, channels = input.size(0), input.size(1)  # torch's IndexError for fewer than two dims

    def per_instance(t):
        return None if t is None else t.repeat(n)

    running = per_instance(running_mean), per_instance(running_var)
    # row-major first, as torch: a permuted input still gives a row-major result
    out = batch_norm(input.contiguous().view((1, n * channels) + tuple(input.shape[2:])), *running, per_instance(weight),
                     per_instance(bias), use_input_stats, momentum, eps)
    if running_mean is not None:
        with no_grad():
            running_mean.copy_(running[0].view(n, channels).mean(0))
            running_var.copy_(running[1].view(n, channels).mean(0))
    return out.view(input.shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Normalise each sample over its last ``len(normalized_shape)`` dims."""
    if isinstance(normalized_shape, int):  # nn.LayerNorm(3) turns an int into (3,); the function does not
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    if tuple(input.shape[input.dim() - k:]) != normalized_shape or input.dim() < k:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, normalized_shape))}], but got input of size{list(input.shape)}")
    _check_parameter_dtypes(input, weight, bias)
    _check_floating(input, "LayerNormKernelImpl")
    dims = tuple(range(input.dim() - k, input.dim()))
    return NativeLayerNorm.apply(input, weight, bias, dims, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """Normalise each sample's channels in ``num_groups`` groups (statistics per sample and group),
    then scale and shift each channel by ``weight`` and ``bias``.

    >>> import minitorch as torch
    >>> torch.nn.functional.group_norm(torch.tensor([[1., 3., 10., 20.]]), 2)
    tensor([[-1.0000,  1.0000, -1.0000,  1.0000]])
    """
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    shape = tuple(input.shape)
    n, channels = shape[:2]
    if channels % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(shape)} and num_groups={num_groups}")
    for name, param in (("weight", weight), ("bias", bias)):
        if param is not None and tuple(param.shape) != (channels,):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {list(param.shape)} and input of shape {list(shape)}")
    _verify_batch_size([n * channels // num_groups, num_groups] + list(shape[2:]))
    _check_parameter_dtypes(input, weight, bias)
    _check_floating(input, "GroupNormKernelImpl")
    channel_shape = (1, -1) + (1,) * (input.dim() - 2)
    weight = None if weight is None else weight.view(channel_shape)
    bias = None if bias is None else bias.view(channel_shape)
    stats_shape = (n, num_groups, math.prod(shape[1:]) // num_groups)  # no -1: it cannot be inferred when n == 0
    return NativeGroupNorm.apply(input, weight, bias, (2,), eps, stats_shape)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Divide each sample by its root mean square over its last ``len(normalized_shape)`` dims, then
    scale elementwise by ``weight``: ``x / sqrt(mean(x ** 2) + eps) * weight``.

    As torch's CPU code, a composite of tensor ops (its gradients come from theirs): float16 is
    computed in float32 and rounded once at the end, and ``eps=None`` means the machine epsilon of
    that computing dtype (so float32's for float16 input). The result has the input's dtype.

    >>> import minitorch as torch
    >>> torch.nn.functional.rms_norm(torch.tensor([[3., 4.], [1., -1.]]), [2], eps=0.0)
    tensor([[ 0.8485,  1.1314],
            [ 1.0000, -1.0000]])
    """
    if isinstance(normalized_shape, int):
        raise TypeError("rms_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    for pos, size in enumerate(normalized_shape):  # ints (numpy's too), in the words of torch's argument parser
        if not hasattr(size, "__index__"):
            kind = type(size).__name__
            if pos == 0:
                raise TypeError("rms_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, but "
                                f"found element of type {kind} at pos 0")
            raise TypeError("rms_norm(): argument 'normalized_shape' failed to unpack the object at pos 2 with error "
                            f"\"type must be tuple of ints,but got {kind}\"")
    normalized_shape = tuple(int(size) for size in normalized_shape)
    k = len(normalized_shape)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    if weight is not None and tuple(weight.shape) != normalized_shape:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got weight of shape "
                           f"{list(weight.shape)} and normalized_shape = {list(normalized_shape)}")
    if input.dim() < k:
        raise ValueError(f"Input tensor must have at least {k} dimensions, but got {input.dim()}")
    if tuple(input.shape[input.dim() - k:]) != normalized_shape:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*{', '.join(map(str, normalized_shape))}], but got input of size{list(input.shape)}")
    _check_floating(input, "rms_norm")
    x = input.float() if input.dtype is float16 else input  # torch's "opmath" dtype for float16
    eps = finfo(x.dtype).eps if eps is None else eps
    y = x * (x.pow(2).mean(tuple(range(-k, 0)), keepdim=True) + eps).rsqrt()
    # torch then makes the result row-major (a permuted input gives a permuted product) and casts it back
    return (y if weight is None else y * weight).contiguous().to(input.dtype)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input / max(||input||_p, eps)`` along ``dim``: unit vectors.

    >>> import minitorch as torch
    >>> torch.nn.functional.normalize(torch.tensor([[3., 4.]]))
    tensor([[0.6000, 0.8000]])
    """
    return input / input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """``x1 . x2 / (||x1|| ||x2||)`` along ``dim`` (inputs broadcast).

    Each vector is divided by its norm first (the result stays in [-1, 1]); a norm below ``eps``
    counts as ``eps``. As in torch, that floor changes the value only: the gradient flows
    through the norm as if it had not been clamped.
    """
    def norm_at_least_eps(x):
        n = x.norm(2, dim, keepdim=True)
        return n + (n.clamp(min=eps) - n).detach()

    x1, x2 = broadcast_tensors(x1, x2)  # first, so that ``dim`` counts the broadcast shape's dims
    return ((x1 / norm_at_least_eps(x1)) * (x2 / norm_at_least_eps(x2))).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The ``p``-norm distance between rows: ``||x1 - x2 + eps||_p`` along the last dim (inputs
    broadcast; ``eps`` keeps the gradient finite where the rows are equal).

    >>> import minitorch as torch
    >>> torch.nn.functional.pairwise_distance(torch.tensor([[3., 4.]]), torch.zeros(1, 2), eps=0.0)
    tensor([5.])
    """
    diff = x1 - x2 + eps
    if not diff.dtype.is_floating_point:
        return diff.norm(p, -1, keepdim)  # the norm's own error for integers
    return PairwiseNorm.apply(diff, float(p), _dims(diff, -1), keepdim)


class PairwiseNorm(Norm):
    """The vector norm, recorded as torch's ``pairwise_distance`` records it (the older ``norm`` op)."""

    backward_name = "NormBackward1"


__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm", "normalize", "cosine_similarity",
           "pairwise_distance"]
