"""CUDA backend: storage is a flat CuPy array on the GPU; convolutions run through cuDNN.

This module is imported on the first use of a cuda device (``backends.backend_for``), so
``import minitorch`` never loads CuPy. The ops do not change: they call ``xp`` (here ``cupy``,
which copies numpy's API) exactly as they call numpy on the CPU. Only what numpy cannot do for
us differs: where the bytes live, host <-> device copies, random numbers made on the device,
and the conv kernels, which cuDNN runs much faster than im2col.

One GPU at a time: CuPy runs every kernel on its *current* device (``minitorch.cuda.set_device``);
``asarray`` puts new data on the device a tensor asks for.
"""

from __future__ import annotations

import atexit
import gc

import numpy as np

from .. import cuda as _cuda
from . import cudnn as flags
from .conv import Kernels

try:
    import cupy
    import cupyx.scipy.special
except ImportError as error:
    raise RuntimeError(_cuda._GPU_HELP) from error
if not _cuda.is_available():
    raise RuntimeError(_cuda._GPU_HELP)

try:  # the cuDNN frontend is optional: without it convolutions use the im2col kernels below
    import cudnn
except Exception:  # noqa: BLE001 (a broken cuDNN install must not stop the GPU backend)
    cudnn = None

xp = cupy
name = "cuda"


def strided_view(storage, shape, strides, offset):
    """A CuPy array over ``storage`` with the given geometry (strides in elements, CuPy wants bytes)."""
    itemsize = storage.itemsize
    return cupy.ndarray(shape, storage.dtype, memptr=storage.data + offset * itemsize,
                        strides=tuple(s * itemsize for s in strides))


# torch's CUDA kernels accumulate float16 in float32, and float32 in float32 (the CPU's: float64)
ACCUMULATE = {np.dtype(np.float16): np.dtype(np.float32)}


def logcumsumexp(array, axis):
    """Running ``logaddexp`` along ``axis``: CuPy's ufuncs accumulate only add and multiply, so
    one ``logaddexp`` per step along the axis, into the same array."""
    out = cupy.moveaxis(array.astype(ACCUMULATE.get(array.dtype, array.dtype)), axis, 0)  # astype: a copy
    for k in range(1, out.shape[0]):
        cupy.logaddexp(out[k - 1], out[k], out=out[k])
    return cupy.moveaxis(out, 0, axis).astype(array.dtype)


def zero_where(mask, array):
    """``where(mask, 0, array)``: a GPU's where() does not branch per element (see the CPU's)."""
    return cupy.where(mask, 0, array).astype(array.dtype, copy=False)


def select(mask, a, b):
    """``where(mask, a, b)`` (see the CPU's)."""
    return cupy.where(mask, a, b)


def asarray(data, np_dtype=None, device=None):
    """Host data (lists, numbers, numpy arrays) copied onto ``device`` (default: the current GPU)."""
    index = device.index if device is not None and device.index is not None else _cuda.current_device()
    with cupy.cuda.Device(index):
        return cupy.asarray(data, dtype=np_dtype)


def to_numpy(array):
    """A numpy copy of a device array (waits for the GPU to finish writing it)."""
    return cupy.asnumpy(array)


def erf(x):
    return cupyx.scipy.special.erf(x)


class _Generator:
    """numpy-Generator method names over CuPy's cuRAND stream: random numbers made on the GPU.

    Same seed, same numbers (on the same GPU model) - but not the CPU generator's numbers,
    just as torch's cuda generator differs from its CPU one.
    """

    def __init__(self, seed):
        self._state = cupy.random.RandomState(seed)

    def random(self, size=None, dtype=np.float64):
        return self._state.random_sample(size, dtype=dtype)

    def standard_normal(self, size=None, dtype=np.float64):
        return self._state.standard_normal(size, dtype=dtype)

    def integers(self, low, high=None, size=None, wide=None):  # wide: the CPU stream's word size, unused here
        return self._state.randint(low, high, size=size, dtype=np.int64)

    def permutation(self, n):
        return self._state.permutation(n)


def new_generator(seed):
    """A fresh random stream on the GPU."""
    return _Generator(seed)


# ---- memory statistics (minitorch.cuda.max_memory_allocated) --------------------------------------
# CuPy keeps freed blocks in a pool (cheap re-allocation) but does not record its peak use, so every
# allocation goes through this thin wrapper around the pool, which notes the highest use seen.
pool = cupy.get_default_memory_pool()
peak_bytes = {}  # device index -> highest pool.used_bytes() seen since the last reset


def _malloc(nbytes):
    memptr = pool.malloc(nbytes)
    used = pool.used_bytes()
    if used > peak_bytes.get(memptr.device_id, 0):
        peak_bytes[memptr.device_id] = used
    return memptr


cupy.cuda.set_allocator(_malloc)


# ---- convolutions through cuDNN -------------------------------------------------------------------

def _packed(shape):
    """Row-major (NCHW) strides in elements: cuDNN is told every layout explicitly."""
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= n
    return strides[::-1]


class _ConvGraph:
    """One built cuDNN graph - ``fprop`` (y = x * w), ``dgrad`` (dx from dy, w) or ``wgrad``
    (dw from x, dy) - for fixed shapes, dtype and geometry. Building costs milliseconds,
    running it microseconds, so graphs are built once and kept (``CudnnKernels._graphs``).

    Groups need no argument: cuDNN reads them from the shapes (weight is ``(K, C/groups, R, S)``).
    Raises ``cudnn.cudnnGraphNotSupportedError`` when no cuDNN engine handles the problem.
    """

    def __init__(self, handle, op, a, b, out, stride, padding, dilation):
        self.handle = handle
        io = _CUDNN_TYPES[a.dtype]
        compute = cudnn.data_type.DOUBLE if a.dtype == np.float64 else cudnn.data_type.FLOAT
        g = cudnn.pygraph(io_data_type=io, intermediate_data_type=compute, compute_data_type=compute, handle=handle)
        self.a = g.tensor(name="A", dim=list(a.shape), stride=_packed(a.shape), data_type=io)
        self.b = g.tensor(name="B", dim=list(b.shape), stride=_packed(b.shape), data_type=io)
        geometry = dict(padding=list(padding), stride=list(stride), dilation=list(dilation), compute_data_type=compute)
        if op == "fprop":
            self.out = g.conv_fprop(image=self.a, weight=self.b, **geometry)
        elif op == "dgrad":
            self.out = g.conv_dgrad(loss=self.a, filter=self.b, **geometry)
        else:
            self.out = g.conv_wgrad(image=self.a, loss=self.b, **geometry)
        # Set the output's dims and strides: cuDNN would default to channels-last (NHWC) strides
        # and guess dgrad's spatial size wrongly when the stride does not divide it evenly.
        self.out.set_output(True).set_dim(list(out.shape)).set_stride(_packed(out.shape)).set_data_type(io)
        g.validate()
        g.build_operation_graph()
        g.create_execution_plans([cudnn.heur_mode.A, cudnn.heur_mode.FALLBACK])
        barred = []
        if a.dtype == np.float32 and not flags.allow_tf32:  # TF32 rounds float32 inputs to 10 mantissa bits
            barred += [cudnn.numerical_note.TENSOR_CORE, cudnn.numerical_note.DOWN_CONVERT_INPUTS]
        if flags.deterministic:  # e.g. wgrad engines that add partial sums with atomics
            barred.append(cudnn.numerical_note.NONDETERMINISTIC)
        if barred:
            g.deselect_numeric_notes(barred)
        g.check_support()
        self.graph = g
        if flags.benchmark:
            g.build_plans(cudnn.build_plan_policy.ALL)
            self._keep_fastest_plan(a, b, out)
        else:
            g.build_plans()  # the heuristics' first choice that builds
        self.workspace_bytes = g.get_workspace_size()

    def _pack(self, a, b, out):
        # Raw device pointers: handing CuPy arrays to the frontend would make it import torch.
        return {self.a: a.data.ptr, self.b: b.data.ptr, self.out: out.data.ptr}

    def _keep_fastest_plan(self, a, b, out):
        """``cudnn.benchmark = True``: time every plan cuDNN offers on these buffers, keep the fastest."""
        times = {}
        for index in range(self.graph.get_execution_plan_count()):
            try:
                workspace = _workspace(self.graph.get_workspace_size_plan_at_index(index))
                for _ in range(2):  # the first run warms up; the second is timed
                    start, end = cupy.cuda.Event(), cupy.cuda.Event()
                    start.record()
                    self.graph.execute_plan_at_index(self._pack(a, b, out), _ptr(workspace), index, handle=self.handle)
                    end.record()
                end.synchronize()
                times[index] = cupy.cuda.get_elapsed_time(start, end)
            except (cudnn.cudnnGraphNotSupportedError, RuntimeError, ValueError):
                continue  # excluded by a flag above, or not buildable for this problem
        if not times:
            raise cudnn.cudnnGraphNotSupportedError("no cuDNN plan could run")
        self.graph.build_plan_at_index(min(times, key=times.get))

    def __call__(self, a, b, out):
        cudnn.set_stream(self.handle, cupy.cuda.get_current_stream().ptr)  # run in CuPy's stream order
        workspace = _workspace(self.workspace_bytes)
        self.graph.execute(self._pack(a, b, out), _ptr(workspace), handle=self.handle)
        return out


def _workspace(nbytes):
    return cupy.empty(nbytes, dtype=cupy.uint8) if nbytes else None


def _ptr(array):
    return array.data.ptr if array is not None else 0  # cuDNN rejects an empty buffer, takes a null pointer


# The dtypes cuDNN convolves (compute in float32 for half, in float64 for double).
_CUDNN_TYPES = {} if cudnn is None else {
    np.dtype(np.float16): cudnn.data_type.HALF, np.dtype(np.float32): cudnn.data_type.FLOAT,
    np.dtype(np.float64): cudnn.data_type.DOUBLE}


def _for_cudnn(array):
    """A C-contiguous, 16-byte aligned array: the layout and alignment every cuDNN graph is built for."""
    if array.flags.c_contiguous and array.data.ptr % 16 == 0:
        return array
    return array.copy()


class CudnnKernels(Kernels):
    """The im2col kernels on CuPy arrays, with the three convolutions sent to cuDNN.

    Falls back to im2col when ``minitorch.backends.cudnn.enabled`` is False, when the cuDNN
    frontend is not installed, for dtypes cuDNN has no convolution for, and for problems no
    cuDNN engine accepts (with the current ``deterministic`` / ``allow_tf32`` flags).
    Pooling is inherited: im2col windows are as fast as a dedicated kernel for typical sizes.
    """

    def __init__(self):
        super().__init__(cupy)
        self._graphs = {}  # (op, shapes, dtype, geometry, device, flags) -> _ConvGraph, or None: use im2col
        self._handles = {}  # device index -> cuDNN handle

    def conv2d_forward(self, x, w, stride, padding, dilation, groups):
        n, _, h, wd = x.shape
        k, _, r, s = w.shape
        out_shape = (n, k, _out_size(h, r, stride[0], padding[0], dilation[0]),
                     _out_size(wd, s, stride[1], padding[1], dilation[1]))
        y = self._cudnn("fprop", x, w, out_shape, stride, padding, dilation)
        return super().conv2d_forward(x, w, stride, padding, dilation, groups) if y is None else y

    def conv2d_backward_input(self, gy, w, x_shape, stride, padding, dilation, groups):
        gx = self._cudnn("dgrad", gy, w, tuple(x_shape), stride, padding, dilation)
        return super().conv2d_backward_input(gy, w, x_shape, stride, padding, dilation, groups) if gx is None else gx

    def conv2d_backward_weight(self, x, gy, w_shape, stride, padding, dilation, groups):
        gw = self._cudnn("wgrad", x, gy, tuple(w_shape), stride, padding, dilation)
        return super().conv2d_backward_weight(x, gy, w_shape, stride, padding, dilation, groups) if gw is None else gw

    def _cudnn(self, op, a, b, out_shape, stride, padding, dilation):
        """Run ``op`` through a cached cuDNN graph; None when cuDNN cannot (the caller uses im2col)."""
        if not flags.enabled or a.dtype not in _CUDNN_TYPES or 0 in a.shape + b.shape + out_shape:
            return None
        a, b = _for_cudnn(a), _for_cudnn(b)
        out = cupy.empty(out_shape, dtype=a.dtype)
        device = cupy.cuda.runtime.getDevice()
        geometry = tuple(tuple(int(v) for v in g) for g in (stride, padding, dilation))
        key = (op, a.shape, b.shape, out_shape, a.dtype.str, geometry, device,
               flags.allow_tf32, flags.deterministic, flags.benchmark)
        if key not in self._graphs:
            try:
                self._graphs[key] = _ConvGraph(self._handle(device), op, a, b, out, *geometry)
            except (cudnn.cudnnGraphNotSupportedError, RuntimeError):
                self._graphs[key] = None  # remembered, so the next call goes straight to im2col
        graph = self._graphs[key]
        return None if graph is None else graph(a, b, out)

    def _handle(self, device):
        if device not in self._handles:
            with cupy.cuda.Device(device):
                self._handles[device] = cudnn.create_handle()
        return self._handles[device]

    def release(self):
        """Free the cached graphs and handles (run at exit: the cuDNN frontend's bindings print
        "leaked instance" warnings for every graph still alive when Python shuts down)."""
        self._graphs.clear()
        gc.collect()  # graphs hold reference cycles: free them before their handles
        for handle in self._handles.values():
            cudnn.destroy_handle(handle)
        self._handles.clear()


def _out_size(size, kernel, stride, padding, dilation):
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


kernels = CudnnKernels()
atexit.register(kernels.release)
