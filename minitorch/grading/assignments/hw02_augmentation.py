"""hw02_augmentation: ``rotate`` and ``shift`` as tensor ops, and the random transforms
``RandomRotation(low, high)``, ``RandomShift(max_shift)`` and ``GaussianNoise(std)`` built on them.

Images are tensors of shape (..., H, W). ``rotate(img, angle)`` turns the picture counterclockwise
by ``angle`` degrees about its centre ((H-1)/2, (W-1)/2), with bilinear interpolation and zeros
outside; ``shift(img, dy, dx)`` moves it down by ``dy`` and right by ``dx`` pixels, filling with
zeros. The random transforms draw their parameters anew at every call, from minitorch's
generator, and for a batch ``(N, C, H, W)`` anew for every image. Their tests cannot compare with
fixed values, so their judges check what the outputs are: rotations of the input by angles in the
range (found by search), shifts within the range, noise of the right spread and distribution.
"""

import functools

import numpy as np

import minitorch as torch
from minitorch.vision.transforms import functional as TF

from ..spec import Assignment

_TRANSFORMS = "minitorch.vision.transforms."
_WRITE_IT = "write it with tensor ops (arange, floor, indexing) yourself"


def _library_rotate(img, angle):
    """The library's bilinear rotation: the same convention as the homework's ``rotate``."""
    return TF.rotate(img, float(angle), interpolation=TF.InterpolationMode.BILINEAR)


def _library_shift(img, dy, dx):
    """The library's translation by whole pixels: the homework's ``shift``."""
    return TF.affine(img, angle=0.0, translate=[dx, dy], scale=1.0, shear=[0.0, 0.0])


hw = Assignment(
    "hw02_augmentation",
    title="Data augmentation with tensor ops",
    lecture="06_data_augmentation",
    reference={"rotate": _library_rotate, "shift": _library_shift},  # the library's own, banned while checking
    banned={**{_TRANSFORMS + name: "write your own transform class" for name in
               ("RandomRotation", "RandomAffine", "RandomCrop", "GaussianNoise")},
            **{_TRANSFORMS + "functional." + name: _WRITE_IT for name in
               ("rotate", "affine", "affine_points", "sample_points", "gaussian_noise")}},
)


def test_image(h=12, w=12, dtype=np.float32):
    """A smooth picture with no symmetry (two blobs), values in [0, 1]."""
    y, x = np.mgrid[0:h, 0:w]
    blobs = np.exp(-((y - 3.0) ** 2 + (x - 4.0) ** 2) / 6) + 0.6 * np.exp(-((y - 8.0) ** 2 + (x - 7.5) ** 2) / 4)
    return (blobs / blobs.max()).astype(dtype)


def _batch(seed, *shape):
    return torch.tensor(np.random.default_rng(seed).random(shape), dtype=torch.float32)


@hw.test(points=3, partial=True, rtol=1e-4, atol=1e-5,
         hint="work backwards from each output pixel: where in the input does it come from, and how close is it "
              "to each of the four nearest input pixels? A positive angle turns the picture counterclockwise "
              "(look at the 90-degree case), and pixels from outside the image count as 0")
def rotation(rotate):
    img = torch.tensor(test_image())
    return {
        "0 degrees": rotate(img, 0.0),
        "90 degrees": rotate(img, 90.0),
        "-15 degrees": rotate(img, -15.0),
        "7.5 degrees, non-square": rotate(_batch(0, 9, 14), 7.5),
        "12 degrees, a batch (N, C, H, W)": rotate(_batch(1, 3, 1, 10, 10), 12.0),
        "float64 stays float64": rotate(img.double(), 30.0),
    }


@hw.test(points=2, partial=True,
         hint="a shift moves the content and lets zeros in: what leaves on one side never comes back on the "
              "other, and a shift as large as the image leaves nothing")
def shifting(shift):
    img = _batch(2, 2, 8, 8)
    return {f"dy={dy}, dx={dx}": shift(img, dy, dx) for dy, dx in ((0, 0), (1, 2), (-2, 0), (0, -3), (3, -1), (9, 0))}


def _seed(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)


@functools.lru_cache(maxsize=1)
def _rotations_of_the_test_image():
    """The test image turned by every angle on a 0.05-degree grid from -20 to 20 (computed once)."""
    grid = np.arange(-20.0, 20.001, 0.05)
    img = torch.tensor(test_image().astype(np.float64))
    return grid, np.stack([_library_rotate(img, angle).numpy() for angle in grid])


def _nearest_angles(outputs):
    """For each output, the angle on a 0.05-degree grid whose rotation of the test image is
    closest, and how close it is (largest pixel difference)."""
    grid, candidates = _rotations_of_the_test_image()
    errors = np.abs(np.asarray(outputs)[:, None] - candidates[None]).max(axis=(2, 3))
    return grid[errors.argmin(axis=1)], errors.min(axis=1)


def shifted_test_image(dy, dx):
    """The test image moved by whole pixels, as a numpy array (for the judges)."""
    return _library_shift(torch.tensor(test_image()), dy, dx).numpy()


def _random_rotation_judge(data):
    passed, problems = 0, []
    for case, (low, high) in {"(-15, 15)": (-15, 15), "(5, 10)": (5, 10)}.items():
        outputs = data[case]
        angles, errors = _nearest_angles(outputs)
        if outputs.shape[1:] != (12, 12) or errors.max() > 0.01:
            problems.append(f"{case}: an output is not a rotation of the input")
        elif angles.min() < low - 0.05 or angles.max() > high + 0.05:
            problems.append(f"{case}: angles from {angles.min():g} to {angles.max():g} degrees, outside the range")
        elif angles.max() - angles.min() < 0.5 * (high - low):
            problems.append(f"{case}: the angles (from {angles.min():g} to {angles.max():g}) do not spread over the range")
        else:
            passed += 1
    if np.array_equal(data["input after"], test_image()):
        passed += 1
    else:
        problems.append("the transform changed its input")
    return passed / 3, "; ".join(problems)


@hw.test(points=2, judge=_random_rotation_judge, after=("rotation",),
         hint="every call draws a fresh angle, spread uniformly over the whole range from low to high, "
              "and leaves its input as it was")
def random_rotation(RandomRotation):
    _seed(0)
    img = torch.tensor(test_image())
    wide, narrow = RandomRotation(-15, 15), RandomRotation(5, 10)
    return {"(-15, 15)": torch.stack([wide(img) for _ in range(40)]),
            "(5, 10)": torch.stack([narrow(img) for _ in range(20)]),
            "input after": img}


def _random_shift_judge(data):
    img = test_image()
    shifts = {(dy, dx): shifted_test_image(dy, dx) for dy in range(-4, 5) for dx in range(-4, 5)}
    found = []
    for out in data["outputs"]:
        match = [s for s, expected in shifts.items() if out.shape == img.shape and np.allclose(out, expected, atol=1e-6)]
        if not match:
            return 0.0, "an output is not the input shifted by whole pixels (zeros coming in)"
        found.append(match[0])
    dys, dxs = np.array(found).T
    if max(np.abs(dys).max(), np.abs(dxs).max()) > 2:
        return 0.0, f"a shift of {max(np.abs(dys).max(), np.abs(dxs).max())} pixels, but max_shift is 2"
    if not all(v.min() == -2 and v.max() == 2 for v in (dys, dxs)):
        return 0.5, "the shifts do not cover -max_shift..max_shift in both directions (inclusive)"
    if not np.array_equal(data["input after"], img):
        return 0.5, "the transform changed its input"
    return 1.0, ""


@hw.test(points=2, judge=_random_shift_judge, after=("shifting",),
         hint="every call draws fresh whole-number shifts from -max_shift to max_shift, both ends included")
def random_shift(RandomShift):
    _seed(0)
    img = torch.tensor(test_image())
    transform = RandomShift(2)
    return {"outputs": torch.stack([transform(img) for _ in range(40)]), "input after": img}


def _noise_judge(data):
    img = test_image(16, 16)
    passed, problems = 0, []
    for case, std in (("std=0.1", 0.1), ("std=0.5", 0.5)):
        outputs = data[case]
        noise = outputs - img
        if outputs.dtype != np.float32 or outputs.shape != (20, 16, 16):
            problems.append(f"{case}: outputs of dtype {outputs.dtype} and shape {outputs.shape}, "
                            "expected the input's float32 and (16, 16)")
        elif abs(noise.mean()) > 0.05 * std or abs(noise.std() - std) > 0.05 * std:
            problems.append(f"{case}: the noise has mean {noise.mean():.3g} and standard deviation "
                            f"{noise.std():.3g}, expected 0 and {std}")
        elif np.abs(noise[0] - noise[1]).max() == 0:
            problems.append(f"{case}: two calls added the same noise")
        else:
            passed += 1
    if np.array_equal(data["input after"], img):
        passed += 1
    else:
        problems.append("the transform changed its input")
    return passed / 3, "; ".join(problems)


@hw.test(points=2, judge=_noise_judge,
         hint="fresh noise at every call, with mean 0 and the given standard deviation, added to a copy: "
              "the input itself must not change")
def gaussian_noise(GaussianNoise):
    _seed(0)
    img = torch.tensor(test_image(16, 16))
    return {f"std={std}": torch.stack([GaussianNoise(std)(img) for _ in range(20)]) for std in (0.1, 0.5)} | \
        {"input after": img}
