"""Rebuild and execute lecture notebooks: ``python -m notebooks._build`` (all) or ``... 01 03``.

Each ``NN_name.py`` here defines ``FILE``, ``RUNTIME_S`` and ``cells()``; this writes
``notebooks/FILE`` and runs it in place, printing how long each took.
"""

import importlib
import pathlib
import sys

from notebooks._build.common import write_and_execute


def main(numbers):
    scripts = sorted(pathlib.Path(__file__).parent.glob("[0-9][0-9]_*.py"))
    chosen = [s for s in scripts if not numbers or s.name[:2] in numbers]
    if not chosen:
        sys.exit(f"no builder matches {numbers}; have: {[s.name for s in scripts]}")
    for script in chosen:
        builder = importlib.import_module(f"notebooks._build.{script.stem}")
        seconds = write_and_execute(builder.FILE, builder.cells(), builder.RUNTIME_S)
        print(f"{builder.FILE}: executed in {seconds:.1f} s")


if __name__ == "__main__":
    main([n.zfill(2) for n in sys.argv[1:]])
