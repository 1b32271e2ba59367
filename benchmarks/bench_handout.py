"""Handout and compare speed (issue 13). Prints figures.

Goals: the PDF handout of a 52-week plan <= 1 s; compare() adds <= 20 ms to a replan.
A "replan" is what the dashboard does on a change: plan() and its weekly and sessions tables; and
the dashboard's own replan (``App.replan``, every panel updated, no browser) with and without a plan
kept as A (the compare table and plan A on both charts).
Run: .venv/bin/python benchmarks/bench_handout.py
"""

from __future__ import annotations

import dataclasses
import statistics
import time

from _cli import parse_args  # noqa: E402  (the script's own folder is on sys.path)

if __name__ == "__main__":
    parse_args(__doc__)

from planner import compare, plan
from planner.examples import EXAMPLES
from planner.handout import handout_pdf
from planner.trail import read_gpx, sample_trails

RUNS = 30


def median_ms(action, runs: int = RUNS) -> tuple[float, float, float]:
    """Median and worst wall time of ``action()`` in ms, and its median CPU time (this process only:
    on a machine shared with other jobs, wall time includes waiting for a core)."""
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(timings), max(timings), statistics.median(cpu)


def replan(profile):
    result = plan(profile)
    result.weekly, result.sessions  # the tables the dashboard shows
    return result


def dashboard_replan_ms(profile) -> tuple[float, float]:
    """Median ms of the dashboard's replan after a hill-grade change, without and with plan A kept
    (runs interleaved, so the machine's other load falls on both)."""
    from planner.ui.app import build_app

    app = build_app(profile)
    grade = app.form.fields["grade_percent"].widget
    timings: dict[bool, list[float]] = {False: [], True: []}
    for run in range(2 * RUNS):
        kept = run % 2 == 1
        if kept:
            app.compare.keep()
        with app.quietly():
            grade.value = 2 + run % 5
        start = time.perf_counter()
        app.replan()
        timings[kept].append((time.perf_counter() - start) * 1000)
        app.compare.clear()
    return statistics.median(timings[False]), statistics.median(timings[True])


def main() -> None:
    hiker = EXAMPLES["hiker with a pack on hills"]
    pinned = replan(hiker)
    changed = dataclasses.replace(hiker, goal=dataclasses.replace(hiker.goal, weeks=12))
    effort = read_gpx(sample_trails()["rolling_hill_loop"]).analyse_for(hiker)
    changed_plan = replan(changed)
    compare(pinned, changed_plan, effort)  # warm-up: imports and caches

    alone, _, _ = median_ms(lambda: replan(changed))
    with_compare, _, _ = median_ms(lambda: compare(pinned, replan(changed)))
    with_trail, _, _ = median_ms(lambda: compare(pinned, replan(changed), effort))
    compare_only, _, compare_cpu = median_ms(lambda: compare(pinned, changed_plan, effort))
    print(f"replan (16 -> 12 weeks, tables built): median {alone:.1f} ms")
    print(f"replan + compare: median {with_compare:.1f} ms, adds {with_compare - alone:.1f} ms (goal <= 20 ms)")
    print(f"replan + compare with a trail: median {with_trail:.1f} ms, adds {with_trail - alone:.1f} ms "
          "(goal <= 20 ms)")
    print(f"compare alone (with a trail): median {compare_only:.1f} ms, CPU {compare_cpu:.1f} ms")

    year = dataclasses.replace(hiker, goal=dataclasses.replace(hiker.goal, weeks=52))
    for label, profile in (("12 weeks", changed), ("52 weeks", year)):
        alone, with_a = dashboard_replan_ms(profile)
        print(f"dashboard App.replan, {label}: median {alone:.1f} ms alone, {with_a:.1f} ms with plan A kept: "
              f"compare adds {with_a - alone:.1f} ms (goal <= 20 ms)")
    year_plan = replan(year)
    handout_pdf(year_plan)  # warm-up: font files read once per process
    for label, profile, units, size in (
            ("52-week plan, A4, metric", year, "metric", "A4"),
            ("52-week plan, Letter, imperial", year, "imperial", "Letter"),
            ("52-week plan, CJK name (fallback font embedded)", dataclasses.replace(year, name="李雷 Zoë Ångström"),
             "metric", "A4"),
            ("12-week plan, A4", dataclasses.replace(hiker, goal=dataclasses.replace(hiker.goal, weeks=12)),
             "metric", "A4")):
        result = replan(profile)
        median, worst, cpu = median_ms(lambda: handout_pdf(result, units=units, page_size=size), runs=10)
        size_kib = len(handout_pdf(result, units=units, page_size=size)) / 1024
        print(f"handout, {label}: median {median:.0f} ms (CPU {cpu:.0f} ms), worst {worst:.0f} ms, {size_kib:.0f} KiB "
              "(goal <= 1000 ms)")
    start = time.perf_counter()
    handout_pdf(replan(year))
    print(f"handout incl. replan of the 52-week plan: {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
