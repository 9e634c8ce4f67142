"""View ops: new shape/strides/offset over the SAME storage, never a copy.

Each view op has a pure ``geometry(shape, strides, offset, *args)`` that computes the view's
metadata. Forward applies it to the tensor; the default backward applies it to a zero tensor
of the input's shape and writes the gradient there (``ViewScatter``).
"""

from __future__ import annotations

import math
import warnings

from .. import _dtypes, _strides
from .._tensor import Size, Tensor
from ..autograd import grad_mode
from ..autograd.engine import sum_to_shape
from ..autograd.function import Function
from ._util import require_dims, size_args, wrap


class ViewScatter(Function):
    """Zeros of ``shape`` with ``grad`` added at the cells a view with the given geometry
    (relative to a contiguous layout) covers. The backward of slicing-like views."""

    @staticmethod
    def forward(ctx, grad, shape, view_shape, view_strides, view_offset):
        ctx.geometry = (view_shape, view_strides, view_offset)
        xp, be = grad._backend.xp, grad._backend
        flat = xp.zeros(math.prod(shape), dtype=grad.dtype.np)
        if grad.numel() == 0:
            pass  # nothing to add (and the view may start past the end of an empty buffer)
        elif _strides.is_non_overlapping(view_shape, view_strides):
            be.strided_view(flat, view_shape, view_strides, view_offset)[...] = grad._array
        else:  # overlapping windows (unfold): every cell sums all windows that read it
            idx = view_offset + sum(xp.arange(n).reshape((-1,) + (1,) * (len(view_shape) - d - 1)) * s
                                    for d, (n, s) in enumerate(zip(view_shape, view_strides)))
            idx = xp.broadcast_to(idx, view_shape).reshape(-1)
            flat = xp.bincount(idx, weights=grad._array.reshape(-1), minlength=flat.size).astype(flat.dtype)
        return wrap(flat.reshape(shape), grad.device)

    @staticmethod
    def backward(ctx, grad):
        shape, strides, offset = ctx.geometry
        grad = grad.contiguous()  # may itself be a view: the geometry counts from its first element
        return grad.as_strided(shape, strides, grad.storage_offset() + offset), None, None, None, None


class ViewOp(Function):
    """Base of view ops: forward applies ``geometry`` to the input's metadata."""

    @classmethod
    def apply(cls, x, *args):
        # Short path (speed): a view that will not be recorded is only new metadata over the
        # same storage, so it is made here, without the node that ``Function.apply`` builds as
        # forward's ctx: ~1.5 us of a 4 us ``x.view(-1)``, and the ``.t()`` calls of backward.
        if cls.forward is ViewOp.forward and not (grad_mode._state["enabled"] and x._requires_grad):
            return x._view(*cls.geometry(x._shape, x._strides, x._offset, *args))
        return super().apply(x, *args)

    @staticmethod
    def forward(ctx, x, *args):
        ctx.in_shape, ctx.args = x._shape, args
        return x._view(*ctx._forward_cls.geometry(x._shape, x._strides, x._offset, *args))

    @staticmethod
    def backward(ctx, grad):
        shape = ctx.in_shape
        geometry = ctx._forward_cls.geometry(shape, _strides.contiguous_strides(shape), 0, *ctx.args)
        return (ViewScatter.apply(grad, shape, *geometry),) + (None,) * len(ctx.args)


class AsStrided(ViewOp):
    """Any geometry over the storage (``x.as_strided(size, stride, storage_offset)``)."""

    def geometry(shape, strides, offset, size, stride, storage_offset=None):
        return tuple(size), tuple(stride), offset if storage_offset is None else storage_offset


class Select(ViewOp):
    """``x[..., i, ...]`` along one dim: that dim disappears."""

    def geometry(shape, strides, offset, dim, index):
        return shape[:dim] + shape[dim + 1:], strides[:dim] + strides[dim + 1:], offset + index * strides[dim]


class Slice(ViewOp):
    """``x[..., start:stop:step, ...]`` along one dim (step > 0)."""

    def geometry(shape, strides, offset, dim, start, stop, step):
        size = max(0, (stop - start + step - 1) // step)
        return (shape[:dim] + (size,) + shape[dim + 1:], strides[:dim] + (strides[dim] * step,) + strides[dim + 1:],
                offset + start * strides[dim])


class Diagonal(ViewOp):
    """The diagonal of two dims (``offset`` above/below the main one) as a new last dim."""

    def geometry(shape, strides, offset, diag_offset, dim1, dim2):
        n = max(0, min(shape[dim1] - max(-diag_offset, 0), shape[dim2] - max(diag_offset, 0)))
        start = offset + (diag_offset * strides[dim2] if diag_offset >= 0 else -diag_offset * strides[dim1])
        keep = [d for d in range(len(shape)) if d not in (dim1, dim2)]
        return (tuple(shape[d] for d in keep) + (n,), tuple(strides[d] for d in keep) + (strides[dim1] + strides[dim2],),
                start if n else offset)


class Unfold(ViewOp):
    """Sliding windows of ``size`` every ``step`` along ``dim``, as a new last dim (may overlap)."""

    def geometry(shape, strides, offset, dim, size, step):
        count = (shape[dim] - size) // step + 1 if shape else 1
        new_shape = shape[:dim] + (count,) + shape[dim + 1:] + (size,) if shape else (size,)
        new_strides = strides[:dim] + (strides[dim] * step,) + strides[dim + 1:] + (strides[dim] if shape else 1,) if shape else (1,)
        return new_shape, new_strides, offset


class View(ViewOp):
    """Same elements, new shape - only when the strides allow it (else: use reshape)."""

    def geometry(shape, strides, offset, new_shape):
        new_strides = _strides.view_strides(shape, strides, new_shape)
        if new_strides is None:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        return new_shape, new_strides, offset

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class ReshapeAlias(View):
    """``reshape`` of a tensor that is not row-major but can still be viewed (``x[..., :1].flatten()``):
    the same view, named as torch names it (it calls ``_reshape_alias`` there)."""

    backward_name = "ReshapeAliasBackward0"


class UnsafeView(View):
    """``view`` of a copy that nobody else sees (``reshape`` of a non-viewable tensor): as in
    torch, the result is not a view of anything (``_base`` is None)."""

    @staticmethod
    def forward(ctx, x, new_shape):
        view = View.forward(ctx, x, new_shape)
        return Tensor._make(view._storage, view._shape, view._strides, view._offset, view.dtype, view.device,
                            version_box=x._version_box)


class Permute(ViewOp):
    """Reorder dims: ``x.permute(2, 0, 1)`` (the strides are reordered, no data moves)."""

    def geometry(shape, strides, offset, dims):
        return tuple(shape[d] for d in dims), tuple(strides[d] for d in dims), offset

    @staticmethod
    def backward(ctx, grad):
        (dims,) = ctx.args
        inverse = sorted(range(len(dims)), key=dims.__getitem__)
        return grad.permute(*inverse), None


class Transpose(ViewOp):
    """Swap two dims."""

    def geometry(shape, strides, offset, dim0, dim1):
        if not shape:  # a 0-d tensor's dims 0 and -1 name the tensor itself
            return shape, strides, offset
        shape, strides = list(shape), list(strides)
        shape[dim0], shape[dim1] = shape[dim1], shape[dim0]
        strides[dim0], strides[dim1] = strides[dim1], strides[dim0]
        return tuple(shape), tuple(strides), offset

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(*ctx.args), None, None


class T(ViewOp):
    """``x.t()``: transpose of a 2-D tensor; 0-D and 1-D tensors come back unchanged."""

    def geometry(shape, strides, offset):
        return tuple(reversed(shape)), tuple(reversed(strides)), offset

    @staticmethod
    def backward(ctx, grad):
        return grad.t()


class TInPlace(T):
    """``x.t_()``: torch names the in-place form's node TBackward1."""

    backward_name = "TBackward1"


class TransposeInPlace(Transpose):
    backward_name = "TransposeBackward1"


class Expand(ViewOp):
    """Broadcast size-1 dims to a larger size with stride 0: one cell read many times."""

    def geometry(shape, strides, offset, new_shape):
        new_strides = _strides.expand_strides(shape, strides, new_shape)
        extra = len(new_shape) - len(shape)
        return tuple(shape[i - extra] if s == -1 else s for i, s in enumerate(new_shape)), new_strides, offset

    @staticmethod
    def backward(ctx, grad):
        return sum_to_shape(grad, ctx.in_shape), None


class Squeeze(ViewOp):
    """Drop the given size-1 dims (``x.squeeze()``: all of them)."""

    def geometry(shape, strides, offset, dims):
        keep = [d for d in range(len(shape)) if not (d in dims and shape[d] == 1)]
        return tuple(shape[d] for d in keep), tuple(strides[d] for d in keep), offset

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class SqueezeDim(Squeeze):
    """``x.squeeze(dim)`` (torch names its node SqueezeBackward1)."""

    backward_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    """``x.squeeze((d0, d1))`` (SqueezeBackward2)."""

    backward_name = "SqueezeBackward2"


class SqueezeInPlace(Squeeze):
    """``x.squeeze_()`` (SqueezeBackward3; with a dim 4, with dims 5)."""

    backward_name = "SqueezeBackward3"


class SqueezeDimInPlace(Squeeze):
    backward_name = "SqueezeBackward4"


class SqueezeDimsInPlace(Squeeze):
    backward_name = "SqueezeBackward5"


class Unsqueeze(ViewOp):
    """Insert a size-1 dim at ``dim``."""

    def geometry(shape, strides, offset, dim):
        stride = strides[dim] * shape[dim] if dim < len(shape) else 1
        return shape[:dim] + (1,) + shape[dim:], strides[:dim] + (stride,) + strides[dim:], offset

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.args[0]), None


class UnsqueezeInPlace(Unsqueeze):
    backward_name = "UnsqueezeBackward1"


class Alias(ViewOp):
    """``x[...]``: the same tensor seen through a new object."""

    def geometry(shape, strides, offset):
        return shape, strides, offset

    @staticmethod
    def backward(ctx, grad):
        return grad


class MultiViewOp(Function):
    """An op returning several views at once (``unbind``, ``split``, ``chunk``). As in torch,
    those views may not be changed in place while autograd records (see ``check_not_a_leaf``)."""

    @staticmethod
    def forward(ctx, x, dim, *args):
        ctx.dim = dim
        views = tuple(x._view(*g) for g in ctx._forward_cls.geometries(x._shape, x._strides, x._offset, dim, *args))
        for v in views:
            v._multi_output_view = ctx._forward_cls.__name__  # named in torch's error messages
        return views


class Unbind(MultiViewOp):
    """All slices along ``dim`` at once (views); backward stacks their gradients back."""

    def geometries(shape, strides, offset, dim):
        return [Select.geometry(shape, strides, offset, dim, i) for i in range(shape[dim])]

    @staticmethod
    def backward(ctx, *grads):
        from .join import stack

        return stack(grads, ctx.dim), None


class Split(MultiViewOp):
    """Consecutive slices of the given ``sizes`` along ``dim``; backward concatenates their gradients."""

    def geometries(shape, strides, offset, dim, sizes):
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        return [Slice.geometry(shape, strides, offset, dim, s, s + n, 1) for s, n in zip(starts, sizes)]

    @staticmethod
    def backward(ctx, *grads):
        from .join import cat

        return cat(grads, ctx.dim), None, None


class SplitWithSizes(Split):
    """``split`` with a list of sizes (torch names this node SplitWithSizesBackward0)."""


# ---- the user-facing functions and methods -------------------------------------------------

def _dim(dim, x, extra=0):
    return _strides.normalize_dim(dim, x.dim() + extra)


def view(x, *shape):
    """Same storage, new shape (``-1`` is inferred); fails when the strides don't allow it.

    >>> import minitorch as torch
    >>> torch.arange(8).view(2, -1)
    tensor([[0, 1, 2, 3],
            [4, 5, 6, 7]])

    ``x.view(dtype)`` reads the same bytes as another dtype (``view_dtype``).
    """
    if len(shape) == 1 and isinstance(shape[0], _dtypes.dtype):
        return view_dtype(x, shape[0])
    return View.apply(x, _strides.infer_size(size_args(shape, "view"), x.numel()))


def view_dtype(x, dtype):
    """The same bytes read as ``dtype`` (no copy, no gradient). With a different element size
    the last dim shrinks or grows, so it must be contiguous (stride 1) and fit evenly."""
    old, new = x.dtype.itemsize, dtype.itemsize
    if old == new:
        storage, shape, strides, offset = x._storage.view(dtype.np), x._shape, x._strides, x._offset
    else:
        what = f"to view {x.dtype.legacy_name} as {dtype.legacy_name} (different element sizes)"
        if x.dim() == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if x._strides[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {x._strides[-1]}")
        ratio = max(old, new) // min(old, new)
        grow = old > new  # to a smaller element size: more elements per row
        checks = [("size(-1)", x._shape[-1]), ("storage_offset()", x._offset)]
        checks += [(f"stride({d})", st) for d, st in enumerate(x._strides[:-1])]
        for name, value in checks:
            if not grow and value % ratio:
                raise RuntimeError(f"self.{name} must be divisible by {ratio} {what}, but got {value}")
        scale = (lambda v: v * ratio) if grow else (lambda v: v // ratio)
        nbytes = x._storage.nbytes - x._storage.nbytes % new
        storage = x._storage.view("uint8")[:nbytes].view(dtype.np)
        shape = x._shape[:-1] + (scale(x._shape[-1]),)
        strides = tuple(scale(st) for st in x._strides[:-1]) + (1,)
        offset = scale(x._offset)
    base = x._base if x._base is not None else x
    return Tensor._make(storage, shape, strides, offset, dtype, x.device, base=base, version_box=x._version_box)


def reshape(x, *shape):
    """A view when possible, otherwise a contiguous copy."""
    shape = _strides.infer_size(size_args(shape, "reshape"), x.numel())
    if _strides.view_strides(x._shape, x._strides, shape) is None:
        return UnsafeView.apply(x.contiguous(), shape)
    return (View if x.is_contiguous() else ReshapeAlias).apply(x, shape)


def view_as(x, other):
    return view(x, other.shape)


def reshape_as(x, other):
    return reshape(x, other.shape)


def contiguous(x, memory_format=None):
    """``x`` itself if its layout is row-major already, else a row-major copy."""
    from .creation import contiguous_format
    from .pointwise import clone

    return x if x.is_contiguous() else clone(x, memory_format=contiguous_format)


def permute(x, *dims):
    """Reorder the dims (a view: only the shape and strides are reordered)."""
    dims = tuple(_dim(d, x) for d in size_args(dims, "permute", "dims"))
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    if len(dims) != x.dim():
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {x.dim()} is not equal to len(dims) = {len(dims)}")
    return Permute.apply(x, dims)


def transpose(x, dim0, dim1):
    return Transpose.apply(x, _dim(dim0, x), _dim(dim1, x))


swapaxes = swapdims = transpose


def _check_t(x, name):
    if x.dim() > 2:
        raise RuntimeError(f"{name}() expects a tensor with <= 2 dimensions, but self is {x.dim()}D")


def t(x):
    """Transpose of a 0-, 1- or 2-D tensor (no copy: only the strides swap)."""
    _check_t(x, "t")
    return T.apply(x)


def T_property(x):
    """``x.T``: all dims reversed."""
    return x.permute(*reversed(range(x.dim())))


def _matrices_only(x, name):
    if x.dim() < 2:
        raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. Got {x.dim()}-D tensor.")


def mT_property(x):
    """``x.mT``: the last two dims swapped (a batch of transposed matrices)."""
    if not x._shape:
        warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
                      UserWarning, stacklevel=3)
        return x
    _matrices_only(x, "mT")
    return x.transpose(-2, -1)


def adjoint(x):
    """The conjugate transpose of the last two dims; for real tensors the same as ``x.mT``."""
    _matrices_only(x, "adjoint()")
    return x.transpose(-2, -1)


def mH_property(x):
    _matrices_only(x, "mH")
    return x.transpose(-2, -1)


def H_property(x):
    """``x.H``: the conjugate transpose of a matrix (for real tensors: ``x.T``)."""
    if x.dim() != 2:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {x.dim()}-D tensor.")
    return x.transpose(0, 1)


def movedim(x, source, destination):
    """Move dims ``source`` to positions ``destination``; the others keep their order."""
    source = [source] if isinstance(source, int) else list(source)
    destination = [destination] if isinstance(destination, int) else list(destination)
    if len(source) != len(destination):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({source} dims) should contain "
                           f"the same number of dims as destination ({destination} dims)")
    source = [_dim(d, x) for d in source]
    destination = [_dim(d, x) for d in destination]
    for name, dims in (("source", source), ("destination", destination)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    order = [d for d in range(x.dim()) if d not in source]
    for dst, src in sorted(zip(destination, source)):
        order.insert(dst, src)
    return x.permute(*order)


moveaxis = movedim


def expand(x, *sizes):
    """Show size-1 dims as larger without copying (stride 0)."""
    sizes = size_args(sizes, "expand")
    if len(sizes) < x.dim():
        raise RuntimeError(
            f"expand({x.type()}{{{list(x.shape)}}}, size={list(sizes)}): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({x.dim()})")
    return Expand.apply(x, sizes)


def expand_as(x, other):
    return expand(x, other.shape)


def broadcast_to(x, shape):
    return expand(x, tuple(shape))


def broadcast_shapes(*shapes):
    """The shape that tensors of the given shapes broadcast to.

    >>> import minitorch as torch
    >>> torch.broadcast_shapes((2, 1), (3,))
    torch.Size([2, 3])
    """
    shapes = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for index, shape in enumerate(shapes):
        for i in range(-1, -len(shape) - 1, -1):  # from the last dim, as torch checks them
            if shape[i] != 1 and result[i] != 1 and shape[i] != result[i]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {shape[i]} at {i}! Mismatching argument at "
                    f"index {index} had {shape}; but expected shape should be broadcastable to {result}")
            if shape[i] != 1:
                result[i] = shape[i]
    return Size(result)


def broadcast_tensors(*tensors):
    """Views of the tensors expanded to their common shape."""
    shape = _strides.broadcast_shapes(*(t._shape for t in tensors))
    return tuple(t if t._shape == shape else t.expand(shape) for t in tensors)  # torch returns those as they are


def _squeeze_dims(x, dim):
    """``squeeze``'s dims as a tuple, and which of its three forms (all dims, one, several) this is."""
    if dim is None:
        return tuple(range(x.dim())), 0
    form, dims = (1, (dim,)) if isinstance(dim, int) else (2, tuple(dim))
    return (tuple(_dim(d, x) for d in dims) if x.dim() else ()), form


def squeeze(x, dim=None):
    """Remove size-1 dims (all of them, or only those in ``dim``: an int or a tuple)."""
    dims, form = _squeeze_dims(x, dim)
    return (Squeeze, SqueezeDim, SqueezeDims)[form].apply(x, dims)


def unsqueeze(x, dim):
    """Insert a size-1 dim at ``dim`` (``-1`` = at the end)."""
    return Unsqueeze.apply(x, _dim(dim, x, extra=1))


# ---- in-place view changes: the tensor itself takes the new geometry --------------------------

def _become_view(x, op, *args):
    """``x.t_()``, ``x.squeeze_()``...: ``x`` takes the geometry of the view ``op`` makes of it
    and, when recording, that view's node as its history; the version goes up (as in torch)."""
    from .inplace import check_not_a_leaf

    check_not_a_leaf(x)
    view = op.apply(x, *args)
    node = view.grad_fn  # read before the version changes (a stale view would rebase itself)
    x._set_geometry(x._storage, view._shape, view._strides, view._offset)
    x._bump_version()
    if node is not None:
        x.grad_fn, x._output_nr = node, 0
    return x


def t_(x):
    """In-place :func:`t`."""
    _check_t(x, "t_")
    return _become_view(x, TInPlace)


def transpose_(x, dim0, dim1):
    """In-place :func:`transpose`."""
    return _become_view(x, TransposeInPlace, _dim(dim0, x), _dim(dim1, x))


def squeeze_(x, dim=None):
    """In-place :func:`squeeze`."""
    dims, form = _squeeze_dims(x, dim)
    return _become_view(x, (SqueezeInPlace, SqueezeDimInPlace, SqueezeDimsInPlace)[form], dims)


def unsqueeze_(x, dim):
    """In-place :func:`unsqueeze`."""
    return _become_view(x, UnsqueezeInPlace, _dim(dim, x, extra=1))


def flatten(x, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one (a view when possible)."""
    if x.dim() == 0:
        return x.reshape(1)
    start, end = _dim(start_dim, x), _dim(end_dim, x)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = x._shape[:start] + (math.prod(x._shape[start:end + 1]),) + x._shape[end + 1:]
    return x if shape == x._shape else x.reshape(shape)


def unflatten(x, dim, sizes):
    """Split one dim into ``sizes`` (one of them may be -1)."""
    dim = _dim(dim, x)
    sizes = tuple(sizes)
    try:
        sizes = _strides.infer_size(sizes, x._shape[dim])
    except RuntimeError:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({x._shape[dim]}) in the input tensor") from None
    return x.view(x._shape[:dim] + sizes + x._shape[dim + 1:])


def narrow(x, dim, start, length):
    """``length`` elements of ``dim`` from ``start`` (a view)."""
    require_dims(x, "narrow")
    for name, value in (("start", start), ("length", length)):
        if not isinstance(value, int) and not (isinstance(value, Tensor) and not value.is_floating_point()):
            raise TypeError(f"narrow(): argument '{name}' must be int, not {type(value).__name__}")
    start, length, dim = int(start), int(length), _dim(dim, x)
    start = start + x._shape[dim] if start < 0 else start
    if not 0 <= start <= start + length <= x._shape[dim]:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({x._shape[dim]}).")
    return Slice.apply(x, dim, start, start + length, 1)


def select(x, dim, index):
    """The slice at ``index`` along ``dim``; that dim disappears (``x[:, 2]``)."""
    if x.dim() == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = _dim(dim, x)
    size = x._shape[dim]
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")
    return Select.apply(x, dim, index % size)


def unfold(x, dimension, size, step):
    """All windows of ``size`` taken every ``step`` along ``dimension``, as a new last dim."""
    dim = _dim(dimension, x) if x.dim() else 0
    length = x._shape[dim] if x.dim() else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {dim} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return Unfold.apply(x, dim, size, step)


def diagonal(x, offset=0, dim1=0, dim2=1):
    """The diagonal of dims ``dim1`` x ``dim2`` (a view)."""
    dim1, dim2 = _dim(dim1, x), _dim(dim2, x)
    if dim1 == dim2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(x, offset, dim1, dim2)


def as_strided(x, size, stride, storage_offset=None):
    return AsStrided.apply(x, tuple(size), tuple(stride), storage_offset)


def unbind(x, dim=0):
    """All slices along ``dim`` as a tuple of views."""
    if not x._shape:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return Unbind.apply(x, _dim(dim, x))


def split(x, split_size_or_sections, dim=0):
    """Views of ``split_size`` elements along ``dim`` (the last may be smaller), or of the given sizes."""
    require_dims(x, "split")
    dim = _dim(dim, x)
    n = x._shape[dim]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        sizes = [min(step, n - s) for s in range(0, n, step)] if n else [0]
        return Split.apply(x, dim, sizes)
    sizes = list(split_size_or_sections)
    if sum(sizes) != n:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {dim}), but got split_sizes={sizes}")
    return SplitWithSizes.apply(x, dim, sizes)


def chunk(x, chunks, dim=0):
    """At most ``chunks`` nearly equal views along ``dim``."""
    require_dims(x, "chunk")
    n = x._shape[_dim(dim, x)]
    return split(x, max(1, -(-n // chunks)), dim)


# ---- basic indexing --------------------------------------------------------------------------

def _is_basic(item):
    return item is None or item is Ellipsis or isinstance(item, slice) or (
        isinstance(item, int) and not isinstance(item, bool))


def index_items(index):
    """The items of ``x[index]``: a tuple's items, else the index alone - except that, like
    numpy once did, torch reads a short list holding lists, tensors, slices, ``None`` or ``...``
    as a tuple (``x[[0, slice(None)]]`` is ``x[0, :]``), with a deprecation warning."""
    if isinstance(index, tuple):
        return index
    if type(index) is list and len(index) < 32 and any(
            item is None or item is Ellipsis or isinstance(item, (Tensor, slice, list, tuple)) for item in index):
        warnings.warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in pytorch "
            "2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
            "x[torch.tensor(seq)], which will result either in an error or a different result", UserWarning,
            stacklevel=3)
        return tuple(index)
    return (index,)


def getitem(x, index, alias=True):
    """``x[index]``: ints, slices, ``None`` and ``...`` give views; tensors/lists/bools copy.
    An index that selects everything (``x[:, :]``, ``x[...]``) gives an alias of ``x`` - or, with
    ``alias=False`` (how ``x[:] = v`` writes), ``x`` itself, as torch's indexing does."""
    if type(index) is int and x._shape:  # the most common case, x[i]
        return select(x, 0, index)
    lone_slice = isinstance(index, slice)  # torch slices even when it is everything: x[:] is SliceBackward0
    index = index_items(index)
    index = tuple(i.item() if isinstance(i, Tensor) and i.dim() == 0 and not i.dtype.is_floating_point
                  and i.dtype.name != "bool" else i for i in index)
    for item in index:
        if isinstance(item, float):
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             f"valid indices (got {type(item).__name__})")
    if not all(_is_basic(i) for i in index):
        from .indexing import advanced_getitem

        return advanced_getitem(x, index)
    consumed = sum(1 for i in index if i is not None and i is not Ellipsis)
    if consumed > x.dim():
        if x.dim() == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {x.dim()}")
    out, dim = x, 0
    for item in index:
        if item is None:
            out = Unsqueeze.apply(out, dim)
            dim += 1
        elif item is Ellipsis:
            dim += x.dim() - consumed
        elif isinstance(item, slice):
            if item.step is not None and item.step <= 0:
                raise ValueError("slice step cannot be zero" if item.step == 0 else "step must be greater than zero")
            start, stop, step = item.indices(out._shape[dim])
            if lone_slice or (start, stop, step) != (0, out._shape[dim], 1):
                out = Slice.apply(out, dim, start, max(start, stop), step)
            dim += 1
        else:
            out = select(out, dim, item)
    return Alias.apply(x) if out is x and alias else out


__all__ = """reshape permute transpose swapaxes swapdims t adjoint movedim moveaxis expand broadcast_to
    broadcast_shapes broadcast_tensors squeeze unsqueeze flatten unflatten narrow select diagonal as_strided unbind
    split chunk""".split()
METHODS = [n for n in __all__ if n not in ("broadcast_shapes", "broadcast_tensors")] + """view view_as reshape_as
    contiguous expand_as unfold t_ transpose_ squeeze_ unsqueeze_""".split()
