"""Small helpers shared by the ops: operand preparation, wrapping results, dim handling."""

from __future__ import annotations

import functools

from .. import _dtypes, _strides
from .._tensor import Tensor

PYTHON_NUMBERS = (int, float, bool)  # the types of python numbers an op takes as they are


def wrap(array, device, *inputs):
    """A new tensor owning a backend array that an op computed.

    ``inputs`` (an elementwise op's operands) give the result torch's memory layout: row-major
    when the inputs are, otherwise the layout of the first input that decides it (so ``x.t() + 1``
    is transposed too). numpy picks the same layout in most cases; only the others are fixed.
    """
    t = Tensor._wrap(array, device)
    if len(t._shape) > 1 and not _all_row_major(inputs):
        shape = t._shape
        expected = _strides.elementwise_strides(
            shape, [_broadcast_strides(x, shape) for x in inputs if isinstance(x, Tensor)])
        if t._strides != expected:
            t = _relayout(t, expected)
    return t


def wrap_row_major(array, device):
    """A new row-major tensor from a backend result, whatever numpy's layout: torch's kernels for
    softmax, scans and reductions allocate their output contiguous (numpy's follow the input's
    layout: ``x.t().sum(0)`` would otherwise get strides (1, ...) where torch's are row-major)."""
    return Tensor._wrap(array if array.flags.c_contiguous else array.copy(order="C"), device)


def _all_row_major(inputs):
    for x in inputs:
        if isinstance(x, Tensor) and not x._array.flags.c_contiguous:
            return False
    return True


def _broadcast_strides(t, shape):
    """``t``'s strides when broadcast to ``shape`` (0 where a dim is added or stretched)."""
    extra = len(shape) - len(t._shape)
    return (0,) * extra + tuple(0 if n == 1 and size != 1 else s
                                for n, s, size in zip(t._shape, t._strides, shape[extra:]))


def _relayout(t, strides):
    """``t`` with the given (dense) strides: the same buffer if only size-1 dims differ, else a copy."""
    if all(a == b for a, b, n in zip(t._strides, strides, t._shape) if n != 1):
        t._strides = strides
        return t
    be = t._backend
    storage = be.xp.empty(t.numel(), dtype=t.dtype.np)
    be.strided_view(storage, t._shape, strides, 0)[...] = t._array
    return Tensor._make(storage, t._shape, strides, 0, t.dtype, t.device)


def check_devices(*tensors):
    """torch's error when tensors of one op live on different devices (0-d CPU tensors are fine)."""
    first = None
    for t in tensors:  # the common case first, cheaply: every tensor has the same device object
        if isinstance(t, Tensor):
            first = first or t.device
            if t.device is not first:
                break
    else:
        return
    devices = {t.device for t in tensors if isinstance(t, Tensor) and (t.is_cuda or t._shape)}
    if len(devices) > 1:
        a, b = sorted(devices, key=str, reverse=True)[:2]
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two devices, {a} and {b}!")


def as_operand(x):
    """A tensor or a python number, from what users pass to an op (numpy scalars and arrays
    included); TypeError for anything else."""
    if isinstance(x, Tensor) or type(x) in PYTHON_NUMBERS:
        return x
    if hasattr(x, "dtype") and hasattr(x, "shape"):  # numpy scalar or array (a CPU-only input)
        if x.shape == ():
            return x.item()
        from .creation import from_numpy

        return from_numpy(x)
    raise TypeError(f"expected Tensor or Number as an operand, but got {type(x).__name__}")


def operands(a, b, dtype=None, like=None):
    """Backend arrays of ``a`` and ``b`` cast to the promoted (or given) dtype.

    Python numbers stay python numbers: numpy treats them as "weak", like torch does (an int
    is first wrapped into an integer dtype's range, as C would). ``like`` gives the device when
    both are numbers. Returns ``(xa, xb, xp, device, dtype)``.
    """
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a._shape != b._shape:
            _strides.broadcast_shapes(a._shape, b._shape)  # torch's message, not numpy's
        if a.device is b.device and a.dtype is b.dtype and (dtype is None or dtype is a.dtype):
            return a._array, b._array, a._backend.xp, a.device, a.dtype  # the common case: nothing to convert
        t = a
        if a.device is not b.device and a.device != b.device:
            check_devices(a, b)
            t = a if a.is_cuda else b  # a 0-d CPU tensor used with a cuda tensor
        if dtype is None:
            dtype = a.dtype if a.dtype is b.dtype else _dtypes.result_type(a, b)
    else:
        if not (isinstance(a, Tensor) and type(b) in PYTHON_NUMBERS):  # ``x * 2.0`` needs no conversion
            a, b = as_operand(a), as_operand(b)
        t = a if isinstance(a, Tensor) else b if isinstance(b, Tensor) else like
        dtype = dtype or _dtypes.result_type(a, b)
    return _as(a, dtype, t), _as(b, dtype, t), t._backend.xp, t.device, dtype


def _as(x, dtype, like):
    if isinstance(x, Tensor):
        arr = x._array
        if x.device is not like.device and x.device != like.device:
            arr = like._backend.asarray(x._backend.to_numpy(arr), device=like.device)
        return arr if x.dtype is dtype else arr.astype(dtype.np)
    if type(x) is int and not dtype.is_floating_point and not 0 <= x < 128:
        return _dtypes.wrap_int(x, dtype)
    return x


def float_array(t):
    """``t``'s array, promoted to the default float dtype when it is an integer/bool tensor."""
    arr = t._array
    return arr if t.dtype.is_floating_point else arr.astype(_dtypes.get_default_dtype().np)


def dims_arg(dim, ndim):
    """Normalise ``dim`` (None, an int, or a sequence) to a sorted tuple of non-negative dims."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    return tuple(sorted(_strides.normalize_dim(d, ndim) for d in dim))


def python_scalar(value):
    """A numpy scalar (``np.int64(3)``, ``np.float32(0.5)``) as the python number torch reads it as;
    anything else unchanged."""
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == ():
        return value.item()
    return value


def number_arg(fn, arg, value, position=None):
    """The python number behind torch's ``Number`` argument ``arg`` of ``fn`` (a numpy scalar or a
    0-d tensor counts); torch's TypeError otherwise."""
    value = python_scalar(value)
    if isinstance(value, Tensor) and value.dim() == 0:
        value = value.item()
    if not isinstance(value, (int, float)):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{fn}(): argument '{arg}'{where} must be Number, not {type_name(value)}")
    return value


def size_args(size, fn=None, arg="size"):
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` (and ``torch.Size``); a 0-d integer
    tensor counts as an int. ``fn`` and ``arg`` name the function and argument in torch's TypeError."""
    packed = len(size) == 1 and isinstance(size[0], (tuple, list))
    if len(size) == 1 and type(python_scalar(size[0])) is int:  # f(np.int64(3)) is f(3)
        size = (python_scalar(size[0]),)
    if packed:
        size = size[0]
    out = []
    for i, s in enumerate(size):
        if isinstance(s, Tensor) and s.numel() == 1 and not s.dtype.is_floating_point:
            s = s.item()
        s = python_scalar(s)
        if not isinstance(s, int) or isinstance(s, bool):
            kind = type(s).__name__
            if fn is None:
                raise TypeError(f"size must be a sequence of ints, but got {kind}")
            if len(size) == 1 and not packed:
                raise TypeError(f"{fn}(): argument '{arg}' (position 1) must be tuple of ints, not {kind}")
            raise TypeError(f"{fn}(): argument '{arg}' failed to unpack the object at pos {i + 1} with error "
                            f"\"type must be tuple of ints,but got {kind}\"")
        out.append(s)
    return tuple(out)


def type_name(value):
    """How torch's messages name the type of a value: ``float``, ``list``, ``numpy.float32``."""
    cls = type(value)
    return f"numpy.{cls.__name__}" if cls.__module__ == "numpy" else cls.__name__


def require_tensors(name, input, other, names=("input", "other")):
    """torch's TypeError for ops that take no python numbers (``maximum``, ``dist``, ``prelu``...)."""
    for position, (arg, value) in enumerate(zip(names, (input, other)), start=1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be Tensor, not {type_name(value)}")


# ---- 0-d tensors ---------------------------------------------------------------------------------
# torch's kernels that take a dim see a 0-d tensor as a vector of one element (dims 0 and -1
# are accepted: ``_strides.normalize_dim``); numpy refuses axis 0 of a 0-d array. The two
# helpers below are the one place where that difference is bridged.

def scalar_as_vector(fn):
    """Decorate an op taking ``(input, ...)``: a 0-d input is computed as a 1-element vector and
    every tensor in the result is given back as 0-d (``tensor(2.).flip(0)`` is ``tensor(2.)``)."""

    @functools.wraps(fn)
    def op(input, *args, **kwargs):
        if not isinstance(input, Tensor) or input._shape:
            return fn(input, *args, **kwargs)
        out = fn(input.reshape(1), *args, **kwargs)
        if isinstance(out, tuple):
            return type(out)(*(o.reshape(()) for o in out)) if hasattr(out, "_fields") else tuple(
                o.reshape(()) for o in out)
        return out.reshape(())

    return op


def require_dims(input, fn):
    """Ops that need a dim to work along (``narrow``, ``split``...) refuse 0-d tensors, as in torch."""
    if not input._shape:
        raise RuntimeError(f"{fn} expects at least a 1-dimensional tensor" if fn in ("chunk", "split") else
                           f"{fn}() cannot be applied to a 0-dim tensor." if fn == "narrow" else
                           f"{fn} expects input to be at least one-dimensional")
