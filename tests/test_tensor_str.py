"""Tests for minitorch._tensor_str.

Every expected string below was printed by real PyTorch 2.13 (CPU) for the same
data; torch itself is not needed to run these tests.
"""

import hashlib
import math

import numpy as np
import pytest

from minitorch._tensor_str import (
    format_storage,
    format_tensor,
    get_printoptions,
    printoptions,
    set_printoptions,
)


@pytest.fixture(autouse=True)
def default_printoptions():
    """Print options are global state: start and end every test from torch's defaults."""
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")


def fmt(values, default="torch.float32", **kwargs):
    """format_tensor with the torch dtype name derived from the numpy dtype."""
    return format_tensor(values, dtype_name=f"torch.{values.dtype}",
                         default_dtype_name=default, **kwargs)


# (make values, print options, extra format_tensor arguments, what torch prints)
CASES = [
    pytest.param(
        lambda: np.arange(6), {}, {},
        'tensor([0, 1, 2, 3, 4, 5])',
        id='int_vector'),
    pytest.param(
        lambda: np.arange(12).reshape(3, 4), {}, {},
        'tensor([[ 0,  1,  2,  3],\n'
        '        [ 4,  5,  6,  7],\n'
        '        [ 8,  9, 10, 11]])',
        id='int_matrix'),
    pytest.param(
        lambda: np.array([-100, 5, 23]), {}, {},
        'tensor([-100,    5,   23])',
        id='int_negative'),
    pytest.param(
        lambda: np.arange(4, dtype=np.int32), {}, {},
        'tensor([0, 1, 2, 3], dtype=torch.int32)',
        id='int32_dtype'),
    pytest.param(
        lambda: np.array([[1, -20], [300, 4]], dtype=np.int16), {}, {},
        'tensor([[  1, -20],\n'
        '        [300,   4]], dtype=torch.int16)',
        id='int16_matrix'),
    pytest.param(
        lambda: np.array([-128, 0, 127], dtype=np.int8), {}, {},
        'tensor([-128,    0,  127], dtype=torch.int8)',
        id='int8'),
    pytest.param(
        lambda: np.array([0, 128, 255], dtype=np.uint8), {}, {},
        'tensor([  0, 128, 255], dtype=torch.uint8)',
        id='uint8'),
    pytest.param(
        lambda: np.array([True, False, True]), {}, {},
        'tensor([ True, False,  True])',
        id='bool_vector'),
    pytest.param(
        lambda: np.array([[True, True], [False, True]]), {}, {},
        'tensor([[ True,  True],\n'
        '        [False,  True]])',
        id='bool_matrix'),
    pytest.param(
        lambda: np.array([1.0, 2.0, 3.0], dtype=np.float32), {}, {},
        'tensor([1., 2., 3.])',
        id='float_whole'),
    pytest.param(
        lambda: np.array([1.5, -2.25, 3.14159], dtype=np.float32), {}, {},
        'tensor([ 1.5000, -2.2500,  3.1416])',
        id='float_fixed'),
    pytest.param(
        lambda: np.array([[-1.5, 2.0], [300.25, 4.0]], dtype=np.float32), {}, {},
        'tensor([[ -1.5000,   2.0000],\n'
        '        [300.2500,   4.0000]])',
        id='float_mixed_width'),
    pytest.param(
        lambda: np.array(1.40759, dtype=np.float32), {}, {},
        'tensor(1.4076)',
        id='scalar_float'),
    pytest.param(
        lambda: np.array(6), {}, {},
        'tensor(6)',
        id='scalar_int'),
    pytest.param(
        lambda: np.array(False), {}, {},
        'tensor(False)',
        id='scalar_bool'),
    pytest.param(
        lambda: np.array(2.5), {}, {},
        'tensor(2.5000, dtype=torch.float64)',
        id='scalar_float64'),
    pytest.param(
        lambda: np.array(np.nan, dtype=np.float32), {}, {},
        'tensor(nan)',
        id='scalar_nan'),
    pytest.param(
        lambda: np.array([0.001, 10.0, 2000.0], dtype=np.float32), {}, {},
        'tensor([1.0000e-03, 1.0000e+01, 2.0000e+03])',
        id='sci_ratio'),
    pytest.param(
        lambda: np.array([1.0e9, 2.5], dtype=np.float32), {}, {},
        'tensor([1.0000e+09, 2.5000e+00])',
        id='sci_big'),
    pytest.param(
        lambda: np.array([1.0e-5, 1.0], dtype=np.float32), {}, {},
        'tensor([1.0000e-05, 1.0000e+00])',
        id='sci_small'),
    pytest.param(
        lambda: np.array([1.0e10, 1.0], dtype=np.float32), {}, {},
        'tensor([1.0000e+10, 1.0000e+00])',
        id='sci_whole'),
    pytest.param(
        lambda: np.array([-1.0e-200, 3.0, np.nan]), {}, {},
        'tensor([-1.0000e-200,   3.0000e+00,          nan], dtype=torch.float64)',
        id='sci_negative_exp3'),
    pytest.param(
        lambda: np.array([123456.0, 200000.0], dtype=np.float32), {}, {},
        'tensor([123456., 200000.])',
        id='large_whole_not_sci'),
    pytest.param(
        lambda: np.array([1.0, np.nan, np.inf, -np.inf], dtype=np.float32), {}, {},
        'tensor([1., nan, inf, -inf])',
        id='nan_inf_whole'),
    pytest.param(
        lambda: np.array([1.5, np.nan, -np.inf], dtype=np.float32), {}, {},
        'tensor([1.5000,    nan,   -inf])',
        id='nan_inf_fixed'),
    pytest.param(
        lambda: np.zeros((2, 2), dtype=np.float32), {}, {},
        'tensor([[0., 0.],\n'
        '        [0., 0.]])',
        id='zeros'),
    pytest.param(
        lambda: np.array([-0.0, 1.5], dtype=np.float32), {}, {},
        'tensor([-0.0000, 1.5000])',
        id='negative_zero_fixed'),
    pytest.param(
        lambda: np.array([-0.0, 0.0, 10.0], dtype=np.float32), {}, {},
        'tensor([-0.,  0., 10.])',
        id='negative_zero_whole'),
    pytest.param(
        lambda: np.array([0.1, 65504.0, -2.0], dtype=np.float16), {}, {},
        'tensor([ 9.9976e-02,  6.5504e+04, -2.0000e+00], dtype=torch.float16)',
        id='float16_dtype'),
    pytest.param(
        lambda: np.array([[0.5, 1.25], [-3.0, 4.0]]), {}, {},
        'tensor([[ 0.5000,  1.2500],\n'
        '        [-3.0000,  4.0000]], dtype=torch.float64)',
        id='float64_matrix'),
    pytest.param(
        lambda: np.array([9.99996, 0.5], dtype=np.float64), {}, {},
        'tensor([10.0000,  0.5000], dtype=torch.float64)',
        id='rounding_carry'),
    pytest.param(
        lambda: np.arange(24).reshape(2, 3, 4), {}, {},
        'tensor([[[ 0,  1,  2,  3],\n'
        '         [ 4,  5,  6,  7],\n'
        '         [ 8,  9, 10, 11]],\n'
        '\n'
        '        [[12, 13, 14, 15],\n'
        '         [16, 17, 18, 19],\n'
        '         [20, 21, 22, 23]]])',
        id='tensor_3d'),
    pytest.param(
        lambda: np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2) / 4, {}, {},
        'tensor([[[[0.0000, 0.2500],\n'
        '          [0.5000, 0.7500]],\n'
        '\n'
        '         [[1.0000, 1.2500],\n'
        '          [1.5000, 1.7500]]],\n'
        '\n'
        '\n'
        '        [[[2.0000, 2.2500],\n'
        '          [2.5000, 2.7500]],\n'
        '\n'
        '         [[3.0000, 3.2500],\n'
        '          [3.5000, 3.7500]]]])',
        id='tensor_4d'),
    pytest.param(
        lambda: np.arange(40, dtype=np.float32) * 1.5, {}, {},
        'tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n'
        '        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,\n'
        '        24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,\n'
        '        36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000, 45.0000, 46.5000,\n'
        '        48.0000, 49.5000, 51.0000, 52.5000, 54.0000, 55.5000, 57.0000, 58.5000])',
        id='wrap_float_row'),
    pytest.param(
        lambda: np.arange(100) - 50, {}, {},
        'tensor([-50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37,\n'
        '        -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23,\n'
        '        -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10,  -9,\n'
        '         -8,  -7,  -6,  -5,  -4,  -3,  -2,  -1,   0,   1,   2,   3,   4,   5,\n'
        '          6,   7,   8,   9,  10,  11,  12,  13,  14,  15,  16,  17,  18,  19,\n'
        '         20,  21,  22,  23,  24,  25,  26,  27,  28,  29,  30,  31,  32,  33,\n'
        '         34,  35,  36,  37,  38,  39,  40,  41,  42,  43,  44,  45,  46,  47,\n'
        '         48,  49])',
        id='wrap_int_row'),
    pytest.param(
        lambda: (np.arange(60, dtype=np.float32) * 0.37 - 10).reshape(2, 30), {}, {},
        'tensor([[-1.0000e+01, -9.6300e+00, -9.2600e+00, -8.8900e+00, -8.5200e+00,\n'
        '         -8.1500e+00, -7.7800e+00, -7.4100e+00, -7.0400e+00, -6.6700e+00,\n'
        '         -6.3000e+00, -5.9300e+00, -5.5600e+00, -5.1900e+00, -4.8200e+00,\n'
        '         -4.4500e+00, -4.0800e+00, -3.7100e+00, -3.3400e+00, -2.9700e+00,\n'
        '         -2.6000e+00, -2.2300e+00, -1.8600e+00, -1.4900e+00, -1.1200e+00,\n'
        '         -7.5000e-01, -3.8000e-01, -1.0000e-02,  3.6000e-01,  7.3000e-01],\n'
        '        [ 1.1000e+00,  1.4700e+00,  1.8400e+00,  2.2100e+00,  2.5800e+00,\n'
        '          2.9500e+00,  3.3200e+00,  3.6900e+00,  4.0600e+00,  4.4300e+00,\n'
        '          4.8000e+00,  5.1700e+00,  5.5400e+00,  5.9100e+00,  6.2800e+00,\n'
        '          6.6500e+00,  7.0200e+00,  7.3900e+00,  7.7600e+00,  8.1300e+00,\n'
        '          8.5000e+00,  8.8700e+00,  9.2400e+00,  9.6100e+00,  9.9800e+00,\n'
        '          1.0350e+01,  1.0720e+01,  1.1090e+01,  1.1460e+01,  1.1830e+01]])',
        id='wrap_matrix'),
    pytest.param(
        lambda: np.arange(2000), {}, {},
        'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])',
        id='summary_1d'),
    pytest.param(
        lambda: np.where(np.arange(1200) == 600, 1.0e6, np.arange(1200) * 0.5).astype(np.float32).reshape(30, 40), {}, {},
        'tensor([[0.0000e+00, 5.0000e-01, 1.0000e+00,  ..., 1.8500e+01, 1.9000e+01,\n'
        '         1.9500e+01],\n'
        '        [2.0000e+01, 2.0500e+01, 2.1000e+01,  ..., 3.8500e+01, 3.9000e+01,\n'
        '         3.9500e+01],\n'
        '        [4.0000e+01, 4.0500e+01, 4.1000e+01,  ..., 5.8500e+01, 5.9000e+01,\n'
        '         5.9500e+01],\n'
        '        ...,\n'
        '        [5.4000e+02, 5.4050e+02, 5.4100e+02,  ..., 5.5850e+02, 5.5900e+02,\n'
        '         5.5950e+02],\n'
        '        [5.6000e+02, 5.6050e+02, 5.6100e+02,  ..., 5.7850e+02, 5.7900e+02,\n'
        '         5.7950e+02],\n'
        '        [5.8000e+02, 5.8050e+02, 5.8100e+02,  ..., 5.9850e+02, 5.9900e+02,\n'
        '         5.9950e+02]])',
        id='summary_hidden_width'),
    pytest.param(
        lambda: np.arange(1120).reshape(8, 2, 70), {}, {},
        'tensor([[[   0,    1,    2,  ...,   67,   68,   69],\n'
        '         [  70,   71,   72,  ...,  137,  138,  139]],\n'
        '\n'
        '        [[ 140,  141,  142,  ...,  207,  208,  209],\n'
        '         [ 210,  211,  212,  ...,  277,  278,  279]],\n'
        '\n'
        '        [[ 280,  281,  282,  ...,  347,  348,  349],\n'
        '         [ 350,  351,  352,  ...,  417,  418,  419]],\n'
        '\n'
        '        ...,\n'
        '\n'
        '        [[ 700,  701,  702,  ...,  767,  768,  769],\n'
        '         [ 770,  771,  772,  ...,  837,  838,  839]],\n'
        '\n'
        '        [[ 840,  841,  842,  ...,  907,  908,  909],\n'
        '         [ 910,  911,  912,  ...,  977,  978,  979]],\n'
        '\n'
        '        [[ 980,  981,  982,  ..., 1047, 1048, 1049],\n'
        '         [1050, 1051, 1052,  ..., 1117, 1118, 1119]]])',
        id='summary_3d'),
    pytest.param(
        lambda: np.arange(2002).reshape(2, 1001), {}, {},
        'tensor([[   0,    1,    2,  ...,  998,  999, 1000],\n'
        '        [1001, 1002, 1003,  ..., 1999, 2000, 2001]])',
        id='summary_short_axis'),
    pytest.param(
        lambda: np.zeros(0, dtype=np.float32), {}, {},
        'tensor([])',
        id='empty_float'),
    pytest.param(
        lambda: np.zeros(0, dtype=np.int64), {}, {},
        'tensor([], dtype=torch.int64)',
        id='empty_int64'),
    pytest.param(
        lambda: np.zeros(0, dtype=bool), {}, {},
        'tensor([], dtype=torch.bool)',
        id='empty_bool'),
    pytest.param(
        lambda: np.zeros((0, 3), dtype=np.float32), {}, {},
        'tensor([], size=(0, 3))',
        id='empty_2d'),
    pytest.param(
        lambda: np.zeros((2, 0, 1), dtype=np.int32), {}, {},
        'tensor([], size=(2, 0, 1), dtype=torch.int32)',
        id='empty_3d_int32'),
    pytest.param(
        lambda: np.zeros(0), {}, {},
        'tensor([], dtype=torch.float64)',
        id='empty_float64'),
    pytest.param(
        lambda: np.array([1.0, 2.0, 3.0], dtype=np.float32), {}, {'tail': ('requires_grad=True',)},
        'tensor([1., 2., 3.], requires_grad=True)',
        id='requires_grad'),
    pytest.param(
        lambda: np.arange(12, dtype=np.float32) * 0.5, {}, {'tail': ('requires_grad=True',)},
        'tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000, 2.5000, 3.0000, 3.5000, 4.0000,\n'
        '        4.5000, 5.0000, 5.5000], requires_grad=True)',
        id='requires_grad_wraps'),
    pytest.param(
        lambda: np.arange(6, dtype=np.float32).reshape(2, 3), {}, {'tail': ('requires_grad=True',)},
        'tensor([[0., 1., 2.],\n'
        '        [3., 4., 5.]], requires_grad=True)',
        id='requires_grad_matrix'),
    pytest.param(
        lambda: np.arange(10, dtype=np.float64) * 0.25, {}, {'tail': ('requires_grad=True',)},
        'tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500, 2.0000,\n'
        '        2.2500], dtype=torch.float64, requires_grad=True)',
        id='requires_grad_float64'),
    pytest.param(
        lambda: np.arange(4, dtype=np.float32).reshape(2, 2) * 2, {}, {'tail': ('grad_fn=<MulBackward0>',)},
        'tensor([[0., 2.],\n'
        '        [4., 6.]], grad_fn=<MulBackward0>)',
        id='grad_fn'),
    pytest.param(
        lambda: np.arange(13, dtype=np.float32) * 0.5, {}, {'tail': ('grad_fn=<MulBackward0>',)},
        'tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000, 2.5000, 3.0000, 3.5000, 4.0000,\n'
        '        4.5000, 5.0000, 5.5000, 6.0000], grad_fn=<MulBackward0>)',
        id='grad_fn_long_line'),
    pytest.param(
        lambda: np.array([1.0, 2.0], dtype=np.float32), {}, {'device': 'cuda:0'},
        "tensor([1., 2.], device='cuda:0')",
        id='device'),
    pytest.param(
        lambda: np.array([1, 2], dtype=np.int32), {}, {'device': 'cuda:0'},
        "tensor([1, 2], device='cuda:0', dtype=torch.int32)",
        id='device_int32'),
    pytest.param(
        lambda: np.arange(8, dtype=np.float64), {}, {'device': 'cuda:0', 'tail': ('requires_grad=True',)},
        "tensor([0., 1., 2., 3., 4., 5., 6., 7.], device='cuda:0', dtype=torch.float64,\n"
        '       requires_grad=True)',
        id='device_requires_grad'),
    pytest.param(
        lambda: np.array([1.5, 2.0], dtype=np.float32), {}, {'default': 'torch.float64'},
        'tensor([1.5000, 2.0000], dtype=torch.float32)',
        id='default_dtype_float64'),
    pytest.param(
        lambda: np.array([1.5, 2.0]), {}, {'default': 'torch.float64'},
        'tensor([1.5000, 2.0000])',
        id='default_dtype_float64_self'),
    pytest.param(
        lambda: np.zeros(0, dtype=np.float32), {}, {'default': 'torch.float64'},
        'tensor([], dtype=torch.float32)',
        id='empty_default_float64'),
    pytest.param(
        lambda: np.array([1.12345, -2.5], dtype=np.float32), {'precision': 2}, {},
        'tensor([ 1.12, -2.50])',
        id='precision_2'),
    pytest.param(
        lambda: np.array([1.6, 2.5], dtype=np.float32), {'precision': 0}, {},
        'tensor([2, 2])',
        id='precision_0'),
    pytest.param(
        lambda: np.array([1.5, 20.0], dtype=np.float32), {'sci_mode': True}, {},
        'tensor([1.5000e+00, 2.0000e+01])',
        id='sci_mode_true'),
    pytest.param(
        lambda: np.array([1.0, 20.0], dtype=np.float32), {'sci_mode': True}, {},
        'tensor([1.0000e+00, 2.0000e+01])',
        id='sci_mode_true_whole'),
    pytest.param(
        lambda: np.array([1.0e9, 1.0e-5], dtype=np.float32), {'sci_mode': False}, {},
        'tensor([1000000000.0000,          0.0000])',
        id='sci_mode_false'),
    pytest.param(
        lambda: np.arange(10), {'threshold': 5}, {},
        'tensor([0, 1, 2,  ..., 7, 8, 9])',
        id='threshold_5'),
    pytest.param(
        lambda: np.arange(20).reshape(4, 5), {'threshold': 5, 'edgeitems': 0}, {},
        'tensor([...], size=(4, 5))',
        id='edgeitems_0'),
    pytest.param(
        lambda: np.arange(20).reshape(4, 5), {'threshold': 5, 'edgeitems': 1}, {},
        'tensor([[ 0,  ...,  4],\n'
        '        ...,\n'
        '        [15,  ..., 19]])',
        id='edgeitems_1_matrix'),
    pytest.param(
        lambda: np.arange(20, dtype=np.float32) / 3, {'linewidth': 30}, {'tail': ('requires_grad=True',)},
        'tensor([0.0000, 0.3333,\n'
        '        0.6667, 1.0000,\n'
        '        1.3333, 1.6667,\n'
        '        2.0000, 2.3333,\n'
        '        2.6667, 3.0000,\n'
        '        3.3333, 3.6667,\n'
        '        4.0000, 4.3333,\n'
        '        4.6667, 5.0000,\n'
        '        5.3333, 5.6667,\n'
        '        6.0000, 6.3333],\n'
        '       requires_grad=True)',
        id='linewidth_30'),
    pytest.param(
        lambda: np.arange(2000, dtype=np.float32) / 7, {'profile': 'short'}, {},
        'tensor([0.00e+00, 1.43e-01,  ..., 2.85e+02, 2.86e+02])',
        id='profile_short'),
]


@pytest.mark.parametrize("make, options, kwargs, expected", CASES)
def test_matches_torch(make, options, kwargs, expected):
    set_printoptions(**options)
    assert fmt(make(), **kwargs) == expected


def test_custom_prefix_sets_indent():
    # torch prints subclasses as "Sub(" and indents continuation lines to match
    got = fmt(np.arange(6, dtype=np.float32).reshape(2, 3), prefix="Sub(")
    assert got == "Sub([[0., 1., 2.],\n     [3., 4., 5.]])"


def test_profile_full_never_summarises():
    set_printoptions(profile="full")
    got = fmt(np.arange(1001))
    assert "..." not in got
    assert got.startswith("tensor([   0,    1,    2,    3,    4,    5,    6,    7,    8,    9,   10,   11,\n"
                          "          12,   13,")
    assert got.endswith("\n         996,  997,  998,  999, 1000])")
    # full text as printed by torch (6678 characters, 84 lines)
    assert hashlib.sha256(got.encode()).hexdigest() == (
        "97aa1ba8ce194248292cacb7690665f3c9924451fd7c6f2c3ba9864e5c52b325")


def test_does_not_modify_input():
    values = np.array([[1.5, np.nan], [-0.0, 3.0]], dtype=np.float16)
    before = values.copy()
    fmt(values)
    np.testing.assert_array_equal(values, before)


@pytest.mark.parametrize("values, dtype_name, expected", [
    (np.arange(8), 'torch.int64',
     ' 0\n'
     ' 1\n'
     ' 2\n'
     ' 3\n'
     ' 4\n'
     ' 5\n'
     ' 6\n'
     ' 7\n'
     '[torch.storage.TypedStorage(dtype=torch.int64, device=cpu) of size 8]'),
    (np.array([0.1, 2.5, -1.0], dtype=np.float32), 'torch.float32',
     ' 0.10000000149011612\n'
     ' 2.5\n'
     ' -1.0\n'
     '[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 3]'),
    (np.array([0.1, 2.5], dtype=np.float16), 'torch.float16',
     ' 0.0999755859375\n'
     ' 2.5\n'
     '[torch.storage.TypedStorage(dtype=torch.float16, device=cpu) of size 2]'),
    (np.array([True, False]), 'torch.bool',
     ' True\n'
     ' False\n'
     '[torch.storage.TypedStorage(dtype=torch.bool, device=cpu) of size 2]'),
    (np.zeros(0), 'torch.float64',
     ' \n'
     '[torch.storage.TypedStorage(dtype=torch.float64, device=cpu) of size 0]'),
    (np.array([1, 2], dtype=np.uint8), 'torch.uint8',
     ' 1\n'
     ' 2\n'
     '[torch.storage.TypedStorage(dtype=torch.uint8, device=cpu) of size 2]'),
    (np.array([np.nan, np.inf, -0.0, 1e20], dtype=np.float32), 'torch.float32',
     ' nan\n'
     ' inf\n'
     ' -0.0\n'
     ' 1.0000000200408773e+20\n'
     '[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 4]'),
])
def test_storage_matches_torch(values, dtype_name, expected):
    assert format_storage(values, dtype_name) == expected


def test_storage_device():
    assert format_storage(np.array([1.0], dtype=np.float32), "torch.float32", device="cuda:0") == (
        " 1.0\n[torch.storage.TypedStorage(dtype=torch.float32, device=cuda:0) of size 1]")


def test_get_printoptions_defaults_and_profiles():
    assert get_printoptions() == dict(precision=4, threshold=1000, edgeitems=3,
                                      linewidth=80, sci_mode=None)
    set_printoptions(profile="short")
    assert get_printoptions() == dict(precision=2, threshold=1000, edgeitems=2,
                                      linewidth=80, sci_mode=None)
    set_printoptions(profile="full", linewidth=120)  # explicit values override the profile
    assert get_printoptions() == dict(precision=4, threshold=math.inf, edgeitems=3,
                                      linewidth=120, sci_mode=None)


def test_set_printoptions_keeps_unnamed_options_but_resets_sci_mode():
    set_printoptions(precision=2, sci_mode=True)
    set_printoptions(linewidth=100)  # like torch: sci_mode goes back to None, precision stays
    assert get_printoptions()["precision"] == 2
    assert get_printoptions()["sci_mode"] is None


def test_printoptions_context_manager_restores():
    with printoptions(precision=1):
        assert fmt(np.array([1.25, 2.0], dtype=np.float32)) == "tensor([1.2, 2.0])"
    assert get_printoptions()["precision"] == 4


def test_unknown_profile_is_an_error():
    with pytest.raises(ValueError):
        set_printoptions(profile="tiny")
