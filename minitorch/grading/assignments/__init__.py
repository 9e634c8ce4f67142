"""The kit's assignments: one module per homework, named like its notebook (``hw01_tanh.py``).

Each module defines ``hw``, an ``Assignment``: the public tests (probes and how they are judged),
the trusted reference objects they are compared with, and the library code that must not run
while it is checked. Hidden tests live in the solution notebooks, not here. A new module in this
folder is a new assignment: nothing else lists them.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..spec import UnknownAssignment


def names():
    """The assignments this folder holds, in order (``hw01_tanh``, ``hw02_...``)."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")))


def load(name):
    """The ``Assignment`` called ``name``."""
    if name not in names():
        raise UnknownAssignment(f"unknown assignment {name!r}; the kit has {', '.join(names())}")
    return importlib.import_module(f"{__name__}.{name}").hw
