"""Conv, pooling and norm layers on empty batches, wrong dtypes and non-finite values, and the
autograd nodes they record: PyTorch 2.13's results and messages, written out (no torch needed)."""

import math

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.nn import functional as F

f16, f32, f64, i64 = minitorch.float16, minitorch.float32, minitorch.float64, minitorch.int64


# ---- empty batches -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("layer,out_shape", [
    (lambda: nn.Conv2d(3, 4, 3, padding=1), (0, 4, 4, 4)),
    (lambda: nn.Conv2d(3, 4, 3, stride=2, groups=1, bias=False), (0, 4, 1, 1)),
    (lambda: nn.MaxPool2d(2), (0, 3, 2, 2)),
    (lambda: nn.AvgPool2d(2, padding=1), (0, 3, 3, 3)),
    (lambda: nn.AdaptiveAvgPool2d(2), (0, 3, 2, 2)),
    (lambda: nn.BatchNorm2d(3), (0, 3, 4, 4)),
    (lambda: nn.BatchNorm2d(3).eval(), (0, 3, 4, 4)),
    (lambda: nn.LayerNorm([3, 4, 4]), (0, 3, 4, 4)),
    (lambda: nn.GroupNorm(3, 3), (0, 3, 4, 4)),
])
def test_an_empty_batch_gives_an_empty_result_and_zero_gradients(layer, out_shape):
    layer = layer()
    x = minitorch.zeros(0, 3, 4, 4, requires_grad=True)
    y = layer(x)
    assert tuple(y.shape) == out_shape and y.dtype is f32
    y.sum().backward()
    assert x.grad.shape == x.shape
    for param in layer.parameters():
        assert param.grad is not None and param.grad.abs().sum().item() == 0.0


def test_batch_norm_on_an_empty_batch_keeps_its_running_statistics():
    bn = nn.BatchNorm1d(3)
    out = bn(minitorch.zeros(0, 3))
    assert out.shape == (0, 3) and out.grad_fn.name() == "AddBackward0"  # torch: empty input * weight[0] + bias[0]
    assert bn.running_mean.tolist() == [0.0] * 3 and bn.running_var.tolist() == [1.0] * 3
    assert bn.num_batches_tracked.item() == 1
    assert F.batch_norm(minitorch.zeros(0, 3), minitorch.zeros(3), minitorch.ones(3), training=True).shape == (0, 3)
    with pytest.raises(ValueError, match=r"^Expected more than 1 value per channel when training, got input size "
                                         r"torch.Size\(\[1, 3\]\)$"):
        bn(minitorch.zeros(1, 3))


def test_conv1d_and_unbatched_inputs_with_empty_batches():
    assert F.conv1d(minitorch.ones(0, 1, 5), minitorch.ones(2, 1, 3)).shape == (0, 2, 3)
    x = minitorch.zeros(0, 2, 5, requires_grad=True)
    w = minitorch.ones(3, 2, 2, requires_grad=True)
    F.conv1d(x, w).sum().backward()
    assert x.grad.shape == x.shape and w.grad.tolist() == minitorch.zeros(3, 2, 2).tolist()


@pytest.mark.parametrize("shape", [(2, 0, 4, 4), (2, 3, 0, 4), (0, 4, 4)])
def test_pooling_needs_non_empty_channels_and_planes(shape):
    message = (r"^Expected 3D or 4D \(batch mode\) tensor with optional 0 dim batch size for input, but got:"
               + re_list(shape) + "$")
    with pytest.raises(RuntimeError, match=message):
        F.max_pool2d(minitorch.zeros(*shape), 2)
    with pytest.raises(RuntimeError, match=message):
        F.avg_pool2d(minitorch.zeros(*shape), 2)
    with pytest.raises(RuntimeError, match=r"^non-empty 3D or 4D \(batch mode\) tensor expected for input$"):
        F.max_pool2d(minitorch.zeros(4, 4), 2)


def re_list(shape):
    return r"\[" + ", ".join(map(str, shape)) + r"\]"


def test_max_pool_returns_int64_indices_for_an_empty_batch():
    values, indices = F.max_pool2d(minitorch.zeros(0, 3, 4, 4), 2, return_indices=True)
    assert values.shape == indices.shape == (0, 3, 2, 2) and indices.dtype is i64


# ---- dtypes ------------------------------------------------------------------------------------------------------

SHARE = r"^mixed dtype \(CPU\): all inputs must share same datatype\.$"
FLOAT = r"^mixed dtype \(CPU\): expect parameter to have scalar type of Float$"


@pytest.mark.parametrize("input_dtype,param_dtype,message", [
    (f64, f32, SHARE), (i64, f32, SHARE), (f32, f64, FLOAT), (f32, f16, FLOAT), (f16, f64, FLOAT), (f64, f16, FLOAT),
    (f32, f32, None), (f64, f64, None), (f16, f16, None), (f16, f32, None),  # float16 input may use float32 weights
])
def test_norm_layers_check_their_parameter_dtypes_like_torch(input_dtype, param_dtype, message):
    x = (minitorch.arange(8.0).view(2, 4) % 3).to(input_dtype)
    layers = [nn.LayerNorm(4, dtype=param_dtype), nn.BatchNorm1d(4, dtype=param_dtype),
              nn.BatchNorm1d(4, dtype=param_dtype).eval(), nn.GroupNorm(2, 4, dtype=param_dtype)]
    for layer in layers:
        if message is None:
            assert layer(x).dtype is input_dtype
            continue
        if input_dtype is i64 and not isinstance(layer, nn.LayerNorm):  # batch/group norm check the input first
            continue
        with pytest.raises(RuntimeError, match=message):
            layer(x)


def test_norm_layers_without_parameters_need_floating_input():
    x = minitorch.ones(2, 4, dtype=i64)
    with pytest.raises(NotImplementedError, match="^\"batch_norm\" not implemented for 'Long'$"):
        nn.BatchNorm1d(4)(x)
    with pytest.raises(NotImplementedError, match="^\"LayerNormKernelImpl\" not implemented for 'Long'$"):
        F.layer_norm(x, [4])
    with pytest.raises(NotImplementedError, match="^\"GroupNormKernelImpl\" not implemented for 'Long'$"):
        F.group_norm(x, 2)
    assert F.layer_norm(minitorch.ones(2, 4, dtype=f64), [4]).dtype is f64


def test_batch_norm_running_statistics_count_as_parameters():
    with pytest.raises(RuntimeError, match=FLOAT):
        F.batch_norm(minitorch.ones(2, 4), minitorch.zeros(4, dtype=f64), minitorch.ones(4, dtype=f64), training=True)


def test_conv_checks_the_bias_dtype_first():
    x64 = minitorch.ones(1, 1, 4, 4, dtype=f64)
    with pytest.raises(RuntimeError, match=r"^expected scalar type Double but found Float$"):
        F.conv2d(x64, minitorch.ones(1, 1, 3, 3))
    with pytest.raises(RuntimeError, match=r"^Input type \(double\) and bias type \(float\) should be the same$"):
        F.conv2d(x64, minitorch.ones(1, 1, 3, 3), minitorch.ones(1))
    with pytest.raises(RuntimeError, match=r"^Input type \(double\) and bias type \(float\) should be the same$"):
        nn.Conv2d(1, 1, 3)(x64)


def test_pooling_refuses_bool():
    with pytest.raises(NotImplementedError, match="^\"max_pool2d\" not implemented for 'Bool'$"):
        F.max_pool2d(minitorch.zeros(1, 1, 4, 4, dtype=minitorch.bool), 2)
    with pytest.raises(NotImplementedError, match="^\"avg_pool2d\" not implemented for 'Bool'$"):
        F.avg_pool2d(minitorch.zeros(1, 1, 4, 4, dtype=minitorch.bool), 2)
    assert F.max_pool2d(minitorch.zeros(1, 1, 4, 4, dtype=i64), 2).dtype is i64


# ---- non-finite values -------------------------------------------------------------------------------------------

def test_adaptive_avg_pool_keeps_nan_and_inf_in_their_own_window():
    x = minitorch.arange(16.0).view(1, 1, 4, 4)
    x[0, 0, 0, 0] = math.nan
    x[0, 0, 3, 3] = math.inf
    out = F.adaptive_avg_pool2d(x, 2)[0, 0].tolist()  # torch: [[nan, 4.5], [10.5, inf]]
    assert math.isnan(out[0][0]) and out[0][1] == 4.5 and out[1][0] == 10.5 and out[1][1] == math.inf
    odd = F.adaptive_avg_pool2d(minitorch.arange(25.0).view(1, 5, 5), (2, 3))  # overlapping windows
    expected = [[np.arange(25.0).reshape(5, 5)[r0:r1, c0:c1].mean() for c0, c1 in [(0, 2), (1, 4), (3, 5)]]
                for r0, r1 in [(0, 3), (2, 5)]]
    np.testing.assert_allclose(odd[0].numpy(), expected, rtol=1e-6)


def test_max_pool_propagates_nan_and_inf():
    x = minitorch.tensor([[[[1.0, math.inf], [3.0, 4.0]]]])
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    assert values.item() == math.inf and indices.item() == 1
    assert math.isnan(F.max_pool2d(minitorch.tensor([[[[1.0, math.nan], [3.0, 4.0]]]]), 2).item())


# ---- autograd node names (torch 2.13's) -------------------------------------------------------------------------

def test_node_names_of_conv_pool_and_norm():
    x = minitorch.randn(2, 3, 6, 6, requires_grad=True)
    x3 = minitorch.randn(3, 6, 6, requires_grad=True)
    stats = (minitorch.zeros(3), minitorch.ones(3))
    names = {
        "max_pool2d": F.max_pool2d(x, 2), "avg_pool2d": F.avg_pool2d(x, 2),
        "max_pool2d unbatched": F.max_pool2d(x3, 2), "avg_pool2d unbatched": F.avg_pool2d(x3, 2),
        "adaptive": F.adaptive_avg_pool2d(x, 2), "adaptive (1, 2)": F.adaptive_avg_pool2d(x, (1, 2)),
        "adaptive unbatched": F.adaptive_avg_pool2d(x3, 2), "conv2d": F.conv2d(x, minitorch.randn(4, 3, 3, 3)),
        "conv2d unbatched": F.conv2d(x3, minitorch.randn(4, 3, 3, 3)), "conv1d": F.conv1d(x[0], minitorch.randn(4, 6, 3)),
        "batch_norm train": F.batch_norm(x, *stats, training=True), "batch_norm eval": F.batch_norm(x, *stats),
        "batch_norm no stats": F.batch_norm(x, None, None, training=True),
        "BatchNorm2d eval": nn.BatchNorm2d(3).eval()(x), "layer_norm": F.layer_norm(x, [6]),
        "group_norm": F.group_norm(x, 3), "hardswish": F.hardswish(x),
    }
    assert {k: v.grad_fn.name() for k, v in names.items()} == {
        "max_pool2d": "MaxPool2DWithIndicesBackward0", "avg_pool2d": "AvgPool2DBackward0",
        "max_pool2d unbatched": "MaxPool2DWithIndicesBackward0", "avg_pool2d unbatched": "AvgPool2DBackward0",
        "adaptive": "AdaptiveAvgPool2DBackward0", "adaptive (1, 2)": "AdaptiveAvgPool2DBackward0",
        "adaptive unbatched": "AdaptiveAvgPool2DBackward0", "conv2d": "ConvolutionBackward0",
        "conv2d unbatched": "SqueezeBackward1", "conv1d": "ConvolutionBackward0",
        "batch_norm train": "NativeBatchNormBackward0", "batch_norm eval": "NativeBatchNormBackward0",
        "batch_norm no stats": "NativeBatchNormBackward0", "BatchNorm2d eval": "NativeBatchNormBackward0",
        "layer_norm": "NativeLayerNormBackward0", "group_norm": "NativeGroupNormBackward0",
        "hardswish": "HardswishBackward0",
    }


# ---- the reworked Functions are still exact (float64, unbatched and non-contiguous inputs) -----------------------

def rand(*shape, seed=0):
    return minitorch.tensor(np.random.default_rng(seed).standard_normal(shape), dtype=f64, requires_grad=True)


def test_unbatched_pooling_gradcheck():
    x = rand(2, 5, 6)
    assert gradcheck(lambda a: F.max_pool2d(a, 2, stride=1), (x,))
    assert gradcheck(lambda a: F.avg_pool2d(a, 3, stride=2, padding=1, count_include_pad=False), (x,))
    assert gradgradcheck(lambda a: F.avg_pool2d(a, 2), (x,))
    assert gradgradcheck(lambda a: F.max_pool2d(a, 2), (x,))
    x.grad = None
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.shape == x.shape


def test_adaptive_avg_pool_gradcheck():
    x = rand(2, 3, 5, 7)
    for size in [(2, 3), (3, 1), (5, 7), 1]:
        assert gradcheck(lambda a: F.adaptive_avg_pool2d(a, size), (x,))
    assert gradgradcheck(lambda a: F.adaptive_avg_pool2d(a, (2, 3)), (x,))
    assert gradcheck(lambda a: F.adaptive_avg_pool2d(a, (3, 2)), (rand(3, 7, 5, seed=1).transpose(1, 2),))


def test_batch_norm_eval_gradcheck():
    x, w, b = rand(4, 3, 2, 2), rand(3, seed=1), rand(3, seed=2)
    mean, var = minitorch.tensor([0.1, -0.2, 0.3], dtype=f64), minitorch.tensor([1.5, 0.5, 2.0], dtype=f64)
    assert gradcheck(lambda a, c, d: F.batch_norm(a, mean, var, c, d, training=False), (x, w, b))
    assert gradgradcheck(lambda a, c, d: F.batch_norm(a, mean, var, c, d, training=False), (x, w, b))
    assert gradcheck(lambda a: F.batch_norm(a, mean, var, training=False), (x.detach().permute(0, 1, 3, 2).requires_grad_(),))


# ---- reflect / replicate padding: torch's nodes and accepted shapes ----------------------------------------------

@pytest.mark.parametrize("mode,name", [("reflect", "Reflection"), ("replicate", "Replication")])
def test_index_padding_nodes_and_gradients(mode, name):
    cases = [((3, 5), (1, 2), 1), ((2, 3, 5), (2, 1), 1), ((3, 5, 5), (1, 1, 2, 0), 2), ((2, 3, 5, 4), (1, 2, 0, 3), 2),
             ((1, 1, 3, 3, 3), (1,) * 6, 3)]
    for shape, pads, dims in cases:
        x = rand(*shape)
        assert F.pad(x, pads, mode=mode).grad_fn.name() == f"{name}Pad{dims}DBackward0"
        assert gradcheck(lambda a: F.pad(a, pads, mode=mode), (x,))
    assert gradgradcheck(lambda a: F.pad(a, (1, 2, 2, 1), mode=mode), (rand(2, 4, 3).transpose(1, 2),))
    expected = {"reflect": [2.0, 1.0, 0.0, 1.0, 2.0, 1.0], "replicate": [0.0, 0.0, 0.0, 1.0, 2.0, 2.0]}[mode]
    assert F.pad(minitorch.arange(3.0).view(1, 3), (2, 1), mode=mode)[0].tolist() == expected


def test_non_constant_padding_sizes_torch_supports():
    message = (r"^Padding size 2 is not supported for 4D input tensor\.\nSupported combinations for non-constant "
               r"padding:\n  - 2D or 3D input: padding size = 2 \(pads last dimension\)\n")
    for mode in ("reflect", "replicate", "circular"):
        with pytest.raises(NotImplementedError, match=message):
            F.pad(minitorch.zeros(2, 3, 5, 5), (1, 1), mode=mode)
        with pytest.raises(NotImplementedError, match=r"^Padding size 4 is not supported for 2D input tensor"):
            F.pad(minitorch.zeros(3, 5), (1, 1, 1, 1), mode=mode)
    assert F.pad(minitorch.arange(3.0).view(1, 3), (2, 1), mode="circular")[0].tolist() == [1.0, 2.0, 0.0, 1.0, 2.0, 0.0]


def test_kl_div_nodes():
    x = minitorch.randn(3, 5, requires_grad=True).log_softmax(1)
    target = minitorch.rand(3, 5)
    assert F.kl_div(x, target, reduction="none").grad_fn.name() == "SubBackward0"
    assert F.kl_div(x, target, reduction="sum").grad_fn.name() == "SumBackward0"
    assert F.kl_div(x, target.log(), reduction="none", log_target=True).grad_fn.name() == "MulBackward0"


def test_an_eval_graph_survives_a_later_training_step():
    bn = nn.BatchNorm1d(3).eval()
    bn.running_mean.fill_(0.5)
    x = minitorch.randn(4, 3, requires_grad=True)
    out = bn(x)
    bn.train()
    bn(minitorch.randn(4, 3))  # updates the running statistics in place
    out.sum().backward()
    assert x.grad.shape == x.shape
    assert bn.weight.grad.tolist() == pytest.approx(((x.detach() - 0.5) / math.sqrt(1 + 1e-5)).sum(0).tolist(), rel=1e-5)
