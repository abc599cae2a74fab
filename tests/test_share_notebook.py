"""05_share: the coach-notes forms, and the notebook run headless by papermill."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from helpers.batch import NOTEBOOKS_DIR
from helpers.share import write_bundle
from helpers.share_forms import CoachNoteForm, ImportCoachNotesForm
from tests.conftest import tree_digest
from tests.test_forms import click, fill
from tests.test_notebooks import errors, execute

TODAY = dt.date(2026, 11, 25)
NB = NOTEBOOKS_DIR / "05_share.ipynb"


def test_coach_note_form(example_ws):
    form = CoachNoteForm(example_ws, TODAY, "lumen-energy-data-scientist")
    click(form, "Add note")
    assert "write the note" in form._errors["note"].value
    fill(form, note="Ask about the forecasting stack.", author="Sam")
    click(form, "Add note")
    assert "Added your note" in form.status.value
    notes = example_ws.load("coach_notes")
    assert notes.iloc[-1].tolist() == [
        "lumen-energy-data-scientist",
        "Ask about the forecasting stack.",
        "Sam",
        "2026-11-25",
    ]


def test_import_form_reports_a_bad_path_and_imports_a_bundle(example_ws, tmp_path):
    form = ImportCoachNotesForm(example_ws)
    fill(form, bundle=str(tmp_path / "missing.zip"))
    before = tree_digest(example_ws.root)
    click(form, "Import coach notes")
    assert "cannot open the bundle" in form.status.value
    assert tree_digest(example_ws.root) == before

    bundle = example_ws.root / write_bundle(example_ws, TODAY)
    fill(form, bundle=str(bundle))
    click(form, "Import coach notes")
    assert "Imported 0 new coach note(s); 2 were already here" in form.status.value


@pytest.mark.slow
def test_papermill_writes_report_and_bundle_and_imports_notes(example_ws, tmp_path, today):
    ws = example_ws.root
    out = execute(NB, tmp_path / "a.ipynb", data_dir=str(ws), today=today)
    assert errors(out) == []
    report = (ws / "reports" / f"report-{today}.html").read_text(encoding="utf-8")
    assert "<script" not in report.lower() and "@northwind.example" not in report
    assert (ws / "reports" / f"bundle-{today}.zip").is_file()
    first = tree_digest(ws)
    execute(NB, tmp_path / "b.ipynb", data_dir=str(ws), today=today)
    assert tree_digest(ws) == first

    out = execute(
        NB,
        tmp_path / "c.ipynb",
        data_dir=str(ws),
        today=today,
        include_contacts=True,
        include_salaries=False,
        make_bundle=False,
    )
    assert errors(out) == []
    report = (ws / "reports" / f"report-{today}.html").read_text(encoding="utf-8")
    assert "@northwind.example" in report
    assert not re.search(r"\b1[0-4]0000\b", report)

    returned = tmp_path / "returned.zip"
    with (
        zipfile.ZipFile(ws / "reports" / f"bundle-{today}.zip") as src,
        zipfile.ZipFile(returned, "w") as dst,
    ):
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "data/coach_notes.csv":
                data += b"northwind-analytics-data-analyst,From the coach,Sam,2026-11-26\n"
            dst.writestr(item, data)
    out = execute(
        NB, tmp_path / "d.ipynb", data_dir=str(ws), today=today, import_bundle=str(returned)
    )
    assert errors(out) == []
    assert "From the coach" in set(example_ws.load("coach_notes")["note"])
