"""Thank-you notes: who still needs one, the drafts, and the ledger of what was sent.

One note per person in ``interview_contacts`` for each interview held, due by the
next business day after the interview (``helpers.rules.thank_you_due``). An interview
dated after today is *upcoming*: no note until it is held. A person marked "no note
needed" (``interview_contacts.note_needed`` = ``no``) gets none. A person without a
talking point gets no draft: a generic note is worse than none, so the workbook asks
for the talking point instead.

Each note is worded by :mod:`helpers.grammar`: the talking point as a grammatical
part of a sentence addressed to that person, the greeting from the parsed name, the
day named as the profile's locale writes it ("on Thursday" only within the past few
days), and a different wording of every sentence for each person of one interview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.drafts import (
    DRAFTS_SHOWN,
    Draft,
    Pending,
    draft_row,
    one_line,
    person_context,
    render,
    save_drafts,
    signoff,
    talking_point,
    weekday,
    when_held,
    with_text,
)
from helpers.errors import WorkspaceError
from helpers.paths import unique_slug
from helpers.profile import Profile, load_profile
from helpers.progress import ProgressCallback, no_progress
from helpers.rules import thank_you_due
from helpers.schema import CLOSED_STAGES
from helpers.store import Workspace, holding_lock

TEMPLATE = "thank_you.md.j2"
LEDGER_COLUMNS = [
    "application_id",
    "company",
    "role",
    "interview_id",
    "held_on",
    "contact_id",
    "name",
    "email",
    "talking_point",
    "message_id",
    "drafted_on",
    "sent_on",
    "due",
    "state",
    "note",
]


def ledger(
    tables: dict[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    application_id: str = "",
) -> pd.DataFrame:
    """One row per interview and person met: drafted, sent, due, and the state.

    ``state`` is one of ``sent``, ``overdue``, ``due today``, ``due`` (a draft
    already made shows the due state too), ``needs talking point``, ``upcoming`` (the
    interview is after today: no note until it is held), ``no note needed`` (marked
    so for that person), or ``not needed`` (the application is closed).
    """
    met = tables["interview_contacts"]
    rows = (
        met.merge(tables["interviews"], on="interview_id", how="inner")
        .merge(
            tables["applications"][["application_id", "company", "role", "stage"]],
            on="application_id",
            how="left",
        )
        .merge(
            tables["contacts"][["contact_id", "name", "email"]],
            on="contact_id",
            how="left",
        )
    )
    if application_id:
        rows = rows[rows["application_id"] == application_id]
    msgs = tables["messages"]
    thanks = msgs[msgs["kind"] == "thank_you"][
        ["interview_id", "contact_id", "message_id", "status", "drafted_on", "sent_on"]
    ].drop_duplicates(["interview_id", "contact_id"], keep="last")
    rows = rows.merge(thanks, on=["interview_id", "contact_id"], how="left")
    rows = rows.fillna("")
    if rows.empty:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    due = {d: thank_you_due(dt.date.fromisoformat(d), profile) for d in set(rows["held_on"])}
    rows["due"] = rows["held_on"].map(lambda d: due[d].isoformat())
    if "note_needed" not in rows.columns:
        rows["note_needed"] = ""
    facts = ("sent_on", "message_id", "stage", "talking_point", "due", "held_on", "note_needed")
    rows["state"] = [
        _state(*values, today)
        for values in zip(*(rows[col].to_numpy() for col in facts), strict=True)
    ]
    rows["note"] = [
        "no email address: add one to contacts.csv" if not str(e).strip() else ""
        for e in rows["email"].to_numpy()
    ]
    rows = rows.sort_values(["held_on", "interview_id"], ascending=[False, True], kind="stable")
    return rows[LEDGER_COLUMNS].reset_index(drop=True)


def _state(
    sent_on, message_id, stage, talking_point, due, held_on, note_needed, today: dt.date
) -> str:
    if sent_on:
        return "sent"
    if str(note_needed).strip().lower() == "no":
        return "no note needed"
    if held_on > today.isoformat():
        return "upcoming"
    if stage in CLOSED_STAGES:
        return "not needed"
    if not message_id and not str(talking_point).strip():
        return "needs talking point"
    due_day = dt.date.fromisoformat(due)
    if today > due_day:
        return "overdue"
    if today == due_day:
        return "due today"
    return "due"


@dataclass(frozen=True)
class ThankYou:
    """A thank-you draft written to the workspace."""

    message_id: str
    application_id: str
    interview_id: str
    contact_id: str
    draft: Draft
    markdown_file: Path
    eml_file: Path


@dataclass(frozen=True)
class DraftRun:
    """What :func:`draft_thank_yous` did."""

    drafted: list[ThankYou]
    needs_talking_point: pd.DataFrame


@holding_lock
def draft_thank_yous(
    ws: Workspace,
    today: dt.date,
    application_id: str = "",
    progress: ProgressCallback | None = None,
) -> DraftRun:
    """Draft a thank-you for every person met who has none yet, and log each in messages.

    People without a talking point are returned in ``needs_talking_point`` instead.
    Running it again drafts nothing new. ``progress`` is called with ``(done, total)``
    as the drafts are made (:class:`helpers.display.ProgressBar` shows it).
    """
    tables = ws.load_all()
    profile = load_profile(ws)
    book = ledger(tables, profile, today, application_id)
    todo = book[(book["message_id"] == "") & book["state"].isin(["due", "due today", "overdue"])]
    asks = book[book["state"] == "needs talking point"].reset_index(drop=True)
    if todo.empty:
        return DraftRun([], asks)

    # Render every draft first: if any is refused, nothing is written.
    draft = _Drafter(ws, tables, profile, today)
    progress = progress or no_progress
    total = 2 * len(todo)
    progress(0, total)
    made = []
    for done, row in enumerate(todo.itertuples(), 1):
        progress(done, total)
        made.append(draft(row))
    save_drafts(
        ws,
        [(t.markdown_file, t.draft, f"Thank-you to {t.draft.to_name}") for t in made],
        profile,
        [draft_row(ws, t, "thank_you", today, interview_id=t.interview_id) for t in made],
    )
    progress(total, total)
    return DraftRun(made, asks)


class _Drafter:
    """Renders the thank-you of one ledger row, each to a different text within an
    interview and with a message id of its own."""

    def __init__(self, ws: Workspace, tables: dict, profile: Profile, today: dt.date):
        self.ws, self.profile, self.today = ws, profile, today
        met = tables["interview_contacts"]
        self.interviews = tables["interviews"].set_index("interview_id")
        self.contacts = tables["contacts"].set_index("contact_id")
        self.bodies: dict[str, set[str]] = {}
        self.taken = set(tables["messages"]["message_id"])
        self.met_at = met.groupby("interview_id", sort=False).indices  # positions, in order
        self.met_ids = met["contact_id"].to_numpy()
        self.sign = signoff(profile)
        self.locale = profile.date_locale

    def __call__(self, row) -> ThankYou:
        ws, today, contacts = self.ws, self.today, self.contacts
        people = self.met_ids[self.met_at.get(row.interview_id, [])].tolist()
        interview = self.interviews.loc[row.interview_id]
        held_on = dt.date.fromisoformat(interview["held_on"])
        person = contacts.loc[row.contact_id]
        variant = people.index(row.contact_id)
        point = talking_point(row.talking_point, one_line(person["name"]))
        subject, body = render(
            ws.root,
            TEMPLATE,
            person=person_context(person),
            talking_point=point.body,
            talking_point_sentence=point.sentence(variant),
            role=one_line(row.role),
            company=one_line(row.company),
            day=weekday(held_on),
            when=when_held(held_on, today, self.locale),
            interview=interview.to_dict(),
            variant=variant,
            others=[one_line(contacts.loc[c, "name"]) for c in people if c != row.contact_id],
            signoff=self.sign,
            profile=self.profile,
        )
        seen = self.bodies.setdefault(row.interview_id, set())
        if body in seen:
            raise WorkspaceError(
                f"two people of interview {row.interview_id} would get the same text; "
                "give each a different talking point (or vary the template)",
                file="interview_contacts.csv",
            )
        seen.add(body)
        draft = Draft(one_line(person["name"]), person["email"].strip(), subject, body)
        md = ws.path("drafts", row.application_id, f"thank-you-{held_on}-{row.contact_id}.md")
        message_id = unique_slug(f"thank-you-{row.interview_id}-{row.contact_id}", self.taken)
        self.taken.add(message_id)
        return ThankYou(
            message_id,
            row.application_id,
            row.interview_id,
            row.contact_id,
            draft,
            md,
            md.with_suffix(".eml"),
        )


def mark_sent(ws: Workspace, message_id: str, sent_on: dt.date) -> None:
    """Record that a drafted message was sent on ``sent_on``.

    Raises:
        WorkspaceError: there is no such message (nothing is changed).
    """
    with ws.transaction() as tx:
        msgs = tx.load("messages")
        at = msgs["message_id"] == message_id
        if not at.any():
            raise WorkspaceError(f"there is no message {message_id!r}", file="messages.csv")
        msgs.loc[at, ["status", "sent_on"]] = ["sent", sent_on.isoformat()]
        tx.save("messages", msgs)


def unsent(tables: dict[str, pd.DataFrame], kind: str = "thank_you") -> pd.DataFrame:
    """Drafted messages of one kind not yet marked sent, oldest first."""
    msgs = tables["messages"]
    return msgs[(msgs["kind"] == kind) & (msgs["status"] == "draft")].sort_values(
        ["drafted_on", "message_id"], kind="stable"
    )


def pending_drafts(
    ws: Workspace,
    tables: dict[str, pd.DataFrame],
    kind: str = "thank_you",
    application_id: str = "",
    limit: int | None = DRAFTS_SHOWN,
) -> Pending:
    """Unsent drafts of one kind with their text (None when the draft file is gone),
    oldest first: the first ``limit`` (all for None), and how many in all."""
    rows = unsent(tables, kind)
    if application_id:
        rows = rows[rows["application_id"] == application_id]
    return with_text(ws.root, rows, limit)


def needing_talking_point(ws: Workspace, today: dt.date, application_id: str = "") -> pd.DataFrame:
    """The people met whose thank-you waits for a talking point, as the ledger lists them."""
    book = ledger(ws.load_all(), load_profile(ws), today, application_id)
    return book[book["state"] == "needs talking point"].reset_index(drop=True)


def ledger_table(book: pd.DataFrame) -> pd.DataFrame:
    """The ledger as a person reads it: most recent interview first, plain headings."""
    view = pd.DataFrame(
        {
            "interview": book["held_on"],
            "company": book["company"],
            "person": book["name"],
            "due": book["due"],
            "state": book["state"],
            "drafted": book["drafted_on"],
            "sent": book["sent_on"],
            "note": book["note"],
        }
    )
    return view.reset_index(drop=True)


def ledger_summary(book: pd.DataFrame) -> str:
    """One line: how many thank-yous are in each state."""
    if book.empty:
        return "No interviews recorded yet."
    counts = book["state"].value_counts()
    order = [
        "overdue",
        "due today",
        "due",
        "needs talking point",
        "upcoming",
        "sent",
        "no note needed",
        "not needed",
    ]
    return ", ".join(f"{int(counts[s])} {s}" for s in order if s in counts) + "."
