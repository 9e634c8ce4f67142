"""nn.functional activations and losses: values against numpy formulas, gradients by gradcheck
(float64, non-contiguous inputs), stability for logits of +-1000, torch's errors and warnings."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
from minitorch import nn
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck

erf = np.vectorize(math.erf)


def dbl(array, requires_grad=True):
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def noncontig(*shape, seed=0):
    """A float64 leaf that is a transposed (non-contiguous) view."""
    rng = np.random.default_rng(seed)
    base = torch.tensor(rng.standard_normal(shape[::-1]) * 2)
    x = base.t() if len(shape) == 2 else base.permute(*reversed(range(len(shape))))
    assert not x.is_contiguous()
    return x.requires_grad_()


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softplus(x, beta=1.0, threshold=20.0):
    return np.where(x * beta > threshold, x, np.logaddexp(0, x * beta) / beta)


SELU_A, SELU_L = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
ACTIVATIONS = {
    "relu": (F.relu, lambda x: np.maximum(x, 0)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    "elu": (lambda x: F.elu(x, 0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(np.minimum(x, 0)))),
    "selu": (F.selu, lambda x: SELU_L * np.where(x > 0, x, SELU_A * np.expm1(np.minimum(x, 0)))),
    "celu": (lambda x: F.celu(x, 2.0), lambda x: np.maximum(x, 0) + np.minimum(0, 2 * np.expm1(np.minimum(x, 0) / 2))),
    "gelu": (F.gelu, lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2)))),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"),
                  lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))),
    "silu": (F.silu, lambda x: x * sigmoid(x)),
    "mish": (F.mish, lambda x: x * np.tanh(softplus(x))),
    "sigmoid": (F.sigmoid, sigmoid),
    "tanh": (F.tanh, np.tanh),
    "softsign": (F.softsign, lambda x: x / (1 + np.abs(x))),
    "softplus": (lambda x: F.softplus(x, 2.0, 3.0), lambda x: softplus(x, 2.0, 3.0)),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 1.5), lambda x: np.clip(x, -0.5, 1.5)),
    "relu6": (F.relu6, lambda x: np.clip(x, 0, 6)),
    "threshold": (lambda x: F.threshold(x, 0.1, 20.0), lambda x: np.where(x > 0.1, x, 20.0)),
    "logsigmoid": (F.logsigmoid, lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))),
    "softmax": (lambda x: F.softmax(x, dim=-1), lambda x: np.exp(x - np.log(np.exp(x).sum(-1, keepdims=True)))),
    "log_softmax": (lambda x: F.log_softmax(x, dim=-1), lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True))),
}
MODULES = {"relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(0.2), "elu": nn.ELU(0.5), "selu": nn.SELU(),
           "celu": nn.CELU(2.0), "gelu": nn.GELU(), "gelu_tanh": nn.GELU("tanh"), "silu": nn.SiLU(), "mish": nn.Mish(),
           "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "softsign": nn.Softsign(), "softplus": nn.Softplus(2.0, 3.0),
           "hardtanh": nn.Hardtanh(-0.5, 1.5), "relu6": nn.ReLU6(), "threshold": nn.Threshold(0.1, 20.0),
           "logsigmoid": nn.LogSigmoid(), "softmax": nn.Softmax(dim=-1), "log_softmax": nn.LogSoftmax(dim=-1)}

arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                    elements=st.floats(-6, 6, allow_nan=False).filter(lambda v: abs(v) > 1e-3 and abs(abs(v) - 0.1) > 1e-3
                                                                     and abs(v + 0.5) > 1e-3 and abs(v - 1.5) > 1e-3))


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=25, deadline=None)
@given(x=arrays)
def test_activation_values_match_numpy(name, x):
    fn, reference = ACTIVATIONS[name]
    expected = reference(x)
    assert np.allclose(fn(torch.tensor(x)).numpy(), expected, atol=1e-12)
    assert np.allclose(MODULES[name](torch.tensor(x)).numpy(), expected, atol=1e-12)
    out32 = fn(torch.tensor(x, dtype=torch.float32))
    assert out32.dtype == torch.float32 and np.allclose(out32.numpy(), expected, atol=1e-5)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_gradcheck_and_gradgradcheck(name):
    fn, _ = ACTIVATIONS[name]
    x = noncontig(3, 4)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))
    fn(x).sum().backward()
    assert x.grad.shape == x.shape


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu", "selu", "celu", "silu", "mish", "softplus", "gelu",
                                  "logsigmoid", "sigmoid", "tanh", "softsign", "softmax", "log_softmax"])
def test_activations_finite_for_huge_inputs(name):
    fn, reference = ACTIVATIONS[name]
    x = dbl([[-1000.0, -30.0, 0.5, 30.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings either
        y = fn(x)
        y.sum().backward()
    assert np.isfinite(y.detach().numpy()).all() and np.isfinite(x.grad.numpy()).all()


def test_activation_grad_fn_names_and_reprs():
    x = torch.randn(2, 3, requires_grad=True)
    names = {F.relu: "ReluBackward0", F.leaky_relu: "LeakyReluBackward0", F.elu: "EluBackward0",
             F.selu: "EluBackward0", F.celu: "CeluBackward0", F.gelu: "GeluBackward0", F.silu: "SiluBackward0",
             F.mish: "MishBackward0", F.softplus: "SoftplusBackward0", F.hardtanh: "HardtanhBackward0",
             F.relu6: "HardtanhBackward0", F.logsigmoid: "LogSigmoidBackward0", F.softsign: "DivBackward0"}
    for fn, name in names.items():
        assert fn(x).grad_fn.name() == name
    assert [repr(m) for m in MODULES.values()] == [
        "ReLU()", "LeakyReLU(negative_slope=0.2)", "ELU(alpha=0.5)", "SELU()", "CELU(alpha=2.0)",
        "GELU(approximate='none')", "GELU(approximate='tanh')", "SiLU()", "Mish()", "Sigmoid()", "Tanh()",
        "Softsign()", "Softplus(beta=2.0, threshold=3.0)", "Hardtanh(min_val=-0.5, max_val=1.5)", "ReLU6()",
        "Threshold(threshold=0.1, value=20.0)", "LogSigmoid()", "Softmax(dim=-1)", "LogSoftmax(dim=-1)"]
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"


def test_inplace_activations():
    x = torch.tensor([-1.0, 2.0])
    y = nn.ReLU(inplace=True)(x)
    assert y is x and x.tolist() == [0.0, 2.0]
    z = torch.tensor([-1.0, 0.5], requires_grad=True)
    h = z.clone()
    F.leaky_relu(h, 0.5, inplace=True)
    h.sum().backward()
    assert h.tolist() == [-0.5, 0.5] and z.grad.tolist() == [0.5, 1.0]
    assert F.relu_(torch.tensor([-3.0])).tolist() == [0.0]


def test_activation_errors_and_softmax_implicit_dim():
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh."):
        F.gelu(torch.ones(1), approximate="foo")
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
        y = F.softmax(torch.zeros(2, 4))
    assert np.allclose(y.numpy(), 0.25)  # dim=1 for 2-D input
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        nn.LogSoftmax()(torch.zeros(3))


# ---- losses ---------------------------------------------------------------------------------------------

rng = np.random.default_rng(1)
X = rng.standard_normal((5, 4)) * 2
Y = rng.standard_normal((5, 4))
P = rng.random((5, 4))
T = np.array([0, 3, 1, 1, 2])
W = np.array([0.5, 1.0, 2.0, 1.5])


def log_softmax(x, axis=1):
    return x - np.log(np.exp(x - x.max(axis, keepdims=True)).sum(axis, keepdims=True)) - x.max(axis, keepdims=True)


def reduce(loss, reduction):
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_match_numpy(reduction):
    d = X - Y
    cases = {
        "mse": (F.mse_loss, nn.MSELoss, {}, d ** 2),
        "l1": (F.l1_loss, nn.L1Loss, {}, np.abs(d)),
        "smooth_l1": (F.smooth_l1_loss, nn.SmoothL1Loss, {"beta": 0.5},
                      np.where(np.abs(d) < 0.5, 0.5 * d ** 2 / 0.5, np.abs(d) - 0.25)),
        "huber": (F.huber_loss, nn.HuberLoss, {"delta": 2.0},
                  np.where(np.abs(d) < 2, 0.5 * d ** 2, 2 * (np.abs(d) - 1))),
    }
    for fn, module, kwargs, expected in cases.values():
        got = fn(dbl(X), dbl(Y), reduction=reduction, **kwargs)
        assert np.allclose(got.detach().numpy(), reduce(expected, reduction))
        assert np.allclose(module(reduction=reduction, **kwargs)(dbl(X), dbl(Y)).detach().numpy(),
                           reduce(expected, reduction))
        assert gradcheck(lambda a, b: fn(a, b, reduction=reduction, **kwargs), (noncontig(5, 4), dbl(Y)))


def test_regression_loss_weight_and_broadcast_warning():
    w = rng.random((5, 4))
    assert np.isclose(F.mse_loss(dbl(X), dbl(Y), weight=dbl(w, False)).item(), ((X - Y) ** 2 * w).sum() / w.sum())
    assert np.isclose(F.huber_loss(dbl(X), dbl(Y), weight=dbl(w, False)).item(),
                      (np.where(np.abs(X - Y) < 1, 0.5 * (X - Y) ** 2, np.abs(X - Y) - 0.5) * w).mean())
    with pytest.raises(ValueError, match="Weights and input must have the same size."):
        F.l1_loss(dbl(X), dbl(Y), weight=dbl(w[0], False))
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[4\]\)\) that is different to the input "
                                         r"size \(torch.Size\(\[5, 4\]\)\)"):
        F.mse_loss(dbl(X), dbl(Y[0]))
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.mse_loss(dbl(X), dbl(Y), reduction="foo")
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated, please use "
                                         "reduction='sum' instead."):
        assert np.isclose(F.l1_loss(dbl(X), dbl(Y), size_average=False).item(), np.abs(X - Y).sum())


def test_cross_entropy_documented_example():
    loss = nn.CrossEntropyLoss()
    out = loss(torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([1]))
    assert repr(out) == "tensor(1.4076)"
    logits = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    assert repr(loss(logits, torch.tensor([1]))) == "tensor(1.4076, grad_fn=<NllLossBackward0>)"


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_and_nll_match_numpy(reduction):
    lp = log_softmax(X)
    picked = -lp[np.arange(5), T]
    assert np.allclose(F.cross_entropy(dbl(X), torch.tensor(T), reduction=reduction).detach().numpy(),
                       reduce(picked, reduction))
    assert np.allclose(F.nll_loss(dbl(lp), torch.tensor(T), reduction=reduction).detach().numpy(),
                       reduce(picked, reduction))
    # class weights and ignore_index: 'mean' divides by the weight of the counted samples
    t = T.copy()
    t[2] = -100
    counted_t = np.where(t < 0, 0, t)
    w = W[counted_t] * (t != -100)
    per = -lp[np.arange(5), counted_t] * w
    expected = {"none": per, "sum": per.sum(), "mean": per.sum() / w.sum()}[reduction]
    got = nn.CrossEntropyLoss(weight=dbl(W, False), reduction=reduction)(dbl(X), torch.tensor(t))
    assert np.allclose(got.detach().numpy(), expected)
    assert gradcheck(lambda a: F.cross_entropy(a, torch.tensor(t), dbl(W, False), reduction=reduction),
                     (noncontig(5, 4),))
    assert gradgradcheck(lambda a: F.cross_entropy(a, torch.tensor(t), reduction=reduction), (noncontig(5, 4),))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_label_smoothing_and_probabilities(reduction):
    eps, c = 0.1, 4
    lp = log_softmax(X)
    # class indices with smoothing: (1 - eps) * nll + eps / C * sum_c(-w_c log p_c), weighted-mean normalised
    nll = -lp[np.arange(5), T] * W[T]
    smooth = -(lp * W).sum(1)
    expected = {"none": (1 - eps) * nll + eps / c * smooth, "sum": (1 - eps) * nll.sum() + eps / c * smooth.sum(),
                "mean": ((1 - eps) * nll.sum() + eps / c * smooth.sum()) / W[T].sum()}[reduction]
    got = F.cross_entropy(dbl(X), torch.tensor(T), dbl(W, False), reduction=reduction, label_smoothing=eps)
    assert np.allclose(got.detach().numpy(), expected)
    # class probabilities (smoothed towards uniform); 'mean' divides by the number of samples
    target = P / P.sum(1, keepdims=True)
    smoothed = target * (1 - eps) + eps / c
    per = -(lp * smoothed * W).sum(1)
    got = F.cross_entropy(dbl(X), dbl(target, False), dbl(W, False), reduction=reduction, label_smoothing=eps)
    assert np.allclose(got.detach().numpy(), reduce(per, reduction))
    assert gradcheck(lambda a, b: F.cross_entropy(a, b, reduction=reduction), (noncontig(5, 4), dbl(target)))


def test_cross_entropy_spatial_and_unbatched():
    x = rng.standard_normal((2, 3, 4, 5))
    t = rng.integers(0, 3, (2, 4, 5))
    lp = log_softmax(x)
    expected = -np.take_along_axis(lp, t[:, None], 1).mean()
    assert np.isclose(F.cross_entropy(dbl(x), torch.tensor(t)).item(), expected)
    assert gradcheck(lambda a: F.cross_entropy(a, torch.tensor(t)), (dbl(x),))
    assert np.isclose(F.cross_entropy(dbl(X[0]), torch.tensor(2)).item(), -log_softmax(X[0], 0)[2])
    assert math.isnan(F.cross_entropy(dbl(X), torch.full((5,), -100)).item())  # nothing counted: 0 / 0


def test_cross_entropy_stable_for_huge_logits():
    logits = dbl([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0]])
    loss = F.cross_entropy(logits, torch.tensor([1, 2]))
    loss.backward()
    assert np.isclose(loss.item(), (2000 + math.log(2)) / 2)
    assert np.allclose(logits.grad.numpy(), [[0.5, -0.5, 0.0], [0.0, 0.25, -0.25]])
    bce = F.binary_cross_entropy_with_logits(dbl([1000.0, -1000.0, 1000.0]), dbl([1.0, 0.0, 0.0], False))
    assert np.isclose(bce.item(), 1000 / 3)


def test_classification_loss_errors():
    x = torch.randn(3, 3)
    with pytest.raises(IndexError, match="Target 5 is out of bounds."):
        F.nll_loss(x, torch.tensor([1, 0, 5]))
    with pytest.raises(IndexError, match="Target -3 is out of bounds."):
        F.cross_entropy(x, torch.tensor([1, 0, -3]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)."):
        F.nll_loss(x, torch.tensor([1, 0]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Float"):
        F.nll_loss(x, torch.tensor([1.0, 0, 2]))
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.cross_entropy(x, torch.tensor([1, 0, 2]), reduction="foo")
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(x, torch.rand(3, 3))
    with pytest.raises(ValueError, match=r"Using a target size \(torch.Size\(\[3\]\)\) that is different to the input "
                                         r"size \(torch.Size\(\[3, 3\]\)\) is deprecated"):
        F.binary_cross_entropy(x.sigmoid(), torch.rand(3))
    with pytest.raises(ValueError, match=r"Target size \(torch.Size\(\[3\]\)\) must be the same as input size"):
        F.binary_cross_entropy_with_logits(x, torch.rand(3))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_losses(reduction):
    p = sigmoid(X)
    bce = -(P * np.log(p) + (1 - P) * np.log(1 - p))
    assert np.allclose(F.binary_cross_entropy(dbl(p), dbl(P), reduction=reduction).detach().numpy(),
                       reduce(bce, reduction))
    assert np.allclose(nn.BCELoss(weight=dbl(W, False), reduction=reduction)(dbl(p), dbl(P)).detach().numpy(),
                       reduce(bce * W, reduction))
    assert gradcheck(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction),
                     (dbl(p).t().contiguous().t(), dbl(P)))
    pos = np.array([1.0, 2.0, 3.0, 0.5])
    with_logits = -(pos * P * np.log(p) + (1 - P) * np.log(1 - p))
    got = nn.BCEWithLogitsLoss(pos_weight=dbl(pos, False), reduction=reduction)(dbl(X), dbl(P))
    assert np.allclose(got.detach().numpy(), reduce(with_logits, reduction))
    assert gradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=dbl(pos, False),
                                                                     reduction=reduction), (noncontig(5, 4), dbl(P)))


def test_binary_cross_entropy_clamps_log_at_minus_100():
    x = dbl([0.0, 1.0])
    loss = F.binary_cross_entropy(x, dbl([1.0, 0.0], False), reduction="none")
    loss.sum().backward()
    assert loss.tolist() == [100.0, 100.0] and np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
def test_kl_div(reduction):
    target = P / P.sum(1, keepdims=True)
    target[0, 0] = 0.0  # 0 log 0 counts as 0
    lp = log_softmax(X)
    safe = np.where(target > 0, target, 1)

    def expected_for(per):
        return per.sum() / 5 if reduction == "batchmean" else reduce(per, reduction)

    expected = expected_for(target * (np.log(safe) - lp))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = nn.KLDivLoss(reduction=reduction)(dbl(lp), dbl(target, False))
        assert np.allclose(got.detach().numpy(), expected)
        log_t = F.kl_div(dbl(lp), dbl(np.log(safe), False), reduction=reduction, log_target=True)
        assert np.allclose(log_t.detach().numpy(), expected_for(safe * (np.log(safe) - lp)))
        assert gradcheck(lambda a: F.kl_div(a, dbl(target, False), reduction=reduction), (noncontig(5, 4),))
    with pytest.warns(UserWarning, match="reduction: 'mean' divides the total loss by both the batch size"):
        F.kl_div(dbl(lp), dbl(target, False))


def test_loss_module_reprs():
    assert [repr(m) for m in (nn.MSELoss(), nn.L1Loss(), nn.SmoothL1Loss(beta=0.5), nn.HuberLoss(),
                              nn.CrossEntropyLoss(weight=torch.ones(3)), nn.NLLLoss(), nn.BCELoss(),
                              nn.BCEWithLogitsLoss(), nn.KLDivLoss())] == [
        "MSELoss()", "L1Loss()", "SmoothL1Loss()", "HuberLoss()", "CrossEntropyLoss()", "NLLLoss()", "BCELoss()",
        "BCEWithLogitsLoss()", "KLDivLoss()"]
    assert list(nn.CrossEntropyLoss(weight=torch.ones(3)).state_dict()) == ["weight"]


# ---- one_hot, normalize, cosine_similarity ----------------------------------------------------------

def test_one_hot():
    assert F.one_hot(torch.tensor([1, 2])).tolist() == [[0, 1, 0], [0, 0, 1]]
    assert F.one_hot(torch.tensor([[0], [3]]), 5).shape == (2, 1, 5)
    assert F.one_hot(torch.tensor([0])).dtype == torch.int64
    for bad, message in [(torch.tensor([1.0]), "one_hot is only applicable to index tensor of type LongTensor."),
                         (torch.tensor([1, -2]), "Class values must be non-negative."),
                         (torch.tensor([], dtype=torch.int64), "Can not infer total number of classes from empty tensor.")]:
        with pytest.raises(RuntimeError, match=message):
            F.one_hot(bad)
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(torch.tensor([1, 2]), 2)


def test_normalize_and_cosine_similarity():
    assert np.allclose(F.normalize(dbl(X)).detach().numpy(), X / np.linalg.norm(X, axis=1, keepdims=True))
    assert np.allclose(F.normalize(dbl(X), p=1, dim=0).detach().numpy(), X / np.abs(X).sum(0))
    assert F.normalize(dbl([[0.0, 0.0]])).tolist() == [[0.0, 0.0]]
    expected = (X * Y).sum(1) / np.linalg.norm(X, axis=1) / np.linalg.norm(Y, axis=1)
    assert np.allclose(F.cosine_similarity(dbl(X), dbl(Y)).detach().numpy(), expected)
    assert F.cosine_similarity(dbl(X), dbl(Y[:1])).shape == (5,)  # broadcasts
    assert gradcheck(F.normalize, (noncontig(5, 4),))
    assert gradcheck(F.cosine_similarity, (noncontig(5, 4), dbl(Y)))
    # a norm below eps only floors the value: the gradient flows through the norm (as in torch)
    a, b = dbl([[1e-9, 2e-9, -1e-9]]), dbl([[1.0, 2.0, 3.0]])
    F.cosine_similarity(a, b).backward()
    assert np.allclose(a.grad.numpy(), [[24543945.2889, 49087890.5778, 82360551.4761]])


NAN = float("nan")


@pytest.mark.parametrize("name, fn, grad", [  # gradients at [nan, -1, 2] printed by torch 2.13
    ("relu", lambda t: t.relu(), [1.0, 0.0, 1.0]), ("relu_", lambda t: t.clone().relu_(), [1.0, 0.0, 1.0]),
    ("relu6", F.relu6, [1.0, 0.0, 1.0]), ("hardtanh", F.hardtanh, [1.0, 0.0, 0.0]),
    ("threshold", lambda t: F.threshold(t, 0.5, 0.0), [1.0, 0.0, 1.0]), ("elu", F.elu, None),
    ("softshrink", F.softshrink, [1.0, 1.0, 1.0]), ("hardshrink", F.hardshrink, [1.0, 1.0, 1.0]),
    ("hardsigmoid", F.hardsigmoid, [0.0, 1 / 6, 1 / 6]), ("clamp", lambda t: t.clamp(-1, 1), [0.0, 1.0, 0.0]),
])
def test_piecewise_activations_treat_nan_as_torch(name, fn, grad):
    """torch's backward kernels test for the zero-gradient side (``x <= 0``...), so a NaN passes its
    gradient on; written the other way round, a NaN in a network would silently stop it."""
    x = torch.tensor([NAN, -1.0, 2.0], requires_grad=True)
    fn(x).sum().backward()
    if grad is None:  # elu: exp's last bit differs from torch's; the NaN takes the linear side
        assert x.grad[0].item() == 1.0 and x.grad[2].item() == 1.0
    else:
        assert x.grad.tolist() == pytest.approx(grad)
    (again,) = torch.autograd.grad(fn(x).sum(), x, create_graph=True)  # the tensor-op path agrees
    assert again.tolist() == pytest.approx(x.grad.tolist())
    assert math.isnan(F.threshold(torch.tensor([NAN]), 0.5, -3.0).item())  # torch keeps the NaN


def test_activations_lay_out_their_results_as_torch():
    """An activation's result has the input's layout, as every elementwise op's; an expanded input
    gives a row-major result (silu's numpy formula gave the stride-0 dim innermost)."""
    x = torch.ones(4, 1, 1, dtype=torch.float64).expand(2, 4, 1, 1)
    for f in (F.silu, F.gelu, F.elu, F.mish, F.softplus, F.hardswish):
        assert f(x).stride() == (4, 1, 1, 1)
    t = torch.ones(3, 4, 5).transpose(0, 2)
    assert F.silu(t).stride() == t.stride()
