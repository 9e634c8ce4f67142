"""assign: solution notebooks -> exercises (markers, golden output, errors, no leaks), and the
committed exercises/ being exactly what assign produces."""

import io
import re
import tokenize
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from minitorch._publish import REF, colab_setup_cell, install_spec  # noqa: E402
from minitorch.grading import REPOSITORY  # noqa: E402
from minitorch.grading.assign import (MarkerError, assign, code_cells, colab_cells, edition, exercise,  # noqa: E402
                                      hidden_tests_source)

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb")) + sorted((ROOT / "exercises" / "ru").glob("*.ipynb"))
YOUR_CODE = {"exercises": "# YOUR CODE HERE", "ru": "# ВАШ КОД ЗДЕСЬ"}


def notebook(*cells, name="hw99_demo"):
    """A solution notebook: badge, setup, then ("code" | "markdown", source) cells."""
    badge, setup = colab_cells(name)
    new = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    return nbformat.v4.new_notebook(cells=[new["markdown"](badge), new["code"](setup)]
                                    + [new[kind](source) for kind, source in cells])


SOLUTION = '''\
import math

def area(r):
    """The area of a circle."""
    ### BEGIN SOLUTION
    if r < 0:
        raise ValueError(r)
    return math.pi * r ** 2
    ### END SOLUTION

class Box:
    def volume(self):
        return self.w * self.h * self.d  # SOLUTION

scale = 2.0  # SOLUTION
offset = 1.0  # SOLUTION
print(area(scale))'''

EXERCISE = '''\
import math

def area(r):
    """The area of a circle."""
    # YOUR CODE HERE
    raise NotImplementedError

class Box:
    def volume(self):
        # YOUR CODE HERE
        raise NotImplementedError

# YOUR CODE HERE
raise NotImplementedError
print(area(scale))'''

HIDDEN = '''\
check("hw99_demo", area)
### BEGIN HIDDEN TESTS
assert area(1) == math.pi
### END HIDDEN TESTS'''


def test_golden_exercise():
    nb = notebook(("code", SOLUTION), ("markdown", "Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION\nEnd."),
                  ("code", HIDDEN), ("code", "### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS"),
                  ("code", "x = 1  # no marker here"))
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="3.14\n")]
    nb.cells[2].execution_count = 7
    nb.cells[2].metadata = {"tags": ["keep"], "execution": {"started": "now"}}
    out = exercise(nb, "hw99_demo")
    sources = [c.source for c in out.cells]
    assert sources == [*colab_cells("hw99_demo"), EXERCISE, "Why?\nYOUR ANSWER HERE\nEnd.",
                       'check("hw99_demo", area)', "x = 1  # no marker here"]  # the hidden-tests-only cell is gone
    code = [c for c in out.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert out.cells[2].metadata == {"tags": ["keep"]}
    assert [c.id for c in out.cells] == [c.id for i, c in enumerate(nb.cells) if i != 5]
    nbformat.validate(out)


def test_badge_and_setup_come_from_the_repository_constant():
    badge, setup = colab_cells("hw01_tanh")
    assert f"colab.research.google.com/github/{REPOSITORY}/blob/{REF}/exercises/hw01_tanh.ipynb" in badge
    assert "colab-badge.svg" in badge
    assert f'"{install_spec()}"' in setup and f"github.com/{REPOSITORY}@{REF}" in install_spec()
    stale = notebook(("code", "x = 1"))
    stale.cells[0].source = stale.cells[0].source.replace(REPOSITORY, "someone/old-name")
    assert exercise(stale, "hw99_demo").cells[0].source == colab_cells("hw99_demo")[0]


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\nx = 1", "BEGIN SOLUTION without END SOLUTION"),
    ("x = 1\n### END SOLUTION", "line 2: END SOLUTION without BEGIN SOLUTION"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "line 2: BEGIN SOLUTION inside the SOLUTION region"),
    ("### BEGIN HIDDEN TESTS\nassert x", "BEGIN HIDDEN TESTS without END HIDDEN TESTS"),
    ("### BEGIN SOLUTION\n### END HIDDEN TESTS", "END HIDDEN TESTS without BEGIN HIDDEN TESTS"),
    ("### BEGIN HIDDEN TESTS\n### BEGIN SOLUTION", "BEGIN SOLUTION inside the HIDDEN TESTS region"),
])
def test_unmatched_markers_are_errors(source, message):
    with pytest.raises(MarkerError, match=message) as error:
        exercise(notebook(("code", "y = 2"), ("code", source)), "hw99_demo")
    assert "hw99_demo: cell 3" in str(error.value)


def test_the_badge_and_setup_cells_are_required():
    nb = notebook(("code", "x = 1"))
    del nb.cells[0]
    with pytest.raises(MarkerError, match="the first two cells must be the Colab badge and the setup cell"):
        exercise(nb, "hw99_demo")


def test_code_cells_drop_shell_and_magic_lines():
    nb = notebook(("code", "%matplotlib inline\nx = 1\nif x:\n    !ls\n%%capture"), ("markdown", "!not code"))
    cells = code_cells(nb)
    assert cells[0] == colab_cells("hw99_demo")[1]  # the setup cell is plain Python
    assert cells[1:] == ["pass\nx = 1\nif x:\n    pass\npass"]
    for cell in cells:
        compile(cell, "<cell>", "exec")


def test_hidden_tests_source():
    nb = notebook(("code", HIDDEN), ("code", "### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\nc = 3"))
    assert hidden_tests_source(nb) == "assert area(1) == math.pi\nb = 2"


def test_committed_exercises_are_exactly_what_assign_produces(tmp_path):
    """Both editions: exercises/ (English) and exercises/ru/ (Russian)."""
    written = [p.relative_to(tmp_path).as_posix() for p in assign(ROOT / "solutions", tmp_path)]
    assert written == [p.name for p in SOLUTIONS] + [f"ru/{p.name}" for p in SOLUTIONS]
    assert [p.relative_to(ROOT / "exercises").as_posix() for p in EXERCISES] == written, \
        "exercises/ holds notebooks that assign does not produce"
    for path in written:
        committed = ROOT / "exercises" / path
        assert committed.read_bytes() == (tmp_path / path).read_bytes(), \
            f"{committed} is stale: run python -m minitorch.grading assign solutions/ exercises/"


def test_one_cell_in_two_languages():
    markdown = "## Tanh\nWrite it.\n\n<!-- ru -->\n\n## Tanh\nНапишите её."
    assert edition(markdown, True, "en") == "## Tanh\nWrite it."
    assert edition(markdown, True, "ru") == "## Tanh\nНапишите её."
    assert edition("$y = x^2$", True, "ru") == "$y = x^2$"  # no marker: the same in both
    code = ("x = 1\n    # en: the output, saved\n    # ru: выход, сохранённый\n# a shared comment\n# en:\n"
            "y = 2  # en: two # ru: два\nz = '# en: in a string'")
    assert edition(code, False, "en") == ("x = 1\n    # the output, saved\n# a shared comment\n#\ny = 2  # two\n"
                                          "z = '# en: in a string'")
    assert edition(code, False, "ru") == ("x = 1\n    # выход, сохранённый\n# a shared comment\ny = 2  # два\n"
                                          "z = '# en: in a string'")


def test_the_russian_edition_of_a_solution():
    nb = notebook(("markdown", "Why?\n<!-- ru -->\nПочему?\n### BEGIN SOLUTION\nПотому что.\n### END SOLUTION"),
                  ("code", "def f(x):\n    # en: double it\n    # ru: удвоить\n    return 2 * x  # SOLUTION"))
    out = exercise(nb, "hw99_demo", "ru")
    assert [c.source for c in out.cells] == [*colab_cells("hw99_demo", "ru"), "Почему?\nВАШ ОТВЕТ ЗДЕСЬ",
                                             "def f(x):\n    # удвоить\n    # ВАШ КОД ЗДЕСЬ\n    raise NotImplementedError"]
    badge, setup = colab_cells("hw99_demo", "ru")
    assert f"github/{REPOSITORY}/blob/{REF}/exercises/ru/hw99_demo.ipynb" in badge
    assert setup.startswith(colab_setup_cell(language="ru")) and setup.endswith("\n%env LANGUAGE=ru")
    assert "В Google Colab эта ячейка устанавливает" in setup  # the setup cell speaks the edition's language
    assert [c.source for c in exercise(nb, "hw99_demo").cells][2:] == [
        "Why?", "def f(x):\n    # double it\n    # YOUR CODE HERE\n    raise NotImplementedError"]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_both_editions_have_the_same_cells_in_the_same_order(path):
    """Same cell ids and kinds; the same code apart from comments (and the setup cell's
    set_language); every prose cell of the Russian edition is Russian."""
    english = nbformat.read(ROOT / "exercises" / path.name, as_version=4).cells
    russian = nbformat.read(ROOT / "exercises" / "ru" / path.name, as_version=4).cells
    assert [(c.id, c.cell_type) for c in english] == [(c.id, c.cell_type) for c in russian]

    def code(source):  # the tokens, without comments and blank lines
        lines = io.StringIO(re.sub(r"(?m)^(\s*)[!%].*$", r"\1pass", source)).readline
        return [(t.type, t.string) for t in tokenize.generate_tokens(lines)
                if t.type not in (tokenize.COMMENT, tokenize.NL)]

    for i, (en, ru) in enumerate(zip(english[2:], russian[2:]), 2):
        if en.cell_type == "code":
            assert code(en.source) == code(ru.source), f"cell {i}: the code differs between editions"
        elif re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", re.sub(r"`[^`]*`|\$[^$]*\$|\([^)]*\)", "", en.source)):
            assert re.search("[а-яё]", ru.source.lower()), f"cell {i} has no Russian text:\n{ru.source}"
            assert en.source != ru.source


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_no_solution_or_hidden_test_leaks_into_the_exercise(path):
    solution = nbformat.read(path, as_version=4)
    text = (ROOT / "exercises" / path.name).read_text(encoding="utf-8")
    secret, public, region = set(), set(), False
    for cell in solution.cells:
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
                region = True
            elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
                region = False
            elif region or line.rstrip().endswith("# SOLUTION"):
                secret.add(line.strip())
            else:
                public.add(line.strip())
    secret -= public | {""}  # lines that also appear outside the regions (an import, a blank line) are no secret
    assert secret, "every solution notebook has solution code"
    for text in (text, (ROOT / "exercises" / "ru" / path.name).read_text(encoding="utf-8")):  # both editions
        cells = nbformat.reads(text, as_version=4).cells
        assert not secret & {line.strip() for c in cells for line in c.source.splitlines()}
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "hidden_test"):
            assert marker not in text
        assert all(c.outputs == [] for c in cells if c.cell_type == "code")


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solutions_are_committed_executed_without_errors(path):
    solution = nbformat.read(path, as_version=4)
    code = [c for c in solution.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "run the notebook top to bottom before committing"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for c in code for o in c.outputs if o.output_type == "stream")
    for complaint in ("not written yet", "this cell raised", "skipped:", "gradient check FAILED", "could not run"):
        assert complaint not in printed, f"a solution cell printed {complaint!r}"


def test_assign_command_reports_marker_errors(tmp_path, capsys):
    from minitorch.grading.__main__ import main

    nbformat.write(notebook(("code", "### BEGIN SOLUTION\nx = 1")), tmp_path / "hw99_demo.ipynb")
    assert main(["assign", str(tmp_path), str(tmp_path / "out")]) == 1
    assert "error: hw99_demo: cell 2: BEGIN SOLUTION without END SOLUTION" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--assignment", "hw99_demo"]) == 1
    assert "error: unknown assignment 'hw99_demo'" in capsys.readouterr().err


def run_all(nb, monkeypatch):
    """Run every code cell as "Run All" does, in one namespace: an exception fails the test.
    ``%env NAME=VALUE`` sets the variable, as in Jupyter (the Russian edition's LANGUAGE=ru)."""
    namespace = {"__name__": "__main__"}
    monkeypatch.setenv("LANGUAGE", "en")  # whatever the locale here, unless the notebook says otherwise
    for cell in nb.cells:
        for name, value in re.findall(r"(?m)^%env (\w+)=(\S+)$", cell.source if cell.cell_type == "code" else ""):
            monkeypatch.setenv(name, value)
    for number, code in enumerate(code_cells(nb), 1):
        exec(compile(code, f"<cell {number}>", "exec"), namespace)


def edition_id(path):
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", EXERCISES, ids=edition_id)
def test_run_all_on_an_untouched_exercise_reaches_check(path, capsys, monkeypatch):
    """Every cell of the student notebook runs without raising (unwritten parts are reported and
    skipped), so "Run All" gets to check(), which shows 0 points, every test not attempted."""
    pytest.importorskip("matplotlib").use("Agg")
    monkeypatch.chdir(path.parent)
    run_all(nbformat.read(path, as_version=4), monkeypatch)
    out = capsys.readouterr().out
    report = out[out.index(f"{path.stem}: 0 / "):]
    assert all(line.split()[0] in ("not", "hint:", "не", "подсказка:") or line.startswith(path.stem)
               for line in report.splitlines() if not line.startswith("      ")), report


@pytest.mark.parametrize("path", EXERCISES, ids=edition_id)
def test_run_all_on_a_half_done_exercise_reaches_check(path, capsys, monkeypatch):
    """The first part written (its cell as in the solution), the rest not: "Run All" still gets to
    check(), which gives that part's tests their verdict and the others "not attempted"."""
    pytest.importorskip("matplotlib").use("Agg")
    monkeypatch.chdir(path.parent)
    nb = nbformat.read(path, as_version=4)
    solved = {c.id: c.source for c in nbformat.read(ROOT / "solutions" / path.name, as_version=4).cells}
    first = next(c for c in nb.cells if c.cell_type == "code" and YOUR_CODE[path.parent.name] in c.source)
    first.source = solved[first.id]
    run_all(nb, monkeypatch)
    out = capsys.readouterr().out
    passed, not_attempted = ("зачтено", "не начато") if path.parent.name == "ru" else ("passed", "not attempted")
    assert f"{path.stem}: " in out and passed in out and not_attempted in out
