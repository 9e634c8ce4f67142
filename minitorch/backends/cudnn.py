"""``minitorch.backends.cudnn``: PyTorch's cuDNN flags (used by the cuda backend's conv/pool)."""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available():
    """True when the cuDNN frontend (``pip install "minitorch-kit[gpu]"``) can be imported."""
    try:
        import cudnn  # noqa: F401
    except Exception:
        return False
    return True


def version():
    """cuDNN's version as an int (e.g. 90100), or None when cuDNN is not available."""
    if not is_available():
        return None
    import cudnn

    return int(cudnn.backend_version())
