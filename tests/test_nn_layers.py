"""Linear, BatchNorm, LayerNorm, Dropout, Embedding, Flatten/Unflatten/Identity, nn.init and
nn.utils: values against numpy, gradients by gradcheck, torch's defaults, reprs and errors."""

import math

import numpy as np
import pytest

import minitorch as torch
from minitorch import nn
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck


def dbl(array, requires_grad=True):
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


rng = np.random.default_rng(0)


# ---- Linear ----------------------------------------------------------------------------------------------

def test_linear_values_init_and_repr():
    torch.manual_seed(0)
    lin = nn.Linear(10, 5)
    assert repr(lin) == "Linear(in_features=10, out_features=5, bias=True)"
    assert repr(nn.Linear(3, 2, bias=False)) == "Linear(in_features=3, out_features=2, bias=False)"
    bound = 1 / math.sqrt(10)
    assert lin.weight.shape == (5, 10) and float(lin.weight.abs().max()) <= bound
    assert float(lin.bias.abs().max()) <= bound
    x = rng.standard_normal((4, 10)).astype(np.float32)
    expected = x @ lin.weight.detach().numpy().T + lin.bias.detach().numpy()
    assert np.allclose(lin(torch.tensor(x)).detach().numpy(), expected, atol=1e-6)


def test_linear_grad_fn_and_batch_shapes():
    lin = nn.Linear(10, 5)
    assert lin(torch.randn(3, 10)).grad_fn.name() == "AddmmBackward0"
    assert lin(torch.randn(2, 3, 10)).shape == (2, 3, 5)
    assert lin(torch.randn(2, 3, 10)).grad_fn.name() == "ViewBackward0"  # rows of a 2-D view, one addmm
    # torch 2.13: a non-contiguous batch is multiplied as it is, then the bias added
    assert lin(torch.randn(3, 2, 10).transpose(0, 1)).grad_fn.name() == "AddBackward0"
    assert lin(torch.randn(20)[::2]).grad_fn.name() == "AddBackward0"
    assert lin(torch.randn(10)).shape == (5,)
    assert nn.Linear(10, 5, bias=False)(torch.randn(3, 10)).shape == (3, 5)
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 10x5\)"):
        lin(torch.randn(2, 3))


def test_linear_gradcheck():
    x = dbl(rng.standard_normal((3, 4)), False).t().requires_grad_()  # a non-contiguous (4, 3) leaf
    w, b = dbl(rng.standard_normal((2, 3))), dbl(rng.standard_normal(2))
    assert gradcheck(F.linear, (x, w, b)) and gradgradcheck(F.linear, (x, w, b))
    assert gradcheck(F.linear, (dbl(rng.standard_normal((2, 2, 3))), w, b))
    F.linear(x, w, b).sum().backward()
    assert x.grad.shape == x.shape and w.grad.shape == w.shape and b.grad.shape == b.shape


# ---- BatchNorm -------------------------------------------------------------------------------------------

def test_batchnorm2d_training_statistics_and_running_update():
    x = rng.standard_normal((4, 3, 5, 6)) * 2 + 1
    bn = nn.BatchNorm2d(3).double()
    y = bn(dbl(x, False)).detach().numpy()
    mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3))
    assert np.allclose(y, (x - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5))
    n = 4 * 5 * 6  # running_var uses the unbiased variance
    assert np.allclose(bn.running_mean.numpy(), 0.1 * mean)
    assert np.allclose(bn.running_var.numpy(), 0.9 + 0.1 * var * n / (n - 1))
    assert bn.num_batches_tracked.item() == 1 and bn.num_batches_tracked.dtype == torch.int64
    bn(dbl(x, False))
    assert bn.num_batches_tracked.item() == 2
    assert np.allclose(bn.running_mean.numpy(), 0.9 * 0.1 * mean + 0.1 * mean)


def test_batchnorm_eval_uses_running_statistics():
    bn = nn.BatchNorm1d(3).double()
    with torch.no_grad():
        bn.running_mean.copy_(torch.tensor([1.0, 2.0, 3.0]))
        bn.running_var.copy_(torch.tensor([4.0, 1.0, 0.25]))
        bn.weight.copy_(torch.tensor([2.0, 1.0, 1.0]))
        bn.bias.copy_(torch.tensor([0.0, 1.0, 0.0]))
    bn.eval()
    x = rng.standard_normal((5, 3))
    expected = (x - [1, 2, 3]) / np.sqrt(np.array([4.0, 1.0, 0.25]) + 1e-5) * [2, 1, 1] + [0, 1, 0]
    assert np.allclose(bn(dbl(x, False)).detach().numpy(), expected)
    assert bn.num_batches_tracked.item() == 0  # eval does not count batches
    y = bn(torch.randn(1, 3, dtype=torch.float64))  # a batch of one is fine in eval mode
    assert y.shape == (1, 3)


def test_batchnorm_momentum_none_is_cumulative_average():
    bn = nn.BatchNorm1d(2, momentum=None).double()
    batches = [rng.standard_normal((6, 2)) + i for i in range(3)]
    for b in batches:
        bn(dbl(b, False))
    assert np.allclose(bn.running_mean.numpy(), np.mean([b.mean(0) for b in batches], axis=0))
    assert np.allclose(bn.running_var.numpy(), np.mean([b.var(0, ddof=1) for b in batches], axis=0))


def test_batchnorm_options_and_reprs():
    assert repr(nn.BatchNorm2d(64)) == \
        "BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    plain = nn.BatchNorm1d(3, affine=False, momentum=None)
    assert repr(plain) == "BatchNorm1d(3, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=True)"
    assert list(plain.parameters()) == [] and list(plain.state_dict()) == ["running_mean", "running_var",
                                                                           "num_batches_tracked"]
    untracked = nn.BatchNorm1d(3, track_running_stats=False)
    assert untracked.running_mean is None and list(untracked.state_dict()) == ["weight", "bias"]
    x = torch.randn(8, 3)
    untracked.eval()  # no running statistics: batch statistics even in eval mode
    assert np.allclose(untracked(x).detach().numpy().mean(0), 0, atol=1e-5)
    assert nn.BatchNorm1d(3)(torch.randn(4, 3, 7)).shape == (4, 3, 7)
    with pytest.raises(ValueError, match=r"expected 4D input \(got 2D input\)"):
        nn.BatchNorm2d(3)(torch.randn(2, 3))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        nn.BatchNorm1d(3)(torch.randn(2, 3, 4, 5))
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size "
                                         r"torch.Size\(\[1, 3\]\)"):
        nn.BatchNorm1d(3)(torch.randn(1, 3))


def test_batch_norm_and_layer_norm_gradcheck_and_gradgradcheck():
    x = dbl(rng.standard_normal((3, 4, 2, 5)), False).permute(0, 1, 3, 2).requires_grad_()  # non-contiguous leaf
    g, b = dbl(rng.random(4) + 0.5), dbl(rng.standard_normal(4))

    def bn(x, g, b):
        return F.batch_norm(x, None, None, g, b, training=True)

    assert gradcheck(bn, (x, g, b)) and gradgradcheck(bn, (x, g, b))
    y = bn(x, g, b)
    assert y.grad_fn.name() == "NativeBatchNormBackward0"
    y.sum().backward()
    assert x.grad.shape == x.shape and g.grad.shape == g.shape
    ln_w, ln_b = dbl(rng.random((5, 2)) + 0.5), dbl(rng.standard_normal((5, 2)))

    def ln(x, w, b):
        return F.layer_norm(x, (5, 2), w, b)

    assert gradcheck(ln, (x, ln_w, ln_b)) and gradgradcheck(ln, (x, ln_w, ln_b))
    assert ln(x, ln_w, ln_b).grad_fn.name() == "NativeLayerNormBackward0"
    eval_bn = nn.BatchNorm2d(4).double().eval()
    assert gradcheck(eval_bn, (x,))


def test_layer_norm_gradient_in_torchs_form_is_exactly_zero_where_torchs_is():
    """The outputs of a 2-wide layer norm sum to 0 whatever x is: torch's backward, written on x
    (not on x-hat), gives exactly 0 there; the classic x-hat form gave rounding noise (~1e-5)."""
    x = torch.tensor([[-2.13, -1.38], [2.14, 1.96], [0.1, 7.3]], requires_grad=True)
    F.layer_norm(x, x.shape[-1:]).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0]] * 3


def test_layer_norm_values_module_and_errors():
    x = rng.standard_normal((2, 3, 4))
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    ln = nn.LayerNorm(4).double()
    assert np.allclose(ln(dbl(x, False)).detach().numpy(), (x - mean) / np.sqrt(var + 1e-5))
    assert repr(ln) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"
    assert repr(nn.LayerNorm([2, 3], elementwise_affine=False, bias=False)) == \
        "LayerNorm((2, 3), eps=1e-05, elementwise_affine=False, bias=False)"
    assert list(ln.state_dict()) == ["weight", "bias"] and ln.weight.tolist() == [1.0] * 4
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got "
                                           r"input of size\[2, 3\]"):
        F.layer_norm(torch.randn(2, 3), (4,))
    with pytest.raises(RuntimeError, match=r"^Expected normalized_shape to be at least 1-dimensional, i\.e\., containing "
                                           r"at least one element, but got normalized_shape = \[\]$"):
        F.layer_norm(torch.tensor(1.5), ())


@pytest.mark.parametrize("norm", [lambda x: F.layer_norm(x, (3,)), lambda x: F.group_norm(x, 2),
                                  lambda x: F.batch_norm(x, None, None, training=True)])
def test_norm_results_are_tensors_of_their_own(norm):
    """Never a view of a temporary (torch 2.13): an in-place op on the result records that op."""
    y = norm(torch.randn(2, 4, 3, requires_grad=True))
    assert y._base is None
    assert y.mul_(2).grad_fn.name() == "MulBackward0"


# ---- Dropout ---------------------------------------------------------------------------------------------

def test_dropout_training_eval_and_scaling():
    torch.manual_seed(0)
    drop = nn.Dropout(0.3)
    x = torch.ones(200, 100)
    y = drop(x).numpy()
    assert np.allclose(np.unique(y), [0.0, 1 / 0.7])
    assert abs((y == 0).mean() - 0.3) < 0.02
    assert drop.eval()(x) is x
    assert repr(drop) == "Dropout(p=0.3, inplace=False)" and repr(nn.Dropout2d(0.3, True)) == "Dropout2d(p=0.3, inplace=True)"
    assert float(F.dropout(x, 1.0).abs().sum()) == 0 and F.dropout(x, 0.0) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.dropout(x, 1.5)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 2"):
        nn.Dropout(2)


def test_dropout_gradient_is_the_mask():
    x = torch.randn(50, 40, dtype=torch.float64, requires_grad=True)
    y = F.dropout(x, 0.5)
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    kept = (y != 0).numpy()
    assert np.allclose(x.grad.numpy(), kept * 2.0)


def test_dropout2d_zeroes_whole_channels():
    torch.manual_seed(1)
    y = nn.Dropout2d(0.5)(torch.ones(8, 16, 3, 3)).numpy()
    per_channel = y.reshape(8, 16, 9)
    assert (per_channel.min(-1) == per_channel.max(-1)).all()  # each channel all kept or all dropped
    assert 0 < (per_channel[..., 0] == 0).mean() < 1
    x = torch.ones(4, 3, 5)
    with pytest.warns(UserWarning, match="dropout2d: Received a 3D input to dropout2d"):
        F.dropout2d(x)
    y = torch.ones(4, 3)
    x_inplace = F.dropout(y, 0.5, inplace=True)
    assert x_inplace is y


# ---- Embedding -------------------------------------------------------------------------------------------

def test_embedding_lookup_and_gradients():
    emb = nn.Embedding(6, 3).double()
    idx = torch.tensor([[1, 2, 1], [0, 5, 2]])
    out = emb(idx)
    assert out.shape == (2, 3, 3) and np.allclose(out.detach().numpy(), emb.weight.detach().numpy()[idx.numpy()])
    assert out.grad_fn.name() == "EmbeddingBackward0"
    out.sum().backward()
    assert emb.weight.grad[:, 0].tolist() == [1.0, 2.0, 2.0, 0.0, 0.0, 1.0]  # repeated indices add up
    assert gradcheck(lambda w: F.embedding(idx, w), (dbl(rng.standard_normal((6, 3))),))
    assert gradgradcheck(lambda w: F.embedding(idx, w, padding_idx=2, scale_grad_by_freq=True),
                         (dbl(rng.standard_normal((6, 3))),))


def test_embedding_padding_idx_scale_grad_and_max_norm():
    emb = nn.Embedding(5, 2, padding_idx=1)
    assert emb.weight[1].tolist() == [0.0, 0.0]
    assert repr(emb) == "Embedding(5, 2, padding_idx=1)" and repr(nn.Embedding(10, 3)) == "Embedding(10, 3)"
    emb(torch.tensor([1, 1, 3])).sum().backward()
    assert emb.weight.grad[1].tolist() == [0.0, 0.0] and emb.weight.grad[3].tolist() == [1.0, 1.0]
    w = dbl(np.ones((4, 2)))
    F.embedding(torch.tensor([0, 0, 0, 2]), w, scale_grad_by_freq=True).sum().backward()
    assert w.grad[:, 0].tolist() == [1.0, 0.0, 1.0, 0.0]
    table = torch.tensor([[3.0, 4.0], [0.3, 0.4]])
    F.embedding(torch.tensor([0, 1]), table, max_norm=1.0)
    assert np.allclose(table.numpy(), [[0.6, 0.8], [0.3, 0.4]], atol=1e-6)
    assert nn.Embedding(-1 + 4, 2, padding_idx=-1).padding_idx == 2


def test_embedding_errors_and_from_pretrained():
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(torch.tensor([1, 5]), torch.randn(5, 2))
    with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices' to have one of the following "
                                           "scalar types: Long, Int; but got torch.FloatTensor instead"):
        F.embedding(torch.tensor([1.0, 2.0]), torch.randn(5, 2))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(3, 2, padding_idx=5)
    pre = nn.Embedding.from_pretrained(torch.ones(3, 2))
    assert repr(pre) == "Embedding(3, 2)" and not pre.weight.requires_grad
    assert nn.Embedding.from_pretrained(torch.ones(3, 2), freeze=False).weight.requires_grad


# ---- Flatten, Unflatten, Identity ------------------------------------------------------------------------

def test_flatten_unflatten_identity():
    x = torch.randn(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == (2, 60) and nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert nn.Unflatten(1, (3, 20))(nn.Flatten()(x)).shape == (2, 3, 20)
    assert nn.Identity(54, unused="argument")(x) is x
    assert [repr(m) for m in (nn.Flatten(), nn.Flatten(0), nn.Unflatten(1, (2, 5)), nn.Identity())] == [
        "Flatten(start_dim=1, end_dim=-1)", "Flatten(start_dim=0, end_dim=-1)",
        "Unflatten(dim=1, unflattened_size=(2, 5))", "Identity()"]


# ---- nn.init ---------------------------------------------------------------------------------------------

def test_calculate_gain():
    init = nn.init
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("sigmoid") == 1 and init.calculate_gain("tanh") == 5 / 3
    assert init.calculate_gain("relu") == math.sqrt(2) and init.calculate_gain("selu") == 0.75
    assert init.calculate_gain("leaky_relu") == math.sqrt(2 / (1 + 0.01 ** 2))
    assert init.calculate_gain("leaky_relu", 0.2) == math.sqrt(2 / 1.04)
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        init.calculate_gain("foo")
    with pytest.raises(ValueError, match="negative_slope 0.2 not a valid number"):
        init.calculate_gain("leaky_relu", "0.2")


def test_init_distributions():
    torch.manual_seed(0)
    init = nn.init
    w = torch.empty(300, 200)
    assert init.xavier_uniform_(w) is w
    a = math.sqrt(6 / 500)
    assert float(w.abs().max()) <= a and abs(float(w.std()) - a / math.sqrt(3)) < 0.01 * a
    init.xavier_normal_(w, gain=2.0)
    assert abs(float(w.std()) - 2 * math.sqrt(2 / 500)) < 0.02
    init.kaiming_uniform_(w, nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / 200)
    assert float(w.abs().max()) <= bound and abs(float(w.std()) - bound / math.sqrt(3)) < 0.01 * bound
    init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
    assert abs(float(w.std()) - math.sqrt(2 / 300)) < 0.005
    conv_w = torch.empty(16, 4, 3, 3)
    init.kaiming_uniform_(conv_w, a=math.sqrt(5))  # nn.Conv2d's default: bound 1/sqrt(fan_in)
    assert float(conv_w.abs().max()) <= 1 / math.sqrt(36)
    init.uniform_(w, -2, -1)
    assert -2 <= float(w.min()) and float(w.max()) < -1
    init.normal_(w, 3.0, 0.5)
    assert abs(float(w.mean()) - 3) < 0.01 and abs(float(w.std()) - 0.5) < 0.01
    assert init.constant_(torch.empty(2), 0.3).tolist() == pytest.approx([0.3, 0.3])
    assert init.ones_(torch.empty(2)).tolist() == [1.0, 1.0] and init.zeros_(torch.empty(2)).tolist() == [0.0, 0.0]
    assert init.eye_(torch.empty(2, 3)).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_init_works_on_parameters_without_recording_and_errors():
    lin = nn.Linear(3, 2)
    nn.init.zeros_(lin.weight)
    assert lin.weight.is_leaf and lin.weight.requires_grad and lin.weight.grad_fn is None
    with pytest.raises(ValueError, match="Fan in and fan out can not be computed for tensor with fewer than 2 "
                                         "dimensions"):
        nn.init.xavier_uniform_(torch.ones(3))
    with pytest.raises(ValueError, match=r"Mode foo not supported, please use one of \['fan_in', 'fan_out'\]"):
        nn.init.kaiming_uniform_(torch.ones(3, 3), mode="foo")
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        nn.init.eye_(torch.ones(3))


# ---- nn.utils --------------------------------------------------------------------------------------------

def test_clip_grad_norm_and_value():
    w = torch.zeros(2, requires_grad=True)
    w.grad = torch.tensor([3.0, 4.0])
    total = nn.utils.clip_grad_norm_([w], 1.0)
    assert repr(total) == "tensor(5.)" and np.allclose(w.grad.numpy(), [0.6, 0.8])
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    a.grad, b.grad = torch.tensor([1.0, -2.0]), torch.tensor([2.0])
    assert np.isclose(float(nn.utils.clip_grad_norm_([a, b], 10.0)), 3.0)
    assert a.grad.tolist() == [1.0, -2.0]  # under the limit: unchanged
    w.grad = torch.tensor([3.0, -4.0])
    assert float(nn.utils.clip_grad_norm_(w, 1.0, norm_type="inf")) == 4.0
    assert np.allclose(w.grad.numpy(), [0.75, -1.0])
    assert float(nn.utils.clip_grad_norm_([], 1.0)) == 0.0
    w.grad = torch.tensor([float("nan"), 1.0])
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients from `parameters` is non-finite"):
        nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
    w.grad = torch.tensor([0.5, -3.0])
    assert nn.utils.clip_grad_value_([w], 1.0) is None and w.grad.tolist() == [0.5, -1.0]


def test_parameters_to_vector_round_trip():
    net = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    vec = nn.utils.parameters_to_vector(net.parameters())
    assert vec.shape == (11,) and np.allclose(vec.detach().numpy()[:6], net[0].weight.detach().numpy().ravel())
    nn.utils.vector_to_parameters(torch.arange(11.0), net.parameters())
    assert net[0].weight.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and net[1].bias.tolist() == [10.0]
    assert isinstance(net[0].weight, nn.Parameter)
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        nn.utils.vector_to_parameters([1], net.parameters())


def test_linear_of_an_empty_last_dim_is_the_bias():
    """(1, 2, 0) inputs: the 2-D view needs its row count spelled out (-1 is ambiguous with 0 columns)."""
    out = F.linear(torch.zeros(1, 2, 0), torch.zeros(2, 0), torch.tensor([3.0, 0.5]))
    assert out.shape == (1, 2, 2) and out.tolist() == [[[3.0, 0.5], [3.0, 0.5]]]
