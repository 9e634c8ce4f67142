"""Which ops return views and which copy, and the grad_fn names torch gives them (PyTorch 2.13's
answers written out; torch is not a test dependency)."""

import pytest

import minitorch as torch
from minitorch.autograd import gradcheck


def shares_memory(a, b):
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


@pytest.mark.parametrize("repeats", [1, 2])
def test_repeat_interleave_copies(repeats):
    x = torch.tensor([1.0, 2.0])
    y = x.repeat_interleave(repeats)
    y[0] = 5.0
    assert x.tolist() == [1.0, 2.0] and not shares_memory(x, y)
    g = torch.tensor([1.0, 2.0], requires_grad=True).repeat_interleave(repeats)
    assert g.grad_fn.name() == "ViewBackward0"
    assert g.grad_fn.next_functions[0][0].name() == "CloneBackward0"


@pytest.mark.parametrize("equation, expected, node", [
    ("ij->ji", [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]], "PermuteBackward0"),
    ("ij", [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], "PermuteBackward0"),
])
def test_einsum_of_one_operand_without_sums_is_a_view(equation, expected, node):
    a = torch.arange(6.0).view(2, 3).clone().requires_grad_()
    out = torch.einsum(equation, a)
    assert out.tolist() == expected and out._base is a and out.grad_fn.name() == node
    assert out.stride() == (1, 3) if equation == "ij->ji" else (3, 1)


def test_einsum_diagonal_is_a_view_and_sums_are_sums():
    a = torch.arange(9.0).view(3, 3).clone()
    d = torch.einsum("ii->i", a)
    assert d.tolist() == [0.0, 4.0, 8.0] and d.stride() == (4,) and d._base is a
    d[0] = 10.0
    assert a[0, 0].item() == 10.0
    w = torch.arange(6.0).view(2, 3).requires_grad_()
    s = torch.einsum("ij->i", w)
    assert s.tolist() == [3.0, 12.0] and s.grad_fn.name() == "SumBackward1"
    assert torch.einsum("ii", a).item() == 22.0  # the trace (implicit output: no letters)


def test_einsum_of_one_operand_gradcheck():
    x = torch.randn(3, 3, 2, dtype=torch.float64, requires_grad=True)
    for equation in ("iij->ji", "ijk->kj", "ijk", "...k->k...", "iik->"):
        assert gradcheck(lambda t, e=equation: torch.einsum(e, t), (x,))


@pytest.mark.parametrize("shapes, node", [
    (((3,), (3, 2)), "SqueezeBackward4"), (((2, 3), (3,)), "MvBackward0"), (((3,), (3,)), "DotBackward0"),
    (((2, 3), (3, 2)), "MmBackward0"), (((2, 2, 3), (3, 2)), "UnsafeViewBackward0"),
    (((2, 3), (2, 3, 2)), "CloneBackward0"), (((3,), (2, 3, 2)), "UnsafeViewBackward0"),
    (((2, 2, 3), (3,)), "UnsafeViewBackward0"), (((2, 2, 3), (2, 3, 2)), "UnsafeViewBackward0"),
])
def test_matmul_node_names_follow_torch(shapes, node):
    a, b = (torch.randn(*s, dtype=torch.float64, requires_grad=True) for s in shapes)
    out = a @ b
    assert out.grad_fn.name() == node
    assert gradcheck(torch.matmul, (a, b))


def test_reshape_that_must_copy_is_not_a_view():
    x = torch.arange(6.0).view(2, 3).clone().requires_grad_()
    r = x.t().reshape(-1)
    assert r.tolist() == [0.0, 3.0, 1.0, 4.0, 2.0, 5.0] and r._base is None
    assert r.grad_fn.name() == "UnsafeViewBackward0" and r.grad_fn.next_functions[0][0].name() == "CloneBackward0"
    v = x.reshape(-1)
    assert v._base is x and v.grad_fn.name() == "ViewBackward0"


def test_broadcast_tensors_returns_same_shaped_inputs_as_they_are():
    x = torch.ones(3, requires_grad=True)
    m = torch.ones(2, 3)
    a, b = torch.broadcast_tensors(x, m)
    assert b is m and a.grad_fn.name() == "ExpandBackward0"
    assert torch.broadcast_tensors(x, x)[0] is x


def test_atleast_2d_of_a_vector_is_an_unsqueeze():
    x = torch.ones(3, requires_grad=True)
    assert torch.atleast_2d(x).grad_fn.name() == "UnsqueezeBackward0"
    assert torch.atleast_2d(x).shape == (1, 3) and torch.atleast_2d(x.sum()).shape == (1, 1)


def test_matrix_times_batch_with_one_row_is_a_transpose_in_torch():
    a = torch.randn(1, 2, dtype=torch.float64, requires_grad=True)
    b = torch.randn(2, 2, 3, dtype=torch.float64, requires_grad=True)
    assert (a @ b).grad_fn.name() == "TransposeBackward0"
    assert gradcheck(torch.matmul, (a, b))


@pytest.mark.parametrize("op, strides", [
    (lambda t: t.softmax(0), (3, 1)), (lambda t: t.log_softmax(-1), (3, 1)), (lambda t: t.cumsum(0), (3, 1)),
    (lambda t: t.cumprod(1), (3, 1)), (lambda t: t.cummax(0).values, (3, 1)), (lambda t: t.sort(0).values, (1, 4)),
    (lambda t: t.argsort(1), (1, 4)), (lambda t: t.exp(), (1, 4)),
])
def test_output_layout_of_a_transposed_input_follows_torch(op, strides):
    x = torch.arange(12.0).reshape(3, 4).t()  # strides (1, 4)
    assert op(x).stride() == strides


@pytest.mark.parametrize("equation, shapes, node", [
    ("ij,jk->ik", ((2, 3), (3, 2)), "ViewBackward0"), ("i,i->", ((3,), (3,)), "ViewBackward0"),
    ("i,j->ij", ((2,), (3,)), "MulBackward0"), ("ij,ij->ij", ((2, 3), (2, 3)), "MulBackward0"),
])
def test_einsum_of_two_operands_names_and_gradients(equation, shapes, node):
    ops = [torch.randn(*s, dtype=torch.float64, requires_grad=True) for s in shapes]
    out = torch.einsum(equation, *ops)
    assert out.grad_fn.name() == node and (out._base is not None) == (node == "ViewBackward0")
    assert gradcheck(lambda *t: torch.einsum(equation, *t), ops)


def test_tensordot_broadcasts_size_one_contracted_dims():
    b = torch.arange(4.0).reshape(4, 1)
    c = torch.arange(6.0).reshape(2, 3)
    assert torch.tensordot(b, c, ([1], [0])).tolist() == [[0.0, 0.0, 0.0], [3.0, 5.0, 7.0], [6.0, 10.0, 14.0],
                                                          [9.0, 15.0, 21.0]]
    a = torch.arange(16.0).reshape(4, 4, 1)
    assert torch.tensordot(a, a, 1).shape == (4, 4, 4, 1)
    # the sum over the broadcast dim keeps the dtype (torch 2.13): int32 stays int32, bool is refused by mm
    ints = torch.tensordot(torch.ones(1, 4, dtype=torch.int32), torch.ones(1, 3, dtype=torch.int32), 1)
    assert ints.dtype == torch.int32 and ints.tolist() == [[4, 4, 4]]
    with pytest.raises(NotImplementedError, match="addmm_impl_cpu_"):
        torch.tensordot(torch.ones(1, 4, dtype=torch.bool), torch.ones(1, 3, dtype=torch.bool), 1)


def test_zero_norm_has_no_gradient_and_integer_addcmul_truncates_the_value():
    x = torch.tensor([0.76, -0.33], requires_grad=True)
    x.norm(0).sigmoid().backward()
    assert x.grad is None
    assert torch.tensor([-4, 1, 3]).addcmul_(torch.tensor([3, 0, -3]), torch.tensor([3, 0, -3]),
                                             value=0.5).tolist() == [-4, 1, 3]
