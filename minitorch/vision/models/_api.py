"""Pretrained weights, the torchvision way: ``resnet8(weights="DIGITS04")`` or
``resnet8(weights=ResNet8_Weights.DEFAULT)``.

Each model has a ``<Model>_Weights`` enum whose members describe one set of weights: where the file
is, its SHA-256, and ``meta`` (class names, parameter count, accuracy, how it was trained).

* The digits weights are *bundled*: a small ``minitorch.save`` file in ``weights/`` next to this
  module, checked against its SHA-256 before it is read, so they work offline.
* The ImageNet weights keep torchvision's names (``IMAGENET1K_V1``...) so course code reads the
  same, but they are not shipped (tens to hundreds of MB each): asking for them raises a
  ``RuntimeError`` that says how to load a state dict saved elsewhere.
"""

from __future__ import annotations

import functools
import hashlib
import io
import warnings
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources

import minitorch

__all__ = ["Weights", "WeightsEnum", "handle_legacy_interface"]


@dataclass
class Weights:
    """One set of weights: a bundled ``file`` (with its ``sha256``), or only the ``url`` torchvision
    downloads them from; ``transforms`` builds the preprocessing they were trained with."""

    url: str | None = None
    file: str | None = None
    sha256: str | None = None
    transforms: object = None
    meta: dict = field(default_factory=dict)


class WeightsEnum(Enum):
    """The weights a model can load, one member each (``DEFAULT`` is an alias of the best one)."""

    @classmethod
    def verify(cls, obj):
        """``obj`` as a member: ``None`` stays ``None``, a name such as ``"DIGITS04"`` or
        ``"ResNet8_Weights.DIGITS04"`` is looked up."""
        if obj is None or isinstance(obj, cls):
            return obj
        if isinstance(obj, str):
            name = obj.replace(cls.__name__ + ".", "")
            if name not in cls.__members__:
                raise KeyError(f"{obj!r} is not one of {cls.__name__}: it has {', '.join(cls.__members__)}")
            return cls[name]
        raise TypeError(f"Invalid Weight class provided; expected {cls.__name__} but received "
                        f"{obj.__class__.__name__}.")

    @property
    def url(self):
        return self.value.url

    @property
    def meta(self):
        return self.value.meta

    @property
    def transforms(self):
        return self.value.transforms

    def get_state_dict(self, progress=True, check_hash=True):
        """The state dict of these weights, read from the bundled file after checking its SHA-256
        (``progress`` is accepted for torchvision's signature: nothing is downloaded)."""
        if self.value.file is None:
            raise RuntimeError(_not_bundled_message(self))
        data = (resources.files(__package__) / "weights" / self.value.file).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if check_hash and digest != self.value.sha256:
            raise RuntimeError(
                f"{self}: the bundled file weights/{self.value.file} has SHA-256 {digest}, expected "
                f"{self.value.sha256}. The file is damaged or was replaced: reinstall minitorch, or rebuild it "
                f"with scripts/train_digits.py and record its new checksum.")
        return minitorch.load(io.BytesIO(data))

    def __repr__(self):
        return f"{self.__class__.__name__}.{self.name}"


def _not_bundled_message(weights):
    return (
        f"{weights}: ImageNet weights are not bundled with minitorch (torchvision downloads them from "
        f"{weights.url}; minitorch works offline and never unpickles files). Build the model without "
        f"weights and load a state dict saved elsewhere with load_state_dict: "
        f"model.load_state_dict(minitorch.load(PATH)) for a file written by minitorch.save, or convert "
        f"torchvision's weights once, in PyTorch: numpy.savez(PATH, **{{k: v.numpy() for k, v in "
        f"tv_model.state_dict().items()}}), then model.load_state_dict({{k: minitorch.from_numpy(v) for k, v "
        f"in numpy.load(PATH).items()}}). The bundled, offline weights are the digits models': "
        f"resnet8(weights='DIGITS04') and lenet5(weights='DIGITS04').")


def handle_legacy_interface(default):
    """Decorator for a model builder: accept the pre-0.13 ``pretrained=True`` as torchvision does,
    meaning ``weights=default`` (``pretrained=False`` means no weights), with its two warnings."""

    def decorate(builder):
        @functools.wraps(builder)
        def wrapper(*args, **kwargs):
            if "pretrained" in kwargs:
                warnings.warn("The parameter 'pretrained' is deprecated since 0.13 and may be removed in the "
                              "future, please use 'weights' instead.", UserWarning, stacklevel=2)
                if kwargs.pop("pretrained") and kwargs.get("weights") is None:
                    name = f"{type(default).__name__}.{default.name}"
                    warnings.warn(
                        f"Arguments other than a weight enum or `None` for 'weights' are deprecated since 0.13 and "
                        f"may be removed in the future. The current behavior is equivalent to passing "
                        f"`weights={name}`. You can also use `weights={type(default).__name__}.DEFAULT` to get the "
                        f"most up-to-date weights.", UserWarning, stacklevel=2)
                    kwargs["weights"] = default
            return builder(*args, **kwargs)

        return wrapper

    return decorate


def _ovewrite_named_param(kwargs, param, new_value):
    """Weights fix some arguments (``num_classes`` = their number of categories): fill them in, or
    refuse a different value (torchvision's helper, with its spelling)."""
    if param in kwargs and kwargs[param] != new_value:
        raise ValueError(f"The parameter '{param}' expected value {new_value} but got {kwargs[param]} instead.")
    kwargs[param] = new_value


def _build(model_class, weights, progress, *args, **kwargs):
    """``model_class(*args, **kwargs)``, then the ``weights`` loaded into it (if any)."""
    if weights is not None:
        if weights.value.file is None:  # fail before allocating a large model
            raise RuntimeError(_not_bundled_message(weights))
        _ovewrite_named_param(kwargs, "num_classes", len(weights.meta["categories"]))
    model = model_class(*args, **kwargs)
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress))
    return model


def imagenet_transforms(crop_size=224, resize_size=256):
    """torchvision's ImageNet preprocessing: resize the short side, centre crop, scale to [0, 1]
    and normalise with ImageNet's channel means and standard deviations."""
    from ..transforms import CenterCrop, Compose, Normalize, Resize, ToTensor

    return Compose([Resize(resize_size), CenterCrop(crop_size), ToTensor(),
                    Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
