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


# ---- erf: numpy has none (and scipy is not a dependency) ---------------------------------------
# W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
# 631-637; coefficients from his routine CALERF (netlib specfun/erf), near 1e-18 relative error.
# On [0, 0.46875]: erf(y) = y P(y^2) / Q(y^2). Above it erfc is approximated and erf = 1 - erfc:
# on (0.46875, 4]: erfc(y) = exp(-y^2) P(y) / Q(y); beyond 4: erfc(y) = exp(-y^2) / y *
# (1/sqrt(pi) + R(1/y^2) / y^2). Coefficients are listed from the highest power down.
_ERF_SMALL_P = (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
                3.77485237685302021e02, 3.20937758913846947e03)
_ERF_SMALL_Q = (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
                2.84423683343917062e03)
_ERFC_MID_P = (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
               6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
               1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03)
_ERFC_MID_Q = (1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
               1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
               3.43936767414372164e03, 1.23033935480374942e03)
_ERFC_BIG_P = (1.63153871373020978e-2, 3.05326634961232344e-1, 3.60344899949804439e-1,
               1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4)
_ERFC_BIG_Q = (1.0, 2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
               6.05183413124413191e-2, 2.33520497626869185e-3)


def _poly(coefficients, x):
    """Horner's rule, highest power first."""
    result = np.zeros_like(x)
    for c in coefficients:
        result = result * x + c
    return result


def _exp_minus_square(y):
    """exp(-y*y) without the rounding error of squaring y: y = a + b, a has 4 fractional bits."""
    a = np.trunc(y * 16) / 16
    return np.exp(-a * a) * np.exp(-(y - a) * (y + a))


def erf(x):
    """The error function, elementwise, accurate to ~1e-16 relative in float64 (Cody's method)."""
    y = np.abs(x.astype(np.float64))
    out = np.array(y)  # nan stays nan: it falls in none of the ranges below
    small, mid, big = y <= 0.46875, (y > 0.46875) & (y <= 4), y > 4
    ys = y[small] ** 2
    out[small] = y[small] * _poly(_ERF_SMALL_P, ys) / _poly(_ERF_SMALL_Q, ys)
    ym = y[mid]
    out[mid] = 1 - _exp_minus_square(ym) * _poly(_ERFC_MID_P, ym) / _poly(_ERFC_MID_Q, ym)
    yb = np.minimum(y[big], 27.0)  # erfc(27) < 1e-300: erf is exactly 1 from there on
    z = 1 / (yb * yb)
    tail = (1 / np.sqrt(np.pi) - z * _poly(_ERFC_BIG_P, z) / _poly(_ERFC_BIG_Q, z)) / yb
    out[big] = 1 - _exp_minus_square(yb) * tail
    return np.copysign(out, x).astype(x.dtype, copy=False)


def new_generator(seed):
    """A fresh random stream for this device."""
    return np.random.Generator(np.random.PCG64(seed))


from .conv import Kernels  # noqa: E402

kernels = Kernels(np)  # conv2d / pooling kernels (im2col through stride tricks)
