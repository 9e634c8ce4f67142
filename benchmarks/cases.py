"""What is measured: every timed benchmark case, registered in ``CASES``.

A case is a function ``make(lib)`` that prepares inputs for one library and returns the
zero-argument callable to time (or ``None`` when the case does not apply to that library).
``lib`` is a ``Lib`` from ``run.py``: ``lib.name`` is "minitorch", "numpy" or "torch",
``lib.module`` the imported module, and ``lib.tensor(array, requires_grad=False)`` turns a
numpy array into that library's array type.

minitorch and torch run the *same* code (that is the point of minitorch); numpy runs the same
computation written with plain arrays, which is the floor: minitorch computes with numpy, so it
can only add overhead on top. To add a case, write a ``make`` function and decorate it with
``@case(group, name)``. Measurements that are not "seconds per call" (notebook run times, memory
over a training loop) live in ``measurements.py``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Case:
    group: str
    name: str
    make: Callable
    target: float | None = None  # goal for minitorch time / <versus> time, from the issue
    versus: str = "numpy"  # the column the target is a ratio to: "numpy" or "torch"
    limit: float | None = None  # goal for minitorch's own time in seconds, from the issue
    per_second: tuple | None = None  # (count, unit): report count / time, e.g. (640, "images")
    self_timed: bool = False  # the callable returns the seconds to report (measured in a subprocess)
    needs: tuple = ()  # modules the case imports; where one is missing the case is skipped

    @property
    def key(self):
        return f"{self.group} :: {self.name}"


CASES: list[Case] = []


def case(group, name, **options):
    """Decorator: register ``make(lib)`` as a benchmark case (``options``: the ``Case`` fields)."""
    def register(make):
        CASES.append(Case(group, name, make, **options))
        return make
    return register


RNG = np.random.default_rng(0)


def data(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def labels(n, classes=10):
    return RNG.integers(0, classes, n)


# ---- per-op overhead: tiny tensors, so the time is all bookkeeping --------------------------
# Every op below costs numpy well under a microsecond; what minitorch adds is Python: argument
# checks, dtype promotion, the Tensor object, and with requires_grad the graph node.

SMALL = {"x": data(10), "y": data(10), "m": data(3, 3)}

# name -> the expression, written once for all three libraries (numpy where it differs).
SMALL_OPS = {
    "x + y": (lambda x, y, m: x + y, None),
    "x * 2.0": (lambda x, y, m: x * 2.0, None),
    "x.sum()": (lambda x, y, m: x.sum(), None),
    "m @ m (3x3)": (lambda x, y, m: m @ m, None),
    # torch's x[0] is a 0-d tensor viewing x; numpy's x[0] is a scalar copy, x[0, ...] its 0-d view.
    "x[0]": (lambda x, y, m: x[0], lambda x, y, m: x[0, ...]),
    # numpy's view() reinterprets the dtype; reshape of a contiguous array is numpy's view.
    "x.view(-1)": (lambda x, y, m: x.view(-1), lambda x, y, m: x.reshape(-1)),
    # the activations of lecture 07's nets (numpy: the textbook formulas, the floor of a kernel)
    "x.relu()": (lambda x, y, m: x.relu(), lambda x, y, m: np.maximum(x, 0)),
    "x.sigmoid()": (lambda x, y, m: x.sigmoid(), lambda x, y, m: 1 / (1 + np.exp(-x))),
}


def small_op(expression, numpy_expression, requires_grad):
    def make(lib):
        x, y, m = (lib.tensor(SMALL[k], requires_grad=requires_grad) for k in "xym")
        fn = numpy_expression if lib.name == "numpy" and numpy_expression else expression
        return lambda: fn(x, y, m)
    return make


for _name, (_expression, _numpy_expression) in SMALL_OPS.items():
    CASES.append(Case("Per-op overhead: 10-element float32 tensors", _name,
                      small_op(_expression, _numpy_expression, requires_grad=False), target=5))
for _name, (_expression, _numpy_expression) in SMALL_OPS.items():
    CASES.append(Case("Per-op overhead with requires_grad=True (forward only, records the graph)", _name,
                      small_op(_expression, _numpy_expression, requires_grad=True), target=2, versus="torch"))


# ---- in-place ops: written into their target (hand-written updates, ReLU(inplace=True)) -------
# Nothing requires grad, so nothing is recorded: the op can write straight into x's memory
# (numpy: ``out=x``, the floor). Repeated on one tensor, so the values drift (x.mul_(2.0) reaches
# inf, whose arithmetic costs the same); the data come from their own generator so that adding
# these cases changed no other case's data.

INPLACE_RNG = np.random.default_rng(18)
INPLACE_DATA = {n: INPLACE_RNG.standard_normal((2, n)).astype(np.float32) for n in (10, 1_000_000)}
INPLACE_OPS = {
    "x.add_(y)": (lambda x, y: x.add_(y), lambda x, y: np.add(x, y, out=x)),
    "x.mul_(2.0)": (lambda x, y: x.mul_(2.0), lambda x, y: np.multiply(x, 2.0, out=x)),
    "x.relu_()": (lambda x, y: x.relu_(), lambda x, y: np.maximum(x, 0, out=x)),
    "x.clamp_(0, 1)": (lambda x, y: x.clamp_(0, 1), lambda x, y: np.clip(x, 0, 1, out=x)),
}


def inplace_op(expression, numpy_expression, n):
    def make(lib):
        x, y = (lib.tensor(row) for row in INPLACE_DATA[n])
        fn = numpy_expression if lib.name == "numpy" else expression
        return lambda: fn(x, y)
    return make


for _n, _group in ((10, "In-place ops: 10-element float32 tensors"), (1_000_000, "In-place ops: 1e6 float32 elements")):
    for _name, (_expression, _numpy_expression) in INPLACE_OPS.items():
        CASES.append(Case(_group, _name, inplace_op(_expression, _numpy_expression, _n), versus="torch"))


# ---- throughput: big tensors, so the time is numpy's arithmetic ---------------------------

BIG = {"a": data(1_000_000), "b": data(1_000_000), "sq": data(1000, 1000)}
THROUGHPUT = "Throughput: 1e6 float32 elements"


@case(THROUGHPUT, "a + b")
def big_add(lib):
    a, b = lib.tensor(BIG["a"]), lib.tensor(BIG["b"])
    return lambda: a + b


@case(THROUGHPUT, "a.exp()")
def big_exp(lib):
    a = lib.tensor(BIG["a"])
    return (lambda: np.exp(a)) if lib.name == "numpy" else (lambda: a.exp())


@case(THROUGHPUT, "a.sum()")
def big_sum(lib):
    a = lib.tensor(BIG["a"])
    return lambda: a.sum()


@case(THROUGHPUT, "s.sum(0), s 1000x1000")
def big_sum_dim(lib):
    s = lib.tensor(BIG["sq"])
    return lambda: s.sum(0)


@case(THROUGHPUT, "s.t() + s (strided read), s 1000x1000")
def big_transpose_add(lib):
    s = lib.tensor(BIG["sq"])
    return (lambda: s.T + s) if lib.name == "numpy" else (lambda: s.t() + s)


# ---- matmul: BLAS does the work; minitorch should add nothing measurable -------------------

MATMUL = {"a": data(1024, 1024), "b": data(1024, 1024)}


@case("Matrix multiply", "1024x1024 @ 1024x1024 float32", target=1.1)
def matmul_1024(lib):
    a, b = lib.tensor(MATMUL["a"]), lib.tensor(MATMUL["b"])
    return lambda: a @ b


# ---- autograd: forward + backward of a small chain -----------------------------------------

CHAIN = {"x": data(16, 32), "w": data(32, 32) / 6, "b": data(32)}


@case("Autograd", "tanh(x @ w + b).pow(2).mean() forward+backward, x 16x32, w 32x32")
def chain_backward(lib):
    if lib.name == "numpy":
        return numpy_chain_backward
    x = lib.tensor(CHAIN["x"])
    w, b = lib.tensor(CHAIN["w"], requires_grad=True), lib.tensor(CHAIN["b"], requires_grad=True)

    def step():
        w.grad = b.grad = None  # optimizer.zero_grad(set_to_none=True)
        (lib.module.tanh(x @ w + b) ** 2).mean().backward()
    return step


def numpy_chain_backward():
    """The same forward and backward, derived by hand: the floor for any autograd engine."""
    x, w, b = CHAIN["x"], CHAIN["w"], CHAIN["b"]
    h = np.tanh(x @ w + b)
    loss = (h * h).mean()
    grad_pre = (2 / h.size) * h * (1 - h * h)  # d loss / d (x @ w + b)
    return loss, x.T @ grad_pre, grad_pre.sum(0)


# ---- training steps: the course's loop body, identical for minitorch and torch ----------------
# numpy's floor is the same step derived by hand: forward, backward and the SGD update, with no
# graph, no Tensor objects and no optimizer bookkeeping.

TRAINING = "Training steps (forward, backward, SGD update)"
LR = 0.01


def training_step(model, optimizer, loss_fn, x, y):
    """One step of the loop every lecture writes."""
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss


def step_of(lib, model, x, y):
    """The zero-argument training step for ``model`` on one fixed batch."""
    optimizer = lib.module.optim.SGD(model.parameters(), lr=LR)
    loss_fn = lib.module.nn.CrossEntropyLoss()
    x, y = lib.tensor(x), lib.tensor(y)
    return lambda: training_step(model, optimizer, loss_fn, x, y)


def np_cross_entropy(logits, y):
    """Mean cross entropy of ``logits`` (N, C) against classes ``y``, and its gradient."""
    shifted = logits - logits.max(1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(1, keepdims=True)
    rows = np.arange(len(y))
    loss = (np.log(total[:, 0]) - shifted[rows, y]).mean()
    grad = exp / total
    grad[rows, y] -= 1
    return loss, grad / len(y)


def np_dense_stack(params, h, y, input_grad=False):
    """Forward and backward of ``Linear (-> ReLU -> Linear)*`` on ``h``, with cross entropy;
    returns the loss, the gradients (same order as ``params``) and, if ``input_grad``, d loss / d ``h``."""
    inputs = []
    for i in range(0, len(params), 2):
        if i:
            h = np.maximum(h, 0)
        inputs.append(h)
        h = h @ params[i].T + params[i + 1]
    loss, g = np_cross_entropy(h, y)
    grads = []
    for i in reversed(range(0, len(params), 2)):
        grads[:0] = [g.T @ inputs[i // 2], g.sum(0)]
        if i or input_grad:
            g = g @ params[i]
        if i:
            g *= inputs[i // 2] > 0  # ReLU's gradient
    return loss, grads, g


def np_sgd(params, grads):
    for p, g in zip(params, grads):
        p -= LR * g


MLP = {"x": data(128, 784), "y": labels(128)}


@case(TRAINING, "MLP 784-256-10, batch 128, CrossEntropyLoss + SGD", target=1.5, versus="torch")
def mlp_step(lib):
    if lib.name == "numpy":
        params = [data(256, 784) / 28, np.zeros(256, np.float32), data(10, 256) / 16, np.zeros(10, np.float32)]

        def numpy_step():
            loss, grads, _ = np_dense_stack(params, MLP["x"], MLP["y"])
            np_sgd(params, grads)
            return loss
        return numpy_step
    nn = lib.module.nn
    lib.module.manual_seed(0)
    return step_of(lib, nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)), MLP["x"], MLP["y"])


def lenet(nn):
    """LeNet-5 on 28x28 digits: two conv + max-pool stages, then three linear layers."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


CNN = {"x": data(64, 1, 28, 28), "y": labels(64)}


@case(TRAINING, "LeNet-5 CNN, batch 64, 1x28x28, CrossEntropyLoss + SGD", target=3, versus="torch")
def cnn_step(lib):
    if lib.name == "numpy":
        return numpy_lenet_step()
    lib.module.manual_seed(0)
    return step_of(lib, lenet(lib.module.nn), CNN["x"], CNN["y"])


def numpy_lenet_step():
    """LeNet's step by hand on numpy, with minitorch's im2col kernels called directly on arrays
    (no Tensor, no autograd): the floor of minitorch's Python layer for this network."""
    from minitorch.backends.conv import Kernels

    kernels = Kernels(np)
    conv_params = [data(6, 1, 5, 5) / 5, np.zeros(6, np.float32), data(16, 6, 5, 5) / 12, np.zeros(16, np.float32)]
    dense_params = [data(120, 400) / 20, np.zeros(120, np.float32), data(84, 120) / 11, np.zeros(84, np.float32),
                    data(10, 84) / 9, np.zeros(10, np.float32)]
    pool = dict(kernel=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1), ceil_mode=False)

    def conv_args(padding):
        return (1, 1), (padding, padding), (1, 1), 1  # stride, padding, dilation, groups

    layers = [(conv_params[0:2], 2), (conv_params[2:4], 0)]  # (weight and bias, padding)

    def step():
        h, saved = CNN["x"], []
        for (w, b), padding in layers:  # conv -> relu -> max-pool
            pre = kernels.conv2d_forward(h, w, *conv_args(padding)) + b.reshape(1, -1, 1, 1)
            pooled, where = kernels.max_pool2d_forward(np.maximum(pre, 0), **pool)
            saved.append((h, pre, where))
            h = pooled
        loss, dense_grads, g = np_dense_stack(dense_params, h.reshape(len(h), -1), CNN["y"], input_grad=True)
        g = g.reshape(h.shape)
        conv_grads = []
        for i in reversed(range(len(layers))):
            ((w, _), padding), (h_in, pre, where) = layers[i], saved[i]
            g = kernels.max_pool2d_backward(g, where, pre.shape) * (pre > 0)
            conv_grads[:0] = [kernels.conv2d_backward_weight(h_in, g, w.shape, *conv_args(padding)), g.sum((0, 2, 3))]
            if i > 0:  # the first layer's input is the data: it needs no gradient
                g = kernels.conv2d_backward_input(g, w, h_in.shape, *conv_args(padding))
        np_sgd(conv_params + dense_params, conv_grads + dense_grads)
        return loss
    return step


# ---- convolution alone -------------------------------------------------------------------------

CONV = {"x": data(64, 16, 28, 28), "w": data(32, 16, 3, 3) / 12, "b": data(32), "gy": data(64, 32, 28, 28)}


@case("Convolution", "conv2d 64x16x28x28, 32 3x3 filters, padding 1: forward + backward (x, w, b)")
def conv_forward_backward(lib):
    if lib.name == "numpy":
        from minitorch.backends.conv import Kernels

        kernels, args = Kernels(np), ((1, 1), (1, 1), (1, 1), 1)

        def numpy_conv():  # minitorch's im2col kernels on plain arrays: the floor of its Python layer
            x, w, b, gy = CONV["x"], CONV["w"], CONV["b"], CONV["gy"]
            y = kernels.conv2d_forward(x, w, *args) + b.reshape(1, -1, 1, 1)
            return (y, kernels.conv2d_backward_input(gy, w, x.shape, *args),
                    kernels.conv2d_backward_weight(x, gy, w.shape, *args), gy.sum((0, 2, 3)))
        return numpy_conv
    x, w, b = (lib.tensor(CONV[k], requires_grad=True) for k in "xwb")
    gy = lib.tensor(CONV["gy"])

    def forward_backward():
        x.grad = w.grad = b.grad = None
        lib.module.nn.functional.conv2d(x, w, b, padding=1).backward(gy)
    return forward_backward


@case("Convolution", "max_pool2d 2x2 on 64x32x28x28: forward + backward")
def pool_forward_backward(lib):
    if lib.name == "numpy":
        from minitorch.backends.conv import Kernels

        kernels, x, gy = Kernels(np), CONV["gy"], CONV["gy"][:, :, ::2, ::2].copy()

        def numpy_pool():
            y, where = kernels.max_pool2d_forward(x, (2, 2), (2, 2), (0, 0), (1, 1), False)
            return y, kernels.max_pool2d_backward(gy, where, x.shape)
        return numpy_pool
    x = lib.tensor(CONV["gy"], requires_grad=True)
    gy = lib.tensor(CONV["gy"][:, :, ::2, ::2].copy())

    def forward_backward():
        x.grad = None
        lib.module.nn.functional.max_pool2d(x, 2).backward(gy)
    return forward_backward


# ---- data loading: the lecture-6 pipeline --------------------------------------------------------

BATCHES, BATCH_SIZE = 10, 64
MEAN, STD = 0.1307, 0.3081


@case("Data loading", f"MNIST5k, RandomRotation((-15, 15)) + ToTensor + Normalize, batch {BATCH_SIZE}, "
      f"{BATCHES} batches", per_second=(BATCHES * BATCH_SIZE, "images"), needs=("PIL",))
def dataloader_throughput(lib):
    if lib.name == "torch":
        return None  # torchvision is not part of the reference install; minitorch ships its own
    if lib.name == "numpy":
        return numpy_augmented_batches()
    from minitorch.utils.data import DataLoader
    from minitorch.vision import datasets, transforms

    transform = transforms.Compose([transforms.RandomRotation((-15, 15)), transforms.ToTensor(),
                                    transforms.Normalize((MEAN,), (STD,))])
    loader = DataLoader(datasets.MNIST5k(train=True, transform=transform), batch_size=BATCH_SIZE, shuffle=True)

    def some_batches():
        for _ in zip(range(BATCHES), loader):
            pass
    return some_batches


def numpy_augmented_batches():
    """The floor: the same augmentation done for a whole batch at once on the uint8 array
    (nearest-neighbour rotation by gathering), instead of one PIL image at a time."""
    from minitorch import data as bundled

    images, targets = bundled.load_mnist5k()
    size = images.shape[-1]
    centred = np.arange(size) - (size - 1) / 2

    def rotate(batch, radians):
        cos, sin = np.cos(radians)[:, None, None], np.sin(radians)[:, None, None]
        rows, cols = centred[None, :, None], centred[None, None, :]
        # where each output pixel comes from: the inverse rotation of its position
        src_r = np.rint(cos * rows - sin * cols + (size - 1) / 2).astype(np.intp)
        src_c = np.rint(sin * rows + cos * cols + (size - 1) / 2).astype(np.intp)
        inside = (src_r >= 0) & (src_r < size) & (src_c >= 0) & (src_c < size)
        picked = batch[np.arange(len(batch))[:, None, None], src_r.clip(0, size - 1), src_c.clip(0, size - 1)]
        return np.where(inside, picked, 0)

    def some_batches():
        order = RNG.permutation(len(images))
        for i in range(BATCHES):
            index = order[i * BATCH_SIZE:(i + 1) * BATCH_SIZE]
            angles = np.deg2rad(RNG.uniform(-15, 15, BATCH_SIZE))
            x = (rotate(images[index], angles)[:, None] / np.float32(255) - np.float32(MEAN)) / np.float32(STD)
            y = targets[index]
        return x, y
    return some_batches


# ---- import time: a fresh interpreter each time ---------------------------------------------

IMPORT = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"


@case("Startup", "import <library> in a fresh interpreter (interpreter start not counted)", limit=0.3,
      self_timed=True)
def import_time(lib):
    command = [sys.executable, "-c", IMPORT.format(lib.name)]
    return lambda: float(subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout)


# ---- issue 18: the training loop's other parts --------------------------------------------------
# Optimizer steps, building a big model (its weights are random draws), a lecture net's whole step,
# and the augmentation pipeline of lecture 06 on PIL images, each against the same code on torch.

def mlp(nn):
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


@case("Optimizers", "Adam step() on an MLP 784-256-10 (gradients already there)", target=1.2, versus="torch")
def adam_step(lib):
    if lib.name == "numpy":
        return None
    lib.module.manual_seed(0)
    model = mlp(lib.module.nn)
    for p in model.parameters():
        p.grad = lib.tensor(data(*p.shape))
    return lib.module.optim.Adam(model.parameters(), lr=1e-3).step


@case(TRAINING, "MLP 784-256-10, batch 128, CrossEntropyLoss + Adam", target=1.3, versus="torch")
def mlp_adam_step(lib):
    if lib.name == "numpy":
        return None
    lib.module.manual_seed(0)
    model = mlp(lib.module.nn)
    optimizer = lib.module.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn, x, y = lib.module.nn.CrossEntropyLoss(), lib.tensor(MLP["x"]), lib.tensor(MLP["y"])
    return lambda: training_step(model, optimizer, loss_fn, x, y)


VANISHING = {"x": data(64, 841), "y": labels(64, 26)}


@case(TRAINING, "lecture 07's vanishing-gradient net 841-100x5-26 (sigmoid), batch 64, SGD", target=1.3,
      versus="torch")
def vanishing_net_step(lib):
    if lib.name == "numpy":
        return None
    nn = lib.module.nn
    lib.module.manual_seed(0)
    layers = [nn.Linear(841, 100), nn.Sigmoid()]
    for _ in range(4):
        layers += [nn.Linear(100, 100), nn.Sigmoid()]
    return step_of(lib, nn.Sequential(*layers, nn.Linear(100, 26)), VANISHING["x"], VANISHING["y"])


VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


def vgg16(nn):
    """torchvision's ``vgg16()``, written out so that torch needs no torchvision: 13 convolutions,
    3 linear layers (138 million weights), initialised as torchvision does."""
    layers, channels = [], 3
    for v in VGG16:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(channels, v, 3, padding=1), nn.ReLU(inplace=True)]
            channels = v
    model = nn.Sequential(*layers, nn.AdaptiveAvgPool2d((7, 7)), nn.Flatten(),
                          nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
                          nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000))
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            nn.init.constant_(m.bias, 0)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.constant_(m.bias, 0)
    return model


@case("Models", "vgg16() construction (138M weights drawn at random)", target=2, versus="torch")
def vgg16_construction(lib):
    if lib.name == "numpy":
        return None
    return lambda: vgg16(lib.module.nn)


CONV_BIG = {"x": data(32, 64, 56, 56), "w": data(64, 64, 3, 3) / 24, "b": data(64), "gy": data(32, 64, 56, 56)}


@case("Convolution", "conv2d 32x64x56x56, 64 3x3 filters, padding 1: forward + backward (x, w, b)", target=1.3,
      versus="torch")
def conv_big_forward_backward(lib):
    if lib.name == "numpy":
        return None
    x, w, b = (lib.tensor(CONV_BIG[k], requires_grad=True) for k in "xwb")
    gy = lib.tensor(CONV_BIG["gy"])

    def forward_backward():
        x.grad = w.grad = b.grad = None
        lib.module.nn.functional.conv2d(x, w, b, padding=1).backward(gy)
    return forward_backward


class AddNoise:
    """Lecture 06's noise: ``x + 0.1 * randn_like(x)`` on the tensor image."""

    def __init__(self, module):
        self.module = module

    def __call__(self, x):
        return x + 0.1 * self.module.randn_like(x)


class PILDigits:
    """The bundled MNIST digits as PIL images, through ``transform``: the same class for both libraries."""

    def __init__(self, images, targets, transform):
        self.images, self.targets, self.transform = images, targets, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        from PIL import Image

        return self.transform(Image.fromarray(self.images[i], mode="L")), int(self.targets[i])


def augmentation_loader(lib, num_workers):
    """Lecture 06's augmentation on PIL images (rotation, affine, noise), with torchvision for torch."""
    from minitorch import data as bundled

    if lib.name == "numpy":
        return None
    if lib.name == "torch":
        try:
            from torchvision import transforms
        except ImportError:
            return None
    else:
        from minitorch.vision import transforms
    images, targets = bundled.load_mnist5k()
    transform = transforms.Compose([transforms.RandomRotation(15), transforms.RandomAffine(0, translate=(0.1, 0.1)),
                                    transforms.ToTensor(), AddNoise(lib.module), transforms.Normalize((MEAN,), (STD,))])
    loader = lib.module.utils.data.DataLoader(PILDigits(images, targets, transform), batch_size=BATCH_SIZE,
                                              shuffle=True, num_workers=num_workers,
                                              persistent_workers=num_workers > 0)

    def some_batches():
        for _ in zip(range(BATCHES), loader):
            pass
    return some_batches


AUGMENT = (f"MNIST5k as PIL: RandomRotation + RandomAffine(translate) + ToTensor + noise + Normalize, "
           f"batch {BATCH_SIZE}, {BATCHES} batches")


@case("Data loading", AUGMENT + ", in the main process", target=2, versus="torch",
      per_second=(BATCHES * BATCH_SIZE, "images"), needs=("PIL",))
def augmentation_main_process(lib):
    return augmentation_loader(lib, 0)


@case("Data loading", AUGMENT + ", 2 worker processes", target=2, versus="torch",
      per_second=(BATCHES * BATCH_SIZE, "images"), needs=("PIL",))
def augmentation_two_workers(lib):
    return augmentation_loader(lib, 2)


from . import fx_passes  # noqa: E402,F401  (its cases register themselves in CASES)
