"""The Sources panel: S1–S15 and the NICE red-flag guidance in full, each with an anchor the schedule's short references link to."""

from __future__ import annotations

import html

import ipywidgets as w

from planner.sources import SOURCES


def sources_html() -> str:
    """The list of sources, each ``<li id='tb-source-S1'>``."""
    numbered = [tag for tag in SOURCES if tag[1:].isdigit()]  # S1…S15; "NICE" is named, not numbered
    items = "".join(f"<li id='tb-source-{tag}'><b>{tag}</b> {html.escape(text)}</li>" for tag, text in SOURCES.items())
    return (f"<details class='tb-sources-details' id='tb-sources' open><summary><b>Sources</b> ({numbered[0]}–{numbered[-1]} and NICE's red "
            f"flags: what the rules and cues are based on)</summary><ul class='tb-sources-list'>{items}</ul></details>")


class SourcesPanel:
    """Static: the list never changes with the plan."""

    def __init__(self):
        self.widget = w.HTML(sources_html()).add_class("tb-sources")
