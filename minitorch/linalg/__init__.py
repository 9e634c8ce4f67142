"""``torch.linalg``: norms of vectors and matrices (the decompositions are not part of minitorch).

>>> import minitorch as torch
>>> torch.linalg.vector_norm(torch.tensor([3., 4.]))
tensor(5.)
"""

from __future__ import annotations

from ..ops import reduce as _reduce
from ..ops._kernels import check as _check_kernel


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The ``ord``-norm of ``x`` seen as a vector (all elements, or over ``dim``): ``sum(|x|**ord) **
    (1/ord)``; ``inf``/``-inf`` give the largest/smallest ``|x|``, ``0`` the number of nonzeros."""
    _check_kernel("vector_norm", x)
    return _reduce.norm(x, ord, dim, keepdim, dtype=dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """The Frobenius norm of (a batch of) matrices (the only matrix norm without decompositions)."""
    if ord != "fro":
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    return vector_norm(A, 2, dim, keepdim, dtype=dtype)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """``vector_norm`` for vectors (or a given int ``dim``), Frobenius ``matrix_norm`` for matrices."""
    if ord is None and (dim is None or isinstance(dim, int)):
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if ord == "fro" or (ord is None and len(dim) == 2):
        return matrix_norm(A, "fro", dim if dim is not None else (-2, -1), keepdim, dtype=dtype)
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)


__all__ = ["vector_norm", "matrix_norm", "norm"]
