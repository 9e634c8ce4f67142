"""minitorch.vision.utils: make_grid (torchvision's layout) and show_images (matplotlib)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch as torch
from minitorch.vision.utils import make_grid, show_images


def grid_loop(images, nrow, padding, pad_value):
    """torchvision's make_grid, written as its plain loop over the images (numpy)."""
    n, c, h, w = images.shape
    cols = min(nrow, n)
    rows = -(-n // cols)
    grid = np.full((c, rows * (h + padding) + padding, cols * (w + padding) + padding), pad_value, images.dtype)
    for k in range(n):
        y, x = divmod(k, cols)
        top, left = y * (h + padding) + padding, x * (w + padding) + padding
        grid[:, top:top + h, left:left + w] = images[k]
    return grid


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 11), channels=st.sampled_from([1, 3]), nrow=st.integers(1, 6), padding=st.integers(0, 3),
       pad_value=st.sampled_from([0.0, 0.5]))
def test_make_grid_lays_images_out_like_torchvision(n, channels, nrow, padding, pad_value):
    images = np.random.default_rng(n).random((n, channels, 4, 5)).astype(np.float32)
    out = make_grid(torch.from_numpy(images), nrow=nrow, padding=padding, pad_value=pad_value)
    rgb = np.repeat(images, 3, axis=1) if channels == 1 else images
    np.testing.assert_array_equal(out.numpy(), grid_loop(rgb, nrow, padding, pad_value))


def test_make_grid_forms_and_normalize():
    assert make_grid(torch.rand(10, 1, 28, 28), nrow=5).shape == (3, 62, 152)
    assert make_grid([torch.ones(3, 4, 4), torch.zeros(3, 4, 4)]).shape == (3, 8, 14)
    assert make_grid(torch.ones(4, 5)).shape == (3, 4, 5)  # one image: no border
    x = torch.tensor([[[[-1.0, 1.0]]], [[[0.0, 3.0]]]])
    np.testing.assert_allclose(make_grid(x, normalize=True, padding=0)[0].numpy(), [[0.0, 0.5, 0.25, 1.0]])
    np.testing.assert_allclose(make_grid(x, normalize=True, scale_each=True, padding=0)[0].numpy(),
                               [[0.0, 1.0, 0.0, 1.0]])
    np.testing.assert_allclose(make_grid(x, normalize=True, value_range=(0, 2), padding=0)[0].numpy(),
                               [[0.0, 0.5, 0.0, 1.0]])
    with pytest.raises(TypeError, match="tensor or list of tensors expected"):
        make_grid([torch.ones(3, 2, 2), np.ones((3, 2, 2))])
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        make_grid(x, normalize=True, value_range=[0, 1])


def test_show_images_draws_one_panel_per_image():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = show_images(torch.randn(5, 1, 8, 8), titles=list("abcde"), ncols=3)  # normalised values are rescaled
    panels = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 6 and len(panels) == 5 and panels[1].get_title() == "b"
    shown = panels[0].images[0].get_array()
    assert 0.0 <= shown.min() and shown.max() <= 1.0
    plt.close(fig)
    fig = show_images([np.zeros((4, 4, 3), np.uint8), torch.ones(3, 4, 4)])
    assert len([ax for ax in fig.axes if ax.images]) == 2
    plt.close(fig)
