"""A live workbook: every view current after every save, in JupyterLab and in Voila.

For a form, save, then the dependent view on the same page must show the change
within 2 s, with no re-run and no reload. Screenshots: test-artifacts/browser/.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from helpers.batch import copy_example, example_today, notebooks
from tests.browser import (
    chosen,
    form,
    lab_notebook,
    output_text,
    run_all,
    voila_page,
    wait_voila_done,
)

pytestmark = pytest.mark.browser
UPDATE = 2_000  # ms: what a save may take to reach every view on the page
TIMEOUT = 60_000
WHERE = ["lab", "voila"]


@contextlib.contextmanager
def opened(request, tmp_path, where: str, notebook: str):
    """``notebook`` run on a copy of the example, in JupyterLab (Run All) or in Voila."""
    data = copy_example(tmp_path / "example")
    if where == "lab":
        with lab_notebook(request, notebook, data_dir=data, today=example_today()) as page:
            run_all(page)
            yield page
    else:
        with voila_page(request, notebook, data_dir=data, today=example_today()) as page:
            wait_voila_done(page)
            yield page


def _coach_note_updates_the_notes_view(page) -> float:
    view = page.locator(".wb-view").filter(has_text="Dana Whitfield").first
    view.wait_for(timeout=TIMEOUT)
    f = page.locator(".wb-form").filter(has=page.locator(".wb-note")).first
    f.locator(".wb-application select").select_option(index=1)
    f.locator(".wb-note textarea").fill("Ask Priya about the <team> & $5 budget")
    f.locator(".wb-author input").fill("Sam Coach")
    start = time.monotonic()
    f.locator(".wb-add-note").click()
    page.locator(".wb-view").filter(has_text="Ask Priya about the <team> & $5 budget").wait_for(
        timeout=UPDATE
    )
    return time.monotonic() - start


@pytest.mark.parametrize("where", WHERE)
def test_a_coach_note_shows_in_the_notes_view_at_once(request, tmp_path, where):
    with opened(request, tmp_path, where, "05_share.ipynb") as page:
        _coach_note_updates_the_notes_view(page)


def _profile_updates_the_profile_view(page) -> None:
    f = form(page, "Your profile")
    f.locator(".wb-name input").fill("Jordan Q. Rivera-Núñez")
    f.locator(".wb-save-profile").click()
    page.locator(".wb-view").filter(has_text="Jordan Q. Rivera-Núñez").wait_for(timeout=UPDATE)


@pytest.mark.parametrize("where", WHERE)
def test_saving_the_profile_updates_start_here(request, tmp_path, where):
    with opened(request, tmp_path, where, "00_start_here.ipynb") as page:
        _profile_updates_the_profile_view(page)


NOTEBOOKS = [nb.stem for nb in notebooks()]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_first_screen_in_lab(request, name):
    """Opened without running: guidance and the stored worked example, never a widget's
    repr or another machine's path. The screenshot is the notebook's first screen."""
    with lab_notebook(request, f"{name}.ipynb", data_dir=None, today=None) as page:
        text = output_text(page)
        assert "children=(" not in text and "Form(" not in text and "HTML(value=" not in text
        assert "Run All Cells" in page.inner_text("body")
        assert "workbook-example-" not in text  # no other machine's temporary path
        page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer')?.scrollTo(0, 0)")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_first_screen_in_voila(request, tmp_path, name):
    """Each page of the app on the example, as a user first sees it (the screenshot)."""
    data = copy_example(tmp_path / "example")
    with voila_page(request, f"{name}.ipynb", data_dir=data, today=example_today()) as page:
        wait_voila_done(page)
        page.locator(".wb-view, .wb-form").first.wait_for(timeout=TIMEOUT)
        page.wait_for_function(
            "() => !document.body.innerText.includes('Loading widget')", timeout=TIMEOUT
        )
        body = page.inner_text("body")
        assert "Traceback" not in body and "children=(" not in body
        assert "data_dir" not in body  # the parameters and their documentation are hidden


def test_the_app_opens_on_a_home_page_of_the_eight_steps(request, tmp_path):
    data = copy_example(tmp_path / "example")
    with voila_page(request, None, data_dir=data, today=example_today()) as page:
        steps = page.locator(".wb-step")
        steps.first.wait_for(timeout=TIMEOUT)
        assert steps.count() == 8
        text = page.inner_text("body")
        assert "After an interview" in text and ".ipynb" not in text
        steps.nth(1).click()
        page.locator(".wb-form").filter(has_text="Record an interview").first.wait_for(
            timeout=TIMEOUT
        )
        body = page.inner_text("body")
        assert "data_dir" not in body and "Parameters" not in body  # no developer sections


def _interview_updates_every_view(page) -> None:
    from tests.test_browser_forms import record_two_people

    f = form(page, "Record an interview")
    record_two_people(f)
    f.locator(".wb-save").click()
    f.locator(".wb-status").filter(has_text="Saved").wait_for(timeout=TIMEOUT)
    # The drafts waiting, the ledger and the mark-sent form, all without a re-run.
    views = page.locator(".wb-view")
    views.filter(has_text="To Ana Silva").first.wait_for(timeout=UPDATE)
    views.filter(has_text="Quarry Labs").first.wait_for(timeout=UPDATE)
    mark = page.locator(".wb-form").filter(has_text="Mark a draft as sent").first
    options = mark.locator(".wb-message select option")
    assert any("Quarry" in t or "Ana" in t for t in options.all_inner_texts())


@pytest.mark.parametrize("where", WHERE)
def test_recording_an_interview_updates_the_whole_page(request, tmp_path, where):
    with opened(request, tmp_path, where, "01_post_interview.ipynb") as page:
        _interview_updates_every_view(page)


# -- 02: one chooser for the page; every research form's save reaches the views -------


def _research_follows_the_chooser_and_every_save(page) -> None:
    views = page.locator(".wb-view")
    views.filter(has_text="What to ask for: 97,500").first.wait_for(timeout=TIMEOUT)
    page.locator(".wb-chooser select").select_option(label="Tessera Retail — Data Analyst")
    views.filter(has_text="Only 2 similar positions in CAD").first.wait_for(timeout=UPDATE)
    assert views.filter(has_text="What to ask for: 97,500").count() == 0

    comp = form(page, "A similar position")
    assert chosen(comp.locator(".wb-application select")) == "Tessera Retail — Data Analyst"
    comp.locator(".wb-company input").fill("Contoso Freight")
    comp.locator(".wb-title input").fill("Data Analyst II")
    comp.locator(".wb-salary_min input").fill("80000")
    comp.locator(".wb-salary_max input").fill("93000")
    comp.locator(".wb-currency input").fill("CAD")
    comp.locator(".wb-source input").fill("Levels.fyi")
    comp.locator(".wb-add-similar-position").click()
    views.filter(has_text="Only 3 similar positions in CAD").first.wait_for(timeout=UPDATE)

    team = form(page, "Someone on the team")
    assert team.locator(".wb-application").count() == 0  # chosen once, above
    team.locator(".wb-name input").fill("Zoë Ó Briain")
    team.locator(".wb-title input").fill("Head of Data")
    team.locator(".wb-add-team-member").click()
    views.filter(has_text="Zoë Ó Briain").first.wait_for(timeout=UPDATE)


@pytest.mark.parametrize("where", WHERE)
def test_research_follows_its_chooser_and_its_forms(request, tmp_path, where):
    with opened(request, tmp_path, where, "02_research.ipynb") as page:
        _research_follows_the_chooser_and_every_save(page)


# -- 03: marking a follow-up sent takes it off the waiting list at once ---------------


def _marking_sent_updates_the_follow_ups(page) -> None:
    from playwright.sync_api import expect

    waiting = page.locator(".wb-view").filter(has_text="Waiting to be sent:").first
    waiting.wait_for(timeout=TIMEOUT)
    cards = waiting.locator(".wb-draft")
    before = cards.count()
    assert before >= 1
    mark = form(page, "Mark a draft as sent")
    options = mark.locator(".wb-message select option")
    listed = options.count()
    mark.locator(".wb-mark-sent").click()
    expect(cards).to_have_count(before - 1, timeout=UPDATE)
    expect(options).to_have_count(listed - 1, timeout=UPDATE)


@pytest.mark.parametrize("where", WHERE)
def test_marking_a_follow_up_sent_updates_the_page(request, tmp_path, where):
    with opened(request, tmp_path, where, "03_follow_up.ipynb") as page:
        _marking_sent_updates_the_follow_ups(page)


# -- 04: a new application and a stage change reach the board at once ----------------


def _pipeline_follows_its_forms(page) -> None:
    views = page.locator(".wb-view")
    views.filter(has_text="Northwind Analytics").first.wait_for(timeout=TIMEOUT)
    new = form(page, "Add an application")
    new.locator(".wb-company input").fill("Contoso Freight")
    new.locator(".wb-role input").fill("BI Analyst")
    new.locator(".wb-source input").fill("LinkedIn")
    new.locator(".wb-add-application").click()
    board = views.locator("tr").filter(has_text="Contoso Freight")
    board.first.wait_for(timeout=UPDATE)
    assert "applied" in board.first.inner_text()

    page.locator(".wb-pipeline-forms .lm-TabBar-tab", has_text="Change stage").click()
    stage = form(page, "Change an application's stage")
    stage.locator(".wb-application select").select_option(
        label="Contoso Freight — BI Analyst (applied)"
    )
    stage.locator(".wb-stage select").select_option(label="screening")
    stage.locator(".wb-change-stage").click()
    board.filter(has_text="screening").first.wait_for(timeout=UPDATE)


@pytest.mark.parametrize("where", WHERE)
def test_the_pipeline_board_follows_its_forms(request, tmp_path, where):
    with opened(request, tmp_path, where, "04_pipeline.ipynb") as page:
        _pipeline_follows_its_forms(page)


# -- 06: applying the mailbox's changes reaches the recorded mail at once -------------


def _applying_mail_updates_the_page(page) -> None:
    from playwright.sync_api import expect

    views = page.locator(".wb-view")
    recorded = views.filter(has_text="No mail recorded yet").first
    recorded.wait_for(timeout=TIMEOUT)
    mail = form(page, "Your mailbox")
    preview = views.filter(has_text="5 changes proposed").first
    preview.wait_for(timeout=TIMEOUT)
    assert "Preview only" in preview.inner_text()
    mail.locator(".wb-apply").click()
    mail.locator(".wb-status").filter(has_text="Applied 5 changes in one save").wait_for(
        timeout=TIMEOUT
    )
    # The recorded mail, without a re-run: Pinecrest's rejection and Lumen's invitation.
    rows = views.locator("tr").filter(has_text="Lumen Energy")
    rows.first.wait_for(timeout=UPDATE)
    expect(views.locator("tr").filter(has_text="rejection")).not_to_have_count(0, timeout=UPDATE)
    expect(views.filter(has_text="No mail recorded yet")).to_have_count(0, timeout=UPDATE)
    # One preview on the page, now saying what was done.
    expect(views.filter(has_text="Preview only")).to_have_count(0, timeout=UPDATE)
    proposed = views.filter(has_text="changes proposed")
    assert proposed.count() == 1
    assert "Applied: 5 change(s) made in one save" in proposed.inner_text()
    # One preview on the page, now saying what was done.
    expect(views.filter(has_text="Preview only")).to_have_count(0, timeout=UPDATE)
    assert views.filter(has_text="changes proposed").count() == 1
    assert (
        "Applied: 5 change(s) made in one save"
        in views.filter(has_text="changes proposed").inner_text()
    )


@pytest.mark.parametrize("where", WHERE)
def test_applying_a_mailbox_updates_the_page(request, tmp_path, where):
    with opened(request, tmp_path, where, "06_mailbox.ipynb") as page:
        _applying_mail_updates_the_page(page)


# -- a save made elsewhere (another notebook, another app page) reaches this page ----


def _a_save_elsewhere_reaches_the_board(page, data) -> None:
    import datetime as dt

    from helpers import Workspace
    from helpers.live import WATCH_SECONDS
    from helpers.pipeline import NewApplication, add_application

    views = page.locator(".wb-view")
    views.filter(has_text="Northwind Analytics").first.wait_for(timeout=TIMEOUT)
    # As 01 in another tab would: a save by another process, not this page's kernel.
    add_application(
        Workspace.open(data),
        NewApplication(company="Zephyr Ångström AB", role="Data Analyst", stage="applied"),
        dt.date.fromisoformat(example_today()),
    )
    board = views.locator("tr").filter(has_text="Zephyr Ångström AB")
    board.first.wait_for(timeout=UPDATE + WATCH_SECONDS * 1000)


@pytest.mark.parametrize("where", WHERE)
def test_a_save_made_elsewhere_reaches_the_page(request, tmp_path, where):
    with opened(request, tmp_path, where, "04_pipeline.ipynb") as page:
        _a_save_elsewhere_reaches_the_board(page, tmp_path / "example")
