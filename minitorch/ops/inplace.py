"""In-place ops (``add_``, ``copy_``, ``x[i] = v``...): compute out of place, write back, rebase.

An in-place op on ``x`` (1) computes the result like the out-of-place op would, (2) writes it
into ``x``'s storage, (3) bumps the version counter shared by ``x`` and its views, so a
backward that saved the old values notices, and (4) makes ``x``'s ``grad_fn`` the new op -
or, when ``x`` is a view, gives its base a ``CopySlices`` node, so ``y = x.clone(); y[0] = 0``
still backpropagates to ``x`` through the untouched elements.

When no graph records the write (grad mode off, or neither ``x`` nor an operand requires grad:
an optimizer's ``p.add_(g, alpha=-lr)`` under ``no_grad``, ``ReLU(inplace=True)`` in eval,
``zero_()``), the commonest ops skip (1)-(2) and compute straight into ``x``'s memory: see
``_WRITE_INTO``.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from .. import _dtypes, _strides
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.function import Function, forward_name, rebase_saved_output
from ._util import PYTHON_NUMBERS, operands, type_name
from .pointwise import UNARY, clamp_operands, opmath, scaled
from .shape import ViewScatter


def _alias(t):
    """A second tensor object with ``t``'s data AND autograd identity (grad_fn / leaf edge)."""
    a = t.detach()
    a._requires_grad, a.grad_fn, a._output_nr = t._requires_grad, t.grad_fn, t._output_nr
    if t.grad_fn is None and t._requires_grad:
        a.__dict__["_accumulator_ref"] = t.__dict__.get("_accumulator_ref")
        a._grad_accumulator = t._grad_accumulator
    return a


class CopySlices(Function):
    """The base after an in-place write into one of its views: outside the view the gradient
    flows to the old base, inside it to the value that was written.

    ``order`` lists the base's dims from outermost to innermost in memory: permuted that way,
    the base's gradient is laid out like the storage, where the view's geometry applies."""

    backward_name, cpp_name = "CopySlices", "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, base, value, order, shape, strides, offset):
        ctx.order, ctx.geometry = order, (shape, strides, offset)
        return base.detach()  # the data was already written through the view

    @staticmethod
    def backward(ctx, grad):
        grad = grad.permute(*ctx.order).contiguous()
        shape, strides, offset = ctx.geometry
        region = grad.as_strided(shape, strides, grad.storage_offset() + offset)
        mask = ViewScatter.apply(region.new_ones(region.shape), tuple(grad.shape), *ctx.geometry)
        outside = grad.masked_fill(mask != 0, 0.0)  # exact zeros inside the view, even where grad is NaN
        return outside.permute(*_inverse(ctx.order)), region, None, None, None, None


class ViewOfBase(Function):
    """A view whose base changed in place reads the base's new values: its history becomes
    "this region of the base" (torch's ``AsStridedBackward0``). Arguments as for CopySlices."""

    backward_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, base, order, shape, strides, offset):
        ctx.base_shape, ctx.order, ctx.geometry = base._shape, order, (shape, strides, offset)
        return base.detach()  # only the node is used: the view tensor keeps its own identity

    @staticmethod
    def backward(ctx, grad):
        permuted_shape = tuple(ctx.base_shape[d] for d in ctx.order)
        scattered = ViewScatter.apply(grad, permuted_shape, *ctx.geometry)
        return scattered.permute(*_inverse(ctx.order)), None, None, None, None


def _inverse(order):
    return sorted(range(len(order)), key=order.__getitem__)


def _relative_geometry(view, base):
    """Where ``view`` lies inside ``base``: the base's dims in memory order, and the view's
    geometry relative to the base's first element (so it can be applied to gradients)."""
    if not _strides.is_non_overlapping_and_dense(base._shape, base._strides):
        raise RuntimeError("in-place writes into a view of a non-dense tensor are not supported with autograd")
    order = tuple(reversed(_strides.layout_order(base._shape, [base._strides])))
    return order, view._shape, view._strides, view._offset - base._offset


def view_of_base(base, view):
    """The ``grad_fn`` of ``view`` read through ``base``'s current history (see ViewOfBase)."""
    with grad_mode.enable_grad():  # the node is needed even when the base changed under no_grad
        return ViewOfBase.apply(_alias(base), *_relative_geometry(view, base)).grad_fn


def check_not_a_leaf(x):
    """While recording, a leaf that requires grad (or a view of one) must not change in place:
    its ``.grad`` would describe values it no longer has. Returns whether grad mode is on."""
    recording = grad_mode.is_grad_enabled()
    # one of several views an op returned (split, chunk, unbind): torch could not tell which
    # output's history an in-place write should rewrite, so it refuses while recording
    if x._multi_output_view and recording and x._requires_grad:
        raise RuntimeError(
            f"Output {x._output_nr} of {forward_name(x.grad_fn.name())} is a view and is being modified inplace. "
            "This view is the output of a function that returns multiple views. Such functions do not allow the "
            "output views to be modified inplace. You should replace the inplace operation by an out-of-place one.")
    if recording and x.grad_fn is None and x._requires_grad:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if x._base is not None and recording and x._base.grad_fn is None and x._base._requires_grad:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    return recording


# Ops whose dtype check comes after torch's check that the promoted dtype can be written into
# ``self`` (``int8_tensor <<= 1.5`` is "result type Float can't be cast...", not "lshift_cpu not
# implemented for 'Float'"); the others compute first, and ``apply_inplace`` checks the result.
_CAST_CHECKED_FIRST = ("bitwise_left_shift", "bitwise_right_shift", "bitwise_and", "bitwise_or", "bitwise_xor")


def _check_cast(dtype, x):
    if dtype.category > x.dtype.category:
        raise RuntimeError(f"result type {dtype.legacy_name} can't be cast to the desired output type {x.dtype.legacy_name}")


def apply_inplace(x, result, cast_ok=False):
    """Write ``result`` (computed out of place) into ``x`` and rebase ``x``'s autograd history.
    Other views of the same base notice the new version and rebase themselves when next used."""
    recording = check_not_a_leaf(x)
    if result._shape != x._shape:
        raise RuntimeError(f"output with shape {list(x.shape)} doesn't match the broadcast shape {list(result.shape)}")
    if not cast_ok:
        _check_cast(result.dtype, x)
    if result.device != x.device:
        result = result.to(x.device)
    base = x._base
    differentiable = recording and result._requires_grad
    if differentiable and base is not None:
        geometry = _relative_geometry(x, base)  # checked before anything is written
        old_base = _alias(base)
    if 0 in x._strides:
        _write_shared_cells(x, result)
    else:
        x._array[...] = result._array
    x._bump_version()
    if differentiable:
        if base is not None:
            new_base = CopySlices.apply(old_base, result, *geometry)
            base._requires_grad, base.grad_fn, base._output_nr = True, new_base.grad_fn, 0
            # x itself is now stale (its version moved on): it will read through the new base
        else:
            x._requires_grad, x.grad_fn, x._output_nr = True, result.grad_fn, result._output_nr
        rebase_saved_output(result, x)  # a saved result is x now: x's later changes must be caught
    return x


def _write_shared_cells(x, result):
    """Write ``result`` into an expanded ``x`` (several elements are one memory cell; only the
    ops in ``_DEPRECATED_OVERLAP`` and ``_UNCHECKED_OVERLAP`` get here). Only the elements the op
    changed are written, as torch's kernels do: ``e = a.expand(2, 3); e[[0]] = v`` must not have
    row 1's old values written back over the cells row 0 just set."""
    xp, old = x._backend.xp, x._array
    new = result._array.astype(old.dtype, copy=False)
    changed = new != old
    if x.dtype.is_floating_point:
        changed &= ~(xp.isnan(new) & xp.isnan(old))  # NaN left as NaN is not a change
    old[changed] = new[changed]


# Ops that write into a tensor whose elements share memory (stride 0 after expand) only warn in
# torch, with the indexing they also apply to; ``fill_``, ``zero_``, ``tril_`` and ``triu_`` do not check.
_DEPRECATED_OVERLAP = {"index_put_": "tensor[indices] = tensor", "masked_fill_": "tensor[mask] = scalar",
                       "index_fill_": "tensor[mask] = scalar"}
_UNCHECKED_OVERLAP = ("fill_", "zero_", "tril_", "triu_")


def check_overlap(x, op_name):
    """torch refuses an in-place write into ``x`` when several of its elements are one memory cell
    (an expanded tensor): the result would depend on the order of the writes."""
    if 0 not in x._strides or 0 in x._shape or op_name in _UNCHECKED_OVERLAP:
        return
    if not any(s == 0 and n > 1 for s, n in zip(x._strides, x._shape)):
        return
    if op_name in _DEPRECATED_OVERLAP:
        warnings.warn(f"Use of {op_name} on expanded tensors is deprecated. Please clone() the tensor before "
                      "performing this operation. This also applies to advanced indexing e.g. "
                      f"{_DEPRECATED_OVERLAP[op_name]}", UserWarning, stacklevel=3)
        return
    raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a single "
                       "memory location. Please clone() the tensor before performing the operation.")


def _memory_range(t):
    """The storage cells ``[first, last]`` a tensor can touch."""
    span = sum((n - 1) * abs(s) for n, s in zip(t._shape, t._strides))
    low = t._offset - sum((n - 1) * -s for n, s in zip(t._shape, t._strides) if s < 0)
    return low, low + span


def check_partial_overlap(out, *inputs):
    """torch refuses ``out.op_(input)`` when ``input`` shares some - not all - of ``out``'s memory
    (``x.t().mul_(x)``, ``x[1:].copy_(x[:-1])``): the result would depend on the order of the
    writes. The same view (``x.add_(x)``) and disjoint parts (``x[0].add_(x[1])``) are fine."""
    for t in inputs:
        if not isinstance(t, Tensor) or t._storage is not out._storage or 0 in t._shape or 0 in out._shape:
            continue
        if (t._shape, t._strides, t._offset) == (out._shape, out._strides, out._offset):
            continue
        (a_low, a_high), (b_low, b_high) = _memory_range(out), _memory_range(t)
        if a_low <= b_high and b_low <= a_high:
            raise RuntimeError("unsupported operation: some elements of the input tensor and the written-to tensor "
                               "refer to a single memory location. Please clone() the tensor before performing the "
                               "operation.")


def _snapshot(t):
    """A copy of ``t``'s values that keeps ``t``'s place in the graph (same grad_fn / leaf edge):
    what an op that is about to overwrite ``t`` computes from, and may save for backward."""
    snap = _alias(t)
    values = t._array.copy()
    snap._set_geometry(values.reshape(-1), t._shape, _strides.contiguous_strides(t._shape), 0)
    snap._version_box = [0]
    return snap


def inplace(fn, cast_ok=False):
    """Make ``x.op_(...)`` from the out-of-place ``op(x, ...)``."""

    name = fn.__name__ + "_"
    write_into = _WRITE_INTO.get(fn.__name__)
    casts_first = fn.__name__ in _CAST_CHECKED_FIRST

    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        if casts_first and args and isinstance(args[0], (Tensor, int, float)):
            _check_cast(_dtypes.result_type(self, args[0]), self)
        check_overlap(self, name)
        check_partial_overlap(self, *args)
        source = self
        if _records(self, *args):
            source = _snapshot(self)  # the op may save its input: keep the old values for it
        elif write_into is not None and not _records(self, *kwargs.values()) and write_into(self, *args, **kwargs):
            return self  # written straight into self's memory: see _WRITE_INTO
        return apply_inplace(self, fn(source, *args, **kwargs), cast_ok)

    method.__name__ = name
    method.__doc__ = f"In-place version of :func:`{fn.__name__}`."
    return method


# ---- the fast path: computing straight into x's memory -------------------------------------------
# Out of place, ``x.add_(y)`` makes a result tensor (the op's checks, node and wrapping), then copies
# it into ``x``. Where nothing records the write (``inplace`` checks that) and the op computes in
# ``x``'s own dtype, its numpy kernel is called with ``out=`` on ``x``'s array - a view of its
# storage, so views and strided targets work: the same ufunc on the same operands, so the same bits,
# with no result array and no copy. (The unary ops' kernels take no ``out=``: their result is
# assigned, which saves the bookkeeping only.) Measured (CPU time, float32, before -> after):
# 1e6 elements: x.add_(y) 730 -> 294 us, x.relu_() 601 -> 213 us, x.zero_() 503 -> 149 us;
# 10 elements: x.add_(y) 5.2 -> 3.0 us, x.relu_() 6.1 -> 2.4 us, x.zero_() 27 -> 3.3 us.
# Each function below returns False, having written nothing, where it cannot promise today's
# result or error: the general path then runs.

def _records(x, *args):
    """Whether an in-place op on ``x`` with these arguments is recorded by autograd."""
    if not grad_mode.is_grad_enabled():
        return False
    if x._requires_grad:
        return True
    for a in args:  # a loop, not any(...): this runs for every in-place op (~0.3 us less)
        if isinstance(a, Tensor) and a._requires_grad:
            return True
    return False


def _write(x, kernel, *arrays):
    """``kernel(*arrays, out=x)``, after the one check of ``apply_inplace`` that can still refuse
    (a view of a leaf that requires grad, written while grad mode is on)."""
    if grad_mode.is_grad_enabled():
        check_not_a_leaf(x)
    kernel(*arrays, out=x._array)
    x._bump_version()
    return True


def _assign(value, out):
    """The kernel of ``copy_`` and ``fill_``: numpy's assignment casts as ``astype`` does."""
    out[...] = value


def _fill(number, out):
    """The kernel of ``fill_(number)``, as numpy's ``full`` writes (``empty``, then this), given the
    number as ``creation.full`` gives it to numpy (ints wrapped: ``uint8`` holds -1 as 255)."""
    np.copyto(out, number, casting="unsafe")


def _fits_into(t, x):
    """Whether tensor ``t`` broadcasts to ``x``'s shape without growing it, on ``x``'s device."""
    if t.device is not x.device or len(t._shape) > len(x._shape):
        return False
    return t._shape == x._shape or all(n == 1 or n == m for n, m in zip(reversed(t._shape), reversed(x._shape)))


def _arithmetic(ufunc, keywords):
    """``x.add_(other, alpha=2)``... on a floating-point ``x`` and a non-bool ``other``, so that no
    integer or bool rule applies: ``ufunc`` is the numpy function the op's forward calls on the
    operands that ``operands`` prepares (``keywords``: the keyword arguments the op takes)."""

    def write_into(x, *args, **kwargs):
        if len(args) != 1 or not kwargs.keys() <= keywords or not x.dtype.is_floating_point:
            return False
        (other,) = args
        alpha = kwargs.get("alpha", 1)
        if type(alpha) not in PYTHON_NUMBERS or kwargs.get("rounding_mode") is not None:
            return False
        if not (type(other) in (int, float) or isinstance(other, Tensor) and other.dtype is not _dtypes.bool_
                and _fits_into(other, x)):  # a bool operand: sub_ refuses it
            return False
        xa, xb, xp, _, dtype = operands(x, other)
        if dtype is not x.dtype:  # computed in a wider type, then cast: the general path
            return False
        return _write(x, getattr(xp, ufunc), xa, xb if alpha == 1 else scaled(xb, alpha, dtype))

    return write_into


def _unary(op):
    """``x.exp_()``... (``op``: a ``pointwise.UnaryOp``) on a floating-point ``x``: the op's kernel
    on ``x``'s array, its result assigned as the general path assigns it (no tensor, no node)."""

    def write_into(x, *args, **kwargs):
        if args or kwargs or not x.dtype.is_floating_point:
            return False
        return _write(x, _assign, opmath(op.compute, x._backend, x._array))  # float16: as the op computes it

    return write_into


def _relu_into(x, *args, **kwargs):
    """``Relu.compute``'s ``maximum(x, 0)`` with ``out=``: no result array at all."""
    if args or kwargs or x.dtype is _dtypes.bool_:  # no kernel for bool: the general path raises
        return False
    return _write(x, x._backend.xp.maximum, x._array, 0)


def _clamp(names):
    """``x.clamp_(min, max)`` (``names``: the bounds the method takes), numbers or tensors that
    fit into ``x``, when the clamp computes in ``x``'s dtype: ``clip``, as the op's forward."""

    def write_into(x, *args, **kwargs):
        if len(args) > len(names) or not kwargs.keys() <= set(names[len(args):]):
            return False
        bounds = dict(zip(names, args), **kwargs)
        if len(names) == 1 and not bounds:  # clamp_min_() without its bound: the general path says so
            return False
        if not all(b is None or type(b) in PYTHON_NUMBERS or isinstance(b, Tensor) and _fits_into(b, x)
                   for b in bounds.values()):
            return False
        dtype, lo, hi = clamp_operands(x, bounds.get("min"), bounds.get("max"))
        return dtype is x.dtype and _write(x, x._backend.xp.clip, x._array, lo, hi)

    return write_into


_WRITE_INTO = {op.__name__.lower(): _unary(op) for op in UNARY}  # exp, tanh, sigmoid...
_WRITE_INTO.update(add=_arithmetic("add", {"alpha"}), sub=_arithmetic("subtract", {"alpha"}),
                   mul=_arithmetic("multiply", set()), div=_arithmetic("true_divide", {"rounding_mode"}),
                   relu=_relu_into, clamp=_clamp(("min", "max")), clamp_min=_clamp(("min",)),
                   clamp_max=_clamp(("max",)))


class Copy(Function):
    """``dst.copy_(src)``: every element of dst is replaced, so only src gets a gradient."""

    backward_name, cpp_name = "CopyBackwards", "torch::autograd::CopyBackwards"

    @staticmethod
    def forward(ctx, dst, src):
        arr = src._array
        if src.device != dst.device:
            from ..backends import backend_for

            arr = backend_for(dst.device).asarray(src._backend.to_numpy(arr), device=dst.device)
        xp = dst._backend.xp
        out = xp.broadcast_to(arr, dst._shape).astype(dst.dtype.np)
        return Tensor._wrap(out, dst.device)

    @staticmethod
    def backward(ctx, grad):
        from .creation import zeros_like

        return zeros_like(grad), grad


def copy_(self, src, non_blocking=False):
    """Copy ``src``'s values (broadcast, cast) into ``self``."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    check_overlap(self, "copy_")
    check_partial_overlap(self, src)
    shape = _strides.broadcast_shapes(self._shape, src._shape)  # torch's error for mismatched sizes
    if shape != self._shape:
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")
    if not _records(self, src) and src.device is self.device and _write(self, _assign, src._array):
        return self  # the fast path (see _WRITE_INTO)
    return apply_inplace(self, Copy.apply(self, src), cast_ok=True)


class Overwrite(Function):
    """``x.fill_(v)``, ``x.zero_()``, ``x.normal_()``...: every element gets a new value that does
    not depend on the old one, so the old values get a zero gradient (the graph stays connected,
    as in torch). ``values``, the new content (``x``'s shape), is a backend array: a constant,
    so the node has one edge, to the old ``x``."""

    @staticmethod
    def forward(ctx, dst, values):
        return Tensor._wrap(dst._backend.xp.asarray(values, dtype=dst.dtype.np), dst.device)

    @staticmethod
    def backward(ctx, grad):
        from .creation import zeros_like

        return zeros_like(grad), None


def overwrite_node(name):
    """The Overwrite op named as torch names it for one in-place fill (``NormalBackward0``...)."""
    return _OVERWRITES.setdefault(name, type(name.removesuffix("Backward0"), (Overwrite,), {"backward_name": name}))


_OVERWRITES = {}


class FillTensor(Function):
    """``x.fill_(t)`` with a 0-d tensor ``t`` copied everywhere: ``t`` gets the summed gradient."""

    backward_name = "FillBackward3"

    @staticmethod
    def forward(ctx, dst, value):
        return Copy.forward(ctx, dst, value)

    @staticmethod
    def backward(ctx, grad):
        from .creation import zeros_like

        return zeros_like(grad), grad.sum()


def fill_(self, value):
    """Set every element to ``value`` (a number or a 0-d tensor)."""
    from .creation import full_like

    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions.")
        check_overlap(self, "copy_")  # unlike a number fill, torch checks a tensor fill (``e[:] = t``, ``e.fill_(t)``)
        if not _records(self, value) and value.device is self.device and _write(self, _assign, value._array):
            return self  # the fast path (see _WRITE_INTO)
        return apply_inplace(self, FillTensor.apply(self, value), cast_ok=True)
    _check_number(self, value)
    _dtypes.check_fits(value, self.dtype)
    number = _dtypes.wrap_int(value, self.dtype) if type(value) is int and not self.dtype.is_floating_point else value
    if not _records(self) and self.device.type == "cpu" and _write(self, _fill, number):
        return self  # the fast path (see _WRITE_INTO)
    node = overwrite_node("ZeroBackward0" if value == 0 and type(value) is int else "FillBackward2")
    return apply_inplace(self, node.apply(self, full_like(self, value)._array), cast_ok=True)


def zero_(self):
    """Set every element to zero."""
    return fill_(self, 0)


def _check_number(target, value):
    if not isinstance(value, (int, float, bool)):
        raise TypeError(f"can't assign a {type_name(value)} to a {target.type()}")


def setitem(self, index, value):
    """``x[index] = value``: basic indices write through a view (a number fills it, a tensor is
    broadcast into it); other indices use ``index_put_``."""
    from .shape import _is_basic, getitem, index_items

    items = index_items(index)
    if not all(_is_basic(i) for i in items):
        from .indexing import index_put_

        index_put_(self, items, value)
        return
    target = getitem(self, items, alias=False)
    if isinstance(value, Tensor):
        if value._shape != target._shape and not value._shape:  # as torch: a 0-d value fills
            fill_(target, value)
            return
        extra = value.dim() - target.dim()
        if extra > 0 and all(n == 1 for n in value._shape[:extra]):  # torch drops leading 1s: x[0] = ones(1, n)
            value = value.reshape(value._shape[extra:])
        copy_(target, value.expand(target.shape) if value._shape != target._shape else value)
    else:
        _check_number(self, value)
        check_overlap(target, "copy_")  # torch writes a number through a view with copy_, which checks
        _dtypes.check_fits(value, self.dtype)
        fill_(target, target.new_tensor(value))  # torch wraps the number in a 0-d tensor (FillBackward3)


# ---- out= : ``torch.add(x, y, out=z)`` writes the result into z ----------------------------------

def with_out(fn):
    """``fn`` with torch's ``out=`` argument: the result is written into ``out`` (resized if its
    shape differs, as torch still does) and ``out`` is returned. Not differentiable, as in torch."""

    @functools.wraps(fn)
    def op(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        if grad_mode.is_grad_enabled() and any(t._requires_grad for t in _tensors_in((args, kwargs, outs))):
            raise RuntimeError(f"{fn.__name__}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        result = fn(*args, **kwargs)
        for target, value in zip(outs, result if isinstance(result, tuple) else (result,)):
            _write_out(target, value)
        return out

    return op


def _tensors_in(value):
    if isinstance(value, Tensor):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _tensors_in(item)
    elif isinstance(value, dict):
        yield from _tensors_in(list(value.values()))


def _write_out(out, result, warn=True):
    """Copy ``result`` into ``out``, resized if its shape differs (with torch's warning when ``warn``
    and ``out`` had elements: creation functions resize silently)."""
    if result.dtype.category > out.dtype.category:
        raise RuntimeError(f"result type {result.dtype.legacy_name} can't be cast to the desired output type "
                           f"{out.dtype.legacy_name}")
    if out._shape != result._shape:
        if warn and out.numel():
            warnings.warn(
                f"An output with one or more elements was resized since it had shape {list(out.shape)}, which does "
                f"not match the required output shape {list(result.shape)}. This behavior is deprecated, and in a "
                "future PyTorch release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).",
                UserWarning, stacklevel=4)
        storage = out._backend.xp.empty(result.numel(), dtype=out.dtype.np)
        out._set_geometry(storage, result._shape, _strides.contiguous_strides(result._shape), 0)
    with grad_mode.no_grad():
        copy_(out, result)
