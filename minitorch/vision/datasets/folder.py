"""``ImageFolder``: a dataset from a folder with one sub-folder of images per class.

    root/cat/1.png, root/cat/2.jpg, root/dog/a.png  ->  classes ['cat', 'dog'], labels 0, 0, 1
"""

from __future__ import annotations

import os

from minitorch._optional import require

from .vision import VisionDataset

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def pil_loader(path):
    """Open an image file with Pillow, as RGB."""
    Image = require("PIL.Image", extra="notebooks", feature="ImageFolder (pil_loader)")

    with open(path, "rb") as f:
        return Image.open(f).convert("RGB")


default_loader = pil_loader


class ImageFolder(VisionDataset):
    """Images in ``root/<class name>/**`` (any depth), labelled by class folder in sorted order
    (torchvision's ``ImageFolder``). Items are ``(loader(path), class index)``; ``samples`` lists
    ``(path, class index)`` pairs, sorted.

    ``is_valid_file(path)`` chooses the files to keep instead of the image extensions; a class
    folder without any file is an error unless ``allow_empty``.
    """

    def __init__(self, root, transform=None, target_transform=None, loader=default_loader, is_valid_file=None,
                 allow_empty=False):
        super().__init__(root, transform, target_transform)
        self.loader = loader
        self.extensions = IMG_EXTENSIONS if is_valid_file is None else None
        self.classes, self.class_to_idx = self.find_classes(root)
        self.samples = self.make_dataset(root, self.class_to_idx, self.extensions, is_valid_file, allow_empty)
        self.targets = [target for _, target in self.samples]
        self.imgs = self.samples

    @staticmethod
    def find_classes(directory):
        """The sorted sub-folder names and their indices."""
        classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
        if not classes:
            raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
        return classes, {name: i for i, name in enumerate(classes)}

    @staticmethod
    def make_dataset(directory, class_to_idx, extensions=None, is_valid_file=None, allow_empty=False):
        """``(path, class index)`` for every valid file under each class folder, sorted."""
        if (extensions is None) == (is_valid_file is None):
            raise ValueError("Both extensions and is_valid_file cannot be None or not None at the same time")
        if is_valid_file is None:
            def is_valid_file(path):
                return path.lower().endswith(extensions)
        samples, empty = [], []
        for name in sorted(class_to_idx):
            found = [os.path.join(folder, f)
                     for folder, _, files in sorted(os.walk(os.path.join(directory, name), followlinks=True))
                     for f in sorted(files)]
            found = [(path, class_to_idx[name]) for path in found if is_valid_file(path)]
            if not found:
                empty.append(name)
            samples += found
        if empty and not allow_empty:
            msg = f"Found no valid file for the classes {', '.join(empty)}. "
            if extensions is not None:
                msg += f"Supported extensions are: {', '.join(extensions)}"
            raise FileNotFoundError(msg)
        return samples

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        path, target = self.samples[index]
        return self._apply_transforms(self.loader(path), target)
