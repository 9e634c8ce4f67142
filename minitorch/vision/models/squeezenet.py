"""SqueezeNet (Iandola et al., 2016, https://arxiv.org/abs/1602.07360): AlexNet's accuracy with
50x fewer parameters, as torchvision builds it.

Its unit is the ``Fire`` module: a 1x1 ``squeeze`` convolution cuts the channels, then 1x1 and
3x3 ``expand`` convolutions run side by side and their outputs are concatenated. There is no
fully-connected layer: the ``classifier`` is a 1x1 convolution to ``num_classes`` channels
averaged over the image.

>>> from minitorch.vision.models import squeezenet1_1
>>> squeezenet1_1().classifier[1]
Conv2d(512, 1000, kernel_size=(1, 1), stride=(1, 1))
"""

from __future__ import annotations

import minitorch
from minitorch import nn

from ._api import Weights, WeightsEnum, _build, handle_legacy_interface, imagenet_transforms

__all__ = ["SqueezeNet", "SqueezeNet1_0_Weights", "SqueezeNet1_1_Weights", "squeezenet1_0", "squeezenet1_1"]


class Fire(nn.Module):
    """Squeeze to ``squeeze_planes`` channels, then expand with 1x1 and 3x3 convs, concatenated."""

    def __init__(self, inplanes, squeeze_planes, expand1x1_planes, expand3x3_planes):
        super().__init__()
        self.inplanes = inplanes
        self.squeeze = nn.Conv2d(inplanes, squeeze_planes, kernel_size=1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze_planes, expand1x1_planes, kernel_size=1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze_planes, expand3x3_planes, kernel_size=3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return minitorch.cat([self.expand1x1_activation(self.expand1x1(x)),
                              self.expand3x3_activation(self.expand3x3(x))], 1)


class SqueezeNet(nn.Module):
    """SqueezeNet ``version`` "1_0" or "1_1" (1.1: same accuracy, 2.4x less computation)."""

    def __init__(self, version="1_0", num_classes=1000, dropout=0.5):
        super().__init__()
        self.num_classes = num_classes
        if version == "1_0":
            self.features = nn.Sequential(
                nn.Conv2d(3, 96, kernel_size=7, stride=2), nn.ReLU(inplace=True),
                nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
                Fire(96, 16, 64, 64), Fire(128, 16, 64, 64), Fire(128, 32, 128, 128),
                nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
                Fire(256, 32, 128, 128), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256),
                nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
                Fire(512, 64, 256, 256),
            )
        elif version == "1_1":
            self.features = nn.Sequential(
                nn.Conv2d(3, 64, kernel_size=3, stride=2), nn.ReLU(inplace=True),
                nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
                Fire(64, 16, 64, 64), Fire(128, 16, 64, 64),
                nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
                Fire(128, 32, 128, 128), Fire(256, 32, 128, 128),
                nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
                Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256), Fire(512, 64, 256, 256),
            )
        else:
            raise ValueError(f"Unsupported SqueezeNet version {version}: 1_0 or 1_1 expected")
        final_conv = nn.Conv2d(512, self.num_classes, kernel_size=1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), final_conv, nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))
        for m in self.modules():  # torchvision's: the final conv starts small, the others He-uniform
            if isinstance(m, nn.Conv2d):
                if m is final_conv:
                    nn.init.normal_(m.weight, mean=0.0, std=0.01)
                else:
                    nn.init.kaiming_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return minitorch.flatten(self.classifier(self.features(x)), 1)


def _imagenet_weights(file_name, num_params, min_size, acc1, acc5):
    return Weights(url=f"https://download.pytorch.org/models/{file_name}", transforms=imagenet_transforms,
                   meta={"num_params": num_params, "num_categories": 1000, "min_size": min_size,
                         "metrics": {"ImageNet-1K": {"acc@1": acc1, "acc@5": acc5}}})


class SqueezeNet1_0_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("squeezenet1_0-b66bff10.pth", 1248424, (21, 21), 58.092, 80.420)
    DEFAULT = IMAGENET1K_V1


class SqueezeNet1_1_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("squeezenet1_1-b8a52dc0.pth", 1235496, (17, 17), 58.178, 80.624)
    DEFAULT = IMAGENET1K_V1


@handle_legacy_interface(SqueezeNet1_0_Weights.IMAGENET1K_V1)
def squeezenet1_0(*, weights=None, progress=True, **kwargs):
    """SqueezeNet 1.0 (1.25M parameters)."""
    return _build(SqueezeNet, SqueezeNet1_0_Weights.verify(weights), progress, "1_0", **kwargs)


@handle_legacy_interface(SqueezeNet1_1_Weights.IMAGENET1K_V1)
def squeezenet1_1(*, weights=None, progress=True, **kwargs):
    """SqueezeNet 1.1 (1.24M parameters, 2.4x less computation than 1.0)."""
    return _build(SqueezeNet, SqueezeNet1_1_Weights.verify(weights), progress, "1_1", **kwargs)
