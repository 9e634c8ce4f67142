"""``minitorch.vision.datasets``: image datasets (torchvision's names).

* bundled, no network: ``MNIST5k`` (5,000 MNIST digits), ``sample_image('cat')``;
* downloaded once, verified and cached: ``MNIST``, ``FashionMNIST``;
* your own images: ``ImageFolder(root)``;
* synthetic: ``Letters29`` (26 letters, 29x29, for the vanishing-gradient experiment).
"""

from .folder import IMG_EXTENSIONS, ImageFolder, default_loader, pil_loader
from .letters import Letters29
from .mnist import MNIST, MNIST5k, FashionMNIST, read_idx
from .samples import sample_image
from .vision import VisionDataset

__all__ = ["VisionDataset", "MNIST5k", "MNIST", "FashionMNIST", "ImageFolder", "Letters29", "sample_image",
           "IMG_EXTENSIONS", "default_loader", "pil_loader", "read_idx"]
