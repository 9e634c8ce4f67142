"""Autograd behaviour: the lecture examples, leaves and graph nodes, backward / grad, hooks,
custom Functions, grad modes, views and in-place writes, higher derivatives, the engine."""

import gc
import tracemalloc
import warnings

import numpy as np
import pytest

import minitorch as torch
from minitorch.autograd import gradcheck, gradgradcheck


def dbl(*shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


def edges(node):
    """next_functions as (node class name or None, output_nr) pairs."""
    return [(type(n).__name__ if n is not None else None, nr) for n, nr in node.next_functions]


# ---- the lecture examples -------------------------------------------------------------------

def test_lecture_z_equals_2ab_plus_5b():
    a = torch.tensor([2.0], requires_grad=True)
    b = torch.tensor([6.0], requires_grad=True)
    z = 2 * a * b + 5 * b
    z.backward()
    assert repr(a.grad) == "tensor([12.])"  # dz/da = 2b
    assert repr(b.grad) == "tensor([9.])"  # dz/db = 2a + 5
    assert repr(z) == "tensor([54.], grad_fn=<AddBackward0>)"


def test_lecture_f_equals_x_plus_y_times_y_minus_z():
    x, y, z = (torch.tensor([v], requires_grad=True) for v in (1.0, 2.0, 3.0))
    f = (x + y) * (y - z)
    f.backward()
    # df/dx = y - z, df/dy = (y - z) + (x + y), df/dz = -(x + y)
    assert repr(x.grad) == "tensor([-1.])"
    assert repr(y.grad) == "tensor([2.])"
    assert repr(z.grad) == "tensor([-3.])"


def test_lecture_gradients_accumulate_until_zeroed():
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = torch.tensor([4.0, 5.0, 6.0])
    (w @ x).backward()
    assert repr(w.grad) == "tensor([4., 5., 6.])"
    (w @ x).backward()
    assert repr(w.grad) == "tensor([ 8., 10., 12.])"
    w.grad.data.zero_()
    assert repr(w.grad) == "tensor([0., 0., 0.])"
    (w @ x).backward()
    assert repr(w.grad) == "tensor([4., 5., 6.])"


def test_lecture_no_grad_and_detach_():
    x = torch.tensor([2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    assert not y.requires_grad and repr(y) == "tensor([4.])"
    y = x * 2
    assert repr(y) == "tensor([4.], grad_fn=<MulBackward0>)"
    y.detach_()
    assert repr(y) == "tensor([4.])" and y.is_leaf and not y.requires_grad


def test_lecture_linear_with_zeroing():
    w = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    y = w * torch.tensor(2.0) + b
    y.backward()
    assert f"dy/dw = {w.grad}" == "dy/dw = 2.0"  # f-strings of 0-d tensors print the number
    w.grad.zero_()
    b.grad.zero_()
    y = w * torch.tensor(10.0) + b
    y.backward()
    assert f"dy/dw = {w.grad}" == "dy/dw = 10.0" and b.grad.item() == 1.0


def test_lecture_sin_identity_gives_cos():
    x = torch.linspace(-3, 3, 50, requires_grad=True)
    y = torch.sin(x) * (torch.sin(x) ** 2 + torch.cos(x) ** 2)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.cos(np.linspace(-3, 3, 50)), atol=1e-5)
    assert x.grad.shape == x.shape


# ---- leaves, grad_fn, next_functions ------------------------------------------------------

def test_leaves_and_requires_grad():
    x = torch.ones(2)
    assert x.is_leaf and not x.requires_grad and x.grad_fn is None
    assert x.requires_grad_() is x and x.requires_grad and x.is_leaf
    y = x * 2
    assert not y.is_leaf and y.requires_grad
    with torch.no_grad():
        z = x * 2
    assert z.is_leaf and not z.requires_grad
    assert (torch.ones(2) * 2).is_leaf  # no input requires grad: nothing recorded


def test_grad_fn_names_and_next_functions():
    x = torch.randn(2, 3, requires_grad=True)
    c = torch.randn(2, 3)
    assert repr(x + 1).endswith("grad_fn=<AddBackward0>)")
    assert {(x * c).grad_fn.name(), x.exp().grad_fn.name(), x.sum().grad_fn.name(), x.t().grad_fn.name()} == {
        "MulBackward0", "ExpBackward0", "SumBackward0", "TBackward0"}
    y = x * c + x.exp()
    assert edges(y.grad_fn) == [("MulBackward0", 0), ("ExpBackward0", 0)]
    mul = y.grad_fn.next_functions[0][0]
    assert edges(mul) == [("AccumulateGrad", 0), (None, 0)]  # a leaf, then a constant
    acc = mul.next_functions[0][0]
    assert acc.variable is x and acc.next_functions == () and acc.name() == "torch::autograd::AccumulateGrad"
    assert acc is x.exp().grad_fn.next_functions[0][0]  # one accumulator per leaf
    assert repr(y.grad_fn).startswith("<AddBackward0 object at 0x")


def test_requires_grad_errors():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        torch.tensor([1, 2]).requires_grad_()
    y = torch.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad. Use tensor.detach\\(\\).numpy\\(\\) instead."):
        torch.ones(2, requires_grad=True).numpy()


# ---- backward ------------------------------------------------------------------------------

def test_backward_with_gradient_argument_and_errors():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward(torch.tensor([1.0, 3.0]))
    assert x.grad.tolist() == [2.0, 6.0]
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar outputs$"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of torch.Size\(\[3\]\) "
                                           r"and output\[0\] has a shape of torch.Size\(\[2\]\)."):
        (x * 2).backward(torch.ones(3))
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and does not have a grad_fn"):
        torch.ones(2).sum().backward()
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty."):
        (x * 2).sum().backward(inputs=[])


def test_backward_of_a_leaf():
    x = torch.tensor(2.0, requires_grad=True)
    x.backward()
    assert repr(x.grad) == "tensor(1.)"


def test_second_backward_needs_retain_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_backward_twice_through_nodes_that_saved_nothing():
    x = torch.randn(3, requires_grad=True)
    y = (x + 1).sum()
    y.backward()
    y.backward()  # Add and Sum keep no tensors: nothing was freed, as in torch
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_backward_inputs_argument():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    (x * w).sum().backward(inputs=[x])
    assert x.grad.tolist() == [3.0, 4.0] and w.grad is None
    y = x * w
    (y * y).sum().backward(inputs=[y])  # a non-leaf in inputs gets its .grad too
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert y.grad.tolist() == [6.0, 16.0]
    assert x.grad.tolist() == [3.0, 4.0]
    (x * w).sum().backward(inputs={"w": w})  # a dict, like dict(model.named_parameters())
    assert w.grad.tolist() == [1.0, 2.0]


def test_create_graph_puts_a_graph_in_grad():
    x = torch.tensor(3.0, requires_grad=True)
    with pytest.warns(UserWarning, match="Using backward\\(\\) with create_graph=True will create a reference cycle"):
        (x ** 3).backward(create_graph=True)
    assert x.grad.item() == 27.0 and x.grad.requires_grad
    g = x.grad
    x.grad = None
    g.backward()
    assert x.grad.item() == 18.0  # d/dx 3x^2


def test_grad_layout_follows_the_leaf():
    x = torch.randn(3, 2).t().requires_grad_()
    (x * 2).sum().backward()
    assert x.grad.stride() == x.stride() == (1, 2)
    s = torch.randn(4, 2)[::2].requires_grad_()  # not dense: the grad is row-major
    (s * 2).sum().backward()
    assert s.grad.stride() == (2, 1)


def test_grad_is_a_private_copy():
    x = torch.ones(2, requires_grad=True)
    y = torch.ones(2, requires_grad=True)
    (x + y).sum().backward()  # Add hands the same gradient tensor to both inputs
    x.grad.zero_()
    assert y.grad.tolist() == [1.0, 1.0]


# ---- .grad of non-leaves, retain_grad, hooks -----------------------------------------------

def test_grad_of_a_non_leaf_warns_and_is_none():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"):
        assert y.grad is None


def test_retain_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    (y * y).sum().backward(retain_graph=True)
    assert y.grad.tolist() == [4.0, 8.0] and x.grad.tolist() == [8.0, 16.0]
    (y * y).sum().backward()
    assert y.grad.tolist() == [8.0, 16.0]  # accumulates like a leaf's
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"):
        torch.ones(2).retain_grad()


def test_hooks_on_leaves_and_non_leaves():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 10)
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append(g.tolist()))
    y.sum().backward()
    assert seen == [[1.0, 1.0]] and x.grad.tolist() == [20.0, 20.0]
    handle.remove()
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_hook_replaces_the_gradient_before_retain_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g + 1)
    (y * 3).sum().backward()
    assert y.grad.tolist() == [4.0, 4.0] and x.grad.tolist() == [8.0, 8.0]


def test_hook_errors():
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        torch.ones(2).register_hook(print)
    x = torch.ones(2, requires_grad=True)
    y = x * 2

    def grow(g):
        return torch.ones(3)

    y.register_hook(grow)
    with pytest.raises(RuntimeError, match="hook 'grow' has changed the size of value"):
        y.sum().backward()


def test_node_hooks():
    x = torch.ones(2, requires_grad=True)
    y = x.exp()
    calls = []
    y.grad_fn.register_prehook(lambda grad_outputs: calls.append(("pre", len(grad_outputs))))
    handle = y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: (grad_inputs[0] * 0,))
    y.sum().backward(retain_graph=True)
    assert calls == [("pre", 1)] and x.grad.tolist() == [0.0, 0.0]
    handle.remove()
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 1.0]), rtol=1e-6)
    assert y.grad_fn.metadata == {}


# ---- detach and .data ----------------------------------------------------------------------

def test_detach_shares_storage_and_version():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    d.add_(1)
    assert x.tolist() == [2.0, 3.0] and x._version == 1


def test_detached_view_of_a_leaf_can_be_written():
    x = torch.ones(3, requires_grad=True)
    x[1:].detach().add_(1)
    x[0].data.fill_(7)
    assert x.tolist() == [7.0, 2.0, 2.0] and x.is_leaf


def test_data_is_invisible_to_autograd():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    d = x.data
    assert not d.requires_grad
    d.mul_(2)  # no version bump: backward uses the new values without complaint (as in torch)
    assert x._version == 0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 2.0]), rtol=1e-6)
    x.data = torch.tensor([5.0, 6.0, 7.0])
    assert x.shape == (3,) and x.requires_grad


# ---- autograd.grad and higher derivatives --------------------------------------------------

def test_grad_returns_without_touching_dot_grad():
    x = torch.tensor(3.0, requires_grad=True)
    (g,) = torch.autograd.grad(x ** 3, x, create_graph=True)
    assert repr(g) == "tensor(27., grad_fn=<MulBackward0>)"
    (g2,) = torch.autograd.grad(g, x)
    assert g2.item() == 18.0 and x.grad is None


def test_third_derivative_of_x_cubed():
    x = dbl(5)
    (d1,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), x, create_graph=True)
    (d3,) = torch.autograd.grad(d2.sum(), x)
    xs = x.detach().numpy()
    np.testing.assert_allclose(d1.detach().numpy(), 3 * xs ** 2)
    np.testing.assert_allclose(d2.detach().numpy(), 6 * xs)
    np.testing.assert_allclose(d3.numpy(), np.full(5, 6.0))


def test_hessian_vector_product():
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    v = torch.tensor([1.0, 0.5, -1.0], dtype=torch.float64)
    f = (x ** 3).sum() + x[0] * x[1] * x[2]
    (g,) = torch.autograd.grad(f, x, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, x)
    a, b, c = 1.0, 2.0, 3.0
    hessian = np.array([[6 * a, c, b], [c, 6 * b, a], [b, a, 6 * c]])
    np.testing.assert_allclose(hv.numpy(), hessian @ v.numpy())


def test_grad_allow_unused_and_materialize():
    x = torch.tensor(3.0, requires_grad=True)
    y = torch.tensor(2.0, requires_grad=True)
    gx, gy = torch.autograd.grad(x * 2, [x, y], allow_unused=True)
    assert gx.item() == 2.0 and gy is None
    with pytest.raises(RuntimeError, match="The differentiated Tensor at index 1 appears to not have been used in the graph"):
        torch.autograd.grad(x * 2, [x, y])
    assert torch.autograd.grad(x * 2, [x, y], materialize_grads=True)[1].item() == 0.0
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require grad"):
        torch.autograd.grad(x * 2, [x, torch.tensor(1.0)])


def test_grad_of_a_non_leaf_and_grad_outputs():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    z = y * y
    (gy,) = torch.autograd.grad(z, y, torch.tensor([1.0, 0.5]))
    assert gy.tolist() == [6.0, 6.0]
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        torch.autograd.grad([z.sum(), y.sum()], x, [torch.tensor(1.0)])


# ---- custom Functions ----------------------------------------------------------------------

class ScaleAndMul(torch.autograd.Function):
    """(x * k + y, x * y) with a python-number k: two outputs, a non-tensor argument."""

    @staticmethod
    def forward(ctx, x, k, y):
        ctx.k = k
        ctx.save_for_backward(x, y)
        ctx.needs = ctx.needs_input_grad
        return x * k + y, x * y

    @staticmethod
    def backward(ctx, g_sum, g_prod):
        x, y = ctx.saved_tensors
        return g_sum * ctx.k + g_prod * y, None, g_sum + g_prod * x


def test_function_with_two_outputs_and_a_number():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = torch.tensor([3.0, 4.0])
    s, p = ScaleAndMul.apply(x, 3.0, y)
    assert repr(s) == "tensor([ 6., 10.], grad_fn=<ScaleAndMulBackward>)"
    assert s.grad_fn is p.grad_fn and s.grad_fn.needs == (True, False, False) and s.grad_fn.k == 3.0
    assert repr(s.grad_fn).startswith("<torch.autograd.function.ScaleAndMulBackward object at 0x")
    assert (s._output_nr, p._output_nr) == (0, 1)
    assert edges(s.grad_fn) == [("AccumulateGrad", 0), (None, 0)]  # tensors only, like torch
    s.sum().backward()  # p gets no gradient: backward sees zeros for it
    assert x.grad.tolist() == [3.0, 3.0]
    assert gradcheck(lambda a, b: ScaleAndMul.apply(a, 2.5, b), (dbl(3), dbl(3)))


def test_wrapped_number_arguments_get_a_constant_edge():
    class ScaleBy(torch.autograd.Function):
        wrapped_number_args = (1,)  # like torch's mul(Tensor, Scalar-as-tensor): (None, 0) for k

        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, g.sum()  # a gradient for the number is dropped (nothing to send it to)

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = ScaleBy.apply(x, 3.0)
    assert edges(y.grad_fn) == [("AccumulateGrad", 0), (None, 0)]
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_function_mark_non_differentiable_and_materialize_grads():
    class SortedWithIndex(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            doubled, tripled = x * 2, x * 3
            ctx.mark_non_differentiable(tripled)
            ctx.set_materialize_grads(False)
            return doubled, tripled

        @staticmethod
        def backward(ctx, g_doubled, g_tripled):
            assert g_tripled is None  # not materialised as zeros
            return g_doubled * 2

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a, b = SortedWithIndex.apply(x)
    assert a.requires_grad and not b.requires_grad and b.grad_fn is None
    (a.sum() + b.sum()).backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_function_returning_its_input_gives_a_view():
    class Identity(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Identity.apply(x)
    assert y is not x and x.is_leaf and y.grad_fn.name() == "IdentityBackward"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_function_mark_dirty():
    class AddOneInPlace(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = AddOneInPlace.apply(y)
    assert z is y and y.grad_fn.name() == "AddOneInPlaceBackward" and y._version == 2  # add_ + mark_dirty
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad has been used in an in-place operation."):
        AddOneInPlace.apply(x)


def test_function_setup_context_style():
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(x, n):
            return x * n

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.n = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.n, None

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x, 5).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]


def test_function_without_grad_records_nothing():
    x = torch.tensor([1.0, 2.0])
    y = ScaleAndMul.apply(x, 2.0, x)[0]
    assert not y.requires_grad and y.grad_fn is None
    with torch.no_grad():
        assert not ScaleAndMul.apply(x.requires_grad_(), 2.0, x)[0].requires_grad


def test_function_saved_output_is_differentiable():
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = dbl(3)
    assert gradcheck(Exp.apply, (x,)) and gradgradcheck(Exp.apply, (x,))


# ---- grad modes ----------------------------------------------------------------------------

def test_grad_mode_context_managers():
    x = torch.ones(1, requires_grad=True)
    assert torch.is_grad_enabled()
    with torch.no_grad():
        assert not torch.is_grad_enabled() and not (x * 2).requires_grad
        with torch.enable_grad():
            assert (x * 2).requires_grad
    with torch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    with torch.inference_mode():
        assert not (x * 2).requires_grad and torch.autograd.grad_mode.is_inference_mode_enabled()
    with torch.inference_mode(False):
        assert torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_set_grad_enabled_as_a_call():
    assert repr(torch.set_grad_enabled(False)) == "torch.autograd.grad_mode.set_grad_enabled(mode=False)"
    try:
        assert not torch.is_grad_enabled()
    finally:
        torch.set_grad_enabled(True)
    assert torch.is_grad_enabled()


def test_grad_mode_decorators():
    x = torch.ones(1, requires_grad=True)

    @torch.no_grad()
    def with_parens(t):
        return t * 2

    @torch.no_grad
    def without_parens(t):
        return t * 2

    @torch.set_grad_enabled(False)
    def switched_off(t):
        return t * 2

    @torch.inference_mode()
    def inference(t):
        return t * 2

    @torch.enable_grad()
    def enabled(t):
        return t * 2

    assert torch.is_grad_enabled()  # decorating switched nothing
    assert not any(f(x).requires_grad for f in (with_parens, without_parens, switched_off, inference))
    with torch.no_grad():
        assert enabled(x).requires_grad
    assert with_parens.__name__ == "with_parens"


def test_grad_mode_decorates_generators():
    @torch.no_grad()
    def gen():
        yield torch.is_grad_enabled()
        yield torch.is_grad_enabled()

    g = gen()
    assert next(g) is False and torch.is_grad_enabled()  # switched only while the generator runs
    assert next(g) is False


# ---- broadcasting, views and in-place writes --------------------------------------------------

def test_broadcasting_is_undone_in_grads():
    x = torch.ones(2, 1, requires_grad=True)
    w = torch.ones(3, requires_grad=True)
    (x * w).sum().backward()
    assert x.grad.shape == x.shape and x.grad.tolist() == [[3.0], [3.0]]
    assert w.grad.shape == w.shape and w.grad.tolist() == [2.0, 2.0, 2.0]
    a, b = dbl(4, 1, 2, 3), dbl(3, 3, 5)
    assert gradcheck(lambda p, q: p @ q, (a, b))
    (a @ b).sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape


def test_mixed_dtypes_get_grads_in_their_own_dtype():
    x = torch.ones(2, requires_grad=True)
    w = torch.ones(2, dtype=torch.float64, requires_grad=True)
    (x * w).sum().backward()
    assert x.grad.dtype == torch.float32 and w.grad.dtype == torch.float64


def test_write_into_a_view_of_a_clone():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[0] = 0
    assert repr(y) == "tensor([0., 2., 3.], grad_fn=<CopySlices>)"
    (y * y).sum().backward()
    assert x.grad.tolist() == [0.0, 4.0, 6.0]


def test_inplace_mul_through_a_view():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[1:].mul_(x[:2])  # y = [x0, x1*x0, x2*x1]
    y.sum().backward()
    assert x.grad.tolist() == [1.0 + 2.0, 1.0 + 3.0, 2.0]  # d/dx0 = 1 + x1, d/dx1 = x0 + x2, d/dx2 = x1
    z = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = z * 1
    w.t()[0].mul_(10)  # the first column
    w.sum().backward()
    assert z.grad.tolist() == [[10.0, 1.0], [10.0, 1.0]]


def test_inplace_ops_on_non_leaves():
    x = dbl(4)
    assert gradcheck(lambda a: (a * 1).exp_(), (x,))
    assert gradcheck(lambda a: (a * 1).sin_().mul_(a), (x,))
    y = x * 1
    y.add_(1)
    assert y.grad_fn.name() == "AddBackward0" and y._version == 1


def test_inplace_op_links_to_the_previous_history():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.exp_()
    assert y.grad_fn.name() == "ExpBackward0" and edges(y.grad_fn) == [("MulBackward0", 0)]


def test_inplace_under_no_grad_on_a_leaf():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 3.0] and x._version == 1 and x.is_leaf


# ---- families of ops: first and second derivatives ---------------------------------------------

@pytest.mark.parametrize("name,fn,shapes", [
    ("pointwise", lambda a, b: (a * b).exp() / (b * b + 1) - a.sin() ** 2, [(2, 3), (3,)]),
    ("reduce", lambda a: a.sum(0) * a.mean(1, keepdim=True) + a.sum(), [(3, 4)]),
    ("matmul", lambda a, b: a @ b, [(2, 3), (3, 4)]),
    ("batched matmul", lambda a, b: a @ b, [(2, 2, 3), (3,)]),
    ("views", lambda a: a.t().permute(1, 0).reshape(-1).unsqueeze(0).expand(2, 12) * a[1].unsqueeze(0).expand(3, 4).reshape(-1), [(3, 4)]),
])
def test_gradcheck_and_gradgradcheck_per_family(name, fn, shapes):
    inputs = tuple(dbl(*s) for s in shapes)
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


def test_second_derivative_through_nested_slices():
    assert gradgradcheck(lambda a: a[1:, ::2] * a[1:, ::2], (dbl(3, 4),))


def test_gradcheck_with_non_contiguous_inputs():
    a = torch.randn(4, 3, dtype=torch.float64).t().requires_grad_()
    b = torch.randn(3, 8, dtype=torch.float64)[:, ::2].requires_grad_()
    assert not a.is_contiguous() and not b.is_contiguous()
    assert gradcheck(lambda p, q: (p * q).sum(1) + (p @ q.t()).mean(), (a, b))
    assert gradgradcheck(lambda p, q: p * q * q, (a, b))


# ---- the engine --------------------------------------------------------------------------------

def test_ten_thousand_op_chain():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert abs(x.grad.item() - 1.0001 ** 10_000) < 1e-3
    del y  # freeing the chain must not recurse either


def test_saved_tensors_are_freed_by_backward():
    x = torch.randn(100, requires_grad=True)
    y = x.exp()
    node = y.grad_fn
    assert node._saved is not None
    y.sum().backward()
    assert node._saved is None
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        node.saved_tensors


def test_memory_does_not_grow_over_a_training_loop():
    w = torch.randn(50, 50, requires_grad=True)
    x = torch.randn(32, 50)

    def step():
        loss = (x @ w).tanh().pow(2).mean()
        loss.backward()
        with torch.no_grad():
            w.sub_(0.01 * w.grad)
        w.grad = None

    for _ in range(3):
        step()
    gc.collect()
    tracemalloc.start()
    try:
        step()
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(30):
            step()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after - before < 50_000  # one step's activations are ~15 kB: nothing is kept


def test_a_graph_makes_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        x = torch.randn(3, requires_grad=True)
        y = (x.exp() * x).sum()
        y.backward()
        del x, y
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_float64_gradients_are_computed_in_float64():
    # a derivative built from python numbers must not go through float32 (0.1 -> 0.10000000149)
    x = torch.tensor([-1.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.leaky_relu(x, 0.1).sum().backward()
    assert x.grad.dtype is torch.float64 and x.grad.tolist() == [0.1, 1.0]
    assert gradgradcheck(lambda t: torch.nn.functional.leaky_relu(t, 0.3) * t, (dbl(4),))


def test_nodes_do_not_share_their_default_fields():
    # Node defaults are class attributes (nodes are made for every op): writing one node's
    # metadata, hooks or retained outputs must not show up on another node
    x = torch.ones(2, requires_grad=True)
    y, z = x * 2, x * 3
    y.grad_fn.metadata["note"] = 1
    y.register_hook(lambda g: g * 10)
    y.grad_fn.register_prehook(lambda grads: None)
    y.retain_grad()
    assert z.grad_fn.metadata == {} and z.grad_fn._tensor_hooks is None and z.grad_fn._pre_hooks is None
    assert z.grad_fn._retained is None
    (y + z).sum().backward()
    assert x.grad.tolist() == [23.0, 23.0] and y.grad.tolist() == [10.0, 10.0]
    assert y.grad_fn._seq < z.grad_fn._seq  # recorded in creation order
