"""What is measured: every benchmark case, registered in ``CASES``.

A case is a function ``make(lib)`` that prepares inputs for one library and returns the
zero-argument callable to time (or ``None`` when the case does not apply to that library).
``lib`` is a ``Lib`` from ``run.py``: ``lib.name`` is "minitorch", "numpy" or "torch",
``lib.module`` the imported module, and ``lib.tensor(array, requires_grad=False)`` turns a
numpy array into that library's array type.

minitorch and torch run the *same* code (that is the point of minitorch); numpy runs the same
computation written with plain arrays, which is the floor: minitorch computes with numpy, so it
can only add overhead on top. To add a case (an MLP training step, DataLoader throughput...),
write a ``make`` function and decorate it with ``@case(group, name)``.
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
    target: float | None = None  # goal for minitorch time / numpy time, from the issue


CASES: list[Case] = []


def case(group, name, target=None):
    """Decorator: register ``make(lib)`` as a benchmark case."""
    def register(make):
        CASES.append(Case(group, name, make, target))
        return make
    return register


RNG = np.random.default_rng(0)


def data(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


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
    "x[0]": (lambda x, y, m: x[0], None),
    # numpy's view() reinterprets the dtype; reshape of a contiguous array is numpy's view.
    "x.view(-1)": (lambda x, y, m: x.view(-1), lambda x, y, m: x.reshape(-1)),
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
                      small_op(_expression, _numpy_expression, requires_grad=True)))


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


# ---- import time: a fresh interpreter each time ---------------------------------------------


@case("Startup", "python -c 'import <library>' (includes interpreter start)")
def import_time(lib):
    command = [sys.executable, "-c", f"import {lib.name}"]
    return lambda: subprocess.run(command, cwd=ROOT, check=True)
