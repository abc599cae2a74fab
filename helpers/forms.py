"""Forms: ipywidgets views over the workbook's models.

Each form is a ``VBox`` whose fields carry a CSS class ``wb-<field>`` (so browser
tests and users' custom styles can find them), an error line under every field, and
a status line under the buttons. Errors raised by a button are always shown there,
never swallowed. A form never displays itself: the notebook does.
"""

from __future__ import annotations

import html
import traceback
from collections.abc import Callable

import ipywidgets as widgets
from pydantic import ValidationError

from helpers.errors import WorkspaceError
from helpers.profile import Profile, load_profile, save_profile

LABEL_WIDTH = "9em"


class Form(widgets.VBox):
    """Fields with an error line each, a row of buttons and a status line."""

    def __init__(self, title: str = ""):
        super().__init__()
        self._fields: dict[str, widgets.Widget] = {}
        self._labels: dict[str, str] = {}
        self._errors: dict[str, widgets.HTML] = {}
        self.status = widgets.HTML().add_class("wb-status")
        self._title = widgets.HTML(f"<b>{html.escape(title)}</b>") if title else None
        self.add_class("wb-form")

    def field(self, name: str, label: str, widget: widgets.Widget) -> widgets.Widget:
        """Register a field: its widget gets the class ``wb-<name>`` and an error line."""
        widget.add_class(f"wb-{name}")
        widget.layout.width = widget.layout.width or "28em"
        self._fields[name] = widget
        self._labels[name] = label
        self._errors[name] = widgets.HTML().add_class(f"wb-{name}-error")
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
            label = widgets.Label(self._labels[name])
            label.layout.width = LABEL_WIDTH
            rows.append(widgets.HBox([label, widget]))
            rows.append(self._errors[name])
        rows.append(widgets.HBox(buttons))
        rows.append(self.status)
        self.children = rows

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each message under its field and clear the others."""
        for name, line in self._errors.items():
            message = errors.get(name, "")
            line.value = (
                f'<span style="color:#b3261e">{html.escape(message)}</span>' if message else ""
            )

    def say(self, message: str, kind: str = "ok") -> None:
        """Write the status line (``ok``, ``error`` or ``info``)."""
        colour = {"ok": "#1e7e34", "error": "#b3261e", "info": "#444"}[kind]
        self.status.value = f'<span style="color:{colour}">{html.escape(message)}</span>'

    def _run(self, action: Callable[[], str]) -> None:
        try:
            message = action()
        except FieldErrors as err:
            self.show_errors(err.errors)
            self.say("Nothing was saved: please correct the fields marked above.", "error")
        except WorkspaceError as err:
            self.say(f"Nothing was saved. {err}", "error")
        except Exception as err:  # shown next to the form, never swallowed
            self.say(f"Nothing was saved: {type(err).__name__}: {err}", "error")
            traceback.print_exc()
        else:
            self.show_errors({})
            if message:
                self.say(message)


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
