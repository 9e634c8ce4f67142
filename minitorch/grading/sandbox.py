"""Run one notebook's tests in a sandbox and bring back plain data, on bubblewrap when it can.

**bubblewrap** (``bwrap``, the engine Flatpak uses) puts the notebook in fresh Linux namespaces:

* a new PID namespace: when the sandbox ends, every process it started dies, ``setsid`` or
  not, and the grader's processes are invisible (no ``os.kill(os.getppid())``);
* no network, a new user (uid 65534, no capabilities, no further namespaces), IPC and hostname;
* a file system of its own: read-only views of the system (``/usr``, the loader's files in
  ``/etc``), of the Python installation and of the minitorch package, and one writable tmpfs
  (``/tmp``, the working folder, capped at ``Limits.disk_mb``). The submissions, the solutions,
  the hidden tests, the gradebook and the rest of the grader's files are simply not there, and
  any of them that lies inside a view is masked.

Where ``bwrap`` is missing or cannot create namespaces (some laptops, Colab), the same runner
starts as a plain subprocess in a private folder with a private copy of the package:
``"rlimits-only"``. The grader says so loudly (``fallback_warning``). That subprocess runs as the
grading user and can read, write and signal whatever that user can; daemons it leaves are killed
when it ends (the grader is their subreaper, ``_Children``).

Both ways the sandbox gets resource limits (``runner._limit``: memory, CPU, file size, and under
bubblewrap processes), a wall clock per phase, and pipes rather than files: the job goes in on
stdin, the notebook's output is kept only at its start and end, and the results come back as
JSON lines read with a size limit (see ``runner``). Judging happens in the grader, never here.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import i18n

INSTALL_BUBBLEWRAP = "sudo apt-get install bubblewrap"  # Debian/Ubuntu; Fedora: sudo dnf install bubblewrap

# The child starts with -I (no PYTHON* variables, no current folder on sys.path), -S (the installed
# packages are added by hand, without their .pth files: an editable install's .pth would put the
# repository, solutions/ included, on sys.path) and -B (no .pyc files: the package is read-only).
_BOOT = ("import os, sys; sys.path.insert(0, sys.argv[1]); sys.path += [p for p in sys.argv[2].split(os.pathsep) if p]; "
         "from minitorch.grading.runner import main; main(int(sys.argv[3]))")
_RESULT_LIMIT = 32 * 2 ** 20  # bytes of results the grader reads from one sandbox
_OUTPUT_KEPT = 4096  # bytes of the notebook's output kept from its start, and again from its end
_STARTUP_S = 30.0  # allowance for starting Python and importing numpy and minitorch on a loaded machine
_SANDBOX = "/sandbox/lib"  # where the package appears under bubblewrap


@dataclass
class Limits:
    timeout: float = 20.0  # wall-clock seconds for the notebook's cells, and again for each test
    memory_mb: int = 4096  # address space of each process
    cpu_s: int | None = None  # CPU seconds of each process; default: the timeout plus a little
    disk_mb: int = 256  # the sandbox's writable tmpfs (bubblewrap)
    processes: int = 256  # processes and threads (bubblewrap, not enforced when grading as root)


@dataclass(frozen=True)
class Isolation:
    """How submissions are isolated: ``kind`` is ``"bubblewrap"`` or ``"rlimits-only"``; ``reason``
    says why not bubblewrap, or what an old bwrap lacks."""

    kind: str
    reason: str = ""


@functools.cache
def detect():
    """The best ``Isolation`` this machine offers (found once per process)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Isolation("rlimits-only", "bwrap (bubblewrap) is not installed")
    try:
        done = subprocess.run([*_bwrap_options(bwrap, Limits(), []), "--", "/bin/sh", "-c", "true"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Isolation("rlimits-only", f"bwrap could not start ({error})")
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return Isolation("rlimits-only", f"bwrap does not work here ({why})")
    lacking = [_OPTIONAL[option] for option in _missing(bwrap)]
    return Isolation("bubblewrap", f"this bwrap is old: {', '.join(lacking)} (bubblewrap 0.8 or later closes that)"
                     if lacking else "")


_OPTIONAL = {"--disable-userns": "the sandbox may create user namespaces of its own",
             "--size": "the sandbox's tmpfs has no size cap (a disk bomb fills memory)"}


@functools.cache
def _missing(bwrap):
    """The options of ``_OPTIONAL`` this bwrap lacks (older versions; ``bwrap --help`` lists what it has)."""
    try:
        text = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        text = ""
    return tuple(option for option in _OPTIONAL if option not in text)


def isolation(mode="auto"):
    """``"auto"``: the best available; ``"bubblewrap"``: that or an error; ``"rlimits-only"``: the fallback."""
    if mode == "rlimits-only":
        return Isolation("rlimits-only", "asked for with --isolation rlimits-only")
    found = detect()
    if mode == "bubblewrap" and found.kind != "bubblewrap":
        raise OSError(f"--isolation bubblewrap, but {found.reason}; install it: {INSTALL_BUBBLEWRAP}")
    if mode not in ("auto", "bubblewrap"):
        raise ValueError(f"unknown isolation {mode!r}: auto, bubblewrap or rlimits-only")
    return found


def fallback_warning(found):
    """The loud warning printed once when grading without bubblewrap."""
    return ("!" * 78 + f"\nWARNING: NO SANDBOX ISOLATION: {found.reason}.\n"
            "Submissions run with resource limits only: each can read, write and signal whatever this user\n"
            "can (other submissions, the solutions, the gradebook, this grader).\n"
            f"Install bubblewrap to isolate them: {INSTALL_BUBBLEWRAP}\n" + "!" * 78)


# ---- one notebook ------------------------------------------------------------------------

def run(cells, assignment, tests, hidden_source="", limits=Limits(), found=None, hide=()):
    """``({test: outcome}, output)``: run the notebook's code ``cells`` once, then each of the
    ``tests`` (names) of ``assignment``, in a sandbox (``found``: an ``Isolation``; default the
    best available). ``hide``: paths the sandbox must not see. An outcome is the probe's data
    (see ``spec.run_probe``) or a timeout/crashed outcome.

    A test that takes the whole sandbox down (kills it, freezes it) costs that test only: the
    tests after it run in a fresh sandbox. A notebook whose cells never finish, or end the
    process, costs every test.
    """
    found = found or detect()
    outcomes, remaining, output = {}, list(tests), ""
    while remaining:
        reported, stage, ended, output = _run_once(cells, assignment, remaining, hidden_source, limits, found, hide)
        outcomes.update(reported)
        remaining = [t for t in remaining if t not in reported]
        if not remaining:
            break
        if stage != "tests":  # the notebook itself never got as far as the tests
            outcomes.update({t: ended for t in remaining})
            break
        outcomes[remaining.pop(0)] = ended  # the test that was running when the sandbox ended
    return outcomes, output


def _run_once(cells, assignment, tests, hidden_source, limits, found, hide):
    job = {"cells": cells, "assignment": assignment, "tests": tests, "timeout": limits.timeout,
           "memory_mb": limits.memory_mb, "cpu_s": limits.cpu_s or int(limits.timeout) + 2,
           "processes": limits.processes if found.kind == "bubblewrap" else None}
    with tempfile.TemporaryDirectory(prefix="minitorch-grade-", ignore_cleanup_errors=True) as tmp:
        read, write = os.pipe()
        try:
            process = _Children.start(lambda: _start(found, Path(tmp), limits, hide, write))
        finally:
            os.close(write)
        session = None
        try:
            session = _Session(process, read, json.dumps(job).encode() + b"\n", hidden_source, limits, len(cells))
            session.loop()
        finally:
            _stop(process, finished=session is not None and not (session.timed_out or session.overflow))
            os.close(read)
            _Children.done(process, sweep=found.kind != "bubblewrap")
    running = next((t for t in tests if t not in session.reported), None)  # the runner goes in order
    return session.reported, session.stage, session.ended(process.returncode, found, running), session.output()


def _start(found, tmp, limits, hide, result_fd):
    """Start the runner in the sandbox, with ``result_fd`` as its result pipe."""
    import minitorch

    package = Path(minitorch.__file__).resolve().parent
    env = {"PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
           "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1",
           "LANGUAGE": i18n.language()}  # the messages made in the sandbox speak the grader's language
    packages = os.pathsep.join(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages"))
    if found.kind == "bubblewrap":
        env.update(HOME="/tmp", TMPDIR="/tmp")
        command = _bwrap_options(shutil.which("bwrap"), limits, hide, package)
        command += [a for name, value in env.items() for a in ("--setenv", name, value)] + ["--"]
        site, cwd = _SANDBOX, None
    else:
        shutil.copytree(package, tmp / "site" / "minitorch", ignore=shutil.ignore_patterns("__pycache__"))
        (tmp / "work").mkdir()
        env.update(HOME=str(tmp / "work"), TMPDIR=str(tmp / "work"))
        command, site, cwd = [], str(tmp / "site"), tmp / "work"
    command += [sys.executable, "-I", "-S", "-B", "-c", _BOOT, site, packages, str(result_fd)]
    return subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, pass_fds=(result_fd,), start_new_session=True)


def _bwrap_options(bwrap, limits, hide, package=None):
    """bwrap's command line up to ``--``: namespaces, read-only views, the tmpfs, masks over ``hide``."""
    missing = _missing(bwrap)
    options = [bwrap, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
               *([] if "--disable-userns" in missing else ["--disable-userns"]), "--die-with-parent", "--new-session",
               "--clearenv", "--proc", "/proc", "--dev", "/dev",
               *([] if "--size" in missing else ["--size", str(limits.disk_mb * 2 ** 20)]), "--tmpfs", "/tmp",
               "--chdir", "/tmp"]
    for path in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(path):
            options += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            options += ["--ro-bind", path, path]
    for path in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "passwd", "group",
                 "alternatives"):
        options += ["--ro-bind-try", f"/etc/{path}", f"/etc/{path}"]
    views = _python_views()
    for view in views:
        options += ["--ro-bind", view, view]
    if package is not None:
        options += ["--ro-bind", str(package), f"{_SANDBOX}/minitorch"]
    for path in map(os.path.realpath, hide):  # anything secret that happens to lie inside a view
        if os.path.lexists(path) and any(path == v or path.startswith(v.rstrip("/") + "/") for v in [*views, "/usr", "/etc"]):
            options += ["--tmpfs", path] if os.path.isdir(path) else ["--ro-bind", "/dev/null", path]
    return options


def _python_views():
    """The folders the interpreter needs (its installation, the venv, the site-packages), outermost only."""
    wanted = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))),
              *(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages"))}
    wanted = sorted({os.path.realpath(p) for p in wanted if os.path.isdir(p)} - {"/"})
    outer = [p for p in wanted if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in wanted)]
    return [p for p in outer if p != "/usr" and not p.startswith(("/usr/", "/bin/", "/lib"))]  # /usr: bound whole


def _stop(process, finished):
    """Kill the sandbox (bubblewrap takes its whole PID namespace with it) and its process group.
    One that ``finished`` gets a moment to exit by itself first, so that its CPU time is counted."""
    if finished:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    process.wait()


class _Session:
    """The grader's end of the pipes of one sandbox run (see ``runner``)."""

    def __init__(self, process, result_fd, job, hidden_source, limits, cells):
        self.process, self.limits, self.cells = process, limits, cells
        self.pending, self.hidden = job, json.dumps({"hidden": hidden_source}).encode() + b"\n"
        self.reading = {result_fd, process.stdout}
        self.reported, self.stage, self.cell, self.timed_out, self.overflow = {}, "start", 0, False, False
        self.received, self.buffer = 0, bytearray()
        self.head, self.tail, self.dropped = b"", b"", 0
        self.deadline = time.monotonic() + _STARTUP_S  # until the first cell starts
        self.selector = selectors.DefaultSelector()
        self.selector.register(result_fd, selectors.EVENT_READ, self._results)
        self.selector.register(process.stdout, selectors.EVENT_READ, self._output)
        os.set_blocking(process.stdin.fileno(), False)
        self.selector.register(process.stdin, selectors.EVENT_WRITE, self._write)

    def loop(self):
        """Feed stdin and read both pipes until the sandbox closes them, a deadline passes or the
        results overflow."""
        while self.reading:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.timed_out = True
                return
            for key, _ in self.selector.select(min(left, 1.0)):
                key.data(key.fileobj)
            if self.overflow:
                return

    def _write(self, stdin):
        try:
            self.pending = self.pending[os.write(stdin.fileno(), self.pending):]
        except OSError:  # the sandbox is gone (a broken pipe): nothing more to say to it
            self.pending = b""
        if not self.pending:
            self.selector.unregister(stdin)
            if self.stage == "tests":  # the hidden tests were the last thing it gets
                stdin.close()

    def _results(self, fd):
        chunk = os.read(fd, 65536)
        if not chunk:
            self.selector.unregister(fd)
            self.reading.discard(fd)
            return
        self.received += len(chunk)
        if self.received > _RESULT_LIMIT:
            self.overflow = True
            return
        self.buffer += chunk
        if b"\n" in chunk:  # split only then: a long line arrives in many chunks
            *lines, rest = self.buffer.split(b"\n")
            self.buffer = bytearray(rest)
            for line in lines:
                self._event(line)

    def _event(self, line):
        try:
            event = json.loads(line)
            if not isinstance(event, dict):
                return
        except (ValueError, RecursionError):  # not our runner's JSON: ignore it
            return
        now = time.monotonic()
        if "cell" in event and self.stage == "start" and type(event["cell"]) is int:
            if not self.cell:  # Python and the package are loaded: the cells' own --timeout starts now
                self.deadline = now + self.limits.timeout
            self.cell = event["cell"]
        elif event.get("cells") == "done" and self.stage == "start":
            self.stage = "tests"
            self.deadline = now + self.limits.timeout + 5
            self.pending = self.hidden  # the hidden tests go in only now, after the notebook ran
            self.selector.register(self.process.stdin, selectors.EVENT_WRITE, self._write)
        elif type(event.get("cpu_s")) is float and self.stage == "tests":
            _CPU.add(event["cpu_s"])
        elif type(event.get("test")) is str and self.stage == "tests":
            name = event.pop("test")
            if name not in self.reported:
                self.reported[name] = event
            self.deadline = now + self.limits.timeout + 5

    def _output(self, stdout):
        chunk = os.read(stdout.fileno(), 65536)
        if not chunk:
            self.selector.unregister(stdout)
            self.reading.discard(stdout)
            return
        if len(self.head) < _OUTPUT_KEPT:
            take = _OUTPUT_KEPT - len(self.head)
            self.head, chunk = self.head + chunk[:take], chunk[take:]
        self.tail += chunk
        if len(self.tail) > _OUTPUT_KEPT:
            self.dropped += len(self.tail) - _OUTPUT_KEPT
            self.tail = self.tail[-_OUTPUT_KEPT:]

    def output(self):
        """The notebook's output: all of it, or its start and end with the size of what was cut."""
        cut = f"\n[... {self.dropped} bytes of output cut ...]\n".encode() if self.dropped else b""
        return (self.head + cut + self.tail).decode("utf-8", "replace")

    def ended(self, returncode, found, running):
        """The outcome for the test ``running`` (or, before the tests, every test) the sandbox was busy with."""
        limit = self.limits.timeout
        if self.overflow:
            return {"status": "crashed", "message": f"sent more than {_RESULT_LIMIT >> 20} MiB of results"}
        if self.stage != "tests":
            where = f"the notebook's cell {self.cell} of {self.cells}" if self.cell else "the notebook"
            if self.timed_out and not self.cell:
                return {"status": "timeout", "message": f"the sandbox did not start within {_STARTUP_S:g} s"}
            if self.timed_out:
                return {"status": "timeout", "message": f"{where} was still running after {limit:g} s "
                                                        "(the cells together get --timeout too)"}
            return {"status": "crashed", "message": f"{where} ended the sandbox before any test ran "
                                                    f"({_exit(returncode, found)}){self._last_line()}"}
        if self.timed_out:
            return {"status": "timeout", "message": f"test {running!r} was still running after {limit:g} s"}
        return {"status": "crashed", "message": f"test {running!r} ended the sandbox ({_exit(returncode, found)})"
                                                f"{self._last_line()}"}

    def _last_line(self):
        lines = self.tail.decode("utf-8", "replace").strip().splitlines() or \
            self.head.decode("utf-8", "replace").strip().splitlines()
        return f"; its last output: {lines[-1].strip()[:300]}" if lines else ""


class _CPU:
    """CPU seconds that finished sandboxes report having used, theirs and their tests' (bubblewrap does
    not pass them on to the grader's own ``RUSAGE_CHILDREN``). The sandbox's own word: for benchmarks."""

    lock, total = threading.Lock(), 0.0

    @classmethod
    def add(cls, seconds):
        with cls.lock:
            cls.total += min(max(seconds, 0.0), 3600.0)


def reported_cpu_seconds():
    """The total CPU time the sandboxes of this process reported (see ``_CPU``)."""
    return _CPU.total


def _exit(returncode, found):
    """``killed by signal SIGSEGV`` or ``exit code 1``; bubblewrap reports a signal as 128 + its number."""
    signals = {s.value: s.name for s in signal.Signals}
    if returncode < 0:
        number = -returncode
    elif found.kind == "bubblewrap" and returncode > 128 and returncode - 128 in signals:
        number = returncode - 128
    else:
        return f"exit code {returncode}"
    if number == signal.SIGXCPU:
        return "it used up its CPU time"
    return f"killed by signal {signals.get(number, number)}"


class _Children:
    """Without bubblewrap, a notebook's ``setsid`` daemons escape its process group. While the grader
    runs sandboxes it is their "subreaper" (Linux): orphans become its children, and ``sweep`` kills
    every child that is not a running sandbox. Starting a sandbox and sweeping share a lock, so a
    sandbox being started is never taken for an orphan."""

    lock, active = threading.Lock(), set()

    @classmethod
    def start(cls, popen):
        with cls.lock:
            if not cls.active:
                cls._set_subreaper(1)
            process = popen()
            cls.active.add(process.pid)
        return process

    @classmethod
    def done(cls, process, sweep):
        with cls.lock:
            cls.active.discard(process.pid)
            if sweep:
                cls._sweep()
            if not cls.active:
                cls._set_subreaper(0)

    @staticmethod
    def _set_subreaper(on):
        with contextlib.suppress(Exception):  # not Linux: nothing to do
            ctypes.CDLL(None, use_errno=True).prctl(36, on, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER

    @classmethod
    def _sweep(cls):
        for _ in range(100):  # a daemon may fork while we kill: go round until none is left
            orphans = [pid for pid in cls._children() if pid not in cls.active]
            if not orphans:
                return
            for pid in orphans:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)

    @staticmethod
    def _children():
        me, found = os.getpid(), []
        for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if entry.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    with open(f"/proc/{entry}/stat") as f:
                        if int(f.read().rpartition(")")[2].split()[1]) == me:
                            found.append(int(entry))
        return found
