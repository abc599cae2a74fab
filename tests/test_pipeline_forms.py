"""The pipeline's forms driven without a browser: set values, click, check the files."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest

from helpers import csvio, journal
from helpers.importer import preview_import
from helpers.pipeline_forms import (
    ImportForm,
    NewApplicationForm,
    StageForm,
    UpdateForms,
    preview_html,
)
from tests.conftest import TESTS_DIR, tree_digest

TODAY = dt.date(2026, 11, 25)
HUNTR = TESTS_DIR / "imports" / "huntr_export.csv"
TEAL = TESTS_DIR / "imports" / "teal_export.csv"


def fill(form, **values):
    for name, value in values.items():
        form._fields[name].value = value


def buttons(widget):
    if isinstance(widget, widgets.Button):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from buttons(child)


def click(form, label):
    [btn] = [b for b in buttons(form) if b.description == label]
    btn.click()


def visible(form, label) -> bool:
    [btn] = [b for b in buttons(form) if b.description == label]
    return btn.layout.display != "none"


# -- new application ---------------------------------------------------------------


def test_adding_an_application(empty_ws):
    saved = []
    form = NewApplicationForm(empty_ws, TODAY, on_saved=lambda: saved.append(True))
    fill(
        form,
        company="Zoë & <Co>",
        role="Data Analyst",
        job_url="https://zoe.example/jobs/1",
        salary_min="85000",
        salary_max="95000",
        currency="usd",
        notes="@mention and =formula",
    )
    click(form, "Add application")
    assert (
        "Added Zoë &amp; &lt;Co&gt; — Data Analyst (zoe-co-data-analyst) as applied on 2026-11-25"
        in (form.status.value)
    )
    assert saved == [True]
    row = empty_ws.load("applications").iloc[0]
    assert (row["company"], row["applied_on"], row["currency"], row["notes"]) == (
        "Zoë & <Co>",
        "2026-11-25",
        "USD",
        "@mention and =formula",
    )
    assert empty_ws.load("stage_history").values.tolist() == [
        ["zoe-co-data-analyst", "applied", "2026-11-25"]
    ]
    assert form._fields["company"].value == "" and form._fields["role"].value == ""


def test_a_new_application_shows_errors_next_to_the_fields(empty_ws):
    form = NewApplicationForm(empty_ws, TODAY)
    fill(form, company="", role="Analyst", job_url="ftp://x", salary_min="90k")
    click(form, "Add application")
    assert "this is required" in form._errors["company"].value
    assert "https://" in form._errors["job_url"].value
    assert "plain number" in form._errors["salary_min"].value
    assert form._errors["role"].value == ""
    assert "Nothing was saved" in form.status.value
    assert list(empty_ws.root.iterdir()) == []


def test_a_duplicate_is_warned_about_then_added_anyway(empty_ws):
    form = NewApplicationForm(empty_ws, TODAY)
    fill(form, company="Acme", role="Analyst")
    click(form, "Add application")
    assert not visible(form, "Add anyway")
    fill(form, company="ACME", role="analyst")
    click(form, "Add application")
    assert "Nothing was saved" in form.status.value
    assert "already in your pipeline: acme-analyst (stage applied)" in form.status.value
    assert visible(form, "Add anyway")
    assert len(empty_ws.load("applications")) == 1
    click(form, "Add anyway")
    assert "(acme-analyst-2)" in form.status.value
    assert not visible(form, "Add anyway")
    assert list(empty_ws.load("applications")["application_id"]) == [
        "acme-analyst",
        "acme-analyst-2",
    ]


def test_add_anyway_after_changing_the_names_checks_again(empty_ws):
    form = NewApplicationForm(empty_ws, TODAY)
    for _ in range(2):
        fill(form, company="Acme", role="Analyst")
        click(form, "Add application")
    fill(form, company="Acme", role="Engineer")
    click(form, "Add anyway")  # no longer the duplicate warned about: an ordinary add
    fill(form, company="Acme", role="Analyst")
    click(form, "Add anyway")  # not warned about this time: refused again
    assert "already in your pipeline" in form.status.value
    assert len(empty_ws.load("applications")) == 2


def test_a_failing_disk_is_reported_next_to_the_form(example_ws, monkeypatch):
    before = tree_digest(example_ws.root)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csvio, "stage", full)  # one table
    monkeypatch.setattr(journal, "_write_synced", full)  # several (with the history)
    form = NewApplicationForm(example_ws, TODAY)
    fill(form, company="Acme", role="Analyst")
    click(form, "Add application")
    assert "Nothing was saved" in form.status.value
    assert "the disk is full" in form.status.value
    assert tree_digest(example_ws.root) == before


# -- stage change ------------------------------------------------------------------


def test_changing_a_stage(example_ws):
    form = StageForm(example_ws, TODAY, "tessera-retail-data-analyst")
    assert form._fields["application"].value == "tessera-retail-data-analyst"
    assert form._fields["stage"].value == "applied"  # its current stage, preselected
    labels = [label for label, _ in form._fields["application"].options]
    assert "Tessera Retail — Data Analyst (applied)" in labels
    fill(form, stage="screening", on=dt.date(2026, 11, 24))
    click(form, "Change stage")
    assert form.status.value.endswith(
        "Moved Tessera Retail — Data Analyst from applied to screening on 2026-11-24.</span></div>"
    )
    apps = example_ws.load("applications").set_index("application_id")
    assert apps.loc["tessera-retail-data-analyst", "stage"] == "screening"
    assert example_ws.load("stage_history").values.tolist()[-1] == [
        "tessera-retail-data-analyst",
        "screening",
        "2026-11-24",
    ]
    labels = [label for label, _ in form._fields["application"].options]
    assert "Tessera Retail — Data Analyst (screening)" in labels


def test_a_stage_change_to_the_same_stage_is_refused_next_to_the_field(example_ws):
    before = tree_digest(example_ws.root)
    form = StageForm(example_ws, TODAY, "quarry-labs-product-analyst")
    click(form, "Change stage")
    assert "already at stage applied" in form._errors["stage"].value
    fill(form, stage="offer", offer_signed_on=TODAY, on=None)
    click(form, "Change stage")
    assert "give the date of the change" in form._errors["on"].value
    fill(form, stage="screening", offer_signed_on=TODAY, on=TODAY)
    click(form, "Change stage")
    assert "stage offer or accepted" in form._errors["offer_signed_on"].value
    assert tree_digest(example_ws.root) == before


def test_signing_an_offer_drafts_the_withdrawals_below_the_form(example_ws):
    form = StageForm(example_ws, TODAY, "harbor-bank-bi-developer")
    fill(form, stage="accepted", on=TODAY, offer_signed_on=TODAY)
    click(form, "Change stage")
    assert "Offer signed on 2026-11-25: congratulations! Drafted 8 withdrawals" in (
        form.status.value
    )
    assert form.drafts.value.count('class="wb-draft"') == 8
    assert "Withdrawal: Northwind Analytics — Data Analyst" in form.drafts.value
    msgs = example_ws.load("messages")
    assert (msgs["draft_file"].str.endswith("/withdrawal.md")).sum() == 8


def test_an_empty_workspace_has_nothing_to_change(empty_ws):
    form = StageForm(empty_ws, TODAY)
    click(form, "Change stage")
    assert "add one first" in form._errors["application"].value


def test_an_added_application_appears_in_the_stage_form(empty_ws):
    tabs = UpdateForms(empty_ws, TODAY)
    assert tabs.titles == ("New application", "Change stage")
    fill(tabs.new, company="Acme", role="Analyst")
    click(tabs.new, "Add application")
    assert tabs.stage._fields["application"].options == (
        ("Acme — Analyst (applied)", "acme-analyst"),
    )


# -- import ------------------------------------------------------------------------


def test_import_reads_guesses_previews_and_imports(empty_ws):
    saved = []
    form = ImportForm(empty_ws, on_saved=lambda: saved.append(True))
    fill(form, file=str(TEAL))
    click(form, "Read file")
    assert form.status.value.count("Read 6 rows from teal_export.csv") == 1
    assert form.value["mapping"]["Position"] == "role"
    assert form.value["date_format"] == "YYYY-MM-DD"  # guessed from the dates
    assert "add as hooli-analytics-engineer" in form.preview.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in form.preview.value
    assert "<script>" not in form.preview.value
    assert not (empty_ws.root / "applications.csv").exists()  # a preview writes nothing
    click(form, "Import")
    assert "Imported 5 applications from teal_export.csv; 1 skipped" in form.status.value
    assert saved == [True]
    assert len(empty_ws.load("applications")) == 5
    click(form, "Import")
    assert "Imported 0 applications from teal_export.csv; 6 skipped" in form.status.value


def test_import_with_a_bad_row_reports_it_next_to_the_form_and_writes_nothing(example_ws):
    before = tree_digest(example_ws.root)
    form = ImportForm(example_ws)
    fill(form, file=str(HUNTR))
    click(form, "Import")
    assert form.value["date_format"] == "MM/DD/YYYY"
    assert "Nothing was saved" in form.status.value
    assert "huntr_export.csv, row 4, column &#x27;Date Applied&#x27;" in form.status.value
    assert "row 4, column &#x27;Date Applied&#x27;: &#x27;31/10/2026&#x27;" in form.preview.value
    assert tree_digest(example_ws.root) == before


def test_changing_the_mapping_changes_the_preview(empty_ws):
    form = ImportForm(empty_ws)
    fill(form, file=str(HUNTR))
    click(form, "Read file")
    assert "1 problem to fix" in form.status.value
    assert "color:#b3261e" in form.status.value  # shown in red
    fill(form, date_format="DD/MM/YYYY")  # the user's choice is kept on a re-read
    click(form, "Read file")
    assert form.value["date_format"] == "DD/MM/YYYY"
    assert "row 5, column &#x27;Date Applied&#x27;: &#x27;10/20/2026&#x27;" in form.preview.value
    form._columns["Date Applied"].value = ""  # do not import the dates
    click(form, "Preview")
    assert "4 new applications" in form.status.value
    click(form, "Import")
    apps = empty_ws.load("applications")
    assert apps["applied_on"].tolist() == ["", "", "", ""]


def test_another_file_is_read_before_it_is_imported(empty_ws):
    form = ImportForm(empty_ws)
    fill(form, file=str(HUNTR))
    click(form, "Read file")
    fill(form, file=str(TEAL))  # a different file: its own columns, not Huntr's
    click(form, "Import")
    assert "Imported 5 applications from teal_export.csv" in form.status.value
    assert "Position" in form.value["mapping"]


def test_import_without_a_file_or_with_a_missing_one(empty_ws, tmp_path):
    form = ImportForm(empty_ws)
    click(form, "Read file")
    assert "give the path" in form._errors["file"].value
    fill(form, file=str(tmp_path / "nope.csv"))
    click(form, "Preview")
    assert "there is no file" in form._errors["file"].value


@pytest.mark.parametrize("limit", [2])
def test_the_preview_is_escaped_and_cut_short(empty_ws, limit):
    html = preview_html(preview_import(empty_ws, TEAL), limit=limit)
    assert "… and 4 more rows." in html
    assert "<script>" not in html
