"""Verified, cached downloads with nothing but the standard library.

A file is fetched into ``<name>.part``, its MD5 is checked, and only then is it renamed to
``<name>``. So a file in the cache is always complete and verified: finding it is a cache hit
that needs no network, and a failed or interrupted download leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import urllib.request
from pathlib import Path

OFFLINE_HINT = ("No network? minitorch.vision.datasets.MNIST5k ships 5,000 MNIST digits inside minitorch "
                "(no download needed).")


def data_root():
    """Where downloads are cached: ``$MINITORCH_DATA`` if set, else ``~/.cache/minitorch``."""
    return Path(os.environ.get("MINITORCH_DATA") or Path.home() / ".cache" / "minitorch")


def md5sum(path, chunk_size=1 << 20):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(filename, mirrors, md5, folder, timeout=30):
    """``folder/filename``, fetched from the first of ``mirrors`` (URL prefixes) that delivers a
    file with this ``md5``, unless it is already there. RuntimeError, naming the file and every
    mirror's problem, when none does."""
    target = Path(folder) / filename
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(filename + ".part")
    problems = []
    try:
        for mirror in mirrors:
            url = mirror + filename
            try:
                _fetch(url, part, timeout)
            except (OSError, http.client.HTTPException) as error:  # URLError is an OSError
                problems.append(f"{url}: {error}")
                continue
            digest = md5sum(part)
            if digest != md5:
                problems.append(f"{url}: MD5 checksum mismatch (expected {md5}, got {digest})")
                continue
            part.replace(target)
            return target
    finally:
        part.unlink(missing_ok=True)  # after a failure, a Ctrl-C or an exception: no partial file
    tried = "\n".join(f"  {p}" for p in problems)
    raise RuntimeError(f"Error downloading {filename}; tried:\n{tried}\n{OFFLINE_HINT}")


def _fetch(url, path, timeout):
    """Stream ``url`` into ``path`` with a progress bar (tqdm, when installed)."""
    with urllib.request.urlopen(url, timeout=timeout) as response, open(path, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        received = 0
        with _progress(total, url.rsplit("/", 1)[-1]) as bar:
            for chunk in iter(lambda: response.read(1 << 16), b""):
                out.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    if total is not None and received != total:  # the server hung up early
        raise OSError(f"connection closed after {received} of {total} bytes")


def _progress(total, name):
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoProgress(name)
    return tqdm(total=total, unit="B", unit_scale=True, desc=name)


class _NoProgress:
    """Without tqdm: one line per file."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print(f"Downloading {self.name} ...", file=sys.stderr)
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass
