"""Stochastic gradient descent, optionally with (Nesterov) momentum."""

from __future__ import annotations

from .optimizer import Optimizer, _check_non_negative, _new_state


class SGD(Optimizer):
    r"""Stochastic gradient descent (optionally with momentum), as documented by PyTorch::

        input: gamma (lr), theta_0 (params), f(theta) (objective), lambda (weight decay),
               mu (momentum), tau (dampening), nesterov, maximize
        for t = 1 to ... do
            if maximize:  g_t <- -grad f_t(theta_{t-1})
            else:         g_t <-  grad f_t(theta_{t-1})
            if lambda != 0:
                g_t <- g_t + lambda * theta_{t-1}
            if mu != 0:
                if t > 1:  b_t <- mu * b_{t-1} + (1 - tau) * g_t
                else:      b_t <- g_t
                if nesterov:  g_t <- g_t + mu * b_t
                else:         g_t <- b_t
            theta_t <- theta_{t-1} - gamma * g_t
        return theta_t

    ``b`` is kept per parameter as ``state['momentum_buffer']``.

    >>> import minitorch as torch
    >>> w = torch.tensor([1.0], requires_grad=True)
    >>> opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad(); (w * w).sum().backward(); opt.step()
    >>> w
    tensor([0.4600], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        _check_non_negative(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        # foreach / differentiable / fused select torch's kernels; minitorch has one, they are kept for the repr
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                        fused=fused)
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        momentum, weight_decay, dampening = group["momentum"], group["weight_decay"], group["dampening"]
        p, g = param._array, grad._array  # backend arrays: each line below is one in-place pass
        if group["maximize"]:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * p
        if momentum != 0:
            if "momentum_buffer" not in state:  # t = 1: b_1 <- g_1
                state["momentum_buffer"] = _new_state(param)
                buf = state["momentum_buffer"]._array
                buf[...] = g
            else:
                buf = state["momentum_buffer"]._array
                buf *= momentum
                buf += (1 - dampening) * g
            g = g + momentum * buf if group["nesterov"] else buf
        p -= group["lr"] * g
