"""CPU backend: storage is a flat numpy array."""

from __future__ import annotations

import numpy as np

xp = np
name = "cpu"


def strided_view(storage, shape, strides, offset):
    """A numpy array over ``storage`` with the given geometry (strides in elements).

    Built with the ndarray constructor rather than ``as_strided``: ~10x cheaper per call.
    """
    itemsize = storage.itemsize
    return np.ndarray(shape, storage.dtype, buffer=storage, offset=offset * itemsize,
                      strides=tuple(s * itemsize for s in strides))


def asarray(data, np_dtype=None, device=None):
    """Host data (lists, numpy arrays, numbers) as a numpy array of ``np_dtype``."""
    return np.asarray(data, dtype=np_dtype)


def to_numpy(array):
    """A numpy view of a backend array (here: the array itself)."""
    return array


def new_generator(seed):
    """A fresh random stream for this device."""
    return np.random.Generator(np.random.PCG64(seed))


from .conv import Kernels  # noqa: E402

kernels = Kernels(np)  # conv2d / pooling kernels (im2col through stride tricks)
