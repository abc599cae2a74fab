"""The etiquette rules: when a thank-you is due, and when (and whether) to follow up.

Pure functions of the workspace tables (as :meth:`Workspace.load_all` returns them),
the profile and "today"; nothing here reads or writes a file. The rules and their
defaults are the table "The etiquette rules" in ``DESIGN.md``; every number comes
from ``profile.rules``, and business days skip weekends and the public holidays of
the profile's country and region.

For one application the follow-up state is, checked in this order:

``none_needed``
    its stage is ``offer``, ``accepted``, ``rejected``, ``withdrawn`` or ``ghosted``,
    or it has ``offer_signed_on``: a decision was made.
``no_interview``
    no interview is recorded for it: there is nothing to follow up on yet.
``cap_reached``
    ``follow_up_cap`` follow-ups were sent since the latest interview: move on and
    keep applying. No earliest date.
``thank_yous_pending``
    someone met at the latest interview has no *sent* thank-you yet: those come
    first. The earliest follow-up date is still given.
``not_yet`` / ``due`` / ``overdue``
    today is before the earliest polite date; on it or up to
    :data:`DUE_GRACE_BUSINESS_DAYS` business days after it; later than that.

Counting follow-ups: a follow-up is *sent* when its ``kind`` is ``follow_up`` and
its ``status`` is ``sent`` (a draft never counts); its date is ``sent_on``, or
``drafted_on`` when ``sent_on`` was left empty. The cap counts those dated strictly
*after* the latest interview's day: one sent on the day of an interview belongs to
the round before it (a polite follow-up never comes the same day as the interview
it follows, so a same-day one was about the earlier round, or crossed with the
invitation). The spacing rule counts from the latest sent follow-up whatever its
date, so no follow-up is ever suggested within ``follow_up_spacing_business_days``
of one already sent.

Typical use::

    tables = ws.load_all()
    states = follow_up_states(tables, load_profile(ws), today)   # one row each
    check_follow_up_allowed("acme-data-analyst", tables, profile, today)  # or raises
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np
import pandas as pd

from helpers.businessdays import BusinessCalendar
from helpers.profile import Profile
from helpers.store import empty_table

FOLLOW_UP_STATES = (
    "overdue",
    "due",
    "thank_yous_pending",
    "not_yet",
    "cap_reached",
    "none_needed",
    "no_interview",
)
"""Every follow-up state, most urgent first (the order of :func:`follow_up_states`)."""

FOLLOW_UP_ENDING_STAGES = ("offer", "accepted", "rejected", "withdrawn", "ghosted")
"""Stages in which a decision was made, so no follow-up is sent."""

DUE_GRACE_BUSINESS_DAYS = 2
"""A follow-up is ``due`` on its earliest date and this many business days after;
later it is ``overdue``. A profile may set ``rules.follow_up_grace_business_days``."""

_DECIDED = {
    "offer": "they made an offer (stage offer): answer it rather than follow up",
    "accepted": "you accepted their offer (stage accepted)",
    "rejected": "they decided (stage rejected); no follow-up, keep applying",
    "withdrawn": "you withdrew (stage withdrawn)",
    "ghosted": "marked ghosted: time to move on and keep applying",
}
"""Why no follow-up, for each stage that ends them."""

_URGENCY = {state: rank for rank, state in enumerate(FOLLOW_UP_STATES)}

_NO_INTERVIEW = "no interview recorded yet, so nothing to follow up on"


# -- thank-yous -------------------------------------------------------------------


def thank_you_due(held_on: dt.date, profile: Profile) -> dt.date:
    """The date a thank-you for an interview held on ``held_on`` is due by.

    ``thank_you_business_days`` (default 1: the next business day) after the
    interview, skipping weekends and the profile's public holidays.
    """
    return profile.calendar().add(held_on, profile.rules.thank_you_business_days)


# -- the earliest polite follow-up -------------------------------------------------


class Earliest(NamedTuple):
    """The earliest polite date for a follow-up, and why it is that date."""

    on: dt.date
    reason: str


def earliest_follow_up(
    latest_interview: dt.date,
    profile: Profile,
    *,
    decision_expected_on: dt.date | None = None,
    last_follow_up: dt.date | None = None,
    today: dt.date | None = None,
    calendar: BusinessCalendar | None = None,
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

    Returns:
        The date and a phrase a person reads, e.g. "5 business days after the
        interview on Tue 24 Nov (Thanksgiving Day skipped)".
    """
    cal = calendar or profile.calendar()
    skipped = cal.skipped if isinstance(cal, _CachedCalendar) else functools.partial(_skipped, cal)
    rules = profile.rules
    ref = today or latest_interview
    candidates = []  # (date, reason); on a tie the later entry explains it

    n = rules.follow_up_after_business_days
    on = cal.add(latest_interview, n)
    candidates.append(
        (
            on,
            f"{_business_days(n)} after the interview on {_day(latest_interview, ref)}"
            + skipped(latest_interview, on),
        )
    )
    if decision_expected_on is not None:
        n = rules.follow_up_after_decision_business_days
        on = cal.add(decision_expected_on, n)
        given = f"the decision date they gave, {_day(decision_expected_on, ref)}"
        if n == 0:
            why = given if on == decision_expected_on else f"the first business day from {given}"
        elif n == 1:
            why = f"the first business day after {given}"
        else:
            why = f"{_business_days(n)} after {given}"
        candidates.append((on, why + skipped(decision_expected_on, on, n == 0)))
    if last_follow_up is not None:
        n = rules.follow_up_spacing_business_days
        on = cal.add(last_follow_up, n)
        candidates.append(
            (
                on,
                f"{_business_days(n)} after your last follow-up, sent {_day(last_follow_up, ref)}"
                + skipped(last_follow_up, on),
            )
        )
    latest = max(on for on, _ in candidates)
    reason = [why for on, why in candidates if on == latest][-1]
    return Earliest(latest, reason)


# -- the follow-up state -----------------------------------------------------------


@dataclass(frozen=True)
class FollowUpState:
    """Where one application stands on following up (see the module's docstring).

    Attributes:
        application_id: the application.
        state: one of :data:`FOLLOW_UP_STATES`.
        earliest: the earliest polite date for the next follow-up; ``None`` when no
            follow-up is to be sent (``cap_reached``, ``none_needed``,
            ``no_interview``).
        reason: a plain phrase saying why (why ``earliest`` is that date, or why no
            follow-up).
        sent_count: follow-ups sent after the day of the latest interview.
        cap: how many the profile allows per interview.
        latest_interview: the day of the latest interview, if any.
        last_follow_up: the day the latest follow-up was sent, if any.
        pending_thank_yous: people met at the latest interview with no sent thank-you.
    """

    application_id: str
    state: str
    earliest: dt.date | None
    reason: str
    sent_count: int
    cap: int
    latest_interview: dt.date | None
    last_follow_up: dt.date | None
    pending_thank_yous: int


COLUMNS = tuple(f.name for f in fields(FollowUpState))
"""The columns of :func:`follow_up_states`, in order."""


class FollowUpRefused(Exception):
    """A follow-up the etiquette rules do not allow now; ``state`` says why."""

    def __init__(self, state: FollowUpState):
        self.state = state
        super().__init__(self.describe(state))

    @staticmethod
    def describe(state: FollowUpState) -> str:
        """The message shown to the user."""
        return f"No follow-up for {state.application_id}: {state.reason}."


class FollowUpTooSoon(FollowUpRefused):
    """A follow-up asked for before its earliest polite date."""

    @staticmethod
    def describe(state: FollowUpState) -> str:
        """The message, naming the earliest polite date and why."""
        on = state.earliest
        return (
            f"Too soon to follow up on {state.application_id}: the earliest polite date is "
            f"{on:%a} {on.day} {on:%b %Y} ({on.isoformat()}), {state.reason}."
        )


class FollowUpNotAllowed(FollowUpRefused):
    """No follow-up at all: the cap is reached, a decision was made, or no interview."""


def follow_up_states(
    tables: Mapping[str, pd.DataFrame], profile: Profile, today: dt.date
) -> pd.DataFrame:
    """Every application's follow-up state, the most urgent first.

    Args:
        tables: the workspace's tables, as :meth:`Workspace.load_all` returns them.
        profile: the rules' numbers and the holiday calendar.
        today: the day the rules treat as today.

    Returns:
        One row per application with the columns of :class:`FollowUpState` (dates as
        ``datetime.date`` or ``None``), sorted by :data:`FOLLOW_UP_STATES`, then by
        earliest date, then by application.
    """
    # Sorted by (urgency, earliest or date.max, application_id), stably: a bucket per
    # state, and a bucket with no earliest date sorts by application_id alone.
    buckets: dict[str, list[tuple]] = {state: [] for state in FOLLOW_UP_STATES}
    for record in _state_records(tables, profile, today):
        buckets[record[1]].append(record)
    records = []
    for bucket in buckets.values():
        if any(r[2] is not None for r in bucket):
            bucket.sort(key=lambda r: (r[2] or dt.date.max, r[0]))
        else:
            bucket.sort(key=operator.itemgetter(0))
        records += bucket
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    return frame.astype({col: _dtype(col) for col in COLUMNS})


def follow_up_state(
    application_id: str,
    tables: Mapping[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
) -> FollowUpState:
    """One application's follow-up state (the same as its row in :func:`follow_up_states`).

    Raises:
        KeyError: no application has this ``application_id``.
    """
    apps = _get(tables, "applications")
    apps = apps[apps["application_id"] == application_id]
    if apps.empty:
        raise KeyError(f"no application {application_id!r} in applications.csv")
    interviews = _get(tables, "interviews")
    interviews = interviews[interviews["application_id"] == application_id]
    met = _get(tables, "interview_contacts")
    met = met[met["interview_id"].isin(interviews["interview_id"])]
    messages = _get(tables, "messages")
    messages = messages[
        (messages["application_id"] == application_id)
        | messages["interview_id"].isin(interviews["interview_id"])
    ]
    subset = {
        "applications": apps,
        "interviews": interviews,
        "interview_contacts": met,
        "messages": messages,
    }
    return _states(subset, profile, today)[0]


def check_follow_up_allowed(
    application_id: str,
    tables: Mapping[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
) -> FollowUpState:
    """The application's state if a follow-up may be drafted today; otherwise raise.

    A follow-up is allowed from its earliest polite date on, including while
    thank-yous are pending (they are not suggested then, but a follow-up asked for
    is not refused: the notes may have been sent without being marked sent).

    Raises:
        FollowUpTooSoon: today is before the earliest polite date (the message names
            it and why).
        FollowUpNotAllowed: the cap is reached, the stage ends follow-ups, or there
            is no interview to follow up on.
        KeyError: no application has this ``application_id``.
    """
    state = follow_up_state(application_id, tables, profile, today)
    if state.earliest is None:
        raise FollowUpNotAllowed(state)
    if today < state.earliest:
        raise FollowUpTooSoon(state)
    return state


# -- internals ---------------------------------------------------------------------


def _states(
    tables: Mapping[str, pd.DataFrame], profile: Profile, today: dt.date
) -> list[FollowUpState]:
    """The follow-up state of every application in ``tables``, in table order."""
    facts = _facts(tables)
    cal = _CachedCalendar(profile.calendar())
    return [_decide(row, profile, today, cal) for row in facts.itertuples(index=False)]


def _state_records(
    tables: Mapping[str, pd.DataFrame], profile: Profile, today: dt.date
) -> list[tuple]:
    """:func:`_states` as tuples of the :data:`COLUMNS`, in table order.

    Applications closed or without an interview (most of a long search) are decided
    here directly, as :func:`_decide` would; the others by :func:`_decide`.
    """
    facts = _facts(tables)
    cal = _CachedCalendar(profile.calendar())
    cap = profile.rules.follow_up_cap
    row_type = namedtuple("Facts", facts.columns)
    columns = [facts[col].to_numpy() for col in facts.columns]
    as_record = operator.attrgetter(*COLUMNS)
    records = []
    for values in zip(*columns, strict=True):
        row = row_type(*values)
        if row.signed is None and (row.stage in FOLLOW_UP_ENDING_STAGES or row.latest is None):
            closed = row.stage in FOLLOW_UP_ENDING_STAGES
            records.append(
                (
                    row.application_id,
                    "none_needed" if closed else "no_interview",
                    None,
                    _DECIDED[row.stage] if closed else _NO_INTERVIEW,
                    int(row.sent_count),
                    cap,
                    row.latest,
                    row.last_follow_up,
                    int(row.pending),
                )
            )
        else:
            records.append(as_record(_decide(row, profile, today, cal)))
    return records


def _facts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per application (in table order) what the rules look at, computed table-wise.

    Columns: ``application_id``, ``stage``, ``decision``, ``signed``, ``latest``
    (the latest interview's day), ``pending`` (thank-yous not sent for it),
    ``sent_count`` (follow-ups sent after it), ``last_follow_up``.
    """
    apps = _get(tables, "applications")
    interviews = _get(tables, "interviews")
    met = _get(tables, "interview_contacts")
    messages = _get(tables, "messages")

    iv = pd.DataFrame(
        {
            "application_id": interviews["application_id"].to_numpy(),
            "interview_id": interviews["interview_id"].to_numpy(),
            "held": _dates(interviews["held_on"]).to_numpy(),
        }
    ).dropna(subset=["held"])
    latest = iv.groupby("application_id")["held"].max()

    # Thank-yous: everyone met at the latest interview(s) without a sent thank-you.
    on_latest = iv.loc[
        iv["held"].to_numpy() == _lookup(latest, iv["application_id"]),
        ["interview_id", "application_id"],
    ]
    people = met[["interview_id", "contact_id"]].drop_duplicates()
    people = people.merge(on_latest, on="interview_id")
    is_thanks = (messages["kind"] == "thank_you") & (messages["status"] == "sent")
    thanked = messages.loc[is_thanks, ["interview_id", "contact_id"]].drop_duplicates()
    people = people.merge(thanked, on=["interview_id", "contact_id"], how="left", indicator=True)
    pending = people[people["_merge"] == "left_only"].groupby("application_id").size()

    # Sent follow-ups: how many since the latest interview, and the last one.
    is_sent = (messages["kind"] == "follow_up") & (messages["status"] == "sent")
    sent = messages[is_sent]
    fu = pd.DataFrame(
        {
            "application_id": sent["application_id"].to_numpy(),
            "when": _dates(sent["sent_on"]).fillna(_dates(sent["drafted_on"])).to_numpy(),
        }
    ).dropna(subset=["when"])
    after = fu["when"].to_numpy() > _lookup(latest, fu["application_id"])  # NaT: False
    sent_count = pd.Series(after, index=fu.index).groupby(fu["application_id"]).sum()
    last_follow_up = fu.groupby("application_id")["when"].max()

    ids = apps["application_id"]
    return pd.DataFrame(
        {
            "application_id": ids.to_numpy(),
            "stage": apps["stage"].to_numpy(),
            "decision": _as_dates(_dates(apps["decision_expected_on"])),
            "signed": _as_dates(_dates(apps["offer_signed_on"])),
            "latest": _as_dates(_lookup(latest, ids)),
            "pending": _lookup(pending, ids, 0),
            "sent_count": _lookup(sent_count, ids, 0),
            "last_follow_up": _as_dates(_lookup(last_follow_up, ids)),
        }
    )


def _decide(row, profile: Profile, today: dt.date, cal: _CachedCalendar) -> FollowUpState:
    """One application's state from its facts (a row of :func:`_facts`)."""
    latest, last, signed = row.latest, row.last_follow_up, row.signed
    cap = profile.rules.follow_up_cap

    def state(name: str, reason: str, earliest: dt.date | None = None) -> FollowUpState:
        return FollowUpState(
            application_id=row.application_id,
            state=name,
            earliest=earliest,
            reason=reason,
            sent_count=int(row.sent_count),
            cap=cap,
            latest_interview=latest,
            last_follow_up=last,
            pending_thank_yous=int(row.pending),
        )

    if signed is not None:
        return state("none_needed", f"the offer was signed on {_day(signed, today)}")
    if row.stage in FOLLOW_UP_ENDING_STAGES:
        return state("none_needed", _DECIDED[row.stage])
    if latest is None:
        return state("no_interview", _NO_INTERVIEW)
    if row.sent_count >= cap:
        return state(
            "cap_reached",
            f"{row.sent_count} of {cap} follow-ups sent since the interview on "
            f"{_day(latest, today)}; time to move on and keep applying",
        )
    on, why = earliest_follow_up(
        latest,
        profile,
        decision_expected_on=row.decision,
        last_follow_up=last,
        today=today,
        calendar=cal,
    )
    if row.pending:
        held = _day(latest, today)
        unsent = (
            f"1 thank-you note from the interview on {held} is not marked sent yet: send it first"
            if row.pending == 1
            else f"{row.pending} thank-you notes from the interview on {held} are not marked "
            "sent yet: send them first"
        )
        return state("thank_yous_pending", f"{why}; {unsent}", on)
    if today < on:
        return state("not_yet", why, on)
    if today <= cal.add(on, _grace(profile)):
        return state("due", why, on)
    return state("overdue", why, on)


class _CachedCalendar:
    """A business calendar whose answers are remembered (many applications share dates)."""

    def __init__(self, calendar: BusinessCalendar):
        self.add = functools.cache(calendar.add)
        self.holiday = functools.cache(calendar.holiday)
        self.is_business_day = functools.cache(calendar.is_business_day)
        self.skipped = functools.cache(functools.partial(_skipped, calendar))


def _grace(profile: Profile) -> int:
    """Business days a follow-up stays ``due`` after its earliest date."""
    return int(getattr(profile.rules, "follow_up_grace_business_days", DUE_GRACE_BUSINESS_DAYS))


def _get(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table from ``tables``; an empty one when it is not there."""
    df = tables.get(name)
    return empty_table(name) if df is None else df


def _lookup(values: pd.Series, keys: pd.Series, missing=None) -> np.ndarray:
    """``values[key]`` for every key (``values`` is indexed by unique keys)."""
    if missing is None:
        return values.reindex(keys.to_numpy()).to_numpy()
    return values.reindex(keys.to_numpy(), fill_value=missing).astype(int).to_numpy()


def _dates(s: pd.Series) -> pd.Series:
    """ISO date text as datetimes; an empty (or invalid) cell is ``NaT``."""
    return pd.to_datetime(s.where(s != ""), format="%Y-%m-%d", errors="coerce")


def _as_dates(values) -> np.ndarray:
    """Datetimes as ``datetime.date`` objects, ``None`` for ``NaT``."""
    s = pd.to_datetime(pd.Series(values))
    known = s.notna().to_numpy()
    dates = np.full(len(s), None, dtype=object)
    if known.any():  # only the days given become date objects
        dates[known] = s[known].dt.date.to_numpy(dtype=object)
    return dates


def _dtype(col: str) -> str:
    if col in ("sent_count", "cap", "pending_thank_yous"):
        return "int64"
    if col in ("application_id", "state", "reason"):
        return "str"
    return "object"


@functools.lru_cache(maxsize=4096)
def _day(day: dt.date, today: dt.date) -> str:
    """``Tue 24 Nov`` (with the year when it is not ``today``'s)."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def _business_days(n: int) -> str:
    return "1 business day" if n == 1 else f"{n} business days"


def _skipped(cal, start: dt.date, end: dt.date, inclusive: bool = False) -> str:
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
