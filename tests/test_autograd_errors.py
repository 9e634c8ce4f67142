"""Autograd's errors and warnings, with torch's types and messages: the version counter,
in-place ops on leaves, freed graphs, custom Functions that return the wrong gradients,
and anomaly detection."""

import re
import warnings

import numpy as np
import pytest

import minitorch as torch

MODIFIED = "one of the variables needed for gradient computation has been modified by an inplace operation: "
HINT = ("Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
        "with torch.autograd.set_detect_anomaly(True, check_nan=False).")


def raises_exactly(message):
    return pytest.raises(RuntimeError, match="^" + re.escape(message) + "$")


# ---- the version counter ---------------------------------------------------------------------

def test_inplace_ops_bump_the_version_shared_by_views():
    x = torch.zeros(4)
    v = x[1:]
    assert x._version == 0
    x.add_(1)
    v.mul_(2)
    v[0] = 5
    assert x._version == v._version == 3


def test_modified_saved_input():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y * y  # saves y at version 0
    y.add_(1)
    with raises_exactly(MODIFIED + "[torch.FloatTensor [2]], which is output 0 of Add, is at version 1; "
                        "expected version 0 instead. " + HINT):
        z.sum().backward()


def test_modified_saved_output():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # saves its output
    z = y.sum()
    y.add_(1)
    with raises_exactly(MODIFIED + "[torch.FloatTensor [2]], which is output 0 of Exp, is at version 1; "
                        "expected version 0 instead. " + HINT):
        z.backward()


def test_modified_saved_leaf():
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    z = (x * x).sum()
    with torch.no_grad():
        x.mul_(2)
    with raises_exactly(MODIFIED + "[torch.DoubleTensor [2]] is at version 1; expected version 0 instead. " + HINT):
        z.backward()


def test_modified_tensor_saved_by_a_custom_function():
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = Square.apply(h)
    h.mul_(2)
    with pytest.raises(RuntimeError, match=re.escape("which is output 0 of Mul, is at version 1; expected version 0")):
        y.sum().backward()


def test_modification_that_nobody_saved_is_fine():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y + 1  # Add saves nothing
    y.mul_(3)
    (z.sum() + y.sum()).backward()
    assert x.grad.tolist() == [4.0, 4.0]


def test_inplace_op_saving_its_input_keeps_the_old_value():
    x = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
    y = x * 1
    y.sin_()  # sin' needs the value before the write
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.cos([0.5, 1.5]))


def test_modified_output_of_an_inplace_op():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.exp_()  # ExpBackward0 saves y itself (as in torch)
    y.mul_(2)
    with pytest.raises(RuntimeError, match=re.escape("which is output 0 of Exp, is at version 2; expected version 1")):
        y.sum().backward()


def test_scaling_by_a_number_saves_nothing():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y * 3
    y.add_(1)
    z.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


# ---- in-place on leaves ------------------------------------------------------------------------

def test_inplace_on_a_leaf_that_requires_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises_exactly("a leaf Variable that requires grad is being used in an in-place operation."):
        x.add_(1)
    with raises_exactly("a view of a leaf Variable that requires grad is being used in an in-place operation."):
        x[0] = 5


# ---- backward misuse ---------------------------------------------------------------------------

def test_second_backward_message():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp()).sum()
    y.backward()
    with raises_exactly(
            "Trying to backward through the graph a second time (or directly access saved tensors after they have "
            "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
            "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
            "if you need to access saved tensors after calling backward."):
        y.backward()


def test_non_scalar_and_integer_outputs():
    x = torch.ones(2, 2, requires_grad=True)
    with raises_exactly("grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    with raises_exactly("only Tensors of floating point dtype can require gradients"):
        torch.tensor([1, 2]).requires_grad_()


def test_integer_tensor_created_with_requires_grad():
    # torch 2.13's factory functions say "Only", the attribute setter "only" (every time).
    for _ in range(2):
        with raises_exactly("Only Tensors of floating point and complex dtype can require gradients"):
            torch.tensor([1, 2], requires_grad=True)
        with raises_exactly("only Tensors of floating point and complex dtype can require gradients"):
            torch.tensor([1, 2]).requires_grad = True


def test_numpy_of_a_tensor_that_requires_grad():
    with raises_exactly("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."):
        torch.ones(2, requires_grad=True).numpy()
    assert torch.ones(2, requires_grad=True).detach().numpy().tolist() == [1.0, 1.0]


def test_grad_of_non_leaf_warning_text():
    y = torch.ones(2, requires_grad=True) * 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert y.grad is None
    assert len(caught) == 1 and str(caught[0].message).startswith(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
        "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf "
        "Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
        "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information.")


# ---- assigning .grad / .data, detach_ ------------------------------------------------------------

GRAD_DTYPE = ("attempting to assign a gradient with dtype '{}' to a tensor with grad_dtype '{}'. The gradient must "
              "match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype "
              "attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the "
              "dtypes of a tensor and its gradient may break downstream systems that assume they match.")


def test_assigning_grad_checks_type_dtype_then_size():
    x = torch.ones(3, requires_grad=True)
    with pytest.raises(TypeError, match="^assigned grad expected to be a Tensor or None but got grad of type list$"):
        x.grad = [1.0, 2.0, 3.0]
    with raises_exactly(GRAD_DTYPE.format("double", "Float")):
        x.grad = torch.ones(2, dtype=torch.float64)  # the dtype is checked before the size
    with raises_exactly(GRAD_DTYPE.format("long int", "Float")):
        x.grad = torch.ones(3, dtype=torch.int64)
    with raises_exactly(GRAD_DTYPE.format("c10::Half", "Double")):
        torch.ones(3, dtype=torch.float64).grad = torch.ones(3, dtype=torch.float16)
    with raises_exactly("attempting to assign a gradient of size '[2, 2]' to a tensor of size '[3]'. Please ensure "
                        "that the gradient and the tensor are the same size"):
        x.grad = torch.ones(2, 2)
    x.grad = torch.ones(3).requires_grad_()  # any float tensor of the right size, even one that requires grad
    x.grad = None
    assert x.grad is None


def test_assigning_data():
    with pytest.raises(TypeError, match="^Variable data has to be a tensor, but got list$"):
        torch.ones(3).data = [1, 2]
    with raises_exactly("data set to a tensor that requires gradients must be floating point or complex dtype"):
        torch.ones(3, requires_grad=True).data = torch.tensor([1, 2])
    x = torch.ones(3)
    x.data = torch.tensor([1, 2])  # without requires_grad any dtype goes
    assert x.dtype == torch.int64 and x.tolist() == [1, 2]


def test_detach_in_place_refuses_views():
    message = ("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for "
               "training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence "
               "detach_() cannot be called on these gradients. To fix this error, please refer to the "
               "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
    with raises_exactly(message):
        torch.ones(3, requires_grad=True)[1:].detach_()
    with raises_exactly(message):
        torch.ones(3).view(3).detach_()
    y = torch.ones(3, requires_grad=True) * 2
    assert y.detach_() is y and y.is_leaf and not y.requires_grad
    assert torch.ones(3).detach().detach_().tolist() == [1.0, 1.0, 1.0]  # detach() is not a view


def test_output_nr():
    x = torch.ones(2, 3, requires_grad=True)
    values, indices = x.max(0)
    assert (x.output_nr, values.output_nr, indices.output_nr) == (0, 0, 0)
    a, b = x.unbind(0)
    assert (a.output_nr, b.output_nr) == (0, 1)


@pytest.mark.filterwarnings("ignore:Using backward")
def test_scalar_grad_accumulates_after_create_graph():
    # 0-d results of numpy are read-only scalars: .grad must still be a writable tensor
    x = torch.tensor(2.0, requires_grad=True)
    (x * x).backward(create_graph=True)
    (x * x).backward()
    assert x.grad.item() == 8.0
    s = torch.tensor([1.0, 2.0]).sum()
    s.add_(1)
    s[...] = 5
    assert s.item() == 5.0


# ---- custom Functions that break the contract -----------------------------------------------------

def make_function(backward, forward=lambda ctx, x, *rest: x * 2):
    return type("F", (torch.autograd.Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def test_function_returning_too_few_or_too_many_grads():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises_exactly("function FBackward returned an incorrect number of gradients (expected 2, got 1)"):
        make_function(lambda ctx, g: g).apply(x, 2).sum().backward()
    with raises_exactly("function FBackward returned an incorrect number of gradients (expected 1, got 2)"):
        make_function(lambda ctx, g: (g, g)).apply(x).sum().backward()
    make_function(lambda ctx, g: (g, None, None)).apply(x).sum().backward()  # extra Nones are fine
    assert x.grad.tolist() == [1.0, 1.0]


def test_function_returning_a_grad_for_a_number():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises_exactly("function FBackward returned a gradient different than None at position 2, but the "
                        "corresponding forward input was not a Variable"):
        make_function(lambda ctx, g: (g, g)).apply(x, 2).sum().backward()


def test_function_returning_a_non_tensor_or_a_wrong_shape():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises_exactly("expected Variable or None (got int)"):
        make_function(lambda ctx, g: 3).apply(x).sum().backward()
    with raises_exactly("Function FBackward returned an invalid gradient at index 0 - got [] but expected shape "
                        "compatible with [2]"):
        make_function(lambda ctx, g: g.sum()).apply(x).sum().backward()
    make_function(lambda ctx, g: torch.ones(3, 2)).apply(x).sum().backward()  # broadcastable: summed
    assert x.grad.tolist() == [3.0, 3.0]


def test_save_for_backward_only_takes_tensors():
    def forward(ctx, x):
        ctx.save_for_backward(x, 3)
        return x * 2

    with pytest.raises(TypeError, match="^save_for_backward can only save variables, but argument 1 is of type int$"):
        make_function(lambda ctx, g: g, forward).apply(torch.ones(1, requires_grad=True))


def test_backward_not_implemented():
    class NoBackward(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    with pytest.raises(NotImplementedError, match="You must implement either the backward or vjp method"):
        NoBackward.apply(torch.ones(1, requires_grad=True)).backward()


# ---- anomaly detection ---------------------------------------------------------------------------

def test_anomaly_switches():
    assert not torch.autograd.is_anomaly_enabled()
    with pytest.warns(UserWarning, match="^Anomaly Detection has been enabled. This mode will increase the runtime "
                                         "and should only be enabled for debugging.$"):
        with torch.autograd.detect_anomaly():
            assert torch.autograd.is_anomaly_enabled() and torch.autograd.is_anomaly_check_nan_enabled()
    assert not torch.autograd.is_anomaly_enabled()
    with torch.autograd.set_detect_anomaly(True, check_nan=False):
        assert torch.autograd.is_anomaly_enabled() and not torch.autograd.is_anomaly_check_nan_enabled()
    assert not torch.autograd.is_anomaly_enabled() and torch.autograd.is_anomaly_check_nan_enabled()
    torch.autograd.set_detect_anomaly(True)  # a plain call takes effect at once
    try:
        assert torch.autograd.is_anomaly_enabled()
    finally:
        torch.autograd.set_detect_anomaly(False)


def test_anomaly_names_the_forward_op_that_made_nan():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    with np.errstate(all="ignore"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with torch.autograd.set_detect_anomaly(True):
            y = x / x  # the forward call the warning must show
            with raises_exactly("Function 'DivBackward0' returned nan values in its 1th output."):
                y.sum().backward()
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(messages) == 1
    assert messages[0].startswith("Error detected in DivBackward0. Traceback of forward call that caused the error:\n")
    assert "y = x / x" in messages[0] and "test_autograd_errors.py" in messages[0]
    assert "minitorch" not in messages[0].replace("test_autograd_errors", "")  # only the user's frames


def test_without_anomaly_nan_passes_silently():
    x = torch.tensor([0.0], requires_grad=True)
    with np.errstate(all="ignore"):
        (x.sqrt() * 0).sum().backward()
    assert np.isnan(x.grad.item())


def test_anomaly_reports_errors_raised_in_backward():
    def boom(ctx, g):
        raise ValueError("boom")

    with torch.autograd.set_detect_anomaly(True):
        y = make_function(boom).apply(torch.ones(1, requires_grad=True))
        with pytest.warns(UserWarning, match="Error detected in FBackward. Traceback of forward call"):
            with pytest.raises(ValueError, match="boom"):
                y.backward()


def test_anomaly_changes_the_version_hint():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.autograd.set_detect_anomaly(True):
        y = x.exp()
        y.add_(1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(RuntimeError, match=re.escape(
                    "Hint: the backtrace further above shows the operation that failed to compute its gradient. "
                    "The variable in question was changed in there or anywhere later. Good luck!")):
                y.sum().backward()
