"""hw06_autograd_engine: cheats that let minitorch's autograd do the work, and plausible wrong
answers. Each WRONG entry patches one method of the solution's Value."""

CHEATS = {
    "Value wraps minitorch tensors": ("arithmetic", '''
import minitorch

class Value:
    def __init__(self, data, tensor=None):
        self.t = minitorch.tensor(float(data), dtype=minitorch.float64, requires_grad=True) if tensor is None else tensor

    data = property(lambda self: self.t.item())
    grad = property(lambda self: 0.0 if self.t.grad is None else self.t.grad.item())

    def __add__(self, other):
        return Value(None, self.t + (other.t if isinstance(other, Value) else other))

    def __mul__(self, other):
        return Value(None, self.t * (other.t if isinstance(other, Value) else other))

    def __pow__(self, k):
        return Value(None, self.t ** k)

    def backward(self):
        self.t.backward()

    __radd__, __rmul__ = __add__, __mul__
    __neg__ = lambda self: self * -1
    __sub__ = lambda self, other: self + (-other)
    __truediv__ = lambda self, other: self * other ** -1
'''),
    "the judge's reference": ("arithmetic",
                              "from minitorch.grading.assignments.hw06_autograd_engine import _TensorValue as Value"),
}


def _patch(method, source):
    """Replace one method of the solution's Value (``source`` defines it as a function)."""
    return f"{source}\nValue.{method} = {method}\n"


WRONG = {
    "assigns the gradient instead of adding": ("shared_nodes", _patch("__mul__", '''
def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other))

    def _backward():
        self.grad = other.data * out.grad
        other.grad = self.data * out.grad
    out._backward = _backward
    return out
''')),
    "power rule without the minus one": ("arithmetic", _patch("__pow__", '''
def __pow__(self, k):
    out = Value(self.data ** k, (self,))

    def _backward():
        self.grad += k * self.data ** k * out.grad
    out._backward = _backward
    return out
''')),
    "exp's derivative from the input": ("exp_tanh_relu", _patch("exp", '''
def exp(self):
    out = Value(math.exp(self.data), (self,))

    def _backward():
        self.grad += self.data * out.grad
    out._backward = _backward
    return out
''')),
    "relu lets every gradient through": ("exp_tanh_relu", _patch("relu", '''
def relu(self):
    out = Value(max(self.data, 0.0), (self,))

    def _backward():
        self.grad += out.grad
    out._backward = _backward
    return out
''')),
    "tanh from exp overflows": ("tanh_saturates", _patch("tanh", '''
def tanh(self):
    e = math.exp(2 * self.data)
    out = Value((e - 1) / (e + 1), (self,))

    def _backward():
        self.grad += (1 - out.data ** 2) * out.grad
    out._backward = _backward
    return out
''')),
    "backward without a topological order": ("shared_nodes", _patch("backward", '''
def backward(self):
    self.grad = 1.0
    queue = [self]
    while queue:
        node = queue.pop(0)
        node._backward()
        queue.extend(node._children)
''')),
    "recursive topological sort": ("deep_chain", _patch("backward", '''
def backward(self):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for child in node._children:
                visit(child)
            order.append(node)

    visit(self)
    self.grad = 1.0
    for node in reversed(order):
        node._backward()
''')),
    "sgd_step keeps old gradients": ("sgd_step", '''
def sgd_step(parameters, lr):
    for p in parameters:
        p.data -= lr * p.grad
'''),
}
