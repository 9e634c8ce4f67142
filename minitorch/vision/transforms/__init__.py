"""Image transforms as objects: ``minitorch.vision.transforms`` (torchvision's names and arguments).

A transform is a callable ``img -> img``; ``Compose`` chains them, typically ending with
``ToTensor()`` and ``Normalize``. Random transforms draw their parameters from minitorch's global
generator in the same order as torchvision, so ``minitorch.manual_seed`` makes them repeatable.
The work is done by the functions in ``functional.py``; these classes only hold the arguments and
draw the random ones. A transform takes a tensor image (..., C, H, W) or a PIL image.

>>> import minitorch as torch
>>> from minitorch.vision import transforms
>>> augment = transforms.Compose([transforms.RandomRotation((-15, 15)), transforms.Normalize((0.5,), (0.5,))])
>>> augment(torch.rand(1, 28, 28)).shape
torch.Size([1, 28, 28])
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence

import minitorch as torch
from minitorch import nn

from . import functional as F
from .functional import InterpolationMode

__all__ = ["Compose", "ToTensor", "PILToTensor", "ToPILImage", "Normalize", "Lambda", "Resize", "CenterCrop",
           "Pad", "RandomApply", "RandomCrop", "RandomHorizontalFlip", "RandomVerticalFlip", "RandomResizedCrop",
           "RandomRotation", "RandomAffine", "ColorJitter", "Grayscale", "GaussianBlur", "RandomErasing",
           "GaussianNoise", "InterpolationMode", "functional"]


def _uniform(low, high):
    """One number drawn uniformly from [low, high) by the global generator: the number torchvision's
    ``torch.empty(1).uniform_(low, high).item()`` draws, straight from the generator (a tensor
    and its fill would cost ~20x more)."""
    return torch.default_generator._rng.uniform(low, high)


def _randint(high):
    """``torch.randint(0, high, size=(1,)).item()``, straight from the global generator."""
    return torch.default_generator._rng.integers(0, high, size=None)


# ---- plain callables: composing and converting ----------------------------------------------------

class Compose:
    """Apply ``transforms`` one after the other.

    >>> Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])
    Compose(
        ToTensor()
        Normalize(mean=(0.1307,), std=(0.3081,))
    )
    """

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{self.__class__.__name__}({lines}\n)"


class ToTensor:
    """A PIL image or an (H, W, C) ``uint8`` numpy array as a (C, H, W) float tensor in [0, 1]."""

    def __call__(self, pic):
        return F.to_tensor(pic)

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class PILToTensor:
    """A PIL image as a (C, H, W) tensor of its own dtype (no scaling)."""

    def __call__(self, pic):
        return F.pil_to_tensor(pic)

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class ToPILImage:
    """A tensor (C, H, W) or an (H, W, C) numpy array as a PIL image (see ``functional.to_pil_image``)."""

    def __init__(self, mode=None):
        self.mode = mode

    def __call__(self, pic):
        return F.to_pil_image(pic, self.mode)

    def __repr__(self):
        return f"{self.__class__.__name__}()" if self.mode is None else f"{self.__class__.__name__}(mode={self.mode})"


class Lambda:
    """Your function as a transform: ``Lambda(lambda x: x.flatten())``."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return f"{self.__class__.__name__}()"


# ---- deterministic transforms (modules, as in torchvision) --------------------------------------

class Normalize(nn.Module):
    """``(x - mean) / std`` per channel; ``Normalize((0.1307,), (0.3081,))`` for MNIST."""

    def __init__(self, mean, std, inplace=False):
        super().__init__()
        self.mean, self.std, self.inplace = mean, std, inplace

    def forward(self, tensor):
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self):
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"


def _setup_size(size, error_msg):
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if len(size) != 2:
        raise ValueError(error_msg)
    return tuple(size)


class Resize(nn.Module):
    """Resize to ``size``: (h, w), or an int for the shorter edge (see ``functional.resize``)."""

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
        super().__init__()
        if not isinstance(size, (int, Sequence)):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        if isinstance(size, Sequence) and len(size) not in (1, 2):
            raise ValueError("If size is a sequence, it should have 1 or 2 values")
        self.size, self.max_size, self.antialias = size, max_size, antialias
        self.interpolation = F._PIL_CODES.get(interpolation, interpolation)

    def forward(self, img):
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self):
        return (f"{self.__class__.__name__}(size={self.size}, interpolation={self.interpolation.value}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class CenterCrop(nn.Module):
    """The ``size`` window in the middle of the image."""

    def __init__(self, size):
        super().__init__()
        self.size = _setup_size(size, error_msg="Please provide only two dimensions (h, w) for size.")

    def forward(self, img):
        return F.center_crop(img, self.size)

    def __repr__(self):
        return f"{self.__class__.__name__}(size={self.size})"


class Pad(nn.Module):
    """Pad the borders (see ``functional.pad``)."""

    def __init__(self, padding, fill=0, padding_mode="constant"):
        super().__init__()
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def forward(self, img):
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self):
        return f"{self.__class__.__name__}(padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode})"


class Grayscale(nn.Module):
    """Convert to grey (1 or 3 identical channels)."""

    def __init__(self, num_output_channels=1):
        super().__init__()
        self.num_output_channels = num_output_channels

    def forward(self, img):
        return F.rgb_to_grayscale(img, num_output_channels=self.num_output_channels)

    def __repr__(self):
        return f"{self.__class__.__name__}(num_output_channels={self.num_output_channels})"


# ---- random transforms --------------------------------------------------------------------------

class RandomApply(nn.Module):
    """Apply the list of ``transforms`` with probability ``p`` (else return the image unchanged)."""

    def __init__(self, transforms, p=0.5):
        super().__init__()
        self.transforms, self.p = transforms, p

    def forward(self, img):
        if self.p < torch.rand(1):
            return img
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{self.__class__.__name__}(\n    p={self.p}{lines}\n)"


class _RandomFlip(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, img):
        return self.flip(img) if torch.rand(1) < self.p else img

    def __repr__(self):
        return f"{self.__class__.__name__}(p={self.p})"


class RandomHorizontalFlip(_RandomFlip):
    """Mirror left <-> right with probability ``p``."""

    flip = staticmethod(F.hflip)


class RandomVerticalFlip(_RandomFlip):
    """Mirror top <-> bottom with probability ``p``."""

    flip = staticmethod(F.vflip)


class RandomCrop(nn.Module):
    """A ``size`` window at a random place, after optional ``padding`` (see ``functional.pad``);
    ``pad_if_needed`` pads an image smaller than ``size`` instead of failing."""

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        super().__init__()
        self.size = _setup_size(size, error_msg="Please provide only two dimensions (h, w) for size.")
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode

    @staticmethod
    def get_params(img, output_size):
        """Random ``(top, left, height, width)`` of a crop of ``output_size``."""
        _, h, w = F.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
        if w == tw and h == th:
            return 0, 0, h, w
        return _randint(h - th + 1), _randint(w - tw + 1), th, tw

    def forward(self, img):
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img, self.size))

    def __repr__(self):
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"


def _random_box(height, width, scale, ratio):
    """Draw an area fraction in ``scale`` and an aspect ratio (log-uniform) in ``ratio``:
    the box's (h, w) (the ``ratio`` is width / height), or None if it does not fit."""
    log_low, log_high = torch.log(torch.tensor(ratio)).tolist()  # float32 logs, as torchvision draws with
    area = height * width * _uniform(scale[0], scale[1])
    aspect = float(torch.exp(torch.empty(1).uniform_(log_low, log_high)).item())
    return int(round(math.sqrt(area / aspect))), int(round(math.sqrt(area * aspect)))


class RandomResizedCrop(nn.Module):
    """Crop a random box (a ``scale`` fraction of the area, aspect ratio in ``ratio``) and resize it
    to ``size``: the classic ImageNet augmentation."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=InterpolationMode.BILINEAR, antialias=True):
        super().__init__()
        self.size = _setup_size(size, error_msg="Please provide only two dimensions (h, w) for size.")
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)")
        self.interpolation = F._PIL_CODES.get(interpolation, interpolation)
        self.scale, self.ratio, self.antialias = scale, ratio, antialias

    @staticmethod
    def get_params(img, scale, ratio):
        """Random ``(top, left, height, width)``: 10 tries, then the largest centred box that fits ``ratio``."""
        _, height, width = F.get_dimensions(img)
        for _ in range(10):
            h, w = _random_box(height, width, scale, ratio)
            if 0 < w <= width and 0 < h <= height:
                return _randint(height - h + 1), _randint(width - w + 1), h, w
        in_ratio = width / height
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            h, w = height, width
        return (height - h) // 2, (width - w) // 2, h, w

    def forward(self, img):
        i, j, h, w = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, i, j, h, w, self.size, self.interpolation, antialias=self.antialias)

    def __repr__(self):
        return (f"{self.__class__.__name__}(size={self.size}, scale={tuple(round(s, 4) for s in self.scale)}, "
                f"ratio={tuple(round(r, 4) for r in self.ratio)}, interpolation={self.interpolation.value}, "
                f"antialias={self.antialias})")


def _setup_angle(x, name, req_sizes=(2,)):
    """``15 -> [-15.0, 15.0]``; a sequence of one of ``req_sizes`` lengths is kept (as floats)."""
    if isinstance(x, numbers.Number):
        if x < 0:
            raise ValueError(f"If {name} is a single number, it must be positive.")
        x = [-x, x]
    else:
        _check_sequence(x, name, req_sizes)
    return [float(d) for d in x]


def _check_sequence(x, name, req_sizes):
    lengths = " or ".join(str(s) for s in req_sizes)
    if not isinstance(x, Sequence):
        raise TypeError(f"{name} should be a sequence of length {lengths}.")
    if len(x) not in req_sizes:
        raise ValueError(f"{name} should be a sequence of length {lengths}.")


def _setup_fill(fill):
    if fill is None:
        return 0
    if not isinstance(fill, (Sequence, numbers.Number)):
        raise TypeError("Fill should be either a sequence or a number.")
    return fill


def _fill_per_channel(fill, img):
    """A tensor image takes ``fill`` as one float per channel (a PIL image as it is)."""
    if not isinstance(img, torch.Tensor):
        return fill
    if isinstance(fill, (int, float)):
        return [float(fill)] * F.get_dimensions(img)[0]
    return [float(f) for f in fill]


class RandomRotation(nn.Module):
    """Rotate by an angle drawn uniformly from ``degrees`` (a number d means (-d, d)),
    counter-clockwise for positive angles; the uncovered corners get ``fill``.

    >>> RandomRotation((-15, 15))
    RandomRotation(degrees=[-15.0, 15.0], interpolation=nearest, expand=False, fill=0)
    """

    def __init__(self, degrees, interpolation=InterpolationMode.NEAREST, expand=False, center=None, fill=0):
        super().__init__()
        self.degrees = _setup_angle(degrees, name="degrees", req_sizes=(2,))
        if center is not None:
            _check_sequence(center, "center", req_sizes=(2,))
        self.interpolation = F._PIL_CODES.get(interpolation, interpolation)
        self.expand, self.center, self.fill = expand, center, _setup_fill(fill)

    @staticmethod
    def get_params(degrees):
        return _uniform(float(degrees[0]), float(degrees[1]))

    def forward(self, img):
        fill = _fill_per_channel(self.fill, img)
        return F.rotate(img, self.get_params(self.degrees), self.interpolation, self.expand, self.center, fill)

    def __repr__(self):
        center = f", center={self.center}" if self.center is not None else ""
        return (f"{self.__class__.__name__}(degrees={self.degrees}, interpolation={self.interpolation.value}, "
                f"expand={self.expand}{center}, fill={self.fill})")


class RandomAffine(nn.Module):
    """A random rotation (``degrees``), shift (``translate`` = max fraction of width, height),
    ``scale`` (a range) and ``shear`` (degrees: d, (min, max) along x, or 4 numbers for x and y)."""

    def __init__(self, degrees, translate=None, scale=None, shear=None, interpolation=InterpolationMode.NEAREST,
                 fill=0, center=None):
        super().__init__()
        self.degrees = _setup_angle(degrees, name="degrees", req_sizes=(2,))
        if translate is not None:
            _check_sequence(translate, "translate", req_sizes=(2,))
            if not all(0.0 <= t <= 1.0 for t in translate):
                raise ValueError("translation values should be between 0 and 1")
        if scale is not None:
            _check_sequence(scale, "scale", req_sizes=(2,))
            if any(s <= 0 for s in scale):
                raise ValueError("scale values should be positive")
        if center is not None:
            _check_sequence(center, "center", req_sizes=(2,))
        self.translate, self.scale, self.center = translate, scale, center
        self.shear = None if shear is None else _setup_angle(shear, name="shear", req_sizes=(2, 4))
        self.interpolation = F._PIL_CODES.get(interpolation, interpolation)
        self.fill = _setup_fill(fill)

    @staticmethod
    def get_params(degrees, translate, scale_ranges, shears, img_size):
        """Random ``(angle, (tx, ty), scale, (shear_x, shear_y))``; ``img_size`` is (width, height)."""
        angle = _uniform(float(degrees[0]), float(degrees[1]))
        translations = (0, 0)
        if translate is not None:
            max_dx, max_dy = float(translate[0] * img_size[0]), float(translate[1] * img_size[1])
            translations = (int(round(_uniform(-max_dx, max_dx))), int(round(_uniform(-max_dy, max_dy))))
        scale = 1.0 if scale_ranges is None else _uniform(scale_ranges[0], scale_ranges[1])
        shear = (0.0, 0.0)
        if shears is not None:
            shear = (_uniform(shears[0], shears[1]), _uniform(shears[2], shears[3]) if len(shears) == 4 else 0.0)
        return angle, translations, scale, shear

    def forward(self, img):
        fill = _fill_per_channel(self.fill, img)
        size = F.get_image_size(img)
        params = self.get_params(self.degrees, self.translate, self.scale, self.shear, size)
        return F.affine(img, *params, interpolation=self.interpolation, fill=fill, center=self.center)

    def __repr__(self):
        s = f"{self.__class__.__name__}(degrees={self.degrees}"
        s += f", translate={self.translate}" if self.translate is not None else ""
        s += f", scale={self.scale}" if self.scale is not None else ""
        s += f", shear={self.shear}" if self.shear is not None else ""
        s += f", interpolation={self.interpolation.value}" if self.interpolation != InterpolationMode.NEAREST else ""
        s += f", fill={self.fill}" if self.fill != 0 else ""
        s += f", center={self.center}" if self.center is not None else ""
        return s + ")"


class ColorJitter(nn.Module):
    """Random brightness, contrast, saturation and hue changes, applied in a random order.

    Each factor is drawn uniformly from a range: a number b means ``[max(0, 1 - b), 1 + b]``
    (hue: ``[-h, h]``, at most 0.5), a pair is the range itself.

    >>> ColorJitter(brightness=(0.6, 1), contrast=(0.8, 1))
    ColorJitter(brightness=(0.6, 1.0), contrast=(0.8, 1.0), saturation=None, hue=None)
    """

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        self.brightness = self._check_input(brightness, "brightness")
        self.contrast = self._check_input(contrast, "contrast")
        self.saturation = self._check_input(saturation, "saturation")
        self.hue = self._check_input(hue, "hue", center=0, bound=(-0.5, 0.5), clip_first_on_zero=False)

    @staticmethod
    def _check_input(value, name, center=1, bound=(0, float("inf")), clip_first_on_zero=True):
        """The (low, high) range of a factor, or None when it can only be ``center`` (no change)."""
        if isinstance(value, numbers.Number):
            if value < 0:
                raise ValueError(f"If {name} is a single number, it must be non negative.")
            value = [center - float(value), center + float(value)]
            if clip_first_on_zero:
                value[0] = max(value[0], 0.0)
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            value = [float(value[0]), float(value[1])]
        else:
            raise TypeError(f"{name} should be a single number or a list/tuple with length 2.")
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f"{name} values should be between {bound}, but got {value}.")
        return None if value[0] == value[1] == center else tuple(value)

    @staticmethod
    def get_params(brightness, contrast, saturation, hue):
        """A random order of the 4 adjustments and a factor for each one that is on (else None)."""
        order = torch.randperm(4)
        factors = [None if r is None else _uniform(r[0], r[1]) for r in (brightness, contrast, saturation, hue)]
        return (order, *factors)

    def forward(self, img):
        order, *factors = self.get_params(self.brightness, self.contrast, self.saturation, self.hue)
        adjust = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for i in order.tolist():
            if factors[i] is not None:
                img = adjust[i](img, factors[i])
        return img

    def __repr__(self):
        return (f"{self.__class__.__name__}(brightness={self.brightness}, contrast={self.contrast}, "
                f"saturation={self.saturation}, hue={self.hue})")


class GaussianBlur(nn.Module):
    """Blur with a Gaussian of ``kernel_size`` whose std is drawn uniformly from ``sigma`` (min, max)."""

    def __init__(self, kernel_size, sigma=(0.1, 2.0)):
        super().__init__()
        self.kernel_size = _setup_size(kernel_size, "Kernel size should be a tuple/list of two integers")
        if any(k <= 0 or k % 2 == 0 for k in self.kernel_size):
            raise ValueError("Kernel size value should be an odd and positive number.")
        if isinstance(sigma, numbers.Number):
            if sigma <= 0:
                raise ValueError("If sigma is a single number, it must be positive.")
            sigma = (sigma, sigma)
        elif isinstance(sigma, Sequence) and len(sigma) == 2:
            if not 0.0 < sigma[0] <= sigma[1]:
                raise ValueError("sigma values should be positive and of the form (min, max).")
        else:
            raise ValueError("sigma should be a single number or a list/tuple with length 2.")
        self.sigma = sigma

    @staticmethod
    def get_params(sigma_min, sigma_max):
        return _uniform(sigma_min, sigma_max)

    def forward(self, img):
        sigma = self.get_params(self.sigma[0], self.sigma[1])
        return F.gaussian_blur(img, self.kernel_size, [sigma, sigma])

    def __repr__(self):
        return f"{self.__class__.__name__}(kernel_size={self.kernel_size}, sigma={self.sigma})"


class RandomErasing(nn.Module):
    """With probability ``p``, overwrite a random box (area fraction in ``scale``, aspect ratio in
    ``ratio``) of a tensor image with ``value`` (a number, one per channel, or ``'random'``: noise)."""

    def __init__(self, p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False):
        super().__init__()
        if not isinstance(value, (numbers.Number, str, tuple, list)):
            raise TypeError("Argument value should be either a number or str or a sequence")
        if isinstance(value, str) and value != "random":
            raise ValueError("If value is str, it should be 'random'")
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)")
        if scale[0] < 0 or scale[1] > 1:
            raise ValueError("Scale should be between 0 and 1")
        if p < 0 or p > 1:
            raise ValueError("Random erasing probability should be between 0 and 1")
        self.p, self.scale, self.ratio, self.value, self.inplace = p, scale, ratio, value, inplace

    @staticmethod
    def get_params(img, scale, ratio, value=None):
        """Random ``(top, left, h, w, v)``; after 10 misses, the whole image is "erased" by itself."""
        img_c, img_h, img_w = img.shape[-3], img.shape[-2], img.shape[-1]
        for _ in range(10):
            w, h = _random_box(img_h, img_w, scale, ratio)  # torchvision reads the ratio as h / w here
            if not (h < img_h and w < img_w):
                continue
            v = torch.empty(img_c, h, w).normal_() if value is None else torch.tensor(value)[:, None, None]
            return _randint(img_h - h + 1), _randint(img_w - w + 1), h, w, v
        return 0, 0, img_h, img_w, img

    def forward(self, img):
        if torch.rand(1) < self.p:
            if isinstance(self.value, str):
                value = None
            elif isinstance(self.value, numbers.Number):
                value = [float(self.value)]
            else:
                value = [float(v) for v in self.value]
            if value is not None and len(value) not in (1, img.shape[-3]):
                raise ValueError("If value is a sequence, it should have either a single value or "
                                 f"{img.shape[-3]} (number of input channels)")
            return F.erase(img, *self.get_params(img, self.scale, self.ratio, value), self.inplace)
        return img

    def __repr__(self):
        return (f"{self.__class__.__name__}(p={self.p}, scale={self.scale}, ratio={self.ratio}, "
                f"value={self.value}, inplace={self.inplace})")


class GaussianNoise(nn.Module):
    """Add noise from N(``mean``, ``sigma``^2) to every pixel of a tensor image (torchvision v2's
    ``GaussianNoise``); ``clip`` keeps values in [0, 1]. The lecture's ``Noise(mean, stddev)``."""

    def __init__(self, mean=0.0, sigma=0.1, clip=True):
        super().__init__()
        self.mean, self.sigma, self.clip = mean, sigma, clip

    def forward(self, img):
        return F.gaussian_noise(img, mean=self.mean, sigma=self.sigma, clip=self.clip)

    def __repr__(self):
        return f"{self.__class__.__name__}(mean={self.mean}, sigma={self.sigma}, clip={self.clip})"
