"""00_start_here in a real JupyterLab, driven by headless Chromium (Run All, read the page).

Skipped without Chromium or Playwright, except under ``CI=true`` where that fails.
Screenshots: ``test-artifacts/browser/<test name>.png``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import Workspace
from helpers.batch import NOTEBOOKS_DIR, copy_example, example_today
from tests.browser import error_outputs, lab_notebook, output_text, run_all

pytestmark = pytest.mark.browser

NOTEBOOK = "00_start_here.ipynb"


@pytest.fixture
def no_checkpoints():
    """JupyterLab keeps its checkpoints out of the repo (``lab_notebook`` blocks saves)."""
    checkpoints = NOTEBOOKS_DIR / ".ipynb_checkpoints"
    existed = checkpoints.exists()
    yield
    if not existed:
        assert not checkpoints.exists(), f"JupyterLab created {checkpoints}"


def test_start_here_on_the_example(request, tmp_path, no_checkpoints):
    data = copy_example(tmp_path / "example")
    today = example_today()
    (data / "TODAY").unlink()  # a workspace of one's own (not the example): named by its path
    with lab_notebook(request, NOTEBOOK, data_dir=data, today=today) as page:
        run_all(page)
        text = output_text(page)
        assert error_outputs(page) == []
        # Produced by this run (stored outputs were cleared), with the kernel's environment.
        assert str(data.resolve()) in text
        assert f"{dt.date.fromisoformat(today):%A %d %B %Y}" in text
        assert "No problems found" in text
        cell = page.locator(".jp-OutputArea-output td", has_text="applications.csv")
        assert cell.count() >= 1
        assert cell.first.text_content().strip() == "applications.csv"
    assert Workspace(data).check() == []


def test_start_here_on_an_empty_workspace(request, tmp_path, no_checkpoints):
    data = tmp_path / "empty"
    data.mkdir()
    with lab_notebook(request, NOTEBOOK, data_dir=data, today=example_today()) as page:
        run_all(page)
        assert error_outputs(page) == []
        assert "Your workspace is empty" in output_text(page)
    assert sorted(p.name for p in data.iterdir() if not p.name.endswith(".lock")) == []
