"""Anomaly detection: find the forward op whose backward failed or produced NaN.

While it is on, every recorded op keeps the traceback of its forward call; when a node's
backward raises (or, with ``check_nan``, returns NaN) the engine warns with that traceback
("Error detected in DivBackward0. Traceback of forward call that caused the error: ...").

>>> import minitorch as torch
>>> x = torch.tensor([0.0, 1.0], requires_grad=True)
>>> with torch.autograd.detect_anomaly():
...     (x / x).sum().backward()
Traceback (most recent call last):
RuntimeError: Function 'DivBackward0' returned nan values in its 1th output.
"""

from __future__ import annotations

import os
import warnings

__all__ = ["detect_anomaly", "set_detect_anomaly"]

_state = {"enabled": False, "check_nan": True}


def is_anomaly_enabled():
    """True while anomaly detection is on (``torch.is_anomaly_enabled``)."""
    return _state["enabled"]


def is_anomaly_check_nan_enabled():
    """True when anomaly detection also checks backward results for NaN."""
    return _state["check_nan"]


def set_anomaly_enabled(enabled, check_nan=True):
    _state["enabled"], _state["check_nan"] = bool(enabled), bool(check_nan)


class detect_anomaly:
    """Context manager: anomaly detection on inside the block (warns that it is slow)."""

    def __init__(self, check_nan=True):
        self.prev = (_state["enabled"], _state["check_nan"])
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should "
                      "only be enabled for debugging.", stacklevel=2)

    def __enter__(self):
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc):
        set_anomaly_enabled(*self.prev)
        return False


class set_detect_anomaly:
    """Switch anomaly detection on or off: as a call (takes effect at once) or a context
    manager (restores the previous setting on exit)."""

    def __init__(self, mode, check_nan=True):
        self.prev = (_state["enabled"], _state["check_nan"])
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        set_anomaly_enabled(*self.prev)
        return False


def forward_trace():
    """The user's call stack at a forward op (minitorch's own frames dropped), or None when off."""
    if not _state["enabled"]:
        return None
    import traceback

    frames = [f for f in traceback.extract_stack() if not f.filename.startswith(_PACKAGE_DIR)]
    return "".join(traceback.format_list(frames))


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def report_error(node):
    """Called by the engine when ``node``'s backward failed: point at the forward call."""
    if _state["enabled"] and node._trace:
        warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n"
                      f"{node._trace}", stacklevel=4)


def check_nan(node, index, grad):
    """With ``check_nan``, a NaN in a gradient a node returned is an error."""
    if _state["enabled"] and _state["check_nan"] and grad.dtype.is_floating_point and bool(grad.isnan().any()):
        raise RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th output.")
