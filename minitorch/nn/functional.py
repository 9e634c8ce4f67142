"""``minitorch.nn.functional`` (``import minitorch.nn.functional as F``): the layers as functions.

Where each function lives (``minitorch/nn/_functional/``):

* ``activation.py``: relu, leaky_relu, prelu, glu, rrelu, elu, selu, celu, gelu, silu, mish, softplus, hardtanh,
  relu6, hardswish, hardsigmoid, hardshrink, softshrink, tanhshrink, threshold, logsigmoid, softsign,
  sigmoid, tanh, softmax, softmin, log_softmax
* ``linear.py``: linear, dropout (1d, 2d, 3d, alpha_dropout, feature_alpha_dropout), embedding, one_hot
* ``conv.py``: conv1d, conv2d, pad
* ``pooling.py``: max_pool1d/2d, avg_pool1d/2d, adaptive_avg_pool1d/2d, adaptive_max_pool1d/2d (and
  their ``_with_indices`` forms)
* ``normalization.py``: batch_norm, instance_norm, layer_norm, group_norm, rms_norm, normalize, cosine_similarity,
  pairwise_distance
* ``loss.py``: mse_loss, l1_loss, smooth_l1_loss, huber_loss, nll_loss, cross_entropy,
  binary_cross_entropy, binary_cross_entropy_with_logits, kl_div
"""

from ._functional import activation, conv, linear as _linear, loss, normalization, pooling
from ._functional.activation import *  # noqa: F401,F403
from ._functional.conv import *  # noqa: F401,F403
from ._functional.linear import *  # noqa: F401,F403
from ._functional.loss import *  # noqa: F401,F403
from ._functional.normalization import *  # noqa: F401,F403
from ._functional.pooling import *  # noqa: F401,F403

__all__ = activation.__all__ + _linear.__all__ + conv.__all__ + pooling.__all__ + normalization.__all__ + loss.__all__
del activation, conv, _linear, loss, normalization, pooling
