"""Issue 11: plans a physiotherapist would sign — one test per item of "What to build"."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest

from planner import ClientProfile, DiaryEntry, Fitness, Goal, Pain, Terrain, adapt, plan
from planner import evidence
from planner.examples import EXAMPLES
from planner.progression import FLARE, RAMP, STEP_BACK
from planner.safety import LEG_SYMPTOM_LABELS, RED_FLAGS_BY_KEY, TIER_WORDS, Tier
from planner.schedule import phase_cues

MONDAY = dt.date(2026, 1, 5)
ROOT = Path(__file__).resolve().parent.parent


def walker_in_flare(pain_now: float) -> ClientProfile:
    """Issue 11's case: someone who walks 150 min a week (30 min walks) in a flare-up."""
    return ClientProfile(pain=Pain(pain_now=pain_now, in_flare=True),
                         fitness=Fitness(walking_minutes_per_week=150, longest_walk_minutes=30),
                         goal=Goal(start_date=MONDAY))


# --- A continuous ramp out of a flare ----------------------------------------------------------

@pytest.mark.parametrize("pain_now", [7, 9])
def test_out_of_a_flare_bouts_lengthen_and_merge_without_a_jump_or_a_cliff(pain_now):
    weekly = plan(walker_in_flare(pain_now)).weekly
    assert weekly["phase"].iloc[0] == FLARE and weekly["phase"].iloc[1] == RAMP
    bouts, minutes = weekly["longest_bout_minutes"].tolist(), weekly["total_minutes"].tolist()
    # issue 11: week 2 used to jump to 30 min continuous; now bouts grow by the cap (one minute at least)
    assert bouts[0] == (5 if pain_now >= 8 else 8)  # issue 19: pain 8+ keeps S2's first bout all week
    for before, after in zip(bouts[:6], bouts[1:6]):
        assert before <= after <= max(before + 1, math.ceil(before * 1.1))
    for before, after in zip(minutes, minutes[1:]):
        assert after >= before  # no volume cliff, and no week above the flare's ... (issue 19: 2)
        assert after <= before * 1.1 + 1e-9  # ... cap
    sessions = plan(walker_in_flare(pain_now)).walking_sessions
    ramp_days = sessions[sessions["phase"] == RAMP]
    assert (ramp_days["bouts"] >= 1).all() and ramp_days["bouts"].max() >= 2  # bouts merge over the weeks


def test_flare_weeks_are_at_the_starting_dose_and_their_high_ratio_says_why():
    result = plan(EXAMPLES["flare-up"])
    week1 = result.weekly.iloc[0]
    assert week1["at_starting_dose"] and week1["acwr_above_ceiling"]
    assert "micro-walk protocol" in week1["acwr_reason"]
    assert any(note.startswith("Week 1: the acute:chronic ratio is 4.00") for note in result.notes)
    # never silently above the ceiling
    above = result.weekly[result.weekly["acwr_above_ceiling"]]
    assert (above["acwr_reason"] != "").all()


def test_ramp_weeks_say_they_start_only_once_the_flare_has_settled():
    result = plan(walker_in_flare(9))
    cues = phase_cues(result)
    assert any("Only once the flare has settled" in text for text, _ in cues[RAMP])
    assert any("only once the flare has settled" in note for note in result.notes)


def test_a_hold_during_the_flare_repeats_micro_walks_and_a_settled_week_starts_the_ramp():
    profile = walker_in_flare(7)
    original = plan(profile)
    week1 = original.walking_sessions.query("week == 1")
    unsettled = [DiaryEntry(d, m, 4, 8, 8) for d, m in zip(week1["date"], week1["total_minutes"])]
    assert adapt(profile, original, unsettled, MONDAY + dt.timedelta(days=7)).weekly["phase"].iloc[1] == FLARE
    settled = [DiaryEntry(d, m, 4, 5, 6) for d, m in zip(week1["date"], week1["total_minutes"])]
    assert adapt(profile, original, settled, MONDAY + dt.timedelta(days=7)).weekly["phase"].iloc[1] == RAMP


def test_a_flare_ends_early_when_the_diary_says_pain_has_settled():
    profile = walker_in_flare(7)
    original = plan(profile)
    days = [MONDAY + dt.timedelta(days=offset) for offset in range(3)]
    settled = [DiaryEntry(day, 15, 3, 3, 3) for day in days]  # within S11's limits three days running
    adapted = adapt(profile, original, settled, MONDAY + dt.timedelta(days=3))
    week1 = adapted.sessions.query("week == 1")
    assert adapted.weekly["phase"].iloc[0] == RAMP
    assert "flare-up ends early" in adapted.weekly["difficulty_change"].iloc[0]
    assert week1["status"].tolist()[:3] == ["done"] * 3
    rest_of_week = week1.iloc[3:].query("kind != 'rest'")
    assert not rest_of_week.empty and (rest_of_week["kind"] == "walk").all() and rest_of_week["bout_minutes"].max() <= 9  # the cap
    not_settled = [DiaryEntry(day, 15, 6, 7, 7) for day in days]
    assert adapt(profile, original, not_settled, MONDAY + dt.timedelta(days=3)).weekly["phase"].iloc[0] == FLARE
    too_early = settled[:2]  # two good days are not yet "settled" (DEFAULT_FLARE_SETTLED_DAYS = 3)
    assert adapt(profile, original, too_early, MONDAY + dt.timedelta(days=2)).weekly["phase"].iloc[0] == FLARE


# --- Difficulty as its own dimension -----------------------------------------------------------

def test_hiker_terrain_steps_one_dimension_at_a_time_and_the_table_says_which():
    result = plan(replace(EXAMPLES["hiker with a pack on hills"],
                          goal=replace(EXAMPLES["hiker with a pack on hills"].goal, weeks=24)))
    hikes = result.walking_sessions.query("kind == 'hike'")
    per_week = hikes.groupby("week").agg(surface=("surface", "first"), grade=("grade_percent", "max"),
                                         pack=("pack_kg", "max"), minutes=("total_minutes", "max"),
                                         load=("load_kj", "max"))
    first = per_week.iloc[0]
    assert (first["surface"], first["grade"], first["pack"]) == ("dirt road / flat dirt trail", 5.0, 0.0)
    changes = result.weekly.set_index("week")["difficulty_change"]
    steps = 0
    for (week_a, a), (week_b, b) in zip(per_week.iterrows(), list(per_week.iterrows())[1:]):
        changed = [key for key in ("surface", "grade", "pack") if a[key] != b[key]]
        assert len(changed) <= 1
        if changed:
            steps += 1
            assert changes[week_b].startswith(changed[0])  # the weekly table names the dimension
            assert b["minutes"] <= a["minutes"]  # minutes do not grow in a step week
            assert b["load"] <= a["load"] * 1.10 + 0.1  # a step raises a session's load by <= the cap
    assert steps >= 4 and per_week.iloc[-1]["grade"] == 10 and per_week.iloc[-1]["pack"] == 4


def test_first_hikes_are_mild_whatever_the_goal_terrain():
    rough = ClientProfile(fitness=Fitness(walking_minutes_per_week=150, longest_walk_minutes=40),
                          terrain=Terrain(surface="rough_trail", grade_percent=20, pack_mass_kg=4.5),
                          goal=Goal(kind="hiking", target_session_minutes=60, weeks=6, start_date=MONDAY))
    hikes = plan(rough).walking_sessions.query("kind == 'hike'")
    first_week = hikes[hikes["week"] == hikes["week"].min()]
    assert (first_week["surface"] == "dirt road / flat dirt trail").all()
    assert (first_week["grade_percent"] <= 5).all() and (first_week["pack_kg"] == 0).all()


# --- Hill model: steeper never lighter without the pace saying so --------------------------------

def test_a_steeper_hill_that_costs_less_per_minute_is_explained_by_pace():
    # 6 % -> 8.5 %... at Tobler's pace the per-minute LCDA load of this walker dips just above 5 %.
    profile = ClientProfile(fitness=Fitness(walking_minutes_per_week=150, longest_walk_minutes=30),
                            terrain=Terrain(surface="dirt_road", grade_percent=12),
                            goal=Goal(weeks=30, start_date=MONDAY))
    result = plan(profile)
    walks = result.walking_sessions
    per_minute = (walks["load_kj"] / walks["total_minutes"]).groupby(walks["week"]).max()
    grade = walks.groupby("week")["grade_percent"].max()
    changes = result.weekly.set_index("week")["difficulty_change"]
    for week in grade.index[1:]:
        if grade[week] > grade[week - 1] and per_minute[week] < per_minute[week - 1] - 1e-9:
            assert "pace on the steeper grade is slower" in changes[week]


# --- Cues from the sources ----------------------------------------------------------------------

def test_low_back_walks_get_form_talk_test_shoes_and_water_cues_with_sources():
    cues = plan(EXAMPLES["deconditioned walker"]).walking_sessions["cues"]
    assert cues.str.contains(r"upright, head up and eyes ahead.*arms swinging gently.*rather than overstriding"
                             r" \(S1, S2, S3, S5\)").all()
    assert cues.str.contains(r"one you can talk at.*\(S3, S5\)").all()
    assert cues.str.contains(r"shoes with tread.*drink a glass of water.*\(S1, S2, S3\)").all()
    assert cues.str.contains("check posture, footwear, pack weight and intensity before quitting").all()


def test_step_back_slows_the_pace_first_and_says_so():
    profile = EXAMPLES["deconditioned walker"]
    original = plan(profile)
    week1 = original.walking_sessions.query("week == 1")
    diary = [DiaryEntry(d, m, 7, 7, 7) for d, m in zip(week1["date"], week1["total_minutes"])]
    adapted = adapt(profile, original, diary, MONDAY + dt.timedelta(days=7))
    assert adapted.weekly["adjustment"].iloc[1] == STEP_BACK
    week2 = adapted.walking_sessions.query("week == 2")
    assert (week2["speed_kmh"] < profile.fitness.speed_kmh * 0.95).all()  # S1 lists a slower pace first
    assert "slower pace" in adapted.weekly["difficulty_change"].iloc[1]
    assert week2["session_cues"].str.contains("Step-back week: a slower pace first").all()
    assert "check posture, footwear, pack weight and intensity (S1)" in adapted.weekly["reason"].iloc[1]


def test_phase_cues_hold_what_every_session_of_a_phase_shares_and_rows_keep_the_rest():
    result = plan(EXAMPLES["hiker with a pack on hills"])
    cues = phase_cues(result)
    assert list(cues) == list(dict.fromkeys(result.weekly["phase"]))
    for phase, phase_list in cues.items():
        assert all(isinstance(text, str) and re.match(r"^S\d", source) for text, source in phase_list)
        rows = result.walking_sessions[result.walking_sessions["phase"] == phase]
        for text, _ in phase_list:
            assert rows["cues"].str.contains(text, regex=False).all()
            assert not rows["session_cues"].str.contains(text, regex=False).any()
    hikes = result.walking_sessions.query("kind == 'hike'")
    assert hikes["session_cues"].str.contains("Uphill: short, steady stride").all()


# --- Leg symptoms escalate; one vocabulary --------------------------------------------------------

LEG_PROFILE = ClientProfile(fitness=Fitness(walking_minutes_per_week=60, longest_walk_minutes=20),
                            goal=Goal(start_date=MONDAY, weeks=8))


def test_spreading_leg_pain_in_the_diary_gives_a_review_notice_naming_it():
    adapted = adapt(LEG_PROFILE, plan(LEG_PROFILE), [DiaryEntry(MONDAY, 10, 3, 3, 3, "peripheralising")],
                    MONDAY + dt.timedelta(days=8))
    assert not adapted.stopped
    notice = next(note for note in adapted.notes if "peripheralising" in note)
    assert "[review soon]" in notice and "Review soon: see a clinician soon" in notice


@pytest.mark.parametrize("second", [
    DiaryEntry(MONDAY + dt.timedelta(days=13), 10, 3, 3, 3, "peripheralising"),  # again within 14 days
])
def test_spreading_leg_pain_twice_in_14_days_stops_and_says_see_a_doctor_today(second):
    first = DiaryEntry(MONDAY, 10, 3, 3, 3, "peripheralising")
    adapted = adapt(LEG_PROFILE, plan(LEG_PROFILE), [first, second], MONDAY + dt.timedelta(days=14))
    assert adapted.stopped and adapted.safety.tier == Tier.URGENT
    stop_note = next(note for note in adapted.notes if note.startswith(f"Stopped on {second.date.isoformat()}"))
    assert "again within 14 days" in stop_note and "See a doctor today" in stop_note
    later = adapted.sessions[adapted.sessions["date"] > second.date]
    assert (later["kind"] == "rest").all()


def test_spreading_leg_pain_three_weeks_apart_is_two_review_notices_not_a_stop():
    diary = [DiaryEntry(MONDAY, 10, 3, 3, 3, "peripheralising"),
             DiaryEntry(MONDAY + dt.timedelta(days=21), 10, 3, 3, 3, "peripheralising")]
    adapted = adapt(LEG_PROFILE, plan(LEG_PROFILE), diary, MONDAY + dt.timedelta(days=22))
    assert not adapted.stopped
    assert sum("[review soon]" in note for note in adapted.notes) == 2


def test_spreading_leg_pain_with_new_numbness_stops():
    entry = DiaryEntry(MONDAY + dt.timedelta(days=1), 10, 3, 3, 3, "peripheralising",
                       red_flags=frozenset({"new_numbness_tingling"}))
    adapted = adapt(LEG_PROFILE, plan(LEG_PROFILE), [entry], MONDAY + dt.timedelta(days=2))
    assert adapted.stopped


def test_one_vocabulary_for_the_safety_tab_the_pain_tab_and_the_diary():
    assert TIER_WORDS[RED_FLAGS_BY_KEY["shooting_leg_pain"].tier] == "see a doctor today"  # S3
    assert LEG_SYMPTOM_LABELS["peripheralising"].endswith(f"[{TIER_WORDS[Tier.REVIEW]}]")  # S2
    assert "further down the leg" in LEG_SYMPTOM_LABELS["peripheralising"]  # S2's own words
    result = plan(replace(LEG_PROFILE, pain=Pain(leg_symptoms="peripheralising")))
    assert result.safety.tier == Tier.REVIEW and not result.stopped
    assert any(note.startswith("Review soon") and "peripheralising" in note for note in result.notes)


def test_old_profile_files_with_the_not_used_to_exercise_flag_still_load():
    data = ClientProfile().to_dict()
    data["pain"]["red_flags"] = ["not_used_to_exercise", "severe_or_worsening"]
    data["fitness"].pop("new_to_exercise")
    profile = ClientProfile.from_dict(data)
    assert profile.fitness.new_to_exercise and profile.pain.red_flags == frozenset({"severe_or_worsening"})
    assert ClientProfile.from_dict(profile.to_dict()) == profile
    entry = DiaryEntry.from_dict({"date": "2026-01-05", "minutes_walked": 10, "pain_during": 2, "pain_after": 2,
                                  "red_flags": ["not_used_to_exercise"]})
    assert entry.red_flags == frozenset()


# --- Shortfall ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", [
    ClientProfile(fitness=Fitness(walking_minutes_per_week=0, longest_walk_minutes=10),
                  goal=Goal(start_date=MONDAY)),
    EXAMPLES["spinal stenosis"],
    EXAMPLES["flare-up"],
])
def test_a_plan_ending_short_says_where_it_ends_and_how_many_weeks_would_reach_the_goal(profile):
    result = plan(profile)
    note = next(note for note in result.notes if note.startswith("This plan ends"))
    extra = int(re.search(r"about (\d+) more weeks?", note).group(1))
    last = result.walking_sessions[result.walking_sessions["week"] == profile.goal.weeks]
    assert f"at {last['total_minutes'].max()}-minute walks" in note or "flare-up" in note
    # the claim holds: that many more weeks reach the goal, one fewer does not
    longer = plan(replace(profile, goal=replace(profile.goal, weeks=profile.goal.weeks + extra)))
    assert not any(note.startswith("This plan ends") for note in longer.notes)
    if extra > 1:
        shorter = plan(replace(profile, goal=replace(profile.goal, weeks=profile.goal.weeks + extra - 1)))
        assert any(note.startswith("This plan ends") for note in shorter.notes)


def test_a_plan_reaching_its_goal_has_no_shortfall_note():
    profile = ClientProfile(fitness=Fitness(walking_minutes_per_week=150, longest_walk_minutes=30),
                            goal=Goal(start_date=MONDAY, weeks=4))
    assert not any(note.startswith("This plan ends") for note in plan(profile).notes)


# --- Diary ---------------------------------------------------------------------------------------------

def test_flare_week_under_way_counts_logged_days_once():
    # issue 11's repro: in_flare, start 2026-01-05, entry 2026-01-06 of 20 min, today 2026-01-08
    profile = ClientProfile(pain=Pain(pain_now=6, in_flare=True), goal=Goal(start_date=MONDAY))
    adapted = adapt(profile, plan(profile), [DiaryEntry(dt.date(2026, 1, 6), 20, 3, 3)], dt.date(2026, 1, 8))
    week1 = adapted.sessions.query("week == 1")
    assert adapted.weekly["total_minutes"].iloc[0] == week1["total_minutes"].sum()
    assert adapted.weekly["load_kj"].iloc[0] == pytest.approx(week1["load_kj"].sum(), abs=0.5)
    # Micro-walks go on the five planned walking days (Mon, Tue, Wed, Fri, Sat): Thursday rests (issue 19).
    assert week1["status"].tolist()[:5] == ["not logged", "done", "not logged", "rest", "planned"]
    assert week1["date"].tolist().count(dt.date(2026, 1, 6)) == 1


# --- Evidence in the repo ----------------------------------------------------------------------------

EVIDENCE = (ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")


def test_every_source_tag_used_in_the_code_is_in_docs_evidence():
    tags = set()
    for path in (ROOT / "planner").rglob("*.py"):
        tags |= set(re.findall(r"\bS(1[0-7]|[1-9])\b", path.read_text(encoding="utf-8")))
    assert tags == {str(n) for n in range(1, 18)}
    for tag in tags:
        assert re.search(rf"^\| S{tag} \| .+ \| (\d{{4}}|n\.d\.).* \| .+ \| .+ \|$", EVIDENCE, re.M), tag


def test_every_constant_of_evidence_py_is_listed_with_its_source():
    names = [name for name in vars(evidence) if name.isupper()]
    assert len(names) > 50
    for name in names:
        row = re.search(rf"^\| `{name}` \| (.+) \| (.*) \|$", EVIDENCE, re.M)
        assert row, name
        assert row.group(2).strip() or name == "SURFACE_LABELS", name
        if name.startswith("DEFAULT_"):
            assert "DEFAULT" in row.group(2), name


def test_readme_links_the_evidence_and_not_the_coordinators_notes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/evidence.md" in readme
    assert "shared/" not in readme and "domain.md" not in readme
    assert math.isfinite(len(readme))
