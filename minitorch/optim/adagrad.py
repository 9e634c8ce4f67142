"""Adagrad: each coordinate's step shrinks with the sum of its squared gradients so far."""

from __future__ import annotations

from ..ops import creation
from .optimizer import Optimizer, _check_non_negative, _new_state, _next_step


class Adagrad(Optimizer):
    r"""The Adagrad algorithm, as documented by PyTorch::

        input: gamma (lr), theta_0 (params), f(theta) (objective), lambda (weight decay),
               tau (initial accumulator value), eta (lr decay)
        initialize: state_sum_0 <- tau
        for t = 1 to ... do
            g_t <- grad f_t(theta_{t-1})
            gamma_tilde <- gamma / (1 + (t - 1) * eta)
            if lambda != 0:
                g_t <- g_t + lambda * theta_{t-1}
            state_sum_t <- state_sum_{t-1} + g_t^2
            theta_t <- theta_{t-1} - gamma_tilde * g_t / (sqrt(state_sum_t) + epsilon)
        return theta_t

    (With ``maximize=True``, ``g_t`` is the negated gradient, as in torch's implementation.)
    State per parameter: ``step`` (a float32 0-d tensor) and ``sum``, created when the optimizer is.

    >>> import minitorch as torch
    >>> w = torch.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = torch.optim.Adagrad([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w  # the first step moves every coordinate by lr
    tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check_non_negative(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                            initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:  # torch creates Adagrad's state up front (it shows in state_dict())
            for p in group["params"]:
                self._init_state(p, self.state[p], group)

    @staticmethod
    def _init_state(param, state, group):
        state["step"] = creation.tensor(0.0)
        state["sum"] = _new_state(param, group["initial_accumulator_value"])

    def _update(self, param, grad, state, group):
        if not state:
            self._init_state(param, state, group)
        t = _next_step(state)
        xp, p, g = param._backend.xp, param._array, grad._array  # backend arrays, updated in place
        if group["maximize"]:
            g = -g
        lr = group["lr"] / (1 + (t - 1) * group["lr_decay"])
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p
        state_sum = state["sum"]._array
        state_sum += g * g
        step = xp.sqrt(state_sum)
        step += group["eps"]
        p -= lr * (g / step)
