"""Faults while the workbook is open: files deleted or edited by hand, two kernels at once.

Each ends with a clear message and no record lost (see the README's reliability table).
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io

import pytest

from helpers import Workspace
from helpers.batch import NOTEBOOKS_DIR
from helpers.interview_forms import InterviewForm
from helpers.message_forms import MarkSentForm
from tests.conftest import tree_digest
from tests.test_forms import click, fill, person
from tests.test_notebooks import errors, execute

TODAY = dt.date(2026, 11, 25)


def test_a_hand_edit_made_while_the_form_is_open_is_kept(example_ws):
    form = InterviewForm(example_ws, TODAY)  # the form has read the applications
    apps = example_ws.load("applications")
    apps.loc[apps["application_id"] == "juniper-civic-data-analyst", "notes"] = "edited by hand"
    example_ws.save("applications", apps)  # as a spreadsheet would, meanwhile
    fill(form, company="Acme", role="Analyst")
    person(form.people.children[0], name="Lee", talking_point="x")
    click(form, "Save")
    assert "Saved the interview" in form.status.value
    after = example_ws.load("applications").set_index("application_id")
    assert after.at["juniper-civic-data-analyst", "notes"] == "edited by hand"
    assert "acme-analyst" in after.index


def test_a_file_deleted_while_the_form_is_open_is_refused_clearly(example_ws):
    form = InterviewForm(example_ws, TODAY, "lumen-energy-data-scientist")
    example_ws.file("applications").unlink()  # deleted by hand meanwhile
    before = tree_digest(example_ws.root)
    person(form.people.children[0], name="Dev Patel", talking_point="forecasting")
    click(form, "Save")
    status = form.status.value
    assert "Nothing was saved" in status
    assert "lumen-energy-data-scientist" in status and "applications.csv" in status
    assert tree_digest(example_ws.root) == before


def test_a_broken_hand_edit_stops_the_save_and_names_the_cell(example_ws):
    form = MarkSentForm(example_ws, TODAY, "other")
    path = example_ws.file("messages")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[5][rows[0].index("drafted_on")] = "20/11/2026"  # a spreadsheet's own date format
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    before = path.read_bytes()
    click(form, "Mark sent")
    status = form.status.value
    assert "Nothing was saved" in status
    assert "messages.csv, row 6, column &#x27;drafted_on&#x27;" in status
    assert "YYYY-MM-DD" in status
    assert path.read_bytes() == before


@pytest.mark.slow
def test_two_kernels_recording_interviews_at_once_lose_nothing(example_ws, tmp_path, today):
    nb = NOTEBOOKS_DIR / "01_post_interview.ipynb"

    def run(n: int):
        interview = {
            "company": f"Parallel {n}",
            "role": "Analyst",
            "held_on": "2026-11-24",
            "people": [
                {"name": f"Person {n}-{i}", "talking_point": f"topic {i}"} for i in range(3)
            ],
        }
        return execute(
            nb,
            tmp_path / f"run{n}.ipynb",
            data_dir=str(example_ws.root),
            today=today,
            interview=interview,
        )

    before = {n: len(df) for n, df in example_ws.load_all().items()}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        outs = list(pool.map(run, range(2)))
    assert all(errors(o) == [] for o in outs)
    ws = Workspace(example_ws.root)
    after = {n: len(df) for n, df in ws.load_all().items()}
    assert after["applications"] == before["applications"] + 2
    assert after["interviews"] == before["interviews"] + 2
    assert after["contacts"] == before["contacts"] + 6
    assert after["interview_contacts"] == before["interview_contacts"] + 6
    # Six thank-yous for the new interviews and three for Northwind, each drafted once.
    msgs = ws.load("messages")
    new = msgs[msgs["drafted_on"] == today]
    assert len(new) == 9
    assert not new.duplicated(["interview_id", "contact_id"]).any()
    assert ws.check() == []
