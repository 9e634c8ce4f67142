"""Builds notebooks/06_data_augmentation.ipynb: Dataset, DataLoader, transforms and augmentation.

The source course's "Overfitting: augmentation" slides (small rotations, flips, colour changes, shifts),
the tutorial's TensorDataset / DataLoader example, the MNIST loader with
ColorJitter + RandomRotation((-15, 15)) + ToTensor + Normalize, the custom ``Noise`` transform and
``CustomTextDataset``; the homework asks for rotations of -15..15, random shifts and noise.
"""

from notebooks._build.common import (code, header, homework, imports_cell, md, predict, quiz_cell, setup_cell, try_it,
                                     write_and_execute)

SEEDS = 5  # plain vs augmented training is compared over this many seeds

FILE = "06_data_augmentation.ipynb"
RUNTIME_S = 70


def cells():
    return [
        header(6, "Datasets, loaders and data augmentation", FILE, [
            "wrap data in a `Dataset` (ready-made or your own) and batch it with a `DataLoader`",
            "chain image transforms with `transforms.Compose`",
            "augment images: small rotations, flips, shifts, colour jitter, noise",
            "write your own transform class",
            "measure what augmentation does to held-out accuracy on a small training set",
        ], RUNTIME_S),
        setup_cell(),
        imports_cell("""
            import numpy as np
            import minitorch as torch
            from minitorch import nn
            import minitorch.nn.functional as F
            from minitorch.utils.data import DataLoader, Dataset, Subset, TensorDataset
            from minitorch.vision import datasets, transforms
            from minitorch.vision.utils import make_grid, show_images
            from IPython.display import Markdown, display
        """, f"SEEDS = {SEEDS}   # plain vs augmented training is compared over this many seeds"),
        quiz_cell(),
        md("""
            ## 1. Dataset and DataLoader

            The lecture's two building blocks:
            1. a **dataset** (`TensorDataset`, or your own class) answers `len(ds)` and `ds[i]`;
            2. a **DataLoader** serves it in batches, shuffled if asked, stacking the samples into tensors.

            $y = x^2$ for $x = 0..9$, with a column of ones (for a bias), in shuffled batches of 4:
        """),
        *predict(
            "10 samples in batches of 4: how many batches, and how big is the last one?",
            """
            x = torch.from_numpy(np.vstack([np.arange(10, dtype='float32'),
                                            np.ones(10, dtype='float32')]).T)
            y = torch.from_numpy(np.arange(10, dtype='float32')[:, np.newaxis] ** 2)
            train_ds = TensorDataset(x, y)
            train_dl = DataLoader(train_ds, batch_size=4, shuffle=True)
            for xb, yb in train_dl:
                print(xb)
                print(yb)
            """),
        code("""
            assert len(train_ds) == 10 and len(train_dl) == 3 and xb.shape == (2, 2)   # 4 + 4 + 2
            assert sorted(torch.cat([b for b, _ in train_dl])[:, 0].tolist()) == list(range(10))  # each once
        """),
        md("""
            Your own dataset: subclass `Dataset` and define `__len__` and `__getitem__`. The lecture's example
            keeps (text, label) pairs sorted by length, so that a batch holds texts of similar length:
        """),
        code("""
            class CustomTextDataset(Dataset):
                \"\"\"
                Simple Dataset initializes with X and y vectors
                \"\"\"
                def __init__(self, X, y=None):
                    self.data = list(zip(X, y))
                    # Sort by length of first element in tuple
                    self.data = sorted(self.data, key=lambda x: len(x[0]))

                def __len__(self):
                    return len(self.data)

                def __getitem__(self, idx):
                    return self.data[idx]


            texts = ["a fine day", "no", "deep nets need data", "augment it"]
            ds = CustomTextDataset(texts, [1, 0, 1, 1])
            print(len(ds), ds[0], ds[3])
            for batch in DataLoader(ds, batch_size=2):   # strings stay a list, numbers become a tensor
                print(batch)
        """),
        md("""
            ## 2. Transforms, one at a time

            Fewer examples than parameters means overfitting. **Augmentation** artificially enlarges the
            training set with changes that keep the label: small rotations, flips, small colour changes,
            small shifts, ... A transform is a callable `image -> image`, drawing new random parameters on
            every call. On the bundled photo (shrunk to 80 pixels high to keep it quick):
        """),
        code("""
            cat = transforms.Resize(80)(datasets.sample_image("cat"))   # a PIL image, 120 x 80
            AUGMENTATIONS = {
                "rotation -15..15": transforms.RandomRotation((-15, 15)),
                "horizontal flip": transforms.RandomHorizontalFlip(),
                "shift up to 10%": transforms.RandomAffine(degrees=0, translate=(0.1, 0.1)),
                "colour jitter": transforms.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1),
            }
            images, titles = [], []
            for name, augment in AUGMENTATIONS.items():
                images += [cat] + [augment(cat) for _ in range(3)]
                titles += [name] + [""] * 3
            show_images(images, titles=titles, ncols=4, figsize=(5, 3.8))   # small: photos make big PNGs
            plt.show()
        """),
        md("""
            Noise is added to a tensor (values in [0, 1]) rather than to a PIL image, so `ToTensor` comes first.
            The lecture writes its own transform for it: any class with `__call__` will do, and a
            `__repr__` makes it print nicely inside `Compose`.
        """),
        code("""
            class Noise():
                \"\"\"
                Adds gaussian noise to a tensor.
                \"\"\"
                def __init__(self, mean, stddev):
                    self.mean = mean
                    self.stddev = stddev

                def __call__(self, tensor):
                    noise = torch.zeros_like(tensor).normal_(self.mean, self.stddev)
                    return tensor.add_(noise)

                def __repr__(self):
                    repr = f'{self.__class__.__name__}(mean={self.mean}, stddev={self.stddev})'
                    return repr
        """),
        code("""
            noisy = transforms.Compose([transforms.ToTensor(), Noise(0, 0.1)])
            print(noisy)
        """),
        code("""
            clean = transforms.ToTensor()(cat)
            samples = [noisy(cat) for _ in range(3)]
            added = samples[0] - clean
            print(f"noise mean {added.mean().item():+.4f}, std {added.std().item():.4f}")
            show_images([clean, samples[0], samples[1], transforms.GaussianNoise(sigma=0.1)(clean)],
                        titles=["clean", "Noise(0, 0.1)", "Noise(0, 0.1)", "GaussianNoise"], ncols=4, figsize=(5, 1.1))
            plt.show()
        """),
        md("""
            Note `tensor.add_(noise)`: the lecture's `Noise` changes the tensor it is given, in place. Inside
            `Compose`, after `ToTensor` made a fresh tensor, that is harmless; called on a tensor you still need,
            it is not. torchvision's ready-made version is `transforms.GaussianNoise` (it also clips to [0, 1]).
        """),
        code("""
            assert abs(added.mean().item()) < 0.005 and abs(added.std().item() - 0.1) < 0.005
            assert not torch.equal(samples[0], samples[1])        # new noise on every call
        """),
        md("""
            ## 3. The lecture's MNIST pipeline

            The lecture loads MNIST with colour jitter and rotations, then converts to a tensor and
            normalises with MNIST's mean and std. Here with the 4,000 digits shipped with minitorch
            (`datasets.MNIST5k`, no download) instead of `datasets.MNIST('../data', download=True)`;
            `num_workers=8` loads batches in 8 worker processes, as torch does; `pin_memory` is accepted (it only matters for copies to a GPU).
        """),
        code("""
            lecture_transform = transforms.Compose([
                transforms.ColorJitter(brightness=(0.6, 1),
                    contrast=(0.8, 1)),
                transforms.RandomRotation((-15, 15)),
                # convert to a tensor + normalise
                transforms.ToTensor(),
                transforms.Normalize((0.1307,), (0.3081,))
            ])
            print(lecture_transform)
        """),
        code("""
            train_loader = DataLoader(datasets.MNIST5k(train=True, transform=lecture_transform),
                                      batch_size=64, shuffle=True, num_workers=8, pin_memory=True)
            images, labels = next(iter(train_loader))
            print(images.shape, images.dtype, labels[:10])
            print(f"mean {images.mean().item():.3f}, std {images.std().item():.3f}")  # near 0 and 1 (darker: brightness 0.6..1)
            show_images(images[:16], titles=labels[:16].tolist(), ncols=8)
            plt.show()
        """),
        code("""
            assert images.shape == (64, 1, 28, 28) and labels.shape == (64,)
            assert abs(images.mean().item()) < 0.3 and 0.7 < images.std().item() < 1.3
        """),
        md("""
            The same digit, eight times through the pipeline, one row per digit (`make_grid` tiles a batch
            into one image):
        """),
        code("""
            digits = datasets.MNIST5k(train=True)
            rows = [lecture_transform(digits[i][0]) for i in range(6) for _ in range(8)]
            grid = make_grid(torch.stack(rows), nrow=8, normalize=True)
            print(grid.shape)
            plt.figure(figsize=(6, 4.5))
            plt.imshow(grid.permute(1, 2, 0).numpy())
            plt.axis("off")
            plt.show()
        """),
        md("""
            Transforms can and should differ for training and testing: the test set gets only `ToTensor`
            and `Normalize`, never random changes.

            ## 4. Does augmentation help? 500 training digits

            A small MLP (784-128-10), trained with Adam for 15 epochs on only 500 digits, once on the plain
            images and once through the lecture's augmentation; accuracy on the 1,000 held-out digits.
            One run decides nothing (a different initialisation moves the accuracy by about a point), so both
            are trained with the same 5 seeds. (Augmenting costs time: every epoch transforms every image again.)
        """),
        code("""
            plain_transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
            test_set = datasets.MNIST5k(train=False, transform=plain_transform)
            x_test = torch.stack([image for image, _ in test_set])
            y_test = test_set.targets
            x_train_plain = torch.stack([plain_transform(digits[i][0]) for i in range(500)])
            y_train = digits.targets[:500]


            def accuracy(net, x, y):
                with torch.no_grad():
                    return (net(x).argmax(1) == y).float().mean().item()


            def train(transform, seed, epochs=15):
                torch.manual_seed(seed)
                train_set = Subset(datasets.MNIST5k(train=True, transform=transform), range(500))
                loader = DataLoader(train_set, batch_size=50, shuffle=True)
                net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
                optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
                test_accuracy = []
                for epoch in range(epochs):
                    for xb, yb in loader:
                        optimizer.zero_grad()
                        F.cross_entropy(net(xb), yb).backward()
                        optimizer.step()
                    test_accuracy.append(accuracy(net, x_test, y_test))
                return net, test_accuracy


            runs = {name: [train(transform, seed) for seed in range(SEEDS)]
                    for name, transform in [("plain", plain_transform), ("augmented", lecture_transform)]}
            test_curves = {name: np.array([curve for _, curve in rs]) for name, rs in runs.items()}   # (seeds, epochs)
            train_acc = {name: np.array([accuracy(net, x_train_plain, y_train) for net, _ in rs]) for name, rs in runs.items()}
        """),
        *predict(
            "which net fits its 500 training digits better, and which one does better on new digits?",
            """
            print(f"mean +- std over {SEEDS} seeds")
            print(f"{'':10s}{'train accuracy':>18s}{'test accuracy':>18s}")
            for name, curves in test_curves.items():
                final = curves[:, -1]
                print(f"{name:10s}{train_acc[name].mean():11.3f} +-{train_acc[name].std():.3f}"
                      f"{final.mean():11.3f} +-{final.std():.3f}")
                plt.errorbar(range(1, 16), curves.mean(0), yerr=curves.std(0), marker="o", capsize=2, label=name)
            plt.xlabel("epoch")
            plt.ylabel(f"test accuracy (mean +- std, {SEEDS} seeds)")
            plt.legend()
            plt.show()
            gain = test_curves["augmented"][:, -1] - test_curves["plain"][:, -1]   # paired: same seed, same init
            print("augmented - plain, seed by seed:", np.round(gain, 3))
            """, options=["plain fits better, augmented generalises better",
                          "augmented is better on both", "plain is better on both",
                          "plain fits better; on new digits the difference is within the noise"],
            answer=0, why="the plain net memorises its 500 digits (training accuracy at or near 100%); the augmented "
            "net never sees the same image twice, fits them less tightly, and does slightly better on new digits, with "
            "the same sign for almost every seed. The numbers and the spread are printed above."),
        code("""
            helps = gain.mean() > 2 * gain.std() / np.sqrt(SEEDS)     # the mean gain beats its standard error twice
            hurts = gain.mean() < -2 * gain.std() / np.sqrt(SEEDS)
            verdict = ("helps" if helps else "hurts" if hurts else "makes no measurable difference")
            display(Markdown(
                f"The plain net learns its 500 digits (train accuracy {train_acc['plain'].mean():.3f}): it "
                f"memorises them. The augmented net never sees the same image twice and fits the training set "
                f"less tightly ({train_acc['augmented'].mean():.3f}). On held-out digits, augmentation changes the "
                f"accuracy by {gain.mean():+.3f} on average (from {gain.min():+.3f} to {gain.max():+.3f} over "
                f"{SEEDS} seeds): at this budget it **{verdict}**."))
        """),
        code("""
            assert test_curves["plain"][:, -1].min() > 0.8 and test_curves["augmented"][:, -1].min() > 0.8
            assert train_acc["plain"].min() > 0.99                            # memorised, every seed
            assert train_acc["augmented"].mean() < train_acc["plain"].mean()  # fits the training digits less tightly
        """),
        *try_it([
            ("Augmentation as in the homework: small rotations (-15, 15), random shifts "
             "(`transforms.RandomAffine(0, translate=...)`) and noise (`Noise` after `ToTensor`). Which combination "
             "helps the 500-digit net most?", """
                ```python
                shifted = transforms.Compose([transforms.RandomAffine(0, translate=(0.1, 0.1)), transforms.ToTensor(),
                                              Noise(0, 0.1), transforms.Normalize((0.1307,), (0.3081,))])
                gains = [train(shifted, seed)[1][-1] - test_curves["plain"][seed, -1] for seed in range(SEEDS)]
                ```
                Judge each combination the way section 4 does: the mean gain over the seeds against its spread.
                Shifts are the natural candidate for an MLP, which (unlike a convolution) has no built-in tolerance
                to translation; and train longer too, since the plain net stops improving once it has memorised
                its 500 digits while the augmented one keeps seeing new images.
            """),
            ("Write a transform `RandomShift(pixels)` of your own with `torch.roll`, with a `__repr__`.", """
                ```python
                class RandomShift:
                    def __init__(self, pixels):
                        self.pixels = pixels

                    def __call__(self, tensor):            # a (C, H, W) tensor, after ToTensor
                        dy, dx = torch.randint(-self.pixels, self.pixels + 1, (2,)).tolist()
                        return torch.roll(tensor, shifts=(dy, dx), dims=(1, 2))

                    def __repr__(self):
                        return f"{self.__class__.__name__}(pixels={self.pixels})"
                ```
                `torch.roll` wraps around the edge; for MNIST the border is black, so a shift of 2-3 pixels only
                moves background.
            """),
            ("Does a horizontal flip make sense for digits? For the cat?", """
                Not for digits: a flipped 2, 3, 7 or 9 is not a digit any more (and flipped 5 and 2 look alike),
                so the label would become wrong. For the cat, yes: a mirrored cat is still a cat. An augmentation
                must keep the label true.
            """),
        ]),
        homework(6, """
            write random rotations, shifts and Gaussian noise with tensor operations, then train with them.
        """),
    ]


if __name__ == "__main__":
    print(f"{FILE}: executed in {write_and_execute(FILE, cells(), RUNTIME_S):.1f} s")
