"""CSV and iCalendar export parse back to the plan's walking sessions."""

import datetime as dt
import io
import re

import pandas as pd
import pytest
from icalendar import Calendar

from planner import ClientProfile, Goal, Pain, Terrain, plan
from planner.export import CHECK_IN_SUMMARY, ICS_SOURCES_LINE, sessions_csv, sessions_ics, text_in_units
from planner.sources import without_source_tags

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
    all_events = calendar.walk("VEVENT")
    events = [event for event in all_events if str(event.get("summary")) != CHECK_IN_SUMMARY]
    expected = client_plan.walking_sessions.reset_index(drop=True)
    assert len(events) == len(expected) > 0
    # Issue 19 (11): plans longer than 6 weeks carry an all-day clinician check-in every 4 weeks.
    check_ins = [event.decoded("dtstart") for event in all_events if str(event.get("summary")) == CHECK_IN_SUMMARY]
    weekly = client_plan.weekly
    assert check_ins == weekly.loc[weekly["check_in"], "start_date"].tolist()
    assert (len(check_ins) > 0) == (len(weekly) > 6)
    for event, row in zip(events, expected.itertuples(index=False)):
        assert event.decoded("dtstart") == row.date
        assert event.decoded("dtend") == row.date + dt.timedelta(days=1)
        summary = str(event.get("summary"))
        assert summary.startswith(row.kind[:1].upper() + row.kind[1:])
        minutes = row.bout_minutes if row.bouts > 1 else row.total_minutes
        assert f"{minutes} min" in summary
        description = str(event.get("description"))
        # The client's calendar: the cues in plain words, no source codes (the CSV keeps them).
        assert without_source_tags(row.cues) in description
        assert not re.search(r"\b(S\d{1,2}|NICE)\b", description), description
        assert ICS_SOURCES_LINE in description


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


def test_imperial_csv_and_ics_use_pounds_and_mph():
    hiker = plan(ClientProfile(terrain=Terrain(surface="trail", grade_percent=5, pack_mass_kg=3),
                               goal=Goal(kind="hiking", weeks=24, target_session_minutes=60)))
    metric = pd.read_csv(io.StringIO(sessions_csv(hiker)), keep_default_na=False)
    imperial = pd.read_csv(io.StringIO(sessions_csv(hiker, "imperial")), keep_default_na=False)
    assert "pack_kg" in metric.columns and "speed_kmh" in metric.columns
    assert "pack_lb" in imperial.columns and "speed_mph" in imperial.columns and "pack_kg" not in imperial.columns
    assert imperial["pack_lb"].tolist() == pytest.approx([round(kg / 0.45359237, 1) for kg in metric["pack_kg"]])
    assert imperial["speed_mph"].tolist() == pytest.approx([round(kmh / 1.609344, 1) for kmh in metric["speed_kmh"]])
    assert imperial["load_kj"].tolist() == metric["load_kj"].tolist()  # energy has one unit
    events = Calendar.from_ical(sessions_ics(hiker, "imperial")).walk("VEVENT")
    packed = [str(event["description"]) for event in events if "Pack" in str(event["description"])]
    assert packed and all(" lb" in text and " kg" not in text.split("Cues:")[0] for text in packed)
    assert all("mph" in str(event["description"]) and "km/h" not in str(event["description"]) for event in events
               if str(event.get("summary")) != CHECK_IN_SUMMARY)


@pytest.mark.parametrize("text, system, expected", [
    ("keep it to 10 lb or less (S1)", "metric", "keep it to 4.5 kg or less (S1)"),
    ("a 4.5 kg pack at 5 km/h", "imperial", "a 9.9 lb pack at 3.1 mph"),
    ("keep it to 10 lb", "imperial", "keep it to 10 lb"),
    ("Pain up to 5/10; 3 x 5 min", "metric", "Pain up to 5/10; 3 x 5 min"),
])
def test_amounts_in_text_follow_the_unit_choice(text, system, expected):
    assert text_in_units(text, system) == expected
