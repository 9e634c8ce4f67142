"""AlexNet (Krizhevsky et al., 2012), in torchvision's version (from "One weird trick...",
https://arxiv.org/abs/1404.5997): five convolutions with three max pools in ``features``,
``avgpool`` to 6x6, and a ``classifier`` of three ``Linear`` layers with dropout.

>>> from minitorch.vision.models import alexnet
>>> alexnet().classifier[-1]
Linear(in_features=4096, out_features=1000, bias=True)
"""

from __future__ import annotations

import minitorch
from minitorch import nn

from ._api import Weights, WeightsEnum, _build, handle_legacy_interface, imagenet_transforms

__all__ = ["AlexNet", "AlexNet_Weights", "alexnet"]


class AlexNet(nn.Module):
    """``features``, ``avgpool`` and ``classifier``, with PyTorch's default initialisation."""

    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = minitorch.flatten(self.avgpool(self.features(x)), 1)
        return self.classifier(x)


class AlexNet_Weights(WeightsEnum):
    IMAGENET1K_V1 = Weights(url="https://download.pytorch.org/models/alexnet-owt-7be5be79.pth",
                            transforms=imagenet_transforms,
                            meta={"num_params": 61100840, "num_categories": 1000, "min_size": (63, 63),
                                  "metrics": {"ImageNet-1K": {"acc@1": 56.522, "acc@5": 79.066}}})
    DEFAULT = IMAGENET1K_V1


@handle_legacy_interface(AlexNet_Weights.IMAGENET1K_V1)
def alexnet(*, weights=None, progress=True, **kwargs):
    """AlexNet (61.1M parameters). ``kwargs`` go to ``AlexNet`` (``num_classes``, ``dropout``)."""
    return _build(AlexNet, AlexNet_Weights.verify(weights), progress, **kwargs)
