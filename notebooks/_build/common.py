"""Shared pieces of the lecture-notebook builders.

Each lecture notebook is assembled by a small script ``notebooks/_build/NN_name.py`` defining
``FILE`` (the notebook's name), ``RUNTIME_S`` (the runtime its header states) and ``cells()`` (its
cells, built with :func:`md`, :func:`code`, :func:`predict`). ``python -m notebooks._build NN``
writes ``notebooks/FILE`` and executes it in place, so it is committed with its outputs. Keeping
notebooks as scripts makes edits reviewable: a diff of Python, not of JSON.

Conventions: cell 1 is :func:`header` (title, Colab badge, goals, runtime), cell 2 is
:func:`setup_cell` (installs the kit only on Colab), then the lecture. tests/test_notebooks.py
checks them, and that every notebook still matches its builder.
"""

from __future__ import annotations

import os
import pathlib
import textwrap
import time

import nbformat

from minitorch._publish import colab_badge, colab_setup_cell

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent  # .../notebooks
REPO = NOTEBOOKS.parent
# The badge and the setup cell come from minitorch/_publish.py, the one place that says where the
# kit is published (scripts/publish.py changes it for a fork and rewrites the notebooks).
SETUP = colab_setup_cell()

# Compact inline figures: small PNGs keep the committed notebooks small.
PLOT_SETUP = '''%matplotlib inline
import matplotlib.pyplot as plt
plt.rcParams.update({"figure.figsize": (6, 3.5), "figure.dpi": 80})'''
# Every lecture starts from the same random state, so its printed numbers are reproducible.
SEEDS = '''torch.manual_seed(0)
np.random.seed(0)'''


def md(text):
    """A markdown cell from an indented triple-quoted string."""
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())


def code(*parts):
    """A code cell from indented triple-quoted strings (each dedented, joined by newlines)."""
    return nbformat.v4.new_code_cell("\n".join(textwrap.dedent(p).strip() for p in parts))


def imports_cell(imports, *more):
    """The cell after :func:`setup_cell`: the lecture's ``imports``, compact inline plots, fixed seeds,
    then any ``more`` lines."""
    return code(imports, PLOT_SETUP, SEEDS, *more)


def predict(question, reveal):
    """A "Predict first" moment: the question as markdown, then the cell that answers it."""
    return [md(f"**Predict first:** {question}"), code(reveal)]


def badge(filename):
    """The "Open in Colab" badge linking to this notebook on GitHub, at the published tag."""
    return colab_badge(f"notebooks/{filename}")


def header(number, title, filename, goals, runtime_s):
    """Cell 1: title, Colab badge, learning goals and the runtime on a 2-core CPU."""
    bullets = "\n".join(f"- {g}" for g in goals)
    return nbformat.v4.new_markdown_cell(
        f"# Lecture {number}: {title}\n\n{badge(filename)}\n\n"
        f"**You will learn to**\n\n{bullets}\n\n"
        f"Runtime: about {runtime_s} seconds on a 2-core CPU.")


def setup_cell():
    """Cell 2, exactly the same in every notebook."""
    return nbformat.v4.new_code_cell(SETUP)


def write_and_execute(filename, cells, runtime_s=None, execute=True, timeout=120):
    """Write ``notebooks/<filename>`` from ``cells`` and run it in place (outputs saved).

    Runs with the notebooks folder as the working directory and the repository on
    ``PYTHONPATH``, so an uninstalled checkout works too. Returns the seconds it took and warns
    when that is far from the ``runtime_s`` the header states.
    """
    path = NOTEBOOKS / filename
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    seconds = None
    if execute:
        from nbclient import NotebookClient

        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        if runtime_s is not None and seconds > 1.5 * runtime_s:  # the header must not understate
            print(f"warning: {filename} ran in {seconds:.1f} s but its header says about {runtime_s} s")
    nb.metadata.pop("widgets", None)  # widget state is only a snapshot; rerunning rebuilds it
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds
