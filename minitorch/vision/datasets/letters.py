"""``Letters29``: a synthetic 26-class dataset of 29x29 capital letters, made on the fly.

The lecture's vanishing-gradient experiment feeds 29 * 29 = 841 pixels to a deep sigmoid network
with 26 outputs. Each sample here is one of 26 letter templates (rendered once from the DejaVu Sans
font that ships with matplotlib), moved by a random affine map and overlaid with Gaussian noise:

    template  --rotate / stretch / shift (bilinear)-->  jittered  --+ noise, clip to [0, 1]-->  sample

Everything is drawn from a generator seeded by ``seed``, so a dataset is the same on every machine.
"""

from __future__ import annotations

import functools
import math
import string
from pathlib import Path

import numpy as np

import minitorch as torch
from minitorch._optional import require

from ..transforms import functional as F
from .vision import LabelledImages

SIZE = 29


@functools.lru_cache(maxsize=None)
def letter_templates(font_size=22):
    """(26, 29, 29) float32 numpy array: A..Z, white on black, each centred by its ink."""
    matplotlib = require("matplotlib", extra="notebooks", feature="Letters29")
    FT2Font = require("matplotlib.ft2font", extra="notebooks", feature="Letters29").FT2Font

    font = FT2Font(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"))
    font.set_size(font_size, 72)  # 72 dpi: a point is a pixel
    templates = np.zeros((26, SIZE, SIZE), dtype=np.float32)
    for i, letter in enumerate(string.ascii_uppercase):
        font.set_text(letter)
        font.draw_glyphs_to_bitmap(antialiased=True)
        glyph = np.asarray(font.get_image(), dtype=np.float32) / 255
        rows, cols = np.nonzero(glyph)
        glyph = glyph[rows.min():rows.max() + 1, cols.min():cols.max() + 1]  # the ink only
        top, left = (SIZE - glyph.shape[0]) // 2, (SIZE - glyph.shape[1]) // 2
        templates[i, top:top + glyph.shape[0], left:left + glyph.shape[1]] = glyph
    return templates


class Letters29(LabelledImages):
    """26 classes (A..Z) of 29x29 grey letter images with random affine jitter and noise.

    ``samples_per_class`` images of each letter (in the order A, B, ..., Z, A, B, ...), from a
    generator seeded with ``seed``; the training and the test set (``train=False``) use different
    streams. ``data`` is a float32 tensor (N, 29, 29) in [0, 1], ``targets`` int64 (N,). Items are
    ``(image (1, 29, 29) tensor, int label)``: already tensors, so leave ``ToTensor`` out.

    Jitter: rotation up to ``max_degrees``, scale 0.85..1.15 along each axis, shift up to ``max_shift``
    pixels; then noise of std ``noise``.

    >>> ds = Letters29(samples_per_class=10)
    >>> ds.data.shape, ds.classes[ds.targets[3]]
    (torch.Size([260, 29, 29]), 'D')
    """

    classes = list(string.ascii_uppercase)

    def __init__(self, train=True, transform=None, target_transform=None, samples_per_class=200, seed=0,
                 max_degrees=12.0, max_shift=2.0, noise=0.1):
        super().__init__(None, transform, target_transform)
        self.train = train
        generator = torch.Generator().manual_seed(2 * seed + (0 if train else 1))  # train and test differ
        self.targets = torch.arange(26).repeat(samples_per_class)
        n = len(self.targets)

        def uniform(*shape, bound):  # in [-bound, bound)
            return (torch.rand(*shape, generator=generator) * 2 - 1) * bound

        angle = uniform(n, bound=math.radians(max_degrees))
        stretch = 1 + uniform(n, 2, bound=0.15)  # x and y scale
        shift = uniform(n, 2, 1, bound=max_shift)
        cos, sin = angle.cos(), angle.sin()
        # the jitter is p -> R S p + shift (stretch, rotate, shift); sampling needs its inverse:
        # output -> input is (R S)^-1 (p - shift), and (R S)^-1 = S^-1 R^T
        inverse = torch.stack([cos, sin, -sin, cos], 1).view(n, 2, 2) / stretch.view(n, 2, 1)
        theta = torch.cat([inverse, -(inverse @ shift)], 2)  # (n, 2, 3)

        templates = torch.from_numpy(letter_templates())[self.targets].unsqueeze(1)  # (n, 1, 29, 29)
        x, y = F.affine_points(theta, (SIZE, SIZE), (SIZE, SIZE))
        jittered, _ = F.sample_points(templates, x, y, "bilinear")
        noisy = jittered.view(n, SIZE, SIZE) + noise * torch.randn(n, SIZE, SIZE, generator=generator)
        self.data = noisy.clamp(0, 1)

    def __getitem__(self, index):
        return self._apply_transforms(self.data[index].unsqueeze(0), int(self.targets[index]))
