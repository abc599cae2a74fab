"""Where the search stands, and each application's next step: the one answer.

:func:`search_standing` is asked by every view that advises: the follow-up notebook
(``03``), the pipeline (``04``), ``reminders.ics`` and the coach report. Each of them
shows the same phase and the same next step per application, so they can never
disagree.

The search is in one of three phases:

``active``
    no offer yet: follow the etiquette rules, keep applying.
``offer_pending``
    an application is at ``offer`` (or ``accepted`` without a signing date): answer
    it, and keep the others going until the letter is signed.
``search_over``
    an offer letter is signed (``offer_signed_on``): no follow-up is due, drafted or
    on the calendar anywhere; only withdrawals from the other open applications and
    thank-yous already due remain.

Each application's next step comes from its follow-up state (``helpers.rules``),
its stage, whether an interview is still to come, and whether it is *stale*
(waiting on the employer with no activity for ``rules.stale_after_days`` and no
later date to wait for).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.profile import Profile
from helpers.rules import SignedOffer, follow_up_states, signed_offer
from helpers.schema import CLOSED_STAGES, STAGES
from helpers.store import iso_dates, table_in

ACTIVE_STAGES = ("applied", "screening", "interviewing", "offer")
"""Stages of an application that was sent and is still open."""

WAITING_STAGES = ("applied", "screening", "interviewing")
"""Stages in which the next move is the employer's: these can go stale."""

PHASES = ("active", "offer_pending", "search_over")
"""Where a search can stand."""

STEP_COLUMNS = (
    "application_id",
    "company",
    "role",
    "stage",
    "applied_on",
    "last_activity",
    "days_idle",
    "stale",
    "follow_up",
    "kind",
    "timing",
    "earliest",
    "reason",
    "sent_count",
    "cap",
    "upcoming_interview",
    "next_step",
    "next_action",
    "priority",
)
"""The columns of :attr:`Standing.steps`."""

NEXT_STEPS = (
    "celebrate",
    "withdraw",
    "none",
    "sign",
    "answer_offer",
    "apply",
    "record",
    "prepare",
    "follow_up",
    "check_in",
    "thank_yous",
    "wait",
    "move_on",
    "give_date",
)
"""What an application's next step can be (:attr:`Standing.steps`' ``next_step``)."""


def day_text(d: pd.Series, today: dt.date) -> pd.Series:
    """Datetimes as ``Mon 7 Dec`` (with the year when it is not today's); NaT as ""."""
    d = pd.to_datetime(d)
    text = d.dt.strftime("%a ") + d.dt.day.astype("Int64").astype("str") + d.dt.strftime(" %b")
    text = text.where(d.dt.year == today.year, text + " " + d.dt.year.astype("Int64").astype("str"))
    return text.where(d.notna(), "").astype("str")


def active(apps: pd.DataFrame) -> pd.Series:
    """Applications sent and still open: stage applied to offer, no offer signed."""
    return apps["stage"].isin(ACTIVE_STAGES) & (apps["offer_signed_on"] == "")


def signed(apps: pd.DataFrame) -> pd.DataFrame:
    """Applications with ``offer_signed_on``, the latest signed first."""
    return (
        apps[apps["offer_signed_on"] != ""]
        .sort_values(["offer_signed_on", "application_id"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def to_withdraw(apps: pd.DataFrame) -> pd.DataFrame:
    """Once an offer is signed, the other open applications (to withdraw from)."""
    if not (apps["offer_signed_on"] != "").any():
        return apps.iloc[0:0].reset_index(drop=True)
    return apps[active(apps)].reset_index(drop=True)


def phase(apps: pd.DataFrame) -> str:
    """``search_over``, ``offer_pending`` or ``active`` (see the module's docstring)."""
    if (apps["offer_signed_on"] != "").any():
        return "search_over"
    if apps["stage"].isin(("offer", "accepted")).any():
        return "offer_pending"
    return "active"


def last_activity(tables: Mapping[str, pd.DataFrame], today: dt.date) -> pd.Series:
    """Each application's latest activity on or before ``today`` (datetimes, by id).

    Activity is the latest of ``applied_on``, ``stage_changed_on``, its interviews'
    ``held_on``, its messages' ``drafted_on`` and ``sent_on``, its ``stage_history``
    dates, and the mail recorded for it (``mail.date``: a reply is activity). Dates
    after ``today`` (an interview scheduled next week) are not activity yet.
    Applications with no date at all are left out.
    """
    sources = (
        ("applications", ("applied_on", "stage_changed_on")),
        ("interviews", ("held_on",)),
        ("messages", ("drafted_on", "sent_on")),
        ("stage_history", ("changed_on",)),
        ("mail", ("date",)),
    )
    parts = []
    for name, columns in sources:
        df = table_in(tables, name)
        for col in columns:
            parts.append(
                pd.DataFrame(
                    {"application_id": df["application_id"].to_numpy(), "on": df[col].to_numpy()}
                )
            )
    long = pd.concat(parts, ignore_index=True)
    long["on"] = iso_dates(long["on"].astype("str"))
    long = long[long["on"].notna() & (long["on"] <= pd.Timestamp(today))]
    return long.groupby("application_id")["on"].max()


@dataclass
class Standing:
    """Where the search stands (see the module's docstring).

    Attributes:
        phase: one of :data:`PHASES`.
        offer: the signed offer that ended the search, if any.
        offers: applications at ``offer`` or ``accepted`` not yet signed.
        states: :func:`helpers.rules.follow_up_states` (every application, the most
            urgent first), already aware of the phase.
        steps: one row per application (only ``application_id``'s when given) with
            :data:`STEP_COLUMNS`, the most urgent first (``priority`` 0: needs you
            now; 1: waiting; 2: saved; 3: closed), then the furthest stage, then the
            longest idle.
        withdraw: once an offer is signed, the other open applications.
    """

    phase: str
    offer: SignedOffer | None
    offers: pd.DataFrame = field(repr=False)
    states: pd.DataFrame = field(repr=False)
    steps: pd.DataFrame = field(repr=False)
    withdraw: pd.DataFrame = field(repr=False)

    @property
    def is_over(self) -> bool:
        """True once an offer letter is signed."""
        return self.phase == "search_over"

    @property
    def message(self) -> str:
        """One line: where the search stands."""
        if self.offer is not None:
            when = f" on {self.offer.on.isoformat()}" if self.offer.on else ""
            n = len(self.withdraw)
            rest = (
                f"withdraw politely from the {n} other open application{'s' if n != 1 else ''} "
                "(04_pipeline drafts each)"
                if n
                else "nothing else is open"
            )
            return (
                f"Your search is over: you signed the offer for {_one_line(self.offer.role)} at "
                f"{_one_line(self.offer.company)}{when}. No follow-up is due anywhere; "
                f"{rest}, and send any thank-you already due."
            )
        if self.phase == "offer_pending":
            names = ", ".join(
                f"{_one_line(r.company)} — {_one_line(r.role)}" for r in self.offers.itertuples()
            )
            return (
                f"An offer is on the table ({names}): answer it. Until an offer letter is "
                "signed, keep the other applications going."
            )
        return "Your search is active: follow the next steps below, and keep applying."


def search_standing(
    tables: Mapping[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    application_id: str = "",
) -> Standing:
    """Where the search stands and every application's next step (the one answer)."""
    apps = table_in(tables, "applications")
    states = follow_up_states(tables, profile, today)
    offers = apps[apps["stage"].isin(("offer", "accepted")) & (apps["offer_signed_on"] == "")]
    return Standing(
        phase=phase(apps),
        offer=signed_offer(apps),
        offers=offers.reset_index(drop=True),
        states=states,
        steps=next_steps(tables, profile, today, states, application_id),
        withdraw=to_withdraw(apps),
    )


def next_steps(
    tables: Mapping[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    states: pd.DataFrame,
    application_id: str = "",
) -> pd.DataFrame:
    """Every application's next step (the table of :attr:`Standing.steps`)."""
    c = _Columns.of(tables, profile, today, states, application_id)
    step, action = _step_and_action(c)
    board = pd.DataFrame(
        {
            "application_id": c.ids,
            "company": c.apps["company"].to_numpy(),
            "role": c.apps["role"].to_numpy(),
            "stage": c.stage,
            "applied_on": c.apps["applied_on"].to_numpy(),
            "last_activity": c.last.dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
            "days_idle": c.idle.to_numpy(),
            "stale": c.stale,
            "follow_up": c.state,
            "kind": c.kind,
            "timing": c.timing,
            "earliest": c.earliest_dates,
            "reason": c.reason,
            "sent_count": c.sent,
            "cap": c.cap,
            "upcoming_interview": c.upcoming_dates,
            "next_step": step,
            "next_action": _stale_first(c, step, action),
            "priority": _priority(c),
        }
    ).astype(
        {
            "next_action": "str",
            "next_step": "str",
            "last_activity": "str",
            "follow_up": "str",
            "kind": "str",
            "timing": "str",
            "reason": "str",
        }
    )
    board["days_idle"] = board["days_idle"].astype("Int64")
    return _most_urgent_first(board)[list(STEP_COLUMNS)]


@dataclass(frozen=True)
class _Columns:
    """What an application's next step is decided from, a column (array) each: its
    row in ``applications``, its follow-up state, how long it has been idle."""

    apps: pd.DataFrame
    ids: np.ndarray
    stage: np.ndarray
    state: np.ndarray
    kind: np.ndarray
    timing: np.ndarray
    reason: np.ndarray
    sent: np.ndarray
    cap: np.ndarray
    earliest_dates: np.ndarray
    upcoming_dates: np.ndarray
    earliest: pd.Series
    last: pd.Series
    idle: pd.Series
    over: np.bool_
    is_signed: np.ndarray
    closing: np.ndarray
    waiting: np.ndarray
    stale: np.ndarray
    when: pd.Series
    coming: pd.Series
    decision: pd.Series
    signed_on: pd.Series

    def text(self, value: str) -> pd.Series:
        """``value`` for every application."""
        return pd.Series(value, index=self.when.index)

    @classmethod
    def of(
        cls,
        tables: Mapping[str, pd.DataFrame],
        profile: Profile,
        today: dt.date,
        states: pd.DataFrame,
        application_id: str,
    ) -> _Columns:
        apps = table_in(tables, "applications")
        over = np.bool_((apps["offer_signed_on"] != "").any())
        if application_id:
            apps = apps[apps["application_id"] == application_id]
        apps = apps.reset_index(drop=True)
        ids = apps["application_id"].to_numpy()
        by_id = states.set_index("application_id")

        def col(name: str, fill=None):
            values = by_id[name].reindex(ids)
            return values.fillna(fill).to_numpy() if fill is not None else values.to_numpy()

        state = col("state", "").astype(str)
        earliest_dates = col("earliest")
        upcoming_dates = col("upcoming_interview")
        earliest = pd.to_datetime(pd.Series(earliest_dates, dtype=object))
        upcoming = pd.to_datetime(pd.Series(upcoming_dates, dtype=object))
        last = pd.Series(pd.to_datetime(last_activity(tables, today).reindex(ids)))
        idle = (pd.Timestamp(today) - last).dt.days.astype("Int64").reset_index(drop=True)

        stage = apps["stage"].to_numpy()
        is_signed = apps["offer_signed_on"].to_numpy() != ""
        waiting = np.isin(stage, WAITING_STAGES) & ~is_signed & ~over
        return cls(
            apps=apps,
            ids=ids,
            stage=stage,
            state=state,
            kind=col("kind", "").astype(str),
            timing=col("timing", "").astype(str),
            reason=col("reason", "").astype(str),
            sent=col("sent_count", 0).astype(int),
            cap=col("cap", 0).astype(int),
            earliest_dates=earliest_dates,
            upcoming_dates=upcoming_dates,
            earliest=earliest,
            last=last,
            idle=idle,
            over=over,
            is_signed=is_signed,
            closing=over & np.isin(stage, ACTIVE_STAGES) & ~is_signed,
            waiting=waiting,
            stale=_stale(waiting, idle, earliest, state, profile, today),
            when=pd.Series(day_text(earliest, today).to_numpy()),
            coming=pd.Series(day_text(upcoming, today).to_numpy()),
            decision=pd.Series(day_text(iso_dates(apps["decision_expected_on"]), today).to_numpy()),
            signed_on=pd.Series(day_text(iso_dates(apps["offer_signed_on"]), today).to_numpy()),
        )


def _stale(
    waiting: np.ndarray,
    idle: pd.Series,
    earliest: pd.Series,
    state: np.ndarray,
    profile: Profile,
    today: dt.date,
) -> np.ndarray:
    """Waiting on the employer, idle for ``stale_after_days`` or more, and with no later
    date to wait for (a follow-up not yet polite, a reply or an interview to come)."""
    later_date = pd.Series(earliest > pd.Timestamp(today)).fillna(False).to_numpy(
        dtype=bool
    ) | np.isin(state, ("waiting", "interview_upcoming"))
    return (
        waiting
        & (idle >= profile.rules.stale_after_days).fillna(False).to_numpy(bool)
        & ~later_date
    )


def _step_and_action(c: _Columns) -> tuple[np.ndarray, np.ndarray]:
    """Each application's next step and the action a person reads: the first of the
    rules (:func:`_stage_rules`, then :func:`_follow_up_rules`) that holds."""
    rules = _stage_rules(c) + _follow_up_rules(c)
    conditions = [np.asarray(cond, dtype=bool) for cond, _, _ in rules]
    step = np.select(conditions, [s for _, s, _ in rules], default="wait")
    action = np.select(
        conditions,
        [np.asarray(a, dtype=object) for _, _, a in rules],
        default="Wait for a reply",
    ).astype(str)
    return step, action


def _stage_rules(c: _Columns) -> list[tuple]:
    """(condition, step, action) from the stage: a signed offer, the search over, an
    offer, a closed or saved application."""
    stage = c.stage
    return [
        (c.is_signed, "celebrate", "Offer signed on " + c.signed_on + ": congratulations!"),
        (
            c.closing,
            "withdraw",
            c.text("Withdraw politely (your draft is ready), then mark it withdrawn"),
        ),
        (c.over & (stage == "saved"), "none", c.text("None: your search is over")),
        (c.over, "none", c.text("None: closed")),
        (
            stage == "accepted",
            "sign",
            c.text("Record the day you sign the offer letter (Change stage)"),
        ),
        (np.isin(stage, CLOSED_STAGES), "none", c.text("None: closed")),
        (
            stage == "offer",
            "answer_offer",
            "Answer the offer" + (" by " + c.decision).where(c.decision != "", ""),
        ),
        (stage == "saved", "apply", c.text("Apply, or drop it")),
    ]


def _follow_up_rules(c: _Columns) -> list[tuple]:
    """(condition, step, action) from where the follow-up stands (:mod:`helpers.rules`):
    an interview coming, a follow-up or check-in due, waiting, or moving on."""
    state, when, coming = c.state, c.when, c.coming
    check_in = c.kind == "check_in"
    due = np.isin(state, ("due", "overdue"))
    n_sent = pd.Series(c.sent).astype("str")
    return [
        (
            (state == "interview_upcoming") & (coming == "").to_numpy(),
            "record",
            c.text("Record the interview they invited you to (01_post_interview), then prepare"),
        ),
        (
            state == "interview_upcoming",
            "prepare",
            "Prepare for the interview on " + coming + " (02_research); no follow-up before it",
        ),
        (due & check_in, "check_in", "Check in now (polite from " + when + ")"),
        (due, "follow_up", "Follow up now (polite from " + when + ")"),
        (
            state == "thank_yous_pending",
            "thank_yous",
            "Send the thank-you notes first (01_post_interview); follow up from " + when,
        ),
        ((state == "not_yet") & check_in, "wait", "Wait; check in from " + when),
        (state == "not_yet", "wait", "Wait; follow up from " + when),
        (state == "waiting", "wait", "Wait for a reply to your check-in, then mark it ghosted"),
        (
            (state == "cap_reached") & check_in,
            "move_on",
            c.text("Move on: your check-in went unanswered, mark it ghosted"),
        ),
        (
            state == "cap_reached",
            "move_on",
            "Move on: " + n_sent + " follow-ups unanswered, mark it ghosted",
        ),
        (state == "no_interview", "give_date", c.text("Give the date you applied (Change stage)")),
    ]


def _stale_first(c: _Columns, step: np.ndarray, action: np.ndarray) -> np.ndarray:
    """The action, preceded for a stale application by how long it has been idle."""
    days = c.idle.astype("str").to_numpy()
    return np.array(
        [
            f"Stale, {d} days without activity: "
            + ("send a polite note, or mark it ghosted" if s == "wait" else a[:1].lower() + a[1:])
            if old
            else a
            for old, d, s, a in zip(c.stale, days, step, action, strict=True)
        ],
        dtype=object,
    ).astype(str)


def _priority(c: _Columns) -> np.ndarray:
    """0: needs you now; 1: waiting on them; 2: only saved; 3: closed."""
    needs_you = (
        c.stale
        | np.isin(c.state, ("due", "overdue", "thank_yous_pending", "cap_reached"))
        | np.isin(c.stage, ("offer", "accepted"))
        | ((c.state == "interview_upcoming") & (c.coming == "").to_numpy())  # invited: record it
    )
    now = (needs_you & ~c.is_signed & ~c.over) | c.closing
    return np.select([now, c.waiting, c.stage == "saved"], [0, 1, 2], default=3).astype(int)


def _most_urgent_first(board: pd.DataFrame) -> pd.DataFrame:
    """By priority, then the furthest stage, the longest idle, the company, the id."""
    rank = board["stage"].map({s: i for i, s in enumerate(STAGES)}).astype(int)
    rank = rank.where(~board["stage"].isin(CLOSED_STAGES), -1)
    order = pd.DataFrame(
        {
            "priority": board["priority"],
            "rank": -rank,
            "idle": -board["days_idle"].fillna(-1),
            "company": board["company"].str.casefold(),
            "id": board["application_id"],
        }
    ).sort_values(["priority", "rank", "idle", "company", "id"], kind="stable")
    return board.loc[order.index].reset_index(drop=True)


@dataclass(frozen=True)
class Counts:
    """How many applications are where: the numbers 04_pipeline, the coach report and
    the caseload all give (``active``: stage applied to offer; ``closed``: neither
    active nor saved)."""

    applications: int
    active: int
    saved: int
    closed: int
    stale: int
    follow_ups_due: int


def stage_counts(steps: pd.DataFrame) -> Counts:
    """The :class:`Counts` of :attr:`Standing.steps` (or a board made from it)."""
    stage = steps["stage"]
    n_active = int(stage.isin(ACTIVE_STAGES).sum())
    saved = int((stage == "saved").sum())
    return Counts(
        applications=len(steps),
        active=n_active,
        saved=saved,
        closed=len(steps) - n_active - saved,
        stale=int(steps["stale"].sum()),
        follow_ups_due=int(steps["follow_up"].isin(["due", "overdue"]).sum()),
    )


def upcoming_interviews(
    tables: Mapping[str, pd.DataFrame], today: dt.date, application_id: str = ""
) -> pd.DataFrame:
    """Interviews dated after ``today`` at applications still open, soonest first.

    Columns: ``application_id``, ``interview_id``, ``held_on``, ``company``, ``role``,
    ``round``, ``format``, ``people`` (names, as recorded), ``days`` (days to go).
    Once an offer is signed there are none to prepare for.
    """
    apps = table_in(tables, "applications")
    interviews = table_in(tables, "interviews")
    columns = [
        "application_id",
        "interview_id",
        "held_on",
        "company",
        "role",
        "round",
        "format",
        "people",
        "days",
    ]
    held = iso_dates(interviews["held_on"])
    coming = interviews[(held > pd.Timestamp(today)).to_numpy()]
    if application_id:
        coming = coming[coming["application_id"] == application_id]
    open_apps = apps[~apps["stage"].isin(CLOSED_STAGES) & (apps["offer_signed_on"] == "")]
    if (apps["offer_signed_on"] != "").any():
        open_apps = open_apps.iloc[0:0]
    coming = coming.merge(
        open_apps[["application_id", "company", "role"]], on="application_id", how="inner"
    )
    if coming.empty:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    met = table_in(tables, "interview_contacts")
    names = table_in(tables, "contacts").set_index("contact_id")["name"]
    people = (
        met.assign(name=met["contact_id"].map(names).fillna(met["contact_id"]))
        .groupby("interview_id")["name"]
        .agg(lambda s: ", ".join(_one_line(n) for n in s))
    )
    coming = coming.assign(
        people=coming["interview_id"].map(people).fillna(""),
        days=[(dt.date.fromisoformat(d) - today).days for d in coming["held_on"]],
    )
    return coming.sort_values(["held_on", "company"], kind="stable").reset_index(drop=True)[columns]


def _one_line(text) -> str:
    return " ".join(str(text).split())
