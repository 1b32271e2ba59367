"""The safety panel: the red-flag questions, asked first, grouped by what an answer means, and the
banner that replaces the plan when an answer stops it (over the questions, staying on screen while
the coach is among them; the app shows the same banner atop the results)."""

from __future__ import annotations

import html
from typing import Callable

import ipywidgets as w

from planner.plan import Plan
from planner.safety import RED_FLAGS, TIER_HEADINGS, Tier

#: The banner's heading per tier (the plan's notes and the handout use the same words).
BANNER_HEADINGS = {
    Tier.EMERGENCY: "Emergency: call 999 or go to A&amp;E / the emergency department now",
    Tier.URGENT: "See a doctor today (an urgent GP appointment, or NHS 111): no walking plan yet",
}


def banner_html(result: Plan) -> str:
    """The red-flag banner of a stopped plan ("" when the plan is not stopped by an answer)."""
    if not result.stopped:
        return ""
    emergency = result.safety.tier == Tier.EMERGENCY
    heading = BANNER_HEADINGS[Tier.EMERGENCY if emergency else Tier.URGENT]
    reasons = "".join(f"<li>{html.escape(flag.label)} ({html.escape(flag.source)})</li>"
                      for flag in result.safety.triggered)
    return (f"<div class='tb-banner-box tb-banner-{'emergency' if emergency else 'urgent'}' role='alert' "
            f"data-tier='{result.safety.tier.name.lower()}'><h2>{heading}</h2>"
            f"<p>{html.escape(result.safety.message)}</p><p>Because of:</p><ul>{reasons}</ul></div>")


class SafetyPanel:
    """One checkbox per red flag (``boxes``, by key) under its tier's heading, and the banner."""

    def __init__(self):
        self.boxes: dict[str, w.Checkbox] = {
            flag.key: w.Checkbox(value=False, indent=False, description=flag.label)
            .add_class("tb-flag").add_class(f"tb-flag-{flag.key}")
            for flag in RED_FLAGS
        }
        self.banner = w.HTML("").add_class("tb-banner").add_class("tb-banner-safety")
        groups = []
        for tier, heading in TIER_HEADINGS.items():
            keys = [flag.key for flag in RED_FLAGS if flag.tier == tier]
            if keys:
                groups.append(w.HTML(f"<div class='tb-tier tb-tier-{tier.name.lower()}'>{html.escape(heading)}</div>"))
                groups.extend(self.boxes[key] for key in keys)
        self.widget = w.VBox([
            w.HTML("<h3 class='tb-section-title'>1 · Safety: ask these first</h3>"
                   "<div class='tb-hint'>Tick any that apply now. An emergency or see-a-doctor answer replaces "
                   "the plan with what to do.</div>"),
            self.banner, *groups,
        ]).add_class("tb-safety")

    def flags(self) -> frozenset[str]:
        """The keys of the ticked red flags."""
        return frozenset(key for key, box in self.boxes.items() if box.value)

    def set_flags(self, keys: frozenset[str]) -> None:
        """Tick exactly ``keys``."""
        for key, box in self.boxes.items():
            box.value = key in keys

    def show(self, result: Plan) -> None:
        """Show the banner when ``result`` is stopped by an answer, else nothing."""
        self.banner.value = banner_html(result)

    def on_change(self, callback: Callable[[dict], None]) -> None:
        """Call ``callback`` when any answer changes."""
        for box in self.boxes.values():
            box.observe(callback, names="value")
