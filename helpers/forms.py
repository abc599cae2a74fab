"""Forms: ipywidgets views over the workbook's models.

Each form is a ``VBox`` whose fields carry a CSS class ``wb-<field>`` (so browser
tests and users' custom styles can find them), an error line under every field, and
a status line under the buttons. Errors raised by a button are always shown there,
never swallowed. A form never displays itself: the notebook does.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import traceback
from collections.abc import Callable

import ipywidgets as widgets
import traitlets
from pydantic import ValidationError

from helpers import live
from helpers.display import draft_card, html_widget, label
from helpers.drafts import NO_NAME
from helpers.errors import WorkspaceError
from helpers.escape import html_text
from helpers.followup import request_follow_up
from helpers.grammar import talking_point
from helpers.interviews import (
    RecordErrors,
    parse_record,
    record_interview,
    set_note_needed,
    set_talking_point,
)
from helpers.profile import Profile, load_profile, save_profile
from helpers.rules import FollowUpRefused
from helpers.schema import CLOSED_STAGES, FORMATS, RELATIONSHIPS
from helpers.share import import_coach_notes
from helpers.store import announce
from helpers.thankyou import draft_thank_yous, mark_sent, needing_talking_point, unsent

LABEL_WIDTH = "9em"


def relationship_choices() -> list[tuple[str, str]]:
    """The relationships as a person reads them ("hiring manager"), with their codes."""
    return [(r.replace("_", " "), r) for r in RELATIONSHIPS]


class Form(widgets.VBox):
    """Fields with an error line each, a row of buttons and a status line."""

    def __init__(self, title: str = ""):
        super().__init__()
        self._fields: dict[str, widgets.Widget] = {}
        self._labels: dict[str, str] = {}
        self._errors: dict[str, widgets.HTML] = {}
        # Fields set from elsewhere (the page's chooser), each shown as a line saying so.
        self._hidden: dict[str, widgets.Widget] = {}
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
        # Wide enough for its label: a button never cuts its words ("Add similar positi…").
        btn = widgets.Button(
            description=label, button_style=style, layout={"width": "auto", "min_width": "8em"}
        )
        btn.add_class(f"wb-{label.lower().replace(' ', '-')}")
        btn.on_click(lambda _: self._run(action))
        return btn

    def layout_rows(self, buttons: list[widgets.Button]) -> None:
        """Lay out the registered fields, their error lines, the buttons and the status."""
        rows = [self._title] if self._title else []
        for name, widget in self._fields.items():
            if name in self._hidden:
                rows.append(self._hidden[name])
            else:
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

    def __repr__(self) -> str:
        # What a notebook opened without running shows instead of the form.
        title = self._title.value if self._title is not None else ""
        name = re.sub(r"<[^>]+>", "", title) or type(self).__name__
        return f"{html.unescape(name)}: a form. Run ▸ Run All Cells to use it."

    def _run(self, action: Callable[[], str]) -> None:
        try:
            with live.batch():  # the page re-renders once, after the whole action
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


class Chooser(widgets.HBox):
    """The one choice a notebook's forms and views are about (the application).

    Forms take their value from it (:meth:`drive`: the form's own field is set from here
    and not shown); views read :attr:`value` when they render, and changing it
    re-renders them all (:func:`helpers.live.changed`), as a save does.
    """

    value = traitlets.Any(None, allow_none=True)

    def __init__(self, workspace, label_text: str, options, value, noun: str):
        self.root = workspace.root
        self.picker = Picker(options, value, noun)
        self.picker.layout.width = "36em"
        shown = html_widget(f"<b>{html_text(label_text)}</b>", layout={"width": LABEL_WIDTH})
        super().__init__([shown, self.picker])
        self.add_class("wb-chooser")
        self.value = self.picker.value
        self.picker.observe(self._picked, names="value")

    def __repr__(self) -> str:
        # What a notebook opened without running shows instead of the chooser.
        return "The application this page is about: Run ▸ Run All Cells to choose it."

    def _picked(self, change) -> None:
        self.value = change.new
        live.changed(self.root)

    def drive(self, form: Form, name: str, shown: bool = False) -> None:
        """Keep ``form``'s field ``name`` on this choice; the field is not laid out
        unless ``shown`` (to choose something else for that form alone)."""
        field = form._fields[name]
        field.value = self.value
        widgets.dlink((self, "value"), (field, "value"))
        if not shown:
            line = html_widget().add_class("wb-chosen")
            widgets.dlink((self, "value"), (line, "value"), self._line)
            form._hidden[name] = line

    def _line(self, value) -> str:
        labels = dict((v, k) for k, v in self.picker.options)
        if value not in labels:
            return ""
        return (
            f'<span style="color:#555">For <b>{html_text(labels[value])}</b>, chosen above.</span>'
        )


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
        announce(self.workspace.root)  # the page's views show the new profile
        return f"Saved your profile to {self.workspace.root.name}/profile.yml."


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
        try:
            record = parse_record(self.value)
        except RecordErrors as err:
            raise FieldErrors(err.errors) from None
        unsigned = self._needs_name and not signer
        if signer:
            profile = load_profile(self.workspace)
            save_profile(self.workspace, profile.model_copy(update={"name": signer}))
            self._needs_name = False
        try:
            done = record_interview(self.workspace, record, self.today)
        except RecordErrors as err:
            raise FieldErrors(err.errors) from None
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


def _filled(person: dict) -> bool:
    """True when a person's row has anything typed in it (the choices aside)."""
    return any(
        str(v).strip() for k, v in person.items() if k not in ("relationship", "note_needed")
    )


def _rel(workspace, path) -> str:
    return path.relative_to(workspace.root).as_posix()


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
        run = draft_thank_yous(self.workspace, self.today)
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

        shared = share(self.workspace, self.today, self.options, bundle=self.bundle)
        return "Wrote " + " and ".join(p for p in (shared.report, shared.bundle) if p) + "."
