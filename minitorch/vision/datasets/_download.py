"""Verified, cached downloads with pooch.

``pooch.retrieve`` streams a file into a temporary file next to the target, checks its hash, and
only then moves it into place (it deletes the temporary file on any failure, Ctrl-C included). So a
file in the cache is always complete and verified: finding it is a cache hit that needs no network,
and a failed or interrupted download leaves nothing behind.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from minitorch._optional import require

OFFLINE_HINT = ("No network? minitorch.vision.datasets.MNIST5k ships 5,000 MNIST digits inside minitorch "
                "(no download needed).")


def data_root():
    """Where downloads are cached: ``$MINITORCH_DATA`` if set, else ``~/.cache/minitorch``."""
    return Path(os.environ.get("MINITORCH_DATA") or Path.home() / ".cache" / "minitorch")


def download(filename, mirrors, md5, folder):
    """``folder/filename``, fetched from the first of ``mirrors`` (URL prefixes) that delivers a
    file with this ``md5``, unless it is already there. RuntimeError, naming the file and every
    mirror's problem, when none does."""
    try:
        pooch = require("pooch", extra="notebooks", feature="Downloading datasets")
        requests = require("requests", extra="notebooks", feature="Downloading datasets")  # pooch brings it
    except ImportError as error:
        raise ImportError(f"{error} {OFFLINE_HINT}", name=error.name) from error
    problems = []
    for mirror in mirrors:
        url = mirror + filename
        try:
            return Path(pooch.retrieve(url, known_hash=f"md5:{md5}", fname=filename, path=folder,
                                       progressbar=importlib.util.find_spec("tqdm") is not None))
        except (ValueError, requests.RequestException) as error:  # a checksum mismatch, a network error
            problems.append(f"{url}: {error}")
    tried = "\n".join(f"  {p}" for p in problems)
    raise RuntimeError(f"Error downloading {filename}; tried:\n{tried}\n{OFFLINE_HINT}")
