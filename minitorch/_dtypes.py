"""dtypes, their aliases, and PyTorch's type-promotion rules."""

from __future__ import annotations

import math

import numpy as np


class dtype:
    """A tensor element type: ``minitorch.float32`` prints as ``torch.float32`` (like PyTorch).

    >>> float32.itemsize, float32.is_floating_point
    (4, True)
    """

    def __init__(self, name, np_dtype, legacy_name):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self.is_floating_point = self.np.kind == "f"
        self.is_signed = self.np.kind in "if"
        self.is_complex = False
        # Promotion category: bool < integer < floating point.
        self.category = {"b": 0, "u": 1, "i": 1, "f": 2}[self.np.kind]
        self.legacy_name = legacy_name  # "Float" -> torch.FloatTensor, torch.FloatStorage
        # the python numbers it holds, for check_fits (worked out once: np.finfo costs ~1 us a call)
        if self.np.kind == "f":
            top = float(np.finfo(self.np).max)
            self._fits = (-top, top)
        elif self.np.kind in "ui":  # unsigned types accept down to -max: it wraps around, as in C
            info = np.iinfo(self.np)
            self._fits = (-int(info.max) if info.min == 0 else int(info.min), int(info.max))

    def __repr__(self):
        return f"torch.{self.name}"

    def to_real(self):
        return self

    def __reduce__(self):
        return self.name


bool_ = dtype("bool", np.bool_, "Bool")
uint8 = dtype("uint8", np.uint8, "Byte")
int8 = dtype("int8", np.int8, "Char")
int16 = dtype("int16", np.int16, "Short")
int32 = dtype("int32", np.int32, "Int")
int64 = dtype("int64", np.int64, "Long")
float16 = dtype("float16", np.float16, "Half")
float32 = dtype("float32", np.float32, "Float")
float64 = dtype("float64", np.float64, "Double")

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
ALIASES = {"half": float16, "float": float32, "double": float64, "short": int16, "int": int32,
           "long": int64, "bool": bool_}
_BY_NUMPY = {d.np: d for d in ALL}
_BY_NAME = {**{d.name: d for d in ALL}, **ALIASES}

_default_float = float32


def get_default_dtype():
    """The dtype of ``tensor([1.5])`` and of ``rand(...)``: float32 unless changed."""
    return _default_float


def set_default_dtype(d):
    """Change the default floating dtype (float32 or float64, as PyTorch allows)."""
    global _default_float
    if d not in (float16, float32, float64):
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def from_numpy_dtype(np_dtype):
    """minitorch dtype for a numpy dtype; TypeError for types the kit does not have."""
    d = _BY_NUMPY.get(np_dtype)  # fast path: an op's result dtype
    if d is not None:
        return d
    try:
        return _BY_NUMPY[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def to_dtype(d):
    """Accept a minitorch dtype, a numpy dtype, a python type or a name; return a minitorch dtype.

    Python types mean what they mean in torch: ``float`` is float64, ``int`` int64, ``bool`` bool.
    """
    if isinstance(d, dtype):
        return d
    if d is float:
        return float64
    if d is int:
        return int64
    if d is bool:
        return bool_
    if isinstance(d, str) and d.removeprefix("torch.") in _BY_NAME:
        return _BY_NAME[d.removeprefix("torch.")]
    return from_numpy_dtype(d)


def dtype_arg(d, fn):
    """The ``dtype=`` argument of a factory function ``fn``: a minitorch dtype or a python type
    (``float``, ``int``, ``bool``), as torch accepts; TypeError for anything else."""
    if d is None or isinstance(d, dtype):
        return d
    if d in (float, int, bool):
        return to_dtype(d)
    raise TypeError(f"{fn}(): argument 'dtype' must be torch.dtype, not {type(d).__name__}")


# C++ names torch's overflow messages use for each dtype.
_C_NAMES = {"bool": "bool", "uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double"}


def check_fits(value, d, name=None):
    """RuntimeError unless the python number ``value`` fits ``d`` (torch's check when a number is
    written into a tensor: ``fill_``, ``full``, ``x[i] = v``). Unsigned types accept down to
    ``-max`` (it wraps around, as in C). Infinities and nan fit every floating type."""
    if d is bool_ or isinstance(value, bool):
        return
    low, high = d._fits
    if d.is_floating_point:
        fits = not math.isfinite(value) or low <= value <= high
    else:
        fits = math.isfinite(value) and low <= value <= high
    if not fits:
        raise RuntimeError(f"value cannot be converted to type {name or _C_NAMES[d.name]} without overflow")


def wrap_int(value, d):
    """A python int as the integer type ``d`` would hold it: C's wrap-around (``uint8 + 300`` adds 44),
    as torch does for numbers in arithmetic. Beyond 64 bits torch refuses."""
    if not -2 ** 63 <= value < 2 ** 64:
        raise OverflowError("int too big to convert")
    if d is bool_:  # C's conversion to bool: any nonzero int is True (256 too, not its low 8 bits)
        return value != 0
    bits = 8 * d.itemsize
    value %= 2 ** bits
    return value - 2 ** bits if d.is_signed and value >= 2 ** (bits - 1) else value


def promote_types(a, b):
    """Smallest dtype that can hold both (the table of ``torch.promote_types``).

    >>> promote_types(uint8, int8), promote_types(int64, float16)
    (torch.int16, torch.float16)
    """
    if a is b:
        return a
    if a.category != b.category:
        # Across categories the higher category wins; its own width is kept.
        return a if a.category > b.category else b
    return _BY_NUMPY[np.promote_types(a.np, b.np)]


def scalar_dtype(value):
    """dtype a python number gets when it takes part in an op: bool, int64 or the default float."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    return _default_float


def result_type(*operands):
    """PyTorch's promotion for an op over tensors and python scalars.

    Three tiers, from strongest to weakest: tensors with dims, 0-d tensors, python numbers.
    A weaker tier only matters when it brings a higher *category* (int tensor * 2.5 -> float).

    >>> from minitorch import tensor
    >>> result_type(tensor([1, 2]), 2.5), result_type(tensor([1, 2], dtype=int32), tensor(7))
    (torch.float32, torch.int32)
    """
    if len(operands) == 2:  # fast path: a tensor and a number of the same or a lower category
        a, b = operands if hasattr(operands[0], "dtype") else operands[::-1]
        if hasattr(a, "_shape") and type(b) in (int, float, bool) and scalar_dtype(b).category <= a.dtype.category:
            return a.dtype
    tiers = [None, None, None]
    for x in operands:
        if hasattr(x, "dtype") and hasattr(x, "_shape"):
            tier, d = (0 if x._shape else 1), x.dtype
        else:
            tier, d = 2, scalar_dtype(x)
        tiers[tier] = d if tiers[tier] is None else promote_types(tiers[tier], d)
    result = None
    for d in tiers:
        if d is None:
            continue
        if result is None:
            result = d
        elif d.category > result.category:
            result = promote_types(result, d)
    return result


class finfo:
    """Limits of a floating dtype (``torch.finfo``): ``eps``, ``max``, ``min``, ``tiny``, ``bits``...

    >>> finfo(float32).eps
    1.1920928955078125e-07
    """

    def __init__(self, type=None):
        type = get_default_dtype() if type is None else to_dtype(type)
        if not type.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'")
        info = np.finfo(type.np)
        self.bits, self.dtype = info.bits, type.name
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype (``torch.iinfo``): ``min``, ``max``, ``bits``."""

    def __init__(self, type):
        type = to_dtype(type)
        if type is bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if type.is_floating_point:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.min, self.max, self.dtype = info.bits, int(info.min), int(info.max), type.name

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


class layout:
    """A memory layout; minitorch tensors are all ``torch.strided``."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch.{self.name}"


strided = layout("strided")
