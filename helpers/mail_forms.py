"""06_mailbox's views and form: what an import would change, and the mail recorded.

The reading and matching are :mod:`helpers.mail_import` (no widgets there); this
module shows a :class:`~helpers.mail_import.Plan` as tables, turns its progress
callback into a bar (:class:`helpers.display.CountingBar`), and holds the form that
previews, settles ambiguous replies and applies.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from helpers import live, mail_import
from helpers.display import CountingBar, markdown, note, table
from helpers.errors import FieldErrors, Refusal
from helpers.escape import md_code
from helpers.formkit import Form
from helpers.mail_import import Plan

MAIL_FOLDER = "mail"
"""A workspace's folder for mailbox exports: read when no path is given."""

HOW_TO = (
    "No mailbox to read yet. Export your mail (see the README, *Your mailbox, "
    "offline*: Gmail Takeout, Outlook, Apple Mail, Thunderbird) and give its path as "
    "the `mailbox` parameter or in the form below, or put the export in your "
    "workspace's `mail/` folder."
)


def mailbox_paths(ws, mailbox: str = "") -> str:
    """The mailboxes to read: ``mailbox`` if given, else the workspace's ``mail/``
    folder when it holds anything, else ``""``."""
    if mailbox.strip():
        return mailbox
    folder = ws.root / MAIL_FOLDER
    if folder.is_dir() and any(folder.iterdir()):
        return str(folder)
    return ""


def read(ws, mailbox: str, application_id: str = "", progress=None) -> Plan | None:
    """Preview an import with a progress bar; ``None`` when there is nothing to read."""
    if not mailbox:
        return None
    plan = mail_import.preview(ws, mailbox, progress=progress or CountingBar("Reading mail"))
    return plan.only(application_id)


def _names(ws) -> dict[str, str]:
    try:
        return mail_import.application_names(ws)
    except Exception:
        return {}


def plan_view(ws, plan: Plan | None, mailbox: str = "") -> list:
    """The summary and the tables of a preview (or what to do when there is none)."""
    if plan is None:
        return [note(HOW_TO)]
    shown = Path(mailbox).name if mailbox and ":" not in mailbox else mailbox
    parts = [
        markdown(f"From {md_code(shown)}: " + plan.summary()),
        *(note(n, "warn") for n in plan.notes),
        _where_it_stands(plan),
        markdown("**Proposed changes**" + (" (applied)" if plan.applied is not None else "")),
        table(
            mail_import.changes_table(plan, _names(ws)),
            empty="Nothing to change: no unsent draft was sent, no new reply came.",
        ),
    ]
    if plan.ambiguous:
        parts += [
            markdown(
                "**Ambiguous: pick the application** (in the form below); these are never "
                "applied on their own."
            ),
            table(mail_import.ambiguous_table(plan)),
        ]
    if plan.skipped:
        parts += [markdown("**Skipped**"), table(mail_import.skipped_table(plan), limit=20)]
    return parts


def _where_it_stands(plan: Plan):
    if plan.applied is not None:
        return note(f"Applied: {plan.applied} change(s) made in one save.", "ok")
    if plan.proposed:
        return note("Preview only: nothing was changed. Press Apply below to make these changes.")
    return None


def recorded_view(ws) -> list:
    """The mail recorded so far (``mail.csv``), newest first."""
    return [
        table(
            mail_import.recorded_table(ws),
            empty="No mail recorded yet.",
            ws=ws,
            export="reports/mail.csv",
        )
    ]


class MailboxForm(Form):
    """Preview a mailbox, pick the application of an ambiguous reply, apply."""

    def __init__(self, workspace, mailbox: str = "", plan: Plan | None = None):
        super().__init__("Your mailbox")
        self.workspace = workspace
        self.plan = plan
        self._read_from = mailbox if plan is not None else ""
        self.field(
            "mailbox",
            "Mailbox",
            widgets.Text(
                value=mailbox,
                placeholder="e.g. ~/Takeout/Mail/All mail Including Spam and Trash.mbox",
            ),
        )
        self.field("message", "Ambiguous", widgets.Dropdown(options=[]))
        self.field("application", "Belongs to", widgets.Dropdown(options=[]))
        self._fields["message"].observe(self._candidates, names="value")
        self._progress = widgets.VBox()
        self.layout_rows(
            [
                self.button("Preview", self.preview, style=""),
                self.button("Pick", self.pick, style=""),
                self.button("Apply", self.apply),
            ]
        )
        self.children = (*self.children, self._progress)
        self._show()

    def _place(self, box) -> None:
        self._progress.children = (box,)

    def view(self) -> list:
        """The page's preview: the plan this form last read (see :func:`plan_view`)."""
        return plan_view(self.workspace, self.plan, self._read_from)

    def _show(self) -> None:
        """Choices for the ambiguous replies; the page's views show the plan read."""
        plan = self.plan
        live.changed(self.workspace.root)
        choices = (
            []
            if plan is None
            else [
                (f"{a.where}: {a.subject}", a.where) for a in plan.ambiguous if a.mail is not None
            ]
        )
        self._fields["message"].options = choices
        self._candidates()

    def _candidates(self, *_) -> None:
        plan, where = self.plan, self._fields["message"].value
        found = [] if plan is None else [a for a in plan.ambiguous if a.where == where]
        names = _names(self.workspace) if found else {}
        self._fields["application"].options = (
            [(names.get(c, c), c) for c in found[0].candidates] if found else []
        )

    def preview(self) -> str:
        path = self._fields["mailbox"].value.strip()
        if not path:
            raise FieldErrors({"mailbox": "give the path of your exported mailbox"})
        plan = mail_import.preview(
            self.workspace, path, progress=CountingBar("Reading mail", place=self._place)
        )
        if not plan.counts.read and plan.problems:  # nothing there to read: say why, here
            raise FieldErrors({"mailbox": "; ".join(plan.problems)})
        self.plan = plan
        self._read_from = path
        self._show()
        return "Nothing is changed until you press Apply. " + _plain(self.plan.summary())

    def pick(self) -> str:
        if self.plan is None or not self.plan.ambiguous:
            raise Refusal("No ambiguous reply to settle: preview a mailbox first.")
        where = self._fields["message"].value
        app = self._fields["application"].value
        if not where or not app:
            raise FieldErrors({"application": "choose the application this reply belongs to"})
        change = mail_import.pick(self.workspace, self.plan, where, app)
        self._show()
        return f"{where} will be recorded for {app}: {change.what}. Press Apply to make it."

    def apply(self) -> str:
        path = self._fields["mailbox"].value.strip()
        if self.plan is None or path != self._read_from:
            self.preview()
        n = mail_import.apply(self.workspace, self.plan)
        self._show()
        return f"Applied {n} change{'s' if n != 1 else ''} in one save. " + _plain(
            self.plan.summary()
        )


def _plain(text: str) -> str:
    return text.replace("**", "")
