"""AdamW: Adam with the weight decay applied to the parameters instead of the gradient."""

from __future__ import annotations

from .adam import Adam


class AdamW(Adam):
    r"""The AdamW algorithm (weight decay does not go through the moments), as documented by PyTorch::

        input: gamma (lr), beta_1, beta_2 (betas), theta_0 (params), f(theta) (objective), epsilon,
               lambda (weight decay), amsgrad, maximize
        initialize: m_0 <- 0 (first moment), v_0 <- 0 (second moment), v_0^max <- 0
        for t = 1 to ... do
            if maximize:  g_t <- -grad f_t(theta_{t-1})
            else:         g_t <-  grad f_t(theta_{t-1})
            theta_t <- theta_{t-1} - gamma * lambda * theta_{t-1}
            m_t <- beta_1 * m_{t-1} + (1 - beta_1) * g_t
            v_t <- beta_2 * v_{t-1} + (1 - beta_2) * g_t^2
            m_hat_t <- m_t / (1 - beta_1^t)
            if amsgrad:
                v_t^max <- max(v_{t-1}^max, v_t)
                v_hat_t <- v_t^max / (1 - beta_2^t)
            else:
                v_hat_t <- v_t / (1 - beta_2^t)
            theta_t <- theta_t - gamma * m_hat_t / (sqrt(v_hat_t) + epsilon)
        return theta_t

    The only difference from :class:`Adam` is the decay line, so AdamW is Adam with
    ``decoupled_weight_decay=True`` (and a default ``weight_decay`` of 0.01).

    >>> import minitorch as torch
    >>> w = torch.tensor([1.0], requires_grad=True)
    >>> opt = torch.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    >>> w.sum().backward(); opt.step()
    >>> w  # 1 - 0.1 * 0.5 * 1 (decay), then - 0.1 (the first Adam step)
    tensor([0.8500], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         foreach=foreach, maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)
