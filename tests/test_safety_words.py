"""Red flags aligned with NHS/NICE, one set of leg-symptom words, cues by condition, client words
without source codes, and handout pages without stray lines (issues 19 and 23)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from planner import ClientProfile, Fitness, Goal, Pain, Terrain, plan
from planner.examples import EXAMPLES
from planner.export import sessions_ics
from planner.handout import handout_pdf, traffic_light
from planner.progression import FLARE, RAMP
from planner import safety  # names new in this change are read as safety.X, so the file imports on older code
from planner.safety import LEG_SYMPTOM_LABELS, NEW_TO_EXERCISE, RED_FLAGS, RED_FLAGS_BY_KEY, TIER_MESSAGES, TIER_WORDS, Tier
from planner.schedule import COOL_DOWN, WARM_UP, phase_wide_cues
from planner.sources import SOURCES

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2026, 1, 5)
CODE = re.compile(r"\b(S\d{1,2}|NICE)\b")


def _client(name="Client", weeks=12, **pain) -> ClientProfile:
    return ClientProfile(name=name, pain=Pain(**{"pain_now": 3, **pain}),
                         fitness=Fitness(walking_minutes_per_week=60, longest_walk_minutes=15),
                         goal=Goal(weeks=weeks, start_date=START))


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(_pages(pdf)))


# --- Red flags (#19 item 10) ------------------------------------------------------------------------

def test_chest_pain_is_an_emergency_call_999():
    flag = RED_FLAGS_BY_KEY["chest_breathing"]
    assert flag.tier == Tier.EMERGENCY and "Chest pain" in flag.label and "NHS" in flag.source
    result = plan(_client(red_flags=frozenset({"chest_breathing"})))
    assert result.stopped and result.safety.tier == Tier.EMERGENCY
    assert "Call 999" in result.notes[0]


@pytest.mark.parametrize("key, words", [
    ("shoulder_blades", "between the shoulder blades"),
    ("cough_sneeze_strain", "coughing, sneezing or straining"),
    ("lump_swelling", "lump or swelling"),
    ("back_shape", "change in the shape of the back"),
])
def test_nhs_urgent_items_are_on_the_checklist_page_and_handout(key, words):
    flag = RED_FLAGS_BY_KEY[key]
    assert words in flag.label and flag.tier == Tier.URGENT and "NHS" in flag.source
    result = plan(_client(red_flags=frozenset({key})))
    assert result.stopped and "urgent GP appointment or call NHS 111" in result.notes[0]
    from planner.ui.safety import SafetyPanel
    panel = SafetyPanel()
    assert panel.boxes[key].description == flag.label
    assert words in _text(handout_pdf(plan(_client())))


def test_a_serious_accident_is_999_and_a_minor_fall_with_fragile_bones_urgent():
    assert RED_FLAGS_BY_KEY["trauma"].tier == Tier.EMERGENCY  # NHS: "started after a serious accident"
    assert RED_FLAGS_BY_KEY["minor_trauma_fragile_bones"].tier == Tier.URGENT  # NICE CKS: suspected fracture


def test_old_profiles_with_the_old_keys_still_load():
    old_keys = ["bladder_bowel", "saddle_numbness", "both_legs_weakness", "sexual_dysfunction", "fever_unwell",
                "weight_loss", "cancer_history", "trauma", "night_pain", "nausea_vomiting", "chest_breathing",
                "new_numbness_tingling", "one_leg_weight_bearing", "shooting_leg_pain", "severe_or_worsening"]
    data = _client().to_dict()
    data["pain"]["red_flags"] = old_keys + ["not_used_to_exercise"]
    profile = ClientProfile.from_dict(data)
    assert profile.pain.red_flags == frozenset(old_keys) and profile.fitness.new_to_exercise
    new = _client(red_flags=frozenset({"lump_swelling", "shoulder_blades"}))
    assert ClientProfile.from_dict(new.to_dict()) == new


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_lasting_a_few_days_is_a_review_item_not_in_the_stop_at_once_section():
    text = _text(handout_pdf(plan(_client())))
    stop_now = _section(text, "Stop walking and get help at once", "Sources")
    assert "lasting more than a few days" not in stop_now
    review = _section(text, safety.TIER_HEADINGS[Tier.REVIEW], "Red: stop and call")
    assert RED_FLAGS_BY_KEY["severe_or_worsening"].label in review


def test_each_answer_sits_under_its_tiers_heading_in_the_page_the_notes_and_the_handout():
    from planner.ui.safety import SafetyPanel
    panel = SafetyPanel()
    children = list(panel.widget.children)
    text = _text(handout_pdf(plan(_client())))
    headings = {tier: text.index(safety.TIER_HEADINGS[tier]) for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.REVIEW)}
    for flag in RED_FLAGS:
        # Page: the last heading above the box is its tier's.
        above = [child.value for child in children[:children.index(panel.boxes[flag.key])]
                 if getattr(child, "value", None).__class__ is str and "tb-tier" in child.value]
        assert safety.TIER_HEADINGS[flag.tier].replace("&", "&amp;") in above[-1], flag.key
        # Handout: the label follows its own heading and no later one.
        where = text.index(flag.label, headings[Tier.EMERGENCY] if flag.tier != Tier.REVIEW else 0)
        before = max((tier for tier, at in headings.items() if at < where), key=lambda tier: headings[tier])
        assert before == flag.tier, flag.key
        # Notes: the answer with its tier's words; the message of the plan's tier.
        result = plan(_client(red_flags=frozenset({flag.key})))
        assert f"{flag.label} [{TIER_WORDS[flag.tier]}]" in result.notes[0 if result.stopped else 1], flag.key
        assert TIER_MESSAGES[flag.tier] in " ".join(result.notes)


def test_a_stopped_handout_says_what_to_do_for_its_tier_and_each_answers_tier():
    emergency = _text(handout_pdf(plan(_client(red_flags=frozenset({"chest_breathing", "lump_swelling"})))))
    assert "No walking plan: see a clinician first. Call 999 or go to A&E now." in emergency
    assert "Chest pain, or trouble breathing [emergency]; A lump or swelling in the back [see a doctor today]" in emergency
    assert "keep walking gently" not in emergency  # no "[review soon]" walking advice on a page with no walking
    urgent = _text(handout_pdf(plan(_client(red_flags=frozenset({"back_shape"})))))
    assert "See a doctor today (an urgent GP appointment, or NHS 111)." in urgent


def test_the_a_and_e_message_does_not_quote_a_source_to_the_client():
    result = plan(EXAMPLES["red flag"])
    assert "stop reading this" not in result.safety.message and not CODE.search(result.safety.message)
    text = _text(handout_pdf(result))
    body = text[:text.index("Sources")]
    assert "stop reading this" not in body and not CODE.search(body)
    assert "Call 999" in body


# --- Leg symptoms (#19 item 9) -----------------------------------------------------------------------

def test_one_set_of_leg_words_in_pain_tab_diary_cues_and_handout():
    from planner.ui.form import CHOICE_LABELS
    from planner.ui.diary import DiaryPanel
    from planner.adapt import DiaryEntry
    from planner.ui.diary import entry_summary
    diary = DiaryPanel(START, lambda: None, lambda day: None)
    assert dict((value, label) for label, value in diary.leg_symptoms.options) == LEG_SYMPTOM_LABELS
    logged = entry_summary(DiaryEntry(START, 20, 3, 3, 3, leg_symptoms="heavy_easing"))
    assert f"leg: {safety.LEG_SYMPTOM_WORDS['heavy_easing']}" in logged  # the words, not the key
    for key, words in safety.LEG_SYMPTOM_WORDS.items():
        if key != "none":
            assert CHOICE_LABELS[key] == LEG_SYMPTOM_LABELS[key] and LEG_SYMPTOM_LABELS[key].startswith(words)
            profile = _client(leg_symptoms=key)
            text = _text(handout_pdf(plan(profile)))
            assert words[:1].upper() + words[1:] in text, key


def test_stenosis_heavy_legs_that_ease_are_expected_not_a_stop():
    rule = safety.leg_symptom_rule("heavy_easing", "spinal_stenosis")
    assert rule.tier == Tier.NONE and not rule.stops_walk and "carry on" in rule.action
    assert safety.leg_symptom_rule("heavy_easing", "none").tier == Tier.REVIEW  # not diagnosed: get it checked
    stenosis = _client(condition="spinal_stenosis", leg_symptoms="heavy_easing")
    result = plan(stenosis)
    assert result.safety.tier == Tier.NONE
    lights = {colour: lines for colour, _, lines in traffic_light("spinal_stenosis")}
    assert any("ease when you sit or bend forward" in line or "easing when you sit or bend forward" in line
               for line in lights["green"])
    # Amber never tells a stenosis client to stop for spreading leg pain that eases with sitting.
    text = _text(handout_pdf(result))
    assert "Pain spreading down your leg: stop" not in text
    amber = _section(text, "Amber: hold", "Red: stop and call")
    assert "if it does not ease when you sit or bend forward: stop that walk" in amber
    cues = " ".join(cue for cue, _ in phase_wide_cues(stenosis, "base walking"))
    assert "lean forward" in cues and "then carry on" in cues
    # The plan's notes use the same words, for any stenosis client (whatever the leg answer).
    notes = " ".join(plan(EXAMPLES["spinal stenosis"]).notes)
    assert "legs heavy or numb while walking that ease when you sit or bend forward are expected" in notes


def test_spreading_leg_pain_stops_that_walk_for_other_clients():
    text = _text(handout_pdf(plan(_client(leg_symptoms="peripheralising", condition="disc_herniation"))))
    amber = _section(text, "Amber: hold", "Red: stop and call")
    assert "Pain spreading further down the leg toward the foot (peripheralising): stop that walk and step back" in amber
    assert "New weakness, or numbness that does not ease when you sit or bend forward: stop that walk" in amber


def test_weakness_or_numbness_that_does_not_ease_is_a_review_notice():
    result = plan(_client(leg_symptoms="numb_weak_not_easing"))
    assert result.safety.tier == Tier.REVIEW and not result.stopped


# --- Cues by condition (#19 item 9) ------------------------------------------------------------------

def _pace_cues(profile: ClientProfile, phase: str) -> list[str]:
    return [text for text, _ in phase_wide_cues(profile, phase) if "pace" in text.lower()]


def test_disc_clients_get_one_pace_message_that_says_the_sources_differ():
    disc = _client(condition="disc_herniation")
    pace = _pace_cues(disc, "base walking")
    assert len(pace) == 1 and "brisk" in pace[0] and "comfortable, not rushing" in pace[0]
    assert "source" in pace[0]  # says the sources differ
    flare = _pace_cues(disc, FLARE)
    assert len(flare) == 1 and "brisk" not in flare[0]  # in a flare-up: comfortable only


@pytest.mark.parametrize("profile, phase", [
    (_client(condition="disc_herniation"), "base walking"),
    (_client(in_flare=True, pain_now=7), FLARE),
    (_client(in_flare=True, pain_now=7), RAMP),
])
def test_no_knee_to_chest_for_disc_or_flare_clients(profile, phase):
    cues = [text for text, _ in phase_wide_cues(profile, phase)]
    assert COOL_DOWN[0] not in cues and not any("knee-to-chest" in cue and "leave out" not in cue for cue in cues)


def test_flare_plan_handout_has_no_knee_to_chest_in_its_flare_weeks():
    result = plan(EXAMPLES["flare-up"])
    flare = result.walking_sessions[result.walking_sessions["phase"] == FLARE]
    assert len(flare) and not flare["cues"].str.contains("Afterwards: knee-to-chest").any()


def test_upper_back_gets_thoracic_warm_up_cool_down_and_a_gp_check():
    upper = dataclasses.replace(_client(), pain=Pain(pain_now=3, location="upper"))
    cues = [text for text, _ in phase_wide_cues(upper, "base walking")]
    assert WARM_UP[0] not in cues and COOL_DOWN[0] not in cues
    assert any(cue.startswith("Warm up") and "thoracic" in cue for cue in cues)
    assert any(cue.startswith("Afterwards") and "thoracic" in cue for cue in cues)
    result = plan(upper)
    assert safety.UPPER_BACK_CHECK in result.safety.triggered and result.safety.tier == Tier.REVIEW
    assert "GP" in _text(handout_pdf(result))


def test_not_used_to_exercise_says_the_first_weeks_are_gentle():
    assert NEW_TO_EXERCISE.label.startswith("Not used to exercise: check with a doctor")
    assert "first weeks are gentle" in NEW_TO_EXERCISE.label
    from planner.ui.form import ProfileForm  # noqa: F401  (the Fitness tab shows the same label's tier)
    result = plan(dataclasses.replace(_client(), fitness=Fitness(new_to_exercise=True)))
    assert any("first weeks are gentle" in note for note in result.notes)


# --- Citations (#19 item 13) ---------------------------------------------------------------------------

EVIDENCE = (ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")


def _row(tag: str) -> str:
    return re.search(rf"^\| {tag} \| (.+?) \|", EVIDENCE, re.M).group(1)


def test_s7_has_the_papers_own_title_everywhere():
    title = "Volume and Intensity of Walking and Risk of Chronic Low Back Pain"
    assert title in _row("S7") and title in SOURCES["S7"]


def test_s4_has_one_title_in_sources_py_and_evidence_md():
    title = re.search(r'"([^"]+)"', _row("S4")).group(1)
    assert title == "Is Walking Good Exercise? Relieve Back & Joint Pain"
    assert f'"{title}"' in SOURCES["S4"]


def test_unconfirmed_identifiers_are_gone_and_said_so():
    s12 = re.search(r"^\| S12 \|.*$", EVIDENCE, re.M).group(0)
    assert "pubmed.ncbi.nlm.nih.gov/11396562" not in s12 and "could not be confirmed" in s12
    s5 = re.search(r"^\| S5 \|.*$", EVIDENCE, re.M).group(0)
    assert "not of S5" in s5 and "35294490" in s5  # the DOI is of a paper S5 cites (confirmed on PubMed)


def test_nhs_and_nice_are_cited_in_full():
    for address in ("https://www.nhs.uk/conditions/back-pain/", "https://www.nhs.uk/conditions/sciatica/",
                    "https://www.nice.org.uk/guidance/ng59", "https://cks.nice.org.uk/topics/"):
        assert address in EVIDENCE
    assert "NHS" in SOURCES and "NG59" in SOURCES["NICE"]


# --- Client words: no source codes, plain words (#23 item 7) --------------------------------------------

CLIENTS = {
    "stenosis": EXAMPLES["spinal stenosis"],
    "flare": EXAMPLES["flare-up"],
    "hiker": EXAMPLES["hiker with a pack on hills"],
    "disc": _client("Disc", condition="disc_herniation", leg_symptoms="peripheralising"),
    "upper": dataclasses.replace(_client("Upper"), pain=Pain(pain_now=3, location="upper")),
    "review": _client("Review", red_flags=frozenset({"severe_or_worsening"})),
}


@pytest.mark.parametrize("name", CLIENTS)
def test_handout_body_has_no_source_codes_and_lists_sources_at_the_end(name):
    text = _text(handout_pdf(plan(CLIENTS[name])))
    body, sources = text[:text.rindex("Sources")], text[text.rindex("Sources"):]
    assert not CODE.search(body), CODE.search(body)
    assert "S1 " in sources and "S11 " in sources


def test_review_soon_and_hold_weeks_are_explained_in_the_handout():
    text = _text(handout_pdf(plan(CLIENTS["review"])))
    assert "[review soon]" in text and re.sub(r"\s+", " ", safety.REVIEW_SOON_MEANING) in text


def test_ics_events_carry_no_source_codes():
    calendar = Calendar.from_ical(sessions_ics(plan(CLIENTS["disc"])))
    for event in calendar.walk("VEVENT"):
        assert not CODE.search(str(event.get("description")) + str(event.get("summary")))


# --- Handout pages (#23 item 11) ---------------------------------------------------------------------

MIN_LINES_PER_PAGE = 5


@pytest.mark.parametrize("name", CLIENTS)
@pytest.mark.parametrize("weeks, page_size", [(8, "A4"), (12, "A4"), (12, "Letter"), (16, "A4"), (26, "Letter"), (52, "A4")])
def test_no_page_holds_only_a_stray_line_or_two(name, weeks, page_size):
    profile = dataclasses.replace(CLIENTS[name], goal=dataclasses.replace(CLIENTS[name].goal, weeks=weeks))
    pages = _pages(handout_pdf(plan(profile), page_size=page_size))
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip() and "page " not in line]
        assert len(lines) >= MIN_LINES_PER_PAGE, (number, lines)


@pytest.mark.parametrize("name", CLIENTS)
@pytest.mark.parametrize("weeks", [12, 16])
def test_a_tiers_heading_and_its_answers_stay_on_one_page(name, weeks):
    profile = dataclasses.replace(CLIENTS[name], goal=dataclasses.replace(CLIENTS[name].goal, weeks=weeks))
    pages = [re.sub(r"\s+", " ", page) for page in _pages(handout_pdf(plan(profile)))]
    for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.REVIEW):
        page = next(page for page in pages if safety.TIER_HEADINGS[tier] in page)
        for flag in RED_FLAGS:
            if flag.tier == tier:
                assert flag.label in page, (tier, flag.key)
