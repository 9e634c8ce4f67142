"""View ops: basic indexing, view/reshape, permute/transpose, expand, squeeze/unsqueeze, flatten,
narrow, unfold, diagonal... Each result shares storage with its input; values are checked against
numpy, gradients with gradcheck, errors against torch's messages (printed by PyTorch 2.13)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch as torch
from minitorch.autograd import gradcheck, gradgradcheck


def raises(kind, message):
    """pytest.raises that checks the whole message."""
    return pytest.raises(kind, match="^" + __import__("re").escape(message) + "$")


# ---- strategies: tensors that are not laid out row-major ------------------------------------------

@st.composite
def strided_tensors(draw, max_dims=4):
    """A float64 tensor with a numpy copy of its values, made non-contiguous by a random
    permutation and random slices with steps of a larger contiguous tensor."""
    ndim = draw(st.integers(0, max_dims))
    shape = draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))
    big = [n * draw(st.integers(1, 2)) + draw(st.integers(0, 1)) for n in shape]
    base = torch.arange(float(math.prod(big)), dtype=torch.float64).view(big)
    perm = draw(st.permutations(range(ndim)))
    base = base.permute(*perm)
    index = []
    for d in range(ndim):
        size, full = shape[perm[d]], base.shape[d]
        step = draw(st.integers(1, max(1, full // size)))
        start = draw(st.integers(0, full - (size - 1) * step - 1))
        index.append(slice(start, start + (size - 1) * step + 1, step))
    t = base[tuple(index)]
    return t, t.numpy().copy()


def index_items(shape, draw):
    """A random basic index for ``shape``: ints (also negative), slices with steps, None, ``...``."""
    items, d = [], 0
    while d < len(shape) and draw(st.booleans()):
        kind = draw(st.sampled_from(["int", "slice", "none"]))
        if kind == "int":
            items.append(draw(st.integers(-shape[d], shape[d] - 1)))
            d += 1
        elif kind == "slice":
            start = draw(st.none() | st.integers(-shape[d] - 1, shape[d] + 1))
            stop = draw(st.none() | st.integers(-shape[d] - 1, shape[d] + 1))
            items.append(slice(start, stop, draw(st.none() | st.integers(1, 3))))
            d += 1
        else:
            items.append(None)
    if draw(st.booleans()):  # ``...`` after the items (the dims they address stay the same)
        items.append(Ellipsis)
    return tuple(items)


def shares_storage(a, b):
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def check_grad(fn, *inputs):
    """gradcheck (float64) plus: backward gives every input a gradient of its own shape."""
    assert gradcheck(fn, inputs)
    for x in inputs:
        x.grad = None
    out = fn(*inputs)
    (out if out.dim() == 0 else (out * torch.ones_like(out)).sum()).backward()
    for x in inputs:
        assert x.grad is not None and x.grad.shape == x.shape


def leaf(*shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


def non_contiguous_leaf(*shape):
    """A float64 leaf that is the transpose of a contiguous tensor."""
    return torch.randn(*reversed(shape), dtype=torch.float64).t().requires_grad_() if len(shape) == 2 else \
        torch.randn(*shape[::-1], dtype=torch.float64).permute(*reversed(range(len(shape)))).requires_grad_()


# ---- element access against numpy ---------------------------------------------------------------

@settings(max_examples=50, deadline=None)
@given(strided_tensors())
def test_strided_tensors_read_like_numpy(case):
    t, values = case
    assert t.tolist() == values.tolist() and t.shape == values.shape
    if t.numel():
        flat = [t[idx].item() for idx in np.ndindex(*values.shape)]
        assert flat == values.reshape(-1).tolist()


@settings(max_examples=50, deadline=None)
@given(strided_tensors(), st.data())
def test_basic_indexing_is_a_view_like_numpy(case, data):
    t, values = case
    index = index_items(t.shape, data.draw)
    view = t[index]
    expected = values[index]
    assert view.shape == expected.shape and view.tolist() == expected.tolist()
    assert shares_storage(view, t)
    if view.numel():  # a write through the view is seen by the base
        view.fill_(-7.0)
        values[index] = -7.0
        assert t.tolist() == values.tolist()


@settings(max_examples=40, deadline=None)
@given(strided_tensors(), st.data())
def test_permute_transpose_and_movedim(case, data):
    t, values = case
    perm = data.draw(st.permutations(range(t.dim())))
    assert t.permute(*perm).tolist() == values.transpose(perm).tolist()
    assert t.permute(perm).stride() == tuple(t.stride()[p] for p in perm)
    if t.dim() >= 2:
        d0, d1 = data.draw(st.integers(-t.dim(), t.dim() - 1)), data.draw(st.integers(-t.dim(), t.dim() - 1))
        assert t.transpose(d0, d1).tolist() == np.swapaxes(values, d0, d1).tolist()
        assert t.swapaxes(d0, d1).tolist() == t.swapdims(d0, d1).tolist() == t.transpose(d0, d1).tolist()
        assert t.movedim(d0, d1).tolist() == np.moveaxis(values, d0, d1).tolist()
        assert t.mT.tolist() == np.swapaxes(values, -1, -2).tolist()
    assert t.T.tolist() == values.T.tolist() and shares_storage(t.T, t)


@settings(max_examples=40, deadline=None)
@given(strided_tensors(), st.data())
def test_view_and_reshape_follow_numpy(case, data):
    t, values = case
    n = t.numel()
    shape = data.draw(st.sampled_from([(n,), (1, n), (n, 1), (-1,)] + [(d, n // d) for d in range(1, n + 1) if n % d == 0]))
    expected = values.reshape(shape)
    r = t.reshape(shape)
    assert r.tolist() == expected.tolist() and r.shape == expected.shape
    try:  # numpy reshapes without a copy exactly when torch's view works
        np.reshape(values_view(t), shape, copy=False)
        viewable = True
    except ValueError:
        viewable = False
    if viewable:
        v = t.view(shape)
        assert v.tolist() == expected.tolist() and shares_storage(v, t) and shares_storage(r, t)
    else:
        with pytest.raises(RuntimeError, match=r"view size is not compatible .* Use \.reshape\(\.\.\.\) instead\."):
            t.view(shape)
        assert not shares_storage(r, t) and r.is_contiguous()


def values_view(t):
    """A numpy array with ``t``'s strides (``t.numpy()`` itself)."""
    return t.detach().numpy()


@settings(max_examples=40, deadline=None)
@given(strided_tensors(max_dims=3), st.data())
def test_expand_has_stride_zero(case, data):
    t, values = case
    t1 = t.unsqueeze(0)
    lead = data.draw(st.integers(2, 3))
    sizes = [lead] + [data.draw(st.sampled_from([-1, n])) for n in t.shape]
    e = t1.expand(*sizes)
    assert e.stride()[0] == 0 and shares_storage(e, t)
    assert e.tolist() == np.broadcast_to(values, (lead,) + values.shape).tolist()
    assert t1.expand_as(e).shape == e.shape


@settings(max_examples=40, deadline=None)
@given(strided_tensors(), st.data())
def test_squeeze_unsqueeze_flatten(case, data):
    t, values = case
    d = data.draw(st.integers(-t.dim() - 1, t.dim()))
    u = t.unsqueeze(d)
    assert u.tolist() == np.expand_dims(values, d).tolist() and shares_storage(u, t)
    assert u.squeeze(d).shape == t.shape and u.squeeze().shape == values.squeeze().shape
    assert t.flatten().tolist() == values.reshape(-1).tolist()
    if t.dim() >= 2:
        f = t.flatten(0, 1)
        assert f.tolist() == values.reshape((-1,) + values.shape[2:]).tolist()
        assert f.unflatten(0, values.shape[:2]).tolist() == values.tolist()


def test_ellipsis_and_none():
    x = torch.arange(24).view(2, 3, 4)
    assert x[..., 1].tolist() == np.arange(24).reshape(2, 3, 4)[..., 1].tolist()
    assert x[None, ..., None, 1].shape == (1, 2, 3, 1) and x[1, ..., 2:].shape == (3, 2)
    assert x[...].shape == (2, 3, 4)
    assert torch.tensor(5)[None].shape == (1,) and torch.tensor(5)[...].shape == ()
    assert x[...].grad_fn is None and x[...].data_ptr() == x.data_ptr()


def test_view_ops_on_small_examples():
    x = torch.arange(12).view(3, 4)
    assert x.narrow(1, 1, 2).tolist() == [[1, 2], [5, 6], [9, 10]] and x.narrow(0, -1, 1).tolist() == [[8, 9, 10, 11]]
    assert x.narrow(1, 1, 2).stride() == (4, 1) and x.narrow(1, 1, 2).storage_offset() == 1
    assert x.diagonal().tolist() == [0, 5, 10] and x.diagonal(1).tolist() == [1, 6, 11]
    assert x.diagonal(-1).tolist() == [4, 9] and x.diagonal(5).tolist() == []
    assert torch.arange(24).view(2, 3, 4).diagonal(0, 1, 2).stride() == (12, 5)
    u = torch.arange(10).unfold(0, 3, 2)
    assert u.tolist() == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]] and u.stride() == (2, 1)
    assert x.unfold(1, 2, 1).shape == (3, 3, 2) and x.unfold(1, 2, 1).stride() == (4, 1, 1)
    assert torch.arange(6).view_as(torch.zeros(2, 3)).shape == (2, 3)
    assert torch.arange(24).view(2, 3, 4).movedim((0, 1), (2, 0)).stride() == (4, 1, 12)
    assert x.t().stride() == (1, 4) and torch.arange(4).t().shape == (4,) and torch.tensor(3).t().shape == ()
    assert x.T.stride() == (1, 4) and x.mT.shape == (4, 3) and x.H.shape == (4, 3) and x.mH.shape == (4, 3)
    assert x.adjoint().tolist() == x.t().tolist()
    assert torch.zeros(3, 1, 2, 1).squeeze((1, 3)).shape == (3, 2) and torch.tensor(3).squeeze(0).shape == ()
    assert torch.zeros(2, 3).t().unsqueeze(1).stride() == (1, 6, 3)
    assert [t.tolist() for t in torch.arange(6).view(2, 3).unbind(1)] == [[0, 3], [1, 4], [2, 5]]
    assert [t.shape for t in torch.arange(10).split(4)] == [(4,), (4,), (2,)]
    assert [t.tolist() for t in torch.arange(5).split([2, 3])] == [[0, 1], [2, 3, 4]]
    assert [t.shape for t in torch.arange(10).chunk(3)] == [(4,), (4,), (2,)]
    assert torch.broadcast_shapes((2, 1), (3,)) == (2, 3) and repr(torch.broadcast_shapes()) == "torch.Size([])"
    a, b = torch.broadcast_tensors(torch.zeros(2, 1), torch.zeros(3))
    assert a.shape == b.shape == (2, 3) and b.stride() == (0, 1)
    assert torch.arange(6).as_strided((2, 2), (1, 2), 1).tolist() == [[1, 3], [2, 4]]


def test_empty_views_that_start_past_the_end_of_their_storage():
    x = torch.ones(0, 3, requires_grad=True)
    v = x[:0, 1]
    assert v.storage_offset() == 1 and v.shape == (0,) and v.tolist() == []
    v.sum().backward()
    assert x.grad.shape == (0, 3)
    y = torch.ones(2, 3)[:, 3:]
    assert y.storage_offset() == 3 and y.shape == (2, 0) and y.tolist() == [[], []]
    x = torch.arange(12).view(3, 4)
    assert [x[3:].storage_offset(), x[5:2].storage_offset(), x[:, 10:].storage_offset(), x[1:1].storage_offset(),
            x.narrow(1, 4, 0).storage_offset(), x[:, 2:2:3].storage_offset(), x.diagonal(5).storage_offset()] == [
        12, 12, 4, 4, 4, 2, 0]
    z = torch.ones(0, 4, dtype=torch.float64, requires_grad=True)
    z.split(2, 1)[1].sum().backward()
    assert z.grad.shape == (0, 4)


def test_view_dtype_reads_the_same_bytes():
    x = torch.tensor([1.0, 2.0])
    i = x.view(torch.int32)
    assert i.tolist() == [1065353216, 1073741824] and shares_storage(i, x)
    i[0] = 0
    assert x[0].item() == 0.0
    b = torch.tensor([[1, 2]], dtype=torch.int16).view(torch.uint8)
    assert b.shape == (1, 4) and b.tolist() == [[1, 0, 2, 0]]
    assert torch.arange(4, dtype=torch.uint8).view(torch.int16).tolist() == [256, 770]
    with raises(RuntimeError, "self.stride(-1) must be 1 to view Float as Double (different element sizes), but got 4"):
        torch.zeros(2, 4).t().view(torch.float64)
    with raises(RuntimeError, "self.storage_offset() must be divisible by 2 to view Float as Double (different "
                              "element sizes), but got 1"):
        torch.zeros(4, 6)[:, 1:5].view(torch.float64)
    assert torch.zeros(4, 6)[1:].view(torch.float64).stride() == (3, 1)
    assert torch.zeros(4, 6)[:, 2:].view(torch.float64).storage_offset() == 1
    with raises(RuntimeError, "self.size(-1) must be divisible by 2 to view Byte as Short (different element sizes), "
                              "but got 3"):
        torch.zeros(3, dtype=torch.uint8).view(torch.int16)
    with raises(RuntimeError, "self.dim() cannot be 0 to view Float as Double (different element sizes)"):
        torch.tensor(1.0).view(torch.float64)


def test_lecture_view_error():
    x = torch.arange(4 * 10 * 2).view(4, 10, 2)
    y = x.permute(2, 0, 1)
    assert x.is_contiguous() and not y.is_contiguous()
    with raises(RuntimeError, "view size is not compatible with input tensor's size and stride (at least one dimension "
                              "spans across two contiguous subspaces). Use .reshape(...) instead."):
        y.view(-1)
    assert y.reshape(-1)[:4].tolist() == [0, 2, 4, 6] and y.contiguous().view(-1)[:4].tolist() == [0, 2, 4, 6]


@pytest.mark.parametrize("make,kind,message", [
    (lambda: torch.arange(24).view(2, 3, 4)[1, 2, 3, 4], IndexError, "too many indices for tensor of dimension 3"),
    (lambda: torch.arange(24).view(2, 3, 4)[5], IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    (lambda: torch.arange(24).view(2, 3, 4)[:, -4], IndexError, "index -4 is out of bounds for dimension 1 with size 3"),
    (lambda: torch.tensor(5)[0], IndexError, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"),
    (lambda: torch.arange(10)[::0], ValueError, "slice step cannot be zero"),
    (lambda: torch.arange(10)[::-1], ValueError, "step must be greater than zero"),
    (lambda: torch.arange(10)[2.5], IndexError, "only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                                                "Variables are valid indices (got float)"),
    (lambda: torch.arange(6).view(4, 2), RuntimeError, "shape '[4, 2]' is invalid for input of size 6"),
    (lambda: torch.arange(6).view(-1, -1), RuntimeError, "only one dimension can be inferred"),
    (lambda: torch.arange(6).view(-2, 3), RuntimeError, "invalid shape dimension -2 at index 0 of shape [-2, 3]"),
    (lambda: torch.zeros(0, 3).view(-1, 0), RuntimeError, "cannot reshape tensor of 0 elements into shape [-1, 0] "
                                                          "because the unspecified dimension size -1 can be any value "
                                                          "and is ambiguous"),
    (lambda: torch.zeros(2, 3, 4).permute(0, 1, 1), RuntimeError, "permute(): duplicate dims are not allowed."),
    (lambda: torch.zeros(2, 3, 4).permute(0, 1), RuntimeError,
     "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired "
     "ordering of dimensions i.e. input.dim() = 3 is not equal to len(dims) = 2"),
    (lambda: torch.zeros(2, 3, 4).permute(0, 1, 3), IndexError,
     "Dimension out of range (expected to be in range of [-3, 2], but got 3)"),
    (lambda: torch.zeros(2, 3, 4).transpose(0, 3), IndexError,
     "Dimension out of range (expected to be in range of [-3, 2], but got 3)"),
    (lambda: torch.zeros(2, 3, 4).t(), RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is 3D"),
    (lambda: torch.zeros(4).mT, RuntimeError, "tensor.mT is only supported on matrices or batches of matrices. "
                                              "Got 1-D tensor."),
    (lambda: torch.zeros(2, 2, 2).H, RuntimeError, "tensor.H is only supported on matrices (2-D tensors). "
                                                   "Got 3-D tensor."),
    (lambda: torch.arange(3).view(3, 1).expand(4), RuntimeError,
     "expand(torch.LongTensor{[3, 1]}, size=[4]): the number of sizes provided (1) must be greater or equal to "
     "the number of dimensions in the tensor (2)"),
    (lambda: torch.arange(3).view(3, 1).expand(4, 4), RuntimeError,
     "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  "
     "Target sizes: [4, 4].  Tensor sizes: [3, 1]"),
    (lambda: torch.arange(3).view(3, 1).expand(-1, 3, 4), RuntimeError,
     "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0"),
    (lambda: torch.zeros(3, 1, 2, 1).squeeze(4), IndexError,
     "Dimension out of range (expected to be in range of [-4, 3], but got 4)"),
    (lambda: torch.zeros(2, 3).unsqueeze(3), IndexError,
     "Dimension out of range (expected to be in range of [-3, 2], but got 3)"),
    (lambda: torch.zeros(2, 3, 4).flatten(2, 1), RuntimeError,
     "flatten() has invalid args: start_dim cannot come after end_dim"),
    (lambda: torch.zeros(2, 12).unflatten(1, (5, -1)), RuntimeError,
     "unflatten: Provided sizes [5, -1] don't multiply up to the size of dim 1 (12) in the input tensor"),
    (lambda: torch.arange(10).narrow(0, 8, 3), RuntimeError, "start (8) + length (3) exceeds dimension size (10)."),
    (lambda: torch.arange(10).unfold(0, 11, 1), RuntimeError, "maximum size for tensor at dimension 0 is 10 but size is 11"),
    (lambda: torch.arange(10).unfold(0, 3, 0), RuntimeError, "step is 0 but must be > 0"),
    (lambda: torch.arange(12).view(3, 4).diagonal(0, 0, 0), RuntimeError, "diagonal dimensions cannot be identical 0, 0"),
    (lambda: torch.zeros(2, 3, 4).movedim((0, 0), (1, 2)), RuntimeError, "movedim: repeated dim in `source` ([0, 0])"),
    (lambda: torch.broadcast_shapes((2, 3), (3, 2)), RuntimeError,
     "Attempting to broadcast a dimension of length 2 at -1! Mismatching argument at index 1 had (3, 2); but expected "
     "shape should be broadcastable to [2, 3]"),
])
def test_view_errors(make, kind, message):
    with raises(kind, message):
        make()


def test_wrong_argument_types_are_type_errors():
    x = torch.ones(2, 3)
    for bad in (lambda: x.unsqueeze(1.5), lambda: x.flatten(0.5), lambda: x.transpose(0, "a"), lambda: x.squeeze("a"),
                lambda: x.view(2.5), lambda: x.permute(0.5, 1), lambda: x.expand(2.5), lambda: x.narrow(0, 0.5, 1)):
        with pytest.raises(TypeError):
            bad()
    with raises(TypeError, "permute(): argument 'dims' (position 1) must be tuple of ints, not float"):
        torch.ones(2).permute(0.5)
    assert x.unsqueeze(np.int64(0)).shape == (1, 2, 3)  # numpy integers are fine


# ---- gradients ------------------------------------------------------------------------------------

VIEW_FUNCTIONS = {
    "index": lambda x: x[1:, ::2, None, ..., -1],
    "select": lambda x: x[1],
    "view": lambda x: x.contiguous().view(-1, 2),
    "reshape": lambda x: x.reshape(2, -1),
    "permute": lambda x: x.permute(2, 0, 1),
    "transpose": lambda x: x.transpose(0, 2),
    "T": lambda x: x.T,
    "mT": lambda x: x.mT,
    "expand": lambda x: x[:, :1].expand(2, 3, 3, 4),
    "squeeze": lambda x: x[:, :1].squeeze(1),
    "unsqueeze": lambda x: x.unsqueeze(-1),
    "flatten": lambda x: x.flatten(1),
    "unflatten": lambda x: x.unflatten(2, (2, 2)),
    "narrow": lambda x: x.narrow(2, 1, 2),
    "unfold": lambda x: x.unfold(2, 2, 1),  # overlapping windows: their gradients add up
    "diagonal": lambda x: x.diagonal(0, 1, 2),
    "movedim": lambda x: x.movedim(0, -1),
    "as_strided": lambda x: x.contiguous().as_strided((2, 2), (1, 3), 1),
    "unbind": lambda x: x.unbind(1)[2] * 2 + x.unbind(1)[0],
    "split": lambda x: x.split([1, 2], dim=1)[1],
    "chunk": lambda x: x.chunk(2, dim=2)[1],
}


@pytest.mark.parametrize("name", VIEW_FUNCTIONS)
@pytest.mark.parametrize("layout", ["contiguous", "permuted"])
def test_view_gradients(name, layout):
    fn = VIEW_FUNCTIONS[name]
    x = leaf(3, 3, 4) if layout == "contiguous" else non_contiguous_leaf(3, 3, 4)
    check_grad(fn, x)


def test_t_and_2d_views_gradients():
    check_grad(lambda x: x.t() * torch.arange(3.0, dtype=torch.float64), non_contiguous_leaf(3, 3))
    check_grad(lambda x: x.t(), leaf(4))
    check_grad(lambda x: x.view(torch.Size([2, 2])), leaf(4))
    check_grad(lambda x: x[::2] * x[1::2], leaf(6))


def test_second_derivatives_through_views():
    assert gradgradcheck(lambda a: a[1:, ::2] * a[1:, ::2], (leaf(3, 4),))
    assert gradgradcheck(lambda a: a.t().reshape(-1).unsqueeze(0).expand(2, 12) ** 2, (leaf(3, 4),))


def test_grad_fn_names_match_torch():
    x = torch.tensor([[1.0, 2.0]], requires_grad=True)
    names = {
        "t": x.t(), "T": x.T, "mT": x.mT, "diagonal": x.diagonal(), "expand": x.expand(3, 2),
        "squeeze(0)": x.squeeze(0), "squeeze()": x.squeeze(), "squeeze((0,))": x.squeeze((0,)), "x[0]": x[0],
        "x[:, 1:]": x[:, 1:], "view": x.view(-1), "reshape": x.reshape(-1), "flatten": x.flatten(),
        "unflatten": x.unflatten(1, (2, 1)), "movedim": x.movedim(0, 1), "swapaxes": x.swapaxes(0, 1),
        "permute": x.permute(1, 0), "unsqueeze": x.unsqueeze(0), "x[None]": x[None], "unbind": x.unbind()[0],
        "t of 1-D": x[0].t(),
    }
    expected = {
        "t": "TBackward0", "T": "PermuteBackward0", "mT": "TransposeBackward0", "diagonal": "DiagonalBackward0",
        "expand": "ExpandBackward0", "squeeze(0)": "SqueezeBackward1", "squeeze()": "SqueezeBackward0",
        "squeeze((0,))": "SqueezeBackward2", "x[0]": "SelectBackward0", "x[:, 1:]": "SliceBackward0",
        "view": "ViewBackward0", "reshape": "ViewBackward0", "flatten": "ViewBackward0",
        "unflatten": "ViewBackward0", "movedim": "PermuteBackward0", "swapaxes": "TransposeBackward0",
        "permute": "PermuteBackward0", "unsqueeze": "UnsqueezeBackward0", "x[None]": "UnsqueezeBackward0",
        "unbind": "UnbindBackward0", "t of 1-D": "TBackward0",
    }
    assert {k: v.grad_fn.name() for k, v in names.items()} == expected


@pytest.mark.cuda
def test_views_on_cuda_share_storage():
    x = torch.arange(24.0, device="cuda").view(2, 3, 4)
    v = x.permute(2, 0, 1)[1:, :, ::2]
    assert v.is_cuda and v.stride() == (1, 12, 8) and v.storage_offset() == 1
    assert v.tolist() == x.cpu().permute(2, 0, 1)[1:, :, ::2].tolist()
    v[0, 0, 0] = -1
    assert x[0, 0, 1].item() == -1 and x.data_ptr() != 0
    with pytest.raises(RuntimeError, match="Use .reshape"):
        x.permute(2, 0, 1).view(-1)
    assert x.permute(2, 0, 1).reshape(-1).is_contiguous()
    assert x.view(torch.int32).is_cuda and x.unsqueeze(1).expand(2, 5, 3, 4).stride() == (12, 0, 4, 1)
    leaf = torch.randn(3, 4, dtype=torch.float64, device="cuda", requires_grad=True)
    assert gradcheck(lambda a: a.t()[1:, ::2].unsqueeze(0).expand(2, 3, 2) * a[0, :2], (leaf,))


@pytest.mark.cuda
def test_empty_views_on_cuda():
    x = torch.ones(0, 3, device="cuda", requires_grad=True)
    x[:0, 1].sum().backward()
    assert x.grad.shape == (0, 3) and x.grad.is_cuda
    y = torch.ones(2, 3, device="cuda")[:, 3:]
    assert y.storage_offset() == 3 and y.tolist() == [[], []]


@pytest.mark.parametrize("index, node", [  # torch 2.13's grad_fn names for basic indexing
    (slice(None), "SliceBackward0"), (slice(0, 3), "SliceBackward0"), (slice(-5, None), "SliceBackward0"),
    ((slice(None), slice(None)), "AliasBackward0"), (Ellipsis, "AliasBackward0"), ((), "AliasBackward0"),
    ((slice(None), Ellipsis), "AliasBackward0"), ((slice(1, None), slice(None)), "SliceBackward0"),
    ((slice(None), 0), "SelectBackward0"), (None, "UnsqueezeBackward0"),
])
def test_basic_indexing_nodes(index, node):
    """A lone slice is always sliced (even ``x[:]``); a tuple selecting everything is an alias."""
    x = torch.randn(3, 4, requires_grad=True) * 1
    assert x[index].grad_fn.name() == node


@pytest.mark.parametrize("make, node", [  # torch 2.13's names for reshape's three cases
    (lambda x: x.reshape(-1), "ViewBackward0"), (lambda x: x.flatten(), "ViewBackward0"),
    (lambda x: x[..., :1].reshape(-1), "ReshapeAliasBackward0"), (lambda x: x[..., :1].flatten(0, 1), "ReshapeAliasBackward0"),
    (lambda x: x[::2].reshape(2, 9), "ReshapeAliasBackward0"), (lambda x: x[..., :1].view(-1), "ViewBackward0"),
    (lambda x: x[0].t().reshape(-1), "UnsafeViewBackward0"),
])
def test_reshape_nodes(make, node):
    x = torch.randn(4, 3, 3, requires_grad=True) * 1
    y = make(x)
    assert y.grad_fn.name() == node
    y.sum().backward()  # every case still backpropagates
