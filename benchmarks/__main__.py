"""``python -m benchmarks``: see ``python -m benchmarks --help``."""

from .run import main

main()
