"""gradcheck / gradgradcheck themselves: they pass correct gradients, catch wrong ones, and
behave like torch's (messages, warnings, signature)."""

import inspect

import numpy as np
import pytest

import minitorch as torch
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.autograd.gradcheck import GradcheckError


def dbl(*shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


class WrongGrad(torch.autograd.Function):
    """y = 2x, but backward claims 3."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 3


class WrongSecondGrad(torch.autograd.Function):
    """y = x**2 with a correct first derivative whose own gradient is wrong (detached)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2 * x.detach()


def test_signatures_match_torch():
    params = inspect.signature(gradcheck).parameters
    assert list(params)[:2] == ["func", "inputs"]
    assert params["eps"].default == 1e-6 and params["atol"].default == 1e-5 and params["rtol"].default == 1e-3
    assert params["eps"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["raise_exception"].default is True and params["fast_mode"].default is False
    gg = inspect.signature(gradgradcheck).parameters
    assert list(gg)[:3] == ["func", "inputs", "grad_outputs"]
    assert gg["gen_non_contig_grad_outputs"].default is False


def test_callable_from_the_package():
    assert torch.autograd.gradcheck is gradcheck
    assert issubclass(GradcheckError, RuntimeError)
    assert torch.autograd.gradcheck(torch.sin, (dbl(3),))


def test_passes_on_correct_gradients_with_tuples_and_non_tensor_args():
    a, b = dbl(2, 3), dbl(3)
    assert gradcheck(lambda x, y, k: (x * y * k, (x ** 2).sum()), (a, b, 2.5))
    assert gradcheck(lambda x: x.exp(), a)  # a bare tensor as inputs


def test_inputs_without_requires_grad_are_not_checked():
    a, c = dbl(3), torch.randn(3, dtype=torch.float64)
    assert gradcheck(lambda x, y: x * y, (a, c))


def test_non_contiguous_inputs():
    base = torch.randn(4, 6, dtype=torch.float64)
    x = base.t().detach().requires_grad_()
    y = base.clone()[::2, ::3].detach().requires_grad_()
    assert not x.is_contiguous() and not y.is_contiguous()
    assert gradcheck(lambda p, q: (p.sum(1) * 2, q.sin()), (x, y))
    np.testing.assert_array_equal(x.detach().numpy(), base.t().numpy())  # restored after nudging


def test_catches_wrong_gradient_with_torch_message():
    x = dbl(2, 3)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongGrad.apply, (x,))
    msg = str(info.value)
    assert msg.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[2.0000, 0.0000")
    assert "\nanalytical:tensor([[3., 0., 0., 0., 0., 0.],\n" in msg
    assert msg.endswith("dtype=torch.float64)\n")
    assert gradcheck(WrongGrad.apply, (x,), raise_exception=False) is False


def test_names_the_failing_output_and_input():
    a, b = dbl(2), dbl(2)
    with pytest.raises(GradcheckError, match="output 1 with respect to input 1,"):
        gradcheck(lambda x, y: (x * 2, WrongGrad.apply(y)), (a, b))


def test_warns_for_single_precision_inputs():
    x = torch.randn(3, requires_grad=True)
    with pytest.warns(UserWarning, match=r"Input #0 requires gradient and is not a double precision floating point"):
        assert gradcheck(lambda a: a * 2, (x,), eps=1e-3, atol=1e-2)


def test_errors_for_unusable_inputs():
    with pytest.raises(ValueError, match="gradcheck expects at least one input tensor to require gradient"):
        gradcheck(torch.sin, (torch.randn(3, dtype=torch.float64),))
    expanded = torch.randn(1, dtype=torch.float64).expand(3).requires_grad_()
    with pytest.raises(RuntimeError, match="The 0th input has a dimension with stride 0"):
        gradcheck(torch.sin, (expanded,))


def test_function_not_depending_on_inputs():
    x = dbl(3)
    assert gradcheck(lambda a: a.detach() * 0 + 1, (x,))
    with pytest.raises(GradcheckError, match="Numerical gradient for function expected to be zero"):
        gradcheck(lambda a: a.detach() * 2, (x,))


def test_gradgradcheck_passes_and_catches_wrong_second_derivative():
    x = dbl(2, 3)
    assert gradgradcheck(lambda a: a ** 3, (x,))
    assert gradgradcheck(lambda a: (a @ a.t()).sum(0), (x,), gen_non_contig_grad_outputs=True)
    assert gradgradcheck(lambda a: a.sin(), (x,), grad_outputs=(torch.ones(2, 3, dtype=torch.float64),))
    assert gradcheck(WrongSecondGrad.apply, (x,))
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradgradcheck(WrongSecondGrad.apply, (x,))


def test_zero_dim_and_empty_inputs():
    assert gradcheck(lambda a: a * a, (torch.tensor(1.5, dtype=torch.float64, requires_grad=True),))
    empty = torch.zeros(0, 3, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda a, b: (a.sum(0) * b, a * 2), (empty, dbl(3)))
