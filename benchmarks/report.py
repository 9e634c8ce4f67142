"""The markdown report ``benchmarks/RESULTS.md``, rendered from the stored figures (``results.json``).

Its parts: the runs the figures come from (machine, versions, threads, load), the issue's targets
with the measured value and met / not met, one table per group of cases, the measurements
(notebooks, memory), the profiles that explain each unmet target, and the hand-written record of
the speed work (``SPEED_WORK.md``), included as is.
"""

from __future__ import annotations

from pathlib import Path

SPEED_WORK = Path(__file__).resolve().parent / "SPEED_WORK.md"
LIBRARIES = ("minitorch", "numpy", "torch")


def fmt_time(seconds):
    if seconds is None:
        return "n/a"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_ratio(a, b):
    return "n/a" if a is None or b is None else f"{a / b:.2f}x"


def fmt_cell(case, seconds):
    """A time, or for throughput cases ``count / time`` (e.g. images/s)."""
    if seconds is None or case.per_second is None:
        return fmt_time(seconds)
    count, unit = case.per_second
    return f"{count / seconds:,.0f} {unit}/s"


def fmt_met(met):
    return {True: "yes", False: "**no**", None: ""}[met]


def target_text(case):
    if case.limit is not None:
        return f"under {fmt_time(case.limit)}"
    if case.target is not None:
        return f"{case.target:g}x of {case.versus}"
    return ""


def measured_text(case, seconds):
    mine = seconds.get("minitorch")
    if case.limit is not None:
        return fmt_time(mine)
    return fmt_ratio(mine, seconds.get(case.versus))


# ---- parts ---------------------------------------------------------------------------------------

def runs_part(store, letters):
    lines = ["## Runs", "",
             "Every figure below comes from one of these runs of `python -m benchmarks` (a case's row is "
             "replaced each time the case runs).", ""]
    busy = []
    for run, letter in letters.items():
        info = store["runs"][run]
        versions = info["versions"]
        load = info["load"]
        lines.append(f"- **run {letter}**: {info['date']}, minitorch commit {info['commit']}; {info['machine']}; "
                     f"python {info['python']}, numpy {versions.get('numpy')} (BLAS: {info['blas']}), "
                     f"minitorch {versions.get('minitorch')}, torch {versions.get('torch', 'not installed')}; "
                     f"{info['threads']} BLAS / torch thread(s); load average (1 min) {load[0]:.2f} at the start, "
                     f"{load[-1]:.2f} at the end; {info.get('seconds', '?')} s.")
        if load[0] > info["cores"] / 2:  # at the start: by the end the run's own process adds about 1
            busy.append(letter)
    lines += ["", "Times are medians of several timed loops after a warm-up call. numpy is the floor: minitorch "
                  "computes with numpy, so `minitorch / numpy` is what minitorch's Python layer costs. All three "
                  "libraries run on one BLAS thread (`OPENBLAS_NUM_THREADS=1`, `torch.set_num_threads(1)`), so the "
                  "columns compare work, not thread pools."]
    if busy:
        lines += ["", f"**The machine was busy during run(s) {', '.join(busy)}** (load above half the cores at the start): other "
                      "processes inflate absolute times; ratios, measured interleaved, suffer less."]
    return lines


def targets_part(store, cases, measurements):
    """One row per target of the issue: cases sharing a target are summarised (worst case shown)."""
    lines = ["", "## Targets", "", "| target (from the issue) | measured | met |", "| --- | --- | :---: |"]
    groups = {}
    for case in cases:
        if (case.target or case.limit) and case.key in store["cases"]:
            groups.setdefault((case.group, target_text(case)), []).append(case)
    for (group, target), members in groups.items():
        entries = [(case, store["cases"][case.key]) for case in members]
        judged = [(c, e) for c, e in entries if e["met"] is not None]
        if not judged:
            continue
        worst, worst_entry = max(judged, key=lambda ce: ratio_or_time(*ce))
        measured = measured_text(worst, worst_entry["seconds"])
        if len(members) > 1:
            met_count = sum(e["met"] for _, e in judged)
            measured = f"{met_count} of {len(judged)} cases met; worst `{worst.name}` {measured}"
        title = group.split(":")[0] if len(members) > 1 else f"{group}: {worst.name}"
        lines.append(f"| {title}: {target} | {measured} | {fmt_met(all(e['met'] for _, e in judged))} |")
    for item in measurements:
        entry = store["measurements"].get(item.title)
        if entry:
            verdict = entry["verdict"]
            lines.append(f"| {item.title.split(':')[0]}: {verdict['target']} | {verdict['measured']} | "
                         f"{fmt_met(verdict['met'])} |")
    return lines


def ratio_or_time(case, entry):
    seconds = entry["seconds"]
    if case.limit is not None:
        return seconds["minitorch"]
    return seconds["minitorch"] / seconds[case.versus]


def case_tables(store, cases, letters):
    show_run = len(letters) > 1
    lines, group = [], None
    for case in cases:
        entry = store["cases"].get(case.key)
        if entry is None:
            continue
        if case.group != group:
            group = case.group
            lines += ["", f"## {group}", "",
                      "| case | minitorch | numpy | torch | minitorch / numpy | minitorch / torch | target | met |"
                      + (" run |" if show_run else ""),
                      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |" + (" :---: |" if show_run else "")]
        seconds = entry["seconds"]
        mine, floor, torch = (seconds.get(name) for name in LIBRARIES)
        lines.append(f"| `{case.name}` | {fmt_cell(case, mine)} | {fmt_cell(case, floor)} | {fmt_cell(case, torch)} | "
                     f"{fmt_ratio(mine, floor)} | {fmt_ratio(mine, torch)} | {target_text(case)} | "
                     f"{fmt_met(entry['met'])} |" + (f" {letters[entry['run']]} |" if show_run else ""))
    return lines


def measurement_tables(store, measurements, letters):
    lines = []
    for item in measurements:
        entry = store["measurements"].get(item.title)
        if entry is None:
            continue
        lines += ["", f"## {item.title}", "", f"Run {letters[entry['run']]}. {entry['verdict']['target']}: "
                  f"{entry['verdict']['measured']}, met: {fmt_met(entry['verdict']['met'])}.", "",
                  "| " + " | ".join(entry["columns"]) + " |",
                  "| --- |" + " ---: |" * (len(entry["columns"]) - 1)]
        lines += ["| " + " | ".join(row) + " |" for row in entry["rows"]]
        lines += [""] + entry["notes"]
    return lines


def profiles_part(store, cases):
    unmet = [(case, store["cases"][case.key]) for case in cases
             if case.key in store["cases"] and store["cases"][case.key].get("met") is False
             and store["cases"][case.key].get("profile")]
    if not unmet:
        return []
    lines = ["", "## Why the unmet targets are not met: profiles of minitorch", "",
             "Recorded by the run that measured the case (`python -m benchmarks --profile -k <case>` prints them)."]
    for case, entry in unmet:
        lines += ["", f"### {case.group}: `{case.name}` ({measured_text(case, entry['seconds'])}, "
                      f"target {target_text(case)})", "", "```text", entry["profile"], "```"]
    return lines


def render(store, cases, measurements):
    used = sorted({e["run"] for e in (*store["cases"].values(), *store["measurements"].values())})
    letters = {run: chr(ord("A") + i) for i, run in enumerate(used)}
    lines = ["# minitorch benchmarks", "",
             "Generated by `python -m benchmarks` from `benchmarks/results.json` (see `benchmarks/cases.py` and "
             "`benchmarks/measurements.py` for what each case runs). Do not edit by hand: the speed-work record "
             "at the end comes from `benchmarks/SPEED_WORK.md` (edit it, then `python -m benchmarks --report-only`).", ""]
    lines += runs_part(store, letters)
    lines += targets_part(store, cases, measurements)
    lines += case_tables(store, cases, letters)
    lines += measurement_tables(store, measurements, letters)
    lines += profiles_part(store, cases)
    if SPEED_WORK.exists():
        lines += ["", SPEED_WORK.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"
