"""07_caseload's page: the progress bar, each client's summary, the coach-notes form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as widgets

from helpers.caseload import Caseload, Client, write_notes_file
from helpers.display import PROGRESS_FROM, in_kernel
from helpers.escape import html_text, no_math_html
from helpers.formkit import Form, Picker, application_choices
from helpers.report import IN_CASELOAD, summary_html


class BundleBar:
    """The caseload's progress callback as a bar (from :data:`PROGRESS_FROM` bundles,
    in a kernel only)."""

    def __init__(self, what: str = "Reading bundles"):
        self.what = what
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM or not in_kernel():
                return
            from IPython.display import display

            self.bar = widgets.IntProgress(value=0, min=0, max=total, description=self.what)
            display(self.bar)
        self.bar.value = done
        if done >= total:
            self.bar.bar_style = "success"


def client_html(client: Client) -> str:
    """One client's latest summary (the report's, where "since the last report" is
    since their previous bundle), and which bundle it comes from; every value escaped."""
    latest = client.latest
    locale = latest.profile.date_locale
    parts = [f"<h2>{html_text(client.name)}</h2>"]
    parts.append(
        f"<p>Why: {html_text('; '.join(client.reasons))}. Latest bundle: "
        f"{html_text(latest.file)} ({html_text(latest.as_of)})</p>"
    )
    parts.append(
        summary_html(
            latest.glance,
            "",
            lambda text: text,
            locale,
            client.previous.glance if client.previous else None,
            framing=IN_CASELOAD,
        )
    )
    return no_math_html("\n".join(parts))


class CoachNotesForm(Form):
    """A note for one client's application, added to the notes file they import."""

    def __init__(self, load: Caseload, notes_dir: str | Path, today: dt.date, application_id=""):
        super().__init__("Coach notes for a client")
        self.load, self.notes_dir, self.today = load, Path(notes_dir), today
        names = [(c.name, c.name) for c in load.clients]
        self.field("client", "Client", Picker(names, names[0][1] if names else None, "clients"))
        self.field("application", "Application", Picker([], None, "applications"))
        self.field("note", "Note", widgets.Textarea(rows=3, placeholder="Your advice"))
        self.field("author", "Your name", widgets.Text(placeholder="Coach"))
        self._fields["client"].observe(lambda _: self._choices(), names="value")
        self._choices(application_id)
        self.layout_rows([self.button("Add note", self.save)])

    def _choices(self, application_id: str = "") -> None:
        name = self._fields["client"].value
        picker = self._fields["application"]
        if name is None:
            picker.options = []
            return
        apps = self.load.client(name).latest.applications.sort_values(["company", "role"])
        picker.options = application_choices(apps)
        if application_id in set(apps["application_id"]):
            picker.value = application_id

    def save(self) -> str:
        f = self._fields
        self.require(
            {
                "client": "choose a client",
                "application": "choose an application",
                "note": "write the note",
            }
        )
        client = self.load.client(f["client"].value)
        path = write_notes_file(
            self.notes_dir,
            client,
            self.today,
            f["application"].value,
            f["note"].value,
            f["author"].value,
        )
        f["note"].value = ""
        return (
            f"Added your note to {path.name} (in {path.parent}). Send that file to "
            f"{client.name}: 05_share imports it (Import a coach's bundle)."
        )
