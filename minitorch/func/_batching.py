"""Batching rules: run a function written for one example on a whole batch at once.

``vmap`` first tries this: trace ``func`` with ``minitorch.fx`` into a graph, then run the graph on
the batched inputs, where every value carries its batch dimension in front, and each op is
rewritten by a *batching rule* that says how the op applies to a batch of its per-example inputs:

- elementwise ops: line the operands up (a per-example operand with fewer dims gets size-1 dims
  after the batch dim), then the op broadcasts over the batch by itself;
- ops with a ``dim`` argument (``sum``, ``softmax``, ``transpose``...): shift non-negative dims by one;
- ``view``/``reshape``: prepend the batch size to the new shape; indexing: prepend ``:``;
- ``@``: matrix products broadcast over leading dims already (1-D operands need a dimension added);
- ``F.linear`` acts on the last dim: it takes a batch of inputs as it is.

Modules are traced through (none is a leaf), so ``functional_call``'s swapped parameters are the
ones the graph reads.

A value that does not depend on a mapped input stays unbatched and runs as usual. If tracing
fails (data-dependent Python) or an op has no rule here (``grad`` inside ``vmap``, random ops), the
caller falls back to a loop over the examples.
"""

from __future__ import annotations

import builtins
import operator

NO_RULE = object()  # returned when the batched path cannot be used

_ELEMENTWISE = {"add", "sub", "mul", "truediv", "div", "pow", "neg", "abs", "relu", "exp", "log", "tanh",
                "sigmoid", "sin", "cos", "sqrt", "clamp", "maximum", "minimum", "where", "eq", "ne", "lt", "le",
                "gt", "ge", "square", "softplus", "gelu", "silu", "leaky_relu", "floor", "ceil", "round", "sign",
                "rsqrt", "log1p", "expm1", "reciprocal", "atan2"}
# ops with dim arguments -> the positions of those among the arguments after the tensor
_DIM_ARGS = {"sum": (0,), "mean": (0,), "amax": (0,), "amin": (0,), "prod": (0,), "logsumexp": (0,), "var": (0,),
             "std": (0,), "softmax": (0,), "log_softmax": (0,), "cumsum": (0,), "argmax": (0,), "argmin": (0,),
             "unsqueeze": (0,), "squeeze": (0,), "transpose": (0, 1), "select": (0,), "narrow": (0,),
             "flatten": (0, 1), "norm": (1,)}
_DIM_KWARGS = ("dim", "dim0", "dim1", "start_dim", "end_dim")
_FULL_REDUCTIONS = ("sum", "mean", "amax", "amin", "logsumexp", "var", "std")  # accept a tuple of dims
_RANDOM = ("rand", "dropout", "bernoulli", "normal", "multinomial", "uniform", "Dropout")
_OPERATORS = {operator.add: "add", operator.sub: "sub", operator.mul: "mul", operator.truediv: "truediv",
              operator.pow: "pow", operator.neg: "neg", operator.matmul: "matmul", operator.getitem: "getitem",
              operator.eq: "eq", operator.ne: "ne", operator.lt: "lt", operator.le: "le", operator.gt: "gt",
              operator.ge: "ge", builtins.getattr: "getattr"}


class _Batched:
    """A batched value: ``value`` holds the examples along dim 0."""

    def __init__(self, value):
        self.value = value


def _name(node):
    if node.op in ("call_method", "call_module"):
        return node.target
    from ..fx.node import torch_name

    return _OPERATORS.get(node.target) or (torch_name(node.target) or "").rsplit(".", 1)[-1]


def _shift(dim):
    """A per-example dim as a dim of the batch (dim 0 is the batch)."""
    return dim + 1 if isinstance(dim, int) and dim >= 0 else dim


def _elementwise(fn, args, kwargs):
    """Give each batched operand the same number of per-example dims (size-1 dims after the batch
    dim), so ordinary broadcasting lines the examples up."""
    from .._tensor import Tensor

    ranks = [a.value.dim() - 1 if isinstance(a, _Batched) else a.dim() for a in args if isinstance(a, (Tensor, _Batched))]
    rank = max(ranks)
    lined = [a.value.reshape(a.value.shape[0], *[1] * (rank - a.value.dim() + 1), *a.value.shape[1:])
             if isinstance(a, _Batched) else a for a in args]
    return fn(*lined, **kwargs)


def _matmul(a, b):
    a_batched, b_batched = isinstance(a, _Batched), isinstance(b, _Batched)
    a_value, b_value = (a.value if a_batched else a), (b.value if b_batched else b)
    a_rank, b_rank = a_value.dim() - a_batched, b_value.dim() - b_batched
    if b_batched and b_rank == 1:  # per-example matrix @ vector: make the vector a column
        return _matmul(a, _Batched(b_value.unsqueeze(-1))).squeeze(-1)
    if a_batched and a_rank == 1 and b_batched:  # vector @ matrix: make the vector a row
        return _matmul(_Batched(a_value.unsqueeze(-2)), b).squeeze(-2)
    if not a_batched and a_rank == 1:  # unbatched vector @ batch of matrices
        return a_value.unsqueeze(0) @ b_value if b_rank == 2 else NO_RULE
    if a_batched and b_batched and a_rank != b_rank:  # line up the per-example batch dims
        rank = max(a_rank, b_rank)
        a_value = a_value.reshape(a_value.shape[0], *[1] * (rank - a_rank), *a_value.shape[1:])
        b_value = b_value.reshape(b_value.shape[0], *[1] * (rank - b_rank), *b_value.shape[1:])
    if not a_batched and b_batched and a_rank > 2:
        return NO_RULE
    return a_value @ b_value


def _shift_dims(value):
    return tuple(_shift(d) for d in value) if isinstance(value, (tuple, list)) else _shift(value)


def _dim_op(node, args, kwargs):
    """``x.sum(1)`` on a batch is ``x.sum(2)``; with no dim, reduce every per-example dim."""
    x = args[0].value
    name = node.target if node.op == "call_method" else None
    op = _name(node)
    rest = [_shift_dims(a) if i in _DIM_ARGS[op] else a for i, a in enumerate(args[1:])]
    kwargs = {k: _shift_dims(v) if k in _DIM_KWARGS else v for k, v in kwargs.items()}
    if op == "flatten":
        start = rest[0] if rest else kwargs.pop("start_dim", 1)
        end = rest[1] if len(rest) > 1 else kwargs.pop("end_dim", -1)
        return x.flatten(max(start, 1), end)
    if len(rest) <= max(_DIM_ARGS[op]) and "dim" not in kwargs:
        if op not in _FULL_REDUCTIONS:
            return NO_RULE  # squeeze() would also squeeze a batch of 1; argmax() flattens the batch
        kwargs["dim"] = tuple(range(1, x.dim()))  # a full reduction of each example
    target = getattr(x, name) if name else node.target
    return target(*rest, **kwargs) if name else target(x, *rest, **kwargs)


def _apply(node, args, kwargs, batch_size):
    """One node on (possibly) batched inputs: the result (a ``_Batched`` if it depends on the batch)."""
    if not any(isinstance(a, _Batched) for a in _leaves((args, kwargs))):
        plain = {"call_function": lambda: node.target(*args, **kwargs),
                 "call_method": lambda: getattr(args[0], node.target)(*args[1:], **kwargs)}
        return plain[node.op]() if node.op in plain else NO_RULE
    op = _name(node)
    if any(word in op for word in _RANDOM):
        return NO_RULE  # one draw for the whole batch would tie the examples together
    if op == "getattr" and args[1] == "shape":
        return args[0].value.shape[1:]
    if op == "getattr" and args[1] == "T":
        op = "t"
    if op == "size":
        return args[0].value.size(_shift(args[1])) if len(args) > 1 else args[0].value.shape[1:]
    if op in ("dim", "ndimension"):
        return args[0].value.dim() - 1
    if op in _ELEMENTWISE:
        fn = node.target if node.op == "call_function" else \
            (lambda x, *rest, **kw: getattr(x, node.target)(*rest, **kw))
        if node.op == "call_method" and not isinstance(args[0], _Batched):
            return NO_RULE
        if any(isinstance(a, _Batched) for a in kwargs.values()):
            return NO_RULE
        return _Batched(_elementwise(fn, args, kwargs))
    if op in ("matmul", "mm", "bmm") and not kwargs:
        result = _matmul(*args)
        return result if result is NO_RULE else _Batched(result)
    if op in ("dot",) and all(isinstance(a, _Batched) for a in args):
        return _Batched((args[0].value * args[1].value).sum(-1))
    if op in _DIM_ARGS and isinstance(args[0], _Batched) and not any(isinstance(a, _Batched) for a in args[1:]):
        result = _dim_op(node, args, kwargs)
        return result if result is NO_RULE else _Batched(result)
    if op in ("view", "reshape") and isinstance(args[0], _Batched):
        shape = args[1] if len(args) == 2 and isinstance(args[1], (tuple, list)) else args[1:]
        return _Batched(getattr(args[0].value, op)(batch_size, *shape))
    if op in ("t", "T") and isinstance(args[0], _Batched):
        return _Batched(args[0].value.transpose(-1, -2) if args[0].value.dim() == 3 else args[0].value)
    if op == "permute" and isinstance(args[0], _Batched):
        dims = args[1] if len(args) == 2 and isinstance(args[1], (tuple, list)) else args[1:]
        return _Batched(args[0].value.permute(0, *(_shift(d % (args[0].value.dim() - 1)) for d in dims)))
    if op == "getitem" and isinstance(args[0], _Batched) and not isinstance(args[1], _Batched):
        index = args[1] if isinstance(args[1], tuple) else (args[1],)
        if all(isinstance(i, (int, slice, type(None), type(Ellipsis))) for i in index):
            return _Batched(args[0].value[(slice(None),) + index])
        return NO_RULE
    if op == "linear" and isinstance(args[0], _Batched) and not any(isinstance(a, _Batched) for a in args[1:]):
        return _Batched(node.target(args[0].value, *args[1:], **kwargs))
    return NO_RULE


def _leaves(tree):
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in _leaves(item)]
    if isinstance(tree, dict):
        return [leaf for item in tree.values() for leaf in _leaves(item)]
    return [tree]


def _through_modules():
    from ..fx import Tracer

    class ThroughModules(Tracer):
        """Traces into every module, so the graph reads the tensors a module holds *now*."""

        def is_leaf_module(self, m, module_qualified_name):
            return False
    return ThroughModules


def batched_call(func, args, dims, batch_size):
    """``func`` applied to each example of ``args`` (tensors, mapped along ``dims``: None = not
    mapped), computed on the whole batch with batching rules: ``(outputs, batched)``, where the
    output tensors that depend on the batch have it at dim 0 and ``batched`` flags them (one flag
    per leaf of ``outputs``); or ``NO_RULE``."""
    from .._tensor import Tensor
    from ..fx.node import map_arg
    from ._pytree import tree_flatten, tree_unflatten

    if not all(isinstance(a, Tensor) for a in args):
        return NO_RULE
    from ..ops.creation import default_generator

    tracer = _through_modules()()
    rng_state = default_generator.get_state()
    try:
        graph = tracer.trace(func)
    except Exception:  # not traceable (data-dependent Python, unsupported arguments...): loop instead
        graph = None
    if not default_generator.get_state().equal(rng_state):
        graph = None  # torch.rand(2) ran once while tracing, and would be one draw for the whole batch
        default_generator.set_state(rng_state)  # the loop then draws what it would have drawn
    if graph is None:
        return NO_RULE
    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    if len(placeholders) != len(args):
        return NO_RULE
    env = {}
    for node, value, dim in zip(placeholders, args, dims):
        env[node] = value if dim is None else _Batched(value.movedim(dim, 0))
    for node in graph.nodes:
        if node.op == "placeholder":
            continue
        if node.op == "get_attr":  # a parameter, or a tensor the function captured (put on the root)
            value = tracer.root
            for atom in node.target.split("."):
                value = getattr(value, atom)
            env[node] = value
            continue
        args_, kwargs_ = map_arg((node.args, node.kwargs), env.__getitem__)
        if node.op == "output":
            leaves, spec = tree_flatten(args_[0])
            values = [leaf.value if isinstance(leaf, _Batched) else leaf for leaf in leaves]
            return tree_unflatten(values, spec), [isinstance(leaf, _Batched) for leaf in leaves]
        try:
            result = _apply(node, args_, kwargs_, batch_size)
        except (RuntimeError, IndexError, TypeError, ValueError):
            return NO_RULE  # a rule that does not fit this case: the loop gives the right answer or error
        if result is NO_RULE:
            return NO_RULE
        env[node] = result
    return NO_RULE
