"""A leaf's ``.grad`` is its own: the engine copies the incoming gradient into it (laid out like
the parameter), so no other tensor shares its memory.

Each test builds a gradient that someone else holds (the user's ``grad_output``, a tensor a custom
Function saved or kept, a hook's list, a retained non-leaf gradient, another leaf's gradient) and
checks that ``.grad`` does not share its memory: writing into the other tensor afterwards leaves
``.grad`` as it was. (A take-over of private gradients, decided from reference counts, was tried
for speed and left out: ~3% of a backward, against a fragile check guarding silent aliasing.)
"""

import numpy as np
import pytest

import minitorch as torch


def _shares(a, b):
    return np.shares_memory(a.detach().numpy(), b.detach().numpy())


def _assert_private(grad, *others):
    """``grad`` keeps its values when every tensor in ``others`` is overwritten."""
    before = grad.clone()
    for other in others:
        assert not _shares(grad, other)
        with torch.no_grad():
            other.fill_(123.0)
    assert torch.equal(grad, before)


def test_transposed_parameter_keeps_its_layout():
    w = torch.randn(4, 3).t().requires_grad_()  # a leaf with transposed strides
    (torch.randn(2, 4) @ w.t()).sum().backward()
    assert w.grad.stride() == w.stride() == (1, 3)


def test_user_grad_output_is_copied():
    x = torch.randn(3, requires_grad=True)
    g = torch.randn(3)
    (x + 0).backward(g)  # add's backward hands the incoming gradient straight on
    assert x.grad is not g
    _assert_private(x.grad, g)


def test_user_grad_output_through_a_view_is_copied():
    x = torch.randn(2, 3, requires_grad=True)
    g = torch.randn(3, 2)
    x.t().backward(g)  # x's gradient is a view of g
    _assert_private(x.grad, g)


def test_one_gradient_for_two_leaves_is_copied_for_each():
    x, y = torch.randn(3, requires_grad=True), torch.randn(3, requires_grad=True)
    (x + y).sum().backward()  # both receive the same gradient tensor
    assert not _shares(x.grad, y.grad)
    _assert_private(x.grad, y.grad)


def test_gradient_a_custom_function_keeps_is_copied():
    kept = []

    class Keep(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(torch.ones(3) * 2)
            return x.clone()

        @staticmethod
        def backward(ctx, grad):
            (two,) = ctx.saved_tensors
            out = grad * two
            kept.append(out)
            kept.append(out.t())  # a view of it, held as well
            return out

    x = torch.randn(3, requires_grad=True)
    Keep.apply(x).sum().backward()
    assert torch.equal(x.grad, torch.full((3,), 2.0))
    _assert_private(x.grad, kept[0])


def test_saved_tensor_returned_as_gradient_is_copied():
    class ReturnSaved(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(torch.full((2, 2), 3.0))
            return x.clone()

        @staticmethod
        def backward(ctx, grad):
            (saved,) = ctx.saved_tensors
            ctx.kept = saved
            return saved

    x = torch.randn(2, 2, requires_grad=True)
    y = ReturnSaved.apply(x)
    y.sum().backward(retain_graph=True)
    _assert_private(x.grad, y.grad_fn.kept)


def test_view_of_a_kept_tensor_is_copied():
    kept = []

    class ViewOfKept(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, grad):
            full = grad.t() * 1.0  # a fresh tensor the function keeps; the gradient is its view
            kept.append(full)
            return full.t()

    x = torch.randn(2, 3, requires_grad=True)
    ViewOfKept.apply(x).sum().backward()
    _assert_private(x.grad, kept[0])


def test_hook_that_keeps_the_gradient_sees_it_and_is_not_aliased():
    seen = []
    x = torch.randn(3, requires_grad=True)
    x.register_hook(lambda g: seen.append(g))
    (x * 2).sum().backward()
    assert torch.equal(seen[0], torch.full((3,), 2.0))
    _assert_private(x.grad, seen[0])


def test_hook_replacement_and_post_accumulate_hook():
    x = torch.randn(3, requires_grad=True)
    x.register_hook(lambda g: g * 10)
    after = []
    x.register_post_accumulate_grad_hook(lambda t: after.append(t.grad.clone()))
    (x * 2).sum().backward()
    assert torch.equal(x.grad, torch.full((3,), 20.0)) and torch.equal(after[0], x.grad)


def test_retained_non_leaf_gradient_is_not_shared():
    x = torch.randn(2, 3, requires_grad=True)
    h = x.t()
    h.retain_grad()
    (h * 3).sum().backward()
    assert torch.equal(x.grad, torch.full((2, 3), 3.0))
    _assert_private(x.grad, h.grad)


def test_retain_graph_accumulates_into_the_first_grad():
    torch.manual_seed(0)
    layer = torch.nn.Linear(4, 2)
    loss = layer(torch.randn(3, 4)).pow(2).sum()
    loss.backward(retain_graph=True)
    first = layer.weight.grad.clone()
    loss.backward()
    assert torch.allclose(layer.weight.grad, 2 * first)


def test_double_backward_unchanged():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (g,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
    g.sum().backward()
    assert torch.equal(x.grad, torch.tensor([6.0, 12.0]))
    y = torch.tensor([1.5], requires_grad=True)
    with pytest.warns(UserWarning, match="reference cycle"):
        (y ** 2).sum().backward(create_graph=True)
    assert y.grad.requires_grad and torch.equal(y.grad, torch.tensor([3.0]))
