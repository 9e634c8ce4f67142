"""``torch.backends.mps``: Apple's Metal GPUs. minitorch has no MPS backend, so code that checks
``torch.backends.mps.is_available()`` before choosing a device runs unchanged (on the CPU)."""


def is_available():
    return False


def is_built():
    return False
