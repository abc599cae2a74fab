"""The profile form of 00_start_here: who you are, how notes are signed, the rules."""

from __future__ import annotations

import re

import ipywidgets as widgets
from pydantic import ValidationError

from helpers.errors import FieldErrors
from helpers.formkit import (
    Form,
)
from helpers.profile import Profile, load_profile, save_profile
from helpers.store import announce

OTHER_EMAILS_SPLIT = re.compile(r"[,;\s]+")
"""How the addresses in "Other emails" are separated: commas, semicolons or spaces."""


class ProfileForm(Form):
    """Edit the profile: name, contact details, signature, weekly goal, holidays."""

    def __init__(self, workspace):
        super().__init__("Your profile")
        self.workspace = workspace
        p = load_profile(workspace)
        self.field("name", "Your name", widgets.Text(p.name, placeholder="Jordan Rivera"))
        self.field("email", "Email", widgets.Text(p.email, placeholder="you@example.com"))
        self.field(
            "other_emails",
            "Other emails",
            widgets.Text(
                ", ".join(p.other_emails),
                placeholder="Addresses you also send from, separated by commas",
            ),
        )
        self.field("phone", "Phone", widgets.Text(p.phone, placeholder="+1 555 0100"))
        self.field(
            "signature",
            "Signature",
            widgets.Textarea(p.signature, placeholder="Name\nRole · City\nPhone", rows=3),
        )
        self.field(
            "weekly_goal",
            "Weekly goal",
            widgets.BoundedIntText(p.weekly_goal, min=0, max=200, layout={"width": "8em"}),
        )
        self.field("country", "Country", widgets.Text(p.country, placeholder="US"))
        self.field("region", "Region", widgets.Text(p.region, placeholder="e.g. CA, NY, ENG"))
        self.layout_rows([self.button("Save profile", self.save)])

    @property
    def value(self) -> dict:
        """The form's current values."""
        values = {name: w.value for name, w in self._fields.items()}
        values["other_emails"] = [e for e in OTHER_EMAILS_SPLIT.split(values["other_emails"]) if e]
        return values

    def save(self) -> str:
        """Validate and write ``profile.yml``; returns the status message."""
        # What the form does not show is taken from the file as it is now: another page
        # may have changed it since this form opened (the name to sign drafts with, the
        # search's id made with a bundle).
        kept = load_profile(self.workspace).model_dump()
        try:
            profile = Profile.model_validate({**kept, **self.value})
        except ValidationError as err:
            raise FieldErrors.from_pydantic(err) from None
        save_profile(self.workspace, profile)
        announce(self.workspace.root)  # the page's views show the new profile
        return f"Saved your profile to {self.workspace.root.name}/profile.yml."
