"""dtypes, aliases, torch's type promotion, conversions and legacy constructors.

The promotion tables were printed by PyTorch 2.13 (``torch.result_type`` on every pair).
"""

import numpy as np
import pytest

import minitorch as torch

SHORT = {"b": torch.bool, "u8": torch.uint8, "i8": torch.int8, "i16": torch.int16, "i32": torch.int32,
         "i64": torch.int64, "f16": torch.float16, "f32": torch.float32, "f64": torch.float64}
ORDER = list(SHORT)

# row dtype (a tensor with dims) op column dtype (a tensor with dims): torch.promote_types
WITH_DIMS = {
    'b'   : ['b', 'u8', 'i8', 'i16', 'i32', 'i64', 'f16', 'f32', 'f64'],
    'u8'  : ['u8', 'u8', 'i16', 'i16', 'i32', 'i64', 'f16', 'f32', 'f64'],
    'i8'  : ['i8', 'i16', 'i8', 'i16', 'i32', 'i64', 'f16', 'f32', 'f64'],
    'i16' : ['i16', 'i16', 'i16', 'i16', 'i32', 'i64', 'f16', 'f32', 'f64'],
    'i32' : ['i32', 'i32', 'i32', 'i32', 'i32', 'i64', 'f16', 'f32', 'f64'],
    'i64' : ['i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'f16', 'f32', 'f64'],
    'f16' : ['f16', 'f16', 'f16', 'f16', 'f16', 'f16', 'f16', 'f32', 'f64'],
    'f32' : ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f64'],
    'f64' : ['f64', 'f64', 'f64', 'f64', 'f64', 'f64', 'f64', 'f64', 'f64'],
}
# row dtype (a tensor with dims) op a 0-d tensor of the column dtype: the 0-d one only counts
# when it brings a higher category (bool < integer < floating point)
WITH_ZERO_DIM = {
    'b'   : ['b', 'u8', 'i8', 'i16', 'i32', 'i64', 'f16', 'f32', 'f64'],
    'u8'  : ['u8', 'u8', 'u8', 'u8', 'u8', 'u8', 'f16', 'f32', 'f64'],
    'i8'  : ['i8', 'i8', 'i8', 'i8', 'i8', 'i8', 'f16', 'f32', 'f64'],
    'i16' : ['i16', 'i16', 'i16', 'i16', 'i16', 'i16', 'f16', 'f32', 'f64'],
    'i32' : ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f16', 'f32', 'f64'],
    'i64' : ['i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'f16', 'f32', 'f64'],
    'f16' : ['f16', 'f16', 'f16', 'f16', 'f16', 'f16', 'f16', 'f16', 'f16'],
    'f32' : ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32'],
    'f64' : ['f64', 'f64', 'f64', 'f64', 'f64', 'f64', 'f64', 'f64', 'f64'],
}
# a tensor (with dims, or 0-d: the same) of the row dtype op python True / 2 / 2.5
WITH_PYTHON = {
    'b'   : ['b', 'i64', 'f32'],
    'u8'  : ['u8', 'u8', 'f32'],
    'i8'  : ['i8', 'i8', 'f32'],
    'i16' : ['i16', 'i16', 'f32'],
    'i32' : ['i32', 'i32', 'f32'],
    'i64' : ['i64', 'i64', 'f32'],
    'f16' : ['f16', 'f16', 'f16'],
    'f32' : ['f32', 'f32', 'f32'],
    'f64' : ['f64', 'f64', 'f64'],
}
PAIRS = [(a, b) for a in ORDER for b in ORDER]


@pytest.fixture(autouse=True)
def default_dtype():
    yield
    torch.set_default_dtype(torch.float32)


def test_dtype_objects_and_aliases():
    assert (torch.float, torch.double, torch.half) == (torch.float32, torch.float64, torch.float16)
    assert (torch.short, torch.int, torch.long) == (torch.int16, torch.int32, torch.int64)
    assert torch.float is torch.float32 and torch.long is torch.int64 and torch.bool.itemsize == 1
    assert [repr(d) for d in SHORT.values()] == ["torch.bool", "torch.uint8", "torch.int8", "torch.int16",
                                                 "torch.int32", "torch.int64", "torch.float16", "torch.float32",
                                                 "torch.float64"]
    assert [d.itemsize for d in SHORT.values()] == [1, 1, 1, 2, 4, 8, 2, 4, 8]
    assert [d.is_floating_point for d in SHORT.values()] == [False] * 6 + [True] * 3
    assert [d.is_signed for d in SHORT.values()] == [False, False] + [True] * 7
    assert isinstance(torch.float32, torch.dtype) and str(torch.int8) == "torch.int8"


@pytest.mark.parametrize("a,b", PAIRS)
def test_promotion_between_tensors_with_dims(a, b):
    x, y = torch.ones(2, dtype=SHORT[a]), torch.ones(2, dtype=SHORT[b])
    expected = SHORT[WITH_DIMS[a][ORDER.index(b)]]
    assert torch.promote_types(SHORT[a], SHORT[b]) is expected
    assert torch.result_type(x, y) is expected
    assert (x * y).dtype is expected and torch.add(x, y).dtype is expected


@pytest.mark.parametrize("a,b", PAIRS)
def test_promotion_with_a_zero_dim_tensor(a, b):
    x, y = torch.ones(2, dtype=SHORT[a]), torch.ones((), dtype=SHORT[b])
    expected = SHORT[WITH_ZERO_DIM[a][ORDER.index(b)]]
    assert torch.result_type(x, y) is expected and (x * y).dtype is expected and (y * x).dtype is expected


@pytest.mark.parametrize("a", ORDER)
@pytest.mark.parametrize("dims", [(2,), ()])
def test_promotion_with_python_numbers(a, dims):
    x = torch.ones(dims, dtype=SHORT[a])
    for number, expected in zip((True, 2, 2.5), WITH_PYTHON[a]):
        assert torch.result_type(x, number) is SHORT[expected]
        assert (x * number).dtype is SHORT[expected] and (number * x).dtype is SHORT[expected]


def test_the_rules_students_meet():
    i = torch.tensor([1, 2])
    assert (i * 2.5).dtype is torch.float32 and (i / i).dtype is torch.float32 and (i // i).dtype is torch.int64
    assert (i > 1).dtype is torch.bool and (i == i).dtype is torch.bool
    assert i.sum().dtype is torch.int64 and torch.tensor([True, True]).sum().item() == 2
    assert torch.tensor([1, 2], dtype=torch.int8).sum().dtype is torch.int64
    assert (torch.tensor([1, 2], dtype=torch.int32) + 5).dtype is torch.int32
    assert (torch.tensor([1.0], dtype=torch.float16) + torch.tensor(1.0, dtype=torch.float64)).dtype is torch.float16
    assert torch.tensor([1, 2]).exp().dtype is torch.float32 and torch.tensor([True]).sqrt().dtype is torch.float32


def test_numpy_numbers_count_as_python_numbers():
    assert (np.float64(2.0) * torch.tensor([1.0])).dtype is torch.float32
    assert (torch.tensor([1], dtype=torch.int32) * np.float64(2.0)).dtype is torch.float32
    assert (torch.tensor([1, 2]) + np.int32(3)).tolist() == [4, 5]
    assert (np.bool_(True) + torch.tensor([1])).dtype is torch.int64


def test_default_dtype():
    assert torch.get_default_dtype() is torch.float32
    torch.set_default_dtype(torch.float64)
    assert torch.get_default_dtype() is torch.float64
    assert torch.tensor([1.5]).dtype is torch.float64 and torch.zeros(2).dtype is torch.float64
    assert (torch.tensor([1, 2]) * 2.5).dtype is torch.float64 and (torch.tensor([1]) / 2).dtype is torch.float64
    assert torch.arange(3.0).dtype is torch.float64 and torch.tensor([1]).exp().dtype is torch.float64
    assert torch.tensor([1.0], dtype=torch.float32).dtype is torch.float32
    with pytest.raises(TypeError) as info:
        torch.set_default_dtype(torch.int64)
    assert str(info.value) == "only floating-point types are supported as the default type"


def test_python_types_as_dtypes():
    assert torch.zeros(2, dtype=float).dtype is torch.float64  # python float is double in torch
    assert torch.zeros(2, dtype=int).dtype is torch.int64 and torch.zeros(2, dtype=bool).dtype is torch.bool
    assert torch.tensor([1, 2], dtype=float).dtype is torch.float64
    with pytest.raises(TypeError) as info:
        torch.zeros(2, dtype="float32")
    assert str(info.value) == "zeros(): argument 'dtype' must be torch.dtype, not str"
    with pytest.raises(TypeError, match="must be torch.dtype, not type"):
        torch.ones(2, dtype=np.float64)


# ---- conversions ---------------------------------------------------------------------------------

def test_conversion_methods():
    x = torch.tensor([1, 2])
    conversions = {"float": torch.float32, "double": torch.float64, "half": torch.float16, "long": torch.int64,
                   "int": torch.int32, "short": torch.int16, "char": torch.int8, "byte": torch.uint8,
                   "bool": torch.bool}
    for name, dtype in conversions.items():
        y = getattr(x, name)()
        assert y.dtype is dtype and y.tolist() == ([True, True] if dtype is torch.bool else [1, 2])
    assert x.to(torch.float64).dtype is torch.float64 and x.to(dtype=torch.float16).dtype is torch.float16
    assert x.to("cpu", torch.float64).dtype is torch.float64 and x.to(torch.zeros(1, dtype=torch.int8)).dtype is torch.int8
    assert x.type(torch.float32).dtype is torch.float32 and x.type("torch.DoubleTensor").dtype is torch.float64
    assert x.type_as(torch.zeros(1)).dtype is torch.float32


def test_to_returns_self_unless_something_changes():
    x = torch.tensor([1.0])
    assert x.to(torch.float32) is x and x.to("cpu") is x and x.float() is x
    assert x.to(torch.float32, copy=True) is not x


def test_casting_values_like_torch():
    assert torch.tensor([-1.5, 2.7]).long().tolist() == [-1, 2]  # truncation towards zero
    assert torch.tensor([300, -1]).to(torch.uint8).tolist() == [44, 255]  # wraps around
    assert torch.tensor([0.0, 2.0]).bool().tolist() == [False, True]
    assert torch.tensor([1e40], dtype=torch.float64).float().tolist() == [float("inf")]
    assert torch.tensor([1, 0]).bool().float().tolist() == [1.0, 0.0]


def test_type_names():
    names = ["torch.BoolTensor", "torch.ByteTensor", "torch.CharTensor", "torch.ShortTensor", "torch.IntTensor",
             "torch.LongTensor", "torch.HalfTensor", "torch.FloatTensor", "torch.DoubleTensor"]
    assert [torch.zeros(1, dtype=d).type() for d in SHORT.values()] == names
    with pytest.raises(ValueError) as info:
        torch.zeros(1).type("foo")
    assert str(info.value) == "invalid type: 'foo'"


def test_legacy_constructors():
    assert repr(torch.IntTensor([1, 2])) == "tensor([1, 2], dtype=torch.int32)"
    assert torch.IntTensor(3, 4).shape == (3, 4) and torch.IntTensor(3, 4).dtype is torch.int32
    assert repr(torch.IntTensor([1, 2]).float()) == "tensor([1., 2.])"
    assert repr(torch.LongTensor([1, 2])) == "tensor([1, 2])"
    assert repr(torch.FloatTensor([1, 2])) == "tensor([1., 2.])"
    assert torch.DoubleTensor(2).dtype is torch.float64 and torch.HalfTensor([1]).dtype is torch.float16
    assert repr(torch.BoolTensor([1, 0])) == "tensor([ True, False])"
    assert torch.ByteTensor([1]).dtype is torch.uint8 and torch.CharTensor([1]).dtype is torch.int8
    assert torch.ShortTensor([1]).dtype is torch.int16
    assert torch.Tensor([1, 2]).dtype is torch.float32 and torch.Tensor(2, 3).shape == (2, 3)
    assert torch.Tensor().shape == (0,) and torch.Tensor(torch.Size([2, 3])).shape == (2, 3)
    assert torch.IntTensor([1.5, 2.7]).tolist() == [1, 2]
    assert torch.zeros(2, dtype=torch.int32).new([1, 2]).dtype is torch.int32
    assert isinstance(torch.Tensor([1]), torch.Tensor)


def test_legacy_constructor_errors():
    with pytest.raises(TypeError) as info:
        torch.IntTensor(2.5)
    assert str(info.value) == "new(): data must be a sequence (got float)"
    with pytest.raises(TypeError, match="type must be tuple of ints,but got str"):
        torch.Tensor(2, "a")


# ---- limits and overflow ----------------------------------------------------------------------------

def test_finfo_and_iinfo():
    assert repr(torch.finfo(torch.float32)) == (
        "finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, smallest_normal=1.17549e-38, "
        "tiny=1.17549e-38, dtype=float32)")
    assert repr(torch.finfo(torch.float16)) == (
        "finfo(resolution=0.001, min=-65504, max=65504, eps=0.000976562, smallest_normal=6.10352e-05, "
        "tiny=6.10352e-05, dtype=float16)")
    assert repr(torch.iinfo(torch.int32)) == "iinfo(min=-2.14748e+09, max=2.14748e+09, dtype=int32)"
    assert torch.finfo(torch.float64).bits == 64 and torch.finfo().eps == 1.1920928955078125e-07
    assert (torch.iinfo(torch.int8).min, torch.iinfo(torch.uint8).max, torch.iinfo(torch.int16).bits) == (-128, 255, 16)
    with pytest.raises(TypeError, match="requires a floating point input type"):
        torch.finfo(torch.int32)
    with pytest.raises(TypeError, match="requires an integer input type"):
        torch.iinfo(torch.float32)
    with pytest.raises(TypeError, match="torch.bool is not supported by torch.iinfo"):
        torch.iinfo(torch.bool)


def test_numbers_in_integer_arithmetic_wrap_like_c():
    assert (torch.tensor([1, 2], dtype=torch.uint8) + 300).tolist() == [45, 46]
    assert (torch.tensor([1, 2], dtype=torch.uint8) + (-1)).tolist() == [0, 1]
    assert (torch.tensor([1, 2], dtype=torch.int8) + 1000).tolist() == [-23, -22]
    assert (torch.tensor([1, 2], dtype=torch.int32) * 2 ** 40).tolist() == [0, 0]
    assert (torch.tensor([1, 2]) + 2 ** 63).tolist() == [-9223372036854775807, -9223372036854775806]
    with pytest.raises(OverflowError, match="int too big to convert"):
        torch.tensor([1, 2]) + 2 ** 64


@pytest.mark.parametrize("dtype,value,c_name", [
    (torch.uint8, 300, "uint8_t"), (torch.int8, 300, "int8_t"), (torch.int16, -40000, "int16_t"),
    (torch.int32, 2 ** 40, "int"), (torch.int64, 2 ** 63, "int64_t"), (torch.float16, 1e10, "c10::Half"),
    (torch.float32, 1e300, "float"),
])
def test_numbers_written_into_tensors_must_fit(dtype, value, c_name):
    message = f"value cannot be converted to type {c_name} without overflow"
    with pytest.raises(RuntimeError) as info:
        torch.zeros(2, dtype=dtype).fill_(value)
    assert str(info.value) == message
    with pytest.raises(RuntimeError, match=message):
        torch.full((2,), value, dtype=dtype)
    x = torch.zeros(2, dtype=dtype)
    with pytest.raises(RuntimeError, match=message):
        x[0] = value


def test_numbers_that_fit():
    assert torch.zeros(2, dtype=torch.uint8).fill_(-1).tolist() == [255, 255]  # unsigned accepts down to -max
    assert torch.full((2,), 1.5, dtype=torch.int64).tolist() == [1, 1]
    assert torch.zeros(1, dtype=torch.float32).fill_(float("inf")).tolist() == [float("inf")]
    assert torch.zeros(1, dtype=torch.bool).fill_(5).tolist() == [True]


def test_python_data_must_fit_integer_dtypes():
    with pytest.raises(RuntimeError) as info:
        torch.tensor([300, -1], dtype=torch.uint8)
    assert str(info.value) == "value cannot be converted to type uint8 without overflow"
    with pytest.raises(RuntimeError, match="type int32 without overflow"):
        torch.tensor([1e10], dtype=torch.int32)
    assert torch.tensor(np.array([300]), dtype=torch.uint8).tolist() == [44]  # numpy data is cast
    assert torch.tensor([1e40], dtype=torch.float16).tolist() == [float("inf")]
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.tensor(2 ** 63)
