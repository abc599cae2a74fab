"""The workspace data contract: every table, its columns and the rules for its values.

This module only *describes* the tables (see ``DESIGN.md``, "Workspace: the data
contract"); ``helpers.validate`` turns the description into pandera schemas and
``helpers.store`` reads and writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STAGES = (
    "saved",
    "applied",
    "screening",
    "interviewing",
    "offer",
    "accepted",
    "rejected",
    "withdrawn",
    "ghosted",
)
"""Every stage an application can be in, in the order a search moves through them."""

CLOSED_STAGES = ("accepted", "rejected", "withdrawn", "ghosted")
"""Stages after which an application is no longer part of the active search."""

RELATIONSHIPS = ("interviewer", "hiring_manager", "recruiter", "referrer", "other")
FORMATS = ("phone", "video", "onsite")
NOTE_NEEDED = ("yes", "no")
"""``interview_contacts.note_needed``: ``no`` when that person needs no thank-you
(empty means yes)."""
MESSAGE_KINDS = ("thank_you", "follow_up", "other")
MESSAGE_STATUSES = ("draft", "sent")
RESEARCH_TOPICS = ("duty", "team", "company", "question", "other")
PAY_PERIODS = ("year", "month", "hour")
MAIL_DIRECTIONS = ("sent", "received")
MAIL_CLASSES = ("sent", "invitation", "rejection", "offer", "other")
"""``mail.classification``: ``sent`` for your own message that closed a draft; for a
reply, what the rules of :mod:`helpers.mail_import` recognised in it."""


@dataclass(frozen=True)
class Table:
    """One CSV table of the workspace.

    Attributes:
        name: the table's name; its file is ``<name>.csv``.
        columns: the contract's columns, in the order a new file is written.
        key: the column(s) whose values are unique in the table.
        required: columns whose value may not be empty (the contract's ``*`` fields
            and the identifier).
        slugs: identifier columns: values are path-safe slugs.
        choices: columns limited to a fixed list of values.
        dates: columns holding ISO dates (``YYYY-MM-DD``).
        emails: columns holding an email address.
        amounts: columns holding a non-negative number.
        urls: columns holding a web address (``http://`` or ``https://``).
        currencies: columns holding a three-letter currency code.
        references: column → (table, column) it must point at, when not empty.
        ranges: (low column, high column) pairs where low ≤ high.
    """

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dates: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    currencies: tuple[str, ...] = ()
    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    ranges: tuple[tuple[str, str], ...] = ()

    @property
    def file(self) -> str:
        """The table's file name inside the workspace."""
        return f"{self.name}.csv"


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "applications",
            (
                "application_id",
                "company",
                "role",
                "location",
                "job_url",
                "source",
                "applied_on",
                "stage",
                "stage_changed_on",
                "decision_expected_on",
                "offer_signed_on",
                "salary_min",
                "salary_max",
                "currency",
                "notes",
                "decision_given_by",
            ),
            key=("application_id",),
            required=("application_id", "company", "role", "stage"),
            slugs=("application_id",),
            choices={"stage": STAGES},
            dates=("applied_on", "stage_changed_on", "decision_expected_on", "offer_signed_on"),
            amounts=("salary_min", "salary_max"),
            urls=("job_url",),
            currencies=("currency",),
            ranges=(("salary_min", "salary_max"),),
            references={"decision_given_by": ("contacts", "contact_id")},
        ),
        Table(
            "contacts",
            (
                "contact_id",
                "application_id",
                "name",
                "title",
                "email",
                "phone",
                "relationship",
                "notes",
                "greeting",
            ),
            key=("contact_id",),
            required=("contact_id", "name"),
            slugs=("contact_id",),
            choices={"relationship": RELATIONSHIPS},
            emails=("email",),
            references={"application_id": ("applications", "application_id")},
        ),
        Table(
            "interviews",
            (
                "interview_id",
                "application_id",
                "held_on",
                "round",
                "format",
                "impressions",
                "next_steps",
            ),
            key=("interview_id",),
            required=("interview_id", "application_id", "held_on"),
            slugs=("interview_id",),
            choices={"format": FORMATS},
            dates=("held_on",),
            references={"application_id": ("applications", "application_id")},
        ),
        Table(
            "interview_contacts",
            ("interview_id", "contact_id", "talking_point", "note_needed"),
            key=("interview_id", "contact_id"),
            required=("interview_id", "contact_id"),
            choices={"note_needed": NOTE_NEEDED},
            references={
                "interview_id": ("interviews", "interview_id"),
                "contact_id": ("contacts", "contact_id"),
            },
        ),
        Table(
            "messages",
            (
                "message_id",
                "application_id",
                "interview_id",
                "contact_id",
                "kind",
                "status",
                "drafted_on",
                "sent_on",
                "subject",
                "draft_file",
            ),
            key=("message_id",),
            required=("message_id", "application_id"),
            slugs=("message_id",),
            choices={"kind": MESSAGE_KINDS, "status": MESSAGE_STATUSES},
            dates=("drafted_on", "sent_on"),
            references={
                "application_id": ("applications", "application_id"),
                "interview_id": ("interviews", "interview_id"),
                "contact_id": ("contacts", "contact_id"),
            },
        ),
        Table(
            "research",
            ("application_id", "topic", "note", "source", "added_on", "prepared_on"),
            required=("application_id", "note"),
            choices={"topic": RESEARCH_TOPICS},
            dates=("added_on", "prepared_on"),
            references={"application_id": ("applications", "application_id")},
        ),
        Table(
            "comps",
            (
                "application_id",
                "company",
                "title",
                "location",
                "salary_min",
                "salary_max",
                "currency",
                "period",
                "source",
                "seen_on",
            ),
            required=("title",),
            choices={"period": PAY_PERIODS},
            dates=("seen_on",),
            amounts=("salary_min", "salary_max"),
            currencies=("currency",),
            references={"application_id": ("applications", "application_id")},
            ranges=(("salary_min", "salary_max"),),
        ),
        Table(
            "stage_history",
            ("application_id", "stage", "changed_on"),
            required=("application_id", "stage", "changed_on"),
            choices={"stage": STAGES},
            dates=("changed_on",),
            references={"application_id": ("applications", "application_id")},
        ),
        Table(
            "coach_notes",
            ("application_id", "note", "author", "added_on"),
            required=("application_id", "note"),
            dates=("added_on",),
            references={"application_id": ("applications", "application_id")},
        ),
        Table(
            "mail",
            (
                "mail_id",
                "date",
                "direction",
                "from_address",
                "to_addresses",
                "subject",
                "application_id",
                "message_id",
                "classification",
                "reason",
            ),
            key=("mail_id",),
            required=("mail_id", "date", "direction", "application_id"),
            slugs=("mail_id",),
            choices={"direction": MAIL_DIRECTIONS, "classification": MAIL_CLASSES},
            dates=("date",),
            references={
                "application_id": ("applications", "application_id"),
                "message_id": ("messages", "message_id"),
            },
        ),
    )
}
"""Every table of the contract, by name."""


def referencing(table: str) -> list[tuple[Table, str]]:
    """The (table, column) pairs whose values must exist in ``table``'s key."""
    return [
        (t, col)
        for t in TABLES.values()
        for col, (target, _) in t.references.items()
        if target == table
    ]
