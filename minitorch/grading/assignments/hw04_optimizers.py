"""hw04_optimizers: ``SGD(params, lr, momentum=0.0, nesterov=False)`` and ``Adam(params, lr=1e-3,
betas=(0.9, 0.999), eps=1e-8)`` as ``Optimizer`` subclasses, judged step by step against the
library's ``optim.SGD`` and ``optim.Adam`` (PyTorch's documented algorithms)."""

import numpy as np

import minitorch as torch

from ..spec import Assignment

_OWN = "write the update yourself in your Optimizer subclass's step()"

hw = Assignment(
    "hw04_optimizers",
    title="SGD with momentum and Nesterov, and Adam",
    lecture="07_sgd_and_optimizers",
    reference={"SGD": lambda params, lr, momentum=0.0, nesterov=False:
               torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=nesterov),
               "Adam": lambda params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8:
               torch.optim.Adam(params, lr=lr, betas=betas, eps=eps)},
    # each library optimizer's own code (its __init__ and its update): subclassing, wrapping or calling one
    # inside your step all run it; the Optimizer base class stays allowed
    banned={f"minitorch.optim.{name}": _OWN for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta")},
)


def trajectory(make_optimizer, steps=8, late=False):
    """Minimise a small least-squares problem (plus a quartic term, so that gradients change
    non-linearly) and return every parameter after every step.

    An extra parameter never gets a gradient (the optimizer must leave it alone); with
    ``late=True`` one more parameter joins the loss only from step 4 on (its state must start then).
    """
    rng = np.random.default_rng(0)
    w = torch.tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = torch.tensor(rng.normal(size=2), requires_grad=True)
    unused = torch.tensor(rng.normal(size=2), requires_grad=True)
    joins = torch.tensor(rng.normal(size=2), requires_grad=True)
    x, target = torch.tensor(rng.normal(size=(5, 3))), torch.tensor(rng.normal(size=(5, 2)))
    optimizer = make_optimizer([w, b, unused, joins] if late else [w, b, unused])
    history = {"w": [], "b": [], "unused": [], "joins": []}
    for step in range(steps):
        optimizer.zero_grad()
        loss = ((x @ w + b - target) ** 2).mean() + 0.01 * (w ** 4).sum()
        if late and step >= 3:
            loss = loss + (joins * b).sum()
        loss.backward()
        optimizer.step()
        for name, p in (("w", w), ("b", b), ("unused", unused), ("joins", joins)):
            history[name].append(p.detach().clone())
    return {name: torch.stack(values) for name, values in history.items() if late or name != "joins"}


_TOLERANCE = dict(rtol=1e-6, atol=1e-9)


@hw.test(points=1, **_TOLERANCE, own=("SGD.step",),
         hint="without momentum each step moves every parameter that has a gradient against it, by lr times "
              "the gradient, in place (the tensor the model holds must change), and leaves the others alone")
def sgd(SGD):
    return trajectory(lambda params: SGD(params, lr=0.1))


@hw.test(points=2, **_TOLERANCE, own=("SGD.step",), after=("sgd",),
         hint="momentum keeps a running velocity per parameter that lives across steps (self.state); at the "
              "first step it is the gradient itself, and PyTorch's velocity adds the full new gradient (no 1 - momentum)")
def sgd_momentum(SGD):
    return trajectory(lambda params: SGD(params, lr=0.05, momentum=0.9))


@hw.test(points=2, **_TOLERANCE, own=("SGD.step",), after=("sgd_momentum",),
         hint="Nesterov keeps the same velocity as momentum but looks ahead: the step combines the gradient "
              "with the velocity after this step's update")
def nesterov(SGD):
    return trajectory(lambda params: SGD(params, lr=0.05, momentum=0.9, nesterov=True))


@hw.test(points=3, partial=True, **_TOLERANCE, own=("Adam.step",),
         hint="Adam keeps two running averages per parameter (of the gradient and of its square), corrects "
              "their bias towards 0 in the first steps, and adds eps outside the square root; compare your first "
              "step with the formula by hand: it moves each coordinate by about lr")
def adam(Adam):
    return {"defaults, lr=0.05": trajectory(lambda params: Adam(params, lr=0.05)),
            "betas=(0.8, 0.99), eps=1e-3": trajectory(lambda params: Adam(params, lr=0.1, betas=(0.8, 0.99), eps=1e-3))}
