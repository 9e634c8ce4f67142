"""The data files shipped inside the package are there, unchanged, and load as documented."""

import fnmatch
import hashlib
from pathlib import Path

import numpy as np
import pytest

import minitorch
from minitorch import data

# sha256 of the files as bundled; a change here must come with a SOURCES.md update.
MNIST5K_SHA256 = "246e0c30eeea57c8d0037d3f38c8e00651ec204cc61b8022563e9aeeb9d756f4"
CHELSEA_SHA256 = "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"


def sha256(name):
    return hashlib.sha256(data.path(name).read_bytes()).hexdigest()


def test_files_are_unchanged():
    assert sha256("mnist_5k.npz") == MNIST5K_SHA256
    assert sha256("chelsea.png") == CHELSEA_SHA256
    assert data.path("chelsea.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_attribution_ships_with_the_data():
    sources = data.path("SOURCES.md").read_text(encoding="utf-8")
    for name in ("mnist_5k.npz", "chelsea.png"):
        assert name in sources
    assert "Creative Commons" in sources and "CC0" in sources


def test_load_mnist5k_shapes_dtypes_and_balance():
    images, labels = data.load_mnist5k()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (5000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [500] * 10
    assert images.min() == 0 and images.max() == 255
    assert int(images.sum(dtype=np.int64)) == 131267102


def test_unknown_file_names_the_bundled_ones():
    with pytest.raises(FileNotFoundError, match="mnist_5k.npz"):
        data.path("cifar10.npz")


def test_every_non_python_file_is_declared_as_package_data():
    """A data file missing from pyproject's package-data works in a checkout but not in a wheel."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    root = Path(minitorch.__file__).parent
    pyproject = root.parent / "pyproject.toml"
    if not pyproject.exists():
        pytest.skip("installed without the source tree")
    declared = tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"]
    patterns = [str(Path(*package.split(".")) / pattern) for package, files in declared.items() for pattern in files]
    shipped = [str(f.relative_to(root.parent)) for f in root.rglob("*")
               if f.is_file() and f.suffix not in (".py", ".pyc") and "__pycache__" not in f.parts]
    undeclared = [f for f in shipped if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert not undeclared, f"add these to [tool.setuptools.package-data] in pyproject.toml: {undeclared}"
