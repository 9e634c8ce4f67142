"""nn.functional where PyTorch 2.13 is strict or frugal: activations on integer and bool tensors,
dropout that draws no random numbers when it needs none, and loss result dtypes. Each expected
value, dtype and message below is what torch 2.13 gives (written out: no torch needed)."""

import math

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.nn import functional as F

# ---- activations on integer and bool tensors ------------------------------------------------------------

FLOAT_ONLY = [  # (call, torch's kernel name in its error)
    (F.leaky_relu, "leaky_relu_cpu"), (lambda x: F.leaky_relu(x, inplace=True), "leaky_relu_cpu"),
    (F.elu, "elu_cpu"), (lambda x: F.elu(x, inplace=True), "elu_cpu"), (F.selu, "elu_cpu"), (F.celu, "elu_cpu"),
    (F.gelu, "GeluKernelImpl"), (lambda x: F.gelu(x, approximate="tanh"), "GeluKernelImpl"),
    (F.silu, "silu_cpu"), (F.mish, "mish_cpu"), (F.softplus, "softplus_cpu"), (F.hardswish, "hardswish_cpu"),
    (F.logsigmoid, "log_sigmoid_cpu"), (nn.GELU(), "GeluKernelImpl"), (nn.SiLU(), "silu_cpu"),
    (F.hardsigmoid, "hardsigmoid_cpu"), (lambda x: F.hardsigmoid(x, inplace=True), "hardsigmoid_cpu"),
    (F.hardshrink, "hardshrink_cpu"), (F.softshrink, "softshrink_check"),
]


@pytest.mark.parametrize("dtype,name", [("int64", "Long"), ("int32", "Int"), ("uint8", "Byte"), ("bool", "Bool")])
@pytest.mark.parametrize("call,kernel", FLOAT_ONLY)
def test_float_activations_refuse_integer_and_bool_tensors(call, kernel, dtype, name):
    x = minitorch.tensor([-1, 0, 2]).to(getattr(minitorch, dtype))
    with pytest.raises(NotImplementedError, match=f"^\"{kernel}\" not implemented for '{name}'$"):
        call(x)
    assert x.tolist() == minitorch.tensor([-1, 0, 2]).to(getattr(minitorch, dtype)).tolist()  # in-place left it


def test_relu_hardtanh_and_threshold_take_integers_in_their_dtype():
    x = minitorch.tensor([-1, 0, 2, 7])
    for y, expected in [(F.relu(x), [0, 0, 2, 7]), (F.relu6(x), [0, 0, 2, 6]), (F.hardtanh(x), [-1, 0, 1, 1]),
                        (F.threshold(x, 0.5, 2.0), [2, 2, 2, 7]), (nn.ReLU()(x), [0, 0, 2, 7])]:
        assert y.dtype is minitorch.int64 and y.tolist() == expected
    u = minitorch.tensor([255, 0, 2, 7], dtype=minitorch.uint8)
    assert F.relu6(u).tolist() == [6, 0, 2, 6] and F.relu6(u).dtype is minitorch.uint8
    y = x.clone()
    assert F.relu(y, inplace=True) is y and y.tolist() == [0, 0, 2, 7]


def test_relu_hardtanh_and_threshold_refuse_bool_with_torch_messages():
    b = minitorch.tensor([True, False])
    for call in (F.relu, F.relu_, lambda t: F.relu(t, inplace=True), nn.ReLU()):
        with pytest.raises(RuntimeError, match="^Boolean inputs not supported for relu$"):
            call(b)
    for call in (F.hardtanh, F.relu6, nn.ReLU6(), lambda t: F.hardtanh(t, inplace=True)):
        with pytest.raises(RuntimeError, match="^Bool inputs not supported for hardtanh$"):
            call(b)
    with pytest.raises(NotImplementedError, match="^\"threshold_cpu\" not implemented for 'Bool'$"):
        F.threshold(b, 0, 1)
    with pytest.raises(RuntimeError, match="^cannot do hardtanh on an unsigned type with negative limits$"):
        F.hardtanh(minitorch.tensor([1], dtype=minitorch.uint8))


def test_activations_torch_computes_in_float_for_integers():
    x = minitorch.tensor([-1, 0, 2])
    assert F.softsign(x).dtype is minitorch.float32
    assert F.softsign(x).tolist() == [-0.5, 0.0, pytest.approx(0.6666666865348816, abs=0, rel=1e-7)]
    assert F.tanh(x).dtype is minitorch.float32 and F.sigmoid(x).dtype is minitorch.float32
    assert F.log_softmax(x, 0, dtype=minitorch.float64).tolist() == pytest.approx(
        [-3.1698460195562856, -2.1698460195562856, -0.16984601955628567], abs=1e-15)
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'$"):
        F.softmax(x, 0)


# ---- hardsigmoid, hardshrink, softshrink, tanhshrink ---------------------------------------------------

POINTS = [-4.0, -3.0, -1.0, -0.5, 0.0, 0.3, 0.5, 3.0, 4.0]


@pytest.mark.parametrize("call,node,values,grads", [
    (F.hardsigmoid, "HardsigmoidBackward0",
     [0.0, 0.0, 0.3333333432674408, 0.4166666567325592, 0.5, 0.550000011920929, 0.5833333134651184, 1.0, 1.0],
     [0.0, 0.0] + [0.1666666716337204] * 5 + [0.0, 0.0]),
    (F.hardshrink, "HardshrinkBackward0", [-4.0, -3.0, -1.0, 0.0, 0.0, 0.0, 0.0, 3.0, 4.0],
     [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
    (lambda x: F.hardshrink(x, 1.0), "HardshrinkBackward0", [-4.0, -3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 4.0],
     [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
    (F.softshrink, "SoftshrinkBackward0", [-3.5, -2.5, -0.5, -0.0, 0.0, 0.0, 0.0, 2.5, 3.5],
     [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
    (lambda x: F.softshrink(x, 1.0), "SoftshrinkBackward0", [-3.0, -2.0, -0.0, -0.0, 0.0, 0.0, 0.0, 2.0, 3.0],
     [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
    (F.tanhshrink, "SubBackward0",
     [-3.0006706714630127, -2.0049452781677246, -0.23840582370758057, -0.037882834672927856, 0.0,
      0.008687376976013184, 0.037882834672927856, 2.0049452781677246, 3.0006706714630127],
     [0.9986591339111328, 0.9901340007781982, 0.5800256729125977, 0.2135522961616516, 0.0, 0.08486306667327881,
      0.2135522961616516, 0.9901340007781982, 0.9986591339111328]),
])
def test_shrink_and_hard_sigmoid_values_nodes_and_gradients_are_torchs(call, node, values, grads):
    x = minitorch.tensor(POINTS, requires_grad=True)
    y = call(x)
    assert y.grad_fn.name() == node and y.dtype is minitorch.float32
    assert y.tolist() == pytest.approx(values, rel=1e-6, abs=1e-7)
    assert [math.copysign(1, v) for v in y.tolist()] == [math.copysign(1, v) for v in values]  # -0.0 as torch
    (g,) = minitorch.autograd.grad(y.sum(), x)
    assert g.tolist() == pytest.approx(grads, rel=1e-6)


@pytest.mark.parametrize("call", [F.hardsigmoid, F.hardshrink, F.softshrink, F.tanhshrink])
def test_shrink_and_hard_sigmoid_gradcheck(call):
    # points away from the kinks (+-3, +-0.5), non-contiguous, float64
    x = minitorch.tensor([[-4.0, -2.0, -0.2], [0.1, 1.0, 3.5]], dtype=minitorch.float64).t().requires_grad_()
    assert gradcheck(call, (x,)) and gradgradcheck(call, (x,))


def test_shrink_and_hard_sigmoid_modules_and_errors():
    assert [repr(m) for m in (nn.Hardsigmoid(), nn.Hardsigmoid(inplace=True), nn.Hardshrink(), nn.Softshrink(0.3),
                              nn.Tanhshrink())] == ["Hardsigmoid()", "Hardsigmoid()", "Hardshrink(0.5)",
                                                    "Softshrink(0.3)", "Tanhshrink()"]
    x = minitorch.tensor([-1.0, 2.0])
    assert F.hardsigmoid(x, inplace=True) is x and x.tolist() == pytest.approx([1 / 3, 5 / 6])
    assert nn.Softshrink(1.0)(minitorch.tensor([2.0])).tolist() == [1.0]
    with pytest.raises(RuntimeError, match=r"^lambda must be in range \[0, 3.40282e\+38\] for input dtype Float, "
                                           "but found -1$"):
        F.softshrink(x, -1.0)
    with pytest.raises(RuntimeError, match=r"^lambda must be in range \[0, 1.79769e\+308\] for input dtype Double"):
        F.softshrink(x.double(), -0.5)
    assert F.hardshrink(x, -1.0).tolist() == x.tolist()  # torch accepts a negative lambda here: nothing is shrunk


# ---- dropout: torch's masks, and no random numbers used when none are needed ----------------------------

def _rand_after(call):
    """``rand(3)`` after ``call()`` from seed 0, and ``call``'s result."""
    minitorch.manual_seed(0)
    out = call()
    return out, minitorch.rand(3).tolist()


FRESH = [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]  # manual_seed(0); rand(3) in torch


@pytest.mark.parametrize("call", [
    lambda x: F.dropout(x, 1.0), lambda x: F.dropout(x, 1.0, inplace=True), lambda x: nn.Dropout(1.0)(x),
    lambda x: F.dropout2d(x, 1.0), lambda x: nn.Dropout2d(1.0)(x), lambda x: F.dropout(x, 0.0),
    lambda x: F.dropout(x, 0.0, inplace=True), lambda x: F.dropout(x, 0.5, training=False),
    lambda x: nn.Dropout(0.5).eval()(x), lambda x: F.dropout(x[:0], 0.5),
])
def test_dropout_draws_nothing_when_p_is_0_or_1_or_not_training(call):
    x = minitorch.ones(2, 3, 2, 2)
    out, after = _rand_after(lambda: call(x))
    assert after == FRESH
    assert out.tolist() in (x.tolist(), minitorch.zeros(2, 3, 2, 2).tolist(), [])


def test_dropout_with_p_0_returns_its_input_and_p_1_multiplies_by_zero():
    x = minitorch.tensor([1.0, float("nan"), float("inf")], requires_grad=True)
    assert F.dropout(x, 0.0) is x and F.dropout(x, 0.3, training=False) is x
    y = F.dropout(x, 1.0)
    assert y.grad_fn.name() == "MulBackward0" and y.tolist()[0] == 0.0
    assert all(v != v for v in y.tolist()[1:])  # 0 * nan and 0 * inf are nan, as in torch
    assert F.dropout(minitorch.tensor([3, 4]), 1.0).tolist() == [0, 0]  # int64 zeros, as torch
    assert F.dropout(minitorch.tensor([3, 4]), 1.0).dtype is minitorch.int64


def test_dropout_masks_are_torchs_for_the_same_seed():
    out, after = _rand_after(lambda: F.dropout(minitorch.ones(2, 3), 0.5))
    assert out.tolist() == [[0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
    assert after == [0.022325754165649414, 0.16885894536972046, 0.2938884496688843]  # 6 words later, as in torch
    out, _ = _rand_after(lambda: F.dropout(minitorch.ones(4, dtype=minitorch.float64), 1 / 3))
    assert out.tolist() == [0.0, 0.0, 1.4999999999999998, 0.0]
    out, _ = _rand_after(lambda: F.dropout2d(minitorch.ones(2, 3, 2, 2), 0.5))
    assert out[:, :, 0, 0].tolist() == [[0.0, 0.0, 2.0], [0.0, 0.0, 0.0]] and out.tolist() == (
        out[:, :, :1, :1].expand(2, 3, 2, 2).tolist())
    # a transposed input's mask is drawn in its memory order (torch fills a tensor laid out like it)
    out, _ = _rand_after(lambda: F.dropout(minitorch.ones(3, 4).t(), 0.5))
    assert out.t().tolist() == [[0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 2.0]]


def test_dropout_refuses_integer_input_after_drawing_its_mask():
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
        F.dropout(minitorch.tensor([1, 2]), 0.5)
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Bool$"):
        F.dropout(minitorch.tensor([True]), 0.5)


# ---- loss result dtypes and weights ------------------------------------------------------------------------

x3, t3 = minitorch.tensor([0.2, 0.7, 0.9]), minitorch.tensor([0.0, 1.0, 1.0])
w64 = minitorch.tensor([1.0, 2.0, 3.0], dtype=minitorch.float64)


def _close(tensor, expected):
    """Equal to torch's values up to an ulp or so of float32 (numpy's and torch's log may differ by one)."""
    np.testing.assert_allclose(np.array(tensor.tolist()), expected, rtol=3e-7)


def test_bce_keeps_the_input_dtype_with_a_float64_weight():
    loss = F.binary_cross_entropy(x3, t3, weight=w64, reduction="none")
    assert loss.dtype is minitorch.float32
    _close(loss, [0.2231435626745224, 0.7133499383926392, 0.3160816431045532])
    x = x3.clone().requires_grad_()
    mean = F.binary_cross_entropy(x, t3, weight=w64)
    assert mean.dtype is minitorch.float32 and mean.grad_fn.name() == "BinaryCrossEntropyBackward0"
    mean.backward()
    assert x.grad.dtype is minitorch.float32
    _close(x.grad, [0.4166666269302368, -0.9523809552192688, -1.1111111640930176])


def test_bce_uses_log1p_for_the_negative_term():
    # log(1 - 1e-8) rounds to 0 in float32; torch's log1p(-x) keeps the 1e-8
    _close(F.binary_cross_entropy(minitorch.tensor([1e-8, 0.5]), minitorch.tensor([0.0, 0.0]), reduction="none"),
           [9.99999993922529e-09, 0.6931471824645996])
    assert F.binary_cross_entropy(minitorch.tensor([0.0, 1.0]), minitorch.tensor([0.0, 0.0]),
                                  reduction="none").tolist() == [0.0, 100.0]


def test_bce_weight_must_broadcast_to_the_target():
    with pytest.raises(RuntimeError, match="^Attempting to broadcast a dimension of length 2 at -1!"):
        F.binary_cross_entropy(x3, t3, weight=minitorch.ones(2))
    for loss in (F.binary_cross_entropy, F.binary_cross_entropy_with_logits):
        with pytest.raises(RuntimeError, match=r"^output with shape \[3\] doesn't match the broadcast shape \[2, 3\]$"):
            loss(x3, t3, weight=minitorch.ones(2, 3))
    loss = F.binary_cross_entropy(x3, t3, weight=minitorch.tensor(2.0, dtype=minitorch.float64))
    assert loss.dtype is minitorch.float32 and loss.item() == pytest.approx(0.45678606629371643, rel=3e-7)


def test_bce_with_logits_has_the_targets_dtype():
    for kwargs in ({"weight": w64}, {"pos_weight": w64}):
        loss = F.binary_cross_entropy_with_logits(x3, t3, reduction="none", **kwargs)
        assert loss.dtype is minitorch.float32
        _close(loss, [0.7981388568878174, 0.8063721060752869, 1.0234616994857788])
    loss = F.binary_cross_entropy_with_logits(x3.double(), t3, reduction="none")
    assert loss.dtype is minitorch.float32
    loss = F.binary_cross_entropy_with_logits(x3, t3.double(), reduction="none")
    assert loss.dtype is minitorch.float64
    _close(loss, [0.7981388717889786, 0.40318605303764343, 0.3411538898944855])
    assert F.binary_cross_entropy_with_logits(minitorch.tensor([-1000.0, 1000.0]), minitorch.tensor([1.0, 0.0]),
                                              reduction="none").tolist() == [1000.0, 1000.0]
    x = x3.clone().requires_grad_()
    F.binary_cross_entropy_with_logits(x, t3, pos_weight=w64).backward()
    assert x.grad.dtype is minitorch.float32
    _close(x.grad, [0.18327797949314117, -0.22120817005634308, -0.28905051946640015])


def test_huber_loss_has_the_inputs_dtype():
    loss = F.huber_loss(x3, t3.double(), reduction="none")
    assert loss.dtype is minitorch.float32
    _close(loss, [0.020000001415610313, 0.04500000178813934, 0.005000002216547728])
    assert F.huber_loss(x3.double(), t3).dtype is minitorch.float64


ALPHA_KEEP, ALPHA_DROP = 1.6655988693237305, -0.7791939377784729  # alpha_dropout(ones, 0.5): kept, dropped
GRAD_KEPT = 0.8864048719406128  # its gradient where kept (0 where dropped)


def test_alpha_dropout_values_and_defaults_are_torchs():
    x = minitorch.ones(2, 3, requires_grad=True)
    assert F.alpha_dropout(x, 0.5) is x  # training=False by default, as in torch
    out, _ = _rand_after(lambda: F.alpha_dropout(x, 0.5, training=True))
    assert out.grad_fn.name() == "AddBackward0"
    _close(out, [[ALPHA_DROP, ALPHA_DROP, ALPHA_KEEP], [ALPHA_DROP, ALPHA_DROP, ALPHA_DROP]])
    out, _ = _rand_after(lambda: F.alpha_dropout(minitorch.ones(2, 3, dtype=minitorch.float64), 0.2, True))
    assert out.tolist() == [[-1.2361598485763778, 1.1879435455876273, 1.1879435455876273]] * 2
    out, after = _rand_after(lambda: F.alpha_dropout(minitorch.ones(2, 3), 1.0, True))
    assert out.tolist() == [[0.0] * 3] * 2 and after == FRESH
    out, _ = _rand_after(lambda: F.feature_alpha_dropout(minitorch.ones(2, 3, 2), 0.5, True))
    _close(out, [[[ALPHA_DROP] * 2, [ALPHA_DROP] * 2, [ALPHA_KEEP] * 2], [[ALPHA_DROP] * 2] * 3])
    assert nn.AlphaDropout(0.5).eval()(x) is x
    minitorch.manual_seed(0)
    F.alpha_dropout(x, 0.5, True).sum().backward()
    _close(x.grad, [[0.0, 0.0, GRAD_KEPT], [0.0, 0.0, 0.0]])


def test_dropout_1d_2d_3d_shapes_and_unbatched_inputs():
    out, _ = _rand_after(lambda: F.dropout1d(minitorch.ones(3, 4), 0.5))  # (C, L): one sample
    assert out.tolist() == [[0.0] * 4, [0.0] * 4, [2.0] * 4]
    out, _ = _rand_after(lambda: F.dropout3d(minitorch.ones(2, 1, 1, 1), 0.5))  # (C, D, H, W)
    assert out.shape == (2, 1, 1, 1) and out.flatten().tolist() == [0.0, 0.0]
    out, _ = _rand_after(lambda: nn.Dropout1d()(minitorch.ones(2, 3, 4)))
    assert out[:, :, 0].tolist() == [[0.0, 0.0, 2.0], [0.0, 0.0, 0.0]] and out.shape == (2, 3, 4)
    with pytest.raises(RuntimeError, match="^dropout1d: Expected 2D or 3D input, but received a 1D input. Note that"):
        F.dropout1d(minitorch.ones(3))
    with pytest.warns(UserWarning, match="^dropout3d: Received a 1-D input to dropout3d, which is deprecated"):
        out, _ = _rand_after(lambda: F.dropout3d(minitorch.ones(3), 0.5))
    assert out.tolist() == [0.0, 0.0, 2.0]
    with pytest.warns(UserWarning, match="dropout2d: Received a 1-D input"):
        with pytest.raises(RuntimeError, match="^Feature dropout requires at least 2 dimensions in the input$"):
            F.dropout2d(minitorch.ones(3))
    with pytest.warns(UserWarning):  # torch checks the rank only when it draws a mask
        assert F.dropout2d(minitorch.ones(3), 1.0).tolist() == [0.0, 0.0, 0.0]
    assert [repr(m) for m in (nn.Dropout1d(), nn.Dropout3d(0.2, True), nn.AlphaDropout(), nn.FeatureAlphaDropout())] == [
        "Dropout1d(p=0.5, inplace=False)", "Dropout3d(p=0.2, inplace=True)", "AlphaDropout(p=0.5, inplace=False)",
        "FeatureAlphaDropout(p=0.5, inplace=False)"]
    y = minitorch.ones(3, 4)
    assert F.dropout1d(y, 0.5, inplace=True) is y


# ---- argument checks torch makes (found by a differential run against torch 2.13) ---------------------------

@pytest.mark.parametrize("call,error,message", [
    (lambda: F.linear(minitorch.ones(()), minitorch.ones(2, 3)), RuntimeError,
     "both arguments to linear need to be at least 1D, but they are 0D and 2D"),
    (lambda: F.celu(minitorch.ones(2), alpha=0.0), RuntimeError, "ZeroDivisionError: alpha cannot be 0 for CELU"),
    (lambda: F.layer_norm(minitorch.ones(2, 3), 3), TypeError,
     "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int"),
    (lambda: F.cross_entropy(minitorch.ones(2, 3), minitorch.tensor([0, 1]), label_smoothing=1.5), RuntimeError,
     "label_smoothing must be between 0.0 and 1.0. Got: 1.5"),
    (lambda: F.cross_entropy(minitorch.ones(2, 3), minitorch.ones(2, 3) / 3, ignore_index=0), RuntimeError,
     "ignore_index is not supported for floating point target"),
    (lambda: F.nll_loss(minitorch.ones(2, 3, dtype=minitorch.int64), minitorch.tensor([0, 1])), NotImplementedError,
     "\"nll_loss_out_frame\" not implemented for 'Long'"),
    (lambda: F.nll_loss(minitorch.ones(2, 3, 2, dtype=minitorch.int64), minitorch.tensor([[0, 1], [0, 1]])),
     NotImplementedError, "\"nll_loss2d_forward_out_frame\" not implemented for 'Long'"),
    (lambda: F.kl_div(minitorch.tensor([1]), minitorch.tensor([1.0])), RuntimeError,
     "kl_div: Integral inputs not supported."),
    (lambda: F.kl_div(minitorch.tensor([1.0]), minitorch.tensor([1])), RuntimeError,
     "kl_div: Integral inputs not supported."),
    (lambda: F.max_pool2d(minitorch.ones(1, 1, 4, 4), 0), RuntimeError, "stride should not be zero"),
    (lambda: F.avg_pool2d(minitorch.ones(1, 1, 4, 4), 2, stride=0), RuntimeError, "stride should not be zero"),
    (lambda: F.max_pool2d(minitorch.ones(1, 1, 4, 4), 0, stride=1), RuntimeError,
     "kernel size should be greater than zero, but got kH: 0 kW: 0"),
    (lambda: F.adaptive_avg_pool2d(minitorch.ones(1, 1, 4, 4), -1), RuntimeError,
     "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-1, -1}"),
    (lambda: F.conv2d(minitorch.ones(1, 1, 4, 4), minitorch.ones(1, 1, 3, 3), padding=(1, -1)), RuntimeError,
     "negative padding is not supported"),
    (lambda: F.conv1d(minitorch.ones(1, 1, 4), minitorch.ones(1, 1, 3), padding=-1), RuntimeError,
     "negative padding is not supported"),
    (lambda: F.batch_norm(minitorch.ones(2, 3), minitorch.zeros(4), minitorch.ones(4)), RuntimeError,
     "running_mean should contain 3 elements not 4"),
    (lambda: F.batch_norm(minitorch.ones(2, 3), minitorch.zeros(3), minitorch.ones(3), minitorch.ones(4)),
     RuntimeError, "weight should contain 3 elements not 4"),
    (lambda: F.batch_norm(minitorch.ones(2, 3), None, None, training=True, weight=minitorch.ones(2)), RuntimeError,
     "weight should contain 3 elements not 2"),
])
def test_bad_arguments_raise_torchs_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_cases_torch_accepts():
    # a negative label_smoothing is let through by torch (nothing is smoothed)
    assert F.cross_entropy(minitorch.ones(2, 3), minitorch.tensor([0, 1]), label_smoothing=-0.1).shape == ()
    # cosine_similarity broadcasts its inputs before it picks ``dim``
    sim = F.cosine_similarity(minitorch.ones(2, 3), minitorch.ones(3))
    assert sim.shape == (2,) and sim.tolist() == pytest.approx([1.0, 1.0], abs=1e-7)
    assert F.cosine_similarity(minitorch.ones(1, 3), minitorch.ones(4, 1), dim=0).shape == (3,)
    with pytest.raises(RuntimeError, match="must match the size of tensor b"):
        F.cosine_similarity(minitorch.ones(2, 3), minitorch.ones(2))
    # an adaptive pool to an empty output: an empty result (whose backward torch refuses)
    x = minitorch.ones(1, 1, 4, 4, requires_grad=True)
    for size, shape in ((0, (1, 1, 0, 0)), ((0, 2), (1, 1, 0, 2))):
        y = F.adaptive_avg_pool2d(x, size)
        assert tuple(y.shape) == shape and y.grad_fn.name() == "AdaptiveAvgPool2DBackward0"
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    assert str(info.value) == ("adaptive_avg_pool2d_backward(): Expected grad_output to have non-zero size for "
                               "non-batch dimensions, but grad_output has sizes [1, 1, 0, 2] with dimension 2 "
                               "being empty")


def test_softmax2d_and_cosine_similarity_modules():
    y = nn.Softmax2d()(minitorch.arange(8.0).reshape(2, 2, 2))
    _close(y, [[[0.01798621006309986] * 2] * 2, [[0.9820137619972229] * 2] * 2])
    with pytest.raises(ValueError, match="^Softmax2d: expected input to be 3D or 4D, got 2D instead$"):
        nn.Softmax2d()(minitorch.ones(2, 3))
    sim = nn.CosineSimilarity()
    assert repr(sim) == "CosineSimilarity()" and (sim.dim, sim.eps) == (1, 1e-08)
    _close(sim(minitorch.tensor([[1.0, 0.0], [1.0, 1.0]]), minitorch.tensor([[1.0, 1.0], [1.0, 1.0]])),
           [0.7071067690849304, 0.9999999403953552])
    assert nn.CosineSimilarity(dim=0)(minitorch.ones(3), minitorch.ones(3)).shape == ()


def test_padding_layers_are_f_pad_with_torchs_reprs():
    x1, x2 = minitorch.arange(6.0).reshape(1, 2, 3), minitorch.arange(12.0).reshape(1, 1, 3, 4)
    cases = [
        (nn.ZeroPad2d(1), x2, "ZeroPad2d((1, 1, 1, 1))", "ConstantPadNdBackward0"),
        (nn.ZeroPad1d(2), x1, "ZeroPad1d((2, 2))", "ConstantPadNdBackward0"),
        (nn.ConstantPad1d(2, 3.5), x1, "ConstantPad1d(padding=(2, 2), value=3.5)", "ConstantPadNdBackward0"),
        (nn.ConstantPad2d((1, 0, 2, 0), 1), x2, "ConstantPad2d(padding=(1, 0, 2, 0), value=1)",
         "ConstantPadNdBackward0"),
        (nn.ReflectionPad1d(1), x1, "ReflectionPad1d((1, 1))", "ReflectionPad1DBackward0"),
        (nn.ReflectionPad2d(2), x2, "ReflectionPad2d((2, 2, 2, 2))", "ReflectionPad2DBackward0"),
        (nn.ReplicationPad1d((1, 2)), x1, "ReplicationPad1d((1, 2))", "ReplicationPad1DBackward0"),
        (nn.ReplicationPad2d(1), x2, "ReplicationPad2d((1, 1, 1, 1))", "ReplicationPad2DBackward0"),
        (nn.CircularPad1d(1), x1, "CircularPad1d((1, 1))", None),
    ]
    for layer, x, text, node in cases:
        y = layer(x.clone().requires_grad_())
        assert repr(layer) == text and (node is None or y.grad_fn.name() == node)
        mode = layer.mode if not hasattr(layer, "value") else "constant"
        expected = F.pad(x, layer.padding, mode, getattr(layer, "value", None))
        assert y.tolist() == expected.tolist()
    assert nn.ReflectionPad1d(1)(x1).tolist() == [[[1.0, 0.0, 1.0, 2.0, 1.0], [4.0, 3.0, 4.0, 5.0, 4.0]]]
    assert nn.CircularPad1d(1)(x1).tolist() == [[[2.0, 0.0, 1.0, 2.0, 0.0], [5.0, 3.0, 4.0, 5.0, 3.0]]]
    assert nn.ZeroPad2d(1)(minitorch.ones(1, 1, 1)).tolist() == [[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]


def test_pairwise_distance_values_node_and_gradient_are_torchs():
    a = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = minitorch.tensor([[1.0, 0.0], [0.0, 0.0]])
    y = F.pairwise_distance(a, b)
    assert y.grad_fn.name() == "NormBackward1"
    assert y.tolist() == [2.0000009536743164, 5.000001430511475]
    y.sum().backward()
    assert a.grad.tolist() == [[4.999997713639459e-07, 1.0], [0.6000000238418579, 0.7999999523162842]]
    assert F.pairwise_distance(a, b, p=1, keepdim=True).tolist() == [[2.000001907348633], [7.000001907348633]]
    assert F.pairwise_distance(minitorch.ones(3), minitorch.zeros(2, 3)).tolist() == [1.7320524454116821] * 2
    assert F.pairwise_distance(minitorch.ones(()), minitorch.zeros(())).tolist() == 1.0000009536743164
    layer = nn.PairwiseDistance(p=1.0, eps=0.0, keepdim=True)
    assert repr(layer) == "PairwiseDistance()" and (layer.norm, layer.eps, layer.keepdim) == (1.0, 0.0, True)
    assert layer(a, b).tolist() == [[2.0], [7.0]]
    x = minitorch.tensor([[0.3, -1.2, 2.0], [1.5, 0.4, -0.7]], dtype=minitorch.float64).t().requires_grad_()
    assert gradcheck(lambda t: F.pairwise_distance(t, t.flip(0), p=3.0), (x,))
