"""``minitorch.backends.cudnn``: PyTorch's cuDNN flags, read by the cuda backend's convolutions.

>>> import minitorch as torch
>>> torch.backends.cudnn.deterministic = True   # same gradients on every run (maybe slower)
>>> torch.backends.cudnn.benchmark = False      # True: time every cuDNN algorithm, keep the fastest

Setting a flag needs no GPU; the flags take effect for convolutions planned afterwards
(each plan is cached together with the flags it was made under). Importing this module
imports no GPU code.
"""

enabled = True  # False: convolutions use the im2col kernels (slower, same results)
benchmark = False  # True: time all cuDNN plans for each new shape, keep the fastest
deterministic = False  # True: only plans that give bit-identical results run to run
allow_tf32 = True  # float32 convolutions may use TF32 tensor cores (about 1e-3 relative error)


def is_available():
    """True when a GPU is usable and the cuDNN frontend (``pip install "minitorch-kit[gpu]"``) imports."""
    from .. import cuda

    if not cuda.is_available():
        return False
    try:
        import cudnn  # noqa: F401
    except Exception:  # noqa: BLE001 (a missing or broken cuDNN library means "not available")
        return False
    return True


def version():
    """cuDNN's version as an int (e.g. 91900 for 9.19.0), or None when cuDNN is not available."""
    if not is_available():
        return None
    import cudnn

    return int(cudnn.backend_version())
