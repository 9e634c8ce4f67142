"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations

from ..ops import creation
from .optimizer import Optimizer, _check_non_negative, _new_state, _next_step


class RMSprop(Optimizer):
    r"""The RMSprop algorithm, as documented by PyTorch::

        input: alpha (alpha), gamma (lr), theta_0 (params), f(theta) (objective),
               lambda (weight decay), mu (momentum), centered, epsilon
        initialize: v_0 <- 0 (square average), b_0 <- 0 (buffer), g_0^ave <- 0
        for t = 1 to ... do
            g_t <- grad f_t(theta_{t-1})
            if lambda != 0:
                g_t <- g_t + lambda * theta_{t-1}
            v_t <- alpha * v_{t-1} + (1 - alpha) * g_t^2
            v_tilde_t <- v_t
            if centered:
                g_t^ave <- g_{t-1}^ave * alpha + (1 - alpha) * g_t
                v_tilde_t <- v_tilde_t - (g_t^ave)^2
            if mu > 0:
                b_t <- mu * b_{t-1} + g_t / (sqrt(v_tilde_t) + epsilon)
                theta_t <- theta_{t-1} - gamma * b_t
            else:
                theta_t <- theta_{t-1} - gamma * g_t / (sqrt(v_tilde_t) + epsilon)
        return theta_t

    (With ``maximize=True``, ``g_t`` is the negated gradient, as in torch's implementation.)
    State per parameter: ``step``, ``square_avg`` (v), ``momentum_buffer`` (b, if momentum > 0)
    and ``grad_avg`` (g^ave, if centered).

    >>> import minitorch as torch
    >>> w = torch.tensor([1.0], requires_grad=True)
    >>> opt = torch.optim.RMSprop([w], lr=0.01)
    >>> w.sum().backward(); opt.step()
    >>> w  # 1 - 0.01 * 1 / sqrt(0.01)
    tensor([0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check_non_negative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach, maximize=maximize,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        alpha, momentum = group["alpha"], group["momentum"]
        if not state:
            state["step"] = creation.tensor(0.0)
            state["square_avg"] = _new_state(param)
            if momentum > 0:
                state["momentum_buffer"] = _new_state(param)
            if group["centered"]:
                state["grad_avg"] = _new_state(param)
        _next_step(state)
        xp, p, g = param._backend.xp, param._array, grad._array  # backend arrays, updated in place
        if group["maximize"]:
            g = -g
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p
        v = state["square_avg"]._array
        v *= alpha
        v += (1 - alpha) * (g * g)
        if group["centered"]:
            g_ave = state["grad_avg"]._array
            g_ave += (1 - alpha) * (g - g_ave)  # = alpha g_ave + (1 - alpha) g, like torch's lerp_
            denom = xp.sqrt(v - g_ave * g_ave)
        else:
            denom = xp.sqrt(v)
        denom += group["eps"]
        scaled = g / denom  # g_t / (sqrt(v_tilde_t) + epsilon)
        if momentum > 0:
            b = state["momentum_buffer"]._array
            b *= momentum
            b += scaled
            scaled = b
        p -= group["lr"] * scaled
