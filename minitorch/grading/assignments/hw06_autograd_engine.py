"""hw06_autograd_engine: a scalar ``Value`` with ``+ * ** exp tanh relu`` (and the operators built
on them), a topological-sort ``backward``, and ``sgd_step``; judged against minitorch's autograd on
the same expressions (the reference wraps 0-d float64 tensors in the ``Value`` interface).

While the tests run, the library's autograd must not: a ``Value`` that wraps tensors, or any
tensor op, is library code doing the work."""

import numpy as np

import minitorch as torch

from ..spec import Assignment


class _TensorValue:
    """minitorch's autograd behind the ``Value`` interface: the judge's reference."""

    def __init__(self, data, tensor=None):
        self.t = torch.tensor(float(data), dtype=torch.float64, requires_grad=True) if tensor is None else tensor

    @property
    def data(self):
        return self.t.item()

    @property
    def grad(self):
        return 0.0 if self.t.grad is None else self.t.grad.item()

    def _op(self, tensor):
        return _TensorValue(None, tensor)

    def __add__(self, other):
        return self._op(self.t + _lift(other))

    def __mul__(self, other):
        return self._op(self.t * _lift(other))

    def __pow__(self, k):
        return self._op(self.t ** k)

    def exp(self):
        return self._op(self.t.exp())

    def tanh(self):
        return self._op(self.t.tanh())

    def relu(self):
        return self._op(self.t.relu())

    def backward(self):
        self.t.backward()

    __radd__, __rmul__ = __add__, __mul__

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return other * self ** -1


def _lift(x):
    return x.t if isinstance(x, _TensorValue) else x


_BY_HAND = "build the graph and its backward with your Value, on Python floats (no tensors)"

hw = Assignment(
    "hw06_autograd_engine",
    title="An autograd engine for scalars",
    lecture="03_autograd_and_backprop",
    reference={"Value": _TensorValue},
    banned={"minitorch.autograd.engine": _BY_HAND, "minitorch.autograd.function.Function": _BY_HAND},
)


def leaves_and_grads(Value, build, *numbers):
    """Make a leaf ``Value`` per number, ``build`` an output from them, backpropagate; return the
    output's value and each leaf's gradient."""
    leaves = [Value(x) for x in numbers]
    out = build(*leaves)
    out.backward()
    return [out.data, [leaf.grad for leaf in leaves]]


@hw.test(points=3, partial=True, own=("Value.backward",),
         hint="each operation makes a new Value that remembers its inputs and how to pass a gradient back to "
              "them (the local derivative times the output's gradient); numbers mixed in on either side "
              "become constants")
def arithmetic(Value):
    return {
        "a * b + c": leaves_and_grads(Value, lambda a, b, c: a * b + c, 2.0, -3.0, 10.0),
        "a ** 3": leaves_and_grads(Value, lambda a: a ** 3, 1.5),
        "a ** -2": leaves_and_grads(Value, lambda a: a ** -2, 0.5),
        "(a + 2) * 3": leaves_and_grads(Value, lambda a: (a + 2) * 3, 4.0),
        "1 + 2 * a": leaves_and_grads(Value, lambda a: 1 + 2 * a, -1.0),
        "a - b": leaves_and_grads(Value, lambda a, b: a - b, 5.0, 7.0),
        "a / b": leaves_and_grads(Value, lambda a, b: a / b, 3.0, -4.0),
        "-a": leaves_and_grads(Value, lambda a: -a, 2.5),
    }


@hw.test(points=3, partial=True, own=("Value.backward",),
         hint="the derivative of exp is exp itself, tanh's is largest (1) at 0 and vanishes far from 0, "
              "relu's is 1 where the input is positive and 0 elsewhere")
def exp_tanh_relu(Value):
    return {
        "exp(a)": leaves_and_grads(Value, lambda a: a.exp(), 0.7),
        "exp(2a - 1)": leaves_and_grads(Value, lambda a: (2 * a - 1).exp(), -0.3),
        "tanh(a), a = 0": leaves_and_grads(Value, lambda a: a.tanh(), 0.0),
        "tanh(a), a = -1.5": leaves_and_grads(Value, lambda a: a.tanh(), -1.5),
        "relu(a), a > 0": leaves_and_grads(Value, lambda a: a.relu(), 3.0),
        "relu(a), a < 0": leaves_and_grads(Value, lambda a: a.relu(), -2.0),
        "relu(a) * tanh(b)": leaves_and_grads(Value, lambda a, b: a.relu() * b.tanh(), 1.2, 0.4),
    }


@hw.test(points=2, partial=True, own=("Value.backward",), after=("arithmetic",),
         hint="a Value used twice gets a gradient from each use, added up; a node may pass its gradient on only "
              "after everything that uses it has passed theirs (topological order)")
def shared_nodes(Value):
    def diamond(a, b):
        c = a * b
        d = a + b
        return c * d + c

    return {
        "a + a": leaves_and_grads(Value, lambda a: a + a, 3.0),
        "a * a * a": leaves_and_grads(Value, lambda a: a * a * a, -2.0),
        "diamond": leaves_and_grads(Value, diamond, 1.5, -0.5),
        "a reused after a long branch": leaves_and_grads(Value, lambda a: ((a * 2 + 1) * a).tanh() + a, 0.3),
    }


def two_layer_mlp(Value, seed=0, hidden=4):
    """A 2-4-1 network (tanh hidden layer, relu-free linear output) on four points: the mean
    squared error and the gradient of every weight, first layer first."""
    rng = np.random.default_rng(seed)
    w1 = [[Value(w) for w in row] for row in rng.normal(size=(hidden, 2)).tolist()]
    b1 = [Value(b) for b in rng.normal(size=hidden).tolist()]
    w2 = [Value(w) for w in rng.normal(size=hidden).tolist()]
    b2 = Value(0.1)
    points = [((0.5, -1.0), 1.0), ((-0.3, 0.8), -1.0), ((1.2, 0.1), 1.0), ((-1.0, -0.6), -1.0)]
    loss = 0
    for (x, y), target in points:
        hidden_out = [(row[0] * x + row[1] * y + b).tanh() for row, b in zip(w1, b1)]
        out = sum((w * h for w, h in zip(w2, hidden_out)), b2)
        loss = loss + (out - target) ** 2
    loss = loss / len(points)
    loss.backward()
    params = [w for row in w1 for w in row] + b1 + w2 + [b2]
    return [loss.data, [p.grad for p in params]]


@hw.test(points=2, rtol=1e-6, own=("Value.backward",), after=("arithmetic", "exp_tanh_relu", "shared_nodes"),
         hint="the network only combines the operations above: get those right first")
def mlp_gradients(Value):
    return two_layer_mlp(Value)


class _Parameter:
    """A stand-in with ``data`` and ``grad``, for testing ``sgd_step`` on its own."""

    def __init__(self, data, grad):
        self.data, self.grad = data, grad


def _sgd_judge(data):
    expected = [[1.0 - 0.1 * 0.5, 0.0], [-2.0 - 0.1 * -4.0, 0.0], [3.0, 0.0]]
    if data == expected or np.allclose(np.asarray(data, dtype=float), expected):
        return 1.0, ""
    return 0.0, f"after one step (lr 0.1) the parameters' (data, grad) are {data}, expected {expected}"


@hw.test(points=1, judge=_sgd_judge, own=("sgd_step",),
         hint="a step moves each parameter against its gradient, scaled by lr, and then clears the gradient "
              "so that the next backward starts from zero")
def sgd_step(sgd_step):
    params = [_Parameter(1.0, 0.5), _Parameter(-2.0, -4.0), _Parameter(3.0, 0.0)]
    sgd_step(params, 0.1)
    return [[float(p.data), float(p.grad)] for p in params]
