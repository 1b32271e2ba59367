"""Red flags, tiered as in ``domain.md`` (S2, S3, NICE/NHS), and what to tell the person."""

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
    RedFlag("not_used_to_exercise", "Not used to exercise", Tier.REVIEW, "S3"),
)
RED_FLAGS_BY_KEY: dict[str, RedFlag] = {flag.key: flag for flag in RED_FLAGS}

TIER_MESSAGES: dict[Tier, str] = {
    Tier.EMERGENCY: (
        "Go to A&E / the emergency department now. These symptoms can mean pressure on the nerves "
        "at the base of the spine (possible cauda equina syndrome), which needs treatment within "
        "hours. Do not start a walking plan. (S2: \"stop reading this and go to the ER\".)"
    ),
    Tier.URGENT: (
        "See a doctor today, before any walking plan. These symptoms need a medical check first; "
        "neurological or rapid-onset symptoms can't be walked off (S3)."
    ),
    Tier.REVIEW: (
        "See a clinician soon. The plan below may continue gently in the meantime; stop and get "
        "checked if anything gets worse (S3)."
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


def check_red_flags(red_flag_keys: frozenset[str] | tuple[str, ...]) -> SafetyVerdict:
    """Tier the ticked red flags (keys of ``RED_FLAGS_BY_KEY``); unknown keys are a caller bug."""
    triggered = tuple(flag for flag in RED_FLAGS if flag.key in set(red_flag_keys))
    tier = max((flag.tier for flag in triggered), default=Tier.NONE)
    return SafetyVerdict(tier=tier, triggered=triggered)
