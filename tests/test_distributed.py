"""minitorch.distributed with real processes: the launcher starts 2-3 MPI ranks on this machine.

The scripts in tests/distributed/ check themselves on every rank (collectives against numpy,
DDP against single-process large-batch training) and raise on a mismatch; here we check that
every rank finished, and the launcher's behaviour when a rank fails."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import minitorch as torch
import minitorch.distributed as dist
from minitorch import nn
from minitorch.utils.data import DistributedSampler
from test_device_plumbing import fake_cuda  # noqa: F401  (the numpy stand-in for a cuda device)

pytest.importorskip("mpi4py", reason='needs the distributed extra: pip install "minitorch-kit[distributed]"')

HERE = Path(__file__).parent
ROOT = HERE.parent


def launch(*args, timeout=120, **env_vars):
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", **env_vars)
    return subprocess.run([sys.executable, "-m", "minitorch.distributed.run", *args], env=env, capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("ranks", [2, 3])
@pytest.mark.parametrize("script", ["collectives", "ddp"])
def test_script_passes_on_every_rank(script, ranks):
    result = launch("--nproc-per-node", str(ranks), str(HERE / "distributed" / f"{script}.py"))
    assert result.returncode == 0, result.stderr[-3000:]
    for r in range(ranks):
        assert f"rank {r}: " in result.stdout


def test_plain_mpiexec_runs_a_script():
    from minitorch.distributed.run import mpiexec

    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
    result = subprocess.run([mpiexec(), "-n", "2", sys.executable, str(HERE / "distributed" / "collectives.py")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rank 1: collectives ok" in result.stdout


def _processes_running(marker):
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(proc.name)
        except OSError:
            pass
    return found


def test_a_failing_rank_stops_the_job_and_is_named(tmp_path):
    script = tmp_path / "fails_on_rank_1.py"
    script.write_text(
        "import os, minitorch as torch, minitorch.distributed as dist\n"
        "dist.init_process_group('mpi')\n"
        "assert os.environ['RANK'] == str(dist.get_rank()) and os.environ['WORLD_SIZE'] == '2'\n"
        "assert os.environ['LOCAL_RANK'] == str(dist.get_rank()) and os.environ['MASTER_PORT'] == '29500'\n"
        "if dist.get_rank() == 1:\n"
        "    raise ValueError('bad batch on purpose')\n"
        "dist.all_reduce(torch.ones(1))   # rank 0 waits here for a rank that is gone\n")
    start = time.monotonic()
    result = launch("--nproc-per-node", "2", str(script), timeout=60)
    assert result.returncode == 1
    assert "rank 1 (local_rank 1) failed: ValueError: bad batch on purpose" in result.stderr
    assert "[rank1]: ValueError: bad batch on purpose" in result.stderr
    assert "rank 0 (" not in result.stderr  # the waiting rank was stopped, it did not fail
    assert time.monotonic() - start < 30
    time.sleep(0.2)
    assert _processes_running(str(script)) == [], "ranks left behind"


def test_script_arguments_and_module_mode(tmp_path):
    (tmp_path / "echo_args.py").write_text(
        "import sys, os, pathlib\n"
        "pathlib.Path(sys.argv[0]).with_name('rank' + os.environ['RANK']).write_text(repr(sys.argv[1:]))\n")
    result = launch("--nproc_per_node=2", str(tmp_path / "echo_args.py"), "--epochs", "3")
    assert result.returncode == 0, result.stderr
    assert [(tmp_path / f"rank{r}").read_text() for r in (0, 1)] == ["['--epochs', '3']"] * 2
    result = launch("--nproc-per-node", "2", "-m", "platform")  # python -m platform, twice
    assert result.returncode == 0 and len(result.stdout.strip().splitlines()) == 2


def test_ranks_printing_at_once_never_splice_lines(tmp_path):
    """Each printed line reaches the terminal whole, even with PYTHONUNBUFFERED=1 (Colab and CI set it)."""
    (tmp_path / "chatty.py").write_text(
        "import os\n"
        "for i in range(3000):\n"
        "    print(f'rank {os.environ[\"RANK\"]} line {i}')\n")
    result = launch("--nproc-per-node", "2", str(tmp_path / "chatty.py"), PYTHONUNBUFFERED="1")
    assert result.returncode == 0, result.stderr
    expected = {f"rank {r} line {i}" for r in (0, 1) for i in range(3000)}
    assert sorted(result.stdout.splitlines()) == sorted(expected)


# ---- single-process behaviour: no MPI job needed ------------------------------------------------

def test_calls_before_init_raise_torchs_error():
    assert not dist.is_initialized() and dist.is_available()
    message = "Default process group has not been initialized, please make sure to call init_process_group."
    for call in (dist.get_rank, dist.get_world_size, dist.barrier, lambda: dist.all_reduce(torch.ones(1))):
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(ValueError, match="Invalid backend"):
        dist.init_process_group("carrier-pigeon")


@pytest.mark.usefixtures("fake_cuda")
def test_world_of_one_and_argument_checks(monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    monkeypatch.delenv("RANK", raising=False)
    with pytest.raises(ValueError, match="world_size=2 but MPI started this process as rank 0 of 1"):
        dist.init_process_group("mpi", world_size=2)
    dist.init_process_group("gloo")  # torch's CPU backend name runs on MPI
    try:
        assert (dist.get_rank(), dist.get_world_size(), dist.get_backend()) == (0, 1, "mpi")
        t = torch.arange(4.0)
        dist.all_reduce(t, op=dist.ReduceOp.AVG)
        assert t.tolist() == [0.0, 1.0, 2.0, 3.0]
        with pytest.raises(RuntimeError, match="No backend type associated with device type cuda"):
            dist.all_reduce(torch.ones(1, device="cuda"))  # the MPI backend takes CPU tensors
    finally:
        dist.destroy_process_group()
    assert repr(dist.ReduceOp.SUM) == "<RedOpType.SUM: 0>"


# DistributedSampler: torch 2.13's orders for seed 3 (printed by torch, pasted here)
@pytest.mark.parametrize("n, replicas, drop_last, shuffle, expected", [
    (10, 3, False, True, [[6, 7, 1, 4], [0, 8, 9, 6], [3, 5, 2, 0]]),
    (10, 3, True, True, [[6, 7, 1], [0, 8, 9], [3, 5, 2]]),
    (5, 2, False, False, [[0, 2, 4], [1, 3, 0]]),
    (2, 4, False, True, [[0], [1], [0], [1]]),
    (7, 2, False, True, [[5, 4, 0, 1], [3, 6, 2, 5]]),
])
def test_distributed_sampler_order_is_torchs(n, replicas, drop_last, shuffle, expected):
    samplers = [DistributedSampler(range(n), num_replicas=replicas, rank=r, shuffle=shuffle, seed=3,
                                   drop_last=drop_last) for r in range(replicas)]
    assert [list(s) for s in samplers] == expected
    assert all(len(s) == len(expected[0]) for s in samplers)


def test_distributed_sampler_epochs_and_errors():
    s = DistributedSampler(range(10), num_replicas=2, rank=0)
    first = list(s)
    s.set_epoch(1)
    assert list(s) != first and sorted(list(s) + list(DistributedSampler(range(10), 2, 1))) != []
    s.set_epoch(0)
    assert list(s) == first
    with pytest.raises(ValueError, match=r"Invalid rank 2, rank should be in the interval \[0, 1\]"):
        DistributedSampler(range(10), num_replicas=2, rank=2)


def test_sync_batchnorm_without_a_process_group_is_batchnorm():
    torch.manual_seed(0)
    x = torch.randn(6, 3, 4, dtype=torch.float64)
    plain = nn.BatchNorm1d(3).double()
    model = nn.SyncBatchNorm.convert_sync_batchnorm(nn.Sequential(nn.BatchNorm1d(3).double()))
    assert isinstance(model[0], nn.SyncBatchNorm)
    assert torch.equal(model(x), plain(x)) and torch.equal(model[0].running_var, plain.running_var)
    with pytest.raises(ValueError, match="expected at least 2D input"):
        model(torch.ones(3, dtype=torch.float64))


def test_ddp_needs_parameters_that_require_grad():
    with pytest.raises(RuntimeError, match="DistributedDataParallel is not needed"):
        nn.parallel.DistributedDataParallel(nn.ReLU())


def test_post_accumulate_grad_hook():
    x = torch.ones(2, requires_grad=True)
    seen = []
    handle = x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    (x * 3).sum().backward()
    (x * 2).sum().backward()
    handle.remove()
    (x * 2).sum().backward()
    assert seen == [[3.0, 3.0], [5.0, 5.0]] and x.grad.tolist() == [7.0, 7.0]
    with pytest.raises(RuntimeError, match="cannot be registered on non-leaf tensors"):
        (x * 2).register_post_accumulate_grad_hook(print)


@pytest.mark.cuda
def test_nccl_backend_on_gpus():
    pytest.importorskip("cupy")
    if not torch.cuda.is_available():
        pytest.skip("needs an NVIDIA GPU")
    ranks = max(1, min(torch.cuda.device_count(), 4))
    result = launch("--nproc-per-node", str(ranks), str(HERE / "distributed" / "nccl.py"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert all(f"rank {r}: nccl ok" in result.stdout for r in range(ranks))
