"""Pay research: similar positions on a yearly basis, their statistics, and what to ask for.

Every comparable (a ``comps`` row) is put on a yearly basis — hourly pay × 2080
hours (40 hours × 52 weeks), monthly pay × 12 — and counted once, at the middle of
its range (or at the one figure given). Statistics are per currency: amounts in
different currencies are never averaged together or converted. With fewer than
:data:`MIN_COMPARABLES` comparables in a currency the workbook shows the range seen
and says it is too few, rather than inventing percentiles.

The module is pure apart from :func:`add_comparable`: it takes tables and returns
numbers, sentences and a chart.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from helpers.errors import FieldErrors
from helpers.schema import PAY_PERIODS
from helpers.store import Workspace
from helpers.validate import CURRENCY

PER_YEAR = {"year": 1, "month": 12, "hour": 2080}
"""How many of each period make a year: 12 months; 40 hours × 52 weeks = 2080 hours."""

MIN_COMPARABLES = 5
"""Comparables needed in a currency before percentiles and a suggested range are shown."""

ROUND_TO = 500
"""The suggested floor and ask are rounded to this step: numbers you can say out loud."""

BASIS = (
    "All pay is shown per year: hourly pay × 2080 (40 hours × 52 weeks), monthly pay × 12. "
    "Each similar position counts once, at the middle of its range (or its one figure); "
    "low and high are the lowest and highest figures posted. Percentiles interpolate "
    "linearly between positions. Currencies are never mixed: each has its own statistics. "
    "An application's own posted range is taken as yearly."
)
"""The basis of every figure, stated wherever the statistics are shown."""

STAT_COLUMNS = ["currency", "count", "low", "p25", "median", "p75", "high"]


# -- amounts ---------------------------------------------------------------------

_AMOUNT = re.compile(
    r"""^\s*(?P<cur1>[A-Za-z]{3}(?=[\s\d$€£¥]))?\s*[$€£¥]?\s*
        (?P<num>\d[\d,\s\u00a0\u202f']*(?:\.\d+)?)\s*(?P<mult>[kKmM])?\s*
        (?P<cur2>[A-Za-z]{3})?\s*
        (?:(?:/|per|a|an|each)\s*(?P<period>year|yr|annum|month|mo|hour|hr|h)\b\.?)?
        \s*$""",
    re.VERBOSE,
)
_PERIODS = {
    "year": "year",
    "yr": "year",
    "annum": "year",
    "month": "month",
    "mo": "month",
    "hour": "hour",
    "hr": "hour",
    "h": "hour",
}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}


@dataclass(frozen=True)
class Money:
    """An amount of pay in one currency per one period."""

    amount: float
    currency: str
    period: str = "year"

    @property
    def yearly(self) -> float:
        """The amount on a yearly basis."""
        return self.amount * PER_YEAR[self.period]

    def text(self) -> str:
        """``105000 USD per year``: how a target is written, and read back."""
        return f"{plain(self.amount)} {self.currency} per {self.period}"


def plain(amount: float) -> str:
    """An amount as the contract stores it: digits, a decimal point only if needed."""
    if float(amount).is_integer():
        return str(int(amount))
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def parse_amount(text: str) -> float:
    """A number as people type pay: ``85000``, ``85,000``, ``85k``, ``$85 000``, ``1.2m``.

    Raises:
        ValueError: the text is not an amount.
    """
    return parse_money(text, default_currency="XXX").amount


def parse_money(text: str, default_currency: str = "", default_period: str = "year") -> Money:
    """Pay as typed: ``105000``, ``105k USD``, ``$52/hour``, ``7.5k EUR per month``.

    The currency defaults to ``default_currency`` (``$`` means USD, ``€`` EUR, ``£``
    GBP); the period to ``default_period``.

    Raises:
        ValueError: not an amount, or no currency given and no default.
    """
    raw = str(text or "").strip()
    m = _AMOUNT.match(raw)
    if not m or not raw:
        raise ValueError(
            f"{raw!r} is not an amount of pay; write it like 105000 USD per year or 52 USD/hour"
        )
    digits = re.sub(r"[,\s\u00a0\u202f']", "", m["num"])
    amount = float(digits) * {"k": 1e3, "m": 1e6}.get((m["mult"] or "").lower(), 1)
    symbol = next((c for s, c in _SYMBOLS.items() if s in raw), "")
    codes = {c.upper() for c in (m["cur1"], m["cur2"]) if c}
    if len(codes) > 1:
        raise ValueError(f"{raw!r} names two currencies")
    currency = (codes.pop() if codes else "") or symbol or default_currency.upper()
    if not currency:
        raise ValueError(f"{raw!r}: say which currency, e.g. {plain(amount)} USD")
    if not re.fullmatch(CURRENCY, currency):
        raise ValueError(f"{currency!r} is not a three-letter currency code (USD)")
    period = _PERIODS[m["period"].lower()] if m["period"] else default_period
    return Money(amount, currency, period)


def money(amount: float | None, currency: str = "") -> str:
    """``97,500 USD``: an amount for people (whole units)."""
    if amount is None:
        return "—"
    text = f"{amount:,.0f}"
    return f"{text} {currency}".strip()


def round_to(amount: float, step: int = ROUND_TO) -> float:
    """``amount`` rounded to the nearest ``step`` (halves up)."""
    return math.floor(amount / step + 0.5) * step


# -- comparables on a yearly basis -----------------------------------------------

YEARLY_COLUMNS = [
    "application_id",
    "company",
    "title",
    "location",
    "posted",
    "currency",
    "period",
    "low",
    "high",
    "mid",
    "source",
    "seen_on",
    "left_out",
]


def _number(text: str) -> float | None:
    text = str(text or "").strip()
    try:
        return float(text) if text else None
    except ValueError:
        return None


def yearly_records(comps: list[dict]) -> list[dict]:
    """Each comparable (a ``comps`` record) on a yearly basis: ``low``, ``high``, ``mid``.

    ``left_out`` says why a row cannot count (no figure, no currency, no period);
    such rows keep ``NaN`` amounts. ``posted`` is the range as it was written
    (``48–62 USD per hour``).
    """
    rows = []
    for r in comps:
        lo, hi = _number(r["salary_min"]), _number(r["salary_max"])
        currency, period = r["currency"].strip(), r["period"].strip()
        reason = ""
        if lo is None and hi is None:
            reason = "no pay given"
        elif not currency:
            reason = "no currency"
        elif period not in PER_YEAR:
            reason = "no period (year, month or hour)"
        figures = [x for x in (lo, hi) if x is not None]
        factor = PER_YEAR.get(period, 1)
        if reason:
            low = high = mid = math.nan
        else:
            low, high = min(figures) * factor, max(figures) * factor
            mid = sum(figures) / len(figures) * factor
        shown = "–".join(plain(x) for x in figures) if figures else ""
        posted = f"{shown} {currency} per {period}".strip() if shown and period else shown
        rows.append(
            {
                "application_id": r["application_id"],
                "company": r["company"],
                "title": r["title"],
                "location": r["location"],
                "posted": posted,
                "currency": currency,
                "period": period,
                "low": low,
                "high": high,
                "mid": mid,
                "source": r["source"],
                "seen_on": r["seen_on"],
                "left_out": reason,
            }
        )
    return rows


def yearly(comps: pd.DataFrame) -> pd.DataFrame:
    """:func:`yearly_records` of a ``comps`` table, as a table."""
    return pd.DataFrame(yearly_records(comps.to_dict("records")), columns=YEARLY_COLUMNS)


@dataclass(frozen=True)
class Stats:
    """Statistics of the comparables in one currency, per year.

    ``p25``, ``median`` and ``p75`` are ``None`` when there are fewer than
    :data:`MIN_COMPARABLES` comparables: too few to say.
    """

    currency: str
    count: int
    low: float
    high: float
    p25: float | None = None
    median: float | None = None
    p75: float | None = None

    @property
    def enough(self) -> bool:
        """Whether there are enough comparables for percentiles and a suggestion."""
        return self.count >= MIN_COMPARABLES

    def row(self) -> dict:
        """The statistics as one row of text for a table (``—`` where too few)."""
        return {
            "currency": self.currency,
            "count": str(self.count),
            "low": money(self.low),
            "p25": money(self.p25),
            "median": money(self.median),
            "p75": money(self.p75),
            "high": money(self.high),
        }


def statistics(rows: pd.DataFrame | list[dict]) -> list[Stats]:
    """Per currency (alphabetical): count, low, 25th percentile, median, 75th, high.

    Args:
        rows: comparables from :func:`yearly` (or :func:`yearly_records`); rows left
            out are ignored.
    """
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else rows
    by_currency: dict[str, list[dict]] = {}
    for r in records:
        if not r["left_out"]:
            by_currency.setdefault(r["currency"], []).append(r)
    found = []
    for currency in sorted(by_currency):
        mine = by_currency[currency]
        stats = Stats(
            currency,
            len(mine),
            float(min(r["low"] for r in mine)),
            float(max(r["high"] for r in mine)),
        )
        if stats.enough:
            mids = np.asarray([r["mid"] for r in mine], dtype=float)
            p25, median, p75 = (float(v) for v in np.percentile(mids, [25, 50, 75]))
            stats = Stats(currency, stats.count, stats.low, stats.high, p25, median, p75)
        found.append(stats)
    return found


def statistics_table(stats: list[Stats]) -> pd.DataFrame:
    """The statistics as a table of text, one row per currency."""
    return pd.DataFrame([s.row() for s in stats], columns=STAT_COLUMNS)


def position(value: float, stats: Stats) -> str:
    """Where ``value`` (yearly) falls among the comparables, in words."""
    if value < stats.low:
        return "below every similar position"
    if value > stats.high:
        return "above every similar position"
    if not stats.enough:
        return "within the range of similar positions"
    if value < stats.p25:
        return "in the bottom quarter of similar positions"
    if value < stats.median:
        return "in the second quarter (below the median)"
    if value == stats.median:
        return "at the median"
    if value <= stats.p75:
        return "in the third quarter (above the median)"
    return "in the top quarter of similar positions"


# -- the negotiating range -------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """What to ask for in one currency, with the reasoning as sentences.

    ``floor`` and ``ask`` are ``None`` when there are too few comparables (or none in
    the application's currency); ``reasons`` then says so.
    """

    currency: str
    stats: Stats | None
    floor: float | None = None
    ask: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def suggested(self) -> bool:
        return self.floor is not None


def advise(
    stats: list[Stats],
    currency: str,
    posted: tuple[float | None, float | None] = (None, None),
    target: Money | None = None,
) -> Advice:
    """A suggested negotiating range and why.

    The floor is the higher of the comparables' median and the middle of the posted
    range: accepting less means being paid less than half of similar positions, or
    less than the employer itself expected to pay. The ask is the higher of the 75th
    percentile and the top of the posted range: ambitious, but a figure three in four
    similar positions stay under, or one the employer already budgeted. Both are
    rounded to the nearest :data:`ROUND_TO`.

    Args:
        stats: from :func:`statistics`.
        currency: the application's currency; only comparables in it are used.
        posted: the application's posted range (yearly), either end may be missing.
        target: the user's target, if any (in any period; it must be in ``currency``).
    """
    mine = next((s for s in stats if s.currency == currency), None)
    reasons: list[str] = []
    if mine is None:
        others = ", ".join(f"{s.count} in {s.currency}" for s in stats)
        reasons.append(
            f"No similar positions in {currency} yet"
            + (f" (there are {others}: other currencies are never compared)" if others else "")
            + f". Add a few in {currency} to see where this role stands."
        )
        return Advice(currency, None, reasons=reasons)

    cur = mine.currency
    ends = [x for x in posted if x is not None]
    posted_mid = sum(ends) / len(ends) if ends else None
    reasons += _where_things_stand(mine, ends, posted_mid, target)
    if not mine.enough:
        return Advice(cur, mine, reasons=reasons)
    floor, why_floor = _end(_FLOOR, mine.median, posted_mid, cur)
    ask, why_ask = _end(_ASK, mine.p75, max(ends) if ends else None, cur)
    floor, ask = round_to(floor), round_to(ask)
    reasons.append(f"Floor {money(floor, cur)}: {why_floor}.")
    reasons.append(f"Ask {money(ask, cur)}: {why_ask}.")
    reasons.append(f"Both are rounded to the nearest {ROUND_TO:,}.")
    if target is not None and target.currency == cur:
        reasons.append(_target_against(target.yearly, floor, ask, cur))
    return Advice(cur, mine, floor, ask, reasons)


def _where_things_stand(
    mine: Stats, ends: list[float], posted_mid: float | None, target: Money | None
) -> list[str]:
    """What the comparables say, and where the posted range and the target stand."""
    cur = mine.currency
    if mine.enough:
        reasons = [
            f"{mine.count} similar positions in {cur}: the middle half pay "
            f"{money(mine.p25)}–{money(mine.p75, cur)} a year, "
            f"the median {money(mine.median, cur)}."
        ]
    else:
        reasons = [
            f"Only {mine.count} similar position{'s' if mine.count != 1 else ''} in {cur} "
            f"({money(mine.low)}–{money(mine.high, cur)} a year): too few for percentiles or a "
            f"suggested range. Add more; {MIN_COMPARABLES} or more are needed."
        ]
    if ends:
        shown = "–".join(money(x) for x in sorted(set(ends)))
        reasons.append(
            f"The posted range, {shown} {cur}, has its middle ({money(posted_mid, cur)}) "
            f"{position(posted_mid, mine)}."
        )
    if target is not None:
        if target.currency != cur:
            reasons.append(
                f"Your target is in {target.currency}, not {cur}: it is not compared here."
            )
        else:
            per = "" if target.period == "year" else f" ({target.text()})"
            reasons.append(
                f"Your target, {money(target.yearly, cur)} a year{per}, is "
                f"{position(target.yearly, mine)}."
            )
    return reasons


class _End(NamedTuple):
    """How one end of the suggested range is chosen and said: the higher of a statistic
    of similar positions and a figure of the posted range."""

    statistic: str  # the statistic, as the reason names it first
    beaten: str  # the statistic, as named when the posted figure is above it
    posted: str  # the figure of the posted range
    names_posted: Callable[[float, float], bool]  # (posted, statistic): the reason names it
    posted_higher: str  # why the posted figure, when it is the higher
    statistic_above: str  # why the statistic, when the posted figure is named below it
    statistic_alone: str  # why the statistic, otherwise


_FLOOR = _End(
    "the median of similar positions",
    "the median of similar positions",
    "the middle of the posted range",
    operator.le,
    "the employer already expects to pay that",
    "below it you would earn less than half of people in similar roles",
    "below it you would earn less than half of people in similar roles",
)
_ASK = _End(
    "the 75th percentile of similar positions",
    "the 75th percentile",
    "the top of the posted range",
    operator.lt,
    "it is within their budget",
    "back it with these comparables and expect a counter-offer below it",
    "three in four similar positions pay less, so it is ambitious yet defensible",
)


def _end(end: _End, statistic: float, posted: float | None, cur: str) -> tuple[float, str]:
    """The floor (:data:`_FLOOR`: the higher of the median and the middle of the posted
    range) or the ask (:data:`_ASK`: of the 75th percentile and the top of the posted
    range), and why."""
    if posted is not None and posted > statistic:
        return posted, (
            f"{end.posted} ({money(posted, cur)}), above {end.beaten} "
            f"({money(statistic, cur)}): {end.posted_higher}"
        )
    why = f"{end.statistic} ({money(statistic, cur)})"
    if posted is not None and end.names_posted(posted, statistic):
        return statistic, f"{why}, above {end.posted} ({money(posted, cur)}): {end.statistic_above}"
    return statistic, f"{why}: {end.statistic_alone}"


def _target_against(target: float, floor: float, ask: float, cur: str) -> str:
    """What to do about the user's target (yearly), given the suggested range."""
    if target < floor:
        return (
            f"Your target is below the floor: similar positions suggest asking for "
            f"at least {money(floor, cur)}."
        )
    if target > ask:
        return (
            "Your target is above the ask: have a reason ready (a competing offer, a rare "
            "skill), or expect to settle below it."
        )
    return (
        f"Your target is inside the range: open near the ask ({money(ask, cur)}) so "
        "that the settlement lands on or above your target."
    )


# -- saving a comparable ---------------------------------------------------------


def comparable(values: dict, today: dt.date) -> dict[str, str]:
    """A ``comps`` row from what was typed, or every problem by field.

    Amounts are accepted as people type them (``85,000``, ``85k``) and stored as
    plain digits; the currency is upper-cased; an empty ``seen_on`` is ``today``.

    Raises:
        FieldErrors: field → message.
    """
    text = {k: str(v if v is not None else "").strip() for k, v in values.items()}
    errors: dict[str, str] = {}
    row = {
        "application_id": text.get("application_id", ""),
        "company": text.get("company", ""),
        "title": text.get("title", ""),
        "location": text.get("location", ""),
        "currency": text.get("currency", "").upper(),
        "period": text.get("period", "") or "year",
        "source": text.get("source", ""),
    }
    if not row["title"]:
        errors["title"] = "give the position's title"
    amounts = {}
    for name in ("salary_min", "salary_max"):
        if text.get(name):
            try:
                amounts[name] = parse_amount(text[name])
            except ValueError:
                errors[name] = f"{text[name]!r} is not an amount (e.g. 85000 or 85k)"
    if not text.get("salary_min") and not text.get("salary_max"):
        errors["salary_min"] = "give the pay: a low and a high, or one figure"
    if (
        "salary_min" in amounts
        and "salary_max" in amounts
        and amounts["salary_min"] > amounts["salary_max"]
    ):
        errors["salary_max"] = "the high end is below the low end"
    row["salary_min"] = plain(amounts["salary_min"]) if "salary_min" in amounts else ""
    row["salary_max"] = plain(amounts["salary_max"]) if "salary_max" in amounts else ""
    if not re.fullmatch(CURRENCY, row["currency"]):
        errors["currency"] = "give a three-letter currency code (USD, EUR, CAD…)"
    if row["period"] not in PAY_PERIODS:
        errors["period"] = f"one of: {', '.join(PAY_PERIODS)}"
    seen = values.get("seen_on")
    if isinstance(seen, dt.date):
        row["seen_on"] = seen.isoformat()
    elif text.get("seen_on"):
        try:
            row["seen_on"] = dt.date.fromisoformat(text["seen_on"]).isoformat()
        except ValueError:
            errors["seen_on"] = "give a date (YYYY-MM-DD)"
    else:
        row["seen_on"] = today.isoformat()
    if errors:
        raise FieldErrors(errors)
    return row


def add_comparable(ws: Workspace, values: dict, today: dt.date) -> bool:
    """Save a similar position to ``comps.csv``; the same one twice is saved once.

    Returns:
        Whether a row was added (``False``: it was already there).

    Raises:
        FieldErrors: what was typed is incomplete or malformed (nothing is saved).
        WorkspaceError: the workspace refused it (e.g. an unknown application).
    """
    row = comparable(values, today)
    same = [c for c in row if c != "seen_on"]
    with ws.transaction() as tx:
        comps = tx.load("comps")
        if len(comps) and (comps[same] == pd.Series({c: row[c] for c in same})).all(axis=1).any():
            return False
        tx.append("comps", [row])
    return True
