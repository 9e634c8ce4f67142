"""``minitorch.optim``: optimizers and learning-rate schedulers."""
