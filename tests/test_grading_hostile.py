"""A batch of hostile submissions (hw03_strides: quick to run) graded like a real class, once under
bubblewrap and once in the rlimits-only fallback: every attack is contained, the correct
submissions keep full marks, and the gradebook and every other file are intact afterwards.

The attacks aim at real paths: the other submissions, a copy of the solutions (whose hidden tests
carry a secret word), the gradebook's paths and the package. The ones the fallback cannot stop
(signalling the grader, writing or reading the user's files) run under bubblewrap only.
"""

import contextlib
import csv
import io
import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from minitorch.grading import grader, sandbox  # noqa: E402
from minitorch.grading.__main__ import main  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SECRET = "SECRET-7f3a9c"  # in the hidden tests and in a classmate's notebook: no sandbox may see it
DAEMON = "mt-escaped"  # the process name the daemons give themselves
POINTS = {"position": 2, "contiguous": 2, "view": 4, "view_edge_cases": 1, "view_random": 2}
TIMEOUT = 6

WRONG = '''
def storage_position(index, strides, offset=0):
    return -1

def contiguous_strides(shape):
    return (-1,)

def view_strides(shape, strides, new_shape):
    return (-1,)
'''

# Each is a cell appended to the solution notebook; @TARGETS@ becomes the files they attack.
ATTACKS = {
    "correct": "",
    "=1+2": "",  # a name a spreadsheet would run as a formula
    "infinite_loop": "def contiguous_strides(shape):\n    while True:\n        pass",
    "loops_in_a_cell": "while True:\n    pass",
    "exits": "import os\ndef view_strides(shape, strides, new_shape):\n    os._exit(0)",
    "segfault": "import ctypes\nctypes.string_at(0)",
    "allocates_20GB": "def storage_position(index, strides, offset=0):\n    return len(bytearray(20 * 2 ** 30))",
    "lying_eq": '''
class Anything(tuple):
    def __eq__(self, other):
        return True
    __hash__ = tuple.__hash__

def storage_position(index, strides, offset=0):
    return Anything()
''',
    "patches_numpy_and_grader": WRONG + '''
import numpy as np
import minitorch.grading.spec as spec
np.allclose = np.array_equal = lambda *args, **kwargs: True
np.isclose = lambda a, b, **kwargs: np.ones(np.shape(a), bool)
spec.compare = lambda *args: None
spec.grade = lambda test, outcome, expected: spec.Result(test, "passed", test.points)
print('{"status": "ok", "score": 100}')
''',
    "kills_parent": '''
import os, signal
os.kill(os.getppid(), signal.SIGKILL)   # were the grader the parent, the batch would die here
os.kill(os.getppid(), signal.SIGSTOP)   # ... or freeze
''',
    "kills_runner_in_test": '''
import os, signal
_view = view_strides
def view_strides(shape, strides, new_shape):
    os.kill(os.getppid(), signal.SIGKILL)
    return _view(shape, strides, new_shape)
''',
    "stops_runner_in_test": '''
import os, signal
def storage_position(index, strides, offset=0):
    os.kill(os.getppid(), signal.SIGSTOP)
''',
    "forks_in_test": '''
import os, time
_position = storage_position
def storage_position(index, strides, offset=0):
    if os.fork() == 0:   # holds the test's result pipe open: the test must still end when it returns
        time.sleep(60)
        os._exit(0)
    return _position(index, strides, offset)
''',
    "daemon": f'''
import ctypes, os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"{DAEMON}", 0, 0, 0)   # PR_SET_NAME: the test looks for it
        for _ in range(600):                                 # a minute of sabotage
            for target in @TARGETS@:
                try:
                    with open(target, "w") as f:
                        f.write("pwned")
                except OSError:
                    pass
            time.sleep(0.1)
    os._exit(0)
os.wait()
''',
    "writes_outside": '''
import os
import minitorch
written = []
for target in @TARGETS@ + [os.path.join(os.path.dirname(minitorch.__file__), "pwned.py"), "../pwned", "/pwned"]:
    try:
        with open(target, "a") as f:
            f.write("pwned")
        written.append(target)
    except OSError:
        pass
if written:
    raise RuntimeError(f"wrote {written}")
''' + "\n" + WRONG.replace("\n", "\n    ").replace("def ", "if written:\n    def ", 1),
    "reads_classmates_and_tests": '''
import glob, os, select
found = []
def look(path):
    try:
        with open(path, "rb") as f:
            if b"@SECRET@" in f.read(50_000_000):
                found.append(path)
    except OSError:
        pass
for path in @TARGETS@ + glob.glob("/proc/*/cmdline") + glob.glob("/proc/*/environ") + glob.glob("../*") + glob.glob("*"):
    look(path)
for fd in map(int, os.listdir("/proc/self/fd")):   # the job pipe: nothing secret in it while cells run
    try:
        os.set_blocking(fd, False)
        if select.select([fd], [], [], 0)[0] and b"@SECRET@" in os.read(fd, 1 << 20):
            found.append(f"fd {fd}")
    except OSError:
        pass
if found:
    storage_position = lambda *args: found
''',
    "disk_bomb": '''
import os
written = 0
try:
    for i in range(2000):
        with open(f"bomb{i}", "wb") as f:
            f.write(bytes(2 ** 20))
        written += 2 ** 20
except OSError:
    pass
for i in range(2000):
    if os.path.exists(f"bomb{i}"):
        os.remove(f"bomb{i}")
if written > 300 * 2 ** 20:
    storage_position = lambda *args: -written
''',
    "forges_huge_result": '''
import os, sys
os.write(int(sys.argv[3]), b'{"test": "position", "status": "ok", "data": "' + b"x" * (40 << 20) + b'"}\\n')
''',
    "forges_results": WRONG + '''
import json, os, sys
fd = int(sys.argv[3])
for line in [{"test": "position", "status": "passed", "score": 1000}, {"cells": "done"},
             {"test": "contiguous", "status": "ok", "data": {"__ndarray__": "nonsense"}}]:
    os.write(fd, json.dumps(line).encode() + b"\\n")
os.write(fd, b"[" * 200000 + b"\\n")
''',
    "huge_output": 'print("x" * (80 << 20))\nimport sys\nsys.stderr.write("e" * (10 << 20))',
    "magics": '''%%writefile offset.txt
0 = not Python, so running this cell as code would fail
''',
    "magics_use": '''
_storage_position = storage_position
shell_lines = !echo 0
def storage_position(index, strides, offset=0):
    extra = [int(open(name).read().split()[0]) for name in ("offset.txt", "from_shell.txt", "from_bash.txt")]
    return _storage_position(index, strides, offset) + sum(extra) + int(shell_lines[0])
''',
    "network": '''
import socket
if [name for _, name in socket.if_nameindex()] != ["lo"]:
    storage_position = lambda *args: "the network is reachable"
''',
}
EXTRA_CELLS = {  # further cells of some notebooks
    "magics": ["!echo 0 > from_shell.txt", "%%bash\necho 0 > from_bash.txt", "%time x = 1\n%matplotlib inline",
               ATTACKS["magics_use"]],
}
del ATTACKS["magics_use"]
FULL_MARKS = ["correct", "=1+2", "kills_parent", "forks_in_test", "daemon", "writes_outside", "reads_classmates_and_tests",
              "disk_bomb", "huge_output", "magics", "network"]


def notebook(path, *extra):
    nb = nbformat.read(ROOT / "solutions" / "hw03_strides.ipynb", as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(e) for e in extra if e]
    nbformat.write(nb, path)


def make_batch(tmp, attacks):
    """Submissions, a copy of the solutions whose hidden tests carry ``SECRET``, the gradebook paths."""
    hidden = tmp / "solutions"
    shutil.copytree(ROOT / "solutions", hidden)
    nb = nbformat.read(hidden / "hw03_strides.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "BEGIN HIDDEN TESTS" in c.source)
    cell.source = cell.source.replace("### END HIDDEN TESTS", f"# {SECRET}\n### END HIDDEN TESTS")
    nbformat.write(nb, hidden / "hw03_strides.ipynb")
    folder, out = tmp / "submissions", tmp / "grades"
    folder.mkdir()
    out.mkdir()
    notebook(folder / "classmate.ipynb", f"# {SECRET}")
    targets = [str(folder / "classmate.ipynb"), str(folder / "correct.ipynb"), str(hidden / "hw03_strides.ipynb"),
               str(out / "grades.csv"), str(out / "results.json"), str(tmp / "marker")]
    for name, attack in attacks.items():
        source = attack.replace("@TARGETS@", repr(targets)).replace("@SECRET@", SECRET)
        notebook(folder / f"{name}.ipynb", source, *EXTRA_CELLS.get(name, []))
    (folder / "broken.ipynb").write_text('{"cells": [')
    os.mkfifo(folder / "fifo.ipynb")
    (folder / "link_out.ipynb").symlink_to(hidden / "hw03_strides.ipynb")
    return folder, hidden, out


def fingerprints(*folders):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for f in folders for p in sorted(f.rglob("*"))
            if p.is_file() and not p.is_symlink() and not stat.S_ISFIFO(p.lstat().st_mode)}


def daemons():
    alive = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == DAEMON:
                alive.append(comm.parent.name)
        except OSError:
            pass
    return alive


def run_batch(tmp, attacks, isolation):
    folder, hidden, out = make_batch(tmp, attacks)
    before = fingerprints(folder, hidden)
    args = ["grade", str(folder), "--assignment", "hw03_strides", "--hidden", str(hidden), "--csv",
            str(out / "grades.csv"), "--json", str(out / "results.json"), "--timeout", str(TIMEOUT),
            "--jobs", "2", "--isolation", isolation]
    printed, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
        assert main(args) == 0
    results = json.loads((out / "results.json").read_text())
    with open(out / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return {"by_student": {s["student"]: {t["name"]: t for t in s["tests"]} for s in results["submissions"]},
            "results": results, "rows": rows, "stdout": printed.getvalue(), "stderr": errors.getvalue(),
            "folder": folder, "hidden": hidden, "out": out, "before": before, "tmp": tmp}


def scores(batch, student):
    return {name: t["score"] for name, t in batch["by_student"][student].items()}


def outputs(batch, student):
    return {name: t["output"] for name, t in batch["by_student"][student].items()}


def check_gradebook_intact(batch):
    """Nothing was written anywhere but the gradebook, which is whole, private and complete."""
    assert not daemons(), "a daemon outlived its sandbox"
    assert fingerprints(batch["folder"], batch["hidden"]) == batch["before"]
    assert not (batch["tmp"] / "marker").exists() and not (ROOT / "minitorch" / "pwned.py").exists()
    for name in ("grades.csv", "results.json"):
        path = batch["out"] / name
        assert not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "pwned" not in path.read_text()
    assert sorted(os.listdir(batch["out"])) == ["grades.csv", "results.json"]  # no temporary left behind
    students = sorted(batch["by_student"])
    assert sorted(r["student"] for r in batch["rows"]) == sorted("'" + s if s[0] in "=+-@" else s for s in students)
    for row in batch["rows"]:
        assert float(row["total"]) == sum(float(row[n]) for n in POINTS)


# ---- under bubblewrap ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def bwrap_batch(tmp_path_factory):
    if sandbox.detect().kind != "bubblewrap":
        pytest.skip(f"no bubblewrap here: {sandbox.detect().reason}")
    return run_batch(tmp_path_factory.mktemp("bwrap"), ATTACKS, "bubblewrap")


def test_bwrap_correct_submissions_keep_full_marks(bwrap_batch):
    assert bwrap_batch["results"]["isolation"] == "bubblewrap"
    assert "WARNING" not in bwrap_batch["stderr"] and bwrap_batch["stdout"].startswith("isolation: bubblewrap")
    for student in FULL_MARKS:
        assert scores(bwrap_batch, student) == POINTS, (student, outputs(bwrap_batch, student))


def test_bwrap_gradebook_and_files_intact(bwrap_batch):
    check_gradebook_intact(bwrap_batch)


def test_bwrap_timeouts_name_the_test_and_the_limit(bwrap_batch):
    result = outputs(bwrap_batch, "infinite_loop")
    looping = ("contiguous", "view_edge_cases")  # the solution's view_strides calls contiguous_strides for empty shapes
    for name in looping:
        assert result[name] == f"timeout: test {name!r} was still running after {TIMEOUT} s"
    assert scores(bwrap_batch, "infinite_loop") == {n: 0 if n in looping else p for n, p in POINTS.items()}
    (message,) = set(outputs(bwrap_batch, "loops_in_a_cell").values())
    assert message.startswith("timeout: the notebook's cell ") and \
        message.endswith(f" was still running after {TIMEOUT} s (the cells together get --timeout too)")
    # a test that freezes the sandbox itself is stopped by the grader's own clock; the others still run
    assert outputs(bwrap_batch, "stops_runner_in_test")["position"] == \
        f"timeout: test 'position' was still running after {TIMEOUT} s"
    assert scores(bwrap_batch, "stops_runner_in_test") == {**POINTS, "position": 0}


def test_bwrap_crashes_cost_only_the_tests_they_reach(bwrap_batch):
    view_tests = ("view", "view_edge_cases", "view_random")
    for student in ("exits", "kills_runner_in_test"):
        assert scores(bwrap_batch, student) == {n: 0 if n in view_tests else p for n, p in POINTS.items()}
        assert all(outputs(bwrap_batch, student)[n].startswith(f"crashed: test {n!r} ") for n in view_tests)
    (segfault,) = set(outputs(bwrap_batch, "segfault").values())
    assert segfault.startswith("crashed: the notebook's cell ") and \
        " ended the sandbox before any test ran (killed by signal SIGSEGV); its last output: " in segfault
    assert scores(bwrap_batch, "allocates_20GB") == {**POINTS, "position": 0}
    assert "MemoryError" in outputs(bwrap_batch, "allocates_20GB")["position"]


def test_bwrap_cheats_score_zero(bwrap_batch):
    for student in ("lying_eq", "patches_numpy_and_grader", "forges_results", "forges_huge_result"):
        assert scores(bwrap_batch, student)["position"] == 0, outputs(bwrap_batch, student)
    for student in ("patches_numpy_and_grader", "forges_results"):
        assert set(scores(bwrap_batch, student).values()) == {0}
    assert "not plain data" in outputs(bwrap_batch, "lying_eq")["position"]
    # a line forged before the cells are done is ignored; after a forged "done", it counts, and fails
    assert outputs(bwrap_batch, "forges_results")["position"].startswith("failed: storage_position(")
    assert outputs(bwrap_batch, "forges_results")["contiguous"].startswith("crashed: the test sent back something")
    assert set(outputs(bwrap_batch, "forges_huge_result").values()) == {"crashed: sent more than 32 MiB of results"}


def test_bwrap_refused_and_broken_submissions(bwrap_batch):
    for student, message in [("fifo", "is a FIFO, not a regular file"), ("link_out", "is a link to"),
                             ("broken", "the notebook could not be read")]:
        assert all(message in output and output.startswith("did not run: ")
                   for output in outputs(bwrap_batch, student).values()), outputs(bwrap_batch, student)


def test_bwrap_huge_output_is_cut_in_the_log(bwrap_batch):
    log = next(s for s in bwrap_batch["results"]["submissions"] if s["student"] == "huge_output")["output"]
    assert "bytes of output cut" in log and len(log) < 10_000 and log.rstrip().endswith("e" * 100)
    segfault = next(s for s in bwrap_batch["results"]["submissions"] if s["student"] == "segfault")["output"]
    assert "(tensor: (4, 2))" in segfault  # what the notebook printed before it crashed


def test_bwrap_json_has_gradescope_shape_and_csv_its_columns(bwrap_batch):
    results = bwrap_batch["results"]
    assert set(results) == {"assignment", "isolation", "submissions"} and results["assignment"] == "hw03_strides"
    for submission in results["submissions"]:
        assert set(submission) == {"student", "score", "max_score", "output", "tests"}
        assert submission["max_score"] == sum(POINTS.values())
        assert submission["score"] == sum(t["score"] for t in submission["tests"])
        assert [t["name"] for t in submission["tests"]] == list(POINTS)
        for test in submission["tests"]:
            assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
            assert test["status"] in ("passed", "failed") and 0 <= test["score"] <= test["max_score"]
            assert test["visibility"] == ("after_published" if test["name"] in ("view_edge_cases", "view_random")
                                          else "visible")
    assert list(bwrap_batch["rows"][0]) == ["student", *POINTS, "total"]


def test_bwrap_csv_neutralises_formulas(bwrap_batch):
    assert "'=1+2" in [r["student"] for r in bwrap_batch["rows"]]


# ---- the fallback: a limited subprocess --------------------------------------------------

FALLBACK = {name: ATTACKS[name] for name in ("correct", "infinite_loop", "exits", "segfault", "lying_eq",
                                             "forges_huge_result", "huge_output", "magics")}
FALLBACK["plants_link"] = """
import os
hidden, gradebook = @TARGETS@[2:4]
os.symlink(hidden, gradebook)   # the fallback cannot stop this: the grader must write around it
print("planted", os.path.islink(gradebook))
"""
FALLBACK["daemon"] = ATTACKS["daemon"].replace("for _ in range(600):", "time.sleep(30)\n        for _ in range(1):")


@pytest.fixture(scope="module")
def fallback_batch(tmp_path_factory):
    return run_batch(tmp_path_factory.mktemp("fallback"), FALLBACK, "rlimits-only")


def test_fallback_says_so_loudly(fallback_batch):
    assert fallback_batch["results"]["isolation"] == "rlimits-only"
    assert "WARNING: NO SANDBOX ISOLATION" in fallback_batch["stderr"]
    assert sandbox.INSTALL_BUBBLEWRAP in fallback_batch["stderr"] and sandbox.INSTALL_BUBBLEWRAP in fallback_batch["stdout"]


def test_fallback_grades_the_same_way(fallback_batch):
    for student in ("correct", "huge_output", "magics", "daemon", "plants_link"):
        assert scores(fallback_batch, student) == POINTS, outputs(fallback_batch, student)
    assert scores(fallback_batch, "infinite_loop") == {**POINTS, "contiguous": 0, "view_edge_cases": 0}
    assert scores(fallback_batch, "exits") == {**POINTS, "view": 0, "view_edge_cases": 0, "view_random": 0}
    assert set(scores(fallback_batch, "segfault").values()) == {0}
    assert scores(fallback_batch, "lying_eq")["position"] == 0
    assert set(outputs(fallback_batch, "forges_huge_result").values()) == {"crashed: sent more than 32 MiB of results"}
    assert "is a FIFO" in outputs(fallback_batch, "fifo")["position"]


def test_fallback_kills_escaped_daemons_and_keeps_the_gradebook(fallback_batch):
    planted = next(s for s in fallback_batch["results"]["submissions"] if s["student"] == "plants_link")
    assert "planted True" in planted["output"]  # the link was there; the gradebook replaced it
    check_gradebook_intact(fallback_batch)


# ---- one run per notebook grades as one run per test ----------------------------------------

def test_forked_tests_grade_like_fresh_runs(bwrap_batch):
    names = ["correct", "exits", "lying_eq", "kills_runner_in_test"]
    submissions = grader.find_submissions([bwrap_batch["folder"] / f"{n}.ipynb" for n in names])
    fresh = grader.grade(submissions, "hw03_strides", bwrap_batch["hidden"], sandbox.Limits(timeout=TIMEOUT),
                         jobs=2, per_test=True)
    for name in names:
        assert {r.test.name: r.score for r in fresh[name].results} == scores(bwrap_batch, name), name


def test_secrets_inside_a_mounted_view_are_masked():
    if sandbox.detect().kind != "bubblewrap":
        pytest.skip(f"no bubblewrap here: {sandbox.detect().reason}")
    inside = Path(nbformat.__file__).parent  # in the Python installation, which the sandbox sees read-only
    cell = f"import os\nseen = os.listdir({str(inside)!r})\ndef storage_position(*args):\n    return len(seen)"
    for hide, seen in ([], len(os.listdir(inside))), ([inside], 0):
        outcomes, _ = sandbox.run([cell], "hw03_strides", ["position"], "", sandbox.Limits(timeout=30), hide=hide)
        assert set(outcomes["position"]["data"].values()) == {seen}


def test_an_old_bwrap_is_used_without_what_it_lacks_and_says_so(monkeypatch):
    missing = ("--disable-userns", "--size")
    monkeypatch.setattr(sandbox, "_missing", lambda bwrap: missing)
    options = sandbox._bwrap_options("bwrap", sandbox.Limits(), [])
    assert "--tmpfs" in options and not set(missing) & set(options)
    if shutil.which("bwrap"):
        sandbox.detect.cache_clear()
        try:
            found = sandbox.detect()
        finally:
            sandbox.detect.cache_clear()
        assert found.reason.startswith("this bwrap is old: the sandbox may create user namespaces of its own, "
                                       "the sandbox's tmpfs has no size cap") or found.kind == "rlimits-only"
