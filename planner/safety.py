"""Red flags, tiered as in ``docs/evidence.md`` (S2, S3, NICE, NHS), and what to tell the person.

One vocabulary for the Safety tab, the Pain tab, the diary, the plan's notes and the handout: each
tier has one short label (:data:`TIER_WORDS`), one heading (:data:`TIER_HEADINGS`) and one message
(:data:`TIER_MESSAGES`). The NHS "Back pain" and "Sciatica" pages set the emergency tier (call 999 or
go to A&E) and the urgent tier (an urgent GP appointment or NHS 111, today). The leg-symptom choices
(:data:`LEG_SYMPTOMS`) have one set of words, and what each means depends on the condition
(:func:`leg_symptom_rule`): heavy or numb legs that ease when the person sits or bends forward are
expected with spinal stenosis (S2), new weakness or numbness that does not ease is reviewed, and pain
spreading down the leg stops that walk (S2). Spreading leg pain twice in
``LEG_SPREADING_WINDOW_DAYS`` days, or with new numbness or weakness, is treated as urgent.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Tier(IntEnum):
    """How urgent a red flag is; higher is more urgent."""

    NONE = 0
    REVIEW = 1  # see a clinician soon; a gentle plan may continue
    URGENT = 2  # see a doctor today; no plan
    EMERGENCY = 3  # emergency department now; no plan


@dataclass(frozen=True)
class RedFlag:
    """One red-flag answer the person can tick."""

    key: str
    label: str
    tier: Tier
    source: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag("bladder_bowel", "New loss of bladder or bowel control, or difficulty passing urine",
            Tier.EMERGENCY, "S2, NICE, NHS"),
    RedFlag("saddle_numbness", "Numbness around the genitals, buttocks or inner thighs (saddle area)",
            Tier.EMERGENCY, "S2, NICE, NHS"),
    RedFlag("both_legs_weakness", "New numbness or weakness in both legs, or weakness getting worse",
            Tier.EMERGENCY, "S2, NICE, NHS"),
    RedFlag("sexual_dysfunction", "New sexual dysfunction", Tier.EMERGENCY, "NICE"),
    RedFlag("chest_breathing", "Chest pain, or trouble breathing", Tier.EMERGENCY, "S3, NHS"),
    RedFlag("trauma", "Back pain that started after a serious accident or fall (such as a car accident)",
            Tier.EMERGENCY, "NICE, NHS"),
    RedFlag("fever_unwell", "Fever (a high temperature) or feeling unwell with the back pain", Tier.URGENT,
            "S3, NICE, NHS"),
    RedFlag("weight_loss", "Unexplained weight loss", Tier.URGENT, "S3, NICE, NHS"),
    RedFlag("cancer_history", "A history of cancer with new back pain", Tier.URGENT, "NICE"),
    RedFlag("minor_trauma_fragile_bones", "Back pain after a minor fall or strain, with osteoporosis or "
            "long-term steroid use", Tier.URGENT, "NICE"),
    RedFlag("night_pain", "Pain that wakes you at night and does not ease with rest or position",
            Tier.URGENT, "S3, NHS"),
    RedFlag("cough_sneeze_strain", "Pain made worse by coughing, sneezing or straining on the toilet",
            Tier.URGENT, "NHS"),
    RedFlag("shoulder_blades", "New pain between the shoulder blades (top of the back) that no doctor has "
            "checked yet", Tier.URGENT, "NHS"),
    RedFlag("lump_swelling", "A lump or swelling in the back", Tier.URGENT, "NHS"),
    RedFlag("back_shape", "A change in the shape of the back", Tier.URGENT, "NHS"),
    RedFlag("nausea_vomiting", "Vomiting or nausea with the back pain", Tier.URGENT, "S3"),
    RedFlag("new_numbness_tingling", "Sudden new numbness, tingling or weakness", Tier.URGENT, "S3"),
    RedFlag("one_leg_weight_bearing", "Severe pain bearing weight on one leg", Tier.URGENT, "S3"),
    RedFlag("shooting_leg_pain", "Pain shooting down one leg", Tier.URGENT, "S3"),
    RedFlag("severe_or_worsening", "Pain that is severe, getting worse, or lasting more than a few days",
            Tier.REVIEW, "S3, NHS"),
)
RED_FLAGS_BY_KEY: dict[str, RedFlag] = {flag.key: flag for flag in RED_FLAGS}

#: Red-flag keys older profile files may still carry, and where they live now.
LEGACY_RED_FLAG_KEYS: dict[str, str] = {"not_used_to_exercise": "fitness.new_to_exercise"}

#: Answers from other tabs that add a review notice (not tickable on the Safety tab).
NEW_TO_EXERCISE = RedFlag("new_to_exercise", "Not used to exercise: check with a doctor before starting; the "
                          "plan's first weeks are gentle", Tier.REVIEW, "S3")
UPPER_BACK_CHECK = RedFlag(
    "upper_back_check", "Pain in the upper back: have a GP check it (the NHS advises an urgent GP appointment or "
    "NHS 111 for new pain between the shoulder blades)", Tier.REVIEW, "NHS")
LEG_SPREADING = RedFlag("leg_pain_spreading", "Pain spreading further down the leg toward the foot (peripheralising)",
                        Tier.REVIEW, "S2, S3")
LEG_NUMB_WEAK = RedFlag("leg_numb_weak", "New weakness, or numbness that does not ease when you sit or bend "
                        "forward", Tier.REVIEW, "S3, NHS")
LEG_HEAVY_CHECK = RedFlag("leg_heavy_check", "Legs heavy or numb when walking, easing when you sit or bend forward "
                          "(a pattern of spinal stenosis, not yet diagnosed)", Tier.REVIEW, "S2")
LEG_SPREADING_REPEATED = RedFlag(
    "leg_pain_spreading_repeated", "Pain spreading further down the leg, again within 14 days, or with new numbness "
    "or weakness (like S3's \"pain shooting down one leg\")", Tier.URGENT, "S2, S3")
LEG_SPREADING_WINDOW_DAYS = 14  # DEFAULT: two spreading episodes this close together are not a one-off

#: Short tier labels shown beside answers everywhere (Safety tab, Pain tab, diary, handout).
TIER_WORDS: dict[Tier, str] = {Tier.EMERGENCY: "emergency", Tier.URGENT: "see a doctor today",
                               Tier.REVIEW: "review soon"}

#: One heading per tier, the same on the Safety tab, in the plan's notes and in the handout (NHS wording).
TIER_HEADINGS: dict[Tier, str] = {
    Tier.EMERGENCY: "Emergency: call 999 or go to A&E now if any of these is new",
    Tier.URGENT: "See a doctor today (an urgent GP appointment, or NHS 111) if any of these applies",
    Tier.REVIEW: "Review soon: see a clinician in the coming days (a gentle plan can go on)",
}

#: What "[review soon]" means, in one line for the client (the handout explains the label with it).
REVIEW_SOON_MEANING = ("[review soon]: not an emergency; book a visit with your GP or physiotherapist in the "
                       "coming days, and keep walking gently meanwhile.")

TIER_MESSAGES: dict[Tier, str] = {
    Tier.EMERGENCY: (
        "Call 999 or go to A&E / the emergency department now. These symptoms need emergency care: in the "
        "back they can mean pressure on the nerves at the base of the spine (cauda equina syndrome), which "
        "needs treatment within hours, and chest pain can come from the heart. Do not start or continue a "
        "walking plan."
    ),
    Tier.URGENT: (
        "See a doctor today, before any more walking: ask for an urgent GP appointment or call NHS 111. "
        "These symptoms need a medical check first; nerve symptoms or ones that came on quickly can't be "
        "walked off."
    ),
    Tier.REVIEW: (
        "Review soon: see a clinician soon (your GP or physiotherapist, in the coming days). The plan below "
        "may continue gently in the meantime; stop and get checked sooner if anything gets worse."
    ),
}

# --- Leg symptoms: one set of words, read by condition -------------------------------------------

STENOSIS = "spinal_stenosis"

#: The leg-symptom answers (Pain tab and diary), in the client's words.
LEG_SYMPTOM_WORDS: dict[str, str] = {
    "none": "no leg symptoms",
    "centralising": "pain moving toward the middle of the back (centralising)",
    "heavy_easing": "legs heavy, numb or tingling while walking, easing when you sit or bend forward",
    "peripheralising": "pain spreading further down the leg toward the foot (peripheralising)",
    "numb_weak_not_easing": "new weakness, or numbness that does not ease when you sit or bend forward",
}
LEG_SYMPTOMS: tuple[str, ...] = tuple(LEG_SYMPTOM_WORDS)


@dataclass(frozen=True)
class LegRule:
    """What one leg-symptom answer means for one condition: its tier, whether that walk stops, and
    what to do in the client's words."""

    tier: Tier
    stops_walk: bool
    action: str
    source: str


def leg_symptom_rule(key: str, condition: str = "none") -> LegRule:
    """What the leg-symptom answer ``key`` means for a client with ``condition``.

    Heavy or numb legs that ease with sitting or bending forward are neurogenic claudication:
    expected with spinal stenosis (S2), a review otherwise. Pain spreading down the leg stops that
    walk (S2); with stenosis only when it does not ease with sitting or bending forward. New
    weakness, or numbness that does not ease, stops that walk and is reviewed (S3, NHS).
    """
    stenosis = condition == STENOSIS
    if key == "centralising":
        return LegRule(Tier.NONE, False, "a good sign, carry on", "S2")
    if key == "heavy_easing":
        if stenosis:
            return LegRule(Tier.NONE, False, "expected with spinal stenosis; lean forward or sit until it eases, "
                                             "then carry on", "S2")
        return LegRule(Tier.REVIEW, False, "lean forward or sit until it eases, and have it checked soon (it can "
                                           "be a sign of spinal stenosis)", "S2")
    if key == "peripheralising":
        if stenosis:
            return LegRule(Tier.REVIEW, True, "if it does not ease when you sit or bend forward: stop that walk and "
                                              "step back", "S2")
        return LegRule(Tier.REVIEW, True, "stop that walk and step back", "S2")
    if key == "numb_weak_not_easing":
        return LegRule(Tier.REVIEW, True, "stop that walk and see a clinician soon", "S3, NHS")
    return LegRule(Tier.NONE, False, "", "")


def leg_symptom_lines(condition: str = "none") -> list[tuple[str, LegRule]]:
    """Each leg-symptom answer with its meaning for ``condition``, as (words, rule), "none" left out:
    the lines the handout's traffic light and the session cue are built from."""
    return [(words[:1].upper() + words[1:], leg_symptom_rule(key, condition))
            for key, words in LEG_SYMPTOM_WORDS.items() if key != "none"]


#: The Pain tab's and the diary's leg-symptom choices: the same words, with what they mean.
LEG_SYMPTOM_LABELS: dict[str, str] = {
    "none": "none",
    "centralising": f"{LEG_SYMPTOM_WORDS['centralising']}: a good sign (S2)",
    "heavy_easing": f"{LEG_SYMPTOM_WORDS['heavy_easing']} (expected with stenosis; otherwise "
                    f"[{TIER_WORDS[Tier.REVIEW]}])",
    "peripheralising": f"{LEG_SYMPTOM_WORDS['peripheralising']} [{TIER_WORDS[Tier.REVIEW]}]",
    "numb_weak_not_easing": f"{LEG_SYMPTOM_WORDS['numb_weak_not_easing']} [{TIER_WORDS[Tier.REVIEW]}]",
}


@dataclass(frozen=True)
class SafetyVerdict:
    """The outcome of the red-flag check: the highest tier, the answers behind it, the message."""

    tier: Tier
    triggered: tuple[RedFlag, ...]

    @property
    def stops_plan(self) -> bool:
        """True for emergency and urgent flags: no sessions at all."""
        return self.tier >= Tier.URGENT

    @property
    def message(self) -> str:
        """What to do, in the wording of the tier; empty when no flag was ticked."""
        return TIER_MESSAGES.get(self.tier, "")

    @property
    def note(self) -> str:
        """The tier's message, then each answer behind it with its own tier's words ("[review soon]"),
        as the plan's notes and the handout write it."""
        answers = "; ".join(f"{flag.label} [{TIER_WORDS[flag.tier]}]" for flag in self.triggered)
        return f"{self.message} Because you answered: {answers}."


def check_red_flags(red_flag_keys: frozenset[str] | tuple[str, ...],
                    also: tuple[RedFlag, ...] = ()) -> SafetyVerdict:
    """Tier the ticked red flags (keys of ``RED_FLAGS_BY_KEY``) plus answers from other tabs (``also``)."""
    triggered = tuple(flag for flag in RED_FLAGS if flag.key in set(red_flag_keys)) + tuple(also)
    tier = max((flag.tier for flag in triggered), default=Tier.NONE)
    return SafetyVerdict(tier=tier, triggered=triggered)


def profile_notices(leg_symptoms: str, new_to_exercise: bool, condition: str = "none",
                    location: str = "lower") -> tuple[RedFlag, ...]:
    """Review notices from the Pain and Fitness tabs: leg symptoms read by condition (S2, S3, NHS), pain
    in the upper back (NHS: a GP check), not used to exercise (S3)."""
    notices: list[RedFlag] = []
    if leg_symptoms == "peripheralising":
        notices.append(LEG_SPREADING)
    elif leg_symptoms == "numb_weak_not_easing":
        notices.append(LEG_NUMB_WEAK)
    elif leg_symptoms == "heavy_easing" and condition != STENOSIS:
        notices.append(LEG_HEAVY_CHECK)
    if location == "upper":
        notices.append(UPPER_BACK_CHECK)
    if new_to_exercise:
        notices.append(NEW_TO_EXERCISE)
    return tuple(notices)
