"""MNIST-style datasets: 28x28 grey digits (or clothes) with labels 0..9.

* ``MNIST5k``: 5,000 MNIST digits shipped inside minitorch, split 4,000 / 1,000 - no network;
* ``MNIST`` and ``FashionMNIST``: the full 60,000 / 10,000 sets, downloaded once (verified by MD5)
  into ``root`` (default ``$MINITORCH_DATA`` or ``~/.cache/minitorch``).

Items are ``(PIL image, int label)`` as in torchvision: add ``transforms.ToTensor()`` to get tensors.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

import minitorch as torch
from minitorch import data as bundled
from minitorch._optional import require

from ._download import OFFLINE_HINT, data_root, download
from .vision import LabelledImages


def read_idx(path):
    """A (gzipped) IDX file as a numpy array. IDX: 2 zero bytes, a type code (0x08: uint8), the
    number of dims, each dim as a big-endian int32, then the values."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] != 0x08:
        raise RuntimeError(f"{path} is not an IDX file of uint8 values")
    ndim = raw[3]
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">i4", count=ndim, offset=4))
    values = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if values.size != np.prod(shape):
        raise RuntimeError(f"{path}: the header promises {shape} values but the file holds {values.size}")
    return values.reshape(shape)


class _DigitImages(LabelledImages):
    """Shared by the MNIST-style sets: ``data`` (N, 28, 28) uint8 and ``targets`` (N,) int64 tensors."""

    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __getitem__(self, index):
        Image = require("PIL.Image", extra="notebooks", feature=f"{type(self).__name__}()[i]")

        image = Image.fromarray(self.data[index].numpy())  # mode 'L', as torchvision returns
        return self._apply_transforms(image, int(self.targets[index]))


class MNIST5k(_DigitImages):
    """5,000 MNIST digits bundled with minitorch: ``train=True`` gives 4,000 (400 per class),
    ``train=False`` the other 1,000 (100 per class). Works offline.

    The split is fixed: with a generator seeded with 0, a first ``randperm(5000)`` chooses the test
    digits (the first 100 of each class in its order) and a second one orders both sets, so any
    prefix of either set mixes the classes.
    ``root`` and ``download`` are accepted and ignored, so ``MNIST(...)`` code runs after renaming
    the class.

    >>> from minitorch.vision import datasets
    >>> len(datasets.MNIST5k(train=True)), len(datasets.MNIST5k(train=False))
    (4000, 1000)
    """

    def __init__(self, root=None, train=True, transform=None, target_transform=None, download=False):
        super().__init__(None, transform, target_transform)
        self.train = train
        images, labels = bundled.load_mnist5k()
        index = mnist5k_split(labels)[0 if train else 1]
        self.data, self.targets = torch.from_numpy(images[index]), torch.from_numpy(labels[index])


def mnist5k_split(labels, test_per_class=100):
    """(train indices, test indices) of the fixed split described in ``MNIST5k``."""
    generator = torch.Generator().manual_seed(0)
    pick = torch.randperm(len(labels), generator=generator).numpy()
    # rank of each digit among those of its class, in the order ``pick``: 0, 1, 2, ...
    by_class = pick[np.argsort(labels[pick], kind="stable")]
    rank = np.empty(len(labels), dtype=np.int64)
    rank[by_class] = np.arange(len(labels)) - np.searchsorted(labels[by_class], labels[by_class])
    is_test = rank < test_per_class
    order = torch.randperm(len(labels), generator=generator).numpy()  # independent of the choice: mixes classes
    return order[~is_test[order]], order[is_test[order]]


class MNIST(_DigitImages):
    """The MNIST digits: 60,000 for training, 10,000 for testing (torchvision's class).

    ``download=True`` fetches the four gzipped IDX files from the first working mirror, checks
    their MD5, and keeps them in ``<root>/MNIST/raw`` (``root`` defaults to ``$MINITORCH_DATA`` or
    ``~/.cache/minitorch``); later runs read them from there. ``mirrors`` and ``resources``
    ((file name, MD5) pairs) are class attributes, so a subclass or a test can point elsewhere.
    Offline, use ``MNIST5k``.
    """

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = [("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                 ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                 ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                 ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")]

    def __init__(self, root=None, train=True, transform=None, target_transform=None, download=False):
        super().__init__(data_root() if root is None else root, transform, target_transform)
        self.train = train
        if download:
            self.download()
        prefix = "train" if train else "t10k"
        images, labels = (self.raw_folder / f"{prefix}-{kind}.gz" for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"))
        if not (images.exists() and labels.exists()):
            raise RuntimeError(f"Dataset not found in {self.raw_folder}. You can use download=True to download it. "
                               + OFFLINE_HINT)
        self.data = torch.from_numpy(read_idx(images).copy())
        self.targets = torch.from_numpy(read_idx(labels).astype(np.int64))

    @property
    def raw_folder(self):
        return Path(self.root).expanduser() / self.__class__.__name__ / "raw"

    def download(self):
        """Fetch the files that are not in ``raw_folder`` yet."""
        for filename, md5 in self.resources:
            download(filename, self.mirrors, md5, self.raw_folder)


class FashionMNIST(MNIST):
    """Fashion-MNIST: 28x28 grey photos of 10 kinds of clothes, same layout as ``MNIST``."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                 ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                 ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                 ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
