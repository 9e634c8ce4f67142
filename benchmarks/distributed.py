"""``python -m benchmarks.distributed``: all-reduce time against message size, and DDP step time.

Starts the ranks with ``minitorch.distributed.run`` (2 by default), measures on them, and writes
``benchmarks/DISTRIBUTED_RESULTS.md``:

* all-reduce of float32 messages from 1 KiB to 64 MiB: median time, the bandwidth it implies,
  and the ring all-reduce model ``t = 2 (n - 1) a + 2 (n - 1) / n * bytes / B`` fitted to the
  measurements (a: latency per step, B: link bandwidth), as lecture 09 explains it;
* one DDP training step of the MNIST MLP (784-256-10, batch 64 per rank), with 1 and 2 ranks:
  time per step and samples per second.

Wall-clock medians (the ranks run in parallel, so CPU time would hide the waiting).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "benchmarks" / "DISTRIBUTED_RESULTS.md"
SIZES = [2 ** k for k in range(10, 27, 2)]  # bytes: 1 KiB .. 64 MiB


def _median_time(fn, repeat):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def worker(out):
    """Runs on every rank; rank 0 writes the figures to ``out``."""
    import minitorch as torch
    import minitorch.distributed as dist
    from minitorch import nn
    from minitorch.data import load_mnist5k

    dist.init_process_group("mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    allreduce = []
    for size in SIZES:
        t = torch.ones(size // 4)
        dist.barrier()
        allreduce.append((size, _median_time(lambda: dist.all_reduce(t), repeat=max(5, min(200, 2 ** 24 // size)))))
    images, labels = load_mnist5k()
    x = torch.tensor(images[:64 * world].reshape(-1, 784) / 255.0, dtype=torch.float32)[64 * rank:64 * (rank + 1)]
    y = torch.tensor(labels[:64 * world])[64 * rank:64 * (rank + 1)]
    torch.manual_seed(0)
    model = nn.parallel.DistributedDataParallel(nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    dist.barrier()
    ddp = _median_time(step, repeat=30)
    if rank == 0:
        Path(out).write_text(json.dumps({"world": world, "allreduce": allreduce, "ddp_step": ddp}))
    dist.destroy_process_group()


def _launch(ranks):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
        subprocess.run([sys.executable, "-m", "minitorch.distributed.run", "--nproc-per-node", str(ranks),
                        "-m", "benchmarks.distributed", "--worker", str(out)], env=env, cwd=ROOT, check=True)
        return json.loads(out.read_text())


def _fit_ring(allreduce, n):
    """Least squares for ``t = steps * a + traffic * bytes / B`` with the ring's step and traffic counts,
    on relative errors (each row divided by its time): the times span five orders of magnitude, and a
    plain fit would serve the largest message alone."""
    import numpy as np

    steps, traffic = 2 * (n - 1), 2 * (n - 1) / n
    times = np.array([t for _, t in allreduce])
    A = np.array([[steps, traffic * size] for size, _ in allreduce]) / times[:, None]
    (a, inv_b), *_ = np.linalg.lstsq(A, np.ones_like(times), rcond=None)
    return a, 1 / inv_b


def report(ranks):
    runs = {r: _launch(r) for r in (1, ranks)}
    multi = runs[ranks]
    a, bandwidth = _fit_ring(multi["allreduce"], ranks)
    n = ranks
    lines = [
        "# minitorch.distributed on this machine", "",
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}; MPI from the mpich wheel; "
        f"load average {os.getloadavg()[0]:.2f} at the end. Wall-clock medians. Written by "
        "`python -m benchmarks.distributed`.", "",
        f"## all-reduce, {n} ranks, float32", "",
        f"Ring model fitted to these points: a = {a * 1e6:.1f} us per step, B = {bandwidth / 1e9:.2f} GB/s "
        f"(t = 2(n-1) a + 2(n-1)/n * bytes / B).", "",
        "| message | time | algorithm bandwidth | ring model |", "| --- | --- | --- | --- |"]
    for size, t in multi["allreduce"]:
        model = 2 * (n - 1) * a + 2 * (n - 1) / n * size / bandwidth
        lines.append(f"| {size / 1024:,.0f} KiB | {t * 1e6:,.1f} us | {size / t / 1e9:.2f} GB/s | {model * 1e6:,.1f} us |")
    one, many = runs[1]["ddp_step"], multi["ddp_step"]
    lines += ["", "## DDP training step, MNIST MLP 784-256-10, batch 64 per rank", "",
              "| ranks | time per step | samples per second | scaling |", "| --- | --- | --- | --- |",
              f"| 1 | {one * 1e3:.2f} ms | {64 / one:,.0f} | 1.00x |",
              f"| {n} | {many * 1e3:.2f} ms | {64 * n / many:,.0f} | {64 * n / many / (64 / one):.2f}x |", "",
              f"With {os.cpu_count()} cores and {n} ranks, each rank has at most one core: the best possible "
              f"scaling here is {min(n, os.cpu_count())}x, less the all-reduce of the 203,530 gradients "
              "(0.8 MB) every step and whatever else runs on the machine."]
    REPORT.write_text("\n".join(lines) + "\n")
    print(REPORT.read_text())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
    else:
        report(args.ranks)
