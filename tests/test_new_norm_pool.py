"""``F.instance_norm`` / ``nn.InstanceNorm1d/2d/3d``, ``F.rms_norm`` / ``nn.RMSNorm`` and
``F.adaptive_max_pool1d/2d`` / ``nn.AdaptiveMaxPool1d/2d``: values against numpy (hypothesis, several
shapes, dtypes and memory layouts), gradients (gradcheck and gradgradcheck in float64 with
non-contiguous and broadcast inputs), running statistics, torch's errors, reprs and state_dict keys.
The tests marked ``parity`` compare with PyTorch itself and skip without it."""

import math
import warnings

import numpy as np
import pytest
from _helpers import check_grads, layout, layouts, leaf
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import nn
from minitorch.nn import functional as F

NAN = float("nan")
float_dtypes = st.sampled_from([np.float32, np.float64])


def randn(*shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def raises(exc, message, fn, *args, **kwargs):
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert str(info.value) == message


# ---- instance norm -------------------------------------------------------------------------------------------------

def instance_norm_reference(x, weight=None, bias=None, eps=1e-5):
    """Statistics per sample and channel: mean and biased variance over the spatial dims."""
    spatial = tuple(range(2, x.ndim))
    y = (x - x.mean(spatial, keepdims=True)) / np.sqrt(x.var(spatial, keepdims=True) + eps)
    channel = (-1,) + (1,) * (x.ndim - 2)
    y = y if weight is None else y * weight.reshape(channel)
    return y if bias is None else y + bias.reshape(channel)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.lists(st.integers(2, 4), min_size=1, max_size=3), layouts,
       float_dtypes, st.booleans())
def test_instance_norm_matches_numpy(n, c, spatial, kind, dtype, affine):
    x = randn(n, c, *spatial, dtype=dtype)
    weight, bias = (randn(c, seed=1, dtype=dtype), randn(c, seed=2, dtype=dtype)) if affine else (None, None)
    params = [None if p is None else minitorch.tensor(p) for p in (weight, bias)]
    y = F.instance_norm(layout(x, kind), weight=params[0], bias=params[1])
    assert y.dtype == minitorch.tensor(x).dtype and y.shape == x.shape and y.is_contiguous()
    rtol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(y.numpy(), instance_norm_reference(x.astype(np.float64), weight, bias), rtol=rtol,
                               atol=rtol)


def test_instance_norm_updates_running_stats_as_the_batch_mean_of_each_instances_update():
    x = randn(3, 2, 5)
    running_mean, running_var = minitorch.tensor([0.5, -1.0], dtype=minitorch.float64), minitorch.ones(2).double()
    F.instance_norm(minitorch.tensor(x), running_mean, running_var, momentum=0.25)
    # each (sample, channel) updates its own copy (unbiased variance), then the copies are averaged
    expected_mean = (0.75 * np.array([0.5, -1.0]) + 0.25 * x.mean(2)).mean(0)
    expected_var = (0.75 + 0.25 * x.var(2, ddof=1)).mean(0)
    np.testing.assert_allclose(running_mean.numpy(), expected_mean, rtol=1e-12)
    np.testing.assert_allclose(running_var.numpy(), expected_var, rtol=1e-12)


def test_instance_norm_with_running_stats_normalises_with_them():
    x = randn(2, 3, 4)
    mean, var = randn(3, seed=1), np.array([0.5, 2.0, 4.0])
    y = F.instance_norm(minitorch.tensor(x), minitorch.tensor(mean), minitorch.tensor(var), use_input_stats=False)
    np.testing.assert_allclose(y.numpy(), (x - mean[:, None]) / np.sqrt(var[:, None] + 1e-5), rtol=1e-12)


def test_instance_norm_gradients():
    # non-contiguous input, 1-D weight and bias broadcast over the batch and spatial dims
    x = leaf(randn(2, 3, 4), "permuted")  # a non-contiguous leaf
    check_grads(lambda a, w, b: F.instance_norm(a, weight=w, bias=b), x, leaf(randn(3, seed=1)),
                leaf(randn(3, seed=2), "strided"))
    check_grads(lambda a: F.instance_norm(a), leaf(randn(2, 2, 3, 3, seed=3), "strided"))
    stats = minitorch.zeros(2).double(), minitorch.ones(2).double()
    check_grads(lambda a, w: F.instance_norm(a, *stats, weight=w, use_input_stats=False), leaf(randn(2, 2, 3)),
                leaf(randn(2, seed=4)))


def test_instance_norm_errors():
    x = minitorch.randn(2, 3, 4)
    raises(ValueError, "Expected more than 1 spatial element when training, got input size torch.Size([2, 3, 1])",
           F.instance_norm, minitorch.randn(2, 3, 1))
    raises(ValueError, "Expected more than 1 spatial element when training, got input size torch.Size([2, 3])",
           F.instance_norm, minitorch.randn(2, 3))
    raises(RuntimeError, "Expected running_mean and running_var to be defined when use_input_stats is false",
           F.instance_norm, x, use_input_stats=False)
    raises(ValueError, "running_mean and running_var must either both be None or neither be None",
           F.instance_norm, x, running_mean=minitorch.zeros(3))
    raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)", F.instance_norm,
           minitorch.randn(3), minitorch.zeros(3), minitorch.ones(3), use_input_stats=False)
    raises(TypeError, "instance_norm(): argument 'momentum' (position 7) must be float, not NoneType",
           F.instance_norm, x, momentum=None)
    raises(RuntimeError, "weight should contain 6 elements not 8", F.instance_norm, x, weight=minitorch.ones(4))
    raises(RuntimeError, "running_mean should contain 6 elements not 8", F.instance_norm, x,
           minitorch.zeros(4), minitorch.ones(4))
    raises(NotImplementedError, "\"batch_norm\" not implemented for 'Long'", F.instance_norm,
           minitorch.arange(12).view(2, 3, 2))
    raises(RuntimeError, "mixed dtype (CPU): all inputs must share same datatype.", F.instance_norm, x.double(),
           weight=minitorch.ones(3))


def test_instance_norm_dtypes_and_empty_inputs():
    half = F.instance_norm(minitorch.randn(2, 3, 4).half(), weight=minitorch.ones(3))  # float32 weight: allowed
    assert half.dtype == minitorch.float16
    assert F.instance_norm(minitorch.randn(0, 3, 4)).shape == (0, 3, 4)
    assert F.instance_norm(minitorch.randn(2, 3, 0)).shape == (2, 3, 0)
    assert F.instance_norm(minitorch.randn(2, 3, 4, 5).transpose(-1, -2)).stride() == (60, 20, 4, 1)  # row-major


@pytest.mark.parametrize("cls, dims", [(nn.InstanceNorm1d, 1), (nn.InstanceNorm2d, 2), (nn.InstanceNorm3d, 3)])
def test_instance_norm_modules_take_batched_and_unbatched_input(cls, dims):
    norm = cls(3, affine=True, dtype=minitorch.float64)
    norm.weight.data.fill_(2.0)
    x = randn(2, 3, *(3,) * dims)
    expected = 2 * instance_norm_reference(x)
    np.testing.assert_allclose(norm(minitorch.tensor(x)).detach().numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(norm(minitorch.tensor(x[1])).detach().numpy(), expected[1], rtol=1e-10)
    wrong = 1 + dims + 2
    raises(ValueError, f"expected {dims + 1}D or {dims + 2}D input (got {wrong}D input)", norm,
           minitorch.randn(*(2,) * wrong))


def test_instance_norm_module_tracking_running_stats():
    norm = nn.InstanceNorm1d(2, momentum=0.5, track_running_stats=True)
    x = randn(4, 2, 6, dtype=np.float32)
    norm(minitorch.tensor(x))
    np.testing.assert_allclose(norm.running_mean.numpy(), (0.5 * x.mean(2)).mean(0), rtol=1e-6)
    np.testing.assert_allclose(norm.running_var.numpy(), (0.5 + 0.5 * x.var(2, ddof=1)).mean(0), rtol=1e-6)
    assert int(norm.num_batches_tracked) == 0  # as torch: instance norm never counts its batches
    norm.eval()
    y = norm(minitorch.tensor(x))
    mean, var = norm.running_mean.numpy(), norm.running_var.numpy()
    np.testing.assert_allclose(y.numpy(), (x - mean[:, None]) / np.sqrt(var[:, None] + 1e-5), rtol=1e-5, atol=1e-6)
    frozen = nn.InstanceNorm1d(2, momentum=None, track_running_stats=True)  # momentum None: no update
    frozen(minitorch.tensor(x + 5))
    assert frozen.running_mean.tolist() == [0.0, 0.0] and frozen.running_var.tolist() == [1.0, 1.0]


def test_instance_norm_module_channel_mismatch():
    raises(ValueError, "expected input's size at dim=1 to match num_features (3), but got: 5.",
           nn.InstanceNorm1d(3, affine=True), minitorch.randn(2, 5, 4))
    raises(ValueError, "expected input's size at dim=0 to match num_features (3), but got: 5.",
           nn.InstanceNorm1d(3, affine=True), minitorch.randn(5, 4))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert nn.InstanceNorm1d(3)(minitorch.randn(2, 5, 4)).shape == (2, 5, 4)  # affine=False: only a warning
    assert [str(w.message) for w in caught] == [
        "input's size at dim=1 does not match num_features. You can silence this warning by not passing in "
        "num_features, which is not used because affine=False"]


def test_instance_norm_module_reprs_and_state_dicts():
    assert repr(nn.InstanceNorm1d(3)) == \
        "InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)"
    tracked = nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
    assert repr(tracked) == \
        "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    assert list(tracked.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert tracked.weight.tolist() == [1.0] * 3 and tracked.bias.tolist() == [0.0] * 3
    assert list(nn.InstanceNorm3d(4).state_dict()) == []
    assert repr(nn.InstanceNorm3d(4, momentum=None)) == \
        "InstanceNorm3d(4, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=False)"


def test_torch_instance_norm_takes_atens_argument_order():
    x = minitorch.randn(2, 3, 4)
    y = minitorch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)
    np.testing.assert_allclose(y.numpy(), F.instance_norm(x).numpy())


# ---- rms norm ------------------------------------------------------------------------------------------------------

def rms_norm_reference(x, k, weight=None, eps=None):
    """``x / sqrt(mean(x ** 2) + eps) * weight`` over the last ``k`` dims, in float64."""
    eps = np.finfo(np.float32 if x.dtype == np.float16 else x.dtype).eps if eps is None else eps
    x = x.astype(np.float64)
    y = x / np.sqrt((x * x).mean(tuple(range(-k, 0)), keepdims=True) + eps)
    return y if weight is None else y * weight


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.data(), layouts,
       st.sampled_from([np.float16, np.float32, np.float64]), st.booleans(), st.sampled_from([None, 1e-3]))
def test_rms_norm_matches_numpy(shape, data, kind, dtype, affine, eps):
    k = data.draw(st.integers(1, len(shape)))
    x = randn(*shape, dtype=dtype)
    weight = randn(*shape[-k:], seed=1, dtype=dtype) if affine else None
    y = F.rms_norm(layout(x, kind), shape[-k:], None if weight is None else minitorch.tensor(weight), eps)
    assert y.dtype == minitorch.tensor(x).dtype and y.shape == x.shape and y.is_contiguous()
    rtol = {np.float16: 2e-3, np.float32: 1e-5, np.float64: 1e-12}[dtype]
    expected = rms_norm_reference(x, k, None if weight is None else weight.astype(np.float64), eps)
    np.testing.assert_allclose(y.numpy().astype(np.float64), expected, rtol=rtol, atol=rtol)


def test_rms_norm_float16_is_computed_in_float32_with_float32s_epsilon():
    x = minitorch.tensor([[1e-4, 0.0]], dtype=minitorch.float16)
    # eps=None: float32's epsilon (1.19e-7), not float16's (9.8e-4), which would give 0.0032
    assert F.rms_norm(x, [2]).tolist() == [[0.28369140625, 0.0]]
    a = randn(50, 16, dtype=np.float16)
    w = randn(16, seed=1, dtype=np.float16)
    a32 = a.astype(np.float32)
    expected = (a32 / np.sqrt((a32 * a32).mean(-1, keepdims=True) + np.finfo(np.float32).eps) * w).astype(np.float16)
    y = F.rms_norm(minitorch.tensor(a), [16], minitorch.tensor(w))
    np.testing.assert_allclose(y.numpy().astype(np.float32), expected.astype(np.float32), rtol=2e-3, atol=1e-3)


def test_rms_norm_result_has_the_inputs_dtype():
    x = minitorch.randn(2, 4)
    assert F.rms_norm(x, [4], minitorch.ones(4).double()).dtype == minitorch.float32
    assert F.rms_norm(x.half(), [4], minitorch.ones(4)).dtype == minitorch.float16
    assert F.rms_norm(x.double(), [4], minitorch.ones(4)).dtype == minitorch.float64
    assert F.rms_norm(minitorch.zeros(1, 4), [4]).tolist() == [[0.0] * 4]
    assert math.isnan(F.rms_norm(minitorch.zeros(1, 4), [4], eps=0.0)[0, 0].item())


def test_rms_norm_gradients():
    x = leaf(randn(3, 4, 5), "permuted")
    check_grads(lambda a, w: F.rms_norm(a, [4, 5], w), x, leaf(randn(4, 5, seed=1), "strided"))
    check_grads(lambda a: F.rms_norm(a, [5], eps=1e-3), leaf(randn(2, 5, seed=2), "strided"))
    y = F.rms_norm(minitorch.randn(2, 4, requires_grad=True), [4])
    assert type(y.grad_fn).__name__ == "MulBackward0"


def test_rms_norm_errors():
    x = minitorch.randn(2, 3, 4)
    raises(TypeError, "rms_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int",
           F.rms_norm, x, 4)
    raises(TypeError, "rms_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, but found element "
           "of type float at pos 0", F.rms_norm, x, [4.0])
    raises(TypeError, "rms_norm(): argument 'normalized_shape' failed to unpack the object at pos 2 with error \"type "
           "must be tuple of ints,but got float\"", F.rms_norm, x, [3, 4.0])
    assert F.rms_norm(x, [3, np.int64(4)]).shape == (2, 3, 4)
    raises(RuntimeError, "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
           "element, but got normalized_shape = []", F.rms_norm, x, [])
    raises(RuntimeError, "Given normalized_shape=[2, 4], expected input with shape [*2, 4], but got input of "
           "size[2, 3, 4]", F.rms_norm, x, (2, 4))
    raises(ValueError, "Input tensor must have at least 4 dimensions, but got 3", F.rms_norm, x, (2, 2, 3, 4))
    raises(RuntimeError, "Expected weight to be of same shape as normalized_shape, but got weight of shape [3] and "
           "normalized_shape = [4]", F.rms_norm, x, [4], minitorch.ones(3))
    raises(NotImplementedError, "\"rms_norm\" not implemented for 'Long'", F.rms_norm, minitorch.arange(4), [4])
    raises(RuntimeError, "Given normalized_shape=[4], expected input with shape [*4], but got input of size[2, 3]",
           nn.RMSNorm(4), minitorch.randn(2, 3))


def test_rms_norm_module():
    norm = nn.RMSNorm(4)
    assert repr(norm) == "RMSNorm((4,), eps=None, elementwise_affine=True)"
    assert list(norm.state_dict()) == ["weight"] and norm.weight.tolist() == [1.0] * 4
    plain = nn.RMSNorm([2, 3], eps=1e-6, elementwise_affine=False)
    assert repr(plain) == "RMSNorm((2, 3), eps=1e-06, elementwise_affine=False)"
    assert list(plain.state_dict()) == [] and plain.weight is None
    x = randn(5, 2, 3)
    np.testing.assert_allclose(plain(minitorch.tensor(x)).numpy(), rms_norm_reference(x, 2, eps=1e-6), rtol=1e-12)
    assert nn.RMSNorm(3, dtype=minitorch.float64).weight.dtype == minitorch.float64
    assert minitorch.rms_norm(minitorch.randn(2, 3), [3]).shape == (2, 3)


# ---- adaptive max pooling ------------------------------------------------------------------------------------------

def adaptive_max_reference(x, out_h, out_w):
    """torch's definition, loop by loop: output ``(i, j)`` looks at rows ``floor(i * H / out_h)`` up to
    ``ceil((i + 1) * H / out_h)`` (columns alike) in row-major order and keeps the first max, except that
    every NaN takes over. Returns the values and the in-plane indices."""
    *lead, h, w = x.shape
    values, indices = np.zeros(lead + [out_h, out_w], x.dtype), np.zeros(lead + [out_h, out_w], np.int64)
    for plane in np.ndindex(*lead):
        for i in range(out_h):
            for j in range(out_w):
                best = None
                for r in range(i * h // out_h, -(-(i + 1) * h // out_h)):
                    for c in range(j * w // out_w, -(-(j + 1) * w // out_w)):
                        v = x[plane + (r, c)]
                        if best is None or v > x[plane + divmod(best, w)] or np.isnan(v):
                            best = r * w + c
                indices[plane + (i, j)] = best
                values[plane + (i, j)] = x[plane + divmod(best, w)]
    return values, indices


small_values = st.sampled_from([-1.0, 0.0, 2.0, NAN])  # many ties, a few NaNs


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([[2], [1, 2], [2, 1]]), st.integers(1, 6), st.integers(1, 6), st.integers(1, 7),
       st.sampled_from([1, 2, 3, 5, 8, None]), layouts, float_dtypes, st.booleans(), st.data())
def test_adaptive_max_pool2d_matches_the_definition(lead, h, w, out_h, out_w, kind, dtype, ties, data):
    shape = lead + [h, w]  # (C, H, W) or (N, C, H, W)
    x = (np.array(data.draw(st.lists(small_values, min_size=math.prod(shape), max_size=math.prod(shape))))
         .reshape(shape).astype(dtype) if ties else randn(*shape, dtype=dtype))
    values, indices = F.adaptive_max_pool2d(layout(x, kind), (out_h, out_w), return_indices=True)
    expected_values, expected_indices = adaptive_max_reference(x, out_h, w if out_w is None else out_w)
    assert values.dtype == minitorch.tensor(x).dtype and indices.dtype == minitorch.int64
    np.testing.assert_array_equal(values.numpy(), expected_values)
    np.testing.assert_array_equal(indices.numpy(), expected_indices)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 9), st.integers(1, 10), layouts, st.booleans())
def test_adaptive_max_pool1d_matches_the_definition(length, out, kind, batched):
    x = np.round(randn(2, 3, length) * 2) if batched else np.round(randn(3, length) * 2)  # rounded: ties
    values, indices = F.adaptive_max_pool1d(layout(x, kind), out, return_indices=True)
    expected_values, expected_indices = adaptive_max_reference(x[..., None, :], 1, out)
    np.testing.assert_array_equal(values.numpy(), expected_values[..., 0, :])
    np.testing.assert_array_equal(indices.numpy(), expected_indices[..., 0, :])


def test_adaptive_max_pool_ties_and_nans_as_torch():
    values, indices = F.adaptive_max_pool1d(minitorch.tensor([[[1.0, 3.0, 3.0, 2.0, 5.0, 5.0, 0.0]]]), 3, True)
    assert values.tolist() == [[[3.0, 5.0, 5.0]]] and indices.tolist() == [[[1, 4, 4]]]  # the first max
    _, indices = F.adaptive_max_pool1d(minitorch.tensor([[[NAN, 1.0, NAN, 2.0]]]), 1, True)
    assert indices.tolist() == [[[2]]]  # the last NaN
    _, indices = F.adaptive_max_pool2d(minitorch.tensor([[[[0.0, 1.0], [1.0, 0.0]]]]), 1, True)
    assert indices.tolist() == [[[[1]]]]  # row-major order: (0, 1) before (1, 0)
    _, indices = F.adaptive_max_pool1d(minitorch.tensor([[-math.inf, -math.inf]]), 1, True)
    assert indices.tolist() == [[0]]


def test_adaptive_max_pool_gradient_goes_to_the_max():
    x = minitorch.tensor([[[1.0, 3.0, 3.0, 2.0, 5.0, 5.0, 0.0]]], requires_grad=True)
    F.adaptive_max_pool1d(x, 3).sum().backward()
    assert x.grad.tolist() == [[[0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0]]]  # overlapping windows add up
    check_grads(lambda a: F.adaptive_max_pool2d(a, (3, 2)), leaf(randn(2, 3, 5, 4), "permuted"))
    check_grads(lambda a: F.adaptive_max_pool2d(a, (None, 3)), leaf(randn(3, 4, 5, seed=1), "strided"))
    check_grads(lambda a: F.adaptive_max_pool1d(a, 4), leaf(randn(2, 3, 7, seed=2), "strided"))
    check_grads(lambda a: F.adaptive_max_pool1d(a, 9), leaf(randn(3, 5, seed=3), "permuted"))  # out > in
    y = F.adaptive_max_pool2d(minitorch.randn(1, 1, 3, 3, requires_grad=True), 2)
    assert type(y.grad_fn).__name__ == "AdaptiveMaxPool2DBackward0"


def test_adaptive_max_pool_shapes_and_empty_inputs():
    x = minitorch.randn(2, 3, 5, 7)
    assert F.adaptive_max_pool2d(x, (3, None)).shape == (2, 3, 3, 7)
    assert F.adaptive_max_pool2d(x, 9).shape == (2, 3, 9, 9)
    assert F.adaptive_max_pool2d(minitorch.randn(0, 3, 5, 7), 2).shape == (0, 3, 2, 2)
    assert F.adaptive_max_pool2d(minitorch.randn(0, 5, 7), 2).shape == (0, 2, 2)
    assert F.adaptive_max_pool1d(minitorch.randn(0, 3, 4), 2).shape == (0, 3, 2)
    assert F.adaptive_max_pool1d(minitorch.randn(2, 3, 5), (2,)).shape == (2, 3, 2)
    assert F.adaptive_max_pool2d(x.half(), 2).dtype == minitorch.float16
    leaf_x = minitorch.randn(1, 1, 3, 3, requires_grad=True)
    empty = F.adaptive_max_pool2d(leaf_x, (0, 2))
    assert empty.shape == (1, 1, 0, 2)
    raises(RuntimeError, "adaptive_max_pool2d_backward(): Expected grad_output to have non-zero size for non-batch "
           "dimensions, but grad_output has sizes [1, 1, 0, 2] with dimension 2 being empty",
           minitorch.autograd.grad, empty.sum(), leaf_x)
    values, indices = F.adaptive_max_pool2d_with_indices(x, 2)
    assert indices.dtype == minitorch.int64 and values.shape == indices.shape == (2, 3, 2, 2)
    values, indices = minitorch.adaptive_max_pool1d(minitorch.randn(2, 3, 5), [2])
    assert indices.shape == (2, 3, 2)


def test_adaptive_max_pool_errors():
    raises(RuntimeError, "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [5, 7]", F.adaptive_max_pool2d,
           minitorch.randn(5, 7), 2)
    raises(RuntimeError, "adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but "
           "input has sizes [2, 0, 5, 7] with dimension 1 being empty", F.adaptive_max_pool2d,
           minitorch.randn(2, 0, 5, 7), 2)
    raises(RuntimeError, "Trying to create tensor with negative dimension -1: [2, 3, 3, -1]", F.adaptive_max_pool2d,
           minitorch.randn(2, 3, 5, 7), (3, -1))
    raises(RuntimeError, "adaptive_max_pool2d(): internal error: output_size.size() must be 2",
           F.adaptive_max_pool2d, minitorch.randn(2, 3, 5, 7), (3, 4, 5))
    raises(ValueError, "Input dimension should be at least 4", F.adaptive_max_pool2d, minitorch.randn(2, 5, 5),
           (2, 2, 2))
    raises(NotImplementedError, "\"adaptive_max_pool2d\" not implemented for 'Long'", F.adaptive_max_pool2d,
           minitorch.arange(24).view(1, 2, 3, 4), 2)
    raises(RuntimeError, "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while "
           "checking arguments for adaptive_max_pool1d)", F.adaptive_max_pool1d, minitorch.randn(5), 2)
    raises(RuntimeError, "adaptive_max_pool1d() argument 'output_size' should contain one int (got 2)",
           F.adaptive_max_pool1d, minitorch.randn(2, 3, 5), (2, 3))
    raises(TypeError, "adaptive_max_pool1d(): argument 'output_size' (position 2) must be tuple of ints, not NoneType",
           F.adaptive_max_pool1d, minitorch.randn(2, 3, 5), None)
    raises(RuntimeError, "adaptive_max_pool1d(): Expected input to have non-zero size for non-batch dimensions, but "
           "input has sizes [2, 3, 0] with dimension 2 being empty", F.adaptive_max_pool1d, minitorch.randn(2, 3, 0), 2)
    raises(RuntimeError, "Trying to create tensor with negative dimension -1: [2, 3, 1, -1]", F.adaptive_max_pool1d,
           minitorch.arange(30).view(2, 3, 5), -1)


def test_adaptive_max_pool_modules():
    assert repr(nn.AdaptiveMaxPool1d(3)) == "AdaptiveMaxPool1d(output_size=3)"
    assert repr(nn.AdaptiveMaxPool2d((None, 3), return_indices=True)) == "AdaptiveMaxPool2d(output_size=(None, 3))"
    assert list(nn.AdaptiveMaxPool2d(2).state_dict()) == []
    x = minitorch.randn(2, 3, 5, 4)
    values, indices = nn.AdaptiveMaxPool2d((2, None), return_indices=True)(x)
    assert values.shape == indices.shape == (2, 3, 2, 4)
    assert nn.AdaptiveMaxPool1d(2)(minitorch.randn(2, 3, 5)).shape == (2, 3, 2)


# ---- parity with PyTorch (the parity extra; skipped without torch) --------------------------------------------------

def _same(ours, theirs, torch):
    """Values, dtype, shape and strides of a minitorch result and a torch one agree."""
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.stride() == theirs.stride()
    assert str(ours.dtype) == str(theirs.dtype)
    tol = {"torch.float16": 1e-3, "torch.float32": 1e-5}.get(str(ours.dtype), 1e-10)  # rounding of float sums
    np.testing.assert_allclose(ours.detach().numpy().astype(np.float64), theirs.detach().numpy().astype(np.float64),
                               rtol=tol, atol=tol, equal_nan=True)


PARITY_CASES = [  # (function name, input shape, dtype, keyword arguments built from the library as ``lib``)
    ("instance_norm", (2, 3, 5), "float32", lambda lib: {}),
    ("instance_norm", (2, 3, 4, 4), "float64", lambda lib: {"weight": lib.ones(3, dtype=lib.float64) * 2,
                                                           "bias": lib.ones(3, dtype=lib.float64)}),
    ("instance_norm", (3, 2, 6), "float32", lambda lib: {"running_mean": lib.zeros(2), "running_var": lib.ones(2)}),
    ("rms_norm", (2, 3, 4), "float32", lambda lib: {"normalized_shape": [4]}),
    ("rms_norm", (2, 3, 4), "float16", lambda lib: {"normalized_shape": [3, 4], "weight": lib.ones(3, 4) * 3}),
    ("rms_norm", (4, 5), "float64", lambda lib: {"normalized_shape": (5,), "eps": 1e-3}),
    ("adaptive_max_pool2d", (2, 3, 7, 5), "float32", lambda lib: {"output_size": (3, 4), "return_indices": True}),
    ("adaptive_max_pool2d", (3, 5, 6), "float64", lambda lib: {"output_size": (None, 4)}),
    ("adaptive_max_pool1d", (2, 3, 7), "float32", lambda lib: {"output_size": 3, "return_indices": True}),
    ("adaptive_max_pool1d", (3, 4), "float16", lambda lib: {"output_size": 6}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name, shape, dtype, kwargs", PARITY_CASES)
def test_functions_agree_with_torch(name, shape, dtype, kwargs):
    torch = pytest.importorskip("torch")
    data = np.round(randn(*shape) * 3) / 2  # halves: some ties for the pools
    results = []
    for lib in (minitorch, torch):
        x = lib.tensor(data, dtype=getattr(lib, dtype))
        # a non-contiguous input: column-major in its last two dims, or every other element of a wider
        # tensor for the 1-D pool (torch keeps a channels-last layout there, which minitorch does not model)
        x = (lib.tensor(np.repeat(data, 2, -1), dtype=x.dtype)[..., ::2] if name == "adaptive_max_pool1d"
             else x.transpose(-1, -2).contiguous().transpose(-1, -2)).requires_grad_()
        args = kwargs(lib)
        out = getattr(lib.nn.functional, name)(x, **args)
        values = out[0] if isinstance(out, tuple) else out
        (values * lib.arange(values.numel()).view(values.shape).to(values.dtype)).sum().backward()
        results.append((out, x.grad, values.grad_fn, args))
    (ours, our_grad, our_fn, our_args), (theirs, their_grad, their_fn, their_args) = results
    for a, b in zip(ours if isinstance(ours, tuple) else (ours,), theirs if isinstance(theirs, tuple) else (theirs,)):
        _same(a, b, torch)
    _same(our_grad, their_grad, torch)
    assert type(our_fn).__name__ == type(their_fn).__name__
    for key in ("running_mean", "running_var"):
        if key in our_args:
            _same(our_args[key], their_args[key], torch)


@pytest.mark.parity
def test_modules_agree_with_torch():
    torch = pytest.importorskip("torch")
    builders = [
        lambda lib: lib.nn.InstanceNorm1d(3),
        lambda lib: lib.nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
        lambda lib: lib.nn.InstanceNorm3d(4, eps=1e-3, momentum=None, bias=False, affine=True),
        lambda lib: lib.nn.RMSNorm(4),
        lambda lib: lib.nn.RMSNorm([2, 3], eps=1e-6, elementwise_affine=False),
        lambda lib: lib.nn.AdaptiveMaxPool1d(3),
        lambda lib: lib.nn.AdaptiveMaxPool2d((None, 3), return_indices=True),
    ]
    for build in builders:
        ours, theirs = build(minitorch), build(torch)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        for a, b in zip(ours.state_dict().values(), theirs.state_dict().values()):
            _same(a, b, torch)
    tracked = [lib.nn.InstanceNorm1d(2, track_running_stats=True) for lib in (minitorch, torch)]
    data = randn(3, 2, 5)
    outs = []
    for norm, lib in zip(tracked, (minitorch, torch)):
        norm(lib.tensor(data, dtype=lib.float32))  # training: updates the running statistics
        norm.eval()
        outs.append(norm(lib.tensor(data[:, :, ::-1].copy(), dtype=lib.float32)))  # eval: uses them
    for a, b in zip(tracked[0].state_dict().values(), tracked[1].state_dict().values()):
        _same(a, b, torch)
    _same(*outs, torch)


# ---- on a GPU (marked cuda: skipped without an NVIDIA GPU and CuPy) -------------------------------------------------

GPU_CASES = {
    "instance_norm": lambda x, dev: F.instance_norm(x, weight=minitorch.ones(3, dtype=x.dtype, device=dev) * 2),
    "rms_norm": lambda x, dev: F.rms_norm(x, [5, 4], minitorch.ones(5, 4, dtype=x.dtype, device=dev) * 3),
    "adaptive_max_pool2d": lambda x, dev: F.adaptive_max_pool2d(x, (3, 5), return_indices=True),
    "adaptive_max_pool1d": lambda x, dev: F.adaptive_max_pool1d(x.flatten(2), 7, return_indices=True),
}


@pytest.mark.cuda
@pytest.mark.parametrize("name", list(GPU_CASES))
def test_cuda_gives_the_cpu_values_and_gradients(name):
    data = np.round(randn(2, 3, 5, 4) * 2)  # rounded: ties for the pools
    results = []
    for dev in ("cpu", "cuda"):
        x = minitorch.tensor(data, device=dev, requires_grad=True)
        out = GPU_CASES[name](x, dev)
        values = out[0] if isinstance(out, tuple) else out
        (values * values).sum().backward()
        results.append([t.detach().cpu().numpy() for t in (out if isinstance(out, tuple) else (out,))] +
                       [x.grad.cpu().numpy()])
    for ours, cpu in zip(results[1], results[0]):
        np.testing.assert_allclose(ours, cpu, rtol=1e-10, atol=1e-12)
