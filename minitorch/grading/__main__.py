"""``python -m minitorch.grading assign | grade | check-solutions`` (``--help`` on each)."""

from __future__ import annotations

import argparse
import sys

from .check import format_text
from .i18n import set_language


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minitorch.grading", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    assign = commands.add_parser("assign", help="write the student notebooks from the solution notebooks")
    assign.add_argument("solutions")
    assign.add_argument("exercises")

    grade = commands.add_parser("grade", help="grade notebooks (files or folders of notebooks)")
    grade.add_argument("submissions", nargs="+")
    grade.add_argument("--assignment", required=True, help="e.g. hw01_tanh")
    grade.add_argument("--hidden", help="folder of solution notebooks whose hidden tests to run too")
    grade.add_argument("--csv", help="write one row per student, one column per test")
    grade.add_argument("--json", help="write the results in the shape of Gradescope's results.json")

    solutions = commands.add_parser("check-solutions", help="prove every solution notebook gets full marks")
    solutions.add_argument("solutions")
    for command in (grade, solutions):
        command.add_argument("--timeout", type=float, default=20.0,
                             help="seconds for the notebook's cells, and again for each test (default 20)")
        command.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: the cores)")
        command.add_argument("--memory-mb", type=int, default=4096, help="memory per process (default 4096)")
        command.add_argument("--isolation", default="auto", choices=("auto", "bubblewrap", "rlimits-only"),
                             help="auto (default): bubblewrap if it works here, else rlimits-only, with a warning")
        command.add_argument("--language", choices=("en", "ru"), default=None,
                             help="language of the per-test messages (default: the locale's, else English)")
    args = parser.parse_args(argv)

    try:
        return _run(args)
    except (ValueError, OSError, ImportError) as error:  # a bad marker or assignment, a missing file or extra
        print(f"error: {error}", file=sys.stderr)
        return 1


def _run(args):
    from . import grader, sandbox
    from .assign import assign

    if args.command == "assign":
        for path in assign(args.solutions, args.exercises):
            print(f"wrote {path}")
        return 0
    set_language(args.language)
    limits = sandbox.Limits(timeout=args.timeout, memory_mb=args.memory_mb)
    isolation = sandbox.isolation(args.isolation)
    if isolation.kind == "bubblewrap":
        print("isolation: bubblewrap (each notebook in its own namespaces, without network, seeing no other file)")
        if isolation.reason:
            print(f"WARNING: {isolation.reason}", file=sys.stderr)
    else:
        print(sandbox.fallback_warning(isolation), file=sys.stderr)
        print(f"isolation: rlimits-only ({isolation.reason}); install bubblewrap: {sandbox.INSTALL_BUBBLEWRAP}")
    if args.command == "check-solutions":
        reports, unknown = grader.check_solutions(args.solutions, limits, args.jobs, isolation)
        for report in reports.values():
            print(format_text(report))
        for name in unknown:
            print(f"{name}: unknown assignment: no minitorch/grading/assignments/{name}.py "
                  "(see solutions/README.md, 'Add an assignment'); skipped")
        failed = [name for name, r in reports.items() if r.score < r.max_score]
        print(f"not full marks: {', '.join(failed)}" if failed else f"all {len(reports)} solutions get full marks")
        return 1 if failed or unknown else 0
    grader.check_outputs([args.csv, args.json], [*args.submissions, *([args.hidden] if args.hidden else [])])
    submissions = grader.find_submissions(args.submissions)
    reports = grader.grade(submissions, args.assignment, args.hidden, limits, args.jobs, isolation,
                           hide=[p for p in (args.csv, args.json) if p])
    for student, report in reports.items():
        print(f"{student:<30} {report.score:g} / {report.max_score:g}   "
              + "  ".join(f"{r.test.name}={r.status}" for r in report.results if r.status != "passed"))
    if args.csv:
        grader.write_csv(reports, args.csv)
    if args.json:
        grader.write_json(reports, args.json, args.assignment, isolation.kind)
    return 0


if __name__ == "__main__":
    sys.exit(main())
