"""The form kit: fields with error lines, pickers, the page's chooser.

Each form is a ``VBox`` whose fields carry a CSS class ``wb-<field>`` (so browser
tests and users' custom styles can find them), an error line under every field, and
a status line under the buttons. Errors raised by a button are always shown there,
never swallowed. A form never displays itself: the notebook does.

The kit knows nothing of the domain: the forms of each notebook, on top of it, call
the domain's functions (``helpers.interview_forms``, ``helpers.message_forms``,
``helpers.profile_forms``, ``helpers.research_forms``, ``helpers.pipeline_forms``,
``helpers.share_forms``).
"""

from __future__ import annotations

import html
import re
import traceback
from collections.abc import Callable

import ipywidgets as widgets
import traitlets

from helpers import live
from helpers.display import html_widget, label
from helpers.errors import FieldErrors, Refusal, WorkspaceError
from helpers.escape import html_text
from helpers.schema import CLOSED_STAGES, RELATIONSHIPS

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

    def require(self, messages: dict[str, str]) -> None:
        """Refuse the action when any of these fields is empty (or only spaces), each
        with its message under it.

        Raises:
            FieldErrors: the empty fields and their messages.
        """
        errors = {
            name: message
            for name, message in messages.items()
            if not str(self._fields[name].value or "").strip()
        }
        if errors:
            raise FieldErrors(errors)

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


def workspace_path(workspace, path) -> str:
    """``path`` as the user finds it: relative to the workspace, with forward slashes."""
    return path.relative_to(workspace.root).as_posix()
