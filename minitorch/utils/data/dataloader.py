"""``DataLoader``: iterate over a dataset in (shuffled) mini-batches, collated into tensors.

>>> import minitorch as torch
>>> from minitorch.utils.data import DataLoader, TensorDataset
>>> ds = TensorDataset(torch.arange(10.0).view(10, 1), torch.arange(10))
>>> [len(y) for x, y in DataLoader(ds, batch_size=4, shuffle=True)]
[4, 4, 2]
"""

from __future__ import annotations

import collections.abc
import copy
import re

import numpy as np

from ... import _dtypes
from ..._tensor import Tensor
from ...ops import creation
from ...ops.join import stack
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

_COLLATE_ERROR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
_STRING_OR_OBJECT_ARRAY = re.compile(r"[SaUO]")  # numpy dtype codes that cannot become tensors


def default_collate(batch):
    """Merge a list of samples into a batch, the way torch does:

    - tensors -> stacked along a new first dim;
    - numpy arrays -> tensors, stacked; numpy scalars -> a tensor of them;
    - python floats -> a float64 tensor, ints -> an int64 tensor (bools -> a bool tensor);
    - strings and bytes -> left as a list;
    - dicts -> a dict of collated values; namedtuples -> the namedtuple of collated fields;
      tuples and lists -> a list of collated fields (``[(x0, y0), (x1, y1)] -> [X, Y]``).

    >>> import minitorch as torch
    >>> default_collate([(torch.tensor([1, 2]), 0.5), (torch.tensor([3, 4]), 1.5)])
    [tensor([[1, 2],
            [3, 4]]), tensor([0.5000, 1.5000], dtype=torch.float64)]
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch, 0)
    if isinstance(elem, np.ndarray):
        if _STRING_OR_OBJECT_ARRAY.search(elem.dtype.str) is not None:
            raise TypeError(_COLLATE_ERROR.format(elem.dtype))
        return default_collate([creation.as_tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number)):
        return creation.as_tensor(np.array(batch))
    if isinstance(elem, float):
        return creation.tensor(batch, dtype=_dtypes.float64)
    if isinstance(elem, int):
        return creation.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return _same_mapping_type(elem, {key: default_collate([d[key] for d in batch]) for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(samples) for samples in zip(*batch)]
    raise TypeError(_COLLATE_ERROR.format(type(elem)))


def default_convert(data):
    """What a ``DataLoader`` with ``batch_size=None`` does to each sample: numpy arrays and
    numbers become tensors, containers are converted element by element, the rest is kept."""
    if isinstance(data, np.ndarray) and _STRING_OR_OBJECT_ARRAY.search(data.dtype.str) is None:
        return creation.as_tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return creation.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _same_mapping_type(data, {key: default_convert(value) for key, value in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]
    return data


def _same_mapping_type(like, values):
    """``values`` (a dict) in the mapping type of ``like`` (OrderedDict, defaultdict...) when it can be copied."""
    if isinstance(like, collections.abc.MutableMapping):
        clone = copy.copy(like)
        clone.update(values)
        return clone
    return values


def get_worker_info():
    """Always None: minitorch loads every batch in the main process."""
    return None


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples merged by ``collate_fn``.

    ``shuffle=True`` visits the samples in a new random order every epoch: torch's very orders
    after the same ``manual_seed`` or with the same ``generator=``. ``sampler`` / ``batch_sampler``
    choose the indices yourself; ``drop_last`` drops a last, incomplete batch; ``batch_size=None`` yields
    single samples. ``num_workers``, ``pin_memory`` and the other multiprocessing options are
    accepted so torch code runs, but loading always happens in the main process.
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers "
                             "> 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.worker_init_fn, self.persistent_workers = worker_init_fn, persistent_workers
        self.prefetch_factor = prefetch_factor

        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in {False, None}:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, but got "
                                 f"sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, "
                                 f"but got batch_sampler={batch_sampler}")
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")
        if sampler is None and not self._iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size, self.drop_last = batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None or (self._iterable and self.batch_size is not None)

    def __iter__(self):
        """A new pass over the data (a new random order with ``shuffle=True``).

        Like torch's iterator, it draws a "base seed" from ``generator`` (or the default generator)
        right away. torch hands it to worker processes; minitorch has none and ignores it, but
        drawing it, at the same moment as torch, keeps the random stream - so the shuffled order -
        the same as torch's.
        """
        if self._iterable:
            self._draw_base_seed()
            return self._iter_stream(iter(self.dataset))
        indices = iter(self.batch_sampler if self.batch_sampler is not None else self.sampler)  # before the seed,
        self._draw_base_seed()  # as in torch: it matters for a sampler that draws in __iter__ itself
        return self._iter_indices(indices)

    def _draw_base_seed(self):
        creation.empty((), dtype=_dtypes.int64).random_(generator=self.generator)

    def _iter_indices(self, indices):
        fetch = self._fetch if self.batch_sampler is not None else self.dataset.__getitem__
        return (self.collate_fn(fetch(index)) for index in indices)

    def _fetch(self, indices):
        getitems = getattr(self.dataset, "__getitems__", None)  # datasets may fetch a whole batch at once
        return getitems(indices) if getitems else [self.dataset[i] for i in indices]

    def _iter_stream(self, samples):
        """Batches cut from the stream ``samples`` of an ``IterableDataset``."""
        if self.batch_size is None:
            yield from (self.collate_fn(sample) for sample in samples)
            return
        while batch := [sample for _, sample in zip(range(self.batch_size), samples)]:
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield self.collate_fn(batch)

    def __len__(self):
        if self._iterable:
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)


__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]
