"""Autograded homework: generate exercises from solutions, check in the notebook, grade safely.

* students: ``from minitorch.grading import check`` then ``check("hw01_tanh", Tanh)`` in the notebook
  (``gradient_check`` and ``attempt`` keep "Run All" going while the exercise is unfinished;
  ``set_language("ru")`` shows their messages in Russian, which the locale's language sets too);
* authors: solutions are notebooks with ``### BEGIN SOLUTION`` / ``### END SOLUTION`` regions and
  ``### BEGIN HIDDEN TESTS`` cells (``hidden_test``); ``python -m minitorch.grading assign
  solutions/ exercises/`` writes the student notebooks;
* instructors: ``python -m minitorch.grading grade SUBMISSIONS... --assignment hw01_tanh
  --hidden solutions/ --csv grades.csv --json results.json`` runs every test of every notebook
  in a sandbox; ``check-solutions solutions/`` proves the solutions get full marks.

See ``solutions/README.md`` for the whole workflow.
"""

from .check import attempt, check, gradient_check
from .i18n import set_language
from .provenance import NotAllowed
from .spec import hidden_test

from .._publish import REPOSITORY  # where the kit is published: change it with scripts/publish.py

__all__ = ["check", "hidden_test", "attempt", "gradient_check", "set_language", "NotAllowed", "REPOSITORY"]
