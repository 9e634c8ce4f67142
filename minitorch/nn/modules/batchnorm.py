"""``BatchNorm1d`` and ``BatchNorm2d``."""

from __future__ import annotations

from ... import ops
from ..._dtypes import int64
from ...autograd import no_grad
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module


class _BatchNorm(Module):
    """Normalise each channel with the batch's statistics (training) or running ones (eval).

    Buffers: ``running_mean``, ``running_var`` (updated with ``momentum``; ``momentum=None`` means a
    cumulative average) and ``num_batches_tracked``. Parameters (``affine``): ``weight``, ``bias``.
    """

    _expected_dims = ()

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None,
                 dtype=None, *, bias=True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        factory = {"device": device, "dtype": dtype}
        self.weight = Parameter(ops.ones(num_features, **factory)) if affine else None
        self.bias = Parameter(ops.zeros(num_features, **factory)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", ops.zeros(num_features, **factory))
            self.register_buffer("running_var", ops.ones(num_features, **factory))
            self.register_buffer("num_batches_tracked", ops.tensor(0, dtype=int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def _check_input_dim(self, input):
        if input.dim() not in self._expected_dims:
            names = " or ".join(f"{d}D" for d in self._expected_dims)
            raise ValueError(f"expected {names} input (got {input.dim()}D input)")

    def forward(self, input):
        self._check_input_dim(input)
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                momentum = 1.0 / int(self.num_batches_tracked)
        # batch statistics when training, or when there are no running statistics to use
        use_batch_stats = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats
        return self._normalize(input, self.running_mean if track else None, self.running_var if track else None,
                               use_batch_stats, momentum)

    def _normalize(self, input, running_mean, running_var, use_batch_stats, momentum):
        """The normalisation itself (``SyncBatchNorm`` computes its batch statistics across ranks)."""
        return F.batch_norm(input, running_mean, running_var, self.weight, self.bias, use_batch_stats, momentum,
                            self.eps)

    def _load_from_state_dict(self, state_dict, prefix, *args):
        # checkpoints from before num_batches_tracked existed: keep ours instead of reporting it missing
        key = prefix + "num_batches_tracked"
        if self.track_running_stats and key not in state_dict:
            state_dict[key] = self.num_batches_tracked
        super()._load_from_state_dict(state_dict, prefix, *args)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm over ``(N, C)`` or ``(N, C, L)`` inputs (statistics per channel ``C``)."""

    _expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm over ``(N, C, H, W)`` inputs (statistics per channel ``C``).

    >>> from minitorch import nn
    >>> nn.BatchNorm2d(64)
    BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    """

    _expected_dims = (4,)
