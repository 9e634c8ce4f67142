"""What torch accepts and refuses: kernels per dtype (``ops/_kernels.py``), lenient ``x[i] = v``,
and 0-d tensors in ops that take a dim. Messages and results were printed by PyTorch 2.13."""

import re

import numpy as np
import pytest

import minitorch as torch


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message))


BOOL = torch.tensor([True, False, True])
LONG = torch.tensor([1, -2, 3])

SUB_BOOL = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
            "use the `~` or `logical_not()` operator instead.")


@pytest.mark.parametrize("call, kind, message", [
    (lambda: 1 - BOOL, RuntimeError, SUB_BOOL), (lambda: BOOL - 1, RuntimeError, SUB_BOOL),
    (lambda: torch.tensor(-1.05) - BOOL, RuntimeError, SUB_BOOL), (lambda: LONG - True, RuntimeError, SUB_BOOL),
    (lambda: BOOL - BOOL, RuntimeError, "Subtraction, the `-` operator, with two bool tensors is not supported."),
    (lambda: BOOL.relu(), RuntimeError, "Boolean inputs not supported for relu"),
    (lambda: BOOL.clone().relu_(), RuntimeError, "Boolean inputs not supported for relu"),
    (lambda: BOOL.argmax(), RuntimeError, "argmax(): does not support bool input"),
    (lambda: BOOL.argmax(0), RuntimeError, "argmax(): does not support bool input"),
    (lambda: BOOL.argmin(), RuntimeError, "argmin(): does not support bool input"),
    (lambda: BOOL.topk(1), RuntimeError, "topk does not support bool dtypes on CPU"),
    (lambda: BOOL.median(), NotImplementedError, "\"median_cpu\" not implemented for 'Bool'"),
    (lambda: BOOL.kthvalue(1), NotImplementedError, "\"kthvalue_cpu\" not implemented for 'Bool'"),
    (lambda: BOOL.trunc(), NotImplementedError, "\"trunc_vml_cpu\" not implemented for 'Bool'"),
    (lambda: BOOL ** BOOL, NotImplementedError, "\"pow\" not implemented for 'Bool'"),
    (lambda: BOOL % BOOL, NotImplementedError, "\"remainder_cpu\" not implemented for 'Bool'"),
    (lambda: BOOL // BOOL, NotImplementedError, "\"div_floor_cpu\" not implemented for 'Bool'"),
    (lambda: torch.floor_divide(BOOL, True), NotImplementedError, "\"div_floor_cpu\" not implemented for 'Bool'"),
    (lambda: BOOL.div(BOOL, rounding_mode="trunc"), NotImplementedError, "\"div_trunc_cpu\" not implemented for 'Bool'"),
    (lambda: BOOL.div(BOOL, rounding_mode="floor"), NotImplementedError, "\"div_floor_cpu\" not implemented for 'Bool'"),
    (lambda: BOOL @ BOOL, NotImplementedError, "\"dot\" not implemented for 'Bool'"),
    (lambda: torch.hypot(LONG, LONG), NotImplementedError, "\"hypot_cpu\" not implemented for 'Long'"),
    (lambda: torch.logaddexp(LONG, LONG), NotImplementedError, "\"logaddexp_cpu\" not implemented for 'Long'"),
    (lambda: torch.lerp(LONG, LONG, 0.5), NotImplementedError, "\"lerp_kernel_scalar\" not implemented for 'Long'"),
    (lambda: LONG.mean(dtype=torch.int64), RuntimeError, "mean(): could not infer output dtype. Optional dtype must "
     "be either a floating point or complex dtype. Got: Long"),
])
def test_refused_like_torch(call, kind, message):
    with raises(kind, message):
        call()


def test_accepted_like_torch():
    assert (BOOL % 2).tolist() == [1, 0, 1] and (BOOL % 2).dtype is torch.int64
    assert (BOOL // 2).tolist() == [0, 0, 0] and (BOOL // LONG).tolist() == [1, 0, 0]
    assert (BOOL ** True).dtype is torch.bool and (BOOL ** True).tolist() == [True, False, True]
    assert LONG.relu().tolist() == [1, 0, 3] and LONG.argmax().item() == 2
    assert torch.hypot(LONG.float(), LONG).tolist() == pytest.approx([1.4142135, 2.828427, 4.2426405])
    assert LONG.clone().bernoulli_(0.0).tolist() == [0, 0, 0]


@pytest.mark.parametrize("index, value, expected", [
    ("mask", torch.tensor(1), [-1.0, 1.0, 1.0]),  # an int value into a float tensor
    ("mask", torch.tensor([7]), [-1.0, 7.0, 7.0]),  # one value of another dtype
    (slice(1, None), torch.tensor([7, 8]), [-1.0, 7.0, 8.0]),
    (0, torch.tensor([[2.5]]), [2.5, 2.0, 3.0]),  # leading 1-dims are dropped
])
def test_setitem_is_as_lenient_as_torch(index, value, expected):
    x = torch.tensor([-1.0, 2.0, 3.0])
    x[x > 0 if isinstance(index, str) else index] = value
    assert x.tolist() == expected


def test_setitem_rows_with_leading_one_dims_and_refusals():
    x = torch.zeros(2, 2)
    x[0] = torch.ones(1, 2)
    x[1] = torch.ones(1, 1, 2) * 2
    assert x.tolist() == [[1.0, 1.0], [2.0, 2.0]]
    with raises(RuntimeError, "expand(torch.FloatTensor{[2, 2]}, size=[2]): the number of sizes provided (1) must be "
                              "greater or equal to the number of dimensions in the tensor (2)"):
        x[0] = torch.ones(2, 2)
    with raises(RuntimeError, "Index put requires the source and destination dtypes match, got Long for the "
                              "destination and Float for the source."):
        torch.tensor([1, 2])[[0]] = torch.tensor([2.7])
    with raises(TypeError, "can't assign a numpy.float32 to a torch.FloatTensor"):
        x[0] = np.float32(3.5)


def test_setitem_with_a_mask_keeps_the_graph():
    w = torch.tensor(5.0, requires_grad=True)
    x = torch.tensor([-1.0, 2.0, 3.0])
    x[x > 0] = w * 1
    assert x.tolist() == [-1.0, 5.0, 5.0] and x.grad_fn.name() == "IndexPutBackward0"
    x.sum().backward()
    assert w.grad.item() == 2.0


@pytest.mark.parametrize("call, shape, node", [
    (lambda x: x.flip(0), (), "FlipBackward0"), (lambda x: x.transpose(0, 0), (), "TransposeBackward0"),
    (lambda x: x.masked_select(torch.tensor(True)), (1,), "MaskedSelectBackward0"),
    (lambda x: x.index_select(0, torch.tensor([0])), (), None), (lambda x: x.topk(1).values, (), None),
    (lambda x: x.sort().values, (), "SortBackward0"), (lambda x: x.roll(1), (), "RollBackward0"),
])
def test_zero_dim_tensors_in_ops_that_take_a_dim(call, shape, node):
    x = torch.tensor(2.5, requires_grad=True)
    out = call(x)
    assert out.shape == shape and out.tolist() == (2.5 if shape == () else [2.5])
    if node:
        assert out.grad_fn.name() == node
    out.sum().backward()
    assert x.grad.item() == 1.0 and x.grad.shape == x.shape


@pytest.mark.parametrize("call, kind, message", [
    (lambda x: x.roll(1, 0), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (lambda x: x.unbind(), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (lambda x: x.narrow(0, 0, 1), RuntimeError, "narrow() cannot be applied to a 0-dim tensor."),
    (lambda x: x.chunk(1), RuntimeError, "chunk expects at least a 1-dimensional tensor"),
    (lambda x: x.split(1), RuntimeError, "split expects at least a 1-dimensional tensor"),
    (lambda x: x.index_select(0, torch.tensor([0, 0])), RuntimeError,
     "index_select(): Index to scalar can have only 1 value, got 2 value(s)"),
    (lambda x: torch.ones(3).copy_(torch.ones(2)), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
    (lambda x: torch.ones(3).copy_(torch.ones(2, 3)), RuntimeError,
     "output with shape [3] doesn't match the broadcast shape [2, 3]"),
])
def test_zero_dim_and_shape_errors_are_torchs(call, kind, message):
    with raises(kind, message):
        call(torch.tensor(2.5))


def test_mT_of_a_zero_dim_tensor_is_itself_with_a_warning():
    x = torch.tensor(2.5)
    with pytest.warns(UserWarning, match="Tensor.mT is deprecated on 0-D tensors"):
        assert x.mT is x


def test_lerp_and_tensordot_refusals():
    with raises(RuntimeError, "expected dtype double for `end` but got dtype float"):
        torch.lerp(torch.ones(2, dtype=torch.float64), torch.ones(2), 0.5)
    with raises(RuntimeError, "tensordot expects dims < ndim_a or ndim_b, but got dims=1"):
        torch.tensordot(torch.tensor(1.0), torch.tensor(1.0), 1)
    with raises(RuntimeError, "both inputs should have same dtype"):
        torch.tensordot(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]), 1)


def test_maximum_gradient_keeps_nan_out_of_the_loser():
    a = torch.tensor([2.79, -1.07], requires_grad=True)
    b = torch.tensor([-0.36, 0.42], requires_grad=True)
    (torch.maximum(a, b) + torch.tensor([1.74, -2.32])).sqrt().sum().backward()
    assert a.grad.tolist()[1] == 0.0 and b.grad.tolist()[0] == 0.0
    t = torch.tensor([1.0, 1.0], requires_grad=True)
    torch.maximum(t, torch.ones(2)).sum().backward()
    assert t.grad.tolist() == [0.5, 0.5]


B2 = torch.tensor([[True, False], [False, True]])


@pytest.mark.parametrize("call, kind, message", [
    (lambda: torch.mm(B2, B2), NotImplementedError, "\"addmm_impl_cpu_\" not implemented for 'Bool'"),
    (lambda: torch.mm(B2, torch.ones(2, 2)), RuntimeError, "expected m1 and m2 to have the same dtype, but got: "
                                                           "bool != float"),
    (lambda: torch.mv(B2, B2[0]), NotImplementedError, "\"addmv_impl_cpu\" not implemented for 'Bool'"),
    (lambda: torch.bmm(B2[None], torch.ones(1, 2, 2)), NotImplementedError, "\"bmm\" not implemented for 'Bool'"),
    (lambda: B2[0] @ torch.ones(1, 2, 2), NotImplementedError, "\"bmm\" not implemented for 'Bool'"),
    (lambda: torch.einsum("i,i->", B2[0], B2[0]), NotImplementedError, "\"bmm\" not implemented for 'Bool'"),
    (lambda: torch.tensordot(B2, B2, 1), NotImplementedError, "\"addmm_impl_cpu_\" not implemented for 'Bool'"),
    (lambda: torch.fmod(B2, B2), NotImplementedError, "\"fmod_cpu\" not implemented for 'Bool'"),
    (lambda: torch.tensor(True).lerp_(torch.tensor(-4), 0.25), RuntimeError,
     "expected dtype bool for `end` but got dtype long int"),
])
def test_matrix_products_and_more_refuse_bool_like_torch(call, kind, message):
    with raises(kind, message):
        call()


def test_integer_matrix_products_and_bool_fmod_by_a_number_work():
    assert torch.mm(B2.long(), B2.long()).tolist() == [[1, 0], [0, 1]]
    assert torch.fmod(B2[0], 2).dtype is torch.int64
    assert torch.outer(B2[0], B2[0]).dtype is torch.bool
