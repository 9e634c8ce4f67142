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
import functools
import itertools
import os
import queue
import re

import numpy as np

from ... import _dtypes
from ..._tensor import Tensor
from ...ops import creation
from ...ops.join import stack
from . import _worker
from ._worker import get_worker_info
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


def _fetch_indexed(dataset, collate_fn, auto_collation, index):
    """The batch at ``index`` (a list of indices; one index without auto-collation) of a map-style dataset."""
    if not auto_collation:
        return collate_fn(dataset[index])
    getitems = getattr(dataset, "__getitems__", None)  # datasets may fetch a whole batch at once
    return collate_fn(getitems(index) if getitems else [dataset[i] for i in index])


def _fetch_streamed(collate_fn, batch_size, drop_last, stream, index=None):
    """The next batch cut from ``stream``, an IterableDataset's iterator; StopIteration at its end."""
    if batch_size is None:
        return collate_fn(next(stream))
    batch = list(itertools.islice(stream, batch_size))
    if not batch or (drop_last and len(batch) < batch_size):
        raise StopIteration
    return collate_fn(batch)


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples merged by ``collate_fn``.

    ``shuffle=True`` visits the samples in a new random order every epoch: torch's very orders
    after the same ``manual_seed`` or with the same ``generator=``. ``sampler`` / ``batch_sampler``
    choose the indices yourself; ``drop_last`` drops a last, incomplete batch; ``batch_size=None`` yields
    single samples.

    ``num_workers=0`` loads in the main process. ``num_workers=n`` starts ``n`` worker processes
    (as torch does): each loads whole batches, ``prefetch_factor`` (default 2) batches ahead,
    with its own seeds (``base_seed + worker id``, see ``get_worker_info()``) after running
    ``worker_init_fn(worker_id)``; batches come back in the sampler's order. A worker's
    exception is raised in the main process, naming the worker. Workers stop at the end of the
    pass (or when the iterator is dropped) unless ``persistent_workers=True`` keeps them for the
    next; ``timeout`` (seconds) bounds the wait for one batch. ``pin_memory`` is accepted and
    does nothing (it matters for GPU copies from CPU memory only).
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
        if multiprocessing_context is not None and num_workers == 0:
            raise ValueError("multiprocessing_context can only be used with multi-process loading (num_workers > 0), "
                             f"but got num_workers={num_workers}")
        self.dataset = dataset
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.worker_init_fn, self.persistent_workers = worker_init_fn, persistent_workers
        self.prefetch_factor = 2 if num_workers > 0 and prefetch_factor is None else prefetch_factor
        self.multiprocessing_context, self.in_order = multiprocessing_context, in_order
        self._pool = None  # the persistent workers, once started

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

    @property
    def _index_sampler(self):
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def __iter__(self):
        """A new pass over the data (a new random order with ``shuffle=True``).

        Like torch's iterator, it draws a "base seed" from ``generator`` (or the default generator)
        right away - the workers' seeds are made from it - so the random stream, and with it the
        shuffled order, is torch's, with or without workers. Persistent workers keep their seeds:
        later passes draw none (as in torch).
        """
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if self._pool is None:
            if not self._iterable:
                iter(self._index_sampler)  # torch starts the sampler before drawing (for samplers that draw at once)
            pool = _WorkerPool(self, self._draw_base_seed())
            if not self.persistent_workers:
                return _MultiProcessIter(self, pool)
            self._pool = pool
        return _MultiProcessIter(self, self._pool)

    def _draw_base_seed(self):
        return int(creation.empty((), dtype=_dtypes.int64).random_(generator=self.generator).item())

    def __del__(self):
        if getattr(self, "_pool", None) is not None:
            self._pool.shutdown()

    def __len__(self):
        if self._iterable:
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)


class _SingleProcessIter:
    """Batches loaded in the main process, one per ``next()``. A batch that raises does not end
    the pass: the next ``next()`` loads the next batch, as with torch."""

    def __init__(self, loader):
        if loader._iterable:
            loader._draw_base_seed()
            self._next = functools.partial(_fetch_streamed, loader.collate_fn, loader.batch_size, loader.drop_last,
                                           iter(loader.dataset))
        else:
            indices = iter(loader._index_sampler)  # before the seed, as in torch: it matters for a sampler
            loader._draw_base_seed()  # that draws in __iter__ itself
            fetch = functools.partial(_fetch_indexed, loader.dataset, loader.collate_fn, loader._auto_collation)
            self._next = lambda: fetch(next(indices))

    def __iter__(self):
        return self

    def __next__(self):
        return self._next()


class _WorkerPool:
    """``num_workers`` processes running ``_worker.loop``, each with its own index queue, all
    answering on one result queue; kept across passes with ``persistent_workers=True``."""

    JOIN_S = 5.0  # how long shutting down waits for a worker before terminating it

    def __init__(self, loader, base_seed):
        import multiprocessing  # here, not at the top: only loaders with workers pay for the import

        context = loader.multiprocessing_context
        if context is None or isinstance(context, str):
            context = multiprocessing.get_context(context)
        if loader._iterable:
            fetch = functools.partial(_fetch_streamed, loader.collate_fn, loader.batch_size, loader.drop_last)
        else:
            fetch = functools.partial(_fetch_indexed, loader.dataset, loader.collate_fn, loader._auto_collation)
        self.result_queue, self.done = context.Queue(), context.Event()
        self.epoch = context.Value("q", 0, lock=False)  # the pass being served (read by the workers)
        self.index_queues, self.workers = [], []
        for worker_id in range(loader.num_workers):
            index_queue = context.Queue()
            worker = context.Process(target=_worker.loop, daemon=True, args=(
                fetch, index_queue, self.result_queue, self.done, self.epoch, base_seed, worker_id,
                loader.num_workers, loader.dataset, loader.worker_init_fn))
            worker.start()
            self.index_queues.append(index_queue)
            self.workers.append(worker)
        self.closed, self.owner = False, os.getpid()

    def check_alive(self):
        dead = [str(w.pid) for w in self.workers if not w.is_alive()]
        if dead:
            raise RuntimeError(f"DataLoader worker (pid(s) {', '.join(dead)}) exited unexpectedly")

    def shutdown(self):
        """Tell every worker to stop, wait for each a little, end those that do not stop."""
        if self.closed or os.getpid() != self.owner:  # a forked worker sees a copy of the pool: not its to stop
            return
        self.closed = True
        self.done.set()
        for index_queue in self.index_queues:
            index_queue.put(None)
        for worker in self.workers:
            worker.join(timeout=self.JOIN_S)
            if worker.is_alive():
                worker.terminate()
        for q in (*self.index_queues, self.result_queue):
            q.cancel_join_thread()  # batches nobody will read must not keep this process waiting
            q.close()


class _MultiProcessIter:
    """One pass over the data with worker processes: every worker has ``prefetch_factor`` tasks
    queued; each batch handed out sends one more task. Batches are handed out in the sampler's
    order (``in_order=False``: as they arrive). Tasks of an abandoned earlier pass (persistent
    workers) carry an older epoch number: the workers skip them, and results already made are dropped."""

    def __init__(self, loader, pool):
        self._loader, self._pool = loader, pool
        pool.epoch.value += 1
        self._epoch = pool.epoch.value
        self._indices = None if loader._iterable else iter(loader._index_sampler)
        self._active = list(range(loader.num_workers))  # workers whose IterableDataset copy is not used up
        self._turn = self._sent = self._handed_out = 0
        self._pending = {}  # task id -> worker, for tasks sent and not answered
        self._arrived = {}  # task id -> batch, answered but not handed out yet
        for _ in range(loader.prefetch_factor * loader.num_workers):
            self._send()

    def __iter__(self):
        return self

    def _send(self):
        """The next task (a batch's indices; None: the next batch of an IterableDataset) to the next worker."""
        index = None if self._indices is None else next(self._indices, _END)
        if index is _END or not self._active:
            return
        worker = self._active[self._turn % len(self._active)]
        self._turn += 1
        self._pool.index_queues[worker].put((self._epoch, self._sent, index))
        self._pending[self._sent] = worker
        self._sent += 1

    def __next__(self):
        while True:
            task = self._handed_out if self._loader.in_order else next(iter(self._arrived), None)
            if task in self._arrived:
                data = self._arrived.pop(task)
                self._handed_out += 1
                if not isinstance(data, _worker.StreamEnd):
                    break
            elif not self._pending:
                self._finish()
                raise StopIteration
            else:
                epoch, task, data = self._receive()
                if epoch == self._epoch and task in self._pending:
                    worker = self._pending.pop(task)
                    if isinstance(data, _worker.StreamEnd) and worker in self._active:
                        self._active.remove(worker)
                    self._arrived[task] = data
        self._send()
        if isinstance(data, _worker.ExceptionWrapper):
            data.reraise()
        return data

    def _receive(self):
        """The next answer of any worker, checking while waiting that they are alive and that
        ``timeout`` has not passed."""
        timeout, waited = self._loader.timeout, 0.0
        while True:
            wait = min(_worker.POLL_S, timeout - waited) if timeout > 0 else _worker.POLL_S
            try:
                return self._pool.result_queue.get(timeout=wait)
            except queue.Empty:
                waited += wait
                if timeout > 0 and waited >= timeout:
                    raise RuntimeError(f"DataLoader timed out after {timeout} seconds") from None
                self._pool.check_alive()

    def _finish(self):
        if not self._loader.persistent_workers:
            self._pool.shutdown()

    def __del__(self):  # dropped mid-pass (break, an exception, Ctrl+C): stop the workers
        if getattr(self, "_pool", None) is not None:
            self._finish()


_END = object()  # the sampler has no more batches

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]
