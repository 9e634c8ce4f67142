"""Optional dependencies, imported in one way: :func:`require` says how to install what is missing.

``import minitorch`` needs numpy only. Images, plots, downloads, graph drawing and grading need more;
each of those imports goes through :func:`require`, so a missing package gives one clear message:

>>> Image = require("PIL.Image", extra="notebooks", feature="sample_image()")  # doctest: +SKIP
ImportError: sample_image() needs Pillow, which is not installed: pip install "minitorch-kit[notebooks]"
"""

from __future__ import annotations

import importlib

# pip's name of each optional package, where it differs from the name Python imports
_PIP_NAMES = {"PIL": "Pillow", "cupy": "cupy-cuda12x", "cupyx": "cupy-cuda12x", "cudnn": "nvidia-cudnn-frontend"}


def require(module, *, extra, feature):
    """``importlib.import_module(module)``, or an ImportError naming ``feature`` and the pip extra
    (``pip install "minitorch-kit[extra]"``) that brings the missing package."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        top = module.split(".")[0]
        package = _PIP_NAMES.get(top, top)
        raise ImportError(f'{feature} needs {package}, which is not installed: '
                          f'pip install "minitorch-kit[{extra}]"', name=top) from error
