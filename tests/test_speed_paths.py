"""The per-op speed paths (issue 18) compute exactly what the plain paths compute.

Each trick adds a branch: fused activation gradients (taken without ``create_graph``), sigmoid's
forward as two exps, the bias added into ``addmm``'s fresh product, ``_wrap`` keeping a 1-D
result as its own storage, the one-tensor kernel dtype check, views made without a node.
The tests compare each branch with the path it replaces, bit for bit where the arithmetic is the same.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
import minitorch.nn.functional as F
from _helpers import check_grads, layout, layouts, leaf

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "silu": F.silu,
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "elu": F.elu,
    "selu": F.selu,
    "celu": lambda x: F.celu(x, 0.5),
    "hardtanh": F.hardtanh,
}
DTYPES = [torch.float16, torch.float32, torch.float64]


def _special_values(shape, seed):
    a = np.random.default_rng(seed).standard_normal(shape) * 4
    a.flat[:6] = [0.0, -0.0, np.inf, -np.inf, np.nan, -30.0]
    return a


def _same(a, b):
    a, b = a.detach().numpy(), b.detach().numpy()
    return a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["contiguous", "permuted", "strided"])
def test_fused_activation_gradient_equals_tensor_op_gradient(name, dtype, kind):
    """Without create_graph the gradient comes from the fused kernel; with it, from tensor ops.
    Same bits, dtype and strides, also for an inf in the incoming gradient and a transposed one."""
    fn = ACTIVATIONS[name]
    x = layout(_special_values((5, 7), 1), kind).to(dtype).requires_grad_()
    grad = torch.tensor(np.random.default_rng(2).standard_normal((7, 5)), dtype=dtype).t()
    grad[1, 2] = float("inf")
    y = fn(x)
    (fused,) = torch.autograd.grad(y, x, grad, retain_graph=True)
    (plain,) = torch.autograd.grad(y, x, grad, create_graph=True)
    assert fused.grad_fn is None and not fused.requires_grad
    # the tensor-op path: differentiable again (but for the piecewise-linear ones: a constant slope)
    assert plain.requires_grad or name in ("relu", "leaky_relu", "hardtanh")
    assert _same(fused, plain)
    assert fused.stride() == plain.stride() and fused.shape == x.shape


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_fused_activations_keep_first_and_second_derivatives(name):
    x = leaf(np.random.default_rng(3).standard_normal((3, 4)), "permuted")
    check_grads(ACTIVATIONS[name], x)


def test_fused_gradient_is_skipped_when_dtypes_differ():
    """A custom Function may hand a float64 gradient to a float32 sigmoid output: the tensor-op
    path promotes as before (the fused kernel only runs for one dtype)."""
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    y = x.sigmoid()
    (g,) = torch.autograd.grad(y, x, torch.ones(2))
    s = 1 / (1 + np.exp(-np.array([0.5, -1.0], dtype=np.float32)))
    np.testing.assert_allclose(g.numpy(), s * (1 - s), rtol=1e-6)


def _reference_sigmoid(x):
    """torch's formula, 1 / (1 + exp(-x)), as plain numpy; float16 in float32, as torch computes it."""
    w = x.astype(np.float32) if x.dtype == np.float16 else x
    return (1 / (1 + np.exp(-w))).astype(x.dtype)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float16, np.float32, np.float64]), hnp.array_shapes(max_dims=3, max_side=5),
                  elements=st.floats(allow_nan=True, allow_infinity=True, width=16)), layouts)
def test_sigmoid_forward_equals_torchs_formula(arr, kind):
    out = layout(arr, kind).sigmoid()
    expected = _reference_sigmoid(arr)
    assert out.dtype == torch.tensor(arr).dtype
    np.testing.assert_array_equal(out.numpy(), expected)  # nan where expected is nan, else the same bits


def test_sigmoid_extremes():
    x = torch.tensor([-1000.0, -88.0, 0.0, -0.0, 88.0, 1000.0])
    np.testing.assert_array_equal(x.sigmoid().numpy(), _reference_sigmoid(x.numpy()))
    assert x.sigmoid()[0].item() == 0.0 and x.sigmoid()[-1].item() == 1.0


def test_no_grad_results_equal_recorded_results_and_record_nothing():
    x = torch.tensor(_special_values((4, 3), 4), requires_grad=True)
    with torch.no_grad():
        quiet = [x.sigmoid(), x + x, x @ x.t(), F.silu(x)]
    loud = [x.sigmoid(), x + x, x @ x.t(), F.silu(x)]
    for q, r in zip(quiet, loud):
        assert q.grad_fn is None and not q.requires_grad and r.grad_fn is not None
        assert _same(q, r) and q.stride() == r.stride()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_addmm_adds_the_bias_like_numpy(dtype):
    rng = np.random.default_rng(5)
    x, w, b = rng.standard_normal((6, 5)), rng.standard_normal((4, 5)), rng.standard_normal(4)
    tx, tw, tb = (torch.tensor(v, dtype=dtype) for v in (x, w, b))
    out = torch.addmm(tb, tx, tw.t())
    npd = dtype.np if hasattr(dtype, "np") else np.float32
    expected = np.matmul(x.astype(npd), w.astype(npd).T) + b.astype(npd)
    np.testing.assert_array_equal(out.numpy(), expected)
    assert out.is_contiguous()
    np.testing.assert_array_equal(torch.addmm(tb, tx, tw.t(), beta=0.5, alpha=2.0).numpy(),
                                  np.matmul(x.astype(npd), w.astype(npd).T) * 2.0 + 0.5 * b.astype(npd))
    assert tb.numpy().tolist() == b.astype(npd).tolist()  # the bias itself is untouched


@pytest.mark.parametrize("transposed", [True, False])
def test_addmm_weight_gradient_layout_follows_mat2(transposed):
    """nn.Linear's ``W.t()`` (found on strides now) gets W.grad row-major; a plain mat2 too."""
    w = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    x = torch.randn(3, 5 if transposed else 4, dtype=torch.float64)
    b = torch.randn(5 if not transposed else 4, dtype=torch.float64)
    mat2 = w.t() if transposed else w
    torch.addmm(b, x, mat2).sum().backward()
    assert w.grad.is_contiguous() and w.grad.shape == w.shape
    expected = (x.numpy().T @ np.ones((3, 4))).T if transposed else x.numpy().T @ np.ones((3, 5))
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-12)
    check_grads(lambda a, m: torch.addmm(torch.zeros(1, dtype=torch.float64), a, m),
                leaf(x.numpy()), leaf(mat2.detach().numpy(), "permuted"))


def test_matmul_errors_unchanged():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)"):
        torch.ones(2, 3) @ torch.ones(2, 3)
    with pytest.raises(RuntimeError, match="both arguments to matmul need to be at least 1D, but they are 0D and 1D"):
        torch.matmul(torch.tensor(1.0), torch.ones(2))
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.float64)
    with pytest.raises(RuntimeError, match="\"addmm_impl_cpu_\" not implemented for 'Bool'"):
        torch.ones(2, 2, dtype=torch.bool) @ torch.ones(2, 2, dtype=torch.bool)
    with pytest.raises(RuntimeError, match="\"addmv_impl_cpu\" not implemented for 'Bool'"):
        torch.ones(2, 2, dtype=torch.bool) @ torch.ones(2, dtype=torch.bool)


@pytest.mark.parametrize("shape", [(), (1,), (7,), (2, 3), (0, 3), (2, 1, 4)])
def test_op_results_own_a_flat_row_major_storage(shape):
    x = torch.ones(shape)
    for out, value in ((x + 1, 2.0), (x * x, 1.0), (x.exp(), np.exp(np.float32(1)))):
        assert out.storage_offset() == 0 and out.is_contiguous()
        assert out.stride() == torch.empty(shape).stride()
        assert len(out.untyped_storage()) == out.numel() * 4
        out.view(-1).add_(1)  # writes through a view land in the result itself
        np.testing.assert_array_equal(out.numpy(), np.full(shape, np.float32(value) + np.float32(1)))


def test_kernel_check_single_tensor_and_numbers():
    with pytest.raises(RuntimeError, match="Boolean inputs not supported for relu"):
        torch.relu(torch.tensor([True]))
    assert torch.relu(torch.tensor([-1, 2])).tolist() == [0, 2]
    with pytest.raises(NotImplementedError, match="\"hypot_cpu\" not implemented for 'Long'"):
        torch.hypot(torch.tensor([3]), torch.tensor([4]))


def test_unrecorded_views_share_storage_version_and_record_nothing():
    """Views that are not recorded skip the node; they are the same views as before."""
    base = torch.arange(12.0).view(3, 4).clone()
    x = base.clone().requires_grad_()
    with torch.no_grad():
        quiet = [x.view(-1), x[1], x.t(), x.unsqueeze(0), x.expand(2, 3, 4), x.permute(1, 0), x[:, 1:3]]
    plain = [base.view(-1), base[1], base.t(), base.unsqueeze(0), base.expand(2, 3, 4), base.permute(1, 0), base[:, 1:3]]
    loud = [x.view(-1), x[1], x.t(), x.unsqueeze(0), x.expand(2, 3, 4), x.permute(1, 0), x[:, 1:3]]
    names = ["ViewBackward0", "SelectBackward0", "TBackward0", "UnsqueezeBackward0", "ExpandBackward0",
             "PermuteBackward0", "SliceBackward0"]
    for q, p, r, name in zip(quiet, plain, loud, names):
        assert q.grad_fn is None and not q.requires_grad and q._base is x
        assert p.grad_fn is None and p._base is base
        assert type(r.grad_fn).__name__ == name and r._base is x
        assert q.stride() == r.stride() == p.stride() and q.storage_offset() == r.storage_offset()
        assert q.data_ptr() - x.data_ptr() == p.data_ptr() - base.data_ptr()
    v = base.view(-1)
    v[0] = 100.0  # a write through the quick view reaches the base and bumps the shared version
    assert base[0, 0].item() == 100.0 and base._version == v._version == 1
    t = base.t().reshape(-1)  # not viewable: a copy that is not a view of anything (UnsafeView's own forward)
    assert t._base is None and t.is_contiguous()


def test_view_of_a_base_changed_in_place_reads_the_new_history():
    """A view made on the short path still follows its base's in-place changes."""
    w = torch.ones(3, requires_grad=True)
    base = torch.zeros(2, 3)
    v = base[0]
    base.copy_(w.expand(2, 3) * 2)  # the base now requires grad
    assert v.requires_grad and v.grad_fn is not None
    v.sum().backward()
    assert w.grad.tolist() == [2.0, 2.0, 2.0]


# ---- part C: backward formulas on arrays when nothing records them (without create_graph) ----

def _fast_and_plain(y, inputs, grad):
    """The gradients without create_graph (array paths) and with it (tensor ops)."""
    fast = torch.autograd.grad(y, inputs, grad, retain_graph=True)
    plain = torch.autograd.grad(y, inputs, grad, create_graph=True)
    return fast, plain


def _assert_same_results(fast, plain):
    for f, p in zip(fast, plain):
        assert f.grad_fn is None and f.dtype == p.dtype and f.stride() == p.stride()
        assert f.detach().numpy().tobytes() == p.detach().numpy().tobytes()  # bit for bit


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(DTYPES), st.integers(1, 6), st.integers(1, 6), st.integers(1, 6),
       st.booleans(), st.booleans(), st.sampled_from([(1, 1), (0.5, 1), (1, 2), (0, 1)]), layouts)
def test_addmm_backward_on_arrays_equals_tensor_ops(dtype, n, k, m, w_transposed, need_bias, scales, kind):
    rng = np.random.default_rng(n * 100 + k * 10 + m)
    beta, alpha = scales
    bias = torch.tensor(rng.standard_normal(m), dtype=dtype).requires_grad_(need_bias)
    mat1 = layout(rng.standard_normal((n, k)), kind).to(dtype).requires_grad_()
    mat2 = (torch.tensor(rng.standard_normal((m, k)), dtype=dtype).t() if w_transposed
            else torch.tensor(rng.standard_normal((k, m)), dtype=dtype)).requires_grad_()
    y = torch.addmm(bias, mat1, mat2, beta=beta, alpha=alpha)
    inputs = [t for t in (bias, mat1, mat2) if t.requires_grad]
    grad = layout(rng.standard_normal((n, m)) * 1e3, kind).to(dtype)
    _assert_same_results(*_fast_and_plain(y, inputs, grad))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=1, max_dims=3, max_side=6), st.data(), layouts)
def test_log_softmax_backward_on_arrays_equals_tensor_ops(dtype, shape, data, kind):
    rng = np.random.default_rng(len(shape) * 7 + shape[0])
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = torch.tensor(rng.standard_normal(shape) * 10, dtype=dtype).requires_grad_()
    grad = layout(rng.standard_normal(shape) * 100, kind).to(dtype)
    _assert_same_results(*_fast_and_plain(torch.log_softmax(x, dim), [x], grad))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(DTYPES), hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4), layouts)
def test_broadcast_gradients_summed_on_arrays_equal_tensor_ops(dtype, shapes, kind):
    rng = np.random.default_rng(3)
    a = torch.tensor(rng.standard_normal(shapes.input_shapes[0]) * 100, dtype=dtype).requires_grad_()
    b = torch.tensor(rng.standard_normal(shapes.input_shapes[1]), dtype=dtype).requires_grad_()
    grad = layout(rng.standard_normal(shapes.result_shape) * 1e3, kind).to(dtype)
    _assert_same_results(*_fast_and_plain(a * b, [a, b], grad))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([np.float16, np.float32, np.float64]), st.sampled_from([(2048,), (48, 50), (3, 30, 31)]),
       st.booleans(), st.integers(0, 2**31))
def test_zero_where_by_bits_equals_numpys_where(dtype, shape, transposed, seed):
    """The CPU backend zeroes a big array's masked cells by bits: the same bits as numpy's where,
    signed zeros, infinities and NaNs (kept or dropped) included, in any layout."""
    from minitorch.backends import cpu

    rng = np.random.default_rng(seed)
    a = (rng.standard_normal(shape) * 4).astype(dtype)
    a.flat[::5], a.flat[1::7], a.flat[2::11], a.flat[3::13] = np.nan, -0.0, np.inf, -np.inf
    mask = rng.random(shape) < 0.5
    if transposed:
        a, mask = a.T, mask.T
    out, expected = cpu.zero_where(mask, a), np.where(mask, 0, a).astype(dtype)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    assert np.array_equal(out.view(f"u{out.itemsize}"), expected.view(f"u{out.itemsize}"))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([np.float16, np.float32, np.float64]), st.sampled_from([(2048,), (48, 50)]), st.booleans(),
       st.integers(0, 2**31))
def test_select_by_bits_equals_numpys_where(dtype, shape, transposed, seed):
    from minitorch.backends import cpu

    rng = np.random.default_rng(seed)
    a, b = ((rng.standard_normal(shape) * 4).astype(dtype) for _ in range(2))
    a.flat[::5], b.flat[1::7], a.flat[2::11], b.flat[3::13] = np.nan, -0.0, np.inf, -np.inf
    mask = rng.random(shape) < 0.5
    if transposed:
        a, b, mask = a.T, b.T, mask.T
    out, expected = cpu.select(mask, a, b), np.where(mask, a, b)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    assert np.array_equal(out.view(f"u{out.itemsize}"), expected.view(f"u{out.itemsize}"))


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu", "selu", "hardtanh"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_activation_backward_on_a_big_tensor_equals_the_recorded_formula(name, dtype):
    """Big enough for the backends' branch-free where (``select``, ``zero_where``)."""
    x = leaf(_special_values((64, 100), 3), "contiguous").to(dtype).detach().requires_grad_()
    grad = torch.tensor(_special_values((64, 100), 4), dtype=dtype)
    y = ACTIVATIONS[name](x)
    (fast,) = torch.autograd.grad(y, x, grad, retain_graph=True)
    (plain,) = torch.autograd.grad(y, x, grad, create_graph=True)
    assert _same(fast, plain) and fast.stride() == plain.stride()
