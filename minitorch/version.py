"""``torch.version``: which kit this is, and which CUDA its GPU backend (CuPy) runs on.

>>> import minitorch as torch
>>> torch.version.__version__ == torch.__version__
True
"""

from __future__ import annotations

from . import __version__  # noqa: F401  (torch.version.__version__)

debug = False


def __getattr__(name):
    # ``cuda``: the CUDA runtime's version as torch prints it ("12.4"), None without a GPU backend.
    # Worked out on first use, so that ``import minitorch`` never imports CuPy.
    if name == "cuda":
        from . import cuda as gpu

        if not gpu.is_available():
            return None
        version = gpu._cupy().cuda.runtime.runtimeGetVersion()  # e.g. 12040
        return f"{version // 1000}.{version % 1000 // 10}"
    raise AttributeError(f"module 'minitorch.version' has no attribute '{name}'")
