"""Rebuild and execute lecture notebooks: ``python -m notebooks._build`` (all, both editions),
``... 01 03`` (those lectures), ``... --edition ru 03`` (one edition).

Each ``NN_name.py`` here defines ``FILE``, ``RUNTIME_S`` and ``cells()``; this writes
``notebooks/FILE`` (English) and ``notebooks/ru/FILE`` (Russian) and runs each in place, printing
how long it took.
"""

import argparse
import importlib
import pathlib
import sys

from notebooks._build.common import EDITIONS, building, write_and_execute


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m notebooks._build")
    parser.add_argument("numbers", nargs="*", help="lecture numbers (default: all)")
    parser.add_argument("--edition", choices=sorted(EDITIONS), action="append",
                        help="build only this edition (default: both)")
    args = parser.parse_args(argv)
    numbers = [n.zfill(2) for n in args.numbers]
    scripts = sorted(pathlib.Path(__file__).parent.glob("[0-9][0-9]_*.py"))
    chosen = [s for s in scripts if not numbers or s.name[:2] in numbers]
    if not chosen:
        sys.exit(f"no builder matches {numbers}; have: {[s.name for s in scripts]}")
    for script in chosen:
        builder = importlib.import_module(f"notebooks._build.{script.stem}")
        for language in args.edition or EDITIONS:
            with building(language):
                seconds = write_and_execute(builder.FILE, builder.cells(), builder.RUNTIME_S)
            print(f"{'/'.join(filter(None, (EDITIONS[language], builder.FILE)))}: executed in {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
