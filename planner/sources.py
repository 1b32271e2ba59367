"""The sources behind the planner's rules (``shared/domain.md``): tag -> full reference text.

S1–S15 as listed in domain.md; "NICE" is the NICE/NHS red-flag guidance the red flags cite.
"""

from __future__ import annotations

SOURCES: dict[str, str] = {
    "S1": "Hiking for back pain (Outside): physician and exercise-science advice on hiking.",
    "S2": "Is walking good for lower back pain: micro-walk start, pain rule, surfaces.",
    "S3": "5 ways walking eases lower back pain (Peloton): dose, red flags.",
    "S4": "Walking vs running with back pain (physical-therapy clinic): dose, warm-up, stretches.",
    "S5": "Walking for spinal health (chiropractic): pace, posture checklist, references.",
    "S6": "Pocovi et al., Lancet 2024;404:134 (WalkBack randomised trial, n=701): individualised, "
          "progressive walking and education to prevent a recurrence of low back pain.",
    "S7": "Haddadj et al., JAMA Network Open 2025;8(6):e2515592 (HUNT study, n≈11,000): more daily "
          "walking, lower risk of developing chronic low back pain.",
    "S8": "Pandolf, Givoni, Goldman, J Appl Physiol 1977: metabolic cost of walking with a load.",
    "S9": "Soule & Goldman 1972: terrain coefficients for walking.",
    "S10": "Tobler 1993: hiking speed as a function of slope.",
    "S11": "Silbernagel et al., Am J Sports Med 2007;35:897: the pain-monitoring model.",
    "S12": "Santee et al. 2001/2003: correction to Pandolf for downhill walking.",
    "S13": "Looney et al., Med Sci Sports Exerc 2019;51:1954: walking energy equation (LCDA).",
    "S14": "Gabbett, Br J Sports Med 2016: the acute:chronic workload ratio.",
    "S15": "Buist et al., Am J Sports Med 2008 (GRONORUN): a 10 %-a-week graded programme and injuries.",
    "NICE": "NICE / NHS guidance on back-pain red flags (cauda equina syndrome, infection, cancer, "
            "fracture).",
}
