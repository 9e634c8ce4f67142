"""Device plumbing without a GPU: a numpy stand-in serves the "cuda" device type.

Transfers copy (as host<->device copies do), results stay on their input's device, mixing devices
fails with torch's message, and ``model.to(device)`` moves parameters, buffers and gradients.
The real CuPy backend is tested by tests/test_cuda.py on GPU machines.
"""

import types

import numpy as np
import pytest

import minitorch as torch
from minitorch import backends, nn
from minitorch.ops import creation


@pytest.fixture
def fake_cuda(monkeypatch):
    fake = types.ModuleType("fake_cuda")
    fake.__dict__.update({k: v for k, v in vars(backends.cpu).items() if not k.startswith("__")})
    fake.name = "cuda"
    fake.asarray = lambda data, np_dtype=None, device=None: np.array(data, dtype=np_dtype, copy=True)
    fake.to_numpy = lambda array: array.copy()  # a device->host copy, never a shared buffer
    old = backends.register_backend("cuda", fake)
    monkeypatch.setattr(torch.cuda, "_available", [True])
    # the stand-in's random generators must not outlive it (manual_seed reseeds every device's)
    monkeypatch.setattr(creation, "_device_generators", {})
    yield fake
    if old is None:
        backends._registry.pop("cuda")
    else:
        backends.register_backend("cuda", old)


def test_transfers_copy_and_keep_dtype(fake_cuda):
    x = torch.arange(6.).view(2, 3)
    g = x.cuda()
    assert g.is_cuda and g.device == torch.device("cuda:0") and g.dtype == torch.float32
    assert repr(g) == "tensor([[0., 1., 2.],\n        [3., 4., 5.]], device='cuda:0')"
    g[0, 0] = 7.0
    assert x[0, 0].item() == 0.0  # a copy, not shared memory
    back = g.to("cpu", torch.double)
    assert back.device == torch.device("cpu") and back.dtype == torch.float64 and back[0, 0].item() == 7.0
    assert x.to("cuda").device == g.device and g.cuda() is g  # already there: no copy, like torch


@pytest.mark.parametrize("op", [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a @ b.t(),
                                lambda a, b: torch.cat([a, b]), lambda a, b: (a - b).exp().sum(1),
                                lambda a, b: a[:, 1:].max(1).values, lambda a, b: torch.where(a > b, a, b)])
def test_results_stay_on_the_inputs_device(fake_cuda, op):
    a, b = torch.randn(3, 4, device="cuda"), torch.randn(3, 4, device="cuda")
    out = op(a, b)
    assert out.device == torch.device("cuda:0")
    expected = op(a.cpu(), b.cpu())
    np.testing.assert_allclose(out.cpu().numpy(), expected.numpy(), rtol=1e-6)


def test_mixing_devices_is_torchs_error(fake_cuda):
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but found at least "
                                           "two devices, cuda:0 and cpu!"):
        torch.ones(2, device="cuda") + torch.ones(2)


def test_numpy_of_a_cuda_tensor_asks_for_cpu(fake_cuda):
    with pytest.raises(TypeError, match=r"can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu\(\)"):
        torch.ones(2, device="cuda").numpy()


def test_gradients_flow_back_across_a_transfer(fake_cuda):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w.cuda() * 3).sum()
    loss.backward()
    assert w.grad.device == torch.device("cpu") and w.grad.tolist() == [3.0, 3.0]


def test_model_to_device_moves_parameters_buffers_and_trains(fake_cuda):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    assert model.to(device) is model
    assert all(p.device == device for p in model.parameters())
    assert all(b.device == device for b in model.buffers())
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x, y = torch.randn(16, 4).to(device), torch.randint(0, 2, (16,)).to(device)
    for _ in range(2):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    assert loss.device == device and all(p.grad.device == device for p in model.parameters())
    assert model.cpu()[0].weight.device == torch.device("cpu")
