"""``Interpreter`` runs a graph node by node; ``Transformer`` rewrites one into a new graph.

Subclass either and override the method of one opcode (``call_function``, ``call_module``...) to
observe or change what each node does:

>>> import operator
>>> import minitorch as torch
>>> from minitorch import fx
>>> class AddToMul(fx.Transformer):
...     def call_function(self, target, args, kwargs):
...         return super().call_function(operator.mul if target is operator.add else target, args, kwargs)
>>> gm = AddToMul(fx.symbolic_trace(lambda x: x + x)).transform()
>>> gm(torch.tensor(3.0))
tensor(9.)
"""

from __future__ import annotations

import inspect

from ._symbolic_trace import Tracer
from .graph import Graph
from .graph_module import GraphModule
from .node import map_aggregate, map_arg
from .proxy import Proxy

__all__ = ["Interpreter", "Transformer"]


class Interpreter:
    """Run ``module.graph`` on actual values: ``Interpreter(gm).run(x)`` equals ``gm(x)``.
    With ``garbage_collect_values`` each value is dropped after its last use, as the generated
    code does."""

    def __init__(self, module, garbage_collect_values=True, graph=None):
        self.module = module
        self.graph = graph if graph is not None else module.graph
        self.garbage_collect_values = garbage_collect_values
        self.env = {}
        self.last_uses = {}  # node -> the values it is the last user of
        seen = set()
        for node in reversed(self.graph.nodes):
            for arg in node.all_input_nodes:
                if arg not in seen:
                    seen.add(arg)
                    self.last_uses.setdefault(node, []).append(arg)

    def run(self, *args, initial_env=None, enable_io_processing=True):
        self.env = dict(initial_env or {})
        self.args_iter = iter(args)
        for node in self.graph.nodes:
            if node in self.env:
                continue
            self.env[node] = self.run_node(node)
            if self.garbage_collect_values:
                for dead in self.last_uses.get(node, ()):
                    self.env.pop(dead, None)
            if node.op == "output":
                return self.env[node]
        return None

    def run_node(self, n):
        """Compute one node: fetch its inputs, then call the method named after its opcode."""
        args, kwargs = self.fetch_args_kwargs_from_env(n)
        return getattr(self, n.op)(n.target, args, kwargs)

    # ---- one method per opcode ----
    def placeholder(self, target, args, kwargs):
        try:
            return next(self.args_iter)
        except StopIteration:
            if args:
                return args[0]  # the argument's default value
            raise RuntimeError(f"Expected positional argument for parameter {target}, but one was not passed in!")

    def get_attr(self, target, args, kwargs):
        return self.fetch_attr(target)

    def call_function(self, target, args, kwargs):
        return target(*args, **kwargs)

    def call_method(self, target, args, kwargs):
        self_obj, *args_tail = args
        return getattr(self_obj, target)(*args_tail, **kwargs)

    def call_module(self, target, args, kwargs):
        return self.fetch_attr(target)(*args, **kwargs)

    def output(self, target, args, kwargs):
        return args[0]

    # ---- helpers ----
    def fetch_attr(self, target):
        obj = self.module
        atoms = target.split(".")
        for i, atom in enumerate(atoms):
            if not hasattr(obj, atom):
                raise RuntimeError(f"Node referenced nonexistent target {'.'.join(atoms[:i + 1])}")
            obj = getattr(obj, atom)
        return obj

    def fetch_args_kwargs_from_env(self, n):
        return self.map_nodes_to_values(n.args, n), self.map_nodes_to_values(n.kwargs, n)

    def map_nodes_to_values(self, args, n):
        def load(node):
            if node not in self.env:
                raise RuntimeError(f"Node {n} referenced nonexistent value {node}! Run Graph.lint() to diagnose "
                                   "such issues")
            return self.env[node]
        return map_arg(args, load)


class _TransformerTracer(Tracer):
    """Records into the new graph; every module the old graph called stays one call_module node."""

    def __init__(self, graph, root):
        super().__init__()
        self.graph, self.root, self._attr_nodes = graph, root, {}
        for kind in ("named_parameters", "named_buffers"):
            for name, t in getattr(root, kind)():
                self.tensor_attrs.setdefault(id(t), name)

    def is_leaf_module(self, m, module_qualified_name):
        return True


class Transformer(Interpreter):
    """Run the graph on proxies, so each node's method *records* into a new graph; override a
    method to record something else. ``transform()`` returns the new ``GraphModule``."""

    def __init__(self, module):
        super().__init__(module)
        self.new_graph = Graph()
        self.tracer = _TransformerTracer(self.new_graph, module)

    def placeholder(self, target, args, kwargs):
        default = args[0] if args else inspect.Signature.empty
        return Proxy(self.new_graph.placeholder(target, default_value=default), self.tracer)

    def get_attr(self, target, args, kwargs):
        return self.tracer.create_proxy("get_attr", target, args, kwargs)

    def call_function(self, target, args, kwargs):
        return self.tracer.create_proxy("call_function", target, args, kwargs)

    def call_module(self, target, args, kwargs):
        submodule = self.fetch_attr(target)
        return self.tracer.call_module(submodule, submodule.forward, args, kwargs)

    def transform(self):
        result = self.run(enable_io_processing=False)
        self.new_graph.output(map_aggregate(result, lambda x: x.node if isinstance(x, Proxy) else x))
        return GraphModule(self.module, self.new_graph)
