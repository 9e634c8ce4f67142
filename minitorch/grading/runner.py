"""The sandboxed side of grading: run one notebook once, then each test in a fork of that state.

``sandbox.run`` starts ``main`` inside the sandbox (bubblewrap, or a plain limited subprocess) and
talks to it over three pipes; nothing travels through a file:

* **stdin** brings the job, one JSON line: the notebook's code cells, the assignment, the test
  names and the limits. A second line, sent only once the cells have run, brings the source of
  the hidden tests, so no cell of the notebook can read them from anywhere;
* **stdout/stderr** is whatever the notebook prints (the grader keeps its start and end);
* **the result pipe** (the file descriptor given on the command line) carries JSON lines back:
  ``{"cell": n}`` before each cell, ``{"cells": "done", ...}`` after them, one
  ``{"test": name, "status": ...}`` per test, and last ``{"cpu_s": ...}``. The grader reads them
  with a size and a time limit and trusts none of it: it only judges the plain data in them.

Each test runs in its own ``fork()`` of the process that ran the cells: the notebook runs once,
and a test that crashes, loops or mangles the namespace cannot touch the next one.

IPython syntax behaves as in Jupyter: ``%%writefile`` writes its file, ``!cmd`` and ``%%bash``
run in the sandbox's shell (without network under bubblewrap), ``%%capture`` hides output,
``%time``/``%%time`` just run the code, and display-only magics (``%matplotlib``, ``%%html``...) do
nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import select
import shlex
import signal
import subprocess
import sys
import time
import tokenize

_TEST_RESULT_LIMIT = 8 * 2 ** 20  # bytes one test may send back (the grader has its own limit too)
_FILE_LIMIT = 64 * 2 ** 20  # the largest file the notebook may write

# indent, optional targets ("x = ", "a, b = "), ! or %, the rest. Targets are names separated by commas
# (a comma is required between two): with an optional comma the pattern backtracked exponentially on
# ordinary long lines ("import matplotlib.pyplot as plt" took 25 s).
_LINE_MAGIC = re.compile(r"^(\s*)((?:[\w.\[\]]+\s*,\s*)*[\w.\[\]]+\s*=(?!=)\s*)?([!%])(.*)$")
_DISPLAY_ONLY = {"html", "markdown", "latex", "javascript", "js", "svg", "script"}
_RUN_BODY = {"time", "timeit", "prun", "capture"}


def main(result_fd):
    """Entry point inside the sandbox: read the job from stdin, report on ``result_fd``."""
    result = os.fdopen(result_fd, "w", buffering=1)
    jobs = os.fdopen(os.dup(0), "rb")  # the job arrives on stdin; the notebook's input() gets end-of-file
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    job = json.loads(jobs.readline())
    for stream in (sys.stdout, sys.stderr):  # a pipe: without this, a crash would lose what was printed
        stream.reconfigure(line_buffering=True)
    sys.path.insert(1, os.getcwd())  # as in Jupyter, modules the notebook writes (%%writefile) can be imported
    _limit(job["memory_mb"], job["cpu_s"], job.get("processes"))
    from . import assignments, spec

    spec.GRADING = True  # check() and the notebook's own hidden tests do nothing here
    hw = assignments.load(job["assignment"])
    namespace = {"__name__": "__main__", "display": print, "_grading_shell": shell}
    errors = []
    for number, source in enumerate(job["cells"], 1):
        print(json.dumps({"cell": number}), file=result)
        try:
            run_cell(number, source, namespace)
        except BaseException as error:  # the notebook goes on, as Jupyter's "run all" with errors allowed
            errors.append(spec.describe_error(error))
            print(f"cell {number} raised {errors[-1]}", file=sys.stderr)
    _flush()
    print(json.dumps({"cells": "done", "errors": errors[:20]}), file=result)
    os.set_blocking(jobs.fileno(), True)  # in case a cell made it non-blocking
    hidden = json.loads(jobs.readline() or b"{}").get("hidden", "")
    tests = {t.name: t for t in hw.tests + spec.collect_hidden_tests(hw.name, hidden)}
    for name in job["tests"]:
        outcome = run_test(tests[name], namespace, errors, job["timeout"]) if name in tests else \
            {"status": "crashed", "message": f"the sandbox has no test {name!r}"}
        print(json.dumps({"test": name, **outcome}), file=result)
    _flush()
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(json.dumps({"cpu_s": sum(u.ru_utime + u.ru_stime for u in usage)}), file=result)  # for benchmarks
    os._exit(0)  # skip atexit handlers and finalizers the notebook may have left behind


def run_test(test, namespace, cell_errors, timeout):
    """Run ``test``'s probe in a fork of this process; its outcome (see ``spec.run_probe``), or a
    timeout/crashed outcome naming the test."""
    from . import spec

    read, write = os.pipe()
    _flush()
    pid = os.fork()
    if pid == 0:  # the test's own process: a copy of the notebook's state
        try:
            os.close(read)
            os.setpgid(0, 0)  # its own group, so that what it starts is stopped with it
            data = json.dumps(spec.run_probe(test, namespace, cell_errors)).encode()
        except BaseException as error:  # even json.dumps of odd data: this test fails, not the runner
            data = json.dumps({"status": "failed", "message": f"{type(error).__name__}: {str(error)[:300]}"}).encode()
        _flush()
        with contextlib.suppress(OSError):
            for start in range(0, len(data), 65536):
                os.write(write, data[start:start + 65536])
        os._exit(0)
    os.close(write)
    os.set_blocking(read, False)
    data, deadline, status, eof = bytearray(), time.monotonic() + timeout, None, False
    while status is None and len(data) <= _TEST_RESULT_LIMIT:  # until the test exits (a process it
        left = deadline - time.monotonic()  # forked may hold the pipe open), overflows or times out
        if left <= 0:
            break
        if eof:
            time.sleep(min(left, 0.02))
        elif select.select([read], [], [], min(left, 0.05))[0]:
            eof = not _read_into(data, read)
        finished, code = os.waitpid(pid, os.WNOHANG)
        if finished:
            status = code
            while not eof and _read_into(data, read) and len(data) <= _TEST_RESULT_LIMIT:
                pass
    os.close(read)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)  # the test and anything it left in its group
    timed_out = status is None and len(data) <= _TEST_RESULT_LIMIT
    if status is None:
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"status": "timeout", "message": f"test {test.name!r} was still running after {timeout:g} s"}
    if len(data) > _TEST_RESULT_LIMIT:
        return {"status": "failed", "message": f"the result is larger than {_TEST_RESULT_LIMIT >> 20} MiB"}
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        return {"status": "timeout", "message": f"test {test.name!r} used up its CPU time"}
    if os.WIFSIGNALED(status):
        return {"status": "crashed", "message": f"test {test.name!r} was killed by signal "
                                                f"{signal.Signals(os.WTERMSIG(status)).name}"}
    try:
        return json.loads(data)
    except ValueError:
        return {"status": "crashed", "message": f"test {test.name!r} ended (exit code "
                                                f"{os.WEXITSTATUS(status)}) before it reported"}


def _read_into(data, fd):
    """Append what the pipe ``fd`` holds to ``data``; False at its end (or when nothing is left now)."""
    try:
        chunk = os.read(fd, 65536)
    except BlockingIOError:
        return False
    data += chunk
    return bool(chunk)


# ---- IPython syntax -----------------------------------------------------------------------

def run_cell(number, source, namespace):
    """Run one code cell as Jupyter would: cell magics handled here, line magics rewritten."""
    first, _, body = source.lstrip("\n").partition("\n")
    if first.startswith("%%"):
        magic, *args = shlex.split(first[2:]) or [""]
        if magic == "writefile":
            append = bool({"-a", "--append"} & set(args))
            path = next(a for a in args if not a.startswith("-"))
            with open(path, "a" if append else "w") as f:
                f.write(body if body.endswith("\n") else body + "\n")
            print(f"{'Appending to' if append else 'Writing'} {path}")
        elif magic in ("bash", "sh"):
            _flush()
            subprocess.run([magic], input=body, text=True, check=True)
        elif magic in _RUN_BODY:
            output = io.StringIO() if magic == "capture" else None
            with contextlib.redirect_stdout(output or sys.stdout), contextlib.redirect_stderr(output or sys.stderr):
                run_cell(number, body, namespace)
        elif magic not in _DISPLAY_ONLY:
            print(f"cell {number}: %%{magic} is not run by the grader", file=sys.stderr)
        return
    try:
        code = compile(source, f"<cell {number}>", "exec")
    except SyntaxError:  # only then look for IPython syntax: "% x" may continue a Python expression
        code = compile(python_source(source), f"<cell {number}>", "exec")
    exec(code, namespace)


def python_source(source):
    """``source`` with IPython line syntax made Python: ``!cmd`` and ``x = !cmd`` call the shell,
    ``%time stmt`` becomes ``stmt``, ``%pip``/``%conda`` go to the shell, other ``%`` lines do nothing.
    Indentation is kept, so a magic inside an ``if`` stays valid."""
    lines = []
    for line in source.splitlines():
        match = _LINE_MAGIC.match(line)
        if match and not _continues("\n".join(lines) + "\n"):
            indent, target, kind, rest = match.groups()
            target = target or ""
            name, _, arguments = rest.partition(" ")
            if kind == "!":
                line = f"{indent}{target}_grading_shell({rest!r}, capture={bool(target)})"
            elif name in ("time", "timeit", "prun"):
                line = f"{indent}{target}{arguments.lstrip()}" if arguments.strip() else f"{indent}pass"
            elif name in ("pip", "conda"):
                line = f"{indent}{target}_grading_shell({rest!r}, capture={bool(target)})"
            else:
                line = f"{indent}{target}None" if target else f"{indent}pass"
        lines.append(line)
    return "\n".join(lines)


def _continues(text):
    """True when Python ``text`` ends inside brackets or a string: the next line continues it."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(text).readline):
            pass
    except tokenize.TokenError:
        return True
    except SyntaxError:  # badly indented: not ours to judge, the compiler will say
        pass
    return False


def shell(command, capture=False):
    """``!command``: run it in the sandbox's shell; with ``x = !command``, its output lines."""
    _flush()
    done = subprocess.run(command, shell=True, text=True, stdout=subprocess.PIPE if capture else None,
                          errors="replace")
    return done.stdout.splitlines() if capture else None


# ---- limits --------------------------------------------------------------------------------

def _flush():
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def _limit(memory_mb, cpu_s, processes=None):
    """Address space, CPU seconds (per process: each test's fork starts afresh), file size, no core
    dumps and, where asked, processes. Skips what this system does not support or allow."""
    limits = [(resource.RLIMIT_AS, memory_mb * 2 ** 20), (resource.RLIMIT_CPU, cpu_s),
              (resource.RLIMIT_FSIZE, _FILE_LIMIT), (resource.RLIMIT_CORE, 0)]
    if processes:
        limits.append((resource.RLIMIT_NPROC, processes))
    for which, value in limits:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value))
