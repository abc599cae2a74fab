"""Nothing injected, nothing typeset, nothing fetched: every notebook on a hostile
workspace, in JupyterLab (Run All) and as ``make app`` serves it (Voila), in Chromium.

The workspace (tests/hostile.py) has ``<script>`` and ``<img onerror>`` in the profile
name and in every company, and "the band is $95k to $115k" in a research note, a coach
note, every role and more. On every page: the payloads never run (``window.__pwned``
stays undefined), the band is shown as typed and MathJax typesets nothing, and no
request leaves 127.0.0.1 (``data:`` and ``blob:`` are fine).

Skipped without Chromium or Playwright, except under ``CI=true`` where that fails.
Screenshots: ``test-artifacts/browser/<test name>.png``.
"""

from __future__ import annotations

import pytest

from helpers import Workspace
from helpers.batch import copy_example, example_today, notebooks
from tests.browser import (
    error_outputs,
    external_requests,
    lab_notebook,
    output_text,
    run_all,
    voila_page,
    wait_voila_done,
)
from tests.hostile import hostile_display_workspace

pytestmark = pytest.mark.browser

NOTEBOOKS = [pytest.param(nb.name, id=nb.stem) for nb in notebooks()]
LITERAL = "$95k to $115k"
SETTLE = 2_000  # ms: MathJax typesets a moment after an output is shown
MATHJAX = "mjx-container, .MathJax, .MathJax_Preview, script[type^='math/tex']"


@pytest.fixture
def hostile(tmp_path) -> Workspace:
    """The hostile workspace; its own bundle in ``bundles/``, as a coach's caseload (07)
    reads it: a client's hostile data reaches the coach's page too."""
    import datetime as dt

    from helpers.share import bundle_bytes

    ws = hostile_display_workspace(Workspace(copy_example(tmp_path / "hostile")))
    today = dt.date.fromisoformat(example_today())
    for example in (ws.root / "bundles").glob("*.zip"):
        example.unlink()  # the example's clients: only the hostile one is shown
    (ws.root / "bundles" / f"bundle-{today}.zip").write_bytes(bundle_bytes(ws, today))
    return ws


def assert_safe(page, text: str, requests: list[str]) -> None:
    """Nothing ran, the band is literal and not typeset, nothing was fetched from outside."""
    assert page.evaluate("() => window.__pwned") is None, "a payload ran"
    assert LITERAL in text, f"{LITERAL!r} is not shown as typed"
    assert page.locator(MATHJAX).count() == 0, "MathJax typeset something"
    assert external_requests(requests) == []


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_in_lab(request, hostile, notebook):
    requests: list[str] = []
    with lab_notebook(
        request, notebook, data_dir=hostile.root, today=example_today(), requests=requests
    ) as page:
        run_all(page)
        page.wait_for_timeout(SETTLE)
        assert error_outputs(page) == []
        assert_safe(page, output_text(page), requests)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_as_make_app_serves_it(request, hostile, notebook):
    requests: list[str] = []
    with voila_page(
        request,
        None,
        data_dir=hostile.root,
        today=example_today(),
        path=f"voila/render/{notebook}",
        requests=requests,
    ) as page:
        wait_voila_done(page)
        page.wait_for_function(
            "() => document.body.innerText.includes('95')", timeout=60_000, polling=250
        )
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(SETTLE)
        text = page.locator("body").inner_text()
        assert "There was an error when executing cell" not in text
        assert "Traceback" not in text
        assert_safe(page, text, requests)


def test_the_app_list_loads_nothing_from_outside(request, hostile):
    requests: list[str] = []
    with voila_page(
        request, None, data_dir=hostile.root, today=example_today(), requests=requests
    ) as page:
        page.locator(".wb-step").first.wait_for(timeout=60_000)  # the home page
        page.wait_for_load_state("networkidle")
        assert external_requests(requests) == []
