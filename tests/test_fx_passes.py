"""minitorch.fx.passes: constant folding, CSE, DCE, elementwise fusion and the symbolic backward
pass keep results (over the vision models and the lecture networks); fused kernels match the
unfused ops; symbolic gradients match autograd; graphs draw."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch as torch
import minitorch.nn.functional as F
from minitorch import fx, nn
from minitorch.fx.passes import (ShapeProp, eliminate_common_subexpressions, fold_constants, fuse_elementwise,
                                 gradients)
from minitorch.vision import models

C = float(np.sqrt(2 / np.pi))


def gelu(x):  # lecture 09's tanh approximation: nine elementwise ops
    return 0.5 * x * (1 + torch.tanh(C * (x + 0.044715 * (x * x * x))))


def two_layer(x, y, w1, w2):  # lecture 09's TensorFlow-1 network, as a function
    h = (x @ w1).clamp(min=0)
    diff = h @ w2 - y
    return (diff ** 2).sum(1).mean()


class Net(nn.Module):  # lecture 07's network: a Sequential inside a module
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(784, 64), nn.ReLU())
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        return self.out(self.features(x))


class WithConstants(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(4, 3))
        self.register_buffer("scale", torch.tensor(0.5))

    def forward(self, x):
        w = self.w.t() * self.scale * 2          # constant: folded
        return torch.sigmoid(x @ w) + torch.sigmoid(x @ w) + self.scale.exp()   # repeated: CSE


def optimise(gm, *inputs):
    gm = eliminate_common_subexpressions(fold_constants(gm))
    gm.graph.eliminate_dead_code()
    gm.recompile()
    return fuse_elementwise(gm, *inputs)


def test_constant_folding_precomputes_what_does_not_depend_on_inputs():
    torch.manual_seed(0)
    m = WithConstants()
    gm = fold_constants(fx.symbolic_trace(m))
    ops = [(n.op, n.target) for n in gm.graph.nodes]
    assert ("get_attr", "_folded_0") in ops and ("get_attr", "_folded_1") in ops
    assert not any(op == "call_method" and target == "t" for op, target in ops)
    gm.graph.lint()
    x = torch.randn(2, 3)
    assert torch.allclose(gm(x), m(x))
    assert not gm._folded_0.requires_grad  # computed once, under no_grad


def test_cse_merges_repeats_but_not_random_or_in_place_ops():
    torch.manual_seed(0)
    m = WithConstants()
    gm = eliminate_common_subexpressions(fx.symbolic_trace(m))
    assert sum(n.target is torch.sigmoid for n in gm.graph.nodes) == 1
    assert sum(n.op == "get_attr" and n.target == "scale" for n in gm.graph.nodes) == 1
    x = torch.randn(2, 3)
    assert torch.allclose(gm(x), m(x))

    def noisy(x):
        return F.dropout(x, 0.5) + F.dropout(x, 0.5) + torch.rand_like(x) + torch.rand_like(x)
    gm = eliminate_common_subexpressions(fx.symbolic_trace(noisy))
    assert len(gm.graph.nodes) == 2 + 4 + 3

    def in_place(x):
        y = x * 2
        y.add_(1)
        return y * 2
    gm = fx.symbolic_trace(in_place)
    assert not gm.graph.eliminate_dead_code()  # the unused add_ changes y: it stays
    assert torch.equal(gm(torch.ones(2)), torch.full((2,), 6.0))


def test_fusion_makes_one_kernel_that_matches_and_allocates_less():
    x = torch.randn(50_000)
    gm = fuse_elementwise(fx.symbolic_trace(gelu), x)
    calls = [n for n in gm.graph.nodes if n.op == "call_function"]
    assert len(calls) == 1 and isinstance(calls[0].target, fx.passes.FusedKernel)
    assert "xp.tanh" in calls[0].target.source and "out=" in calls[0].target.source
    assert torch.allclose(gm(x), gelu(x), atol=1e-6)

    def peak(fn):
        tracemalloc.start()
        fn(x)
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    array = x.numel() * 4
    # op by op: every step allocates a new array (three alive at the worst moment); fused: the
    # output and one temporary (0.5 * x waits while the tanh branch is computed), each written in place
    assert peak(gm) < 2.2 * array < peak(gelu)


def test_fused_kernel_falls_back_for_other_shapes_and_for_autograd():
    gm = fuse_elementwise(fx.symbolic_trace(gelu), torch.randn(4, 3))
    other = torch.randn(7)
    assert torch.allclose(gm(other), gelu(other), atol=1e-6)
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    assert torch.allclose(gm(x.detach().float()), gelu(x.detach().float()), atol=1e-6)
    x32 = torch.randn(4, 3, requires_grad=True)
    gm(x32).sum().backward()  # needs autograd: the original ops run
    expected = x32.grad.clone()
    x32.grad = None
    gelu(x32).sum().backward()
    assert torch.allclose(expected, x32.grad)


@settings(max_examples=25, deadline=None)
@given(shape=st.sampled_from([((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((5,), (1,))]),
       dtype=st.sampled_from([torch.float32, torch.float64]), seed=st.integers(0, 1000))
def test_fused_kernels_match_unfused_ops(shape, dtype, seed):
    def chain(x, y):
        a = torch.relu(x * y + x) * torch.sigmoid(y) - torch.exp(-x) / 2
        return a.sin() + (y - 1) ** 2

    generator = np.random.default_rng(seed)
    x, y = (torch.tensor(generator.standard_normal(s), dtype=dtype) for s in shape)
    gm = fuse_elementwise(fx.symbolic_trace(chain), x, y)
    assert sum(n.op == "call_function" for n in gm.graph.nodes) < 4
    got = gm(x, y)
    assert got.dtype == dtype and got.shape == chain(x, y).shape
    assert torch.allclose(got, chain(x, y), rtol=1e-5, atol=1e-6)


def test_symbolic_gradients_of_the_lecture_network_match_autograd():
    torch.manual_seed(0)
    x, y = torch.randn(8, 10), torch.randn(8, 10)
    w1, w2 = torch.randn(10, 5), torch.randn(5, 10)
    grads = gradients(fx.symbolic_trace(two_layer), x, y, w1, w2, wrt=["w1", "w2"])
    grads.graph.lint()
    loss, g1, g2 = grads(x, y, w1, w2)
    w1.requires_grad_()
    w2.requires_grad_()
    expected = two_layer(x, y, w1, w2)
    expected.backward()
    assert torch.allclose(loss, expected) and torch.allclose(g1, w1.grad, rtol=1e-4) and torch.allclose(g2, w2.grad, rtol=1e-4)
    assert "torch.ones_like" in grads.code and "clamp" in grads.code


def test_symbolic_gradients_of_modules_with_parameters():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3), nn.Sigmoid())

    class WithLoss(nn.Module):
        def __init__(self):
            super().__init__()
            self.model, self.loss = model, nn.MSELoss()

        def forward(self, x, target):
            return self.loss(self.model(x), target)

    x, target = torch.randn(4, 6), torch.randn(4, 3)
    grads = gradients(fx.symbolic_trace(WithLoss()), x, target)
    names = ["x", "target"] + [f"model.{n}" for n, _ in model.named_parameters()]
    values = grads(x, target)
    assert len(values) == 1 + len(names)
    x.requires_grad_()
    F.mse_loss(model(x), target).backward()
    assert torch.allclose(values[1], x.grad, atol=1e-6)
    for (name, p), g in zip(model.named_parameters(), values[3:]):
        assert g.shape == p.shape and torch.allclose(g, p.grad, atol=1e-6), name


RULE_CASES = [
    ("broadcast arithmetic", lambda a, b: ((a + b) * (a - b) / (b * b + 1) - (-a)).sum(), [(3, 4), (1, 4)]),
    ("pow and exp/log", lambda a, b: ((a ** 3).exp().log() + (b * b + 1).log()).mean(), [(2, 3), (3,)]),
    ("sin cos tanh sigmoid", lambda a, b: (a.sin() * b.cos() + a.tanh() + torch.sigmoid(b)).sum(), [(4,), (4,)]),
    ("reductions", lambda a, b: (a.sum(1, keepdim=True) * b).mean() + a.mean(0).sum() + a.sum(dim=(0, 1)),
     [(2, 3), (2, 1)]),
    ("matmul t view", lambda a, b: torch.mm(a, b).t().reshape(-1).relu().sum() + (a @ b).view(6).sum(),
     [(2, 4), (4, 3)]),
    ("linear and relu", lambda a, b: F.relu(F.linear(a, b)).sum(), [(5, 3), (2, 3)]),
]


@pytest.mark.parametrize("name, fn, shapes", RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_every_derivative_rule_matches_autograd(name, fn, shapes):
    generator = np.random.default_rng(1)
    inputs = [torch.tensor(generator.uniform(0.2, 1.0, s)) for s in shapes]
    value, *got = gradients(fx.symbolic_trace(fn), *inputs)(*inputs)
    leaves = [t.clone().requires_grad_() for t in inputs]
    expected = torch.autograd.grad(fn(*leaves), leaves)
    assert torch.allclose(value, fn(*inputs))
    for g, e, x in zip(got, expected, inputs):
        assert g.shape == x.shape and torch.allclose(g, e)


def test_gradients_errors():
    with pytest.raises(NotImplementedError, match="no derivative rule for call_function 'torch.cumsum'|cumsum"):
        gradients(fx.symbolic_trace(lambda x: torch.cumsum(x, 0).sum()), torch.randn(3))
    with pytest.raises(RuntimeError, match="must return one scalar tensor, got \\(3,\\)"):
        gradients(fx.symbolic_trace(lambda x: x * 2), torch.randn(3))
    with pytest.raises(RuntimeError, match="'w' is not an input or a parameter"):
        gradients(fx.symbolic_trace(lambda x: x.sum()), torch.randn(3), wrt=["w"])


@pytest.mark.parametrize("name", ["lenet5", "resnet8", "squeezenet1_1", "lecture 07 Net", "lecture 09 Sequential",
                                  "WithConstants", "gelu"])
def test_all_passes_preserve_results(name):
    torch.manual_seed(0)
    cases = {
        "lenet5": (models.lenet5, (2, 1, 28, 28)),
        "resnet8": (models.resnet8, (2, 1, 28, 28)),
        "squeezenet1_1": (lambda: models.squeezenet1_1(num_classes=10), (1, 3, 48, 48)),
        "lecture 07 Net": (Net, (4, 784)),
        "lecture 09 Sequential": (lambda: nn.Sequential(nn.Linear(100, 20), nn.ReLU(), nn.Linear(20, 10)), (8, 100)),
        "WithConstants": (WithConstants, (2, 3)),
        "gelu": (lambda: gelu, (3, 5)),
    }
    build, shape = cases[name]
    model = build()
    if isinstance(model, nn.Module):
        model.eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        expected = model(x)
        gm = optimise(fx.symbolic_trace(model), x)
        gm.graph.lint()
        assert torch.allclose(gm(x), expected, atol=1e-6)


def test_shape_prop_records_shapes_and_dtypes():
    gm = fx.symbolic_trace(Net())
    ShapeProp(gm).propagate(torch.randn(2, 784))
    shapes = [tuple(n.meta["tensor_meta"].shape) for n in gm.graph.nodes if n.op != "output"]
    assert shapes == [(2, 784), (2, 64), (2, 64), (2, 10)]
    assert all(n.meta["tensor_meta"].dtype == torch.float32 for n in gm.graph.nodes if n.op != "output")


def test_draw_fx_graph():
    graphviz = pytest.importorskip("graphviz")
    gm = fx.symbolic_trace(Net())
    ShapeProp(gm).propagate(torch.randn(2, 784))
    dot = torch.viz.draw_fx_graph(gm)
    assert isinstance(dot, graphviz.Digraph)
    src = dot.source
    assert 'features_0 [label="features_0\ncall_module features.0\n(2, 64)" fillcolor=lightyellow]' in src
    assert "x -> features_0" in src and "out -> output" in src
    assert 'x [label="x\nplaceholder x\n(2, 784)" fillcolor=darkolivegreen1]' in src
