"""hw01_tanh: ``Tanh`` as an autograd ``Function`` built from ``exp``, ``TanhModule`` wrapping it,
and ``layer_gradient_norms`` to compare gradient flow through deep tanh and sigmoid networks."""

import numpy as np

import minitorch as torch
from minitorch import nn

from ..spec import Assignment, compare

_FROM_EXP = "build tanh from exp() yourself"


class _LibraryTanh:
    """The library's tanh, seen through the ``Function.apply`` interface."""

    apply = staticmethod(torch.tanh)


hw = Assignment(
    "hw01_tanh",
    title="Tanh as an autograd Function",
    lecture="04_vanishing_gradients",
    reference={"Tanh": _LibraryTanh, "TanhModule": nn.Tanh},  # layer_gradient_norms: see gradient_flow
    banned={  # the library's kernels: every route to them (torch.tanh, x.tanh(), F.tanh, nn.Tanh...) ends here
        "minitorch.ops.pointwise.Tanh": _FROM_EXP,
        "minitorch.ops.pointwise.Sigmoid": _FROM_EXP + " (not from sigmoid)",
        "minitorch.ops.pointwise.Sinh": _FROM_EXP + " (not from sinh and cosh)",
        "minitorch.ops.pointwise.Cosh": _FROM_EXP + " (not from sinh and cosh)",
        "numpy.tanh": _FROM_EXP,
        "math.tanh": _FROM_EXP,
    },
)


def _normal(seed, *shape, dtype=torch.float64, scale=2.0):
    """The same random tensor for the student's code and the reference."""
    return torch.tensor(np.random.default_rng(seed).normal(0.0, scale, shape), dtype=dtype)


@hw.test(points=2, partial=True, rtol=1e-4, own=("Tanh.forward",),
         hint="tanh is odd, is 0 at 0 and saturates at -1 and 1; the output keeps the input's shape and dtype "
              "(float32 in, float32 out). Check a few values by hand: tanh(0.5) = 0.4621")
def forward(Tanh):
    x = _normal(0, 4, 5)
    return {
        "values": Tanh.apply(x),
        "float32 stays float32": Tanh.apply(x.float()),
        "non-contiguous input": Tanh.apply(x.t()),
        "0-d tensor": Tanh.apply(torch.tensor(0.5)),
        "|x| up to 20": Tanh.apply(torch.linspace(-20, 20, 9, dtype=torch.float64)),
    }


@hw.test(points=2, partial=True, own=("Tanh.backward",), after=("forward",),
         hint="the derivative of tanh is largest (exactly 1) at x = 0 and vanishes as |x| grows: "
              "run gradient_check on your Function at x = 0 and x = 5, and remember the chain rule's grad_output")
def backward(Tanh):
    gradients = {}
    for case, x in {"vector": _normal(1, 6), "matrix": _normal(2, 3, 4), "non-contiguous": _normal(3, 4, 3).t()}.items():
        x.requires_grad_()
        (Tanh.apply(x) * _normal(4, *x.shape)).sum().backward()  # every element gets its own upstream grad
        gradients[case] = x.grad
    return gradients


def _saved_output_judge(saved):
    expected = np.tanh(_normal(5, 5).numpy())
    if not isinstance(saved, list) or not saved:
        return 0.0, "forward saved nothing for backward (ctx.save_for_backward)"
    if any(isinstance(t, np.ndarray) and t.shape == expected.shape and np.allclose(t, expected) for t in saved):
        return 1.0, ""
    return 0.0, "forward did not save its output tanh(x) for backward"


@hw.test(points=1, judge=_saved_output_judge, after=("forward",),
         hint="the derivative can be written with the output of forward alone: save that, not the input")
def saves_output(Tanh):
    x = _normal(5, 5).requires_grad_()
    return list(Tanh.apply(x).grad_fn.saved_tensors)


@hw.test(points=1, partial=True, own=("TanhModule.forward",), after=("forward", "backward"),
         hint="a layer without parameters whose forward goes through your Function, so gradients flow back")
def module(TanhModule):
    layer = TanhModule()
    x = _normal(6, 2, 3).requires_grad_()
    y = layer(x)
    y.sum().backward()
    return {"output": y, "gradient": x.grad, "number of parameters": len(list(layer.parameters()))}


def deep_network(activation, depth=8, width=16, seed=7):
    """``depth`` Linear layers with fixed weights, each followed by ``activation()``."""
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(rng.normal(0.0, width ** -0.5, (width, width)), dtype=torch.float32))
            linear.bias.zero_()
        layers += [linear, activation()]
    return nn.Sequential(*layers)


#: The weight-gradient norms of ``deep_network(nn.Tanh)`` on ``_normal(8, 4, 16)``, first layer first: the
#: answer of ``gradient_flow``, recorded (any code that computes it would be the solution itself).
GRADIENT_FLOW = [10.362610816955566, 5.804022312164307, 6.374191761016846, 6.624345779418945, 7.852941513061523,
                 5.890232086181641, 6.519776821136475, 9.201854705810547]


def _gradient_flow_judge(norms):
    message = compare(norms, GRADIENT_FLOW, rtol=1e-4, atol=1e-6)
    return (0.0, message) if message else (1.0, "")


@hw.test(points=2, judge=_gradient_flow_judge, own=("layer_gradient_norms",), after=("module",),
         hint="one norm per nn.Linear, first layer first, each the norm of that layer's weight gradient "
              "from one backward pass of model(x).sum()")
def gradient_flow(TanhModule, layer_gradient_norms):
    return layer_gradient_norms(deep_network(TanhModule), _normal(8, 4, 16, dtype=torch.float32))
