"""Small helpers shared by the ops: operand preparation, wrapping results, dim handling."""

from __future__ import annotations

from .. import _dtypes, _strides
from .._tensor import Tensor


def wrap(array, device):
    """A new tensor owning a backend array that an op computed."""
    return Tensor._wrap(array, device)


def check_devices(*tensors):
    """torch's error when tensors of one op live on different devices (0-d CPU tensors are fine)."""
    devices = {t.device for t in tensors if isinstance(t, Tensor) and (t.is_cuda or t._shape)}
    if len(devices) > 1:
        a, b = sorted(devices, key=str, reverse=True)[:2]
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two devices, {a} and {b}!")


def operands(a, b, dtype=None):
    """Backend arrays of ``a`` and ``b`` cast to the promoted (or given) dtype.

    Python numbers stay python numbers: numpy treats them as "weak", like torch does.
    Returns ``(xa, xb, xp, device, dtype)``.
    """
    ta = a if isinstance(a, Tensor) else b
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        check_devices(a, b)
        if a._shape != b._shape:
            _strides.broadcast_shapes(a._shape, b._shape)  # torch's message, not numpy's
        if a.is_cuda != b.is_cuda:  # a 0-d CPU tensor used with a cuda tensor
            ta = a if a.is_cuda else b
    dtype = dtype or _dtypes.result_type(a, b)
    return _as(a, dtype, ta), _as(b, dtype, ta), ta._backend.xp, ta.device, dtype


def _as(x, dtype, like):
    if not isinstance(x, Tensor):
        return x.item() if hasattr(x, "item") else x
    arr = x._array
    if x.device != like.device:
        arr = like._backend.asarray(x._backend.to_numpy(arr))
    return arr if arr.dtype == dtype.np else arr.astype(dtype.np)


def float_array(t):
    """``t``'s array, promoted to the default float dtype when it is an integer/bool tensor."""
    arr = t._array
    return arr if t.dtype.is_floating_point else arr.astype(_dtypes.get_default_dtype().np)


def dims_arg(dim, ndim):
    """Normalise ``dim`` (None, an int, or a sequence) to a sorted tuple of non-negative dims."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    return tuple(sorted(_strides.normalize_dim(d, ndim) for d in dim))


def size_args(size):
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` (and ``torch.Size``)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = s.item()
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"size must be a sequence of ints, but got {type(s).__name__}")
        out.append(int(s))
    return tuple(out)
