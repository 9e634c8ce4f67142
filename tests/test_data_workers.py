"""DataLoader with worker processes: the same batches as in the main process, torch's worker seeds
(values written out from PyTorch 2.13), errors raised with the worker's id, timeouts, shutdown."""

import gc
import os
import random
import signal
import threading
import time

import numpy as np
import pytest

import minitorch
from minitorch.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info


class Seeds(Dataset):
    """Each sample says which worker made it and what its generators draw there."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        info = get_worker_info()
        return minitorch.tensor([info.id, info.seed % 100000, int(minitorch.randint(0, 1000, (1,))),
                                 int(np.random.randint(1000)), random.randint(0, 999)])


class Failing(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        if i == 2:
            raise ValueError(f"bad sample {i}")
        return i


class Shards(IterableDataset):
    """Each worker streams every num_workers-th number: torch's recipe for splitting a stream."""

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, 10, step))


class Pids(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return os.getpid()


class Slow(Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(1)
        return i


def test_workers_give_the_batches_and_the_random_stream_of_the_main_process():
    data = TensorDataset(minitorch.arange(20.0).view(10, 2), minitorch.arange(10))
    minitorch.manual_seed(0)
    alone = [y.tolist() for _, y in DataLoader(data, batch_size=3, shuffle=True)]
    after_alone = minitorch.rand(1).item()
    minitorch.manual_seed(0)
    with_workers = [y.tolist() for _, y in DataLoader(data, batch_size=3, shuffle=True, num_workers=2)]
    assert with_workers == alone and minitorch.rand(1).item() == after_alone


def test_worker_seeds_are_torchs():
    # seed = base_seed + worker id seeds minitorch and random; numpy gets torch's 4-word seed
    minitorch.manual_seed(0)
    rows = [b[0].tolist() for b in DataLoader(Seeds(), batch_size=1, num_workers=2)]
    assert rows == [[0, 89455, 906, 522, 218], [1, 89456, 724, 234, 791],
                    [0, 89455, 10, 297, 818], [1, 89456, 2, 407, 832]]
    assert get_worker_info() is None  # in the main process


def test_worker_info_is_read_only():
    class Writes(Dataset):
        def __len__(self):
            return 1

        def __getitem__(self, i):
            get_worker_info().id = 3

    with pytest.raises(AttributeError, match="Caught FrozenInstanceError in DataLoader worker process 0"):
        list(DataLoader(Writes(), num_workers=1))


@pytest.mark.parametrize("num_workers", [0, 2])
def test_an_exception_names_the_worker_and_the_pass_goes_on(num_workers):
    batches = iter(DataLoader(Failing(), batch_size=1, num_workers=num_workers))
    got = []
    for _ in range(5):
        try:
            got.append(next(batches).item())
        except ValueError as error:
            got.append(str(error).splitlines()[0])
    where = "Caught ValueError in DataLoader worker process 0." if num_workers else "bad sample 2"
    assert got == [0, 1, where, 3, 4]
    with pytest.raises(StopIteration):
        next(batches)


def test_worker_init_fn_runs_in_each_worker_and_its_error_is_raised():
    def fail(worker_id):
        raise RuntimeError(f"no setup for worker {worker_id}")

    with pytest.raises(RuntimeError, match="Caught RuntimeError in DataLoader worker process 0"):
        list(DataLoader(Failing(), num_workers=1, worker_init_fn=fail))


def test_a_key_error_keeps_its_message_readable():
    class Missing(Dataset):
        def __len__(self):
            return 1

        def __getitem__(self, i):
            raise KeyError("label")

    with pytest.raises(KeyError) as info:
        list(DataLoader(Missing(), num_workers=1))
    assert str(info.value).startswith("Caught KeyError in DataLoader worker process 0.\nOriginal Traceback")


def test_an_iterable_dataset_is_split_by_get_worker_info():
    assert [b.tolist() for b in DataLoader(Shards(), batch_size=3, num_workers=2)] == [[0, 2, 4], [1, 3, 5],
                                                                                     [6, 8], [7, 9]]
    assert [b.tolist() for b in DataLoader(Shards(), batch_size=3, num_workers=2, drop_last=True)] == [[0, 2, 4],
                                                                                                     [1, 3, 5]]
    assert list(DataLoader(Shards(), batch_size=None, num_workers=2)) == list(range(10))


def test_persistent_workers_serve_every_epoch_and_draw_one_base_seed():
    data = TensorDataset(minitorch.arange(6))
    minitorch.manual_seed(0)
    loader = DataLoader(data, batch_size=2, shuffle=True, num_workers=2, persistent_workers=True)
    epochs = [[b[0].tolist() for b in loader] for _ in range(3)]
    assert epochs == [[[0, 4], [3, 5], [2, 1]], [[5, 0], [3, 2], [1, 4]], [[2, 3], [1, 5], [4, 0]]]  # torch's
    assert minitorch.rand(1).item() == 0.455627977848053

    pids = DataLoader(Pids(), batch_size=2, num_workers=2, persistent_workers=True)
    assert sorted(sum((b.tolist() for b in pids), [])) == sorted(sum((b.tolist() for b in pids), []))
    workers = pids._pool.workers
    del pids
    gc.collect()
    assert not any(w.is_alive() for w in workers)


def test_an_abandoned_pass_does_not_leak_into_the_next():
    loader = DataLoader(TensorDataset(minitorch.arange(8)), batch_size=2, num_workers=2, persistent_workers=True)
    assert next(iter(loader))[0].tolist() == [0, 1]  # the other prefetched tasks are skipped or dropped
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3], [4, 5], [6, 7]]


def test_a_dropped_iterator_stops_its_workers():
    batches = iter(DataLoader(Pids(), batch_size=1, num_workers=2))
    next(batches)
    workers = batches._pool.workers
    assert all(w.is_alive() for w in workers)
    del batches
    gc.collect()
    assert not any(w.is_alive() for w in workers)


def test_ctrl_c_while_waiting_for_a_batch_stops_the_workers():
    batches = iter(DataLoader(Slow(), num_workers=1))
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        next(batches)
    workers = batches._pool.workers
    del batches
    gc.collect()
    assert not any(w.is_alive() for w in workers)


def test_timeout_and_a_dead_worker_are_errors():
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.3 seconds"):
        list(DataLoader(Slow(), num_workers=1, timeout=0.3))
    batches = iter(DataLoader(Slow(), num_workers=1))
    batches._pool.workers[0].kill()
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"):
        next(batches)


def test_multiprocessing_options_are_checked():
    with pytest.raises(ValueError, match="multiprocessing_context can only be used with multi-process loading"):
        DataLoader(Failing(), multiprocessing_context="spawn")
    assert DataLoader(Failing(), num_workers=2).prefetch_factor == 2


def test_workers_started_by_a_fork_server():
    # Python 3.14's default on Linux (macOS and Windows spawn): the worker's parent is the server
    data = TensorDataset(minitorch.arange(5))
    loader = DataLoader(data, batch_size=2, num_workers=1, multiprocessing_context="forkserver")
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3], [4]]
