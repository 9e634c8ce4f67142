"""``minitorch.nn.parallel``: ``DistributedDataParallel`` (needs ``minitorch.distributed``)."""

from .distributed import DistributedDataParallel

__all__ = ["DistributedDataParallel"]
