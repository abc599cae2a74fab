"""The research forms and views driven without a browser: set values, click, check disk."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest

from helpers import csvio, pay, research, research_records
from helpers.research_forms import (
    ChecklistForm,
    CompForm,
    NoteForm,
    TargetForm,
    TeamMemberForm,
    all_pay_table,
    application_chooser,
    checklist_html,
    opening_application,
    pay_parts,
    team_html,
)
from tests.conftest import TESTS_DIR, tree_digest

TODAY = dt.date(2026, 11, 25)
NORTHWIND = "northwind-analytics-data-analyst"
TESSERA = "tessera-retail-data-analyst"
POSTINGS = TESTS_DIR / "job_descriptions"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def fill(form, **values):
    for name, value in values.items():
        form._fields[name].value = value


def click(form, label):
    def find(widget):
        if isinstance(widget, widgets.Button) and widget.description == label:
            return widget
        for child in getattr(widget, "children", ()):
            found = find(child)
            if found is not None:
                return found
        return None

    button = find(form)
    assert button is not None, f"no button {label!r}"
    button.click()


def note_text(ws, app=NORTHWIND):
    return (ws.root / "notes" / f"{app}.md").read_text(encoding="utf-8")


# -- the checklist -------------------------------------------------------------------


def test_checklist_form_splits_a_posting_and_updates_the_note(example_ws):
    form = ChecklistForm(example_ws, TODAY, NORTHWIND)
    assert [r.text.value for r in form.rows.children][:1] == [
        "Build and maintain Looker dashboards for fleet operations and customer success"
    ]
    fill(form, job_description=(POSTINGS / "bulleted.txt").read_text(encoding="utf-8"))
    click(form, "Split into checklist")
    assert "Added 1 duty, 4 requirements, 2 nice-to-haves" in form.status.value
    assert f"Updated notes/{NORTHWIND}.md" in form.status.value
    assert len(form.rows.children) == 11
    assert "- [ ] Experience with dbt *(nice to have)*" in note_text(example_ws)
    click(form, "Split into checklist")
    assert "already added" in form.status.value


def test_checklist_form_ticks_edits_removes_and_adds(example_ws):
    form = ChecklistForm(example_ws, TODAY, NORTHWIND)
    rows = form.rows.children
    rows[0].prepared.value = True
    rows[1].text.value = "Write dbt models"
    rows[2].kind.value = "requirement"
    rows[3].remove()
    click(form, "Save checklist")
    assert form.status.value.count("Saved the checklist: 2 edited, 1 removed, 1 ticked.") == 1
    items = research_records.checklist(example_ws.load("research"), NORTHWIND)
    assert list(items["kind"]) == ["duty", "duty", "requirement"]
    assert list(items["prepared_on"]) == ["2026-11-25", "", ""]
    assert len(form.rows.children) == 3  # reloaded from disk
    assert "- [x] Build and maintain Looker dashboards" in note_text(example_ws)

    fill(form, new_item="Looker certification", new_kind="nice")
    click(form, "Add item")
    assert "Added it to the checklist" in form.status.value
    assert form._fields["new_item"].value == ""
    assert form.rows.children[-1].kind.value == "nice"
    click(form, "Add item")
    assert "write the duty or requirement" in form._errors["new_item"].value


def test_ask_turns_an_item_into_a_question(example_ws):
    form = ChecklistForm(example_ws, TODAY, NORTHWIND)
    click(form.rows.children[0], "Ask")
    question = form._fields["question"].value
    assert question.startswith("What does “build and maintain Looker dashboards")
    click(form, "Add question")
    assert "Added the question" in form.status.value
    questions = research_records.notes(example_ws.load_all(), NORTHWIND, "question")
    assert questions["note"].iloc[-1] == question
    click(form, "Add question")
    assert "write the question" in form._errors["question"].value


def test_checklist_errors_are_shown_by_field_and_row_and_nothing_is_saved(example_ws):
    before = tree_digest(example_ws.root)
    form = ChecklistForm(example_ws, TODAY, NORTHWIND)
    click(form, "Split into checklist")
    assert "paste the job description" in form._errors["job_description"].value
    assert "Nothing was saved" in form.status.value
    form.rows.children[2].text.value = "  "
    click(form, "Save checklist")
    assert "write the item, or remove it" in form.rows.children[2].error.value
    assert form.rows.children[0].error.value == ""
    assert tree_digest(example_ws.root) == before


def test_changing_the_application_reloads_the_checklist(example_ws):
    form = ChecklistForm(example_ws, TODAY, NORTHWIND)
    assert len(form.rows.children) == 4
    form._fields["application"].value = "bluebird-health-analytics-engineer"
    assert len(form.rows.children) == 2
    form._fields["application"].value = TESSERA
    assert form.rows.children == ()


def test_the_page_opens_on_the_application_with_the_latest_activity(example_ws, empty_ws):
    tables = example_ws.load_all()
    # Northwind and Quarry Labs both had activity on 24 November; Northwind is further
    # along in its research. A date after today is not activity yet.
    assert opening_application(tables, TODAY) == NORTHWIND
    assert (
        opening_application(tables, dt.date(2026, 11, 23)) == "fernwood-insurance-reporting-analyst"
    )
    assert opening_application(tables, TODAY, TESSERA) == TESSERA
    assert opening_application(empty_ws.load_all(), TODAY) == ""


def test_one_chooser_drives_every_form_and_hides_their_own_field(example_ws):
    from helpers import live

    tables = example_ws.load_all()
    chooser = application_chooser(example_ws, tables, TODAY)
    assert chooser.value == NORTHWIND
    forms = [
        cls(example_ws, TODAY, tables=tables, chooser=chooser)
        for cls in (ChecklistForm, TeamMemberForm, NoteForm, CompForm, TargetForm)
    ]
    assert {f.application_id for f in forms} == {NORTHWIND}
    for form in forms:  # chosen once, above the forms: no field of their own shown...
        shown = any("wb-application" in getattr(w, "_dom_classes", ()) for w in _descendants(form))
        # ...but a similar position can still be filed under no particular application.
        assert shown == isinstance(form, CompForm)
    renders = []
    live.follow(example_ws, lambda: renders.append(chooser.value), owner=chooser)
    chooser.picker.value = TESSERA
    assert {f.application_id for f in forms} == {TESSERA}
    assert forms[0].rows.children == ()  # the checklist form shows Tessera's (none)
    assert renders == [TESSERA]  # the page's views re-render on the new choice
    lines = [w for w in _descendants(forms[1]) if "wb-chosen" in getattr(w, "_dom_classes", ())]
    assert len(lines) == 1 and "For <b>Tessera Retail — Data Analyst</b>" in lines[0].value
    assert "Run All Cells" in repr(chooser)


def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


def test_research_forms_on_an_empty_workspace_say_what_to_do(empty_ws):
    form = ChecklistForm(empty_ws, TODAY)
    assert "No applications yet" in form.status.value
    fill(form, job_description="Build it.")
    click(form, "Split into checklist")
    assert "add an application first" in form._errors["application"].value
    for cls in (TeamMemberForm, NoteForm, TargetForm):
        assert "No applications yet" in cls(empty_ws, TODAY).status.value
    assert list(empty_ws.root.iterdir()) == []


def test_a_failing_disk_is_reported_next_to_the_form(example_ws, monkeypatch):
    before = tree_digest(example_ws.root)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csvio, "stage", full)
    form = ChecklistForm(example_ws, TODAY, NORTHWIND)
    form.rows.children[0].prepared.value = True
    click(form, "Save checklist")
    assert "No space left on device" in form.status.value
    assert "Nothing was saved" in form.status.value
    assert tree_digest(example_ws.root) == before


# -- team and company ------------------------------------------------------------------


def test_team_member_form(example_ws):
    form = TeamMemberForm(example_ws, TODAY, NORTHWIND)
    fill(form, name="Sam Ortiz", title="Analytics Engineer", works_on="the GPS pipeline")
    fill(form, link="https://www.linkedin.example/in/sam-ortiz")
    click(form, "Add team member")
    assert "Added them to the team" in form.status.value
    assert form._fields["name"].value == ""
    assert "- Sam Ortiz (Analytics Engineer): the GPS pipeline — <https://www.linkedin.example" in (
        note_text(example_ws)
    )
    fill(form, name="", link="ftp://x")
    click(form, "Add team member")
    assert "give their name" in form._errors["name"].value
    assert "https://" in form._errors["link"].value


def test_note_form(example_ws):
    form = NoteForm(example_ws, TODAY, NORTHWIND)
    assert form._fields["topic"].value == "company"
    fill(form, note="Opened a Denver office in 2026", source="https://news.example/denver")
    click(form, "Add note")
    assert "Added the company note" in form.status.value
    company = research_records.notes(example_ws.load_all(), NORTHWIND, "company")
    assert list(company.iloc[-1]) == [
        "Opened a Denver office in 2026",
        "https://news.example/denver",
        "2026-11-25",
    ]
    click(form, "Add note")
    assert "write the note" in form._errors["note"].value


# -- pay -------------------------------------------------------------------------------


def test_comp_form_saves_a_similar_position(example_ws):
    form = CompForm(example_ws, TODAY, TESSERA)
    assert form._fields["currency"].value == "CAD"  # the application's currency
    fill(form, company="Queen St. Analytics", title="Data Analyst", salary_min="80k")
    fill(form, salary_max="95,000", period="year", source="Glassdoor")
    click(form, "Add similar position")
    assert "Added the similar position" in form.status.value, form.status.value
    saved = example_ws.load("comps").iloc[-1]
    assert list(saved[["application_id", "salary_min", "salary_max", "currency"]]) == [
        TESSERA,
        "80000",
        "95000",
        "CAD",
    ]
    assert "| Queen St. Analytics | Data Analyst |" in note_text(example_ws, TESSERA)
    assert form._fields["title"].value == ""


def test_comp_form_errors_by_field(example_ws):
    before = tree_digest(example_ws.root)
    form = CompForm(example_ws, TODAY, NORTHWIND)
    fill(form, title="", salary_min="100k", salary_max="90k", currency="dollars")
    click(form, "Add similar position")
    assert "give the position" in form._errors["title"].value
    assert "below the low end" in form._errors["salary_max"].value
    assert "three-letter" in form._errors["currency"].value
    assert form._errors["salary_min"].value == ""
    assert tree_digest(example_ws.root) == before


def test_a_similar_position_needs_no_application(empty_ws):
    form = CompForm(empty_ws, TODAY)
    assert form.status.value == ""  # nothing is missing for this form
    assert form.application_id == ""
    fill(form, title="Data Analyst", salary_min="40", currency="usd", period="hour")
    click(form, "Add similar position")
    assert "Added" in form.status.value
    assert list(empty_ws.load("comps")["salary_min"]) == ["40"]
    assert not (empty_ws.root / "notes").exists()


def test_target_form(example_ws):
    form = TargetForm(example_ws, TODAY, NORTHWIND)
    assert form._fields["target"].value == ""
    fill(form, target="52/hour")
    click(form, "Save target")
    assert "Saved your target: 52 USD per hour (108,160 USD a year)" in form.status.value
    assert "Your target: **52 USD per hour**." in note_text(example_ws)
    assert TargetForm(example_ws, TODAY, NORTHWIND)._fields["target"].value == "52 USD per hour"
    fill(form, target="")
    click(form, "Save target")
    assert "give an amount" in form._errors["target"].value
    fill(form, target="plenty")
    click(form, "Save target")
    assert "not an amount of pay" in form._errors["target"].value


# -- views -------------------------------------------------------------------------------


def test_views_escape_everything_typed(example_ws):
    example_ws.append(
        "applications",
        [
            {
                "application_id": "evil-co",
                "company": EVIL,
                "role": "<b>Role</b>",
                "stage": "interviewing",
                "currency": "USD",
            }
        ],
    )
    research.add_note(example_ws, "evil-co", "company", EVIL, TODAY, source="javascript:alert(1)")
    research.add_notes(example_ws, "evil-co", "duty", [EVIL], TODAY)
    research.add_note(example_ws, "evil-co", "question", EVIL, TODAY)
    example_ws.append("contacts", [{"contact_id": "x", "application_id": "evil-co", "name": EVIL}])
    pay.add_comparable(
        example_ws,
        {
            "application_id": "evil-co",
            "company": EVIL,
            "title": EVIL,
            "salary_min": "1",
            "currency": "USD",
            "source": 'https://ok.example/?a=<b>&c="d"',
        },
        TODAY,
    )
    tables = example_ws.load_all()
    shown = [checklist_html(tables, "evil-co").data, team_html(tables, "evil-co").data]
    shown.append(pay_parts(tables, "evil-co")[0].data)
    for html_text in shown:
        assert (
            "<script>" not in html_text and "<img" not in html_text and "<b>Role" not in html_text
        )
        assert "&lt;script&gt;" in html_text
        assert 'href="javascript' not in html_text


def test_pay_parts_show_the_statistics_the_reasoning_and_a_chart(example_ws):
    tables = example_ws.load_all()
    html_part, chart = pay_parts(tables, NORTHWIND)
    assert "What to ask for: 97,500 – 109,000 USD a year" in html_part.data
    assert ">92,400</td>" in html_part.data
    assert chart.data[:4] == b"\x89PNG"
    [tessera] = pay_parts(tables, TESSERA)[:1]
    assert "too few for percentiles" in tessera.data


def test_all_pay_groups_by_application_and_currency(example_ws, empty_ws):
    table = all_pay_table(example_ws.load_all())
    assert list(table["similar to"]) == [
        "Harbor Bank — BI Developer",
        "Northwind Analytics — Data Analyst",
        "Bluebird Health — Analytics Engineer",
        "Tessera Retail — Data Analyst",
        "(no particular application)",
    ]
    assert list(table.iloc[1][["currency", "count", "median"]]) == ["USD", "7", "97,500"]
    one = all_pay_table(example_ws.load_all(), NORTHWIND)
    assert list(one["similar to"]) == [
        "Northwind Analytics — Data Analyst",
        "(no particular application)",
    ]
    assert all_pay_table(empty_ws.load_all()).empty


@pytest.mark.parametrize("cls", [ChecklistForm, TeamMemberForm, NoteForm, CompForm, TargetForm])
def test_every_form_has_styled_fields_and_a_status_line(cls, example_ws):
    form = cls(example_ws, TODAY, NORTHWIND)
    assert form._fields["application"].value == NORTHWIND
    for name, widget in form._fields.items():
        assert f"wb-{name}" in widget._dom_classes
    assert form.status in form.children


def test_forms_fill_from_tables_already_loaded_and_leave_them_alone(example_ws):
    tables = example_ws.load_all()
    before = {name: df.copy() for name, df in tables.items()}
    form = ChecklistForm(example_ws, TODAY, NORTHWIND, tables)
    target = TargetForm(example_ws, TODAY, NORTHWIND, tables)
    assert set(tables) == set(before)
    assert all(tables[n].equals(before[n]) for n in tables)
    fill(form, new_item="Kafka basics", new_kind="requirement")
    click(form, "Add item")
    assert form.rows.children[-1].text.value == "Kafka basics"  # reloaded from disk
    fill(target, target="100k")
    click(target, "Save target")
    target._fields["application"].value = "bluebird-health-analytics-engineer"
    target._fields["application"].value = NORTHWIND
    assert target._fields["target"].value == "100000 USD per year"
