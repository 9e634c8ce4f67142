"""Point the kit at where you publish it (your fork), and rewrite every notebook to match.

    python scripts/publish.py OWNER/NAME [--ref TAG] [--execute]

1. sets ``REPOSITORY`` and ``REF`` in ``minitorch/_publish.py``, the one place that says where the kit
   lives (``REF``: the tag or branch that Colab installs the library from and opens notebooks at);
2. rewrites the "Open in Colab" badge and the setup cell of every lecture in ``notebooks/`` and
   ``notebooks/ru/`` (in place: the outputs stay, since neither cell prints anything outside Colab;
   ``--execute`` rebuilds and re-runs the lectures instead, a few minutes) and of every solution in
   ``solutions/``;
3. regenerates ``exercises/`` from ``solutions/`` (``python -m minitorch.grading assign``);
4. updates the repository name and tag where README.md mentions them.

Then commit, push, and create the tag (``git tag TAG && git push origin TAG``): the badges open the
notebooks at that tag and the setup cells install the library from it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")


def set_constant(text, name, value):
    """``text`` (the source of _publish.py) with ``NAME = "..."`` set to ``value``."""
    pattern = re.compile(rf'^{name} = "[^"]*"', re.MULTILINE)
    if not pattern.search(text):
        raise SystemExit(f"minitorch/_publish.py has no line {name} = \"...\"")
    return pattern.sub(f'{name} = "{value}"', text, count=1)


def rewrite_notebook(path, folder, repository, ref):
    """Give notebook ``path`` the badge and setup cell of the new location; True if it changed."""
    import nbformat

    from minitorch._publish import colab_badge, colab_setup_cell

    nb = nbformat.read(path, as_version=4)
    if len(nb.cells) < 2 or not BADGE.search(nb.cells[0].source) or "google.colab" not in nb.cells[1].source:
        raise SystemExit(f"{path}: the first two cells must be the Colab badge and the setup cell")
    badge = colab_badge(f"{folder}/{path.name}", repository, ref)
    before = (nb.cells[0].source, nb.cells[1].source)
    nb.cells[0].source = BADGE.sub(lambda _: badge, nb.cells[0].source, count=1)
    nb.cells[1].source = colab_setup_cell(repository, ref, language="ru" if folder.endswith("/ru") else "en")
    if (nb.cells[0].source, nb.cells[1].source) == before:
        return False
    nbformat.write(nb, path)
    return True


def publish(root, repository, ref, execute=False):
    """Everything the module docstring lists, in the kit checked out at ``root``."""
    from minitorch import _publish  # this checkout's (see the end of the file)

    old_repository, old_ref = _publish.REPOSITORY, _publish.REF
    module = root / "minitorch" / "_publish.py"
    module.write_text(set_constant(set_constant(module.read_text(), "REPOSITORY", repository), "REF", ref))
    for folder in ("notebooks", "notebooks/ru", "solutions"):  # the Russian lectures and the glossary too
        for path in sorted((root / folder).glob("*.ipynb")):
            if rewrite_notebook(path, folder, repository, ref):
                print(f"rewrote {folder}/{path.name}")
    # Fresh interpreters from here on: they read the new constants from _publish.py.
    run = dict(cwd=root, check=True)
    subprocess.run([sys.executable, "-m", "minitorch.grading", "assign", "solutions", "exercises"], **run)
    if execute:
        subprocess.run([sys.executable, "-m", "notebooks._build"], **run)
    readme = root / "README.md"
    if readme.exists():
        text = readme.read_text()
        new = text.replace(f"{old_repository}@{old_ref}", f"{repository}@{ref}").replace(old_repository, repository)
        if new != text:
            readme.write_text(new)
            print("rewrote README.md")
    print(f"published as github.com/{repository} at {ref}: commit, push, then `git tag {ref} && git push origin {ref}`")


def main(argv=None):
    from minitorch._publish import REF

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repository", help="the GitHub repository as OWNER/NAME")
    parser.add_argument("--ref", default=REF, help=f"the tag or branch Colab installs and opens (now {REF})")
    parser.add_argument("--execute", action="store_true", help="rebuild and re-run the lectures (minutes)")
    args = parser.parse_args(argv)
    if not SLUG.match(args.repository):
        parser.error(f"{args.repository!r} is not OWNER/NAME")
    publish(ROOT, args.repository, args.ref, args.execute)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
