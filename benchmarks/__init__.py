"""Speed of minitorch next to raw numpy (the floor: minitorch computes with numpy) and PyTorch.

Run ``python -m benchmarks`` from the repository root; it writes ``benchmarks/RESULTS.md``.
``cases.py`` holds what is measured, ``run.py`` how (timing, machine info, the report).
torch is optional: when it is not importable its column reads "n/a".
``gpu.py`` is the GPU benchmark (CPU vs CuPy/cuDNN); run it on a machine with an NVIDIA GPU.
"""
