"""minitorch.viz.draw_graph: the DOT source of the backward graph (torchviz's make_dot)."""

import shutil
import sys

import pytest

import minitorch as torch
from minitorch import viz

graphviz = pytest.importorskip("graphviz")


def model_graph(named=False):
    w = torch.randn(3, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    x = torch.randn(4, 3)
    loss = (x @ w + b).exp().mean()
    params = {"weight": w, "bias": b} if named else None  # like dict(model.named_parameters())
    return loss, w, b, viz.draw_graph(loss, params=params)


def test_nodes_and_edges_follow_the_backward_graph():
    loss, w, b, dot = model_graph(named=True)
    assert isinstance(dot, graphviz.Digraph)
    src = dot.source
    for name in ("MeanBackward0", "ExpBackward0", "AddBackward0", "MmBackward0", "AccumulateGrad"):
        assert f"[label={name}]" in src
    assert f'{id(w)} [label="weight\n (3, 2)" fillcolor=lightblue]' in src
    assert f'{id(b)} [label="bias\n (2)" fillcolor=lightblue]' in src
    assert f'{id(loss)} [label="\n ()" fillcolor=darkolivegreen1]' in src
    # gradient flow: from the input's node to the consumer's node, then into the output tensor
    assert f"{id(loss.grad_fn.next_functions[0][0])} -> {id(loss.grad_fn)}" in src
    assert f"{id(loss.grad_fn)} -> {id(loss)}" in src
    assert src.count("AccumulateGrad") == 2  # one per leaf; the constant x has no node


def test_leaves_without_params_are_unnamed_and_styles_match_torchviz():
    _, w, _, dot = model_graph()
    assert f'{id(w)} [label="\n (3, 2)" fillcolor=lightblue]' in dot.source
    assert dot.node_attr["shape"] == "box" and dot.node_attr["style"] == "filled"
    assert dot.graph_attr["size"] == "12,12"


def test_show_attrs_and_show_saved():
    x = torch.randn(2, 3, requires_grad=True)
    y = x.sum(1) * 2
    dot = viz.draw_graph(y, show_attrs=True, show_saved=True)
    src = dot.source
    assert "dims    :   (1,)" in src and "keepdim :  False" in src  # what Sum kept for backward
    z = x.exp()
    src = viz.draw_graph(z, show_saved=True).source
    assert "fillcolor=orange" in src and 'saved[0]\n (2, 3)' in src
    z.sum().backward()  # saved tensors are freed: nothing left to show
    assert "orange" not in viz.draw_graph(z, show_saved=True).source


def test_several_outputs_and_views():
    x = torch.randn(4, requires_grad=True)
    a, b = x * 2, x.exp()
    src = viz.draw_graph((a, b)).source
    assert src.count("darkolivegreen1") == 2 and src.count("AccumulateGrad") == 1
    base = x * 1
    v = base[1:]
    src = viz.draw_graph(v).source
    assert f"{id(base)} -> {id(v)} [style=dotted]" in src  # a view is drawn looking into its base


def test_user_function_nodes_are_named_like_torch():
    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    y = Twice.apply(torch.ones(2, requires_grad=True))
    assert "[label=TwiceBackward]" in viz.draw_graph(y).source


def test_a_long_chain_draws_without_recursion():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y + 1
    dot = viz.draw_graph(y)
    assert dot.source.count("AddBackward0") == 3000
    assert float(dot.graph_attr["size"].split(",")[0]) > 12  # the canvas grows with the graph


def test_clear_import_error_without_graphviz(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match=r'draw_graph needs graphviz.*pip install "minitorch-kit\[notebooks\]"'):
        viz.draw_graph(torch.ones(1, requires_grad=True) * 2)


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz `dot` program is not installed")
def test_renders_to_svg():
    _, _, _, dot = model_graph()
    svg = dot.pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "MmBackward0" in svg
