"""The sources every rule cites (S1–S17, in full with DOIs in ``docs/evidence.md``): tag -> reference.

Plain data for people to read (the dashboard's Sources panel, the handout); the rules themselves cite
the tags in :mod:`planner.evidence`. "NICE" is the NICE/NHS red-flag guidance the red flags cite.
"""

from __future__ import annotations

import re

SOURCES: dict[str, str] = {
    "S1": "Hiking for back pain (Outside): physician and exercise-science advice on hiking.",
    "S2": "Is walking good for lower back pain?: micro-walk start, the pain rule, surfaces.",
    "S3": "5 ways walking eases lower back pain (Peloton): dose, red flags.",
    "S4": "\"Is Walking Good Exercise? Relieve Back & Joint Pain\" (physical-therapy clinic article): dose, "
          "warm-up, stretches.",
    "S5": "Walking for spinal health (chiropractic): pace, posture checklist, references.",
    "S6": "Pocovi et al., Lancet 2024;404:134 (WalkBack trial, n=701): individualised, progressive walking "
          "plus education; goal 30 min x 5 days a week; fewer recurrences of activity-limiting back pain.",
    "S7": "Haddadj et al., \"Volume and Intensity of Walking and Risk of Chronic Low Back Pain\", JAMA Netw Open "
          "2025;8(6):e2515592 (HUNT, n≈11,000): more daily walking time, "
          "lower risk of developing chronic low back pain (a population finding, a long-term aim).",
    "S8": "Pandolf, Givoni, Goldman, J Appl Physiol 1977: energy cost of walking with a load, by speed, "
          "grade and terrain.",
    "S9": "Soule & Goldman 1972: terrain coefficients for walking.",
    "S10": "Tobler 1993: hiking speed as a function of slope.",
    "S11": "Silbernagel et al., Am J Sports Med 2007;35:897: the pain-monitoring model (pain during activity "
           "up to 5/10; settled by the next morning). Tested in Achilles tendinopathy, borrowed as a tolerance rule.",
    "S12": "Santee et al. 2001/2003: correction to the Pandolf equation for downhill walking.",
    "S13": "Looney et al., Med Sci Sports Exerc 2019;51:1954 (LCDA): a newer walking-energy equation.",
    "S14": "Gabbett, Br J Sports Med 2016: the acute:chronic workload ratio, 0.8–1.3 as a 'sweet spot' "
           "(criticised, never validated for walking or back pain: a warning line, not a rule).",
    "S15": "Buist et al., Am J Sports Med 2008 (GRONORUN): a 10 %-a-week graded programme had the same "
           "injury rate as a standard one: the 10 % rule is a convention, not evidence.",
    "S16": "Stanton et al., BMC Musculoskelet Disord 2021 (EPIPHA-KNEE trial protocol): walking starts at "
           "80 % of the person's tolerated walking time and rises 10 % a week (knee osteoarthritis; borrowed).",
    "S17": "Lambeek et al., BMC Public Health 2007;7:254: graded activity for chronic low back pain starts "
           "at a quota of 70 % of the person's baseline performance.",
    "NICE": "NICE guideline NG59, Low back pain and sciatica in over 16s (2016, updated 2020), and NICE CKS "
            "on low back pain and sciatica: red flags (cauda equina syndrome, infection, cancer, fracture).",
    "NHS": "NHS \"Back pain\" and \"Sciatica\" pages (nhs.uk): when to call 999 or go to A&E, and when to ask "
           "for an urgent GP appointment or call NHS 111.",
}


#: One source tag, or several in a row ("S1, S4", "S2; NICE").
_TAGS = r"(?:S\d{1,2}|NICE|NHS)(?:\s*[,;+]\s*(?:S\d{1,2}|NICE|NHS))*"
_CLIENT_WORDS = (
    (re.compile(rf"\s*\({_TAGS}\)"), ""),  # " (S1, S4)"
    (re.compile(rf"\({_TAGS}[:;,]\s*"), "("),  # "(S1: increase difficulty", "(S14, a warning line"
    (re.compile(rf"[,;:]\s*{_TAGS}(?=[),;])"), ""),  # "(a convention, not evidence: S15)", "(Looney 2019, S13; …"
    (re.compile(r"\bS\d{1,2}'s\s+"), ""),  # "S2's micro-walk protocol" -> "micro-walk protocol"
)


def without_source_tags(text: str) -> str:
    """``text`` for a client: the source tags (S1…, NICE, NHS as a tag) taken out of its parentheses;
    the handout lists its sources once at the end and the coach's page keeps the tags."""
    for pattern, replacement in _CLIENT_WORDS:
        text = pattern.sub(replacement, text)
    return text
