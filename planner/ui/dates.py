"""One date format on the page: "Tue 13 Jan 2026" (weekday, day, month, year), for the diary, the
messages and the engine's reasons (which carry ISO dates). Date boxes show the browser's own format."""

from __future__ import annotations

import datetime as dt
import re

ISO_DATE = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")


def day_text(day: dt.date, year: bool = True) -> str:
    """"Tue 13 Jan 2026" (``year=False``: "Tue 13 Jan", for a plan's table where the year is known)."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if year else "")


def dates_in_words(text: str) -> str:
    """``text`` with each ISO date (2026-01-13) written as :func:`day_text` does."""
    def word(match: re.Match) -> str:
        try:
            return day_text(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]
    return ISO_DATE.sub(word, text)
