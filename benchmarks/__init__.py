"""Speed of minitorch next to raw numpy (the floor: minitorch computes with numpy) and PyTorch.

Run ``python -m benchmarks`` (or ``python benchmarks/run.py``) from the repository root; it
writes ``benchmarks/RESULTS.md``. ``cases.py`` holds what is timed, ``measurements.py`` the
notebook run times and the memory of a training loop, ``run.py`` how it is all measured and
``report.py`` the report. torch is optional: when it is not importable its column reads "n/a"
(run the same command with an interpreter that has torch to fill it in).
``gpu.py`` is the GPU benchmark (CPU vs CuPy/cuDNN); run it on a machine with an NVIDIA GPU.

BLAS runs on ONE thread unless ``OPENBLAS_NUM_THREADS`` says otherwise, and torch gets the same
number of threads: on a small shared machine, threads that wait for each other make every
figure noisy, and one thread compares the libraries' work rather than their thread pools.
The variables must be set before numpy is imported, which is why it happens here.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, os.environ.get("OPENBLAS_NUM_THREADS", "1"))


def blas_threads():
    """The number of BLAS threads this process was started with (see above)."""
    return int(os.environ["OPENBLAS_NUM_THREADS"])
