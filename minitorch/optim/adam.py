"""Adam: momentum on the gradient, scaled by a running average of its square."""

from __future__ import annotations

from ..ops import creation
from .optimizer import Optimizer, _check_non_negative, _new_state, _next_step


class Adam(Optimizer):
    r"""The Adam algorithm, as documented by PyTorch::

        input: gamma (lr), beta_1, beta_2 (betas), theta_0 (params), f(theta) (objective),
               lambda (weight decay), amsgrad, maximize, epsilon
        initialize: m_0 <- 0 (first moment), v_0 <- 0 (second moment), v_0^max <- 0
        for t = 1 to ... do
            if maximize:  g_t <- -grad f_t(theta_{t-1})
            else:         g_t <-  grad f_t(theta_{t-1})
            if lambda != 0:
                g_t <- g_t + lambda * theta_{t-1}
            m_t <- beta_1 * m_{t-1} + (1 - beta_1) * g_t
            v_t <- beta_2 * v_{t-1} + (1 - beta_2) * g_t^2
            m_hat_t <- m_t / (1 - beta_1^t)
            if amsgrad:
                v_t^max <- max(v_{t-1}^max, v_t)
                v_hat_t <- v_t^max / (1 - beta_2^t)
            else:
                v_hat_t <- v_t / (1 - beta_2^t)
            theta_t <- theta_{t-1} - gamma * m_hat_t / (sqrt(v_hat_t) + epsilon)
        return theta_t

    State per parameter: ``step`` (a float32 0-d tensor), ``exp_avg`` (m), ``exp_avg_sq`` (v) and,
    with amsgrad, ``max_exp_avg_sq`` (v^max). ``decoupled_weight_decay=True`` is AdamW.

    >>> import minitorch as torch
    >>> w = torch.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = torch.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w  # the first Adam step moves every coordinate by about lr
    tensor([ 0.9000, -0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        _check_non_negative(lr=lr, eps=eps)
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        _check_non_negative(weight_decay=weight_decay)
        # foreach / capturable / differentiable / fused select torch's kernels; kept for the repr
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable, differentiable=differentiable,
                        fused=fused, decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        lr, (beta1, beta2), eps, weight_decay = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        if not state:
            state["step"] = creation.tensor(0.0)
            state["exp_avg"] = _new_state(param)
            state["exp_avg_sq"] = _new_state(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = _new_state(param)
        t = _next_step(state)
        xp, p, g = param._backend.xp, param._array, grad._array  # backend arrays, updated in place
        m, v = state["exp_avg"]._array, state["exp_avg_sq"]._array

        if group["maximize"]:
            g = -g
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:  # AdamW: theta_t <- theta_{t-1} - gamma * lambda * theta_{t-1}
                p *= 1 - lr * weight_decay
            else:
                g = g + weight_decay * p
        m += (1 - beta1) * (g - m)  # = beta_1 m + (1 - beta_1) g, computed like torch's lerp_
        v *= beta2
        v += (1 - beta2) * (g * g)
        if group["amsgrad"]:
            v = xp.maximum(state["max_exp_avg_sq"]._array, v, out=state["max_exp_avg_sq"]._array)
        # theta -= gamma * m_hat / (sqrt(v_hat) + eps), with the bias corrections applied to
        # scalars rather than to whole arrays (torch's order of operations)
        denom = xp.sqrt(v)
        denom /= (1 - beta2 ** t) ** 0.5
        denom += eps
        step = m / denom
        step *= lr / (1 - beta1 ** t)
        p -= step
