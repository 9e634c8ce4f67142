"""DistributedDataParallel equals single-process large-batch training (run with 2 and 3 ranks).

Every rank also computes the single-process reference on the whole batch itself (the data are
deterministic), so each rank checks its own DDP copy against it."""

import numpy as np

import minitorch as torch
import minitorch.distributed as dist
from minitorch import nn
from minitorch.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
B = 4  # samples per rank
torch.manual_seed(1234)
X = torch.randn(6, world * B, 5, dtype=torch.float64)  # 6 batches of the whole (world * B) batch
Y = torch.randn(6, world * B, 2, dtype=torch.float64)


def mlp(seed, batchnorm=False):
    torch.manual_seed(seed)
    layers = [nn.Linear(5, 8), nn.BatchNorm1d(8)] if batchnorm else [nn.Linear(5, 8)]
    return nn.Sequential(*layers, nn.Tanh(), nn.Linear(8, 2)).double()


def close(name, got, expected, tol=1e-12):
    for (k, a), (_, b) in zip(got, expected):
        err = np.abs(a.detach().numpy() - b.detach().numpy()).max()
        if err > tol:
            raise AssertionError(f"{name}: {k} differs from single-process training by {err:.3g}")


def train(model, steps, accumulate=1, ddp=None):
    """SGD steps; with ``ddp`` each rank uses its slice, else the whole batch (the reference)."""
    net = ddp or model
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for step in range(steps):
        opt.zero_grad()
        for k in range(accumulate):
            x, y = X[step * accumulate + k], Y[step * accumulate + k]
            if ddp is not None:
                x, y = x[rank * B:(rank + 1) * B], y[rank * B:(rank + 1) * B]
            sync = ddp is None or k == accumulate - 1
            with (ddp.no_sync() if not sync else _nothing()):
                nn.functional.mse_loss(net(x), y).backward()
        opt.step()
    return model


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# 1. DDP = large-batch SGD; the copies start from rank 0's parameters (each rank seeds differently)
reference = train(mlp(seed=0), steps=3)
ddp = DDP(mlp(seed=rank))
train(ddp.module, steps=3, ddp=ddp)
close("DDP", ddp.module.state_dict().items(), reference.state_dict().items())
assert list(ddp.state_dict())[:2] == ["module.0.weight", "module.0.bias"] and isinstance(ddp.module, nn.Sequential)

# 2. small buckets (one parameter each): same result
ddp = DDP(mlp(seed=rank), bucket_cap_mb=1e-5)
assert len(ddp._buckets) == 4
train(ddp.module, steps=3, ddp=ddp)
close("DDP with small buckets", ddp.module.state_dict().items(), reference.state_dict().items())

# 3. no_sync: accumulate two micro-batches locally, average on the third
reference = train(mlp(seed=0), steps=2, accumulate=3)
ddp = DDP(mlp(seed=0))
train(ddp.module, steps=2, accumulate=3, ddp=ddp)
close("DDP with no_sync", ddp.module.state_dict().items(), reference.state_dict().items())

# 4. SyncBatchNorm: the statistics of the whole batch, on every rank
reference = train(mlp(seed=0, batchnorm=True), steps=3)
ddp = DDP(nn.SyncBatchNorm.convert_sync_batchnorm(mlp(seed=0, batchnorm=True)))
assert type(ddp.module[1]).__name__ == "SyncBatchNorm"
train(ddp.module, steps=3, ddp=ddp)
close("SyncBatchNorm", ddp.module.state_dict().items(), reference.state_dict().items())


# 5. unused parameters
class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body, self.a, self.b, self.never = nn.Linear(3, 3), nn.Linear(3, 1), nn.Linear(3, 1), nn.Linear(3, 1)

    def forward(self, x, head):
        h = self.body(x)
        return self.a(h) if head == "a" else self.b(h)


torch.manual_seed(0)
ddp = DDP(TwoHeads().double(), find_unused_parameters=True)
x = torch.ones(2, 3, dtype=torch.float64) * (rank + 1)
ddp(x, "a" if rank == 0 else "b").sum().backward()  # rank 0 uses head a, the others head b
torch.manual_seed(0)
local = TwoHeads().double()
local(torch.ones(2, 3, dtype=torch.float64), "a").sum().backward()
expected_a = local.a.weight.grad / world  # only rank 0 contributes to head a
close("unused: head a", [("a.weight", ddp.module.a.weight.grad)], [("a.weight", expected_a)])
assert ddp.module.never.weight.grad is None, "a parameter no rank used must keep grad None"

ddp = DDP(TwoHeads().double())
ddp(x, "a").sum().backward()
try:
    ddp(x, "a")
except RuntimeError as error:
    assert "Expected to have finished reduction in the prior iteration" in str(error)
    assert "b.weight" in str(error) and "never.weight" in str(error)
else:
    raise AssertionError("an unused parameter without find_unused_parameters must be reported")

dist.destroy_process_group()
print(f"rank {rank}: ddp ok")
