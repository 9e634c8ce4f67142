"""The kit's assignments: one module per homework, named like its notebook.

Each module defines ``hw``, an ``Assignment``: the public tests (probes and how they are judged),
the trusted reference objects they are compared with, and the library functions that are banned
while it is checked. Hidden tests live in the solution notebooks, not here.
"""

from __future__ import annotations

import importlib

NAMES = ("hw01_tanh", "hw02_augmentation", "hw03_strides", "hw04_optimizers", "hw05_backprop")


def load(name):
    """The ``Assignment`` called ``name`` (one of ``NAMES``)."""
    if name not in NAMES:
        raise ValueError(f"unknown assignment {name!r}; the kit has {', '.join(NAMES)}")
    return importlib.import_module(f"{__name__}.{name}").hw
