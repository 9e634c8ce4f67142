"""The NCCL backend on CUDA tensors (one GPU per rank; a world of one on a single-GPU machine):
collectives against numpy and a DDP step equal to the CPU's. Run by test_distributed.py (cuda)."""

import numpy as np

import minitorch as torch
import minitorch.distributed as dist
from minitorch import nn

dist.init_process_group("nccl")
rank, world = dist.get_rank(), dist.get_world_size()
cuda = torch.device("cuda", torch.cuda.current_device())
values = [np.arange(6.0).reshape(2, 3) * (r + 1) for r in range(world)]

t = torch.tensor(values[rank], device=cuda)
dist.all_reduce(t)
assert np.array_equal(t.cpu().numpy(), sum(values)), t
t = torch.tensor(values[rank], device=cuda)
dist.broadcast(t, src=0)
assert np.array_equal(t.cpu().numpy(), values[0])
big = torch.zeros(2 * world, 3, dtype=torch.float64, device=cuda)
dist.all_gather_into_tensor(big, torch.tensor(values[rank], device=cuda))
assert np.array_equal(big.cpu().numpy(), np.concatenate(values))
piece = torch.zeros(3, dtype=torch.float64, device=cuda)
dist.reduce_scatter_tensor(piece, torch.tensor(np.concatenate(values), device=cuda).view(-1)[:3 * world])
assert np.array_equal(piece.cpu().numpy(), sum(np.concatenate(values).reshape(-1)[:3 * world]
                                               for _ in range(world))[3 * rank:3 * rank + 3])
w = dist.all_reduce(torch.ones(4, device=cuda), async_op=True)
assert w.wait() and w.is_completed()
try:
    dist.all_reduce(torch.ones(1))
except RuntimeError as error:
    assert "No backend type associated with device type cpu" in str(error)
else:
    raise AssertionError("the NCCL backend must refuse CPU tensors")

torch.manual_seed(0)
model = nn.Linear(3, 2).double()
ddp = nn.parallel.DistributedDataParallel(nn.Linear(3, 2).double().to(cuda).requires_grad_())
ddp.module.load_state_dict({k: v.to(cuda) for k, v in model.state_dict().items()})
x = torch.arange(6.0 * world, dtype=torch.float64).view(2 * world, 3)
ddp(x[2 * rank:2 * rank + 2].to(cuda)).pow(2).mean().backward()
model(x).pow(2).mean().backward()
assert np.allclose(ddp.module.weight.grad.cpu().numpy(), model.weight.grad.numpy(), atol=1e-12)
dist.destroy_process_group()
print(f"rank {rank}: nccl ok")
