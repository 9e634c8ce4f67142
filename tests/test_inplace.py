"""In-place ops (``add_``, ``copy_``, ``fill_``, ``x[i] = v``...): values, dtype rules, views,
version counters and autograd through them. Messages were printed by PyTorch 2.13."""

import re

import numpy as np
import pytest

import minitorch as torch
from minitorch.autograd import gradcheck


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def test_arithmetic_in_place():
    x = torch.zeros(3)
    assert x.fill_(3).tolist() == [3.0] * 3 and x.zero_().tolist() == [0.0] * 3
    assert x.copy_(torch.tensor([1, 2, 3])).tolist() == [1.0, 2.0, 3.0]  # cast on copy
    assert x.clamp_(max=2).tolist() == [1.0, 2.0, 2.0] and x.add_(1).tolist() == [2.0, 3.0, 3.0]
    assert x.mul_(2).tolist() == [4.0, 6.0, 6.0] and x.sub_(1).tolist() == [3.0, 5.0, 5.0]
    assert x.div_(2).tolist() == [1.5, 2.5, 2.5] and x.pow_(2).tolist() == [2.25, 6.25, 6.25]
    assert x.sqrt_().tolist() == [1.5, 2.5, 2.5] and x.neg_().abs_().tolist() == [1.5, 2.5, 2.5]
    assert x.add_(torch.ones(3), alpha=2).tolist() == [3.5, 4.5, 4.5]
    y = torch.tensor([1.0, 2.0])
    y += 1
    y *= torch.tensor([2.0, 3.0])
    y -= 1
    y /= 2
    assert y.tolist() == [1.5, 4.0]
    i = torch.tensor([7, 8])
    i //= 2
    i %= 3
    assert i.tolist() == [0, 1] and i.dtype is torch.int64


def test_in_place_returns_self_and_bumps_the_version():
    x = torch.ones(2)
    v = x[1:]
    assert x.add_(1) is x and x._version == 1 and v._version == 1
    v.mul_(3)
    assert x.tolist() == [2.0, 6.0] and x._version == 2


def test_in_place_dtype_rules():
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        torch.tensor([1, 2]).add_(1.5)
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        torch.tensor([1, 2]).div_(2)
    with raises(RuntimeError, "output with shape [2] doesn't match the broadcast shape [2, 2]"):
        torch.tensor([1.0, 2.0]).add_(torch.ones(2, 2))
    assert torch.tensor([1.0, 2.0]).add_(torch.tensor([1, 1])).dtype is torch.float32  # a lower category is fine


def test_copy_and_fill():
    x = torch.zeros(2, 2)
    assert x.copy_(torch.tensor([1, 2])).tolist() == [[1.0, 2.0], [1.0, 2.0]]  # broadcast
    assert x.copy_(torch.tensor(5.0)).tolist() == [[5.0, 5.0], [5.0, 5.0]]
    with raises(TypeError, "copy_(): argument 'other' (position 1) must be Tensor, not list"):
        x.copy_([[1, 2], [3, 4]])
    assert torch.zeros(2, dtype=torch.int32).copy_(torch.tensor([1.7, -1.7])).tolist() == [1, -1]
    assert torch.zeros(3).fill_(torch.tensor(2.0)).tolist() == [2.0] * 3
    assert torch.zeros(2, dtype=torch.int32).fill_(2.7).tolist() == [2, 2]
    assert torch.zeros(2, dtype=torch.uint8).fill_(-1).tolist() == [255, 255]
    with raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1"):
        torch.zeros(2, 2).copy_(torch.ones(3))
    with raises(RuntimeError, "fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions."):
        torch.zeros(3).fill_(torch.tensor([1.0, 2.0]))
    with raises(RuntimeError, "value cannot be converted to type uint8_t without overflow"):
        torch.zeros(2, dtype=torch.uint8).fill_(300)


def test_setitem():
    x = torch.arange(6.0).view(2, 3)
    x[0] = 7
    x[:, 1] = torch.tensor([8.0, 9.0])
    x[1, 2] = torch.tensor(5)
    x[..., 0] = torch.tensor([[1.0], [2.0]])[:, 0]
    assert x.tolist() == [[1.0, 8.0, 7.0], [2.0, 9.0, 5.0]]
    y = torch.zeros(2, 3)
    y[:] = torch.tensor([1.0, 2.0, 3.0])  # broadcast over the rows
    y[0, ::2] = torch.tensor([5, 6])
    y[1] = torch.tensor([7, 8, 9])
    assert y.tolist() == [[5.0, 2.0, 6.0], [7.0, 8.0, 9.0]]
    z = torch.zeros(4)
    z[::2] = 1
    assert z.tolist() == [1.0, 0.0, 1.0, 0.0]
    i = torch.zeros(2, 3, dtype=torch.int64)
    i[0] = 2.7
    i[1] = torch.tensor([1.5, 2.5, 3.5])
    assert i.tolist() == [[2, 2, 2], [1, 2, 3]]


@pytest.mark.parametrize("make,kind,message", [
    (lambda x: x.__setitem__(5, 1), IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    (lambda x: x.__setitem__(0, "a"), TypeError, "can't assign a str to a torch.FloatTensor"),
    (lambda x: x.__setitem__(0, None), TypeError, "can't assign a NoneType to a torch.FloatTensor"),
    (lambda x: x.__setitem__(0, [1, 2, 3]), TypeError, "can't assign a list to a torch.FloatTensor"),
    (lambda x: x.__setitem__(0, torch.ones(2)), RuntimeError,
     "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  "
     "Target sizes: [3].  Tensor sizes: [2]"),
    (lambda x: x.__setitem__(0, 1e300), RuntimeError, "value cannot be converted to type float without overflow"),
])
def test_setitem_errors(make, kind, message):
    with raises(kind, message):
        make(torch.zeros(2, 3))


def test_in_place_view_changes():
    x = torch.arange(6).view(2, 3)
    y = x.t()
    assert y.t_() is y and y.shape == (2, 3) and y.stride() == (3, 1)
    assert x.t_().stride() == (1, 3) and x.shape == (3, 2)
    s = torch.zeros(2, 1, 3)
    assert s.squeeze_().shape == (2, 3) and s.unsqueeze_(0).shape == (1, 2, 3)
    assert s.transpose_(0, 2).shape == (3, 2, 1)
    with raises(RuntimeError, "t_() expects a tensor with <= 2 dimensions, but self is 3D"):
        torch.zeros(2, 3, 4).t_()
    for change in (lambda z: z.squeeze_(5), lambda z: z.transpose_(0, 5), lambda z: z.squeeze_((0, 5))):
        with raises(IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 5)"):
            change(torch.zeros(2, 3, 4))
    with raises(IndexError, "Dimension out of range (expected to be in range of [-4, 3], but got 5)"):
        torch.zeros(2, 3, 4).unsqueeze_(5)


@pytest.mark.parametrize("change, node, shape", [
    (lambda a: a.transpose_(0, 2), "TransposeBackward1", (3, 1, 2)), (lambda a: a.squeeze_(), "SqueezeBackward3", (2, 3)),
    (lambda a: a.squeeze_(1), "SqueezeBackward4", (2, 3)), (lambda a: a.squeeze_((1,)), "SqueezeBackward5", (2, 3)),
    (lambda a: a.unsqueeze_(0), "UnsqueezeBackward1", (1, 2, 1, 3)), (lambda a: a[0].t_(), "TBackward1", (3, 1)),
])
def test_in_place_view_changes_are_recorded(change, node, shape):
    x = torch.randn(2, 1, 3, dtype=torch.float64, requires_grad=True)
    a = x * 1
    r = change(a)
    assert r.grad_fn.name() == node and r._version == 1 and r.shape == shape
    assert r.grad_fn.next_functions[0][0].name() in ("MulBackward0", "SelectBackward0")
    assert gradcheck(lambda t: change(t * 1) * 2, (x,))


def test_in_place_view_changes_of_leaves():
    x = torch.ones(2, requires_grad=True)
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        x.t_()
    with raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation."):
        x[None].squeeze_(0)
    with torch.no_grad():
        x.unsqueeze_(0)
    assert x.shape == (1, 2) and x.is_leaf and x._version == 1


OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a single memory "
           "location. Please clone() the tensor before performing the operation.")


def expanded():
    return torch.arange(3.0)[None].expand(2, 3)  # both rows are the same memory


@pytest.mark.parametrize("write", [
    lambda e: e.add_(1), lambda e: e.mul_(2), lambda e: e.exp_(), lambda e: e.clamp_(0, 1), lambda e: e.__iadd__(1),
    lambda e: e.copy_(torch.ones(2, 3)), lambda e: e.__setitem__((slice(None), 0), 5.0),
    lambda e: e.__setitem__((slice(None), 0), torch.ones(2)), lambda e: e.uniform_(), lambda e: e.normal_(),
    lambda e: e.scatter_(1, torch.tensor([[0], [1]]), 1.0),
    lambda e: (torch.ones(3, requires_grad=True) * 1)[None].expand(2, 3).mul_(2),
])
def test_writing_into_an_expanded_tensor_is_refused(write):
    e = expanded()
    with raises(RuntimeError, OVERLAP):
        write(e)
    assert e.tolist() == [[0.0, 1.0, 2.0]] * 2


def test_writes_that_torch_allows_into_overlapping_memory():
    assert expanded().fill_(2).tolist() == [[2.0] * 3] * 2 and expanded().zero_().tolist() == [[0.0] * 3] * 2
    e = expanded()
    e[0] = 5.0  # a row is not overlapping: both rows change (they are one memory)
    assert e.tolist() == [[5.0] * 3] * 2
    assert torch.zeros(2, 3).copy_(expanded()).tolist() == [[0.0, 1.0, 2.0]] * 2  # reading is fine
    assert torch.zeros(3, 1).expand(3, 2)[:, :1].add_(1).tolist() == [[1.0]] * 3  # stride 0 on a size-1 dim
    assert torch.zeros(3)[None].expand(0, 3).add_(1).shape == (0, 3)
    u = torch.arange(5.0).unfold(0, 2, 1)  # partial overlap: torch does not check it either
    u.mul_(1)
    for op_name, write, example in [
            ("index_put_", lambda e: e.index_put_((torch.tensor([0]),), torch.tensor(1.0)), "tensor[indices] = tensor"),
            ("masked_fill_", lambda e: e.masked_fill_(torch.tensor([True, False, True]), 1.0), "tensor[mask] = scalar")]:
        with pytest.warns(UserWarning, match=re.escape(
                f"Use of {op_name} on expanded tensors is deprecated. Please clone() the tensor before performing this "
                f"operation. This also applies to advanced indexing e.g. {example}")):
            write(expanded())


# ---- autograd through in-place ops ----------------------------------------------------------------

def test_in_place_on_a_leaf_that_requires_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        x.add_(1)
    with raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation."):
        x[0] = 5
    with torch.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 3.0] and x.is_leaf


def test_write_into_a_clone():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[0] = 0
    (y * y).sum().backward()
    assert x.grad.tolist() == [0.0, 4.0, 6.0] and repr(y) == "tensor([0., 2., 3.], grad_fn=<CopySlices>)"


def test_in_place_through_views_of_a_permuted_tensor():
    z = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = (z * 1).t().clone()  # a transposed (non-contiguous) tensor of its own
    assert w.stride() == (1, 2)
    w[0] = w[0] * 10  # row 0 of w is column 0 of z
    w.sum().backward()
    assert z.grad.tolist() == [[10.0, 1.0], [10.0, 1.0]]


def test_gradients_of_in_place_ops():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda a: (a * 1).exp_(), (x,))
    assert gradcheck(lambda a: (a * 1).sin_().mul_(a), (x,))
    assert gradcheck(lambda a: (a * 1).clamp_(-0.5, 0.5).add_(a.t().t(), alpha=2), (x,))

    def write_rows(a):
        b = a * 1
        b[1:, ::2] = a[:2, 1::2] ** 2
        return b
    assert gradcheck(write_rows, (x,))

    def copy_into(a):
        b = torch.zeros(4, 3, dtype=torch.float64)
        b.copy_(a.t())
        return b
    assert gradcheck(copy_into, (x,))


def test_in_place_node_names():
    x = torch.tensor([[1.0, 2.0]], requires_grad=True)
    assert (x * 1).add_(1).grad_fn.name() == "AddBackward0"
    assert x.clone().zero_().grad_fn.name() == "ZeroBackward0"
    assert x.clone().fill_(2).grad_fn.name() == "FillBackward2"
    assert x.clone().fill_(torch.tensor(2.0, requires_grad=True)).grad_fn.name() == "FillBackward3"
    assert x.clone().clamp_(0, 1).grad_fn.name() == "ClampBackward1"
    assert repr(torch.zeros(1, 2).copy_(x)) == "tensor([[1., 2.]], grad_fn=<CopyBackwards>)"
    y = x * 2
    y.exp_()
    assert y.grad_fn.name() == "ExpBackward0" and y.grad_fn.next_functions[0][0].name() == "MulBackward0"


def test_fill_with_a_tensor_gets_the_summed_gradient():
    v = torch.tensor(2.0, requires_grad=True)
    y = torch.zeros(3).fill_(v)
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert v.grad.item() == 6.0


def test_saved_values_are_protected():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y.exp()
    y.add_(1)  # exp saved its output, not y: still fine
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 2.0]), rtol=1e-6)
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    c = b.sin()
    b.mul_(2)  # sin saved b itself
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        c.sum().backward()


@pytest.mark.cuda
def test_in_place_on_cuda():
    x = torch.zeros(2, 3, device="cuda")
    x[0] = 1
    x[:, 1] = torch.tensor([5.0, 6.0], device="cuda")
    x[1, 2] = torch.tensor(2.0)  # a 0-d CPU tensor is fine
    x.add_(1).mul_(2)
    assert x.tolist() == [[4.0, 12.0, 4.0], [2.0, 14.0, 6.0]] and x._version == 5
    x.copy_(torch.ones(3))  # from the CPU
    assert x.is_cuda and x.tolist() == [[1.0, 1.0, 1.0]] * 2
    w = torch.tensor([1.0, 2.0, 3.0], device="cuda", requires_grad=True)
    y = w.clone()
    y[0] = 0
    (y * y).sum().backward()
    assert w.grad.tolist() == [0.0, 4.0, 6.0] and w.grad.is_cuda


@pytest.mark.parametrize("write, expected", [  # torch 2.13 (which warns that this is deprecated)
    (lambda e: e.__setitem__([0], torch.tensor([1., 2., 3.])), [1., 2., 3.]),
    (lambda e: e.masked_fill_(torch.tensor([[True, False, True], [False, False, False]]), 5.0), [5., 0., 5.]),
    (lambda e: e.__setitem__(torch.tensor([[True, False, True], [False, False, False]]), 4.0), [4., 0., 4.]),
    (lambda e: e.index_fill_(0, torch.tensor([0]), 2.0), [2., 2., 2.]),
    (lambda e: e.index_put_((torch.tensor([0]),), torch.tensor(1.0), accumulate=True), [1., 1., 1.]),
])
def test_writes_into_an_expanded_tensor_change_only_the_cells_they_index(write, expected):
    """Rows of an expanded tensor share memory: the rows a write leaves alone must not put their
    old values back over the cells it set (a silent no-op before)."""
    a = torch.zeros(3)
    with pytest.warns(UserWarning, match="on expanded tensors is deprecated"):
        write(a.expand(2, 3))
    assert a.tolist() == expected


@pytest.mark.parametrize("write, refused", [  # torch 2.13 on an expanded tensor
    (lambda e: e.__setitem__(None, torch.tensor(1)), True), (lambda e: e.__setitem__(slice(None), torch.tensor(1)), True),
    (lambda e: e.__setitem__(slice(None), 1), True), (lambda e: e.fill_(torch.tensor(1)), True),
    (lambda e: e.copy_(torch.tensor(1)), True), (lambda e: e.__setitem__(0, torch.tensor(1)), False),
    (lambda e: e.fill_(1), False), (lambda e: e.zero_(), False),
])
def test_which_writes_into_an_expanded_tensor_torch_refuses(write, refused):
    e = torch.tensor(2).expand(2)
    if refused:
        with pytest.raises(RuntimeError, match="^unsupported operation: more than one element of the written-to tensor"):
            write(e)
    else:
        write(e)


def test_a_nan_gradient_inside_an_overwritten_view_does_not_reach_the_base():
    """torch's CopySlices gives the base exact zeros where the view was overwritten."""
    leaf = torch.tensor([[0.34, 2.0]], requires_grad=True)
    value = torch.tensor(-1.68, requires_grad=True)
    v = leaf.repeat_interleave(1)  # a view of the leaf's product
    v[v < 1] = value
    v.sqrt().sum().backward()  # sqrt(-1.68): a NaN gradient at the overwritten element
    assert leaf.grad.tolist() == [[0.0, 0.3535533845424652]] and value.grad.isnan().item()  # torch 2.13


def test_bitwise_and_logical_in_place_methods_as_torch():
    """torch 2.13's bitwise_*_ / logical_*_ methods: results written in self's dtype, the cast
    checked first for the bitwise ones, and torch's errors."""
    assert torch.tensor([1, 2]).bitwise_and_(torch.tensor([3, 3])).tolist() == [1, 2]
    assert torch.tensor([1, 2]).bitwise_or_(3).tolist() == [3, 3]
    assert torch.tensor([True]).bitwise_xor_(torch.tensor([True])).tolist() == [False]
    assert torch.tensor([1, 2]).bitwise_not_().tolist() == [-2, -3]
    x = torch.tensor([1.0, 0.0])
    assert x.logical_and_(torch.tensor([1.0, 1.0])) is x and x.tolist() == [1.0, 0.0] and x.dtype == torch.float32
    assert torch.tensor([1, 0]).logical_not_().tolist() == [0, 1]
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        torch.tensor([1, 2]).bitwise_and_(1.5)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        x = torch.tensor([1, 2])
        x &= 1.5
    with pytest.raises(NotImplementedError, match='"bitwise_not_cpu" not implemented for \'Float\''):
        torch.tensor([1.0]).bitwise_not()
    with pytest.raises(TypeError, match=r"~ \(operator.invert\) is only implemented"):
        ~torch.tensor([1.0])
    with pytest.raises(TypeError, match=r"bitwise_and\(\) received an invalid combination of arguments - got \(int, int\)"):
        torch.bitwise_and(2, 3)
    assert torch.bitwise_and(2, torch.tensor([3])).tolist() == [2]
    assert torch.tensor([1.0, -0.2]).hardshrink().tolist() == [1.0, 0.0]
