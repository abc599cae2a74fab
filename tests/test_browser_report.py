"""The coach report in headless Chromium: the summary first, the details in sections
that open and close with no script, everything on paper when printed, nothing loaded
from anywhere.

Screenshots: ``test-artifacts/browser/<test name>.png`` (and ``-print.png``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import Workspace
from helpers.batch import copy_example
from helpers.report import SECTIONS, Options
from helpers.share import write_report
from tests.browser import (
    ARTIFACTS_DIR,
    artifact_name,
    offline_file,
    screenshot_quietly,
)

pytestmark = pytest.mark.browser


def test_the_report_reads_summary_first_opens_sections_and_prints_whole(request, tmp_path):
    ws = Workspace(copy_example(tmp_path / "example"))
    write_report(ws, dt.date(2026, 11, 18), Options())  # the previous report shared
    report = ws.root / write_report(ws, dt.date(2026, 11, 25), Options())
    name = artifact_name(request)
    with offline_file(report, name) as (page, seen):
        assert page.evaluate("document.scripts.length") == 0
        # The summary first, in full view: standing, week, changes, actions, flags.
        summary = page.locator("#summary")
        assert summary.is_visible()
        text = summary.inner_text()
        assert "9 active, 1 saved, 3 closed" in text
        assert "Since the last report (Wednesday, November 18, 2026)" in text
        for heading in ("This week", "Next actions", "Flags", "Funnel"):
            assert heading in text
        funnel = summary.locator("img")
        assert page.evaluate("i => i.complete && i.naturalWidth > 0", funnel.element_handle())
        # The details: closed sections that open on a click, no script involved.
        details = page.locator("details")
        assert details.count() == len(SECTIONS)
        assert page.locator("details[open]").count() == 0
        people = page.locator("#people table")
        assert not people.is_visible()
        page.locator("#people > summary").click()
        assert people.is_visible()
        assert "hiring manager" in people.inner_text()
        page.locator("#people > summary").click()
        assert not people.is_visible()
        # A link of the contents opens nothing from outside: it moves in the page.
        assert page.locator("nav.contents a").count() == len(SECTIONS) + 1
        screenshot_quietly(page, name)
        # On paper: every section's content, no contents bar.
        page.emulate_media(media="print")
        assert people.is_visible()
        for key, _ in SECTIONS:
            assert page.locator(f"#{key} > :not(summary)").first.is_visible(), key
        assert not page.locator("nav.contents").is_visible()
        page.screenshot(path=str(ARTIFACTS_DIR / f"{name}-print.png"), full_page=True)
        page.wait_for_timeout(300)
    assert seen.errors == [] and seen.dialogs == []
    assert seen.outside() == []
    assert (ARTIFACTS_DIR / f"{name}.png").exists()
