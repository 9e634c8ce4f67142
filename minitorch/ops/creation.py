"""Making tensors: from data, filled, ranges, and random (with reproducible generators).

Data from Python is collected on the CPU with numpy and then handed to the device's backend
(``backend.asarray``); everything else is made directly by the device's backend.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np

from .. import _dtypes, _strides
from .._device import as_device
from .._tensor import Tensor
from ..backends import backend_for
from . import inplace
from ._util import number_arg, python_scalar, size_args


def _finish(array, device, requires_grad):
    t = Tensor._wrap(array, device)
    if requires_grad:
        if not t.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def _check_size(size, fn):
    """``size`` as a tuple of ints (``f(2, 3)`` or ``f((2, 3))``); torch's errors otherwise."""
    size = size_args(size, fn)
    for s in size:
        if s < 0 and fn == "zeros":
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return size


# ---- from data ---------------------------------------------------------------------------------

def _ragged_error(data, depth=0):
    """torch's message for nested lists that are not rectangular (found by walking the lists:
    this only runs once numpy has refused the data)."""
    nested = [isinstance(d, (list, tuple)) for d in data]
    if any(nested) and not all(nested):
        if nested[0]:
            return TypeError("not a sequence")
        return TypeError(f"'{type(data[nested.index(True)]).__name__}' object cannot be interpreted as an integer")
    first = len(data[0]) if data and isinstance(data[0], (list, tuple)) else None
    for d in data:
        if isinstance(d, (list, tuple)) and len(d) != first:
            return ValueError(f"expected sequence of length {first} at dim {depth + 1} (got {len(d)})")
    return _ragged_error([x for d in data for x in d], depth + 1)


def _host_data(data):
    """Python data (possibly holding tensors or numpy values) as a numpy array on the CPU."""
    if isinstance(data, Tensor):
        return data.detach().cpu().numpy()
    if isinstance(data, (list, tuple)) and any(isinstance(d, Tensor) for d in data):
        # a one-element tensor inside a list counts as its number, as in torch
        parts = [d.item() if isinstance(d, Tensor) and d.numel() == 1 else _host_data(d) for d in data]
        return np.stack(parts) if parts else np.asarray(parts)
    try:
        return np.asarray(data)
    except ValueError:
        raise _ragged_error(data) from None


def _infer_dtype(data, array):
    """torch's rules: python floats -> default dtype, ints -> int64; numpy keeps its dtype."""
    if isinstance(data, (np.ndarray, np.generic, Tensor)):
        return _dtypes.from_numpy_dtype(array.dtype)
    kind = array.dtype.kind
    if kind == "f" or (kind in "iu" and array.size == 0):
        return _dtypes.get_default_dtype()
    if kind in "iu":
        if array.dtype == np.uint64:  # ints beyond int64
            raise ValueError("Overflow when unpacking long long")
        return _dtypes.int64
    if kind == "b":
        return _dtypes.bool_
    if kind in "US":
        bad = data if isinstance(data, str) else next(v for v in array.reshape(-1).tolist() if isinstance(v, str))
        raise TypeError(f"new(): invalid data type '{type(bad).__name__}'")
    if kind == "O" and all(isinstance(v, int) for v in array.reshape(-1).tolist()):
        raise ValueError("Overflow when unpacking long long")
    bad = next((v for v in array.reshape(-1).tolist() if not isinstance(v, (int, float, bool))), data)
    raise RuntimeError(f"Could not infer dtype of {type(bad).__name__}")


def _check_python_values(array, dtype):
    """Numbers from Python must fit the requested dtype (numpy data is cast without a check)."""
    if array.size == 0 or dtype is _dtypes.bool_ or array.dtype.kind not in "iuf":
        return
    for value in (array.min().item(), array.max().item()):
        _dtypes.check_fits(value, dtype, name=dtype.name)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, numbers, numpy arrays).

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2, 3], [4, 5, 6]])
    tensor([[1, 2, 3],
            [4, 5, 6]])
    """
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
            "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning, stacklevel=2)
    array = _host_data(data)
    inferred = _infer_dtype(data, array)
    dtype = _dtypes.dtype_arg(dtype, "tensor") or inferred
    if not isinstance(data, (np.ndarray, np.generic, Tensor)) and not dtype.is_floating_point:
        _check_python_values(array, dtype)
    device = as_device(device if device is not None else (data.device if isinstance(data, Tensor) else None))
    array = backend_for(device).asarray(np.array(array, dtype=dtype.np, copy=True), device=device)
    return _finish(array, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a numpy array or tensor when dtype/device allow."""
    dtype = _dtypes.dtype_arg(dtype, "as_tensor")
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data.device, dtype=dtype or data.dtype)
    if (isinstance(data, np.ndarray) and as_device(device).type == "cpu"
            and (dtype is None or dtype.np == data.dtype)):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    """A CPU tensor sharing memory with ``array``: writes to one are seen in the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtype = _dtypes.from_numpy_dtype(array.dtype)
    if any(s < 0 for s in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative strides are not currently supported. (You can probably work around this by making a copy of your array  with array.copy().) ")
    itemsize = array.itemsize
    if array.size == 0:
        return Tensor._wrap(array.copy(), as_device("cpu"))
    # storage: the smallest 1-D window of the buffer that covers every element
    span = sum((n - 1) * s for n, s in zip(array.shape, array.strides)) // itemsize + 1
    storage = np.lib.stride_tricks.as_strided(array, shape=(span,), strides=(itemsize,))
    return Tensor._make(storage, array.shape, tuple(s // itemsize for s in array.strides), 0, dtype, as_device("cpu"))


# ---- filled --------------------------------------------------------------------------------------

def _filled(size, fill, dtype, device, requires_grad, fn):
    size = _check_size(size, fn)
    device = as_device(device)
    dtype = _dtypes.dtype_arg(dtype, fn) or _dtypes.get_default_dtype()
    xp = backend_for(device).xp
    if type(fill) is int and not dtype.is_floating_point:
        fill = _dtypes.wrap_int(fill, dtype)  # full(..., -1, dtype=uint8) holds 255, as in C
    array = xp.empty(size, dtype=dtype.np) if fill is None else xp.full(size, fill, dtype=dtype.np)
    return _finish(array, device, requires_grad)


def _size_keyword(fn):
    """torch's creation functions take the size as varargs (``zeros(2, 3)``), one sequence
    (``zeros((2, 3))``) or a keyword (``zeros(size=(2, 3))``): the keyword becomes the sequence."""

    @functools.wraps(fn)
    def create(*sizes, size=None, **kwargs):
        if size is not None:
            if sizes:
                raise TypeError(f"{fn.__name__}() received an invalid combination of arguments - got the size both "
                                "as positional arguments and as size=")
            sizes = (size,)
        return fn(*sizes, **kwargs)

    return create


def _takes_out(fn, warns_on_resize=False):
    """torch's ``out=`` for a creation function: ``torch.zeros(2, 3, out=t)`` fills ``t`` (resized to
    the result's shape, with torch's warning for ``arange``) and returns it. ``out`` gives the dtype
    and the device, so a ``dtype`` or ``device`` given as well must agree with it;
    ``requires_grad=True`` marks ``out``."""

    @functools.wraps(fn)
    def create(*args, out=None, dtype=None, device=None, requires_grad=False, **kwargs):
        if out is None:
            return fn(*args, dtype=dtype, device=device, requires_grad=requires_grad, **kwargs)
        name = fn.__name__
        if out.requires_grad:
            raise RuntimeError(f"aten::{name}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        if dtype is not None and _dtypes.dtype_arg(dtype, name) is not out.dtype:
            raise RuntimeError(f"dtype {_dtypes.dtype_arg(dtype, name).legacy_name} does not match dtype of out "
                               f"parameter ({out.dtype.legacy_name})")
        if device is not None and as_device(device).type != out.device.type:
            raise RuntimeError(f"device type {as_device(device).type} does not match device type of out parameter "
                               f"({out.device.type})")
        result = fn(*args, dtype=out.dtype, device=out.device, **kwargs)
        if warns_on_resize and out.numel() and out.numel() != result.numel():
            n = result.numel()
            warnings.warn(f"The number of elements in the out tensor of shape {list(out.shape)} is {out.numel()} "
                          f"which does not match the computed number of elements {n}. Note that this may occur as "
                          f"a result of rounding error. The out tensor will be resized to a tensor of shape ({n},).",
                          UserWarning, stacklevel=2)
        inplace._write_out(out, result, warn=False)
        return out.requires_grad_() if requires_grad else out

    return create


@_size_keyword
@_takes_out
def zeros(*size, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _filled(size, 0, dtype, device, requires_grad, "zeros")


@_size_keyword
@_takes_out
def ones(*size, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor of ones."""
    return _filled(size, 1, dtype, device, requires_grad, "ones")


@_size_keyword
@_takes_out
def empty(*size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, memory_format=None):
    """An uninitialised tensor (whatever bytes the allocator returns)."""
    return _filled(size, None, dtype, device, requires_grad, "empty")


@_takes_out
def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None):
    """A tensor filled with ``fill_value`` (its dtype is inferred from the value, as in torch)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dtype = _dtypes.dtype_arg(dtype, "full") or _dtypes.scalar_dtype(fill_value)
    _dtypes.check_fits(fill_value, dtype)
    return _filled((tuple(size),), fill_value, dtype, device, requires_grad, "full")


@_takes_out
def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, layout=None):
    """An ``n x m`` matrix with ones on the main diagonal."""
    for name, value in (("n", n), ("m", m)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise TypeError(f"eye(): argument '{name}' (position {1 if name == 'n' else 2}) must be int, "
                            f"not {type(value).__name__}")
        if value is not None and value < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    device = as_device(device)
    dtype = _dtypes.dtype_arg(dtype, "eye") or _dtypes.get_default_dtype()
    return _finish(backend_for(device).xp.eye(n, n if m is None else m, dtype=dtype.np), device, requires_grad)


# ---- ranges ----------------------------------------------------------------------------------------

@functools.partial(_takes_out, warns_on_resize=True)
def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False, layout=None):
    """Values from ``start`` to ``end`` (excluded) every ``step``; int64 for ints, else float.

    >>> import minitorch as torch
    >>> torch.arange(0, 10, 2)
    tensor([0, 2, 4, 6, 8])

    Like torch, the values are ``start + i * step`` in double precision (for float results), so
    ``arange(0, 1, 0.1)`` does not accumulate rounding errors; for integer results start, end and
    step are first truncated to integers.
    """
    if end is None:
        start, end = 0, start
    start, end, step = (number_arg("arange", name, v) for name, v in (("start", start), ("end", end), ("step", step)))
    if dtype is None:
        ints = all(isinstance(v, int) for v in (start, end, step))
        dtype = _dtypes.int64 if ints else _dtypes.get_default_dtype()
    dtype = _dtypes.dtype_arg(dtype, "arange")
    if dtype is _dtypes.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = max(0, math.ceil((end - start) / step))
    if not dtype.is_floating_point:  # torch truncates the arguments to integers (int64 counts with them too)
        start, end, step = int(start), int(end), int(step)
        if dtype is _dtypes.int64:
            if step == 0:
                raise ValueError("step must be nonzero")
            n = max(0, -(-(end - start) // step))
    device = as_device(device)
    xp = backend_for(device).xp
    array = start + xp.arange(n, dtype=np.float64 if dtype.is_floating_point else np.int64) * step
    return _finish(array.astype(dtype.np), device, requires_grad)


def _halves(xp, start, end, steps, work):
    """torch's evenly spaced points: the first half counts up from ``start``, the second half down
    from ``end`` (so both ends are exact), in the float type ``work``."""
    start, end = work(start), work(end)
    if steps == 1:
        return xp.full(1, start, dtype=work)
    step = (end - start) / work(max(steps - 1, 1))
    i = xp.arange(steps)
    up = start + step * i.astype(work)
    down = end - step * (steps - 1 - i).astype(work)
    return xp.where(i < steps // 2, up, down)


def _cast_end(value, dtype):
    """An end point as torch first converts it to the result dtype (truncated for integers)."""
    return int(value) if not dtype.is_floating_point else float(dtype.np.type(value))


def _steps_arg(steps, fn):
    steps = python_scalar(steps)
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise TypeError(f"{fn}(): argument 'steps' (position 3) must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return steps


@_takes_out
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, layout=None):
    """``steps`` evenly spaced values from ``start`` to ``end`` (both included)."""
    steps = _steps_arg(steps, "linspace")
    start, end = number_arg("linspace", "start", start), number_arg("linspace", "end", end)
    device = as_device(device)
    dtype = _dtypes.dtype_arg(dtype, "linspace") or _dtypes.get_default_dtype()
    # computed in the result's float type (float64 for integer results), like torch
    work = dtype.np.type if dtype.is_floating_point else np.float64
    array = _halves(backend_for(device).xp, _cast_end(start, dtype), _cast_end(end, dtype), steps, work)
    return _finish(array.astype(dtype.np), device, requires_grad)


@_takes_out
def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False, layout=None):
    """``steps`` values from ``base**start`` to ``base**end``, evenly spaced on a log scale."""
    steps = _steps_arg(steps, "logspace")
    start, end = number_arg("logspace", "start", start), number_arg("logspace", "end", end)
    device = as_device(device)
    dtype = _dtypes.dtype_arg(dtype, "logspace") or _dtypes.get_default_dtype()
    xp = backend_for(device).xp
    # exponents and powers in float64 from end points converted to the result dtype, like torch
    exponents = _halves(xp, _cast_end(start, dtype), _cast_end(end, dtype), steps, np.float64)
    return _finish(xp.power(float(base), exponents).astype(dtype.np), device, requires_grad)


# ---- *_like and new_* ----------------------------------------------------------------------------

def _laid_out_like(flat, input, memory_format=None):
    """The 1-D tensor ``flat`` reshaped to ``input``'s shape with ``input``'s memory layout
    (torch's ``preserve_format``: a dense input's strides are kept, values fill memory in order)."""
    shape = input._shape
    if memory_format is None or memory_format is preserve_format:
        strides = _strides.like_strides(shape, input._strides)
    else:
        strides = _strides.contiguous_strides(shape)
    return Tensor._make(flat._storage, shape, strides, 0, flat.dtype, flat.device)


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
    """Zeros with the shape (and layout), dtype and device of ``input``."""
    return _like_impl(input, 0, dtype, device, requires_grad, memory_format, "zeros_like")


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
    """Ones with the shape (and layout), dtype and device of ``input``."""
    return _like_impl(input, 1, dtype, device, requires_grad, memory_format, "ones_like")


def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
    """An uninitialised tensor with the shape (and layout), dtype and device of ``input``."""
    return _like_impl(input, None, dtype, device, requires_grad, memory_format, "empty_like")


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
    """``fill_value`` everywhere, with the shape (and layout), dtype and device of ``input``."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dtype = _dtypes.dtype_arg(dtype, "full_like") or input.dtype
    _dtypes.check_fits(fill_value, dtype)
    return _like_impl(input, fill_value, dtype, device, requires_grad, memory_format, "full_like")


def _like_impl(input, fill, dtype, device, requires_grad, memory_format, fn):
    dtype = _dtypes.dtype_arg(dtype, fn) or input.dtype
    device = as_device(device) if device is not None else input.device
    flat = _filled((input.numel(),), fill, dtype, device, False, fn)
    return _finish_like(_laid_out_like(flat, input, memory_format), requires_grad)


def _finish_like(t, requires_grad):
    if requires_grad:
        if not t.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


class _MemoryFormat:
    """``torch.preserve_format`` / ``torch.contiguous_format``: the layout a copy should get."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch.{self.name}"


preserve_format, contiguous_format = _MemoryFormat("preserve_format"), _MemoryFormat("contiguous_format")


def _new(fn):
    def new(self, *size, dtype=None, device=None, requires_grad=False, layout=None):
        return fn(*size, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)

    new.__name__ = "new_" + fn.__name__
    new.__doc__ = f"``{fn.__name__}`` with this tensor's dtype and device by default."
    return new


new_zeros, new_ones, new_empty = _new(zeros), _new(ones), _new(empty)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None):
    return full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


# ---- random numbers --------------------------------------------------------------------------

_DEFAULT_SEED = 67280421310721  # torch's default CPU seed


class Generator:
    """A reproducible random stream for one device: same seed, same numbers. On the CPU these
    are PyTorch's own numbers (see ``backends.cpu.TorchGenerator``).

    >>> import minitorch as torch
    >>> g = torch.Generator().manual_seed(0)
    >>> torch.rand(2, generator=g)
    tensor([0.4963, 0.7682])
    """

    def __init__(self, device="cpu"):
        self.device = as_device(device)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        self._seed = int(seed) % 2 ** 64  # torch accepts negative seeds and wraps them
        self._rng = backend_for(self.device).new_generator(self._seed)
        return self

    def seed(self):
        """Re-seed from the operating system's entropy; returns the new seed."""
        return self.manual_seed(int.from_bytes(np.random.SeedSequence().generate_state(2, np.uint32).tobytes(), "little")).initial_seed()

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The stream's position as a uint8 tensor (pass it to ``set_state`` to replay).

        >>> import minitorch as torch
        >>> g = torch.Generator().manual_seed(0)
        >>> state = g.get_state()
        >>> torch.rand(1, generator=g).item() == torch.rand(1, generator=g.set_state(state)).item()
        True
        """
        mt, normal = self._rng.get_state()
        record = np.zeros((), _STATE)
        record["seed"], record["pos"], record["key"] = self._seed, mt["state"]["pos"], mt["state"]["key"]
        record["has_normal"], record["normal"] = normal is not None, normal or 0.0
        return Tensor._wrap(np.frombuffer(record.tobytes(), np.uint8).copy(), as_device("cpu"))

    def set_state(self, new_state):
        """Go back to a position ``get_state`` returned. The bytes are read as numbers, never
        unpickled: a state loaded from a file cannot run code."""
        if not isinstance(new_state, Tensor) or new_state.dtype != _dtypes.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state.numel() != _STATE.itemsize:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE.itemsize} but found the input "
                               f"RNG state size to be {new_state.numel()}")
        record = np.frombuffer(np.ascontiguousarray(new_state.numpy()).tobytes(), _STATE)[0]
        if record["pos"] > 624 or record["has_normal"] > 1:
            raise RuntimeError("Invalid mt19937 state: not a state that get_state() returned")
        self._seed = int(record["seed"])
        self._rng.set_state(({"bit_generator": "MT19937", "state": {"key": record["key"].copy(), "pos": int(record["pos"])}},
                             float(record["normal"]) if record["has_normal"] else None))
        return self


# A generator state's bytes: the seed, the Mersenne Twister's position and its 624 words, then the
# normal that a small randn keeps for the next call (a flag and the value), little-endian. A fixed
# layout read back with numpy - not pickle, which could run code hidden in a file. (torch's layout
# differs: a state from torch is refused by its size.)
_STATE = np.dtype([("seed", "<u8"), ("pos", "<u4"), ("key", "<u4", 624), ("has_normal", "u1"), ("normal", "<f8")])


default_generator = Generator()
_device_generators = {}


def _generator(generator, device):
    if generator is not None:
        return generator._rng
    if device.type == "cpu":
        return default_generator._rng
    if device not in _device_generators:  # created on first use: seeded like the CPU's (manual_seed came first)
        _device_generators[device] = Generator(device).manual_seed(default_generator.initial_seed())
    return _device_generators[device]._rng


def manual_seed(seed):
    """Seed every device's default generator: the same seed gives the same numbers again."""
    default_generator.manual_seed(seed)
    for gen in _device_generators.values():
        gen.manual_seed(seed)
    return default_generator


def seed():
    """Seed the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    """The default CPU generator's state (a uint8 tensor)."""
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


def _float_dtype(dtype, kernel, fn):
    dtype = _dtypes.dtype_arg(dtype, fn) or _dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtype.legacy_name}'")
    return dtype


def _uniform_array(shape, generator, dtype, device):
    return _generator(generator, device).random(shape, dtype=dtype.np)


def _normal_array(shape, generator, dtype, device, mean=0.0, std=1.0):
    rng = _generator(generator, device)
    if device.type == "cpu":  # torch's CPU kernel applies mean and std inside (same rounding as torch)
        return rng.standard_normal(shape, dtype=dtype.np, mean=mean, std=std)
    return rng.standard_normal(shape, dtype=dtype.np) * std + mean


@_size_keyword
@_takes_out
def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, layout=None):
    """Uniform random numbers in ``[0, 1)``."""
    size, device = _check_size(size, "rand"), as_device(device)
    dtype = _float_dtype(dtype, "check_uniform_bounds", "rand")
    return _finish(_uniform_array(size, generator, dtype, device), device, requires_grad)


@_size_keyword
@_takes_out
def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, layout=None):
    """Standard normal random numbers (mean 0, std 1)."""
    size, device = _check_size(size, "randn"), as_device(device)
    dtype = _float_dtype(dtype, "normal_kernel_cpu", "randn")
    return _finish(_normal_array(size, generator, dtype, device), device, requires_grad)


# C++ type names in torch's randint bounds messages
_RANDINT_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int",
                  "int64": "long", "float16": "c10::Half", "float32": "float", "float64": "double"}


def _check_randint_bounds(low, high, dtype):
    """torch's checks of ``[low, high)`` for ``randint`` / ``random_`` in ``dtype``; returns the
    bounds, which torch moves for floats when ``low + 1`` or ``high - 1`` rounds past them."""
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    name = _RANDINT_NAMES[dtype.name]
    if dtype.is_floating_point:  # any finite value is allowed; beyond 2**digits, torch only warns
        lo, hi = -int(np.finfo(dtype.np).max), int(np.finfo(dtype.np).max)
    elif dtype is _dtypes.bool_:
        lo, hi = 0, 1
    else:
        info = np.iinfo(dtype.np)
        lo, hi = int(info.min), int(info.max)
    if not lo <= low <= hi:
        raise RuntimeError(f"from is out of bounds for {name}")
    if not lo <= high - 1 <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")
    if dtype.is_floating_point:
        low, high = _float_from(low, dtype), _float_to(high, dtype)
        if low >= high:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                               f"but got from={low} >= to={high}")
        digits = np.finfo(dtype.np).nmant + 1
        for what, value in (("from", low), ("to - 1", high - 1)):
            if abs(value) > 2 ** digits:
                warnings.warn(f"{what} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
                              f"{name} can support discrete uniform distribution only within this range. This "
                              "warning will become an error in version 1.7 release, please fix the code in advance")
    return low, high


def _float_from(low, dtype):
    """torch's ``update_from``: where ``low + 1`` rounds below ``low`` in the float dtype, ``low``
    becomes that rounded value plus one spacing of the floats there."""
    above = int(dtype.np.type(low + 1))
    return above + 2 ** (abs(low + 1).bit_length() - np.finfo(dtype.np).nmant - 1) if above < low else low


def _float_to(high, dtype):
    """torch's ``update_to``: where ``high - 1`` rounds up to ``high`` or more, ``high`` becomes that
    rounded value minus one spacing of the floats there."""
    below = int(dtype.np.type(high - 1))
    return below - 2 ** (abs(high - 1).bit_length() - np.finfo(dtype.np).nmant - 1) if below >= high else high


@_takes_out
def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False, layout=None):
    """Random integers in ``[low, high)``: ``randint(10, (3,))`` or ``randint(2, 4, (3, 5))``."""
    if size is None:
        low, high, size = 0, low, high
    low, high = python_scalar(low), python_scalar(high)
    for name, value in (("low", low), ("high", high)):
        if not isinstance(value, int):
            raise TypeError(f"randint(): argument '{name}' must be int, not {type(value).__name__}")
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not {type(size).__name__}")
    size, device = _check_size((tuple(size),), "randint"), as_device(device)
    dtype = _dtypes.dtype_arg(dtype, "randint") or _dtypes.int64
    low, high = _check_randint_bounds(low, high, dtype)
    array = _generator(generator, device).integers(low, high, size=size)
    return _finish(array.astype(dtype.np), device, requires_grad)


@_takes_out
def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A random permutation of ``0..n-1``."""
    _check_size((n,), "randperm")
    device = as_device(device)
    dtype = _dtypes.dtype_arg(dtype, "randperm") or _dtypes.int64
    return _finish(_generator(generator, device).permutation(n).astype(dtype.np), device, requires_grad)


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
    """Uniform random numbers like ``input`` (filled in ``input``'s memory order, as torch does)."""
    dtype = _float_dtype(dtype or input.dtype, "check_uniform_bounds", "rand_like")
    flat = rand(input.numel(), dtype=dtype, device=device or input.device)
    return _finish_like(_laid_out_like(flat, input, memory_format), requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
    """Standard normal numbers like ``input`` (filled in ``input``'s memory order)."""
    dtype = _float_dtype(dtype or input.dtype, "normal_kernel_cpu", "randn_like")
    flat = randn(input.numel(), dtype=dtype, device=device or input.device)
    return _finish_like(_laid_out_like(flat, input, memory_format), requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False, memory_format=None,
                 layout=None):
    """Random integers in ``[low, high)`` like ``input`` (``randint_like(x, 10)`` means high=10)."""
    if high is None:
        low, high = 0, low
    flat = randint(low, high, (input.numel(),), dtype=dtype or input.dtype, device=device or input.device)
    return _finish_like(_laid_out_like(flat, input, memory_format), requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False, layout=None):
    """Normal samples with the given mean and std (numbers, or tensors that broadcast)."""
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if isinstance(std, Tensor):
        if bool((std < 0).any()):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    if tensors:
        like = tensors[0]
        shape = _strides.broadcast_shapes(*(t._shape for t in tensors))
        noise = randn(shape, generator=generator, dtype=like.dtype, device=like.device)
        return (noise * std + mean).detach()
    if size is None:
        raise TypeError("normal(): a size is needed when mean and std are numbers: normal(mean, std, size)")
    size, device = _check_size((size,), "normal"), as_device(device)
    dtype = _float_dtype(dtype, "normal_kernel_cpu", "normal")
    return _finish(_normal_array(size, generator, dtype, device, mean, std), device, requires_grad)


def bernoulli(input, p=None, *, generator=None):
    """1 with probability ``input`` (or ``p``) elementwise, else 0."""
    probs = input if p is None else p if isinstance(p, Tensor) else full_like(input, p)
    return (rand(input.shape, generator=generator, dtype=input.dtype, device=input.device) < probs).to(input.dtype)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Indices drawn with the (unnormalised) probabilities in each row of ``input``.

    Without replacement (or for one sample) this is torch's algorithm, so the same seed gives the
    same draws: divide the probabilities by exponential noise and take the largest (the
    exponential form of the Gumbel-max trick). With replacement: inverse CDF of uniforms."""
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {input.dtype.legacy_name}")
    n = input.shape[-1]
    if not replacement and num_samples > n:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if not replacement or num_samples == 1:
        noise = _exponential_array(input.shape, 1.0, generator, input.dtype, input.device)
        scores = input.detach() / Tensor._wrap(noise, input.device)
        if num_samples == 1:
            return scores.argmax(-1, keepdim=True)
        return scores.topk(num_samples).indices
    rng = _generator(generator, input.device)
    probs = input.detach().cpu().double().numpy()
    rows = probs.reshape(-1, probs.shape[-1])
    rows = rows / rows.sum(axis=1, keepdims=True)
    cdf = rows.cumsum(axis=1)
    u = input._backend.to_numpy(rng.random((rows.shape[0], num_samples)))
    picks = np.minimum((u[:, :, None] > cdf[:, None, :]).sum(-1), rows.shape[1] - 1)
    return tensor(picks.reshape(probs.shape[:-1] + (num_samples,)), dtype=_dtypes.int64, device=input.device)


# ---- in-place random fills (used by nn.init) -------------------------------------------------
# Values are drawn in ``self``'s memory order, as torch's kernels walk memory.

def _fill_random(self, node_name, draw, fill=None):
    """Write ``draw()``'s values (in ``self``'s memory order) into ``self``; ``node_name`` is torch's
    grad_fn name. Everything that can refuse is checked before drawing: as in torch, a fill that
    fails consumes no random numbers.

    ``fill(out)``, where given, fills a 1-D CPU array in place with the same values. Speed path
    (nn.init's weights: ``vgg16()`` 12 s -> 3 s): a contiguous CPU tensor whose write no graph
    records is filled straight in its memory - no full-size array of values, no copy in memory
    order, no copy in."""
    from ..autograd import grad_mode
    from .inplace import apply_inplace, check_not_a_leaf, check_overlap, overwrite_node

    check_overlap(self, node_name)
    check_not_a_leaf(self)
    if (fill is not None and self.device.type == "cpu" and self.is_contiguous()
            and not (self.requires_grad and grad_mode.is_grad_enabled())):
        fill(self._array.reshape(-1))
        self._bump_version()
        return self
    flat = draw()
    return apply_inplace(self, overwrite_node(node_name).apply(self, _laid_out_like(flat, self)._array), cast_ok=True)


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill with uniform samples from ``[a, b)`` (computed as ``a + u * (b - a)``, like torch)."""
    dtype = _float_dtype(self.dtype, "check_uniform_bounds", "uniform_")

    def draw():
        u = _uniform_array((self.numel(),), generator, dtype, self.device)
        return Tensor._wrap((u.astype(np.float64) * (b - a) + a).astype(dtype.np), self.device)

    def fill(out):
        _generator(generator, self.device).fill_uniform(out, a, b)

    return _fill_random(self, "UniformBackward0", draw, fill)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with normal samples."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    dtype = _float_dtype(self.dtype, "normal_kernel_cpu", "normal_")
    return _fill_random(self, "NormalBackward0", lambda: Tensor._wrap(
        _normal_array((self.numel(),), generator, dtype, self.device, mean, std), self.device),
        lambda out: _generator(generator, self.device).fill_normal(out, mean, std))


def _exponential_array(shape, lambd, generator, dtype, device):
    """torch's CPU kernel: ``-log(1 - u) / lambd`` from double-precision uniforms, then rounded."""
    xp = backend_for(device).xp
    u = _generator(generator, device).random(shape, dtype=np.float64)
    return (-xp.log1p(-u) / lambd).astype(dtype.np)


def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with samples of the exponential distribution of rate ``lambd``."""
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    dtype = _float_dtype(self.dtype, "exponential_cpu", "exponential_")
    return _fill_random(self, "ExponentialBackward0", lambda: Tensor._wrap(
        _exponential_array((self.numel(),), lambd, generator, dtype, self.device), self.device))


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 1 (probability ``p``, a number or a tensor) or 0."""
    probs = self if self.dtype.is_floating_point else self.double()  # integer tensors get 0/1 too
    return _fill_random(self, "BernoulliBackward1" if isinstance(p, Tensor) else "BernoulliBackward2",
                        lambda: bernoulli(probs, p, generator=generator).reshape(-1))


_OMITTED = object()  # random_(5) means to=5, random_(5, None) means from=5 up to the dtype's top


def random_(self, low=None, to=_OMITTED, *, generator=None):
    """Fill with random integers: ``random_(to)`` from ``[0, to)``, ``random_(from, to)`` from
    ``[from, to)``, ``random_()`` from 0 up to the dtype's top, ``random_(from, None)`` from
    ``from`` up to it, the top included: the largest integer (int64: ``2**63 - 1``, uint8: 255),
    or for floats the last integer of an unbroken run they hold exactly (float32: ``2**24``).

    >>> import minitorch as torch
    >>> _ = torch.manual_seed(0)
    >>> torch.empty(3).random_(10)
    tensor([4., 9., 3.])
    """
    if self.dtype.is_floating_point:
        top = 2 ** (np.finfo(self.dtype.np).nmant + 1)
    else:
        top = 1 if self.dtype == _dtypes.bool_ else int(np.iinfo(self.dtype.np).max)
    wide = None  # the generator's rule for randint's ranges...
    if to is _OMITTED and low is None:  # ...but random_() takes 64-bit words for int64 and float64 only
        to, wide = top + 1, self.dtype in (_dtypes.int64, _dtypes.float64)
    elif to is _OMITTED:  # random_(to)
        low, to = 0, low
    elif to is None and low == -2 ** 63:  # every int64 (for floats: rounded), straight from 64-bit words
        if self.dtype not in (_dtypes.int64, _dtypes.float32, _dtypes.float64):
            raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16")
        to = 2 ** 63
    elif to is None:  # random_(from, None)
        low = _float_from(low, self.dtype) if self.dtype.is_floating_point else low
        if self.dtype.is_floating_point and low >= top:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                               f"casted to dtype, but got from={low} > to_inc={top}")
        to = top + 1
    low = 0 if low is None else low  # random_(to=5)
    if to - low < 2 ** 64:  # (the whole int64 range needs no check)
        low, to = _check_randint_bounds(low, to, self.dtype)
    return _fill_random(self, "RandomBackward0", lambda: Tensor._wrap(
        _generator(generator, self.device).integers(low, to, (self.numel(),), wide=wide).astype(self.dtype.np),
        self.device))


__all__ = """tensor as_tensor from_numpy zeros ones empty full eye arange linspace logspace zeros_like ones_like
    empty_like full_like rand randn randint randperm rand_like randn_like randint_like normal bernoulli
    multinomial Generator default_generator manual_seed seed initial_seed get_rng_state set_rng_state
    preserve_format contiguous_format""".split()
METHODS = """new_zeros new_ones new_empty new_full new_tensor uniform_ normal_ bernoulli_ random_ bernoulli
    exponential_ multinomial""".split()
