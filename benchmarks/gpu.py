"""GPU benchmark: the same minitorch code on the CPU (numpy) and on an NVIDIA GPU (CuPy + cuDNN).

Run from the repository root on a machine with a GPU and ``pip install "minitorch-kit[gpu]"``::

    python benchmarks/gpu.py --out benchmarks/GPU_RESULTS.md

What it measures (milliseconds per call, median of several timed runs):

1. The lecture's demo: a 5000 x 5000 float32 matrix product, CPU vs GPU.
2. Elementwise throughput (``a * b + c``): memory bound, so GB/s is the figure of merit.
3. conv2d forward + backward (both gradients) through cuDNN, through the im2col fallback on the
   GPU (``torch.backends.cudnn.enabled = False``) and through im2col on the CPU.
4. max-pooling forward + backward (im2col windows, CPU and GPU).
5. One training step (forward, backward, SGD) of an MLP and of a small CNN.

GPU timings use CUDA events around the queued work (kernels run asynchronously, so a wall clock
around the Python call would measure only the launch); CPU timings use ``time.perf_counter``.
Raw CuPy is listed where it is the floor: minitorch calls the same kernels, adding Python overhead.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import minitorch as torch  # noqa: E402


def cpu_ms(fn, repeat=5):
    """Median wall time of ``fn()`` in ms, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def gpu_ms(fn, repeat=10):
    """Median GPU time of ``fn()`` in ms between two CUDA events, after one warm-up call."""
    fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeat):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


class Report:
    def __init__(self):
        self.lines = []

    def add(self, line=""):
        print(line, flush=True)
        self.lines.append(line)

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |")
        self.add("|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(row) + " |")
        self.add()


def fmt(ms):
    return f"{ms:.3f}" if ms < 10 else f"{ms:.1f}"


def machine(report):
    import cupy

    props = torch.cuda.get_device_properties(0)
    report.add(f"- GPU: {props.name} (compute capability {props.major}.{props.minor}, "
               f"{props.total_memory / 2 ** 30:.1f} GiB, {props.multi_processor_count} SMs)")
    report.add(f"- CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores")
    report.add(f"- Python {platform.python_version()}, numpy {np.__version__}, CuPy {cupy.__version__} "
               f"(CUDA runtime {cupy.cuda.runtime.runtimeGetVersion()}, driver {cupy.cuda.runtime.driverGetVersion()}), "
               f"cuDNN {torch.backends.cudnn.version()}")
    report.add(f"- date: {time.strftime('%Y-%m-%d')}")
    report.add()


def matmul(report, n=5000):
    """The lecture's demo: time ``x @ x`` for a 5000 x 5000 matrix on each device."""
    import cupy

    flops = 2 * n ** 3
    x_cpu = torch.randn(n, n)
    cpu = cpu_ms(lambda: x_cpu @ x_cpu, repeat=3)
    x_gpu = x_cpu.to("cuda")
    gpu = gpu_ms(lambda: x_gpu @ x_gpu)
    raw = cupy.asarray(x_cpu.numpy())
    floor = gpu_ms(lambda: raw @ raw)
    x64 = x_gpu.double()
    gpu64 = gpu_ms(lambda: x64 @ x64)
    report.add(f"## 1. Matrix product {n} x {n} (float32 unless noted)")
    report.add()
    report.table(["device", "ms", "TFLOP/s", "speed-up vs CPU"], [
        ["CPU (numpy / BLAS)", fmt(cpu), f"{flops / cpu / 1e9:.2f}", "1x"],
        ["GPU minitorch", fmt(gpu), f"{flops / gpu / 1e9:.1f}", f"{cpu / gpu:.0f}x"],
        ["GPU raw CuPy", fmt(floor), f"{flops / floor / 1e9:.1f}", f"{cpu / floor:.0f}x"],
        ["GPU minitorch float64", fmt(gpu64), f"{flops / gpu64 / 1e9:.1f}", f"{cpu / gpu64:.0f}x"],
    ])


def elementwise(report):
    """``a * b + c``: two kernels reading/writing 5 arrays' worth of bytes (minitorch has no fusion)."""
    import cupy

    rows = []
    for n in (2 ** 16, 2 ** 20, 2 ** 24):
        a, b, c = (torch.randn(n) for _ in range(3))
        cpu = cpu_ms(lambda: a * b + c)
        ga, gb, gc = (t.cuda() for t in (a, b, c))
        gpu = gpu_ms(lambda: ga * gb + gc)
        ra, rb, rc = (cupy.asarray(t.numpy()) for t in (a, b, c))
        floor = gpu_ms(lambda: ra * rb + rc)
        moved = 5 * 4 * n  # bytes: read a, b -> write t; read t, c -> write out
        rows.append([f"{n:,}", fmt(cpu), fmt(gpu), fmt(floor), f"{moved / gpu / 1e6:.0f}", f"{cpu / gpu:.1f}x"])
    report.add("## 2. Elementwise `a * b + c` (float32)")
    report.add()
    report.add("Small arrays are launch-bound (a few microseconds of Python + kernel launch per op); "
               "large ones are bandwidth-bound.")
    report.add()
    report.table(["elements", "CPU ms", "GPU ms", "raw CuPy ms", "GPU GB/s", "speed-up"], rows)


def conv(report, n=32, c=64, hw=56, k=64):
    """conv2d 3x3, padding 1 (a ResNet stage): forward + both backward kernels."""
    import cupy

    from minitorch.backends import cuda as cuda_backend

    geometry = ((1, 1), (1, 1), (1, 1), 1)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c, hw, hw)).astype(np.float32)
    w = rng.standard_normal((k, c, 3, 3)).astype(np.float32)
    gy = rng.standard_normal((n, k, hw, hw)).astype(np.float32)

    def step(kernels, x, w, gy):
        def run():
            kernels.conv2d_forward(x, w, *geometry)
            kernels.conv2d_backward_input(gy, w, x.shape, *geometry)
            kernels.conv2d_backward_weight(x, gy, w.shape, *geometry)
        return run

    flags = torch.backends.cudnn
    gx, gw, ggy = (cupy.asarray(a) for a in (x, w, gy))
    results = []
    for label, settings in (("GPU cuDNN (TF32 allowed, torch's default)", dict(allow_tf32=True)),
                            ("GPU cuDNN, allow_tf32=False", dict(allow_tf32=False)),
                            ("GPU cuDNN, benchmark=True", dict(benchmark=True)),
                            ("GPU cuDNN, deterministic=True", dict(deterministic=True)),
                            ("GPU im2col (cudnn.enabled=False)", dict(enabled=False))):
        saved = flags.enabled, flags.benchmark, flags.deterministic, flags.allow_tf32
        for name, value in settings.items():
            setattr(flags, name, value)
        results.append((label, gpu_ms(step(cuda_backend.kernels, gx, gw, ggy))))
        flags.enabled, flags.benchmark, flags.deterministic, flags.allow_tf32 = saved
    results.append(("CPU im2col (numpy)", cpu_ms(step(torch.backends.cpu.kernels, x, w, gy), repeat=2)))
    flops = 3 * 2 * n * k * hw * hw * c * 9  # forward, input gradient, weight gradient
    cpu = results[-1][1]
    report.add(f"## 3. conv2d forward + backward: x {n}x{c}x{hw}x{hw}, w {k}x{c}x3x3, padding 1 (float32)")
    report.add()
    report.table(["path", "ms", "TFLOP/s", "speed-up vs CPU"],
                 [[label, fmt(ms), f"{flops / ms / 1e9:.2f}", f"{cpu / ms:.0f}x"] for label, ms in results])


def pooling(report, n=32, c=64, hw=56):
    import cupy

    from minitorch.backends import cuda as cuda_backend

    x = np.random.default_rng(1).standard_normal((n, c, hw, hw)).astype(np.float32)
    args = ((2, 2), (2, 2), (0, 0), (1, 1), False)

    def step(kernels, x):
        def run():
            y, idx = kernels.max_pool2d_forward(x, *args)
            kernels.max_pool2d_backward(y, idx, x.shape)
        return run

    cpu = cpu_ms(step(torch.backends.cpu.kernels, x), repeat=3)
    gpu = gpu_ms(step(cuda_backend.kernels, cupy.asarray(x)))
    report.add(f"## 4. max_pool2d 2x2 forward + backward: {n}x{c}x{hw}x{hw} (float32)")
    report.add()
    report.table(["device", "ms", "speed-up"], [["CPU im2col", fmt(cpu), "1x"], ["GPU im2col", fmt(gpu), f"{cpu / gpu:.0f}x"]])


def training(report):
    nn = torch.nn
    rows = []

    def mlp():
        return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

    def cnn():
        return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))

    for label, make, shape in (("MLP 784-512-512-10", mlp, (256, 784)), ("CNN 2 conv + 2 linear", cnn, (256, 1, 28, 28))):
        times = {}
        for device in ("cpu", "cuda"):
            torch.manual_seed(0)
            model = make().to(device)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
            x = torch.randn(*shape).to(device)
            y = torch.randint(0, 10, (shape[0],)).to(device)

            def step():
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()

            times[device] = cpu_ms(step, repeat=3) if device == "cpu" else gpu_ms(step)
        rows.append([label, fmt(times["cpu"]), fmt(times["cuda"]), f"{times['cpu'] / times['cuda']:.0f}x"])
    report.add("## 5. One training step (forward, cross-entropy, backward, SGD with momentum), batch 256")
    report.add()
    report.table(["model", "CPU ms", "GPU ms", "speed-up"], rows)


NOTES = """## Reading the numbers

- Each minitorch op costs tens of microseconds of Python (autograd bookkeeping, wrapping the result)
  on top of CuPy's own launch cost, and the GPU waits for Python: small arrays and models made of many
  small ops (the MLP step: about a hundred ops) gain little, while work dominated by big kernels
  (matrix products, convolutions, the CNN step) gains one to three orders of magnitude.
- cuDNN convolutions use TF32 tensor cores by default (`torch.backends.cudnn.allow_tf32 = True`, as in
  PyTorch): about 2x faster than full float32, with relative errors around 1e-3 instead of 1e-6.
- float32 matrix products do not use TF32 (CuPy's default, like PyTorch's
  `torch.backends.cuda.matmul.allow_tf32 = False`); on Hopper float64 runs on FP64 tensor cores and can
  beat full-precision float32.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "GPU_RESULTS.md"))
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("No GPU: this benchmark needs an NVIDIA GPU and CuPy (pip install \"minitorch-kit[gpu]\").")
    report = Report()
    report.add("# minitorch on the GPU: benchmark results")
    report.add()
    report.add("Produced by `python benchmarks/gpu.py`; milliseconds per call (median). See the script's docstring.")
    report.add()
    machine(report)
    for section in (matmul, elementwise, conv, pooling, training):
        try:
            section(report)
        except Exception as error:  # noqa: BLE001 (one missing feature must not hide the other results)
            report.add(f"## {section.__name__}: not measured ({type(error).__name__}: {error})")
            report.add()
    report.add(NOTES)
    with open(args.out, "w") as f:
        f.write("\n".join(report.lines) + "\n")


if __name__ == "__main__":
    main()
