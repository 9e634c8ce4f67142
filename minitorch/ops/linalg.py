"""Matrix products: ``matmul`` (with batching and broadcasting) and its special cases."""

from __future__ import annotations

from .. import _strides
from ..autograd.function import Function
from ._util import check_devices, wrap


def _matmul_shapes_error(a, b):
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[-2] if a.dim() > 1 else 1}x{a.shape[-1]} and {b.shape[-2] if b.dim() > 1 else b.shape[0]}x{b.shape[-1] if b.dim() > 1 else 1})")


class Matmul(Function):
    """``a @ b`` with numpy's matmul rules: 1-D operands are promoted and the extra dim removed,
    leading (batch) dims broadcast. d/da = grad @ b^T, d/db = a^T @ grad."""

    @staticmethod
    def forward(ctx, a, b):
        check_devices(a, b)
        if a.dtype is not b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a.dtype.name.replace('float32','float')} != {b.dtype.name.replace('float32','float')}")
        if a.dim() == 0 or b.dim() == 0:
            raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.dim()}D and {b.dim()}D")
        if a._shape[-1] != b._shape[-2 if b.dim() > 1 else 0]:
            raise _matmul_shapes_error(a, b)
        ctx.save_for_backward(a, b)
        return wrap(a._backend.xp.matmul(a._array, b._array), a.device)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a2 = a.unsqueeze(0) if a.dim() == 1 else a  # vectors as 1 x k / k x 1 matrices
        b2 = b.unsqueeze(-1) if b.dim() == 1 else b
        batch = _strides.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g = grad.reshape(batch + (a2.shape[-2], b2.shape[-1]))  # put the removed dims back
        grad_a = (g @ b2.mT) if ctx.needs_input_grad[0] else None
        grad_b = (a2.mT @ g) if ctx.needs_input_grad[1] else None
        # the engine sums broadcast batch dims away; only the vector dims need squeezing here
        if grad_a is not None and a.dim() == 1:
            grad_a = grad_a.squeeze(-2)
        if grad_b is not None and b.dim() == 1:
            grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b


class Dot(Matmul):
    """Dot product of two 1-D tensors (``w @ x`` for vectors)."""


class Mv(Matmul):
    """Matrix @ vector."""


class Mm(Matmul):
    """Matrix @ matrix (2-D only)."""


class Bmm(Matmul):
    """Batched matrix @ matrix (3-D only, equal batch sizes)."""


def matmul(input, other):
    """Matrix product with torch's rules for 1-D, 2-D and batched operands.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]) @ torch.tensor([[2, 2], [2, 2]])
    tensor([[ 6,  6],
            [14, 14]])
    """
    if input.dim() == 1 and other.dim() == 1:
        return dot(input, other)
    if input.dim() == 2 and other.dim() == 1:
        return Mv.apply(input, other)
    if input.dim() == 2 and other.dim() == 2:
        return Mm.apply(input, other)
    return Matmul.apply(input, other)


def dot(input, other):
    """Sum of elementwise products of two 1-D tensors of equal length."""
    if input.dim() != 1 or other.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {other.dim()}D tensors")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src [{other.shape[0]}] to have the same number of elements, but got {input.shape[0]} and {other.shape[0]} elements respectively")
    return Dot.apply(input, other)


def mm(input, mat2):
    """2-D matrix product (no broadcasting)."""
    if input.dim() != 2 or mat2.dim() != 2:
        raise RuntimeError(f"self must be a matrix" if input.dim() != 2 else "mat2 must be a matrix")
    return Mm.apply(input, mat2)


def bmm(input, mat2):
    """Batched product of ``(b, n, m)`` and ``(b, m, p)`` tensors."""
    if input.dim() != 3 or mat2.dim() != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor" if input.dim() != 3 else "batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    return Bmm.apply(input, mat2)


def mv(input, vec):
    """Matrix-vector product."""
    if input.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.dim()}, {vec.dim()}")
    return Mv.apply(input, vec)


__all__ = ["matmul", "dot", "mm", "bmm", "mv"]
METHODS = __all__
