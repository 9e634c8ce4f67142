"""Making tensors: from data and numpy, filled, ranges, *_like / new_*, and random numbers.

Random numbers are PyTorch's own (same seed, same values): the expected values below were
printed by PyTorch 2.13 on the CPU, as were the expected messages."""

import re
import warnings

import numpy as np
import pytest

import minitorch as torch


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


# ---- from data ----------------------------------------------------------------------------------

def test_tensor_infers_dtypes_like_torch():
    assert torch.tensor([1, 2]).dtype is torch.int64 and torch.tensor([1, 2.5]).dtype is torch.float32
    assert torch.tensor([True, 2]).dtype is torch.int64 and torch.tensor([True]).dtype is torch.bool
    assert torch.tensor([]).dtype is torch.float32 and torch.tensor([[], []]).shape == (2, 0)
    assert torch.tensor(3.0).shape == () and torch.tensor(()).shape == (0,)
    assert torch.tensor(np.float32(2.5)).dtype is torch.float32 and torch.tensor(np.int32(3)).dtype is torch.int32
    assert torch.tensor(np.array([1, 2], dtype=np.int32)).dtype is torch.int32
    assert torch.tensor([torch.tensor(1), torch.tensor(2)]).tolist() == [1, 2]
    assert torch.tensor([torch.tensor([1.0]), torch.tensor([2.0])]).shape == (2,)  # 1-element tensors are numbers
    assert torch.tensor([torch.tensor(1.5), 2]).dtype is torch.float32
    assert torch.tensor([[1, 2]], dtype=torch.float64).dtype is torch.float64
    assert torch.tensor([1.7, -2.7], dtype=torch.int32).tolist() == [1, -2]


def test_tensor_copies_its_data():
    a = np.array([1.0, 2.0])
    t = torch.tensor(a)
    a[0] = 5
    assert t.tolist() == [1.0, 2.0] and t.dtype is torch.float64
    src = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        copy = torch.tensor(src)
    assert not copy.requires_grad and copy.data_ptr() != src.data_ptr()


@pytest.mark.parametrize("data,kind,message", [
    ([[1, 2], [3]], ValueError, "expected sequence of length 2 at dim 1 (got 1)"),
    ([[[1, 2], [3, 4]], [[1, 2], [3]]], ValueError, "expected sequence of length 2 at dim 2 (got 1)"),
    ([[1, 2], 3], TypeError, "not a sequence"),
    ([1, [2, 3]], TypeError, "'list' object cannot be interpreted as an integer"),
    ("abc", TypeError, "new(): invalid data type 'str'"),
    ([1, "a"], TypeError, "new(): invalid data type 'str'"),
    ([1, None], RuntimeError, "Could not infer dtype of NoneType"),
    (None, RuntimeError, "Could not infer dtype of NoneType"),
    ({1: 2}, RuntimeError, "Could not infer dtype of dict"),
    ([2 ** 63], ValueError, "Overflow when unpacking long long"),
])
def test_tensor_errors(data, kind, message):
    with raises(kind, message):
        torch.tensor(data)


def test_requires_grad_needs_floats():
    assert torch.tensor([1.0], requires_grad=True).requires_grad
    with raises(RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"):
        torch.tensor([1, 2], requires_grad=True)
    with raises(RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"):
        torch.zeros(2, dtype=torch.int64, requires_grad=True)
    with raises(RuntimeError, "only Tensors of floating point dtype can require gradients"):
        torch.tensor([1]).requires_grad_()


def test_from_numpy_shares_memory():
    a = np.arange(6.0).reshape(2, 3)
    t = torch.from_numpy(a)
    a[0, 0] = 9
    t[1, 1] = 7
    assert t.tolist() == [[9.0, 1.0, 2.0], [3.0, 7.0, 5.0]] and a[1, 1] == 7 and t.dtype is torch.float64
    assert torch.from_numpy(a.T).stride() == (1, 3) and not torch.from_numpy(a.T).is_contiguous()
    s = np.arange(6.0)[::2]
    ts = torch.from_numpy(s)
    ts[1] = -1
    assert ts.stride() == (2,) and s.tolist() == [0.0, -1.0, 4.0]
    assert repr(torch.from_numpy(np.ones((2, 2)))) == "tensor([[1., 1.],\n        [1., 1.]], dtype=torch.float64)"
    assert torch.from_numpy(np.array(3.5)).shape == () and torch.from_numpy(np.zeros((2, 0))).shape == (2, 0)
    b = np.array([1.0, 2.0])
    shared = torch.as_tensor(b)
    b[0] = 5
    assert shared.tolist() == [5.0, 2.0] and torch.as_tensor(b, device="cpu").data_ptr() == shared.data_ptr()
    assert torch.as_tensor(b, dtype=torch.float32).data_ptr() != shared.data_ptr()
    x = torch.tensor([1.0])
    assert torch.as_tensor(x) is x and torch.as_tensor([1, 2]).tolist() == [1, 2]


def test_from_numpy_errors():
    with raises(TypeError, "expected np.ndarray (got list)"):
        torch.from_numpy([1, 2])
    with pytest.raises(ValueError, match="At least one stride in the given numpy array is negative"):
        torch.from_numpy(np.arange(6.0)[::-1])
    with pytest.raises(TypeError, match="can't convert np.ndarray of type uint16"):
        torch.from_numpy(np.array([1, 2], dtype=np.uint16))


# ---- filled and ranges ----------------------------------------------------------------------------

def test_filled_tensors():
    assert repr(torch.ones(2, 3)) == "tensor([[1., 1., 1.],\n        [1., 1., 1.]])"
    assert torch.zeros(2, 3, dtype=torch.int32).dtype is torch.int32 and torch.zeros((2,)).shape == (2,)
    assert torch.zeros([2, 1]).shape == (2, 1) and torch.zeros(torch.Size([1, 2])).shape == (1, 2)
    assert torch.zeros(()).shape == () and torch.zeros([]).shape == () and torch.empty(2, 0).shape == (2, 0)
    assert torch.zeros(torch.tensor(2)).shape == (2,)
    assert repr(torch.full((2, 2), 7)) == "tensor([[7, 7],\n        [7, 7]])"
    assert torch.full((2,), True).dtype is torch.bool and torch.full((2,), 3.0).dtype is torch.float32
    assert torch.full([2], 1.5, dtype=torch.int64).tolist() == [1, 1]
    assert repr(torch.full((3, 5), 3.14, dtype=torch.float)).startswith("tensor([[3.1400, 3.1400,")
    assert repr(torch.eye(3, 5)) == ("tensor([[1., 0., 0., 0., 0.],\n        [0., 1., 0., 0., 0.],\n"
                                     "        [0., 0., 1., 0., 0.]])")
    assert torch.eye(2, 3, dtype=torch.int64).dtype is torch.int64 and torch.eye(0).shape == (0, 0)


@pytest.mark.parametrize("make,expected", [
    (lambda: torch.arange(5), "tensor([0, 1, 2, 3, 4])"),
    (lambda: torch.arange(1, 4), "tensor([1, 2, 3])"),
    (lambda: torch.arange(0, 1, 0.25), "tensor([0.0000, 0.2500, 0.5000, 0.7500])"),
    (lambda: torch.arange(0, 10, 2), "tensor([0, 2, 4, 6, 8])"),
    (lambda: torch.arange(10, 0, -3), "tensor([10,  7,  4,  1])"),
    (lambda: torch.arange(5, dtype=torch.float64), "tensor([0., 1., 2., 3., 4.], dtype=torch.float64)"),
    (lambda: torch.arange(0, 5, 1.5), "tensor([0.0000, 1.5000, 3.0000, 4.5000])"),
    (lambda: torch.arange(1, 2.5, 0.5, dtype=torch.int32), "tensor([1, 1, 1], dtype=torch.int32)"),
    (lambda: torch.arange(0, 5, 1.5, dtype=torch.int64), "tensor([0, 1, 2, 3, 4])"),
    (lambda: torch.arange(torch.tensor(3)), "tensor([0, 1, 2])"),
    (lambda: torch.arange(0.5, 3, dtype=torch.int32), "tensor([0, 1, 2], dtype=torch.int32)"),
    (lambda: torch.arange(-3, 3, 2.5), "tensor([-3.0000, -0.5000,  2.0000])"),
    (lambda: torch.arange(1e3, 1e3 + 1, 0.25), "tensor([1000.0000, 1000.2500, 1000.5000, 1000.7500])"),
    (lambda: torch.linspace(0, 10, 3), "tensor([ 0.,  5., 10.])"),
    (lambda: torch.linspace(0, 10, 5), "tensor([ 0.0000,  2.5000,  5.0000,  7.5000, 10.0000])"),
    (lambda: torch.linspace(0, 10, 1), "tensor([0.])"),
    (lambda: torch.linspace(0, 1, 0), "tensor([])"),
    (lambda: torch.linspace(2, 10, 4, dtype=torch.int64), "tensor([ 2,  4,  7, 10])"),
    (lambda: torch.linspace(-1, 1, 4, dtype=torch.int64), "tensor([-1,  0,  0,  1])"),
    (lambda: torch.logspace(0, 1, 3), "tensor([ 1.0000,  3.1623, 10.0000])"),
    (lambda: torch.logspace(0, 2, 3, base=2), "tensor([1., 2., 4.])"),
    (lambda: torch.logspace(0, 3, 4, dtype=torch.int32), "tensor([   1,   10,  100, 1000], dtype=torch.int32)"),
    (lambda: torch.logspace(0, 1, 1), "tensor([1.])"),
])
def test_ranges(make, expected):
    assert repr(make()) == expected


def test_ranges_round_like_torch():  # bit for bit: torch counts the second half down from the end
    assert torch.linspace(0, 1, 7).tolist() == [0.0, 0.1666666716337204, 0.3333333432674408, 0.5, 0.6666666269302368,
                                                 0.8333333134651184, 1.0]
    assert torch.linspace(-3.3, 7.1, 11).tolist()[3:5] == [-0.18000006675720215, 0.8599998950958252]
    assert torch.logspace(0, 1, 7).tolist()[1:3] == [1.4677993059158325, 2.1544346809387207]
    assert torch.logspace(-2, 2, 5, base=3).tolist()[:2] == [0.1111111119389534, 0.3333333432674408]
    assert torch.arange(0.0, 1.0, 0.1).tolist()[3] == 0.30000001192092896


@pytest.mark.parametrize("make,kind,message", [
    (lambda: torch.zeros(-1), RuntimeError, "zeros: Dimension size must be non-negative."),
    (lambda: torch.ones(-1), RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
    (lambda: torch.empty(2, -1), RuntimeError, "Trying to create tensor with negative dimension -1: [2, -1]"),
    (lambda: torch.randn(2, -3), RuntimeError, "Trying to create tensor with negative dimension -3: [2, -3]"),
    (lambda: torch.randperm(-1), RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
    (lambda: torch.zeros(2, 2.5), TypeError, "zeros(): argument 'size' failed to unpack the object at pos 2 with "
                                             "error \"type must be tuple of ints,but got float\""),
    (lambda: torch.ones([2, "a"]), TypeError, "ones(): argument 'size' failed to unpack the object at pos 2 with "
                                              "error \"type must be tuple of ints,but got str\""),
    (lambda: torch.rand(2.5), TypeError, "rand(): argument 'size' (position 1) must be tuple of ints, not float"),
    (lambda: torch.full(2, 3), TypeError, "full(): argument 'size' (position 1) must be tuple of ints, not int"),
    (lambda: torch.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    (lambda: torch.eye(2, -1), RuntimeError, "m must be greater or equal to 0, got -1"),
    (lambda: torch.eye(2.5), TypeError, "eye(): argument 'n' (position 1) must be int, not float"),
    (lambda: torch.arange(0, 10, 0), RuntimeError, "step must be nonzero"),
    (lambda: torch.arange(10, 0, 1), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (lambda: torch.arange(0, -1), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (lambda: torch.arange(0, float("inf")), RuntimeError, "unsupported range: 0 -> inf"),
    (lambda: torch.arange(5, dtype=torch.bool), NotImplementedError, "\"arange_cpu\" not implemented for 'Bool'"),
    (lambda: torch.linspace(0, 1, -1), RuntimeError, "number of steps must be non-negative"),
    (lambda: torch.linspace(0, "a", 3), TypeError, "linspace(): argument 'end' must be Number, not str"),
    (lambda: torch.arange("a"), TypeError, "arange(): argument 'end' must be Number, not str"),
    (lambda: torch.randint(0, 5.5, (2,)), TypeError, "randint(): argument 'high' must be int, not float"),
    (lambda: torch.rand(2, dtype=torch.int64), NotImplementedError,
     "\"check_uniform_bounds\" not implemented for 'Long'"),
    (lambda: torch.randn(3, dtype=torch.int64), NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Long'"),
    (lambda: torch.rand_like(torch.zeros(2, dtype=torch.int64)), NotImplementedError,
     "\"check_uniform_bounds\" not implemented for 'Long'"),
    (lambda: torch.randint(5, 2, (3,)), RuntimeError,
     "random_ expects 'from' to be less than 'to', but got from=5 >= to=2"),
    (lambda: torch.randint(0, 300, (2,), dtype=torch.uint8), RuntimeError, "to - 1 is out of bounds for unsigned char"),
    (lambda: torch.randint(0, 200, (2,), dtype=torch.int8), RuntimeError, "to - 1 is out of bounds for signed char"),
    (lambda: torch.randint(-3, 0, (2,), dtype=torch.uint8), RuntimeError, "from is out of bounds for unsigned char"),
    (lambda: torch.randint(3, (2,), dtype=torch.bool), RuntimeError, "to - 1 is out of bounds for bool"),
    (lambda: torch.normal(torch.zeros(3), torch.tensor([1.0, -1.0, 1.0])), RuntimeError,
     "normal expects all elements of std >= 0.0"),
    (lambda: torch.normal(torch.zeros(3), -1.0), RuntimeError, "normal expects std >= 0.0, but found std -1"),
    (lambda: torch.normal(torch.zeros(3), torch.ones(2)), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
])
def test_creation_errors(make, kind, message):
    with raises(kind, message):
        make()


# ---- *_like and new_* ------------------------------------------------------------------------------

def test_like_and_new():
    x = torch.tensor([1, 2])
    assert repr(torch.zeros_like(x)) == "tensor([0, 0])" and torch.ones_like(torch.zeros(2), dtype=torch.int8).dtype is torch.int8
    assert torch.full_like(x, 2.7).tolist() == [2, 2] and torch.empty_like(torch.zeros(2, 3)).shape == (2, 3)
    assert torch.randn_like(torch.zeros(2, dtype=torch.float64)).dtype is torch.float64
    assert torch.randint_like(torch.zeros(2, 3), 10).dtype is torch.float32
    assert torch.randint_like(torch.zeros(2, dtype=torch.int32), 3, 5).dtype is torch.int32
    assert torch.zeros_like(torch.ones(2), requires_grad=True).requires_grad
    assert repr(x.new_zeros(2, 3)) == "tensor([[0, 0, 0],\n        [0, 0, 0]])"
    assert torch.zeros(2).new_ones(3, dtype=torch.int8).tolist() == [1, 1, 1]
    assert x.new_full((2,), 3.5).tolist() == [3, 3] and x.new_tensor([1.5]).dtype is torch.int64
    assert x.new_empty(0).shape == (0,) and not torch.zeros(2, requires_grad=True).new_zeros(2).requires_grad


def test_like_keeps_the_memory_layout():
    t = torch.zeros(2, 3).t()
    assert torch.zeros_like(t).stride() == (1, 3) and torch.full_like(t, 7).stride() == (1, 3)
    assert torch.zeros_like(t, dtype=torch.int32).stride() == (1, 3)
    assert torch.zeros_like(t, memory_format=torch.contiguous_format).stride() == (2, 1)
    assert torch.ones_like(torch.zeros(2, 3)[:, ::2]).stride() == (2, 1)
    assert torch.empty_like(torch.zeros(2, 3, 4).permute(2, 0, 1)).stride() == (1, 12, 4)
    assert torch.zeros_like(torch.zeros(3, 1).expand(3, 4)).stride() == (4, 1)


# ---- random numbers: PyTorch's values ----------------------------------------------------------------

def test_random_numbers_are_torchs():
    torch.manual_seed(0)
    assert torch.rand(4).tolist() == [0.49625658988952637, 0.7682217955589294, 0.08847743272781372,
                                      0.13203048706054688]
    assert torch.randn(5).tolist() == [-2.1787893772125244, 0.5684312582015991, -1.0845223665237427,
                                       -1.3985954523086548, 0.40334683656692505]
    big = torch.randn(18).tolist()  # 16 or more: torch's vectorised Box-Muller in float32
    np.testing.assert_allclose(big, [-1.3526537418365479, -1.6959311962127686, -0.4926769733428955,
                                     0.2484147548675537, 0.4396958351135254, 0.11241118609905243, 0.6407923698425293,
                                     0.441156268119812, -0.21586325764656067, -0.7425481677055359,
                                     -0.28966769576072693, 0.05250748619437218, 0.5228604674339294,
                                     2.3022053241729736, -1.4688938856124878, -1.586688756942749, 1.203223705291748,
                                     0.08453469723463058], rtol=3e-7)
    assert torch.randn(3, dtype=torch.float64).tolist() == [0.8380263329976598, -1.2427316949043647,
                                                            -0.4762315685145951]
    assert torch.randint(0, 10, (6,)).tolist() == [1, 0, 3, 6, 6, 7]
    assert torch.randperm(8).tolist() == [3, 0, 5, 7, 1, 4, 6, 2]
    assert torch.rand(2, dtype=torch.float64).tolist() == [0.9268188566159239, 0.8407767379930023]
    assert torch.normal(2.0, 3.0, (3,)).tolist() == [-0.5459176301956177, 1.445659875869751, -1.5812716484069824]
    assert torch.rand(3, dtype=torch.float16).tolist() == [0.187255859375, 0.034027099609375, 0.9443359375]


def test_lecture_random_printing():
    torch.manual_seed(123)
    assert repr(torch.rand(3, 5)) == ("tensor([[0.2961, 0.5166, 0.2517, 0.6886, 0.0740],\n"
                                      "        [0.8665, 0.1366, 0.1025, 0.1841, 0.7264],\n"
                                      "        [0.3153, 0.6871, 0.0756, 0.1966, 0.3164]])")
    assert repr(torch.randint(2, 4, (3, 5))) == ("tensor([[3, 2, 3, 3, 2],\n        [2, 2, 3, 3, 3],\n"
                                                 "        [2, 3, 2, 2, 2]])")


def test_small_randn_keeps_a_spare_value_like_torch():
    torch.manual_seed(3)
    assert torch.randn(3).tolist() == [0.8032760620117188, 0.17483338713645935, 0.08897809684276581]
    assert torch.randn(1).tolist() == [-0.6137180328369141]  # the spare of the second pair
    assert torch.randn(1).tolist() == [0.04618244990706444]


def test_generators_and_state():
    g = torch.Generator().manual_seed(42)
    assert torch.rand(3, generator=g).tolist() == [0.8822692632675171, 0.9150039553642273, 0.38286375999450684]
    assert torch.randn(2, generator=g).tolist() == [-0.829319179058075, -1.6137069463729858]
    state = g.get_state()
    first = torch.rand(3, generator=g)
    g.set_state(state)
    assert torch.equal(torch.rand(3, generator=g), first) and state.dtype is torch.uint8
    torch.manual_seed(7)
    s = torch.get_rng_state()
    a = torch.rand(2)
    torch.set_rng_state(s)
    assert torch.equal(torch.rand(2), a)
    torch.manual_seed(2 ** 40 + 5)  # torch seeds mt19937 with the low 32 bits
    b = torch.rand(2)
    torch.manual_seed(5)
    assert torch.equal(torch.rand(2), b)
    assert torch.Generator().initial_seed() == 67280421310721 and torch.Generator().device == torch.device("cpu")
    assert isinstance(torch.manual_seed(3), torch.Generator) and torch.initial_seed() == 3
    assert torch.seed() > 0 and torch.randint(0, 2 ** 40, (2,)).dtype is torch.int64


def test_in_place_random_fills_memory_order():
    torch.manual_seed(1)
    x = torch.empty(2, 3).t().uniform_(-1, 1)
    assert x.tolist() == [[0.5152631998062134, 0.46936893463134766], [-0.44137823581695557, -0.9414368867874146],
                          [-0.1938614845275879, 0.5997172594070435]]
    assert torch.empty(3).normal_(2, 0.5).tolist() == [2.28177547454834, 2.571528196334839, 2.42950439453125]
    torch.manual_seed(5)
    assert torch.randn_like(torch.zeros(2, 3).t()).tolist() == [[-0.4867807626724243, 0.6675242781639099],
                                                                [-0.6038215756416321, -0.19741509854793549],
                                                                [-0.5580962300300598, 1.9427834749221802]]
    u = torch.empty(1000).uniform_(2, 3)
    assert 2 <= u.min().item() and u.max().item() < 3
    r = torch.zeros(500, dtype=torch.int64).random_(0, 4)
    assert set(r.tolist()) == {0, 1, 2, 3}


def test_random_shapes_and_dtypes():
    assert torch.rand(2, 3).shape == (2, 3) and torch.rand((2, 2)).shape == (2, 2) and torch.rand(()).shape == ()
    assert torch.randint(5, (2,)).dtype is torch.int64 and torch.randint(2, 5, (3,)).shape == (3,)
    assert torch.randint(-5, 5, (2, 2), dtype=torch.float32).dtype is torch.float32
    assert torch.randperm(0).tolist() == [] and torch.randperm(1).tolist() == [0]
    assert torch.randperm(3, dtype=torch.float32).dtype is torch.float32
    assert sorted(torch.randperm(50).tolist()) == list(range(50))
    assert torch.normal(torch.zeros(3), 1.0).shape == (3,) and torch.normal(torch.zeros(3), torch.ones(3)).shape == (3,)
    assert torch.normal(2, 3, size=(1, 4)).shape == (1, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        torch.rand(3, 5)


@pytest.mark.cuda
def test_creation_on_cuda():
    for t in (torch.zeros(2, 3, device="cuda"), torch.ones(2, device="cuda", dtype=torch.int8),
              torch.full((2,), 7.0, device="cuda"), torch.eye(3, device="cuda"), torch.arange(5, device="cuda"),
              torch.linspace(0, 1, 5, device="cuda"), torch.logspace(0, 1, 3, device="cuda"),
              torch.tensor([[1, 2]], device="cuda"), torch.rand(3, device="cuda"), torch.randn(20, device="cuda"),
              torch.randint(0, 5, (4,), device="cuda"), torch.randperm(6, device="cuda"),
              torch.zeros_like(torch.zeros(2, 3).t(), device="cuda")):
        assert t.is_cuda and t.device == torch.device("cuda:0")
    assert torch.linspace(0, 1, 7, device="cuda").tolist() == torch.linspace(0, 1, 7).tolist()
    assert torch.arange(0.0, 1.0, 0.1, device="cuda").tolist() == torch.arange(0.0, 1.0, 0.1).tolist()
    torch.manual_seed(0)
    a = torch.rand(5, device="cuda")
    torch.manual_seed(0)
    assert torch.equal(a, torch.rand(5, device="cuda"))  # reproducible on the GPU too (its own stream)
    assert sorted(torch.randperm(6, device="cuda").tolist()) == list(range(6))
    x = torch.empty(3, 4, device="cuda").t().uniform_(2, 3)
    assert x.is_cuda and 2 <= x.min().item() and x.max().item() < 3


@pytest.mark.cuda
def test_seeding_before_the_first_cuda_random_call():
    from minitorch.ops import creation

    creation._device_generators.clear()  # as in a fresh process: no cuda generator yet
    torch.manual_seed(3)
    a = torch.rand(4, device="cuda")  # creates the cuda generator: it must start from seed 3 too
    torch.manual_seed(3)
    assert torch.equal(a, torch.rand(4, device="cuda"))
    p = torch.tensor([[0.0, 1.0, 2.0], [1.0, 1.0, 0.0]], device="cuda")
    for replacement in (False, True):
        picks = torch.multinomial(p, 2, replacement)
        assert picks.is_cuda and picks.shape == (2, 2) and 0 not in picks[0].tolist() and 2 not in picks[1].tolist()


def test_generator_state_is_plain_bytes_never_unpickled(tmp_path):
    """A saved state is numbers: loading one cannot run code, and a damaged one is refused."""
    import pickle

    g = torch.Generator().manual_seed(3)
    torch.randn(1, generator=g)  # a small randn keeps its second value: part of the state
    state = g.get_state()
    after = torch.randn(3, generator=g)
    assert torch.equal(torch.randn(3, generator=torch.Generator().set_state(state)), after)
    assert torch.Generator().set_state(state).initial_seed() == 3
    marker = tmp_path / "ran"
    payload = pickle.dumps(__import__("os").system.__call__) + f"touch {marker}".encode()
    forged = torch.tensor(list(payload.ljust(state.numel(), b"\0")), dtype=torch.uint8)
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        torch.Generator().set_state(forged)
    assert not marker.exists()
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        torch.set_rng_state(state.float())
    with pytest.raises(RuntimeError, match=f"size {state.numel()} but found the input RNG state size to be 10"):
        torch.set_rng_state(state[:10])


def test_bool_fills_hold_any_nonzero_int_as_true():
    """C's conversion to bool (torch 2.13): 256 is True, not its low 8 bits (0)."""
    assert torch.full((2,), 256, dtype=torch.bool).tolist() == [True, True]
    assert torch.zeros(2, dtype=torch.bool).fill_(2 ** 40).tolist() == [True, True]
    assert torch.full((1,), -256, dtype=torch.bool).tolist() == [True]
    assert torch.full((1,), 0, dtype=torch.bool).tolist() == [False]


def test_creation_functions_write_into_out_as_torch():
    """``out=`` on the creation functions (torch 2.13): out gives the dtype and device, is resized
    (arange warns, the others do not) and returned; requires_grad=True marks it."""
    t = torch.empty(2)
    assert torch.zeros(5, out=t) is t and t.tolist() == [0.0] * 5
    assert torch.zeros(2, out=torch.empty(2, dtype=torch.int64)).dtype == torch.int64
    assert torch.arange(0.5, 3, out=torch.empty(3, dtype=torch.int64)).tolist() == [0, 1, 2]
    assert torch.full((2,), 7.5, out=torch.empty(2, dtype=torch.int64)).tolist() == [7, 7]
    torch.manual_seed(0)
    drawn = torch.randn(3, dtype=torch.float64)
    torch.manual_seed(0)
    assert torch.equal(torch.randn(3, out=torch.empty(3, dtype=torch.float64)), drawn)
    transposed = torch.empty(2, 2).t()
    assert torch.ones(2, 2, out=transposed).stride() == (1, 2)  # written in place, its layout kept
    assert torch.zeros(2, out=torch.empty(2), requires_grad=True).requires_grad
    with pytest.warns(UserWarning, match=r"The number of elements in the out tensor of shape \[2\] is 2 which "
                                         r"does not match the computed number of elements 5"):
        torch.arange(5, out=torch.empty(2))
    with pytest.raises(RuntimeError, match=r"dtype Double does not match dtype of out parameter \(Float\)"):
        torch.zeros(2, dtype=torch.float64, out=torch.empty(2))
    with pytest.raises(RuntimeError, match=r"aten::eye\(\): functions with out=\.\.\. arguments don't support"):
        torch.eye(2, out=torch.empty(2, 2, requires_grad=True))
    with pytest.raises(NotImplementedError, match="check_uniform_bounds"):
        torch.rand(3, out=torch.empty(3, dtype=torch.int64))
