"""minitorch: a readable PyTorch-compatible tensor, autograd and nn library for teaching.

``import minitorch as torch`` and write PyTorch code; the implementation is short enough to read.
Importing it calls ``numpy.seterr(all="ignore")`` (see ``backends/cpu.py``): torch never warns about inf/nan.
"""

from . import _dtypes
from ._device import device, get_default_device, set_default_device  # noqa: F401
from ._dtypes import finfo, get_default_dtype, iinfo, promote_types, set_default_dtype, strided  # noqa: F401
from ._tensor import Size, Tensor, TypedStorage, UntypedStorage, legacy_constructor  # noqa: F401
from ._tensor_str import get_printoptions, printoptions, set_printoptions  # noqa: F401
from . import autograd, backends, ops  # noqa: F401
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401
from .ops import *  # noqa: F401,F403
from .ops import creation as _creation
from .ops.creation import Generator, default_generator, initial_seed, manual_seed, seed  # noqa: F401
from . import cuda, nn, optim, utils  # noqa: F401
from .serialization import load, save  # noqa: F401
from . import viz  # noqa: F401
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled, set_anomaly_enabled  # noqa: F401
from .autograd.grad_mode import is_inference_mode_enabled  # noqa: F401

del linalg  # noqa: F821 - ops' matrix-product module (from ops import *); torch.linalg is the namespace:
from . import linalg  # noqa: E402,F401

__version__ = "0.1.0"

for _d in _dtypes.ALL:
    globals()[_d.name] = _d
for _alias, _d in _dtypes.ALIASES.items():
    globals()[_alias] = _d
bool = _dtypes.bool_  # noqa: A001  (torch.bool shadows the builtin inside this namespace only)
dtype = _dtypes.dtype

for _d in _dtypes.ALL:
    globals()[_d.legacy_name + "Tensor"] = legacy_constructor(_d)


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def result_type(tensor1, tensor2):
    return _dtypes.result_type(tensor1, tensor2)


def is_floating_point(input):
    return input.dtype.is_floating_point


# torch's top-level copies of some nn.functional ops (``torch.relu_(x)``, ``torch.conv2d(...)``).
# Some take their arguments in aten's order, or return what aten returns, so they get a small adapter.
from .nn import functional as _F  # noqa: E402
from .nn.functional import (celu, celu_, conv2d, cosine_similarity, layer_norm, max_pool2d, relu_,  # noqa: E402,F401
                            selu, selu_, threshold, threshold_)
from .nn.functional import rms_norm  # noqa: E402,F401
from .nn.functional import hardshrink, prelu, rrelu_  # noqa: E402,F401
from .nn._functional.activation import RreluWithNoise as _RreluWithNoise  # noqa: E402


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    """``torch.rrelu``: :func:`nn.functional.rrelu` with aten's arguments (a ``generator``, no ``inplace``)."""
    return _RreluWithNoise.apply(input, lower, upper, training, generator)


def dropout(input, p, train):
    """``torch.dropout``: :func:`nn.functional.dropout` with aten's arguments."""
    return _F.dropout(input, p, train)


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``torch.embedding``: :func:`nn.functional.embedding` with the table first (-1: no padding row)."""
    return _F.embedding(indices, weight, padding_idx if padding_idx >= 0 else None,
                        scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled):
    """``torch.batch_norm``: :func:`nn.functional.batch_norm` with aten's argument order."""
    return _F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled):
    """``torch.instance_norm``: :func:`nn.functional.instance_norm` with aten's argument order."""
    return _F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def adaptive_max_pool1d(input, output_size):
    """``torch.adaptive_max_pool1d``: always ``(values, indices)``."""
    return _F.adaptive_max_pool1d_with_indices(input, output_size)


del _d, _alias


def __getattr__(name):
    """``minitorch.fx``, ``minitorch.func``, ``minitorch.distributed`` (above nn and autograd) and
    ``minitorch.version`` load on first use: startup stays short."""
    if name in ("fx", "func", "distributed", "version"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'minitorch' has no attribute '{name}'")
