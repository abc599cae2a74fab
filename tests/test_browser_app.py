"""App mode (Voila) and the coach report, in headless Chromium.

Screenshots: ``test-artifacts/browser/<test name>.png``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import Workspace
from helpers.batch import copy_example, example_today
from helpers.report import Options
from helpers.share import write_report
from tests.browser import (
    ARTIFACTS_DIR,
    artifact_name,
    offline_file,
    screenshot_quietly,
    voila_page,
)
from tests.test_browser_forms import TIMEOUT, record_two_people
from tests.test_report import HEADINGS
from tests.test_share import HOSTILE, hostile_workspace

pytestmark = pytest.mark.browser


def test_record_an_interview_in_app_mode(request, tmp_path):
    data = copy_example(tmp_path / "example")
    with voila_page(
        request, "01_post_interview.ipynb", data_dir=data, today=example_today()
    ) as page:
        form = page.locator(".wb-form").filter(has_text="Record an interview").first
        form.wait_for(state="visible", timeout=TIMEOUT * 4)
        # An app: the forms and their results, no code.
        assert page.locator(".jp-InputArea-editor, .cm-editor").count() == 0
        assert "InterviewForm(ws" not in page.content()
        record_two_people(form)
        form.locator(".wb-save").click()
        form.locator(".wb-status").filter(has_text="drafted 2 thank-yous").wait_for(timeout=TIMEOUT)
    msgs = Workspace(data).load("messages")
    mine = msgs[msgs["application_id"] == "quarry-labs-product-analyst"]
    assert len(mine) == 2
    assert all((data / f).is_file() for f in mine["draft_file"])


def test_the_report_renders_offline_and_runs_nothing(request, tmp_path):
    ws = hostile_workspace(Workspace(copy_example(tmp_path / "example")))
    report = ws.root / write_report(ws, dt.date(2026, 11, 25), Options())
    name = artifact_name(request)
    with offline_file(report, name) as (page, seen):
        assert page.evaluate("document.scripts.length") == 0
        assert page.locator("h2").all_text_contents() == HEADINGS
        img = page.locator("img").first
        assert page.evaluate("i => i.complete && i.naturalWidth > 0", img.element_handle())
        for summary in page.locator("details > summary").all():
            summary.click()  # open every section: closed ones show no text
        text = page.locator("body").inner_text()
        for payload in HOSTILE:
            assert payload in text  # shown as text, exactly as typed
        page.wait_for_timeout(500)  # anything scheduled would have run by now
        screenshot_quietly(page, name)
    assert seen.dialogs == [] and seen.errors == []
    assert seen.outside() == []
    assert (ARTIFACTS_DIR / f"{name}.png").exists()
