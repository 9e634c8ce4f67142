"""``minitorch.autograd``: Function, backward/grad, grad modes, gradcheck, anomaly detection."""

from __future__ import annotations

from .. import _tensor  # the module: _tensor imports this package first (Tensor is found at call time)
from . import anomaly_mode, grad_mode  # noqa: F401
from .anomaly_mode import (detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled,  # noqa: F401
                           set_detect_anomaly)
from .engine import run_backward
from .function import Function  # noqa: F401
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled,  # noqa: F401
                        no_grad, set_grad_enabled)

# ``minitorch.autograd.gradcheck`` is the function, as in torch (the module stays importable:
# ``from minitorch.autograd.gradcheck import GradcheckError``).
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402,F401  isort:skip


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, _tensor.Tensor):
        return (x,)
    if isinstance(x, dict):  # e.g. dict(model.named_parameters())
        return tuple(x.values())
    return tuple(x)


def _make_grads(outputs, grads):
    """The gradient each output starts from: given, or 1 for a scalar output."""
    result = []
    for i, (out, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not out.dtype.is_floating_point:
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {out.dtype}")
            if not out._shape:  # ``loss.backward()``: the 0-d one that ones_like gives, ~6 µs sooner
                g = _tensor.Tensor._wrap(out._backend.xp.ones((), out.dtype.np), out.device)
            else:
                from .. import ones_like

                g = ones_like(out)
        elif g.shape != out.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                               f"output[{i}] has a shape of {out.shape}.")
        result.append(g)
    return result


def _check_outputs(outputs, grads):
    grads = _as_tuple(grads) or (None,) * len(outputs)
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    for i, t in enumerate(outputs):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    return _make_grads(outputs, grads)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Add d(tensors)/d(leaf) into the ``.grad`` of every leaf that requires grad (only of
    ``inputs``, when given). ``tensor.backward(...)`` calls this.

    >>> import minitorch as torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> torch.autograd.backward((x * x).sum())
    >>> x.grad
    tensor([2., 4.])
    """
    tensors = _as_tuple(tensors)
    inputs = _as_tuple(inputs)
    if inputs is not None and not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    grads = _check_outputs(tensors, grad_tensors if grad_tensors is not None else grad_variables)
    retain_graph = create_graph if retain_graph is None else retain_graph
    run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return d(outputs)/d(inputs) as a tuple, without touching any ``.grad``.

    >>> import minitorch as torch
    >>> x = torch.tensor(3.0, requires_grad=True)
    >>> torch.autograd.grad(x ** 3, x, create_graph=True)
    (tensor(27., grad_fn=<MulBackward0>),)
    """
    if is_grads_batched:
        raise NotImplementedError("minitorch has no vmap: is_grads_batched=True is not supported")
    if allow_unused is False and materialize_grads:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    grads = _check_outputs(outputs, grad_outputs)
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    retain_graph = create_graph if retain_graph is None else retain_graph
    result = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, accumulate=False)
    for i, g in enumerate(result):
        if g is None and not (allow_unused or materialize_grads):
            raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used in the "
                               "graph. Set allow_unused=True if this is the desired behavior.")
    if materialize_grads:
        from .. import zeros_like

        result = [zeros_like(t) if g is None else g for g, t in zip(result, inputs)]
    return tuple(result)


class Variable:
    """Old PyTorch wrapper (``Variable(x, requires_grad=True)``): returns a tensor today."""

    def __new__(cls, data, requires_grad=False, volatile=False):
        return data.detach().requires_grad_(requires_grad) if requires_grad else data
