"""Collectives that autograd can differentiate (``torch.distributed.nn``)."""

from . import functional  # noqa: F401
