"""A symbolic backward pass: build the gradient *graph* from the forward graph (``tf.gradients``).

Autograd records a graph while the forward pass runs and walks it backwards at once. A static
graph can instead be extended, before anything runs, with the nodes that compute the gradients:
walk the forward nodes in reverse and, for each, add the nodes of its derivative rule (the same
rules as ``ops/``'s ``backward`` methods, written here on proxies, so writing them *records* them).
The result is an ordinary GraphModule: print its code, optimise it, run it many times.

>>> import minitorch as torch
>>> from minitorch import fx
>>> def loss(x, w):
...     return (x @ w).relu().sum()
>>> x, w = torch.randn(2, 3), torch.randn(3, 4)
>>> grads = gradients(fx.symbolic_trace(loss), x, w, wrt=["w"])
>>> print(grads.code.strip())
def forward(self, x, w):
    matmul = x @ w;  w = None
    relu = matmul.relu();  matmul = None
    sum_1 = relu.sum()
    ones_like = torch.ones_like(sum_1)
    expand = ones_like.expand(2, 4);  ones_like = None
    gt = relu > 0;  relu = None
    mul = expand * gt;  expand = gt = None
    t = x.t();  x = None
    matmul_1 = t @ mul;  t = mul = None
    return (sum_1, matmul_1)
>>> value, grad_w = grads(x, w)
>>> loss(x, w.requires_grad_()).backward()
>>> torch.allclose(grad_w, w.grad)
True

Supported: the arithmetic operators (with broadcasting), matmul/mm (2-D), ``F.linear`` and
``nn.Linear``, relu/clamp/tanh/sigmoid/exp/log/sin/cos, ``sum``/``mean`` (all or some dims),
``t``/``view``/``reshape``, ``F.mse_loss``; anything else raises NotImplementedError naming the op.
"""

from __future__ import annotations

import operator

from ..._tensor import Tensor
from ..graph import Graph
from ..graph_module import GraphModule
from ..interpreter import Transformer
from ..node import Node, map_arg
from ..proxy import Proxy
from .._symbolic_trace import GraphAppendingTracer
from ..node import torch_name
from .shape_prop import ShapeProp

__all__ = ["gradients"]


# ---- derivative rules: (g, out, *args, **kwargs) -> one gradient (or None) per argument --------
def _sum_back(g, dim, keepdim, shape):
    """sum's gradient: put back the reduced dims (size 1), then expand to the input's shape."""
    if dim is not None and not keepdim:
        dims = [dim] if isinstance(dim, int) else list(dim)
        for d in sorted(d % len(shape) for d in dims):
            g = g.unsqueeze(d)
    return g.expand(*shape)


def _count(shape, dim):
    dims = range(len(shape)) if dim is None else ([dim] if isinstance(dim, int) else dim)
    n = 1
    for d in dims:
        n *= shape[d]
    return n


RULES = {
    "add": lambda g, out, a, b: (g, g),
    "sub": lambda g, out, a, b: (g, -g),
    "mul": lambda g, out, a, b: (g * b, g * a),
    "truediv": lambda g, out, a, b: (g / b, -g * a / (b * b)),
    "neg": lambda g, out, a: (-g,),
    "matmul": lambda g, out, a, b: (g @ b.t(), a.t() @ g),
    "linear": lambda g, out, x, w, b=None: (g @ w, g.t() @ x, None if b is None else g.sum(0)),
    "relu": lambda g, out, a: (g * (out > 0),),
    "clamp": lambda g, out, a, min=None, max=None: (
        g * (a >= min) if max is None else g * (a <= max) if min is None else g * ((a >= min) & (a <= max)),),
    "tanh": lambda g, out, a: (g * (1 - out * out),),
    "sigmoid": lambda g, out, a: (g * out * (1 - out),),
    "exp": lambda g, out, a: (g * out,),
    "log": lambda g, out, a: (g / a,),
    "sin": lambda g, out, a: (g * a.cos(),),
    "cos": lambda g, out, a: (-g * a.sin(),),
    "t": lambda g, out, a: (g.t(),),
}


def _mse_loss(g, out, a, b, reduction="mean", shape=None):
    d = g * 2 * (a - b) / (_count(shape, None) if reduction == "mean" else 1)
    return d, -d


RULES["mse_loss"] = _mse_loss


def _pow(g, out, a, b):
    """d/da a ** b = b * a ** (b - 1), for a constant exponent b (a ** 1 written as a)."""
    return g * b * (a if isinstance(b, (int, float)) and b == 2 else a ** (b - 1)), None


RULES["pow"] = _pow
RULES["mm"], RULES["div"] = RULES["matmul"], RULES["truediv"]
ELEMENTWISE = {"add", "sub", "mul", "truediv", "div", "pow"}  # their gradients may need un-broadcasting
_OPERATORS = {operator.add: "add", operator.sub: "sub", operator.mul: "mul", operator.truediv: "truediv",
              operator.neg: "neg", operator.pow: "pow", operator.matmul: "matmul"}
# inlined so the rules above see them: module type name -> function name
_MODULES = {"Linear": "linear", "ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "MSELoss": "mse_loss"}


def _op_name(node):
    if node.op == "call_method":
        return node.target
    if node.op == "call_function":
        return _OPERATORS.get(node.target) or (torch_name(node.target) or "").rsplit(".", 1)[-1] or None
    return None


class _InlineModules(Transformer):
    """Rewrite ``nn.Linear``/``nn.ReLU``/... calls as the functions they compute, parameters
    becoming get_attr nodes, so one set of rules covers both styles."""

    def call_module(self, target, args, kwargs):
        import minitorch
        from ...nn import functional as F

        module = self.fetch_attr(target)
        kind = _MODULES.get(type(module).__name__)
        if kind == "linear":
            weight = self.tracer.create_proxy("get_attr", f"{target}.weight", (), {})
            bias = None if module.bias is None else self.tracer.create_proxy("get_attr", f"{target}.bias", (), {})
            return self.tracer.create_proxy("call_function", F.linear, (args[0], weight, bias), {})
        if kind == "mse_loss":
            return self.tracer.create_proxy("call_function", F.mse_loss, args, {"reduction": module.reduction})
        if kind is not None:
            return self.tracer.create_proxy("call_function", getattr(minitorch, kind), args, {})
        return super().call_module(target, args, kwargs)


def _unbroadcast(g, from_shape, to_shape):
    """Sum ``g`` (shaped ``from_shape``) down to ``to_shape``: over the leading dims broadcasting
    added and the dims where ``to_shape`` has a 1 (what autograd's ``sum_to_shape`` does)."""
    lead = len(from_shape) - len(to_shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(to_shape) if n == 1 and from_shape[lead + i] != 1)
    if dims:
        g = g.sum(dim=dims, keepdim=True)
    return g.reshape(*to_shape) if lead else g


def gradients(gm, *example_inputs, wrt=None):
    """A GraphModule computing ``(output, d output / d wrt[0], ...)`` for a scalar-valued ``gm``.

    ``wrt``: names of placeholders (inputs) and of parameters (``"fc.weight"``); default: every
    floating-point input, then every parameter the graph reads. ``example_inputs`` give the
    shapes the rules need (through ``ShapeProp``)."""
    from ... import no_grad, ones_like, zeros_like

    forward = _InlineModules(gm).transform()
    with no_grad():
        result = ShapeProp(forward).propagate(*example_inputs)
    if not isinstance(result, Tensor) or result.dim() != 0:
        raise RuntimeError("gradients: the graph must return one scalar tensor, got "
                           f"{tuple(result.shape) if isinstance(result, Tensor) else type(result).__name__}")
    sources = {n.target: n for n in forward.graph.nodes if n.op in ("placeholder", "get_attr")}
    if wrt is None:
        wrt = [n.target for n in sources.values() if _float(n) and
               (n.op == "placeholder" or _is_param(forward, n.target))]
    for name in wrt:
        if name not in sources:
            raise RuntimeError(f"gradients: {name!r} is not an input or a parameter the graph reads "
                               f"(those are: {sorted(sources)})")

    graph = Graph()
    tracer = GraphAppendingTracer(graph)
    env = {}
    for node in forward.graph.nodes:
        if node.op == "output":
            out_node = node.args[0]
            break
        env[node] = graph.node_copy(node, env.__getitem__)
    proxy = lambda n: Proxy(env[n], tracer)  # noqa: E731
    grads = {out_node: tracer.create_proxy("call_function", ones_like, (proxy(out_node),), {})}

    for node in reversed(forward.graph.nodes):
        if node not in grads or node.op in ("placeholder", "get_attr"):
            continue
        name = _op_name(node)
        if name not in RULES and name not in ("sum", "mean", "view", "reshape"):
            raise NotImplementedError(f"gradients: no derivative rule for {node.op} {node.target!r} (node {node.name})")
        g = grads[node]
        args = map_arg(node.args, proxy)
        kwargs = map_arg(node.kwargs, proxy)
        shape = tuple(node.args[0].meta["tensor_meta"].shape)
        if name in ("sum", "mean"):
            dim = args[1] if len(args) > 1 else kwargs.get("dim")
            keepdim = args[2] if len(args) > 2 else kwargs.get("keepdim", False)
            back = _sum_back(g, dim, keepdim, shape)
            contributions = (back if name == "sum" else back / _count(shape, dim),)
        elif name in ("view", "reshape"):
            contributions = (g.reshape(*shape),)
        elif name == "mse_loss":
            contributions = RULES[name](g, proxy(node), *args, shape=shape, **kwargs)
        else:
            contributions = RULES[name](g, proxy(node), *args, **kwargs)
        out_shape = tuple(node.meta["tensor_meta"].shape)
        for arg, contribution in zip(node.args, contributions):
            if contribution is None or not isinstance(arg, Node) or not _float(arg):
                continue
            if name in ELEMENTWISE:
                contribution = _unbroadcast(contribution, out_shape, tuple(arg.meta["tensor_meta"].shape))
            grads[arg] = grads[arg] + contribution if arg in grads else contribution

    outputs = [env[out_node]]
    for name in wrt:
        source = sources[name]
        outputs.append(grads[source].node if source in grads else
                       tracer.create_proxy("call_function", zeros_like, (proxy(source),), {}).node)
    graph.output(tuple(outputs))
    graph.eliminate_dead_code()  # the rules also made gradients nobody asked for
    return GraphModule(forward, _renamed(graph), f"{forward._get_name()}Gradients")


def _renamed(graph):
    """A copy of ``graph`` whose nodes get fresh names in order (no gaps left by removed nodes)."""
    fresh, env = Graph(), {}
    for node in graph.nodes:
        name = node.target if node.op == "placeholder" else None
        env[node] = fresh.create_node(node.op, node.target, map_arg(node.args, env.__getitem__),
                                      map_arg(node.kwargs, env.__getitem__), name)
    return fresh


def _float(node):
    meta = node.meta.get("tensor_meta")
    return meta is not None and meta.dtype.is_floating_point


def _is_param(module, target):
    try:
        module.get_parameter(target)
        return True
    except AttributeError:
        return False
