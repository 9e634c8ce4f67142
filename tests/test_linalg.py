"""Tests for minitorch/ops/linalg.py: matmul and its special cases, addmm, einsum, tensordot,
outer/ger and trace.

Values are compared with numpy on random shapes and layouts (hypothesis); gradients with finite
differences (gradcheck / gradgradcheck, float64). Expected reprs and error messages were printed by
PyTorch 2.13 (CPU); torch itself is not needed to run these tests.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minitorch as torch

from _helpers import check_grads, layout, layouts, leaf

SETTINGS = settings(max_examples=30, deadline=None)
FEW = settings(max_examples=12, deadline=None)


def floats(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-3, 3))


# ---- matmul family ---------------------------------------------------------------------------------


@st.composite
def matmul_shapes(draw):
    """Shapes ``(a, b)`` that numpy's matmul accepts: 1-D or batched (broadcasting) matrices."""
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    a = draw(st.sampled_from([(k,), (n, k), batch + (n, k)]))
    b = draw(st.sampled_from([(k,), (k, m), tuple(1 if draw(st.booleans()) else s for s in batch) + (k, m)]))
    return a, b


@SETTINGS
@given(matmul_shapes(), layouts, layouts, st.data())
def test_matmul_matches_numpy(shapes, kind_a, kind_b, data):
    a, b = (data.draw(floats(s)) for s in shapes)
    out = layout(a, kind_a) @ layout(b, kind_b)
    np.testing.assert_allclose(out.numpy(), a @ b, atol=1e-12)


@FEW
@given(matmul_shapes(), layouts, st.data())
def test_matmul_gradients(shapes, kind, data):
    a, b = (data.draw(floats(s)) for s in shapes)
    check_grads(torch.matmul, leaf(a, kind), leaf(b, kind))


def test_mm_bmm_mv_dot():
    a, b = np.arange(6.).reshape(2, 3), np.arange(12.).reshape(3, 4)
    np.testing.assert_array_equal(torch.mm(torch.tensor(a), torch.tensor(b)).numpy(), a @ b)
    np.testing.assert_array_equal(torch.tensor(a).mv(torch.tensor(b[:, 0])).numpy(), a @ b[:, 0])
    assert torch.dot(torch.tensor([1., 2.]), torch.tensor([3., 4.])).item() == 11.
    batch = torch.tensor(np.stack([a, a + 1]))
    np.testing.assert_array_equal(torch.bmm(batch, torch.tensor(np.stack([b, b]))).numpy(), np.stack([a @ b, (a + 1) @ b]))


# ---- addmm -------------------------------------------------------------------------------------------


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.sampled_from([(), (1,), "p", "np", "n1"]),
       st.sampled_from([0, 1, 0.5]), st.sampled_from([1, -2.0]), layouts, st.data())
def test_addmm_matches_numpy(n, k, p, bias_shape, beta, alpha, kind, data):
    bias_shape = {"p": (p,), "np": (n, p), "n1": (n, 1)}.get(bias_shape, bias_shape)
    bias, m1, m2 = (data.draw(floats(s)) for s in (bias_shape, (n, k), (k, p)))
    out = torch.addmm(layout(bias, kind), layout(m1, kind), layout(m2, kind), beta=beta, alpha=alpha)
    np.testing.assert_allclose(out.numpy(), beta * bias + alpha * (m1 @ m2), atol=1e-12)
    assert out.shape == (n, p) and out.is_contiguous()


@FEW
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.sampled_from([1, 0.5, 0]), st.data())
def test_addmm_gradients_like_nn_linear(n, k, p, beta, data):
    x, weight, bias = (data.draw(floats(s)) for s in ((n, k), (p, k), (p,)))
    # nn.Linear: addmm(bias, x, weight.t()) - the weight comes in transposed (non-contiguous)
    check_grads(lambda b, x, w: torch.addmm(b, x, w.t(), beta=beta, alpha=1.5), leaf(bias), leaf(x), leaf(weight))


def test_addmm_prints_like_nn_linear():
    w = torch.ones(4, 3, requires_grad=True)
    b = torch.ones(4, requires_grad=True)
    out = torch.addmm(b, torch.ones(2, 3), w.t())
    assert repr(out) == ("tensor([[4., 4., 4., 4.],\n        [4., 4., 4., 4.]], grad_fn=<AddmmBackward0>)")
    assert b.addmm(torch.ones(2, 3), w.t()).shape == (2, 4)
    nan = torch.full((2, 4), float("nan"))
    assert torch.addmm(nan, torch.ones(2, 3), torch.ones(3, 4), beta=0).tolist() == [[3.] * 4] * 2
    ints = torch.ones(2, 2, dtype=torch.long)
    assert torch.addmm(ints, ints, ints).tolist() == [[3, 3], [3, 3]]
    x = torch.zeros(2, 2)
    x.addmm_(torch.eye(2), torch.ones(2, 2))
    assert x.tolist() == [[1., 1.], [1., 1.]]


ADDMM_ERRORS = [
    (lambda b, x, w: torch.addmm(torch.ones(3), x, w.t()), RuntimeError,
     "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  "
     "Target sizes: [2, 4].  Tensor sizes: [3]"),
    (lambda b, x, w: torch.addmm(b, x, w), RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x3)"),
    (lambda b, x, w: torch.addmm(b, x[0], w.t()), RuntimeError, "mat1 must be a matrix, got 1-D tensor"),
    (lambda b, x, w: torch.addmm(b, x, w[0]), RuntimeError, "mat2 must be a matrix, got 1-D tensor"),
    (lambda b, x, w: torch.addmm(b, x.double(), w.t()), RuntimeError,
     "mat1 and mat2 must have the same dtype, but got Double and Float"),
]


@pytest.mark.parametrize("fn, error, message", ADDMM_ERRORS)
def test_addmm_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn(torch.ones(4), torch.ones(2, 3), torch.ones(4, 3))
    assert str(info.value) == message


F64 = dict(dtype=torch.float64)
PRODUCTS = {  # (a, b) -> their product, for each op that saves its factors crosswise
    "matmul": lambda a, b: a @ b,
    "mv": lambda a, b: torch.mv(a, b[:, 0]),
    "linear": lambda a, b: torch.nn.functional.linear(a, b.t(), torch.zeros(2, **F64)),
    "baddbmm": lambda a, b: torch.baddbmm(torch.zeros(1, 4, 2, **F64), a.unsqueeze(0), b.unsqueeze(0)),
}


@pytest.mark.parametrize("op", PRODUCTS)
@pytest.mark.parametrize("needs_grad", ["a", "b"])
def test_products_save_only_the_factor_the_other_gradient_needs(op, needs_grad):
    """As in torch: after ``y = x @ W`` with W needing no gradient, x may change in place before
    backward (d/dW, which would read x, is never computed); the factor that IS read is checked."""
    product = PRODUCTS[op]
    a, b = torch.randn(4, 3, **F64), torch.randn(3, 2, **F64)
    leaf = (a if needs_grad == "a" else b).requires_grad_()
    expected = torch.autograd.grad(product(a, b).sum(), leaf)[0]

    def factors():  # non-leaf copies, which may change in place: (the one read, the one not read)
        a_, b_ = a * 1, b * 1
        return (a_, b_), ((b_, a_) if needs_grad == "a" else (a_, b_))

    (a_, b_), (read, unread) = factors()
    y = product(a_, b_)
    unread.add_(1)
    y.sum().backward(inputs=[leaf])
    assert torch.equal(leaf.grad, expected)

    (a_, b_), (read, unread) = factors()
    y = product(a_, b_)
    read.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward(inputs=[leaf])


def test_linear_with_only_the_bias_needing_a_gradient():
    x, w, b = torch.randn(4, 3), torch.randn(2, 3), torch.zeros(2, requires_grad=True)
    torch.nn.functional.linear(x, w, b).sum().backward()
    assert b.grad.tolist() == [4.0, 4.0]


def test_matmul_batch_dims_that_do_not_broadcast_give_torchs_error():
    with pytest.raises(RuntimeError, match=r"^The size of tensor a \(3\) must match the size of tensor b \(2\) "
                                           r"at non-singleton dimension 1$"):
        torch.randn(2, 3, 4, 3) @ torch.randn(2, 3, 2)


def test_baddbmm_input_that_does_not_expand_gives_torchs_error():
    with pytest.raises(RuntimeError) as info:
        torch.baddbmm(torch.ones(4), torch.ones(2, 3, 4), torch.ones(2, 4, 5))
    assert str(info.value) == ("The expanded size of the tensor (5) must match the existing size (4) at non-singleton "
                               "dimension 2.  Target sizes: [2, 3, 5].  Tensor sizes: [4]")


# ---- einsum ----------------------------------------------------------------------------------------

EQUATIONS = [  # (equation, operand shapes)
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("iij->j", [(2, 2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j", [(3,), (4,)]),
    ("ba", [(2, 3)]),
    ("bA", [(2, 3)]),
    ("ij,k->", [(2, 3), (2,)]),
    ("i,i->i", [(1,), (3,)]),
    ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 2)]),
    ("...ij,...jk", [(2, 2, 3), (3, 2)]),
    ("...j,j", [(2, 3), (3,)]),
    ("j...,j", [(3, 2), (3,)]),
    ("i...->...", [(2, 3)]),
    ("i...->i", [(2, 3, 4)]),
    ("i j , j k -> i k", [(2, 3), (3, 4)]),
    ("ab,bc,cd->ad", [(2, 3), (3, 2), (2, 4)]),
]


@pytest.mark.parametrize("equation, shapes", EQUATIONS)
def test_einsum_matches_numpy_and_its_gradients_check(equation, shapes):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in shapes]
    expected = np.einsum(equation.replace(" ", ""), *arrays) if equation != "i...->i" else arrays[0].sum((1, 2))
    out = torch.einsum(equation, *[torch.tensor(a) for a in arrays])
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)
    np.testing.assert_allclose(torch.einsum(equation, [torch.tensor(a) for a in arrays]).numpy(), expected, atol=1e-12)
    kinds = ["permuted", "strided", "contiguous"]
    check_grads(lambda *ops: torch.einsum(equation, *ops), *[leaf(a, k) for a, k in zip(arrays, kinds)])


@SETTINGS
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), layouts, layouts, st.data())
def test_einsum_contractions_match_numpy(n, k, m, kind_a, kind_b, data):
    a, b = data.draw(floats((n, k))), data.draw(floats((k, m)))
    for equation in ("ij,jk->ik", "ij,jk->ki", "ij,jk->j", "ij,jk->", "ij,jk->ijk"):
        out = torch.einsum(equation, layout(a, kind_a), layout(b, kind_b))
        np.testing.assert_allclose(out.numpy(), np.einsum(equation, a, b), atol=1e-12)


def test_einsum_integers_and_dtype():
    assert torch.einsum("i,i", torch.arange(3), torch.arange(3)).item() == 5
    assert torch.einsum("i,i", torch.arange(3), torch.arange(3)).dtype == torch.int64


EINSUM_ERRORS = [
    ("i,i", [(3,), (3,)], "expected scalar type Long but found Float", "mixed"),
    ("i,i->i", [(2,), (3,)], "einsum(): subscript i has size 3 for operand 1 which does not broadcast with previously seen size 2", None),
    ("...ij,...jk->...ik", [(5, 2, 2, 3), (4, 3, 2)],
     "einsum(): dimension 0 covered by ellipsis in operand 1has size 4 which does not broadcast with previously "
     "seen ellipsis with size 2 for the respective dimension", None),
    ("ij,jk->ik", [(2, 3)], "einsum(): fewer operands were provided than specified in the equation", None),
    ("ij,jk->ik", [(2, 3), (3, 4), (2,)], "einsum(): more operands were provided than specified in the equation", None),
    ("ijk,jk->ik", [(2, 3), (3, 4)], "einsum(): the number of subscripts in the equation (3) does not match the "
     "number of dimensions (2) for operand 0 and no ellipsis was given", None),
    ("ij->ix", [(2, 3)], "einsum(): output subscript x does not appear in the equation for any input operand", None),
    ("ij->ii", [(2, 3)], "einsum(): output subscript i appears more than once in the output", None),
    ("i1", [(3, 2)], "einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]", None),
    ("i->i->i", [(3,)], "einsum(): invalid subscript given at index 4 in the equation string, subscripts must be in [a-zA-Z]", None),
    ("i.j", [(3, 3)], "einsum(): found '.' for operand 0 that is not part of any ellipsis", None),
    ("......", [(3,)], "einsum(): found '.' for operand 0 for which an ellipsis was already found", None),
]


@pytest.mark.parametrize("equation, shapes, message, mixed", EINSUM_ERRORS)
def test_einsum_errors(equation, shapes, message, mixed):
    ops = [torch.ones(*s) for s in shapes]
    if mixed:
        ops[0] = ops[0].long()
    with pytest.raises(RuntimeError) as info:
        torch.einsum(equation, *ops)
    assert str(info.value) == message


# ---- tensordot / outer / trace ---------------------------------------------------------------------


@SETTINGS
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3), hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
       st.data())
def test_tensordot_matches_numpy(shared, free, data):
    a_shape = free + shared
    b_shape = shared + tuple(reversed(free))
    a, b = data.draw(floats(a_shape)), data.draw(floats(b_shape))
    n = data.draw(st.sampled_from([0, len(shared)]))  # the last n dims of a against the first n of b
    np.testing.assert_allclose(torch.tensordot(torch.tensor(a), torch.tensor(b), n).numpy(),
                               np.tensordot(a, b, n) if n else np.multiply.outer(a, b), atol=1e-12)
    dims = (list(range(len(free), len(a_shape))), list(range(len(shared))))
    np.testing.assert_allclose(torch.tensordot(torch.tensor(a), torch.tensor(b), dims=dims).numpy(),
                               np.tensordot(a, b, dims), atol=1e-12)


@FEW
@given(layouts, st.data())
def test_tensordot_outer_trace_gradients(kind, data):
    a, b = data.draw(floats((2, 3, 2))), data.draw(floats((2, 3, 2)))
    check_grads(lambda a, b: torch.tensordot(a, b, dims=([1, 2], [1, 0])), leaf(a, kind), leaf(b, kind))
    check_grads(torch.outer, leaf(a[0, :, 0], kind), leaf(b[1, 1], kind))
    check_grads(torch.trace, leaf(a[0], kind))
    check_grads(torch.trace, leaf(a[:, :2, 0], kind))


def test_outer_and_trace_values():
    np.testing.assert_array_equal(torch.outer(torch.arange(2.), torch.arange(3.)).numpy(), np.outer(np.arange(2.), np.arange(3.)))
    assert torch.outer(torch.arange(2), torch.arange(3.)).dtype == torch.float32
    assert torch.arange(2.).ger(torch.arange(3.)).shape == (2, 3)
    assert torch.trace(torch.arange(6.).reshape(2, 3)).item() == 4.
    t = torch.trace(torch.arange(6, dtype=torch.int32).reshape(2, 3))
    assert t.dtype == torch.int64 and t.item() == 4
    assert repr(torch.ones(2, 2, requires_grad=True).trace().grad_fn).startswith("<TraceBackward0")
    assert repr(torch.outer(torch.ones(2, requires_grad=True), torch.ones(2)).grad_fn).startswith("<MulBackward0")


OTHER_ERRORS = [
    (lambda: torch.outer(torch.ones(2, 3), torch.ones(3)), "outer: Expected 1-D argument self, but got 2-D"),
    (lambda: torch.outer(torch.ones(3), torch.ones(2, 3)), "outer: Expected 1-D argument vec2, but got 2-D"),
    (lambda: torch.trace(torch.arange(6)), "trace: expected a matrix, but got tensor with dim 1"),
    (lambda: torch.tensordot(torch.ones(2, 3), torch.ones(4, 5), dims=1),
     "contracted dimensions need to match, but first has size 3 in dim -1 and second has size 4 in dim 0"),
]


@pytest.mark.parametrize("fn, message", OTHER_ERRORS)
def test_outer_trace_tensordot_errors(fn, message):
    with pytest.raises(RuntimeError) as info:
        fn()
    assert str(info.value) == message


# ---- the same ops on the GPU (skipped without one) ------------------------------------------------


@pytest.mark.cuda
def test_linalg_ops_on_cuda_match_cpu():
    rng = np.random.default_rng(0)
    a, b, bias = rng.standard_normal((2, 3)), rng.standard_normal((4, 3)), rng.standard_normal(4)
    ops = [
        lambda a, b, c: torch.addmm(c, a, b.t(), beta=0.5, alpha=2), lambda a, b, c: torch.einsum("ij,kj->ik", a, b),
        lambda a, b, c: torch.einsum("ii->i", a[:, :2]), lambda a, b, c: torch.einsum("...j,kj", a, b),
        lambda a, b, c: torch.tensordot(a, b, dims=([1], [1])), lambda a, b, c: torch.outer(a[0], c),
        lambda a, b, c: a[:, :2].trace() * c, lambda a, b, c: a @ b.t(),
    ]
    for op in ops:
        cpu = [torch.tensor(v, requires_grad=True) for v in (a, b, bias)]
        gpu = [torch.tensor(v, device="cuda", requires_grad=True) for v in (a, b, bias)]
        out_cpu, out_gpu = op(*cpu), op(*gpu)
        assert out_gpu.device.type == "cuda"
        np.testing.assert_allclose(out_gpu.detach().cpu().numpy(), out_cpu.detach().numpy(), atol=1e-10)
        (out_cpu * out_cpu).sum().backward()
        (out_gpu * out_gpu).sum().backward()
        for c, g in zip(cpu, gpu):
            if c.grad is not None:
                np.testing.assert_allclose(g.grad.cpu().numpy(), c.grad.numpy(), atol=1e-10)
