"""How fast the grader grades a class: ``python -m benchmarks.grading [--students 100] [--jobs N]``.

Makes a class of ``--students`` hw01_tanh submissions (the solution, and every fourth one with a
plausible mistake: a backward that forgets the upstream gradient), grades them as
``python -m minitorch.grading grade`` does, and prints the wall time, the CPU time (the grader's
and what each sandbox reports for itself and its tests) and the machine's load. ``--compare N`` also grades the first
N submissions the slow way, the notebook run afresh for every test, and checks the grades are
the same. Results are printed as a markdown block for benchmarks/GRADING.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MISTAKE = ("return grad_output * (1 - y * y)", "return 1 - y * y")  # forgets the chain rule's upstream gradient


def make_class(folder, students):
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / "hw01_tanh.ipynb", as_version=4)
    source = nbformat.writes(nb)
    wrong = source.replace(*MISTAKE)
    if wrong == source:
        raise SystemExit(f"the hw01 solution no longer contains {MISTAKE[0]!r}: update MISTAKE")
    for i in range(students):
        (folder / f"student{i:03d}.ipynb").write_text(wrong if i % 4 == 3 else source)


def cpu_seconds():
    """The grader's CPU time and what its sandboxes report (bubblewrap hides theirs from RUSAGE_CHILDREN)."""
    from minitorch.grading import sandbox

    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + sandbox.reported_cpu_seconds()


def timed(function):
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = function()
    return result, time.perf_counter() - wall, cpu_seconds() - cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=None, help="default: the number of cores")
    parser.add_argument("--compare", type=int, default=0, help="also grade the first N the slow way, and compare")
    parser.add_argument("--isolation", default="auto", choices=("auto", "bubblewrap", "rlimits-only"))
    args = parser.parse_args(argv)

    from minitorch.grading import grader, sandbox

    isolation = sandbox.isolation(args.isolation)
    jobs = args.jobs or grader._cores()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_class(folder, args.students)
        submissions = grader.find_submissions([folder])
        load = os.getloadavg()[0]
        reports, wall, cpu = timed(lambda: grader.grade(submissions, "hw01_tanh", ROOT / "solutions",
                                                        jobs=jobs, isolation=isolation))
        scores = {s: r.score for s, r in reports.items()}
        lines = [f"- {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {_commit()}, {platform.processor() or platform.machine()}, "
                 f"{grader._cores()} cores, load average {load:.2f} before / {os.getloadavg()[0]:.2f} after; "
                 f"isolation {isolation.kind}, --jobs {jobs}",
                 f"- hw01_tanh, {args.students} submissions: **{wall:.1f} s wall**, {cpu:.1f} s CPU "
                 f"({wall / args.students:.2f} s wall and {cpu / args.students:.2f} s CPU per submission); "
                 f"scores: {sorted(set(scores.values()))}"]
        if args.compare:
            some = submissions[:args.compare]
            slow, wall_slow, cpu_slow = timed(lambda: grader.grade(some, "hw01_tanh", ROOT / "solutions", jobs=jobs,
                                                                   isolation=isolation, per_test=True))
            same = all([(r.test.name, r.score, r.status) for r in slow[s.student].results] ==
                       [(r.test.name, r.score, r.status) for r in reports[s.student].results] for s in some)
            lines.append(f"- the first {len(some)} again with a fresh sandbox per test: {wall_slow:.1f} s wall, "
                         f"{cpu_slow:.1f} s CPU ({wall_slow / len(some):.2f} s wall per submission); "
                         f"same grades: **{'yes' if same else 'NO'}**")
    print("\n".join(lines))


def _commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()
