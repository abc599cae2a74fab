"""The forms where people use them: typed into and clicked in JupyterLab, in Chromium.

Each test runs the notebook (Run All) on a copy of the example, then works the form
like a user: type, add a row, pick a date, click; and checks the files on disk.
Screenshots: ``test-artifacts/browser/<test name>.png``.
"""

from __future__ import annotations

import pytest

from helpers import Workspace
from helpers.batch import copy_example, example_today
from tests.browser import error_outputs, form, lab_notebook, run_all
from tests.conftest import many_applications, tree_digest

pytestmark = pytest.mark.browser
TIMEOUT = 30_000  # ms, for a kernel round trip after a click


def type_person(person, name: str, email: str, talking_point: str) -> None:
    """Type one person's row, then wait for the kernel's preview of the talking point:
    the preview grows the row, and a click made while it is still to come can land on
    whatever the growing row pushes under the pointer."""
    person.locator(".wb-person-name input").fill(name)
    person.locator(".wb-person-email input").fill(email)
    person.locator(".wb-person-talking-point textarea").fill(talking_point)
    person.locator(".wb-person-preview").filter(has_text=talking_point.split()[-1]).wait_for(
        timeout=TIMEOUT
    )


def record_two_people(f) -> None:
    """Type a new application's interview with two people into the form (not saved)."""
    f.locator(".wb-application select").select_option(label="New application…")
    f.locator(".wb-company input").fill("Quarry Labs")
    f.locator(".wb-role input").fill("Product Analyst")
    f.locator(".wb-held_on input[type=date]").fill("2026-11-24")
    type_person(
        f.locator(".wb-person").nth(0),
        "Ana Silva",
        "ana@quarry.example",
        "her checklist for reviewing A/B tests",
    )
    f.locator(".wb-add-person").click()
    f.locator(".wb-person").nth(1).wait_for(timeout=TIMEOUT)
    type_person(
        f.locator(".wb-person").nth(1),
        "Kenji Watanabe",
        "kenji@quarry.example",
        "the trial-to-paid funnel definition",
    )


def test_record_an_interview_with_two_people_in_lab(request, tmp_path):
    data = copy_example(tmp_path / "example")
    with lab_notebook(
        request, "01_post_interview.ipynb", data_dir=data, today=example_today()
    ) as page:
        run_all(page)
        assert error_outputs(page) == []
        f = form(page, "Record an interview")
        record_two_people(f)
        f.locator(".wb-save").click()
        status = f.locator(".wb-status")
        status.filter(has_text="Saved the interview").wait_for(timeout=TIMEOUT)
        assert "drafted 2 thank-yous" in status.text_content()
        assert f.locator(".wb-drafts a[href^='mailto:ana@quarry.example']").count() == 1

    ws = Workspace(data)
    interviews = ws.load("interviews")
    mine = interviews[interviews["application_id"] == "quarry-labs-product-analyst"]
    assert mine["held_on"].tolist() == ["2026-11-24"]
    met = ws.load("interview_contacts")
    assert len(met[met["interview_id"] == mine["interview_id"].iloc[0]]) == 2
    msgs = ws.load("messages")
    drafts = msgs[msgs["application_id"] == "quarry-labs-product-analyst"]
    assert drafts["kind"].tolist() == ["thank_you", "thank_you"]
    for path in drafts["draft_file"]:
        assert (data / path).is_file() and (data / path).with_suffix(".eml").is_file()
    assert ws.check() == []


def test_a_validation_error_shows_next_to_the_form_and_writes_nothing(request, tmp_path):
    data = copy_example(tmp_path / "example")
    with lab_notebook(
        request, "01_post_interview.ipynb", data_dir=data, today=example_today()
    ) as page:
        run_all(page)
        f = form(page, "Record an interview")
        before = tree_digest(data)
        f.locator(".wb-application select").select_option(label="New application…")
        f.locator(".wb-role input").fill("Analyst")  # no company
        type_person(f.locator(".wb-person").nth(0), "Pat Lee", "pat@", "the roadmap")
        f.locator(".wb-save").click()
        f.locator(".wb-status").filter(has_text="Nothing was saved").wait_for(timeout=TIMEOUT)
        assert "give the company" in f.locator(".wb-company-error").text_content()
        assert "not an email address" in f.locator(".wb-person-error").first.text_content()
        assert tree_digest(data) == before


def test_mark_a_follow_up_sent_in_lab(request, tmp_path):
    data = copy_example(tmp_path / "example")
    with lab_notebook(request, "03_follow_up.ipynb", data_dir=data, today=example_today()) as page:
        run_all(page)
        assert error_outputs(page) == []
        f = form(page, "Mark a draft as sent")
        assert "Following up" in f.locator(".wb-message select").text_content().replace("\xa0", " ")
        f.locator(".wb-mark-sent").click()
        f.locator(".wb-status").filter(has_text="Marked sent on 2026-11-25").wait_for(
            timeout=TIMEOUT
        )
    msgs = Workspace(data).load("messages")
    follow_ups = msgs[msgs["kind"] == "follow_up"]
    # Drafted that day: Bluebird's follow-up (the first draft listed) and Driftwood's
    # check-in (no interview yet); the first one is marked sent.
    today = follow_ups[follow_ups["drafted_on"] == "2026-11-25"].set_index("application_id")
    assert today[["status", "sent_on"]].to_dict("index") == {
        "bluebird-health-analytics-engineer": {"status": "sent", "sent_on": "2026-11-25"},
        "driftwood-foods-data-analyst": {"status": "draft", "sent_on": ""},
    }


def test_add_a_similar_position_in_lab(request, tmp_path):
    data = copy_example(tmp_path / "example")
    with lab_notebook(request, "02_research.ipynb", data_dir=data, today=example_today()) as page:
        run_all(page)
        assert error_outputs(page) == []
        f = form(page, "A similar position")
        f.locator(".wb-application select").select_option(
            label="Northwind Analytics — Data Analyst"
        )
        f.locator(".wb-company input").fill("Contoso Freight")
        f.locator(".wb-title input").fill("Data Analyst II")
        f.locator(".wb-location input").fill("Chicago, IL")
        f.locator(".wb-salary_min input").fill("91000")
        f.locator(".wb-salary_max input").fill("104000")
        f.locator(".wb-currency input").fill("USD")
        f.locator(".wb-source input").fill("Levels.fyi")
        f.locator(".wb-add-similar-position").click()
        f.locator(".wb-status").filter(has_text="Added the similar position").wait_for(
            timeout=TIMEOUT
        )
    comps = Workspace(data).load("comps")
    row = comps[comps["company"] == "Contoso Freight"]
    assert row[
        ["application_id", "title", "salary_min", "salary_max", "currency"]
    ].values.tolist() == [
        ["northwind-analytics-data-analyst", "Data Analyst II", "91000", "104000", "USD"]
    ]
    note = (data / "notes" / "northwind-analytics-data-analyst.md").read_text(encoding="utf-8")
    assert "Contoso Freight" in note  # the research note is regenerated at once


def test_add_an_application_and_change_its_stage_in_lab(request, tmp_path):
    data = copy_example(tmp_path / "example")
    with lab_notebook(request, "04_pipeline.ipynb", data_dir=data, today=example_today()) as page:
        run_all(page)
        assert error_outputs(page) == []
        new = form(page, "Add an application")
        new.locator(".wb-company input").fill("Contoso Freight")
        new.locator(".wb-role input").fill("BI Analyst")
        new.locator(".wb-source input").fill("LinkedIn")
        new.locator(".wb-add-application").click()
        new.locator(".wb-status").filter(has_text="Contoso Freight").wait_for(timeout=TIMEOUT)

        page.locator(".wb-pipeline-forms .lm-TabBar-tab", has_text="Change stage").click()
        stage = form(page, "Change an application's stage")
        stage.locator(".wb-application select").select_option(
            label="Contoso Freight — BI Analyst (applied)"
        )
        stage.locator(".wb-stage select").select_option(label="screening")
        stage.locator(".wb-change-stage").click()
        stage.locator(".wb-status").filter(has_text="from applied to screening").wait_for(
            timeout=TIMEOUT
        )
    ws = Workspace(data)
    apps = ws.load("applications").set_index("application_id")
    assert apps.at["contoso-freight-bi-analyst", "stage"] == "screening"
    assert apps.at["contoso-freight-bi-analyst", "applied_on"] == "2026-11-25"
    history = ws.load("stage_history")
    mine = history[history["application_id"] == "contoso-freight-bi-analyst"]
    assert mine[["stage", "changed_on"]].values.tolist() == [
        ["applied", "2026-11-25"],
        ["screening", "2026-11-25"],
    ]


def test_a_large_pipeline_stays_usable_in_lab(request, tmp_path):
    """With hundreds of applications the board shows the first rows (the whole table is
    written to a CSV file) and the stage form finds any application by typing."""
    import pandas as pd

    from helpers.display import ROWS_SHOWN
    from helpers.formkit import PICKER_ROWS

    data = copy_example(tmp_path / "example")
    ws = Workspace(data)
    apps = ws.load("applications")
    n = PICKER_ROWS * 3
    extra = many_applications(n)
    ws.save("applications", pd.concat([apps, extra], ignore_index=True).fillna(""))
    total = len(apps) + n
    with lab_notebook(request, "04_pipeline.ipynb", data_dir=data, today=example_today()) as page:
        run_all(page)
        assert error_outputs(page) == []
        more = page.locator(".wb-more").filter(has_text=f"of {total} rows")
        more.first.wait_for(timeout=TIMEOUT)
        assert f"Showing the first {ROWS_SHOWN} of {total} rows" in more.first.text_content()
        assert "reports/pipeline.csv" in more.first.text_content()

        page.locator(".wb-pipeline-forms .lm-TabBar-tab", has_text="Change stage").click()
        stage = form(page, "Change an application's stage")
        search = stage.locator(".wb-application .wb-search input")
        search.wait_for(state="visible", timeout=TIMEOUT)
        assert str(total) in search.get_attribute("placeholder")
        search.fill("company 287")
        select = stage.locator(".wb-application select")
        select.locator("option", has_text="Company 287").wait_for(state="attached", timeout=TIMEOUT)
        select.select_option(label="Company 287 — Analyst (applied)")
        stage.locator(".wb-stage select").select_option(label="screening")
        stage.locator(".wb-change-stage").click()
        stage.locator(".wb-status").filter(has_text="from applied to screening").wait_for(
            timeout=TIMEOUT
        )
    after = Workspace(data)
    board = pd.read_csv(data / "reports" / "pipeline.csv", dtype=str, keep_default_na=False)
    assert len(board) == total
    moved = after.load("applications").set_index("application_id")
    assert moved.at["company-287-analyst", "stage"] == "screening"
    assert (moved["stage"] == "screening").sum() == (apps["stage"] == "screening").sum() + 1
