"""Indexing with tensors: ``x[idx]``, ``x[mask] = 0``, gather/scatter, index_select, masked ops.

Two ``Function``s do all the work; the other ops only build their index and check arguments:

* ``Index``: ``x[index]`` where ``index`` is a tuple of integer arrays and full slices - numpy's
  advanced indexing, which follows the same rules as torch's. The result is a copy.
  Backward: scatter-add the gradient into zeros of ``x``'s shape (a repeated index accumulates).
* ``IndexPut``: a copy of ``x`` with values written (or added) at ``index``. Backward: the
  gradient of the values is ``grad[index]`` - an ``Index`` - so both are differentiable twice.

``x[1, :, idx]`` is applied like torch does it: first the ints, slices and ``None`` (a view,
see ``shape.getitem``), then the index arrays on that view. So ints never count as advanced
indices (numpy would move ``x[1, :, [0, 1]]``'s index dim to the front; torch does not).
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtypes, _strides
from .._tensor import _C_TYPE_NAMES, Tensor
from ..autograd.function import Function
from ._util import check_devices, type_name, wrap

# ---- the two core Functions ----------------------------------------------------------------


class Index(Function):
    """``x[index]`` for a tuple of integer arrays and ``slice(None)``: a new (contiguous) tensor.

    >>> import minitorch as torch
    >>> torch.tensor([10., 20., 30.])[[2, 0, 2]]
    tensor([30., 10., 30.])
    """

    @staticmethod
    def forward(ctx, x, index):
        ctx.in_shape, ctx.index = x._shape, index
        return wrap(x._backend.xp.asarray(x._array[index], order="C"), x.device)

    @staticmethod
    def backward(ctx, grad):
        # every read of x[i] sends its gradient back to i: duplicates add up
        return IndexPut.apply(grad.new_zeros(ctx.in_shape), ctx.index, grad, True), None


class IndexPut(Function):
    """A copy of ``x`` with ``values`` written at ``index`` (added there if ``accumulate``).

    d/dx is ``grad`` with the overwritten cells zeroed (all of it when accumulating);
    d/dvalues is ``grad[index]`` (the engine sums it back to a broadcast ``values``' shape).
    """

    @staticmethod
    def forward(ctx, x, index, values, accumulate):
        ctx.index, ctx.accumulate = index, accumulate
        xp = x._backend.xp
        out = x._array.copy(order="C")
        if accumulate:
            xp.add.at(out, index, values._array)  # unlike out[index] += v, repeats add up
        else:
            out[index] = values._array
        return wrap(out, x.device)

    @staticmethod
    def backward(ctx, grad):
        grad_x = grad_values = None
        if ctx.needs_input_grad[0]:
            grad_x = grad if ctx.accumulate else IndexPut.apply(grad, ctx.index, grad.new_zeros(()), False)
        if ctx.needs_input_grad[2]:
            grad_values = Index.apply(grad, ctx.index)
        return grad_x, None, grad_values, None


# ---- from a torch index to (view, array index) ---------------------------------------------------

def _index_item(item, x):
    """One item of an index as an int, slice, None, Ellipsis, python bool, or a backend array
    (int64 positions or a bool mask) - always a fresh array, so later writes to a user's index
    tensor cannot change what backward uses."""
    if item is None or item is Ellipsis or isinstance(item, slice):
        return item
    if isinstance(item, (bool, np.bool_)):
        return bool(item)
    if isinstance(item, (int, np.integer)):
        return int(item)
    if isinstance(item, Tensor):
        if item.dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if item.dtype is _dtypes.uint8:
            warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                          "torch.bool instead.", UserWarning, stacklevel=5)
            item = item != 0
        arr = item._array if item.device == x.device else x._backend.asarray(item._backend.to_numpy(item._array))
    else:  # a list or a numpy array
        arr = x._backend.asarray(item)
        if isinstance(item, (list, tuple)) and arr.dtype.kind == "f":
            arr = arr.astype(np.int64)  # torch truncates float lists (x[[0.5]] is x[[0]]); [] is float
        if arr.dtype.kind not in "biu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if arr.ndim == 0:  # a 0-d tensor is a plain int or bool
        return bool(arr) if arr.dtype.kind == "b" else int(arr)
    return arr.copy() if arr.dtype.kind == "b" else arr.astype(np.int64)


def _dims_used(item):
    """How many dims of the indexed tensor an item consumes."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, (int, slice)):
        return 1
    return item.ndim if item.dtype.kind == "b" else 1


def _split(x, items):
    """Split a torch index into ``(view, index)``: ``view`` applies the ints, slices and None
    (torch does those first), ``index`` is the array index for ``view`` (None if there is none)."""
    from .shape import getitem

    items = list(map(_index_item, items, (x,) * len(items)))  # (no comprehension frame: warning stacklevel)
    if sum(i is Ellipsis for i in items) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = sum(_dims_used(i) for i in items)
    if consumed > x.dim():
        raise IndexError(f"too many indices for tensor of dimension {x.dim()}")
    basic, arrays = [], []  # arrays: (dim of the view, array)
    for item in items:
        view_dim = sum(not isinstance(b, int) for b in basic)
        if item is Ellipsis:
            basic += [slice(None)] * (x.dim() - consumed)
        elif isinstance(item, bool):  # x[True] adds a dim and picks [0] from it (False: [])
            arrays.append((view_dim, x._backend.xp.arange(int(item))))
            basic.append(None)
        elif item is None or isinstance(item, (int, slice)):
            basic.append(item)
        else:
            arrays.append((view_dim, item))
            basic += [slice(None)] * _dims_used(item)
    view = x if all(b == slice(None) for b in basic) else getitem(x, tuple(basic))
    return view, (_array_index(view.shape, arrays) if arrays else None)


def _array_index(shape, arrays):
    """The numpy index for a tensor of ``shape``: masks become their ``nonzero()`` positions
    (as in torch), positions are bounds-checked, untouched dims get ``slice(None)``."""
    index = [slice(None)] * len(shape)
    count = 0  # torch numbers the index tensors in its out-of-bounds message
    for dim, arr in arrays:
        if arr.dtype.kind == "b":
            for j, n in enumerate(arr.shape):
                if n != shape[dim + j]:
                    raise IndexError(f"The shape of the mask {list(arr.shape)} at index {j} does not match the "
                                     f"shape of the indexed tensor {list(shape)} at index {dim + j}")
            for j, positions in enumerate(arr.nonzero()):
                index[dim + j] = positions
            count += arr.ndim
        else:
            _check_bounds(arr, -shape[dim], shape[dim], lambda i, n=count, size=shape[dim]: IndexError(
                f"index {i} is out of bounds for dimension {n} with size {size}"))
            index[dim] = arr
            count += 1
    shapes = [i.shape for i in index if not isinstance(i, slice)]
    try:
        _strides.broadcast_shapes(*shapes)
    except RuntimeError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                         + ", ".join(str(list(s)) for s in shapes)) from None
    return tuple(index)


def _check_bounds(arr, low, high, error):
    """Raise ``error(i)`` for the first position ``i`` of ``arr`` outside ``[low, high)``."""
    bad = (arr < low) | (arr >= high)
    if bad.any():
        raise error(int(arr[bad].reshape(-1)[0]))


def _indexed_shape(shape, index):
    """The shape of ``x[index]``: the broadcast shape of the index arrays takes the place of the
    dims they index when those are next to each other, and goes first when they are not.

    >>> import numpy as np
    >>> _indexed_shape((2, 3, 4), (slice(None), np.array([0, 1]))), _indexed_shape((2, 3, 4), (np.array([0]), slice(None), np.array([0])))
    ((2, 2, 4), (1, 3))
    """
    dims = [d for d, i in enumerate(index) if not isinstance(i, slice)]
    arrays = _strides.broadcast_shapes(*(index[d].shape for d in dims))
    if dims == list(range(dims[0], dims[-1] + 1)):
        return tuple(shape[:dims[0]]) + arrays + tuple(shape[dims[-1] + 1:])
    return arrays + tuple(n for d, n in enumerate(shape) if d not in dims)


def _as_values(x, values, cast=False):
    """``values`` for writing into ``x``: numbers are cast to ``x``'s dtype; tensors must match it
    (unless ``cast``: torch fills a boolean mask with one value of any dtype)."""
    if not isinstance(values, Tensor):
        if not isinstance(values, (int, float, bool)):
            raise TypeError(f"can't assign a {type_name(values)} to a {x.type()}")
        return x.new_tensor(values)
    if values.dtype is not x.dtype and cast:
        values = values.to(x.dtype)
    if values.dtype is not x.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got {x.dtype.legacy_name} "
                           f"for the destination and {values.dtype.legacy_name} for the source.")
    return values if values.device == x.device else values.to(x.device)


# ---- x[index], x[index] = v --------------------------------------------------------------------

def advanced_getitem(x, index):
    """``x[index]`` when the index holds tensors, lists, arrays or bools (a copy, not a view).

    >>> import minitorch as torch
    >>> x = torch.arange(6).view(2, 3)
    >>> x[x > 2], x[:, [2, 0]]
    (tensor([3, 4, 5]), tensor([[2, 0],
            [5, 3]]))
    """
    view, array_index = _split(x, index)
    return view if array_index is None else Index.apply(view, array_index)


def index_put_(input, indices, values, accumulate=False):
    """Write ``values`` at ``input[indices]`` in place (add them if ``accumulate``); ``x[idx] = v``.

    >>> import minitorch as torch
    >>> torch.zeros(3).index_put_((torch.tensor([0, 0]),), torch.tensor(1.), accumulate=True)
    tensor([2., 0., 0.])
    """
    from .inplace import apply_inplace, check_overlap, copy_

    check_overlap(input, "index_put_")
    indices = tuple(indices)
    one_mask = len(indices) == 1 and isinstance(indices[0], Tensor) and indices[0].dtype is _dtypes.bool_
    view, array_index = _split(input, indices)
    values = _as_values(view, values, cast=one_mask and isinstance(values, Tensor) and values.numel() == 1)
    if array_index is None:  # only ints/slices after all (e.g. numpy ints): a plain view write
        copy_(view, values)
        return input
    target = _indexed_shape(view.shape, array_index)
    extra = values.dim() - len(target)
    if extra > 0 and all(n == 1 for n in values.shape[:extra]):  # torch drops leading 1s: x[i] = v[None]
        values = values.reshape(values.shape[extra:])
    fits = values.dim() <= len(target) and all(v in (1, t) for v, t in zip(values.shape[::-1], target[::-1]))
    if not fits:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast "
                           f"to indexing result of shape {list(target)}")
    apply_inplace(view, IndexPut.apply(view, array_index, values, accumulate), cast_ok=True)
    return input


def index_put(input, indices, values, accumulate=False):
    """Out-of-place :func:`index_put_`: a copy of ``input`` with ``values`` put at ``indices``."""
    return index_put_(input.clone(), indices, values, accumulate)


# ---- gather / scatter: one index per output element ------------------------------------------------


class Gather(Index):
    """``out[i][j] = x[i][index[i][j]]`` (for dim=1)."""


class Scatter(IndexPut):
    """``out[i][index[i][j]] = src[i][j]`` (for dim=1)."""


class ScatterValue(Scatter):
    backward_name = "ScatterBackward1"  # torch numbers the value overload separately


class ScatterAdd(IndexPut):
    """``out[i][index[i][j]] += src[i][j]`` (for dim=1)."""


def _along(dim, index):
    """The array index that reads ``x[i][index[i][j]][k]`` (for dim=1): ``index`` on ``dim``, and on
    every other dim the position itself (an arange shaped to broadcast)."""
    xp, ndim = index._backend.xp, index.dim()
    return tuple(index._array.astype(np.int64) if d == dim else xp.arange(n).reshape((n,) + (1,) * (ndim - d - 1))
                 for d, n in enumerate(index.shape))


def _lift(t):
    """gather/scatter treat a 0-d tensor as a 1-element vector, like torch."""
    return t.reshape(1) if t.dim() == 0 else t


def _check_along(name, input, dim, index, src=None):
    """torch's argument checks of gather/scatter; returns ``dim`` made non-negative."""
    check_devices(input, index, src)
    dim = _strides.normalize_dim(dim, input.dim())
    if index.dtype not in (_dtypes.int32, _dtypes.int64):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype is not input.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if max(index.dim(), 1) != max(input.dim(), 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           + ("input tensor" if name == "gather" else "self tensor"))
    index_shape, self_shape = _lift(index).shape, _lift(input).shape
    too_big = [d for d, n in enumerate(index_shape) if d != dim and n > self_shape[d]]
    if too_big and name == "gather":
        raise RuntimeError(f"Size does not match at dimension {too_big[0]} expected index {list(index.shape)} "
                           f"to be no larger than self {list(input.shape)} apart from dimension {dim}")
    if too_big or (src is not None and any(n > m for n, m in zip(index_shape, _lift(src).shape))):
        raise RuntimeError(f"Expected index {list(index.shape)} to be no larger than self {list(input.shape)} apart "
                           f"from dimension {dim}" + (f" and to be no larger size than src {list(src.shape)}" if src is not None else ""))
    _check_bounds(index._array, 0, self_shape[dim], lambda i: RuntimeError(
        f"index {i} is out of bounds for dimension {dim} with size {self_shape[dim]}"))
    return dim


def _leading(src, index):
    """The block of ``src`` that scatter reads: its first ``index.shape`` elements in every dim."""
    src, shape = _lift(src), _lift(index).shape
    return src if src.shape == shape else src[tuple(slice(0, n) for n in shape)]


def gather(input, dim, index, *, sparse_grad=False):
    """Pick one element along ``dim`` for every entry of ``index``: ``out[i][j] = input[i][index[i][j]]``.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]).gather(1, torch.tensor([[0, 0], [1, 0]]))
    tensor([[1, 1],
            [4, 3]])
    """
    dim = _check_along("gather", input, dim, index)
    out = Gather.apply(_lift(input), _along(dim, _lift(index)))
    return out if index.dim() else out.reshape(())


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """Write ``src`` (or a number ``value``) along ``dim`` at ``index``: ``out[i][index[i][j]] = src[i][j]``.

    ``reduce='add'`` / ``'multiply'`` combine instead of overwriting (not differentiable).

    >>> import minitorch as torch
    >>> torch.zeros(2, 3).scatter(1, torch.tensor([[2], [0]]), 1.0)
    tensor([[0., 0., 1.],
            [1., 0., 0.]])
    """
    if src is not None and not isinstance(src, Tensor):  # scatter(dim, index, 2.5): the number overload
        src, value = None, src
    dim = _check_along("scatter", input, dim, index, src)
    values = input.new_tensor(value) if src is None else _leading(src, index)
    where, x = _along(dim, _lift(index)), _lift(input)
    if reduce is not None:
        out = _scatter_reduce(x, where, values, reduce)
    else:
        out = (ScatterValue if src is None else Scatter).apply(x, where, values, False)
    return out if input.dim() else out.reshape(())


def _scatter_reduce(x, where, values, reduce):
    """``scatter(..., reduce=)``: combine the values into ``x`` with add or multiply (no autograd)."""
    if reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    xp = x._backend.xp
    out = x._array.copy(order="C")
    getattr(xp, reduce if reduce == "add" else "multiply").at(out, where, values._array)
    return wrap(out, x.device)


def scatter_add(input, dim, index, src):
    """Add ``src`` along ``dim`` at ``index``; repeated positions add up.

    >>> import minitorch as torch
    >>> torch.zeros(3).scatter_add(0, torch.tensor([0, 0, 2]), torch.tensor([1., 2., 3.]))
    tensor([3., 0., 3.])
    """
    dim = _check_along("scatter", input, dim, index, src)
    out = ScatterAdd.apply(_lift(input), _along(dim, _lift(index)), _leading(src, index), True)
    return out if input.dim() else out.reshape(())


# ---- whole slices along one dim ---------------------------------------------------------------


class IndexSelect(Index):
    """``x.index_select(dim, idx)``: the slices ``idx`` along ``dim``."""


class IndexAdd(IndexPut):
    """``x.index_add(dim, idx, src)``: slice ``src[j]`` added to slice ``idx[j]`` of ``x``."""


class IndexFill(IndexPut):
    """``x.index_fill(dim, idx, value)``: the slices ``idx`` along ``dim`` set to ``value``."""


class IndexFillTensor(IndexFill):
    backward_name = "IndexFillBackward1"


def _slices_at(dim, positions):
    """The array index of the slices at ``positions`` (an array) along ``dim``."""
    return (slice(None),) * dim + (positions.reshape(-1).astype(np.int64),)


def index_select(input, dim, index):
    """The slices at positions ``index`` (a vector) along ``dim``, in that order.

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2, 3], [4, 5, 6]]).index_select(1, torch.tensor([2, 0]))
    tensor([[3, 1],
            [6, 4]])
    """
    check_devices(input, index)
    dim = _strides.normalize_dim(dim, input.dim())
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if not input._shape and index.numel() != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {index.numel()} value(s)")
    if not input._shape:
        return index_select(input.reshape(1), 0, index.reshape(1)).reshape(())
    if index.dtype not in (_dtypes.int32, _dtypes.int64):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    size = input.shape[dim]
    _check_bounds(index._array, 0, size, lambda i: RuntimeError(f"INDICES element is out of DATA bounds, id={i} axis_dim={size}"))
    return IndexSelect.apply(input, _slices_at(dim, index._array))


def index_add(input, dim, index, source, *, alpha=1):
    """Add ``alpha * source``'s slices into the slices ``index`` along ``dim`` (repeats add up)."""
    check_devices(input, index, source)
    dim = _strides.normalize_dim(dim, input.dim())
    if index.dtype not in (_dtypes.int32, _dtypes.int64):
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {index.dtype.legacy_name}")
    if index.dim() > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: {index.dim()} with type: "
                         f"{index.dtype.legacy_name} and size: {list(index.shape)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_add_(): self ({input.dtype.legacy_name}) and source ({source.dtype.legacy_name}) must have the same scalar type")
    if source.dim() and index.numel() != source.shape[dim]:
        raise RuntimeError(f"index_add_(): Number of indices ({index.numel()}) should be equal to source.size(dim): "
                           f"({source.shape[dim]}), for dim: {dim}")
    if source.shape[:dim] + source.shape[dim + 1:] != input.shape[:dim] + input.shape[dim + 1:]:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}")
    _check_bounds(index._array, 0, input.shape[dim], lambda i: IndexError("index out of range in self"))
    return IndexAdd.apply(input, _slices_at(dim, index._array), source if alpha == 1 else source * alpha, True)


def index_fill(input, dim, index, value):
    """Set the slices ``index`` along ``dim`` to ``value`` (a number or a 0-d tensor)."""
    check_devices(input, index, value)
    dim = _strides.normalize_dim(dim, input.dim())
    if index.dtype is not _dtypes.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if isinstance(value, Tensor) and value.dim():
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.dim()} dimension(s).")
    size = input.shape[dim]
    _check_bounds(index._array, -size, size, lambda i: IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}"))
    # filling twice changes nothing: each slice once, so a tensor value gets one gradient per slice
    where = _slices_at(dim, input._backend.xp.unique(index._array % size))
    if isinstance(value, Tensor):
        return IndexFillTensor.apply(input, where, value.to(input.dtype), False)
    return IndexFill.apply(input, where, input.new_tensor(value), False)


class Take(Index):
    """``x.take(idx)``: elements of the flattened ``x``."""


def take(input, index):
    """Elements of ``input`` seen as 1-D, at ``index`` (the result has ``index``'s shape).

    >>> import minitorch as torch
    >>> torch.tensor([[1, 2], [3, 4]]).take(torch.tensor([3, 0]))
    tensor([4, 1])
    """
    check_devices(input, index)
    if index.dtype is not _dtypes.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {index.dtype.legacy_name}")
    n = input.numel()
    _check_bounds(index._array, -n, n, lambda i: IndexError(f"out of range: tried to access index {i} on a tensor of {n} elements."))
    return Take.apply(input.reshape(-1), (index._array.astype(np.int64),))


# ---- masks ------------------------------------------------------------------------------------


class MaskedFill(Function):
    """``value`` where ``mask`` is True, else ``x`` (``mask`` and ``x`` broadcast)."""

    @staticmethod
    def forward(ctx, x, mask, value):
        xp = x._backend.xp
        ctx.save_for_backward(mask)
        fill = value._array if isinstance(value, Tensor) else value
        out = xp.where(mask._array, fill, x._array).astype(x.dtype.np, copy=False)
        return wrap(xp.asarray(out, order="C"), x.device)

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        grad_value = grad.masked_fill(~mask, 0).sum() if ctx.needs_input_grad[2] else None
        return grad.masked_fill(mask, 0), None, grad_value


class MaskedFillTensor(MaskedFill):
    backward_name = "MaskedFillBackward1"  # the 0-d tensor value overload


def masked_fill(input, mask, value):
    """``input`` with ``value`` where the bool ``mask`` is True.

    >>> import minitorch as torch
    >>> x = torch.tensor([1., -2., 3.])
    >>> x.masked_fill(x < 0, 0.)
    tensor([1., 0., 3.])
    """
    check_devices(input, mask, value)
    if mask.dtype is not _dtypes.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {_C_TYPE_NAMES[mask.dtype.name]}")
    _strides.broadcast_shapes(mask.shape, input.shape)
    if isinstance(value, Tensor):
        if value.dim():
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.dim()} dimension(s).")
        return MaskedFillTensor.apply(input, mask, value)
    return MaskedFill.apply(input, mask, value)


class MaskedSelect(Index):
    """``x.masked_select(mask)``: the elements where ``mask`` is True, as a 1-D tensor."""


def masked_select(input, mask):
    """The elements of ``input`` where the bool ``mask`` (broadcast with it) is True, in a 1-D tensor.

    >>> import minitorch as torch
    >>> x = torch.tensor([[1, -2], [-3, 4]])
    >>> x.masked_select(x > 0)
    tensor([1, 4])
    """
    check_devices(input, mask)
    if mask.dtype is not _dtypes.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _strides.broadcast_shapes(mask.shape, input.shape) or (1,)  # the result is 1-D even for 0-d inputs
    positions = input._backend.xp.broadcast_to(mask._array, shape).nonzero()
    return MaskedSelect.apply(input.expand(shape) if input.shape != shape else input, positions)


def nonzero(input, *, as_tuple=False):
    """Positions of the nonzero elements: an ``(n, input.dim())`` int64 tensor, or (``as_tuple``)
    one 1-D tensor per dim - what ``x[x.nonzero(as_tuple=True)]`` needs.

    >>> import minitorch as torch
    >>> torch.tensor([[0, 5], [7, 0]]).nonzero()
    tensor([[0, 1],
            [1, 0]])
    """
    xp = input._backend.xp
    positions = xp.nonzero(xp.atleast_1d(input._array))  # a 0-d tensor counts as one element
    if as_tuple:
        return tuple(wrap(p.astype(np.int64), input.device) for p in positions)
    if input.dim() == 0:
        return wrap(xp.zeros((positions[0].shape[0], 0), dtype=np.int64), input.device)
    # torch stores the result column by column (strides (1, n)); stacking then transposing does too
    return wrap(xp.stack(positions).astype(np.int64).T, input.device)


def argwhere(input):
    """Same as ``input.nonzero()``."""
    return nonzero(input)


__all__ = """gather scatter scatter_add index_select index_add index_fill index_put index_put_ take
    masked_fill masked_select argwhere""".split()
METHODS = __all__
INPLACE = "scatter scatter_add index_add index_fill masked_fill".split()
