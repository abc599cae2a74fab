"""Forms: ipywidgets views over the workbook's models.

Each form is a ``VBox`` whose fields carry a CSS class ``wb-<field>`` (so browser
tests and users' custom styles can find them), an error line under every field, and
a status line under the buttons. Errors raised by a button are always shown there,
never swallowed. A form never displays itself: the notebook does.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable

import ipywidgets as widgets
import traitlets
from pydantic import ValidationError

from helpers.display import draft_card, html_widget, label
from helpers.errors import WorkspaceError
from helpers.escape import html_text
from helpers.followup import request_follow_up
from helpers.interviews import RecordErrors, parse_record, record_interview, set_talking_point
from helpers.profile import Profile, load_profile, save_profile
from helpers.rules import FollowUpRefused
from helpers.schema import CLOSED_STAGES, FORMATS, RELATIONSHIPS
from helpers.share import import_coach_notes
from helpers.thankyou import draft_thank_yous, mark_sent, unsent

LABEL_WIDTH = "9em"


class Form(widgets.VBox):
    """Fields with an error line each, a row of buttons and a status line."""

    def __init__(self, title: str = ""):
        super().__init__()
        self._fields: dict[str, widgets.Widget] = {}
        self._labels: dict[str, str] = {}
        self._errors: dict[str, widgets.HTML] = {}
        self.status = html_widget().add_class("wb-status")
        self._title = html_widget(f"<b>{html_text(title)}</b>") if title else None
        self.add_class("wb-form")

    def field(self, name: str, label: str, widget: widgets.Widget) -> widgets.Widget:
        """Register a field: its widget gets the class ``wb-<name>`` and an error line."""
        widget.add_class(f"wb-{name}")
        widget.layout.width = widget.layout.width or "28em"
        self._fields[name] = widget
        self._labels[name] = label
        self._errors[name] = html_widget().add_class(f"wb-{name}-error")
        return widget

    def button(self, label: str, action: Callable[[], str], style: str = "primary"):
        """A button whose action's return value, or error, goes to the status line."""
        btn = widgets.Button(description=label, button_style=style)
        btn.add_class(f"wb-{label.lower().replace(' ', '-')}")
        btn.on_click(lambda _: self._run(action))
        return btn

    def layout_rows(self, buttons: list[widgets.Button]) -> None:
        """Lay out the registered fields, their error lines, the buttons and the status."""
        rows = [self._title] if self._title else []
        for name, widget in self._fields.items():
            rows.append(
                widgets.HBox([label(self._labels[name], layout={"width": LABEL_WIDTH}), widget])
            )
            rows.append(self._errors[name])
        rows.append(widgets.HBox(buttons))
        rows.append(self.status)
        self.children = rows

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each message under its field and clear the others."""
        for name, line in self._errors.items():
            message = errors.get(name, "")
            line.value = (
                f'<span style="color:#b3261e">{html_text(message)}</span>' if message else ""
            )

    def say(self, message: str, kind: str = "ok") -> None:
        """Write the status line (``ok``, ``error`` or ``info``)."""
        colour = {"ok": "#1e7e34", "error": "#b3261e", "info": "#444"}[kind]
        self.status.value = f'<span style="color:{colour}">{html_text(message)}</span>'

    def _run(self, action: Callable[[], str]) -> None:
        try:
            message = action()
        except FieldErrors as err:
            self.show_errors(err.errors)
            self.say("Nothing was saved: please correct the fields marked above.", "error")
        except Refusal as err:
            self.say(str(err), "error")
        except WorkspaceError as err:
            self.say(f"Nothing was saved. {err}", "error")
        except Exception as err:  # shown next to the form, never swallowed
            self.say(f"Nothing was saved: {type(err).__name__}: {err}", "error")
            traceback.print_exc()
        else:
            self.show_errors({})
            if message:
                self.say(message)


PICKER_ROWS = 100
"""The most choices a picker's dropdown lists at once; with more, a search box finds the rest."""

_FIRST = object()  # a picker's default value: its first choice, as a Dropdown's


class Picker(widgets.VBox):
    """A dropdown for many choices (applications, drafts) that stays quick at any size.

    It lists at most ``rows`` choices at once. With more than that, a search box above
    it finds the others: typing shows the choices whose label contains the text (case
    ignored), and the first of them is chosen, as a dropdown does. ``value`` (a trait:
    observe it like a Dropdown's) can be set to any choice, listed or not; ``options``
    is every choice as ``(label, value)`` pairs, and setting it replaces them (keeping
    the value when it is still a choice, else choosing the first).
    """

    value = traitlets.Any(None, allow_none=True)

    def __init__(self, options=(), value=_FIRST, noun: str = "choices", rows: int = PICKER_ROWS):
        super().__init__()
        self._rows = rows
        self._noun = noun
        self._all: tuple[tuple[str, object], ...] = ()
        self._index: dict[object, int] = {}
        self._listed: set = set()
        self.search = widgets.Text(layout={"width": "100%"}, continuous_update=True)
        self.search.add_class("wb-search")
        self.dropdown = widgets.Dropdown(options=[], layout={"width": "100%"})
        self.dropdown.observe(self._picked, names="value")
        self.search.observe(lambda _: self._show(_FIRST), names="value")
        self.options = options
        if value is not _FIRST:
            self.value = value

    @property
    def options(self) -> tuple[tuple[str, object], ...]:
        return self._all

    @options.setter
    def options(self, options) -> None:
        keep = self.value
        self._all = tuple(options)
        self._folded = None  # the labels casefolded, made at the first search
        self._index = {v: i for i, (_, v) in enumerate(self._all)}
        many = len(self._all) > self._rows
        self.search.placeholder = f"type to find one of {len(self._all):,} {self._noun}"
        self.children = [self.search, self.dropdown] if many else [self.dropdown]
        self._show(keep if keep in self._index else _FIRST)

    def _show(self, selected) -> None:
        """List the first ``rows`` matches of the search (and ``selected``), choose one."""
        text = self.search.value.casefold().strip() if len(self._all) > self._rows else ""
        if text:
            if self._folded is None:
                self._folded = [label.casefold() for label, _ in self._all]
            listed = [i for i, label in enumerate(self._folded) if text in label][: self._rows]
        else:
            listed = list(range(min(len(self._all), self._rows)))
        if selected in self._index and self._index[selected] not in listed:
            listed.append(self._index[selected])
        self._listed = {self._all[i][1] for i in listed}
        self.dropdown.options = [self._all[i] for i in listed]
        if selected is _FIRST or selected not in self._index:
            selected = self._all[listed[0]][1] if listed else None
        self.dropdown.value = selected
        self.value = selected

    def _picked(self, change) -> None:
        self.value = change.new

    @traitlets.validate("value")
    def _valid(self, proposal):
        if proposal.value is not None and proposal.value not in self._index:
            raise traitlets.TraitError(f"{proposal.value!r} is not one of the {self._noun}")
        return proposal.value

    @traitlets.observe("value")
    def _follow(self, change) -> None:
        if self.dropdown.value == change.new:
            return
        if change.new is not None and change.new not in self._listed:
            self._show(change.new)
        else:
            self.dropdown.value = change.new


def application_choices(apps, stage: str = "") -> list[tuple[str, str]]:
    """``("Company — Role", application_id)`` for each application, in the table's order;
    ``stage="all"`` adds every stage in brackets, ``stage="closed"`` only closed ones."""
    stages = apps["stage"].tolist()
    shown = {
        "all": stages,
        "closed": [s if s in CLOSED_STAGES else "" for s in stages],
        "": [""] * len(stages),
    }[stage]
    return [
        (f"{company} — {role}" + (f" ({st})" if st else ""), app)
        for company, role, st, app in zip(
            apps["company"].tolist(),
            apps["role"].tolist(),
            shown,
            apps["application_id"].tolist(),
            strict=True,
        )
    ]


class Refusal(Exception):
    """The action was declined for a reason the user should read (shown as is)."""


class FieldErrors(Exception):
    """Validation failed; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    @classmethod
    def from_pydantic(cls, err: ValidationError) -> FieldErrors:
        errors: dict[str, str] = {}
        for e in err.errors():
            name = str(e["loc"][0]) if e["loc"] else ""
            errors.setdefault(name, e["msg"].removeprefix("Value error, "))
        return cls(errors)


class ProfileForm(Form):
    """Edit the profile: name, contact details, signature, weekly goal, holidays."""

    def __init__(self, workspace):
        super().__init__("Your profile")
        self.workspace = workspace
        p = load_profile(workspace)
        self.field("name", "Your name", widgets.Text(p.name, placeholder="Jordan Rivera"))
        self.field("email", "Email", widgets.Text(p.email, placeholder="you@example.com"))
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
        self._extra = {
            k: v for k, v in p.model_dump().items() if k not in self._fields and k != "rules"
        }
        self._rules = p.rules
        self.layout_rows([self.button("Save profile", self.save)])

    @property
    def value(self) -> dict:
        """The form's current values."""
        return {name: w.value for name, w in self._fields.items()}

    def save(self) -> str:
        """Validate and write ``profile.yml``; returns the status message."""
        try:
            profile = Profile.model_validate({**self._extra, **self.value, "rules": self._rules})
        except ValidationError as err:
            raise FieldErrors.from_pydantic(err) from None
        save_profile(self.workspace, profile)
        return f"Saved your profile to {self.workspace.root.name}/profile.yml."


class PersonRow(widgets.VBox):
    """One person met: name, title, email, relationship, and the talking point."""

    def __init__(self, on_remove: Callable[[PersonRow], None]):
        super().__init__()
        self.name = widgets.Text(placeholder="Name").add_class("wb-person-name")
        self.title = widgets.Text(placeholder="Title").add_class("wb-person-title")
        self.email = widgets.Text(placeholder="Email").add_class("wb-person-email")
        self.relationship = widgets.Dropdown(
            options=list(RELATIONSHIPS), value="interviewer"
        ).add_class("wb-person-relationship")
        self.talking_point = widgets.Textarea(
            placeholder="One specific thing you discussed with this person, as it would "
            "finish the sentence 'I enjoyed our conversation about …'",
            rows=2,
            layout={"width": "46em"},
        ).add_class("wb-person-talking-point")
        for w in (self.name, self.title, self.email):
            w.layout.width = "12em"
        self.relationship.layout.width = "9em"
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
    """Record an interview and the people met; draft a thank-you for each."""

    def __init__(self, workspace, today: dt.date, application_id: str = ""):
        super().__init__("Record an interview")
        self.workspace = workspace
        self.today = today
        self.last_drafts = None
        self.drafts = html_widget().add_class("wb-drafts")
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
        """Add an empty row for one more person met."""
        row = PersonRow(self.remove_person)
        self.people.children = [*self.people.children, row]
        return row

    def remove_person(self, row: PersonRow) -> None:
        """Remove a person's row (the form keeps at least one)."""
        rows = [r for r in self.people.children if r is not row]
        self.people.children = rows or [PersonRow(self.remove_person)]

    @property
    def value(self) -> dict:
        """The form's values, in the shape :func:`helpers.interviews.parse_record` takes."""
        f = self._fields
        people = [r.value for r in self.people.children]
        return {
            "application_id": f["application"].value,
            "company": f["company"].value if f["application"].value == NEW_APPLICATION else "",
            "role": f["role"].value if f["application"].value == NEW_APPLICATION else "",
            "held_on": f["held_on"].value,
            "round": f["round"].value,
            "format": f["format"].value,
            "people": [
                p
                for p in people
                if any(str(v).strip() for k, v in p.items() if k != "relationship")
            ],
            "impressions": f["impressions"].value,
            "next_steps": f["next_steps"].value,
            "decision_expected_on": f["decision_expected_on"].value,
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
            r
            for r in self.people.children
            if any(str(v).strip() for k, v in r.value.items() if k != "relationship")
        ]
        for row in self.people.children:
            index = filled.index(row) if row in filled else -1
            msgs = by_person.get(index, [])
            row.error.value = (
                f'<span style="color:#b3261e">{html_text("; ".join(msgs))}</span>' if msgs else ""
            )

    def save(self) -> str:
        """Validate, record the interview, draft the thank-yous; returns the status."""
        try:
            record = parse_record(self.value)
        except RecordErrors as err:
            raise FieldErrors(err.errors) from None
        done = record_interview(self.workspace, record, self.today)
        try:
            run = draft_thank_yous(self.workspace, self.today, done.application_id)
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
                [_rel(self.workspace, t.markdown_file), _rel(self.workspace, t.eml_file)],
            )
            for t in run.drafted
        )
        asks = len(run.needs_talking_point)
        people = len(record.people)
        parts = [
            f"Saved the interview ({done.interview_id}) with {people} "
            f"{'person' if people == 1 else 'people'}",
            f"drafted {len(run.drafted)} thank-you{'s' if len(run.drafted) != 1 else ''}",
        ]
        if asks:
            parts.append(f"{asks} still need{'s' if asks == 1 else ''} a talking point")
        return "; ".join(parts) + "."


def _rel(workspace, path) -> str:
    return path.relative_to(workspace.root).as_posix()


class TalkingPointForm(Form):
    """Give a talking point to someone met, then draft their thank-you."""

    def __init__(self, workspace, today: dt.date, needs):
        super().__init__("Add a talking point")
        self.workspace = workspace
        self.today = today
        options = [
            (f"{r.name} — {r.company}, {r.held_on}", (r.interview_id, r.contact_id))
            for r in needs.itertuples()
        ]
        self.field("person", "Person", Picker(options, noun="people"))
        self.field(
            "talking_point",
            "Talking point",
            widgets.Textarea(rows=2, placeholder="One specific thing you discussed"),
        )
        self.layout_rows([self.button("Save talking point", self.save)])

    def save(self) -> str:
        choice = self._fields["person"].value
        if not choice:
            raise FieldErrors({"person": "nobody needs a talking point"})
        text = self._fields["talking_point"].value
        if not text.strip():
            raise FieldErrors({"talking_point": "write one specific thing you discussed"})
        interview_id, contact_id = choice
        set_talking_point(self.workspace, interview_id, contact_id, text)
        run = draft_thank_yous(self.workspace, self.today)
        self._fields["person"].options = [
            o for o in self._fields["person"].options if o[1] != choice
        ]
        return (
            f"Saved; drafted {len(run.drafted)} thank-you(s). Re-run the drafts cell to see them."
        )


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
    """Ask for a follow-up for one application: drafted if the etiquette rules allow it
    today, otherwise refused with the earliest polite date."""

    def __init__(self, workspace, today: dt.date, application_id: str = ""):
        super().__init__("Draft a follow-up")
        self.workspace = workspace
        self.today = today
        self.last = None
        apps = workspace.load("applications")
        with_interviews = set(workspace.load("interviews")["application_id"])
        apps = apps[apps["application_id"].isin(with_interviews)].sort_values(["company", "role"])
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
        rel = [_rel(self.workspace, made.markdown_file), _rel(self.workspace, made.eml_file)]
        self.drafts.value = draft_card(f"Follow-up to {made.draft.to_name}", made.draft, rel)
        if not made.new:
            return "A follow-up is already drafted and not yet sent: here it is."
        return f"Drafted a follow-up to {made.draft.to_name}."


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
        errors = {}
        if not f["application"].value:
            errors["application"] = "choose an application"
        if not f["note"].value.strip():
            errors["note"] = "write the note"
        if errors:
            raise FieldErrors(errors)
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
        return "Added your note. Run the notebook again to include it in the bundle."


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
