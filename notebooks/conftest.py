"""nbval runs the lecture notebooks in the environment the builder executed them in (one BLAS thread,
a fixed hash seed): strict nbval compares every output with the committed one, so the two runs must
compute alike. Kernels inherit this process's environment."""

import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # notebooks._build
from notebooks._build.common import ENV  # noqa: E402

os.environ.update(ENV)
