"""The GPU backend: the same ops, autograd, conv/pool kernels and nn code on cuda tensors.

Every test is marked ``cuda`` and skipped without an NVIDIA GPU and CuPy (``conftest.py``).
Expected values come from the CPU backend (numpy), which the other test files check against
numpy and gradcheck, so "cuda == cpu" is enough here.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch as torch

pytestmark = [pytest.mark.cuda,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="needs an NVIDIA GPU with CuPy")]

CUDA = "cuda:0"


@pytest.fixture(autouse=True)
def restore_cudnn_flags():
    """Tests flip torch.backends.cudnn flags; put them back afterwards."""
    flags = torch.backends.cudnn
    saved = flags.enabled, flags.benchmark, flags.deterministic, flags.allow_tf32
    yield
    flags.enabled, flags.benchmark, flags.deterministic, flags.allow_tf32 = saved


def pair(array, requires_grad=False):
    """The same values as a CPU tensor and a cuda tensor (both leaves)."""
    cpu = torch.tensor(array, requires_grad=requires_grad)
    gpu = torch.tensor(array, device=CUDA, requires_grad=requires_grad)
    return cpu, gpu


def assert_same(gpu, cpu, rtol=1e-6, atol=1e-6):
    """A cuda result equals the CPU result: device, dtype, shape and values."""
    assert gpu.device == torch.device(CUDA) and cpu.device == torch.device("cpu")
    assert gpu.dtype == cpu.dtype and gpu.shape == cpu.shape
    np.testing.assert_allclose(gpu.detach().cpu().numpy(), cpu.detach().numpy(), rtol=rtol, atol=atol)


# ---- devices, creation, transfers, printing ----------------------------------------------------

def test_device_queries():
    assert torch.cuda.is_available() and torch.cuda.device_count() >= 1
    assert torch.cuda.current_device() == 0
    assert isinstance(torch.cuda.get_device_name(0), str) and torch.cuda.get_device_name() != ""
    major, minor = torch.cuda.get_device_capability()
    assert major >= 3 and minor >= 0
    assert torch.cuda.get_device_properties(0).total_memory > 0
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    assert device == torch.device("cuda", 0) and str(device) == "cuda:0"
    torch.cuda.set_device(0)
    with torch.cuda.device(0):
        assert torch.ones(1, device="cuda").device == torch.device("cuda:0")
    torch.cuda.synchronize()


@pytest.mark.parametrize("make", [
    lambda d: torch.zeros(2, 3, device=d),
    lambda d: torch.ones((2, 3), dtype=torch.float64, device=d),
    lambda d: torch.full((2, 2), 7, device=d),
    lambda d: torch.arange(0, 10, 3, device=d),
    lambda d: torch.arange(0.0, 1.0, 0.1, device=d),
    lambda d: torch.linspace(-1, 1, 5, device=d),
    lambda d: torch.eye(3, device=d),
    lambda d: torch.tensor([[1, 2], [3, 4]], dtype=torch.int32, device=d),
    lambda d: torch.tensor([True, False], device=d),
], ids=["zeros", "ones64", "full", "arange", "arange_float", "linspace", "eye", "tensor_int32", "tensor_bool"])
def test_creation_on_cuda_matches_cpu(make):
    gpu, cpu = make(CUDA), make("cpu")
    assert gpu.is_cuda and not cpu.is_cuda and gpu.get_device() == 0
    assert gpu.stride() == cpu.stride()
    assert_same(gpu, cpu, rtol=0, atol=0)


def test_transfers_round_trip():
    x = torch.arange(12.0).reshape(3, 4)
    for gpu in (x.cuda(), x.to("cuda:0"), x.to("cuda"), x.to(torch.device("cuda", 0)), x.cuda(0)):
        assert gpu.is_cuda and gpu.device == torch.device("cuda:0")
        assert torch.equal(gpu.cpu(), x)
    g = x.cuda()
    assert g.cuda() is g and g.to("cuda:0") is g  # nothing to do: the same tensor, as in torch
    back = g.to("cpu", torch.double)
    assert back.device == torch.device("cpu") and back.dtype == torch.float64
    assert g.t().cpu().tolist() == x.t().tolist()  # a non-contiguous view copies correctly
    assert g[1:, ::2].cpu().tolist() == x[1:, ::2].tolist()
    assert torch.zeros(2).to(g).is_cuda  # .to(other) takes other's device and dtype
    assert g.type() == "torch.cuda.FloatTensor" and g.tolist() == x.tolist()
    assert g.sum().item() == 66.0


def test_transfer_is_differentiable():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x.cuda() * 2).sum()
    y.backward()
    assert x.grad.device == torch.device("cpu") and x.grad.tolist() == [2.0, 2.0, 2.0]


def test_repr_shows_device():
    assert repr(torch.tensor([1.0, 2.0], device="cuda")) == "tensor([1., 2.], device='cuda:0')"
    assert repr(torch.tensor([1, 2], device="cuda")) == "tensor([1, 2], device='cuda:0')"
    assert repr(torch.tensor([1.0], device="cuda", requires_grad=True)) == \
        "tensor([1.], device='cuda:0', requires_grad=True)"
    assert repr(torch.tensor([1.0], dtype=torch.float64, device="cuda")) == \
        "tensor([1.], device='cuda:0', dtype=torch.float64)"


def test_errors_mixed_devices_and_numpy():
    a, b = torch.ones(2, device="cuda"), torch.ones(2)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but found at "
                                           "least two devices, cuda:0 and cpu!"):
        a + b
    with pytest.raises(RuntimeError, match="same device"):
        torch.ones(2, 2) @ torch.ones(2, 2, device="cuda")
    with pytest.raises(TypeError, match=r"can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu\(\) to "
                                        r"copy the tensor to host memory first."):
        a.numpy()
    assert (a + torch.tensor(2.0)).is_cuda  # a 0-d CPU tensor is allowed, as in torch


# ---- ops: the same definitions run on CuPy --------------------------------------------------------

shapes = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)


@settings(max_examples=15, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2 ** 16))
def test_pointwise_matches_cpu(shape, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape).astype(np.float32)
    b = rng.standard_normal(shape[1:]).astype(np.float32)  # broadcast along the first dim
    (ca, ga), (cb, gb) = pair(a), pair(b)
    for fn in (lambda x, y: x + y, lambda x, y: x * y - 2, lambda x, y: x / (y.abs() + 1),
               lambda x, y: torch.maximum(x, y), lambda x, y: x.exp() + y.sin(), lambda x, y: (x.abs() + 1).log(),
               lambda x, y: x.tanh() * y.sigmoid(), lambda x, y: torch.erf(x), lambda x, y: x.abs().sqrt(),
               lambda x, y: (x > y).float(), lambda x, y: torch.where(x > 0, x, y), lambda x, y: x.clamp(-0.5, 0.5),
               lambda x, y: x ** 2, lambda x, y: (x * 10).round()):
        assert_same(fn(ga, gb), fn(ca, cb), rtol=1e-5, atol=1e-6)


def test_reductions_matmul_and_indexing_match_cpu():
    rng = np.random.default_rng(0)
    (cx, gx), (cw, gw) = pair(rng.standard_normal((4, 5, 6))), pair(rng.standard_normal((6, 3)))
    for fn in (lambda x: x.sum(), lambda x: x.sum(dim=1), lambda x: x.mean((0, 2), keepdim=True),
               lambda x: (x > 0).all(dim=-1), lambda x: (x > 0).any(),
               lambda x: x.permute(2, 0, 1).reshape(6, -1), lambda x: x[1:, ::2, -1],
               lambda x: x.transpose(0, 1).contiguous(), lambda x: x.unsqueeze(1).expand(4, 2, 5, 6) * 1,
               lambda x: x.flatten(1), lambda x: x.unbind(0)[2], lambda x: x.narrow(2, 1, 3)):
        assert_same(fn(gx), fn(cx))
    assert_same(gx @ gw, cx @ cw, rtol=1e-10)
    assert_same(torch.bmm(gx, gx.transpose(1, 2)), torch.bmm(cx, cx.transpose(1, 2)), rtol=1e-10)
    assert_same(torch.mv(gw.t(), gw[:, 0]), torch.mv(cw.t(), cw[:, 0]), rtol=1e-10)
    index = [3, 0, 3]
    assert_same(gx[index], cx[index])
    assert_same(gx[gx > 1], cx[cx > 1])


def test_inplace_and_setitem_on_cuda():
    c, g = pair(np.arange(6.0).reshape(2, 3))
    for t in (c, g):
        t[0, 1] = 10
        t[:, 2] += 1
        t.mul_(2)
    assert_same(g, c)
    g.copy_(torch.ones(2, 3))  # copy_ from a CPU tensor moves the values
    assert g.is_cuda and g.tolist() == [[1.0] * 3] * 2


# ---- autograd on cuda --------------------------------------------------------------------------

def test_backward_on_cuda_matches_cpu():
    rng = np.random.default_rng(1)
    (cx, gx), (cw, gw) = pair(rng.standard_normal((5, 4)), True), pair(rng.standard_normal((4, 3)), True)
    for x, w in ((cx, cw), (gx, gw)):
        h = (x @ w).tanh()
        loss = (h * h.sigmoid()).mean() + (x[1:, ::2] ** 2).sum() + w.t().exp().sum(dim=0).mean()
        loss.backward()
    assert_same(gx.grad, cx.grad, rtol=1e-10)
    assert_same(gw.grad, cw.grad, rtol=1e-10)
    assert gx.grad.shape == gx.shape and gw.grad.shape == gw.shape


def test_gradcheck_on_cuda():
    x = torch.randn(3, 4, dtype=torch.float64, device="cuda", requires_grad=True)
    w = torch.randn(4, 2, dtype=torch.float64, device="cuda", requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, w: (x.t().t() @ w).sin() * x[:, :2], (x, w))


# ---- random numbers ------------------------------------------------------------------------------

def test_manual_seed_reproduces_cuda_numbers():
    torch.cuda.manual_seed(0)
    a = torch.randn(1000, device="cuda")
    torch.cuda.manual_seed_all(0)
    b = torch.randn(1000, device="cuda")
    assert a.is_cuda and a.dtype == torch.float32 and torch.equal(a, b)
    values = a.cpu().numpy()
    assert abs(values.mean()) < 0.15 and 0.85 < values.std() < 1.15
    torch.manual_seed(3)  # torch.manual_seed seeds the cuda generators too
    c = torch.rand(4, 5, device="cuda")
    torch.manual_seed(3)
    assert torch.equal(c, torch.rand(4, 5, device="cuda"))
    assert bool(((c >= 0) & (c < 1)).all())


def test_manual_seed_before_first_cuda_use():
    """torch.manual_seed also seeds cuda generators that do not exist yet (made on first use)."""
    from minitorch.ops import creation

    creation._device_generators.clear()
    torch.manual_seed(7)
    a = torch.randn(5, device="cuda")
    torch.manual_seed(7)
    assert torch.equal(a, torch.randn(5, device="cuda"))


def test_random_integers_and_permutations_on_cuda():
    r = torch.randint(3, 7, (1000,), device="cuda")
    assert r.is_cuda and r.dtype == torch.int64 and set(r.tolist()) == {3, 4, 5, 6}
    m = torch.multinomial(torch.tensor([0.0, 1.0, 3.0], device="cuda"), 2)
    assert m.is_cuda and sorted(m.tolist()) == [1, 2]
    p = torch.randperm(10, device="cuda")
    assert p.is_cuda and sorted(p.tolist()) == list(range(10))
    g = torch.Generator(device="cuda").manual_seed(5)
    assert torch.equal(torch.randn(3, generator=g, device="cuda"),
                       torch.randn(3, generator=torch.Generator(device="cuda").manual_seed(5), device="cuda"))


# ---- conv and pooling kernels: cuDNN vs im2col on the GPU vs numpy on the CPU ------------------------

CONV_CASES = [  # (N, C, H, W), (K, C/groups, R, S), stride, padding, dilation, groups
    ((2, 3, 9, 10), (4, 3, 3, 3), (1, 1), (0, 0), (1, 1), 1),
    ((2, 4, 9, 10), (6, 4, 3, 3), (2, 2), (1, 1), (1, 1), 1),
    ((1, 4, 11, 8), (6, 2, 3, 2), (1, 2), (2, 1), (1, 1), 2),
    ((2, 3, 12, 12), (5, 3, 3, 3), (2, 1), (2, 2), (2, 3), 1),
    ((3, 4, 7, 7), (4, 1, 5, 5), (1, 1), (2, 2), (1, 1), 4),  # depthwise
]


def _conv_all(kernels, x, w, stride, padding, dilation, groups, gy):
    y = kernels.conv2d_forward(x, w, stride, padding, dilation, groups)
    gx = kernels.conv2d_backward_input(gy, w, x.shape, stride, padding, dilation, groups)
    gw = kernels.conv2d_backward_weight(x, gy, w.shape, stride, padding, dilation, groups)
    return y, gx, gw


# The cuDNN frontend is an optional part of the GPU extra: without it the kernels fall back to im2col.
needs_cudnn = pytest.mark.skipif(not torch.backends.cudnn.is_available(),
                                 reason="needs the cuDNN frontend (pip install \"minitorch-kit[gpu]\")")


def _cuda_kernels():
    from minitorch.backends import cuda

    return cuda, cuda.kernels


@needs_cudnn
@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-4)])
@pytest.mark.parametrize("case", CONV_CASES)
def test_cudnn_conv_matches_cpu_and_im2col(case, dtype, rtol):
    import cupy

    _, kernels = _cuda_kernels()
    torch.backends.cudnn.allow_tf32 = False  # full float32 products, so 1e-4 holds
    x_shape, w_shape, stride, padding, dilation, groups = case
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal(x_shape).astype(dtype), rng.standard_normal(w_shape).astype(dtype)
    y_cpu = torch.backends.cpu.kernels.conv2d_forward(x, w, stride, padding, dilation, groups)
    gy = rng.standard_normal(y_cpu.shape).astype(dtype)
    expected = _conv_all(torch.backends.cpu.kernels, x, w, stride, padding, dilation, groups, gy)
    before = len(kernels._graphs)
    got = _conv_all(kernels, *map(cupy.asarray, (x, w)), stride, padding, dilation, groups, cupy.asarray(gy))
    new_graphs = list(kernels._graphs.values())[before:]
    assert len(new_graphs) == 3 and all(g is not None for g in new_graphs)  # cuDNN ran all three
    torch.backends.cudnn.enabled = False  # the im2col kernels on CuPy arrays
    fallback = _conv_all(kernels, *map(cupy.asarray, (x, w)), stride, padding, dilation, groups, cupy.asarray(gy))
    assert len(kernels._graphs) == before + 3
    for e, g, f in zip(expected, got, fallback):
        assert isinstance(g, cupy.ndarray) and g.shape == e.shape and g.dtype == e.dtype and g.flags.c_contiguous
        scale = np.abs(e).max()
        np.testing.assert_allclose(cupy.asnumpy(g), e, rtol=0, atol=rtol * scale)
        np.testing.assert_allclose(cupy.asnumpy(f), e, rtol=0, atol=rtol * scale)


@needs_cudnn
def test_cudnn_accepts_views_and_half_precision():
    import cupy

    _, kernels = _cuda_kernels()
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 8, 6, 5)).astype(np.float32)
    w = rng.standard_normal((4, 4, 3, 3)).astype(np.float32)
    expected = torch.backends.cpu.kernels.conv2d_forward(x[:, ::2].transpose(0, 1, 3, 2), w, (1, 1), (1, 1), (1, 1), 1)
    view = cupy.asarray(x)[:, ::2].transpose(0, 1, 3, 2)  # strided and transposed: copied to NCHW first
    np.testing.assert_allclose(cupy.asnumpy(kernels.conv2d_forward(view, cupy.asarray(w), (1, 1), (1, 1), (1, 1), 1)),
                               expected, rtol=1e-3, atol=1e-3)
    half = kernels.conv2d_forward(view.astype(cupy.float16), cupy.asarray(w, dtype=cupy.float16), (1, 1), (1, 1), (1, 1), 1)
    assert half.dtype == cupy.float16
    np.testing.assert_allclose(cupy.asnumpy(half), expected, rtol=2e-2, atol=2e-2)


@needs_cudnn
def test_cudnn_flags_deterministic_benchmark_and_tf32():
    import cupy

    _, kernels = _cuda_kernels()
    flags = torch.backends.cudnn
    assert (flags.enabled, flags.benchmark, flags.deterministic, flags.allow_tf32) == (True, False, False, True)
    assert flags.is_available() and flags.version() >= 8000
    rng = np.random.default_rng(4)
    x = cupy.asarray(rng.standard_normal((8, 32, 28, 28)).astype(np.float32))
    w = cupy.asarray(rng.standard_normal((32, 32, 3, 3)).astype(np.float32))
    gy = cupy.asarray(rng.standard_normal((8, 32, 28, 28)).astype(np.float32))
    geometry = ((1, 1), (1, 1), (1, 1), 1)
    exact = torch.backends.cpu.kernels.conv2d_backward_weight(cupy.asnumpy(x).astype(np.float64),
                                                              cupy.asnumpy(gy).astype(np.float64), w.shape, *geometry)
    flags.deterministic, flags.allow_tf32 = True, False
    runs = [cupy.asnumpy(kernels.conv2d_backward_weight(x, gy, w.shape, *geometry)) for _ in range(3)]
    assert all(np.array_equal(runs[0], r) for r in runs)  # bit-identical run to run
    flags.deterministic, flags.benchmark = False, True
    tuned = cupy.asnumpy(kernels.conv2d_backward_weight(x, gy, w.shape, *geometry))
    for got in (runs[0], tuned):
        np.testing.assert_allclose(got, exact, rtol=0, atol=1e-4 * np.abs(exact).max())


@pytest.mark.parametrize("kernel,stride,padding,dilation,ceil_mode", [
    ((2, 2), (2, 2), (0, 0), (1, 1), False),
    ((3, 3), (2, 2), (1, 1), (1, 1), True),
    ((3, 2), (1, 2), (1, 0), (2, 1), False),
])
def test_pooling_kernels_match_cpu(kernel, stride, padding, dilation, ceil_mode):
    import cupy

    _, kernels = _cuda_kernels()
    cpu = torch.backends.cpu.kernels
    x = np.random.default_rng(5).standard_normal((2, 3, 9, 8))
    y, idx = kernels.max_pool2d_forward(cupy.asarray(x), kernel, stride, padding, dilation, ceil_mode)
    y_cpu, idx_cpu = cpu.max_pool2d_forward(x, kernel, stride, padding, dilation, ceil_mode)
    np.testing.assert_array_equal(cupy.asnumpy(y), y_cpu)
    np.testing.assert_array_equal(cupy.asnumpy(idx), idx_cpu)
    gy = np.random.default_rng(6).standard_normal(y_cpu.shape)
    np.testing.assert_allclose(cupy.asnumpy(kernels.max_pool2d_backward(cupy.asarray(gy), idx, x.shape)),
                               cpu.max_pool2d_backward(gy, idx_cpu, x.shape), rtol=1e-12)
    args = (kernel, stride, padding, ceil_mode, False, None)
    a = kernels.avg_pool2d_forward(cupy.asarray(x), *args)
    np.testing.assert_allclose(cupy.asnumpy(a), cpu.avg_pool2d_forward(x, *args), rtol=1e-12)
    ga = np.random.default_rng(7).standard_normal(a.shape)
    np.testing.assert_allclose(cupy.asnumpy(kernels.avg_pool2d_backward(cupy.asarray(ga), x.shape, *args)),
                               cpu.avg_pool2d_backward(ga, x.shape, *args), rtol=1e-12)


# ---- nn on cuda -----------------------------------------------------------------------------------

def test_functional_conv_and_pool_on_cuda_match_cpu():
    F = torch.nn.functional
    rng = np.random.default_rng(8)
    (cx, gx), (cw, gw), (cb, gb) = (pair(rng.standard_normal(s), True) for s in ((2, 4, 10, 9), (6, 2, 3, 3), (6,)))
    for x, w, b in ((cx, cw, cb), (gx, gw, gb)):
        y = F.conv2d(x, w, b, stride=2, padding=1, dilation=1, groups=2)
        out = F.max_pool2d(F.relu(y), 2, ceil_mode=True) + F.avg_pool2d(y, 2, ceil_mode=True)
        (out * out).sum().backward()
    assert_same(y, F.conv2d(cx, cw, cb, stride=2, padding=1, groups=2), rtol=1e-10)
    for g, c in ((gx, cx), (gw, cw), (gb, cb)):
        assert_same(g.grad, c.grad, rtol=1e-9, atol=1e-9)
    assert torch.autograd.gradcheck(lambda x, w: F.conv2d(x, w, padding=1, groups=2),
                                    (gx[:1, :, :4, :5].detach().requires_grad_(), gw.detach().requires_grad_()))


def _train(device, steps=3):
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(4 * 4 * 4, 10))
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = torch.tensor(np.random.default_rng(9).standard_normal((16, 1, 8, 8)), dtype=torch.float32).to(device)
    y = torch.tensor(np.arange(16) % 10).to(device)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


def test_training_step_on_cuda_matches_cpu():
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.deterministic = True
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    gpu_model, gpu_losses = _train(device)
    cpu_model, cpu_losses = _train("cpu")
    assert all(p.is_cuda for p in gpu_model.parameters())
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-4)
    assert gpu_losses[-1] < gpu_losses[0]
    for pg, pc in zip(gpu_model.parameters(), cpu_model.parameters()):
        np.testing.assert_allclose(pg.detach().cpu().numpy(), pc.detach().numpy(), rtol=1e-3, atol=1e-5)


# ---- timing and memory -----------------------------------------------------------------------------

def test_event_timing_and_memory_statistics():
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    a = torch.randn(1024, 1024, device="cuda")
    b = a @ a
    end.record()
    end.synchronize()
    assert start.elapsed_time(end) > 0 and end.query()
    assert torch.cuda.memory_allocated() >= base + 2 * 4 * 1024 * 1024
    peak = torch.cuda.max_memory_allocated()
    del a, b
    assert torch.cuda.memory_allocated() < peak and torch.cuda.max_memory_allocated() == peak
    torch.cuda.reset_peak_memory_stats()
    assert torch.cuda.max_memory_allocated() == torch.cuda.memory_allocated()
    assert torch.cuda.memory_reserved() >= torch.cuda.memory_allocated()
    torch.cuda.empty_cache()
    free, total = torch.cuda.mem_get_info()
    assert 0 < free <= total
