"""Making tensors: from data, filled, ranges, and random (with reproducible generators)."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._device import as_device
from .._tensor import Tensor
from ..backends import backend_for
from ._util import size_args


def _finish(array, device, requires_grad):
    t = Tensor._wrap(array, device)
    if requires_grad:
        t.requires_grad = True
    return t


def _host_data(data):
    """Python data (possibly holding tensors or numpy scalars) as a numpy array."""
    if isinstance(data, Tensor):
        return data.detach().cpu().numpy()
    if isinstance(data, (list, tuple)) and any(isinstance(d, (Tensor, list, tuple)) for d in data):
        parts = [_host_data(d) for d in data]
        return np.stack(parts) if parts else np.asarray(parts)
    return np.asarray(data)


def _infer_dtype(data, array):
    """torch's rules: python floats -> default dtype, ints -> int64; numpy keeps its dtype."""
    if isinstance(data, np.ndarray) or isinstance(data, np.generic):
        return _dtypes.from_numpy_dtype(array.dtype)
    if isinstance(data, Tensor):
        return data.dtype
    if array.dtype.kind == "f":
        return _dtypes.get_default_dtype()
    if array.dtype.kind in "iu":
        return _dtypes.int64
    if array.dtype.kind == "b":
        return _dtypes.bool_
    if array.size == 0:
        return _dtypes.get_default_dtype()
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, numbers, numpy arrays).

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2, 3], [4, 5, 6]])
    tensor([[1, 2, 3],
            [4, 5, 6]])
    """
    array = _host_data(data)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _infer_dtype(data, array)
    device = as_device(device if device is not None else (data.device if isinstance(data, Tensor) else None))
    array = backend_for(device).asarray(np.array(array, dtype=dtype.np, copy=True), device=device)
    return _finish(array, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a numpy array or tensor when dtype/device allow."""
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data.device, dtype=dtype or data.dtype)
    if isinstance(data, np.ndarray) and device is None and (dtype is None or _dtypes.to_dtype(dtype).np == data.dtype):
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
    t = Tensor._make(storage, array.shape, tuple(s // itemsize for s in array.strides), 0, dtype, as_device("cpu"))
    return t


def _filled(size, fill, dtype, device, requires_grad):
    size = size_args(size)
    device = as_device(device)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    xp = backend_for(device).xp
    array = xp.empty(size, dtype=dtype.np) if fill is None else xp.full(size, fill, dtype=dtype.np)
    return _finish(array, device, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _filled(size, 0, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """A tensor of ones."""
    return _filled(size, 1, dtype, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None, pin_memory=False, memory_format=None):
    """An uninitialised tensor (whatever bytes the allocator returns)."""
    return _filled(size, None, dtype, device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    """A tensor filled with ``fill_value`` (its dtype is inferred from the value, as in torch)."""
    if dtype is None:
        dtype = _dtypes.scalar_dtype(fill_value)
    return _filled((tuple(size),), fill_value, dtype, device, requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    """An ``n x m`` matrix with ones on the main diagonal."""
    device = as_device(device)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    return _finish(backend_for(device).xp.eye(n, n if m is None else m, dtype=dtype.np), device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Values from ``start`` to ``end`` (excluded) every ``step``; int64 for ints, else float.

    >>> import minitorch as torch
    >>> torch.arange(0, 10, 2)
    tensor([0, 2, 4, 6, 8])
    """
    if end is None:
        start, end = 0, start
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = _dtypes.result_type(start, end, step) if not all(isinstance(v, int) for v in (start, end, step)) else _dtypes.int64
    dtype = _dtypes.to_dtype(dtype)
    device = as_device(device)
    n = max(0, math.ceil((end - start) / step))
    xp = backend_for(device).xp
    # start + i*step computed in float64, as torch does, so 0.1-steps do not drift
    array = (start + xp.arange(n, dtype=np.float64) * step) if dtype.is_floating_point else xp.arange(start, start + n * step, step)[:n]
    return _finish(array.astype(dtype.np), device, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` (both included)."""
    device = as_device(device)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    array = backend_for(device).xp.linspace(start, end, steps)
    if not dtype.is_floating_point:
        array = backend_for(device).xp.trunc(array)
    return _finish(array.astype(dtype.np), device, requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    """``steps`` values from ``base**start`` to ``base**end``, evenly spaced on a log scale."""
    device = as_device(device)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    array = backend_for(device).xp.logspace(start, end, steps, base=base)
    return _finish(array.astype(dtype.np), device, requires_grad)


# ---- *_like and new_* ----------------------------------------------------------------------

def _like(fn):
    def like(input, *args, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
        return fn(*args, input.shape, dtype=dtype or input.dtype, device=device or input.device,
                  requires_grad=requires_grad) if fn is full else fn(
            input.shape, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)

    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"``{fn.__name__}`` with the shape, dtype and device of ``input``."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """A tensor like ``input`` filled with ``fill_value``."""
    return full(input.shape, fill_value, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def _new(fn):
    def new(self, *size, dtype=None, device=None, requires_grad=False):
        return fn(*size, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)

    new.__name__ = "new_" + fn.__name__
    new.__doc__ = f"``{fn.__name__}`` with this tensor's dtype and device by default."
    return new


new_zeros, new_ones, new_empty = _new(zeros), _new(ones), _new(empty)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


# ---- random numbers --------------------------------------------------------------------------

class Generator:
    """A reproducible random stream for one device: same seed, same numbers.

    >>> import minitorch as torch
    >>> g = torch.Generator().manual_seed(0)
    >>> torch.rand(2, generator=g).shape
    torch.Size([2])
    """

    def __init__(self, device="cpu"):
        self.device = as_device(device)
        self.manual_seed(67280421310721)  # torch's default seed

    def manual_seed(self, seed):
        self._seed = int(seed)
        self._rng = backend_for(self.device).new_generator(self._seed)
        return self

    def seed(self):
        return self.manual_seed(int.from_bytes(np.random.SeedSequence().generate_state(2, np.uint32).tobytes(), "little")).initial_seed()

    def initial_seed(self):
        return self._seed

    def get_state(self):
        from .creation import tensor as _t

        state = self._rng.bit_generator.state if hasattr(self._rng, "bit_generator") else None
        return _t(list(repr(state).encode()), dtype=_dtypes.uint8)

    def set_state(self, state):
        import ast

        self._rng.bit_generator.state = ast.literal_eval(bytes(state.tolist()).decode())
        return self


default_generator = Generator()
_device_generators = {}


def _generator(generator, device):
    if generator is not None:
        return generator._rng
    if device.type == "cpu":
        return default_generator._rng
    if device not in _device_generators:
        _device_generators[device] = Generator(device)
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


def _random(kind, size, generator, dtype, device, requires_grad, *args):
    device = as_device(device)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    rng = _generator(generator, device)
    size = size_args(size)
    if kind == "uniform":
        array = rng.random(size, dtype=np.float64 if dtype is _dtypes.float64 else np.float32)
    else:
        array = rng.standard_normal(size, dtype=np.float64 if dtype is _dtypes.float64 else np.float32)
    return _finish(array.astype(dtype.np, copy=False), device, requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """Uniform random numbers in ``[0, 1)``."""
    return _random("uniform", size, generator, dtype, device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """Standard normal random numbers (mean 0, std 1)."""
    return _random("normal", size, generator, dtype, device, requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Random integers in ``[low, high)``: ``randint(10, (3,))`` or ``randint(2, 4, (3, 5))``."""
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    device = as_device(device)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.int64
    array = _generator(generator, device).integers(low, high, size=tuple(size))
    return _finish(array.astype(dtype.np), device, requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of ``0..n-1``."""
    device = as_device(device)
    dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.int64
    return _finish(_generator(generator, device).permutation(n).astype(dtype.np), device, requires_grad)


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return rand(input.shape, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return randn(input.shape, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    return randint(low, high, input.shape, dtype=dtype or input.dtype, device=device or input.device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Normal samples with the given mean and std (numbers or tensors of matching shape)."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        like = mean if isinstance(mean, Tensor) else std
        shape = np.broadcast_shapes(tuple(getattr(mean, "shape", ())), tuple(getattr(std, "shape", ())))
        noise = randn(shape, generator=generator, dtype=like.dtype, device=like.device)
        return (noise * std + mean).detach()
    return randn(size, generator=generator, dtype=dtype, device=device) * std + mean if not requires_grad else \
        (randn(size, generator=generator, dtype=dtype, device=device) * std + mean).requires_grad_()


def bernoulli(input, p=None, *, generator=None):
    """1 with probability ``input`` (or ``p``) elementwise, else 0."""
    probs = input if p is None else full_like(input, p)
    return (rand(input.shape, generator=generator, dtype=input.dtype, device=input.device) < probs).to(input.dtype)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Indices drawn with the (unnormalised) probabilities in each row of ``input``."""
    rng = _generator(generator, input.device)
    probs = input.detach().cpu().double().numpy()
    rows = probs.reshape(-1, probs.shape[-1])
    rows = rows / rows.sum(axis=1, keepdims=True)
    if not replacement:  # Gumbel top-k: one vectorised draw without replacement
        keys = np.log(rows) - np.log(-np.log(np.asarray(rng.random(rows.shape))))
        picks = np.argsort(-keys, axis=1)[:, :num_samples]
    else:
        cdf = rows.cumsum(axis=1)
        u = np.asarray(rng.random((rows.shape[0], num_samples)))
        picks = np.minimum((u[:, :, None] > cdf[:, None, :]).sum(-1), rows.shape[1] - 1)
    return tensor(picks.reshape(probs.shape[:-1] + (num_samples,)), dtype=_dtypes.int64, device=input.device)


# ---- in-place random fills (used by nn.init) -------------------------------------------------

def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill with uniform samples from ``[a, b)``."""
    from .inplace import copy_

    return copy_(self, rand(self.shape, generator=generator, dtype=self.dtype, device=self.device) * (b - a) + a)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with normal samples."""
    from .inplace import copy_

    return copy_(self, randn(self.shape, generator=generator, dtype=self.dtype, device=self.device) * std + mean)


def bernoulli_(self, p=0.5, *, generator=None):
    from .inplace import copy_

    return copy_(self, bernoulli(self, p, generator=generator))


def random_(self, low=0, high=None, *, generator=None):
    from .inplace import copy_

    if high is None:
        low, high = 0, low if low else 2 ** min(self.dtype.itemsize * 8 - 1, 53)
    return copy_(self, randint(low, high, self.shape, generator=generator, device=self.device))


__all__ = """tensor as_tensor from_numpy zeros ones empty full eye arange linspace logspace zeros_like ones_like
    empty_like full_like rand randn randint randperm rand_like randn_like randint_like normal bernoulli
    multinomial Generator default_generator manual_seed seed initial_seed""".split()
METHODS = "new_zeros new_ones new_empty new_full new_tensor uniform_ normal_ bernoulli_ random_ bernoulli".split()
