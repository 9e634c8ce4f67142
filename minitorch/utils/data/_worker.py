"""What runs inside a DataLoader worker process, and how the main process hears from it.

A worker is a loop: take a task ``(epoch, task_id, index)`` from its own index queue, load that
batch (``fetch(index)``), put ``(epoch, task_id, batch)`` on the result queue shared by all
workers; a task of an abandoned pass (its epoch is no longer ``epoch_now``) is skipped.
``None`` or the ``done`` event tells it to stop (the event also reaches a worker whose
queue was already closed, e.g. when the garbage collector frees the loader). Before the loop it seeds its generators the way torch's
workers do and runs the user's ``worker_init_fn``. An exception while loading is sent back as an
``ExceptionWrapper``, which the main process raises with the worker's id and traceback.
"""

from __future__ import annotations

import dataclasses
import os
import queue
import random
import sys

import numpy as np

POLL_S = 0.1  # how often a waiting worker checks that it should still run

_worker_info = None  # set in a worker process only


@dataclasses.dataclass(frozen=True)
class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker (read-only): ``id``, ``num_workers``,
    ``seed`` and ``dataset`` (this worker's copy, e.g. to split an ``IterableDataset`` between workers)."""

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """In a DataLoader worker process: its ``WorkerInfo``. In the main process: None.

    >>> get_worker_info() is None
    True
    """
    return _worker_info


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process (tracebacks do not pickle)."""

    def __init__(self, where):
        import traceback  # only a failing worker needs it

        exc_type, exc, tb = sys.exc_info()
        self.exc_type, self.where = exc_type, where
        self.message = "".join(traceback.format_exception(exc_type, exc, tb))

    def reraise(self):
        """Raise it again in the main process: the same type, saying where it came from (torch's text)."""
        raise self._rebuild()  # (no local variable holds it: that would make a cycle through this frame)

    def _rebuild(self):
        message = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.message}"
        if self.exc_type is KeyError:  # KeyError's str() would show the message as a quoted repr
            return KeyError(_Verbatim(message))
        try:
            return self.exc_type(message)
        except Exception:  # an exception type whose constructor wants other arguments
            return RuntimeError(message)


class _Verbatim(str):
    def __repr__(self):
        return self


class StreamEnd:
    """A worker's answer when its share of an ``IterableDataset`` is used up."""

    def __init__(self, worker_id):
        self.worker_id = worker_id


_IDLE = object()  # no task came during POLL_S


def numpy_seed(base_seed, worker_id):
    """The 4 words torch's worker ``worker_id`` seeds numpy's global generator with: numpy's own
    ``SeedSequence`` over ``[worker_id, low 32 bits, high 32 bits of base_seed, 0]`` (torch's
    ``_generate_state`` is a copy of that algorithm)."""
    entropy = [worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32, 0]
    return np.random.SeedSequence(entropy).generate_state(4).tolist()


def loop(fetch, index_queue, result_queue, done, epoch_now, base_seed, worker_id, num_workers, dataset, init_fn):
    """The worker process: seed, run ``init_fn``, then answer tasks until told to stop."""
    global _worker_info
    from ... import manual_seed  # the worker's own copy of minitorch

    parent = os.getppid()  # the main process (or the fork server that started us): if it dies, we end
    try:
        seed = base_seed + worker_id
        random.seed(seed)
        manual_seed(seed)
        np.random.seed(numpy_seed(base_seed, worker_id))
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        failed_init = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
        except Exception:
            failed_init = ExceptionWrapper(f"in DataLoader worker process {worker_id}")
        stream, stream_epoch = None, None
        while True:
            try:
                task = index_queue.get(timeout=POLL_S)
            except queue.Empty:
                task = _IDLE
            if task is None or done.is_set() or os.getppid() != parent:
                result_queue.cancel_join_thread()  # results nobody will read must not keep us from exiting
                return
            if task is _IDLE:
                continue
            epoch, task_id, index = task
            if epoch != epoch_now.value:  # a task of a pass the main process abandoned: nobody waits for it
                continue
            if failed_init is not None:  # the first task reports it, as in torch
                result_queue.put((epoch, task_id, failed_init))
                failed_init = None
                continue
            try:
                if index is None:  # an IterableDataset: the next batch of this worker's copy
                    if stream_epoch != epoch:
                        stream, stream_epoch = iter(dataset), epoch
                    data = fetch(stream, index)
                else:
                    data = fetch(index)
            except StopIteration:
                data = StreamEnd(worker_id)
            except Exception:
                data = ExceptionWrapper(f"in DataLoader worker process {worker_id}")
            result_queue.put((epoch, task_id, data))
            del data  # do not hold a batch while waiting for the next task
    except KeyboardInterrupt:  # Ctrl+C reaches every process; the main process reports it
        pass

