"""nn on cuda tensors: every functional op and module gives the CPU backend's values and gradients
(the CPU results are checked against numpy and gradcheck in the other test_nn_* files).

Marked ``cuda``: skipped without an NVIDIA GPU and CuPy.
"""

import numpy as np
import pytest

import minitorch as torch
from minitorch import nn
import minitorch.nn.functional as F

pytestmark = [pytest.mark.cuda,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="needs an NVIDIA GPU with CuPy")]

rng = np.random.default_rng(0)
X = rng.standard_normal((4, 3, 6, 5)) * 3
X[0, 0, 0, :3] = [1000.0, -1000.0, 0.0]
P = rng.random((4, 3, 6, 5))
T = rng.integers(0, 3, (4, 6, 5))
W = rng.random(3) + 0.5

CASES = {
    "relu": lambda x: F.relu(x), "leaky_relu": lambda x: F.leaky_relu(x, 0.2), "elu": F.elu, "selu": F.selu,
    "celu": lambda x: F.celu(x, 2.0), "gelu": F.gelu, "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu, "mish": F.mish, "softplus": lambda x: F.softplus(x, 2.0, 3.0), "hardtanh": F.hardtanh,
    "threshold": lambda x: F.threshold(x, 0.1, 20.0), "logsigmoid": F.logsigmoid, "softsign": F.softsign,
    "softmax": lambda x: F.softmax(x, 1), "log_softmax": lambda x: F.log_softmax(x, 1),
    "cross_entropy": lambda x: F.cross_entropy(x, torch.tensor(T, device=x.device), torch.tensor(W, device=x.device),
                                               label_smoothing=0.1),
    "cross_entropy_probs": lambda x: F.cross_entropy(x, torch.tensor(P, device=x.device)),
    "nll_none": lambda x: F.nll_loss(x, torch.tensor(T, device=x.device), ignore_index=1, reduction="none"),
    "bce": lambda x: F.binary_cross_entropy(x.sigmoid(), torch.tensor(P, device=x.device)),
    "bce_logits": lambda x: F.binary_cross_entropy_with_logits(x, torch.tensor(P, device=x.device),
                                                                 pos_weight=torch.tensor(2.0, device=x.device)),
    "mse": lambda x: F.mse_loss(x, torch.tensor(P, device=x.device)),
    "smooth_l1": lambda x: F.smooth_l1_loss(x, torch.tensor(P, device=x.device), beta=0.5),
    "huber": lambda x: F.huber_loss(x, torch.tensor(P, device=x.device)),
    "kl_div": lambda x: F.kl_div(F.log_softmax(x, 1), torch.tensor(P, device=x.device), reduction="batchmean"),
    "batch_norm": lambda x: F.batch_norm(x, None, None, torch.tensor(W, device=x.device), None, training=True),
    "layer_norm": lambda x: F.layer_norm(x, (6, 5)),
    "normalize": lambda x: F.normalize(x, dim=1),
    "cosine_similarity": lambda x: F.cosine_similarity(x, x.flip(0)),
    "pad_constant": lambda x: F.pad(x, (1, -1, 2, 0), value=3.0),
    "pad_reflect": lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect"),
    "pad_replicate": lambda x: F.pad(x, (2, 1, 1, 2), mode="replicate"),
    "pad_circular": lambda x: F.pad(x, (2, 1, 1, 2), mode="circular"),
    "adaptive_avg_pool": lambda x: F.adaptive_avg_pool2d(x, (4, 3)),
    "max_pool_dilated": lambda x: F.max_pool2d(x, 2, 1, 1, 2, ceil_mode=True),
    "avg_pool": lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
}


@pytest.mark.parametrize("name", CASES)
def test_functional_on_cuda_matches_cpu(name):
    fn = CASES[name]
    cpu = torch.tensor(X, requires_grad=True)
    gpu = torch.tensor(X, device="cuda", requires_grad=True)
    y_cpu, y_gpu = fn(cpu), fn(gpu)
    assert y_gpu.is_cuda and y_gpu.dtype == y_cpu.dtype and y_gpu.shape == y_cpu.shape
    assert np.allclose(y_gpu.cpu().detach().numpy(), y_cpu.detach().numpy(), rtol=1e-9, atol=1e-9)
    seed = rng.standard_normal(tuple(y_cpu.shape))
    y_cpu.backward(torch.tensor(seed))
    y_gpu.backward(torch.tensor(seed, device="cuda"))
    assert gpu.grad.is_cuda and np.allclose(gpu.grad.cpu().numpy(), cpu.grad.numpy(), rtol=1e-9, atol=1e-9)


def test_embedding_one_hot_and_dropout_on_cuda():
    idx = torch.tensor([[1, 2, 1], [0, 4, 2]])
    table = rng.standard_normal((5, 3))
    cpu, gpu = torch.tensor(table, requires_grad=True), torch.tensor(table, device="cuda", requires_grad=True)
    F.embedding(idx, cpu, padding_idx=2, scale_grad_by_freq=True).sum().backward()
    out = F.embedding(idx.cuda(), gpu, padding_idx=2, scale_grad_by_freq=True)
    out.sum().backward()
    assert out.is_cuda and np.allclose(gpu.grad.cpu().numpy(), cpu.grad.numpy())
    renormed = torch.tensor([[3.0, 4.0], [0.3, 0.4]], device="cuda")
    F.embedding(torch.tensor([0, 1], device="cuda"), renormed, max_norm=1.0)
    assert np.allclose(renormed.cpu().numpy(), [[0.6, 0.8], [0.3, 0.4]], atol=1e-6)
    assert F.one_hot(torch.tensor([1, 2], device="cuda")).cpu().tolist() == [[0, 1, 0], [0, 0, 1]]
    dropped = F.dropout(torch.ones(100, 100, device="cuda"), 0.5)
    assert dropped.is_cuda and set(np.unique(dropped.cpu().numpy())) == {0.0, 2.0}
    channels = F.dropout2d(torch.ones(8, 16, 3, 3, device="cuda"), 0.5).cpu().numpy().reshape(8, 16, 9)
    assert (channels.min(-1) == channels.max(-1)).all()


def test_module_to_cuda_keeps_parameters_and_state_dict_round_trip():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
    weight = model[0].weight
    assert model.to("cuda") is model and model[0].weight is weight and weight.is_cuda
    assert model[1].running_mean.is_cuda and model[1].num_batches_tracked.is_cuda
    x = torch.randn(2, 1, 6, 6, device="cuda")
    loss = F.cross_entropy(model(x), torch.tensor([0, 2], device="cuda"))
    loss.backward()
    assert model[0].weight.grad.is_cuda and model[1].num_batches_tracked.item() == 1
    state = {k: v.cpu() for k, v in model.state_dict().items()}
    twin = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
    twin.load_state_dict(state)
    model.eval(), twin.eval()
    assert np.allclose(twin(x.cpu()).detach().numpy(), model(x).cpu().detach().numpy(), atol=1e-5)
    model.cpu()
    assert not model[0].weight.is_cuda and model[0].weight.grad.device == torch.device("cpu")
