"""``VisionDataset``: what every dataset here shares (root, transforms, torchvision's repr)."""

from __future__ import annotations

from minitorch.utils.data import Dataset


class VisionDataset(Dataset):
    """A map-style dataset of ``(image, target)`` pairs; ``transform`` is applied to the image and
    ``target_transform`` to the target as they are read."""

    def __init__(self, root=None, transform=None, target_transform=None):
        self.root, self.transform, self.target_transform = root, transform, target_transform

    def _apply_transforms(self, image, target):
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def extra_repr(self):
        return ""

    def __repr__(self):
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if self.transform is not None or self.target_transform is not None:
            body.append("\n".join(["StandardTransform"] + _labelled(self.transform, "Transform: ")
                                  + _labelled(self.target_transform, "Target transform: ")))
        return "\n".join([f"Dataset {self.__class__.__name__}"] + ["    " + line for line in body])


class LabelledImages(VisionDataset):
    """Images held in memory (``data``) with class labels (``targets``, indices into ``classes``),
    split into a training and a test set (``train``)."""

    classes = []

    @property
    def class_to_idx(self):
        return {name: i for i, name in enumerate(self.classes)}

    def __len__(self):
        return len(self.targets)

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"


def _labelled(transform, head):
    """``transform``'s repr after ``head``, its later lines indented to line up (torchvision's layout)."""
    if transform is None:
        return []
    first, *rest = repr(transform).splitlines()
    return [head + first] + [" " * len(head) + line for line in rest]
