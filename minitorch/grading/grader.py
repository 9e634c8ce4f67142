"""Instructor side: grade a batch of notebooks, write the grades, prove the solutions pass.

Every (notebook, test) pair runs in its own sandboxed subprocess (``sandbox.run``), a few at a
time (``jobs``). The references are computed once, here, and each probe's plain data is judged
here: a hang, a crash or a broken notebook costs only the tests it touches.
"""

from __future__ import annotations

import csv
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .._optional import require
from . import assignments, sandbox, spec
from .assign import code_cells, hidden_tests_source


@dataclass
class Submission:
    student: str
    path: Path
    cells: list | None = None  # None: the notebook could not be read
    error: str = ""


def find_submissions(paths):
    """The notebooks among ``paths`` (files, or folders searched recursively), read for grading.

    A notebook given directly is named by its stem, one found in a folder by its path inside
    that folder (``alice/hw01_tanh``).
    """
    nbformat = require("nbformat", extra="grading", feature="Grading notebooks")

    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [(str(f.relative_to(path).with_suffix("")), f) for f in sorted(path.rglob("*.ipynb"))
                      if ".ipynb_checkpoints" not in f.parts]
        else:
            found.append((path.stem, path))
    submissions, names = [], set()
    for student, path in found:
        student = str(path) if student in names else student
        names.add(student)
        try:
            submissions.append(Submission(student, path, code_cells(nbformat.read(path, as_version=4))))
        except Exception as error:
            submissions.append(Submission(student, path, error=f"the notebook could not be read "
                                                                f"({type(error).__name__}: {str(error)[:200]})"))
    return submissions


def load_tests(assignment, hidden=None):
    """The assignment, its tests (public, then the hidden ones from ``hidden/<assignment>.ipynb``)
    and the hidden tests' source, which the sandbox needs to run their probes."""
    nbformat = require("nbformat", extra="grading", feature="Grading notebooks")

    hw = assignments.load(assignment)
    source = ""
    if hidden is not None:
        path = Path(hidden) / f"{assignment}.ipynb"
        if not path.is_file():
            raise FileNotFoundError(f"no {path}: --hidden takes the folder of solution notebooks")
        source = hidden_tests_source(nbformat.read(path, as_version=4))
    tests = hw.tests + spec.collect_hidden_tests(assignment, source)
    names = [t.name for t in tests]
    if len(set(names)) != len(names):
        raise ValueError(f"{assignment}: two tests share a name: {sorted(n for n in names if names.count(n) > 1)}")
    return hw, tests, source


def grade(submissions, assignment, hidden=None, limits=sandbox.Limits(), jobs=2):
    """``{student: Report}`` for every submission."""
    hw, tests, source = load_tests(assignment, hidden)
    expected = {t.name: spec.expected_for(hw, t) for t in tests}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = {(s.student, t.name): pool.submit(_run, s.cells, assignment, t.name, source, limits)
                    for s in submissions if s.cells is not None for t in tests}
        reports = {}
        for s in submissions:
            report = reports[s.student] = spec.Report(assignment)
            for t in tests:
                if s.cells is None:
                    report.results.append(spec.Result(t, "did not run", 0.0, s.error))
                else:
                    report.results.append(spec.grade(t, outcomes[s.student, t.name].result(), expected[t.name]))
    return reports


def _run(cells, assignment, test, source, limits):
    try:
        return sandbox.run(cells, assignment, test, source, limits)
    except Exception as error:  # the grader's own trouble (disk full...): this test only
        return {"status": "crashed", "message": f"the grader could not run it ({error})"}


def check_solutions(folder, limits=sandbox.Limits(), jobs=2):
    """``{assignment: Report}``: every solution notebook in ``folder``, graded with its own hidden tests."""
    reports = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        submission = find_submissions([path])
        reports[path.stem] = grade(submission, path.stem, hidden=folder, limits=limits, jobs=jobs)[path.stem]
    return reports


# ---- writing the grades ----------------------------------------------------------------------

def write_csv(reports, path):
    """One row per student: the score of each test, then the total."""
    tests = [r.test for r in next(iter(reports.values())).results] if reports else []
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *(t.name for t in tests), "total"])
        for student, report in reports.items():
            writer.writerow([student, *(f"{r.score:g}" for r in report.results), f"{report.score:g}"])


def gradescope_results(report):
    """One submission's results in the shape of Gradescope's ``results.json``."""
    tests = []
    for r in report.results:
        output = r.status if r.status == "passed" else f"{r.status}: {r.message}".rstrip(": ")
        if r.status in ("failed", "partial") and r.test.hint:
            output += f"\nhint: {r.test.hint}"
        tests.append({"name": r.test.name, "score": r.score, "max_score": r.test.points,
                      "status": "passed" if r.status == "passed" else "failed", "output": output,
                      "visibility": "after_published" if r.test.hidden else "visible"})
    return {"score": report.score, "max_score": report.max_score, "tests": tests}


def write_json(reports, path, assignment):
    """``{"assignment", "submissions": [{"student", ...results.json}]}``: each submission entry is
    a Gradescope ``results.json`` (with the student's name added)."""
    data = {"assignment": assignment,
            "submissions": [{"student": student, **gradescope_results(report)} for student, report in reports.items()]}
    Path(path).write_text(json.dumps(data, indent=1) + "\n")
