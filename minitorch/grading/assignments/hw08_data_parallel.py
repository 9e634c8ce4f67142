"""hw08_data_parallel: ``ring_all_reduce`` over a ``SimulatedGroup`` of workers, then
``average_gradients`` and ``data_parallel_step``; judged by the values (every worker ends with the
sum), the traffic (a ring's: each worker sends ``2 (W - 1) / W`` of the tensor) and by comparing
data-parallel training with large-batch SGD on the concatenated batch.

The workers are simulated in one process: ``tensors[r]`` is worker ``r``'s memory, and a worker
may learn another's numbers only through ``group.send`` / ``group.recv``, the shape of
``torch.distributed``'s point-to-point calls. With a real process group, the body of the loop over
ranks becomes one process's code (``rank = dist.get_rank()``), ``group.send(t, rank, dst)``
becomes ``dist.send(t, dst)`` and ``group.recv(src, rank)`` becomes ``dist.recv(buffer, src)``."""

import copy

import numpy as np

import minitorch as torch
from minitorch import nn

from ..spec import Assignment


class SimulatedGroup:
    """``world_size`` workers in one process that exchange tensors only by messages.

    ``send(tensor, src, dst)`` posts a copy of ``tensor`` from worker ``src`` to worker ``dst``;
    ``recv(src, dst)`` hands worker ``dst`` the oldest message ``src`` sent it. ``sent[r]`` counts
    the numbers worker ``r`` has sent.

    >>> group = SimulatedGroup(2)
    >>> group.send(torch.tensor([1.0, 2.0]), 0, 1)
    >>> group.recv(0, 1), group.sent
    (tensor([1., 2.]), [2, 0])
    """

    def __init__(self, world_size):
        self.world_size = world_size
        self.sent = [0] * world_size
        self._mailboxes = {}

    def send(self, tensor, src, dst):
        self._mailboxes.setdefault((src, dst), []).append(tensor.detach().clone())
        self.sent[src] += tensor.numel()

    def recv(self, src, dst):
        waiting = self._mailboxes.get((src, dst))
        if not waiting:
            raise RuntimeError(f"worker {dst} waits for a message from worker {src}, but none was sent")
        return waiting.pop(0)


def split_views(tensor, parts):
    """``tensor`` (contiguous) cut into ``parts`` consecutive flat views of nearly equal sizes
    (the first ones one element longer); some are empty when it has fewer elements than parts.
    Writing into a view writes into ``tensor``.

    >>> [v.tolist() for v in split_views(torch.arange(5.0), 3)]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    """
    flat, (size, extra) = tensor.view(-1), divmod(tensor.numel(), parts)
    starts = [k * size + min(k, extra) for k in range(parts + 1)]
    return [flat.narrow(0, start, end - start) for start, end in zip(starts, starts[1:])]


def _sum_all_reduce(group, tensors):
    total = sum(t.clone() for t in tensors)
    for t in tensors:
        t.copy_(total)


def _average_gradients(group, models):
    for params in zip(*(m.parameters() for m in models)):
        mean = sum(p.grad for p in params) / len(params)
        for p in params:
            p.grad.copy_(mean)


def _large_batch_step(group, models, optimizers, batches, loss_fn):
    """SGD on the concatenated batch with the first worker's model, then every worker gets its
    parameters: what data-parallel training must reproduce."""
    model, optimizer = models[0], optimizers[0]
    inputs, targets = torch.cat([x for x, _ in batches]), torch.cat([y for _, y in batches])
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        for other in models[1:]:
            for p, q in zip(model.parameters(), other.parameters()):
                q.copy_(p)
    return loss.item()


hw = Assignment(
    "hw08_data_parallel",
    title="Data-parallel training with an all-reduce",
    lecture="09_frameworks_gpus_and_graphs",
    reference={"ring_all_reduce": _sum_all_reduce, "average_gradients": _average_gradients,
               "data_parallel_step": _large_batch_step},
)


def _tensor(seed, *shape):
    return torch.tensor(np.random.default_rng(seed).normal(size=shape))


def all_reduced(ring_all_reduce, world_size, shape, seed):
    """Every worker's tensor after ``ring_all_reduce`` (a fresh group), and the group."""
    group, tensors = SimulatedGroup(world_size), [_tensor(seed + r, *shape) for r in range(world_size)]
    ring_all_reduce(group, tensors)
    return tensors, group


@hw.test(points=3, partial=True, own=("ring_all_reduce",),
         hint="after the call every worker holds the elementwise sum of all workers' tensors, in its own tensor "
              "(in place); it must work for any number of workers, even more workers than numbers")
def all_reduce_values(ring_all_reduce):
    cases = {"1 worker": (1, (4,)), "2 workers": (2, (6,)), "3 workers, 10 numbers": (3, (10,)),
             "4 workers, a (3, 5) tensor": (4, (3, 5)), "5 workers, 3 numbers": (5, (3,))}
    return {case: torch.stack(all_reduced(ring_all_reduce, w, shape, seed)[0])
            for seed, (case, (w, shape)) in enumerate(cases.items())}


def _traffic_judge(data):
    problems = []
    for case, result in data.items():
        world_size, numel, sent = result["workers"], result["numbers"], result["sent"]
        ring = 2 * (world_size - 1) * -(-numel // world_size)  # what each worker sends in a ring (chunks rounded up)
        if not result["sums"]:
            problems.append(f"{case}: the workers do not all end with the sum")
        elif sum(sent) == 0:
            problems.append(f"{case}: nothing went through the network, but a worker can only learn another's "
                            "numbers from a message")
        elif max(sent) > ring:
            problems.append(f"{case}: a worker sent {max(sent)} numbers; in a ring each sends at most {ring} "
                            f"(2 (W - 1) chunks of 1/W of the tensor)")
    return 1 - len(problems) / len(data), "; ".join(problems)


@hw.test(points=2, judge=_traffic_judge, own=("ring_all_reduce",), after=("all_reduce_values",),
         hint="a ring passes chunks to the next worker only: W - 1 rounds that add up one chunk each "
              "(reduce-scatter), then W - 1 rounds that pass the finished chunks on (all-gather)")
def ring_traffic(ring_all_reduce):
    results = {}
    for case, (world_size, numel) in {"4 workers, 1000 numbers": (4, 1000), "3 workers, 7 numbers": (3, 7)}.items():
        tensors, group = all_reduced(ring_all_reduce, world_size, (numel,), 11)
        expected = sum(_tensor(11 + r, numel) for r in range(world_size))
        results[case] = {"workers": world_size, "numbers": numel, "sent": group.sent,
                         "sums": all(bool(torch.allclose(t, expected)) for t in tensors)}
    return results


def small_model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()


def worker_batches(world_size, size, seed):
    rng = np.random.default_rng(seed)
    return [(torch.tensor(rng.normal(size=(size, 3))), torch.tensor(rng.integers(0, 2, size)))
            for _ in range(world_size)]


@hw.test(points=2, own=("average_gradients",), after=("all_reduce_values",),
         hint="each worker computed the gradient of its own batch's mean loss: the full batch's gradient is "
              "the mean of those, and every worker must end with the same one")
def average_gradients(average_gradients):
    models = [small_model() for _ in range(3)]
    for model, (x, y) in zip(models, worker_batches(3, 4, 1)):
        nn.functional.cross_entropy(model(x), y).backward()
    average_gradients(SimulatedGroup(3), models)
    return [[p.grad for p in model.parameters()] for model in models]


def train_data_parallel(data_parallel_step, make_optimizer, steps=4, world_size=3):
    """Train identical copies with ``data_parallel_step``; every worker's parameters after each
    step, and the losses it returned."""
    model = small_model()
    models = [copy.deepcopy(model) for _ in range(world_size)]
    optimizers = [make_optimizer(m.parameters()) for m in models]
    group, history, losses = SimulatedGroup(world_size), [], []
    for step in range(steps):
        losses.append(float(data_parallel_step(group, models, optimizers, worker_batches(world_size, 4, 20 + step),
                                               nn.functional.cross_entropy)))
        history.append([torch.cat([p.detach().reshape(-1) for p in m.parameters()]) for m in models])
    return {"parameters": [torch.stack(h) for h in history], "losses": losses}


@hw.test(points=3, rtol=1e-6, atol=1e-9, own=("data_parallel_step",), after=("average_gradients",),
         hint="each worker clears its gradients, runs forward and backward on its own batch, then the gradients "
              "are averaged and only then every worker steps: the result is large-batch SGD, on every worker")
def equals_large_batch(data_parallel_step):
    return train_data_parallel(data_parallel_step, lambda params: torch.optim.SGD(params, lr=0.5, momentum=0.9))
