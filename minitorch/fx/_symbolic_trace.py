"""Symbolic tracing: run ``forward`` once on ``Proxy`` inputs and record what it does.

minitorch's functions know nothing about proxies, so while a trace runs the tracer *patches* them
(and restores them afterwards): every public function of ``minitorch`` and
``minitorch.nn.functional`` and every ``Tensor`` method is wrapped so that, called with a proxy
among its arguments, it records a node instead of computing. ``nn.Module.__call__`` is patched the
same way: a leaf module (the library's own layers) becomes one ``call_module`` node, any other
module is traced through.

>>> import minitorch as torch
>>> from minitorch import fx
>>> def f(x):
...     return torch.relu(x) * 2
>>> print(fx.symbolic_trace(f).code.strip())
def forward(self, x):
    relu = torch.relu(x);  x = None
    mul = relu * 2;  relu = None
    return mul
"""

from __future__ import annotations

import builtins
import functools
import inspect
import math
import operator
import sys
import types

from .graph import Graph
from .node import _assert, _torch_functions
from .proxy import Proxy, TraceError

__all__ = ["Tracer", "symbolic_trace", "wrap", "PH"]


class _PH:
    """``concrete_args={"x": fx.PH}``: keep this argument a placeholder."""

    def __repr__(self):
        return "PH"


PH = _PH()


_wrapped_globals = []  # (globals dict, name) registered by fx.wrap


def wrap(fn_or_name):
    """At module scope, ``fx.wrap("my_fn")`` (or ``fx.wrap(my_fn)``) makes tracing record calls to
    ``my_fn`` as one ``call_function`` node instead of tracing into it (e.g. because it uses ``len``
    or an ``if`` on its argument).

    >>> from minitorch import fx
    >>> def clipped_len(x):
    ...     return min(len(x), 3)
    >>> _ = fx.wrap("clipped_len")
    """
    name = fn_or_name if isinstance(fn_or_name, str) else fn_or_name.__name__
    caller_globals = sys._getframe(1).f_globals
    if caller_globals.get("__name__") is None:
        raise NotImplementedError("wrap must be called at the top level of a module")
    _wrapped_globals.append((caller_globals, name))
    return fn_or_name


def _find_proxy(value):
    """The first Proxy inside ``value`` (nested tuples/lists/dicts/slices), or None."""
    if isinstance(value, Proxy):
        return value
    if isinstance(value, (tuple, list)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    elif isinstance(value, slice):
        items = (value.start, value.stop, value.step)
    else:
        return None
    for item in items:
        found = _find_proxy(item)
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=None)  # made once per function: patching for a trace stays cheap
def _recording_function(fn):
    """``fn`` that records a call_function node when any argument is a proxy."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        proxy = _find_proxy((args, kwargs))
        if proxy is None:
            return fn(*args, **kwargs)
        return proxy.tracer.create_proxy("call_function", fn, args, kwargs)
    return wrapper


@functools.lru_cache(maxsize=None)
def _recording_method(name, method):
    """``Tensor.<name>`` that records when a proxy is an argument (``W.mm(x)`` with a traced x);
    an arithmetic operator instead returns NotImplemented, so Python asks the proxy's reflected
    operator (``W + x`` -> ``x.__radd__(W)`` -> ``operator.add(W, x)``)."""
    operator_like = name.startswith("__") and name not in ("__getitem__", "__setitem__")
    node_target = {"__getitem__": "getitem", "__setitem__": "setitem"}

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        proxy = _find_proxy((args, kwargs))
        if proxy is None:
            return method(self, *args, **kwargs)
        if operator_like:
            return NotImplemented
        if name in node_target:
            return proxy.tracer.create_proxy("call_function", getattr(operator, node_target[name]),
                                             (self,) + args, kwargs)
        return proxy.tracer.create_proxy("call_method", name, (self,) + args, kwargs)
    return wrapper


_TENSOR_DUNDERS = {"__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
                   "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
                   "__rpow__", "__matmul__", "__rmatmul__", "__and__", "__rand__", "__or__", "__ror__",
                   "__xor__", "__rxor__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
                   "__getitem__", "__setitem__"}


_MISSING = object()


def _plain_arguments():
    from .._device import device
    from .._dtypes import dtype

    return (type(None), bool, int, float, complex, str, type(Ellipsis), dtype, device)


_PLAIN_ARGUMENTS = _plain_arguments()  # values a node's args may hold as they are (their repr is code)
_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType)


class _Patcher:
    """Sets attributes (or globals: ``owner`` a dict) for the duration of a trace and puts every
    old value back afterwards."""

    def __init__(self):
        self._saved = []

    def patch(self, owner, name, value):
        if isinstance(owner, dict):
            self._saved.append((owner, name, owner.get(name, _MISSING)))
            owner[name] = value
        else:
            self._saved.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)

    def restore(self):
        for owner, name, old in reversed(self._saved):
            if not isinstance(owner, dict):
                setattr(owner, name, old)
            elif old is _MISSING:  # a builtin shadowed by fx.wrap("len")
                del owner[name]
            else:
                owner[name] = old
        self._saved.clear()


# ---- the tracer --------------------------------------------------------------------------------
class Tracer:
    """Turns a module or function into a ``Graph``. Subclass it to change what is a leaf
    (``is_leaf_module``) or how values become node arguments (``create_arg``)."""

    def __init__(self, autowrap_modules=(math,), autowrap_functions=()):
        # functions recorded whole when a proxy reaches them (math.sqrt(x.size(-1)) in attention code)
        self.autowrap_functions = tuple(autowrap_functions) + tuple(
            f for module in autowrap_modules for name, f in vars(module).items()
            if isinstance(f, _FUNCTIONS) and not name.startswith("_"))
        self.autowrap_modules = tuple(autowrap_modules)
        self.graph = None
        self.root = None
        self.tensor_attrs = {}

    # ---- extension points (torch.fx's names) ----
    def is_leaf_module(self, m, module_qualified_name):
        """Library layers (``nn.Linear``, ``nn.ReLU``...) are leaves, recorded as one call_module
        node; ``nn.Sequential`` and user modules are traced through."""
        from ..nn import Sequential

        return type(m).__module__.startswith("minitorch.nn") and not isinstance(m, Sequential)

    def path_of_module(self, mod):
        for name, m in self.root.named_modules():
            if m is mod:
                return name
        raise NameError("module is not installed as a submodule")

    def call_module(self, m, forward, args, kwargs):
        name = self.path_of_module(m)
        if not self.is_leaf_module(m, name):
            return forward(*args, **kwargs)
        return self.create_proxy("call_module", name, args, kwargs)

    def create_node(self, kind, target, args, kwargs, name=None, type_expr=None):
        return self.graph.create_node(kind, target, args, kwargs, name, type_expr)

    def proxy(self, node):
        return Proxy(node, self)

    def create_proxy(self, kind, target, args, kwargs, name=None, type_expr=None):
        args, kwargs = self.create_arg(args), self.create_arg(kwargs)
        return self.proxy(self.create_node(kind, target, args, kwargs, name, type_expr))

    def create_arg(self, a):
        """A value as it is stored in a node's args: proxies become their nodes; a tensor becomes a
        ``get_attr`` of the parameter/buffer it is, or of a new ``_tensor_constant<i>`` attribute."""
        from .._tensor import Tensor
        from .node import map_aggregate

        def convert(x):
            if isinstance(x, Proxy):
                return x.node
            if isinstance(x, Tensor):
                return self._tensor_node(x)
            if isinstance(x, _PLAIN_ARGUMENTS):
                return x
            raise NotImplementedError(f"argument of type: {type(x)}")  # e.g. a function: no code can name it
        return map_aggregate(a, convert)

    def _tensor_node(self, t):
        if id(t) not in self.tensor_attrs:
            name = f"_tensor_constant{sum(n.startswith('_tensor_constant') for n in self.tensor_attrs.values())}"
            setattr(self.root, name, t)  # torch.fx keeps constants on the root module as well
            self.tensor_attrs[id(t)] = name
        name = self.tensor_attrs[id(t)]
        if name not in self._attr_nodes:
            self._attr_nodes[name] = self.create_node("get_attr", name, (), {})
        return self._attr_nodes[name]

    def getattr(self, attr, attr_val):
        """What forward sees for ``module.<attr>``: a proxy for the root's parameters and buffers
        (so ``self.weight.t()`` is recorded), the value itself for anything else."""
        from .._tensor import Tensor

        if isinstance(attr_val, Tensor) and id(attr_val) in self.tensor_attrs:
            return self.proxy(self._tensor_node(attr_val))
        return attr_val

    def to_bool(self, obj):
        raise TraceError("symbolically traced variables cannot be used as inputs to control flow")

    def iter(self, obj):
        raise TraceError("Proxy object cannot be iterated. This can be attempted when the Proxy is used in a loop "
                         "or as a *args or **kwargs function argument. See the torch.fx docs on pytorch.org for a "
                         "more detailed explanation of what types of control flow can be traced, and check out the "
                         "Proxy docstring for help troubleshooting Proxy iteration errors")

    # ---- tracing ----
    def trace(self, root, concrete_args=None):
        """Record ``root`` (a module's ``forward`` or a function) into a new ``Graph``."""
        from ..nn import Module

        if isinstance(root, Module):
            # a GraphModule keeps its generated forward on the instance: trace that one
            own = vars(root).get("forward")
            self.root, fn = root, (own.__func__ if own is not None else type(root).forward)
        else:
            self.root, fn = Module(), root
        self.graph = Graph()
        self.tensor_attrs = {}
        self._attr_nodes = {}
        for kind in ("named_parameters", "named_buffers"):
            for name, t in getattr(self.root, kind)():
                self.tensor_attrs.setdefault(id(t), name)
        args = self._placeholders(fn, isinstance(root, Module), concrete_args or {})

        patcher = _Patcher()
        try:
            self._patch_everything(patcher, fn)
            result = fn(*args)
        finally:
            patcher.restore()
        self.create_node("output", "output", (self.create_arg(result),), {})
        return self.graph

    def _placeholders(self, fn, is_method, concrete_args):
        params = list(inspect.signature(fn).parameters.values())
        args = [self.root] if is_method else []
        params = params[1:] if is_method else params
        unknown = set(concrete_args) - {p.name for p in params}
        if unknown:
            raise RuntimeError(f"concrete_args names {sorted(unknown)} are not arguments of the traced function")
        for p in params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise NotImplementedError(f"symbolic_trace: *args/**kwargs ({p.name}) are not supported by minitorch.fx")
            value = concrete_args.get(p.name, PH)
            default = inspect.Signature.empty if p.default is p.empty else p.default
            node = self.create_node("placeholder", p.name, () if default is p.empty else (default,), {})
            if value is PH:
                args.append(self.proxy(node))
                continue
            if isinstance(value, (bool, int, float, str)):  # check at run time what tracing assumed
                eq = self.create_proxy("call_function", operator.eq, (self.proxy(node), value), {})
                self.create_proxy("call_function", _assert, (eq, f"{p.name} has been specialized to have value "
                                                                 f"{value} but got another value"), {})
            args.append(value)
        return args

    def _patch_everything(self, patcher, fn):
        from .._tensor import Tensor
        from ..nn import Module, functional
        import minitorch

        originals = _torch_functions()
        wrappers = {f: _recording_function(f) for f in list(originals) + list(self.autowrap_functions)}
        for namespace in (minitorch, functional) + self.autowrap_modules:
            for name, value in list(vars(namespace).items()):
                if isinstance(value, _FUNCTIONS) and value in wrappers:
                    patcher.patch(namespace, name, wrappers[value])
        # names bound by ``from minitorch import relu`` in the traced code's modules
        scopes = [fn.__globals__] + [sys.modules[type(m).__module__].__dict__ for m in self.root.modules()]
        done = set()
        for scope in scopes:
            if id(scope) in done:
                continue
            done.add(id(scope))
            for name, value in list(scope.items()):
                if isinstance(value, _FUNCTIONS) and value in wrappers:
                    patcher.patch(scope, name, wrappers[value])
        for scope, name in _wrapped_globals:
            target = scope.get(name, getattr(builtins, name, None))
            if callable(target):
                patcher.patch(scope, name, _recording_function(target))
        for name, method in list(vars(Tensor).items()):
            if isinstance(method, types.FunctionType) and \
                    (not name.startswith("_") or name in _TENSOR_DUNDERS):
                patcher.patch(Tensor, name, _recording_method(name, method))
        tracer, module_getattr = self, Module.__getattr__

        def module_call(mod, *args, **kwargs):
            return tracer.call_module(mod, mod.forward, args, kwargs)

        def traced_getattr(mod, name):  # ``self.weight`` in forward: a get_attr proxy
            return tracer.getattr(name, module_getattr(mod, name))
        patcher.patch(Module, "__call__", module_call)
        patcher.patch(Module, "__getattr__", traced_getattr)


class GraphAppendingTracer(Tracer):
    """A tracer that only appends to an existing graph (for proxies made by hand or by passes)."""

    def __init__(self, graph):
        super().__init__()
        self.graph = graph
        self.root = None
        self._attr_nodes = {}


def symbolic_trace(root, concrete_args=None):
    """Trace ``root`` (an ``nn.Module`` or a function) into a ``GraphModule``.

    ``concrete_args``: ``{name: value}`` arguments fixed during tracing (e.g. a flag an ``if``
    reads; the traced code checks at run time that it gets the same value), or ``fx.PH`` to keep one
    symbolic.

    >>> import minitorch as torch
    >>> from minitorch import fx, nn
    >>> gm = fx.symbolic_trace(nn.Sequential(nn.Linear(3, 4), nn.ReLU()))
    >>> print(gm.graph)
    graph():
        %input_1 : [num_users=1] = placeholder[target=input]
        %_0 : [num_users=1] = call_module[target=0](args = (%input_1,), kwargs = {})
        %_1 : [num_users=1] = call_module[target=1](args = (%_0,), kwargs = {})
        return _1
    """
    from ..nn import Module
    from .graph_module import GraphModule

    tracer = Tracer()
    graph = tracer.trace(root, concrete_args)
    name = type(root).__name__ if isinstance(root, Module) else root.__name__
    return GraphModule(tracer.root, graph, name)

