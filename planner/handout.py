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
import unicodedata
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from planner import evidence
from planner.plan import Plan
from planner.profile import PlannerInputError
from planner.progression import BASE, FLARE, HIKE, HIKE_ENTRY, HIKE_KIND, MICRO_WALK, PHASES, Session
from planner.safety import RED_FLAGS, Tier
from planner.schedule import Cue, session_cues
from planner.sources import SOURCES
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
    BASE: (76, 140, 191),
    HIKE_ENTRY: (110, 170, 110),
    HIKE: (46, 125, 70),
}
OTHER_PHASE_COLOUR = (150, 150, 150)
LIGHT_COLOURS = {"green": (46, 160, 67), "amber": (230, 160, 20), "red": (200, 40, 40)}
WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SOURCE_TAG = re.compile(r"\b(S\d{1,2}|NICE)\b")
SUB_BULLET = "– "
KG_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?) kg\b")


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

def phase_cues(plan: Plan) -> dict[str, list[Cue]]:
    """Each phase's cues once: those common to all its sessions, then "On hikes: …" (or walks,
    micro-walks) for cues common to all sessions of one kind but not to the whole phase.

    (Stand-in until ``planner.schedule`` offers per-phase cues.)
    """
    by_kind: dict[str, dict[str, list[Cue]]] = {}
    for week in plan.weeks:
        for session in week.sessions:
            cues = session_cues(plan.profile, session, week.phase)
            kinds = by_kind.setdefault(week.phase, {})
            kinds[session.kind] = [cue for cue in kinds.get(session.kind, cues) if cue in cues]
    result: dict[str, list[Cue]] = {}
    for phase, kinds in by_kind.items():
        common = [cue for cue in next(iter(kinds.values())) if all(cue in cues for cues in kinds.values())]
        extras = [(f"On {kind}s: {text[:1].lower()}{text[1:]}", source) for kind, cues in kinds.items()
                  for text, source in cues if (text, source) not in common]
        result[phase] = common + extras
    return result


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
    minutes = session.planned_minutes if session.status == "missed" and session.planned_minutes else session.minutes
    if session.bouts > 1:
        return f"{name} {minutes} min in {session.bouts} bouts"
    return f"{name} {minutes} min"


def week_what(sessions: tuple[Session, ...], start: dt.date) -> str:
    """A week's sessions in words, one line per alike group: "Walk 20 min: Mon, Wed", "Hike 45 min: Sat"."""
    groups: dict[str, list[str]] = {}
    for session in sorted(sessions, key=lambda s: s.day_offset):
        day = WEEKDAY_ABBREVIATIONS[(start + dt.timedelta(days=session.day_offset)).weekday()]
        if session.status == "missed":
            day += " (missed)"
        groups.setdefault(_session_name(session), []).append(day)
    return "\n".join(f"{name}: {', '.join(days)}" for name, days in groups.items()) or "Rest"


def week_where(sessions: tuple[Session, ...], units: str) -> str:
    """Where the week's sessions go: surface, hill grade and pack, per kind when they differ."""
    places: dict[str, list[str]] = {}
    for session in sessions:
        parts = [evidence.SURFACE_LABELS[session.surface]]
        if session.grade_percent > 0:
            parts.append(f"hills up to {session.grade_percent:g} %")
        if session.pack_kg > 0:
            parts.append(f"pack {MASS.to_display(session.pack_kg, units):g} {MASS.unit(units)}")
        place = ", ".join(parts)
        kind = "hikes" if session.kind == HIKE_KIND else "walks"
        if place not in places.setdefault(kind, []):
            places[kind].append(place)
    if len(places) == 1 or len({tuple(v) for v in places.values()}) == 1:
        return "\n".join(next(iter(places.values()), []))
    return "\n".join(f"{kind}: {' / '.join(where)}" for kind, where in places.items())


def traffic_light() -> list[tuple[str, str, list[str]]]:
    """The pain rules as (colour, heading, lines), in plain words with their sources (S1, S2, S11)."""
    during, after = evidence.PAIN_DURING_ACTIVITY_MAX, evidence.PAIN_AFTER_ACTIVITY_MAX
    green = [f"Pain during a walk stays at {during}/10 or less, is {after}/10 or less afterwards, is back to "
             "your usual level by the next morning, and is no worse than last week (S11).",
             "In a flare-up: a little pain is fine if it goes back to your usual level when you stop (S1).",
             "Pain moving toward the centre of your back is a good sign (S2)."]
    amber = [f"Pain above {during}/10 during a walk or above {after}/10 after it, not settled by the next "
             "morning, or worse than last week: repeat this week's walks, do not add (S11).",
             "Laid up afterwards or needing to lie down the rest of the day: that was too much (S1).",
             "Back off first with a slower pace, a flatter surface, a shorter walk; check posture, shoes and "
             "pack weight. Do not give up for mild pain (S1).",
             "Pain spreading down your leg: stop that walk and step back (S2)."]
    red = ["Stop walking and get help at once if any of these appear:"]
    wording = {Tier.EMERGENCY: "Go to A&E / the emergency department now",
               Tier.URGENT: "See a doctor today", Tier.REVIEW: "See a clinician soon"}
    for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.REVIEW):
        flags = [flag for flag in RED_FLAGS if flag.tier == tier]
        sources = sorted({tag.strip() for flag in flags for tag in flag.source.split(",")},
                         key=lambda tag: (not tag.startswith("S"), len(tag), tag))
        red.append(f"{wording[tier]} ({', '.join(sources)}) if:")
        red.extend(f"{SUB_BULLET}{flag.label}" for flag in flags)
    return [("green", "Green: carry on and build", green),
            ("amber", "Amber: hold", amber),
            ("red", "Red: stop and call", red)]


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
               height: float = LINE_MM, indent: float = 0.0) -> None:
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
TABLE_COLUMNS = (("Week", 12, "C"), ("Dates", 27, "L"), ("What", 62, "L"), ("Minutes", 17, "R"), ("Where", 64, "L"))
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
    cells = [_cell_lines(pdf, text, width - 2 * pad_x) for text, width in zip(texts, widths)]
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


def _week_table(pdf: FPDF, plan: Plan, units: str) -> None:
    """Week by week: a heading row (repeated on each page), a row per phase change, a row per week."""
    start = plan.profile.goal.start_date
    adjustments = dict(zip(plan.weekly["week"], plan.weekly["adjustment"]))
    share = pdf.epw / sum(column[1] for column in TABLE_COLUMNS)
    widths = [column[1] * share for column in TABLE_COLUMNS]
    aligns = [column[2] for column in TABLE_COLUMNS]

    def heading() -> None:
        _table_row(pdf, [column[0] for column in TABLE_COLUMNS], widths, aligns, TABLE_HEADING_FILL, style="B")

    heading()
    phase = None
    for week in plan.weeks:
        if week.phase != phase:
            phase = week.phase
            same = [w.index + 1 for w in plan.weeks if w.phase == phase]
            span = f"week {same[0]}" if len(same) == 1 else f"weeks {same[0]}–{same[-1]}"
            _table_row(pdf, [f"{_phase_label(phase)} ({span})"], [sum(widths)], ["C"], TABLE_PHASE_FILL,
                       style="B", on_new_page=heading)
        first = start + dt.timedelta(days=7 * week.index)
        what = week_what(week.sessions, first)
        adjustment = adjustments.get(week.index + 1, "")
        if adjustment and adjustment != "progress":
            what += f" [{adjustment}]"
        texts = [str(week.index + 1), f"{_short_date(first)} – {_short_date(first + dt.timedelta(days=6))}", what,
                 str(sum(session.minutes for session in week.sessions)), week_where(week.sessions, units)]
        _table_row(pdf, texts, widths, aligns, TABLE_STRIPE_FILL if week.index % 2 else None, on_new_page=heading)
    in_bouts = [s for week in plan.weeks for s in week.sessions if s.bouts > 1 and s.kind != MICRO_WALK]
    if in_bouts:
        pdf.ln(1)
        _paragraph(pdf, f"\u201cIn N bouts\u201d: walk up to {max(s.bout_minutes for s in in_bouts)} min at a "
                        f"time with {max(s.rest_minutes for s in in_bouts)} min standing between (S2).",
                   size=SMALL_PT, colour=MUTED)


def _traffic_light(pdf: FPDF) -> None:
    for colour, heading, lines in traffic_light():
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
    """Lines as bullets; lines starting with :data:`SUB_BULLET` one level in."""
    for line in lines:
        if line.startswith(SUB_BULLET):
            _paragraph(pdf, line, size=SMALL_PT + 0.5, height=4.0, indent=indent + 4)
        else:
            _paragraph(pdf, f"• {line}", size=SMALL_PT + 0.5, height=4.1, indent=indent)


def _sources(pdf: FPDF, tags: list[str]) -> None:
    _heading(pdf, "Sources", needed_mm=8 + 4 * len(tags))
    for tag in tags:
        _paragraph(pdf, f"{tag}  {SOURCES[tag]}", size=7.5, height=3.6, colour=MUTED)


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
        _boxed(pdf, "No walking plan: see a clinician first", (248, 215, 218), size=12, style="B")
        message = f"{verdict.message} Because you answered: {'; '.join(f.label for f in verdict.triggered)}."
        _boxed(pdf, message, (248, 215, 218))
        texts.append(message)
        pdf.ln(2)
        _boxed(pdf, plan.education_notice, (232, 236, 240), size=SMALL_PT)
        _heading(pdf, "Red flags: when to stop and get help")
        red = traffic_light()[-1][2]
        _bullets(pdf, red[1:], indent=0)
        texts.extend(red)
        _sources(pdf, cited_sources(texts))
        return bytes(pdf.output())

    _boxed(pdf, summary.text, (226, 238, 248), size=10, style="B")
    pdf.ln(1)
    if plan.safety.tier == Tier.REVIEW and plan.safety.triggered:
        review = (f"{plan.safety.message} Because you answered: "
                  f"{'; '.join(flag.label for flag in plan.safety.triggered)}.")
        _boxed(pdf, review, (255, 236, 200))
        texts.append(review)
        pdf.ln(1)
    _boxed(pdf, plan.education_notice, (232, 236, 240), size=SMALL_PT)

    _heading(pdf, "Walking minutes each week", needed_mm=50)
    _chart(pdf, plan)

    _heading(pdf, "Week by week", needed_mm=30)
    _week_table(pdf, plan, units)

    cues_by_phase = sorted(phase_cues(plan).items(), key=lambda item: PHASES.index(item[0]))
    first_block_mm = LINE_MM * (len(cues_by_phase[0][1]) + 2) if cues_by_phase else 0
    _heading(pdf, "Around each walk", needed_mm=12 + first_block_mm)  # with the first phase's cues
    for phase, cues in cues_by_phase:
        weeks = [week.index + 1 for week in plan.weeks if week.phase == phase]
        span = f"week {weeks[0]}" if len(weeks) == 1 else f"weeks {weeks[0]}–{weeks[-1]}"
        if pdf.get_y() + LINE_MM * (len(cues) + 2) > pdf.page_break_trigger:  # keep a phase's cues together
            pdf.add_page()
        _paragraph(pdf, f"{_phase_label(phase)} ({span})", size=BODY_PT, style="B")
        for text, source in cues:
            line = f"{in_units(text, units)} ({source})"
            texts.append(line)
            _paragraph(pdf, f"• {line}", size=SMALL_PT + 0.5, height=4.1, indent=3)
        pdf.ln(0.8)

    _heading(pdf, "Pain rules: a traffic light", needed_mm=40)
    for _, _, lines in traffic_light():
        texts.extend(lines)
    _traffic_light(pdf)

    _sources(pdf, cited_sources(texts))
    return bytes(pdf.output())
