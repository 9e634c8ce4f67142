"""The transforms on PIL images, done by Pillow itself (torchvision's ``functional_pil``).

torchvision hands a PIL image to Pillow's own ``rotate``/``transform``/``resize``/``crop``, so
for PIL inputs we do the same: the pixels are torchvision's, and one call into Pillow's C code
replaces ~70 tensor ops (converting to a tensor, a sampling grid, gathering, converting back).
Arguments are checked by the callers in ``functional.py``; these functions only translate them
into Pillow's terms.
"""

from __future__ import annotations

# Pillow's resampling filters, by InterpolationMode value (Image.Resampling's integer codes)
RESAMPLE = {"nearest": 0, "nearest-exact": 0, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5, "lanczos": 1}


def fill_option(fill, img):
    """torchvision's ``_parse_fill``: ``fill`` (None, a number, or one per channel) as Pillow's
    ``fillcolor`` - an int per band (a float for mode 'F'), a tuple for several bands."""
    bands = len(img.getbands())
    fill = 0 if fill is None else fill
    if isinstance(fill, (int, float)) and bands > 1:
        fill = [fill] * bands
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = list(fill) * bands
        if len(fill) != bands:
            raise ValueError("The number of elements in 'fill' does not match the number of channels of the image "
                             f"({len(fill)} != {bands})")
        return tuple(fill if img.mode == "F" else (int(v) for v in fill))
    return fill if img.mode == "F" else int(fill)


def rotate(img, angle, resample, expand, center, fill):
    """Counter-clockwise by ``angle`` degrees about ``center`` (pixels from the top-left corner)."""
    return img.rotate(angle, resample, expand, center, fillcolor=fill_option(fill, img))


def affine(img, matrix, resample, fill):
    """Resample through the inverse map ``matrix`` (6 floats: output pixel -> input pixel)."""
    from PIL import Image

    return img.transform(img.size, Image.AFFINE, matrix, resample, fillcolor=fill_option(fill, img))


def resize(img, height, width, resample):
    return img.resize((width, height), resample)


def crop(img, top, left, height, width):
    """Pillow fills the parts outside the image with 0, as the tensor path does."""
    return img.crop((left, top, left + width, top + height))


def flip(img, horizontal):
    from PIL import Image

    return img.transpose(Image.FLIP_LEFT_RIGHT if horizontal else Image.FLIP_TOP_BOTTOM)
