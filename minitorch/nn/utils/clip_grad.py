"""Gradient clipping: bound the gradients before an optimizer step (against exploding gradients)."""

from __future__ import annotations

import math

from ... import ops
from ..._tensor import Tensor
from ...autograd import no_grad


def _grads(parameters):
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad for p in parameters if p.grad is not None]


@no_grad()
def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale all gradients together so that their joint ``norm_type``-norm (the norm of the
    concatenated gradients) is at most ``max_norm``. Returns that norm (before clipping).

    >>> import minitorch as torch
    >>> w = torch.zeros(2, requires_grad=True)
    >>> w.grad = torch.tensor([3., 4.])
    >>> torch.nn.utils.clip_grad_norm_([w], 1.0)
    tensor(5.)
    >>> w.grad
    tensor([0.6000, 0.8000])
    """
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return ops.tensor(0.0)
    # the norm of the per-tensor norms is the norm of everything concatenated (also for inf)
    total = ops.stack([g.norm(norm_type) for g in grads]).norm(norm_type)
    if error_if_nonfinite and not math.isfinite(total.item()):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                           "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                           "norm anyway, set `error_if_nonfinite=False`")
    clip_coef = (max_norm / (total + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(clip_coef.to(g.dtype))
    return total


@no_grad()
def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clip every gradient element to ``[-clip_value, clip_value]`` (in place)."""
    for g in _grads(parameters):
        g.clamp_(min=-clip_value, max=clip_value)
