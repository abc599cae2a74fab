"""The pipeline: every application at a glance, and the push to keep it full.

What ``04_pipeline`` shows and does, as functions of the workspace tables (as
:meth:`Workspace.load_all` returns them), the profile and "today":

- :func:`pipeline_table`: each application's stage, days since its last activity,
  the next action from the etiquette rules (``helpers.rules``) and whether it is
  stale;
- :func:`add_application` (:func:`add_application_anyway` for the same company and
  role again) and :func:`change_stage`: the only writers here; every stage change is
  also recorded in ``stage_history``;
- :func:`weekly_counts` and :func:`search_status`: applications sent per ISO week
  against the weekly goal, "keep applying" until an offer letter is signed, and
  then the other open applications to withdraw from (:func:`draft_withdrawals`);
- :func:`basket_warnings`: a thin pipeline, or every late-stage opportunity at one
  company;
- :func:`funnel`: how many applications reached each stage, and the conversion.

Everything is computed table-wise with pandas (a workspace may hold 100 000
applications); only the drafts are written one by one.

Typical use::

    tables = ws.load_all()
    board = pipeline_table(tables, profile, today)
    status = search_status(tables, profile, today)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpers.drafts import (
    one_line,
)
from helpers.errors import FieldErrors, WorkspaceError, parse_plainly
from helpers.paths import unique_slug
from helpers.profile import Profile
from helpers.schema import STAGES
from helpers.standing import (
    STEP_COLUMNS,
    WAITING_STAGES,  # noqa: F401 (part of this module's interface)
    active,
    last_activity,  # noqa: F401 (part of this module's interface)
    search_standing,
    signed,
    stage_counts,
    to_withdraw,
)
from helpers.store import Transaction, Workspace, iso_dates, table_in
from helpers.validate import AMOUNT, CURRENCY, URL, OptionalDate, one_of

LATE_STAGES = ("interviewing", "offer")
"""Late-stage opportunities, for the "eggs in one basket" warning."""

FUNNEL_STAGES = ("saved", "applied", "screening", "interviewing", "offer", "accepted")
"""The stages a search moves through, in order; the funnel counts how many reached each."""

# An application that ended reached at least this far (you cannot be rejected or
# ghosted without applying; a saved posting can be dropped as "withdrawn").
_EXIT_REACHED = {"rejected": "applied", "ghosted": "applied", "withdrawn": "saved"}

PIPELINE_COLUMNS = (
    *STEP_COLUMNS[: STEP_COLUMNS.index("follow_up") + 1],  # application … its follow-up
    "next_action",
    "priority",
)
"""The columns of :func:`pipeline_table`."""


# -- all applications at a glance -------------------------------------------------


def pipeline_table(
    tables: Mapping[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    application_id: str = "",
) -> pd.DataFrame:
    """Every application with its stage, idle days, next action and staleness.

    The next action is the application's next step in
    :func:`helpers.standing.search_standing` (the same answer ``03_follow_up``, the
    calendar and the coach report give). An application is *stale* when it waits on
    the employer (stage ``applied``, ``screening`` or ``interviewing``), nothing
    happened for ``profile.rules.stale_after_days`` days or more, and the rules are
    not waiting for a later polite date (a decision date they gave, say). Once some
    offer is signed, nothing is stale: the other open applications' next action is
    to withdraw.

    Returns:
        One row per application (only ``application_id`` when given) with the
        columns of :data:`PIPELINE_COLUMNS`, most urgent first (``priority`` 0:
        needs you now; 1: waiting; 2: saved; 3: closed), then the furthest stage,
        then the longest idle.
    """
    steps = search_standing(tables, profile, today, application_id).steps
    return steps[list(PIPELINE_COLUMNS)].reset_index(drop=True)


def latest_coach_notes(coach_notes: pd.DataFrame, width: int = 120) -> pd.Series:
    """Each application's most recent coach note, as "note — author, date", by id."""
    if coach_notes.empty:
        return pd.Series(dtype="str")
    notes = coach_notes.sort_values("added_on", kind="stable").drop_duplicates(
        "application_id", keep="last"
    )
    note = notes["note"].str.replace(r"\s+", " ", regex=True).str.strip()
    note = note.where(note.str.len() <= width, note.str.slice(0, width - 1) + "…")
    signed = (" — " + notes["author"]).where(notes["author"] != "", "")
    dated = (", " + notes["added_on"]).where(notes["added_on"] != "", "")
    return pd.Series((note + signed + dated).to_numpy(), index=notes["application_id"].to_numpy())


def pipeline_view(board: pd.DataFrame, coach_notes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The pipeline as a person reads it: plain headings, no identifiers; with the
    coach's latest note per application when ``coach_notes`` has any."""
    view = pd.DataFrame(
        {
            "company": board["company"],
            "role": board["role"],
            "stage": board["stage"],
            "applied": board["applied_on"],
            "last activity": board["last_activity"],
            "days idle": board["days_idle"].astype("str").replace("<NA>", ""),
            "next action": board["next_action"],
        }
    ).reset_index(drop=True)
    if coach_notes is not None and not coach_notes.empty:
        latest = latest_coach_notes(coach_notes)
        view["coach"] = board["application_id"].map(latest).fillna("").to_numpy()
    return view


def pipeline_summary(board: pd.DataFrame) -> str:
    """One line: how many applications, active, saved, closed; stale and due."""
    if board.empty:
        return "No applications yet."
    c = stage_counts(board)
    n, due = c.applications, c.follow_ups_due
    return (
        f"{n} application{'s' if n != 1 else ''}: {c.active} active, {c.saved} saved, "
        f"{c.closed} closed · {c.stale} stale · {due} follow-up{'s' if due != 1 else ''} due."
    )


# -- adding an application ---------------------------------------------------------


class NewApplication(BaseModel):
    """What the new-application form asks for (and :func:`add_application` takes)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    company: str = Field(min_length=1, description="The employer.")
    role: str = Field(min_length=1, description="The job title, as the posting names it.")
    location: str = ""
    job_url: str = ""
    source: str = Field("", description="Where you found it: LinkedIn, referral, …")
    stage: str = "applied"
    applied_on: OptionalDate = None
    decision_expected_on: OptionalDate = None
    salary_min: str = ""
    salary_max: str = ""
    currency: str = ""
    notes: str = ""

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str) -> str:
        return one_of(value, STAGES)

    @field_validator("job_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not re.fullmatch(URL, value):
            raise ValueError("give a web address starting with https://")
        return value

    @field_validator("salary_min", "salary_max", mode="before")
    @classmethod
    def _amount(cls, value) -> str:
        text = "" if value is None else str(value).strip().replace(",", "")
        if text and not re.fullmatch(AMOUNT, text):
            raise ValueError("give a plain number, e.g. 85000")
        return text

    @field_validator("salary_max")
    @classmethod
    def _range(cls, value: str, info) -> str:
        low = info.data.get("salary_min")
        if value and low and float(low) > float(value):
            raise ValueError("the maximum is below the minimum")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        value = value.upper()
        if value and not re.fullmatch(CURRENCY, value):
            raise ValueError("give a three-letter currency code, e.g. USD")
        return value


def parse_application(data: Mapping) -> NewApplication:
    """A :class:`NewApplication` from plain values (a form's, or a parameter's).

    Raises:
        FieldErrors: field → message for every problem.
    """
    return parse_plainly(NewApplication, dict(data), required=("string_too_short", "missing"))


class DuplicateApplication(WorkspaceError):
    """An application for the same company and role is already in the workspace."""

    def __init__(self, company: str, role: str, existing: pd.DataFrame):
        self.existing = list(existing["application_id"])
        listed = ", ".join(
            f"{r.application_id} (stage {r.stage})" for r in existing.head(3).itertuples()
        )
        super().__init__(
            f"{company} — {role} is already in your pipeline: {listed}. "
            "Add it anyway only if it is a different opening.",
            file="applications.csv",
        )


def name_key(s: pd.Series) -> pd.Series:
    """Company or role text as compared for duplicates: case and runs of spaces ignored."""
    return s.str.casefold().str.split().str.join(" ").fillna("")


def same_company_and_role(apps: pd.DataFrame, company: str, role: str) -> pd.DataFrame:
    """Applications with this company and role (case and spacing ignored)."""
    c = " ".join(company.casefold().split())
    r = " ".join(role.casefold().split())
    return apps[(name_key(apps["company"]) == c) & (name_key(apps["role"]) == r)]


@dataclass(frozen=True)
class Added:
    """What :func:`add_application` wrote."""

    application_id: str
    stage: str
    applied_on: str


def add_application(ws: Workspace, record: NewApplication, today: dt.date) -> Added:
    """Add an application and its first ``stage_history`` entries, in one transaction.

    A new application at stage ``applied`` without a date is taken as applied today.
    Its history holds ``applied`` on ``applied_on`` (when given and the stage is past
    ``saved``) and its stage on today (``applied_on`` for ``applied``).

    Raises:
        DuplicateApplication: the same company and role is already there (nothing was
            written; :func:`add_application_anyway` adds it all the same).
        WorkspaceError: the workspace refused the record (nothing was written).
    """
    return _add(ws, record, today, _refuse_duplicate)


def add_application_anyway(ws: Workspace, record: NewApplication, today: dt.date) -> Added:
    """:func:`add_application`, even when the same company and role is already there
    (a second opening for the same role): it gets an id of its own.

    Raises:
        WorkspaceError: the workspace refused the record (nothing was written).
    """
    return _add(ws, record, today, lambda apps, record: None)


def _refuse_duplicate(apps: pd.DataFrame, record: NewApplication) -> None:
    same = same_company_and_role(apps, record.company, record.role)
    if len(same):
        raise DuplicateApplication(record.company, record.role, same)


def _add(ws: Workspace, record: NewApplication, today: dt.date, check) -> Added:
    """Add the application, once ``check(applications, record)`` has not refused it."""
    with ws.transaction() as tx:
        apps = tx.load("applications")
        check(apps, record)
        app_id = unique_slug(
            f"{record.company} {record.role}", apps["application_id"], "application"
        )
        applied_on = record.applied_on
        if applied_on is None and record.stage == "applied":
            applied_on = today
        since = applied_on if record.stage == "applied" else today
        row = record.model_dump(exclude={"applied_on", "decision_expected_on"})
        row.update(
            application_id=app_id,
            applied_on=applied_on or "",
            stage_changed_on=since,
            decision_expected_on=record.decision_expected_on or "",
        )
        tx.append("applications", [row])
        history = []
        if applied_on and record.stage not in ("saved", "applied"):
            history.append({"application_id": app_id, "stage": "applied", "changed_on": applied_on})
        history.append({"application_id": app_id, "stage": record.stage, "changed_on": since})
        tx.append("stage_history", history)
    return Added(app_id, record.stage, applied_on.isoformat() if applied_on else "")


# -- changing stage ----------------------------------------------------------------


@dataclass(frozen=True)
class StageChange:
    """What :func:`change_stage` did."""

    application_id: str
    before: str
    after: str
    on: dt.date
    history_added: bool
    signed_on: dt.date | None


def change_stage(
    ws: Workspace,
    application_id: str,
    stage: str,
    on: dt.date,
    offer_signed_on: dt.date | None = None,
) -> StageChange:
    """Move an application to ``stage`` on ``on``, and record it in ``stage_history``.

    Every change is appended to ``stage_history`` (the funnel and the proof of search
    read it). Moving to ``applied`` sets ``applied_on`` when it is empty.
    ``offer_signed_on`` is set only when given here, and only at stage ``offer`` or
    ``accepted``: it ends the search. Asking for the stage the application is
    already at records nothing new (it is not a change), but still signs the offer
    when ``offer_signed_on`` is given.

    Raises:
        FieldErrors: an unknown stage, a missing date, a signing date at the
            wrong stage, or nothing to change.
        WorkspaceError: there is no such application (nothing was written).
    """
    errors = {}
    if stage not in STAGES:
        errors["stage"] = f"{stage!r} is not one of: {', '.join(STAGES)}"
    if not isinstance(on, dt.date):
        errors["on"] = "give the date of the change (YYYY-MM-DD)"
    if offer_signed_on is not None and stage not in ("offer", "accepted"):
        errors["offer_signed_on"] = "an offer letter is signed at stage offer or accepted"
    if errors:
        raise FieldErrors(errors)
    with ws.transaction() as tx:
        return stage_change_in(tx, application_id, stage, on, offer_signed_on)


def stage_change_in(
    tx: Transaction,
    application_id: str,
    stage: str,
    on: dt.date,
    offer_signed_on: dt.date | None = None,
) -> StageChange:
    """:func:`change_stage` inside an open transaction (with other changes, all or none).

    For code that changes a stage as part of a larger save (recording an interview
    moves the application to ``interviewing``): the same rules, the same
    ``stage_history`` entry; the arguments are not checked again.
    """
    apps = tx.load("applications")
    at = apps["application_id"] == application_id
    if not at.any():
        raise WorkspaceError(
            f"there is no application {application_id!r} in applications.csv",
            file="applications.csv",
        )
    before = apps.loc[at, "stage"].iloc[0]
    changed = before != stage
    if not changed and offer_signed_on is None:
        raise FieldErrors({"stage": f"{application_id} is already at stage {stage}"})
    if changed:
        apps.loc[at, ["stage", "stage_changed_on"]] = [stage, on.isoformat()]
        if stage == "applied":
            apps.loc[at & (apps["applied_on"] == ""), "applied_on"] = on.isoformat()
    if offer_signed_on is not None:
        apps.loc[at, "offer_signed_on"] = offer_signed_on.isoformat()
    tx.save("applications", apps)
    if changed:
        tx.append(
            "stage_history",
            [{"application_id": application_id, "stage": stage, "changed_on": on}],
        )
    return StageChange(application_id, before, stage, on, changed, offer_signed_on)


# -- keep applying -----------------------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    """The Monday that starts ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def iso_week(day: dt.date) -> str:
    """``2026-W53``: the ISO year and week (the year a week belongs to, not the day's)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_counts(apps: pd.DataFrame, today: dt.date, weeks: int = 12) -> pd.DataFrame:
    """Applications sent per ISO week, up to ``today``'s week, zero weeks included.

    An application counts in the week of its ``applied_on``. Weeks run Monday to
    Sunday and are labelled by ISO year and week, so 31 Dec 2026 and 1 Jan 2027
    are the same week (2026-W53).

    Returns:
        Columns ``week`` (``2026-W48``), ``week_start`` (the Monday, a date) and
        ``sent``: the last ``weeks`` weeks, or fewer when the first application was
        sent more recently.
    """
    this_monday = week_start(today)
    applied = iso_dates(apps["applied_on"]).dropna()
    monday = (applied - pd.to_timedelta(applied.dt.day_of_week, unit="D")).dt.date
    counts = monday.value_counts()
    first = min(counts.index, default=this_monday)
    first = min(max(first, this_monday - dt.timedelta(weeks=weeks - 1)), this_monday)
    mondays = [first + dt.timedelta(weeks=i) for i in range((this_monday - first).days // 7 + 1)]
    return pd.DataFrame(
        {
            "week": pd.Series([iso_week(m) for m in mondays], dtype="str"),
            "week_start": mondays,
            "sent": [int(counts.get(m, 0)) for m in mondays],
        }
    )


def sent_in_week(apps: pd.DataFrame, day: dt.date) -> int:
    """Applications whose ``applied_on`` falls in ``day``'s ISO week (Monday to Sunday)."""
    applied = iso_dates(apps["applied_on"])
    monday = pd.Timestamp(week_start(day))
    return int(((applied >= monday) & (applied < monday + pd.Timedelta(days=7))).sum())


@dataclass
class SearchStatus:
    """Where the search stands: keep applying, or an offer is signed.

    Attributes:
        signed: applications with ``offer_signed_on``, latest first.
        active: applications sent and still open.
        saved: postings saved but not applied to.
        sent_this_week: applications whose ``applied_on`` is in today's ISO week.
        goal: the profile's weekly goal.
        week: today's ISO week (``2026-W48``) and its Monday.
        to_withdraw: once signed, the other open applications (to withdraw from).
    """

    signed: pd.DataFrame
    active: int
    saved: int
    sent_this_week: int
    goal: int
    week: str
    monday: dt.date
    to_withdraw: pd.DataFrame = field(repr=False)

    @property
    def is_signed(self) -> bool:
        """True once some application has ``offer_signed_on``: the search is over."""
        return not self.signed.empty

    @property
    def kind(self) -> str:
        """How the message is shown: ``ok`` (signed, or goal met) or ``warn``."""
        return "ok" if self.is_signed or self.sent_this_week >= self.goal else "warn"

    @property
    def message(self) -> str:
        """The plain message: keep applying (and how), or congratulations."""
        if self.is_signed:
            top = self.signed.iloc[0]
            n = len(self.to_withdraw)
            rest = (
                f"{n} other open application{'s' if n != 1 else ''} to withdraw from politely: "
                "a draft for each is below."
                if n
                else "No other open applications to withdraw from."
            )
            return (
                f"Congratulations! You signed the offer for {one_line(top['role'])} at "
                f"{one_line(top['company'])} on {top['offer_signed_on']}. Your search is "
                f"over. {rest}"
            )
        week = f"This week ({self.week}, from Mon {self.monday.day} {self.monday:%b}): "
        if self.goal:
            left = self.goal - self.sent_this_week
            goal = f"{self.sent_this_week} of your goal of {self.goal} applications sent" + (
                f", {left} to go." if left > 0 else ": goal met, well done."
            )
        else:
            goal = f"{self.sent_this_week} applications sent (no weekly goal set in your profile)."
        n = self.active
        return (
            week
            + goal
            + f" You have {n} active application{'s' if n != 1 else ''}. Until an offer letter "
            "is signed, keep applying: roles get cut or filled internally, even late."
        )


def search_status(
    tables: Mapping[str, pd.DataFrame], profile: Profile, today: dt.date
) -> SearchStatus:
    """The "keep applying" state of the whole search (see :class:`SearchStatus`)."""
    apps = table_in(tables, "applications")
    is_signed = apps["offer_signed_on"] != ""
    return SearchStatus(
        signed=signed(apps),
        active=int(active(apps).sum()),
        saved=int(((apps["stage"] == "saved") & ~is_signed).sum()),
        sent_this_week=sent_in_week(apps, today),
        goal=profile.weekly_goal,
        week=iso_week(today),
        monday=week_start(today),
        to_withdraw=to_withdraw(apps),
    )


# -- eggs in one basket ------------------------------------------------------------


def basket_warnings(apps: pd.DataFrame, profile: Profile) -> list[str]:
    """Warnings about a pipeline that leans on too little (none once an offer is signed).

    - *thin*: fewer active applications than ``profile.rules.thin_pipeline``;
    - *one company*: every late-stage opportunity (``interviewing``, ``offer``) is
      at the same company (names compared ignoring case and spacing).
    """
    if (apps["offer_signed_on"] != "").any():
        return []
    warnings = []
    live = apps[active(apps)]
    threshold = profile.rules.thin_pipeline
    if len(live) < threshold:
        n = len(live)
        warnings.append(
            f"Thin pipeline: {n} active application{'s' if n != 1 else ''}, fewer than your "
            f"threshold of {threshold}. Send a few more this week: any one of them can fall "
            "through."
        )
    late = live[live["stage"].isin(LATE_STAGES)]
    companies = name_key(late["company"])
    if len(late) and companies.nunique() == 1:
        name = one_line(late["company"].iloc[0])
        n = len(late)
        what = "Your only late-stage opportunity is" if n == 1 else f"All {n} late-stage ones are"
        warnings.append(
            f"Eggs in one basket: {what} at {name}. A hiring freeze there would reset your "
            "search; keep other applications moving toward interviews."
        )
    return warnings


def basket_summary(apps: pd.DataFrame) -> str:
    """One line: active applications and companies, and where the late-stage ones are."""
    live = apps[active(apps)]
    late = live[live["stage"].isin(LATE_STAGES)]
    n, c = len(live), name_key(live["company"]).nunique()
    k, j = len(late), name_key(late["company"]).nunique()
    return (
        f"{n} active application{'s' if n != 1 else ''} at {c} compan{'ies' if c != 1 else 'y'}; "
        f"{k} late-stage (interviewing or offer) at {j} compan{'ies' if j != 1 else 'y'}."
    )


# -- the funnel --------------------------------------------------------------------


def funnel(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """How many applications reached each stage, and how many of those went on.

    An application reached a stage when ``stage_history`` or its current stage shows
    that stage or a later one (``saved`` → ``applied`` → ``screening`` →
    ``interviewing`` → ``offer`` → ``accepted``): one moved from applied straight to
    interviewing also passed screening. ``rejected`` and ``ghosted`` mean it was at
    least applied to; ``withdrawn`` only that it was saved.

    Returns:
        Columns ``stage``, ``reached`` (applications) and ``went_on`` (the share of
        those that reached the next stage; NaN for the last stage or when none
        reached this one).
    """
    apps = table_in(tables, "applications")
    history = table_in(tables, "stage_history")
    rank = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    rank.update({s: rank[r] for s, r in _EXIT_REACHED.items()})
    long = pd.concat(
        [history[["application_id", "stage"]], apps[["application_id", "stage"]]],
        ignore_index=True,
    )
    long = long[long["application_id"].isin(apps["application_id"])]
    furthest = long["stage"].map(rank).groupby(long["application_id"]).max()
    reached = [int((furthest >= i).sum()) for i in range(len(FUNNEL_STAGES))]
    went_on = [
        reached[i + 1] / reached[i] if i + 1 < len(reached) and reached[i] else np.nan
        for i in range(len(reached))
    ]
    return pd.DataFrame(
        {"stage": pd.Series(FUNNEL_STAGES, dtype="str"), "reached": reached, "went_on": went_on}
    )


def funnel_view(f: pd.DataFrame) -> pd.DataFrame:
    """The funnel as a person reads it: the conversion as a percentage."""
    nxt = [*f["stage"].iloc[1:], ""]
    went = [
        f"{round(rate * 100)} % reached {n}" if n and not np.isnan(rate) else ""
        for rate, n in zip(f["went_on"], nxt, strict=True)
    ]
    return pd.DataFrame(
        {"stage": f["stage"], "applications": f["reached"], "went on": went}
    ).reset_index(drop=True)


# -- the headless summary ----------------------------------------------------------


def summary(
    board: pd.DataFrame, status: SearchStatus, warnings: list[str], exports: list[str]
) -> str:
    """The run's summary in plain text (what papermill prints)."""
    lines = [pipeline_summary(board), status.message]
    lines += [f"Warning: {w}" for w in warnings]
    if exports:
        lines.append("Proof of search: " + ", ".join(exports))
    return "\n".join(lines)
