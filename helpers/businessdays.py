"""Business days: weekends and the public holidays of the profile's country skipped."""

from __future__ import annotations

import datetime as dt
import functools

import holidays


class BusinessCalendar:
    """Working days for one country (and region), as the etiquette rules count them."""

    def __init__(self, country: str = "US", region: str = ""):
        self.country = country.upper()
        self.region = region.upper()
        try:
            self._holidays = holidays.country_holidays(self.country, subdiv=self.region or None)
        except NotImplementedError:
            raise ValueError(f"no public-holiday calendar for country {country!r}") from None

    def __repr__(self) -> str:
        where = f"{self.country}-{self.region}" if self.region else self.country
        return f"BusinessCalendar({where})"

    def holiday(self, day: dt.date) -> str | None:
        """The name of the public holiday on ``day``, if it is one."""
        return self._holidays.get(day)

    def is_business_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a public holiday."""
        return day.weekday() < 5 and day not in self._holidays

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
def calendar_for(country: str = "US", region: str = "") -> BusinessCalendar:
    """A shared calendar per country and region (holiday tables are built once)."""
    return BusinessCalendar(country, region)
