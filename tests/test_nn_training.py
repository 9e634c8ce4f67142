"""End to end: an MLP and a LeNet-style CNN, trained with Adam on the bundled 5,000 MNIST digits,
reach at least 90% and 95% accuracy on 1,000 held-out digits.

Everything is seeded: the split (numpy), the initialisation and the batch order (minitorch).
The training times are printed (``pytest -s``) for the benchmarks; no test asserts a timing.
"""

import time

import numpy as np
import pytest

import minitorch as torch
from minitorch import nn
import minitorch.nn.functional as F
from minitorch.data import load_mnist5k


@pytest.fixture(scope="module")
def mnist():
    """(train images, train labels, test images, test labels): a fixed shuffle, the last 1,000 held out."""
    images, labels = load_mnist5k()  # sorted by class: shuffle before splitting
    order = np.random.default_rng(0).permutation(len(labels))
    x = (images[order].astype(np.float32) / 255 - 0.1307) / 0.3081  # MNIST's mean and std
    x, y = torch.tensor(x).unsqueeze(1), torch.tensor(labels[order])
    return x[:4000], y[:4000], x[4000:], y[4000:]


def train(model, data, epochs, lr, batch_size=32):
    """Adam with the learning rate cut to 30% halfway; returns (held-out accuracy, seconds)."""
    x_train, y_train, x_test, y_test = data
    torch.manual_seed(0)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=epochs // 2, gamma=0.3)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(y_train))
        for i in range(0, len(y_train), batch_size):
            batch = order[i:i + batch_size]
            loss = F.cross_entropy(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    return accuracy, seconds


def test_mlp_reaches_90_percent(mnist):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    accuracy, seconds = train(model, mnist, epochs=8, lr=1e-3)
    print(f"\nMLP 784-256-10, 8 epochs on 4,000 digits: {seconds:.1f} s, held-out accuracy {accuracy:.3f}")
    assert accuracy >= 0.90


def test_cnn_reaches_95_percent(mnist):
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    accuracy, seconds = train(model, mnist, epochs=8, lr=2e-3)
    print(f"\nLeNet-5 CNN, 8 epochs on 4,000 digits: {seconds:.1f} s, held-out accuracy {accuracy:.3f}")
    assert accuracy >= 0.95
