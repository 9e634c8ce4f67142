"""Every library-based cheat and every plausible wrong answer kept in tests/homework_wrong/
scores below full marks, and is caught by the test it names; the correct solution, run the same
way, gets full marks.

The student's objects come from the solution notebook: its first code cell (the imports) and every
cell holding a solution marker, run in-process; a fixture's source then replaces one of them. The
tests (public, and hidden ones from the notebook) run as ``check()`` runs them, in-process.
"""

import importlib.util
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from minitorch.grading import assignments, spec  # noqa: E402
from minitorch.grading.assign import code_cells, hidden_tests_source  # noqa: E402
from minitorch.grading.check import run_tests  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "homework_wrong"


def fixtures(name):
    spec_ = importlib.util.spec_from_file_location(f"homework_wrong_{name}", FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    return module


CASES = [(name, kind, case) for name in assignments.names() if (FIXTURES / f"{name}.py").exists()
         for kind in ("CHEATS", "WRONG") for case in getattr(fixtures(name), kind)]

_solutions = {}


def solution(name):
    """The assignment, all its tests, and fresh solution objects (the cells run again each time:
    a fixture that patches a class must not leak into the next one)."""
    if name not in _solutions:
        nb = nbformat.read(ROOT / "solutions" / f"{name}.ipynb", as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code"]
        wanted = [cells[1]] + [c for c in cells if "SOLUTION" in c.source]
        code = [compile(c, "<solution>", "exec") for c in code_cells(nbformat.v4.new_notebook(cells=wanted))]
        hw = assignments.load(name)
        _solutions[name] = (hw, hw.tests + spec.collect_hidden_tests(name, hidden_tests_source(nb)), code)
    hw, tests, code = _solutions[name]
    namespace = {"__name__": "__main__"}
    for cell in code:
        exec(cell, namespace)
    return hw, tests, namespace


def grade(name, source="", only=None):
    hw, tests, namespace = solution(name)
    exec(compile(source, "<fixture>", "exec"), namespace)
    return run_tests(hw, [t for t in tests if only in (None, t.name)], namespace)


@pytest.mark.parametrize("name", [n for n in assignments.names() if (FIXTURES / f"{n}.py").exists()])
def test_the_solution_gets_full_marks(name):
    report = grade(name)
    assert report.score == report.max_score, [(r.test.name, r.message) for r in report.results if r.status != "passed"]


@pytest.mark.parametrize("name, kind, case", CASES, ids=[f"{n}-{k.lower()}-{c}" for n, k, c in CASES])
def test_caught(name, kind, case):
    test, source = getattr(fixtures(name), kind)[case]
    (result,) = grade(name, source, only=test).results  # the one test that must catch it: it scores below full
    assert result.status != "passed" and result.score < result.test.points, result
    assert result.message  # the student is told why


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hw03_strides", "hw04_optimizers"])
def test_cheats_lose_marks_in_the_grader_too(name, tmp_path):
    """The same hand-ins, as notebooks graded by the grader (in its sandbox, hidden tests included):
    every cheat scores below full marks there too."""
    from minitorch.grading import grader

    cheats = fixtures(name).CHEATS
    for number, (case, (test, source)) in enumerate(cheats.items()):
        nb = nbformat.read(ROOT / "solutions" / f"{name}.ipynb", as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(source))
        nbformat.write(nb, tmp_path / f"cheat{number}.ipynb")
    reports = grader.grade(grader.find_submissions([tmp_path]), name, hidden=ROOT / "solutions", jobs=2)
    for number, case in enumerate(cheats):
        report = reports[f"cheat{number}"]
        test = cheats[case][0]
        assert report.score < report.max_score, case
        assert next(r for r in report.results if r.test.name == test).status != "passed", case


@pytest.mark.parametrize("name", assignments.names())
def test_hidden_hints_teach_concepts_not_solution_lines(name):
    _, tests, _ = solution(name)
    for test in tests:
        assert test.hint, test.name
        for hint in test.hint.values() if isinstance(test.hint, dict) else [test.hint]:  # a hidden hint: each language
            assert "return " not in hint and not re.search(r"\w\s*=\s*[A-Za-z_(]", hint), (test.name, hint)
