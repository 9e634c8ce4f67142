"""Losses on the inputs that make a training run lie: NaN and infinities, wrong target dtypes and
shapes; and the autograd node each loss records (``MseLossBackward0``...). Expected values and
messages are PyTorch 2.13's, written out (torch is not needed to run these tests)."""

import math

import numpy as np
import pytest

import minitorch
from minitorch import nn
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.nn import functional as F

INF, NAN = math.inf, math.nan
f64 = minitorch.float64


def rand(*shape, low=-1.0, high=1.0, seed=0):
    array = np.random.default_rng(seed).uniform(low, high, shape)
    return minitorch.tensor(array, dtype=f64, requires_grad=True)


# ---- NaN and infinities -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [NAN, INF, -INF, 1.5, -0.1])
def test_bce_refuses_input_outside_0_1_including_nan(bad):
    # a model that diverged to NaN must not get a finite loss (the old result was 100.0)
    with pytest.raises(RuntimeError, match=r"^all elements of input should be between 0 and 1$"):
        F.binary_cross_entropy(minitorch.tensor([bad, 0.5]), minitorch.tensor([1.0, 0.0]))
    with pytest.raises(RuntimeError, match=r"^all elements of input should be between 0 and 1$"):
        nn.BCELoss()(minitorch.tensor([0.5, bad]), minitorch.tensor([1.0, 0.0]))


@pytest.mark.parametrize("bad", [NAN, 2.0, -1.0])
def test_bce_refuses_targets_outside_0_1(bad):
    with pytest.raises(RuntimeError, match=r"^all elements of target should be between 0 and 1$"):
        F.binary_cross_entropy(minitorch.tensor([0.3, 0.5]), minitorch.tensor([bad, 0.0]))


def test_bce_on_the_edges_is_finite_as_in_torch():
    x = minitorch.tensor([0.0, 1.0, 0.5], requires_grad=True)
    loss = F.binary_cross_entropy(x, minitorch.tensor([1.0, 0.0, 1.0]), reduction="none")
    assert loss.tolist() == pytest.approx([100.0, 100.0, 0.6931472])  # torch clamps each log at -100
    loss.sum().backward()
    assert x.grad.tolist() == pytest.approx([-1e12, 1e12, -2.0], rel=1e-6)  # torch: -999999995904 (float32)


def test_smooth_l1_and_huber_gradients_stay_finite_at_infinity():
    target = minitorch.zeros(3)
    expected = {  # torch 2.13, reduction='none', input [inf, -inf, 0.5] against 0
        "smooth_l1": ([INF, INF, 0.125], [1.0, -1.0, 0.5]),
        "huber": ([INF, INF, 0.125], [1.0, -1.0, 0.5]),
        "mse": ([INF, INF, 0.25], [INF, -INF, 1.0]),
        "l1": ([INF, INF, 0.5], [1.0, -1.0, 1.0]),
    }
    for name, (values, grads) in expected.items():
        x = minitorch.tensor([INF, -INF, 0.5], requires_grad=True)
        loss = getattr(F, name + "_loss")(x, target, reduction="none")
        loss.sum().backward()
        assert loss.tolist() == values and x.grad.tolist() == grads, name
    x = minitorch.tensor([INF, -INF, 0.5], requires_grad=True)
    F.huber_loss(x, target, delta=2.0, reduction="sum").backward()
    assert x.grad.tolist() == [2.0, -2.0, 0.5]
    t = minitorch.zeros(3, requires_grad=True)
    F.smooth_l1_loss(minitorch.tensor([INF, -INF, 0.5]), t, reduction="sum").backward()
    assert t.grad.tolist() == [-1.0, 1.0, -0.5]


def test_nan_differences_give_nan_gradients_as_in_torch():
    for loss in (F.smooth_l1_loss, F.huber_loss):
        x = minitorch.tensor([INF, -INF, 1.0, NAN], requires_grad=True)
        value = loss(x, minitorch.tensor([0.0, 0.0, INF, 0.0]), reduction="sum")
        value.backward()
        assert math.isnan(value.item())
        assert x.grad.tolist()[:3] == [1.0, -1.0, -1.0] and math.isnan(x.grad.tolist()[3])


def test_cross_entropy_with_nan_and_infinite_logits():
    assert math.isnan(F.cross_entropy(minitorch.tensor([[NAN, 1.0]]), minitorch.tensor([0])).item())
    assert math.isnan(F.cross_entropy(minitorch.tensor([[INF, 1.0]]), minitorch.tensor([0])).item())
    assert F.cross_entropy(minitorch.tensor([[-INF, 1.0]]), minitorch.tensor([1])).item() == 0.0


def test_losses_of_empty_batches():
    empty = minitorch.zeros(0)
    for loss in (F.mse_loss, F.smooth_l1_loss, F.huber_loss, F.l1_loss, F.binary_cross_entropy):
        assert math.isnan(loss(empty, empty).item())
        assert loss(empty, empty, reduction="sum").item() == 0.0
    logits, classes = minitorch.zeros(0, 5), minitorch.zeros(0, dtype=minitorch.int64)
    assert math.isnan(F.cross_entropy(logits, classes).item())
    assert F.cross_entropy(logits, classes, reduction="sum").item() == 0.0


# ---- dtypes and shapes of targets ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype,name", [(minitorch.int64, "Long"), (minitorch.float64, "Double"),
                                        (minitorch.bool, "Bool")])
def test_bce_target_dtype_must_match_the_input(dtype, name):
    with pytest.raises(RuntimeError, match=f"^Found dtype {name} but expected Float$"):
        F.binary_cross_entropy(minitorch.tensor([0.3, 0.5]), minitorch.tensor([1, 0]).to(dtype))
    with pytest.raises(RuntimeError, match=f"^Found dtype {name} but expected Float$"):
        nn.BCELoss()(minitorch.tensor([0.3, 0.5]), minitorch.tensor([1, 0]).to(dtype))
    with pytest.raises(RuntimeError, match="^Found dtype Long but expected Float$"):  # checked before NaN
        F.binary_cross_entropy(minitorch.tensor([NAN, 0.5]), minitorch.tensor([1, 0]))


def test_bce_wants_floating_input_and_logit_targets_must_be_floating():
    with pytest.raises(NotImplementedError, match="\"binary_cross_entropy\" not implemented for 'Long'"):
        F.binary_cross_entropy(minitorch.tensor([1, 0]), minitorch.tensor([1, 0]))
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
        F.binary_cross_entropy_with_logits(minitorch.tensor([0.3, 0.5]), minitorch.tensor([1, 0]))


@pytest.mark.parametrize("dtype,name", [(minitorch.int32, "Int"), (minitorch.int16, "Short"), (minitorch.bool, "Bool"),
                                        (minitorch.float32, "Float")])
def test_class_targets_must_be_int64_or_uint8(dtype, name):
    logits = minitorch.zeros(3, 5)
    target = minitorch.tensor([1, 0, 0]).to(dtype)
    for loss in (F.cross_entropy, F.nll_loss, nn.CrossEntropyLoss(), nn.NLLLoss()):
        with pytest.raises(RuntimeError, match=f"^expected target dtype to be Long or Byte, but got {name}$"):
            loss(logits, target)
    assert F.cross_entropy(logits, target.to(minitorch.uint8)).item() == pytest.approx(math.log(5))


@pytest.mark.parametrize("input_shape,target,error,message", [
    ((3, 5), minitorch.rand(2, 5), ValueError, r"Expected input batch_size \(3\) to match target batch_size \(2\)\."),
    ((3, 5), minitorch.zeros(2, dtype=minitorch.int32), ValueError, r"Expected input batch_size \(3\) to match"),
    ((3, 5), minitorch.tensor(0), ValueError, r"Expected input batch_size \(3\) to match target batch_size \(0\)\."),
    ((3, 5), minitorch.rand(3, 4), RuntimeError, r"0D or 1D target tensor expected, multi-target not supported"),
    ((3, 5), minitorch.zeros(3, 2, dtype=minitorch.int64), RuntimeError, r"0D or 1D target tensor expected"),
    ((5,), minitorch.zeros(2, dtype=minitorch.int64), ValueError,
     r"For 1D input, 1D target must have size 1, but got target size: 2"),
    ((5,), minitorch.rand(4), RuntimeError, r"expected target dtype to be Long or Byte, but got Float"),
    ((3, 5, 2), minitorch.rand(3, 5, 3), RuntimeError, r"Expected target size \[3, 2\], got \[3, 5, 3\]"),
    ((3, 5, 2), minitorch.zeros(3, 3, dtype=minitorch.int64), RuntimeError, r"Expected target size \[3, 2\], got \[3, 3\]"),
    ((3, 5, 2, 2), minitorch.zeros(3, 2, dtype=minitorch.int64), RuntimeError,
     r"only batches of spatial targets supported \(3D tensors\) but got targets of dimension: 2"),
    ((3, 5, 2, 2), minitorch.zeros(3, 2, 3, dtype=minitorch.int64), RuntimeError,
     r"size mismatch \(got input: \[3, 5, 2, 2\] , target: \[3, 2, 3\]"),
    ((3, 5, 2, 2), minitorch.zeros(3, 2, 3, dtype=minitorch.int32), RuntimeError,
     r"expected target dtype to be Long or Byte, but got Int"),  # dtype before size for 4-D input
    ((), minitorch.tensor(0), RuntimeError, r"Expected floating point type for target with class probabilities, got Long"),
])
def test_cross_entropy_target_checks_in_torchs_order(input_shape, target, error, message):
    with pytest.raises(error, match="^" + message):
        F.cross_entropy(minitorch.zeros(*input_shape), target)


def test_nll_loss_zero_dim_input_and_class_weights():
    with pytest.raises(ValueError, match=r"^Expected 1 or more dimensions \(got 0\)$"):
        F.nll_loss(minitorch.tensor(1.0), minitorch.tensor(0))
    logits, target = minitorch.zeros(3, 5), minitorch.zeros(3, dtype=minitorch.int64)
    with pytest.raises(RuntimeError, match=r"^expected scalar type Float but found Double$"):
        F.cross_entropy(logits, target, weight=minitorch.ones(5, dtype=f64))
    with pytest.raises(RuntimeError, match=r"^weight tensor should be defined either for all 5 classes or no classes but "
                                           r"got weight tensor of shape: \[4\]$"):
        F.nll_loss(logits, target, weight=minitorch.ones(4))


def test_smooth_l1_and_huber_parameter_checks():
    x = minitorch.zeros(2)
    with pytest.raises(RuntimeError, match=r"^smooth_l1_loss does not support negative values for beta\.$"):
        F.smooth_l1_loss(x, x, beta=-1.0)
    for delta in (0.0, -1.0):
        with pytest.raises(RuntimeError, match=r"^huber_loss does not support non-positive values for delta\.$"):
            F.huber_loss(x, x, delta=delta)


# ---- autograd nodes: torch's names, and correct first and second derivatives ------------------------------------

@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_grad_fn_names_of_losses(reduction):
    x, t = minitorch.randn(3, 4, requires_grad=True), minitorch.randn(3, 4)
    p = minitorch.rand(3, 4, requires_grad=True)
    names = [F.mse_loss(x, t, reduction=reduction), F.smooth_l1_loss(x, t, reduction=reduction),
             F.huber_loss(x, t, reduction=reduction), F.binary_cross_entropy(p, t.sigmoid(), reduction=reduction),
             F.binary_cross_entropy(p, t.sigmoid(), weight=minitorch.rand(4), reduction=reduction),
             F.binary_cross_entropy_with_logits(x, t.sigmoid(), reduction=reduction)]
    assert [loss.grad_fn.name() for loss in names] == [
        "MseLossBackward0", "SmoothL1LossBackward0", "HuberLossBackward0", "BinaryCrossEntropyBackward0",
        "BinaryCrossEntropyBackward0", "BinaryCrossEntropyWithLogitsBackward0"]
    l1 = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "AbsBackward0"}[reduction]
    assert F.l1_loss(x, t, reduction=reduction).grad_fn.name() == l1  # torch builds L1 from abs and a reduction
    assert F.smooth_l1_loss(x, t, beta=0.0, reduction=reduction).grad_fn.name() == l1


def test_grad_fn_names_of_classification_losses():
    for shape, name in [((5,), "NllLossBackward0"), ((3, 5), "NllLossBackward0"), ((3, 5, 2), "NllLoss2DBackward0"),
                        ((3, 5, 2, 2), "NllLoss2DBackward0")]:
        logits = minitorch.randn(*shape, requires_grad=True)
        target = minitorch.tensor(1) if len(shape) == 1 else minitorch.zeros(shape[:1] + shape[2:], dtype=minitorch.int64)
        assert F.cross_entropy(logits, target).grad_fn.name() == name
        assert F.nll_loss(logits, target).grad_fn.name() == name
        assert nn.CrossEntropyLoss()(logits, target).grad_fn.name() == name


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses_gradcheck(reduction):
    x, t = rand(3, 4), rand(3, 4, seed=1)
    for loss in (F.mse_loss, F.smooth_l1_loss, F.huber_loss):
        assert gradcheck(lambda a, b: loss(a, b, reduction=reduction), (x, t))
        assert gradcheck(lambda a, b: loss(a, b, reduction=reduction), (x.detach().t().requires_grad_(), t.t()))
        assert gradgradcheck(lambda a, b: loss(2 * a, b, reduction=reduction), (x, t))
    with pytest.warns(UserWarning, match="different to the input size"):  # a broadcast target, still correct
        assert gradcheck(lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=0.5), (x, rand(4, seed=2)))
    assert gradcheck(lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=0.3), (x, t))
    x.grad = None
    F.mse_loss(x, t, reduction=reduction).sum().backward()
    assert x.grad.shape == x.shape


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_gradcheck(reduction):
    p, t = rand(3, 4, low=0.05, high=0.95), rand(3, 4, low=0.0, high=1.0, seed=1)
    w = rand(4, low=0.1, high=1.0, seed=2).detach()
    assert gradcheck(lambda a, b: F.binary_cross_entropy(a, b, weight=w, reduction=reduction), (p, t))
    assert gradgradcheck(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction), (p, t))
    x, pos = rand(3, 4, low=-3, high=3), rand(4, low=0.5, high=2.0, seed=3)
    assert gradcheck(lambda a, b, c, d: F.binary_cross_entropy_with_logits(a, b, c, reduction=reduction, pos_weight=d),
                     (x, t, rand(4, low=0.1, high=1.0, seed=4), pos))
    assert gradgradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction), (x, t))


def test_bce_with_logits_values_match_torch():
    x = minitorch.tensor([[-2.0, 0.5], [3.0, 0.0]], requires_grad=True)
    t = minitorch.tensor([[0.0, 1.0], [1.0, 0.3]])
    loss = F.binary_cross_entropy_with_logits(x, t, pos_weight=minitorch.tensor([2.0, 1.0]))
    loss.backward()
    assert loss.item() == pytest.approx(0.3478317, abs=1e-6)  # torch 2.13
    assert x.grad.flatten().tolist() == pytest.approx([0.0298007, -0.0943852, -0.0237129, 0.05], abs=1e-6)


def test_regression_losses_on_integers_raise_like_torch():
    a, b = minitorch.tensor([1, 2]), minitorch.tensor([1, 3])
    for loss, kernel in [(F.mse_loss, "mse_cpu"), (F.smooth_l1_loss, "smooth_l1_cpu"), (F.huber_loss, "huber_cpu")]:
        for reduction in ("mean", "none"):
            with pytest.raises(NotImplementedError, match=f"^\"{kernel}\" not implemented for 'Long'$"):
                loss(a, b, reduction=reduction)
    assert F.mse_loss(minitorch.tensor([1.0, 2.0]), b).item() == 0.5  # a float input promotes an integer target


MIXED = {"B": minitorch.tensor([True, False]), "I": minitorch.tensor([3, 1]), "F": minitorch.tensor([0.5, 2.0]),
         "D": minitorch.tensor([0.5, 2.0], dtype=minitorch.float64)}


@pytest.mark.parametrize("loss, a, b, expected", [  # what torch 2.13 gives for these dtype mixes
    (F.mse_loss, "B", "F", (minitorch.float32, 2.125)), (F.mse_loss, "D", "B", (minitorch.float64, 2.125)),
    (F.smooth_l1_loss, "B", "D", (minitorch.float64, 0.8125)), (F.smooth_l1_loss, "F", "B", (minitorch.float32, 0.8125)),
    (F.mse_loss, "B", "B", (NotImplementedError, "\"mse_cpu\" not implemented for 'Bool'")),
    (F.smooth_l1_loss, "B", "I", (NotImplementedError, "\"smooth_l1_cpu\" not implemented for 'Long'")),
    (F.huber_loss, "B", "B", (NotImplementedError, "\"huber_cpu\" not implemented for 'Bool'")),
    (F.huber_loss, "I", "B", (NotImplementedError, "\"huber_cpu\" not implemented for 'Long'")),
    (F.huber_loss, "B", "I", (RuntimeError, "result type Long can't be cast to the desired output type Bool")),
    (F.huber_loss, "I", "F", (RuntimeError, "result type Float can't be cast to the desired output type Long")),
    (F.huber_loss, "I", "D", (RuntimeError, "result type Double can't be cast to the desired output type Long")),
])
def test_regression_losses_on_bool_and_integer_mixes(loss, a, b, expected):
    kind, value = expected
    if isinstance(kind, type) and issubclass(kind, Exception):
        with pytest.raises(kind) as info:
            loss(MIXED[a], MIXED[b])
        assert str(info.value) == value
    else:
        result = loss(MIXED[a], MIXED[b])
        assert result.dtype is kind and result.item() == value


def test_a_bool_mask_as_prediction_backpropagates_to_a_float_target():
    target = minitorch.tensor([0.5, 2.0], requires_grad=True)
    F.mse_loss(MIXED["B"], target).backward()
    assert target.grad.tolist() == [-0.5, 2.0]  # torch 2.13


def test_smooth_l1_second_derivative_is_zero_on_the_edge_as_torch():
    d = minitorch.tensor([2.0, -2.0, 1.0, float("inf")], dtype=minitorch.float64, requires_grad=True)
    (g,) = minitorch.autograd.grad(F.smooth_l1_loss(d, minitorch.zeros(4, dtype=minitorch.float64), beta=2.0,
                                                    reduction="sum"), d, create_graph=True)
    assert g.tolist() == [1.0, -1.0, 0.5, 1.0]
    (gg,) = minitorch.autograd.grad(g.sum(), d)
    assert gg.tolist() == [0.0, 0.0, 0.5, 0.0]  # torch 2.13
