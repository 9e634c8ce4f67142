"""torch's view + in-place model: a view knows its base; writing into a view of a non-leaf gives
the base a ``CopySlices`` node; views taken before an in-place change of their base read through
the new history (``AsStridedBackward0``); saved tensors are version-checked.

Expected values were computed with PyTorch 2.13 and are written out (torch is not a test dependency).
"""

import re

import pytest

import minitorch as torch
from minitorch.autograd import gradcheck


def raises(kind, message):
    """The error starts with ``message`` (torch's long messages are compared by their start)."""
    return pytest.raises(kind, match="^" + re.escape(message))

MODIFIED = "one of the variables needed for gradient computation has been modified by an inplace operation"


def test_write_into_a_view_of_a_non_leaf_reaches_the_leaf():
    x = torch.ones(2, 2, requires_grad=True)
    y = (x * 2).view(4)
    y[0] = 0
    assert y.grad_fn.name() == "AsStridedBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [[0.0, 2.0], [2.0, 2.0]]
    assert x.grad.shape == x.shape


def test_views_taken_before_an_in_place_change_of_the_base_are_rebased():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = x * x
    v = b.view(4)
    b[0, 1] = 7.0
    w = b.t()
    w.mul_(x)
    assert b.grad_fn.name() == "torch::autograd::CopySlices" and repr(b).endswith("grad_fn=<CopySlices>)")
    assert v.grad_fn.name() == w.grad_fn.name() == "AsStridedBackward0"
    assert v.tolist() == [1.0, 21.0, 18.0, 64.0]
    (v * torch.arange(4.0)).sum().backward()
    assert x.grad.tolist() == [[0.0, 18.0], [31.0, 144.0]]


def test_sibling_views_see_each_others_writes():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = y[1:]
    v.zero_()
    assert y.grad_fn.name() == "torch::autograd::CopySlices" and v.grad_fn.name() == "AsStridedBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 0.0]


def test_a_view_of_a_plain_tensor_requires_grad_once_its_base_does():
    b = torch.zeros(2, 2)
    v = b[0]
    x = torch.tensor([5.0, 6.0], requires_grad=True)
    b[1] = x * x
    assert v.requires_grad and v.grad_fn.name() == "AsStridedBackward0"
    (b * 3).sum().backward()
    assert x.grad.tolist() == [30.0, 36.0]


def test_a_view_is_rebased_even_after_a_change_under_no_grad():
    x = torch.ones(4, requires_grad=True)
    b = x * 2
    v = b[:2]
    with torch.no_grad():
        b.add_(1)
    assert v.grad_fn.name() == "AsStridedBackward0" and v.requires_grad


def test_masked_fill_through_a_transposed_view():
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = x.t() * 1
    m = y[:, 0]
    m.masked_fill_(m > 2, 0.0)
    (y * y).sum().backward()
    assert x.grad.tolist() == [[2.0, 4.0, 0.0], [8.0, 10.0, 12.0]]


def _write_into_views(t):
    b = t * t
    v = b.view(-1)
    b[0, 1] = t[0, 0] * 3
    w = b.t()
    w.mul_(t.sin())
    return v * 2 + w.sum()


def _write_into_a_non_contiguous_base(t):
    b = t.t() * t.t()  # the base is transposed in memory
    b[1:, 0] = t[0, 1:] ** 2
    return b.view(-1) if b.is_contiguous() else b.reshape(-1)


@pytest.mark.parametrize("fn", [_write_into_views, _write_into_a_non_contiguous_base])
def test_gradcheck_through_in_place_writes_into_views(fn):
    x = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    assert gradcheck(fn, (x,))
    x.grad = None
    fn(x).sum().backward()
    assert x.grad.shape == x.shape


@pytest.mark.parametrize("fill, node", [
    (lambda y: y.zero_(), "ZeroBackward0"), (lambda y: y.fill_(3.0), "FillBackward2"),
    (lambda y: y.normal_(), "NormalBackward0"), (lambda y: y.uniform_(), "UniformBackward0"),
    (lambda y: y.bernoulli_(0.5), "BernoulliBackward2"), (lambda y: y.random_(0, 5), "RandomBackward0"),
])
def test_fills_of_a_non_leaf_keep_the_graph_with_zero_gradient(fill, node):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    fill(y)
    assert y.grad_fn.name() == node
    assert [n.name() for n, _ in y.grad_fn.next_functions] == ["MulBackward0"]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_fill_with_a_tensor_passes_the_summed_gradient_to_it():
    v = torch.tensor(2.0, requires_grad=True)
    y = torch.ones(3, requires_grad=True) * 1
    y.fill_(v)
    assert y.grad_fn.name() == "FillBackward3"
    y.sum().backward()
    assert v.grad.item() == 3.0


def test_variance_then_sqrt_then_write_into_the_variance_is_fine():
    x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
    v = x.var()
    s = v.sqrt()
    v.mul_(2)
    s.backward()
    assert x.grad.shape == x.shape


def _exp_then_scale(x):
    y = x.exp()
    y.mul_(2)  # exp's backward needs its output
    return y


def _sin_then_write_into_a_slice(x):
    y = x * 1
    z = y.sin()
    y[0] = 1  # the message names y's history as it is now
    return z


def _sin_of_a_tensor_written_later(x):
    y = x * 1
    z = y.sin()  # sin's backward needs its input
    y.add_(1)
    return z


@pytest.mark.parametrize("program, where", [
    (_exp_then_scale, "which is output 0 of Exp, is at version 1; expected version 0 instead."),
    (_sin_then_write_into_a_slice, "which is output 0 of torch::autograd::CopySlices, is at version 1"),
    (_sin_of_a_tensor_written_later, "which is output 0 of Add, is at version 1; expected version 0 instead."),
])
def test_writes_into_saved_values_are_caught(program, where):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with raises(RuntimeError, MODIFIED):
        program(x).sum().backward()
    with pytest.raises(RuntimeError, match=where.replace(".", r"\.")):
        program(x).sum().backward()


def test_writing_after_an_op_that_saved_only_its_output_is_fine():
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x * 1
    z = y.sigmoid()  # saves its output, not y
    y.add_(1)
    z.sum().backward()
    assert x.grad.shape == x.shape


def test_a_saved_view_is_caught_after_a_write_into_its_base():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y[:1] * x[:1]
    y.add_(1)
    with raises(RuntimeError, MODIFIED):
        z.sum().backward()


@pytest.mark.parametrize("make, node", [
    (lambda y: y.split(1), "SplitBackward0"), (lambda y: y.chunk(2), "SplitBackward0"),
    (lambda y: y.split([1, 2]), "SplitWithSizesBackward0"), (lambda y: y.unbind(), "UnbindBackward0"),
])
def test_outputs_of_multi_view_ops_refuse_in_place_writes(make, node):
    x = torch.ones(3, requires_grad=True)
    parts = make(x * 2)
    assert parts[0].grad_fn.name() == node and parts[-1].output_nr == len(parts) - 1
    name = node.removesuffix("Backward0")
    with raises(RuntimeError, f"Output 0 of {name} is a view and is being modified inplace. This view is the "
                              "output of a function that returns multiple views."):
        parts[0].mul_(2)
    torch.cat([p.reshape(-1) for p in parts]).sum().backward()
    assert x.grad.shape == x.shape
    with torch.no_grad():
        parts[0].mul_(2)  # allowed without recording, as in torch...
    with raises(RuntimeError, f"Output {len(parts) - 1} of {name} is a view and its base or another view of its "
                              "base has been modified inplace."):
        parts[-1].grad_fn  # ...but then no output's history can be rebuilt
    torch.zeros(3).split(1)[0].mul_(2)  # tensors that do not require grad are fine


def test_views_of_split_outputs_refuse_in_place_writes_too():
    y = torch.ones(3, requires_grad=True) * 2
    with raises(RuntimeError, "Output 0 of Select is a view and is being modified inplace."):
        y.split(1)[0][0].mul_(2)


def test_neg_saves_nothing_so_later_writes_are_fine():
    x = torch.tensor([[-2.11, 1.04], [2.06, -2.99]], requires_grad=True)
    y = x / x
    z = y.neg()
    y.sub_(z)
    y.sum().backward()
    assert x.grad.shape == x.shape


def test_writing_everything_through_an_index_replaces_the_history():
    x = torch.tensor([-0.97, 2.0], requires_grad=True)
    y = x.sin()
    y[:] = torch.tensor(2.5)
    assert y.grad_fn.name() == "FillBackward3"  # no view in between: x[:] is x itself
    y[...] = 3
    assert y.grad_fn.name() == "FillBackward3" and y.tolist() == [3.0, 3.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_a_result_saved_for_backward_is_watched_when_written_through_a_view():
    x = torch.tensor([[0.5], [1.06]], dtype=torch.float64, requires_grad=True)
    e = x[0]
    y = e.repeat_interleave(1)  # a view of a fresh copy
    y.pow_(e)  # pow saves its result to differentiate the exponent
    y.mul_(2)
    with raises(RuntimeError, MODIFIED):
        (e @ y).sum().backward()


def test_split_outputs_refuse_to_rebuild_after_their_base_gains_a_history():
    b = torch.tensor([2.77])
    v = b.unbind()[0]
    b[..., 0] = torch.tensor(-0.91, requires_grad=True) * 1
    with raises(RuntimeError, "Output 0 of Unbind is a view and its base or another view of its base has been "
                              "modified inplace."):
        v.grad_fn


def test_max_gradient_goes_to_the_nan_that_won():
    x = torch.tensor([-0.74, 1.12], requires_grad=True)
    x.asin().max().backward()
    grad = x.grad.tolist()
    assert grad[0] == 0.0 and grad[1] != grad[1]  # nan: asin's derivative at 1.12


def test_diff_of_an_empty_tensor_is_empty():
    assert torch.ones(0).diff().shape == (0,)


@pytest.mark.parametrize("write", [lambda x: x.t().mul_(x), lambda x: x[0:2].add_(x[1:3]),
                                   lambda x: x[1:].copy_(x[:-1])])
def test_writes_from_partly_overlapping_memory_are_refused(write):
    with raises(RuntimeError, "unsupported operation: some elements of the input tensor and the written-to tensor "
                              "refer to a single memory location. Please clone() the tensor before performing the "
                              "operation."):
        write(torch.ones(3, 3))


def test_writes_from_the_same_or_disjoint_memory_are_fine():
    x = torch.ones(3, 3)
    x[0].add_(x[1])
    x.add_(x)
    x.add_(x.view(9).view(3, 3))
    assert x.tolist() == [[8.0] * 3, [4.0] * 3, [4.0] * 3]


def test_masked_gradients_select_instead_of_multiplying():
    x = torch.tensor([-2.0, 0.5], requires_grad=True)
    x.clamp(-1, 1).log1p().sum().backward()  # log1p'(-1) is inf, but clamp cut it off
    assert x.grad.tolist() == [0.0, pytest.approx(2 / 3)]
    y = torch.tensor([-2.0, 0.5], requires_grad=True)
    (y * 1).relu().log().sum().backward()
    assert y.grad.tolist() == [0.0, 2.0]


@pytest.mark.parametrize("program, where", [
    (lambda x: (x ** torch.tensor(-0.96)).mul_(2), "which is output 0 of Pow1, is at version 1"),
    (lambda x: x.prod(0, keepdim=True).mul_(2), "which is output 0 of Prod1, is at version 1"),
    (lambda x: x.prod().mul_(2), "which is output 0 of Prod, is at version 1"),
    (lambda x: (lambda v: v.clamp_max_(v))(x * 1), "which is output 0 of Clamp"),
])
def test_results_and_bounds_torch_saves_are_version_checked(program, where):
    x = torch.tensor([[1.87, 0.5]], requires_grad=True)
    with pytest.raises(RuntimeError, match=re.escape(where)):
        program(x).sum().backward()


def test_prod_gradient_with_and_without_zeros():
    a = torch.tensor([[1.5, 0.0, 2.0], [0.0, 0.0, 3.0], [1.0, 2.0, -1.0]], dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda t: t.prod(1), (a,)) and gradcheck(lambda t: t.prod(), (a,))
    a.prod(1).sum().backward()
    assert a.grad.tolist() == [[0.0, 3.0, 0.0], [0.0, 0.0, 0.0], [-2.0, -1.0, 2.0]]
