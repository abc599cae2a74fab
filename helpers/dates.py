"""Dates as the profile's locale writes them (Babel): "Tuesday, November 24" in the
US, "Tuesday, 24 November" in Britain; "today", "yesterday" or "on Thursday" only
within the past few days."""

from __future__ import annotations

import datetime as dt
import functools
import re


@functools.lru_cache(maxsize=64)
def english_locale(locale: str = "", country: str = "") -> str:
    """The English locale drafts write dates in: ``locale`` when it is English; else
    English as written in the locale's (or the country's) territory; else
    international English (``en_001``)."""
    from babel import Locale, UnknownLocaleError

    candidates = []
    if locale:
        try:
            parsed = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            parsed = None
        if parsed is not None:
            if parsed.language == "en":
                return str(parsed)
            if parsed.territory:
                candidates.append(f"en_{parsed.territory}")
    if country:
        candidates.append(f"en_{country.upper()}")
    for code in candidates:
        try:
            return str(Locale.parse(code))
        except (UnknownLocaleError, ValueError):
            continue
    return "en_001"


@functools.lru_cache(maxsize=4096)
def long_date(day: dt.date, locale: str = "en_US", with_year: bool = False) -> str:
    """``Tuesday, November 24`` (en_US), ``Tuesday, 24 November`` (en_GB); the year
    too when ``with_year``."""
    from babel import Locale
    from babel.dates import format_date

    pattern = Locale.parse(locale).date_formats["full"].pattern
    if not with_year:
        pattern = re.sub(r",?\s*y+", "", pattern).strip(" ,")
    return format_date(day, pattern, locale=locale)


RECENT_DAYS = 6
"""A day within this many days is named by its weekday alone ("on Thursday")."""


def when_held(day: dt.date, today: dt.date, locale: str = "en_US") -> str:
    """How a note written ``today`` names the day of an interview: ``today``,
    ``yesterday``, ``on Thursday`` within the past few days, else the full date
    (``on Thursday, November 19``)."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days <= RECENT_DAYS:
        return f"on {long_date(day, locale).split(',')[0].split(' ')[0]}"
    return f"on {long_date(day, locale, with_year=day.year != today.year)}"
