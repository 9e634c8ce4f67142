"""Every op once, as a function; ``install_methods`` makes the matching ``Tensor`` methods.

Each op module lists its public functions in ``__all__`` (they become ``minitorch.<name>``),
the ones that are also ``Tensor`` methods in ``METHODS``, and those that get an in-place
``<name>_`` method in ``INPLACE``. A reader looking for ``x.exp()`` finds ``Exp`` in
``pointwise.py``; this file only wires names to functions.
"""

from __future__ import annotations

import inspect
import types

from .. import _dtypes
from .._tensor import Tensor
from . import creation, indexing, inplace, join, linalg, pointwise, reduce, shape
from .creation import *  # noqa: F401,F403
from .indexing import *  # noqa: F401,F403
from .join import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .pointwise import *  # noqa: F401,F403
from .reduce import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403

MODULES = [creation, pointwise, reduce, linalg, shape, indexing, join]


def _takes(other):
    """Whether torch's arithmetic operators take ``other`` besides a tensor: a python number or a
    numpy scalar/array (anything else gives NotImplemented, so ``x == None`` is False and
    ``x + "a"`` is Python's "unsupported operand type(s)" TypeError)."""
    return isinstance(other, (Tensor, int, float)) or (hasattr(other, "dtype") and hasattr(other, "shape"))


def _operator(fn, reflected=False, takes=_takes):
    """``x.__op__(other)`` (``other op x`` when ``reflected``) calling ``fn``."""
    if reflected:
        def method(self, other):
            return fn(other, self) if takes(other) else NotImplemented
    else:
        def method(self, other):
            return fn(self, other) if takes(other) else NotImplemented

    method.__name__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


def _only_tensors(other):
    return isinstance(other, Tensor)  # ``@`` takes no numbers


OPERATORS = {"add": pointwise.add, "sub": pointwise.sub, "mul": pointwise.mul, "truediv": pointwise.div,
             "floordiv": pointwise.floor_divide, "mod": pointwise.remainder, "pow": pointwise.pow,
             "matmul": linalg.matmul, "and": pointwise.bitwise_and, "or": pointwise.bitwise_or,
             "xor": pointwise.bitwise_xor, "lshift": pointwise.bitwise_left_shift,
             "rshift": pointwise.bitwise_right_shift}
COMPARISONS = {"eq": pointwise.eq, "ne": pointwise.ne, "lt": pointwise.lt, "le": pointwise.le,
               "gt": pointwise.gt, "ge": pointwise.ge}


def _caster(dtype):
    def cast(self, memory_format=None):
        return self.to(dtype)

    cast.__name__ = dtype.legacy_name.lower()
    return cast


def install_methods():
    """Attach the op functions to ``Tensor`` as methods, operators and in-place ``op_`` forms."""
    for module in MODULES:
        for name in getattr(module, "METHODS", ()):
            setattr(Tensor, name, getattr(module, name))
        for name in getattr(module, "INPLACE", ()):
            setattr(Tensor, name + "_", inplace.inplace(getattr(module, name)))
    for dtype in _dtypes.ALL:
        setattr(Tensor, dtype.legacy_name.lower(), _caster(dtype))
    Tensor.bool = _caster(_dtypes.bool_)
    Tensor.where = lambda self, condition, other: pointwise.where(condition, self, other)
    Tensor.T = property(shape.T_property)
    Tensor.mT = property(shape.mT_property)
    Tensor.__getitem__ = shape.getitem
    Tensor.__setitem__ = inplace.setitem
    Tensor.copy_, Tensor.fill_, Tensor.zero_ = inplace.copy_, inplace.fill_, inplace.zero_
    for name, fn in OPERATORS.items():
        takes = _only_tensors if name == "matmul" else _takes
        setattr(Tensor, f"__{name}__", _operator(fn, takes=takes))
        setattr(Tensor, f"__r{name}__", _operator(fn, reflected=True, takes=takes))
        if name != "matmul":
            setattr(Tensor, f"__i{name}__", _operator(inplace.inplace(fn)))
    for name, fn in COMPARISONS.items():
        setattr(Tensor, f"__{name}__", _operator(fn))
    Tensor.__neg__ = pointwise.neg
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = pointwise.abs
    Tensor.__invert__ = pointwise.invert


def _add_out_arguments():
    """``torch.add(x, y, out=z)``: the op functions of the top-level namespace take ``out=``
    (methods do not, as in torch)."""
    for module in (pointwise, reduce, linalg, join, indexing):
        for name in module.__all__:
            fn = getattr(module, name)
            if isinstance(fn, types.FunctionType) and "out" not in inspect.signature(fn).parameters:
                globals()[name] = inplace.with_out(fn)


install_methods()
_add_out_arguments()
