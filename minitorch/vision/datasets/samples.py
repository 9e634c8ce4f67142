"""Sample photos shipped with minitorch, for trying colour and geometric augmentation."""

from __future__ import annotations

from minitorch import data as bundled
from minitorch._optional import require

SAMPLE_IMAGES = {"cat": "chelsea.png"}  # name -> file in minitorch/data (see SOURCES.md there)


def sample_image(name="cat"):
    """A bundled colour photo as a PIL RGB image.

    ``'cat'``: Chelsea the cat, 451 x 300 pixels (scikit-image's sample, photo by Stefan van der
    Walt, CC0).

    >>> from minitorch.vision.datasets import sample_image
    >>> sample_image("cat").size
    (451, 300)
    """
    if name not in SAMPLE_IMAGES:
        raise ValueError(f"no sample image {name!r}; choose one of {sorted(SAMPLE_IMAGES)}")
    Image = require("PIL.Image", extra="notebooks", feature="sample_image")

    with Image.open(bundled.path(SAMPLE_IMAGES[name])) as image:
        return image.convert("RGB")
