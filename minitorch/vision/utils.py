"""Looking at images in notebooks: ``make_grid`` (torchvision's) and ``show_images`` (matplotlib).

>>> import minitorch as torch
>>> make_grid(torch.rand(10, 1, 28, 28), nrow=5).shape  # 2 rows of 5, 2-pixel borders, grey -> RGB
torch.Size([3, 62, 152])
"""

from __future__ import annotations

import math

import numpy as np

import minitorch as torch
from minitorch._optional import require
from minitorch.nn import functional as nnF


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0):
    """Tile a batch of images (B, C, H, W) (or a list of (C, H, W)) into one image: ``nrow`` per row,
    separated by ``padding`` pixels of ``pad_value``. Grey images become 3 channels.
    ``normalize`` rescales values from ``value_range`` (default: the min and max, per image with
    ``scale_each``) to [0, 1]."""
    if isinstance(tensor, list):
        if not all(isinstance(t, torch.Tensor) for t in tensor):
            raise TypeError(f"tensor or list of tensors expected, got a list containing "
                            f"{next(type(t) for t in tensor if not isinstance(t, torch.Tensor))}")
        tensor = torch.stack(tensor, dim=0)
    elif not isinstance(tensor, torch.Tensor):
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if tensor.dim() == 2:  # one image H x W
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 3:  # one image C x H x W
        tensor = tensor.unsqueeze(0)
    if tensor.shape[1] == 1:  # grey -> RGB
        tensor = tensor.expand(-1, 3, -1, -1)
    if normalize:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers")
        tensor = _rescale(tensor, value_range, scale_each)
    if tensor.shape[0] == 1:
        return tensor.squeeze(0)
    n, c, h, w = tensor.shape
    cols = min(nrow, n)
    rows = math.ceil(n / cols)
    # pad every image on the top and left, add blank images to fill the last row, then lay the
    # (rows, cols) images side by side with one reshape; the bottom and right border come last
    tiles = nnF.pad(tensor, (padding, 0, padding, 0), value=pad_value)
    blanks = tiles.new_full((rows * cols - n, c, h + padding, w + padding), pad_value)
    tiles = torch.cat([tiles, blanks]).reshape(rows, cols, c, h + padding, w + padding)
    grid = tiles.permute(2, 0, 3, 1, 4).reshape(c, rows * (h + padding), cols * (w + padding))
    return nnF.pad(grid, (0, padding, 0, padding), value=pad_value)


def _rescale(tensor, value_range, scale_each):
    """Map ``value_range`` (clamping to it; default: min..max of the batch, or of each image) to [0, 1]."""
    if value_range is None:
        dims = (1, 2, 3) if scale_each else (0, 1, 2, 3)
        low, high = tensor.amin(dims, keepdim=True), tensor.amax(dims, keepdim=True)
        return (tensor - low) / (high - low).clamp(min=1e-5)
    low, high = value_range
    return (tensor.clamp(low, high) - low) / max(high - low, 1e-5)


def show_images(images, titles=None, ncols=8, figsize=None, cmap="gray", normalize=None):
    """Plot images side by side with matplotlib and return the figure.

    ``images``: a batch tensor (N, C, H, W) or (N, H, W), or a list of tensors (C, H, W),
    PIL images or numpy arrays; ``titles``: one label per image (e.g. the class names).
    ``normalize``: rescale each image's values to [0, 1] (``None``: only the images whose values
    leave [0, 1], e.g. after ``Normalize``).
    """
    plt = require("matplotlib.pyplot", extra="notebooks", feature="show_images")

    if isinstance(images, torch.Tensor) and images.dim() in (3, 4):
        images = list(images.unbind(0))
    pictures = [_as_picture(image, normalize) for image in images]
    ncols = max(1, min(ncols, len(pictures)))
    nrows = math.ceil(len(pictures) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (1.6 * ncols, 1.8 * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(pictures):
            ax.imshow(pictures[i], cmap=cmap, vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=9)
    fig.tight_layout()
    return fig


def _as_picture(image, normalize):
    """An image as a numpy (H, W) or (H, W, C) float array in [0, 1], what ``imshow`` wants."""
    if isinstance(image, torch.Tensor):
        array = image.detach().cpu().numpy()
        array = array.transpose(1, 2, 0) if array.ndim == 3 else array
    else:
        array = np.asarray(image)  # a PIL image or a numpy array, (H, W[, C])
    array = array / 255.0 if array.dtype == np.uint8 else array.astype(np.float64)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    low, high = array.min(), array.max()
    if normalize or (normalize is None and (low < 0 or high > 1)):
        array = (array - low) / max(high - low, 1e-5)
    return array
