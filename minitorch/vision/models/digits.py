"""Small models for 28x28 grey digits, and pretrained weights that ship with minitorch.

* ``lenet5``: LeNet-5 (LeCun et al., 1998) - two 5x5 convolutions with pooling, three linear
  layers (61,706 parameters for 10 classes);
* ``resnet8``: the CIFAR-style ResNet of He et al. (2015, section 4.2) with one ``BasicBlock`` per
  stage: a 3x3 stem, three stages of 16, 32 and 64 channels (28 -> 14 -> 7 pixels), a global
  average pool and ``fc``. Its module names are ResNet-18's, so the lecture's recipe reads the
  same: ``model.fc = nn.Linear(64, 5)``.

``weights="DIGITS04"`` loads weights trained on the digits 0-4 of the bundled MNIST sample by
``scripts/train_digits.py`` (deterministic by seed). The digits 5-9 are left for fine-tuning:

>>> from minitorch import nn
>>> from minitorch.vision.models import resnet8
>>> model = resnet8(weights="DIGITS04")       # offline: the file is inside the package
>>> for param in model.parameters():
...     param.requires_grad = False           # freeze the backbone
>>> model.fc = nn.Linear(64, 5)               # a new head for the digits 5-9

``load_digits`` gives the tensors: ``images, labels = load_digits(range(5, 10), train=True)``.
"""

from __future__ import annotations

import numpy as np

import minitorch
from minitorch import data as bundled, nn

from ..datasets.mnist import mnist5k_split
from ._api import Weights, WeightsEnum, _build, handle_legacy_interface
from .resnet import BasicBlock, ResNet, conv3x3

__all__ = ["LeNet5", "SmallResNet", "ResNet8_Weights", "lenet5", "resnet8", "load_digits",
           "MNIST_MEAN", "MNIST_STD"]

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # of all 60,000 MNIST training pixels, scaled to [0, 1]


def load_digits(digits=range(5), train=True):
    """The bundled MNIST digits in ``digits`` from ``vision.datasets.MNIST5k``'s fixed split
    (``train=True``: 400 per digit, ``False``: the 100 held-out ones), as ``(images, labels)``:
    float32 (N, 1, 28, 28) normalised with ``MNIST_MEAN`` / ``MNIST_STD``, and int64 labels
    numbered by position in ``digits`` (``range(5, 10)`` gives 5 -> 0, ..., 9 -> 4).

    >>> images, labels = load_digits(range(5), train=False)
    >>> images.shape, labels.unique().tolist()
    (torch.Size([500, 1, 28, 28]), [0, 1, 2, 3, 4])
    """
    images, labels = bundled.load_mnist5k()
    index = mnist5k_split(labels)[0 if train else 1]
    digits = list(digits)
    index = index[np.isin(labels[index], digits)]  # keeps the split's (class-mixing) order
    new_label = np.full(10, -1)
    new_label[digits] = np.arange(len(digits))
    x = (minitorch.from_numpy(images[index]).float().unsqueeze(1) / 255 - MNIST_MEAN) / MNIST_STD
    return x, minitorch.from_numpy(new_label[labels[index]])


class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max pooling: ``features`` (28x28 -> 16 maps of 5x5) and ``classifier``."""

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(inplace=True),
            nn.Linear(120, 84), nn.ReLU(inplace=True),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(minitorch.flatten(self.features(x), 1))


class SmallResNet(ResNet):
    """A ResNet for small images: a 3x3 stem without max pool, then three stages of ``widths``
    channels (the second and third halve the image), ``layers[i]`` blocks each. It reuses
    ``ResNet``'s ``_make_layer`` and initialisation; only the stem and the stages differ."""

    def __init__(self, block, layers, num_classes=10, in_channels=1, widths=(16, 32, 64), zero_init_residual=False,
                 norm_layer=None):
        nn.Module.__init__(self)  # not ResNet.__init__: that one builds the 224x224 stem and four stages
        self._norm_layer = nn.BatchNorm2d if norm_layer is None else norm_layer
        self.inplanes, self.dilation, self.groups, self.base_width = widths[0], 1, 1, 64
        self.conv1 = conv3x3(in_channels, widths[0])
        self.bn1 = self._norm_layer(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = self._make_layer(block, widths[0], layers[0])
        self.layer2 = self._make_layer(block, widths[1], layers[1], stride=2)
        self.layer3 = self._make_layer(block, widths[2], layers[2], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[-1] * block.expansion, num_classes)
        self._init_weights(zero_init_residual)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(minitorch.flatten(self.avgpool(x), 1))


def _digits_transforms():
    """The preprocessing the digits weights expect: a PIL digit -> normalised 1x28x28 tensor."""
    from ..transforms import Compose, Normalize, ToTensor

    return Compose([ToTensor(), Normalize((MNIST_MEAN,), (MNIST_STD,))])


def _digits04_weights(file, sha256, num_params, accuracy):
    return Weights(file=file, sha256=sha256, transforms=_digits_transforms, meta={
        "categories": ["0", "1", "2", "3", "4"], "num_params": num_params, "min_size": (28, 28),
        "recipe": "scripts/train_digits.py", "mean": (MNIST_MEAN,), "std": (MNIST_STD,),
        "metrics": {"MNIST5k digits 0-4, held out": {"acc@1": accuracy}},
        "_docs": "Trained on the 2,000 training digits 0-4 of vision.datasets.MNIST5k (load_digits(range(5))); "
                 "the accuracy is on its 500 held-out digits 0-4 (load_digits(range(5), train=False)).",
    })


class ResNet8_Weights(WeightsEnum):
    DIGITS04 = _digits04_weights(
        "resnet8_digits04.mt", sha256="cd53e6a59a1993161745564e2987ee2227a3e7eb1e3fa8f4a895faac2efb4cd8",
        num_params=77429, accuracy=0.98)
    DEFAULT = DIGITS04


def lenet5(*, weights=None, progress=True, **kwargs):
    """LeNet-5 for 1x28x28 digits. ``kwargs`` go to ``LeNet5`` (``num_classes``, ``in_channels``).
    It has no pretrained weights: the bundled ones are ``resnet8(weights="DIGITS04")``'s."""
    if weights is not None or kwargs.pop("pretrained", False):
        raise ValueError("lenet5 has no pretrained weights; the digits weights bundled with minitorch are "
                         "resnet8(weights='DIGITS04')")
    return LeNet5(**kwargs)


@handle_legacy_interface(ResNet8_Weights.DEFAULT)
def resnet8(*, weights=None, progress=True, **kwargs):
    """ResNet-8 for 1x28x28 digits: ``BasicBlock`` stages of 16, 32, 64 channels, one block each
    (about 78k parameters). ``kwargs`` go to ``SmallResNet`` (``num_classes``, ``in_channels``)."""
    return _build(SmallResNet, ResNet8_Weights.verify(weights), progress, BasicBlock, [1, 1, 1], **kwargs)
