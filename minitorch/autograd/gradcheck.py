"""``gradcheck`` / ``gradgradcheck``: compare autograd's gradients with finite differences.

For a function ``f`` of inputs ``x_0, x_1, ...`` and outputs ``y_0, y_1, ...`` every Jacobian
``d y_j / d x_i`` is computed twice, laid out like torch's as ``[input element, output element]``:

* numerically, by central differences ``(f(x + eps) - f(x - eps)) / (2 eps)``, nudging one input
  element at a time (in float64, the reason gradcheck wants double precision inputs);
* analytically, by one backward pass per output element (``autograd.grad`` with a one-hot
  ``grad_output``: a row of the Jacobian).

They must agree like ``allclose``: ``|analytical - numerical| <= atol + rtol * |numerical|``.

>>> import minitorch as torch
>>> x = torch.randn(3, dtype=torch.float64, requires_grad=True)
>>> torch.autograd.gradcheck(torch.sin, (x,))
True
"""

from __future__ import annotations

import warnings

from . import grad_mode

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` / ``gradgradcheck`` when a check fails."""


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _is_tensor(x):
    from .._tensor import Tensor

    return isinstance(x, Tensor)


def _check_inputs(inputs):
    """torch's checks: at least one input requires grad; warn if it is not float64."""
    any_requires_grad = False
    for idx, inp in enumerate(inputs):
        if _is_tensor(inp) and inp.requires_grad:
            if inp.dtype.name not in ("float64", "complex128"):
                warnings.warn(
                    f"Input #{idx} requires gradient and is not a double precision floating point or "
                    "complex. This check will likely fail if all the inputs are not of double precision "
                    "floating point or complex. ", stacklevel=3)
            if not all(st > 0 or sz <= 1 for st, sz in zip(inp.stride(), inp.size())):
                raise RuntimeError(
                    f"The {idx}th input has a dimension with stride 0. gradcheck only supports inputs "
                    "that are non-overlapping to be able to compute the numerical gradients correctly. "
                    "You should call .contiguous on the input before passing it to gradcheck.")
            any_requires_grad = True
    if not any_requires_grad:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True.")


def _to_numpy64(t):
    """A float64 numpy copy of a tensor's values (the Jacobians are built in numpy)."""
    return t._backend.to_numpy(t.detach()._array).astype("float64")


def _numerical_jacobian(func, inputs, eps):
    """Central-difference Jacobians: ``result[i][j]`` is ``d output_j / d input_i`` as a
    ``(input.numel(), output_j.numel())`` float64 numpy array (only inputs requiring grad)."""
    import numpy as np

    inputs = _as_tuple(inputs)

    def evaluate():  # with grad mode on: ``func`` may itself call autograd (gradgradcheck does)
        return [_to_numpy64(o).reshape(-1) for o in _as_tuple(func(*inputs)) if _is_tensor(o)]

    jacobians = []
    for inp in inputs:
        if not (_is_tensor(inp) and inp.requires_grad):
            continue
        per_output = [np.zeros((inp.numel(), out.size)) for out in evaluate()]
        # Nudge one element at a time, writing straight into the storage: no version bump
        # (like torch writing through ``.data``), and non-contiguous inputs work the same way.
        storage = inp._storage
        for k, index in enumerate(np.ndindex(*inp.shape)):
            position = inp._offset + sum(i * s for i, s in zip(index, inp._strides))
            original = storage[position].item()
            storage[position] = original - eps
            minus = evaluate()
            storage[position] = original + eps
            plus = evaluate()
            storage[position] = original
            for jacobian, p, m in zip(per_output, plus, minus):
                jacobian[k] = (p - m) / (2 * eps)
        jacobians.append(per_output)
    return jacobians


def _analytical_jacobian(inputs, output):
    """Autograd's Jacobians of one ``output`` w.r.t. each input requiring grad, one backward pass
    per output element: ``result[i]`` has shape ``(input_i.numel(), output.numel())``."""
    import numpy as np

    from . import grad
    from .. import eye

    diff_inputs = [i for i in _as_tuple(inputs) if _is_tensor(i) and i.requires_grad]
    jacobians = [np.zeros((i.numel(), output.numel())) for i in diff_inputs]
    if not output.requires_grad:
        return jacobians
    basis = eye(output.numel(), dtype=output.dtype, device=output.device)
    for j in range(output.numel()):
        one_hot = basis[j].reshape(output.shape).clone()  # a fresh tensor, like a user's grad_output
        grads = grad(output, diff_inputs, one_hot, retain_graph=True, allow_unused=True)
        for i, (g, inp) in enumerate(zip(grads, diff_inputs)):
            if g is None:
                continue
            if g.shape != inp.shape:
                raise GradcheckError("Analytical gradient has incorrect size")
            jacobians[i][:, j] = _to_numpy64(g).reshape(-1)
    return jacobians


def _grad_dtypes_ok(inputs, outputs):
    """``check_grad_dtypes``: every gradient has its input's dtype."""
    from . import grad

    diff_inputs = [i for i in inputs if _is_tensor(i) and i.requires_grad]
    for out in outputs:
        if out.requires_grad and out.numel():
            from .. import ones_like

            grads = grad(out, diff_inputs, ones_like(out), retain_graph=True, allow_unused=True)
            for g, inp in zip(grads, diff_inputs):
                if g is not None and g.dtype != inp.dtype:
                    raise GradcheckError("Gradient has dtype mismatch")


def _jacobian_mismatch(i, j, numerical, analytical):
    from .. import tensor

    return (f"Jacobian mismatch for output {j} with respect to input {i},\n"
            f"numerical:{tensor(numerical)}\nanalytical:{tensor(analytical)}\n")


def _fail(message, raise_exception):
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradcheck(func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    """Check autograd's gradients of ``func(*inputs)`` against central finite differences.

    Only inputs that are tensors with ``requires_grad=True`` are checked (others are passed
    through unchanged); ``func`` may return a tensor or a tuple of tensors. Returns ``True``, or
    raises ``GradcheckError`` ("Jacobian mismatch for output j with respect to input i, ...").
    With ``raise_exception=False`` a failure returns ``False`` instead.

    The full ("slow mode") backward check always runs. minitorch has no forward-mode AD, vmap
    or sparse tensors, so ``check_forward_ad``, ``check_batched_grad`` and ``masked`` add no
    checks and ``fast_mode`` changes nothing; its backward is deterministic (``nondet_tol`` is
    moot), and each output's Jacobian is computed with the other outputs' gradients undefined,
    which is what ``check_undefined_grad`` asks for.

    >>> import minitorch as torch
    >>> x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    >>> torch.autograd.gradcheck(lambda a: (a * a).sum(1), (x,))
    True
    """
    import numpy as np

    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    with grad_mode.enable_grad():
        outputs = [o for o in _as_tuple(func(*inputs)) if _is_tensor(o)]
    numerical = _numerical_jacobian(func, inputs, eps)

    if not any(o.requires_grad for o in outputs):
        # Nothing to differentiate: the function must then truly not depend on its inputs.
        if any(np.any(n != 0) for per_input in numerical for n in per_input):
            return _fail("Numerical gradient for function expected to be zero", raise_exception)
        return True
    if not check_backward_ad:
        return True
    if check_grad_dtypes:
        _grad_dtypes_ok(inputs, outputs)
    for j, out in enumerate(outputs):
        analytical = _analytical_jacobian(inputs, out)
        for i, (n, a) in enumerate(zip((per_input[j] for per_input in numerical), analytical)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                return _fail(_jacobian_mismatch(i, j, n, a), raise_exception)
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-06, atol=1e-05, rtol=0.001,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    """Check second derivatives: ``gradcheck`` of the map ``(inputs, v) -> v^T J(inputs)``.

    That map is autograd's backward pass run with ``create_graph=True``, so this tests that every
    backward formula is itself differentiable. ``grad_outputs`` (the ``v``) default to random
    values in [-1, 1) that also require grad (so the backward's linearity in ``v`` is checked too).

    >>> import minitorch as torch
    >>> x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    >>> torch.autograd.gradgradcheck(lambda a: a ** 3, (x,))
    True
    """
    from . import grad
    from .. import rand

    inputs = _as_tuple(inputs)
    with grad_mode.enable_grad():
        outputs = [o for o in _as_tuple(func(*inputs)) if _is_tensor(o) and o.requires_grad]
    if grad_outputs is None:
        def random_like(o):
            dtype = o.dtype if o.dtype.is_floating_point else None
            if gen_non_contig_grad_outputs:  # every other element of a twice-as-long last dim
                big = rand(*o.shape[:-1], 2 * o.shape[-1], dtype=dtype, device=o.device) if o.dim() else None
                v = big[..., ::2] if big is not None else rand((), dtype=dtype, device=o.device)
            else:
                v = rand(o.shape, dtype=dtype, device=o.device)
            return (v * 2 - 1).detach().requires_grad_()
        grad_outputs = tuple(random_like(o) for o in outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_inputs = len(inputs)

    def first_derivative(*args):
        ins, vs = args[:n_inputs], args[n_inputs:]
        outs = [o for o in _as_tuple(func(*ins)) if _is_tensor(o) and o.requires_grad]
        diff_inputs = [i for i in ins if _is_tensor(i) and i.requires_grad]
        grads = grad(outs, diff_inputs, list(vs), create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad, check_grad_dtypes=check_grad_dtypes,
                     fast_mode=fast_mode)
