"""``minitorch.cuda``: GPU helpers, as in ``torch.cuda``. Without CuPy, ``is_available()`` is False.

>>> import minitorch as torch
>>> device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

Nothing here imports CuPy until it is needed, so ``import minitorch`` stays light on any machine.
"""

from __future__ import annotations

_GPU_HELP = ("CUDA is not available: minitorch runs on the GPU through CuPy. On a machine with an "
             "NVIDIA GPU, install the GPU extra: pip install \"minitorch-kit[gpu]\"")


_available = []  # the answer of is_available, once known: GPUs do not come and go while Python runs


def is_available():
    """True when CuPy is installed and sees at least one GPU."""
    if not _available:
        try:
            import cupy

            _available.append(cupy.cuda.runtime.getDeviceCount() > 0)
        except Exception:  # noqa: BLE001 (no CuPy, no driver, no GPU: all mean "not available")
            _available.append(False)
    return _available[0]


def _cupy():
    """CuPy, or torch's kind of error (RuntimeError) saying how to get a GPU backend."""
    if not is_available():
        raise RuntimeError(_GPU_HELP)
    import cupy

    return cupy


def _backend():
    """The cuda backend module (importing it sets up CuPy's memory pool statistics)."""
    from .backends import cuda

    return cuda


def _index(device=None):
    """A device index from None (the current device), an int, a string or a ``minitorch.device``."""
    if device is None:
        return current_device()
    if isinstance(device, int):
        return device
    from ._device import device as _device

    d = _device(device)
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return current_device() if d.index is None else d.index


def device_count():
    """How many GPUs CuPy sees (0 without CuPy)."""
    return _cupy().cuda.runtime.getDeviceCount() if is_available() else 0


# ---- the current device ---------------------------------------------------------------------------
_current = {"index": 0}


def current_device():
    """The index of the GPU that ``"cuda"`` (without an index) means; 0 until ``set_device``."""
    return _current["index"]


def set_device(device):
    """Make ``device`` the current GPU: new ``"cuda"`` tensors and all kernels go there."""
    index = _index(device)
    _cupy().cuda.Device(index).use()
    _current["index"] = index


class device:
    """Context manager that makes ``device`` current inside a ``with`` block.

    >>> with minitorch.cuda.device(0):            # doctest: +SKIP
    ...     x = minitorch.ones(2, device="cuda")  # on cuda:0
    """

    def __init__(self, device):
        self.index = _index(device)

    def __enter__(self):
        self._previous = current_device()
        set_device(self.index)
        return self

    def __exit__(self, *exc):
        set_device(self._previous)
        return False


# ---- device information -----------------------------------------------------------------------------

class _CudaDeviceProperties:
    """What ``get_device_properties`` returns: name, capability, memory and multiprocessor count."""

    def __init__(self, props):
        self.name = props["name"].decode()
        self.major, self.minor = props["major"], props["minor"]
        self.total_memory = props["totalGlobalMem"]
        self.multi_processor_count = props["multiProcessorCount"]

    def __repr__(self):
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, minor={self.minor}, "
                f"total_memory={self.total_memory // 2 ** 20}MB, multi_processor_count={self.multi_processor_count})")


def get_device_properties(device=None):
    return _CudaDeviceProperties(_cupy().cuda.runtime.getDeviceProperties(_index(device)))


def get_device_name(device=None):
    """The GPU's marketing name, e.g. ``'NVIDIA H100 80GB HBM3'``."""
    return get_device_properties(device).name


def get_device_capability(device=None):
    """The compute capability ``(major, minor)``, e.g. ``(9, 0)`` for Hopper."""
    props = get_device_properties(device)
    return props.major, props.minor


def synchronize(device=None):
    """Wait until every kernel queued on the GPU has finished (kernels run asynchronously)."""
    _cupy().cuda.Device(_index(device)).synchronize()


def current_stream(device=None):
    """CuPy's current stream (it has ``synchronize()``), where minitorch queues its kernels."""
    with _cupy().cuda.Device(_index(device)):
        return _cupy().cuda.get_current_stream()


# ---- random numbers ---------------------------------------------------------------------------------

def _seed_device(index, seed):
    from ._device import device as _device
    from .ops.creation import Generator, _device_generators

    d = _device("cuda", index)
    _device_generators[d] = Generator(d).manual_seed(seed)


def manual_seed(seed):
    """Seed the current GPU's random generator. Silently does nothing without a GPU (as in torch)."""
    if is_available():
        _seed_device(current_device(), seed)


def manual_seed_all(seed):
    """Seed every GPU's random generator."""
    for index in range(device_count()):
        _seed_device(index, seed)


def seed_all():
    """Seed every GPU's generator with a random seed."""
    import random

    manual_seed_all(random.getrandbits(63))


# ---- memory (CuPy's pool: freed blocks are kept for reuse, as torch's caching allocator does) --------

def memory_allocated(device=None):
    """Bytes held by live GPU arrays on ``device``."""
    with _cupy().cuda.Device(_index(device)):
        return _backend().pool.used_bytes()


def max_memory_allocated(device=None):
    """The highest ``memory_allocated`` since the start (or ``reset_peak_memory_stats``)."""
    index = _index(device)
    return max(_backend().peak_bytes.get(index, 0), memory_allocated(index))


def reset_peak_memory_stats(device=None):
    index = _index(device)
    _backend().peak_bytes[index] = memory_allocated(index)


def memory_reserved(device=None):
    """Bytes the pool holds on ``device``: live arrays plus cached free blocks."""
    with _cupy().cuda.Device(_index(device)):
        return _backend().pool.total_bytes()


def empty_cache():
    """Give the pool's cached free blocks back to the driver (live tensors are untouched)."""
    _backend().pool.free_all_blocks()


def mem_get_info(device=None):
    """``(free, total)`` bytes of GPU memory, as the driver sees it."""
    with _cupy().cuda.Device(_index(device)):
        return _cupy().cuda.runtime.memGetInfo()


# ---- timing ---------------------------------------------------------------------------------------------

class Event:
    """A marker in the GPU's queue of work, for timing kernels without stopping the GPU.

    >>> start, end = minitorch.cuda.Event(enable_timing=True), minitorch.cuda.Event(enable_timing=True)  # doctest: +SKIP
    >>> start.record(); y = x @ x; end.record()      # doctest: +SKIP
    >>> end.synchronize(); start.elapsed_time(end)   # doctest: +SKIP

    The elapsed time is in milliseconds.
    """

    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        self._event = _cupy().cuda.Event(block=blocking, disable_timing=not enable_timing, interprocess=interprocess)

    def record(self, stream=None):
        """Queue the marker on ``stream`` (default: the current stream)."""
        self._event.record(stream)

    def synchronize(self):
        """Wait until the GPU has reached this marker."""
        self._event.synchronize()

    def query(self):
        """True when the GPU has reached this marker."""
        return self._event.done

    def wait(self, stream=None):
        """Make ``stream`` wait for this marker before running later work."""
        (stream or _cupy().cuda.get_current_stream()).wait_event(self._event)

    def elapsed_time(self, end_event):
        """Milliseconds between this marker and ``end_event`` (both recorded and reached)."""
        return _cupy().cuda.get_elapsed_time(self._event, end_event._event)


def _legacy_constructors():
    """``torch.cuda.FloatTensor(2, 3)``, ``torch.cuda.LongTensor([1, 2])``...: old-style constructors
    of GPU tensors (a TypeError naming the GPU extra on a machine without one, as torch's)."""
    from . import _dtypes
    from ._tensor import legacy_constructor

    for d in _dtypes.ALL:
        globals()[d.legacy_name + "Tensor"] = legacy_constructor(d, cuda=True)


_legacy_constructors()
