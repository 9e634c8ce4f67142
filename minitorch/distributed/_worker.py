"""What each rank runs under ``minitorch.distributed.run``: set torchrun's variables, run the script.

``mpiexec`` starts N copies of this module. MPI's process manager tells each one its place
(``PMI_RANK``, ``PMI_SIZE``, ``MPI_LOCALRANKID``); scripts written for torchrun read ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK`` before they call ``init_process_group``, so those are set
first. If the script raises, this rank records what happened for the launcher's summary and aborts
the whole MPI job: the other ranks may be waiting in a collective for it and would hang forever.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback
from pathlib import Path


def _set_torchrun_variables():
    rank, size = int(os.environ.get("PMI_RANK", 0)), int(os.environ.get("PMI_SIZE", 1))
    local_rank = int(os.environ.get("MPI_LOCALRANKID", rank))
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(size), LOCAL_RANK=str(local_rank),
                      LOCAL_WORLD_SIZE=os.environ.get("MPI_LOCALNRANKS", os.environ.get("LOCAL_WORLD_SIZE", str(size))),
                      GROUP_RANK=str(rank // int(os.environ.get("LOCAL_WORLD_SIZE", size))))
    return rank, local_rank


def _report_failure(rank, local_rank, error):
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in (__file__, "<frozen runpy>"):
        tb = tb.tb_next  # start the traceback at the user's script, not at this launcher
    text = "".join(traceback.format_exception(type(error), error, tb))
    sys.stderr.write("".join(f"[rank{rank}]: {line}\n" for line in text.rstrip().splitlines()))
    sys.stderr.flush()
    folder = os.environ.get("MINITORCH_RUN_ERRORS")
    if folder:
        record = {"rank": rank, "local_rank": local_rank, "error": f"{type(error).__name__}: {error}", "traceback": text}
        Path(folder, f"rank{rank}.json").write_text(json.dumps(record))


def _abort():
    """End every rank of the job (only if this script brought MPI up; otherwise just exit)."""
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is not None and mpi.Is_initialized() and not mpi.Is_finalized():
        mpi.COMM_WORLD.Abort(1)
    os._exit(1)


def main(argv):
    rank, local_rank = _set_torchrun_variables()
    # Ranks share the terminal: flush each printed line as one write, so a student sees it at once
    # and two ranks' lines never splice. Unbuffered (python -u, PYTHONUNBUFFERED=1), print would
    # write a line's text and its newline apart, and another rank's line could land in between.
    sys.stdout.reconfigure(line_buffering=True, write_through=False)
    module = argv[0] == "-m"
    target = argv[1] if module else argv[0]
    sys.argv = argv[1:] if module else argv
    try:
        if module:
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            sys.path.insert(0, str(Path(target).resolve().parent))
            runpy.run_path(target, run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            _report_failure(rank, local_rank, exit_)
            _abort()
        raise
    except BaseException as error:  # KeyboardInterrupt too: the other ranks must not wait for us
        _report_failure(rank, local_rank, error)
        _abort()


if __name__ == "__main__":
    main(sys.argv[1:])
