"""``Node``: one operation of an fx ``Graph`` (torch.fx's node model).

A node has an ``op`` (what kind of operation), a ``target`` (which one), ``args``/``kwargs`` (in
which other nodes appear where their values go) and ``users`` (the nodes that read its value):

=============  =====================================  ==========================================
op             target                                 meaning
=============  =====================================  ==========================================
placeholder    the argument's name                    an input of the function
get_attr       a dotted attribute path ("lin.weight") a parameter/buffer/constant of the module
call_function  a python function (``torch.relu``)     ``target(*args, **kwargs)``
call_method    a method name (``"sum"``)              ``args[0].target(*args[1:], **kwargs)``
call_module    a submodule path (``"layer1.0"``)      ``self.<target>(*args, **kwargs)``
output         ``"output"``                           ``return args[0]``
=============  =====================================  ==========================================
"""

from __future__ import annotations

import builtins
import functools
import operator
import types

__all__ = ["Node", "map_arg", "map_aggregate"]

_OPCODES = ("placeholder", "get_attr", "call_function", "call_method", "call_module", "output")


def map_aggregate(a, fn):
    """Apply ``fn`` to every leaf of ``a``, rebuilding tuples, lists, dicts and slices around the results."""
    if isinstance(a, tuple):
        mapped = tuple(map_aggregate(x, fn) for x in a)
        return type(a)(*mapped) if hasattr(a, "_fields") else mapped  # namedtuples keep their type
    if isinstance(a, list):
        return [map_aggregate(x, fn) for x in a]
    if isinstance(a, dict):
        return {k: map_aggregate(v, fn) for k, v in a.items()}
    if isinstance(a, slice):
        return slice(map_aggregate(a.start, fn), map_aggregate(a.stop, fn), map_aggregate(a.step, fn))
    return fn(a)


def map_arg(a, fn):
    """Apply ``fn`` to every ``Node`` inside ``a`` (other leaves stay as they are)."""
    return map_aggregate(a, lambda x: fn(x) if isinstance(x, Node) else x)


@functools.lru_cache(maxsize=None)
def _torch_functions():
    """{function: "torch.name"} for the public functions of minitorch and minitorch.nn.functional.
    (Built once: the namespaces do not change after import.)"""
    import minitorch
    from minitorch.nn import functional

    names = {}
    for prefix, namespace in (("torch.nn.functional", functional), ("torch", minitorch)):
        found = {}
        for name, value in vars(namespace).items():
            if isinstance(value, types.FunctionType) and not name.startswith("_"):
                if value not in found or name == value.__name__:  # an alias (negative = neg): its own name
                    found[value] = f"{prefix}.{name}"
        names.update(found)  # torch.<name> wins where both namespaces have the function
    return names


def torch_name(fn):
    """``"torch.relu"`` for minitorch's ``relu``; None for a function outside minitorch."""
    try:
        return _torch_functions().get(fn)
    except TypeError:  # unhashable target
        return None


def _qualified_name(fn):
    """The name torch.fx prints for a function target: ``operator.add``, ``torch.relu``..."""
    name = torch_name(fn)
    if name is not None:
        return name
    if fn is _assert:
        return "torch._assert"
    module = getattr(fn, "__module__", None) or "builtins"
    module = {"_operator": "operator"}.get(module, module)
    return f"{module}.{getattr(fn, '__qualname__', getattr(fn, '__name__', repr(fn)))}"


def _format_arg(a):
    """An argument as ``print(graph)`` shows it: nodes as ``%name``, strings bare."""
    if isinstance(a, Node):
        return "%" + a.name
    if isinstance(a, tuple):
        inner = ", ".join(_format_arg(x) for x in a)
        return f"({inner},)" if len(a) == 1 else f"({inner})"
    if isinstance(a, list):
        return "[" + ", ".join(_format_arg(x) for x in a) + "]"
    if isinstance(a, dict):
        return "{" + ", ".join(f"{k}: {_format_arg(v)}" for k, v in a.items()) + "}"
    return str(a)


class Node:
    """One operation in a ``Graph``; see the module docstring for ``op``/``target``.

    >>> import minitorch as torch
    >>> from minitorch import fx
    >>> gm = fx.symbolic_trace(lambda x: torch.relu(x) + 1)
    >>> [(n.op, n.name) for n in gm.graph.nodes]
    [('placeholder', 'x'), ('call_function', 'relu'), ('call_function', 'add'), ('output', 'output')]
    """

    def __init__(self, graph, name, op, target, args, kwargs, type=None):
        if op not in _OPCODES:
            raise ValueError(f"Invalid op {op!r}: expected one of {_OPCODES}")
        if op == "call_function" and not callable(target):
            raise ValueError(f"Node [graph = {graph}, name = '{name}'] target {target} has type "
                             f"{builtins.type(target)} but a Callable is expected")
        if op in ("get_attr", "call_method", "call_module", "placeholder") and not isinstance(target, str):
            raise ValueError(f"Node [graph = {graph}, name = '{name}'] target {target} has type "
                             f"{builtins.type(target)} but a str is expected")
        self.graph, self.name, self.op, self.target, self.type = graph, name, op, target, type
        self.users = {}   # node -> None: an ordered set of the nodes whose args contain this one
        self.meta = {}    # free space for passes (ShapeProp puts "tensor_meta" here)
        self._args, self._kwargs = (), {}
        self._erased = False
        self._update_args_kwargs(tuple(args), dict(kwargs))

    # ---- inputs and users -------------------------------------------------------------------
    @property
    def args(self):
        return self._args

    @args.setter
    def args(self, value):
        self._update_args_kwargs(tuple(value), self._kwargs)

    @property
    def kwargs(self):
        return self._kwargs

    @kwargs.setter
    def kwargs(self, value):
        self._update_args_kwargs(self._args, dict(value))

    @property
    def all_input_nodes(self):
        """The distinct nodes among ``args`` and ``kwargs``, in order of appearance."""
        found = {}
        map_arg((self._args, self._kwargs), lambda n: found.setdefault(n))
        return list(found)

    def _update_args_kwargs(self, args, kwargs):
        # keep every input's ``users`` exact: drop this node from the old inputs, add it to the new
        for old in self.all_input_nodes:
            old.users.pop(self, None)
        self._args, self._kwargs = args, kwargs
        for new in self.all_input_nodes:
            new.users.setdefault(self)

    def replace_all_uses_with(self, replace_with, delete_user_cb=lambda user: True):
        """Make every user read ``replace_with`` instead of this node; returns the users changed."""
        changed = [user for user in self.users if delete_user_cb(user)]
        for user in changed:
            user.replace_input_with(self, replace_with)
        return changed

    def replace_input_with(self, old_input, new_input):
        """Read ``new_input`` wherever this node read ``old_input``."""
        swap = lambda n: new_input if n is old_input else n  # noqa: E731
        self._update_args_kwargs(map_arg(self._args, swap), map_arg(self._kwargs, swap))

    # ---- position in the graph --------------------------------------------------------------
    @property
    def next(self):
        nodes = self.graph._nodes
        i = nodes.index(self)
        return nodes[i + 1] if i + 1 < len(nodes) else None

    @property
    def prev(self):
        nodes = self.graph._nodes
        i = nodes.index(self)
        return nodes[i - 1] if i > 0 else None

    def prepend(self, x):
        """Move node ``x`` to just before this one."""
        self.graph._nodes.remove(x)
        self.graph._nodes.insert(self.graph._nodes.index(self), x)

    def append(self, x):
        """Move node ``x`` to just after this one."""
        self.graph._nodes.remove(x)
        self.graph._nodes.insert(self.graph._nodes.index(self) + 1, x)

    # ---- properties -------------------------------------------------------------------------
    def is_impure(self):
        """Whether removing this node could change what the program does (even unused)."""
        if self.op in ("placeholder", "output"):
            return True
        if self.op == "call_function":
            return self.target in _SIDE_EFFECTS or getattr(self.target, "__name__", "").endswith("_")
        if self.op == "call_method":
            return self.target.endswith("_")  # in-place: x.add_(1) changes x
        if self.op == "call_module":
            return getattr(self.graph.owning_module.get_submodule(self.target), "_is_impure", False) \
                if self.graph.owning_module is not None else False
        return False

    def format_node(self):
        """This node as one line of ``print(graph)``."""
        if self.op == "output":
            return f"return {_format_output(self.args[0])}"
        head = f"%{self.name} : [num_users={len(self.users)}] = {self.op}[target={self._pretty_target()}]"
        if self.op == "placeholder":
            return head + (f"(default={self.args[0]})" if self.args else "")
        if self.op == "get_attr":
            return head
        return head + f"(args = {_format_arg(self.args)}, kwargs = {_format_arg(self.kwargs)})"

    def _pretty_target(self):
        return _qualified_name(self.target) if self.op == "call_function" else self.target

    def __repr__(self):
        return self.name


def _format_output(value):
    """``return add`` / ``return (sin, getattr_1)``: names without ``%``."""
    return map_arg(value, lambda n: _Bare(n.name)).__repr__()


class _Bare(str):
    def __repr__(self):
        return str(self)


def _assert(condition, message):
    """``torch._assert``: raise ``AssertionError(message)`` unless ``condition`` (fx records it as a
    call, so a traced program can check what tracing assumed)."""
    if not condition:
        raise AssertionError(message)


_SIDE_EFFECTS = {_assert, builtins.print, operator.setitem}
