"""The forms and views of ``02_research``: checklist, team, company, similar pay, target.

Each form is a :class:`helpers.formkit.Form` (an error line under every field, a
status line under the buttons, errors from a button shown there). Every save goes
through ``helpers.research`` or ``helpers.pay`` — the same functions the headless
path uses — and then regenerates that application's research note, so the note is
never out of date. The views return HTML in which everything the user typed is
escaped (:mod:`helpers.escape`), shown out of MathJax's reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, Image

from helpers import charts, pay, research
from helpers.display import html, html_widget, label
from helpers.errors import FieldErrors, WorkspaceError
from helpers.escape import html_text
from helpers.formkit import LABEL_WIDTH, Chooser, Form, Picker, application_choices
from helpers.html_tables import LEFT, html_table
from helpers.jobdescription import KIND_LABELS, KINDS, Item
from helpers.pay_view import comparables_table, pay_view
from helpers.research_note import write_notes
from helpers.research_records import application_row, checklist, contacts, notes, target
from helpers.schema import CLOSED_STAGES, PAY_PERIODS
from helpers.standing import last_activity

NO_APPLICATION = "add an application first: record an interview in 01_post_interview"
esc = html_text


# == views ========================================================================


def _table(df: pd.DataFrame, links: tuple[str, ...] = ("source",), empty: str = "") -> str:
    """A research view's table: every cell escaped, web addresses in ``links`` linked."""
    return html_table(
        df,
        empty=empty,
        links=links,
        classes="wb-table",
        style="border-collapse:collapse",
        cell_style=LEFT,
    )


def _title(tables: dict[str, pd.DataFrame], application_id: str) -> str:
    app = application_row(tables, application_id)
    return f"{app['company']} — {app['role']}"


def _heading(text: str) -> str:
    return f"<h4>{esc(text)}</h4>"


def _empty(text: str) -> str:
    return f"<p><i>{esc(text)}</i></p>"


def checklist_html(tables: dict[str, pd.DataFrame], application_id: str) -> HTML:
    """The application's checklist: ☑ prepared, ☐ not yet, and its questions."""
    items = checklist(tables["research"], application_id)
    parts = [_heading(_title(tables, application_id))]
    if items.empty:
        parts.append(_empty("No checklist yet: paste the job description into the form below."))
    else:
        done = int((items["prepared_on"] != "").sum())
        parts.append(f"<p>{done} of {len(items)} prepared.</p>")
        for kind in KINDS:
            mine = items[items["kind"] == kind]
            if mine.empty:
                continue
            label = {"duty": "Duties", "requirement": "Requirements", "nice": "Nice to have"}[kind]
            lines = "".join(
                f"<li>{'☑' if r.prepared_on else '☐'} {esc(r.text)}"
                + (
                    f' <span style="color:#1e7e34">(prepared {esc(r.prepared_on)})</span>'
                    if r.prepared_on
                    else ""
                )
                + "</li>"
                for r in mine.itertuples()
            )
            parts.append(f'<b>{label}</b><ul style="list-style:none">{lines}</ul>')
    questions = notes(tables, application_id, "question")
    if len(questions):
        lines = "".join(f"<li>{esc(q)}</li>" for q in questions["note"])
        parts.append(f"<b>Questions to ask</b><ol>{lines}</ol>")
    return html("".join(parts))


def team_html(tables: dict[str, pd.DataFrame], application_id: str) -> HTML:
    """The people (contacts and team notes) and the company notes of an application."""
    parts = [_heading(_title(tables, application_id))]
    people = contacts(tables, application_id)
    people["relationship"] = people["relationship"].str.replace("_", " ")
    team = notes(tables, application_id, "team")
    company = notes(tables, application_id, "company")
    other = notes(tables, application_id, "other")
    parts.append("<b>The team</b>")
    if people.empty and team.empty:
        parts.append(_empty("Nobody noted yet."))
    parts.append(_table(people))
    if len(team):
        parts.append("<p><i>Notes on the team</i></p>")
        parts.append(_table(team.rename(columns={"added_on": "added"})))
    parts.append("<b>The company</b>")
    parts.append(
        _table(company.rename(columns={"added_on": "added"}), empty="No company notes yet.")
    )
    if len(other):
        parts.append("<b>Other notes</b>")
        parts.append(_table(other.rename(columns={"added_on": "added"})))
    return html("".join(parts))


def pay_parts(tables: dict[str, pd.DataFrame], application_id: str) -> list:
    """What the notebook shows of an application's pay: tables, reasoning, chart."""
    title = _title(tables, application_id)
    view = pay_view(tables, application_id)
    parts = [_heading(title)]
    if view.target:
        parts.append(f"<p>Your target: <b>{esc(view.target.text())}</b>.</p>")
    if not view.rows:
        parts.append(_empty("No similar positions yet: add some with the form below."))
    else:
        parts.append(_table(comparables_table(view.rows)))
        parts.append("<p><b>Statistics per currency, per year</b></p>")
        parts.append(_table(pay.statistics_table(view.stats), links=()))
    if view.advice is not None:
        head = "What to ask for"
        if view.advice.suggested:
            head += (
                f": {pay.money(view.advice.floor)} – "
                f"{pay.money(view.advice.ask, view.advice.currency)} a year"
            )
        reasons = "".join(f"<li>{esc(r)}</li>" for r in view.advice.reasons)
        parts.append(f"<p><b>{esc(head)}</b></p><ul>{reasons}</ul>")
    if view.left_out:
        left = "; ".join(
            f"{r['company']} {r['title']} ({r['left_out']})".strip() for r in view.left_out
        )
        parts.append(f"<p>Left out of the statistics: {esc(left)}.</p>")
    for problem in view.problems:
        parts.append(f'<p style="color:#b3261e">{esc(problem)}</p>')
    shown = [html("".join(parts))]
    png = charts.pay_chart(view, f"{title}: similar positions, {view.currency} per year")
    if png is not None:
        shown.append(Image(data=png, format="png"))
    return shown


def all_pay_table(tables: dict[str, pd.DataFrame], application_id: str = "") -> pd.DataFrame:
    """Statistics of similar positions, per application and currency (per year).

    For the applications :func:`helpers.research.in_play` (or ``application_id``
    alone), then the positions saved without an application.
    """
    by_app: dict[str, list[dict]] = {}
    for r in pay.yearly_records(tables["comps"].to_dict("records")):
        by_app.setdefault(r["application_id"], []).append(r)
    labels = {app: label for label, app in application_choices(tables["applications"])}
    found = []
    for app in [*research.in_play(tables, application_id), ""]:
        label = labels.get(app, app) if app else "(no particular application)"
        found += [{"similar to": label, **s.row()} for s in pay.statistics(by_app.get(app, []))]
    return pd.DataFrame(found, columns=["similar to", *pay.STAT_COLUMNS])


def all_pay_html(tables: dict[str, pd.DataFrame], application_id: str = "") -> HTML:
    """:func:`all_pay_table` as HTML, or what to do when there is nothing yet."""
    stats = all_pay_table(tables, application_id)
    if stats.empty:
        return html(_empty("No similar positions yet: add some with the form below."))
    return html(_table(stats, links=()))


# == forms ========================================================================


_CHOICES: list = [None, []]  # the applications table last listed, and its choices


def _applications(apps: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, id) of every application: open ones first. The notebook's forms share one
    table, so the list is made once for all of them."""
    if _CHOICES[0] is not apps:
        closed = apps["stage"].isin(CLOSED_STAGES)
        ordered = apps.assign(closed=closed).sort_values(
            ["closed", "company", "role"], kind="stable"
        )
        _CHOICES[:] = [apps, application_choices(ordered, stage="closed")]
    return list(_CHOICES[1])


def _chosen(options: list[tuple[str, str]], application_id: str) -> str | None:
    ids = [v for _, v in options]
    if application_id in ids:
        return application_id
    return ids[0] if ids else None


def opening_application(
    tables: dict[str, pd.DataFrame], today: dt.date, application_id: str = ""
) -> str:
    """The application the notebook opens on: ``application_id`` when given, else the
    one with the latest activity (ties: the one furthest along in its research), else
    the first listed; "" when there is none."""
    if application_id:
        return application_id
    latest = last_activity(tables, today)
    if not latest.empty:
        newest = latest[latest == latest.max()].index
        rank = {app: i for i, app in enumerate(research.focus(tables, limit=len(latest)).ids)}
        return min(newest, key=lambda app: (rank.get(app, len(rank)), app))
    options = _applications(tables["applications"])
    return options[0][1] if options else ""


def application_chooser(
    workspace, tables: dict[str, pd.DataFrame], today: dt.date, application_id: str = ""
) -> Chooser:
    """The notebook's one application chooser, on :func:`opening_application`."""
    options = _applications(tables["applications"])
    opening = opening_application(tables, today, application_id)
    return Chooser(workspace, "Application", options, _chosen(options, opening), "applications")


class ResearchForm(Form):
    """A form about one application: the notebook's chooser's, else its first field's."""

    TITLE = ""
    SHOWN = False
    """Whether the application's field stays shown when the page's chooser drives it."""

    def __init__(
        self,
        workspace,
        today: dt.date,
        application_id: str = "",
        tables: dict[str, pd.DataFrame] | None = None,
        chooser: Chooser | None = None,
    ):
        super().__init__(self.TITLE)
        self.workspace = workspace
        self.today = today
        # Tables the notebook already loaded fill the form; every save reads the files.
        self._tables = dict(tables or {})
        self._apps = self._loaded("applications")
        options = _applications(self._apps)
        self.field(
            "application",
            "Application",
            Picker(options, _chosen(options, application_id), "applications"),
        )
        if chooser is not None:
            chooser.drive(self, "application", shown=self.SHOWN)
        if not options:
            self.say(f"No applications yet: {NO_APPLICATION}.", "info")
        self._requested, self._chooser = application_id, chooser
        self._build()

    def _build(self) -> None:
        """The form's own fields, below the application's."""

    def _loaded(self, name: str) -> pd.DataFrame:
        """A table as the notebook loaded it (once), else as on disk now."""
        if name in self._tables:
            return self._tables.pop(name)
        return self.workspace.load(name)

    @property
    def application_id(self) -> str:
        return self._fields["application"].value or ""

    def _need_application(self) -> str:
        if not self.application_id:
            raise FieldErrors({"application": NO_APPLICATION})
        return self.application_id

    def _value(self, name: str) -> str:
        value = self._fields[name].value
        return "" if value is None else str(value)

    def _group(self, names: list[str]) -> list[widgets.Widget]:
        rows = []
        for name in names:
            if name in self._hidden:  # chosen above, once for the whole page
                rows += [self._hidden[name], self._errors[name]]
                continue
            shown = label(self._labels[name], layout={"width": LABEL_WIDTH})
            rows.append(widgets.HBox([shown, self._fields[name]]))
            rows.append(self._errors[name])
        return rows

    def _action(self, action: Callable[[], str]) -> Callable[[], str]:
        """``action`` with typed-input problems shown by field, then the note refreshed."""

        def run() -> str:
            return action() + self._refresh_note()

        return run

    def _refresh_note(self) -> str:
        if not self.application_id:
            return ""
        try:
            [written] = write_notes(self.workspace, self.application_id)
        except WorkspaceError as err:
            return f" (Saved, but the research note could not be updated: {err})"
        rel = written.path.relative_to(self.workspace.root).as_posix()
        return f" Updated {rel}." if written.changed else ""


class ChecklistRow(widgets.VBox):
    """One checklist item: prepared?, its kind, its text, ask about it, remove it."""

    def __init__(self, item: dict, on_ask: Callable[[ChecklistRow], None]):
        super().__init__()
        self.original = item.get("note", "")
        self.removed = False
        self.prepared = widgets.Checkbox(
            value=bool(item.get("prepared_on")), indent=False, description="prepared"
        ).add_class("wb-item-prepared")
        self.prepared.layout.width = "7em"
        self.kind = widgets.Dropdown(
            options=[(KIND_LABELS[k], k) for k in KINDS],
            value=item.get("kind", "duty"),
        ).add_class("wb-item-kind")
        self.kind.layout.width = "9em"
        self.text = widgets.Text(item.get("text", "")).add_class("wb-item-text")
        self.text.layout.width = "36em"
        ask = widgets.Button(description="Ask", tooltip="turn it into a question to ask")
        ask.add_class("wb-item-ask")
        ask.layout.width = "5em"
        ask.on_click(lambda _: on_ask(self))
        remove = widgets.Button(description="Remove", button_style="warning")
        remove.add_class("wb-item-remove")
        remove.layout.width = "6em"
        remove.on_click(lambda _: self.remove())
        self.error = html_widget().add_class("wb-item-error")
        self.children = [
            widgets.HBox([self.prepared, self.kind, self.text, ask, remove]),
            self.error,
        ]
        self.add_class("wb-item")

    def remove(self) -> None:
        """Hide the row; *Save checklist* deletes it."""
        self.removed = True
        self.layout.display = "none"

    @property
    def edit(self) -> research.ChecklistEdit:
        return research.ChecklistEdit(
            self.original, self.kind.value, self.text.value, self.prepared.value, self.removed
        )


class ChecklistForm(ResearchForm):
    """Paste a job description; tick, edit and remove checklist items; ask about them."""

    TITLE = "Duties and requirements"

    def _build(self) -> None:
        self.field(
            "job_description",
            "Job description",
            widgets.Textarea(
                placeholder="Paste the whole job posting here.", rows=8, layout={"width": "44em"}
            ),
        )
        self.field(
            "source",
            "Source",
            widgets.Text(placeholder="where it is from (default: the application's job link)"),
        )
        self.rows = widgets.VBox().add_class("wb-checklist")
        self.field("new_item", "New item", widgets.Text(placeholder="a duty or requirement"))
        self.field(
            "new_kind",
            "Kind",
            widgets.Dropdown(options=[(KIND_LABELS[k], k) for k in KINDS], value="duty"),
        )
        self.field(
            "question",
            "Question",
            widgets.Textarea(rows=2, placeholder="a question to ask the interviewers"),
        )
        self._fields["question"].layout.width = "44em"
        self._fields["application"].observe(lambda _: self.reload(), names="value")
        self.reload()
        self.children = [
            w
            for w in (
                self._title,
                *self._group(["application", "job_description", "source"]),
                widgets.HBox([self.button("Split into checklist", self._action(self.split))]),
                html_widget("<b>The checklist</b> — tick what you have prepared an example for"),
                self.rows,
                *self._group(["new_item", "new_kind"]),
                widgets.HBox(
                    [
                        self.button("Save checklist", self._action(self.save)),
                        self.button("Add item", self._action(self.add_item), "info"),
                    ]
                ),
                *self._group(["question"]),
                widgets.HBox([self.button("Add question", self._action(self.add_question))]),
                self.status,
            )
            if w is not None
        ]

    def reload(self) -> None:
        """Show the chosen application's checklist as it is saved now."""
        if not self.application_id:
            self.rows.children = []
            return
        items = checklist(self._loaded("research"), self.application_id)
        self.rows.children = [ChecklistRow(r, self.ask) for r in items.to_dict("records")]

    def ask(self, row: ChecklistRow) -> None:
        """Put a question about ``row``'s item into the question field."""
        item = Item(row.kind.value, row.text.value.strip())
        if item.text:
            self._fields["question"].value = research.suggest_question(item)
            self.say("Edit the question if you like, then click Add question.", "info")

    def split(self) -> str:
        app = self._need_application()
        done = research.import_job_description(
            self.workspace,
            app,
            self._value("job_description"),
            self.today,
            self._value("source"),
        )
        self.reload()
        return done.summary()

    def save(self) -> str:
        app = self._need_application()
        rows = list(self.rows.children)
        message = research.save_checklist(self.workspace, app, [r.edit for r in rows], self.today)
        self.reload()
        return message

    def add_item(self) -> str:
        app = self._need_application()
        text = self._value("new_item").strip()
        if not text:
            raise FieldErrors({"new_item": "write the duty or requirement"})
        note = Item(self._fields["new_kind"].value, text).note
        added = research.add_notes(self.workspace, app, "duty", [note], self.today)
        self._fields["new_item"].value = ""
        self.reload()
        return "Added it to the checklist." if added else "It is already in the checklist."

    def add_question(self) -> str:
        app = self._need_application()
        if not self._value("question").strip():
            raise FieldErrors({"question": "write the question, or click Ask on an item"})
        added = research.add_note(
            self.workspace, app, "question", self._value("question"), self.today
        )
        self._fields["question"].value = ""
        return "Added the question." if added else "That question is already noted."

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors({k: v for k, v in errors.items() if not k.startswith("item.")})
        rows = list(self.rows.children)
        for n, row in enumerate(rows):
            message = errors.get(f"item.{n}", "")
            row.error.value = (
                f'<span style="color:#b3261e">{esc(message)}</span>' if message else ""
            )


class TeamMemberForm(ResearchForm):
    """Note someone on the team you have not met (or not as a contact)."""

    TITLE = "Someone on the team"

    def _build(self) -> None:
        self.field("name", "Name", widgets.Text(placeholder="Their name"))
        self.field("title", "Title", widgets.Text(placeholder="Their job title"))
        self.field(
            "works_on", "Works on", widgets.Text(placeholder="what they work on, in a few words")
        )
        self.field("link", "Link", widgets.Text(placeholder="https://… (a profile or a talk)"))
        self.layout_rows([self.button("Add team member", self._action(self.save))])

    def save(self) -> str:
        app = self._need_application()
        added = research.add_team_member(
            self.workspace,
            app,
            self._value("name"),
            self.today,
            title=self._value("title"),
            works_on=self._value("works_on"),
            link=self._value("link"),
        )
        if not added:
            return "They are already noted for this application."
        for name in ("name", "title", "works_on", "link"):
            self._fields[name].value = ""
        return "Added them to the team."


class NoteForm(ResearchForm):
    """A note about the company or the team (or a question, or anything else)."""

    TITLE = "A research note"

    def _build(self) -> None:
        self.field(
            "topic",
            "Topic",
            widgets.Dropdown(options=list(research.NOTE_TOPICS), value="company"),
        )
        self.field("note", "Note", widgets.Textarea(rows=3, placeholder="What you found out"))
        self._fields["note"].layout.width = "44em"
        self.field(
            "source",
            "Source",
            widgets.Text(placeholder="where from: a link, 'Glassdoor', 'talk with Priya'…"),
        )
        self.layout_rows([self.button("Add note", self._action(self.save))])

    def save(self) -> str:
        app = self._need_application()
        topic = self._fields["topic"].value
        added = research.add_note(
            self.workspace, app, topic, self._value("note"), self.today, self._value("source")
        )
        if not added:
            return "This note is already there."
        self._fields["note"].value = ""
        self._fields["source"].value = ""
        return f"Added the {topic} note."


GENERAL = ""


class CompForm(ResearchForm):
    """A similar position and its pay, for the salary talk."""

    TITLE = "A similar position"
    # Shown: it follows the page's choice, and can still file a position under none.
    SHOWN = True

    def _build(self) -> None:
        drop = self._fields["application"]
        drop.options = [*drop.options, ("(no particular application)", GENERAL)]
        if self._chooser is None:
            drop.value = _chosen(list(drop.options), self._requested)
        if len(drop.options) == 1:
            self.status.value = ""
        self.field("company", "Company", widgets.Text(placeholder="Company"))
        self.field("title", "Title", widgets.Text(placeholder="Job title"))
        self.field("location", "Location", widgets.Text(placeholder="City, or Remote"))
        self.field("salary_min", "Pay from", widgets.Text(placeholder="e.g. 85000 or 85k"))
        self.field("salary_max", "Pay to", widgets.Text(placeholder="e.g. 100000"))
        self.field("currency", "Currency", widgets.Text(layout={"width": "6em"}))
        self.field("period", "Per", widgets.Dropdown(options=list(PAY_PERIODS), value="year"))
        self.field("source", "Source", widgets.Text(placeholder="a link, Levels.fyi, a friend…"))
        self.field("seen_on", "Seen on", widgets.DatePicker(value=self.today))
        drop.observe(lambda _: self._default_currency(), names="value")
        self._default_currency()
        self.layout_rows([self.button("Add similar position", self._action(self.save))])

    def _default_currency(self) -> None:
        found = self._apps[self._apps["application_id"] == self.application_id]
        if len(found) and found["currency"].iloc[0]:
            self._fields["currency"].value = found["currency"].iloc[0]

    @property
    def value(self) -> dict:
        """The form's values, in the shape :func:`helpers.pay.add_comparable` takes."""
        values = {n: self._fields[n].value for n in self._fields if n != "application"}
        return {"application_id": self.application_id, **values}

    def save(self) -> str:
        added = pay.add_comparable(self.workspace, self.value, self.today)
        if not added:
            return "This similar position is already saved."
        for name in ("company", "title", "location", "salary_min", "salary_max", "source"):
            self._fields[name].value = ""
        return "Added the similar position."


class TargetForm(ResearchForm):
    """Your own pay target for an application, compared with similar positions."""

    TITLE = "Your pay target"

    def _build(self) -> None:
        self.field(
            "target",
            "Target",
            widgets.Text(placeholder="e.g. 105000, 105k USD, 52 USD/hour, 8500 EUR per month"),
        )
        self._fields["application"].observe(lambda _: self._current(), names="value")
        self._current()
        self.layout_rows([self.button("Save target", self._action(self.save))])

    def _current(self) -> None:
        if not self.application_id:
            return
        money = target(self._loaded("research"), self.application_id)
        self._fields["target"].value = money.text() if money else ""

    def save(self) -> str:
        app = self._need_application()
        if not self._value("target").strip():
            raise FieldErrors({"target": "give an amount, e.g. 105000 USD per year"})
        money = research.save_target(self.workspace, app, self._value("target"), self.today)
        self._fields["target"].value = money.text()
        return (
            f"Saved your target: {money.text()} ({pay.money(money.yearly, money.currency)} a year)."
        )
