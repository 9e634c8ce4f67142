"""Array backends: one module per device type, each exposing the same small interface.

``xp`` is the array module (numpy on CPU, cupy on GPU). Ops are written once against ``xp``;
only storage views, transfers, random numbers and conv/pool kernels differ per backend.
"""

from . import cpu, cudnn  # noqa: F401  (cudnn holds the torch.backends.cudnn flags; imports no GPU code)


def backend_for(device):
    """The backend module for a ``minitorch.device`` (importing CuPy only on first cuda use)."""
    if device.type == "cpu":
        return cpu
    from . import cuda

    return cuda
