"""Array backends: one module per device type, each exposing the same small interface.

``xp`` is the array module (numpy on CPU, cupy on GPU). Ops are written once against ``xp``;
only storage views, transfers, random numbers and conv/pool kernels differ per backend.
"""

from . import cpu, cudnn, mps  # noqa: F401  (cudnn holds the torch.backends.cudnn flags; imports no GPU code)


_registry = {"cpu": cpu}  # device type -> backend module; "cuda" is added on first use


def backend_for(device):
    """The backend module for a ``minitorch.device`` (importing CuPy only on first cuda use)."""
    backend = _registry.get(device.type)
    if backend is None:
        from . import cuda

        backend = _registry["cuda"] = cuda
    return backend


def register_backend(device_type, module):
    """Serve ``device_type`` with ``module`` (same interface as ``backends.cpu``). The tests use it
    to run the device plumbing - transfers, device checks, ``model.to`` - on a numpy stand-in for
    cuda, so it is exercised on every CI run, not only on GPU machines. Returns the old module."""
    old = _registry.get(device_type)
    _registry[device_type] = module
    return old
