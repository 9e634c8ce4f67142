"""PReLU, GLU and RReLU: ``F.prelu`` / ``nn.PReLU``, ``F.glu`` / ``nn.GLU``, ``F.rrelu`` / ``F.rrelu_``
/ ``torch.rrelu`` / ``torch.rrelu_`` / ``nn.RReLU``.

Values against numpy formulas, gradients by gradcheck, torch 2.13's errors and its random slopes
(written out: these tests never import torch, except the one marked ``parity``)."""

import numpy as np
import pytest
from _helpers import check_grads, layout, layouts, leaf
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch
import minitorch.nn.functional as F
from minitorch import nn


def away_from_zero(dtype):
    """Values not within 0.05 of 0: gradcheck's small steps never move one across the kink."""
    return st.floats(-4, 4, allow_nan=False, width=32).filter(lambda v: abs(v) > 0.05).map(dtype)


def arrays(dtype, min_dims=1, max_dims=4):
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, max_side=4),
                      elements=away_from_zero(dtype))


def leaky(x, slope):
    return np.where(x > 0, x, x * slope)


# ---- prelu ----------------------------------------------------------------------------------------------

def prelu_reference(x, w):
    """numpy's prelu: ``w`` one slope, or one per channel (dim 1) broadcast over the other dims."""
    slopes = w.reshape((1, -1) + (1,) * (x.ndim - 2)) if w.size > 1 else w.reshape(())
    return np.where(x > 0, x, slopes * x)


@settings(max_examples=30)
@given(x=arrays(np.float64), per_channel=st.booleans(), kind=layouts, dtype=st.sampled_from([torch.float32, torch.float64]))
def test_prelu_matches_numpy(x, per_channel, kind, dtype):
    channels = x.shape[1] if x.ndim > 1 and per_channel else 1
    w = np.linspace(-0.5, 0.75, channels)
    y = F.prelu(layout(x, kind).to(dtype), torch.tensor(w).to(dtype))
    expected = prelu_reference(x.astype(dtype.np), w.astype(dtype.np))
    assert y.dtype is dtype and y.shape == x.shape
    assert np.array_equal(y.numpy(), expected)  # one product per element: exact in every dtype


@pytest.mark.parametrize("kind", ["contiguous", "permuted", "strided"])
def test_prelu_gradients_per_channel_and_shared(kind):
    rng = np.random.default_rng(0)
    x = leaf(rng.uniform(0.2, 2, (2, 3, 4)) * rng.choice([-1, 1], (2, 3, 4)), kind)
    check_grads(F.prelu, x, leaf([0.25, -0.5, 1.5]))
    check_grads(F.prelu, x, leaf([0.3]))  # one slope for every channel
    check_grads(F.prelu, x, leaf(0.3))  # a 0-d weight
    check_grads(F.prelu, leaf([-1.5, 2.0, -0.5], kind), leaf([0.2]))  # 1-d input: one channel
    check_grads(F.prelu, leaf(-1.5), leaf(0.2))


def test_prelu_weight_gradient_sums_over_every_dim_but_channels():
    x = torch.tensor([[[-1.0, 2.0], [-3.0, -4.0]], [[-5.0, 6.0], [7.0, -8.0]]], requires_grad=True)  # (N=2, C=2, L=2)
    w = torch.tensor([0.5, 0.25], requires_grad=True)
    y = F.prelu(x, w)
    assert y.grad_fn.name() == "PreluKernelBackward0"
    y.backward(torch.full_like(y, 2.0))
    assert w.grad.tolist() == [2 * (-1 - 5), 2 * (-3 - 4 - 8)] and w.grad.shape == w.shape
    assert x.grad.tolist() == [[[1.0, 2.0], [0.5, 0.5]], [[1.0, 2.0], [2.0, 0.5]]]


def test_prelu_keeps_the_input_layout_and_float16():
    x = torch.randn(2, 3, 4).transpose(0, 2)  # channels (dim 1) of size 3
    y = F.prelu(x, torch.rand(3))
    assert y.shape == (4, 3, 2) and y.stride() == (1, 4, 12)  # as torch's TensorIterator lays it out
    h = torch.tensor([-1.5, 2.0, -0.3], dtype=torch.float16, requires_grad=True)
    w = torch.tensor([0.3], dtype=torch.float16, requires_grad=True)
    out = F.prelu(h, w)
    out.backward(torch.tensor([0.3, -0.7, 0.9], dtype=torch.float16))
    # torch 2.13's float16 results, written out
    assert out.dtype is torch.float16 and out.tolist() == [-0.4501953125, 2.0, -0.09002685546875]
    assert h.grad.tolist() == [0.09002685546875, -0.7001953125, 0.27001953125] and w.grad.tolist() == [-0.72021484375]


def test_prelu_top_level_and_tensor_method():
    x, w = torch.tensor([[-2.0, 1.0], [-4.0, 3.0]]), torch.tensor([0.5, 0.25])
    assert torch.prelu(x, w).tolist() == x.prelu(w).tolist() == [[-1.0, 1.0], [-2.0, 3.0]]


@pytest.mark.parametrize("call,error,message", [
    (lambda: F.prelu(torch.randn(2, 3, 4), torch.rand(4)), RuntimeError,
     "Mismatch of parameter numbers and input channel size. Found parameter numbers = 4 and channel size = 3."),
    (lambda: F.prelu(torch.randn(5), torch.rand(5)), RuntimeError,
     "Mismatch of parameter numbers and input channel size. Found parameter numbers = 5 and channel size = 1."),
    (lambda: F.prelu(torch.tensor(1.0), torch.rand(3)), RuntimeError, "Not allow zero-dim input tensor."),
    (lambda: F.prelu(torch.randn(2, 3), torch.rand(3, 1)), RuntimeError,
     "prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = 2"),
    (lambda: F.prelu(torch.randn(2, 3), torch.rand(1, 1)), RuntimeError,
     "prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = 2"),
    (lambda: F.prelu(torch.randn(2, 3), torch.rand(3, dtype=torch.float64)), RuntimeError,
     "prelu: Type promoting not supported. Got Float and Double"),
    (lambda: F.prelu(torch.tensor([[1]]), torch.tensor([1.0])), RuntimeError,
     "prelu: Type promoting not supported. Got Long and Float"),
    (lambda: F.prelu(torch.tensor([[1, 2]]), torch.tensor([1, 2])), NotImplementedError,
     "\"prelu_cpu\" not implemented for 'Long'"),
    (lambda: F.prelu(torch.tensor([True]), torch.tensor([True])), NotImplementedError,
     "\"prelu_cpu\" not implemented for 'Bool'"),
    (lambda: F.prelu(torch.randn(2, 3), 0.25), TypeError,
     "prelu(): argument 'weight' (position 2) must be Tensor, not float"),
])
def test_prelu_errors_are_torchs(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_prelu_module():
    m = nn.PReLU()
    assert repr(m) == "PReLU(num_parameters=1)" and list(m.state_dict()) == ["weight"]
    assert m.num_parameters == 1 and m.init == 0.25 and m.weight.tolist() == [0.25] and m.weight.requires_grad
    m3 = nn.PReLU(3, init=0.1, dtype=torch.float64)
    assert repr(m3) == "PReLU(num_parameters=3)" and m3.weight.dtype is torch.float64
    assert m3.weight.tolist() == [0.1, 0.1, 0.1]
    with torch.no_grad():
        m3.weight.fill_(7.0)
    m3.reset_parameters()
    assert m3.weight.tolist() == [0.1, 0.1, 0.1]
    x = torch.tensor([[[-2.0], [1.0], [-4.0]]], dtype=torch.float64)  # (N=1, C=3, L=1)
    m3(x).sum().backward()
    assert m3.weight.grad.tolist() == [-2.0, 0.0, -4.0]
    assert nn.PReLU(0).weight.shape == (0,)


# ---- glu ------------------------------------------------------------------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@settings(max_examples=30)
@given(data=st.data(), kind=layouts, dtype=st.sampled_from([torch.float32, torch.float64]))
def test_glu_matches_numpy(data, kind, dtype):
    x = data.draw(arrays(np.float64))
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    x = np.concatenate([x, -x[::-1]], axis=dim)  # an even size along dim
    a, b = np.split(x, 2, axis=dim)
    y = F.glu(layout(x, kind).to(dtype), dim)
    assert y.dtype is dtype and y.shape == a.shape
    assert np.allclose(y.numpy(), a * sigmoid(b), rtol=1e-6 if dtype is torch.float32 else 1e-14, atol=0)


@pytest.mark.parametrize("kind", ["contiguous", "permuted", "strided"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_glu_gradients(kind, dim):
    x = leaf(np.random.default_rng(1).uniform(-3, 3, (4, 6)), kind)
    check_grads(lambda t: F.glu(t, dim), x)


def test_glu_values_gradient_and_float16():
    x = torch.tensor([[1.0, -2.0, 0.5, -3.0]], requires_grad=True)
    y = F.glu(x)
    assert y.grad_fn.name() == "GluBackward0"
    y.backward(torch.tensor([[1.0, 1.0]]))
    s = sigmoid(np.array([0.5, -3.0]))
    assert np.allclose(x.grad.numpy(), [[s[0], s[1], (1 - s[0]) * s[0] * 1.0, (1 - s[1]) * s[1] * -2.0]])
    # torch 2.13's float16 results: the forward in float32, rounded once; the backward from the
    # float16 sigmoid, the rest in float32
    h = torch.tensor([1.0, -2.0, 0.5, -3.0], dtype=torch.float16, requires_grad=True)
    out = F.glu(h)
    assert out.dtype is torch.float16 and out.tolist() == [0.62255859375, -0.0948486328125]
    out.backward(torch.tensor([0.3, -0.7], dtype=torch.float16))
    assert h.grad.dtype is torch.float16
    assert h.grad.tolist() == [0.186767578125, -0.033203125, 0.07049560546875, 0.06329345703125]


def test_glu_layout_and_empty_inputs():
    x = torch.randn(2, 3, 4).transpose(0, 2)  # (4, 3, 2), strides (1, 4, 12)
    assert F.glu(x, 0).stride() == (1, 2, 6)  # the halves' layout, as torch's
    assert F.glu(torch.randn(2, 0)).shape == (2, 0) and F.glu(torch.randn(0, 3), 0).shape == (0, 3)


@pytest.mark.parametrize("call,error,message", [
    (lambda: F.glu(torch.randn(2, 3, 4), 1), RuntimeError, "Halving dimension must be even, but dimension 1 is size 3"),
    (lambda: F.glu(torch.randn(2, 3), -1), RuntimeError, "Halving dimension must be even, but dimension 1 is size 3"),
    (lambda: F.glu(torch.tensor([1.0])), RuntimeError, "Halving dimension must be even, but dimension 0 is size 1"),
    (lambda: F.glu(torch.tensor(1.0)), RuntimeError, "glu does not support scalars because halving size must be even"),
    (lambda: F.glu(torch.randn(2, 4), 2), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda: F.glu(torch.arange(4)), NotImplementedError, "\"glu_cpu\" not implemented for 'Long'"),
    (lambda: F.glu(torch.arange(4).bool()), NotImplementedError, "\"glu_cpu\" not implemented for 'Bool'"),
    (lambda: nn.GLU(1)(torch.randn(2, 3)), RuntimeError, "Halving dimension must be even, but dimension 1 is size 3"),
])
def test_glu_errors_are_torchs(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_glu_module():
    assert repr(nn.GLU()) == "GLU(dim=-1)" and repr(nn.GLU(1)) == "GLU(dim=1)" and not nn.GLU().state_dict()
    x = torch.randn(3, 4, 2)
    assert nn.GLU(1)(x).tolist() == F.glu(x, 1).tolist()


# ---- rrelu ----------------------------------------------------------------------------------------------

@settings(max_examples=30)
@given(x=arrays(np.float64, min_dims=0), kind=layouts, dtype=st.sampled_from([torch.float32, torch.float64]))
def test_rrelu_in_evaluation_is_leaky_relu_with_the_mean_slope(x, kind, dtype):
    y = F.rrelu(layout(x, kind).to(dtype), 0.1, 0.4)
    assert y.dtype is dtype and y.is_contiguous()  # torch allocates the result row-major
    assert np.array_equal(y.numpy(), leaky(x.astype(dtype.np), dtype.np.type(0.25)))


@settings(max_examples=30)
@given(x=arrays(np.float64, min_dims=0), kind=layouts, dtype=st.sampled_from([torch.float32, torch.float64]),
       seed=st.integers(0, 2 ** 32 - 1))
def test_rrelu_training_draws_torchs_slopes(x, kind, dtype, seed):
    """One float64 uniform per element ``x <= 0``, in row-major order, turned into ``lower + u *
    (upper - lower)`` with the bounds in the dtype computed in (torch's CPU kernel); so the
    generator moves on by exactly that many draws."""
    lower, upper = 0.1, 0.4
    torch.manual_seed(seed)
    u = torch.rand(int((x <= 0).sum()), dtype=torch.float64).numpy()
    after = torch.rand(2)
    lo, hi = dtype.np.type(lower).item(), dtype.np.type(upper).item()
    noise = np.ones(x.shape, dtype.np)
    noise[x <= 0] = u * (hi - lo) + lo

    torch.manual_seed(seed)
    t = layout(x, kind).to(dtype).requires_grad_()
    y = F.rrelu(t, lower, upper, training=True)
    assert torch.rand(2).tolist() == after.tolist()
    assert y.dtype is dtype and y.is_contiguous() and y.grad_fn.name() == "RreluWithNoiseBackward0"
    assert np.array_equal(y.detach().numpy(), x.astype(dtype.np) * noise)
    assert ((noise >= lo) & (noise <= hi) | (x > 0)).all()
    y.sum().backward()
    assert np.array_equal(t.grad.numpy(), noise)  # d/dx: the drawn slope (1 where positive)


def test_rrelu_training_values_written_out_from_torch():
    torch.manual_seed(0)
    y = F.rrelu(torch.tensor([-1.0, -1.0, 2.0, -1.0]), training=True)
    assert y.tolist() == [-0.3270943760871887, -0.27246248722076416, 2.0, -0.22070477902889252]
    assert torch.rand(1).tolist() == [0.4900934100151062]
    torch.manual_seed(0)
    y = F.rrelu(torch.tensor([-1.0, -1.0, 2.0, -1.0], dtype=torch.float64), training=True)
    assert y.tolist() == [-0.3270943753763652, -0.2724624717499558, 2.0, -0.22070477981821893]
    g = torch.Generator().manual_seed(3)
    y = torch.rrelu(-torch.ones(4), 0.1, 0.3, True, g)
    assert y.tolist() == [-0.10682164132595062, -0.15734805166721344, -0.2545830011367798, -0.13498540222644806]
    assert torch.rand(2, generator=g).tolist() == [0.5944212079048157, 0.887856662273407]
    torch.manual_seed(2)  # a transposed input: drawn in the order of its elements, not of its memory
    x = -torch.arange(1.0, 7.0).view(2, 3).t()
    assert F.rrelu(x, 0.2, 0.5, training=True).tolist() == [
        [-0.4752681851387024, -0.9162982702255249], [-0.8252506852149963, -1.8103922605514526],
        [-1.4219319820404053, -2.1462817192077637]]


def test_rrelu_nan_zero_and_infinity():
    """0 and -0 count as negative (they draw a slope), NaN does not (slope 1), as in torch."""
    torch.manual_seed(5)
    x = torch.tensor([-1.0, float("nan"), 0.0, -0.0, float("-inf"), 3.0], requires_grad=True)
    y = F.rrelu(x, training=True)
    y.backward(torch.ones(6))
    assert str(y.tolist()) == "[-0.25875312089920044, nan, 0.0, -0.0, -inf, 3.0]"
    assert np.signbit(y.detach().numpy()[3])
    assert x.grad.tolist() == [0.25875312089920044, 1.0, 0.17911623418331146, 0.20017242431640625,
                               0.19065262377262115, 1.0]
    assert str(F.rrelu(torch.tensor([float("nan"), -0.0])).tolist()) == "[nan, -0.0]"


def test_rrelu_gradients():
    x = leaf(np.random.default_rng(2).uniform(0.2, 2, (3, 4)) * [[1, -1, -1, 1]], "permuted")
    check_grads(lambda t: F.rrelu(t, 0.1, 0.3), x)

    def training(t):  # the same slopes at every call: gradcheck calls it many times
        torch.manual_seed(0)
        return F.rrelu(t, 0.1, 0.3, training=True)
    check_grads(training, x)
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    F.rrelu(x).sum().backward()
    assert x.grad.tolist() == [0.2291666716337204, 1.0]  # (1/8 + 1/3) / 2 in float32


def test_rrelu_float16():
    assert F.rrelu(torch.tensor([-1.0, 2.0]).half()).tolist() == [-0.2291259765625, 2.0]
    with pytest.raises(NotImplementedError, match="^\"rrelu_with_noise_out_cpu\" not implemented for 'Half'$"):
        F.rrelu(torch.tensor([-1.0]).half(), training=True)


def test_rrelu_in_place():
    x = -torch.arange(1.0, 7.0).view(2, 3).t()
    torch.manual_seed(2)
    expected = F.rrelu(x, 0.2, 0.5, training=True).tolist()
    torch.manual_seed(2)
    assert F.rrelu_(x, 0.2, 0.5, True) is x and x.tolist() == expected and x.stride() == (1, 3)
    z = torch.tensor([-2.0, 4.0])
    assert F.rrelu(z, inplace=True) is z and z.tolist() == pytest.approx([-2 * 11 / 48, 4.0])
    z = torch.tensor([-2.0, 4.0])
    assert torch.rrelu_(z, 0.1, 0.3) is z and z.tolist() == pytest.approx([-0.4, 4.0])
    a = torch.tensor([-1.0, 2.0], requires_grad=True)
    h = a * 1
    F.rrelu_(h)
    assert h.grad_fn.name() == "RreluWithNoiseBackward1"
    h.sum().backward()
    assert a.grad.tolist() == [0.2291666716337204, 1.0]
    torch.manual_seed(0)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        F.rrelu(torch.full((2,), -1.0, requires_grad=True), training=True, inplace=True)
    assert torch.rand(1).tolist() == [0.49625658988952637]  # refused before drawing: torch.rand's first number


def test_rrelu_in_place_refuses_the_gradient_of_a_negative_slope():
    a = torch.tensor([-1.0, 2.0], requires_grad=True)
    F.rrelu(a * 1, -0.5, 0.0, inplace=True).sum()  # the forward is fine
    with pytest.raises(RuntimeError, match="^In-place leakyReLu backward calculation is triggered with a negative"):
        F.rrelu(a * 1, -0.5, 0.0, inplace=True).sum().backward()
    F.rrelu(a * 1, -0.5, 0.0).sum().backward()  # out of place it is fine
    assert a.grad.tolist() == [-0.25, 1.0]


@pytest.mark.parametrize("call,error,message", [
    (lambda: F.rrelu(torch.randn(3), 0.5, 0.1), RuntimeError, "Lower bound should be less than or equal to the upper bound"),
    (lambda: F.rrelu(torch.arange(3), 0.5, 0.1), RuntimeError,
     "Lower bound should be less than or equal to the upper bound"),
    (lambda: torch.rrelu(torch.randn(3), 0.5, 0.1, True), RuntimeError,
     "Lower bound should be less than or equal to the upper bound"),
    (lambda: F.rrelu(torch.arange(3)), NotImplementedError, "\"leaky_relu_cpu\" not implemented for 'Long'"),
    (lambda: F.rrelu(torch.arange(3), training=True), NotImplementedError,
     "\"rrelu_with_noise_out_cpu\" not implemented for 'Long'"),
    (lambda: F.rrelu(torch.tensor([True]), training=True), NotImplementedError,
     "\"rrelu_with_noise_out_cpu\" not implemented for 'Bool'"),
    (lambda: nn.RReLU(0.5, 0.1)(torch.randn(3)), RuntimeError,
     "Lower bound should be less than or equal to the upper bound"),
])
def test_rrelu_errors_are_torchs(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_rrelu_module():
    m = nn.RReLU()
    assert repr(m) == "RReLU(lower=0.125, upper=0.3333333333333333)" and not m.state_dict()
    assert repr(nn.RReLU(0.1, 0.3, True)) == "RReLU(lower=0.1, upper=0.3, inplace=True)"
    x = -torch.ones(1000)
    slopes = -m(x).numpy()  # training mode: random slopes
    assert slopes.min() >= 0.125 and slopes.max() <= np.float32(1 / 3) and slopes.std() > 0.05
    assert abs(slopes.mean() - (0.125 + 1 / 3) / 2) < 0.01  # uniform on [lower, upper]: its mean
    assert m.eval()(x).tolist() == F.rrelu(x).tolist()  # evaluation: the mean slope, no draws
    z = torch.tensor([-1.0])
    assert nn.RReLU(0.2, 0.2, inplace=True)(z) is z and z.tolist() == pytest.approx([-0.2])


# ---- on a GPU (CuPy): the CPU's values; rrelu's slopes come from the GPU's own stream ------------------

@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs an NVIDIA GPU with CuPy")
def test_new_activations_on_cuda_match_cpu():
    x = np.random.default_rng(3).standard_normal((4, 3, 6))
    w = np.array([0.25, -0.5, 1.5])
    for fn in (lambda t, d: F.prelu(t, torch.tensor(w, device=d)), lambda t, d: F.glu(t, -1),
               lambda t, d: F.rrelu(t, 0.1, 0.3)):
        cpu, gpu = torch.tensor(x, requires_grad=True), torch.tensor(x, device="cuda", requires_grad=True)
        y_cpu, y_gpu = fn(cpu, "cpu"), fn(gpu, "cuda")
        y_cpu.sum().backward()
        y_gpu.sum().backward()
        assert y_gpu.device.type == "cuda" and np.allclose(y_gpu.cpu().detach().numpy(), y_cpu.detach().numpy())
        assert np.allclose(gpu.grad.cpu().numpy(), cpu.grad.numpy())
    gpu = torch.tensor(x, device="cuda", requires_grad=True)
    y = F.rrelu(gpu, 0.1, 0.3, training=True)
    y.sum().backward()
    noise = gpu.grad.cpu().numpy()
    assert np.array_equal(y.cpu().detach().numpy(), x * noise)
    assert ((x > 0) & (noise == 1) | (x <= 0) & (noise >= 0.1) & (noise <= 0.3)).all()


# ---- against torch itself (needs the parity extra: python -m pytest -m parity) ---------------------------

@pytest.mark.parity
def test_new_activations_agree_with_torch():
    pt = pytest.importorskip("torch")
    libs = (pt, torch)
    rng = np.random.default_rng(0)

    def compare(make, *arrays, exact=True, seed=0):
        results = []
        for lib in libs:
            tensors = [lib.tensor(a).permute(*reversed(range(a.ndim))).requires_grad_() for a in arrays]
            lib.manual_seed(seed)
            y = make(lib, *tensors)
            y.backward(lib.ones_like(y) * 0.75)
            results.append((y, *[t.grad for t in tensors], lib.rand(2)))
        (y0, *g0), (y1, *g1) = results
        assert (y0.dtype.is_floating_point, tuple(y0.shape), y0.stride()) == (y1.dtype.is_floating_point,
                                                                           y1.shape, y1.stride())
        assert str(y0.dtype) == str(y1.dtype) and y0.grad_fn.name() == y1.grad_fn.name()
        for a, b in zip([y0, *g0], [y1, *g1]):
            a, b = a.detach().numpy(), b.detach().numpy()
            assert a.shape == b.shape
            if exact:
                assert np.array_equal(a, b, equal_nan=True)
            else:
                assert np.allclose(a, b, rtol=1e-6, atol=1e-7)

    for dtype in (np.float32, np.float64):
        x = rng.standard_normal((5, 3, 4)).astype(dtype)
        x[0, 0, 0] = 0
        w = rng.uniform(-1, 1, 3).astype(dtype)
        compare(lambda lib, x, w: lib.nn.functional.prelu(x, w), x, w)
        compare(lambda lib, x: lib.nn.functional.prelu(x, lib.tensor(0.3, dtype=x.dtype)), x)
        for seed in (0, 1, 77):
            compare(lambda lib, x: lib.nn.functional.rrelu(x, 0.1, 0.3, training=True), x, seed=seed)
        compare(lambda lib, x: lib.nn.functional.rrelu(x * 1, inplace=True), x)
        compare(lambda lib, x: lib.rrelu_(x * 1, 0.2, 0.6, True), x)
        compare(lambda lib, x: lib.nn.functional.rrelu(x), x)
        for dim in (0, 2, -1):  # glu's exp is numpy's, torch's is SLEEF's: the last bit may differ
            compare(lambda lib, x: lib.nn.functional.glu(x, dim), np.concatenate([x, x[:, :, ::-1]], 0), exact=False)
    for name, args in [("PReLU", (3, 0.1)), ("PReLU", ()), ("RReLU", (0.1, 0.2, True)), ("RReLU", ()), ("GLU", (1,))]:
        a, b = getattr(pt.nn, name)(*args), getattr(nn, name)(*args)
        assert repr(a) == repr(b) and list(a.state_dict()) == list(b.state_dict())
        assert [p.tolist() for p in a.parameters()] == [p.tolist() for p in b.parameters()]
