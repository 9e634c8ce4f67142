"""``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``, ``jacfwd``, ``hessian``: JAX-style
function transforms built on minitorch's autograd.

Each transform calls the function on inputs that track gradients, then asks autograd for the
derivative. Inside another transform (``hessian``, ``jacrev(jacrev(f))``, ``vmap(grad(f))``) the
inner one builds its gradient with ``create_graph=True``, so the outer one can differentiate it
again: that is how they compose.
"""

from __future__ import annotations

import functools

from ._pytree import tree_flatten, tree_unflatten

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian"]

_depth = [0]  # how many transforms are running around the current call


def _tensor_class():
    from .._tensor import Tensor

    return Tensor


def _check_tensors(leaves):
    Tensor = _tensor_class()
    for leaf in leaves:
        if not isinstance(leaf, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(leaf)}")


def _track(t):
    """A version of ``t`` whose gradient autograd will compute: a fresh leaf, or, when ``t``
    already tracks gradients for an outer transform, an alias still connected to it."""
    if not t.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    return t.view_as(t) if t.requires_grad else t.detach().requires_grad_()


def _nested(tracked):
    """Whether the caller will differentiate our result again (so the gradient needs a graph)."""
    return _depth[0] > 1 or any(t.grad_fn is not None for t in tracked)


def _grads(outputs, inputs, cotangents, create_graph):
    """d(outputs)/d(inputs) contracted with ``cotangents``; zeros where an input is unused."""
    from .. import autograd, zeros_like

    live = [(o, c) for o, c in zip(outputs, cotangents) if o.requires_grad]
    if not live:
        return [zeros_like(x) for x in inputs]
    result = autograd.grad([o for o, _ in live], inputs, [c for _, c in live], retain_graph=True,
                           create_graph=create_graph, allow_unused=True)
    return [zeros_like(x) if g is None else g for g, x in zip(result, inputs)]


def _argnums_tuple(argnums, n_args):
    if isinstance(argnums, bool) or not isinstance(argnums, (int, tuple)) or \
            (isinstance(argnums, tuple) and not all(isinstance(a, int) for a in argnums)):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    chosen = argnums if isinstance(argnums, tuple) else (argnums,)
    if isinstance(argnums, tuple) and not argnums:
        raise RuntimeError("argnums must be non-empty")
    for a in chosen:
        if not -n_args <= a < n_args:
            raise RuntimeError(f"Got argnum={a}, but only {n_args} positional inputs")
    return tuple(a % n_args for a in chosen)


def _split_aux(output, has_aux, api):
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{api}(f)(*args): output of function f should be a tuple: (output, aux) "
                           "if has_aux is True")
    return output


def _detach_tree(tree, keep):
    Tensor = _tensor_class()
    leaves, spec = tree_flatten(tree)
    for leaf in leaves:
        if not isinstance(leaf, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(leaf)}")
    return tree if keep else tree_unflatten([leaf.detach() for leaf in leaves], spec)


class _Transform:
    """``with _Transform():`` around a transform's work: counts the nesting depth and turns grad
    mode on (a transform differentiates even inside ``torch.no_grad()``)."""

    def __enter__(self):
        from .. import enable_grad

        _depth[0] += 1
        self._grad_mode = enable_grad()
        self._grad_mode.__enter__()

    def __exit__(self, *exc):
        self._grad_mode.__exit__(*exc)
        _depth[0] -= 1


def _diff_call(func, args, kwargs, argnums):
    """Call ``func`` with the ``argnums`` arguments tracked; returns (output, tracked leaves per
    argnum, their tree specs)."""
    args = list(args)
    tracked, specs = [], []
    for i in argnums:
        leaves, spec = tree_flatten(args[i])
        _check_tensors(leaves)
        leaves = [_track(t) for t in leaves]
        args[i] = tree_unflatten(leaves, spec)
        tracked.append(leaves)
        specs.append(spec)
    return func(*args, **kwargs), tracked, specs


def grad_and_value(func, argnums=0, has_aux=False):
    """Like :func:`grad`, but the returned function gives ``(gradient, value)`` (``((gradient,
    (value, aux))`` with ``has_aux``), computing ``func`` once.

    >>> import minitorch as torch
    >>> from minitorch.func import grad_and_value
    >>> grad_and_value(lambda x: (x ** 2).sum())(torch.tensor([1.0, 2.0]))
    (tensor([2., 4.]), tensor(5.))
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        Tensor = _tensor_class()
        chosen = _argnums_tuple(argnums, len(args))
        with _Transform():
            output, tracked, specs = _diff_call(func, args, kwargs, chosen)
            output, aux = _split_aux(output, has_aux, "grad_and_value")
            if not isinstance(output, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, "
                                   f"got {type(output)}")
            if output.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                                   f"tensor with {output.dim()} dims. Maybe you wanted to use the vjp or jacrev "
                                   "APIs instead?")
            flat = [t for leaves in tracked for t in leaves]
            keep = _nested(flat)
            grads = _grads([output], flat, [None], keep)
        grads = [g if keep else g.detach() for g in grads]
        per_arg, start = [], 0
        for leaves, spec in zip(tracked, specs):
            per_arg.append(tree_unflatten(grads[start:start + len(leaves)], spec))
            start += len(leaves)
        result = per_arg[0] if isinstance(argnums, int) else tuple(per_arg)
        value = output if keep else output.detach()
        return (result, (value, _detach_tree(aux, keep))) if has_aux else (result, value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """The gradient of ``func`` (which must return a scalar tensor) with respect to its argument
    number ``argnums`` (a tuple of numbers: a tuple of gradients), as a new function. The argument
    may be a tensor or a tuple/list/dict of tensors; the gradient has the same structure.

    >>> import minitorch as torch
    >>> from minitorch.func import grad
    >>> grad(lambda x: x.sin().sum())(torch.tensor([0.0]))
    tensor([1.])
    >>> grad(grad(lambda x: x ** 3))(torch.tensor(2.0))   # d2/dx2 x^3 = 6x
    tensor(12.)
    """
    value_and_grad = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gradient, value = value_and_grad(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient
    return wrapper


def _vjp(func, primals, has_aux):
    """vjp's work, for use inside a running transform: (output, vjp_fn, aux, keep), ``keep``
    saying whether the results stay differentiable for an enclosing transform."""
    output, tracked, specs = _diff_call(func, primals, {}, tuple(range(len(primals))))
    output, aux = _split_aux(output, has_aux, "vjp")
    out_leaves, out_spec = tree_flatten(output)
    _check_tensors(out_leaves)
    flat = [t for leaves in tracked for t in leaves]
    keep = _nested(flat)

    def vjp_fn(*cotangents):
        cotangents = cotangents[0] if len(cotangents) == 1 else cotangents
        cot_leaves, _ = tree_flatten(cotangents)
        if len(cot_leaves) != len(out_leaves):
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of "
                               f"outputs to the function: {len(cot_leaves)} vs {len(out_leaves)} tensors")
        with _Transform():
            grads = _grads(out_leaves, flat, cot_leaves, keep or any(c.requires_grad for c in cot_leaves))
        per_arg, start = [], 0
        for leaves, spec in zip(tracked, specs):
            per_arg.append(tree_unflatten(grads[start:start + len(leaves)], spec))
            start += len(leaves)
        return tuple(per_arg)

    value = output if keep else tree_unflatten([o.detach() for o in out_leaves], out_spec)
    return value, vjp_fn, (_detach_tree(aux, keep) if has_aux else None), keep


def vjp(func, *primals, has_aux=False):
    """``(func(*primals), vjp_fn)``: ``vjp_fn(v)`` is the vector-Jacobian product ``v^T J``, one
    entry per primal; ``v`` has the shape (structure) of the output. ``vjp_fn`` can be called
    many times.

    >>> import minitorch as torch
    >>> from minitorch.func import vjp
    >>> out, vjp_fn = vjp(torch.sin, torch.tensor([0.0, 1.0]))
    >>> vjp_fn(torch.ones(2))
    (tensor([1.0000, 0.5403]),)
    """
    with _Transform():
        value, vjp_fn, aux, _ = _vjp(func, primals, has_aux)
    return (value, vjp_fn, aux) if has_aux else (value, vjp_fn)


def _transposed(vjp_fn, value):
    """(back, dummies): ``back = vjp_fn(u)`` for cotangents ``u`` (the dummies) that track
    gradients. ``back = J^T u`` is linear in ``u``; its vjp with cotangent ``t`` is ``J t``."""
    out_leaves, out_spec = tree_flatten(value)
    dummies = [o.detach().new_zeros(o.shape).requires_grad_() for o in out_leaves]
    return tree_flatten(vjp_fn(tree_unflatten(dummies, out_spec)))[0], dummies


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(func(*primals), J @ tangents)``: the Jacobian-vector product (forward mode), computed
    here by the "double-vjp" trick (see ``_transposed``) instead of dual numbers.

    >>> import minitorch as torch
    >>> from minitorch.func import jvp
    >>> jvp(torch.sin, (torch.tensor([0.0]),), (torch.tensor([2.0]),))
    (tensor([0.]), tensor([2.]))
    """
    if not isinstance(primals, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should be valid "
                           "to call f(*primals).")
    if not isinstance(tangents, tuple) or len(tangents) != len(primals):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to be tuples of the same "
                           f"length, got {len(primals)} primals")
    with _Transform():
        value, vjp_fn, aux, keep = _vjp(func, primals, has_aux)
        back, dummies = _transposed(vjp_fn, value)
        tan_leaves = tree_flatten(tangents)[0]
        _check_tensors(tan_leaves)
        directional = _grads(back, dummies, tan_leaves, keep or any(t.requires_grad for t in tan_leaves))
    tangent_out = tree_unflatten(directional, tree_flatten(value)[1])
    return (value, tangent_out, aux) if has_aux else (value, tangent_out)


def _one_hots(leaves):
    """For every element of every tensor in ``leaves``: a list of zero tensors shaped like
    ``leaves`` with a single 1 at that element (the basis vectors of a Jacobian's rows/columns)."""
    for k, x in enumerate(leaves):
        for i in range(x.numel()):
            basis = [t.new_zeros(t.shape) for t in leaves]
            basis[k].view(-1)[i] = 1
            yield basis


def _offsets(leaves):
    """(first flat index, tensor) for each tensor of ``leaves``, counting elements."""
    start = 0
    for x in leaves:
        yield start, x
        start += x.numel()


def _jacobian(func, argnums, has_aux, forward):
    """Shared by jacrev/jacfwd: the Jacobian of every output w.r.t. every chosen input, shaped
    ``output.shape + input.shape``, by reverse mode (one vjp per output element) or forward mode
    (one jvp per input element)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .. import stack

        chosen = _argnums_tuple(argnums, len(args))

        def partial(*diff_args):
            full = list(args)
            for i, a in zip(chosen, diff_args):
                full[i] = a
            return func(*full, **kwargs)

        primals = tuple(args[i] for i in chosen)
        in_leaves = tree_flatten(primals)[0]
        with _Transform():
            value, vjp_fn, aux, keep = _vjp(partial, primals, has_aux)
            out_leaves, out_spec = tree_flatten(value)
            if forward:  # column j = J e_j
                back, dummies = _transposed(vjp_fn, value)
                columns = [_grads(back, dummies, e, keep) for e in _one_hots(in_leaves)]
                blocks = [[stack([c[o] for c in columns[start:start + x.numel()]], -1).reshape(*y.shape, *x.shape)
                           for start, x in _offsets(in_leaves)] for o, y in enumerate(out_leaves)]
            else:  # row i = e_i^T J
                rows = [tree_flatten(vjp_fn(tree_unflatten(e, out_spec)))[0] for e in _one_hots(out_leaves)]
                blocks = [[stack([r[k] for r in rows[start:start + y.numel()]]).reshape(*y.shape, *x.shape)
                           for k, x in enumerate(in_leaves)] for start, y in _offsets(out_leaves)]
        per_output = []
        for row in blocks:  # regroup each output's blocks by argument: tuple argnums -> tuple
            per_arg, start = [], 0
            for i in chosen:
                leaves, spec = tree_flatten(args[i])
                per_arg.append(tree_unflatten(row[start:start + len(leaves)], spec))
                start += len(leaves)
            per_output.append(per_arg[0] if isinstance(argnums, int) else tuple(per_arg))
        jac = tree_unflatten(per_output, out_spec)
        return (jac, aux) if has_aux else jac
    return wrapper


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """The Jacobian of ``func`` w.r.t. argument ``argnums`` by reverse mode: one vjp per output
    element. Shape: ``output.shape + input.shape``. (``chunk_size`` is accepted and ignored: rows
    are computed one at a time.)

    >>> import minitorch as torch
    >>> from minitorch.func import jacrev
    >>> jacrev(lambda x: x ** 2)(torch.tensor([1.0, 2.0]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    return _jacobian(func, argnums, has_aux, forward=False)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian of ``func`` by forward mode: one jvp (here a double vjp) per input element,
    cheaper than ``jacrev`` when there are fewer inputs than outputs. Same result and shape.
    (``randomness`` is accepted for torch's signature; nothing here is vmapped, so it has no effect.)

    >>> import minitorch as torch
    >>> from minitorch.func import jacfwd
    >>> jacfwd(lambda x: x.sum(0))(torch.ones(2, 2))
    tensor([[[1., 0.],
             [1., 0.]],
    <BLANKLINE>
            [[0., 1.],
             [0., 1.]]])
    """
    return _jacobian(func, argnums, has_aux, forward=True)


def hessian(func, argnums=0):
    """The matrix of second derivatives of a scalar ``func``: ``jacfwd(jacrev(func))``.

    >>> import minitorch as torch
    >>> from minitorch.func import hessian
    >>> hessian(lambda x: (x ** 3).sum())(torch.tensor([1.0, 2.0]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    return jacfwd(jacrev(func, argnums), argnums)
