"""hw04_optimizers: cheats with the library's optimizers, and plausible wrong answers."""

CHEATS = {
    "the library's SGD": ("sgd", "SGD = torch.optim.SGD"),
    "a subclass of the library's SGD": ("sgd_momentum", '''
class SGD(torch.optim.SGD):
    def __init__(self, params, lr, momentum=0.0, nesterov=False):
        super().__init__(params, lr=lr, momentum=momentum, nesterov=nesterov)
'''),
    "the library's update called from step": ("sgd", '''
class SGD(Optimizer):
    def __init__(self, params, lr, momentum=0.0, nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov, dampening=0, weight_decay=0,
                                      maximize=False))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    torch.optim.SGD._update(self, p, p.grad, self.state[p], group)
'''),
    "a library Adam inside": ("adam", '''
class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        params = list(params)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))
        self.inner = torch.optim.Adam(params, lr=lr, betas=betas, eps=eps)

    def step(self):
        self.inner.step()
'''),
}

_SGD = '''
class SGD(Optimizer):
    def __init__(self, params, lr, momentum=0.0, nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, momentum = group["lr"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                g = p.grad
                if momentum != 0:
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = g.clone()
                    else:
                        state["momentum_buffer"].mul_(momentum).add_(g)
                    buffer = state["momentum_buffer"]
                    g = g + momentum * buffer if group["nesterov"] else buffer
                p.sub_(lr * g)
'''

_ADAM = '''
class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"], state["exp_avg"], state["exp_avg_sq"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                state["step"] += 1
                t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
                m.mul_(beta1).add_((1 - beta1) * p.grad)
                v.mul_(beta2).add_((1 - beta2) * p.grad * p.grad)
                m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
                p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
'''


def _edit(source, old, new):
    assert old in source, old
    return source.replace(old, new)


WRONG = {
    "momentum damped by (1 - momentum)": ("sgd_momentum", _edit(
        _SGD, "state[\"momentum_buffer\"].mul_(momentum).add_(g)", "state[\"momentum_buffer\"].mul_(momentum).add_((1 - momentum) * g)")),
    "Nesterov with the old velocity": ("nesterov", _edit(_SGD, '''                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = g.clone()
                    else:
                        state["momentum_buffer"].mul_(momentum).add_(g)
                    buffer = state["momentum_buffer"]
                    g = g + momentum * buffer if group["nesterov"] else buffer''', '''                    old = state["momentum_buffer"].clone() if "momentum_buffer" in state else torch.zeros_like(g)
                    state["momentum_buffer"] = old * momentum + g
                    g = g + momentum * old if group["nesterov"] else state["momentum_buffer"]''')),
    "the lr of the defaults, not of the group": ("parameter_groups", _edit(
        _SGD, 'lr, momentum = group["lr"], group["momentum"]', 'lr, momentum = self.defaults["lr"], group["momentum"]')),
    "parameter rebound, not updated in place": ("sgd", _edit(_SGD, "p.sub_(lr * g)", "p = p - lr * g")),
    "one Adam step count for all parameters": ("adam_late_parameter", _edit(_ADAM, '''                if not state:
                    state["step"], state["exp_avg"], state["exp_avg_sq"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                state["step"] += 1
                t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]''', '''                if not state:
                    state["exp_avg"], state["exp_avg_sq"] = torch.zeros_like(p), torch.zeros_like(p)
                t, m, v = self.t, state["exp_avg"], state["exp_avg_sq"]''').replace(
        "        for group in self.param_groups:\n            lr, (beta1",
        "        self.t = getattr(self, \"t\", 0) + 1\n        for group in self.param_groups:\n            lr, (beta1")),
    "Adam without bias correction": ("adam", _edit(
        _ADAM, "m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)", "m_hat, v_hat = m, v")),
    "eps inside the square root": ("adam", _edit(_ADAM, "(v_hat.sqrt() + eps)", "(v_hat + eps).sqrt()")),
}
