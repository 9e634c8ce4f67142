"""From solution notebooks to student notebooks, and the code the grader runs.

In a solution notebook (nbgrader-compatible markers)::

    def forward(ctx, x):
        ### BEGIN SOLUTION
        y = ...
        ### END SOLUTION
    scale = 2.0  # SOLUTION

become, in the exercise, ``# YOUR CODE HERE`` and ``raise NotImplementedError`` at the marker's
indentation (in markdown: ``YOUR ANSWER HERE``). ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN
TESTS`` regions are removed (a cell left empty goes), outputs and execution counts are cleared,
and the first two cells - the "Open in Colab" badge and the setup cell - are rewritten from
``minitorch/_publish.py``. A marker without its partner is an error.

One solution notebook makes both editions, English (``exercises/``) and Russian
(``exercises/ru/``). A markdown cell carries its English text, a line ``<!-- ru -->``, then its
Russian text (a cell without that line is the same in both, e.g. a formula); in code, a whole-line
comment ``# en: ...`` or ``# ru: ...`` stays only in that edition (as ``# ...``), a line ending
``  # en: ... # ru: ...`` keeps the comment of its edition, every other line is in both. The code is otherwise identical, so both editions get the same tests and grades. The
Russian edition's placeholders read ``# ВАШ КОД ЗДЕСЬ`` / ``ВАШ ОТВЕТ ЗДЕСЬ``, and its setup cell
ends with ``%env LANGUAGE=ru``, so that ``check()`` answers in Russian (in Jupyter and Colab; the
grader ignores it and writes its messages in its own language, ``grade --language``).
"""

from __future__ import annotations

import re
from pathlib import Path

from .._optional import require

_BEGIN = re.compile(r"^(\s*)#+\s*BEGIN (SOLUTION|HIDDEN TESTS)\s*$")
_END = re.compile(r"^(\s*)#+\s*END (SOLUTION|HIDDEN TESTS)\s*$")
_SOLUTION_LINE = re.compile(r"^(\s*)\S.*#\s*SOLUTION\s*$")
_MAGIC = re.compile(r"^(\s*)[!%]")  # shell (!pip) and magic (%time, %%capture) lines
_LANGUAGE_COMMENT = re.compile(r"^(\s*)# (en|ru):(?: (.*))?$")
_TRAILING_COMMENTS = re.compile(r"^(.*?\S)(\s+)# en: (.*?)\s+# ru: (.*)$")
RUSSIAN_MARKER = "<!-- ru -->"

#: Where each edition goes (relative to the exercises folder), and its placeholders.
EDITIONS = {"en": "", "ru": "ru"}
_YOUR_CODE = {"en": "# YOUR CODE HERE", "ru": "# ВАШ КОД ЗДЕСЬ"}
_YOUR_ANSWER = {"en": "YOUR ANSWER HERE", "ru": "ВАШ ОТВЕТ ЗДЕСЬ"}
_MESSAGES_IN = {"ru": "сообщения check(), gradient_check() и attempt() и подсказки — по-русски"}

_METADATA = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
             "language_info": {"name": "python"}}


class MarkerError(ValueError):
    """A solution notebook whose markers do not pair up."""


def colab_cells(name, language="en"):
    """The badge (markdown) and setup (code) sources that open exercise ``name`` in Colab."""
    from .._publish import colab_badge, colab_setup_cell

    folder = "/".join(filter(None, ("exercises", EDITIONS[language])))
    setup = colab_setup_cell(language=language)
    if language != "en":  # the kit's messages follow LANGUAGE (see minitorch.grading.i18n)
        setup += f"\n\n# {_MESSAGES_IN[language]}\n%env LANGUAGE={language}"
    return colab_badge(f"{folder}/{name}.ipynb"), setup


def edition(source, markdown, language):
    """The text of one cell of a solution notebook in ``language``'s edition (see the module's
    docstring): the markdown's part before or after ``<!-- ru -->``; the code without the other
    language's comments."""
    lines = source.splitlines()
    if markdown:
        if RUSSIAN_MARKER not in (line.strip() for line in lines):
            return source
        at = [line.strip() for line in lines].index(RUSSIAN_MARKER)
        return "\n".join(lines[at + 1:] if language == "ru" else lines[:at]).strip("\n")
    kept = []
    for line in lines:
        comment, trailing = _LANGUAGE_COMMENT.match(line), _TRAILING_COMMENTS.match(line)
        if trailing:
            code, space, english, russian = trailing.groups()
            kept.append(f"{code}{space}# {russian if language == 'ru' else english}")
        elif not comment:
            kept.append(line)
        elif comment.group(2) == language:
            kept.append(f"{comment.group(1)}# {comment.group(3) or ''}".rstrip())
    return "\n".join(kept)


def edition_links(markdown, language):
    """The relative links of a notebook moved one folder down into its edition's folder
    (``exercises/ru/``, ``notebooks/ru/``): ``../x`` becomes ``../../x``, and a link to a lecture or a
    homework points at that notebook's edition in the same language. Links inside the folder stay."""
    folder = EDITIONS[language]
    if not folder:
        return markdown
    markdown = re.sub(r"\]\(\.\./(notebooks|exercises)/(?!ru/)", rf"](../\1/{folder}/", markdown)
    return markdown.replace("](../", "](../../")


def _strip(source, markdown, where, language="en"):
    """``source`` with solution regions replaced and hidden tests removed."""
    out, region, last_was_solution_line = [], None, False
    for n, line in enumerate(source.splitlines(), 1):
        begin, end = _BEGIN.match(line), _END.match(line)
        if begin:
            if region:
                raise MarkerError(f"{where}, line {n}: BEGIN {begin.group(2)} inside the {region} region")
            region = begin.group(2)
            if region == "SOLUTION":
                indent = begin.group(1)
                out += [_YOUR_ANSWER[language]] if markdown else \
                    [f"{indent}{_YOUR_CODE[language]}", f"{indent}raise NotImplementedError"]
        elif end:
            if region != end.group(2):
                raise MarkerError(f"{where}, line {n}: END {end.group(2)} without BEGIN {end.group(2)}")
            region = None
        elif region is None:
            solution_line = None if markdown else _SOLUTION_LINE.match(line)
            if solution_line and not last_was_solution_line:
                indent = solution_line.group(1)
                out += [f"{indent}{_YOUR_CODE[language]}", f"{indent}raise NotImplementedError"]
            elif not solution_line:
                out.append(line)
            last_was_solution_line = bool(solution_line)
    if region:
        raise MarkerError(f"{where}: BEGIN {region} without END {region}")
    return "\n".join(out)


def exercise(nb, name, language="en"):
    """The student version of solution notebook ``nb`` (an ``nbformat`` v4 notebook) in
    ``language`` (``"en"``, ``"ru"``)."""
    nbformat = require("nbformat", extra="grading", feature="assign (solutions -> exercises)")

    badge, setup = colab_cells(name, language)
    cells = nb.cells
    if len(cells) < 2 or "colab-badge.svg" not in cells[0].source or "google.colab" not in cells[1].source:
        raise MarkerError(f"{name}: the first two cells must be the Colab badge and the setup cell")
    out = []
    for i, cell in enumerate(cells):
        markdown = cell.cell_type == "markdown"
        text = edition(cell.source, markdown, language)
        source = {0: badge, 1: setup}.get(i) or _strip(edition_links(text, language) if markdown else text,
                                                       markdown, f"{name}: cell {i}", language)
        if not source.strip() and cell.source.strip():
            continue  # a cell that held only hidden tests
        new = nbformat.from_dict({k: v for k, v in cell.items() if k not in ("outputs", "execution_count", "metadata")})
        new.source = source
        new.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k == "tags"})
        if cell.cell_type == "code":
            new.outputs, new.execution_count = [], None
        out.append(new)
    return nbformat.v4.new_notebook(cells=out, metadata=nbformat.from_dict(_METADATA),
                                    nbformat=nb.nbformat, nbformat_minor=nb.nbformat_minor)


def assign(solutions, exercises):
    """Write both editions of the exercise of every notebook in folder ``solutions``: English
    into folder ``exercises``, Russian into ``exercises/ru``. Returns the paths written."""
    nbformat = require("nbformat", extra="grading", feature="assign (solutions -> exercises)")
    written = []
    for language, folder in EDITIONS.items():
        (Path(exercises) / folder).mkdir(parents=True, exist_ok=True)
        for path in sorted(Path(solutions).glob("*.ipynb")):
            nb = exercise(nbformat.read(path, as_version=4), path.stem, language)
            nbformat.validate(nb)
            target = Path(exercises) / folder / path.name
            nbformat.write(nb, target)
            written.append(target)
    return written


def code_cells(nb):
    """The source of each code cell, shell and magic lines replaced by ``pass`` (keeping any
    ``if`` around them valid Python), as the grader runs them."""
    return ["\n".join(f"{m.group(1)}pass" if (m := _MAGIC.match(line)) else line for line in cell.source.splitlines())
            for cell in nb.cells if cell.cell_type == "code"]


def hidden_tests_source(nb):
    """The code inside the notebook's ``### BEGIN HIDDEN TESTS`` regions, in order."""
    lines, inside = [], False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            marker = _BEGIN.match(line) or _END.match(line)
            if marker and "HIDDEN" in line:
                inside = bool(_BEGIN.match(line))
            elif inside:
                lines.append(line)
    return "\n".join(lines)
