"""Draw the backward graph of a tensor (torchviz's ``make_dot``) for notebooks.

>>> import minitorch as torch
>>> x = torch.ones(2, requires_grad=True)
>>> dot = torch.viz.draw_graph((x * 2).sum(), params={"x": x})   # doctest: +SKIP
>>> dot          # in Jupyter: renders the graph inline (needs the ``dot`` program)   # doctest: +SKIP

Boxes: the output tensor(s) in green, one box per backward node (``MulBackward0``...), leaf
tensors that require grad in blue (named from ``params``), saved tensors in orange
(``show_saved=True``). Edges follow the gradient: from the inputs' nodes to the output.
"""

from __future__ import annotations

from ._optional import require

__all__ = ["draw_graph", "make_dot", "draw_fx_graph"]

_NODE_STYLE = dict(style="filled", shape="box", align="left", fontsize="10", ranksep="0.1",
                   height="0.2", fontname="monospace")
# Node fields that are engine bookkeeping, not attributes an op chose to keep (``show_attrs``).
_NOT_ATTRS = {"next_functions", "needs_input_grad", "materialize_grads", "variable"}


def draw_graph(t, params=None, show_attrs=False, show_saved=False, max_attr_chars=50):
    """A ``graphviz.Digraph`` of the graph that ``t.backward()`` would walk.

    ``t``: a tensor or a tuple of tensors. ``params``: ``{name: tensor}`` (e.g.
    ``dict(model.named_parameters())``) to label leaves. ``show_attrs``: list the non-tensor
    values each node kept for backward. ``show_saved``: draw the tensors each node saved.
    """
    Digraph = require("graphviz", extra="notebooks", feature="minitorch.viz.draw_graph").Digraph  # renders with Graphviz's `dot`
    from ._tensor import Tensor

    names = {id(v): k for k, v in (params or {}).items()}
    dot = Digraph(node_attr=_NODE_STYLE, graph_attr=dict(size="12,12"))
    seen = set()

    def tensor_box(tensor, color, name=None):
        label = f"{name if name is not None else names.get(id(tensor), '')}\n {_size_str(tensor.shape)}"
        dot.node(str(id(tensor)), label, fillcolor=color)

    outputs = t if isinstance(t, tuple) else (t,)
    stack = []  # nodes still to draw: iterative, so a 10,000-op chain draws too
    for out in outputs:
        if id(out) in seen:
            continue
        seen.add(id(out))
        tensor_box(out, "darkolivegreen1")
        if out.grad_fn is not None:
            dot.edge(str(id(out.grad_fn)), str(id(out)))
            stack.append(out.grad_fn)
        if out._base is not None:  # a view: show what it looks into, as torchviz does
            if id(out._base) not in seen:
                seen.add(id(out._base))
                tensor_box(out._base, "darkolivegreen3")
            dot.edge(str(id(out._base)), str(id(out)), style="dotted")
    while stack:
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        if hasattr(fn, "variable"):  # AccumulateGrad: the leaf it feeds
            tensor_box(fn.variable, "lightblue")
            dot.edge(str(id(fn.variable)), str(id(fn)))
        dot.node(str(id(fn)), _node_label(fn, show_attrs, max_attr_chars))
        if show_saved:
            for i, saved in enumerate(_saved_tensors(fn)):
                if isinstance(saved, Tensor):
                    tensor_box(saved, "orange", name=f"saved[{i}]")
                    dot.edge(str(id(fn)), str(id(saved)), dir="none")
        for nxt, _ in fn.next_functions:
            if nxt is not None:
                dot.edge(str(id(nxt)), str(id(fn)))
                stack.append(nxt)
    size = max(12, len(dot.body) * 0.15)  # grow the canvas with the graph
    dot.graph_attr.update(size=f"{size},{size}")
    return dot


make_dot = draw_graph  # torchviz's name

# fill colour of an fx node by its opcode (inputs and outputs green, parameters blue, calls white)
_FX_COLORS = {"placeholder": "darkolivegreen1", "output": "darkolivegreen1", "get_attr": "lightblue",
              "call_module": "lightyellow", "call_function": "white", "call_method": "white"}


def draw_fx_graph(gm, show_shapes=True):
    """A ``graphviz.Digraph`` of an fx graph (a ``GraphModule`` or a ``Graph``): one box per node
    (its name, opcode and target, and its shape when ``fx.passes.ShapeProp`` recorded one), an
    arrow from each node to every node that reads it. Where ``draw_graph`` shows what autograd
    recorded, this shows the program that will run.

    >>> import minitorch as torch
    >>> dot = torch.viz.draw_fx_graph(torch.fx.symbolic_trace(lambda x: torch.relu(x) + 1))  # doctest: +SKIP
    """
    Digraph = require("graphviz", extra="notebooks", feature="minitorch.viz.draw_fx_graph").Digraph
    graph = getattr(gm, "graph", gm)
    dot = Digraph(node_attr=_NODE_STYLE, graph_attr=dict(size="12,12"))
    for node in graph.nodes:
        target = node._pretty_target() if node.op != "output" else ""
        label = f"{node.name}\n{node.op} {target}".rstrip()
        meta = node.meta.get("tensor_meta")
        if show_shapes and meta is not None:
            label += f"\n{_size_str(meta.shape)}"
        dot.node(node.name, label, fillcolor=_FX_COLORS[node.op])
        for arg in node.all_input_nodes:
            dot.edge(arg.name, node.name)
    return dot


def _size_str(shape):
    return "(" + ", ".join(str(s) for s in shape) + ")"


def _saved_tensors(fn):
    """What the node still holds for backward (nothing once backward freed it)."""
    return [entry[0] for entry in (fn._saved or ()) if entry is not None]


def _node_label(fn, show_attrs, max_chars):
    """``MulBackward0``, plus with ``show_attrs`` a table of what backward kept (torchviz layout)."""
    name = type(fn).__name__
    attrs = {k: v for k, v in vars(fn).items() if not k.startswith("_") and k not in _NOT_ATTRS} if show_attrs else {}
    if not attrs:
        return name
    attrs = {k: _attr_str(v) for k, v in attrs.items()}
    max_chars = max(max_chars, 3)
    key_width = max(len(k) for k in attrs)
    value_width = min(max(len(v) for v in attrs.values()), max_chars)

    def truncate(s):
        return s[:value_width - 3] + "..." if len(s) > value_width else s

    rows = "\n".join(f"{k:<{key_width}}: {truncate(v):>{value_width}}" for k, v in attrs.items())
    return f"{name}\n{'-' * max(key_width + value_width + 2, len(name))}\n{rows}"


def _attr_str(value):
    from ._tensor import Tensor

    if isinstance(value, Tensor):
        return "[saved tensor]"
    if isinstance(value, (tuple, list)) and any(isinstance(v, Tensor) for v in value):
        return "[saved tensors]"
    return str(value)
