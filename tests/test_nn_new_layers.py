"""``F.conv1d`` / ``nn.Conv1d``, ``F.group_norm`` / ``nn.GroupNorm`` and ``F.hardswish`` /
``nn.Hardswish``: values against numpy, gradients (gradcheck in float64, broadcast and non-contiguous
inputs), torch's reprs and error messages."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch import nn
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.nn import functional as F

f64 = minitorch.float64


def rand(*shape, seed=0):
    return minitorch.tensor(np.random.default_rng(seed).standard_normal(shape), dtype=f64, requires_grad=True)


# ---- conv1d ------------------------------------------------------------------------------------------------------

def conv1d_reference(x, w, b, stride, padding, dilation, groups):
    """The definition, with loops: ``y[n, o, l] = b[o] + sum_{c, k} w[o, c, k] x_pad[n, g(o) c, l s + k d]``."""
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    n, c_in, length = x.shape
    out_c, c_group, k = w.shape
    out_len = (length - dilation * (k - 1) - 1) // stride + 1
    y = np.zeros((n, out_c, out_len))
    for o in range(out_c):
        g = o // (out_c // groups)
        for pos in range(out_len):
            window = x[:, g * c_group:(g + 1) * c_group, pos * stride:pos * stride + dilation * (k - 1) + 1:dilation]
            y[:, o, pos] = (window * w[o]).sum((1, 2)) + (0 if b is None else b[o])
    return y


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2), st.sampled_from([1, 2]), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2),
       st.integers(1, 2), st.integers(4, 9), st.booleans())
def test_conv1d_matches_the_definition(n, groups, k, padding, stride, dilation, length, bias):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((n, 2 * groups, length)), rng.standard_normal((2 * groups, 2, k))
    b = rng.standard_normal(2 * groups) if bias else None
    if length + 2 * padding < dilation * (k - 1) + 1:
        return
    y = F.conv1d(minitorch.tensor(x), minitorch.tensor(w), None if b is None else minitorch.tensor(b), stride,
                 padding, dilation, groups)
    np.testing.assert_allclose(y.numpy(), conv1d_reference(x, w, b, stride, padding, dilation, groups), rtol=1e-10)


def test_conv1d_gradcheck():
    x, w, b = rand(2, 4, 7), rand(6, 2, 3, seed=1), rand(6, seed=2)
    assert gradcheck(lambda a, c, d: F.conv1d(a, c, d, stride=2, padding=1, dilation=1, groups=2), (x, w, b))
    assert gradgradcheck(lambda a, c: F.conv1d(a, c, padding=2, dilation=2, groups=2), (x, w))
    x_t = rand(2, 7, 4, seed=3).transpose(1, 2)  # non-contiguous
    assert gradcheck(lambda a, c: F.conv1d(a, c, groups=2), (x_t, w))
    assert gradcheck(lambda a, c: F.conv1d(a, c, padding="same"), (rand(4, 6, seed=4), rand(3, 4, 4, seed=5)))
    y = F.conv1d(x, w, b, groups=2)
    y.sum().backward()
    assert x.grad.shape == x.shape and w.grad.shape == w.shape and b.grad.shape == b.shape


def test_conv1d_shapes_and_errors():
    assert F.conv1d(minitorch.ones(1, 1, 5), minitorch.ones(1, 1, 4), padding="same").shape == (1, 1, 5)
    assert F.conv1d(minitorch.ones(1, 1, 5), minitorch.ones(1, 1, 4), padding=(1,)).shape == (1, 1, 4)
    assert F.conv1d(minitorch.ones(4, 4), minitorch.ones(1, 4, 3)).shape == (1, 2)  # unbatched
    with pytest.raises(RuntimeError, match=r"^Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d, but got "
                                           r"input of size: \[1, 1, 4, 4\]$"):
        F.conv1d(minitorch.ones(1, 1, 4, 4), minitorch.ones(1, 1, 3))
    with pytest.raises(RuntimeError, match=r"^Expected 4-dimensional input for 4-dimensional weight \[1, 1, 3, 3\], "
                                           r"but got 3-dimensional input of size \[1, 1, 4\] instead$"):
        F.conv1d(minitorch.ones(1, 1, 4), minitorch.ones(1, 1, 3, 3))
    with pytest.raises(RuntimeError, match=r"^expected padding to be a single integer value or a list of 1 values to "
                                           r"match the convolution dimensions, but got padding=\[1, 1\]$"):
        F.conv1d(minitorch.ones(1, 1, 5), minitorch.ones(1, 1, 4), padding=(1, 1))
    with pytest.raises(RuntimeError, match=r"^Calculated padded input size per channel: \(2\)\. Kernel size: \(4\)\. "
                                           r"Kernel size can't be greater than actual input size$"):
        F.conv1d(minitorch.ones(1, 1, 2), minitorch.ones(1, 1, 4))
    with pytest.raises(RuntimeError, match=r"^Given groups=1, weight of size \[2, 3, 3\], expected input\[1, 4, 5\] to "
                                           r"have 3 channels, but got 4 channels instead$"):
        F.conv1d(minitorch.ones(1, 4, 5), minitorch.ones(2, 3, 3))


def test_conv1d_module():
    assert repr(nn.Conv1d(3, 4, 5, stride=2, padding=1, bias=False)) == \
        "Conv1d(3, 4, kernel_size=(5,), stride=(2,), padding=(1,), bias=False)"
    assert repr(nn.Conv1d(3, 4, 5, padding="same", padding_mode="reflect", dilation=2)) == \
        "Conv1d(3, 4, kernel_size=(5,), stride=(1,), padding=same, dilation=(2,), padding_mode=reflect)"
    conv = nn.Conv1d(2, 3, 3, padding=1, padding_mode="circular")
    assert conv.weight.shape == (3, 2, 3) and conv.bias.shape == (3,)
    x = minitorch.randn(2, 2, 6)
    expected = F.conv1d(F.pad(x, (1, 1), mode="circular"), conv.weight, conv.bias)
    assert minitorch.allclose(conv(x), expected)
    assert nn.Conv1d(2, 3, 4, padding="same")(x).shape == (2, 3, 6)
    assert conv(x).grad_fn.name() == "ConvolutionBackward0"


# ---- group_norm --------------------------------------------------------------------------------------------------

def group_norm_reference(x, groups, w, b, eps):
    n, c = x.shape[:2]
    grouped = x.reshape(n, groups, -1)
    normed = (grouped - grouped.mean(-1, keepdims=True)) / np.sqrt(grouped.var(-1, keepdims=True) + eps)
    shape = (1, c) + (1,) * (x.ndim - 2)
    return normed.reshape(x.shape) * w.reshape(shape) + b.reshape(shape)


@pytest.mark.parametrize("shape,groups", [((2, 4), 2), ((3, 6, 5), 3), ((2, 4, 3, 3), 1), ((2, 4, 2, 2), 4)])
def test_group_norm_matches_numpy_and_gradchecks(shape, groups):
    x, w, b = rand(*shape), rand(shape[1], seed=1), rand(shape[1], seed=2)
    expected = group_norm_reference(x.detach().numpy(), groups, w.detach().numpy(), b.detach().numpy(), 1e-5)
    np.testing.assert_allclose(F.group_norm(x, groups, w, b).detach().numpy(), expected, rtol=1e-9, atol=1e-12)
    assert gradcheck(lambda a, c, d: F.group_norm(a, groups, c, d), (x, w, b))
    assert gradgradcheck(lambda a, c, d: F.group_norm(a, groups, c, d), (x, w, b))


def test_group_norm_non_contiguous_input_and_module():
    x = rand(3, 5, 4).transpose(1, 2)  # (3, 4, 5), non-contiguous
    assert gradcheck(lambda a: F.group_norm(a, 2), (x,))
    gn = nn.GroupNorm(2, 4)
    assert repr(gn) == "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"
    assert repr(nn.GroupNorm(2, 4, affine=False, eps=1e-3)) == "GroupNorm(2, 4, eps=0.001, affine=False, bias=False)"
    assert gn.weight.tolist() == [1.0] * 4 and gn.bias.tolist() == [0.0] * 4
    y = gn(x.detach().float())
    y.sum().backward()
    assert gn.weight.grad.shape == (4,) and y.grad_fn.name() == "NativeGroupNormBackward0"
    assert F.group_norm(minitorch.tensor([[1.0, 3.0, 10.0, 20.0]]), 2)[0].tolist() == \
        pytest.approx([-1.0, 1.0, -1.0, 1.0], rel=1e-4)


def test_group_norm_errors():
    with pytest.raises(ValueError, match=r"^num_channels \(4\) must be divisible by num_groups \(3\)$"):
        nn.GroupNorm(3, 4)
    with pytest.raises(RuntimeError, match=r"^Expected number of channels in input to be divisible by num_groups, but "
                                           r"got input of shape \[2, 4, 3\] and num_groups=3$"):
        F.group_norm(minitorch.ones(2, 4, 3), 3)
    with pytest.raises(RuntimeError, match=r"^Expected weight to be a vector of size equal to the number of channels in "
                                           r"input, but got weight of shape \[3\] and input of shape \[2, 4, 3\]$"):
        F.group_norm(minitorch.ones(2, 4, 3), 2, minitorch.ones(3))
    with pytest.raises(RuntimeError, match=r"^Expected at least 2 dimensions for input tensor but received 1$"):
        F.group_norm(minitorch.ones(4), 2)
    with pytest.raises(ValueError, match=r"^Expected more than 1 value per channel when training, got input size "
                                         r"\[1, 4\]$"):
        F.group_norm(minitorch.arange(4.0).view(1, 4), 4)


# ---- hardswish ---------------------------------------------------------------------------------------------------

def test_hardswish_values_and_gradient_match_torch():
    x = minitorch.tensor([-4.0, -3.0, -1.0, 0.0, 1.0, 3.0, 4.0], requires_grad=True)
    y = F.hardswish(x)
    y.sum().backward()
    assert y.tolist() == pytest.approx([0.0, 0.0, -1 / 3, 0.0, 2 / 3, 3.0, 4.0])
    assert x.grad.tolist() == pytest.approx([0.0, 0.0, 1 / 6, 0.5, 5 / 6, 1.0, 1.0])  # torch's ends: 0 at -3, 1 at 3
    assert y.grad_fn.name() == "HardswishBackward0"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-8, 8), min_size=1, max_size=20))
def test_hardswish_matches_numpy(values):
    x = np.array(values)
    np.testing.assert_allclose(F.hardswish(minitorch.tensor(x)).numpy(), x * np.clip(x + 3, 0, 6) / 6)


def test_hardswish_gradcheck_inplace_and_module():
    x = minitorch.tensor([-2.5, -1.0, 0.3, 2.0, 2.9], dtype=f64, requires_grad=True)
    assert gradcheck(F.hardswish, (x,)) and gradgradcheck(F.hardswish, (x,))
    assert gradcheck(F.hardswish, (rand(3, 4).t(),))
    y = x * 1
    assert F.hardswish(y, inplace=True) is y and y.grad_fn.name() == "HardswishBackward0"
    assert repr(nn.Hardswish()) == repr(nn.Hardswish(inplace=True)) == "Hardswish()"
    with pytest.raises(NotImplementedError, match="^\"hardswish_cpu\" not implemented for 'Long'$"):
        F.hardswish(minitorch.ones(3, dtype=minitorch.int64))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        F.hardswish(x, inplace=True)


# ---- one-dimensional pooling (torch pools a height-1 view in 2-D, then squeezes) ----------------

def test_pool1d_values_reprs_nodes_and_errors():
    """Values, reprs, node names and messages printed by torch 2.13."""
    x = minitorch.arange(8.).view(1, 1, 8)
    assert F.max_pool1d(x, 3, 2, 1).tolist() == [[[1., 3., 5., 7.]]]
    assert F.avg_pool1d(x, 3, 2, 1)[0, 0].tolist() == pytest.approx([1 / 3, 2., 4., 6.])
    assert F.avg_pool1d(x, 3, 2, 1, count_include_pad=False).tolist() == [[[0.5, 2., 4., 6.]]]
    assert F.adaptive_avg_pool1d(x, 3).tolist() == [[[1.0, 3.5, 6.0]]]
    values, indices = F.max_pool1d(x, 2, return_indices=True)
    assert values.tolist() == [[[1., 3., 5., 7.]]] and indices.tolist() == [[[1, 3, 5, 7]]]
    assert repr(nn.AvgPool1d(3)) == "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"
    assert repr(nn.AdaptiveAvgPool1d(4)) == "AdaptiveAvgPool1d(output_size=4)"
    assert repr(nn.MaxPool1d(3, 1, 1, 2, True, True)) == \
        "MaxPool1d(kernel_size=3, stride=1, padding=1, dilation=2, ceil_mode=True)"
    assert nn.MaxPool1d(2)(minitorch.ones(3, 2, 8)).shape == (3, 2, 4) and nn.AvgPool1d(2, 1)(minitorch.ones(2, 8)).shape == (2, 7)
    y = x.clone().requires_grad_()
    for out in (F.max_pool1d(y, 2), F.avg_pool1d(y, 2), F.adaptive_avg_pool1d(y, 1), F.adaptive_avg_pool1d(y, 3)):
        assert out.grad_fn.name() == "SqueezeBackward1"
    with pytest.raises(RuntimeError, match=r"^max_pool1d: Expected 2D or 3D \(batch mode\) tensor with optional 0 dim "
                                           r"batch size for input, but got:\[8\]$"):
        F.max_pool1d(minitorch.ones(8), 2)
    with pytest.raises(RuntimeError, match=r"^Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 "
                                           r"'self' \(while checking arguments for avg_pool1d\)$"):
        F.avg_pool1d(minitorch.ones(8), 2)


def test_pool1d_gradients():
    y = minitorch.tensor([[[3., 1., 4., 1., 5., 9., 2., 6.]]], requires_grad=True)
    (F.max_pool1d(y, 3, 2, 1, ceil_mode=True) * minitorch.arange(1., 6.)).sum().backward()
    assert y.grad.tolist() == [[[1., 0., 2., 0., 0., 7., 0., 5.]]]  # torch 2.13
    x = minitorch.randn(2, 3, 9, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: F.avg_pool1d(t, 3, 2, 1, ceil_mode=True), (x,))
    assert gradcheck(lambda t: F.adaptive_avg_pool1d(t, 4), (x,))
    assert gradcheck(lambda t: F.max_pool1d(t, 2), (x,))
