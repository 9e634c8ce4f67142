"""Adadelta: step sizes from the ratio of running RMS of updates and of gradients (no lr needed)."""

from __future__ import annotations

from ..ops import creation
from .optimizer import Optimizer, _check_non_negative, _new_state, _next_step


class Adadelta(Optimizer):
    r"""The Adadelta algorithm, as documented by PyTorch::

        input: gamma (lr), theta_0 (params), f(theta) (objective), rho (decay), lambda (weight decay)
        initialize: v_0 <- 0 (square avg), u_0 <- 0 (accumulate variables)
        for t = 1 to ... do
            g_t <- grad f_t(theta_{t-1})
            if lambda != 0:
                g_t <- g_t + lambda * theta_{t-1}
            v_t <- v_{t-1} * rho + g_t^2 * (1 - rho)
            Delta x_t <- sqrt(u_{t-1} + epsilon) / sqrt(v_t + epsilon) * g_t
            u_t <- u_{t-1} * rho + Delta x_t^2 * (1 - rho)
            theta_t <- theta_{t-1} - gamma * Delta x_t
        return theta_t

    (With ``maximize=True``, ``g_t`` is the negated gradient, as in torch's implementation.)
    State per parameter: ``step``, ``square_avg`` (v) and ``acc_delta`` (u).

    >>> import minitorch as torch
    >>> w = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    >>> opt = torch.optim.Adadelta([w])
    >>> w.sum().backward(); opt.step()
    >>> round(w.item(), 6)  # 1 - sqrt(1e-6) / sqrt(0.1 + 1e-6)
    0.996838
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        _check_non_negative(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check_non_negative(eps=eps, weight_decay=weight_decay)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = creation.tensor(0.0)
            state["square_avg"] = _new_state(param)
            state["acc_delta"] = _new_state(param)
        _next_step(state)
        xp, p, g = param._backend.xp, param._array, grad._array  # backend arrays, updated in place
        if group["maximize"]:
            g = -g
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p
        v, u = state["square_avg"]._array, state["acc_delta"]._array
        v *= rho
        v += (1 - rho) * (g * g)
        delta = xp.sqrt(u + eps)
        delta /= xp.sqrt(v + eps)
        delta *= g
        u *= rho
        u += (1 - rho) * (delta * delta)
        p -= group["lr"] * delta
