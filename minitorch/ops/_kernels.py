"""Which dtypes each op's kernel accepts, and how torch refuses the others: one table.

numpy computes almost anything on almost any dtype (``np.maximum(bool, 0)``, ``erf`` of an
int); torch has no kernel for many of those and raises. Code that runs here must fail here
where it would fail under torch, so the ops listed below check their operands' dtype first:
``@accepts("relu")`` on the op's function (its in-place form is made from it, so it checks too).
"""

from __future__ import annotations

import functools

from .. import _dtypes, _strides
from .._tensor import Tensor

BOOL, INT, FLOAT = "bool", "int", "float"
NUMBERS = (INT, FLOAT)


def _no_kernel(name):
    return NotImplementedError, f'"{name}" not implemented for ' + "'{dtype}'"


KERNELS = {
    # op: (kinds of dtype accepted, (exception, message; {dtype} is torch's name of the dtype))
    "relu": (NUMBERS, (RuntimeError, "Boolean inputs not supported for relu")),
    "argmax": (NUMBERS, (RuntimeError, "argmax(): does not support bool input")),
    "argmin": (NUMBERS, (RuntimeError, "argmin(): does not support bool input")),
    "topk": (NUMBERS, (RuntimeError, "topk does not support bool dtypes on CPU")),
    "kthvalue": (NUMBERS, _no_kernel("kthvalue_cpu")),
    "median": (NUMBERS, _no_kernel("median_cpu")),
    "trunc": (NUMBERS, _no_kernel("trunc_vml_cpu")),
    "remainder": (NUMBERS, _no_kernel("remainder_cpu")),
    "div_floor": (NUMBERS, _no_kernel("div_floor_cpu")),  # ``//`` and div(rounding_mode="floor")
    "div_trunc": (NUMBERS, _no_kernel("div_trunc_cpu")),
    "pow": (NUMBERS, _no_kernel("pow")),
    "dot": (NUMBERS, _no_kernel("dot")),
    "addmm_impl_cpu_": (NUMBERS, _no_kernel("addmm_impl_cpu_")),  # matrix products, by torch's kernel
    "addmv_impl_cpu": (NUMBERS, _no_kernel("addmv_impl_cpu")),
    "bmm": (NUMBERS, _no_kernel("bmm")),
    "fmod": (NUMBERS, _no_kernel("fmod_cpu")),
    "trace": (NUMBERS, _no_kernel("trace")),
    "hypot": ((FLOAT,), _no_kernel("hypot_cpu")),
    "logaddexp": ((FLOAT,), _no_kernel("logaddexp_cpu")),
    "lerp": ((FLOAT,), _no_kernel("lerp_kernel_scalar")),
    "histc": ((FLOAT,), _no_kernel("histogram_cpu")),
    "vector_norm": ((FLOAT,), (RuntimeError, "linalg.vector_norm: Expected a floating point or complex tensor as "
                                             "input. Got {dtype}")),
    "bincount": ((INT,), (NotImplementedError, "\"bincount_cpu\" not implemented for '{dtype}'")),
    "addcmul": (NUMBERS, _no_kernel("addcmul_cpu_out")),
    "logcumsumexp": ((FLOAT,), _no_kernel("logcumsumexp_out_cpu")),
}


def kind(dtype):
    return BOOL if dtype is _dtypes.bool_ else FLOAT if dtype.is_floating_point else INT


def check(op, *operands):
    """Raise torch's error when ``op`` has no kernel for the dtype its operands (tensors and
    python numbers) promote to."""
    accepted, refusal = KERNELS[op]
    if len(operands) == 1 and isinstance(operands[0], Tensor):  # the common call, answered without promotion
        values, dtype = operands, operands[0].dtype
    else:
        values = [v for v in operands if isinstance(v, (Tensor, int, float))]
        if not any(isinstance(v, Tensor) for v in values):
            return
        dtype = values[0].dtype if len(values) == 1 else _dtypes.result_type(*values)
    if kind(dtype) not in accepted:
        _strides.broadcast_shapes(*(t._shape for t in values if isinstance(t, Tensor)))  # a shape error comes first
        error, message = refusal
        raise error(message.format(dtype=dtype.legacy_name))


def accepts(op, operands=1):
    """Decorate the function of ``op``: its first ``operands`` arguments are checked against the table."""

    def decorate(fn):
        @functools.wraps(fn)
        def checked(*args, **kwargs):
            check(op, *args[:operands])
            return fn(*args, **kwargs)

        return checked

    return decorate
