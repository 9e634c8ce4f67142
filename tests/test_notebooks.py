"""Static checks of the lecture notebooks in notebooks/ (no kernel needed; running them is nbval's job).

Every notebook: cell 1 is the header (title, a Colab badge pointing at the notebook itself, a
runtime), cell 2 is the exact setup cell, it was committed executed (no missing execution counts,
no errors), it needs no network, it still matches the builder script that generates it, and
pytest is configured to run it with ``--nbval-lax``.
"""

import importlib
import pathlib
import re
import sys

import pytest

nbformat = pytest.importorskip("nbformat")

REPO = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
if str(REPO) not in sys.path:  # the builders import notebooks._build.common
    sys.path.insert(0, str(REPO))

from notebooks._build.common import SETUP, badge  # noqa: E402

URL = re.compile(r"https?://")


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_header_has_title_badge_and_runtime(notebook):
    path, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# Lecture {int(path.name[:2])}: ")
    assert badge(path.name) in first.source  # the badge opens this very notebook in Colab
    assert re.search(r"Runtime: about \d+ seconds on a 2-core CPU", first.source)


def test_second_cell_is_the_setup_cell(notebook):
    _, nb = notebook
    assert nb.cells[1].cell_type == "code"
    assert nb.cells[1].source == SETUP


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
    expected = [(c.cell_type, c.source) for c in builder.cells()]
    assert [(c.cell_type, c.source) for c in nb.cells] == expected, f"rerun: python -m notebooks._build {path.name[:2]}"
    assert f"about {builder.RUNTIME_S} seconds" in nb.cells[0].source


def test_pytest_runs_the_notebooks_with_nbval():
    """``python -m pytest`` must execute notebooks/ with ``--nbval-lax`` and leave exercises/ alone."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    options = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "notebooks" in options["testpaths"] and "tests" in options["testpaths"]
    assert not {"exercises", "solutions"} & set(options["testpaths"])
    addopts = options.get("addopts", "")
    assert "--nbval-lax" in (addopts if isinstance(addopts, str) else " ".join(addopts))
