"""Switching graph recording on and off: ``no_grad``, ``enable_grad``, ``set_grad_enabled``."""

from __future__ import annotations

import functools

_state = {"enabled": True}


def is_grad_enabled():
    """True when ops on tensors that require grad record a backward graph."""
    return _state["enabled"]


class _GradMode:
    """Base of the grad-mode switches: a context manager that is also a decorator."""

    mode = True

    def __enter__(self):
        self.prev = _state["enabled"]
        _state["enabled"] = self.mode

    def __exit__(self, *exc):
        _state["enabled"] = self.prev
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return func(*args, **kwargs)

        return wrapper

    def _args(self):
        return ()


class no_grad(_GradMode):
    """Do not record the graph (evaluation, weight updates).

    >>> import minitorch as torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> with torch.no_grad():
    ...     (x * 2).requires_grad
    False
    """

    mode = False


class enable_grad(_GradMode):
    """Record the graph again inside a ``no_grad`` block."""

    mode = True


class inference_mode(_GradMode):
    """Like ``no_grad`` (minitorch has no separate inference tensors); ``inference_mode(False)`` is a no-op."""

    def __init__(self, mode=True):
        self.enabled = mode
        self.mode = not mode if mode else _state["enabled"]

    def __enter__(self):
        self.prev = _state["enabled"]
        if self.enabled:
            _state["enabled"] = False

    def _args(self):
        return (self.enabled,)


class set_grad_enabled(_GradMode):
    """Switch recording on or off: as a call, a context manager or a decorator."""

    def __init__(self, mode):
        self.prev = _state["enabled"]
        self.mode = bool(mode)
        _state["enabled"] = self.mode  # a plain call takes effect immediately, as in torch

    def __enter__(self):
        pass  # already switched in __init__; __exit__ restores

    def __call__(self, func):
        _state["enabled"] = self.prev  # used as a decorator: only switch while func runs
        return super().__call__(func)

    def _args(self):
        return (self.mode,)
