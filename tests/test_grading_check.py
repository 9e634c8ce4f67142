"""The student side: check() in the notebook, the provenance watch, "waiting on", the Run All
helpers, hidden tests defined in a notebook, and the plain-data judging that the grader shares
with it. (Right-versus-wrong answers per assignment: test_grading_wrong_answers.py.)"""

import math
import re
import sys

import numpy as np
import pytest

import minitorch as torch
from minitorch import nn
from minitorch.autograd import Function
from minitorch.grading import NotAllowed, assignments, attempt, check, gradient_check, hidden_test, spec
from minitorch.grading.check import _objects, format_html, format_text, run_tests
from minitorch.grading.provenance import Watch, resolve


class Tanh(Function):
    @staticmethod
    def forward(ctx, x):
        e = (-2 * x.abs()).exp()
        y = x.sign() * (1 - e) / (1 + e)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)


class TanhModule(nn.Module):
    def forward(self, input):
        return Tanh.apply(input)


def layer_gradient_norms(model, x):
    model.zero_grad()
    model(x).sum().backward()
    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)]


HW01 = {"Tanh": Tanh, "TanhModule": TanhModule, "layer_gradient_norms": layer_gradient_norms}


def report(namespace, assignment="hw01_tanh"):
    hw = assignments.load(assignment)
    return run_tests(hw, hw.tests, namespace)


def statuses(rep):
    return {r.test.name: r.status for r in rep.results}


def test_correct_code_gets_full_marks_and_check_prints_text(capsys):
    rep = report(HW01)
    assert rep.score == rep.max_score == 8
    check("hw01_tanh", Tanh)  # TanhModule and layer_gradient_norms are found in this module's globals
    out = capsys.readouterr().out
    assert out.startswith("hw01_tanh: 8 / 8 points\n")
    assert out.count("passed") == 5


def test_untouched_exercise_is_not_attempted(capsys):
    class Tanh(Function):
        @staticmethod
        def forward(ctx, x):
            raise NotImplementedError

    class TanhModule(nn.Module):
        def forward(self, input):
            raise NotImplementedError

    def layer_gradient_norms(model, x):
        raise NotImplementedError

    rep = report({"Tanh": Tanh, "TanhModule": TanhModule, "layer_gradient_norms": layer_gradient_norms})
    assert set(statuses(rep).values()) == {"not attempted"} and rep.score == 0
    check("hw01_tanh", Tanh, TanhModule, layer_gradient_norms)
    out = capsys.readouterr().out
    assert "0 / 8 points" in out and out.count("not attempted") == 5 and "hint" not in out


def test_copying_the_builtin_is_caught_and_says_what_to_use():
    class Tanh(Function):
        @staticmethod
        def forward(ctx, x):
            return torch.tanh(x)

    rep = report({**HW01, "Tanh": Tanh})
    forward = rep.results[0]
    assert forward.status == "failed"
    assert forward.message == "minitorch.ops.pointwise.Tanh ran on your behalf: build tanh from exp() yourself"
    assert forward.test.hint in format_text(rep)
    assert torch.tanh(torch.tensor(0.5)).item() == pytest.approx(math.tanh(0.5))  # nothing left switched off


@pytest.mark.parametrize("call", [
    lambda x: torch.tanh(x), lambda x: x.tanh(), lambda x: x.clone().tanh_(), lambda x: nn.functional.tanh(x),
    lambda x: nn.Tanh()(x), lambda x: torch.ops.pointwise.Tanh.apply(x), lambda x: np.tanh(x.numpy()),
    lambda x: math.tanh(0.5), lambda x: type("Mine", (nn.Tanh,), {})()(x),
    lambda x: type("Alias", (), {"apply": staticmethod(torch.tanh)}).apply(x),
    lambda x: getattr(torch.tanh, "__wrapped__", torch.tanh)(x), lambda x: 2 * torch.sigmoid(2 * x) - 1,
    lambda x: x.sinh() / x.cosh(), lambda x: nn.functional.gelu(x, approximate="tanh"),
], ids=["torch.tanh", "Tensor.tanh", "Tensor.tanh_", "F.tanh", "nn.Tanh", "Function", "np.tanh", "math.tanh",
        "subclass", "alias", "__wrapped__", "sigmoid", "sinh/cosh", "inside gelu"])
def test_every_route_to_the_library_tanh_is_seen(call):
    x = torch.tensor([0.5, -1.0])
    refused = None
    with Watch(assignments.load("hw01_tanh").rules()) as watch:
        try:
            call(x)
        except NotAllowed as error:  # numpy's ufunc cannot be watched: it is switched off instead
            refused = str(error)
    assert "build tanh from exp() yourself" in (refused or watch.verdict() or "")
    call(x)  # and everything works again afterwards


def test_names_imported_into_the_notebook_are_switched_off_too():
    from numpy import tanh

    namespace = {"tanh": tanh, "other": 1}
    with Watch(assignments.load("hw01_tanh").rules(), namespaces=[namespace]):
        with pytest.raises(NotAllowed, match="numpy.tanh is not allowed here: build tanh from exp"):
            namespace["tanh"](np.ones(2))
    assert namespace["tanh"] is tanh


def test_own_methods_must_be_the_students_and_must_run():
    def backward(ctx, grad):
        return grad

    watch = Watch({}, {"Tanh.backward": nn.Tanh.forward, "Gone.backward": None, "Mine.backward": backward})
    assert watch.problems == ["Tanh.backward is not your own code (it is the library's, or missing): write it",
                              "Gone.backward is not your own code (it is the library's, or missing): write it"]
    watch = Watch({}, {"Mine.backward": backward})
    with watch:
        pass
    assert watch.verdict().startswith("Mine.backward was never called")
    assert watch.verdict(ran_to_the_end=False) is None


def test_a_backward_that_hands_its_work_to_autograd_is_seen():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            with torch.enable_grad():
                x = x.detach().requires_grad_()
                (g,) = torch.autograd.grad((x * x).sum(), x)
            return grad * g

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with Watch({}, {"Square.backward": Square.backward}) as watch:
        Square.apply(x).sum().backward()
    assert watch.verdict().startswith("Square.backward started a backward pass of its own")
    assert x.grad.tolist() == [2.0, 4.0]


def test_every_rule_resolves():
    for name in assignments.names():
        for path in assignments.load(name).banned:
            assert resolve(path) is not None, path


def test_partial_credit_and_messages():
    class Tanh(Function):  # right values, but always float64
        @staticmethod
        def forward(ctx, x):
            e = (-2 * x.double().abs()).exp()
            y = x.double().sign() * (1 - e) / (1 + e)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * (1 - y * y)

    forward = report({**HW01, "Tanh": Tanh}).results[0]
    assert forward.status == "partial" and forward.score == pytest.approx(2 * 3 / 5)
    assert "float32 stays float32: dtype float64, expected float32" in forward.message
    assert "0-d tensor: dtype float64, expected float32" in forward.message


def test_a_check_never_raises_into_the_notebook(capsys):
    class Exits(Function):
        @staticmethod
        def forward(ctx, x):
            sys.exit(3)

    class Interrupted(Function):
        @staticmethod
        def forward(ctx, x):
            raise KeyboardInterrupt

    assert statuses(report({**HW01, "Tanh": Exits}))["forward"] == "failed"
    rep = report({**HW01, "Tanh": Interrupted})
    assert rep.results[0].status == "interrupted" and rep.results[0].message == "interrupted (you stopped it)"
    rep = report({"Tanh": Tanh})
    assert rep.results[3].message == "TanhModule is not defined"
    check("hw99_nothing", Tanh)
    assert "check('hw99_nothing') could not run: UnknownAssignment: unknown assignment 'hw99_nothing'" in capsys.readouterr().out


def test_objects_by_position_keyword_and_name():
    def helper():
        pass

    caller = {"layer_gradient_norms": layer_gradient_norms, "Tanh": "not this one"}
    found = _objects(("Tanh", "TanhModule", "layer_gradient_norms"), (TanhModule, helper), {}, caller)
    assert found == {"TanhModule": TanhModule, "Tanh": helper, "layer_gradient_norms": layer_gradient_norms}
    found = _objects(("Tanh", "TanhModule"), (), {"Tanh": helper}, {"TanhModule": TanhModule, "Tanh": Tanh})
    assert found == {"Tanh": helper, "TanhModule": TanhModule}


def test_html_in_a_jupyter_kernel(monkeypatch):
    IPython = pytest.importorskip("IPython")
    display = pytest.importorskip("IPython.display")

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: type("Shell", (), {"kernel": object()})())
    monkeypatch.setattr(display, "display", shown.append)
    check("hw01_tanh", Tanh)
    assert len(shown) == 1 and "<table>" in shown[0].data and "8 / 8 points" in shown[0].data
    rep = report({**HW01, "layer_gradient_norms": lambda model, x: "<script>"})
    assert "&lt;script&gt;" in format_html(rep) and "<script>" not in format_html(rep)


def test_hidden_test_in_a_notebook_grades_at_once(capsys):
    @hidden_test("hw01_tanh", points=1, hint="large inputs")
    def saturates(Tanh):
        return Tanh.apply(torch.tensor([-1000.0, 1000.0]))

    assert capsys.readouterr().out.startswith("hw01_tanh: 1 / 1 points\n  passed        saturates")
    source = 'from minitorch.grading import hidden_test\n@hidden_test("hw01_tanh", points=2)\ndef big(Tanh): return 1.0\n' \
             '@hidden_test("hw02_augmentation", points=1)\ndef other(rotate): return 2'
    (test,) = spec.collect_hidden_tests("hw01_tanh", source)
    assert (test.name, test.points, test.hidden, test.needs) == ("big", 2, True, ("Tanh",))
    assert capsys.readouterr().out == ""


def test_while_grading_check_and_hidden_tests_do_nothing(monkeypatch, capsys):
    monkeypatch.setattr(spec, "GRADING", True)
    check("hw01_tanh", Tanh)
    hidden_test("hw01_tanh", points=1)(lambda Tanh: 1.0)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("name", assignments.names())
def test_every_reference_runs(name):
    hw = assignments.load(name)
    for test in hw.tests:
        assert test.judge is not None or spec.expected_for(hw, test) is not None


# ---- plain data and comparing ------------------------------------------------------------

class Liar:
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [Liar(), type("Tup", (tuple,), {"__eq__": lambda s, o: True})((1,)),
                                   np.array([Liar()]), {1: 2}, object()])
def test_only_plain_data_travels(value):
    with pytest.raises(TypeError, match="not plain data"):
        spec.encode(value)


def test_round_trip_of_plain_data():
    data = {"t": torch.tensor([[1.5, float("nan")]]), "n": np.int64(3), "l": (1, True, None, "s"),
            "e": np.zeros((2, 0), np.float32), "z": np.float32(2.5)}
    back = spec.decode(spec.json.loads(spec.json.dumps(spec.encode(data))))
    assert back["t"].dtype == np.float32 and back["t"].shape == (1, 2) and np.isnan(back["t"][0, 1])
    assert back["n"].shape == () and back["n"].dtype == np.int64
    assert back["l"] == [1, True, None, "s"] and back["e"].shape == (2, 0) and back["z"].dtype == np.float32
    with pytest.raises(ValueError, match="unexpected dtype"):
        spec.decode({"__ndarray__": [1], "dtype": "O", "shape": [1]})


@pytest.mark.parametrize("actual, expected, message", [
    (np.array([1.0, 2.0 + 1e-9]), np.array([1.0, 2.0]), None),
    (np.array([1.0, 2.1]), np.array([1.0, 2.0]), "1 of 2 values differ, e.g. at [1]: got 2.1, expected 2.0"),
    (np.array([1.0], np.float32), np.array([1.0]), "dtype float32, expected float64"),
    (np.zeros((2, 3)), np.zeros((3, 2)), "shape (2, 3), expected (3, 2)"),
    ([1, 2], [1, 2, 3], "got a list, expected a list of 3"),
    ({"a": 1}, {"a": 1, "b": 2}, "got a dict, expected a dict with keys ['a', 'b']"),
    ({"a": 1, "b": 3}, {"a": 1, "b": 2}, "b: got 3, expected 2"),
    (True, 1, "got True, expected 1"),
    (np.array(3), 3, None),
    (np.array(2.5), 2.5, None),
    (2, 2.0, None),
    (None, [4], "got None, expected a list of 1"),
    (None, 4, "got None, expected 4"),
    ("[1]", np.array([1]), "got '[1]', expected a tensor of shape (1,)"),
])
def test_compare(actual, expected, message):
    assert spec.compare(actual, expected, rtol=1e-5, atol=1e-6) == message


# ---- feedback: waiting on, hints, Run All --------------------------------------------------

def test_tests_that_build_on_a_failing_one_are_waiting(capsys):
    class Wrong(Tanh):
        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * (1 - y)

    class WrongModule(nn.Module):  # correct, but built on the wrong backward
        def forward(self, input):
            return Wrong.apply(input)

    rep = report({"Tanh": Wrong, "TanhModule": WrongModule, "layer_gradient_norms": layer_gradient_norms})
    assert statuses(rep) == {"forward": "passed", "backward": "failed", "saves_output": "passed",
                             "module": "waiting", "gradient_flow": "waiting"}
    assert rep.results[3].message == rep.results[4].message == \
        "waiting on Tanh.backward (test backward): this test uses it, so fix that first"
    assert rep.results[3].score == 0


@pytest.mark.parametrize("name", assignments.names())
def test_hints_teach_concepts_not_solution_lines(name):
    for test in assignments.load(name).tests:
        assert test.hint, test.name
        assert "return " not in test.hint and not re.search(r"\w\s*=\s*[A-Za-z_(]", test.hint), (test.name, test.hint)


def test_attempt_reports_and_goes_on(capsys):
    with attempt():
        raise NotImplementedError
    with attempt():
        {}["missing"]
    out = capsys.readouterr().out
    assert out.startswith("not written yet (NotImplementedError): this cell is skipped; the notebook goes on\n")
    assert "this cell raised KeyError: 'missing'" in out


def test_gradient_check_says_one_line(capsys):
    x = torch.linspace(-2, 2, 15, dtype=torch.float64).view(5, 3).requires_grad_()

    class Wrong(Tanh):
        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * (1 - y)

    class Unwritten(Tanh):
        @staticmethod
        def backward(ctx, grad):
            raise NotImplementedError

    for function in (Tanh.apply, Wrong.apply, Unwritten.apply, lambda x: x.view(99)):
        assert gradient_check(function, (x,)) is None
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["gradient check passed", "gradient check FAILED",
                                                      "gradient check skipped", "gradient check could not run"]


def test_gradient_check_output(capsys):
    x = torch.tensor([0.0, 5.0], dtype=torch.float64, requires_grad=True)
    gradient_check(Tanh.apply, (x,))

    class Wrong(Tanh):
        @staticmethod
        def backward(ctx, grad):
            return grad

    gradient_check(Wrong.apply, (x,))
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("gradient check passed: 2 gradient elements agree with finite differences")
    assert second.startswith("gradient check FAILED: input 0, element [1]: backward gives ")
    assert second.endswith("(worst of 2 elements)") and len(second) < 150


def test_library_code_run_in_a_thread_is_seen():
    import threading

    with Watch(assignments.load("hw01_tanh").rules()) as watch:
        worker = threading.Thread(target=torch.sigmoid, args=(torch.tensor([0.5]),))
        worker.start()
        worker.join()
    assert watch.verdict() == ("minitorch.ops.pointwise.Sigmoid ran on your behalf: build tanh from exp() yourself "
                               "(not from sigmoid)")
