"""The backward engine's shortcuts (issue 18, round D) against the behaviour they must keep:
torch's order of accumulation, nodes that get no gradient, hooks, ``retain_graph``, ``inputs=``,
anomaly mode, the implicit ``loss.backward()`` gradient, and the array paths taken without
``create_graph`` (NllLoss, sigmoid, saved outputs) giving the bits of the tensor-op paths."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch as torch
import minitorch.nn.functional as F
from _helpers import check_grads, layout, leaf


def _same_bits(fast, plain):
    """The gradient without create_graph equals the one with it: values, dtype, strides."""
    assert fast.grad_fn is None and fast.dtype == plain.dtype and fast.stride() == plain.stride()
    assert fast.detach().numpy().tobytes() == plain.detach().numpy().tobytes()


# ---- the order nodes run in ------------------------------------------------------------------

@pytest.mark.parametrize("created", ["big-first", "one-last"])
def test_a_tensor_used_three_times_sums_its_gradients_in_torchs_order(created):
    """The most recently created consumer runs first, so with x used by ``x * 1e8``, ``x * -1e8``
    and ``x * 1`` the float32 sum is ((1 - 1e8) + 1e8) = 0 when ``x * 1`` came last, and
    ((1e8 - 1e8) + 1) = 1 when it came first (what torch gives in both cases)."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    if created == "big-first":
        a, b, c = x * 1e8, x * -1e8, x * 1.0
        expected = [0.0, 0.0]
    else:
        c = x * 1.0
        b, a = x * -1e8, x * 1e8
        expected = [1.0, 1.0]
    (a + b + c).sum().backward()
    assert x.grad.tolist() == expected


def test_a_node_that_gets_no_gradient_does_not_run():
    """``split``'s second half is unused: its node's hooks are not called, and the split sends
    zeros for it (its backward materializes the missing gradient)."""
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    first, second = x.split(2)
    used, unused = first.exp(), second.exp()
    calls = []
    unused.grad_fn.register_prehook(lambda grads: calls.append("pre"))
    unused.grad_fn.register_hook(lambda grad_inputs, grad_outputs: calls.append("post"))
    used.sum().backward()
    assert calls == []
    np.testing.assert_allclose(x.grad.numpy(), [np.exp(1), np.exp(2), 0, 0], rtol=1e-6)


# ---- hooks -------------------------------------------------------------------------------------

def test_hooks_see_the_summed_gradient_and_may_replace_it():
    """Values checked against torch 2.13: a tensor hook sees the sum over both uses, retain_grad
    keeps what the hook returned, a leaf's hook runs before accumulation and the post-accumulate
    hook sees the final ``.grad``."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    log = []
    y.register_hook(lambda g: log.append(("y", g.tolist())) or g * 2)
    y.retain_grad()
    x.register_hook(lambda g: log.append(("x", g.tolist())) or g + 1)
    x.register_post_accumulate_grad_hook(lambda t: log.append(("post", t.grad.tolist())))
    (y * y + y).sum().backward()
    assert log == [("y", [7.0, 13.0]), ("x", [42.0, 78.0]), ("post", [43.0, 79.0])]
    assert y.grad.tolist() == [14.0, 26.0] and x.grad.tolist() == [43.0, 79.0]


def test_a_custom_functions_saved_output_keeps_its_node_without_create_graph():
    """Only the kit's own backward formulas get a saved output unlinked from its node; a user's
    backward sees what torch shows (requires_grad, grad_fn = its own node)."""
    seen = []

    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            seen.append((y.requires_grad, y.grad_fn is ctx, torch.is_grad_enabled()))
            return grad * y

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    Exp.apply(x).sum().backward()
    assert seen == [(True, True, False)]


# ---- retain_graph, inputs=, anomaly mode ----------------------------------------------------------

def test_retain_graph_runs_the_same_backward_twice_then_frees_it():
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    loss = (x.sigmoid() * x).sum()
    loss.backward(retain_graph=True)
    first = x.grad.clone()
    loss.backward()
    assert x.grad.numpy().tobytes() == (first + first).numpy().tobytes()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        loss.backward()


def test_the_create_graph_warning_points_at_the_callers_line():
    x = torch.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="reference cycle") as record:
        (x * x).sum().backward(create_graph=True)
    assert record[0].filename == __file__


def test_inputs_accumulates_only_into_the_given_tensors():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    h = a * b
    h.retain_grad()
    (h * h).sum().backward(inputs=[a, h])
    assert a.grad.tolist() == [18.0, 64.0] and b.grad is None
    assert h.grad.tolist() == [6.0, 16.0]


def test_anomaly_mode_names_the_node_that_returned_nan():
    """Anomaly mode is read once per backward: a NaN logit is still caught at log_softmax's node."""
    logits = torch.tensor([[0.0, float("nan")], [1.0, 2.0]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            with pytest.raises(RuntimeError, match=r"^Function 'LogSoftmaxBackward0' returned nan values in its 0th output\.$"):
                F.cross_entropy(logits, torch.tensor([0, 1])).backward()
    F.cross_entropy(logits, torch.tensor([0, 1])).backward()  # and without it, no check
    assert np.isnan(logits.grad.numpy()).any()


# ---- the implicit gradient of loss.backward() -------------------------------------------------------

@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
def test_the_implicit_gradient_is_ones_like_the_output(dtype, shape):
    x = torch.tensor(2.0, dtype=dtype, requires_grad=True)
    out = (x * 3).reshape(shape)
    seen = []
    out.register_hook(seen.append)
    out.backward()
    expected = torch.ones_like(out)
    assert seen[0].dtype == dtype and seen[0].shape == expected.shape and seen[0].stride() == expected.stride()
    assert seen[0].tolist() == expected.tolist() and x.grad.item() == 3.0


# ---- array paths without create_graph ----------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.sampled_from([torch.float32, torch.float64]), st.sampled_from(["mean", "sum", "none"]),
       st.booleans(), st.sampled_from([-100, 1]), st.integers(1, 5), st.sampled_from([(), (3,), (2, 3)]),
       st.sampled_from(["contiguous", "permuted", "strided"]))
def test_nll_loss_backward_on_arrays_equals_its_graph_path(dtype, reduction, weighted, ignore_index, n, spatial,
                                                           kind):
    """Without create_graph NllLoss's gradient is made on arrays; with it, by the NllLossGrad node
    that double backward differentiates: the same bits, dtype and strides."""
    rng = np.random.default_rng(n * 10 + len(spatial))
    classes = 4
    x = torch.tensor(rng.standard_normal((n, classes) + spatial), dtype=dtype).requires_grad_()
    target = torch.tensor(rng.integers(0, classes, (n,) + spatial))
    weight = torch.tensor(rng.random(classes), dtype=dtype) if weighted else None
    loss = F.nll_loss(x, target, weight=weight, ignore_index=ignore_index, reduction=reduction)
    grad = layout(rng.standard_normal(loss.shape) * 10, kind).to(dtype).requires_grad_()
    (fast,) = torch.autograd.grad(loss, x, grad, retain_graph=True)
    (plain,) = torch.autograd.grad(loss, x, grad, create_graph=True)
    assert plain.requires_grad  # made by the NllLossGrad node (linear in grad)
    _same_bits(fast, plain)


def test_cross_entropy_keeps_first_and_second_derivatives():
    target = torch.tensor([2, 0, 1])
    x = leaf(np.random.default_rng(4).standard_normal((3, 4)), "permuted")
    check_grads(lambda t: F.cross_entropy(t, target), x)
    weight = torch.tensor([0.5, 2.0, 1.0, 1.5], dtype=torch.float64)
    check_grads(lambda t: F.nll_loss(t.log_softmax(1), target, weight=weight, ignore_index=0), x)


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(), (1,), (3, 4)])
def test_sigmoid_backward_written_in_place_equals_tensor_ops(dtype, shape):
    """The fused sigmoid backward reuses one temporary; a 0-d tensor too (numpy would hand back
    a scalar, not an array, without ``out=``)."""
    rng = np.random.default_rng(5)
    x = torch.tensor(rng.standard_normal(shape) * 3, dtype=dtype).requires_grad_()
    grad = torch.tensor(rng.standard_normal(shape), dtype=dtype)
    y = x.sigmoid()
    (fast,) = torch.autograd.grad(y, x, grad, retain_graph=True)
    (plain,) = torch.autograd.grad(y, x, grad, create_graph=True)
    _same_bits(fast, plain)
