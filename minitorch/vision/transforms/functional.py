"""Image transforms as functions: ``minitorch.vision.transforms.functional`` (torchvision's names).

An image is a tensor of shape ``(..., C, H, W)``: one image ``(C, H, W)`` or a batch ``(N, C, H, W)``
(a batch gets the same transform for every image). Float images hold values in [0, 1], ``uint8``
images in 0..255. Every function also takes a PIL image and returns one: flips, crops, resizing,
rotations and affine maps are done by Pillow itself, as torchvision does (``_pil.py``: the same
pixels as torchvision); the others convert it to a ``uint8`` tensor, transform, and convert back.

Everything is written with minitorch tensor ops, so it runs on the GPU for a cuda tensor and
gradients flow through it. The geometric transforms (``rotate``, ``affine``) share one idea:

1. for every OUTPUT pixel, compute where it comes from in the input (an inverse affine map);
2. read the input there: the nearest pixel, or a weighted mean of the 4 around it (bilinear).
   Points outside the input read 0 (or ``fill``).

>>> import minitorch as torch
>>> from minitorch.vision.transforms import functional as F
>>> img = torch.arange(9.).view(1, 3, 3)
>>> F.rotate(img, 90)  # counter-clockwise, about the centre
tensor([[[2., 5., 8.],
         [1., 4., 7.],
         [0., 3., 6.]]])
"""

from __future__ import annotations

import enum
import functools
import math
import numbers
import sys

import numpy as np

import minitorch as torch
from minitorch._optional import require
from minitorch.nn import functional as nnF
from minitorch.ops._util import wrap

from . import _pil


class InterpolationMode(enum.Enum):
    """How to read an image between pixels (torchvision's enum; ``.value`` is the name)."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_CODES = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR, 3: InterpolationMode.BICUBIC,
              4: InterpolationMode.BOX, 5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}


def _interpolation(mode, supported=("nearest", "bilinear")):
    """The mode's name from an ``InterpolationMode`` or a Pillow integer constant (``Image.BILINEAR``)."""
    if isinstance(mode, int) and mode in _PIL_CODES:
        mode = _PIL_CODES[mode]
    if not isinstance(mode, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding Pillow integer constant")
    if mode.value not in supported:
        raise ValueError(f"Interpolation mode '{mode.value}' is unsupported with Tensor input")
    return mode.value


# ---- images: tensors and PIL ---------------------------------------------------------------------

def _is_pil_image(img):
    image_module = sys.modules.get("PIL.Image")  # a PIL image can only exist once PIL was imported
    return image_module is not None and isinstance(img, image_module.Image)


def _check_image(img):
    if not isinstance(img, torch.Tensor):
        raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")
    if img.dim() < 2:
        raise TypeError("Tensor is not a torch image.")


def _accepts_pil(fn):
    """Let ``fn``, written for tensor images, take and return PIL images as well."""

    @functools.wraps(fn)
    def apply(img, *args, **kwargs):
        if _is_pil_image(img):
            out = fn(pil_to_tensor(img), *args, **kwargs)
            same_bands = out.shape[-3] == len(img.getbands())  # else (Grayscale) the mode follows the channels
            return to_pil_image(out, mode=img.mode if same_bands else None)
        _check_image(img)
        return fn(img, *args, **kwargs)

    return apply


def get_dimensions(img):
    """``[channels, height, width]`` of a tensor image or a PIL image."""
    if _is_pil_image(img):
        return [len(img.getbands()), img.height, img.width]
    _check_image(img)
    channels = 1 if img.dim() == 2 else img.shape[-3]
    return [channels, img.shape[-2], img.shape[-1]]


def get_image_size(img):
    """``[width, height]`` (torchvision's order)."""
    _, height, width = get_dimensions(img)
    return [width, height]


def get_image_num_channels(img):
    return get_dimensions(img)[0]


def _as_batch(img):
    """``img`` (..., C, H, W) as (N, C, H, W), and the function that puts the leading dims back."""
    if img.dim() == 2:  # (H, W): one grey image
        return img.reshape(1, 1, *img.shape), lambda out: out.reshape(out.shape[-2:])
    lead = img.shape[:-3]
    batch = img.reshape(-1, *img.shape[-3:])
    return batch, lambda out: out.reshape(*lead, *out.shape[1:])


def _float(img):
    """Work on integer images in float32 (torchvision does); float images stay as they are."""
    return img if img.is_floating_point() else img.to(torch.float32)


def _back_to(result, dtype):
    """A float result in the input's dtype: integer images are rounded, not truncated."""
    return result if result.dtype == dtype else result.round().to(dtype)


# ---- conversions ---------------------------------------------------------------------------------

def to_tensor(pic):
    """A PIL image or a numpy array (H, W) / (H, W, C) as a (C, H, W) tensor; ``uint8`` values are
    scaled to floats in [0, 1] (the default float dtype), other dtypes are kept.

    >>> import numpy as np
    >>> to_tensor(np.full((2, 2, 3), 255, dtype=np.uint8)).shape
    torch.Size([3, 2, 2])
    """
    if _is_pil_image(pic):
        nptype = {"I": np.int32, "I;16": np.int16, "F": np.float32}.get(pic.mode, np.uint8)
        array = np.array(pic, nptype, copy=True)
        if pic.mode == "1":
            array = array * np.uint8(255)
        pic = array.reshape(pic.height, pic.width, len(pic.getbands()))
    elif not isinstance(pic, np.ndarray):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if pic.ndim not in (2, 3):
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    if pic.ndim == 2:
        pic = pic[:, :, None]
    if pic.dtype == np.uint8:  # scaled by numpy in one pass: same float rounding as ``to(float).div(255)``
        return torch.from_numpy(np.divide(pic.transpose(2, 0, 1), 255, dtype=torch.get_default_dtype().np, order="C"))
    return torch.from_numpy(np.ascontiguousarray(pic.transpose(2, 0, 1)))


def pil_to_tensor(pic):
    """A PIL image as a (C, H, W) tensor of its own dtype (``uint8`` stays 0..255)."""
    if not _is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    array = np.array(pic, copy=True).reshape(pic.height, pic.width, len(pic.getbands()))
    return torch.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1)))


def to_pil_image(pic, mode=None):
    """A (C, H, W) / (H, W) tensor or an (H, W, C) numpy array as a PIL image.

    Float values in [0, 1] become ``uint8`` as ``(x * 255)`` truncated (as in torchvision).
    1 channel gives mode ``'L'``, 2 ``'LA'``, 3 ``'RGB'``, 4 ``'RGBA'``.
    """
    Image = require("PIL.Image", extra="notebooks", feature="to_pil_image")

    if isinstance(pic, torch.Tensor):
        if pic.dim() not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.dim()} dimensions.")
        if pic.is_floating_point() and mode != "F":
            pic = pic.mul(255).byte()
        array = pic.detach().cpu().numpy()
        array = array if array.ndim == 2 else array.transpose(1, 2, 0)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        array = pic
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim == 3 and array.shape[2] not in (2, 3, 4):
        raise ValueError(f"pic should not have > 4 channels. Got {array.shape[2]} channels.")
    image = Image.fromarray(np.ascontiguousarray(array))
    return image if mode is None or image.mode == mode else image.convert(mode)


def convert_image_dtype(image, dtype=torch.float32):
    """Change the dtype and rescale: ``uint8`` 0..255 <-> float 0..1.

    >>> convert_image_dtype(torch.tensor([[[0, 255]]], dtype=torch.uint8))
    tensor([[[0., 1.]]])
    """
    if not isinstance(image, torch.Tensor):
        raise TypeError("Input img should be Tensor Image")
    if image.dtype == dtype:
        return image
    if image.is_floating_point() and dtype.is_floating_point:
        return image.to(dtype)
    if image.is_floating_point():  # 1.0 must become 255, not 256: scale by just under 256
        return image.mul(256 - 1e-3).to(dtype)
    if image.dtype == torch.uint8 and dtype.is_floating_point:
        return image.to(dtype) / 255
    raise ValueError(f"convert_image_dtype from {image.dtype} to {dtype} is not supported here")


def normalize(tensor, mean, std, inplace=False):
    """``(tensor - mean) / std`` per channel of a float (..., C, H, W) tensor.

    >>> normalize(torch.ones(1, 2, 2), (0.5,), (0.25,))[0, 0]
    tensor([2., 2.])
    """
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.dim() < 3:
        raise ValueError(
            f"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = {tensor.size()}")
    xp = tensor._backend.xp
    mean, std = (xp.asarray(v.tolist() if isinstance(v, torch.Tensor) else v, dtype=tensor.dtype.np).reshape(-1, 1, 1)
                 for v in (mean, std))
    if not std.all():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
    if tensor.requires_grad:  # differentiable: tensor ops
        mean, std = wrap(mean, tensor.device), wrap(std, tensor.device)
        return tensor.sub_(mean).div_(std) if inplace else (tensor - mean) / std
    # the usual case, an image in a data pipeline: two array operations instead of ~8 tensor ops
    # (the same float arithmetic as ``(tensor - mean) / std``)
    if inplace:
        tensor._array[...] -= mean
        tensor._array[...] /= std
        tensor._bump_version()
        return tensor
    return wrap((tensor._array - mean) / std, tensor.device, tensor)


# ---- flips, crops, padding, resizing -------------------------------------------------------------

def hflip(img):
    """Mirror left <-> right."""
    if _is_pil_image(img):
        return _pil.flip(img, horizontal=True)
    _check_image(img)
    return img.flip(-1)


def vflip(img):
    """Mirror top <-> bottom."""
    if _is_pil_image(img):
        return _pil.flip(img, horizontal=False)
    _check_image(img)
    return img.flip(-2)


@_accepts_pil
def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad the borders. ``padding``: one int (all sides), ``(left/right, top/bottom)`` or
    ``(left, top, right, bottom)``. ``padding_mode``: ``'constant'`` (with ``fill``), ``'edge'``,
    ``'reflect'`` (mirror without repeating the edge) or ``'symmetric'`` (repeating it).

    >>> pad(torch.tensor([[[1., 2.]]]), [1, 0], padding_mode="symmetric")
    tensor([[[1., 1., 2., 2.]]])
    """
    if not isinstance(padding, (int, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    padding = [padding] if isinstance(padding, int) else list(padding)
    if len(padding) < 4:  # [all] or [left/right, top/bottom] -> [left, top, right, bottom]
        padding = padding * (4 // len(padding))
    left, top, right, bottom = padding
    if padding_mode == "constant":
        return nnF.pad(img, (left, right, top, bottom), value=0 if fill is None else fill)
    for dim, before, after in ((-1, left, right), (-2, top, bottom)):
        img = img.index_select(dim, _pad_positions(img.shape[dim], before, after, padding_mode, img.device))
    return img


def _pad_positions(size, before, after, mode, device):
    """Which input row/column each padded position copies, e.g. size 3, 2 before, ``'reflect'``:
    ``[2, 1, 0, 1, 2]`` (positions -2, -1 mirror to 2, 1)."""
    p = torch.arange(-before, size + after, device=device)
    if mode == "edge":
        return p.clamp(0, size - 1)
    repeat_edge = 1 if mode == "symmetric" else 0  # 'symmetric' mirrors about the edge pixel's outer side
    p = torch.where(p < 0, -p - repeat_edge, p)
    return torch.where(p >= size, 2 * size - 2 + repeat_edge - p, p)


def crop(img, top, left, height, width):
    """The ``height x width`` window at (``top``, ``left``); parts outside the image are 0."""
    if _is_pil_image(img):
        return _pil.crop(img, top, left, height, width)
    _, h, w = get_dimensions(img)
    bottom, right = top + height, left + width
    if left < 0 or top < 0 or right > w or bottom > h:
        inside = img[..., max(top, 0):max(bottom, 0), max(left, 0):max(right, 0)]
        padding = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                   max(right - max(w, left), 0), max(bottom - max(h, top), 0)]
        return pad(inside, padding, fill=0)
    return img[..., top:bottom, left:right]


def _size_pair(size):
    """``5 -> (5, 5)``, ``[5] -> (5, 5)``, ``(4, 5) -> (4, 5)``: (height, width)."""
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if len(size) == 1:
        return size[0], size[0]
    return tuple(size)


def center_crop(img, output_size):
    """The ``output_size`` window in the middle (padded with 0 if the image is smaller)."""
    crop_h, crop_w = _size_pair(output_size)
    _, h, w = get_dimensions(img)
    if crop_w > w or crop_h > h:
        img = pad(img, [max(crop_w - w, 0) // 2, max(crop_h - h, 0) // 2,
                        max(crop_w - w + 1, 0) // 2, max(crop_h - h + 1, 0) // 2])
        _, h, w = get_dimensions(img)
    return crop(img, int(round((h - crop_h) / 2.0)), int(round((w - crop_w) / 2.0)), crop_h, crop_w)


def _resized_size(h, w, size, max_size):
    """torchvision's output size: an int (or ``[int]``) sets the SHORTER edge, keeping the aspect ratio."""
    if isinstance(size, numbers.Number) or len(size) == 1:
        short, long = (w, h) if w <= h else (h, w)
        new_short = int(size if isinstance(size, numbers.Number) else size[0])
        new_long = int(new_short * long / short)
        if max_size is not None:
            if max_size <= new_short:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                                 f"size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        return (new_long, new_short) if w <= h else (new_short, new_long)
    if max_size is not None:
        raise ValueError("max_size should only be passed if size specifies the length of the smaller edge, "
                         "i.e. size should be an int or a sequence of length 1 in torchscript mode.")
    return tuple(size)


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize to ``size`` ((h, w), or an int for the shorter edge). A PIL image is resized by
    Pillow with any of its filters (always antialiased); a tensor with 'nearest' or 'bilinear':

    Bilinear resizing is linear along each axis, so it is two matrix products:
    ``out = Wy @ img @ Wx.T`` where row ``i`` of ``Wx`` holds the weights of the input columns
    that output column ``i`` averages (a "tent" around its centre). With ``antialias`` the tent
    widens when shrinking, so every input pixel counts (as Pillow and torchvision do).
    """
    _, h, w = get_dimensions(img)
    out_h, out_w = _resized_size(h, w, size, max_size)
    if _is_pil_image(img):
        mode = _interpolation(interpolation, tuple(_pil.RESAMPLE))
        return img if (out_h, out_w) == (h, w) else _pil.resize(img, out_h, out_w, _pil.RESAMPLE[mode])
    mode = _interpolation(interpolation)
    if mode == "nearest":  # output pixel i copies input pixel floor(i * in / out), as torch's 'nearest'
        rows = _nearest_positions(h, out_h, img.device)
        return img.index_select(-2, rows).index_select(-1, _nearest_positions(w, out_w, img.device))
    x = _float(img)
    wy = _tent_weights(h, out_h, antialias, x)
    wx = _tent_weights(w, out_w, antialias, x)
    return _back_to(wy @ x @ wx.mT, img.dtype)


def _nearest_positions(size, out_size, device):
    return (torch.arange(out_size, device=device) * (size / out_size)).floor().long().clamp(max=size - 1)


def _tent_weights(size, out_size, antialias, like):
    """The (out_size, size) matrix of linear-interpolation weights, each row summing to 1."""
    scale = size / out_size
    support = scale if antialias and scale > 1 else 1.0
    centers = (torch.arange(out_size, dtype=like.dtype, device=like.device) + 0.5) * scale
    pixels = torch.arange(size, dtype=like.dtype, device=like.device) + 0.5
    weights = (1 - (pixels - centers.unsqueeze(1)).abs() / support).clamp(min=0)
    return weights / weights.sum(1, keepdim=True)  # near the borders a tent sticks out: renormalise


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR, antialias=True):
    """``crop`` then ``resize`` to ``size``."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


# ---- rotations and affine maps: a sampling grid --------------------------------------------------

def _inverse_affine_matrix(center, angle, translate, scale, shear):
    """The 2x3 matrix (6 floats, row by row) taking OUTPUT coordinates to INPUT coordinates, for
    the map "rotate by ``angle`` and shear (degrees, clockwise on screen since y points down),
    scale, about ``center``, then translate" (torchvision's ``_get_inverse_affine_matrix``).

    Coordinates are in pixels with the origin at the image centre.
    """
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    (cx, cy), (tx, ty) = center, translate
    # rotation and shear: [[a, b], [c, d]] has determinant 1, so its inverse is [[d, -b], [-c, a]]
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0]
    # input = C + M^-1 (output - C - T)
    m[2] = m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
    m[5] = m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
    return m


def affine_points(theta, in_size, out_size):
    """Where each output pixel comes from, in the input's normalised coordinates (x, y): -1 is the
    left (top) edge of the input, +1 its right (bottom) edge. Two tensors of shape
    ``(B, out_h * out_w)``, row-major over the output.

    ``theta`` (B, 2, 3) maps output to input coordinates, both in pixels from the image centre
    (pixel ``(i, j)`` of the output has its centre at ``(j + 0.5 - out_w / 2, i + 0.5 - out_h / 2)``);
    ``in_size`` and ``out_size`` are (height, width). The float steps are torch's, so nearest
    sampling picks the same pixel as torchvision even at exact ties.
    """
    (h, w), (out_h, out_w) = in_size, out_size
    opts = dict(dtype=theta.dtype, device=theta.device)
    y, x = torch.meshgrid(torch.arange(out_h, **opts) + (0.5 - out_h / 2),
                          torch.arange(out_w, **opts) + (0.5 - out_w / 2), indexing="ij")
    x, y = x.reshape(1, -1), y.reshape(1, -1)
    theta = theta / torch.tensor([w / 2, h / 2], **opts).view(1, 2, 1)  # to normalised input coordinates
    rows = [theta[:, r].unsqueeze(-1) for r in (0, 1)]  # (B, 3, 1) each
    return tuple(row[:, 0] * x + row[:, 1] * y + row[:, 2] for row in rows)


def sample_points(img, x, y, mode="bilinear"):
    """Read ``img`` (N, C, H, W) at the normalised points ``(x, y)`` (B, P) (B is 1 or N), as
    ``torch.nn.functional.grid_sample(..., padding_mode="zeros", align_corners=False)``: returns the
    values (N, C, P) and how much of each read fell inside the image (B, 1, P), 0..1.

    ``'nearest'`` reads the closest pixel; ``'bilinear'`` mixes the 4 around the point, each
    weighted by how close it is. Pixels outside the image read as 0.
    """
    n, c, h, w = img.shape
    flat = img.reshape(n, c, h * w)
    x, y = ((x + 1) * w - 1) / 2, ((y + 1) * h - 1) / 2  # array positions: -1 -> -0.5, +1 -> w - 0.5

    def read(ix, iy):
        inside = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
        index = (iy.clamp(0, h - 1) * w + ix.clamp(0, w - 1)).long().unsqueeze(1)
        values = flat.gather(2, index.expand(n, c, index.shape[-1]))
        return torch.where(inside.unsqueeze(1), values, 0.0), inside.unsqueeze(1).to(img.dtype)

    if mode == "nearest":
        return read(x.round(), y.round())  # round half to even, as torch's grid_sample
    x0, y0 = x.floor(), y.floor()
    x1, y1 = x0 + 1, y0 + 1
    out = coverage = 0
    for ix, iy, weight in ((x0, y0, (x1 - x) * (y1 - y)), (x1, y0, (x - x0) * (y1 - y)),
                           (x0, y1, (x1 - x) * (y - y0)), (x1, y1, (x - x0) * (y - y0))):
        values, inside = read(ix, iy)
        weight = weight.unsqueeze(1)
        out, coverage = out + weight * values, coverage + weight * inside
    return out, coverage


def _apply_affine(img, matrix, interpolation, fill, out_size=None):
    """Resample ``img`` (..., C, H, W) through the inverse map ``matrix`` (6 floats). Outside the
    input: 0 when ``fill`` is None, else ``fill`` (a number or one per channel), blended in by how
    much of each read fell outside."""
    mode = _interpolation(interpolation)
    batch, unbatch = _as_batch(_float(img))
    n, c, h, w = batch.shape
    out_h, out_w = out_size or (h, w)
    theta = torch.tensor(matrix, dtype=batch.dtype, device=img.device).view(1, 2, 3)
    x, y = affine_points(theta, (h, w), (out_h, out_w))
    out, coverage = sample_points(batch, x, y, mode)
    if fill is not None:
        fill = list(fill) if isinstance(fill, (list, tuple)) else [fill]
        if len(fill) not in (1, c):
            raise ValueError("The number of elements in 'fill' cannot broadcast to match the number of "
                             f"channels of the image ({len(fill)} != {c})")
        fill = torch.tensor(fill, dtype=out.dtype, device=out.device).view(1, -1, 1)
        out = torch.where(coverage < 0.5, fill, out) if mode == "nearest" else out * coverage + (1 - coverage) * fill
    return _back_to(unbatch(out.reshape(n, c, out_h, out_w)), img.dtype)


def _centre_offset(center, img):
    """A ``center`` given in pixels from the top-left corner, as an offset from the image centre."""
    if center is None:
        return [0.0, 0.0]
    if not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    _, h, w = get_dimensions(img)
    return [c - s * 0.5 for c, s in zip(center, (w, h))]


def rotate(img, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None, fill=None):
    """Rotate by ``angle`` degrees COUNTER-clockwise about ``center`` (default: the image centre).

    ``expand=True`` enlarges the output to hold the whole rotated image; ``fill`` is the value of
    the uncovered corners (0 by default). ``rotate(img, 90)`` equals ``torch.rot90(img, 1, (-2, -1))``
    for a square image.
    """
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if _is_pil_image(img):
        mode = _interpolation(interpolation, tuple(_pil.RESAMPLE))
        return _pil.rotate(img, angle, _pil.RESAMPLE[mode], expand, center, fill)
    _check_image(img)
    # the matrix is clockwise (y points down): a counter-clockwise rotation is a negative angle
    matrix = _inverse_affine_matrix(_centre_offset(center, img), -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    _, h, w = get_dimensions(img)
    return _apply_affine(img, matrix, interpolation, fill, _expanded_size(matrix, h, w) if expand else None)


def _expanded_size(matrix, h, w):
    """(height, width) of the box holding the whole image after the map (torchvision's rule)."""
    corners = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0], [0.5 * w, 0.5 * h, 1.0],
                        [0.5 * w, -0.5 * h, 1.0]], dtype=np.float32)
    moved = corners @ np.array(matrix, dtype=np.float32).reshape(2, 3).T + np.array([w * 0.5, h * 0.5], np.float32)
    tol = 1e-4  # so a corner at 27.99999 still counts as 28
    size = np.ceil(np.trunc(moved.max(0) / tol) * tol) - np.floor(np.trunc(moved.min(0) / tol) * tol)
    return int(size[1]), int(size[0])


def affine(img, angle, translate, scale, shear, interpolation=InterpolationMode.NEAREST, fill=None, center=None):
    """Rotate by ``angle`` (degrees, CLOCKWISE, as torchvision's ``affine``), shear by ``shear``
    degrees (a number: along x; a pair: x and y), scale by ``scale`` about ``center``, then shift
    by ``translate`` = (dx, dy) pixels (right, down): content moves by exactly that many pixels.
    """
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, (list, tuple)):
        raise TypeError("Argument translate should be a sequence")
    if len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    if not isinstance(shear, (numbers.Number, list, tuple)):
        raise TypeError("Shear should be either a single value or a sequence of two values")
    shear = [shear, 0.0] if isinstance(shear, numbers.Number) else list(shear) * (2 if len(shear) == 1 else 1)
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    translate = [float(t) for t in translate]
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if _is_pil_image(img):  # Pillow's map is in pixels from the top-left corner
        mode = _interpolation(interpolation, tuple(_pil.RESAMPLE))
        center = center if center is not None else [img.width * 0.5, img.height * 0.5]
        matrix = _inverse_affine_matrix(center, float(angle), translate, scale, shear)
        return _pil.affine(img, matrix, _pil.RESAMPLE[mode], fill)
    _check_image(img)
    matrix = _inverse_affine_matrix(_centre_offset(center, img), float(angle), translate, scale, shear)
    return _apply_affine(img, matrix, interpolation, fill)


# ---- colour ------------------------------------------------------------------------------------

def _check_channels(img, allowed):
    c = get_dimensions(img)[0]
    if c not in allowed:
        raise TypeError(f"Input image tensor permitted channel values are {allowed}, but found {c}")
    return c


def _blend(img1, img2, ratio):
    """``ratio * img1 + (1 - ratio) * img2``, clipped to the valid range, in ``img1``'s dtype
    (``uint8`` is truncated, as in torchvision)."""
    bound = 1.0 if img1.is_floating_point() else 255.0
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, bound).to(img1.dtype)


@_accepts_pil
def rgb_to_grayscale(img, num_output_channels=1):
    """Luma ``0.2989 R + 0.587 G + 0.114 B`` (ITU-R 601-2), as 1 or 3 identical channels."""
    if img.dim() < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.dim()}")
    _check_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if img.shape[-3] == 3:
        r, g, b = img.unbind(-3)
        gray = (0.2989 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(-3)
    else:
        gray = img.clone()
    return gray.expand(*gray.shape[:-3], num_output_channels, *gray.shape[-2:])


to_grayscale = rgb_to_grayscale


@_accepts_pil
def adjust_brightness(img, brightness_factor):
    """Multiply by ``brightness_factor`` (0: black, 1: unchanged)."""
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    _check_channels(img, [1, 3])
    return _blend(img, torch.zeros_like(img), brightness_factor)


@_accepts_pil
def adjust_contrast(img, contrast_factor):
    """Blend with the image's mean grey level (0: flat grey, 1: unchanged, 2: twice the contrast)."""
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    gray = rgb_to_grayscale(img) if _check_channels(img, [1, 3]) == 3 else img
    return _blend(img, _float(gray).mean(dim=(-3, -2, -1), keepdim=True), contrast_factor)


@_accepts_pil
def adjust_saturation(img, saturation_factor):
    """Blend with the grey version (0: grey, 1: unchanged, 2: twice as saturated). Grey images are kept."""
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    if _check_channels(img, [1, 3]) == 1:
        return img
    return _blend(img, rgb_to_grayscale(img), saturation_factor)


@_accepts_pil
def adjust_hue(img, hue_factor):
    """Turn every colour around the colour wheel by ``hue_factor`` turns (-0.5..0.5): RGB to HSV,
    shift H, back to RGB. Grey images are kept."""
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if _check_channels(img, [1, 3]) == 1:
        return img
    h, s, v = _rgb_to_hsv(convert_image_dtype(img, torch.float32)).unbind(-3)
    shifted = _hsv_to_rgb(torch.stack(((h + hue_factor) % 1.0, s, v), -3))
    return convert_image_dtype(shifted, img.dtype)


def _rgb_to_hsv(img):
    """(..., 3, H, W) RGB in [0, 1] to HSV, each in [0, 1] (Pillow's formulas)."""
    r, g, b = img.unbind(-3)
    maxc, minc = img.amax(-3), img.amin(-3)
    grey = maxc == minc  # hue and saturation are 0 there; divide by 1 instead of 0
    chroma = maxc - minc
    s = chroma / torch.where(grey, 1.0, maxc)
    rc, gc, bc = ((maxc - ch) / torch.where(grey, 1.0, chroma) for ch in (r, g, b))
    h = ((maxc == r) * (bc - gc) + ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
         + ((maxc != g) & (maxc != r)) * (4.0 + gc - rc))
    return torch.stack(((h / 6.0 + 1.0) % 1.0, s, maxc), -3)


def _hsv_to_rgb(img):
    """(..., 3, H, W) HSV to RGB: the hue picks one of 6 sectors, each a fixed mix of v, p, q, t."""
    h, s, v = img.unbind(-3)
    sector = (h * 6.0).floor()
    f = h * 6.0 - sector
    p, q, t = ((v * (1.0 - s * k)).clamp(0.0, 1.0) for k in (1.0, f, 1.0 - f))
    sector = (sector.long() % 6).unsqueeze(-3)  # (..., 1, H, W)
    rgb_per_sector = [(v, q, p, p, t, v), (t, v, v, q, p, p), (p, p, t, v, v, q)]  # R, G, B for sectors 0..5
    table = torch.stack([torch.stack(row, -3) for row in rgb_per_sector], -4)  # (..., 3, 6, H, W)
    return table.gather(-3, sector.unsqueeze(-4).expand(*table.shape[:-3], 1, *table.shape[-2:])).squeeze(-3)


# ---- blur, erasing, noise ----------------------------------------------------------------------

@_accepts_pil
def gaussian_blur(img, kernel_size, sigma=None):
    """Blur with a ``kernel_size`` (odd ints, width and height) Gaussian of std ``sigma``
    (default ``0.3 * ((k - 1) * 0.5 - 1) + 0.8``); borders are mirrored ('reflect')."""
    kernel_size = [kernel_size] * 2 if isinstance(kernel_size, int) else list(kernel_size)
    if len(kernel_size) != 2:
        raise ValueError(f"If kernel_size is a sequence its length should be 2. Got {len(kernel_size)}")
    if any(k % 2 == 0 or k < 0 for k in kernel_size):
        raise ValueError(f"kernel_size should have odd and positive integers. Got {kernel_size}")
    if sigma is None:
        sigma = [k * 0.15 + 0.35 for k in kernel_size]
    sigma = [float(sigma)] * 2 if isinstance(sigma, (int, float)) else list(sigma) * (2 if len(sigma) == 1 else 1)
    if len(sigma) != 2:
        raise ValueError(f"If sigma is a sequence, its length should be 2. Got {len(sigma)}")
    if any(s <= 0 for s in sigma):
        raise ValueError(f"sigma should have positive values. Got {sigma}")
    batch, unbatch = _as_batch(_float(img))
    kx, ky = (_gaussian_kernel1d(k, s, batch) for k, s in zip(kernel_size, sigma))
    kernel = (ky.unsqueeze(1) * kx).expand(batch.shape[1], 1, len(ky), len(kx))  # one kernel per channel
    padded = nnF.pad(batch, (kernel_size[0] // 2, kernel_size[0] // 2, kernel_size[1] // 2, kernel_size[1] // 2),
                     mode="reflect")
    return _back_to(unbatch(nnF.conv2d(padded, kernel, groups=batch.shape[1])), img.dtype)


def _gaussian_kernel1d(size, sigma, like):
    x = torch.linspace(-(size - 1) * 0.5, (size - 1) * 0.5, size, dtype=like.dtype, device=like.device)
    pdf = (-0.5 * (x / sigma) ** 2).exp()
    return pdf / pdf.sum()


def erase(img, i, j, h, w, v, inplace=False):
    """Overwrite the ``h x w`` box at row ``i``, column ``j`` with ``v`` (a tensor or number)."""
    _check_image(img)
    if not inplace:
        img = img.clone()
    img[..., i:i + h, j:j + w] = v.to(img.device) if isinstance(v, torch.Tensor) else v
    return img


def gaussian_noise(inpt, mean=0.0, sigma=0.1, clip=True):
    """Add noise drawn from N(``mean``, ``sigma``^2), independently for every pixel; ``clip`` keeps
    values in [0, 1] (``uint8``: 0..255, with ``mean`` and ``sigma`` on the 0..1 scale)."""
    if sigma < 0:
        raise ValueError(f"sigma shouldn't be negative. Got {sigma}")
    if _is_pil_image(inpt):
        raise ValueError("Gaussian Noise is not implemented for PIL images.")
    _check_image(inpt)
    if inpt.is_floating_point():
        out = inpt + (mean + torch.randn_like(inpt) * sigma)
        return out.clamp(0, 1) if clip else out
    if inpt.dtype != torch.uint8:
        raise ValueError(f"Input tensor is expected to be in uint8 or float dtype, got dtype={inpt.dtype}")
    noise = (mean * 255 + torch.randn_like(inpt, dtype=torch.float32) * (sigma * 255)).to(torch.int16)
    out = inpt + noise
    return (out.clamp(0, 255) if clip else out).to(torch.uint8)
