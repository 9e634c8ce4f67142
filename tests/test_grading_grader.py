"""The instructor side: every solution gets full marks, every exercise scores 0 "not attempted",
and the grader's own inputs and outputs are guarded (links, FIFOs, name clashes, formulas, modes).

The hostile batch, run in sandboxes, is in test_grading_hostile.py.
"""

import csv
import os
import stat
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from minitorch.grading import grader, runner  # noqa: E402
from minitorch.grading.__main__ import main  # noqa: E402
from minitorch.grading.sandbox import Limits  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.slow
def test_every_solution_gets_full_marks(capsys):
    assert main(["check-solutions", str(ROOT / "solutions"), "--timeout", "90"]) == 0
    out = capsys.readouterr().out
    assert f"all {len(ASSIGNMENTS)} solutions get full marks" in out
    for name in ASSIGNMENTS:
        assert f"{name}: " in out


def test_check_solutions_reports_an_unknown_assignment_and_goes_on(tmp_path, capsys):
    for name in ("hw03_strides", "hw99_new"):
        (tmp_path / f"{name}.ipynb").write_bytes((ROOT / "solutions" / "hw03_strides.ipynb").read_bytes())
    assert main(["check-solutions", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "hw03_strides: 11 / 11 points" in out and "all 1 solutions get full marks" in out
    assert "hw99_new: unknown assignment: no minitorch/grading/assignments/hw99_new.py" in out


@pytest.mark.slow
def test_every_exercise_scores_zero_not_attempted():
    def grade(submission):
        return grader.grade([submission], submission.student.split("/")[-1], hidden=ROOT / "solutions",
                            limits=Limits(timeout=90), jobs=1)[submission.student]

    submissions = grader.find_submissions([ROOT / "exercises"])  # both editions: exercises/ and exercises/ru/
    assert sorted(s.student for s in submissions) == ASSIGNMENTS + [f"ru/{name}" for name in ASSIGNMENTS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(grade, submissions))
    for report in reports:
        assert report.score == 0 and report.max_score > 0
        assert {r.status for r in report.results} == {"not attempted"}, [(r.test.name, r.message) for r in report.results]


# ---- the grader's own files ----------------------------------------------------------------

@pytest.fixture
def folder(tmp_path):
    """A submissions folder with one (empty) notebook, and a stand-in for the solutions."""
    (tmp_path / "submissions").mkdir()
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "submissions" / "alice.ipynb")
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "hw03_strides.ipynb").write_text("the instructor's solution")
    return tmp_path


def grade_args(folder, *outputs):
    return ["grade", str(folder / "submissions"), "--assignment", "hw03_strides", "--hidden",
            str(folder / "solutions"), *outputs]


def test_link_at_an_output_path_is_refused_before_grading(folder, capsys):
    solution = folder / "solutions" / "hw03_strides.ipynb"
    (folder / "grades.csv").symlink_to(solution)
    assert main(grade_args(folder, "--csv", str(folder / "grades.csv"))) == 1
    assert "grades.csv is a link: refusing to write the grades there" in capsys.readouterr().err
    assert solution.read_text() == "the instructor's solution"


@pytest.mark.parametrize("where", ["submissions/alice.ipynb", "submissions/grades.csv", "solutions/grades.csv"])
def test_outputs_never_go_over_an_input(folder, capsys, where):
    assert main(grade_args(folder, "--json", str(folder / where))) == 1
    assert "would overwrite the input" in capsys.readouterr().err
    assert not (folder / "solutions" / "grades.csv").exists()


def test_csv_and_json_must_differ(folder, capsys):
    assert main(grade_args(folder, "--csv", str(folder / "g"), "--json", str(folder / "g"))) == 1
    assert "are the same file" in capsys.readouterr().err


def test_report_names_must_be_unique(tmp_path, capsys):
    for who in ("a", "b"):
        (tmp_path / who).mkdir()
        nbformat.write(nbformat.v4.new_notebook(), tmp_path / who / "alice.ipynb")
    assert main(["grade", str(tmp_path / "a" / "alice.ipynb"), str(tmp_path / "b" / "alice.ipynb"),
                 "--assignment", "hw03_strides"]) == 1
    err = capsys.readouterr().err
    assert "both be reported as 'alice'" in err and str(tmp_path / "a" / "alice.ipynb") in err
    assert str(tmp_path / "b" / "alice.ipynb") in err


def test_only_regular_files_are_read(folder):
    submissions = folder / "submissions"
    os.mkfifo(submissions / "fifo.ipynb")
    (submissions / "outside.ipynb").symlink_to(folder / "solutions" / "hw03_strides.ipynb")
    (submissions / "inside.ipynb").symlink_to(submissions / "alice.ipynb")
    (submissions / "dir.ipynb").symlink_to(folder / "solutions")
    found = {s.student: s for s in grader.find_submissions([submissions])}
    assert found["alice"].cells == [] and found["inside"].cells == []
    assert found["fifo"].error == f"refused: {submissions / 'fifo.ipynb'} is a FIFO, not a regular file"
    assert found["outside"].error.startswith(f"refused: {submissions / 'outside.ipynb'} is a link to ")
    assert "dir" not in found  # a link to a folder is not followed
    with pytest.raises(ValueError, match="both be reported as"):  # the same notebook twice
        grader.find_submissions([submissions / "alice.ipynb", submissions / "alice.ipynb"])


def test_gradebook_is_atomic_private_and_replaces_a_planted_link(tmp_path):
    secret = tmp_path / "solution.ipynb"
    secret.write_text("the instructor's solution")
    target = tmp_path / "grades.csv"
    target.symlink_to(secret)  # planted after the start-up check, while grading ran
    report = grader.spec.Report("hw00")
    grader.write_csv({"=HYPERLINK(\"http://x\")": report, "-2+3": report, "@SUM(A1)": report, "bob": report}, target)
    assert secret.read_text() == "the instructor's solution"
    assert not target.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o600
    with open(target, newline="") as f:
        students = [row["student"] for row in csv.DictReader(f)]
    assert students == ["'=HYPERLINK(\"http://x\")", "'-2+3", "'@SUM(A1)", "bob"]
    assert sorted(os.listdir(tmp_path)) == ["grades.csv", "solution.ipynb"]


def test_missing_grading_extra_names_the_install_command(monkeypatch, folder, capsys):
    monkeypatch.setitem(sys.modules, "nbformat", None)
    with pytest.raises(ImportError, match=r'pip install "minitorch-kit\[grading\]"'):
        grader.nbformat()
    assert main(grade_args(folder)) == 1
    assert 'pip install "minitorch-kit[grading]"' in capsys.readouterr().err


def test_grading_extra_is_declared():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'grading = ["nbformat", "nbclient"]' in text


# ---- IPython syntax in the sandbox -----------------------------------------------------------

@pytest.mark.parametrize("line, python", [
    ("!ls -l", "_grading_shell('ls -l', capture=False)"),
    ("files = !ls", "files = _grading_shell('ls', capture=True)"),
    ("    !pip install -q x", "    _grading_shell('pip install -q x', capture=False)"),
    ("%pip install x", "_grading_shell('pip install x', capture=False)"),
    ("%time y = f(1)", "y = f(1)"),
    ("t = %timeit f(1)", "t = f(1)"),
    ("%matplotlib inline", "pass"),
    ("  %load_ext autoreload", "  pass"),
    ("x = 1 % 2", "x = 1 % 2"),
    ("y != 3", "y != 3"),
])
def test_line_magics_become_python(line, python):
    assert runner.python_source(line) == python


def test_cell_magics_run_as_in_jupyter(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace = {"_grading_shell": runner.shell}
    runner.run_cell(1, "%%writefile notes.txt\n1 = not python\n", namespace)
    runner.run_cell(2, "%%writefile -a notes.txt\nmore\n", namespace)
    assert (tmp_path / "notes.txt").read_text() == "1 = not python\nmore\n"
    runner.run_cell(3, "%%bash\necho hi > from_bash.txt", namespace)
    assert (tmp_path / "from_bash.txt").read_text() == "hi\n"
    runner.run_cell(4, "%%capture\nprint('hidden')\nvalue = 6 * 7", namespace)
    runner.run_cell(5, "%%html\n<b>not code</b>", namespace)
    runner.run_cell(6, "s = ('%d'\n     % 3)\nlines = !echo a; echo b", namespace)  # '% 3' continues an expression
    assert namespace["value"] == 42 and namespace["s"] == "3" and namespace["lines"] == ["a", "b"]
    assert "hidden" not in capsys.readouterr().out


def test_asking_for_bubblewrap_where_it_is_missing_is_an_error(monkeypatch, folder, capsys):
    from minitorch.grading import sandbox

    monkeypatch.setattr(sandbox, "detect", lambda: sandbox.Isolation("rlimits-only", "bwrap is not installed"))
    assert main([*grade_args(folder), "--isolation", "bubblewrap"]) == 1
    err = capsys.readouterr().err
    assert "--isolation bubblewrap, but bwrap is not installed" in err and sandbox.INSTALL_BUBBLEWRAP in err
