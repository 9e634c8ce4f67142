"""Elementwise fusion: run a chain of elementwise ops as one generated numpy kernel.

Op by op, ``0.5 * x * (1 + torch.tanh(x))`` costs one minitorch call per operation (Python
dispatch, dtype checks, a tensor object, an autograd decision) and one new array per
intermediate result. This pass finds groups of elementwise nodes whose intermediate values are used
only inside the group, and replaces each group by one ``call_function`` of a ``FusedKernel``: a
Python function generated from the group that calls numpy's ufuncs directly and writes each
step *into the buffer of the step before it* where shapes allow (``out=``), so the whole group
allocates about one array instead of one per op.

>>> import minitorch as torch
>>> from minitorch import fx
>>> def f(x):
...     return 0.5 * x * (1 + torch.tanh(x))
>>> x = torch.randn(4, 3)
>>> gm = fuse_elementwise(fx.symbolic_trace(f), x)
>>> print(gm.code.strip())
def forward(self, x):
    fused_mul_tanh_add_mul = fused_mul_tanh_add_mul_1(x);  x = None
    return fused_mul_tanh_add_mul
>>> print(gm.graph.nodes[1].target.source.strip())
def fused_mul_tanh_add_mul(xp, in0):
    t0 = xp.multiply(0.5, in0)
    t1 = xp.tanh(in0)
    t1 = xp.add(1, t1, out=t1)
    t0 = xp.multiply(t0, t1, out=t0)
    return t0
>>> torch.allclose(gm(x), f(x))
True

What a real compiler adds (XLA, ``torch.compile``): one loop over the elements for the whole group,
so each element is read once and stays in a register; here numpy still makes one pass per op.
The kernel is specialised to the shapes and dtypes seen by ``fuse_elementwise``; other shapes, or
inputs that need gradients, run the original ops instead (``kernel.fallback``, a GraphModule).
"""

from __future__ import annotations

import operator

from ..graph import Graph
from ..graph_module import GraphModule
from ..node import Node
from ..node import torch_name
from .shape_prop import ShapeProp

__all__ = ["fuse_elementwise", "FusedKernel"]

# numpy steps for each fusible op: (ufunc, operands); "$i" is the op's i-th argument, "@" the
# value computed by the previous step (written in place)
_STEPS = {
    "add": [("add", "$0", "$1")], "sub": [("subtract", "$0", "$1")], "mul": [("multiply", "$0", "$1")],
    "truediv": [("true_divide", "$0", "$1")], "div": [("true_divide", "$0", "$1")],
    "pow": [("power", "$0", "$1")], "neg": [("negative", "$0")],
    "relu": [("maximum", "$0", "0")], "exp": [("exp", "$0")], "log": [("log", "$0")],
    "tanh": [("tanh", "$0")], "sin": [("sin", "$0")], "cos": [("cos", "$0")], "sqrt": [("sqrt", "$0")],
    "abs": [("absolute", "$0")],
    "sigmoid": [("negative", "$0"), ("exp", "@"), ("add", "@", "1"), ("reciprocal", "@")],
}
_OPERATORS = {operator.add: "add", operator.sub: "sub", operator.mul: "mul", operator.truediv: "truediv",
              operator.pow: "pow", operator.neg: "neg"}


def _op_name(node):
    """The key of ``_STEPS`` this node computes, or None if it is not a fusible elementwise op."""
    if node.kwargs:
        return None
    if node.op == "call_function":
        name = _OPERATORS.get(node.target)
        if name is None:
            qualified = torch_name(node.target) or ""
            if qualified.rsplit(".", 1)[0] in ("torch", "torch.nn.functional"):
                name = qualified.rsplit(".", 1)[1]
    elif node.op == "call_method":
        name = node.target
    else:
        return None
    arity = len(_STEPS[name][0]) - 1 if name in _STEPS else -1
    return name if arity == len(node.args) else None


def _tensor_meta(value):
    return value.meta.get("tensor_meta") if isinstance(value, Node) else None


def _fusible(node):
    """Elementwise, on float tensors of one dtype (or python numbers), with a known result of
    at least one dimension (numpy returns 0-d results as scalars, which cannot be written into)."""
    meta = _tensor_meta(node)
    if _op_name(node) is None or meta is None or not meta.dtype.is_floating_point or len(meta.shape) == 0:
        return False
    for arg in node.args:
        if isinstance(arg, Node):
            if _tensor_meta(arg) is None or _tensor_meta(arg).dtype != meta.dtype:
                return False
        elif isinstance(arg, bool) or not isinstance(arg, (int, float)):
            return False
    return True


class FusedKernel:
    """A generated numpy function for a group of elementwise nodes, called like a torch function.
    ``source``: the generated code. ``fallback``: the group's original ops, as a GraphModule."""

    def __init__(self, name, source, fallback, input_meta):
        self.__name__, self.source, self.fallback, self.input_meta = name, source, fallback, input_meta
        namespace = {}
        exec(compile(source, f"<{name}>", "exec"), namespace)
        self.kernel = namespace[name]

    def __call__(self, *inputs):
        from ... import is_grad_enabled
        from ..._tensor import Tensor

        first = inputs[0]
        if any(t.shape != meta.shape or t.dtype != meta.dtype or t.device != first.device
               for t, meta in zip(inputs, self.input_meta)) or \
                (is_grad_enabled() and any(t.requires_grad for t in inputs)):
            return self.fallback(*inputs)  # another shape, mixed devices, or autograd must see the ops
        return Tensor._wrap(self.kernel(first._backend.xp, *(t._array for t in inputs)), first.device)

    def __repr__(self):
        return f"<fused kernel {self.__name__}>"


def _groups(graph):
    """Single-output groups: grow backwards from a fusible node, taking an input's producer when
    it is fusible and all its users are already in the group (so no intermediate leaves it)."""
    fusible = {n for n in graph.nodes if _fusible(n)}
    taken, groups = set(), []
    for root in reversed(graph.nodes):
        if root not in fusible or root in taken:
            continue
        group, grew = {root}, True
        while grew:
            grew = False
            for member in list(group):
                for arg in member.all_input_nodes:
                    if arg in fusible and arg not in taken and arg not in group and all(u in group for u in arg.users):
                        group.add(arg)
                        grew = True
        if len(group) > 1:
            order = {n: i for i, n in enumerate(graph.nodes)}
            groups.append(sorted(group, key=order.__getitem__))
            taken |= group
    return groups


def _generate(name, members):
    """The kernel's source, and its inputs (the nodes outside the group it reads), in order."""
    inputs, var, lines = [], {}, []
    for i, node in enumerate(members):
        operands = []
        for arg in node.args:
            if not isinstance(arg, Node):
                operands.append(repr(arg))
            elif arg in var:
                operands.append(var[arg])
            else:
                if arg not in inputs:
                    inputs.append(arg)
                operands.append(f"in{inputs.index(arg)}")
        # write into an input's buffer when this node is its only reader and the shape is the same
        reusable = [var[a] for a in node.all_input_nodes if a in var and len(a.users) == 1
                    and _tensor_meta(a).shape == _tensor_meta(node).shape]
        target = reusable[0] if reusable else f"t{i}"
        for step, (ufunc, *ops) in enumerate(_STEPS[_op_name(node)]):
            args = [operands[int(o[1:])] if o.startswith("$") else (target if o == "@" else o) for o in ops]
            in_place = step > 0 or reusable
            lines.append(f"{target} = xp.{ufunc}({', '.join(args)}{f', out={target}' if in_place else ''})")
        var[node] = target
    params = ", ".join(["xp"] + [f"in{i}" for i in range(len(inputs))])
    body = "".join(f"    {line}\n" for line in lines + [f"return {var[members[-1]]}"])
    return f"def {name}({params}):\n{body}", inputs


def _fallback(members, inputs, root):
    """The group's original nodes as a GraphModule taking the kernel's inputs."""
    graph = Graph()
    env = {arg: graph.placeholder(arg.name) for arg in inputs}
    for node in members:
        env[node] = graph.node_copy(node, env.__getitem__)
    graph.output(env[members[-1]])
    return GraphModule(root, graph, "FusedFallback")


def fuse_elementwise(gm, *example_inputs):
    """Replace each group of two or more fusible elementwise nodes by one ``FusedKernel`` call.
    ``example_inputs`` give the shapes and dtypes (through ``ShapeProp``); returns ``gm``,
    changed and recompiled."""
    from ... import no_grad

    with no_grad():
        ShapeProp(gm).propagate(*example_inputs)
    graph = gm.graph
    for members in _groups(graph):
        root = members[-1]
        name = "fused_" + "_".join(_op_name(n) for n in members[:4])
        source, inputs = _generate(name, members)
        kernel = FusedKernel(name, source, _fallback(members, inputs, gm),
                             [_tensor_meta(a) for a in inputs])
        with graph.inserting_before(root):
            fused = graph.call_function(kernel, tuple(inputs))
        fused.meta = dict(root.meta)
        root.replace_all_uses_with(fused)
        for node in reversed(members):
            graph.erase_node(node)
    gm.recompile()
    return gm
