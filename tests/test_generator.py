"""The CPU generator: torch's streams (values written out from PyTorch 2.13), made in chunks and
written in place, checked against a plain numpy re-derivation of torch's algorithm."""

import warnings

import numpy as np
import pytest

import minitorch as torch
from minitorch.backends import cpu


def mt_words(seed, n):
    """The raw mt19937 words torch draws after ``manual_seed(seed)``."""
    bits = np.random.MT19937()
    bits.state = np.random.RandomState(seed).get_state(legacy=False)
    return bits.random_raw(n)


def reference_randn32(seed, n):
    """torch's float32 randn for n >= 16, all at once: n uniforms, Box-Muller on each block of 16,
    and the last partial block redone from 16 fresh uniforms."""
    u = ((mt_words(seed, n + 16) & 0xFFFFFF) * 2.0 ** -24).astype(np.float32)

    def blocks(x):
        b = x.reshape(-1, 2, 8)
        radius, theta = np.sqrt(-2 * np.log(1 - b[:, 0])), 2 * np.pi * b[:, 1]
        return np.stack([radius * np.cos(theta), radius * np.sin(theta)], axis=1).reshape(-1)

    out, whole = u[:n].copy(), n - n % 16
    out[:whole] = blocks(out[:whole])
    if whole < n:
        out[n - 16:] = blocks(u[n:n + 16])
    return out


def test_uniforms_span_several_chunks_and_follow_the_word_stream():
    n = 2 * cpu._CHUNK + 5
    torch.manual_seed(4)
    got = torch.rand(n).numpy()
    np.testing.assert_array_equal(got, ((mt_words(4, n) & 0xFFFFFF) * 2.0 ** -24).astype(np.float32))
    w = mt_words(4, n + 4)[n:]  # float64 takes 53 bits of a 64-bit word (high half first)
    expected = (((w[0::2] << np.uint64(32)) | w[1::2]) & np.uint64(2 ** 53 - 1)) * 2.0 ** -53
    np.testing.assert_array_equal(torch.rand(2, dtype=torch.float64).numpy(), expected)


@pytest.mark.parametrize("n", [16, 40, cpu._CHUNK + 24])
def test_normals_made_in_chunks_equal_the_whole_array_algorithm(n):
    torch.manual_seed(9)
    np.testing.assert_array_equal(torch.randn(n).numpy(), reference_randn32(9, n))
    torch.manual_seed(9)
    filled = torch.empty(n).normal_(0.5, 2.0).numpy()
    np.testing.assert_array_equal(filled, reference_randn32(9, n) * np.float32(2.0) + np.float32(0.5))


def test_randn_matches_torch_across_chunks():
    torch.manual_seed(0)
    x = torch.randn(70005)
    expected = [-1.1258398294448853, -1.4578040838241577, 0.019297275692224503, 0.7039951086044312,
                0.5033389329910278, -0.5693303346633911]
    got = [x[i].item() for i in (0, 65535, 65536, 69988, 69989, 70004)]
    np.testing.assert_allclose(got, expected, rtol=1e-6)  # torch's vectorised log/cos may differ in the last bit
    assert torch.rand(2).tolist() == [0.4709339141845703, 0.944757342338562]  # the same number of words drawn


def test_uniform_fill_is_low_plus_u_times_the_span():
    torch.manual_seed(1)
    u = (mt_words(1, 6) & 0xFFFFFF) * 2.0 ** -24
    expected = (-0.1234567 + u * (0.3456789 - -0.1234567)).astype(np.float32)
    np.testing.assert_array_equal(torch.empty(6).uniform_(-0.1234567, 0.3456789).numpy(), expected)
    # torch: [0.2319752424955368, 0.007577971555292606, ...] (it rounds the bounds to float32 first)
    np.testing.assert_allclose(expected[:2], [0.2319752424955368, 0.007577971555292606], rtol=0, atol=3e-8)


def test_default_linear_init_is_torchs_to_the_last_bit_or_one_unit():
    torch.manual_seed(0)
    layer = torch.nn.Linear(3, 2)
    np.testing.assert_allclose(layer.weight.tolist(), [[-0.004322517663240433, 0.3097158372402191, -0.4751853346824646],
                                                       [-0.4248946011066437, -0.2223689705133438, 0.15482072532176971]],
                               rtol=2e-7, atol=1e-9)
    np.testing.assert_allclose(layer.bias.tolist(), [-0.011439144611358643, 0.45777493715286255], rtol=2e-7)


def test_float16_randn_redoes_the_last_block_like_torch():
    # torch draws uniforms only for the whole blocks before redoing the last 16 values
    torch.manual_seed(0)
    assert torch.randn(20, dtype=torch.float16).tolist() == [
        -1.1259765625, -1.15234375, -0.25048828125, -0.433837890625, -1.3525390625, -1.6962890625,
        0.56689453125, 0.79345703125, 0.5986328125, -1.5546875, -0.34130859375, 1.8525390625, 0.75,
        -0.58544921875, -0.17333984375, 0.1834716796875, 1.3896484375, 1.5859375, 0.9462890625, -0.84375]
    torch.manual_seed(0)
    torch.randn(20, dtype=torch.float16)
    after = torch.rand(1).item()
    torch.manual_seed(0)
    torch.randn(32, dtype=torch.float16)
    assert torch.rand(1).item() == after


def test_in_place_fill_writes_into_the_storage_and_bumps_the_version():
    w = torch.empty(4, 5)
    pointer, version = w.data_ptr(), w._version
    torch.manual_seed(2)
    w.uniform_(-1, 1)
    assert w.data_ptr() == pointer and w._version == version + 1
    torch.manual_seed(2)
    assert w.tolist() == torch.empty(20).uniform_(-1, 1).view(4, 5).tolist()


def test_fill_of_a_leaf_that_requires_grad_is_refused_while_recording():
    w = torch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w.normal_()
    with torch.no_grad():
        w.normal_()  # what nn.init does
    assert w.requires_grad and w.is_leaf and bool((w != 0).all())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_number_draws_equal_the_array_draws(dtype):
    torch.manual_seed(6)
    rng = torch.default_generator._rng  # (seeding makes a new one)
    scalars = [rng.uniform(-15.0, 15.0, dtype) for _ in range(20)] + [rng.integers(3, 10 ** 10, size=None)]
    torch.manual_seed(6)
    arrays = [torch.empty(1, dtype=torch.float32 if dtype is np.float32 else torch.float64).uniform_(-15, 15).item()
              for _ in range(20)] + [int(torch.randint(3, 10 ** 10, (1,)))]
    assert scalars == arrays


# torch 2.13 after manual_seed(0): random_(), random_(2), random_(10), random_(-3, 100) per dtype
RANDOM_ = {
    torch.float16: ([1277, 1017, 1661, 999, 982, 543], [0, 1, 1, 0], [4, 9, 3, 0], [96, 68, 5, 78]),
    torch.float32: ([8325664, 12888472, 1484222, 2214888, 5157545, 10637856], [0, 1, 1, 0], [4, 9, 3, 0],
                    [96, 68, 5, 78]),
    torch.float64: ([8737460674930124, 6375474555111176, 4137753702977065, 8293357854226700, 5809860774058864,
                     7126026704835016], [0, 1, 1, 0], [4, 9, 3, 0], [96, 68, 5, 78]),
    torch.int64: ([900450186894289455, 3969543146641149120, 1895649597198586619, 827948490035658087,
                   7815051614634499795, 2691271404617651954], [0, 1, 1, 0], [4, 9, 3, 0], [96, 68, 5, 78]),
    torch.int32: ([209652396, 398764591, 924231285, 1478610112, 441365315, 1537364731], [0, 1, 1, 0], [4, 9, 3, 0],
                  [96, 68, 5, 78]),
    torch.int16: ([2732, 10799, 9845, 19648, 13123, 21243], [0, 1, 1, 0], [4, 9, 3, 0], [96, 68, 5, 78]),
    torch.int8: ([44, 47, 117, 64, 67, 123], [0, 1, 1, 0], [4, 9, 3, 0], [96, 68, 5, 78]),
    torch.uint8: ([172, 47, 117, 192, 67, 251], [0, 1, 1, 0], [4, 9, 3, 0], None),
    torch.bool: ([False, True, True, False, True, True], [False, True, True, False], None, None),
}


@pytest.mark.parametrize("dtype", list(RANDOM_))
def test_random_fills_are_torchs(dtype):
    for n, args, expected in zip((6, 4, 4, 4), ((), (2,), (10,), (-3, 100)), RANDOM_[dtype]):
        if expected is not None:
            torch.manual_seed(0)
            assert torch.empty(n, dtype=dtype).random_(*args).tolist() == expected


def test_random_of_floats_spans_every_exact_integer_and_the_top_one():
    # floats: [0, 2**digits], the top included (word mod 2**digits + 1; 64-bit words for float64)
    words = mt_words(0, 2000)
    torch.manual_seed(0)
    assert torch.empty(2000).random_().tolist() == (words % (2 ** 24 + 1)).tolist()
    torch.manual_seed(0)
    assert torch.empty(1000, dtype=torch.float64).random_().tolist() == \
        (((words[0::2] << np.uint64(32)) | words[1::2]) % np.uint64(2 ** 53 + 1)).astype(np.float64).tolist()
    # the bounds torch accepts: to - 1 = 2**digits exactly
    torch.manual_seed(0)
    assert torch.empty(3).random_(0, 2 ** 24 + 1).tolist() == [8325664, 12888472, 1484222]
    torch.manual_seed(0)
    assert torch.empty(3, dtype=torch.float64).random_(-2 ** 53, 2 ** 53).tolist() == \
        [8737460674931247, -2631724699628352, -4869445551762693]
    torch.manual_seed(0)
    assert torch.empty(3, dtype=torch.float16).random_(-2 ** 11, 2 ** 11).tolist() == [684, 559, -395]
    torch.manual_seed(0)
    assert torch.empty(3, dtype=torch.int32).random_(-2 ** 31, 2 ** 31).tolist() == [398764591, 1478610112, 1537364731]


def test_random_to_keyword_and_empty_ranges():
    torch.manual_seed(0)
    assert torch.empty(3).random_(to=5).tolist() == [4, 4, 3]
    torch.manual_seed(0)
    assert torch.empty(3).random_(0, to=5).tolist() == [4, 4, 3]
    for args in ((0,), (5, 5)):
        with pytest.raises(RuntimeError, match=f"but got from={args[0]} >= to={args[-1]}"):
            torch.empty(3).random_(*args)


def test_ranges_from_2_to_the_28_draw_64_bit_words_like_torch():
    # torch 2.13 (randint and random_(from, to) share the draw): 32-bit words below a range of 2**28
    torch.manual_seed(0)
    assert torch.randint(0, 2 ** 30, (2,)).tolist() == [398764591, 404868288]
    assert torch.randint(5, 2 ** 28 + 5, (2,)).tolist() == [195187456, 149257580]
    assert torch.randint(0, 2 ** 28 - 1, (2,)).tolist() == [208970767, 262266588]
    for dtype, low in ((torch.int32, -2 ** 31), (torch.int64, 0), (torch.float64, 0)):
        torch.manual_seed(0)
        expected = [-1748719057, -1742615360] if dtype == torch.int32 else [398764591, 404868288]
        assert torch.empty(2, dtype=dtype).random_(low, low + 2 ** 30).tolist() == expected
    # one-number draws (the random transforms' crop positions) follow the same rule
    torch.manual_seed(0)
    assert [torch.default_generator._rng.integers(0, 2 ** 30, size=None) for _ in range(2)] == [398764591, 404868288]


def test_random_from_up_to_the_dtypes_top():
    # random_(from, None): [from, top], top included; torch 2.13's values
    for dtype, low, expected in ((torch.int32, 5, [347804968, 2130988450, 1656050655]), (torch.int8, -5, [48, 75, -5]),
                                 (torch.float16, 5, [1381, 652, 1958]), (torch.float32, 5, [8326369, 12889232, 1485142]),
                                 (torch.int64, -2 ** 63, [-8322921849960486353, -5253828890213626688,
                                                          -7327722439656189189])):
        torch.manual_seed(0)
        assert torch.empty(3, dtype=dtype).random_(low, None).tolist() == expected


def test_float_bounds_beyond_the_exact_integers_warn_and_move_like_torch():
    # torch 2.13: beyond 2**digits a float bound only warns, and a bound that rounds past itself moves
    # one float spacing inside ([2**25 + 1, 2**26) -> from 2**25 + 4); past the dtype's max it is an error
    for dtype, args, expected in ((torch.float32, (0, 2 ** 25), [8325944, 29665988, 18261804]),
                                  (torch.float32, (2 ** 25 + 1, 2 ** 26), [41880800, 63220876, 51816784]),
                                  (torch.float32, (-2 ** 26, -2 ** 25 - 1), [-58782780, -37442724, -48846880]),
                                  (torch.float16, (0, 60000), [33824, 6960, 34048]),
                                  (torch.float16, (2049, 2051), [2048, 2050, 2050])):
        torch.manual_seed(0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert torch.empty(3, dtype=dtype).random_(*args).tolist() == expected
        digits = 24 if dtype == torch.float32 else 11  # a warning for each bound beyond 2**digits
        assert [str(w.message).split(". Due")[0] for w in caught] == \
            [f"{what} is out of bounds [-(2^{digits}), 2^{digits}]" for what in ("from", "to - 1") if what != "from" or args[0]]
    torch.manual_seed(0)
    with pytest.warns(UserWarning, match="float can support discrete uniform distribution only within this range"):
        assert torch.randint(0, 2 ** 25, (3,), dtype=torch.float32).tolist() == [8325944, 29665988, 18261804]
    for dtype, args, message in (
            (torch.float16, (0, 70000), "to - 1 is out of bounds for c10::Half"),
            (torch.float16, (-70000, 3), "from is out of bounds for c10::Half"),
            (torch.float32, (2 ** 25 + 1, 2 ** 25 + 3), "'from' casted to dtype to be less than 'to' casted to dtype, "
                                                        "but got from=33554436 >= to=33554435"),
            (torch.float32, (2 ** 24, None), "less than or equal to 'to_inc' casted to dtype, but got from=16777216 "
                                             "> to_inc=16777216"),
            (torch.int16, (-2 ** 63, None), "random_full_64_bits_range_kernel_cpu handles only int64, double, float")):
        with pytest.raises(RuntimeError, match=message), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.empty(3, dtype=dtype).random_(*args)


def test_every_int64_from_64_bit_words():
    # random_(-2**63, None): torch reads 64-bit words as signed; floats round them
    for dtype, expected in ((torch.float32, [-8.322922041485296e+18, -5.25382884659508e+18, -7.327722181348033e+18]),
                            (torch.float64, [-8.322921849960486e+18, -5.253828890213627e+18, -7.327722439656189e+18])):
        torch.manual_seed(0)
        assert torch.empty(3, dtype=dtype).random_(-2 ** 63, None).tolist() == expected
    torch.manual_seed(0)
    assert torch.empty(3, dtype=torch.int64).random_(-2 ** 63, 2 ** 63 - 1).tolist() == \
        [900450186894289455, 3969543146641149120, 1895649597198586619]
