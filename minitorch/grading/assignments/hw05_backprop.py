"""hw05_backprop: the backward of ``LinearFunction`` (``input @ weight.t() + bias``) and of
``SoftmaxCrossEntropy`` (the mean cross-entropy of logits and class indices), judged against the
library's autograd of ``F.linear`` and ``F.cross_entropy``, then a few training steps with them."""

import numpy as np

import minitorch as torch
from minitorch.nn import functional as F

from ..spec import Assignment

_BY_HAND = "write the gradient by hand in your Function's backward"


class _LibraryLinear:
    apply = staticmethod(F.linear)


class _LibraryCrossEntropy:
    apply = staticmethod(F.cross_entropy)


_LOSS = "minitorch.nn._functional.loss."

hw = Assignment(
    "hw05_backprop",
    title="Backpropagation by hand",
    lecture="03_autograd_and_backprop",
    reference={"LinearFunction": _LibraryLinear, "SoftmaxCrossEntropy": _LibraryCrossEntropy},
    banned={**{path: _BY_HAND for path in (
                "minitorch.nn._functional.linear.linear", _LOSS + "cross_entropy", _LOSS + "nll_loss", _LOSS + "NllLoss",
                _LOSS + "NllLossGrad", _LOSS + "_nll_grad", "minitorch.ops.reduce.Softmax", "minitorch.ops.reduce.LogSoftmax")},
            **{f"minitorch.nn.{name}": _BY_HAND for name in ("Linear", "CrossEntropyLoss", "NLLLoss")}},
)


def _normal(rng, *shape):
    return torch.tensor(rng.normal(size=shape), requires_grad=True)


def linear_gradients(LinearFunction, batch, n_in, n_out, seed):
    """The gradients of a weighted sum of ``LinearFunction``'s output, for each input."""
    rng = np.random.default_rng(seed)
    x, weight, bias = _normal(rng, batch, n_in), _normal(rng, n_out, n_in), _normal(rng, n_out)
    (LinearFunction.apply(x, weight, bias) * torch.tensor(rng.normal(size=(batch, n_out)))).sum().backward()
    return {"input": x.grad, "weight": weight.grad, "bias": bias.grad}


@hw.test(points=3, partial=True, own=("LinearFunction.backward",),
         hint="each gradient has the shape of its input; write y element by element as a sum over the shared "
              "index and differentiate one term: the bias is added to every row, so its gradient collects all rows")
def linear_backward(LinearFunction):
    return {f"{shape} {name}": grad for shape, args in (("(4, 3) -> 2", (4, 3, 2, 0)), ("(1, 5) -> 3", (1, 5, 3, 1)))
            for name, grad in linear_gradients(LinearFunction, *args).items()}


def cross_entropy_gradient(SoftmaxCrossEntropy, logits, target, scale=1.0):
    """The gradient of ``scale * loss`` with respect to the logits."""
    logits = torch.tensor(logits, requires_grad=True)
    (scale * SoftmaxCrossEntropy.apply(logits, torch.tensor(target))).backward()
    return logits.grad


@hw.test(points=3, partial=True, own=("SoftmaxCrossEntropy.backward",),
         hint="the gradient of -log softmax(z)[t] pushes every class by its probability and the target class "
              "down by one; the loss is a mean over the batch, and the chain rule multiplies by grad_output")
def cross_entropy_backward(SoftmaxCrossEntropy):
    rng = np.random.default_rng(2)
    return {"random logits": cross_entropy_gradient(SoftmaxCrossEntropy, rng.normal(size=(5, 4)), [0, 3, 1, 1, 2]),
            "one example": cross_entropy_gradient(SoftmaxCrossEntropy, rng.normal(size=(1, 3)), [2]),
            "large logits": cross_entropy_gradient(SoftmaxCrossEntropy, [[500.0, -500.0, 0.0], [0.0, 0.0, 900.0]], [1, 2])}


@hw.test(points=2, rtol=1e-6, atol=1e-9, own=("LinearFunction.backward", "SoftmaxCrossEntropy.backward"),
         after=("linear_backward", "cross_entropy_backward"),
         hint="training only puts both backward passes together: get those right first")
def training(LinearFunction, SoftmaxCrossEntropy):
    rng = np.random.default_rng(3)
    x, target = torch.tensor(rng.normal(size=(32, 4))), torch.tensor(rng.integers(0, 3, 32))
    params = [_normal(rng, 8, 4), _normal(rng, 8), _normal(rng, 3, 8), _normal(rng, 3)]
    optimizer = torch.optim.SGD(params, lr=0.1)
    losses = []
    for _ in range(15):
        hidden = torch.relu(LinearFunction.apply(x, params[0], params[1]))
        loss = SoftmaxCrossEntropy.apply(LinearFunction.apply(hidden, params[2], params[3]), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
