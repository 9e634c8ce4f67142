"""How it is measured: time every case for every library, keep the figures, write a markdown report.

Timing: one warm-up call, then a loop count picked so that one loop takes >= 0.1 s, then
``--repeat`` such loops, interleaved across libraries (round 1: minitorch, numpy, torch; round 2:
...), so a change in machine load hits all columns alike. The reported time per call is the
median loop divided by the count. The garbage collector stays on (timeit turns it off by
default) because training code runs with it on and autograd graphs are garbage.

Every figure goes into ``benchmarks/results.json`` (one entry per case, replaced when the case
runs again) and ``benchmarks/RESULTS.md`` is rendered from it, so ``-k`` re-measures a few cases
and keeps the others, and a second interpreter can fill in what the first could not run
(torch in one, nbclient in the other). Where a target is not met, the entry keeps a profile of
minitorch's side (top functions by cumulative time) that the report shows.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import importlib
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time

if __name__ == "__main__" and not __package__:  # ``python benchmarks/run.py``: run as the package's module
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks.run import main

    sys.exit(main())

from dataclasses import dataclass

import numpy as np

from . import blas_threads
from .cases import CASES, ROOT
from .measurements import MEASUREMENTS
from .report import fmt_time, render

LIBRARIES = ("minitorch", "numpy", "torch")
STORE = ROOT / "benchmarks" / "results.json"
MIN_LOOP_S = 0.1


@dataclass
class Lib:
    """One library under test; ``tensor`` converts a numpy array into its array type."""
    name: str
    module: object

    def tensor(self, array, requires_grad=False):
        if self.name == "numpy":
            return array.copy()
        return self.module.tensor(array, requires_grad=requires_grad)


def available_libraries():
    import minitorch

    libs = [Lib("minitorch", minitorch), Lib("numpy", np)]
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        return libs  # torch is optional, never a dependency: its column reads "n/a"
    torch.set_num_threads(blas_threads())  # the same number of threads as numpy's BLAS
    return libs + [Lib("torch", torch)]


def missing(modules):
    """The first of ``modules`` that cannot be imported here, or None."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            return name
    return None


# ---- timing ------------------------------------------------------------------------------------

def loop_seconds(fn, number):
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return time.perf_counter() - start


def calls_per_loop(fn):
    """1, 2, 5, 10, 20, ... calls: the first count whose loop takes >= ``MIN_LOOP_S``."""
    number = 1
    while True:
        for factor in (1, 2, 5):
            if loop_seconds(fn, number * factor) >= MIN_LOOP_S:
                return number * factor
        number *= 10


def measure(case, libs, repeat):
    """{library name: median seconds per call} for one case."""
    loops = {}
    for lib in libs:
        fn = case.make(lib)
        if fn is None:
            continue
        fn()  # warm-up: the first call pays for lazy imports and caches
        loops[lib.name] = (fn, 1 if case.self_timed else calls_per_loop(fn))
    per_call = {name: [] for name in loops}
    for _ in range(repeat):
        for name, (fn, number) in loops.items():
            per_call[name].append(fn() if case.self_timed else loop_seconds(fn, number) / number)
    return {name: statistics.median(times) for name, times in per_call.items()}


def target_met(case, seconds):
    """True/False against the case's target, None when it has none (or a column is missing)."""
    mine = seconds.get("minitorch")
    if case.limit is not None and mine is not None:
        return mine <= case.limit
    other = seconds.get(case.versus)
    if case.target is None or mine is None or other is None:
        return None
    return mine / other <= case.target


# ---- profiles --------------------------------------------------------------------------------------

def profile(case, lib, seconds=1.0, top=14):
    """Where minitorch's time goes in one call of ``case``: the top functions by cumulative time
    (cProfile, per call), or for the import case the slowest imports (``python -X importtime``)."""
    if case.self_timed:
        return import_profile(lib.name, top)
    fn = case.make(lib)
    fn()
    profiler, calls, start = cProfile.Profile(), 0, time.perf_counter()
    profiler.enable()
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # (file, line, function) -> (primitive calls, calls, own, cumulative, callers)
    rows = sorted(((cum, own, n, where) for where, (_, n, own, cum, _) in stats.items()
                   if "benchmarks" not in where[0] and "_lsprof" not in where[2]), reverse=True)[:top]
    lines = [f"cProfile, per call ({calls} calls profiled; the profiler slows every Python call down, "
             "so read the proportions, not the absolute times):",
             f"{'cumulative':>11} {'own':>9} {'calls':>6}  function"]
    for cum, own, n, (file, line, function) in rows:
        where = "" if file == "~" else f" ({short_path(file)}:{line})"  # "~": a built-in (numpy's C code...)
        lines.append(f"{fmt_time(cum / calls):>11} {fmt_time(own / calls):>9} {n / calls:6.3g}  {function}{where}")
    return "\n".join(lines)


def import_profile(module, top):
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stderr
    rows = []
    for line in out.splitlines()[1:]:  # "import time: self [us] | cumulative | imported package"
        _, own, cumulative, name = (part.strip() for part in line.replace("import time:", "|", 1).split("|"))
        rows.append((int(cumulative), int(own), name))
    lines = ["python -X importtime (one run): the slowest imports, cumulative (including what they import)",
             f"{'cumulative':>11} {'own':>9}  module"]
    lines += [f"{fmt_time(c * 1e-6):>11} {fmt_time(s * 1e-6):>9}  {name}" for c, s, name in sorted(rows, reverse=True)[:top]]
    return "\n".join(lines)


def short_path(file):
    for prefix in (str(ROOT) + os.sep, *(p + os.sep for p in sys.path if p.endswith("-packages"))):
        if file.startswith(prefix):
            return file[len(prefix):]
    return file


# ---- the machine ---------------------------------------------------------------------------------

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_name():
    try:
        return np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except Exception:  # numpy < 1.26 has no mode="dicts"
        return "unknown"


def git_commit():
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return (out.stdout.strip() or "unknown") + (" + uncommitted changes" if dirty else "")
    except OSError:
        return "unknown"


def run_info(libs):
    """What a reader needs to judge the figures: when, where, which versions, how many threads."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"date": datetime.datetime.now().isoformat(timespec="seconds"), "commit": git_commit(),
            "machine": f"{cpu_model()}, {cores} cores available, {platform.system()} {platform.release()}",
            "cores": cores, "python": f"{platform.python_version()} ({sys.executable})",
            "versions": {lib.name: getattr(lib.module, "__version__", "?") for lib in libs},
            "blas": blas_name(), "threads": blas_threads(), "load": [os.getloadavg()[0]]}


# ---- the store ---------------------------------------------------------------------------------------

def load_store():
    if STORE.exists():
        with open(STORE, encoding="utf-8") as f:
            return json.load(f)
    return {"runs": {}, "cases": {}, "measurements": {}}


def save_store(store):
    """Write the store, dropping entries of cases that no longer exist and runs nobody refers to."""
    store["cases"] = {c.key: store["cases"][c.key] for c in CASES if c.key in store["cases"]}
    store["measurements"] = {m.title: store["measurements"][m.title] for m in MEASUREMENTS
                             if m.title in store["measurements"]}
    used = {entry["run"] for entry in (*store["cases"].values(), *store["measurements"].values())}
    store["runs"] = {run: info for run, info in store["runs"].items() if run in used}
    with open(STORE, "w", encoding="utf-8") as f:
        json.dump(store, f, indent=1, ensure_ascii=False)
        f.write("\n")


# ---- main --------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="filter", default="", help="only cases whose group or name contains this")
    parser.add_argument("--repeat", type=int, default=11, help="timed loops per library and case (median is reported)")
    parser.add_argument("--skip-slow", action="store_true",
                        help="skip the notebooks (about 2 minutes); their last figures stay in the report")
    parser.add_argument("--profile", action="store_true", help="also print a profile of minitorch for every case run")
    parser.add_argument("--no-save", action="store_true",
                        help="print the figures only; leave results.json and RESULTS.md alone")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite RESULTS.md from results.json (e.g. after editing SPEED_WORK.md)")
    args = parser.parse_args(argv)
    if args.report_only:
        write_report(load_store())
        return 0

    libs = available_libraries()
    print("libraries:", ", ".join(f"{lib.name} {getattr(lib.module, '__version__', '?')}" for lib in libs),
          f"({blas_threads()} BLAS thread(s))")
    store, info = load_store(), run_info(libs)
    run_id, start = info["date"], time.perf_counter()
    selected = lambda title: args.filter.lower() in title.lower()  # noqa: E731
    for case in CASES:
        if not selected(f"{case.group} {case.name}"):
            continue
        absent = missing(case.needs)
        if absent:
            print(f"skipped (needs {absent}): {case.name}")
            continue
        seconds = measure(case, libs, args.repeat)
        met = target_met(case, seconds)
        entry = {"run": run_id, "seconds": seconds, "met": met}
        if met is False or args.profile:
            entry["profile"] = profile(case, libs[0])
            if args.profile:
                print(entry["profile"])
        store["cases"][case.key] = entry
        print(f"{case.group[:30]:30} {case.name[:50]:50} "
              + "  ".join(f"{name} {fmt_time(seconds.get(name)):>9}" for name in LIBRARIES), flush=True)
    for item in MEASUREMENTS:
        if not selected(item.title) or (item.slow and args.skip_slow):
            continue
        absent = missing(item.needs)
        if absent:
            print(f"skipped (needs {absent}): {item.title}")
            continue
        print(item.title, flush=True)
        try:
            store["measurements"][item.title] = {"run": run_id, **item.measure(libs)}
        except Exception as error:  # e.g. a notebook cell timing out: keep the other figures, and the old ones
            print(f"FAILED, previous figures kept: {type(error).__name__}: {error}")
    info["load"].append(os.getloadavg()[0])
    info["seconds"] = round(time.perf_counter() - start)
    store["runs"][run_id] = info

    if args.no_save:
        print(render(store, CASES, MEASUREMENTS))
        return 0
    save_store(store)
    write_report(store)
    print(f"wrote {STORE} ({info['seconds']} s)")
    return 0


def write_report(store):
    path = ROOT / "benchmarks" / "RESULTS.md"
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(store, CASES, MEASUREMENTS))
    print(f"wrote {path}")
