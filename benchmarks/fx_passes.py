"""Benchmark cases for ``minitorch.fx.passes``: the same computation before and after a pass.

Registered into ``CASES`` when ``cases.py`` imports this file, so the harness times them like any
other case (``python -m benchmarks -k "fx passes"``). The "after" rows have minitorch's
optimised graph; torch's column there is what torch offers for the same job (its own fused
``F.gelu(approximate="tanh")``; autograd for the gradients), numpy's the hand-written floor.
``python -m benchmarks.fx_passes`` prints the peak memory of each pair (tracemalloc), which the
harness does not measure.
"""

from __future__ import annotations

import tracemalloc

import numpy as np

from .cases import case, data

C = float(np.sqrt(2 / np.pi))
GELU_BIG, GELU_SMALL = data(1_000_000), data(1000)
N, D, H = 64, 1000, 100  # lecture 09's two-layer network
NET = {"x": data(N, D), "y": data(N, D), "w1": data(D, H) / 30, "w2": data(H, D) / 10}


def gelu_of(module):
    def gelu(x):  # lecture 09's GELU: nine elementwise ops
        return 0.5 * x * (1 + module.tanh(C * (x + 0.044715 * (x * x * x))))
    return gelu


def numpy_gelu_in_place(x):
    """The floor: one output array, every step written into it."""
    out = np.multiply(x, x)
    out *= x
    out *= 0.044715
    out += x
    out *= C
    np.tanh(out, out=out)
    out += 1
    out *= x
    out *= 0.5
    return out


def fused_gelu(example):
    import minitorch
    from minitorch.fx.passes import fuse_elementwise

    return fuse_elementwise(minitorch.fx.symbolic_trace(gelu_of(minitorch)), example)


def gelu_cases(size, array):
    group = f"fx passes: GELU on {size} float32"

    @case(group, "op by op (eager)")
    def eager(lib):
        if lib.name == "numpy":
            return lambda: gelu_of(np)(array)
        x = lib.tensor(array)
        return lambda: gelu_of(lib.module)(x)

    @case(group, "fx fuse_elementwise (torch: F.gelu tanh, numpy: in place)", versus="torch")
    def fused(lib):
        if lib.name == "numpy":
            return lambda: numpy_gelu_in_place(array)
        x = lib.tensor(array)
        if lib.name == "torch":
            return lambda: lib.module.nn.functional.gelu(x, approximate="tanh")
        gm = fused_gelu(x)
        return lambda: gm(x)


gelu_cases("1e6", GELU_BIG)
gelu_cases("1000", GELU_SMALL)


def two_layer_of(module):
    def two_layer(x, y, w1, w2):
        h = (x @ w1).clamp(min=0)
        diff = h @ w2 - y
        return (diff ** 2).sum(1).mean()
    return two_layer


def numpy_two_layer(x, y, w1, w2):
    """Loss and gradients derived by hand (the floor)."""
    pre = x @ w1
    h = np.maximum(pre, 0)
    diff = h @ w2 - y
    loss = (diff ** 2).sum(1).mean()
    grad_pred = 2 * diff / len(x)
    grad_h = (grad_pred @ w2.T) * (pre > 0)
    return loss, x.T @ grad_h, h.T @ grad_pred


GRADS = "fx passes: lecture 09 two-layer net, loss + gradients (N=64, D=1000, H=100)"


@case(GRADS, "autograd (loss.backward())")
def net_autograd(lib):
    if lib.name == "numpy":
        return lambda: numpy_two_layer(*NET.values())
    x, y = lib.tensor(NET["x"]), lib.tensor(NET["y"])
    w1, w2 = lib.tensor(NET["w1"], requires_grad=True), lib.tensor(NET["w2"], requires_grad=True)
    two_layer = two_layer_of(lib.module)

    def step():
        w1.grad = w2.grad = None
        two_layer(x, y, w1, w2).backward()
    return step


@case(GRADS, "fx gradients graph (no autograd; torch: autograd)", versus="torch")
def net_symbolic(lib):
    if lib.name != "minitorch":
        return net_autograd(lib)
    import minitorch
    from minitorch.fx.passes import gradients

    inputs = [lib.tensor(a) for a in NET.values()]
    gm = gradients(minitorch.fx.symbolic_trace(two_layer_of(minitorch)), *inputs, wrt=["w1", "w2"])
    return lambda: gm(*inputs)


VMAP = "func.vmap: per-example tanh(x @ w).sum() over a batch of 256, x 64, w 64x32"
BATCH = {"x": data(256, 64), "w": data(64, 32) / 8}


def per_example(lib):
    return lambda x, w: lib.module.tanh(x @ w).sum()


@case(VMAP, "vmap (minitorch: batching rules through fx; torch: torch.func.vmap)", versus="torch")
def vmap_batched(lib):
    if lib.name == "numpy":
        return lambda: np.tanh(BATCH["x"] @ BATCH["w"]).sum(1)
    x, w = lib.tensor(BATCH["x"]), lib.tensor(BATCH["w"])
    vmapped = lib.module.func.vmap(per_example(lib), in_dims=(0, None))
    return lambda: vmapped(x, w)


@case(VMAP, "a Python loop over the examples (vmap's fallback)")
def vmap_loop(lib):
    if lib.name == "numpy":
        return lambda: np.stack([np.tanh(row @ BATCH["w"]).sum() for row in BATCH["x"]])
    x, w = lib.tensor(BATCH["x"]), lib.tensor(BATCH["w"])
    fn = per_example(lib)
    return lambda: lib.module.stack([fn(row, w) for row in x])


def peak_bytes(fn):
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def memory_report():
    """Peak memory of minitorch before/after each pass (MB), as a markdown table."""
    import minitorch
    from minitorch.fx.passes import gradients

    x = minitorch.tensor(GELU_BIG)
    gm = fused_gelu(x)
    inputs = [minitorch.tensor(a) for a in NET.values()]
    leaves = [t.clone().requires_grad_() if i >= 2 else t for i, t in enumerate(inputs)]
    symbolic = gradients(minitorch.fx.symbolic_trace(two_layer_of(minitorch)), *inputs, wrt=["w1", "w2"])
    rows = [("GELU 1e6 float32 (4 MB in)", lambda: gelu_of(minitorch)(x), lambda: gm(x)),
            ("two-layer net loss + gradients", lambda: two_layer_of(minitorch)(*leaves).backward(),
             lambda: symbolic(*inputs))]
    lines = ["| computation | before (op by op / autograd) | after (fused / gradients graph) |", "|---|---|---|"]
    for name, before, after in rows:
        before()  # warm-up: caches, lazily built objects
        after()
        lines.append(f"| {name} | {peak_bytes(before) / 1e6:.1f} MB | {peak_bytes(after) / 1e6:.1f} MB |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(memory_report())
