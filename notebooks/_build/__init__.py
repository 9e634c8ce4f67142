"""Builders of the lecture notebooks: ``python -m notebooks._build [NN ...]`` (see common.py)."""
