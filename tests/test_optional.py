"""Every feature that needs an optional package says, when the package is missing, which feature and
which ``pip install "minitorch-kit[extra]"`` brings it (minitorch/_optional.py) - never a bare
``No module named 'PIL'``."""

import sys

import numpy as np
import pytest

import minitorch as torch
from minitorch import viz
from minitorch._optional import require
from minitorch.vision import datasets, transforms, utils


def missing(monkeypatch, *modules):
    """Make importing each of ``modules`` fail, as if it were not installed."""
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def test_require_imports_what_is_there():
    assert require("numpy", extra="notebooks", feature="x") is np


def test_require_names_the_feature_the_package_and_the_extra(monkeypatch):
    missing(monkeypatch, "PIL", "PIL.Image")
    with pytest.raises(ImportError) as info:
        require("PIL.Image", extra="notebooks", feature="sample_image")
    assert str(info.value) == 'sample_image needs Pillow, which is not installed: pip install "minitorch-kit[notebooks]"'
    assert info.value.name == "PIL"


@pytest.mark.parametrize("modules, feature, call", [
    (["PIL", "PIL.Image"], "sample_image", lambda tmp: datasets.sample_image("cat")),
    (["PIL", "PIL.Image"], r"MNIST5k\(\)\[i\]", lambda tmp: datasets.MNIST5k()[0]),
    (["PIL", "PIL.Image"], "to_pil_image", lambda tmp: transforms.functional.to_pil_image(torch.zeros(1, 2, 2))),
    (["PIL", "PIL.Image"], "ImageFolder", lambda tmp: datasets.pil_loader(tmp / "x.png")),
    (["matplotlib", "matplotlib.ft2font"], "Letters29", lambda tmp: datasets.letters.letter_templates(font_size=13)),
    (["matplotlib", "matplotlib.pyplot"], "show_images", lambda tmp: utils.show_images(torch.zeros(1, 2, 2))),
    (["graphviz"], "draw_graph", lambda tmp: viz.draw_graph(torch.ones(1, requires_grad=True) * 2)),
    (["pooch"], "Downloading datasets", lambda tmp: datasets.MNIST(tmp, download=True)),
], ids=["sample_image", "MNIST5k", "to_pil_image", "pil_loader", "Letters29", "show_images", "draw_graph", "download"])
def test_notebook_features_name_the_notebooks_extra(monkeypatch, tmp_path, modules, feature, call):
    missing(monkeypatch, *modules)
    with pytest.raises(ImportError, match=rf'{feature}.* needs .*pip install "minitorch-kit\[notebooks\]"'):
        call(tmp_path)


def test_grading_names_the_grading_extra(monkeypatch, tmp_path):
    from minitorch.grading.assign import assign
    from minitorch.grading.grader import find_submissions

    missing(monkeypatch, "nbformat")
    for call in (lambda: assign(tmp_path, tmp_path / "out"), lambda: find_submissions([tmp_path])):
        with pytest.raises(ImportError, match=r'needs nbformat, which is not installed: pip install "minitorch-kit\[grading\]"'):
            call()
