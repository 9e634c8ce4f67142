"""``minitorch.nn``: modules, layers, losses, init and functional."""
