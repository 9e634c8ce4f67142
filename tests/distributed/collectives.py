"""Every collective of minitorch.distributed against a numpy reference (run by test_distributed.py
under the launcher with 2 and 3 ranks). Each rank's data is a known function of its rank, so every
rank can compute what every collective must give. A failed check raises: the launcher names the rank."""

import warnings

import numpy as np

import minitorch as torch
import minitorch.distributed as dist


def data(rank, shape=(2, 3), dtype=torch.float64):
    """Rank ``rank``'s input: distinct values per rank and element."""
    values = np.arange(int(np.prod(shape))).reshape(shape) * (rank + 1) + rank
    return torch.tensor(values % 7 if dtype is torch.bool else values, dtype=dtype)


def check(name, tensor, expected):
    got = tensor.numpy()
    if got.shape != expected.shape or not np.array_equal(got, expected.astype(got.dtype)):
        raise AssertionError(f"{name}: got {got.tolist()}, expected {expected.tolist()}")


dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
everyone = [data(r).numpy() for r in range(world)]

# all_reduce: every op, several dtypes, a non-contiguous tensor, async
reductions = {"SUM": np.sum, "PRODUCT": np.prod, "MIN": np.min, "MAX": np.max}
for dtype in (torch.float32, torch.float64, torch.int64):
    stacked = np.stack([data(r, dtype=dtype).numpy() for r in range(world)])
    for op, ref in reductions.items():
        t = data(rank, dtype=dtype)
        dist.all_reduce(t, op=getattr(dist.ReduceOp, op))
        check(f"all_reduce {op} {dtype}", t, ref(stacked, axis=0))
    t = data(rank, dtype=dtype)
    dist.all_reduce(t, op=dist.ReduceOp.AVG)
    check(f"all_reduce AVG {dtype}", t, stacked.sum(0) / world if dtype.is_floating_point else stacked.sum(0) // world)
bools = np.stack([data(r, dtype=torch.bool).numpy() for r in range(world)])
for op, ref in {"SUM": np.any, "MAX": np.any, "MIN": np.all, "PRODUCT": np.all}.items():
    t = data(rank, dtype=torch.bool)
    dist.all_reduce(t, op=getattr(dist.ReduceOp, op))
    check(f"all_reduce {op} bool", t, ref(bools, axis=0))
t = data(rank, (3, 2)).t()  # non-contiguous: reduced through a copy, written back in place
version = t._version
dist.all_reduce(t)
check("all_reduce non-contiguous", t, sum(data(r, (3, 2)).numpy() for r in range(world)).T)
assert t.stride() == (1, 2) and t._version > version
work = dist.all_reduce(data(rank), async_op=True)
assert work.wait() is True and work.is_completed()
check("async all_reduce result", work.result()[0], sum(everyone))

# broadcast, reduce (world ranks as src/dst)
for root in range(world):
    t = data(rank)
    dist.broadcast(t, src=root)
    check(f"broadcast from {root}", t, everyone[root])
    t = data(rank)
    dist.reduce(t, dst=root, op=dist.ReduceOp.MAX)
    check(f"reduce to {root}", t, np.max(everyone, axis=0) if rank == root else everyone[rank])

# gathers and scatters
out = [torch.zeros(2, 3, dtype=torch.float64) for _ in range(world)]
dist.all_gather(out, data(rank))
for r in range(world):
    check(f"all_gather [{r}]", out[r], everyone[r])
big = torch.zeros(world * 2, 3, dtype=torch.float64)
dist.all_gather_into_tensor(big, data(rank))
check("all_gather_into_tensor", big, np.concatenate(everyone))
piece = torch.zeros(2, dtype=torch.float64)
dist.reduce_scatter_tensor(piece, torch.arange(2.0 * world, dtype=torch.float64) * (rank + 1))
check("reduce_scatter_tensor", piece, (np.arange(2.0 * world) * sum(range(1, world + 1)))[2 * rank:2 * rank + 2])
root = world - 1
gathered = [torch.zeros(2, 3, dtype=torch.float64) for _ in range(world)] if rank == root else None
dist.gather(data(rank), gathered, dst=root)
if rank == root:
    for r in range(world):
        check(f"gather [{r}]", gathered[r], everyone[r])
t = torch.zeros(2, 3, dtype=torch.float64)
dist.scatter(t, [data(r) for r in range(world)] if rank == 0 else None, src=0)
check("scatter", t, everyone[rank])
dist.barrier()

# point to point: a ring, blocking and not
right, left = (rank + 1) % world, (rank - 1) % world
received = torch.zeros(2, 3, dtype=torch.float64)
sending = dist.isend(data(rank), dst=right, tag=7)
receiving = dist.irecv(received, src=left, tag=7)
sending.wait()
receiving.wait()
check("isend/irecv ring", received, everyone[left])
if rank == 0:
    for r in range(1, world):
        t = torch.zeros(2, 3, dtype=torch.float64)
        sender = dist.recv(t)  # from any rank
        check(f"recv from {sender}", t, everyone[sender])
else:
    dist.send(data(rank), dst=0)

# groups: world ranks in src/dst, non-members get -1 / None
evens = dist.new_group([r for r in range(world) if r % 2 == 0])
if rank % 2 == 0:
    t = data(rank)
    dist.all_reduce(t, group=evens)
    check("all_reduce on a group", t, sum(everyone[r] for r in range(0, world, 2)))
    assert dist.get_rank(evens) == rank // 2 and dist.get_world_size(evens) == (world + 1) // 2
else:
    assert evens is dist.GroupMember.NON_GROUP_MEMBER and dist.get_rank(evens) == -1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert dist.all_reduce(data(rank), group=evens) is None
    assert "does not belong to the given group" in str(caught[0].message)


# errors as torch raises them
def raises(kind, text, call):
    try:
        call()
    except kind as error:
        assert text in str(error), f"{text!r} not in {error!r}"
    else:
        raise AssertionError(f"no {kind.__name__} for {text!r}")


raises(ValueError, "twice", lambda: dist.init_process_group("mpi"))
raises(TypeError, "Expected parameter `tensor` of type torch.Tensor", lambda: dist.all_reduce([1.0, 2.0]))
raises(RuntimeError, f"invalid output tensor list at index 0 (expected length {world}, got 1)",
       lambda: dist.all_gather([torch.zeros(2, 3)], torch.zeros(2, 3)))
raises(RuntimeError, "invalid tensor size at index 0 (expected (2, 3), got (4,))".replace(",)", ")"),
       lambda: dist.all_gather([torch.zeros(4)] * world, torch.zeros(2, 3)))
raises(ValueError, "different dtypes", lambda: dist.all_gather([torch.zeros(2, dtype=torch.float64)] * world,
                                                               torch.zeros(2)))
raises(RuntimeError, f"must have world_size ({world}) times as many elements as the tensor of size (3)",
       lambda: dist.all_gather_into_tensor(torch.zeros(5), torch.zeros(3)))
raises(RuntimeError, "invalid root rank", lambda: dist.broadcast(torch.zeros(1), group_src=world))
raises(ValueError, f"Global rank {world} is not part of group", lambda: dist.broadcast(torch.zeros(1), src=world))
raises(ValueError, "should not be the same as the rank of the current process", lambda: dist.send(torch.zeros(1), rank))
raises(ValueError, "``gather_list`` must be specified on destination rank",
       lambda: dist.gather(torch.zeros(1), None, dst=rank))
raises(ValueError, "``scatter_list`` must NOT be specified on non-source ranks",
       lambda: dist.scatter(torch.zeros(1), [torch.zeros(1)] * world, src=(rank + 1) % world))
dist.barrier()
dist.destroy_process_group()
assert not dist.is_initialized()
print(f"rank {rank}: collectives ok")
