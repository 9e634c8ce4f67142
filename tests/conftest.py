"""Shared test setup: hypothesis profiles and skipping GPU tests on machines without one.

Run the tests from the repository root with ``python -m pytest -q`` (``python -m`` puts the
current directory on ``sys.path``, so an uninstalled checkout works too).
"""

import os

# One BLAS thread: the tests' matrices are small, and on a 2-core machine running notebooks beside
# pytest, OpenBLAS's spinning worker threads made training 5-10x slower. Kernels inherit this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import hypothesis  # noqa: E402
import pytest  # noqa: E402

# Property tests compare with numpy on random inputs. No deadline: the first call of an op pays
# for imports and caches, which is not a bug. Each test file may still lower max_examples.
hypothesis.settings.register_profile("dev", deadline=None, max_examples=40)
# CI: the same examples on every run (a red build must be reproducible) and no example database.
hypothesis.settings.register_profile("ci", deadline=None, max_examples=40, derandomize=True, database=None,
                                     print_blob=True)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``@pytest.mark.cuda`` unless CuPy sees a GPU."""
    cuda_items = [item for item in items if item.get_closest_marker("cuda")]
    if not cuda_items:
        return
    import minitorch

    if minitorch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs an NVIDIA GPU with CuPy (pip install \"minitorch-kit[gpu]\")")
    for item in cuda_items:
        item.add_marker(skip)
