"""The summary panel that leads the results: the one-line plan summary, the red-flag banner (atop the
results, where the coach is looking), the review note, and warnings about contradictions."""

from __future__ import annotations

import html

import ipywidgets as w

from planner.checks import plan_warnings
from planner.plan import Plan
from planner.safety import Tier
from planner.summary import plan_summary
from planner.ui.safety import banner_html


def summary_html(result: Plan) -> str:
    """The one-line summary, e.g. "12 weeks · 5 walks a week · 13 → 30 min · 30-min walk reached in week 9"."""
    return (f"<div class='tb-summary-text' role='status'><span class='tb-summary-label'>The plan:</span> "
            f"{html.escape(plan_summary(result).text)}</div>")


def warnings_html(warnings: list[str]) -> str:
    """Warnings as a short list ("" for none)."""
    if not warnings:
        return ""
    return ("<ul class='tb-warnings-list'>" + "".join(f"<li>⚠ {html.escape(text)}</li>" for text in warnings)
            + "</ul>")


class SummaryPanel:
    """``banner``, ``line`` (the summary), ``review`` (a review-tier note) and ``warnings``; ``compact``:
    the summary line alone, for the top of a narrow page (CSS shows it under 900 px only)."""

    def __init__(self):
        self.banner = w.HTML("").add_class("tb-banner").add_class("tb-banner-results")
        self.line = w.HTML("").add_class("tb-summary")
        self.review = w.HTML("").add_class("tb-review-box")
        self.warnings = w.HTML("").add_class("tb-warnings")
        self.widget = w.VBox([self.banner, self.line, self.review, self.warnings]).add_class("tb-summary-panel")
        self.compact = w.HTML("").add_class("tb-summary-compact")  # the line again, atop a phone's page

    def show(self, result: Plan, why: str = "") -> None:
        """Show ``result``: the banner when it is stopped, else the summary (led by ``why``, the diary's
        sentence), review note and warnings."""
        self.banner.value = banner_html(result)
        if result.stopped and not len(result.weekly):
            self.line.value = self.review.value = self.warnings.value = ""
            self.compact.value = ("<div class='tb-summary-text tb-summary-stopped'>No walking plan: see the red-flag "
                                  "answer under Safety.</div>")
            return
        self.line.value = why + summary_html(result)
        self.compact.value = self.line.value
        review = ""
        if result.safety.tier == Tier.REVIEW:
            note = next((note for note in result.notes if result.safety.message and
                         note.startswith(result.safety.message)), result.safety.message)
            review = f"<div class='tb-review'>{html.escape(note)}</div>"
        self.review.value = review
        self.warnings.value = warnings_html(plan_warnings(result))
