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
    chromium,
    require_chromium,
    require_playwright,
    screenshot_quietly,
    voila_page,
)
from tests.test_browser_forms import TIMEOUT, record_two_people
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
    require_playwright()
    exe = require_chromium()
    ws = hostile_workspace(Workspace(copy_example(tmp_path / "example")))
    report = ws.root / write_report(ws, dt.date(2026, 11, 25), Options())
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    with chromium(exe) as context:
        context.set_offline(True)

        def block(route):
            if route.request.url == report.as_uri():
                route.continue_()  # the report itself; anything else would be a leak
            else:
                requests.append(route.request.url)
                route.abort()

        context.route("**/*", block)
        page = context.pages[0] if context.pages else context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("document.scripts.length") == 0
            assert page.locator("h2").all_text_contents() == [
                "Summary",
                "Pipeline",
                "People",
                "What is due",
                "Drafts awaiting sending",
                "Research notes",
                "Coach notes",
            ]
            img = page.locator("img").first
            assert page.evaluate("i => i.complete && i.naturalWidth > 0", img.element_handle())
            for summary in page.locator("details > summary").all():
                summary.click()  # open every section: closed ones show no text
            text = page.locator("body").inner_text()
            for payload in HOSTILE:
                assert payload in text  # shown as text, exactly as typed
            page.wait_for_timeout(500)  # anything scheduled would have run by now
        finally:
            screenshot_quietly(page, artifact_name(request))
    assert dialogs == [] and errors == []
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    assert (ARTIFACTS_DIR / f"{artifact_name(request)}.png").exists()
