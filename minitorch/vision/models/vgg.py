"""VGG (Simonyan & Zisserman, 2014, https://arxiv.org/abs/1409.1556) as torchvision builds it.

A VGG is ``features`` - stacks of 3x3 convolutions (each followed by ReLU, or BN and ReLU for the
``_bn`` variants), a 2x2 max pool after each stack - then ``avgpool`` to 7x7 and a
``classifier`` of three ``Linear`` layers. The variants differ only in how many convolutions
each stack has (``cfgs``); nearly all of the 138M parameters of VGG-16 are in the classifier's
first layer (512 * 7 * 7 -> 4096).

>>> from minitorch.vision.models import vgg
>>> vgg.cfgs["A"]  # VGG-11: the channels of each conv, "M" for a max pool
[64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']
"""

from __future__ import annotations

import minitorch
from minitorch import nn

from ._api import Weights, WeightsEnum, _build, handle_legacy_interface, imagenet_transforms

__all__ = ["VGG", "VGG11_Weights", "VGG11_BN_Weights", "VGG13_Weights", "VGG13_BN_Weights", "VGG16_Weights",
           "VGG16_BN_Weights", "VGG19_Weights", "VGG19_BN_Weights", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn",
           "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"]


class VGG(nn.Module):
    """``features`` (from ``make_layers``), ``avgpool`` and ``classifier``."""

    def __init__(self, features, num_classes=1000, init_weights=True, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        if init_weights:  # torchvision's: He-normal convs, BN as the identity, small-normal linears
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = minitorch.flatten(self.avgpool(self.features(x)), 1)
        return self.classifier(x)


def make_layers(cfg, batch_norm=False):
    """The ``features`` Sequential for ``cfg``: a number is a 3x3 conv with that many output
    channels (+ BN if ``batch_norm``) + ReLU, ``"M"`` a 2x2 max pool."""
    layers = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            conv = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
            layers += [conv, nn.BatchNorm2d(v), nn.ReLU(inplace=True)] if batch_norm else [conv, nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


cfgs = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def _vgg(cfg, batch_norm, weights, progress, **kwargs):
    return _build(VGG, weights, progress, make_layers(cfgs[cfg], batch_norm), **kwargs)


def _imagenet_weights(file_name, num_params, acc1, acc5):
    return Weights(url=f"https://download.pytorch.org/models/{file_name}", transforms=imagenet_transforms,
                   meta={"num_params": num_params, "num_categories": 1000, "min_size": (32, 32),
                         "metrics": {"ImageNet-1K": {"acc@1": acc1, "acc@5": acc5}}})


class VGG11_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg11-8a719046.pth", 132863336, 69.020, 88.628)
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg11_bn-6002323d.pth", 132868840, 70.370, 89.810)
    DEFAULT = IMAGENET1K_V1


class VGG13_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg13-19584684.pth", 133047848, 69.928, 89.246)
    DEFAULT = IMAGENET1K_V1


class VGG13_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg13_bn-abd245e5.pth", 133053736, 71.586, 90.374)
    DEFAULT = IMAGENET1K_V1


class VGG16_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg16-397923af.pth", 138357544, 71.592, 90.382)
    DEFAULT = IMAGENET1K_V1


class VGG16_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg16_bn-6c64b313.pth", 138365992, 73.360, 91.516)
    DEFAULT = IMAGENET1K_V1


class VGG19_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg19-dcbb9e9d.pth", 143667240, 72.376, 90.876)
    DEFAULT = IMAGENET1K_V1


class VGG19_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("vgg19_bn-c79401a0.pth", 143678248, 74.218, 91.842)
    DEFAULT = IMAGENET1K_V1


@handle_legacy_interface(VGG11_Weights.IMAGENET1K_V1)
def vgg11(*, weights=None, progress=True, **kwargs):
    """VGG-11 (configuration "A"): 8 convolutions + 3 linear layers."""
    return _vgg("A", False, VGG11_Weights.verify(weights), progress, **kwargs)


@handle_legacy_interface(VGG11_BN_Weights.IMAGENET1K_V1)
def vgg11_bn(*, weights=None, progress=True, **kwargs):
    """VGG-11 with batch normalisation after each convolution."""
    return _vgg("A", True, VGG11_BN_Weights.verify(weights), progress, **kwargs)


@handle_legacy_interface(VGG13_Weights.IMAGENET1K_V1)
def vgg13(*, weights=None, progress=True, **kwargs):
    """VGG-13 (configuration "B"): 10 convolutions + 3 linear layers."""
    return _vgg("B", False, VGG13_Weights.verify(weights), progress, **kwargs)


@handle_legacy_interface(VGG13_BN_Weights.IMAGENET1K_V1)
def vgg13_bn(*, weights=None, progress=True, **kwargs):
    """VGG-13 with batch normalisation after each convolution."""
    return _vgg("B", True, VGG13_BN_Weights.verify(weights), progress, **kwargs)


@handle_legacy_interface(VGG16_Weights.IMAGENET1K_V1)
def vgg16(*, weights=None, progress=True, **kwargs):
    """VGG-16 (configuration "D"): 13 convolutions + 3 linear layers."""
    return _vgg("D", False, VGG16_Weights.verify(weights), progress, **kwargs)


@handle_legacy_interface(VGG16_BN_Weights.IMAGENET1K_V1)
def vgg16_bn(*, weights=None, progress=True, **kwargs):
    """VGG-16 with batch normalisation after each convolution."""
    return _vgg("D", True, VGG16_BN_Weights.verify(weights), progress, **kwargs)


@handle_legacy_interface(VGG19_Weights.IMAGENET1K_V1)
def vgg19(*, weights=None, progress=True, **kwargs):
    """VGG-19 (configuration "E"): 16 convolutions + 3 linear layers."""
    return _vgg("E", False, VGG19_Weights.verify(weights), progress, **kwargs)


@handle_legacy_interface(VGG19_BN_Weights.IMAGENET1K_V1)
def vgg19_bn(*, weights=None, progress=True, **kwargs):
    """VGG-19 with batch normalisation after each convolution."""
    return _vgg("E", True, VGG19_BN_Weights.verify(weights), progress, **kwargs)
