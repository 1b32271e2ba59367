"""Issue 21: the client's recorded walks (FIT, TCX, GPX) fill the diary with the real load.

Real device files from other projects are read from ``../shared/data/activities`` and
``../shared/data/gpx`` (their figures: the README tables there, computed with other tools) and
skipped, saying why, where that folder is absent. They are never copied into the project.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from planner import ClientProfile, DiaryEntry, Fitness, Goal, Pain, adapt, plan
from planner.adapt import flare_settled, judge_week
from planner.diary_import import ADDED, ALREADY, NOT_A_WALK, OUTSIDE, REFUSED, import_recordings
from planner.progression import HOLD
from planner.recordings import RecordingFileError, RecordingSource, read_recording, walk_verdict

FIT = "activities/dtcooper__python-fitparse"
TCX_RUNPANDAS = "activities/corriporai__runpandas"
TCX_SWEAT = "activities/GoldenCheetah__sweatpy"
TCX_ACTIVEREADER = "activities/aaron-schroeder__activereader"

# (file, elapsed "h:mm:ss", timer "h:mm:ss" or None, km, walk?) — the file's own session summary as
# /work/shared/data/activities/README.md tabulates it (several sessions: totals summed).
SUMMARIES = [
    (f"{FIT}/garmin-fenix-5-walk.fit", "0:00:45", None, 0.07, True),
    (f"{FIT}/garmin-fenix-5-run.fit", "0:00:57", None, 0.16, False),
    (f"{FIT}/garmin-edge-820-bike.fit", "0:01:05", None, 0.46, False),
    (f"{FIT}/2013-02-06-12-11-14.fit", "0:43:45", None, 4.84, False),
    (f"{FIT}/activity-small-fenix2-run.fit", "0:47:12", None, 9.01, False),
    (f"{FIT}/developer-types-sample.fit", "0:57:04", None, 6.75, False),
    (f"{FIT}/2015-10-13-08-43-15.fit", "0:27:03", "0:25:58", 11.54, False),
    (f"{FIT}/Edge810-Vector-2013-08-16-15-35-10.fit", "1:18:20", None, 41.34, False),
    (f"{FIT}/coros-pace-2-cycling-misaligned-fields.fit", "3:31:59", "3:08:07", 32.15, False),
    (f"{FIT}/null_compressed_speed_dist.fit", "0:30:07", None, 13.40, False),
    (f"{FIT}/sample-activity-indoor-trainer.fit", "0:37:42", None, 0.00, False),
    (f"{FIT}/20170518-191602-1740899583.fit", "0:28:27", None, 0.00, False),
    (f"{FIT}/event_timestamp.fit", "1:16:07", "1:12:52", 2.61, False),
    (f"{FIT}/sample_mulitple_header.fit", "2:38:11", None, 52.53, False),
    (f"{TCX_RUNPANDAS}/run_garmin.tcx", "0:13:42", None, 2.15, False),
    (f"{TCX_RUNPANDAS}/run.tcx", "0:23:42", None, 4.82, False),
    (f"{TCX_RUNPANDAS}/stopped_example.tcx", "1:25:30", None, 12.01, False),
    (f"{TCX_RUNPANDAS}/11km.tcx", "1:16:06", None, 11.05, False),
    (f"{TCX_RUNPANDAS}/2020-12-02T06_08_29-300_Running.tcx", "0:41:36", None, 7.01, False),
    (f"{TCX_SWEAT}/3173437224.tcx", "1:05:06", None, 4.51, False),
    (f"{TCX_SWEAT}/activity_5039744860.tcx", "0:02:06", None, 0.67, False),
    (f"{TCX_ACTIVEREADER}/testdata.tcx", "0:03:42", None, 0.16, False),
]

# GPX has no session summary: its track length (gpxpy's 2-D length, /work/shared/data/gpx/README.md)
# and what it is.
GPX_LENGTHS = [
    ("gpx/graphhopper__graphhopper/issue-70.gpx", 1.01, True),  # a 1 km walk at ~4 km/h
    # Locus Map with an undeclared prefix: strict parsers refuse it, the one GPX reader (issue 20) takes the
    # prefix off and reads a 0.75 km walk of 10 min
    ("gpx/ThomasDaheim__GPXEditor/testxmnls.gpx", None, True),
    ("gpx/ThomasDaheim__GPXEditor/testgarmincrapfilter.gpx", None, False),  # a drive with garbage points
    ("gpx/simon-techkid__SpotifyGPX/sample.gpx", 17.39, False),  # a drive, GPSLogger
    ("gpx/JoanMartin__trackanimation/6711313.gpx", 6.9, False),  # a drive, Wikiloc
    ("gpx/JoanMartin__trackanimation/6197472.gpx", 86.69, False),  # a bike ride
    ("gpx/gpx-animator__gpx-animator/bikeride.gpx", 123.24, False),  # a bike ride, Garmin Connect
    ("gpx/corriporai__runpandas/strava_export.gpx", 12.61, False),  # a run, Strava type 9
    ("gpx/mpetazzoni__leaflet-gpx/demo.gpx", 42.36, False),  # a marathon
    ("gpx/Toblerity__Fiona/test_gpx.gpx", 0.41, False),  # a run, RunKeeper
]

# Files that are not a usable recording: damaged, cut short, or not an activity at all.
REFUSED_FILES = [
    (f"{FIT}/activity-unexpected-eof.fit", "cut short"),
    (f"{FIT}/activity-settings-corruptheader.fit", "damaged"),
    (f"{FIT}/strava-android-app-201.10-b1218918.fit", "damaged"),
    (f"{FIT}/Settings.fit", "settings file"),
    (f"{FIT}/MonitoringFile.fit", "monitoring file"),
    (f"{FIT}/antfs-dump.63.fit", "no date"),
    (f"{FIT}/compressed-speed-distance.fit", "no date"),
    (f"{TCX_ACTIVEREADER}/testcourse.tcx", "planned course"),
    ("gpx/aaron-schroeder__activereader/testcourse.gpx", "no recorded track"),
    ("gpx/ThomasDaheim__GPXEditor/MapSourceWaypoints.gpx", "no recorded track"),
    ("gpx/ThomasDaheim__GPXEditor/testbasicediting.gpx", "no times"),
]


def data_file(shared_data, relative: str) -> bytes:
    path = shared_data / relative
    if not path.is_file():
        pytest.skip(f"{relative} absent: ../shared/data (the public test recordings beside the clone) is not here")
    return path.read_bytes()


def minutes(clock: str) -> float:
    hours, mins, secs = (int(part) for part in clock.split(":"))
    return hours * 60 + mins + secs / 60


def assert_plain(message: str) -> None:
    """A sentence for a coach: no library names, exception classes, reprs or byte offsets."""
    assert not re.search(r"fitdecode|garmin_fit|gpxpy|lxml|ElementTree|Error\b|Exception|Traceback|@ \d|"
                         r"\bb'|<class|\\x", message), message
    assert message.rstrip().endswith("."), message
    assert "by hand" in message  # it says what the coach can do


@pytest.mark.parametrize("relative, elapsed, timer, km, is_walk", SUMMARIES,
                         ids=[row[0].rsplit("/", 1)[1] for row in SUMMARIES])
def test_minutes_and_distance_match_the_files_own_summary(shared_data, relative, elapsed, timer, km, is_walk):
    activities = read_recording(relative.rsplit("/", 1)[1], data_file(shared_data, relative))
    total_elapsed = sum(a.elapsed_minutes for a in activities)
    total_moving = sum(a.moving_minutes for a in activities)
    total_km = sum(a.distance_km for a in activities)
    assert total_elapsed == pytest.approx(minutes(elapsed), rel=0.02, abs=1 / 60)  # the table rounds to seconds
    if timer is not None:
        assert total_moving == pytest.approx(minutes(timer), rel=0.02, abs=1 / 60)
    assert total_moving <= total_elapsed + 1e-9
    assert total_km == pytest.approx(km, rel=0.03, abs=0.005)  # the table rounds to 10 m
    assert any(walk_verdict(a).is_walk for a in activities) == is_walk


def test_a_multisport_file_is_several_activities_none_of_them_a_walk(shared_data):
    activities = read_recording("tri.fit", data_file(shared_data, f"{FIT}/sample_mulitple_header.fit"))
    assert [a.sport for a in activities] == ["swimming", "transition", "cycling", "transition", "running"]
    assert [a.label for a in activities][:2] == ["tri.fit", "tri.fit #2"]
    assert all(b.start > a.start for a, b in zip(activities, activities[1:]))
    assert not any(walk_verdict(a).is_walk for a in activities)


def test_device_sport_and_start_come_from_the_file(shared_data):
    (walk,) = read_recording("w.fit", data_file(shared_data, f"{FIT}/garmin-fenix-5-walk.fit"))
    assert (walk.sport, walk.device, walk.file_format) == ("walking", "garmin fenix5", "FIT")
    assert walk.start == dt.datetime(2017, 6, 11, 14, 32, 51, tzinfo=dt.timezone.utc)
    (run,) = read_recording("r.tcx", data_file(shared_data, f"{TCX_RUNPANDAS}/run_garmin.tcx"))
    assert (run.sport, run.device, run.file_format) == ("Running", "Garmin Forerunner 620", "TCX")
    assert run.start == dt.datetime(2018, 11, 25, 7, 20, 49, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("relative, km, is_walk", GPX_LENGTHS, ids=[row[0].rsplit("/", 1)[1] for row in GPX_LENGTHS])
def test_gpx_recordings_walks_and_not(shared_data, relative, km, is_walk):
    activities = read_recording(relative.rsplit("/", 1)[1], data_file(shared_data, relative))
    if km is not None:
        assert sum(a.distance_km for a in activities) == pytest.approx(km, rel=0.03)
    verdicts = [walk_verdict(a) for a in activities]
    assert all(v.is_walk == is_walk for v in verdicts), [v.reason for v in verdicts]


def test_a_drive_and_a_ride_say_why_they_are_not_walks(shared_data):
    (drive,) = read_recording("d.gpx", data_file(shared_data, "gpx/simon-techkid__SpotifyGPX/sample.gpx"))
    assert "faster than" in walk_verdict(drive).reason
    (ride,) = read_recording("r.fit", data_file(shared_data, f"{FIT}/garmin-edge-820-bike.fit"))
    assert walk_verdict(ride).reason == "recorded as cycling, not a walk or hike"
    (indoor,) = read_recording("i.fit", data_file(shared_data, f"{FIT}/sample-activity-indoor-trainer.fit"))
    assert "indoors" in walk_verdict(indoor).reason


def test_a_several_day_gpx_is_one_activity_per_day(shared_data):
    activities = read_recording("week.gpx", data_file(shared_data, "gpx/ThomasDaheim__GPXEditor/testalgorithms.gpx"))
    days = [a.date for a in activities]
    assert len(days) == len(set(days)) > 1
    assert all(a.elapsed_minutes < 24 * 60 for a in activities)


@pytest.mark.parametrize("relative, words", REFUSED_FILES, ids=[row[0].rsplit("/", 1)[1] for row in REFUSED_FILES])
def test_unusable_files_are_refused_in_plain_words(shared_data, relative, words):
    name = relative.rsplit("/", 1)[1]
    with pytest.raises(RecordingFileError) as caught:
        read_recording(name, data_file(shared_data, relative))
    assert words in str(caught.value)
    assert str(caught.value).startswith(name + ": ")
    assert_plain(str(caught.value))


@pytest.mark.parametrize("make, words", [
    (lambda raw: raw[: len(raw) // 2], "broken or cut short"),  # a TCX cut in half
    (lambda raw: b"", "empty"),
    (lambda raw: b"\x00\x01 not a recording at all", "not a FIT, TCX or GPX"),
    (lambda raw: b"\x0e\x10\x00\x00\xff\x00\x00\x00.FIT" + bytes(range(256)) * 3, "FIT file"),  # header, garbage
], ids=["tcx-cut", "empty", "random", "fit-garbage"])
def test_damaged_files_made_from_real_ones_are_refused_in_plain_words(shared_data, make, words):
    raw = make(data_file(shared_data, f"{TCX_RUNPANDAS}/run_garmin.tcx"))
    with pytest.raises(RecordingFileError) as caught:
        read_recording("bad", raw)
    assert words in str(caught.value)
    assert_plain(str(caught.value))


# --- Into the diary ------------------------------------------------------------------------------

WEEK_START = dt.date(2020, 2, 17)  # the Monday of testalgorithms.gpx's walks (19-26 Feb 2020)
TODAY = dt.date(2020, 3, 2)


def client(**pain) -> ClientProfile:
    return ClientProfile(name="Walker", pain=Pain(pain_now=pain.get("pain_now", 3), in_flare=pain.get("in_flare", False)),
                         fitness=Fitness(walking_minutes_per_week=60, longest_walk_minutes=20, body_mass_kg=75),
                         goal=Goal(weeks=8, start_date=WEEK_START))


@pytest.fixture
def week_of_walks(shared_data):
    return [("week.gpx", data_file(shared_data, "gpx/ThomasDaheim__GPXEditor/testalgorithms.gpx")),
            ("walk.fit", data_file(shared_data, f"{FIT}/garmin-fenix-5-walk.fit"))]


def test_each_walk_becomes_the_entry_of_its_day_with_its_own_figures(week_of_walks):
    profile = client()
    result = import_recordings(profile, plan(profile), [], week_of_walks, today=TODAY)
    added = [walk for walk in result.walks if walk.outcome == ADDED]
    assert len(added) >= 4 and len(result.diary) == len(added)
    activities = {a.date: a for a in read_recording("week.gpx", week_of_walks[0][1])}
    for entry in result.diary:
        (source,) = entry.recordings
        activity = activities[entry.date]
        assert entry.minutes_walked == pytest.approx(activity.moving_minutes, abs=0.06)  # kept to 0.1 min
        assert source.distance_km == pytest.approx(activity.distance_km, abs=0.001)
        assert source.climb_m == pytest.approx(activity.climb_m, abs=0.1)
        assert (source.file_name, source.device, source.file_format) == ("week.gpx", "GPXEditor - v4.5", "GPX")
        assert len(source.checksum) == 64
        assert entry.pains_missing and (entry.pain_during, entry.pain_after, entry.pain_next_morning) == (0, 0, None)
        assert source.load_kj > 0
    # the walk from 2017 is outside this plan: said, not added
    assert [walk.outcome for walk in result.walks if walk.label == "walk.fit"] == [OUTSIDE]
    # days with a planned session are matched to it; the rest are unplanned
    planned_days = {walk.date for walk in added if walk.planned_minutes is not None}
    assert planned_days and all("planned" in walk.message for walk in added)


def test_the_load_comes_from_the_recording_not_from_the_minutes(week_of_walks):
    profile = client()
    result = import_recordings(profile, plan(profile), [], week_of_walks, today=TODAY)
    flat_pace = [e for e in result.diary if e.recordings[0].climb_m < 60]
    hilly = [e for e in result.diary if e.recordings[0].climb_m > 200]
    assert flat_pace and hilly
    per_minute = [e.recorded_load_kj / e.minutes_walked for e in flat_pace + hilly]
    assert max(per_minute) / min(per_minute) > 1.05  # different walks, different rates

    adapted = adapt(profile, plan(profile), result.diary, TODAY)
    sessions = adapted.sessions.set_index("date")
    for entry in result.diary:
        assert sessions.loc[entry.date, "load_kj"] == pytest.approx(entry.recorded_load_kj, abs=0.1)
    typed = [DiaryEntry(e.date, e.minutes_walked, 0, 0) for e in result.diary]
    by_minutes = adapt(profile, plan(profile), typed, TODAY).sessions.set_index("date")
    assert any(abs(by_minutes.loc[e.date, "load_kj"] - e.recorded_load_kj) > 50 for e in result.diary)


def test_importing_again_changes_nothing(week_of_walks):
    profile = client()
    first = import_recordings(profile, None, [], week_of_walks, today=TODAY)
    again = import_recordings(profile, None, first.diary, week_of_walks, today=TODAY)
    assert again.diary == first.diary and again.changed == ()
    assert {walk.outcome for walk in again.walks} <= {ALREADY, NOT_A_WALK, OUTSIDE}
    assert sum(walk.outcome == ALREADY for walk in again.walks) == len(first.diary)


def test_a_bad_file_adds_nothing_and_the_good_ones_still_import(shared_data, week_of_walks):
    profile = client()
    typed = DiaryEntry(dt.date(2020, 2, 18), 20, 2, 2, note="typed")
    broken = ("cut.fit", data_file(shared_data, f"{FIT}/activity-unexpected-eof.fit"))
    only_bad = import_recordings(profile, None, [typed], [broken], today=TODAY)
    assert only_bad.diary == (typed,) and only_bad.changed == ()
    (walk,) = only_bad.walks
    assert walk.outcome == REFUSED
    assert_plain(walk.message)
    mixed = import_recordings(profile, None, [typed], [broken, week_of_walks[0]], today=TODAY)
    assert typed in mixed.diary and len(mixed.diary) > 1


def test_a_non_walk_is_left_out_unless_confirmed(shared_data):
    profile = ClientProfile(goal=Goal(weeks=4, start_date=dt.date(2018, 11, 19)))
    run = [("run.tcx", data_file(shared_data, f"{TCX_RUNPANDAS}/run_garmin.tcx"))]
    left_out = import_recordings(profile, None, [], run, today=dt.date(2018, 12, 1))
    assert left_out.diary == () and left_out.walks[0].outcome == NOT_A_WALK
    assert "running" in left_out.walks[0].message
    confirmed = import_recordings(profile, None, [], run, confirm=["run.tcx"], today=dt.date(2018, 12, 1))
    (entry,) = confirmed.diary
    assert entry.date == dt.date(2018, 11, 25) and entry.recordings[0].sport == "Running"


def test_a_hand_typed_entry_keeps_its_pains_and_takes_the_recorded_minutes(week_of_walks):
    profile = client()
    activities = read_recording("week.gpx", week_of_walks[0][1])
    day = activities[0].date
    typed = DiaryEntry(day, 30, 2, 3, 2, note="windy")
    result = import_recordings(profile, None, [typed], week_of_walks[:1], today=TODAY)
    entry = next(e for e in result.diary if e.date == day)
    assert (entry.pain_during, entry.pain_after, entry.pain_next_morning, entry.note) == (2, 3, 2, "windy")
    assert not entry.pains_missing
    assert entry.minutes_walked == pytest.approx(activities[0].moving_minutes, abs=0.06)  # kept to 0.1 min


# --- The diary rules: an imported entry without pains is not a comfortable one --------------------

def recorded(day: dt.date, minutes_walked: float = 30) -> DiaryEntry:
    source = RecordingSource("w.gpx", "ab" * 32, 0, "GPX", "", "walking", "", minutes_walked, 2.0, 10.0, 500.0)
    return DiaryEntry(day, minutes_walked, 0, 0, recordings=(source,), pains_missing=True)


def test_pains_missing_entries_do_not_lower_the_weeks_pain():
    before = [DiaryEntry(WEEK_START + dt.timedelta(days=d), 20, 2, 2) for d in (0, 2)]
    week = WEEK_START + dt.timedelta(days=7)
    now = [DiaryEntry(week, 20, 3, 3)] + [recorded(week + dt.timedelta(days=d)) for d in (1, 2, 3)]
    verdict = judge_week(now, before, 2, False, False)
    # 3/10 against 2/10 the week before, above the usual 2/10: a rise (the placeholders' 0/10 would have hidden it)
    assert verdict.directive == HOLD and any("rose week on week" in reason for reason in verdict.reasons)


def test_a_flare_does_not_settle_on_walks_without_pains():
    entries = [recorded(WEEK_START + dt.timedelta(days=d)) for d in range(5)]
    assert not flare_settled(entries)
    assert flare_settled([DiaryEntry(e.date, 30, 1, 1) for e in entries])


def test_pains_missing_needs_empty_pains():
    from planner.profile import PlannerInputError

    with pytest.raises(PlannerInputError):
        DiaryEntry(WEEK_START, 30, 4, 0, pains_missing=True)


# --- Where it came from: kept with the entry, through JSON --------------------------------------

def test_entries_round_trip_with_their_source_and_old_entries_still_load():
    entry = recorded(WEEK_START)
    data = json.loads(json.dumps(entry.to_dict()))
    assert data["recordings"][0]["checksum"] == "ab" * 32 and data["pains_missing"] is True
    assert DiaryEntry.from_dict(data) == entry
    old = {"date": "2020-02-17", "minutes_walked": 20, "pain_during": 2, "pain_after": 2,
           "pain_next_morning": None, "leg_symptoms": "none", "red_flags": [], "note": ""}
    loaded = DiaryEntry.from_dict(old)
    assert loaded.recordings == () and not loaded.pains_missing and loaded.recorded_load_kj is None
    assert loaded.to_dict() == old  # an entry without a recording writes what it always wrote
    with pytest.raises(Exception) as caught:
        DiaryEntry.from_dict({**data, "recordings": [{"file_name": "x", "checksum": "not hex"}]})
    assert "checksum" in str(caught.value)


# --- The quick FIT reader says what fitdecode says ------------------------------------------------

def test_the_quick_fit_reader_reads_every_real_file_as_fitdecode_does(shared_data):
    import numpy as np

    from planner.recordings import _fit_fitdecode, _fit_quick, _fit_seconds

    folder = shared_data / FIT
    if not folder.is_dir():
        pytest.skip(f"{FIT} absent: ../shared/data (the public test recordings beside the clone) is not here")
    quick_read = 0
    for path in sorted(folder.glob("*.fit")):
        raw = path.read_bytes()
        quick = _fit_quick(raw)
        if quick is None:  # damaged, cut short, compressed or relative times: fitdecode's alone
            continue
        quick_read += 1
        reference = _fit_fitdecode(path.name, raw)
        assert (quick.file_type, quick.device, quick.sports, quick.utc_offset_s) == (
            reference.file_type, reference.device, reference.sports, reference.utc_offset_s), path.name
        keys = ("sport", "sub_sport", "total_elapsed_time", "total_timer_time", "total_distance", "total_ascent")
        assert [[_fit_seconds(s["start_time"])] + [s.get(k) for k in keys] for s in quick.sessions] == \
            [[_fit_seconds(s["start_time"])] + [s.get(k) for k in keys] for s in reference.sessions], path.name
        for column in ("seconds", "lat", "lon", "distance_m", "altitude_m"):
            assert np.allclose(getattr(quick, column), getattr(reference, column), equal_nan=True), (path.name, column)
    assert quick_read >= 15
    for damaged in ("activity-unexpected-eof.fit", "nick.fit", "activity-settings-corruptheader.fit"):
        assert _fit_quick((folder / damaged).read_bytes()) is None


# --- The dashboard: "Add recorded walks" in the diary panel -----------------------------------------

def test_the_import_report_writes_days_in_words_and_file_names_as_they_are(shared_data):
    from planner.ui import build_app

    week = data_file(shared_data, "gpx/ThomasDaheim__GPXEditor/testalgorithms.gpx")
    name = "2019-05-04 week.gpx"  # a file named by a date, as watch exports often are
    app = build_app(client(), today=TODAY)
    panel = app.clients.recordings_panel
    panel.open_button.click()
    panel.upload.value = ({"name": name, "type": "", "size": len(week), "content": memoryview(week),
                           "last_modified": dt.datetime(2020, 3, 1, tzinfo=dt.timezone.utc)},)
    report = panel.report.value
    assert "min moving" in report and name in report
    assert not re.search(r"\d{4}-\d{2}-\d{2}", report.replace(name, ""))  # the page's one date format...
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}", report)  # ...in words


def test_add_recorded_walks_fills_the_diary_saves_them_and_the_plan_adapts(shared_data, tmp_path):
    from planner.store import Store, sqlite_url
    from planner.ui import build_app

    week = data_file(shared_data, "gpx/ThomasDaheim__GPXEditor/testalgorithms.gpx")
    ride = data_file(shared_data, f"{FIT}/garmin-edge-820-bike.fit")
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:
        app = build_app(client(), today=TODAY, store=store)
        app.clients.bar.name.value = "Walker"
        app.clients.bar.save_button.click()
        client_id = app.clients.client_id
        planned_load = app.current_plan.weekly["load_kj"].iloc[0]
        panel = app.clients.recordings_panel
        assert not panel.built  # built when first opened, not at page open (issue 22)
        panel.open_button.click()
        upload = [{"name": name, "type": "", "size": len(data), "content": memoryview(data),
                   "last_modified": dt.datetime(2020, 3, 1, tzinfo=dt.timezone.utc)}
                  for name, data in (("week.gpx", week), ("ride.fit", ride))]
        panel.upload.value = tuple(upload)
        diary = app.clients.diary
        assert len(diary) >= 4 and all(entry.recordings and entry.pains_missing for entry in diary)
        assert store.load_client(client_id).diary == tuple(diary)  # saved, one change per day
        texts = [child.children[1].value for child in app.clients.diary_panel.entries.children]
        assert all("pains not logged" in text and "recorded: week.gpx" in text for text in texts)
        assert "kJ" in panel.report.value and "cycling" in panel.report.value
        assert app.current_plan.weekly["load_kj"].iloc[0] != pytest.approx(planned_load, abs=1)  # it adapted
        # the load chart says which weeks' load comes from the recordings; the table sets planned beside done
        from planner.ui.charts import LOAD, LOAD_BARS

        charts = {chart["name"]: chart for chart in json.loads(app.charts.widget.figure_json)["charts"]}
        hover = charts[LOAD]["figure"]["data"][LOAD_BARS]["customdata"]
        weeks_recorded = sorted({(entry.date - WEEK_START).days // 7 for entry in diary})
        assert [i for i, text in enumerate(hover) if "from recordings" in text] == weeks_recorded
        assert "Planned kJ" in panel.weeks.value
        assert re.findall(r"data-week='(\d+)'", panel.weeks.value) == [str(i + 1) for i in weeks_recorded]
        # the ride is offered to confirm; the same files again change nothing
        boxes = {box.description: box for box in panel.not_walks.children}
        assert "ride.fit" in boxes and "week.gpx #2" in boxes  # day 2 of the week has 0.4 km at over 15 km/h
        from planner.ui.style import is_visible

        assert is_visible(panel.confirm_button)
        boxes["week.gpx #2"].value = True
        panel.confirm_button.click()
        assert len(app.clients.diary) == len(diary) + 1
        diary = app.clients.diary
        version = app.clients.version
        panel.upload.value = tuple(upload)
        assert app.clients.diary == diary and app.clients.version == version
        assert "already in the diary" in panel.report.value
        # pains logged on a recorded day keep the recording and its minutes
        day = diary[0].date
        clients = app.clients
        clients.diary_panel.date.value = day
        assert clients.diary_panel.minutes_walked.value == pytest.approx(diary[0].minutes_walked)
        clients.diary_panel.pain_during.value, clients.diary_panel.pain_after.value = "2", "2"
        clients.diary_panel.log_button.click()
        logged = next(entry for entry in clients.diary if entry.date == day)
        assert logged.recordings == diary[0].recordings and not logged.pains_missing


def test_weekly_sources_say_which_weeks_come_from_recordings():
    from planner.diary_import import FROM_BOTH, FROM_MINUTES, FROM_RECORDINGS, weekly_sources

    profile = client()
    diary = [recorded(WEEK_START), recorded(WEEK_START + dt.timedelta(days=2)),  # week 1: recorded only
             recorded(WEEK_START + dt.timedelta(days=7)), DiaryEntry(WEEK_START + dt.timedelta(days=9), 20, 1, 1),
             DiaryEntry(WEEK_START + dt.timedelta(days=14), 25, 1, 1)]
    adapted = adapt(profile, plan(profile), diary, WEEK_START + dt.timedelta(days=21))
    table = weekly_sources(adapted, diary)
    assert table["source"].tolist()[:4] == [FROM_RECORDINGS, FROM_BOTH, FROM_MINUTES, ""]
    assert table["recorded_walks"].tolist()[:3] == [2, 1, 0] and table["typed_walks"].tolist()[:3] == [0, 1, 1]
    assert table["load_kj"].tolist() == adapted.weekly["load_kj"].tolist()



def _weeks_done_diary() -> list[DiaryEntry]:
    """Week 1: two recorded days, one of them two walks; week 2: one recorded, one typed; week 3:
    one typed; week 4: nothing."""
    two_walks = recorded(WEEK_START + dt.timedelta(days=2))
    second = dataclasses.replace(two_walks.recordings[0], checksum="cd" * 32)
    return [recorded(WEEK_START), dataclasses.replace(two_walks, recordings=(*two_walks.recordings, second)),
            recorded(WEEK_START + dt.timedelta(days=7)), DiaryEntry(WEEK_START + dt.timedelta(days=9), 20, 1, 1),
            DiaryEntry(WEEK_START + dt.timedelta(days=14), 25, 1, 1)]


def test_weekly_sources_say_in_words_which_weeks_come_from_recordings():
    from planner.diary_import import NOTHING_DONE, weekly_sources

    profile = client()
    diary = _weeks_done_diary()
    table = weekly_sources(adapt(profile, plan(profile), diary, WEEK_START + dt.timedelta(days=21)), diary)
    assert table["recorded_walks"].tolist()[:4] == [3, 1, 0, 0]  # a day of two recorded walks counts two
    assert table["done"].tolist()[:4] == ["recorded (3 walks)", "recorded (1 walk), logged by hand (1 walk)",
                                          "logged by hand (1 walk)", NOTHING_DONE]


def test_the_schedule_says_which_weeks_come_from_recordings():
    from planner.diary_import import weekly_sources
    from planner.ui.schedule import schedule_html

    profile = client()
    diary = _weeks_done_diary()
    adapted = adapt(profile, plan(profile), diary, WEEK_START + dt.timedelta(days=21))
    table = weekly_sources(adapted, diary)
    page = schedule_html(adapted, "metric", 4, dict(zip(table["week"], table["done"])))
    headings = re.findall(r"<h3 class='tb-week-heading'>(.*?)</h3>", page)
    assert len(headings) == 4
    assert re.sub("<[^>]+>", "", headings[0]).endswith(" · done: recorded (3 walks)")
    assert "done: recorded (1 walk), logged by hand (1 walk)" in headings[1]
    assert "done: logged by hand (1 walk)" in headings[2]
    assert "done" not in headings[3]  # nothing walked yet: nothing said

# --- The quick XML reader says what ElementTree says -----------------------------------------------

def _read_both(monkeypatch, name: str, raw: bytes):
    """What read_recording gives (activities, or the refusal's message) with the quick XML reader, and
    with ElementTree alone."""
    from planner import recordings

    def read():
        try:
            return read_recording(name, raw)
        except RecordingFileError as error:
            return str(error)

    quick = read()
    with monkeypatch.context() as patch:
        patch.setattr(recordings, "_quick_gpx", lambda raw: None)
        patch.setattr(recordings, "_quick_tcx", lambda raw: None)
        reference = read()
    return quick, reference


def _assert_same_activities(quick, reference, label: str) -> None:
    import numpy as np

    if isinstance(reference, str) or isinstance(quick, str):
        assert quick == reference, label
        return
    assert len(quick) == len(reference), label
    for mine, theirs in zip(quick, reference):
        for name in ("sport", "device", "start", "file_format", "has_positions", "index"):
            assert getattr(mine, name) == getattr(theirs, name), (label, name)
        for name in ("elapsed_minutes", "moving_minutes", "distance_km", "climb_m"):
            assert getattr(mine, name) == pytest.approx(getattr(theirs, name), rel=1e-9, abs=1e-6), (label, name)
        for name in ("seconds", "distance_m", "elevation_m"):
            assert np.allclose(getattr(mine, name), getattr(theirs, name), equal_nan=True, atol=1e-3), (label, name)
        assert (mine.moving == theirs.moving).all(), label


def test_the_quick_xml_reader_reads_every_real_gpx_and_tcx_as_elementtree_does(shared_data, monkeypatch):
    from planner.recordings import _quick_gpx, _quick_tcx

    files = sorted([*(shared_data / "gpx").rglob("*.gpx"), *(shared_data / "activities").rglob("*.tcx")])
    if not files:
        pytest.skip("../shared/data absent: the public test recordings beside the clone are not here")
    quick_read = 0
    for path in files:
        raw = path.read_bytes()
        if (_quick_gpx if path.suffix == ".gpx" else _quick_tcx)(raw) is None:
            continue  # comments, CDATA, prefixes, routes, points written otherwise: ElementTree's alone
        quick_read += 1
        _assert_same_activities(*_read_both(monkeypatch, path.name, raw), path.name)
    assert quick_read >= 40


def _gpx(points: str, extra: str = "") -> bytes:
    return (f'<?xml version="1.0"?><gpx version="1.1" creator="Phone" xmlns="http://www.topografix.com/GPX/1/1">'
            f'{extra}<trk><trkseg>{points}</trkseg></trk></gpx>').encode()


def _gpx_point(minute: int, zone: str = "Z", more: str = "") -> str:
    return (f'<trkpt lon="8.{minute:04d}" lat="47.0">\n  <ele>45{minute % 10}</ele>\n'
            f'  <time>2025-03-03T07:{minute:02d}:00{zone}</time>{more}</trkpt>\n')


@pytest.mark.parametrize("points, extra, quick", [
    ("".join(_gpx_point(m) for m in range(30)), "", True),
    ("".join(_gpx_point(m, "+02:00") for m in range(30)), "", True),  # local times with the offset
    ("".join(_gpx_point(m, "", "<extensions><hr>90</hr></extensions>") for m in range(30)), "", True),
    ("".join(_gpx_point(m) for m in range(30)), "<!-- a comment: ElementTree reads it -->", False),
    ("".join(_gpx_point(m) for m in range(30)).replace("<ele>455</ele>", "<ele>nan</ele>"), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace("<ele>455</ele>", "<ele>1e999</ele>"), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace('lat="47.0"', 'lat=""', 1), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace('lon="8.0002"', 'lat="8.0002"', 1), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace('lon="8.0002"', "lon='8.0002\"", 1), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace("07:05:00", "07:65:00"), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace("</trkpt>", "</trkpt>oops<b>", 1), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace("</trkpt>", "</trkpt>oops", 1), "", True),  # text: ignored
    ("".join(_gpx_point(m) for m in range(30)).replace("</trkpt>", "</trkpt>\x01", 1), "", False),  # not XML
    ("".join(_gpx_point(m) for m in range(30)).replace("</trkpt>", "</trkpt>&", 1), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace("</trkpt>", "</trkpt><trkseg>", 1), "", False),
    ("".join(_gpx_point(m) for m in range(30)).replace("</ele>", "</ele><ele>3</ele>", 1), "", False),
])
def test_the_quick_xml_reader_and_elementtree_agree_on_odd_gpx(monkeypatch, points, extra, quick):
    from planner.recordings import _quick_gpx

    assert (_quick_gpx(_gpx(points, extra)) is not None) == quick  # which reader takes it
    _assert_same_activities(*_read_both(monkeypatch, "odd.gpx", _gpx(points, extra)), points[:80])


def test_plain_points_need_no_xml_check_of_the_whole_file(monkeypatch):
    """Points with nothing but what is read: every byte of their blocks is counted, expat is not run."""
    from planner import recordings

    def no_expat(raw):
        raise AssertionError("expat ran")

    monkeypatch.setattr(recordings, "_well_formed", no_expat)
    assert recordings._quick_gpx(_gpx("".join(_gpx_point(m) for m in range(30)))) is not None
    assert recordings._quick_tcx(_tcx("".join(_tcx_point(m) for m in range(30)))) is not None


def _tcx(track: str) -> bytes:
    return ('<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
            'TrainingCenterDatabase/v2"><Activities><Activity Sport="Other"><Id>2025-03-03T07:00:00Z</Id>'
            f'<Lap StartTime="2025-03-03T07:00:00Z"><Track>{track}</Track></Lap>'
            f'<Lap><Track>{track.replace("T07:", "T08:")}</Track></Lap>'  # a second lap, an hour on
            '</Activity></Activities></TrainingCenterDatabase>').encode()


def _tcx_point(minute: int, more: str = "") -> str:
    return (f"<Trackpoint>\n <Time>2025-03-03T07:{minute:02d}:00Z</Time>\n <Position><LatitudeDegrees>47.0"
            f"</LatitudeDegrees><LongitudeDegrees>8.{minute:04d}</LongitudeDegrees></Position>\n"
            f" <AltitudeMeters>45{minute % 10}</AltitudeMeters>{more}</Trackpoint>\n")


@pytest.mark.parametrize("track, quick", [
    ("".join(_tcx_point(m) for m in range(30)), True),
    ("".join(_tcx_point(m, f"<DistanceMeters>{m * 80}</DistanceMeters><HeartRateBpm><Value>90</Value>"
                          "</HeartRateBpm>") for m in range(30)), True),
    ("".join(_tcx_point(m) for m in range(30)).replace("<AltitudeMeters>453</AltitudeMeters>", ""), True),
    ("".join(_tcx_point(m) for m in range(30)).replace("<Time>2025-03-03T07:04:00Z</Time>", ""), False),
    ("".join(_tcx_point(m) for m in range(30)).replace(">454<", ">4x4<"), False),
    ("".join(_tcx_point(m) for m in range(30)).replace("</Trackpoint>", "</Trackpoint><Junk>", 1), False),
    ("".join(_tcx_point(m) for m in range(30)).replace("</Trackpoint>", "</Trackpoint><Junk/>", 1), True),
    ("".join(_tcx_point(m) for m in range(30)).replace("</Trackpoint>", "</Trackpoint>\x00", 1), False),
    ("".join(_tcx_point(m) for m in range(30)).replace("<Time>", "<Time>x", 1), False),
])
def test_the_quick_xml_reader_and_elementtree_agree_on_odd_tcx(monkeypatch, track, quick):
    from planner.recordings import _quick_tcx

    assert (_quick_tcx(_tcx(track)) is not None) == quick  # which reader takes it
    _assert_same_activities(*_read_both(monkeypatch, "odd.tcx", _tcx(track)), track[:80])


# --- A recording's day is the walker's day ---------------------------------------------------------

def _bench_writers():
    """The benchmark's file writers (a walk a watch or phone would record)."""
    import importlib.util
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_recordings.py"
    if str(bench.parent) not in sys.path:
        sys.path.append(str(bench.parent))  # its _cli module
    spec = importlib.util.spec_from_file_location("bench_recordings", bench)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LATE_EVENING_UTC = dt.datetime(2020, 2, 20, 23, 20, tzinfo=dt.timezone.utc)  # 00:20 on the 21st at UTC+1


def _late_walk(bench) -> dict:
    points = bench.walk_points(0)
    points["unix"] = points["unix"] - points["unix"][0] + LATE_EVENING_UTC.timestamp()
    return points


@pytest.mark.parametrize("zone, day", [("+01:00", 21), ("Z", 20), ("-05:00", 20)])
def test_a_walk_just_after_local_midnight_goes_on_the_walkers_day(zone, day):
    bench = _bench_writers()
    points = _late_walk(bench)
    offset_s = {"+01:00": 3600, "Z": 0, "-05:00": -5 * 3600}[zone]

    def local(unix: float) -> str:
        moment = dt.datetime.fromtimestamp(unix, dt.timezone(dt.timedelta(seconds=offset_s)))
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + zone

    gpx = bench.gpx_file(points).decode()
    tcx = bench.tcx_file(points).decode()
    for unix in points["unix"]:
        gpx = gpx.replace(f"<time>{bench.iso(unix)}</time>", f"<time>{local(unix)}</time>")
        tcx = tcx.replace(f"<Time>{bench.iso(unix)}</Time>", f"<Time>{local(unix)}</Time>")
    files = [("late.gpx", gpx.encode()), ("late.tcx", tcx.encode()),
             ("late.fit", bench.fit_file(points, utc_offset_s=offset_s))]
    for name, data in files:
        (walk,) = read_recording(name, data)
        assert walk.start == LATE_EVENING_UTC, name  # the same moment, whatever the zone written
        assert walk.date == dt.date(2020, 2, day), name
    profile = client()
    result = import_recordings(profile, plan(profile), [], files[:1], today=TODAY)
    assert [entry.date for entry in result.diary] == [dt.date(2020, 2, day)]


def test_a_recording_without_its_offset_goes_on_the_utc_day():
    bench = _bench_writers()
    (walk,) = read_recording("late.fit", bench.fit_file(_late_walk(bench)))  # no activity message
    assert walk.utc_offset_s == 0 and walk.date == dt.date(2020, 2, 20)
