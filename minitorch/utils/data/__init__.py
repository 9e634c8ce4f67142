"""``minitorch.utils.data``: Dataset, DataLoader, samplers."""
