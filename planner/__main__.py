"""Print a sample plan: ``python3 -m planner [example name]`` (names: see planner.examples)."""

from __future__ import annotations

import sys

import pandas as pd

from planner import plan
from planner.examples import EXAMPLES


def main(argv: list[str]) -> int:
    name = " ".join(argv) or "deconditioned walker"
    if name not in EXAMPLES:
        print(f"unknown example {name!r}; choose one of: {', '.join(EXAMPLES)}", file=sys.stderr)
        return 2
    result = plan(EXAMPLES[name])
    print(f"Trailback plan — example: {name}\n")
    for note in result.notes:
        print(f"- {note}")
    if result.stopped:
        return 0
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print("\nWeeks:")
        print(result.weekly[["week", "start_date", "phase", "sessions", "total_minutes", "longest_bout_minutes",
                             "load_kj", "acwr", "difficulty_change"]].to_string(index=False))
        print("\nFirst two weeks:")
        print(result.walking_sessions[result.walking_sessions["week"] <= 2][
            ["date", "weekday", "kind", "bouts", "bout_minutes", "total_minutes", "surface",
             "grade_percent", "pack_kg", "load_kj"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
