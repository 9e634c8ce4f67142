"""Run one test of one notebook in a fresh, limited subprocess.

The parent (``run``) makes a temporary folder with a private copy of the minitorch package, and
starts ``python -I -S`` there in its own process group, with a minimal environment, stdin closed and
output going to files. The child (``child``) limits its own memory (RLIMIT_AS), CPU time and file
sizes, bans the library functions the assignment asks students to write, runs the notebook's
code cells (a cell that raises is recorded and the next one runs), runs the test's probe and
writes the outcome - plain JSON data - to ``result.json``. The parent kills the whole process
group on the wall-clock timeout and reads the result as untrusted data; judging happens there.

What it does not do: hide the file system. Student code runs as the grading user and can read
what that user can (even the parent's command line through /proc). The solutions' path is never
given to the child (not in argv, env, cwd or ``sys.path``, and minitorch is imported from the
copy), so a notebook that looks for ``../solutions`` finds nothing. The interpreter's own
``site-packages`` must stay on ``sys.path`` (numpy lives there): when the virtual environment sits
inside the instructor's checkout, its path names that checkout. To keep a determined student out,
run the grader as a user, or in a container, that cannot read the solutions. The limits use
Linux's ``resource`` module; elsewhere only the timeout applies.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The child starts with -I (no PYTHON* variables, no current folder on sys.path) and -S: the
# installed packages are added by hand, without running their .pth files - an editable install's
# .pth would put the repository (and its solutions/) on sys.path.
_BOOT = ("import os, sys; sys.path.insert(0, sys.argv[1]); sys.path += sys.argv[2].split(os.pathsep); "
         "from minitorch.grading.sandbox import child; child(sys.argv[3])")
_RESULT_LIMIT = 32 * 2 ** 20  # bytes of result.json the parent will read
_FILE_LIMIT = 64 * 2 ** 20  # the largest file (output included) the child may write


@dataclass
class Limits:
    timeout: float = 20.0  # wall-clock seconds per test
    memory_mb: int = 4096  # address space
    cpu_s: int | None = None  # CPU seconds; default: the timeout plus a little


def run(cells, assignment, test, hidden_source="", limits=Limits()):
    """Run ``test`` (a name) of ``assignment`` after the notebook code ``cells``; return the
    probe's outcome as decoded data (see ``spec.run_probe``), or a timeout/crashed outcome."""
    import minitorch

    with tempfile.TemporaryDirectory(prefix="minitorch-grade-", ignore_cleanup_errors=True) as tmp:
        tmp = Path(tmp)
        shutil.copytree(Path(minitorch.__file__).parent, tmp / "site" / "minitorch")
        (tmp / "work").mkdir()
        job = {"cells": cells, "assignment": assignment, "test": test, "hidden_source": hidden_source,
               "result": str(tmp / "work" / "result.json"), "memory_mb": limits.memory_mb,
               "cpu_s": limits.cpu_s or int(limits.timeout) + 2}
        (tmp / "job.json").write_text(json.dumps(job))
        env = {"PATH": os.defpath, "HOME": str(tmp / "work"), "TMPDIR": str(tmp / "work"), "LANG": "C.UTF-8",
               "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        with open(tmp / "output.txt", "w+b") as output:
            packages = os.pathsep.join(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages"))
            process = subprocess.Popen([sys.executable, "-I", "-S", "-c", _BOOT, str(tmp / "site"), packages,
                                        str(tmp / "job.json")],
                                       cwd=tmp / "work", env=env, stdin=subprocess.DEVNULL, stdout=output,
                                       stderr=subprocess.STDOUT, start_new_session=True)
            try:
                process.wait(timeout=limits.timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
            _kill_group(process)
            tail = _tail(output)
        if timed_out:
            return {"status": "timeout", "message": f"still running after {limits.timeout:g} s"}
        if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # RLIMIT_CPU
            return {"status": "timeout", "message": f"used more than {job['cpu_s']} s of CPU time"}
        return _read_result(Path(job["result"]), process.returncode, tail)


def _kill_group(process):
    """Kill the child and anything it started in its process group, then reap the child."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _tail(output, size=600):
    output.seek(0, os.SEEK_END)
    output.seek(max(0, output.tell() - size))
    return output.read().decode("utf-8", "replace").strip()


def _read_result(path, returncode, tail):
    from .spec import decode

    if returncode < 0:
        signals = {s.value: s.name for s in signal.Signals}
        return {"status": "crashed", "message": f"killed by signal {signals.get(-returncode, -returncode)}"}
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a fifo or a link: refuse to open it
            raise OSError("not a regular file")
        with open(path, "rb") as f:
            text = f.read(_RESULT_LIMIT + 1)
        if len(text) > _RESULT_LIMIT:
            raise ValueError("result too large")
        outcome = json.loads(text)
        if outcome["status"] == "ok":
            outcome["data"] = decode(outcome["data"])
        else:
            outcome = {"status": str(outcome["status"]), "message": str(outcome.get("message", ""))[:1000]}
        if outcome["status"] not in ("ok", "failed", "not attempted"):
            raise ValueError("unknown status")
        return outcome
    except Exception:  # anything unreadable: the notebook died before reporting, or forged nonsense
        detail = f" ({tail.splitlines()[-1][:300]})" if tail else ""
        return {"status": "crashed", "message": f"exited with code {returncode} before the test reported{detail}"}


# ---- the child: runs in the sandbox --------------------------------------------------------

def child(job_path):
    """Entry point of the sandboxed process (see the module docstring)."""
    job = json.loads(Path(job_path).read_text())
    _limit(job["memory_mb"], job["cpu_s"])
    from . import assignments, spec
    from .ban import banned

    spec.GRADING = True
    hw = assignments.load(job["assignment"])
    namespace = {"__name__": "__main__", "display": print}
    errors = []
    with banned(hw.banned, hw.name):
        for number, code in enumerate(job["cells"], 1):
            try:
                exec(compile(code, f"<cell {number}>", "exec"), namespace)
            except BaseException as error:  # the notebook goes on, as Jupyter's "run all" with errors allowed
                errors.append(spec.describe_error(error))
                print(f"cell {number} raised {errors[-1]}", file=sys.stderr)
        tests = hw.tests + spec.collect_hidden_tests(hw.name, job["hidden_source"])
        test = next(t for t in tests if t.name == job["test"])
        outcome = spec.run_probe(test, namespace, errors)
    Path(job["result"]).write_text(json.dumps(outcome))
    sys.stdout.flush()
    os._exit(0)  # skip atexit handlers and finalizers the notebook may have left behind


def _limit(memory_mb, cpu_s):
    try:
        import resource
    except ImportError:  # not on Linux/macOS: the parent's timeout is the only limit
        return
    for which, value in ((resource.RLIMIT_AS, memory_mb * 2 ** 20), (resource.RLIMIT_CPU, cpu_s),
                         (resource.RLIMIT_FSIZE, _FILE_LIMIT), (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):  # a limit this system does not support or allow
            pass
