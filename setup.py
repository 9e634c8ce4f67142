"""Build hook; everything else about the package is in pyproject.toml.

The wheel carries the course (START_HERE.ipynb, the lectures, the exercises) as package data in
minitorch/_course/, copied here from the repository's top-level folders at build time, so that git
keeps a single copy. ``python -m minitorch.course copy DIR`` writes them out for a student.
"""

import runpy
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
COURSE = runpy.run_path(str(ROOT / "minitorch" / "course.py"))["COURSE"]  # without importing minitorch (numpy)


class BuildWithCourse(build_py):
    """``build_py``, then the course files into ``minitorch/_course/`` of the build."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's folders directly
            return
        for pattern in COURSE:
            for path in sorted(ROOT.glob(pattern)):
                target = Path(self.build_lib, "minitorch", "_course", path.relative_to(ROOT))
                self.mkpath(str(target.parent))
                self.copy_file(str(path), str(target))


setup(cmdclass={"build_py": BuildWithCourse})
