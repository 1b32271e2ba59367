"""Plan to CSV text and iCalendar bytes: pure functions, no file writes, no clock."""

from __future__ import annotations

import datetime as dt

from planner.plan import Plan

ICS_PRODUCT_ID = "-//Trailback//walking plan//EN"
UID_DOMAIN = "trailback.plan"


def sessions_csv(plan: Plan) -> str:
    """The walking sessions (rest days left out) as CSV text, dates as ISO ``YYYY-MM-DD``."""
    table = plan.walking_sessions.copy()
    table["date"] = [day.isoformat() for day in table["date"]]
    return table.to_csv(index=False, lineterminator="\n")


def session_summary(kind: str, bouts: int, bout_minutes: int, total_minutes: int) -> str:
    """Calendar title of one session, e.g. ``"Walk 20 min"`` or ``"Micro-walk 3 x 5 min"``."""
    name = kind[:1].upper() + kind[1:]
    if bouts > 1:
        return f"{name} {bouts} x {bout_minutes} min"
    return f"{name} {total_minutes} min"


def sessions_ics(plan: Plan) -> bytes:
    """One all-day VEVENT per walking session, as iCalendar bytes a phone calendar imports.

    UIDs are stable for a given profile and date, so importing an updated plan replaces events.
    DTSTAMP is the plan's start date (midnight UTC) so the output depends on the plan only.
    """
    from icalendar import Calendar, Event

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
        event.add("description", _description(row))
        event.add("categories", [row.phase])
        calendar.add_component(event)
    return calendar.to_ical()


def _description(row) -> str:
    lines = [f"Week {row.week}, {row.phase}: {row.total_minutes} min on {row.surface}"]
    if row.bouts > 1:
        lines.append(f"{row.bouts} bouts of {row.bout_minutes} min, {row.rest_minutes} min rest between")
    if row.grade_percent:
        lines.append(f"Grade {row.grade_percent:g} %")
    if row.pack_kg:
        lines.append(f"Pack {row.pack_kg:g} kg")
    lines.append(f"Pace about {row.speed_kmh:g} km/h; load {row.load_kj:g} kJ")
    lines.append(f"Cues: {row.cues}")
    lines.append(f"Sources: {row.sources}")
    return "\n".join(lines)


def _profile_tag(plan: Plan) -> str:
    """A short, stable tag of the client's name (or 'client') for UIDs."""
    name = "".join(ch for ch in plan.profile.name.lower() if ch.isalnum())
    return name[:24] or "client"
