"""The sources every rule cites (S1–S17, in full with DOIs in ``docs/evidence.md``): tag -> reference.

Plain data for people to read (the dashboard's Sources panel, the handout); the rules themselves cite
the tags in :mod:`planner.evidence`. "NICE" is the NICE/NHS red-flag guidance the red flags cite.
"""

from __future__ import annotations

SOURCES: dict[str, str] = {
    "S1": "Hiking for back pain (Outside): physician and exercise-science advice on hiking.",
    "S2": "Is walking good for lower back pain?: micro-walk start, the pain rule, surfaces.",
    "S3": "5 ways walking eases lower back pain (Peloton): dose, red flags.",
    "S4": "Walking vs running with back pain (physiotherapy clinic): dose, warm-up, stretches.",
    "S5": "Walking for spinal health (chiropractic): pace, posture checklist, references.",
    "S6": "Pocovi et al., Lancet 2024;404:134 (WalkBack trial, n=701): individualised, progressive walking "
          "plus education; goal 30 min x 5 days a week; fewer recurrences of activity-limiting back pain.",
    "S7": "Haddadj et al., JAMA Netw Open 2025;8(6):e2515592 (HUNT, n≈11,000): more daily walking time, "
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
    "NICE": "NICE / NHS guidance on back-pain red flags (cauda equina syndrome, infection, cancer, "
            "fracture).",
}

