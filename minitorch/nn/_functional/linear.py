"""``F.linear``, ``F.dropout`` / ``F.dropout2d``, ``F.embedding`` and ``F.one_hot``."""

from __future__ import annotations

import math
import warnings

from ... import ops
from ..._dtypes import float64
from ...autograd.function import Function
from ...ops._util import wrap, wrap_row_major
from ...ops.linalg import addmm  # not ops.addmm: its out= wrapper is one more frame per Linear


def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: ``weight`` is ``(out_features, in_features)``.

    >>> import minitorch as torch
    >>> torch.nn.functional.linear(torch.ones(2, 3), torch.ones(4, 3)).shape
    torch.Size([2, 4])
    """
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.dim()}D and "
                           f"{weight.dim()}D")
    if bias is None:
        return input.matmul(weight.t())
    if input.dim() == 2:
        return addmm(bias, input, weight.t())  # bias + input @ weight.T in one op
    if not input.is_contiguous():  # as torch: no 2-D view of its rows without a copy
        return input.matmul(weight.t()) + bias
    # other shapes: one matrix product on the rows of a 2-D view, then the batch shape back
    rows = math.prod(input.shape[:-1])  # not -1: it is ambiguous when the last dim is empty
    out = addmm(bias, input.reshape(rows, input.shape[-1]), weight.t())
    return out.view(*input.shape[:-1], weight.shape[0])


# ---- dropout ------------------------------------------------------------------------------------------

_SELU_NEGATIVE_LIMIT = 1.7580993408473766  # -(SELU's limit at -inf): alpha dropout's "dropped" value is minus this


def _dropout(input, p, training, inplace, feature=False, alpha=False):
    """Zero entries of ``input`` with probability ``p`` and scale the survivors by ``1 / (1 - p)``, so
    the expected value is unchanged (``feature``: whole channels ``input[n, c]`` at once).

    The mask is torch's, draw for draw: entry ``i`` is kept where the ``i``-th float64 uniform (in
    ``input``'s memory order) is below ``1 - p``; so the same seed drops the same entries as in torch,
    and with ``p`` 0 or 1 (nothing to draw) no random number is used up.

    ``alpha`` (for SELU networks): dropped entries get SELU's negative limit instead of 0, and an
    affine map ``a * x + b`` keeps the mean 0 and variance 1 (torch's constants)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:  # all dropped; a multiplication all the same (NaN stays NaN, and the graph records it)
        zero = ops.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input * zero
    if feature and input.dim() < 2:  # checked only now, as torch does
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if feature:  # one draw per channel
        u = ops.rand(tuple(input.shape[:2]) + (1,) * (input.dim() - 2), dtype=float64, device=input.device)
    else:
        u = ops.rand_like(input, dtype=float64)
    if not input.dtype.is_floating_point:  # torch fails here too, after it has drawn its mask
        raise RuntimeError(f"result type Float can't be cast to the desired output type {input.dtype.legacy_name}")
    keep = (u < 1.0 - p).to(input.dtype)
    if not alpha:
        mask = keep / (1.0 - p)
        return input.mul_(mask) if inplace else input * mask
    a = 1.0 / math.sqrt((_SELU_NEGATIVE_LIMIT ** 2 * p + 1) * (1 - p))
    shift = (keep - 1) * (_SELU_NEGATIVE_LIMIT * a) + _SELU_NEGATIVE_LIMIT * a * p  # torch's order of operations
    mask = keep * a
    return (input.mul_(mask) if inplace else input * mask).add_(shift)


def dropout(input, p=0.5, training=True, inplace=False):
    """During training, zero each element with probability ``p`` and scale the rest by ``1/(1-p)``.

    >>> import minitorch as torch
    >>> _ = torch.manual_seed(0)
    >>> torch.nn.functional.dropout(torch.ones(2, 3), p=0.5)   # the same entries as torch drops
    tensor([[0., 0., 2.],
            [0., 0., 0.]])
    """
    return _dropout(input, p, training, inplace)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: keeps mean 0 and variance 1 (note: ``training=False`` by default, as in torch)."""
    return _dropout(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """``alpha_dropout`` of whole channels ``input[n, c]``."""
    return _dropout(input, p, training, inplace, feature=True, alpha=True)


def _check_channel_input(name, input, p, spatial_dims):
    """torch's checks for ``dropout1d/2d/3d``: ``p``, then the input's rank (``spatial_dims`` spatial
    dims, a channel dim, an optional batch dim): dropout1d refuses another rank, the others warn."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if input.dim() in (spatial_dims + 1, spatial_dims + 2):
        return
    note = (f"Note that {name} exists to provide channel-wise dropout on inputs with {spatial_dims} spatial "
            f"dimension{'s' if spatial_dims > 1 else ''}, a channel dimension, and an optional batch dimension "
            f"(i.e. {spatial_dims + 1}D or {spatial_dims + 2}D inputs).")
    if spatial_dims == 1:
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. {note}")
    warnings.warn(f"{name}: Received a {input.dim()}-D input to {name}, which is deprecated and will result in an "
                  f"error in a future release. To retain the behavior and silence this warning, please use dropout "
                  f"instead. {note}", stacklevel=3)


def _unbatched_channel_dropout(input, p, training, inplace, batched):
    """Channel dropout of one sample: a batch of 1 for the mask's sake (dropout1d and dropout3d)."""
    if batched:
        return _dropout(input, p, training, inplace, feature=True)
    input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = _dropout(input, p, training, inplace, feature=True)
    return result.squeeze_(0) if inplace else result.squeeze(0)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of ``(N, C, L)`` or ``(C, L)`` inputs with probability ``p``."""
    _check_channel_input("dropout1d", input, p, 1)
    return _unbatched_channel_dropout(input, p, training, inplace, batched=input.dim() == 3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels (``input[n, c]``) with probability ``p``; scale the rest by ``1/(1-p)``.
    A 3-D input is read as ``(N, C, L)`` (torch's historical behaviour, with its warning)."""
    _check_channel_input("dropout2d", input, p, 2)
    if input.dim() == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
                      "will change in a future release to interpret the input as one without a batch dimension, i.e. "
                      "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
                      "dropout1d instead.", stacklevel=2)
    return _dropout(input, p, training, inplace, feature=True)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` inputs with probability ``p``."""
    _check_channel_input("dropout3d", input, p, 3)
    return _unbatched_channel_dropout(input, p, training, inplace, batched=input.dim() == 5)


# ---- embedding ----------------------------------------------------------------------------------------

class Embedding(Function):
    """``weight[indices]``: one row of the table per index."""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.save_for_backward(indices)
        ctx.args = (weight.shape[0], padding_idx, scale_grad_by_freq)
        return wrap(weight._backend.xp.take(weight._array, indices._array, axis=0), weight.device)

    @staticmethod
    def backward(ctx, grad):
        (indices,) = ctx.saved_tensors
        return EmbeddingGrad.apply(grad, indices, *ctx.args), None, None, None


class EmbeddingGrad(Function):
    """d loss / d weight of an embedding: each position's gradient is added to its index's row
    (rows used twice get both). ``padding_idx``'s row gets nothing; with ``scale_grad_by_freq``
    each contribution is divided by how often its index occurs in the batch."""

    backward_name = "EmbeddingDenseBackward0"

    @staticmethod
    def forward(ctx, grad, indices, num_embeddings, padding_idx, scale_grad_by_freq):
        xp = grad._backend.xp
        idx = indices._array.ravel()
        scale = xp.ones(idx.shape, dtype=grad._array.dtype)
        if scale_grad_by_freq:
            scale = scale / xp.bincount(idx, minlength=num_embeddings)[idx]
        if padding_idx is not None:
            scale = scale * (idx != padding_idx)
        ctx.save_for_backward(indices)
        ctx.scale = wrap(scale.reshape(indices.shape + (1,)), grad.device)
        dim = grad.shape[-1]
        rows = grad._array.reshape(-1, dim) * scale[:, None]
        # a scatter-add of rows, vectorised: the flat position of (index, column) in the table
        flat = (idx[:, None] * dim + xp.arange(dim)).ravel()
        table = xp.bincount(flat, weights=rows.ravel(), minlength=num_embeddings * dim)
        return wrap(table.reshape(num_embeddings, dim).astype(grad._array.dtype, copy=False), grad.device)

    @staticmethod
    def backward(ctx, ggw):
        (indices,) = ctx.saved_tensors
        return Embedding.apply(ggw, indices, None, False) * ctx.scale, None, None, None, None


def _renorm_rows(weight, indices, max_norm, norm_type):
    """``max_norm``: rescale (in place) the looked-up rows whose norm exceeds ``max_norm``."""
    xp = weight._backend.xp
    rows = xp.unique(indices._array)
    norms = xp.linalg.norm(weight._array[rows], ord=norm_type, axis=1)
    factor = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    weight._array[rows] *= factor[:, None].astype(weight._array.dtype)
    weight._bump_version()  # an in-place change, like torch's embedding_renorm_


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False):
    """Look up rows of ``weight`` (``(num_embeddings, embedding_dim)``) for integer ``input``:
    the output has shape ``input.shape + (embedding_dim,)``."""
    if input.dtype.name not in ("int64", "int32"):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.type()} instead (while checking arguments for embedding)")
    if input.numel() and (int(input.min()) < 0 or int(input.max()) >= weight.shape[0]):
        raise IndexError("index out of range in self")
    if padding_idx is not None:
        if not -weight.shape[0] <= padding_idx < weight.shape[0]:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= weight.shape[0]
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    return Embedding.apply(weight, input, padding_idx, scale_grad_by_freq)


def one_hot(tensor, num_classes=-1):
    """``(..., num_classes)`` int64 tensor with a 1 at each index (``-1``: ``max + 1`` classes).

    >>> import minitorch as torch
    >>> torch.nn.functional.one_hot(torch.tensor([1, 2]))
    tensor([[0, 1, 0],
            [0, 0, 1]])
    """
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    xp, idx = tensor._backend.xp, tensor._array
    if num_classes == -1:
        if tensor.numel() == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if tensor.numel() and int(idx.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if tensor.numel() and int(idx.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return wrap_row_major((idx[..., None] == xp.arange(num_classes)).astype(xp.int64), tensor.device)  # as torch's


__all__ = ["linear", "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
           "embedding", "one_hot"]
