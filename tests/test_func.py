"""minitorch.func: the transforms against autograd for every op family, per-example gradients
against a loop, vmap against a loop, and torch.func's errors (messages recorded from torch 2.13)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch as torch
import minitorch.nn.functional as F
from _helpers import layout
from minitorch import nn
from minitorch.func import functional_call, grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp, vmap


def f64(*shape, seed=0):
    return torch.tensor(np.random.default_rng(seed).standard_normal(shape))


# one scalar function per op family: (name, function, input shapes)
FAMILIES = [
    ("pointwise", lambda x, y: (x.sin() * y.exp() + (x / (1 + y * y)).tanh() - x.sigmoid() ** 2).sum(), [(3, 4), (3, 4)]),
    ("broadcast", lambda x, y: (x * y + x - y).pow(2).mean(), [(3, 4), (1, 4)]),
    ("reduce", lambda x, y: x.sum(0).dot(y.amax(1)) + x.logsumexp(1).sum() + y.var(), [(3, 3), (3, 2)]),
    ("linalg", lambda x, y: (x @ y).relu().sum() + torch.mm(x, y).norm(), [(2, 3), (3, 4)]),
    ("shape", lambda x, y: (x.permute(1, 0).reshape(6) * y.flatten()).sum() + x.t()[1:, :1].sum(), [(2, 3), (3, 2)]),
    ("indexing", lambda x, y: x[torch.tensor([0, 2, 2])].sum() + (y[y > 0] ** 2).sum(), [(3, 2), (4,)]),
    ("join", lambda x, y: torch.cat([x, y], 0).exp().sum() + torch.stack([x, x * 2]).prod(), [(2, 2), (1, 2)]),
    ("nn.functional", lambda x, y: F.cross_entropy(F.linear(x, y), torch.tensor([1, 0])) + F.softmax(x, 1)[0, 0],
     [(2, 3), (4, 3)]),
    ("conv", lambda x, y: F.conv2d(x, y, padding=1).tanh().sum(), [(1, 2, 4, 4), (3, 2, 3, 3)]),
]


def autograd_grads(fn, inputs, create_graph=False):
    leaves = [t.detach().requires_grad_() for t in inputs]
    return torch.autograd.grad(fn(*leaves), leaves, create_graph=create_graph), leaves


@pytest.mark.parametrize("kind", ["contiguous", "permuted", "strided"])
@pytest.mark.parametrize("name, fn, shapes", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_grad_vjp_and_jacobians_match_autograd(name, fn, shapes, kind):
    inputs = [layout(np.random.default_rng(i).standard_normal(s), kind) for i, s in enumerate(shapes)]
    expected, _ = autograd_grads(fn, inputs)
    got = grad(fn, argnums=(0, 1))(*inputs)
    value_grads, value = grad_and_value(fn, argnums=(0, 1))(*inputs)
    for g, v, e, x in zip(got, value_grads, expected, inputs):
        assert g.shape == x.shape and torch.allclose(g, e) and torch.allclose(v, e)
        assert not g.requires_grad
    assert torch.allclose(value, fn(*inputs)) and not inputs[0].requires_grad  # inputs untouched
    out, vjp_fn = vjp(fn, *inputs)
    assert all(torch.allclose(a, e) for a, e in zip(vjp_fn(torch.tensor(1.0, dtype=torch.float64)), expected))
    # the Jacobian of a scalar is the gradient; forward mode (double vjp) agrees
    assert torch.allclose(jacrev(fn)(*inputs), expected[0])
    assert torch.allclose(jacfwd(fn, argnums=1)(*inputs), expected[1])


def test_jacobians_of_vector_functions_against_finite_differences():
    fn = lambda x: torch.stack([x[0] * x[1].exp(), x.sin().sum(), (x ** 3)[2]])  # noqa: E731
    x = f64(3)
    numeric = torch.zeros(3, 3, dtype=torch.float64)
    for j in range(3):
        step = torch.zeros(3, dtype=torch.float64)
        step[j] = 1e-6
        numeric[:, j] = (fn(x + step) - fn(x - step)) / 2e-6
    assert torch.allclose(jacrev(fn)(x), numeric, atol=1e-6)
    assert torch.allclose(jacfwd(fn)(x), numeric, atol=1e-6)
    value, tangent = jvp(fn, (x,), (torch.ones(3, dtype=torch.float64),))
    assert torch.allclose(value, fn(x)) and torch.allclose(tangent, numeric.sum(1), atol=1e-6)
    jac_x, jac_y = jacrev(lambda x, y: x * y, argnums=(0, 1))(x, 2 * x)
    assert torch.allclose(jac_x, torch.diag(2 * x)) and torch.allclose(jac_y, torch.diag(x))
    out_jacobians = jacrev(lambda x: (x.sin(), x.sum()))(x)
    assert out_jacobians[0].shape == (3, 3) and torch.allclose(out_jacobians[1], torch.ones(3, dtype=torch.float64))


@pytest.mark.parametrize("name, fn, shapes", FAMILIES[:5], ids=[f[0] for f in FAMILIES[:5]])
def test_hessian_and_nested_grad_match_double_backward(name, fn, shapes):
    inputs = [f64(*s, seed=i) for i, s in enumerate(shapes)]
    (g, _), leaves = autograd_grads(fn, inputs, create_graph=True)
    rows = [torch.autograd.grad(g.reshape(-1)[i], leaves[0], retain_graph=True, allow_unused=True)[0]
            for i in range(g.numel())]
    expected = torch.stack([torch.zeros_like(inputs[0]) if r is None else r for r in rows]).reshape(*g.shape, *g.shape)
    assert torch.allclose(hessian(fn)(*inputs), expected)
    assert torch.allclose(jacrev(jacrev(fn))(*inputs), expected)
    # grad of grad: the inner gradient stays differentiable inside the outer transform
    first = lambda *xs: grad(fn)(*xs).sum()  # noqa: E731
    assert torch.allclose(grad(first)(*inputs), expected.reshape(g.numel(), -1).sum(0).reshape(g.shape))


def test_transformed_functions_pass_gradcheck():
    fn = FAMILIES[0][1]
    y = f64(3, 4, seed=1)
    x = f64(3, 4).requires_grad_()
    # grad(fn) is itself differentiable (its derivative is the Hessian's action): checked numerically
    assert torch.autograd.gradcheck(lambda x: grad(fn)(x, y), (x,))
    assert torch.autograd.gradcheck(lambda x: vmap(lambda row: row.sin() * row.sum())(x), (x,))
    assert torch.autograd.gradcheck(lambda x: jvp(torch.tanh, (x,), (torch.ones_like(x),))[1], (x,))


def test_grad_of_a_closure_over_an_outer_variable():
    x = f64(3)
    y0 = f64(3, seed=1)
    # d/dw sum_i d/dy (w * y^2)_i = d/dw sum(2 w y0) = 2 y0
    result = grad(lambda w: grad(lambda y: (w * y ** 2).sum())(y0).sum())(x)
    assert torch.allclose(result, 2 * y0)


def test_grad_options_structures_and_no_grad():
    x = torch.tensor([1.0, 2.0])
    g, aux = grad(lambda x: ((x ** 2).sum(), {"double": x * 2}), has_aux=True)(x)
    assert torch.equal(g, torch.tensor([2.0, 4.0])) and torch.equal(aux["double"], torch.tensor([2.0, 4.0]))
    params = {"w": x, "b": (torch.tensor(3.0),)}
    grads = grad(lambda p: (p["w"] * p["b"][0]).sum())(params)
    assert torch.equal(grads["w"], torch.tensor([3.0, 3.0])) and torch.equal(grads["b"][0], torch.tensor(3.0))
    assert torch.equal(grad(lambda x, y: (x * y).sum(), argnums=1)(x, x + 1), x)
    assert torch.equal(grad(lambda x: torch.tensor(1.0))(x), torch.zeros(2))  # unused input: zeros
    with torch.no_grad():
        assert torch.equal(grad(lambda x: (x * x).sum())(x), 2 * x)


@pytest.mark.parametrize("call, error, message", [
    (lambda: grad(lambda x: x * 2)(torch.ones(3)), RuntimeError,
     "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with 1 dims. Maybe you "
     "wanted to use the vjp or jacrev APIs instead?"),
    (lambda: grad(lambda x: 3.0)(torch.ones(3)), RuntimeError,
     "grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got <class 'float'>"),
    (lambda: grad(lambda x: x.sum())(torch.ones(3).long()), RuntimeError,
     "only Tensors of floating point dtype can require gradients"),
    (lambda: grad(lambda x: (x.sum(), 1), has_aux=True)(torch.ones(3)), RuntimeError,
     "Expected tensors, got unsupported type <class 'int'>"),
    (lambda: grad(lambda x: x.sum(), has_aux=True)(torch.ones(3)), RuntimeError,
     "grad_and_value(f)(*args): output of function f should be a tuple: (output, aux) if has_aux is True"),
    (lambda: grad(lambda x: x.sum(), argnums=2)(torch.ones(3)), RuntimeError,
     "Got argnum=2, but only 1 positional inputs"),
    (lambda: grad(lambda x: x.sum(), argnums=1.0)(torch.ones(3)), RuntimeError,
     "argnums must be int or Tuple[int, ...], got: <class 'float'>"),
    (lambda: grad(lambda x: x.sum())(2.0), ValueError, "Thing passed to transform API must be Tensor, got <class 'float'>"),
    (lambda: vjp(lambda x: x.sin(), 3.0), ValueError, "Thing passed to transform API must be Tensor, got <class 'float'>"),
    (lambda: vjp(lambda x: x.sin(), torch.ones(3))[1](torch.ones(2)), RuntimeError,
     "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3])."),
    (lambda: jvp(lambda x: x.sin(), torch.ones(3), (torch.ones(3),)), RuntimeError,
     "jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should be valid to call f(*primals)."),
])
def test_errors_match_torch_func(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


# ---- vmap ----------------------------------------------------------------------------------
@settings(max_examples=20, deadline=None)
@given(batch=st.integers(1, 4), n=st.integers(1, 3), in_dim=st.integers(-2, 1), out_dim=st.integers(-2, 1))
def test_vmap_equals_a_loop(batch, n, in_dim, out_dim):
    x = torch.randn(batch, n) if in_dim in (0, -2) else torch.randn(n, batch)
    w = torch.randn(n)
    fn = lambda x, w: torch.stack([(x * w).sum(), x.max()])  # noqa: E731
    got = vmap(fn, in_dims=(in_dim, None), out_dims=out_dim)(x, w)
    loop = torch.stack([fn(x.select(in_dim, b), w) for b in range(batch)], dim=out_dim)
    assert torch.equal(got, loop)


BATCHABLE = [  # (function of one example, its inputs' per-example shapes, in_dims)
    (lambda x, y: (x * y + 1).relu() / (y.abs() + 1), [(3,), (3,)], (0, 0)),
    (lambda x, w: torch.tanh(x @ w).sum(), [(4,), (4, 2)], (0, None)),
    (lambda m, v: m @ v, [(2, 3), (3,)], (0, 0)),
    (lambda v, m: v @ m + m.sum(0), [(2,), (2, 3)], (0, 0)),
    (lambda a, b: a @ b, [(2, 3), (3, 4)], (0, 0)),
    (lambda x: F.softmax(x, dim=1).t().reshape(-1)[1:], [(2, 3)], (0,)),
    (lambda x: x.sum(1, keepdim=True) * x.mean() - x.amax(), [(2, 3)], (0,)),
    (lambda x, w, b: F.linear(x, w, b).sigmoid(), [(3,), (2, 3), (2,)], (0, None, None)),
    (lambda x: x.unsqueeze(0).transpose(0, 1).flatten() ** 2, [(3,)], (0,)),
    (lambda x: x.permute(1, 0)[0] + x.shape[0] + x.size(1), [(2, 3)], (0,)),
    (lambda x, y: torch.where(x > y, x, y * 2).sum(dim=-1), [(2, 3), (3,)], (1, 0)),
    (lambda x: x.narrow(1, 1, 2).select(0, 1) + x.norm(2, dim=1).sum() + x.var() + x.std(0).sum(), [(2, 3)], (0,)),
]


@pytest.mark.parametrize("index", range(len(BATCHABLE)))
def test_vmap_batching_rules_compute_the_whole_batch_at_once(index):
    from minitorch.func._batching import NO_RULE, batched_call

    fn, shapes, in_dims = BATCHABLE[index]
    batch = 4
    args = []
    for i, (shape, dim) in enumerate(zip(shapes, in_dims)):
        full = list(shape)
        if dim is not None:
            full.insert(dim, batch)
        args.append(f64(*full, seed=i))
    assert batched_call(fn, args, in_dims, batch) is not NO_RULE  # no loop
    loop = torch.stack([fn(*(a if d is None else a.select(d, b) for a, d in zip(args, in_dims)))
                        for b in range(batch)])
    got = vmap(fn, in_dims=in_dims)(*args)
    assert got.shape == loop.shape and torch.allclose(got, loop)


def test_vmap_falls_back_to_a_loop_where_no_rule_applies():
    from minitorch.func._batching import NO_RULE, batched_call

    x = f64(3, 2)
    for fn in (lambda v: v * v.sum().item(),              # .item(): needs one example's value
               lambda v: v if v.sum() > 0 else -v,        # data-dependent control flow
               lambda v: grad(lambda u: (u ** 3).sum())(v),  # grad inside vmap
               lambda v: v.cumprod(0)):                   # no rule for this op here
        assert batched_call(fn, [x], [0], 3) is NO_RULE
        assert torch.allclose(vmap(fn)(x), torch.stack([fn(row) for row in x]))
    torch.manual_seed(0)
    noisy = vmap(lambda v: v + torch.rand(2))(torch.zeros(3, 2))  # random ops: a draw per example
    assert not torch.equal(noisy[0], noisy[1])


def test_vmap_nested_structures_and_out_dims():
    x = torch.arange(6.0).reshape(3, 2)
    pair = vmap(lambda x: (x, x * 2), out_dims=(0, 1))(x)
    assert torch.equal(pair[0], x) and torch.equal(pair[1], (x * 2).t())
    assert torch.equal(vmap(lambda d: d["a"] * 2)({"a": x}), x * 2)
    assert torch.equal(vmap(torch.dot)(x, x), (x * x).sum(1))
    assert torch.equal(vmap(vmap(lambda v: v * v))(x), x * x)  # vmap of vmap: every element
    value, shape = vmap(lambda x: (x.sum(), x.shape[0]), out_dims=(0, None))(x)
    assert torch.equal(value, x.sum(1)) and shape == 2


@pytest.mark.parametrize("call, error, message", [
    (lambda: vmap(lambda x, y: x + y)(torch.ones(3, 2), torch.ones(4, 2)), ValueError,
     "vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [3, 4] for the mapped dimension"),
    (lambda: vmap(lambda x: x, in_dims=2)(torch.ones(3, 2)), ValueError,
     "vmap(<lambda>, in_dims=2, ...)(<inputs>): Got in_dim=2 for some input, but that input is a Tensor of "
     "dimensionality 2 so expected in_dim to satisfy -2 <= in_dim < 2."),
    (lambda: vmap(lambda x: x)(3.0), ValueError,
     "vmap(<lambda>, in_dims=0, ...)(<inputs>): Got in_dim=0 for an input but the input is of type <class 'float'>. "
     "We cannot vmap over non-Tensor arguments, please use None as the respective in_dim"),
    (lambda: vmap(lambda x: 3.0)(torch.ones(3)), ValueError,
     "vmap(<lambda>, ...): `<lambda>` must only return Tensors, got type <class 'float'>. Did you mean to set "
     "out_dims= to None for output?"),
    (lambda: vmap(lambda x: x, in_dims=None)(torch.ones(3)), ValueError,
     "vmap(<lambda>, in_dims=None, ...)(<inputs>): expected `in_dims` to be int or a (potentially nested) tuple "
     "matching the structure of inputs, got: <class 'NoneType'>."),
    (lambda: vmap(lambda x: x)(torch.ones(())), ValueError,
     "vmap(<lambda>, in_dims=0, ...)(<inputs>): Got in_dim=0 for some input, but that input is a Tensor of "
     "dimensionality 0 so expected in_dim to satisfy -0 <= in_dim < 0."),
    (lambda: vmap(lambda x: x)(), ValueError,
     "vmap(<lambda>)(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a "
     "function with no inputs. The latter is unsupported."),
    (lambda: vmap(lambda x: x, randomness="foo"), RuntimeError,
     "Only allowed values for randomness are 'error', 'different', or 'same'. Got foo"),
])
def test_vmap_errors_match_torch_func(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
    with pytest.raises(ValueError, match=r"^vmap\(<lambda>, in_dims=\(0, 0\), \.\.\.\)\(<inputs>\): in_dims is not "
                                         r"compatible with the structure of `inputs`"):
        vmap(lambda x: x, in_dims=(0, 0))(torch.ones(3, 2))


def test_per_example_gradients_equal_a_loop():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
    params = {k: v.detach() for k, v in model.named_parameters()}
    data, targets = torch.randn(6, 4), torch.randint(0, 3, (6,))

    def loss(params, x, y):  # torch.func's per-sample-gradients recipe
        return F.cross_entropy(functional_call(model, params, (x.unsqueeze(0),)), y.unsqueeze(0))

    per_example = vmap(grad(loss), in_dims=(None, 0, 0))(params, data, targets)
    for i in range(len(data)):
        model.zero_grad()
        F.cross_entropy(model(data[i:i + 1]), targets[i:i + 1]).backward()
        for name, p in model.named_parameters():
            assert per_example[name].shape == (6, *p.shape)
            assert torch.allclose(per_example[name][i], p.grad, atol=1e-6)


def test_functional_call_swaps_and_restores():
    lin = nn.Linear(3, 2)
    weight_before = lin.weight
    x = torch.randn(3)
    out = functional_call(lin, {"weight": torch.ones(2, 3), "bias": torch.zeros(2)}, (x,))
    assert torch.allclose(out, x.sum().expand(2)) and lin.weight is weight_before
    out = functional_call(lin, ({"weight": torch.ones(2, 3)}, {"bias": torch.ones(2)}), x)  # a sequence of dicts
    assert torch.allclose(out, x.sum() + 1)
    assert torch.equal(functional_call(lin, {"weight": torch.zeros(2, 3)}, x), lin.bias.detach())  # partial: own bias
    with pytest.raises(RuntimeError) as info:
        functional_call(lin, {"weight": torch.ones(2, 3), "foo": torch.zeros(2)}, (x,), strict=True)
    assert str(info.value) == ("Error(s) in reparametrizing for Linear:\n\tUnexpected key(s): 'foo'.\n"
                               "\tMissing key(s): 'bias'.")
    with pytest.raises(ValueError, match="^bias appeared in multiple dictionaries"):
        functional_call(lin, ({"bias": torch.ones(2)}, {"bias": torch.ones(2)}), x)

    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2, bias=False)
            self.b = nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight

        def forward(self, x):
            return self.b(self.a(x))

    tied = Tied()
    x = torch.ones(2)
    assert torch.equal(functional_call(tied, {"a.weight": torch.eye(2) * 2}, x), torch.full((2,), 4.0))
    assert not torch.equal(functional_call(tied, {"a.weight": torch.eye(2) * 2}, x, tie_weights=False),
                           torch.full((2,), 4.0))
