"""hw07_conv_backward: ``fold_patches`` (the adjoint of unfolding an image into patches), and as
autograd ``Function``s ``Conv2dFunction`` (forward by im2col, input/weight/bias gradients), the
backward of ``MaxPool2dFunction`` and of ``BatchNorm2dFunction`` (training mode); judged against
the library's ``F.conv2d``, ``F.max_pool2d`` and ``F.batch_norm`` on small and strided cases.

Shapes: images ``(N, C, H, W)``; patches ``(N, C, OH, OW, kh, kw)`` as ``x.unfold(2, kh,
stride).unfold(3, kw, stride)`` makes them; no padding, no dilation."""

import numpy as np

import minitorch as torch
from minitorch.nn import functional as F

from ..spec import Assignment


def _library_fold(patches, shape, stride):
    """The library's answer: ``fold_patches`` is the backward of unfolding, so autograd of
    ``unfold`` computes it."""
    x = torch.zeros(shape, dtype=patches.dtype, requires_grad=True)
    kh, kw = patches.shape[-2:]
    (x.unfold(2, kh, stride).unfold(3, kw, stride) * patches).sum().backward()
    return x.grad


class _LibraryConv:
    apply = staticmethod(lambda x, weight, bias, stride: F.conv2d(x, weight, bias, stride=stride))


class _LibraryMaxPool:
    apply = staticmethod(lambda x, kernel, stride: F.max_pool2d(x, kernel, stride))


class _LibraryBatchNorm:
    apply = staticmethod(lambda x, gamma, beta, eps: F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps))


_BY_HAND = "write it with tensor ops (unfold, matmul, sums, indexing) yourself"
_NORMALIZATION = "minitorch.nn._functional.normalization."

hw = Assignment(
    "hw07_conv_backward",
    title="Convolution, pooling and batch norm backward",
    lecture="08_training_a_network",
    reference={"fold_patches": _library_fold, "Conv2dFunction": _LibraryConv, "MaxPool2dFunction": _LibraryMaxPool,
               "BatchNorm2dFunction": _LibraryBatchNorm},
    banned={"minitorch.nn._functional.conv": _BY_HAND, "minitorch.nn._functional.pooling": _BY_HAND,
            _NORMALIZATION + "batch_norm": _BY_HAND, _NORMALIZATION + "NativeBatchNorm": _BY_HAND,
            "minitorch.backends.conv.Kernels": _BY_HAND,
            # the backward of view ops (what autograd of unfold runs): folding patches back is yours to write
            "minitorch.ops.shape.ViewScatter": _BY_HAND,
            **{f"minitorch.nn.{name}": _BY_HAND for name in ("Conv2d", "MaxPool2d", "BatchNorm2d")}},
)


def _tensor(seed, *shape, grad=True):
    t = torch.tensor(np.random.default_rng(seed).normal(size=shape))
    return t.requires_grad_() if grad else t


def gradients(function, inputs, seed):
    """The output of ``function.apply(*inputs)`` and the gradients of a random weighting of it with
    respect to each input that requires grad."""
    out = function.apply(*inputs)
    (out * _tensor(seed, *out.shape, grad=False)).sum().backward()
    return {"output": out, **{f"grad {i}": x.grad for i, x in enumerate(inputs)
                              if isinstance(x, torch.Tensor) and x.requires_grad}}


@hw.test(points=2, partial=True, own=("fold_patches",),
         hint="every element of every patch goes back to the pixel it was read from; where windows overlap "
              "(stride smaller than the kernel) several patch elements land on one pixel and add up")
def fold(fold_patches):
    cases = {"3x3 windows, stride 1 (overlapping)": ((2, 2, 6, 5), 3, 3, 1),
             "2x2 windows, stride 2 (tiling)": ((1, 3, 6, 4), 2, 2, 2),
             "2x3 windows, stride 3 (gaps)": ((2, 1, 8, 9), 2, 3, 3)}
    results = {}
    for seed, (case, (shape, kh, kw, stride)) in enumerate(cases.items()):
        oh, ow = (shape[2] - kh) // stride + 1, (shape[3] - kw) // stride + 1
        results[case] = fold_patches(_tensor(seed, *shape[:2], oh, ow, kh, kw, grad=False), shape, stride)
    return results


CONV_CASES = {"one channel, 3x3, stride 1": ((1, 1, 5, 5), (2, 1, 3, 3), 1),
              "batch of 2, 3 channels, 3x2 kernel, stride 2": ((2, 3, 7, 6), (4, 3, 3, 2), 2),
              "kernel as large as the image": ((2, 2, 4, 3), (3, 2, 4, 3), 1)}


def conv_case(Conv2dFunction, x_shape, w_shape, stride, seed):
    x, w, b = _tensor(seed, *x_shape), _tensor(seed + 10, *w_shape), _tensor(seed + 20, w_shape[0])
    return gradients(Conv2dFunction, (x, w, b, stride), seed + 30)


@hw.test(points=2, partial=True, own=("Conv2dFunction.forward",),
         hint="unfold the image into patches, line each patch up as a row and each filter as a column: one matrix "
              "product gives every output pixel of every channel; add the bias per output channel")
def conv_forward(Conv2dFunction):
    return {case: conv_case(Conv2dFunction, *args, seed)["output"] for seed, (case, args) in enumerate(CONV_CASES.items())}


@hw.test(points=3, partial=True, own=("Conv2dFunction.backward",), after=("fold", "conv_forward"),
         hint="the forward is one matrix product of patches and filters: each gradient is a matrix product of "
              "the output gradient with the other factor; the patches' gradient goes back to the image through "
              "fold_patches, and the bias collects the output gradient of its channel everywhere")
def conv_backward(Conv2dFunction):
    return {f"{case}: {name}": value for seed, (case, args) in enumerate(CONV_CASES.items())
            for name, value in conv_case(Conv2dFunction, *args, seed).items() if name != "output"}


@hw.test(points=2, partial=True, own=("MaxPool2dFunction.backward",), after=("fold",),
         hint="only the largest element of each window influenced the output: it alone receives that window's "
              "gradient; overlapping windows may send gradient to the same pixel")
def maxpool_backward(MaxPool2dFunction):
    cases = {"2x2, stride 2": ((2, 2, 6, 6), 2, 2), "3x3, stride 1 (overlapping)": ((1, 2, 5, 6), 3, 1),
             "2x2, stride 3 (gaps)": ((2, 1, 8, 8), 2, 3)}
    return {case: gradients(MaxPool2dFunction, (_tensor(seed, *shape), kernel, stride), seed + 5)["grad 0"]
            for seed, (case, (shape, kernel, stride)) in enumerate(cases.items())}


def batchnorm_case(BatchNorm2dFunction, shape, seed):
    x, gamma, beta = _tensor(seed, *shape), _tensor(seed + 1, shape[1]), _tensor(seed + 2, shape[1])
    return gradients(BatchNorm2dFunction, (x, gamma, beta, 1e-5), seed + 3)


@hw.test(points=3, partial=True, own=("BatchNorm2dFunction.backward",),
         hint="every output depends on every input of its channel through the batch mean and variance: the input "
              "gradient has three parts (direct, through the mean, through the variance); gamma and beta collect "
              "their channel's gradient over batch and pixels")
def batchnorm_backward(BatchNorm2dFunction):
    return {f"{case}: {name}": value for seed, (case, shape) in enumerate({"(4, 3, 2, 2)": (4, 3, 2, 2),
                                                                          "(2, 2, 3, 3)": (2, 2, 3, 3)}.items())
            for name, value in batchnorm_case(BatchNorm2dFunction, shape, 10 * seed).items() if name != "output"}
