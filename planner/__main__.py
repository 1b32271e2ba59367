"""Command line.

``python3 -m planner [example name]`` prints a sample plan (names: see planner.examples).
``python3 -m planner handout profile.json -o plan.pdf [--units imperial] [--page-size Letter]`` writes
the client's PDF handout for a profile saved as ``ClientProfile.to_dict()`` JSON (or wrapped as
``{"profile": {...}, "units": "metric"}``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from planner import plan
from planner.examples import EXAMPLES
from planner.profile import ClientProfile, PlannerInputError
from planner.units import SYSTEMS

HANDOUT_COMMAND = "handout"


def main(argv: list[str]) -> int:
    if argv[:1] == [HANDOUT_COMMAND]:
        return handout_main(argv[1:])
    return example_main(argv)


def example_main(argv: list[str]) -> int:
    """Print one example plan."""
    name = " ".join(argv) or "deconditioned walker"
    if name not in EXAMPLES:
        print(f"unknown example {name!r}; choose one of: {', '.join(EXAMPLES)} "
              f"(or: {HANDOUT_COMMAND} profile.json -o plan.pdf)", file=sys.stderr)
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


def read_profile_file(path: Path) -> tuple[ClientProfile, str | None]:
    """The profile in a JSON file (``to_dict()`` output, or ``{"profile": ..., "units": ...}``) and
    the units saved with it, if any. Raises ``ValueError`` with a message for a person."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read {path}: {error}") from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    units = None
    if isinstance(data, dict) and "profile" in data:
        units = data.get("units")
        if units is not None and units not in SYSTEMS:
            raise ValueError(f"{path}: units must be {' or '.join(SYSTEMS)}, got {units!r}")
        data = data["profile"]
    try:
        return ClientProfile.from_dict(data), units
    except (PlannerInputError, TypeError, ValueError) as error:  # TypeError: e.g. a list where a number belongs
        raise ValueError(f"{path} is not a valid client profile: {error}") from None


def handout_main(argv: list[str]) -> int:
    """Write the PDF handout for a saved profile."""
    parser = argparse.ArgumentParser(prog="python3 -m planner handout",
                                     description="Write a client's PDF handout for a saved profile.")
    parser.add_argument("profile", type=Path, help="profile JSON (ClientProfile.to_dict(), or {profile, units})")
    parser.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    parser.add_argument("--units", choices=SYSTEMS, help="display units (default: the file's, else metric)")
    parser.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    args = parser.parse_args(argv)
    try:
        profile, saved_units = read_profile_file(args.profile)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from planner.handout import handout_pdf  # fpdf2 only when a handout is asked for

    pdf = handout_pdf(plan(profile), units=args.units or saved_units or "metric", page_size=args.page_size)
    try:
        args.output.write_bytes(pdf)
    except OSError as error:
        print(f"error: cannot write {args.output}: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.output} ({len(pdf) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
