"""The forms of 01_post_interview: record an interview and the people met, give each a
talking point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as widgets

from helpers import live
from helpers.display import ProgressBar, draft_card, html_widget
from helpers.drafts import NO_NAME
from helpers.errors import FieldErrors, Refusal, WorkspaceError
from helpers.escape import html_text
from helpers.formkit import (
    Form,
    Picker,
    application_choices,
    relationship_choices,
    workspace_path,
)
from helpers.grammar import talking_point
from helpers.interviews import (
    parse_record,
    record_interview,
    set_note_needed,
    set_talking_point,
)
from helpers.profile import load_profile, save_profile
from helpers.schema import CLOSED_STAGES, FORMATS
from helpers.thankyou import draft_thank_yous, needing_talking_point


class PersonRow(widgets.VBox):
    """One person met: name, title, email, relationship, and the talking point."""

    def __init__(self, on_remove: Callable[[PersonRow], None]):
        super().__init__()
        self.name = widgets.Text(placeholder="Name").add_class("wb-person-name")
        self.title = widgets.Text(placeholder="Title").add_class("wb-person-title")
        self.email = widgets.Text(placeholder="Email").add_class("wb-person-email")
        self.relationship = widgets.Dropdown(
            options=relationship_choices(), value="interviewer"
        ).add_class("wb-person-relationship")
        self.talking_point = widgets.Textarea(
            placeholder="One specific thing you discussed with this person, as it would "
            "finish the sentence 'I enjoyed our conversation about …'",
            rows=2,
            layout={"width": "46em"},
        ).add_class("wb-person-talking-point")
        for w in (self.name, self.title, self.email):
            w.layout.width = "12em"
        self.relationship.layout.width = "12em"  # "hiring manager" whole
        remove = widgets.Button(
            description="Remove", button_style="warning", layout={"width": "6em"}
        )
        remove.add_class("wb-remove-person")
        remove.on_click(lambda _: on_remove(self))
        self.error = html_widget().add_class("wb-person-error")
        self.children = [
            widgets.HBox(
                [self.name, self.title, self.email, self.relationship, remove],
                layout={"flex_flow": "row wrap"},
            ),
            self.talking_point,
            self.error,
        ]
        self.add_class("wb-person")

    @property
    def value(self) -> dict:
        return {
            "name": self.name.value,
            "title": self.title.value,
            "email": self.email.value,
            "relationship": self.relationship.value,
            "talking_point": self.talking_point.value,
        }


NEW_APPLICATION = ""


class InterviewForm(Form):
    """Record an interview and the people met; draft a thank-you for each.

    As a talking point is typed, the sentence it will make in that person's note is
    shown under it, with a warning when it will read badly. Each person can be marked
    "no note needed" and given a greeting of their own. An interview dated after
    today is recorded as upcoming (its thank-yous come once it is held). When the
    profile has no name to sign with, the form asks for it.
    """

    def __init__(self, workspace, today: dt.date, application_id: str = ""):
        super().__init__("Record an interview")
        self.workspace = workspace
        self.today = today
        self.last_drafts = None
        self.last_recorded = None
        self.drafts = html_widget().add_class("wb-drafts")
        profile = load_profile(workspace)
        self._needs_name = not (profile.signature or profile.name)
        apps = workspace.load("applications")
        open_apps = apps[~apps["stage"].isin(CLOSED_STAGES)].sort_values(["company", "role"])
        options = [("New application…", NEW_APPLICATION), *application_choices(open_apps)]
        chosen = application_id if application_id in set(open_apps["application_id"]) else ""
        self.field("application", "Application", Picker(options, chosen, "applications"))
        self.field("company", "Company", widgets.Text(placeholder="for a new application"))
        self.field("role", "Role", widgets.Text(placeholder="for a new application"))
        self.field("held_on", "Date", widgets.DatePicker(value=today))
        self.field("round", "Round", widgets.Text(placeholder="1, 2, final…"))
        self.field("format", "Format", widgets.Dropdown(options=["", *FORMATS], value=""))
        self.people = widgets.VBox(layout={"width": "48em"}).add_class("wb-people")
        self.field("people", "People met", self.people)
        self.field("impressions", "Impressions", widgets.Textarea(rows=2))
        self.field(
            "next_steps",
            "Next steps",
            widgets.Textarea(rows=2, placeholder="What they said happens next"),
        )
        self.field("decision_expected_on", "Decision by", widgets.DatePicker(value=None))
        self.field(
            "decision_given_by",
            "Said by",
            widgets.Dropdown(options=[("(who gave that date?)", "")], value=""),
        )
        if self._needs_name:
            self.field(
                "signature_name",
                "Sign as",
                widgets.Text(placeholder="Your name, to sign the notes (saved to your profile)"),
            )
        self._fields["application"].observe(self._toggle_new, names="value")
        self._toggle_new()
        self.add_person()
        add = widgets.Button(description="Add person", icon="plus")
        add.add_class("wb-add-person")
        add.on_click(lambda _: self.add_person())
        self.layout_rows([self.button("Save", self.save), add])
        self.children = [*self.children, self.drafts]

    def _toggle_new(self, *_):
        new = self._fields["application"].value == NEW_APPLICATION
        for name in ("company", "role"):
            self._fields[name].disabled = not new

    def add_person(self) -> PersonRow:
        """Add an empty row for one more person met (with its live sentence preview)."""
        row = PersonRow(self.remove_person)
        # The relationship starts unset: typing a known person again changes nothing
        # about them that is left as it was.
        row.relationship.options = [("relationship…", ""), *relationship_choices()]
        row.relationship.value = ""
        row.no_note = widgets.Checkbox(
            value=False, description="No note needed", indent=False, layout={"width": "12em"}
        ).add_class("wb-person-no-note")
        row.greeting = widgets.Text(
            placeholder="Greeting, if not their first name (e.g. Dr. Chen)",
            layout={"width": "24em"},
        ).add_class("wb-person-greeting")
        row.preview = html_widget().add_class("wb-person-preview")
        children = list(row.children)
        at = children.index(row.talking_point) + 1
        children[at:at] = [row.preview, widgets.HBox([row.no_note, row.greeting])]
        row.children = children
        for widget in (row.talking_point, row.name, row.no_note):
            widget.observe(lambda _, r=row: self._preview(r), names="value")
        row.name.observe(lambda _: self._givers(), names="value")
        self.people.children = [*self.people.children, row]
        self._preview(row)
        return row

    def remove_person(self, row: PersonRow) -> None:
        """Remove a person's row (the form keeps at least one)."""
        rows = [r for r in self.people.children if r is not row]
        self.people.children = rows
        if not rows:
            self.add_person()
        for r in self.people.children:
            self._preview(r)
        self._givers()

    def _preview(self, row: PersonRow) -> None:
        """Show the sentence the talking point will make in this person's note."""
        if getattr(row, "no_note", None) is not None and row.no_note.value:
            row.preview.value = (
                '<span style="color:#5f6368">No thank-you note for this person.</span>'
            )
            return
        text = row.talking_point.value
        if not text.strip():
            row.preview.value = (
                '<span style="color:#5f6368">Type what you discussed: the sentence it makes '
                "in the note appears here.</span>"
            )
            return
        rows = list(self.people.children)
        variant = rows.index(row) if row in rows else len(rows)
        point = talking_point(text, row.name.value.strip())
        parts = [
            '<span style="color:#1e7e34">The note will say:</span> '
            f"<i>{html_text(point.sentence(variant))}</i>"
        ]
        parts += [
            f'<div style="color:#b06000">⚠ {html_text(warning)}</div>' for warning in point.warnings
        ]
        row.preview.value = "".join(parts)

    def _givers(self) -> None:
        """The "Said by" choices: the people typed so far."""
        widget = self._fields["decision_given_by"]
        names = [r.name.value.strip() for r in self.people.children if r.name.value.strip()]
        keep = widget.value if widget.value in names else ""
        widget.options = [("(who gave that date?)", ""), *[(n, n) for n in names]]
        widget.value = keep

    @property
    def value(self) -> dict:
        """The form's values, in the shape :func:`helpers.interviews.parse_record` takes."""
        f = self._fields
        people = [
            {
                **r.value,
                "note_needed": not r.no_note.value,
                "greeting": r.greeting.value,
            }
            for r in self.people.children
        ]
        return {
            "application_id": f["application"].value,
            "company": f["company"].value if f["application"].value == NEW_APPLICATION else "",
            "role": f["role"].value if f["application"].value == NEW_APPLICATION else "",
            "held_on": f["held_on"].value,
            "round": f["round"].value,
            "format": f["format"].value,
            "people": [p for p in people if _filled(p)],
            "impressions": f["impressions"].value,
            "next_steps": f["next_steps"].value,
            "decision_expected_on": f["decision_expected_on"].value,
            "decision_given_by": f["decision_given_by"].value,
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        by_field: dict[str, str] = {}
        by_person: dict[int, list[str]] = {}
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "people" and len(parts) >= 3:
                by_person.setdefault(int(parts[1]), []).append(f"{parts[2]}: {message}")
            else:
                name = {"": "application"}.get(parts[0], parts[0])
                by_field[name] = message
        super().show_errors(by_field)
        filled = [
            r for r in self.people.children if _filled({**r.value, "greeting": r.greeting.value})
        ]
        for row in self.people.children:
            index = filled.index(row) if row in filled else -1
            msgs = by_person.get(index, [])
            row.error.value = (
                f'<span style="color:#b3261e">{html_text("; ".join(msgs))}</span>' if msgs else ""
            )

    def save(self) -> str:
        """Validate, record the interview, draft the thank-yous; returns the status."""
        signer = ""
        if self._needs_name:
            signer = self._fields["signature_name"].value.strip()
        record = parse_record(self.value)
        unsigned = self._needs_name and not signer
        if signer:
            profile = load_profile(self.workspace)
            save_profile(self.workspace, profile.model_copy(update={"name": signer}))
            self._needs_name = False
        done = record_interview(self.workspace, record, self.today)
        self.last_recorded = done
        people = len(record.people)
        saved = (
            f"Saved the interview ({done.interview_id}) with {people} "
            f"{'person' if people == 1 else 'people'}"
        )
        updated = [f"updated {u}" for u in done.updated]
        if done.upcoming:
            self.drafts.value = ""
            on = record.held_on
            return (
                "; ".join(
                    [
                        f"Saved the upcoming interview on {on:%a} {on.day} {on:%b} "
                        f"({done.interview_id}) with {people} "
                        + ("person" if people == 1 else "people"),
                        *updated,
                        "it is on your calendar (03_follow_up) and in 02_research's preparation "
                        "list; the thank-you drafts come once it is held",
                    ]
                )
                + "."
            )
        run = self._draft_thank_yous(done)
        asks = len(run.needs_talking_point)
        parts = [
            saved,
            *updated,
            f"drafted {len(run.drafted)} thank-you{'s' if len(run.drafted) != 1 else ''}",
        ]
        if asks:
            parts.append(f"{asks} still need{'s' if asks == 1 else ''} a talking point")
        message = "; ".join(parts) + "."
        if unsigned and run.drafted:
            message += (
                f" They are signed “{NO_NAME}”: type your name in “Sign as” (it is saved to "
                "your profile) before sending, or edit each draft."
            )
            self._fields[
                "signature_name"
            ].placeholder = f"Your name: the notes are signed “{NO_NAME}” until you give it"
        return message

    def _draft_thank_yous(self, done):
        """Draft the thank-yous of the interview just recorded and show them as cards."""
        try:
            run = draft_thank_yous(
                self.workspace, self.today, done.application_id, ProgressBar("Thank-yous")
            )
        except WorkspaceError as err:
            self.drafts.value = ""
            raise Refusal(
                f"Saved the interview ({done.interview_id}), but the thank-you drafts could "
                f"not be made: {err}"
            ) from None
        self.last_drafts = run
        self.drafts.value = "".join(
            draft_card(
                f"Thank-you to {t.draft.to_name}",
                t.draft,
                [
                    workspace_path(self.workspace, t.markdown_file),
                    workspace_path(self.workspace, t.eml_file),
                ],
            )
            for t in run.drafted
        )
        return run


def _filled(person: dict) -> bool:
    """True when a person's row has anything typed in it (the choices aside)."""
    return any(
        str(v).strip() for k, v in person.items() if k not in ("relationship", "note_needed")
    )


class TalkingPointForm(Form):
    """Give a talking point to someone met, then draft their thank-you; or mark that
    they need no note. The sentence the talking point will make is shown as you type."""

    def __init__(self, workspace, today: dt.date, needs, application_id: str = ""):
        super().__init__("Add a talking point")
        self.workspace = workspace
        self.today = today
        self.application_id = application_id
        self.field("person", "Person", Picker(self._choices(needs), noun="people"))
        self.field(
            "talking_point",
            "Talking point",
            widgets.Textarea(rows=2, placeholder="One specific thing you discussed"),
        )
        self.preview = html_widget().add_class("wb-talking-point-preview")
        self._fields["talking_point"].observe(lambda _: self._preview(), names="value")
        self._fields["person"].observe(lambda _: self._preview(), names="value")
        self.layout_rows(
            [
                self.button("Save talking point", self.save),
                self.button("No note needed", self.no_note, style="warning"),
            ]
        )
        children = list(self.children)
        at = children.index(self._errors["talking_point"])
        children.insert(at + 1, self.preview)
        self.children = children
        self._preview()
        live.follow(workspace, self.refresh)

    def _choices(self, needs) -> list:
        self._names = {(r.interview_id, r.contact_id): str(r.name) for r in needs.itertuples()}
        return [
            (f"{r.name} — {r.company}, {r.held_on}", (r.interview_id, r.contact_id))
            for r in needs.itertuples()
        ]

    def refresh(self) -> None:
        """Who needs a talking point now (someone just recorded appears at once)."""
        needs = needing_talking_point(self.workspace, self.today, self.application_id)
        self._fields["person"].options = self._choices(needs)

    def _preview(self) -> None:
        text = self._fields["talking_point"].value
        if not text.strip():
            self.preview.value = ""
            return
        name = self._names.get(self._fields["person"].value, "")
        point = talking_point(text, name)
        self.preview.value = (
            '<span style="color:#1e7e34">The note will say:</span> '
            f"<i>{html_text(point.sentence())}</i>"
            + "".join(f'<div style="color:#b06000">⚠ {html_text(w)}</div>' for w in point.warnings)
        )

    def _drop(self, choice) -> None:
        self._fields["person"].options = [
            o for o in self._fields["person"].options if o[1] != choice
        ]

    def save(self) -> str:
        choice = self._fields["person"].value
        if not choice:
            raise FieldErrors({"person": "nobody needs a talking point"})
        text = self._fields["talking_point"].value
        if not text.strip():
            raise FieldErrors({"talking_point": "write one specific thing you discussed"})
        interview_id, contact_id = choice
        set_talking_point(self.workspace, interview_id, contact_id, text)
        run = draft_thank_yous(self.workspace, self.today, progress=ProgressBar("Thank-yous"))
        self._drop(choice)
        return f"Saved; drafted {len(run.drafted)} thank-you(s): they are in the drafts above."

    def no_note(self) -> str:
        """Mark the chosen person as needing no thank-you note."""
        choice = self._fields["person"].value
        if not choice:
            raise FieldErrors({"person": "nobody needs a talking point"})
        interview_id, contact_id = choice
        set_note_needed(self.workspace, interview_id, contact_id, False)
        self._drop(choice)
        name = self._names.get(choice, contact_id)
        return f"Marked: {name} needs no thank-you note. It no longer holds a follow-up."
