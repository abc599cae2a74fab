"""Forms over drafted messages: mark a draft sent (01, 03, 04), draft a follow-up (03)."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from helpers import live
from helpers.display import draft_card, html_widget
from helpers.errors import FieldErrors, Refusal
from helpers.followup import request_follow_up
from helpers.formkit import (
    Form,
    Picker,
    application_choices,
    workspace_path,
)
from helpers.rules import FollowUpRefused
from helpers.schema import CLOSED_STAGES
from helpers.thankyou import mark_sent, unsent


class MarkSentForm(Form):
    """Record that drafts were sent: pick one, the date, and click."""

    def __init__(
        self, workspace, today: dt.date, kind: str = "thank_you", application_id: str = ""
    ):
        super().__init__("Mark a draft as sent")
        self.workspace = workspace
        self.kind = kind
        self.application_id = application_id
        self.field("message", "Draft", Picker(self._options(), noun="unsent drafts"))
        self.field("sent_on", "Sent on", widgets.DatePicker(value=today))
        self.layout_rows([self.button("Mark sent", self.save)])
        live.follow(workspace, self.refresh)  # new drafts appear as soon as they are saved

    def refresh(self) -> None:
        """The unsent drafts as they are now (the chosen one stays chosen if still unsent)."""
        self._fields["message"].options = self._options()

    def _options(self):
        tables = {"messages": self.workspace.load("messages")}
        contacts = self.workspace.load("contacts").set_index("contact_id")["name"]
        rows = unsent(tables, self.kind)
        if self.application_id:
            rows = rows[rows["application_id"] == self.application_id]
        return [
            (
                f"{contacts.get(r.contact_id, r.contact_id) or r.application_id} — "
                f"{r.subject} (drafted {r.drafted_on})",
                r.message_id,
            )
            for r in rows.itertuples()
        ]

    def save(self) -> str:
        message_id = self._fields["message"].value
        sent_on = self._fields["sent_on"].value
        errors = {}
        if not message_id:
            errors["message"] = "there is no unsent draft to mark"
        if sent_on is None:
            errors["sent_on"] = "give the date you sent it"
        if errors:
            raise FieldErrors(errors)
        mark_sent(self.workspace, message_id, sent_on)
        label = dict((v, k) for k, v in self._fields["message"].options)[message_id]
        self._fields["message"].options = self._options()
        return f"Marked sent on {sent_on.isoformat()}: {label.split(' (drafted')[0]}."


class FollowUpForm(Form):
    """Ask for a follow-up (or, before any interview, a check-in) for one application:
    drafted if the etiquette rules allow it today, otherwise refused with the earliest
    polite date."""

    def __init__(self, workspace, today: dt.date, application_id: str = ""):
        super().__init__("Draft a follow-up")
        self.workspace = workspace
        self.today = today
        self.last = None
        # Every application you have applied to and not closed: after an interview a
        # follow-up, before one a check-in; the rules say which, and when.
        apps = workspace.load("applications")
        open_ = ~apps["stage"].isin([*CLOSED_STAGES, "saved"])
        apps = apps[open_].sort_values(["company", "role"])
        options = application_choices(apps)
        chosen = application_id if application_id in set(apps["application_id"]) else None
        self.field("application", "Application", Picker(options, chosen, "applications"))
        self.drafts = html_widget().add_class("wb-drafts")
        self.layout_rows([self.button("Draft follow-up", self.save)])
        self.children = [*self.children, self.drafts]

    def save(self) -> str:
        application_id = self._fields["application"].value
        if not application_id:
            raise FieldErrors({"application": "choose an application"})
        try:
            made = request_follow_up(self.workspace, application_id, self.today)
        except FollowUpRefused as err:
            raise Refusal(str(err)) from None
        self.last = made
        rel = [
            workspace_path(self.workspace, made.markdown_file),
            workspace_path(self.workspace, made.eml_file),
        ]
        self.drafts.value = draft_card(f"Follow-up to {made.draft.to_name}", made.draft, rel)
        if not made.new:
            return "A follow-up is already drafted and not yet sent: here it is."
        return f"Drafted a follow-up to {made.draft.to_name}."
