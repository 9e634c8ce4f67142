"""``python -m minitorch.distributed.run``: torchrun's command line, starting the ranks with MPI.

    python -m minitorch.distributed.run --nproc-per-node 2 train.py --epochs 3

starts two processes of ``train.py`` through the MPI wheel's ``mpiexec``; each sees torchrun's
variables (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``, ``MASTER_ADDR``,
``MASTER_PORT``) and calls ``init_process_group``. If a rank raises, the job stops (every rank, not
only the failed one), and the launcher exits with status 1 and names the rank and its error.

Several machines: list them in an MPI hostfile (one ``host:slots`` a line), give ``--hostfile
FILE`` and ``--nnodes``, and start the launcher once, on one machine; MPI starts the ranks on the
others over ssh (the same Python environment must exist at the same path on every machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


def _parser():
    p = argparse.ArgumentParser(prog="python -m minitorch.distributed.run",
                                description="Start N processes of a training script (torchrun's flags), through MPI.")
    p.add_argument("--nproc-per-node", "--nproc_per_node", type=int, default=1, help="processes per machine")
    p.add_argument("--nnodes", type=int, default=1, help="number of machines (more than 1 needs --hostfile)")
    p.add_argument("--node-rank", "--node_rank", type=int, default=0, help="accepted for torchrun compatibility")
    p.add_argument("--master-addr", "--master_addr", default="127.0.0.1")
    p.add_argument("--master-port", "--master_port", type=int, default=29500)
    p.add_argument("--standalone", action="store_true", help="one machine (the default here)")
    p.add_argument("--hostfile", help="MPI hostfile naming the machines (host:slots per line)")
    p.add_argument("-m", "--module", action="store_true", help="run the script as a module (python -m)")
    p.add_argument("script", help="the training script (or module with -m)")
    p.add_argument("script_args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    return p


def mpiexec():
    """The MPI launcher of the environment this Python runs in (the mpich wheel puts it next to python)."""
    beside = Path(sys.executable).parent / "mpiexec"
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        raise ImportError('minitorch.distributed.run needs MPI\'s mpiexec: pip install "minitorch-kit[distributed]" '
                          '(installs mpi4py and the mpich wheel)')
    return found


def command(args):
    """The mpiexec command line that starts every rank of ``args`` (parsed flags)."""
    if args.nnodes > 1 and not args.hostfile:
        raise SystemExit("minitorch.distributed.run: --nnodes > 1 needs --hostfile (the machines to start ranks on)")
    cmd = [mpiexec(), "-n", str(args.nnodes * args.nproc_per_node)]
    if args.hostfile:
        cmd += ["-f", args.hostfile, "-ppn", str(args.nproc_per_node)]
    cmd += [sys.executable, "-m", "minitorch.distributed._worker"]
    return cmd + (["-m"] if args.module else []) + [args.script, *args.script_args]


def main(argv=None):
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="minitorch-run-") as errors:
        env = dict(os.environ, MASTER_ADDR=args.master_addr, MASTER_PORT=str(args.master_port),
                   LOCAL_WORLD_SIZE=str(args.nproc_per_node), MINITORCH_RUN_ERRORS=errors)
        # its own process group: Ctrl-C or a failure takes down mpiexec and every rank with it
        process = subprocess.Popen(command(args), env=env, start_new_session=True)
        try:
            code = process.wait()
        except KeyboardInterrupt:
            code = 130
        finally:
            _kill_group(process)
        failures = [json.loads(p.read_text()) for p in sorted(Path(errors).glob("rank*.json"))]
    for f in failures:
        print(f"minitorch.distributed.run: rank {f['rank']} (local_rank {f['local_rank']}) failed: {f['error']}",
              file=sys.stderr)
    if code and not failures:
        print(f"minitorch.distributed.run: the job failed (mpiexec exit code {code})", file=sys.stderr)
    return 1 if failures else code


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


if __name__ == "__main__":
    sys.exit(main())
