"""Two scenarios side by side: "Keep as A" pins the current plan; every plan shown after it is plan B,
and a small table says what differs (:func:`planner.compare`). Swap and clear.

Self-contained: the app composes it. It calls :meth:`ComparePanel.show` with each new plan, reads
:attr:`ComparePanel.pinned` to draw plan A faint on its charts, and passes ``on_swap`` to put plan
A's profile back in its form (the app then replans, and shows the result here as the new B).
Nothing is computed here beyond formatting: the figures come from :func:`planner.compare`.
"""

from __future__ import annotations

import html
import math
from typing import Callable

import ipywidgets as w
import pandas as pd

from planner.compare import compare
from planner.plan import Plan
from planner.profile import ClientProfile
from planner.trail import TrailEffort

WEEK_MEASURES = ("weeks to goal", "first hike week", "ready-for-trail week")
COMPARE_STYLE = """<style>
.tb-compare-table {border-collapse:collapse; font-size:0.9em; margin:4px 0}
.tb-compare-table th, .tb-compare-table td {text-align:left; padding:2px 12px 2px 0}
.tb-compare-table th {font-weight:normal; color:#555}
.tb-compare-table tr.tb-compare-differs td {font-weight:bold}
.tb-compare-note {color:#555; font-size:0.9em}
.tb-compare-words {color:#555; font-size:0.85em; max-width:260px; white-space:normal}
</style>"""


def value_text(measure: str, value) -> str:
    """A table value as people read it: ``None`` is "never" for a week, "–" otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "never" if measure in WEEK_MEASURES else "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


#: Plain words under the measures a client or new coach may not know (issue 23: "hold weeks" unexplained).
MEASURE_WORDS = {
    "hold weeks": "weeks kept at the last week's walks because the diary's pain was above the limits",
    "step-back weeks": "weeks with shorter walks after pain stayed high or spread down the leg",
    "peak acute:chronic": "the highest ratio of a week's load to the average of the last four weeks",
}


def _explained(measure: str) -> str:
    """A one-line explanation under ``measure`` ("" for the plain ones)."""
    words = MEASURE_WORDS.get(measure)
    return f"<div class='tb-compare-words'>{html.escape(words)}</div>" if words else ""


def table_html(table: pd.DataFrame) -> str:
    """The compare table as HTML: rows that differ are marked (class ``tb-compare-differs``)."""
    rows = "".join(
        f"<tr class='{'tb-compare-differs' if row.different else 'tb-compare-same'}' "
        f"data-measure='{html.escape(row.measure, quote=True)}'>"
        f"<th>{html.escape(row.measure)}{_explained(row.measure)}</th><td class='tb-compare-a'>{html.escape(value_text(row.measure, row.A))}</td>"
        f"<td class='tb-compare-b'>{html.escape(value_text(row.measure, row.B))}</td></tr>"
        for row in table.itertuples(index=False))
    return (f"{COMPARE_STYLE}<table class='tb-compare-table'><thead><tr><th></th><th>A (kept)</th>"
            f"<th>B (now)</th></tr></thead><tbody>{rows}</tbody></table>")


class ComparePanel:
    """Buttons "Keep as A", "Swap A and B", "Clear A" and the difference table (``widget``).

    ``on_swap(profile)`` is called with plan A's profile on swap, for the app to load into its form;
    ``trail_effort()`` returns the loaded trail's effort (or None) for the ready-for-trail row.
    """

    def __init__(self, on_swap: Callable[[ClientProfile], None] = lambda profile: None,
                 trail_effort: Callable[[], TrailEffort | None] = lambda: None,
                 on_pinned_change: Callable[[Plan | None], None] = lambda plan: None):
        self.on_swap = on_swap
        self.trail_effort = trail_effort
        self.on_pinned_change = on_pinned_change
        self.pinned: Plan | None = None  # plan A, for the app's chart overlay
        self.current: Plan | None = None  # plan B: the plan shown now
        self.table: pd.DataFrame | None = None
        self.keep_button = w.Button(description="Keep as A",
                                    tooltip="Pin this plan; changes then show as plan B beside it")
        self.swap_button = w.Button(description="Swap A and B", disabled=True)
        self.clear_button = w.Button(description="Clear A", disabled=True)
        for button, name in ((self.keep_button, "keep"), (self.swap_button, "swap"), (self.clear_button, "clear")):
            button.add_class(f"tb-compare-{name}")
        self.keep_button.on_click(lambda _: self.keep())
        self.swap_button.on_click(lambda _: self.swap())
        self.clear_button.on_click(lambda _: self.clear())
        self.output = w.HTML().add_class("tb-compare-output")
        self.widget = w.VBox([w.HBox([self.keep_button, self.swap_button, self.clear_button]), self.output])
        self.widget.add_class("tb-compare")
        self._render()

    def show(self, plan: Plan) -> None:
        """Make ``plan`` plan B (the current plan) and refresh the table."""
        self.current = plan
        self._render()

    def keep(self) -> None:
        """Pin the current plan as A."""
        if self.current is None:
            return
        self.pinned = self.current
        self.on_pinned_change(self.pinned)
        self._render()

    def swap(self) -> None:
        """A becomes B and B becomes A; the app gets A's profile to show (and replans)."""
        if self.pinned is None or self.current is None:
            return
        old_a, self.pinned = self.pinned, self.current
        self.on_pinned_change(self.pinned)
        self.current = old_a
        self._render()
        self.on_swap(old_a.profile)

    def clear(self) -> None:
        """Forget plan A."""
        self.pinned = None
        self.on_pinned_change(None)
        self._render()

    def _render(self) -> None:
        pinned = self.pinned is not None
        self.swap_button.disabled = self.clear_button.disabled = not pinned
        self.keep_button.disabled = self.current is None
        if not pinned or self.current is None:
            self.table = None
            self.output.value = ("<span class='tb-compare-note'>Keep a plan as A, then change the inputs to "
                                 "see plan B beside it.</span>")
            return
        self.table = compare(self.pinned, self.current, self.trail_effort())
        differing = int(self.table["different"].sum())
        note = (f"{differing} of {len(self.table)} measures differ." if differing
                else "B is the same as A on every measure.")
        self.output.value = table_html(self.table) + f"<span class='tb-compare-note'>{note}</span>"
