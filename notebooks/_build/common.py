"""Shared pieces of the lecture-notebook builders.

Each lecture notebook is assembled by a small script ``notebooks/_build/NN_name.py`` defining
``FILE`` (the notebook's name), ``RUNTIME_S`` (the runtime its header states) and ``cells()`` (its
cells, built with :func:`md`, :func:`code`, :func:`predict`). ``python -m notebooks._build NN``
writes ``notebooks/FILE`` and executes it in place, so it is committed with its outputs. Keeping
notebooks as scripts makes edits reviewable: a diff of Python, not of JSON.

Conventions: cell 1 is :func:`header` (title, Colab badge, goals, runtime), cell 2 is
:func:`setup_cell` (installs the kit only on Colab), then the lecture. tests/test_notebooks.py
checks them, and that every notebook still matches its builder.

Outputs cannot drift: nbval runs in strict mode (pyproject.toml), so every committed output must
equal a fresh run's. The builder and nbval both run the kernel in :data:`ENV` (one BLAS thread,
fixed hash seed); a cell whose output legitimately varies (wall-clock timings, hardware names)
starts with :func:`volatile`, which names the reason. Numbers quoted in prose are printed by code.
"""

from __future__ import annotations

import base64
import json
import os
import pathlib
import re
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
# The environment both the builder's kernel and nbval's kernel run in (notebooks/conftest.py sets it
# for pytest): one BLAS thread, so sums are added in the same order on every machine, and a fixed hash
# seed, so set iteration order cannot change a printed result.
ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
# The homework that goes with each lecture (exercises/ is generated from solutions/).
HOMEWORK = {
    1: ["hw03_strides"], 2: ["hw03_strides"], 3: ["hw05_backprop", "hw06_autograd_engine"], 4: ["hw01_tanh"],
    5: ["hw01_tanh"], 6: ["hw02_augmentation"], 7: ["hw04_optimizers"], 8: ["hw07_conv_backward"],
    9: ["hw08_data_parallel"],
}


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


def volatile(reason):
    """The first lines of a cell whose output differs from run to run (nbval then skips comparing it);
    ``reason`` says why, e.g. ``"wall-clock timings"``. Everything else in the cell must not depend on it."""
    return f"# NBVAL_IGNORE_OUTPUT\n# volatile output: {reason}"


# The helper behind every "Predict first" question (a cell of its own, source collapsed in Jupyter).
QUIZ = '''# Helper for the "Predict first" questions: a multiple choice that reveals the answer once you pick one.
import base64, json
from IPython.display import Markdown, display

def quiz(options, key):
    """Show the options; picking one reveals whether it is right and why. The answer is base64-encoded
    in `key` so that you cannot read it before predicting. Without ipywidgets: a numbered list."""
    answer, why = json.loads(base64.b64decode(key))
    text = "\\n".join(f"  ({i + 1}) {option}" for i, option in enumerate(options))
    fallback = f"{text}\\n(pick one, run the experiment, then open 'Answer' under it)"
    try:
        import ipywidgets as widgets
    except ImportError:
        print(fallback)
        return
    choice = widgets.RadioButtons(options=options, value=None, layout={"width": "max-content"})
    result = widgets.Output()

    def reveal(change):
        result.clear_output()
        with result:
            verdict = "Right!" if change["new"] == options[answer] else f"Not quite: it is ({answer + 1})."
            display(Markdown(f"**{verdict}** {why}"))

    choice.observe(reveal, names="value")
    box = widgets.VBox([choice, result])
    display({"text/plain": fallback, "application/vnd.jupyter.widget-view+json":
             {"version_major": 2, "version_minor": 0, "model_id": box.model_id}}, raw=True)'''


def quiz_cell():
    """The cell defining ``quiz`` (after the imports), its source collapsed in Jupyter."""
    cell = nbformat.v4.new_code_cell(QUIZ)
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def predict(question, reveal, options=None, answer=None, why=None):
    """A "Predict first" moment: the question as markdown; with ``options`` a ``quiz`` cell (``answer``:
    the index of the right option, ``why``: the explanation, shown after a pick and in a collapsed
    "Answer" under the experiment, which is what GitHub and other widget-less viewers show); then the
    cell ``reveal`` that answers it by experiment."""
    cells = [md(f"**Predict first:** {question}")]
    if options is None:
        return cells + [code(reveal)]
    key = base64.b64encode(json.dumps([answer, why]).encode()).decode()
    cells.append(code(f"quiz({options!r}, {key!r})"))
    cells.append(code(reveal))
    cells.append(details("Answer", f"**({answer + 1}) {options[answer]}.** {why}"))
    return cells


def details(summary, text):
    """A collapsed markdown cell (HTML ``<details>``): a worked answer that stays hidden until clicked."""
    return md(f"<details><summary><b>{summary}</b> (click to open)</summary>\n\n{textwrap.dedent(text).strip()}\n\n</details>")


def try_it(items):
    """The closing "Try it" section: each ``(task, worked_answer)`` as a bullet followed by its answer
    in a collapsed cell."""
    cells = [md("## Try it")]
    for task, answer in items:
        cells += [md(f"- {textwrap.dedent(task).strip()}"), details("Worked answer", answer)]
    return cells


def homework(number, text):
    """A markdown cell linking lecture ``number``'s homework notebooks (in ``exercises/``)."""
    links = ", ".join(f"[`{name}`](../exercises/{name}.ipynb)" for name in HOMEWORK[number])
    return md(f"## Homework\n\n{links}: {textwrap.dedent(text).strip()}")


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


def write_and_execute(filename, cells, runtime_s=None, execute=True, timeout=600):
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
        os.environ.update(ENV)  # the kernel inherits it: the same environment nbval's kernel gets
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        if runtime_s is not None and seconds > 1.5 * runtime_s:  # the header must not understate
            print(f"warning: {filename} ran in {seconds:.1f} s but its header says about {runtime_s} s")
    nb.metadata.pop("widgets", None)  # widget state is only a snapshot; rerunning rebuilds it
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = final_state(cell.outputs)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


CARRIAGE_RETURN = re.compile(r"^[^\n]*\r(?=[^\n])", re.MULTILINE)


def final_state(outputs):
    """Outputs as a terminal would end up showing them: consecutive pieces of one stream joined, and a
    line rewritten with "\\r" (a progress bar) kept in its last state. nbval compares streams the
    same way, so a progress bar is committed finished, and compared as such."""
    merged = []
    for output in outputs:
        if (output.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == output.name):
            merged[-1].text += output.text
        else:
            merged.append(output)
    for output in merged:
        if output.output_type == "stream":
            output.text = CARRIAGE_RETURN.sub("", output.text)
    return merged
