"""``minitorch.autograd``: Function, backward/grad, grad modes, gradcheck, anomaly detection."""

from __future__ import annotations

from .engine import run_backward
from .function import Function, _anomaly  # noqa: F401
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401
# ``minitorch.autograd.gradcheck`` is the function (as in torch; the module stays importable as
# ``from minitorch.autograd.gradcheck import GradcheckError``).
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402,F401


def _make_grads(tensors, grads):
    from .. import ones_like

    out = []
    for t, g in zip(tensors, grads):
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not t.dtype.is_floating_point:
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {t.dtype}")
            g = ones_like(t)
        elif g.shape != t.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {g.shape} and output[0] has a shape of {t.shape}.")
        out.append(g)
    return out


def _as_list(x):
    from .._tensor import Tensor

    if x is None:
        return None
    return [x] if isinstance(x, Tensor) else list(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into the ``.grad`` of every leaf that requires grad."""
    tensors = _as_list(tensors)
    grads = _as_list(grad_tensors) or [None] * len(tensors)
    for t in tensors:
        if not t.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    retain_graph = create_graph if retain_graph is None else retain_graph
    run_backward(tensors, _make_grads(tensors, grads), retain_graph, create_graph, inputs=_as_list(inputs))


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return d(outputs)/d(inputs) as a tuple, without touching any ``.grad``.

    >>> import minitorch as torch
    >>> x = torch.tensor(3.0, requires_grad=True)
    >>> torch.autograd.grad(x ** 3, x, create_graph=True)
    (tensor(27., grad_fn=<MulBackward0>),)
    """
    outputs, inputs = _as_list(outputs), _as_list(inputs)
    grads = _as_list(grad_outputs) or [None] * len(outputs)
    for t in outputs:
        if not t.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    retain_graph = create_graph if retain_graph is None else retain_graph
    result = run_backward(outputs, _make_grads(outputs, grads), retain_graph, create_graph, inputs=inputs,
                          accumulate=False, allow_unused=bool(allow_unused) or materialize_grads)
    if materialize_grads:
        from .. import zeros_like

        result = [zeros_like(i) if g is None else g for g, i in zip(result, inputs)]
    return tuple(result)


class Variable:
    """Old PyTorch wrapper (``Variable(x, requires_grad=True)``): returns a tensor today."""

    def __new__(cls, data, requires_grad=False, volatile=False):
        return data.detach().requires_grad_(requires_grad) if requires_grad else data
