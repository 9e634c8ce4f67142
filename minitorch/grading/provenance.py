"""Provenance: which code actually ran while a test exercised a student's objects.

Deciding by *who calls* a library function is easy to dodge (an alias, a wrapper, a subclass,
``__wrapped__``). Instead, while a test's probe runs, a profiler (``sys.setprofile``) watches for
the *code objects* of the library kernels the homework asks students to write - the ``compute``
of the library's ``Tanh``, ``SGD.__init__`` and ``SGD._update``, ``_strides.view_strides`` - and
for the code of the judge's own reference objects. However the student's code got there, running
one of them is recorded and the test fails with the assignment's advice:

>>> import minitorch as torch
>>> watch = Watch({"minitorch.ops.pointwise.Tanh": "build tanh from exp() yourself"})
>>> with watch:
...     alias = type("Mine", (), {"apply": staticmethod(torch.tanh)})
...     _ = alias.apply(torch.tensor([0.5]))
>>> watch.verdict()
'minitorch.ops.pointwise.Tanh ran on your behalf: build tanh from exp() yourself'

It also checks that the student's own methods did the work (``own=("Tanh.backward",)``): each is
defined outside the library and was called during the test, and a ``backward`` did not hand its
work to autograd (no backward pass may start inside it).

A library function written in C that the profiler cannot see (a numpy ufunc such as
``numpy.tanh``) is swapped, for the duration, for one that raises ``NotAllowed``; a builtin
(``math.tanh``) is seen by the profiler. All of this runs in the student's process, so code that
switches the profiler off on purpose can escape it: the grader runs each probe after the
notebook's cells with a fresh watch, and its judging happens elsewhere.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import threading
import types
from pathlib import Path

from .i18n import _

_MISSING = object()


class NotAllowed(RuntimeError):
    """Raised by a library function that the homework asks you to write yourself."""


def resolve(path):
    """``"minitorch.optim.SGD"`` -> the object, or None when it does not exist (an optional
    package, a module not written yet)."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:i]))
        except Exception:  # not a module, not installed, or (half-written) broken: not there
            continue
        for name in parts[i:]:
            found = getattr(found, name, _MISSING)
            if found is _MISSING:
                return None
        return found
    return None


def codes_of(obj):
    """The code objects that running ``obj`` executes as its own: a function's, every method
    defined in a class's body (not inherited ones: they belong to the base), those of every
    function and class a module defines."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    obj = inspect.unwrap(obj) if callable(obj) else obj
    if isinstance(obj, types.FunctionType):
        return [obj.__code__]
    if isinstance(obj, types.MethodType):
        return codes_of(obj.__func__)
    if inspect.isclass(obj):
        return [code for value in vars(obj).values() if not inspect.isclass(value) for code in codes_of(value)]
    if isinstance(obj, types.ModuleType):
        return [code for f in _defined_in(obj) for code in codes_of(f)]
    return []


def _defined_in(module):
    """The functions and classes a module defines (not the ones it imports)."""
    return [f for f in vars(module).values() if callable(f) and getattr(f, "__module__", None) == module.__name__]


def caches_of(obj):
    """The ``functools.lru_cache`` wrappers among ``obj`` (a module's functions): a cached
    answer would skip the code the watch looks for, so the watch empties them first."""
    found = _defined_in(obj) if isinstance(obj, types.ModuleType) else [obj]
    return [f for f in found if hasattr(f, "cache_clear")]


def _folder(package):
    return str(Path(importlib.import_module(package).__file__).parent)


def is_library_code(code):
    """Is ``code`` (a code object, or a traceback frame summary) part of the installed minitorch
    package (the grading package included)?"""
    return getattr(code, "co_filename", getattr(code, "filename", "")).startswith(_folder("minitorch"))


def is_judge_code(code):
    """Is ``code`` part of the grading package (references, probes, judges)?"""
    return code.co_filename.startswith(_folder("minitorch.grading"))


class Watch:
    """A context manager that records which banned code runs inside it (``rules``: dotted path,
    or the object itself, -> advice) and whether the ``own`` methods (``{"Tanh.backward":
    function}``) did the work."""

    def __init__(self, rules, own=None, namespaces=()):
        self.codes, self.builtins, self.swaps, self.caches = {}, {}, [], []
        for path, advice in rules.items():
            found = resolve(path) if isinstance(path, str) else path
            if found is None:
                continue
            codes = codes_of(found)
            self.caches += caches_of(found)
            if not isinstance(path, str):  # a judge's object: its own code (library code it calls has rules of its own)
                path = "the judge's own " + getattr(found, "__qualname__", type(found).__name__)
                codes = [c for c in codes if is_judge_code(c) or not is_library_code(c)]
                if not codes:
                    continue
            if codes and isinstance(found, types.ModuleType):  # name the function that ran
                self.codes.update({code: (f"{path}.{getattr(code, 'co_qualname', code.co_name)}", advice) for code in codes})
            elif codes:
                self.codes.update(dict.fromkeys(codes, (path, advice)))
            elif isinstance(found, types.BuiltinFunctionType):
                self.builtins[id(found)] = (path, advice)
            elif callable(found):
                self.swaps.append((path, found, advice))
        self.own_codes = {}
        self.problems = []  # own methods that are not the student's
        for label, function in (own or {}).items():
            codes = [] if inspect.isclass(function) else codes_of(function)
            if not codes or is_library_code(codes[0]):
                self.problems.append(_("{label} is not your own code (it is the library's, or missing): write it").format(
                    label=label))
            else:
                self.own_codes[codes[0]] = label
        from ..autograd import engine

        self.engine = engine.run_backward.__code__
        self.ran = {}  # path -> advice, in the order first seen
        self.calls = dict.fromkeys(self.own_codes.values(), 0)
        self.delegated = set()
        self.active = []  # own methods running now (innermost last)
        self.namespaces, self.undo = namespaces, []

    # ---- the profiler -------------------------------------------------------------------
    # Called on every Python call and return (and builtin call) while the watch is on, so it only
    # looks codes up in dicts. Probes run 2-4x slower under it (hw05's training probe 0.05 -> 0.13 s,
    # hw02's random_rotation 0.24 -> 0.98 s); nothing outside a watch pays anything.
    def _profile(self, frame, event, arg):
        if event == "call":
            code = frame.f_code
            if code in self.codes:
                self.ran.setdefault(*self.codes[code])
            elif code in self.own_codes:
                label = self.own_codes[code]
                self.calls[label] += 1
                self.active.append(label)
            elif code is self.engine and self.active and self.active[-1].endswith(".backward"):
                self.delegated.add(self.active[-1])
        elif event == "return":
            if frame.f_code in self.own_codes and self.active:
                self.active.pop()
        elif event == "c_call" and id(arg) in self.builtins:
            self.ran.setdefault(*self.builtins[id(arg)])

    def __enter__(self):
        for path, found, advice in self.swaps:
            self._swap(path, found, advice)
        for cached in self.caches:
            cached.cache_clear()
        self.previous = sys.getprofile(), threading.getprofile()
        sys.setprofile(self._profile)
        threading.setprofile(self._profile)  # threads started inside are watched too
        return self

    def __exit__(self, *exc):
        sys.setprofile(self.previous[0])
        threading.setprofile(self.previous[1])
        for restore in reversed(self.undo):
            restore()
        self.undo.clear()
        return False

    def _swap(self, path, found, advice):
        """Replace a callable the profiler cannot see with one that raises, where it is reachable
        by name: its module attribute, and the namespaces that imported it by name."""
        owner, name = path.rsplit(".", 1)
        message = _("{path} is not allowed here: {advice}").format(path=path, advice=advice)

        def refuse(*args, **kwargs):
            raise NotAllowed(message)

        places = [vars(m) for m in (resolve(owner),) if isinstance(m, types.ModuleType)] + list(self.namespaces)
        for place in places:
            for key, value in list(place.items()):
                if value is found:
                    place[key] = refuse
                    self.undo.append(lambda place=place, key=key, value=value: place.__setitem__(key, value))

    # ---- the verdict ----------------------------------------------------------------------
    def verdict(self, ran_to_the_end=True):
        """None when the test's work was the student's own, else why not (one message).
        ``ran_to_the_end``: the probe returned (an own method that was never reached because the
        probe raised first is not held against the student twice)."""
        if self.ran:
            path, advice = next(iter(self.ran.items()))
            return _("{path} ran on your behalf: {advice}").format(path=path, advice=advice)
        if self.problems:
            return self.problems[0]
        if self.delegated:
            return _("{label} started a backward pass of its own (autograd did the work): "
                     "compute the gradient with tensor operations instead").format(label=min(self.delegated))
        if ran_to_the_end:
            for label, count in self.calls.items():
                if not count:
                    return _("{label} was never called: does the test's computation go through it "
                             "(an autograd Function applied with .apply, an Optimizer's step)?").format(label=label)
        return None
