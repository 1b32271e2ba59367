"""Plan to CSV text and iCalendar bytes, in metric or imperial units: pure functions, no file writes,
no clock."""

from __future__ import annotations

import datetime as dt
import re

from planner.plan import Plan
from planner.sources import without_source_tags
from planner.units import DISTANCE, MASS, SPEED

ICS_PRODUCT_ID = "-//Trailback//walking plan//EN"
UID_DOMAIN = "trailback.plan"
#: The calendar is the client's: no source codes in its events; the handout lists the sources once.
ICS_SOURCES_LINE = "Where this advice comes from: the Sources list at the end of your handout"
METRIC, IMPERIAL = "metric", "imperial"
# CSV columns whose values and names change with the unit system: metric name -> (quantity, imperial name)
UNIT_COLUMNS = {"pack_kg": (MASS, "pack_lb"), "speed_kmh": (SPEED, "speed_mph")}
_AMOUNT = r"(\d+(?:\.\d+)?)\s?"
_TEXT_UNITS = {  # system -> [(pattern of an amount in the other system, quantity, its unit in this one)]
    METRIC: [(re.compile(_AMOUNT + r"lb\b"), MASS), (re.compile(_AMOUNT + r"mph\b"), SPEED),
             (re.compile(_AMOUNT + r"mi\b"), DISTANCE)],
    IMPERIAL: [(re.compile(_AMOUNT + r"kg\b"), MASS), (re.compile(_AMOUNT + r"km/h\b"), SPEED),
               (re.compile(_AMOUNT + r"km\b"), DISTANCE)],
}


def _check_system(system: str) -> None:
    if system not in (METRIC, IMPERIAL):
        raise ValueError(f"system must be 'metric' or 'imperial', got {system!r}")


def text_in_units(text: str, system: str = METRIC) -> str:
    """``text`` with amounts written in the other unit system converted, e.g. "keep it to 10 lb" ->
    "keep it to 4.5 kg" in metric, "a 4.5 kg pack" -> "a 9.9 lb pack" in imperial."""
    _check_system(system)
    for pattern, quantity in _TEXT_UNITS[system]:
        def convert(match: re.Match, quantity=quantity) -> str:
            amount = float(match.group(1))
            value = quantity.from_metric(amount, system) if system == IMPERIAL else amount * quantity.metric_per_imperial
            return f"{value:.1f}".rstrip("0").rstrip(".") + " " + quantity.unit(system)
        text = pattern.sub(convert, text)
    return text


def sessions_csv(plan: Plan, system: str = METRIC) -> str:
    """The walking sessions (rest days left out) as CSV text, dates as ISO ``YYYY-MM-DD``.

    In ``"imperial"`` the pack and pace columns are ``pack_lb`` and ``speed_mph`` (0.1 precision) and
    amounts in the cues are converted; in ``"metric"`` they are ``pack_kg`` and ``speed_kmh``.
    """
    _check_system(system)
    table = plan.walking_sessions.copy()
    table["date"] = [day.isoformat() for day in table["date"]]
    table["cues"] = [text_in_units(cue, system) for cue in table["cues"]]
    if system == IMPERIAL:
        for column, (quantity, imperial_name) in UNIT_COLUMNS.items():
            table[column] = [round(quantity.from_metric(value, system), 1) for value in table[column]]
        table = table.rename(columns={column: name for column, (_, name) in UNIT_COLUMNS.items()})
    return table.to_csv(index=False, lineterminator="\n")


CHECK_IN_SUMMARY = "Check-in with your clinician"


def session_summary(kind: str, bouts: int, bout_minutes: int, total_minutes: int) -> str:
    """Calendar title of one session, e.g. ``"Walk 20 min"`` or ``"Micro-walk 3 x 5 min"``."""
    name = kind[:1].upper() + kind[1:]
    if bouts > 1 and bouts * bout_minutes != total_minutes:
        return f"{name} {total_minutes} min in {bouts} bouts (longest {bout_minutes} min)"
    if bouts > 1:
        return f"{name} {bouts} x {bout_minutes} min"
    return f"{name} {total_minutes} min"


def sessions_ics(plan: Plan, system: str = METRIC) -> bytes:
    """One all-day VEVENT per walking session, as iCalendar bytes a phone calendar imports; pack and
    pace in ``system``'s units; the cues in the client's words, without source codes (the CSV keeps them).

    UIDs are stable for a given profile and date, so importing an updated plan replaces events.
    DTSTAMP is the plan's start date (midnight UTC) so the output depends on the plan only.
    """
    from icalendar import Calendar, Event

    _check_system(system)
    calendar = Calendar()
    calendar.add("prodid", ICS_PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Trailback plan")
    stamp = dt.datetime.combine(plan.profile.goal.start_date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    profile_tag = _profile_tag(plan)
    for row in plan.walking_sessions.itertuples(index=False):
        event = Event()
        event.add("uid", f"{row.date.isoformat()}-{profile_tag}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        event.add("dtend", row.date + dt.timedelta(days=1))
        event.add("summary", session_summary(row.kind, int(row.bouts), int(row.bout_minutes),
                                             int(row.total_minutes)))
        event.add("description", _description(row, system))
        event.add("categories", [row.phase])
        calendar.add_component(event)
    for row in plan.weekly.itertuples(index=False):
        if row.check_in:
            # Review points (S6): an all-day reminder on the first day of the week.
            event = Event()
            event.add("uid", f"check-in-{row.start_date.isoformat()}-{profile_tag}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", row.start_date)
            event.add("dtend", row.start_date + dt.timedelta(days=1))
            event.add("summary", CHECK_IN_SUMMARY)
            event.add("description", f"Week {row.week}: review the plan with your clinician or coach.")  # client words: no source codes
            event.add("categories", ["check-in"])
            calendar.add_component(event)
    return calendar.to_ical()


def _amount(quantity, metric_value: float, system: str) -> str:
    return f"{round(quantity.from_metric(metric_value, system), 1):g} {quantity.unit(system)}"


def _description(row, system: str) -> str:
    lines = [f"Week {row.week}, {row.phase}: {row.total_minutes} min on {row.surface}"]
    if row.bouts > 1:
        lines.append(f"{row.bouts} bouts of {row.bout_minutes} min, {row.rest_minutes} min rest between")
    if row.grade_percent:
        lines.append(f"Grade {row.grade_percent:g} %")
    if row.pack_kg:
        lines.append(f"Pack {_amount(MASS, row.pack_kg, system)}")
    lines.append(f"Pace about {_amount(SPEED, row.speed_kmh, system)}; load {row.load_kj:g} kJ")
    lines.append(f"Cues: {without_source_tags(text_in_units(row.cues, system))}")
    lines.append(ICS_SOURCES_LINE)
    return "\n".join(lines)


def _profile_tag(plan: Plan) -> str:
    """A short, stable tag of the client's name (or 'client') for UIDs."""
    name = "".join(ch for ch in plan.profile.name.lower() if ch.isalnum())
    return name[:24] or "client"
