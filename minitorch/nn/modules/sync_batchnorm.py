"""``SyncBatchNorm``: batch norm whose statistics are those of the whole batch, over every rank.

With data parallelism each rank sees a slice of the batch; plain ``BatchNorm`` would normalise
with the slice's mean and variance. ``SyncBatchNorm`` sums the per-channel sums over the ranks
(an all-reduce) first, so every rank normalises with the statistics of the whole batch: the same
numbers as one process running ``BatchNorm`` on the full batch. The all-reduce is
differentiable (``distributed.nn.functional.all_reduce``): backward sends gradients to every
rank's input, as the full-batch computation would.
"""

from __future__ import annotations

from ... import ops
from ...autograd import no_grad
from .batchnorm import _BatchNorm


class SyncBatchNorm(_BatchNorm):
    """Batch norm over ``(N, C, *)`` inputs with statistics synchronised across ranks (training).

    Outside training, without an initialised process group, or in a world of one it is exactly
    ``BatchNorm``. Unlike torch (GPU only), CPU tensors synchronise too, through MPI.

    >>> from minitorch import nn
    >>> nn.SyncBatchNorm(8)
    SyncBatchNorm(8, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    """

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True,
                 process_group=None, device=None, dtype=None):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype)
        self.process_group = process_group

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")
        if input.size(1) == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")

    def _normalize(self, x, running_mean, running_var, use_batch_stats, momentum):
        """Batch norm with the whole batch's statistics when training among several ranks."""
        from ... import distributed as dist
        from ...distributed.nn.functional import all_reduce as all_reduce_with_grad

        world = dist.get_world_size(self.process_group) if dist.is_initialized() else 1
        if not (self.training and use_batch_stats) or world == 1:
            return super()._normalize(x, running_mean, running_var, use_batch_stats, momentum)
        dims = (0,) + tuple(range(2, x.dim()))
        shape = (1, -1) + (1,) * (x.dim() - 2)
        count = ops.tensor([float(x.numel() // x.size(1))], dtype=x.dtype, device=x.device)
        dist.all_reduce(count, group=self.process_group)  # elements per channel in the whole batch
        mean = all_reduce_with_grad(x.sum(dims), group=self.process_group) / count
        centered = x - mean.view(shape)
        var = all_reduce_with_grad((centered * centered).sum(dims), group=self.process_group) / count
        if running_mean is not None:
            with no_grad():
                n = count.item()
                running_mean.mul_(1 - momentum).add_(mean * momentum)
                running_var.mul_(1 - momentum).add_(var * (n / max(n - 1, 1)) * momentum)
        y = centered * (var + self.eps).rsqrt().view(shape)
        y = y if self.weight is None else y * self.weight.view(shape)
        return y if self.bias is None else y + self.bias.view(shape)

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """``module`` with every ``BatchNorm*d`` inside replaced by a ``SyncBatchNorm`` sharing its
        parameters and buffers (call it before wrapping the model in ``DistributedDataParallel``)."""
        converted = module
        if isinstance(module, _BatchNorm) and not isinstance(module, SyncBatchNorm):
            converted = cls(module.num_features, module.eps, module.momentum, module.affine,
                            module.track_running_stats, process_group)
            if module.affine:
                converted.weight, converted.bias = module.weight, module.bias
            converted.running_mean, converted.running_var = module.running_mean, module.running_var
            converted.num_batches_tracked = module.num_batches_tracked
            converted.training = module.training
        for name, child in module.named_children():
            converted.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return converted

