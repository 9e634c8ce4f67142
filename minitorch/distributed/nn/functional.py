"""``all_reduce`` as an autograd ``Function`` (``torch.distributed.nn.functional.all_reduce``).

The sum over ranks ``y = x_0 + x_1 + ...`` is the same on every rank, so each rank's loss depends
on every rank's ``x``: the gradient reaching ``x_r`` is the sum, over all ranks, of the gradients
reaching ``y``. The backward of a sum all-reduce is therefore another sum all-reduce.
``nn.SyncBatchNorm`` computes its batch statistics with it.
"""

from __future__ import annotations

from ...autograd.function import Function
from .. import distributed_c10d as c10d


class AllReduceSum(Function):
    """``y = sum over ranks of x`` (out of place), differentiable."""

    @staticmethod
    def forward(ctx, x, group):
        ctx.group = group
        y = x.clone()
        c10d.all_reduce(y, c10d.ReduceOp.SUM, group)
        return y

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        c10d.all_reduce(grad, c10d.ReduceOp.SUM, ctx.group)
        return grad, None


def all_reduce(tensor, op=c10d.ReduceOp.SUM, group=None):
    """The sum over the ranks of ``tensor`` as a new tensor, with gradients flowing back to every rank.

    Every rank must also run the backward (as DDP training does): it is a collective too.
    """
    if op is not c10d.ReduceOp.SUM:
        raise NotImplementedError(f"minitorch.distributed.nn.functional.all_reduce supports ReduceOp.SUM, not {op}")
    return AllReduceSum.apply(tensor, group)
