"""What a homework test is, how its answer travels as plain data, and how it is judged.

A test is split in two so that student code never judges itself:

* its **probe** runs next to the student's code. It takes the student's objects by name (its
  parameter names, e.g. ``def forward(Tanh)``), exercises them and returns *plain data*: numbers,
  strings, lists, dicts, numpy arrays and tensors (sent as arrays);
* its **judge** runs elsewhere (in the grader's own process) and compares that data with what
  the same probe returns for the assignment's trusted ``reference`` objects, or applies its own
  rule (``judge=``).

An object whose ``__eq__`` lies, a patched ``numpy.allclose`` or a printed "PASSED" therefore
change nothing: only numbers cross over, and they are compared by code the student cannot touch.

>>> hw = Assignment("hw00_demo", reference={"double": lambda x: 2 * x})
>>> @hw.test(points=1, hint="multiply by two")
... def doubles(double):
...     return [double(1), double(2.5)]
>>> test = hw.tests[0]
>>> outcome = round_trip(run_probe(test, {"double": lambda x: x + x}))   # the student's side (watched)
>>> result = grade(test, outcome, expected_for(hw, test))                  # the judge's side
>>> result.status, result.score
('passed', 1.0)
"""

from __future__ import annotations

import inspect
import json
import sys
import threading
import traceback
from dataclasses import dataclass, field

import numpy as np

from .i18n import _

#: Set in the grader's sandbox: ``check()`` and notebook-defined hidden tests then do nothing.
GRADING = False

# While the grader collects hidden tests from a solution notebook, ``hidden_test`` appends here.
_collected = None


@dataclass
class Test:
    """One graded test: ``probe(**objects) -> plain data``, worth ``points``.

    ``own`` names the student's methods that must do the work (``"Tanh.backward"``: defined by
    the student, called during the test, no autograd inside); ``after`` names the tests this one
    builds on: while one of those does not pass, this one shows "waiting on ..." if it fails.
    ``reference``: trusted objects for this test alone, on top of the assignment's (a hidden test
    defines its own in the solution notebook, so that no answer ships with the package).
    """

    name: str
    probe: object
    points: float
    hint: str | dict = ""  # English (translated by the catalog), or a hidden test's {"en": ..., "ru": ...}
    hidden: bool = False
    partial: bool = False  # the probe returns {case: data}: each case earns its share of the points
    rtol: float = 1e-5
    atol: float = 1e-6
    judge: object = None  # judge(actual) -> (fraction, message); None: compare with the reference
    assignment: str = ""
    own: tuple = ()
    after: tuple = ()
    reference: dict = field(default_factory=dict)  # trusted objects of this test only (a hidden test's own)

    @property
    def needs(self):
        """The names of the student objects the probe takes."""
        return tuple(inspect.signature(self.probe).parameters)


@dataclass
class Result:
    """The verdict on one test: status is passed, partial, failed, waiting (on a test it builds
    on), not attempted, timeout, crashed or did not run."""

    test: Test
    status: str
    score: float
    message: str = ""


_JUDGE = "this is the judge's reference, not your code"


class UnknownAssignment(ValueError):
    """An assignment name with no module in ``minitorch/grading/assignments/``."""


class Assignment:
    """An assignment's public tests, the reference objects they are judged against, and the
    library code that must not run while a student's code is tested (``banned``: dotted path ->
    advice; see ``provenance``). The reference objects are banned too: the judge's answers
    cannot stand in for the student's. They are the library's own code wherever it has it (behind
    an adapter); an answer the library lacks is recorded data or lives with a hidden test in the
    solutions, never in the package students install. ``lecture``: the lecture notebook the
    homework builds on."""

    def __init__(self, name, reference=None, banned=None, title="", lecture=""):
        self.name, self.title, self.lecture = name, title, lecture
        self.reference = reference or {}
        self.banned = banned or {}
        self.tests = []

    def test(self, points, **options):
        """Decorator: register a public test whose probe is the decorated function."""
        def register(probe):
            self.tests.append(Test(probe.__name__, probe, points, assignment=self.name, **options))
            return probe
        return register

    @property
    def needs(self):
        """Every student object some public test takes, in order of first use."""
        return tuple(dict.fromkeys(name for t in self.tests for name in t.needs))

    def rules(self):
        """What a ``provenance.Watch`` refuses while this assignment's tests run."""
        return {**{path: _(advice) for path, advice in self.banned.items()},
                **{obj: _(_JUDGE) for obj in self.reference.values()}}


def hidden_test(assignment, points, **options):
    """Decorator for a hidden test, written in a solution notebook between ``### BEGIN HIDDEN
    TESTS`` and ``### END HIDDEN TESTS``::

        @hidden_test("hw01_tanh", points=1, hint="tanh saturates: a nan means an exp overflowed")
        def saturates(Tanh):
            return Tanh.apply(minitorch.tensor([-1000.0, 1000.0]))

    The hidden-test code must import what it uses: the grader runs it on its own, without the
    notebook's other cells. Run in the notebook, it grades the notebook's own objects at once and
    shows the result; the grader instead collects it (``--hidden solutions/``) and runs its probe
    in the sandbox.
    """
    def register(probe):
        test = Test(probe.__name__, probe, points, hidden=True, assignment=assignment, **options)
        if _collected is not None:
            _collected.append(test)
        elif not GRADING:
            from .check import show_hidden_test
            show_hidden_test(test, sys._getframe(1).f_globals)
        return probe
    return register


def collect_hidden_tests(assignment, source):
    """The hidden tests that ``source`` (the code of hidden-test cells) defines for ``assignment``."""
    global _collected
    _collected = []
    try:
        exec(compile(source, "<hidden tests>", "exec"), {"__name__": "__hidden_tests__"})
        return [t for t in _collected if t.assignment == assignment]
    finally:
        _collected = None


# ---- plain data: the only thing that crosses from the student's side ----------------------

def encode(value):
    """Turn a probe's result into JSON-ready plain data; arrays become ``{"__ndarray__": ...}``.

    Only exact builtin types pass, so a subclass with a lying ``__eq__`` cannot travel.
    """
    from .._tensor import Tensor

    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.generic):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.name, "shape": list(value.shape)}
    if type(value) in (list, tuple):
        return [encode(v) for v in value]
    if type(value) is dict and all(type(k) is str for k in value):
        return {k: encode(v) for k, v in value.items()}
    raise TypeError(f"got a {type(value).__name__}, which is not plain data (numbers, lists, tensors)")


def decode(value):
    """The inverse of ``encode``, on the judging side: rebuilds numpy arrays (numeric only)."""
    if isinstance(value, dict):
        if "__ndarray__" in value:
            dtype = np.dtype(value["dtype"])
            if dtype.kind not in "biuf":
                raise ValueError(f"unexpected dtype {dtype}")
            return np.asarray(value["__ndarray__"], dtype=dtype).reshape(value["shape"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


# ---- running a probe (student side) and judging its data (grader side) --------------------

def run_probe(test, namespace, cell_errors=(), namespaces=()):
    """Run ``test``'s probe on the student's objects in ``namespace`` under a provenance watch
    (the assignment's banned code must not run; the test's ``own`` methods must do the work);
    return a JSON-ready outcome: ``{"status": "ok", "data": ...}``, or ``"not attempted"`` /
    ``"failed"`` with a message. ``namespaces``: more dicts (the notebook's globals) in which a
    banned function imported by name is switched off."""
    from .provenance import Watch, is_library_code

    missing = [name for name in test.needs if name not in namespace]
    if missing:
        message = _("{name} is not defined").format(name=missing[0])
        if cell_errors:
            message += " " + _("(the notebook raised {error})").format(error=cell_errors[0])
        return {"status": "failed", "message": message}
    own = {label: _attribute(namespace, label) for label in test.own}
    rules = {**_rules(test.assignment), **{obj: _(_JUDGE) for obj in test.reference.values()}}
    watch = Watch(rules, own, (namespace, *namespaces))
    error = data = None
    with watch:
        try:
            data = test.probe(**{name: namespace[name] for name in test.needs})
        except BaseException as raised:  # anything the student's code raises is a failed test
            error = raised
    problem = watch.verdict(ran_to_the_end=error is None)
    unwritten = isinstance(error, NotImplementedError) and not watch.ran and not is_library_code(
        traceback.extract_tb(error.__traceback__)[-1])  # the student's placeholder, not a base class's default
    if problem and not unwritten:  # library code did the work, or the own method is not the student's
        return {"status": "failed", "message": problem}
    if unwritten:
        return {"status": "not attempted", "message": _("the code still raises NotImplementedError")}
    if error is not None:
        return {"status": "failed", "message": describe_error(error)}
    try:
        return {"status": "ok", "data": encode(data)}
    except Exception as error:
        return {"status": "failed", "message": _("the result could not be read: {error}").format(error=error)}


def _rules(assignment):
    """The provenance rules of the assignment called ``assignment`` (none for one that is not in
    the kit, such as a notebook's own demo)."""
    from . import assignments

    try:
        return assignments.load(assignment).rules()
    except UnknownAssignment:
        return {}


def _attribute(namespace, label):
    """``"Tanh.backward"`` -> the raw attribute (not bound) of the object ``Tanh``, or None."""
    first, *rest = label.split(".")
    value = namespace.get(first)
    for name in rest:
        owner = value
        value = getattr(owner, name, None)
        if inspect.isclass(owner):
            value = next((vars(k)[name] for k in owner.__mro__ if name in vars(k)), value)
    return value


# minitorch's grad mode is one switch for the whole process, and the grader grades notebooks from
# several threads: its own minitorch work (references, judges) takes turns, so that no thread sees
# autograd switched off halfway through another's op.
_MINITORCH = threading.RLock()


def _call_probe(test, namespace):
    """The probe's outcome on trusted objects (the reference): no watch."""
    try:
        with _MINITORCH:
            return {"status": "ok", "data": encode(test.probe(**{name: namespace[name] for name in test.needs}))}
    except Exception as error:
        return {"status": "failed", "message": describe_error(error)}


def describe_error(error):
    """``"ValueError: bad shape (cell 4, line 7)"``: the error and where the student's code raised it."""
    text = f"{type(error).__name__}: {error}"[:500]
    cells = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell")]
    if cells:
        text += f" ({cells[-1].filename.strip('<>')}, line {cells[-1].lineno})"
    return text


def round_trip(outcome):
    """What the judging side receives from ``run_probe``: JSON text decoded again."""
    outcome = json.loads(json.dumps(outcome))
    if outcome.get("status") == "ok":
        outcome["data"] = decode(outcome["data"])
    return outcome


def expected_for(assignment, test):
    """The data ``test``'s probe returns for the assignment's reference objects (None for a
    test with its own judge)."""
    if test.judge is not None:
        return None
    outcome = round_trip(_call_probe(test, {**assignment.reference, **test.reference}))
    if outcome["status"] != "ok":
        raise RuntimeError(f"{assignment.name}/{test.name}: the reference failed: {outcome['message']}")
    return outcome["data"]


def grade(test, outcome, expected):
    """The ``Result`` of ``test`` for a (decoded) probe outcome."""
    if outcome["status"] != "ok":
        return Result(test, outcome["status"], 0.0, outcome.get("message", ""))
    try:
        if test.judge is not None:
            with _MINITORCH:
                fraction, message = test.judge(outcome["data"])
        elif test.partial:
            fraction, message = _compare_cases(outcome["data"], expected, test)
        else:
            message = compare(outcome["data"], expected, test.rtol, test.atol)
            fraction = 0.0 if message else 1.0
    except Exception as error:  # data of a shape the judge did not foresee
        fraction, message = 0.0, _("unexpected result ({error})").format(error=f"{type(error).__name__}: {error}")
    status = "passed" if fraction == 1 else "partial" if fraction > 0 else "failed"
    return Result(test, status, round(test.points * fraction, 2), message or "")


def _compare_cases(actual, expected, test):
    if not isinstance(actual, dict):
        return 0.0, _("expected a dict of cases, got {actual}").format(actual=_describe(actual))
    failures = [f"{case}: {message}" for case, want in expected.items()
                if (message := compare(actual.get(case), want, test.rtol, test.atol))]
    return 1 - len(failures) / len(expected), "; ".join(failures)


def compare(actual, expected, rtol, atol):
    """None when ``actual`` matches ``expected`` (floats and float arrays within tolerance,
    everything else exactly, types included), else a message saying where they differ."""
    if isinstance(expected, np.ndarray):
        if not isinstance(actual, np.ndarray):
            return _("got {actual}, expected a tensor of shape {shape}").format(
                actual=_describe(actual), shape=tuple(expected.shape))
        if actual.shape != expected.shape:
            return _("shape {actual}, expected {expected}").format(actual=tuple(actual.shape),
                                                                   expected=tuple(expected.shape))
        if actual.dtype != expected.dtype:
            return _("dtype {actual}, expected {expected}").format(actual=actual.dtype, expected=expected.dtype)
        if expected.dtype.kind == "f":
            ok = np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
        else:
            ok = actual == expected
        if ok.all():
            return None
        index = tuple(int(i) for i in np.argwhere(~ok)[0])
        return _("{count} of {size} values differ, e.g. at {index}: got {actual}, expected {expected}").format(
            count=int((~ok).sum()), size=ok.size, index=list(index), actual=repr(actual[index].item()),
            expected=repr(expected[index].item()))
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or actual.keys() != expected.keys():
            return _("got {actual}, expected a dict with keys {keys}").format(actual=_describe(actual),
                                                                              keys=sorted(expected))
        return next((f"{k}: {m}" for k in expected if (m := compare(actual[k], expected[k], rtol, atol))), None)
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return _("got {actual}, expected a list of {length}").format(actual=_describe(actual),
                                                                         length=len(expected))
        return next((f"[{i}]: {m}" for i, (a, e) in enumerate(zip(actual, expected))
                     if (m := compare(a, e, rtol, atol))), None)
    if type(expected) in (int, float) and isinstance(actual, np.ndarray) and actual.shape == ():
        actual = actual.item()  # a 0-d tensor or numpy number where a number was asked for: its value
    if type(expected) is float and type(actual) in (int, float):
        return None if np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True) else \
            _("got {actual}, expected {expected}").format(actual=repr(actual), expected=repr(expected))
    if type(actual) is type(expected) and actual == expected:
        return None
    return _("got {actual}, expected {expected}").format(actual=_describe(actual), expected=repr(expected))


def _describe(value):
    if isinstance(value, np.ndarray):
        return _("a tensor of shape {shape}").format(shape=tuple(value.shape))
    if isinstance(value, dict):
        return _("a dict")
    if isinstance(value, list):
        return _("a list")
    return repr(value)[:80]


@dataclass
class Report:
    """All results of one assignment for one notebook."""

    assignment: str
    results: list = field(default_factory=list)
    output: str = ""  # what the notebook printed while the grader ran it (its start and end if long)

    @property
    def score(self):
        return round(sum(r.score for r in self.results), 2)

    @property
    def max_score(self):
        return sum(r.test.points for r in self.results)


def settle(report):
    """Show each test that did not pass while a test it builds on (``after``) did not pass
    either as "waiting on ..." (0 points): its failure is most likely that test's, not its own.
    Returns ``report``."""
    by_name, roots = {r.test.name: r for r in report.results}, {}
    for result in report.results:
        blocking = [by_name[n] for n in result.test.after if n in by_name and by_name[n].status != "passed"]
        if blocking and result.status in ("failed", "partial"):  # a crash or a timeout tells more as it is
            first = blocking[0]
            roots[result.test.name] = roots.get(first.test.name) or \
                _("{what} (test {test})").format(what=_(" and ").join(first.test.own) or first.test.name,
                                                 test=first.test.name)
            result.status, result.score = "waiting", 0.0
            result.message = _("waiting on {what}: this test uses it, so fix that first").format(
                what=roots[result.test.name])
    return report
