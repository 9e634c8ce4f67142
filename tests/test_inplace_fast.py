"""The in-place fast path (``ops/inplace.py``, ``_WRITE_INTO``): ops that nothing records compute
straight into the target's memory. Every call here runs twice on identical tensors, once as it is
and once with the fast path switched off (``_write`` refusing, so the general path - compute out of
place, copy in - runs), and the two must agree bit for bit: values of the whole base, dtype, shape,
strides, version counters, ``requires_grad``/``grad_fn``, and any error's type and message."""

import re
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minitorch as torch
from minitorch.ops import inplace

DTYPES = [torch.float16, torch.float32, torch.float64, torch.int32, torch.int64, torch.uint8, torch.bool]
SPECIAL = [0.0, -0.0, 1.0, -1.5, 2.5, 1e4, -7.0, float("nan"), float("inf"), float("-inf"), 3e38]


def _values(rng, n, dtype):
    """n values of ``dtype`` (as a numpy array), floats with nan, infinities, -0 and overflows."""
    if dtype is torch.bool:
        return rng.random(n) < 0.5
    if dtype.is_floating_point:
        with np.errstate(over="ignore"):
            mixed = np.where(rng.random(n) < 0.3, rng.choice(SPECIAL, n), rng.normal(0, 3, n))
            return mixed.astype(dtype.np)
    low = 0 if dtype is torch.uint8 else -9
    return rng.integers(low, 10, n).astype(dtype.np)


def _target(rng, dtype, layout, shape):
    """(base, x): x of ``shape`` viewing base as ``layout`` says."""
    n = int(np.prod(shape))
    if layout == "contiguous":
        base = torch.from_numpy(_values(rng, n, dtype).reshape(shape))
        return base, base
    if layout == "transposed":
        base = torch.from_numpy(_values(rng, n, dtype).reshape(shape[::-1]))
        return base, base.permute(*reversed(range(len(shape))))
    base = torch.from_numpy(_values(rng, 2 * n + 1, dtype))  # every other element, from the second
    return base, base[1:2 * n + 1:2].view(shape) if n else base[:0].view(shape)


UNARY = ["sigmoid_", "exp_", "tanh_", "neg_", "abs_", "sqrt_", "rsqrt_", "log_", "floor_", "sign_", "frac_",
         "reciprocal_", "erf_", "expm1_"]
OPS = ["add_", "sub_", "mul_", "div_", "__iadd__", "__imul__", "__itruediv__", "__isub__", "relu_", "clamp_",
       "clamp_min_", "clamp_max_", "fill_", "zero_", "copy_", "setitem", "unary"]


@st.composite
def cases(draw):
    """One in-place call: (seed, target dtype, layout, shape, op, how the operand is made, options)."""
    shape = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    if draw(st.booleans()) and shape:
        shape = shape[:-1] + (0,) if draw(st.integers(0, 9)) == 0 else shape  # sometimes empty
    op = draw(st.sampled_from(OPS))
    op = draw(st.sampled_from(UNARY)) if op == "unary" else op
    operand = draw(st.sampled_from(["same", "number", "broadcast", "0-d", "bigger", "mismatch", "itself",
                                    "overlap", "disjoint"]))
    options = {
        "dtype": draw(st.sampled_from(DTYPES)), "other_dtype": draw(st.sampled_from(DTYPES)),
        "number": draw(st.sampled_from([0, 1, 2, -3, 300, 0.5, -2.25, 1e6, True, False, float("nan"), 1e40])),
        "alpha": draw(st.sampled_from([None, 1, 2, -0.5, True])),
        "bounds": draw(st.sampled_from([(0, 1), (-1.5, 2.5), (None, 0), (3, None), (2, -2), (0.5, None)])),
        "mode": draw(st.sampled_from(["no_grad", "grad_on", "requires_grad_under_no_grad", "view_of_leaf"])),
    }
    return draw(st.integers(0, 2 ** 16)), draw(st.sampled_from(["contiguous", "transposed", "strided"])), shape, \
        op, operand, options


def _operand(rng, kind, base, x, options):
    dtype, shape = options["other_dtype"], x.shape
    make = lambda s: torch.from_numpy(_values(rng, int(np.prod(s)), dtype).reshape(s))  # noqa: E731
    if kind == "number":
        return options["number"]
    if kind == "same":
        return make(shape)
    if kind == "broadcast":
        return make(tuple(1 if i % 2 else n for i, n in enumerate(shape))[1:])
    if kind == "0-d":
        return make(())
    if kind == "bigger":
        return make((2,) + tuple(shape))
    if kind == "mismatch":
        return make(tuple(n + 1 for n in shape))
    if kind == "itself":
        return x
    if kind == "overlap":  # the first elements of the storage: x itself, or some of x's memory (an error)
        return base.view(-1)[: x.numel()].view(shape)
    return x.clone()  # disjoint memory


def _run(seed, layout, shape, op, operand, options):
    """Make the tensors, run the call; what the test compares."""
    rng = np.random.default_rng(seed)
    dtype = options["dtype"]
    base, x = _target(rng, dtype, layout, shape)
    other = _operand(rng, operand, base, x, options)
    mode = options["mode"]
    leaf = None
    if mode == "view_of_leaf" and dtype.is_floating_point:  # x: a view made under no_grad of a leaf that requires grad
        leaf = base.requires_grad_()
        with torch.no_grad():
            x = leaf[...] if x is base else x
    if mode == "requires_grad_under_no_grad" and dtype.is_floating_point and x is base:
        x.requires_grad_()
    args, kwargs = (), {}
    if op in ("add_", "sub_", "mul_", "div_", "__iadd__", "__imul__", "__itruediv__", "__isub__", "copy_"):
        args = (other,)
        if op in ("add_", "sub_") and options["alpha"] is not None:
            kwargs = {"alpha": options["alpha"]}
    elif op == "clamp_":
        lo, hi = options["bounds"]
        args, kwargs = ((lo, hi), {}) if operand != "same" else ((), {"min": lo, "max": hi})
    elif op in ("clamp_min_", "clamp_max_"):
        args = (options["bounds"][0 if op == "clamp_min_" else 1] or 1,)
        if operand in ("same", "broadcast", "0-d") and isinstance(other, torch.Tensor):
            args = (other,)  # a tensor bound
    elif op == "fill_":
        args = (other if operand == "0-d" else options["number"],)
    grad = torch.no_grad() if mode in ("no_grad", "requires_grad_under_no_grad") else torch.enable_grad()
    result = error = None
    try:
        with grad:
            if op == "setitem":
                x[(slice(None),) * (x.dim() > 0)] = other if operand in ("0-d", "broadcast", "same") else options["number"]
                result = x
            else:
                result = getattr(x, op)(*args, **kwargs)
    except Exception as e:  # compared below: the same error either way
        error = (type(e), str(e))
    raw = base.detach().numpy()
    return {
        "error": error, "returned_self": result is x,
        "bytes": np.ascontiguousarray(raw).view(np.uint8).tobytes(), "dtype": x.dtype,
        "geometry": (x.shape, x.stride(), x.storage_offset()), "versions": (x._version, base._version),
        "grad": (x.requires_grad, x.grad_fn is not None and x.grad_fn.name(), leaf is not None and leaf.grad_fn),
        "other": np.ascontiguousarray(other.detach().numpy()).tobytes() if isinstance(other, torch.Tensor) else other,
    }


@settings(max_examples=300)  # ~1 s: the rarer cases (a bool operand of sub_) need more than the default
@given(cases())
def test_fast_path_is_the_general_path_bit_for_bit(case):
    fast = _run(*case)
    with mock.patch.object(inplace, "_write", lambda *args: False):  # every fast path declines
        general = _run(*case)
    assert fast.keys() == general.keys()
    for key in fast:
        assert fast[key] == general[key] or (key == "other" and fast[key] != fast[key]), (key, case)


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def test_the_fast_path_writes_into_the_target_memory():
    """No result array: the target's own storage is written, through views and strides too."""
    x = torch.arange(12.0).view(3, 4)
    storage = x.untyped_storage().data_ptr()
    column = x[:, 1]
    with torch.no_grad():
        column.mul_(10.0).add_(torch.ones(3), alpha=0.5).clamp_(0, 80).relu_()
    assert x.untyped_storage().data_ptr() == storage
    assert x[:, 1].tolist() == [10.5, 50.5, 80.0] and x._version == column._version == 4
    x.t().sub_(torch.tensor([1.0, 2.0, 3.0]))  # nothing requires grad: fast with grad mode on too
    assert x.tolist() == [[-1.0, 9.5, 1.0, 2.0], [2.0, 48.5, 4.0, 5.0], [5.0, 77.0, 7.0, 8.0]]


def test_an_optimizer_style_update_under_no_grad():
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    g = torch.tensor([0.5, -1.0])
    with torch.no_grad():
        assert p.add_(g, alpha=-0.1) is p
    assert p.tolist() == [0.949999988079071, 2.0999999046325684] and p.requires_grad and p.grad_fn is None
    assert p._version == 1


def test_errors_the_fast_path_keeps():
    with torch.no_grad():
        with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
            torch.tensor([1, 2]).add_(1.5)
        with raises(RuntimeError, "output with shape [2] doesn't match the broadcast shape [2, 2]"):
            torch.tensor([1.0, 2.0]).mul_(torch.ones(2, 2))
        with raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton "
                                  "dimension 0"):
            torch.tensor([1.0, 2.0]).sub_(torch.ones(3))
        x = torch.arange(4.0)
        with raises(RuntimeError, "unsupported operation: some elements of the input tensor and the written-to "
                                  "tensor refer to a single memory location. Please clone() the tensor before "
                                  "performing the operation."):
            x[1:].add_(x[:-1])
        with raises(RuntimeError, "unsupported operation: more than one element of the written-to tensor refers "
                                  "to a single memory location. Please clone() the tensor before performing the "
                                  "operation."):
            torch.zeros(1).expand(3).mul_(2.0)
        with raises(RuntimeError, "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                                  "trying to invert a mask, use the `~` or `logical_not()` operator instead."):
            torch.ones(2).sub_(torch.tensor([True, False]))
        with raises(RuntimeError, "Boolean inputs not supported for relu"):
            torch.tensor([True]).relu_()
        with raises(RuntimeError, "torch.clamp: At least one of 'min' or 'max' must not be None"):
            torch.ones(2).clamp_()
        with raises(TypeError, "clamp_min() missing 1 required positional argument: 'min'"):
            torch.ones(2).clamp_min_()
        with raises(RuntimeError, "value cannot be converted to type c10::Half without overflow"):
            torch.ones(2, dtype=torch.float16).clamp_(0, 1e6)
        with raises(RuntimeError, "value cannot be converted to type uint8_t without overflow"):
            torch.ones(2, dtype=torch.uint8).fill_(300)
    leaf = torch.ones(3, requires_grad=True)
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        leaf.add_(1.0)
    with torch.no_grad():
        view = leaf[1:]
    with raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation."):
        view.mul_(2.0)  # nothing requires grad here, yet torch refuses: the fast path checks too
    assert leaf.tolist() == [1.0, 1.0, 1.0] and leaf._version == 0


def test_recorded_writes_keep_the_general_path():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    x = torch.zeros(2)
    x.add_(w, alpha=3)  # w requires grad: recorded, x joins the graph
    assert x.grad_fn.name() == "AddBackward0"
    x.relu_()
    x.sum().backward()
    assert w.grad.tolist() == [3.0, 0.0]
    y = torch.zeros(2)
    y.clamp_(min=w)  # a tensor bound given by keyword that requires grad is recorded too
    assert y.grad_fn.name() == "ClampBackward0"
