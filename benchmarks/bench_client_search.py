"""The client picker's type-to-search on a roster of 1,000 clients (issue 23): the time the kernel
takes per keystroke in the Find box (filter the roster, refill the picker) and to show the whole
roster, in milliseconds (median and worst of the keystrokes of a few names typed letter by letter).

Goal: a keystroke well under 100 ms (felt as instant) on a 2-core machine. Prints figures.
Run: python3 benchmarks/bench_client_search.py [--clients 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="roster size (default 1000)")
    args = parser.parse_args()

    from planner.status import STATES, ClientState
    from planner.store import RosterLine
    from planner.ui.client_bar import ClientBar

    rng = random.Random(23)
    first = ["Maria", "Alex", "Sam", "Nora", "Jon", "Eve", "Ada", "Lee", "Kim", "Ola", "Ines", "Tomas"]
    last = ["Keller", "Hill", "Stone", "Walker", "Berg", "Novak", "Silva", "Okafor", "Tanaka", "Moreau"]
    lines = [RosterLine(i + 1, f"{rng.choice(first)} {rng.choice(last)} {i}", "",
                        ClientState(rng.choice(STATES), "reason")) for i in range(args.clients)]
    bar = ClientBar(on_pick=lambda _: None, on_new=lambda: None, on_save=lambda: None, on_delete=lambda: None)
    started = time.perf_counter()
    bar.show_roster(lines, None)
    show_ms = (time.perf_counter() - started) * 1000
    keystrokes = []
    for name in ("maria kel", "tanaka", "eve s", "9"):
        for end in range(1, len(name) + 1):
            started = time.perf_counter()
            bar.find.value = name[:end]
            keystrokes.append((time.perf_counter() - started) * 1000)
        bar.find.value = ""
    print(f"roster of {args.clients}: show {show_ms:.1f} ms; keystroke in Find: median "
          f"{statistics.median(keystrokes):.1f} ms, worst {max(keystrokes):.1f} ms over {len(keystrokes)} keystrokes "
          f"(kernel side; the page then redraws the <select>)")


if __name__ == "__main__":
    main()
