"""Train the pretrained digits model shipped in ``minitorch/vision/models/weights/``.

``resnet8(weights="DIGITS04")`` loads what this script writes: a ResNet-8 trained on the 2,000
training digits 0-4 of the bundled MNIST sample (``vision.datasets.MNIST5k``'s fixed split). The
digits 5-9 are never seen, so the lecture's fine-tuning recipe has something new to learn.

Everything is seeded (the initial weights, the order of the batches), so a run reproduces the
shipped weights - the same numbers on the same machine, the same accuracy anywhere::

    python scripts/train_digits.py              # train, print the held-out accuracy, write the file
    python scripts/train_digits.py --check      # train and compare with the shipped weights only

After writing new weights, record the printed SHA-256 and accuracy in
``minitorch/vision/models/digits.py`` (``ResNet8_Weights.DIGITS04``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time

# One BLAS thread: matrix products then add in the same order on every run (two threads can round
# differently), and on 2 busy cores it is much faster. Must be set before numpy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout

import minitorch as torch  # noqa: E402
from minitorch import nn  # noqa: E402
from minitorch.vision.models import digits  # noqa: E402

SEED, EPOCHS, BATCH_SIZE, LR = 0, 4, 50, 0.1
WEIGHTS_PATH = os.path.normpath(os.path.join(os.path.dirname(digits.__file__), "weights", "resnet8_digits04.mt"))


def accuracy(model, images, labels, batch_size=500):
    """Fraction of ``images`` whose highest logit is at ``labels`` (the model in eval mode)."""
    model.eval()
    with torch.no_grad():
        predictions = torch.cat([model(images[i:i + batch_size]).argmax(1) for i in range(0, len(images), batch_size)])
    return (predictions == labels).float().mean().item()


def fit(model, images, labels, epochs, lr, seed, batch_size=BATCH_SIZE, parameters=None):
    """Mini-batch SGD with momentum on the cross-entropy, the learning rate decayed linearly to 0;
    the batch order comes from a generator seeded with ``seed``. ``parameters``: the ones to
    train (default: all), e.g. only ``model.fc.parameters()`` when fine-tuning."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.SGD(model.parameters() if parameters is None else parameters, lr=lr, momentum=0.9,
                                weight_decay=5e-4)
    steps = epochs * (len(images) // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / steps)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(images), generator=generator)
        for start in range(0, len(images) - batch_size + 1, batch_size):  # whole batches only
            batch = order[start:start + batch_size]
            loss = loss_fn(model(images[batch]), labels[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
    return model


def train(seed=SEED, epochs=EPOCHS):
    """The shipped recipe: a ResNet-8 initialised with ``torch.manual_seed(seed)``, trained on the
    digits 0-4. Returns ``(model, held-out accuracy)``."""
    torch.manual_seed(seed)
    model = digits.resnet8(num_classes=5)
    images, labels = digits.load_digits(range(5), train=True)
    fit(model, images, labels, epochs, LR, seed)
    test_images, test_labels = digits.load_digits(range(5), train=False)
    return model, accuracy(model, test_images, test_labels)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--out", default=WEIGHTS_PATH, help="where to write the weights (default: the shipped file)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped weights, write nothing; exit status 1 if the accuracy differs")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    model, acc = train(args.seed, args.epochs)
    print(f"held-out accuracy on the digits 0-4: {acc:.4f} ({time.perf_counter() - start:.1f} s)")
    state = model.state_dict()
    if args.check:
        shipped = digits.ResNet8_Weights.DIGITS04
        recorded = shipped.meta["metrics"]["MNIST5k digits 0-4, held out"]["acc@1"]
        state_dict = shipped.get_state_dict()
        same = all(torch.equal(state[k], state_dict[k]) for k in state)
        # bit-identical on the machine that trained them; another CPU's BLAS may round differently
        print(f"the shipped weights: accuracy {recorded:.4f}, "
              + ("identical to these" if same else "not bit-identical to these (another CPU or BLAS?)"))
        return 0 if abs(acc - recorded) <= 0.004 else 1  # within 2 of the 500 held-out digits
    torch.save(state, args.out)  # atomic: written to a temporary file, then renamed
    with open(args.out, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes), sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
