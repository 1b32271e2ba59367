"""Print adapted weekly tables (week, minutes, load, adjustment, reason) for sample clients and diaries,
to read them as a physiotherapist would (issue 19). Run: .venv/bin/python scripts/diary_tables.py"""
import datetime as dt

import pandas as pd
from planner import ClientProfile, DiaryEntry, Fitness, Goal, Pain, adapt, plan
from planner.adapt import GETTING_WORSE, LEGS_EASE_WITH_SITTING
pd.set_option("display.width", 250); pd.set_option("display.max_colwidth", 140)
START = dt.date(2026, 1, 5)
def day(o): return START + dt.timedelta(days=o)
def follow(profile, weeks, pain=lambda w, i: (3,3,3), leg=lambda w, i: "none", flags=lambda w, i: frozenset(), skip=()):
    diary=[]; original=plan(profile)
    for week in range(1, weeks+1):
        if week in skip: continue
        asked = adapt(profile, original, diary, day(7*week-7)).walking_sessions.query(f"week == {week}")
        for i, (d, m) in enumerate(zip(asked["date"], asked["total_minutes"])):
            a,b,c = pain(week, i)
            diary.append(DiaryEntry(d, m, a, b, c, leg(week, i), flags(week, i)))
    return diary
def show(title, profile, diary, today):
    a = adapt(profile, plan(profile), diary, today)
    w = a.weekly.copy(); w["reason"] = w["reason"].str.slice(0, 130)
    print("=" * 10, title, "| today", today, "| stopped" if a.stopped else "")
    print(w[["week","phase","total_minutes","load_kj","adjustment","reason"]].to_string(index=False))
BASE = ClientProfile(pain=Pain(pain_now=3), fitness=Fitness(walking_minutes_per_week=60, longest_walk_minutes=20), goal=Goal(start_date=START, weeks=8))
for p in (2, 5, 6, 8):
    show(f"intake 3, walks at {p}/10 during (after {p}, morning {min(p,4)})", BASE, follow(BASE, 3, pain=lambda w,i,p=p: (p,p,min(p,4))), day(21))
show("3 comfortable weeks, then 2 silent weeks", BASE, follow(BASE, 5, skip=(4,5)), day(35))
show("getting worse flag once, week 2", BASE, follow(BASE, 2, flags=lambda w,i: frozenset({GETTING_WORSE}) if (w,i)==(2,2) else frozenset()), day(14))
show("pain rising 2,3,4 in week 2", BASE, follow(BASE, 2, pain=lambda w,i: (2+i,2+i,2+i) if w==2 and i<3 else (2,2,2)), day(14))
chronic = ClientProfile(pain=Pain(pain_now=6), fitness=Fitness(walking_minutes_per_week=60, longest_walk_minutes=20), goal=Goal(start_date=START, weeks=8))
show("chronic usual 6 at 6", chronic, follow(chronic, 5, pain=lambda w,i: (6,6,6)), day(35))
flare = ClientProfile(pain=Pain(pain_now=7, in_flare=True), fitness=Fitness(walking_minutes_per_week=60, longest_walk_minutes=20), goal=Goal(start_date=START, weeks=8))
show("flare, usual 2, next-morning 6 in wk 6", flare, follow(flare, 6, pain=lambda w,i: (2,2,6 if w==6 else 2)), day(42))
sten = ClientProfile(pain=Pain(pain_now=4, condition="spinal_stenosis"), fitness=Fitness(walking_minutes_per_week=30, longest_walk_minutes=8), goal=Goal(start_date=START, weeks=8))
show("stenosis, legs ease with sitting every walk", sten, follow(sten, 4, leg=lambda w,i: LEGS_EASE_WITH_SITTING), day(28))
show("stenosis, spreading 2x week 1", sten, follow(sten, 1, leg=lambda w,i: "peripheralising" if i < 2 else "none"), day(10))
