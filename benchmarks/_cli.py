"""The benchmarks' one command line: ``--help`` prints what a benchmark measures and its flags, runs nothing.

Each benchmark calls :func:`parse_args` before it imports the planner (or Playwright), so ``--help``
answers at once instead of after the imports.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def parse_args(doc: str | None, flags: Sequence[tuple[str, str]] = (), argv: Sequence[str] | None = None,
               hidden: Sequence[str] = (), counts: Sequence[tuple[str, int, str]] = ()) -> argparse.Namespace:
    """The benchmark's flags (each ``(name, help)`` is an on/off switch), ``counts`` (``(name, default, help)``,
    a whole number) and ``hidden`` switches for the benchmark's own use."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, help_text in flags:
        parser.add_argument(name, action="store_true", help=help_text)
    for name, default, help_text in counts:
        parser.add_argument(name, type=int, default=default, help=f"{help_text} (default {default:,})")
    for name in hidden:
        parser.add_argument(name, action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)
