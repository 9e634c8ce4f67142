"""minitorch.utils.data: datasets, random_split, samplers, DataLoader and torch's default collation."""

from collections import OrderedDict, namedtuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch
from minitorch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset, IterableDataset, RandomSampler,
                                  SequentialSampler, Subset, SubsetRandomSampler, TensorDataset, default_collate,
                                  default_convert, random_split)


def lecture_dataset():
    x = minitorch.arange(20.0).view(10, 2)
    y = minitorch.arange(10)
    return TensorDataset(x, y)


# ---- datasets ------------------------------------------------------------------------------------

def test_tensor_dataset_indexes_every_tensor_along_dim_0():
    ds = lecture_dataset()
    x, y = ds[3]
    assert len(ds) == 10 and x.tolist() == [6.0, 7.0] and y.item() == 3
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(minitorch.zeros(3), minitorch.zeros(4))


def test_subset_and_concat():
    ds = lecture_dataset()
    sub = Subset(ds, [9, 0, 4])
    assert len(sub) == 3 and sub[0][1].item() == 9 and sub[2][1].item() == 4
    both = ConcatDataset([sub, ds])
    assert len(both) == 13 and both[3][1].item() == 0 and both[-1][1].item() == 9
    assert isinstance(sub + ds, ConcatDataset) and len(sub + ds) == 13
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        both[-14]
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])


def test_a_custom_dataset():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": float(i), "y": i * i}

    batches = list(DataLoader(Squares(), batch_size=2))
    assert batches[0]["x"].dtype is minitorch.float64 and batches[0]["y"].tolist() == [0, 1]
    assert [len(b["y"]) for b in batches] == [2, 2, 1]
    with pytest.raises(NotImplementedError):
        Dataset()[0]


@pytest.mark.filterwarnings("ignore:Length of split")  # [0, 1] sums to 1: read as fractions, as in torch
@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.lists(st.integers(0, 10), min_size=1, max_size=4))
def test_random_split_with_lengths_is_a_partition(n, weights):
    lengths = [n * w // max(sum(weights), 1) for w in weights]
    lengths[-1] += n - sum(lengths)
    parts = random_split(range(n), lengths, generator=minitorch.Generator().manual_seed(0))
    assert [len(p) for p in parts] == lengths
    assert sorted(i for p in parts for i in p) == list(range(n))


def test_random_split_with_fractions_deals_the_remainder_round_robin():
    parts = random_split(range(10), [0.33, 0.33, 0.34])
    assert [len(p) for p in parts] == [4, 3, 3]  # floor gives 3, 3, 3; the one left goes to the first split
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(3), [0.9, 0.1])


def test_random_split_is_reproducible_with_a_generator_or_manual_seed():
    first = random_split(range(20), [15, 5], generator=minitorch.Generator().manual_seed(7))
    again = random_split(range(20), [15, 5], generator=minitorch.Generator().manual_seed(7))
    assert first[1].indices == again[1].indices
    minitorch.manual_seed(3)
    a = random_split(range(20), [0.5, 0.5])[0].indices
    minitorch.manual_seed(3)
    assert random_split(range(20), [0.5, 0.5])[0].indices == a


def test_random_split_errors():
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the input dataset!"):
        random_split(range(10), [3, 3])
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        random_split(range(10), [-0.5, 1.5])


# ---- samplers ------------------------------------------------------------------------------------

def test_sequential_and_batch_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    assert list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False)) == \
        [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    dropped = BatchSampler(range(10), batch_size=3, drop_last=True)
    assert list(dropped) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]] and len(dropped) == 3
    assert len(BatchSampler(range(10), batch_size=3, drop_last=False)) == 4


@pytest.mark.parametrize("kwargs,message", [
    (dict(batch_size=0, drop_last=False), "batch_size should be a positive integer value, but got batch_size=0"),
    (dict(batch_size=True, drop_last=False), "batch_size should be a positive integer value, but got batch_size=True"),
    (dict(batch_size=2, drop_last=1), "drop_last should be a boolean value, but got drop_last=1"),
])
def test_batch_sampler_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BatchSampler(range(4), **kwargs)


def test_random_sampler():
    gen = minitorch.Generator().manual_seed(0)
    order = list(RandomSampler(range(10), generator=gen))
    assert sorted(order) == list(range(10))
    assert list(RandomSampler(range(10), generator=gen)) != order  # the generator moves on
    more = list(RandomSampler(range(4), num_samples=10))
    assert len(more) == 10 and sorted(more[:8]) == [0, 0, 1, 1, 2, 2, 3, 3]  # whole permutations first
    drawn = list(RandomSampler(range(3), replacement=True, num_samples=50))
    assert len(drawn) == 50 and set(drawn) <= {0, 1, 2}
    with pytest.raises(ValueError, match="num_samples should be a positive integer value, but got num_samples=0"):
        RandomSampler(range(3), num_samples=0)
    with pytest.raises(TypeError, match="replacement should be a boolean value, but got replacement=1"):
        RandomSampler(range(3), replacement=1)


def test_subset_random_sampler():
    order = list(SubsetRandomSampler([10, 20, 30]))
    assert sorted(order) == [10, 20, 30]


# ---- DataLoader ----------------------------------------------------------------------------------

def test_lecture_example_batches_of_4_4_2():
    loader = DataLoader(lecture_dataset(), batch_size=4, shuffle=True)
    batches = list(loader)
    assert len(loader) == 3 and [len(y) for _, y in batches] == [4, 4, 2]
    assert [tuple(x.shape) for x, _ in batches] == [(4, 2), (4, 2), (2, 2)]
    ys = minitorch.cat([y for _, y in batches]).tolist()
    assert sorted(ys) == list(range(10))
    for x, y in batches:  # rows stay paired with their labels
        assert (x[:, 0] == 2 * y.float()).all()


def test_no_shuffle_keeps_the_order_and_drop_last_drops_the_short_batch():
    loader = DataLoader(lecture_dataset(), batch_size=4, drop_last=True)
    assert [y.tolist() for _, y in loader] == [[0, 1, 2, 3], [4, 5, 6, 7]] and len(loader) == 2


def test_shuffle_is_reproducible_and_changes_every_epoch():
    def epoch_orders(loader, epochs=2):
        return [[y.tolist() for _, y in loader] for _ in range(epochs)]

    minitorch.manual_seed(0)
    first = epoch_orders(DataLoader(lecture_dataset(), batch_size=4, shuffle=True))
    minitorch.manual_seed(0)
    assert epoch_orders(DataLoader(lecture_dataset(), batch_size=4, shuffle=True)) == first
    assert first[0] != first[1]
    with_gen = epoch_orders(DataLoader(lecture_dataset(), batch_size=4, shuffle=True,
                                       generator=minitorch.Generator().manual_seed(5)))
    assert with_gen == epoch_orders(DataLoader(lecture_dataset(), batch_size=4, shuffle=True,
                                               generator=minitorch.Generator().manual_seed(5)))


@pytest.mark.parametrize("seed, generator_seed, torch_orders", [  # written out from torch 2
    (0, None, [[[6, 7, 1, 4], [2, 0, 9, 8], [3, 5]], [[2, 4, 7, 0], [8, 9, 5, 3], [6, 1]]]),
    (1, None, [[[4, 2, 0, 6], [8, 7, 9, 1], [5, 3]], [[4, 8, 1, 5], [0, 2, 3, 6], [9, 7]]]),
    (42, None, [[[8, 0, 9, 1], [4, 5, 6, 3], [2, 7]], [[4, 6, 9, 3], [7, 5, 2, 0], [1, 8]]]),
    (123, 0, [[[3, 7, 5, 2], [0, 8, 1, 6], [9, 4]], [[1, 3, 2, 7], [5, 9, 0, 6], [4, 8]]]),
    (123, 7, [[[1, 3, 5, 7], [9, 4, 6, 2], [8, 0]], [[5, 1, 6, 0], [9, 7, 8, 4], [3, 2]]]),
])
def test_shuffled_batches_are_torchs_under_the_same_seed(seed, generator_seed, torch_orders):
    """The lecture example, two epochs: ``manual_seed(seed)``, or ``generator=`` seeded with ``generator_seed``."""
    minitorch.manual_seed(seed)
    generator = None if generator_seed is None else minitorch.Generator().manual_seed(generator_seed)
    loader = DataLoader(lecture_dataset(), batch_size=4, shuffle=True, generator=generator)
    assert [[y.tolist() for _, y in loader] for _ in range(2)] == torch_orders


def test_each_new_iterator_draws_torchs_base_seed_at_once():
    minitorch.manual_seed(0)
    iter(DataLoader(lecture_dataset(), batch_size=4, shuffle=True))  # draws one number, like torch
    after_iter = minitorch.rand(1).item()
    minitorch.manual_seed(0)
    minitorch.empty((), dtype=minitorch.int64).random_()
    assert minitorch.rand(1).item() == after_iter == pytest.approx(0.08847743272781372)
    minitorch.manual_seed(0)
    loader = DataLoader(lecture_dataset(), batch_size=None, shuffle=True)
    assert [int(y) for _, y in loader] == [6, 7, 1, 4, 2, 0, 9, 8, 3, 5]  # torch's order, one sample at a time


def test_random_sampler_draws_are_torchs():
    minitorch.manual_seed(0)
    assert list(RandomSampler(range(10))) == [6, 9, 0, 7, 3, 5, 4, 2, 1, 8]
    assert list(RandomSampler(range(10), generator=minitorch.Generator().manual_seed(5))) == [
        1, 4, 9, 6, 3, 5, 0, 2, 8, 7]
    minitorch.manual_seed(0)
    assert list(RandomSampler(range(10), num_samples=25)) == [6, 9, 0, 7, 3, 5, 4, 2, 1, 8, 1, 8, 5, 4, 9, 2, 0, 7,
                                                              3, 6, 0, 7, 9, 3, 8]
    minitorch.manual_seed(0)
    assert list(RandomSampler(range(10), replacement=True, num_samples=40)) == [
        6, 0, 4, 3, 9, 5, 7, 8, 9, 1, 8, 5, 6, 9, 0, 0, 8, 3, 0, 0, 1, 9, 0, 7, 8, 3, 9, 7, 2, 2, 2, 9, 4, 6, 8, 8, 8,
        7, 3, 9]


def test_random_split_is_torchs():
    parts = random_split(range(10), [0.7, 0.3], generator=minitorch.Generator().manual_seed(42))
    assert [list(p.indices) for p in parts] == [[2, 6, 1, 8, 4, 5, 0], [9, 3, 7]]
    minitorch.manual_seed(0)
    assert [list(p.indices) for p in random_split(range(10), [3, 7])] == [[4, 1, 7], [5, 3, 9, 0, 8, 6, 2]]


def test_sampler_batch_sampler_and_batch_size_none():
    ds = lecture_dataset()
    assert [y.tolist() for _, y in DataLoader(ds, batch_size=2, sampler=[9, 8, 7])] == [[9, 8], [7]]
    assert [y.tolist() for _, y in DataLoader(ds, batch_sampler=[[1, 2, 3], [0]])] == [[1, 2, 3], [0]]
    singles = list(DataLoader(ds, batch_size=None))
    assert len(singles) == 10 and singles[2][1].dim() == 0
    assert list(DataLoader([np.float32(1.5), 2], batch_size=None)) == [minitorch.tensor(1.5), 2]


def test_num_workers_and_pin_memory_are_accepted():
    loader = DataLoader(lecture_dataset(), batch_size=5, num_workers=2, pin_memory=True, persistent_workers=True)
    assert [len(y) for _, y in loader] == [5, 5]


@pytest.mark.parametrize("kwargs,message", [
    (dict(sampler=[0, 1], shuffle=True), "sampler option is mutually exclusive with shuffle"),
    (dict(batch_sampler=[[0]], batch_size=2),
     "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"),
    (dict(batch_size=None, drop_last=True),
     "batch_size=None option disables auto-batching and is mutually exclusive with drop_last"),
    (dict(num_workers=-1), "num_workers option should be non-negative"),
    (dict(prefetch_factor=2), "prefetch_factor option could only be specified in multiprocessing"),
    (dict(persistent_workers=True), "persistent_workers option needs num_workers > 0"),
])
def test_dataloader_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DataLoader(lecture_dataset(), **kwargs)


def test_iterable_dataset():
    class Stream(IterableDataset):
        def __iter__(self):
            return iter(range(7))

        def __len__(self):
            return 7

    assert [b.tolist() for b in DataLoader(Stream(), batch_size=3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [b.tolist() for b in DataLoader(Stream(), batch_size=3, drop_last=True)] == [[0, 1, 2], [3, 4, 5]]
    assert len(DataLoader(Stream(), batch_size=3)) == 3
    with pytest.raises(ValueError, match="DataLoader with IterableDataset: expected unspecified shuffle option, "
                                         "but got shuffle=True"):
        DataLoader(Stream(), shuffle=True)


def test_a_dataset_may_fetch_a_whole_batch_with_getitems():
    class Batched(Dataset):
        def __len__(self):
            return 4

        def __getitems__(self, indices):
            return [(i, -i) for i in indices]

    assert [[t.tolist() for t in b] for b in DataLoader(Batched(), batch_size=3)] == [[[0, 1, 2], [0, -1, -2]],
                                                                                        [[3], [-3]]]


# ---- default collation -----------------------------------------------------------------------------

def test_collate_tensors_are_stacked():
    out = default_collate([minitorch.tensor([1, 2]), minitorch.tensor([3, 4])])
    assert out.tolist() == [[1, 2], [3, 4]] and out.dtype is minitorch.int64


def test_collate_numbers_follow_torchs_dtypes():
    assert default_collate([0.5, 1.5]).dtype is minitorch.float64
    assert default_collate([1, 2]).dtype is minitorch.int64
    assert default_collate([True, False]).dtype is minitorch.bool
    scalars = default_collate([np.float32(1), np.float32(2)])
    assert scalars.dtype is minitorch.float32 and scalars.tolist() == [1.0, 2.0]


def test_collate_numpy_arrays_become_tensors():
    out = default_collate([np.ones((2, 3), dtype=np.float32), np.zeros((2, 3), dtype=np.float32)])
    assert tuple(out.shape) == (2, 2, 3) and out.dtype is minitorch.float32
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                                        "or lists; found <U1"):
        default_collate([np.array(["a"]), np.array(["b"])])


def test_collate_containers_recursively():
    Point = namedtuple("Point", "x y")
    point = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert type(point) is Point and point.x.tolist() == [1, 3] and point.y.dtype is minitorch.float64
    samples = [OrderedDict(img=minitorch.zeros(2), name="a"), OrderedDict(img=minitorch.ones(2), name="b")]
    out = default_collate(samples)
    assert type(out) is OrderedDict and out["name"] == ["a", "b"] and out["img"].tolist() == [[0, 0], [1, 1]]
    pairs = default_collate([(minitorch.tensor(1.0), [1, 2]), (minitorch.tensor(2.0), [3, 4])])
    assert isinstance(pairs, list) and pairs[0].tolist() == [1.0, 2.0] and [p.tolist() for p in pairs[1]] == [[1, 3],
                                                                                                          [2, 4]]
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        default_collate([[1, 2], [3]])
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                                        "or lists; found <class 'object'>"):
        default_collate([object()])


def test_default_convert():
    out = default_convert({"a": np.arange(3), "b": (1, "s")})
    assert out["a"].tolist() == [0, 1, 2] and out["b"] == [1, "s"]


@pytest.mark.cuda
def test_collate_keeps_gpu_tensors_on_the_gpu():
    ds = TensorDataset(minitorch.arange(6.0, device="cuda"), minitorch.arange(6, device="cuda"))
    x, y = next(iter(DataLoader(ds, batch_size=4, shuffle=True)))
    assert x.is_cuda and y.is_cuda and (x == y.float()).all()
