"""``GraphModule``: an ``nn.Module`` whose ``forward`` is generated from a ``Graph``.

Edit ``gm.graph``, call ``gm.recompile()``, and ``gm.code`` / ``gm(x)`` follow the edit.
"""

from __future__ import annotations

import itertools
import linecache
import types

from ..nn import Module

__all__ = ["GraphModule"]

_source_keys = itertools.count()


def _exec_with_source(src, globals_):
    """Compile the generated ``forward`` under a fake file name that ``linecache`` knows, so a
    traceback through a GraphModule shows the generated line."""
    key = f"<eval_with_key>.{next(_source_keys)}"
    linecache.cache[key] = (len(src), None, src.splitlines(True), key)
    exec(compile(src, key, "exec"), globals_)
    return globals_["forward"]


def _copy_attr(source, destination, target):
    """Copy ``source.<target>`` (a dotted path) onto ``destination``, creating empty modules along
    the path; a parameter stays a parameter and a buffer a buffer."""
    *prefix, field = target.split(".")
    for atom in prefix:
        source = getattr(source, atom)
        if not hasattr(destination, atom):
            setattr(destination, atom, Module())
        destination = getattr(destination, atom)
    value = getattr(source, field)
    if field in getattr(source, "_buffers", {}):
        destination.register_buffer(field, value)
    else:
        setattr(destination, field, value)


class GraphModule(Module):
    """A module made from ``root`` (whose parameters and submodules the graph refers to: a module,
    or a dict ``{target: value}``) and a ``graph``.

    >>> import minitorch as torch
    >>> from minitorch import fx
    >>> gm = fx.symbolic_trace(lambda x: x + 1)
    >>> gm(torch.tensor([1.0, 2.0]))
    tensor([2., 3.])
    """

    def __init__(self, root, graph, class_name="GraphModule"):
        super().__init__()
        self._class_name = class_name
        if isinstance(root, Module):
            self.training = root.training
            for node in graph.nodes:
                if node.op in ("get_attr", "call_module"):
                    _copy_attr(root, self, node.target)
        elif isinstance(root, dict):
            for node in graph.nodes:
                if node.op in ("get_attr", "call_module"):
                    if node.target not in root:
                        raise RuntimeError(f"Node {node.name} referenced target {node.target} but that target "
                                           "was not provided in ``root``!")
                    self._set_path(node.target, root[node.target])
        else:
            raise RuntimeError(f"Unsupported type {root} passed for root!")
        self.graph = graph

    def _set_path(self, target, value):
        *prefix, field = target.split(".")
        owner = self
        for atom in prefix:
            if not hasattr(owner, atom):
                setattr(owner, atom, Module())
            owner = getattr(owner, atom)
        setattr(owner, field, value)

    @property
    def graph(self):
        return self._graph

    @graph.setter
    def graph(self, graph):
        object.__setattr__(self, "_graph", graph)
        graph.owning_module = self
        self.recompile()

    @property
    def code(self):
        """The Python source of ``forward``, generated from the graph."""
        return self._code

    def recompile(self):
        """Regenerate ``forward`` from ``self.graph`` (call it after editing the graph)."""
        python_code = self._graph.python_code(root_module="self")
        object.__setattr__(self, "_code", python_code.src)
        object.__setattr__(self, "forward", types.MethodType(_exec_with_source(python_code.src,
                                                                               python_code.globals), self))
        return python_code

    def print_readable(self, print_output=True):
        """The generated code as a class definition (what torch.fx prints)."""
        body = "\n".join(("    " + line).rstrip() for line in self._code.strip("\n ").split("\n"))
        text = f"class {self._class_name}(torch.nn.Module):\n{body}\n"
        if print_output:
            print(text)
        return text

    def _get_name(self):
        return self._class_name

    def __str__(self):
        return "\n".join([super().__repr__(), self._code,
                          "# To see more debug info, please use `graph_module.print_readable()`"])
