"""Constant folding: compute ahead of time what does not depend on the inputs.

A node whose inputs are all constants (module attributes, literals, other folded nodes) gives
the same value on every call, so it is computed once here and stored as an attribute; the graph
then reads that attribute. Typical catch: ``self.weight.t()`` or ``self.scale * 2`` in
``forward``. Parameters count as constants, so fold a model for inference (its weights frozen):
after folding, training the original parameters no longer changes the folded values.

>>> import minitorch as torch
>>> from minitorch import fx, nn
>>> class Scaled(nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.w = nn.Parameter(torch.ones(2, 2))
...     def forward(self, x):
...         return x @ (self.w.t() * 2)
>>> gm = fold_constants(fx.symbolic_trace(Scaled()))
>>> print(gm.code.strip())
def forward(self, x):
    _folded_0 = self._folded_0
    matmul = x @ _folded_0;  x = _folded_0 = None
    return matmul
"""

from __future__ import annotations

from ..interpreter import Interpreter

__all__ = ["fold_constants"]


def _is_constant(node, constant):
    if node.op == "get_attr":
        return True
    if node.op in ("placeholder", "output") or node.is_impure() or not node.all_input_nodes:
        return False  # a call without node inputs (torch.rand(3)) may differ per call: keep it
    return all(constant[arg] for arg in node.all_input_nodes)


def fold_constants(gm):
    """Replace every computed constant that feeds the rest of the graph by a ``get_attr`` of its
    precomputed value (named ``_folded_<i>``); returns ``gm``, changed and recompiled."""
    from ... import no_grad

    graph = gm.graph
    constant = {}
    for node in graph.nodes:
        constant[node] = _is_constant(node, constant)
    # fold the computed constants some non-constant node reads (the frontier): the rest go with DCE
    frontier = [n for n in graph.nodes if constant[n] and n.op != "get_attr"
                and any(not constant[user] for user in n.users)]
    if not frontier:
        return gm
    interpreter = Interpreter(gm, garbage_collect_values=False)
    with no_grad():
        env = {}
        for node in graph.nodes:
            if constant[node]:
                interpreter.env = env
                env[node] = interpreter.run_node(node)
    for i, node in enumerate(frontier):
        name = f"_folded_{i}"
        while hasattr(gm, name):
            name += "_"
        gm.register_buffer(name, env[node])
        with graph.inserting_before(node):
            folded = graph.get_attr(name)
        node.replace_all_uses_with(folded)
    graph.eliminate_dead_code()
    gm.recompile()
    return gm
