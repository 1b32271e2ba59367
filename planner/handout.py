"""The client's take-home handout: the plan as a short PDF (bytes out, no file writes, no clock).

Drawn with fpdf2 (pure Python); the weekly-minutes chart uses fpdf2's own shapes, so no browser is
needed. Text is set in DejaVu Sans, shipped in ``planner/data/fonts`` cut down to Latin, Greek and
Cyrillic (licence beside it). Letters those fonts lack (Chinese, Japanese, Korean names) come from
Debian's ``fonts-droid-fallback`` when it is installed; without it they print as "?" and the
handout says which font to install.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
import unicodedata
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from planner import evidence
from planner.plan import Plan
from planner.profile import PlannerInputError
from planner.progression import (BASE, FLARE, HIKE, HIKE_ENTRY, HIKE_KIND, HOLD, MAINTENANCE, MICRO_WALK, MISSED,
                                 NOT_LOGGED, RAMP, STEP_BACK, WALK, Session)
from planner.safety import (RED_FLAGS, REVIEW_SOON_MEANING, TIER_HEADINGS, TIER_WORDS, Tier, leg_symptom_lines,
                            leg_symptom_rule)
from planner import schedule
from planner.schedule import CHECKS_CUE, HOLD_CUE, NOT_LOGGED_CUE, STEP_BACK_CUE, Cue, specific_cues
from planner.sources import SOURCES, without_source_tags
from planner.summary import plan_summary
from planner.units import MASS, SPEED, SYSTEMS

PAGE_SIZES = ("A4", "Letter")
FONT_DIR = Path(__file__).parent / "data" / "fonts"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
#: System fonts tried, in order, for letters the shipped fonts lack (Debian package in the comment).
FALLBACK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),  # fonts-droid-fallback
)
FALLBACK_FONT_PACKAGE = "fonts-droid-fallback"
MISSING_GLYPH = "?"

FAMILY = "DejaVu"
FALLBACK_FAMILY = "Fallback"
MARGIN_MM = 14.0
FOOTER_NAME_CHARS = 40
LINE_MM = 4.6
BODY_PT = 9.0
SMALL_PT = 8.0

INK = (33, 37, 41)
MUTED = (98, 106, 114)
RULE_GREY = (206, 212, 218)
PHASE_COLOURS = {
    FLARE: (231, 150, 94),
    RAMP: (240, 196, 140),
    BASE: (76, 140, 191),
    MAINTENANCE: (120, 120, 180),
    HIKE_ENTRY: (110, 170, 110),
    HIKE: (46, 125, 70),
}
OTHER_PHASE_COLOUR = (150, 150, 150)
LIGHT_COLOURS = {"green": (46, 160, 67), "amber": (230, 160, 20), "red": (200, 40, 40)}
WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SOURCE_TAG = re.compile(r"\b(S\d{1,2}|NICE|NHS)\b")
SUB_BULLET = "– "
KG_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?) kg\b")
NBSP = "\u00a0"  # keeps "5 %" and "4 kg" on one line in a table cell
KIND_PLURALS = {HIKE_KIND: "hikes", WALK: "walks", MICRO_WALK: "micro-walks"}


# --- Fonts ---------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _covered(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _fallback_font_file(text: str) -> Path | None:
    """The first installed fallback font with every letter of ``text`` the shipped font lacks."""
    missing = {ord(char) for char in text if unicodedata.category(char)[0] != "C"} - _covered(FONT_FILES[""])
    if not missing:
        return None
    for path in FALLBACK_FONT_FILES:
        if path.exists() and missing <= _covered(path):
            return path
    return None


def printable_name(name: str, fallback_font: Path | None) -> tuple[str, bool]:
    """``name`` without control characters and with letters no available font has replaced by ``?``;
    True if any were replaced."""
    covered = _covered(FONT_FILES[""]) | (_covered(fallback_font) if fallback_font else frozenset())
    visible = " ".join("".join(char for char in name if unicodedata.category(char)[0] != "C").split())
    shown = "".join(char if ord(char) in covered else MISSING_GLYPH for char in visible)
    return shown, shown != visible


# --- What goes on the page -----------------------------------------------------------------------

def _weeks_text(numbers: list[int]) -> str:
    """Week numbers as runs: "week 3", "weeks 1–4", "weeks 1–4, 9"."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(f"{run[0]}" if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)
    return f"week {text}" if len(numbers) == 1 or len(set(numbers)) == 1 else f"weeks {text}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def phase_cues(plan: Plan) -> dict[str, list[Cue]]:
    """Each phase's cues once, in plan order: the engine's per-phase cues
    (:func:`planner.schedule.phase_cues`) with the session cues (hills, pack, boots, micro-walks)
    that every session of the phase shares, then those of one kind only as "On hikes: …", or
    "On hikes from week N: …" / "On hikes in weeks a–b: …" when only some of them get it.

    Hold and step-back cues belong to weeks, not phases: the week table's notes carry them. How
    many walks a day is in the table too, so the per-session "N walks of M min" cue is left out.
    """
    result: dict[str, list[Cue]] = {}
    for phase, wide in schedule.phase_cues(plan).items():
        sessions = [(week.index + 1, session) for week in plan.weeks if week.phase == phase
                    for session in week.sessions]
        # Per cue: the (kind, week) of every session that gets it, in order of first appearance.
        holders: dict[Cue, list[tuple[str, int]]] = {}
        for number, session in sessions:
            shape = session if session.kind == MICRO_WALK else replace(session, bouts=1)
            for cue in specific_cues(plan.profile, shape):
                holders.setdefault(cue, []).append((session.kind, number))
        common = [cue for cue, held in holders.items() if len(held) == len(sessions)]
        extras: list[Cue] = []
        for cue, held in holders.items():
            if cue in common:
                continue
            for kind in dict.fromkeys(kind for kind, _ in held):
                kind_weeks = [number for number, session in sessions if session.kind == kind]
                cue_weeks = [number for other, number in held if other == kind]
                plural = KIND_PLURALS.get(kind, kind + "s")
                if len(cue_weeks) == len(kind_weeks):
                    label = f"On {plural}"
                elif len(cue_weeks) == sum(number >= min(cue_weeks) for number in kind_weeks):  # all from then on
                    label = f"On {plural} from week {min(cue_weeks)}"
                else:
                    label = f"On {plural} in {_weeks_text(cue_weeks)}"
                extras.append((f"{label}: {_lower_first(cue[0])}", cue[1]))
        # Where a session's cues go (before the cool-down and the log), as in the sessions table.
        result[phase] = wide[:-2] + common + wide[-2:] + extras
    return result


EVERY_WALK = "Every week of the plan"


def cue_blocks(plan: Plan) -> list[tuple[str, list[Cue]]]:
    """The cues as the handout prints them, each phase's once: with one phase, that phase's cues
    under its name and weeks; with more, the cues every phase shares once under :data:`EVERY_WALK`,
    then each phase's own ("Flare-up (week 1): also") in plan order."""
    by_phase = phase_cues(plan)
    spans = {phase: _weeks_text([week.index + 1 for week in plan.weeks if week.phase == phase])
             for phase in by_phase}
    if len(by_phase) == 1:
        return [(f"{_phase_label(phase)} ({spans[phase]})", cues) for phase, cues in by_phase.items()]
    lists = list(by_phase.values())
    shared = [cue for cue in lists[0] if all(cue in cues for cues in lists[1:])]
    blocks = [(EVERY_WALK, shared)] if shared else []
    for phase, cues in by_phase.items():
        own = [cue for cue in cues if cue not in shared]
        if own:
            blocks.append((f"{_phase_label(phase)} ({spans[phase]}){': also' if shared else ''}", own))
    return blocks


def terrain_steps(plan: Plan, units: str = "metric") -> dict[int, str]:
    """Week number -> the terrain change from the previous week with sessions of the same kind
    ("Step up: grade 5 → 7.5 %", "Easier: pack 4 → 0 kg"), read off the sessions themselves."""
    def terrain(sessions: list[Session]) -> tuple[str, float, float]:
        hardest = max(sessions, key=lambda s: (s.grade_percent, s.pack_kg, evidence.TERRAIN_FACTORS[s.surface]))
        return hardest.surface, hardest.grade_percent, hardest.pack_kg

    def mass(kg: float) -> str:
        return f"{MASS.to_display(kg, units):g}"

    steps: dict[int, str] = {}
    last: dict[str, tuple[str, float, float]] = {}
    for week in plan.weeks:
        changes = []
        for kind in dict.fromkeys(session.kind for session in week.sessions):
            now = terrain([session for session in week.sessions if session.kind == kind])
            before = last.get(kind)
            last[kind] = now
            if before is None or before == now:
                continue
            parts = []
            if before[1] != now[1]:
                parts.append(f"grade {before[1]:g} → {now[1]:g}{NBSP}%")
            if before[2] != now[2]:
                parts.append(f"pack {mass(before[2])} → {mass(now[2])}{NBSP}{MASS.unit(units)}")
            if before[0] != now[0]:
                parts.append(f"surface {evidence.SURFACE_LABELS[before[0]]} → {evidence.SURFACE_LABELS[now[0]]}")
            harder = (evidence.TERRAIN_FACTORS[now[0]] >= evidence.TERRAIN_FACTORS[before[0]]
                      and now[1] >= before[1] and now[2] >= before[2])
            prefix = "Step up" if harder else "Easier"
            who = "" if len(last) == 1 else f" ({KIND_PLURALS.get(kind, kind)})"
            changes.append(f"{prefix}{who}: {', '.join(parts)}")
        if changes:
            steps[week.index + 1] = "\n".join(changes)
    return steps


def _phase_label(phase: str) -> str:
    return phase[:1].upper() + phase[1:]


def _short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _session_name(session: Session) -> str:
    if session.kind == MICRO_WALK:
        return f"Micro-walks {session.bouts}×{session.bout_minutes} min"
    name = "Hike" if session.kind == HIKE_KIND else "Walk"
    # A missed session reads as what was planned ("Walk 10 min: Sat (missed)"), not as "Walk 0 min".
    minutes = session.planned_minutes if session.status == MISSED and session.planned_minutes else session.minutes
    if session.bouts > 1 and session.rest_minutes:
        return f"{name} {minutes} min in {session.bouts} bouts"
    if session.bouts > 1:  # spread over the day (the ramp out of a flare-up: S2, S4)
        if minutes == session.bouts * session.bout_minutes:
            return f"{session.bouts} {name.lower()}s of {session.bout_minutes} min"
        return f"{session.bouts} {name.lower()}s, {minutes} min in all"
    return f"{name} {minutes} min"


def week_what(sessions: tuple[Session, ...], start: dt.date) -> str:
    """A week's sessions in words, one line per alike group: "Walk 20 min: Mon, Wed", "Hike 45 min: Sat";
    days the diary shows missed or not logged say so: "Walk 10 min: Mon (missed); Tue, Wed (not logged)"."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for session in sorted(sessions, key=lambda s: s.day_offset):
        day = WEEKDAY_ABBREVIATIONS[(start + dt.timedelta(days=session.day_offset)).weekday()]
        status = session.status if session.status in (MISSED, NOT_LOGGED) else ""
        groups.setdefault(_session_name(session), []).append((day, status))
    lines = []
    for name, days in groups.items():
        runs: list[tuple[str, list[str]]] = []  # days in a row with the same status
        for day, status in days:
            if runs and runs[-1][0] == status:
                runs[-1][1].append(day)
            else:
                runs.append((status, [day]))
        lines.append(f"{name}: " + "; ".join(", ".join(run) + (f" ({status})" if status else "")
                                           for status, run in runs))
    return "\n".join(lines) or "Rest"


def week_where(sessions: tuple[Session, ...], units: str) -> str:
    """Where the week's sessions go: surface, hill grade and pack, per kind when they differ."""
    places: dict[str, list[str]] = {}
    for session in sessions:
        parts = [evidence.SURFACE_LABELS[session.surface]]
        if session.grade_percent > 0:
            parts.append(f"hills up to {session.grade_percent:g}{NBSP}%")
        if session.pack_kg > 0:
            parts.append(f"pack {MASS.to_display(session.pack_kg, units):g}{NBSP}{MASS.unit(units)}")
        place = ", ".join(parts)
        kind = "hikes" if session.kind == HIKE_KIND else "walks"
        if place not in places.setdefault(kind, []):
            places[kind].append(place)
    if len(places) == 1 or len({tuple(v) for v in places.values()}) == 1:
        return "\n".join(next(iter(places.values()), []))
    return "\n".join(f"{kind}: {' / '.join(where)}" for kind, where in places.items())


def traffic_light(condition: str = "none") -> list[tuple[str, str, list[str]]]:
    """The pain rules as (colour, heading, lines), in plain words with their sources (S1, S2, S11; the
    drawing takes the tags out): leg symptoms read for ``condition`` (:func:`planner.safety.leg_symptom_rule`),
    review answers under amber, emergency and urgent ones under red, each under its tier's heading."""
    during, after = evidence.PAIN_DURING_ACTIVITY_MAX, evidence.PAIN_AFTER_ACTIVITY_MAX
    legs = leg_symptom_lines(condition)
    green = [f"Pain during a walk stays at {during}/10 or less, is {after}/10 or less afterwards, is back to "
             "your usual level by the next morning, and is no worse than last week (S11).",
             "In a flare-up: a little pain is fine if it goes back to your usual level when you stop (S1)."]
    green += [f"{words}: {rule.action} ({rule.source})." for words, rule in legs
              if rule.tier == Tier.NONE]
    amber = [f"Pain above {during}/10 during a walk or above {after}/10 after it, not settled by the next "
             "morning, or worse than last week: repeat this week's walks, do not add (S11).",
             "Laid up afterwards or needing to lie down the rest of the day: that was too much (S1).",
             "Back off first with a slower pace, a flatter surface, a shorter walk; check posture, shoes and "
             "pack weight. Do not give up for mild pain (S1)."]
    amber += [f"{words}: {rule.action} [{TIER_WORDS[rule.tier]}] ({rule.source})." for words, rule in legs
              if rule.tier == Tier.REVIEW]
    amber.append(f"{TIER_HEADINGS[Tier.REVIEW]} ({_tags_of([f for f in RED_FLAGS if f.tier == Tier.REVIEW])}):")
    amber.extend(f"{SUB_BULLET}{flag.label}" for flag in RED_FLAGS if flag.tier == Tier.REVIEW)
    amber.append(REVIEW_SOON_MEANING)
    red = ["Stop walking and get help at once if any of these appear:"]
    for tier in (Tier.EMERGENCY, Tier.URGENT):
        flags = [flag for flag in RED_FLAGS if flag.tier == tier]
        red.append(f"{TIER_HEADINGS[tier]} ({_tags_of(flags)}):")
        red.extend(f"{SUB_BULLET}{flag.label}" for flag in flags)
    return [("green", "Green: carry on and build", green),
            ("amber", "Amber: hold, and see a clinician soon", amber),
            ("red", "Red: stop and call", red)]


def _tags_of(flags) -> str:
    sources = sorted({tag.strip() for flag in flags for tag in flag.source.split(",")},
                     key=lambda tag: (not tag.startswith("S"), len(tag), tag))
    return ", ".join(sources)


def in_units(text: str, units: str) -> str:
    """``text`` with its masses ("4.5 kg") in ``units`` (the cues are written in metric)."""
    if units == "metric":
        return text
    return KG_IN_TEXT.sub(lambda match: f"{MASS.to_display(float(match.group(1)), units):g} {MASS.unit(units)}",
                          text)


def cited_sources(texts: list[str]) -> list[str]:
    """The source tags (S1…) cited in ``texts``, in number order."""
    tags = {match for text in texts for match in SOURCE_TAG.findall(text)}
    return [tag for tag in SOURCES if tag in tags]


# --- Drawing -------------------------------------------------------------------------------------

class _Handout(FPDF):
    footer_text = ""
    has_fallback_font = False

    def name_fonts(self, on: bool) -> None:
        """Let the fallback font fill in letters (only around the client's name: checking every
        letter of the whole handout against it would double the time)."""
        if self.has_fallback_font:
            self.set_fallback_fonts([FALLBACK_FAMILY] if on else [], exact_match=False)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*MUTED)
        self.name_fonts(True)
        self.cell(0, 4, f"{self.footer_text} · page {self.page_no()} of {{nb}}", align="C")
        self.name_fonts(False)


def _new_document(page_size: str, name: str, fallback_font: Path | None, created: dt.datetime) -> _Handout:
    pdf = _Handout(orientation="portrait", unit="mm", format=page_size)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=14)
    for style, path in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(path))
    if fallback_font is not None:
        pdf.add_font(FALLBACK_FAMILY, "", str(fallback_font))
        pdf.has_fallback_font = True
    pdf.set_creation_date(created)
    pdf.set_title(f"Walking plan: {name}" if name else "Walking plan")
    pdf.set_author("Trailback")
    pdf.set_creator("Trailback")
    short_name = name if len(name) <= FOOTER_NAME_CHARS else name[:FOOTER_NAME_CHARS - 1] + "…"
    pdf.footer_text = f"Trailback{' · ' + short_name if name else ''} · education, not diagnosis"
    pdf.add_page()
    pdf.set_text_color(*INK)
    return pdf


def _paragraph(pdf: FPDF, text: str, size: float = BODY_PT, style: str = "", colour=INK,
               height: float = LINE_MM, indent: float = 0.0, tags: bool = False) -> None:
    """A paragraph; source tags are taken out (the sources list at the end, ``tags=True``, keeps them)."""
    text = text if tags else without_source_tags(text)
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def _heading(pdf: FPDF, text: str, needed_mm: float = 20.0) -> None:
    if pdf.get_y() + needed_mm > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(2.5)
    _paragraph(pdf, text, size=11.5, style="B", height=6)
    pdf.ln(0.5)


def _boxed(pdf: FPDF, text: str, fill: tuple[int, int, int], size: float = BODY_PT, style: str = "") -> None:
    text = without_source_tags(text)
    pdf.set_font(FAMILY, style, size)
    pdf.set_fill_color(*fill)
    pdf.multi_cell(pdf.epw, LINE_MM + 0.4, text, align="L", fill=True, padding=(1.6, 2.5),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _chart(pdf: FPDF, plan: Plan) -> None:
    """Weekly walking minutes as bars coloured by phase, with a minutes axis and a phase legend."""
    totals = [sum(session.minutes for session in week.sessions) for week in plan.weeks]
    phases = [week.phase for week in plan.weeks]
    height, axis_w = 34.0, 10.0
    left, top = pdf.l_margin + axis_w, pdf.get_y() + 2
    width = pdf.epw - axis_w
    top_minutes = max(max(totals, default=0), 1)
    step = next(s for s in (10, 20, 30, 50, 60, 100, 120, 150, 200, 300, 500, 1000, 2000) if top_minutes / s <= 5)
    scale_top = -(-top_minutes // step) * step
    pdf.set_font(FAMILY, "", 6.5)
    pdf.set_text_color(*MUTED)
    pdf.set_draw_color(*RULE_GREY)
    pdf.set_line_width(0.15)
    for tick in range(0, scale_top + 1, step):
        y = top + height - tick / scale_top * height
        pdf.line(left, y, left + width, y)
        pdf.set_xy(pdf.l_margin, y - 1.5)
        pdf.cell(axis_w - 1.2, 3, str(tick), align="R")
    slot = width / max(len(totals), 1)
    bar = slot * 0.72
    label_every = 1 if len(totals) <= 20 else 2 if len(totals) <= 30 else 4
    for index, (minutes, phase) in enumerate(zip(totals, phases)):
        x = left + index * slot + (slot - bar) / 2
        bar_height = minutes / scale_top * height
        pdf.set_fill_color(*PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR))
        if bar_height > 0:
            pdf.rect(x, top + height - bar_height, bar, bar_height, style="F")
        if index % label_every == 0 or index == len(totals) - 1:
            pdf.set_xy(x - 2, top + height + 0.6)
            pdf.cell(bar + 4, 3, str(index + 1), align="C")
    # Legend: the phases the plan uses, in plan order, after the week axis label.
    y = top + height + 4.4
    pdf.set_xy(left, y)
    pdf.cell(10, 3, "week", align="L")
    x = left + 14
    for phase in dict.fromkeys(phases):
        pdf.set_fill_color(*PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR))
        pdf.rect(x, y + 0.5, 2.4, 2.4, style="F")
        pdf.set_xy(x + 3.2, y)
        label = _phase_label(phase)
        pdf.cell(pdf.get_string_width(label) + 1, 3, label)
        x += 3.2 + pdf.get_string_width(label) + 6
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin, y + 5)


#: The week table's columns: heading, share of the page width, alignment.
TABLE_COLUMNS = (("Week", 12, "C"), ("Dates", 27, "L"), ("What", 57, "L"), ("Minutes", 16, "R"), ("Where", 70, "L"))
TABLE_LINE_MM = 3.6
TABLE_PAD_MM = (0.9, 1.2)  # top/bottom, left/right
TABLE_HEADING_FILL = (222, 228, 234)
TABLE_PHASE_FILL = (236, 240, 244)
TABLE_STRIPE_FILL = (248, 249, 251)


def _cell_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` as the lines it takes in a column ``width`` mm wide (its own line breaks kept)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if pdf.get_string_width(line) <= width:
            lines.append(line)
        else:
            lines.extend(pdf.multi_cell(width, TABLE_LINE_MM, line, dry_run=True, output="LINES"))
    return lines


def _table_row(pdf: FPDF, texts: list[str], widths: list[float], aligns: list[str],
               fill: tuple[int, int, int] | None, style: str = "", on_new_page=None) -> None:
    """One table row of wrapped cells, drawn line by line (much faster than fpdf2's table for a year
    of weeks); starts a new page, with ``on_new_page`` (the heading), when the row would not fit."""
    pad_y, pad_x = TABLE_PAD_MM
    pdf.set_font(FAMILY, style, SMALL_PT)
    cells = [_cell_lines(pdf, without_source_tags(text), width - 2 * pad_x) for text, width in zip(texts, widths)]
    height = max(len(lines) for lines in cells) * TABLE_LINE_MM + 2 * pad_y
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
        if on_new_page is not None:
            on_new_page()
        pdf.set_font(FAMILY, style, SMALL_PT)
    x, y = pdf.l_margin, pdf.get_y()
    if fill is not None:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, sum(widths), height, style="F")
    for lines, width, align in zip(cells, widths, aligns):
        for number, line in enumerate(lines):
            pdf.set_xy(x + pad_x, y + pad_y + number * TABLE_LINE_MM)
            pdf.cell(width - 2 * pad_x, TABLE_LINE_MM, line, align=align)
        x += width
    pdf.set_draw_color(*RULE_GREY)
    pdf.set_line_width(0.15)
    pdf.line(pdf.l_margin, y + height, pdf.l_margin + sum(widths), y + height)
    pdf.set_xy(pdf.l_margin, y + height)


#: What a week marked "[hold]" or "[step back]" is, in one line for the client.
ADJUSTMENT_MEANINGS = {
    HOLD: "a hold week: your diary showed pain over the limits (or not settled), so the plan pauses here:",
    STEP_BACK: "a step-back week: pain went over the limits again, so the plan eases off for a week:",
}


def table_notes(plan: Plan) -> list[str]:
    """The notes under the week table for what its rows use: walks in bouts, missed and not-logged
    days, hold and step-back weeks (with S1's checks), each with its source."""
    sessions = [session for week in plan.weeks for session in week.sessions]
    notes = []
    in_bouts = [s for s in sessions if s.bouts > 1 and s.rest_minutes and s.kind != MICRO_WALK]
    if in_bouts:
        notes.append(f"\u201cIn N bouts\u201d: walk up to {max(s.bout_minutes for s in in_bouts)} min at a time "
                     f"with {max(s.rest_minutes for s in in_bouts)} min standing between (S2).")
    spread = [s for s in sessions if s.bouts > 1 and not s.rest_minutes and s.kind != MICRO_WALK]
    if spread:
        notes.append(f"\u201c{_session_name(spread[0])}\u201d: that many short walks that day, spread over the "
                     "day (S2, S4).")
    if any(s.status == MISSED for s in sessions):
        notes.append("\u201c(missed)\u201d: your diary says you did not walk that day; the plan was adjusted to it.")
    if any(s.status == NOT_LOGGED for s in sessions):
        rule = NOT_LOGGED_CUE.split(": ", 1)[-1]
        notes.append(f"\u201c(not logged)\u201d: a past day with no diary entry, not a missed walk: {rule}.")
    adjustments = {week.adjustment for week in plan.weeks}
    for adjustment, (text, source) in ((HOLD, HOLD_CUE), (STEP_BACK, STEP_BACK_CUE)):
        if adjustment in adjustments:  # the cue in plain words: what the week is, then what to do
            notes.append(f"[{adjustment}]: {ADJUSTMENT_MEANINGS[adjustment]} {text.split(': ', 1)[-1]} ({source}). "
                         f"{CHECKS_CUE[0]} ({CHECKS_CUE[1]}).")
    if terrain_steps(plan):
        notes.append("\u201cStep up\u201d: one thing gets harder at a time (hill grade, pack or surface), with the "
                     "minutes held that week, or shorter where the harder ground alone would raise the load more "
                     "than the weekly cap (S1: increase difficulty gradually).")
    check_ins = [int(week) for week in plan.weekly.loc[plan.weekly["check_in"], "week"]] if plan.weeks else []
    if check_ins:
        notes.append(f"Check in with your clinician at the start of {_weeks_text(check_ins)} (S6: WalkBack's physiotherapist sessions over six months).")
    return notes


def _week_table(pdf: FPDF, plan: Plan, units: str) -> list[str]:
    """Week by week: a heading row (repeated on each page), a row per phase change, a row per week,
    then the notes for what the rows use (returned, for the sources list)."""
    start = plan.profile.goal.start_date
    adjustments = dict(zip(plan.weekly["week"], plan.weekly["adjustment"]))
    share = pdf.epw / sum(column[1] for column in TABLE_COLUMNS)
    widths = [column[1] * share for column in TABLE_COLUMNS]
    # A plan on one surface ("treadmill") leaves the Where column mostly empty: give the room to What.
    steps = terrain_steps(plan, units)
    pdf.set_font(FAMILY, "", SMALL_PT)
    where_lines = {line for week in plan.weeks for line in
                   (week_where(week.sessions, units) + "\n" + steps.get(week.index + 1, "")).split("\n")}
    where_needed = max((pdf.get_string_width(line) for line in where_lines), default=0) + 2 * TABLE_PAD_MM[1] + 1
    spare = widths[-1] - max(where_needed, len("Where") * 2.5)
    if spare > 0:
        widths[-1] -= spare
        widths[2] += spare
    aligns = [column[2] for column in TABLE_COLUMNS]

    def heading() -> None:
        _table_row(pdf, [column[0] for column in TABLE_COLUMNS], widths, aligns, TABLE_HEADING_FILL, style="B")

    heading()
    phase = None
    for week in plan.weeks:
        if week.phase != phase:
            phase = week.phase
            span = _weeks_text([w.index + 1 for w in plan.weeks if w.phase == phase])
            _table_row(pdf, [f"{_phase_label(phase)} ({span})"], [sum(widths)], ["C"], TABLE_PHASE_FILL,
                       style="B", on_new_page=heading)
        first = start + dt.timedelta(days=7 * week.index)
        what = week_what(week.sessions, first)
        adjustment = adjustments.get(week.index + 1, "")
        if adjustment and adjustment != "progress":
            what += f" [{adjustment}]"
        where = week_where(week.sessions, units)
        if week.index + 1 in steps:
            where += "\n" + steps[week.index + 1]
        texts = [str(week.index + 1), f"{_short_date(first)} – {_short_date(first + dt.timedelta(days=6))}", what,
                 str(sum(session.minutes for session in week.sessions)), where]
        _table_row(pdf, texts, widths, aligns, TABLE_STRIPE_FILL if week.index % 2 else None, on_new_page=heading)
    notes = table_notes(plan)
    if notes:
        pdf.ln(1)
    for note in notes:
        _paragraph(pdf, note, size=SMALL_PT, colour=MUTED, height=3.8)
    return notes


def _traffic_light(pdf: FPDF, condition: str = "none") -> None:
    for colour, heading, lines in traffic_light(condition):
        needed = 6 + LINE_MM * (min(len(lines), 4) + 1)  # a long list may go on over the page
        if pdf.get_y() + needed > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_fill_color(*LIGHT_COLOURS[colour])
        pdf.circle(pdf.l_margin + 2.6, y + 2.9, 2.4, style="F")
        pdf.set_xy(pdf.l_margin + 7, y)
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(0, 5.8, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _bullets(pdf, lines, indent=7)
        pdf.ln(1.2)


def _bullets(pdf: FPDF, lines: list[str], indent: float) -> None:
    """Lines as bullets; lines starting with :data:`SUB_BULLET` one level in. A bullet and its
    sub-bullets (a tier's heading and its answers) stay on one page when they fit on one."""
    groups: list[list[str]] = []
    for line in lines:
        if line.startswith(SUB_BULLET) and groups:
            groups[-1].append(line)
        else:
            groups.append([line])
    for group in groups:
        pdf.set_font(FAMILY, "", SMALL_PT + 0.5)
        height = sum(4.1 * len(pdf.multi_cell(pdf.epw - indent - 4, 4.1, without_source_tags(line), dry_run=True,
                                              output="LINES")) for line in group)
        if len(group) > 1 and pdf.get_y() + height > pdf.page_break_trigger and height < pdf.page_break_trigger - pdf.t_margin:
            pdf.add_page()
        _bullet_lines(pdf, group, indent)


def _bullet_lines(pdf: FPDF, lines: list[str], indent: float) -> None:
    for line in lines:
        if line.startswith(SUB_BULLET):
            _paragraph(pdf, line, size=SMALL_PT + 0.5, height=4.0, indent=indent + 4)
        else:
            _paragraph(pdf, f"• {line}", size=SMALL_PT + 0.5, height=4.1, indent=indent)


SOURCES_INTRO = "Where the advice in this handout comes from (your coach's page cites them by these codes):"
SOURCE_LINE_MM = 3.6


def _sources(pdf: FPDF, tags: list[str]) -> None:
    """The sources, in one list at the end, kept on one page when it fits on one (no page holding
    only its last line or two)."""
    pdf.set_font(FAMILY, "", 7.5)
    lines = sum(len(pdf.multi_cell(pdf.epw, SOURCE_LINE_MM, f"{tag}  {SOURCES[tag]}", dry_run=True, output="LINES"))
                for tag in tags)
    needed = 8 + 6 + SOURCE_LINE_MM * (lines + 2)
    fits_on_a_page = needed < pdf.page_break_trigger - pdf.t_margin
    _heading(pdf, "Sources", needed_mm=needed if fits_on_a_page else 8 + 4 * 4)
    _paragraph(pdf, SOURCES_INTRO, size=7.5, height=SOURCE_LINE_MM, colour=MUTED)
    pdf.set_font(FAMILY, "", 7.5)
    for tag in tags:
        text = f"{tag}  {SOURCES[tag]}"
        count = len(pdf.multi_cell(pdf.epw, SOURCE_LINE_MM, text, dry_run=True, output="LINES"))
        if pdf.get_y() + count * SOURCE_LINE_MM > pdf.page_break_trigger:  # a source is never split over two pages
            pdf.add_page()
        _paragraph(pdf, text, size=7.5, height=SOURCE_LINE_MM, colour=MUTED, tags=True)


#: The stopped plan's heading, by tier (the words of :data:`planner.safety.TIER_HEADINGS`).
STOPPED_HEADINGS = {Tier.EMERGENCY: "Call 999 or go to A&E now.",
                    Tier.URGENT: "See a doctor today (an urgent GP appointment, or NHS 111)."}


def handout_pdf(plan: Plan, units: str = "metric", page_size: str = "A4") -> bytes:
    """The plan as a PDF handout for the client (``units``: "metric" or "imperial"; ``page_size``:
    "A4" or "Letter"): name and start date, the one-line summary, a weekly-minutes chart, the
    week-by-week table, each phase's cues once, the pain rules as a traffic light with the red
    flags, the notice that this is education, not diagnosis, and the sources cited. A plan stopped
    by a red flag gets a page that says to see a clinician and lists no sessions.
    """
    if not isinstance(plan, Plan):
        raise PlannerInputError("plan", "a Plan from planner.plan", type(plan).__name__)
    if units not in SYSTEMS:
        raise PlannerInputError("units", " or ".join(SYSTEMS), repr(units))
    if page_size not in PAGE_SIZES:
        raise PlannerInputError("page_size", " or ".join(PAGE_SIZES), repr(page_size))
    profile = plan.profile
    fallback_font = _fallback_font_file(profile.name)
    name, name_cut = printable_name(profile.name.strip(), fallback_font)
    created = dt.datetime.combine(profile.goal.start_date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    pdf = _new_document(page_size, name, fallback_font, created)
    # Everything that cites a source, for the sources list: the handout's own text, and the notes
    # and session sources the plan rests on.
    texts: list[str] = list(plan.notes) + list(dict.fromkeys(plan.walking_sessions["sources"]))

    # Title, who and when, units.
    pdf.name_fonts(True)
    _paragraph(pdf, f"Walking plan for {name}" if name else "Walking plan", size=17, style="B", height=8)
    pdf.name_fonts(False)
    if name_cut:
        _paragraph(pdf, f"Some letters of the name cannot be shown: this computer has no font for them "
                        f"(install Debian's {FALLBACK_FONT_PACKAGE}).", size=7.5, colour=MUTED)
    summary = plan_summary(plan)
    start = profile.goal.start_date
    when = f"Starts {_long_date(start)}"
    if plan.weeks:
        when += f", ends {_long_date(start + dt.timedelta(days=7 * len(plan.weeks) - 1))}"
    speed = f"{SPEED.to_display(profile.fitness.speed_kmh, units):g} {SPEED.unit(units)}"
    unit_words = "metric (kg, km/h)" if units == "metric" else "imperial (lb, mph)"
    pace = "" if plan.stopped else f" Your usual pace: {speed}."
    _paragraph(pdf, f"{when}.{pace} Units: {unit_words}.", colour=MUTED)
    pdf.ln(1.5)

    if plan.stopped:
        verdict = plan.safety
        _boxed(pdf, f"No walking plan: see a clinician first. {STOPPED_HEADINGS[verdict.tier]}", (248, 215, 218),
               size=12, style="B")
        message = verdict.note
        _boxed(pdf, message, (248, 215, 218))
        texts.append(message)
        pdf.ln(2)
        _boxed(pdf, plan.education_notice, (232, 236, 240), size=SMALL_PT)
        _heading(pdf, "Red flags: when to stop and get help")
        lights = traffic_light(profile.pain.condition)
        amber = lights[1][2]
        review = amber[next(i for i, line in enumerate(amber) if line.startswith(TIER_HEADINGS[Tier.REVIEW])):]
        red = lights[-1][2][1:] + [line for line in review if line != REVIEW_SOON_MEANING]  # no walking here
        _bullets(pdf, red, indent=0)
        texts.extend(red)
        _sources(pdf, cited_sources(texts))
        return bytes(pdf.output())

    _boxed(pdf, summary.text, (226, 238, 248), size=10, style="B")
    pdf.ln(1)
    if plan.safety.tier == Tier.REVIEW and plan.safety.triggered:
        review = plan.safety.note
        _boxed(pdf, f"{review}\n{REVIEW_SOON_MEANING}", (255, 236, 200))
        texts.append(review)
        pdf.ln(1)
    _boxed(pdf, plan.education_notice, (232, 236, 240), size=SMALL_PT)

    _heading(pdf, "Walking minutes each week", needed_mm=50)
    _chart(pdf, plan)

    _heading(pdf, "Week by week", needed_mm=30)
    texts.extend(_week_table(pdf, plan, units))

    blocks = cue_blocks(plan)
    first_block_mm = LINE_MM * (len(blocks[0][1]) + 2) if blocks else 0
    _heading(pdf, "Around each walk", needed_mm=12 + first_block_mm)  # with the first block's cues
    for title, cues in blocks:
        if pdf.get_y() + LINE_MM * (len(cues) + 2) > pdf.page_break_trigger:  # keep a block's cues together
            pdf.add_page()
        _paragraph(pdf, title, size=BODY_PT, style="B")
        for text, source in cues:
            line = f"{in_units(text, units)} ({source})"
            texts.append(line)
            _paragraph(pdf, f"• {line}", size=SMALL_PT + 0.5, height=4.1, indent=3)
        pdf.ln(0.8)

    _heading(pdf, "Pain rules: a traffic light", needed_mm=40)
    for _, _, lines in traffic_light(profile.pain.condition):
        texts.extend(lines)
    _traffic_light(pdf, profile.pain.condition)

    _sources(pdf, cited_sources(texts))
    return bytes(pdf.output())
