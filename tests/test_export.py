"""CSV and iCalendar export parse back to the plan's walking sessions."""

import datetime as dt
import io

import pandas as pd
import pytest
from icalendar import Calendar

from planner import ClientProfile, Goal, Pain, Terrain, plan
from planner.export import sessions_csv, sessions_ics

PROFILES = {
    "default": ClientProfile(),
    "stenosis_hiker": ClientProfile(
        name="Ana Lopez",
        pain=Pain(pain_now=6, condition="spinal_stenosis"),
        terrain=Terrain(surface="trail", grade_percent=8, pack_mass_kg=3),
        goal=Goal(kind="hiking", weeks=10, start_date=dt.date(2026, 3, 2)),
    ),
}


@pytest.fixture(params=sorted(PROFILES))
def client_plan(request):
    return plan(PROFILES[request.param])


def test_csv_parses_back_to_walking_sessions(client_plan):
    parsed = pd.read_csv(io.StringIO(sessions_csv(client_plan)), keep_default_na=False)
    expected = client_plan.walking_sessions.reset_index(drop=True)
    assert list(parsed.columns) == list(expected.columns)
    assert len(parsed) == len(expected) > 0
    assert list(parsed["date"]) == [day.isoformat() for day in expected["date"]]
    for column in ("week", "bouts", "bout_minutes", "total_minutes"):
        assert parsed[column].tolist() == expected[column].tolist(), column
    assert parsed["load_kj"].tolist() == pytest.approx(expected["load_kj"].tolist())
    assert parsed["cues"].tolist() == expected["cues"].tolist()
    assert parsed["sources"].tolist() == expected["sources"].tolist()
    assert "rest" not in set(parsed["kind"])


def test_ics_has_one_event_per_walking_session(client_plan):
    calendar = Calendar.from_ical(sessions_ics(client_plan))
    events = calendar.walk("VEVENT")
    expected = client_plan.walking_sessions.reset_index(drop=True)
    assert len(events) == len(expected) > 0
    for event, row in zip(events, expected.itertuples(index=False)):
        assert event.decoded("dtstart") == row.date
        assert event.decoded("dtend") == row.date + dt.timedelta(days=1)
        summary = str(event.get("summary"))
        assert summary.startswith(row.kind[:1].upper() + row.kind[1:])
        minutes = row.bout_minutes if row.bouts > 1 else row.total_minutes
        assert f"{minutes} min" in summary
        description = str(event.get("description"))
        assert row.cues in description
        assert row.sources in description


def test_ics_uids_are_unique_and_stable(client_plan):
    first = Calendar.from_ical(sessions_ics(client_plan)).walk("VEVENT")
    again = Calendar.from_ical(sessions_ics(plan(client_plan.profile))).walk("VEVENT")
    uids = [str(event["uid"]) for event in first]
    assert len(set(uids)) == len(uids)
    assert uids == [str(event["uid"]) for event in again]
    assert sessions_ics(client_plan) == sessions_ics(plan(client_plan.profile))


def test_stopped_plan_exports_no_sessions():
    stopped = plan(ClientProfile(pain=Pain(red_flags=frozenset({"bladder_bowel"}))))
    assert pd.read_csv(io.StringIO(sessions_csv(stopped))).empty
    assert Calendar.from_ical(sessions_ics(stopped)).walk("VEVENT") == []
