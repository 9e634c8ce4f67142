"""``DistributedSampler``: each rank reads its own, equally long share of the dataset."""

from __future__ import annotations

import math

from .sampler import Sampler


class DistributedSampler(Sampler):
    """Indices for rank ``rank`` of ``num_replicas``: the same (shuffled) order on every rank, dealt
    out like cards (rank r takes positions r, r + num_replicas, ...).

    Every rank gets ``len(self)`` indices: without ``drop_last`` the order is padded by repeating
    its start, with it the tail is cut. Call ``set_epoch(epoch)`` before each epoch, or every epoch
    repeats the same order. The order is torch's for the same ``seed`` and epoch.

    >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
    [1, 3, 0]
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False):
        if num_replicas is None or rank is None:
            from ... import distributed as dist

            num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
            rank = dist.get_rank() if rank is None else rank
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset, self.num_replicas, self.rank = dataset, num_replicas, rank
        self.epoch, self.drop_last, self.shuffle, self.seed = 0, drop_last, shuffle, seed
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)  # the largest even split
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self):
        from ... import ops

        n = len(self.dataset)
        if self.shuffle:  # the same permutation on every rank: seeded by seed + epoch
            indices = ops.randperm(n, generator=ops.Generator().manual_seed(self.seed + self.epoch)).tolist()
        else:
            indices = list(range(n))
        if self.drop_last:
            indices = indices[:self.total_size]
        else:
            padding = self.total_size - n
            indices += (indices * math.ceil(padding / n))[:padding] if n else []
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Shuffle differently in epoch ``epoch`` (the same way on every rank)."""
        self.epoch = epoch
