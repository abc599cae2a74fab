"""Follow-ups: where every application stands, the drafts for what is due, a timeline.

The rules themselves (earliest polite date, spacing, cap, closing stages, the
no-interview check-in) are in ``helpers.rules``, and where the search stands in
``helpers.standing``; this module turns them into what a person reads and sends.

A follow-up goes to the person coordinating the process: the recruiter, where there
is one (whether or not they sat in the latest interview), else the hiring manager,
else the last person met. Its words fit that person: "our interview" only to someone
who was in it, otherwise "my interview with Priya and the team"; a decision date is
"you hoped to decide by …" only to the person who gave it ("Priya mentioned …" when
someone else did, neutral when nobody was recorded). An existing unsent draft is
never drafted again.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.drafts import (
    Draft,
    draft_row,
    greeting,
    load_draft,
    long_date,
    one_line,
    person_context,
    render,
    save_drafts,
    signoff,
)
from helpers.errors import WorkspaceError
from helpers.paths import inside, slugify, unique_slug
from helpers.profile import Profile, load_profile
from helpers.progress import ProgressCallback, no_progress
from helpers.rules import (
    NO_FOLLOW_UP_STATES,
    FollowUpNotAllowed,
    FollowUpTooSoon,
    application_name,
    check_follow_up_allowed,
    follow_up_states,
)
from helpers.store import Workspace, holding_lock
from helpers.thankyou import unsent

TEMPLATE = "follow_up.md.j2"
CHECK_IN_TEMPLATE = "check_in.md.j2"
DRAFTABLE = ("due", "overdue")
LABELS = {
    "overdue": "Overdue: follow up now",
    "due": "Due: follow up now",
    "thank_yous_pending": "Thank-yous first",
    "not_yet": "Not yet",
    "interview_upcoming": "Interview coming up: prepare",
    "waiting": "Waiting for a reply",
    "cap_reached": "Cap reached: move on, keep applying",
    "none_needed": "None needed",
    "no_interview": "No interview yet",
}
"""How each follow-up state reads in the table."""

CHECK_IN_LABELS = {
    "overdue": "Overdue: check in now",
    "due": "Due: check in now",
    "not_yet": "Not yet: check in later",
    "waiting": "Waiting for a reply to your check-in",
    "cap_reached": "No reply: mark it ghosted, keep applying",
}
"""How the states of an application with no interview yet read (the check-in rule)."""


def label(state: str, kind: str = "", timing: str = "") -> str:
    """How a follow-up state reads: the check-in wording with no interview yet, and
    "(follow-up overdue)" when thank-yous hold a follow-up that is overdue."""
    if kind == "check_in" and state in CHECK_IN_LABELS:
        return CHECK_IN_LABELS[state]
    text = LABELS.get(state, state)
    if state == "thank_yous_pending" and timing in ("due", "overdue"):
        text += f" (follow-up {timing})"
    return text


def labels(states: pd.DataFrame) -> list[str]:
    """:func:`label` of every row of :func:`helpers.rules.follow_up_states`."""
    return [
        label(s, k, t)
        for s, k, t in zip(states["state"], states["kind"], states["timing"], strict=True)
    ]


def _day(value: dt.date | None) -> str:
    return "" if value is None or pd.isna(value) else f"{value:%a} {value.day} {value:%b}"


def status_table(
    tables: dict[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    application_id: str = "",
    states: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every application's follow-up state as a person reads it, most urgent first
    (``states``: :func:`follow_up_states`, when already known)."""
    if states is None:
        states = follow_up_states(tables, profile, today)
    if application_id:
        states = states[states["application_id"] == application_id]
    apps = tables["applications"].set_index("application_id")
    view = pd.DataFrame(
        {
            "company": states["application_id"].map(apps["company"]),
            "role": states["application_id"].map(apps["role"]),
            "stage": states["application_id"].map(apps["stage"]),
            "follow-up": labels(states),
            "earliest": [_day(d) for d in states["earliest"]],
            "why": states["reason"],
            "sent": [
                f"{n} of {cap}" if state not in NO_FOLLOW_UP_STATES else ""
                for n, cap, state in zip(
                    states["sent_count"], states["cap"], states["state"], strict=True
                )
            ],
        }
    )
    return view.reset_index(drop=True)


def summary(states: pd.DataFrame) -> str:
    """One line: how many applications are in each follow-up state."""
    if states.empty:
        return "No applications yet."
    counts = states["state"].value_counts()
    return (
        ", ".join(
            f"{int(counts[s])} {LABELS[s].split(':')[0].lower()}" for s in LABELS if s in counts
        )
        + "."
    )


class _Rows:
    """Each table's rows per value of a column, grouped once: a run that drafts many
    follow-ups looks rows up instead of scanning whole tables for each one."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables
        self._groups: dict[tuple[str, str], dict] = {}
        self.recipients: dict[str, pd.Series | None] = {}

    @functools.cached_property
    def apps(self) -> pd.DataFrame:
        """The applications by ``application_id``."""
        return self.tables["applications"].set_index("application_id")

    @functools.cached_property
    def _message_ids(self) -> list[str]:
        return sorted(self.tables["messages"]["message_id"].to_numpy().tolist())

    def message_ids(self, text: str) -> list[str]:
        """The taken ``message_id`` values :func:`unique_slug` of ``text`` could meet:
        those starting with its slug (its only candidates do), found by bisection."""
        base = slugify(text)
        taken = self._message_ids
        return taken[bisect.bisect_left(taken, base) : bisect.bisect_right(taken, base + "\uffff")]

    def where(self, table: str, column: str, value: str) -> pd.DataFrame:
        """``df[df[column] == value]``: the same rows, in the same order."""
        df = self.tables[table]
        groups = self._groups.get((table, column))
        if groups is None:
            groups = self._groups[table, column] = df.groupby(column, sort=False).indices
        return df.iloc[groups.get(value, [])]


def _where(tables, rows: _Rows | None, table: str, column: str, value: str) -> pd.DataFrame:
    if rows is not None:
        return rows.where(table, column, value)
    df = tables[table]
    return df[df[column] == value]


def recipient(
    application_id: str, tables: dict[str, pd.DataFrame], rows: _Rows | None = None
) -> pd.Series | None:
    """Whom a follow-up goes to: the recruiter, else the hiring manager, else the last
    person met at the latest interview. ``None`` if the application has no contacts."""
    if rows is None:
        return _recipient(application_id, tables, None)
    if application_id not in rows.recipients:  # asked twice per draft: found once
        rows.recipients[application_id] = _recipient(application_id, tables, rows)
    return rows.recipients[application_id]


def _recipient(application_id: str, tables, rows: _Rows | None) -> pd.Series | None:
    mine = _where(tables, rows, "contacts", "application_id", application_id)
    for relationship in ("recruiter", "hiring_manager"):
        found = mine[mine["relationship"] == relationship]
        if len(found):  # one with an email address first
            with_email = found[found["email"].str.strip() != ""]
            return (with_email if len(with_email) else found).iloc[0]
    held = _held(application_id, tables, rows)
    if held.empty:
        return mine.iloc[-1] if len(mine) else None
    met = _where(tables, rows, "interview_contacts", "interview_id", held["interview_id"].iloc[-1])
    people = met["contact_id"]
    if people.empty:
        return mine.iloc[-1] if len(mine) else None
    found = _where(tables, rows, "contacts", "contact_id", people.iloc[-1])
    return found.iloc[0] if len(found) else None


def _held(application_id: str, tables, rows: _Rows | None, today: dt.date | None = None):
    """The application's interviews held by ``today`` (all when None), oldest first."""
    held = _where(tables, rows, "interviews", "application_id", application_id)
    if today is not None:
        held = held[held["held_on"] <= today.isoformat()]
    return held.sort_values("held_on", kind="stable")


_RANK = {"hiring_manager": 0, "recruiter": 1, "interviewer": 2, "other": 3, "referrer": 4}


def wording(
    application_id: str,
    person: pd.Series,
    tables,
    latest: dt.date | None,
    rows: _Rows | None = None,
) -> dict:
    """What a follow-up to ``person`` may truthfully say about the latest interview
    and the decision date.

    Returns:
        ``in_interview`` (``person`` was met at the latest interview: "our
        interview"), ``interview_with`` (the others met, "Priya", "Priya and Daniel"
        or "Priya and the team", for "my interview with … on"), and ``decision_by``:
        ``"you"`` when ``person`` gave the decision date, the giver's greeting name
        when someone else did, ``""`` when nobody was recorded.
    """
    contacts = tables["contacts"]
    met_ids: list[str] = []
    if latest is not None:
        held = _held(application_id, tables, rows)
        on_day = held[held["held_on"] == latest.isoformat()]
        for interview_id in on_day["interview_id"]:
            met = _where(tables, rows, "interview_contacts", "interview_id", interview_id)
            met_ids += [c for c in met["contact_id"] if c not in met_ids]
    me = person["contact_id"]
    others = contacts[contacts["contact_id"].isin([c for c in met_ids if c != me])]
    order = sorted(
        others.itertuples(),
        key=lambda r: (_RANK.get(r.relationship, 5), met_ids.index(r.contact_id)),
    )
    names = [greeting(r.name, getattr(r, "greeting", "")) or one_line(r.name) for r in order]
    if not names:
        interview_with = ""
    elif len(names) == 1:
        interview_with = names[0]
    elif len(names) == 2:
        interview_with = f"{names[0]} and {names[1]}"
    else:
        interview_with = f"{names[0]} and the team"
    apps = rows.apps if rows is not None else tables["applications"].set_index("application_id")
    giver = apps.at[application_id, "decision_given_by"] if "decision_given_by" in apps else ""
    if not giver:
        decision_by = ""
    elif giver == me:
        decision_by = "you"
    else:
        found = contacts[contacts["contact_id"] == giver]
        decision_by = (
            greeting(found["name"].iloc[0], found.iloc[0].get("greeting", "")) if len(found) else ""
        )
    return {
        "in_interview": me in met_ids,
        "interview_with": interview_with,
        "decision_by": decision_by,
    }


@dataclass(frozen=True)
class FollowUp:
    """A follow-up draft written to the workspace (or found already drafted)."""

    message_id: str
    application_id: str
    contact_id: str
    draft: Draft
    markdown_file: Path
    eml_file: Path
    new: bool


def _existing_draft(application_id: str, tables, drafts=None) -> pd.Series | None:
    drafts = unsent(tables, "follow_up") if drafts is None else drafts
    drafts = drafts[drafts["application_id"] == application_id]
    return drafts.iloc[-1] if len(drafts) else None


def _plan(
    ws: Workspace,
    application_id: str,
    state,
    tables,
    profile: Profile,
    today: dt.date,
    rows: _Rows | None = None,
    planned_ids: frozenset[str] | set[str] = frozenset(),
):
    apps = tables["applications"].set_index("application_id") if rows is None else rows.apps
    app = apps.loc[application_id]
    person = recipient(application_id, tables, rows)
    check_in = getattr(state, "kind", "") == "check_in"
    if person is None and not check_in:
        raise WorkspaceError(
            f"{application_name(tables['applications'], application_id)} has no contacts to "
            "follow up with; add the recruiter or the person you met in contacts.csv",
            file="contacts.csv",
        )
    subject, body, stem = _render(
        ws, application_id, app, person, state, tables, profile, today, rows, check_in
    )
    name = one_line(person["name"]) if person is not None else ""
    email = person["email"].strip() if person is not None else ""
    contact_id = person["contact_id"] if person is not None else ""
    draft = Draft(name, email, subject, body)
    md = ws.path("drafts", application_id, f"{stem}-{today.isoformat()}.md")
    text = f"follow-up-{application_id}-{today.isoformat()}"
    taken = tables["messages"]["message_id"] if rows is None else rows.message_ids(text)
    # Ids planned earlier in the same run count too: two long application ids can
    # share the first characters a slug keeps.
    message_id = unique_slug(text, [*taken, *planned_ids])
    return FollowUp(message_id, application_id, contact_id, draft, md, md.with_suffix(".eml"), True)


def _render(ws, application_id, app, person, state, tables, profile, today, rows, check_in):
    """The subject and body of a follow-up (or a check-in) to ``person``, and the stem
    of its file name."""
    locale = profile.date_locale
    decision = app["decision_expected_on"]

    def day(value: dt.date) -> str:
        return long_date(value, locale, with_year=value.year != today.year)

    common = {
        "role": one_line(app["role"]),
        "company": one_line(app["company"]),
        "decision_day": day(dt.date.fromisoformat(decision)) if decision else "",
        "number": state.sent_count + 1,
        "signoff": signoff(profile),
        "profile": profile,
    }
    if check_in:
        applied = app["applied_on"] or app["stage_changed_on"]
        person_ctx = (
            person_context(person)
            if person is not None
            else {"name": "", "first_name": "", "greeting": "", "title": ""}
        )
        subject, body = render(
            ws.root,
            CHECK_IN_TEMPLATE,
            person=person_ctx,
            applied_day=day(dt.date.fromisoformat(applied)) if applied else "",
            **common,
        )
        stem = "check-in"
    else:
        words = wording(application_id, person, tables, state.latest_interview, rows)
        subject, body = render(
            ws.root,
            TEMPLATE,
            person=person_context(person),
            interview_day=day(state.latest_interview),
            **words,
            **common,
        )
        stem = "follow-up"
    return subject, body, stem


def _write(
    ws: Workspace,
    planned: list[FollowUp],
    profile: Profile,
    today: dt.date,
) -> None:
    save_drafts(
        ws,
        [(f.markdown_file, f.draft, _title(f)) for f in planned],
        profile,
        [draft_row(ws, f, "follow_up", today) for f in planned],
    )


def _title(f: FollowUp) -> str:
    what = "Check-in" if f.markdown_file.name.startswith("check-in-") else "Follow-up"
    return f"{what} to {f.draft.to_name}" if f.draft.to_name else what


@holding_lock
def draft_follow_ups(
    ws: Workspace,
    today: dt.date,
    application_id: str = "",
    progress: ProgressCallback | None = None,
) -> list[FollowUp]:
    """Draft a follow-up for every application whose follow-up is due or overdue today
    (a check-in for one with no interview yet).

    Nothing is drafted once an offer is signed (the rules say ``none_needed``
    everywhere). Applications that already have an unsent follow-up draft, or (after
    an interview) no contact to write to, are skipped. Running it again the same day
    drafts nothing new. ``progress`` is called with ``(done, total)`` as the drafts are
    made (:class:`helpers.display.ProgressBar` shows it).
    """
    tables = ws.load_all()
    profile = load_profile(ws)
    states = follow_up_states(tables, profile, today)
    states = states[states["state"].isin(DRAFTABLE)]
    if application_id:
        states = states[states["application_id"] == application_id]
    planned = []
    rows = _Rows(tables)
    drafts = unsent(tables, "follow_up")
    progress = progress or no_progress
    total = 2 * len(states)
    progress(0, total)
    for done, state in enumerate(states.itertuples(), 1):
        progress(done, total)
        if _existing_draft(state.application_id, tables, drafts) is not None:
            continue
        if state.kind != "check_in" and recipient(state.application_id, tables, rows) is None:
            continue
        ids = {f.message_id for f in planned}
        planned.append(_plan(ws, state.application_id, state, tables, profile, today, rows, ids))
    if planned:
        _write(ws, planned, profile, today)
    progress(total, total)
    return planned


@holding_lock
def request_follow_up(ws: Workspace, application_id: str, today: dt.date) -> FollowUp:
    """Draft a follow-up for one application if the etiquette rules allow it today.

    Returns the existing unsent draft instead of drafting a second one.

    Raises:
        FollowUpTooSoon: too soon; the message names the earliest polite date and why.
        FollowUpNotAllowed: the cap is reached, a decision was made, or no interview.
    """
    tables = ws.load_all()
    profile = load_profile(ws)
    existing = _existing_draft(application_id, tables)
    state = check_follow_up_allowed(application_id, tables, profile, today)
    if existing is not None:
        md = inside(ws.root, existing["draft_file"]) or ws.path("drafts", application_id)
        draft = load_draft(md) or Draft("", "", existing["subject"], "")
        return FollowUp(
            existing["message_id"],
            application_id,
            existing["contact_id"],
            draft,
            md,
            md.with_suffix(".eml"),
            False,
        )
    planned = _plan(ws, application_id, state, tables, profile, today)
    _write(ws, [planned], profile, today)
    return planned


__all__ = [
    "CHECK_IN_LABELS",
    "LABELS",
    "FollowUp",
    "FollowUpNotAllowed",
    "FollowUpTooSoon",
    "Timeline",
    "draft_follow_ups",
    "label",
    "labels",
    "recipient",
    "request_follow_up",
    "status_table",
    "summary",
    "timeline",
    "wording",
]


TIMELINE_ROWS = 40
"""The most applications the timeline draws: the most urgent ones."""


@dataclass(frozen=True)
class Timeline:
    """What the timeline of open applications shows (drawn by
    :func:`helpers.charts.timeline_figure`): the applications in ``ids`` order, their
    interviews, the thank-yous and follow-ups sent, the decision dates expected and the
    earliest next follow-up of each."""

    title: str
    ids: list[str]
    companies: list[str]
    interviews: pd.DataFrame
    sent: pd.DataFrame
    decided: pd.Series
    next_from: pd.DataFrame


def timeline(
    tables: dict[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    application_id: str = "",
    limit: int = TIMELINE_ROWS,
    states: pd.DataFrame | None = None,
) -> Timeline | None:
    """The open applications a timeline shows, ``None`` if none.

    At most ``limit`` applications, the most urgent ones (as in the status table); the
    title then says how many of how many. ``states`` is :func:`follow_up_states`, when
    already known."""
    if states is None:
        states = follow_up_states(tables, profile, today)
    states = states[~states["state"].isin([*NO_FOLLOW_UP_STATES, "waiting"])]
    states = states[states["kind"] != "check_in"]
    if application_id:
        states = states[states["application_id"] == application_id]
    if states.empty:
        return None
    title = "Interviews, notes and follow-ups"
    if len(states) > limit:
        title += f": the {limit} most urgent of {len(states):,} open applications"
        states = states.head(limit)
    apps = tables["applications"].set_index("application_id")
    ids = list(states.sort_values("latest_interview", kind="stable")["application_id"])
    interviews = tables["interviews"]
    msgs = tables["messages"]
    decided = apps.loc[ids, "decision_expected_on"]
    return Timeline(
        title=title,
        ids=ids,
        companies=[apps.at[a, "company"] for a in ids],
        interviews=interviews[interviews["application_id"].isin(ids)],
        sent=msgs[
            (msgs["status"] == "sent") & (msgs["sent_on"] != "") & msgs["application_id"].isin(ids)
        ],
        decided=decided[decided != ""],
        next_from=states[states["earliest"].notna()],
    )
