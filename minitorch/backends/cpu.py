"""CPU backend: storage is a flat numpy array."""

from __future__ import annotations

import math

import numpy as np

xp = np
# torch never warns about overflow, division by zero or nan results (1 / 0, log(0), 0 / 0): neither
# do we, so numpy's floating-point warnings are switched off for the whole process when minitorch
# is imported. Deliberately global: wrapping every op in ``np.errstate`` would cost ~1.5 us per op,
# as much as a small op itself. (numpy code run next to minitorch no longer warns either.)
np.seterr(all="ignore")
name = "cpu"


def strided_view(storage, shape, strides, offset):
    """A numpy array over ``storage`` with the given geometry (strides in elements).

    Built with the ndarray constructor rather than ``as_strided``: ~10x cheaper per call.
    """
    itemsize = storage.itemsize
    return np.ndarray(shape, storage.dtype, buffer=storage, offset=offset * itemsize,
                      strides=tuple(s * itemsize for s in strides))


# numpy's where() branches on every element: on a mask it cannot predict (relu's backward drops
# about half of a gradient, at random) that costs ~4 ns an element, 10-15x a multiply. Zeroing by
# bits instead - AND with all ones where a value is kept, all zeros where it is dropped - gives the
# same bits without a branch: 1e5 float32 elements 379 -> 25 us, 1e6 3.7 -> 0.8 ms. Below ~2,000
# elements the per-call cost decides: where() is one numpy call, the trick four.
_SAME_SIZE_INT = {2: np.int16, 4: np.int32, 8: np.int64}


def zero_where(mask, array):
    """``numpy.where(mask, 0, array)`` for a floating-point ``array`` (``+0.0`` where ``mask``)."""
    if array.size < 2048 or array.dtype.kind != "f" or mask.shape != array.shape:
        return np.where(mask, 0, array).astype(array.dtype, copy=False)
    ints = _SAME_SIZE_INT[array.itemsize]
    keep = mask.view(np.int8).astype(ints)  # 1 where dropped, 0 where kept
    keep -= 1  # 0 where dropped, -1 (every bit set) where kept
    return np.bitwise_and(array.view(ints), keep, out=keep).view(array.dtype)


def select(mask, a, b):
    """``numpy.where(mask, a, b)`` for floating-point arrays ``a`` and ``b`` of one dtype, by bits
    as ``zero_where``: (a AND all-ones-where-mask) OR (b AND all-ones-elsewhere). Six passes
    instead of four, still ~3x faster than where() on a random mask of 1e6 elements."""
    if (a.size < 2048 or a.dtype.kind != "f" or not isinstance(b, np.ndarray) or b.dtype != a.dtype
            or not mask.shape == a.shape == b.shape):
        return np.where(mask, a, b)
    ints = _SAME_SIZE_INT[a.itemsize]
    bits = mask.view(np.int8).astype(ints)
    np.negative(bits, out=bits)  # -1 (every bit set) where mask, 0 elsewhere
    out = np.bitwise_and(a.view(ints), bits)
    np.invert(bits, out=bits)  # every bit set elsewhere
    np.bitwise_and(b.view(ints), bits, out=bits)
    return np.bitwise_or(out, bits, out=out).view(a.dtype)


# The dtype torch's CPU kernels accumulate a float dtype in (its ``acc_type``: float16 in float32,
# float32 in float64; float64 is its own). Its CUDA kernels widen only float16: see cuda.py.
ACCUMULATE = {np.dtype(np.float16): np.dtype(np.float32), np.dtype(np.float32): np.dtype(np.float64)}


def logcumsumexp(array, axis):
    """Running ``logaddexp`` along ``axis`` (never exponentiates a large number), accumulated in
    ``ACCUMULATE``'s dtype and rounded back to ``array``'s, as torch's CPU kernel."""
    wide = array.astype(ACCUMULATE.get(array.dtype, array.dtype))
    return np.logaddexp.accumulate(wide, axis=axis).astype(array.dtype)


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
    return TorchGenerator(seed)


_CHUNK = 1 << 16  # values made at a time: a fill's temporaries stay in cache (a multiple of 16, see normals)


class TorchGenerator:
    """PyTorch's CPU random numbers, bit for bit, so ``manual_seed(0)`` prints what torch prints.

    torch draws 32-bit words from a Mersenne Twister (mt19937) seeded with ``seed mod 2**32``;
    numpy's ``MT19937`` with the legacy seeding of ``RandomState`` yields the very same words.
    The methods below turn words into numbers exactly as torch's CPU kernels do. ``fill_uniform``
    and ``fill_normal`` write into an existing array chunk by chunk, so filling a large weight
    (``vgg16()`` draws 138 million numbers) makes no full-size temporaries.
    """

    def __init__(self, seed):
        self.bit_generator = np.random.MT19937()
        self.bit_generator.state = np.random.RandomState(seed & 0xFFFFFFFF).get_state(legacy=False)
        # RandomState.randint over [0, 2**bits) returns the stream's next words with their high bits
        # masked off (its masked sampling never rejects for a power-of-two range) as uint32: the same
        # numbers as ``bit_generator.random_raw(n) & mask``, twice as fast and half the memory
        self._randint = np.random.RandomState(self.bit_generator).randint
        self.next_normal = None  # torch keeps the 2nd Box-Muller value of a small randn for the next one

    def get_state(self):
        return self.bit_generator.state, self.next_normal

    def set_state(self, state):
        self.bit_generator.state, self.next_normal = state

    def _words(self, n, bits=32):
        """The next ``n`` 32-bit random words, each keeping only its low ``bits`` bits (uint32)."""
        return self._randint(0, 1 << bits, size=n, dtype=np.uint32)

    def _words64(self, n, bits=64):
        """``n`` 64-bit words, each made of two 32-bit ones (the first is the high half), keeping
        their low ``bits`` bits (uint64)."""
        w = self._words(2 * n).astype(np.uint64)
        return ((w[0::2] << np.uint64(32)) | w[1::2]) & np.uint64((1 << bits) - 1)

    def fill_uniform(self, out, low=0.0, high=1.0):
        """Fill the 1-D array ``out`` with samples from ``[low, high)`` as torch's CPU kernel makes
        them: ``u`` = the low ``digits`` bits of a word * 2**-digits, in float64 (digits: 53 from a
        64-bit word for float64, else 24), then ``low + u * (high - low)`` rounded to ``out``'s
        dtype. (torch first rounds float32 bounds to float32, which moves some values by one unit
        in the last place; the shipped pretrained weights were trained from this stream.)"""
        digits = 53 if out.dtype == np.float64 else 24
        for start in range(0, len(out), _CHUNK):
            chunk = out[start:start + _CHUNK]
            words = self._words64(len(chunk), digits) if digits > 32 else self._words(len(chunk), digits)
            if out.dtype == np.float32 and (low, high) == (0.0, 1.0):  # (normal_'s uniforms) all exact in float32:
                chunk[...] = words  # 24-bit integers, then a power-of-two scale - two passes instead of four
                chunk *= np.float32(2.0 ** -digits)
                continue
            # (word * 2**-digits) * (high - low) as ONE product (the power of two is exact), in float64;
            # the sum is computed in float64 too and rounded once into out's dtype
            np.add(np.multiply(words, 2.0 ** -digits * (high - low)), low, out=chunk, casting="unsafe")
        return out

    def uniform(self, low=0.0, high=1.0, dtype=np.float32):
        """One sample of ``fill_uniform`` as a Python float, computed without arrays (~20x cheaper
        for the one-number draws of random transforms: an angle, a crop position...)."""
        digits = 53 if np.dtype(dtype) == np.float64 else 24
        word = self._word(digits > 32) & ((1 << digits) - 1)
        return float(np.dtype(dtype).type(low + word * 2.0 ** -digits * (high - low)))

    def _word(self, wide=False):
        """The next 32-bit word (``wide``: 64-bit, high half first) as a Python int."""
        word = self.bit_generator.random_raw()
        return (word << 32) | self.bit_generator.random_raw() if wide else word

    def fill_normal(self, out, mean=0.0, std=1.0):
        """Fill the 1-D array ``out`` with normal samples (``* std + mean``) by Box-Muller, like torch:
        16 or more values are made in blocks of 16 from uniforms of the dtype (float32 for float16),
        a last partial block is redone from 16 fresh uniforms, overlapping; fewer come one by one in
        float64, a pair per two draws, the spare kept for the next call."""
        n = len(out)
        if n < 16:
            out[...] = self._normal_pairs(n) * std + mean
        elif out.dtype not in (np.float32, np.float64):
            # float16: torch makes only the whole blocks' uniforms before redoing the last block, so
            # the result is the float32 fill of a multiple of 16 values, without the slice in between
            whole = n - n % 16 + (16 if n % 16 else 0)
            values = self.fill_normal(np.empty(whole, np.float32), mean, std)
            out[:n - 16], out[n - 16:] = values[:n - 16], values[whole - 16:]
        else:
            whole = n - n % 16
            for start in range(0, n, _CHUNK):  # uniforms for all n values, in order, as torch draws them
                self.fill_uniform(out[start:start + _CHUNK])
                # turned into normals chunk by chunk while they are in cache (a second pass over a
                # large weight would read it back from memory: vgg16's normal init took 2x as long)
                _box_muller_blocks(out[start:min(start + _CHUNK, whole)], mean, std)
            if whole < n:
                out[n - 16:] = _box_muller_blocks(self.fill_uniform(np.empty(16, out.dtype)), mean, std)
        return out

    def _normal_pairs(self, n):
        """``n`` normals in float64, a pair from every two uniforms, starting with the spare one."""
        values = [] if self.next_normal is None or n == 0 else [self.next_normal]
        if values:
            self.next_normal = None
        pairs = -(-(n - len(values)) // 2)
        u = self.random((2 * pairs,))
        radius = np.sqrt(-2.0 * np.log1p(-u[1::2]))
        theta = 2.0 * np.pi * u[0::2]
        drawn = np.stack([radius * np.cos(theta), radius * np.sin(theta)], axis=1).reshape(-1)
        values = np.concatenate([values, drawn])
        if len(values) > n:
            self.next_normal = float(values[n])
        return values[:n]

    def random(self, size=(), dtype=np.float64):
        """A new array of uniforms from [0, 1) (see ``fill_uniform``)."""
        return self.fill_uniform(np.empty(math.prod(size), dtype)).reshape(size)

    def standard_normal(self, size=(), dtype=np.float64, mean=0.0, std=1.0):
        """A new array of normal samples (see ``fill_normal``)."""
        return self.fill_normal(np.empty(math.prod(size), dtype), mean, std).reshape(size)

    def integers(self, low, high=None, size=(), wide=None):
        """Uniform integers in [low, high): a word modulo the range, as torch's ``randint`` and
        ``random_(from, to)`` make them: a 64-bit word from a range of 2**28 up (the modulo's bias
        stays small), else a 32-bit one; ``wide`` forces the choice (torch's ``random_()`` takes
        64-bit words for int64 and float64 only). ``size=None``: one Python int."""
        if high is None:
            low, high = 0, low
        span = high - low
        wide = span >= 2 ** 28 if wide is None else wide
        if size is None:  # one Python int, straight from a word: no arrays
            return low + self._word(wide) % span
        n = math.prod(size)
        if span == 2 ** 64:  # every int64 (random_(-2**63, None)): torch reads 64-bit words as signed
            return self._words64(n).view(np.int64).reshape(size)
        words = self._words64(n) if wide else self._words(n)
        return ((words % np.uint64(span)).astype(np.int64) + low).reshape(size)

    def permutation(self, n):
        """torch's shuffle: swap item i with item i + (word mod (n - i)), for i = 0 .. n-2."""
        offsets = (self._words(max(n - 1, 0)) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        items = list(range(n))
        for i, z in enumerate(offsets):  # each swap depends on the previous ones: a Python loop
            items[i], items[i + z] = items[i + z], items[i]
        return np.array(items, dtype=np.int64)


def _box_muller_blocks(u, mean, std):
    """torch's ``normal_fill_16`` on each block of 16 uniforms, in place, in ``u``'s dtype: the
    first 8 give the radius, the last 8 the angle; the block's cos parts fill its first half and
    sin parts its second; then ``* std + mean``."""
    blocks = u.reshape(-1, 2, 8)
    radius = np.sqrt(-2 * np.log(1 - blocks[:, 0]))
    theta = 2 * np.pi * blocks[:, 1]
    np.multiply(radius, np.cos(theta), out=blocks[:, 0])
    np.multiply(radius, np.sin(theta), out=blocks[:, 1])
    u *= u.dtype.type(std)
    u += u.dtype.type(mean)
    return u


from .conv import Kernels  # noqa: E402

kernels = Kernels(np)  # conv2d / pooling kernels (im2col through stride tricks)
