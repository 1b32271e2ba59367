"""Red flags, tiered as in ``docs/evidence.md`` (S2, S3, NICE/NHS), and what to tell the person.

One vocabulary for the Safety tab, the Pain tab and the diary: each tier has one short label
(:data:`TIER_WORDS`: "emergency", "see a doctor today", "review soon") and one message
(:data:`TIER_MESSAGES`), and the leg-symptom choices (:data:`LEG_SYMPTOM_LABELS`) use the sources'
own words with their tier. "Pain moving further down the leg" (peripheralising, S2) is a *review*
answer; "pain shooting down one leg" (S3) is *urgent*; spreading leg pain twice in
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
            Tier.EMERGENCY, "S2, NICE"),
    RedFlag("saddle_numbness", "Numbness around the genitals, buttocks or inner thighs (saddle area)",
            Tier.EMERGENCY, "S2, NICE"),
    RedFlag("both_legs_weakness", "New numbness or weakness in both legs, or weakness getting worse",
            Tier.EMERGENCY, "S2, NICE"),
    RedFlag("sexual_dysfunction", "New sexual dysfunction", Tier.EMERGENCY, "NICE"),
    RedFlag("fever_unwell", "Fever or feeling unwell with the back pain", Tier.URGENT, "S3, NICE"),
    RedFlag("weight_loss", "Unexplained weight loss", Tier.URGENT, "S3, NICE"),
    RedFlag("cancer_history", "A history of cancer with new back pain", Tier.URGENT, "NICE"),
    RedFlag("trauma", "A significant fall or trauma (or a minor one with osteoporosis or steroids)",
            Tier.URGENT, "NICE"),
    RedFlag("night_pain", "Pain that wakes you at night and does not ease with rest or position",
            Tier.URGENT, "S3"),
    RedFlag("nausea_vomiting", "Vomiting or nausea with the back pain", Tier.URGENT, "S3"),
    RedFlag("chest_breathing", "Rib pain or trouble breathing", Tier.URGENT, "S3"),
    RedFlag("new_numbness_tingling", "New numbness or tingling (especially sudden)", Tier.URGENT, "S3"),
    RedFlag("one_leg_weight_bearing", "Severe pain bearing weight on one leg", Tier.URGENT, "S3"),
    RedFlag("shooting_leg_pain", "Pain shooting down one leg", Tier.URGENT, "S3"),
    RedFlag("severe_or_worsening", "Pain that is severe, getting worse, or lasting more than a few days",
            Tier.REVIEW, "S3"),
)
RED_FLAGS_BY_KEY: dict[str, RedFlag] = {flag.key: flag for flag in RED_FLAGS}

#: Red-flag keys older profile files may still carry, and where they live now.
LEGACY_RED_FLAG_KEYS: dict[str, str] = {"not_used_to_exercise": "fitness.new_to_exercise"}

#: Answers from other tabs that add a review notice (not tickable on the Safety tab).
NEW_TO_EXERCISE = RedFlag("new_to_exercise", "Not used to exercise: check with a doctor before starting",
                          Tier.REVIEW, "S3")
LEG_SPREADING = RedFlag("leg_pain_spreading", "Pain moving further down the leg toward the foot (peripheralising)",
                        Tier.REVIEW, "S2, S3")
LEG_SPREADING_REPEATED = RedFlag(
    "leg_pain_spreading_repeated", "Pain moving further down the leg, again within 14 days, or with new numbness "
    "or weakness (like S3's \"pain shooting down one leg\")", Tier.URGENT, "S2, S3")
LEG_SPREADING_WINDOW_DAYS = 14  # DEFAULT: two spreading episodes this close together are not a one-off

#: Short tier labels shown beside answers everywhere (Safety tab, Pain tab, diary).
TIER_WORDS: dict[Tier, str] = {Tier.EMERGENCY: "emergency", Tier.URGENT: "see a doctor today",
                               Tier.REVIEW: "review soon"}

#: The Pain tab's and the diary's leg-symptom choices, in the sources' words, with their tier.
LEG_SYMPTOM_LABELS: dict[str, str] = {
    "none": "none",
    "centralising": "pain moving toward the middle of the back (centralising: a good sign, S2)",
    "peripheralising": "pain moving further down the leg toward the foot (peripheralising) [review soon]",
    # Diary only (planner.adapt.DIARY_LEG_SYMPTOMS): spinal stenosis's neurogenic claudication (S2).
    "eases_with_sitting": "legs heavy, numb or aching while walking, easing when you sit or bend forward "
                          "(expected with spinal stenosis, S2)",
    "not_easing": "leg numbness or weakness that does not ease when you sit or bend forward, or new weakness "
                  "[review soon]",
}

TIER_MESSAGES: dict[Tier, str] = {
    Tier.EMERGENCY: (
        "Go to A&E / the emergency department now. These symptoms can mean pressure on the nerves "
        "at the base of the spine (possible cauda equina syndrome), which needs treatment within "
        "hours. Do not start a walking plan. (S2: \"stop reading this and go to the ER\".)"
    ),
    Tier.URGENT: (
        "See a doctor today, before any more walking. These symptoms need a medical check first; "
        "neurological or rapid-onset symptoms can't be walked off (S3)."
    ),
    Tier.REVIEW: (
        "Review soon: see a clinician soon. The plan below may continue gently in the meantime; stop "
        "and get checked if anything gets worse (S3)."
    ),
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


def check_red_flags(red_flag_keys: frozenset[str] | tuple[str, ...],
                    also: tuple[RedFlag, ...] = ()) -> SafetyVerdict:
    """Tier the ticked red flags (keys of ``RED_FLAGS_BY_KEY``) plus answers from other tabs (``also``)."""
    triggered = tuple(flag for flag in RED_FLAGS if flag.key in set(red_flag_keys)) + tuple(also)
    tier = max((flag.tier for flag in triggered), default=Tier.NONE)
    return SafetyVerdict(tier=tier, triggered=triggered)


def profile_notices(leg_symptoms: str, new_to_exercise: bool) -> tuple[RedFlag, ...]:
    """Review notices from the Pain and Fitness tabs: spreading leg pain (S2), not used to exercise (S3)."""
    return ((LEG_SPREADING,) if leg_symptoms == "peripheralising" else ()) + \
        ((NEW_TO_EXERCISE,) if new_to_exercise else ())
