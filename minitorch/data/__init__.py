"""Small data files shipped inside the package, so notebooks, tests and Colab need no network.

Where each file comes from, and its licence, is in ``SOURCES.md`` next to them.

>>> from minitorch import data
>>> images, labels = data.load_mnist5k()
>>> images.shape, images.dtype, labels.shape, labels.dtype
((5000, 28, 28), dtype('uint8'), (5000,), dtype('int64'))
"""

from __future__ import annotations

from importlib import resources

import numpy as np

FILES = ("mnist_5k.npz", "chelsea.png", "SOURCES.md")


def path(name):
    """The path of the bundled file ``name`` (one of ``FILES``), e.g. ``path("chelsea.png")``.

    A ``pathlib.Path`` for an installed (or checked-out) package: pass it to ``open``,
    ``numpy.load`` or ``PIL.Image.open``.
    """
    if name not in FILES:
        raise FileNotFoundError(f"no bundled data file {name!r}; the package ships {', '.join(FILES)}")
    return resources.files(__name__) / name


def load_mnist5k():
    """5,000 MNIST training digits, 500 of each class, as numpy arrays.

    Returns ``(images, labels)``: ``images`` uint8 of shape (5000, 28, 28) with pixel values
    0..255, ``labels`` int64 of shape (5000,) (int64 because PyTorch's losses take class indices
    as ``torch.long``). The digits are sorted by class: shuffle before splitting.
    """
    with np.load(path("mnist_5k.npz")) as archive:
        return archive["images"], archive["labels"].astype(np.int64)
