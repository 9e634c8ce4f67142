"""Static checks of the lecture notebooks in notebooks/ (no kernel needed; running them is nbval's job).

Every notebook: cell 1 is the header (title, a Colab badge pointing at the notebook itself, a
runtime), cell 2 is the exact setup cell, it was committed executed (no missing execution counts,
no errors), it needs no network, it still matches the builder script that generates it, and
pytest is configured to run it with strict ``--nbval`` (every output compared with a fresh run). Cells
whose output may vary say why; progress bars are committed finished; each lecture links its homework;
"Predict first" answers stay hidden until asked for.

Both editions are checked, English (``notebooks/``) and Russian (``notebooks/ru/``), and they must
match each other cell for cell: same kinds of cells in the same order, the same code up to comments
and string literals, the same kinds of outputs.
"""

import ast
import base64
import importlib
import json
import pathlib
import re
import sys

import pytest

nbformat = pytest.importorskip("nbformat")

REPO = pathlib.Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the builders import notebooks._build.common
    sys.path.insert(0, str(REPO))

from minitorch._publish import colab_setup_cell  # noqa: E402
from notebooks._build.common import EDITIONS, HOMEWORK, VOLATILE, badge, building  # noqa: E402

ENGLISH = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# notebooks/ru/ also holds the glossary (00_glossary.ipynb, Russian only; tests/test_i18n.py checks it)
RUSSIAN = sorted(p for p in (REPO / "notebooks" / "ru").glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))
NOTEBOOKS = [("en", p) for p in ENGLISH] + [("ru", p) for p in RUSSIAN]
# The words the kit's helpers write in each edition (notebooks/_build/common.py).
WORDS = {
    "en": dict(lecture="Lecture", runtime=r"Runtime: about \d+ seconds on a 2-core CPU", predict="**Predict first:**",
               answer="<details><summary><b>Answer</b>", exercises="../exercises"),
    "ru": dict(lecture="Лекция", runtime=r"Время выполнения: около \d+ секунд?ы? на 2-ядерном CPU",
               predict="**Сначала предскажите:**", answer="<details><summary><b>Ответ</b>",
               exercises="../../exercises/ru"),
}
URL = re.compile(r"https?://")


@pytest.fixture(params=NOTEBOOKS, ids=[f"{language}/{p.name}" for language, p in NOTEBOOKS])
def notebook(request):
    language, path = request.param
    return path, nbformat.read(path, as_version=4)


def language_of(path):
    return "ru" if path.parent.name == "ru" else "en"


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_header_has_title_badge_and_runtime(notebook):
    path, nb = notebook
    first, words = nb.cells[0], WORDS[language_of(path)]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# {words['lecture']} {int(path.name[:2])}: ")
    with building(language_of(path)):
        assert badge(path.name) in first.source  # the badge opens this very notebook in Colab
    assert re.search(words["runtime"], first.source)


def test_second_cell_is_the_setup_cell(notebook):
    path, nb = notebook
    assert nb.cells[1].cell_type == "code"
    assert nb.cells[1].source == colab_setup_cell(language=language_of(path))  # in the edition's language


def test_committed_executed_without_errors(notebook):
    _, nb = notebook
    for cell in code_cells(nb):
        assert cell.execution_count is not None, f"not executed: {cell.source[:60]!r}"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"error output in {cell.source[:60]!r}"


def test_no_network(notebook):
    _, nb = notebook
    for cell in code_cells(nb)[1:]:  # the setup cell's pip line is the only URL allowed
        assert not URL.search(cell.source), f"URL in a code cell: {cell.source[:60]!r}"
        assert "download=True" not in cell.source.replace(" ", "")


def test_outputs_are_small(notebook):
    path, _ = notebook
    assert path.stat().st_size < 500_000, "shrink the figures (figsize (6, 3.5), dpi 80) or the printed arrays"


def test_notebook_matches_its_builder(notebook):
    """Edit notebooks/_build/NN_name.py and rerun ``python -m notebooks._build NN``, not the .ipynb."""
    path, nb = notebook
    builder = importlib.import_module(f"notebooks._build.{path.stem}")
    assert builder.FILE == path.name
    with building(language_of(path)):
        expected = [(c.cell_type, c.source) for c in builder.cells()]
    assert [(c.cell_type, c.source) for c in nb.cells] == expected, f"rerun: python -m notebooks._build {path.name[:2]}"
    assert f"{builder.RUNTIME_S} {'секунд' if language_of(path) == 'ru' else 'seconds'}" in nb.cells[0].source


def test_pytest_runs_the_notebooks_with_nbval():
    """``python -m pytest`` must execute notebooks/ with strict ``--nbval`` and leave exercises/ alone."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    options = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "notebooks" in options["testpaths"] and "tests" in options["testpaths"]
    assert not {"exercises", "solutions"} & set(options["testpaths"])
    addopts = options.get("addopts", "")
    addopts = (addopts if isinstance(addopts, str) else " ".join(addopts)).split()
    assert "--nbval" in addopts and "--nbval-lax" not in addopts
    sanitize = [a.split("=", 1)[1] for a in addopts if a.startswith("--nbval-sanitize-with=")]
    assert sanitize and (REPO / sanitize[0]).is_file()


def test_volatile_cells_say_why(notebook):
    """Strict nbval compares every output; the only exceptions are marked, each with its reason."""
    path, nb = notebook
    for cell in code_cells(nb):
        lines = [line.strip() for line in cell.source.splitlines()]
        assert "# NBVAL_SKIP" not in lines and "# NBVAL_CHECK_OUTPUT" not in lines  # strict: all are checked
        if re.search(r"^\s*interact\(", cell.source, re.M):   # slider output is redrawn by the widget
            assert "# NBVAL_IGNORE_OUTPUT" in lines, f"mark the slider cell volatile: {cell.source[:80]!r}"
        for i, line in enumerate(lines):
            if line == "# NBVAL_IGNORE_OUTPUT":
                assert i + 1 < len(lines) and re.fullmatch(rf"# {VOLATILE[language_of(path)]}: \S.{{5,}}", lines[i + 1]), \
                    f"say why the output varies: {cell.source[:80]!r}"


def test_progress_bars_are_committed_finished(notebook):
    """A progress bar's committed state is its last one (no half-drawn "0%" bars, no raw carriage returns)."""
    _, nb = notebook
    for cell in code_cells(nb):
        for output in cell.outputs:
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert "\r" not in text and not re.search(r"\b0%\|", text), f"unfinished progress bar: {text[:80]!r}"


def test_no_internal_words(notebook):
    """Students never see the kit's internal file names for the source lectures."""
    _, nb = notebook
    for cell in nb.cells:
        assert "seeds/" not in cell.source, cell.source[:80]


def test_links_its_homework(notebook):
    path, nb = notebook
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for name in HOMEWORK[int(path.name[:2])]:
        assert f"({WORDS[language_of(path)]['exercises']}/{name}.ipynb)" in text


def test_predict_first_hides_the_answer(notebook):
    """A quiz's explanation is not readable in its own cell: it is encoded, and spelled out only in the
    collapsed answer after the experiment."""
    path, nb = notebook
    words = WORDS[language_of(path)]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith(words["predict"]):  # every one is a quiz
            assert nb.cells[i + 1].source.startswith("quiz("), f"a prediction without a quiz: {cell.source[:70]!r}"
        if cell.cell_type == "code" and cell.source.startswith("quiz("):
            assert nb.cells[i - 1].source.startswith(words["predict"])
            assert nb.cells[i + 2].source.startswith(words["answer"])
            options, key = (ast.literal_eval(arg) for arg in ast.parse(cell.source).body[0].value.args)
            answer, why = json.loads(base64.b64decode(key))
            assert 0 <= answer < len(options) and why
            assert f"**({answer + 1}) {options[answer]}.** {why}" in nb.cells[i + 2].source  # the same answer twice


def test_every_lecture_has_both_editions():
    """``python -m notebooks._build`` writes each lecture in English and in Russian."""
    assert [p.name for p in RUSSIAN] == [p.name for p in ENGLISH]
    assert set(EDITIONS) == {"en", "ru"}


# What a markdown cell may share untranslated: formulas, code, link targets and HTML tags.
PROSE_ONLY = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\]\([^)]*\)|<[^>]*>", re.S)


def skeleton(source):
    """A code cell's program with comments gone and every string literal blanked: what must be the
    same in both editions (an f-string keeps the expressions it formats)."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))  # magics become plain calls
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
        if isinstance(node, ast.JoinedStr):
            node.values = [v for v in node.values if not isinstance(v, ast.Constant)]
    return ast.dump(tree)


@pytest.mark.parametrize("english", ENGLISH, ids=[p.name for p in ENGLISH])
def test_editions_have_the_same_cells(english):
    """The Russian edition is the English one translated: the same cells in the same order, the same
    code (comments and printed words aside) and the same kinds of outputs, so the two cannot drift."""
    russian = REPO / "notebooks" / "ru" / english.name
    if not russian.exists():
        pytest.fail(f"no Russian edition of {english.name}: python -m notebooks._build {english.name[:2]}")
    en, ru = (nbformat.read(p, as_version=4).cells for p in (english, russian))
    assert [c.cell_type for c in ru] == [c.cell_type for c in en]
    for i, (a, b) in enumerate(zip(en, ru)):
        if a.cell_type == "code":
            assert skeleton(a.source) == skeleton(b.source), f"cell {i} differs beyond comments and strings"
            kinds = [[(o.output_type, sorted(o.get("data", {}))) for o in c.outputs] for c in (a, b)]
            assert kinds[0] == kinds[1], f"cell {i}: different outputs"
        elif re.search(r"[A-Za-z]{4}", PROSE_ONLY.sub("", a.source)):
            assert re.search("[а-яё]", b.source, re.I), f"cell {i} is not translated: {b.source[:70]!r}"
