"""``Proxy``: the stand-in value that flows through a function while it is traced.

Every operation on a proxy adds a node to the tracer's graph and returns a new proxy for its result,
so running ``forward`` once with proxies records the whole computation. What a proxy cannot do is
*be* a value: ``if proxy:``, ``for v in proxy:`` or ``len(proxy)`` would need the data, which does
not exist yet, so they raise (the limits of symbolic tracing, the same as torch.fx's).
"""

from __future__ import annotations

import builtins
import operator

__all__ = ["Proxy", "Attribute", "TraceError"]


class TraceError(ValueError):
    """Raised when traced code needs a value that only exists when the graph runs."""


class Proxy:
    """The traced value of ``node``; operators and method calls on it record new nodes.

    >>> import minitorch as torch
    >>> from minitorch import fx
    >>> g = fx.Graph()
    >>> x = fx.Proxy(g.placeholder("x"))
    >>> y = (x * 2).relu()
    >>> y
    Proxy(relu)
    """

    def __init__(self, node, tracer=None):
        self.node = node
        self.tracer = tracer if tracer is not None else _graph_tracer(node.graph)

    def __repr__(self):
        return f"Proxy({self.node.name})"

    __hash__ = object.__hash__  # ``==`` records a node, so hashing cannot use it

    def __getattr__(self, name):
        # ``x.shape`` -> a getattr node; ``x.sum(1)`` -> a call_method node (decided when called)
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # copy/pickle/inspect probing: not tensor attributes
        return Attribute(self, name)

    def __call__(self, *args, **kwargs):
        return self.tracer.create_proxy("call_method", "__call__", (self,) + args, kwargs)

    def __bool__(self):
        return self.tracer.to_bool(self)

    def __iter__(self):
        return self.tracer.iter(self)

    def __len__(self):
        raise RuntimeError("'len' is not supported in symbolic tracing by default. If you want this call to be "
                           "recorded, please call torch.fx.wrap('len') at module scope")


class Attribute(Proxy):
    """``proxy.name``: a method about to be called, or an attribute read (its node made on first use)."""

    def __init__(self, root, attr):
        self.root, self.attr, self.tracer = root, attr, root.tracer
        self._node = None

    @property
    def node(self):
        if self._node is None:
            self._node = self.tracer.create_proxy("call_function", builtins.getattr, (self.root, self.attr), {}).node
        return self._node

    def __call__(self, *args, **kwargs):
        return self.tracer.create_proxy("call_method", self.attr, (self.root,) + args, kwargs)

    def __repr__(self):
        return f"Proxy({self.node.name})"


def _graph_tracer(graph):
    from ._symbolic_trace import GraphAppendingTracer

    return GraphAppendingTracer(graph)


# ---- operators: each records operator.<name>(a, b) -----------------------------------------
_BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and_", "or_", "xor",
           "lshift", "rshift"]
_COMPARE = ["eq", "ne", "lt", "le", "gt", "ge", "getitem"]
_UNARY = ["neg", "pos", "invert"]


def _dunder(name):
    return f"__{name.rstrip('_')}__"


def _define_operators():
    for name in _BINARY + _COMPARE + _UNARY:
        fn = getattr(operator, name)

        def method(*args, _fn=fn):
            return args[0].tracer.create_proxy("call_function", _fn, args, {})
        setattr(Proxy, _dunder(name), method)
    for name in _BINARY:  # 3 - x: x.__rsub__(3) records operator.sub(3, x)
        fn = getattr(operator, name)

        def reflected(self, other, _fn=fn):
            return self.tracer.create_proxy("call_function", _fn, (other, self), {})
        setattr(Proxy, f"__r{name.rstrip('_')}__", reflected)


_define_operators()
