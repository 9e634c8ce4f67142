"""Instructor side: grade a batch of notebooks, write the grades, prove the solutions pass.

Each notebook runs once, in its own sandbox (``sandbox.run``: bubblewrap where available), and
each test then runs in a fork of that state; ``jobs`` notebooks are graded at a time. The
references are computed once, here, and each probe's plain data is judged here: a hang, a crash
or a broken notebook costs only the tests it touches.

The grader's own files are guarded too: submissions are read only if they are regular files,
report names must be unique, and the gradebook is written atomically, never through a link nor
over an input, readable by its owner only, with spreadsheet formulas neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .._optional import require
from . import assignments, sandbox, spec
from .i18n import _, localized
from .assign import hidden_tests_source

_NOTEBOOK_LIMIT = 64 * 2 ** 20  # bytes: a submission larger than this is refused unread


def nbformat():
    """The ``nbformat`` module, or an ImportError that says how to install it."""
    return require("nbformat", extra="grading", feature="Grading notebooks")


@dataclass
class Submission:
    student: str
    path: Path
    cells: list | None = None  # the code cells' sources; None: the notebook was not read
    error: str = ""


def find_submissions(paths):
    """The notebooks among ``paths`` (files, or folders searched recursively), read for grading.

    A notebook given directly is named by its stem, one found in a folder by its path inside that
    folder (``alice/hw01_tanh``); two notebooks with one name are an error naming both. Only regular
    files are read: a FIFO, a device or a link leading out of its folder is refused, with a message
    in that student's report.
    """
    nbformat()  # before looking at any file: an ImportError naming the "grading" extra when it is missing
    found = []
    for path in map(Path, paths):
        if path.is_dir() and not path.is_symlink():
            for folder, dirs, files in os.walk(path):  # does not follow links to folders
                dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
                found += [(str((Path(folder) / f).relative_to(path).with_suffix("")), Path(folder) / f, path)
                          for f in sorted(files) if f.endswith(".ipynb")]
        else:
            found.append((path.stem, path, path.parent))
    names = {}
    for student, path, _folder in found:
        if student in names:
            raise ValueError(f"two submissions would both be reported as {student!r}: {names[student]} and {path}; "
                             "rename one or give their folder instead")
        names[student] = path
    return [_read(student, path, root) for student, path, root in found]


def _read(student, path, root):
    """One ``Submission``: its code cells, or why it was refused."""
    try:
        text = _read_regular_file(path, root)
        nb = nbformat().reads(text, as_version=4)
        return Submission(student, path, [c.source for c in nb.cells if c.cell_type == "code"])
    except ImportError:
        raise
    except _Refused as error:
        return Submission(student, path, error=f"refused: {error}")
    except Exception as error:
        return Submission(student, path, error=f"the notebook could not be read ({type(error).__name__}: "
                                               f"{str(error)[:200]})")


class _Refused(Exception):
    pass


def _read_regular_file(path, root):
    """The text of ``path`` if it is a regular file inside ``root`` (a link is followed only to a
    regular file inside ``root``), opened without blocking and read up to ``_NOTEBOOK_LIMIT``."""
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(Path(os.path.realpath(root))):
            raise _Refused(f"{path} is a link to {target}, outside {root}")
        path = target
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO would block on open
    except OSError as error:
        raise _Refused(f"{path} cannot be opened ({error.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
                else "a socket" if stat.S_ISSOCK(mode) else "not a file"
            raise _Refused(f"{path} is {kind}, not a regular file")
        data = f.read(_NOTEBOOK_LIMIT + 1)
    if len(data) > _NOTEBOOK_LIMIT:
        raise _Refused(f"{path} is larger than {_NOTEBOOK_LIMIT >> 20} MiB")
    return data.decode("utf-8")


def load_tests(assignment, hidden=None):
    """The assignment, its tests (public, then the hidden ones from ``hidden/<assignment>.ipynb``)
    and the hidden tests' source, which the sandbox needs to run their probes."""
    hw = assignments.load(assignment)
    source = ""
    if hidden is not None:
        path = Path(hidden) / f"{assignment}.ipynb"
        if not path.is_file():
            raise FileNotFoundError(f"no {path}: --hidden takes the folder of solution notebooks")
        source = hidden_tests_source(nbformat().read(path, as_version=4))
    tests = hw.tests + spec.collect_hidden_tests(assignment, source)
    names = [t.name for t in tests]
    if len(set(names)) != len(names):
        raise ValueError(f"{assignment}: two tests share a name: {sorted(n for n in names if names.count(n) > 1)}")
    return hw, tests, source


def grade(submissions, assignment, hidden=None, limits=sandbox.Limits(), jobs=None, isolation=None, hide=(),
          per_test=False):
    """``{student: Report}`` for every submission.

    ``jobs``: notebooks graded at once (default: the number of cores); ``isolation``: a
    ``sandbox.Isolation`` (default: the best available); ``hide``: more paths the sandboxes must
    not see (the submissions and ``hidden`` are hidden anyway). ``per_test=True`` runs the notebook
    afresh for every test, the slow way, to compare with.
    """
    hw, tests, source = load_tests(assignment, hidden)
    expected = {t.name: spec.expected_for(hw, t) for t in tests}
    isolation = isolation or sandbox.detect()
    hide = [*hide, *(s.path for s in submissions), *([hidden] if hidden is not None else [])]

    def run(submission):
        names = [t.name for t in tests]
        try:
            if per_test:
                runs = [sandbox.run(submission.cells, assignment, [n], source, limits, isolation, hide) for n in names]
                return {n: outcomes[n] for n, (outcomes, _) in zip(names, runs)}, runs[-1][1] if runs else ""
            return sandbox.run(submission.cells, assignment, names, source, limits, isolation, hide)
        except Exception as error:  # the grader's own trouble (no memory, no processes left...): this notebook
            return {n: {"status": "crashed", "message": f"the grader could not run it ({error})"} for n in names}, ""

    with ThreadPoolExecutor(max_workers=jobs or _cores()) as pool:
        outcomes = {s.student: pool.submit(run, s) for s in submissions if s.cells is not None}
        reports = {}
        for s in submissions:
            report = reports[s.student] = spec.Report(assignment)
            graded, report.output = outcomes[s.student].result() if s.cells is not None else ({}, "")
            for t in tests:
                if s.cells is None:
                    report.results.append(spec.Result(t, "did not run", 0.0, s.error))
                else:
                    report.results.append(spec.grade(t, _decoded(graded[t.name]), expected[t.name]))
            spec.settle(report)  # a test that failed only because one it builds on failed is "waiting"
    return reports


def _decoded(outcome):
    """An outcome from the sandbox, checked and with its arrays rebuilt: anything else is a crash."""
    try:
        status = outcome["status"]
        if status == "ok":
            return {"status": "ok", "data": spec.decode(outcome["data"])}
        if status not in ("failed", "not attempted", "timeout", "crashed"):
            raise ValueError(f"unknown status {str(status)[:40]!r}")
        return {"status": status, "message": str(outcome.get("message", ""))[:1000]}
    except Exception as error:  # forged or mangled: the notebook does not get to choose its grade
        return {"status": "crashed", "message": f"the test sent back something unreadable ({str(error)[:200]})"}


def _cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def check_solutions(folder, limits=sandbox.Limits(), jobs=None, isolation=None):
    """``({assignment: Report}, unknown)``: every solution notebook in ``folder``, graded with its own
    hidden tests, and the notebooks (stems) that no assignment module describes, which are skipped."""
    def one(path):
        return grade(find_submissions([path]), path.stem, hidden=folder, limits=limits, jobs=1,
                     isolation=isolation)[path.stem]

    paths = sorted(Path(folder).glob("*.ipynb"))
    known = [p for p in paths if p.stem in assignments.names()]
    with ThreadPoolExecutor(max_workers=jobs or _cores()) as pool:  # one notebook each: run them side by side
        reports = dict(zip((p.stem for p in known), pool.map(one, known)))
    return reports, [p.stem for p in paths if p not in known]


# ---- writing the grades ----------------------------------------------------------------------

def check_outputs(outputs, inputs):
    """Refuse, before any grading, output paths that are links or not files, that coincide, or that
    would overwrite an input (a submission, a file inside a submissions folder or the solutions)."""
    outputs = [Path(p) for p in outputs if p is not None]
    real = [Path(os.path.realpath(p)) for p in outputs]
    if len(set(real)) != len(real):
        raise ValueError(f"the outputs {' and '.join(map(str, outputs))} are the same file")
    for path, where in zip(outputs, real):
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise ValueError(f"{path} is {'a link' if path.is_symlink() else 'not a regular file'}: "
                             "refusing to write the grades there")
        for item in map(lambda p: Path(os.path.realpath(p)), inputs):
            if where == item or where.is_relative_to(item):
                raise ValueError(f"{path} would overwrite the input {item}: write the grades elsewhere")


def write_csv(reports, path):
    """One row per student: the score of each test, then the total. A cell that a spreadsheet would
    read as a formula (starting with = + - @, a tab or a return) gets a leading ``'`` (OWASP)."""
    tests = [r.test for r in next(iter(reports.values())).results] if reports else []
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow([_cell(c) for c in ["student", *(t.name for t in tests), "total"]])
    for student, report in reports.items():
        writer.writerow([_cell(student), *(f"{r.score:g}" for r in report.results), f"{report.score:g}"])
    _write_atomic(path, text.getvalue())


def _cell(text):
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def gradescope_results(report):
    """One submission's results in the shape of Gradescope's ``results.json``; ``output`` is what the
    notebook printed while graded (its start and end when long)."""
    tests = []
    for r in report.results:
        output = r.status if r.status == "passed" else f"{r.status}: {r.message}".rstrip(": ")
        if r.status in ("failed", "partial") and r.test.hint:
            output += "\n" + _("hint: {hint}").format(hint=localized(r.test.hint))
        tests.append({"name": r.test.name, "score": r.score, "max_score": r.test.points,
                      "status": "passed" if r.status == "passed" else "failed", "output": output,
                      "visibility": "after_published" if r.test.hidden else "visible"})
    return {"score": report.score, "max_score": report.max_score, "output": report.output, "tests": tests}


def write_json(reports, path, assignment, isolation="bubblewrap"):
    """``{"assignment", "isolation", "submissions": [{"student", ...results.json}]}``: each submission
    entry is a Gradescope ``results.json`` (with the student's name added); ``isolation`` says how
    the notebooks were isolated (``"bubblewrap"`` or ``"rlimits-only"``)."""
    data = {"assignment": assignment, "isolation": isolation,
            "submissions": [{"student": student, **gradescope_results(report)} for student, report in reports.items()]}
    _write_atomic(path, json.dumps(data, indent=1) + "\n")


def _write_atomic(path, text):
    """Write a new file (mode 0600, O_EXCL: never through a link) next to ``path``, then rename it
    over ``path``: a link planted there is replaced, not followed, and a reader never sees half."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
