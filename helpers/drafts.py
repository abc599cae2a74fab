"""Drafts: thank-you notes rendered from Jinja2 templates, as Markdown and ``.eml``.

A template of the same name in the workspace's ``templates/`` folder wins over the
one shipped in ``helpers/templates/``. A rendered template's first line is
``Subject: …``; the rest, after a blank line, is the body. The workbook never sends
mail: each draft is a Markdown file to read and an ``.eml`` file a mail program
opens as a draft (``X-Unsent: 1``), plus a ``mailto:`` link.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from urllib.parse import quote

from helpers import templating
from helpers.addresses import mailbox
from helpers.dates import english_locale, long_date, when_held
from helpers.errors import WorkspaceError
from helpers.grammar import sentence_end, talking_point
from helpers.greetings import greeting
from helpers.profile import Profile
from helpers.templating import as_phrase

NO_NAME = "[your name]"
"""How a draft is signed when the profile has neither a signature nor a name: a
visible gap to fill in (the interview form asks for the name instead)."""

__all__ = [
    "NO_NAME",
    "Draft",
    "as_phrase",
    "draft_row",
    "english_locale",
    "first_name",
    "greeting",
    "long_date",
    "one_line",
    "person_context",
    "render",
    "sentence_end",
    "signoff",
    "talking_point",
    "weekday",
    "when_held",
]


@dataclass(frozen=True)
class Draft:
    """One message ready for the user to send."""

    to_name: str
    to_email: str
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        """A ``mailto:`` link that opens the draft in the user's mail program."""
        query = f"subject={quote(self.subject, safe='')}&body={quote(self.body, safe='')}"
        return f"mailto:{quote(self.to_email, safe='@')}?{query}"

    def markdown(self, title: str) -> str:
        """The draft as Markdown: To, Subject, the body, and the mailto link."""
        to = (
            f"{self.to_name} <{self.to_email}>"
            if self.to_email
            else f"{self.to_name} (no email address yet)"
        )
        return (
            f"# {title}\n\n"
            f"**To:** {to}  \n"
            f"**Subject:** {self.subject}\n\n"
            "---\n\n"
            f"{self.body}\n\n"
            "---\n\n"
            f"[Open this draft in your mail program]({self.mailto})\n"
        )

    def eml(self, sender: Profile | None = None) -> bytes:
        """The draft as an RFC 5322 message a mail program opens as a draft."""
        msg = EmailMessage(policy=SMTP)
        # Headers come from Address objects that re-parse to exactly one mailbox each,
        # whatever a name holds (helpers.addresses).
        if sender is not None and sender.email:
            msg["From"] = mailbox(sender.name, sender.email)
        if self.to_email:
            msg["To"] = mailbox(self.to_name, self.to_email)
        msg["Subject"] = one_line(self.subject)
        msg["X-Unsent"] = "1"
        msg.set_content(self.body, charset="utf-8", cte="quoted-printable")
        return msg.as_bytes()


def one_line(text: str) -> str:
    """Text with line breaks and runs of spaces collapsed: safe in a mail header."""
    return re.sub(r"\s+", " ", text or "").strip()


def first_name(name: str) -> str:
    """The name to greet someone by (see :func:`helpers.greetings.greeting`)."""
    return greeting(name)


def signoff(profile: Profile | None) -> str:
    """How a draft is signed: the signature, else the name, else :data:`NO_NAME`."""
    if profile is None:
        return NO_NAME
    return profile.signature or profile.name or NO_NAME


def person_context(contact) -> dict[str, str]:
    """How a template sees a contact: ``name``, ``greeting`` (and ``first_name``, the
    same, for older templates), ``title``."""
    override = contact.get("greeting", "") if hasattr(contact, "get") else ""
    hello = greeting(str(contact["name"]), str(override or ""))
    return {
        "name": one_line(contact["name"]),
        "first_name": hello,
        "greeting": hello,
        "title": one_line(contact["title"]),
    }


def render(workspace_root: Path, template: str, **context) -> tuple[str, str]:
    """Render a template to ``(subject, body)``.

    Raises:
        WorkspaceError: the template is broken or does not start with ``Subject:``,
            naming the template file and line.
    """
    text = templating.render(templating.template(workspace_root, template), **context)
    head, _, body = text.lstrip("\n").partition("\n")
    if not head.startswith("Subject:"):
        raise WorkspaceError("the first line must be 'Subject: …'", file=f"templates/{template}")
    body = re.sub(r"\n{3,}", "\n\n", body.strip())
    # A name ending in a full stop ("Inc.") before the sentence's own: one is enough.
    body = re.sub(r"(?<=[^\W\d_])\.\.(?=\s|$)", ".", body)
    return one_line(head.removeprefix("Subject:")), body + "\n"


def save_drafts(
    ws, items: list[tuple[Path, Draft, str]], sender: Profile | None, messages: list[dict]
) -> None:
    """Write each draft's Markdown and ``.eml`` files and add its ``messages`` rows, as
    one save of the workspace ``ws``: all of it or, on any failure (even the process
    dying midway), none of it.

    Args:
        items: ``(path_md, draft, title)`` for each draft.
        messages: the rows of ``messages.csv`` that log them.

    Raises:
        WorkspaceError: nothing was written, saying why.
    """
    with ws.transaction() as tx:
        for path_md, draft, title in items:
            tx.write_file(path_md, draft.markdown(title).encode("utf-8"))
            tx.write_file(path_md.with_suffix(".eml"), draft.eml(sender))
        tx.append("messages", messages)


def draft_row(ws, made, kind: str, today: dt.date, **extra: str) -> dict:
    """The ``messages`` row that logs a draft just written to the workspace ``ws``.

    Args:
        made: the draft written: its ``message_id``, ``application_id``,
            ``contact_id``, ``draft`` and ``markdown_file``.
        kind: the message's kind (``thank_you``, ``follow_up``, ``other``).
        extra: more columns (a thank-you's ``interview_id``).
    """
    return {
        "message_id": made.message_id,
        "application_id": made.application_id,
        **extra,
        "contact_id": made.contact_id,
        "kind": kind,
        "status": "draft",
        "drafted_on": today,
        "subject": made.draft.subject,
        "draft_file": made.markdown_file.relative_to(ws.root).as_posix(),
    }


def load_draft(path_md: Path) -> Draft | None:
    """The draft saved beside ``path_md`` (its ``.eml``), or None if it is gone."""
    from email import message_from_bytes
    from email.policy import default

    eml = path_md.with_suffix(".eml")
    if not eml.is_file():
        return None
    msg = message_from_bytes(eml.read_bytes(), policy=default)
    to = msg["To"].addresses[0] if msg["To"] and msg["To"].addresses else None
    body = msg.get_body(("plain",))
    return Draft(
        to.display_name if to else "",
        to.addr_spec if to else "",
        str(msg["Subject"] or ""),
        body.get_content().replace("\r\n", "\n") if body is not None else "",
    )


DRAFTS_SHOWN = 50
"""The most unsent drafts a notebook shows as cards (the oldest first)."""


class Pending(list):
    """Unsent drafts as ``(row, draft)`` pairs (``draft`` None when its file is gone):
    the first ``limit`` of them, with ``total`` saying how many there are in all."""

    def __init__(self, items=(), total: int = 0):
        super().__init__(items)
        self.total = max(total, len(self))


def with_text(root: Path, rows, limit: int | None = DRAFTS_SHOWN) -> Pending:
    """The first ``limit`` message rows (all for None) with their drafts read from disk."""
    from helpers.paths import inside

    found = []
    for _, row in rows.head(len(rows) if limit is None else limit).iterrows():
        path = inside(root, row["draft_file"])
        found.append((row, load_draft(path) if path is not None else None))
    return Pending(found, len(rows))


def weekday(day: dt.date) -> str:
    """``Tuesday`` — how a note names the day of the interview."""
    return day.strftime("%A")
