"""Conv2d, pooling and padding: the im2col kernels against direct numpy loops (hypothesis over
stride / padding / dilation / groups / ceil_mode), gradients by gradcheck and gradgradcheck,
torch's reprs, default initialisation and errors."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minitorch as torch
from minitorch import nn
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck

nan, inf = math.nan, math.inf


def dbl(array, requires_grad=True):
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def noncontig_nchw(x):
    """The same values as a channels-last (non-contiguous) float64 leaf."""
    t = torch.tensor(np.ascontiguousarray(x.transpose(0, 2, 3, 1))).permute(0, 3, 1, 2)
    assert not t.is_contiguous()
    return t.requires_grad_()


# ---- numpy references: loops over kernel offsets or output pixels (test code only) -------------------

def out_len(size, k, s, p, d, ceil_mode=False):
    span = size + 2 * p - d * (k - 1) - 1
    n = (math.ceil(span / s) if ceil_mode else span // s) + 1
    return n - 1 if ceil_mode and (n - 1) * s >= size + p else n


def conv_reference(x, w, b, stride, padding, dilation, groups):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh, ow = out_len(h, kh, stride[0], padding[0], dilation[0]), out_len(wd, kw, stride[1], padding[1], dilation[1])
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    y = np.zeros((n, o, oh, ow))
    og = o // groups
    for g, i, j in itertools.product(range(groups), range(kh), range(kw)):
        top, left = i * dilation[0], j * dilation[1]
        patch = xp[:, g * cg:(g + 1) * cg, top:top + stride[0] * (oh - 1) + 1:stride[0],
                   left:left + stride[1] * (ow - 1) + 1:stride[1]]
        y[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch, w[g * og:(g + 1) * og, :, i, j])
    return y if b is None else y + b.reshape(1, -1, 1, 1)


def conv_grads_reference(x, w, gy, stride, padding, dilation, groups):
    """d(sum(y * gy))/dx and /dw of ``conv_reference``, by the same loops over kernel offsets."""
    oh, ow = gy.shape[2:]
    cg, og = w.shape[1], w.shape[0] // groups
    gx = np.zeros((x.shape[0], x.shape[1], x.shape[2] + 2 * padding[0] + stride[0], x.shape[3] + 2 * padding[1] + stride[1]))
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0], padding[0] + stride[0]), (padding[1], padding[1] + stride[1])))
    gw = np.zeros(w.shape)
    for g, i, j in itertools.product(range(groups), range(w.shape[2]), range(w.shape[3])):
        at = (slice(None), slice(g * cg, (g + 1) * cg), slice(i * dilation[0], i * dilation[0] + stride[0] * oh, stride[0]),
              slice(j * dilation[1], j * dilation[1] + stride[1] * ow, stride[1]))
        gy_g = gy[:, g * og:(g + 1) * og]
        gw[g * og:(g + 1) * og, :, i, j] = np.einsum("nchw,nohw->oc", xp[at], gy_g)
        gx[at] += np.einsum("nohw,oc->nchw", gy_g, w[g * og:(g + 1) * og, :, i, j])
    return gx[:, :, padding[0]:padding[0] + x.shape[2], padding[1]:padding[1] + x.shape[3]], gw


def pool_reference(x, kernel, stride, padding, dilation, ceil_mode, kind, count_include_pad=True):
    """torch's documented window rules, one output pixel at a time."""
    n, c, h, w = x.shape
    oh = out_len(h, kernel[0], stride[0], padding[0], dilation[0], ceil_mode)
    ow = out_len(w, kernel[1], stride[1], padding[1], dilation[1], ceil_mode)
    y = np.zeros((n, c, oh, ow))
    for r, q in itertools.product(range(oh), range(ow)):
        rows = [r * stride[0] - padding[0] + i * dilation[0] for i in range(kernel[0])]
        cols = [q * stride[1] - padding[1] + j * dilation[1] for j in range(kernel[1])]
        rows_in, cols_in = [i for i in rows if 0 <= i < h], [j for j in cols if 0 <= j < w]
        window = x[:, :, rows_in][:, :, :, cols_in]
        if kind == "max":
            y[:, :, r, q] = window.max(axis=(2, 3))
        elif kind == "sum":
            y[:, :, r, q] = window.sum(axis=(2, 3))
        else:
            if count_include_pad:  # padding counts, the ceil_mode overhang does not
                count = (min(rows[-1] + 1, h + padding[0]) - rows[0]) * (min(cols[-1] + 1, w + padding[1]) - cols[0])
            else:
                count = len(rows_in) * len(cols_in)
            y[:, :, r, q] = window.sum(axis=(2, 3)) / count
    return y


def max_index_reference(x, kernel, stride, padding, dilation, ceil_mode):
    """torch's CPU scan of each window, one output pixel at a time: start at the window's first real
    cell, then move to every later real cell that is larger than the best so far, or NaN."""
    n, c, h, w = x.shape
    oh = out_len(h, kernel[0], stride[0], padding[0], dilation[0], ceil_mode)
    ow = out_len(w, kernel[1], stride[1], padding[1], dilation[1], ceil_mode)
    indices = np.zeros((n, c, oh, ow), dtype=np.int64)
    for b, ch, r, q in itertools.product(range(n), range(c), range(oh), range(ow)):
        rows = [r * stride[0] - padding[0] + i * dilation[0] for i in range(kernel[0])]
        cols = [q * stride[1] - padding[1] + j * dilation[1] for j in range(kernel[1])]
        cells = [(i, j) for i in rows if 0 <= i < h for j in cols if 0 <= j < w]
        best, value = cells[0][0] * w + cells[0][1], -np.inf
        for i, j in cells:
            if x[b, ch, i, j] > value or np.isnan(x[b, ch, i, j]):
                best, value = i * w + j, x[b, ch, i, j]
        indices[b, ch, r, q] = best
    return indices


@st.composite
def conv_cases(draw):
    groups = draw(st.sampled_from([1, 2]))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3))), (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    h = draw(st.integers(max(1, dilation[0] * (k[0] - 1) + 1 - 2 * padding[0]), 7))
    w = draw(st.integers(max(1, dilation[1] * (k[1] - 1) + 1 - 2 * padding[1]), 7))
    return (draw(st.integers(1, 2)), c, h, w), (o, c // groups) + k, stride, padding, dilation, groups


@settings(max_examples=40, deadline=None)
@given(case=conv_cases(), seed=st.integers(0, 2 ** 16))
def test_conv2d_matches_numpy_loops(case, seed):
    x_shape, w_shape, stride, padding, dilation, groups = case
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    y = F.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride, padding, dilation, groups)
    assert np.allclose(y.numpy(), conv_reference(x, w, b, stride, padding, dilation, groups))
    assert y.is_contiguous()
    y32 = F.conv2d(torch.tensor(x, dtype=torch.float32), torch.tensor(w, dtype=torch.float32), None, stride, padding,
                   dilation, groups)
    assert y32.dtype == torch.float32 and np.allclose(y32.numpy(), conv_reference(x, w, None, stride, padding,
                                                                                  dilation, groups), atol=1e-4)


@settings(max_examples=40, deadline=None)
@given(case=conv_cases(), block_bytes=st.sampled_from([1, 300, 3000, 2 << 20]), same=st.booleans(),
       seed=st.integers(0, 2 ** 16))
def test_conv2d_blocks_and_both_input_gradients_match_numpy_loops(case, block_bytes, same, seed):
    """The kernels compute a block of output rows at a time (one row, a few images, the whole batch)
    and the input gradient by col2im or, for 'same' stride-1 convolutions, by a convolution with the
    flipped kernel (``same`` draws such a case): every way gives the loops' values."""
    x_shape, w_shape, stride, padding, dilation, groups = case
    if same:  # stride 1, output as large as the input, no more output than input channels
        kernel = (w_shape[2] // 2 * 2 + 1, w_shape[3] // 2 * 2 + 1)  # odd sizes
        stride, padding = (1, 1), (dilation[0] * (kernel[0] // 2), dilation[1] * (kernel[1] // 2))
        w_shape = (groups * min(w_shape[0] // groups, w_shape[1]), w_shape[1]) + kernel
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    kernels = torch.backends.cpu.kernels
    kernels.block_bytes = block_bytes
    try:
        xt, wt = dbl(x), dbl(w)
        y = F.conv2d(xt, wt, None, stride, padding, dilation, groups)
        gy = rng.standard_normal(y.shape)
        y.backward(torch.tensor(gy))
    finally:
        del kernels.block_bytes  # back to the class's default
    assert not same or y.shape[2:] == x.shape[2:]
    assert np.allclose(y.detach().numpy(), conv_reference(x, w, None, stride, padding, dilation, groups))
    gx, gw = conv_grads_reference(x, w, gy, stride, padding, dilation, groups)
    assert np.allclose(xt.grad.numpy(), gx) and np.allclose(wt.grad.numpy(), gw)


@pytest.mark.parametrize("stride, padding, dilation, groups", [
    ((1, 1), (0, 0), (1, 1), 1), ((2, 1), (1, 2), (1, 1), 1), ((1, 2), (1, 0), (2, 1), 2), ((3, 2), (2, 1), (1, 2), 2)])
def test_conv2d_gradcheck_and_gradgradcheck(stride, padding, dilation, groups):
    rng = np.random.default_rng(0)
    x = noncontig_nchw(rng.standard_normal((2, 4, 6, 5)))
    w = dbl(rng.standard_normal((4, 4 // groups, 3, 2)))
    b = dbl(rng.standard_normal(4))

    def conv(x, w, b):
        return F.conv2d(x, w, b, stride, padding, dilation, groups)

    assert gradcheck(conv, (x, w, b))
    assert gradgradcheck(conv, (x, w, b))
    conv(x, w, b).sum().backward()
    assert x.grad.shape == x.shape and w.grad.shape == w.shape and b.grad.shape == b.shape


@pytest.mark.parametrize("out_channels, dilation, groups", [(4, 1, 1), (2, 2, 2)])
def test_conv2d_same_size_gradients_by_the_flipped_kernel_gradcheck(out_channels, dilation, groups):
    """'same' stride-1 convolutions with no more output than input channels get their input
    gradient from a convolution with the flipped kernel (not col2im): checked to second order."""
    rng = np.random.default_rng(3)
    x = noncontig_nchw(rng.standard_normal((2, 4, 5, 4)))
    w = dbl(rng.standard_normal((out_channels, 4 // groups, 3, 3)))

    def conv(x, w):
        return F.conv2d(x, w, None, 1, dilation, dilation, groups)

    assert conv(x, w).shape[2:] == x.shape[2:]
    assert gradcheck(conv, (x, w)) and gradgradcheck(conv, (x, w))


def test_conv2d_padding_strings_and_unbatched():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((1, 2, 5, 6)), rng.standard_normal((3, 2, 2, 3))
    same = F.conv2d(dbl(x), dbl(w), padding="same", dilation=(1, 2))
    assert same.shape == (1, 3, 5, 6)
    # total padding (k - 1) * dilation = (1, 4): the odd row goes to the bottom, as in torch
    padded = np.pad(x, ((0, 0), (0, 0), (0, 1), (2, 2)))
    assert np.allclose(same.detach().numpy(), conv_reference(padded, w, None, (1, 1), (0, 0), (1, 2), 1))
    assert gradcheck(lambda a, b: F.conv2d(a, b, padding="same", dilation=(1, 2)), (dbl(x), dbl(w)))
    assert F.conv2d(dbl(x), dbl(w), padding="valid").shape == (1, 3, 4, 4)
    unbatched = F.conv2d(dbl(x[0]), dbl(w), stride=2)
    assert unbatched.shape == (3, 2, 2)
    assert np.allclose(unbatched.detach().numpy(), conv_reference(x, w, None, (2, 2), (0, 0), (1, 1), 1)[0])


def test_conv2d_module_repr_init_and_grad_fn():
    assert repr(nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)) == \
        "Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)"
    assert repr(nn.Conv2d(3, 4, 3)) == "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1))"
    assert repr(nn.Conv2d(3, 4, 3, padding="same", dilation=2)) == \
        "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, dilation=(2, 2))"
    assert repr(nn.Conv2d(4, 4, 3, groups=2, padding_mode="reflect", padding=1)) == \
        "Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=2, padding_mode=reflect)"
    torch.manual_seed(0)
    conv = nn.Conv2d(8, 16, (3, 5), groups=2)
    bound = 1 / math.sqrt(4 * 3 * 5)  # fan_in = in_channels / groups * kh * kw
    assert conv.weight.shape == (16, 4, 3, 5) and conv.bias.shape == (16,)
    assert float(conv.weight.abs().max()) <= bound and float(conv.bias.abs().max()) <= bound
    assert float(conv.weight.abs().max()) > 0.9 * bound
    y = conv(torch.randn(1, 8, 6, 6))
    assert y.shape == (1, 16, 4, 2) and y.grad_fn.name() == "ConvolutionBackward0"


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv2d_padding_modes(mode):
    rng = np.random.default_rng(2)
    conv = nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode=mode).double()
    x = rng.standard_normal((1, 2, 4, 5))
    np_mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
    expected = conv_reference(np.pad(x, ((0, 0), (0, 0), (1, 1), (2, 2)), mode=np_mode), conv.weight.detach().numpy(),
                              conv.bias.detach().numpy(), (1, 1), (0, 0), (1, 1), 1)
    assert np.allclose(conv(dbl(x, False)).detach().numpy(), expected)


def test_conv2d_errors():
    x = torch.randn(1, 1, 5, 5)
    cases = [
        (lambda: F.conv2d(x, torch.randn(2, 2, 3, 3)), "Given groups=1, weight of size [2, 2, 3, 3], expected "
         "input[1, 1, 5, 5] to have 2 channels, but got 1 channels instead"),
        (lambda: F.conv2d(x, torch.randn(2, 1, 7, 7)), "Calculated padded input size per channel: (5 x 5). Kernel "
         "size: (7 x 7). Kernel size can't be greater than actual input size"),
        (lambda: F.conv2d(torch.randn(5, 5), torch.randn(2, 1, 3, 3)), "Expected 3D (unbatched) or 4D (batched) input "
         "to conv2d, but got input of size: [5, 5]"),
        (lambda: F.conv2d(x, torch.randn(2, 1, 3, 3), stride=0), "non-positive stride is not supported"),
        (lambda: F.conv2d(x, torch.randn(2, 1, 3, 3, dtype=torch.float64)), "expected scalar type Float but found Double"),
        (lambda: F.conv2d(x, torch.randn(2, 1, 3, 3), torch.ones(2, dtype=torch.float64)),
         "Input type (float) and bias type (double) should be the same"),
        (lambda: F.conv2d(x, torch.randn(2, 1, 3, 3), padding="same", stride=2),
         "padding='same' is not supported for strided convolutions"),
        (lambda: F.conv2d(x, torch.randn(2, 1, 3, 3), padding="foo"), "Invalid padding string: 'foo'"),
        (lambda: F.conv2d(torch.randn(1, 4, 5, 5), torch.randn(3, 2, 3, 3), groups=2), "Given groups=2, expected "
         "weight to be divisible by 2 at dimension 0, but got weight of size [[3, 2, 3, 3]] instead"),
        (lambda: F.conv2d(torch.randn(1, 4, 5, 5), torch.randn(4, 2, 3, 3), torch.randn(3), groups=2), "Given weight "
         "of size [4, 2, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of size [3] instead"),
    ]
    for call, message in cases:
        with pytest.raises(RuntimeError) as info:
            call()
        assert str(info.value) == message
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)


# ---- pooling ------------------------------------------------------------------------------------------

@st.composite
def pool_cases(draw):
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = tuple(draw(st.integers(0, (dilation[a] * (k[a] - 1) + 1) // 2)) for a in (0, 1))
    size = tuple(draw(st.integers(dilation[a] * (k[a] - 1) + 1, 7)) for a in (0, 1))
    return size, k, stride, padding, dilation, draw(st.booleans())


@settings(max_examples=40, deadline=None)
@given(case=pool_cases(), seed=st.integers(0, 2 ** 16))
def test_max_pool2d_matches_numpy_loops(case, seed):
    (h, w), k, stride, padding, dilation, ceil_mode = case
    x = np.random.default_rng(seed).standard_normal((2, 3, h, w))
    y, idx = F.max_pool2d(torch.tensor(x), k, stride, padding, dilation, ceil_mode, return_indices=True)
    assert np.allclose(y.numpy(), pool_reference(x, k, stride, padding, dilation, ceil_mode, "max"))
    # the indices point (within each H*W plane) at the maxima
    assert np.array_equal(np.take_along_axis(x.reshape(2, 3, -1), idx.numpy().reshape(2, 3, -1), 2), y.numpy().reshape(2, 3, -1))


@settings(max_examples=40, deadline=None)
@given(case=pool_cases(), seed=st.integers(0, 2 ** 16))
def test_max_pool2d_ties_nan_and_minus_inf_pick_torchs_cell(case, seed):
    # few distinct values: ties everywhere, NaN windows, windows whose real cells are all -inf next to padding
    (h, w), k, stride, padding, dilation, ceil_mode = case
    x = np.random.default_rng(seed).choice([np.nan, -np.inf, 0.0, 1.0], size=(2, 3, h, w), p=[0.1, 0.5, 0.2, 0.2])
    y, idx = F.max_pool2d(torch.tensor(x), k, stride, padding, dilation, ceil_mode, return_indices=True)
    assert np.array_equal(y.numpy(), pool_reference(x, k, stride, padding, dilation, ceil_mode, "max"), equal_nan=True)
    assert np.array_equal(idx.numpy(), max_index_reference(x, k, stride, padding, dilation, ceil_mode))


def test_max_pool2d_padding_never_wins_against_minus_inf():
    # torch 2.13's values, indices and gradients
    x = torch.full((1, 1, 2, 2), -math.inf, requires_grad=True)
    y, idx = F.max_pool2d(x, 2, padding=1, return_indices=True)
    assert y.tolist() == [[[[-math.inf] * 2] * 2]] and idx.tolist() == [[[[0, 1], [2, 3]]]]
    y.sum().backward()
    assert x.grad.tolist() == [[[[1.0, 1.0], [1.0, 1.0]]]]
    x = torch.full((1, 1, 3, 3), -math.inf)
    for args, expected in [((3, 2, 1), [[0, 1], [3, 4]]), ((2, 2, 0, 1, True), [[0, 2], [6, 8]]),
                           ((2, 2, 1, 2), [[4, 4], [4, 4]])]:
        assert F.max_pool2d(x, *args, return_indices=True)[1].tolist() == [[expected]]


def test_max_pool2d_nan_wins_and_gets_the_gradient():
    # torch 2.13: the max of a window with NaN is NaN, at the window's last NaN
    nan = math.nan
    x = torch.tensor([[[[nan, 5.0], [3.0, nan]]]], requires_grad=True)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    assert math.isnan(y.item()) and idx.item() == 3
    y.sum().backward()
    assert x.grad.tolist() == [[[[0.0, 0.0], [0.0, 1.0]]]]
    for row in ([1.0, nan, nan], [1.0, 2.0, nan]):
        assert F.max_pool2d(torch.tensor([[[row, [3.0, nan, 2.0]]]]), (2, 3), return_indices=True)[1].item() == 4


@pytest.mark.parametrize("args, values, indices, grad", [
    ((3, 2, 1, 1, True), [[nan, nan, nan], [nan, nan, nan], [nan, 0.0, -inf]], [[0, 8, 8], [15, 8, 8], [15, 16, 18]],
     [[1, 0, 0, 0, 0], [0, 0, 0, 16, 0], [0, 0, 0, 0, 0], [11, 8, 0, 9, 0]]),
    (((2, 3), 1, (1, 1), (1, 2), False), [[2, nan, 2], [nan, nan, nan], [nan, 3, nan], [0, nan, 0], [0, nan, 0]],
     [[3, 4, 3], [8, 4, 8], [8, 7, 8], [16, 15, 16], [16, 15, 16]],
     [[0, 0, 0, 4, 7], [0, 0, 8, 26, 0], [0, 0, 0, 0, 0], [25, 50, 0, 0, 0]]),
    ((2, 2, 1, 1, True), [[nan, 1, nan], [2, 3, nan], [nan, 0, -inf]], [[0, 1, 4], [10, 7, 8], [15, 16, 18]],
     [[1, 2, 0, 0, 3], [0, 0, 5, 6, 0], [4, 0, 0, 0, 0], [7, 8, 0, 9, 0]]),
])
def test_max_pool2d_mixed_nan_minus_inf_and_padding_match_torch(args, values, indices, grad):
    # literals from torch 2.13 (backward of y * (1, 2, 3, ...))
    x = dbl([[[[nan, 1, -inf, 2, nan], [-inf, -inf, 3, nan, -inf], [2, -inf, -inf, -inf, -inf], [nan, 0, 0, -inf, -inf]]]])
    y, idx = F.max_pool2d(x, *args, return_indices=True)
    assert np.array_equal(y.detach().numpy()[0, 0], np.array(values), equal_nan=True)
    assert idx.tolist() == [[indices]]
    y.backward(torch.arange(1.0, y.numel() + 1, dtype=torch.float64).view(y.shape))
    assert x.grad.tolist() == [[grad]]


def test_max_pool2d_window_of_padding_only_stays_inside_the_input():
    # with dilation, a window can miss every real cell: torch 2.13 accepts this, gives -inf and the index
    # 1 (past the 1-pixel input) and drops its gradient; we keep the index on the window's last real
    # column, so backward works (and sends the gradient there)
    x = torch.tensor([[[[7.0]]]], requires_grad=True)
    y, idx = F.max_pool2d(x, (1, 2), padding=(0, 1), dilation=(1, 2), return_indices=True)
    assert y.tolist() == [[[[-math.inf]]]] and idx.tolist() == [[[[0]]]]
    y.sum().backward()
    assert x.grad.tolist() == [[[[1.0]]]]


@settings(max_examples=40, deadline=None)
@given(case=pool_cases(), count_include_pad=st.booleans(), seed=st.integers(0, 2 ** 16))
def test_avg_pool2d_matches_numpy_loops(case, count_include_pad, seed):
    (h, w), k, stride, padding, _, ceil_mode = case
    padding = tuple(min(p, kk // 2) for p, kk in zip(padding, k))
    x = np.random.default_rng(seed).standard_normal((2, 3, h, w))
    y = F.avg_pool2d(torch.tensor(x), k, stride, padding, ceil_mode, count_include_pad)
    assert np.allclose(y.numpy(), pool_reference(x, k, stride, padding, (1, 1), ceil_mode, "avg", count_include_pad))
    y = F.avg_pool2d(torch.tensor(x), k, stride, padding, ceil_mode, count_include_pad, divisor_override=3)
    assert np.allclose(y.numpy(), pool_reference(x, k, stride, padding, (1, 1), ceil_mode, "sum") / 3)


def test_pool_gradcheck_and_gradgradcheck():
    rng = np.random.default_rng(3)
    x = noncontig_nchw(rng.permutation(2 * 3 * 7 * 6).reshape(2, 3, 7, 6) / 10.0)  # distinct values: no ties
    for fn in (lambda t: F.max_pool2d(t, 3, 2, 1), lambda t: F.max_pool2d(t, (2, 3), 1, 0, (2, 1), True),
               lambda t: F.avg_pool2d(t, 3, 2, 1, ceil_mode=True, count_include_pad=False),
               lambda t: F.avg_pool2d(t, (2, 3), (1, 2), divisor_override=4),
               lambda t: F.adaptive_avg_pool2d(t, (3, 4)), lambda t: F.adaptive_avg_pool2d(t, 1)):
        assert gradcheck(fn, (x,))
        assert gradgradcheck(fn, (x,))
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.shape == x.shape


def test_overlapping_max_windows_sum_their_gradients():
    x = torch.tensor([[[[0.0, 0.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]]], requires_grad=True)
    F.max_pool2d(x, 2, stride=1).sum().backward()  # all four windows pick the centre
    assert x.grad[0, 0].tolist() == [[0.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.0]]


def test_adaptive_avg_pool2d_windows():
    x = np.random.default_rng(4).standard_normal((2, 3, 7, 5))
    y = F.adaptive_avg_pool2d(torch.tensor(x), (3, None)).numpy()
    # torch's windows: [floor(i*7/3), ceil((i+1)*7/3)) = [0, 3), [2, 5), [4, 7)
    expected = np.stack([x[:, :, 0:3].mean(2), x[:, :, 2:5].mean(2), x[:, :, 4:7].mean(2)], axis=2)
    assert y.shape == (2, 3, 3, 5) and np.allclose(y, expected)
    assert np.allclose(nn.AdaptiveAvgPool2d(1)(torch.tensor(x)).numpy(), x.mean((2, 3), keepdims=True))
    assert F.adaptive_avg_pool2d(torch.tensor(x[0]), 2).shape == (3, 2, 2)


def test_pool_modules_reprs_and_errors():
    assert repr(nn.MaxPool2d(3, 2, 1)) == "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)"
    assert repr(nn.MaxPool2d((2, 3), ceil_mode=True)) == \
        "MaxPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0, dilation=1, ceil_mode=True)"
    assert repr(nn.AvgPool2d(2)) == "AvgPool2d(kernel_size=2, stride=2, padding=0)"
    assert repr(nn.AdaptiveAvgPool2d((1, 1))) == "AdaptiveAvgPool2d(output_size=(1, 1))"
    y, idx = nn.MaxPool2d(2, return_indices=True)(torch.randn(1, 1, 4, 4))
    assert idx.dtype == torch.int64 and y.shape == idx.shape == (1, 1, 2, 2)
    x = torch.randn(1, 1, 5, 5)
    for call, message in [
        (lambda: F.max_pool2d(x, 3, 1, 2), "pad should be at most half of effective kernel size, but got pad=2, "
         "kernel_size=3 and dilation=1"),
        (lambda: F.avg_pool2d(x, 3, 1, 2), "pad should be at most half of effective kernel size, but got pad=2, "
         "kernel_size=3 and dilation=1"),
        (lambda: F.max_pool2d(x, 7), "Given input size: (1x5x5). Calculated output size: (1x0x0). Output size is "
         "too small")]:
        with pytest.raises(RuntimeError) as info:
            call()
        assert str(info.value) == message


# ---- padding -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode, np_mode", [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")])
def test_pad_modes_match_numpy(mode, np_mode):
    x = np.random.default_rng(5).standard_normal((2, 3, 4, 5))
    y = F.pad(dbl(x), (2, 1, 3, 0), mode=mode)
    assert np.allclose(y.detach().numpy(), np.pad(x, ((0, 0), (0, 0), (3, 0), (2, 1)), mode=np_mode))
    assert gradcheck(lambda t: F.pad(t, (2, 1, 3, 0), mode=mode), (noncontig_nchw(x),))


def test_constant_pad_and_crop():
    x = np.arange(6.0).reshape(1, 2, 3)
    assert F.pad(dbl(x), (-1, 2)).tolist() == [[[1.0, 2.0, 0.0, 0.0], [4.0, 5.0, 0.0, 0.0]]]
    y = F.pad(dbl(x), (1, 1, 1, 0), value=7.0)
    assert np.allclose(y.detach().numpy(), np.pad(x, ((0, 0), (1, 0), (1, 1)), constant_values=7))
    assert y.grad_fn.name() == "ConstantPadNdBackward0"
    assert gradcheck(lambda t: F.pad(t, (1, -1, 0, 2)), (dbl(x),))
    assert gradgradcheck(lambda t: F.pad(t, (1, -1, 0, 2)), (dbl(x),))
    for call, error, message in [
        (lambda: F.pad(torch.ones(2, 3), (1, 2, 3)), RuntimeError, "Padding length must be divisible by 2"),
        (lambda: F.pad(torch.ones(2, 3), (1, 1), mode="reflect", value=2), RuntimeError,
         'Padding mode "reflect" doesn\'t take in value argument'),
        (lambda: F.pad(torch.ones(1, 2, 3), (3, 3), mode="reflect"), RuntimeError,
         "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at "
         "dimension 2 of input [1, 2, 3]"),
        (lambda: F.pad(torch.ones(1, 2, 3), (1, 1), mode="foo"), NotImplementedError, "Unrecognised padding mode foo")]:
        with pytest.raises(error) as info:
            call()
        assert str(info.value) == message


@pytest.mark.parametrize("pool", [lambda x: F.max_pool2d(x, 2), lambda x: F.avg_pool2d(x, 2),
                                  lambda x: F.adaptive_avg_pool2d(x, 2), lambda x: F.adaptive_max_pool2d(x, 2),
                                  lambda x: F.max_pool1d(x[0], 2)])
def test_pooling_input_changed_in_place_before_backward_is_torchs_error(pool):
    """torch saves a pooling's input for its backward kernel, so changing it in place is an error
    (even where the gradient would not read it): the same here."""
    x = torch.ones(1, 2, 4, 4, requires_grad=True) * 1
    y = pool(x)
    x.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
