"""Recording an op, and running one unrecorded, through ``Function.apply`` (issue 18): what the
short paths give equals what the general path gives.

The branches: while recording, an input that does not require grad gets its ``(None, 0)`` edge
without a history lookup; a single output is linked without a list of outputs; a leaf's
``AccumulateGrad`` is made with no metadata of its own. ``ctx.needs_input_grad`` is each
argument's ``requires_grad`` in both grad modes, as torch reports it.
"""

import weakref

import numpy as np
import pytest

import minitorch as torch
from minitorch.autograd.function import AccumulateGrad


class Probe(torch.autograd.Function):
    """Records what forward sees in ``ctx.needs_input_grad``."""

    seen = []

    @staticmethod
    def forward(ctx, a, b, c, d):
        Probe.seen.append(ctx.needs_input_grad)
        return a * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 2, None, None, None


class ProbeSetup(torch.autograd.Function):
    """The same, read in ``setup_context`` (forward without ``ctx``)."""

    seen = []

    @staticmethod
    def forward(a, b):
        return a * 2

    @staticmethod
    def setup_context(ctx, inputs, output):
        ProbeSetup.seen.append(ctx.needs_input_grad)

    @staticmethod
    def backward(ctx, grad):
        return grad * 2, None


@pytest.mark.parametrize("grad_mode", ["enabled", "no_grad"])
def test_needs_input_grad_is_each_arguments_requires_grad_in_both_modes(grad_mode):
    """torch reports needs_input_grad from requires_grad even under no_grad (values checked
    against torch 2.13): tensors requiring grad, views of them, plain tensors, numbers, None, strings."""
    x = torch.ones(3, requires_grad=True)
    view = x[:2]
    Probe.seen.clear()
    ProbeSetup.seen.clear()
    with torch.set_grad_enabled(grad_mode == "enabled"):
        Probe.apply(x, torch.ones(3), 3, None)
        Probe.apply(view, x, 3.0, "s")
        Probe.apply(torch.ones(3), torch.ones(3), 1, None)
        ProbeSetup.apply(torch.ones(2), x)
    assert Probe.seen == [(True, False, False, False), (True, True, False, False), (False, False, False, False)]
    assert ProbeSetup.seen == [(False, True)]


def test_unrecorded_ops_record_nothing_and_their_inner_ops_neither():
    """A forward that calls other ops does not record them, with grad mode on or off."""
    inner = []

    class Outer(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            y = a * 3  # not recorded: forward runs under no_grad
            inner.append(y)
            return y + 1

        @staticmethod
        def backward(ctx, grad):
            return grad * 3

    x = torch.ones(2, requires_grad=True)
    out = Outer.apply(x)
    assert out.grad_fn is not None and inner[0].grad_fn is None and not inner[0].requires_grad
    with torch.no_grad():
        out = Outer.apply(x)
    assert out.grad_fn is None and not out.requires_grad
    assert torch.is_grad_enabled()  # restored


def _edges(t):
    return [(type(n).__name__ if n is not None else None, nr) for n, nr in t.grad_fn.next_functions]


def test_edges_of_inputs_that_need_no_gradient():
    """A tensor that does not require grad, a wrapped number and a leaf: (None, 0), (None, 0)
    and its AccumulateGrad; a non-leaf input: its grad_fn and output number."""
    x = torch.ones(3, requires_grad=True)
    c = torch.ones(3)
    assert _edges(x + c) == [("AccumulateGrad", 0), (None, 0)]
    assert _edges(c * x) == [(None, 0), ("AccumulateGrad", 0)]
    assert _edges(x * 2.0) == [("AccumulateGrad", 0), (None, 0)]
    values, _ = (x * 2).reshape(1, 3).max(0)
    assert _edges(values + c) == [("MaxBackward0", 0), (None, 0)]
    a, b = (x * 1).split(2)
    assert _edges(b * a[:1]) == [("SplitBackward0", 1), ("SliceBackward0", 0)]
    y = x + x
    assert y.grad_fn.next_functions[0][0] is y.grad_fn.next_functions[1][0]  # one node per leaf


def test_leaf_accumulator_is_shared_while_alive_and_made_again_after():
    """A leaf holds its AccumulateGrad weakly (as torch does): graphs alive at once share it; once
    they are gone, the next graph makes a new one. It has one output, and accumulates."""
    x = torch.ones(2, requires_grad=True)
    y1, y2 = x * 2, x * 3
    node = y1.grad_fn.next_functions[0][0]
    assert isinstance(node, AccumulateGrad) and node is y2.grad_fn.next_functions[0][0]
    assert node.variable is x and len(node._output_meta) == 1
    ref = weakref.ref(node)
    del y1, y2, node
    assert ref() is None  # no cycle keeps it: freed with the graphs
    y = (x * 2).sum()
    assert y.grad_fn.next_functions[0][0].next_functions[0][0] is not None
    y.backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]


def test_input_returned_as_is_becomes_a_view():
    """An output that is one of the inputs is given as a new view carrying this node (torch)."""

    class Identity(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a, b * 2

        @staticmethod
        def backward(ctx, ga, gb):
            return ga, gb * 2

    x = torch.ones(2, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    a, b = Identity.apply(x, w)
    assert a is not x and a._base is x and a.grad_fn.name() == "IdentityBackward"
    assert a.output_nr == 0 and b.output_nr == 1 and b.grad_fn is a.grad_fn
    (a.sum() + b.sum()).backward()
    assert x.grad.tolist() == [1.0, 1.0] and w.grad.tolist() == [2.0, 2.0]


def test_dirty_and_non_differentiable_outputs_still_handled():
    class AddOne(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            a.add_(1)
            ctx.mark_dirty(a)
            return a

        @staticmethod
        def backward(ctx, grad):
            return grad

    class WithIndex(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            index = torch.tensor([0.0])
            ctx.mark_non_differentiable(index)
            return a * 2, index

        @staticmethod
        def backward(ctx, grad, _):
            return grad * 2

    x = torch.ones(2, requires_grad=True)
    y = x * 1
    version = y._version
    z = AddOne.apply(y)
    assert z is y and y._version == version + 2 and y.grad_fn.name() == "AddOneBackward"  # add_, then dirty
    leaf = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad has been used in an in-place"):
        AddOne.apply(leaf)
    out, index = WithIndex.apply(x)
    assert out.requires_grad and not index.requires_grad and index.grad_fn is None


@pytest.mark.parametrize("op", [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a.sigmoid() * b,
                                lambda a, b: a @ b.t(), lambda a, b: (a * b).sum(1), lambda a, b: a[0] - b[1],
                                lambda a, b: a / 3, lambda a, b: 2.0 ** a, lambda a, b: a.t() * b.t(),
                                lambda a, b: a.double() * b[:1], lambda a, b: torch.maximum(a, b) - 1])
def test_recorded_results_equal_unrecorded_results(op):
    """Values, dtype, strides and version are the same recorded or not; only the history differs."""
    rng = np.random.default_rng(0)
    a_np, b_np = rng.standard_normal((2, 3)).astype(np.float32), rng.standard_normal((2, 3)).astype(np.float32)
    a, b = torch.tensor(a_np, requires_grad=True), torch.tensor(b_np)
    recorded = op(a, b)
    with torch.no_grad():
        plain = op(a, b)
    assert recorded.requires_grad and recorded.grad_fn is not None
    assert not plain.requires_grad and plain.grad_fn is None
    assert np.array_equal(recorded.detach().numpy(), plain.numpy())
    assert recorded.dtype is plain.dtype and recorded.stride() == plain.stride()
    assert recorded._version == plain._version == 0
    assert True in recorded.grad_fn.needs_input_grad


def test_saved_tensor_checks_raise_after_in_place_changes():
    """torch 2.13's messages: after ``h.add_``, ``h`` is output 0 of Add."""
    x = torch.ones(3, requires_grad=True)
    h = x * 2
    y = h.sigmoid()  # saves its output
    z = h * h  # saves its inputs
    y.mul_(2)
    with pytest.raises(RuntimeError, match="output 0 of Sigmoid, is at version 1; expected version 0"):
        y.sum().backward()
    h.add_(1)
    with pytest.raises(RuntimeError, match="output 0 of Add, is at version 1; expected version 0"):
        z.sum().backward()
