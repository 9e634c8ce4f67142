"""``minitorch.cuda``: GPU helpers. Without CuPy installed, ``is_available()`` is False."""

from __future__ import annotations

_GPU_HELP = ("CUDA is not available: minitorch runs on the GPU through CuPy. On a machine with an "
             "NVIDIA GPU, install the GPU extra: pip install \"minitorch-kit[gpu]\"")


def is_available():
    """True when CuPy is installed and sees at least one GPU."""
    try:
        import cupy
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def _require():
    if not is_available():
        raise RuntimeError(_GPU_HELP)
    import cupy

    return cupy


def device_count():
    return _require().cuda.runtime.getDeviceCount() if is_available() else 0


_current = {"index": 0}


def current_device():
    return _current["index"]


def set_device(device):
    from ._device import device as _device

    index = device if isinstance(device, int) else _device(device).index or 0
    _require().cuda.Device(index).use()
    _current["index"] = index
