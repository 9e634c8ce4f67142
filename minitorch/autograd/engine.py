"""The backward engine: walks the graph from the outputs to the leaves, without recursion.

1. Count, for every reachable node, how many consumers will send it a gradient.
2. Start from the roots; a node runs once all its consumers have sent their gradients
   (summed in a buffer) - so a tensor used twice gets the sum of both paths.
3. Each node's ``backward`` returns one gradient per input; the engine undoes broadcasting
   (``sum_to_shape``) and casts to the input's dtype in this one place, then passes them on.
"""

from __future__ import annotations

from . import grad_mode
from .function import AccumulateGrad, _anomaly


def sum_to_shape(grad, shape):
    """Sum ``grad`` over the dims that broadcasting added or stretched, to get back ``shape``.

    >>> import minitorch as torch
    >>> sum_to_shape(torch.ones(2, 3), (3,))
    tensor([2., 2., 2.])
    """
    if grad.shape == shape:
        return grad
    lead = grad.dim() - len(shape)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and grad.shape[i + lead] != 1)
    if dims:
        grad = grad.sum(dims, keepdim=True)
    return grad.reshape(shape) if lead or grad.shape != shape else grad


def _is_expandable(shape, target):
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


def _check_grad(node, index, grad, meta):
    shape, dtype, device = meta
    if grad.shape != shape:
        if not _is_expandable(shape, grad.shape):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - got "
                f"{list(grad.shape)} but expected shape compatible with {list(shape)}")
        grad = sum_to_shape(grad, shape)
    if grad.dtype is not dtype:
        grad = grad.to(dtype)
    if _anomaly["enabled"] and grad.dtype.is_floating_point and bool(grad.isnan().any()):
        where = f"\nThe forward call that created it:\n{node._trace}" if node._trace else ""
        raise RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th output.{where}")
    return grad


def _graph(roots):
    """Dependency counts of every node reachable from ``roots`` and a topological order."""
    deps, order, stack, seen = {}, [], list(roots), set(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps, order


def _needed(order, targets):
    """Nodes from which some target node can be reached (the others need not run)."""
    consumers = {}
    for node in order:
        for nxt, _ in node.next_functions:
            consumers.setdefault(nxt, []).append(node)
    needed, stack = set(targets), list(targets)
    while stack:
        for parent in consumers.get(stack.pop(), ()):
            if parent not in needed:
                needed.add(parent)
                stack.append(parent)
    return needed


def _accumulate(tensor, grad, create_graph):
    """Add ``grad`` into ``tensor.grad`` as PyTorch does (a fresh tensor the first time)."""
    if tensor.grad is None:
        tensor.grad = grad if create_graph else grad.detach().clone()
    elif create_graph:
        tensor.grad = tensor.grad + grad
    else:
        with grad_mode.no_grad():
            tensor.grad.add_(grad)


def run_backward(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None,
                 accumulate=True, allow_unused=True):
    """Backpropagate from ``tensors``; accumulate into leaves, or return grads for ``inputs``."""
    roots, root_grads = [], []
    for t, g in zip(tensors, grad_tensors):
        node, nr = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._grad_accumulator(), 0)
        roots.append((node, nr, g))
    root_nodes = list(dict.fromkeys(n for n, _, _ in roots))
    deps, order = _graph(root_nodes)

    targets = {}  # (node, output_nr) -> position in ``inputs``
    if inputs is not None:
        for i, t in enumerate(inputs):
            key = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._grad_accumulator(), 0)
            targets[key] = i
        needed = _needed(order, {n for n, _ in targets})
    captured = [None] * (len(inputs) if inputs is not None else 0)

    buffers = {}
    for node, nr, g in roots:
        buf = buffers.setdefault(node, [None] * len(node._output_meta))
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    ready = [n for n in root_nodes if deps.get(n, 0) == 0]
    prev_mode = grad_mode._state["enabled"]
    grad_mode._state["enabled"] = create_graph
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None) or [None] * len(node._output_meta)
            _run_tensor_hooks(node, grads, create_graph)
            for nr, g in enumerate(grads):
                if (node, nr) in targets and g is not None:
                    captured[targets[(node, nr)]] = g
            in_grads = ()
            if isinstance(node, AccumulateGrad):
                if accumulate and grads[0] is not None and (inputs is None or (node, 0) in targets):
                    _accumulate(node.variable, grads[0], create_graph)
            elif any(g is not None for g in grads) and (inputs is None or node in needed):
                if node.materialize_grads:
                    grads = [_zeros(meta) if g is None and meta else g for g, meta in zip(grads, node._output_meta)]
                in_grads = node.apply(*grads)
                if not isinstance(in_grads, tuple):
                    in_grads = (in_grads,)
                if len(in_grads) != len(node.next_functions):
                    raise RuntimeError(
                        f"function {node.name()} returned an incorrect number of gradients "
                        f"(expected {len(node.next_functions)}, got {len(in_grads)})")
                if not retain_graph:
                    node._release()
            for i, (nxt, nr) in enumerate(node.next_functions):
                if nxt is None:
                    continue
                g = in_grads[i] if i < len(in_grads) else None
                if g is not None:
                    g = _check_grad(node, i, g, node._input_meta[i])
                    buf = buffers.setdefault(nxt, [None] * len(nxt._output_meta))
                    buf[nr] = g if buf[nr] is None else buf[nr] + g
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    ready.append(nxt)
    finally:
        grad_mode._state["enabled"] = prev_mode
    if inputs is not None:
        if accumulate:
            for t, g in zip(inputs, captured):
                if g is not None and t.grad_fn is not None:
                    _accumulate(t, g, create_graph)
        elif not allow_unused and any(g is None for g in captured):
            raise RuntimeError(
                "One of the differentiated Tensors appears to not have been used in the graph. "
                "Set allow_unused=True if this is the desired behavior.")
    return captured


def _run_tensor_hooks(node, grads, create_graph):
    """Hooks registered with ``Tensor.register_hook`` / ``retain_grad`` on this node's outputs."""
    if isinstance(node, AccumulateGrad):
        hooks = node.variable.__dict__.get("_hooks")
        if hooks and grads[0] is not None:
            for hook in list(hooks.values()):
                result = hook(grads[0])
                if result is not None:
                    grads[0] = result
        return
    if node._tensor_hooks:
        for nr, hooks in node._tensor_hooks.items():
            for hook in list(hooks.values()):
                if grads[nr] is not None:
                    result = hook(grads[nr])
                    if result is not None:
                        grads[nr] = result
    if node._retained:
        for nr, ref in node._retained.items():
            tensor = ref()
            if tensor is not None and grads[nr] is not None:
                _accumulate(tensor, grads[nr], create_graph)


def _zeros(meta):
    from .. import zeros

    shape, dtype, device = meta
    return zeros(shape, dtype=dtype, device=device)
