"""The Tensor: a flat storage seen through shape, strides and an offset (+ autograd fields).

Only metadata, conversions and printing live here. Every computation is an op in
``minitorch/ops`` (an autograd ``Function``); ``ops/__init__.py`` attaches them as methods.
"""

from __future__ import annotations

import math
import warnings

from . import _dtypes, _strides, _tensor_str
from ._device import CPU, as_device
from .autograd.function import accumulator_of, add_hook
from .backends import backend_for


_CPU_BACKEND = backend_for(CPU)


class Size(tuple):
    """``torch.Size``: a tuple of ints that prints as ``torch.Size([2, 3])``.

    Slicing, ``+`` and ``*`` give a ``Size`` again, as in torch.
    """

    def __new__(cls, sizes=()):
        sizes = [s.__index__() if hasattr(s, "_shape") and not s.dtype.is_floating_point else s for s in sizes]
        for i, s in enumerate(sizes):
            if not isinstance(s, int):
                raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')")
        return tuple.__new__(cls, sizes)

    def __repr__(self):
        return f"torch.Size({list(self)})"

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return _size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        return _size(tuple(self) + tuple(other))

    def __radd__(self, other):
        return _size(tuple(other) + tuple(self))

    def __mul__(self, times):
        return _size(tuple(self) * times)

    __rmul__ = __mul__

    def numel(self):
        return math.prod(self)


# C++ type names (typeid) that torch's messages use for dtypes.
_C_TYPE_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int", "int32": "int",
                 "int64": "long int", "float16": "c10::Half", "float32": "float", "float64": "double"}


def _size(shape):
    """A ``Size`` from a tuple already known to hold ints (skips the checks: shape is hot)."""
    return tuple.__new__(Size, shape)


def _address(array):
    """Memory address of a backend array's first element (numpy or CuPy)."""
    if hasattr(array, "__array_interface__"):
        return array.__array_interface__["data"][0]
    return array.data.ptr


class _StorageView:
    """Common part of ``TypedStorage`` / ``UntypedStorage``: a flat 1-D array shared with tensors."""

    def __init__(self, array, dtype, device):
        self._array, self.dtype, self.device = array, dtype, device

    def __len__(self):
        return self._array.shape[0]

    def size(self):
        return len(self)

    def __getitem__(self, i):
        return self._array[i].item()

    def __setitem__(self, i, value):
        self._array[i] = value

    def __iter__(self):
        return iter(self.tolist())

    def tolist(self):
        return backend_for(self.device).to_numpy(self._array).tolist()

    def data_ptr(self):
        return _address(self._array)

    def nbytes(self):
        return self._array.nbytes

    def element_size(self):
        return self.dtype.itemsize

    def _format(self, summary):
        """torch's layout: one value per line, then the summary line."""
        values = " " + "\n ".join(str(v) for v in self.tolist())
        return f"{values}\n[{summary} of size {len(self)}]"


class TypedStorage(_StorageView):
    """What ``tensor.storage()`` returns: the flat values shared by a tensor and its views.

    >>> import minitorch as torch
    >>> list(torch.arange(4).view(2, 2).t().storage())
    [0, 1, 2, 3]
    """

    def __repr__(self):
        return self._format(f"torch.storage.TypedStorage(dtype={self.dtype}, device={self.device})")


class UntypedStorage(_StorageView):
    """What ``tensor.untyped_storage()`` returns: the same memory as bytes (``size()`` counts bytes)."""

    def __init__(self, array, device):
        super().__init__(array.view("uint8"), _dtypes.uint8, device)

    def __repr__(self):
        return self._format(f"torch.storage.UntypedStorage(device={self.device})")


class Tensor:
    """A multi-dimensional array with PyTorch's semantics.

    ``minitorch.Tensor(2, 3)`` is the legacy constructor (an uninitialised float tensor);
    ``minitorch.Tensor([1, 2])`` copies data as float32. Prefer ``minitorch.tensor(...)``.
    """

    __array_priority__ = 1000  # numpy scalars on the left defer to Tensor's reflected ops

    # Defaults of the fields most tensors never change. Every op makes a tensor, so they live
    # on the class: an instance stores them only where they differ (a view's base, an op result's
    # grad_fn...), which makes creating a tensor cheaper.
    _base = None
    _backend = _CPU_BACKEND
    _cached_array = None
    _requires_grad_flag = False
    _node = None
    _output_nr = 0
    _grad = None
    _view_version = 0  # a view's version when its history was last set (see _refresh_view_history)
    _multi_output_view = None  # the op (Split, Unbind) that made this view among others: see check_not_a_leaf

    # ---- construction ------------------------------------------------------------------
    def __new__(cls, *args, device=None):
        return _legacy(cls, _dtypes.get_default_dtype(), args, device)

    @classmethod
    def _make(cls, storage, shape, strides, offset, dtype, device, base=None, version_box=None):
        """A tensor over ``storage`` (1-D backend array) - the one place tensors are born."""
        t = object.__new__(cls)
        t._storage, t._shape, t._strides, t._offset = storage, shape, strides, offset
        t.dtype, t.device = dtype, device
        if device is not CPU:
            t._backend = backend_for(device)
        t._version_box = version_box if version_box is not None else [0]
        if base is not None:
            t._base, t._view_version = base, t._version_box[0]
        return t

    @classmethod
    def _wrap(cls, array, device):
        """A new tensor owning ``array`` (a backend result). Keeps numpy's memory layout
        when it is a permutation of row-major (as PyTorch keeps the input's layout)."""
        dtype = _dtypes.from_numpy_dtype(array.dtype)
        shape = array.shape
        if array.flags.c_contiguous:  # the common case: numpy made a fresh row-major array
            strides = _strides.contiguous_strides(shape)
            storage = array if len(shape) == 1 else array.reshape(-1)  # 1-D: already flat, no new view
            if not shape:  # numpy gives 0-d results as read-only scalars (np.float32): keep an array
                array = storage.reshape(())
        else:
            itemsize = array.itemsize
            strides = tuple(s // itemsize for s in array.strides)
            order = sorted(range(array.ndim), key=lambda d: -array.strides[d])
            dense = array.transpose(order)
            if min(strides, default=1) >= 0 and dense.flags.c_contiguous:
                storage = dense.reshape(-1)
            else:
                array = array.copy()
                storage, strides = array.reshape(-1), _strides.contiguous_strides(shape)
        t = cls._make(storage, shape, strides, 0, dtype, device)
        t._cached_array = array
        return t

    def _view(self, shape, strides, offset):
        """A new tensor sharing this storage (the result of every view op); ``shape`` and
        ``strides`` are tuples."""
        base = self._base if self._base is not None else self
        t = Tensor._make(self._storage, shape, strides, offset, self.dtype, self.device,
                         base=base, version_box=self._version_box)
        if self._multi_output_view:
            t._multi_output_view = self._multi_output_view
        return t

    @property
    def _array(self):
        """This tensor's elements as a backend array view (cached: views are cheap but not free)."""
        a = self._cached_array
        if a is None:
            # an empty view may start past the end of its storage (x[:0, 1] of a (0, 3) tensor):
            # it reads nothing, so it starts at 0 (numpy and CuPy refuse the real offset)
            offset = self._offset if 0 not in self._shape else 0
            a = self._cached_array = self._backend.strided_view(self._storage, self._shape, self._strides, offset)
        return a

    def _set_geometry(self, storage, shape, strides, offset, dtype=None, device=None):
        """In-place metadata change (``t_``, ``squeeze_``, ``.data = ...``, ``set_``)."""
        self._storage, self._shape, self._strides, self._offset = storage, tuple(shape), tuple(strides), offset
        if dtype is not None:
            self.dtype = dtype
        if device is not None:
            self.device, self._backend = device, backend_for(device)
        self._cached_array = None

    # ---- metadata ----------------------------------------------------------------------
    @property
    def shape(self):
        return _size(self._shape)

    def _dim_arg(self, dim, name):
        """Check a dim argument of ``size(dim)`` / ``stride(dim)`` like torch does."""
        if not isinstance(dim, int) or isinstance(dim, bool):
            raise TypeError(f"{name}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}")
        if not self._shape:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return _strides.normalize_dim(dim, len(self._shape))

    def size(self, dim=None):
        """The shape (``torch.Size``), or the size of one dim."""
        if dim is None:
            return _size(self._shape)
        return self._shape[self._dim_arg(dim, "size")]

    def dim(self):
        return len(self._shape)

    ndim = property(dim)

    def ndimension(self):
        return self.dim()

    def numel(self):
        return math.prod(self._shape)

    nelement = numel

    def stride(self, dim=None):
        """Steps in the storage (in elements) to move by one along each dim."""
        if dim is None:
            return self._strides
        return self._strides[self._dim_arg(dim, "stride")]

    def storage_offset(self):
        return self._offset

    def is_contiguous(self, memory_format=None):
        return _strides.is_contiguous(self._shape, self._strides)

    def storage(self):
        """The flat storage of values (shared with every view), as ``torch.TypedStorage``."""
        return TypedStorage(self._storage, self.dtype, self.device)

    def untyped_storage(self):
        """The same storage seen as bytes."""
        return UntypedStorage(self._storage, self.device)

    def data_ptr(self):
        return _address(self._storage) + self._offset * self.dtype.itemsize

    def element_size(self):
        return self.dtype.itemsize

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self.numel() * self.dtype.itemsize

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def is_leaf(self):
        return self.grad_fn is None

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def get_device(self):
        return -1 if self.device.type == "cpu" else self.device.index

    @property
    def _version(self):
        return self._version_box[0]

    def _bump_version(self):
        self._version_box[0] += 1

    def type(self, dtype=None, non_blocking=False):
        """``type()`` names the legacy class (``torch.LongTensor``); ``type(dtype)`` converts
        (``type("torch.cuda.FloatTensor")`` also moves the tensor)."""
        if dtype is None:
            cuda = ".cuda" if self.is_cuda else ""
            return f"torch{cuda}.{self.dtype.legacy_name}Tensor"
        if isinstance(dtype, str):
            name = dtype.removeprefix("torch.")
            on_cuda = name.startswith("cuda.")
            legacy = name.removeprefix("cuda.").removesuffix("Tensor")
            match = [d for d in _dtypes.ALL if d.legacy_name == legacy]
            if not (dtype.startswith("torch.") and dtype.endswith("Tensor") and match):
                raise ValueError(f"invalid type: '{dtype}'")
            return self.to("cuda" if on_cuda else "cpu", match[0])
        return self.to(dtype)

    def is_complex(self):
        return False

    def is_signed(self):
        return self.dtype.is_signed

    is_sparse = is_quantized = is_meta = is_mps = False
    layout = _dtypes.strided

    @property
    def H(self):
        """The conjugate transpose of a matrix (for real tensors: ``x.T``)."""
        from .ops.shape import H_property

        return H_property(self)

    @property
    def mH(self):
        """The conjugate transpose of (a batch of) matrices (for real tensors: ``x.mT``)."""
        from .ops.shape import mH_property

        return mH_property(self)

    def dim_order(self):
        """Dims from outermost to innermost in memory (largest stride first)."""
        return tuple(reversed(_strides.layout_order(self._shape, [self._strides])))

    def is_shared(self):
        return False

    # ---- autograd fields ----------------------------------------------------------------
    # A view's history describes its base as it was: after an in-place change of the base (or of
    # another view of it) the view reads through the base's NEW history, as torch's views do
    # (``AsStridedBackward0``). The version counter they share says when that happened, so the
    # view's ``grad_fn`` / ``_requires_grad`` are refreshed lazily, when next read.
    @property
    def grad_fn(self):
        if self._base is not None and self._view_version != self._version_box[0]:
            self._refresh_view_history()
        return self._node

    @grad_fn.setter
    def grad_fn(self, node):
        self._node = node
        if self._base is not None:
            self._view_version = self._version_box[0]

    def _set_history(self, node, output_nr):
        """Make this tensor output ``output_nr`` of ``node`` (what recording an op does): the
        ``_requires_grad`` and ``grad_fn`` setters in one call."""
        self._requires_grad_flag, self._node, self._output_nr = True, node, output_nr
        if self._base is not None:
            self._view_version = self._version_box[0]

    @property
    def _requires_grad(self):
        if self._base is not None and self._view_version != self._version_box[0]:
            if self._multi_output_view and self._base._requires_grad_flag:
                return True  # its history cannot be rebuilt (grad_fn raises), but it does require grad
            self._refresh_view_history()
        return self._requires_grad_flag

    @_requires_grad.setter
    def _requires_grad(self, value):
        self._requires_grad_flag = value

    def _refresh_view_history(self):
        """This view's base changed in place since its history was set: read through the base's
        current history (a no-op when the base does not require grad). One of several views an op
        returned cannot: it raises, every time it is used (as in torch)."""
        if self._base._requires_grad_flag and self._multi_output_view:
            raise RuntimeError(
                f"Output {self._output_nr} of {self._multi_output_view} is a view and its base or another view "
                "of its base has been modified inplace. This view is the output of a function that returns multiple "
                "views. Such functions do not allow the output views to be modified inplace. You should replace the "
                "inplace operation by an out-of-place one.")
        self._view_version = self._version_box[0]
        if self._base._requires_grad_flag:
            from .ops.inplace import view_of_base

            self._node, self._output_nr, self._requires_grad_flag = view_of_base(self._base, self), 0, True

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if value and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        if not value and self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad=True):
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self):
        if self._grad is None and self.grad_fn is not None and not self.__dict__.get("_retains_grad"):
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed want "
                "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
                "non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf "
                "Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information.",
                UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_C_TYPE_NAMES[value.dtype.name]}' to a tensor with "
                    f"grad_dtype '{self.dtype.legacy_name}'. The gradient must match the tensor's grad_dtype (defaults to "
                    "the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None to "
                    "allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may "
                    "break downstream systems that assume they match.")
            if value._shape != self._shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._shape)}' to a tensor of size "
                    f"'{list(self._shape)}'. Please ensure that the gradient and the tensor are the same size")
        self._grad = value

    @property
    def output_nr(self):
        """Which output of its ``grad_fn`` this tensor is (0 for leaves)."""
        return self._output_nr

    def _grad_accumulator(self):
        return accumulator_of(self)

    @property
    def retains_grad(self):
        return bool(self.__dict__.get("_retains_grad"))

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self.retains_grad:
            return
        import weakref

        node = self.grad_fn
        node._retained = node._retained or {}
        node._retained[self._output_nr] = weakref.ref(self)
        self.__dict__["_retains_grad"] = True

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor replaces it."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            node = self.grad_fn
            node._tensor_hooks = node._tensor_hooks or {}
            hooks = node._tensor_hooks.setdefault(self._output_nr, {})
        else:
            hooks = self.__dict__.setdefault("_hooks", {})
        return add_hook(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(self)`` each time backward has added into this leaf's ``.grad``
        (``DistributedDataParallel`` starts averaging a gradient as soon as it is ready this way)."""
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        return add_hook(self.__dict__.setdefault("_post_accumulate_grad_hooks", {}), hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute d(self)/d(leaf) for every leaf that requires grad, adding into ``leaf.grad``."""
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        """A tensor sharing this storage but cut from the graph (``requires_grad=False``). As in
        torch it is not a view for autograd (in-place writes to it do not touch the graph) but
        it shares the version counter (so a backward that saved these values notices them)."""
        return Tensor._make(self._storage, self._shape, self._strides, self._offset, self.dtype, self.device,
                            version_box=self._version_box)

    def detach_(self):
        """Cut this tensor from the graph in place: it becomes a leaf. Views refuse (as in torch):
        their history is tied to their base's."""
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) "
                "for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and "
                "hence detach_() cannot be called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        self.grad_fn, self._requires_grad = None, False
        return self

    @property
    def data(self):
        """The values without autograd history (a detached alias; PyTorch's ``.data``)."""
        alias = self.detach()
        alias._version_box = [0]  # changes through .data are invisible to autograd, as in torch
        return alias

    @data.setter
    def data(self, other):
        if not isinstance(other, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(other).__name__}")
        if self._requires_grad and not other.dtype.is_floating_point:
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or complex dtype")
        self._set_geometry(other._storage, other._shape, other._strides, other._offset, other.dtype, other.device)

    # ---- conversion to python / numpy ----------------------------------------------------
    def item(self):
        """The single value as a python number."""
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        return self._array.reshape(-1)[0].item()

    def tolist(self):
        return self._backend.to_numpy(self._array).tolist()

    def numpy(self, *, force=False):
        """A numpy array sharing memory with this CPU tensor."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self.is_cuda:
            if not force:
                raise TypeError(
                    f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() to "
                    "copy the tensor to host memory first.")
            return self._backend.to_numpy(self._array)
        return self._array

    def __array__(self, dtype=None, copy=None):
        return self.numpy() if dtype is None else self.numpy().astype(dtype, copy=False)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """numpy functions applied to a tensor (``np.exp(t)``) return a tensor, as in torch."""
        from .ops.creation import from_numpy

        return from_numpy(array.astype("uint8") if array.dtype == bool else array)

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def _scalar(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __contains__(self, element):
        if not isinstance(element, (Tensor, int, float, bool)):
            raise RuntimeError(
                f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")
        return bool((self == element).any())

    def __reversed__(self):
        return self.flip(0) if self._shape else self

    def __index__(self):
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __format__(self, spec):
        if self.dim() == 0:  # f"{w.grad}" prints the number, as in torch
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    __hash__ = object.__hash__

    # ---- copying and pickling -----------------------------------------------------------
    _CORE = frozenset(("_storage", "_shape", "_strides", "_offset", "dtype", "device", "_backend", "_base",
                       "_version_box", "_cached_array", "_requires_grad_flag", "_node", "_output_nr", "_grad",
                       "_accumulator_ref", "_view_version", "_multi_output_view"))

    def __deepcopy__(self, memo):
        """A copy with its own storage; tensors copied together keep sharing theirs (via ``memo``)."""
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at "
                "the moment.  If you were attempting to deepcopy a module, this may be because of a "
                "torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001")
        import copy

        storage = memo.get(id(self._storage))
        if storage is None:
            storage = memo[id(self._storage)] = self._storage.copy()
        new = type(self)._make(storage, self._shape, self._strides, self._offset, self.dtype, self.device)
        new._requires_grad = self._requires_grad
        new._grad = copy.deepcopy(self._grad, memo)
        for key, value in self.__dict__.items():  # attributes of subclasses (nn.Parameter...)
            if key not in self._CORE:
                new.__dict__[key] = copy.deepcopy(value, memo)
        memo[id(self)] = new
        return new

    def __reduce_ex__(self, protocol):
        """Pickle a copy of the storage (as numpy) and the geometry. Like torch's pickling, each
        tensor gets its own storage back: views pickled together do not share memory afterwards."""
        storage = self._backend.to_numpy(self._storage).copy()
        return (_rebuild_tensor, (type(self), storage, self._shape, self._strides, self._offset,
                                  self.dtype.name, str(self.device), self._requires_grad))

    def __repr__(self, *, tensor_contents=None):
        tail = []
        if self.grad_fn is not None:
            tail.append(f"grad_fn=<{type(self.grad_fn).__name__}>")
        elif self.requires_grad:
            tail.append("requires_grad=True")
        values = self._backend.to_numpy(self._array)
        return _tensor_str.format_tensor(
            values, dtype_name=repr(self.dtype), default_dtype_name=repr(_dtypes.get_default_dtype()),
            device=str(self.device) if self.is_cuda else None, tail=tuple(tail))

    __str__ = __repr__

    # ---- devices -------------------------------------------------------------------------
    def new(self, *args, device=None):
        """Legacy ``x.new(2, 3)`` / ``x.new([1, 2])``: like ``Tensor(...)`` with x's dtype and device."""
        return _legacy(Tensor, self.dtype, args, device or self.device)

    def cpu(self, memory_format=None):
        return self.to("cpu")

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        return self.to(as_device("cuda" if device is None else device if not isinstance(device, int) else f"cuda:{device}"))


def _rebuild_tensor(cls, storage, shape, strides, offset, dtype_name, device, requires_grad):
    """The inverse of ``Tensor.__reduce_ex__`` (used by pickle)."""
    device = as_device(device)
    storage = backend_for(device).asarray(storage, device=device) if device.type != "cpu" else storage
    t = cls._make(storage, shape, strides, offset, _dtypes.to_dtype(dtype_name), device)
    t._requires_grad = requires_grad
    return t


def _legacy(cls, dtype, args, device):
    """``Tensor(2, 3)`` / ``Tensor(torch.Size([2, 3]))`` (uninitialised, sizes) or ``Tensor([1, 2])``
    (data) in ``dtype``; ``Tensor()`` is empty."""
    from .ops import creation

    if len(args) == 1 and not isinstance(args[0], (int, Size)):
        data = args[0]
        if isinstance(data, Tensor):
            return data.to(dtype)
        if not hasattr(data, "__len__"):
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
        t = creation.tensor(data, dtype=dtype, device=device)
    else:
        t = creation.empty(*(args or (0,)), dtype=dtype, device=device)
    if cls is not Tensor:
        t.__class__ = cls
    return t


def legacy_constructor(dtype, cuda=False):
    """``FloatTensor``, ``LongTensor``, ...: callables that build tensors of one dtype
    (with ``cuda``, ``torch.cuda.FloatTensor``...: on the GPU)."""

    def make(*args, device=None):
        if cuda:
            from . import cuda as gpu

            if not gpu.is_available():  # torch's error type (TypeError), with how to get a GPU backend
                raise TypeError(f"type torch.cuda.{make.__name__} not available. {gpu._GPU_HELP}")
            device = device or "cuda"
        return _legacy(Tensor, dtype, args, device)

    make.__name__ = make.__qualname__ = f"{dtype.legacy_name}Tensor"
    make.__doc__ = f"Legacy constructor: ``{make.__name__}(2, 3)`` (uninitialised) or ``{make.__name__}([1, 2])``."
    return make


def reset_grad(tensor, set_to_none=True):
    """Forget ``tensor.grad``: set it to None, or zero it in place cut from any graph.

    One definition for ``Module.zero_grad`` and ``Optimizer.zero_grad``."""
    if tensor.grad is None:
        return
    if set_to_none:
        tensor.grad = None
        return
    if tensor.grad.grad_fn is not None:
        tensor.grad.detach_()
    else:
        tensor.grad.requires_grad_(False)
    tensor.grad.zero_()
