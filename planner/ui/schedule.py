"""The schedule panel: the plan's sessions week by week, in a compact table per week.

What every session of a phase shares (its warm-up, pain rule, after-walk stretches…) is written once,
where the phase starts, with what every session of one kind shares in a phase that mixes walks and
hikes; each row keeps only its own cues. Sources are short references ("S1") that
link to the Sources panel. The tables are built from plain lists (cells escaped here, so the source
links stay links): pandas' ``to_html``/Styler made each replan several times slower (~15 ms a page). Only one page of weeks is built and sent at a time; "Show more weeks"
fills in the rest on demand.
"""

from __future__ import annotations

import html
import re
from typing import Callable

import ipywidgets as w
import pandas as pd

from planner.diary_import import NOTHING_DONE
from planner.export import text_in_units
from planner.plan import Plan
from planner.sources import SOURCES
from planner.ui.dates import day_text
from planner.units import MASS, SPEED
from planner.ui.style import set_visible

PAGE_WEEKS = 4
CUE_SEPARATOR = "; "
CUE_SPLIT = re.compile(r"(?<=\)); ")  # each engine cue ends with its sources "(S1, S4)"; some contain "; "


def split_cues(cues: str) -> list[str]:
    """The cues of one schedule row, each "text (sources)"."""
    return [part for part in CUE_SPLIT.split(cues) if part]
COLUMNS = ("Day", "Session", "Where and pace", "Load (kJ)", "Also for this walk", "Sources")


def phase_cues(sessions: pd.DataFrame) -> dict[str, list[str]]:
    """Phase -> the cues every walking session of that phase shares, in their order.

    (Until the engine gives a phase's cues itself, they are the cues common to all its sessions.)
    """
    return _common(zip(sessions["phase"].tolist(), (split_cues(cues) for cues in sessions["cues"].tolist())))


def _common(pairs) -> dict[str, list[str]]:
    common: dict[str, list[str]] = {}
    for phase, parts in pairs:
        if phase not in common:
            common[phase] = list(parts)
        else:
            keep = set(parts)
            common[phase] = [part for part in common[phase] if part in keep]
    return common


def source_links(text: str) -> str:
    """``text`` (already HTML-escaped) with each known tag "S1"… turned into a link to the Sources panel."""
    def link(match: re.Match) -> str:
        tag = match.group(0)
        if tag not in SOURCES:
            return tag
        # out of the Tab order (a schedule holds dozens): the heading's one "Sources" link is the stop
        return f"<a class='tb-src' href='#tb-source-{tag}' tabindex='-1'>{tag}</a>"
    return re.sub(r"\bS\d{1,2}\b", link, text)


def _tags(sources: str) -> list[str]:
    return [tag.strip() for tag in sources.split(",") if tag.strip()]


def _session_text(row: dict) -> str:
    if row["bouts"] > 1:
        text = f"{row['kind']} {row['bouts']} × {row['bout_minutes']} min"
        if row["rest_minutes"]:
            text += f" ({row['rest_minutes']} min rests)"
    else:
        text = f"{row['kind']} {row['total_minutes']} min"
    if row["status"] not in ("planned", "rest"):  # logged in the diary: what was done vs planned
        text += f" ({row['status']}, planned {row['planned_minutes']} min)"
    return text


def _where_text(row: dict, system: str) -> str:
    parts = [row["surface"]]
    if row["grade_percent"]:
        parts.append(f"{row['grade_percent']:g} % hills")
    pack = row["pack_kg"]
    parts.append(f"pack {MASS.to_display(pack, system):g} {MASS.unit(system)}" if pack else "no pack")
    parts.append(f"{SPEED.to_display(row['speed_kmh'], system):g} {SPEED.unit(system)}")
    return ", ".join(parts)


def table_html(header: list[str], rows: list[list[str]], row_attributes: list[str]) -> str:
    """A ``table.tb-table`` of already-escaped cells; ``row_attributes``: each ``<tr>``'s attributes."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    body = "".join(f"<tr {attributes}>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row, attributes in zip(rows, row_attributes))
    return f"<table class='tb-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cue_items(cues: list[str], system: str) -> str:
    return "".join(f"<li>{source_links(html.escape(text_in_units(cue, system)))}</li>" for cue in cues)


def week_html(week: int, rows: list[dict], shared: dict[str, list[str]], shared_tags: dict[str, list[str]],
              system: str, first_of_phase: set[str], kind_cues: dict[tuple[str, str], list[str]],
              done: str = "") -> str:
    """One week: its heading (with ``done``, what the diary says was walked, where it says anything),
    where a phase starts the cues all its sessions share (and those all its sessions of one kind
    share, e.g. every hike), the sessions table and the rest days."""
    phases = list(dict.fromkeys(row["phase"] for row in rows))
    walks = [row for row in rows if row["kind"] != "rest"]
    rests = [row for row in rows if row["kind"] == "rest" and row["status"] == "rest"]
    total = sum(row["total_minutes"] for row in walks)
    done_html = (f" · <span class='tb-week-done'>done: {html.escape(done)}</span>"
                 if done and done != NOTHING_DONE else "")
    parts = [f"<h3 class='tb-week-heading'>Week {week} · {html.escape(', '.join(phases))} · "
             f"{len(walks)} walk{'s' if len(walks) != 1 else ''}, {total} min{done_html}</h3>"]
    for phase in phases:
        if phase in first_of_phase and shared.get(phase):
            by_kind = "".join(f"<b>Every {html.escape(kind)} also:</b><ul>{_cue_items(cues, system)}</ul>"
                              for (cue_phase, kind), cues in kind_cues.items() if cue_phase == phase and cues)
            tags = ", ".join(shared_tags.get(phase, []))
            parts.append(f"<div class='tb-phase-cues' data-phase='{html.escape(phase)}'><b>Every session in the "
                         f"{html.escape(phase)} phase:</b><ul>{_cue_items(shared[phase], system)}</ul>{by_kind}"
                         f"<div class='tb-phase-sources'>Sources: {source_links(tags)}</div></div>")
    if walks:
        cells = []
        for row in walks:
            said = set(shared.get(row["phase"], [])) | set(kind_cues.get((row["phase"], row["kind"]), []))
            own = [cue for cue in split_cues(row["cues"]) if cue not in said]
            extra_tags = [tag for tag in _tags(row["sources"]) if tag not in shared_tags.get(row["phase"], [])]
            cells.append([day_text(row['date'], year=False), html.escape(_session_text(row)),
                          html.escape(_where_text(row, system)), f"{row['load_kj']:.0f}",
                          source_links(html.escape(text_in_units(CUE_SEPARATOR.join(own), system))),
                          source_links(", ".join(extra_tags)) or "–"])
        keep = [index for index in range(len(COLUMNS))  # no empty "also" / "sources" column
                if index < 4 or any(row[index] not in ("", "–") for row in cells)]
        attributes = [f"class='tb-session' data-date='{row['date'].isoformat()}' data-grade-percent='{row['grade_percent']:g}'"
                      for row in walks]
        parts.append(table_html([COLUMNS[index] for index in keep], [[row[index] for index in keep] for row in cells],
                                attributes))
    if rests:
        days = ", ".join(day_text(row['date'], year=False) for row in rests)
        parts.append(f"<div class='tb-rest-days'>Rest: {days} (easy movement is fine)</div>")
    return f"<div class='tb-week' data-week='{week}'>{''.join(parts)}</div>"


ROW_FIELDS = ("date", "week", "phase", "kind", "bouts", "bout_minutes", "rest_minutes", "total_minutes", "surface",
              "grade_percent", "pack_kg", "speed_kmh", "load_kj", "cues", "sources", "status", "planned_minutes")


def schedule_html(result: Plan, system: str, weeks_shown: int, done: dict[int, str] | None = None) -> str:
    """The first ``weeks_shown`` weeks of ``result``'s schedule; ``done``: each week's walks done in
    words (``weekly_sources``' "done": recorded, logged by hand), said in its heading."""
    sessions = result.sessions
    if not len(sessions):
        return ""
    columns = {name: sessions[name].tolist() for name in ROW_FIELDS}
    rows = [dict(zip(ROW_FIELDS, values)) for values in zip(*columns.values())]
    walks = [row for row in rows if row["kind"] != "rest"]
    shared = _common((row["phase"], split_cues(row["cues"])) for row in walks)
    tag_sets = _common((row["phase"], _tags(row["sources"])) for row in walks)
    kinds = {(row["phase"], row["kind"]) for row in walks}
    kind_cues: dict[tuple[str, str], list[str]] = {}
    if any(sum(1 for phase, _ in kinds if phase == key[0]) > 1 for key in kinds):  # phases mixing kinds
        by_kind = _common(((row["phase"], row["kind"]), split_cues(row["cues"])) for row in walks)
        kind_cues = {key: [cue for cue in cues if cue not in shared.get(key[0], [])]
                     for key, cues in by_kind.items() if sum(1 for phase, _ in kinds if phase == key[0]) > 1}
    first_week_of_phase: dict[str, int] = {}
    for row in walks:
        first_week_of_phase.setdefault(row["phase"], row["week"])
    by_week: dict[int, list[dict]] = {}
    for row in rows:
        if row["week"] <= weeks_shown:
            by_week.setdefault(row["week"], []).append(row)
    done = done or {}
    return "".join(week_html(int(week), week_rows, shared, tag_sets, system,
                             {phase for phase, first in first_week_of_phase.items() if first == week}, kind_cues,
                             done.get(int(week), ""))
                   for week, week_rows in sorted(by_week.items()))


class ScheduleView:
    """The schedule (``table``) and the buttons that show more weeks (``more``, ``all``)."""

    def __init__(self, system: Callable[[], str]):
        self.system = system
        self.weeks_shown = PAGE_WEEKS
        self.plan: Plan | None = None
        self.done: dict[int, str] = {}
        self.table = w.HTML().add_class("tb-schedule")
        self.count = w.HTML().add_class("tb-schedule-count")
        self.more = w.Button(description=f"Show {PAGE_WEEKS} more weeks").add_class("tb-schedule-more")
        self.all = w.Button(description="Show all weeks").add_class("tb-schedule-all")
        self.controls = w.HBox([self.count, self.more, self.all]).add_class("tb-schedule-controls")
        self.widget = w.VBox([
            w.HTML("<h2 class='tb-section-title' id='tb-schedule'>Schedule</h2><div class='tb-hint'>S1–S15 beside a cue name its "
                   "source: <a class='tb-src-all' href='#tb-sources'>the list of sources</a>.</div>"),
            self.table, self.controls,
        ]).add_class("tb-schedule-panel")
        self.more.on_click(lambda _: self.show_more(PAGE_WEEKS))
        self.all.on_click(lambda _: self.show_more(None))

    def show(self, result: Plan, done: dict[int, str] | None = None) -> None:
        """Show ``result``'s first pages of weeks (as many as were open); ``done``: each week's walks
        done in words (recorded or logged by hand), for the week headings."""
        self.plan = result
        self.done = dict(done or {})
        self._draw()

    def show_more(self, weeks: int | None) -> None:
        """Open ``weeks`` more weeks (``None``: all of them)."""
        total = len(self.plan.weekly) if self.plan is not None else 0
        self.weeks_shown = total if weeks is None else min(self.weeks_shown + weeks, max(total, PAGE_WEEKS))
        self._draw()

    def _draw(self) -> None:
        result = self.plan
        total = len(result.weekly)
        self.table.value = schedule_html(result, self.system(), self.weeks_shown, self.done)
        shown = min(self.weeks_shown, total)
        self.count.value = (f"<span class='tb-schedule-count-text' data-shown='{shown}' data-total='{total}'>"
                            f"Weeks 1–{shown} of {total}</span>" if total else "")
        set_visible(self.controls, shown < total)
