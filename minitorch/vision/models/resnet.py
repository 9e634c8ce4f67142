"""ResNet (He et al., 2015, https://arxiv.org/abs/1512.03385), module for module as torchvision
builds it, so ``print(resnet18())`` and the state-dict keys are torchvision's.

A ResNet is a stem (7x7 conv stride 2, BN, ReLU, 3x3 max pool stride 2), four ``layer``s of
residual blocks (each layer after the first halves the image and doubles the channels), a global
average pool and one ``fc`` layer. A block adds its input to what its convolutions compute
(``out += identity``): the gradient flows back through that sum unchanged, which is what lets
very deep networks train. When a block changes the shape, ``downsample`` (1x1 conv + BN) reshapes
the identity so the two can be added.

>>> from minitorch.vision.models import resnet18
>>> model = resnet18()
>>> model.fc
Linear(in_features=512, out_features=1000, bias=True)
"""

from __future__ import annotations

import functools

import minitorch
from minitorch import nn

from ._api import Weights, WeightsEnum, _build, handle_legacy_interface, imagenet_transforms

__all__ = ["ResNet", "BasicBlock", "Bottleneck", "ResNet18_Weights", "ResNet34_Weights", "ResNet50_Weights",
           "ResNet101_Weights", "ResNet152_Weights", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152"]


def conv3x3(in_planes, out_planes, stride=1, groups=1, dilation=1):
    """3x3 convolution with padding (keeps the image size at stride 1)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=dilation, groups=groups,
                     bias=False, dilation=dilation)


def conv1x1(in_planes, out_planes, stride=1):
    """1x1 convolution: mixes channels, pixel by pixel."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions plus the identity (ResNet-18/34). ``expansion``: output channels per
    ``planes``."""

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1,
                 norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        if groups != 1 or base_width != 64:
            raise ValueError("BasicBlock only supports groups=1 and base_width=64")
        if dilation > 1:
            raise NotImplementedError("Dilation > 1 not supported in BasicBlock")
        # both conv1 and downsample shrink the image when stride != 1, so the two paths still match
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity
        return self.relu(out)


class Bottleneck(nn.Module):
    """1x1 (narrow the channels), 3x3, 1x1 (widen them ``expansion`` = 4 times) plus the identity
    (ResNet-50 and deeper): the 3x3 convolution works on 4x fewer channels, which is cheaper."""

    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1,
                 norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += identity
        return self.relu(out)


class ResNet(nn.Module):
    """The ImageNet ResNet: ``block`` is ``BasicBlock`` or ``Bottleneck``, ``layers`` the number of
    blocks in each of the four stages (``[2, 2, 2, 2]`` is ResNet-18)."""

    def __init__(self, block, layers, num_classes=1000, zero_init_residual=False, groups=1, width_per_group=64,
                 replace_stride_with_dilation=None, norm_layer=None):
        super().__init__()
        self._norm_layer = nn.BatchNorm2d if norm_layer is None else norm_layer
        self.inplanes = 64
        self.dilation = 1
        if replace_stride_with_dilation is None:
            replace_stride_with_dilation = [False, False, False]
        if len(replace_stride_with_dilation) != 3:
            raise ValueError("replace_stride_with_dilation should be None or a 3-element tuple, got "
                             f"{replace_stride_with_dilation}")
        self.groups = groups
        self.base_width = width_per_group
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = self._norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2, dilate=replace_stride_with_dilation[0])
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2, dilate=replace_stride_with_dilation[1])
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2, dilate=replace_stride_with_dilation[2])
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)
        self._init_weights(zero_init_residual)

    def _init_weights(self, zero_init_residual):
        """torchvision's initialisation: He-normal convolutions (fan_out, for ReLU), BN as the
        identity; optionally each block's last BN at 0, so every block starts as the identity
        (https://arxiv.org/abs/1706.02677)."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    nn.init.constant_(m.bn3.weight, 0)
                elif isinstance(m, BasicBlock):
                    nn.init.constant_(m.bn2.weight, 0)

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        """A stage: ``blocks`` blocks of ``planes`` channels, the first one with ``stride`` (and the
        ``downsample`` that reshapes its identity)."""
        norm_layer = self._norm_layer
        downsample = None
        previous_dilation = self.dilation
        if dilate:  # keep the resolution: dilate the following convolutions instead of striding
            self.dilation *= stride
            stride = 1
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       norm_layer(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample, self.groups, self.base_width, previous_dilation,
                        norm_layer)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, groups=self.groups, base_width=self.base_width,
                         dilation=self.dilation, norm_layer=norm_layer) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = minitorch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def _imagenet_weights(url, num_params, acc1, acc5, resize_size=256):
    return Weights(url=url, transforms=functools.partial(imagenet_transforms, 224, resize_size),
                   meta={"num_params": num_params, "num_categories": 1000, "min_size": (1, 1),
                         "metrics": {"ImageNet-1K": {"acc@1": acc1, "acc@5": acc5}}})


class ResNet18_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("https://download.pytorch.org/models/resnet18-f37072fd.pth", 11689512,
                                      69.758, 89.078)
    DEFAULT = IMAGENET1K_V1


class ResNet34_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("https://download.pytorch.org/models/resnet34-b627a593.pth", 21797672,
                                      73.314, 91.420)
    DEFAULT = IMAGENET1K_V1


class ResNet50_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("https://download.pytorch.org/models/resnet50-0676ba61.pth", 25557032,
                                      76.130, 92.862)
    IMAGENET1K_V2 = _imagenet_weights("https://download.pytorch.org/models/resnet50-11ad3fa6.pth", 25557032,
                                      80.858, 95.434, resize_size=232)
    DEFAULT = IMAGENET1K_V2


class ResNet101_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("https://download.pytorch.org/models/resnet101-63fe2227.pth", 44549160,
                                      77.374, 93.546)
    IMAGENET1K_V2 = _imagenet_weights("https://download.pytorch.org/models/resnet101-cd907fc2.pth", 44549160,
                                      81.886, 95.780, resize_size=232)
    DEFAULT = IMAGENET1K_V2


class ResNet152_Weights(WeightsEnum):
    IMAGENET1K_V1 = _imagenet_weights("https://download.pytorch.org/models/resnet152-394f9c45.pth", 60192808,
                                      78.312, 94.046)
    IMAGENET1K_V2 = _imagenet_weights("https://download.pytorch.org/models/resnet152-f82ba261.pth", 60192808,
                                      82.284, 96.002, resize_size=232)
    DEFAULT = IMAGENET1K_V2


@handle_legacy_interface(ResNet18_Weights.IMAGENET1K_V1)
def resnet18(*, weights=None, progress=True, **kwargs):
    """ResNet-18: ``BasicBlock`` stages of 2, 2, 2, 2 blocks (11.7M parameters). ``kwargs`` go to
    ``ResNet`` (e.g. ``num_classes=10``)."""
    return _build(ResNet, ResNet18_Weights.verify(weights), progress, BasicBlock, [2, 2, 2, 2], **kwargs)


@handle_legacy_interface(ResNet34_Weights.IMAGENET1K_V1)
def resnet34(*, weights=None, progress=True, **kwargs):
    """ResNet-34: ``BasicBlock`` stages of 3, 4, 6, 3 blocks (21.8M parameters)."""
    return _build(ResNet, ResNet34_Weights.verify(weights), progress, BasicBlock, [3, 4, 6, 3], **kwargs)


@handle_legacy_interface(ResNet50_Weights.IMAGENET1K_V1)
def resnet50(*, weights=None, progress=True, **kwargs):
    """ResNet-50: ``Bottleneck`` stages of 3, 4, 6, 3 blocks (25.6M parameters)."""
    return _build(ResNet, ResNet50_Weights.verify(weights), progress, Bottleneck, [3, 4, 6, 3], **kwargs)


@handle_legacy_interface(ResNet101_Weights.IMAGENET1K_V1)
def resnet101(*, weights=None, progress=True, **kwargs):
    """ResNet-101: ``Bottleneck`` stages of 3, 4, 23, 3 blocks (44.5M parameters)."""
    return _build(ResNet, ResNet101_Weights.verify(weights), progress, Bottleneck, [3, 4, 23, 3], **kwargs)


@handle_legacy_interface(ResNet152_Weights.IMAGENET1K_V1)
def resnet152(*, weights=None, progress=True, **kwargs):
    """ResNet-152: ``Bottleneck`` stages of 3, 8, 36, 3 blocks (60.2M parameters)."""
    return _build(ResNet, ResNet152_Weights.verify(weights), progress, Bottleneck, [3, 8, 36, 3], **kwargs)
