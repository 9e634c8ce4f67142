"""The course for a kit installed with pip: ``python -m minitorch.course copy DIR``.

Writes the landing notebook ``DIR/START_HERE.ipynb``, the lectures ``DIR/notebooks/`` and the
homework ``DIR/exercises/``, then: ``cd DIR && jupyter lab START_HERE.ipynb``. A file that is
already there is kept (it may hold your work): delete it first to get a fresh copy.

The wheel carries these files in ``minitorch/_course/``, copied at build time from the top-level
folders of the repository (setup.py), so git keeps a single copy. From a checkout (an editable
install) they are read from the top-level folders themselves.

>>> from minitorch import course
>>> "notebooks/01_tensors.ipynb" in course.files()
True
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

# What the course is (setup.py reads this list too): paths relative to the repository root.
COURSE = ["START_HERE.ipynb", "notebooks/README.md", "notebooks/*.ipynb", "notebooks/ru/*.ipynb", "exercises/README.md",
          "exercises/*.ipynb", "exercises/ru/*.ipynb"]

_PACKAGED = Path(__file__).resolve().parent / "_course"  # in an installed wheel
_CHECKOUT = Path(__file__).resolve().parent.parent  # the repository, when running from one


def source():
    """The folder holding the course: the wheel's package data, else the checkout."""
    for root in (_PACKAGED, _CHECKOUT):
        if (root / COURSE[0]).is_file():
            return root
    raise FileNotFoundError("the course files are missing from this installation of minitorch-kit: "
                            'reinstall it (pip install --force-reinstall "minitorch-kit[notebooks]")')


def files():
    """The course's files, as paths relative to :func:`source` (``"notebooks/01_tensors.ipynb"``...)."""
    root = source()
    return [path.relative_to(root).as_posix() for pattern in COURSE for path in sorted(root.glob(pattern))]


def copy(target):
    """Copy the course into folder ``target``; returns ``(written, kept)`` lists of paths. Never
    overwrites: a file already in ``target`` is kept as it is."""
    root, target = source(), Path(target)
    written, kept = [], []
    for name in files():
        destination = target / name
        if destination.exists():
            kept.append(destination)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, destination)
        written.append(destination)
    return written, kept


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minitorch.course", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    copy_command = commands.add_parser("copy", help="write the lectures, the exercises and START_HERE.ipynb into DIR")
    copy_command.add_argument("dir", help="the folder to write into (created if missing)")
    commands.add_parser("list", help="list the course's files")
    args = parser.parse_args(argv)
    if args.command == "list":
        print("\n".join(files()))
        return
    written, kept = copy(args.dir)
    print(f"wrote {len(written)} files into {args.dir}")
    if kept:
        print(f"kept {len(kept)} files already there (delete one to get a fresh copy): "
              + ", ".join(str(path) for path in kept))
    print(f"next: cd {args.dir} && jupyter lab START_HERE.ipynb")


if __name__ == "__main__":
    sys.exit(main())
