"""Business days: weekends and the holidays that count in the profile's country skipped.

Which holidays count is a profile choice (``holiday_calendar``):

``employer`` (the default)
    the days most private employers close. In the United States that is the six
    holidays nearly every private employer gives as paid days off (New Year's Day,
    Memorial Day, Independence Day, Labor Day, Thanksgiving Day, Christmas Day, each
    on its observed weekday too); federal-only days (Veterans Day, Columbus Day…) and
    state holidays (Illinois' Election Day, Texas' state holidays…) are working days
    at most private employers, so they do not count. Elsewhere the public holidays
    of the country (and region) are days off by law for most employees, so they
    count; see :data:`EMPLOYER_HOLIDAYS` and the README's table.
``public``
    the country's (and region's) full public-holiday calendar, as the ``holidays``
    package has it.

A holiday that does not count is an ordinary business day: no reason shown to the
user ever names it.
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays

CALENDARS = ("employer", "public")
"""The holiday calendars a profile can choose."""

EMPLOYER_HOLIDAYS: dict[str, tuple[str, ...]] = {
    "US": (
        "New Year's Day",
        "Memorial Day",
        "Independence Day",
        "Labor Day",
        "Thanksgiving Day",
        "Christmas Day",
    ),
}
"""Per country, the holidays most private employers close on (names as the
``holidays`` package spells them; their "(observed)" days count too). A country
not listed here counts its public holidays (national and the profile's region)."""


class BusinessCalendar:
    """Working days for one country (and region), as the etiquette rules count them."""

    def __init__(self, country: str = "US", region: str = "", which: str = "employer"):
        self.country = country.upper()
        self.region = region.upper()
        if which not in CALENDARS:
            raise ValueError(f"holiday calendar {which!r} is not one of: {', '.join(CALENDARS)}")
        self.which = which
        try:
            self._all = holidays.country_holidays(self.country, subdiv=self.region or None)
        except NotImplementedError:
            raise ValueError(f"no public-holiday calendar for country {country!r}") from None
        self._names = (
            frozenset(EMPLOYER_HOLIDAYS[self.country])
            if which == "employer" and self.country in EMPLOYER_HOLIDAYS
            else None
        )
        self._cache: dict[dt.date, str | None] = {}

    def __repr__(self) -> str:
        where = f"{self.country}-{self.region}" if self.region else self.country
        return f"BusinessCalendar({where}, {self.which})"

    @property
    def counted(self) -> str:
        """Which holidays count, in a few words (for the rules' summary)."""
        where = f"{self.country}-{self.region}" if self.region else self.country
        if self._names is not None:
            listed = EMPLOYER_HOLIDAYS[self.country]
            return (
                f"the holidays most {self.country} private employers close ("
                + ", ".join(listed[:-1])
                + f" and {listed[-1]})"
            )
        return f"the public holidays of {where}"

    def holiday(self, day: dt.date) -> str | None:
        """The name of the holiday on ``day`` if it counts (a day off), else ``None``."""
        if day not in self._cache:
            self._cache[day] = self._counted(day)
        return self._cache[day]

    def _counted(self, day: dt.date) -> str | None:
        name = self._all.get(day)
        if not name or self._names is None:
            return name
        kept = [
            part
            for part in name.split("; ")
            if part.removesuffix(" (observed)").strip() in self._names
        ]
        return "; ".join(kept) or None

    def is_business_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a holiday that counts."""
        return day.weekday() < 5 and self.holiday(day) is None

    def add(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th business day after ``day`` (``n`` = 0: ``day`` or the next one)."""
        if n < 0:
            raise ValueError("n must be zero or more")
        current = day
        if n == 0:
            while not self.is_business_day(current):
                current += dt.timedelta(days=1)
            return current
        while n:
            current += dt.timedelta(days=1)
            if self.is_business_day(current):
                n -= 1
        return current

    def next_business_day(self, day: dt.date) -> dt.date:
        """The first business day after ``day``."""
        return self.add(day, 1)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Business days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
        count, current = 0, start
        while current < end:
            current += dt.timedelta(days=1)
            count += self.is_business_day(current)
        return count


@functools.cache
def calendar_for(
    country: str = "US", region: str = "", which: str = "employer"
) -> BusinessCalendar:
    """A shared calendar per country, region and choice of holidays (built once)."""
    return BusinessCalendar(country, region, which)
