"""``minitorch.vision.models``: torchvision's classic architectures, and pretrained digits models
that work offline.

* ImageNet architectures, module for module as torchvision builds them (same printout, same
  state-dict keys, same parameter counts): ``resnet18/34/50/101/152``, ``vgg11/13/16/19`` and
  their ``_bn`` variants, ``alexnet``, ``squeezenet1_0/1_1``. Their ImageNet weights are not
  bundled: ``weights="IMAGENET1K_V1"`` or ``pretrained=True`` raise an error explaining how to
  load a state dict saved elsewhere.
* Digits models for 1x28x28 inputs: ``lenet5`` and ``resnet8``; ``resnet8(weights="DIGITS04")``
  loads weights trained on the digits 0-4 (shipped in ``weights/``, checked by SHA-256), ready to
  be fine-tuned on the digits 5-9 (``load_digits``) - the lecture's recipe, offline.

>>> from minitorch.vision import models
>>> model = models.resnet18(num_classes=100)
>>> model.fc
Linear(in_features=512, out_features=100, bias=True)
"""

from ._api import Weights, WeightsEnum
from .alexnet import *  # noqa: F401,F403
from .alexnet import __all__ as _alexnet_all
from .digits import *  # noqa: F401,F403
from .digits import __all__ as _digits_all
from .resnet import *  # noqa: F401,F403
from .resnet import __all__ as _resnet_all
from .squeezenet import *  # noqa: F401,F403
from .squeezenet import __all__ as _squeezenet_all
from .vgg import *  # noqa: F401,F403
from .vgg import __all__ as _vgg_all

__all__ = ["Weights", "WeightsEnum", *_resnet_all, *_vgg_all, *_alexnet_all, *_squeezenet_all, *_digits_all]
