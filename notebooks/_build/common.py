"""Shared pieces of the lecture-notebook builders.

Each lecture notebook is assembled by a small script ``notebooks/_build/NN_name.py`` defining
``FILE`` (the notebook's name), ``RUNTIME_S`` (the runtime its header states) and ``cells()`` (its
cells, built with :func:`md`, :func:`code`, :func:`predict`). ``python -m notebooks._build NN``
writes ``notebooks/FILE`` and executes it in place, so it is committed with its outputs. Keeping
notebooks as scripts makes edits reviewable: a diff of Python, not of JSON.

Conventions: cell 1 is :func:`header` (title, Colab badge, goals, runtime), cell 2 is
:func:`setup_cell` (installs the kit only on Colab), then the lecture. tests/test_notebooks.py
checks them, and that every notebook still matches its builder.

Two editions from one source: ``cells()`` runs once per edition, English (``notebooks/FILE``) and
Russian (``notebooks/ru/FILE``). Prose is written side by side, ``md(english, russian)``, and any
other text the edition changes (titles, goals, quiz options) is ``tr(english, russian)``; the
words a code cell prints are swapped in by :func:`words`, and a worked answer whose code block is
the same in both is :func:`with_code`. Code cells are shared; a comment that teaches is translated in place as the homework
does it (:func:`minitorch.grading.assign.edition`): a whole line ``# en: ...`` / ``# ru: ...``
stays only in its edition, a line ending ``  # en: ... # ru: ...`` keeps its edition's comment.
A Russian build with an untranslated markdown cell is an error, and tests/test_notebooks.py checks
that both editions have the same cells in the same order, with the same code up to comments and
strings and the same kinds of outputs.

Outputs cannot drift: nbval runs in strict mode (pyproject.toml), so every committed output must
equal a fresh run's. The builder and nbval both run the kernel in :data:`ENV` (one BLAS thread,
fixed hash seed); a cell whose output legitimately varies (wall-clock timings, hardware names)
starts with :func:`volatile`, which names the reason. Numbers quoted in prose are printed by code.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import pathlib
import re
import textwrap
import time

import nbformat

from minitorch._publish import colab_badge, colab_setup_cell
from minitorch.grading.assign import edition, edition_links

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent  # .../notebooks
REPO = NOTEBOOKS.parent
# The badge and the setup cell come from minitorch/_publish.py, the one place that says where the
# kit is published (scripts/publish.py changes it for a fork and rewrites the notebooks).

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


# The edition being built; :func:`building` switches it. Each edition's notebooks live in its folder.
EDITIONS = {"en": "", "ru": "ru"}
_language = "en"


@contextlib.contextmanager
def building(language):
    """Build the cells of ``language``'s edition inside this block: ``with building("ru"): cells()``."""
    global _language
    previous, _language = _language, language
    try:
        yield
    finally:
        _language = previous


def tr(en, ru):
    """The text of the edition being built: ``tr("loss", "потери")``."""
    return ru if _language == "ru" else en


def md(en, ru=None):
    """A markdown cell from indented triple-quoted strings, its English and its Russian text.
    A text without words to translate (a formula) may be given once, as ``md(text, text)``."""
    return _markdown(_translated(en, ru))


def _translated(en, ru):
    """``tr(en, ru)``, refusing to build a Russian edition with English prose left in it."""
    if _language == "ru" and ru is None:
        raise ValueError(f"no Russian text for {textwrap.dedent(en).strip()[:70]!r}")
    return tr(en, ru)


def words(source, translations):
    """A code cell's ``source`` that prints and plots in the edition's language: each English phrase of
    ``translations`` ({english: russian}, quoted as in the code) becomes its Russian in the Russian edition."""
    for en, ru in translations.items():
        if en not in source:
            raise ValueError(f"{en!r} is not in the cell")
        source = source.replace(en, tr(en, ru))
    return source


def with_code(block, en, ru):
    """A worked answer that starts with the same fenced code ``block`` in both editions, followed by
    its English or its Russian text (indented alike, so that the whole dedents as one). The block's
    comments follow the ``# en:`` / ``# ru:`` convention, as in :func:`code`."""
    return tr(edition(block, False, "en") + en, edition(block, False, "ru") + ru)


def _markdown(text):
    """A markdown cell of ``text``, already in the edition's language."""
    return nbformat.v4.new_markdown_cell(edition_links(textwrap.dedent(text).strip(), _language))


def code(*parts):
    """A code cell from indented triple-quoted strings (each dedented, joined by newlines), with the
    comments of the edition being built (``# en:`` / ``# ru:``, see the module's docstring)."""
    return nbformat.v4.new_code_cell(edition("\n".join(textwrap.dedent(p).strip() for p in parts), False, _language))


def imports_cell(imports, *more):
    """The cell after :func:`setup_cell`: the lecture's ``imports``, compact inline plots, fixed seeds,
    then any ``more`` lines."""
    return code(imports, PLOT_SETUP, SEEDS, *more)


def volatile(reason):
    """The first lines of a cell whose output differs from run to run (nbval then skips comparing it);
    ``reason`` says why, e.g. ``"wall-clock timings"``. Everything else in the cell must not depend on it."""
    return f"# NBVAL_IGNORE_OUTPUT\n# {VOLATILE[_language]}: {reason}"


VOLATILE = {"en": "volatile output", "ru": "вывод меняется от запуска к запуску"}


# The helper behind every "Predict first" question (a cell of its own, source collapsed in Jupyter).
QUIZ = '''# {title}
import base64, json
from IPython.display import Markdown, display

def quiz(options, key):
    """{doc}"""
    answer, why = json.loads(base64.b64decode(key))
    text = "\\n".join(f"  ({{i + 1}}) {{option}}" for i, option in enumerate(options))
    fallback = f"{{text}}\\n{fallback}"
    try:
        import ipywidgets as widgets
    except ImportError:
        print(fallback)
        return
    choice = widgets.RadioButtons(options=options, value=None, layout={{"width": "max-content"}})
    result = widgets.Output()

    def reveal(change):
        result.clear_output()
        with result:
            verdict = "{right}" if change["new"] == options[answer] else f"{wrong}"
            display(Markdown(f"**{{verdict}}** {{why}}"))

    choice.observe(reveal, names="value")
    box = widgets.VBox([choice, result])
    display({{"text/plain": fallback, "application/vnd.jupyter.widget-view+json":
             {{"version_major": 2, "version_minor": 0, "model_id": box.model_id}}}}, raw=True)'''
QUIZ_WORDS = {
    "en": dict(title='Helper for the "Predict first" questions: a multiple choice that reveals the answer once you pick one.',
               doc="Show the options; picking one reveals whether it is right and why. The answer is base64-encoded\n"
                   "    in `key` so that you cannot read it before predicting. Without ipywidgets: a numbered list.",
               fallback="(pick one, run the experiment, then open 'Answer' under it)",
               right="Right!", wrong="Not quite: it is ({answer + 1})."),
    "ru": dict(title="Помощник для вопросов «Сначала предскажите»: выбор из вариантов, который раскрывает ответ после выбора.",
               doc="Показывает варианты; выбор одного из них раскрывает, верен ли он и почему. Ответ закодирован\n"
                   "    в base64 в `key`, чтобы его нельзя было прочесть до предсказания. Без ipywidgets: нумерованный список.",
               fallback="(выберите вариант, запустите эксперимент, затем откройте «Ответ» под ним)",
               right="Верно!", wrong="Не совсем: правильный ответ ({answer + 1})."),
}


def quiz_cell():
    """The cell defining ``quiz`` (after the imports), its source collapsed in Jupyter."""
    cell = nbformat.v4.new_code_cell(QUIZ.format(**QUIZ_WORDS[_language]))
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def predict(question, reveal, options, answer, why):
    """A "Predict first" moment: the question as markdown; a ``quiz`` cell (``options``; ``answer``: the
    index of the right option; ``why``: the explanation, shown after a pick and in a collapsed "Answer"
    under the experiment, which is what GitHub and other widget-less viewers show); then the cell
    ``reveal`` that answers it by experiment."""
    cells = [_markdown(f"**{tr('Predict first', 'Сначала предскажите')}:** {question}")]
    why = why[:1].upper() + why[1:]  # a sentence of its own, after "Right!" or the option's number
    key = base64.b64encode(json.dumps([answer, why]).encode()).decode()
    cells.append(code(f"quiz({options!r}, {key!r})"))
    cells.append(code(reveal))
    cells.append(details(tr("Answer", "Ответ"), f"**({answer + 1}) {options[answer]}.** {why}"))
    return cells


def details(summary, text):
    """A collapsed markdown cell (HTML ``<details>``): a worked answer that stays hidden until clicked."""
    click = tr("click to open", "нажмите, чтобы открыть")
    return _markdown(f"<details><summary><b>{summary}</b> ({click})</summary>\n\n{textwrap.dedent(text).strip()}\n\n</details>")


def try_it(items):
    """The closing "Try it" section: each ``(task, worked_answer)`` as a bullet followed by its answer
    in a collapsed cell."""
    cells = [_markdown(tr("## Try it", "## Попробуйте сами"))]
    for task, answer in items:
        cells += [_markdown(f"- {textwrap.dedent(task).strip()}"), details(tr("Worked answer", "Решение"), answer)]
    return cells


def homework(number, en, ru=None):
    """A markdown cell linking lecture ``number``'s homework notebooks (in ``exercises/``, or its
    edition's folder), then what they ask, in English and Russian."""
    links = ", ".join(f"[`{name}`](../exercises/{name}.ipynb)" for name in HOMEWORK[number])
    text = textwrap.dedent(_translated(en, ru)).strip()
    return _markdown(f"## {tr('Homework', 'Домашнее задание')}\n\n{links}: {text}")


def badge(filename):
    """The "Open in Colab" badge linking to this notebook (of the edition being built) on GitHub, at
    the published tag."""
    return colab_badge("/".join(filter(None, ("notebooks", EDITIONS[_language], filename))))


def header(number, title, filename, goals, runtime_s):
    """Cell 1: title, Colab badge, learning goals and the runtime on a 2-core CPU."""
    bullets = "\n".join(f"- {g}" for g in goals)
    return nbformat.v4.new_markdown_cell(
        tr(f"# Lecture {number}: {title}\n\n{badge(filename)}\n\n**You will learn to**\n\n{bullets}\n\n"
           f"Runtime: about {runtime_s} seconds on a 2-core CPU.",
           f"# Лекция {number}: {title}\n\n{badge(filename)}\n\n**Вы научитесь**\n\n{bullets}\n\n"
           f"Время выполнения: около {runtime_s} {_seconds_ru(runtime_s)} на 2-ядерном CPU. Термины лекций и "
           f"имена API, которые им соответствуют: [глоссарий](00_glossary.ipynb)."))


def _seconds_ru(n):
    """The genitive after "около": около 1 секунды, 21 секунды; около 5, 11, 60 секунд."""
    return "секунды" if n % 10 == 1 and n % 100 != 11 else "секунд"


def setup_cell():
    """Cell 2, the same in every notebook of an edition (its comments and messages in its language)."""
    return nbformat.v4.new_code_cell(colab_setup_cell(language=_language))


def write_and_execute(filename, cells, runtime_s=None, execute=True, timeout=600):
    """Write ``notebooks/<filename>`` (``notebooks/ru/<filename>`` while building the Russian edition)
    from ``cells`` and run it in place (outputs saved).

    Runs with the notebook's folder as the working directory and the repository on
    ``PYTHONPATH``, so an uninstalled checkout works too. Returns the seconds it took and warns
    when that is far from the ``runtime_s`` the header states.
    """
    path = NOTEBOOKS / EDITIONS[_language] / filename
    nb = nbformat.v4.new_notebook(cells=list(cells))
    for number, cell in enumerate(nb.cells):  # ids by position, not random: a rebuild changes only what changed
        cell.id = f"cell-{number}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    seconds = None
    if execute:
        from nbclient import NotebookClient

        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
        os.environ.update(ENV)  # the kernel inherits it: the same environment nbval's kernel gets
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,  # no timestamps
                                resources={"metadata": {"path": str(path.parent)}})
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
