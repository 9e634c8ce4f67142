"""``F.batch_norm``, ``F.layer_norm``, ``F.normalize`` and ``F.cosine_similarity``.

Batch norm and layer norm are the same computation over different dims::

    y = (x - mean) / sqrt(var + eps) * weight + bias      (mean, biased var over ``dims``)

batch norm: over the batch and spatial dims (statistics per channel); layer norm: over the last
dims (statistics per sample). Both are a ``Normalize`` ``Function`` with the classic backward::

    dx = invstd * (g - mean(g) - xhat * mean(g * xhat)),   g = grad * weight

written in tensor ops from the saved input, so it can be differentiated again.
"""

from __future__ import annotations

from ...autograd import no_grad
from ...autograd.function import Function


def _standardize(x, dims, eps):
    """``((x - mean) * invstd, invstd)`` with the mean and biased variance over ``dims``."""
    centered = x - x.mean(dims, keepdim=True)
    invstd = ((centered * centered).mean(dims, keepdim=True) + eps).rsqrt()
    return centered * invstd, invstd


class Normalize(Function):
    """``(x - mean) / sqrt(var + eps) * weight + bias`` with statistics of ``x`` over ``dims``."""

    @staticmethod
    def forward(ctx, x, weight, bias, dims, eps):
        ctx.save_for_backward(x, weight)
        ctx.dims, ctx.eps = dims, eps
        y, _ = _standardize(x, dims, eps)
        y = y if weight is None else y * weight
        return y if bias is None else y + bias

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        xhat, invstd = _standardize(x, ctx.dims, ctx.eps)
        g = grad if weight is None else grad * weight

        def mean(t):
            return t.mean(ctx.dims, keepdim=True)

        grad_x = invstd * (g - mean(g) - xhat * mean(g * xhat)) if ctx.needs_input_grad[0] else None
        # weight/bias were broadcast over the other dims: the engine sums their gradients back
        grad_weight = grad * xhat if ctx.needs_input_grad[1] else None
        grad_bias = grad if ctx.needs_input_grad[2] else None
        return grad_x, grad_weight, grad_bias, None, None


class NativeBatchNorm(Normalize):
    pass


class NativeLayerNorm(Normalize):
    pass


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05):
    """Normalise each channel (dim 1) of ``input`` over the batch and spatial dims.

    ``training=True``: use this batch's mean and (biased) variance, and update the running
    statistics in place: ``running = (1 - momentum) * running + momentum * batch_stat`` (the
    unbiased variance for ``running_var``). ``training=False``: use the running statistics.
    """
    dims = (0,) + tuple(range(2, input.dim()))
    channel_shape = (1, -1) + (1,) * (input.dim() - 2)
    weight = None if weight is None else weight.view(channel_shape)
    bias = None if bias is None else bias.view(channel_shape)
    if not training and running_mean is not None and running_var is not None:
        invstd = (running_var + eps).rsqrt().view(channel_shape)
        y = (input - running_mean.view(channel_shape)) * invstd
        y = y if weight is None else y * weight
        return y if bias is None else y + bias
    if training and input.numel() // input.shape[1] <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.size()}")
    if training:
        with no_grad():
            if running_mean is not None:
                running_mean.mul_(1 - momentum).add_(input.mean(dims) * momentum)
            if running_var is not None:
                running_var.mul_(1 - momentum).add_(input.var(dims, unbiased=True) * momentum)
    return NativeBatchNorm.apply(input, weight, bias, dims, eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Normalise each sample over its last ``len(normalized_shape)`` dims."""
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(normalized_shape)
    if tuple(input.shape[input.dim() - k:]) != normalized_shape or input.dim() < k:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, normalized_shape))}], but got input of size{list(input.shape)}")
    dims = tuple(range(input.dim() - k, input.dim()))
    return NativeLayerNorm.apply(input, weight, bias, dims, eps)


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

    return ((x1 / norm_at_least_eps(x1)) * (x2 / norm_at_least_eps(x2))).sum(dim)


__all__ = ["batch_norm", "layer_norm", "normalize", "cosine_similarity"]
