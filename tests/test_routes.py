"""Every route a student takes to the first lecture and the first homework, for real and offline.

* the wheel: it carries the course (``minitorch/_course/``, copied from the top-level folders at
  build time); installed in a fresh venv, ``python -m minitorch.course copy DIR`` writes it out, and
  lecture 1 and homework 1 run from there;
* Colab: the committed setup cell, run with a stand-in ``google.colab`` module in a fresh venv,
  installs the kit from a ``git+file://`` clone at the pinned tag, and from the wheel, then the
  notebook's next cells run; a failed install stops the notebook with pip's message;
* the sdist carries every file its tests read;
* README's first command: its ``jupyter lab`` serves the landing page, lectures and exercises, with
  notebooks/_build hidden.

No network: pip runs with ``--no-index``; a fresh venv sees the test environment's packages
(numpy, IPython...) through a ``.pth`` file, minitorch itself left out, so only the route under test
can bring minitorch. Building uses the test environment's setuptools (no build isolation).
"""

import json
import os
import re
import shlex
import shutil
import site
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from minitorch import _publish
from minitorch.course import files as course_files

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("IPython")
pytest.importorskip("setuptools", minversion="77")

ROOT = Path(__file__).resolve().parent.parent
RUN_CELLS = Path(__file__).with_name("_run_cells.py")
LECTURE, HOMEWORK = "notebooks/01_tensors.ipynb", "exercises/hw01_tanh.ipynb"
# pip offline, and blind to this machine's pip configuration
PIP_ENV = {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PIP_NO_BUILD_ISOLATION": "0"}  # sic: pip reads "0" as "build without isolation"
pytestmark = pytest.mark.slow  # builds and installs: about a minute in all


def kit_files(root):
    """The kit's files: what git tracks or would track, or every file when this is not a checkout."""
    if (root / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True,
                                capture_output=True, text=True).stdout.split("\0")
        return [name for name in listed if name and (root / name).is_file()]
    skip = {"__pycache__", "build", "dist", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"}
    return [path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()
            and not skip & set(path.relative_to(root).parts) and not path.relative_to(root).parts[0].startswith(".venv")
            and not any(part.endswith(".egg-info") for part in path.parts)]


def run(command, **kwargs):
    """``subprocess.run`` that shows the command's output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A git clone of the kit (its working tree as it is now, tagged with the pinned tag), the wheel
    and the sdist built from it."""
    if shutil.which("git") is None:
        pytest.skip("needs git (the Colab route installs from a git+file:// clone)")
    work = tmp_path_factory.mktemp("routes")
    clone = work / "kit"
    for name in kit_files(ROOT):
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, clone / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the kit"], ["tag", _publish.REF]):
        run(git + command, cwd=clone)
    build = work / "build"
    shutil.copytree(clone, build, ignore=shutil.ignore_patterns(".git"))  # building writes into the tree
    env = {**os.environ, **PIP_ENV}
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", build], env=env)
    run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(work / 'dist')!r})"],
        cwd=build, env=env)
    (wheel,), (sdist,) = (work / "dist").glob("*.whl"), (work / "dist").glob("*.tar.gz")
    return {"work": work, "clone": clone, "wheel": wheel, "sdist": sdist}


def fresh_venv(path):
    """A new venv whose only packages are the test environment's, minus minitorch; its python."""
    run([sys.executable, "-m", "venv", "--without-pip", path])  # pip comes from the test environment
    python = path / "bin" / "python"
    purelib = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    deps = path / "test-environment"
    deps.mkdir()
    for parent in {p for p in site.getsitepackages() if Path(p).is_dir()}:
        for entry in Path(parent).iterdir():
            if not entry.name.lower().startswith(("minitorch", "__editable__", "_minitorch")) and entry.suffix != ".pth":
                if not (deps / entry.name).exists():
                    (deps / entry.name).symlink_to(entry)
    (purelib / "test-environment.pth").write_text(f"{deps}\n")
    return python


def venv_env(python, colab=None):
    """The environment of a command in the fresh venv of ``python``: no checkout on ``PYTHONPATH``
    (``colab``, the stand-in's folder, instead when given), pip offline."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PIP_ENV, PATH=f"{python.parent}{os.pathsep}{env['PATH']}", PYTHONNOUSERSITE="1", MPLBACKEND="agg")
    if colab is not None:
        env["PYTHONPATH"] = str(colab)
    return env


def run_cells(python, cells, cwd, colab=None, check=True):
    """Run ``cells`` (``(source, allowed exception name)`` pairs) in an IPython shell of ``python``.
    ``colab``: a folder for the stand-in ``google.colab`` package, or None outside Colab."""
    cells_file = Path(cwd) / ".cells.json"
    cells_file.write_text(json.dumps(cells))
    result = subprocess.run([python, RUN_CELLS, cells_file, *(["--colab"] if colab else [])], cwd=cwd,
                            env=venv_env(python, colab), capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def notebook_cells(path, homework=False):
    """A notebook's code cells to run. For a homework, the student's first visit: the setup and
    imports, their not-yet-written functions (which may raise NotImplementedError) and ``check``."""
    code = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    if not homework:
        return [(source, None) for source in code]
    chosen = [(code[0], None), (code[1], None)]
    chosen += [(source, "NotImplementedError") for source in code[2:] if "# YOUR CODE HERE" in source]
    return chosen + [(source, None) for source in code if source.startswith("check(")]


def fake_colab(folder, marker):
    """A stand-in ``google.colab`` package whose widget switch writes ``marker``."""
    package = folder / "google" / "colab"
    package.mkdir(parents=True)
    (folder / "google" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "output.py").write_text(
        f"def enable_custom_widget_manager():\n    open({str(marker)!r}, 'w').write('on')\n")
    return folder


def with_spec(cells, spec):
    """``cells`` with the setup cell installing ``spec`` instead of the published package."""
    setup, allowed = cells[0]
    assert _publish.install_spec() in setup
    return [(setup.replace(_publish.install_spec(), spec), allowed), *cells[1:]]


def test_the_wheel_carries_the_course_copied_from_the_top_level_folders(kit):
    with zipfile.ZipFile(kit["wheel"]) as wheel:
        names = set(wheel.namelist())
        assert LECTURE in course_files() and HOMEWORK in course_files() and "START_HERE.ipynb" in course_files()
        for name in course_files():
            assert wheel.read(f"minitorch/_course/{name}") == (ROOT / name).read_bytes(), name
    assert "minitorch/data/mnist5k.npz" in names or any(n.startswith("minitorch/data/") and n.endswith(".npz")
                                                        for n in names)
    assert not any(name.startswith(("tests/", "solutions/", "notebooks/_build")) for name in names)
    assert not any("solutions" in name for name in names)  # the hidden tests stay with the instructor


def test_the_sdist_carries_every_file_its_tests_read(kit):
    with tarfile.open(kit["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    needed = [name for name in kit_files(ROOT)
              if name.split("/")[0] in ("tests", "notebooks", "exercises", "solutions", "benchmarks", "scripts", "minitorch")
              or name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "START_HERE.ipynb")]
    assert [name for name in needed if name not in names] == []


def test_wheel_route_course_copy_then_lecture_and_homework(kit, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    env = venv_env(python)
    run([python, "-m", "pip", "install", "-q", kit["wheel"]], env=env)
    located = run([python, "-c", "import minitorch; print(minitorch.__file__)"], cwd=tmp_path, env=env).stdout
    assert located.startswith(str(tmp_path / "venv"))  # the wheel's minitorch, not the checkout's
    course = tmp_path / "my-course"
    out = run([python, "-m", "minitorch.course", "copy", course], cwd=tmp_path, env=env).stdout
    assert f"wrote {len(course_files())} files" in out and (course / "START_HERE.ipynb").is_file()
    run_cells(python, notebook_cells(course / LECTURE), cwd=course / "notebooks")
    out = run_cells(python, notebook_cells(course / HOMEWORK, homework=True), cwd=course / "exercises").stdout
    assert "not attempted" in out


@pytest.mark.parametrize("route", ["git", "wheel"])
def test_colab_route_setup_cell_installs_then_the_notebook_runs(kit, tmp_path, route):
    python = fresh_venv(tmp_path / "venv")
    # (the bare VCS form: pip < 24 rejects "name @ git+file:///..." for its empty host)
    spec = {"git": f"git+file://{kit['clone']}@{_publish.REF}",
            "wheel": f"minitorch-kit @ {kit['wheel'].as_uri()}"}[route]
    colab = fake_colab(tmp_path / "colab", tmp_path / "widgets")
    out = run_cells(python, with_spec(notebook_cells(ROOT / LECTURE), spec), cwd=tmp_path, colab=colab).stdout
    assert "installed minitorch 0.1.0" in out
    assert (tmp_path / "widgets").read_text() == "on"  # Colab's widget manager was switched on
    homework = with_spec(notebook_cells(ROOT / HOMEWORK, homework=True), spec)
    assert "not attempted" in run_cells(python, homework, cwd=tmp_path, colab=colab).stdout


def test_colab_setup_cell_stops_the_notebook_when_pip_fails(tmp_path):
    python = fresh_venv(tmp_path / "venv")
    cells = with_spec(notebook_cells(ROOT / LECTURE)[:2], f"minitorch-kit @ {(tmp_path / 'nowhere.whl').as_uri()}")
    result = run_cells(python, cells, cwd=tmp_path, colab=fake_colab(tmp_path / "colab", tmp_path / "w"), check=False)
    assert result.returncode == 1 and "CELL 0 FAILED: RuntimeError" in result.stdout  # the imports cell never ran
    assert "pip could not install minitorch-kit" in result.stdout and "nowhere.whl" in result.stdout
    assert "internet access" in result.stdout


def readme_first_command():
    """The first command of README.md: ``(venv, install) && jupyter lab ...``."""
    readme = (ROOT / "README.md").read_text()
    return re.search(r"```bash\n(.*?)\n```", readme, re.S).group(1)


def test_readme_route_jupyter_lab_opens_the_whole_kit_without_build(tmp_path):
    """README's first command (its ``jupyter lab`` part, with this environment's jupyter) serves the
    landing page, the lectures and the exercises, and hides notebooks/_build."""
    pytest.importorskip("jupyterlab")
    command = shlex.split(readme_first_command().split("&&")[-1])
    assert command[:3] == ["jupyter", "lab", "START_HERE.ipynb"]
    with socket.socket() as probe:  # a free port on this machine only
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", *command[3:], "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=route-test", "--allow-root",
         f"--ServerApp.root_dir={ROOT}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "JUPYTER_NO_CONFIG": "1"})
    try:
        def listing(folder):
            url = f"http://127.0.0.1:{port}/api/contents/{folder}?token=route-test"
            with urllib.request.urlopen(url, timeout=5) as response:
                return {item["name"] for item in json.load(response)["content"]}

        for _ in range(120):  # the server takes a few seconds to start
            try:
                root = listing("")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start within a minute")
        assert {"START_HERE.ipynb", "notebooks", "exercises", "minitorch"} <= root
        assert "_build" not in listing("notebooks") and "01_tensors.ipynb" in listing("notebooks")
        assert "hw01_tanh.ipynb" in listing("exercises")
    finally:
        server.terminate()
        server.wait(timeout=30)
