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


hw = Assignment(
    "hw05_backprop",
    title="Backpropagation by hand",
    reference={"LinearFunction": _LibraryLinear, "SoftmaxCrossEntropy": _LibraryCrossEntropy},
    banned={**{f"minitorch.nn.functional.{name}": _BY_HAND
               for name in ("linear", "cross_entropy", "nll_loss", "softmax", "log_softmax")},
            **{f"minitorch.{name}": _BY_HAND for name in ("softmax", "log_softmax", "autograd.grad")},
            **{f"minitorch.Tensor.{name}": _BY_HAND for name in ("softmax", "log_softmax")},
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


@hw.test(points=3, partial=True,
         hint="for y = x W^T + b: grad_input = grad_output @ W, grad_weight = grad_output^T @ x, "
              "grad_bias = grad_output summed over the batch")
def linear_backward(LinearFunction):
    return {f"{shape} {name}": grad for shape, args in (("(4, 3) -> 2", (4, 3, 2, 0)), ("(1, 5) -> 3", (1, 5, 3, 1)))
            for name, grad in linear_gradients(LinearFunction, *args).items()}


def cross_entropy_gradient(SoftmaxCrossEntropy, logits, target, scale=1.0):
    """The gradient of ``scale * loss`` with respect to the logits."""
    logits = torch.tensor(logits, requires_grad=True)
    (scale * SoftmaxCrossEntropy.apply(logits, torch.tensor(target))).backward()
    return logits.grad


@hw.test(points=3, partial=True,
         hint="d loss / d logits = (softmax(logits) - one_hot(target)) / batch size, times grad_output")
def cross_entropy_backward(SoftmaxCrossEntropy):
    rng = np.random.default_rng(2)
    return {"random logits": cross_entropy_gradient(SoftmaxCrossEntropy, rng.normal(size=(5, 4)), [0, 3, 1, 1, 2]),
            "one example": cross_entropy_gradient(SoftmaxCrossEntropy, rng.normal(size=(1, 3)), [2]),
            "large logits": cross_entropy_gradient(SoftmaxCrossEntropy, [[500.0, -500.0, 0.0], [0.0, 0.0, 900.0]], [1, 2])}


@hw.test(points=2, rtol=1e-6, atol=1e-9, hint="get both backward passes right first: training only puts them together")
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
