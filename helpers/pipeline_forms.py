"""The pipeline's forms: a new application, a stage change, an import with a preview.

Thin views (``helpers.formkit.Form``) over the models in ``helpers.pipeline`` and
``helpers.importer``: every button calls the same function as the headless path,
and its result or error goes to the status line under the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd

from helpers.display import draft_card, html_widget, label
from helpers.errors import FieldErrors, WorkspaceError
from helpers.escape import html_text
from helpers.formkit import Form, Picker, application_choices
from helpers.html_tables import LEFT, html_table
from helpers.importer import (
    DATE_FORMATS,
    GUESS,
    IMPORT_FIELDS,
    SKIP,
    ImportPlan,
    guess_mapping,
    import_applications,
    plan_import,
    read_source,
    resolve_source,
)
from helpers.pipeline import (
    DuplicateApplication,
    add_application,
    add_application_anyway,
    change_stage,
    name_key,
    parse_application,
)
from helpers.schema import STAGES
from helpers.withdrawals import draft_withdrawals

PREVIEW_ROWS = 20


def _hidden(widget: widgets.Widget, hide: bool) -> None:
    widget.layout.display = "none" if hide else None


class NewApplicationForm(Form):
    """Add an application: company and role (required), where, when, pay, notes.

    The same company and role a second time is refused with a warning; *Add anyway*
    then adds it (a different opening at the same company, say).
    """

    def __init__(self, workspace, today: dt.date, on_saved: Callable[[], None] | None = None):
        super().__init__("Add an application")
        self.workspace = workspace
        self.today = today
        self.on_saved = on_saved
        self._warned: tuple[str, str] | None = None
        self.field("company", "Company", widgets.Text(placeholder="Acme Robotics"))
        self.field("role", "Role", widgets.Text(placeholder="Data Analyst"))
        self.field("location", "Location", widgets.Text(placeholder="Chicago, IL (hybrid)"))
        self.field("job_url", "Job posting", widgets.Text(placeholder="https://…"))
        self.field("source", "Found via", widgets.Text(placeholder="LinkedIn, referral, …"))
        self.field("stage", "Stage", widgets.Dropdown(options=list(STAGES), value="applied"))
        self.field("applied_on", "Applied on", widgets.DatePicker(value=today))
        self.field("decision_expected_on", "Decision by", widgets.DatePicker(value=None))
        self.field("salary_min", "Salary from", widgets.Text(placeholder="85000"))
        self.field("salary_max", "Salary to", widgets.Text(placeholder="100000"))
        self.field("currency", "Currency", widgets.Text(placeholder="USD"))
        self.field("notes", "Notes", widgets.Textarea(rows=2))
        self.add_anyway = self.button("Add anyway", self.save_anyway, style="warning")
        _hidden(self.add_anyway, True)
        self.layout_rows([self.button("Add application", self.save), self.add_anyway])

    @property
    def value(self) -> dict:
        """The form's values, in the shape :func:`helpers.pipeline.parse_application` takes."""
        return {name: w.value for name, w in self._fields.items()}

    def save(self) -> str:
        """Validate and add the application; returns the status message."""
        return self._add(add_application)

    def save_anyway(self) -> str:
        """Add the application although the same company and role is already there."""
        warned = self._warned == self._key()
        return self._add(add_application_anyway if warned else add_application)

    def _add(self, add) -> str:
        record = parse_application(self.value)
        try:
            added = add(self.workspace, record, self.today)
        except DuplicateApplication:
            self._warned = self._key()
            _hidden(self.add_anyway, False)
            raise
        self._warned = None
        _hidden(self.add_anyway, True)
        for name in ("company", "role", "location", "job_url", "salary_min", "salary_max"):
            self._fields[name].value = ""
        self._fields["notes"].value = ""
        if self.on_saved:
            self.on_saved()
        when = f" on {added.applied_on}" if added.applied_on else ""
        return (
            f"Added {record.company} — {record.role} ({added.application_id}) as "
            f"{added.stage}{when}."
        )

    def _key(self) -> tuple[str, str]:
        s = pd.Series([self._fields["company"].value, self._fields["role"].value], dtype="str")
        company, role = name_key(s)
        return company, role


class StageForm(Form):
    """Move an application to another stage (recorded in ``stage_history``).

    Giving *Offer signed on* marks the search as over: the withdrawal drafts for the
    other open applications are made at once and shown below the form.
    """

    def __init__(self, workspace, today: dt.date, application_id: str = ""):
        super().__init__("Change an application's stage")
        self.workspace = workspace
        self.today = today
        self.drafts = html_widget().add_class("wb-drafts")
        self.field("application", "Application", Picker(noun="applications"))
        self.field("stage", "New stage", widgets.Dropdown(options=list(STAGES)))
        self.field("on", "On", widgets.DatePicker(value=today))
        self.field("offer_signed_on", "Offer signed on", widgets.DatePicker(value=None))
        self.refresh(application_id)
        self._fields["application"].observe(self._show_stage, names="value")
        self._show_stage()
        self.layout_rows([self.button("Change stage", self.save)])
        self.children = [*self.children, self.drafts]

    def refresh(self, application_id: str = "") -> None:
        """Reload the applications (after one was added or imported)."""
        apps = self.workspace.load("applications").sort_values(
            ["company", "role", "application_id"], key=lambda s: s.str.casefold()
        )
        self._stages = dict(zip(apps["application_id"], apps["stage"], strict=True))
        options = application_choices(apps, stage="all")
        dropdown = self._fields["application"]
        keep = application_id or dropdown.value
        dropdown.options = options
        if keep in self._stages:
            dropdown.value = keep

    def _show_stage(self, *_) -> None:
        current = self._stages.get(self._fields["application"].value)
        if current:
            self._fields["stage"].value = current

    @property
    def value(self) -> dict:
        """The form's values."""
        return {name: w.value for name, w in self._fields.items()}

    def save(self) -> str:
        """Change the stage; on signing, draft the withdrawals. Returns the status."""
        v = self.value
        errors = {}
        if not v["application"]:
            errors["application"] = "choose an application (add one first)"
        if v["on"] is None:
            errors["on"] = "give the date of the change"
        if errors:
            raise FieldErrors(errors)
        done = change_stage(
            self.workspace, v["application"], v["stage"], v["on"], v["offer_signed_on"]
        )
        label = dict((a, lbl) for lbl, a in self._fields["application"].options)[v["application"]]
        name = label.rsplit(" (", 1)[0]
        self.refresh()
        message = (
            f"Moved {name} from {done.before} to {done.after} on {done.on.isoformat()}."
            if done.history_added
            else f"{name} stays at {done.after}."
        )
        if done.signed_on:
            made = draft_withdrawals(self.workspace, self.today)
            self.drafts.value = "".join(
                draft_card(
                    w.title,
                    w.draft,
                    [w.markdown_file.relative_to(self.workspace.root).as_posix()],
                )
                for w in made
            )
            message += (
                f" Offer signed on {done.signed_on.isoformat()}: congratulations! Drafted "
                f"{len(made)} withdrawal{'s' if len(made) != 1 else ''} for your other open "
                "applications."
            )
        return message


class ImportForm(Form):
    """Import applications from another tracker's CSV: map the columns, preview, import.

    *Read file* guesses which of the file's columns fills which workbook column;
    change any choice, then *Preview* shows what would happen to each row and every
    problem. *Import* writes all the rows, or, if any row has a problem, nothing.
    """

    def __init__(self, workspace, on_saved: Callable[[], None] | None = None):
        super().__init__("Import applications from another tracker")
        self.workspace = workspace
        self.on_saved = on_saved
        self.plan: ImportPlan | None = None
        self._source = None
        self._columns: dict[str, widgets.Dropdown] = {}
        self.preview = html_widget().add_class("wb-preview")
        self.field(
            "file",
            "CSV file",
            widgets.Text(placeholder="~/Downloads/huntr-export.csv (or inside your workspace)"),
        )
        self.field(
            "date_format",
            "Dates written as",
            widgets.Dropdown(
                options=[("guess from the file", GUESS), *[(f, f) for f in DATE_FORMATS]],
                value=GUESS,
            ),
        )
        self.mapping = widgets.VBox(layout={"width": "50em"}).add_class("wb-mapping")
        self.field("mapping", "Columns", self.mapping)
        self.layout_rows(
            [
                self.button("Read file", self.read, style=""),
                self.button("Preview", self.show_preview, style=""),
                self.button("Import", self.save),
            ]
        )
        self.children = [*self.children, self.preview]

    @property
    def value(self) -> dict:
        """The file, the date format and the mapping (file column → workbook column)."""
        return {
            "file": self._fields["file"].value.strip(),
            "date_format": self._fields["date_format"].value,
            "mapping": {col: d.value for col, d in self._columns.items()},
        }

    def _read(self):
        path = self.value["file"]
        if not path:
            raise FieldErrors({"file": "give the path of the CSV file to import"})
        source = resolve_source(self.workspace, path)
        try:
            df, rows = read_source(source)
        except WorkspaceError as err:
            raise FieldErrors({"file": str(err)}) from None
        return source, df, rows

    def read(self) -> str:
        """Read the file's header and propose a mapping; then show the preview."""
        source, df, rows = self._read()
        guessed = guess_mapping(list(df.columns))
        options = [("(not imported)", SKIP), *[(f, f) for f in IMPORT_FIELDS]]
        self._columns = {}
        lines = []
        for col, target in guessed.items():
            sample = next((v for v in df[col] if v.strip()), "")
            name = label(col, layout={"width": "14em"})
            example = label(
                f"e.g. {sample[:40]}" if sample else "(empty)", layout={"width": "20em"}
            )
            choice = widgets.Dropdown(options=options, value=target, layout={"width": "13em"})
            choice.add_class("wb-mapping-choice")
            self._columns[col] = choice
            lines.append(widgets.HBox([name, choice, example]))
        self.mapping.children = lines
        if source != self._source:  # a new file: guess its date format again
            self._fields["date_format"].value = GUESS
            self._source = source
        plan = self._plan(source, df, rows)
        self._fields["date_format"].value = plan.date_format
        return self._report(
            f"Read {len(df)} row{'s' if len(df) != 1 else ''} from {source.name}, dates as "
            f"{plan.date_format}: {plan.verdict()}"
        )

    def _report(self, message: str) -> str:
        """The status line: red while the plan has problems."""
        if self.plan is not None and self.plan.problems:
            self.say(message, "error")
            return ""
        return message

    def _plan(self, source, df, rows) -> ImportPlan:
        v = self.value
        self.plan = plan_import(
            source.name,
            df,
            rows,
            self.workspace.load("applications"),
            v["mapping"] or None,
            v["date_format"],
        )
        self.preview.value = preview_html(self.plan)
        return self.plan

    def _is_new_file(self) -> bool:
        path = self.value["file"]
        return not self._columns or not path or resolve_source(self.workspace, path) != self._source

    def show_preview(self) -> str:
        """What importing would do with the current mapping; nothing is written."""
        if self._is_new_file():
            return self.read()
        plan = self._plan(*self._read())
        return self._report(plan.describe())

    def save(self) -> str:
        """Import every row, or nothing when any row has a problem."""
        if self._is_new_file():
            self.read()
        source, df, rows = self._read()
        plan = self._plan(source, df, rows)
        if plan.problems:
            raise WorkspaceError(plan.problems)
        v = self.value
        done = import_applications(self.workspace, source, v["mapping"], v["date_format"])
        self._plan(source, df, rows)
        if self.on_saved:
            self.on_saved()
        return (
            f"Imported {done.added} application{'s' if done.added != 1 else ''} from "
            f"{done.source}; {done.skipped} skipped (already known)."
        )


def preview_html(plan: ImportPlan, limit: int = PREVIEW_ROWS) -> str:
    """The plan as HTML: a summary line, the first rows' outcomes, every problem (escaped;
    show it with :func:`helpers.display.html_widget`)."""
    esc = html_text
    parts = [f"<p><b>{esc(plan.describe())}</b></p>"]
    if len(plan.outcome):
        shown = plan.outcome.head(limit)
        parts.append(html_table(shown, classes="wb-table", cell_style=LEFT))
        if len(plan.outcome) > limit:
            parts.append(f"<p><i>… and {len(plan.outcome) - limit} more rows.</i></p>")
    if plan.problems:
        items = "".join(f"<li>{esc(str(p))}</li>" for p in plan.problems[:100])
        more = f"<li>… and {len(plan.problems) - 100} more</li>" if len(plan.problems) > 100 else ""
        parts.append(f'<ul style="color:#b3261e">{items}{more}</ul>')
    return "".join(parts)


class UpdateForms(widgets.Tab):
    """The new-application and stage-change forms as two tabs, kept in step."""

    def __repr__(self) -> str:
        # What a notebook opened without running shows instead of the forms.
        return "Add an application, change a stage: forms. Run ▸ Run All Cells to use them."

    def __init__(self, workspace, today: dt.date, application_id: str = ""):
        self.stage = StageForm(workspace, today, application_id)
        self.new = NewApplicationForm(workspace, today, on_saved=self.stage.refresh)
        super().__init__(children=[self.new, self.stage])
        self.titles = ("New application", "Change stage")
        self.add_class("wb-pipeline-forms")
