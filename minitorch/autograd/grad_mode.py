"""Switching graph recording on and off: ``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``. Each is a context manager and also a decorator (``@torch.no_grad()``, or
``@torch.no_grad`` without parentheses, as in torch).
"""

from __future__ import annotations

import functools
import inspect

_state = {"enabled": True, "inference": False}


def is_grad_enabled():
    """True when ops on tensors that require grad record a backward graph."""
    return _state["enabled"]


def is_inference_mode_enabled():
    """True inside ``inference_mode()``."""
    return _state["inference"]


def _set(enabled, inference=None):
    """Switch the mode; returns the previous one (to restore on exit)."""
    prev = (_state["enabled"], _state["inference"])
    _state["enabled"] = enabled
    if inference is not None:
        _state["inference"] = inference
    return prev


class _GradMode:
    """Base of the switches: ``with``-able, and usable as a decorator (a fresh copy of the
    context manager wraps every call, so decorated functions are reentrant)."""

    def __new__(cls, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs and cls._bare_decorator:
            return cls()(args[0])  # ``@torch.no_grad`` without parentheses
        return super().__new__(cls)

    _bare_decorator = True

    def __call__(self, func):
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def generator(*args, **kwargs):
                gen = func(*args, **kwargs)
                value = None
                while True:  # switch the mode only while the generator's own code runs
                    with self.clone():
                        try:
                            item = gen.send(value)
                        except StopIteration as stop:
                            return stop.value
                    value = yield item

            return generator

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return self.__class__()

    def __exit__(self, *exc):
        _set(*self.prev)
        return False


class no_grad(_GradMode):
    """Do not record the graph (evaluation, weight updates).

    >>> import minitorch as torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> with torch.no_grad():
    ...     (x * 2).requires_grad
    False
    """

    def __enter__(self):
        self.prev = _set(False)


class enable_grad(_GradMode):
    """Record the graph again inside a ``no_grad`` block."""

    def __enter__(self):
        self.prev = _set(True)


class inference_mode(_GradMode):
    """Like ``no_grad`` (minitorch has no separate inference tensors); ``inference_mode(False)``
    changes nothing."""

    _bare_decorator = False

    def __new__(cls, mode=True):
        if not isinstance(mode, bool):  # ``@torch.inference_mode`` without parentheses
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        self.mode = mode

    def __enter__(self):
        if self.mode:
            self.prev = _set(False, True)
        else:
            self.prev = _set(_state["enabled"], False)

    def clone(self):
        return self.__class__(self.mode)


class set_grad_enabled(_GradMode):
    """Switch recording on or off: as a plain call (it takes effect at once), a context
    manager (restores the old mode on exit) or a decorator.

    >>> import minitorch as torch
    >>> torch.set_grad_enabled(False)
    torch.autograd.grad_mode.set_grad_enabled(mode=False)
    >>> torch.is_grad_enabled()
    False
    >>> _ = torch.set_grad_enabled(True)
    """

    _bare_decorator = False

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = _set(self.mode)

    def __enter__(self):
        _set(self.mode)

    def __call__(self, func):
        _set(*self.prev)  # used as a decorator: switch only while ``func`` runs
        return super().__call__(func)

    def clone(self):
        return self.__class__(self.mode)

    def __repr__(self):
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"
