"""Measurements that are not "seconds per call": notebook run times and memory over a training loop.

Each is a function ``measure(libs)`` registered with ``@measurement(title)``; it returns a dict

* ``columns`` and ``rows``: the table to print (rows of already formatted strings),
* ``verdict``: ``{"target": ..., "measured": ..., "met": bool}`` against the issue's target,
* ``notes``: lines printed under the table.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from dataclasses import dataclass
from typing import Callable

from .cases import ROOT, mlp_step


@dataclass
class Measurement:
    title: str
    measure: Callable
    needs: tuple = ()  # modules it imports; where one is missing it is skipped
    slow: bool = False  # skipped with --skip-slow


MEASUREMENTS: list[Measurement] = []


def measurement(title, **options):
    def register(measure):
        MEASUREMENTS.append(Measurement(title, measure, **options))
        return measure
    return register


# ---- notebooks ---------------------------------------------------------------------------------

NOTEBOOK_BUDGET_S = 600  # the issue: all notebooks together under 10 minutes on 2 cores


@measurement("Lecture notebooks: execution time", needs=("nbclient", "nbformat"), slow=True)
def notebook_times(libs):
    """Execute every ``notebooks/*.ipynb`` top to bottom, one after the other, as
    ``python -m notebooks._build`` does (a fresh ``python3`` kernel each, the notebooks folder as
    the working directory); the notebooks on disk are not changed."""
    import nbformat
    from nbclient import NotebookClient

    rows, total = [], 0.0
    old_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), old_path) if p)  # the kernel imports this checkout
    try:
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            start = time.perf_counter()
            client.execute()
            seconds = time.perf_counter() - start
            total += seconds
            rows.append([f"`{path.name}`", f"{seconds:.1f}"])
            print(f"  {path.name}: {seconds:.1f} s", flush=True)
    finally:
        if old_path is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old_path
    rows.append(["**total**", f"**{total:.1f}**"])
    return {"columns": ["notebook", "seconds"], "rows": rows,
            "verdict": {"target": f"all together under {NOTEBOOK_BUDGET_S} s", "measured": f"{total:.0f} s",
                        "met": total < NOTEBOOK_BUDGET_S},
            "notes": ["Each time includes starting the notebook's kernel (about a second)."]}


# ---- memory ------------------------------------------------------------------------------------

WARMUP, STEPS, WINDOW = 100, 100, 10
GROWTH_ALLOWED = 0.05  # of the first window's peak


def memory_series(step):
    """``(peak, held)`` bytes traced by ``tracemalloc`` in each ``WINDOW``-step window of a
    ``STEPS``-step loop: the peak inside the window and what is still allocated at its end.
    numpy reports its array buffers to tracemalloc, so tensors' data is counted.

    ``WARMUP`` untraced steps come first: CPython keeps freed small tuples in free lists (up to
    2000 of each length) and reuses them; in a fresh process those lists fill over the first ~90
    steps, which tracemalloc shows as ~150 KiB of bounded growth that is not the library's."""
    for _ in range(WARMUP):
        step()
    series = []
    tracemalloc.start()
    try:
        for _ in range(STEPS // WINDOW):
            tracemalloc.reset_peak()
            for _ in range(WINDOW):
                step()
            held, peak = tracemalloc.get_traced_memory()
            series.append((peak, held))
    finally:
        tracemalloc.stop()
    return series


@measurement("Memory over a 100-step training loop (MLP 784-256-10, batch 128, SGD)")
def training_memory(libs):
    """The MLP training step of ``cases.py`` 100 times under ``tracemalloc``: the peak of each
    10-step window must not grow (no graph, gradient or buffer kept from one step to the next)."""
    libs = [lib for lib in libs if lib.name != "torch"]  # torch's allocator is invisible to tracemalloc
    series = {lib.name: memory_series(mlp_step(lib)) for lib in libs}
    rows = []
    for i in range(STEPS // WINDOW):
        cells = [f"{WARMUP + 1 + i * WINDOW}-{WARMUP + (i + 1) * WINDOW}"]
        for lib in libs:
            peak, held = series[lib.name][i]
            cells += [f"{peak / 2**20:.3f}", f"{held / 2**20:.3f}"]
        rows.append(cells)
    peaks = [peak for peak, _ in series["minitorch"]]
    held = [h for _, h in series["minitorch"]]
    grew, kept = max(peaks) - peaks[0], held[-1] - held[0]
    mib = 2**20
    columns = ["steps"] + [f"{lib.name} {what} (MiB)" for lib in libs for what in ("peak", "held at end")]
    return {"columns": columns, "rows": rows,
            "verdict": {"target": "flat memory: no window's peak, and nothing held at the end, more than 5% above "
                                  "the first window's peak",
                        "measured": f"minitorch's peak {peaks[0] / mib:.3f} -> {max(peaks) / mib:.3f} MiB, "
                                    f"held {held[0] / mib:.3f} -> {held[-1] / mib:.3f} MiB",
                        "met": max(grew, kept) <= GROWTH_ALLOWED * peaks[0]},
            "notes": [f"`tracemalloc` (Python objects and numpy buffers) after {WARMUP} untraced warm-up steps "
                      "(see `memory_series`); torch is not listed because its allocator does not report to "
                      "tracemalloc. The numpy column is the hand-written step's floor. The autograd graph has no "
                      "reference cycles (no objects left for the garbage collector after 10 steps with it off), "
                      "so each step's graph is freed as soon as the loss goes out of scope."]}
