"""``Graph``: an ordered list of ``Node``s, and the Python code it stands for.

>>> import minitorch as torch
>>> from minitorch import fx
>>> g = fx.Graph()
>>> x = g.placeholder("x")
>>> y = g.call_function(torch.relu, (x,))
>>> _ = g.output(y)
>>> print(g)
graph():
    %x : [num_users=1] = placeholder[target=x]
    %relu : [num_users=1] = call_function[target=torch.relu](args = (%x,), kwargs = {})
    return relu
"""

from __future__ import annotations

import builtins
import contextlib
import inspect
import keyword
import operator
import re
from collections import namedtuple

from .node import Node, map_arg, torch_name

__all__ = ["Graph", "PythonCode"]

PythonCode = namedtuple("PythonCode", ["src", "globals"])

# operator functions written as Python syntax in the generated code (``x + y``, ``-x``, ``x[i]``)
_INFIX = {operator.add: "+", operator.sub: "-", operator.mul: "*", operator.truediv: "/",
          operator.floordiv: "//", operator.mod: "%", operator.pow: "**", operator.matmul: "@",
          operator.and_: "&", operator.or_: "|", operator.xor: "^", operator.lshift: "<<",
          operator.rshift: ">>", operator.eq: "==", operator.ne: "!=", operator.lt: "<",
          operator.le: "<=", operator.gt: ">", operator.ge: ">="}
_PREFIX = {operator.neg: "-", operator.pos: "+", operator.invert: "~"}


class _Namespace:
    """Hands out unique, valid Python names: ``sum`` -> ``sum_1`` (a builtin), ``relu``, ``relu_1``..."""

    def __init__(self):
        self._used = set()
        self._next_suffix = {}

    def create_name(self, candidate):
        candidate = re.sub(r"[^0-9a-zA-Z_]+", "_", candidate)
        candidate = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", candidate).lower()  # CamelCase -> camel_case
        if not candidate or candidate[0].isdigit():
            candidate = "_" + candidate
        match = re.fullmatch(r"(.*)_(\d+)", candidate)
        base = match.group(1) if match and candidate in self._used else candidate
        name = base
        while name in self._used or keyword.iskeyword(name) or hasattr(builtins, name) or name == "self":
            self._next_suffix[base] = self._next_suffix.get(base, 0) + 1
            name = f"{base}_{self._next_suffix[base]}"
        self._used.add(name)
        return name

    def forget(self, name):
        self._used.discard(name)


class Graph:
    """The nodes of a program, in execution order. Build one by tracing (``fx.symbolic_trace``) or
    by hand with ``placeholder``/``call_function``/.../``output``; ``python_code`` turns it into the
    ``forward`` of a ``GraphModule``."""

    def __init__(self, owning_module=None):
        self._nodes = []
        self._namespace = _Namespace()
        self._insert = self._nodes.append  # where create_node puts the next node
        self.owning_module = owning_module

    @property
    def nodes(self):
        """A snapshot of the nodes in order (safe to erase or insert while iterating over it)."""
        return tuple(self._nodes)

    def find_nodes(self, *, op, target=None):
        """The nodes with this ``op`` (and ``target``, if given)."""
        return [n for n in self._nodes if n.op == op and (target is None or n.target == target)]

    # ---- building ---------------------------------------------------------------------------
    def create_node(self, op, target, args=None, kwargs=None, name=None, type_expr=None):
        """Add a node at the current insertion point (the end, unless inside ``inserting_*``)."""
        name = self._namespace.create_name(name or self._candidate_name(op, target))
        node = Node(self, name, op, target, args or (), kwargs or {}, type_expr)
        self._insert(node)
        return node

    @staticmethod
    def _candidate_name(op, target):
        if op == "call_function":
            return getattr(target, "__name__", "fn")
        return str(target)

    def placeholder(self, name, type_expr=None, default_value=inspect.Signature.empty):
        args = () if default_value is inspect.Signature.empty else (default_value,)
        return self.create_node("placeholder", name, args, type_expr=type_expr)

    def get_attr(self, qualified_name, type_expr=None):
        return self.create_node("get_attr", qualified_name, type_expr=type_expr)

    def call_function(self, the_function, args=None, kwargs=None, type_expr=None):
        return self.create_node("call_function", the_function, args, kwargs, type_expr=type_expr)

    def call_method(self, method_name, args=None, kwargs=None, type_expr=None):
        return self.create_node("call_method", method_name, args, kwargs, type_expr=type_expr)

    def call_module(self, module_name, args=None, kwargs=None, type_expr=None):
        return self.create_node("call_module", module_name, args, kwargs, type_expr=type_expr)

    def output(self, result, type_expr=None):
        return self.create_node("output", "output", (result,), type_expr=type_expr)

    def node_copy(self, node, arg_transform=lambda n: n):
        """A copy of ``node`` (from any graph) in this one, its input nodes mapped by ``arg_transform``."""
        args, kwargs = map_arg((node.args, node.kwargs), arg_transform)
        copy = self.create_node(node.op, node.target, args, kwargs, node.name, node.type)
        copy.meta = dict(node.meta)
        return copy

    @contextlib.contextmanager
    def _inserting(self, position):
        saved, self._insert = self._insert, position
        try:
            yield
        finally:
            self._insert = saved

    def inserting_before(self, n=None):
        """``with graph.inserting_before(n):`` new nodes go just before ``n`` (the start if None)."""
        def insert(node):
            self._nodes.insert(self._nodes.index(n) if n is not None else 0, node)
        return self._inserting(insert)

    def inserting_after(self, n=None):
        """``with graph.inserting_after(n):`` new nodes go after ``n``, each after the previous one
        (the end if None)."""
        anchor = [n]

        def insert(node):
            if anchor[0] is None:
                self._nodes.append(node)
            else:
                self._nodes.insert(self._nodes.index(anchor[0]) + 1, node)
            anchor[0] = node
        return self._inserting(insert)

    # ---- editing ----------------------------------------------------------------------------
    def erase_node(self, to_erase):
        """Remove a node nobody uses any more."""
        if to_erase.users:
            raise RuntimeError(f"Tried to erase Node {to_erase} but it still had {len(to_erase.users)} users in "
                               f"the graph: {to_erase.users}!")
        if to_erase.graph is not self:
            raise RuntimeError(f"Attempting to remove {to_erase} from wrong graph!")
        to_erase.args, to_erase.kwargs = (), {}  # no longer a user of its inputs
        self._nodes.remove(to_erase)
        self._namespace.forget(to_erase.name)
        to_erase._erased = True

    def eliminate_dead_code(self):
        """Remove every node whose value nobody uses and that has no side effect.
        Walks backwards, so a chain of dead nodes goes in one pass. Returns whether anything changed."""
        changed = False
        for node in reversed(self._nodes[:]):
            if not node.users and not node.is_impure():
                self.erase_node(node)
                changed = True
        return changed

    def lint(self):
        """Check the invariants: nodes belong here, inputs are defined before use, names are unique,
        ``users`` agree with ``args``, get_attr/call_module targets exist on the owning module."""
        seen, names = set(), set()
        for node in self._nodes:
            if node.graph is not self:
                raise RuntimeError(f"Node '{node}' does not belong to this Graph!")
            if node.name in names:
                raise RuntimeError(f"Node redefined name {node.name}!")
            for arg in node.all_input_nodes:
                if arg.graph is not self:
                    raise RuntimeError(f"Argument '{arg}' of Node '{node}' does not belong to this Graph, but was "
                                       "used as an argument! If you are copying nodes from another graph, make sure "
                                       "to use ``arg_transform`` on node_copy() to remap values\n" + str(self))
                if arg not in seen:
                    raise RuntimeError(f"Argument '{arg}' of Node '{node}' was used before it has been defined! "
                                       "Please check that Nodes in the graph are topologically ordered\n" + str(self))
                if node not in arg.users:
                    raise RuntimeError(f"Node '{node}' reads '{arg}' but is missing from its users")
            seen.add(node)
            names.add(node.name)
            if self.owning_module is not None and node.op in ("get_attr", "call_module"):
                module = self.owning_module
                for i, atom in enumerate(node.target.split(".")):
                    if not hasattr(module, atom):
                        seen_qualname = ".".join(node.target.split(".")[:i])
                        raise RuntimeError(f"Node {node} target {node.target} references nonexistent attribute "
                                           f"{atom} of {seen_qualname}")
                    module = getattr(module, atom)

    # ---- printing and code ------------------------------------------------------------------
    def __str__(self):
        lines = ["graph():"] + ["    " + n.format_node() for n in self._nodes]
        return "\n".join(lines)

    def print_tabular(self):
        """Print one row per node: opcode, name, target, args, kwargs (torch.fx's table, which uses
        the ``tabulate`` package; written out here so no extra dependency is needed)."""
        rows = [[n.op, n.name, str(n.target), str(n.args), str(n.kwargs)] for n in self._nodes]
        header = ["opcode", "name", "target", "args", "kwargs"]
        widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]

        def line(cells):
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

        print("\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]))

    def python_code(self, root_module="self"):
        """The source of ``forward`` and the globals it needs (torch.fx's code layout: one line per
        node, and each value set to None right after its last use so its memory can be freed)."""
        node_names = {n.name for n in self._nodes}  # a global must not be shadowed by a local
        namespace = {"torch": _minitorch(), "inf": float("inf"), "nan": float("nan"), "device": _device()}
        globals_ = dict(namespace)

        def global_name(obj):
            # torch functions print as torch.<name>; anything else gets its own global
            name = torch_name(obj)
            if name is not None:
                return name
            base = re.sub(r"\W", "_", getattr(obj, "__name__", "fn"))
            if getattr(obj, "__module__", None) == "math":
                base = "math_" + base  # math_sqrt, as torch.fx names it
            candidate, i = base, 0
            while candidate in node_names or (candidate in globals_ and globals_[candidate] is not obj):
                i += 1
                candidate = f"{base}_{i}"
            globals_[candidate] = obj
            return candidate

        last_use = {}
        for node in self._nodes:
            for arg in node.all_input_nodes:
                last_use[arg] = node

        signature, body = [], []
        for node in self._nodes:
            if node.op == "placeholder":
                default = f" = {_code_arg(node.args[0])}" if node.args else ""
                signature.append(node.target + default)
                if node.name != node.target:
                    body.append(f"{node.name} = {node.target}")
                continue
            if node.op == "output":
                body.append(f"return {_code_arg(node.args[0])}")
                continue
            line = f"{node.name} = {_node_expression(node, root_module, global_name)}"
            dead = [arg.name for arg in node.all_input_nodes if last_use[arg] is node]
            if not node.users:
                dead.append(node.name)
            if dead:
                line += ";  " + " = ".join(dead) + " = None"
            body.append(line)
        args = ", ".join([root_module] + signature)
        src = f"\n\n\ndef forward({args}):\n" + "".join(f"    {line}\n" for line in body) + "    "
        return PythonCode(src, globals_)


def _minitorch():
    import minitorch

    return minitorch


def _device():
    from .._device import device

    return device


def _code_arg(a):
    """An argument as Python source: nodes by name, everything else by repr."""
    return repr(map_arg(a, lambda n: _Name(n.name)))


class _Name(str):
    def __repr__(self):
        return str(self)


def _attr_path(root, target):
    """``self.linear.weight``; ``getattr(self, "0")`` where an atom is not an identifier."""
    expr = root
    for atom in target.split("."):
        expr = f"{expr}.{atom}" if atom.isidentifier() else f'getattr({expr}, "{atom}")'
    return expr


def _call_args(args, kwargs):
    parts = [_code_arg(a) for a in args] + [f"{k} = {_code_arg(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _node_expression(node, root, global_name):
    """The right-hand side of a node's line in the generated code."""
    if node.op == "get_attr":
        return _attr_path(root, node.target)
    if node.op == "call_module":
        return f"{_attr_path(root, node.target)}({_call_args(node.args, node.kwargs)})"
    if node.op == "call_method":
        obj, *rest = node.args
        return f"{_code_arg(obj)}.{node.target}({_call_args(rest, node.kwargs)})"
    fn = node.target
    if fn in _INFIX and len(node.args) == 2 and not node.kwargs:
        return f"{_code_arg(node.args[0])} {_INFIX[fn]} {_code_arg(node.args[1])}"
    if fn in _PREFIX and len(node.args) == 1 and not node.kwargs:
        return f"{_PREFIX[fn]}{_code_arg(node.args[0])}"
    if fn is operator.getitem and len(node.args) == 2:
        return f"{_code_arg(node.args[0])}[{_code_arg(node.args[1])}]"
    if fn is builtins.getattr and len(node.args) == 2 and str(node.args[1]).isidentifier():
        return f"{_code_arg(node.args[0])}.{node.args[1]}"
    return f"{global_name(fn)}({_call_args(node.args, node.kwargs)})"

