"""The instructor side: every solution gets full marks, every exercise scores 0 "not attempted",
and a batch of hostile submissions is scored correctly without disturbing the rest.

Each test of each notebook runs in its own subprocess, so these tests take a minute or two.
"""

import csv
import json
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from minitorch.grading import assignments, grader  # noqa: E402
from minitorch.grading.__main__ import main  # noqa: E402
from minitorch.grading.sandbox import Limits  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_every_solution_gets_full_marks(capsys):
    assert main(["check-solutions", str(ROOT / "solutions"), "--jobs", "2", "--timeout", "90"]) == 0
    out = capsys.readouterr().out
    assert f"all {len(assignments.NAMES)} solutions get full marks" in out
    for name in assignments.NAMES:
        assert f"{name}: " in out


def test_every_exercise_scores_zero_not_attempted():
    for name in assignments.NAMES:
        reports = grader.grade(grader.find_submissions([ROOT / "exercises" / f"{name}.ipynb"]), name,
                               hidden=ROOT / "solutions", limits=Limits(timeout=90), jobs=2)
        (report,) = reports.values()
        assert report.score == 0 and report.max_score > 0
        assert {r.status for r in report.results} == {"not attempted"}, [(r.test.name, r.message) for r in report.results]


# ---- a batch of hostile submissions, on the quick hw03_strides ---------------------------

CORRECT = nbformat.read(ROOT / "solutions" / "hw03_strides.ipynb", as_version=4)
WRONG = '''
def storage_position(index, strides, offset=0):
    return -1

def contiguous_strides(shape):
    return (-1,)

def view_strides(shape, strides, new_shape):
    return (-1,)
'''
HOSTILE = {
    "correct": "",
    "infinite_loop": "def contiguous_strides(shape):\n    while True:\n        pass",
    "exits": "import os\ndef view_strides(shape, strides, new_shape):\n    os._exit(0)",
    "segfault": "import ctypes\nctypes.string_at(0)",
    "allocates_20GB": "def storage_position(index, strides, offset=0):\n    return len(bytearray(20 * 2 ** 30))",
    "patches_numpy_and_grader": WRONG + '''
import numpy as np
import minitorch.grading.spec as spec
np.allclose = np.array_equal = lambda *args, **kwargs: True
np.isclose = lambda a, b, **kwargs: np.ones(np.shape(a), bool)
spec.compare = lambda *args: None
spec.grade = lambda test, outcome, expected: spec.Result(test, "passed", test.points)
''',
    "lying_eq": '''
class Anything(tuple):
    def __eq__(self, other):
        return True
    __hash__ = tuple.__hash__

def storage_position(index, strides, offset=0):
    return Anything()

def contiguous_strides(shape):
    return Anything()

def view_strides(shape, strides, new_shape):
    return Anything()
''',
    "prints_passed": WRONG + '''
for name in ("position", "contiguous", "view"):
    print(f"{name}: passed 4 / 4")
print('{"status": "ok", "score": 100}')
''',
    "forges_result": WRONG + '''
import json, os
job = json.load(open("../job.json"))
open(job["result"], "w").write(json.dumps({"status": "passed", "score": 1000}))
os._exit(0)
''',
    "fifo_result": '''
import json, os
os.mkfifo(json.load(open("../job.json"))["result"])
os._exit(0)
''',
    "reads_solutions": WRONG + '''
import os, sys, nbformat
from pathlib import Path
import minitorch
places = [Path.cwd(), *Path.cwd().parents, Path(os.path.realpath(minitorch.__file__)).parent,
          *Path(os.path.realpath(minitorch.__file__)).parents, *map(Path, sys.path), *map(Path, sys.argv),
          *(Path(v) for v in os.environ.values())]
for place in places:
    for candidate in (place / "solutions" / "hw03_strides.ipynb", place / "hw03_strides.ipynb"):
        if candidate.is_file():
            for cell in nbformat.read(candidate, as_version=4).cells:
                if cell.cell_type == "code":
                    exec(cell.source)
''',
}


def hostile_notebook(path, extra):
    nb = nbformat.from_dict(CORRECT)
    nb.cells.append(nbformat.v4.new_code_cell(extra))
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for name, extra in HOSTILE.items():
        hostile_notebook(folder / f"{name}.ipynb", extra)
    leak_check = f'''
import os, sys
import minitorch
items = [*os.environ.values(), *sys.argv, os.getcwd(), *sys.path, os.path.realpath(minitorch.__file__)]
# the interpreter's package folders are allowed: a venv inside the checkout names it (documented)
where = [p for item in items for p in item.split(os.pathsep)
         if os.path.basename(p.rstrip("/")) not in ("site-packages", "dist-packages")]
leaks = [w for w in where if {str(ROOT)!r} in w or "solutions" in w]
if leaks:
    def storage_position(index, strides, offset=0):
        raise RuntimeError(f"leaked: {{leaks}}")
'''
    hostile_notebook(folder / "looks_for_paths.ipynb", leak_check)
    (folder / "broken.ipynb").write_text('{"cells": [')
    output = tmp_path_factory.mktemp("grades")
    args = ["grade", str(folder), "--assignment", "hw03_strides", "--hidden", str(ROOT / "solutions"),
            "--csv", str(output / "grades.csv"), "--json", str(output / "results.json"), "--timeout", "12",
            "--jobs", "2"]
    assert main(args) == 0
    results = json.loads((output / "results.json").read_text())
    by_student = {s["student"]: {t["name"]: t for t in s["tests"]} for s in results["submissions"]}
    return by_student, results, output / "grades.csv"


PUBLIC = ("position", "contiguous", "view")
HIDDEN = ("view_edge_cases", "view_random")


def outcome(batch, student):
    return {name: (t["status"], t["score"], t["output"].split(":")[0]) for name, t in batch[0][student].items()}


def full(names):
    return {n: ("passed", s, "passed") for n, s in names}


POINTS = {"position": 2, "contiguous": 2, "view": 4, "view_edge_cases": 1, "view_random": 2}


def test_correct_submission_unaffected_by_the_others(batch):
    assert outcome(batch, "correct") == full(POINTS.items())
    assert outcome(batch, "looks_for_paths") == full(POINTS.items())  # no path to the solutions in env/argv/cwd/sys.path


def test_infinite_loop_times_out_only_where_it_loops(batch):
    result = outcome(batch, "infinite_loop")
    looping = ("contiguous", "view_edge_cases")  # the solution's view_strides calls contiguous_strides for empty shapes
    assert {n: result.pop(n) for n in looping} == {n: ("failed", 0, "timeout") for n in looping}
    assert result == full((n, p) for n, p in POINTS.items() if n not in looping)


def test_exit_crashes_only_the_tests_it_reaches(batch):
    result = outcome(batch, "exits")
    assert {n: result.pop(n)[::2] for n in ("view", "view_edge_cases", "view_random")} == \
        {n: ("failed", "crashed") for n in ("view", "view_edge_cases", "view_random")}
    assert result == full((n, POINTS[n]) for n in ("position", "contiguous"))


def test_segfault_is_a_crash(batch):
    tests = batch[0]["segfault"]
    assert {t["score"] for t in tests.values()} == {0}
    assert [t["output"] for t in tests.values()] == ["crashed: killed by signal SIGSEGV"] * len(POINTS)


def test_huge_allocation_fails_that_test_only(batch):
    result = outcome(batch, "allocates_20GB")
    assert result.pop("position") == ("failed", 0, "failed")
    assert "MemoryError" in batch[0]["allocates_20GB"]["position"]["output"]
    assert result == full((n, p) for n, p in POINTS.items() if n != "position")


@pytest.mark.parametrize("student", ["patches_numpy_and_grader", "lying_eq", "prints_passed", "forges_result",
                                     "fifo_result", "reads_solutions"])
def test_cheats_score_zero(batch, student):
    tests = batch[0][student]
    assert sorted(tests) == sorted(POINTS)
    assert {t["score"] for t in tests.values()} == {0}, {n: t["output"] for n, t in tests.items()}


def test_cheats_fail_for_the_right_reason(batch):
    assert "not plain data" in batch[0]["lying_eq"]["position"]["output"]
    assert batch[0]["forges_result"]["view"]["output"].startswith("crashed")
    assert batch[0]["fifo_result"]["view"]["output"].startswith("crashed")
    assert "[0]: got -1, expected 1" in batch[0]["patches_numpy_and_grader"]["view"]["output"]


def test_broken_notebook_did_not_run(batch):
    tests = batch[0]["broken"]
    assert all(t["score"] == 0 and t["output"].startswith("did not run: the notebook could not be read")
               for t in tests.values())


def test_json_has_gradescope_shape(batch):
    _, results, _ = batch
    assert results["assignment"] == "hw03_strides"
    assert len(results["submissions"]) == len(HOSTILE) + 2
    for submission in results["submissions"]:
        assert set(submission) == {"student", "score", "max_score", "tests"}
        assert submission["max_score"] == sum(POINTS.values())
        assert submission["score"] == sum(t["score"] for t in submission["tests"])
        assert [t["name"] for t in submission["tests"]] == [*PUBLIC, *HIDDEN]
        for test in submission["tests"]:
            assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
            assert test["status"] in ("passed", "failed") and 0 <= test["score"] <= test["max_score"]
            assert test["visibility"] == ("after_published" if test["name"] in HIDDEN else "visible")


def test_csv_one_row_per_student(batch):
    by_student, _, path = batch
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student", *PUBLIC, *HIDDEN, "total"]
    assert sorted(r["student"] for r in rows) == sorted(by_student)
    correct = next(r for r in rows if r["student"] == "correct")
    assert correct == {"student": "correct", **{n: str(p) for n, p in POINTS.items()}, "total": "11"}
    assert float(next(r for r in rows if r["student"] == "infinite_loop")["total"]) == 8
