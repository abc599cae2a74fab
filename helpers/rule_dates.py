"""The earliest polite date for a follow-up, in business days, and the words that
say why ("5 business days after the interview on Tue 24 Nov (Thanksgiving Day
skipped)"). :mod:`helpers.rules` decides each application's state with them.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

from helpers.businessdays import BusinessCalendar
from helpers.profile import Profile


class Earliest(NamedTuple):
    """The earliest polite date for a follow-up, and why it is that date."""

    on: dt.date
    reason: str


# What a rule counts business days after: ``{day}`` is that day (:func:`days_after`).
THE_INTERVIEW = "the interview on {day}"
THEIR_MESSAGE = "their message on {day} (answer it; a reply is answered, not followed up)"
YOUR_LAST_FOLLOW_UP = "your last follow-up, sent {day}"


def earliest_follow_up(
    latest_interview: dt.date,
    profile: Profile,
    *,
    decision_expected_on: dt.date | None = None,
    last_follow_up: dt.date | None = None,
    today: dt.date | None = None,
    calendar: BusinessCalendar | None = None,
    their_message: dt.date | None = None,
) -> Earliest:
    """The earliest polite date for the next follow-up, with the rule that sets it.

    The latest of: ``follow_up_after_business_days`` after the latest interview;
    ``follow_up_after_decision_business_days`` after the decision date they gave
    (if any); ``follow_up_spacing_business_days`` after the last sent follow-up (if
    any). The cap is not checked here (see :func:`follow_up_state`).

    Args:
        latest_interview: the day of the application's latest interview.
        profile: the rules' numbers and the holiday calendar.
        decision_expected_on: the date the employer said they would decide.
        last_follow_up: the day the latest follow-up was sent.
        today: only to word dates: the year is named when it differs from today's.
        calendar: the business-day calendar (default: ``profile.calendar()``).
        their_message: the day of the employer's latest reply after the interview:
            ``follow_up_after_business_days`` after it (a reply is answered, not
            followed up).

    Returns:
        The date and a phrase a person reads, e.g. "5 business days after the
        interview on Tue 24 Nov (Thanksgiving Day skipped)".
    """
    cal = calendar or profile.calendar()
    skipped = (
        cal.skipped if isinstance(cal, CachedCalendar) else functools.partial(holidays_skipped, cal)
    )
    rules = profile.rules
    ref = today or latest_interview

    def after(start: dt.date, n: int, what: str) -> tuple[dt.date, str]:
        on, why = days_after(cal, start, n, what, ref)
        return on, why + skipped(start, on)

    candidates = [after(latest_interview, rules.follow_up_after_business_days, THE_INTERVIEW)]
    if decision_expected_on is not None:
        n = rules.follow_up_after_decision_business_days
        on = cal.add(decision_expected_on, n)
        why = _after_decision_date(decision_expected_on, n, on, ref)
        candidates.append((on, why + skipped(decision_expected_on, on, n == 0)))
    if their_message is not None:
        candidates.append(after(their_message, rules.follow_up_after_business_days, THEIR_MESSAGE))
    if last_follow_up is not None:
        candidates.append(
            after(last_follow_up, rules.follow_up_spacing_business_days, YOUR_LAST_FOLLOW_UP)
        )
    return latest(candidates)


def days_after(cal, start: dt.date, n: int, what: str, today: dt.date) -> tuple[dt.date, str]:
    """The day ``n`` business days after ``start``, and "5 business days after ``what``"
    (``{day}`` in ``what`` is ``start``, worded by :func:`short_day`)."""
    return cal.add(start, n), f"{business_days(n)} after {what.format(day=short_day(start, today))}"


def _after_decision_date(decision: dt.date, n: int, on: dt.date, today: dt.date) -> str:
    given = f"the decision date they gave, {short_day(decision, today)}"
    if n == 0:
        return given if on == decision else f"the first business day from {given}"
    if n == 1:
        return f"the first business day after {given}"
    return f"{business_days(n)} after {given}"


def latest(candidates: list[tuple[dt.date, str]]) -> Earliest:
    """The latest of ``candidates`` (a date and why); on a tie the later one explains it."""
    on = max(day for day, _ in candidates)
    return Earliest(on, [why for day, why in candidates if day == on][-1])


class CachedCalendar:
    """A business calendar whose answers are remembered (many applications share dates)."""

    def __init__(self, calendar: BusinessCalendar):
        self.add = functools.cache(calendar.add)
        self.holiday = functools.cache(calendar.holiday)
        self.is_business_day = functools.cache(calendar.is_business_day)
        self.skipped = functools.cache(functools.partial(holidays_skipped, calendar))


@functools.lru_cache(maxsize=4096)
def short_day(day: dt.date, today: dt.date) -> str:
    """``Tue 24 Nov`` (with the year when it is not ``today``'s)."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def business_days(n: int) -> str:
    """``1 business day``, ``5 business days``."""
    return "1 business day" if n == 1 else f"{n} business days"


def holidays_skipped(cal, start: dt.date, end: dt.date, inclusive: bool = False) -> str:
    """`` (Thanksgiving Day skipped)``: weekday holidays after ``start`` up to ``end``."""
    day = start if inclusive else start + dt.timedelta(days=1)
    names: list[str] = []
    while day <= end:
        name = cal.holiday(day) if day.weekday() < 5 else None
        if name and name not in names:
            names.append(name)
        day += dt.timedelta(days=1)
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f" ({listed} skipped)"
