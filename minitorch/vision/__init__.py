"""``minitorch.vision``: torchvision for minitorch - image transforms, datasets and plotting helpers.

* ``transforms``: augmentation and conversion (``transforms.Compose([...])``), functions in
  ``transforms.functional``;
* ``datasets``: ``MNIST5k`` and a sample photo shipped with the package (no network needed),
  downloaders for ``MNIST`` / ``FashionMNIST``, ``ImageFolder``, the synthetic ``Letters29``;
* ``models``: torchvision's architectures, plus small digits models with bundled weights;
* ``utils``: ``make_grid`` and ``show_images`` for notebooks.

Like torchvision, it is a separate import: ``from minitorch.vision import datasets, transforms``.
"""

from . import datasets, models, transforms, utils  # noqa: F401
