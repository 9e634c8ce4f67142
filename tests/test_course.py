"""The course around the library: ``python -m minitorch.course``, the landing notebook START_HERE.ipynb,
the one place saying where the kit is published (minitorch/_publish.py) and scripts/publish.py, which
moves every badge and setup cell to a fork. (tests/test_routes.py takes the install routes for real.)"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from minitorch import _publish, course

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb"))
EXERCISES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "exercises").glob("*.ipynb"))
RUSSIAN = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks" / "ru").glob("*.ipynb"))
RUSSIAN_EXERCISES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "exercises" / "ru").glob("*.ipynb"))


def test_the_course_is_the_landing_page_the_lectures_and_the_exercises():
    assert course.source() == ROOT  # a checkout: the top-level folders themselves
    assert course.files() == ["START_HERE.ipynb", "notebooks/README.md", *LECTURES, *RUSSIAN, "exercises/README.md",
                              *EXERCISES, *RUSSIAN_EXERCISES]
    assert not any("_build" in name or "solutions" in name for name in course.files())


def test_copy_writes_the_course_and_keeps_what_is_already_there(tmp_path):
    mine = tmp_path / "exercises" / "hw01_tanh.ipynb"
    mine.parent.mkdir()
    mine.write_text("my answers")
    written, kept = course.copy(tmp_path)
    assert kept == [mine] and mine.read_text() == "my answers"  # nothing the student saved is lost
    assert len(written) == len(course.files()) - 1
    for name in course.files():
        if tmp_path / name != mine:
            assert (tmp_path / name).read_bytes() == (ROOT / name).read_bytes()


def test_command_line(tmp_path, capsys):
    course.main(["copy", str(tmp_path / "c")])
    out = capsys.readouterr().out
    assert f"wrote {len(course.files())} files into {tmp_path / 'c'}" in out and "jupyter lab START_HERE.ipynb" in out
    course.main(["copy", str(tmp_path / "c")])
    assert f"kept {len(course.files())} files already there" in capsys.readouterr().out
    course.main(["list"])
    assert capsys.readouterr().out.split() == course.files()
    with pytest.raises(SystemExit):
        course.main([])


def test_landing_notebook_links_every_lecture_and_exercise():
    nb = nbformat.read(ROOT / "START_HERE.ipynb", as_version=4)
    assert all(cell.cell_type == "markdown" for cell in nb.cells)  # nothing to run, nothing to break
    text = "\n".join(cell.source for cell in nb.cells)
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", text)
    assert sorted(links) == sorted(LECTURES + EXERCISES + RUSSIAN + RUSSIAN_EXERCISES)
    assert links[:len(LECTURES)] == LECTURES  # the lectures in order
    assert "python -m minitorch.course copy" in text


def test_readme_first_command_opens_the_whole_kit_without_build():
    readme = (ROOT / "README.md").read_text()
    first = re.search(r"```bash\n(.*?)\n```", readme, re.S).group(1)
    assert "jupyter lab" in first and "START_HERE.ipynb" in first and "notebooks/" not in first.split("jupyter lab")[1]
    assert "_build" in first  # hidden from the file browser


def test_published_location_is_one_pinned_place():
    setup = _publish.colab_setup_cell()
    assert f'"{_publish.install_spec()}"' in setup
    assert _publish.install_spec() == f"minitorch-kit @ git+https://github.com/{_publish.REPOSITORY}@{_publish.REF}"
    assert _publish.colab_badge("notebooks/01_tensors.ipynb").endswith(
        f"(https://colab.research.google.com/github/{_publish.REPOSITORY}/blob/{_publish.REF}/notebooks/01_tensors.ipynb)")
    compile(setup, "<setup cell>", "exec")  # plain Python: no shell escapes, so pip's exit status is checked
    for path in [ROOT / name for name in LECTURES + EXERCISES]:
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[1].source == setup, path.name
        assert _publish.colab_badge(path.relative_to(ROOT).as_posix()) in nb.cells[0].source, path.name
    from minitorch.grading import REPOSITORY

    assert REPOSITORY == _publish.REPOSITORY


def test_the_setup_cell_does_nothing_outside_colab(capsys):
    assert "google.colab" not in sys.modules
    exec(_publish.colab_setup_cell(), {})
    assert capsys.readouterr().out == ""


def test_publish_script_moves_every_badge_and_setup_cell_to_a_fork(tmp_path):
    for name in ("minitorch", "notebooks", "exercises", "solutions", "scripts"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.npz", "*.mt"))  # data: not needed
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    result = subprocess.run([sys.executable, "scripts/publish.py", "prof-x/dl-course", "--ref", "fall-2027"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    published = (tmp_path / "minitorch" / "_publish.py").read_text()
    assert 'REPOSITORY = "prof-x/dl-course"' in published and 'REF = "fall-2027"' in published
    spec = "minitorch-kit @ git+https://github.com/prof-x/dl-course@fall-2027"
    for folder in ("notebooks", "notebooks/ru", "exercises", "exercises/ru", "solutions"):
        for path in sorted((tmp_path / folder).glob("*.ipynb")):
            old = nbformat.read(ROOT / folder / path.name, as_version=4)
            new = nbformat.read(path, as_version=4)
            assert f'"{spec}"' in new.cells[1].source, path
            assert f"github/prof-x/dl-course/blob/fall-2027/{folder}/{path.name})" in new.cells[0].source, path
            assert _publish.REPOSITORY not in new.cells[0].source + new.cells[1].source
            if folder.startswith("notebooks"):  # the lectures keep their outputs: nothing else changed
                assert [c.get("outputs") for c in new.cells] == [c.get("outputs") for c in old.cells]
                assert [c.source for c in new.cells[2:]] == [c.source for c in old.cells[2:]]
    assert _publish.REPOSITORY not in (tmp_path / "README.md").read_text()
    bad = subprocess.run([sys.executable, "scripts/publish.py", "not a repository"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "is not OWNER/NAME" in bad.stderr
