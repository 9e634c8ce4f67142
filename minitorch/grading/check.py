"""Student side: ``check("hw01_tanh", Tanh)`` runs an assignment's public tests in the notebook.

Each test shows pass/fail, its points, why it failed and a hint - as an HTML table in Jupyter
(and Colab), as text elsewhere. While a test runs, the library code the homework asks you to
write (the library's tanh for ``hw01_tanh``...) must not run, by whatever path (see
``provenance``), and your own methods must do the work. A test that builds on one that fails
says "waiting on ...". A check never raises into the notebook; a test that hangs cannot be
stopped from inside, so interrupt the kernel: that test is then marked "interrupted" and the
others still run. Only numpy and minitorch are needed, so it works in Colab with nothing but the
installed kit.

Two helpers keep "Run All" going to the ``check`` cell while the exercise is unfinished:
``gradient_check`` (a one-line gradcheck verdict, never an exception) and ``attempt`` (a ``with``
block that reports an error in one short message and lets the notebook go on).
"""

from __future__ import annotations

import html
import sys
import traceback
from contextlib import contextmanager

import numpy as np

from . import assignments, spec
from .i18n import _, localized


def check(assignment, *objects, **named):
    """Run the public tests of ``assignment`` on your objects and show the results.

    Pass your objects positionally (matched by their ``__name__``, e.g. ``check("hw01_tanh",
    Tanh)``) or by keyword (``check("hw01_tanh", Tanh=MyTanh)``); the ones you leave out are
    looked up by name in the notebook.
    """
    if spec.GRADING:  # the grader runs the tests itself, in a sandbox
        return
    try:
        hw = assignments.load(assignment)
        namespace = _objects(hw.needs, objects, named, sys._getframe(1).f_globals)
        report = run_tests(hw, hw.tests, namespace, namespaces=[sys._getframe(1).f_globals])
    except Exception as error:
        what, why = f"check({assignment!r})", f"{type(error).__name__}: {error}"
        _show(_("{what} could not run: {why}").format(what=what, why=why),
              "<p><b>" + html.escape(_("{what} could not run:").format(what=what)) + f"</b> {html.escape(why)}</p>")
        return
    _show(format_text(report), format_html(report))


def show_hidden_test(test, namespace):
    """Grade one hidden test on a solution notebook's own objects, as it is defined."""
    try:
        report = run_tests(assignments.load(test.assignment), [test], namespace)
    except Exception as error:
        text = _("hidden test {name} could not run: {why}").format(name=test.name, why=error)
        _show(text, f"<p>{html.escape(text)}</p>")
        return
    _show(format_text(report), format_html(report))


def run_tests(hw, tests, namespace, namespaces=()):
    """A ``Report`` of ``tests`` run in this process on the objects in ``namespace``."""
    report = spec.Report(hw.name)
    for test in tests:
        try:
            expected = spec.expected_for(hw, test)
            outcome = spec.run_probe(test, namespace, namespaces=namespaces)
            if outcome.get("message", "").startswith("KeyboardInterrupt"):
                outcome["status"], outcome["message"] = "interrupted", _("interrupted (you stopped it)")
            result = spec.grade(test, spec.round_trip(outcome), expected)
        except Exception as error:
            result = spec.Result(test, "failed", 0.0, _("the check itself failed: {why}").format(why=f"{type(error).__name__}: {error}"))
        report.results.append(result)
    return spec.settle(report)


def _objects(needs, objects, named, caller_globals):
    """Map the names the tests need to the student's objects (see ``check``)."""
    namespace, unmatched = dict(named), []
    for obj in objects:
        name = getattr(obj, "__name__", None)
        if name in needs and name not in namespace:
            namespace[name] = obj
        else:
            unmatched.append(obj)
    namespace.update(zip([n for n in needs if n not in namespace], unmatched))
    for name in needs:
        if name not in namespace and name in caller_globals:
            namespace[name] = caller_globals[name]
    return namespace


# ---- showing a report --------------------------------------------------------------------

_COLOURS = {"passed": "#1a7f37", "partial": "#9a6700", "not attempted": "#6e7781", "waiting": "#6e7781"}


def _explanation(result):
    """Why a test did not pass, and its hint when the code ran but gave wrong answers."""
    if result.status in ("passed", "not attempted"):
        return ""
    parts = [result.message] if result.message else []
    if result.test.hint and result.status in ("failed", "partial"):
        parts.append(_("hint: {hint}").format(hint=localized(result.test.hint)))
    return "\n".join(parts)


def format_text(report):
    """The report as plain text, one line per test (message and hint indented below)."""
    lines = [_points(report.assignment, report.score, report.max_score)]
    for r in report.results:
        lines.append(f"  {_(r.status):<14}{r.test.name:<28}{r.score:g} / {r.test.points:g}")
        lines += [f"      {line}" for line in _explanation(r).splitlines()]
    return "\n".join(lines)


def format_html(report):
    """The report as an HTML table (Jupyter, Colab)."""
    rows = "".join(
        f"<tr><td style='color:{_COLOURS.get(r.status, '#cf222e')};font-weight:bold'>{html.escape(_(r.status))}</td>"
        f"<td><code>{html.escape(r.test.name)}</code></td><td>{r.score:g} / {r.test.points:g}</td>"
        f"<td style='text-align:left;white-space:pre-wrap'>{html.escape(_explanation(r))}</td></tr>"
        for r in report.results)
    head = "".join(f"<th>{html.escape(_(h))}</th>" for h in ("result", "test", "points"))
    return (f"<div><b>{html.escape(_points(report.assignment, report.score, report.max_score))}</b>"
            f"<table><tr>{head}<th style='text-align:left'>{html.escape(_('why / hint'))}</th>"
            f"</tr>{rows}</table></div>")


def _points(assignment, score, max_score):
    return _("{assignment}: {score} / {max_score} points").format(
        assignment=assignment, score=f"{score:g}", max_score=f"{max_score:g}")


def _show(text, html_text):
    """HTML in a Jupyter kernel (the notebook, Colab), text elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and hasattr(get_ipython(), "kernel"):
        display(HTML(html_text))
    else:
        print(text)


# ---- keeping "Run All" going ------------------------------------------------------------------

@contextmanager
def attempt():
    """Run a notebook cell's code, and if it raises, print one short message instead of
    stopping "Run All" (``NotImplementedError``: the part is not written yet)::

        with attempt():
            print(Tanh.apply(torch.tensor([0.5])))
    """
    try:
        yield
    except NotImplementedError:
        print(_("not written yet (NotImplementedError): this cell is skipped; the notebook goes on"))
    except NameError as error:  # made by an earlier cell that stopped: not this cell's fault
        print(_("skipped: {name} is missing, because an earlier cell did not finish").format(name=error.name or error))
    except Exception as error:
        print(_("this cell raised {error}").format(error=spec.describe_error(error)))
        print("".join(traceback.format_exception(type(error), error, error.__traceback__, limit=-2)).rstrip())


def gradient_check(function, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0):
    """Compare your backward with finite differences, and say in one line how it went.

    For a random weighting ``v`` of the outputs it compares, element by element of every input
    that requires grad, the gradient of ``sum(v * function(*inputs))`` from backward (analytic)
    with central differences (numeric), and prints the worst element, not whole Jacobians. It
    never raises: an error is reported in the line.

    >>> import minitorch as torch
    >>> gradient_check(torch.sin, (torch.linspace(-1, 1, 3, dtype=torch.float64, requires_grad=True),))
    gradient check passed: 3 gradient elements agree with finite differences (worst difference 2e-11)
    """
    import minitorch as torch

    try:
        inputs = tuple(inputs)
        outputs = function(*inputs)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        rng = np.random.default_rng(seed)
        weights = [torch.tensor(rng.normal(size=tuple(o.shape)), dtype=o.dtype) for o in outputs]

        def weighted(*args):
            results = function(*args)
            results = results if isinstance(results, tuple) else (results,)
            return sum((r * w).sum() for r, w in zip(results, weights))

        checked = [i for i, x in enumerate(inputs) if isinstance(x, torch.Tensor) and x.requires_grad]
        analytic = torch.autograd.grad(weighted(*inputs), [inputs[i] for i in checked], allow_unused=True)
        worst, count = None, 0
        for i, grad in zip(checked, analytic):
            x = inputs[i].detach()
            grad = np.zeros(tuple(x.shape)) if grad is None else grad.detach().double().numpy()
            for index in np.ndindex(*x.shape):
                numeric = 0.0
                for sign in (1, -1):
                    nudged = x.clone().double() if x.dtype != torch.float64 else x.clone()
                    nudged[index] += sign * eps
                    args = list(inputs)
                    args[i] = nudged.to(x.dtype)
                    with torch.no_grad():
                        numeric += sign * weighted(*args).item() / (2 * eps)
                difference = abs(grad[index] - numeric)
                count += 1
                if worst is None or difference - (atol + rtol * abs(numeric)) > worst[0]:
                    worst = (difference - (atol + rtol * abs(numeric)), difference, i, index, numeric, grad[index])
    except NotImplementedError:
        print(_("gradient check skipped: not written yet (NotImplementedError)"))
        return
    except Exception as error:
        print(_("gradient check could not run: {error}").format(error=spec.describe_error(error)))
        return
    if worst is None:
        print(_("gradient check: no input requires grad"))
        return
    excess, difference, i, index, numeric, analytic_value = worst
    if excess <= 0:
        print(_("gradient check passed: {count} gradient elements agree with finite differences "
                "(worst difference {difference})").format(count=count, difference=f"{difference:.0e}"))
    else:
        print(_("gradient check FAILED: input {i}, element {index}: backward gives {analytic}, "
                "finite differences give {numeric} (worst of {count} elements)").format(
            i=i, index=list(index), analytic=f"{analytic_value:.6g}", numeric=f"{numeric:.6g}", count=count))
