"""The backward engine: walks the graph from the outputs to the leaves, without recursion.

1. Count, for every reachable node, how many edges will bring it a gradient.
2. Start from the roots; a node runs once all its consumers have sent their gradients
   (summed in a buffer) - so a tensor used twice gets the sum of both paths. Among the nodes
   that are ready, the most recently created runs first (torch's order).
3. Each node's ``backward`` returns one gradient per forward argument; the engine checks them,
   undoes broadcasting (``sum_to_shape``) and casts to the input's dtype in this one place,
   then passes them along ``next_functions``. Saved tensors are freed once a node has run
   (unless ``retain_graph``), so a training loop does not keep old activations alive.
"""

from __future__ import annotations

import heapq
import warnings

from .. import _strides, _tensor
from . import anomaly_mode, grad_mode
from .function import AccumulateGrad


def sum_to_shape(grad, shape):
    """Sum ``grad`` over the dims that broadcasting added or stretched, to get back ``shape``.

    >>> import minitorch as torch
    >>> sum_to_shape(torch.ones(2, 3), (3,))
    tensor([2., 2., 2.])
    """
    if grad._shape == shape:
        return grad
    lead = grad.dim() - len(shape)
    stretched = tuple(i + lead for i, s in enumerate(shape) if s == 1 and grad._shape[i + lead] != 1)
    if not grad_mode._state["enabled"]:
        # Speed (every nn.Linear's bias gradient): nothing records these sums, so they run on the
        # array, the same numpy calls as ``Tensor.sum`` makes, without its op machinery (~10 µs).
        # ``Tensor.sum`` lays its result out row-major: so do these, or the second sum could add
        # in another order (other bits).
        xp, arr = grad._backend.xp, grad._array
        if stretched:
            arr = xp.asarray(arr.sum(axis=stretched, keepdims=True, dtype=arr.dtype), order="C")
        if lead:
            arr = xp.asarray(arr.sum(axis=tuple(range(lead)), dtype=arr.dtype), order="C")
        return _tensor.Tensor._wrap(arr, grad.device)
    if stretched:
        grad = grad.sum(stretched, keepdim=True)
    if lead:  # dims that broadcasting put in front: summed away
        grad = grad.sum(tuple(range(lead)))
    return grad


def _is_expandable(shape, target):
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


# ---- running one node ----------------------------------------------------------------------

def _call_node(node, grads, check_nan=False):
    """Run ``node``'s backward on its output grads; return one checked grad per edge
    (``check_nan``: anomaly mode's check of every gradient)."""
    # a node runs only once some gradient reached it: a one-output node has nothing to fill in
    if len(grads) > 1 and node.materialize_grads and any(g is None for g in grads):
        grads = [_zeros(meta) if g is None and meta else g for g, meta in zip(grads, node._output_meta)]
    if node._pre_hooks:
        for hook in list(node._pre_hooks.values()):
            result = hook(tuple(grads))
            if result is not None:
                grads = list(result)
    out = node.apply(*grads)
    if not isinstance(out, tuple):
        out = (out,)
    if not node._builtin:  # the kit's own backward formulas are trusted: ~1 µs a node saved
        _check_user_grads(node, out)
    in_grads = []
    for slot, meta in zip(node._input_slots, node._input_meta):
        g = out[slot] if meta else None
        if g is not None and (g._shape != meta[0] or g.dtype is not meta[1] or check_nan):
            g = _shape_grad(node, len(in_grads), g, meta)  # called only when there is work: most edges have none
        in_grads.append(g)
    if node._hooks:
        for hook in list(node._hooks.values()):
            result = hook(tuple(in_grads), tuple(grads))
            if result is not None:
                in_grads = list(result)
    return in_grads


def _check_user_grads(node, out):
    """A custom Function's ``backward`` returned one tensor (or None) per forward argument,
    and None for the arguments that were not tensors."""
    if len(out) < node._n_args or any(g is not None for g in out[node._n_args:]):
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {node._n_args}, got {len(out)})")
    for i, g in enumerate(out[:node._n_args]):
        if g is not None and not isinstance(g, _tensor.Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
        if g is not None and i not in node._input_slots:
            raise RuntimeError(f"function {node.name()} returned a gradient different than None at position "
                               f"{i + 1}, but the corresponding forward input was not a Variable")


def _shape_grad(node, index, grad, meta):
    """Undo broadcasting and cast to the input's dtype (the one place this happens)."""
    shape, dtype, device = meta
    if grad._shape != shape:
        if not _is_expandable(shape, grad._shape):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - got "
                f"{list(grad.shape)} but expected shape compatible with {list(shape)}")
        grad = sum_to_shape(grad, shape)
    if grad.dtype is not dtype:
        grad = grad.to(dtype)
    if anomaly_mode._state["enabled"]:
        anomaly_mode.check_nan(node, index, grad)
    return grad


def _zeros(meta):
    from .. import zeros

    shape, dtype, device = meta
    return zeros(shape, dtype=dtype, device=device)


def _run_tensor_hooks(node, grads, create_graph):
    """Hooks from ``Tensor.register_hook`` on this node's outputs (a hook may replace the
    gradient), then ``retain_grad`` (which sees the final gradient, as in torch)."""
    if isinstance(node, AccumulateGrad):
        hooks_by_output = {0: node.variable.__dict__.get("_hooks") or {}}
    else:
        hooks_by_output = node._tensor_hooks or {}
    for nr, hooks in hooks_by_output.items():
        for hook in list(hooks.values()):
            if grads[nr] is None:
                continue
            result = hook(grads[nr])
            if result is not None:
                if result.shape != grads[nr].shape:
                    raise RuntimeError(f"hook '{getattr(hook, '__name__', hook)}' has changed the size of value")
                grads[nr] = result
    for nr, ref in (node._retained or {}).items():
        tensor = ref()
        if tensor is not None and grads[nr] is not None:
            accumulate_grad(tensor, grads[nr], create_graph)


# ---- into .grad ----------------------------------------------------------------------------

def accumulate_grad(tensor, grad, create_graph):
    """Add ``grad`` into ``tensor.grad`` as PyTorch does: a private copy laid out like the
    tensor the first time, an in-place add afterwards (out of place with ``create_graph``)."""
    if tensor._grad is None:
        tensor._grad = grad if create_graph else _fresh_grad(grad, tensor)
    elif create_graph:
        tensor._grad = tensor._grad + grad
    else:
        with grad_mode.no_grad():
            tensor._grad.add_(grad)


def _fresh_grad(grad, like):
    """A copy of ``grad`` with ``like``'s strides when ``like`` is dense (e.g. a transposed
    parameter gets a transposed ``.grad``), else row-major - torch's "grad layout contract".
    One copy on the backend: this runs for every parameter at every training step."""
    shape = like._shape
    if _strides.is_non_overlapping_and_dense(shape, like._strides):
        strides = like._strides
    else:
        strides = _strides.contiguous_strides(shape)
    arr = grad._array
    if strides == grad._strides and arr.flags.c_contiguous:
        # Speed: the usual case (a row-major parameter, a row-major gradient) is one array copy,
        # ~4 µs less a parameter a step than the general strided write below.
        return _tensor.Tensor._make(arr.copy().reshape(-1), shape, strides, 0, grad.dtype, grad.device)
    be = grad._backend
    storage = be.xp.empty(like.numel(), dtype=grad.dtype.np)
    be.strided_view(storage, shape, strides, 0)[...] = arr
    return _tensor.Tensor._make(storage, shape, strides, 0, grad.dtype, grad.device)


# ---- the walk ------------------------------------------------------------------------------

def _edge_of(tensor):
    if tensor.grad_fn is not None:
        return (tensor.grad_fn, tensor._output_nr)
    return (tensor._grad_accumulator(), 0)


def _dependencies(roots):
    """For every node reachable from ``roots``: how many edges lead into it."""
    deps, stack, seen = {}, list(roots), set(roots)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps, seen


def _needed(nodes, targets):
    """Nodes from which some target can be reached (with ``inputs=``, the others need not run)."""
    consumers = {}
    for node in nodes:
        for nxt, _ in node.next_functions:
            consumers.setdefault(nxt, []).append(node)
    needed, stack = set(targets), list(targets)
    while stack:
        for parent in consumers.get(stack.pop(), ()):
            if parent not in needed:
                needed.add(parent)
                stack.append(parent)
    return needed


def run_backward(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None,
                 accumulate=True):
    """Backpropagate ``grad_tensors`` from ``tensors``. With ``accumulate``, add into the
    ``.grad`` of leaves (only of ``inputs`` when given); returns the gradient reaching each of
    ``inputs`` (None where none did)."""
    buffers = {}  # node -> list of the gradients summed so far, one per output
    for t, g in zip(tensors, grad_tensors):
        node, nr = _edge_of(t)
        buf = buffers.setdefault(node, [None] * len(node._output_meta))
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    deps, reachable = _dependencies(list(buffers))

    targets = {}  # (node, output_nr) -> position in ``inputs``
    for i, t in enumerate(inputs or ()):
        targets[_edge_of(t)] = i
    needed = _needed(reachable, {n for n, _ in targets}) if inputs is not None else None
    captured = [None] * len(inputs or ())
    check_nan = anomaly_mode._state["enabled"]  # read once: each node would look it up again

    ready = [(-n._seq, id(n), n) for n in buffers if deps.get(n, 0) == 0]
    heapq.heapify(ready)
    with grad_mode.set_grad_enabled(create_graph):  # create_graph: backward ops are recorded
        while ready:
            node = heapq.heappop(ready)[2]
            grads = buffers.pop(node, None)
            in_grads = ()
            if grads is None:  # no gradient reached it (an output nobody used): it sends None on
                pass
            elif isinstance(node, AccumulateGrad):  # a leaf: its hooks, then into .grad
                if node.variable.__dict__.get("_hooks"):
                    _run_tensor_hooks(node, grads, create_graph)
                if targets:
                    _capture(node, grads, targets, captured)
                if accumulate and grads[0] is not None and (inputs is None or (node, 0) in targets):
                    _accumulate_leaf(node.variable, grads[0], create_graph)
            else:
                if node._tensor_hooks or node._retained:
                    _run_tensor_hooks(node, grads, create_graph)
                if targets:
                    _capture(node, grads, targets, captured)
                if needed is None or node in needed:
                    try:
                        in_grads = _call_node(node, grads, check_nan)
                    except Exception:
                        anomaly_mode.report_error(node)
                        raise
                    if not retain_graph:
                        node._release()
            _send(node, in_grads, buffers, deps, ready)
    if accumulate:
        for t, g in zip(inputs or (), captured):
            if g is not None and t.grad_fn is not None and not _retains_grad(t):  # a non-leaf in ``inputs=``
                accumulate_grad(t, g, create_graph)  # (retain_grad() has already put it in .grad)
    return captured


def _retains_grad(tensor):
    """Whether ``tensor`` called ``retain_grad()`` (its node then fills its ``.grad``)."""
    retained = tensor.grad_fn._retained
    return bool(retained) and tensor._output_nr in retained and retained[tensor._output_nr]() is tensor


def _capture(node, grads, targets, captured):
    """``autograd.grad``/``inputs=``: keep the gradients that reach the targets' edges."""
    for nr, g in enumerate(grads):
        if (node, nr) in targets and g is not None:
            captured[targets[(node, nr)]] = g


def _accumulate_leaf(variable, grad, create_graph):
    """What a leaf's ``AccumulateGrad`` node does: into ``.grad``, then the post-accumulate hooks."""
    if create_graph and grad.requires_grad:
        _warn_grad_cycle()
    accumulate_grad(variable, grad, create_graph)
    hooks = variable.__dict__.get("_post_accumulate_grad_hooks")
    for hook in list(hooks.values()) if hooks else ():
        hook(variable)


def _send(node, in_grads, buffers, deps, ready):
    """Add ``node``'s input gradients into the buffers of the nodes they go to; push those
    nodes whose last consumer this was onto the ``ready`` heap."""
    for k, (nxt, nr) in enumerate(node.next_functions):
        if nxt is None:
            continue
        g = in_grads[k] if k < len(in_grads) else None
        if g is not None:
            buf = buffers.get(nxt)
            if buf is None:
                buf = buffers[nxt] = [None] * len(nxt._output_meta)
            buf[nr] = g if buf[nr] is None else buf[nr] + g
        left = deps[nxt] = deps[nxt] - 1
        if not left:
            heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))


def _warn_grad_cycle():
    warnings.warn(
        "Using backward() with create_graph=True will create a reference cycle between the parameter "
        "and its gradient which can cause a memory leak. We recommend using autograd.grad when creating "
        "the graph to avoid this. If you have to use this function, make sure to reset the .grad fields "
        "of your parameters to None after use to break the cycle and avoid the leak.", UserWarning, stacklevel=6)
