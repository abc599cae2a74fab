"""The forms of 05_share: coach notes, importing a coach's notes, the report and bundle."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from helpers.display import ProgressBar
from helpers.errors import FieldErrors
from helpers.formkit import (
    Form,
    Picker,
    application_choices,
)
from helpers.share import import_coach_notes


class CoachNoteForm(Form):
    """A coach's note on one application, saved to ``coach_notes.csv``."""

    def __init__(self, workspace, today: dt.date, application_id: str = ""):
        super().__init__("Coach notes")
        self.workspace = workspace
        self.today = today
        apps = workspace.load("applications").sort_values(["company", "role"])
        options = application_choices(apps)
        chosen = application_id if application_id in set(apps["application_id"]) else None
        self.field("application", "Application", Picker(options, chosen, "applications"))
        self.field("note", "Note", widgets.Textarea(rows=3, placeholder="Your advice"))
        self.field("author", "Your name", widgets.Text(placeholder="Coach"))
        self.layout_rows([self.button("Add note", self.save)])

    def save(self) -> str:
        f = self._fields
        self.require({"application": "choose an application", "note": "write the note"})
        self.workspace.append(
            "coach_notes",
            [
                {
                    "application_id": f["application"].value,
                    "note": f["note"].value.strip(),
                    "author": f["author"].value.strip(),
                    "added_on": self.today,
                }
            ],
        )
        f["note"].value = ""
        return "Added your note. Write the report and bundle again (section 2) to include it."


class ImportCoachNotesForm(Form):
    """Merge the coach notes of a bundle a coach sent back (nothing else is changed)."""

    def __init__(self, workspace):
        super().__init__("Import a coach's bundle")
        self.workspace = workspace
        self.field(
            "bundle",
            "Bundle file",
            widgets.Text(placeholder="e.g. ~/Downloads/bundle-2026-11-26.zip"),
        )
        self.layout_rows([self.button("Import coach notes", self.save)])

    def save(self) -> str:
        path = self._fields["bundle"].value.strip()
        if not path:
            raise FieldErrors({"bundle": "give the path of the zip file your coach sent"})
        done = import_coach_notes(self.workspace, path)
        return (
            f"Imported {done.added} new coach note(s)"
            + (f"; {done.already_there} were already here" if done.already_there else "")
            + ". Nothing else was changed."
        )


class ShareForm(Form):
    """Write the coach report (and the bundle) again, with what was saved since."""

    def __init__(self, workspace, today: dt.date, options, bundle: bool = True):
        super().__init__("Write them again")
        self.workspace, self.today, self.options, self.bundle = workspace, today, options, bundle
        self.layout_rows([self.button("Write report and bundle", self.save)])

    def save(self) -> str:
        from helpers.share import share

        shared = share(
            self.workspace,
            self.today,
            self.options,
            bundle=self.bundle,
            progress=ProgressBar("Sharing"),
        )
        return "Wrote " + " and ".join(p for p in (shared.report, shared.bundle) if p) + "."
