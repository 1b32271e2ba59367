"""The PDF handout, read back with pypdf: what a client needs is on the page, in the page limits,
with its fonts embedded; page 1 is rendered to a PNG (tests/artifacts/) for a person to look at."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from planner import ClientProfile, Goal, Pain, PlannerInputError, plan
from planner import handout as handout_module
from planner.examples import EXAMPLES
from planner.handout import EVERY_WALK, cue_blocks, handout_pdf, phase_cues, terrain_steps
from planner.profile import MAX_NAME_CHARACTERS
from planner.safety import RED_FLAGS
from planner import evidence
from planner.progression import RAMP
from planner.schedule import (BOOTS_CUE, FLARE_PAIN_RULE, PAIN_RULE, STEP_BACK_CUE, UPHILL_CUE, WARM_UP,
                              session_cues)
from planner.schedule import phase_cues as schedule_phase_cues
from planner.units import MASS
from planner.sources import SOURCES
from tests.conftest import profiles

ARTIFACTS = Path(__file__).parent / "artifacts"
WALKING_EXAMPLES = [name for name in EXAMPLES if name != "red flag"]
CJK_FONT = handout_module.FALLBACK_FONT_FILES[0]


def _with(profile: ClientProfile, name: str | None = None, **goal_changes) -> ClientProfile:
    profile = dataclasses.replace(profile, goal=dataclasses.replace(profile.goal, **goal_changes))
    return profile if name is None else dataclasses.replace(profile, name=name)


def _reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed (table cells wrap at any space)."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in _reader(pdf).pages))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _dates(first: dt.date) -> str:
    last = first + dt.timedelta(days=6)
    return f"{first.day} {first:%b} – {last.day} {last:%b}"


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use -> whether its font program is embedded."""
    found: dict[str, bool] = {}
    for page in _reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                child.get_object().get("/FontDescriptor") for child in font.get("/DescendantFonts", [])]
            embedded = any(d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                           for d in descriptors)
            found[str(font["/BaseFont"])] = embedded
    return found


@pytest.mark.parametrize("name", WALKING_EXAMPLES)
def test_every_week_has_its_dates_and_minutes(name):
    result = plan(EXAMPLES[name])
    text = _text(handout_pdf(result))
    starts = []
    for row in result.weekly.itertuples():
        marker = f"{row.week} {_dates(row.start_date)}"
        assert marker in text, marker
        starts.append(text.index(marker))
    for row, start, end in zip(result.weekly.itertuples(), starts, starts[1:] + [len(text)]):
        # The week's minutes stand alone in its row (a session's minutes read "N min").
        assert re.search(rf"(?<![\d.]){row.total_minutes}(?!\d)(?! min)", text[start + 2:end]), row.week


@pytest.mark.parametrize("name", WALKING_EXAMPLES)
def test_name_summary_notice_red_flags_units_and_sources(name):
    from planner.summary import plan_summary

    result = plan(EXAMPLES[name])
    text = _text(handout_pdf(result))
    assert f"Walking plan for {EXAMPLES[name].name}" in text
    assert f"Starts Monday {EXAMPLES[name].goal.start_date.day} January 2026" in text
    assert _collapse(plan_summary(result).text) in text
    assert _collapse(result.education_notice) in text
    assert "Units: metric (kg, km/h)" in text
    for flag in RED_FLAGS:
        assert _collapse(flag.label) in text, flag.key
    for heading in ("Green: carry on and build", "Amber: hold", "Red: stop and call"):
        assert heading in text
    cited = set(re.findall(r"\b(S\d{1,2}|NICE)\b", text))
    cited |= {tag.strip() for tags in result.walking_sessions["sources"] for tag in tags.split(",")}
    assert {"S1", "S2", "S11", "NICE"} <= cited
    for tag in cited:
        assert f"{tag} {_collapse(SOURCES[tag])}" in text, tag


@pytest.mark.parametrize("name", WALKING_EXAMPLES)
@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_page_limits_and_page_size(name, page_size):
    twelve = _reader(handout_pdf(plan(_with(EXAMPLES[name], weeks=12)), page_size=page_size))
    year = _reader(handout_pdf(plan(_with(EXAMPLES[name], weeks=52)), units="imperial", page_size=page_size))
    assert 1 <= len(twelve.pages) <= 3
    assert 1 <= len(year.pages) <= 6
    width_pt = float(twelve.pages[0].mediabox.width)
    assert width_pt == pytest.approx(595.28 if page_size == "A4" else 612.0, abs=0.5)


def test_fonts_are_embedded():
    fonts = _fonts(handout_pdf(plan(EXAMPLES["hiker with a pack on hills"])))
    assert fonts and all(fonts.values()), fonts
    assert any("DejaVuSans" in name for name in fonts)


@pytest.mark.skipif(not CJK_FONT.exists() and not os.environ.get("CI"),
                    reason="Debian's fonts-droid-fallback is not installed (.ci/run installs it)")
def test_non_latin_names_render_with_an_embedded_font():
    name = "李雷 Zoë Ångström"
    pdf = handout_pdf(plan(_with(EXAMPLES["deconditioned walker"], name=name)))
    text = _text(pdf)
    assert f"Walking plan for {name}" in text
    assert "cannot be shown" not in text
    fonts = _fonts(pdf)
    assert any("DroidSansFallback" in font for font in fonts) and all(fonts.values()), fonts


def test_without_the_cjk_font_the_handout_still_works_and_says_why(monkeypatch):
    monkeypatch.setattr(handout_module, "FALLBACK_FONT_FILES", (Path("/nonexistent/font.ttf"),))
    text = _text(handout_pdf(plan(_with(EXAMPLES["deconditioned walker"], name="李雷 Zoë Ångström"))))
    assert "Walking plan for ?? Zoë Ångström" in text
    assert "install Debian's fonts-droid-fallback" in text


def test_latin_names_need_no_fallback_font(monkeypatch):
    monkeypatch.setattr(handout_module, "FALLBACK_FONT_FILES", ())
    pdf = handout_pdf(plan(_with(EXAMPLES["deconditioned walker"], name="Zoë Ångström-Łukasiewicz")))
    assert "Walking plan for Zoë Ångström-Łukasiewicz" in _text(pdf)
    assert not any("Droid" in font for font in _fonts(pdf))


def test_invisible_characters_in_a_name_are_dropped_and_long_names_wrap():
    # The profile refuses control characters; a zero-width space is allowed there and dropped here.
    name = ("Ann Lee\u200b " + "Maximilian " * 30)[:MAX_NAME_CHARACTERS].strip()
    pdf = handout_pdf(plan(_with(EXAMPLES["flare-up"], name=name)))
    text = _text(pdf)
    assert "Walking plan for Ann Lee Maximilian Maximilian" in text
    assert "cannot be shown" not in text and "?" not in text.split("Starts")[0]
    assert len(_reader(pdf).pages) <= 3


def test_red_flag_plan_says_see_a_clinician_and_lists_no_sessions():
    result = plan(EXAMPLES["red flag"])
    pdf = handout_pdf(result)
    text = _text(pdf)
    assert "No walking plan: see a clinician first" in text
    assert _collapse(result.safety.message) in text
    assert "Because you answered: New loss of bladder or bowel control" in text
    for absent in ("Week by week", "Walking minutes each week", "Around each walk", "Walk ", "Hike "):
        assert absent not in text
    for flag in RED_FLAGS:
        assert _collapse(flag.label) in text
    assert _collapse(result.education_notice) in text
    assert len(_reader(pdf).pages) == 1


def test_review_flag_shows_its_notice_above_the_plan():
    profile = dataclasses.replace(EXAMPLES["deconditioned walker"],
                                  pain=Pain(pain_now=3, red_flags=frozenset({"severe_or_worsening"})))
    result = plan(profile)
    text = " ".join(_text(handout_pdf(result)).split())
    label = next(flag.label for flag in result.safety.triggered)
    assert result.safety.message in text and f"Because you answered: {label} [review soon]." in text
    assert text.index(result.safety.message) < text.index("Week by week")


def test_imperial_units_reach_the_table_cues_and_pace():
    result = plan(EXAMPLES["hiker with a pack on hills"])
    text = _text(handout_pdf(result, units="imperial"))
    assert "Units: imperial (lb, mph)" in text
    # The heaviest pack the plan uses, and S1's limit in the pack cue, both in pounds; the pack cue
    # is labelled with the first week a hike carries a pack.
    heaviest_kg = max(s.pack_kg for week in result.weeks for s in week.sessions)
    first_pack_week = min(week.index + 1 for week in result.weeks for s in week.sessions if s.pack_kg > 0)
    assert f"pack {MASS.to_display(heaviest_kg, 'imperial'):g} lb" in text
    label = "On hikes" if first_pack_week == 1 else f"On hikes from week {first_pack_week}"
    assert f"{label}: pack at most {MASS.to_display(evidence.PACK_MAX_KG, 'imperial'):g} lb" in text
    assert "Your usual pace: 3.1 mph" in text
    assert not re.search(r"\d kg\b", text)


def test_each_phases_cues_appear_once_with_their_sources():
    # Someone who walked 150 min a week before the flare: micro-walks in bouts, then a ramp (issue 19).
    example = EXAMPLES["flare-up"]
    result = plan(dataclasses.replace(example, fitness=dataclasses.replace(example.fitness, walking_minutes_per_week=150),
                                      goal=dataclasses.replace(example.goal, weeks=30)))
    text = _text(handout_pdf(result))
    cues = phase_cues(result)
    phases = list(dict.fromkeys(week.phase for week in result.weeks if week.sessions))
    assert list(cues) == phases and RAMP in phases  # plan order: flare-up, its ramp, then walks
    assert list(cues) == list(schedule_phase_cues(result))  # the engine's phases, the engine's cues
    for phase, phase_list in cues.items():
        assert set(schedule_phase_cues(result)[phase]) <= set(phase_list)
        sessions = [(week.phase, s) for week in result.weeks for s in week.sessions if week.phase == phase]
        for cue in phase_list:
            if not cue[0].startswith("On "):
                assert all(cue in session_cues(result.profile, s, p) for p, s in sessions)
    # Printed once per phase at most: the cues all phases share once ("Every week of the plan"),
    # then each phase's own under its name; every cue of a phase is in exactly one of those two.
    blocks = dict(cue_blocks(result))
    shared = blocks.pop(EVERY_WALK)
    assert WARM_UP in shared and len(blocks) == len(cues)
    for (phase, phase_list), (title, own) in zip(cues.items(), blocks.items()):
        assert title.startswith(phase[:1].upper() + phase[1:])
        assert sorted(phase_list) == sorted(shared + own) and not set(shared) & set(own)
    # The flare-up's pain rule is S1's (the flare-up and its ramp), base walking's is S11's.
    assert FLARE_PAIN_RULE in cues["flare-up"] and FLARE_PAIN_RULE in cues[RAMP] and PAIN_RULE in cues[phases[2]]
    for cue_text in (FLARE_PAIN_RULE[0], PAIN_RULE[0], WARM_UP[0]):
        assert text.count(cue_text[:40]) == sum(any(c[0] == cue_text for c in block)
                                                for block in [shared, *blocks.values()]), cue_text
    assert text.count(WARM_UP[0][:40]) == 1


def test_hike_only_cues_are_kept_for_the_hikes():
    result = plan(EXAMPLES["hiker with a pack on hills"])
    text = _text(handout_pdf(result))
    hike_phases = [phase for phase, phase_list in phase_cues(result).items()
                   if any(s.kind == "hike" for week in result.weeks if week.phase == phase for s in week.sessions)]
    assert hike_phases
    for cue in (BOOTS_CUE, UPHILL_CUE):  # every hike of this plan is on a hill, in boots
        line = f"On hikes: {cue[0][:1].lower()}{cue[0][1:]}"  # the client's text carries no source tags
        blocks = [cues for _, cues in cue_blocks(result)]
        assert text.count(line) == sum(f"On hikes: {cue[0][:1].lower()}{cue[0][1:]}" in [c[0] for c in block]
                                       for block in blocks) >= 1, line


def test_an_adapted_plan_shows_missed_and_not_logged_walks_and_the_step_back():
    from planner import DiaryEntry, adapt

    profile = EXAMPLES["deconditioned walker"]
    original = plan(profile)
    week_one = original.walking_sessions.query("week == 1")
    week_two = original.walking_sessions.query("week == 2")
    diary = [DiaryEntry(day, minutes, 6, 6, 6) for day, minutes in zip(week_one["date"], week_one["total_minutes"])]
    # Week 2: the first walk logged as not walked (missed); the others have no entry (not logged).
    missed_day = week_two["date"].iloc[0]
    diary.append(DiaryEntry(missed_day, 0, 6, 6, 6))
    adapted = adapt(profile, original, diary, today=profile.goal.start_date + dt.timedelta(days=14))
    text = _text(handout_pdf(adapted))
    rows = adapted.walking_sessions.query("week == 2")
    assert list(rows["status"]) == ["missed"] + ["not logged"] * (len(rows) - 1)
    assert "step back" in set(adapted.weekly["adjustment"])
    missed, unlogged = rows.iloc[0], rows.iloc[1:]
    assert (unlogged["total_minutes"] == unlogged["planned_minutes"]).all()  # counted as walked as planned
    assert set(unlogged["total_minutes"]) == {missed["planned_minutes"]}  # one line for the week's walks
    not_logged_days = ", ".join(day[:3] for day in unlogged["weekday"])
    # Week 2 is the step back asked for (issue 19: not the original plan's minutes), in bouts when split.
    bouts = f" in {unlogged['bouts'].iloc[0]} bouts" if unlogged["bouts"].iloc[0] > 1 else ""
    assert (f"Walk {missed['planned_minutes']} min{bouts}: {missed['weekday'][:3]} (missed); "
            f"{not_logged_days} (not logged)") in text
    assert unlogged["total_minutes"].sum() < original.walking_sessions.query("week == 2")["total_minutes"].sum()
    assert "Walk 0 min" not in text
    assert "(not logged)\u201d: a past day with no diary entry, not a missed walk" in text
    meaning = handout_module.ADJUSTMENT_MEANINGS["step back"]  # what a step-back week is, in plain words
    assert "[step back]" in text and (f"[step back]: {_collapse(meaning)} "
                                      f"{_collapse(STEP_BACK_CUE[0].split(': ', 1)[1])}") in text


def test_the_handout_depends_on_the_plan_only():
    result = plan(EXAMPLES["spinal stenosis"])
    assert handout_pdf(result) == handout_pdf(plan(EXAMPLES["spinal stenosis"]))


def test_bad_arguments_name_the_parameter():
    result = plan(EXAMPLES["spinal stenosis"])
    with pytest.raises(PlannerInputError, match="units"):
        handout_pdf(result, units="furlongs")
    with pytest.raises(PlannerInputError, match="page_size"):
        handout_pdf(result, page_size="A5")
    with pytest.raises(PlannerInputError, match="plan"):
        handout_pdf(EXAMPLES["spinal stenosis"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles)
def test_any_profile_gives_a_handout_within_the_page_limit(profile):
    result = plan(profile)
    reader = _reader(handout_pdf(result, units="imperial"))
    assert 1 <= len(reader.pages) <= (3 if len(result.weeks) <= 12 else 6)
    assert "education, not diagnosis" in reader.pages[-1].extract_text()


@pytest.mark.skipif(shutil.which("pdftoppm") is None and not os.environ.get("CI"),
                    reason="pdftoppm (Debian poppler-utils) is not installed; .ci/run installs it")
@pytest.mark.parametrize("name, units, page_size", [
    ("hiker with a pack on hills", "metric", "A4"), ("flare-up", "imperial", "Letter"),
    ("spinal stenosis", "metric", "A4"), ("red flag", "metric", "A4")])
def test_pages_one_and_two_render_to_png(name, units, page_size):
    ARTIFACTS.mkdir(exist_ok=True)
    profile = EXAMPLES[name] if name == "red flag" else _with(EXAMPLES[name], name="Zoë Ångström 李雷", weeks=12)
    stem = ARTIFACTS / f"handout-{name.replace(' ', '-')}-{page_size}"
    pdf_path = stem.with_suffix(".pdf")
    pdf = handout_pdf(plan(profile), units=units, page_size=page_size)
    pdf_path.write_bytes(pdf)
    pages = min(2, len(_reader(pdf).pages))
    for old in ARTIFACTS.glob(f"{stem.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", str(pages), str(pdf_path), str(stem)],
                   check=True, timeout=60)
    pngs = sorted(ARTIFACTS.glob(f"{stem.name}-*.png"))
    assert len(pngs) == pages
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000  # a page with text (and on page 1 a chart), not a blank one


@pytest.mark.parametrize("units", ["metric", "imperial"])
def test_terrain_steps_are_the_engines_one_at_a_time_and_readable(units):
    result = plan(EXAMPLES["hiker with a pack on hills"])
    text = _text(handout_pdf(result, units=units))
    steps = terrain_steps(result, units)
    # The weeks the engine says a terrain dimension changed (grade, pack or surface), and only those.
    engine = {row.week: row.difficulty_change.split(":")[0] for row in result.weekly.itertuples()
              if re.match(r"(grade|pack|surface) ", row.difficulty_change)}
    assert steps and set(steps) == set(engine)
    for week, change in engine.items():
        line = _collapse(steps[week])
        assert line.startswith("Step up") and line.count("→") == 1, line  # one dimension at a time
        if units == "metric":
            assert line.endswith(change), (line, change)
        assert line in text
    if units == "imperial":
        assert "kg" not in " ".join(steps.values())


def test_a_long_plan_prints_its_clinician_check_ins():
    # Issue 19 (11): plans longer than 6 weeks carry check-ins, on the handout too.
    result = plan(ClientProfile(goal=Goal(weeks=20, start_date=dt.date(2026, 1, 5))))
    text = _collapse(_text(handout_pdf(result)))
    assert "Check in with your clinician at the start of weeks 5, 9, 13, 17" in text
    short = plan(ClientProfile(goal=Goal(weeks=6, start_date=dt.date(2026, 1, 5))))
    assert "Check in with your clinician" not in _collapse(_text(handout_pdf(short)))
