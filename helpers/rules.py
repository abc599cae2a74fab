"""The etiquette rules: when a thank-you is due, and when (and whether) to follow up.

Pure functions of the workspace tables (as :meth:`Workspace.load_all` returns them),
the profile and "today"; nothing here reads or writes a file. The rules and their
defaults are the table "The etiquette rules" in ``DESIGN.md``; every number comes
from ``profile.rules``, and business days skip weekends and the holidays that count
in the profile's country (``helpers.businessdays``).

An interview dated after today is *upcoming*: it is not the latest interview yet,
needs no thank-you, and no follow-up is suggested before it is held.

For one application the follow-up state is, checked in this order:

``none_needed``
    some offer is signed (this application's or another's: the search is over, only
    withdrawals remain), or its stage is ``offer``, ``accepted``, ``rejected``,
    ``withdrawn`` or ``ghosted``: a decision was made.
``interview_upcoming``
    an interview is still to come: prepare for it; no follow-up before it.
``no_interview``
    no interview held and nothing to check in about: the posting is only saved, or
    the date applied is unknown.
``waiting`` (no interview yet)
    the check-ins the rules allow were sent: wait for a reply until
    ``ghosted_after_check_in_business_days`` after the last one.
``cap_reached``
    ``follow_up_cap`` follow-ups were sent since the latest interview (or, with no
    interview, the check-ins went unanswered that long): move on and keep applying
    (mark it ghosted). No earliest date.
``thank_yous_pending``
    someone met at the latest interview still needs a thank-you that is not marked
    sent: those come first. A person marked "no note needed" never holds a
    follow-up; a person without a talking point (and so without a draft) holds it
    only until that thank-you's due date has passed, then the follow-up goes ahead
    and the reason says so. The earliest follow-up date is still given, and
    ``timing`` says whether the follow-up itself is already due or overdue.
``not_yet`` / ``due`` / ``overdue``
    today is before the earliest polite date; on it or up to
    ``follow_up_grace_business_days`` business days after it; later than that.

Replies change the etiquette. When the employer wrote after the latest interview (or,
with none yet, after you applied) — a reply recorded in ``mail.csv`` from your
mailbox (``helpers.mail_import``) — a reply is answered, not followed up: the clock
starts from their message (``follow_up_after_business_days`` after it), and only
follow-ups sent after it count towards the cap. An invitation to interview makes the
state ``interview_upcoming``, with the suggestion to record the interview
(01_post_interview), until an interview dated after it is recorded.

Two rules give the earliest polite date (``kind``):

``follow_up`` (after an interview)
    the latest of ``follow_up_after_business_days`` after the latest interview,
    ``follow_up_after_decision_business_days`` after the decision date they gave,
    and ``follow_up_spacing_business_days`` after the last sent follow-up; at most
    ``follow_up_cap`` of them.
``check_in`` (no interview yet)
    ``check_in_after_business_days`` after the date applied (and after the decision
    date, if one was given); at most ``check_in_cap`` of them; then, after
    ``ghosted_after_check_in_business_days`` without a reply, the suggestion to mark
    it ghosted.

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
import operator
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import NamedTuple

import pandas as pd

from helpers.profile import Profile
from helpers.rule_dates import (
    THEIR_MESSAGE,
    CachedCalendar,
    Earliest,
    business_days,
    days_after,
    earliest_follow_up,
    latest,
    short_day,
)
from helpers.rule_facts import application_facts
from helpers.store import table_in

FOLLOW_UP_STATES = (
    "overdue",
    "due",
    "thank_yous_pending",
    "not_yet",
    "interview_upcoming",
    "waiting",
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

_NOT_APPLIED = "not applied yet: nothing to follow up on"
_NO_DATE = (
    "no interview yet, and no date applied: give the date you applied (04_pipeline) "
    "to know when a check-in is polite"
)

NO_FOLLOW_UP_STATES = ("none_needed", "no_interview", "interview_upcoming")
"""States in which no follow-up is counted or drawn (nothing sent is measured)."""


# -- thank-yous -------------------------------------------------------------------


def thank_you_due(held_on: dt.date, profile: Profile) -> dt.date:
    """The date a thank-you for an interview held on ``held_on`` is due by.

    ``thank_you_business_days`` (default 1: the next business day) after the
    interview, skipping weekends and the profile's public holidays.
    """
    return profile.calendar().add(held_on, profile.rules.thank_you_business_days)


# -- the follow-up state -----------------------------------------------------------


@dataclass(frozen=True)
class FollowUpState:
    """Where one application stands on following up (see the module's docstring).

    Attributes:
        application_id: the application.
        state: one of :data:`FOLLOW_UP_STATES`.
        earliest: the earliest polite date for the next follow-up; ``None`` when no
            follow-up is to be sent (``cap_reached``, ``waiting``, ``none_needed``,
            ``no_interview``, ``interview_upcoming``).
        reason: a plain phrase saying why (why ``earliest`` is that date, or why no
            follow-up).
        sent_count: follow-ups sent after the day of the latest interview (with no
            interview yet: check-ins sent).
        cap: how many the profile allows (per interview, or check-ins).
        latest_interview: the day of the latest interview held (today or before).
        last_follow_up: the day the latest follow-up was sent, if any.
        pending_thank_yous: people met at the latest interview whose thank-you holds
            the follow-up.
        kind: ``follow_up`` (after an interview), ``check_in`` (no interview yet), or
            ``""`` when no follow-up applies.
        timing: when a follow-up has an earliest date, ``not_yet``, ``due`` or
            ``overdue`` by the date alone (for ``thank_yous_pending`` too); else ``""``.
        upcoming_interview: the day of the next interview still to come, if any.
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
    kind: str = ""
    timing: str = ""
    upcoming_interview: dt.date | None = None


COLUMNS = tuple(f.name for f in fields(FollowUpState))
"""The columns of :func:`follow_up_states`, in order."""


class FollowUpRefused(Exception):
    """A follow-up the etiquette rules do not allow now; ``state`` says why.

    ``name`` is how the application reads ("Quarry Labs — Product Analyst"); the
    message never shows its identifier when the name is known."""

    def __init__(self, state: FollowUpState, name: str = ""):
        self.state = state
        self.name = name or state.application_id
        super().__init__(self.describe(state, self.name))

    @staticmethod
    def describe(state: FollowUpState, name: str = "") -> str:
        """The message shown to the user."""
        return f"No follow-up for {name or state.application_id}: {state.reason}."


class FollowUpTooSoon(FollowUpRefused):
    """A follow-up asked for before its earliest polite date."""

    @staticmethod
    def describe(state: FollowUpState, name: str = "") -> str:
        """The message, naming the earliest polite date and why."""
        on = state.earliest
        what = "check in on" if state.kind == "check_in" else "follow up on"
        return (
            f"Too soon to {what} {name or state.application_id}: the earliest polite date is "
            f"{on:%a} {on.day} {on:%b %Y} ({on.isoformat()}), {state.reason}."
        )


class FollowUpNotAllowed(FollowUpRefused):
    """No follow-up at all: the cap is reached, a decision was made, the search is
    over, an interview is still to come, or there is nothing to follow up on."""


def application_name(apps: pd.DataFrame, application_id: str) -> str:
    """``Company — Role`` of an application (its identifier if it is not found)."""
    found = apps[apps["application_id"] == application_id]
    if found.empty:
        return application_id
    row = found.iloc[0]
    return " — ".join(" ".join(str(row[c]).split()) for c in ("company", "role") if row[c])


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
    every = table_in(tables, "applications")
    apps = every[every["application_id"] == application_id]
    if apps.empty:
        raise KeyError(f"no application {application_id!r} in applications.csv")
    interviews = table_in(tables, "interviews")
    interviews = interviews[interviews["application_id"] == application_id]
    met = table_in(tables, "interview_contacts")
    met = met[met["interview_id"].isin(interviews["interview_id"])]
    messages = table_in(tables, "messages")
    messages = messages[
        (messages["application_id"] == application_id)
        | messages["interview_id"].isin(interviews["interview_id"])
    ]
    contacts = table_in(tables, "contacts")
    mail = table_in(tables, "mail")
    subset = {
        "applications": apps,
        "interviews": interviews,
        "interview_contacts": met,
        "messages": messages,
        "contacts": contacts[contacts["contact_id"].isin(met["contact_id"])],
        "mail": mail[mail["application_id"] == application_id],
    }
    return _states(subset, profile, today, signed_offer(every))[0]


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
        FollowUpNotAllowed: the cap is reached, the stage ends follow-ups, an offer
            is signed, an interview is still to come, or there is nothing to follow
            up on.
        KeyError: no application has this ``application_id``.
    """
    state = follow_up_state(application_id, tables, profile, today)
    name = application_name(table_in(tables, "applications"), application_id)
    if state.earliest is None:
        raise FollowUpNotAllowed(state, name)
    if today < state.earliest:
        raise FollowUpTooSoon(state, name)
    return state


class SignedOffer(NamedTuple):
    """The offer that ended the search: the latest signed one."""

    application_id: str
    company: str
    role: str
    on: dt.date | None


def signed_offer(apps: pd.DataFrame) -> SignedOffer | None:
    """The latest signed offer among ``apps`` (``offer_signed_on`` given), or ``None``."""
    signed = apps[apps["offer_signed_on"] != ""]
    if signed.empty:
        return None
    top = signed.sort_values(
        ["offer_signed_on", "application_id"], ascending=False, kind="stable"
    ).iloc[0]
    try:
        on = dt.date.fromisoformat(top["offer_signed_on"])
    except ValueError:
        on = None
    return SignedOffer(top["application_id"], top["company"], top["role"], on)


# -- internals ---------------------------------------------------------------------


def _states(
    tables: Mapping[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    signed: SignedOffer | None,
) -> list[FollowUpState]:
    """The follow-up state of every application in ``tables``, in table order."""
    facts = application_facts(tables, today)
    cal = CachedCalendar(profile.calendar())
    return [_decide(row, profile, today, cal, signed) for row in facts.itertuples(index=False)]


def _state_records(
    tables: Mapping[str, pd.DataFrame], profile: Profile, today: dt.date
) -> list[tuple]:
    """:func:`_states` as tuples of the :data:`COLUMNS`, in table order.

    Applications closed (most of a long search) are decided here directly, as
    :func:`_decide` would; the others by :func:`_decide`.
    """
    signed = signed_offer(table_in(tables, "applications"))
    facts = application_facts(tables, today)
    cal = CachedCalendar(profile.calendar())
    row_type = namedtuple("Facts", facts.columns)
    columns = [facts[col].to_numpy() for col in facts.columns]
    as_record = operator.attrgetter(*COLUMNS)
    cap = profile.rules.follow_up_cap
    records = []
    for values in zip(*columns, strict=True):
        row = row_type(*values)
        if signed is None and row.stage in FOLLOW_UP_ENDING_STAGES:
            records.append(
                (
                    row.application_id,
                    "none_needed",
                    None,
                    _DECIDED[row.stage],
                    int(row.sent_count),
                    cap,
                    row.latest,
                    row.last_follow_up,
                    int(row.pending),
                    "",
                    "",
                    row.upcoming,
                )
            )
        else:
            records.append(as_record(_decide(row, profile, today, cal, signed)))
    return records


def _decide(
    row,
    profile: Profile,
    today: dt.date,
    cal: CachedCalendar,
    signed: SignedOffer | None = None,
) -> FollowUpState:
    """One application's state from its facts (a row of
    :func:`helpers.rule_facts.application_facts`)."""
    latest = row.latest
    rules = profile.rules
    check_in = latest is None
    cap = rules.check_in_cap if check_in else rules.follow_up_cap

    state = _stating(row, cap)
    if row.signed is not None:
        return state("none_needed", f"you signed this offer on {short_day(row.signed, today)}")
    if signed is not None:
        when = f" on {short_day(signed.on, today)}" if signed.on else ""
        return state(
            "none_needed",
            f"your search is over: you signed the offer for {_one_line(signed.role)} at "
            f"{_one_line(signed.company)}{when}; withdraw politely instead (04_pipeline)",
        )
    if row.stage in FOLLOW_UP_ENDING_STAGES:
        return state("none_needed", _DECIDED[row.stage])
    if row.upcoming is not None:
        return state(
            "interview_upcoming",
            f"your interview on {short_day(row.upcoming, today)} is still to come: prepare for it "
            "(02_research); no follow-up before it",
        )
    reply = row.reply if row.reply is not None and (latest is None or row.reply > latest) else None
    if reply is not None and row.reply_kind == "invitation":
        return state(
            "interview_upcoming",
            f"they invited you to interview (their message on {short_day(reply, today)}): record "
            "the upcoming interview (01_post_interview) and prepare for it; no follow-up "
            "before it",
        )
    if check_in:
        return _check_in(row, profile, today, cal, state, reply)
    if row.sent_count >= cap:
        return state(
            "cap_reached",
            f"{row.sent_count} of {cap} follow-ups sent since the interview on "
            f"{short_day(latest, today)}; time to move on and keep applying",
        )
    return _after_interview(row, profile, today, cal, state, reply)


def _stating(row, cap: int):
    """``state(name, reason, earliest, kind, timing)``: the :class:`FollowUpState` of
    the application of ``row`` (a row of facts), its counts filled in."""

    def state(
        name: str, reason: str, earliest: dt.date | None = None, kind: str = "", timing: str = ""
    ) -> FollowUpState:
        return FollowUpState(
            application_id=row.application_id,
            state=name,
            earliest=earliest,
            reason=reason,
            sent_count=int(row.sent_count),
            cap=cap,
            latest_interview=row.latest,
            last_follow_up=row.last_follow_up,
            pending_thank_yous=int(row.pending),
            kind=kind,
            timing=timing,
            upcoming_interview=row.upcoming,
        )

    return state


def _after_interview(
    row, profile: Profile, today: dt.date, cal: CachedCalendar, state, reply: dt.date | None
) -> FollowUpState:
    """After an interview, below the cap: the earliest polite date, held while the
    thank-yous of the latest interview are not sent (those without a talking point only
    until they were due)."""
    latest, last, rules = row.latest, row.last_follow_up, profile.rules
    on, why = earliest_follow_up(
        latest,
        profile,
        decision_expected_on=row.decision,
        last_follow_up=last,
        today=today,
        calendar=cal,
        their_message=reply,
    )
    timing = _timing(on, today, profile, cal)
    held = short_day(latest, today)
    if row.unpointed:
        due = cal.add(latest, rules.thank_you_business_days)
        if today <= due:  # still time to add the talking point and send the note
            pending = row.pending + row.unpointed
            return state(
                "thank_yous_pending",
                f"{why}; {_unsent(pending, held)}",
                on,
                "follow_up",
                timing,
            )
        lapsed = row.unpointed_names
        was = "was" if row.unpointed == 1 else "were"
        why += (
            f"; {lapsed} had no talking point, so no thank-you {was} drafted, and it was "
            f"due {short_day(due, today)}: the follow-up goes ahead"
        )
    if row.pending:
        return state(
            "thank_yous_pending", f"{why}; {_unsent(row.pending, held)}", on, "follow_up", timing
        )
    return state(timing, why, on, "follow_up", timing)


def _unsent(n: int, held: str) -> str:
    if n == 1:
        return (
            f"1 thank-you note from the interview on {held} is not marked sent yet: send it first"
        )
    return (
        f"{n} thank-you notes from the interview on {held} are not marked sent yet: send them first"
    )


def _check_in(
    row, profile: Profile, today: dt.date, cal, state, reply: dt.date | None = None
) -> FollowUpState:
    """The no-interview rule: one check-in a while after applying, then move on."""
    if row.stage == "saved":
        return state("no_interview", _NOT_APPLIED)
    if row.applied is None:
        return state("no_interview", _NO_DATE)
    if row.sent_count >= profile.rules.check_in_cap:
        return _check_ins_spent(row, profile.rules, today, cal, state)
    on, why = _earliest_check_in(row, profile.rules, today, cal, reply)
    timing = _timing(on, today, profile, cal)
    return state(timing, why, on, "check_in", timing)


def _check_ins_spent(row, rules, today: dt.date, cal, state) -> FollowUpState:
    """Every check-in the profile allows is sent (or it allows none): wait, then move on."""
    last = row.last_follow_up
    n = rules.ghosted_after_check_in_business_days
    if last is None:  # a cap of 0: no check-in at all
        quiet = cal.add(row.applied, n)
        if today < quiet:
            return state(
                "waiting",
                f"applied {short_day(row.applied, today)}; your profile allows no check-in: "
                f"wait for a reply until {short_day(quiet, today)}",
            )
        return state(
            "cap_reached",
            f"no reply since you applied on {short_day(row.applied, today)}: mark it ghosted, "
            "and keep applying",
        )
    quiet = cal.add(last, n)
    sent = f"{row.sent_count} check-in{'s' if row.sent_count != 1 else ''}"
    if today < quiet:
        return state(
            "waiting",
            f"{sent} sent, the last on {short_day(last, today)}: wait for a reply until "
            f"{short_day(quiet, today)}, then mark it ghosted if none came",
        )
    return state(
        "cap_reached",
        f"{sent} sent, the last on {short_day(last, today)}, and no reply in "
        f"{business_days(n)}: mark it ghosted, and keep applying",
    )


# What the check-in rule counts business days after (:func:`days_after`).
_APPLIED = "you applied on {day}"
_LAST_SENT = "your last message, sent {day}"


def _earliest_check_in(row, rules, today: dt.date, cal, reply: dt.date | None) -> Earliest:
    """The earliest polite date for a check-in, with the rule that sets it."""
    on, why = days_after(cal, row.applied, rules.check_in_after_business_days, _APPLIED, today)
    candidates = [(on, f"no interview yet: {why}" + cal.skipped(row.applied, on))]
    if row.decision is not None:
        after = cal.add(row.decision, rules.follow_up_after_decision_business_days)
        candidates.append(
            (after, f"no interview yet: after the date they gave, {short_day(row.decision, today)}")
        )
    if reply is not None:
        candidates.append(
            days_after(cal, reply, rules.follow_up_after_business_days, THEIR_MESSAGE, today)
        )
    if row.last_follow_up is not None:
        candidates.append(
            days_after(
                cal, row.last_follow_up, rules.follow_up_spacing_business_days, _LAST_SENT, today
            )
        )
    return latest(candidates)


def _timing(on: dt.date, today: dt.date, profile: Profile, cal) -> str:
    """``not_yet``, ``due`` or ``overdue``: where today is against the earliest date."""
    if today < on:
        return "not_yet"
    if today <= cal.add(on, _grace(profile)):
        return "due"
    return "overdue"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _grace(profile: Profile) -> int:
    """Business days a follow-up stays ``due`` after its earliest date."""
    return int(getattr(profile.rules, "follow_up_grace_business_days", DUE_GRACE_BUSINESS_DAYS))


def _dtype(col: str) -> str:
    if col in ("sent_count", "cap", "pending_thank_yous"):
        return "int64"
    if col in ("application_id", "state", "reason", "kind", "timing"):
        return "str"
    return "object"


def rules_summary(profile: Profile) -> str:
    """The etiquette rules with this profile's numbers, as Markdown (one paragraph)."""
    r = profile.rules
    after = r.follow_up_after_decision_business_days
    decision = (
        "and not before the decision date they gave"
        if after == 0
        else f"and {business_days(after)} after the decision date they gave"
    )
    cap = r.follow_up_cap
    check_ins = r.check_in_cap
    return (
        f"**Your rules** (`profile.yml`, under `rules:`): a thank-you is due "
        f"{business_days(r.thank_you_business_days)} after the interview; the first "
        f"follow-up waits {business_days(r.follow_up_after_business_days)} after the "
        f"latest interview {decision}; further ones wait "
        f"{business_days(r.follow_up_spacing_business_days)} after the last one you sent; "
        f"at most {cap} follow-up{'s' if cap != 1 else ''} per interview, then move on. "
        f"With no interview yet: {check_ins} check-in{'s' if check_ins != 1 else ''} "
        f"{business_days(r.check_in_after_business_days)} after you applied, then, after "
        f"{business_days(r.ghosted_after_check_in_business_days)} without a reply, mark "
        f"it ghosted. A follow-up is due on its date and "
        f"{business_days(_grace(profile))} after, then overdue. Business days skip "
        f"weekends and {profile.calendar().counted}."
    )
