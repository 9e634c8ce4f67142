"""Common-subexpression elimination: compute each repeated expression once.

Two nodes that call the same target on the same arguments give the same value (if the target is
deterministic and has no side effect), so the second one can read the first one's result.

>>> import minitorch as torch
>>> from minitorch import fx
>>> def f(x):
...     return torch.exp(x) + torch.exp(x)
>>> gm = eliminate_common_subexpressions(fx.symbolic_trace(f))
>>> print(gm.code.strip())
def forward(self, x):
    exp = torch.exp(x);  x = None
    add = exp + exp;  exp = None
    return add
"""

from __future__ import annotations

from ..node import Node

__all__ = ["eliminate_common_subexpressions"]

_RANDOM = ("rand", "dropout", "bernoulli", "multinomial", "normal", "uniform", "shuffle")


def _deterministic(node):
    name = node.target if isinstance(node.target, str) else getattr(node.target, "__name__", "")
    return not node.is_impure() and not any(word in name for word in _RANDOM)


def _key(value):
    """A hashable form of a node's arguments (nodes by identity; lists, dicts and slices spelled out)."""
    if isinstance(value, Node):
        return ("node", id(value))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__,) + tuple(_key(v) for v in value)
    if isinstance(value, dict):
        return ("dict",) + tuple((k, _key(v)) for k, v in value.items())
    if isinstance(value, slice):
        return ("slice", _key(value.start), _key(value.stop), _key(value.step))
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return (type(value).__name__, value)


def eliminate_common_subexpressions(gm):
    """Merge nodes with the same op, target and arguments; returns ``gm``, changed and recompiled."""
    seen = {}
    for node in gm.graph.nodes:
        if node.op not in ("call_function", "call_method", "call_module", "get_attr") or not _deterministic(node):
            continue
        key = (node.op, _key(node.target) if not callable(node.target) else id(node.target),
               _key(node.args), _key(node.kwargs))
        if key in seen:
            node.replace_all_uses_with(seen[key])
            gm.graph.erase_node(node)
        else:
            seen[key] = node
    gm.recompile()
    return gm
